#!/usr/bin/env bash
# bench/rankfit/midline.py on a made-up QUALITY_OUT: each case's kind
# (line start: nothing typed; mid-line: the first word typed), its class
# (chosen, not chosen, missing by misses.py's gap), the naive baseline's
# right answers that tacit lacks, and the mid-line split by what was typed
# (a keyword by itself, a name by what follows); a candidate file out of
# step with the cases is a one-line error.
set -eu
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/q/r1"
python3 - "$tmp/q/r1" <<'PY'
import json, sys
d = sys.argv[1]
cases = [  # id, prefix, expected, tacit's candidates, the baseline's answer
    ('1', 'x\n    ', 'return 0;', ['return 0;', 'return 1;'], 'return 0;'),
    ('2', 'x\n    return', ' err;', [' 0;', ' err;'], ' err;'),
    ('3', 'x\n    ret', ' = foo(a);', [' = foo(b);'], ' = bar(a);'),
    ('4', 'x\n    if', ' (a) {', [' (a)'], ''),
]
with open(f'{d}/cases.lines.jsonl', 'w') as f, open(f'{d}/misses.cands', 'w') as g, open(f'{d}/base.jsonl', 'w') as b:
    for i, pre, exp, cands, base in cases:
        f.write(json.dumps({'id': i, 'path': 'a.c', 'prefix': pre, 'suffix': '\n', 'expected': exp}) + '\n')
        g.write(json.dumps([{'t': t, 's': 'n---------', 'sc': -k} for k, t in enumerate(cands)]) + '\n')
        b.write(json.dumps({'id': i, 'suggestion': base}) + '\n')
PY
python3 bench/rankfit/midline.py "$tmp/q" >"$tmp/out.txt"
# cases, chosen, not chosen, one name off, one token off, stops short, spacing, other, naive right, ... not chosen, ... missing
grep -qF '| r1 | line start | 1 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 1 | 0 | 0 |' "$tmp/out.txt"
grep -qF '| r1 | mid-line | 3 | 0 | 1 | 1 | 0 | 1 | 0 | 0 | 1 | 1 | 0 |' "$tmp/out.txt"
# typed: cases, right, lost, not chosen, missing, naive right (fewer than 10 each: one row)
grep -qF '| (fewer than 10 each) | 3 | 0 | 3 | 1 | 2 | 1 |' "$tmp/out.txt"
# a name typed, then `=`: assigned; by word when 10 or more share it
python3 - <<'PY'
import sys
sys.path.insert(0, 'bench/rankfit')
from midline import typed_kind
assert typed_kind('ret', ' = foo(a);') == 'name: assigned'
assert typed_kind('ret', ' == 0') == 'name: other'
assert typed_kind('foo', '(a);') == 'name: a call'
assert typed_kind('p', '->x = 1;') == 'name: member, index'
assert typed_kind('size_t', ' n;') == 'size_t'
assert typed_kind('item', ' *next;') == 'name: declaration'
PY
# out of step: one candidate list less than the cases
head -n 3 "$tmp/q/r1/misses.cands" >"$tmp/c" && mv "$tmp/c" "$tmp/q/r1/misses.cands"
if python3 bench/rankfit/midline.py "$tmp/q" >"$tmp/out2.txt" 2>"$tmp/err.txt"; then
    echo "midline.py: accepted 3 candidate lists for 4 cases" >&2
    exit 1
fi
grep -q 'r1: 3 candidate lists for 4 cases' "$tmp/err.txt"
[ "$(wc -l <"$tmp/err.txt")" = 1 ]
echo ok
