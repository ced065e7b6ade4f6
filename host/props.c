/* ldapab host: copying property values, freeing rows, tag arrays, UTF-8/UTF-16. */
#include <string.h>

#include "host_internal.h"
#include "ldapab_host/props.h"

int host_prop_is_secure(ULONG tag)
{
    ULONG id = PROP_ID(tag);
    return id >= HOST_PROP_ID_SECURE_MIN && id <= HOST_PROP_ID_SECURE_MAX;
}

/* Chains a copy of n elements of elem bytes from src onto root (size checked first). */
static HRESULT dup_more(const void *src, size_t n, size_t elem, LPVOID root, void **out)
{
    ULONG cb = 0;
    void *p = NULL;
    *out = NULL;
    HRESULT hr = host__cb(0, n, elem, &cb);
    if (FAILED(hr))
        return hr;
    hr = host_MAPIAllocateMore(cb, root, &p);
    if (FAILED(hr))
        return hr;
    if (cb)
        memcpy(p, src, cb);
    *out = p;
    return S_OK;
}

static HRESULT str_more(const char *s, LPVOID root, LPSTR *out)
{
    size_t len = strlen(s);
    if (len >= UINT32_MAX) /* len + 1 must neither wrap nor exceed a ULONG */
        return MAPI_E_NOT_ENOUGH_MEMORY;
    return dup_more(s, len + 1, 1, root, (void **)out);
}

static HRESULT wstr_more(const WCHAR *s, LPVOID root, LPWSTR *out)
{
    size_t len = host_utf16_len(s);
    if (len >= UINT32_MAX / sizeof(WCHAR))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    return dup_more(s, len + 1, sizeof(WCHAR), root, (void **)out);
}

/* Chains an array of n pointers onto root, all NULL (size checked first). */
static HRESULT ptr_array_more(ULONG n, LPVOID root, void **out)
{
    ULONG cb = 0;
    void *p = NULL;
    *out = NULL;
    HRESULT hr = host__cb(0, n, sizeof(void *), &cb);
    if (FAILED(hr))
        return hr;
    hr = host_MAPIAllocateMore(cb, root, &p);
    if (FAILED(hr))
        return hr;
    memset(p, 0, cb);
    *out = p;
    return S_OK;
}

/* Element size of a fixed-size MV type's array, 0 if the type is not one. */
static size_t mv_elem_size(ULONG base)
{
    switch (base) {
    case PT_I2: return sizeof(short);
    case PT_LONG: return sizeof(LONG);
    case PT_R4: return sizeof(float);
    case PT_DOUBLE: return sizeof(double);
    case PT_CURRENCY: return sizeof(CURRENCY);
    case PT_APPTIME: return sizeof(double);
    case PT_SYSTIME: return sizeof(FILETIME);
    case PT_CLSID: return sizeof(GUID);
    case PT_I8: return sizeof(LARGE_INTEGER);
    default: return 0;
    }
}

HRESULT host_prop_copy_more(LPSPropValue dst, const SPropValue *src, LPVOID root)
{
    HRESULT hr = S_OK;
    ULONG type = 0;

    if (!dst || !src || !root)
        return MAPI_E_INVALID_PARAMETER;
    type = PROP_TYPE(src->ulPropTag) & ~(ULONG)MV_INSTANCE;
    /* Start from a bitwise copy, then replace every pointer with a chained copy. */
    *dst = *src;
    switch (type) {
    case PT_UNSPECIFIED: case PT_NULL: case PT_I2: case PT_LONG: case PT_R4:
    case PT_DOUBLE: case PT_CURRENCY: case PT_APPTIME: case PT_ERROR: case PT_BOOLEAN:
    case PT_OBJECT: case PT_I8: case PT_SYSTIME: case PT_PTR:
        return S_OK;
    case PT_STRING8:
        dst->Value.lpszA = NULL;
        if (!src->Value.lpszA)
            return S_OK;
        return str_more(src->Value.lpszA, root, &dst->Value.lpszA);
    case PT_UNICODE:
        dst->Value.lpszW = NULL;
        if (!src->Value.lpszW)
            return S_OK;
        return wstr_more(src->Value.lpszW, root, &dst->Value.lpszW);
    case PT_BINARY:
        dst->Value.bin.lpb = NULL;
        if (src->Value.bin.cb && !src->Value.bin.lpb)
            return MAPI_E_INVALID_PARAMETER;
        return dup_more(src->Value.bin.lpb, src->Value.bin.cb, 1, root,
                        (void **)&dst->Value.bin.lpb);
    case PT_CLSID:
        dst->Value.lpguid = NULL;
        if (!src->Value.lpguid)
            return S_OK;
        return dup_more(src->Value.lpguid, 1, sizeof(GUID), root, (void **)&dst->Value.lpguid);
    case PT_MV_BINARY: {
        ULONG n = src->Value.MVbin.cValues;
        SBinary *arr = NULL;
        dst->Value.MVbin.lpbin = NULL;
        if (n && !src->Value.MVbin.lpbin)
            return MAPI_E_INVALID_PARAMETER;
        hr = dup_more(src->Value.MVbin.lpbin, n, sizeof(SBinary), root, (void **)&arr);
        if (FAILED(hr))
            return hr;
        for (ULONG i = 0; i < n; i++)
            arr[i].lpb = NULL;
        dst->Value.MVbin.lpbin = arr;
        for (ULONG i = 0; i < n; i++) {
            const SBinary *s = &src->Value.MVbin.lpbin[i];
            if (s->cb && !s->lpb)
                return MAPI_E_INVALID_PARAMETER;
            hr = dup_more(s->lpb, s->cb, 1, root, (void **)&arr[i].lpb);
            if (FAILED(hr))
                return hr;
        }
        return S_OK;
    }
    case PT_MV_STRING8: {
        ULONG n = src->Value.MVszA.cValues;
        LPSTR *arr = NULL;
        dst->Value.MVszA.lppszA = NULL;
        if (n && !src->Value.MVszA.lppszA)
            return MAPI_E_INVALID_PARAMETER;
        hr = ptr_array_more(n, root, (void **)&arr);
        if (FAILED(hr))
            return hr;
        dst->Value.MVszA.lppszA = arr;
        for (ULONG i = 0; i < n; i++) {
            if (!src->Value.MVszA.lppszA[i])
                return MAPI_E_INVALID_PARAMETER;
            hr = str_more(src->Value.MVszA.lppszA[i], root, &arr[i]);
            if (FAILED(hr))
                return hr;
        }
        return S_OK;
    }
    case PT_MV_UNICODE: {
        ULONG n = src->Value.MVszW.cValues;
        LPWSTR *arr = NULL;
        dst->Value.MVszW.lppszW = NULL;
        if (n && !src->Value.MVszW.lppszW)
            return MAPI_E_INVALID_PARAMETER;
        hr = ptr_array_more(n, root, (void **)&arr);
        if (FAILED(hr))
            return hr;
        dst->Value.MVszW.lppszW = arr;
        for (ULONG i = 0; i < n; i++) {
            if (!src->Value.MVszW.lppszW[i])
                return MAPI_E_INVALID_PARAMETER;
            hr = wstr_more(src->Value.MVszW.lppszW[i], root, &arr[i]);
            if (FAILED(hr))
                return hr;
        }
        return S_OK;
    }
    default:
        if ((type & MV_FLAG) && mv_elem_size(type & ~(ULONG)MV_FLAG)) {
            /* Every fixed-size MV array has the shape { ULONG cValues; T *p; }. */
            ULONG n = src->Value.MVl.cValues;
            const void *from = src->Value.MVl.lpl;
            void *to = NULL;
            dst->Value.MVl.lpl = NULL;
            if (n && !from)
                return MAPI_E_INVALID_PARAMETER;
            hr = dup_more(from, n, mv_elem_size(type & ~(ULONG)MV_FLAG), root, &to);
            if (FAILED(hr))
                return hr;
            dst->Value.MVl.lpl = to;
            return S_OK;
        }
        /* Leave nothing that points into the caller's data. */
        memset(&dst->Value, 0, sizeof(dst->Value));
        return MAPI_E_INVALID_TYPE;
    }
}

HRESULT host__props_copy(ULONG n, const SPropValue *src, LPSPropValue *out)
{
    HRESULT hr = S_OK;
    LPSPropValue arr = NULL;
    ULONG cb = 0;

    if (!out || (n && !src))
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    hr = host__cb(0, n, sizeof(SPropValue), &cb);
    if (FAILED(hr))
        return hr;
    hr = host_MAPIAllocateBuffer(cb, (void **)&arr);
    if (FAILED(hr))
        goto done;
    for (ULONG i = 0; i < n; i++) {
        hr = host_prop_copy_more(&arr[i], &src[i], arr);
        if (FAILED(hr))
            goto done;
    }
    *out = arr;
    arr = NULL;
done:
    (void)host_MAPIFreeBuffer(arr);
    return hr;
}

HRESULT host_props_copy(ULONG n, const SPropValue *src, LPSPropValue *out)
{
    return host__props_copy(n, src, out);
}

LPSPropValue host_prop_find(ULONG n, const SPropValue *props, ULONG tag)
{
    if (!props)
        return NULL;
    for (ULONG i = 0; i < n; i++) {
        if (props[i].ulPropTag == tag ||
            (PROP_TYPE(tag) == PT_UNSPECIFIED && PROP_ID(props[i].ulPropTag) == PROP_ID(tag)))
            return (LPSPropValue)&props[i];
    }
    return NULL;
}

void host_FreeProws(LPSRowSet rows)
{
    if (!rows)
        return;
    for (ULONG i = 0; i < rows->cRows; i++)
        (void)host_MAPIFreeBuffer(rows->aRow[i].lpProps);
    (void)host_MAPIFreeBuffer(rows);
}

void host_FreePadrlist(LPADRLIST list)
{
    if (!list)
        return;
    for (ULONG i = 0; i < list->cEntries; i++)
        (void)host_MAPIFreeBuffer(list->aEntries[i].rgPropVals);
    (void)host_MAPIFreeBuffer(list);
}

HRESULT host_tag_array_new(ULONG n, const ULONG *tags, LPSPropTagArray *out)
{
    LPSPropTagArray a = NULL;
    ULONG cb = 0;
    if (!out || (n && !tags))
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    HRESULT hr = host__cb(offsetof(SPropTagArray, aulPropTag), n, sizeof(ULONG), &cb);
    if (FAILED(hr))
        return hr;
    hr = host_MAPIAllocateBuffer(cb, (void **)&a);
    if (FAILED(hr))
        return hr;
    a->cValues = n;
    if (n)
        memcpy(a->aulPropTag, tags, (size_t)n * sizeof(ULONG));
    *out = a;
    return S_OK;
}

/* ---- UTF-8 / UTF-16 ---- */

size_t host_utf16_len(const WCHAR *s)
{
    size_t n = 0;
    if (!s)
        return 0;
    while (s[n])
        n++;
    return n;
}

/* Decodes one code point at *p (advancing it); -1 if malformed. */
static long utf8_next(const unsigned char **p)
{
    const unsigned char *s = *p;
    long cp;
    int extra;
    if (s[0] < 0x80) { cp = s[0]; extra = 0; }
    else if ((s[0] & 0xE0) == 0xC0) { cp = s[0] & 0x1F; extra = 1; }
    else if ((s[0] & 0xF0) == 0xE0) { cp = s[0] & 0x0F; extra = 2; }
    else if ((s[0] & 0xF8) == 0xF0) { cp = s[0] & 0x07; extra = 3; }
    else return -1;
    for (int i = 1; i <= extra; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    static const long min_for[4] = { 0, 0x80, 0x800, 0x10000 };
    if (cp < min_for[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *p = s + extra + 1;
    return cp;
}

/*
 * Counts the UTF-16 units needed for utf8: -1 if malformed, -2 as soon as the count
 * passes max (the caller cannot allocate that much, so there is no point reading on).
 */
static long long utf8_units(const char *utf8, size_t max)
{
    const unsigned char *p = (const unsigned char *)utf8;
    const unsigned char *end = p + strlen(utf8);
    size_t units = 0;
    while (p < end) {
        uint64_t w;
        /* ASCII runs (one unit per byte) eight at a time, never reading past the NUL. */
        if (end - p >= 8 && (memcpy(&w, p, 8), (w & UINT64_C(0x8080808080808080)) == 0)) {
            p += 8;
            units += 8;
        } else {
            long cp = utf8_next(&p);
            if (cp < 0)
                return -1;
            units += cp >= 0x10000 ? 2 : 1;
        }
        if (units > max)
            return -2;
    }
    return (long long)units;
}

static void utf8_fill(const char *utf8, WCHAR *w)
{
    const unsigned char *p = (const unsigned char *)utf8;
    while (*p) {
        long cp = utf8_next(&p);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            *w++ = (WCHAR)(0xD800 + (cp >> 10));
            *w++ = (WCHAR)(0xDC00 + (cp & 0x3FF));
        } else {
            *w++ = (WCHAR)cp;
        }
    }
    *w = 0;
}

static HRESULT to_utf16(const char *utf8, LPVOID root, WCHAR **out)
{
    WCHAR *w = NULL;
    if (!utf8 || !out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    ULONG cb = 0;
    /* The terminator needs one more unit, and the whole must fit a ULONG byte count. */
    long long units = utf8_units(utf8, UINT32_MAX / sizeof(WCHAR) - 1);
    if (units == -2)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    if (units < 0)
        return MAPI_E_BAD_CHARWIDTH;
    HRESULT hr = host__cb(0, (size_t)units + 1, sizeof(WCHAR), &cb);
    if (FAILED(hr))
        return hr;
    hr = root ? host_MAPIAllocateMore(cb, root, (void **)&w)
                      : host_MAPIAllocateBuffer(cb, (void **)&w);
    if (FAILED(hr))
        return hr;
    utf8_fill(utf8, w);
    *out = w;
    return S_OK;
}

/* Decodes one code point from UTF-16 at *p (advancing it); -1 for a lone surrogate. */
static long utf16_next(const WCHAR **p)
{
    const WCHAR *s = *p;
    long cp = s[0];
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (s[1] < 0xDC00 || s[1] > 0xDFFF)
            return -1;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (s[1] - 0xDC00);
        *p = s + 2;
        return cp;
    }
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return -1;
    *p = s + 1;
    return cp;
}

static size_t utf8_put(long cp, char *o)
{
    if (cp < 0x80) { if (o) o[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        if (o) { o[0] = (char)(0xC0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 0x3F)); }
        return 2;
    }
    if (cp < 0x10000) {
        if (o) {
            o[0] = (char)(0xE0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
            o[2] = (char)(0x80 | (cp & 0x3F));
        }
        return 3;
    }
    if (o) {
        o[0] = (char)(0xF0 | (cp >> 18)); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F));
    }
    return 4;
}

static HRESULT to_utf8(const WCHAR *w, LPVOID root, char **out)
{
    char *s = NULL;
    size_t n = 0;
    if (!w || !out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    for (const WCHAR *p = w; *p;) {
        long cp = utf16_next(&p);
        if (cp < 0)
            return MAPI_E_BAD_CHARWIDTH;
        n += utf8_put(cp, NULL);
    }
    if (n >= UINT32_MAX) /* n + 1 bytes must fit a ULONG */
        return MAPI_E_NOT_ENOUGH_MEMORY;
    HRESULT hr = root ? host_MAPIAllocateMore((ULONG)(n + 1), root, (void **)&s)
                      : host_MAPIAllocateBuffer((ULONG)(n + 1), (void **)&s);
    if (FAILED(hr))
        return hr;
    char *o = s;
    for (const WCHAR *p = w; *p;)
        o += utf8_put(utf16_next(&p), o);
    *o = 0;
    *out = s;
    return S_OK;
}

HRESULT host_utf8_to_utf16(const char *utf8, WCHAR **out) { return to_utf16(utf8, NULL, out); }
HRESULT host_utf16_to_utf8(const WCHAR *w, char **out) { return to_utf8(w, NULL, out); }

HRESULT host_utf8_to_utf16_more(const char *utf8, LPVOID root, WCHAR **out)
{
    if (!root)
        return MAPI_E_INVALID_PARAMETER;
    return to_utf16(utf8, root, out);
}

HRESULT host_utf16_to_utf8_more(const WCHAR *w, LPVOID root, char **out)
{
    if (!root)
        return MAPI_E_INVALID_PARAMETER;
    return to_utf8(w, root, out);
}

int host_utf16_eq_utf8(const WCHAR *s, const char *utf8)
{
    if (!s || !utf8)
        return 0;
    const unsigned char *p = (const unsigned char *)utf8;
    const WCHAR *q = s;
    while (*p && *q) {
        long a = utf8_next(&p);
        long b = utf16_next(&q);
        if (a < 0 || b < 0 || a != b)
            return 0;
    }
    return *p == 0 && *q == 0;
}
