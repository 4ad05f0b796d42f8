#!/usr/bin/env bash
# build.sh NAME - link bench/NAME.c against the release objects.
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build/tacit
objs=$(ls build/rel/src/*/*.o)
mkdir -p build/bench
cc -std=c11 -O2 -g -D_GNU_SOURCE -Isrc -o "build/bench/$1" "bench/$1.c" $objs -lcjson -lxxhash -lcurl -linih -lpthread -lm
