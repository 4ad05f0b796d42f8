#!/usr/bin/env bash
# deps.sh - scripts/deps.sh checks packages, not header paths (issue 9,
# item 10):
#   1. as a non-root user (setpriv, this machine's real dpkg database, every
#      build package installed) it exits 0 and calls no apt-get; so does
#      `make`'s first step (build/.deps-build) in a copy of the tree;
#   2. with a package missing (a dpkg-query that says so), a non-root user
#      gets one line with the exact command, exit 1, no apt-get call;
#   3. as root it installs just the missing package with apt-get, waiting
#      for another apt's lock (DPkg::Lock::Timeout) instead of failing;
#   4. libcurl4-gnutls-dev does instead of libcurl4-openssl-dev;
#   5. `make` (build/tacit) needs only the build group, `make test` the test
#      group.
# apt-get is a recording fake on PATH throughout: nothing is installed.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "deps: $*"; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "not root: cannot switch to another user; skipped"; exit 0; }

cp "$repo/scripts/deps.sh" "$tmp/deps.sh"
mkdir -p "$tmp/fake" "$tmp/fake-missing"
cat > "$tmp/fake/apt-get" <<EOF
#!/bin/sh
echo "apt-get \$*" >> $tmp/apt.calls
EOF
cp "$tmp/fake/apt-get" "$tmp/fake-missing/apt-get"
# dpkg-query that reports the packages in $MISSING as not installed and
# those in $PRESENT as installed.
cat > "$tmp/fake-missing/dpkg-query" <<'EOF'
#!/bin/sh
for p; do :; done
case " $PRESENT " in *" $p "*) echo installed; exit 0 ;; esac
case " $MISSING " in *" $p "*) exit 1 ;; esac
exec /usr/bin/dpkg-query "$@"
EOF
chmod 755 "$tmp"/fake*/* "$tmp/deps.sh"
touch "$tmp/apt.calls"
chmod 666 "$tmp/apt.calls"
as_user() { # run as nobody with a plain environment
    setpriv --reuid=nobody --regid=nogroup --clear-groups \
        env -i HOME=/nonexistent PATH="$1:/usr/local/bin:/usr/bin:/bin" MISSING="${MISSING:-}" "${@:2}"
}

# 1. everything there, not root: exit 0, no apt-get.
as_user "$tmp/fake" bash "$tmp/deps.sh" build >"$tmp/out" 2>&1 || fail "non-root with all packages: $(cat "$tmp/out")"
[ ! -s "$tmp/out" ] || fail "non-root with all packages printed: $(cat "$tmp/out")"
[ ! -s "$tmp/apt.calls" ] || fail "apt-get was called: $(cat "$tmp/apt.calls")"
mkdir -p "$tmp/tree"
cp -r "$repo/Makefile" "$repo/scripts" "$repo/debian" "$repo/editors" "$tmp/tree/"
chown -R nobody "$tmp/tree"
as_user "$tmp/fake" make -C "$tmp/tree" -s build/.deps-build >"$tmp/out" 2>&1 \
    || fail "make build/.deps-build as nobody: $(cat "$tmp/out")"
[ -f "$tmp/tree/build/.deps-build" ] && [ ! -s "$tmp/apt.calls" ] || fail "make's deps step failed or ran apt-get"

# 2. a package missing, not root: one line with the command, exit 1.
rc=0
MISSING="libinih-dev" as_user "$tmp/fake-missing" bash "$tmp/deps.sh" build >"$tmp/out" 2>&1 || rc=$?
[ $rc = 1 ] || fail "missing package, non-root: exit $rc, want 1"
[ "$(wc -l < "$tmp/out")" = 1 ] && grep -qx 'tacit: missing Debian packages; run: sudo apt-get install libinih-dev' "$tmp/out" \
    || fail "missing package, non-root said: $(cat "$tmp/out")"
[ ! -s "$tmp/apt.calls" ] || fail "non-root called apt-get: $(cat "$tmp/apt.calls")"

# 3. a package missing, root: apt-get install of just that one, with a lock timeout.
MISSING="libinih-dev scdoc" PATH="$tmp/fake-missing:$PATH" bash "$tmp/deps.sh" build doc >"$tmp/out" 2>&1 \
    || fail "root install: $(cat "$tmp/out")"
grep -q 'install -y --no-install-recommends libinih-dev scdoc$' "$tmp/apt.calls" \
    || fail "root did not install the missing packages: $(cat "$tmp/apt.calls")"
grep -v 'DPkg::Lock::Timeout=' "$tmp/apt.calls" && fail "an apt-get call without a lock timeout"
: > "$tmp/apt.calls"

# 4. either libcurl development package will do.
MISSING="libcurl4-openssl-dev" PRESENT="libcurl4-gnutls-dev" PATH="$tmp/fake-missing:$PATH" \
    bash "$tmp/deps.sh" build >"$tmp/out" 2>&1 || fail "gnutls libcurl: $(cat "$tmp/out")"
[ ! -s "$tmp/apt.calls" ] || fail "libcurl4-gnutls-dev did not do: $(cat "$tmp/apt.calls")"
MISSING="libcurl4-openssl-dev libcurl4-gnutls-dev" PATH="$tmp/fake-missing:$PATH" bash "$tmp/deps.sh" build \
    >"$tmp/out" 2>&1 || fail "no libcurl: $(cat "$tmp/out")"
grep -q ' libcurl4-openssl-dev$' "$tmp/apt.calls" || fail "no libcurl should install libcurl4-openssl-dev"

# 5. the groups each make target asks for.
make -C "$repo" -n -B build/.deps-build | grep -q 'scripts/deps.sh build$' || fail "make does not check the build group"
make -C "$repo" -n build/tacit | grep -q 'deps.sh test' && fail "make (build/tacit) checks test packages"
grep -q '^test check: build/.deps-test' "$repo/Makefile" || fail "make test does not check the test group"
for p in clang neovim libpython3.11-stdlib; do
    bash "$tmp/deps.sh" --print build | grep -qw "$p" && fail "$p is a build dependency"
    bash "$tmp/deps.sh" --print test | grep -qw "$p" || fail "$p is not a test dependency"
done
echo "deps.sh: by package, no apt-get as a user, one line when missing, lock timeout as root"
