#!/usr/bin/env python3
"""table.py - the quality suite's table from score.py's lines.
usage: table.py SCORES.txt
Each input line: NAME LANG VERSION PREDS KIND n=.. em=.. es=.. coverage=.. precision=.. missing=..
(PREDS: tacit = default threshold, tacit0 = no threshold, base = the naive
baseline; KIND: lines = line-start + mid-line, line-start, mid-line, block).
Prints a markdown table, one row per repository, then the medians."""
import statistics, sys


def ratio(a, b):
    return a / b if b > 0 else float('nan')


def fmt_ratio(r):
    return '–' if r != r else f'{r:.2f}×'


rows, order = {}, []
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) < 6:
        continue
    # (PREDS verbatim: em = share of line cases whose line stands verbatim
    # in another file or elsewhere in the buffer)
    name, lang, ver, preds, kind = f[:5]
    vals = dict(x.split('=', 1) for x in f[5:] if '=' in x)
    if name not in rows:
        rows[name] = {'lang': lang, 'ver': ver}
        order.append(name)
    rows[name][(preds, kind)] = {k: float(v) for k, v in vals.items()}

print('| repository | lang | line cases | EM | ES | precision | coverage | EM, no threshold | baseline EM | **× baseline** (no thr.) | × baseline (default thr.) | line-start EM: tacit / baseline | block EM / ES: tacit / baseline | line exists verbatim |')
print('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|')
heads, heads_def, starts, precs, covs, missing = [], [], [], [], [], 0
for name in order:
    r = rows[name]
    t, t0, b = r.get(('tacit', 'lines')), r.get(('tacit0', 'lines')), r.get(('base', 'lines'))
    if not (t and t0 and b):
        continue
    ls0, lsb = r.get(('tacit0', 'line-start')), r.get(('base', 'line-start'))
    bl0, blb = r.get(('tacit0', 'block')), r.get(('base', 'block'))
    h, hd = ratio(t0['em'], b['em']), ratio(t['em'], b['em'])
    heads.append(h)
    heads_def.append(hd)
    precs.append(t['precision'])
    covs.append(t['coverage'])
    missing += int(t['missing'] + t0['missing'] + b['missing'])
    ls = '–'
    if ls0 and lsb:
        s = ratio(ls0['em'], lsb['em'])
        starts.append(s)
        ls = f"{ls0['em']:.1f} / {lsb['em']:.1f} % ({fmt_ratio(s)})"
    vb = r.get(('verbatim', 'lines'))
    vbs = f"{vb['em']:.0f} %" if vb else '–'
    blk = f"{bl0['em']:.1f} / {blb['em']:.1f} %, {bl0['es']:.0f} / {blb['es']:.0f} %" if bl0 and blb else '–'
    print(f"| {name} {r['ver']} | {r['lang']} | {int(t['n'])} | {t['em']:.1f} % | {t['es']:.1f} % | {t['precision']:.1f} % "
          f"| {t['coverage']:.1f} % | {t0['em']:.1f} % | {b['em']:.1f} % | **{fmt_ratio(h)}** | {fmt_ratio(hd)} | {ls} | {blk} | {vbs} |")


def med(v):
    v = [x for x in v if x == x]
    return statistics.median(v) if v else float('nan')


def low(v):
    v = [x for x in v if x == x]
    return min(v) if v else float('nan')


print()
print(f'EM × baseline (no threshold, line cases): median {fmt_ratio(med(heads))}, min {fmt_ratio(low(heads))} '
      f'(targets: median ≥ 2×, every repository ≥ 1.5×)')
print(f'EM × baseline (default threshold): median {fmt_ratio(med(heads_def))}, min {fmt_ratio(low(heads_def))}')
print(f'line-start EM × baseline: median {fmt_ratio(med(starts))}, min {fmt_ratio(low(starts))} (target ≥ 2×)')
print(f'at the default threshold: precision median {med(precs):.1f} %, min {low(precs):.1f} %; '
      f'coverage median {med(covs):.1f} % (targets: precision ≥ 60 % at coverage ≥ 20 %, median; ≥ 50 % every repository)')
if missing:
    print(f'WARNING: {missing} predictions missing from the prediction files')
