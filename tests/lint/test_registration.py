#!/usr/bin/env python3
"""test_registration.py <source root> | --selftest

Tests that can vanish or cannot fail are caught here:

  conditional   no test is registered (add_test, add_subdirectory, include, a
                ldapab_/abp_/lbf_ registration helper) and no registration file
                returns early inside an if() that asks whether a file, command,
                target or test EXISTS / COMMAND / TARGET / TEST: such a test
                disappears silently when the condition turns false.  Required
                pieces are required: a missing one must stop the configure.
  no-tests      every ctest run in scripts/*.sh passes --no-tests=error, so a
                label that matches nothing (a build without that tier) fails
                instead of reporting "100% passed" over zero tests.
  skip          a cmocka test skips only through TEST_SKIP()
                (tests/include/ldapab_test/skip.h), its main() returns
                test_skip_exit(), and its tests are registered in the same
                folder with SKIP_RETURN_CODE (ldapab_skippable_test()), so a
                skip shows as skipped, never as passed.

Prints file:line: problem for each finding; exit 1 if any, 0 if none.
"""
import os
import re
import subprocess
import sys
import tempfile

GUARD = re.compile(r"\b(EXISTS|COMMAND|TARGET|TEST)\b")
REGISTER = re.compile(
    r"^\s*(add_test|add_subdirectory|include|return|ldapab_\w*test|abp_\w*test|lbf_test)\s*\(",
    re.IGNORECASE)
IF_OPEN = re.compile(r"^\s*(if|elseif)\s*\((.*)$", re.IGNORECASE)
ELSE = re.compile(r"^\s*else\s*\(", re.IGNORECASE)
ENDIF = re.compile(r"^\s*endif\s*\(", re.IGNORECASE)
FUNC_OPEN = re.compile(r"^\s*(function|macro)\s*\(", re.IGNORECASE)
FUNC_CLOSE = re.compile(r"^\s*(endfunction|endmacro)\s*\(", re.IGNORECASE)


def strip_cmake_comment(line):
    out, in_str = [], False
    for ch in line:
        if ch == '"':
            in_str = not in_str
        if ch == "#" and not in_str:
            break
        out.append(ch)
    return "".join(out)


def cmake_files(root):
    tests = os.path.join(root, "tests")
    for d, _, files in os.walk(tests):
        for f in sorted(files):
            if f == "CMakeLists.txt" or f.endswith(".cmake"):
                yield os.path.join(d, f)


def check_conditional(root):
    problems = []
    for path in cmake_files(root):
        stack = []          # one entry per open if(): does it guard by existence?
        in_function = 0
        pending = None      # an if( condition spread over several lines
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.readlines()
        for no, raw in enumerate(lines, 1):
            line = strip_cmake_comment(raw)
            if pending is not None:
                pending[1] += " " + line
                if line.count(")") >= line.count("(") and ")" in line:
                    stack[-1] = stack[-1] or bool(GUARD.search(pending[1]))
                    pending = None
                continue
            if FUNC_OPEN.match(line):
                in_function += 1
                continue
            if FUNC_CLOSE.match(line):
                in_function -= 1
                continue
            m = IF_OPEN.match(line)
            if m:
                guarded = bool(GUARD.search(m.group(2)))
                if m.group(1).lower() == "if":
                    stack.append(guarded)
                else:
                    stack[-1] = stack[-1] or guarded
                if m.group(2).count("(") >= m.group(2).count(")"):
                    pending = [no, m.group(2)]
                continue
            if ELSE.match(line):
                continue
            if ENDIF.match(line):
                if stack:
                    stack.pop()
                continue
            r = REGISTER.match(line)
            if not r or not any(stack):
                continue
            if r.group(1).lower() == "return" and in_function:
                continue    # a helper's early return is not a registration
            rel = os.path.relpath(path, root)
            problems.append(f"{rel}:{no}: {r.group(1)}() inside an if() on "
                            "EXISTS/COMMAND/TARGET/TEST: the test can vanish silently")
    return problems


def check_no_tests(root):
    problems = []
    scripts = os.path.join(root, "scripts")
    if not os.path.isdir(scripts):
        return problems
    for f in sorted(os.listdir(scripts)):
        if not f.endswith(".sh"):
            continue
        path = os.path.join(scripts, f)
        with open(path, encoding="utf-8", errors="replace") as fh:
            for no, line in enumerate(fh, 1):
                code = line.split("#", 1)[0]
                if re.search(r"(^|[\s;|&({])ctest\s", code) and \
                        "--no-tests=error" not in code:
                    problems.append(f"scripts/{f}:{no}: ctest without --no-tests=error")
    return problems


def strip_c_comments(text):
    return re.sub(r"/\*.*?\*/|//[^\n]*", lambda m: re.sub(r"[^\n]", " ", m.group(0)),
                  text, flags=re.S)


def check_skip(root):
    problems = []
    tests = os.path.join(root, "tests")
    for d, _, files in os.walk(tests):
        cmake_text = ""
        for f in files:
            if f == "CMakeLists.txt" or f.endswith(".cmake"):
                with open(os.path.join(d, f), encoding="utf-8", errors="replace") as fh:
                    cmake_text += fh.read()
        for f in sorted(files):
            if not f.endswith(".c"):
                continue
            path = os.path.join(d, f)
            rel = os.path.relpath(path, root)
            with open(path, encoding="utf-8", errors="replace") as fh:
                text = strip_c_comments(fh.read())
            for m in re.finditer(r"(?<![A-Za-z0-9_])skip\s*\(\s*\)", text):
                no = text.count("\n", 0, m.start()) + 1
                problems.append(f"{rel}:{no}: bare cmocka skip() counts as a pass: "
                                "use TEST_SKIP() (ldapab_test/skip.h)")
            if "TEST_SKIP(" not in text:
                continue
            if "test_skip_exit(" not in text:
                problems.append(f"{rel}: uses TEST_SKIP() but main() does not return "
                                "test_skip_exit()")
            if "SKIP_RETURN_CODE" not in cmake_text and \
                    "ldapab_skippable_test" not in cmake_text:
                problems.append(f"{rel}: uses TEST_SKIP() but its folder registers no "
                                "test with SKIP_RETURN_CODE (ldapab_skippable_test)")
    return problems


def run(root):
    problems = check_conditional(root) + check_no_tests(root) + check_skip(root)
    for p in problems:
        print(p)
    return 1 if problems else 0


def selftest():
    """Each rule passes on a clean tree and fires on exactly its violation."""
    clean = {
        "tests/CMakeLists.txt": "function(f)\n  if(NOT X)\n    return()\n  endif()\nendfunction()\n"
                                "add_subdirectory(a)\nif(TARGET x)\n  set(Y 1)\nendif()\n",
        "tests/a/CMakeLists.txt": "add_test(NAME t COMMAND t)\nldapab_skippable_test(t)\n",
        "tests/a/t.c": "int main(void) { if (0) TEST_SKIP(); return test_skip_exit(0); }\n"
                       "/* skip() in a comment is fine */\n",
        "scripts/test.sh": "ctest --test-dir b --no-tests=error -L valgrind\n",
    }
    bad = [
        ("tests/a/CMakeLists.txt", "if(EXISTS ${X}/t.c)\n  add_test(NAME u COMMAND u)\nendif()\n"),
        ("tests/a/CMakeLists.txt", "if(COMMAND ldapab_slapd_test\n   AND TARGET env)\n"
                                   "  ldapab_slapd_test(u)\nendif()\n"),
        ("tests/a/CMakeLists.txt", "if(NOT TARGET env)\n  return()\nendif()\n"),
        ("tests/CMakeLists.txt", "if(EXISTS b/CMakeLists.txt)\n  add_subdirectory(b)\nendif()\n"),
        ("tests/a/x.cmake", "if(X)\nelseif(TEST t)\n  include(y.cmake)\nendif()\n"),
        ("scripts/test.sh", "ctest --test-dir b -L valgrind\n"),
        ("tests/a/t.c", "void f(void) { skip(); }\n"),
        ("tests/a/u.c", "int main(void) { TEST_SKIP(); return 0; }\n"),
    ]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        def write(files, extra=None):
            subprocess.run(["rm", "-rf", os.path.join(tmp, "t")], check=True)
            for rel, text in files.items():
                p = os.path.join(tmp, "t", rel)
                os.makedirs(os.path.dirname(p), exist_ok=True)
                with open(p, "w", encoding="utf-8") as fh:
                    fh.write(text)
            if extra:
                rel, text = extra
                p = os.path.join(tmp, "t", rel)
                os.makedirs(os.path.dirname(p), exist_ok=True)
                with open(p, "a", encoding="utf-8") as fh:
                    fh.write(text)
        write(clean)
        with open(os.devnull, "w") as null:
            stdout = sys.stdout
            sys.stdout = null
            rc = run(os.path.join(tmp, "t"))
            sys.stdout = stdout
        if rc != 0:
            print("selftest: the clean tree was flagged")
            failures += 1
        for extra in bad:
            write(clean, extra)
            with open(os.devnull, "w") as null:
                stdout = sys.stdout
                sys.stdout = null
                rc = run(os.path.join(tmp, "t"))
                sys.stdout = stdout
            if rc == 0:
                print(f"selftest: not flagged: {extra[0]}: {extra[1]!r}")
                failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "--selftest":
        sys.exit(selftest())
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(run(os.path.abspath(sys.argv[1])))
