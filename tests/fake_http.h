/* fake_http.h - a tiny HTTP/1.1 server on 127.0.0.1 for the backend tests.
 *
 * It answers connections in order from a script of responses (one request
 * per connection, "Connection: close"), records every request (method,
 * path, body) and can misbehave on purpose: wait before answering, never
 * answer, stream lines slowly, close in the middle of a reply. Runs in its
 * own thread; fake_http_stop joins it. */
#ifndef TC_FAKE_HTTP_H
#define TC_FAKE_HTTP_H

#include <stddef.h>

enum {
    FAKE_NORMAL = 0,   /* answer */
    FAKE_HANG,         /* read the request, never answer (until stopped) */
    FAKE_CUT,          /* send the headers and the first line of the body, then close */
};

typedef struct fake_resp {
    int status;          /* HTTP status */
    const char *ctype;   /* Content-Type */
    const char *body;    /* sent line by line (chunked) when line_delay_ms > 0 */
    int delay_ms;        /* before the status line */
    int line_delay_ms;   /* between body lines */
    int mode;            /* FAKE_* */
} fake_resp;

/* One endpoint of a routed fake: the path it answers (a prefix). */
typedef struct fake_route {
    const char *path;
    fake_resp resp;
} fake_route;

typedef struct fake_http fake_http;

/* Serve resp[0..n) to the next n connections (then close any further
 * ones). NULL on failure. */
fake_http *fake_http_start(const fake_resp *resp, size_t n);
/* Serve every connection by its request's path: the first of routes[0..n)
 * whose path is a prefix of it, as often as asked (404 if none): a server
 * whose endpoints each answer, hang or wait in their own way. */
fake_http *fake_http_start_routes(const fake_route *routes, size_t n);
int fake_http_port(const fake_http *f);
/* Requests received so far (waits up to wait_ms for at least want). */
size_t fake_http_nreq(fake_http *f, size_t want, int wait_ms);
const char *fake_http_req_line(fake_http *f, size_t i); /* "POST /infill" */
const char *fake_http_req_body(fake_http *f, size_t i);
const char *fake_http_req_headers(fake_http *f, size_t i);
/* 1 if the client closed a connection before the reply was complete. */
int fake_http_client_gone(fake_http *f);
void fake_http_stop(fake_http *f);

#endif
