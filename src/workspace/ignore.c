/* ignore.c - git's ignore rules, matched the way git's dir.c matches them.
 *
 * Each line of an ignore file becomes one compiled pattern (ig_pat). As in
 * git, a pattern without a slash (other than a trailing one) is matched
 * against the basename only; one with a slash is matched against the path
 * relative to the directory of the file that holds it, with WM_PATHNAME
 * glob rules. The literal head of every pattern (the bytes before the first
 * glob special "*?[\") is compared with memcmp before any glob matching, and
 * the common shapes ("name", "*.ext", "/dir/name") never reach the globber.
 *
 * Quirks of git that are kept on purpose (the differential tests depend on
 * them): the literal head of a path pattern is stripped before globbing, so
 * in "/ab**" the "**" counts as leading; "\" at the end of a pattern never
 * matches; a line is cut at its first NUL byte; a .gitignore that is a
 * symlink is not read.
 */
#include "workspace/ignore.h"

#include "util/buf.h"
#include "util/fsio.h"
#include "util/status.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
    PAT_NEGATIVE = 1,  /* "!pattern" */
    PAT_MUSTBEDIR = 2, /* "pattern/" */
    PAT_NODIR = 4,     /* no slash: match the basename */
    PAT_ENDSWITH = 8,  /* "*literal" */
};

typedef struct ig_pat {
    const char *pat;  /* NUL-terminated; no "!", trailing "/", or (path
                         patterns) leading "/" */
    const char *base; /* directory of the rule file, "" or "a/b" */
    uint32_t len;     /* strlen(pat) */
    uint32_t prefix;  /* leading bytes of pat that hold no glob special */
    uint32_t baselen; /* strlen(base) */
    uint32_t flags;   /* PAT_* */
} ig_pat;

/* Text storage for one tc_ignore_add call: the base and the pattern lines. */
typedef struct ig_block {
    struct ig_block *next;
    char data[];
} ig_block;

typedef struct ig_level {
    ig_pat *pats;     /* in file order; the last match wins */
    size_t npats, cap;
    ig_block *blocks; /* owned text the pats point into */
} ig_level;

struct tc_ignore {
    ig_level *levels; /* [0] is .git/info/exclude; the top is the deepest */
    size_t nlevels, cap;
};

/* ---- glob matching (git's wildmatch semantics) ------------------------ */

enum { WM_MATCH = 0, WM_NOMATCH = 1, WM_ABORT_ALL = -1, WM_ABORT_TO_STARSTAR = -2 };

static int is_glob_special(unsigned c)
{
    return c == '*' || c == '?' || c == '[' || c == '\\';
}

/* Character classes as git's own ctype defines them (ASCII only; git's
 * "space" is " \t\n\r", without \v and \f). -1 for an unknown class name. */
static int wm_class(const unsigned char *name, size_t n, unsigned c)
{
#define IS(s) (n == sizeof(s) - 1 && memcmp(name, s, n) == 0)
    int lower = c >= 'a' && c <= 'z', upper = c >= 'A' && c <= 'Z';
    int digit = c >= '0' && c <= '9';
    if (IS("alnum")) return lower || upper || digit;
    if (IS("alpha")) return lower || upper;
    if (IS("blank")) return c == ' ' || c == '\t';
    if (IS("cntrl")) return c < 0x20 || c == 0x7f;
    if (IS("digit")) return digit;
    if (IS("graph")) return c > 0x20 && c < 0x7f;
    if (IS("lower")) return lower;
    if (IS("print")) return c >= 0x20 && c < 0x7f;
    if (IS("punct")) return c > 0x20 && c < 0x7f && !lower && !upper && !digit;
    if (IS("space")) return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (IS("upper")) return upper;
    if (IS("xdigit")) return digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    return -1;
#undef IS
}

/* Match the bracket expression at *pp (which points at '[') against the
 * text byte c. Returns 1 if it matches, 0 if not, -1 if the expression is
 * unterminated or names an unknown class; *pp is left on the closing ']'.
 * bracket = "[" ["!" | "^"] item {item} "]", the first item may be "]". */
static int wm_bracket(const unsigned char **pp, unsigned c)
{
    const unsigned char *p = *pp;
    unsigned pc = *++p, prev = 0;
    int negated = 0, matched = 0;

    if (pc == '!' || pc == '^') {
        negated = 1;
        pc = *++p;
    }
    do {
        if (!pc) return -1;
        if (pc == '\\') {
            pc = *++p;
            if (!pc) return -1;
            if (c == pc) matched = 1;
        } else if (pc == '-' && prev && p[1] && p[1] != ']') {
            unsigned lo = prev;
            pc = *++p;
            if (pc == '\\') {
                pc = *++p;
                if (!pc) return -1;
            }
            if (c >= lo && c <= pc) matched = 1;
            pc = 0; /* a range cannot start the next range */
        } else if (pc == '[' && p[1] == ':') {
            const unsigned char *s = p + 2, *q = s;
            int r;
            while (*q && *q != ']') q++;
            if (!*q) return -1;
            if (q == s || q[-1] != ':') {
                /* no ":]": the '[' is an ordinary member */
                if (c == '[') matched = 1;
            } else {
                r = wm_class(s, (size_t)(q - s - 1), c);
                if (r < 0) return -1;
                if (r) matched = 1;
                p = q;
                pc = 0;
            }
        } else if (c == pc) {
            matched = 1;
        }
        prev = pc;
        pc = *++p;
    } while (pc != ']');
    *pp = p;
    return matched != negated;
}

/* Work limit for one match, in calls plus star-loop steps. git's algorithm
 * takes time exponential in the number of stars for a pattern made of many
 * "**" + "/" groups; real patterns need a few thousand steps at most. A
 * match that runs out counts as no match (the one place we differ from git,
 * which would hang). */
#define WM_BUDGET (1L << 16)

/* git's dowild(): p and t are NUL-terminated; pathname makes '*', '?' and
 * '[...]' stop at '/', and gives "**" between slashes its special meaning.
 * *budget is decremented per step; at 0 the match aborts. */
static int wm_do(const unsigned char *p, const unsigned char *t, int pathname, long *budget)
{
    const unsigned char *pstart = p;

    if (--*budget < 0) return WM_ABORT_ALL;

    for (; *p; p++, t++) {
        unsigned pc = *p, tc = *t;
        int slash_ok, r;

        if (!tc && pc != '*') return WM_ABORT_ALL;
        switch (pc) {
        case '\\':
            pc = *++p; /* a trailing '\' compares NUL with tc != NUL */
            if (tc != pc) return WM_NOMATCH;
            continue;
        case '?':
            if (pathname && tc == '/') return WM_NOMATCH;
            continue;
        case '[':
            r = wm_bracket(&p, tc);
            if (r < 0) return WM_ABORT_ALL;
            if (!r || (pathname && tc == '/')) return WM_NOMATCH;
            continue;
        case '*':
            if (p[1] == '*') {
                int lead = p == pstart || p[-1] == '/';
                while (*++p == '*') {}
                if (!pathname) {
                    slash_ok = 1;
                } else if (lead && (!*p || *p == '/' || (p[0] == '\\' && p[1] == '/'))) {
                    /* "**" + "/": try matching no directories first */
                    if (*p == '/' && wm_do(p + 1, t, pathname, budget) == WM_MATCH) return WM_MATCH;
                    slash_ok = 1;
                } else {
                    slash_ok = 0;
                }
            } else {
                p++;
                slash_ok = !pathname;
            }
            if (!*p) {
                if (!slash_ok && strchr((const char *)t, '/')) return WM_NOMATCH;
                return WM_MATCH;
            }
            if (!slash_ok && *p == '/') {
                /* "*" + "/" eats the rest of this path component */
                const char *s = strchr((const char *)t, '/');
                if (!s) return WM_NOMATCH;
                t = (const unsigned char *)s; /* the loop steps over both '/' */
                continue;
            }
            for (;;) {
                if (!tc || --*budget < 0) break;
                if (!is_glob_special(*p)) {
                    /* skip ahead to the next byte equal to the literal */
                    unsigned want = *p;
                    while ((tc = *t) && (slash_ok || tc != '/')) {
                        if (tc == want) break;
                        t++;
                    }
                    if (tc != want) return WM_NOMATCH;
                }
                r = wm_do(p, t, pathname, budget);
                if (r != WM_NOMATCH) {
                    if (!slash_ok || r != WM_ABORT_TO_STARSTAR) return r;
                } else if (!slash_ok && tc == '/') {
                    return WM_ABORT_TO_STARSTAR;
                }
                tc = *++t;
            }
            return WM_ABORT_ALL;
        default:
            if (tc != pc) return WM_NOMATCH;
            continue;
        }
    }
    return *t ? WM_NOMATCH : WM_MATCH;
}

static int wm_match(const char *pattern, const char *text, int pathname)
{
    long budget = WM_BUDGET;
    return wm_do((const unsigned char *)pattern, (const unsigned char *)text, pathname, &budget) == WM_MATCH;
}

int tc_ignore_glob_match(const char *pattern, const char *text, int pathname)
{
    return wm_match(pattern, text, pathname);
}

/* ---- parsing ---------------------------------------------------------- */

/* git's trim_trailing_spaces(): drop unescaped trailing ' ' (not tabs). */
static void trim_trailing_spaces(char *s)
{
    char *p, *last_space = NULL;
    for (p = s; *p; p++) {
        if (*p == ' ') {
            if (!last_space) last_space = p;
        } else if (*p == '\\') {
            if (!*++p) return;
            last_space = NULL;
        } else {
            last_space = NULL;
        }
    }
    if (last_space) *last_space = '\0';
}

static size_t simple_length(const char *s)
{
    size_t n = 0;
    while (s[n] && !is_glob_special((unsigned char)s[n])) n++;
    return n;
}

/* Compile the line s (NUL-terminated, writable, owned by the level) into
 * *pt. pattern-line = ["!"] body ["/"], body as in gitignore(5). */
static void compile_pattern(ig_pat *pt, char *s, const char *base, size_t baselen)
{
    uint32_t flags = 0;
    size_t len, prefix;

    if (*s == '!') {
        flags |= PAT_NEGATIVE;
        s++;
    }
    len = strlen(s);
    prefix = simple_length(s); /* computed before the trailing '/' goes */
    if (s[0] == '*' && !s[1 + simple_length(s + 1)]) flags |= PAT_ENDSWITH;
    if (len && s[len - 1] == '/') {
        s[--len] = '\0';
        flags |= PAT_MUSTBEDIR;
    }
    if (prefix > len) prefix = len;
    if (!memchr(s, '/', len)) {
        flags |= PAT_NODIR;
    } else if (*s == '/') {
        /* anchored: the base is implicitly in front */
        s++;
        len--;
        prefix--;
    }
    pt->pat = s;
    pt->len = (uint32_t)len;
    pt->prefix = (uint32_t)prefix;
    pt->base = base;
    pt->baselen = (uint32_t)baselen;
    pt->flags = flags;
}

int tc_ignore_add(tc_ignore *ig, const char *dir, const char *text, size_t len)
{
    ig_level *lv = &ig->levels[ig->nlevels - 1];
    size_t dirlen = strlen(dir), nlines = 1, i, start;
    ig_block *blk;
    char *out;

    while (dirlen && dir[dirlen - 1] == '/') dirlen--;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    for (i = 0; i < len; i++) nlines += text[i] == '\n';
    if (len > SIZE_MAX / 2 - dirlen - sizeof *blk - 8) return TC_ENOMEM;
    if (lv->npats + nlines > lv->cap) {
        size_t cap = lv->cap ? lv->cap : 16;
        ig_pat *np;
        while (cap < lv->npats + nlines) cap *= 2;
        if (cap > SIZE_MAX / sizeof *np || !(np = realloc(lv->pats, cap * sizeof *np))) return TC_ENOMEM;
        lv->pats = np;
        lv->cap = cap;
    }
    /* base + NUL, then each line + NUL: at most dirlen + len + 2 bytes */
    blk = malloc(sizeof *blk + dirlen + len + 2);
    if (!blk) return TC_ENOMEM;
    memcpy(blk->data, dir, dirlen);
    blk->data[dirlen] = '\0';
    out = blk->data + dirlen + 1;

    for (start = 0; start <= len; start = i + 1) {
        size_t end;
        for (i = start; i < len && text[i] != '\n'; i++) {}
        end = i;
        /* git adds a '\n' after the last line, so it is a line too */
        if (end == start || text[start] == '#') continue;
        if (text[end - 1] == '\r') end--; /* CRLF: git strips one CR */
        memcpy(out, text + start, end - start);
        out[end - start] = '\0';
        trim_trailing_spaces(out); /* stops at an embedded NUL, as git */
        compile_pattern(&lv->pats[lv->npats++], out, blk->data, dirlen);
        out += end - start + 1;
    }
    blk->next = lv->blocks;
    lv->blocks = blk;
    return TC_OK;
}

/* ---- levels ----------------------------------------------------------- */

static void level_clear(ig_level *lv)
{
    while (lv->blocks) {
        ig_block *next = lv->blocks->next;
        free(lv->blocks);
        lv->blocks = next;
    }
    lv->npats = 0;
}

tc_ignore *tc_ignore_new(void)
{
    tc_ignore *ig = calloc(1, sizeof *ig);
    if (!ig) return NULL;
    ig->cap = 16;
    ig->levels = calloc(ig->cap, sizeof *ig->levels);
    if (!ig->levels) {
        free(ig);
        return NULL;
    }
    ig->nlevels = 1;
    return ig;
}

void tc_ignore_free(tc_ignore *ig)
{
    size_t i;
    if (!ig) return;
    for (i = 0; i < ig->cap; i++) {
        level_clear(&ig->levels[i]);
        free(ig->levels[i].pats);
    }
    free(ig->levels);
    free(ig);
}

/* Rule files over this are treated as unreadable (a rule file that is
 * /dev/zero in disguise must not take the memory). */
#define IG_MAX_RULE_FILE (16u << 20)

/* Add the patterns of a rule file read into b (TC_OK, TC_ENOENT for absent
 * or not a regular file, TC_EIO, TC_ENOMEM, TC_ETOOBIG from the read). */
static int add_read(tc_ignore *ig, const char *dir, tc_buf *b, int rc)
{
    if (rc == TC_ENOENT || rc == TC_EINVAL) rc = TC_OK; /* absent, a symlink or not regular: as git */
    else if (rc == TC_ETOOBIG) rc = TC_EIO;
    else if (!rc) rc = tc_ignore_add(ig, dir, b->data ? b->data : "", b->len);
    tc_buf_free(b);
    return rc;
}

int tc_ignore_add_file(tc_ignore *ig, const char *dir, const char *path)
{
    tc_buf b = {0};
    return add_read(ig, dir, &b, tc_fs_read_path(path, IG_MAX_RULE_FILE, &b));
}

int tc_ignore_add_file_at(tc_ignore *ig, const char *dir, int dirfd, const char *relpath)
{
    tc_buf b = {0};
    return add_read(ig, dir, &b, tc_fs_read_regular(dirfd, relpath, IG_MAX_RULE_FILE, &b, NULL));
}

int tc_ignore_push_dirfd(tc_ignore *ig, const char *dir, int dirfd)
{
    static const char *const names[] = {".gitignore", ".tacitignore"};
    size_t i;
    int rc = TC_OK;

    if (ig->nlevels == ig->cap) {
        ig_level *nl;
        size_t cap = ig->cap * 2;
        if (!(nl = realloc(ig->levels, cap * sizeof *nl))) return TC_ENOMEM;
        memset(nl + ig->cap, 0, (cap - ig->cap) * sizeof *nl);
        ig->levels = nl;
        ig->cap = cap;
    }
    ig->nlevels++;
    /* in-tree rule files are not followed through symlinks (git >= 2.32) */
    for (i = 0; dirfd >= 0 && i < sizeof names / sizeof names[0] && !rc; i++)
        rc = tc_ignore_add_file_at(ig, dir, dirfd, names[i]);
    if (rc == TC_EIO) {
        level_clear(&ig->levels[ig->nlevels - 1]);
    } else if (rc) {
        level_clear(&ig->levels[ig->nlevels - 1]);
        ig->nlevels--;
    }
    return rc;
}

int tc_ignore_push_dir(tc_ignore *ig, const char *dir, const char *abs_dir)
{
    int fd = open(abs_dir, O_PATH | O_DIRECTORY | O_CLOEXEC), rc;
    rc = tc_ignore_push_dirfd(ig, dir, fd); /* a missing folder pushes an empty level */
    if (fd >= 0) close(fd);
    return rc;
}

void tc_ignore_pop(tc_ignore *ig)
{
    if (ig->nlevels <= 1) return;
    level_clear(&ig->levels[--ig->nlevels]);
}

/* ---- matching --------------------------------------------------------- */

/* git's match_basename(): base is the path's last component, blen bytes. */
static int match_basename(const ig_pat *pt, const char *base, size_t blen)
{
    if (pt->prefix == pt->len)
        return blen == pt->len && memcmp(pt->pat, base, blen) == 0;
    if (pt->flags & PAT_ENDSWITH)
        return pt->len - 1 <= blen &&
               memcmp(pt->pat + 1, base + blen - (pt->len - 1), pt->len - 1) == 0;
    if (pt->prefix && (blen < pt->prefix || memcmp(pt->pat, base, pt->prefix) != 0)) return 0;
    return wm_match(pt->pat, base, 0);
}

/* git's match_pathname(): the pattern is relative to pt->base. */
static int match_pathname(const ig_pat *pt, const char *path, size_t pathlen)
{
    size_t bl = pt->baselen, namelen;
    const char *name;

    if (pathlen < bl + 1) return 0;
    if (bl && (path[bl] != '/' || memcmp(path, pt->base, bl) != 0)) return 0;
    name = bl ? path + bl + 1 : path;
    namelen = bl ? pathlen - bl - 1 : pathlen;
    if (pt->prefix) {
        if (pt->prefix > namelen || memcmp(pt->pat, name, pt->prefix) != 0) return 0;
        if (pt->prefix == pt->len) return namelen == pt->len;
    }
    return wm_match(pt->pat + pt->prefix, name + pt->prefix, 1);
}

int tc_ignore_match(const tc_ignore *ig, const char *relpath, int is_dir)
{
    size_t pathlen = strlen(relpath), blen, l;
    const char *base = strrchr(relpath, '/');

    base = base ? base + 1 : relpath;
    blen = pathlen - (size_t)(base - relpath);
    for (l = ig->nlevels; l-- > 0;) {
        const ig_level *lv = &ig->levels[l];
        size_t i;
        for (i = lv->npats; i-- > 0;) {
            const ig_pat *pt = &lv->pats[i];
            int m;
            if ((pt->flags & PAT_MUSTBEDIR) && !is_dir) continue;
            if (pt->flags & PAT_NODIR)
                m = match_basename(pt, base, blen);
            else
                m = match_pathname(pt, relpath, pathlen);
            if (m) return !(pt->flags & PAT_NEGATIVE);
        }
    }
    return 0;
}
