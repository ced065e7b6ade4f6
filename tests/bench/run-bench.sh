#!/usr/bin/env bash
# run-bench.sh - the benchmarks against raw libldap, across directory sizes.
#
#   tests/bench/run-bench.sh [--build DIR] [--quick] [--sizes "1000 10000 100000"]
#                            [--rtt-ms MS]
#
# For every size N it starts a private slapd of its own with N generated
# people (tests/slapd/slapd-ctl start <dir> --bulk N --no-tls, loopback
# only), runs ldapab-bench against it, stops it, and finally prints a table
# of every size side by side plus the targets:
#   - ldapbridge <= 1.05x raw libldap for lookups       (per size, by the program)
#   - pipelined >= 5x sequential with the added RTT      (per size, by the program)
#   - VLV browse memory independent of N                 (across sizes, here:
#     spread of the browse's VmHWM <= 10% of the smallest)
# and, when tests/bench/ldapab-bench-tables is built, the address book's
# contents table against raw VLV requests (bench_tables.c):
#   - each further window <= 2x the raw context-reusing request (the program)
#   - one-row scrolling >= 10x fewer server requests than rows (the program)
#   - browse memory independent of N (here, as above)
# and, when tests/bench/ldapab-bench-resolve is built, ResolveNames of 1 and
# of 100 names against raw libldap sending the same searches
# (bench_resolve.c):
#   - ResolveNames <= 1.10x raw (the program)
# and, when tests/bench/ldapab-bench-load is built, for N = 10000 (the
# directory the load target names): 200 logons in one process, each on its
# own thread doing 50 mixed lookups, then logging off (bench_load.c):
#   - no error, no leak (host blocks, descriptors) (the program)
#   - an idle logon <= 64 KiB beyond libldap's own connection (the program)
#
# DIR is the CMake build directory holding tests/bench/ldapab-bench (default
# $LDAPAB_BUILD_DIR, else <source>/build); build it with
#   cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DLDAPAB_SANITIZE=OFF
#   cmake --build build --target ldapab-bench
# (timings from a sanitizer build mean little).  Logs and run directories
# go to DIR/tests/bench/run/.  Every slapd started here is stopped on exit,
# by pid.  Exit status: 0 all measured and every target met, 1 a target
# missed, 2 a measurement or a server start failed.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRCDIR=$(cd "$HERE/../.." && pwd)
SLAPD_CTL=$SRCDIR/tests/slapd/slapd-ctl
BENCH_TIMEOUT=900          # seconds one ldapab-bench run may take at most
RSS_SPREAD_PCT=10

build=${LDAPAB_BUILD_DIR:-$SRCDIR/build}
sizes="1000 10000 100000"
rtt=5
extra=()

die() { echo "run-bench.sh: $*" >&2; exit 2; }
usage() {
    sed -n '3,5p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

while (( $# )); do
    case $1 in
        --build) [[ -n ${2-} ]] || usage; build=$2; shift 2 ;;
        --quick) extra+=(--quick); shift ;;
        --sizes) [[ -n ${2-} ]] || usage; sizes=$2; shift 2 ;;
        --rtt-ms) [[ ${2-} =~ ^[0-9]+([.][0-9]+)?$ ]] || usage; rtt=$2; shift 2 ;;
        -h|--help) usage ;;
        *) usage ;;
    esac
done
for n in $sizes; do
    [[ $n =~ ^[0-9]+$ ]] && (( n >= 200 && n <= 1000000 )) ||
        die "sizes must be numbers from 200 to 1000000 (got '$n')"
done

bin=$build/tests/bench/ldapab-bench
[[ -x $bin ]] || die "no $bin: configure $build with -DLDAPAB_BENCH=ON and build the target ldapab-bench"
tables_bin=$build/tests/bench/ldapab-bench-tables
[[ -x $tables_bin ]] || tables_bin=""
resolve_bin=$build/tests/bench/ldapab-bench-resolve
[[ -x $resolve_bin ]] || resolve_bin=""
load_bin=$build/tests/bench/ldapab-bench-load
[[ -x $load_bin ]] || load_bin=""
work=$(mkdir -p "$build/tests/bench/run" && cd "$build/tests/bench/run" && pwd -P)
all=$work/all.log
: >"$all"

# Keep libldap away from /etc/ldap/ldap.conf and ~/.ldaprc, as slapd-ctl does.
export LDAPCONF=/dev/null LDAPRC=.ldapab-no-ldaprc

started=()
cleanup() {
    local d
    for d in "${started[@]}"; do
        bash "$SLAPD_CTL" stop "$d" >/dev/null 2>&1 || true
    done
}
trap cleanup EXIT

status=0
echo "run-bench.sh: sizes: $sizes; added round trip: $rtt ms (half held each way); logs: $work"
for n in $sizes; do
    rundir=$work/n$n
    echo
    echo "=================================================================="
    echo "N = $n: loading and starting slapd ($rundir)"
    t0=$(date +%s%N)
    if ! bash "$SLAPD_CTL" start "$rundir" --bulk "$n" --no-tls >"$work/start-n$n.log" 2>&1; then
        cat "$work/start-n$n.log" >&2
        die "slapd-ctl start failed for N=$n"
    fi
    started+=("$rundir")
    t1=$(date +%s%N)
    load=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
    echo "slapd ready after ${load} s (generate + slapadd + start)"
    echo "BENCH name=slapd_start n=$n seconds=$load" | tee -a "$all"
    if ! timeout "$BENCH_TIMEOUT" "$bin" --rundir "$rundir" --rtt-ms "$rtt" "${extra[@]}" \
            2>&1 | tee "$work/bench-n$n.log"; then
        echo "run-bench.sh: ldapab-bench failed or timed out for N=$n" >&2
        status=2
    fi
    grep -E '^(BENCH|TARGET) ' "$work/bench-n$n.log" >>"$all" || true
    if [[ -n $tables_bin ]]; then
        if ! timeout "$BENCH_TIMEOUT" "$tables_bin" --rundir "$rundir" "${extra[@]}" \
                2>&1 | tee "$work/tables-n$n.log"; then
            echo "run-bench.sh: ldapab-bench-tables failed or timed out for N=$n" >&2
            status=2
        fi
        grep -E '^(BENCH|TARGET) ' "$work/tables-n$n.log" >>"$all" || true
    fi
    if [[ -n $resolve_bin ]]; then
        if ! timeout "$BENCH_TIMEOUT" "$resolve_bin" --rundir "$rundir" "${extra[@]}" \
                2>&1 | tee "$work/resolve-n$n.log"; then
            echo "run-bench.sh: ldapab-bench-resolve failed or timed out for N=$n" >&2
            status=2
        fi
        grep -E '^(BENCH|TARGET) ' "$work/resolve-n$n.log" >>"$all" || true
    fi
    if [[ -n $load_bin && $n == 10000 ]]; then
        if ! timeout "$BENCH_TIMEOUT" "$load_bin" --rundir "$rundir" "${extra[@]}" \
                >"$work/load-n$n.log" 2>&1; then
            echo "run-bench.sh: ldapab-bench-load failed or timed out for N=$n" >&2
            status=2
        fi
        # The provider's warnings (a busy server's VLV fallback) stay in the log.
        grep -v '^ldapab: warning: ' "$work/load-n$n.log" || true
        grep -E '^(BENCH|TARGET) ' "$work/load-n$n.log" >>"$all" || true
    fi
    bash "$SLAPD_CTL" stop "$rundir" >/dev/null
done

# value NAME N KEY: field KEY of the BENCH line NAME for size N ("-" if none).
value() {
    awk -v nm="$1" -v n="$2" -v k="$3" '
        $1 == "BENCH" {
            name = ""; nn = ""; v = ""
            for (i = 2; i <= NF; i++) {
                split($i, a, "=")
                if (a[1] == "name") name = a[2]
                else if (a[1] == "n") nn = a[2]
                else if (a[1] == k) v = a[2]
            }
            if (name == nm && nn == n && v != "") { print v; found = 1; exit }
        }
        END { if (!found) print "-" }' "$all"
}

# row LABEL NAME KEY [KEY2]: one table row, "k1 / k2" when KEY2 is given.
row() {
    local label=$1 name=$2 k1=$3 k2=${4-} n cell
    printf '%-40s' "$label"
    for n in $sizes; do
        cell=$(value "$name" "$n" "$k1")
        [[ -n $k2 ]] && cell="$cell / $(value "$name" "$n" "$k2")"
        printf ' %20s' "$cell"
    done
    printf '\n'
}

tag="rtt$(printf '%g' "$rtt")ms"
echo
echo "=================================================================="
echo "Summary (ldapbridge / raw libldap; times in ms; medians unless noted)"
printf '%-40s' ""
for n in $sizes; do printf ' %20s' "N=$n"; done
printf '\n'
row "slapd start incl. load (s)"             slapd_start seconds
row "1. ANR lookup, median"                  anr_single lb_ms raw_ms
row "   ANR lookup, p95"                     anr_single lb_p95_ms raw_p95_ms
row "   ratio lb/raw (median)"               anr_single ratio
row "2. 100 sequential, loopback"            lookups100_seq_loopback lb_ms raw_ms
row "   100 pipelined, loopback"             lookups100_pipelined_loopback lb_ms raw_ms
row "   speed-up seq/pipe, loopback"         speedup_loopback lb raw
row "   100 sequential, +${rtt} ms RTT"      "lookups100_seq_$tag" lb_ms raw_ms
row "   100 pipelined, +${rtt} ms RTT"       "lookups100_pipelined_$tag" lb_ms raw_ms
row "   speed-up seq/pipe, +${rtt} ms RTT"   "speedup_$tag" lb raw
row "   measured added RTT (raw)"            added_rtt raw_ms
row "3. VLV 50 rows mid, first window"       vlv_first lb_ms raw_ms
row "   VLV next window (context reused)"    vlv_next lb_ms raw_ms
row "   VLV next window p95"                 vlv_next lb_p95_ms raw_p95_ms
row "4. paged read, whole base"              paged_read lb_ms raw_ms
row "   ratio lb/raw"                        paged_read ratio
row "5. VLV browse VmHWM KiB"                vlv_browse_rss lb_hwm_kib raw_hwm_kib
row "   growth during browse KiB"            vlv_browse_rss lb_growth_kib raw_growth_kib
row "   browse of 200 windows"               vlv_browse_rss lb_ms raw_ms
if [[ -n $tables_bin ]]; then
    echo "Contents table (provider / raw VLV reusing its context; ms, medians)"
    row "6. first 50-row window (fresh table)"  tables_first_window prov_ms raw_ms
    row "   ratio"                              tables_first_window ratio
    row "   further: scrolling QueryRows(50)"   tables_scroll_window prov_ms raw_ms
    row "   ratio"                              tables_scroll_window ratio
    row "   further: SeekRowApprox jump"        tables_jump_window prov_ms raw_ms
    row "   ratio"                              tables_jump_window ratio
    row "   further: type-down FindRow + 50"    tables_typedown_window prov_ms raw_ms
    row "   ratio"                              tables_typedown_window ratio
    row "   200 one-row steps: requests"        tables_onerow requests
    row "   rows per request"                   tables_onerow fewer
    row "   browse VmHWM KiB (before)"          tables_browse_rss prov_hwm_kib prov_base_kib
fi
if [[ -n $resolve_bin ]]; then
    echo "ResolveNames (provider / raw libldap sending the same searches; ms, medians)"
    row "7. ResolveNames, 1 name"              resolve_1 prov_ms raw_ms
    row "   ratio"                              resolve_1 ratio
    row "   ResolveNames, 100 names"            resolve_100 prov_ms raw_ms
    row "   ratio"                              resolve_100 ratio
fi
if [[ -n $load_bin ]]; then
    echo "Load: logons on their own threads, mixed lookups (N=10000 only)"
    row "8. lookups per second"                 load ops_per_s
    row "   latency p50 / p99 (ms)"             load p50_ms p99_ms
    row "   peak RSS KiB"                       load peak_rss_kib
    row "   idle logon / libldap conn KiB"      load idle_logon_kib raw_conn_kib
    row "   beyond libldap KiB"                 load beyond_libldap_kib
    row "   errors / host blocks left"          load errors leaked_blocks
fi

echo
echo "Targets"
grep '^TARGET ' "$all" | sed 's/^TARGET /  /' || true
missed=0
grep -q '^TARGET .*result=MISS' "$all" && missed=1

# Memory independent of N: the browse's peak must not follow the directory.
hwms=()
emulated=0
for n in $sizes; do
    h=$(value vlv_browse_rss "$n" lb_hwm_kib)
    [[ $h =~ ^[0-9]+$ ]] && hwms+=("$h")
    [[ $(value vlv_browse_rss "$n" emulated) == 1 ]] && emulated=1
done
if (( ${#hwms[@]} >= 2 )); then
    read -r lo hi < <(printf '%s\n' "${hwms[@]}" | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo, hi }')
    spread=$(( hi - lo ))
    limit=$(( lo * RSS_SPREAD_PCT / 100 ))
    result=PASS
    (( spread <= limit && emulated == 0 )) || { result=MISS; missed=1; }
    echo "  name=vlv_browse_rss_independent_of_n sizes=\"$sizes\" lb_hwm_kib_min=$lo lb_hwm_kib_max=$hi spread_kib=$spread limit_kib=$limit emulated=$emulated result=$result"
    echo "TARGET name=vlv_browse_rss_independent_of_n spread_kib=$spread limit_kib=$limit result=$result" >>"$all"
else
    echo "  name=vlv_browse_rss_independent_of_n result=NOT-MEASURED (needs two sizes)"
fi

if [[ -n $tables_bin ]]; then
    hwms=()
    for n in $sizes; do
        h=$(value tables_browse_rss "$n" prov_hwm_kib)
        [[ $h =~ ^[0-9]+$ ]] && hwms+=("$h")
    done
    if (( ${#hwms[@]} >= 2 )); then
        read -r lo hi < <(printf '%s\n' "${hwms[@]}" | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo, hi }')
        spread=$(( hi - lo ))
        limit=$(( lo * RSS_SPREAD_PCT / 100 ))
        result=PASS
        (( spread <= limit )) || { result=MISS; missed=1; }
        echo "  name=tables_browse_rss_independent_of_n sizes=\"$sizes\" prov_hwm_kib_min=$lo prov_hwm_kib_max=$hi spread_kib=$spread limit_kib=$limit result=$result"
        echo "TARGET name=tables_browse_rss_independent_of_n spread_kib=$spread limit_kib=$limit result=$result" >>"$all"
    fi
fi

(( status == 0 && missed == 1 )) && status=1
echo
echo "run-bench.sh: $( ((status == 0)) && echo "all targets met" || { ((status == 1)) && echo "some targets MISSED" || echo "some measurements FAILED"; })"
exit "$status"
