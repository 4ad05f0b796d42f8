#!/usr/bin/env bash
# fit.sh - refit the embedded ranker's built-in prior (SG_CHOOSE_W,
# SG_PRIOR_W/BIAS/PA/PB in src/suggest/suggest.c) on the five repositories
# of fetch.sh, none of which is in the quality suite.
#
#   bash bench/rankfit/fit.sh [OUTDIR]        (default /tmp/tacit-rankfit)
#
# For each repository, build/tacit opens it in a fresh cache folder, which
# fits its own ranker on 640 lines masked from it (SG_RANK_CASES, seed
# SG_RANK_SEED); TACIT_RANK_DUMP appends every candidate of those cases
# (case, label, features) to OUTDIR/dump.txt. (`eval --mask 1` is only there
# to open the workspace: its one case is not part of the dump.) Then prior.c
# fits the constants on the dump -> OUTDIR/prior.inc, and cv.c prints the
# leave-one-repository-out top-1 check -> OUTDIR/cv.txt.
# Then: python3 bench/rankfit/apply.py OUTDIR/prior.inc (and bump
# SG_RANK_VERSION when features or candidates changed).
# RANKFIT_SEEDS="default 1 2" dumps each repository's cases under several
# samples (TACIT_RANK_SEED; "default" is the engine's own SG_RANK_SEED):
# more cases for the fit, the same five repositories.
# Environment: TACIT (default build/tacit), TACIT_RANKFIT_CACHE (see fetch.sh), CC,
# RANKFIT_SEEDS.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
out=${1:-/tmp/tacit-rankfit}
tacit=${TACIT:-build/tacit}
[ -x "$tacit" ] || { echo "rankfit: no $tacit (make)" >&2; exit 1; }
mkdir -p "$out"
export TACIT_COPY_CONTEXT=1 # features 66-67 (on in the engine by default; set so the dump never depends on it)
export TACIT_RANK_BAG=1   # the prior is fitted on one sample a repository (the engine bags 2 by default: SG_RANK_BAG, src/suggest/suggest.c)
bash bench/rankfit/fetch.sh >"$out/repos.txt"
dump=$out/dump.txt
rm -f "$dump"
for seed in ${RANKFIT_SEEDS:-default}; do
    while read -r name dir; do
        cache=$out/cache-$name
        rm -rf "$cache"
        echo "# $name" >>"$dump"
        echo "rankfit: $name ($dir, seed $seed)" >&2
        if [ "$seed" = default ]; then unset TACIT_RANK_SEED; else export TACIT_RANK_SEED=$seed; fi
        TACIT_RANK_DUMP=$dump "$tacit" eval --mask 1 --seed 1 --root "$dir" --cache-dir "$cache" \
            --threshold 0 -q >/dev/null
    done <"$out/repos.txt"
done
unset TACIT_RANK_SEED
"${CC:-cc}" -O2 -Isrc -o "$out/prior" bench/rankfit/prior.c src/rank/rank.c -lm
"${CC:-cc}" -O2 -Isrc -o "$out/cv" bench/rankfit/cv.c src/rank/rank.c -lm
"$out/prior" "$dump" >"$out/prior.inc"
"$out/cv" "$dump" >"$out/cv.txt"
cat "$out/prior.inc" "$out/cv.txt"
