/* opt.c - command-line options; see opt.h. */
#include "util/opt.h"
#include "util/status.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

tc_args tc_args_at(int argc, char **argv, int i)
{
    tc_args a;
    a.argc = argc;
    a.argv = argv;
    a.i = i;
    a.err = TC_OK;
    return a;
}

/* Print "tacit: <message>" as one line, mark the error; returns 1 (matched). */
__attribute__((format(printf, 2, 3))) static int fail(tc_args *a, const char *fmt, ...)
{
    va_list ap;
    fputs("tacit: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    a->err = TC_EINVAL;
    return 1;
}

/* Does argv[i] name this option? Sets *val to the text after '=', if any. */
static int is(const tc_args *a, const char *name, const char **val)
{
    const char *s = a->argv[a->i];
    size_t n = strlen(name);
    if (strncmp(s, name, n) != 0) return 0;
    if (s[n] == 0) {
        *val = NULL;
        return 1;
    }
    if (s[n] == '=' && name[0] == '-' && name[1] == '-') {
        *val = s + n + 1;
        return 1;
    }
    return 0;
}

/* The value of a matched option, or NULL (message printed). */
static const char *value(tc_args *a, const char *name, const char *eq)
{
    if (eq) return eq;
    if (a->i + 1 >= a->argc) {
        fail(a, "option '%s' needs a value", name);
        return NULL;
    }
    return a->argv[++a->i];
}

int tc_opt_flag(tc_args *a, const char *name)
{
    const char *eq;
    if (!is(a, name, &eq)) return 0;
    if (eq) return fail(a, "option '%s' takes no value", name);
    return 1;
}

int tc_opt_str(tc_args *a, const char *name, const char **out)
{
    const char *eq, *v;
    if (!is(a, name, &eq)) return 0;
    if (!(v = value(a, name, eq))) return 1;
    if (!eq && v[0] == '-' && v[1] == '-' && v[2]) /* "--cases --json": a forgotten value */
        return fail(a, "option '%s' needs a value, got the option '%s' (%s=%s if that is the name)", name, v, name,
                    v);
    *out = v;
    return 1;
}

int tc_opt_int(tc_args *a, const char *name, long long lo, long long hi, long long *out)
{
    const char *eq, *v;
    if (!is(a, name, &eq)) return 0;
    if ((v = value(a, name, eq)) && tc_opt_parse_int(v, lo, hi, out))
        fail(a, "%s takes an integer from %lld to %lld, got '%s'", name, lo, hi, v);
    return 1;
}

int tc_opt_u64(tc_args *a, const char *name, uint64_t *out)
{
    const char *eq, *v;
    if (!is(a, name, &eq)) return 0;
    if ((v = value(a, name, eq)) && tc_opt_parse_u64(v, out))
        fail(a, "%s takes a whole number from 0 to %llu, got '%s'", name, (unsigned long long)UINT64_MAX, v);
    return 1;
}

int tc_opt_double(tc_args *a, const char *name, double lo, double hi, double *out)
{
    const char *eq, *v;
    if (!is(a, name, &eq)) return 0;
    if ((v = value(a, name, eq)) && tc_opt_parse_double(v, lo, hi, out))
        fail(a, "%s takes a number from %g to %g, got '%s'", name, lo, hi, v);
    return 1;
}

/* 1048576 as "1M": the largest unit that divides n. */
static const char *size_text(uint64_t n, char *buf, size_t len)
{
    static const char units[] = "KMG";
    int k = -1;
    while (k < 2 && n && n % 1024 == 0) {
        n /= 1024;
        k++;
    }
    snprintf(buf, len, "%llu%.*s", (unsigned long long)n, k >= 0, k >= 0 ? &units[k] : "");
    return buf;
}

int tc_opt_size(tc_args *a, const char *name, uint64_t lo, uint64_t hi, uint64_t *out)
{
    const char *eq, *v;
    if (!is(a, name, &eq)) return 0;
    if ((v = value(a, name, eq)) && tc_opt_parse_size(v, lo, hi, out)) {
        char l[32], h[32];
        fail(a, "%s takes a size from %s to %s (bytes, or with a K, M or G suffix), got '%s'", name,
             size_text(lo, l, sizeof l), size_text(hi, h, sizeof h), v);
    }
    return 1;
}

int tc_opt_choice(tc_args *a, const char *name, const char *const *choices, int *out)
{
    const char *eq, *v;
    int k;
    if (!is(a, name, &eq)) return 0;
    if (!(v = value(a, name, eq))) return 1;
    for (k = 0; choices[k]; k++)
        if (strcmp(v, choices[k]) == 0) {
            *out = k;
            return 1;
        }
    {
        char list[256] = "";
        size_t n = 0;
        for (k = 0; choices[k] && n < sizeof list; k++)
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", k ? (choices[k + 1] ? ", " : " or ") : "",
                                  choices[k]);
        return fail(a, "%s takes %s, got '%s'", name, list, v);
    }
}

int tc_opt_unknown(tc_args *a, const char *cmd)
{
    const char *s = a->argv[a->i];
    if (s[0] == '-' && s[1]) fail(a, "unknown option '%s' for %s (see 'tacit help %s')", s, cmd, cmd);
    else fail(a, "unexpected argument '%s' for %s (see 'tacit help %s')", s, cmd, cmd);
    return 0;
}

/* ---- parsers ---------------------------------------------------------------- */

int tc_opt_parse_int(const char *s, long long lo, long long hi, long long *out)
{
    char *end;
    long long v;
    if (!*s || (*s != '-' && (*s < '0' || *s > '9'))) return TC_EINVAL;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || *end || v < lo || v > hi) return TC_EINVAL;
    *out = v;
    return TC_OK;
}

int tc_opt_parse_u64(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;
    if (*s < '0' || *s > '9') return TC_EINVAL; /* strtoull takes "-1" and " 1" */
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || *end) return TC_EINVAL;
    *out = v;
    return TC_OK;
}

int tc_opt_parse_double(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v;
    if (!*s || !strchr("+-.0123456789", *s)) return TC_EINVAL;
    errno = 0;
    v = strtod(s, &end);
    if (errno || *end || !isfinite(v) || v < lo || v > hi) return TC_EINVAL;
    *out = v;
    return TC_OK;
}

int tc_opt_parse_size(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    static const char *const units[] = {"", "K", "KB", "KiB", "M", "MB", "MiB", "G", "GB", "GiB", NULL};
    static const unsigned shift[] = {0, 10, 10, 10, 20, 20, 20, 30, 30, 30};
    char *end;
    unsigned long long v;
    int k;
    if (*s < '0' || *s > '9') return TC_EINVAL;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno) return TC_EINVAL;
    for (k = 0; units[k] && strcasecmp(end, units[k]) != 0; k++)
        ;
    if (!units[k] || v > (UINT64_MAX >> shift[k])) return TC_EINVAL;
    v <<= shift[k];
    if (v < lo || v > hi) return TC_EINVAL;
    *out = v;
    return TC_OK;
}
