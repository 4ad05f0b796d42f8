/* test_edit_shadow.c - a parameter renamed because it shadowed one of the
 * function around it (src/edit/shadow.c): the same rename in the file's
 * other functions whose parameter shadows the same name the same way. */
#include "edit_apply.h"
#include "test.h"

#define CHECK_SH(before, after, other, want_n, want) \
    EDIT_CHECK_APPLY(TC_LANG_JS, "r.js", (before), (after), "r.js", (other), 1, TC_EDIT_RENAME, (want_n), (want))

/* semver's classes/range.js, 7.5.x -> 7.6.0 */
#define TILDES "const replaceTildes = (comp, options) =>\n  comp.trim().split(/\\s+/).map((comp) => {\n    return replaceTilde(comp, options)\n  }).join(' ')\n"
#define TILDES_C "const replaceTildes = (comp, options) =>\n  comp.trim().split(/\\s+/).map((c) => {\n    return replaceTilde(c, options)\n  }).join(' ')\n"
#define CARETS "const replaceCarets = (comp, options) =>\n  comp.trim().split(/\\s+/).map((comp) => {\n    return replaceCaret(comp, options)\n  }).join(' ')\n"
#define CARETS_C "const replaceCarets = (comp, options) =>\n  comp.trim().split(/\\s+/).map((c) => {\n    return replaceCaret(c, options)\n  }).join(' ')\n"
#define XR "const replaceXRanges = (comp, options) => {\n  return comp.split(/\\s+/).map((comp) => {\n    return replaceXRange(comp, options)\n  }).join(' ')\n}\n"
#define XR_C "const replaceXRanges = (comp, options) => {\n  return comp.split(/\\s+/).map((c) => {\n    return replaceXRange(c, options)\n  }).join(' ')\n}\n"
/* a parameter that shadows nothing */
#define PARSE "function parseRange (range) {\n  return range.map((comp) => parse(comp))\n}\n"

TC_TEST(edit_shadow_siblings)
{
    const char *b = TILDES CARETS XR PARSE;
    const char *ex = "const replaceTildes = (comp, options) =>\n  comp.trim().split(/\\s+/).map((c) => {\n"
                     "    return replaceTilde(comp, options)\n  }).join(' ')\n" CARETS XR PARSE;
    /* the example's own use, then both siblings' parameters and uses; parseRange's comp shadows nothing */
    CHECK_SH(b, ex, ex, 5, TILDES_C CARETS_C XR_C PARSE);
}

TC_TEST(edit_shadow_negative)
{
    const char *b = TILDES CARETS;
    const char *ex = "const replaceTildes = (comp, options) =>\n  comp.trim().split(/\\s+/).map((c) => {\n"
                     "    return replaceTilde(comp, options)\n  }).join(' ')\n" CARETS;
    /* a sibling that uses the new name already (it would capture it) */
    const char *uses_c = "const replaceCarets = (comp, options) =>\n  comp.trim().split(/\\s+/).map((comp) => {\n"
                         "    return replaceCaret(comp, c)\n  }).join(' ')\n";
    /* a sibling whose shadowing parameter is a plain function's, not an arrow's */
    const char *plain = "const replaceCarets = (comp, options) =>\n  comp.trim().split(/\\s+/).map(function (comp) {\n"
                        "    return replaceCaret(comp, options)\n  }).join(' ')\n";
    /* a member of that name and an object's key stay */
    const char *member = "const replaceCarets = (comp, options) =>\n  comp.trim().split(/\\s+/).map((comp) => {\n"
                         "    return f({ comp: x.comp }, comp)\n  }).join(' ')\n";
    char *o1 = malloc(strlen(ex) + strlen(uses_c) + strlen(plain) + strlen(member) + 1);
    char *w1 = malloc(strlen(ex) + strlen(uses_c) + strlen(plain) + strlen(member) + 1);
    TC_CHECK(o1 && w1);
    if (o1 && w1) {
        strcpy(o1, "const replaceTildes = (comp, options) =>\n  comp.trim().split(/\\s+/).map((c) => {\n"
                   "    return replaceTilde(comp, options)\n  }).join(' ')\n");
        strcat(o1, uses_c);
        strcat(o1, plain);
        strcat(o1, member);
        strcpy(w1, TILDES_C);
        strcat(w1, uses_c);
        strcat(w1, plain);
        strcat(w1, "const replaceCarets = (comp, options) =>\n  comp.trim().split(/\\s+/).map((c) => {\n"
                   "    return f({ comp: x.comp }, c)\n  }).join(' ')\n");
        CHECK_SH(b, ex, o1, 3, w1);
    }
    free(o1);
    free(w1);
}

/* rxjs's groupBy.ts, 7.0 -> 7.1: a parameter renamed in one overload */
#define GB(p, q) "export function groupBy<T, K>(" p ": (value: T) => K): OperatorFunction<T, K>;\n" \
                 "export function groupBy<T, K>(\n  " p ": (value: T) => K,\n  e: void\n): OperatorFunction<T, K>;\n" \
                 "export function groupBy<T, K>(" p ": (value: T) => K, e?: any): OperatorFunction<T, K> {\n" \
                 "  return run(" p ", e);\n}\n" \
                 "export function other(" q ": number): void {\n  use(" q ");\n}\n"

TC_TEST(edit_shadow_overloads)
{
    const char *b = GB("keySelector", "keySelector");
    const char *a = "export function groupBy<T, K>(key: (value: T) => K): OperatorFunction<T, K>;\n"
                    "export function groupBy<T, K>(\n  keySelector: (value: T) => K,\n  e: void\n): OperatorFunction<T, K>;\n"
                    "export function groupBy<T, K>(keySelector: (value: T) => K, e?: any): OperatorFunction<T, K> {\n"
                    "  return run(keySelector, e);\n}\n"
                    "export function other(keySelector: number): void {\n  use(keySelector);\n}\n";
    /* the other declarations of groupBy (the body's use too), not another function's parameter */
    EDIT_CHECK_APPLY(TC_LANG_TS, "g.ts", b, a, "g.ts", a, 1, TC_EDIT_RENAME, 3, GB("key", "keySelector"));
    /* an implementation whose `)` starts a line: its body is its own; one that uses the new name keeps its
     * parameter */
    {
        const char *b2 = "function f(x: number): void;\nfunction f(\n  x: string\n): void {\n  g(x);\n}\n"
                         "function f(\n  x: any\n): void {\n  g(x, y);\n}\n";
        const char *a2 = "function f(y: number): void;\nfunction f(\n  x: string\n): void {\n  g(x);\n}\n"
                         "function f(\n  x: any\n): void {\n  g(x, y);\n}\n";
        EDIT_CHECK_APPLY(TC_LANG_TS, "f.ts", b2, a2, "f.ts", a2, 1, TC_EDIT_RENAME, 2,
                         "function f(y: number): void;\nfunction f(\n  y: string\n): void {\n  g(y);\n}\n"
                         "function f(\n  x: any\n): void {\n  g(x, y);\n}\n");
    }
    /* one declaration of each: no sibling (a plain rename, refused here: the rename's scope after a
     * return type runs on, and h declares x too) */
    {
        const char *b1 = "function f(x: number): void {\n  g(x);\n}\nfunction h(x: number): void {\n  g(x);\n}\n";
        const char *a1 = "function f(y: number): void {\n  g(x);\n}\nfunction h(x: number): void {\n  g(x);\n}\n";
        int k;
        size_t n;
        char *got = edit_apply_rule(TC_LANG_TS, "f.ts", b1, a1, "f.ts", a1, 1, &k, &n);
        TC_CHECK(got && strstr(got, "function h(x: number): void {\n  g(x);"));
        free(got);
    }
}
