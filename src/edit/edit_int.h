/* edit_int.h - what the files of src/edit/ share; nothing outside uses it. */
#ifndef TC_EDIT_INT_H
#define TC_EDIT_INT_H

#include "edit/edit.h"

#include <stddef.h>
#include <stdint.h>

/* A text's significant tokens (comments and Python's indents and dedents
 * dropped) and, for each bracket, the index of its partner (-1: none). */
typedef struct ev {
    const char *s;
    size_t len;
    tc_token *t; /* owned */
    long *match; /* owned, n entries */
    size_t n;
} ev;

int ev_init(ev *v, tc_lang lang, const char *s, size_t len); /* TC_OK / TC_ENOMEM */
void ev_free(ev *v);
/* Same token text (line breaks, indents and dedents compare by kind). */
int ev_eq(const ev *a, size_t i, const ev *b, size_t j);
/* Token i is exactly lit. */
int ev_is(const ev *v, size_t i, const char *lit);
/* Tokens [*p, *ne) of n inserted: slide them up while the token before
 * equals the last inserted one and is no line break (the same insertion
 * read one place earlier), so they start after a line break when they
 * can. Returns how many tokens they moved. */
size_t edit_slide_insert(const ev *n, size_t *p, size_t *ne);
/* Start of token i's line: the index after the previous NEWLINE. */
size_t ev_line_first(const ev *v, size_t i);
/* The NEWLINE ending token i's line (or n). */
size_t ev_line_end(const ev *v, size_t i);
/* The indentation of token i's line: a view into v's text, *len bytes. */
const char *ev_line_indent(const ev *v, size_t i, size_t *len);
/* Token i is a member operator: ".", "->", "::" or "?.". */
int ev_is_qual(const ev *v, size_t i);
/* A token of kind k can fill a hole: an identifier, number or string. */
int edit_is_holey(uint8_t k);
/* The first token of v that starts at or after byte a (n: none). */
size_t ev_tok_at(const ev *v, size_t a);
/* Byte offset where token i starts (len for i == n). */
size_t ev_off(const ev *v, size_t i);
/* Byte offset just after token i - 1 (0 for i == 0). */
size_t ev_end(const ev *v, size_t i);

/* A pattern element: a literal token, a hole (one identifier or literal;
 * the same hole twice means the same text), or a group (any balanced
 * tokens up to the next closing bracket). */
enum { EL_LIT = 0, EL_HOLE, EL_GROUP };

typedef struct edit_el {
    int type;
    char *text; /* EL_LIT: owned */
    size_t len;
    uint8_t kind; /* EL_LIT: tc_tok_kind; EL_HOLE: the kind that fills it when typed */
    uint8_t typed; /* EL_HOLE: only tokens of kind fill it (else any identifier or literal) */
    int hole;      /* EL_HOLE: number */
} edit_el;

/* A piece of the new text: a literal or a hole's text at the site. */
typedef struct edit_piece {
    int hole;  /* >= 0: the hole; -1: lit */
    char *lit; /* owned */
    size_t len;
} edit_piece;

/* One new argument of a call rewrite. */
typedef struct edit_arg {
    int ref;     /* old argument number (kept or wrapped), or -1 */
    char *pre;   /* text before the old argument (wrapped), owned or NULL */
    char *post;  /* text after it */
    char *lit;   /* ref < 0: the constant argument */
    char *guard; /* the old argument at this position must be this (token-joined), or NULL */
    char *shape; /* wrapped: the kinds of the example's old argument's tokens */
} edit_arg;

#define EDIT_MAX_HOLES 32
#define EDIT_MAX_WIDEN 2 /* the left anchor of a `tokens` rule: two tokens at most (widen.c) */
#define EDIT_MAX_SKIP 8 /* rename: inner scopes declaring the name again, set aside (inner.c) */

struct tc_edit_rule {
    tc_edit_kind kind;
    tc_lang lang;
    char title[200];
    char *key; /* owned */
    size_t keylen;
    int cross;            /* sites in other files too */
    int calls_only;       /* rename: only where the name is called */
    int pp;               /* rename: a C macro, only on preprocessor lines (#if, #ifdef, #define ...) */
    int ppwrap;           /* insert: `#endif` after lines like the example's (1), or the whole wrap around
                             them (2, out: the opener's pieces, then the `#endif`) (ppwrap.c; callee_from the name) */
    size_t reg_a, reg_b;  /* the edit in the new text (bytes) */
    size_t scope_a, scope_b; /* origin: sites only inside (bytes of the new text) */
    /* pattern kinds */
    edit_el *pat;
    size_t npat;
    size_t rep0, rep1;    /* elements replaced; rep0 == rep1 == npat: insert after */
    int line_start;       /* the pattern starts a line */
    edit_piece *out;
    size_t nout;
    int nholes;
    char *indent;         /* insert, template: the anchor line's indentation in the example; top: the
                             example file's extension (".js"), sites only in files with it */
    /* call */
    char *callee_from, *callee_to;
    int qual;             /* call: the callee follows '.', '->' or '::'; rename: a member, renamed only there */
    size_t nargs;         /* old arity */
    char **oshape;        /* per old argument, its token kinds (edit_shape), or NULL */
    char **dropped;       /* call: per old argument dropped where constants come in, the example's
                             text (edit_join): a site's must be the same; NULL: any */
    edit_arg *args;
    size_t nnew;
    /* confidence (sites.c): how sure the example makes the rule (0..1),
     * and the tokens around the example's own place in the old text
     * (NULL: none) that a site's surroundings are compared with */
    double conf;
    char *lctx, *rctx;
    uint8_t lkind, rkind;
    char *lwide, *rwide; /* the tokens beyond lctx / rctx on the line (12 at most), each
                            followed by '\n' (fewer at the line's ends) */
    char *head;   /* the first token of the example's line */
    char *callee; /* the function the example's place is an argument of, "(" for
                     brackets that are not a call, "" for none */
    char *expath; /* the edited file's path */
    char exline[128]; /* the example's line in the old text, indentation
                         aside, at most 120 bytes ("": not known) */
    int twoex;    /* 1: a second edit confirmed the rule; 2: two edits anti-unified */
    double conf2; /* twoex 1: the confidence the rule alone gave the second edit's place
                     (its own evidence, as a place of another file when it is in one) */
    int lint;  /* lint: which check (lint.c) */
    char *dir; /* the new text names a relative path: sites only in files of this directory, or NULL */
    struct tc_edit_rule *also; /* rename: a second name renamed on the example's line (rename2.c), owned */
    int shadow; /* rename of a parameter that shadowed one of the function around it, also in its
                   sibling functions (shadow.c): 1 a function's, 2 an arrow function's */
    /* rename of a callback's parameter at a use (role.c): outside its
     * function, the uses followed by `.role_member` of the parameter
     * role_param of a function passed as argument role_arg of a call of
     * role_callee (NULL: no such role) */
    char *role_callee, *role_member;
    long role_arg, role_param;
    /* rename of a local whose name inner scopes declare again (inner.c):
     * those scopes, bytes [skip_a[k], skip_b[k]) of the new text, hold no site */
    size_t skip_a[EDIT_MAX_SKIP], skip_b[EDIT_MAX_SKIP];
    size_t nskip;
    char *chain; /* call: the member call inserted before the pattern's, as typed (chain.c), owned, or NULL;
                    then indent: the extra indentation of the example's head when it starts its line, or NULL */
    int mchain; /* a member chain rooted in a local, replaced in its function (mchain.c): TC_EDIT_TOKENS */
    char *mparam; /* mchain: the root is this parameter (its tokens joined, `tc_engine * e`): the
                     other functions of the file that take it too; NULL: a local */
    size_t init;  /* elements appended to initializers of one type (init.c): their count before, 0 not */
    /* tokens: the pattern's elements, names of the left anchor, that tc_edit_rule_widen makes holes
       (widen.c); nwiden 0: none, or widened already */
    size_t widen_el[EDIT_MAX_WIDEN], nwiden;
    int init_ptr; /* ... the type's pointers (pat: its base type, then its dimensions' tokens) */
    /* tokens, an argument inserted at a call (family.c): the sibling function whose calls
       get it too, in place of pattern element family_el - 1 (0: none); the name the insertion
       brings that is a parameter of the example's function, and its type (edit_join), or NULL */
    char *family, *family_var, *family_type;
    size_t family_el;
    int first_use; /* rename at a use: no use of the old name stands before the example in its
                      scope, left as it was (firstuse.c, TC_EDIT_F_FIRST_USE) */
    int ppline; /* conditional lines placed by the lines around them (ppline.c, TC_EDIT_F_PPLINE) */
    int at_decl; /* rename made at the old name's declaration (declscope.c, TC_EDIT_F_DECL_SCOPE) */
    char *incs; /* the base names the edited file #includes, one a line, or NULL (incl.c) */
    int call_def; /* 1: function renamed at a call, 2: a C type or macro at a use; the file
                     defines the old name, not the new (callrename.c, TC_EDIT_F_CALL_RENAME) */
    char *path; /* the access path of 3 names or more the example's place lies in, its tokens
                   joined (`q->b->cfg.first_byte_ms`), owned, or NULL (accpath.c) */
};

/* The sites of r on the lexed text v (src: its path and bytes); origin 2:
 * v is the example's old text, no place skipped. No confidence filter. */
int edit_sites_ev(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out);
/* tc_edit_rule_sites(_text) keeping the sites of confidence >= min
 * (the evaluation sweeps min). */
int edit_rule_sites_min(const tc_edit_rule *r, const tc_edit_src *src, int origin, double min, tc_edit_sites *out);
int edit_rule_sites_text_min(const tc_edit_rule *r, const tc_edit_text *t, const char *path, int origin, double min,
                             tc_edit_sites *out);
/* 1 if paths x and y are in the same directory (sites.c: the "dir"
 * evidence). */
int edit_same_dir(const char *x, const char *y);
/* Record the tokens around the example's place: the site of r in the old
 * text o that overlaps old bytes [a, b). TC_OK / TC_ENOMEM. */
int edit_rule_context(tc_edit_rule *r, const tc_edit_src *before, const ev *o, size_t a, size_t b);

/* 1 if the identifier at c, followed by '(', is being declared (a type,
 * `def`, `function`... before it), not called. */
int edit_is_decl_before(const ev *v, size_t c);
/* 1 if the ')' at m is followed by a body ('{', ':' or '->'): a definition. */
int edit_body_after(const ev *v, size_t m);
/* 1 if token i of v names the definition of function name[0..len): a
 * declaration, its parameters, a body. */
int edit_is_def(const ev *v, size_t i, const char *name, size_t len);
/* The start of the block at `{` q of v with the parameter list right
 * before it (`f(a) {`, `(a) => {`, `x => {`): that list's first token,
 * else q. */
size_t edit_block_from(const ev *v, size_t q);
/* 1 if v defines function name[0..len) (a declaration followed by a
 * body); only_static: a definition with `static` before it on its line. */
int edit_defines(const ev *v, const char *name, size_t len, int only_static);

/* Token p of n is a parameter: its function, from the '(' to the end of
 * the body, tokens [*a, *b). 0 if it is not. */
int edit_param_scope(const ev *n, tc_lang lang, size_t p, size_t *a, size_t *b);
/* 1 if token i of v declares the name it holds (a variable, a parameter,
 * `x =>`, a function or a member defined). */
int edit_declares_name(const ev *v, tc_lang lang, size_t i);

/* shadow.c: token p of o (a renamed parameter) shadows a parameter of the
 * same name of the function around it: set r->shadow, 1. Else 0. */
int edit_shadow_mark(tc_edit_rule *r, const ev *o, size_t p);
/* The sites of such a rule in the edited file v (origin 1): its own
 * function's uses, and the parameter and uses of each sibling function
 * (edit_sites_ev's contract). */
int edit_shadow_sites(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out);

/* synth.c's rename of one identifier (token p of o -> n) into r
 * (TC_ENOENT: no rename). */
int edit_synth_rename(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne);
/* rename2.c: a line renaming two names at once -> r (the first pair's
 * rename, the second's in r->also); TC_ENOENT when the edit is not that or
 * either pair alone is no rename reaching the whole file. */
int edit_synth_rename2(tc_edit_rule *r, const tc_edit_src *before, const ev *o, const ev *n, size_t p, size_t oe,
                       size_t ne);
/* The sites of such a rule (edit_sites_ev's contract): each rename's, and
 * the two on one line as one place. */
int edit_rename2_sites(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out);
/* 1 if bytes [a, b) of src hold no line break (rename2.c). */
int edit_one_line(const tc_edit_src *src, size_t a, size_t b);

/* inner.c: a local renamed at token p of o (-> n, one token for one) in
 * its scope [a, b) of tokens that declares the name more than once: 1
 * when each other declaration opens an inner scope inside [a, b) that
 * does not hold p (a loop's header and body, an inner function, a block's
 * `let`/`const`) and at most one declaration is left outside them; those
 * scopes are set aside in r (skip_a, skip_b, nskip). 0 (r unchanged but
 * nskip 0): no rule. */
int edit_inner_mark(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t a, size_t b);
/* The `let`, `const` or `var` whose destructuring pattern (`[a, b]`,
 * `{ a, b }`) holds token d of v (a name it declares): its index; 0: none. */
size_t edit_pattern_kw(const ev *v, size_t d);
/* 1 if bytes [a, b) of the edited file lie in a scope r set aside. */
int edit_inner_skipped(const tc_edit_rule *r, size_t a, size_t b);

/* ppline.c: `#if`/`#else`/`#endif` lines added between two lines of C or
 * C++ -> r, kind insert, between the same two lines elsewhere
 * (TC_ENOENT: the edit is not that). */
int edit_synth_ppline(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne);

/* ppwrap.c: `#endif` added after a line of C or C++ in a file whose
 * conditionals balanced -> r, kind insert, ppwrap 1, after the lines of
 * the file like it, its longest name a hole for names of the same family;
 * closing the user's `#if` + a line with the name + `#else` right above
 * it, or that whole wrap typed at once: ppwrap 2, that wrap around those
 * lines (TC_ENOENT: the edit is not that). */
int edit_synth_ppwrap(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne);
/* The sites of such a rule in v (edit_sites_ev's contract). */
int edit_ppwrap_sites(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out);
/* 1 if token i of v is the directive word of a conditional's opener
 * (`if`, `ifdef`, `ifndef`, after the `#`). (ppwrap.c) */
int edit_pp_opener(const ev *v, size_t i);

/* classfield.c: tokens [p, oe) of o lie on a data member's declaration
 * (`Type name;`, no call nor body) directly in the body of a class,
 * struct or union: 1, bytes [*a, *b) of n that body, braces included.
 * Else 0, *a, *b unchanged. */
int edit_class_field(const ev *o, const ev *n, size_t p, size_t oe, size_t *a, size_t *b);
/* family.c: a `tokens` rule r inserting [p, ne) of n into the
 * arguments of a call of a function the old text o defines: the sibling
 * defined there with the same parameters and a camel-case word added to
 * the name (`WrapCallback` -> `WrapVoidCallback`) in r->family. TC_OK (r
 * unchanged when there is none) / TC_ENOMEM. */
int edit_family_mark(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne);
/* 1 if token k of v is r's sibling in place of pattern element e. */
int edit_family_lit(const tc_edit_rule *r, size_t e, const ev *v, size_t k);
/* Whether the match at pos (match_at's) is a site: TC_OK / TC_ENOENT (a
 * call of r's sibling where the name the insertion brings is no parameter
 * of the example's type) / TC_ENOMEM. */
int edit_family_site(const tc_edit_rule *r, const ev *v, const size_t *pos);
/* 1 if g is f with camel-case words added inside or after it. */
int edit_name_family(const char *f, size_t fn, const char *g, size_t gn);
/* params.c: 1 if, in C or C++, every item between the brackets lp
 * and rp of v declares a name (`T x`, `T* x`, `const T& x`) and one at
 * least is a plain `T x` (`f(a * b)` may be a product): a parameter list,
 * not a call's arguments. */
int edit_params_declared(const ev *v, tc_lang lang, size_t lp, size_t rp);
/* thisclass.c: a C/C++ `call` or `tokens` rule r whose new tokens
 * [p, ne) of n bring `this` (the old [p, oe) of o had none), made in a
 * member function of a class: its places kept to the bodies of that
 * class's members in the edited file (r->scope_*, r->skip_*, cross 0).
 * TC_OK always (r unchanged when that is not the case, or when the
 * example's body is not among the class's first 512 bodies). */
int edit_this_class_scope(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne);

/* declspec.c: names put before a function's declaration at its line's
 * start in C or C++ -> r, kind tokens, before the lines that start with
 * the same head (TC_ENOENT: the edit is not that). */
int edit_synth_declspec(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne);

/* chain.c: a member call inserted before another (`.As<V>()` before
 * `.As<E>()`) -> r, kind call, its pattern the next call's head
 * (TC_ENOENT: the edit is not that). */
int edit_synth_chain(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne);
/* A site of such a rule whose pattern starts at token i of v, at [*a, *b)
 * with *text: TC_ENOENT when the inserted call stands there already;
 * TC_OK, the site moved before the head with a line break first when the
 * example's head starts its line, the site's does not and its line would
 * grow longer than the file's longest; TC_ENOMEM. */
struct tc_buf;
int edit_chain_site(const tc_edit_rule *r, const ev *v, size_t i, size_t *a, size_t *b, struct tc_buf *text);

/* lineshare.c: of the sites out->v[from..n) (in text order), those that
 * follow one another on one line of src's text take the evidence and the
 * confidence of the surest of them. */
void edit_sites_share_line(const tc_edit_src *src, size_t from, tc_edit_sites *out);

/* unbal.c: 1 if the changed tokens [p, oe) of o -> [p, ne) of n open and
 * close as many brackets of each kind (the text's balance is kept); 0: a
 * piece of a larger change, which the token kinds make no rule of. */
int edit_brackets_kept(const ev *o, size_t p, size_t oe, const ev *n, size_t ne);

/* wrap.c: 1 if the changed tokens [p, oe) of o -> [p, ne) of n are one
 * side wrapped in tokens before or after it, line breaks aside (24
 * tokens a side at most), with a line break in the change and each
 * inside a bracket the change opens: one line's change that the
 * formatter wrapped (`f::W<T>::X,` -> `f::P<\n    f::W<T>::X>,`), which
 * the `tokens` kind takes across that break. */
int edit_is_wrap(tc_lang lang, const ev *o, const ev *n, size_t p, size_t oe, size_t ne);

/* insuse.c: for tokens [p, ne) of n inserted at token p of o, how many
 * tokens of o from p the anchor after the insertion holds: through the
 * first name of the 3 after it (on its line) that the inserted tokens
 * use (`if (x) ` before `(x->*f)()`: 2, `( x`), else 1. */
size_t edit_insert_uses(const ev *o, const ev *n, size_t p, size_t ne);

/* incl.c: the base names src (C or C++) #includes, each ended by a
 * newline (4 KB at most), malloc'd; NULL for none or another language. */
char *edit_includes_of(const tc_edit_src *src);
/* incl.c: TC_EDIT_F_INCLUDES on the sites out->v[from..n) of src (their
 * confidence again with it) when src (C or C++, another file than the
 * edited one: origin 0) includes r's edited file or is one of its
 * includes (by base name); edit_sites_ev calls it once per file. */
void edit_sites_includes(const tc_edit_rule *r, const tc_edit_src *src, int origin, size_t from, tc_edit_sites *out);

/* nsname.c: 1 if the first `{` of tokens [a, b) of v opens a namespace
 * (`namespace {`, `namespace N {`). */
int edit_ns_item(const ev *v, size_t a, size_t b);

/* nsname.c: 1 if v never declares the name at token p (no use after
 * struct, union, enum, class, typedef, using, define or namespace, none
 * a typedef's last name, no function of that name defined): a name from
 * another file. */
int edit_name_foreign(const ev *v, tc_lang lang, size_t p);

/* variant.c: 1 if paths x and y name versions of one file: the same
 * directory, and names that are the same once their version words
 * (digits, and `pre`, `post`, `legacy`...: `nan_callbacks_12_inl.h`,
 * `nan_callbacks_pre_12_inl.h`) are dropped, each with a number. */
int edit_path_variant(const char *x, const char *y);

/* apivariant.c: 1 if name nw is name old with camel-case words added
 * before or after it (`As` -> `UnsafeAs`, `readFile` -> `readFileSync`;
 * not `is_qual` -> `ev_is_qual`, `err` -> `error`): a second API beside
 * the first. */
int edit_name_variant(const char *old, size_t on, const char *nw, size_t nn);
/* 1 if token p of o, renamed to token p of n, is a use (not a
 * declaration) switched to such a variant: which uses move is chosen use
 * by use, no rename rule. */
int edit_variant_use(const ev *o, const ev *n, tc_lang lang, size_t p);

/* firstuse.c: 1 if token p of o (an identifier) is the first use of its
 * name from byte from on: no identifier spelled the same stands in
 * [from, token p). A rename made there changes the name where the user
 * met it first (the top of its scope), before any use it left as it was
 * (TC_EDIT_F_FIRST_USE). */
int edit_first_use(const ev *o, size_t p, size_t from);
/* firstuse.c: r->first_use for a rename rule made from one example at
 * token p of o (its old text), not at the name's declaration: 1 when p
 * is the first use of the name in r's scope (edit_first_use), else 0. */
void edit_first_use_mark(tc_edit_rule *r, const ev *o, size_t p);
/* declscope.c: r->at_decl for a rename rule made from one example: 1
 * when the example declares the old name (a local, a parameter, a
 * function's definition; not a shell's, not a member's use), which the
 * rule's confidence already says (0.95), else 0. Call after r's scope,
 * cross, qual and conf are set. */
void edit_decl_scope_mark(tc_edit_rule *r);
/* TC_EDIT_F_DECL_SCOPE of a place of r at bytes [a, b) of a file (origin
 * 1: the example's own file, as sites.c passes it; 0: another file): 1
 * when r->at_decl and the place lies in the declaration's scope (r's
 * scope in the example's file; for a function, its file when the file
 * defines it static, any file else), else 0. (declscope.c) */
int edit_place_decl_scope(const tc_edit_rule *r, int origin, size_t a, size_t b);
/* callrename.c: r->call_def for a rename rule made from one example at
 * token p of o (its old text), fresh: the new name appears nowhere in o;
 * local: the old name is a local (declared in a block or a parameter).
 * 1 when the example renamed a call (r->calls_only, not a member's) of a
 * function o defines (a body); 2, in C and C++, at a use of a type or
 * macro o defines (a typedef, an object-like #define; not the defining
 * token, not a local); else 0. Call after r's cross,
 * qual and calls_only are set. */
void edit_call_rename_mark(tc_edit_rule *r, const ev *o, size_t p, int fresh, int local);
/* TC_EDIT_F_CALL_RENAME of a place of r at byte a of v (origin 1: the
 * example's own file; 0: another): 1 when r->call_def and the place is in
 * the example's file, or in another C or C++ file for a function not
 * static (r->cross); for a type or macro (call_def 2), in the example's
 * file and not at its definition (moved or renamed there: the example
 * does not say), else 0. (callrename.c) */
int edit_place_call_rename(const tc_edit_rule *r, const ev *v, int origin, size_t a);
/* accpath.c: the access path bytes [a, b) of v lie in (their tokens names
 * and member operators, alternating), out to its ends, its tokens joined
 * without space (`q->b->cfg.first_byte_ms`), malloc'd; NULL when [a, b) is
 * empty or not inside one, when the path has fewer than 3 names, or on
 * ENOMEM. */
char *edit_access_path(const ev *v, size_t a, size_t b);
/* TC_EDIT_F_SAME_PATH of a place of r at bytes [a, b) of v: 1 when r is
 * not a rename, its example lies in an access path (r->path) and the
 * place in the same one (edit_access_path), else 0. (accpath.c) */
int edit_place_same_path(const tc_edit_rule *r, const ev *v, size_t a, size_t b);
/* modscope.c: token p of n (its old name token p of o) declares a name
 * at the file's top level (C, C++, JavaScript, TypeScript), declared
 * nowhere else in o, never a member nor an object's key there: its scope
 * is the whole file, tokens [*a, *b) of n, 1. Else 0, *a, *b unchanged. */
int edit_module_scope(const ev *o, const ev *n, tc_lang lang, size_t p, size_t *a, size_t *b);
/* modscope.c: token i of v (JavaScript, TypeScript) in an object literal
 * or a destructuring pattern: 1 a shorthand property (`{ a, b }`), 2 a
 * key (`{ a: 1 }`), 0 neither (and in other languages). */
int edit_object_prop(tc_lang lang, const ev *v, size_t i);

/* C, C++: 1 if token i of v is on a preprocessor line that tests, defines
 * or undefines a macro (#if, #ifdef, #ifndef, #elif, #define, #undef). */
int edit_pp_line(const ev *v, size_t i);

/* Shell: 1 if token i of v is the name of a command run (the first word
 * of a line or after `;`, `&&`, `|`, `then`, `do`...; not `name()` nor
 * `name=`). */
int edit_sh_command(const ev *v, size_t i);
/* Shell: 1 if v defines function name[0..len) (`name() {`, `function name`). */
int edit_sh_defines(const ev *v, const char *name, size_t len);
/* Shell: 1 if v sources a file (a `.` or `source` command). */
int edit_sh_sources(const ev *v);

/* top.c: lines inserted before a file's first token (one example: names
 * none) -> r (TC_EDIT_TOP); TC_ENOENT when the edit is not that. */
int edit_synth_top(tc_edit_rule *r, const tc_edit_src *before, const ev *o, const ev *n, size_t p, size_t oe,
                   size_t ne);
/* The same lines, names allowed, inserted before the first token of two
 * files of one extension (b1: o1 -> n1, b2: o2 -> n2) -> r (TC_EDIT_TOP);
 * TC_ENOENT otherwise. */
int edit_synth_top2(tc_edit_rule *r, const tc_edit_src *b1, const ev *o1, const ev *n1, size_t p1, size_t oe1,
                    size_t ne1, const tc_edit_src *b2, const ev *o2, const ev *n2, size_t p2, size_t oe2, size_t ne2);
/* The sites of a TC_EDIT_TOP rule in v (edit_sites_ev's contract). */
int edit_top_sites(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out);

/* lint.c: a linter's fix (an extra ';' dropped, `var` -> const/let) -> r
 * (TC_EDIT_LINT); TC_ENOENT when the edit is not one. */
int edit_synth_lint(tc_edit_rule *r, const tc_edit_src *before, const ev *o, const ev *n, size_t p, size_t oe,
                    size_t ne);
/* 1 if r is a curly rule learned from a "}" line alone (a braces fix's
 * closing half, or a block closed after a one-line body: the line is the
 * same), whose places are limited (tc_edit_rule_too_broad). */
int edit_lint_close(const tc_edit_rule *r);
/* The sites of a TC_EDIT_LINT rule in v (edit_sites_ev's contract). */
int edit_lint_sites(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out);

/* template.c: a statement or expression rewritten (one line or several),
 * the names and literals the new text keeps as holes -> r
 * (TC_EDIT_TEMPLATE); TC_ENOENT when it anchors nothing. */
int edit_synth_template(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne);
/* What the old tokens of a template must hold for a rule: at most max_old
 * tokens (max_new new ones), min_lits tokens that are no hole (line breaks
 * aside), min_named names or keywords among them; balanced: both sides
 * close every bracket they open; holes: at least one hole, and no more
 * than those names; names_only: only names are holes (else numbers and
 * strings too); cross_call: other files only when the old tokens call a
 * function (else always). */
typedef struct edit_tpl_need {
    size_t max_old, max_new, min_lits, min_named;
    int balanced, holes, names_only, cross_call;
} edit_tpl_need;
extern const edit_tpl_need edit_tpl_template; /* the `template` kind's */
/* The template of old tokens [p, oe) of o -> new tokens [p, ne) of n
 * (edit_synth_template's, under need) -> r (TC_EDIT_TEMPLATE);
 * TC_ENOENT when they do not hold what need asks. */
int edit_template_rule(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne,
                       const edit_tpl_need *need);
/* run.c: a run of tokens over lines, or longer than the `tokens` kind
 * takes, replaced: a template of the names the new text keeps, with
 * run.c's limits (a copy, not an idiom); TC_ENOENT when it is not one. */
int edit_synth_run(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne);
/* The sites of a TC_EDIT_TEMPLATE rule in v (edit_sites_ev's contract). */
int edit_template_sites(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out);
/* r's pattern (literals by text, line breaks by kind, typed holes; the same
 * hole, the same text) at token i of v: 1, *end the token after it and
 * hole[h] the token hole h took. */
int edit_match_tokens(const tc_edit_rule *r, const ev *v, size_t i, size_t *end, size_t *hole);

/* mchain.c: a member chain of tokens [p, oe) of o (`cs.n`, `e->items.n`)
 * whose root the function around it declares, replaced by tokens [p, ne)
 * of n -> r (TC_EDIT_TOKENS, chain set, scope the function); TC_ENOENT
 * when the edit is not that. */
int edit_synth_mchain(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne);
/* The sites of such a rule in v (edit_sites_ev's contract): the whole
 * chain (no member operator before it, none nor '(' or '[' after it),
 * in the example's file only inside the function. */
int edit_mchain_sites(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out);

/* init.c: elements `, a, b` appended before the '}' (token p of o) of a
 * C or C++ initializer (`(T){...}`, `T name[dims] = {...}`) -> r
 * (TC_EDIT_TOKENS, init the elements' count); TC_ENOENT when the edit is
 * not that. */
int edit_synth_init(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne);
/* The sites of such a rule in v (edit_sites_ev's contract): the end of
 * each initializer of the same type with as many elements. */
int edit_init_sites(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out);

/* lines.c: whole lines deleted -> r (TC_EDIT_DELETE: the lines' tokens,
 * numbers as holes; rep0 the blank lines after them); TC_ENOENT when they
 * are not a statement with a name. */
int edit_synth_delete(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne);
/* The sites of a TC_EDIT_DELETE rule in v (edit_sites_ev's contract). */
int edit_delete_sites(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out);

/* member.c: whole lines added to a C++ class with one base, before a line
 * holding the class's name -> r (TC_EDIT_MEMBER: callee_from the base,
 * callee_to the example's class, pat that next line, the class's name a
 * hole); TC_ENOENT when the edit is not that. */
int edit_synth_member(tc_edit_rule *r, const tc_edit_src *before, const ev *o, const ev *n, size_t p, size_t oe,
                      size_t ne);
/* The sites of a TC_EDIT_MEMBER rule in v (edit_sites_ev's contract): in
 * each class whose bases lead to the example's base. */
int edit_member_sites(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out);

/* role.c: 1 if token i of v (a name) is parameter *param of the innermost
 * function expression declaring it, and that function is argument *arg
 * of a call of the function named by token *callee. */
int edit_param_role(const ev *v, size_t i, size_t *callee, long *arg, long *param);
/* A local renamed at its use p of o (`t.x`, JavaScript and TypeScript),
 * a parameter of a function passed to a named call: record its role in r
 * (sites in the sibling functions too, every file). TC_OK (no role: r
 * unchanged) / TC_ENOMEM. */
int edit_role_rename(tc_edit_rule *r, const ev *o, size_t p);
/* A `tokens` rule whose old tokens start with a callback's parameter and
 * a member (`t.equal` -> `assert.strictEqual`, JavaScript and
 * TypeScript): record its role in r (sites only where the parameter
 * plays it); or with a named call and reach into its callback argument
 * (`test('x', function (t`): role_param -1, sites only at calls of that
 * function with a callback at that argument. TC_OK / TC_ENOMEM. */
int edit_role_tokens(tc_edit_rule *r, const ev *o, size_t p);
/* 1 if token i of v plays r's role (and is followed by `.role_member`
 * when r has one). */
int edit_role_site(const tc_edit_rule *r, const ev *v, size_t i);
/* role.c: 1 if token i of v, a use of r's name in the example's own
 * scope, is offered: any use, except for a rename with a role (a callback
 * parameter renamed at `t.member`), whose uses are those followed by the
 * same member (edit_role_site), its declaration not. */
int edit_role_own(const tc_edit_rule *r, const ev *v, size_t i);
/* jslocal.c: a `tokens` rule (JavaScript, TypeScript; no role, not
 * already one file's) from tokens [p, oe) of o -> [p, ne) of n whose old
 * tokens name a local of the example's function that the new ones drop:
 * made that block's (scope_a, scope_b, cross 0). 1 if it did. */
int edit_tokens_local(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne);
/* widen.c: of a `tokens` rule made from o -> n (changed tokens from p; the
 * new ones end at ne) whose pattern starts with left anchor tokens, note
 * the anchor's names that tc_edit_rule_widen may make holes (none when
 * the new tokens use one of them). */
void edit_widen_mark(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t left, size_t ne);
/* synth.c: r's key (what a file must hold) from its pattern: its longest
 * literal token, "" when it has none. TC_OK / TC_ENOMEM. */
int edit_pattern_key(tc_edit_rule *r);

/* Append r's site [a, b) -> text[0..len) of src (lexed as v; origin as
 * tc_edit_rule_sites') to out, copies, with its evidence (TC_EDIT_F_*)
 * and the confidence that gives: the kinds in files of their own
 * (top.c, lint.c, template.c, lines.c). TC_OK / TC_ENOMEM. (sites.c) */
int edit_site_push(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, size_t a, size_t b,
                   const char *text, size_t len, tc_edit_sites *out);

/* 1 when a place's new text nw[0..nn) differs from its old text
 * old[0..on) only by brackets, braces, semicolons and commas outside
 * quoted strings, white space aside, and changes something
 * (TC_EDIT_F_PUNCT). (sites.c) */
int edit_punct_only(const char *old, size_t on, const char *nw, size_t nn);

/* 1 when r is a rewrite (not a rename) whose place in v is a use of one
 * declaration, found through it (TC_EDIT_F_BOUND): a member chain in its
 * functions, one type's initializers, a local's rewrite in its block, one
 * class's members, a call of a function v defines. (bound.c) */
int edit_place_bound(const tc_edit_rule *r, const ev *v);

/* synth.c's builders, for the kinds in files of their own: an element of
 * r's pattern from token i of v (EL_LIT: its text), the pieces of the new
 * text n.s[a..b) over tokens [p, e) (a token with the text of holetok[h]
 * in o becomes hole h), the key. TC_OK / TC_ENOMEM. */
int edit_rule_push_el(tc_edit_rule *r, int type, const ev *v, size_t i, int hole);
int edit_rule_pieces(tc_edit_rule *r, const ev *n, size_t a, size_t b, size_t p, size_t e, const ev *o,
                     const size_t *holetok, int nholes);
int edit_rule_set_key(tc_edit_rule *r, const char *s, size_t n);

/* 1 if x[0..xn) and y[0..yn) lex to the same tokens (comments and
 * spacing aside). */
int edit_same_tokens(tc_lang lang, const char *x, size_t xn, const char *y, size_t yn);
/* The kinds of tokens [a, b) as letters (malloc'd; NULL on ENOMEM). */
char *edit_shape(const ev *v, size_t a, size_t b);
/* The text of a site's old arguments joined by single spaces (for guards). */
char *edit_join(const ev *v, size_t a, size_t b);

/* 1 if token i of v is a name or a keyword (`static`, `inline`, `bool`). */
static inline int ev_is_word(const ev *v, size_t i)
{
    return v->t[i].kind == TC_TOK_IDENT || v->t[i].kind == TC_TOK_KEYWORD;
}

/* The first of the words and line breaks right before token b of v, at
 * most EV_WORDS_AFTER_PARAMS of them (`) const {`, `) NAPI_NOEXCEPT {`,
 * `) override {`: the words between a function's parameters and its
 * body): b when there are none. */
#define EV_WORDS_AFTER_PARAMS 6
static inline size_t ev_words_back(const ev *v, size_t b)
{
    size_t i = b;
    while (i > 0 && b - i < EV_WORDS_AFTER_PARAMS && (ev_is_word(v, i - 1) || v->t[i - 1].kind == TC_TOK_NEWLINE))
        i--;
    return i;
}

/* 1 if token i of v is one of the words of the NULL-terminated list w. */
static inline int ev_is_any(const ev *v, size_t i, const char *const *w)
{
    for (; *w; w++)
        if (ev_is(v, i, *w)) return 1;
    return 0;
}

#endif
