#!/usr/bin/env bash
# nextedit_histories.sh - make the seven histories the next-edit refit
# replays (bench/nextedit_refit.sh), those that are missing:
#   DIR/NAME    for each package of bench/histories.txt: its pinned npm
#               releases as git commits (bench/nextedit_history.sh);
#   TACIT_DIR   tacit's own history, a clone of this repository at the
#               pinned commit 99e5648 (this checkout moves; the pinned one
#               keeps the replayed commits, and the figures, the same).
#
#   bash bench/nextedit_histories.sh [DIR [TACIT_DIR]]
#       (defaults /tmp/ne-hist and /tmp/s17-neconf-tacit)
#
# Prints the histories that are ready, one path per line, tacit's first.
# A history that cannot be made (npm offline, a shallow clone without the
# pinned commit) is skipped with a message; exit status 1 if any is missing.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
DIR=${1:-/tmp/ne-hist}
TDIR=${2:-/tmp/s17-neconf-tacit}
PIN=99e5648
rc=0
if ! git -C "$TDIR" rev-parse -q --verify HEAD >/dev/null 2>&1; then
    rm -rf "$TDIR"
    if git clone -q "$PWD" "$TDIR" && git -C "$TDIR" checkout -q "$PIN"; then :; else
        echo "nextedit_histories: cannot make $TDIR at $PIN (a shallow clone?)" >&2
        rm -rf "$TDIR"
    fi
fi
[ -d "$TDIR/.git" ] && echo "$TDIR" || rc=1
while read -r name versions; do
    case $name in '' | '#'*) continue ;; esac
    if [ ! -d "$DIR/$name/.git" ]; then
        # shellcheck disable=SC2086 # versions is a list
        bash bench/nextedit_history.sh "$DIR" "$name" $versions >&2 ||
            { echo "nextedit_histories: cannot make $DIR/$name (npm offline?)" >&2; rm -rf "${DIR:?}/$name"; }
    fi
    [ -d "$DIR/$name/.git" ] && echo "$DIR/$name" || rc=1
done <bench/histories.txt
exit $rc
