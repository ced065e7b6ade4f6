#!/usr/bin/env python3
"""cgrep.py REGEX FILE...: grep for C code, blind to comments.

Comments are blanked out (newlines kept, so line numbers stay right) before
REGEX (Python syntax) is matched line by line; string and character
literals are kept, since L"..." is one of the things the lint looks for.
Prints FILE:LINE: original text for every match; exit 0 if any, 1 if none.
"""
import re
import sys


def strip_comments(text):
    out = []
    i, n = 0, len(text)
    state = "code"
    while i < n:
        c = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        if state == "code":
            if c == "/" and nxt == "*":
                state = "block"; out.append("  "); i += 2; continue
            if c == "/" and nxt == "/":
                state = "line"; out.append("  "); i += 2; continue
            if c in "\"'":
                state = c
            out.append(c)
        elif state == "block":
            if c == "*" and nxt == "/":
                state = "code"; out.append("  "); i += 2; continue
            out.append("\n" if c == "\n" else " ")
        elif state == "line":
            if c == "\n":
                state = "code"; out.append(c)
            elif c == "\\" and nxt == "\n":
                out.append(" \n"); i += 2; continue
            else:
                out.append(" ")
        else:  # inside a string or character literal; state is its quote
            if c == "\\" and nxt:
                out.append(c + nxt); i += 2; continue
            if c == state or c == "\n":
                state = "code"
            out.append(c)
        i += 1
    return "".join(out)


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: cgrep.py REGEX FILE...")
    pattern = re.compile(sys.argv[1])
    found = False
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8", errors="replace") as f:
            original = f.read()
        code_lines = strip_comments(original).split("\n")
        for no, (code, line) in enumerate(zip(code_lines, original.split("\n")), 1):
            if pattern.search(code):
                print("%s:%d: %s" % (path, no, line.strip()))
                found = True
    sys.exit(0 if found else 1)


if __name__ == "__main__":
    try:
        main()
    except OSError as e:
        print("cgrep.py: %s" % e, file=sys.stderr)
        sys.exit(2)
