#!/usr/bin/env bash
# bench_cli.sh - a whole `ldapab search` process against a whole `ldapsearch`
# process doing the same search with the same bind, side by side in one run.
#
#   tests/bench/bench_cli.sh [--build DIR] [--runs N] [--query TEXT]
#
# Target: ldapab <= 1.5x ldapsearch (completion as you type: aerc waits
# 250 ms by default).  What an ldapab process does: start, read its
# configuration, load the provider module, ServiceEntry CREATE and
# CONFIGURE, Logon, bind, read the hierarchy, search (PR_ANR on the
# contents table), print, log off.  ldapsearch sends the filter the
# provider's PR_ANR builds (people and groups, each word a prefix of a
# name, given name, surname, mail or uid attribute) for the same
# attributes.
#
# Two scenarios: anonymous over plain ldap://, and a simple bind as the
# reader account over StartTLS (certificate checked) - each tool binds the
# same way.  The two commands run alternately, N times each (hyperfine runs
# one command's batch after the other's, which a shared machine's changing
# load skews).  DIR: a build without sanitizers (default
# $LDAPAB_BUILD_DIR, else <source>/build-bench-cli, configured Release and
# built here when it has no ldapab).  Exit status: 0 target met, 1 missed,
# 2 a measurement failed.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRCDIR=$(cd "$HERE/../.." && pwd)
build=${LDAPAB_BUILD_DIR:-$SRCDIR/build-bench-cli}
runs=60
query=mary
TARGET=1.5

die() { echo "bench_cli.sh: $*" >&2; exit 2; }
while (( $# )); do
    case $1 in
        --build) build=${2:?}; shift 2 ;;
        --runs) [[ ${2-} =~ ^[0-9]+$ ]] || die "--runs needs a number"; runs=$2; shift 2 ;;
        --query) query=${2:?}; shift 2 ;;
        -h|--help) sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument $1 (see --help)" ;;
    esac
done
[[ $query =~ ^[A-Za-z0-9]+$ ]] || die "--query: one word of letters and digits"

ldapab=$build/host/cli/ldapab
if [[ ! -x $ldapab ]]; then
    echo "bench_cli.sh: building ldapab (Release) in $build"
    cmake -S "$SRCDIR" -B "$build" -DCMAKE_BUILD_TYPE=Release -DLDAPAB_SANITIZE=OFF \
          -DLDAPAB_TESTS=OFF -DLDAPAB_BENCH=OFF >/dev/null || die "cmake failed"
    cmake --build "$build" --target ldapab_cli -j"$(nproc)" >/dev/null || die "build failed"
fi
command -v ldapsearch >/dev/null || die "ldapsearch is missing (ldap-utils)"

run=$(mktemp -d /tmp/ldapab-bench-cli.XXXXXX)
cleanup() {
    "$SRCDIR/tests/slapd/slapd-ctl" stop "$run/slapd" >/dev/null 2>&1 || true
    rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$SRCDIR/tests/slapd/slapd-ctl" start "$run/slapd" --bulk 0 >/dev/null || die "slapd did not start"
# shellcheck disable=SC1091
. "$run/slapd/slapd.env"

umask 077
printf '%s\n' "$LDAPAB_TEST_BIND_PW" >"$run/pw-ldapab"     # first line is the password
printf '%s' "$LDAPAB_TEST_BIND_PW" >"$run/pw-ldapsearch"   # -y takes the whole file
cat >"$run/anon.conf" <<EOF
[directory]
uri = $LDAPAB_TEST_URI
base = $LDAPAB_TEST_BASE
EOF
cat >"$run/bind.conf" <<EOF
[directory]
uri = $LDAPAB_TEST_URI
base = $LDAPAB_TEST_BASE
[bind]
dn = $LDAPAB_TEST_BIND_DN
password_file = $run/pw-ldapab
[tls]
mode = starttls
ca_file = $LDAPAB_TEST_CA
EOF

q=$query
filter="(&(|(objectClass=inetOrgPerson)(objectClass=groupOfNames))(|(displayName=$q*)(cn=$q*)(givenName=$q*)(sn=$q*)(mail=$q*)(uid=$q*)))"
attrs="displayName cn mail objectClass title departmentNumber o physicalDeliveryOfficeName telephoneNumber mobile uid givenName sn l entryUUID"
export LDAPCONF=/dev/null LDAPTLS_CACERT=$LDAPAB_TEST_CA
ours_anon="env LDAPAB_CONFIG=$run/anon.conf $ldapab -f aerc search $q"
ours_bind="env LDAPAB_CONFIG=$run/bind.conf $ldapab -f aerc search $q"
theirs_anon="ldapsearch -x -LLL -H $LDAPAB_TEST_URI -b $LDAPAB_TEST_BASE $filter $attrs"
theirs_bind="ldapsearch -x -LLL -ZZ -H $LDAPAB_TEST_URI -D $LDAPAB_TEST_BIND_DN -y $run/pw-ldapsearch -b $LDAPAB_TEST_BASE $filter $attrs"

# Same answers first: the entries ldapab lists are the ones ldapsearch finds.
for s in anon bind; do
    ours=ours_$s theirs=theirs_$s
    # shellcheck disable=SC2086
    n_ours=$(${!ours/-f aerc/-f json} | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])') ||
        die "ldapab failed ($s)"
    # shellcheck disable=SC2086
    n_theirs=$(${!theirs} | grep -c '^dn:') || die "ldapsearch failed ($s)"
    [[ $n_ours == "$n_theirs" ]] || die "$s: ldapab found $n_ours entries, ldapsearch $n_theirs"
done
echo "bench_cli.sh: \"$q\" finds $n_ours entries with either tool; $runs runs each"

# measure <ours> <theirs>: "mean median mean median" in ms.  The two
# commands alternate run by run (after 5 warm-up runs each), so a machine
# that gets busier or quieter during the run weighs on both alike.
measure() {
    python3 - "$runs" "$1" "$2" <<'PY'
import shlex, statistics, subprocess, sys, time
runs = int(sys.argv[1])
cmds = [shlex.split(c) for c in sys.argv[2:]]
times = [[], []]
for _ in range(5):
    for argv in cmds:
        subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
for _ in range(runs):
    for k, argv in enumerate(cmds):
        t0 = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
        times[k].append((time.perf_counter() - t0) * 1000)
print(" ".join("%.2f %.2f" % (statistics.mean(t), statistics.median(t)) for t in times))
PY
}

status=0
printf '\n| scenario | ldapab search: mean / median | ldapsearch: mean / median | ratio (median) | target |\n'
printf '| --- | --- | --- | --- | --- |\n'
for s in anon bind; do
    ours=ours_$s theirs=theirs_$s
    read -r om omed tm tmed <<<"$(measure "${!ours}" "${!theirs}")"
    ratio=$(python3 -c "print('%.2f' % ($omed / $tmed))")
    ok=$(python3 -c "print('met' if $omed / $tmed <= $TARGET else 'MISSED')")
    [[ $ok == met ]] || status=1
    label=$([[ $s == anon ]] && echo "anonymous, ldap://" || echo "simple bind, StartTLS")
    printf '| %s | %s / %s ms | %s / %s ms | %sx | <= %sx %s |\n' "$label" "$om" "$omed" "$tm" "$tmed" \
        "$ratio" "$TARGET" "$ok"
done
exit $status
