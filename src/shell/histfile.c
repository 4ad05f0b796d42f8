/* histfile.c - reading bash, zsh and tacit history files; see histfile.h. */
#include "shell/histfile.h"

#include "util/status.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TACIT_MAGIC "#tacit-shell-history 1"

const char *tc_shell_histfmt_name(tc_histfmt f)
{
    switch (f) {
    case TC_HIST_PLAIN: return "plain";
    case TC_HIST_BASH: return "bash";
    case TC_HIST_ZSH: return "zsh";
    case TC_HIST_TACIT: return "tacit";
    }
    return "?";
}

/* The decimal number at p (digits up to e, at most 18 of them). */
static int64_t digits(const char *p, const char *e)
{
    int64_t v = 0;
    for (int k = 0; p < e && k < 18 && isdigit((unsigned char)*p); p++, k++) v = v * 10 + (*p - '0');
    return v;
}

static int is_bash_stamp(const char *p, const char *e)
{
    if (p >= e || *p != '#' || p + 1 >= e || !isdigit((unsigned char)p[1])) return 0;
    for (p++; p < e; p++)
        if (!isdigit((unsigned char)*p)) return 0;
    return 1;
}

static int is_zsh_ext(const char *p, const char *e)
{
    if (e - p < 4 || p[0] != ':' || p[1] != ' ' || !isdigit((unsigned char)p[2])) return 0;
    for (p += 2; p < e && isdigit((unsigned char)*p); p++) {}
    return p < e && *p == ':';
}

tc_histfmt tc_shell_histfile_detect(const char *s, size_t n)
{
    const char *p = s, *end = s + n;
    int lines = 0;
    if (n >= sizeof TACIT_MAGIC - 1 && !memcmp(s, TACIT_MAGIC, sizeof TACIT_MAGIC - 1)) return TC_HIST_TACIT;
    while (p < end && lines < 50) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e) e = end;
        if (is_zsh_ext(p, e)) return TC_HIST_ZSH;
        if (is_bash_stamp(p, e)) return TC_HIST_BASH;
        p = e + 1;
        lines++;
    }
    return TC_HIST_PLAIN;
}

/* Push cmd[0..n) (trailing CR and blanks dropped) unless blank. */
static int push_cmd(tc_shell_hist *out, const char *cmd, size_t n, int64_t t)
{
    tc_shell_entry e = {0};
    char *c;
    int rc;
    n = strnlen(cmd, n); /* a NUL byte ends a damaged line */
    while (n && (cmd[n - 1] == '\r' || cmd[n - 1] == ' ' || cmd[n - 1] == '\t')) n--;
    if (!n) return TC_OK;
    if (!(c = malloc(n + 1))) return TC_ENOMEM;
    memcpy(c, cmd, n);
    c[n] = 0;
    e.cmd = c;
    e.time = t;
    e.status = -1;
    e.duration_ms = -1;
    rc = tc_shell_hist_push(out, &e);
    free(c);
    return rc;
}

/* zsh's metafied bytes: 0x83 then the byte xor 32. */
static size_t unmeta(char *s, size_t n)
{
    size_t i, k = 0;
    for (i = 0; i < n; i++) {
        if ((unsigned char)s[i] == 0x83 && i + 1 < n) s[k++] = (char)(s[++i] ^ 32);
        else s[k++] = s[i];
    }
    return k;
}

static int parse_zsh(const char *s, size_t n, tc_shell_hist *out)
{
    const char *p = s, *end = s + n;
    tc_buf cmd = {0};
    int rc = TC_OK;
    while (p < end && !rc) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        int64_t t = 0;
        if (!e) e = end;
        cmd.len = 0;
        if (is_zsh_ext(p, e)) {
            const char *q = p + 2, *semi;
            t = digits(q, e);
            semi = memchr(q, ';', (size_t)(e - q));
            p = semi ? semi + 1 : e;
        }
        /* A line ending in a backslash continues on the next. */
        for (;;) {
            if ((rc = tc_buf_append(&cmd, p, (size_t)(e - p)))) break;
            if (e < end && cmd.len && cmd.data[cmd.len - 1] == '\\') {
                cmd.data[cmd.len - 1] = '\n';
                p = e + 1;
                e = memchr(p, '\n', (size_t)(end - p));
                if (!e) e = end;
                continue;
            }
            break;
        }
        if (!rc && cmd.len) rc = push_cmd(out, cmd.data, unmeta(cmd.data, cmd.len), t);
        p = e + 1;
    }
    tc_buf_free(&cmd);
    return rc;
}

static int parse_bash(const char *s, size_t n, int stamps, tc_shell_hist *out)
{
    const char *p = s, *end = s + n;
    int64_t t = 0;
    int rc = TC_OK;
    while (p < end && !rc) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e) e = end;
        if (stamps && is_bash_stamp(p, e)) t = digits(p + 1, e);
        else rc = push_cmd(out, p, (size_t)(e - p), t);
        p = e + 1;
    }
    return rc;
}

/* Undo the export's escapes in place; returns the new length. */
static size_t unescape(char *s)
{
    size_t k = 0;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == '\\' && s[i + 1]) {
            char c = s[++i];
            s[k++] = c == 't' ? '\t' : c == 'n' ? '\n' : c;
        } else
            s[k++] = s[i];
    }
    s[k] = 0;
    return k;
}

static int parse_tacit(const char *s, size_t n, tc_shell_hist *out)
{
    const char *p = s, *end = s + n;
    tc_buf line = {0};
    int rc = TC_OK;
    while (p < end && !rc) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        char *f[8];
        int nf = 0;
        if (!e) e = end;
        line.len = 0;
        if (*p == '#' || (rc = tc_buf_append(&line, p, (size_t)(e - p))) || !line.len) {
            p = e + 1;
            continue;
        }
        f[nf++] = line.data;
        for (char *q = line.data; *q && nf < 8; q++)
            if (*q == '\t') {
                *q = 0;
                f[nf++] = q + 1;
            }
        if (nf == 8) {
            tc_shell_entry en = {0};
            for (int i = 0; i < 8; i++) unescape(f[i]);
            if (*f[0]) {
                double t = strtod(f[0], NULL);
                en.time = strtoll(f[0], NULL, 10);
                if (strchr(f[0], '.') && t > 0 && t < 1e11) en.start_ms = (int64_t)(t * 1000.0 + 0.5);
            }
            en.duration_ms = *f[1] ? (int32_t)strtol(f[1], NULL, 10) : -1;
            en.status = *f[2] ? (int32_t)strtol(f[2], NULL, 10) : -1;
            en.session = *f[3] ? strtoll(f[3], NULL, 10) : 0;
            en.cwd = *f[4] ? f[4] : NULL;
            en.repo = *f[5] ? f[5] : NULL;
            en.branch = *f[6] ? f[6] : NULL;
            en.cmd = f[7];
            if (*f[7]) rc = tc_shell_hist_push(out, &en);
        } else if (nf == 1) {
            rc = push_cmd(out, line.data, line.len, 0);
        }
        p = e + 1;
    }
    tc_buf_free(&line);
    return rc;
}

int tc_shell_histfile_parse(const char *s, size_t n, tc_histfmt fmt, tc_shell_hist *out)
{
    switch (fmt) {
    case TC_HIST_ZSH: return parse_zsh(s, n, out);
    case TC_HIST_TACIT: return parse_tacit(s, n, out);
    case TC_HIST_BASH: return parse_bash(s, n, 1, out);
    case TC_HIST_PLAIN: break;
    }
    return parse_bash(s, n, 0, out);
}

static int put_field(tc_buf *b, const char *s)
{
    int rc = TC_OK;
    for (; s && *s && !rc; s++) {
        if (*s == '\t') rc = tc_buf_puts(b, "\\t");
        else if (*s == '\n') rc = tc_buf_puts(b, "\\n");
        else if (*s == '\\') rc = tc_buf_puts(b, "\\\\");
        else rc = tc_buf_append(b, s, 1);
    }
    return rc;
}

int tc_shell_histfile_write(const tc_shell_hist *h, tc_buf *out)
{
    int rc = tc_buf_puts(out, TACIT_MAGIC "\n");
    for (size_t i = 0; i < h->n && !rc; i++) {
        const tc_shell_entry *e = &h->v[i];
        char num[96];
        if (e->start_ms && e->start_ms / 1000 == e->time)
            snprintf(num, sizeof num, "%lld.%03lld\t", (long long)e->time, (long long)(e->start_ms % 1000));
        else
            snprintf(num, sizeof num, "%lld\t", (long long)e->time);
        rc = tc_buf_puts(out, e->time ? num : "\t");
        if (!rc && e->duration_ms >= 0) rc = tc_buf_printf(out, "%d", e->duration_ms);
        if (!rc) rc = tc_buf_puts(out, "\t");
        if (!rc && e->status >= 0) rc = tc_buf_printf(out, "%d", e->status);
        if (!rc) rc = tc_buf_puts(out, "\t");
        if (!rc && e->session) rc = tc_buf_printf(out, "%lld", (long long)e->session);
        if (!rc) rc = tc_buf_puts(out, "\t");
        if (!rc) rc = put_field(out, e->cwd);
        if (!rc) rc = tc_buf_puts(out, "\t");
        if (!rc) rc = put_field(out, e->repo);
        if (!rc) rc = tc_buf_puts(out, "\t");
        if (!rc) rc = put_field(out, e->branch);
        if (!rc) rc = tc_buf_puts(out, "\t");
        if (!rc) rc = put_field(out, e->cmd);
        if (!rc) rc = tc_buf_puts(out, "\n");
    }
    return rc;
}
