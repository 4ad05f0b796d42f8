/* lsp_bench.c - an editor's view of `tacit lsp`: time to the first answer
 * and keystroke latency while retyping real code.
 *
 * usage: lsp_bench [--bin TACIT] [--root DIR] [--file PATH] [--keys N]
 *                  [--line L] [--cache DIR] [--pace MS] [--notify]
 * Starts `TACIT lsp` on the workspace DIR (default /usr/lib/python3.11)
 * with TACIT_CACHE_DIR set to a fresh folder (default: a new temporary
 * one, so the first answer comes before any index exists), then:
 *   1. initialize; didOpen PATH with N characters removed from line L on;
 *      an inline completion request at once: "first answer" is the time
 *      from sending initialize to its reply, and whether indexing was
 *      still running then;
 *   2. waits for the workspace engine (tacit/stats), reporting the time;
 *   3. retypes the N characters one keystroke at a time: an incremental
 *      didChange and an inlineCompletion request for each, the next one
 *      sent when the reply came (plus --pace ms, default 0). Latency is
 *      from sending the didChange to the reply;
 *   --notify declares experimental.tacit.suggestionUpdated (a model
 *   server's answer comes later as a notification; every reply is the
 *   embedded one, at once), else replies wait for a configured server.
 *   4. reports p50/p90/p99/max, how often a suggestion was shown and how
 *      often it was right (a prefix of the rest of the line), and the
 *      server's peak RSS (VmHWM).
 * Exit status 0, or 1 if the server misbehaved.
 */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
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

typedef struct srv {
    pid_t pid;
    int in, out;
    char *buf; /* unparsed output */
    size_t len, cap;
} srv;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static void die(const char *what)
{
    fprintf(stderr, "lsp_bench: %s\n", what);
    exit(1);
}

static void start(srv *s, const char *bin, const char *cache)
{
    int pin[2], pout[2];
    if (pipe(pin) || pipe(pout)) die("pipe");
    s->pid = fork();
    if (s->pid < 0) die("fork");
    if (s->pid == 0) {
        dup2(pin[0], 0);
        dup2(pout[1], 1);
        close(pin[1]);
        close(pout[0]);
        setenv("TACIT_CACHE_DIR", cache, 1);
        execl(bin, bin, "lsp", (char *)NULL);
        _exit(127);
    }
    close(pin[0]);
    close(pout[1]);
    s->in = pin[1];
    s->out = pout[0];
}

static void send_json(srv *s, const char *json)
{
    char hdr[64];
    size_t n = strlen(json);
    int hl = snprintf(hdr, sizeof hdr, "Content-Length: %zu\r\n\r\n", n);
    if (write(s->in, hdr, (size_t)hl) != hl || write(s->in, json, n) != (ssize_t)n) die("write to the server");
}

static void send_obj(srv *s, cJSON *o)
{
    char *t = cJSON_PrintUnformatted(o);
    send_json(s, t);
    free(t);
    cJSON_Delete(o);
}

/* Next message, or NULL after timeout_ms. */
static cJSON *recv_msg(srv *s, int timeout_ms)
{
    double t0 = now_ms();
    for (;;) {
        char *h = s->buf ? memmem(s->buf, s->len, "\r\n\r\n", 4) : NULL;
        if (h) {
            size_t hl = (size_t)(h + 4 - s->buf), cl = strtoul(s->buf + 15, NULL, 10);
            if (s->len >= hl + cl) {
                cJSON *m = cJSON_ParseWithLength(s->buf + hl, cl);
                memmove(s->buf, s->buf + hl + cl, s->len - hl - cl);
                s->len -= hl + cl;
                if (!m) die("unparsable reply");
                return m;
            }
        }
        {
            struct pollfd p = {s->out, POLLIN, 0};
            int left = timeout_ms - (int)(now_ms() - t0);
            ssize_t k;
            if (left <= 0 || poll(&p, 1, left) <= 0) return NULL;
            if (s->len + 65536 > s->cap) {
                s->cap = (s->len + 65536) * 2;
                s->buf = realloc(s->buf, s->cap);
                if (!s->buf) die("out of memory");
            }
            k = read(s->out, s->buf + s->len, 65536);
            if (k <= 0) die("the server closed its output");
            s->len += (size_t)k;
        }
    }
}

/* The reply to request id (other messages skipped). */
static cJSON *await(srv *s, int id, int timeout_ms)
{
    double t0 = now_ms();
    while (now_ms() - t0 < timeout_ms) {
        cJSON *m = recv_msg(s, timeout_ms);
        cJSON *mid;
        if (!m) break;
        mid = cJSON_GetObjectItemCaseSensitive(m, "id");
        if (cJSON_IsNumber(mid) && mid->valuedouble == id && !cJSON_GetObjectItemCaseSensitive(m, "method"))
            return m;
        cJSON_Delete(m);
    }
    die("no reply in time");
    return NULL;
}

static cJSON *pos(long line, long ch)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddNumberToObject(p, "line", (double)line);
    cJSON_AddNumberToObject(p, "character", (double)ch);
    return p;
}

static cJSON *msg(const char *method, int id)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "jsonrpc", "2.0");
    if (id >= 0) cJSON_AddNumberToObject(o, "id", id);
    cJSON_AddStringToObject(o, "method", method);
    return o;
}

static cJSON *inline_req(int id, const char *uri, long line, long ch)
{
    cJSON *o = msg("textDocument/inlineCompletion", id), *p = cJSON_AddObjectToObject(o, "params");
    cJSON *ctx;
    cJSON_AddObjectToObject(p, "textDocument");
    cJSON_AddStringToObject(cJSON_GetObjectItem(p, "textDocument"), "uri", uri);
    cJSON_AddItemToObject(p, "position", pos(line, ch));
    ctx = cJSON_AddObjectToObject(p, "context");
    cJSON_AddNumberToObject(ctx, "triggerKind", 2);
    return o;
}

static const char *suggestion_of(const cJSON *reply)
{
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(reply, "result"), "items");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(items, 0), "insertText");
    return cJSON_IsString(t) ? t->valuestring : "";
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static long peak_rss_kb(pid_t pid)
{
    char path[64], line[256];
    long kb = 0;
    FILE *f;
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    if (!(f = fopen(path, "r"))) return 0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0) kb = atol(line + 6);
    fclose(f);
    return kb;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *b;
    long n;
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    b = malloc((size_t)n + 1);
    if (!b || fread(b, 1, (size_t)n, f) != (size_t)n) die("read");
    b[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return b;
}

int main(int argc, char **argv)
{
    const char *bin = "build/tacit", *root = "/usr/lib/python3.11", *file = NULL, *cache = NULL;
    long keys = 1000, start_line = 200, pace = 0;
    int notify = 0;
    char uri[4200], tmpl[] = "/tmp/tacit-lsp-bench-XXXXXX", *text, *doc;
    size_t len, cut, i, nlat = 0;
    double *lat, t0, first_ms, index_ms, sum = 0;
    long shown = 0, right = 0, line = 0, col = 0, rss;
    int id = 10, still_indexing, a;
    srv s = {0};
    cJSON *o, *p, *r;
    for (a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--bin") && a + 1 < argc) bin = argv[++a];
        else if (!strcmp(argv[a], "--root") && a + 1 < argc) root = argv[++a];
        else if (!strcmp(argv[a], "--file") && a + 1 < argc) file = argv[++a];
        else if (!strcmp(argv[a], "--keys") && a + 1 < argc) keys = atol(argv[++a]);
        else if (!strcmp(argv[a], "--line") && a + 1 < argc) start_line = atol(argv[++a]);
        else if (!strcmp(argv[a], "--cache") && a + 1 < argc) cache = argv[++a];
        else if (!strcmp(argv[a], "--pace") && a + 1 < argc) pace = atol(argv[++a]);
        else if (!strcmp(argv[a], "--notify")) notify = 1;
        else die("usage: lsp_bench [--bin TACIT] [--root DIR] [--file PATH] [--keys N] [--line L] "
                 "[--cache DIR] [--pace MS] [--notify]");
    }
    signal(SIGPIPE, SIG_IGN);
    if (!file) {
        static char def[4096];
        snprintf(def, sizeof def, "%s/argparse.py", root);
        file = def;
    }
    if (!cache && !(cache = mkdtemp(tmpl))) die("mkdtemp");
    if (!(text = read_file(file, &len))) die("cannot read the file to retype");
    /* the text to retype: keys characters from the start of line start_line */
    for (cut = 0, i = 0; cut < len && i < (size_t)start_line; cut++)
        if (text[cut] == '\n') i++;
    if (cut + (size_t)keys > len) die("the file is too short for --keys from --line");
    for (i = 0; i < cut; i++)
        if (text[i] == '\n') line++;
    doc = malloc(len + 1);
    memcpy(doc, text, cut);
    memcpy(doc + cut, text + cut + keys, len - cut - (size_t)keys + 1);
    snprintf(uri, sizeof uri, "file://%s", file);
    lat = calloc((size_t)keys, sizeof *lat);

    start(&s, bin, cache);
    t0 = now_ms();
    o = msg("initialize", 1);
    p = cJSON_AddObjectToObject(o, "params");
    {
        char ru[4200];
        cJSON *caps = cJSON_AddObjectToObject(p, "capabilities"), *td = cJSON_AddObjectToObject(caps, "textDocument");
        snprintf(ru, sizeof ru, "file://%s", root);
        cJSON_AddStringToObject(p, "rootUri", ru);
        cJSON_AddObjectToObject(td, "inlineCompletion");
        if (notify)
            cJSON_AddTrueToObject(cJSON_AddObjectToObject(cJSON_AddObjectToObject(caps, "experimental"), "tacit"),
                                  "suggestionUpdated");
    }
    send_obj(&s, o);
    cJSON_Delete(await(&s, 1, 60000));
    send_json(&s, "{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}");
    o = msg("textDocument/didOpen", -1);
    p = cJSON_AddObjectToObject(cJSON_AddObjectToObject(o, "params"), "textDocument");
    cJSON_AddStringToObject(p, "uri", uri);
    cJSON_AddStringToObject(p, "languageId", "python");
    cJSON_AddNumberToObject(p, "version", 1);
    cJSON_AddStringToObject(p, "text", doc);
    send_obj(&s, o);
    send_obj(&s, inline_req(2, uri, line, 0));
    cJSON_Delete(await(&s, 2, 60000));
    first_ms = now_ms() - t0;
    send_json(&s, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tacit/stats\"}");
    r = await(&s, 3, 60000);
    still_indexing = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r, "result"), "indexing"));
    cJSON_Delete(r);
    /* wait for the workspace engine */
    for (;;) {
        const cJSON *eng;
        int done;
        send_json(&s, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tacit/stats\"}");
        r = await(&s, 4, 60000);
        eng = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r, "result"), "engine");
        done = cJSON_IsString(eng) && !strcmp(eng->valuestring, "workspace");
        cJSON_Delete(r);
        if (done) break;
        if (now_ms() - t0 > 300000) die("indexing did not finish in 5 minutes");
        usleep(20000);
    }
    index_ms = now_ms() - t0;

    for (i = 0; i < (size_t)keys; i++) {
        char ch[2] = {text[cut + i], 0};
        double k0;
        const char *sg;
        cJSON *c, *ch_arr, *rng;
        o = msg("textDocument/didChange", -1);
        p = cJSON_AddObjectToObject(o, "params");
        cJSON_AddStringToObject(cJSON_AddObjectToObject(p, "textDocument"), "uri", uri);
        cJSON_AddNumberToObject(cJSON_GetObjectItem(p, "textDocument"), "version", (double)(i + 2));
        ch_arr = cJSON_AddArrayToObject(p, "contentChanges");
        c = cJSON_CreateObject();
        rng = cJSON_AddObjectToObject(c, "range");
        cJSON_AddItemToObject(rng, "start", pos(line, col));
        cJSON_AddItemToObject(rng, "end", pos(line, col));
        cJSON_AddStringToObject(c, "text", ch);
        cJSON_AddItemToArray(ch_arr, c);
        if (ch[0] == '\n') {
            line++;
            col = 0;
        } else {
            col++; /* the retyped code is ASCII in the default file; UTF-16 = bytes */
        }
        k0 = now_ms();
        send_obj(&s, o);
        send_obj(&s, inline_req(id, uri, line, col));
        r = await(&s, id++, 60000);
        lat[nlat++] = now_ms() - k0;
        sg = suggestion_of(r);
        if (*sg) {
            size_t n = strlen(sg), j;
            shown++;
            for (j = 0; j < n && cut + i + 1 + j < len && text[cut + i + 1 + j] == sg[j]; j++)
                ;
            if (j == n) right++;
        }
        cJSON_Delete(r);
        if (pace) usleep((useconds_t)pace * 1000);
    }
    rss = peak_rss_kb(s.pid);
    send_json(&s, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tacit/stats\"}");
    r = await(&s, 5, 60000);
    {
        char *st = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(r, "result"));
        printf("server stats: %s\n", st);
        free(st);
    }
    cJSON_Delete(r);
    send_json(&s, "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"shutdown\"}");
    cJSON_Delete(await(&s, 6, 60000));
    send_json(&s, "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}");
    close(s.in);
    {
        int st;
        waitpid(s.pid, &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) die("the server did not exit with status 0");
    }
    for (i = 0; i < nlat; i++) sum += lat[i];
    qsort(lat, nlat, sizeof *lat, cmp_d);
    printf("workspace       %s\nretyped         %ld keystrokes of %s from line %ld\n", root, keys, file, start_line + 1);
    printf("first answer    %.1f ms after initialize (indexing %s)\n", first_ms,
           still_indexing ? "still running" : "already done");
    printf("workspace ready %.0f ms after initialize\n", index_ms);
    printf("keystroke->inlineCompletion reply: p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms  mean %.2f ms\n",
           lat[nlat / 2], lat[nlat * 9 / 10], lat[nlat * 99 / 100], lat[nlat - 1], sum / (double)nlat);
    printf("suggestions     shown on %ld of %ld keystrokes (%.0f%%), right (a prefix of the real line) %ld (%.0f%% of "
           "shown)\n",
           shown, keys, 100.0 * shown / keys, right, shown ? 100.0 * right / shown : 0);
    printf("server peak RSS %.1f MiB\n", rss / 1024.0);
    free(lat);
    free(doc);
    free(text);
    free(s.buf);
    return 0;
}
