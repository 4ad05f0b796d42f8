#!/usr/bin/env python3
"""em3.py - the quality suite's line cases right under several rankings, fast.

    QUALITY_OUT=/tmp/q bash bench/quality.sh         # cases and indexes (once)
    python3 bench/rankfit/em3.py /tmp/q TACIT WORK [SEEDS] [VAR=VALUE ...]

For every repository of QUALITY_OUT with cases.lines.jsonl (bench/quality.sh
writes it), TACIT answers the line cases with no threshold (`eval --cases`,
as quality.sh's tacit0.jsonl) on a copy of the repository's index in
WORK/NAME-sSEED with the saved ranker removed, so that each run fits its own
under TACIT_RANK_SEED=SEED (SEEDS: comma-separated, default "1,1000,2000",
the three rankings of BENCHMARKS.md; 1 is the engine's own sample) and the
VAR=VALUE settings given. Prints the cases right (exact match, as score.py
counts them) per repository and ranking, their sums, and with BASE=WORK2 (an
earlier run's WORK) the cases won and lost against it. Needs no naive
baseline, so a change to the ranker is checked on the suite's 4,800 line
cases in a few minutes (EM3_JOBS runs at once, default 2); the figures are quality.sh's line
EM × 200 (main at 727b61a: 1,717, the round-21 merge's table exactly).
Writes WORK/NAME-sSEED/{out.jsonl,right.json}."""
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from misses import norm  # noqa: E402


def run(tacit, root, w, cases_f, index, seed, env):
    shutil.rmtree(w, ignore_errors=True)
    os.makedirs(w)
    if os.path.isdir(index):
        shutil.copytree(index, os.path.join(w, 'index'))
        for f in os.listdir(os.path.join(w, 'index')):
            if f.startswith('rank.txt'):
                os.remove(os.path.join(w, 'index', f))
    e = dict(env)
    if seed != '1':
        e['TACIT_RANK_SEED'] = seed
    out = os.path.join(w, 'out.jsonl')
    subprocess.run(['nice', tacit, 'eval', '--root', root, '--cache-dir', os.path.join(w, 'index'), '--quiet',
                    '--cases', cases_f, '--threshold', '0', '--out', out], env=e, check=True, stdout=subprocess.DEVNULL)
    want = {c['id']: norm(c['expected']) for c in map(json.loads, open(cases_f))}
    got = {c['id']: norm(c['suggestion']) for c in map(json.loads, open(out))}
    right = sorted(i for i in want if got.get(i) == want[i])
    json.dump(right, open(os.path.join(w, 'right.json'), 'w'))
    return set(right)


def main():
    if len(sys.argv) < 4:
        sys.exit('usage: em3.py QUALITY_OUT TACIT WORK [SEEDS] [VAR=VALUE ...]')
    qout, tacit, work = sys.argv[1], os.path.realpath(sys.argv[2]), sys.argv[3]
    rest = sys.argv[4:]
    seeds = ['1', '1000', '2000']
    if rest and '=' not in rest[0]:
        seeds = rest.pop(0).split(',')
    env = dict(os.environ)
    for a in rest:
        k, v = a.split('=', 1)
        env[k] = v
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
    repos = subprocess.run(['bash', 'bench/quality/fetch.sh'], cwd=top, capture_output=True, text=True).stdout
    jobs = []
    for line in repos.splitlines():
        name, _, _, root = line.split(maxsplit=3)
        cases_f = os.path.join(qout, name, 'cases.lines.jsonl')
        if os.path.exists(cases_f):
            jobs += [(name, root, cases_f, os.path.join(qout, name, 'index'), s) for s in seeds]
    with concurrent.futures.ThreadPoolExecutor(int(os.environ.get('EM3_JOBS', '2'))) as ex:
        res = dict(zip([(j[0], j[4]) for j in jobs],
                       ex.map(lambda j: run(tacit, j[1], os.path.join(work, f'{j[0]}-s{j[4]}'), j[2], j[3], j[4], env),
                              jobs)))
    base = os.environ.get('BASE')
    total = won = lost = 0
    for name in dict.fromkeys(j[0] for j in jobs):
        n = [len(res[(name, s)]) for s in seeds]
        total += sum(n)
        line = f'{name:16} ' + ' / '.join(map(str, n)) + f' ({sum(n)})'
        if base:
            w = l = 0
            for s in seeds:
                old = set(json.load(open(os.path.join(base, f'{name}-s{s}', 'right.json'))))
                w += len(res[(name, s)] - old)
                l += len(old - res[(name, s)])
            won, lost = won + w, lost + l
            line += f'  won {w} lost {l}'
        print(line)
    print(f'all {total}' + (f'  won {won} lost {lost}' if base else ''))


if __name__ == '__main__':
    main()
