#!/usr/bin/env python3
"""reach.py - why lines that stand verbatim in the buffer or the workspace
never reach the candidate pool (after misses.py).

    python3 bench/rankfit/misses.py /tmp/q build/tacit       # misses.cands
    python3 bench/rankfit/reach.py /tmp/q WORK [TAG=TACIT ...]

Takes the line cases of QUALITY_OUT that misses.py calls missing (the
expected text among none of the candidates) whose whole line stands
verbatim in the buffer or in another file of the repository, and says for
each where that line stands: buffer (lines above or below the cursor, the
non-blank lines right before it that equal the cursor's) or workspace (how
many copies; whether a copy follows the cursor's previous non-blank line,
order 1 and 2 as the successor source keys it; at mid-line, how many
workspace lines start with the typed tokens); and for both whether a copy
stands right before a copy of the cursor's next non-blank line.

Each TAG=TACIT (a build) answers those cases again (`eval --cases`, no
threshold, on copies of QUALITY_OUT's indexes in WORK, TACIT_CANDS set):
whether the line is then among the candidates, and at which rank. Builds
with one limit lifted say which limit cut it, e.g. (constants of
src/suggest/suggest.c, each build also with SG_MAX_CANDS 8192):

    cap   SG_MAX_CANDS 64 -> 8192 (alone)      bufk  SG_BUF_KEEP 16 -> 4096
    pre   SG_PRE_PLACES 32 -> 4096             succ  SG_SUCC_PLACES 24 -> 4096
    hits  SG_COPY_HITS 8 -> 64                 all   all of them

Prints the cases by where and kind (line start, mid-line) and by the first
of those tags that reaches them (`cap` first: "pool full"), `none` when no
build does. Writes WORK/reach.json.
"""
import collections
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from misses import TOK, norm, suite_repos  # noqa: E402

WORD = re.compile(r'[A-Za-z_"\']')


def nonblank(lines):
    return [x.strip() for x in lines if x.strip()]


def read_tree(root):
    files = {}
    for d, _, fs in os.walk(root):
        for f in fs:
            p = os.path.join(d, f)
            try:
                files[os.path.relpath(p, root)] = open(p, encoding='utf-8', errors='replace').read().split('\n')
            except OSError:
                pass
    return files


def before_next(lines, whole, nxt):
    nb = nonblank(lines)
    return any(x == whole and nb[i + 1] == nxt for i, x in enumerate(nb[:-1]))


def where(c, whole, files):
    """Where the case's line stands, or None when nowhere but its own place."""
    cur = c['prefix'].rsplit('\n', 1)[-1]
    above, below = c['prefix'].split('\n')[:-1], c['suffix'].split('\n')[1:]
    prev, nxt = nonblank(above), (nonblank(below) or [''])[0]
    r = {'kind': 'line start' if not cur.strip() else 'mid-line', 'next worded': bool(WORD.search(nxt))}
    ab = [i for i, x in enumerate(reversed(above)) if x.strip() == whole]
    be = [i for i, x in enumerate(below) if x.strip() == whole]
    if ab or be:
        r.update(at='buffer', above=ab[0] + 1 if ab else None, below=be[0] + 1 if be else None,
                 before_next=before_next(above + ['\0'] + below, whole, nxt))
        return r
    occ = [(f, i) for f, ls in files.items() if f != c['path'] for i, x in enumerate(ls) if x.strip() == whole]
    if not occ:
        return None

    def prevs(f, i):
        return nonblank(files[f][max(0, i - 50):i])[::-1][:2]
    r.update(at='workspace', copies=len(occ), files=len({f for f, _ in occ}),
             after_prev=sum(prevs(f, i)[:1] == prev[-1:] for f, i in occ),
             after_prev2=sum(prevs(f, i) == prev[::-1][:2] for f, i in occ),
             before_next=any(before_next(ls, whole, nxt) for f, ls in files.items() if f != c['path']))
    if r['kind'] == 'mid-line':
        t = TOK.findall(cur)
        r['prefix_places'] = sum(1 for f, ls in files.items() if f != c['path'] for x in ls
                                 if TOK.findall(x.strip())[:len(t)] == t and len(TOK.findall(x.strip())) > len(t))
    return r


def main():
    if len(sys.argv) < 3:
        sys.exit('usage: reach.py QUALITY_OUT WORK [TAG=TACIT ...]')
    out, work = sys.argv[1], sys.argv[2]
    builds = [a.split('=', 1) for a in sys.argv[3:]]
    rows = []
    for name, root, w, cases, cands in suite_repos(out):
        files = read_tree(root)
        miss = []
        for c, cl in zip(cases, cands):
            whole = (c['prefix'].rsplit('\n', 1)[-1] + c['expected']).strip()
            if norm(c['expected']) in [norm(x['t']) for x in cl]:
                continue
            r = where(c, whole, files)
            if r:
                r.update(repo=name, id=c['id'], line=whole, ncands=len(cl), rank={})
                miss.append((c, r))
        ww = os.path.join(work, name)
        os.makedirs(ww, exist_ok=True)
        if not os.path.exists(os.path.join(ww, 'index')):
            subprocess.run(['cp', '-r', os.path.join(w, 'index'), os.path.join(ww, 'index')], check=True)
        with open(os.path.join(ww, 'reach.jsonl'), 'w') as f:
            for c, _ in miss:
                f.write(json.dumps(c) + '\n')
        for tag, tacit in builds:
            cf = os.path.join(ww, f'reach.{tag}.cands')
            if os.path.exists(cf):
                os.remove(cf)
            subprocess.run([os.path.realpath(tacit), 'eval', '--root', root, '--cache-dir', os.path.join(ww, 'index'),
                            '--quiet', '--cases', os.path.join(ww, 'reach.jsonl'), '--threshold', '0', '--out',
                            os.path.join(ww, f'reach.{tag}.jsonl')], env=dict(os.environ, TACIT_CANDS=cf), check=True,
                           stdout=subprocess.DEVNULL)
            for (c, r), l in zip(miss, open(cf)):
                texts = [norm(x['t']) for x in json.loads(l)]
                want = norm(c['expected'])
                r['rank'][tag] = texts.index(want) if want in texts else -1
        rows += [r for _, r in miss]
    n = collections.Counter()
    for r in rows:
        reached = [t for t, _ in builds if r['rank'].get(t, -1) >= 0]
        r['cause'] = 'pool full' if 'cap' in reached else reached[0] if reached else 'none'
        n[(r['at'], r['kind'], r['cause'], 'before next' if r['before_next'] and r['next worded'] else '')] += 1
    json.dump(rows, open(os.path.join(work, 'reach.json'), 'w'), indent=1)
    print(f'{len(rows)} missing line cases whose line stands verbatim in the buffer or the workspace')
    print('| where | kind | first build that reaches it | right before a copy of the next (worded) line | cases |')
    print('|---|---|---|---|---|')
    for k, v in sorted(n.items()):
        print('| ' + ' | '.join(k) + f' | {v} |')


if __name__ == '__main__':
    main()
