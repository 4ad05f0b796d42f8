#!/usr/bin/env bash
# explain_trees.sh - `tacit explain` where the learned ranker and the
# repository's boosted trees choose (a workspace of about 25,000 tokens):
# each listed candidate's score is shown in its parts, the linear chooser's
# (whose features' shares are listed) and the trees', which add up to the
# score; and its confidence with where it comes from (the calibrated map of
# the pointwise score, the final score's share and the lines around the
# cursor's with a trailing comment, rank/calib.h). --json carries the same
# parts.
. "$(dirname "$0")/cli_lib.sh"
cli_isolate
unset TACIT_DEADLINE_MS TACIT_RANK_TREES TACIT_RANK_BAG TACIT_CALIB_PLATT TACIT_NO_RANK
ws=$tmp/ws
mkdir -p "$ws/src" "$ws/.git"
for f in $(seq 0 27); do
    {
        echo "#include \"common$((f % 3)).h\""
        for k in $(seq 0 24); do
            echo "static int f${f}_$k(struct dev *d, int v)"
            echo "{"
            echo "    if (v < $k) return dev_read(d, REG_$((k % 7)), v + $f);"
            echo "    d->count$((k % 5)) += v * $k;"
            echo "    return dev_write(d, REG_$((k % 4)), v);"
            echo "}"
        done
    } >"$ws/src/m$f.c"
done
cd "$ws"
"$bin" explain src/m3.c:5:5 --backend none -q >"$tmp/out.txt" 2>"$tmp/err.txt" || fail "explain: $(cat "$tmp/err.txt")"
grep -q 'ranked by the learned ranker' "$tmp/out.txt" || fail "no learned ranker: $(sed -n '/^candidates/p' "$tmp/out.txt")"
ls "$TACIT_CACHE_DIR"/*/rank.txt.trees >/dev/null 2>&1 || fail "no trees were fitted"
python3 - "$tmp/out.txt" 0 <<'PY' || fail "explain's score parts (above)"
import re, sys
t = open(sys.argv[1]).read()
want_comments = sys.argv[2]
parts = re.findall(r'^ +score (-?[0-9.]+) = linear chooser (-?[0-9.]+) \+ repository\'s trees ([-+][0-9.]+)$', t, re.M)
confs = re.findall(r'^ +\d+  conf ([0-9.]+)  score +(-?[0-9.]+) ', t, re.M)
maps = re.findall(r'^ +confidence ([0-9.]+) = calibrated map of the pointwise score (-?[0-9.]+), the final score\'s share ([0-9.]+) % of the candidates\' and the lines around the cursor\'s with a trailing comment, ([0-2]) of 2$', t, re.M)
assert parts, "no 'score = linear chooser + trees' line:\n" + t
assert len(parts) == len(maps) == min(5, len(confs)), (len(parts), len(maps), len(confs))
for (s, lin, tr), (c, s2), (c2, _, share, cm) in zip(parts, confs, maps):
    assert abs(float(s) - float(lin) - float(tr)) < 0.0025, (s, lin, tr)
    assert s == s2 and c == c2, (s, s2, c, c2)
    assert 0 <= float(share) <= 100
    assert cm == want_comments, (cm, want_comments)
assert any(abs(float(tr)) > 0.001 for _, _, tr in parts), "the trees add nothing to any candidate"
PY
"$bin" explain src/m3.c:5:5 --backend none -q --json >"$tmp/out.json" || fail "explain --json"
python3 - "$tmp/out.json" <<'PY' || fail "explain --json: the score's parts"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["ranker"] == "learned"
shares = 0
for c in j["candidates"]:
    assert abs(c["linear"] + c["trees"] - c["score"]) < 0.0003, c
    k = c["calibration"]
    assert k["map"] == "calibrated" and 0 <= k["share"] <= 1 and k["comments"] == 0, k
    shares += k["share"] if c["text"] else 0
assert abs(shares - 1) < 0.01, shares  # the softmax over the candidates with a text
PY
# the calibration's third input: here the lines around the cursor's line end
# with a comment after their code (both in the text, one in the other buffer)
sed -e '4s|$| /* body */|' -e '6s|$| // count|' src/m3.c >"$tmp/m3.c"
"$bin" explain src/m3.c:5:5 --buffer "$tmp/m3.c" --backend none -q >"$tmp/cm.txt" 2>&1 || fail "explain (comments)"
python3 - "$tmp/cm.txt" 2 <<'PY' || fail "explain's comments input (above)"
import re, sys
t = open(sys.argv[1]).read()
cms = re.findall(r'trailing comment, ([0-2]) of 2$', t, re.M)
assert cms and all(c == sys.argv[2] for c in cms), (cms, t)
PY
sed -e '6s|$| // count|' src/m3.c >"$tmp/m3b.c"
"$bin" explain src/m3.c:5:5 --buffer "$tmp/m3b.c" --backend none -q --json >"$tmp/cm.json" 2>&1 || fail "explain --json (comments)"
python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["candidates"]; assert c and all(x["calibration"]["comments"] == 0.5 for x in c), c' \
    "$tmp/cm.json" || fail "explain --json: the comments input is not 0.5"
# with the Platt scaling alone (for comparisons) the text says so
TACIT_CALIB_PLATT=1 "$bin" explain src/m3.c:5:5 --backend none -q >"$tmp/platt.txt" 2>&1 || fail "explain (Platt)"
grep -Eq '^ +confidence [0-9.]+ = Platt scaling of the pointwise score -?[0-9.]+$' "$tmp/platt.txt" ||
    fail "TACIT_CALIB_PLATT=1: $(grep confidence "$tmp/platt.txt" | head -2)"
# a bag of tree sets (TACIT_RANK_BAG=K, each fitted on its own sample of
# masked lines; 2 by default): the default ranker is two sets of 32 trees,
# byte for byte TACIT_RANK_BAG=2's; a bag of 4 saves 4 sets of 32 and
# chooses by their mean (the parts still add up, the trees' part differs)
n1=$(head -1 "$TACIT_CACHE_DIR"/*/rank.txt.trees | awk '{print $NF}')
[ "$n1" = 64 ] || fail "the default ranker saved $n1 trees, not two sets of 32"
rm -f "$TACIT_CACHE_DIR"/*/rank.txt* # trained again, not loaded
TACIT_RANK_BAG=2 "$bin" explain src/m3.c:5:5 --backend none -q >"$tmp/bag1.txt" 2>&1 || fail "explain (bag of 2)"
grep -v ' ms$' "$tmp/out.txt" >"$tmp/out.nt"
grep -v ' ms$' "$tmp/bag1.txt" >"$tmp/bag1.nt" # the timings aside
cmp -s "$tmp/out.nt" "$tmp/bag1.nt" || fail "TACIT_RANK_BAG=2 is not the default ranker: $(diff "$tmp/out.nt" "$tmp/bag1.nt" | head -5)"
rm -f "$TACIT_CACHE_DIR"/*/rank.txt*
TACIT_RANK_BAG=4 "$bin" explain src/m3.c:5:5 --backend none -q --json >"$tmp/bag4.json" 2>&1 || fail "explain (bag of 4)"
n4=$(head -1 "$TACIT_CACHE_DIR"/*/rank.txt.trees | awk '{print $NF}')
[ "$n4" = 128 ] || fail "TACIT_RANK_BAG=4 saved $n4 trees, not 4 sets of 32"
python3 - "$tmp/out.json" "$tmp/bag4.json" <<'PY2' || fail "explain --json with a bag of 4"
import json, sys
one, bag = (json.load(open(p)) for p in sys.argv[1:3])
for c in bag["candidates"]:
    assert abs(c["linear"] + c["trees"] - c["score"]) < 0.0003, c
assert any(abs(c["trees"]) > 0.001 for c in bag["candidates"])
assert [c["trees"] for c in one["candidates"]] != [c["trees"] for c in bag["candidates"]], "a bag of 4's trees are the default's"
PY2
# TACIT_RANK_TREES=N trees a member of the bag (at most 64, SG_RANK_TREES_MAX; 32
# by default): 64 saves two sets of 64, and the count is in the saved ranker's
# key, so the default fits its two sets of 32 again instead of loading them
rm -f "$TACIT_CACHE_DIR"/*/rank.txt*
TACIT_RANK_TREES=64 "$bin" explain src/m3.c:5:5 --backend none -q >/dev/null 2>&1 || fail "explain (64 trees)"
n=$(head -1 "$TACIT_CACHE_DIR"/*/rank.txt.trees | awk '{print $NF}')
[ "$n" = 128 ] || fail "TACIT_RANK_TREES=64 saved $n trees, not two sets of 64"
"$bin" explain src/m3.c:5:5 --backend none -q >/dev/null 2>&1 || fail "explain (after 64 trees)"
n=$(head -1 "$TACIT_CACHE_DIR"/*/rank.txt.trees | awk '{print $NF}')
[ "$n" = 64 ] || fail "the default loaded $n trees fitted under TACIT_RANK_TREES=64"
rm -f "$TACIT_CACHE_DIR"/*/rank.txt*
TACIT_RANK_TREES=1000 "$bin" explain src/m3.c:5:5 --backend none -q >/dev/null 2>&1 || fail "explain (1000 trees)"
n=$(head -1 "$TACIT_CACHE_DIR"/*/rank.txt.trees | awk '{print $NF}')
[ "$n" = 128 ] || fail "TACIT_RANK_TREES=1000 saved $n trees, not the cap's two sets of 64"
echo "explain_trees: ok"
