#!/usr/bin/env python3
"""calib_deciles.py: predicted against observed precision per confidence decile.

usage: calib_deciles.py CASES.jsonl PREDS.jsonl [CASES2 PREDS2 ...]
  PREDS from `tacit eval --threshold 0 --out` (id, suggestion, confidence);
  each pair is one repository; with several pairs the deciles are pooled
  and each pair's precision / coverage at 0.3 is listed.
prints per decile 'band: predicted/observed % (n)', the log loss, and the
precision, coverage and exact matches at the default threshold 0.3.
Exact match as ../shared/eval/score.py counts it (trailing white space of
each line ignored)."""
import json, math, sys

THR = 0.3


def norm(s):
    return '\n'.join(l.rstrip() for l in s.split('\n')).rstrip('\n')


def rows_of(cases_path, preds_path):
    cases = {}
    for l in open(cases_path):
        c = json.loads(l)
        cases[str(c['id'])] = c
    preds = {}
    for l in open(preds_path):
        p = json.loads(l)
        preds[str(p['id'])] = p
    rows = []
    for cid, c in cases.items():
        p = preds.get(cid)
        if not p or not norm(p.get('suggestion') or ''):
            continue
        rows.append((float(p.get('confidence', 0)), norm(p['suggestion']) == norm(c['expected'])))
    return len(cases), rows


def at_threshold(n, rows):
    shown = [ok for cf, ok in rows if cf >= THR]
    return 100 * sum(shown) / max(len(shown), 1), 100 * len(shown) / max(n, 1), 100 * sum(shown) / max(n, 1)


def main(argv):
    if len(argv) < 3 or len(argv) % 2 == 0:
        sys.exit(__doc__)
    pooled, total, per = [], 0, []
    for i in range(1, len(argv), 2):
        n, rows = rows_of(argv[i], argv[i + 1])
        pooled += rows
        total += n
        per.append((argv[i + 1], at_threshold(n, rows)))
    bands = [[0, 0.0, 0] for _ in range(10)]
    loss = 0.0
    for cf, ok in pooled:
        b = bands[min(int(cf * 10), 9)]
        b[0] += 1
        b[1] += cf
        b[2] += ok
        p = min(max(cf, 1e-4), 1 - 1e-4)
        loss -= math.log(p if ok else 1 - p)
    print(' '.join('%.1f: %.0f/%.0f %% (%d)' % (k / 10, 100 * b[1] / max(b[0], 1), 100 * b[2] / max(b[0], 1), b[0])
                   for k, b in enumerate(bands)))
    print('log loss %.3f over %d shown' % (loss / max(len(pooled), 1), len(pooled)))
    if len(per) > 1:
        for name, (pr, cov, em) in per:
            print('  %s: precision %.1f %%, coverage %.1f %%, EM %.1f %% at %.1f' % (name, pr, cov, em, THR))
        prs = [x[1][0] for x in per]
        print('precision at %.1f: %.1f-%.1f %% (spread %.1f points)' % (THR, min(prs), max(prs), max(prs) - min(prs)))
    pr, cov, em = at_threshold(total, pooled)
    print('pooled at %.1f: precision %.1f %%, coverage %.1f %%, EM %.1f %% of %d cases' % (THR, pr, cov, em, total))


if __name__ == '__main__':
    main(sys.argv)
