/* ldapab host: last-error records and MAPIERROR construction. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "host_internal.h"
#include "ldapab_host/props.h"

#define HOST_COMPONENT "ldapab host"

void host__err_init(host_err *e)
{
    plat_mutex_init(&e->lock);
    e->hr = S_OK;
    e->text[0] = 0;
}

void host__err_destroy(host_err *e) { plat_mutex_destroy(&e->lock); }

HRESULT host__err_set(host_err *e, HRESULT hr, const char *fmt, ...)
{
    va_list ap;
    plat_mutex_lock(&e->lock);
    e->hr = hr;
    va_start(ap, fmt);
    vsnprintf(e->text, sizeof(e->text), fmt, ap);
    va_end(ap);
    plat_mutex_unlock(&e->lock);
    return hr;
}

HRESULT host__mapierror_new(const char *text, ULONG ulFlags, LPMAPIERROR *out)
{
    HRESULT hr = S_OK;
    LPMAPIERROR err = NULL;

    *out = NULL;
    hr = host_MAPIAllocateBuffer(sizeof(MAPIERROR), (void **)&err);
    if (FAILED(hr))
        goto done;
    memset(err, 0, sizeof(*err));
    err->ulVersion = MAPI_ERROR_VERSION;
    if (ulFlags & MAPI_UNICODE) {
        WCHAR *t = NULL, *c = NULL;
        hr = host_utf8_to_utf16_more(text, err, &t);
        if (SUCCEEDED(hr))
            hr = host_utf8_to_utf16_more(HOST_COMPONENT, err, &c);
        err->lpszError = (LPTSTR)t;
        err->lpszComponent = (LPTSTR)c;
    } else {
        char *t = NULL, *c = NULL;
        ULONG n = 0;
        /* Callers pass bounded record text, but the cast below must never truncate. */
        hr = host__cb(0, strlen(text), 1, &n);
        if (SUCCEEDED(hr))
            hr = host__cb(0, (size_t)n + 1, 1, &n);
        if (SUCCEEDED(hr))
            hr = host_MAPIAllocateMore(n, err, (void **)&t);
        if (SUCCEEDED(hr)) {
            memcpy(t, text, n);
            hr = host_MAPIAllocateMore(sizeof(HOST_COMPONENT), err, (void **)&c);
        }
        if (SUCCEEDED(hr))
            memcpy(c, HOST_COMPONENT, sizeof(HOST_COMPONENT));
        err->lpszError = (LPTSTR)t;
        err->lpszComponent = (LPTSTR)c;
    }
    if (FAILED(hr))
        goto done;
    *out = err;
    err = NULL;
done:
    (void)host_MAPIFreeBuffer(err);
    return hr;
}

HRESULT host__err_get(host_err *e, HRESULT hResult, ULONG ulFlags, LPMAPIERROR *out)
{
    char text[sizeof(e->text)];
    int match;

    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (ulFlags & ~(ULONG)MAPI_UNICODE)
        return MAPI_E_UNKNOWN_FLAGS;
    plat_mutex_lock(&e->lock);
    match = e->hr == hResult && FAILED(hResult);
    memcpy(text, e->text, sizeof(text));
    plat_mutex_unlock(&e->lock);
    if (!match)
        return S_OK;
    return host__mapierror_new(text, ulFlags, out);
}
