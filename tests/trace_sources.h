/* trace_sources.h - for the suggestion tests: which candidate sources
 * proposed a given text, read from an engine's trace. */
#ifndef TC_TESTS_TRACE_SOURCES_H
#define TC_TESTS_TRACE_SOURCES_H

#include "suggest/trace.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

/* The sources of the candidate whose text is text in trace t, into out
 * ("" when no candidate has that text). */
static inline void trace_sources_of(tc_trace *t, const char *text, char *out, size_t cap)
{
    cJSON *j = tc_trace_json(t), *c;
    out[0] = 0;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(j, "candidates"))
    {
        const char *ct = cJSON_GetStringValue(cJSON_GetObjectItem(c, "text"));
        const char *cs = cJSON_GetStringValue(cJSON_GetObjectItem(c, "sources"));
        if (ct && cs && strcmp(ct, text) == 0) snprintf(out, cap, "%s", cs);
    }
    cJSON_Delete(j);
}

#endif
