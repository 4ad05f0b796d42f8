#!/usr/bin/env python3
"""cmpq.py (bench/cmp) NEW OLD [NEW2 OLD2 ...]: per repository, line cases right (tacit0 lines EM * n / 100),
baseline, ratio, precision/coverage at the default; for pairs of quality output dirs."""
import sys, os, statistics
def load(d):
    r = {}
    for l in open(os.path.join(d, 'scores.txt')):
        f = l.split()
        if len(f) < 6: continue
        v = dict(x.split('=', 1) for x in f[5:] if '=' in x)
        r.setdefault(f[0], {})[(f[3], f[4])] = {k: float(x) for k, x in v.items()}
    return r
a = sys.argv[1:]
for i in range(0, len(a), 2):
    new, old = load(a[i]), load(a[i + 1])
    print(f'== {a[i]} vs {a[i+1]}')
    print(f'{"repo":16} {"new":>4} {"old":>4} {"d":>4} {"base":>4} {"xnew":>6} {"xold":>6} {"prec n/o":>12} {"cov n/o":>12}')
    tn = to = 0; xn = []; xo = []
    for name in new:
        if name not in old: continue
        def g(r, p, k='lines'): return r[name].get((p, k), {})
        n0, o0, b = g(new, 'tacit0'), g(old, 'tacit0'), g(new, 'base')
        cn = round(n0['em'] * n0['n'] / 100); co = round(o0['em'] * o0['n'] / 100); cb = round(b['em'] * b['n'] / 100)
        tn += cn; to += co
        xn.append(cn / cb); xo.append(co / cb)
        print(f'{name:16} {cn:4} {co:4} {cn-co:+4} {cb:4} {cn/cb:6.2f} {co/cb:6.2f} {g(new,"tacit")["precision"]:5.1f}/{g(old,"tacit")["precision"]:5.1f} {g(new,"tacit")["coverage"]:5.1f}/{g(old,"tacit")["coverage"]:5.1f}')
    print(f'{"total":16} {tn:4} {to:4} {tn-to:+4}  median x new {statistics.median(xn):.3f} old {statistics.median(xo):.3f}  min {min(xn):.2f}/{min(xo):.2f}')
