/* gyp_role.c - a callback's parameter renamed at a use followed by a
 * member (`t.strictEqual(a, b)` -> `assert.strictEqual(a, b)`) reads as
 * the object replaced by a module at that member's uses (role.c), not as
 * the variable renamed: in the sibling callbacks only the uses followed
 * by the same member are offered, and so it is in the example's own
 * callback. Its parameter list (`function (t)`: the test's object is
 * still passed, or dropped, never named after the module) and its uses
 * by another member (`t.plan(3)`, `t.end()`: another API's calls, which
 * the module may not have) are left alone. */
#include "edit/edit_int.h"

int edit_role_own(const tc_edit_rule *r, const ev *v, size_t i)
{
    if (r->kind != TC_EDIT_RENAME || !r->role_callee || !r->role_member) return 1;
    return edit_role_site(r, v, i);
}
