#!/bin/sh
# run-cc.sh COMPILER ARGS... - run a compiler as a test: a compile error
# (a failed _Static_assert) fails the test, and so does a missing compiler,
# loudly, because a skipped ABI check proves nothing.
cc=$1
shift
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "ERROR: compiler '$cc' not found." >&2
    case $cc in
    *mingw32*) echo "Install gcc-mingw-w64-i686 and gcc-mingw-w64-x86-64 (scripts/test.sh does)." >&2 ;;
    esac
    exit 1
fi
echo "+ $cc $*"
exec "$cc" "$@"
