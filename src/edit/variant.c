/* variant.c - files that are versions of one another: the same name but
 * a version (`nan_callbacks_12_inl.h` for V8 12 and later,
 * `nan_callbacks_pre_12_inl.h` for the versions before). A change made
 * in one is for its version: the other is what the older or newer
 * version still needs (nan: a call given `.As<v8::Value>()` in the V8 12
 * file, 13 wrong places in the pre-12 one), so a rule's places are not
 * looked for there. */
#include "edit/edit_int.h"

#include <string.h>

/* Words that qualify a version in a file's name. */
static const char *const qualifiers[] = {"pre", "post", "before", "after", "old", "new", "legacy", "compat", NULL};

/* The next word of a file's name at *p (words are split at '_', '-' and
 * '.'): its start *w and length (0 at the end), *p moved after it; *num 1
 * when it is a number, *ver 1 when it is a number or a version's
 * qualifier. */
static size_t next_word(const char **p, const char **w, int *num, int *ver)
{
    const char *s = *p, *e;
    size_t n, i, digits;
    while (*s == '_' || *s == '-' || *s == '.') s++;
    for (e = s; *e && *e != '_' && *e != '-' && *e != '.'; e++) {
    }
    n = (size_t)(e - s);
    for (digits = 0; digits < n && s[digits] >= '0' && s[digits] <= '9'; digits++) {
    }
    *num = *ver = n > 0 && digits == n;
    for (i = 0; !*ver && n > 0 && qualifiers[i]; i++) *ver = strlen(qualifiers[i]) == n && memcmp(qualifiers[i], s, n) == 0;
    *w = s;
    *p = e;
    return n;
}

/* The next word of *p that is no version's (0 at the end), *w its start;
 * *nums counts the numbers passed. */
static size_t next_name_word(const char **p, const char **w, int *nums)
{
    size_t n;
    int num, ver;
    do {
        n = next_word(p, w, &num, &ver);
        *nums += num;
    } while (n > 0 && ver);
    return n;
}

/* The name of path, after its last '/'. */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int edit_path_variant(const char *x, const char *y)
{
    const char *a, *b, *wa, *wb;
    size_t na, nb;
    int nums_a = 0, nums_b = 0;
    if (!x || !y || strcmp(x, y) == 0) return 0;
    a = base_name(x);
    b = base_name(y);
    if (a - x != b - y || memcmp(x, y, (size_t)(a - x)) != 0) return 0; /* another directory */
    for (;;) {
        na = next_name_word(&a, &wa, &nums_a);
        nb = next_name_word(&b, &wb, &nums_b);
        if (na == 0 || nb == 0) return na == nb && nums_a > 0 && nums_b > 0;
        if (na != nb || memcmp(wa, wb, na) != 0) return 0;
    }
}
