#!/usr/bin/env bash
# test_install.sh <build dir>: `cmake --install` puts the command, the module,
# the man pages and the samples where GNUInstallDirs says, and the installed
# command finds its installed module and looks someone up (slapd fixture).
set -euo pipefail
build=${1:?usage: test_install.sh <build dir>}
dest=$(mktemp -d /tmp/ldapab-install.XXXXXX)
trap 'rm -rf "$dest"' EXIT

cmake --install "$build" --prefix "$dest/prefix" >/dev/null
bindir=$(sed -n 's/^CMAKE_INSTALL_BINDIR:PATH=//p' "$build/CMakeCache.txt")
libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:PATH=//p' "$build/CMakeCache.txt")
mandir=$(sed -n 's/^CMAKE_INSTALL_MANDIR:PATH=//p' "$build/CMakeCache.txt")
mandir=${mandir:-share/man}
for f in "$bindir/ldapab" "$libdir/ldapab/ldapab.so" "$mandir/man1/ldapab.1" \
         "$mandir/man5/ldapab.conf.5" share/doc/ldapab/examples/ldapab.conf \
         share/doc/ldapab/examples/mapisvc.inf; do
    [[ -e $dest/prefix/$f ]] || { echo "FAIL: $f was not installed" >&2; exit 1; }
done
# The man pages render without warnings.
if command -v man >/dev/null; then
    for page in "$mandir/man1/ldapab.1" "$mandir/man5/ldapab.conf.5"; do
        warn=$(MANWIDTH=80 man --warnings -l "$dest/prefix/$page" 2>&1 >/dev/null || true)
        [[ -z $warn ]] || { echo "FAIL: $page: $warn" >&2; exit 1; }
    done
fi

# The installed command, away from the build tree, with its module.
# shellcheck disable=SC1090
. "${LDAPAB_SLAPD_ENV:?the slapd fixture}"
printf '[directory]\nuri = %s\nbase = %s\n' "$LDAPAB_TEST_URI" "$LDAPAB_TEST_BASE" >"$dest/c.conf"
out=$(env -u LDAPAB_MODULE LDAPCONF=/dev/null "$dest/prefix/$bindir/ldapab" -c "$dest/c.conf" \
      -f aerc search mary johnson)
[[ $out == *"mary.johnson@example.com	Mary Johnson"* ]] ||
    { echo "FAIL: the installed command found: $out" >&2; exit 1; }
# It loaded the installed module, not the build tree's (ld.so says which).
LD_DEBUG=files LDAPCONF=/dev/null "$dest/prefix/$bindir/ldapab" -c "$dest/c.conf" containers \
    >/dev/null 2>"$dest/ld.log"
grep -q "file=$dest/prefix/$bindir/../$libdir/ldapab/ldapab.so" "$dest/ld.log" ||
    { echo "FAIL: the installed command did not load the installed module" >&2; exit 1; }
echo PASS
