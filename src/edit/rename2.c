/* rename2.c - one line renaming two names at once (`type_text '{'; keys
 * Enter` -> `tm_type '{'; tm_keys Enter`): one rename rule with both
 * pairs. Each pair must make a rename on its own that reaches the whole
 * file or other files (a function, a member, a shell command, a macro: not
 * a local, whose scope lies in the text of one pair's edit only); the
 * places are those of either rename, and where both names stand on one
 * line, one place renaming both (what the example did: renaming one of
 * them there would leave the line half done). */
#include "edit/edit_int.h"
#include "util/buf.h"
#include "util/status.h"

#include <stdlib.h>
#include <string.h>

/* The rename of the one pair at token i of o -> n: the text of o with
 * token i replaced by n's, lexed, its rule in *out (regions: reg_a, reg_b
 * of r; ctx: with the example's surroundings, edit_rule_context). TC_ENOENT
 * when that pair alone is no rename without a scope. */
static int pair_rule(const tc_edit_rule *r, const tc_edit_src *before, const ev *o, const ev *n, size_t i,
                     int ctx, tc_edit_rule **out)
{
    tc_buf t = {0};
    ev n1;
    tc_edit_rule *one = NULL;
    size_t a = o->t[i].off, b = a + o->t[i].len;
    int rc, lexed = 0;
    *out = NULL;
    if ((rc = tc_buf_append(&t, o->s, a)) || (rc = tc_buf_append(&t, n->s + n->t[i].off, n->t[i].len)) ||
        (rc = tc_buf_append(&t, o->s + b, o->len - b)))
        goto out;
    if ((rc = ev_init(&n1, r->lang, t.data, t.len))) goto out;
    lexed = 1;
    rc = TC_ENOENT;
    if (n1.n != o->n) goto out;
    if (!(one = calloc(1, sizeof *one))) {
        rc = TC_ENOMEM;
        goto out;
    }
    one->lang = r->lang;
    rc = edit_synth_rename(one, o, &n1, i, i + 1, i + 1);
    if (rc == TC_OK && (one->kind != TC_EDIT_RENAME || one->scope_b > one->scope_a)) rc = TC_ENOENT;
    if (rc == TC_OK) {
        one->conf = one->conf == 0 ? 0.9 : one->conf;
        one->reg_a = r->reg_a;
        one->reg_b = r->reg_b;
        if (ctx) rc = edit_rule_context(one, before, o, a, b);
    }
out:
    if (rc == TC_OK) {
        *out = one;
    } else {
        tc_edit_rule_free(one);
    }
    if (lexed) ev_free(&n1);
    tc_buf_free(&t);
    return rc;
}

int edit_synth_rename2(tc_edit_rule *r, const tc_edit_src *before, const ev *o, const ev *n, size_t p, size_t oe,
                       size_t ne)
{
    size_t i, at[2], k = 0;
    tc_edit_rule *second = NULL;
    int rc;
    if (oe != ne || oe - p < 3) return TC_ENOENT;
    for (i = p; i < oe; i++) {
        if (o->t[i].kind == TC_TOK_NEWLINE) return TC_ENOENT; /* one line */
        if (ev_eq(o, i, n, i)) continue;
        if (k == 2 || o->t[i].kind != TC_TOK_IDENT || n->t[i].kind != TC_TOK_IDENT) return TC_ENOENT;
        at[k++] = i;
    }
    /* two names (not one name twice: that is one rename) */
    if (k != 2 || at[0] != p || at[1] != oe - 1 || ev_eq(o, at[0], o, at[1])) return TC_ENOENT;
    if ((rc = pair_rule(r, before, o, n, at[1], 1, &second)) != TC_OK) return rc;
    if ((rc = pair_rule(r, before, o, n, at[0], 0, &r->also)) != TC_OK) goto out;
    /* r: the first pair's rule (moved from r->also), its second in r->also */
    {
        tc_edit_rule *first = r->also;
        size_t ra = r->reg_a, rb = r->reg_b;
        *r = *first;
        free(first);
        r->reg_a = ra;
        r->reg_b = rb;
        r->also = second;
        second = NULL;
        snprintf(r->title, sizeof r->title, "rename %.40s -> %.40s, %.40s -> %.40s", r->pat[0].text, r->out[0].lit,
                 r->also->pat[0].text, r->also->out[0].lit);
    }
out:
    tc_edit_rule_free(second);
    return rc;
}

/* Sites x (of r) and y (of r->also) of src on one line: the one place
 * renaming both, to out. TC_OK / TC_ENOMEM. */
static int push_both(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, const tc_edit_site *x,
                     const tc_edit_site *y, tc_edit_sites *out)
{
    tc_buf t = {0};
    int rc;
    if (x->a > y->a) {
        const tc_edit_site *s = x;
        x = y;
        y = s;
    }
    rc = tc_buf_append(&t, x->text, strlen(x->text));
    if (rc == TC_OK) rc = tc_buf_append(&t, src->text + x->b, y->a - x->b);
    if (rc == TC_OK) rc = tc_buf_append(&t, y->text, strlen(y->text));
    if (rc == TC_OK) rc = edit_site_push(r, src, v, origin, x->a, y->b, t.data, t.len, out);
    tc_buf_free(&t);
    return rc;
}

int edit_one_line(const tc_edit_src *src, size_t a, size_t b)
{
    return b <= a || !memchr(src->text + a, '\n', b - a);
}

/* Site s of rule r again, to out. TC_OK / TC_ENOMEM. */
static int push_one(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, const tc_edit_site *s,
                    tc_edit_sites *out)
{
    return edit_site_push(r, src, v, origin, s->a, s->b, s->text, strlen(s->text), out);
}

int edit_rename2_sites(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out)
{
    tc_edit_rule one = *r;
    tc_edit_sites x = {0}, y = {0};
    size_t i = 0, j = 0;
    int rc;
    one.also = NULL;
    if ((rc = edit_sites_ev(&one, src, v, origin, &x)) == TC_OK) rc = edit_sites_ev(r->also, src, v, origin, &y);
    /* both lists are in text order: merge, a pair on one line is one place */
    while (rc == TC_OK && (i < x.n || j < y.n)) {
        if (i < x.n && j < y.n && edit_one_line(src, x.v[i].a < y.v[j].a ? x.v[i].b : y.v[j].b,
                                           x.v[i].a < y.v[j].a ? y.v[j].a : x.v[i].a)) {
            rc = push_both(r, src, v, origin, &x.v[i], &y.v[j], out);
            i++;
            j++;
        } else if (j == y.n || (i < x.n && x.v[i].a < y.v[j].a)) {
            rc = push_one(&one, src, v, origin, &x.v[i++], out);
        } else {
            rc = push_one(r->also, src, v, origin, &y.v[j++], out);
        }
    }
    tc_edit_sites_free(&x);
    tc_edit_sites_free(&y);
    return rc;
}
