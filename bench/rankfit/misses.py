#!/usr/bin/env python3
"""misses.py - where the quality suite's exact matches are lost.

    QUALITY_OUT=/tmp/q bash bench/quality.sh       # cases and indexes
    python3 bench/rankfit/misses.py /tmp/q [build/tacit]

For every line case of each repository in QUALITY_OUT, tacit answers again
(`eval --cases`, no threshold, on the index quality.sh built there) with
TACIT_CANDS set, which writes every candidate of each request in ranked
order. Each case is then put in one class:

  chosen      the expected text is the winner (an exact match)
  not chosen  it is among the candidates, but not first
  missing     it is not among the candidates

crossed with where the whole line (stripped) stands verbatim: elsewhere in
the buffer ("buffer"), in another file of the repository only ("workspace"),
or nowhere ("novel": what only the model or a renamed copy can produce).
Prints one table per repository and the total, and `near` (missing
cases with a candidate that differs from the expected text in exactly one
identifier, of which how many have the right identifier in the buffer).
A second table: the cases the naive baseline (QUALITY_OUT/NAME/base.jsonl)
gets right and tacit does not, split into "not chosen" (the right line was
among tacit's candidates) and "missing"; the missing cases whose line
stands verbatim in the buffer or the workspace, by kind (line start,
mid-line) and how many of them had a full list (64 candidates); and every
missing case by how near its candidates come (gap(): spacing, one name
off, one other token off, stops short, other).
Reads QUALITY_OUT/NAME/{cases.lines.jsonl,index}; writes
QUALITY_OUT/NAME/misses.{cands,jsonl}.
"""
import collections
import json
import os
import re
import subprocess
import sys

TOK = re.compile(r'[A-Za-z_$][A-Za-z0-9_$]*|\d+|"[^"]*"|\'[^\']*\'|\S')
IDENT = re.compile(r'[A-Za-z_$]')


def norm(s):
    return '\n'.join(x.rstrip() for x in s.split('\n')).rstrip('\n')


def suite_repos(out):
    """The suite's repositories (bench/quality/fetch.sh) that main() left
    misses.cands for in QUALITY_OUT out: (name, root, folder, line cases,
    their candidate lists) each."""
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
    repos = subprocess.run(['bash', 'bench/quality/fetch.sh'], cwd=top, capture_output=True, text=True).stdout
    for line in repos.splitlines():
        name, _, _, root = line.split(maxsplit=3)
        w = os.path.join(out, name)
        if not os.path.exists(os.path.join(w, 'misses.cands')):
            continue
        cases = [json.loads(x) for x in open(os.path.join(w, 'cases.lines.jsonl'))]
        cands = [json.loads(x) for x in open(os.path.join(w, 'misses.cands'))]
        yield name, root, w, cases, cands


def one_ident_off(cand, want):
    a, b = TOK.findall(cand), TOK.findall(want)
    if len(a) != len(b):
        return None
    d = [(x, y) for x, y in zip(a, b) if x != y]
    if len(d) == 1 and IDENT.match(d[0][0]) and IDENT.match(d[0][1]):
        return d[0][1]
    return None


def gap(texts, want):
    """How close a missing case's candidates come, token for token: the
    same tokens but for spacing, one identifier off, one other token off, a
    candidate stopping short of the line (a token prefix), or none."""
    b = TOK.findall(want)
    cl = [TOK.findall(t) for t in texts]
    if b in cl:
        return 'spacing'
    for a in cl:
        if len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1:
            x, y = [(x, y) for x, y in zip(a, b) if x != y][0]
            return 'one name off' if IDENT.match(x) and IDENT.match(y) else 'one token off'
    if any(a and len(a) < len(b) and b[:len(a)] == a for a in cl):
        return 'stops short'
    return 'other'


def main():
    if len(sys.argv) < 2:
        sys.exit('usage: misses.py QUALITY_OUT [TACIT]')
    out = sys.argv[1]
    tacit = os.path.realpath(sys.argv[2] if len(sys.argv) > 2 else 'build/tacit')
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
    repos = subprocess.run(['bash', 'bench/quality/fetch.sh'], cwd=top, capture_output=True, text=True).stdout
    total = collections.Counter()
    rows = []
    for line in repos.splitlines():
        name, _, _, root = line.split(maxsplit=3)
        w = os.path.join(out, name)
        cases_f = os.path.join(w, 'cases.lines.jsonl')
        if not os.path.exists(cases_f):
            continue
        cands_f = os.path.join(w, 'misses.cands')
        if os.path.exists(cands_f):
            os.remove(cands_f)
        subprocess.run([tacit, 'eval', '--root', root, '--cache-dir', os.path.join(w, 'index'), '--quiet',
                        '--cases', cases_f, '--threshold', '0', '--out', os.path.join(w, 'misses.jsonl')],
                       env=dict(os.environ, TACIT_CANDS=cands_f), check=True, stdout=subprocess.DEVNULL)
        cases = [json.loads(x) for x in open(cases_f)]
        base_f = os.path.join(w, 'base.jsonl')
        bases = {b['id']: b['suggestion'] for b in map(json.loads, open(base_f))} if os.path.exists(base_f) else {}
        cands = [json.loads(x) for x in open(cands_f)]
        if len(cases) != len(cands):
            sys.exit(f'misses: {name}: {len(cands)} candidate lists for {len(cases)} cases')
        lines = {(c['prefix'].rsplit('\n', 1)[-1] + c['expected']).strip() for c in cases}
        where = collections.defaultdict(set)
        for d, _, fs in os.walk(root):
            for f in fs:
                p = os.path.join(d, f)
                try:
                    text = open(p, encoding='utf-8', errors='replace').read()
                except OSError:
                    continue
                rel = os.path.relpath(p, root)
                for x in set(y.strip() for y in text.split('\n')):
                    if x in lines:
                        where[x].add(rel)
        n = collections.Counter()
        for c, cl in zip(cases, cands):
            want = norm(c['expected'])
            whole = (c['prefix'].rsplit('\n', 1)[-1] + c['expected']).strip()
            buf = set(x.strip() for x in c['prefix'].split('\n')[:-1]) | set(x.strip() for x in c['suffix'].split('\n'))
            at = 'buffer' if whole in buf else 'workspace' if where.get(whole, set()) - {c['path']} else 'novel'
            texts = [norm(x['t']) for x in cl]
            cls = 'chosen' if texts[:1] == [want] else 'not chosen' if want in texts else 'missing'
            n[(cls, at)] += 1
            n[cls] += 1
            n[at] += 1
            n['cases'] += 1
            base = bases.get(c['id'])
            if base is not None and norm(base) == want and cls != 'chosen':
                n['base right: ' + cls] += 1
            if cls == 'missing' and at != 'novel':
                kind = 'line start' if not c['prefix'].rsplit('\n', 1)[-1].strip() else 'mid-line'
                n[f'verbatim missing: {at}, {kind}'] += 1
                n['verbatim missing: 64 candidates'] += len(cl) >= 64
            if cls == 'missing':
                n['missing: ' + gap(texts, want)] += 1
                for t in texts:
                    right = one_ident_off(t, want)
                    if right:
                        n['near'] += 1
                        n['near, name in buffer'] += right in set(TOK.findall(c['prefix'][-6000:] + c['suffix'][:3000]))
                        break
        rows.append((name, n))
        total += n
    rows.append(('all', total))
    cols = [('chosen', a) for a in ('buffer', 'workspace', 'novel')] + \
           [('not chosen', a) for a in ('buffer', 'workspace', 'novel')] + \
           [('missing', a) for a in ('buffer', 'workspace', 'novel')]
    print('| repository | cases | ' + ' | '.join(f'{c} ({a})' for c, a in cols) + ' | near (name in buffer) |')
    print('|---' * (len(cols) + 3) + '|')
    for name, n in rows:
        print(f'| {name} | {n["cases"]} | ' + ' | '.join(str(n[k]) for k in cols) +
              f' | {n["near"]} ({n["near, name in buffer"]}) |')
    print()
    extra = [k for k in sorted(x for x in total if isinstance(x, str)) if k.startswith(('base right', 'verbatim missing', 'missing:'))]
    print('| repository | ' + ' | '.join(extra) + ' |')
    print('|---' * (len(extra) + 1) + '|')
    for name, n in rows:
        print(f'| {name} | ' + ' | '.join(str(n[k]) for k in extra) + ' |')


if __name__ == '__main__':
    main()
