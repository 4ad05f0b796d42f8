/* outcomes.c - what became of the suggestions this server showed, for the
 * local store (stats/stats.h, `tacit stats`). Nothing leaves the machine.
 *
 * Definitions (docs/privacy.md and the man page say the same):
 *   shown      a reply (or tacit/suggestionUpdated) whose first item is not
 *              empty was sent. An answer that is the rest of the pending
 *              suggestion (the user typed its first characters, or took a
 *              part of it) is the same suggestion, not a new one; a model
 *              server's answer that replaces the embedded one for the same
 *              spot before anything was typed replaces it in place.
 *   pending    one suggestion at a time (an editor has one cursor): the
 *              last shown, until it is settled.
 *   accepted   an accept notice (the item's command or tacit/didAccept)
 *              for the pending suggestion's document. A notice whose
 *              acceptedText is shorter than its text is partial: more may
 *              follow, so a partial accept is written when the suggestion
 *              is settled, with the bytes taken by then.
 *   dismissed  the pending suggestion is settled without an accept notice:
 *              its document changed other than by typing the suggestion's
 *              own next characters at its cursor (an editor's auto-closed
 *              brackets after them are allowed), a request or answer came
 *              for another spot (the cursor moved) or another document, a
 *              different suggestion was shown, the document was closed or
 *              the server exited.
 *   retention  for an accepted text A (whitespace trimmed at both ends;
 *              none when that leaves nothing), at 30 s, 2 min and 10 min
 *              after the accept: kept if A is on the lines where it was
 *              inserted (from the line of its start to the line of its
 *              end, A's length after the start). That place follows edits
 *              (an edit before it moves it; an edit across it moves it to
 *              the edit's start; a whole-text change counts as the range
 *              between the common prefix and suffix). At didClose or
 *              exit, the checks already due are done from the final text
 *              and the later ones are recorded as unknown.
 * Writing: events wait in a queue that is written in one transaction per
 * batch from the poll loop's timers (a second after the first event, at
 * once past 256); the store's busy timeout is 50 ms; a batch that finds
 * the store locked stays queued and is retried later (backing off up to
 * 10 s). The queue holds at most 10,000 events; more are dropped (counted).
 * Events older than stats.keep_days are deleted at the first write, then
 * daily.
 * Off (stats.enabled = false), no file is ever opened or created. */
#include "backend/config.h"
#include "lang/lang.h"
#include "lsp/lsp_int.h"
#include "stats/stats.h"
#include "util/log.h"
#include "util/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define OC_FLUSH_DELAY_MS 1000.0 /* the batch window */
#define OC_FLUSH_NOW 256         /* events queued that start a write at once */
#define OC_QUEUE_MAX 10000       /* events queued at most */
#define OC_RETRY_MIN_MS 250.0
#define OC_RETRY_MAX_MS 10000.0
#define OC_BUSY_MS 50            /* the store's busy timeout in the server */
#define OC_EXIT_TRIES 20         /* at exit: busy timeouts waited at most */
#define OC_CLOSERS ")]}>\"'`"

typedef struct oc_pending {
    int active;
    uint64_t sid;
    char *uri, *file;
    const char *lang; /* static */
    char *text;       /* as shown */
    size_t len;
    size_t off;       /* where it was shown (byte offset) */
    size_t typed;     /* bytes of text now in the document after off */
    char *accepted;   /* the last accept notice's accepted text, or NULL */
    int partial;      /* that notice took less than the whole */
    double acc_at;    /* when (oc_now) */
} oc_pending;

typedef struct oc_track {
    uint64_t sid;
    char *uri, *file;
    const char *lang;
    char *text;       /* the accepted text, trimmed */
    size_t len;
    size_t off;       /* where it was inserted, following edits */
    double t0;        /* the accept (oc_now) */
    int done;         /* bit h: horizon h recorded */
} oc_track;

struct lsp_outcomes {
    int enabled, keep_days, test_clock;
    char path[4096];
    tc_stats *db;
    int64_t prune_at;  /* wall ms of the next pruning (0: at the first write) */
    int warned, broken;
    tc_stats_event *q; /* queued; each file string owned */
    size_t nq, capq;
    double flush_at, retry_ms; /* lsp_now_ms; flush_at < 0: nothing queued */
    oc_pending p;
    oc_track *tr;
    size_t ntr, captr;
    uint64_t sid_base, seq;
    double offset_ms;  /* the test clock's advance */
    /* counters (tacit/stats) */
    uint64_t shown, accepted, partial, dismissed, unmatched, written, dropped;
    uint64_t kept[TC_STATS_NHORIZONS], gone[TC_STATS_NHORIZONS], unknown[TC_STATS_NHORIZONS];
};

static double oc_now(const lsp_outcomes *o) { return lsp_now_ms() + o->offset_ms; }

static int64_t oc_wall_ms(const lsp_outcomes *o)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + (int64_t)o->offset_ms;
}

/* ---- the queue and the store ----------------------------------------------------- */

static void queue(lsp_outcomes *o, int kind, uint64_t sid, const char *lang, const char *file, int64_t chars,
                  int partial, int horizon, int kept)
{
    tc_stats_event *e;
    if (o->nq >= OC_QUEUE_MAX) {
        o->dropped++;
        return;
    }
    if (o->nq == o->capq) {
        size_t cap = o->capq ? o->capq * 2 : 64;
        tc_stats_event *nv = realloc(o->q, cap * sizeof *nv);
        if (!nv) {
            o->dropped++;
            return;
        }
        o->q = nv;
        o->capq = cap;
    }
    e = &o->q[o->nq];
    memset(e, 0, sizeof *e);
    if (!(e->file = strdup(file ? file : ""))) {
        o->dropped++;
        return;
    }
    e->t_ms = oc_wall_ms(o);
    e->kind = kind;
    e->sid = sid;
    e->lang = lang;
    e->chars = chars;
    e->partial = partial;
    e->horizon_s = horizon;
    e->kept = kept;
    o->nq++;
    if (o->flush_at < 0) o->flush_at = lsp_now_ms() + OC_FLUSH_DELAY_MS;
    if (o->nq >= OC_FLUSH_NOW && o->retry_ms <= 0) o->flush_at = lsp_now_ms();
}

static void queue_clear(lsp_outcomes *o)
{
    size_t i;
    for (i = 0; i < o->nq; i++) free((char *)o->q[i].file);
    o->nq = 0;
}

/* Write the queue: TC_OK (written or nothing to write), or TC_EIO with
 * *busy when the store was locked (the queue is kept). */
static int flush(lsp_outcomes *o, int *busy)
{
    char err[600];
    int rc;
    tc_stats_opts so = {1, OC_BUSY_MS, 0};
    *busy = 0;
    if (!o->nq || o->broken) return TC_OK;
    if (!o->db) {
        rc = tc_stats_open(o->path, &so, &o->db, busy, err, sizeof err);
        if (rc) {
            if (!*busy) {
                /* a damaged or foreign file: say so once, stop recording */
                tc_warn("outcomes store: %s; not recording (tacit stats)", err);
                o->broken = 1;
                queue_clear(o);
            }
            return rc;
        }
    }
    if (oc_wall_ms(o) >= o->prune_at) {
        /* at the first write, then daily (a server may run for weeks) */
        int64_t gone;
        if (tc_stats_prune(o->db, oc_wall_ms(o) - (int64_t)o->keep_days * 86400000, &gone, busy) == TC_OK)
            o->prune_at = oc_wall_ms(o) + 86400000;
        else if (*busy) return TC_EIO;
    }
    rc = tc_stats_add(o->db, o->q, o->nq, busy);
    if (rc == TC_OK) {
        o->written += o->nq;
        queue_clear(o);
    } else if (!*busy && !o->warned) {
        tc_warn("outcomes store %s: cannot write; will retry", o->path);
        o->warned = 1;
    }
    return rc;
}

/* ---- pending and tracked suggestions ---------------------------------------------- */

static void pending_free(oc_pending *p)
{
    free(p->uri);
    free(p->file);
    free(p->text);
    free(p->accepted);
    memset(p, 0, sizeof *p);
}

static void track_free(oc_track *t)
{
    free(t->uri);
    free(t->file);
    free(t->text);
}

static void track_remove(lsp_outcomes *o, size_t i)
{
    track_free(&o->tr[i]);
    o->tr[i] = o->tr[--o->ntr];
}

/* Watch the pending suggestion's accepted text. */
static void track_start(lsp_outcomes *o)
{
    oc_pending *p = &o->p;
    const char *a = p->accepted;
    size_t n = strlen(a), lead = 0;
    oc_track *t;
    while (lead < n && strchr(" \t\r\n", a[lead])) lead++;
    while (n > lead && strchr(" \t\r\n", a[n - 1])) n--;
    if (n == lead) return; /* only blanks: nothing to look for */
    if (o->ntr == o->captr) {
        size_t cap = o->captr ? o->captr * 2 : 8;
        oc_track *nt = realloc(o->tr, cap * sizeof *nt);
        if (!nt) return;
        o->tr = nt;
        o->captr = cap;
    }
    t = &o->tr[o->ntr];
    memset(t, 0, sizeof *t);
    t->text = strndup(a + lead, n - lead);
    t->uri = strdup(p->uri);
    t->file = strdup(p->file);
    if (!t->text || !t->uri || !t->file) {
        track_free(t);
        return;
    }
    t->sid = p->sid;
    t->lang = p->lang;
    t->len = n - lead;
    t->off = p->off + lead;
    t->t0 = p->acc_at;
    o->ntr++;
}

/* The pending suggestion is over: accepted (by the notices so far) or dismissed. */
static void settle(lsp_outcomes *o)
{
    oc_pending *p = &o->p;
    if (!p->active) return;
    if (p->accepted) {
        queue(o, TC_STATS_ACCEPTED, p->sid, p->lang, p->file, (int64_t)strlen(p->accepted), p->partial, 0, 0);
        o->accepted++;
        o->partial += p->partial;
        track_start(o);
    } else {
        queue(o, TC_STATS_DISMISSED, p->sid, p->lang, p->file, 0, 0, 0, 0);
        o->dismissed++;
    }
    pending_free(p);
}

/* 1 if the tracked text is on the lines of its place in d. */
static int track_present(const oc_track *t, const lsp_doc *d)
{
    const char *txt = d->text.data ? d->text.data : "";
    size_t len = d->text.len, off = t->off < len ? t->off : len;
    size_t a = lsp_doc_line_start(d, off), b = lsp_doc_line_end(d, off + t->len < len ? off + t->len : len);
    return b >= a && memmem(txt + a, b - a, t->text, t->len) != NULL;
}

/* Record the checks of t that are due (all of them with final: the due
 * ones from d's text, the others unknown). Returns 1 when t is complete. */
static int track_check(lsp_outcomes *o, oc_track *t, const lsp_doc *d, double now, int final)
{
    int h, kept = -1, known = 0;
    for (h = 0; h < TC_STATS_NHORIZONS; h++) {
        int v;
        if (t->done & (1 << h)) continue;
        if (t->t0 + tc_stats_horizons[h] * 1000.0 <= now && d) {
            if (!known) {
                kept = track_present(t, d);
                known = 1;
            }
            v = kept;
        } else if (final || !d) {
            v = -1;
        } else {
            continue;
        }
        queue(o, TC_STATS_RETAINED, t->sid, t->lang, t->file, 0, 0, tc_stats_horizons[h], v);
        if (v > 0) o->kept[h]++;
        else if (v == 0) o->gone[h]++;
        else o->unknown[h]++;
        t->done |= 1 << h;
    }
    return t->done == (1 << TC_STATS_NHORIZONS) - 1;
}

/* ---- hooks ------------------------------------------------------------------------ */

void lsp_outcomes_open(lsp_server *s, const cJSON *init)
{
    lsp_outcomes *o;
    tc_config c;
    char err[512];
    cJSON *part = NULL;
    const cJSON *src = lsp_get(init, "tacit") ? lsp_get(init, "tacit") : init;
    int enabled = 0;
    /* settings file < environment < initializationOptions' "stats"; when
     * they cannot be read, nothing is recorded */
    tc_config_init(&c);
    err[0] = 0;
    if (tc_config_load(&c, s->opts.config_file, err, sizeof err) == TC_OK) {
        const cJSON *st = lsp_get(src, "stats");
        if (st && (part = cJSON_CreateObject()) != NULL) cJSON_AddItemReferenceToObject(part, "stats", (cJSON *)st);
        if (tc_config_load_json(&c, part, err, sizeof err) == TC_OK) enabled = c.stats_enabled;
    }
    if (err[0] && !enabled) tc_warn("settings: %s; outcomes are not recorded", err);
    cJSON_Delete(part);
    if (!enabled) {
        tc_config_free(&c);
        return;
    }
    if (!(o = calloc(1, sizeof *o))) {
        tc_config_free(&c);
        return;
    }
    o->enabled = 1;
    o->keep_days = c.stats_keep_days;
    o->test_clock = s->set.test_clock;
    o->flush_at = -1;
    tc_stats_default_path(o->path, sizeof o->path);
    if (getrandom(&o->sid_base, sizeof o->sid_base, GRND_NONBLOCK) != (ssize_t)sizeof o->sid_base)
        o->sid_base = (uint64_t)getpid() << 32 ^ (uint64_t)oc_wall_ms(o);
    o->sid_base &= ~0xffffffull; /* room for the counter */
    tc_config_free(&c);
    s->oc = o;
}

/* The text of a result's first item (NULL when empty). */
static const char *first_text(const cJSON *result)
{
    const cJSON *items = lsp_get(result, "items"), *it, *args;
    const char *t;
    if (!(it = cJSON_GetArrayItem(items, 0))) return NULL;
    args = lsp_get(lsp_get(it, "command"), "arguments");
    t = lsp_get_str(cJSON_GetArrayItem(args, 0), "text");
    if (!t) t = lsp_get_str(it, "insertText");
    return t && *t ? t : NULL;
}

void lsp_outcomes_shown(lsp_server *s, const char *uri, size_t off, const cJSON *result, int update)
{
    lsp_outcomes *o = s->oc;
    oc_pending *p;
    lsp_doc *d;
    const char *t;
    if (!o || !uri) return;
    p = &o->p;
    t = first_text(result);
    if (p->active && strcmp(p->uri, uri) == 0 && off == p->off + p->typed) {
        size_t rest = p->len - p->typed, n = t ? strlen(t) : 0;
        /* the same suggestion (its rest), or nothing new: still pending */
        if (!t || (n <= rest && memcmp(t, p->text + p->typed, n) == 0)) return;
        if (update && p->typed == 0 && !p->accepted) {
            char *nt = strdup(t);
            if (!nt) return;
            free(p->text);
            p->text = nt;
            p->len = n;
            return;
        }
    }
    settle(o);
    if (!t || !(d = lsp_docs_find(&s->docs, uri))) return;
    p->uri = strdup(uri);
    p->text = strdup(t);
    p->file = lsp_uri_to_path(uri);
    if (!p->file) p->file = strdup(uri);
    if (!p->uri || !p->text || !p->file) {
        pending_free(p);
        return;
    }
    p->active = 1;
    p->sid = o->sid_base + ++o->seq;
    p->lang = tc_lang_name(tc_lang_detect(d->relpath, d->text.data, d->text.len < 256 ? d->text.len : 256));
    p->len = strlen(t);
    p->off = off;
    o->shown++;
    queue(o, TC_STATS_SHOWN, p->sid, p->lang, p->file, (int64_t)p->len, 0, 0, 0);
}

void lsp_outcomes_answered(lsp_server *s, const lsp_msg *m, const cJSON *result)
{
    const char *uri = lsp_msg_uri(m);
    lsp_doc *d;
    size_t off;
    if (!s->oc || !uri || !(d = lsp_docs_find(&s->docs, uri))) return;
    if (lsp_get_offset(s, d, lsp_get(m->params, "position"), &off)) return;
    lsp_outcomes_shown(s, uri, off, result, 0);
}

void lsp_outcomes_accept(lsp_server *s, const char *uri, const char *text, const char *part)
{
    lsp_outcomes *o = s->oc;
    oc_pending *p;
    char *a;
    if (!o || !uri || !text) return;
    p = &o->p;
    if (!p->active || strcmp(p->uri, uri) != 0) {
        o->unmatched++; /* not shown by this server (or already settled) */
        return;
    }
    if (!(a = strdup(part ? part : text))) return;
    free(p->accepted);
    p->accepted = a;
    p->partial = strlen(a) < strlen(text);
    p->acc_at = oc_now(o);
    if (!p->partial) settle(o);
}

void lsp_outcomes_edit(lsp_server *s, const lsp_doc *d, size_t a, size_t b, const char *text, size_t n)
{
    lsp_outcomes *o = s->oc;
    oc_pending *p;
    size_t i;
    if (!o) return;
    p = &o->p;
    if (p->active && strcmp(p->uri, d->uri) == 0) {
        size_t cur = p->off + p->typed, rest = p->len - p->typed, k = 0, lead = cur - a;
        /* its own next characters at the cursor, perhaps with auto-closed
         * brackets after them; or a completion item's edit, which rewrites
         * the word before the cursor as it was */
        if (a <= cur && b >= cur && b - cur <= rest + 8 && n > lead &&
            (lead == 0 || memcmp(d->text.data + a, text, lead) == 0)) {
            while (lead + k < n && k < rest && text[lead + k] == p->text[p->typed + k]) k++;
            if (k > 0 && strspn(text + lead + k, OC_CLOSERS) == n - lead - k) {
                p->typed += k;
                goto tracks;
            }
        }
        settle(o);
    }
tracks:
    for (i = 0; i < o->ntr; i++) {
        oc_track *t = &o->tr[i];
        if (strcmp(t->uri, d->uri) != 0) continue;
        if (b <= t->off) t->off = t->off + n - (b - a);
        else if (a < t->off) t->off = a;
    }
}

void lsp_outcomes_close(lsp_server *s, const lsp_doc *d)
{
    lsp_outcomes *o = s->oc;
    size_t i;
    double now;
    if (!o) return;
    now = oc_now(o);
    if (o->p.active && strcmp(o->p.uri, d->uri) == 0) settle(o);
    for (i = 0; i < o->ntr;) {
        if (strcmp(o->tr[i].uri, d->uri) == 0) {
            track_check(o, &o->tr[i], d, now, 1);
            track_remove(o, i);
            continue;
        }
        i++;
    }
}

double lsp_outcomes_tick(lsp_server *s)
{
    lsp_outcomes *o = s->oc;
    double now, next = -1, real;
    size_t i;
    int busy;
    if (!o) return -1;
    now = oc_now(o);
    for (i = 0; i < o->ntr;) {
        oc_track *t = &o->tr[i];
        int h;
        if (track_check(o, t, lsp_docs_find(&s->docs, t->uri), now, 0)) {
            track_remove(o, i);
            continue;
        }
        for (h = 0; h < TC_STATS_NHORIZONS; h++)
            if (!(t->done & (1 << h))) {
                double due = t->t0 + tc_stats_horizons[h] * 1000.0 - o->offset_ms;
                if (next < 0 || due < next) next = due;
                break;
            }
        i++;
    }
    real = lsp_now_ms();
    if (o->nq && o->flush_at >= 0 && o->flush_at <= real) {
        if (flush(o, &busy) == TC_OK) {
            o->retry_ms = 0;
            o->flush_at = -1;
        } else {
            /* locked by another editor, or a write error: try again later */
            o->retry_ms = o->retry_ms <= 0 ? OC_RETRY_MIN_MS : o->retry_ms * 2;
            if (o->retry_ms > OC_RETRY_MAX_MS) o->retry_ms = OC_RETRY_MAX_MS;
            o->flush_at = o->nq ? real + o->retry_ms : -1;
        }
    }
    if (!o->nq) o->flush_at = -1;
    if (o->flush_at >= 0 && (next < 0 || o->flush_at < next)) next = o->flush_at;
    return next;
}

void lsp_outcomes_advance(lsp_server *s, lsp_msg *m)
{
    const cJSON *v = lsp_get(m->params, "advance");
    if (!s->oc || !s->oc->test_clock || !cJSON_IsNumber(v) || !(v->valuedouble >= 0)) return;
    s->oc->offset_ms += v->valuedouble * 1000.0;
}

void lsp_outcomes_stats(lsp_server *s, cJSON *out)
{
    lsp_outcomes *o = s->oc;
    cJSON *j = cJSON_AddObjectToObject(out, "outcomes"), *ret;
    int h;
    if (!j) return;
    cJSON_AddBoolToObject(j, "enabled", o != NULL);
    if (!o) return;
    cJSON_AddNumberToObject(j, "shown", (double)o->shown);
    cJSON_AddNumberToObject(j, "accepted", (double)o->accepted);
    cJSON_AddNumberToObject(j, "partial", (double)o->partial);
    cJSON_AddNumberToObject(j, "dismissed", (double)o->dismissed);
    cJSON_AddNumberToObject(j, "unmatched", (double)o->unmatched);
    cJSON_AddBoolToObject(j, "pending", o->p.active);
    cJSON_AddNumberToObject(j, "tracked", (double)o->ntr);
    ret = cJSON_AddObjectToObject(j, "retention");
    for (h = 0; ret && h < TC_STATS_NHORIZONS; h++) {
        cJSON *r = cJSON_AddObjectToObject(ret, tc_stats_horizon_names[h]);
        if (!r) break;
        cJSON_AddNumberToObject(r, "kept", (double)o->kept[h]);
        cJSON_AddNumberToObject(r, "gone", (double)o->gone[h]);
        cJSON_AddNumberToObject(r, "unknown", (double)o->unknown[h]);
    }
    cJSON_AddNumberToObject(j, "queued", (double)o->nq);
    cJSON_AddNumberToObject(j, "written", (double)o->written);
    cJSON_AddNumberToObject(j, "dropped", (double)o->dropped);
}

void lsp_outcomes_free(lsp_server *s)
{
    lsp_outcomes *o = s->oc;
    double now;
    size_t i;
    int busy = 0, tries;
    if (!o) return;
    now = oc_now(o);
    settle(o);
    for (i = 0; i < o->ntr; i++) {
        track_check(o, &o->tr[i], lsp_docs_find(&s->docs, o->tr[i].uri), now, 1);
        track_free(&o->tr[i]);
    }
    /* the editor is going away: wait a little for another writer's lock */
    for (tries = 0; o->nq && tries < OC_EXIT_TRIES; tries++)
        if (flush(o, &busy) == TC_OK || !busy) break;
    if (o->nq) fprintf(stderr, "tacit: %zu suggestion outcomes not recorded (the store %s was busy)\n", o->nq, o->path);
    queue_clear(o);
    free(o->q);
    free(o->tr);
    pending_free(&o->p);
    tc_stats_close(o->db);
    free(o);
    s->oc = NULL;
}
