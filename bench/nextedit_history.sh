#!/usr/bin/env bash
# nextedit_history.sh - git histories made of consecutive released versions
# of real npm packages (real code changed by real people), for
# `tacit eval --next-edits`: one commit per version, in release order.
#   bash bench/nextedit_history.sh DIR NAME VERSION...
# builds DIR/NAME (a git repository; nothing outside DIR is touched).
set -eu
dir=$1; name=$2; shift 2
repo="$dir/$name"
rm -rf "$repo"; mkdir -p "$repo" "$dir/tarballs"
git -C "$repo" init -q
for v in "$@"; do
    tgz=$(cd "$dir/tarballs" && npm pack --silent "$name@$v" 2>/dev/null | tail -1)
    find "$repo" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
    tar -xzf "$dir/tarballs/$tgz" -C "$repo" --strip-components=1
    git -C "$repo" add -A
    git -C "$repo" -c user.name=npm -c user.email=npm@localhost commit -qm "$name $v" --allow-empty
done
echo "$repo: $(git -C "$repo" rev-list --count HEAD) versions"
