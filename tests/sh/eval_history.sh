#!/usr/bin/env bash
# eval_history.sh - `tacit eval --history N` on a repository built here
# commit by commit (known added lines, so the cases are exact): the case
# count and ids, buffers cut at the cursor with nothing after it that had
# not been typed yet, each workspace the parent's tree (saved roots equal
# `git archive PARENT`; the replay, a fresh engine per commit and the saved
# cases run with --cases answer alike), the user's checkout, index and .git
# untouched (and TACIT_HISTORY_CHECK=1: after every move the workspace and
# its index are the parent tree, file for file), --since, errors; and
# `--cases` with 50 roots, each case answered from
# its own root.
. "$(dirname "$0")/cli_lib.sh"
mnt=
cleanup() { [ -n "$mnt" ] && umount "$mnt" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
cli_isolate
export TMPDIR=$tmp/t
export TACIT_HISTORY_CHECK=1 # every move: the workspace and its index are the parent tree
mkdir -p "$TMPDIR"
cli_repo "$tmp/repo"
# 1: the base
printf 'int add(int a, int b)\n{\n    return a + b;\n}\n' > "$r/a.c"
printf 'int mul(int a, int b)\n{\n    return a * b;\n}\n' > "$r/b.c"
printf 'notes\n' > "$r/README"
g add . && g commit -qm base
# 2: a.c: line 3 replaced by two lines, and a function added at the end
printf 'int add(int a, int b)\n{\n    int s = a + b;\n    return s;\n}\n\nint sub(int a, int b)\n{\n    return a - b;\n}\n' > "$r/a.c"
printf 'more notes\n' > "$r/README"
g commit -qam two
c2=$(g rev-parse HEAD)
# a merge (no cases) on the way
g checkout -qb side && printf 'int neg(int a)\n{\n    return -a;\n}\n' > "$r/c.c" && g add c.c && g commit -qm side
g checkout -q - && g merge -q --no-edit side
# 3: b.c gets a line in the middle; c.c (new here via the merge) is modified too
printf 'int mul(int a, int b)\n{\n    int p = a * b;\n    return a * b;\n}\n' > "$r/b.c"
printf 'int neg(int a)\n{\n    return 0 - a;\n}\n' > "$r/c.c"
g commit -qam three
c3=$(g rev-parse HEAD)
p3=$(g rev-parse HEAD~1)
# the user's uncommitted work: must stay exactly as it is
printf 'int wip;\n' >> "$r/a.c"
printf 'scratch\n' > "$r/untracked.c"
g add untracked.c
snap() { (cd "$r" && find .git -printf '%P %s %T@ %m\n' | sort; git --no-optional-locks status --porcelain; git worktree list); }
snap > "$tmp/before"

out=$("$bin" eval --history 10 --root "$r" --threshold 0 --save-cases "$tmp/cases.jsonl" --out "$tmp/p1.jsonl" 2>"$tmp/err") ||
    fail "eval --history: $(cat "$tmp/err")"
snap > "$tmp/after"
diff "$tmp/before" "$tmp/after" >&2 || fail "the replay touched the user's repository"
printf '%s\n' "$out" | grep -q "^8 cases from 3 commits of" || fail "case count: $out"
ls "$tmp/t" | grep -q . && fail "the private folder was left behind: $(ls "$tmp/t")"

# The cases, exactly (python3: one JSON object per line).
python3 - "$tmp/cases.jsonl" "$c2" "$c3" "$p3" <<'EOF' || fail "cases differ"
import json, sys
cases = [json.loads(l) for l in open(sys.argv[1])]
c2, c3, p3 = sys.argv[2], sys.argv[3], sys.argv[4]
got = [(c["id"], c["path"], c["expected"]) for c in cases]
want = [(c2[:12] + ":1", "a.c", "int s = a + b;"), (c2[:12] + ":2", "a.c", "return s;"),
        (c2[:12] + ":3", "a.c", "}"), (c2[:12] + ":4", "a.c", "int sub(int a, int b)"),
        (c2[:12] + ":5", "a.c", "{"), (c2[:12] + ":6", "a.c", "return a - b;"),
        (c3[:12] + ":1", "b.c", "int p = a * b;"), (c3[:12] + ":2", "c.c", "return 0 - a;")]
# the side commit's c.c is an added file (no cases); the merge gives none
assert got[:6] == want[:6], got
assert got[-2:] == want[-2:], got
assert all(c["kind"] == "history" for c in cases)
by = {c["id"]: c for c in cases}
# cut at the cursor, after the indentation; after the cursor only what had
# been typed: the line's end, then the parent's text after the hunk
c = by[c2[:12] + ":2"]
assert c["prefix"] == "int add(int a, int b)\n{\n    int s = a + b;\n    ", c
assert c["suffix"] == "\n}\n", c
c = by[c2[:12] + ":6"]
assert c["prefix"].endswith("int sub(int a, int b)\n{\n    "), c
assert c["suffix"] == "\n}\n", c
c = by[c3[:12] + ":1"]
assert c["prefix"] == "int mul(int a, int b)\n{\n    " and c["suffix"] == "\n    return a * b;\n}\n", c
c = by[c3[:12] + ":2"]
assert c["prefix"] == "int neg(int a)\n{\n    " and c["suffix"] == "\n}\n", c
assert c["root"] == "cases.jsonl.roots/" + p3, c
EOF
# Each saved root is the parent's tree, file for file.
mkdir -p "$tmp/arch"
git -C "$r" archive "$p3" | tar -x -C "$tmp/arch"
diff -r "$tmp/arch" "$tmp/cases.jsonl.roots/$p3" >&2 || fail "saved root differs from the parent's tree"
# The same answers from a fresh engine per commit, and from the saved cases.
"$bin" eval --history 10 --root "$r" --threshold 0 --rebuild --out "$tmp/p2.jsonl" -q >/dev/null 2>&1 ||
    fail "eval --history --rebuild"
(cd "$tmp" && "$bin" eval --cases cases.jsonl --threshold 0 --out "$tmp/p3.jsonl" -q >/dev/null 2>&1) ||
    fail "eval --cases on the saved history cases"
sugg() { python3 -c 'import json,sys; [print(json.loads(l)["id"], json.dumps(json.loads(l)["suggestion"])) for l in open(sys.argv[1])]' "$1"; }
[ "$(sugg "$tmp/p1.jsonl")" = "$(sugg "$tmp/p2.jsonl")" ] || fail "updated and rebuilt engines answer differently"
[ "$(sugg "$tmp/p1.jsonl")" = "$(sugg "$tmp/p3.jsonl")" ] || fail "the saved cases answer differently"
# --since: only the commits after it
out=$("$bin" eval --history 10 --since "$c2" --root "$r" -q 2>&1) || fail "--since: $out"
printf '%s\n' "$out" | grep -q "^2 cases from" || fail "--since: $out"
# errors: not a repository, an unknown revision, flags without --history
mkdir -p "$tmp/plain"
out=$("$bin" eval --history 3 --root "$tmp/plain" 2>&1) && fail "a folder outside git was accepted"
printf '%s\n' "$out" | grep -q "is not in a git repository" || fail "no repository: $out"
out=$("$bin" eval --history 3 --root "$r" --since nosuchrev 2>&1) && fail "unknown --since accepted"
printf '%s\n' "$out" | grep -q "unknown revision 'nosuchrev'" || fail "--since nosuchrev: $out"
printf '%s\n' "$out" | grep -q "Sanitizer" && fail "--since nosuchrev: $out"
git clone -q --depth 1 "file://$r" "$tmp/shallow" 2>/dev/null
out=$("$bin" eval --history 3 --root "$tmp/shallow" 2>&1) && fail "a shallow clone was accepted"
printf '%s\n' "$out" | grep -q "is a shallow clone" || fail "shallow: $out"
printf '%s\n' "$out" | grep -q "Sanitizer" && fail "shallow: $out"
"$bin" eval --mask 3 --since HEAD >/dev/null 2>&1; [ $? -eq 2 ] || fail "--since without --history"

# --cases with 50 roots (one workspace open at a time): each case answered
# from its own root's code.
: > "$tmp/many.jsonl"
for k in $(seq 1 50); do
    d=$tmp/roots/r$k
    mkdir -p "$d"
    for j in 1 2 3; do
        printf 'void f%d(void)\n{\n    int v = compute_%d(alpha, beta_%d);\n}\n' "$j" "$k" "$k" > "$d/lib$j.c"
    done
    printf '{"id":"%d","path":"main.c","prefix":"void g(void)\\n{\\n    int v = ","suffix":"\\n}\\n","expected":"compute_%d(alpha, beta_%d);","root":"roots/r%d"}\n' \
        "$k" "$k" "$k" "$k" >> "$tmp/many.jsonl"
done
out=$("$bin" eval --cases "$tmp/many.jsonl" --threshold 0 --out "$tmp/many.out" 2>&1) || fail "50 roots: $out"
printf '%s\n' "$out" | grep -qE "^full +all +50 +100.0%" || fail "50 roots: $out"

# A file rewritten in place with the same size in the same second as the
# index read it is still seen: on a file system that keeps whole seconds
# (ext4 with 128-byte inodes), when this machine lets root loop-mount one.
unit=$(dirname "$bin")/unit
if [ "$(id -u)" = 0 ] && [ -x "$unit" ] && command -v mkfs.ext4 >/dev/null &&
    truncate -s 16M "$tmp/coarse.img" && mkfs.ext4 -q -I 128 "$tmp/coarse.img" >/dev/null 2>&1 &&
    mkdir -p "$tmp/coarse" && mount -o loop "$tmp/coarse.img" "$tmp/coarse" 2>/dev/null; then
    mnt=$tmp/coarse
    out=$(TACIT_TEST_COARSE_DIR=$mnt "$unit" eval_history_index_sees_same_tick_rewrites 2>&1 | tail -1)
    [ "$out" = "unit: 1 passed, 0 failed" ] || fail "same-second rewrites on a 1-second file system: $out"
    echo "eval_history: same-second rewrites checked on a 1-second file system"
else
    echo "eval_history: no loop mount here; same-second rewrites checked by the unit test only"
fi
echo "eval_history: ok"
