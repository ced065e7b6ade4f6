#!/usr/bin/env bash
# scripts/test.sh: the one test command (README.md).  On Debian 12 as root:
# installs what is missing, builds the tree with clang, builds it with gcc
# and the sanitizers and runs every test with ctest, then runs the
# integration flow under valgrind from a build without sanitizers, and the
# thread tests under ThreadSanitizer, then cross-builds ldapab.dll for
# 64- and 32-bit Windows and tests both (export/import tables, the flow
# under Wine).  Exits 0 only if every ctest run passed; the last line
# counts them all.
#   LDAPAB_BUILD_DIR   build directory (default: build-ci in the source tree);
#                      the clang, memcheck and ThreadSanitizer builds go
#                      beside it, in <dir>-clang, <dir>-valgrind, <dir>-tsan,
#                      and the Windows builds in <dir>-win64, <dir>-win32
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${LDAPAB_BUILD_DIR:-$src/build-ci}

packages=(cmake pkg-config gcc clang make libldap-dev libcmocka-dev libgnutls28-dev slapd ldap-utils
          gcc-mingw-w64-x86-64 gcc-mingw-w64-i686 gcc-mingw-w64-x86-64-win32 gcc-mingw-w64-i686-win32
          wine wine64 wine32:i386 valgrind openssl python3
          libsasl2-modules procps
          samba samba-ad-dc samba-ad-provision ldb-tools krb5-user libsasl2-modules-gssapi-mit)

missing=()
for p in "${packages[@]}"; do
    if [[ $(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true) != installed ]]; then
        missing+=("$p")
    fi
done

# slapd processes, read from /proc with builtins: procps (pgrep) may be one of
# the packages still missing, and a wrong answer here would stop a system
# slapd that was running before we came.
slapd_pids() {
    local d comm
    for d in /proc/[0-9]*; do
        read -r comm <"$d/comm" 2>/dev/null || continue
        if [[ $comm == slapd ]]; then echo "${d#/proc/}"; fi
    done | sort
    return 0
}

if (( ${#missing[@]} )); then
    (( EUID == 0 )) || { echo "test.sh: missing packages (${missing[*]}); run as root to install them" >&2; exit 1; }
    echo "test.sh: installing ${missing[*]}"
    # Keep the packages' maintainer scripts from starting the system slapd:
    # invoke-rc.d consults policy-rc.d, and 101 means "action forbidden".
    created_policy=0
    slapd_was_running=$(slapd_pids)
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        created_policy=1
    fi
    cleanup_policy() { (( created_policy )) && rm -f /usr/sbin/policy-rc.d; return 0; }
    trap cleanup_policy EXIT
    export DEBIAN_FRONTEND=noninteractive
    # wine32 (the 32-bit DLL's tests) is an i386 package.
    if [[ " ${missing[*]} " == *" wine32:i386 "* ]] && ! dpkg --print-foreign-architectures | grep -qx i386; then
        dpkg --add-architecture i386
    fi
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
    cleanup_policy
    trap - EXIT
    # Belt and braces: a system slapd that appeared during the install is ours to stop.
    for pid in $(slapd_pids); do
        if ! grep -qx "$pid" <<<"$slapd_was_running" &&
           tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- '/etc/ldap/slapd'; then
            echo "test.sh: stopping the system slapd ($pid) the install started"
            kill -TERM "$pid" 2>/dev/null || true
        fi
    done
fi

# gcc and clang must both build the whole tree without a warning (-Werror):
# clang builds everything once, gcc builds what the tests run.
CC=clang cmake -S "$src" -B "$build-clang" -DCMAKE_BUILD_TYPE=Debug
cmake --build "$build-clang" -j"$(nproc)"

cmake -S "$src" -B "$build" -DLDAPAB_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
cmake --build "$build" -j"$(nproc)"

# ctest's summary line, "NN% tests passed, F tests failed out of T": the counts.
counts() { sed -n 's/.*tests passed, \([0-9]*\) tests\{0,1\} failed out of \([0-9]*\).*/\1 \2/p' "$1" | tail -n 1; }

{ rc=0; ctest --test-dir "$build" --output-on-failure --no-tests=error || rc=$?; echo "$rc" >"$build/ctest.rc"; } 2>&1 |
    tee "$build/ctest.log"
status=$(cat "$build/ctest.rc")

# ASan and valgrind exclude each other: a second build without sanitizers runs
# the integration flow under memcheck (tests labelled valgrind).
vgbuild="$build-valgrind"
cmake -S "$src" -B "$vgbuild" -DLDAPAB_SANITIZE=OFF -DLDAPAB_VALGRIND=ON -DLDAPAB_BENCH=OFF \
      -DCMAKE_BUILD_TYPE=Debug
cmake --build "$vgbuild" -j"$(nproc)"
{ rc=0; ctest --test-dir "$vgbuild" --output-on-failure --no-tests=error -L valgrind || rc=$?; echo "$rc" >"$vgbuild/ctest.rc"; } 2>&1 |
    tee "$vgbuild/ctest.log"
vgstatus=$(cat "$vgbuild/ctest.rc")

# ThreadSanitizer excludes ASan too: a third build (-O1) runs the tests that
# run threads (Logoff from another thread, many threads on one logon or
# connection: the label threads); only their targets are built.
tsbuild="$build-tsan"
cmake -S "$src" -B "$tsbuild" -DLDAPAB_TSAN=ON -DLDAPAB_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug
cmake --build "$tsbuild" -j"$(nproc)" --target ldapab_thread_tests
{ rc=0; ctest --test-dir "$tsbuild" --output-on-failure --no-tests=error -L threads || rc=$?; echo "$rc" >"$tsbuild/ctest.rc"; } 2>&1 |
    tee "$tsbuild/ctest.log"
tsstatus=$(cat "$tsbuild/ctest.rc")

# The Windows DLLs (mingw-w64, warnings are errors), each in its own build
# directory: export and import tables, and the end-to-end flow under Wine
# against a slapd fixture of that build directory (tests/windows).
winstatus=0
winfailed=0
wintotal=0
for arch in x86_64:64 i686:32; do
    winbuild="$build-win${arch#*:}"
    cmake -S "$src" -B "$winbuild" --toolchain "$src/cmake/toolchain-${arch%%:*}-w64-mingw32.cmake" \
          -DCMAKE_BUILD_TYPE=Release
    cmake --build "$winbuild" -j"$(nproc)"
    { rc=0; ctest --test-dir "$winbuild" --output-on-failure --no-tests=error || rc=$?; echo "$rc" >"$winbuild/ctest.rc"; } 2>&1 |
        tee "$winbuild/ctest.log"
    (( $(cat "$winbuild/ctest.rc") == 0 )) || winstatus=1
    read -r wf wt <<<"$(counts "$winbuild/ctest.log")" || true
    winfailed=$(( winfailed + ${wf:-0} ))
    wintotal=$(( wintotal + ${wt:-0} ))
done

read -r f1 t1 <<<"$(counts "$build/ctest.log")" || true
read -r f2 t2 <<<"$(counts "$vgbuild/ctest.log")" || true
read -r f3 t3 <<<"$(counts "$tsbuild/ctest.log")" || true
failed=$(( ${f1:-0} + ${f2:-0} + ${f3:-0} + winfailed ))
total=$(( ${t1:-0} + ${t2:-0} + ${t3:-0} + wintotal ))

if (( status != 0 || vgstatus != 0 || tsstatus != 0 || winstatus != 0 )); then
    echo "test.sh: FAILED (sanitizer suite status $status, memcheck suite status $vgstatus, ThreadSanitizer suite status $tsstatus, Windows suites status $winstatus)" >&2
    echo "tests: $(( total - failed )) passed, $failed failed"
    exit 1
fi
echo "test.sh: all suites passed (sanitizer build $build, memcheck build $vgbuild, ThreadSanitizer build $tsbuild, Windows builds $build-win64 and $build-win32)"
echo "tests: $(( total - failed )) passed, $failed failed"
