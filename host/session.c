/* ldapab host: session (logon list, routing, notifications) and the Logon/Logoff dance. */
#include <string.h>

#include "session_internal.h"
#include "ldapab_host/props.h"
#include "ldapab_host/support.h"

void host__session_addref(host_session *s) { atomic_fetch_add(&s->refs, 1); }

void host__session_release(host_session *s)
{
    if (!s || atomic_fetch_sub(&s->refs, 1) != 1)
        return;
    /* Support objects hold references, so none is left here; subscriptions went with them
     * (a record still pinned by a running Notify holds the sink, not the session). */
    host__free(s->supports);
    host__free(s->logons);
    host__free(s->subs);
    plat_mutex_destroy(&s->lock);
    host__free(s);
}

HRESULT host_session_new(host_trace *trace, host_session **out)
{
    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    host_session *s = host__calloc(1, sizeof(*s));
    if (!s)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    atomic_init(&s->refs, 1);
    plat_mutex_init(&s->lock);
    s->trace = trace;
    *out = s;
    return S_OK;
}

void host_session_free(host_session *s)
{
    if (!s)
        return;
    for (;;) {
        host_logon *l = NULL;
        plat_mutex_lock(&s->lock);
        if (s->nlogons)
            l = s->logons[0];
        plat_mutex_unlock(&s->lock);
        if (!l)
            break;
        (void)host_session_logoff(l);
    }
    host__session_release(s);
}

static HRESULT call_logon(host_provider *p, host_support *sup, host_profile *profile,
                          ULONG ulFlags, LPABLOGON *ablogon, LPMAPIERROR *err)
{
    HRESULT hr = S_OK;
    WCHAR *wname = NULL;
    LPTSTR name = (LPTSTR)host_profile_name(profile);
    ULONG cbsec = 0;
    LPBYTE pbsec = NULL;

    if (ulFlags & MAPI_UNICODE) {
        hr = host_utf8_to_utf16(host_profile_name(profile), &wname);
        if (FAILED(hr))
            return hr;
        name = (LPTSTR)wname;
    }
    host__trace_add(host__provider_trace(p), "IABProvider::Logon");
    hr = IABProvider_Logon(host__provider_ab(p), host__support_iface(sup), 0, name,
                           ulFlags | AB_NO_DIALOG, &cbsec, &pbsec, err, ablogon);
    /* LC-18: providers store NULL here; free anything one returned anyway. */
    (void)host_MAPIFreeBuffer(pbsec);
    (void)host_MAPIFreeBuffer(wname);
    return hr;
}

HRESULT host_session_logon(host_session *s, host_provider *p, host_profile *profile,
                           ULONG ulFlags, host_logon **out, LPMAPIERROR *mapierror)
{
    HRESULT hr = S_OK;
    host_support *sup = NULL;
    host_logon *l = NULL;
    LPABLOGON ablogon = NULL;
    LPMAPIERROR err = NULL;

    if (mapierror)
        *mapierror = NULL;
    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (!s || !p || !profile)
        return MAPI_E_INVALID_PARAMETER;
    if (ulFlags & ~(ULONG)(MAPI_UNICODE | MAPI_DEFERRED_ERRORS | AB_NO_DIALOG))
        return MAPI_E_UNKNOWN_FLAGS;
    l = host__calloc(1, sizeof(*l));
    if (!l) {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto done;
    }
    hr = host__support_new(s, profile, &sup);
    if (FAILED(hr))
        goto done;
    hr = call_logon(p, sup, profile, ulFlags, &ablogon, &err);
    if (hr == MAPI_E_UNCONFIGURED && host_provider_has_service_entry(p)) {
        /* HO-7: configure through the service entry, then retry exactly once. */
        HRESULT chr = host_provider_configure(p, profile, ulFlags & MAPI_UNICODE, 0, NULL, NULL);
        if (SUCCEEDED(chr)) {
            (void)host_MAPIFreeBuffer(err);
            err = NULL;
            if (ablogon) {
                IABLogon_Release(ablogon);
                ablogon = NULL;
            }
            hr = call_logon(p, sup, profile, ulFlags, &ablogon, &err);
        }
    }
    if (FAILED(hr))
        goto done;
    if (!ablogon) {
        hr = MAPI_E_CALL_FAILED;
        goto done;
    }
    /* Publish the logon: from now on the support routes to it (HO-3). */
    plat_mutex_lock(&s->lock);
    host_logon **grown = host__realloc(s->logons, (s->nlogons + 1) * sizeof(*grown));
    if (!grown) {
        plat_mutex_unlock(&s->lock);
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto done;
    }
    s->logons = grown;
    s->logons[s->nlogons++] = l;
    atomic_init(&l->pins, 1);
    l->session = s;
    l->provider = p;
    l->profile = profile;
    l->ablogon = ablogon;
    l->support = sup;
    host__support_set_logon_locked(sup, l);
    plat_mutex_unlock(&s->lock);
    host__provider_addref(p);
    host__profile_addref(profile);
    ablogon = NULL;
    *out = l;
    l = NULL;
done:
    if (ablogon) {
        /* We could not keep a successful logon: undo it as MAPI would. */
        (void)IABLogon_Logoff(ablogon, 0);
        IABLogon_Release(ablogon);
    }
    if (sup)
        IMAPISupport_Release(host__support_iface(sup)); /* the host's own reference */
    host__free(l);
    if (mapierror)
        *mapierror = err;
    else
        (void)host_MAPIFreeBuffer(err);
    return hr;
}

void host__logon_pin_locked(host_logon *l) { atomic_fetch_add(&l->pins, 1); }

void host__logon_unpin(host_logon *l)
{
    if (atomic_fetch_sub(&l->pins, 1) != 1)
        return;
    /* Unpublished and no routed call left: nothing in the host can reach l any more. */
    host__trace_add(host__provider_trace(l->provider), "IABLogon::Release");
    IABLogon_Release(l->ablogon);
    host_profile_release(l->profile);
    host__provider_release(l->provider);
    host__free(l);
}

HRESULT host_session_logoff(host_logon *l)
{
    if (!l)
        return MAPI_E_INVALID_PARAMETER;
    host_session *s = l->session;

    host__trace_add(host__provider_trace(l->provider), "IABLogon::Logoff");
    HRESULT hr = IABLogon_Logoff(l->ablogon, 0);
    plat_mutex_lock(&s->lock);
    /* Unpublish first so that no routed call picks the logon up any more. */
    for (size_t i = 0; i < s->nlogons; i++) {
        if (s->logons[i] == l) {
            memmove(&s->logons[i], &s->logons[i + 1], (s->nlogons - i - 1) * sizeof(*s->logons));
            s->nlogons--;
            break;
        }
    }
    if (l->support)
        host__support_set_logon_locked(l->support, NULL);
    plat_mutex_unlock(&s->lock);
    /* The publication pin; a call routed to l just before keeps it until it is done. */
    host__logon_unpin(l);
    return hr;
}

LPABLOGON host_logon_ablogon(host_logon *l) { return l ? l->ablogon : NULL; }

LPMAPISUP host_logon_support(host_logon *l)
{
    if (!l)
        return NULL;
    plat_mutex_lock(&l->session->lock);
    LPMAPISUP sup = l->support ? host__support_iface(l->support) : NULL;
    plat_mutex_unlock(&l->session->lock);
    return sup;
}

ULONG host_logon_support_refcount(host_logon *l)
{
    if (!l)
        return 0;
    plat_mutex_lock(&l->session->lock);
    ULONG n = l->support ? host_support_refcount(host__support_iface(l->support)) : 0;
    plat_mutex_unlock(&l->session->lock);
    return n;
}

LPABLOGON host_session_route(host_session *s, const MAPIUID *uid)
{
    host_logon *l = NULL;
    LPABLOGON ab = NULL;
    if (!s || !uid)
        return NULL;
    plat_mutex_lock(&s->lock);
    for (size_t i = 0; i < s->nsupports && !l; i++)
        if (host__support_logon_locked(s->supports[i]) &&
            host__support_has_uid_locked(s->supports[i], uid))
            l = host__support_logon_locked(s->supports[i]);
    if (l)
        host__logon_pin_locked(l); /* keeps l->ablogon alive past the unlock */
    plat_mutex_unlock(&s->lock);
    if (!l)
        return NULL;
    ab = l->ablogon;
    IABLogon_AddRef(ab); /* the caller's reference, taken outside the lock */
    host__logon_unpin(l);
    return ab;
}

size_t host_session_live_supports(host_session *s)
{
    if (!s)
        return 0;
    plat_mutex_lock(&s->lock);
    size_t n = s->nsupports;
    plat_mutex_unlock(&s->lock);
    return n;
}

size_t host_session_subscriptions(host_session *s)
{
    if (!s)
        return 0;
    plat_mutex_lock(&s->lock);
    size_t n = s->nsubs;
    plat_mutex_unlock(&s->lock);
    return n;
}

size_t host_session_leaked_subscriptions(host_session *s)
{
    if (!s)
        return 0;
    plat_mutex_lock(&s->lock);
    size_t n = s->leaked_subs;
    plat_mutex_unlock(&s->lock);
    return n;
}
