/*
 * A tiny AB provider module that proves the host's loader and lifecycle: entry point,
 * IABProvider (Shutdown, Logon) and one IABLogon. Variants (compile definitions):
 *   TESTPROV_BADVER        reports an SPI version the host cannot handle (LC-3);
 *   TESTPROV_UNCONFIGURED  Logon → MAPI_E_UNCONFIGURED until ServiceEntry(CONFIGURE)
 *                          wrote PR_TESTPROV_CONFIGURED (HO-7); exports ServiceEntry.
 * Logon reads its own profile section, makes/keeps a MAPIUID there, registers it
 * (SetProviderUID), adds a status row whose PR_STATUS_STRING carries the profile name in
 * the width Logon received it (HO-6), and keeps one support reference until Logoff.
 */
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>

#define INITGUID /* this module's one definition of the IIDs */
#include <mapi/mapiguid.h>
#include <mapi/mapidefs.h>
#include <mapi/mapicode.h>
#include <mapi/mapitags.h>
#include <mapi/mapispi.h>

#include "testprov.h"

#define EXPORT __attribute__((visibility("default")))

typedef struct tp_provider {
    IABProvider IABProvider_iface;
    atomic_uint refs;
    LPMALLOC malloc;
    LPALLOCATEBUFFER alloc;
    LPALLOCATEMORE more;
    LPFREEBUFFER free;
} tp_provider;

typedef struct tp_logon {
    IABLogon IABLogon_iface;
    atomic_uint refs;
    tp_provider *prov;        /* referenced */
    LPMAPISUP sup;            /* referenced until Logoff */
    MAPIUID uid;
} tp_logon;

static const IABProviderVtbl tp_provider_vtbl;
static const IABLogonVtbl tp_logon_vtbl;

static tp_provider *impl_from_IABProvider(IABProvider *i)
{
    return (tp_provider *)(void *)((char *)i - offsetof(tp_provider, IABProvider_iface));
}

static tp_logon *impl_from_IABLogon(IABLogon *i)
{
    return (tp_logon *)(void *)((char *)i - offsetof(tp_logon, IABLogon_iface));
}

static HRESULT make_error(tp_provider *p, const char *text, LPMAPIERROR *out)
{
    LPMAPIERROR e = NULL;
    char *t = NULL;
    *out = NULL;
    if (FAILED(p->alloc(sizeof(*e), (void **)&e)))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    memset(e, 0, sizeof(*e));
    if (FAILED(p->more((ULONG)strlen(text) + 1, e, (void **)&t))) {
        p->free(e);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    memcpy(t, text, strlen(text) + 1);
    e->lpszError = (LPTSTR)t;
    *out = e;
    return S_OK;
}

/* Read by the host tests (see testprov.h); reset by every load of the module. */
EXPORT unsigned testprov_dropped;

/* ---- IABProvider ---- */

static HRESULT STDMETHODCALLTYPE P_QueryInterface(IABProvider *This, REFIID riid, LPVOID *ppv)
{
    if (!ppv)
        return MAPI_E_INVALID_PARAMETER;
    *ppv = NULL;
    if (!riid || (memcmp(riid, &IID_IUnknown, sizeof(IID)) &&
                  memcmp(riid, &IID_IABProvider, sizeof(IID))))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    atomic_fetch_add(&impl_from_IABProvider(This)->refs, 1);
    *ppv = This;
    return S_OK;
}

static ULONG STDMETHODCALLTYPE P_AddRef(IABProvider *This)
{
    return atomic_fetch_add(&impl_from_IABProvider(This)->refs, 1) + 1;
}

static ULONG STDMETHODCALLTYPE P_Release(IABProvider *This)
{
    tp_provider *p = impl_from_IABProvider(This);
    ULONG left = atomic_fetch_sub(&p->refs, 1) - 1;
    if (left == 0) {
        LPMALLOC m = p->malloc;
        IMalloc_Free(m, p);
        IMalloc_Release(m); /* LC-5: release exactly what we AddRef'd */
    }
    return left;
}

static HRESULT STDMETHODCALLTYPE P_Shutdown(IABProvider *This, ULONG *lpulFlags)
{
    if (!lpulFlags)
        return MAPI_E_INVALID_PARAMETER;
    if (*lpulFlags)
        return MAPI_E_UNKNOWN_FLAGS;
    return S_OK;
}

static HRESULT read_section(LPMAPISUP sup, ULONG *configured, ULONG *fails, MAPIUID *uid,
                            int *have_uid, LPFREEBUFFER freebuf)
{
    LPPROFSECT ps = NULL;
    ULONG n = 0;
    LPSPropValue vals = NULL;
    struct { ULONG cValues; ULONG aulPropTag[3]; } tags = {
        3, { PR_TESTPROV_CONFIGURED, PR_TESTPROV_UID, PR_TESTPROV_FAIL_LOGON } };
    HRESULT hr = IMAPISupport_OpenProfileSection(sup, NULL, 0, &ps);
    if (FAILED(hr))
        return hr;
    hr = IProfSect_GetProps(ps, (LPSPropTagArray)&tags, 0, &n, &vals);
    IProfSect_Release(ps); /* LC-13 */
    if (FAILED(hr))
        return hr;
    *configured = PROP_TYPE(vals[0].ulPropTag) == PT_LONG ? vals[0].Value.ul : 0;
    *have_uid = PROP_TYPE(vals[1].ulPropTag) == PT_BINARY && vals[1].Value.bin.cb == sizeof(*uid);
    if (*have_uid)
        memcpy(uid, vals[1].Value.bin.lpb, sizeof(*uid));
    *fails = PROP_TYPE(vals[2].ulPropTag) == PT_LONG ? vals[2].Value.ul : 0;
    freebuf(vals);
    return S_OK;
}

static HRESULT write_props(LPMAPISUP sup, ULONG n, LPSPropValue vals)
{
    LPPROFSECT ps = NULL;
    HRESULT hr = IMAPISupport_OpenProfileSection(sup, NULL, MAPI_MODIFY, &ps);
    if (FAILED(hr))
        return hr;
    hr = IProfSect_SetProps(ps, n, vals, NULL);
    IProfSect_Release(ps);
    return hr;
}

static HRESULT STDMETHODCALLTYPE P_Logon(IABProvider *This, LPMAPISUP lpMAPISup,
                                         ULONG_PTR ulUIParam, LPTSTR lpszProfileName,
                                         ULONG ulFlags, ULONG *lpulcbSecurity,
                                         LPBYTE *lppbSecurity, LPMAPIERROR *lppMAPIError,
                                         LPABLOGON *lppABLogon)
{
    tp_provider *p = impl_from_IABProvider(This);
    HRESULT hr = S_OK;
    ULONG configured = 0, fails = 0;
    int have_uid = 0;
    MAPIUID uid;
    tp_logon *l = NULL;

    if (!lpMAPISup || !lppABLogon || !lppMAPIError || !lpszProfileName)
        return MAPI_E_INVALID_PARAMETER;
    *lppABLogon = NULL;
    *lppMAPIError = NULL;
    hr = read_section(lpMAPISup, &configured, &fails, &uid, &have_uid, p->free);
    if (FAILED(hr))
        return hr;
#ifdef TESTPROV_UNCONFIGURED
    if (!configured) {
        if (FAILED(make_error(p, "testprov: not configured", lppMAPIError)))
            testprov_dropped |= TESTPROV_DROPPED_ERROR;
        return MAPI_E_UNCONFIGURED;
    }
#endif
    if (fails) {
        SPropValue v = { .ulPropTag = PR_TESTPROV_FAIL_LOGON };
        v.Value.ul = fails - 1;
        (void)write_props(lpMAPISup, 1, &v);
        (void)make_error(p, "testprov: asked to fail", lppMAPIError);
        return MAPI_E_FAILONEPROVIDER;
    }
    if (!have_uid) {
        SPropValue v = { .ulPropTag = PR_TESTPROV_UID };
        hr = IMAPISupport_NewUID(lpMAPISup, &uid);
        if (FAILED(hr))
            return hr;
        v.Value.bin.cb = sizeof(uid);
        v.Value.bin.lpb = uid.ab;
        hr = write_props(lpMAPISup, 1, &v);
        if (FAILED(hr))
            return hr;
    }
    hr = IMAPISupport_SetProviderUID(lpMAPISup, &uid, 0);
    if (FAILED(hr))
        return hr;
    l = IMalloc_Alloc(p->malloc, sizeof(*l));
    if (!l)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    memset(l, 0, sizeof(*l));
    SPropValue row[4];
    memset(row, 0, sizeof(row));
    row[0].ulPropTag = PR_DISPLAY_NAME_A;
    row[0].Value.lpszA = "testprov";
    row[1].ulPropTag = PR_RESOURCE_TYPE;
    row[1].Value.ul = MAPI_AB_PROVIDER;
    row[2].ulPropTag = PR_STATUS_CODE;
    row[2].Value.ul = STATUS_AVAILABLE;
    if (ulFlags & MAPI_UNICODE) {
        row[3].ulPropTag = PR_STATUS_STRING_W;
        row[3].Value.lpszW = (LPWSTR)lpszProfileName;
    } else {
        row[3].ulPropTag = PR_STATUS_STRING_A;
        row[3].Value.lpszA = (LPSTR)lpszProfileName;
    }
    if (FAILED(IMAPISupport_ModifyStatusRow(lpMAPISup, 4, row, 0))) /* LC-20: not fatal */
        testprov_dropped |= TESTPROV_DROPPED_STATUS;

    l->IABLogon_iface.lpVtbl = &tp_logon_vtbl;
    atomic_init(&l->refs, 1);
    l->prov = p;
    P_AddRef(This);
    l->sup = lpMAPISup;
    IMAPISupport_AddRef(lpMAPISup); /* LC-12 */
    l->uid = uid;
    if (lpulcbSecurity)
        *lpulcbSecurity = 0;
    if (lppbSecurity)
        *lppbSecurity = NULL;
    *lppABLogon = &l->IABLogon_iface;
    return S_OK;
}

/* ---- IABLogon ---- */

static HRESULT STDMETHODCALLTYPE L_QueryInterface(IABLogon *This, REFIID riid, LPVOID *ppv)
{
    if (!ppv)
        return MAPI_E_INVALID_PARAMETER;
    *ppv = NULL;
    if (!riid || (memcmp(riid, &IID_IUnknown, sizeof(IID)) &&
                  memcmp(riid, &IID_IABLogon, sizeof(IID))))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    atomic_fetch_add(&impl_from_IABLogon(This)->refs, 1);
    *ppv = This;
    return S_OK;
}

static ULONG STDMETHODCALLTYPE L_AddRef(IABLogon *This)
{
    return atomic_fetch_add(&impl_from_IABLogon(This)->refs, 1) + 1;
}

static ULONG STDMETHODCALLTYPE L_Release(IABLogon *This)
{
    tp_logon *l = impl_from_IABLogon(This);
    ULONG left = atomic_fetch_sub(&l->refs, 1) - 1;
    if (left == 0) {
        tp_provider *p = l->prov;
        if (l->sup)
            IMAPISupport_Release(l->sup); /* LC-39: Logoff never ran */
        IMalloc_Free(p->malloc, l);
        P_Release(&p->IABProvider_iface);
    }
    return left;
}

static HRESULT STDMETHODCALLTYPE L_GetLastError(IABLogon *This, HRESULT hResult, ULONG ulFlags,
                                                LPMAPIERROR *lppMAPIError)
{
    if (!lppMAPIError)
        return MAPI_E_INVALID_PARAMETER;
    return make_error(impl_from_IABLogon(This)->prov, "testprov: no details", lppMAPIError);
}

static HRESULT STDMETHODCALLTYPE L_Logoff(IABLogon *This, ULONG ulFlags)
{
    tp_logon *l = impl_from_IABLogon(This);
    if (ulFlags)
        return MAPI_E_UNKNOWN_FLAGS;
    if (l->sup) {
        IMAPISupport_Release(l->sup);
        l->sup = NULL;
    }
    return S_OK;
}

/* Hands back the logon itself so a test can see which logon the host routed to. */
static HRESULT STDMETHODCALLTYPE L_OpenEntry(IABLogon *This, ULONG cbEntryID, LPENTRYID lpEntryID,
                                             LPCIID lpInterface, ULONG ulFlags,
                                             ULONG *lpulObjType, LPUNKNOWN *lppUnk)
{
    tp_logon *l = impl_from_IABLogon(This);
    if (!lpulObjType || !lppUnk)
        return MAPI_E_INVALID_PARAMETER;
    *lppUnk = NULL;
    if (!lpEntryID || cbEntryID < 20 || memcmp(lpEntryID->ab, l->uid.ab, 16))
        return MAPI_E_INVALID_ENTRYID;
    L_AddRef(This);
    *lpulObjType = MAPI_ABCONT;
    *lppUnk = (LPUNKNOWN)(void *)This;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE L_CompareEntryIDs(IABLogon *This, ULONG cb1, LPENTRYID e1,
                                                   ULONG cb2, LPENTRYID e2, ULONG ulFlags,
                                                   ULONG *lpulResult)
{
    if (!lpulResult || !e1 || !e2)
        return MAPI_E_INVALID_PARAMETER;
    *lpulResult = cb1 == cb2 && !memcmp(e1, e2, cb1);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE L_Advise(IABLogon *This, ULONG cbEntryID, LPENTRYID lpEntryID,
                                          ULONG ulEventMask, LPMAPIADVISESINK lpAdviseSink,
                                          ULONG_PTR *lpulConnection)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE L_Unadvise(IABLogon *This, ULONG_PTR ulConnection)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE L_OpenStatusEntry(IABLogon *This, LPCIID lpInterface,
                                                   ULONG ulFlags, ULONG *lpulObjType,
                                                   LPMAPISTATUS *lppEntry)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE L_OpenTemplateID(IABLogon *This, ULONG cbTemplateID,
                                                  LPENTRYID lpTemplateID, ULONG ulTemplateFlags,
                                                  LPMAPIPROP lpMAPIPropData, LPCIID lpInterface,
                                                  LPMAPIPROP *lppMAPIPropNew,
                                                  LPMAPIPROP lpMAPIPropSibling)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE L_GetOneOffTable(IABLogon *This, ULONG ulFlags,
                                                  LPMAPITABLE *lppTable)
{
    return MAPI_E_NO_SUPPORT;
}

/* Replaces each entry's properties with { PR_ENTRYID, PR_OBJECT_TYPE = MAPI_MAILUSER }. */
static HRESULT STDMETHODCALLTYPE L_PrepareRecips(IABLogon *This, ULONG ulFlags,
                                                 LPSPropTagArray lpPropTagArray,
                                                 LPADRLIST lpRecipList)
{
    tp_provider *p = impl_from_IABLogon(This)->prov;
    if (!lpRecipList)
        return MAPI_E_INVALID_PARAMETER;
    for (ULONG i = 0; i < lpRecipList->cEntries; i++) {
        ADRENTRY *e = &lpRecipList->aEntries[i];
        LPSPropValue nv = NULL;
        const SPropValue *eid = NULL;
        for (ULONG j = 0; j < e->cValues; j++)
            if (e->rgPropVals[j].ulPropTag == PR_ENTRYID)
                eid = &e->rgPropVals[j];
        if (!eid)
            continue;
        if (FAILED(p->alloc(2 * sizeof(SPropValue), (void **)&nv)))
            return MAPI_E_NOT_ENOUGH_MEMORY;
        nv[0].ulPropTag = PR_ENTRYID;
        nv[0].Value.bin.cb = eid->Value.bin.cb;
        if (FAILED(p->more(eid->Value.bin.cb, nv, (void **)&nv[0].Value.bin.lpb))) {
            p->free(nv);
            return MAPI_E_NOT_ENOUGH_MEMORY;
        }
        memcpy(nv[0].Value.bin.lpb, eid->Value.bin.lpb, eid->Value.bin.cb);
        nv[1].ulPropTag = PR_OBJECT_TYPE;
        nv[1].Value.ul = MAPI_MAILUSER;
        p->free(e->rgPropVals);
        e->rgPropVals = nv;
        e->cValues = 2;
    }
    return S_OK;
}

/* ---- entry points ---- */

EXPORT HRESULT STDMAPIINITCALLTYPE ABProviderInit(HINSTANCE hInstance, LPMALLOC lpMalloc,
                                                  LPALLOCATEBUFFER lpAllocateBuffer,
                                                  LPALLOCATEMORE lpAllocateMore,
                                                  LPFREEBUFFER lpFreeBuffer, ULONG ulFlags,
                                                  ULONG ulMAPIVer, ULONG *lpulProviderVer,
                                                  LPABPROVIDER *lppABProvider)
{
    tp_provider *p = NULL;
    if (!lpMalloc || !lpAllocateBuffer || !lpAllocateMore || !lpFreeBuffer ||
        !lpulProviderVer || !lppABProvider)
        return MAPI_E_INVALID_PARAMETER;
    *lppABProvider = NULL;
#ifdef TESTPROV_BADVER
    *lpulProviderVer = TESTPROV_BAD_SPI_VERSION;
#else
    *lpulProviderVer = CURRENT_SPI_VERSION;
#endif
    if (ulMAPIVer < CURRENT_SPI_VERSION)
        return MAPI_E_VERSION;
    p = IMalloc_Alloc(lpMalloc, sizeof(*p));
    if (!p)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    memset(p, 0, sizeof(*p));
    p->IABProvider_iface.lpVtbl = &tp_provider_vtbl;
    atomic_init(&p->refs, 1);
    p->malloc = lpMalloc;
    IMalloc_AddRef(lpMalloc);
    p->alloc = lpAllocateBuffer;
    p->more = lpAllocateMore;
    p->free = lpFreeBuffer;
    *lppABProvider = &p->IABProvider_iface;
    return S_OK;
}

#ifdef TESTPROV_UNCONFIGURED
EXPORT MSGSERVICEENTRY ServiceEntry;

EXPORT HRESULT STDAPICALLTYPE ServiceEntry(HINSTANCE hInstance, LPMALLOC lpMalloc,
                                           LPMAPISUP lpMAPISup, ULONG_PTR ulUIParam,
                                           ULONG ulFlags, ULONG ulContext, ULONG cValues,
                                           LPSPropValue lpProps, LPPROVIDERADMIN lpProviderAdmin,
                                           LPMAPIERROR *lppMapiError)
{
    LPPROFSECT ps = NULL;
    SPropValue v = { .ulPropTag = PR_TESTPROV_CONFIGURED };
    if (lppMapiError)
        *lppMapiError = NULL;
    if (ulContext != MSG_SERVICE_CONFIGURE)
        return S_OK;
    if (!lpProviderAdmin)
        return MAPI_E_INVALID_PARAMETER;
    HRESULT hr = IProviderAdmin_OpenProfileSection(lpProviderAdmin, NULL, NULL, MAPI_MODIFY, &ps);
    if (FAILED(hr))
        return hr;
    v.Value.ul = 1;
    hr = IProfSect_SetProps(ps, 1, &v, NULL);
    if (SUCCEEDED(hr) && cValues)
        hr = IProfSect_SetProps(ps, cValues, lpProps, NULL);
    IProfSect_Release(ps);
    return hr;
}
#endif

static const IABProviderVtbl tp_provider_vtbl = {
    P_QueryInterface, P_AddRef, P_Release, P_Shutdown, P_Logon,
};

static const IABLogonVtbl tp_logon_vtbl = {
    L_QueryInterface, L_AddRef, L_Release, L_GetLastError, L_Logoff, L_OpenEntry,
    L_CompareEntryIDs, L_Advise, L_Unadvise, L_OpenStatusEntry, L_OpenTemplateID,
    L_GetOneOffTable, L_PrepareRecips,
};
