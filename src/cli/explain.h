/* explain.h - `tacit explain` for the embedded model (no model server):
 * the cursor window, then the engine's trace (suggest/trace.h): retrieved
 * windows, ranked candidates with their features and scores, the winner's
 * post-processing steps, the result (shown, or why not) and the time of
 * each stage. docs/explain.md describes the output.
 */
#ifndef TC_EXPLAIN_H
#define TC_EXPLAIN_H

#include "suggest/session.h"

/* Make one suggestion at t through s (its engine open, no server used)
 * with a trace attached, and print it to standard output: text, or with
 * json one JSON object. Returns the exit status (0; 1 when the
 * suggestion fails, with a message on standard error). */
int tc_explain_embedded(tc_session *s, const tc_session_target *t, int json);

#endif
