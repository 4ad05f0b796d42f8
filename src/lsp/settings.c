/* settings.c - the client's settings: initializationOptions and
 * workspace/didChangeConfiguration (settings, or settings.tacit). The
 * server settings (general.backend, deadline_ms, context, backends) are
 * the session's (suggest/session.h, backend/config.h). */
#include "edit/edit.h"
#include "lsp/lsp_int.h"
#include "util/log.h"
#include "util/status.h"

#include <string.h>

void lsp_settings_default(lsp_settings *set, double threshold)
{
    set->threshold = threshold;
    set->mode = TC_MODE_FULL;
    set->max_file_size = LSP_DEFAULT_MAX_FILE;
    set->debounce_ms = 0;
    set->completion = LSP_COMPLETION_AUTO;
    set->watch = LSP_WATCH_AUTO;
    set->reindex_s = LSP_DEFAULT_REINDEX_S;
    set->answers = LSP_ANSWER_AUTO;
    set->test_clock = 0;
    set->alternatives = LSP_DEFAULT_ALTERNATIVES;
    set->next_edit_hints = 1;
    set->next_edit_model = 0;
    set->next_edit_model_ms = 3000;
    set->next_edit_min_conf = TC_EDIT_OFFER_CONF;
}

static int get_number(const cJSON *o, const char *key, double lo, double hi, double *out)
{
    const cJSON *v = lsp_get(o, key);
    if (!v) return 0;
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= lo && v->valuedouble <= hi)) {
        tc_warn("setting %s must be a number in [%g, %g]; ignored", key, lo, hi);
        return 0;
    }
    *out = v->valuedouble;
    return 1;
}

static int get_bool(const cJSON *o, const char *key, int *out)
{
    const cJSON *v = lsp_get(o, key);
    if (!v) return 0;
    if (!cJSON_IsBool(v)) {
        tc_warn("setting %s must be true or false; ignored", key);
        return 0;
    }
    *out = cJSON_IsTrue(v);
    return 1;
}

void lsp_settings_apply(lsp_settings *set, const cJSON *o)
{
    const cJSON *nested = lsp_get(o, "tacit"), *v;
    double d;
    const char *str;
    if (cJSON_IsObject(nested)) o = nested;
    if (!cJSON_IsObject(o)) return;
    if (get_number(o, "threshold", 0, 1, &d)) set->threshold = d;
    if (get_number(o, "maxFileSize", 1, 1e12, &d)) set->max_file_size = (size_t)d;
    if (get_number(o, "debounce", 0, 10000, &d)) set->debounce_ms = (int)d;
    if (get_number(o, "reindexInterval", 1, 86400, &d)) set->reindex_s = (int)d;
    if (get_number(o, "alternatives", 1, LSP_MAX_ALTERNATIVES, &d)) set->alternatives = (int)d;
    if ((v = lsp_get(o, "mode")) != NULL) {
        tc_mode m;
        if (cJSON_IsString(v) && tc_mode_parse(v->valuestring, &m) == TC_OK) set->mode = m;
        else tc_warn("setting mode must be \"full\", \"ngram\" or \"copy\"; ignored");
    }
    if ((v = lsp_get(o, "completion")) != NULL) {
        if (cJSON_IsBool(v)) set->completion = cJSON_IsTrue(v);
        else if (cJSON_IsString(v) && strcmp(v->valuestring, "auto") == 0) set->completion = LSP_COMPLETION_AUTO;
        else tc_warn("setting completion must be true, false or \"auto\"; ignored");
    }
    if ((v = lsp_get(o, "watch")) != NULL) {
        str = cJSON_IsString(v) ? v->valuestring : "";
        if (strcmp(str, "auto") == 0) set->watch = LSP_WATCH_AUTO;
        else if (strcmp(str, "poll") == 0) set->watch = LSP_WATCH_POLL;
        else if (strcmp(str, "off") == 0) set->watch = LSP_WATCH_OFF;
        else tc_warn("setting watch must be \"auto\", \"poll\" or \"off\"; ignored");
    }
    if (get_number(o, "nextEditModelDeadline", 1, 600000, &d)) set->next_edit_model_ms = (int)d;
    if (get_number(o, "nextEditMinConfidence", 0, 1, &d)) set->next_edit_min_conf = d;
    (void)get_bool(o, "nextEditInlayHints", &set->next_edit_hints);
    (void)get_bool(o, "nextEditModel", &set->next_edit_model);
    if (cJSON_IsBool(lsp_get(o, "testClock"))) set->test_clock = cJSON_IsTrue(lsp_get(o, "testClock"));
    if ((v = lsp_get(o, "serverAnswers")) != NULL) {
        str = cJSON_IsString(v) ? v->valuestring : "";
        if (strcmp(str, "auto") == 0) set->answers = LSP_ANSWER_AUTO;
        else if (strcmp(str, "notify") == 0) set->answers = LSP_ANSWER_NOTIFY;
        else if (strcmp(str, "wait") == 0) set->answers = LSP_ANSWER_WAIT;
        else tc_warn("setting serverAnswers must be \"auto\", \"notify\" or \"wait\"; ignored");
    }
}

/* The keys this file reads; the rest of initializationOptions is the
 * session's (general, context, privacy, backends: backend/config.h). */
static const char *const lsp_keys[] = {"threshold", "maxFileSize", "debounce", "reindexInterval",
                                       "mode", "completion", "watch", "serverAnswers", "testClock",
                                       "alternatives", "nextEditInlayHints", "nextEditModel",
                                       "nextEditModelDeadline", "nextEditMinConfidence"};

cJSON *lsp_settings_server_part(const cJSON *o)
{
    const cJSON *nested = lsp_get(o, "tacit");
    cJSON *c;
    size_t i;
    if (cJSON_IsObject(nested)) o = nested;
    if (!cJSON_IsObject(o) || !(c = cJSON_Duplicate(o, 1))) return NULL;
    for (i = 0; i < sizeof lsp_keys / sizeof *lsp_keys; i++) cJSON_DeleteItemFromObjectCaseSensitive(c, lsp_keys[i]);
    return c;
}

void lsp_settings_changed(lsp_server *s, const lsp_settings *old)
{
    if (s->sess) tc_session_set_threshold(s->sess, s->set.threshold);
    if (s->set.mode != old->mode) lsp_apply_mode(s);
    s->rd.max_body = 2 * s->set.max_file_size + (1u << 20);
}
