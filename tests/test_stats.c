/* test_stats.c - the outcomes store (src/stats/stats.h): counts by
 * language and file, the time window, pruning, files that are not a
 * store, several processes writing at once, a writer killed mid-write,
 * and the [stats] settings. */
#include "backend/config.h"
#include "stats/stats.h"
#include "test.h"
#include "util/status.h"

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static tc_stats *open_rw(const char *path)
{
    tc_stats_opts o = {1, 2000, 0};
    tc_stats *s = NULL;
    char err[600];
    int rc = tc_stats_open(path, &o, &s, NULL, err, sizeof err);
    if (rc) fprintf(stderr, "open %s: %s\n", path, err);
    return s;
}

static tc_stats_event ev(int64_t t, int kind, uint64_t sid, const char *lang, const char *file)
{
    tc_stats_event e;
    memset(&e, 0, sizeof e);
    e.t_ms = t;
    e.kind = kind;
    e.sid = sid;
    e.lang = lang;
    e.file = file;
    return e;
}

static tc_stats_event retained(int64_t t, uint64_t sid, const char *lang, const char *file, int h, int kept)
{
    tc_stats_event e = ev(t, TC_STATS_RETAINED, sid, lang, file);
    e.horizon_s = h;
    e.kept = kept;
    return e;
}

TC_TEST(stats_store_counts)
{
    char path[600];
    tc_stats *s;
    tc_stats_event e[16];
    tc_stats_row *rows = NULL;
    size_t n = 0, k = 0;
    int64_t now = 1800000000000LL, old = now - 10 * 86400000LL, gone = 0, shown[3], acc[3];
    snprintf(path, sizeof path, "%s/state/tacit/outcomes.db", tc_test_tmpdir());
    TC_CHECK((s = open_rw(path)) != NULL);
    if (!s) return;
    /* c: 3 shown (one 10 days ago), 2 accepted (1 partial), 1 dismissed; python: 1 shown */
    e[k++] = ev(old, TC_STATS_SHOWN, 1, "c", "/w/a.c");
    e[k] = ev(old, TC_STATS_ACCEPTED, 1, "c", "/w/a.c");
    e[k++].chars = 5;
    e[k++] = retained(old, 1, "c", "/w/a.c", 30, 1);
    e[k++] = retained(old, 1, "c", "/w/a.c", 120, 0);
    e[k++] = retained(old, 1, "c", "/w/a.c", 600, -1);
    e[k++] = ev(now, TC_STATS_SHOWN, 2, "c", "/w/b.c");
    e[k] = ev(now, TC_STATS_ACCEPTED, 2, "c", "/w/b.c");
    e[k++].partial = 1;
    e[k++] = retained(now, 2, "c", "/w/b.c", 30, 1);
    e[k++] = ev(now, TC_STATS_SHOWN, 3, "c", "/w/b.c");
    e[k++] = ev(now, TC_STATS_DISMISSED, 3, "c", "/w/b.c");
    e[k++] = ev(now, TC_STATS_SHOWN, 4, "python", "/w/x.py");
    TC_CHECK_EQ_INT(tc_stats_add(s, e, k, NULL), TC_OK);
    TC_CHECK_EQ_INT(tc_stats_count(s), (int64_t)k);

    TC_CHECK_EQ_INT(tc_stats_summary(s, 0, TC_STATS_BY_NONE, 0, &rows, &n), TC_OK);
    TC_CHECK_EQ_INT(n, 1);
    if (n == 1) {
        TC_CHECK_EQ_INT(rows[0].shown, 4);
        TC_CHECK_EQ_INT(rows[0].accepted, 2);
        TC_CHECK_EQ_INT(rows[0].partial, 1);
        TC_CHECK_EQ_INT(rows[0].dismissed, 1);
        TC_CHECK_EQ_INT(rows[0].kept[0], 2);
        TC_CHECK_EQ_INT(rows[0].checked[0], 2);
        TC_CHECK_EQ_INT(rows[0].kept[1], 0);
        TC_CHECK_EQ_INT(rows[0].checked[1], 1);
        TC_CHECK_EQ_INT(rows[0].checked[2], 0);
        TC_CHECK_EQ_INT(rows[0].unknown[2], 1);
    }
    free(rows);

    /* by language, most shown first */
    TC_CHECK_EQ_INT(tc_stats_summary(s, 0, TC_STATS_BY_LANG, 0, &rows, &n), TC_OK);
    TC_CHECK_EQ_INT(n, 2);
    if (n == 2) {
        TC_CHECK_STR(rows[0].key, "c");
        TC_CHECK_EQ_INT(rows[0].shown, 3);
        TC_CHECK_STR(rows[1].key, "python");
        TC_CHECK_EQ_INT(rows[1].accepted, 0);
    }
    free(rows);

    /* by file, the last 7 days only, at most 1 row */
    TC_CHECK_EQ_INT(tc_stats_summary(s, now - 7 * 86400000LL, TC_STATS_BY_FILE, 1, &rows, &n), TC_OK);
    TC_CHECK_EQ_INT(n, 1);
    if (n == 1) {
        TC_CHECK_STR(rows[0].key, "/w/b.c");
        TC_CHECK_EQ_INT(rows[0].shown, 2);
        TC_CHECK_EQ_INT(rows[0].accepted, 1);
        TC_CHECK_EQ_INT(rows[0].checked[1], 0);
    }
    free(rows);

    /* per day: today has 3 shown and 1 accepted */
    TC_CHECK_EQ_INT(tc_stats_daily(s, now, 3, shown, acc), TC_OK);
    TC_CHECK_EQ_INT(shown[2], 3);
    TC_CHECK_EQ_INT(acc[2], 1);
    TC_CHECK_EQ_INT(shown[0] + shown[1], 0);

    /* pruning by age */
    TC_CHECK_EQ_INT(tc_stats_prune(s, now - 7 * 86400000LL, &gone, NULL), TC_OK);
    TC_CHECK_EQ_INT(gone, 5);
    TC_CHECK_EQ_INT(tc_stats_count(s), (int64_t)k - 5);
    tc_stats_close(s);

    /* a second open finds the same store */
    TC_CHECK((s = open_rw(path)) != NULL);
    if (s) TC_CHECK_EQ_INT(tc_stats_count(s), (int64_t)k - 5);
    tc_stats_close(s);
    tc_stats_close(NULL);
}

TC_TEST(stats_store_refuses_other_files)
{
    char path[600], err[600];
    tc_stats *s = NULL;
    tc_stats_opts ro = {0, 100, 0}, rw = {1, 100, 0};
    struct stat sb;
    /* missing, not created: ENOENT and still missing */
    snprintf(path, sizeof path, "%s/none/outcomes.db", tc_test_tmpdir());
    TC_CHECK_EQ_INT(tc_stats_open(path, &ro, &s, NULL, err, sizeof err), TC_ENOENT);
    TC_CHECK(s == NULL);
    TC_CHECK(stat(path, &sb) != 0);
    /* a text file */
    tc_test_put(tc_test_tmpdir(), "text.db", "not a database at all, but long enough to have a header....\n");
    snprintf(path, sizeof path, "%s/text.db", tc_test_tmpdir());
    TC_CHECK_EQ_INT(tc_stats_open(path, &rw, &s, NULL, err, sizeof err), TC_ECORRUPT);
    TC_CHECK(strstr(err, "not a SQLite database") != NULL);
    TC_CHECK(s == NULL);
    /* a folder */
    snprintf(path, sizeof path, "%s", tc_test_tmpdir());
    TC_CHECK_EQ_INT(tc_stats_open(path, &rw, &s, NULL, err, sizeof err), TC_EINVAL);
    /* another program's database is left alone */
    snprintf(path, sizeof path, "%s/other.db", tc_test_tmpdir());
    {
        char cmd[800];
        snprintf(cmd, sizeof cmd, "sqlite3 '%s' 'CREATE TABLE notes(x)' 2>/dev/null", path);
        if (system(cmd) == 0) {
            TC_CHECK_EQ_INT(tc_stats_open(path, &rw, &s, NULL, err, sizeof err), TC_ECORRUPT);
            TC_CHECK(strstr(err, "not a tacit outcomes store") != NULL);
        }
    }
}

#define WRITERS 4
#define EVENTS 1000
#define BATCH 10

/* A writer process: EVENTS events in batches, retrying while the store is
 * busy. Exit status 0 when all were written. */
static int writer(const char *path, int id)
{
    tc_stats_opts o = {1, 20, 0}; /* a short busy timeout: the retry loop is exercised */
    tc_stats *s = NULL;
    tc_stats_event e[BATCH];
    int i, j, busy, tries;
    char err[600], file[32];
    snprintf(file, sizeof file, "/w/%d.c", id);
    for (tries = 0; tc_stats_open(path, &o, &s, &busy, err, sizeof err) != TC_OK; tries++) {
        if (!busy || tries > 2000) return 1;
        usleep(1000);
    }
    for (i = 0; i < EVENTS; i += BATCH) {
        for (j = 0; j < BATCH; j++) e[j] = ev(1000 + i + j, TC_STATS_SHOWN, (uint64_t)id << 32 | (uint64_t)(i + j), "c", file);
        for (tries = 0; tc_stats_add(s, e, BATCH, &busy) != TC_OK; tries++) {
            if (!busy || tries > 2000) {
                tc_stats_close(s);
                return 2;
            }
            usleep(1000);
        }
    }
    tc_stats_close(s);
    return 0;
}

TC_TEST(stats_store_concurrent_writers)
{
    char path[600];
    pid_t pids[WRITERS];
    int i, st, ok = 1;
    tc_stats *s;
    tc_stats_row *rows = NULL;
    size_t n = 0;
    snprintf(path, sizeof path, "%s/outcomes.db", tc_test_tmpdir());
    fflush(NULL);
    for (i = 0; i < WRITERS; i++) {
        pids[i] = fork();
        if (pids[i] == 0) _exit(writer(path, i));
        TC_CHECK(pids[i] > 0);
    }
    for (i = 0; i < WRITERS; i++) {
        if (pids[i] <= 0) continue;
        waitpid(pids[i], &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) ok = 0;
    }
    TC_CHECK(ok);
    TC_CHECK((s = open_rw(path)) != NULL);
    if (!s) return;
    TC_CHECK_EQ_INT(tc_stats_count(s), WRITERS * EVENTS);
    /* each writer's every event, none twice */
    TC_CHECK_EQ_INT(tc_stats_summary(s, 0, TC_STATS_BY_FILE, 0, &rows, &n), TC_OK);
    TC_CHECK_EQ_INT(n, WRITERS);
    for (i = 0; i < (int)n; i++) TC_CHECK_EQ_INT(rows[i].shown, EVENTS);
    free(rows);
    tc_stats_close(s);
}

TC_TEST(stats_store_survives_kill)
{
    char path[600], msg[256];
    pid_t pid;
    int st, i;
    int64_t before = 0, after;
    tc_stats *s;
    snprintf(path, sizeof path, "%s/outcomes.db", tc_test_tmpdir());
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        /* write batches of BATCH forever */
        tc_stats_opts o = {1, 1000, 0};
        tc_stats *w = NULL;
        tc_stats_event e[BATCH];
        int j;
        uint64_t sid = 0;
        signal(SIGTERM, SIG_DFL);
        if (tc_stats_open(path, &o, &w, NULL, NULL, 0)) _exit(1);
        for (;;) {
            for (j = 0; j < BATCH; j++, sid++) e[j] = ev((int64_t)sid, TC_STATS_SHOWN, sid, "c", "/w/k.c");
            tc_stats_add(w, e, BATCH, NULL);
        }
    }
    TC_CHECK(pid > 0);
    if (pid <= 0) return;
    /* wait until it has written a few batches, then kill it mid-stream;
     * up to 120 s: on a loaded machine (the ASan build, other jobs) the
     * writer's 20 batches took more than the 10 s this waited before */
    for (i = 0; i < 24000 && before < 20 * BATCH; i++) {
        tc_stats_opts ro = {0, 200, 0};
        tc_stats *r = NULL;
        usleep(5000);
        if (tc_stats_open(path, &ro, &r, NULL, NULL, 0) == TC_OK) {
            before = tc_stats_count(r);
            tc_stats_close(r);
        }
    }
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    TC_CHECK(WIFSIGNALED(st));
    TC_CHECK(before >= 20 * BATCH);
    TC_CHECK((s = open_rw(path)) != NULL);
    if (!s) return;
    TC_CHECK_EQ_INT(tc_stats_check(s, msg, sizeof msg), TC_OK);
    after = tc_stats_count(s);
    TC_CHECK(after >= before);
    TC_CHECK_EQ_INT(after % BATCH, 0); /* whole transactions only */
    /* and it still takes writes */
    {
        tc_stats_event e = ev(1, TC_STATS_DISMISSED, 1, "c", "/w/k.c");
        TC_CHECK_EQ_INT(tc_stats_add(s, &e, 1, NULL), TC_OK);
        TC_CHECK_EQ_INT(tc_stats_count(s), after + 1);
    }
    tc_stats_close(s);
}

TC_TEST(stats_settings)
{
    tc_config c;
    char err[256];
    char *env[] = {"TACIT_STATS_ENABLED=off", "TACIT_STATS_KEEP_DAYS=7", NULL};
    char *bad[] = {"TACIT_STATS_KEEP_DAYS=0", NULL};
    cJSON *j;
    tc_config_init(&c);
    TC_CHECK_EQ_INT(c.stats_enabled, 1);
    TC_CHECK_EQ_INT(c.stats_keep_days, TC_STATS_DEFAULT_KEEP_DAYS);
    TC_CHECK_EQ_INT(tc_config_set(&c, "stats", "enabled", "false", "file", err, sizeof err), TC_OK);
    TC_CHECK_EQ_INT(c.stats_enabled, 0);
    TC_CHECK_EQ_INT(tc_config_set(&c, "stats", "enabled", "maybe", "file", err, sizeof err), TC_EINVAL);
    TC_CHECK(strstr(err, "stats.enabled") != NULL);
    TC_CHECK_EQ_INT(tc_config_set(&c, "stats", "keep_days", "365", "file", err, sizeof err), TC_OK);
    TC_CHECK_EQ_INT(c.stats_keep_days, 365);
    TC_CHECK_EQ_INT(tc_config_set(&c, "stats", "colour", "1", "file", err, sizeof err), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_config_load_env(&c, env, err, sizeof err), TC_OK);
    TC_CHECK_EQ_INT(c.stats_enabled, 0);
    TC_CHECK_EQ_INT(c.stats_keep_days, 7);
    TC_CHECK_EQ_INT(tc_config_load_env(&c, bad, err, sizeof err), TC_EINVAL);
    /* initializationOptions: {"stats": {"enabled": true}} */
    j = cJSON_Parse("{\"stats\":{\"enabled\":true,\"keep_days\":30}}");
    TC_CHECK_EQ_INT(tc_config_load_json(&c, j, err, sizeof err), TC_OK);
    TC_CHECK_EQ_INT(c.stats_enabled, 1);
    TC_CHECK_EQ_INT(c.stats_keep_days, 30);
    cJSON_Delete(j);
    tc_config_free(&c);
}
