#!/usr/bin/env python3
"""nearmiss.py - the missing cases that a candidate comes one name, one
token or a few tokens short of, and where the right name could be found.

    python3 bench/rankfit/misses.py /tmp/q [build/tacit]   # writes misses.cands
    python3 bench/rankfit/nearmiss.py /tmp/q [-v]

Reads QUALITY_OUT/NAME/{cases.lines.jsonl,misses.cands} (misses.py's
candidate lists, in ranked order) and, for every missing case (the right
line is not among the candidates), takes the best-ranked candidate that is
one identifier off, else one other token off, else a token prefix of the
right line (stops short). Prints, per class and over all repositories:

  source    which candidate sources made the near candidate (misses.py's
            flags: n-gram, copy, buffer, successor, prefix, renamed,
            import, frequent)
  position  where the wrong token is: the first token of the completion,
            its last, or one between
  where     (one name off) the first place, in this order, where the right
            name stands: at the same token position of the line above
            ("prev line, same pos"); anywhere on the line above; the 3
            lines above; assigned or declared on the 30 lines above (a name
            before `=`, `:=`, `:` or `;` ending a declaration); the
            parameters of the enclosing function (the nearest line above
            with less indentation that has a `(`); elsewhere before the
            cursor; the 3 lines below; elsewhere below; nowhere in the
            buffer
  wrong     (one name off) whether the candidate's wrong name is used in the
            buffer at all (a copy's own name, or a buffer name misplaced)
  stem      (one name off) whether the right and wrong names share a stem
            (one is the other with a prefix or suffix changed: a common
            part of at least 4 characters at either end)
  sibling   (one name off) whether the two names are siblings as
            src/suggest/sibling.h defines them, and the right one in the buffer
  short     (stops short) how many tokens the candidate lacks
  pair      (one token off) the kind of the two tokens: strings, numbers,
            a name for another kind of token, punctuation
  rank      the near candidate's rank among the request's candidates
-v prints each one-name-off case.
"""
import collections
import json
import os
import re
import sys

TOK = re.compile(r'[A-Za-z_$][A-Za-z0-9_$]*|\d+|"[^"]*"|\'[^\']*\'|\S')
IDENT = re.compile(r'[A-Za-z_$]')
PART = re.compile(r'_+|\d+|[A-Z]?[a-z]+|[A-Z]+(?![a-z])|.')
KEYWORDS = set('if else for while return do switch case break continue goto struct union enum static const '
               'int char void long unsigned signed short float double sizeof typedef extern func var let fn mut '
               'pub impl use def class import from in not and or is None True False self this new null nil '
               'true false try catch finally throw throws public private protected final async await function '
               'package type interface yield with as lambda pass raise elif except match loop where unsafe'.split())


def norm(s):
    return '\n'.join(x.rstrip() for x in s.split('\n')).rstrip('\n')


def indent(line):
    return len(line) - len(line.lstrip(' \t'))


def near_kind(cands, want):
    """The best-ranked near candidate: (class, candidate, index of the
    differing token or the number of tokens missing)."""
    b = TOK.findall(want)
    toks = [(x, TOK.findall(norm(x['t']))) for x in cands]
    for cls in ('one name off', 'one token off'):
        for x, a in toks:
            if len(a) != len(b):
                continue
            d = [i for i, (p, q) in enumerate(zip(a, b)) if p != q]
            if len(d) != 1:
                continue
            named = IDENT.match(a[d[0]]) and IDENT.match(b[d[0]])
            if (cls == 'one name off') == bool(named):
                return cls, x, a, d[0]
    for x, a in toks:
        if a and len(a) < len(b) and b[:len(a)] == a:
            return 'stops short', x, a, len(b) - len(a)
    return None


def assigned(lines):
    """Names assigned or declared on lines: the identifier before `=`,
    `:=`, `+=`..., or the last identifier of a line ending `;` whose tokens
    are all words, `*` or `,` (a declaration), or before `:` (a Python or
    TypeScript annotation, a Go/Rust field)."""
    out = set()
    for ln in lines:
        t = TOK.findall(ln)
        for i, x in enumerate(t[:-1]):
            if IDENT.match(x) and (t[i + 1] in ('=', ':') or (t[i + 1] in '+-*/|&' and i + 2 < len(t) and t[i + 2] == '=')):
                out.add(x)
        if t and t[-1] == ';' and all(IDENT.match(x) or x in '*,[]' or x.isdigit() for x in t[:-1]):
            out.update(x for x in t[:-1] if IDENT.match(x))
        if 'let' in t or 'var' in t or 'const' in t:
            out.update(x for x in t if IDENT.match(x))
    return out


def params(above, ind):
    """The identifiers between the brackets of the nearest line above with
    less indentation than ind that has a `(` (the enclosing function's
    header, or a block's head)."""
    for ln in reversed(above[-400:]):
        if ln.strip() and indent(ln) < ind and '(' in ln:
            inner = ln[ln.index('(') + 1:]
            return set(x for x in TOK.findall(inner) if IDENT.match(x))
    return set()


def stem(a, b):
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    m = 0
    while m < min(len(a), len(b)) - n and a[-1 - m] == b[-1 - m]:
        m += 1
    return n >= 4 or m >= 4


def sibling(a, b):
    """sibling.h's siblings: the same number of parts (at least two), one
    part different."""
    pa, pb = PART.findall(a), PART.findall(b)
    return a != b and len(pa) == len(pb) >= 2 and sum(x != y for x, y in zip(pa, pb)) == 1


def where(c, right, pos_line):
    pre = c['prefix'].split('\n')
    above, cur = pre[:-1], pre[-1]
    below = c['suffix'].split('\n')[1:]
    ab = [x for x in above if x.strip()]
    prev = ab[-1] if ab else ''
    pt = TOK.findall(prev)
    if pos_line < len(pt) and pt[pos_line] == right:
        return 'prev line, same pos'
    if right in pt:
        return 'prev line'
    if any(right in TOK.findall(x) for x in ab[-3:]):
        return '3 lines above'
    if right in assigned(ab[-30:]):
        return 'assigned above (30 lines)'
    if right in params(above, indent(cur) if cur.strip() else indent(cur) + 1):
        return 'parameters'
    if right in set(TOK.findall(c['prefix'])):
        return 'before, further'
    bl = [x for x in below if x.strip()]
    if any(right in TOK.findall(x) for x in bl[:3]):
        return '3 lines below'
    if right in set(TOK.findall(c['suffix'])):
        return 'below, further'
    return 'not in buffer'


def main():
    if len(sys.argv) < 2:
        sys.exit('usage: nearmiss.py QUALITY_OUT [-v]')
    out, verbose = sys.argv[1], '-v' in sys.argv[2:]
    tally = collections.defaultdict(collections.Counter)
    per_repo = collections.defaultdict(collections.Counter)
    for name in sorted(os.listdir(out)):
        cf, kf = os.path.join(out, name, 'cases.lines.jsonl'), os.path.join(out, name, 'misses.cands')
        if not (os.path.exists(cf) and os.path.exists(kf)):
            continue
        cases = [json.loads(x) for x in open(cf)]
        cands = [json.loads(x) for x in open(kf)]
        for c, cl in zip(cases, cands):
            want = norm(c['expected'])
            texts = [norm(x['t']) for x in cl]
            if want in texts:
                continue
            k = near_kind(cl, want)
            if not k:
                continue
            cls, x, a, d = k
            per_repo[name][cls] += 1
            tally[cls]['n'] += 1
            tally[cls]['source ' + x['s']] += 1
            tally[cls]['rank ' + ('1' if texts.index(norm(x['t'])) == 0 else '2-4' if texts.index(norm(x['t'])) < 4 else '5+')] += 1
            if cls == 'stops short':
                tally[cls]['short by %s' % (d if d < 4 else '4+')] += 1
                continue
            tally[cls]['position ' + ('first' if d == 0 else 'last' if d == len(a) - 1 else 'middle')] += 1
            if cls != 'one name off':
                x, y = a[d], TOK.findall(want)[d]
                kind = ('string' if x[:1] in '"\'' and y[:1] in '"\'' else 'number' if x.isdigit() and y.isdigit()
                        else 'name for other' if IDENT.match(x) or IDENT.match(y) else 'punctuation')
                tally[cls]['pair ' + kind] += 1
                continue
            right, wrong = TOK.findall(want)[d], a[d]
            lead = TOK.findall(c['prefix'].split('\n')[-1])
            w = where(c, right, len(lead) + d)
            tally[cls]['where ' + w] += 1
            buf = set(TOK.findall(c['prefix'])) | set(TOK.findall(c['suffix']))
            tally[cls]['wrong name in buffer: %s' % ('yes' if wrong in buf else 'no')] += 1
            tally[cls]['stem shared: %s' % ('yes' if stem(wrong, right) else 'no')] += 1
            tally[cls]['sibling %s' % ('yes, right name in the buffer' if sibling(wrong, right) and right in buf
                                       else 'yes, not in the buffer' if sibling(wrong, right) else 'no')] += 1
            tally[cls]['kind ' + ('line start' if not c['prefix'].split('\n')[-1].strip() else 'mid-line')] += 1
            if verbose:
                print(f'{name} {c["id"]} [{x["s"]}] {wrong} -> {right} ({w}): {want}')
    print('| repository | one name off | one token off | stops short |')
    print('|---|---|---|---|')
    for name, n in per_repo.items():
        print(f'| {name} | {n["one name off"]} | {n["one token off"]} | {n["stops short"]} |')
    for cls in ('one name off', 'one token off', 'stops short'):
        t = tally[cls]
        print(f'\n{cls}: {t["n"]} cases')
        for pre in ('where', 'wrong', 'stem', 'sibling', 'kind', 'position', 'rank', 'short', 'source', 'pair'):
            items = sorted(((k, v) for k, v in t.items() if k.startswith(pre + ' ')), key=lambda kv: -kv[1])
            if items:
                print(f'  {pre}: ' + '; '.join(f'{k[len(pre) + 1:]} {v}' for k, v in items[:12]))


if __name__ == '__main__':
    main()
