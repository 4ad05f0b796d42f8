#!/usr/bin/env bash
# deb.sh - build build/tacit_<version>_<arch>.deb from build/tacit and
# build/tacit.1 with Debian's own tools (called by `make deb`):
#   1. `make install DESTDIR=build/deb/root PREFIX=/usr`, then the Debian
#      layout: stripped binary, gzipped man page, /usr/share/doc/tacit;
#   2. dpkg-shlibdeps computes Depends from the binary's libraries, plus
#      libcurl, which tacit loads with dlopen (a probe linked with -lcurl
#      stands for it);
#   3. dpkg-gencontrol writes DEBIAN/control from debian/control and
#      debian/changelog; dpkg-deb builds the package, owned by root.
# Prints the package's path. Needs no root.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/deb
root=$out/root
rm -rf "$out"
mkdir -p "$root"

make -s install DESTDIR="$PWD/$root" PREFIX=/usr >/dev/null
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/tacit"
gzip -9n "$root/usr/share/man/man1/tacit.1"
install -d "$root/usr/share/doc/tacit"
install -m 644 debian/copyright "$root/usr/share/doc/tacit/copyright"
gzip -9nc debian/changelog > "$root/usr/share/doc/tacit/changelog.gz"
chmod 644 "$root/usr/share/doc/tacit/changelog.gz"

# libcurl is opened at run time (src/backend/curl_shim.c): a probe that
# links it lets dpkg-shlibdeps name its package and version.
printf '#include <curl/curl.h>\nint main(void) { return curl_version() == 0; }\n' > "$out/probe.c"
${CC:-cc} -o "$out/curl-probe" "$out/probe.c" -lcurl
dpkg-shlibdeps -T"$out/substvars" -e "$root/usr/bin/tacit" -e "$out/curl-probe" 2> "$out/shlibdeps.err" \
    || { cat "$out/shlibdeps.err" >&2; exit 1; }
install -d "$root/DEBIAN"
dpkg-gencontrol -ptacit -T"$out/substvars" -Vmisc:Depends= -P"$root" -f"$out/files"
deb=build/tacit_$(dpkg-parsechangelog -S Version)_$(dpkg-architecture -qDEB_HOST_ARCH).deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
