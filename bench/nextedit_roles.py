#!/usr/bin/env python3
"""Which uses of a name a commit renamed, by syntactic role (BENCHMARKS.md,
"Renames at some uses: what the commits changed").

  python3 bench/nextedit_roles.py REPO COMMIT OLD NEW [--cpp]

Each use of OLD on a line of the parent's files (TypeScript under src/,
or with --cpp the C and C++ files the commit touched) gets a role from
the text around it, line by line (a heuristic: a parameter's or
property's type annotation, a function type's result, a return type, a
variable's type, `new`/`instanceof`, an import; C++: `OLD::member`, a
type before a name, a call); a use counts as changed when the commit's
diff replaced that line with lines holding NEW. Prints per role: changed
of all.
"""
import difflib
import re
import subprocess
import sys
from collections import Counter


def git(repo, *a):
    return subprocess.run(("git",) + a, cwd=repo, capture_output=True, text=True).stdout


def role_ts(line, m):
    pre, post = line[: m.start()], line[m.end() :]
    s = pre.strip()
    if s.startswith(("import", "export {")):
        return "import"
    if s.startswith(("*", "//")):
        return "comment"
    if re.search(r"\b(new|instanceof)\s*$", pre):
        return "value (new, instanceof)"
    targ = re.match(r"\s*<([^<>]*)>", post)
    ta = "any" if targ and targ.group(1) == "any" else "other"
    if re.search(r"\b(let|const|var)\s+\w+\s*:\s*[^=]*$", pre):
        return "a variable's type"
    if re.search(r"\)\s*:\s*[^()=]*$", pre) and "=>" not in pre[pre.rfind(")") :]:
        return "return type"
    if re.search(r"=>\s*$", pre):
        return "a function type's result <%s>" % ta
    if re.search(r"\w\??\s*:\s*[\w\s|&<>,\[\]]*$", pre):
        return "a parameter's or property's type <%s>" % ta
    if re.search(r"<[^>]*$", pre):
        return "type argument"
    return "other"


def role_cpp(line, m, old):
    pre, post = line[: m.start()], line[m.end() :]
    if pre.strip().startswith(("//", "*")):
        return "comment"
    mm = re.match(r"::\s*(~?\w+)", post)
    if mm:
        return "%s::constructor" % old if mm.group(1) == old else "%s::member" % old
    if re.search(r"(class|struct)\s*$", pre):
        return "class declaration"
    if re.match(r"\s*\(", post):
        return "call or constructor"
    if re.match(r"\s*[&*]?\s*\w", post):
        return "a parameter's or variable's type"
    return "other"


def main():
    if len(sys.argv) < 5:
        sys.exit("usage: nextedit_roles.py REPO COMMIT OLD NEW [--cpp]")
    repo, commit, old, new = sys.argv[1:5]
    cpp = "--cpp" in sys.argv[5:]
    touched = set(git(repo, "diff", "--name-only", commit + "^", commit).split())
    if cpp:
        files = [f for f in touched if f.endswith((".h", ".hh", ".hpp", ".cc", ".cpp", ".c"))]
    else:
        files = [f for f in git(repo, "ls-tree", "-r", "--name-only", commit + "^").split()
                 if f.startswith("src/") and f.endswith(".ts")]
    tot, chg = Counter(), Counter()
    use = re.compile(r"(?<![\w.>])%s\b" % re.escape(old) if cpp else r"\b%s\b" % re.escape(old))
    for f in files:
        a = git(repo, "show", "%s^:%s" % (commit, f)).split("\n")
        b = git(repo, "show", "%s:%s" % (commit, f)).split("\n") if f in touched else a
        changed = set()
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if tag != "equal" and re.search(r"\b%s\b" % re.escape(new), "\n".join(b[j1:j2])):
                changed.update(range(i1, i2))
        for i, line in enumerate(a):
            for m in use.finditer(line):
                r = role_cpp(line, m, old) if cpp else role_ts(line, m)
                tot[r] += 1
                chg[r] += i in changed
    for r in sorted(tot, key=lambda r: -tot[r]):
        print("%-44s %4d of %4d changed" % (r, chg[r], tot[r]))


if __name__ == "__main__":
    main()
