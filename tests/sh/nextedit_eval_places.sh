#!/usr/bin/env bash
# nextedit_eval_places.sh - `tacit eval --next-edits`: each line's change is
# its own place, also where the commit re-indents the code around it or
# deletes the lines after it. Commit 1 moves tap tests into a mocha
# describe (every line re-indented, so a diff that counts white space
# makes one hunk of two tests) and changes `t.equal` to
# `assert.strictEqual` on three lines of one callback body; commit 2
# changes the same call on three lines of another file where the last one
# is followed by deleted lines that end like it (`3)`). Each is one
# repeated edit of three places; replaying the first finds the other two,
# and the offers are right.
. "$(dirname "$0")/cli_lib.sh"
cli_isolate
cli_repo "$tmp/repo"
cat > "$r/a.js" <<'JS'
const { test } = require('tap')
const make = require('./make')

test('one', async (t) => {
  t.plan(3)
  const a = make(1)
  t.equal(a.x, 1)
  const b = make(2)
  t.equal(b.x, 2)
  const c = make(3)
  t.equal(c.x, 3)
})

test('two', async (t) => {
  const d = make(4, (e) => {
    e.end(3)
  })

  t.ok(d)
})
JS
cat > "$r/b.js" <<'JS'
function check (u, v, w) {
  u.equal(v.x, 1)
  u.equal(w.x, 2)
  u.equal(w.y, 3)
  u.plan(3)
  u.end(3)
}
JS
g add . && g commit -qm base
cat > "$r/a.js" <<'JS'
const { describe, it } = require('mocha')
const assert = require('assert')
const make = require('./make')

describe('make', function () {
  it('one', async function () {
    const a = make(1)
    assert.strictEqual(a.x, 1)
    const b = make(2)
    assert.strictEqual(b.x, 2)
    const c = make(3)
    assert.strictEqual(c.x, 3)
  })

  it('two', async function () {
    const d = make(4, (e) => {
      e.end(3)
    })

    assert.ok(d)
  })
})
JS
g commit -qam mocha
sed -i 's/u\.equal(/u.strictEqual(/; /u.plan\|u.end/d' "$r/b.js"
sed -i 's/^  u\.equal(/  u.strictEqual(/' "$r/b.js"
g commit -qam strict
[ "$(grep -c 'u.strictEqual(' "$r/b.js")" = 3 ] && [ "$(wc -l < "$r/b.js")" = 5 ] ||
    fail "the test repository is not what it should be: $(cat "$r/b.js")"

out=$("$bin" eval --next-edits --history 5 --root "$r" --json) || fail "eval --next-edits failed"
j() { printf '%s' "$out" | python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
[ "$(j 'd["repeatedEdits"]')" = 2 ] || fail "two repeated edits: $out"
[ "$(j 'd["places"]')" = 6 ] || fail "three places each: $out"
[ "$(j 'd["found"]')" = 4 ] && [ "$(j 'd["otherPlaces"]')" = 4 ] || fail "recall 4 of 4: $out"
[ "$(j 'd["suggested"]')" = 4 ] && [ "$(j 'd["correct"]')" = 4 ] || fail "four offers, all right: $out"
echo "ok: eval --next-edits: one place per changed line in a re-indented body and before deleted lines"
