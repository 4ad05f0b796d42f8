/* test_edit_modscope.c - a name declared at a file's top level, renamed
 * where it is declared (src/edit/modscope.c): its uses in the whole file,
 * unless another use may be another thing (declared again, a member, an
 * object's key). */
#include "edit_apply.h"
#include "test.h"

/* node-addon-api's index.js, 5.0.0 -> 5.1.0, without the shorthand property */
#define IDX(d, u)                                                      \
    "const path = require('path');\n\n"                                \
    "const " d " = path.relative('.', __dirname);\n\n"                 \
    "module.exports = {\n"                                             \
    "  dir: " u ",\n"                                                  \
    "  gyp: path.join(" u ", 'node_api.gyp:nothing'),\n"               \
    "  isNodeApiBuiltin: true\n"                                       \
    "};\n"

TC_TEST(edit_modscope_js_const)
{
    EDIT_CHECK_SELF(TC_LANG_JS, "index.js", IDX("include_dir", "include_dir"), IDX("includeDir", "include_dir"),
                    TC_EDIT_RENAME, 2, IDX("includeDir", "includeDir"));
}

/* C: a file's static variable, used in two functions */
#define CNT(d, u) "static int " d " = 0;\n\nvoid inc(void) {\n    " u "++;\n}\n\nint get(void) {\n    return " u ";\n}\n"

TC_TEST(edit_modscope_c_static)
{
    EDIT_CHECK_SELF(TC_LANG_C, "c.c", CNT("count", "count"), CNT("total", "count"), TC_EDIT_RENAME, 2,
                    CNT("total", "total"));
}

TC_TEST(edit_modscope_negative)
{
    /* a shorthand property: the key is the object's API (`include_dir: includeDir` needed), no places */
    const char *sb = "const include_dir = rel();\nmodule.exports = {\n  include_dir,\n  gyp: join(include_dir, 'x'),\n};\n";
    const char *sa = "const includeDir = rel();\nmodule.exports = {\n  include_dir,\n  gyp: join(include_dir, 'x'),\n};\n";
    /* a function's parameter of the same name: which uses are the top-level one's is not clear */
    const char *pb = "const size = 4;\nfunction f(size) {\n  return size * 2;\n}\nconst g = size + 1;\n";
    const char *pa = "const width = 4;\nfunction f(size) {\n  return size * 2;\n}\nconst g = size + 1;\n";
    /* a member of that name is another thing */
    const char *mb = "const name = 'x';\nfunction f(o) {\n  return o.name + name;\n}\n";
    const char *ma = "const label = 'x';\nfunction f(o) {\n  return o.name + name;\n}\n";
    /* not at the top level: a block's own (block_scope, as before: its block) */
    const char *bb = "function f() {\n  const n = 1;\n  return n;\n}\nconst m = n;\n";
    const char *ba = "function f() {\n  const k = 1;\n  return n;\n}\nconst m = n;\n";
    EDIT_CHECK_SELF(TC_LANG_JS, "index.js", sb, sa, TC_EDIT_RENAME, 0, sa);
    EDIT_CHECK_SELF(TC_LANG_JS, "f.js", pb, pa, TC_EDIT_RENAME, 0, pa);
    EDIT_CHECK_SELF(TC_LANG_JS, "f.js", mb, ma, TC_EDIT_RENAME, 0, ma);
    EDIT_CHECK_SELF(TC_LANG_JS, "f.js", bb, ba, TC_EDIT_RENAME, 1,
                    "function f() {\n  const k = 1;\n  return k;\n}\nconst m = n;\n");
}
