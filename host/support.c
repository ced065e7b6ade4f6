/*
 * ldapab host: IMAPISupport, one per logon (HO-2). Its UIDs and status row live here and
 * are guarded by the session lock, because routing (HO-3) reads them across supports.
 */
#include <string.h>
#include <ldapab_platform/random.h>

#include "session_internal.h"
#include "ldapab_host/support.h"
#include "ldapab_host/props.h"

struct host_support {
    IMAPISupport IMAPISupport_iface;
    atomic_uint refs;
    host_session *session;   /* referenced */
    host_profile *profile;   /* referenced */
    host_logon *logon;       /* weak, set after a successful Logon */
    MAPIUID *uids;
    size_t nuids;
    LPSPropValue status;     /* one root, or NULL */
    ULONG nstatus;
    host_err err;
};

static const IMAPISupportVtbl host_support_vtbl;
static atomic_size_t g_live_supports;

static host_support *impl_from_IMAPISupport(IMAPISupport *iface)
{
    return HOST_CONTAINER_OF(iface, host_support, IMAPISupport_iface);
}

static host_support *support_from_public(LPMAPISUP sup)
{
    if (!sup || sup->lpVtbl != &host_support_vtbl)
        return NULL;
    return impl_from_IMAPISupport(sup);
}

LPMAPISUP host__support_iface(host_support *sup) { return &sup->IMAPISupport_iface; }

void host__support_set_logon_locked(host_support *sup, host_logon *l) { sup->logon = l; }
host_logon *host__support_logon_locked(host_support *sup) { return sup->logon; }

int host__support_has_uid_locked(host_support *sup, const MAPIUID *uid)
{
    for (size_t i = 0; i < sup->nuids; i++)
        if (!memcmp(&sup->uids[i], uid, sizeof(*uid)))
            return 1;
    return 0;
}

HRESULT host__support_new(host_session *s, host_profile *profile, host_support **out)
{
    host_support *sup = NULL;
    *out = NULL;
    sup = host__calloc(1, sizeof(*sup));
    if (!sup)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    plat_mutex_lock(&s->lock);
    host_support **grown = host__realloc(s->supports, (s->nsupports + 1) * sizeof(*grown));
    if (!grown) {
        plat_mutex_unlock(&s->lock);
        host__free(sup);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    s->supports = grown;
    s->supports[s->nsupports++] = sup;
    plat_mutex_unlock(&s->lock);

    sup->IMAPISupport_iface.lpVtbl = &host_support_vtbl;
    atomic_init(&sup->refs, 1);
    host__session_addref(s);
    sup->session = s;
    host__profile_addref(profile);
    sup->profile = profile;
    host__err_init(&sup->err);
    atomic_fetch_add(&g_live_supports, 1);
    *out = sup;
    return S_OK;
}

HRESULT host_support_new(host_session *s, host_profile *p, LPMAPISUP *out)
{
    host_support *sup = NULL;
    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (!s || !p)
        return MAPI_E_INVALID_PARAMETER;
    HRESULT hr = host__support_new(s, p, &sup);
    if (SUCCEEDED(hr))
        *out = &sup->IMAPISupport_iface;
    return hr;
}

ULONG host_support_refcount(LPMAPISUP iface)
{
    host_support *sup = support_from_public(iface);
    return sup ? atomic_load(&sup->refs) : 0;
}

size_t host_support_live_objects(void) { return atomic_load(&g_live_supports); }

HRESULT host_support_status_row(LPMAPISUP iface, ULONG *count, LPSPropValue *out)
{
    host_support *sup = support_from_public(iface);
    HRESULT hr;
    if (!sup || !count || !out)
        return MAPI_E_INVALID_PARAMETER;
    *count = 0;
    *out = NULL;
    plat_mutex_lock(&sup->session->lock);
    if (!sup->status) {
        hr = MAPI_E_NOT_FOUND;
    } else {
        hr = host__props_copy(sup->nstatus, sup->status, out);
        if (SUCCEEDED(hr))
            *count = sup->nstatus;
    }
    plat_mutex_unlock(&sup->session->lock);
    return hr;
}

HRESULT host_support_uids(LPMAPISUP iface, ULONG *count, LPMAPIUID *out)
{
    host_support *sup = support_from_public(iface);
    HRESULT hr = S_OK;
    if (!sup || !count || !out)
        return MAPI_E_INVALID_PARAMETER;
    *count = 0;
    *out = NULL;
    plat_mutex_lock(&sup->session->lock);
    if (sup->nuids) {
        LPMAPIUID u = NULL;
        ULONG cb = 0;
        hr = host__cb(0, sup->nuids, sizeof(MAPIUID), &cb);
        if (SUCCEEDED(hr))
            hr = host_MAPIAllocateBuffer(cb, (void **)&u);
        if (SUCCEEDED(hr)) {
            memcpy(u, sup->uids, cb);
            *count = (ULONG)sup->nuids;
            *out = u;
        }
    }
    plat_mutex_unlock(&sup->session->lock);
    return hr;
}

void host__sub_unpin(host_sub *r)
{
    if (atomic_fetch_sub(&r->pins, 1) != 1)
        return;
    IMAPIAdviseSink_Release(r->sink);
    host__free(r->key);
    host__free(r);
}

/* ---- IUnknown ---- */

static HRESULT STDMETHODCALLTYPE Sup_QueryInterface(IMAPISupport *This, REFIID riid, LPVOID *ppv)
{
    if (!ppv)
        return MAPI_E_INVALID_PARAMETER;
    *ppv = NULL;
    if (!riid)
        return MAPI_E_INVALID_PARAMETER;
    if (memcmp(riid, &IID_IUnknown, sizeof(IID)) && memcmp(riid, &IID_IMAPISup, sizeof(IID)))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    atomic_fetch_add(&impl_from_IMAPISupport(This)->refs, 1);
    *ppv = This;
    return S_OK;
}

static ULONG STDMETHODCALLTYPE Sup_AddRef(IMAPISupport *This)
{
    return atomic_fetch_add(&impl_from_IMAPISupport(This)->refs, 1) + 1;
}

static ULONG STDMETHODCALLTYPE Sup_Release(IMAPISupport *This)
{
    host_support *sup = impl_from_IMAPISupport(This);
    ULONG left = atomic_fetch_sub(&sup->refs, 1) - 1;
    host_session *s = sup->session;
    host_sub *detached = NULL;
    size_t kept = 0;

    if (left != 0)
        return left;
    /* HO-5: the UIDs and status row leave with the object; so do forgotten Subscribes. */
    plat_mutex_lock(&s->lock);
    for (size_t i = 0; i < s->nsupports; i++) {
        if (s->supports[i] == sup) {
            memmove(&s->supports[i], &s->supports[i + 1],
                    (s->nsupports - i - 1) * sizeof(*s->supports));
            s->nsupports--;
            break;
        }
    }
    if (sup->logon)
        sup->logon->support = NULL;
    /*
     * Unlist our records into a private chain (no allocation, so this cannot fail), and
     * release their sinks only after the unlock: a sink's Release may call the host.
     */
    for (size_t i = 0; i < s->nsubs; i++) {
        host_sub *r = s->subs[i];
        if (r->owner == sup) {
            s->leaked_subs++;
            r->detached = detached;
            detached = r;
        } else {
            s->subs[kept++] = r;
        }
    }
    s->nsubs = kept;
    plat_mutex_unlock(&s->lock);
    while (detached) {
        host_sub *r = detached;
        detached = r->detached;
        host__sub_unpin(r);
    }
    host__free(sup->uids);
    (void)host_MAPIFreeBuffer(sup->status);
    host__err_destroy(&sup->err);
    host_profile_release(sup->profile);
    atomic_fetch_sub(&g_live_supports, 1);
    host__free(sup);
    host__session_release(s);
    return 0;
}

/* ---- implemented methods ---- */

static HRESULT STDMETHODCALLTYPE Sup_GetLastError(IMAPISupport *This, HRESULT hResult,
                                                  ULONG ulFlags, LPMAPIERROR *lppMAPIError)
{
    return host__err_get(&impl_from_IMAPISupport(This)->err, hResult, ulFlags, lppMAPIError);
}

static HRESULT STDMETHODCALLTYPE Sup_GetMemAllocRoutines(IMAPISupport *This,
                                                         LPALLOCATEBUFFER *lpAllocateBuffer,
                                                         LPALLOCATEMORE *lpAllocateMore,
                                                         LPFREEBUFFER *lpFreeBuffer)
{
    if (!lpAllocateBuffer || !lpAllocateMore || !lpFreeBuffer)
        return host__err_set(&impl_from_IMAPISupport(This)->err, MAPI_E_INVALID_PARAMETER,
                             "GetMemAllocRoutines: NULL out-pointer");
    *lpAllocateBuffer = host_MAPIAllocateBuffer;
    *lpAllocateMore = host_MAPIAllocateMore;
    *lpFreeBuffer = host_MAPIFreeBuffer;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE Sup_Subscribe(IMAPISupport *This, LPNOTIFKEY lpKey,
                                               ULONG ulEventMask, ULONG ulFlags,
                                               LPMAPIADVISESINK lpAdviseSink,
                                               ULONG_PTR *lpulConnection)
{
    host_support *sup = impl_from_IMAPISupport(This);
    host_session *s = sup->session;
    LPNOTIFKEY key = NULL;
    host_sub *rec = NULL;

    if (lpulConnection)
        *lpulConnection = 0;
    if (!lpKey || lpKey->cb == 0 || !lpAdviseSink || !lpulConnection || ulEventMask == 0)
        return host__err_set(&sup->err, MAPI_E_INVALID_PARAMETER,
                             "Subscribe: NULL key/sink/connection, empty key or no events");
    if (ulFlags & ~(ULONG)NOTIFY_SYNC)
        return host__err_set(&sup->err, MAPI_E_UNKNOWN_FLAGS, "Subscribe: unknown flags 0x%08lX",
                             (unsigned long)ulFlags);
    key = host__malloc(CbNOTIFKEY(lpKey));
    rec = host__calloc(1, sizeof(*rec));
    if (!key || !rec) {
        host__free(key);
        host__free(rec);
        return host__err_set(&sup->err, MAPI_E_NOT_ENOUGH_MEMORY, "Subscribe: out of memory");
    }
    memcpy(key, lpKey, CbNOTIFKEY(lpKey));
    atomic_init(&rec->pins, 1);
    rec->owner = sup;
    rec->key = key;
    rec->mask = ulEventMask;
    rec->sink = lpAdviseSink;
    IMAPIAdviseSink_AddRef(lpAdviseSink); /* before the lock: a sink may call the host */
    plat_mutex_lock(&s->lock);
    host_sub **grown = host__realloc(s->subs, (s->nsubs + 1) * sizeof(*grown));
    if (!grown) {
        plat_mutex_unlock(&s->lock);
        host__sub_unpin(rec); /* releases the sink, outside the lock */
        return host__err_set(&sup->err, MAPI_E_NOT_ENOUGH_MEMORY, "Subscribe: out of memory");
    }
    s->subs = grown;
    rec->conn = ++s->next_conn;
    s->subs[s->nsubs++] = rec;
    *lpulConnection = rec->conn;
    plat_mutex_unlock(&s->lock);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE Sup_Unsubscribe(IMAPISupport *This, ULONG_PTR ulConnection)
{
    host_support *sup = impl_from_IMAPISupport(This);
    host_session *s = sup->session;
    host_sub *rec = NULL;

    plat_mutex_lock(&s->lock);
    for (size_t i = 0; i < s->nsubs; i++) {
        if (s->subs[i]->conn == ulConnection) {
            rec = s->subs[i];
            memmove(&s->subs[i], &s->subs[i + 1], (s->nsubs - i - 1) * sizeof(*s->subs));
            s->nsubs--;
            break;
        }
    }
    plat_mutex_unlock(&s->lock);
    if (!rec)
        return host__err_set(&sup->err, MAPI_E_NOT_FOUND, "Unsubscribe: no connection %lu",
                             (unsigned long)ulConnection);
    host__sub_unpin(rec); /* a Notify still delivering through rec releases it later */
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE Sup_Notify(IMAPISupport *This, LPNOTIFKEY lpKey,
                                            ULONG cNotification, LPNOTIFICATION lpNotifications,
                                            ULONG *lpulFlags)
{
    host_support *sup = impl_from_IMAPISupport(This);
    host_session *s = sup->session;
    HRESULT hr = S_OK;
    host_sub **recs = NULL;
    size_t n = 0;
    LPNOTIFICATION pick = NULL;
    ULONG out_flags = 0;

    if (!lpKey || lpKey->cb == 0 || !lpNotifications || cNotification == 0 || !lpulFlags)
        return host__err_set(&sup->err, MAPI_E_INVALID_PARAMETER,
                             "Notify: NULL key/notifications/flags or nothing to send");
    if (*lpulFlags & ~(ULONG)NOTIFY_SYNC)
        return host__err_set(&sup->err, MAPI_E_UNKNOWN_FLAGS, "Notify: unknown flags 0x%08lX",
                             (unsigned long)*lpulFlags);
    pick = host__calloc(cNotification, sizeof(*pick));
    if (!pick) {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto done;
    }
    plat_mutex_lock(&s->lock);
    recs = host__calloc(s->nsubs ? s->nsubs : 1, sizeof(*recs));
    if (!recs) {
        plat_mutex_unlock(&s->lock);
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto done;
    }
    for (size_t i = 0; i < s->nsubs; i++) {
        host_sub *r = s->subs[i];
        if (r->key->cb == lpKey->cb && !memcmp(r->key->ab, lpKey->ab, r->key->cb)) {
            atomic_fetch_add(&r->pins, 1); /* host-side pin: no sink call under the lock */
            recs[n++] = r;
        }
    }
    plat_mutex_unlock(&s->lock);
    /* Callbacks run unlocked: a sink may Subscribe, Unsubscribe or Notify again. */
    for (size_t i = 0; i < n; i++) {
        ULONG cpick = 0;
        if (out_flags & NOTIFY_CANCELED)
            break;
        for (ULONG j = 0; j < cNotification; j++)
            if (lpNotifications[j].ulEventType & recs[i]->mask)
                pick[cpick++] = lpNotifications[j];
        if (cpick &&
            (IMAPIAdviseSink_OnNotify(recs[i]->sink, cpick, pick) & CALLBACK_DISCONTINUE))
            out_flags |= NOTIFY_CANCELED;
    }
    *lpulFlags = out_flags;
done:
    for (size_t i = 0; i < n; i++)
        host__sub_unpin(recs[i]);
    host__free(recs);
    host__free(pick);
    if (FAILED(hr))
        host__err_set(&sup->err, hr, "Notify: out of memory");
    return hr;
}

static HRESULT STDMETHODCALLTYPE Sup_ModifyStatusRow(IMAPISupport *This, ULONG cValues,
                                                     LPSPropValue lpColumnVals, ULONG ulFlags)
{
    host_support *sup = impl_from_IMAPISupport(This);
    host_session *s = sup->session;
    HRESULT hr = S_OK;
    LPSPropValue merged = NULL, fresh = NULL, old = NULL;
    ULONG nfresh = 0;

    if (!lpColumnVals || cValues == 0)
        return host__err_set(&sup->err, MAPI_E_INVALID_PARAMETER,
                             "ModifyStatusRow: no columns");
    if (ulFlags & ~(ULONG)STATUSROW_UPDATE)
        return host__err_set(&sup->err, MAPI_E_UNKNOWN_FLAGS,
                             "ModifyStatusRow: unknown flags 0x%08lX", (unsigned long)ulFlags);
    /* The row is one MAPI root of cValues (or more) values: refuse before reading them. */
    ULONG cbrow = 0;
    hr = host__cb(0, cValues, sizeof(SPropValue), &cbrow);
    if (FAILED(hr))
        return host__err_set(&sup->err, hr, "ModifyStatusRow: %lu columns do not fit a row",
                             (unsigned long)cValues);
    plat_mutex_lock(&s->lock);
    if ((ulFlags & STATUSROW_UPDATE) && sup->status) {
        /* Shallow merge into a scratch array, then one deep copy into the new row. */
        if ((size_t)sup->nstatus + cValues > UINT32_MAX / sizeof(SPropValue)) {
            hr = MAPI_E_NOT_ENOUGH_MEMORY; /* the merged row could not be one root */
            goto unlock;
        }
        merged = host__calloc((size_t)sup->nstatus + cValues, sizeof(*merged));
        if (!merged) {
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
            goto unlock;
        }
        memcpy(merged, sup->status, sup->nstatus * sizeof(*merged));
        nfresh = sup->nstatus;
        for (ULONG i = 0; i < cValues; i++) {
            ULONG j;
            for (j = 0; j < nfresh; j++)
                if (PROP_ID(merged[j].ulPropTag) == PROP_ID(lpColumnVals[i].ulPropTag))
                    break;
            merged[j] = lpColumnVals[i];
            if (j == nfresh)
                nfresh++;
        }
        hr = host__props_copy(nfresh, merged, &fresh);
    } else {
        nfresh = cValues;
        hr = host__props_copy(cValues, lpColumnVals, &fresh);
    }
    if (FAILED(hr))
        goto unlock;
    old = sup->status;
    sup->status = fresh;
    sup->nstatus = nfresh;
unlock:
    plat_mutex_unlock(&s->lock);
    host__free(merged);
    (void)host_MAPIFreeBuffer(old);
    if (FAILED(hr))
        host__err_set(&sup->err, hr, "ModifyStatusRow failed (0x%08lX)", (unsigned long)hr);
    return hr;
}

static HRESULT STDMETHODCALLTYPE Sup_OpenProfileSection(IMAPISupport *This, LPMAPIUID lpUid,
                                                        ULONG ulFlags, LPPROFSECT *lppProfileObj)
{
    host_support *sup = impl_from_IMAPISupport(This);
    if (!lppProfileObj)
        return host__err_set(&sup->err, MAPI_E_INVALID_PARAMETER,
                             "OpenProfileSection: NULL out-pointer");
    HRESULT hr = host_profile_open_section(sup->profile, lpUid, ulFlags, lppProfileObj);
    if (FAILED(hr))
        host__err_set(&sup->err, hr, "OpenProfileSection failed (0x%08lX)%s", (unsigned long)hr,
                      hr == MAPI_E_NOT_FOUND ? ": no such section (open with MAPI_MODIFY to create)" : "");
    return hr;
}

static HRESULT STDMETHODCALLTYPE Sup_NewUID(IMAPISupport *This, LPMAPIUID lpMuid)
{
    host_support *sup = impl_from_IMAPISupport(This);
    if (!lpMuid)
        return host__err_set(&sup->err, MAPI_E_INVALID_PARAMETER, "NewUID: NULL pointer");
    if (plat_random(lpMuid->ab, sizeof(lpMuid->ab)) != 0)
        return host__err_set(&sup->err, MAPI_E_CALL_FAILED, "NewUID: no system random bytes");
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE Sup_SetProviderUID(IMAPISupport *This, LPMAPIUID lpProviderID,
                                                    ULONG ulFlags)
{
    host_support *sup = impl_from_IMAPISupport(This);
    host_session *s = sup->session;
    HRESULT hr = S_OK;

    if (!lpProviderID)
        return host__err_set(&sup->err, MAPI_E_INVALID_PARAMETER, "SetProviderUID: NULL UID");
    if (ulFlags)
        return host__err_set(&sup->err, MAPI_E_UNKNOWN_FLAGS,
                             "SetProviderUID: unknown flags 0x%08lX", (unsigned long)ulFlags);
    plat_mutex_lock(&s->lock);
    if (!host__support_has_uid_locked(sup, lpProviderID)) {
        MAPIUID *grown = host__realloc(sup->uids, (sup->nuids + 1) * sizeof(*grown));
        if (!grown) {
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
        } else {
            sup->uids = grown;
            sup->uids[sup->nuids++] = *lpProviderID;
        }
    }
    plat_mutex_unlock(&s->lock);
    if (FAILED(hr))
        host__err_set(&sup->err, hr, "SetProviderUID: out of memory");
    return hr;
}

/*
 * The logon owning the UID in an entry ID (HO-3), pinned (host__logon_unpin when done;
 * its ablogon stays valid until then); no error text.
 */
static HRESULT route_session(host_session *s, ULONG cb, const ENTRYID *eid, host_logon **out)
{
    MAPIUID uid;
    *out = NULL;
    if (!eid)
        return MAPI_E_INVALID_PARAMETER;
    if (cb < 4 + sizeof(MAPIUID))
        return MAPI_E_INVALID_ENTRYID;
    memcpy(&uid, eid->ab, sizeof(uid));
    plat_mutex_lock(&s->lock);
    for (size_t i = 0; i < s->nsupports && !*out; i++) {
        host_support *o = s->supports[i];
        if (o->logon && host__support_has_uid_locked(o, &uid)) {
            *out = o->logon;
            host__logon_pin_locked(*out); /* no provider call under the lock */
        }
    }
    plat_mutex_unlock(&s->lock);
    return *out ? S_OK : MAPI_E_UNKNOWN_ENTRYID;
}

/* route_session with the failure recorded on sup for GetLastError. */
static HRESULT route(host_support *sup, const char *method, ULONG cb, const ENTRYID *eid,
                     host_logon **out)
{
    HRESULT hr = route_session(sup->session, cb, eid, out);
    if (hr == MAPI_E_INVALID_PARAMETER)
        host__err_set(&sup->err, hr, "%s: NULL entry ID", method);
    else if (hr == MAPI_E_INVALID_ENTRYID)
        host__err_set(&sup->err, hr, "%s: entry ID of %lu bytes has no provider UID", method,
                      (unsigned long)cb);
    else if (FAILED(hr))
        host__err_set(&sup->err, hr, "%s: no logon registered the entry ID's provider UID",
                      method);
    return hr;
}

HRESULT host_session_open_entry(host_session *s, ULONG cbEntryID, LPENTRYID lpEntryID,
                                LPCIID lpInterface, ULONG ulFlags, ULONG *lpulObjType,
                                LPUNKNOWN *lppUnk)
{
    host_logon *target = NULL;
    if (lpulObjType)
        *lpulObjType = 0;
    if (lppUnk)
        *lppUnk = NULL;
    if (!s || !lpulObjType || !lppUnk)
        return MAPI_E_INVALID_PARAMETER;
    HRESULT hr = route_session(s, cbEntryID, lpEntryID, &target);
    if (FAILED(hr))
        return hr;
    hr = IABLogon_OpenEntry(target->ablogon, cbEntryID, lpEntryID, lpInterface, ulFlags,
                            lpulObjType, lppUnk);
    host__logon_unpin(target);
    return hr;
}

HRESULT host_session_compare_entry_ids(host_session *s, ULONG cb1, LPENTRYID e1, ULONG cb2,
                                       LPENTRYID e2, ULONG ulFlags, ULONG *lpulResult)
{
    host_logon *a = NULL, *b = NULL;
    HRESULT hr;
    if (!s || !lpulResult)
        return MAPI_E_INVALID_PARAMETER;
    *lpulResult = FALSE;
    hr = route_session(s, cb1, e1, &a);
    if (SUCCEEDED(hr))
        hr = route_session(s, cb2, e2, &b);
    /* IDs of two different logons never name the same object. */
    if (SUCCEEDED(hr) && a == b)
        hr = IABLogon_CompareEntryIDs(a->ablogon, cb1, e1, cb2, e2, ulFlags, lpulResult);
    if (a)
        host__logon_unpin(a);
    if (b)
        host__logon_unpin(b);
    return hr;
}

static HRESULT STDMETHODCALLTYPE Sup_OpenEntry(IMAPISupport *This, ULONG cbEntryID,
                                               LPENTRYID lpEntryID, LPCIID lpInterface,
                                               ULONG ulOpenFlags, ULONG *lpulObjType,
                                               LPUNKNOWN *lppUnk)
{
    host_support *sup = impl_from_IMAPISupport(This);
    host_logon *target = NULL;
    if (lpulObjType)
        *lpulObjType = 0;
    if (lppUnk)
        *lppUnk = NULL;
    if (!lpulObjType || !lppUnk)
        return host__err_set(&sup->err, MAPI_E_INVALID_PARAMETER, "OpenEntry: NULL out-pointer");
    HRESULT hr = route(sup, "OpenEntry", cbEntryID, lpEntryID, &target);
    if (FAILED(hr))
        return hr;
    hr = IABLogon_OpenEntry(target->ablogon, cbEntryID, lpEntryID, lpInterface, ulOpenFlags,
                            lpulObjType, lppUnk);
    host__logon_unpin(target);
    return hr;
}

static HRESULT STDMETHODCALLTYPE Sup_CompareEntryIDs(IMAPISupport *This, ULONG cbEntry1,
                                                     LPENTRYID lpEntry1, ULONG cbEntry2,
                                                     LPENTRYID lpEntry2, ULONG ulCompareFlags,
                                                     ULONG *lpulResult)
{
    host_support *sup = impl_from_IMAPISupport(This);
    host_logon *a = NULL, *b = NULL;
    HRESULT hr;
    if (!lpulResult)
        return host__err_set(&sup->err, MAPI_E_INVALID_PARAMETER,
                             "CompareEntryIDs: NULL result pointer");
    *lpulResult = FALSE;
    hr = route(sup, "CompareEntryIDs", cbEntry1, lpEntry1, &a);
    if (SUCCEEDED(hr))
        hr = route(sup, "CompareEntryIDs", cbEntry2, lpEntry2, &b);
    if (SUCCEEDED(hr)) {
        if (a == b)
            hr = IABLogon_CompareEntryIDs(a->ablogon, cbEntry1, lpEntry1, cbEntry2, lpEntry2,
                                          ulCompareFlags, lpulResult);
        /* IDs of two different logons never name the same object. */
    }
    if (a)
        host__logon_unpin(a);
    if (b)
        host__logon_unpin(b);
    return hr;
}

/* ---- not supported by this host ---- */

static HRESULT unsupported(IMAPISupport *This, const char *method)
{
    return host__err_set(&impl_from_IMAPISupport(This)->err, MAPI_E_NO_SUPPORT,
                         "IMAPISupport::%s is not supported by this host", method);
}

#define NOSUP(name) return unsupported(This, #name)

static HRESULT STDMETHODCALLTYPE Sup_RegisterPreprocessor(IMAPISupport *This, LPMAPIUID lpMuid,
    LPTSTR lpszAdrType, LPTSTR lpszDLLName, LPSTR lpszPreprocess,
    LPSTR lpszRemovePreprocessInfo, ULONG ulFlags) { NOSUP(RegisterPreprocessor); }
static HRESULT STDMETHODCALLTYPE Sup_MakeInvalid(IMAPISupport *This, ULONG ulFlags,
    LPVOID lpObject, ULONG ulRefCount, ULONG cMethods) { NOSUP(MakeInvalid); }
static HRESULT STDMETHODCALLTYPE Sup_SpoolerYield(IMAPISupport *This, ULONG ulFlags)
{ NOSUP(SpoolerYield); }
static HRESULT STDMETHODCALLTYPE Sup_SpoolerNotify(IMAPISupport *This, ULONG ulFlags,
    LPVOID lpvData) { NOSUP(SpoolerNotify); }
static HRESULT STDMETHODCALLTYPE Sup_CreateOneOff(IMAPISupport *This, LPTSTR lpszName,
    LPTSTR lpszAdrType, LPTSTR lpszAddress, ULONG ulFlags, ULONG *lpcbEntryID,
    LPENTRYID *lppEntryID)
{
    if (lpcbEntryID)
        *lpcbEntryID = 0;
    if (lppEntryID)
        *lppEntryID = NULL;
    NOSUP(CreateOneOff);
}
static HRESULT STDMETHODCALLTYPE Sup_OpenTemplateID(IMAPISupport *This, ULONG cbTemplateID,
    LPENTRYID lpTemplateID, ULONG ulTemplateFlags, LPMAPIPROP lpMAPIPropData,
    LPCIID lpInterface, LPMAPIPROP *lppMAPIPropNew, LPMAPIPROP lpMAPIPropSibling)
{
    if (lppMAPIPropNew)
        *lppMAPIPropNew = NULL;
    NOSUP(OpenTemplateID);
}
static HRESULT STDMETHODCALLTYPE Sup_GetOneOffTable(IMAPISupport *This, ULONG ulFlags,
    LPMAPITABLE *lppTable)
{
    if (lppTable)
        *lppTable = NULL;
    NOSUP(GetOneOffTable);
}
static HRESULT STDMETHODCALLTYPE Sup_Address(IMAPISupport *This, ULONG_PTR *lpulUIParam,
    LPADRPARM lpAdrParms, LPADRLIST *lppAdrList) { NOSUP(Address); }
static HRESULT STDMETHODCALLTYPE Sup_Details(IMAPISupport *This, ULONG_PTR *lpulUIParam,
    LPFNDISMISS lpfnDismiss, LPVOID lpvDismissContext, ULONG cbEntryID, LPENTRYID lpEntryID,
    LPFNBUTTON lpfButtonCallback, LPVOID lpvButtonContext, LPTSTR lpszButtonText,
    ULONG ulFlags) { NOSUP(Details); }
static HRESULT STDMETHODCALLTYPE Sup_NewEntry(IMAPISupport *This, ULONG_PTR ulUIParam,
    ULONG ulFlags, ULONG cbEIDContainer, LPENTRYID lpEIDContainer, ULONG cbEIDNewEntryTpl,
    LPENTRYID lpEIDNewEntryTpl, ULONG *lpcbEIDNewEntry, LPENTRYID *lppEIDNewEntry)
{
    if (lpcbEIDNewEntry)
        *lpcbEIDNewEntry = 0;
    if (lppEIDNewEntry)
        *lppEIDNewEntry = NULL;
    NOSUP(NewEntry);
}
static HRESULT STDMETHODCALLTYPE Sup_DoConfigPropsheet(IMAPISupport *This, ULONG_PTR ulUIParam,
    ULONG ulFlags, LPTSTR lpszTitle, LPMAPITABLE lpDisplayTable, LPMAPIPROP lpConfigData,
    ULONG ulTopPage) { NOSUP(DoConfigPropsheet); }
static HRESULT STDMETHODCALLTYPE Sup_CopyMessages(IMAPISupport *This, LPCIID lpSrcInterface,
    LPVOID lpSrcFolder, LPENTRYLIST lpMsgList, LPCIID lpDestInterface, LPVOID lpDestFolder,
    ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress, ULONG ulFlags) { NOSUP(CopyMessages); }
static HRESULT STDMETHODCALLTYPE Sup_CopyFolder(IMAPISupport *This, LPCIID lpSrcInterface,
    LPVOID lpSrcFolder, ULONG cbEntryID, LPENTRYID lpEntryID, LPCIID lpDestInterface,
    LPVOID lpDestFolder, LPTSTR lpszNewFolderName, ULONG_PTR ulUIParam,
    LPMAPIPROGRESS lpProgress, ULONG ulFlags) { NOSUP(CopyFolder); }
static HRESULT STDMETHODCALLTYPE Sup_DoCopyTo(IMAPISupport *This, LPCIID lpSrcInterface,
    LPVOID lpSrcObj, ULONG ciidExclude, LPCIID rgiidExclude, LPSPropTagArray lpExcludeProps,
    ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress, LPCIID lpDestInterface, LPVOID lpDestObj,
    ULONG ulFlags, LPSPropProblemArray *lppProblems)
{
    if (lppProblems)
        *lppProblems = NULL;
    NOSUP(DoCopyTo);
}
static HRESULT STDMETHODCALLTYPE Sup_DoCopyProps(IMAPISupport *This, LPCIID lpSrcInterface,
    LPVOID lpSrcObj, LPSPropTagArray lpIncludeProps, ULONG_PTR ulUIParam,
    LPMAPIPROGRESS lpProgress, LPCIID lpDestInterface, LPVOID lpDestObj, ULONG ulFlags,
    LPSPropProblemArray *lppProblems)
{
    if (lppProblems)
        *lppProblems = NULL;
    NOSUP(DoCopyProps);
}
static HRESULT STDMETHODCALLTYPE Sup_DoProgressDialog(IMAPISupport *This, ULONG_PTR ulUIParam,
    ULONG ulFlags, LPMAPIPROGRESS *lppProgress)
{
    if (lppProgress)
        *lppProgress = NULL;
    NOSUP(DoProgressDialog);
}
static HRESULT STDMETHODCALLTYPE Sup_ReadReceipt(IMAPISupport *This, ULONG ulFlags,
    LPMESSAGE lpReadMessage, LPMESSAGE *lppEmptyMessage)
{
    if (lppEmptyMessage)
        *lppEmptyMessage = NULL;
    NOSUP(ReadReceipt);
}
static HRESULT STDMETHODCALLTYPE Sup_PrepareSubmit(IMAPISupport *This, LPMESSAGE lpMessage,
    ULONG *lpulFlags) { NOSUP(PrepareSubmit); }
static HRESULT STDMETHODCALLTYPE Sup_ExpandRecips(IMAPISupport *This, LPMESSAGE lpMessage,
    ULONG *lpulFlags) { NOSUP(ExpandRecips); }
static HRESULT STDMETHODCALLTYPE Sup_UpdatePAB(IMAPISupport *This, ULONG ulFlags,
    LPMESSAGE lpMessage) { NOSUP(UpdatePAB); }
static HRESULT STDMETHODCALLTYPE Sup_DoSentMail(IMAPISupport *This, ULONG ulFlags,
    LPMESSAGE lpMessage) { NOSUP(DoSentMail); }
static HRESULT STDMETHODCALLTYPE Sup_OpenAddressBook(IMAPISupport *This, LPCIID lpInterface,
    ULONG ulFlags, LPADRBOOK *lppAdrBook)
{
    if (lppAdrBook)
        *lppAdrBook = NULL;
    NOSUP(OpenAddressBook);
}
static HRESULT STDMETHODCALLTYPE Sup_Preprocess(IMAPISupport *This, ULONG ulFlags,
    ULONG cbEntryID, LPENTRYID lpEntryID) { NOSUP(Preprocess); }
static HRESULT STDMETHODCALLTYPE Sup_CompleteMsg(IMAPISupport *This, ULONG ulFlags,
    ULONG cbEntryID, LPENTRYID lpEntryID) { NOSUP(CompleteMsg); }
static HRESULT STDMETHODCALLTYPE Sup_StoreLogoffTransports(IMAPISupport *This, ULONG *lpulFlags)
{ NOSUP(StoreLogoffTransports); }
static HRESULT STDMETHODCALLTYPE Sup_StatusRecips(IMAPISupport *This, LPMESSAGE lpMessage,
    LPADRLIST lpRecipList) { NOSUP(StatusRecips); }
static HRESULT STDMETHODCALLTYPE Sup_WrapStoreEntryID(IMAPISupport *This, ULONG cbOrigEntry,
    LPENTRYID lpOrigEntry, ULONG *lpcbWrappedEntry, LPENTRYID *lppWrappedEntry)
{
    if (lpcbWrappedEntry)
        *lpcbWrappedEntry = 0;
    if (lppWrappedEntry)
        *lppWrappedEntry = NULL;
    NOSUP(WrapStoreEntryID);
}
static HRESULT STDMETHODCALLTYPE Sup_ModifyProfile(IMAPISupport *This, ULONG ulFlags)
{ NOSUP(ModifyProfile); }
static HRESULT STDMETHODCALLTYPE Sup_IStorageFromStream(IMAPISupport *This, LPUNKNOWN lpUnkIn,
    LPCIID lpInterface, ULONG ulFlags, LPSTORAGE *lppStorageOut)
{
    if (lppStorageOut)
        *lppStorageOut = NULL;
    NOSUP(IStorageFromStream);
}
static HRESULT STDMETHODCALLTYPE Sup_GetSvcConfigSupportObj(IMAPISupport *This, ULONG ulFlags,
    LPMAPISUP *lppSvcSupport)
{
    if (lppSvcSupport)
        *lppSvcSupport = NULL;
    NOSUP(GetSvcConfigSupportObj);
}

/* ---- PrepareRecips (IAddrBook-side): per-logon sub-lists, results copied back ---- */

static int entry_uid(const ADRENTRY *e, MAPIUID *uid)
{
    const SPropValue *v = host_prop_find(e->cValues, e->rgPropVals, PR_ENTRYID);
    if (!v || v->Value.bin.cb < 4 + sizeof(MAPIUID) || !v->Value.bin.lpb)
        return 0;
    memcpy(uid, v->Value.bin.lpb + 4, sizeof(*uid));
    return 1;
}

HRESULT host_session_prepare_recips(host_session *s, ULONG ulFlags,
                                    LPSPropTagArray lpPropTagArray, LPADRLIST lpRecipList)
{
    HRESULT hr = S_OK;
    host_logon **owner = NULL;
    LPADRLIST sub = NULL;
    ULONG *map = NULL;
    ULONG n, cbsub = 0;

    if (!s || !lpRecipList)
        return MAPI_E_INVALID_PARAMETER;
    n = lpRecipList->cEntries;
    /* The sub-list may need all n entries: check its size before reading any of them. */
    hr = host__cb(offsetof(ADRLIST, aEntries), n ? n : 1, sizeof(ADRENTRY), &cbsub);
    if (FAILED(hr))
        return hr;
    owner = host__calloc(n ? n : 1, sizeof(*owner));
    if (!owner) {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto done;
    }
    /* Resolve every owner first, so an unknown UID changes nothing (MM-7). */
    for (ULONG i = 0; i < n; i++) {
        MAPIUID uid;
        ENTRYID *eid;
        SPropValue *v;
        if (!entry_uid(&lpRecipList->aEntries[i], &uid))
            continue;
        v = host_prop_find(lpRecipList->aEntries[i].cValues, lpRecipList->aEntries[i].rgPropVals,
                           PR_ENTRYID);
        eid = (ENTRYID *)(void *)v->Value.bin.lpb;
        hr = route_session(s, v->Value.bin.cb, eid, &owner[i]);
        if (FAILED(hr))
            goto done;
    }
    hr = host_MAPIAllocateBuffer(cbsub, (void **)&sub);
    if (FAILED(hr))
        goto done;
    map = host__calloc(n ? n : 1, sizeof(*map));
    if (!map) {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto done;
    }
    /* One call per owning logon with just its entries; results are copied back in place. */
    for (ULONG i = 0; i < n; i++) {
        host_logon *l = owner[i];
        ULONG k = 0;
        if (!l)
            continue;
        for (ULONG j = i; j < n; j++) {
            if (owner[j] == l) {
                map[k] = j;
                sub->aEntries[k++] = lpRecipList->aEntries[j];
            }
        }
        sub->cEntries = k;
        hr = IABLogon_PrepareRecips(l->ablogon, ulFlags, lpPropTagArray, sub);
        for (ULONG m = 0; m < k; m++) {
            lpRecipList->aEntries[map[m]] = sub->aEntries[m];
            host__logon_unpin(owner[map[m]]);
            owner[map[m]] = NULL;
        }
        if (FAILED(hr))
            goto done;
    }
done:
    if (owner)
        for (ULONG i = 0; i < n; i++)
            if (owner[i])
                host__logon_unpin(owner[i]);
    host__free(owner);
    host__free(map);
    (void)host_MAPIFreeBuffer(sub);
    return hr;
}

static const IMAPISupportVtbl host_support_vtbl = {
    Sup_QueryInterface,
    Sup_AddRef,
    Sup_Release,
    Sup_GetLastError,
    Sup_GetMemAllocRoutines,
    Sup_Subscribe,
    Sup_Unsubscribe,
    Sup_Notify,
    Sup_ModifyStatusRow,
    Sup_OpenProfileSection,
    Sup_RegisterPreprocessor,
    Sup_NewUID,
    Sup_MakeInvalid,
    Sup_SpoolerYield,
    Sup_SpoolerNotify,
    Sup_CreateOneOff,
    Sup_SetProviderUID,
    Sup_CompareEntryIDs,
    Sup_OpenTemplateID,
    Sup_OpenEntry,
    Sup_GetOneOffTable,
    Sup_Address,
    Sup_Details,
    Sup_NewEntry,
    Sup_DoConfigPropsheet,
    Sup_CopyMessages,
    Sup_CopyFolder,
    Sup_DoCopyTo,
    Sup_DoCopyProps,
    Sup_DoProgressDialog,
    Sup_ReadReceipt,
    Sup_PrepareSubmit,
    Sup_ExpandRecips,
    Sup_UpdatePAB,
    Sup_DoSentMail,
    Sup_OpenAddressBook,
    Sup_Preprocess,
    Sup_CompleteMsg,
    Sup_StoreLogoffTransports,
    Sup_StatusRecips,
    Sup_WrapStoreEntryID,
    Sup_ModifyProfile,
    Sup_IStorageFromStream,
    Sup_GetSvcConfigSupportObj,
};
