#!/bin/bash
# nereplay.sh BIN OUT [--example-at middle]: the seven next-edit histories
# (bench/nextedit_histories.sh makes them) replayed with one and two
# examples, --json into OUT/NAME.N.json, two at a time; tables: netab2.py.
BIN=$1; OUT=$2; shift 2; mkdir -p $OUT
for r in /tmp/s17-neconf-tacit /tmp/ne-hist/{semver,commander,node-gyp,nan,rxjs,node-addon-api}; do
  for ex in 1 2; do
    [ "$*" = "--example-at middle" ] && [ $ex = 2 ] && continue
    while [ "$(jobs -rp | wc -l)" -ge 2 ]; do wait -n; done
    nice $BIN eval --next-edits --history 100 --root $r --examples $ex "$@" --json > $OUT/$(basename $r).$ex.json 2>$OUT/$(basename $r).$ex.err &
  done
done
wait; echo done
