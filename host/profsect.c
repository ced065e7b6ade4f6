/*
 * ldapab host: profile-section data and the IProfSect object over it.
 * Section data is shared by every IProfSect opened on it and by the profile; each value
 * is its own MAPI root (one-value copies), so replacing a value frees exactly its memory.
 */
#include <string.h>

#include "host_internal.h"
#include "profsect_internal.h"
#include "ldapab_host/profile.h"
#include "ldapab_host/props.h"

struct host_section {
    atomic_uint refs;
    plat_mutex lock;
    MAPIUID uid;
    LPSPropValue *vals;   /* each a root holding one value */
    ULONG count;
};

HRESULT host__section_new(const MAPIUID *uid, host_section **out)
{
    host_section *s = host__calloc(1, sizeof(*s));
    *out = NULL;
    if (!s)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    atomic_init(&s->refs, 1);
    plat_mutex_init(&s->lock);
    s->uid = *uid;
    *out = s;
    return S_OK;
}

void host__section_addref(host_section *s) { atomic_fetch_add(&s->refs, 1); }

void host__section_release(host_section *s)
{
    if (!s || atomic_fetch_sub(&s->refs, 1) != 1)
        return;
    for (ULONG i = 0; i < s->count; i++)
        (void)host_MAPIFreeBuffer(s->vals[i]);
    host__free(s->vals);
    plat_mutex_destroy(&s->lock);
    host__free(s);
}

const MAPIUID *host__section_uid(const host_section *s) { return &s->uid; }

/* Caller holds s->lock. */
static LPSPropValue find_id_locked(host_section *s, ULONG id, ULONG *index)
{
    for (ULONG i = 0; i < s->count; i++) {
        if (PROP_ID(s->vals[i]->ulPropTag) == id) {
            if (index)
                *index = i;
            return s->vals[i];
        }
    }
    return NULL;
}

/* The tag a stored value is listed under for ulFlags: single strings in the asked width. */
static ULONG listed_tag(ULONG tag, ULONG ulFlags)
{
    ULONG t = PROP_TYPE(tag);
    if (t == PT_STRING8 && (ulFlags & MAPI_UNICODE))
        return CHANGE_PROP_TYPE(tag, PT_UNICODE);
    if (t == PT_UNICODE && !(ulFlags & MAPI_UNICODE))
        return CHANGE_PROP_TYPE(tag, PT_STRING8);
    return tag;
}

/* Fills out (chained onto root) with stored value v as requested by tag. */
static HRESULT fill_one(LPSPropValue out, const SPropValue *v, ULONG tag, ULONG ulFlags,
                        LPVOID root)
{
    ULONG want = PROP_TYPE(tag);
    ULONG have = v ? PROP_TYPE(v->ulPropTag) : PT_UNSPECIFIED;
    HRESULT hr = S_OK;

    memset(out, 0, sizeof(*out));
    if (!v)
        goto missing;
    if (want == PT_UNSPECIFIED)
        want = PROP_TYPE(listed_tag(v->ulPropTag, ulFlags));
    if (want == have)
        return host_prop_copy_more(out, v, root);
    if (want == PT_STRING8 && have == PT_UNICODE) {
        out->ulPropTag = CHANGE_PROP_TYPE(tag, PT_STRING8);
        hr = host_utf16_to_utf8_more(v->Value.lpszW, root, &out->Value.lpszA);
    } else if (want == PT_UNICODE && have == PT_STRING8) {
        out->ulPropTag = CHANGE_PROP_TYPE(tag, PT_UNICODE);
        hr = host_utf8_to_utf16_more(v->Value.lpszA, root, &out->Value.lpszW);
    } else {
        goto missing;
    }
    if (hr == MAPI_E_BAD_CHARWIDTH) {
        out->ulPropTag = CHANGE_PROP_TYPE(tag, PT_ERROR);
        out->Value.err = MAPI_E_BAD_CHARWIDTH;
        return S_OK;
    }
    return hr;
missing:
    out->ulPropTag = CHANGE_PROP_TYPE(tag, PT_ERROR);
    out->Value.err = MAPI_E_NOT_FOUND;
    return S_OK;
}

HRESULT host__section_get(host_section *s, const SPropTagArray *tags, ULONG ulFlags,
                          ULONG *count, LPSPropValue *out)
{
    HRESULT hr = S_OK;
    LPSPropValue arr = NULL;
    ULONG n = 0, errors = 0;

    if (!count || !out)
        return MAPI_E_INVALID_PARAMETER;
    *count = 0;
    *out = NULL;
    if (ulFlags & ~(ULONG)MAPI_UNICODE)
        return MAPI_E_UNKNOWN_FLAGS;
    if (tags && tags->cValues == 0)
        return MAPI_E_INVALID_PARAMETER;
    ULONG cb = 0;
    plat_mutex_lock(&s->lock);
    n = tags ? tags->cValues : s->count;
    hr = host__cb(0, n, sizeof(SPropValue), &cb);
    if (FAILED(hr))
        goto done;
    /* Zero values (an empty section asked for everything) still yields a root. */
    hr = host_MAPIAllocateBuffer(cb, (void **)&arr);
    if (FAILED(hr))
        goto done;
    for (ULONG i = 0; i < n; i++) {
        const SPropValue *v;
        ULONG tag;
        if (tags) {
            tag = tags->aulPropTag[i];
            v = find_id_locked(s, PROP_ID(tag), NULL);
        } else {
            v = s->vals[i];
            tag = listed_tag(v->ulPropTag, ulFlags);
        }
        hr = fill_one(&arr[i], v, tag, ulFlags, arr);
        if (FAILED(hr))
            goto done;
        if (PROP_TYPE(arr[i].ulPropTag) == PT_ERROR && (!v || PROP_TYPE(v->ulPropTag) != PT_ERROR))
            errors++;
    }
    *count = n;
    *out = arr;
    arr = NULL;
    hr = errors ? MAPI_W_ERRORS_RETURNED : S_OK;
done:
    plat_mutex_unlock(&s->lock);
    (void)host_MAPIFreeBuffer(arr);
    return hr;
}

static HRESULT section_list(host_section *s, ULONG ulFlags, LPSPropTagArray *out)
{
    HRESULT hr = S_OK;
    LPSPropTagArray a = NULL;
    ULONG cb = 0;
    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (ulFlags & ~(ULONG)MAPI_UNICODE)
        return MAPI_E_UNKNOWN_FLAGS;
    plat_mutex_lock(&s->lock);
    hr = host__cb(offsetof(SPropTagArray, aulPropTag), s->count, sizeof(ULONG), &cb);
    if (SUCCEEDED(hr))
        hr = host_MAPIAllocateBuffer(cb, (void **)&a);
    if (SUCCEEDED(hr)) {
        a->cValues = s->count;
        for (ULONG i = 0; i < s->count; i++)
            a->aulPropTag[i] = listed_tag(s->vals[i]->ulPropTag, ulFlags);
        *out = a;
    }
    plat_mutex_unlock(&s->lock);
    return hr;
}

/* Why a value cannot be stored, or S_OK. */
static SCODE reject_reason(const SPropValue *v)
{
    ULONG id = PROP_ID(v->ulPropTag), t = PROP_TYPE(v->ulPropTag);
    if (id == PROP_ID_NULL || id == PROP_ID_INVALID)
        return MAPI_E_INVALID_PARAMETER;
    if (t == PT_ERROR || t == PT_UNSPECIFIED || t == PT_OBJECT || t == PT_NULL)
        return MAPI_E_INVALID_TYPE;
    return S_OK;
}

HRESULT host__section_set(host_section *s, ULONG n, const SPropValue *props, int writable,
                          int strict, ULONG *nproblems, LPSPropProblemArray *problems)
{
    HRESULT hr = S_OK;
    LPSPropValue *copies = NULL;
    LPSPropProblemArray parr = NULL;
    ULONG nbad = 0, cbprob = 0;

    *nproblems = 0;
    if (problems)
        *problems = NULL;
    if (!props && n)
        return MAPI_E_INVALID_PARAMETER;
    if (!writable)
        return MAPI_E_NO_ACCESS;
    /*
     * Every value may turn out to be a problem, and the problem array is one ULONG-sized
     * MAPI buffer: refuse a count it could not describe before reading any value.
     */
    hr = host__cb(offsetof(SPropProblemArray, aProblem), n, sizeof(SPropProblem), &cbprob);
    if (FAILED(hr))
        return hr;
    copies = host__calloc(n ? n : 1, sizeof(*copies));
    if (!copies)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    /* Copy and judge everything first, so that a failure leaves the section unchanged. */
    for (ULONG i = 0; i < n; i++) {
        SCODE why = reject_reason(&props[i]);
        if (why == S_OK) {
            hr = host__props_copy(1, &props[i], &copies[i]);
            if (hr == MAPI_E_INVALID_TYPE || hr == MAPI_E_INVALID_PARAMETER) {
                why = hr;
                hr = S_OK;
            } else if (FAILED(hr)) {
                goto done;
            }
        }
        if (why != S_OK)
            nbad++;
    }
    if (nbad && strict) {
        *nproblems = nbad;
        goto done;
    }
    if (nbad && problems) {
        /* nbad <= n, so this fits: cbprob was checked for n above. */
        hr = host_MAPIAllocateBuffer((ULONG)CbNewSPropProblemArray(nbad), (void **)&parr);
        if (FAILED(hr))
            goto done;
        parr->cProblem = 0;
        for (ULONG i = 0; i < n; i++) {
            if (copies[i])
                continue;
            SCODE why = reject_reason(&props[i]);
            SPropProblem *pb = &parr->aProblem[parr->cProblem++];
            pb->ulIndex = i;
            pb->ulPropTag = props[i].ulPropTag;
            pb->scode = why != S_OK ? why : MAPI_E_INVALID_TYPE;
        }
    }
    plat_mutex_lock(&s->lock);
    LPSPropValue *grown = host__realloc(s->vals, ((size_t)s->count + n + 1) * sizeof(*grown));
    if (!grown) {
        plat_mutex_unlock(&s->lock);
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto done;
    }
    s->vals = grown;
    for (ULONG i = 0; i < n; i++) {
        ULONG at = 0;
        if (!copies[i])
            continue;
        if (find_id_locked(s, PROP_ID(copies[i]->ulPropTag), &at)) {
            LPSPropValue old = s->vals[at];
            s->vals[at] = copies[i];
            copies[i] = old;   /* freed below, outside nothing but our own memory */
        } else {
            s->vals[s->count++] = copies[i];
            copies[i] = NULL;
        }
    }
    plat_mutex_unlock(&s->lock);
    *nproblems = nbad;
    if (problems) {
        *problems = parr;
        parr = NULL;
    }
done:
    for (ULONG i = 0; i < n; i++)
        (void)host_MAPIFreeBuffer(copies[i]);
    host__free(copies);
    (void)host_MAPIFreeBuffer(parr);
    return hr;
}

static HRESULT section_delete(host_section *s, const SPropTagArray *tags)
{
    plat_mutex_lock(&s->lock);
    for (ULONG t = 0; t < tags->cValues; t++) {
        ULONG at = 0;
        if (!find_id_locked(s, PROP_ID(tags->aulPropTag[t]), &at))
            continue;
        (void)host_MAPIFreeBuffer(s->vals[at]);
        memmove(&s->vals[at], &s->vals[at + 1], (s->count - at - 1) * sizeof(*s->vals));
        s->count--;
    }
    plat_mutex_unlock(&s->lock);
    return S_OK;
}

/* ---------------- IProfSect ---------------- */

typedef struct host_profsect {
    IProfSect IProfSect_iface;
    atomic_uint refs;
    host_section *section;
    int modify;
    host_err err;
} host_profsect;

static const IProfSectVtbl host_profsect_vtbl;
static atomic_size_t g_live_profsects;

static host_profsect *impl_from_IProfSect(IProfSect *iface)
{
    return HOST_CONTAINER_OF(iface, host_profsect, IProfSect_iface);
}

HRESULT host__profsect_open(host_section *s, int modify, LPPROFSECT *out)
{
    host_profsect *ps = host__calloc(1, sizeof(*ps));
    *out = NULL;
    if (!ps)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    ps->IProfSect_iface.lpVtbl = &host_profsect_vtbl;
    atomic_init(&ps->refs, 1);
    host__section_addref(s);
    ps->section = s;
    ps->modify = modify;
    host__err_init(&ps->err);
    atomic_fetch_add(&g_live_profsects, 1);
    *out = &ps->IProfSect_iface;
    return S_OK;
}

ULONG host_profsect_refcount(LPPROFSECT s)
{
    if (!s || s->lpVtbl != &host_profsect_vtbl)
        return 0;
    return atomic_load(&impl_from_IProfSect(s)->refs);
}

size_t host_profsect_live_objects(void) { return atomic_load(&g_live_profsects); }

static HRESULT STDMETHODCALLTYPE ProfSect_QueryInterface(IProfSect *This, REFIID riid, LPVOID *ppv)
{
    if (!ppv)
        return MAPI_E_INVALID_PARAMETER;
    *ppv = NULL;
    if (!riid)
        return MAPI_E_INVALID_PARAMETER;
    if (memcmp(riid, &IID_IUnknown, sizeof(IID)) && memcmp(riid, &IID_IMAPIProp, sizeof(IID)) &&
        memcmp(riid, &IID_IProfSect, sizeof(IID)))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    atomic_fetch_add(&impl_from_IProfSect(This)->refs, 1);
    *ppv = This;
    return S_OK;
}

static ULONG STDMETHODCALLTYPE ProfSect_AddRef(IProfSect *This)
{
    return atomic_fetch_add(&impl_from_IProfSect(This)->refs, 1) + 1;
}

static ULONG STDMETHODCALLTYPE ProfSect_Release(IProfSect *This)
{
    host_profsect *ps = impl_from_IProfSect(This);
    ULONG left = atomic_fetch_sub(&ps->refs, 1) - 1;
    if (left == 0) {
        host__section_release(ps->section);
        host__err_destroy(&ps->err);
        atomic_fetch_sub(&g_live_profsects, 1);
        host__free(ps);
    }
    return left;
}

static HRESULT STDMETHODCALLTYPE ProfSect_GetLastError(IProfSect *This, HRESULT hResult,
                                                       ULONG ulFlags, LPMAPIERROR *lppMAPIError)
{
    return host__err_get(&impl_from_IProfSect(This)->err, hResult, ulFlags, lppMAPIError);
}

static HRESULT STDMETHODCALLTYPE ProfSect_SaveChanges(IProfSect *This, ULONG ulFlags)
{
    if (ulFlags & ~(ULONG)(KEEP_OPEN_READONLY | KEEP_OPEN_READWRITE | FORCE_SAVE |
                           MAPI_DEFERRED_ERRORS))
        return MAPI_E_UNKNOWN_FLAGS;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE ProfSect_GetProps(IProfSect *This, LPSPropTagArray lpPropTagArray,
                                                   ULONG ulFlags, ULONG *lpcValues,
                                                   LPSPropValue *lppPropArray)
{
    host_profsect *ps = impl_from_IProfSect(This);
    HRESULT hr = host__section_get(ps->section, lpPropTagArray, ulFlags, lpcValues, lppPropArray);
    if (FAILED(hr))
        host__err_set(&ps->err, hr, "IProfSect::GetProps failed (0x%08lX)", (unsigned long)hr);
    return hr;
}

static HRESULT STDMETHODCALLTYPE ProfSect_GetPropList(IProfSect *This, ULONG ulFlags,
                                                      LPSPropTagArray *lppPropTagArray)
{
    return section_list(impl_from_IProfSect(This)->section, ulFlags, lppPropTagArray);
}

static HRESULT STDMETHODCALLTYPE ProfSect_OpenProperty(IProfSect *This, ULONG ulPropTag,
                                                       LPCIID lpiid, ULONG ulInterfaceOptions,
                                                       ULONG ulFlags, LPUNKNOWN *lppUnk)
{
    if (lppUnk)
        *lppUnk = NULL;
    return host__err_set(&impl_from_IProfSect(This)->err, MAPI_E_NO_SUPPORT,
                         "IProfSect::OpenProperty is not supported by this host");
}

/* SetProps and DeleteProps on a section opened without MAPI_MODIFY. */
static HRESULT refuse_read_only(host_profsect *ps)
{
    return host__err_set(&ps->err, MAPI_E_NO_ACCESS,
                         "profile section was opened read-only (no MAPI_MODIFY)");
}

static HRESULT STDMETHODCALLTYPE ProfSect_SetProps(IProfSect *This, ULONG cValues,
                                                   LPSPropValue lpPropArray,
                                                   LPSPropProblemArray *lppProblems)
{
    host_profsect *ps = impl_from_IProfSect(This);
    ULONG nbad = 0;
    if (lppProblems)
        *lppProblems = NULL;
    if (!lpPropArray)
        return MAPI_E_INVALID_PARAMETER;
    if (!ps->modify)
        return refuse_read_only(ps);
    return host__section_set(ps->section, cValues, lpPropArray, 1, 0, &nbad, lppProblems);
}

static HRESULT STDMETHODCALLTYPE ProfSect_DeleteProps(IProfSect *This,
                                                      LPSPropTagArray lpPropTagArray,
                                                      LPSPropProblemArray *lppProblems)
{
    host_profsect *ps = impl_from_IProfSect(This);
    if (lppProblems)
        *lppProblems = NULL;
    if (!lpPropTagArray)
        return MAPI_E_INVALID_PARAMETER;
    if (!ps->modify)
        return refuse_read_only(ps);
    return section_delete(ps->section, lpPropTagArray);
}

static HRESULT STDMETHODCALLTYPE ProfSect_CopyTo(IProfSect *This, ULONG ciidExclude,
                                                 LPCIID rgiidExclude, LPSPropTagArray lpExcludeProps,
                                                 ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                                                 LPCIID lpInterface, LPVOID lpDestObj,
                                                 ULONG ulFlags, LPSPropProblemArray *lppProblems)
{
    if (lppProblems)
        *lppProblems = NULL;
    return host__err_set(&impl_from_IProfSect(This)->err, MAPI_E_NO_SUPPORT,
                         "IProfSect::CopyTo is not supported by this host");
}

static HRESULT STDMETHODCALLTYPE ProfSect_CopyProps(IProfSect *This, LPSPropTagArray lpIncludeProps,
                                                    ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                                                    LPCIID lpInterface, LPVOID lpDestObj,
                                                    ULONG ulFlags, LPSPropProblemArray *lppProblems)
{
    if (lppProblems)
        *lppProblems = NULL;
    return host__err_set(&impl_from_IProfSect(This)->err, MAPI_E_NO_SUPPORT,
                         "IProfSect::CopyProps is not supported by this host");
}

static HRESULT STDMETHODCALLTYPE ProfSect_GetNamesFromIDs(IProfSect *This,
                                                          LPSPropTagArray *lppPropTags,
                                                          LPGUID lpPropSetGuid, ULONG ulFlags,
                                                          ULONG *lpcPropNames,
                                                          LPMAPINAMEID **lpppPropNames)
{
    if (lpcPropNames)
        *lpcPropNames = 0;
    if (lpppPropNames)
        *lpppPropNames = NULL;
    return host__err_set(&impl_from_IProfSect(This)->err, MAPI_E_NO_SUPPORT,
                         "IProfSect::GetNamesFromIDs is not supported by this host");
}

static HRESULT STDMETHODCALLTYPE ProfSect_GetIDsFromNames(IProfSect *This, ULONG cPropNames,
                                                          LPMAPINAMEID *lppPropNames,
                                                          ULONG ulFlags,
                                                          LPSPropTagArray *lppPropTags)
{
    if (lppPropTags)
        *lppPropTags = NULL;
    return host__err_set(&impl_from_IProfSect(This)->err, MAPI_E_NO_SUPPORT,
                         "IProfSect::GetIDsFromNames is not supported by this host");
}

static const IProfSectVtbl host_profsect_vtbl = {
    ProfSect_QueryInterface,
    ProfSect_AddRef,
    ProfSect_Release,
    ProfSect_GetLastError,
    ProfSect_SaveChanges,
    ProfSect_GetProps,
    ProfSect_GetPropList,
    ProfSect_OpenProperty,
    ProfSect_SetProps,
    ProfSect_DeleteProps,
    ProfSect_CopyTo,
    ProfSect_CopyProps,
    ProfSect_GetNamesFromIDs,
    ProfSect_GetIDsFromNames,
};
