#!/usr/bin/env python3
"""midline.py - the quality suite's mid-line cases (the line's first word
typed, the rest expected) split from the line-start ones.

    QUALITY_OUT=/tmp/q bash bench/quality.sh
    python3 bench/rankfit/misses.py /tmp/q build/tacit    # misses.cands
    python3 bench/rankfit/midline.py /tmp/q [REPO,REPO,...]

For each repository (default: every one with misses.cands) and kind of
case, from QUALITY_OUT/NAME/{cases.lines.jsonl,misses.cands,base.jsonl}:
how many cases tacit chooses right, has right but not first ("not
chosen"), or lacks (by misses.py's gap(): one name off, one other token
off, stops short, spacing, other); how many the naive baseline gets right,
and of those how many tacit does not (chosen / missing). A second table
splits the mid-line cases by what was typed: a keyword or type word
(`return`, `if`, `static`, `const`, `def`, `func`, ...) by the word
itself when frequent, or a name by what the expected text starts with: a
call `(`, an assignment `=`, a member or index (`.`, `->`, `[`, `::`), a
declaration (a name after a space), other. Reads only; about a second.
"""
import collections
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
from misses import TOK, gap, norm  # noqa: E402

WORDS = set('''return if else elif for while do switch case default break continue goto static const extern
inline struct enum union typedef unsigned signed void int char long short bool float double u8 u16 u32 u64 s8
s16 s32 s64 size_t ssize_t def class from import raise try except with yield await async lambda assert del pass
func var let package type go defer range interface map chan fn pub impl use mod match mut new throw export
function private public protected final this self super'''.split())
KINDS = ('line start', 'mid-line')
CLASSES = ('chosen', 'not chosen', 'missing: one name off', 'missing: one token off', 'missing: stops short',
           'missing: spacing', 'missing: other')


def typed_kind(word, want):
    """What the typed first word is, by itself or by what follows it."""
    if word in WORDS:
        return word
    if not re.match(r'^[A-Za-z_$][\w$]*$', word):
        return 'other'
    if want.startswith('('):
        return 'name: a call'
    if re.match(r'^\s*(=|\+=|-=|\*=|/=|\|=|&=|:=|<<=|>>=)(?!=)', want):
        return 'name: assigned'
    if want.startswith(('.', '->', '[', '::')):
        return 'name: member, index'
    if re.match(r'^\s+\**[A-Za-z_$]', want):
        return 'name: declaration'
    return 'name: other'


def main():
    if len(sys.argv) < 2:
        sys.exit('usage: midline.py QUALITY_OUT [REPO,REPO,...]')
    out = sys.argv[1]
    names = sys.argv[2].split(',') if len(sys.argv) > 2 else sorted(
        d for d in os.listdir(out) if os.path.exists(os.path.join(out, d, 'misses.cands')))
    rows, total, words = [], collections.Counter(), collections.Counter()
    for name in names:
        w = os.path.join(out, name)
        cases = [json.loads(x) for x in open(os.path.join(w, 'cases.lines.jsonl'))]
        cands = [json.loads(x) for x in open(os.path.join(w, 'misses.cands'))]
        if len(cases) != len(cands):
            sys.exit(f'midline: {name}: {len(cands)} candidate lists for {len(cases)} cases (rerun misses.py)')
        base_f = os.path.join(w, 'base.jsonl')
        bases = {b['id']: b['suggestion'] for b in map(json.loads, open(base_f))} if os.path.exists(base_f) else {}
        n = collections.Counter()
        for c, cl in zip(cases, cands):
            last = c['prefix'].rsplit('\n', 1)[-1].strip()
            kind = KINDS[bool(last)]
            want = norm(c['expected'])
            texts = [norm(x['t']) for x in cl]
            cls = 'chosen' if texts[:1] == [want] else 'not chosen' if want in texts else 'missing: ' + gap(texts, want)
            n[(kind, 'cases')] += 1
            n[(kind, cls)] += 1
            base_right = norm(bases.get(c['id'], '')) == want
            n[(kind, 'naive right')] += base_right
            if base_right and cls != 'chosen':
                n[(kind, 'naive right, tacit ' + ('not chosen' if cls == 'not chosen' else 'missing'))] += 1
            if kind == 'mid-line':
                tk = typed_kind(last.split()[-1], want)
                words[(tk, 'cases')] += 1
                words[(tk, 'chosen' if cls == 'chosen' else 'lost')] += 1
                words[(tk, cls.split(':')[0])] += 1 if cls != 'chosen' else 0
                words[(tk, 'naive right')] += base_right
        rows.append((name, n))
        total += n
    rows.append(('all', total))
    cols = ('cases',) + CLASSES + ('naive right', 'naive right, tacit not chosen', 'naive right, tacit missing')
    print('| repository | kind | ' + ' | '.join(cols) + ' |')
    print('|---' * (len(cols) + 2) + '|')
    for name, n in rows:
        for kind in KINDS:
            print(f'| {name} | {kind} | ' + ' | '.join(str(n[(kind, k)]) for k in cols) + ' |')
    print()
    kinds = sorted({k for k, _ in words}, key=lambda k: -words[(k, 'cases')])
    big = [k for k in kinds if words[(k, 'cases')] >= 10]
    rest = collections.Counter()
    for k in kinds:
        if k not in big:
            for (kk, col), v in words.items():
                if kk == k:
                    rest[col] += v
    print('| mid-line: typed | cases | tacit right | lost | of them not chosen | missing | naive right |')
    print('|---|---|---|---|---|---|---|')
    for k, src in [(k, words) for k in big] + [('(fewer than 10 each)', None)]:
        get = (lambda col, k=k: words[(k, col)]) if src is not None else (lambda col: rest[col])
        print(f'| {k} | {get("cases")} | {get("chosen")} | {get("lost")} | {get("not chosen")} | '
              f'{get("missing")} | {get("naive right")} |')


if __name__ == '__main__':
    main()
