/* complete.c - textDocument/inlineCompletion and textDocument/completion.
 *
 * Every suggestion goes through the session (suggest/session.h): the
 * typeahead cache, the embedded engine, the gate, and, with a model
 * server configured, a request that runs while the main loop keeps
 * reading and answering. How the server's answer reaches the client
 * (setting serverAnswers):
 *   "notify"  the embedded answer goes out at once; a server answer that
 *             arrives within the deadline follows as the notification
 *             tacit/suggestionUpdated {textDocument: {uri, version},
 *             position, requestId, items} (items as in the reply); the
 *             client shows it if the cursor is still there. Chosen when
 *             the client's capabilities hold experimental.tacit.
 *             suggestionUpdated = true (editors/nvim does).
 *   "wait"    (other clients) the reply itself waits for the server, up to
 *             the deadline, while other messages are served; then it
 *             carries the server's answer, or the embedded one.
 * Alternatives (setting alternatives, default 3, 1..10): an inline reply
 * holds up to that many items, best first, distinct insertTexts, each with
 * its own range; the first is what one item would be. A server's answer
 * goes first, the embedded alternatives after it (the notification's
 * items likewise). textDocument/completion keeps one item.
 * A later request, a didChange or didClose of the document, or
 * $/cancelRequest aborts the server request on the wire; a held reply is
 * then answered empty (stale) or RequestCancelled.
 */
#include "lsp/lsp_int.h"
#include "suggest/post.h"
#include "util/log.h"
#include "util/status.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- positions ------------------------------------------------------------------- */

static int get_u64(const cJSON *o, const char *key, uint64_t *out)
{
    const cJSON *v = lsp_get(o, key);
    if (!cJSON_IsNumber(v) || isnan(v->valuedouble)) return TC_EINVAL;
    if (v->valuedouble <= 0) *out = 0;
    else if (v->valuedouble >= 9e15) *out = (uint64_t)9e15;
    else *out = (uint64_t)v->valuedouble;
    return TC_OK;
}

int lsp_get_offset(lsp_server *s, lsp_doc *d, const cJSON *pos, size_t *off)
{
    uint64_t line, ch;
    if (get_u64(pos, "line", &line) || get_u64(pos, "character", &ch)) return TC_EINVAL;
    *off = lsp_doc_offset(d, line, ch, s->enc);
    return TC_OK;
}

static cJSON *pos_json(lsp_server *s, lsp_doc *d, size_t off)
{
    uint64_t line, ch;
    cJSON *p = cJSON_CreateObject();
    lsp_doc_position(d, off, s->enc, &line, &ch);
    if (p) {
        cJSON_AddNumberToObject(p, "line", (double)line);
        cJSON_AddNumberToObject(p, "character", (double)ch);
    }
    return p;
}

static cJSON *range_json(lsp_server *s, lsp_doc *d, size_t a, size_t b)
{
    cJSON *r = cJSON_CreateObject();
    if (r) {
        cJSON_AddItemToObject(r, "start", pos_json(s, d, a));
        cJSON_AddItemToObject(r, "end", pos_json(s, d, b));
    }
    return r;
}

/* ---- results --------------------------------------------------------------------- */

int lsp_is_suggest(const char *method)
{
    return strcmp(method, "textDocument/inlineCompletion") == 0 || strcmp(method, "textDocument/completion") == 0;
}

cJSON *lsp_empty_result(const char *method)
{
    cJSON *r = cJSON_CreateObject();
    if (!r) return NULL;
    if (strcmp(method, "textDocument/completion") == 0) cJSON_AddBoolToObject(r, "isIncomplete", 1);
    cJSON_AddItemToObject(r, "items", cJSON_CreateArray());
    return r;
}

lsp_doc *lsp_find_doc(lsp_server *s, const cJSON *params, lsp_reply *r)
{
    const char *uri = lsp_get_str(lsp_get(params, "textDocument"), "uri");
    lsp_doc *d;
    if (!uri) {
        r->code = LSP_INVALID_PARAMS;
        snprintf(r->msg, sizeof r->msg, "Invalid params: textDocument.uri missing");
        return NULL;
    }
    d = lsp_docs_find(&s->docs, uri);
    if (!d) tc_warn("request for %.200s, which is not open (send textDocument/didOpen first)", uri);
    return d;
}

static cJSON *accept_command(const char *uri, const char *text)
{
    cJSON *cmd = cJSON_CreateObject(), *args = cJSON_CreateArray(), *a = cJSON_CreateObject();
    if (!cmd || !args || !a) {
        cJSON_Delete(cmd);
        cJSON_Delete(args);
        cJSON_Delete(a);
        return NULL;
    }
    cJSON_AddStringToObject(a, "uri", uri);
    cJSON_AddStringToObject(a, "text", text);
    cJSON_AddItemToArray(args, a);
    cJSON_AddStringToObject(cmd, "title", "Accept suggestion");
    cJSON_AddStringToObject(cmd, "command", LSP_ACCEPT_COMMAND);
    cJSON_AddItemToObject(cmd, "arguments", args);
    return cmd;
}

static int is_word_byte(unsigned char c)
{
    return c == '_' || c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Add text at off as an item of result (an empty text adds none). It
 * replaces the `replace` bytes right of the cursor (closers an editor
 * inserted that the suggestion writes again: tc_suggestion.replace_suffix). */
static void add_item(lsp_server *s, lsp_doc *d, size_t off, size_t replace, const char *text, int inline_req,
                     cJSON *result)
{
    cJSON *items = cJSON_GetObjectItemCaseSensitive(result, "items"), *item;
    size_t end;
    if (!text || !*text || !items || !(item = cJSON_CreateObject())) return;
    end = off + replace <= d->text.len ? off + replace : off;
    cJSON_AddItemToArray(items, item);
    if (inline_req) {
        cJSON_AddStringToObject(item, "insertText", text);
        cJSON_AddItemToObject(item, "range", range_json(s, d, off, end));
    } else {
        /* the item replaces the word before the cursor, so that clients
         * filtering by that word keep it */
        size_t ws = off, ls = lsp_doc_line_start(d, off);
        tc_buf nt = {0};
        cJSON *edit = cJSON_CreateObject();
        while (ws > ls && is_word_byte((unsigned char)d->text.data[ws - 1])) ws--;
        tc_buf_append(&nt, d->text.data + ws, off - ws);
        tc_buf_puts(&nt, text);
        cJSON_AddStringToObject(item, "label", nt.data ? nt.data : text);
        cJSON_AddNumberToObject(item, "kind", 1); /* Text */
        cJSON_AddStringToObject(item, "detail", "tacit");
        cJSON_AddStringToObject(item, "sortText", "0");
        cJSON_AddStringToObject(item, "filterText", nt.data ? nt.data : text);
        cJSON_AddBoolToObject(item, "preselect", 1);
        cJSON_AddNumberToObject(item, "insertTextFormat", 1); /* PlainText */
        if (edit) {
            cJSON_AddItemToObject(edit, "range", range_json(s, d, ws, end));
            cJSON_AddStringToObject(edit, "newText", nt.data ? nt.data : text);
            cJSON_AddItemToObject(item, "textEdit", edit);
        }
        tc_buf_free(&nt);
    }
    cJSON_AddItemToObject(item, "command", accept_command(d->uri, text));
}

/* ---- the server's part in flight ------------------------------------------------ */

static int answer_mode(const lsp_server *s)
{
    if (s->set.answers != LSP_ANSWER_AUTO) return s->set.answers;
    return s->cap_update ? LSP_ANSWER_NOTIFY : LSP_ANSWER_WAIT;
}

void lsp_inflight_free(lsp_server *s)
{
    lsp_inflight *f = &s->fl;
    lsp_msg_clear(&f->m);
    cJSON_Delete(f->embedded);
    cJSON_Delete(f->id);
    free(f->uri);
    memset(f, 0, sizeof *f);
}

void lsp_inflight_drop(lsp_server *s, const char *uri, const cJSON *id)
{
    lsp_inflight *f = &s->fl;
    int by_id, by_uri;
    if (!f->active) return;
    by_id = id && lsp_id_equal(f->id, id);
    by_uri = uri && strcmp(f->uri, uri) == 0;
    if ((id || uri) && !by_id && !by_uri) return;
    if (s->sess) tc_session_cancel(s->sess); /* aborts the transfer */
    if (f->m.root) {
        /* a held reply */
        if (by_id) {
            s->st.cancelled++;
            lsp_send(s, lsp_make_error(f->id, LSP_REQUEST_CANCELLED, "Request cancelled"));
        } else if (by_uri) {
            s->st.stale++;
            lsp_send(s, lsp_make_result(f->id, lsp_empty_result(f->m.method)));
        } else {
            lsp_outcomes_shown(s, f->uri, f->off, f->embedded, 0);
            lsp_send(s, lsp_make_result(f->id, f->embedded));
            f->embedded = NULL;
        }
    }
    lsp_inflight_free(s);
    lsp_shutdown_if_due(s);
}

void lsp_shutdown_if_due(lsp_server *s)
{
    if (!s->shutdown_id || s->fl.active) return;
    lsp_send(s, lsp_make_result(s->shutdown_id, cJSON_CreateNull()));
    cJSON_Delete(s->shutdown_id);
    s->shutdown_id = NULL;
}

/* The result with the server's text first and then the embedded
 * alternatives that differ from it, up to the setting. */
static cJSON *server_result(lsp_server *s, lsp_doc *d, const char *text)
{
    lsp_inflight *f = &s->fl;
    cJSON *res = lsp_empty_result(f->m.method ? f->m.method : "textDocument/inlineCompletion"), *items, *e;
    const cJSON *old = cJSON_GetObjectItemCaseSensitive(f->embedded, "items");
    int n;
    size_t ls, le;
    if (!res) return NULL;
    /* the server's text replaces the closers an editor inserted, as the
     * embedded suggestions do (brackets of earlier lines are not seen) */
    ls = lsp_doc_line_start(d, f->off);
    for (le = f->off; le < d->text.len && d->text.data[le] != '\n'; le++) {
    }
    add_item(s, d, f->off,
             tc_post_replace_suffix(d->text.data + ls, f->off - ls, text, strlen(text), d->text.data + f->off,
                                    le - f->off),
             text, f->inline_req, res);
    items = cJSON_GetObjectItemCaseSensitive(res, "items");
    n = cJSON_GetArraySize(items);
    cJSON_ArrayForEach(e, old)
    {
        const char *t = lsp_get_str(e, "insertText");
        if (!f->inline_req || n >= s->set.alternatives) break;
        if (!t || strcmp(t, text) == 0) continue;
        cJSON_AddItemToArray(items, cJSON_Duplicate(e, 1));
        n++;
    }
    return res;
}

void lsp_inflight_perform(lsp_server *s)
{
    lsp_inflight *f = &s->fl;
    tc_session_update u;
    lsp_doc *d;
    if (!s->sess || !tc_session_perform(s->sess, &u)) return;
    if (!f->active || u.ticket != f->ticket) {
        free(u.text);
        return;
    }
    d = lsp_docs_find(&s->docs, f->uri);
    if (f->m.root) {
        /* held: answer now, with the server's text if it came */
        cJSON *res = u.replaced && d ? server_result(s, d, u.text) : NULL;
        if (!res) {
            res = f->embedded;
            f->embedded = NULL;
        }
        if (!res) res = lsp_empty_result(f->m.method);
        lsp_outcomes_shown(s, f->uri, f->off, res, 0);
        lsp_send(s, lsp_make_result(f->id, res));
    } else if (u.replaced && d && (uint64_t)f->version == d->changes) {
        cJSON *p = cJSON_CreateObject(), *td, *res = server_result(s, d, u.text);
        if (p && res) {
            lsp_outcomes_shown(s, d->uri, f->off, res, 1);
            td = cJSON_AddObjectToObject(p, "textDocument");
            cJSON_AddStringToObject(td, "uri", d->uri);
            cJSON_AddNumberToObject(td, "version", (double)d->version);
            cJSON_AddItemToObject(p, "position", pos_json(s, d, f->off));
            cJSON_AddItemToObject(p, "requestId", cJSON_Duplicate(f->id, 1));
            cJSON_AddItemToObject(p, "items", cJSON_DetachItemFromObject(res, "items"));
            s->st.updates++;
            lsp_send(s, lsp_make_notification(LSP_UPDATE_METHOD, p));
            p = NULL;
        }
        cJSON_Delete(p);
        cJSON_Delete(res);
    }
    free(u.text);
    lsp_inflight_free(s);
    lsp_shutdown_if_due(s);
}

/* ---- requests -------------------------------------------------------------------- */

/* Answer m now (r->result), or hold it for the server (r->deferred). */
static void answer_suggest(lsp_server *s, lsp_msg *m, lsp_reply *r)
{
    int inline_req = strcmp(m->method, "textDocument/inlineCompletion") == 0, pending = 0;
    lsp_doc *d = lsp_find_doc(s, m->params, r);
    tc_session_cursor c;
    tc_suggestion sg[LSP_MAX_ALTERNATIVES];
    size_t off, i, n = 0, k;
    if (r->code) return;
    if (!(r->result = lsp_empty_result(m->method))) return;
    if (!d) return;
    if (lsp_get_offset(s, d, lsp_get(m->params, "position"), &off)) {
        cJSON_Delete(r->result);
        r->result = NULL;
        r->code = LSP_INVALID_PARAMS;
        snprintf(r->msg, sizeof r->msg, "Invalid params: position must be {line, character}");
        return;
    }
    if (d->too_big || (!inline_req && s->set.completion == 0) || !s->sess) return;
    lsp_inflight_drop(s, NULL, NULL); /* one request at a time */
    c.key = d->uri;
    c.relpath = d->relpath;
    c.buf = d->text.data;
    c.len = d->text.len;
    c.off = off;
    k = inline_req && s->set.alternatives > 1 ? (size_t)s->set.alternatives : 1;
    if (k > LSP_MAX_ALTERNATIVES) k = LSP_MAX_ALTERNATIVES;
    if (tc_session_suggest_n(s->sess, &c, sg, k, &n, &pending) != TC_OK) return;
    for (i = 0; i < n; i++) add_item(s, d, off, sg[i].replace_suffix, sg[i].text, inline_req, r->result);
    for (i = 0; i < k; i++) tc_suggestion_free(&sg[i]);
    if (!pending) return;
    {
        lsp_inflight *f = &s->fl;
        f->active = 1;
        f->ticket = tc_session_ticket(s->sess);
        f->id = cJSON_Duplicate(m->id, 1);
        f->uri = strdup(d->uri);
        f->version = (int64_t)d->changes;
        f->off = off;
        f->inline_req = inline_req;
        if (!f->uri || !f->id) {
            lsp_inflight_drop(s, NULL, NULL);
            return;
        }
        if (answer_mode(s) == LSP_ANSWER_WAIT) {
            f->m = *m; /* held: answered when the server settles */
            memset(m, 0, sizeof *m);
            f->embedded = r->result;
            r->result = NULL;
            r->deferred = 1;
        } else {
            f->m.method = inline_req ? "textDocument/inlineCompletion" : "textDocument/completion";
            f->embedded = cJSON_Duplicate(r->result, 1); /* its alternatives follow the server's answer */
        }
    }
}

void lsp_answer_due(lsp_server *s, lsp_msg *m)
{
    lsp_reply r;
    memset(&r, 0, sizeof r);
    s->st.requests++;
    answer_suggest(s, m, &r);
    if (!r.deferred) lsp_outcomes_answered(s, m, r.result);
    if (!r.deferred) lsp_reply_send(s, m->id, &r);
}

void lsp_h_suggest(lsp_server *s, lsp_msg *m, lsp_reply *r)
{
    lsp_doc *d;
    if (m->stale) {
        s->st.stale++;
        r->result = lsp_empty_result(m->method);
        return;
    }
    /* debounce: wait unless the answer is already in the cache */
    d = lsp_docs_find(&s->docs, lsp_msg_uri(m) ? lsp_msg_uri(m) : "");
    if (s->set.debounce_ms > 0 && d && !d->too_big && s->sess) {
        size_t off;
        tc_session_cursor c = {d->uri, d->relpath, d->text.data, d->text.len, 0};
        if (lsp_get_offset(s, d, lsp_get(m->params, "position"), &off) != TC_OK) goto now;
        c.off = off;
        if (tc_session_cached(s->sess, &c)) goto now;
        if (s->ndfr == s->capdfr) {
            size_t cap = s->capdfr ? s->capdfr * 2 : 8;
            lsp_deferred *nd = realloc(s->dfr, cap * sizeof *nd);
            if (!nd) goto now;
            s->dfr = nd;
            s->capdfr = cap;
        }
        s->dfr[s->ndfr].m = *m;
        s->dfr[s->ndfr].due_ms = lsp_now_ms() + s->set.debounce_ms;
        s->ndfr++;
        memset(m, 0, sizeof *m);
        r->deferred = 1;
        return;
    }
now:
    s->st.requests++;
    answer_suggest(s, m, r);
    if (!r->deferred) lsp_outcomes_answered(s, m, r->result);
}
