#!/usr/bin/env bash
# scripts/demo.sh [NAME...]: directory lookups through the ldapab command
# (which loads the MAPI provider exactly as MAPI does), against the sample
# directory served by a private slapd on 127.0.0.1 that this script starts
# and stops again, also when interrupted.
#
# Without arguments: resolve a name, an ambiguous name with its candidates,
# a person's details and a group's members.  With arguments: each NAME is
# resolved and, when it names one entry, shown in full.
#
# On Debian as root it installs what is missing (like scripts/test.sh),
# builds the command in build-demo/ (LDAPAB_DEMO_BUILD_DIR to change) and
# runs it.
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${LDAPAB_DEMO_BUILD_DIR:-$src/build-demo}

packages=(cmake pkg-config gcc make libldap-dev libgnutls28-dev slapd ldap-utils
          openssl python3 libsasl2-modules)

missing=()
for p in "${packages[@]}"; do
    if [[ $(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true) != installed ]]; then
        missing+=("$p")
    fi
done
if (( ${#missing[@]} )); then
    (( EUID == 0 )) || { echo "demo.sh: missing packages (${missing[*]}); run as root to install them" >&2; exit 1; }
    echo "demo.sh: installing ${missing[*]}"
    # The slapd package must not start the system slapd: policy-rc.d's 101
    # means "action forbidden" to invoke-rc.d.
    created_policy=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        created_policy=1
    fi
    export DEBIAN_FRONTEND=noninteractive
    rc=0
    { apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; } || rc=$?
    (( created_policy )) && rm -f /usr/sbin/policy-rc.d
    (( rc == 0 )) || { echo "demo.sh: installing packages failed" >&2; exit 1; }
fi

mkdir -p "$build"
log=$build/demo-build.log
echo "demo.sh: building the ldapab command in $build"
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DLDAPAB_TESTS=OFF \
      -DLDAPAB_BENCH=OFF >"$log" 2>&1 ||
    { cat "$log" >&2; echo "demo.sh: cmake failed" >&2; exit 1; }
cmake --build "$build" --target ldapab_cli -j"$(nproc)" >>"$log" 2>&1 ||
    { tail -n 40 "$log" >&2; echo "demo.sh: the build failed" >&2; exit 1; }
ldapab=$build/host/cli/ldapab

rundir=$(mktemp -d /tmp/ldapab-demo.XXXXXX)
cleanup() {
    "$src/tests/slapd/slapd-ctl" stop "$rundir" >/dev/null 2>&1 || true
    rm -rf "$rundir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$src/tests/slapd/slapd-ctl" start "$rundir" --bulk 0 >/dev/null
# shellcheck disable=SC1091
. "$rundir/slapd.env"

# The configuration the command reads (ldapab.conf(5)): the reader account's
# password sits in a file only its owner can read.
umask 077
printf '%s\n' "$LDAPAB_TEST_BIND_PW" >"$rundir/password"
cat >"$rundir/ldapab.conf" <<EOF
[directory]
uri = $LDAPAB_TEST_URI
base = $LDAPAB_TEST_BASE
name = Example Corp

[bind]
dn = $LDAPAB_TEST_BIND_DN
password_file = $rundir/password

[tls]
mode = starttls
ca_file = $LDAPAB_TEST_CA
EOF
export LDAPAB_CONFIG=$rundir/ldapab.conf
export COLUMNS=${COLUMNS:-$(tput cols 2>/dev/null || echo 100)}

# "$ ldapab resolve 'Mary Johnson'": the command as one would type it.
show_cmd() {
    local a line='$ ldapab'
    for a in "$@"; do
        if [[ $a == *[[:space:]]* ]]; then line+=" '$a'"; else line+=" $a"; fi
    done
    echo "$line"
}

run() {
    echo
    show_cmd "$@"
    local rc=0
    "$ldapab" "$@" || rc=$?
    echo "(exit status $rc)"
}

echo "Sample directory served by slapd on $LDAPAB_TEST_URI (pid $LDAPAB_TEST_PID),"
echo "read through the ldapab provider with a StartTLS simple bind as the reader account."
if (( $# == 0 )); then
    run resolve "Mary Johnson"
    run resolve Chris
    run show "Søren Ødegård"
    run members "Leadership Team"
else
    for name in "$@"; do
        rc=0
        echo
        show_cmd resolve "$name"
        "$ldapab" resolve "$name" || rc=$?
        echo "(exit status $rc)"
        if (( rc == 0 )); then
            run show "$name"
        fi
    done
fi
