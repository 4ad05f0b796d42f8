/* main.c - the tacit command line. */
#include "lang/lang.h"
#include "util/log.h"
#include "util/status.h"
#include "workspace/index.h"

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
          "\n"
          "common options:\n"
          "  --cache-dir DIR           where the index lives (default: $XDG_CACHE_HOME/tacit/...)\n"
          "  --max-file-size BYTES     skip files larger than this (default 1 MiB)\n"
          "  -q, --quiet               no progress bar, no informational messages\n",
          fp);
}

typedef struct cli {
    const char *root;
    tc_index_opts iopts;
    int stats, quiet;
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
    (void)argc;
    if (strcmp(argv[*i], "--stats") == 0) {
        c->stats = 1;
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
    if (i < argc) {
        fprintf(stderr, "tacit: unexpected argument '%s'\n", argv[i]);
        return 2;
    }
    c.iopts.root = c.root ? c.root : ".";
    c.iopts.progress = !c.quiet;
    if (c.quiet) tc_log_set_quiet(1);
    rc = tc_index_open(&c.iopts, &ix);
    if (rc) {
        fprintf(stderr, "tacit: cannot open the index for %s: %s\n", c.iopts.root, tc_strerror(rc));
        return 1;
    }
    rc = tc_index_update(ix, &st);
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

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "index") == 0) return cmd_index(argc, argv);
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "tacit: unknown command '%s' (try 'tacit --help')\n", argv[1]);
    return 2;
}
