/* test_edit_variant.c - files that are versions of one another
 * (src/edit/variant.c): a rule's places are not looked for in the other
 * version's file. */
#include "edit/edit_int.h"
#include "edit_apply.h"
#include "test.h"

TC_TEST(edit_variant_paths)
{
    TC_CHECK(edit_path_variant("nan_callbacks_12_inl.h", "nan_callbacks_pre_12_inl.h"));
    TC_CHECK(edit_path_variant("src/nan_maybe_pre_43_inl.h", "src/nan_maybe_43_inl.h"));
    TC_CHECK(edit_path_variant("lib/parser-v2.js", "lib/parser-3.js") == 0); /* "v2" is a word, not a version */
    TC_CHECK(edit_path_variant("lib/parser-2.js", "lib/parser-3.js"));
    /* not: the same file, another directory, no number on one side, another name */
    TC_CHECK(edit_path_variant("a/x_12.h", "a/x_12.h") == 0);
    TC_CHECK(edit_path_variant("a/x_12.h", "b/x_pre_12.h") == 0);
    TC_CHECK(edit_path_variant("nan_callbacks.h", "nan_callbacks_12_inl.h") == 0);
    TC_CHECK(edit_path_variant("nan_callbacks_12_inl.h", "nan_persistent_12_inl.h") == 0);
    TC_CHECK(edit_path_variant("test_edit_two.c", "test_edit_top.c") == 0);
    TC_CHECK(edit_path_variant(NULL, "x_1.h") == 0);
}

TC_TEST(edit_variant_sites)
{
    const char *b = "void f() {\n  cbinfo(info, obj->Get(kDataIndex));\n  cbinfo(info, obj->Get(kDataIndex));\n}\n";
    const char *a = "void f() {\n  cbinfo(info, obj->Get(kDataIndex).As<v8::Value>());\n  cbinfo(info, obj->Get(kDataIndex));\n}\n";
    const char *other = "void g() {\n  cbinfo(info, obj->Get(kDataIndex));\n}\n";
    /* the file of another version: nothing; another file of the directory: the call */
    EDIT_CHECK_APPLY(TC_LANG_CPP, "nan_callbacks_12_inl.h", b, a, "nan_callbacks_pre_12_inl.h", other, 0, TC_EDIT_CALL, 0, other);
    EDIT_CHECK_APPLY(TC_LANG_CPP, "nan_callbacks_12_inl.h", b, a, "nan_new.h", other, 0, TC_EDIT_CALL, 1,
                     "void g() {\n  cbinfo(info, obj->Get(kDataIndex).As<v8::Value>());\n}\n");
}
