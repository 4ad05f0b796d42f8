/* track.c - document changes -> bursts (one user edit at one place).
 * A burst keeps the document's text from before its first change and the
 * byte range it has touched since; a change more than EDIT_BURST_LINES
 * lines away from that range, or in another document, starts a new one. */
#include "edit/edit.h"
#include "util/status.h"

#include <stdlib.h>
#include <string.h>

#define EDIT_BURST_LINES 0 /* lines beyond the touched ones a change of the same burst may be on */

struct tc_edit_tracker {
    char *key;       /* document of the burst, or NULL */
    char *before;    /* its text when the burst began */
    size_t blen;
    size_t a, b;     /* bytes touched, in the current text */
    uint64_t epoch;
    uint64_t bursts;  /* bursts begun */
    char *prev;       /* the document's text before the previous burst, when that
                         was in the same document (it ended as `before`), or NULL */
    size_t plen;
};

tc_edit_tracker *tc_edit_tracker_new(void) { return calloc(1, sizeof(tc_edit_tracker)); }

/* Forget the current burst. */
static void burst_clear(tc_edit_tracker *t)
{
    free(t->key);
    free(t->before);
    t->key = t->before = NULL;
    t->blen = 0;
    t->epoch++;
}

void tc_edit_tracker_reset(tc_edit_tracker *t, const char *key)
{
    if (!t || (key && (!t->key || strcmp(key, t->key) != 0))) return;
    burst_clear(t);
    free(t->prev);
    t->prev = NULL;
    t->plen = 0;
}

void tc_edit_tracker_free(tc_edit_tracker *t)
{
    if (!t) return;
    tc_edit_tracker_reset(t, NULL);
    free(t);
}

/* 1 if [a, b) of text lies within EDIT_BURST_LINES lines of [ra, rb). */
static int near(const char *text, size_t len, size_t ra, size_t rb, size_t a, size_t b)
{
    size_t lo = ra < len ? ra : len, hi = rb < len ? rb : len; /* the text may have been replaced whole */
    int k;
    for (k = 0; k <= EDIT_BURST_LINES && lo > 0; k++) /* back to the start of line ra - N */
        while (lo > 0 && text[--lo] != '\n') {}
    for (k = 0; k <= EDIT_BURST_LINES && hi < len; k++)
        while (hi < len && text[hi++] != '\n') {}
    return b >= lo && a <= hi;
}

int tc_edit_tracker_change(tc_edit_tracker *t, const char *key, const char *text, size_t len, size_t a,
                           size_t b, size_t n)
{
    t->epoch++;
    if (t->key && strcmp(t->key, key) == 0 && near(text, len, t->a, t->b, a, b)) {
        /* the touched range grows to hold the change, in new-text bytes */
        size_t ra = t->a < a ? t->a : a;
        size_t rb = t->b > b ? t->b : b;
        t->a = ra;
        t->b = rb - (b - a) + n;
        return TC_OK;
    }
    free(t->prev); /* the burst that ends is the previous one, if in this document */
    t->prev = NULL;
    t->plen = 0;
    if (t->key && strcmp(t->key, key) == 0) {
        t->prev = t->before;
        t->plen = t->blen;
        t->before = NULL;
    }
    burst_clear(t);
    if (!(t->key = strdup(key)) || !(t->before = malloc(len + 1))) {
        tc_edit_tracker_reset(t, NULL);
        return TC_ENOMEM;
    }
    t->bursts++;
    memcpy(t->before, text, len);
    t->before[len] = 0;
    t->blen = len;
    t->a = a;
    t->b = a + n;
    return TC_OK;
}

const char *tc_edit_tracker_burst(const tc_edit_tracker *t, const char **before, size_t *blen)
{
    if (!t || !t->key) return NULL;
    *before = t->before;
    *blen = t->blen;
    return t->key;
}

uint64_t tc_edit_tracker_epoch(const tc_edit_tracker *t) { return t ? t->epoch : 0; }

void tc_edit_tracker_range(const tc_edit_tracker *t, size_t *a, size_t *b)
{
    *a = t->a;
    *b = t->b;
}

uint64_t tc_edit_tracker_bursts(const tc_edit_tracker *t) { return t ? t->bursts : 0; }

int tc_edit_tracker_prev(const tc_edit_tracker *t, const char **before, size_t *blen)
{
    if (!t || !t->key || !t->prev) return 0;
    *before = t->prev;
    *blen = t->plen;
    return 1;
}
