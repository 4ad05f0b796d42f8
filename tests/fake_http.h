/* fake_http.h - a tiny HTTP/1.1 server on 127.0.0.1 for the backend tests.
 *
 * Two modes, one request per connection ("Connection: close"):
 *   script  (fake_http_start) answers connections in order from a list of
 *           responses, one connection at a time;
 *   routes  (fake_http_start_routes) answers each request by its path, each
 *           connection on its own thread, so that one endpoint can hang while
 *           another answers (a path without a route gets 404).
 * It records every request (method, path, body) and can misbehave on
 * purpose, per response: wait before answering (delay_ms), never answer
 * (FAKE_HANG), drip the body line by line (line_delay_ms), close in the
 * middle of a reply (FAKE_CUT). Runs in its own thread; fake_http_stop
 * joins it (and every connection's). */
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

typedef struct fake_route {
    const char *path;  /* "/tokenize" (the query is ignored) */
    fake_resp resp;
    int hang_from;     /* >0: the hang_from-th request to this path and later ones hang */
    char *(*make)(const char *req_body); /* the body from the request's (malloc'd), NULL: resp.body */
} fake_route;

typedef struct fake_http fake_http;

/* Serve resp[0..n) to the next n connections (then close any further
 * ones). NULL on failure. */
fake_http *fake_http_start(const fake_resp *resp, size_t n);
/* Route mode: routes[0..n) (kept, not copied). NULL on failure. */
fake_http *fake_http_start_routes(const fake_route *routes, size_t n);
int fake_http_port(const fake_http *f);
/* Requests received so far for path. */
size_t fake_http_count(fake_http *f, const char *path);
/* Requests received so far (waits up to wait_ms for at least want). */
size_t fake_http_nreq(fake_http *f, size_t want, int wait_ms);
const char *fake_http_req_line(fake_http *f, size_t i); /* "POST /infill" */
const char *fake_http_req_body(fake_http *f, size_t i);
const char *fake_http_req_headers(fake_http *f, size_t i);
/* 1 if the client closed a connection before the reply was complete. */
int fake_http_client_gone(fake_http *f);
void fake_http_stop(fake_http *f);

#endif
