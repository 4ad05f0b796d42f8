/* prompt.h - edit prediction with a model server (prompt.c): where the
 * excerpt of tc_edit_prompt (edit.h) lies, and the model's rewritten
 * excerpt read back as an edit.
 *
 * The model (Zed's Zeta and models trained on its layout) answers with the
 * excerpt rewritten between <|editable_region_start|> and
 * <|editable_region_end|> (the cursor marker may stay in it); the edit is
 * the difference between the excerpt sent and the one returned (common
 * prefix and suffix removed; a change that splits a word takes all of it). */
#ifndef TC_EDIT_PROMPT_H
#define TC_EDIT_PROMPT_H

#include <stddef.h>

#define TC_EDIT_REGION_START "<|editable_region_start|>"
#define TC_EDIT_REGION_END "<|editable_region_end|>"
#define TC_EDIT_CURSOR "<|user_cursor_is_here|>"

/* The excerpt tc_edit_prompt puts in the editable region for cursor in
 * after[0..alen): bytes [*a, *b) (whole lines around the cursor). */
void tc_edit_prompt_region(const char *after, size_t alen, size_t cursor, size_t *a, size_t *b);

/* The edit a model's reply makes to the excerpt region[0..n) it was sent:
 * bytes [*a, *b) of region become *text (malloc'd, NUL-terminated; the
 * caller frees). TC_OK; TC_ENOENT when the reply is not a rewritten
 * excerpt (a marker missing, nothing changed, markup in the new text, or
 * more than half of an excerpt of 16 bytes or more removed: garbage, not
 * an edit);
 * TC_ENOMEM. */
int tc_edit_prompt_parse(const char *region, size_t n, const char *reply, size_t rn, size_t *a, size_t *b,
                         char **text);

#endif
