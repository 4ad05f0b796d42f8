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
#define CNT(d, u) \
    "static int " d " = 0;\n\nvoid inc(void) {\n    " u "++;\n}\n\nint get(void) {\n    return " u ";\n}\n"

TC_TEST(edit_modscope_c_static)
{
    EDIT_CHECK_SELF(TC_LANG_C, "c.c", CNT("count", "count"), CNT("total", "count"), TC_EDIT_RENAME, 2,
                    CNT("total", "total"));
}

TC_TEST(edit_modscope_negative)
{
    /* an object's key of that name: a property of the object, maybe meant with it; the statement only */
    const char *sb = "const include_dir = rel();\nmodule.exports = {\n  include_dir: 1,\n"
                     "  gyp: join(include_dir, 'x'),\n};\n";
    const char *sa = "const includeDir = rel();\nmodule.exports = {\n  include_dir: 1,\n"
                     "  gyp: join(include_dir, 'x'),\n};\n";
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

/* node-addon-api's index.js as it was: the shorthand property keeps its key */
TC_TEST(edit_modscope_shorthand)
{
    const char *b = "const include_dir = path.relative('.', __dirname);\n\nmodule.exports = {\n"
                    "  include: `\"${__dirname}\"`, // deprecated\n  include_dir,\n"
                    "  gyp: path.join(include_dir, 'node_api.gyp:nothing'),\n};\n";
    const char *a = "const includeDir = path.relative('.', __dirname);\n\nmodule.exports = {\n"
                    "  include: `\"${__dirname}\"`, // deprecated\n  include_dir,\n"
                    "  gyp: path.join(include_dir, 'node_api.gyp:nothing'),\n};\n";
    EDIT_CHECK_SELF(TC_LANG_JS, "index.js", b, a, TC_EDIT_RENAME, 2,
                    "const includeDir = path.relative('.', __dirname);\n\nmodule.exports = {\n"
                    "  include: `\"${__dirname}\"`, // deprecated\n  include_dir: includeDir,\n"
                    "  gyp: path.join(includeDir, 'node_api.gyp:nothing'),\n};\n");
}

/* a local's shorthand and a destructuring pattern's keep their keys; an object's key of that name is no place */
TC_TEST(edit_modscope_local_keys)
{
    const char *b = "function f(o) {\n  const n = o.size;\n  g({ n, m: 1 });\n  h({ n: 2 });\n  return n;\n}\n";
    const char *a = "function f(o) {\n  const count = o.size;\n  g({ n, m: 1 });\n  h({ n: 2 });\n  return n;\n}\n";
    EDIT_CHECK_SELF(TC_LANG_JS, "f.js", b, a, TC_EDIT_RENAME, 2,
                    "function f(o) {\n  const count = o.size;\n  g({ n: count, m: 1 });\n  h({ n: 2 });\n"
                    "  return count;\n}\n");
    /* C++: `{ n, 1 }` is a list of values, the name renamed there */
    EDIT_CHECK_SELF(TC_LANG_CPP, "f.cc", "int f() {\n  int n = 1;\n  return g({ n, 1 });\n}\n",
                    "int f() {\n  int count = 1;\n  return g({ n, 1 });\n}\n", TC_EDIT_RENAME, 1,
                    "int f() {\n  int count = 1;\n  return g({ count, 1 });\n}\n");
}

/* `export { n }` names the export, no property: the name itself (as before), never `n: count` */
TC_TEST(edit_modscope_export_list)
{
    const char *b = "const n = 1;\nconst o = { n };\nexport { n };\nexport default { n };\n";
    const char *a = "const count = 1;\nconst o = { n };\nexport { n };\nexport default { n };\n";
    EDIT_CHECK_SELF(TC_LANG_JS, "m.js", b, a, TC_EDIT_RENAME, 3,
                    "const count = 1;\nconst o = { n: count };\nexport { count };\nexport default { n: count };\n");
}
