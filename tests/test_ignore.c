/* test_ignore.c - gitignore semantics: unit cases for each rule, then
 * differential tests that compare the matcher with real git
 * (git check-ignore --no-index) on fixture repositories, hand-written and
 * random. */
#include "test.h"

#include "util/status.h"
#include "workspace/ignore.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- helpers ---------------------------------------------------------- */

/* A matcher whose exclude level holds text. */
static tc_ignore *ig_from(const char *text)
{
    tc_ignore *ig = tc_ignore_new();
    if (ig && tc_ignore_add(ig, "", text, strlen(text)) != TC_OK) {
        tc_ignore_free(ig);
        return NULL;
    }
    return ig;
}

/* Push an in-memory level for dir (no files read). */
static void push_text(tc_ignore *ig, const char *dir, const char *text)
{
    TC_CHECK_EQ_INT(tc_ignore_push_dir(ig, dir, "/nonexistent/tacit-test"), TC_OK);
    TC_CHECK_EQ_INT(tc_ignore_add(ig, dir, text, strlen(text)), TC_OK);
}

static int m1(const char *rules, const char *path, int is_dir)
{
    tc_ignore *ig = ig_from(rules);
    int r;
    if (!ig) return -1;
    r = tc_ignore_match(ig, path, is_dir);
    tc_ignore_free(ig);
    return r;
}

#define YES(rules, path) TC_CHECK_EQ_INT(m1(rules, path, 0), 1)
#define NO(rules, path) TC_CHECK_EQ_INT(m1(rules, path, 0), 0)
#define YES_D(rules, path) TC_CHECK_EQ_INT(m1(rules, path, 1), 1)
#define NO_D(rules, path) TC_CHECK_EQ_INT(m1(rules, path, 1), 0)
#define GLOB(p, t, pn, want) TC_CHECK_EQ_INT(tc_ignore_glob_match(p, t, pn), want)

static int mkdirs(const char *path)
{
    char buf[PATH_MAX];
    size_t i, n = strlen(path);
    if (n >= sizeof buf) return -1;
    memcpy(buf, path, n + 1);
    for (i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char c = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0755) != 0 && errno != EEXIST) return -1;
            buf[i] = c;
        }
    }
    return 0;
}

/* Write root/rel (creating parents); rel ending in '/' makes a directory. */
static void put(const char *root, const char *rel, const char *content)
{
    char path[PATH_MAX];
    size_t n;
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", root, rel);
    n = strlen(path);
    if (path[n - 1] == '/') {
        TC_CHECK(mkdirs(path) == 0);
        return;
    }
    {
        char *slash = strrchr(path, '/');
        *slash = '\0';
        TC_CHECK(mkdirs(path) == 0);
        *slash = '/';
    }
    f = fopen(path, "wb");
    TC_CHECK(f != NULL);
    if (!f) return;
    fwrite(content, 1, strlen(content), f);
    fclose(f);
}

/* ---- rules, one by one ----------------------------------------------- */

TC_TEST(ignore_basename_any_depth)
{
    YES("foo", "foo");
    YES("foo", "a/foo");
    YES("foo", "a/b/c/foo");
    YES_D("foo", "a/foo");
    NO("foo", "foobar");
    NO("foo", "a/xfoo");
    NO("foo", "foo.c");
    YES("*.o", "x.o");
    YES("*.o", "a/b/x.o");
    YES("*.o", ".o");
    NO("*.o", "x.oo");
    NO("*.o", "a.o/x.c");
    YES("*", "anything");
    YES("f*o", "a/foo");
    YES("f*", "a/b/foo.c");
}

TC_TEST(ignore_comments_blank_and_escapes)
{
    NO("#foo", "#foo");
    YES("\\#foo", "#foo");
    YES("\\!foo", "!foo");
    NO("\\!foo", "foo");
    YES(" #x", " #x");
    YES("\n\n  \nfoo\n", "foo");
    YES("\\*", "*");
    NO("\\*", "x");
    YES("a\\?", "a?");
    NO("a\\?", "ab");
    YES("\\[x]", "[x]");
    NO("\\[x]", "x");
    /* a trailing backslash never matches */
    NO("foo\\", "foo");
    NO("foo\\", "foo\\");
}

TC_TEST(ignore_trailing_spaces)
{
    YES("foo  ", "foo");
    NO("foo  ", "foo ");
    YES("foo\\ ", "foo ");
    NO("foo\\ ", "foo");
    YES("foo\\  ", "foo ");
    YES("foo \\ ", "foo  ");
    /* tabs are not trimmed */
    NO("foo\t", "foo");
    YES("foo\t", "foo\t");
    YES("f o", "f o");
}

TC_TEST(ignore_crlf_bom_nul)
{
    YES("a\r\nfoo\r\n", "foo");
    YES("foo\r", "foo");
    YES("\xEF\xBB\xBF" "foo\n", "foo");
    NO("x\n\xEF\xBB\xBF" "foo\n", "foo");
    {
        /* a line is cut at a NUL byte, as git reads it as a C string */
        static const char t[] = "foo\0bar\nbaz";
        tc_ignore *ig = tc_ignore_new();
        TC_CHECK(ig != NULL);
        if (!ig) return;
        TC_CHECK_EQ_INT(tc_ignore_add(ig, "", t, sizeof t - 1), TC_OK);
        TC_CHECK_EQ_INT(tc_ignore_match(ig, "foo", 0), 1);
        TC_CHECK_EQ_INT(tc_ignore_match(ig, "bar", 0), 0);
        TC_CHECK_EQ_INT(tc_ignore_match(ig, "baz", 0), 1);
        tc_ignore_free(ig);
    }
}

TC_TEST(ignore_dir_only)
{
    YES_D("build/", "build");
    NO("build/", "build");
    YES_D("build/", "a/build");
    YES_D("*.d/", "x/y.d");
    NO("*.d/", "y.d");
    YES_D("a/b/", "a/b");
    NO("a/b/", "a/b");
    /* "/" alone and "//" match nothing */
    NO_D("/", "a");
    NO_D("//", "a");
}

TC_TEST(ignore_anchoring)
{
    YES("/foo", "foo");
    NO("/foo", "a/foo");
    YES("a/b", "a/b");
    NO("a/b", "x/a/b");
    YES("/a/b", "a/b");
    YES("doc/*.txt", "doc/x.txt");
    NO("doc/*.txt", "doc/sub/x.txt");
    NO("doc/*.txt", "x/doc/x.txt");
    YES("*/foo", "a/foo");
    NO("*/foo", "a/b/foo");
    NO("*/foo", "foo");
    NO("a?b", "a/b");
    YES("a?b", "x/a.b");
    NO("a[/]b", "a/b");
}

TC_TEST(ignore_double_star)
{
    YES("**/foo", "foo");
    YES("**/foo", "a/foo");
    YES("**/foo", "a/b/foo");
    YES("**/a/b", "x/y/a/b");
    NO("**/a/b", "x/a/c");
    YES("foo/**", "foo/a");
    YES("foo/**", "foo/a/b");
    NO_D("foo/**", "foo");
    YES("a/**/b", "a/b");
    YES("a/**/b", "a/x/b");
    YES("a/**/b", "a/x/y/b");
    NO("a/**/b", "a/x/y/c");
    /* "**" not between slashes is an ordinary "*" ... */
    NO("x/a**b", "x/a/q/b");
    YES("x/a**b", "x/aqqb");
    /* ... except right after the literal head, as in git */
    YES("/ab**/x", "abc/d/x");
}

TC_TEST(ignore_char_classes)
{
    YES("[abc].c", "b.c");
    NO("[abc].c", "d.c");
    YES("[!abc].c", "d.c");
    NO("[!abc].c", "a.c");
    YES("[^abc].c", "d.c");
    YES("[a-c]x", "bx");
    NO("[a-c]x", "dx");
    YES("[]]", "]");
    YES("[!]]", "a");
    NO("[!]]", "]");
    YES("x[[:digit:]]", "x7");
    NO("x[[:digit:]]", "xa");
    YES("[[:upper:]]*", "Makefile");
    NO("[[:upper:]]*", "makefile");
    YES("[[:alpha:][:digit:]]", "q");
    YES("[[:space:]]", " ");
    YES("[[:punct:]]", "#");
    YES("[x[:]", "[");
    NO("[[:bogus:]]", "b");
    NO("[abc", "a");
}

TC_TEST(ignore_negation_and_order)
{
    YES("*.o\n!keep.o\nkeep.o", "keep.o");
    NO("*.o\n!keep.o", "keep.o");
    YES("*.o\n!keep.o", "a.o");
    NO("!foo", "foo");
    /* "!" alone and an escaped "!" */
    NO("!", "x");
    YES("*\n!*.c", "x.h");
    NO("*\n!*.c", "x.c");
    NO_D("*\n!*/", "dir");
}

TC_TEST(ignore_levels_precedence)
{
    tc_ignore *ig = ig_from("*.o\n!keep.c\nsecret\n");
    TC_CHECK(ig != NULL);
    if (!ig) return;
    push_text(ig, "", "*.c\n!x.o\n");
    /* the root .gitignore wins over .git/info/exclude */
    TC_CHECK_EQ_INT(tc_ignore_match(ig, "x.o", 0), 0);
    TC_CHECK_EQ_INT(tc_ignore_match(ig, "y.o", 0), 1);
    TC_CHECK_EQ_INT(tc_ignore_match(ig, "keep.c", 0), 1);
    TC_CHECK_EQ_INT(tc_ignore_match(ig, "secret", 0), 1);
    push_text(ig, "a", "!*.c\n/only\nsub/deep\n");
    /* deeper wins over shallower */
    TC_CHECK_EQ_INT(tc_ignore_match(ig, "a/keep.c", 0), 0);
    TC_CHECK_EQ_INT(tc_ignore_match(ig, "a/x.o", 0), 0);
    /* anchoring is relative to the rule file's directory */
    TC_CHECK_EQ_INT(tc_ignore_match(ig, "a/only", 0), 1);
    TC_CHECK_EQ_INT(tc_ignore_match(ig, "a/sub/deep", 0), 1);
    TC_CHECK_EQ_INT(tc_ignore_match(ig, "a/x/only", 0), 0);
    tc_ignore_pop(ig);
    TC_CHECK_EQ_INT(tc_ignore_match(ig, "a/keep.c", 0), 1);
    tc_ignore_pop(ig);
    TC_CHECK_EQ_INT(tc_ignore_match(ig, "x.o", 0), 1);
    /* the exclude level is never popped */
    tc_ignore_pop(ig);
    TC_CHECK_EQ_INT(tc_ignore_match(ig, "x.o", 0), 1);
    tc_ignore_free(ig);
    tc_ignore_free(NULL);
}

TC_TEST(ignore_push_dir_reads_files)
{
    const char *tmp = tc_test_tmpdir();
    char dir[PATH_MAX], sub[PATH_MAX];
    tc_ignore *ig = tc_ignore_new();
    TC_CHECK(ig != NULL);
    if (!ig) return;
    put(tmp, "w/.gitignore", "*.log\n!keep.log\ngen/\n");
    put(tmp, "w/.tacitignore", "keep.log\n!gen/\nbig.bin\n");
    put(tmp, "w/s/.gitignore", "!big.bin\n");
    put(tmp, "w/l/real", "x\n");
    snprintf(dir, sizeof dir, "%s/w", tmp);
    TC_CHECK_EQ_INT(tc_ignore_push_dir(ig, "", dir), TC_OK);
    TC_CHECK_EQ_INT(tc_ignore_match(ig, "a.log", 0), 1);
    /* .tacitignore is read after .gitignore, so it wins */
    TC_CHECK_EQ_INT(tc_ignore_match(ig, "keep.log", 0), 1);
    TC_CHECK_EQ_INT(tc_ignore_match(ig, "gen", 1), 0);
    TC_CHECK_EQ_INT(tc_ignore_match(ig, "s/big.bin", 0), 1);
    snprintf(sub, sizeof sub, "%s/w/s", tmp);
    TC_CHECK_EQ_INT(tc_ignore_push_dir(ig, "s", sub), TC_OK);
    TC_CHECK_EQ_INT(tc_ignore_match(ig, "s/big.bin", 0), 0);
    tc_ignore_pop(ig);
    /* a .gitignore that is a symlink is not read (as git >= 2.32) */
    {
        char link[PATH_MAX];
        snprintf(sub, sizeof sub, "%s/w/l", tmp);
        snprintf(link, sizeof link, "%s/w/l/.gitignore", tmp);
        TC_CHECK(symlink("real", link) == 0);
        put(tmp, "w/l/real", "*\n");
        TC_CHECK_EQ_INT(tc_ignore_push_dir(ig, "l", sub), TC_OK);
        TC_CHECK_EQ_INT(tc_ignore_match(ig, "l/x", 0), 0);
        tc_ignore_pop(ig);
    }
    /* tc_ignore_add_file follows links and reports absent files as OK */
    {
        char f[PATH_MAX];
        snprintf(f, sizeof f, "%s/w/l/.gitignore", tmp);
        TC_CHECK_EQ_INT(tc_ignore_push_dir(ig, "l", "/nonexistent"), TC_OK);
        TC_CHECK_EQ_INT(tc_ignore_add_file(ig, "l", f), TC_OK);
        TC_CHECK_EQ_INT(tc_ignore_match(ig, "l/x", 0), 1);
        snprintf(f, sizeof f, "%s/w/none", tmp);
        TC_CHECK_EQ_INT(tc_ignore_add_file(ig, "l", f), TC_OK);
        tc_ignore_pop(ig);
    }
    /* an unreadable rule file pushes an empty level */
    if (geteuid() != 0) {
        char f[PATH_MAX];
        snprintf(f, sizeof f, "%s/w/s/.gitignore", tmp);
        TC_CHECK(chmod(f, 0) == 0);
        TC_CHECK_EQ_INT(tc_ignore_push_dir(ig, "s", sub), TC_EIO);
        TC_CHECK_EQ_INT(tc_ignore_match(ig, "s/big.bin", 0), 1);
        tc_ignore_pop(ig);
        chmod(f, 0644);
    }
    tc_ignore_free(ig);
}

TC_TEST(ignore_glob_vectors)
{
    /* wildmatch cases in the style of git's t3070 */
    GLOB("foo", "foo", 0, 1);
    GLOB("bar", "foo", 0, 0);
    GLOB("", "", 0, 1);
    GLOB("???", "foo", 0, 1);
    GLOB("??", "foo", 0, 0);
    GLOB("*", "foo", 0, 1);
    GLOB("f*", "foo", 0, 1);
    GLOB("*f", "foo", 0, 0);
    GLOB("*foo*", "foo", 0, 1);
    GLOB("*ob*a*r*", "foobar", 0, 1);
    GLOB("*ab", "aaaaaaabababab", 0, 1);
    GLOB("foo\\*", "foo*", 0, 1);
    GLOB("foo\\*bar", "foobar", 0, 0);
    GLOB("f\\\\oo", "f\\oo", 0, 1);
    GLOB("*[al]?", "ball", 0, 1);
    GLOB("[ten]", "ten", 0, 0);
    GLOB("**[!te]", "ten", 0, 1);
    GLOB("**[!ten]", "ten", 0, 0);
    GLOB("t[a-g]n", "ten", 0, 1);
    GLOB("t[!a-g]n", "ten", 0, 0);
    GLOB("t[!a-g]n", "ton", 0, 1);
    GLOB("t[^a-g]n", "ton", 0, 1);
    GLOB("a[]]b", "a]b", 0, 1);
    GLOB("a[]-]b", "a-b", 0, 1);
    GLOB("a[]-]b", "a]b", 0, 1);
    GLOB("a[]-]b", "aab", 0, 0);
    GLOB("a[]a-]b", "aab", 0, 1);
    GLOB("]", "]", 0, 1);
    GLOB("foo*bar", "foo/baz/bar", 1, 0);
    GLOB("foo*bar", "foo/baz/bar", 0, 1);
    GLOB("foo**bar", "foo/baz/bar", 1, 0);
    GLOB("foo/**/bar", "foo/baz/bar", 1, 1);
    GLOB("foo/**/**/bar", "foo/b/a/z/bar", 1, 1);
    GLOB("foo/**/bar", "foo/bar", 1, 1);
    GLOB("foo?bar", "foo/bar", 1, 0);
    GLOB("foo[/]bar", "foo/bar", 1, 0);
    GLOB("**/foo", "XXX/foo", 1, 1);
    GLOB("**/foo", "bar/baz/foo", 1, 1);
    GLOB("*/foo", "bar/baz/foo", 1, 0);
    GLOB("**/bar*", "foo/bar/baz", 1, 0);
    GLOB("**/bar/*", "deep/foo/bar/baz", 1, 1);
    GLOB("**/bar/*", "deep/foo/bar/baz/", 1, 0);
    GLOB("**/bar/**", "deep/foo/bar/baz/", 1, 1);
    GLOB("**/bar/*", "deep/foo/bar", 1, 0);
    GLOB("**/bar/**", "deep/foo/bar/", 1, 1);
    GLOB("*/bar/**", "foo/bar/baz/x", 1, 1);
    GLOB("[[:alpha:]][[:digit:]][[:upper:]]", "a1B", 0, 1);
    GLOB("[[:digit:][:upper:][:space:]]", "a", 0, 0);
    GLOB("[[:digit:][:upper:][:space:]]", "A", 0, 1);
    GLOB("[[:space:]]", "\v", 0, 0);
    GLOB("[[:xdigit:]]", "5", 0, 1);
    GLOB("[a-c[:digit:]x-z]", "5", 0, 1);
    GLOB("[a-c[:digit:]x-z]", "y", 0, 1);
    GLOB("[a-c[:digit:]x-z]", "q", 0, 0);
    GLOB("-*-*-*-*-*-*-12-*-*-*-m-*-*-*",
         "-adobe-courier-bold-o-normal--12-120-75-75-m-70-iso8859-1", 0, 1);
    GLOB("-*-*-*-*-*-*-12-*-*-*-m-*-*-*",
         "-adobe-courier-bold-o-normal--12-120-75-75-X-70-iso8859-1", 0, 0);
    GLOB("XXX/*/*/*/*/*/*/12/*/*/*/m/*/*/*",
         "XXX/adobe/courier/bold/o/normal//12/120/75/75/m/70/iso8859/1", 1, 1);
    GLOB("**/*a*b*g*n*t", "abcd/abcdefg/abcdefghijk/abcdefghijklmnop.txt", 1, 1);
    GLOB("**/*a*b*g*n*t", "abcd/abcdefg/abcdefghijk/abcdefghijklmnop.txtz", 1, 0);
    GLOB("*/*/*", "foo/bba/arr", 1, 1);
    GLOB("*/*/*", "foo/bb/aa/rr", 1, 0);
    GLOB("**/**/**", "foo/bb/aa/rr", 1, 1);
    GLOB("*X*i", "abcXdefXghi", 0, 1);
    GLOB("*/*X*/*/*i", "ab/cXd/efXg/hi", 1, 1);
    GLOB("**/*X*/**/*i", "ab/cXd/efXg/hi", 1, 1);
    GLOB("a[", "a[", 0, 0);
    GLOB("a\\", "a\\", 0, 0);
}

/* ---- differential tests against git ----------------------------------- */

typedef struct path_list {
    char **path; /* workspace-relative */
    int *ours;   /* 1: our matcher (with the walker's rules) says ignored */
    int *git;    /* 1: git check-ignore says ignored */
    size_t n, cap;
} path_list;

static void pl_add(path_list *pl, const char *path, int ours)
{
    if (pl->n == pl->cap) {
        pl->cap = pl->cap ? pl->cap * 2 : 64;
        pl->path = realloc(pl->path, pl->cap * sizeof *pl->path);
        pl->ours = realloc(pl->ours, pl->cap * sizeof *pl->ours);
        pl->git = realloc(pl->git, pl->cap * sizeof *pl->git);
        if (!pl->path || !pl->ours || !pl->git) abort();
    }
    pl->path[pl->n] = strdup(path);
    pl->ours[pl->n] = ours;
    pl->git[pl->n] = 0;
    pl->n++;
}

static void pl_free(path_list *pl)
{
    size_t i;
    for (i = 0; i < pl->n; i++) free(pl->path[i]);
    free(pl->path);
    free(pl->ours);
    free(pl->git);
    memset(pl, 0, sizeof *pl);
}

/* Walk abs (= rel under the root) as the index walker does: the entry is
 * matched with its ancestors' levels pushed; an ignored directory is not
 * entered (its contents are listed as ignored). ig NULL: under an ignored
 * directory. */
static void walk(tc_ignore *ig, const char *abs, const char *rel, path_list *pl)
{
    DIR *d = opendir(abs);
    struct dirent *de;
    if (!d) return;
    if (ig) TC_CHECK(tc_ignore_push_dir(ig, rel, abs) == TC_OK);
    while ((de = readdir(d))) {
        char a[PATH_MAX], r[PATH_MAX];
        struct stat st;
        int is_dir, ign;
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        if (!*rel && !strcmp(de->d_name, ".git")) continue;
        snprintf(a, sizeof a, "%s/%s", abs, de->d_name);
        snprintf(r, sizeof r, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
        if (lstat(a, &st) != 0) continue;
        is_dir = S_ISDIR(st.st_mode);
        ign = ig ? tc_ignore_match(ig, r, is_dir) : 1;
        pl_add(pl, r, ign);
        if (is_dir) walk(ign ? NULL : ig, a, r, pl);
    }
    closedir(d);
    if (ig) tc_ignore_pop(ig);
}

static void git_env(const char *home)
{
    setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
    setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
    setenv("HOME", home, 1);
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("GIT_DIR");
    unsetenv("GIT_WORK_TREE");
    unsetenv("GIT_INDEX_FILE");
    unsetenv("GIT_COMMON_DIR");
    unsetenv("GIT_OBJECT_DIRECTORY");
}

static int git_init(const char *root)
{
    char cmd[PATH_MAX + 128];
    snprintf(cmd, sizeof cmd, "git init -q '%s' >/dev/null 2>&1", root);
    return system(cmd);
}

/* Fill pl->git from `git check-ignore --no-index --stdin -z`. */
static int git_ignored(const char *root, path_list *pl)
{
    char list[PATH_MAX], out[PATH_MAX], cmd[3 * PATH_MAX + 128];
    FILE *f;
    size_t i, j, n, cap = 1 << 16;
    char *buf;
    int rc;

    snprintf(list, sizeof list, "%s/../paths.lst", root);
    snprintf(out, sizeof out, "%s/../ignored.lst", root);
    if (!(f = fopen(list, "wb"))) return -1;
    for (i = 0; i < pl->n; i++) fwrite(pl->path[i], 1, strlen(pl->path[i]) + 1, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "cd '%s' && git check-ignore --no-index --stdin -z <'%s' >'%s'",
             root, list, out);
    rc = system(cmd);
    if (rc == -1 || !WIFEXITED(rc) || (WEXITSTATUS(rc) != 0 && WEXITSTATUS(rc) != 1)) return -1;
    if (!(f = fopen(out, "rb"))) return -1;
    buf = malloc(cap);
    n = 0;
    for (;;) {
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (n < cap) break;
        cap *= 2;
        buf = realloc(buf, cap);
    }
    fclose(f);
    /* check-ignore answers in input order, so one pass pairs them up */
    for (i = 0, j = 0; i < n;) {
        size_t len = strnlen(buf + i, n - i);
        while (j < pl->n && !(strlen(pl->path[j]) == len && memcmp(pl->path[j], buf + i, len) == 0)) j++;
        if (j == pl->n) break;
        pl->git[j++] = 1;
        i += len + 1;
    }
    free(buf);
    return 0;
}

/* Compare our walk with git for the repo at root; report up to 8 diffs.
 * Returns the number of paths on which they differ; the first one is
 * copied to first_bad (if not NULL). */
static int compare_with_git(const char *root, const char *what, char *first_bad, size_t cap)
{
    path_list pl = {0};
    tc_ignore *ig = tc_ignore_new();
    char ex[PATH_MAX];
    size_t i;
    int bad = 0;

    TC_CHECK(ig != NULL);
    if (!ig) return 1;
    snprintf(ex, sizeof ex, "%s/.git/info/exclude", root);
    TC_CHECK_EQ_INT(tc_ignore_add_file(ig, "", ex), TC_OK);
    walk(ig, root, "", &pl);
    tc_ignore_free(ig);
    if (git_ignored(root, &pl) != 0) {
        TC_CHECK(!"git check-ignore failed");
        pl_free(&pl);
        return 1;
    }
    for (i = 0; i < pl.n; i++) {
        if (pl.ours[i] != pl.git[i]) {
            if (!bad && first_bad) snprintf(first_bad, cap, "%s", pl.path[i]);
            if (bad < 8)
                fprintf(stderr, "  %s: '%s' ours=%d git=%d\n", what, pl.path[i], pl.ours[i], pl.git[i]);
            bad++;
        }
    }
    TC_CHECK_EQ_INT(bad, 0);
    if (getenv("TC_IGNORE_STATS")) {
        size_t ng = 0;
        for (i = 0; i < pl.n; i++) ng += (size_t)pl.git[i];
        fprintf(stderr, "  %s: %zu of %zu paths ignored\n", what, ng, pl.n);
    }
    pl_free(&pl);
    return bad;
}

/* Files of the fixture trees (a trailing '/' makes an empty directory). */
static const char *const tree_files[] = {
    "foo", "foo.o", "bar.c", "README", "Makefile", "A1", "Z9.TXT", ".hidden",
    "#hash", "!bang", "[br]", "sp ace/f 1", "tail ", "x.d/in", "empty/",
    "a/foo", "a/bar.o", "a/.hid.o", "a/b/foo.txt", "a/b/c/x.c", "a/b/c/foo",
    "a/b/c/d/", "a/x/b/y", "a/lib/z.c",
    "b/keep.o", "b/x.txt", "b/a/b",
    "build/out.o", "build/log", "build/sub/deep.o",
    "src/main.c", "src/lib/util.c", "src/lib/util.h", "src/lib/README", "src/foo/bar",
    "doc/a.txt", "doc/sub/b.txt", "doc/sub/c.md",
    "deep/a/b/c/d/e.c", "deep/foo", "deep/x/foo/y",
    "abc/d/x", "abc/x", "lib/foo.o", "q]x", "a-b/c", "B/ten", "-", "sub/sub/sub",
};

static void make_tree(const char *root)
{
    size_t i;
    for (i = 0; i < sizeof tree_files / sizeof tree_files[0]; i++) put(root, tree_files[i], "x\n");
}

TC_TEST(ignore_git_differential_fixture)
{
    const char *tmp = tc_test_tmpdir();
    char root[PATH_MAX], *home = getenv("HOME"), *saved = home ? strdup(home) : NULL;
    snprintf(root, sizeof root, "%s/repo", tmp);
    git_env(tmp);
    TC_CHECK_EQ_INT(git_init(root), 0);
    make_tree(root);
    put(root, ".git/info/exclude", "# exclude\n*.txt\n!doc/sub/b.txt\nZ9.*\n");
    put(root, ".gitignore",
        "*.o\n!keep.o\n/foo\n\\#hash\n\\!bang\n\\[br]\ntail\\ \nbuild/\n"
        "**/c/foo\ndoc/**/c.md\n[[:upper:]][[:digit:]]\n!/build/\nempty/\n"
        "x.d/\n/abc**/x\nsp?ace/\nsrc/*/README\n.hid*\n");
    put(root, "a/.gitignore", "!bar.o\nb/*\n!b/foo.txt\nx/**/y\n/lib\n");
    put(root, "a/b/.gitignore", "!c/\nfoo.txt\n");
    put(root, "deep/.gitignore", "foo/\nfoo\nd/\n");
    put(root, "src/.gitignore", "lib/*\n!lib/util.c\nfoo/  \n");
    put(root, "b/.gitignore", "*\n!*/\n!keep.o\na\n");
    compare_with_git(root, "fixture", NULL, 0);
    if (saved) setenv("HOME", saved, 1);
    free(saved);
}

/* ---- random rule sets ------------------------------------------------- */

static uint64_t rng_state;

static unsigned rnd(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

/* pattern = ["!"] [lead] component {"/" component} [tail]
 *   lead = "/" | "**" "/";  tail = "/" | "/" "**" | "  ";
 *   component = atom {atom} (atoms: names from the tree, globs, escapes) */
static void random_pattern(char *out, size_t cap)
{
    static const char *const atoms[] = {
        "a", "b", "c", "d", "foo", "bar", "build", "src", "lib", "doc", "x", "deep",
        "sub", "fo", "o", "ar", ".c", ".o", ".txt", "util", "README", "keep", "e",
        "*", "*", "*", "?", "**", "[a-c]", "[!a]", "[^b]", "[[:alpha:]]",
        "[[:digit:]]", "[[:upper:]]", "[]a]", "\\*", "\\?", "\\[br]", "[.]", "[o-z]",
        "\\#hash", "!bang", "#", " ", "\\ ", "*.o", "*.c", "[x-z]", "[[:punct:]]",
        "[", "]", "\\", "***", "[!]]", "[a-]", "[\\]]", "[[:space:]]", "[[:bogus:]]",
        "[[:]", "[b-a]", "[-a]", "[[]", "[!b-z][!a]",
    };
    size_t n = 0, k, ncomp;
    out[0] = '\0';
#define ADD(s) do { if (n + strlen(s) + 1 < cap) { strcpy(out + n, s); n += strlen(s); } } while (0)
    if (rnd(4) == 0) ADD("!");
    switch (rnd(8)) {
    case 0: case 1: ADD("/"); break;
    case 2: ADD("**/"); break;
    default: break;
    }
    ncomp = 1 + rnd(3) * (rnd(2));
    for (k = 0; k < ncomp; k++) {
        size_t a, natoms = 1 + rnd(2) * rnd(3);
        if (k) ADD("/");
        for (a = 0; a < natoms; a++) ADD(atoms[rnd(sizeof atoms / sizeof atoms[0])]);
    }
    switch (rnd(10)) {
    case 0: case 1: ADD("/"); break;
    case 2: ADD("/**"); break;
    case 3: ADD("  "); break;
    default: break;
    }
#undef ADD
}

static void random_rules(char *out, size_t cap)
{
    size_t n = 0, lines = rnd(5), i;
    out[0] = '\0';
    for (i = 0; i < lines; i++) {
        char pat[256];
        if (rnd(12) == 0) {
            strcpy(pat, rnd(2) ? "# comment" : "");
        } else {
            random_pattern(pat, sizeof pat);
        }
        if (n + strlen(pat) + 2 < cap) {
            n += (size_t)sprintf(out + n, "%s\n", pat);
        }
    }
}

/* 200 random rule sets, 20 per git call: set k lives in its own copy of
 * the tree, sNN/, whose .gitignore plays the root's part; the batch shares
 * one random .git/info/exclude. TC_IGNORE_SEED=n picks another sequence. */
TC_TEST(ignore_git_differential_random)
{
    enum { BATCHES = 10, SETS = 20, NFILES = 6 };
    static const char *const rule_files[NFILES] = {
        ".gitignore", "a/.gitignore", "a/b/.gitignore",
        "src/.gitignore", "deep/a/.gitignore", "doc/.gitignore",
    };
    static char rules[SETS][NFILES][1024];
    const char *tmp = tc_test_tmpdir();
    char root[PATH_MAX], set[PATH_MAX + 16], what[64], bad[PATH_MAX], exclude[512];
    char *home = getenv("HOME"), *saved = home ? strdup(home) : NULL;
    const char *seed_env = getenv("TC_IGNORE_SEED");
    int batch, k, f, failures = 0;

    rng_state = seed_env ? strtoull(seed_env, NULL, 0) : 0x9E3779B97F4A7C15ull;
    if (!rng_state) rng_state = 1;
    snprintf(root, sizeof root, "%s/repo", tmp);
    git_env(tmp);
    TC_CHECK_EQ_INT(git_init(root), 0);
    for (k = 0; k < SETS; k++) {
        snprintf(set, sizeof set, "%s/s%02d", root, k);
        make_tree(set);
    }
    for (batch = 0; batch < BATCHES && failures < 3; batch++) {
        exclude[0] = '\0';
        if (rnd(2)) random_rules(exclude, sizeof exclude);
        put(root, ".git/info/exclude", exclude);
        for (k = 0; k < SETS; k++) {
            snprintf(set, sizeof set, "%s/s%02d", root, k);
            for (f = 0; f < NFILES; f++) {
                random_rules(rules[k][f], sizeof rules[k][f]);
                put(set, rule_files[f], rules[k][f]);
            }
        }
        snprintf(what, sizeof what, "random batch %d", batch);
        bad[0] = '\0';
        if (compare_with_git(root, what, bad, sizeof bad)) {
            failures++;
            fprintf(stderr, "    .git/info/exclude:\n%s", exclude);
            if (bad[0] == 's' && (k = atoi(bad + 1)) >= 0 && k < SETS)
                for (f = 0; f < NFILES; f++)
                    fprintf(stderr, "    s%02d/%s:\n%s", k, rule_files[f], rules[k][f]);
        }
    }
    if (saved) setenv("HOME", saved, 1);
    free(saved);
}

/* ---- speed ------------------------------------------------------------ */

static const char kernel_like_rules[] =
    ".*\n*.a\n*.asn1.[ch]\n*.bin\n*.bz2\n*.c.[012]*.*\n*.dt.yaml\n*.dtb\n*.dtbo\n"
    "*.dtb.S\n*.dwo\n*.elf\n*.gcno\n*.gz\n*.i\n*.ko\n*.lex.c\n*.ll\n*.lst\n*.lz4\n"
    "*.lzma\n*.lzo\n*.mod\n*.mod.c\n*.o\n*.o.*\n*.patch\n*.rmeta\n*.rpm\n*.rsi\n*.s\n"
    "*.so\n*.so.dbg\n*.su\n*.symtypes\n*.symversions\n*.tab.[ch]\n*.tar\n*.xz\n*.zst\n"
    "Module.symvers\nmodules.order\n/linux\n/modules-only.symvers\n/vmlinux\n"
    "/vmlinux.32\n/vmlinux.map\n/vmlinux.symvers\n/vmlinux-gdb.py\n/vmlinuz\n"
    "/System.map\n/Module.markers\n/modules.builtin\n/modules.builtin.modinfo\n"
    "/modules.nsdeps\n/debian/\n/rpmbuild/\n/snap/\n/tar-install/\n/tags\n/TAGS\n"
    "/cscope.*\n/ncscope.*\nGPATH\nGRTAGS\nGSYMS\nGTAGS\n*.orig\n*~\n\\#*#\n"
    "/Documentation/doxygen\n!.gitignore\n!.mailmap\n!.clang-format\n!.cocciconfig\n"
    "!.get_maintainer.ignore\n!.gitattributes\n!.rustfmt.toml\n/certs/signing_key.pem\n"
    "/certs/signing_key.x509\n/certs/x509.genkey\n*.gcda\n*.gcov\n/kernel/kheaders.md5\n"
    "*.dtb.tmp\n*.ihex\n/usr/include\n/allno.config\n/allmod.config\n/allyes.config\n"
    "/alldef.config\n/allrandom.config\n*.c.[ch]\nx509.genkey\n/scripts/mod/elfconfig.h\n";

TC_TEST(ignore_speed_kernel_like)
{
    static const char *const exts[] = {".c", ".h", ".S", ".o", ".txt", ".rst", ".dts", ".ko", ".cmd", "Kconfig"};
    tc_ignore *ig = tc_ignore_new();
    struct timespec t0, t1;
    char path[256];
    size_t npaths = 0, nign = 0;
    int d1, d2, d3, f, sink = 0;
    double secs;

    TC_CHECK(ig != NULL);
    if (!ig) return;
    push_text(ig, "", kernel_like_rules);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    /* 25 x 10 x 10 directories x 30 files = 75,000 paths, 3-level stack */
    for (d1 = 0; d1 < 25; d1++) {
        char l1[32];
        snprintf(l1, sizeof l1, "dir%d", d1);
        sink += tc_ignore_match(ig, l1, 1);
        push_text(ig, l1, "*.gen.c\n/generated/\n!keep.o\nfixdep\n");
        for (d2 = 0; d2 < 10; d2++) {
            char l2[64];
            snprintf(l2, sizeof l2, "%s/sub%d", l1, d2);
            sink += tc_ignore_match(ig, l2, 1);
            TC_CHECK_EQ_INT(tc_ignore_push_dir(ig, l2, "/nonexistent"), TC_OK);
            for (d3 = 0; d3 < 10; d3++) {
                char l3[96];
                snprintf(l3, sizeof l3, "%s/leaf%d", l2, d3);
                sink += tc_ignore_match(ig, l3, 1);
                if (d3 == 0) push_text(ig, l3, "*.lds\n/mkpiggy\n");
                else TC_CHECK_EQ_INT(tc_ignore_push_dir(ig, l3, "/nonexistent"), TC_OK);
                for (f = 0; f < 30; f++) {
                    snprintf(path, sizeof path, "%s/file_%d%s", l3, f, exts[f % 10]);
                    nign += (size_t)tc_ignore_match(ig, path, 0);
                    npaths++;
                }
                tc_ignore_pop(ig);
            }
            tc_ignore_pop(ig);
        }
        tc_ignore_pop(ig);
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    TC_CHECK_EQ_INT(npaths, 75000);
    TC_CHECK_EQ_INT(nign, 75000 * 2 / 10); /* .o and .ko */
    TC_CHECK_EQ_INT(sink, 0);
    /* CPU time, so a loaded machine doesn't fail it; generous, as the
     * budget ("well under a second") is for release builds */
    TC_CHECK(secs < 1.0);
    if (secs >= 1.0 || getenv("TC_IGNORE_STATS")) fprintf(stderr, "  ignore speed: %.3f s for %zu paths\n", secs, npaths);
    tc_ignore_free(ig);
}

/* git's globber is exponential in the number of "**" + "/" groups; ours
 * gives up after a fixed amount of work and reports no match. */
TC_TEST(ignore_pathological_pattern_is_bounded)
{
    char pat[256] = "*/", path[256] = "";
    struct timespec t0, t1;
    double secs;
    int i;
    for (i = 0; i < 40; i++) strcat(pat, "**/");
    strcat(pat, "x");
    for (i = 0; i < 60; i++) strcat(path, "a/");
    strcat(path, "y");
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    TC_CHECK_EQ_INT(tc_ignore_glob_match(pat, path, 1), 0);
    NO(pat, path);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    TC_CHECK(secs < 0.5);
    /* the same shape, short enough to finish, still matches */
    GLOB("*/**/**/**/x", "a/b/c/d/e/x", 1, 1);
}

TC_TEST(ignore_rule_files_never_block_or_follow)
{
    /* A FIFO named .gitignore, .tacitignore or .git/info/exclude hung the
     * walk (opened without O_NONBLOCK before checking its type). */
    const char *tmp = tc_test_tmpdir();
    char dir[PATH_MAX], path[PATH_MAX + 32];
    int fd;
    tc_ignore *ig = tc_ignore_new();
    TC_CHECK(ig != NULL);
    if (!ig) return;
    put(tmp, "w/.git/info/keep", "");
    put(tmp, "outside.txt", "*\n");
    snprintf(dir, sizeof dir, "%s/w", tmp);
    snprintf(path, sizeof path, "%s/.gitignore", dir);
    TC_CHECK(mkfifo(path, 0644) == 0);
    snprintf(path, sizeof path, "%s/.tacitignore", dir);
    TC_CHECK(mkfifo(path, 0644) == 0);
    snprintf(path, sizeof path, "%s/.git/info/exclude", dir);
    TC_CHECK(mkfifo(path, 0644) == 0);
    alarm(30);
    TC_CHECK_EQ_INT(tc_ignore_add_file(ig, "", path), TC_OK);
    fd = open(dir, O_PATH | O_DIRECTORY);
    TC_CHECK(fd >= 0);
    TC_CHECK_EQ_INT(tc_ignore_add_file_at(ig, "", fd, ".git/info/exclude"), TC_OK);
    TC_CHECK_EQ_INT(tc_ignore_push_dirfd(ig, "", fd), TC_OK);
    TC_CHECK_EQ_INT(tc_ignore_match(ig, "x.c", 0), 0);
    tc_ignore_pop(ig);
    TC_CHECK_EQ_INT(tc_ignore_push_dir(ig, "", dir), TC_OK);
    tc_ignore_pop(ig);
    alarm(0);
    /* .git as a symlink out of the root: its exclude file is not read */
    {
        char gl[PATH_MAX + 8], target[PATH_MAX + 16];
        snprintf(path, sizeof path, "%s/w2/.git/info", tmp);
        snprintf(target, sizeof target, "%s/w2real", tmp);
        put(tmp, "w2real/info/exclude", "*\n");
        put(tmp, "w2/a.c", "int a;\n");
        snprintf(gl, sizeof gl, "%s/w2/.git", tmp);
        TC_CHECK(symlink(target, gl) == 0);
        snprintf(dir, sizeof dir, "%s/w2", tmp);
        close(fd);
        fd = open(dir, O_PATH | O_DIRECTORY);
        TC_CHECK_EQ_INT(tc_ignore_add_file_at(ig, "", fd, ".git/info/exclude"), TC_OK);
        TC_CHECK_EQ_INT(tc_ignore_match(ig, "a.c", 0), 0);
    }
    if (fd >= 0) close(fd);
    tc_ignore_free(ig);
}
