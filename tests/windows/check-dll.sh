#!/bin/sh
# check-dll.sh exports|imports <objdump> <dll>
#   exports: the export table holds exactly ABProviderInit and ServiceEntry,
#            undecorated (no _ prefix, no @N suffix), and nothing else.
#   imports: every imported DLL is one Windows ships (wldap32, kernel32, the
#            msvcrt C runtime, advapi32, crypt32, ...): nothing to copy beside
#            ldapab.dll or ldapab.exe, no libwinpthread, libgcc or libldap.
set -eu
what=$1 objdump=$2 dll=$3
dump=$("$objdump" -p "$dll")
case $what in
exports)
    names=$(printf '%s\n' "$dump" | sed -n '/^\[Ordinal\/Name Pointer\] Table/,/^$/p' |
            sed -n 's/^[[:space:]]*\[[[:space:]]*[0-9]*\][[:space:]]*//p' | sort | tr '\n' ' ')
    echo "exports of $dll: $names"
    [ "$names" = "ABProviderInit ServiceEntry " ] || {
        echo "FAIL: expected exactly \"ABProviderInit ServiceEntry\"" >&2; exit 1; }
    ;;
imports)
    dlls=$(printf '%s\n' "$dump" | sed -n 's/^[[:space:]]*DLL Name: //p' | tr 'A-Z' 'a-z' | sort -u)
    echo "imports of $dll:" $dlls
    bad=0
    for d in $dlls; do
        case $d in
        kernel32.dll|msvcrt.dll|wldap32.dll|advapi32.dll|crypt32.dll|user32.dll|ws2_32.dll|secur32.dll|ole32.dll) ;;
        api-ms-win-crt-*.dll|ucrtbase.dll) ;;
        *) echo "FAIL: imports $d, which is not a Windows system DLL" >&2; bad=1 ;;
        esac
    done
    exit $bad
    ;;
*) echo "usage: check-dll.sh exports|imports <objdump> <dll>" >&2; exit 2 ;;
esac
