#!/usr/bin/env bash
# bench/rankfit's fitter on a small synthetic dump (no network, no fetch):
# prior.c and cv.c build warning-free against src/rank/rank.c; prior prints
# the three constant lines with TC_RANK_NF weights, those of features 58 on
# zero (left to the trees), and picks up the one feature that tells right
# from wrong; cv checks each repository once, and a repository's
# second section (another sample) as the same repository; apply.py --check
# finds suggest.c's own constants equal and the synthetic ones different,
# without writing suggest.c; a bad dump is a one-line error. cv's TEST
# mode checks another dump's repositories by name; trees.c builds
# warning-free and its per-repository trees find a signal that only holds
# within one repository; with W= it ranks by the engine's own chooser read
# from a file, and CVSEL=1 chooses the tree count by cross-validation.
set -eu
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -Wall -Wextra -Werror -Isrc -o "$tmp/prior" bench/rankfit/prior.c src/rank/rank.c -lm
cc -O2 -Wall -Wextra -Werror -Isrc -o "$tmp/cv" bench/rankfit/cv.c src/rank/rank.c -lm
cc -O2 -Wall -Wextra -Werror -Isrc -o "$tmp/trees" bench/rankfit/trees.c src/rank/rank.c -lm
nf=$(sed -n 's/^#define TC_RANK_NF \([0-9]*\).*/\1/p' src/rank/rank.h)

# 3 repositories x 40 cases x 6 candidates; feature 2 is high on the right one
# (by 1.5 sd: the winners are often wrong, so the calibration has both classes)
python3 - "$tmp/dump.txt" "$nf" <<'PY'
import random, sys
nf = int(sys.argv[2])
r = random.Random(7)
with open(sys.argv[1], 'w') as f:
    for rep in range(3):
        f.write(f'# repo{rep}\n')
        for c in range(40):
            right = r.randrange(6)
            for k in range(6):
                x = [round(r.gauss(0, 1), 4) for _ in range(nf)]
                x[2] = round(x[2] + (1.5 if k == right else 0), 4)
                f.write(f'{c} {int(k == right)} ' + ' '.join(map(str, x)) + '\n')
PY
"$tmp/prior" "$tmp/dump.txt" >"$tmp/prior.inc"
grep -q 'on 720 candidates of 120 masked cases from 3 repositories' "$tmp/prior.inc"
python3 - "$tmp/prior.inc" "$nf" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
nf = int(sys.argv[2])
for name in ('SG_CHOOSE_W', 'SG_PRIOR_W'):
    w = [float(v) for v in re.search(name + r'\[TC_RANK_NF\] = \{([^}]*)\}', t).group(1).split(',')]
    assert len(w) == nf, (name, len(w))
    assert all(v == 0 for v in w[58:62]), (name, w[58:62])
    assert w[2] > 0 and w[2] == max(w), (name, w[2], max(w))
assert re.search(r'SG_PRIOR_BIAS = \S+, SG_PRIOR_PA = \S+, SG_PRIOR_PB = \S+;', t)
PY
"$tmp/cv" "$tmp/dump.txt" >"$tmp/cv.txt"
[ "$(grep -c '^repo [0-2]: cases 40 reach 40 ' "$tmp/cv.txt")" = 3 ]
grep -q '^total 120: ' "$tmp/cv.txt"
# the same dump twice: six sections, three repositories of 80 cases
cat "$tmp/dump.txt" "$tmp/dump.txt" >"$tmp/dump2.txt"
"$tmp/cv" "$tmp/dump2.txt" >"$tmp/cv2.txt"
[ "$(grep -c '^repo [0-2]: cases 80 reach 80 ' "$tmp/cv2.txt")" = 3 ]
grep -q '^total 240: ' "$tmp/cv2.txt"
# TEST: fitted on all of the dump, checked on another one's repositories by name
TEST="$tmp/dump.txt" "$tmp/cv" "$tmp/dump.txt" >"$tmp/cv3.txt"
[ "$(grep -c '^repo[0-2]: cases 40 reach 40 ' "$tmp/cv3.txt")" = 3 ]
grep -q '^total 120: .*(TEST, fitted on all of DUMP)' "$tmp/cv3.txt"

# trees.c: feature 2 tells the right one everywhere; in repository "local"
# the right one also has feature 5 at 1 only when feature 6 is 1, else
# feature 7: a rule of that repository alone, which its own trees learn
python3 - "$tmp/own.txt" "$tmp/test.txt" "$nf" <<'PY'
import random, sys
nf = int(sys.argv[3])
for path, seed in ((sys.argv[1], 1), (sys.argv[2], 2)):
    r = random.Random(seed)
    with open(path, 'w') as f:
        f.write('# local\n')
        for c in range(200):
            right, flag = r.randrange(6), r.randrange(2)
            for k in range(6):
                x = [0.0] * nf
                x[17] = 1.0
                x[6] = flag
                x[5 if flag else 7] = 1.0 if k == right else 0.0
                x[7 if flag else 5] = 1.0 if k == (right + 1) % 6 else 0.0
                f.write(f'{c} {int(k == right)} ' + ' '.join(map(str, x)) + '\n')
PY
"$tmp/trees" "$tmp/dump.txt" "$tmp/own.txt" "$tmp/test.txt" >"$tmp/trees.txt"
python3 - "$tmp/trees.txt" <<'PY'
import sys
row = [l for l in open(sys.argv[1]) if l.startswith('local:')][0].split()[1:]
alone, *with_trees = map(int, row)
assert len(with_trees) == 4 and with_trees[-1] > 190 and with_trees[-1] > alone + 40, row
PY
# W=: the engine's chooser read from a file's SG_CHOOSE_W (here all on
# feature 5: right exactly in the test cases whose flag, feature 6, is 1);
# CVSEL=1: the local rule is learnt, so 4-fold cross-validation on the own
# cases picks trees, and the chosen count nearly always finds the right one
python3 - "$tmp/w.c" "$nf" <<'PY'
import sys
nf = int(sys.argv[2])
w = ['0'] * nf
w[5] = '1'
open(sys.argv[1], 'w').write('static const double SG_CHOOSE_W[TC_RANK_NF] = {' + ', '.join(w) + '};\n')
PY
flags=$(awk '!/^#/ && $2 == 1 && $9 == 1' "$tmp/test.txt" | wc -l)
W="$tmp/w.c" CVSEL=1 "$tmp/trees" "$tmp/dump.txt" "$tmp/own.txt" "$tmp/test.txt" >"$tmp/trees2.txt"
python3 - "$tmp/trees2.txt" "$flags" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
row = [l for l in t.splitlines() if l.startswith('local:')][0]
alone = int(row.split()[1])
assert alone == int(sys.argv[2]), (row, sys.argv[2])
m = re.search(r'-> (\d+) trees: (\d+)', row)
assert m and int(m.group(1)) > 0 and int(m.group(2)) > 190, row
assert re.search(r'^cvsel: \d+$', t, re.M), t
PY
printf 'int x;\n' >"$tmp/now.c"
if W="$tmp/now.c" "$tmp/trees" "$tmp/dump.txt" "$tmp/own.txt" "$tmp/test.txt" >/dev/null 2>"$tmp/err"; then
    echo "trees: W= without SG_CHOOSE_W accepted"; exit 1
fi
grep -q 'no SG_CHOOSE_W in' "$tmp/err"
if "$tmp/trees" "$tmp/dump.txt" "$tmp/dump.txt" "$tmp/test.txt" >/dev/null 2>"$tmp/err"; then echo "trees: a TEST repository missing from OWN accepted"; exit 1; fi
grep -q 'local is not in' "$tmp/err"

# apply.py --check: suggest.c against its own lines, then against the synthetic fit
before=$(sha256sum src/suggest/suggest.c)
grep -E '^static const double SG_(CHOOSE_W|PRIOR_W|PRIOR_BIAS)' src/suggest/suggest.c >"$tmp/own.inc"
echo '/* built-in prior: fitted by `tacit` on 1 candidates of 1 masked cases from 5 repositories */' >>"$tmp/own.inc"
python3 bench/rankfit/apply.py "$tmp/own.inc" --check | grep -q 'constants equal'
if python3 bench/rankfit/apply.py "$tmp/prior.inc" --check >/dev/null; then
    echo "apply.py --check found the synthetic constants equal"; exit 1
fi
[ "$(sha256sum src/suggest/suggest.c)" = "$before" ]

printf 'x\n' >"$tmp/bad2.txt"
if "$tmp/prior" "$tmp/bad2.txt" 2>"$tmp/err"; then echo "bad dump accepted"; exit 1; fi
grep -q 'before the first' "$tmp/err"
if "$tmp/prior" "$tmp/missing" 2>"$tmp/err"; then echo "missing dump accepted"; exit 1; fi
[ "$(wc -l <"$tmp/err")" = 1 ]
echo "rankfit_tools: ok"
