#!/usr/bin/env bash
# build.sh NAME - link bench/NAME.c against the release objects into
# build/bench/NAME (the one place the benches and tests link a driver).
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build/tacit
# the objects of today's sources (a stale object of a moved or removed file
# would define its functions twice)
objs=$(for c in src/*/*.c; do [ -f "build/rel/${c%.c}.o" ] && echo "build/rel/${c%.c}.o"; done)
mkdir -p build/bench
${CC:-cc} -std=c11 -O2 -g -D_GNU_SOURCE -Isrc -o "build/bench/$1" "bench/$1.c" $objs -lcjson -lxxhash -lcurl -linih -lsqlite3 -lpthread -lm
