#ifndef TC_SUGGEST_IMPORTS_H
#define TC_SUGGEST_IMPORTS_H
/*
 * Import candidates: at an import line (one that starts with `import`,
 * `from` or `use`: JS/TS, Python, Java, Rust), the workspace's import lines
 * (other files', from the line index) that bring in a name the buffer uses
 * but none of its own import lines names. In C and C++, at `#include`, the
 * workspace's include lines whose header (a workspace file) declares names
 * the buffer uses but neither declares nor gets from the workspace headers
 * it includes. In Go, on a fresh line of an `import (` block, the specs of
 * the workspace's import blocks whose package name the buffer uses
 * (`name.`) and imports nowhere. A partly typed directive or path
 * (`#inc`, `#include "ri`, `"str` in Go) is the caller's partial word:
 * the lines that go on from it, completed. Pure over its inputs; the
 * caller turns each line into a candidate.
 */

#include <stddef.h>
#include <stdint.h>

#include "retrieve/lines.h"
#include "workspace/vocab.h"

#define TC_IMPORTS_MAX_TOKENS 64 /* longer import lines are not offered */

typedef struct tc_import_line {
    uint32_t ids[TC_IMPORTS_MAX_TOKENS]; /* the line's rest from the cursor's typed tokens on */
    int8_t sp[TC_IMPORTS_MAX_TOKENS];    /* space before each token, as written there */
    size_t n;
    uint32_t count; /* places the line stands in */
    uint32_t names; /* its identifiers the buffer uses but does not import */
} tc_import_line;

/* The items of file fileno (*n of them), or NULL when it cannot be read;
 * valid until the next call. */
typedef const uint32_t *(*tc_imports_items_fn)(void *arg, uint32_t fileno, size_t *n);

/* The workspace file that the include line's header (the STRING token id
 * str: `<a/b.h>` or `"b.h"`) names, resolved as from file `from` (-1:
 * from the edited file); -1 when none. */
typedef long (*tc_imports_header_fn)(void *arg, uint32_t str, long from);

/* Is ids[0..n) (indentation skipped by the caller) the start of an import
 * line: its first token `import`, `from` or `use`, or `#` then `include`
 * (or `#` alone)? */
int tc_imports_is_import(const tc_vocab *v, const uint32_t *ids, size_t n);

/* The import lines for a cursor whose line holds typed[0..ntyped) (from its
 * first token after indentation; typed[0] an import keyword), then a
 * partial word partial[0..np) (np 0: none; the line's next token must
 * start with it). buf[0..nbuf) holds the ids of the buffer's other lines
 * (EOL between lines). Lines come from li (file exclude left out) read
 * through get(arg, ...); at most max into out, most names first, then most
 * places. Returns how many. */
size_t tc_imports_find(const tc_vocab *v, const tc_lineidx *li, long exclude, tc_imports_items_fn get, void *arg,
                       const uint32_t *typed, size_t ntyped, const char *partial, size_t np, const uint32_t *buf,
                       size_t nbuf, tc_import_line *out, size_t max);

/* C and C++: the include lines for a cursor whose line holds typed[0..ntyped)
 * (`#`, or `#` `include`) then the partial word partial[0..np); the rest
 * as tc_imports_find, names being the wanted names the header declares
 * (macros, functions, typedef and extern names, struct / union / enum tags
 * and enum constants, at file scope). Headers are read through
 * header(arg, ...) and get. */
size_t tc_imports_find_include(const tc_vocab *v, const tc_lineidx *li, long exclude, tc_imports_items_fn get,
                               tc_imports_header_fn header, void *arg, const uint32_t *typed, size_t ntyped,
                               const char *partial, size_t np, const uint32_t *buf, size_t nbuf, tc_import_line *out,
                               size_t max);

/* C and C++: is the cursor's line line[0..n) (up to the cursor) `#include`
 * then a `<` header path still open (`#include <linux/inp`, `#include <`)?
 * The offset of its `<`, the start of the partial header the caller
 * completes as it does `#include "ri`; -1 when not (no `<`, a `>` or a
 * blank after it, another directive). */
long tc_imports_open_include(const char *line, size_t n);

/* Go: is the cursor (buf[cursor], on a line with nothing but indentation
 * and at most a word or a path being typed (`"math/r`) before it) inside
 * an `import (` block? */
int tc_imports_in_go_block(const char *buf, size_t cursor);

/* Go: the import specs (whole lines: `"path"` or `name "path"`) of the
 * workspace's `import (` blocks whose package name (the name, or the
 * path's last element, a `/vN` skipped) the buffer buf[0..nbuf) uses as
 * `name.` and none of its import specs brings; a partial word must start
 * the spec (its name). The rest as tc_imports_find (names is 1). */
size_t tc_imports_find_go(const tc_vocab *v, const tc_lineidx *li, long exclude, tc_imports_items_fn get, void *arg,
                          const char *partial, size_t np, const uint32_t *buf, size_t nbuf, tc_import_line *out,
                          size_t max);

#endif
