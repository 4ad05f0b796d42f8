#!/usr/bin/env bash
# fetch.sh - unpack the quality suite's repositories (bench/quality/repos.txt)
# into a cache folder, each pinned by its package's version; idempotent
# (a repository already unpacked is not fetched again).
#
#   bash bench/quality/fetch.sh [NAME...]     all repositories, or the named
#
# Prints one line per repository that is ready: NAME LANG VERSION DIR.
# Messages go to stderr. Sources: Debian packages (`apt-get download`, no
# install, no root needed once the apt lists exist), npm (`npm pack`), and
# local folders (source `dir`, the package field a path).
# When the pinned version is gone from the archive (Debian replaces security
# updates), the archive's current version is used and said so: its figures
# are not comparable with the pinned one's. Offline, a repository that is not
# cached yet is skipped with a message; the exit status is 1 if none is ready.
#
# Environment: TACIT_EVAL_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/tacit/eval),
# TACIT_EVAL_REPOS (another repos.txt, e.g. for tests).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
list=${TACIT_EVAL_REPOS:-$here/repos.txt}
cache=${TACIT_EVAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tacit/eval}
mkdir -p "$cache/dl" || { echo "quality: cannot create $cache" >&2; exit 1; }

say() { echo "quality: $*" >&2; }

# apt needs its package lists (a fresh machine has none): fetch them once
apt_lists() {
    [ -n "${apt_ok:-}" ] && return 0
    apt_ok=1
    if ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
        say "no apt package lists yet: apt-get update"
        apt-get update -qq >&2 || say "apt-get update failed (offline?)"
    fi
}

# deb_get PKG VERSION -> prints the .deb's path and the version fetched
deb_get() {
    local pkg=$1 ver=$2 cand f
    f=$(ls "$cache/dl/${pkg}_"*.deb 2>/dev/null | head -1)
    if [ -z "$f" ]; then
        apt_lists
        if ! (cd "$cache/dl" && apt-get download -q "$pkg=$ver" 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2); then :; fi
        f=$(ls "$cache/dl/${pkg}_"*.deb 2>/dev/null | head -1)
    fi
    if [ -z "$f" ]; then
        cand=$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ {print $2}')
        if [ -n "$cand" ] && [ "$cand" != "(none)" ] && [ "$cand" != "$ver" ]; then
            say "$pkg $ver is no longer in the archive; using $cand (figures not comparable with $ver's)"
            (cd "$cache/dl" && apt-get download -q "$pkg=$cand" 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2)
            f=$(ls "$cache/dl/${pkg}_"*.deb 2>/dev/null | head -1)
        fi
    fi
    [ -n "$f" ] || return 1
    echo "$f $(dpkg-deb -f "$f" Version)"
}

# unpack_deb DEB ARCHIVE SUBTREE DEST: SUBTREE of the package, or of the
# tar/zip archive the package ships, into DEST
unpack_deb() {
    local deb=$1 archive=$2 sub=$3 dest=$4 strip
    if [ "$archive" = - ]; then
        strip=$(awk -F/ '{print NF}' <<<"$sub")
        dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dest" --strip-components=$((strip + 1)) \
            --exclude='*/testdata' "./$sub" || return 1
        return 0
    fi
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dest" "./$archive" || return 1
    strip=$(awk -F/ '{print NF}' <<<"$sub")
    case $archive in
    *.zip)
        python3 - "$dest/$archive" "$sub" "$dest" <<'EOF' || return 1
import os, sys, zipfile
z = zipfile.ZipFile(sys.argv[1]); sub = sys.argv[2].rstrip('/') + '/'
for n in z.namelist():
    if n.startswith(sub) and not n.endswith('/') and '/testdata/' not in n:
        out = os.path.join(sys.argv[3], n[len(sub):])
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, 'wb') as f: f.write(z.read(n))
EOF
        ;;
    *) tar -xf "$dest/$archive" -C "$dest" --strip-components="$strip" --exclude='*/testdata' "$sub" || return 1 ;;
    esac
    rm -rf "${dest:?}/${archive%%/*}"
}

# npm_get PKG VERSION -> prints the .tgz's path and the version
npm_get() {
    local pkg=$1 ver=$2 f
    f=$(ls "$cache/dl/${pkg}-$ver.tgz" 2>/dev/null)
    if [ -z "$f" ]; then
        command -v npm >/dev/null || { say "npm is missing (apt-get install npm)"; return 1; }
        (cd "$cache/dl" && npm pack --silent "$pkg@$ver" >/dev/null 2>&1)
        f=$(ls "$cache/dl/${pkg}-$ver.tgz" 2>/dev/null)
    fi
    [ -n "$f" ] || return 1
    echo "$f $ver"
}

want=("$@")
ready=0
while read -r name lang src pkg ver archive sub; do
    case $name in '' | '#'*) continue ;; esac
    if [ ${#want[@]} -gt 0 ] && ! printf '%s\n' "${want[@]}" | grep -qx "$name"; then continue; fi
    if [ "$src" = dir ]; then # a local folder (tests, or your own code)
        case $pkg in /*) d=$pkg ;; *) d=$(dirname "$list")/$pkg ;; esac
        if [ -d "$d" ]; then
            echo "$name $lang local $(cd "$d" && pwd)"
            ready=$((ready + 1))
        else
            say "$name: no folder $d; skipped"
        fi
        continue
    fi
    stamp="$cache/$name.ready" # "VERSION DIR" once unpacked
    if [ -f "$stamp" ] && [ -d "$(cut -d' ' -f2- "$stamp")" ]; then
        echo "$name $lang $(cat "$stamp")"
        ready=$((ready + 1))
        continue
    fi
    if [ "$src" = deb ]; then got=$(deb_get "$pkg" "$ver")
    else got=$(npm_get "$pkg" "$ver"); fi
    if [ -z "$got" ]; then
        say "cannot fetch $src package $pkg $ver (offline? this needs Debian's archive or the npm registry); $name skipped"
        continue
    fi
    file=${got% *}
    gotver=${got##* }
    tmp=$(mktemp -d "$cache/.tmp.XXXXXX")
    if [ "$src" = deb ]; then unpack_deb "$file" "$archive" "$sub" "$tmp"; ok=$?
    else
        strip=$(awk -F/ '{print NF}' <<<"$sub")
        tar -xzf "$file" -C "$tmp" --strip-components="$strip" "$sub"; ok=$?
    fi
    nfiles=$(find "$tmp" -type f | wc -l)
    if [ $ok -ne 0 ] || [ "$nfiles" -eq 0 ]; then
        say "cannot unpack $sub from $file; $name skipped"
        rm -rf "$tmp"
        continue
    fi
    dest="$cache/$name@${gotver//[:~]/_}"
    rm -rf "$dest"
    mv "$tmp" "$dest" && echo "$gotver $dest" >"$stamp" && rm -f "$file"
    say "$name: $nfiles files of $pkg $gotver in $dest"
    echo "$name $lang $gotver $dest"
    ready=$((ready + 1))
done <"$list"
[ $ready -gt 0 ]
