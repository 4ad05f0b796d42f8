#!/usr/bin/env bash
# nextedit_eval.sh - `tacit eval --next-edits` on a repository built here:
# one commit adds an argument at three calls of log_msg (a repeated edit:
# replaying the first, the two others are offered and right), changes one
# call of other() (alone: not a repeated edit), and changes a built file
# twice the same way (it ends with a source map comment: generated, not a
# place); --example-at middle replays the middle place; --examples 2 replays two places and offers the third; an offer in a
# file the commit deletes is unjudged; a
# confidence per offer, by threshold; --features (a group per place); errors.
. "$(dirname "$0")/cli_lib.sh"
cli_isolate
cli_repo "$tmp/repo"
mkdir -p "$r/dist"
cat > "$r/a.c" <<'EOF'
void f(int x)
{
    log_msg("a", x);
    other(1);
    log_msg("b", x + 1);
}

void g(int y)
{
    log_msg("c", y);
    other(2);
}
EOF
printf 'function h(){return k(1)}\nfunction i(){return k(1)}\n//# sourceMappingURL=x.js.map\n' > "$r/dist/x.js"
g add . && g commit -qm base
sed -i 's/log_msg(\(.*\));/log_msg(\1, ctx);/; s/other(2)/other(3)/' "$r/a.c"
sed -i 's/k(1)/k(2)/g' "$r/dist/x.js"
g commit -qam change
grep -c ', ctx);' "$r/a.c" | grep -qx 3 || fail "the test repository is not what it should be"

out=$("$bin" eval --next-edits --history 5 --root "$r" --json) || fail "eval --next-edits failed"
j() { printf '%s' "$out" | python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
[ "$(j 'd["repeatedEdits"]')" = 1 ] || fail "one repeated edit (the built file is skipped): $out"
[ "$(j 'd["places"]')" = 3 ] || fail "three places: $out"
[ "$(j 'd["suggested"]')" = 2 ] || fail "two offers: $out"
[ "$(j 'd["correct"]')" = 2 ] || fail "both right: $out"
[ "$(j 'd["found"]')" = 2 ] && [ "$(j 'd["otherPlaces"]')" = 2 ] || fail "recall 2 of 2: $out"
[ "$(j 'd["kinds"]["call"]["edits"]')" = 1 ] || fail "a call rule: $out"
[ "$(j 'len(d["byConfidence"]) >= 2 and d["byConfidence"][0]["suggested"] == 2')" = True ] ||
    fail "offers by confidence: $out"

out=$("$bin" eval --next-edits --history 5 --root "$r" --json --examples 2) || fail "--examples 2 failed"
[ "$(j 'd["replayed"]')" = 1 ] && [ "$(j 'd["suggested"]')" = 1 ] && [ "$(j 'd["correct"]')" = 1 ] &&
    [ "$(j 'd["otherPlaces"]')" = 1 ] || fail "two examples: the third place offered: $out"

# --example-at middle replays the second of the three places: the first
# (above it) and the third are offered, not the second itself
txt=$("$bin" eval --next-edits --history 5 --root "$r" --show 10 --example-at middle) || fail "--example-at middle failed"
printf '%s\n' "$txt" | grep -q '^  ok .*"log_msg("a", x, ctx)"' && printf '%s\n' "$txt" | grep -q '^  ok .*"log_msg("c", y, ctx)"' &&
    ! printf '%s\n' "$txt" | grep -q 'log_msg("b", x + 1, ctx)' || fail "--example-at middle: the places above and below offered: $txt"
"$bin" eval --next-edits --history 5 --root "$r" --example-at last >/dev/null 2>&1 && fail "--example-at last accepted"

txt=$("$bin" eval --next-edits --history 5 --root "$r" --show 10) || fail "--show failed"
printf '%s\n' "$txt" | grep -q '^  ok    [0-9.]* a.c:[0-9]* \[call\]' || fail "--show lists each offer: $txt"
printf '%s\n' "$txt" | grep -q 'by confidence' || fail "the figures by confidence: $txt"

"$bin" eval --next-edits --history 5 --root "$r" --features "$tmp/f.tsv" >/dev/null || fail "--features failed"
# the header names the columns; each offer: root, rule, right, group (two places: two groups), the
# replayed edit's place it makes (recall), evidence; last, the other places (#others)
head -1 "$tmp/f.tsv" | cut -f1-5 | grep -qx "$(printf '#root\trule\tright\tgroup\tfound')" || fail "--features header: $(head -1 "$tmp/f.tsv")"
[ "$(awk -F'\t' 'NR == 1 { n = NF } NR > 1 && NF == n && $3 == 1 && $4 ~ /^[0-9]+$/' "$tmp/f.tsv" | wc -l)" = 2 ] ||
    fail "--features: two right offers with a group each: $(cat "$tmp/f.tsv")"
[ "$(grep -v '^#' "$tmp/f.tsv" | cut -f4 | sort -u | wc -l)" = 2 ] || fail "--features: one group per place: $(cat "$tmp/f.tsv")"
[ "$(grep -v '^#' "$tmp/f.tsv" | cut -f5 | grep -v '^-1$' | sort -u | wc -l)" = 2 ] ||
    fail "--features: two places of the replayed edit found: $(cat "$tmp/f.tsv")"
grep -qx "$(printf '#others\t%s\t2' "$r")" "$tmp/f.tsv" || fail "--features: the other places: $(tail -1 "$tmp/f.tsv")"

# a commit that deletes a file where the rule applies: the offer there can be
# neither made nor refused by the commit (unjudged: not in the precision, nor
# a --features row); the same call in a file the commit keeps is wrong
cli_repo "$tmp/repo2"
printf 'void f(int x)\n{\n    log_msg("a", x);\n    log_msg("b", x + 1);\n}\n\nvoid g(int y)\n{\n    log_msg("c", y);\n}\n' > "$r/a.c"
printf 'void h(int z)\n{\n    log_msg("d", z);\n}\n' > "$r/gone.c"
printf 'void k(int z)\n{\n    log_msg("e", z);\n}\n' > "$r/kept.c"
g add . && g commit -qm base
sed -i 's/log_msg(\(.*\));/log_msg(\1, ctx);/' "$r/a.c"
g rm -q gone.c && g commit -qam change
out=$("$bin" eval --next-edits --history 5 --root "$r" --json) || fail "eval --next-edits (a deleted file) failed"
[ "$(j '[d["byConfidence"][0][k] for k in ("suggested", "correct", "unjudged")]')" = "[3, 2, 1]" ] ||
    fail "every place: 2 right, 1 wrong (kept.c), 1 unjudged (gone.c): $out"
txt=$("$bin" eval --next-edits --history 5 --root "$r" --show 10) || fail "--show (a deleted file) failed"
printf '%s\n' "$txt" | grep -q '^  gone  [0-9.]* gone.c:[0-9]* .*unjudged' || fail "--show: the unjudged offer: $txt"
printf '%s\n' "$txt" | grep -q '^  WRONG [0-9.]* kept.c:' || fail "--show: the wrong offer: $txt"
rm -f "$tmp/f2.tsv"
"$bin" eval --next-edits --history 5 --root "$r" --features "$tmp/f2.tsv" >/dev/null || fail "--features (a deleted file) failed"
[ "$(grep -vc '^#' "$tmp/f2.tsv")" = 3 ] || fail "--features: no row for the unjudged offer: $(cat "$tmp/f2.tsv")"

"$bin" eval --next-edits --history 5 --root "$r" --examples 3 >/dev/null 2>&1 && fail "--examples 3 accepted"
# an insertion at a line's start: the commit's place takes the indentation
# along, the offer sits at the line's first token; the same spot (right)
cli_repo "$tmp/repo3"
printf 'void f(struct s *ok)\n{\n    (ok->run)(1);\n}\nvoid g(struct s *ok)\n{\n    (ok->run)(2);\n}\nvoid h(struct s *ok)\n{\n    (ok->run)(3);\n}\n' > "$r/b.c"
g add . && g commit -qm base
sed -i 's/^    (ok/    if (ok) (ok/' "$r/b.c"
g commit -qam guard
out=$("$bin" eval --next-edits --history 5 --root "$r" --json) || fail "eval --next-edits (an insertion) failed"
[ "$(j 'd["minConfidence"] >= 0 and [c for c in d["byConfidence"] if c["minConfidence"] == 0][0]["correct"]')" = 2 ] ||
    fail "an insertion at a line's start: both offers right: $out"
err=$("$bin" eval --next-edits --root "$tmp/nowhere" 2>&1 >/dev/null) && fail "a missing repository accepted"
[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || fail "one line of error: $err"
echo "ok: eval --next-edits: a repeated edit of 3 places, 2 offers right, built file skipped, --examples 2"
