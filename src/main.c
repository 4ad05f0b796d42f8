/* main.c - the tacit command line. */
#include "cli/cli.h"
#include "edit/edit.h"
#include "eval/eval.h"
#include "eval/history.h"
#include "eval/report.h"
#include "lang/lang.h"
#include "backend/config.h"
#include "lsp/lsp.h"
#include "model/model.h"
#include "suggest/suggest.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/opt.h"
#include "util/status.h"
#include "workspace/index.h"

#include <cjson/cJSON.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

/* The help pages, generated from man/tacit.1.scd by man/help.awk
 * (build/gen/help.c): "tacit" (the overview), then one per command, then
 * {NULL, NULL}. */
typedef struct tc_help_page {
    const char *name, *text;
} tc_help_page;
extern const tc_help_page tc_help_pages[];

static const tc_help_page *help_page(const char *name)
{
    const tc_help_page *p;
    for (p = tc_help_pages; p->name; p++)
        if (strcmp(p->name, name) == 0) return p;
    return NULL;
}

static void usage(FILE *fp) { fputs(help_page("tacit")->text, fp); }

#define ONLY_MAX 256 /* --only, repeated */

typedef struct cli {
    const char *root;
    tc_index_opts iopts;
    tc_model_opts mopts;
    int stats, quiet, json, compare, mode_set;
    const char *buffer, *cases, *out, *save_cases, *report;
    int sweep, intrinsic;
    size_t show;
    tc_history_opts history; /* eval --history N: history.commits = N */
    size_t replayed;         /* ... the commits it replayed */
    const char *only[ONLY_MAX];
    size_t nonly;
    size_t mask, blocks;
    uint64_t seed;
    double threshold;
    tc_mode mode;
} cli;

/* Limits of the numeric options (README, man/tacit.1.scd). */
#define SHOW_MAX 10000                 /* --show */

/* Parse the options shared by the commands, and those extra() knows
 * (extra returns 1 when it took argv[*i], advancing *i past a value, 0 when
 * not, -1 after printing an error). Returns the index of the first
 * non-option argument (argc when none), or -1 after printing a one-line
 * error (a usage error: exit 2). */
static int parse_common(int argc, char **argv, int i, cli *c, int (*extra)(cli *, int, char **, int *))
{
    static const char *const smoothing[] = {"jm", "wb", "ad", NULL};
    static const char *const modes[] = {"full", "ngram", "copy", NULL};
    tc_args a = tc_args_at(argc, argv, i);
    for (; a.i < argc && !a.err; a.i++) {
        int k, r;
        if (tc_opt_str(&a, "--cache-dir", &c->iopts.cache_dir) || tc_opt_str(&a, "--root", &c->root) ||
            tc_opt_size(&a, "--max-file-size", 1, TC_OPT_MAX_FILE_SIZE, &c->iopts.max_file_size) ||
            tc_opt_double(&a, "--threshold", 0, 1, &c->threshold)) {
            continue;
        } else if (tc_opt_choice(&a, "--smoothing", smoothing, &k)) {
            if (!a.err) c->mopts.smoothing = (tc_smoothing)k; /* the enum's order */
        } else if (tc_opt_choice(&a, "--mode", modes, &k)) {
            if (!a.err && tc_mode_parse(modes[k], &c->mode) == TC_OK) c->mode_set = 1;
        } else if (tc_opt_flag(&a, "--json")) {
            c->json = 1;
        } else if (tc_opt_flag(&a, "-q") || tc_opt_flag(&a, "--quiet")) {
            c->quiet = 1;
        } else if (extra && (r = extra(c, argc, argv, &a.i)) != 0) {
            if (r < 0) return -1;
        } else if (argv[a.i][0] == '-' && argv[a.i][1]) {
            tc_opt_unknown(&a, argv[1]);
        } else {
            return a.i;
        }
    }
    return a.err ? -1 : a.i;
}

static int index_extra(cli *c, int argc, char **argv, int *i)
{
    tc_args a = tc_args_at(argc, argv, *i);
    const char *path = NULL;
    if (tc_opt_flag(&a, "--stats")) {
        c->stats = 1;
    } else if (tc_opt_str(&a, "--only", &path)) {
        /* --only PATH (repeatable): re-index just what a caller knows changed */
        if (path && c->nonly == ONLY_MAX) {
            fprintf(stderr, "tacit: at most %d --only paths; index the whole workspace instead\n", ONLY_MAX);
            return -1;
        }
        if (path) c->only[c->nonly++] = path;
    } else {
        return 0;
    }
    *i = a.i;
    return a.err ? -1 : 1;
}

static void print_stats(tc_index *ix, const tc_index_stats *st)
{
    uint64_t toks[TC_LANG_COUNT], total_tok = 0;
    uint32_t files[TC_LANG_COUNT], total_files = 0;
    int l, s;
    tc_index_lang_totals(ix, toks, files);
    printf("workspace  %s\nindex      %s (%.1f MB on disk)\n", tc_index_root(ix), tc_index_cache_dir(ix),
           (double)tc_index_disk_size(ix) / 1e6);
    printf("\n%-10s %10s %12s\n", "language", "files", "tokens");
    for (l = 0; l < TC_LANG_COUNT; l++) {
        if (!files[l]) continue;
        printf("%-10s %10u %12llu\n", tc_lang_name((tc_lang)l), files[l], (unsigned long long)toks[l]);
        total_files += files[l];
        total_tok += toks[l];
    }
    printf("%-10s %10u %12llu\n", "total", total_files, (unsigned long long)total_tok);
    printf("\nskipped\n");
    for (s = 1; s < TC_SKIP_COUNT; s++) printf("  %-12s %u\n", tc_skip_name((tc_skip)s), st->skipped[s]);
    printf("\nvocabulary %u tokens\n", tc_vocab_size(tc_index_vocab(ix)));
    {
        /* The embedded model's counts (built and saved now if need be). */
        tc_model_opts mo;
        tc_model *m = NULL;
        memset(&mo, 0, sizeof mo);
        if (tc_model_open(ix, &mo, &m) == TC_OK) {
            tc_model_stats ms;
            if (!tc_model_loaded(m)) tc_model_save(m);
            tc_model_stats_get(m, &ms);
            printf("model      %llu tokens counted, %.1f MB of counts", (unsigned long long)ms.tokens,
                   (double)ms.bytes / 1e6);
            if (ms.tokens_dropped)
                printf("; over the cap: %llu tokens in %u files dropped", (unsigned long long)ms.tokens_dropped,
                       ms.files_dropped);
            printf("\n");
            tc_model_free(m);
        }
    }
    printf("this run   %.3f s: %u files seen, %u re-lexed (%.1f MB), %u removed, %u directories read\n",
           st->seconds, st->files_seen, st->files_relexed, (double)st->bytes_lexed / 1e6,
           st->files_removed, st->dirs_scanned);
}

static int cmd_index(int argc, char **argv)
{
    cli c = {0};
    tc_index *ix = NULL;
    tc_index_stats st;
    tc_config cfg;
    char err[1024];
    int i = parse_common(argc, argv, 2, &c, index_extra), rc;
    if (i < 0) return 2;
    if (i < argc) c.root = argv[i++];
    if (i < argc && (i = parse_common(argc, argv, i, &c, index_extra)) < 0) return 2; /* options after DIR */
    if (i < argc) {
        fprintf(stderr, "tacit: unexpected argument '%s' for index (one DIR at most)\n", argv[i]);
        return 2;
    }
    c.iopts.root = c.root ? c.root : ".";
    {
        struct stat sb;
        if (stat(c.iopts.root, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            fprintf(stderr, "tacit: cannot index %s: %s\n", c.iopts.root,
                    stat(c.iopts.root, &sb) != 0 ? strerror(errno) : "not a directory");
            return 1;
        }
    }
    c.iopts.progress = !c.quiet;
    c.iopts.light = c.nonly && !c.stats; /* the saved file table stays in the file */
    if (c.quiet) tc_log_set_quiet(1);
    /* The settings' privacy.secret_files are kept out of this index as out
     * of the editor's (a broken settings file is an error, not ignored). */
    tc_config_init(&cfg);
    if (tc_config_load(&cfg, NULL, err, sizeof err)) {
        fprintf(stderr, "tacit: %s\n", err);
        tc_config_free(&cfg);
        return 1;
    }
    c.iopts.secret_files = cfg.secret_files;
    rc = tc_index_open(&c.iopts, &ix);
    tc_config_free(&cfg);
    if (rc) {
        fprintf(stderr, "tacit: cannot open the index for %s: %s\n", c.iopts.root, tc_strerror(rc));
        return 1;
    }
    if (c.nonly) {
        /* paths relative to the workspace (or absolute inside it) */
        const char *rel[256];
        size_t k, rl = strlen(tc_index_root(ix));
        for (k = 0; k < c.nonly; k++) {
            const char *p = c.only[k];
            if (p[0] == '/' && strncmp(p, tc_index_root(ix), rl) == 0 && p[rl] == '/') p += rl + 1;
            rel[k] = p;
        }
        rc = tc_index_update_paths(ix, rel, c.nonly, &st);
    } else {
        rc = tc_index_update(ix, &st);
    }
    if (!rc) rc = tc_index_save(ix);
    if (rc) {
        fprintf(stderr, "tacit: indexing %s failed: %s\n", c.iopts.root, tc_strerror(rc));
        tc_index_free(ix);
        return 1;
    }
    /* Say so when nothing was indexed, or ignore rules that take the whole
     * tree (Debian's kernel source ships a .gitignore whose last rules
     * ignore its whole top level) look like success. */
    if (!c.nonly && tc_index_nfiles(ix) == 0)
        tc_warn("no file to index under %s: every file is ignored (.gitignore, .tacitignore) or "
                "not source code (see tacit index --stats)",
                tc_index_root(ix));
    if (c.stats) {
        print_stats(ix, &st);
    } else if (!c.quiet) {
        fprintf(stderr, "indexed %u files (%u re-lexed, %u removed) in %.3f s\n", st.files_indexed,
                st.files_relexed, st.files_removed, st.seconds);
    }
    tc_index_free(ix);
    return 0;
}

static void engine_opts(const cli *c, tc_engine_opts *eo)
{
    memset(eo, 0, sizeof *eo);
    eo->index = c->iopts;
    eo->model = c->mopts;
    eo->mode = c->mode;
    eo->threshold = c->threshold;
    eo->update = 1;
}

static int eval_extra(cli *c, int argc, char **argv, int *i)
{
    tc_args a = tc_args_at(argc, argv, *i);
    long long n;
    if (tc_opt_str(&a, "--cases", &c->cases) || tc_opt_str(&a, "--out", &c->out) ||
        tc_opt_str(&a, "--save-cases", &c->save_cases) || tc_opt_u64(&a, "--seed", &c->seed) ||
        tc_opt_str(&a, "--report", &c->report))
        ;
    else if (tc_opt_int(&a, "--mask", 1, TC_CASES_MASK_MAX, &n)) c->mask = a.err ? 0 : (size_t)n;
    else if (tc_opt_int(&a, "--blocks", 1, TC_CASES_MASK_MAX, &n)) c->blocks = a.err ? 0 : (size_t)n;
    else if (tc_opt_int(&a, "--show", 1, SHOW_MAX, &n)) c->show = a.err ? 0 : (size_t)n;
    else if (tc_opt_flag(&a, "--compare")) c->compare = 1;
    else if (tc_opt_flag(&a, "--sweep")) c->sweep = 1;
    else if (tc_opt_flag(&a, "--intrinsic")) c->intrinsic = 1;
    else if (tc_opt_int(&a, "--history", 1, TC_HISTORY_MAX, &n)) c->history.commits = a.err ? 0 : (size_t)n;
    else if (tc_opt_int(&a, "--per-commit", 1, TC_CASES_MASK_MAX, &n)) c->history.per_commit = a.err ? 0 : (size_t)n;
    else if (tc_opt_str(&a, "--since", &c->history.since)) ;
    else if (tc_opt_flag(&a, "--rebuild")) c->history.rebuild = 1;
    else return 0;
    *i = a.i;
    return a.err ? -1 : 1;
}

/* A figure rounded to `digits` decimals, so JSON shows 12.392, not
 * 12.392170000006445. */
static double rounded(double x, int digits)
{
    double f = digits == 3 ? 1e3 : 1e4;
    return floor(x * f + 0.5) / f;
}

static cJSON *metrics_json(const tc_metrics *m)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kind", m->kind);
    cJSON_AddNumberToObject(o, "n", (double)m->n);
    cJSON_AddNumberToObject(o, "em", rounded(m->em, 4));
    cJSON_AddNumberToObject(o, "es", rounded(m->es, 4));
    cJSON_AddNumberToObject(o, "coverage", rounded(m->coverage, 4));
    cJSON_AddNumberToObject(o, "precision", rounded(m->precision, 4));
    cJSON_AddNumberToObject(o, "latency_p50_ms", rounded(m->p50, 3));
    cJSON_AddNumberToObject(o, "latency_p95_ms", rounded(m->p95, 3));
    cJSON_AddNumberToObject(o, "latency_p99_ms", rounded(m->p99, 3));
    cJSON_AddNumberToObject(o, "latency_max_ms", rounded(m->max, 3));
    return o;
}

static void print_metrics_table(const char *mode, const tc_metrics *m, size_t nm)
{
    size_t i;
    for (i = 0; i < nm; i++)
        printf("%-6s %-11s %5zu %6.1f%% %6.1f%% %6.1f%% %6.1f%% %7.2f %7.2f %7.2f %7.2f\n", mode, m[i].kind,
               m[i].n, 100 * m[i].em, 100 * m[i].es, 100 * m[i].coverage, 100 * m[i].precision, m[i].p50,
               m[i].p95, m[i].p99, m[i].max);
}

/* Print one case in context: the lines before, the suggestion marked, and
 * what the file really has. */
static void print_case(const tc_case *c, const tc_answer *a)
{
    int color = isatty(1);
    const char *g = color ? "\033[2m" : "[", *ge = color ? "\033[0m" : "]";
    const char *p = c->prefix + strlen(c->prefix), *ls = p, *q;
    const char *sug = a->suggestion ? a->suggestion : "";
    int lines = 0, lineno = 1 + (int)c->prefix_lines_cut;
    for (q = c->prefix; q < p; q++) lineno += *q == '\n';
    while (ls > c->prefix && lines < 3) {
        ls--;
        if (*ls == '\n') lines++;
    }
    if (*ls == '\n') ls++;
    printf("\n%s:%d (%s)\n    ", c->path, lineno, c->kind ? c->kind : "case");
    for (q = ls; q < p; q++) {
        putchar(*q);
        if (*q == '\n') fputs("    ", stdout);
    }
    if (*sug) printf("%s%s%s", g, sug, ge);
    else printf("%s(nothing shown)%s", g, ge);
    printf("\n    -> %s (confidence %.2f, %.1f ms); the file has: %s\n",
           !*sug ? "quiet" : tc_exact_match(sug, c->expected) ? "exact" : "different", a->confidence,
           a->latency_ms, c->expected);
}

/* Show n cases: those where tacit spoke first (right or wrong, in sampling
 * order), then some where it stayed quiet. */
static void print_shown(const tc_caseset *cs, const tc_answer *a, size_t n)
{
    size_t i, spoke = 0, right = 0, shown = 0, quiet_quota = n / 3;
    for (i = 0; i < cs->n; i++) {
        if (!a[i].suggestion || !*a[i].suggestion) continue;
        spoke++;
        right += (size_t)tc_exact_match(a[i].suggestion, cs->v[i].expected);
    }
    printf("\nOf %zu sampled cursors tacit spoke at %zu (%zu exactly right) and stayed quiet at %zu.\n"
           "The first %zu where it spoke, then %zu where it stayed quiet:\n",
           cs->n, spoke, right, cs->n - spoke, n - quiet_quota, quiet_quota);
    for (i = 0; i < cs->n && shown < n - quiet_quota; i++)
        if (a[i].suggestion && *a[i].suggestion) {
            print_case(&cs->v[i], &a[i]);
            shown++;
        }
    for (i = 0, shown = 0; i < cs->n && shown < quiet_quota; i++)
        if (!a[i].suggestion || !*a[i].suggestion) {
            print_case(&cs->v[i], &a[i]);
            shown++;
        }
    printf("\n");
}

/* Precision and coverage had the threshold been t, for a few t (the run
 * itself should use --threshold 0 so every answer is there). */
static void print_sweep(const tc_caseset *cs, const tc_answer *a)
{
    static const double ts[] = {0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8};
    size_t k, i;
    printf("       threshold  coverage  precision  EM\n");
    for (k = 0; k < sizeof ts / sizeof *ts; k++) {
        size_t shown = 0, exact = 0;
        for (i = 0; i < cs->n; i++) {
            if (!a[i].suggestion || !*a[i].suggestion || a[i].confidence < ts[k]) continue;
            shown++;
            exact += (size_t)tc_exact_match(a[i].suggestion, cs->v[i].expected);
        }
        printf("       %9.2f  %7.1f%%  %8.1f%%  %5.1f%%\n", ts[k], 100.0 * (double)shown / (double)cs->n,
               shown ? 100.0 * (double)exact / (double)shown : 0.0, 100.0 * (double)exact / (double)cs->n);
    }
}

/* Bits per token and MRR@10 of the plain and the full model on held-out
 * files of the workspace. */
static int cmd_intrinsic(cli *c)
{
    static const tc_mode modes[] = {TC_MODE_NGRAM, TC_MODE_FULL};
    tc_engine_opts eo;
    tc_engine *e = NULL;
    size_t k;
    int rc;
    tc_log_set_quiet(c->quiet ? 2 : 1);
    c->iopts.root = c->root ? c->root : ".";
    engine_opts(c, &eo);
    eo.mode = TC_MODE_NGRAM;
    if ((rc = tc_engine_open(&eo, &e))) {
        fprintf(stderr, "tacit: cannot open workspace %s: %s\n", c->iopts.root, tc_strerror(rc));
        return 1;
    }
    printf("%-6s %8s %10s %11s %8s\n", "model", "files", "tokens", "bits/token", "MRR@10");
    for (k = 0; k < sizeof modes / sizeof *modes; k++) {
        tc_intrinsic in;
        if ((rc = tc_engine_set_mode(e, modes[k])) || (rc = tc_eval_intrinsic(e, 200000, c->seed, &in))) {
            fprintf(stderr, "tacit: intrinsic evaluation failed: %s\n", tc_strerror(rc));
            tc_engine_free(e);
            return 1;
        }
        printf("%-6s %8zu %10llu %11.3f %7.1f%%\n", tc_mode_name(modes[k]), in.files,
               (unsigned long long)in.tokens, in.bits_per_token, 100 * in.mrr10);
    }
    tc_engine_free(e);
    return 0;
}

/* Does every case name its own workspace root? */
static int all_rooted(const tc_caseset *cs)
{
    size_t i;
    for (i = 0; i < cs->n; i++)
        if (!cs->v[i].root) return 0;
    return 1;
}

/* eval --history: replay with eo's mode; the cases go to *cs (NULL: they
 * are those of an earlier replay, dropped). 0, or 1 after a message. */
static int history_answers(cli *c, const tc_engine_opts *eo, tc_caseset *cs, tc_answer **ans)
{
    tc_caseset again = {0};
    tc_history_stats st;
    tc_history_opts ho = c->history;
    int rc;
    if (!cs) ho.save = NULL; /* written by the first replay */
    rc = tc_history_run(&ho, eo, cs ? cs : &again, ans, &st);
    tc_caseset_free(&again);
    c->replayed = st.commits;
    if (rc) {
        fprintf(stderr, "tacit: history replay of %s failed: %s\n", c->iopts.root, tc_strerror(rc));
        return 1;
    }
    if (!c->quiet)
        fprintf(stderr,
                "tacit: replayed %zu commits (%s) in %.1f s: workspace and engine %.1f s, %zu files written;"
                " cases %.1f s\n",
                st.commits, ho.rebuild ? "a fresh engine each" : "one engine updated", st.seconds, st.update_s,
                st.files_written, st.suggest_s);
    return 0;
}

static int cmd_eval(int argc, char **argv)
{
    cli c = {0};
    tc_caseset cs = {0};
    tc_answer *ans = NULL;
    tc_engine *e = NULL;
    tc_engine_opts eo;
    tc_mode modes[TC_MODE_COUNT];
    size_t nmodes = 0, mi;
    cJSON *jroot = NULL;
    int i, rc = 0;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    c.threshold = -1;
    c.seed = 1;
    for (i = 2; i < argc; i++)
        if (strcmp(argv[i], "--next-edits") == 0) return tc_edit_eval_main(argc, argv); /* edit/eval.c */
    i = parse_common(argc, argv, 2, &c, eval_extra);
    if (i < 0) return 2;
    if (i < argc) {
        tc_args a = tc_args_at(argc, argv, i);
        tc_opt_unknown(&a, "eval");
        return 2;
    }
    if ((c.cases != NULL) + (c.mask != 0 || c.blocks != 0) + c.intrinsic + (c.history.commits != 0) != 1) {
        fprintf(stderr, "tacit: eval takes one of --cases FILE, --mask N [--blocks M] or --intrinsic"
                        " (or --history N; see 'tacit help eval')\n");
        return 2;
    }
    if (!c.history.commits && (c.history.since || c.history.per_commit || c.history.rebuild)) {
        fprintf(stderr, "tacit: --since, --per-commit and --rebuild go with --history N\n");
        return 2;
    }
    if (c.intrinsic && c.report) {
        fprintf(stderr, "tacit: --report is for --cases or --mask runs, not --intrinsic\n");
        return 2;
    }
    if (c.intrinsic) return cmd_intrinsic(&c);
    tc_log_set_quiet(c.quiet ? 2 : 1);
    c.iopts.root = c.root ? c.root : ".";
    c.iopts.progress = !c.quiet;
    engine_opts(&c, &eo);
    if (c.report) eo.threshold = 0; /* every winner, for the report's curve; gated after each run */
    if (c.compare) {
        modes[nmodes++] = TC_MODE_NGRAM;
        modes[nmodes++] = TC_MODE_COPY;
        modes[nmodes++] = TC_MODE_FULL;
    } else {
        modes[nmodes++] = c.mode;
    }
    eo.mode = modes[0];
    if (c.history.commits) {
        /* the workspaces are the parents' trees: nothing of the checkout is opened */
        c.history.repo = c.iopts.root;
        c.history.save = c.save_cases;
        c.history.progress = !c.quiet && isatty(2);
        if (history_answers(&c, &eo, &cs, &ans)) {
            rc = 1;
            goto out;
        }
    } else if (c.cases) {
        rc = tc_cases_read(c.cases, &cs);
    }
    /* the shared workspace, unless every case brings its own root */
    if (!rc && !c.history.commits && (!c.cases || !all_rooted(&cs)) && (rc = tc_engine_open(&eo, &e))) {
        fprintf(stderr, "tacit: cannot open workspace %s: %s\n", c.iopts.root, tc_strerror(rc));
        rc = 1;
        goto out;
    }
    if (!rc && !c.cases && !c.history.commits && !(rc = tc_cases_mask(tc_engine_index(e), c.mask, c.seed, &cs)) &&
        c.blocks)
        rc = tc_cases_mask_blocks(tc_engine_index(e), c.blocks, c.seed, &cs);
    if (rc) {
        fprintf(stderr, "tacit: cannot load cases: %s\n", tc_strerror(rc));
        rc = 1;
        goto out;
    }
    if (!cs.n) {
        fprintf(stderr, "tacit: no cases\n");
        rc = 1;
        goto out;
    }
    if (c.mask && cs.n < c.mask && !c.quiet)
        fprintf(stderr, "tacit: sampled %zu of the %zu cases asked for (too few lines, or 1 GiB of text)\n", cs.n,
                c.mask);
    if (c.save_cases && !c.history.commits) {
        FILE *fp = fopen(c.save_cases, "w");
        if (!fp || tc_cases_write(fp, &cs)) {
            fprintf(stderr, "tacit: cannot write %s\n", c.save_cases);
            if (fp) fclose(fp);
            rc = 1;
            goto out;
        }
        fclose(fp);
    }
    if (c.json) jroot = cJSON_CreateObject();
    else {
        double shown_thr = c.report ? (c.threshold >= 0 ? c.threshold : TC_SUGGEST_DEFAULT_THRESHOLD)
                           : e ? tc_engine_threshold(e)
                               : (eo.threshold < 0 ? TC_SUGGEST_DEFAULT_THRESHOLD : eo.threshold);
        if (c.history.commits)
            printf("%zu cases from %zu commits of %s (history); %ld cores; threshold %.2f\n", cs.n, c.replayed,
                   c.iopts.root, ncpu, shown_thr);
        else
            printf("%zu cases from %s; workspace %s; %ld cores; threshold %.2f\n", cs.n,
                   c.cases ? c.cases : "the workspace (--mask)",
                   e ? tc_index_root(tc_engine_index(e)) : "each case's root", ncpu, shown_thr);
        printf("%-6s %-11s %5s %7s %7s %7s %7s %7s %7s %7s %7s\n", "mode", "kind", "n", "EM", "ES", "cover",
               "prec", "p50ms", "p95ms", "p99ms", "maxms");
    }
    for (mi = 0; mi < nmodes; mi++) {
        tc_metrics m[16];
        size_t nm;
        if (c.history.commits) {
            if (mi && (eo.mode = modes[mi], history_answers(&c, &eo, NULL, &ans))) {
                rc = 1;
                goto out;
            }
        } else {
            eo.mode = modes[mi]; /* the cases' own roots open in it too */
            if (e && (rc = tc_engine_set_mode(e, modes[mi]))) goto fail;
            if ((rc = tc_eval_run(&eo, e, &cs, &ans))) goto fail;
        }
        if (c.report && (rc = tc_report_run(c.report, &cs, ans, mi + 1 == nmodes,
                                            &(tc_report_opts){.threshold = c.threshold, .cores = ncpu,
                                                              .source = c.cases, .mode = tc_mode_name(modes[mi])}))) {
            rc = 1; /* tc_report_run said why */
            goto out;
        }
        nm = tc_eval_metrics(&cs, ans, m, 16);
        if (jroot) {
            cJSON *arr = cJSON_CreateArray();
            size_t k;
            for (k = 0; k < nm; k++) cJSON_AddItemToArray(arr, metrics_json(&m[k]));
            cJSON_AddItemToObject(jroot, tc_mode_name(modes[mi]), arr);
        } else {
            print_metrics_table(tc_mode_name(modes[mi]), m, nm);
        }
        if (c.sweep && !jroot) print_sweep(&cs, ans);
        if (c.show && !jroot && mi + 1 == nmodes) print_shown(&cs, ans, c.show);
        if (c.out && mi + 1 == nmodes) {
            FILE *fp = fopen(c.out, "w");
            if (!fp || tc_eval_write_preds(fp, &cs, ans)) {
                fprintf(stderr, "tacit: cannot write %s\n", c.out);
                if (fp) fclose(fp);
                rc = 1;
                goto out;
            }
            fclose(fp);
        }
        tc_answers_free(ans, cs.n);
        ans = NULL;
    }
    if (jroot) {
        char *js;
        cJSON_AddNumberToObject(jroot, "cases", (double)cs.n);
        cJSON_AddNumberToObject(jroot, "cores", (double)ncpu);
        js = cJSON_Print(jroot);
        printf("%s\n", js);
        free(js);
    }
    rc = 0;
    goto out;
fail:
    fprintf(stderr, "tacit: eval failed: %s\n", tc_strerror(rc));
    rc = 1;
out:
    cJSON_Delete(jroot);
    tc_answers_free(ans, cs.n);
    tc_caseset_free(&cs);
    tc_engine_free(e);
    return rc;
}

static int cmd_lsp(int argc, char **argv) { return tc_lsp_main(argc - 1, argv + 1); }

/* tacit help [COMMAND]: the man page's section for COMMAND. */
static int cmd_help(int argc, char **argv)
{
    const tc_help_page *p;
    if (argc < 3) {
        usage(stdout);
        return 0;
    }
    if (argc > 3) {
        fprintf(stderr, "tacit: help takes one COMMAND, got '%s' too\n", argv[3]);
        return 2;
    }
    if (!(p = help_page(argv[2]))) {
        fprintf(stderr, "tacit: no help for '%s' (commands: index complete eval explain doctor lsp stats shell help version)\n",
                argv[2]);
        return 2;
    }
    fputs(p->text, stdout);
    return 0;
}

/* The library a function lives in, or NULL. */
static const char *lib_of(void *fn)
{
    Dl_info di;
    return fn && dladdr(fn, &di) && di.dli_fname ? di.dli_fname : NULL;
}

/* tacit --version; tacit version [--verbose] */
static int cmd_version(int argc, char **argv)
{
    int verbose = 0, i;
    for (i = 2; i < argc; i++) {
        tc_args a = tc_args_at(argc, argv, i);
        if (tc_opt_flag(&a, "--verbose") || tc_opt_flag(&a, "-v")) verbose = 1;
        else {
            tc_opt_unknown(&a, "version");
            return 2;
        }
    }
    printf("tacit %s\n", TC_VERSION);
    if (verbose) {
        void *curl = dlopen("libcurl.so.4", RTLD_LAZY | RTLD_LOCAL);
        unsigned xxh = XXH_versionNumber();
        printf("build          %s\n", TC_BUILD);
        printf("compiler       %s\n", __VERSION__);
        printf("index format   %u\n", tc_index_format_version());
        printf("model format   %u\n", tc_model_format_version());
        printf("llama.cpp      %s (the release the tests run against: scripts/llama.sh --version)\n",
               TC_LLAMA_TESTED);
        printf("cJSON          %s (%s)\n", cJSON_Version(), lib_of((void *)cJSON_Version));
        printf("xxHash         %u.%u.%u (%s)\n", xxh / 10000, xxh / 100 % 100, xxh % 100,
               lib_of((void *)XXH_versionNumber));
        printf("libcurl        %s\n",
               curl ? "libcurl.so.4, loaded when a model server is used" : "not found (model servers unavailable)");
        if (curl) dlclose(curl);
    }
    return 0;
}

/* Does the command line ask for help (-h or --help after the command)? */
static int wants_help(int argc, char **argv)
{
    int i;
    for (i = 2; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) return 1;
    return 0;
}

int main(int argc, char **argv)
{
    /* Indexing allocates and frees many large token buffers: keep them on
     * the heap for reuse instead of fresh, page-faulting mmaps. */
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "tacit") != 0 && help_page(argv[1]) && wants_help(argc, argv)) {
        fputs(help_page(argv[1])->text, stdout);
        return 0;
    }
    if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0)
        return cmd_version(argc, argv);
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)
        return cmd_help(argc, argv);
    if (strcmp(argv[1], "index") == 0) return cmd_index(argc, argv);
    if (strcmp(argv[1], "complete") == 0) return tc_cmd_complete(argc, argv);
    if (strcmp(argv[1], "explain") == 0) return tc_cmd_explain(argc, argv);
    if (strcmp(argv[1], "doctor") == 0) return tc_cmd_doctor(argc, argv);
    if (strcmp(argv[1], "eval") == 0) return cmd_eval(argc, argv);
    if (strcmp(argv[1], "lsp") == 0) return cmd_lsp(argc, argv);
    if (strcmp(argv[1], "stats") == 0) return tc_cmd_stats(argc, argv);
    if (strcmp(argv[1], "shell") == 0) return tc_cmd_shell(argc, argv);
    fprintf(stderr, "tacit: unknown command '%s' (try 'tacit --help')\n", argv[1]);
    return 2;
}
