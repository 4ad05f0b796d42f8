/* test_shell.c - the shell history: filter, history files, store, model. */
#include "test.h"

#include "shell/filter.h"
#include "shell/histfile.h"
#include "shell/model.h"
#include "shell/store.h"
#include "util/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- the secret filter: tests/data/shell_secrets.txt ---- */

TC_TEST(shell_filter_table)
{
    FILE *f = fopen("tests/data/shell_secrets.txt", "r");
    char line[4096];
    int n = 0, secrets = 0;
    TC_CHECK(f != NULL);
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        char *tab = strchr(line, '\t');
        tc_shell_verdict v;
        if (line[0] == '#' || !tab) continue;
        *tab = 0;
        tab[1 + strcspn(tab + 1, "\n")] = 0;
        v = tc_shell_filter_check(tab + 1, NULL);
        if (!strcmp(line, "secret") ? v != TC_SHELL_SECRET : v != TC_SHELL_KEEP) {
            char msg[4200];
            snprintf(msg, sizeof msg, "expected %s, got %s: %s", line, tc_shell_verdict_name(v), tab + 1);
            tc_test_fail(__FILE__, __LINE__, msg);
        }
        secrets += !strcmp(line, "secret");
        n++;
    }
    fclose(f);
    TC_CHECK(n >= 40);
    TC_CHECK(secrets >= 20);
}

TC_TEST(shell_filter_space_ignore)
{
    TC_CHECK_EQ_INT(tc_shell_filter_check(" ls -la", NULL), TC_SHELL_SPACE);
    TC_CHECK_EQ_INT(tc_shell_filter_check("   ", NULL), TC_SHELL_SPACE);
    TC_CHECK_EQ_INT(tc_shell_filter_check("", NULL), TC_SHELL_EMPTY);
    TC_CHECK_EQ_INT(tc_shell_filter_check("ls -la", "ls*:cd"), TC_SHELL_IGNORED);
    TC_CHECK_EQ_INT(tc_shell_filter_check("cd", "ls*:cd"), TC_SHELL_IGNORED);
    TC_CHECK_EQ_INT(tc_shell_filter_check("cd src", "ls*:cd"), TC_SHELL_KEEP);
    TC_CHECK_EQ_INT(tc_shell_filter_check("make", ""), TC_SHELL_KEEP);
}

/* ---- history files ---- */

static void parse(const char *text, tc_histfmt want, tc_shell_hist *h)
{
    tc_histfmt f = tc_shell_histfile_detect(text, strlen(text));
    TC_CHECK_EQ_INT(f, want);
    TC_CHECK_EQ_INT(tc_shell_histfile_parse(text, strlen(text), f, h), TC_OK);
}

TC_TEST(shell_histfile_formats)
{
    tc_shell_hist h = {0};
    tc_buf b = {0};
    parse("ls\ncd src\n\nmake test\r\n", TC_HIST_PLAIN, &h);
    TC_CHECK_EQ_INT(h.n, 3);
    if (h.n == 3) TC_CHECK_STR(h.v[2].cmd, "make test");
    tc_shell_hist_free(&h);

    parse("#1700000000\ngit status\n#1700000042\ngit add -p\n", TC_HIST_BASH, &h);
    TC_CHECK_EQ_INT(h.n, 2);
    if (h.n == 2) {
        TC_CHECK_STR(h.v[1].cmd, "git add -p");
        TC_CHECK_EQ_INT(h.v[1].time, 1700000042);
        TC_CHECK_EQ_INT(h.v[1].status, -1);
    }
    tc_shell_hist_free(&h);

    /* zsh: extended lines, a continued line, a metafied byte (0x83 then
     * 0xa9 ^ 32: the second byte of a UTF-8 'é'). */
    parse(": 1700000000:0;git status\n: 1700000005:3;for f in *; do\\\necho $f\\\ndone\n"
          ": 1700000009:0;echo caf\xc3\x83\x89\n",
          TC_HIST_ZSH, &h);
    TC_CHECK_EQ_INT(h.n, 3);
    if (h.n == 3) {
        TC_CHECK_STR(h.v[1].cmd, "for f in *; do\necho $f\ndone");
        TC_CHECK_EQ_INT(h.v[1].time, 1700000005);
        TC_CHECK_STR(h.v[2].cmd, "echo caf\xc3\xa9");
    }
    /* tacit's format: what it writes, it reads back. */
    h.v[0].cwd = strdup("/home/me/a\tb");
    h.v[0].status = 2;
    h.v[0].duration_ms = 15;
    TC_CHECK_EQ_INT(tc_shell_histfile_write(&h, &b), TC_OK);
    {
        tc_shell_hist r = {0};
        parse(b.data, TC_HIST_TACIT, &r);
        TC_CHECK_EQ_INT(r.n, 3);
        if (r.n == 3) {
            TC_CHECK_STR(r.v[0].cwd, "/home/me/a\tb");
            TC_CHECK_EQ_INT(r.v[0].status, 2);
            TC_CHECK_EQ_INT(r.v[0].duration_ms, 15);
            TC_CHECK(r.v[0].repo == NULL);
            TC_CHECK_STR(r.v[1].cmd, "for f in *; do\necho $f\ndone");
            TC_CHECK_EQ_INT(r.v[2].status, -1);
        }
        tc_shell_hist_free(&r);
    }
    tc_buf_free(&b);
    tc_shell_hist_free(&h);
}

/* ---- the store ---- */

TC_TEST(shell_store_bounded)
{
    char path[4096], err[256];
    tc_shell_store *s = NULL;
    tc_shell_hist h = {0};
    snprintf(path, sizeof path, "%s/a/b/shell.db", tc_test_tmpdir());
    TC_CHECK_EQ_INT(tc_shell_store_open(path, 100, &s, err, sizeof err), TC_OK);
    if (!s) return;
    for (int i = 0; i < 300; i++) {
        char cmd[32];
        tc_shell_entry e = {.cmd = cmd, .cwd = "/tmp", .status = i % 3, .duration_ms = i, .time = 1700000000 + i};
        snprintf(cmd, sizeof cmd, "echo %d", i);
        TC_CHECK_EQ_INT(tc_shell_store_add(s, &e), TC_OK);
    }
    /* Pruned every 64 inserts: at most 100 + 64 rows, the newest kept. */
    TC_CHECK(tc_shell_store_count(s) <= 164);
    TC_CHECK(tc_shell_store_count(s) >= 100);
    tc_shell_store_close(s);
    TC_CHECK_EQ_INT(tc_shell_store_open(path, 100, &s, err, sizeof err), TC_OK);
    if (!s) return;
    TC_CHECK_EQ_INT(tc_shell_store_load(s, 0, 10, &h, NULL), TC_OK);
    TC_CHECK_EQ_INT(h.n, 10);
    if (h.n == 10) {
        TC_CHECK_STR(h.v[9].cmd, "echo 299");
        TC_CHECK_STR(h.v[0].cmd, "echo 290");
        TC_CHECK_EQ_INT(h.v[9].status, 299 % 3);
        TC_CHECK_STR(h.v[9].cwd, "/tmp");
    }
    TC_CHECK_EQ_INT(tc_shell_store_imported(s, "/x/.bash_history"), 0);
    TC_CHECK_EQ_INT(tc_shell_store_mark_imported(s, "/x/.bash_history"), TC_OK);
    TC_CHECK_EQ_INT(tc_shell_store_imported(s, "/x/.bash_history"), 1);
    tc_shell_hist_free(&h);
    tc_shell_store_close(s);
}

TC_TEST(shell_store_not_ours)
{
    char path[4096], err[256];
    tc_shell_store *s = NULL;
    snprintf(path, sizeof path, "%s/junk.db", tc_test_tmpdir());
    tc_test_put(tc_test_tmpdir(), "junk.db", "this is not a database, just some text that is long enough");
    TC_CHECK(tc_shell_store_open(path, 0, &s, err, sizeof err) != TC_OK);
    TC_CHECK(s == NULL);
    TC_CHECK(strstr(err, "junk.db") != NULL);
}

/* ---- the model ---- */

static tc_shell_model *learn(const char *const *cmds, const int *status, const char *cwd)
{
    tc_shell_model *m = NULL;
    TC_CHECK_EQ_INT(tc_shell_model_new(NULL, &m), TC_OK);
    for (int i = 0; m && cmds[i]; i++) {
        tc_shell_entry e = {.cmd = (char *)cmds[i], .cwd = (char *)cwd, .status = status ? status[i] : 0,
                            .session = 7};
        TC_CHECK_EQ_INT(tc_shell_model_add(m, &e), TC_OK);
    }
    return m;
}

static const char *top(tc_shell_model *m, tc_shell_ctx *c, tc_shell_cands *out)
{
    TC_CHECK_EQ_INT(tc_shell_model_suggest(m, c, 3, out), TC_OK);
    return out->n ? out->v[0].cmd : "(none)";
}

TC_TEST(shell_model_next_command)
{
    /* After `git add -p` this user commits; after a failed make they open
     * the file; after a good make they run the program. ls is frequent. */
    static const char *const cmds[] = {
        "ls", "git add -p", "git commit", "ls", "make", "vim parse.c", "make", "./app", "ls", "ls",
        "git add -p", "git commit", "make", "vim lexer.c", "make", "./app", "ls", "git status", "ls", NULL};
    static const int st[] = {0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0};
    tc_shell_model *m = learn(cmds, st, "/p");
    tc_shell_cands out = {0};
    tc_shell_ctx c = {.prev = "git add -p", .prev_status = 0, .cwd = "/p"};
    if (!m) return;
    TC_CHECK_STR(top(m, &c, &out), "git commit");
    c.prev = "make";
    c.prev_status = 2;
    TC_CHECK(!strncmp(top(m, &c, &out), "vim ", 4));
    c.prev_status = 0;
    TC_CHECK_STR(top(m, &c, &out), "./app");
    /* Baselines: the most recent and the most frequent. */
    c.rank = TC_SHELL_RANK_RECENT;
    TC_CHECK_STR(top(m, &c, &out), "ls");
    c.prefix = "git";
    TC_CHECK_STR(top(m, &c, &out), "git status");
    c.rank = TC_SHELL_RANK_FREQUENT; /* twice each: the more recent first */
    TC_CHECK_STR(top(m, &c, &out), "git commit");
    TC_CHECK_STR(out.v[1].cmd, "git add -p");
    /* Every candidate has the typed prefix. */
    c.rank = TC_SHELL_RANK_MODEL;
    c.prefix = "vim l";
    TC_CHECK_STR(top(m, &c, &out), "vim lexer.c");
    for (size_t i = 0; i < out.n; i++) TC_CHECK(!strncmp(out.v[i].cmd, "vim l", 5));
    tc_shell_cands_free(&out);
    tc_shell_model_free(m);
}

TC_TEST(shell_model_ngram_new_combination)
{
    /* `docker compose -f X.yml logs` was never typed, but both halves were. */
    static const char *const cmds[] = {"docker compose -f dev.yml up -d", "docker compose -f dev.yml logs",
                                       "docker compose -f prod.yml up -d", "docker compose -f dev.yml logs",
                                       NULL};
    tc_shell_model *m = learn(cmds, NULL, NULL);
    tc_shell_cands out = {0};
    tc_shell_ctx c = {.prefix = "docker compose -f prod.yml l"};
    int found = 0;
    if (!m) return;
    TC_CHECK_EQ_INT(tc_shell_model_suggest(m, &c, 3, &out), TC_OK);
    for (size_t i = 0; i < out.n; i++)
        if (!strcmp(out.v[i].cmd, "docker compose -f prod.yml logs") && out.v[i].ngram) found = 1;
    TC_CHECK(found);
    tc_shell_cands_free(&out);
    tc_shell_model_free(m);
}

TC_TEST(shell_model_paths_checked)
{
    const char *d = tc_test_tmpdir();
    char sub[4096];
    static const char *const cmds[] = {"cat notes.txt", "cd build", "cat gone.txt", "cd missing", NULL};
    tc_shell_model *m;
    tc_shell_cands out = {0};
    tc_shell_ctx c = {.check_paths = 1};
    int seen_gone = 0, seen_notes = 0, seen_missing = 0, seen_build = 0;
    tc_test_put(d, "notes.txt", "x");
    snprintf(sub, sizeof sub, "%s/build", d);
    mkdir(sub, 0700);
    c.cwd = d;
    m = learn(cmds, NULL, d);
    if (!m) return;
    TC_CHECK_EQ_INT(tc_shell_model_suggest(m, &c, 10, &out), TC_OK);
    for (size_t i = 0; i < out.n; i++) {
        seen_gone += !strcmp(out.v[i].cmd, "cat gone.txt");
        seen_notes += !strcmp(out.v[i].cmd, "cat notes.txt");
        seen_missing += !strcmp(out.v[i].cmd, "cd missing");
        seen_build += !strcmp(out.v[i].cmd, "cd build");
    }
    TC_CHECK(seen_notes && seen_build);
    TC_CHECK(!seen_gone && !seen_missing);
    TC_CHECK(tc_shell_paths_ok("mkdir newdir/sub", d));
    TC_CHECK(tc_shell_paths_ok("cp notes.txt copy.txt", d));
    TC_CHECK(tc_shell_paths_ok("git checkout origin/main", d));
    TC_CHECK(tc_shell_paths_ok("kubectl logs deploy/api", d));
    TC_CHECK(tc_shell_paths_ok("go test ./...", d));
    TC_CHECK(tc_shell_paths_ok("ls build/", d));
    TC_CHECK(!tc_shell_paths_ok("ls build/nothing.o", d));
    TC_CHECK(tc_shell_paths_ok("vim new.c", d));
    TC_CHECK(tc_shell_paths_ok("echo hi > out.txt", d));
    TC_CHECK(!tc_shell_paths_ok("less missing.log", d));
    tc_shell_cands_free(&out);
    tc_shell_model_free(m);
}

TC_TEST(shell_store_orders_by_start)
{
    /* Two shells' background recorders may commit out of order: the load
     * puts commands with known start times back in order. */
    char path[4096], err[256];
    tc_shell_store *s = NULL;
    tc_shell_hist h = {0};
    tc_buf b = {0};
    tc_shell_entry e1 = {.cmd = "git add -p", .time = 1700000000, .start_ms = 1700000000100, .status = 0};
    tc_shell_entry e2 = {.cmd = "git commit", .time = 1700000000, .start_ms = 1700000000900, .status = 0};
    tc_shell_entry e0 = {.cmd = "imported", .status = -1};
    snprintf(path, sizeof path, "%s/o.db", tc_test_tmpdir());
    TC_CHECK_EQ_INT(tc_shell_store_open(path, 0, &s, err, sizeof err), TC_OK);
    if (!s) return;
    TC_CHECK_EQ_INT(tc_shell_store_add(s, &e0), TC_OK);
    TC_CHECK_EQ_INT(tc_shell_store_add(s, &e2), TC_OK);
    TC_CHECK_EQ_INT(tc_shell_store_add(s, &e1), TC_OK);
    TC_CHECK_EQ_INT(tc_shell_store_load(s, 0, 0, &h, NULL), TC_OK);
    TC_CHECK_EQ_INT(h.n, 3);
    if (h.n == 3) {
        TC_CHECK_STR(h.v[0].cmd, "imported");
        TC_CHECK_STR(h.v[1].cmd, "git add -p");
        TC_CHECK_STR(h.v[2].cmd, "git commit");
    }
    /* Milliseconds survive tacit's history format. */
    TC_CHECK_EQ_INT(tc_shell_histfile_write(&h, &b), TC_OK);
    TC_CHECK(b.data && strstr(b.data, "1700000000.900\t") != NULL);
    tc_shell_hist_free(&h);
    TC_CHECK_EQ_INT(tc_shell_histfile_parse(b.data, b.len, TC_HIST_TACIT, &h), TC_OK);
    if (h.n == 3) TC_CHECK_EQ_INT(h.v[2].start_ms, 1700000000900LL);
    tc_buf_free(&b);
    tc_shell_hist_free(&h);
    tc_shell_store_close(s);
}
