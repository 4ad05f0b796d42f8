#!/usr/bin/env bash
# qspeed_train.sh - the ranker's training on the first open of a workspace,
# for this build and a reference build, in the same run.
#
#   bash bench/qspeed_train.sh REF_TACIT ROOT FILE:LINE:COL
#
# Per build, in a private index folder: `tacit index`, then `tacit complete`
# with TACIT_NO_RANK=1 (builds and saves the model, no ranker), then `tacit
# complete` (the first open with a ranker: it trains and saves rank.txt),
# then `tacit complete` again (the ranker loaded). Training = the third run
# less the fourth, wall and CPU (/usr/bin/time). Environment: TACIT
# (build/tacit) QSPEED_OUT (/tmp/qspeed-train).
set -uo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 3 ] || { echo "usage: bash bench/qspeed_train.sh REF_TACIT ROOT FILE:LINE:COL" >&2; exit 2; }
REF=$(realpath "$1")
ROOT=$(realpath "$2")
AT=$3
NEW=$(realpath "${TACIT:-build/tacit}")
OUT=${QSPEED_OUT:-/tmp/qspeed-train}
mkdir -p "$OUT"
echo "machine: $(nproc) cores, $(uptime | sed 's/.*load/load/'); workspace $ROOT ($(find "$ROOT" -type f | wc -l) files)"
t() { # label, command...: "wall cpu peakKB"
    local f=$OUT/t.$$
    /usr/bin/time -f '%e %U %S %M' -o "$f" "${@:2}" >/dev/null 2>"$OUT/$1.err"
    awk '{printf "%.2f %.2f %d", $1, $2 + $3, $4}' "$f"
    rm -f "$f"
}
printf '| build | index s | model s | first open with ranker: wall s / CPU s | ranker loaded: wall s / CPU s | **training: wall s / CPU s** | peak RSS training MB |\n|---|---|---|---|---|---|---|\n'
for b in ref new; do
    bin=$REF
    [ $b = new ] && bin=$NEW
    D=$OUT/ix-$b
    rm -rf "$D"
    read -r iw _ _ < <(t index-$b "$bin" index -q "$ROOT" --cache-dir "$D")
    read -r mw _ _ < <(t model-$b env TACIT_NO_RANK=1 "$bin" complete "$ROOT/$AT" --root "$ROOT" --cache-dir "$D")
    read -r fw fc fm < <(t first-$b "$bin" complete "$ROOT/$AT" --root "$ROOT" --cache-dir "$D")
    read -r lw lc _ < <(t loaded-$b "$bin" complete "$ROOT/$AT" --root "$ROOT" --cache-dir "$D")
    [ -s "$D/rank.txt" ] || echo "($b: no rank.txt saved)"
    printf '| %s | %s | %s | %s / %s | %s / %s | **%s / %s** | %d |\n' "$b" "$iw" "$mw" "$fw" "$fc" "$lw" "$lc" \
        "$(awk -v a="$fw" -v b="$lw" 'BEGIN{printf "%.2f", a-b}')" "$(awk -v a="$fc" -v b="$lc" 'BEGIN{printf "%.2f", a-b}')" $((fm / 1024))
done
