/* fake_http.c - see fake_http.h. */
#include "fake_http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define FH_MAX_REQ 256
#define FH_MAX_CONN 256

struct fake_http {
    int lfd, port;
    volatile int stop;
    pthread_t th;
    pthread_mutex_t mu;
    const fake_resp *resp;
    size_t nresp;
    const fake_route *routes; /* route mode: by path, each connection on its own thread */
    size_t nroutes;
    pthread_t conn[FH_MAX_CONN];
    size_t nconn;
    char *line[FH_MAX_REQ], *headers[FH_MAX_REQ], *body[FH_MAX_REQ];
    size_t nreq;
    volatile int client_gone;
};

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Sleep in small steps so that stop is honoured. */
static void nap(fake_http *f, int ms)
{
    while (ms > 0 && !f->stop) {
        sleep_ms(ms > 10 ? 10 : ms);
        ms -= 10;
    }
}

static int send_all(fake_http *f, int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k <= 0) {
            f->client_gone = 1;
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Read one request (its path, without a query, into path; a copy of its
 * body into *body when body is not NULL); 0 or -1. */
static int read_request(fake_http *f, int fd, char *path, size_t pathlen, char **body)
{
    char *buf = malloc(1 << 20), *hend, *cl;
    size_t len = 0, need = 0;
    if (!buf) return -1;
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        ssize_t k;
        if (f->stop) goto fail;
        if (poll(&p, 1, 20) <= 0) continue;
        k = recv(fd, buf + len, (1 << 20) - 1 - len, 0);
        if (k <= 0) goto fail;
        len += (size_t)k;
        buf[len] = 0;
        if (!(hend = strstr(buf, "\r\n\r\n"))) continue;
        cl = strcasestr(buf, "Content-Length:");
        need = (size_t)(hend + 4 - buf) + (cl && cl < hend ? strtoul(cl + 15, NULL, 10) : 0);
        if (len >= need) break;
    }
    pthread_mutex_lock(&f->mu);
    if (f->nreq < FH_MAX_REQ) {
        char *eol = strstr(buf, "\r\n"), *sp2;
        *hend = 0;
        f->headers[f->nreq] = strdup(eol + 2);
        /* "POST /infill HTTP/1.1" -> "POST /infill" */
        *eol = 0;
        if ((sp2 = strrchr(buf, ' '))) *sp2 = 0;
        f->line[f->nreq] = strdup(buf);
        if (path) {
            const char *sp = strchr(buf, ' ');
            snprintf(path, pathlen, "%s", sp ? sp + 1 : "");
            if (strchr(path, '?')) *strchr(path, '?') = 0;
        }
        f->body[f->nreq] = strndup(hend + 4, need - (size_t)(hend + 4 - buf));
        if (body) *body = strdup(f->body[f->nreq] ? f->body[f->nreq] : "");
        f->nreq++;
    }
    pthread_mutex_unlock(&f->mu);
    free(buf);
    return 0;
fail:
    free(buf);
    return -1;
}

/* Answer a request already read. */
static void respond(fake_http *f, int fd, const fake_resp *r)
{
    char head[512];
    const char *p = r->body ? r->body : "";
    if (r->mode == FAKE_HANG) {
        while (!f->stop) {
            struct pollfd pf = {fd, POLLIN, 0};
            char c;
            if (poll(&pf, 1, 20) > 0 && recv(fd, &c, 1, 0) <= 0) {
                f->client_gone = 1;
                return;
            }
        }
        return;
    }
    nap(f, r->delay_ms);
    if (r->line_delay_ms > 0 || r->mode == FAKE_CUT) {
        snprintf(head, sizeof head,
                 "HTTP/1.1 %d X\r\nContent-Type: %s\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                 r->status, r->ctype ? r->ctype : "application/json");
        if (send_all(f, fd, head, strlen(head))) return;
        while (*p && !f->stop) {
            const char *e = strchr(p, '\n');
            size_t n = e ? (size_t)(e - p) + 1 : strlen(p);
            snprintf(head, sizeof head, "%zx\r\n", n);
            if (send_all(f, fd, head, strlen(head)) || send_all(f, fd, p, n) || send_all(f, fd, "\r\n", 2)) return;
            p += n;
            if (r->mode == FAKE_CUT) return; /* close mid-reply */
            nap(f, r->line_delay_ms);
            {
                /* a client that went away shows as readable EOF */
                struct pollfd pf = {fd, POLLIN, 0};
                char c;
                if (poll(&pf, 1, 0) > 0 && recv(fd, &c, 1, MSG_DONTWAIT) == 0) {
                    f->client_gone = 1;
                    return;
                }
            }
        }
        send_all(f, fd, "0\r\n\r\n", 5);
    } else {
        snprintf(head, sizeof head, "HTTP/1.1 %d X\r\nContent-Type: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
                 r->status, r->ctype ? r->ctype : "application/json", strlen(p));
        if (send_all(f, fd, head, strlen(head))) return;
        send_all(f, fd, p, strlen(p));
    }
}

static void serve(fake_http *f, int fd, const fake_resp *r)
{
    if (read_request(f, fd, NULL, 0, NULL)) return;
    respond(f, fd, r);
}

static const fake_resp not_found = {404, "application/json", "{\"error\":\"no such endpoint\"}", 0, 0, FAKE_NORMAL};

size_t fake_http_count(fake_http *f, const char *path);

/* Route mode: one connection, on its own thread. */
typedef struct conn_arg {
    fake_http *f;
    int fd;
} conn_arg;

static void *conn_main(void *ud)
{
    conn_arg *a = ud;
    char path[256] = "", *body = NULL;
    size_t i;
    if (!read_request(a->f, a->fd, path, sizeof path, &body)) {
        const fake_resp *r = &not_found;
        const fake_route *rt = NULL;
        fake_resp made;
        char *made_body = NULL;
        for (i = 0; i < a->f->nroutes; i++)
            if (!strcmp(a->f->routes[i].path, path)) {
                rt = &a->f->routes[i];
                r = &rt->resp;
                break;
            }
        if (rt) {
            size_t nth = fake_http_count(a->f, path);
            made = *r;
            if (rt->hang_from && nth >= (size_t)rt->hang_from) made.mode = FAKE_HANG;
            if (rt->make && (made_body = rt->make(body ? body : ""))) made.body = made_body;
            r = &made;
        }
        respond(a->f, a->fd, r);
        free(made_body);
    }
    free(body);
    close(a->fd);
    free(a);
    return NULL;
}

static void *loop(void *ud)
{
    fake_http *f = ud;
    size_t next = 0;
    while (!f->stop) {
        struct pollfd p = {f->lfd, POLLIN, 0};
        int fd;
        if (poll(&p, 1, 20) <= 0) continue;
        fd = accept(f->lfd, NULL, NULL);
        if (fd < 0) continue;
        if (f->routes) {
            conn_arg *a = malloc(sizeof *a);
            if (a && f->nconn < FH_MAX_CONN) {
                a->f = f;
                a->fd = fd;
                if (!pthread_create(&f->conn[f->nconn], NULL, conn_main, a)) {
                    f->nconn++;
                    continue;
                }
            }
            free(a);
            close(fd);
            continue;
        }
        if (next < f->nresp) serve(f, fd, &f->resp[next++]);
        close(fd);
    }
    return NULL;
}

static fake_http *start(const fake_resp *resp, size_t n, const fake_route *routes, size_t nroutes);

fake_http *fake_http_start(const fake_resp *resp, size_t n) { return start(resp, n, NULL, 0); }
fake_http *fake_http_start_routes(const fake_route *routes, size_t n) { return start(NULL, 0, routes, n); }

static fake_http *start(const fake_resp *resp, size_t n, const fake_route *routes, size_t nroutes)
{
    fake_http *f = calloc(1, sizeof *f);
    struct sockaddr_in a;
    socklen_t al = sizeof a;
    int one = 1;
    if (!f) return NULL;
    f->resp = resp;
    f->nresp = n;
    f->routes = routes;
    f->nroutes = nroutes;
    pthread_mutex_init(&f->mu, NULL);
    f->lfd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(f->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (f->lfd < 0 || bind(f->lfd, (struct sockaddr *)&a, sizeof a) || listen(f->lfd, 16) ||
        getsockname(f->lfd, (struct sockaddr *)&a, &al)) {
        if (f->lfd >= 0) close(f->lfd);
        free(f);
        return NULL;
    }
    f->port = ntohs(a.sin_port);
    if (pthread_create(&f->th, NULL, loop, f)) {
        close(f->lfd);
        free(f);
        return NULL;
    }
    return f;
}

int fake_http_port(const fake_http *f) { return f->port; }

size_t fake_http_nreq(fake_http *f, size_t want, int wait_ms)
{
    size_t n;
    for (;;) {
        pthread_mutex_lock(&f->mu);
        n = f->nreq;
        pthread_mutex_unlock(&f->mu);
        if (n >= want || wait_ms <= 0) return n;
        sleep_ms(5);
        wait_ms -= 5;
    }
}

size_t fake_http_count(fake_http *f, const char *path)
{
    size_t i, n = 0, lp = strlen(path);
    pthread_mutex_lock(&f->mu);
    for (i = 0; i < f->nreq; i++) {
        const char *sp = strchr(f->line[i], ' ');
        if (sp && !strncmp(sp + 1, path, lp) && (sp[1 + lp] == 0 || sp[1 + lp] == '?')) n++;
    }
    pthread_mutex_unlock(&f->mu);
    return n;
}

const char *fake_http_req_line(fake_http *f, size_t i) { return i < f->nreq ? f->line[i] : ""; }
const char *fake_http_req_body(fake_http *f, size_t i) { return i < f->nreq ? f->body[i] : ""; }
const char *fake_http_req_headers(fake_http *f, size_t i) { return i < f->nreq ? f->headers[i] : ""; }
int fake_http_client_gone(fake_http *f) { return f->client_gone; }

void fake_http_stop(fake_http *f)
{
    size_t i;
    if (!f) return;
    f->stop = 1;
    pthread_join(f->th, NULL);
    for (i = 0; i < f->nconn; i++) pthread_join(f->conn[i], NULL);
    close(f->lfd);
    for (i = 0; i < f->nreq; i++) {
        free(f->line[i]);
        free(f->headers[i]);
        free(f->body[i]);
    }
    pthread_mutex_destroy(&f->mu);
    free(f);
}
