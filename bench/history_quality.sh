#!/usr/bin/env bash
# history_quality.sh - suggestion quality on lines that real commits added
# (`tacit eval --history`), against the naive baseline of
# shared/eval/baseline_ngram.py, every prediction file scored by
# shared/eval/score.py (issue 10's history-replay target: at least the
# baseline's EM on every repository, precision >= 40 % at the default
# threshold).
#
#   bash bench/history_quality.sh [NAME...]
#
# Per repository, one replay (`tacit eval --history N --per-commit K`: the
# workspace is each commit's parent tree, one engine updated from commit to
# commit) answers with no threshold and saves the cases with their roots
# (`--save-cases`: each parent tree hard-linked beside the cases file); a
# second replay of the same commits answers at the default threshold. The
# baseline answers the saved cases, each in its own root (it rebuilds its
# counts per root, so N is kept small: it costs 0.2-0.5 s of CPU a case plus
# a pass over the root per commit; its predictions are cached by cases and
# script, so a rerun with another engine costs only tacit's replays).
# score.py scores all three. Lines added to a tool's output (minified,
# marked, or ending with a source-map comment: src/workspace/generated.h,
# e.g. rxjs's dist/) are no cases, and the index skips such files. SRC
# pinned to a clone at a fixed commit keeps the tacit history's cases, and
# so its cached baseline predictions, from moving with every commit here.
#
# The histories, all offline:
#   tacit  tacit's own git history (SRC, default this checkout; C, shell)
#   semver, commander, node-gyp, nan, rxjs: consecutive npm releases as git
#          commits (bench/nextedit_history.sh, the releases pinned in
#          bench/histories.txt; NPM_HIST, default
#          /tmp/ne-hist; built from the npm cache when missing). JS, TS,
#          Python (node-gyp's gyp/) and C++ headers (nan).
#
# Environment: TACIT (build/tacit) TACIT_SHARED (../shared) SRC NPM_HIST
# HQ_OUT (bench/out/history_quality) TACIT_EVAL_CACHE (~/.cache/tacit/eval).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
TACIT=$(realpath "${TACIT:-build/tacit}")
OUT=${HQ_OUT:-bench/out/history_quality}
SRC=${SRC:-$PWD}
NPM_HIST=${NPM_HIST:-/tmp/ne-hist}
shared=${TACIT_SHARED:-}
for s in ../shared ../../shared; do
    [ -z "$shared" ] && [ -f "$s/eval/score.py" ] && shared=$s
done
if [ -z "$shared" ] || [ ! -x "$TACIT" ]; then
    echo "history_quality: needs build/tacit (make) and shared/eval/ (set TACIT_SHARED)" >&2
    exit 1
fi
SCORE=$(realpath "$shared/eval/score.py")
BASELINE=$(realpath "$shared/eval/baseline_ngram.py")
# the baseline sees the files of every language tacit lexes here
EXTS=c,h,cc,cpp,hpp,py,js,mjs,cjs,ts,mts,cts,tsx,go,rs,java,sh
cache=${TACIT_EVAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tacit/eval}/baseline
mkdir -p "$OUT" "$cache"

# name lang commits per-commit (npm histories: built when missing, from the
# releases pinned in bench/histories.txt)
repos=(
    "tacit c,sh 60 3"
    "semver js 24 8"
    "commander js,ts 19 10"
    "node-gyp py,js 10 16"
    "nan c++ 19 10"
    "rxjs ts,js 10 16"
)

want() { # NAME: asked for (no names: all)
    [ $# -eq 1 ] && return 0
    local n=$1 a
    shift
    for a in "$@"; do [ "$a" = "$n" ] && return 0; done
    return 1
}

start=$(date +%s)
: >"$OUT/scores.txt"
: >"$OUT/times.txt"
for r in "${repos[@]}"; do
    read -r name lang n k <<<"$r"
    want "$name" "$@" || continue
    if [ "$name" = tacit ]; then
        dir=$SRC
        git -C "$dir" rev-parse -q --verify HEAD >/dev/null 2>&1 ||
            { echo "history_quality: $dir is not a git repository; skipped" >&2; continue; }
    else
        dir=$NPM_HIST/$name
        if [ ! -d "$dir/.git" ]; then
            versions=$(awk -v n="$name" '$1 == n { $1 = ""; print }' bench/histories.txt)
            # shellcheck disable=SC2086
            bash bench/nextedit_history.sh "$NPM_HIST" "$name" $versions >&2 ||
                { echo "history_quality: cannot build $dir (npm offline?); skipped" >&2; continue; }
        fi
    fi
    W=$OUT/$name
    rm -rf "$W" && mkdir -p "$W"
    echo "history_quality: $name ($lang, last $n commits, at most $k cases each) ..." >&2
    t0=$(date +%s.%N)
    if ! nice -n 10 "$TACIT" eval --root "$dir" --history "$n" --per-commit "$k" --threshold 0 \
        --save-cases "$W/cases.jsonl" --out "$W/tacit0.jsonl" >"$W/tacit0.txt" 2>"$W/tacit.err" ||
        ! nice -n 10 "$TACIT" eval --root "$dir" --history "$n" --per-commit "$k" \
            --out "$W/tacit.jsonl" >"$W/tacit.txt" 2>>"$W/tacit.err"; then
        echo "history_quality: tacit failed on $name (see $W/tacit.err)" >&2
        continue
    fi
    t1=$(date +%s.%N)
    # the baseline's predictions are kept, keyed by the cases (their roots'
    # commits are in their ids) and the baseline script
    key=$( (cat "$W/cases.jsonl" "$BASELINE"; echo "$EXTS") | sha256sum | cut -c1-16)
    bc="$cache/history-$name-$key.jsonl"
    if [ -s "$bc" ]; then
        cp "$bc" "$W/base.jsonl"
    else
        nice -n 10 python3 "$BASELINE" "$W/cases.jsonl" "$dir" "$W/base.jsonl" "$EXTS" 2>"$W/base.err" ||
            { echo "history_quality: the baseline failed on $name (see $W/base.err)" >&2; continue; }
        cp "$W/base.jsonl" "$bc.tmp" && mv "$bc.tmp" "$bc"
    fi
    t2=$(date +%s.%N)
    commits=$(python3 -c 'import json,sys; print(len({json.loads(l)["root"] for l in open(sys.argv[1])}))' "$W/cases.jsonl")
    for p in tacit tacit0 base; do
        echo "$name $lang $commits $p $(python3 "$SCORE" "$W/cases.jsonl" "$W/$p.jsonl")" >>"$OUT/scores.txt"
    done
    printf '%s tacit_s=%.0f baseline_s=%.0f\n' "$name" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" >>"$OUT/times.txt"
done
total=$(($(date +%s) - start))
thr=$(sed -n 's/.*threshold \([0-9.]*\).*/\1/p' "$OUT"/*/tacit.txt 2>/dev/null | head -1)
{
    echo "History replay against the naive baseline: default threshold ${thr:-?}, $(nproc) cores, $total s wall"
    echo
    python3 - "$OUT/scores.txt" <<'EOF'
import statistics, sys
rows, order = {}, []
for line in open(sys.argv[1]):
    f = line.split()
    name, lang, commits, preds = f[:4]
    v = dict(x.split('=', 1) for x in f[4:] if '=' in x)
    if name not in rows:
        rows[name] = {'lang': lang, 'commits': commits}; order.append(name)
    rows[name][preds] = v
print('| history | lang | commits with cases | cases | tacit EM, no threshold | tacit EM, default | precision / coverage, default | naive EM | **× naive** (no thr.) | × naive (default) |')
print('|---|---|---|---|---|---|---|---|---|---|')
ratios, precs = [], []
for n in order:
    r = rows[n]
    if not all(p in r for p in ('tacit', 'tacit0', 'base')): continue
    t, t0, b = r['tacit'], r['tacit0'], r['base']
    em0, em, bem = float(t0['em']), float(t['em']), float(b['em'])
    rat = em0 / bem if bem else float('nan'); ratd = em / bem if bem else float('nan')
    ratios.append(rat); precs.append(float(t['precision']))
    print(f"| {n} | {r['lang']} | {r['commits']} | {t['n']} | {em0:.1f} % | {em:.1f} % | {float(t['precision']):.1f} / {float(t['coverage']):.1f} % "
          f"| {bem:.1f} % | **{rat:.2f}×** | {ratd:.2f}× |")
if ratios:
    print()
    print(f'EM × naive (no threshold): median {statistics.median(ratios):.2f}×, min {min(ratios):.2f}× (target: ≥ 1× on every history)')
    print(f'precision at the default threshold: median {statistics.median(precs):.1f} %, min {min(precs):.1f} % (target: ≥ 40 %)')
EOF
} | tee "$OUT/table.md"
