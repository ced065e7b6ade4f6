#!/usr/bin/env python3
"""build_opt_levels.py <build dir> [--jobs N]

The library sources (provider/, ldapbridge/, host/, common/) compile without a warning
(-Werror as configured) at every optimisation level with gcc and clang: gcc's
flow-sensitive warnings (-Wmaybe-uninitialized and friends) change with the
level, and the Debug build (-O0) and the sanitizer builds each see only one
of them.  Each source is compiled as compile_commands.json says, with the
compiler and -O level swapped and no sanitizer, output discarded.

Prints every failing compile (compiler, level, file, first lines of output);
exit 1 if any failed.
"""
import concurrent.futures
import json
import os
import re
import shlex
import shutil
import subprocess
import sys

# clang's warnings come from its front end and do not change with the level
# (its -O0 build is scripts/test.sh's clang build); one optimised run suffices.
LEVELS = {"gcc": ["-O1", "-O2", "-O3", "-Os", "-Og"], "clang": ["-O2"]}
DIRS = ("provider", "ldapbridge", "host", "common")


def commands(build, root):
    with open(os.path.join(build, "compile_commands.json"), encoding="utf-8") as f:
        entries = json.load(f)
    seen = {}
    for e in entries:
        path = os.path.normpath(os.path.join(e["directory"], e["file"]))
        rel = os.path.relpath(path, root)
        if rel.split(os.sep)[0] not in DIRS or path in seen:
            continue
        args = e.get("arguments") or shlex.split(e["command"])
        seen[path] = (e["directory"], args)
    return seen


def variant(args, compiler, level):
    out, skip = [compiler], False
    for a in args[1:]:
        if skip:
            skip = False
            continue
        if a == "-o":
            skip = True
            continue
        if re.fullmatch(r"-O[0-3sgz]?|-Ofast", a) or a.startswith("-fsanitize") or \
                a.startswith("-fno-sanitize"):
            continue
        out.append(a)
    return out + [level, "-o", os.devnull]


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    build = os.path.abspath(sys.argv[1])
    jobs = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[2] == "--jobs" else 2
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    sources = commands(build, root)
    if not sources:
        print("build_opt_levels: no library sources in compile_commands.json")
        return 1
    jobs_list = []
    for compiler, levels in LEVELS.items():
        if shutil.which(compiler) is None:
            print(f"build_opt_levels: {compiler} is not installed")
            return 1
        for level in levels:
            for path, (cwd, args) in sorted(sources.items()):
                jobs_list.append((compiler, level, path, cwd, variant(args, compiler, level)))

    def run(job):
        compiler, level, path, cwd, argv = job
        p = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
        return job, p.returncode, p.stdout

    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for (compiler, level, path, _, _), rc, out in pool.map(run, jobs_list):
            if rc != 0:
                failed += 1
                rel = os.path.relpath(path, root)
                print(f"{compiler} {level} {rel}: failed")
                print("\n".join(out.splitlines()[:8]))
    print(f"build_opt_levels: {len(jobs_list)} compiles of {len(sources)} sources, "
          f"{failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
