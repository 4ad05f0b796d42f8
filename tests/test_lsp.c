/* test_lsp.c - the language server: positions, framing and URIs in
 * process; the protocol through the transcripts in tests/lsp (files
 * ending .test) and the reliability cases against the real binary
 * ($TACIT_TEST_BIN, else build/dbg/tacit).
 *
 * Transcript format (one directive per line; blank lines and # comments
 * are skipped):
 *   % args ARG...        extra arguments after "tacit lsp"
 *   % write PATH TEXT    create PATH (under ${ROOT}) holding TEXT (C escapes)
 *   % exit N             the exit status expected at the end (default:
 *                        0 or 1; the runner closes stdin if still open)
 *   % until PATTERN      resend the next >> request until its response
 *                        matches PATTERN (20 s at most)
 *   % sleep MS
 *   % fake PATH STATUS DELAY_MS MODE [BODY]
 *                        a model server (tests/fake_http.c, routed): PATH
 *                        answers STATUS with BODY after DELAY_MS; MODE
 *                        normal, hang (never answers) or cut; ${PORT} in
 *                        any line is its port. Started before the server.
 *   % gone               the fake saw a client close a connection before
 *                        its reply was complete (a request aborted on
 *                        the wire)
 *   >> JSON              send one framed message (bytes as written, so it
 *                        may be invalid); consecutive >> lines go out in
 *                        one write, so the server sees them together
 *   >>raw TEXT           send bytes as they are (C escapes: \r \n \t \\ \xNN)
 *   >>close              close the server's stdin
 *   << PATTERN           read until a message matches PATTERN; a response
 *                        (a message with an id and no method) that does
 *                        not match fails the test, other messages may be
 *                        skipped
 * ${ROOT} in any line is the test's workspace folder (fresh, empty unless
 * written to). PATTERN is JSON matched as a subset: objects need the keys
 * given (a value "<absent>" needs the key absent), arrays match element
 * by element with the same length, "*" matches anything, "~text" any
 * string containing text. The server's stderr must hold no sanitizer
 * report.
 */
#include "fake_http.h"
#include "lsp/lsp_int.h"
#include "test.h"
#include "util/buf.h"
#include "util/status.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WAIT_MS 20000

/* ---- positions ------------------------------------------------------------------ */

static lsp_doc *mkdoc(lsp_docs *ds, const char *text)
{
    lsp_doc *d = lsp_docs_open(ds, "file:///t.py", strdup("t.py"));
    if (d) lsp_doc_set_text(d, text, strlen(text));
    return d;
}

TC_TEST(lsp_positions_utf16)
{
    lsp_docs ds = {0};
    /* a: 1 byte; é: 2 bytes, 1 unit; €: 3 bytes, 1 unit; 😀: 4 bytes, 2 units */
    lsp_doc *d = mkdoc(&ds, "aé€😀z\nline2\r\nline3\rlast");
    uint64_t l, c;
    TC_CHECK(d != NULL);
    TC_CHECK_EQ_INT(lsp_doc_offset(d, 0, 0, LSP_ENC_UTF16), 0);
    TC_CHECK_EQ_INT(lsp_doc_offset(d, 0, 1, LSP_ENC_UTF16), 1);
    TC_CHECK_EQ_INT(lsp_doc_offset(d, 0, 2, LSP_ENC_UTF16), 3);
    TC_CHECK_EQ_INT(lsp_doc_offset(d, 0, 3, LSP_ENC_UTF16), 6);
    TC_CHECK_EQ_INT(lsp_doc_offset(d, 0, 4, LSP_ENC_UTF16), 6); /* inside the pair: rounds down */
    TC_CHECK_EQ_INT(lsp_doc_offset(d, 0, 5, LSP_ENC_UTF16), 10);
    TC_CHECK_EQ_INT(lsp_doc_offset(d, 0, 6, LSP_ENC_UTF16), 11);
    TC_CHECK_EQ_INT(lsp_doc_offset(d, 0, 99, LSP_ENC_UTF16), 11); /* clamped to the line */
    TC_CHECK_EQ_INT(lsp_doc_offset(d, 1, 0, LSP_ENC_UTF16), 12);
    TC_CHECK_EQ_INT(lsp_doc_offset(d, 1, 99, LSP_ENC_UTF16), 17); /* before CRLF */
    TC_CHECK_EQ_INT(lsp_doc_offset(d, 2, 0, LSP_ENC_UTF16), 19);
    TC_CHECK_EQ_INT(lsp_doc_offset(d, 2, 99, LSP_ENC_UTF16), 24); /* before lone CR */
    TC_CHECK_EQ_INT(lsp_doc_offset(d, 3, 2, LSP_ENC_UTF16), 27);
    TC_CHECK_EQ_INT(lsp_doc_offset(d, 9, 0, LSP_ENC_UTF16), d->text.len); /* past the end */
    TC_CHECK_EQ_INT(lsp_doc_offset(d, 0, 0, LSP_ENC_UTF16), 0);           /* back from the anchor */
    lsp_doc_position(d, 10, LSP_ENC_UTF16, &l, &c);
    TC_CHECK(l == 0 && c == 5);
    lsp_doc_position(d, 8, LSP_ENC_UTF16, &l, &c); /* inside 😀: its start */
    TC_CHECK(l == 0 && c == 3);
    lsp_doc_position(d, 18, LSP_ENC_UTF16, &l, &c); /* between CR and LF */
    TC_CHECK(l == 1 && c == 5);
    lsp_doc_position(d, 25, LSP_ENC_UTF16, &l, &c);
    TC_CHECK(l == 3 && c == 0);
    lsp_doc_position(d, 999, LSP_ENC_UTF16, &l, &c);
    TC_CHECK(l == 3 && c == 4);
    lsp_doc_position(d, 3, LSP_ENC_UTF16, &l, &c);
    TC_CHECK(l == 0 && c == 2);
    /* UTF-8: bytes */
    TC_CHECK_EQ_INT(lsp_doc_offset(d, 0, 7, LSP_ENC_UTF8), 7);
    TC_CHECK_EQ_INT(lsp_doc_offset(d, 1, 3, LSP_ENC_UTF8), 15);
    lsp_doc_position(d, 10, LSP_ENC_UTF8, &l, &c);
    TC_CHECK(l == 0 && c == 10);
    lsp_docs_free(&ds);
}

TC_TEST(lsp_positions_invalid_utf8)
{
    lsp_docs ds = {0};
    lsp_doc *d = mkdoc(&ds, "a\xff\xc3(\xed\xa0\x80z");
    uint64_t l, c;
    /* each bad byte is one unit */
    TC_CHECK_EQ_INT(lsp_doc_offset(d, 0, 2, LSP_ENC_UTF16), 2);
    TC_CHECK_EQ_INT(lsp_doc_offset(d, 0, 3, LSP_ENC_UTF16), 3);
    TC_CHECK_EQ_INT(lsp_doc_offset(d, 0, 7, LSP_ENC_UTF16), 7);
    lsp_doc_position(d, 8, LSP_ENC_UTF16, &l, &c);
    TC_CHECK(l == 0 && c == 8);
    lsp_docs_free(&ds);
}

TC_TEST(lsp_edits_keep_lines)
{
    lsp_docs ds = {0};
    lsp_doc *d = mkdoc(&ds, "one\ntwo\nthree\n");
    size_t a, b;
    a = lsp_doc_offset(d, 2, 0, LSP_ENC_UTF16);
    TC_CHECK_EQ_INT(a, 8);
    /* insert a line above the anchor */
    a = lsp_doc_offset(d, 1, 0, LSP_ENC_UTF16);
    TC_CHECK(lsp_doc_replace(d, a, a, "new\n", 4) == TC_OK);
    TC_CHECK_STR(d->text.data, "one\nnew\ntwo\nthree\n");
    TC_CHECK_EQ_INT(lsp_doc_offset(d, 3, 1, LSP_ENC_UTF16), 13);
    /* a CR then an LF inserted after it: one line break */
    a = lsp_doc_offset(d, 0, 3, LSP_ENC_UTF16);
    b = lsp_doc_offset(d, 1, 0, LSP_ENC_UTF16);
    TC_CHECK(lsp_doc_replace(d, a, b, "\r", 1) == TC_OK);
    TC_CHECK_EQ_INT(lsp_doc_offset(d, 1, 0, LSP_ENC_UTF16), 4);
    a = lsp_doc_offset(d, 1, 0, LSP_ENC_UTF16);
    TC_CHECK(lsp_doc_replace(d, a, a, "\n", 1) == TC_OK);
    TC_CHECK_STR(d->text.data, "one\r\nnew\ntwo\nthree\n");
    TC_CHECK_EQ_INT(lsp_doc_offset(d, 1, 0, LSP_ENC_UTF16), 5);
    TC_CHECK(lsp_doc_replace(d, 3, 2, "", 0) == TC_EINVAL);
    lsp_docs_free(&ds);
}

/* ---- framing ---------------------------------------------------------------------- */

/* Feed s to a fresh reader one byte at a time (or all at once); collect
 * events as a string: M<body> B T<len>. */
static void frames(const char *s, size_t n, size_t max_body, int bytewise, tc_buf *out)
{
    lsp_reader r;
    size_t i;
    out->len = 0;
    tc_buf_puts(out, "");
    lsp_rd_init(&r, max_body);
    for (i = 0; i < n;) {
        size_t k = bytewise ? 1 : n;
        char *body;
        size_t len;
        const char *what;
        int ev;
        lsp_rd_feed(&r, s + i, k);
        i += k;
        while ((ev = lsp_rd_next(&r, &body, &len, &what)) != LSP_EV_NONE) {
            if (ev == LSP_EV_MESSAGE) tc_buf_printf(out, "M%s ", body);
            else if (ev == LSP_EV_BAD_HEADER) tc_buf_puts(out, "B ");
            else tc_buf_printf(out, "T%zu ", len);
            free(body);
        }
    }
    lsp_rd_free(&r);
}

TC_TEST(lsp_framing)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"Content-Length: 2\r\n\r\n{}Content-Length: 3\r\n\r\n[1]", "M{} M[1] "},
        {"content-length:2\n\n{}", "M{} "},
        {"Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}", "M{} "},
        {"\r\n\r\nContent-Length: 2\r\n\r\n{}", "M{} "},
        {"Content-Length: -5\r\n\r\n{}Content-Length: 2\r\n\r\n{}", "B M{} "},
        {"Content-Length: abc\r\n\r\nContent-Length: 2\r\n\r\n{}", "B M{} "},
        {"Content-Length: 99999999999999999999999\r\n\r\n{}Content-Length: 2\r\n\r\n{}", "B M{} "},
        {"Content-Type: x\r\n\r\n{}Content-Length: 2\r\n\r\n{}", "B M{} "},
        {"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}Content-Length: 2\r\n\r\n{}", "B M{} "},
        {"garbage\r\n\r\nContent-Length: 2\r\n\r\n{}", "B M{} "},
        {"Content-Length: 12\r\n\r\n0123456789abContent-Length: 2\r\n\r\n{}", "T12 M{} "},
        {"Content-Length: 0\r\n\r\n", "M "},
    };
    tc_buf out = {0};
    size_t i;
    int bw;
    for (i = 0; i < sizeof cases / sizeof *cases; i++)
        for (bw = 0; bw < 2; bw++) {
            frames(cases[i].in, strlen(cases[i].in), 10, bw, &out);
            TC_CHECK_STR(out.data, cases[i].want);
        }
    /* a header that never ends stays bounded and resynchronises */
    {
        tc_buf in = {0};
        for (i = 0; i < 3000; i++) tc_buf_puts(&in, "X-Junk: aaaa ");
        tc_buf_puts(&in, "Content-Length: 2\r\n\r\n{}");
        frames(in.data, in.len, 10, 0, &out);
        TC_CHECK(strstr(out.data, "M{} ") != NULL);
        tc_buf_free(&in);
    }
    tc_buf_free(&out);
}

TC_TEST(lsp_params_null)
{
    /* issue 9: "params": null is no params (shutdown and exit send it) */
    static const char shut[] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"shutdown\",\"params\":null}";
    static const char ex[] = "{\"jsonrpc\":\"2.0\",\"method\":\"exit\",\"params\":null}";
    static const char bad[] = "{\"jsonrpc\":\"2.0\",\"method\":\"exit\",\"params\":3}";
    lsp_msg m;
    TC_CHECK_EQ_INT(lsp_msg_parse(shut, sizeof shut - 1, &m), TC_OK);
    TC_CHECK_EQ_INT(m.kind, LSP_MSG_REQUEST);
    TC_CHECK(m.params == NULL);
    lsp_msg_clear(&m);
    TC_CHECK_EQ_INT(lsp_msg_parse(ex, sizeof ex - 1, &m), TC_OK);
    TC_CHECK_EQ_INT(m.kind, LSP_MSG_NOTIFICATION);
    TC_CHECK_STR(m.method, "exit");
    lsp_msg_clear(&m);
    TC_CHECK_EQ_INT(lsp_msg_parse(bad, sizeof bad - 1, &m), TC_OK);
    TC_CHECK_EQ_INT(m.kind, LSP_MSG_INVALID);
    lsp_msg_clear(&m);
}

TC_TEST(lsp_utf8_sanitize)
{
    tc_buf b = {0};
    TC_CHECK(lsp_utf8_valid("h\xc3\xa9 \xf0\x9f\x98\x80", 8));
    TC_CHECK(!lsp_utf8_valid("\xc3", 1));
    TC_CHECK(!lsp_utf8_valid("\xed\xa0\x80", 3)); /* a surrogate */
    TC_CHECK(!lsp_utf8_valid("\xc0\xaf", 2));     /* overlong */
    TC_CHECK(lsp_utf8_sanitize("a\xff" "b\xc3", 4, &b) == TC_OK);
    TC_CHECK_STR(b.data, "a\xef\xbf\xbd" "b\xef\xbf\xbd");
    tc_buf_free(&b);
}

TC_TEST(lsp_uris)
{
    char *p;
    p = lsp_uri_to_relpath("file:///ws/src/a%20b.py", "/ws", NULL);
    TC_CHECK_STR(p, "src/a b.py");
    free(p);
    p = lsp_uri_to_relpath("file:///ws/src/../x/./y.c", "/ws", NULL);
    TC_CHECK_STR(p, "x/y.c");
    free(p);
    p = lsp_uri_to_relpath("file:///elsewhere/z.go", "/ws", NULL);
    TC_CHECK_STR(p, "@outside/elsewhere/z.go");
    free(p);
    p = lsp_uri_to_relpath("untitled:Untitled-1", "/ws", "python");
    TC_CHECK_STR(p, "@untitled/Untitled-1.py");
    free(p);
    p = lsp_uri_to_relpath("file:///ws/a%00b", "/ws", "c");
    TC_CHECK(p != NULL && strncmp(p, "@file/", 6) == 0);
    free(p);
    TC_CHECK(lsp_uri_to_path("file:///../etc") == NULL);
    TC_CHECK(lsp_uri_to_path("file://host/x") == NULL);
    TC_CHECK(lsp_uri_to_path("file:///a%2") == NULL);
    p = lsp_uri_to_path("file://localhost/a/b");
    TC_CHECK_STR(p, "/a/b");
    free(p);
}

/* ---- the server as a child process ------------------------------------------------- */

typedef struct srv {
    pid_t pid;
    int in, out, err_fd;   /* in: its stdin (ours to write), -1 once closed */
    tc_buf rbuf;           /* bytes read from its stdout, not yet parsed */
    char err_path[512];
    int exited, status;
} srv;

static double ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static const char *server_bin(void)
{
    const char *b = getenv("TACIT_TEST_BIN");
    return b && *b ? b : "build/dbg/tacit";
}

static int srv_start(srv *s, const char *dir, char **extra, int nextra)
{
    int pin[2], pout[2];
    char *argv[32], cache[600];
    int i, n = 0;
    memset(s, 0, sizeof *s);
    snprintf(s->err_path, sizeof s->err_path, "%s/stderr.txt", dir);
    snprintf(cache, sizeof cache, "%s/cache", dir);
    if (pipe(pin) || pipe(pout)) return -1;
    argv[n++] = (char *)server_bin();
    argv[n++] = "lsp";
    for (i = 0; i < nextra && n < 30; i++) argv[n++] = extra[i];
    argv[n] = NULL;
    s->pid = fork();
    if (s->pid < 0) return -1;
    if (s->pid == 0) {
        int e = open(s->err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(pin[0], 0);
        dup2(pout[1], 1);
        if (e >= 0) dup2(e, 2);
        close(pin[1]);
        close(pout[0]);
        setenv("TACIT_CACHE_DIR", cache, 1);
        setenv("XDG_STATE_HOME", dir, 1); /* the outcomes store (stats/stats.h) */
        execv(argv[0], argv);
        _exit(127);
    }
    close(pin[0]);
    close(pout[1]);
    s->in = pin[1];
    s->out = pout[0];
    fcntl(s->in, F_SETFL, O_NONBLOCK);
    return 0;
}

/* Read what the server wrote, waiting up to ms. 0 data, 1 timeout, -1 EOF. */
static int srv_pump(srv *s, int ms)
{
    struct pollfd p = {s->out, POLLIN, 0};
    char tmp[65536];
    ssize_t k;
    if (poll(&p, 1, ms) <= 0) return 1;
    k = read(s->out, tmp, sizeof tmp);
    if (k <= 0) return -1;
    tc_buf_append(&s->rbuf, tmp, (size_t)k);
    return 0;
}

/* Write all of p, reading the server's output meanwhile (so neither side
 * blocks on a full pipe). 0, or -1 if the server stopped reading. */
static int srv_write(srv *s, const char *p, size_t n)
{
    double t0 = ms_now();
    while (n) {
        struct pollfd fds[2] = {{s->in, POLLOUT, 0}, {s->out, POLLIN, 0}};
        if (s->in < 0 || ms_now() - t0 > 60000) return -1;
        if (poll(fds, 2, 1000) < 0 && errno != EINTR) return -1;
        if (fds[1].revents) srv_pump(s, 0);
        if (fds[0].revents & (POLLERR | POLLHUP)) return -1;
        if (fds[0].revents & POLLOUT) {
            ssize_t k = write(s->in, p, n);
            if (k < 0 && errno != EAGAIN && errno != EINTR) return -1;
            if (k > 0) {
                p += k;
                n -= (size_t)k;
            }
        }
    }
    return 0;
}

static int srv_send(srv *s, const char *json)
{
    char hdr[64];
    int hl = snprintf(hdr, sizeof hdr, "Content-Length: %zu\r\n\r\n", strlen(json));
    return srv_write(s, hdr, (size_t)hl) || srv_write(s, json, strlen(json)) ? -1 : 0;
}

static void srv_close_input(srv *s)
{
    if (s->in >= 0) close(s->in);
    s->in = -1;
}

/* The next message (caller deletes), or NULL after ms or at EOF. */
static cJSON *srv_recv(srv *s, int ms)
{
    double t0 = ms_now();
    for (;;) {
        char *hend = s->rbuf.data ? strstr(s->rbuf.data, "\r\n\r\n") : NULL;
        if (hend) {
            size_t clen = strtoul(s->rbuf.data + 15, NULL, 10), hl = (size_t)(hend + 4 - s->rbuf.data);
            if (strncmp(s->rbuf.data, "Content-Length:", 15) != 0) return NULL;
            if (s->rbuf.len >= hl + clen) {
                cJSON *m = cJSON_ParseWithLength(s->rbuf.data + hl, clen);
                memmove(s->rbuf.data, s->rbuf.data + hl + clen, s->rbuf.len - hl - clen);
                s->rbuf.len -= hl + clen;
                s->rbuf.data[s->rbuf.len] = 0;
                return m ? m : cJSON_CreateString("<unparsable message>");
            }
        }
        {
            double left = ms - (ms_now() - t0);
            if (left <= 0 || srv_pump(s, (int)left) < 0) return NULL;
        }
    }
}

/* Wait for the exit; returns the exit status, 128+signal, or -1 (killed
 * after the timeout). */
static int srv_wait(srv *s, int ms)
{
    double t0 = ms_now();
    int st;
    srv_close_input(s);
    for (;;) {
        pid_t r = waitpid(s->pid, &st, WNOHANG);
        if (r == s->pid) break;
        if (ms_now() - t0 > ms) {
            kill(s->pid, SIGKILL);
            waitpid(s->pid, &st, 0);
            close(s->out);
            tc_buf_free(&s->rbuf);
            return -1;
        }
        srv_pump(s, 20); /* keep draining its output */
    }
    close(s->out);
    tc_buf_free(&s->rbuf);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* 1 if the server's stderr holds a sanitizer report (printed). */
static int srv_stderr_bad(const srv *s)
{
    FILE *f = fopen(s->err_path, "r");
    char line[1024];
    int bad = 0;
    if (!f) return 0;
    while (fgets(line, sizeof line, f))
        if (strstr(line, "Sanitizer") || strstr(line, "runtime error:") || strstr(line, "SUMMARY:")) bad = 1;
    if (bad) {
        rewind(f);
        while (fgets(line, sizeof line, f)) fprintf(stderr, "    | %s", line);
    }
    fclose(f);
    return bad;
}

/* ---- matching -------------------------------------------------------------------- */

static int match(const cJSON *pat, const cJSON *v)
{
    const cJSON *c;
    if (cJSON_IsString(pat)) {
        const char *p = pat->valuestring;
        if (strcmp(p, "*") == 0) return v != NULL;
        if (!cJSON_IsString(v)) return 0;
        if (p[0] == '~') return strstr(v->valuestring, p + 1) != NULL;
        return strcmp(p, v->valuestring) == 0;
    }
    if (!v) return 0;
    if (cJSON_IsNumber(pat)) return cJSON_IsNumber(v) && pat->valuedouble == v->valuedouble;
    if (cJSON_IsBool(pat)) return cJSON_IsBool(v) && cJSON_IsTrue(pat) == cJSON_IsTrue(v);
    if (cJSON_IsNull(pat)) return cJSON_IsNull(v);
    if (cJSON_IsArray(pat)) {
        const cJSON *e = v->child;
        if (!cJSON_IsArray(v) || cJSON_GetArraySize(pat) != cJSON_GetArraySize(v)) return 0;
        cJSON_ArrayForEach(c, pat) {
            if (!match(c, e)) return 0;
            e = e->next;
        }
        return 1;
    }
    if (cJSON_IsObject(pat)) {
        if (!cJSON_IsObject(v)) return 0;
        cJSON_ArrayForEach(c, pat) {
            const cJSON *x = cJSON_GetObjectItemCaseSensitive(v, c->string);
            if (cJSON_IsString(c) && strcmp(c->valuestring, "<absent>") == 0) {
                if (x) return 0;
            } else if (!match(c, x)) {
                return 0;
            }
        }
        return 1;
    }
    return 0;
}

static int is_response(const cJSON *m)
{
    return cJSON_GetObjectItemCaseSensitive(m, "id") && !cJSON_GetObjectItemCaseSensitive(m, "method");
}

/* Read until a message matches pat. 0, or -1 (reported). */
static int expect(srv *s, const cJSON *pat, const char *where)
{
    double t0 = ms_now();
    char msg[1024];
    for (;;) {
        int left = WAIT_MS - (int)(ms_now() - t0);
        cJSON *m = left > 0 ? srv_recv(s, left) : NULL;
        char *txt;
        if (!m) {
            char *p = cJSON_PrintUnformatted(pat);
            snprintf(msg, sizeof msg, "%s: no message matching %.400s", where, p);
            free(p);
            tc_test_fail(__FILE__, __LINE__, msg);
            return -1;
        }
        if (match(pat, m)) {
            cJSON_Delete(m);
            return 0;
        }
        if (is_response(m)) {
            char *p = cJSON_PrintUnformatted(pat);
            txt = cJSON_PrintUnformatted(m);
            snprintf(msg, sizeof msg, "%s: expected %.300s, got %.500s", where, p, txt);
            free(p);
            free(txt);
            cJSON_Delete(m);
            tc_test_fail(__FILE__, __LINE__, msg);
            return -1;
        }
        cJSON_Delete(m);
    }
}

/* ---- transcripts ------------------------------------------------------------------ */

/* Replace ${ROOT} in line by root. */
static int fake_port; /* of the transcript's fake model server */

static void subst(const char *line, const char *root, tc_buf *out)
{
    const char *p = line, *h, *k;
    char port[16];
    snprintf(port, sizeof port, "%d", fake_port);
    out->len = 0;
    tc_buf_puts(out, "");
    for (;;) {
        h = strstr(p, "${ROOT}");
        k = strstr(p, "${PORT}");
        if (k && (!h || k < h)) h = k;
        if (!h) break;
        tc_buf_append(out, p, (size_t)(h - p));
        tc_buf_puts(out, h == k ? port : root);
        p = h + 7;
    }
    tc_buf_puts(out, p);
}

/* "% fake PATH STATUS DELAY MODE [BODY]" into r (strings owned by the
 * caller's copy of the line). 0 or -1. */
static int parse_fake(char *spec, fake_route *fr)
{
    fake_resp *r = &fr->resp;
    char *path = strtok(spec, " "), *status = strtok(NULL, " "), *delay = strtok(NULL, " "),
         *mode = strtok(NULL, " "), *body = strtok(NULL, "");
    if (!path || !status || !delay || !mode) return -1;
    memset(fr, 0, sizeof *fr);
    fr->path = path;
    r->status = atoi(status);
    r->delay_ms = atoi(delay);
    r->mode = !strcmp(mode, "hang") ? FAKE_HANG : !strcmp(mode, "cut") ? FAKE_CUT : FAKE_NORMAL;
    r->body = body ? body : "";
    r->ctype = "application/json";
    return 0;
}

static void unescape(const char *s, tc_buf *out)
{
    out->len = 0;
    tc_buf_puts(out, "");
    for (; *s; s++) {
        char c = *s;
        if (c == '\\' && s[1]) {
            s++;
            if (*s == 'n') c = '\n';
            else if (*s == 'r') c = '\r';
            else if (*s == 't') c = '\t';
            else if (*s == 'x' && s[1] && s[2]) {
                char hex[3] = {s[1], s[2], 0};
                c = (char)strtol(hex, NULL, 16);
                s += 2;
            } else c = *s;
        }
        tc_buf_append(out, &c, 1);
    }
}

static int write_file(const char *root, const char *rel, const char *text)
{
    char path[1024], *slash;
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", root, rel);
    for (slash = path + strlen(root) + 1; (slash = strchr(slash, '/')) != NULL; slash++) {
        *slash = 0;
        mkdir(path, 0755);
        *slash = '/';
    }
    if (!(f = fopen(path, "wb"))) return -1;
    fputs(text, f);
    fclose(f);
    return 0;
}

/* Send json and wait for its response (same id); the caller deletes it. */
static cJSON *roundtrip(srv *s, const char *json)
{
    cJSON *req = cJSON_Parse(json), *id = cJSON_GetObjectItemCaseSensitive(req, "id");
    double t0 = ms_now();
    cJSON *m = NULL;
    if (srv_send(s, json)) goto out;
    while (ms_now() - t0 < WAIT_MS) {
        m = srv_recv(s, WAIT_MS);
        if (!m) break;
        if (is_response(m) && id && cJSON_Compare(cJSON_GetObjectItemCaseSensitive(m, "id"), id, 1)) break;
        cJSON_Delete(m);
        m = NULL;
    }
out:
    cJSON_Delete(req);
    return m;
}

static void run_transcript(const char *path, const char *dir)
{
    FILE *f = fopen(path, "r");
    char line[1 << 16], where[600], root[560], *extra[16], *argbuf = NULL;
    tc_buf l = {0}, raw = {0}, batch = {0};
    cJSON *until = NULL;
    int nextra = 0, want_exit = -2, lineno = 0, started = 0, failed = 0, rc;
    fake_route routes[8];
    char *route_lines[8];
    size_t nroutes = 0, k;
    fake_http *fake = NULL;
    srv s;
    memset(&s, 0, sizeof s);
    fake_port = 0;
    if (!f) {
        tc_test_fail(__FILE__, __LINE__, path);
        return;
    }
    snprintf(root, sizeof root, "%s/ws", dir);
    mkdir(dir, 0755);
    mkdir(root, 0755);
    /* pass 1: options and files */
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        subst(line, root, &l);
        if (strncmp(l.data, "% args ", 7) == 0 && !argbuf) {
            char *tok = strtok(argbuf = strdup(l.data + 7), " ");
            while (tok && nextra < 15) {
                extra[nextra++] = tok;
                tok = strtok(NULL, " ");
            }
        } else if (strncmp(l.data, "% write ", 8) == 0) {
            char *sp = strchr(l.data + 8, ' ');
            if (sp) {
                *sp = 0;
                unescape(sp + 1, &raw);
                write_file(root, l.data + 8, raw.data);
            }
        } else if (strncmp(l.data, "% exit ", 7) == 0) {
            want_exit = atoi(l.data + 7);
        } else if (strncmp(l.data, "% fake ", 7) == 0 && nroutes < 8) {
            route_lines[nroutes] = strdup(l.data + 7);
            if (!route_lines[nroutes] || parse_fake(route_lines[nroutes], &routes[nroutes])) {
                free(route_lines[nroutes]);
                tc_test_fail(__FILE__, __LINE__, "bad % fake line");
                continue;
            }
            nroutes++;
        }
    }
    if (nroutes) {
        if (!(fake = fake_http_start_routes(routes, nroutes))) {
            tc_test_fail(__FILE__, __LINE__, "cannot start the fake model server");
            goto out;
        }
        fake_port = fake_http_port(fake);
    }
    rewind(f);
    if (srv_start(&s, dir, extra, nextra)) {
        tc_test_fail(__FILE__, __LINE__, "cannot start the server");
        goto out;
    }
    started = 1;
    batch.len = 0;
    while (!failed && fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\n")] = 0;
        subst(line, root, &l);
        snprintf(where, sizeof where, "%s:%d", path, lineno);
        if (strncmp(l.data, ">> ", 3) == 0 && !until) {
            char hdr[64];
            snprintf(hdr, sizeof hdr, "Content-Length: %zu\r\n\r\n", l.len - 3);
            tc_buf_puts(&batch, hdr);
            tc_buf_puts(&batch, l.data + 3);
            continue;
        }
        if (batch.len) {
            if (srv_write(&s, batch.data, batch.len)) {
                tc_test_fail(__FILE__, __LINE__, where);
                failed = 1;
            }
            batch.len = 0;
        }
        if (!l.len || l.data[0] == '#') continue;
        if (strncmp(l.data, ">> ", 3) == 0) { /* under % until */
            double t0 = ms_now();
            int ok = 0;
            while (!ok && ms_now() - t0 < WAIT_MS) {
                cJSON *m = roundtrip(&s, l.data + 3);
                ok = m && match(until, m);
                cJSON_Delete(m);
                if (!ok) usleep(100 * 1000);
            }
            if (!ok) {
                char msg[700];
                snprintf(msg, sizeof msg, "%s: the response never matched", where);
                tc_test_fail(__FILE__, __LINE__, msg);
                failed = 1;
            }
            cJSON_Delete(until);
            until = NULL;
        } else if (strncmp(l.data, ">>raw ", 6) == 0) {
            unescape(l.data + 6, &raw);
            if (srv_write(&s, raw.data, raw.len)) failed = 1;
        } else if (strcmp(l.data, ">>close") == 0) {
            srv_close_input(&s);
        } else if (strncmp(l.data, "<< ", 3) == 0) {
            cJSON *pat = cJSON_Parse(l.data + 3);
            if (!pat) {
                tc_test_fail(__FILE__, __LINE__, where);
                failed = 1;
            } else {
                failed = expect(&s, pat, where) != 0;
            }
            cJSON_Delete(pat);
        } else if (strncmp(l.data, "% until ", 8) == 0) {
            until = cJSON_Parse(l.data + 8);
            if (!until) {
                tc_test_fail(__FILE__, __LINE__, where);
                failed = 1;
            }
        } else if (strncmp(l.data, "% sleep ", 8) == 0) {
            usleep((useconds_t)atoi(l.data + 8) * 1000);
        } else if (strcmp(l.data, "% gone") == 0) {
            double t0 = ms_now();
            while (fake && !fake_http_client_gone(fake) && ms_now() - t0 < WAIT_MS) usleep(10 * 1000);
            if (!fake || !fake_http_client_gone(fake)) {
                char msg[700];
                snprintf(msg, sizeof msg, "%s: no request was aborted on the wire", where);
                tc_test_fail(__FILE__, __LINE__, msg);
                failed = 1;
            }
        } else if (l.data[0] != '%') {
            char msg[700];
            snprintf(msg, sizeof msg, "%s: unknown directive", where);
            tc_test_fail(__FILE__, __LINE__, msg);
            failed = 1;
        }
    }
    if (batch.len && srv_write(&s, batch.data, batch.len)) failed = 1;
out:
    if (started) {
        rc = srv_wait(&s, WAIT_MS);
        if (rc == -1 || rc >= 128 || (want_exit == -2 ? rc > 1 : rc != want_exit)) {
            char msg[700];
            snprintf(msg, sizeof msg, "%s: exit status %d (want %d)", path, rc, want_exit == -2 ? 1 : want_exit);
            tc_test_fail(__FILE__, __LINE__, msg);
        }
        if (srv_stderr_bad(&s)) tc_test_fail(__FILE__, __LINE__, path);
    }
    fake_http_stop(fake);
    for (k = 0; k < nroutes; k++) free(route_lines[k]);
    free(argbuf);
    cJSON_Delete(until);
    tc_buf_free(&l);
    tc_buf_free(&raw);
    tc_buf_free(&batch);
    fclose(f);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

TC_TEST(lsp_transcripts)
{
    DIR *d = opendir("tests/lsp");
    struct dirent *e;
    char *names[256];
    size_t n = 0, i;
    double t0;
    const char *only = getenv("TACIT_LSP_TEST");
    TC_CHECK(d != NULL);
    if (!d) return;
    while ((e = readdir(d)) != NULL && n < 256) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".test") == 0 && (!only || strstr(e->d_name, only)))
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    TC_CHECK(only || n >= 10);
    for (i = 0; i < n; i++) {
        char path[600], dir[600];
        snprintf(path, sizeof path, "tests/lsp/%s", names[i]);
        snprintf(dir, sizeof dir, "%s/%s", tc_test_tmpdir(), names[i]);
        t0 = ms_now();
        run_transcript(path, dir);
        if (ms_now() - t0 > 5000) fprintf(stderr, "  (%s took %.1f s)\n", names[i], (ms_now() - t0) / 1e3);
        free(names[i]);
    }
}

/* ---- reliability ------------------------------------------------------------------ */

#define INIT_MSG                                                                                   \
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"capabilities\":{}," \
    "\"rootUri\":null}}"

static int start_initialized(srv *s, const char *name)
{
    char dir[600];
    cJSON *m;
    snprintf(dir, sizeof dir, "%s/%s", tc_test_tmpdir(), name);
    mkdir(dir, 0755);
    if (srv_start(s, dir, NULL, 0)) return -1;
    m = roundtrip(s, INIT_MSG);
    if (!m) return -1;
    cJSON_Delete(m);
    return srv_send(s, "{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}");
}

/* Peak resident memory of the server, in MiB (0 if unknown). */
static long srv_peak_mib(const srv *s)
{
    char path[64], line[256];
    FILE *f;
    long kb = 0;
    snprintf(path, sizeof path, "/proc/%d/status", (int)s->pid);
    if (!(f = fopen(path, "r"))) return 0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0) kb = atol(line + 6);
    fclose(f);
    return kb / 1024;
}

static int finish(srv *s)
{
    cJSON *m = roundtrip(s, "{\"jsonrpc\":\"2.0\",\"id\":999,\"method\":\"shutdown\"}");
    int rc;
    TC_CHECK(m && cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(m, "result")));
    cJSON_Delete(m);
    srv_send(s, "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}");
    rc = srv_wait(s, WAIT_MS);
    TC_CHECK(!srv_stderr_bad(s));
    return rc;
}

/* A didOpen of `size` bytes of text (a valid message, sent for real). */
static void send_big_open(srv *s, size_t size)
{
    static const char pre[] = "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":"
                              "{\"uri\":\"file:///big.py\",\"languageId\":\"python\",\"version\":1,\"text\":\"";
    static const char post[] = "\"}}}";
    size_t n = sizeof pre - 1 + size + sizeof post - 1, i;
    char *body = malloc(n + 1), hdr[64];
    int hl;
    if (!body) return;
    memcpy(body, pre, sizeof pre - 1);
    for (i = 0; i < size; i++) body[sizeof pre - 1 + i] = (i % 40 == 39) ? ' ' : (char)('a' + i % 26);
    memcpy(body + sizeof pre - 1 + size, post, sizeof post);
    hl = snprintf(hdr, sizeof hdr, "Content-Length: %zu\r\n\r\n", n);
    srv_write(s, hdr, (size_t)hl);
    srv_write(s, body, n);
    free(body);
}

TC_TEST(lsp_big_documents)
{
    srv s;
    cJSON *m, *pat;
    long peak;
    TC_CHECK(start_initialized(&s, "big") == 0);
    /* 50 MB: over the message limit, skipped as it streams in */
    send_big_open(&s, 50u << 20);
    pat = cJSON_Parse("{\"method\":\"window/logMessage\",\"params\":{\"message\":\"~over the limit\"}}");
    TC_CHECK(expect(&s, pat, "50 MB didOpen") == 0);
    cJSON_Delete(pat);
    /* 20 MB: a valid message, refused by maxFileSize (16 MiB) */
    send_big_open(&s, 20u << 20);
    pat = cJSON_Parse("{\"method\":\"window/logMessage\",\"params\":{\"message\":\"~over maxFileSize\"}}");
    TC_CHECK(expect(&s, pat, "20 MB didOpen") == 0);
    cJSON_Delete(pat);
    m = roundtrip(&s, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"textDocument/inlineCompletion\",\"params\":{"
                      "\"textDocument\":{\"uri\":\"file:///big.py\"},\"position\":{\"line\":0,\"character\":5}}}");
    pat = cJSON_Parse("{\"id\":2,\"result\":{\"items\":[]}}");
    TC_CHECK(m && match(pat, m));
    cJSON_Delete(pat);
    cJSON_Delete(m);
    peak = srv_peak_mib(&s);
    if (peak > 400) fprintf(stderr, "  big documents: server peak RSS %ld MiB\n", peak);
    TC_CHECK(peak < 400); /* the 20 MB one is parsed once; the 50 MB one never held */
    TC_CHECK_EQ_INT(finish(&s), 0);
}

TC_TEST(lsp_change_flood)
{
    srv s;
    tc_buf batch = {0}, want = {0};
    cJSON *m, *pat;
    int i;
    double t0;
    TC_CHECK(start_initialized(&s, "flood") == 0);
    srv_send(&s, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":"
                 "\"file:///f.py\",\"languageId\":\"python\",\"version\":1,\"text\":\"x = 1\\n\"}}}");
    tc_buf_puts(&want, "x = 1\n");
    /* 10,000 edits in one stream: each types one character at the end of
     * line 1, with a suggestion request after every 10th */
    t0 = ms_now();
    for (i = 0; i < 10000; i++) {
        char msg[512], hdr[64];
        char ch = (char)('a' + i % 26);
        int line = 1 + i / 100, col = i % 100, n;
        if (col == 0 && i) {
            /* a new line */
            n = snprintf(msg, sizeof msg,
                         "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":"
                         "{\"uri\":\"file:///f.py\",\"version\":%d},\"contentChanges\":[{\"range\":{\"start\":"
                         "{\"line\":%d,\"character\":100},\"end\":{\"line\":%d,\"character\":100}},\"text\":\"\\n\"}]}}",
                         i + 1, line - 1, line - 1);
            snprintf(hdr, sizeof hdr, "Content-Length: %d\r\n\r\n", n);
            tc_buf_puts(&batch, hdr);
            tc_buf_puts(&batch, msg);
            tc_buf_puts(&want, "\n");
        }
        n = snprintf(msg, sizeof msg,
                     "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":"
                     "{\"uri\":\"file:///f.py\",\"version\":%d},\"contentChanges\":[{\"range\":{\"start\":"
                     "{\"line\":%d,\"character\":%d},\"end\":{\"line\":%d,\"character\":%d}},\"text\":\"%c\"}]}}",
                     i + 2, line, col, line, col, ch);
        snprintf(hdr, sizeof hdr, "Content-Length: %d\r\n\r\n", n);
        tc_buf_puts(&batch, hdr);
        tc_buf_puts(&batch, msg);
        tc_buf_append(&want, &ch, 1);
        if (i % 10 == 9) {
            n = snprintf(msg, sizeof msg,
                         "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"textDocument/inlineCompletion\",\"params\":{"
                         "\"textDocument\":{\"uri\":\"file:///f.py\"},\"position\":{\"line\":%d,\"character\":%d}}}",
                         100 + i, line, col + 1);
            snprintf(hdr, sizeof hdr, "Content-Length: %d\r\n\r\n", n);
            tc_buf_puts(&batch, hdr);
            tc_buf_puts(&batch, msg);
        }
    }
    TC_CHECK(srv_write(&s, batch.data, batch.len) == 0);
    m = roundtrip(&s, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tacit/document\",\"params\":{\"textDocument\":"
                      "{\"uri\":\"file:///f.py\"}}}");
    TC_CHECK(m != NULL);
    if (m) {
        const cJSON *text = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(m, "result"), "text");
        TC_CHECK(cJSON_IsString(text) && strcmp(text->valuestring, want.data) == 0);
    }
    cJSON_Delete(m);
    /* most of the requests were overtaken by the next edit */
    m = roundtrip(&s, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tacit/stats\"}");
    pat = cJSON_Parse("{\"result\":{\"stale\":\"*\"}}");
    TC_CHECK(m && match(pat, m));
    if (m) {
        double stale = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(m, "result"), "stale")
                           ->valuedouble;
        TC_CHECK(stale >= 500);
    }
    cJSON_Delete(pat);
    cJSON_Delete(m);
    if (ms_now() - t0 > 30000) fprintf(stderr, "  change flood took %.0f ms\n", ms_now() - t0);
    TC_CHECK(ms_now() - t0 < 60000);
    TC_CHECK_EQ_INT(finish(&s), 0);
    tc_buf_free(&batch);
    tc_buf_free(&want);
}

TC_TEST(lsp_input_closed_mid_message)
{
    static const char *cuts[] = {
        "Content-Len",
        "Content-Length: 100\r\n",
        "Content-Length: 100\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"shut",
    };
    size_t i;
    for (i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        srv s;
        char name[32];
        snprintf(name, sizeof name, "cut%zu", i);
        TC_CHECK(start_initialized(&s, name) == 0);
        srv_write(&s, cuts[i], strlen(cuts[i]));
        TC_CHECK_EQ_INT(srv_wait(&s, 5000), 1); /* no shutdown: 1, promptly */
        TC_CHECK(!srv_stderr_bad(&s));
    }
}

TC_TEST(lsp_output_closed)
{
    /* the client goes away without reading: the server ends, no SIGPIPE */
    srv s;
    int rc;
    TC_CHECK(start_initialized(&s, "outclosed") == 0);
    close(s.out);
    s.out = open("/dev/null", O_RDONLY);
    srv_send(&s, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tacit/stats\"}");
    rc = srv_wait(&s, WAIT_MS);
    TC_CHECK(rc == 0 || rc == 1);
    TC_CHECK(!srv_stderr_bad(&s));
}

TC_TEST(lsp_exit_while_indexing)
{
    /* /usr takes minutes to index: exit must not wait for it */
    srv s;
    char dir[600];
    cJSON *m;
    double t0;
    int rc;
    snprintf(dir, sizeof dir, "%s/exitidx", tc_test_tmpdir());
    mkdir(dir, 0755);
    TC_CHECK(srv_start(&s, dir, NULL, 0) == 0);
    m = roundtrip(&s, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"rootUri\":\"file:///usr\","
                      "\"capabilities\":{}}}");
    TC_CHECK(m != NULL);
    cJSON_Delete(m);
    usleep(500 * 1000);
    t0 = ms_now();
    rc = finish(&s);
    TC_CHECK_EQ_INT(rc, 0);
    TC_CHECK(ms_now() - t0 < 8000);
}
