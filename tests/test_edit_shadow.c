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

/* rxjs's groupBy.ts, 7.0 -> 7.1: a parameter renamed in one overload (the commit deleted some of the others) */
TC_TEST(edit_shadow_overloads_negative)
{
    const char *b = "function f(x: number): void;\nfunction f(\n  x: string\n): void {\n  g(x);\n}\n";
    const char *a = "function f(y: number): void;\nfunction f(\n  x: string\n): void {\n  g(x);\n}\n";
    EDIT_CHECK_SELF(TC_LANG_TS, "f.ts", b, a, TC_EDIT_RENAME, 0, a);
}

/* TypeScript: a function's return type does not end it, nor a line that starts by closing a bracket */
TC_TEST(edit_shadow_return_type)
{
    const char *b = "const f = (comp: string, o: O): string[] =>\n  comp.split(' ').map((comp): string => {\n"
                    "    return g(comp)\n  }\n)\nconst h = (comp: string): string[] =>\n  comp.split(' ').map((comp): string => {\n"
                    "    return k(comp)\n  }\n)\n";
    const char *a = "const f = (comp: string, o: O): string[] =>\n  comp.split(' ').map((c): string => {\n"
                    "    return g(comp)\n  }\n)\nconst h = (comp: string): string[] =>\n  comp.split(' ').map((comp): string => {\n"
                    "    return k(comp)\n  }\n)\n";
    EDIT_CHECK_SELF(TC_LANG_TS, "f.ts", b, a, TC_EDIT_RENAME, 3,
                    "const f = (comp: string, o: O): string[] =>\n  comp.split(' ').map((c): string => {\n"
                    "    return g(c)\n  }\n)\nconst h = (comp: string): string[] =>\n  comp.split(' ').map((c): string => {\n"
                    "    return k(c)\n  }\n)\n");
}
