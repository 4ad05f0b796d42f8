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
