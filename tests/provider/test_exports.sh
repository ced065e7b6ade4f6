#!/usr/bin/env bash
# test_exports.sh <module>: the provider module exports exactly the MAPI
# entry points (LC-1): ABProviderInit, a function, and nothing else defined
# in its dynamic symbol table (the version script hides the rest).
set -euo pipefail
module=${1:?usage: test_exports.sh <module>}
[[ -f $module ]] || { echo "no such module: $module" >&2; exit 1; }

# "<value> <type> <name>" for every defined dynamic symbol.
syms=$(nm -D --defined-only "$module" | awk 'NF == 3 { print $2, $3 }')
echo "defined dynamic symbols of $module:"
echo "$syms" | sed 's/^/  /'

expected="T ABProviderInit"
if [[ $syms != "$expected" ]]; then
    echo "FAIL: expected exactly '$expected'" >&2
    exit 1
fi
# And it really is C linkage, callable by name (no versioned alias needed).
if ! readelf --dyn-syms -W "$module" | awk '$8 == "ABProviderInit" && $4 == "FUNC" && $5 == "GLOBAL" { ok = 1 } END { exit !ok }'; then
    echo "FAIL: ABProviderInit is not a GLOBAL FUNC in .dynsym" >&2
    exit 1
fi
echo "PASS"
