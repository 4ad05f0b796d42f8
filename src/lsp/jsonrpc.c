/* jsonrpc.c - JSON-RPC 2.0 as LSP uses it: one object per frame (no
 * batches), ids that are integers or strings.
 *
 * Classification of a frame's body:
 *   not JSON (or trailing bytes)             INVALID, ParseError, id null
 *   not an object, no/bad "jsonrpc"          INVALID, InvalidRequest
 *   "method" string + "id" number|string     REQUEST
 *   "method" string, no "id"                 NOTIFICATION
 *   no "method", "id", "result" or "error"   RESPONSE
 *   anything else (bad id, bad params type)  INVALID, InvalidRequest
 * "params": null counts as no params.
 */
#include "lsp/lsp_int.h"
#include "util/status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int valid_id(const cJSON *id)
{
    if (cJSON_IsString(id)) return 1;
    if (!cJSON_IsNumber(id)) return 0;
    return isfinite(id->valuedouble) && id->valuedouble == floor(id->valuedouble);
}

/* Values a message may hold: each costs a cJSON node (~64 bytes), so a
 * body of "[0,0,0,..." within the size limit could otherwise take 30
 * times its size in memory. */
#define MAX_JSON_VALUES (1u << 20)

/* Upper bound on the values in body[0..len): separators and openings
 * outside strings, plus one. */
static size_t count_values(const char *body, size_t len)
{
    size_t i, n = 1;
    int in_str = 0;
    for (i = 0; i < len; i++) {
        char c = body[i];
        if (in_str) {
            if (c == '\\') i++;
            else if (c == '"') in_str = 0;
        } else if (c == '"') {
            in_str = 1;
        } else if (c == ',' || c == '[' || c == '{') {
            n++;
        }
    }
    return n;
}

static void invalid(lsp_msg *m, int code, const char *why)
{
    m->kind = LSP_MSG_INVALID;
    m->err_code = code;
    m->err_msg = why;
}

int lsp_msg_parse(const char *body, size_t len, lsp_msg *out)
{
    const cJSON *v, *id, *method, *params;
    memset(out, 0, sizeof *out);
    out->bytes = len;
    if (count_values(body, len) > MAX_JSON_VALUES) {
        invalid(out, LSP_INVALID_REQUEST, "Invalid request: the message holds too many JSON values");
        return TC_OK;
    }
    /* len + 1: the NUL after the body proves there is nothing after the JSON */
    out->root = cJSON_ParseWithLengthOpts(body, len + 1, NULL, 1);
    if (!out->root) {
        invalid(out, LSP_PARSE_ERROR, "Parse error: the message is not valid JSON");
        return TC_OK;
    }
    if (!cJSON_IsObject(out->root)) {
        invalid(out, LSP_INVALID_REQUEST, "Invalid request: a message must be a JSON object");
        return TC_OK;
    }
    id = cJSON_GetObjectItemCaseSensitive(out->root, "id");
    if (id && valid_id(id)) out->id = id;
    v = cJSON_GetObjectItemCaseSensitive(out->root, "jsonrpc");
    if (!cJSON_IsString(v) || strcmp(v->valuestring, "2.0") != 0) {
        invalid(out, LSP_INVALID_REQUEST, "Invalid request: \"jsonrpc\" must be \"2.0\"");
        return TC_OK;
    }
    method = cJSON_GetObjectItemCaseSensitive(out->root, "method");
    params = cJSON_GetObjectItemCaseSensitive(out->root, "params");
    if (!method) {
        if (out->id && (cJSON_GetObjectItemCaseSensitive(out->root, "result") ||
                        cJSON_GetObjectItemCaseSensitive(out->root, "error"))) {
            out->kind = LSP_MSG_RESPONSE;
            return TC_OK;
        }
        invalid(out, LSP_INVALID_REQUEST, "Invalid request: no \"method\"");
        return TC_OK;
    }
    if (!cJSON_IsString(method)) {
        invalid(out, LSP_INVALID_REQUEST, "Invalid request: \"method\" must be a string");
        return TC_OK;
    }
    if (id && !out->id) {
        invalid(out, LSP_INVALID_REQUEST, "Invalid request: \"id\" must be an integer or a string");
        return TC_OK;
    }
    out->method = method->valuestring;
    /* "params": null is what some clients send for shutdown and exit
     * (LSP: params void): the same as no params */
    if (cJSON_IsNull(params)) params = NULL;
    if (params && !cJSON_IsObject(params) && !cJSON_IsArray(params)) {
        invalid(out, LSP_INVALID_REQUEST, "Invalid request: \"params\" must be an object or an array");
        return TC_OK;
    }
    out->params = params;
    out->kind = out->id ? LSP_MSG_REQUEST : LSP_MSG_NOTIFICATION;
    return TC_OK;
}

void lsp_msg_clear(lsp_msg *m)
{
    cJSON_Delete(m->root);
    memset(m, 0, sizeof *m);
}

int lsp_id_equal(const cJSON *a, const cJSON *b)
{
    if (!a || !b) return 0;
    if (cJSON_IsString(a) && cJSON_IsString(b)) return strcmp(a->valuestring, b->valuestring) == 0;
    if (cJSON_IsNumber(a) && cJSON_IsNumber(b)) return a->valuedouble == b->valuedouble;
    return 0;
}

static cJSON *envelope(void)
{
    cJSON *o = cJSON_CreateObject();
    if (o && !cJSON_AddStringToObject(o, "jsonrpc", "2.0")) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static int add_id(cJSON *o, const cJSON *id)
{
    cJSON *c = id ? cJSON_Duplicate(id, 0) : cJSON_CreateNull();
    if (!c) return TC_ENOMEM;
    cJSON_AddItemToObject(o, "id", c);
    return TC_OK;
}

cJSON *lsp_make_result(const cJSON *id, cJSON *result)
{
    cJSON *o = envelope();
    if (!result) result = cJSON_CreateNull();
    if (!o || !result || add_id(o, id)) {
        cJSON_Delete(o);
        cJSON_Delete(result);
        return NULL;
    }
    cJSON_AddItemToObject(o, "result", result);
    return o;
}

cJSON *lsp_make_error(const cJSON *id, int code, const char *message)
{
    cJSON *o = envelope(), *e = cJSON_CreateObject();
    if (!o || !e || add_id(o, id) || !cJSON_AddNumberToObject(e, "code", code) ||
        !cJSON_AddStringToObject(e, "message", message)) {
        cJSON_Delete(o);
        cJSON_Delete(e);
        return NULL;
    }
    cJSON_AddItemToObject(o, "error", e);
    return o;
}

cJSON *lsp_make_notification(const char *method, cJSON *params)
{
    cJSON *o = envelope();
    if (!o || !cJSON_AddStringToObject(o, "method", method)) {
        cJSON_Delete(o);
        cJSON_Delete(params);
        return NULL;
    }
    if (params) cJSON_AddItemToObject(o, "params", params);
    return o;
}

cJSON *lsp_make_request(long id, const char *method, cJSON *params)
{
    cJSON *o = lsp_make_notification(method, params);
    if (o && !cJSON_AddNumberToObject(o, "id", (double)id)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

const cJSON *lsp_get(const cJSON *obj, const char *key)
{
    return cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

const char *lsp_get_str(const cJSON *obj, const char *key)
{
    const cJSON *v = lsp_get(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

int lsp_get_bool(const cJSON *obj, const char *key, int dflt)
{
    const cJSON *v = lsp_get(obj, key);
    return cJSON_IsBool(v) ? cJSON_IsTrue(v) : dflt;
}
