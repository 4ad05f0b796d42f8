#!/usr/bin/env bash
# deps.sh - install the Debian packages tacit's build and tests need, if any
# is missing. Called by the Makefile before the first compile; safe to rerun.
set -euo pipefail

need=()
have_hdr() { [ -e "/usr/include/$1" ]; }
have_cmd() { command -v "$1" >/dev/null 2>&1; }

have_cmd cc || need+=(gcc)
have_cmd make || need+=(make)
have_cmd clang || need+=(clang)
have_hdr cjson/cJSON.h || need+=(libcjson-dev)
have_hdr xxhash.h || need+=(libxxhash-dev)
have_hdr curl/curl.h || need+=(libcurl4-openssl-dev)
have_hdr ini.h || need+=(libinih-dev)
have_cmd pkg-config || need+=(pkg-config)
have_cmd git || need+=(git)
# Used by tests and the main job: the Python standard library as a corpus,
# headless Neovim for the editor test.
[ -d /usr/lib/python3.11 ] || need+=(libpython3.11-stdlib)
have_cmd nvim || need+=(neovim)
ls /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 \
    || need+=(libclang-rt-14-dev)

if [ ${#need[@]} -eq 0 ]; then
    exit 0
fi
echo "tacit: installing missing build dependencies: ${need[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
    echo "tacit: not root; run: sudo apt-get install ${need[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}" >/dev/null
