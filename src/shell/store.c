/* store.c - the shell history store in SQLite; see store.h. */
#include "shell/store.h"

#include "util/status.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define SCHEMA_VERSION 1
#define DEFAULT_MAX 100000
#define PRUNE_EVERY 64
#define BUSY_MS 5000

struct tc_shell_store {
    sqlite3 *db;
    sqlite3_stmt *ins;
    uint64_t max;
};

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

int tc_shell_hist_push(tc_shell_hist *h, const tc_shell_entry *e)
{
    tc_shell_entry c = *e;
    if (h->n == h->cap) {
        size_t nc = h->cap ? h->cap * 2 : 256;
        tc_shell_entry *v = realloc(h->v, nc * sizeof *v);
        if (!v) return TC_ENOMEM;
        h->v = v;
        h->cap = nc;
    }
    c.cmd = strdup(e->cmd ? e->cmd : "");
    c.cwd = dup_or_null(e->cwd);
    c.repo = dup_or_null(e->repo);
    c.branch = dup_or_null(e->branch);
    if (!c.cmd || (e->cwd && !c.cwd) || (e->repo && !c.repo) || (e->branch && !c.branch)) {
        free(c.cmd);
        free(c.cwd);
        free(c.repo);
        free(c.branch);
        return TC_ENOMEM;
    }
    h->v[h->n++] = c;
    return TC_OK;
}

void tc_shell_hist_free(tc_shell_hist *h)
{
    if (!h) return;
    for (size_t i = 0; i < h->n; i++) {
        free(h->v[i].cmd);
        free(h->v[i].cwd);
        free(h->v[i].repo);
        free(h->v[i].branch);
    }
    free(h->v);
    memset(h, 0, sizeof *h);
}

int tc_shell_store_path(char *buf, size_t n)
{
    const char *e = getenv("TACIT_SHELL_DB"), *x = getenv("XDG_DATA_HOME"), *h = getenv("HOME");
    int k;
    if (e && *e) k = snprintf(buf, n, "%s", e);
    else if (x && *x) k = snprintf(buf, n, "%s/tacit/shell.db", x);
    else if (h && *h) k = snprintf(buf, n, "%s/.local/share/tacit/shell.db", h);
    else return TC_ENOENT;
    return k < 0 || (size_t)k >= n ? TC_ETOOBIG : TC_OK;
}

/* mkdir -p of the folder holding path. */
static int make_parent(const char *path)
{
    char d[4096];
    size_t n = strlen(path);
    if (n >= sizeof d) return TC_ETOOBIG;
    memcpy(d, path, n + 1);
    for (char *p = d + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(d, 0700) && errno != EEXIST) return TC_EIO;
        *p = '/';
    }
    return TC_OK;
}

static int exec_sql(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK) return TC_OK;
    if (err) snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return TC_EIO;
}

int tc_shell_store_open(const char *path, uint64_t max_entries, tc_shell_store **out, char *err, size_t errlen)
{
    char def[4096];
    tc_shell_store *s = NULL;
    sqlite3_stmt *st = NULL;
    int rc, ver = 0;
    *out = NULL;
    if (!path) {
        if ((rc = tc_shell_store_path(def, sizeof def))) {
            snprintf(err, errlen, "no place for the store (set XDG_DATA_HOME or HOME)");
            return rc;
        }
        path = def;
    }
    if (make_parent(path)) {
        snprintf(err, errlen, "%s: cannot make its folder: %s", path, strerror(errno));
        return TC_EIO;
    }
    if (!(s = calloc(1, sizeof *s))) return TC_ENOMEM;
    s->max = max_entries ? max_entries : DEFAULT_MAX;
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path, s->db ? sqlite3_errmsg(s->db) : "cannot open");
        rc = TC_EIO;
        goto fail;
    }
    sqlite3_busy_timeout(s->db, BUSY_MS);
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        snprintf(err, errlen, "%s: not a tacit shell store (%s)", path, sqlite3_errmsg(s->db));
        rc = TC_ECORRUPT;
        goto fail;
    }
    ver = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (ver != 0 && ver != SCHEMA_VERSION) {
        snprintf(err, errlen, "%s: store format %d, this tacit reads %d", path, ver, SCHEMA_VERSION);
        rc = TC_ECORRUPT;
        goto fail;
    }
    /* WAL: concurrent shells; NORMAL sync: a crash of a process loses
     * nothing committed (only a power loss may drop the last commits). */
    if ((rc = exec_sql(s->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", err, errlen))) goto fail;
    if (ver == 0 &&
        (rc = exec_sql(s->db,
                       "BEGIN IMMEDIATE;"
                       "CREATE TABLE IF NOT EXISTS history(id INTEGER PRIMARY KEY, time INTEGER, start_ms INTEGER,"
                       " duration_ms INTEGER, status INTEGER, session INTEGER, cwd TEXT, repo TEXT,"
                       " branch TEXT, cmd TEXT NOT NULL);"
                       "CREATE TABLE IF NOT EXISTS imports(path TEXT PRIMARY KEY, time INTEGER);"
                       "PRAGMA user_version=1;"
                       "COMMIT;",
                       err, errlen)))
        goto fail;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO history(time,duration_ms,status,session,cwd,repo,branch,cmd,start_ms)"
                           " VALUES(?,?,?,?,?,?,?,?,?)",
                           -1, &s->ins, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(s->db));
        rc = TC_EIO;
        goto fail;
    }
    *out = s;
    return TC_OK;
fail:
    sqlite3_finalize(st);
    tc_shell_store_close(s);
    return rc;
}

void tc_shell_store_close(tc_shell_store *s)
{
    if (!s) return;
    sqlite3_finalize(s->ins);
    sqlite3_close(s->db);
    free(s);
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v) sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, i);
}

static int insert_one(tc_shell_store *s, const tc_shell_entry *e)
{
    sqlite3_stmt *st = s->ins;
    int ok;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, e->time);
    sqlite3_bind_int(st, 2, e->duration_ms);
    sqlite3_bind_int(st, 3, e->status);
    sqlite3_bind_int64(st, 4, e->session);
    bind_text(st, 5, e->cwd);
    bind_text(st, 6, e->repo);
    bind_text(st, 7, e->branch);
    bind_text(st, 8, e->cmd ? e->cmd : "");
    sqlite3_bind_int64(st, 9, e->start_ms);
    ok = sqlite3_step(st) == SQLITE_DONE;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return ok ? TC_OK : TC_EIO;
}

/* Delete the oldest rows past the bound (inside the caller's transaction). */
static int prune(tc_shell_store *s, int always)
{
    char sql[160];
    if (!always && sqlite3_last_insert_rowid(s->db) % PRUNE_EVERY != 0) return TC_OK;
    snprintf(sql, sizeof sql,
             "DELETE FROM history WHERE id <= (SELECT id FROM history ORDER BY id DESC LIMIT 1 OFFSET %llu)",
             (unsigned long long)s->max);
    return exec_sql(s->db, sql, NULL, 0);
}

int tc_shell_store_add(tc_shell_store *s, const tc_shell_entry *e)
{
    int rc;
    if (exec_sql(s->db, "BEGIN IMMEDIATE", NULL, 0)) return TC_EIO;
    rc = insert_one(s, e);
    if (!rc) rc = prune(s, 0);
    if (!rc) rc = exec_sql(s->db, "COMMIT", NULL, 0);
    if (rc) exec_sql(s->db, "ROLLBACK", NULL, 0);
    return rc;
}

int tc_shell_store_add_all(tc_shell_store *s, const tc_shell_hist *h)
{
    int rc = TC_OK;
    if (exec_sql(s->db, "BEGIN IMMEDIATE", NULL, 0)) return TC_EIO;
    for (size_t i = 0; i < h->n && !rc; i++) rc = insert_one(s, &h->v[i]);
    if (!rc) rc = prune(s, 1);
    if (!rc) rc = exec_sql(s->db, "COMMIT", NULL, 0);
    if (rc) exec_sql(s->db, "ROLLBACK", NULL, 0);
    return rc;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NULL : (const char *)sqlite3_column_text(st, i);
}

int tc_shell_store_load(tc_shell_store *s, int64_t after, uint64_t limit, tc_shell_hist *out, int64_t *last_id)
{
    sqlite3_stmt *st = NULL;
    size_t first = out->n;
    int rc = TC_OK, r;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT time,duration_ms,status,session,cwd,repo,branch,cmd,id,start_ms FROM history"
                           " WHERE id > ? ORDER BY id DESC LIMIT ?",
                           -1, &st, NULL) != SQLITE_OK)
        return TC_EIO;
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int64(st, 2, limit ? (int64_t)limit : -1);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        tc_shell_entry e = {0};
        if (last_id && out->n == first) *last_id = sqlite3_column_int64(st, 8);
        e.time = sqlite3_column_int64(st, 0);
        e.duration_ms = sqlite3_column_int(st, 1);
        e.status = sqlite3_column_int(st, 2);
        e.session = sqlite3_column_int64(st, 3);
        e.cwd = (char *)col_text(st, 4);
        e.repo = (char *)col_text(st, 5);
        e.branch = (char *)col_text(st, 6);
        e.cmd = (char *)col_text(st, 7);
        e.start_ms = sqlite3_column_int64(st, 9);
        if ((rc = tc_shell_hist_push(out, &e))) break;
    }
    if (!rc && r != SQLITE_DONE) rc = TC_EIO;
    sqlite3_finalize(st);
    /* Newest first from SQL: reverse the appended part. */
    for (size_t i = first, j = out->n; i + 1 < j; i++, j--) {
        tc_shell_entry t = out->v[i];
        out->v[i] = out->v[j - 1];
        out->v[j - 1] = t;
    }
    /* Rows of the same moment may have arrived out of order: put
     * neighbours with known start times in order (nearly sorted: linear). */
    for (size_t i = first + 1; i < out->n; i++)
        for (size_t j = i; j > first && out->v[j].start_ms && out->v[j - 1].start_ms &&
                           out->v[j - 1].start_ms > out->v[j].start_ms;
             j--) {
            tc_shell_entry t = out->v[j];
            out->v[j] = out->v[j - 1];
            out->v[j - 1] = t;
        }
    return rc;
}

int64_t tc_shell_store_count(tc_shell_store *s)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM history", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

int tc_shell_store_imported(tc_shell_store *s, const char *path)
{
    sqlite3_stmt *st = NULL;
    int found = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM imports WHERE path=?", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
        found = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return found;
}

int tc_shell_store_mark_imported(tc_shell_store *s, const char *path)
{
    sqlite3_stmt *st = NULL;
    int rc = TC_EIO;
    if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO imports(path,time) VALUES(?,?)", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, (int64_t)time(NULL));
        if (sqlite3_step(st) == SQLITE_DONE) rc = TC_OK;
    }
    sqlite3_finalize(st);
    return rc;
}
