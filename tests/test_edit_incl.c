/* test_edit_incl.c - TC_EDIT_F_INCLUDES (src/edit/incl.c): a place in a
 * file that includes the edited file, or that the edited file includes,
 * carries it; a place in another file, or in the edited file, does not. */
#include "edit_apply.h"
#include "test.h"

/* The evidence TC_EDIT_F_INCLUDES of the one place that the rule of
 * (path: b -> a) has in other (at opath), -1 when it has not one. */
static float includes_at(const char *path, const char *b, const char *a, const char *opath, const char *other)
{
    tc_edit_sites ss = {0};
    float f = -1;
    if (edit_rule_sites_on(TC_LANG_C, path, b, a, opath, other, 0, &ss) >= 0 && ss.n == 1)
        f = ss.v[0].feat[TC_EDIT_F_INCLUDES];
    tc_edit_sites_free(&ss);
    return f;
}

/* node-addon-api 8.3.0: NAPI_CPP_EXCEPTIONS renamed on napi-inl.h's
 * preprocessor lines; napi.h includes napi-inl.h */
#define INL(x) "#include <mutex>\n#include \"sub/napi.h\"\n#ifdef " x "\nint a;\n#endif\n#ifdef NAPI_CPP_EXCEPTIONS\nint b;\n#endif\n"
TC_TEST(edit_incl_header_and_its_file)
{
    const char *b = INL("NAPI_CPP_EXCEPTIONS"), *a = INL("NODE_ADDON_API_CPP_EXCEPTIONS");
    const char *hdr = "#ifdef NAPI_CPP_EXCEPTIONS\nint c;\n#endif\n#include \"napi-inl.h\"\n";
    TC_CHECK(includes_at("napi-inl.h", b, a, "napi.h", hdr) == 1.0f); /* includes the edited file */
    TC_CHECK(includes_at("napi-inl.h", b, a, "sub/napi.h", "#ifdef NAPI_CPP_EXCEPTIONS\nint c;\n#endif\n") == 1.0f);
    TC_CHECK(includes_at("napi-inl.h", b, a, "other.h", "#ifdef NAPI_CPP_EXCEPTIONS\nint c;\n#endif\n") == 0.0f);
}

/* The evidence is the file's (edit_sites_ev finds it once, after the
 * places): every place of an including file carries it, and its
 * confidence is the one of its evidence with it. */
TC_TEST(edit_incl_every_place_of_the_file)
{
    const char *b = INL("NAPI_CPP_EXCEPTIONS"), *a = INL("NODE_ADDON_API_CPP_EXCEPTIONS");
    const char *hdr = "#ifdef NAPI_CPP_EXCEPTIONS\nint c;\n#endif\nint d;\n#ifdef NAPI_CPP_EXCEPTIONS\nint e;\n#endif\n"
                      "#include \"napi-inl.h\"\n#ifdef NAPI_CPP_EXCEPTIONS\nint f;\n#endif\n";
    tc_edit_sites ss = {0};
    size_t i;
    TC_CHECK(edit_rule_sites_on(TC_LANG_C, "napi-inl.h", b, a, "napi.h", hdr, 0, &ss) >= 0);
    TC_CHECK(ss.n == 3);
    for (i = 0; i < ss.n; i++) {
        TC_CHECK(ss.v[i].feat[TC_EDIT_F_INCLUDES] == 1.0f);
        TC_CHECK(ss.v[i].conf == tc_edit_conf(ss.v[i].feat));
    }
    tc_edit_sites_free(&ss);
}
