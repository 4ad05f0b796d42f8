/* misfit.h - line candidates that cannot be the cursor's line of C code.
 *
 * The ranker's close calls are often a like line of the same kind where
 * one of the two cannot compile where the cursor is (BENCHMARKS.md,
 * q22-rank and q23-ka). Three checks, each certain enough that suggest.c
 * ranks a candidate failing one after every candidate that passes them
 * (it checks the ranked candidates from the best down until a request's k
 * pass):
 *
 *  - brackets: the brackets open before the cursor's line, that line's text
 *    before the cursor and the candidate, read in turn, either end a
 *    statement (`;`) right inside an open `(` or `[` (outside a line with a
 *    `for` header), or, when nothing follows the cursor on its line, leave
 *    fewer `(` open than the next non-blank line closes without opening
 *    (`f(a,` / `b);` below: the line must leave one open);
 *  - arity: a call the line completes (a name, `(`, its arguments and `)`
 *    all on the line) passes a number of arguments that differs from the
 *    one number every other call or definition of that name in the buffer
 *    around the cursor passes; names with a string literal or `...` among
 *    the arguments anywhere (printf-like, variadic) and C keywords are
 *    never judged, nor names the buffer does not call;
 *  - return: `return;` in a function whose head declares a value, or
 *    `return x;` in one declared `void` (not `void *`): the function whose
 *    body's `{` opens a line at column 0 or ends its head's line, with no
 *    `}` at column 0 between it and the cursor (the styles of the kernel
 *    and GNU; other layouts are not judged).
 *
 * Strings, character literals and comments are skipped. Meant for C and
 * C++ (other languages' definitions take receivers, defaults and keyword
 * arguments); the caller decides. No allocation: a tc_misfit is a plain
 * value, valid while the buffer and the text given to tc_misfit_init live.
 */
#ifndef TC_MISFIT_H
#define TC_MISFIT_H

#include <stddef.h>

#define TC_MISFIT_NAMES 8   /* called names whose arity a request looks up (more: not judged) */
#define TC_MISFIT_NAME_MAX 48

typedef struct tc_misfit {
    const char *buf;        /* the buffer (not owned) */
    size_t len, lo, hi;     /* its length; the window searched for a name's calls */
    size_t line_lo, line_hi;/* the cursor's line, left out of the search */
    const char *before;     /* open brackets before the line + the line before the cursor (not owned) */
    size_t nbefore;
    int ret;                /* the cursor's function returns nothing (1), a value (2), or not known (0) */
    int need;               /* `)` the next non-blank line closes without opening them; -1: a text follows the cursor */
    size_t nnames;
    struct {
        char name[TC_MISFIT_NAME_MAX];
        size_t n;
        int arity; /* the one count of arguments; -1: the buffer's calls disagree or are variadic; -2: none */
    } names[TC_MISFIT_NAMES];
} tc_misfit;

/* Set m up for the cursor at buf[cursor]: before[0..nbefore) as above,
 * after_blank nonzero when only white space follows the cursor on its line
 * (the `)` the next line needs are judged then only). */
void tc_misfit_init(tc_misfit *m, const char *buf, size_t len, size_t cursor, const char *before, size_t nbefore,
                    int after_blank);

/* Why the candidate s[0..ns) cannot follow the cursor: TC_MISFIT_RETURN,
 * TC_MISFIT_BRACKETS, TC_MISFIT_ARITY, or 0 when it may. Looks names up in m's cache (fills it). */
enum { TC_MISFIT_BRACKETS = 1, TC_MISFIT_ARITY = 2, TC_MISFIT_RETURN = 3 };
int tc_misfit_check(tc_misfit *m, const char *s, size_t ns);

#endif
