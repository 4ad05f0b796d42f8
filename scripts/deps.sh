#!/usr/bin/env bash
# deps.sh - check that the Debian packages a step needs are installed, and
# install the missing ones when run as root. Safe to rerun; the Makefile
# calls it before the first compile (build), before rendering the man page
# (doc), before `make deb` (deb) and before `make test` (test).
#
#   scripts/deps.sh [build|doc|deb|test]...   (default: build)
#   scripts/deps.sh --print GROUP...          the packages, one line
#
# Packages are checked with dpkg-query (installed, not just known), never by
# header path (Debian puts curl.h under a multiarch folder). Without
# dpkg-query (not Debian) the libraries are checked with pkg-config and the
# tools on PATH, and nothing is installed. Exit status: 0 all there (or
# installed now); 1 something is missing and cannot be installed here: one
# line on stderr gives the command to run.
set -euo pipefail

# Alternatives are written a|b: either package will do (the first is installed).
pkgs_build="gcc make pkg-config libcjson-dev libxxhash-dev libinih-dev libsqlite3-dev libcurl4-openssl-dev|libcurl4-gnutls-dev"
pkgs_doc="scdoc"
pkgs_deb="dpkg-dev scdoc"
# The test suite: fuzzers (clang, libFuzzer), the editor test (neovim), a
# corpus (the Python standard library), repositories (git), the install test
# (man-db, bash-completion, zsh, tmux, lintian, dpkg-dev).
pkgs_test="$pkgs_build $pkgs_doc clang libclang-rt-14-dev neovim libpython3.11-stdlib git
           dpkg-dev lintian man-db bash-completion zsh tmux"

groups=()
print=0
for a in "$@"; do
    case $a in
        build|doc|deb|test) groups+=("$a") ;;
        --print) print=1 ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "deps.sh: unknown group '$a' (build, doc, deb or test)" >&2; exit 2 ;;
    esac
done
[ ${#groups[@]} -gt 0 ] || groups=(build)
wanted=()
for g in "${groups[@]}"; do
    v=pkgs_$g
    for p in ${!v}; do wanted+=("$p"); done
done

if [ $print = 1 ]; then echo "${wanted[*]}"; exit 0; fi

installed() {
    dpkg-query -W -f='${db:Status-Status}\n' "$1" 2>/dev/null | grep -qx installed
}

need=()
if command -v dpkg-query >/dev/null 2>&1; then
    for p in "${wanted[@]}"; do
        ok=0
        IFS='|' read -ra alts <<<"$p"
        for alt in "${alts[@]}"; do
            if installed "$alt"; then ok=1; break; fi
        done
        [ $ok = 1 ] || need+=("${alts[0]}")
    done
else
    # Not Debian: what the build itself uses, by pkg-config and PATH.
    for c in cc make pkg-config; do command -v $c >/dev/null 2>&1 || need+=("$c"); done
    for m in libcjson libxxhash inih libcurl; do
        pkg-config --exists $m 2>/dev/null || need+=("$m (pkg-config)")
    done
    if [ ${#need[@]} -gt 0 ]; then
        echo "tacit: missing ${need[*]}: install them with your package manager" >&2
        exit 1
    fi
    exit 0
fi

[ ${#need[@]} -eq 0 ] && exit 0
# Duplicates (a package in two groups) once.
mapfile -t need < <(printf '%s\n' "${need[@]}" | awk '!seen[$0]++')
if [ "$(id -u)" -ne 0 ]; then
    echo "tacit: missing Debian packages; run: sudo apt-get install ${need[*]}" >&2
    exit 1
fi
echo "tacit: installing missing Debian packages: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt or dpkg (up to 5 minutes) instead of failing.
apt=(apt-get -o DPkg::Lock::Timeout=300 -qq)
if ! "${apt[@]}" install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1; then
    "${apt[@]}" update
    "${apt[@]}" install -y --no-install-recommends "${need[@]}" >/dev/null
fi
