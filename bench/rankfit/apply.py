#!/usr/bin/env python3
"""apply.py - write the constants of a prior.inc (fit.sh's output) into
src/suggest/suggest.c: SG_CHOOSE_W, SG_PRIOR_W, SG_PRIOR_BIAS/PA/PB and the
candidate count in the comment above them.

    python3 bench/rankfit/apply.py [PRIOR.INC] [--check]

PRIOR.INC defaults to /tmp/tacit-rankfit/prior.inc. --check changes nothing
and exits 1 when suggest.c's constants differ from PRIOR.INC's."""
import os, re, sys

args = [a for a in sys.argv[1:] if a != '--check']
check = '--check' in sys.argv[1:]
inc_path = args[0] if args else '/tmp/tacit-rankfit/prior.inc'
src = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'src', 'suggest', 'suggest.c')
inc = open(inc_path).read().split('\n')
s = old = open(src).read()


def line(prefix):
    got = [l for l in inc if l.startswith(prefix)]
    if len(got) != 1:
        sys.exit(f'apply.py: {inc_path} has no single line starting "{prefix}"')
    return got[0]


def sub(pattern, repl, text):
    new, n = re.subn(pattern, lambda m: repl, text)
    if n != 1:
        sys.exit(f'apply.py: {pattern} matched {n} times in suggest.c')
    return new


s = sub(r'static const double SG_CHOOSE_W\[TC_RANK_NF\] = \{[^}]*\};', line('static const double SG_CHOOSE_W'), s)
s = sub(r'static const double SG_PRIOR_W\[TC_RANK_NF\] = \{[^}]*\};', line('static const double SG_PRIOR_W'), s)
s = sub(r'static const double SG_PRIOR_BIAS = [^;]*;', line('static const double SG_PRIOR_BIAS'), s)
counts = re.search(r'on (\d+) candidates of (\d+) masked cases', line('/* built-in prior'))
consts = s
s = sub(r'on \d+ candidates of \d+ masked cases', counts.group(0), s)
if check:
    same = consts == old
    print('suggest.c: constants ' + ('equal' if same else 'DIFFER from') + f' {inc_path}')
    sys.exit(0 if same else 1)
if s != old:
    open(src, 'w').write(s)
print('suggest.c: ' + ('updated' if s != old else 'unchanged'))
