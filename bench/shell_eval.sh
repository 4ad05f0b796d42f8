#!/usr/bin/env bash
# shell_eval.sh - `tacit shell eval` on generated histories (bench/
# shell_history.py, 5000 commands, seeds 1..5: five simulated users), as
# tacit's format (directory, exit status, sessions) and as a zsh
# extended-history file (commands and times only), with the baselines.
#   bash bench/shell_eval.sh [BIN]
set -eu
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-build/tacit}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for fmt in tacit zsh; do
    for seed in 1 2 3 4 5; do
        python3 bench/shell_history.py --seed $seed --commands 5000 --format $fmt > "$tmp/h"
        "$bin" shell eval --json "$tmp/h"
    done > "$tmp/$fmt.jsonl"
    python3 - "$fmt" "$tmp/$fmt.jsonl" <<'PY'
import json, sys, statistics as st
rows = [json.loads(l) for l in open(sys.argv[2])]
print(f"format {sys.argv[1]}: {len(rows)} seeds x {rows[0]['commands']} commands "
      f"({min(r['distinct'] for r in rows)}-{max(r['distinct'] for r in rows)} distinct)")
print(f"{'':14} {'empty top-1':>18} {'empty top-3':>18} {'2 chars top-1':>18} {'2 chars top-3':>18}")
for k, name in (("tacit", "tacit"), ("recent", "most recent"), ("frequent", "most frequent")):
    cells = []
    for m in ("empty_top1", "empty_top3", "pre2_top1", "pre2_top3"):
        v = [100 * r[k][m] for r in rows]
        cells.append(f"{st.mean(v):5.1f}% ({min(v):4.1f}-{max(v):4.1f})")
    print(f"{name:14} " + " ".join(f"{c:>18}" for c in cells))
ratio = [r["tacit"]["pre2_top1"] / r["recent"]["pre2_top1"] for r in rows]
print(f"top-1 after 2 chars, tacit / most recent: mean {st.mean(ratio):.2f}x (min {min(ratio):.2f}x, max {max(ratio):.2f}x)")
print(f"replay time per seed: {st.mean(r['ms'] for r in rows):.0f} ms")
PY
done
