#!/usr/bin/env python3
"""calib_deciles.py: predicted against observed precision per confidence decile.

usage: calib_deciles.py [--per-repo] CASES.jsonl PREDS.jsonl [CASES2 PREDS2 ...]
  PREDS from `tacit eval --threshold 0 --out` (id, suggestion, confidence);
  each pair is one repository; with several pairs the deciles are pooled
  and each pair's precision / coverage at 0.3 is listed, with the
  precision the confidences predict there (their mean over the shown).
  --per-repo: each pair's own deciles and log loss too.
prints per decile 'band: predicted/observed % (n)', the log loss, and the
precision, coverage and exact matches at the default threshold 0.3, also
by case kind (line-start / mid-line, when the cases say).
Exact match as ../shared/eval/score.py counts it (trailing white space of
each line ignored)."""
import json, math, sys

THR = 0.3


def norm(s):
    return '\n'.join(l.rstrip() for l in s.split('\n')).rstrip('\n')


def rows_of(cases_path, preds_path):
    """(number of cases, [(confidence, right, kind)] for those with a suggestion), by kind too."""
    cases = {}
    for l in open(cases_path):
        c = json.loads(l)
        cases[str(c['id'])] = c
    preds = {}
    for l in open(preds_path):
        p = json.loads(l)
        preds[str(p['id'])] = p
    rows, nkind = [], {}
    for cid, c in cases.items():
        nkind[c.get('kind')] = nkind.get(c.get('kind'), 0) + 1
        p = preds.get(cid)
        if not p or not norm(p.get('suggestion') or ''):
            continue
        rows.append((float(p.get('confidence', 0)), norm(p['suggestion']) == norm(c['expected']), c.get('kind')))
    return len(cases), rows, nkind


def at_threshold(n, rows):
    """precision, coverage, EM and predicted precision (mean confidence) at THR, and how many shown"""
    shown = [(cf, ok) for cf, ok, *_ in rows if cf >= THR]
    k = max(len(shown), 1)
    return (100 * sum(ok for _, ok in shown) / k, 100 * len(shown) / max(n, 1), 100 * sum(ok for _, ok in shown) / max(n, 1),
            100 * sum(cf for cf, _ in shown) / k, len(shown))


def deciles(rows):
    bands = [[0, 0.0, 0] for _ in range(10)]
    loss = 0.0
    for cf, ok, *_ in rows:
        b = bands[min(int(cf * 10), 9)]
        b[0] += 1
        b[1] += cf
        b[2] += ok
        p = min(max(cf, 1e-4), 1 - 1e-4)
        loss -= math.log(p if ok else 1 - p)
    text = ' '.join('%.1f: %.0f/%.0f %% (%d)' % (k / 10, 100 * b[1] / max(b[0], 1), 100 * b[2] / max(b[0], 1), b[0])
                    for k, b in enumerate(bands))
    return text, loss / max(len(rows), 1)


def line_at(name, n, rows):
    pr, cov, em, pred, k = at_threshold(n, rows)
    return '%s: precision %.1f %% (predicted %.1f %%, %d shown), coverage %.1f %%, EM %.1f %% at %.1f' % (
        name, pr, pred, k, cov, em, THR)


def main(argv):
    per_repo = '--per-repo' in argv
    argv = [a for a in argv if a != '--per-repo']
    if len(argv) < 3 or len(argv) % 2 == 0:
        sys.exit(__doc__)
    pooled, total, per, nkinds = [], 0, [], {}
    for i in range(1, len(argv), 2):
        n, rows, nkind = rows_of(argv[i], argv[i + 1])
        pooled += rows
        total += n
        for k, v in nkind.items():
            nkinds[k] = nkinds.get(k, 0) + v
        per.append((argv[i + 1], n, rows, nkind))
    text, loss = deciles(pooled)
    print(text)
    print('log loss %.3f over %d shown' % (loss, len(pooled)))
    if len(per) > 1:
        for name, n, rows, nkind in per:
            print('  ' + line_at(name, n, rows))
            if per_repo:
                t, l = deciles(rows)
                print('    %s; log loss %.3f' % (t, l))
        prs = [at_threshold(n, rows)[0] for _, n, rows, _ in per]
        print('precision at %.1f: %.1f-%.1f %% (spread %.1f points)' % (THR, min(prs), max(prs), max(prs) - min(prs)))
    for kind in ('line-start', 'mid-line'):
        if nkinds.get(kind):
            print('  ' + line_at(kind, nkinds[kind], [r for r in pooled if r[2] == kind]))
    pr, cov, em, pred, k = at_threshold(total, pooled)
    print('pooled at %.1f: precision %.1f %%, coverage %.1f %%, EM %.1f %% of %d cases' % (THR, pr, cov, em, total))


if __name__ == '__main__':
    main(sys.argv)
