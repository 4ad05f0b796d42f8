/* test_edit_top.c - the `top` kind (src/edit/top.c): lines that name
 * nothing inserted before a file's first token, offered at the top of the
 * other files of that extension. */
#include "edit_apply.h"
#include "test.h"

#define CHECK_TOP(lang, path, before, after, opath, other, want_kind, want_n, want) \
    EDIT_CHECK_APPLY((lang), (path), (before), (after), (opath), (other), 0, (want_kind), (want_n), (want))

TC_TEST(edit_top_use_strict)
{
    const char *b = "#!/usr/bin/env node\n// a tool\n\nconst x = require('x')\n";
    const char *a = "#!/usr/bin/env node\n// a tool\n\n'use strict'\n\nconst x = require('x')\n";
    /* above another file's leading comment */
    CHECK_TOP(TC_LANG_JS, "bin/t.js", b, a, "lib/y.js", "// y\nconst y = 1\nmodule.exports = y\n", TC_EDIT_TOP, 1,
              "'use strict'\n\n// y\nconst y = 1\nmodule.exports = y\n");
    /* below a "#!" line and its comments */
    CHECK_TOP(TC_LANG_JS, "bin/t.js", b, a, "bin/z.js", "#!/usr/bin/env node\n// z\nmain()\n", TC_EDIT_TOP, 1,
              "#!/usr/bin/env node\n// z\n'use strict'\n\nmain()\n");
}

TC_TEST(edit_top_negative)
{
    const char *b = "const x = 1\n", *a = "'use strict'\nconst x = 1\n";
    /* already there (after a comment), another extension, an empty file */
    CHECK_TOP(TC_LANG_JS, "a.js", b, a, "b.js", "/* b */\n'use strict'\nf()\n", TC_EDIT_TOP, 0,
              "/* b */\n'use strict'\nf()\n");
    CHECK_TOP(TC_LANG_JS, "a.js", b, a, "b.mjs", "f()\n", TC_EDIT_TOP, 0, "f()\n");
    CHECK_TOP(TC_LANG_JS, "a.js", b, a, "b.js", "// nothing\n", TC_EDIT_TOP, 0, "// nothing\n");
    /* a line that names something is that file's need: no top rule */
    {
        int k;
        size_t n;
        char *got = edit_apply_rule(TC_LANG_JS, "a.js", b, "const fs = require('fs')\nconst x = 1\n", "b.js",
                                    "f()\n", 0, &k, &n);
        TC_CHECK(k != TC_EDIT_TOP);
        TC_CHECK_EQ_INT(n, 0);
        free(got);
    }
    /* lines inserted below the first token are not at the top */
    {
        int k;
        size_t n;
        char *got = edit_apply_rule(TC_LANG_JS, "a.js", "f()\ng()\n", "f()\n'use strict'\ng()\n", "b.js", "h()\n",
                                    0, &k, &n);
        TC_CHECK(k != TC_EDIT_TOP);
        free(got);
    }
}

TC_TEST(edit_top_two_examples)
{
    /* the same import at the top of two files: every other .py file */
    const char *b1 = "x = 1\n", *a1 = "import os\nx = 1\n";
    const char *b2 = "# two\ny = 2\n", *a2 = "# two\nimport os\ny = 2\n";
    tc_edit_src s1 = {"a.py", b1, strlen(b1), TC_LANG_PYTHON}, s2 = {"b.py", b2, strlen(b2), TC_LANG_PYTHON};
    const char *ot = "def f():\n    pass\n", *ht = "import os\nz = 3\n";
    tc_edit_src o = {"c.py", ot, strlen(ot), TC_LANG_PYTHON};
    tc_edit_src had = {"d.py", ht, strlen(ht), TC_LANG_PYTHON};
    tc_edit_rule *r = NULL;
    tc_edit_sites s = {0};
    TC_CHECK_EQ_INT(tc_edit_synth2(&s1, a1, strlen(a1), &s2, a2, strlen(a2), &r), TC_OK);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_TOP);
    if (r) {
        TC_CHECK_EQ_INT(tc_edit_rule_sites(r, &o, 0, &s), TC_OK);
        TC_CHECK_EQ_INT(tc_edit_rule_sites(r, &had, 0, &s), TC_OK);
        TC_CHECK_EQ_INT(s.n, 1);
        if (s.n == 1) TC_CHECK_STR(s.v[0].text, "import os\n");
    }
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
    /* one example naming something: no top rule */
    TC_CHECK_EQ_INT(tc_edit_synth(&s1, a1, strlen(a1), &r) == TC_OK && tc_edit_rule_kind(r) == TC_EDIT_TOP, 0);
    tc_edit_rule_free(r);
    /* different lines in the two files: no top rule */
    r = NULL;
    if (tc_edit_synth2(&s1, a1, strlen(a1), &s2, "# two\nimport sys\ny = 2\n", 21, &r) == TC_OK)
        TC_CHECK(tc_edit_rule_kind(r) != TC_EDIT_TOP);
    tc_edit_rule_free(r);
}
