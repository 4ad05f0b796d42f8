/* eval_int.h - what the eval module's own files share (eval.c, history.c).
 * Nothing else includes it. */
#ifndef TC_EVAL_INT_H
#define TC_EVAL_INT_H

#include "eval/eval.h"

/* Write one case as a FORMAT.md JSONL line, with "root" when root is not
 * NULL. TC_EIO when fp failed. */
int tc_case_write(FILE *fp, const tc_case *c, const char *root);
/* Answer cases from..cs->n-1 with e into a[from..]. A case with a kind
 * other than "block" is a line case: a multi-line answer keeps its first
 * line (as accepting one line would). */
int tc_eval_answer(tc_engine *e, const tc_caseset *cs, size_t from, tc_answer *a);

#endif
