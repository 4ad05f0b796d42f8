/* report.h - `tacit eval ... --report FILE.html`: one self-contained page.
 *
 * The page is plain HTML with inline CSS and SVG charts written here (no
 * script, no external asset, nothing fetched), in this order:
 *   #summary      the metrics table (all cases, then one row per kind);
 *   #curve        precision against coverage as the threshold moves from
 *                 0 to 1 in steps of 1/TC_REPORT_CURVE_STEPS (one circle
 *                 .pt per threshold at which anything is shown), the gate
 *                 the run used marked (circle .default); its numbers in
 *                 table #curve-table;
 *   #kinds, #langs  exact match by kind and by language (one rect .bar per
 *                 group; language from the case's path);
 *   #latency      a latency histogram (TC_REPORT_LATENCY_BINS rect .bin);
 *   #calibration  predicted against observed precision: the winners (shown
 *                 or not) in TC_REPORT_CALIB_BINS bins of confidence, one
 *                 circle .pt per non-empty bin, the diagonal for reference;
 *                 its numbers in table #calibration-table;
 *   #samples      wins and misses (div.case.win / div.case.miss): the lines
 *                 before the cursor, the suggestion highlighted (mark.sug),
 *                 the rest of the line, and for a miss what the file had.
 * Every text that comes from a case (code, paths, kinds, ids) is escaped;
 * code is hostile input.
 *
 * The curve and the calibration need the engine's winner whatever the
 * threshold: run the cases with threshold 0, then tc_report_gate applies
 * the real threshold (the figures are then those of a run at it) and
 * keeps the winners for opts.winners.
 */
#ifndef TC_REPORT_H
#define TC_REPORT_H

#include "eval/eval.h"
#include "util/buf.h"

#include <stddef.h>

#define TC_REPORT_CURVE_STEPS 50
#define TC_REPORT_LATENCY_BINS 20
#define TC_REPORT_CALIB_BINS 10
#define TC_REPORT_SAMPLES 8 /* wins, and as many misses, at most */

typedef struct tc_report_opts {
    double threshold;   /* the gate the run used (marked on the curve); <0: TC_SUGGEST_DEFAULT_THRESHOLD */
    long cores;         /* the machine's, for the latency figures */
    const char *source; /* the cases file; NULL: sampled from the workspace */
    const char *mode;   /* the engine's mode name; may be NULL */
    char *const *winners; /* per case, the winner's text whatever the threshold
                             (tc_report_gate); NULL: the suggestions stand for them */
} tc_report_opts;

/* Apply the gate to answers of a run at threshold 0: *winners gets a new
 * array of n strings, the texts as answered (ownership moves from
 * a[i].suggestion), and a[i].suggestion becomes "" when the confidence is
 * below threshold, a copy of the winner otherwise: exactly what a run at
 * threshold would have shown. Free with tc_report_winners_free. TC_OK or
 * TC_ENOMEM (answers and *winners then as they were). */
int tc_report_gate(tc_answer *a, size_t n, double threshold, char ***winners);
void tc_report_winners_free(char **winners, size_t n); /* NULL is fine */

/* Write the page for cs and its answers to out, appending. TC_OK,
 * TC_ENOMEM. */
int tc_report_html(tc_buf *out, const tc_caseset *cs, const tc_answer *a, const tc_report_opts *o);

/* tc_report_html into the file path, written whole to path.tmp then
 * renamed (a reader never sees half a page). TC_OK, TC_EIO (the file
 * cannot be written; nothing is left behind), TC_ENOMEM. */
int tc_report_save(const char *path, const tc_caseset *cs, const tc_answer *a, const tc_report_opts *o);

/* For `tacit eval --report path`, after each run (of a mode) at threshold
 * 0: tc_report_gate with o->threshold, then, when write is 1 (the last
 * mode), tc_report_save with the winners (o->winners is ignored). The
 * answers are gated either way, so the figures printed after are those of
 * o->threshold. TC_OK; on failure (TC_EIO: the file cannot be written;
 * TC_ENOMEM) a one-line message on stderr says what failed. */
int tc_report_run(const char *path, const tc_caseset *cs, tc_answer *ans, int write, const tc_report_opts *o);

#endif
