/* history.h - completion cases replayed from a git repository's history
 * (`tacit eval --history N`; docs/eval-format.md).
 *
 * tc_history_run walks the last N non-merge commits of the repository
 * holding opts->repo (in topological order from HEAD: a branch's commits
 * stay together), replaying them oldest first. For each commit C with
 * parent P:
 *   - the workspace is P's tree, written into a private temporary folder.
 *     The repository is only read, through libgit2: the user's checkout,
 *     index, refs and worktree list are never touched. From one commit to
 *     the next only the files that differ between the parents' trees are
 *     rewritten, and the one engine's index, model and retrieval follow
 *     those changes (tc_index_update, tc_engine_refresh): nothing is
 *     rebuilt (opts->rebuild: a fresh engine per commit, the reference);
 *   - the cases are lines C added to files it modified (code files; the
 *     line rules of tc_cases_mask), at most per_commit of them, spread
 *     evenly over the commit's added lines; kind "history", id
 *     "<commit>:<n>", cursor after the indentation;
 *   - the buffer is the file as it stood while the user typed that line,
 *     top to bottom: C's version up to the cursor, then the rest of the
 *     line's white space, then P's version after the hunk holding the line
 *     (the hunk's later lines, not yet typed, and its removed lines are not
 *     there). prefix + expected + suffix is that buffer, and nothing after
 *     the cursor is text the user had not typed yet.
 * Merge commits and root commits give no cases; a commit whose parent tree
 * cannot be read is an error, and so is a shallow clone. The engine's
 * ranker and spacing are learned once, from the oldest parent tree.
 * With TACIT_HISTORY_CHECK=1 in the environment (the tests), the workspace
 * is compared with the parent's tree after every move, on disk and in the
 * index (each file's content hash); a difference is an error (TC_ECORRUPT).
 * Memory: once answered (and saved), a case keeps only the last
 * TC_HISTORY_KEEP_LINES lines of its prefix (prefix_lines_cut says how
 * many went) and an empty suffix, so a long replay holds little per case.
 */
#ifndef TC_HISTORY_H
#define TC_HISTORY_H

#include "eval/eval.h"

#define TC_HISTORY_PER_COMMIT 16 /* default cases per commit */
#define TC_HISTORY_MAX 100000    /* most commits one replay takes */
#define TC_HISTORY_KEEP_LINES 8  /* prefix lines a case keeps once answered */

typedef struct tc_history_opts {
    const char *repo;   /* a folder in the repository; NULL: "." */
    const char *since;  /* a revision: only commits after it (REV..HEAD); NULL: none */
    size_t commits;     /* N: the last N non-merge commits that have a parent */
    size_t per_commit;  /* most cases per commit; 0: TC_HISTORY_PER_COMMIT */
    int rebuild;        /* 1: a fresh index and model for every commit */
    const char *save;   /* NULL, or a JSONL file to write the cases to, each
                           parent tree beside it in <save>.roots/<parent>/
                           (hard links to <save>.roots/.blobs/) and named by
                           the case's "root", for `tacit eval --cases` */
    int progress;       /* 1: a line per commit on stderr */
} tc_history_opts;

typedef struct tc_history_stats {
    size_t commits;       /* commits replayed */
    size_t files_written; /* workspace files written or removed, all commits */
    double update_s;      /* writing the workspace and updating the engine, s */
    double suggest_s;     /* answering the cases, s */
    double seconds;       /* all of it, s */
} tc_history_stats;

/* Replay; base gives the engine's options (its index.root and cache_dir
 * are replaced by private folders, removed at the end). On TC_OK, *cs gets
 * the cases (appended) and *answers one answer per case of *cs (caller
 * frees both; tc_answers_free). TC_EINVAL: not a git repository or an
 * unknown revision (a line on stderr says which); TC_EIO: the private
 * folder or the saved cases could not be written. st may be NULL. */
int tc_history_run(const tc_history_opts *opts, const tc_engine_opts *base, tc_caseset *cs, tc_answer **answers,
                   tc_history_stats *st);

#endif
