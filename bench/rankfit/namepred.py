#!/usr/bin/env python3
"""namepred.py - which cheap predictor of the buffer names the right
identifier of the one-name-off misses, and at what cost in candidates.

    python3 bench/rankfit/misses.py /tmp/q [build/tacit]   # writes misses.cands
    python3 bench/rankfit/namepred.py /tmp/q [BASES] [PER_SLOT]

For every line case, the BASES best-ranked candidates (default 3) each give
variants with one identifier replaced by a name a predictor proposes for
that slot (at most PER_SLOT a slot, default 2, the nearest to the cursor
first, the line's own names never, none already a candidate). A slot's
context: the token before it (the typed text's last one for the first)
and the token after it (end of line after the last). Predictors over the
case's buffer (prefix and suffix, the masked line left out):

  left      names that follow the slot's previous token somewhere
  right     names that precede the slot's next token somewhere
  both      names with both: the trigram prev NAME next stands in the buffer
  both-new  `both`, and the replaced name's own trigram does not stand there
  above     the name at the same slot of the nearest line above (30 lines)
            that has the candidate's tokens but at that slot
  assigned  names assigned or declared on the 30 lines above
  seq       names that follow the replaced one in the buffer with one
            separator between (`w, x`, `w;` then `x`)
  par       names at the replaced one's place on the next line of two
            consecutive buffer lines that differ in that name alone
  parb      `par` both ways (the earlier line's name for the later's too)
  par3      `parb` for two lines at most 3 non-blank lines apart: what
            src/suggest/sibling.c's name pairs (tc_sibling_pairs) build
  sibling   sibling.h's siblings (last round's rule, for comparison)

Prints per predictor: missing cases it makes right (all, and those not
already right by sibling), variants a request over all line cases, and the
share of variants that are right (how hard choosing among them is).
"""
import collections
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nearmiss import TOK, IDENT, KEYWORDS, norm, assigned, sibling  # noqa: E402


def lines_tokens(text):
    return [TOK.findall(x) for x in text.split('\n')]


def stream(lines):
    out = []
    for t in lines:
        out.extend(t)
        out.append('\n')
    return out


def main():
    out = sys.argv[1]
    bases = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    per = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    preds = ('left', 'right', 'both', 'both-new', 'above', 'assigned', 'seq', 'par', 'parb', 'par3', 'sibling', 'both|sibling',
             'both-new|sibling', 'seq|sibling', 'seq|par|sibling', 'par3|sibling')
    fixed = collections.Counter()
    fixed_repo = collections.defaultdict(collections.Counter)
    nvar = collections.Counter()
    nright = collections.Counter()
    ncases = 0
    for name in sorted(os.listdir(out)):
        cf, kf = os.path.join(out, name, 'cases.lines.jsonl'), os.path.join(out, name, 'misses.cands')
        if not (os.path.exists(cf) and os.path.exists(kf)):
            continue
        for c, cl in zip((json.loads(x) for x in open(cf)), (json.loads(x) for x in open(kf))):
            ncases += 1
            want = norm(c['expected'])
            texts = [norm(x['t']) for x in cl]
            missing = want not in texts
            wt = TOK.findall(want)
            pre = c['prefix'].split('\n')
            lead = TOK.findall(pre[-1])
            bl = lines_tokens('\n'.join(pre[:-1]))
            al = lines_tokens('\n'.join(c['suffix'].split('\n')[1:]))
            before, after = stream(bl), stream(al)
            # (name -> distance) per context, nearest first; before the cursor first
            seq = [(t, len(before) - i) for i, t in enumerate(before)] + \
                  [(t, 10**6 + i) for i, t in enumerate(after)]
            toks = [t for t, _ in seq]
            left, right, both = {}, {}, {}
            for i in range(1, len(toks) - 1):
                x = toks[i]
                if not IDENT.match(x) or x in KEYWORDS:
                    continue
                d = seq[i][1]
                for dct, key in ((left, toks[i - 1]), (right, toks[i + 1]), (both, (toks[i - 1], toks[i + 1]))):
                    m = dct.setdefault(key, {})
                    if x not in m or d < m[x]:
                        m[x] = d
            trig = set((toks[i - 1], toks[i], toks[i + 1]) for i in range(1, len(toks) - 1))
            bufnames = {}
            for t, d in seq:
                if IDENT.match(t) and t not in KEYWORDS and (t not in bufnames or d < bufnames[t]):
                    bufnames[t] = d
            # a name's successors: x after w with one separator between, and x at w's place on the next line
            # of the same shape
            succ = collections.defaultdict(dict)
            for i in range(len(toks) - 2):
                if toks[i + 1] in (',', ';', '\n', '|') and IDENT.match(toks[i + 2]) and toks[i + 2] not in KEYWORDS:
                    d = seq[i][1]
                    if toks[i + 2] not in succ[toks[i]] or d < succ[toks[i]][toks[i + 2]]:
                        succ[toks[i]][toks[i + 2]] = d
            par, parb, par3 = (collections.defaultdict(dict) for _ in range(3))
            allines = [t for t in bl + al if t]
            nbl = len(bl)
            for li in range(len(allines) - 1):
                t = allines[li]
                if not t:
                    continue
                for lj in range(li + 1, min(len(allines), li + 4)):
                    u = allines[lj]
                    if len(t) != len(u):
                        continue
                    dif = [q for q in range(len(t)) if t[q] != u[q]]
                    if len(dif) == 1 and IDENT.match(t[dif[0]]) and IDENT.match(u[dif[0]]):
                        d = nbl - li if li < nbl else 10**6 + li
                        x, y = t[dif[0]], u[dif[0]]
                        par3[x].setdefault(y, d)
                        par3[y].setdefault(x, d)
                        if lj == li + 1:
                            par[x].setdefault(y, d)
                            parb[x].setdefault(y, d)
                            parb[y].setdefault(x, d)
            asg = assigned([' '.join(x) for x in bl[-30:]])
            got = collections.defaultdict(set)
            for ci, text in enumerate(texts[:bases]):
                a = TOK.findall(text)
                full = lead + a
                own = set(a)
                for j, w in enumerate(a):
                    if not IDENT.match(w) or w in KEYWORDS:
                        continue
                    k = len(lead) + j
                    prev = full[k - 1] if k > 0 else '\n'
                    nxt = full[k + 1] if k + 1 < len(full) else '\n'
                    cand = {}
                    cand['left'] = left.get(prev, {})
                    cand['right'] = right.get(nxt, {})
                    cand['both'] = both.get((prev, nxt), {})
                    cand['both-new'] = {} if (prev, w, nxt) in trig else cand['both']
                    ab = {}
                    for li in range(len(bl) - 1, max(-1, len(bl) - 31), -1):
                        t = bl[li]
                        if len(t) == len(full) and all(p == q for i2, (p, q) in enumerate(zip(t, full)) if i2 != k):
                            ab[t[k]] = len(bl) - li
                            break
                    cand['above'] = ab
                    cand['assigned'] = {x: bufnames.get(x, 10**7) for x in asg}
                    cand['seq'] = succ.get(w, {})
                    cand['par'] = par.get(w, {})
                    cand['parb'] = parb.get(w, {})
                    cand['par3'] = par3.get(w, {})
                    cand['sibling'] = {x: d for x, d in bufnames.items() if sibling(w, x)}
                    for p in preds:
                        if '|' in p:
                            continue
                        ns = [x for x, _ in sorted(cand[p].items(), key=lambda kv: kv[1])
                              if x != w and x not in own and IDENT.match(x) and x not in KEYWORDS][:per]
                        for x in ns:
                            got[p].add(tuple(a[:j] + [x] + a[j + 1:]))
            for p in preds:
                if '|' in p:
                    s = set()
                    for q in p.split('|'):
                        s |= got[q]
                    got[p] = s
            have = set(tuple(TOK.findall(t)) for t in texts)
            for p in preds:
                new = got[p] - have
                nvar[p] += len(new)
                if tuple(wt) in new:
                    nright[p] += 1
                    if missing:
                        fixed[p] += 1
                        fixed_repo[p][name] += 1
    print(f'{ncases} line cases, variants of the {bases} best candidates, {per} names a slot')
    print('| predictor | missing cases made right | variants a request | right / variants |')
    print('|---|---|---|---|')
    for p in preds:
        print(f'| {p} | {fixed[p]} | {nvar[p] / ncases:.1f} | {100.0 * nright[p] / max(1, nvar[p]):.2f} % |')
    print()
    for p in preds:
        print(p, dict(sorted(fixed_repo[p].items())))


if __name__ == '__main__':
    main()
