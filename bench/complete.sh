#!/usr/bin/env bash
# complete.sh - embedded model benchmarks (issue: the embedded model):
# in-process completion latency, whole-process `tacit complete` latency,
# model update after a one-file edit, memory. Workspace: the Python stdlib.
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build/tacit
bash bench/build.sh model_update
bin=$PWD/build/tacit
root=${ROOT:-/usr/lib/python3.11}
dir=${TACIT_BENCH_DIR:-/var/tmp/tacit-bench}
cache=$dir/cache-complete
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
mkdir -p "$dir"
rm -rf "$cache"
echo "machine: $(nproc) cores; workspace $root"
"$bin" index -q --cache-dir "$cache" "$root"
"$bin" complete "$root/enum.py:100:1" --root "$root" --cache-dir "$cache" > /dev/null # builds and saves the model
echo "== in-process latency of one completion (1000 masked cases, warm)"
"$bin" eval -q --mask 1000 --seed 1 --root "$root" --cache-dir "$cache" | sed -n '2,3p'
echo "== whole process: tacit complete (index load, model load, suggestion)"
hyperfine -N --warmup 3 --runs 40 --export-json "$dir/complete.json" \
    "$bin complete $root/enum.py:1500:9 --root $root --cache-dir $cache" 2>&1 | sed -n '1,4p'
echo "median: $(grep -o '"median": [0-9.e-]*' "$dir/complete.json" | head -1 | awk '{printf "%.1f ms\n", $2*1000}')"
/usr/bin/time -f "peak RSS of tacit complete (index + model + retrieval of $root): %M KB" \
    "$bin" complete "$root/enum.py:1500:9" --root "$root" --cache-dir "$cache" > /dev/null
echo "== model update after a one-file edit (enum.py, about 2,000 lines)"
TACIT_CACHE_DIR=$dir/cache-update build/bench/model_update "$root" enum.py 300
echo "== intrinsic: bits per token and MRR@10 on held-out files"
"$bin" eval -q --intrinsic --seed 1 --root "$root" --cache-dir "$cache"
