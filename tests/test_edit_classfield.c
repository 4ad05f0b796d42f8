/* test_edit_classfield.c - a `tokens` change inside a data member's
 * declaration in a class, struct or union body (src/edit/classfield.c)
 * keeps to that body: not offered at another class's member of the same
 * name, in the file or in other files; the same change on a line that is
 * no member declaration is offered as before. */
#include "edit_apply.h"
#include "test.h"

static const char *cls = "class DataView : public Object {\n public:\n  void Read() const;\n\n"
                         "  void* _data;\n  size_t _length;\n};\n\n"
                         "class CallbackInfo {\n  napi_env _env;\n  void* _data;\n};\n";
static const char *cls_init = "class DataView : public Object {\n public:\n  void Read() const;\n\n"
                              "  void* _data{};\n  size_t _length;\n};\n\n"
                              "class CallbackInfo {\n  napi_env _env;\n  void* _data;\n};\n";

TC_TEST(edit_classfield_keeps_to_class)
{
    /* the other class's `void* _data;` in the edited file and in another file: no place */
    EDIT_CHECK_APPLY(TC_LANG_CPP, "napi.hpp", cls, cls_init, "napi.hpp", cls_init, 1, TC_EDIT_TOKENS, 0, cls_init);
    EDIT_CHECK_APPLY(TC_LANG_CPP, "napi.hpp", cls, cls_init, "other.hpp", "struct W {\n  void* _data;\n};\n", 0,
                     TC_EDIT_TOKENS, 0, "struct W {\n  void* _data;\n};\n");
    /* C: a struct's member the same */
    EDIT_CHECK_APPLY(TC_LANG_C, "a.h", "struct a {\n  int n;\n};\nstruct b {\n  int n;\n};\n",
                     "struct a {\n  int n : 4;\n};\nstruct b {\n  int n;\n};\n", "a.h",
                     "struct a {\n  int n : 4;\n};\nstruct b {\n  int n;\n};\n", 1, TC_EDIT_TOKENS, 0,
                     "struct a {\n  int n : 4;\n};\nstruct b {\n  int n;\n};\n");
}

TC_TEST(edit_classfield_not_a_member)
{
    /* the same tokens changed in a function's body, or in a struct's
     * initializer, reach the other places as before */
    const char *f = "int f(void) {\n  void* _data;\n  return 0;\n}\n";
    const char *f2 = "int f(void) {\n  void* _data{};\n  return 0;\n}\n";
    EDIT_CHECK_APPLY(TC_LANG_CPP, "a.cpp", f, f2, "b.cpp", "int g(void) {\n  void* _data;\n  return 1;\n}\n", 0,
                     TC_EDIT_TOKENS, 1, "int g(void) {\n  void* _data{};\n  return 1;\n}\n");
    EDIT_CHECK_APPLY(TC_LANG_C, "a.c", "struct s x = {\n  .n = lim;\n};\n", "struct s x = {\n  .n = lim();\n};\n",
                     "b.c", "struct s y = {\n  .n = lim;\n};\n", 0, TC_EDIT_TOKENS, 1,
                     "struct s y = {\n  .n = lim();\n};\n");
}
