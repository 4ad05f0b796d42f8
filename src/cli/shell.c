/* shell.c - `tacit shell`: the next shell command (src/shell/).
 *
 *   tacit shell init bash|zsh       the integration to eval from the rc file
 *   tacit shell record --cmd CMD [--cwd DIR] [--status N] [--duration MS]
 *                      [--start UNIX[.FRACTION]] [--session PID]
 *   tacit shell suggest [--prefix TEXT] [--cwd DIR] [--prev CMD]
 *                       [--prev-status N] [-n K] [--limit N] [--no-check-paths]
 *                       [--no-daemon]
 *   tacit shell import [FILE...] [--force]
 *   tacit shell export
 *   tacit shell eval HISTORY|--store [--limit N] [--json]
 *   tacit shell daemon [--detach] [--idle SECONDS]
 * suggest asks the daemon (shell/daemon.h) when one answers, else answers
 * itself from the store (--no-daemon: always itself).
 * The integration passes the command, the previous command and the typed
 * line in the environment (TACIT_SHELL_CMD, TACIT_SHELL_PREV,
 * TACIT_SHELL_PREFIX) rather than as arguments: other users can read a
 * process's arguments, not its environment.
 * Settings (environment): TACIT_SHELL_RECORD=off, TACIT_SHELL_DAEMON=off, TACIT_SHELL_IGNORE
 * (HISTIGNORE-style ':'-separated globs), TACIT_SHELL_MAX_ENTRIES (the
 * store's bound, default 100000), TACIT_SHELL_DB (the store's path).
 */
#include "cli/cli.h"

#include "shell/daemon.h"
#include "shell/filter.h"
#include "shell/histfile.h"
#include "shell/model.h"
#include "shell/record.h"
#include "shell/scripts.h"
#include "shell/store.h"
#include "util/buf.h"
#include "util/opt.h"
#include "util/status.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_LOAD 20000

static uint64_t max_entries(void)
{
    const char *e = getenv("TACIT_SHELL_MAX_ENTRIES");
    long long v;
    if (e && *e && tc_opt_parse_int(e, 100, 100000000, &v) == TC_OK) return (uint64_t)v;
    return 0;
}

static int recording_off(void)
{
    const char *e = getenv("TACIT_SHELL_RECORD");
    return e && (!strcmp(e, "off") || !strcmp(e, "0") || !strcmp(e, "no") || !strcmp(e, "false"));
}

static int open_store(tc_shell_store **s)
{
    char err[512] = "";
    int rc = tc_shell_store_open(NULL, max_entries(), s, err, sizeof err);
    if (rc) fprintf(stderr, "tacit: shell store: %s\n", err[0] ? err : tc_strerror(rc));
    return rc;
}

/* Append s to q in single quotes. */
static int put_quoted(tc_buf *q, const char *s)
{
    int rc = tc_buf_puts(q, "'");
    for (; *s && !rc; s++) rc = *s == '\'' ? tc_buf_puts(q, "'\\''") : tc_buf_append(q, s, 1);
    return rc ? rc : tc_buf_puts(q, "'");
}

/* tacit shell init bash|zsh: the script with @TACIT_BIN@ and @TACIT_SOCK@
 * replaced by the binary's and the daemon socket's quoted paths. */
static int shell_init(int argc, char **argv)
{
    char self[PATH_MAX], sock[256] = "";
    const char *script;
    ssize_t n;
    tc_buf bin = {0}, so = {0};
    int rc = 2;
    if (argc != 4 || (strcmp(argv[3], "bash") && strcmp(argv[3], "zsh"))) {
        fprintf(stderr, "tacit: shell init takes bash or zsh (eval \"$(tacit shell init zsh)\" in ~/.zshrc)\n");
        return 2;
    }
    script = strcmp(argv[3], "bash") ? tc_shell_script_zsh : tc_shell_script_bash;
    if ((n = readlink("/proc/self/exe", self, sizeof self - 1)) <= 0) snprintf(self, sizeof self, "tacit");
    else self[n] = 0;
    if (tc_shell_daemon_path(sock, sizeof sock)) sock[0] = 0;
    if (put_quoted(&bin, self) || put_quoted(&so, sock)) goto out;
    while (*script) {
        const char *at = strchr(script, '@');
        if (!at) {
            fputs(script, stdout);
            break;
        }
        fwrite(script, 1, (size_t)(at - script), stdout);
        if (!strncmp(at, "@TACIT_BIN@", 11)) {
            fputs(bin.data, stdout);
            script = at + 11;
        } else if (!strncmp(at, "@TACIT_SOCK@", 12)) {
            fputs(so.data, stdout);
            script = at + 12;
        } else {
            fputc('@', stdout);
            script = at + 1;
        }
    }
    rc = 0;
out:
    tc_buf_free(&bin);
    tc_buf_free(&so);
    return rc;
}

/* tacit shell record --cmd CMD ... : one command into the store, unless
 * recording is off or the filter refuses it (silently: exit 0). */
static int shell_record(int argc, char **argv)
{
    tc_args a = tc_args_at(argc, argv, 3);
    const char *cmd = NULL, *cwd = NULL;
    long long status = -1, dur = -1, session = 0;
    double start = 0;
    tc_shell_entry e = {0};
    tc_shell_store *s = NULL;
    int rc;
    for (; a.i < argc && !a.err; a.i++) {
        if (tc_opt_str(&a, "--cmd", &cmd)) {
        } else if (tc_opt_str(&a, "--cwd", &cwd)) {
        } else if (tc_opt_int(&a, "--status", -1, 1000, &status)) {
        } else if (tc_opt_int(&a, "--duration", -1, INT32_MAX, &dur)) {
        } else if (tc_opt_double(&a, "--start", 0, 1e11, &start)) {
        } else if (tc_opt_int(&a, "--session", 0, INT64_MAX, &session)) {
        } else
            tc_opt_unknown(&a, "shell");
    }
    if (a.err) return 2;
    if (!cmd) cmd = getenv("TACIT_SHELL_CMD");
    if (!cmd) {
        fprintf(stderr, "tacit: shell record needs --cmd CMD (or TACIT_SHELL_CMD)\n");
        return 2;
    }
    if (recording_off()) return 0;
    e.cmd = (char *)cmd;
    e.cwd = (char *)cwd;
    e.status = (int32_t)status;
    e.duration_ms = (int32_t)dur;
    if (start > 0) {
        e.time = (int64_t)start;
        e.start_ms = (int64_t)(start * 1000.0 + 0.5);
    } else
        e.time = (int64_t)time(NULL);
    e.session = session;
    if (open_store(&s)) return 1;
    if ((rc = tc_shell_record(s, &e, getenv("TACIT_SHELL_IGNORE"), NULL)))
        fprintf(stderr, "tacit: shell record: %s\n", tc_strerror(rc));
    tc_shell_store_close(s);
    return rc ? 1 : 0;
}

/* Learn hist[0..n) into a new model. */
static int model_of(const tc_shell_hist *h, int eager, tc_shell_model **m)
{
    tc_shell_model_opts o = {.eager_ngram = eager};
    int rc = tc_shell_model_new(&o, m);
    for (size_t i = 0; i < h->n && !rc; i++) rc = tc_shell_model_add(*m, &h->v[i]);
    return rc;
}

static int daemon_off(void)
{
    const char *e = getenv("TACIT_SHELL_DAEMON");
    return e && (!strcmp(e, "off") || !strcmp(e, "0") || !strcmp(e, "no") || !strcmp(e, "false"));
}

/* How long a one-shot waits for the server before answering itself. */
#define DAEMON_WAIT_MS 200

/* Print the first k of the answer lines, leaving out the typed line itself. */
static void print_answers(const char *lines, const char *prefix, size_t k)
{
    size_t shown = 0;
    while (*lines && shown < k) {
        size_t n = strcspn(lines, "\n");
        if (!(*prefix && strlen(prefix) == n && !strncmp(lines, prefix, n))) {
            fwrite(lines, 1, n, stdout);
            fputc('\n', stdout);
            shown++;
        }
        lines += n + (lines[n] == '\n');
    }
}

/* tacit shell daemon [--detach] [--idle S]: serve suggestions from memory. */
static int shell_daemon(int argc, char **argv)
{
    tc_args a = tc_args_at(argc, argv, 3);
    tc_shell_daemon_opts o = {.max_entries = max_entries()};
    long long idle = 0;
    int detach = 0, rc;
    char err[512] = "";
    for (; a.i < argc && !a.err; a.i++) {
        if (tc_opt_flag(&a, "--detach")) detach = 1;
        else if (tc_opt_int(&a, "--idle", 1, 86400 * 30, &idle)) o.idle_s = (int)idle;
        else tc_opt_unknown(&a, "shell");
    }
    if (a.err) return 2;
    if (daemon_off()) return 0;
    if (detach) {
        pid_t p = fork();
        if (p < 0) {
            fprintf(stderr, "tacit: shell daemon: cannot fork: %s\n", strerror(errno));
            return 1;
        }
        if (p > 0) return 0;
        setsid();
        {
            int nul = open("/dev/null", O_RDWR);
            if (nul >= 0) {
                dup2(nul, 0);
                dup2(nul, 1);
                dup2(nul, 2);
                if (nul > 2) close(nul);
            }
        }
    }
    rc = tc_shell_daemon_run(&o, err, sizeof err);
    if (rc == TC_ECANCEL) return 0; /* one already serves */
    if (rc) {
        fprintf(stderr, "tacit: shell daemon: %s\n", err[0] ? err : tc_strerror(rc));
        return 1;
    }
    return 0;
}

/* tacit shell suggest: the best K completions of the line, one a line. */
static int shell_suggest(int argc, char **argv)
{
    tc_args a = tc_args_at(argc, argv, 3);
    tc_shell_ctx c = {.prefix = "", .prev_status = -1, .check_paths = 1};
    long long k = 1, limit = DEFAULT_LOAD, pst = -1;
    char path[4096], cwdbuf[4096], root[4096], branch[256];
    struct stat st;
    tc_shell_store *s = NULL;
    tc_shell_hist h = {0};
    tc_shell_model *m = NULL;
    tc_shell_cands out = {0};
    int rc = 1, use_daemon = 1, prefix_set = 0;
    for (; a.i < argc && !a.err; a.i++) {
        if (tc_opt_str(&a, "--prefix", &c.prefix)) {
            prefix_set = 1;
        } else if (tc_opt_str(&a, "--cwd", &c.cwd)) {
        } else if (tc_opt_str(&a, "--prev", &c.prev)) {
        } else if (tc_opt_int(&a, "--prev-status", -1, 1000, &pst)) {
        } else if (tc_opt_int(&a, "-n", 1, 100, &k)) {
        } else if (tc_opt_int(&a, "--limit", 1, 100000000, &limit)) {
        } else if (tc_opt_flag(&a, "--no-check-paths")) {
            c.check_paths = 0;
        } else if (tc_opt_flag(&a, "--no-daemon")) {
            use_daemon = 0;
        } else
            tc_opt_unknown(&a, "shell");
    }
    if (a.err) return 2;
    c.prev_status = (int)pst;
    if (!c.prev) c.prev = getenv("TACIT_SHELL_PREV");
    if (!prefix_set && getenv("TACIT_SHELL_PREFIX")) c.prefix = getenv("TACIT_SHELL_PREFIX");
    if (c.prev && !*c.prev) c.prev = NULL;
    if (!c.cwd && getcwd(cwdbuf, sizeof cwdbuf)) c.cwd = cwdbuf;
    if (use_daemon && !daemon_off()) {
        tc_buf ans = {0};
        if (tc_shell_daemon_ask(NULL, &c, (size_t)k + 1, DAEMON_WAIT_MS, &ans) == TC_OK) {
            print_answers(ans.data ? ans.data : "", c.prefix, (size_t)k);
            tc_buf_free(&ans);
            return 0;
        }
        tc_buf_free(&ans);
    }
    if (c.cwd && tc_shell_git_info(c.cwd, root, sizeof root, branch, sizeof branch) == TC_OK) c.repo = root;
    /* No store yet: nothing to suggest (and nothing created). */
    if (tc_shell_store_path(path, sizeof path) || stat(path, &st)) return 0;
    if (open_store(&s)) goto out;
    if (tc_shell_store_load(s, 0, (uint64_t)limit, &h, NULL) || model_of(&h, 0, &m) ||
        tc_shell_model_suggest(m, &c, (size_t)k + 1, &out)) {
        fprintf(stderr, "tacit: shell suggest failed\n");
        goto out;
    }
    {
        tc_buf lines = {0};
        for (size_t i = 0; i < out.n; i++)
            if (!strchr(out.v[i].cmd, '\n') && tc_buf_printf(&lines, "%s\n", out.v[i].cmd)) break;
        print_answers(lines.data ? lines.data : "", c.prefix, (size_t)k);
        tc_buf_free(&lines);
    }
    rc = 0;
out:
    tc_shell_cands_free(&out);
    tc_shell_model_free(m);
    tc_shell_hist_free(&h);
    tc_shell_store_close(s);
    return rc;
}

/* Read a whole file into b. */
static int read_file(const char *path, tc_buf *b)
{
    FILE *f = fopen(path, "rb");
    int rc;
    if (!f) return TC_EIO;
    rc = tc_buf_read_fp(b, f, 1u << 30);
    fclose(f);
    return rc;
}

/* tacit shell import [FILE...] [--force] */
static int shell_import(int argc, char **argv)
{
    tc_args a = tc_args_at(argc, argv, 3);
    const char *files[64];
    char defs[2][4096];
    size_t nf = 0;
    int force = 0, rc = 0;
    tc_shell_store *s = NULL;
    const char *home = getenv("HOME");
    for (; a.i < argc && !a.err; a.i++) {
        if (tc_opt_flag(&a, "--force")) force = 1;
        else if (argv[a.i][0] == '-' && argv[a.i][1]) tc_opt_unknown(&a, "shell");
        else if (nf < 64) files[nf++] = argv[a.i];
    }
    if (a.err) return 2;
    if (!nf && home) {
        struct stat st;
        snprintf(defs[0], sizeof defs[0], "%s/.bash_history", home);
        snprintf(defs[1], sizeof defs[1], "%s/.zsh_history", home);
        for (int i = 0; i < 2; i++)
            if (!stat(defs[i], &st)) files[nf++] = defs[i];
        if (!nf) {
            fprintf(stderr, "tacit: no ~/.bash_history or ~/.zsh_history to import (name a file)\n");
            return 1;
        }
    }
    if (open_store(&s)) return 1;
    for (size_t i = 0; i < nf; i++) {
        char real[PATH_MAX];
        tc_buf b = {0};
        tc_shell_hist h = {0}, keep = {0};
        size_t why[5] = {0};
        tc_histfmt fmt;
        const char *key = realpath(files[i], real) ? real : files[i];
        if (!force && tc_shell_store_imported(s, key)) {
            fprintf(stderr, "tacit: %s was imported before (--force imports it again)\n", files[i]);
            continue;
        }
        if (read_file(files[i], &b)) {
            fprintf(stderr, "tacit: cannot read %s: %s\n", files[i], strerror(errno));
            rc = 1;
            tc_buf_free(&b);
            continue;
        }
        fmt = tc_shell_histfile_detect(b.data, b.len);
        if (tc_shell_histfile_parse(b.data, b.len, fmt, &h)) rc = 1;
        for (size_t j = 0; j < h.n && !rc; j++) {
            tc_shell_verdict v = tc_shell_filter_check(h.v[j].cmd, getenv("TACIT_SHELL_IGNORE"));
            why[v]++;
            if (v == TC_SHELL_KEEP && tc_shell_hist_push(&keep, &h.v[j])) rc = 1;
        }
        if (!rc && (tc_shell_store_add_all(s, &keep) || tc_shell_store_mark_imported(s, key))) rc = 1;
        if (rc) fprintf(stderr, "tacit: importing %s failed (nothing of it kept)\n", files[i]);
        else
            printf("%s (%s): %zu commands imported, %zu skipped (secret %zu, ignored %zu, leading space %zu)\n",
                   files[i], tc_shell_histfmt_name(fmt), keep.n, h.n - keep.n, why[TC_SHELL_SECRET],
                   why[TC_SHELL_IGNORED], why[TC_SHELL_SPACE]);
        tc_shell_hist_free(&h);
        tc_shell_hist_free(&keep);
        tc_buf_free(&b);
    }
    tc_shell_store_close(s);
    return rc;
}

/* tacit shell export: the store in tacit's history format. */
static int shell_export(int argc)
{
    tc_shell_store *s = NULL;
    tc_shell_hist h = {0};
    tc_buf b = {0};
    int rc = 1;
    if (argc > 3) {
        fprintf(stderr, "tacit: shell export takes no argument\n");
        return 2;
    }
    if (open_store(&s)) return 1;
    if (!tc_shell_store_load(s, 0, 0, &h, NULL) && !tc_shell_histfile_write(&h, &b)) {
        fwrite(b.data, 1, b.len, stdout);
        rc = 0;
    }
    tc_buf_free(&b);
    tc_shell_hist_free(&h);
    tc_shell_store_close(s);
    return rc;
}

/* Replay scores: [ranker][empty line, 2 chars][top-1, top-3]. */
enum { R_TACIT, R_RECENT, R_FREQ, R_N };
static const char *const ranker_names[R_N] = {"tacit", "most recent", "most frequent"};

static int eval_step(tc_shell_model *m, const tc_shell_ctx *base, const char *truth, int pre,
                     uint64_t hits[R_N][2][2], tc_shell_cands *out)
{
    char p2[8];
    tc_shell_ctx c = *base;
    int rc = TC_OK;
    if (pre) {
        memcpy(p2, truth, 2);
        p2[2] = 0;
        c.prefix = p2;
    }
    for (int r = 0; r < R_N && !rc; r++) {
        c.rank = r == R_TACIT ? TC_SHELL_RANK_MODEL : r == R_RECENT ? TC_SHELL_RANK_RECENT : TC_SHELL_RANK_FREQUENT;
        if ((rc = tc_shell_model_suggest(m, &c, 3, out))) break;
        for (size_t i = 0; i < out->n; i++)
            if (!strcmp(out->v[i].cmd, truth)) {
                if (i == 0) hits[r][pre][0]++;
                hits[r][pre][1]++;
                break;
            }
    }
    return rc;
}

/* tacit shell eval HISTORY|--store [--limit N] [--json] */
static int shell_eval(int argc, char **argv)
{
    tc_args a = tc_args_at(argc, argv, 3);
    const char *file = NULL;
    int use_store = 0, json = 0, rc = 1;
    long long limit = 0;
    tc_shell_hist h = {0};
    tc_shell_model *m = NULL;
    tc_shell_cands out = {0};
    tc_buf b = {0};
    tc_histfmt fmt = TC_HIST_TACIT;
    uint64_t hits[R_N][2][2] = {{{0}}}, n_empty = 0, n_pre = 0;
    struct {
        int64_t session;
        size_t idx;
    } last[64];
    size_t nlast = 0;
    struct timespec t0, t1;
    tc_shell_model_opts mo = {.eager_ngram = 1};
    for (; a.i < argc && !a.err; a.i++) {
        if (tc_opt_flag(&a, "--store")) use_store = 1;
        else if (tc_opt_flag(&a, "--json")) json = 1;
        else if (tc_opt_int(&a, "--limit", 1, 100000000, &limit)) {
        } else if (argv[a.i][0] != '-' && !file) file = argv[a.i];
        else tc_opt_unknown(&a, "shell");
    }
    if (a.err) return 2;
    if (!file == !use_store) {
        fprintf(stderr, "tacit: shell eval takes a history file or --store\n");
        return 2;
    }
    if (use_store) {
        tc_shell_store *s = NULL;
        if (open_store(&s)) return 1;
        rc = tc_shell_store_load(s, 0, (uint64_t)limit, &h, NULL);
        tc_shell_store_close(s);
        if (rc) {
            fprintf(stderr, "tacit: cannot read the shell store\n");
            goto out;
        }
    } else {
        if (read_file(file, &b)) {
            fprintf(stderr, "tacit: cannot read %s: %s\n", file, strerror(errno));
            goto out;
        }
        fmt = tc_shell_histfile_detect(b.data, b.len);
        if (tc_shell_histfile_parse(b.data, b.len, fmt, &h)) goto fail;
    }
    if (tc_shell_model_new(&mo, &m)) goto fail;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t i = 0; i < h.n; i++) {
        const tc_shell_entry *e = &h.v[i];
        tc_shell_ctx c = {.cwd = e->cwd, .repo = e->repo, .prev_status = -1};
        size_t j;
        for (j = 0; j < nlast && last[j].session != e->session; j++) {}
        if (j < nlast) {
            c.prev = h.v[last[j].idx].cmd;
            c.prev_status = h.v[last[j].idx].status;
        }
        if (i > 0) {
            n_empty++;
            if (eval_step(m, &c, e->cmd, 0, hits, &out)) goto fail;
            if (strlen(e->cmd) > 2) {
                n_pre++;
                if (eval_step(m, &c, e->cmd, 1, hits, &out)) goto fail;
            }
        }
        if (tc_shell_model_add(m, e)) goto fail;
        if (j == nlast) {
            if (nlast < 64) nlast++;
            else j = i % 64;
            last[j].session = e->session;
        }
        last[j].idx = i;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    {
        double ms = ((double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
        double de = n_empty ? (double)n_empty : 1, dp = n_pre ? (double)n_pre : 1;
        if (json) {
            printf("{\"history\":\"%s\",\"format\":\"%s\",\"commands\":%zu,\"distinct\":%zu,\"ms\":%.1f",
                   use_store ? "store" : "file", tc_shell_histfmt_name(fmt), h.n, tc_shell_model_size(m), ms);
            for (int r = 0; r < R_N; r++)
                printf(",\"%s\":{\"empty_top1\":%.4f,\"empty_top3\":%.4f,\"pre2_top1\":%.4f,\"pre2_top3\":%.4f}",
                       r == R_TACIT ? "tacit" : r == R_RECENT ? "recent" : "frequent", hits[r][0][0] / de,
                       hits[r][0][1] / de, hits[r][1][0] / dp, hits[r][1][1] / dp);
            printf("}\n");
        } else {
            printf("%s (%s): %zu commands, %zu distinct, replayed in %.0f ms\n", use_store ? "store" : file,
                   tc_shell_histfmt_name(fmt), h.n, tc_shell_model_size(m), ms);
            printf("%-14s %21s %21s\n", "", "empty line", "after 2 chars");
            printf("%-14s %10s %10s %10s %10s\n", "", "top-1", "top-3", "top-1", "top-3");
            for (int r = 0; r < R_N; r++)
                printf("%-14s %9.1f%% %9.1f%% %9.1f%% %9.1f%%\n", ranker_names[r], 100.0 * hits[r][0][0] / de,
                       100.0 * hits[r][0][1] / de, 100.0 * hits[r][1][0] / dp, 100.0 * hits[r][1][1] / dp);
            if (hits[R_RECENT][1][0])
                printf("top-1 after 2 chars, tacit / most recent: %.2fx\n",
                       (double)hits[R_TACIT][1][0] / (double)hits[R_RECENT][1][0]);
        }
    }
    rc = 0;
    goto out;
fail:
    fprintf(stderr, "tacit: shell eval failed (out of memory?)\n");
    rc = 1;
out:
    tc_shell_cands_free(&out);
    tc_shell_model_free(m);
    tc_shell_hist_free(&h);
    tc_buf_free(&b);
    return rc;
}

int tc_cmd_shell(int argc, char **argv)
{
    const char *sub = argc > 2 ? argv[2] : "";
    if (!strcmp(sub, "init")) return shell_init(argc, argv);
    if (!strcmp(sub, "record")) return shell_record(argc, argv);
    if (!strcmp(sub, "suggest")) return shell_suggest(argc, argv);
    if (!strcmp(sub, "import")) return shell_import(argc, argv);
    if (!strcmp(sub, "export")) return shell_export(argc);
    if (!strcmp(sub, "eval")) return shell_eval(argc, argv);
    if (!strcmp(sub, "daemon")) return shell_daemon(argc, argv);
    fprintf(stderr, "tacit: shell needs one of init, record, suggest, import, export, eval, daemon (tacit help shell)\n");
    return 2;
}
