/* ldapab host: profile (sections keyed by MAPIUID) and the section data behind IProfSect. */
#include <string.h>
#include <ldapab_platform/random.h>

#include "host_internal.h"
#include "profsect_internal.h"
#include "ldapab_host/profile.h"
#include "ldapab_host/props.h"

struct host_profile {
    atomic_uint refs;
    plat_mutex lock;
    char *name;
    MAPIUID own;
    host_section **sections;
    size_t count;
};

void host__profile_addref(host_profile *p) { atomic_fetch_add(&p->refs, 1); }

void host_profile_release(host_profile *p)
{
    if (!p || atomic_fetch_sub(&p->refs, 1) != 1)
        return;
    for (size_t i = 0; i < p->count; i++)
        host__section_release(p->sections[i]);
    host__free(p->sections);
    host__free(p->name);
    plat_mutex_destroy(&p->lock);
    host__free(p);
}

HRESULT host_profile_new(const char *name, const MAPIUID *own_uid, host_profile **out)
{
    HRESULT hr = S_OK;
    host_profile *p = NULL;
    host_section *own = NULL;

    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    p = host__calloc(1, sizeof(*p));
    if (!p)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    atomic_init(&p->refs, 1);
    plat_mutex_init(&p->lock);
    p->name = host__strdup(name ? name : "ldapab");
    if (!p->name) {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto done;
    }
    if (own_uid) {
        p->own = *own_uid;
    } else if (plat_random(p->own.ab, sizeof(p->own.ab)) != 0) {
        hr = MAPI_E_CALL_FAILED;
        goto done;
    }
    hr = host__profile_section(p, &p->own, 1, &own);
    if (FAILED(hr))
        goto done;
    host__section_release(own);
    *out = p;
    p = NULL;
done:
    host_profile_release(p);
    return hr;
}

const char *host_profile_name(const host_profile *p) { return p ? p->name : NULL; }

HRESULT host_profile_own_uid(const host_profile *p, MAPIUID *out)
{
    if (!p || !out)
        return MAPI_E_INVALID_PARAMETER;
    *out = p->own;
    return S_OK;
}

HRESULT host__profile_section(host_profile *p, const MAPIUID *uid, int create,
                              host_section **out)
{
    HRESULT hr = S_OK;
    host_section *s = NULL;

    *out = NULL;
    if (!uid)
        uid = &p->own;
    plat_mutex_lock(&p->lock);
    for (size_t i = 0; i < p->count; i++) {
        if (!memcmp(host__section_uid(p->sections[i]), uid, sizeof(MAPIUID))) {
            s = p->sections[i];
            host__section_addref(s);
            goto done;
        }
    }
    if (!create) {
        hr = MAPI_E_NOT_FOUND;
        goto done;
    }
    host_section **grown = host__realloc(p->sections, (p->count + 1) * sizeof(*grown));
    if (!grown) {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto done;
    }
    p->sections = grown;
    hr = host__section_new(uid, &s);
    if (FAILED(hr))
        goto done;
    p->sections[p->count++] = s;
    host__section_addref(s);
done:
    plat_mutex_unlock(&p->lock);
    if (SUCCEEDED(hr))
        *out = s;
    return hr;
}

HRESULT host_profile_set_props(host_profile *p, const MAPIUID *uid, ULONG n,
                               const SPropValue *props)
{
    host_section *s = NULL;
    ULONG problems = 0;
    if (!p || (n && !props))
        return MAPI_E_INVALID_PARAMETER;
    HRESULT hr = host__profile_section(p, uid, 1, &s);
    if (FAILED(hr))
        return hr;
    hr = host__section_set(s, n, props, 1, 1, &problems, NULL);
    host__section_release(s);
    if (SUCCEEDED(hr) && problems)
        hr = MAPI_E_INVALID_PARAMETER;
    return hr;
}

HRESULT host_profile_get_props(host_profile *p, const MAPIUID *uid, const SPropTagArray *tags,
                               ULONG ulFlags, ULONG *count, LPSPropValue *out)
{
    host_section *s = NULL;
    if (!p || !count || !out)
        return MAPI_E_INVALID_PARAMETER;
    *count = 0;
    *out = NULL;
    HRESULT hr = host__profile_section(p, uid, 0, &s);
    if (FAILED(hr))
        return hr;
    hr = host__section_get(s, tags, ulFlags, count, out);
    host__section_release(s);
    return hr;
}

HRESULT host_profile_open_section(host_profile *p, const MAPIUID *uid, ULONG ulFlags,
                                  LPPROFSECT *out)
{
    host_section *s = NULL;
    if (!p || !out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (ulFlags & ~(ULONG)(MAPI_MODIFY | MAPI_DEFERRED_ERRORS))
        return MAPI_E_UNKNOWN_FLAGS;
    HRESULT hr = host__profile_section(p, uid, (ulFlags & MAPI_MODIFY) != 0, &s);
    if (FAILED(hr))
        return hr;
    hr = host__profsect_open(s, (ulFlags & MAPI_MODIFY) != 0, out);
    host__section_release(s);
    return hr;
}

static void dump_value(FILE *f, const SPropValue *v)
{
    if (host_prop_is_secure(v->ulPropTag)) {
        fputs("<secure>", f);
        return;
    }
    switch (PROP_TYPE(v->ulPropTag)) {
    case PT_LONG: fprintf(f, "%ld", (long)v->Value.l); break;
    case PT_BOOLEAN: fprintf(f, "%s", v->Value.b ? "true" : "false"); break;
    case PT_STRING8: fprintf(f, "\"%s\"", v->Value.lpszA ? v->Value.lpszA : ""); break;
    case PT_UNICODE: {
        char *s = NULL;
        if (v->Value.lpszW && SUCCEEDED(host_utf16_to_utf8(v->Value.lpszW, &s)))
            fprintf(f, "L\"%s\"", s);
        else
            fputs("L<unprintable>", f);
        (void)host_MAPIFreeBuffer(s);
        break;
    }
    case PT_BINARY:
        fprintf(f, "<%lu bytes>", (unsigned long)v->Value.bin.cb);
        for (ULONG i = 0; i < v->Value.bin.cb && i < 32; i++)
            fprintf(f, "%s%02X", i ? "" : " ", v->Value.bin.lpb[i]);
        break;
    default: fputs("<value>", f); break;
    }
}

void host_profile_dump(host_profile *p, FILE *f)
{
    if (!p || !f)
        return;
    fprintf(f, "profile \"%s\"\n", p->name);
    plat_mutex_lock(&p->lock);
    for (size_t i = 0; i < p->count; i++) {
        ULONG n = 0;
        LPSPropValue vals = NULL;
        const MAPIUID *u = host__section_uid(p->sections[i]);
        fputs("  section ", f);
        for (int b = 0; b < 16; b++)
            fprintf(f, "%02X", u->ab[b]);
        fputs(!memcmp(u, &p->own, sizeof(*u)) ? " (own)\n" : "\n", f);
        if (FAILED(host__section_get(p->sections[i], NULL, 0, &n, &vals)))
            continue;
        for (ULONG j = 0; j < n; j++) {
            fprintf(f, "    %08lX = ", (unsigned long)vals[j].ulPropTag);
            dump_value(f, &vals[j]);
            fputc('\n', f);
        }
        (void)host_MAPIFreeBuffer(vals);
    }
    plat_mutex_unlock(&p->lock);
}
