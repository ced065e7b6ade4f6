#!/usr/bin/env bash
# selftest.sh <lint.sh>: each lint check passes on a clean tree and fails on a
# tree with exactly its violation (a lint that never fires proves nothing).
set -euo pipefail
lint=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

clean_tree() {
    rm -rf "$tmp/t"
    mkdir -p "$tmp/t/provider/include/mapi" "$tmp/t/provider/include/ldapab" "$tmp/t/ldapbridge/include/ldapbridge" "$tmp/t/host"
    printf '#include <mapi/mapidefs.h>\n#include <ldapbridge/lb.h>\n' >"$tmp/t/provider/logon.c"
    printf '#pragma once\n' >"$tmp/t/provider/abp_internal.h"
    printf '#include <ldap.h>\n#include "lb_internal.h"\n' >"$tmp/t/ldapbridge/conn.c"
    printf '#include <mapi/mapix.h>\n#include <ldapab/profile.h>\n/* WCHAR text */\n' >"$tmp/t/host/loader.c"
}

expect() {  # expect <pass|fail> <check> <description>
    if bash "$lint" "$2" "$tmp/t" >/dev/null 2>&1; then got=pass; else got=fail; fi
    if [[ $got != "$1" ]]; then
        echo "selftest: $2 should $1 on a tree with $3, but it did not" >&2
        fail=1
    fi
}

for c in provider-no-ldap bridge-no-mapi host-no-provider-internals no-wchar no-thread-local; do
    clean_tree; expect pass $c "no violation"
done
clean_tree; echo '#include <lber.h>' >>"$tmp/t/provider/logon.c"; expect fail provider-no-ldap "<lber.h> in provider/"
clean_tree; echo ' #  include "ldap.h"' >"$tmp/t/provider/x.h"; expect fail provider-no-ldap '"ldap.h" in provider/'
clean_tree; echo '#include <mapi/mapitags.h>' >>"$tmp/t/ldapbridge/conn.c"; expect fail bridge-no-mapi "mapi/ in ldapbridge/"
clean_tree; echo '#include "../../provider/include/mapi/mapidefs.h"' >>"$tmp/t/ldapbridge/conn.c"; expect fail bridge-no-mapi "a relative MAPI path"
clean_tree; echo '#include "abp_internal.h"' >>"$tmp/t/host/loader.c"; expect fail host-no-provider-internals "a provider-internal header by name"
clean_tree; echo '#include "../provider/logon.h"' >>"$tmp/t/host/loader.c"; expect fail host-no-provider-internals "a provider/ path outside include/"
clean_tree; mkdir -p "$tmp/t/host/include/ldapab_host"; : >"$tmp/t/host/include/ldapab_host/abp_internal.h"; echo '#include "ldapab_host/abp_internal.h"' >>"$tmp/t/host/loader.c"; expect pass host-no-provider-internals "a host header sharing a provider header's name"
clean_tree; echo '#include "../provider/include/ldapab/profile.h"' >>"$tmp/t/host/loader.c"; expect pass host-no-provider-internals "only provider/include/"
clean_tree; echo 'static const wchar_t *s;' >>"$tmp/t/host/loader.c"; expect fail no-wchar "wchar_t in host/"
clean_tree; printf '/* never wchar_t */\n// nor L"x"\n' >>"$tmp/t/host/loader.c"; expect pass no-wchar "wchar_t only in comments"
clean_tree; echo 'static const char *s = "/*"; wchar_t w; /* */' >>"$tmp/t/host/loader.c"; expect fail no-wchar 'wchar_t after a "/*" string'
clean_tree; echo 'x = L"text";' >>"$tmp/t/provider/logon.c"; expect fail no-wchar 'an L"" literal'
clean_tree; mkdir -p "$tmp/t/host/cli"; echo 'static const wchar_t *s = L"x";' >"$tmp/t/host/cli/osdep_win32.c"; expect pass no-wchar "a Windows-only *_win32.c source"
clean_tree; mkdir -p "$tmp/t/host/cli"; echo 'static const wchar_t *s;' >"$tmp/t/host/cli/win32_names.c"; expect fail no-wchar "a name merely containing win32"
clean_tree; echo 'x = URL"text"; y = SQL_NULL;' >>"$tmp/t/provider/logon.c"; expect pass no-wchar "identifiers that merely end in L"
clean_tree; echo 'static _Thread_local int n;' >>"$tmp/t/provider/logon.c"; expect fail no-thread-local "_Thread_local in provider/"
clean_tree; mkdir -p "$tmp/t/ldapbridge/wldap"; echo 'static thread_local int n;' >"$tmp/t/ldapbridge/wldap/wl_conn.c"; expect fail no-thread-local "thread_local in ldapbridge/wldap/"
clean_tree; echo '_Thread_local bool lb__x;' >>"$tmp/t/ldapbridge/conn.c"; expect pass no-thread-local "the libldap backend (Linux only)"
clean_tree; echo '/* not _Thread_local: see thread.h */ static int my_Thread_local_count;' >>"$tmp/t/provider/logon.c"; expect pass no-thread-local "a comment and an identifier containing the word"

(( fail )) || echo "selftest: every lint check fires on its violation and only there"
exit $fail
