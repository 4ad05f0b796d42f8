#!/usr/bin/env python3
"""suite_dumps.py - the quality suite as dumps for cv.c and trees.c.

    QUALITY_OUT=/tmp/q bash bench/quality.sh
    TACIT_CANDS_F=1 python3 bench/rankfit/misses.py /tmp/q [TACIT]
    python3 bench/rankfit/suite_dumps.py /tmp/q [TACIT]

Writes, in dump.h's format (a "# NAME" line per repository, then
"CASE LABEL F0 .. F55" per candidate):
  QUALITY_OUT/suite-cands.txt  every suite line case's candidates with
      their features (misses.py's misses.cands; TACIT_CANDS_F=1 there
      adds the features), label 1 when the text is the expected one; a case
      without candidates is one all-zero row;
  QUALITY_OUT/suite-own.txt    each suite repository's own masked cases,
      the ones the engine fits its per-repository trees on when it indexes
      it (TACIT_RANK_DUMP, the index copied and its saved ranker removed).
Only for checks (cv.c's TEST, trees.c): never fit the built-in prior on
them."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from misses import norm, suite_repos  # noqa: E402


def main():
    if len(sys.argv) < 2:
        sys.exit('usage: suite_dumps.py QUALITY_OUT [TACIT]')
    out = sys.argv[1]
    tacit = os.path.realpath(sys.argv[2] if len(sys.argv) > 2 else 'build/tacit')
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
    nf = int(re.search(r'#define TC_RANK_NF (\d+)', open(os.path.join(top, 'src', 'rank', 'rank.h')).read()).group(1))
    own = os.path.join(out, 'suite-own.txt')
    if os.path.exists(own):
        os.remove(own)
    with open(os.path.join(out, 'suite-cands.txt'), 'w') as fo:
        for name, root, w, cases, cands in suite_repos(out):
            fo.write(f'# {name}\n')
            for i, (c, cl) in enumerate(zip(cases, cands)):
                want = norm(c['expected'])
                if cl and 'f' not in cl[0]:
                    sys.exit('suite_dumps: no features in misses.cands: run misses.py with TACIT_CANDS_F=1')
                if not cl:
                    fo.write(f'{i} 0' + ' 0' * nf + '\n')
                for x in cl:
                    f = ' '.join('%.6g' % (0 if v is None else v) for v in x['f'])
                    fo.write(f'{i} {int(norm(x["t"]) == want)} {f}\n')
            with tempfile.TemporaryDirectory() as tmp:
                idx = os.path.join(tmp, 'index')
                shutil.copytree(os.path.join(w, 'index'), idx)
                for f in os.listdir(idx):
                    if f.startswith('rank.txt'):
                        os.remove(os.path.join(idx, f))
                with open(own, 'a') as fp:
                    fp.write(f'# {name}\n')
                subprocess.run([tacit, 'eval', '--mask', '1', '--seed', '1', '--root', root, '--cache-dir', idx,
                                '--threshold', '0', '-q'], env=dict(os.environ, TACIT_RANK_DUMP=own), check=True,
                               stdout=subprocess.DEVNULL)
            print(f'suite_dumps: {name}', file=sys.stderr)


if __name__ == '__main__':
    main()
