/* post_llm.c - see post_llm.h. */
#include "suggest/post_llm.h"
#include "backend/backend.h"
#include "suggest/post.h"
#include "suggest/suggest.h"
#include "util/status.h"

#include <stdlib.h>
#include <string.h>

static const char *const leaks[] = {"<|endoftext|>", "<|file_sep|>", "<|fim_", "<|repo_name|>", "<|im_end|>",
                                    "<fim_", "<file_sep>", "<EOT>", "</s>", "<|file_separator|>",
                                    "<end_of_turn>", "<\xef\xbd\x9c", "[PREFIX]", "[SUFFIX]", NULL};

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
static int is_closer(char c) { return c == ')' || c == ']' || c == '}'; }

static size_t rtrim(const char *s, size_t n)
{
    while (n && (is_blank(s[n - 1]) || s[n - 1] == '\n')) n--;
    return n;
}

/* Indentation width of the line at s (tab = 4 columns), and whether it is blank. */
static int indent_of(const char *s, size_t n, int *blank)
{
    size_t i;
    int w = 0;
    for (i = 0; i < n && (s[i] == ' ' || s[i] == '\t'); i++) w += s[i] == '\t' ? 4 : 1;
    *blank = i == n || s[i] == '\n' || s[i] == '\r';
    return w;
}

/* A line without its indentation and trailing blanks. */
static void trimmed(const char *s, size_t n, const char **p, size_t *m)
{
    while (n && (*s == ' ' || *s == '\t')) s++, n--;
    while (n && (is_blank(s[n - 1]) || s[n - 1] == '\n')) n--;
    *p = s;
    *m = n;
}

static int same_line(const char *a, size_t na, const char *b, size_t nb)
{
    const char *p, *q;
    size_t m, k;
    trimmed(a, na, &p, &m);
    trimmed(b, nb, &q, &k);
    return m && m == k && memcmp(p, q, m) == 0;
}

#define PL_MAX 64

size_t tc_post_completion(const char *before, size_t nb, const char *after, size_t na, const tc_post_opts *o,
                          char *s, size_t ns)
{
    size_t i, ls[PL_MAX + 1], le[PL_MAX + 1], nl = 0, keep;
    const char *lb, *rest_end, *next_line;
    size_t nrest;
    int cur_indent, blank, opened = 0, max_lines = o && o->max_lines > 0 ? o->max_lines : 16;

    for (i = 0; leaks[i]; i++) {
        const char *p = memmem(s, ns, leaks[i], strlen(leaks[i]));
        if (p) ns = (size_t)(p - s);
    }
    /* the cursor's line: before it and after it */
    lb = before + nb;
    while (lb > before && lb[-1] != '\n') lb--;
    rest_end = memchr(after, '\n', na);
    nrest = rest_end ? (size_t)(rest_end - after) : na;
    next_line = rest_end ? rest_end + 1 : after + na;

    if (o && o->single_line) return tc_post_line(lb, (size_t)(before + nb - lb), after, nrest, s, ns);

    /* split into lines */
    for (i = 0; i < ns && nl < PL_MAX;) {
        const char *e = memchr(s + i, '\n', ns - i);
        size_t end = e ? (size_t)(e - s) : ns;
        ls[nl] = i;
        le[nl] = end;
        nl++;
        i = e ? end + 1 : ns;
    }
    if (!nl) return 0;
    if (nl > (size_t)max_lines) nl = (size_t)max_lines;
    cur_indent = indent_of(lb, (size_t)(before + nb - lb), &blank); /* blank: the cursor's column */
    {
        /* a block opened at the end of the first line (or of the text before
         * the cursor when the completion starts on a new line) */
        size_t k = rtrim(s + ls[0], le[0] - ls[0]);
        char last = k ? s[ls[0] + k - 1] : 0;
        if (!k) {
            size_t kb = rtrim(lb, (size_t)(before + nb - lb));
            last = kb ? lb[kb - 1] : 0;
        }
        opened = last == '{' || last == '(' || last == '[' || last == ':';
    }
    keep = nl;
    for (i = 1; i < nl; i++) {
        const char *line = s + ls[i];
        size_t n = le[i] - ls[i];
        int w = indent_of(line, n, &blank);
        size_t lead = 0;
        if (blank) continue;
        while (lead < n && (line[lead] == ' ' || line[lead] == '\t')) lead++;
        if (w < cur_indent) {
            keep = i;
            break;
        }
        if (w == cur_indent && opened && lead < n && is_closer(line[lead])) {
            keep = i + 1; /* the block's closing line, then stop */
            break;
        }
        /* repetition: the same line twice, or a block of up to 4 lines again */
        if (same_line(line, n, s + ls[i - 1], le[i - 1] - ls[i - 1])) {
            keep = i;
            break;
        }
        {
            size_t p, q;
            int rep = 0;
            for (p = 2; p <= 4 && !rep && i + 1 >= 2 * p; p++) {
                rep = 1;
                for (q = 0; q < p && rep; q++)
                    if (!same_line(s + ls[i - q], le[i - q] - ls[i - q], s + ls[i - p - q], le[i - p - q] - ls[i - p - q]))
                        rep = 0;
            }
            if (rep) {
                keep = i + 1 - (p - 1);
                break;
            }
        }
        /* overlap: the completion reproduces the first line after the cursor's */
        {
            const char *a = next_line, *ae = after + na;
            while (a < ae) {
                const char *e = memchr(a, '\n', (size_t)(ae - a));
                size_t m = (size_t)((e ? e : ae) - a);
                int bl;
                indent_of(a, m, &bl);
                if (!bl) {
                    if (same_line(line, n, a, m)) keep = i;
                    break;
                }
                a = e ? e + 1 : ae;
            }
            if (keep == i) break;
        }
    }
    ns = rtrim(s, le[keep - 1]);
    /* closers already after the cursor (auto-closed): drop them at the end */
    if (nrest) {
        const char *r = after;
        size_t rn = nrest;
        while (rn && is_blank(r[rn - 1])) rn--;
        while (rn && is_blank(*r)) r++, rn--;
        if (rn && ns >= rn && memcmp(s + ns - rn, r, rn) == 0) {
            size_t k;
            int ok = 1;
            for (k = 0; k < rn; k++)
                if (!is_closer(r[k]) && r[k] != ';' && r[k] != ',' && r[k] != '"' && r[k] != '\'') ok = 0;
            if (ok) {
                /* on a line of its own: keep the line break and indentation
                 * so that the editor's closer lands where the model put it */
                size_t k2 = ns - rn;
                while (k2 && is_blank(s[k2 - 1])) k2--;
                ns = k2 && s[k2 - 1] == '\n' ? ns - rn : rtrim(s, ns - rn);
            }
        }
    }
    return ns;
}

int tc_post_llm_text(const char *before, size_t nb, const char *after, size_t na, int single_line, const char *raw,
                     size_t nraw, tc_buf *out)
{
    tc_post_opts po = {0};
    size_t n;
    out->len = 0;
    if (tc_buf_append(out, raw ? raw : "", raw ? nraw : 0) || tc_buf_puts(out, "")) return TC_ENOMEM;
    po.single_line = single_line;
    n = tc_post_completion(before, nb, after, na, &po, out->data, out->len);
    out->len = n;
    out->data[n] = 0;
    return TC_OK;
}

/* ---- transitional (issue 8): declared in backend.h, see there ---------------------- */

int tc_req_suggestion(const tc_req *r, tc_buf *out)
{
    const char *before, *after, *raw;
    size_t nb, na, n;
    int single;
    tc_req_cursor(r, &before, &nb, &after, &na, &single);
    raw = tc_req_text(r, &n);
    return tc_post_llm_text(before, nb, after, na, single, raw, n, out);
}

int tc_backend_complete(tc_backend *b, const tc_fim_input *in, int deadline_ms, struct tc_suggestion *io)
{
    tc_client *cl = tc_backend_client(b);
    tc_req *r = NULL;
    double t0 = tc_backend_clock_ms(), deadline = t0 + (deadline_ms > 0 ? deadline_ms : 1);
    tc_buf s = {0};
    int rc = tc_backend_request_start_by(b, in, deadline, &r);
    if (rc) return rc;
    while (tc_req_state_of(r) == TC_REQ_RUNNING) {
        double left = deadline - tc_backend_clock_ms();
        tc_client_wait(cl, left > 50 ? 50 : left < 1 ? 1 : (int)left);
    }
    if (tc_req_state_of(r) == TC_REQ_DONE) {
        if (tc_req_suggestion(r, &s)) rc = TC_ENOMEM;
        else if (s.len) {
            free(io->text);
            io->text = s.data;
            s.data = NULL;
            io->source = "server";
            io->confidence = 1;
        }
    } else if (tc_req_state_of(r) == TC_REQ_FAILED) {
        rc = TC_EIO;
    } else {
        rc = TC_ECANCEL; /* past the deadline: the embedded suggestion stands */
    }
    io->latency_ms += tc_backend_clock_ms() - t0;
    tc_req_free(r);
    tc_buf_free(&s);
    return rc;
}
