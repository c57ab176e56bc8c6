#!/usr/bin/env python3
"""Lists the C++ functions longer than a screen (default 40 lines, the
opening line to the closing brace) under the given folders; exits 1 if
there is one. Braces in strings, characters and comments are skipped;
a lambda or a local class counts toward the function around it."""
import argparse
import pathlib
import re
import sys

CONTROL = re.compile(r"\b(if|for|while|switch|catch|do|else|try)\b\s*(\(|\{|$)")
TYPE = re.compile(r"\b(namespace|class|struct|union|enum)\b[^()]*$|extern\s+\"C\"")


def code_only(text):
    """The text with strings, characters and comments blanked, lines kept."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith('R"', i):
            m = re.match(r'R"([^(]*)\(', text[i:])
            end = text.find(")" + m.group(1) + '"', i) if m else -1
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c in "\"'" and not (c == "'" and i > 0 and text[i - 1].isalnum()):
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(" " * (j + 1 - i))
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def functions(path):
    text = code_only(path.read_text())
    stack, header, line = [], "", 1
    for c in text:
        if c == "\n":
            line += 1
        if c == "{":
            parent = stack[-1][0] if stack else "scope"
            head = header.strip()
            if parent in ("function", "inner"):
                kind = "inner"
            elif TYPE.search(head):
                kind = "scope"
            elif ")" in head and not CONTROL.search(head):
                kind = "function"
            else:
                kind = "other"
            stack.append((kind, line, head))
            header = ""
        elif c == "}":
            if stack:
                kind, start, head = stack.pop()
                if kind == "function":
                    name = re.sub(r"\s+", " ", head.split("(")[0]).split(" ")[-1]
                    yield name, start, line
            header = ""
        elif c == ";":
            header = ""
        else:
            header += c


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=40)
    parser.add_argument("folders", nargs="+")
    args = parser.parse_args()
    found = []
    for folder in args.folders:
        for path in sorted(pathlib.Path(folder).rglob("*")):
            if path.suffix in (".cpp", ".hpp") and "fixtures" not in path.parts:
                for name, start, end in functions(path):
                    if end - start + 1 > args.lines:
                        found.append((end - start + 1, f"{path}:{start}", name))
    for length, where, name in sorted(found, reverse=True):
        print(f"{length:4} {where} {name}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
