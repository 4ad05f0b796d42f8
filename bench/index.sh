#!/usr/bin/env bash
# index.sh - workspace index benchmarks (issue: foundation):
#   1. full index of Debian's linux-source-6.1 (wall, peak RSS), beside
#      `ctags -R` and a warm `rg` scan of every file, in the same run;
#   2. re-index after touching one file, and after changing one file;
#   3. loading the Python standard library's index.
# The kernel tree is extracted once into $TACIT_BENCH_DIR (default
# /var/tmp/tacit-bench). Debian's tarball carries a .gitignore whose last
# block ignores everything at the top level (Debian's packaging repository
# tracks only debian/); that block is removed from the copy, otherwise git
# and tacit alike see no files at all.
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build/tacit
bin=$PWD/build/tacit
dir=${TACIT_BENCH_DIR:-/var/tmp/tacit-bench}
need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v rg >/dev/null || need+=(ripgrep)
command -v ctags >/dev/null || need+=(universal-ctags)
[ -f /usr/src/linux-source-6.1.tar.xz ] || need+=(linux-source-6.1)
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
tree=$dir/linux-source-6.1
if [ ! -d "$tree" ]; then
    mkdir -p "$dir"
    tar -C "$dir" -xf /usr/src/linux-source-6.1.tar.xz
fi
sed -i '/^# Debian packaging: ignore everything at the top level/,$d' "$tree/.gitignore"
cache=$dir/cache-kernel
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(uname -r)"
echo "tree: $tree ($(find -L "$tree" -type f -name '*.c' | wc -l) .c files, $(du -shL "$tree" | cut -f1))"
measure() { # label, command...
    local label=$1; shift
    /usr/bin/time -f "$label: %e s wall, %M KB peak RSS" "$@" > /dev/null 2> "$dir/time.txt" || true
    tail -1 "$dir/time.txt"
}
# warm the page cache first, so every tool reads from memory
rg -uuu -c 'zzqqxx_never' "$tree" > /dev/null 2>&1 || true
echo "== full index (cold index, warm page cache)"
rm -rf "$cache"
measure "tacit index" "$bin" index -q --cache-dir "$cache" "$tree"
# TACIT_BENCH_BASELINE=/path/to/an/older/tacit: the same measures with that
# binary in the same run (a regression check between two builds)
base=${TACIT_BENCH_BASELINE:-}
if [ -n "$base" ]; then
    rm -rf "$dir/cache-base"
    measure "baseline index" "$base" index -q --cache-dir "$dir/cache-base" "$tree"
fi
measure "ctags -R" ctags -R -f "$dir/tags" "$tree"
measure "rg scan of every file" rg -c 'zzqqxx_never' "$tree"
"$bin" index --stats --cache-dir "$cache" "$tree" | sed -n '1,20p'
echo "== re-index after touching one file / changing one file"
f=$tree/kernel/fork.c
hyperfine -N --warmup 2 --runs 20 --prepare "touch $f" "$bin index -q --cache-dir $cache $tree" 2>&1 | sed -n '1,4p'
[ -n "$base" ] && hyperfine -N --warmup 2 --runs 20 --prepare "touch $f" \
    "$base index -q --cache-dir $dir/cache-base $tree" 2>&1 | sed -n '1,4p'
hyperfine -N --warmup 2 --runs 20 --prepare "touch $f" "$bin index -q --cache-dir $cache $tree --only kernel/fork.c" 2>&1 | sed -n '1,4p'
cp "$f" "$dir/fork.c.orig"
hyperfine -N --warmup 1 --runs 10 --prepare "sh -c 'cp $dir/fork.c.orig $f; echo \"/* \$\$ */\" >> $f'" \
    "$bin index -q --cache-dir $cache $tree" 2>&1 | sed -n '1,4p'
hyperfine -N --warmup 1 --runs 10 --prepare "sh -c 'cp $dir/fork.c.orig $f; echo \"/* \$\$ */\" >> $f'" \
    "$bin index -q --cache-dir $cache $tree --only kernel/fork.c" 2>&1 | sed -n '1,4p'
cp "$dir/fork.c.orig" "$f"
echo "== the floor: one stat of every file of the tree (C, single thread)"
cc -O2 -o "$dir/statfloor" bench/statfloor.c
(cd "$tree/" && find . -type f | sed 's|^\./||' | "$dir/statfloor")
echo "== the Python standard library: index, then load (nothing changed)"
pcache=$dir/cache-python
rm -rf "$pcache"
measure "tacit index /usr/lib/python3.11" "$bin" index -q --cache-dir "$pcache" /usr/lib/python3.11
hyperfine -N --warmup 3 --runs 30 "$bin index -q --cache-dir $pcache /usr/lib/python3.11" 2>&1 | sed -n '1,4p'
