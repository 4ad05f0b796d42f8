/* test_edit_lint_stmt.c - the extra-semicolon lint (src/edit/lint.c) from
 * a method's `};`: in C++ a statement's block followed by `;` (`if (c)
 * {...};`, node-addon-api's `Maybe<T>::UnwrapTo`) is no function's body
 * (-Wextra-semi), its `;` stays; a function's in the same file goes. In
 * JavaScript eslint's no-extra-semi flags both (commander's help.js). */
#include "edit_apply.h"
#include "test.h"

TC_TEST(edit_lint_semi_not_statement_block)
{
    const char *b = "struct S {\n  int f() const { return 1; };\n  int g() { return 2; };\n};\n";
    const char *a = "struct S {\n  int f() const { return 1; }\n  int g() { return 2; };\n};\n";
    const char *other = "bool T::To(int* out) const {\n  if (ok()) {\n    *out = 1;\n    return true;\n  };\n"
                        "  for (int i = 0; i < 2; i++) {\n    g(i);\n  };\n  while (x) {\n    h();\n  };\n"
                        "  return false;\n}\n"
                        "int k(int a) {\n  return a;\n};\n";
    EDIT_CHECK_APPLY(TC_LANG_CPP, "s.h", b, a, "t.h", other, 0, TC_EDIT_LINT, 1,
                     "bool T::To(int* out) const {\n  if (ok()) {\n    *out = 1;\n    return true;\n  };\n"
                     "  for (int i = 0; i < 2; i++) {\n    g(i);\n  };\n  while (x) {\n    h();\n  };\n"
                     "  return false;\n}\n"
                     "int k(int a) {\n  return a;\n}\n");
}

TC_TEST(edit_lint_semi_statement_block_js)
{
    const char *b = "class A {\n  f(x) {\n    return x;\n  };\n}\n";
    const char *a = "class A {\n  f(x) {\n    return x;\n  }\n}\n";
    const char *other = "function g(x) {\n  if (x) {\n    h();\n  };\n}\n";
    EDIT_CHECK_APPLY(TC_LANG_JS, "a.js", b, a, "b.js", other, 0, TC_EDIT_LINT, 1,
                     "function g(x) {\n  if (x) {\n    h();\n  }\n}\n");
}
