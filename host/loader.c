/* ldapab host: loading a provider module, the LC-3 handshake, the LC-38 shutdown tail. */
#include <stdio.h>
#include <string.h>

#include "session_internal.h"
#include "ldapab_host/props.h"
#include "ldapab_host/support.h"
#include <ldapab_platform/dynlib.h>

struct host_provider {
    atomic_uint refs;        /* the creator's + one per live logon */
    void *dl;
    LPABPROVIDER ab;
    LPMALLOC malloc;
    LPMSGSERVICEENTRY service_entry;
    ULONG version;
    host_trace *trace;       /* borrowed */
};

/* Gives the caller a MAPI-memory copy of a message (best effort). */
static void set_err_text(char **err_text, const char *prefix, const char *detail)
{
    char buf[1024];
    char *out = NULL;
    if (!err_text)
        return;
    snprintf(buf, sizeof(buf), "%s%s%s", prefix, detail ? ": " : "", detail ? detail : "");
    size_t n = strlen(buf) + 1;
    if (SUCCEEDED(host_MAPIAllocateBuffer((ULONG)n, (void **)&out)))
        memcpy(out, buf, n);
    *err_text = out;
}

HRESULT host_provider_load(const char *path, host_trace *trace, host_provider **out,
                           char **err_text)
{
    HRESULT hr = S_OK;
    host_provider *p = NULL;
    LPABPROVIDERINIT init = NULL;
    LPABPROVIDER ab = NULL;
    ULONG ver = 0;

    if (err_text)
        *err_text = NULL;
    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (!path || !*path) {
        set_err_text(err_text, "no provider path given", NULL);
        return MAPI_E_INVALID_PARAMETER;
    }
    p = host__calloc(1, sizeof(*p));
    if (!p) {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto done;
    }
    atomic_init(&p->refs, 1);
    p->trace = trace;
    hr = host_malloc_new(&p->malloc);
    if (FAILED(hr))
        goto done;
    char why[512];
    p->dl = plat_dl_open(path, why, sizeof(why));
    if (!p->dl) {
        set_err_text(err_text, "cannot load the provider module", why);
        hr = MAPI_E_NOT_FOUND;
        goto done;
    }
    void (*sym)(void) = plat_dl_func(p->dl, "ABProviderInit");
    if (!sym) {
        set_err_text(err_text, "the module does not export ABProviderInit", NULL);
        hr = MAPI_E_NOT_FOUND;
        goto done;
    }
    init = (LPABPROVIDERINIT)sym;
    sym = plat_dl_func(p->dl, "ServiceEntry");
    if (sym)
        p->service_entry = (LPMSGSERVICEENTRY)sym;

    host__trace_add(trace, "ABProviderInit");
    hr = init(NULL, p->malloc, host_MAPIAllocateBuffer, host_MAPIAllocateMore,
              host_MAPIFreeBuffer, 0, CURRENT_SPI_VERSION, &ver, &ab);
    p->version = ver;
    if (FAILED(hr)) {
        char detail[64];
        snprintf(detail, sizeof(detail), "0x%08lX (provider SPI version 0x%08lX)",
                 (unsigned long)hr, (unsigned long)ver);
        set_err_text(err_text, "ABProviderInit failed", detail);
        goto done;
    }
    if (!ab) {
        set_err_text(err_text, "ABProviderInit returned S_OK but no provider object", NULL);
        hr = MAPI_E_CALL_FAILED;
        goto done;
    }
    if ((ver & 0xFFFF0000u) != (CURRENT_SPI_VERSION & 0xFFFF0000u)) {
        char detail[96];
        snprintf(detail, sizeof(detail), "provider reports 0x%08lX, host speaks 0x%08lX",
                 (unsigned long)ver, (unsigned long)CURRENT_SPI_VERSION);
        set_err_text(err_text, "unsupported provider SPI version", detail);
        hr = MAPI_E_VERSION;
        goto done;
    }
    p->ab = ab;
    ab = NULL;
    *out = p;
    p = NULL;
done:
    if (ab) {
        /* LC-3: a provider we cannot use is released before the module goes. */
        host__trace_add(trace, "IABProvider::Release");
        IABProvider_Release(ab);
    }
    if (p) {
        if (p->dl) {
            host__trace_add(trace, "dlclose");
            plat_dl_close(p->dl);
        }
        if (p->malloc)
            IMalloc_Release(p->malloc);
        host__free(p);
    }
    return hr;
}

void host__provider_addref(host_provider *p) { atomic_fetch_add(&p->refs, 1); }

/* LC-38 tail: Shutdown(&0) → Release → (our IMalloc) → dlclose. */
void host__provider_release(host_provider *p)
{
    if (!p || atomic_fetch_sub(&p->refs, 1) != 1)
        return;
    ULONG zero = 0;
    host__trace_add(p->trace, "IABProvider::Shutdown");
    (void)IABProvider_Shutdown(p->ab, &zero);
    host__trace_add(p->trace, "IABProvider::Release");
    IABProvider_Release(p->ab);
    IMalloc_Release(p->malloc);
    host__trace_add(p->trace, "dlclose");
    plat_dl_close(p->dl);
    host__free(p);
}

void host_provider_release(host_provider *p) { host__provider_release(p); }

ULONG host_provider_version(const host_provider *p) { return p ? p->version : 0; }
LPABPROVIDER host_provider_abprovider(host_provider *p) { return p ? p->ab : NULL; }
LPMALLOC host_provider_malloc(host_provider *p) { return p ? p->malloc : NULL; }
int host_provider_has_service_entry(const host_provider *p) { return p && p->service_entry; }
LPABPROVIDER host__provider_ab(host_provider *p) { return p->ab; }
host_trace *host__provider_trace(host_provider *p) { return p->trace; }

/* Trace names of the ServiceEntry contexts. */
static const char *service_context_name(ULONG ctx)
{
    switch (ctx) {
    case MSG_SERVICE_INSTALL: return "ServiceEntry(INSTALL)";
    case MSG_SERVICE_CREATE: return "ServiceEntry(CREATE)";
    case MSG_SERVICE_CONFIGURE: return "ServiceEntry(CONFIGURE)";
    case MSG_SERVICE_DELETE: return "ServiceEntry(DELETE)";
    case MSG_SERVICE_UNINSTALL: return "ServiceEntry(UNINSTALL)";
    case MSG_SERVICE_PROVIDER_CREATE: return "ServiceEntry(PROVIDER_CREATE)";
    case MSG_SERVICE_PROVIDER_DELETE: return "ServiceEntry(PROVIDER_DELETE)";
    default: return "ServiceEntry(?)";
    }
}

HRESULT host_provider_service_entry(host_provider *p, host_profile *profile, ULONG ulFlags,
                                    ULONG ulContext, ULONG cValues, LPSPropValue props,
                                    LPMAPIERROR *mapierror)
{
    HRESULT hr = S_OK;
    host_session *s = NULL;
    LPMAPISUP sup = NULL;
    LPPROVIDERADMIN admin = NULL;
    LPMAPIERROR err = NULL;

    if (mapierror)
        *mapierror = NULL;
    if (!p || !profile || (cValues && !props))
        return MAPI_E_INVALID_PARAMETER;
    if (!p->service_entry)
        return MAPI_E_NO_SUPPORT;
    /* The configuration support object lives only for this call (CF-4). */
    hr = host_session_new(NULL, &s);
    if (FAILED(hr))
        goto done;
    hr = host_support_new(s, profile, &sup);
    if (FAILED(hr))
        goto done;
    hr = host__provadmin_new(profile, &admin);
    if (FAILED(hr))
        goto done;
    host__trace_add(p->trace, service_context_name(ulContext));
    hr = p->service_entry(NULL, p->malloc, sup, 0, ulFlags, ulContext, cValues, props,
                          admin, &err);
    if (mapierror) {
        *mapierror = err;
        err = NULL;
    }
done:
    (void)host_MAPIFreeBuffer(err);
    if (admin)
        IProviderAdmin_Release(admin);
    if (sup)
        IMAPISupport_Release(sup);
    host_session_free(s);
    return hr;
}

HRESULT host_provider_configure(host_provider *p, host_profile *profile, ULONG ulFlags,
                                ULONG cValues, LPSPropValue props, LPMAPIERROR *mapierror)
{
    if (mapierror)
        *mapierror = NULL;
    if (!p || !profile || (cValues && !props))
        return MAPI_E_INVALID_PARAMETER;
    if (ulFlags & ~(ULONG)MAPI_UNICODE)
        return MAPI_E_UNKNOWN_FLAGS;
    return host_provider_service_entry(p, profile, ulFlags, MSG_SERVICE_CONFIGURE, cValues,
                                       props, mapierror);
}
