/* ignore.h - git's ignore rules (.gitignore, .git/info/exclude, .tacitignore).
 *
 * Semantics follow gitignore(5) exactly: blank lines and "#" comments, "\#"
 * and "\!" escapes, trailing spaces unless escaped, "!" negation, a trailing
 * "/" matching directories only, a "/" at the start or middle anchoring the
 * pattern to the .gitignore's directory, "*", "?", "[...]" ranges (with "!"
 * and "^" negation), and "**" in leading ("**\/x"), trailing ("x/\**") and
 * middle ("a/\**\/b") positions. Later patterns override earlier ones; files
 * deeper in the tree override shallower ones; .git/info/exclude is lowest,
 * then the root's .gitignore and nested ones; .tacitignore (same syntax) in
 * any directory is read after that directory's .gitignore (so it can override).
 * As in git, a file inside an ignored directory is ignored and cannot be
 * re-included (the walker simply does not descend).
 *
 * Usage by the walker: a stack of per-directory rule sets, pushed when
 * descending into a directory and popped when leaving it.
 */
#ifndef TC_IGNORE_H
#define TC_IGNORE_H

#include <stddef.h>

typedef struct tc_ignore tc_ignore;

/* New empty matcher for the workspace root. NULL on ENOMEM. */
tc_ignore *tc_ignore_new(void);
void tc_ignore_free(tc_ignore *ig);

/* Add patterns from a file's text to the current (top) level, relative to
 * dir (workspace-relative, "" for the root, no trailing slash). A new matcher
 * has one level, for .git/info/exclude (dir ""). Returns TC_OK or TC_ENOMEM.
 * Malformed lines are skipped, as git does. */
int tc_ignore_add(tc_ignore *ig, const char *dir, const char *text, size_t len);

/* Add the patterns of the file at path to the top level, as tc_ignore_add.
 * A missing or non-regular file (a FIFO never blocks) adds nothing; path
 * may go through symlinks. Returns TC_OK, TC_ENOMEM or TC_EIO (unreadable,
 * or over 16 MiB; nothing added). */
int tc_ignore_add_file(tc_ignore *ig, const char *dir, const char *path);
/* The same for relpath beneath the folder dirfd (e.g. the root's fd and
 * ".git/info/exclude"), with no symlink followed in any component (a
 * symlink reads as absent). */
int tc_ignore_add_file_at(tc_ignore *ig, const char *dir, int dirfd, const char *relpath);

/* Read dir's ".gitignore" and ".tacitignore" from abs_dir (if present) and
 * push them as one level; tc_ignore_pop removes the most recent level.
 * Returns TC_OK, TC_ENOMEM or TC_EIO (unreadable file: level is pushed empty).
 * On TC_ENOMEM nothing is pushed. As git does, a rule file that is a
 * symlink or not a regular file (a FIFO, a socket, a device: never opened
 * in a way that blocks) is treated as absent.
 * tc_ignore_pop never removes the first (.git/info/exclude) level. */
int tc_ignore_push_dir(tc_ignore *ig, const char *dir, const char *abs_dir);
/* The same with the folder open as dirfd (any open fd, O_PATH will do; -1
 * pushes an empty level): what the walker uses, so that the rule files of a
 * folder deeper than PATH_MAX are read, and never through a symlink. */
int tc_ignore_push_dirfd(tc_ignore *ig, const char *dir, int dirfd);
void tc_ignore_pop(tc_ignore *ig);

/* Is the workspace-relative path ignored? is_dir says whether it names a
 * directory. Only the rule levels currently pushed are consulted (the walker
 * keeps the stack matching the path's ancestors). Returns 1 or 0. */
int tc_ignore_match(const tc_ignore *ig, const char *relpath, int is_dir);

/* git's wildmatch: does the glob pattern match all of text? pathname != 0
 * is WM_PATHNAME ('*', '?', '[...]' never match '/'; "**" spans
 * directories). Returns 1 or 0. Exposed for tests. */
int tc_ignore_glob_match(const char *pattern, const char *text, int pathname);

#endif
