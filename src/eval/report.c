/* report.c - the HTML report of an evaluation; see report.h. */
#include "eval/report.h"
#include "lang/lang.h"
#include "util/status.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Chart geometry (SVG user units = CSS pixels). */
#define CH_W 560           /* width of every chart */
#define CH_H 320           /* height of the square-ish charts */
#define CH_L 56            /* left margin (the y axis' labels) */
#define CH_R 16
#define CH_T 16
#define CH_B 44            /* bottom margin (the x axis' labels and title) */
#define BAR_W 760          /* width of the by-kind / by-language charts */
#define BAR_ROW 26         /* one bar of them */
#define BAR_LABEL 150      /* room for a bar's name */
#define SAMPLE_LINES 4     /* lines of context shown above a sample's cursor */
#define SAMPLE_LINE_MAX 200 /* bytes of one context line shown */
#define SAMPLE_TEXT_MAX 600 /* bytes of a suggestion or an expected text shown */

int tc_report_gate(tc_answer *a, size_t n, double threshold, char ***winners)
{
    char **w = calloc(n ? n : 1, sizeof *w), **s = calloc(n ? n : 1, sizeof *s);
    size_t i;
    int rc = TC_OK;
    *winners = NULL;
    for (i = 0; i < n && w && s; i++) {
        const char *t = a[i].suggestion ? a[i].suggestion : "";
        if (!(s[i] = strdup(a[i].confidence < threshold ? "" : t))) break;
        if (!a[i].suggestion && !(w[i] = strdup(""))) break;
    }
    if (!w || !s || i < n) {
        rc = TC_ENOMEM;
        for (i = 0; s && i < n; i++) free(s[i]);
        for (i = 0; w && i < n; i++) free(w[i]);
        free(w);
        free(s);
        return rc;
    }
    for (i = 0; i < n; i++) {
        if (!w[i]) w[i] = a[i].suggestion;
        a[i].suggestion = s[i];
    }
    free(s);
    *winners = w;
    return TC_OK;
}

void tc_report_winners_free(char **winners, size_t n)
{
    size_t i;
    if (!winners) return;
    for (i = 0; i < n; i++) free(winners[i]);
    free(winners);
}

/* The page being written: appends that fail (out of memory) are counted,
 * and the page then reported as TC_ENOMEM. */
typedef struct html {
    tc_buf *out;
    int oom;
} html;

static void put(html *b, const char *s) { b->oom |= tc_buf_puts(b->out, s) != TC_OK; }
static void putn(html *b, const char *s, size_t n) { b->oom |= tc_buf_append(b->out, s, n) != TC_OK; }
static void putf(html *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(html *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp) b->oom = 1; /* never: every format here is short */
    else putn(b, tmp, (size_t)n);
}

/* ---- text ------------------------------------------------------------------------- */

/* s[0..n) as HTML text (also safe inside a quoted attribute): the five
 * special characters as entities, control characters other than tab and
 * line break as U+FFFD (HTML forbids them as references). */
static void esc_n(html *b, const char *s, size_t n)
{
    size_t i, from = 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default:
            if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) rep = "\xef\xbf\xbd";
        }
        if (!rep) continue;
        putn(b, s + from, i - from);
        put(b, rep);
        from = i + 1;
    }
    putn(b, s + from, n - from);
}

static void esc(html *b, const char *s) { esc_n(b, s ? s : "", s ? strlen(s) : 0); }

/* n shortened to at most max bytes, never inside a UTF-8 sequence. */
static size_t cut_utf8(const char *s, size_t n, size_t max)
{
    if (n <= max) return n;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80) max--;
    return max;
}

static double pct(size_t k, size_t n) { return n ? 100.0 * (double)k / (double)n : 0; }

/* ---- per-case facts ---------------------------------------------------------------- */

typedef struct fact {
    const char *winner; /* the text the engine would show at threshold 0 */
    int hit;            /* winner is non-empty and exactly right */
    int shown, right;   /* at the run's gate */
    const char *lang;
} fact;

static int facts_make(const tc_caseset *cs, const tc_answer *a, char *const *winners, fact **out)
{
    fact *f = calloc(cs->n ? cs->n : 1, sizeof *f);
    size_t i;
    if (!f) return TC_ENOMEM;
    for (i = 0; i < cs->n; i++) {
        const tc_case *c = &cs->v[i];
        const char *s = a[i].suggestion ? a[i].suggestion : "";
        size_t np = strlen(c->prefix);
        f[i].winner = winners && winners[i] ? winners[i] : s;
        f[i].hit = *f[i].winner && tc_exact_match(f[i].winner, c->expected);
        f[i].shown = *s != 0;
        f[i].right = f[i].shown && (!strcmp(s, f[i].winner) ? f[i].hit : tc_exact_match(s, c->expected));
        f[i].lang = tc_lang_name(tc_lang_detect(c->path, c->prefix, np < 256 ? np : 256));
    }
    *out = f;
    return TC_OK;
}

/* ---- charts ------------------------------------------------------------------------ */

static double px_x(double v) { return CH_L + v * (CH_W - CH_L - CH_R); }
static double px_y(double v) { return CH_H - CH_B - v * (CH_H - CH_B - CH_T); }

static void svg_begin(html *b, const char *id, int w, int h, const char *label)
{
    putf(b, "<svg id=\"%s\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                     "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"",
                  id, w, h, w, h);
    esc(b, label);
    put(b, "\">\n");
}

/* Axes of a chart whose x and y both run over 0..1 (shown as percentages
 * unless xmax is given: then x runs 0..xmax with unit xunit). */
static void axes(html *b, const char *xtitle, const char *ytitle, double xmax, const char *xunit)
{
    int k;
    putf(b, "<g class=\"axis\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", CH_L, CH_H - CH_B,
                  CH_W - CH_R, CH_H - CH_B);
    putf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", CH_L, CH_T, CH_L, CH_H - CH_B);
    for (k = 0; k <= 4; k++) {
        double v = k / 4.0;
        putf(b, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>", CH_L, px_y(v),
                      CH_W - CH_R, px_y(v));
        if (ytitle) putf(b, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d%%</text>", CH_L - 6, px_y(v) + 4, k * 25);
        if (xmax > 0)
            putf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.3g%s</text>\n", px_x(v), CH_H - CH_B + 16,
                          v * xmax, xunit);
        else
            putf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d%%</text>\n", px_x(v), CH_H - CH_B + 16,
                          k * 25);
    }
    putf(b, "<text class=\"title\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", px_x(0.5), CH_H - 6,
                  xtitle);
    if (ytitle)
        putf(b, "<text class=\"title\" transform=\"translate(14 %.1f) rotate(-90)\" text-anchor=\"middle\">%s</text>",
                      px_y(0.5), ytitle);
    put(b, "</g>\n");
}

typedef struct curve_pt {
    double t, coverage, precision;
    size_t shown, exact;
} curve_pt;

static curve_pt curve_at(const tc_caseset *cs, const tc_answer *a, const fact *f, double t)
{
    curve_pt p;
    size_t i;
    memset(&p, 0, sizeof p);
    p.t = t;
    for (i = 0; i < cs->n; i++) {
        if (!*f[i].winner || a[i].confidence < t) continue;
        p.shown++;
        p.exact += (size_t)f[i].hit;
    }
    p.coverage = cs->n ? (double)p.shown / (double)cs->n : 0;
    p.precision = p.shown ? (double)p.exact / (double)p.shown : 0;
    return p;
}

static void chart_curve(html *b, const tc_caseset *cs, const tc_answer *a, const fact *f, double gate)
{
    curve_pt pts[TC_REPORT_CURVE_STEPS + 1], d;
    size_t k, npts = 0;
    for (k = 0; k <= TC_REPORT_CURVE_STEPS; k++) {
        curve_pt p = curve_at(cs, a, f, (double)k / TC_REPORT_CURVE_STEPS);
        if (p.shown) pts[npts++] = p;
    }
    d = curve_at(cs, a, f, gate);
    put(b, "<section id=\"curve\"><h2>Precision and coverage by threshold</h2>\n"
                   "<p>Each point is one threshold from 0 to 1 (the higher, the fewer suggestions shown and the "
                   "more of them right); the ringed point is the threshold of this run.</p>\n");
    svg_begin(b, "curve-chart", CH_W, CH_H, "precision against coverage as the threshold moves");
    axes(b, "coverage (share of cursors with a suggestion)", "precision", 0, "");
    if (npts) {
        put(b, "<polyline class=\"line\" points=\"");
        for (k = 0; k < npts; k++) putf(b, "%s%.1f,%.1f", k ? " " : "", px_x(pts[k].coverage), px_y(pts[k].precision));
        put(b, "\"/>\n<g class=\"points\">");
        for (k = 0; k < npts; k++)
            putf(b, "<circle class=\"pt\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"><title>threshold %.2f: coverage %.1f%%, "
                             "precision %.1f%%</title></circle>",
                          px_x(pts[k].coverage), px_y(pts[k].precision), pts[k].t, 100 * pts[k].coverage,
                          100 * pts[k].precision);
        put(b, "</g>\n");
    }
    if (d.shown) {
        int left = d.coverage > 0.7; /* the label on the side with room */
        putf(b, "<circle class=\"default\" cx=\"%.1f\" cy=\"%.1f\" r=\"7\"/><text class=\"note\" x=\"%.1f\" "
                "y=\"%.1f\" text-anchor=\"%s\">threshold %.2f</text>\n",
             px_x(d.coverage), px_y(d.precision), px_x(d.coverage) + (left ? -10 : 10),
             px_y(d.precision) + (d.precision > 0.85 ? 22 : -10), left ? "end" : "start", gate);
    }
    put(b, "</svg>\n<details><summary>The numbers</summary><table id=\"curve-table\"><thead><tr><th>threshold</th>"
                   "<th>shown</th><th>coverage</th><th>precision</th><th>exact match</th></tr></thead><tbody>\n");
    for (k = 0; k < npts; k++)
        putf(b, "<tr%s><td>%.2f</td><td>%zu</td><td>%.1f%%</td><td>%.1f%%</td><td>%.1f%%</td></tr>\n",
                      fabs(pts[k].t - gate) < 1e-9 ? " class=\"default\"" : "", pts[k].t, pts[k].shown,
                      100 * pts[k].coverage, 100 * pts[k].precision, pct(pts[k].exact, cs->n));
    putf(b, "<tr class=\"default\"><td>%.2f (this run)</td><td>%zu</td><td>%.1f%%</td><td>%.1f%%</td>"
                     "<td>%.1f%%</td></tr>\n</tbody></table></details></section>\n",
                  gate, d.shown, 100 * d.coverage, 100 * d.precision, pct(d.exact, cs->n));
}

typedef struct group {
    char name[32];
    size_t n, shown, exact;
} group;

/* Horizontal bars of exact match, one per group. */
static void chart_bars(html *b, const char *sid, const char *title, const char *what, const group *g, size_t ng)
{
    size_t k;
    int h = CH_T + (int)ng * BAR_ROW + CH_B - 14, w = BAR_W - BAR_LABEL - CH_R - 200;
    char id[48];
    snprintf(id, sizeof id, "%s-chart", sid);
    putf(b, "<section id=\"%s\"><h2>%s</h2>\n", sid, title);
    svg_begin(b, id, BAR_W, h, title);
    put(b, "<g class=\"axis\">");
    for (k = 0; k <= 4; k++)
        putf(b, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/><text x=\"%.1f\" y=\"%d\" "
                         "text-anchor=\"middle\">%zu%%</text>",
                      BAR_LABEL + w * k / 4.0, CH_T - 4, BAR_LABEL + w * k / 4.0, h - CH_B + 14,
                      BAR_LABEL + w * k / 4.0, h - CH_B + 30, k * 25);
    putf(b, "</g>\n<g class=\"bars\" data-what=\"%s\">", what);
    for (k = 0; k < ng; k++) {
        double em = g[k].n ? (double)g[k].exact / (double)g[k].n : 0;
        int y = CH_T + (int)k * BAR_ROW;
        putf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", BAR_LABEL - 8, y + 16);
        esc(b, g[k].name);
        putf(b, "</text><rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\"><title>", BAR_LABEL,
                      y + 3, w * em, BAR_ROW - 8);
        esc(b, g[k].name);
        putf(b, ": exact match %.1f%% of %zu</title></rect><text class=\"value\" x=\"%.1f\" y=\"%d\">%.1f%% of "
                         "%zu (precision %.0f%%)</text>\n",
                      100 * em, g[k].n, BAR_LABEL + w * em + 6, y + 16, 100 * em, g[k].n, pct(g[k].exact, g[k].shown));
    }
    put(b, "</g></svg></section>\n");
}

/* The smallest round number (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a
 * power of ten) that is >= x (x > 0): the latency axis' end. */
static double nice_ceil(double x)
{
    static const double m[] = {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10};
    double p = pow(10, floor(log10(x)));
    size_t k;
    for (k = 0; k < sizeof m / sizeof *m; k++)
        if (m[k] * p >= x * (1 - 1e-12)) return m[k] * p;
    return 10 * p;
}

static void chart_latency(html *b, const tc_caseset *cs, const tc_answer *a, const tc_metrics *m, long cores)
{
    size_t cnt[TC_REPORT_LATENCY_BINS] = {0}, k, top = 1;
    double hi = nice_ceil(m->max > 0 ? m->max : 1), bw = (CH_W - CH_L - CH_R) / (double)TC_REPORT_LATENCY_BINS;
    for (k = 0; k < cs->n; k++) {
        long bin = (long)(a[k].latency_ms / hi * TC_REPORT_LATENCY_BINS);
        if (bin < 0) bin = 0;
        if (bin >= TC_REPORT_LATENCY_BINS) bin = TC_REPORT_LATENCY_BINS - 1;
        cnt[bin]++;
    }
    for (k = 0; k < TC_REPORT_LATENCY_BINS; k++)
        if (cnt[k] > top) top = cnt[k];
    putf(b, "<section id=\"latency\"><h2>Latency</h2>\n<p>Wall time from request to suggestion, per cursor, on "
                     "%ld cores: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms.</p>\n",
                  cores, m->p50, m->p95, m->p99, m->max);
    svg_begin(b, "latency-chart", CH_W, CH_H, "latency histogram");
    axes(b, "latency", NULL, hi, " ms");
    putf(b, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%zu</text><text x=\"%d\" y=\"%.1f\" "
                     "text-anchor=\"end\">0</text>\n<g class=\"bins\">",
                  CH_L - 6, px_y(1) + 4, top, CH_L - 6, px_y(0) + 4);
    for (k = 0; k < TC_REPORT_LATENCY_BINS; k++) {
        double hgt = (double)cnt[k] / (double)top * (CH_H - CH_B - CH_T);
        putf(b, "<rect class=\"bin\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%.3g-%.3g ms: "
                         "%zu</title></rect>",
                      CH_L + k * bw + 1, px_y(0) - hgt, bw - 2, hgt, hi * (double)k / TC_REPORT_LATENCY_BINS,
                      hi * (double)(k + 1) / TC_REPORT_LATENCY_BINS, cnt[k]);
    }
    put(b, "</g>\n");
    putf(b, "<line class=\"marker\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/><text class=\"note\" x=\"%.1f\" "
                     "y=\"%d\">p95</text>\n",
                  px_x(m->p95 / hi), CH_T, px_x(m->p95 / hi), CH_H - CH_B, px_x(m->p95 / hi) + 4, CH_T + 10);
    put(b, "</svg></section>\n");
}

static void chart_calibration(html *b, const tc_caseset *cs, const tc_answer *a, const fact *f)
{
    size_t n[TC_REPORT_CALIB_BINS] = {0}, hit[TC_REPORT_CALIB_BINS] = {0}, k, total = 0;
    double sum[TC_REPORT_CALIB_BINS] = {0};
    for (k = 0; k < cs->n; k++) {
        long bin;
        double c = a[k].confidence < 0 ? 0 : a[k].confidence > 1 ? 1 : a[k].confidence;
        if (!*f[k].winner) continue;
        bin = (long)(c * TC_REPORT_CALIB_BINS);
        if (bin >= TC_REPORT_CALIB_BINS) bin = TC_REPORT_CALIB_BINS - 1;
        n[bin]++;
        hit[bin] += (size_t)f[k].hit;
        sum[bin] += c;
        total++;
    }
    putf(b, "<section id=\"calibration\"><h2>Predicted and observed precision</h2>\n<p>The %zu cursors where the "
                     "engine had a suggestion (shown or not), by its confidence: a point on the diagonal means the "
                     "confidence is the precision. The larger the point, the more cursors.</p>\n",
                  total);
    svg_begin(b, "calibration-chart", CH_W, CH_H, "reliability diagram: observed precision against confidence");
    axes(b, "predicted (confidence)", "observed precision", 0, "");
    putf(b, "<line class=\"diagonal\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n<g class=\"points\">",
                  px_x(0), px_y(0), px_x(1), px_y(1));
    for (k = 0; k < TC_REPORT_CALIB_BINS; k++) {
        double x, y;
        if (!n[k]) continue;
        x = sum[k] / (double)n[k];
        y = (double)hit[k] / (double)n[k];
        putf(b, "<circle class=\"pt\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"><title>confidence %.2f: %zu of %zu "
                         "right (%.1f%%)</title></circle>",
                      px_x(x), px_y(y), 3 + 9 * sqrt((double)n[k] / (double)total), x, hit[k], n[k], 100 * y);
    }
    put(b, "</g></svg>\n<details><summary>The numbers</summary><table id=\"calibration-table\"><thead><tr>"
                   "<th>confidence</th><th>cursors</th><th>mean confidence</th><th>right</th></tr></thead><tbody>\n");
    for (k = 0; k < TC_REPORT_CALIB_BINS; k++)
        if (n[k])
            putf(b, "<tr><td>%.1f-%.1f</td><td>%zu</td><td>%.2f</td><td>%.1f%%</td></tr>\n",
                          (double)k / TC_REPORT_CALIB_BINS, (double)(k + 1) / TC_REPORT_CALIB_BINS, n[k],
                          sum[k] / (double)n[k], pct(hit[k], n[k]));
    put(b, "</tbody></table></details></section>\n");
}

/* ---- tables and samples ------------------------------------------------------------ */

static void summary_table(html *b, const tc_metrics *m, size_t nm)
{
    size_t k;
    put(b, "<section id=\"summary\"><h2>Summary</h2>\n<table class=\"summary\"><thead><tr><th>kind</th>"
                   "<th>cases</th><th>exact match</th><th>edit similarity</th><th>coverage</th><th>precision</th>"
                   "<th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th></tr></thead><tbody>\n");
    for (k = 0; k < nm; k++) {
        put(b, k ? "<tr><td>" : "<tr class=\"all\"><td>");
        esc(b, m[k].kind);
        putf(b, "</td><td>%zu</td><td>%.1f%%</td><td>%.1f%%</td><td>%.1f%%</td><td>%.1f%%</td><td>%.2f</td>"
                         "<td>%.2f</td><td>%.2f</td><td>%.2f</td></tr>\n",
                      m[k].n, 100 * m[k].em, 100 * m[k].es, 100 * m[k].coverage, 100 * m[k].precision, m[k].p50,
                      m[k].p95, m[k].p99, m[k].max);
    }
    put(b, "</tbody></table></section>\n");
}

static void sample(html *b, const tc_case *c, const tc_answer *a, const fact *f, int win)
{
    const char *end = c->prefix + strlen(c->prefix), *ls = end, *q, *eol;
    const char *sug = a->suggestion ? a->suggestion : "";
    int lines = 0, lineno = 1;
    for (q = c->prefix; q < end; q++) lineno += *q == '\n';
    while (ls > c->prefix && lines < SAMPLE_LINES) {
        ls--;
        if (*ls == '\n') lines++;
    }
    if (*ls == '\n') ls++;
    putf(b, "<div class=\"case %s\"><p class=\"where\"><b>%s</b> ", win ? "win" : "miss", win ? "win" : "miss");
    esc(b, c->path);
    putf(b, ":%d &middot; ", lineno);
    esc(b, c->kind ? c->kind : "case");
    put(b, " &middot; ");
    esc(b, f->lang);
    putf(b, " &middot; confidence %.2f &middot; %.1f ms &middot; id ", a->confidence, a->latency_ms);
    esc(b, c->id);
    put(b, "</p><pre><code>");
    /* the context, one line at a time, each cut to SAMPLE_LINE_MAX */
    for (q = ls; q < end;) {
        const char *nl = memchr(q, '\n', (size_t)(end - q));
        size_t n = nl ? (size_t)(nl - q) : (size_t)(end - q);
        esc_n(b, q, cut_utf8(q, n, SAMPLE_LINE_MAX));
        if (!nl) break;
        put(b, "\n");
        q = nl + 1;
    }
    put(b, "<mark class=\"sug\">");
    esc_n(b, sug, cut_utf8(sug, strlen(sug), SAMPLE_TEXT_MAX));
    put(b, "</mark><span class=\"after\">");
    eol = strchr(c->suffix, '\n');
    esc_n(b, c->suffix, cut_utf8(c->suffix, eol ? (size_t)(eol - c->suffix) : strlen(c->suffix), SAMPLE_LINE_MAX));
    put(b, "</span></code></pre>");
    if (!win) {
        put(b, "<p class=\"label\">the file has:</p><pre class=\"expected\"><code>");
        esc_n(b, c->expected, cut_utf8(c->expected, strlen(c->expected), SAMPLE_TEXT_MAX));
        put(b, "</code></pre>");
    }
    put(b, "</div>\n");
}

/* Up to TC_REPORT_SAMPLES cases where shown and right == win, spread
 * evenly over the cases' order. */
static void samples(html *b, const tc_caseset *cs, const tc_answer *a, const fact *f, int win)
{
    size_t i, total = 0, seen = 0, next = 0, shown = 0;
    for (i = 0; i < cs->n; i++) total += f[i].shown && f[i].right == win;
    putf(b, "<h3>%s (%zu of %zu shown)</h3>\n", win ? "Wins: shown and exactly right" : "Misses: shown and wrong",
                  total < TC_REPORT_SAMPLES ? total : (size_t)TC_REPORT_SAMPLES, total);
    for (i = 0; i < cs->n && shown < TC_REPORT_SAMPLES; i++) {
        if (!(f[i].shown && f[i].right == win)) continue;
        if (seen++ != next) continue;
        sample(b, &cs->v[i], &a[i], &f[i], win);
        shown++;
        next = total > TC_REPORT_SAMPLES ? shown * total / TC_REPORT_SAMPLES : shown;
    }
}

static const char CSS[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d2125;max-width:980px;margin:24px auto;"
    "padding:0 16px;background:#fff}\n"
    "h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:30px 0 8px;border-bottom:1px solid #dde1e5}"
    "h3{font-size:16px}.meta{color:#57606a;margin:0}\n"
    "table{border-collapse:collapse;font-variant-numeric:tabular-nums}td,th{padding:4px 10px;border-bottom:1px solid "
    "#e6e9ec;text-align:right}td:first-child,th:first-child{text-align:left}tr.all td{font-weight:600}"
    "tr.default td{background:#fff5d6}\n"
    "svg.chart{display:block;margin:8px 0;font-size:11px;fill:#444}.axis line{stroke:#8c959f}"
    ".axis line.grid{stroke:#eaeef2}"
    ".axis .title{font-size:12px;fill:#24292f}\n"
    ".line{fill:none;stroke:#0969da;stroke-width:2}.pt{fill:#0969da;fill-opacity:.75}circle.default{fill:none;"
    "stroke:#cf222e;stroke-width:2.5}.note{fill:#cf222e;font-size:12px}\n"
    ".bar{fill:#2da44e}.bin{fill:#8250df}.marker{stroke:#cf222e;stroke-dasharray:4 3}.diagonal{stroke:#8c959f;"
    "stroke-dasharray:5 4}.value{fill:#24292f}\n"
    ".case{margin:10px 0;border:1px solid #d0d7de;border-radius:6px;overflow:hidden}.case .where{margin:0;padding:6px "
    "10px;background:#f6f8fa;font-size:13px}.case.win .where b{color:#1a7f37}.case.miss .where b{color:#cf222e}\n"
    "pre{margin:0;padding:8px 10px;overflow-x:auto;font:13px/1.4 ui-monospace,'DejaVu Sans Mono',monospace;"
    "white-space:pre}mark.sug{background:#ddf4ff;outline:1px solid #54aeff;color:inherit}.case.miss mark.sug"
    "{background:#ffebe9;outline-color:#ff8182}.after{color:#8c959f}pre.expected{background:#f6fff8}.label{margin:0;"
    "padding:2px 10px;font-size:12px;color:#57606a}details{margin:4px 0 0}summary{cursor:pointer;color:#57606a}\n";

int tc_report_html(tc_buf *out, const tc_caseset *cs, const tc_answer *a, const tc_report_opts *o)
{
    html page = {out, 0}, *b = &page;
    tc_metrics m[16];
    group kinds[16], langs[TC_LANG_COUNT];
    size_t nm, nk = 0, nl = 0, i, k;
    fact *f = NULL;
    double gate = o->threshold < 0 ? TC_SUGGEST_DEFAULT_THRESHOLD : o->threshold;
    int rc = facts_make(cs, a, o->winners, &f);
    if (rc) return rc;
    nm = tc_eval_metrics(cs, a, m, 16);
    for (k = 1; k < nm; k++) {
        snprintf(kinds[nk].name, sizeof kinds[nk].name, "%s", m[k].kind);
        kinds[nk].n = m[k].n;
        kinds[nk].shown = m[k].shown;
        kinds[nk].exact = m[k].exact;
        nk++;
    }
    for (i = 0; i < cs->n; i++) {
        for (k = 0; k < nl && strcmp(langs[k].name, f[i].lang); k++)
            ;
        if (k == nl) {
            if (nl == TC_LANG_COUNT) continue;
            memset(&langs[nl], 0, sizeof langs[nl]);
            snprintf(langs[nl].name, sizeof langs[nl].name, "%s", f[i].lang);
            nl++;
        }
        langs[k].n++;
        langs[k].shown += (size_t)f[i].shown;
        langs[k].exact += (size_t)f[i].right;
    }
    put(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<title>tacit eval report</title>\n<style>\n");
    put(b, CSS);
    put(b, "</style></head><body>\n<h1>tacit eval</h1>\n<p class=\"meta\">");
    putf(b, "%zu cases", cs->n);
    put(b, o->source ? " from " : " sampled from the workspace");
    if (o->source) esc(b, o->source);
    if (o->mode) {
        put(b, " &middot; mode ");
        esc(b, o->mode);
    }
    putf(b, " &middot; threshold %.2f &middot; %ld cores &middot; exact match after trailing white space is "
                     "removed from every line (shared/eval/FORMAT.md)</p>\n",
                  gate, o->cores);
    summary_table(b, m, nm);
    chart_curve(b, cs, a, f, gate);
    if (nk) chart_bars(b, "kinds", "Exact match by kind", "kind", kinds, nk);
    chart_bars(b, "langs", "Exact match by language", "language", langs, nl);
    chart_latency(b, cs, a, &m[0], o->cores);
    chart_calibration(b, cs, a, f);
    put(b, "<section id=\"samples\"><h2>Wins and misses</h2>\n<p>The lines before the cursor, the suggestion "
                   "highlighted, then the rest of the line in grey.</p>\n");
    samples(b, cs, a, f, 1);
    samples(b, cs, a, f, 0);
    put(b, "</section>\n</body></html>\n");
    free(f);
    return page.oom ? TC_ENOMEM : TC_OK;
}

int tc_report_save(const char *path, const tc_caseset *cs, const tc_answer *a, const tc_report_opts *o)
{
    tc_buf b = {0}, tmp = {0};
    FILE *fp = NULL;
    int rc = tc_report_html(&b, cs, a, o);
    if (rc) goto out;
    if (tc_buf_printf(&tmp, "%s.tmp", path)) {
        rc = TC_ENOMEM;
        goto out;
    }
    fp = fopen(tmp.data, "wb");
    if (!fp || fwrite(b.data, 1, b.len, fp) != b.len || fflush(fp) != 0) rc = TC_EIO;
    if (fp && fclose(fp) != 0) rc = TC_EIO;
    if (!rc && rename(tmp.data, path) != 0) rc = TC_EIO;
    if (rc && fp) remove(tmp.data);
out:
    tc_buf_free(&b);
    tc_buf_free(&tmp);
    return rc;
}

int tc_report_run(const char *path, const tc_caseset *cs, tc_answer *ans, int write, const tc_report_opts *o)
{
    tc_report_opts ro = *o;
    char **win = NULL;
    int rc;
    if (ro.threshold < 0) ro.threshold = TC_SUGGEST_DEFAULT_THRESHOLD;
    if ((rc = tc_report_gate(ans, cs->n, ro.threshold, &win))) {
        fprintf(stderr, "tacit: cannot make the report %s: %s\n", path, tc_strerror(rc));
        return rc;
    }
    ro.winners = win;
    if (write && (rc = tc_report_save(path, cs, ans, &ro)))
        fprintf(stderr, "tacit: cannot write the report %s: %s\n", path,
                rc == TC_EIO && errno ? strerror(errno) : tc_strerror(rc));
    tc_report_winners_free(win, cs->n);
    return rc;
}
