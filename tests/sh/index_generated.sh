#!/usr/bin/env bash
# index_generated.sh - a build's output through the real binary: `tacit
# index --stats` counts a source-mapped file as generated (and a file
# someone wrote, the same but for that comment, as indexed); `tacit
# complete` in the source never offers the built copy's stale line.
set -u
cd "$(dirname "$0")/../.."
bin=${TACIT_TEST_BIN:-build/dbg/tacit}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
ws=$tmp/ws
mkdir -p "$ws/.git" "$ws/src" "$ws/dist"
export TACIT_CACHE_DIR=$tmp/cache XDG_CONFIG_HOME=$tmp/xdg
unset TACIT_BACKEND TACIT_CONFIG TACIT_DEADLINE_MS
printf 'export function prepare(a: number): number {\n  return a + 1;\n}\n' >"$ws/src/util.ts"
printf 'import { prepare } from "./util";\n\nexport function op(a: number): number {\n  const x = prepare(a);\n  \n}\n' >"$ws/src/op.ts"
built() { # the build's copy of op.ts, from before the source was edited; $1 ends it
    printf '"use strict";\nexports.op = void 0;\nfunction op(a) {\n  const x = prepare(a);\n  return finishStaleBuild(x, 1);\n}\nexports.op = op;\n%s' "$1" >"$ws/dist/op.js"
}
generated() { "$bin" index --stats "$ws" 2>&1 | awk '$1 == "generated" { print $2 }'; }

built $'//# sourceMappingURL=op.js.map\n'
[ "$(generated)" = 1 ] || fail "a source-mapped dist/op.js is not counted as generated: $("$bin" index --stats "$ws" 2>&1)"
out=$(timeout 30 "$bin" complete "$ws/src/op.ts:5:3" --root "$ws" --backend none) || fail "complete exited $?"
case $out in *finishStaleBuild*) fail "complete copied the built file: '$out'" ;; esac
# the same file without the comment is code someone wrote: indexed again
built ''
[ "$(generated)" = 0 ] || fail "dist/op.js without a source map comment still counts as generated"
echo "index_generated: ok"
