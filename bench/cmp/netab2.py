#!/usr/bin/env python3
"""netab2.py SUFFIX DIR...: per history, precision/recall at the default (and every place) for each dir's NAME.SUFFIX.json"""
import sys, os
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from nextedit_table import replay, meets, pool  # bench/nextedit_table.py, shared with nextedit_refit.sh
suf, dirs = sys.argv[1], sys.argv[2:]
names = ['s17-neconf-tacit', 'commander', 'nan', 'semver', 'node-addon-api', 'node-gyp', 'rxjs']
print('history'.ljust(18) + ''.join(os.path.basename(d.rstrip('/')).ljust(34) for d in dirs))
meet = [0] * len(dirs); tot = [[0, 0, 0, 0] for _ in dirs]
for n in names:
    line = n.ljust(18)
    for i, dd in enumerate(dirs):
        p = f'{dd}/{n}.{suf}.json'
        if not os.path.exists(p): line += '-'.ljust(34); continue
        d, a, o = replay(p)[:3]
        P = d['correct'] / d['suggested'] if d['suggested'] else 0; R = d['found'] / o if o else 0
        hit = meets(d, o); meet[i] += hit
        pool(tot[i], d, o)
        line += f"{P:.3f}/{R:.3f}{'*' if hit else ' '} ({d['correct']}/{d['suggested']},{d['found']}/{o})".ljust(34)
    print(line)
print('pooled'.ljust(18) + ''.join(f"{t[0]/max(t[1],1):.3f}/{t[2]/max(t[3],1):.3f} meet {m}".ljust(34) for t, m in zip(tot, meet)))
