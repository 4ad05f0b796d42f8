#!/bin/bash
# q3.sh BIN PREFIX: bench/quality.sh under the three rankings (the default,
# TACIT_RANK_SEED=1000, =2000) into PREFIX-s1, PREFIX-s1000, PREFIX-s2000;
# compare two such runs with bench/cmp/cmp3.sh. Run from anywhere; the
# suite's repositories come from bench/quality/fetch.sh, the naive baseline
# is cached (TACIT_SHARED: the shared folder, default ../shared).
set -u
BIN=$(realpath "$1"); P=$2
cd "$(dirname "$0")/../.."
SHARED=${TACIT_SHARED:-$(realpath ../shared)}
for s in 1 1000 2000; do
  if [ $s = 1 ]; then e=""; else e="TACIT_RANK_SEED=$s"; fi
  env $e QUALITY_OUT=$P-s$s TACIT=$BIN TACIT_SHARED=$SHARED QUALITY_JOBS=${QUALITY_JOBS:-2} bash bench/quality.sh >/dev/null 2>$P-s$s.log
done
echo done
