#!/usr/bin/env bash
# history.sh - `tacit eval --history` on a real C history of about 1,500
# files: time and peak memory (/usr/bin/time -v) of the replay (one engine
# updated from commit to commit) beside a fresh engine per commit
# (--rebuild), and the updated engine with full model recounts
# (TACIT_MODEL_FULL_REBUILD=1). BENCHMARKS.md, "History replay", has the
# figures.
#
# The repository (no internet here, and no real C history of ~1,500 files
# on the machine): tacit's own history (every branch of SRC, default
# /work/main: real commits, real diffs) with 780 real C files of Linux 6.1
# (fs/{xfs,btrfs,ext4,nfs,ocfs2,f2fs,nfsd,gfs2,jfs} from Debian's
# linux-source-6.1) added unchanged under vendor/ to every commit
# (git filter-branch), and one merge commit joining the branches on top.
#
#   bash bench/history.sh [N [REBUILD_N]]   (default 200 and 20)
set -eu
cd "$(dirname "$0")/.."
n=${1:-200}
nrb=${2:-20}
src=${SRC:-/work/main}
w=${WORK:-/tmp/tacit-bench-history}
bin=$PWD/build/tacit
make -s build/tacit
mkdir -p "$w"
if [ ! -d "$w/repo/.git" ]; then
    kernel=/usr/src/linux-source-6.1.tar.xz
    [ -f "$kernel" ] || { echo "history.sh: needs Debian's linux-source-6.1 ($kernel)" >&2; exit 1; }
    rm -rf "$w/linux-source-6.1" "$w/repo.tmp"
    dirs=""
    for d in xfs btrfs ext4 nfs ocfs2 f2fs nfsd gfs2 jfs; do dirs="$dirs linux-source-6.1/fs/$d"; done
    # shellcheck disable=SC2086
    tar -xJf "$kernel" -C "$w" $dirs
    git init -q "$w/repo.tmp"
    git -C "$w/repo.tmp" fetch -q "$src" 'refs/heads/*:refs/heads/*'
    git -C "$w/repo.tmp" symbolic-ref HEAD refs/heads/main
    git -C "$w/repo.tmp" checkout -qf main
    vtree=$(cd "$w/linux-source-6.1" && GIT_INDEX_FILE=$w/vidx git --git-dir="$w/repo.tmp/.git" --work-tree=. add -A . &&
        GIT_INDEX_FILE=$w/vidx git --git-dir="$w/repo.tmp/.git" write-tree)
    (cd "$w/repo.tmp" && FILTER_BRANCH_SQUELCH_WARNING=1 git filter-branch -f \
        --index-filter "git read-tree --prefix=vendor/ $vtree" -- --all >/dev/null 2>&1)
    rm -rf "$w/repo.tmp/.git/refs/original"
    parents=$(git -C "$w/repo.tmp" for-each-ref --format='-p %(refname:short)' refs/heads/)
    # shellcheck disable=SC2086
    top=$(git -C "$w/repo.tmp" -c user.name=bench -c user.email=bench@example.org commit-tree 'main^{tree}' $parents \
        -m "bench: join every branch")
    git -C "$w/repo.tmp" branch -f all "$top"
    git -C "$w/repo.tmp" checkout -qf all
    mv "$w/repo.tmp" "$w/repo"
fi
r=$w/repo
echo "repository: $(git -C "$r" ls-files | wc -l) files, $(git -C "$r" rev-list --no-merges --count HEAD) non-merge commits; $(nproc) cores"
export TACIT_CACHE_DIR=$w/cache
run() { # LABEL ARGS...: the figures and the replay's own line
    local label=$1
    shift
    /usr/bin/time -v "$bin" eval --root "$r" "$@" > "$w/$label.out" 2>&1 ||
        grep -E '^tacit: ' "$w/$label.out" >&2 # e.g. "no cases" for a few commits that added none
    printf '%-22s %s\n' "$label" "$(grep -E '^tacit: replayed' "$w/$label.out")"
    grep -E '^full +all' "$w/$label.out" | sed "s/^/    /"
    grep -E 'Elapsed|User time|System time|Maximum resident' "$w/$label.out" | sed "s/^\t/    /"
}
run "updated, $n commits" --history "$n"
# the same with the model's recounts sorting all tokens again, as before the
# main array was derived from the previous one (reference, same run)
TACIT_MODEL_FULL_REBUILD=1 run "updated, full recount" --history "$n"
run "updated, $nrb commits" --history "$nrb"
run "rebuilt, $nrb commits" --history "$nrb" --rebuild
