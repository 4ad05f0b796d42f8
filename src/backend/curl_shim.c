/* curl_shim.c - libcurl, loaded when first used.
 *
 * Only the model-server code needs libcurl, but linking it makes every
 * tacit process load libcurl and its ~35 dependencies (TLS, Kerberos,
 * LDAP, ...) at start: about 30 ms on the development VM, paid by
 * `tacit index` and `tacit complete` too. These definitions stand in for
 * the libcurl functions tacit calls and forward to the real ones, found
 * with dlopen("libcurl.so.4") on the first call. Without libcurl at run
 * time the calls fail (curl_easy_init returns NULL, the others an error
 * code) and the backends report that they cannot be set up.
 */
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>

static void *curl_lib;
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_load(void) { curl_lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL); }

static void *curl_sym(const char *name)
{
    pthread_once(&curl_once, curl_load);
    return curl_lib ? dlsym(curl_lib, name) : NULL;
}

/* FWD(ret, name, (params), (args), value when libcurl is missing) */
#define FWD(ret, name, params, args, missing)                          \
    ret name params                                                    \
    {                                                                  \
        ret(*f) params = (ret(*) params)curl_sym(#name);               \
        return f ? f args : missing;                                   \
    }
#define FWD_VOID(name, params, args)                                   \
    void name params                                                   \
    {                                                                  \
        void(*f) params = (void(*) params)curl_sym(#name);             \
        if (f) f args;                                                 \
    }

FWD(CURLcode, curl_global_init, (long flags), (flags), CURLE_FAILED_INIT)
FWD(CURL *, curl_easy_init, (void), (), NULL)
FWD_VOID(curl_easy_cleanup, (CURL *h), (h))
FWD_VOID(curl_easy_reset, (CURL *h), (h))
FWD(CURLcode, curl_easy_perform, (CURL *h), (h), CURLE_FAILED_INIT)
FWD(const char *, curl_easy_strerror, (CURLcode c), (c), "libcurl is not installed")
FWD(struct curl_slist *, curl_slist_append, (struct curl_slist *l, const char *s), (l, s), NULL)
FWD_VOID(curl_slist_free_all, (struct curl_slist *l), (l))
FWD(CURLM *, curl_multi_init, (void), (), NULL)
FWD(CURLMcode, curl_multi_cleanup, (CURLM *m), (m), CURLM_BAD_HANDLE)
FWD(CURLMcode, curl_multi_add_handle, (CURLM *m, CURL *h), (m, h), CURLM_BAD_HANDLE)
FWD(CURLMcode, curl_multi_remove_handle, (CURLM *m, CURL *h), (m, h), CURLM_BAD_HANDLE)
FWD(CURLMcode, curl_multi_perform, (CURLM *m, int *running), (m, running), CURLM_BAD_HANDLE)
FWD(CURLMcode, curl_multi_timeout, (CURLM *m, long *ms), (m, ms), CURLM_BAD_HANDLE)
FWD(CURLMsg *, curl_multi_info_read, (CURLM *m, int *left), (m, left), NULL)
FWD(CURLMcode, curl_multi_fdset, (CURLM *m, fd_set *r, fd_set *w, fd_set *e, int *maxfd), (m, r, w, e, maxfd),
    CURLM_BAD_HANDLE)
FWD(CURLMcode, curl_multi_poll, (CURLM *m, struct curl_waitfd *fds, unsigned int n, int ms, int *ret),
    (m, fds, n, ms, ret), CURLM_BAD_HANDLE)

/* The variadic ones: the option's number says the argument's type. */
CURLcode curl_easy_setopt(CURL *h, CURLoption opt, ...)
{
    CURLcode (*f)(CURL *, CURLoption, ...) = (CURLcode(*)(CURL *, CURLoption, ...))curl_sym("curl_easy_setopt");
    CURLcode rc;
    va_list ap;
    if (!f) return CURLE_FAILED_INIT;
    va_start(ap, opt);
    if (opt < CURLOPTTYPE_OBJECTPOINT) {
        long v = va_arg(ap, long);
        rc = f(h, opt, v);
    } else if (opt < CURLOPTTYPE_FUNCTIONPOINT) {
        void *v = va_arg(ap, void *);
        rc = f(h, opt, v);
    } else if (opt < CURLOPTTYPE_OFF_T) {
        void (*v)(void) = va_arg(ap, void (*)(void));
        rc = f(h, opt, v);
    } else if (opt < CURLOPTTYPE_BLOB) {
        curl_off_t v = va_arg(ap, curl_off_t);
        rc = f(h, opt, v);
    } else {
        void *v = va_arg(ap, void *);
        rc = f(h, opt, v);
    }
    va_end(ap);
    return rc;
}

CURLcode curl_easy_getinfo(CURL *h, CURLINFO info, ...)
{
    CURLcode (*f)(CURL *, CURLINFO, ...) = (CURLcode(*)(CURL *, CURLINFO, ...))curl_sym("curl_easy_getinfo");
    CURLcode rc;
    va_list ap;
    void *out;
    if (!f) return CURLE_FAILED_INIT;
    va_start(ap, info);
    out = va_arg(ap, void *); /* every CURLINFO takes a pointer */
    rc = f(h, info, out);
    va_end(ap);
    return rc;
}
