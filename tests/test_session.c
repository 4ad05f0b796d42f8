/* test_session.c - the session (suggest/session.h): the cursor from the
 * command line, settings precedence, and a server request under the
 * deadline against tests/fake_http.c. Behaviour only, never timings: a
 * request past its deadline is abandoned (the fake sees the client go)
 * and the embedded answer stands. */
#include "fake_http.h"
#include "suggest/session.h"
#include "test.h"
#include "util/status.h"

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char doc[] = "def compute_value(alpha, beta):\n    return alpha + beta\n\n"
                          "result = compute_value(alpha, beta)\nother = compute_value(alpha, beta)\nthird = compute_";

static void put(const char *path, const char *text, size_t n)
{
    FILE *fp = fopen(path, "wb");
    TC_CHECK(fp != NULL);
    if (!fp) return;
    fwrite(text, 1, n, fp);
    fclose(fp);
}

/* A fresh workspace folder (with .git) holding s.py; returns its path. */
static const char *workspace(const char *name, char *buf, size_t n)
{
    char p[700];
    snprintf(buf, n, "%s/%s", tc_test_tmpdir(), name);
    mkdir(buf, 0755);
    snprintf(p, sizeof p, "%s/.git", buf);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/s.py", buf);
    put(p, doc, sizeof doc - 1);
    return buf;
}

TC_TEST(session_target_load)
{
    char ws[600], spec[800], err[512];
    tc_session_target t;
    workspace("target", ws, sizeof ws);
    /* the last line, its end: the cursor after "compute_" */
    snprintf(spec, sizeof spec, "%s/s.py:6:17", ws);
    TC_CHECK_EQ_INT(tc_session_target_load(spec, NULL, NULL, &t, err, sizeof err), TC_OK);
    TC_CHECK_EQ_INT(t.off, sizeof doc - 1);
    TC_CHECK_STR(t.rel, "s.py");
    TC_CHECK(strstr(ws, t.root) != NULL || strstr(t.root, "target") != NULL);
    tc_session_target_free(&t);
    /* relative to --root */
    TC_CHECK_EQ_INT(tc_session_target_load("s.py:1:5", NULL, ws, &t, err, sizeof err), TC_OK);
    TC_CHECK_EQ_INT(t.off, 4);
    tc_session_target_free(&t);
    /* past the end: explained, nothing loaded */
    snprintf(spec, sizeof spec, "%s/s.py:60:1", ws);
    TC_CHECK_EQ_INT(tc_session_target_load(spec, NULL, NULL, &t, err, sizeof err), TC_EINVAL);
    TC_CHECK(strstr(err, "line 60 is past the end") != NULL);
    TC_CHECK(t.text == NULL);
    snprintf(spec, sizeof spec, "%s/s.py:1:99", ws);
    TC_CHECK_EQ_INT(tc_session_target_load(spec, NULL, NULL, &t, err, sizeof err), TC_EINVAL);
    TC_CHECK(strstr(err, "column 99 is past the end of line 1") != NULL);
    /* malformed */
    TC_CHECK_EQ_INT(tc_session_target_load("s.py:1", NULL, ws, &t, err, sizeof err), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_session_target_load("s.py:0:1", NULL, ws, &t, err, sizeof err), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_session_target_load("s.py:1:2x", NULL, ws, &t, err, sizeof err), TC_EINVAL);
    /* a directory */
    snprintf(spec, sizeof spec, "%s:1:1", ws);
    TC_CHECK_EQ_INT(tc_session_target_load(spec, NULL, NULL, &t, err, sizeof err), TC_EIO);
    TC_CHECK(strstr(err, "is a directory") != NULL);
    /* a FIFO nobody writes to: refused at once, never waited on */
    {
        char fifo[700];
        snprintf(fifo, sizeof fifo, "%s/pipe.py", ws);
        unlink(fifo);
        TC_CHECK(mkfifo(fifo, 0644) == 0);
        snprintf(spec, sizeof spec, "%s:1:1", fifo);
        TC_CHECK_EQ_INT(tc_session_target_load(spec, NULL, NULL, &t, err, sizeof err), TC_EIO);
        TC_CHECK(strstr(err, "not a regular file") != NULL);
        /* and as --buffer */
        snprintf(spec, sizeof spec, "%s/s.py:1:1", ws);
        TC_CHECK_EQ_INT(tc_session_target_load(spec, fifo, NULL, &t, err, sizeof err), TC_EIO);
        unlink(fifo);
    }
    /* a binary file */
    {
        char bin[700];
        snprintf(bin, sizeof bin, "%s/b.py", ws);
        put(bin, "ab\0cd\n", 6);
        snprintf(spec, sizeof spec, "%s:1:1", bin);
        TC_CHECK_EQ_INT(tc_session_target_load(spec, NULL, NULL, &t, err, sizeof err), TC_ETOOBIG);
        TC_CHECK(strstr(err, "binary") != NULL);
    }
    /* a missing file without --buffer */
    snprintf(spec, sizeof spec, "%s/nope.py:1:1", ws);
    TC_CHECK_EQ_INT(tc_session_target_load(spec, NULL, NULL, &t, err, sizeof err), TC_ENOENT);
    TC_CHECK(strstr(err, "--buffer") != NULL);
}

static tc_session *open_session(const char *root, const char *backend, int deadline, const cJSON *init, int *rc)
{
    tc_session_opts so;
    tc_session *s = NULL;
    char err[512] = "";
    memset(&so, 0, sizeof so);
    so.root = root;
    so.config_file = "/dev/null";
    so.backend = backend;
    so.deadline_ms = deadline;
    so.threshold = 0;
    so.init_options = init;
    *rc = tc_session_open(&so, &s, err, sizeof err);
    return s;
}

/* issue 9: an empty buffer (no items) once applied an offset to NULL. */
TC_TEST(session_empty_buffer)
{
    char ws[600];
    tc_session *s;
    tc_engine_opts eo;
    tc_session_cursor c = {NULL, "empty.py", "", 0, 0};
    tc_suggestion sg;
    int rc, pending = 1;
    workspace("empty", ws, sizeof ws);
    s = open_session(ws, "none", -1, NULL, &rc);
    TC_CHECK_EQ_INT(rc, TC_OK);
    if (!s) return;
    memset(&eo, 0, sizeof eo);
    eo.index.cache_dir = "/proc/self/tacit-no-index";
    TC_CHECK_EQ_INT(tc_session_open_engine(s, &eo), TC_OK);
    TC_CHECK_EQ_INT(tc_session_suggest(s, &c, &sg, &pending), TC_OK);
    TC_CHECK_EQ_INT(pending, 0);
    TC_CHECK(sg.text != NULL);
    tc_suggestion_free(&sg);
    tc_session_free(s);
}

TC_TEST(session_settings_precedence)
{
    char ws[600];
    tc_session *s;
    cJSON *init;
    int rc;
    workspace("prec", ws, sizeof ws);
    /* the environment names a backend that does not exist: an error ... */
    setenv("TACIT_BACKEND", "nosuch", 1);
    s = open_session(ws, NULL, -1, NULL, &rc);
    TC_CHECK_EQ_INT(rc, TC_EINVAL);
    TC_CHECK(s == NULL);
    /* ... that a flag overrides: none is the embedded model alone */
    s = open_session(ws, "none", -1, NULL, &rc);
    TC_CHECK_EQ_INT(rc, TC_OK);
    TC_CHECK(s && !tc_session_has_backend(s));
    tc_session_free(s);
    /* initializationOptions come after the environment */
    init = cJSON_Parse("{\"backend\":\"llama\",\"deadline_ms\":1234}");
    s = open_session(ws, NULL, -1, init, &rc);
    TC_CHECK_EQ_INT(rc, TC_OK);
    TC_CHECK(s && tc_session_has_backend(s));
    if (s) TC_CHECK_EQ_INT(tc_session_deadline_ms(s), 1234);
    tc_session_free(s);
    /* and flags after them */
    s = open_session(ws, "none", 77, init, &rc);
    TC_CHECK_EQ_INT(rc, TC_OK);
    TC_CHECK(s && !tc_session_has_backend(s));
    if (s) TC_CHECK_EQ_INT(tc_session_deadline_ms(s), 77);
    tc_session_free(s);
    cJSON_Delete(init);
    /* the environment alone picks the backend (complete, explain, doctor
     * and lsp all open the session this way) */
    setenv("TACIT_BACKEND", "llama", 1);
    s = open_session(ws, NULL, -1, NULL, &rc);
    TC_CHECK_EQ_INT(rc, TC_OK);
    TC_CHECK(s && tc_session_has_backend(s));
    tc_session_free(s);
    unsetenv("TACIT_BACKEND");
}

/* A session with the llama backend at the fake's port. */
static tc_session *fake_session(const char *ws, fake_http *f, int deadline)
{
    char js[512];
    cJSON *init;
    tc_session *s;
    tc_engine_opts eo;
    int rc;
    snprintf(js, sizeof js,
             "{\"backend\":\"llama\",\"backends\":{\"llama\":{\"url\":\"http://127.0.0.1:%d\",\"stream\":false,"
             "\"warmup\":false}}}",
             fake_http_port(f));
    init = cJSON_Parse(js);
    s = open_session(ws, NULL, deadline, init, &rc);
    cJSON_Delete(init);
    TC_CHECK_EQ_INT(rc, TC_OK);
    if (!s) return NULL;
    memset(&eo, 0, sizeof eo);
    eo.index.cache_dir = "/proc/self/tacit-no-index";
    TC_CHECK_EQ_INT(tc_session_open_engine(s, &eo), TC_OK);
    return s;
}

static const char props[] = "{\"model_path\":\"/m/qwen2.5-coder-0.5b.gguf\",\"default_generation_settings\":{\"n_ctx\":8192}}";

TC_TEST(session_server_replaces_within_deadline)
{
    static const fake_route routes[] = {
        {.path = "/props", .resp = {200, NULL, props, 0, 0, FAKE_NORMAL}},
        {.path = "/infill", .resp = {200, NULL, "{\"content\":\"server_value(alpha)\"}", 0, 0, FAKE_NORMAL}},
    };
    char ws[600];
    fake_http *f = fake_http_start_routes(routes, 2);
    tc_session *s;
    tc_session_cursor c = {NULL, "s.py", doc, sizeof doc - 1, sizeof doc - 1};
    tc_suggestion sg;
    int pending = 0;
    TC_CHECK(f != NULL);
    if (!f) return;
    workspace("replace", ws, sizeof ws);
    if ((s = fake_session(ws, f, 600000)) != NULL) {
        TC_CHECK_EQ_INT(tc_session_suggest(s, &c, &sg, &pending), TC_OK);
        TC_CHECK_STR(sg.source, "embedded");
        TC_CHECK_EQ_INT(pending, 1);
        TC_CHECK_EQ_INT(tc_session_wait(s, &sg), TC_OK);
        TC_CHECK_STR(sg.source, "server");
        TC_CHECK_STR(sg.text, "server_value(alpha)");
        tc_suggestion_free(&sg);
        tc_session_free(s);
    }
    fake_http_stop(f);
}

TC_TEST(session_deadline_abandons_a_hung_request)
{
    static const fake_route routes[] = {
        {.path = "/props", .resp = {200, NULL, props, 0, 0, FAKE_NORMAL}},
        {.path = "/infill", .resp = {200, NULL, "", 0, 0, FAKE_HANG}},
    };
    char ws[600];
    fake_http *f = fake_http_start_routes(routes, 2);
    tc_session *s;
    tc_session_cursor c = {NULL, "s.py", doc, sizeof doc - 1, sizeof doc - 1};
    tc_suggestion sg;
    tc_session_stats st;
    int pending = 0;
    TC_CHECK(f != NULL);
    if (!f) return;
    workspace("deadline", ws, sizeof ws);
    if ((s = fake_session(ws, f, 300)) != NULL) {
        TC_CHECK_EQ_INT(tc_session_suggest(s, &c, &sg, &pending), TC_OK);
        TC_CHECK_EQ_INT(pending, 1);
        TC_CHECK_EQ_INT(tc_session_wait(s, &sg), TC_ECANCEL);
        TC_CHECK_STR(sg.source, "embedded"); /* the embedded answer stands */
        TC_CHECK_STR(sg.text, "value(alpha, beta)");
        TC_CHECK_EQ_INT(tc_session_pending(s), 0);
        tc_session_stats_get(s, &st);
        TC_CHECK_EQ_INT(st.server_late, 1);
        TC_CHECK(fake_http_nreq(f, 2, 5000) >= 2);
        /* the transfer was aborted on the wire */
        {
            int i;
            for (i = 0; i < 500 && !fake_http_client_gone(f); i++) usleep(10000);
            TC_CHECK(fake_http_client_gone(f));
        }
        tc_suggestion_free(&sg);
        tc_session_free(s);
    }
    fake_http_stop(f);
}

TC_TEST(session_stopped_server_costs_the_deadline_once)
{
    /* the probe itself hangs: the embedded answer, and the server is not
     * asked again while it is in backoff */
    static const fake_route routes[] = {
        {.path = "/props", .resp = {200, NULL, "", 0, 0, FAKE_HANG}},
    };
    char ws[600];
    fake_http *f = fake_http_start_routes(routes, 1);
    tc_session *s;
    tc_session_cursor c = {NULL, "s.py", doc, sizeof doc - 1, sizeof doc - 1};
    tc_suggestion sg;
    int pending = 1;
    TC_CHECK(f != NULL);
    if (!f) return;
    workspace("stopped", ws, sizeof ws);
    if ((s = fake_session(ws, f, 200)) != NULL) {
        TC_CHECK_EQ_INT(tc_session_suggest(s, &c, &sg, &pending), TC_OK);
        TC_CHECK_EQ_INT(pending, 0);
        TC_CHECK_STR(sg.source, "embedded");
        tc_suggestion_free(&sg);
        c.off -= 1; /* another cursor: not the typeahead cache */
        TC_CHECK_EQ_INT(tc_session_suggest(s, &c, &sg, &pending), TC_OK);
        TC_CHECK_EQ_INT(pending, 0);
        TC_CHECK_EQ_INT(fake_http_count(f, "/props"), 1); /* probed once, */
        TC_CHECK_EQ_INT(fake_http_count(f, "/infill"), 0); /* never asked */
        tc_suggestion_free(&sg);
        tc_session_free(s);
    }
    fake_http_stop(f);
}
