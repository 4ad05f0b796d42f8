#!/bin/bash
# outside.sh BIN OUT: the five repositories outside the quality suite
# (bench/rankfit/fetch.sh puts them in ~/.cache/tacit/rankfit), 200 masked
# lines each, three rankings; prints the cases right (no threshold) per
# repository and ranking, and the sum.
BIN=$(realpath "$1"); OUT=$2; mkdir -p $OUT
C=${XDG_CACHE_HOME:-$HOME/.cache}/tacit/rankfit
tot=0
for r in commander-11.1.0 express-4.22.3 pyyaml ksched e1000e; do
  line="$r"
  for s in 1 1000 2000; do
    if [ $s = 1 ]; then e=""; else e="TACIT_RANK_SEED=$s"; fi
    d=$(mktemp -d)
    env $e nice "$BIN" eval --root $C/$r --cache-dir $d --quiet --mask 200 --seed 1 --threshold 0 --json > $OUT/$r.$s.json 2>$OUT/$r.$s.err
    rm -rf $d
    n=$(python3 -c "import json; a=json.load(open('$OUT/$r.$s.json'))['full'][0]; print(round(a['em']*a['n']))")
    line="$line $n"; tot=$((tot + ${n%.*}))
  done
  echo "$line"
done
echo "total $tot"
