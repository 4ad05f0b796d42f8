/* main.c - the tacit command line. */
#include "backend/cli.h"
#include "eval/eval.h"
#include "lang/lang.h"
#include "lsp/lsp.h"
#include "suggest/suggest.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/status.h"
#include "workspace/index.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *fp)
{
    fputs("usage: tacit <command> [options]\n"
          "\n"
          "commands:\n"
          "  index [DIR] [--stats]     index the workspace DIR (default: .)\n"
          "        [--only PATH]...    re-index only these files (a caller that knows\n"
          "                            what changed: a save hook, a watcher)\n"
          "  complete PATH:LINE:COL [--root DIR] [--buffer FILE|-] [--json]\n"
          "                            suggest the rest of the line at a cursor (LINE, COL\n"
          "                            1-based, COL in bytes); prints nothing when unsure\n"
          "  eval --cases FILE.jsonl [--out PREDS.jsonl] [--json]\n"
          "  eval --mask N [--seed S]  sample N line cases from the workspace itself\n"
          "       [--blocks M]        and M block cases (the next 2-10 lines)\n"
          "       [--mode full|ngram|copy] [--compare] [--threshold T]\n"
          "       [--save-cases FILE] [--sweep] [--show N]\n"
          "  eval --intrinsic [--seed S]  bits/token and MRR@10 on held-out files\n"
          "                            score suggestions (shared/eval/FORMAT.md)\n"
          "  complete ... --backend NAME [--deadline MS]\n"
          "                            the embedded suggestion, replaced by a server's\n"
          "                            (llama.cpp, OpenAI-compatible, Mistral, Ollama) when\n"
          "                            it answers in time (docs/backends.md)\n"
          "  explain PATH:LINE:COL [--backend NAME] [--prompt]\n"
          "                            print the exact HTTP request a server would be sent\n"
          "  doctor [--backend NAME]   check the configured servers and settings\n"
          "  lsp [--cache-dir DIR]     a Language Server on stdin/stdout (inline completion)\n"
          "\n"
          "common options:\n"
          "  --cache-dir DIR           where the index lives (default: $XDG_CACHE_HOME/tacit/...)\n"
          "  --max-file-size BYTES     skip files larger than this (default 1 MiB)\n"
          "  --root DIR                the workspace (default: the nearest folder above\n"
          "                            PATH holding .git, else the current folder)\n"
          "  --smoothing jm|wb|ad      n-gram smoothing (default jm)\n"
          "  -q, --quiet               no progress bar, no informational messages\n",
          fp);
}

typedef struct cli {
    const char *root;
    tc_index_opts iopts;
    tc_model_opts mopts;
    int stats, quiet, json, compare, mode_set;
    const char *buffer, *cases, *out, *save_cases;
    int sweep, intrinsic;
    size_t show;
    const char *only[256];
    size_t nonly;
    size_t mask, blocks;
    uint64_t seed;
    double threshold;
    tc_mode mode;
} cli;

/* Parse the options shared by the commands. Returns the index of the first
 * unparsed argument, or -1 on error. */
static int parse_common(int argc, char **argv, int i, cli *c, int (*extra)(cli *, int, char **, int *))
{
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--cache-dir") == 0 && i + 1 < argc) {
            c->iopts.cache_dir = argv[++i];
        } else if (strcmp(a, "--max-file-size") == 0 && i + 1 < argc) {
            c->iopts.max_file_size = strtoull(argv[++i], NULL, 10);
        } else if (strcmp(a, "--root") == 0 && i + 1 < argc) {
            c->root = argv[++i];
        } else if (strcmp(a, "--smoothing") == 0 && i + 1 < argc) {
            const char *v = argv[++i];
            if (strcmp(v, "jm") == 0) c->mopts.smoothing = TC_SMOOTH_JM;
            else if (strcmp(v, "wb") == 0) c->mopts.smoothing = TC_SMOOTH_WB;
            else if (strcmp(v, "ad") == 0) c->mopts.smoothing = TC_SMOOTH_AD;
            else {
                fprintf(stderr, "tacit: --smoothing takes jm, wb or ad\n");
                return -1;
            }
        } else if (strcmp(a, "--threshold") == 0 && i + 1 < argc) {
            c->threshold = strtod(argv[++i], NULL);
        } else if (strcmp(a, "--mode") == 0 && i + 1 < argc) {
            if (tc_mode_parse(argv[++i], &c->mode)) {
                fprintf(stderr, "tacit: --mode takes full, ngram or copy\n");
                return -1;
            }
            c->mode_set = 1;
        } else if (strcmp(a, "--json") == 0) {
            c->json = 1;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            c->quiet = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            exit(0);
        } else if (extra && extra(c, argc, argv, &i)) {
            continue;
        } else if (a[0] == '-') {
            fprintf(stderr, "tacit: unknown option '%s'\n", a);
            return -1;
        } else {
            return i;
        }
    }
    return i;
}

static int index_extra(cli *c, int argc, char **argv, int *i)
{
    if (strcmp(argv[*i], "--stats") == 0) {
        c->stats = 1;
        return 1;
    }
    if (strcmp(argv[*i], "--only") == 0 && *i + 1 < argc) {
        /* --only PATH (repeatable): re-index just what a caller knows changed */
        if (c->nonly < sizeof c->only / sizeof c->only[0]) c->only[c->nonly++] = argv[++*i];
        else ++*i;
        return 1;
    }
    return 0;
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
    int i = parse_common(argc, argv, 2, &c, index_extra), rc;
    if (i < 0) return 2;
    if (i < argc) c.root = argv[i++];
    if (i < argc && (i = parse_common(argc, argv, i, &c, index_extra)) < 0) return 2; /* options after DIR */
    if (i < argc) {
        fprintf(stderr, "tacit: unexpected argument '%s'\n", argv[i]);
        return 2;
    }
    c.iopts.root = c.root ? c.root : ".";
    c.iopts.progress = !c.quiet;
    c.iopts.light = c.nonly && !c.stats; /* the saved file table stays in the file */
    if (c.quiet) tc_log_set_quiet(1);
    rc = tc_index_open(&c.iopts, &ix);
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
    if (c.stats) {
        print_stats(ix, &st);
    } else if (!c.quiet) {
        fprintf(stderr, "indexed %u files (%u re-lexed, %u removed) in %.3f s\n", st.files_indexed,
                st.files_relexed, st.files_removed, st.seconds);
    }
    tc_index_free(ix);
    return 0;
}

/* The workspace root for a file: the nearest folder above it holding .git,
 * else the current folder. Returns a malloc'd absolute path or NULL. */
static char *find_root(const char *file_abs)
{
    char dir[PATH_MAX], probe[PATH_MAX + 8];
    char *slash;
    snprintf(dir, sizeof dir, "%s", file_abs);
    while ((slash = strrchr(dir, '/')) != NULL) {
        *slash = 0;
        snprintf(probe, sizeof probe, "%s/.git", *dir ? dir : "/");
        if (access(probe, F_OK) == 0) return strdup(*dir ? dir : "/");
        if (!*dir) break;
    }
    return getcwd(dir, sizeof dir) ? strdup(dir) : NULL;
}

static char *read_stream(FILE *fp, size_t *len)
{
    tc_buf b = {0};
    if (tc_buf_read_fp(&b, fp, 0)) {
        tc_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.data;
}

static int complete_extra(cli *c, int argc, char **argv, int *i)
{
    if (strcmp(argv[*i], "--buffer") == 0 && *i + 1 < argc) {
        c->buffer = argv[++*i];
        return 1;
    }
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

static int cmd_complete(int argc, char **argv)
{
    cli c = {0};
    char *spec, *p, *root = NULL, *text = NULL, file_abs[PATH_MAX], root_abs[PATH_MAX];
    const char *rel;
    long line, col;
    size_t len = 0, off = 0;
    tc_engine_opts eo;
    tc_engine *e = NULL;
    tc_suggestion s = {0};
    int i, rc = 1;
    c.threshold = -1;
    i = parse_common(argc, argv, 2, &c, complete_extra);
    if (i < 0 || i >= argc) {
        fprintf(stderr, "usage: tacit complete PATH:LINE:COL [--root DIR] [--buffer FILE|-] [--json]\n");
        return 2;
    }
    spec = strdup(argv[i]);
    for (i = i + 1; i < argc; i++) {
        /* options may follow the position */
        int j = parse_common(argc, argv, i, &c, complete_extra);
        if (j < 0) return 2;
        if (j < argc) {
            fprintf(stderr, "tacit: unexpected argument '%s'\n", argv[j]);
            return 2;
        }
        break;
    }
    if (!spec || !(p = strrchr(spec, ':')) || (col = strtol(p + 1, NULL, 10)) < 1) goto bad_spec;
    *p = 0;
    if (!(p = strrchr(spec, ':')) || (line = strtol(p + 1, NULL, 10)) < 1) goto bad_spec;
    *p = 0;
    if (c.quiet) tc_log_set_quiet(1);
    /* A relative PATH that is not there from here is taken relative to
     * --root (so "tacit complete src/a.c:3:1 --root repo" works anywhere). */
    if (c.root && spec[0] != '/' && access(spec, F_OK) != 0) {
        tc_buf b = {0};
        if (tc_buf_printf(&b, "%s/%s", c.root, spec)) goto out;
        free(spec);
        spec = b.data;
    }
    /* The buffer: --buffer FILE, - for standard input, else the file on disk. */
    if (c.buffer) {
        FILE *fp = strcmp(c.buffer, "-") == 0 ? stdin : fopen(c.buffer, "rb");
        if (!fp) {
            fprintf(stderr, "tacit: cannot read buffer %s\n", c.buffer);
            goto out;
        }
        text = read_stream(fp, &len);
        if (fp != stdin) fclose(fp);
    } else {
        FILE *fp = fopen(spec, "rb");
        if (!fp) {
            fprintf(stderr, "tacit: cannot read %s (give --buffer for an unsaved file)\n", spec);
            goto out;
        }
        text = read_stream(fp, &len);
        fclose(fp);
    }
    if (!text) goto out;
    /* LINE:COL to a byte offset; past the end of a line or file clamps. */
    {
        long ln = 1;
        while (ln < line && off < len) {
            if (text[off++] == '\n') ln++;
        }
        while (col > 1 && off < len && text[off] != '\n') {
            off++;
            col--;
        }
    }
    if (!realpath(spec, file_abs)) {
        /* an unsaved file: resolve its folder */
        char tmp[PATH_MAX], *slash;
        snprintf(tmp, sizeof tmp, "%s", spec);
        slash = strrchr(tmp, '/');
        const char *name;
        size_t dl, nl;
        if (slash) {
            *slash = 0;
            if (!realpath(*tmp ? tmp : "/", file_abs)) goto bad_path;
            name = slash + 1;
        } else {
            if (!getcwd(file_abs, sizeof file_abs)) goto bad_path;
            name = tmp;
        }
        dl = strlen(file_abs);
        nl = strlen(name);
        if (dl + 1 + nl >= sizeof file_abs) goto bad_path;
        file_abs[dl] = '/';
        memcpy(file_abs + dl + 1, name, nl + 1);
    }
    root = c.root ? strdup(c.root) : find_root(file_abs);
    if (!root || !realpath(root, root_abs)) goto bad_path;
    {
        size_t rl = strlen(root_abs);
        if (strncmp(file_abs, root_abs, rl) == 0 && file_abs[rl] == '/') rel = file_abs + rl + 1;
        else rel = strrchr(file_abs, '/') + 1;
    }
    c.iopts.root = root_abs;
    engine_opts(&c, &eo);
    tc_log_set_quiet(c.quiet ? 2 : 1);
    if ((rc = tc_engine_open(&eo, &e))) {
        fprintf(stderr, "tacit: cannot open workspace %s: %s\n", root_abs, tc_strerror(rc));
        rc = 1;
        goto out;
    }
    if ((rc = tc_engine_suggest(e, rel, text, len, off, &s))) {
        fprintf(stderr, "tacit: completion failed: %s\n", tc_strerror(rc));
        rc = 1;
        goto out;
    }
    tc_suggestion_print(stdout, &s, c.json);
    rc = 0;
    goto out;
bad_path:
    fprintf(stderr, "tacit: cannot resolve %s or its workspace root\n", spec);
    rc = 1;
    goto out;
bad_spec:
    fprintf(stderr, "tacit: expected PATH:LINE:COL (1-based), got '%s'\n", argv[2]);
    rc = 2;
out:
    tc_suggestion_free(&s);
    tc_engine_free(e);
    free(text);
    free(root);
    free(spec);
    return rc;
}

static int eval_extra(cli *c, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (strcmp(a, "--cases") == 0 && *i + 1 < argc) c->cases = argv[++*i];
    else if (strcmp(a, "--out") == 0 && *i + 1 < argc) c->out = argv[++*i];
    else if (strcmp(a, "--mask") == 0 && *i + 1 < argc) c->mask = strtoull(argv[++*i], NULL, 10);
    else if (strcmp(a, "--blocks") == 0 && *i + 1 < argc) c->blocks = strtoull(argv[++*i], NULL, 10);
    else if (strcmp(a, "--seed") == 0 && *i + 1 < argc) c->seed = strtoull(argv[++*i], NULL, 10);
    else if (strcmp(a, "--compare") == 0) c->compare = 1;
    else if (strcmp(a, "--save-cases") == 0 && *i + 1 < argc) c->save_cases = argv[++*i];
    else if (strcmp(a, "--sweep") == 0) c->sweep = 1;
    else if (strcmp(a, "--intrinsic") == 0) c->intrinsic = 1;
    else if (strcmp(a, "--show") == 0 && *i + 1 < argc) c->show = strtoull(argv[++*i], NULL, 10);
    else return 0;
    return 1;
}

static cJSON *metrics_json(const tc_metrics *m)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kind", m->kind);
    cJSON_AddNumberToObject(o, "n", (double)m->n);
    cJSON_AddNumberToObject(o, "em", m->em);
    cJSON_AddNumberToObject(o, "es", m->es);
    cJSON_AddNumberToObject(o, "coverage", m->coverage);
    cJSON_AddNumberToObject(o, "precision", m->precision);
    cJSON_AddNumberToObject(o, "latency_p50_ms", m->p50);
    cJSON_AddNumberToObject(o, "latency_p95_ms", m->p95);
    cJSON_AddNumberToObject(o, "latency_p99_ms", m->p99);
    cJSON_AddNumberToObject(o, "latency_max_ms", m->max);
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
    int lines = 0, lineno = 1;
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
    int i, rc = 1;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    c.threshold = -1;
    c.seed = 1;
    i = parse_common(argc, argv, 2, &c, eval_extra);
    if (i < 0) return 2;
    if (i < argc) {
        fprintf(stderr, "tacit: unexpected argument '%s'\n", argv[i]);
        return 2;
    }
    if (!c.cases && !c.mask && !c.blocks && !c.intrinsic) {
        fprintf(stderr, "usage: tacit eval --cases FILE.jsonl | --mask N [--seed S] | --intrinsic [--root DIR]\n");
        return 2;
    }
    if (c.intrinsic) return cmd_intrinsic(&c);
    tc_log_set_quiet(c.quiet ? 2 : 1);
    c.iopts.root = c.root ? c.root : ".";
    c.iopts.progress = !c.quiet;
    engine_opts(&c, &eo);
    if (c.compare) {
        modes[nmodes++] = TC_MODE_NGRAM;
        modes[nmodes++] = TC_MODE_COPY;
        modes[nmodes++] = TC_MODE_FULL;
    } else {
        modes[nmodes++] = c.mode;
    }
    eo.mode = modes[0];
    if ((rc = tc_engine_open(&eo, &e))) {
        fprintf(stderr, "tacit: cannot open workspace %s: %s\n", c.iopts.root, tc_strerror(rc));
        return 1;
    }
    if (c.cases) rc = tc_cases_read(c.cases, &cs);
    else if (!(rc = tc_cases_mask(tc_engine_index(e), c.mask, c.seed, &cs)) && c.blocks)
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
    if (c.save_cases) {
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
        printf("%zu cases from %s; workspace %s; %ld cores; threshold %.2f\n", cs.n,
               c.cases ? c.cases : "the workspace (--mask)", tc_index_root(tc_engine_index(e)), ncpu,
               tc_engine_threshold(e));
        printf("%-6s %-11s %5s %7s %7s %7s %7s %7s %7s %7s %7s\n", "mode", "kind", "n", "EM", "ES", "cover",
               "prec", "p50ms", "p95ms", "p99ms", "maxms");
    }
    for (mi = 0; mi < nmodes; mi++) {
        tc_metrics m[16];
        size_t nm;
        if ((rc = tc_engine_set_mode(e, modes[mi]))) goto fail;
        if ((rc = tc_eval_run(&eo, e, &cs, &ans))) goto fail;
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
    if (strcmp(argv[1], "index") == 0) return cmd_index(argc, argv);
    if (strcmp(argv[1], "complete") == 0 && tc_cli_has_backend(argc, argv)) return tc_cmd_complete_backend(argc, argv);
    if (strcmp(argv[1], "complete") == 0) return cmd_complete(argc, argv);
    if (strcmp(argv[1], "explain") == 0) return tc_cmd_explain(argc, argv);
    if (strcmp(argv[1], "doctor") == 0) return tc_cmd_doctor(argc, argv);
    if (strcmp(argv[1], "eval") == 0) return cmd_eval(argc, argv);
    if (strcmp(argv[1], "lsp") == 0) return cmd_lsp(argc, argv);
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "tacit: unknown command '%s' (try 'tacit --help')\n", argv[1]);
    return 2;
}
