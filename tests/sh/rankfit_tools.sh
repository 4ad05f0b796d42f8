#!/usr/bin/env bash
# bench/rankfit's fitter on a small synthetic dump (no network, no fetch):
# prior.c and cv.c build warning-free against src/rank/rank.c; prior prints
# the three constant lines with 56 weights and picks up the one feature that
# tells right from wrong; cv checks each repository once, and a repository's
# second section (another sample) as the same repository; apply.py --check
# finds suggest.c's own constants equal and the synthetic ones different,
# without writing suggest.c; a bad dump is a one-line error.
set -eu
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -Wall -Wextra -Werror -Isrc -o "$tmp/prior" bench/rankfit/prior.c src/rank/rank.c -lm
cc -O2 -Wall -Wextra -Werror -Isrc -o "$tmp/cv" bench/rankfit/cv.c src/rank/rank.c -lm

# 3 repositories x 40 cases x 6 candidates; feature 2 is high on the right one
python3 - "$tmp/dump.txt" <<'PY'
import random, sys
r = random.Random(7)
with open(sys.argv[1], 'w') as f:
    for rep in range(3):
        f.write(f'# repo{rep}\n')
        for c in range(40):
            right = r.randrange(6)
            for k in range(6):
                x = [round(r.gauss(0, 1), 4) for _ in range(56)]
                x[2] = round(x[2] + (2.5 if k == right else 0), 4)
                f.write(f'{c} {int(k == right)} ' + ' '.join(map(str, x)) + '\n')
PY
"$tmp/prior" "$tmp/dump.txt" >"$tmp/prior.inc"
grep -q 'on 720 candidates of 120 masked cases from 3 repositories' "$tmp/prior.inc"
python3 - "$tmp/prior.inc" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
for name in ('SG_CHOOSE_W', 'SG_PRIOR_W'):
    w = [float(v) for v in re.search(name + r'\[TC_RANK_NF\] = \{([^}]*)\}', t).group(1).split(',')]
    assert len(w) == 56, (name, len(w))
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
