/* test_edit_jslocal.c - a `tokens` rewrite whose old tokens name a local
 * (`let`, `const`, `var`) of the example's function that the new tokens
 * drop (`inner.unsubscribe()` -> `restart()`, src/edit/jslocal.c): its
 * places are in the block that declares the local; another function's
 * local of the same name, or another file's, is another variable. A
 * parameter's name (`return cb(null)` -> `return null`) and a member's
 * are not such locals: every function, every file. */
#include "edit_apply.h"
#include "test.h"

static const char *ts_before = "function a() {\n  let inner: Sub | null = null;\n  const go = () => {\n"
                               "    if (inner) {\n      inner.unsubscribe();\n    }\n    if (done) {\n"
                               "      inner.unsubscribe();\n    }\n  };\n}\n"
                               "function b() {\n  let inner = f();\n  if (inner) {\n    inner.unsubscribe();\n  }\n}\n";

TC_TEST(edit_jslocal_own_block)
{
    /* positive: the other use in a's block; negative: b's own `inner` */
    const char *after = "function a() {\n  let inner: Sub | null = null;\n  const go = () => {\n"
                        "    if (inner) {\n      restart();\n    }\n    if (done) {\n"
                        "      inner.unsubscribe();\n    }\n  };\n}\n"
                        "function b() {\n  let inner = f();\n  if (inner) {\n    inner.unsubscribe();\n  }\n}\n";
    EDIT_CHECK_SELF(TC_LANG_TS, "src/a.ts", ts_before, after, TC_EDIT_TOKENS, 1,
                    "function a() {\n  let inner: Sub | null = null;\n  const go = () => {\n"
                    "    if (inner) {\n      restart();\n    }\n    if (done) {\n"
                    "      restart();\n    }\n  };\n}\n"
                    "function b() {\n  let inner = f();\n  if (inner) {\n    inner.unsubscribe();\n  }\n}\n");
}

TC_TEST(edit_jslocal_not_other_files)
{
    /* negative: another file's local of the same name */
    const char *before = "function a() {\n  let inner = f();\n  inner.unsubscribe();\n  g();\n}\n";
    const char *after = "function a() {\n  let inner = f();\n  restart();\n  g();\n}\n";
    const char *other = "function c() {\n  let inner = h();\n  inner.unsubscribe();\n  g();\n}\n";
    EDIT_CHECK_APPLY(TC_LANG_JS, "lib/a.js", before, after, "lib/c.js", other, 0, TC_EDIT_TOKENS, 0, other);
}

TC_TEST(edit_jslocal_parameter_everywhere)
{
    /* a parameter's name is no such local: another file's `cb` too */
    const char *before = "function a(x, cb) {\n  if (x) return cb(null)\n  go()\n}\n";
    const char *after = "function a(x, cb) {\n  if (x) return null\n  go()\n}\n";
    const char *other = "function c(y, cb) {\n  if (y) return cb(null)\n  go()\n}\n";
    EDIT_CHECK_APPLY(TC_LANG_JS, "lib/a.js", before, after, "lib/c.js", other, 0, TC_EDIT_TOKENS, 1,
                     "function c(y, cb) {\n  if (y) return null\n  go()\n}\n");
}

TC_TEST(edit_jslocal_parameter_inner_let)
{
    /* negative: an inner function's `let cb` leaves the outer parameter `cb` a parameter */
    const char *before = "function a(x, cb) {\n  if (x) return cb(null)\n  go(function () {\n    let cb = h()\n  })\n}\n";
    const char *after = "function a(x, cb) {\n  if (x) return null\n  go(function () {\n    let cb = h()\n  })\n}\n";
    const char *other = "function c(y, cb) {\n  if (y) return cb(null)\n  go()\n}\n";
    EDIT_CHECK_APPLY(TC_LANG_JS, "lib/a.js", before, after, "lib/c.js", other, 0, TC_EDIT_TOKENS, 1,
                     "function c(y, cb) {\n  if (y) return null\n  go()\n}\n");
}

TC_TEST(edit_jslocal_module_name_everywhere)
{
    /* a module's name (declared at the top, in no block): every file */
    const char *before = "const log = require('log')\nfunction a() {\n  log.warn(x)\n  go()\n}\n";
    const char *after = "const log = require('log')\nfunction a() {\n  console.error(x)\n  go()\n}\n";
    const char *other = "const log = require('log')\nfunction c() {\n  log.warn(y)\n  go()\n}\n";
    EDIT_CHECK_APPLY(TC_LANG_JS, "lib/a.js", before, after, "lib/c.js", other, 0, TC_EDIT_TOKENS, 1,
                     "const log = require('log')\nfunction c() {\n  console.error(y)\n  go()\n}\n");
}
