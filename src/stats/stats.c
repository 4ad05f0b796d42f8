/* stats.c - the outcomes store: SQLite in WAL mode; see stats.h. */
#include "stats/stats.h"
#include "util/status.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_BUSY_MS 50

const int tc_stats_horizons[TC_STATS_NHORIZONS] = {30, 120, 600};
const char *const tc_stats_horizon_names[TC_STATS_NHORIZONS] = {"30s", "2m", "10m"};

struct tc_stats {
    sqlite3 *db;
    sqlite3_stmt *ins; /* the INSERT of one event (writers only) */
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS events("
    " t INTEGER NOT NULL, kind INTEGER NOT NULL, sid INTEGER NOT NULL,"
    " lang TEXT NOT NULL, file TEXT NOT NULL, chars INTEGER NOT NULL,"
    " partial INTEGER NOT NULL, horizon INTEGER NOT NULL, kept INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS events_t ON events(t);"
    "PRAGMA user_version = 1;";

static int is_busy(int rc) { return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED; }

const char *tc_stats_default_path(char *buf, size_t n)
{
    const char *x = getenv("XDG_STATE_HOME"), *h = getenv("HOME");
    if (x && *x == '/') snprintf(buf, n, "%s/tacit/outcomes.db", x);
    else snprintf(buf, n, "%s/.local/state/tacit/outcomes.db", h && *h ? h : ".");
    return buf;
}

/* mkdir -p of path's folder (mode 0700 for the ones made). */
static int make_parent(const char *path)
{
    char dir[4096];
    size_t i, n = strlen(path);
    if (n >= sizeof dir) return TC_EINVAL;
    memcpy(dir, path, n + 1);
    while (n && dir[n - 1] != '/') n--;
    if (n <= 1) return TC_OK;
    dir[n - 1] = 0;
    for (i = 1; i <= n - 1; i++) {
        if (dir[i] != '/' && dir[i] != 0) continue;
        char c = dir[i];
        dir[i] = 0;
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) return TC_EIO;
        dir[i] = c;
    }
    return TC_OK;
}

static void set_err(char *err, size_t n, const char *path, const char *what)
{
    if (err && n) snprintf(err, n, "%s: %s", path, what);
}

int tc_stats_open(const char *path, const tc_stats_opts *o, tc_stats **out, int *busy, char *err, size_t errlen)
{
    tc_stats_opts none = {0, 0, 0};
    tc_stats *s = NULL;
    sqlite3_stmt *st = NULL;
    struct stat sb;
    int rc = TC_EIO, src, version = -1, has_table = 0, nobjects = -1;
    *out = NULL;
    if (busy) *busy = 0;
    if (!o) o = &none;
    if (stat(path, &sb) != 0) {
        if (errno != ENOENT || !o->create) {
            set_err(err, errlen, path, errno == ENOENT ? "no outcomes recorded yet" : strerror(errno));
            return errno == ENOENT ? TC_ENOENT : TC_EIO;
        }
        if (make_parent(path)) {
            set_err(err, errlen, path, "cannot create its folder");
            return TC_EIO;
        }
    } else if (!S_ISREG(sb.st_mode)) {
        set_err(err, errlen, path, "not a regular file");
        return TC_EINVAL;
    }
    if (!(s = calloc(1, sizeof *s))) return TC_ENOMEM;
    src = sqlite3_open_v2(path, &s->db,
                          (o->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
                              (o->create && !o->read_only ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX,
                          NULL);
    if (src != SQLITE_OK) {
        set_err(err, errlen, path, s->db ? sqlite3_errmsg(s->db) : "cannot open");
        goto out;
    }
    sqlite3_busy_timeout(s->db, o->busy_ms > 0 ? o->busy_ms : DEFAULT_BUSY_MS);
    if (!o->read_only) {
        /* WAL: readers never block the writer, writers queue on one lock */
        src = sqlite3_exec(s->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", NULL, NULL, NULL);
        if (src != SQLITE_OK) goto sql_fail;
    }
    src = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL);
    if (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW) version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (version < 0) goto sql_fail;
    src = sqlite3_prepare_v2(s->db, "SELECT COUNT(*), SUM(type='table' AND name='events') FROM sqlite_master", -1,
                             &st, NULL);
    if (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        nobjects = sqlite3_column_int(st, 0);
        has_table = sqlite3_column_int(st, 1) > 0;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (nobjects < 0) goto sql_fail;
    /* a new (empty) file only: never add a table to another program's database */
    if (version == 0 && nobjects == 0 && o->create && !o->read_only) {
        src = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        if (src == SQLITE_OK) src = sqlite3_exec(s->db, schema, NULL, NULL, NULL);
        if (src == SQLITE_OK) src = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
        if (src != SQLITE_OK) {
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            goto sql_fail;
        }
        version = TC_STATS_FORMAT;
        has_table = 1;
    }
    if (version != TC_STATS_FORMAT || !has_table) {
        char what[160];
        snprintf(what, sizeof what, "not a tacit outcomes store of format %d (format %d%s); move it away", TC_STATS_FORMAT,
                 version, has_table ? "" : ", no events table");
        set_err(err, errlen, path, what);
        rc = TC_ECORRUPT;
        goto out;
    }
    if (!o->read_only &&
        sqlite3_prepare_v3(s->db,
                           "INSERT INTO events(t,kind,sid,lang,file,chars,partial,horizon,kept) "
                           "VALUES(?,?,?,?,?,?,?,?,?)",
                           -1, SQLITE_PREPARE_PERSISTENT, &s->ins, NULL) != SQLITE_OK)
        goto sql_fail;
    *out = s;
    return TC_OK;
sql_fail:
    if (busy && is_busy(src)) *busy = 1;
    set_err(err, errlen, path, (src & 0xff) == SQLITE_NOTADB ? "not a SQLite database; move it away" : sqlite3_errmsg(s->db));
    rc = (src & 0xff) == SQLITE_NOTADB || (src & 0xff) == SQLITE_CORRUPT ? TC_ECORRUPT : TC_EIO;
out:
    tc_stats_close(s);
    return rc;
}

void tc_stats_close(tc_stats *s)
{
    if (!s) return;
    sqlite3_finalize(s->ins);
    sqlite3_close(s->db);
    free(s);
}

int tc_stats_add(tc_stats *s, const tc_stats_event *ev, size_t n, int *busy)
{
    int src;
    size_t i;
    if (busy) *busy = 0;
    if (!s->ins) return TC_EINVAL;
    if (!n) return TC_OK;
    /* IMMEDIATE: take the write lock first (a deferred transaction that
     * upgrades later could fail with SQLITE_BUSY without waiting) */
    if ((src = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) != SQLITE_OK) goto fail;
    for (i = 0; i < n; i++) {
        const tc_stats_event *e = &ev[i];
        sqlite3_reset(s->ins);
        sqlite3_bind_int64(s->ins, 1, e->t_ms);
        sqlite3_bind_int(s->ins, 2, e->kind);
        sqlite3_bind_int64(s->ins, 3, (sqlite3_int64)(e->sid & 0x7fffffffffffffffull));
        sqlite3_bind_text(s->ins, 4, e->lang ? e->lang : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(s->ins, 5, e->file ? e->file : "", -1, SQLITE_STATIC);
        sqlite3_bind_int64(s->ins, 6, e->chars);
        sqlite3_bind_int(s->ins, 7, e->partial);
        sqlite3_bind_int(s->ins, 8, e->horizon_s);
        sqlite3_bind_int(s->ins, 9, e->kept);
        src = sqlite3_step(s->ins);
        sqlite3_clear_bindings(s->ins);
        if (src != SQLITE_DONE) {
            sqlite3_reset(s->ins);
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            goto fail;
        }
    }
    sqlite3_reset(s->ins);
    if ((src = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        goto fail;
    }
    return TC_OK;
fail:
    if (busy && is_busy(src)) *busy = 1;
    return TC_EIO;
}

int tc_stats_prune(tc_stats *s, int64_t before_ms, int64_t *deleted, int *busy)
{
    sqlite3_stmt *st = NULL;
    int src;
    if (busy) *busy = 0;
    if (deleted) *deleted = 0;
    src = sqlite3_prepare_v2(s->db, "DELETE FROM events WHERE t < ?", -1, &st, NULL);
    if (src == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, before_ms);
        src = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (src != SQLITE_DONE) {
        if (busy && is_busy(src)) *busy = 1;
        return TC_EIO;
    }
    if (deleted) *deleted = sqlite3_changes64(s->db);
    return TC_OK;
}

int tc_stats_summary(tc_stats *s, int64_t since_ms, int by, size_t max, tc_stats_row **rows, size_t *n)
{
    static const char *const keys[] = {"''", "lang", "file"};
    char sql[1024];
    sqlite3_stmt *st = NULL;
    tc_stats_row *v = NULL;
    size_t nv = 0, cap = 0;
    int src, rc = TC_EIO, h;
    *rows = NULL;
    *n = 0;
    if (by < TC_STATS_BY_NONE || by > TC_STATS_BY_FILE) return TC_EINVAL;
    /* one pass: each count is a sum of a condition */
    snprintf(sql, sizeof sql,
             "SELECT %s AS k, SUM(kind=1), SUM(kind=2), SUM(kind=2 AND partial), SUM(kind=3),"
             " SUM(kind=4 AND horizon=%d AND kept=1), SUM(kind=4 AND horizon=%d AND kept>=0), SUM(kind=4 AND horizon=%d AND kept<0),"
             " SUM(kind=4 AND horizon=%d AND kept=1), SUM(kind=4 AND horizon=%d AND kept>=0), SUM(kind=4 AND horizon=%d AND kept<0),"
             " SUM(kind=4 AND horizon=%d AND kept=1), SUM(kind=4 AND horizon=%d AND kept>=0), SUM(kind=4 AND horizon=%d AND kept<0)"
             " FROM events WHERE t >= ?1 GROUP BY k ORDER BY SUM(kind=1) DESC, k LIMIT ?2",
             keys[by], tc_stats_horizons[0], tc_stats_horizons[0], tc_stats_horizons[0], tc_stats_horizons[1],
             tc_stats_horizons[1], tc_stats_horizons[1], tc_stats_horizons[2], tc_stats_horizons[2],
             tc_stats_horizons[2]);
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) goto out;
    sqlite3_bind_int64(st, 1, since_ms);
    sqlite3_bind_int64(st, 2, max > 0 && max < (size_t)INT32_MAX ? (sqlite3_int64)max : -1);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        tc_stats_row *r;
        const unsigned char *k = sqlite3_column_text(st, 0);
        if (nv == cap) {
            size_t nc = cap ? cap * 2 : 16;
            tc_stats_row *nr = realloc(v, nc * sizeof *nr);
            if (!nr) {
                rc = TC_ENOMEM;
                goto out;
            }
            v = nr;
            cap = nc;
        }
        r = &v[nv++];
        memset(r, 0, sizeof *r);
        snprintf(r->key, sizeof r->key, "%s", k ? (const char *)k : "");
        r->shown = sqlite3_column_int64(st, 1);
        r->accepted = sqlite3_column_int64(st, 2);
        r->partial = sqlite3_column_int64(st, 3);
        r->dismissed = sqlite3_column_int64(st, 4);
        for (h = 0; h < TC_STATS_NHORIZONS; h++) {
            r->kept[h] = sqlite3_column_int64(st, 5 + 3 * h);
            r->checked[h] = sqlite3_column_int64(st, 6 + 3 * h);
            r->unknown[h] = sqlite3_column_int64(st, 7 + 3 * h);
        }
    }
    if (src != SQLITE_DONE) goto out;
    *rows = v;
    *n = nv;
    v = NULL;
    rc = TC_OK;
out:
    sqlite3_finalize(st);
    free(v);
    return rc;
}

int tc_stats_daily(tc_stats *s, int64_t now_ms, int ndays, int64_t *shown, int64_t *accepted)
{
    sqlite3_stmt *st = NULL;
    char day[16];
    int i, src, rc = TC_EIO;
    time_t now = (time_t)(now_ms / 1000);
    struct tm tm;
    for (i = 0; i < ndays; i++) shown[i] = accepted[i] = 0;
    if (ndays <= 0) return TC_OK;
    /* the local midnight that starts the first day */
    localtime_r(&now, &tm);
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_mday -= ndays - 1;
    tm.tm_isdst = -1;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT date(t/1000,'unixepoch','localtime') AS d, SUM(kind=1), SUM(kind=2) FROM events"
                           " WHERE t >= ?1 GROUP BY d",
                           -1, &st, NULL) != SQLITE_OK)
        return TC_EIO;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)mktime(&tm) * 1000);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *d = sqlite3_column_text(st, 0);
        for (i = 0; d && i < ndays; i++) {
            time_t ti = now - (time_t)(ndays - 1 - i) * 86400;
            struct tm ti_tm;
            localtime_r(&ti, &ti_tm);
            strftime(day, sizeof day, "%Y-%m-%d", &ti_tm);
            if (strcmp(day, (const char *)d) == 0) {
                shown[i] += sqlite3_column_int64(st, 1);
                accepted[i] += sqlite3_column_int64(st, 2);
                break;
            }
        }
    }
    if (src == SQLITE_DONE) rc = TC_OK;
    sqlite3_finalize(st);
    return rc;
}

int64_t tc_stats_count(tc_stats *s)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(s->db, "SELECT COUNT(*) FROM events", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

int tc_stats_check(tc_stats *s, char *buf, size_t n)
{
    sqlite3_stmt *st = NULL;
    int rc = TC_ECORRUPT;
    snprintf(buf, n, "integrity check failed to run");
    if (sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(buf, n, "%s", t ? (const char *)t : "");
        if (t && strcmp((const char *)t, "ok") == 0) rc = TC_OK;
    }
    sqlite3_finalize(st);
    return rc;
}
