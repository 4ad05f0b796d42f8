/* run.c - a run of code replaced: old tokens over lines, or more than the
 * one-line `tokens` kind takes, became new ones (a function extracted from
 * duplicated code: `ok = !ferror(fp); ok = fclose(fp) == 0 && ok; if (!ok
 * || rename(tmp, path) != 0) { ...` -> `return rk_file_commit(fp, tmp,
 * path)`). The commit makes the same replacement at the other copies, so
 * it is offered wherever the same old tokens stand: a `template` rule
 * (template.c builds and matches it) whose holes are the names of the old
 * text that the new text also uses, bound consistently (the same name
 * each time it occurs, the new text filled from the binding), every other
 * token literal.
 *
 * Precision first: a match must be a copy, not an idiom, so the old tokens
 * hold at least RUN_MIN_LITS tokens that are no hole and RUN_MIN_NAMED
 * names or keywords among them. Unlike a template the run need not close
 * its brackets (a diff cuts a replaced block where its tokens stop
 * differing: `{ remove(tmp)`), nor hold a hole (the same code replaced by
 * a call with no arguments). Numbers and strings stay literal and the new
 * text may bring none the old lacks. Other files of the language only when
 * the old tokens call a function (the extracted function is reachable
 * there; a copy of plain statements is that file's own code). Tried after
 * every other kind: it takes only what none of them takes. */
#include "edit/edit_int.h"
#include "util/status.h"

#define RUN_MIN_TOKENS 13 /* one line: more than the `tokens` kind's 12 */
#define RUN_MIN_LITS 12
#define RUN_MIN_NAMED 4
#define RUN_MAX_OLD 160 /* tokens of the old run, line breaks included */
#define RUN_MAX_NEW 60

static const edit_tpl_need run_need = {RUN_MAX_OLD, RUN_MAX_NEW, RUN_MIN_LITS, RUN_MIN_NAMED, 0, 0, 1, 1};

int edit_synth_run(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne)
{
    size_t i;
    int lines = 0;
    if (oe <= p || ne <= p) return TC_ENOENT; /* a replacement: insertions and deletions have kinds of their own */
    for (i = p; i < oe; i++) lines |= o->t[i].kind == TC_TOK_NEWLINE;
    if (!lines && oe - p < RUN_MIN_TOKENS) return TC_ENOENT;
    return edit_template_rule(r, o, n, p, oe, ne, &run_need);
}
