#!/usr/bin/env bash
# fetch.sh - unpack the five repositories the ranker's built-in prior is
# fitted on (none of them in the quality suite) into a cache folder;
# idempotent (a repository already unpacked is not fetched again).
#
#   bash bench/rankfit/fetch.sh
#
# Prints one line per repository that is ready: NAME DIR. Messages go to
# stderr; the exit status is 1 unless all five are ready.
#   commander-11.1.0, express-4.22.3   npm pack NAME@VERSION (the package's files)
#   pyyaml                             Debian python3-yaml 6.0-3+b2: the *.py of
#                                      /usr/lib/python3/dist-packages/yaml
#   ksched, e1000e                     kernel/sched and drivers/net/ethernet/intel/e1000e
#                                      of /usr/src/linux-source-6.1.tar.xz
#                                      (Debian linux-source-6.1 6.1.192-2: installed,
#                                      or its .deb fetched with apt-get download;
#                                      only those two folders are unpacked)
#
# Environment: TACIT_RANKFIT_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/tacit/rankfit),
# LINUX_SOURCE (default /usr/src/linux-source-6.1.tar.xz).
set -uo pipefail
cache=${TACIT_RANKFIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tacit/rankfit}
ksrc=${LINUX_SOURCE:-/usr/src/linux-source-6.1.tar.xz}
mkdir -p "$cache/dl" || { echo "rankfit: cannot create $cache" >&2; exit 1; }
say() { echo "rankfit: $*" >&2; }
ready=0

# have NAME: already unpacked?
have() { [ -f "$cache/$1.ready" ] && [ -d "$cache/$1" ]; }
# publish NAME TMPDIR: move an unpacked folder into place
publish() {
    local n=$1 tmp=$2 nf
    nf=$(find "$tmp" -type f | wc -l)
    if [ "$nf" -eq 0 ]; then say "$n: nothing unpacked; skipped"; rm -rf "$tmp"; return 1; fi
    rm -rf "${cache:?}/$n" && mv "$tmp" "$cache/$n" && touch "$cache/$n.ready" || return 1
    say "$n: $nf files in $cache/$n"
}

for spec in commander@11.1.0 express@4.22.3; do
    n=${spec%@*}-${spec#*@}
    if ! have "$n"; then
        f=$cache/dl/$n.tgz
        if [ ! -f "$f" ]; then
            command -v npm >/dev/null || { say "npm is missing (apt-get install npm)"; continue; }
            (cd "$cache/dl" && npm pack --silent "$spec" >/dev/null 2>&1) || { say "npm pack $spec failed (offline?)"; continue; }
        fi
        tmp=$(mktemp -d "$cache/.tmp.XXXXXX")
        tar -xzf "$f" -C "$tmp" --strip-components=1 package && publish "$n" "$tmp" || continue
    fi
    echo "$n $cache/$n"; ready=$((ready + 1))
done

if ! have pyyaml; then
    f=$(ls "$cache/dl/python3-yaml_"*.deb 2>/dev/null | head -1)
    if [ -z "$f" ]; then
        if ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then apt-get update -qq >&2; fi
        (cd "$cache/dl" && apt-get download -q python3-yaml=6.0-3+b2 >&2) ||
            { say "python3-yaml 6.0-3+b2 is not in the archive; using its current version (the fit may differ)"
              (cd "$cache/dl" && apt-get download -q python3-yaml >&2); }
        f=$(ls "$cache/dl/python3-yaml_"*.deb 2>/dev/null | head -1)
    fi
    if [ -n "$f" ]; then
        tmp=$(mktemp -d "$cache/.tmp.XXXXXX")
        dpkg-deb --fsys-tarfile "$f" | tar -x -C "$tmp" --strip-components=6 --wildcards './usr/lib/python3/dist-packages/yaml/*.py' &&
            publish pyyaml "$tmp"
    else say "cannot fetch python3-yaml; pyyaml skipped"; fi
fi
have pyyaml && { echo "pyyaml $cache/pyyaml"; ready=$((ready + 1)); }

if ! have ksched || ! have e1000e; then
    if [ ! -f "$ksrc" ]; then # not installed: the package's tarball, without installing it
        deb=$(ls "$cache/dl/linux-source-6.1_"*.deb 2>/dev/null | head -1)
        if [ -z "$deb" ]; then
            say "no $ksrc: apt-get download linux-source-6.1=6.1.192-2 (about 140 MB)"
            (cd "$cache/dl" && apt-get download -q linux-source-6.1=6.1.192-2 >&2) ||
                { say "linux-source-6.1 6.1.192-2 is not in the archive; using its current version (the fit may differ)"
                  (cd "$cache/dl" && apt-get download -q linux-source-6.1 >&2); }
            deb=$(ls "$cache/dl/linux-source-6.1_"*.deb 2>/dev/null | head -1)
        fi
        [ -n "$deb" ] && dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$cache/dl" --strip-components=3 \
            ./usr/src/linux-source-6.1.tar.xz && ksrc=$cache/dl/linux-source-6.1.tar.xz
    fi
    if [ ! -f "$ksrc" ]; then
        say "no linux-source-6.1 tarball; ksched and e1000e skipped"
    else
        tmp=$(mktemp -d "$cache/.tmp.XXXXXX")
        say "unpacking kernel/sched and e1000e from $ksrc (a minute or two)"
        tar -xJf "$ksrc" -C "$tmp" --wildcards 'linux-source-6.1/kernel/sched/*' \
            'linux-source-6.1/drivers/net/ethernet/intel/e1000e/*' &&
            mv "$tmp/linux-source-6.1/kernel/sched" "$tmp/ksched" &&
            mv "$tmp/linux-source-6.1/drivers/net/ethernet/intel/e1000e" "$tmp/e1000e" &&
            { publish ksched "$tmp/ksched"; publish e1000e "$tmp/e1000e"; }
        rm -rf "$tmp"
        case $ksrc in "$cache/dl/"*) rm -f "$ksrc" ;; esac
    fi
fi
for n in ksched e1000e; do have $n && { echo "$n $cache/$n"; ready=$((ready + 1)); }; done
[ $ready -eq 5 ]
