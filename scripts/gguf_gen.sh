#!/usr/bin/env bash
# gguf_gen.sh - build tools/gguf_gen.c against llama.cpp's ggml/gguf (located
# or built by scripts/llama.sh) and run it; arguments go to the generator,
# with --vocab filled in from llama.cpp's models/ggml-vocab-qwen2.gguf unless
# given. The last line of stdout is the path written.
#
#   scripts/gguf_gen.sh -o /tmp/m.gguf                 tiny test model (~21 MB)
#   scripts/gguf_gen.sh -o m.gguf --layers 24 --embd 896 --heads 14 \
#       --kv-heads 2 --ffn 4864 --type q8_0            Qwen2.5-Coder-0.5B's shape
#   scripts/gguf_gen.sh --build                        only build; prints the binary
#
# The binary goes to build/tools/gguf_gen (rebuilt when the source or the
# llama.cpp it links changes). Exit 2: llama.cpp cannot be built here.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
src=$root/tools/gguf_gen.c
bin=$root/build/tools/gguf_gen

dev=$(bash "$root/scripts/llama.sh" --dev | tail -1)
if [ "$dev" = pkg-config ]; then
    flags=$(pkg-config --cflags --libs ggml 2>/dev/null || pkg-config --cflags --libs llama)
    stamp="pkg-config $(pkg-config --modversion llama)"
else
    # ggml-base holds gguf and the quantizers; it is C++ inside.
    flags="-I$dev/include $dev/lib/libggml-base.a -fopenmp -lstdc++ -lm -lpthread"
    stamp="$dev $(head -2 "$dev/VERSION" | tr '\n' ' ')"
fi

if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ] || [ "$(cat "$bin.stamp" 2>/dev/null)" != "$stamp" ]; then
    mkdir -p "$(dirname "$bin")"
    echo "gguf_gen.sh: compiling $bin" >&2
    # shellcheck disable=SC2086
    ${CC:-cc} -std=c11 -O2 -g -Wall -Wextra -D_GNU_SOURCE -o "$bin.tmp.$$" "$src" $flags
    mv "$bin.tmp.$$" "$bin"
    printf '%s\n' "$stamp" >"$bin.stamp"
fi

if [ "${1:-}" = --build ]; then echo "$bin"; exit 0; fi

have_vocab=0 out=
prev=
for a in "$@"; do
    [ "$a" = --vocab ] && have_vocab=1
    case "$prev" in -o|--out) out=$a ;; esac
    prev=$a
done
args=("$@")
if [ $have_vocab = 0 ]; then
    args+=(--vocab "$(bash "$root/scripts/llama.sh" --vocab | tail -1)")
fi
"$bin" "${args[@]}"
[ -n "$out" ] && echo "$out"
exit 0
