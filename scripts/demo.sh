#!/usr/bin/env bash
# scripts/demo.sh: a directory lookup against the sample directory, served by
# a private slapd on 127.0.0.1 that this script starts and stops again.
#
# PLACEHOLDER: the real demo is a lookup through ldapab itself (the ldapab
# command, which loads the MAPI provider); until that command exists this
# script does the same lookup with OpenLDAP's ldapsearch.
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
who=${1:-Mary Johnson}

for tool in /usr/sbin/slapd ldapsearch openssl python3; do
    command -v "$tool" >/dev/null || { echo "demo.sh: $tool is missing; scripts/test.sh installs it" >&2; exit 1; }
done

rundir=$(mktemp -d /tmp/ldapab-demo.XXXXXX)
cleanup() {
    "$src/tests/slapd/slapd-ctl" stop "$rundir" >/dev/null || true
    rm -rf "$rundir"
}
trap cleanup EXIT

"$src/tests/slapd/slapd-ctl" start "$rundir" --bulk 0 >/dev/null
# shellcheck disable=SC1091
. "$rundir/slapd.env"

echo "Sample directory served by slapd on $LDAPAB_TEST_URI (pid $LDAPAB_TEST_PID)."
echo "Placeholder until the ldapab command exists: looking up \"$who\" with ldapsearch."
echo

# RFC 4515 escaping, so names such as "Jo (Consultant)" work.
filter=$(python3 -c '
import sys
print("(cn=%s)" % "".join("\\%02x" % ord(c) if c in "*()\\\0" else c for c in sys.argv[1]))' "$who")
# -LLL plain LDIF; non-ASCII values arrive base64-encoded and are decoded here.
# Anonymous read (the sample directory allows it), so no password is on a command line.
LDAPCONF=/dev/null ldapsearch -x -LLL -o ldif-wrap=no -H "$LDAPAB_TEST_URI" \
    -b "$LDAPAB_TEST_BASE" "$filter" \
    displayName title ou l physicalDeliveryOfficeName telephoneNumber mobile mail manager |
python3 -c '
import base64, sys
found = False
for line in sys.stdin:
    line = line.rstrip("\n")
    if "::" in line:
        k, v = line.split(":: ", 1)
        line = "%s: %s" % (k, base64.b64decode(v).decode("utf-8"))
    found = found or line.startswith("dn:")
    print(line)
if not found:
    print("(no entry named %r)" % sys.argv[1])
    sys.exit(1)' "$who"
