/* eval_int.h - what the eval module's own files share (eval.c, history.c).
 * Nothing else includes it. */
#ifndef TC_EVAL_INT_H
#define TC_EVAL_INT_H

#include "eval/eval.h"
#include "lang/lang.h"

/* A new zeroed case at the end of cs, or NULL (cs unchanged). */
tc_case *tc_caseset_push(tc_caseset *cs);
/* Free a case's strings (not the case itself). */
void tc_case_free(tc_case *c);
/* Append a line case for the line starting at byte lo of text (a whole
 * file of language lang): the cursor after the indentation, expected = the
 * line's code (trailing white space to the suffix), prefix and suffix the
 * rest of text; the rules of tc_cases_mask (no blank, comment-only or
 * over-long line, none starting inside a multi-line comment or string).
 * 1 if made, 0 if the line does not qualify or memory ran out. */
int tc_eval_line_case(tc_caseset *out, const char *relpath, tc_lang lang, const char *text, size_t len,
                      size_t lo, const char *id, const char *kind);
/* Write one case as a FORMAT.md JSONL line, with "root" when root is not
 * NULL. TC_EIO when fp failed. */
int tc_case_write(FILE *fp, const tc_case *c, const char *root);
/* Answer cases from..cs->n-1 with e into a[from..]. A case with a kind
 * other than "block" is a line case: a multi-line answer keeps its first
 * line (as accepting one line would). */
int tc_eval_answer(tc_engine *e, const tc_caseset *cs, size_t from, tc_answer *a);

#endif
