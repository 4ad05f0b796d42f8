# tacit - build. `make` builds build/tacit; `make run` is the main job;
# `make test` builds with ASan+UBSan and runs the whole suite; `make bench`
# runs the benchmarks. Missing Debian packages are installed by
# scripts/deps.sh (apt-get, as root) the first time the build needs them.

CC      ?= cc
CLANG   ?= clang
WARN    := -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
           -Wpointer-arith -Wformat=2 -Wno-format-nonliteral
ifeq ($(CI),true)
WARN    += -Werror
endif
CPPFLAGS := -D_GNU_SOURCE -Isrc
CFLAGS_REL := -std=c11 -O2 -g $(WARN)
CFLAGS_DBG := -std=c11 -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=undefined $(WARN)
LIBS    := -lcjson -lxxhash -linih -lpthread -lm -ldl

SRC     := $(sort $(filter-out src/main.c,$(wildcard src/*/*.c)))
TESTSRC := $(sort $(wildcard tests/*.c))
FUZZSRC := $(sort $(wildcard fuzz/fuzz_*.c))
DEPS_OK := build/.deps-ok

REL_OBJ := $(SRC:%.c=build/rel/%.o)
DBG_OBJ := $(SRC:%.c=build/dbg/%.o)

.PHONY: all run test check bench fuzz clean
all: build/tacit

$(DEPS_OK): scripts/deps.sh
	@bash scripts/deps.sh
	@mkdir -p build && touch $@

build/rel/%.o: %.c $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS_REL) -MMD -MP -c $< -o $@

build/dbg/%.o: %.c $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS_DBG) -MMD -MP -c $< -o $@

build/tacit: build/rel/src/main.o $(REL_OBJ)
	$(CC) $(CFLAGS_REL) -o $@ $^ $(LIBS)

build/dbg/tacit: build/dbg/src/main.o $(DBG_OBJ)
	$(CC) $(CFLAGS_DBG) -o $@ $^ $(LIBS)

build/dbg/unit: $(TESTSRC:%.c=build/dbg/%.o) $(DBG_OBJ)
	$(CC) $(CFLAGS_DBG) -o $@ $^ $(LIBS)

build/rel/unit: $(TESTSRC:%.c=build/rel/%.o) $(REL_OBJ)
	$(CC) $(CFLAGS_REL) -o $@ $^ $(LIBS)

# Corpus replay: each fuzz target linked with a plain main that feeds it every
# file of fuzz/corpus/<target>/ (runs in `make test`, sanitizers on).
build/dbg/fuzz/%: build/dbg/fuzz/%.o build/dbg/fuzz/replay.o $(DBG_OBJ)
	$(CC) $(CFLAGS_DBG) -o $@ $^ $(LIBS)

# libFuzzer builds for real fuzzing sessions (`make fuzz`).
build/fuzz/%: fuzz/%.c $(SRC) $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CLANG) $(CPPFLAGS) -std=c11 -O1 -g -fsanitize=fuzzer,address,undefined -o $@ $< $(SRC) $(LIBS)

REPLAY := $(FUZZSRC:fuzz/%.c=build/dbg/fuzz/%)

run: build/tacit
	@bash scripts/demo.sh

test check: build/dbg/tacit build/dbg/unit build/tacit $(REPLAY)
	@bash tests/run.sh

bench: build/tacit
	@bash bench/run.sh

fuzz: $(FUZZSRC:fuzz/%.c=build/fuzz/%)

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)

# Keep the fuzz replay objects between runs (they are intermediate files).
.SECONDARY:
