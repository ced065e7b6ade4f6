#!/usr/bin/env bash
# test_exports.sh <module>: the provider module exports exactly the MAPI
# entry points (LC-1, CF-4): ABProviderInit and ServiceEntry, both functions,
# and nothing else defined in its dynamic symbol table (the version script
# hides the rest).
set -euo pipefail
module=${1:?usage: test_exports.sh <module>}
[[ -f $module ]] || { echo "no such module: $module" >&2; exit 1; }

# "<type> <name>" for every defined dynamic symbol, sorted by name.
syms=$(nm -D --defined-only "$module" | awk 'NF == 3 { print $2, $3 }' | sort -k2)
echo "defined dynamic symbols of $module:"
echo "$syms" | sed 's/^/  /'

expected=$'T ABProviderInit\nT ServiceEntry'
if [[ $syms != "$expected" ]]; then
    echo "FAIL: expected exactly 'T ABProviderInit' and 'T ServiceEntry'" >&2
    exit 1
fi
# And they really are C linkage, callable by name (no versioned alias needed).
for name in ABProviderInit ServiceEntry; do
    if ! readelf --dyn-syms -W "$module" |
         awk -v n="$name" '$8 == n && $4 == "FUNC" && $5 == "GLOBAL" { ok = 1 } END { exit !ok }'; then
        echo "FAIL: $name is not a GLOBAL FUNC in .dynsym" >&2
        exit 1
    fi
done
echo "PASS"
