# tacit - build. `make` builds build/tacit; `make run` is the main job;
# `make test` builds with ASan+UBSan and runs the whole suite; `make bench`
# runs the benchmarks; `make install` / `make uninstall` (PREFIX, DESTDIR)
# and `make deb` (build/tacit_<version>_<arch>.deb) install it.
# scripts/deps.sh checks the Debian packages each step needs (as root it
# installs the missing ones; otherwise it says what to run).

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
LIBS    := -lcjson -lxxhash -linih -lsqlite3 -lgit2 -lpthread -lm -ldl

SRC     := $(sort $(filter-out src/main.c,$(wildcard src/*/*.c)))
TESTSRC := $(sort $(wildcard tests/*.c))
FUZZSRC := $(sort $(wildcard fuzz/fuzz_*.c))
VERSION := $(shell sed -n '1s/.*(\(.*\)).*/\1/p' debian/changelog)
LLAMA_TAG := $(shell bash scripts/llama.sh --version)
DEPS_OK := build/.deps-build

REL_OBJ := $(SRC:%.c=build/rel/%.o)
DBG_OBJ := $(SRC:%.c=build/dbg/%.o)

.PHONY: all run test check bench fuzz clean install uninstall deb
all: build/tacit

build/.deps-%: scripts/deps.sh
	@bash scripts/deps.sh $*
	@mkdir -p build && touch $@

build/rel/%.o: %.c $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS_REL) -MMD -MP -c $< -o $@

build/dbg/%.o: %.c $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS_DBG) -MMD -MP -c $< -o $@

# The version, build and help text of `tacit version` and `tacit help`.
VERDEFS := -DTC_VERSION='"$(VERSION)"' -DTC_LLAMA_TESTED='"$(LLAMA_TAG)"'
build/rel/src/main.o: CPPFLAGS += $(VERDEFS) -DTC_BUILD='"release: $(CC) $(CFLAGS_REL)"'
build/dbg/src/main.o: CPPFLAGS += $(VERDEFS) -DTC_BUILD='"debug: $(CC) $(CFLAGS_DBG)"'
build/rel/src/main.o build/dbg/src/main.o: debian/changelog
build/rel/src/shell/scripts.o build/dbg/src/shell/scripts.o: shell/tacit.bash shell/tacit.zsh
build/gen/help.c: man/tacit.1.scd man/help.awk
	@mkdir -p $(dir $@)
	awk -f man/help.awk $< > $@
build/tacit.1: man/tacit.1.scd build/.deps-doc
	scdoc < $< > $@

build/tacit: build/rel/src/main.o build/rel/build/gen/help.o $(REL_OBJ)
	$(CC) $(CFLAGS_REL) -o $@ $^ $(LIBS)

build/dbg/tacit: build/dbg/src/main.o build/dbg/build/gen/help.o $(DBG_OBJ)
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

test check: build/.deps-test build/dbg/tacit build/dbg/unit build/tacit build/tacit.1 $(REPLAY)
	@bash tests/run.sh

bench: build/tacit
	@bash bench/run.sh

fuzz: $(FUZZSRC:fuzz/%.c=build/fuzz/%)

# Installation: PREFIX (default /usr/local), DESTDIR (a staging root).
PREFIX  ?= /usr/local
BINDIR  := $(DESTDIR)$(PREFIX)/bin
SHARE   := $(DESTDIR)$(PREFIX)/share
NVIMDIR := $(SHARE)/nvim/site/pack/tacit/start/tacit
# zsh looks in $(PREFIX)/share/zsh/site-functions, except Debian's /usr.
ZSHDIR  := $(SHARE)/zsh/$(if $(filter /usr,$(PREFIX)),vendor-completions,site-functions)
NVIMSRC := $(shell cd editors/nvim && find lua plugin -name '*.lua')

install: build/tacit build/tacit.1
	install -d $(BINDIR) $(SHARE)/man/man1 $(SHARE)/bash-completion/completions $(ZSHDIR)
	install -m 755 build/tacit $(BINDIR)/tacit
	install -m 644 build/tacit.1 $(SHARE)/man/man1/tacit.1
	install -m 644 completions/tacit.bash $(SHARE)/bash-completion/completions/tacit
	install -m 644 completions/_tacit $(ZSHDIR)/_tacit
	for f in $(NVIMSRC); do install -D -m 644 editors/nvim/$$f $(NVIMDIR)/$$f || exit 1; done
	for f in autoload/tacit.vim plugin/tacit.vim doc/tacit.txt; do install -D -m 644 editors/vim/$$f $(SHARE)/vim/vimfiles/pack/tacit/start/tacit/$$f || exit 1; done

uninstall:
	rm -f $(BINDIR)/tacit $(SHARE)/man/man1/tacit.1 $(SHARE)/bash-completion/completions/tacit $(ZSHDIR)/_tacit
	rm -rf $(SHARE)/nvim/site/pack/tacit $(SHARE)/vim/vimfiles/pack/tacit

# The Debian package, with Debian's tools (scripts/deb.sh).
deb: build/tacit build/tacit.1 build/.deps-deb
	@bash scripts/deb.sh

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)

# Keep the fuzz replay objects between runs (they are intermediate files).
.SECONDARY:
