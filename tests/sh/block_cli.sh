#!/usr/bin/env bash
# block_cli.sh - multi-line suggestions through the real binary: `tacit
# complete` prints every line of a block copied from a repeated switch arm
# (indentation rebased), --json keeps the line breaks, `tacit explain`
# names the block step and its source; mid-line, one line only.
set -u
cd "$(dirname "$0")/../.."
bin=${TACIT_TEST_BIN:-build/dbg/tacit}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
ws=$tmp/ws
mkdir -p "$ws/.git"
export TACIT_CACHE_DIR=$tmp/cache XDG_CONFIG_HOME=$tmp/xdg
unset TACIT_BACKEND TACIT_CONFIG TACIT_DEADLINE_MS
for i in 0 1 2 3; do
    printf '#include "vm.h"\n\nint step%s(struct vm *vm, int op)\n{\n    int lhs, rhs;\n    switch (op) {\n    case OP_ADD:\n        lhs = pop(vm);\n        rhs = pop(vm);\n        push(vm, lhs + rhs);\n        vm->pc++;\n        break;\n    default:\n        return -1;\n    }\n    return 0;\n}\n' "$i" >"$ws/vm$i.c"
done
# the file being edited: tabs, and the arm's last lines still to write
printf '#include "vm.h"\n\nint run(struct vm *vm, int op)\n{\n\tint lhs, rhs;\n\tswitch (op) {\n\tcase OP_ADD:\n\t\tlhs = pop(vm);\n\t\t\n\tdefault:\n\t\treturn -1;\n\t}\n\treturn 0;\n}\n' >"$ws/run.c"
out=$(timeout 30 "$bin" complete "$ws/run.c:9:3" --root "$ws" --backend none) || fail "complete exited $?"
want=$(printf 'rhs = pop(vm);\n\t\tpush(vm, lhs + rhs);\n\t\tvm->pc++;\n\t\tbreak;')
[ "$out" = "$want" ] || fail "complete gave '$out', want '$want'"
out=$(timeout 30 "$bin" complete "$ws/run.c:9:3" --root "$ws" --backend none --json) || fail "complete --json exited $?"
printf '%s' "$out" | grep -qF '"text":"rhs = pop(vm);\n\t\tpush(vm, lhs + rhs);\n\t\tvm->pc++;\n\t\tbreak;"' ||
    fail "complete --json gave $out"
out=$(timeout 30 "$bin" explain "$ws/run.c:9:3" --root "$ws" --backend none 2>&1) || fail "explain exited $?"
printf '%s' "$out" | grep -q '^  3 more lines copied from vm[0-3].c:9$' || fail "explain lacks the block: $out"
out=$(timeout 30 "$bin" explain "$ws/run.c:9:3" --root "$ws" --backend none --json 2>&1) || fail "explain --json exited $?"
printf '%s' "$out" | python3 -c 'import json,sys; b=json.load(sys.stdin)["block"]; assert b["lines"]==3 and b["context"]==3, b' ||
    fail "explain --json lacks the block: $out"
# mid-line (text right of the cursor): one line
out=$(timeout 30 "$bin" complete "$ws/run.c:8:9" --root "$ws" --backend none) || fail "complete mid-line exited $?"
[ "$(printf '%s' "$out" | wc -l)" -eq 0 ] || fail "mid-line gave several lines: '$out'"
echo "block_cli: ok"
