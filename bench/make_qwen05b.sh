#!/usr/bin/env bash
# make_qwen05b.sh - a generated model of Qwen2.5-Coder-0.5B's shape for the
# benchmarks: qwen2, 24 layers, 896 wide, 14 query / 2 key-value heads, FFN
# 4864, vocabulary 151936, Q8_0, random weights, the real Qwen2 tokenizer with
# Qwen2.5-Coder's FIM tokens. Never committed: written to a cache folder
# (reused while the generator, llama.cpp release and options are unchanged).
#
#   bench/make_qwen05b.sh [--tied] [OUT_DIR]     prints the .gguf path (last line)
#
# OUT_DIR defaults to ${TACIT_MODEL_CACHE:-${TACIT_LLAMA_CACHE:-/var/cache/tacit}/models}.
# By default the output matrix is untied (about 670 MB): with random weights a
# tied one makes greedy decoding echo the last token. --tied shares it with
# the token embedding like the real 0.5B model (about 530 MB); the compute per
# token is the same either way.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

tied=()
suffix=-untied
if [ "${1:-}" = --tied ]; then tied=(--tied); suffix=-tied; shift; fi
cache=${TACIT_LLAMA_CACHE:-/var/cache/tacit}
out_dir=${1:-${TACIT_MODEL_CACHE:-$cache/models}}
if ! mkdir -p "$out_dir" 2>/dev/null || [ ! -w "$out_dir" ]; then
    out_dir=${XDG_CACHE_HOME:-$HOME/.cache}/tacit/models
    mkdir -p "$out_dir"
fi

shape=(--layers 24 --embd 896 --heads 14 --kv-heads 2 --ffn 4864 --ctx 32768 --n-vocab 151936
       --type q8_0 --seed 1 --name tacit-random-qwen2.5-coder-0.5b-shape "${tied[@]}")
bash "$root/scripts/gguf_gen.sh" --build >/dev/null   # builds llama.cpp too if needed
# Key the file on the generator's source, the llama.cpp release and the options.
key=$( { cat "$root/tools/gguf_gen.c"; bash "$root/scripts/llama.sh" --version; echo "${shape[*]}"; } \
       | sha256sum | cut -c1-12)
out=$out_dir/qwen2.5-coder-0.5b-shape-q8_0$suffix-$key.gguf
if [ -f "$out" ]; then
    echo "make_qwen05b.sh: reusing $out" >&2
else
    start=$(date +%s)
    bash "$root/scripts/gguf_gen.sh" -o "$out" "${shape[@]}" >/dev/null
    echo "make_qwen05b.sh: generated in $(( $(date +%s) - start ))s: $(du -h "$out" | cut -f1)" >&2
    # keep only the newest of each kind
    for old in "$out_dir/qwen2.5-coder-0.5b-shape-q8_0$suffix-"*.gguf; do
        [ "$old" = "$out" ] || rm -f "$old"
    done
fi
echo "$out"
