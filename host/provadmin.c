/* ldapab host: IProviderAdmin handed to ServiceEntry (only OpenProfileSection works). */
#include <string.h>

#include "session_internal.h"

typedef struct host_provadmin {
    IProviderAdmin IProviderAdmin_iface;
    atomic_uint refs;
    host_profile *profile;
    host_err err;
} host_provadmin;

static const IProviderAdminVtbl host_provadmin_vtbl;

static host_provadmin *impl_from_IProviderAdmin(IProviderAdmin *iface)
{
    return HOST_CONTAINER_OF(iface, host_provadmin, IProviderAdmin_iface);
}

HRESULT host__provadmin_new(host_profile *profile, LPPROVIDERADMIN *out)
{
    *out = NULL;
    host_provadmin *pa = host__calloc(1, sizeof(*pa));
    if (!pa)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    pa->IProviderAdmin_iface.lpVtbl = &host_provadmin_vtbl;
    atomic_init(&pa->refs, 1);
    host__profile_addref(profile);
    pa->profile = profile;
    host__err_init(&pa->err);
    *out = &pa->IProviderAdmin_iface;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE PA_QueryInterface(IProviderAdmin *This, REFIID riid, LPVOID *ppv)
{
    if (!ppv)
        return MAPI_E_INVALID_PARAMETER;
    *ppv = NULL;
    if (!riid)
        return MAPI_E_INVALID_PARAMETER;
    if (memcmp(riid, &IID_IUnknown, sizeof(IID)) && memcmp(riid, &IID_IProviderAdmin, sizeof(IID)))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    atomic_fetch_add(&impl_from_IProviderAdmin(This)->refs, 1);
    *ppv = This;
    return S_OK;
}

static ULONG STDMETHODCALLTYPE PA_AddRef(IProviderAdmin *This)
{
    return atomic_fetch_add(&impl_from_IProviderAdmin(This)->refs, 1) + 1;
}

static ULONG STDMETHODCALLTYPE PA_Release(IProviderAdmin *This)
{
    host_provadmin *pa = impl_from_IProviderAdmin(This);
    ULONG left = atomic_fetch_sub(&pa->refs, 1) - 1;
    if (left == 0) {
        host_profile_release(pa->profile);
        host__err_destroy(&pa->err);
        host__free(pa);
    }
    return left;
}

static HRESULT STDMETHODCALLTYPE PA_GetLastError(IProviderAdmin *This, HRESULT hResult,
                                                 ULONG ulFlags, LPMAPIERROR *lppMAPIError)
{
    return host__err_get(&impl_from_IProviderAdmin(This)->err, hResult, ulFlags, lppMAPIError);
}

static HRESULT STDMETHODCALLTYPE PA_GetProviderTable(IProviderAdmin *This, ULONG ulFlags,
                                                     LPMAPITABLE *lppTable)
{
    if (lppTable)
        *lppTable = NULL;
    return host__err_set(&impl_from_IProviderAdmin(This)->err, MAPI_E_NO_SUPPORT,
                         "IProviderAdmin::GetProviderTable is not supported by this host");
}

static HRESULT STDMETHODCALLTYPE PA_CreateProvider(IProviderAdmin *This, LPTSTR lpszProvider,
                                                   ULONG cValues, LPSPropValue lpProps,
                                                   ULONG_PTR ulUIParam, ULONG ulFlags,
                                                   MAPIUID *lpUID)
{
    return host__err_set(&impl_from_IProviderAdmin(This)->err, MAPI_E_NO_SUPPORT,
                         "IProviderAdmin::CreateProvider is not supported by this host");
}

static HRESULT STDMETHODCALLTYPE PA_DeleteProvider(IProviderAdmin *This, LPMAPIUID lpUID)
{
    return host__err_set(&impl_from_IProviderAdmin(This)->err, MAPI_E_NO_SUPPORT,
                         "IProviderAdmin::DeleteProvider is not supported by this host");
}

/* NULL UID = the provider's own section (this host has one provider per service). */
static HRESULT STDMETHODCALLTYPE PA_OpenProfileSection(IProviderAdmin *This, LPMAPIUID lpUID,
                                                       LPCIID lpInterface, ULONG ulFlags,
                                                       LPPROFSECT *lppProfSect)
{
    host_provadmin *pa = impl_from_IProviderAdmin(This);
    if (!lppProfSect)
        return host__err_set(&pa->err, MAPI_E_INVALID_PARAMETER,
                             "OpenProfileSection: NULL out-pointer");
    *lppProfSect = NULL;
    if (lpInterface && memcmp(lpInterface, &IID_IProfSect, sizeof(IID)) &&
        memcmp(lpInterface, &IID_IMAPIProp, sizeof(IID)))
        return host__err_set(&pa->err, MAPI_E_INTERFACE_NOT_SUPPORTED,
                             "OpenProfileSection: only IProfSect is available");
    HRESULT hr = host_profile_open_section(pa->profile, lpUID, ulFlags, lppProfSect);
    if (FAILED(hr))
        host__err_set(&pa->err, hr, "OpenProfileSection failed (0x%08lX)", (unsigned long)hr);
    return hr;
}

static const IProviderAdminVtbl host_provadmin_vtbl = {
    PA_QueryInterface,
    PA_AddRef,
    PA_Release,
    PA_GetLastError,
    PA_GetProviderTable,
    PA_CreateProvider,
    PA_DeleteProvider,
    PA_OpenProfileSection,
};
