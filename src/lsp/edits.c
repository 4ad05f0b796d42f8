/* edits.c - next edits over LSP (edit/edit.h): the user's bursts from
 * didChange, the rule they imply, its sites in the open documents and
 * the workspace index; offered as code actions ("Apply the same edit
 * here", "Apply to all N places"), as hints (diagnostics of severity
 * Hint at each site) and by the request tacit/nextEdit.
 *
 * A rule stays while the user applies it: a burst that implies no rule of
 * its own but touches one of the rule's sites keeps the rule (its other
 * sites are still to do); any other burst drops it. */
#include "edit/edit.h"
#include "lsp/lsp_int.h"
#include "util/fsio.h"
#include "util/log.h"
#include "util/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define EDITS_MAX_SITES 500   /* sites kept (and offered) per rule */
#define EDITS_TOUCH_SLACK 2   /* bytes around a site a burst may touch */

typedef struct lsp_site {
    char *uri;               /* owned */
    size_t a, b;             /* bytes in that document's text (when computed) */
    uint64_t l0, c0, l1, c1; /* range in the client's encoding */
    char *text;              /* owned: the new text */
} lsp_site;

/* A workspace file as last read (for the sites in files not open). */
typedef struct edits_file {
    char *path;
    uint64_t hash;         /* tc_file_info.hash when read */
    tc_buf text;
    char *uri;
    tc_edit_text *lexed;   /* NULL until a rule's key was in it */
} edits_file;

#define EDITS_CACHE_MAX (96u << 20) /* bytes of texts and tokens kept */

struct lsp_edits {
    tc_edit_tracker *tr;
    tc_edit_rule *rule;
    char *rule_uri;      /* the document the rule was learned from */
    uint64_t epoch;      /* tracker epoch the sites are for */
    int computed;
    lsp_site *v;
    size_t n, cap;
    struct {
        char *uri;
        size_t a, b;
    } *bs;               /* the sites when the burst began */
    size_t nbs;
    uint64_t burst_id;   /* tc_edit_tracker_bursts of that burst */
    uint64_t published_hash;
    edits_file *files;   /* by index file number */
    size_t nfiles;
    size_t cache_bytes;
    char **pub;          /* documents holding published hints */
    size_t npub;
};

static void burst_sites_clear(lsp_edits_state *e);
static void files_clear(lsp_edits_state *e);

static lsp_edits_state *state(lsp_server *s)
{
    if (!s->edits && (s->edits = calloc(1, sizeof *s->edits)) && !(s->edits->tr = tc_edit_tracker_new())) {
        free(s->edits);
        s->edits = NULL;
    }
    return s->edits;
}

static void sites_clear(lsp_edits_state *e)
{
    size_t i;
    for (i = 0; i < e->n; i++) {
        free(e->v[i].uri);
        free(e->v[i].text);
    }
    e->n = 0;
}

static void drop_rule(lsp_edits_state *e)
{
    tc_edit_rule_free(e->rule);
    free(e->rule_uri);
    e->rule = NULL;
    e->rule_uri = NULL;
    sites_clear(e);
}

void lsp_edits_free(lsp_server *s)
{
    lsp_edits_state *e = s->edits;
    size_t i;
    if (!e) return;
    drop_rule(e);
    burst_sites_clear(e);
    files_clear(e);
    free(e->v);
    for (i = 0; i < e->npub; i++) free(e->pub[i]);
    free(e->pub);
    tc_edit_tracker_free(e->tr);
    free(e);
    s->edits = NULL;
}

void lsp_edits_change(lsp_server *s, lsp_doc *d, size_t a, size_t b, size_t n)
{
    lsp_edits_state *e = state(s);
    if (!e) return;
    if (e->rule && strcmp(e->rule_uri, d->uri) == 0) tc_edit_rule_shift(e->rule, a, b, n);
    if (tc_edit_tracker_change(e->tr, d->uri, d->text.data ? d->text.data : "", d->text.len, a, b, n))
        tc_warn("out of memory tracking an edit of %.200s", d->uri);
}

void lsp_edits_close(lsp_server *s, lsp_doc *d)
{
    lsp_edits_state *e = s->edits;
    if (!e) return;
    tc_edit_tracker_reset(e->tr, d->uri);
    if (e->rule_uri && strcmp(e->rule_uri, d->uri) == 0) drop_rule(e);
    e->computed = 0;
}

/* ---- sites ------------------------------------------------------------------------ */

static tc_lang doc_lang(const lsp_doc *d)
{
    return tc_lang_detect(d->relpath, d->text.data, d->text.len < 256 ? d->text.len : 256);
}

/* file:// URI of a workspace file (percent-encoding what a path may hold). */
static char *file_uri(const char *root, const char *rel)
{
    tc_buf b = {0};
    const char *parts[2] = {root, rel};
    int k;
    tc_buf_puts(&b, "file://");
    for (k = 0; k < 2; k++) {
        const unsigned char *p;
        if (k) tc_buf_puts(&b, "/");
        for (p = (const unsigned char *)parts[k]; *p; p++) {
            if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("/-._~", *p))
                tc_buf_append(&b, p, 1);
            else
                tc_buf_printf(&b, "%%%02X", *p);
        }
    }
    return b.data;
}

static void file_clear(edits_file *f)
{
    free(f->path);
    free(f->uri);
    tc_buf_free(&f->text);
    tc_edit_text_free(f->lexed);
    memset(f, 0, sizeof *f);
}

static void files_clear(lsp_edits_state *e)
{
    size_t i;
    for (i = 0; i < e->nfiles; i++) file_clear(&e->files[i]);
    free(e->files);
    e->files = NULL;
    e->nfiles = 0;
    e->cache_bytes = 0;
}

/* File i of the index, read (and kept while the cache has room), or NULL. */
static edits_file *cached_file(lsp_server *s, lsp_edits_state *e, tc_index *ix, size_t i, const tc_file_info *fi)
{
    edits_file *f;
    if (i >= e->nfiles) {
        size_t n = tc_index_nfiles(ix);
        edits_file *p = realloc(e->files, n * sizeof *p);
        if (!p) return NULL;
        memset(p + e->nfiles, 0, (n - e->nfiles) * sizeof *p);
        e->files = p;
        e->nfiles = n;
    }
    f = &e->files[i];
    if (f->path && f->hash == fi->hash && strcmp(f->path, fi->path) == 0) return f;
    if (f->path) e->cache_bytes -= f->text.len * (f->lexed ? 5 : 1);
    file_clear(f);
    if (e->cache_bytes > EDITS_CACHE_MAX) { /* full: start again */
        files_clear(e);
        return cached_file(s, e, ix, i, fi);
    }
    if (tc_fs_read_regular(tc_index_root_fd(ix), fi->path, tc_index_max_file_size(ix), &f->text, NULL) ||
        !(f->path = strdup(fi->path)) || !(f->uri = file_uri(s->root, fi->path))) {
        file_clear(f);
        return NULL;
    }
    f->hash = fi->hash;
    e->cache_bytes += f->text.len;
    return f;
}

/* Move the sites found in one text to e, with their positions. */
static int take_sites(lsp_server *s, lsp_edits_state *e, lsp_doc *d, tc_edit_sites *found)
{
    size_t i;
    for (i = 0; i < found->n && e->n < EDITS_MAX_SITES; i++) {
        lsp_site *t;
        if (e->n == e->cap) {
            size_t cap = e->cap ? 2 * e->cap : 16;
            void *p = realloc(e->v, cap * sizeof *e->v);
            if (!p) return TC_ENOMEM;
            e->v = p;
            e->cap = cap;
        }
        t = &e->v[e->n];
        t->uri = found->v[i].path; /* the source's path is its URI */
        t->text = found->v[i].text;
        found->v[i].path = found->v[i].text = NULL;
        t->a = found->v[i].a;
        t->b = found->v[i].b;
        lsp_doc_position(d, t->a, s->enc, &t->l0, &t->c0);
        lsp_doc_position(d, t->b, s->enc, &t->l1, &t->c1);
        e->n++;
    }
    return TC_OK;
}

static int sites_in(lsp_server *s, lsp_edits_state *e, lsp_doc *d, const char *uri, tc_lang lang, int origin)
{
    tc_edit_src src = {uri, d->text.data ? d->text.data : "", d->text.len, lang};
    tc_edit_sites found = {0};
    int rc = tc_edit_rule_sites(e->rule, &src, origin, &found);
    if (rc == TC_OK) rc = take_sites(s, e, d, &found);
    tc_edit_sites_free(&found);
    return rc;
}

/* The rule's sites: the open documents (the rule's own first), then the
 * other files of the index when the rule reaches beyond its file. */
static void find_sites(lsp_server *s, lsp_edits_state *e)
{
    tc_engine *eng = lsp_engine(s);
    tc_index *ix = eng ? tc_engine_index(eng) : NULL;
    lsp_doc *od = lsp_docs_find(&s->docs, e->rule_uri);
    size_t i, nf;
    sites_clear(e);
    if (od && !od->too_big) sites_in(s, e, od, od->uri, doc_lang(od), 1);
    for (i = 0; i < s->docs.n; i++) {
        lsp_doc *d = s->docs.v[i];
        if (d != od && !d->too_big) sites_in(s, e, d, d->uri, doc_lang(d), 0);
    }
    if (!tc_edit_rule_crossfile(e->rule) || !ix || !s->root) {
        if (tc_edit_rule_too_broad(e->rule, e->n)) sites_clear(e);
        return;
    }
    nf = tc_index_nfiles(ix);
    for (i = 0; i < nf && !tc_edit_rule_too_broad(e->rule, e->n); i++) {
        const tc_file_info *fi = tc_index_file(ix, i);
        edits_file *cf;
        size_t k;
        int open = 0;
        if (fi->removed || fi->skip != TC_SKIP_NONE || fi->buffer) continue;
        for (k = 0; k < s->docs.n && !open; k++) open = strcmp(s->docs.v[k]->relpath, fi->path) == 0;
        if (open || !(cf = cached_file(s, e, ix, i, fi))) continue;
        if (!cf->lexed) {
            tc_edit_src src = {fi->path, cf->text.data ? cf->text.data : "", cf->text.len, (tc_lang)fi->lang};
            size_t klen;
            const char *key = tc_edit_rule_key(e->rule, &klen);
            if (klen && !memmem(src.text, src.len, key, klen)) continue; /* no need to lex it */
            if (!(cf->lexed = tc_edit_text_new(&src))) continue;
            e->cache_bytes += cf->text.len * 4;
        }
        {
            tc_edit_sites found = {0};
            lsp_doc tmp;
            if (tc_edit_rule_sites_text(e->rule, cf->lexed, cf->uri, 0, &found) == TC_OK && found.n) {
                memset(&tmp, 0, sizeof tmp);
                tmp.text = cf->text;
                take_sites(s, e, &tmp, &found);
            }
            tc_edit_sites_free(&found);
        }
    }
    if (tc_edit_rule_too_broad(e->rule, e->n)) sites_clear(e); /* too general: nothing */
}

/* 1 if the burst [a, b) of uri touches one of the sites known when the
 * burst began. */
static int burst_on_site(const lsp_edits_state *e, const char *uri, size_t a, size_t b)
{
    size_t i;
    for (i = 0; i < e->nbs; i++)
        if (strcmp(e->bs[i].uri, uri) == 0 && a <= e->bs[i].b + EDITS_TOUCH_SLACK && b + EDITS_TOUCH_SLACK >= e->bs[i].a)
            return 1;
    return 0;
}

static void burst_sites_clear(lsp_edits_state *e)
{
    size_t i;
    for (i = 0; i < e->nbs; i++) free(e->bs[i].uri);
    free(e->bs);
    e->bs = NULL;
    e->nbs = 0;
}

/* A new burst: remember where the sites were before it. */
static void burst_sites_take(lsp_edits_state *e)
{
    size_t i;
    burst_sites_clear(e);
    if (!e->n || !(e->bs = calloc(e->n, sizeof *e->bs))) return;
    for (i = 0; i < e->n; i++) {
        if (!(e->bs[e->nbs].uri = strdup(e->v[i].uri))) break;
        e->bs[e->nbs].a = e->v[i].a;
        e->bs[e->nbs].b = e->v[i].b;
        e->nbs++;
    }
}

/* Bring the rule and its sites up to date with the documents. */
static lsp_edits_state *compute(lsp_server *s)
{
    lsp_edits_state *e = state(s);
    const char *key, *before;
    size_t blen, ta = 0, tb = 0;
    lsp_doc *d;
    tc_edit_rule *r2 = NULL;
    if (!e) return NULL;
    if (e->computed && e->epoch == tc_edit_tracker_epoch(e->tr)) return e;
    e->epoch = tc_edit_tracker_epoch(e->tr);
    e->computed = 1;
    if (e->burst_id != tc_edit_tracker_bursts(e->tr)) {
        e->burst_id = tc_edit_tracker_bursts(e->tr);
        burst_sites_take(e);
    }
    key = tc_edit_tracker_burst(e->tr, &before, &blen);
    d = key ? lsp_docs_find(&s->docs, key) : NULL;
    if (!d || d->too_big) {
        drop_rule(e);
        return e;
    }
    tc_edit_tracker_range(e->tr, &ta, &tb);
    {
        tc_edit_src b = {d->uri, before, blen, doc_lang(d)};
        tc_edit_synth(&b, d->text.data ? d->text.data : "", d->text.len, &r2);
    }
    if (r2) {
        tc_edit_rule *old = e->rule;
        char *old_uri = e->rule_uri;
        e->rule = r2;
        e->rule_uri = strdup(d->uri);
        if (e->rule_uri) find_sites(s, e);
        if (e->rule_uri && e->n > 0) {
            tc_edit_rule_free(old);
            free(old_uri);
            return e;
        }
        tc_edit_rule_free(e->rule);
        free(e->rule_uri);
        e->rule = old;
        e->rule_uri = old_uri;
    }
    /* no rule of its own: the burst may be the user applying the rule */
    if (e->rule && burst_on_site(e, d->uri, ta, tb)) {
        find_sites(s, e);
        return e;
    }
    drop_rule(e);
    return e;
}

/* ---- replies ---------------------------------------------------------------------- */

static cJSON *range_json(uint64_t l0, uint64_t c0, uint64_t l1, uint64_t c1)
{
    cJSON *r = cJSON_CreateObject(), *a, *b;
    if (!r) return NULL;
    a = cJSON_AddObjectToObject(r, "start");
    b = cJSON_AddObjectToObject(r, "end");
    cJSON_AddNumberToObject(a, "line", (double)l0);
    cJSON_AddNumberToObject(a, "character", (double)c0);
    cJSON_AddNumberToObject(b, "line", (double)l1);
    cJSON_AddNumberToObject(b, "character", (double)c1);
    return r;
}

static cJSON *text_edit(const lsp_site *t)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddItemToObject(o, "range", range_json(t->l0, t->c0, t->l1, t->c1));
    cJSON_AddStringToObject(o, "newText", t->text);
    return o;
}

/* A WorkspaceEdit of sites [from, to) (indices into e->v; all when one is -1). */
static cJSON *workspace_edit(const lsp_edits_state *e, long only)
{
    cJSON *we = cJSON_CreateObject(), *ch;
    size_t i;
    if (!we) return NULL;
    ch = cJSON_AddObjectToObject(we, "changes");
    for (i = 0; i < e->n; i++) {
        cJSON *arr;
        if (only >= 0 && (size_t)only != i) continue;
        arr = cJSON_GetObjectItemCaseSensitive(ch, e->v[i].uri);
        if (!arr) arr = cJSON_AddArrayToObject(ch, e->v[i].uri);
        if (arr) cJSON_AddItemToArray(arr, text_edit(&e->v[i]));
    }
    return we;
}

static cJSON *action(const char *title, cJSON *edit)
{
    cJSON *a = cJSON_CreateObject();
    if (!a) {
        cJSON_Delete(edit);
        return NULL;
    }
    cJSON_AddStringToObject(a, "title", title);
    cJSON_AddStringToObject(a, "kind", "refactor.rewrite");
    cJSON_AddItemToObject(a, "edit", edit);
    return a;
}

/* textDocument/codeAction: at a site, "Apply the same edit here" and
 * "Apply to all N places". */
void lsp_h_code_action(lsp_server *s, lsp_msg *m, lsp_reply *r)
{
    lsp_doc *d = lsp_find_doc(s, m->params, r);
    const cJSON *range = lsp_get(m->params, "range");
    const cJSON *st = lsp_get(range, "start"), *en = lsp_get(range, "end");
    lsp_edits_state *e;
    cJSON *res = cJSON_CreateArray();
    double l0 = cJSON_IsNumber(lsp_get(st, "line")) ? lsp_get(st, "line")->valuedouble : -1;
    double l1 = cJSON_IsNumber(lsp_get(en, "line")) ? lsp_get(en, "line")->valuedouble : l0;
    size_t i;
    char title[320];
    if (r->code || !res) {
        cJSON_Delete(res);
        return;
    }
    r->result = res;
    if (!d || !(e = compute(s)) || !e->rule) return;
    for (i = 0; i < e->n; i++) {
        if (strcmp(e->v[i].uri, d->uri) != 0 || (double)e->v[i].l1 < l0 || (double)e->v[i].l0 > l1) continue;
        snprintf(title, sizeof title, "Apply the same edit here (%s)", tc_edit_rule_title(e->rule));
        cJSON_AddItemToArray(res, action(title, workspace_edit(e, (long)i)));
        if (e->n > 1) {
            snprintf(title, sizeof title, "Apply to all %zu places (%s)", e->n, tc_edit_rule_title(e->rule));
            cJSON_AddItemToArray(res, action(title, workspace_edit(e, -1)));
        }
        break;
    }
}

static cJSON *site_json(const lsp_site *t)
{
    cJSON *o = text_edit(t);
    if (o) cJSON_AddStringToObject(o, "uri", t->uri);
    return o;
}

/* tacit/nextEdit {textDocument, position}: the next site after the
 * position in that document (else the first one there, else the first
 * elsewhere), with every site for "apply all"; null when there is none. */
void lsp_h_next_edit(lsp_server *s, lsp_msg *m, lsp_reply *r)
{
    lsp_doc *d = lsp_find_doc(s, m->params, r);
    const cJSON *pos = lsp_get(m->params, "position");
    lsp_edits_state *e;
    double line = cJSON_IsNumber(lsp_get(pos, "line")) ? lsp_get(pos, "line")->valuedouble : 0;
    double ch = cJSON_IsNumber(lsp_get(pos, "character")) ? lsp_get(pos, "character")->valuedouble : 0;
    long pick = -1, first_here = -1;
    size_t i;
    cJSON *o, *all;
    if (r->code) return;
    if (!(e = compute(s)) || !e->rule || e->n == 0) {
        r->result = cJSON_CreateNull();
        return;
    }
    for (i = 0; i < e->n; i++) {
        if (!d || strcmp(e->v[i].uri, d->uri) != 0) continue;
        if (first_here < 0) first_here = (long)i;
        if ((double)e->v[i].l0 > line || ((double)e->v[i].l0 == line && (double)e->v[i].c0 > ch)) {
            pick = (long)i;
            break;
        }
    }
    if (pick < 0) pick = first_here >= 0 ? first_here : 0;
    if (!(o = site_json(&e->v[pick]))) return;
    cJSON_AddStringToObject(o, "title", tc_edit_rule_title(e->rule));
    cJSON_AddStringToObject(o, "kind", tc_edit_kind_name(tc_edit_rule_kind(e->rule)));
    cJSON_AddNumberToObject(o, "index", (double)pick + 1);
    cJSON_AddNumberToObject(o, "total", (double)e->n);
    all = cJSON_AddArrayToObject(o, "edits");
    for (i = 0; i < e->n; i++) cJSON_AddItemToArray(all, site_json(&e->v[i]));
    r->result = o;
}

/* ---- hints ------------------------------------------------------------------------ */

static void publish(lsp_server *s, const char *uri, cJSON *diags)
{
    cJSON *p = cJSON_CreateObject();
    if (!p) {
        cJSON_Delete(diags);
        return;
    }
    cJSON_AddStringToObject(p, "uri", uri);
    cJSON_AddItemToObject(p, "diagnostics", diags);
    lsp_send(s, lsp_make_notification("textDocument/publishDiagnostics", p));
}

/* After a didChange: hints (diagnostics of severity Hint) at the sites in
 * open documents; documents that had hints and have none now get an
 * empty list. Sent only when the sites changed. */
void lsp_edits_changed(lsp_server *s, lsp_doc *d)
{
    lsp_edits_state *e = compute(s);
    uint64_t h = 0;
    size_t i, k;
    char msg[300];
    (void)d;
    if (!e) return;
    for (i = 0; i < e->n; i++) {
        h = XXH3_64bits_withSeed(e->v[i].uri, strlen(e->v[i].uri), h ^ (e->v[i].a * 31 + e->v[i].b));
        h = XXH3_64bits_withSeed(e->v[i].text, strlen(e->v[i].text), h);
    }
    if (h == e->published_hash) return;
    e->published_hash = h;
    snprintf(msg, sizeof msg, "next edit: %s", e->rule ? tc_edit_rule_title(e->rule) : "");
    for (k = 0; k < s->docs.n; k++) {
        lsp_doc *od = s->docs.v[k];
        cJSON *diags = cJSON_CreateArray();
        int had = 0, any = 0;
        for (i = 0; i < e->npub; i++) had |= strcmp(e->pub[i], od->uri) == 0;
        for (i = 0; i < e->n && diags; i++) {
            cJSON *g;
            if (strcmp(e->v[i].uri, od->uri) != 0 || !(g = cJSON_CreateObject())) continue;
            cJSON_AddItemToObject(g, "range", range_json(e->v[i].l0, e->v[i].c0, e->v[i].l1, e->v[i].c1));
            cJSON_AddNumberToObject(g, "severity", 4);
            cJSON_AddStringToObject(g, "source", "tacit");
            cJSON_AddStringToObject(g, "code", "nextEdit");
            cJSON_AddStringToObject(g, "message", msg);
            cJSON_AddItemToArray(diags, g);
            any = 1;
        }
        if (!any && !had) {
            cJSON_Delete(diags);
            continue;
        }
        publish(s, od->uri, diags);
        if (any && !had) {
            char **p = realloc(e->pub, (e->npub + 1) * sizeof *p);
            if (p && (p[e->npub] = strdup(od->uri)) != NULL) e->npub++;
            if (p) e->pub = p;
        }
    }
}
