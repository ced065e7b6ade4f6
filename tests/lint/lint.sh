#!/usr/bin/env bash
# lint.sh <check> <source root>: the layering and hygiene rules of HACKING.md.
# Prints every offending line as file:line: text and exits 1 if there is one.
#   provider-no-ldap     nothing under provider/ includes <ldap.h> or <lber.h>
#   bridge-no-mapi       nothing under ldapbridge/ includes a MAPI header
#   host-no-provider-internals
#                        host/ includes nothing from provider/ except
#                        provider/include/ (the provider's public headers)
#   no-wchar             no wchar_t and no L"..." literals in provider/,
#                        ldapbridge/, host/ (WCHAR is uint16_t, see HACKING.md)
#   no-thread-local      no _Thread_local (or thread_local) in what the
#                        Windows build compiles: provider/, common/, host/,
#                        ldapbridge/wldap/ (plat_tls instead, see thread.h)
set -euo pipefail
(( $# == 2 )) || { echo "usage: lint.sh <check> <source root>" >&2; exit 2; }
check=$1
root=$(cd "$2" && pwd)

# C sources and headers under the given top-level folders (those that exist).
sources() {
    local d
    for d in "$@"; do
        [[ -d $root/$d ]] && find "$root/$d" -type f \( -name '*.c' -o -name '*.h' \) -print0
    done
    return 0
}

# Python REGEX over the sources of the given folders, comments ignored
# (a comment may well say "never wchar_t"); prints hits.
scan() {
    local pattern=$1; shift
    local files=() rc=0
    mapfile -d '' files < <(sources "$@")
    (( ${#files[@]} )) || return 0
    python3 "$here/cgrep.py" "$pattern" "${files[@]}" || rc=$?
    (( rc <= 1 )) || { echo "lint.sh: cgrep.py failed ($rc)" >&2; exit 2; }
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
inc='^\s*#\s*include\s*[<"]'
case $check in
    provider-no-ldap)
        hits=$(scan "${inc}(ldap|lber|ldap_[a-z_]+)\.h[>\"]" provider)
        what="provider/ must reach LDAP only through <ldapbridge/lb.h>" ;;
    bridge-no-mapi)
        hits=$(scan "${inc}([^>\"]*/)?(mapi/[^>\"]*|(mapidefs|mapicode|mapitags|mapiguid|mapispi|mapix|mapiutil|mapival)\.h)[>\"]" ldapbridge)
        what="ldapbridge/ is plain C: no MAPI headers" ;;
    host-no-provider-internals)
        # Any include naming provider/ outside provider/include/, or naming a
        # provider-internal header (by file name) that is not a host header
        # of the same name (host/ has its own props.h, say).
        internal=$( [[ -d $root/provider ]] &&
            find "$root/provider" -path "$root/provider/include" -prune -o -type f -name '*.h' -printf '%f\n' |
            sort -u | sed 's/[.]/[.]/g' | paste -sd '|' || true)
        pattern="${inc}[^>\"]*provider/"
        [[ -n $internal ]] && pattern="${inc}([^>\"]*provider/|([^>\"]*/)?($internal)[>\"])"
        hits=""
        while IFS= read -r hit; do
            [[ -n $hit ]] || continue
            file=${hit%%:*}
            name=$(sed -E 's/^[^:]*:[0-9]+: *#[[:space:]]*include[[:space:]]*[<"]([^>"]*)[>"].*/\1/' <<<"$hit")
            if [[ $name == *provider/* ]]; then
                [[ $name == *provider/include/* ]] && continue
            elif [[ -e $(dirname "$file")/$name || -e $root/host/include/$name ]]; then
                continue   # a host header that shares a provider header's name
            fi
            hits+=$hit$'\n'
        done <<<"$(scan "$pattern" host)"
        hits=${hits%$'\n'}
        what="host/ reaches the provider only through ABProviderInit and provider/include/" ;;
    no-wchar)
        # ldapbridge/wldap/ and the Windows-only *_win32.c sources are exempt:
        # they call Windows' UTF-16 API, whose strings are wchar_t (16 bits
        # there) by definition; no MAPI string passes through them.
        hits=$(scan '(^|[^A-Za-z0-9_])(wchar_t|L"|L'"'"')' provider ldapbridge host |
               grep -Ev '^[^:]*(/ldapbridge/wldap/|_win32\.c:)' || true)
        what="WCHAR is uint16_t: never wchar_t or L\"\" literals" ;;
    no-thread-local)
        hits=$(scan '(^|[^A-Za-z0-9_])(_Thread_local|thread_local|__thread)([^A-Za-z0-9_]|$)' \
               provider common host ldapbridge/wldap)
        what="no _Thread_local: mingw emulates it with an allocation that aborts on failure; use plat_tls (thread.h)" ;;
    *) echo "lint.sh: unknown check $check" >&2; exit 2 ;;
esac

if [[ -n $hits ]]; then
    echo "lint $check: $what" >&2
    printf '%s\n' "${hits//$root\//}" >&2
    exit 1
fi
echo "lint $check: clean"
