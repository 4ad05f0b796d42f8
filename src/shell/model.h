/* model.h - the next-command model: which command the user runs next, or
 * how the one being typed ends, from their own history.
 *
 * Candidates come from two sources:
 *   history  every distinct command seen, scored by a mixture of
 *            distributions over commands, each conditioned on one piece
 *            of context (McFly's idea, as one probability):
 *              the previous command of the session, with and without its
 *              exit status class (ok / failed); its first two words; its
 *              program (first word), with the status class;
 *              the current directory; the current repository;
 *              recency (occurrences decayed by age in commands, tau);
 *              frequency.
 *            Each component's weight is its prior weight times its
 *            confidence n/(n+2) (n: events seen in that context), so a
 *            context never seen gives way to the others.
 *   n-gram   a trigram model over the shell tokens of every command
 *            (lang/lex_shell.c's tokens), completing the typed line token
 *            by token (beam of 3, then greedy to the end of the line): a
 *            new combination of arguments can be proposed. These follow
 *            the history candidates (they fill the list when the history
 *            has too few with the typed prefix).
 * A candidate always starts with the typed prefix. With check_paths, a
 * candidate naming a path that does not exist from cwd is dropped (`cd X`:
 * X must be a directory; arguments that look like paths must exist, except
 * where the command creates them: mkdir, touch, output redirections, the
 * last argument of cp/mv/ln, git clone, ...).
 * Baselines (rank): the most recent command with the prefix
 * (zsh-autosuggestions' default) and the most frequent one.
 * Memory: about 200 bytes per distinct command plus the counts. Not
 * thread-safe.
 */
#ifndef TC_SHELL_MODEL_H
#define TC_SHELL_MODEL_H

#include "shell/store.h"

#include <stddef.h>

typedef struct tc_shell_model tc_shell_model;

typedef enum tc_shell_rank {
    TC_SHELL_RANK_MODEL = 0, /* tacit: the mixture, then n-gram completions */
    TC_SHELL_RANK_RECENT,    /* baseline: most recent first */
    TC_SHELL_RANK_FREQUENT,  /* baseline: most frequent first */
} tc_shell_rank;

typedef struct tc_shell_ctx {
    const char *prefix; /* the typed text ("" or NULL: an empty line) */
    const char *cwd;    /* current directory (NULL: unknown) */
    const char *repo;   /* its git work tree (NULL: none/unknown) */
    const char *prev;   /* the session's previous command (NULL: none) */
    int prev_status;    /* its exit status; -1 unknown */
    int check_paths;    /* 1: drop candidates whose paths do not exist */
    tc_shell_rank rank;
} tc_shell_ctx;

typedef struct tc_shell_cand {
    char *cmd;    /* owned */
    double score; /* larger is better; comparable within one answer */
    int ngram;    /* 1: proposed by the n-gram model, not seen as a whole */
} tc_shell_cand;

typedef struct tc_shell_cands {
    tc_shell_cand *v;
    size_t n;
} tc_shell_cands;

typedef struct tc_shell_model_opts {
    int eager_ngram; /* 1: train the n-gram with each command (a replay that
                        asks after every command); 0 (default): at the first
                        question that needs it (a one-shot answer) */
} tc_shell_model_opts;

/* A new, empty model (opts NULL: defaults). TC_OK / TC_ENOMEM. */
int tc_shell_model_new(const tc_shell_model_opts *opts, tc_shell_model **out);
void tc_shell_model_free(tc_shell_model *m);
/* Learn one command, in history order (the previous command is the last
 * one added with the same session, or the last one added if session is 0).
 * TC_OK / TC_ENOMEM (the model stays usable, without this entry). */
int tc_shell_model_add(tc_shell_model *m, const tc_shell_entry *e);
/* The k best candidates for c, best first, into out (reset first).
 * TC_OK / TC_ENOMEM. */
int tc_shell_model_suggest(tc_shell_model *m, const tc_shell_ctx *c, size_t k, tc_shell_cands *out);
void tc_shell_cands_free(tc_shell_cands *c);
/* Distinct commands learnt. */
size_t tc_shell_model_size(const tc_shell_model *m);

/* 1 if the paths cmd names exist as it needs them from cwd (see above). */
int tc_shell_paths_ok(const char *cmd, const char *cwd);
/* The git work tree holding dir (the folder with .git), into root, and its
 * branch (from .git/HEAD; "" when detached or unknown) into branch.
 * TC_OK, TC_ENOENT outside a work tree. */
int tc_shell_git_info(const char *dir, char *root, size_t rootlen, char *branch, size_t branchlen);

#endif
