#!/usr/bin/env bash
# run-fuzzers.sh - build the libFuzzer targets with clang (+ASan+UBSan) and
# run each for a bounded time (one process at a time, or -p N at once).  Not part of ctest
# (ctest replays the checked-in corpora); run it by hand or in a nightly job.
#
#   tests/fuzz/run-fuzzers.sh [-t SECONDS] [-b BUILD_DIR] [-p N] [-m] [TARGET...]
#     -t  seconds per target (default 180)
#     -b  build directory (default <repo>/build-fuzz)
#     -p  run N targets at the same time (default 1); each one's log goes to
#         <build>/fuzz-logs/<target>.log and its final stats are printed
#     -m  afterwards merge new coverage-increasing inputs into the checked-in
#         corpus (tests/fuzz/corpus/<target>/), minimised with -merge=1
#     TARGET: entryid props config dn restrict entry table conffile
#             (default: all)
#
# Inputs libFuzzer finds go to <build>/fuzz-work/<target>/ (never into the
# source tree unless -m); crashes to <build>/fuzz-artifacts/<target>-crash-*.
# Exit status: 0 if no target crashed, 1 otherwise (every target still runs).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
secs=180
build="$repo/build-fuzz"
merge=0
par=1
while getopts "t:b:p:m" opt; do
	case $opt in
	t) secs=$OPTARG ;;
	b) build=$OPTARG ;;
	p) par=$OPTARG ;;
	m) merge=1 ;;
	*) sed -n '2,21p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(entryid props config dn restrict entry table conffile)
case $secs in '' | *[!0-9]*) echo "run-fuzzers: -t needs a number of seconds" >&2; exit 2 ;; esac
case $par in '' | *[!0-9]* | 0) echo "run-fuzzers: -p needs a positive number" >&2; exit 2 ;; esac

# Inputs far beyond any real value only slow the search down.
max_len() {
	case $1 in
	entryid) echo 3200 ;;   # ABP_EID_MAX is 3100
	config) echo 4096 ;;
	conffile) echo 8192 ;;
	entry) echo 16384 ;;  # room for values past ABP_PROP_STR_MAX's cuts
	restrict | table) echo 2048 ;;
	*) echo 1024 ;;
	esac
}

command -v clang >/dev/null || { echo "run-fuzzers: clang is needed (libFuzzer)" >&2; exit 2; }
CC=clang cmake -S "$repo" -B "$build" -DLDAPAB_FUZZ=ON -DLDAPAB_SANITIZE=ON >/dev/null
bins=()
for t in "${targets[@]}"; do bins+=("ldapab_fuzz_$t"); done
cmake --build "$build" -j2 --target "${bins[@]}"

# One target: fuzz, then (with -m) merge.  Returns non-zero on a crash.
run_one() {
	local t=$1 bin="$build/tests/fuzz/ldapab_fuzz_$1" work="$build/fuzz-work/$1"
	local arts="$build/fuzz-artifacts"
	mkdir -p "$work" "$arts"
	echo "== $t: ${secs}s"
	# Working corpus first (new inputs are written there), seeds second.
	if ! UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	     ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	     "$bin" -max_total_time="$secs" -max_len="$(max_len "$t")" -timeout=10 \
	            -rss_limit_mb=2048 -print_final_stats=1 \
	            -artifact_prefix="$arts/$t-" "$work" "$here/corpus/$t"; then
		echo "!! $t: crash or property failure, see $arts/$t-*" >&2
		return 1
	fi
	if [ "$merge" = 1 ]; then
		"$bin" -merge=1 -max_len="$(max_len "$t")" "$here/corpus/$t" "$work"
	fi
}

fail=0
if [ "$par" = 1 ]; then
	for t in "${targets[@]}"; do
		run_one "$t" || fail=1
	done
	exit $fail
fi
logs="$build/fuzz-logs"
mkdir -p "$logs"
for t in "${targets[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$par" ]; do
		wait -n || true
	done
	rm -f "$logs/$t.failed"
	{ run_one "$t" || touch "$logs/$t.failed"; } >"$logs/$t.log" 2>&1 &
done
wait
for t in "${targets[@]}"; do
	if [ -e "$logs/$t.failed" ]; then
		fail=1
		echo "!! $t: crash or property failure, see $logs/$t.log" >&2
	fi
	echo "== $t: $(grep -E '^stat::(number_of_executed_units|new_units_added)' \
		"$logs/$t.log" | tr '\n' ' ')"
done
exit $fail
