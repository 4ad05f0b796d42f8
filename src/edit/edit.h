/* edit.h - next edits: the user's last edit, generalised into a rewrite
 * that is offered wherever else it applies.
 *
 *   track.c  bursts of didChange events at one place -> (before, after) texts
 *   synth.c  one example (before, after) -> a rewrite rule with holes;
 *            two examples -> the first's rule confirmed, or the two
 *            anti-unified (tc_edit_synth2)
 *   sites.c  a rule -> the places it applies to in a text, the index
 *   eval.c   `tacit eval --next-edits`: replay of repeated edits from git
 *   prompt.c the edit-prediction prompt for a model server (Zeta layout)
 *
 * Kinds of rule (precision first: a rule is made only when the example
 * says unambiguously what to do elsewhere; otherwise TC_ENOENT):
 *   rename   one identifier replaced by a fresh name: the other uses in the
 *            same scope (the enclosing top-level item; every file for a
 *            function or a member)
 *   call     a call's callee and/or arguments changed: every call of the
 *            same function with the same number of arguments, the new
 *            arguments mapped from the old ones (kept, moved, wrapped,
 *            dropped, added constants)
 *   insert   whole lines inserted after a line: after every line like it
 *            (identifiers the new lines use are holes; bracket contents
 *            they do not use are wildcards)
 *   block    a change inside one line of a block of similar lines: the
 *            same change on the other lines of that block
 *   literal  a literal replaced: the same literal in the same context
 *   tokens   any other change inside one line (up to 12 tokens replaced,
 *            inserted or deleted): the same tokens between the same
 *            neighbours
 *   top      whole lines that name nothing ('use strict') inserted before a
 *            file's first token: at the top of every other file of the same
 *            extension that lacks them (top.c)
 *   lint     a linter's fix (an extra ';' after a function's body dropped,
 *            JavaScript `var` -> const/let): wherever the same check fails,
 *            decided per place (lint.c)
 *   template a statement or expression rewritten over one line or several,
 *            the names and literals the new text keeps as holes: where the
 *            same tokens stand with any names there (template.c); a run of
 *            code over lines (or long) replaced that no other kind takes,
 *            where the same run stands, its names bound (run.c)
 *   delete   whole lines deleted: where the same lines stand, numbers aside
 *            (lines.c)
 *   member   whole lines added to a C++ class with one base, before a line
 *            holding the class's name: in the other classes whose bases
 *            lead to that base, before their own such line (member.c)
 * Tokens are compared by text; comments and spacing never matter.
 */
#ifndef TC_EDIT_H
#define TC_EDIT_H

#include "lang/lang.h"

#include <stddef.h>
#include <stdint.h>

typedef enum tc_edit_kind {
    TC_EDIT_RENAME = 0,
    TC_EDIT_CALL,
    TC_EDIT_INSERT,
    TC_EDIT_BLOCK,
    TC_EDIT_LITERAL,
    TC_EDIT_TOKENS,
    TC_EDIT_TOP,
    TC_EDIT_LINT,
    TC_EDIT_TEMPLATE,
    TC_EDIT_DELETE,
    TC_EDIT_MEMBER,
    TC_EDIT_KIND_COUNT
} tc_edit_kind;

const char *tc_edit_kind_name(tc_edit_kind k);

/* One text to search (a view: nothing is copied). */
typedef struct tc_edit_src {
    const char *path; /* workspace-relative */
    const char *text;
    size_t len;
    tc_lang lang;
} tc_edit_src;

/* The evidence a place's confidence is made from, each 0..1 (0.5: not
 * known): the rule's kind, how well the place's surroundings agree with
 * the example's (the token just before and after it on its line, the
 * three before and after those, the line's first token, the call the
 * place is an argument of), where it is (the edited file, near the edit,
 * the example's directory), how the rule was learned (confirmed by a
 * second edit, or two edits anti-unified), whether the names the new text
 * brings exist at the place, and how many places the rule has. */
enum {
    TC_EDIT_F_KIND = 0, /* one per tc_edit_kind: 1 for the rule's */
    TC_EDIT_F_BASE = TC_EDIT_KIND_COUNT, /* the rule's own confidence */
    TC_EDIT_F_LEFT,   /* the token before agrees */
    TC_EDIT_F_RIGHT,  /* the token after agrees */
    TC_EDIT_F_LEFT3,  /* the 3 tokens before that: the share that agree */
    TC_EDIT_F_RIGHT3, /* the 3 after */
    TC_EDIT_F_HEAD,   /* the line's first token agrees */
    TC_EDIT_F_CALLEE, /* the enclosing call's function agrees */
    TC_EDIT_F_FILE,   /* in the edited file */
    TC_EDIT_F_NEAR,   /* within 40 lines of the edit */
    TC_EDIT_F_DIR,    /* in another file of the example's directory */
    TC_EDIT_F_CONFIRMED, /* a second edit made the same rule */
    TC_EDIT_F_TWO,    /* two edits anti-unified */
    TC_EDIT_F_NAMES,  /* every name the new text brings (not the place's
                         own, not a rename's new name) is in the place's file */
    TC_EDIT_F_NAMES_NEAR, /* ... within the 60 lines before the place or
                         the 10 after */
    TC_EDIT_F_MANY,   /* the rule's places: log2(1 + n) / 6, at most 1 */
    TC_EDIT_F_LINE,   /* the place's line is like the example's: 1 - their
                         edit distance / the longer's length (indentation
                         aside, the first 120 bytes); 0.5 for a rename (a
                         name's uses sit in any statement) */
    TC_EDIT_F_MANY_SYNTAX, /* TC_EDIT_F_MANY for a kind whose places are
                         found by syntax, not by the example's tokens (top,
                         lint: a linter's fix has as many places as the code
                         has), else 0; tc_edit_conf derives it from
                         TC_EDIT_F_MANY and the kind */
    TC_EDIT_F_ROLE,   /* found through the role of the example's callback
                         parameter (role.c): outside the example's own
                         function, a sibling callback's (a rule with a role) */
    TC_EDIT_F_LINE_FILE, /* in the edited file, a line like the example's
                         (TC_EDIT_F_FILE and TC_EDIT_F_LINE >= 0.95: the
                         same statement again, e.g. nan's other calls) */
    TC_EDIT_F_SECOND_LOW, /* a rule a second edit confirmed (TC_EDIT_F_CONFIRMED):
                         1 - the confidence its one example gave the place of
                         that second edit (tc_edit_synth2); else 0. The user
                         made the change where the rule alone was unsure: its
                         unsure places are likelier than it thought */
    TC_EDIT_F_PUNCT,  /* the place's new text differs from its old text only
                         by brackets, braces, semicolons and commas outside
                         strings, white space aside, a call's parentheses
                         not among them (edit_punct_only): a formatting
                         fix, right wherever the shape is */
    TC_EDIT_F_BOUND,  /* a rewrite (not a rename) whose place is a use of
                         one declaration, found through it, whatever
                         statement it sits in (edit_place_bound, bound.c):
                         a member chain in its functions, one type's
                         initializers, a call of a function the place's
                         file defines */
    TC_EDIT_F_FIRST_USE, /* a rename made at a use (not the declaration, not a
                         member, not a call) that was the name's first use
                         in its scope (with two examples, the first's):
                         the user left no use before it as it was
                         (firstuse.c) */
    TC_EDIT_F_PPLINE, /* a conditional directive placed by the lines it is
                         about (ppline.c: between the same two lines as
                         the example's, or at the same #include): right
                         wherever those lines are, whatever the file */
    TC_EDIT_F_INCLUDES, /* a place in a C or C++ file that includes the
                         edited file or that it includes (its header):
                         one unit of code with it (incl.c) */
    TC_EDIT_F_DECL_SCOPE, /* a rename made at the old name's declaration (a
                         local, a parameter, a function at its definition)
                         and the place a use of it in the declaration's
                         scope (its block or function; its file for a
                         static; any file for an extern): a use left as it
                         was no longer compiles (declscope.c) */
    TC_EDIT_F_CALL_RENAME, /* a function renamed at a call (not a member's), the
                         edited file defining the old name and not naming
                         the new one; the place another call of it in its
                         file (any C or C++ file when not static): the
                         function is renamed or moved, not one call
                         switched; likewise a C type or macro the file
                         defines renamed at a use (callrename.c) */
    TC_EDIT_F_SAME_PATH, /* a rewrite (not a rename) whose example and place
                         lie in the same access path of three names or more
                         (`q->b->cfg.first_byte_ms`), name for name: one
                         datum reached the same way (accpath.c) */
    TC_EDIT_NFEAT
};

/* The name of evidence f (TC_EDIT_F_*: a kind's name for the kinds,
 * "base", "left", ... as in the enum), "?" when out of range. */
const char *tc_edit_feat_name(int f);

/* One place where the rule applies: replace bytes [a, b) of the file's
 * text by text. */
typedef struct tc_edit_site {
    char *path;   /* owned */
    size_t a, b;
    char *text;   /* owned, NUL-terminated */
    double conf;  /* 0..1: how likely the place is one the user wants,
                     from the evidence in feat (tc_edit_conf) */
    float feat[TC_EDIT_NFEAT]; /* that evidence (TC_EDIT_F_*) */
} tc_edit_site;

typedef struct tc_edit_sites {
    tc_edit_site *v; /* owned */
    size_t n, cap;
} tc_edit_sites;

void tc_edit_sites_free(tc_edit_sites *s);

typedef struct tc_edit_rule tc_edit_rule;

/* The rule the user's edit of one document implies: before[0..blen) became
 * after[0..alen) (one burst at one place; the changed part is what lies
 * between their common token prefix and suffix). path is the document's.
 * Returns TC_OK and *out (free with tc_edit_rule_free), TC_ENOENT when the
 * edit implies nothing unambiguous (no rule, *out NULL), TC_ENOMEM. */
int tc_edit_synth(const tc_edit_src *before, const char *after, size_t alen, tc_edit_rule **out);
void tc_edit_rule_free(tc_edit_rule *r);

/* The rule two edits of the same kind imply: b1 -> a1 (the first) and
 * b2 -> a2 (the second, possibly another document). The rule of the first
 * alone is kept when one of its places in b2 makes a2 exactly (the second
 * confirms it). Otherwise the two are anti-unified: when they have the
 * same shape (as many tokens changed, of the same kinds, on one line) and
 * differ only in identifiers or literals, those become holes (a hole in
 * the new text is filled from the same hole in the old text at a site),
 * anchored on the tokens around the change that both share (at least one
 * shared name, keyword or string). Precision first: TC_ENOENT when the
 * examples disagree on a hole's role (a token that is a hole in one place
 * and fixed in another, a new token that differs and is no hole) or the
 * rule would not remake both edits exactly. Regions and scopes are in a1.
 * TC_OK (*out), TC_ENOENT (*out NULL), TC_ENOMEM. */
int tc_edit_synth2(const tc_edit_src *b1, const char *a1, size_t a1len, const tc_edit_src *b2, const char *a2,
                   size_t a2len, tc_edit_rule **out);

tc_edit_kind tc_edit_rule_kind(const tc_edit_rule *r);
/* A short description for a user ("rename count -> total"); static to r. */
const char *tc_edit_rule_title(const tc_edit_rule *r);
/* 1 if sites may lie in files other than the edited one. */
int tc_edit_rule_crossfile(const tc_edit_rule *r);
/* Bytes every text holding a site contains (for a cheap pre-filter). */
const char *tc_edit_rule_key(const tc_edit_rule *r, size_t *len);
/* The byte range the edit occupies in the edited document's new text. */
void tc_edit_rule_region(const tc_edit_rule *r, size_t *a, size_t *b);

/* The edited document changed again: bytes [a, b) became n bytes. Keeps
 * the edit's own place and the rule's scope on the same text. */
void tc_edit_rule_shift(tc_edit_rule *r, size_t a, size_t b, size_t n);

/* Append the sites of r in src to out. origin: src is the edited document
 * (its current text, the `after` of tc_edit_synth): the edit's own place
 * and, for rules bound to a scope or block, everything outside it are
 * skipped. Sites are in text order; a site where the rewrite changes
 * nothing, or that already has the new form, is not one.
 * TC_OK / TC_ENOMEM. */
int tc_edit_rule_sites(const tc_edit_rule *r, const tc_edit_src *src, int origin, tc_edit_sites *out);

/* The confidence of every site of s, from its evidence (feat), the
 * number of places found (TC_EDIT_F_MANY) and the other places of the
 * rule (tc_edit_conf_rule): call once all of a rule's sites are gathered
 * (tc_edit_rule_sites gives each a confidence from its own evidence
 * alone). */
void tc_edit_sites_score(tc_edit_sites *s);
/* The confidence of a place whose own (tc_edit_conf, all of the rule's
 * places found) is place, in a rule whose places' own confidences have
 * the mean log-odds rule (tc_edit_logodds): the place's log-odds plus
 * TC_EDIT_CONF_RULE times how far the rule's are above
 * TC_EDIT_CONF_RULE_MID. A rule's places are mostly all right or all
 * wrong (BENCHMARKS.md, "The rule's places gated together"): the rule's
 * evidence counts at each place, and the places of one rule keep their
 * order. */
double tc_edit_conf_rule(double place, double rule);
/* log(conf / (1 - conf)), conf kept within [1e-6, 1 - 1e-6]. */
double tc_edit_logodds(double conf);
/* The evidence TC_EDIT_F_MANY for a rule of n places. */
float tc_edit_many(size_t n);
/* The confidence the evidence f[TC_EDIT_NFEAT] gives (a logistic model
 * fitted on the histories of BENCHMARKS.md, "Precision by evidence"). */
double tc_edit_conf(const float *f);

/* A text lexed once for many rules (a cache of the workspace's files):
 * tc_edit_text_new lexes src (its bytes are borrowed: they must outlive
 * the text); NULL on ENOMEM. */
typedef struct tc_edit_text tc_edit_text;
tc_edit_text *tc_edit_text_new(const tc_edit_src *src);
void tc_edit_text_free(tc_edit_text *t);
/* tc_edit_rule_sites on a lexed text (path: the sites' path). */
int tc_edit_rule_sites_text(const tc_edit_rule *r, const tc_edit_text *t, const char *path, int origin,
                            tc_edit_sites *out);

/* More places than this for a rule that reaches other files, learned from
 * one edit, is a change too general to be what the user is doing (every
 * call of free()): only those of tc_edit_sites_narrow are offered. */
#define TC_EDIT_MAX_OFFERS 40

/* tc_edit_rule_sites and tc_edit_rule_sites_text drop the places whose
 * confidence from their own evidence (TC_EDIT_F_MANY not known yet) is
 * below this: 0, every place; the caller scores them all
 * (tc_edit_sites_score) and keeps those of TC_EDIT_OFFER_CONF. */
#define TC_EDIT_MIN_CONF 0.0

/* The confidence model's weights (TC_EDIT_CONF_W, TC_EDIT_CONF_BIAS) and
 * TC_EDIT_OFFER_CONF: the server offers the places whose confidence, all
 * of the rule's places found (tc_edit_conf with TC_EDIT_F_MANY), is at
 * least this (setting nextEditMinConfidence), the lowest with precision
 * 0.9 on the histories it was fitted on. Written by
 * bench/nextedit_refit.sh (docs/next-edits.md, "Refitting the
 * confidence"). */
#include "edit/conf_weights.h"

/* More places than this for a literal or `tokens` change: only those of
 * tc_edit_sites_narrow are offered. */
#define TC_EDIT_MAX_LITERALS 8

/* 1 if n places of r are too many to offer (TC_EDIT_MAX_OFFERS,
 * TC_EDIT_MAX_LITERALS; TC_EDIT_MAX_NARROW for braces learned from a "}"
 * line alone, the other linter fixes have no limit). */
int tc_edit_rule_too_broad(const tc_edit_rule *r, size_t n);

/* A `tokens` rule whose search found no place besides the example's:
 * the names of its left anchor become holes (`int f, ok;` -> `int f;`
 * reaches `int a, ok;`), once; the caller searches again with r. 1 if r
 * changed, 0 if it has nothing to widen (another kind, an anchor
 * without a name, the new tokens use it, widened already). widen.c. */
int tc_edit_rule_widen(tc_edit_rule *r);

/* A rule with too many places (tc_edit_rule_too_broad) is not dropped:
 * it offers the places whose surroundings are the example's own, at most
 * this many (more: none). */
#define TC_EDIT_MAX_NARROW 160

/* 1 if a place of r with evidence feat (tc_edit_site.feat) has the
 * example's own surroundings: for a rename, in the edited file or its
 * directory; for the other kinds, the example is an argument of a named
 * call (`inc(a, b)`, not a bracket nor outside any call) and the place is
 * one of the same function, with the same token just before and just
 * after it (TC_EDIT_F_CALLEE, _LEFT, _RIGHT). */
int tc_edit_site_exact(const tc_edit_rule *r, const float *feat);
/* 0 if no place of r can be tc_edit_site_exact (the example is in no
 * named call): with too many places, the search can stop. */
int tc_edit_rule_narrowable(const tc_edit_rule *r);

/* s, all of r's places: when they are too many (tc_edit_rule_too_broad),
 * only those of tc_edit_site_exact are kept, none when more than
 * TC_EDIT_MAX_NARROW. Before tc_edit_sites_score. */
void tc_edit_sites_narrow(const tc_edit_rule *r, tc_edit_sites *s);

/* ---- tracking (track.c) --------------------------------------------------- */

/* Turns document changes into bursts: consecutive changes of one document
 * within a few lines of each other are one edit; a change elsewhere (or in
 * another document) starts the next. Not thread-safe. */
typedef struct tc_edit_tracker tc_edit_tracker;

tc_edit_tracker *tc_edit_tracker_new(void); /* NULL on ENOMEM */
void tc_edit_tracker_free(tc_edit_tracker *t);
/* Before a change of document key (text[0..len) now) replaces bytes [a, b)
 * by n bytes. TC_OK / TC_ENOMEM (the burst is then forgotten). */
int tc_edit_tracker_change(tc_edit_tracker *t, const char *key, const char *text, size_t len, size_t a,
                           size_t b, size_t n);
/* The document of the current burst (NULL if none) and its text when the
 * burst began (*before, *blen; borrowed until the next call). */
const char *tc_edit_tracker_burst(const tc_edit_tracker *t, const char **before, size_t *blen);
/* The burst before the current one, when it was in the same document: 1
 * and the text before it (*before, *blen; borrowed until the next call);
 * its text after it is the current burst's before. 0 if there is none (or
 * it was in another document, or reset). */
int tc_edit_tracker_prev(const tc_edit_tracker *t, const char **before, size_t *blen);
/* The bytes the burst has touched, in the current text. */
void tc_edit_tracker_range(const tc_edit_tracker *t, size_t *a, size_t *b);
/* Forget the burst (after its rule was applied everywhere, or the document closed). */
void tc_edit_tracker_reset(tc_edit_tracker *t, const char *key);
/* Counts bursts begun (a new number: a new burst). */
uint64_t tc_edit_tracker_bursts(const tc_edit_tracker *t);
/* Counts changes seen (a staleness epoch for cached answers). */
uint64_t tc_edit_tracker_epoch(const tc_edit_tracker *t);

/* ---- evaluation (eval.c) ----------------------------------------------- */

/* `tacit eval --next-edits --history N [--root REPO] [--json] [--show K]
 * [--examples 1|2] [--example-at first|middle] [--misses]` (argv[1] is
 * "eval"): replay of the repeated edits of the last N commits, from each
 * one's first place or its middle one (--misses: each place not found, by
 * class).
 * Returns the exit status (0, 1 failure, 2 usage). */
int tc_edit_eval_main(int argc, char **argv);

/* ---- the edit-prediction prompt (prompt.c) ------------------------------- */

/* The Zeta-style prompt: "### Instruction", the user's recent edits as
 * unified diffs ("User edited \"path\":" + a ```diff block), then the
 * excerpt around the cursor between <|editable_region_start|> and
 * <|editable_region_end|> with <|user_cursor_is_here|> at the cursor.
 * before/after: the burst's texts; text/cursor: the current document.
 * Appends to *out (a malloc'd string; caller frees). TC_OK / TC_ENOMEM. */
int tc_edit_prompt(const char *path, const char *before, size_t blen, const char *after, size_t alen,
                   size_t cursor, char **out);

#endif
