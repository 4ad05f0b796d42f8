/* daemon.c - the next-command server; see daemon.h. */
#include "shell/daemon.h"

#include "shell/record.h"
#include "shell/store.h"
#include "util/status.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_IDLE_S 3600
#define DEFAULT_LIMIT 20000
#define REQ_MAX 65536
#define REQ_TIMEOUT_MS 1000
#define US '\x1f'
#define RS '\x1e'

int tc_shell_daemon_path(char *buf, size_t n)
{
    const char *e = getenv("TACIT_SHELL_SOCKET"), *db = getenv("TACIT_SHELL_DB");
    const char *x = getenv("XDG_STATE_HOME"), *h = getenv("HOME");
    struct sockaddr_un sa;
    int k;
    if (n > sizeof sa.sun_path) n = sizeof sa.sun_path;
    if (e && *e) k = snprintf(buf, n, "%s", e);
    else if (db && *db) k = snprintf(buf, n, "%s.sock", db);
    else if (x && *x) k = snprintf(buf, n, "%s/tacit/shell.sock", x);
    else if (h && *h) k = snprintf(buf, n, "%s/.local/state/tacit/shell.sock", h);
    else return TC_ENOENT;
    return k < 0 || (size_t)k >= n ? TC_ETOOBIG : TC_OK;
}

static int connect_to(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd;
    if (strlen(path) >= sizeof sa.sun_path) return -1;
    strcpy(sa.sun_path, path);
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) return -1;
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa)) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Write all of p[0..n); 0 or -1. */
static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Read until the terminator (LF for a question, an empty line for an
 * answer) or timeout; 0 when complete. */
static int read_until(int fd, tc_buf *b, int answer, int timeout_ms)
{
    char chunk[4096];
    struct pollfd p = {.fd = fd, .events = POLLIN};
    for (;;) {
        ssize_t r;
        if (b->len && !answer && memchr(b->data, '\n', b->len)) return 0;
        if (answer && ((b->len == 1 && b->data[0] == '\n') ||
                       (b->len >= 2 && !memcmp(b->data + b->len - 2, "\n\n", 2))))
            return 0;
        if (b->len > REQ_MAX * 4) return -1;
        if (poll(&p, 1, timeout_ms) <= 0) return -1;
        r = read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        if (tc_buf_append(b, chunk, (size_t)r)) return -1;
    }
}

int tc_shell_daemon_ask(const char *socket, const tc_shell_ctx *c, size_t k, int timeout_ms, tc_buf *out)
{
    char path[256];
    tc_buf q = {0}, a = {0};
    int fd = -1, rc = TC_ENOENT;
    if (!socket) {
        if (tc_shell_daemon_path(path, sizeof path)) return TC_ENOENT;
        socket = path;
    }
    if ((c->prefix && strchr(c->prefix, '\n')) || (fd = connect_to(socket)) < 0) return TC_ENOENT;
    if (tc_buf_printf(&q, "1%c%zu%c%d%c%d%c%s%c", US, k, US, c->prev_status, US, c->check_paths, US,
                      c->cwd ? c->cwd : "", US))
        goto out;
    for (const char *p = c->prev ? c->prev : ""; *p; p++)
        if (tc_buf_append(&q, *p == '\n' ? " " : p, 1)) goto out;
    if (tc_buf_printf(&q, "%c%s\n", US, c->prefix ? c->prefix : "")) goto out;
    if (write_all(fd, q.data, q.len) || read_until(fd, &a, 1, timeout_ms)) goto out;
    /* Drop the closing empty line. */
    if (tc_buf_append(out, a.data, a.len - 1)) goto out;
    rc = TC_OK;
out:
    if (fd >= 0) close(fd);
    tc_buf_free(&q);
    tc_buf_free(&a);
    return rc;
}

typedef struct server {
    tc_shell_store *store;
    tc_shell_model *model;
    int64_t last_id;
    uint64_t max_entries;
    dev_t dev; /* the store file's identity when opened */
    ino_t ino;
} server;

static int refresh(server *sv, uint64_t limit);

/* (Re)open the store and learn it afresh: at start, and when the file was
 * replaced or deleted under the server (a user removing the history). */
static int server_open(server *sv, uint64_t limit, char *err, size_t errlen)
{
    char path[4096];
    struct stat st;
    tc_shell_store_close(sv->store);
    tc_shell_model_free(sv->model);
    sv->store = NULL;
    sv->model = NULL;
    sv->last_id = 0;
    if (tc_shell_store_open(NULL, sv->max_entries, &sv->store, err, errlen)) return TC_EIO;
    if (tc_shell_store_path(path, sizeof path) == TC_OK && stat(path, &st) == 0) {
        sv->dev = st.st_dev;
        sv->ino = st.st_ino;
    }
    if (tc_shell_model_new(NULL, &sv->model) || refresh(sv, limit)) {
        snprintf(err, errlen, "cannot read the shell store");
        return TC_EIO;
    }
    return TC_OK;
}

static int store_replaced(const server *sv)
{
    char path[4096];
    struct stat st;
    if (tc_shell_store_path(path, sizeof path)) return 0;
    return stat(path, &st) != 0 || st.st_dev != sv->dev || st.st_ino != sv->ino;
}

/* Learn the rows recorded since the last look. */
static int refresh(server *sv, uint64_t limit)
{
    tc_shell_hist h = {0};
    int rc = tc_shell_store_load(sv->store, sv->last_id, sv->last_id ? 0 : limit, &h, &sv->last_id);
    for (size_t i = 0; i < h.n && !rc; i++) rc = tc_shell_model_add(sv->model, &h.v[i]);
    tc_shell_hist_free(&h);
    return rc;
}

/* Split the question in place; 0 when well formed. */
static int parse_question(char *line, tc_shell_ctx *c, size_t *k)
{
    char *f[7];
    int nf = 1;
    f[0] = line;
    for (char *p = line; *p && nf < 7; p++)
        if (*p == US) {
            *p = 0;
            f[nf++] = p + 1;
        }
    if (nf != 7 || strcmp(f[0], "1")) return -1;
    *k = (size_t)strtoul(f[1], NULL, 10);
    if (*k < 1 || *k > 100) return -1;
    c->prev_status = (int)strtol(f[2], NULL, 10);
    c->check_paths = f[3][0] == '1';
    c->cwd = *f[4] ? f[4] : NULL;
    c->prev = *f[5] ? f[5] : NULL;
    c->prefix = f[6];
    return 0;
}

/* A record message: "R" US status US duration_ms US start US session US
 * cwd US ignore US cmd (LF in cmd sent as RS, 0x1e). Filtered and stored
 * as `tacit shell record` does; answered with an empty line. */
static void record(server *sv, int fd, char *line)
{
    char *f[8];
    int nf = 1;
    tc_shell_entry e = {0};
    double start;
    f[0] = line;
    for (char *p = line; *p && nf < 8; p++)
        if (*p == US) {
            *p = 0;
            f[nf++] = p + 1;
        }
    if (nf != 8 || strcmp(f[0], "R")) return;
    for (char *p = f[7]; *p; p++)
        if (*p == RS) *p = '\n';
    e.status = (int32_t)strtol(f[1], NULL, 10);
    e.duration_ms = (int32_t)strtol(f[2], NULL, 10);
    start = strtod(f[3], NULL);
    if (start > 0 && start < 1e11) {
        e.time = (int64_t)start;
        e.start_ms = (int64_t)(start * 1000.0 + 0.5);
    } else
        e.time = (int64_t)time(NULL);
    e.session = strtoll(f[4], NULL, 10);
    e.cwd = *f[5] ? f[5] : NULL;
    e.cmd = f[7];
    if (tc_shell_record(sv->store, &e, f[6], NULL) == TC_OK) write_all(fd, "\n", 1);
}

static void answer(server *sv, int fd, uint64_t limit)
{
    tc_buf q = {0}, a = {0};
    tc_shell_ctx c = {0};
    tc_shell_cands out = {0};
    char root[4096], branch[256];
    size_t k;
    if (read_until(fd, &q, 0, REQ_TIMEOUT_MS)) goto out;
    q.data[strcspn(q.data, "\n")] = 0;
    if (q.data[0] == 'R') {
        record(sv, fd, q.data);
        goto out;
    }
    if (parse_question(q.data, &c, &k)) goto out;
    if (c.cwd && tc_shell_git_info(c.cwd, root, sizeof root, branch, sizeof branch) == TC_OK) c.repo = root;
    if (refresh(sv, limit) || tc_shell_model_suggest(sv->model, &c, k, &out)) goto out;
    for (size_t i = 0; i < out.n; i++)
        if (!strchr(out.v[i].cmd, '\n') && tc_buf_printf(&a, "%s\n", out.v[i].cmd)) goto out;
    if (tc_buf_puts(&a, "\n")) goto out;
    write_all(fd, a.data, a.len);
out:
    tc_shell_cands_free(&out);
    tc_buf_free(&q);
    tc_buf_free(&a);
}

int tc_shell_daemon_run(const tc_shell_daemon_opts *o, char *err, size_t errlen)
{
    char path[256];
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct stat st0, st;
    server sv = {0};
    int fd = -1, rc = TC_EIO, idle = o->idle_s ? o->idle_s : DEFAULT_IDLE_S;
    uint64_t limit = o->limit ? o->limit : DEFAULT_LIMIT;
    time_t last = time(NULL);
    if (o->socket) snprintf(path, sizeof path, "%s", o->socket);
    else if (tc_shell_daemon_path(path, sizeof path)) {
        snprintf(err, errlen, "no socket path (HOME unset, or the path is too long for a socket)");
        return TC_EIO;
    }
    if (strlen(path) >= sizeof sa.sun_path) {
        snprintf(err, errlen, "%s: too long for a socket", path);
        return TC_EIO;
    }
    {
        int c = connect_to(path);
        if (c >= 0) {
            close(c);
            return TC_ECANCEL;
        }
    }
    /* The folder, then a stale socket file replaced. */
    {
        char d[256];
        snprintf(d, sizeof d, "%s", path);
        for (char *p = d + 1; *p; p++)
            if (*p == '/') {
                *p = 0;
                mkdir(d, 0700);
                *p = '/';
            }
    }
    sv.max_entries = o->max_entries;
    if (server_open(&sv, limit, err, errlen)) goto out;
    strcpy(sa.sun_path, path);
    unlink(path);
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
        bind(fd, (struct sockaddr *)&sa, sizeof sa) || chmod(path, 0600) || listen(fd, 16) || stat(path, &st0)) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        goto out;
    }
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r = poll(&p, 1, 1000);
        if (r < 0 && errno != EINTR) break;
        if (r > 0) {
            int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
            if (c >= 0) {
                char e2[256];
                if (store_replaced(&sv) && server_open(&sv, limit, e2, sizeof e2)) {
                    close(c);
                    break; /* no store: the shells fall back to answering alone */
                }
                answer(&sv, c, limit);
                close(c);
                last = time(NULL);
            }
            continue;
        }
        if (time(NULL) - last > idle) break;
        if (stat(path, &st) || st.st_ino != st0.st_ino || st.st_dev != st0.st_dev) break;
    }
    rc = TC_OK;
    if (stat(path, &st) == 0 && st.st_ino == st0.st_ino && st.st_dev == st0.st_dev) unlink(path);
out:
    if (fd >= 0) close(fd);
    tc_shell_model_free(sv.model);
    tc_shell_store_close(sv.store);
    return rc;
}
