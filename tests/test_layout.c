/* test_layout.c - the buffer's layout conventions (layout.h): a
 * directive's indentation after the `#`, a continuation's aligned `\`. */
#include "test.h"

#include "suggest/layout.h"
#include "util/buf.h"

#include <string.h>

/* Lay s out for a cursor at the end of prefix (suffix after it); the
 * result, or "" when nothing changed. */
static char *laid_out(const char *prefix, const char *suffix, tc_lang lang, const char *s, tc_buf *scratch,
                      tc_buf *out)
{
    tc_layout l;
    int r;
    scratch->len = 0;
    tc_buf_puts(scratch, prefix);
    tc_buf_puts(scratch, suffix);
    tc_layout_scan(scratch->data, scratch->len, strlen(prefix), lang, &l);
    r = tc_layout_apply(&l, s, strlen(s), out);
    if (r != 1) {
        out->len = 0;
        tc_buf_puts(out, "");
    }
    return out->data;
}

TC_TEST(layout_directive_by_depth_and_conditional)
{
    tc_buf b = {0}, o = {0};
    /* GNU style: nested directives indented by depth (an include guard's
     * level included) */
    const char *gnu = "#ifndef _X_H\n# define _X_H 1\n# ifdef A\n#  define B 1\n#  if C\n#   define D\n#  endif\n";
    TC_CHECK_STR(laid_out(gnu, "\n# endif\n#endif\n", TC_LANG_C, "#define E 2", &b, &o), "#  define E 2");
    TC_CHECK_STR(laid_out(gnu, "\n", TC_LANG_C, "#endif", &b, &o), "# endif");
    TC_CHECK_STR(laid_out(gnu, "\n", TC_LANG_C, "#  define E 2", &b, &o), ""); /* already right */
    /* the guard's level left out */
    TC_CHECK_STR(laid_out("#ifndef G\n#define G\n#ifdef A\n# define B\n# if C\n#  define D\n# endif\n# ifdef E\n",
                          "", TC_LANG_C, "#define F", &b, &o),
                 "#  define F");
    /* unindented nesting (the kernel's): nothing changes */
    TC_CHECK_STR(laid_out("#ifdef A\n#define B\n#ifdef C\n#define D\n#endif\n#ifdef E\n", "", TC_LANG_C,
                          "#define F", &b, &o),
                 "");
    /* no depth style, but an #endif as its conditional: `# ifndef` ... `# endif` */
    TC_CHECK_STR(laid_out("#include \"a.h\"\n# include <b.h>\n# ifndef M\nf (x)\n", "", TC_LANG_C, "#endif", &b, &o),
                 "# endif");
    /* mid-line, another language, a comment: untouched */
    TC_CHECK_STR(laid_out(gnu, "", TC_LANG_PYTHON, "#endif", &b, &o), "");
    TC_CHECK_STR(laid_out("#ifdef A\n  ", "", TC_LANG_C, "# endif", &b, &o), "");
    tc_buf_free(&b);
    tc_buf_free(&o);
}

TC_TEST(layout_continuation_backslash_aligned)
{
    tc_buf b = {0}, o = {0};
    /* the line above pads with tabs: tabs to the last stop, then spaces */
    TC_CHECK_STR(laid_out("#define M(x) \\\n  do {\t\t\t\t\t\t\\\n    ", "\n  } while (0)\n", TC_LANG_C, "f (x); \\",
                          &b, &o),
                 "f (x);\t\t\t\t\t\\");
    /* within one tab stop it tells nothing: the line below's tabs decide */
    TC_CHECK_STR(laid_out("#define M(x) \\\n  (aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa    \\\n\t\t   ",
                          "\n\t\t   && (b)\t\t\t\t\t      \\\n  )\n", TC_LANG_C, "&& (size) <= 8 \\", &b, &o),
                 "&& (size) <= 8\t\t    \\");
    /* spaces only */
    TC_CHECK_STR(laid_out("#define M(x)        \\\n  ", "", TC_LANG_C, "f (x) \\", &b, &o), "f (x)" "             \\");
    /* past the column: one space; a single-spaced neighbour aligns nothing */
    TC_CHECK_STR(laid_out("#define M(x) \\\n  g (x);  \\\n  ", "", TC_LANG_C, "a_long_call (x, y); \\", &b, &o), "");
    TC_CHECK_STR(laid_out("#define M(x) \\\n  ", "", TC_LANG_C, "f (x)      \\", &b, &o), "");
    tc_buf_free(&b);
    tc_buf_free(&o);
}

TC_TEST(layout_merge_raw_copy)
{
    tc_buf o = {0};
    const char *r;
#define MERGE(raw, laid) (tc_layout_merge(raw, strlen(raw), laid, strlen(laid), &o) == 0 ? o.data : "(oom)")
    r = MERGE(" (pbackfail, io_pbackfail),", "(pbackfail, io_pbackfail),");
    TC_CHECK_STR(r, "(pbackfail, io_pbackfail),");
    /* a trailing comment and the copy's alignment kept; a gap added */
    r = MERGE("#define X\t\t0x04 /* x */", "# define X 0x04");
    TC_CHECK_STR(r, "# define X\t\t0x04 /* x */");
    /* a continuation's `\` where the rendering put it */
    r = MERGE("f (x);  \\", "f (x);\t\t\\");
    TC_CHECK_STR(r, "f (x);\t\t\\");
#undef MERGE
    tc_buf_free(&o);
}

/* Directives are read from the last TC_LAYOUT_SCAN bytes before the
 * cursor's line only: a conditional opened before them is not seen. */
TC_TEST(layout_scan_is_bounded)
{
    tc_buf pre = {0}, b = {0}, o = {0};
    size_t i;
    tc_buf_puts(&pre, "# ifdef A\n");
    for (i = 0; i < TC_LAYOUT_SCAN / 8; i++) tc_buf_puts(&pre, "int x_______ ;\n"); /* 15 bytes a line */
    TC_CHECK_STR(laid_out(pre.data, "", TC_LANG_C, "#endif", &b, &o), "");
    pre.len = 0;
    tc_buf_puts(&pre, "# ifdef A\nint x;\n");
    TC_CHECK_STR(laid_out(pre.data, "", TC_LANG_C, "#endif", &b, &o), "# endif");
    tc_buf_free(&pre);
    tc_buf_free(&b);
    tc_buf_free(&o);
}
