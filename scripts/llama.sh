#!/usr/bin/env bash
# llama.sh - locate or build the llama.cpp server that tacit's tests and
# benchmarks run against. Idempotent; progress goes to stderr and the last
# line of stdout is the answer.
#
#   scripts/llama.sh            directory holding `llama-server`
#   scripts/llama.sh --vocab    path of llama.cpp's models/ggml-vocab-qwen2.gguf
#   scripts/llama.sh --version  the pinned llama.cpp release tag
#   scripts/llama.sh --dev      directory with include/ and lib/ (ggml, gguf)
#                               for tools/gguf_gen.c ("pkg-config" when the
#                               system's llama.cpp is used)
#
# Order:
#   1. the system's llama.cpp: `pkg-config --exists llama` and a
#      `llama-server` on PATH (skipped with TACIT_LLAMA_SYSTEM=0);
#   2. a cached build in ${TACIT_LLAMA_CACHE:-/var/cache/tacit}/llama.cpp-<tag>/
#      (<tag>: the llama.cpp release node-llama-cpp@$NLC_VERSION pins);
#   3. otherwise build it: `npm pack node-llama-cpp@$NLC_VERSION`, clone the
#      llama.cpp git bundle it ships (llama/gitRelease.bundle), cmake a CPU
#      build (GGML_NATIVE=OFF: a native build crashes in ggml's AMX path on
#      Q8_0 models on some CPUs), about 7 minutes on 2 cores. Built in a
#      temporary folder and renamed into place; a lock file keeps two
#      concurrent runs from both building.
#
# Cache layout (llama.cpp-<tag>/):
#   llama-server  llama-tokenize   binaries (static ggml/llama, CPU only)
#   include/      ggml*.h gguf.h llama.h
#   lib/          libggml-base.a libggml-cpu.a libggml.a libllama.a
#   models/ggml-vocab-qwen2.gguf   the real Qwen2 tokenizer (no weights)
#   server-README.md               tools/server/README.md of that release
#   VERSION                        tag, commit, node-llama-cpp version
#
# Exit status: 0 ok; 2 the build is impossible here (no npm/registry, not
# root and tools missing) - tests treat that as "skip"; 1 anything else.
set -euo pipefail

NLC_VERSION=3.22.1          # npm node-llama-cpp; pins llama.cpp release v0.5.0
NLC_TAG=v0.5.0              # what that package's llama/llama.cpp.info.json says

log() { printf 'llama.sh: %s\n' "$*" >&2; }
impossible() { log "cannot build llama.cpp here: $*"; exit 2; }

mode=server
case "${1:-}" in
    "") ;;
    --vocab) mode=vocab ;;
    --version) echo "$NLC_TAG"; exit 0 ;;
    --dev) mode=dev ;;
    -h|--help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) log "unknown option: $1"; exit 1 ;;
esac

cache_root=${TACIT_LLAMA_CACHE:-/var/cache/tacit}
if ! mkdir -p "$cache_root" 2>/dev/null || [ ! -w "$cache_root" ]; then
    if [ -n "${TACIT_LLAMA_CACHE:-}" ]; then
        log "cache folder $cache_root is not writable"; exit 1
    fi
    cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/tacit
    mkdir -p "$cache_root"
fi
dest=$cache_root/llama.cpp-$NLC_TAG
vocab_name=ggml-vocab-qwen2.gguf

# --- 1. the system's llama.cpp ---------------------------------------------
system_ok() {
    [ "${TACIT_LLAMA_SYSTEM:-1}" != 0 ] || return 1
    command -v pkg-config >/dev/null 2>&1 || return 1
    pkg-config --exists llama 2>/dev/null || return 1
    command -v llama-server >/dev/null 2>&1 || return 1
}

done_ok() { [ -x "$dest/llama-server" ] && [ -f "$dest/VERSION" ] && [ -f "$dest/models/$vocab_name" ]; }

answer() {
    case "$mode" in
        server) if system_ok; then dirname "$(command -v llama-server)"; else echo "$dest"; fi ;;
        dev) if system_ok; then echo pkg-config; else echo "$dest"; fi ;;
        vocab) echo "$1" ;;
    esac
}

# The vocabulary alone, when the system's llama.cpp serves (no build needed).
vocab_ok() { [ -f "$dest/models/$vocab_name" ] || [ -f "$cache_root/vocab-$NLC_TAG/$vocab_name" ]; }
vocab_path() {
    if [ -f "$dest/models/$vocab_name" ]; then echo "$dest/models/$vocab_name"
    else echo "$cache_root/vocab-$NLC_TAG/$vocab_name"; fi
}

if [ "$mode" = vocab ] && vocab_ok; then answer "$(vocab_path)"; exit 0; fi
if [ "$mode" != vocab ] && system_ok; then
    log "using the system's llama.cpp ($(command -v llama-server), pkg-config llama $(pkg-config --modversion llama))"
    answer; exit 0
fi
if [ "$mode" != vocab ] && done_ok; then answer; exit 0; fi

# --- tools ------------------------------------------------------------------
need=()
have() { command -v "$1" >/dev/null 2>&1; }
have npm || need+=(npm)
have git || need+=(git)
have tar || need+=(tar)
have flock || need+=(util-linux)
if [ "$mode" != vocab ]; then
    have cmake || need+=(cmake)
    have g++ || need+=(g++)
    have make || need+=(make)
fi
if [ ${#need[@]} -gt 0 ]; then
    [ "$(id -u)" -eq 0 ] || impossible "missing ${need[*]} (run: sudo apt-get install ${need[*]})"
    have apt-get || impossible "missing ${need[*]} and no apt-get"
    log "installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get -o DPkg::Lock::Timeout=300 -qq update &&
      apt-get -o DPkg::Lock::Timeout=300 -qq install -y "${need[@]}" >/dev/null; } \
        || impossible "apt-get install ${need[*]} failed"
fi

# --- lock ---------------------------------------------------------------------
lock=$cache_root/.llama.cpp-$NLC_TAG.lock
exec 9>"$lock"
if ! flock -n 9; then
    log "another run holds $lock; waiting for it (up to 60 min)"
    flock -w 3600 9 || { log "timed out waiting for $lock"; exit 1; }
fi
# Someone else may have finished while we waited.
if [ "$mode" = vocab ] && vocab_ok; then answer "$(vocab_path)"; exit 0; fi
if [ "$mode" != vocab ] && done_ok; then answer; exit 0; fi

tmp=$(mktemp -d "$cache_root/.build-llama.cpp-$NLC_TAG.XXXXXX")
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- source -------------------------------------------------------------------
log "fetching node-llama-cpp@$NLC_VERSION from the npm registry"
( cd "$tmp" && timeout 600 npm pack --silent "node-llama-cpp@$NLC_VERSION" >/dev/null 2>"$tmp/npm.err" ) || {
    sed 's/^/  npm: /' "$tmp/npm.err" | tail -5 >&2
    impossible "npm pack node-llama-cpp@$NLC_VERSION failed (no registry?)"
}
tarball=$(ls "$tmp"/node-llama-cpp-*.tgz)
tar -xzf "$tarball" -C "$tmp" package/llama/gitRelease.bundle package/llama/llama.cpp.info.json
rm -f "$tarball"
tag=$(sed -n 's/.*"tag" *: *"\([^"]*\)".*/\1/p' "$tmp/package/llama/llama.cpp.info.json")
if [ "$tag" != "$NLC_TAG" ]; then
    log "node-llama-cpp@$NLC_VERSION pins llama.cpp '$tag', the script expects '$NLC_TAG'"; exit 1
fi
log "cloning llama.cpp $tag from the package's git bundle"
git clone -q "$tmp/package/llama/gitRelease.bundle" "$tmp/src" 2>/dev/null
rm -rf "$tmp/package"
commit=$(git -C "$tmp/src" rev-parse HEAD)
[ -f "$tmp/src/models/$vocab_name" ] || { log "no models/$vocab_name in the llama.cpp source"; exit 1; }

if [ "$mode" = vocab ]; then
    mkdir -p "$tmp/vocab"
    cp "$tmp/src/models/$vocab_name" "$tmp/vocab/"
    rm -rf "$cache_root/vocab-$NLC_TAG"
    mv "$tmp/vocab" "$cache_root/vocab-$NLC_TAG"
    answer "$cache_root/vocab-$NLC_TAG/$vocab_name"; exit 0
fi

# --- build --------------------------------------------------------------------
jobs=${TACIT_LLAMA_JOBS:-$(nproc 2>/dev/null || echo 2)}
log "configuring llama.cpp $tag ($commit), CPU only"
start=$(date +%s)
cmake -S "$tmp/src" -B "$tmp/build" \
    -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_SHARED_LIBS=OFF \
    -DGGML_NATIVE=OFF \
    -DGGML_BACKEND_DL=OFF -DGGML_CPU_ALL_VARIANTS=OFF \
    -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_UI=OFF \
    -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_SERVER=ON \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
    -DLLAMA_OPENSSL=OFF \
    >"$tmp/cmake.log" 2>&1 || { tail -30 "$tmp/cmake.log" >&2; log "cmake configure failed"; exit 1; }
log "building llama-server llama-tokenize with -j$jobs (about 7 minutes on 2 cores; a line every 30 s)"
cmake --build "$tmp/build" -j"$jobs" --target llama-server llama-tokenize ggml ggml-base ggml-cpu llama \
    >"$tmp/build.log" 2>&1 &
build_pid=$!
# Progress: every 30 s, cmake's last "[ NN%] Building ..." step line.
while kill -0 "$build_pid" 2>/dev/null; do
    for _ in $(seq 30); do sleep 1; kill -0 "$build_pid" 2>/dev/null || break; done
    kill -0 "$build_pid" 2>/dev/null || break
    step=$(grep -o '\[ *[0-9]*%\].*' "$tmp/build.log" | tail -1 | cut -c1-100)
    log "building, $(( $(date +%s) - start ))s: ${step:-configuring}"
done
wait "$build_pid" || { tail -40 "$tmp/build.log" >&2; log "build failed"; exit 1; }
log "built in $(( $(date +%s) - start ))s"

# --- install (atomically) ---------------------------------------------------
out=$tmp/out
mkdir -p "$out/include" "$out/lib" "$out/models"
cp "$tmp/build/bin/llama-server" "$tmp/build/bin/llama-tokenize" "$out/"
cp "$tmp/src/ggml/include/"*.h "$tmp/src/include/llama.h" "$out/include/"
find "$tmp/build" -name 'libggml*.a' -exec cp {} "$out/lib/" \;
find "$tmp/build" -name 'libllama.a' -exec cp {} "$out/lib/" \;
cp "$tmp/src/models/$vocab_name" "$out/models/"
cp "$tmp/src/tools/server/README.md" "$out/server-README.md"
"$out/llama-server" --version >"$out/server-version.txt" 2>&1 || true
{
    echo "llama.cpp $tag"
    echo "commit $commit"
    echo "node-llama-cpp $NLC_VERSION"
    echo "cmake -DGGML_NATIVE=OFF -DBUILD_SHARED_LIBS=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_OPENSSL=OFF Release"
    echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) in $(( $(date +%s) - start ))s"
} >"$out/VERSION"
rm -rf "$dest"
mv "$out" "$dest"
log "installed into $dest"
answer
