/* stats.c - `tacit stats`: what users kept of the suggestions, from the
 * local outcomes store (stats/stats.h) that `tacit lsp` writes.
 *
 *   tacit stats [--json] [--ascii] [--files N] [--store FILE]
 *
 * Acceptance (accepted / shown) and retention (accepted text still there
 * 30 s, 2 min and 10 min later: kept / checked) overall, by language and
 * by file, for all time and for the last 7 days; bars for the totals and
 * the accepted suggestions per day of the last 14 days. Unicode bars in a
 * UTF-8 locale, ASCII otherwise or with --ascii. --json prints the same
 * figures as one object. A store that does not exist yet is empty, not an
 * error; a damaged one is (exit 1). */
#include "backend/config.h"
#include "cli/cli.h"
#include "stats/stats.h"
#include "util/opt.h"
#include "util/status.h"

#include <cjson/cJSON.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BAR_WIDTH 20
#define DAYS 14
#define KEY_COLS 32
#define DEFAULT_FILES 10

typedef struct period {
    const char *name, *title;
    int64_t since_ms;
    tc_stats_row total;
    tc_stats_row *langs, *files;
    size_t nlangs, nfiles;
} period;

static double rate(int64_t num, int64_t den) { return den > 0 ? (double)num / (double)den : -1; }

static void pct(char *buf, size_t n, double r)
{
    if (r < 0) snprintf(buf, n, "-");
    else snprintf(buf, n, "%.0f%%", r * 100);
}

/* A bar of r (0..1) in BAR_WIDTH cells. */
static void bar(FILE *f, double r, int utf8)
{
    static const char *const eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    int units = r < 0 ? 0 : (int)(r * BAR_WIDTH * 8 + 0.5), i, cells = 0;
    for (i = 0; i < units / 8; i++, cells++) fputs(utf8 ? "█" : "#", f);
    if (units % 8 && cells < BAR_WIDTH) {
        fputs(utf8 ? eighths[units % 8] : (units % 8 >= 4 ? "#" : "."), f);
        cells++;
    }
    for (; cells < BAR_WIDTH; cells++) fputs(utf8 ? "░" : ".", f);
}

/* path as the user would type it: relative to the current folder, or ~/. */
static void short_path(const char *path, char *out, size_t n, int utf8)
{
    char cwd[PATH_MAX];
    const char *home = getenv("HOME"), *p = path;
    size_t len;
    char tmp[PATH_MAX + 16];
    if (getcwd(cwd, sizeof cwd) && (len = strlen(cwd)) > 1 && strncmp(path, cwd, len) == 0 && path[len] == '/')
        snprintf(tmp, sizeof tmp, "%s", path + len + 1);
    else if (home && (len = strlen(home)) > 1 && strncmp(path, home, len) == 0 && path[len] == '/')
        snprintf(tmp, sizeof tmp, "~%s", path + len);
    else snprintf(tmp, sizeof tmp, "%s", p);
    len = strlen(tmp);
    if (len + 1 > n || len > KEY_COLS) {
        size_t keep = KEY_COLS - 3 < n - 4 ? KEY_COLS - 3 : n - 4;
        snprintf(out, n, "%s%s", utf8 ? "…" : "...", tmp + len - keep);
    } else {
        memcpy(out, tmp, len + 1);
    }
}

static void print_row(FILE *f, const char *key, const tc_stats_row *r, int utf8)
{
    char a[16], k[TC_STATS_NHORIZONS][16];
    int h, pad = KEY_COLS - (int)strlen(key);
    /* "…" is three bytes wide in one column */
    if (utf8 && strncmp(key, "…", 3) == 0) pad += 2;
    pct(a, sizeof a, rate(r->accepted, r->shown));
    for (h = 0; h < TC_STATS_NHORIZONS; h++) pct(k[h], sizeof k[h], rate(r->kept[h], r->checked[h]));
    fprintf(f, "  %s%*s %7lld %8lld %7lld %9lld %7s %6s %6s %6s\n", key, pad > 0 ? pad : 0, "", (long long)r->shown,
            (long long)r->accepted, (long long)r->partial, (long long)r->dismissed, a, k[0], k[1], k[2]);
}

static void print_text(FILE *f, const char *path, int recording, int keep_days, period *pp, size_t np,
                       int64_t now_ms, const int64_t *dshown, const int64_t *dacc, int utf8)
{
    size_t i, j;
    int h, d;
    int64_t max = 0;
    fprintf(f, "outcomes of tacit's suggestions in %s\n", path);
    fprintf(f, "recording %s (stats.enabled), kept %d days (stats.keep_days)\n\n",
            recording ? "on" : "off", keep_days);
    if (!pp[0].total.shown) {
        fprintf(f, "no suggestions recorded yet: `tacit lsp` records them as an editor shows them\n");
        return;
    }
    for (i = 0; i < np; i++) {
        period *p = &pp[i];
        const tc_stats_row *t = &p->total;
        static const char *const labels[TC_STATS_NHORIZONS] = {"kept 30 s", "kept 2 min", "kept 10 min"};
        char num[16];
        fprintf(f, "%s\n", p->title);
        pct(num, sizeof num, rate(t->accepted, t->shown));
        fprintf(f, "  %-12s ", "accepted");
        bar(f, rate(t->accepted, t->shown), utf8);
        fprintf(f, " %4s  %lld of %lld shown\n", num, (long long)t->accepted, (long long)t->shown);
        for (h = 0; h < TC_STATS_NHORIZONS; h++) {
            pct(num, sizeof num, rate(t->kept[h], t->checked[h]));
            fprintf(f, "  %-12s ", labels[h]);
            bar(f, rate(t->kept[h], t->checked[h]), utf8);
            fprintf(f, " %4s  %lld of %lld checked", num, (long long)t->kept[h], (long long)t->checked[h]);
            if (t->unknown[h]) fprintf(f, " (%lld unknown: closed sooner)", (long long)t->unknown[h]);
            fputc('\n', f);
        }
        fprintf(f, "\n  %-*s %7s %8s %7s %9s %7s %6s %6s %6s\n", KEY_COLS, "language", "shown", "accepted", "partial",
                "dismissed", "accept", "30s", "2m", "10m");
        for (j = 0; j < p->nlangs; j++) print_row(f, p->langs[j].key[0] ? p->langs[j].key : "?", &p->langs[j], utf8);
        print_row(f, "all", t, utf8);
        fprintf(f, "\n  %-*s %7s %8s %7s %9s %7s %6s %6s %6s\n", KEY_COLS, "file", "shown", "accepted", "partial",
                "dismissed", "accept", "30s", "2m", "10m");
        for (j = 0; j < p->nfiles; j++) {
            char sp[PATH_MAX];
            short_path(p->files[j].key, sp, sizeof sp, utf8);
            print_row(f, sp, &p->files[j], utf8);
        }
        fputc('\n', f);
    }
    /* accepted per day, as a column chart of one row */
    for (d = 0; d < DAYS; d++)
        if (dacc[d] > max) max = dacc[d];
    fprintf(f, "accepted per day, last %d days (today last; peak %lld):\n  ", DAYS, (long long)max);
    for (d = 0; d < DAYS; d++) {
        static const char *const ticks[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
        static const char ascii[] = "_.-=+*#@";
        int lvl = max ? (int)((dacc[d] * 7 + max - 1) / max) : 0;
        if (dacc[d] == 0 && dshown[d] == 0) fputs(utf8 ? " " : " ", f);
        else if (utf8) fputs(ticks[lvl], f);
        else fputc(ascii[lvl], f);
    }
    /* the first and the last day under the columns (MM-DD) */
    {
        char first[8], last[8];
        time_t t1 = (time_t)(now_ms / 1000), t0 = t1 - (time_t)(DAYS - 1) * 86400;
        struct tm tm;
        localtime_r(&t0, &tm);
        strftime(first, sizeof first, "%m-%d", &tm);
        localtime_r(&t1, &tm);
        strftime(last, sizeof last, "%m-%d", &tm);
        fprintf(f, "\n  %s%*s\n", first, DAYS - (int)strlen(first), last);
    }
}

static cJSON *row_json(const tc_stats_row *r, const char *keyname)
{
    cJSON *o = cJSON_CreateObject(), *ret;
    double a = rate(r->accepted, r->shown);
    int h;
    if (!o) return NULL;
    if (keyname) cJSON_AddStringToObject(o, keyname, r->key);
    cJSON_AddNumberToObject(o, "shown", (double)r->shown);
    cJSON_AddNumberToObject(o, "accepted", (double)r->accepted);
    cJSON_AddNumberToObject(o, "partial", (double)r->partial);
    cJSON_AddNumberToObject(o, "dismissed", (double)r->dismissed);
    if (a < 0) cJSON_AddNullToObject(o, "acceptance");
    else cJSON_AddNumberToObject(o, "acceptance", a);
    ret = cJSON_AddObjectToObject(o, "retention");
    for (h = 0; ret && h < TC_STATS_NHORIZONS; h++) {
        cJSON *x = cJSON_AddObjectToObject(ret, tc_stats_horizon_names[h]);
        double k = rate(r->kept[h], r->checked[h]);
        if (!x) continue;
        cJSON_AddNumberToObject(x, "kept", (double)r->kept[h]);
        cJSON_AddNumberToObject(x, "checked", (double)r->checked[h]);
        cJSON_AddNumberToObject(x, "unknown", (double)r->unknown[h]);
        if (k < 0) cJSON_AddNullToObject(x, "rate");
        else cJSON_AddNumberToObject(x, "rate", k);
    }
    return o;
}

static int print_json(const char *path, int recording, int keep_days, period *pp, size_t np, int64_t now_ms,
                      const int64_t *dshown, const int64_t *dacc)
{
    cJSON *o = cJSON_CreateObject(), *ps, *days;
    char *txt;
    size_t i, j;
    int d;
    if (!o) return TC_ENOMEM;
    cJSON_AddStringToObject(o, "store", path);
    cJSON_AddBoolToObject(o, "recording", recording);
    cJSON_AddNumberToObject(o, "keep_days", keep_days);
    ps = cJSON_AddObjectToObject(o, "periods");
    for (i = 0; ps && i < np; i++) {
        cJSON *p = cJSON_AddObjectToObject(ps, pp[i].name), *a;
        if (!p) continue;
        cJSON_AddNumberToObject(p, "since_ms", (double)pp[i].since_ms);
        cJSON_AddItemToObject(p, "total", row_json(&pp[i].total, NULL));
        if ((a = cJSON_AddArrayToObject(p, "languages")))
            for (j = 0; j < pp[i].nlangs; j++) cJSON_AddItemToArray(a, row_json(&pp[i].langs[j], "language"));
        if ((a = cJSON_AddArrayToObject(p, "files")))
            for (j = 0; j < pp[i].nfiles; j++) cJSON_AddItemToArray(a, row_json(&pp[i].files[j], "file"));
    }
    days = cJSON_AddArrayToObject(o, "daily");
    for (d = 0; days && d < DAYS; d++) {
        cJSON *x = cJSON_CreateObject();
        char day[16];
        time_t t = (time_t)(now_ms / 1000) - (time_t)(DAYS - 1 - d) * 86400;
        struct tm tm;
        if (!x) continue;
        localtime_r(&t, &tm);
        strftime(day, sizeof day, "%Y-%m-%d", &tm);
        cJSON_AddStringToObject(x, "date", day);
        cJSON_AddNumberToObject(x, "shown", (double)dshown[d]);
        cJSON_AddNumberToObject(x, "accepted", (double)dacc[d]);
        cJSON_AddItemToArray(days, x);
    }
    txt = cJSON_Print(o);
    cJSON_Delete(o);
    if (!txt) return TC_ENOMEM;
    puts(txt);
    free(txt);
    return TC_OK;
}

/* The period's rows from the store (none when db is NULL). */
static int load_period(tc_stats *db, period *p, size_t nfiles)
{
    tc_stats_row *t = NULL;
    size_t n = 0;
    int rc;
    memset(&p->total, 0, sizeof p->total);
    if (!db) return TC_OK;
    if ((rc = tc_stats_summary(db, p->since_ms, TC_STATS_BY_NONE, 1, &t, &n))) return rc;
    if (n) p->total = t[0];
    free(t);
    if ((rc = tc_stats_summary(db, p->since_ms, TC_STATS_BY_LANG, 0, &p->langs, &p->nlangs))) return rc;
    return tc_stats_summary(db, p->since_ms, TC_STATS_BY_FILE, nfiles, &p->files, &p->nfiles);
}

int tc_cmd_stats(int argc, char **argv)
{
    tc_args a = tc_args_at(argc, argv, 2);
    const char *store = NULL;
    char path[4096], err[600];
    int json = 0, ascii = 0, utf8, rc, status = 1, recording = 0, keep_days = TC_STATS_DEFAULT_KEEP_DAYS;
    long long nfiles = DEFAULT_FILES;
    tc_stats *db = NULL;
    tc_stats_opts so = {0, 2000, 0};
    period pp[2];
    int64_t now_ms, dshown[DAYS], dacc[DAYS];
    struct timespec ts;
    tc_config c;
    size_t i;
    for (; a.i < argc && !a.err; a.i++) {
        if (tc_opt_flag(&a, "--json")) json = 1;
        else if (tc_opt_flag(&a, "--ascii")) ascii = 1;
        else if (tc_opt_int(&a, "--files", 0, 100000, &nfiles)) continue;
        else if (tc_opt_str(&a, "--store", &store)) continue;
        else tc_opt_unknown(&a, "stats");
    }
    if (a.err) return 2;
    setlocale(LC_CTYPE, "");
    utf8 = !ascii && strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
    /* whether the server records (the settings file and environment) */
    tc_config_init(&c);
    if (tc_config_load(&c, NULL, err, sizeof err) == TC_OK) {
        recording = c.stats_enabled;
        keep_days = c.stats_keep_days;
    }
    tc_config_free(&c);
    if (store) snprintf(path, sizeof path, "%s", store);
    else tc_stats_default_path(path, sizeof path);
    memset(pp, 0, sizeof pp);
    clock_gettime(CLOCK_REALTIME, &ts);
    now_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    pp[0].name = "all";
    pp[0].title = "all time";
    pp[1].name = "last_7_days";
    pp[1].title = "last 7 days";
    pp[1].since_ms = now_ms - 7 * 86400000LL;
    memset(dshown, 0, sizeof dshown);
    memset(dacc, 0, sizeof dacc);
    rc = tc_stats_open(path, &so, &db, NULL, err, sizeof err);
    if (rc && rc != TC_ENOENT) {
        fprintf(stderr, "tacit: %s\n", err);
        goto out;
    }
    for (i = 0; i < 2; i++)
        if ((rc = load_period(db, &pp[i], (size_t)nfiles))) {
            fprintf(stderr, "tacit: cannot read %s: %s\n", path, tc_strerror(rc));
            goto out;
        }
    if (db && (rc = tc_stats_daily(db, now_ms, DAYS, dshown, dacc))) {
        fprintf(stderr, "tacit: cannot read %s: %s\n", path, tc_strerror(rc));
        goto out;
    }
    if (json) {
        if (print_json(path, recording, keep_days, pp, 2, now_ms, dshown, dacc)) goto out;
    } else {
        print_text(stdout, path, recording, keep_days, pp, 2, now_ms, dshown, dacc, utf8);
    }
    status = fflush(stdout) == 0 ? 0 : 1;
out:
    for (i = 0; i < 2; i++) {
        free(pp[i].langs);
        free(pp[i].files);
    }
    tc_stats_close(db);
    return status;
}
