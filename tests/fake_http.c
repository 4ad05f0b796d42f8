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

#define FH_MAX_REQ 4096

struct fake_http {
    int lfd, port;
    volatile int stop;
    pthread_t th;
    pthread_mutex_t mu;
    const fake_resp *resp;
    size_t nresp;
    char *line[FH_MAX_REQ], *headers[FH_MAX_REQ], *body[FH_MAX_REQ];
    size_t nreq;
    volatile int client_gone;
    const fake_route *routes;  /* fake_http_start_routes */
    size_t nroutes;
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

/* Read one request; 0 or -1. */
static int read_request(fake_http *f, int fd)
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
        f->body[f->nreq] = strndup(hend + 4, need - (size_t)(hend + 4 - buf));
        f->nreq++;
    }
    pthread_mutex_unlock(&f->mu);
    free(buf);
    return 0;
fail:
    free(buf);
    return -1;
}

/* The route for the request just read (routed mode), or NULL. */
static const fake_resp *route(fake_http *f)
{
    const char *line, *path;
    size_t i;
    pthread_mutex_lock(&f->mu);
    line = f->nreq ? f->line[f->nreq - 1] : "";
    pthread_mutex_unlock(&f->mu);
    path = strchr(line, ' ');
    path = path ? path + 1 : "";
    for (i = 0; i < f->nroutes; i++)
        if (!strncmp(path, f->routes[i].path, strlen(f->routes[i].path))) return &f->routes[i].resp;
    return NULL;
}

static void serve(fake_http *f, int fd, const fake_resp *r)
{
    static const fake_resp not_found = {404, "application/json", "{\"error\":\"not found\"}", 0, 0, FAKE_NORMAL};
    char head[512];
    const char *p;
    if (read_request(f, fd)) return;
    if (f->routes && !(r = route(f))) r = &not_found;
    p = r->body ? r->body : "";
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
        if (f->routes) serve(f, fd, NULL);
        else if (next < f->nresp) serve(f, fd, &f->resp[next++]);
        close(fd);
    }
    return NULL;
}

fake_http *fake_http_start(const fake_resp *resp, size_t n)
{
    fake_http *f = calloc(1, sizeof *f);
    struct sockaddr_in a;
    socklen_t al = sizeof a;
    int one = 1;
    if (!f) return NULL;
    f->resp = resp;
    f->nresp = n;
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

fake_http *fake_http_start_routes(const fake_route *routes, size_t n)
{
    fake_http *f = fake_http_start(NULL, 0);
    if (f) {
        f->nroutes = n;
        f->routes = routes; /* read by the thread only after its first accept */
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
    close(f->lfd);
    for (i = 0; i < f->nreq; i++) {
        free(f->line[i]);
        free(f->headers[i]);
        free(f->body[i]);
    }
    pthread_mutex_destroy(&f->mu);
    free(f);
}
