/* test_edit_prompt.c - edit prediction with a model server (edit/prompt.h):
 * the excerpt region matches the prompt, a rewritten excerpt becomes one
 * edit, anything else none. */
#include "edit/edit.h"
#include "edit/prompt.h"
#include "test.h"
#include "util/status.h"

#include <stdlib.h>
#include <string.h>

static int parse(const char *region, const char *reply, size_t *a, size_t *b, char **text)
{
    return tc_edit_prompt_parse(region, strlen(region), reply, strlen(reply), a, b, text);
}

TC_TEST(edit_prompt_region_is_the_excerpt)
{
    const char *t = "int a;\nint f(void) { return g(1, 0); }\nint h(void) { return g(2); }\n";
    size_t cur = (size_t)(strstr(t, "g(2") - t) + 3, a, b;
    char *p = NULL, want[256];
    tc_edit_prompt_region(t, strlen(t), cur, &a, &b);
    TC_CHECK_EQ_INT((int)a, 0);
    TC_CHECK_EQ_INT((int)b, (int)strlen(t));
    TC_CHECK_EQ_INT(tc_edit_prompt("x.c", t, strlen(t), t, strlen(t), cur, &p), TC_OK);
    /* the region's text is what the prompt holds between the markers */
    snprintf(want, sizeof want, "%s%.*s%s%s%s", TC_EDIT_REGION_START "\n", (int)(cur - a), t + a, TC_EDIT_CURSOR,
             t + cur, TC_EDIT_REGION_END);
    TC_CHECK(p && strstr(p, want));
    free(p);
}

TC_TEST(edit_prompt_parse_rewrite)
{
    const char *region = "int f(void)\n{\n    g(1);\n    h(x);\n}\n";
    size_t a = 0, b = 0;
    char *text = NULL;
    /* an argument added; the cursor marker and the fence around are dropped */
    TC_CHECK_EQ_INT(parse(region,
                          "```c\n" TC_EDIT_REGION_START "\nint f(void)\n{\n    g(1);" TC_EDIT_CURSOR
                          "\n    h(x, 0);\n}\n" TC_EDIT_REGION_END "\n```",
                          &a, &b, &text),
                    TC_OK);
    TC_CHECK(text && strcmp(text, ", 0") == 0);
    TC_CHECK_EQ_INT((int)a, (int)(strstr(region, "x)") - region) + 1);
    TC_CHECK_EQ_INT((int)b, (int)a);
    free(text);
    /* a name replaced: widened to the whole word */
    TC_CHECK_EQ_INT(parse(region, TC_EDIT_REGION_START "\nint f(void)\n{\n    g(1);\n    hh(x);\n}\n" TC_EDIT_REGION_END,
                          &a, &b, &text),
                    TC_OK);
    TC_CHECK(text && strcmp(text, "hh") == 0);
    TC_CHECK_EQ_INT((int)a, (int)(strstr(region, "h(x") - region));
    TC_CHECK_EQ_INT((int)b, (int)a + 1);
    free(text);
}

TC_TEST(edit_prompt_parse_refuses_garbage)
{
    const char *region = "int f(void)\n{\n    g(1);\n    h(x);\n}\n";
    size_t a, b;
    char *text = (char *)"x";
    /* no markers, one marker, the excerpt unchanged, markup inside, most of it gone */
    TC_CHECK_EQ_INT(parse(region, "the the the", &a, &b, &text), TC_ENOENT);
    TC_CHECK(text == NULL);
    TC_CHECK_EQ_INT(parse(region, "qq " TC_EDIT_REGION_END " zz", &a, &b, &text), TC_ENOENT);
    TC_CHECK_EQ_INT(parse(region, TC_EDIT_REGION_START "\nint f(void)\n{", &a, &b, &text), TC_ENOENT);
    TC_CHECK_EQ_INT(parse(region, TC_EDIT_REGION_START "\nint f(void)\n{\n    g(1);\n    h(x);\n}\n" TC_EDIT_REGION_END,
                          &a, &b, &text),
                    TC_ENOENT);
    TC_CHECK_EQ_INT(parse(region,
                          TC_EDIT_REGION_START "\nint f(void)\n{\n    g(1);<|im_end|>\n    h(x);\n}\n" TC_EDIT_REGION_END,
                          &a, &b, &text),
                    TC_ENOENT);
    TC_CHECK_EQ_INT(parse(region, TC_EDIT_REGION_START "\nint\n" TC_EDIT_REGION_END, &a, &b, &text), TC_ENOENT);
    TC_CHECK(text == NULL);
}
