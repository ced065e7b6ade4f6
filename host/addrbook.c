/* ldapab host: the search path, PR_ANR pick-lists and IAddrBook::ResolveName (HO-4, CT-10). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "session_internal.h"
#include "ldapab_host/addrbook.h"
#include "ldapab_host/props.h"

const ULONG host_container_columns[HOST_CONTAINER_COLUMNS] = {
    PR_ENTRYID, PR_DISPLAY_NAME_W, PR_CONTAINER_FLAGS, PR_DEPTH, PR_DISPLAY_TYPE,
};

/* Columns of the rows a resolved entry is made from (CT-11l), per string width. */
#define RESOLVE_NCOLS 9
static void resolve_columns(ULONG ulFlags, ULONG out[RESOLVE_NCOLS])
{
    ULONG st = (ulFlags & MAPI_UNICODE) ? PT_UNICODE : PT_STRING8;
    out[0] = PR_ENTRYID;
    out[1] = CHANGE_PROP_TYPE(PR_DISPLAY_NAME_W, st);
    out[2] = CHANGE_PROP_TYPE(PR_ADDRTYPE_W, st);
    out[3] = CHANGE_PROP_TYPE(PR_EMAIL_ADDRESS_W, st);
    out[4] = PR_OBJECT_TYPE;
    out[5] = PR_DISPLAY_TYPE;
    out[6] = PR_SEARCH_KEY;
    out[7] = CHANGE_PROP_TYPE(PR_TRANSMITABLE_DISPLAY_NAME_W, st);
    out[8] = PR_INSTANCE_KEY;
}

/* ---------------- error text ---------------- */

/* *errtext = a MAPI-memory copy of text (best effort). */
static void set_text(char **errtext, const char *text)
{
    char *t = NULL;
    if (!errtext || *errtext || !text || !*text)
        return;
    size_t n = strlen(text) + 1;
    if (n < UINT32_MAX && SUCCEEDED(host_MAPIAllocateBuffer((ULONG)n, (void **)&t)))
        memcpy(t, text, n);
    *errtext = t;
}

/* The provider's GetLastError text for hr (8-bit = UTF-8), or a generic one. */
static void take_error(char **errtext, HRESULT hr, LPMAPIERROR e, const char *what)
{
    char buf[1024];
    if (e && e->lpszError && *(const char *)e->lpszError)
        snprintf(buf, sizeof(buf), "%s", (const char *)e->lpszError);
    else
        snprintf(buf, sizeof(buf), "%s failed (0x%08lX)", what, (unsigned long)hr);
    set_text(errtext, buf);
    (void)host_MAPIFreeBuffer(e);
}

static void logon_error(LPABLOGON l, HRESULT hr, char **errtext, const char *what)
{
    LPMAPIERROR e = NULL;
    if (errtext && FAILED(IABLogon_GetLastError(l, hr, 0, &e)))
        e = NULL;
    take_error(errtext, hr, e, what);
}

static void container_error(LPABCONT c, HRESULT hr, char **errtext, const char *what)
{
    LPMAPIERROR e = NULL;
    if (errtext && FAILED(IABContainer_GetLastError(c, hr, 0, &e)))
        e = NULL;
    take_error(errtext, hr, e, what);
}

static void table_error(LPMAPITABLE t, HRESULT hr, char **errtext, const char *what)
{
    LPMAPIERROR e = NULL;
    if (errtext && FAILED(IMAPITable_GetLastError(t, hr, 0, &e)))
        e = NULL;
    take_error(errtext, hr, e, what);
}

/* ---------------- growing row lists ---------------- */

typedef struct rowlist {
    SRow *rows;
    size_t n, cap;
} rowlist;

static void rowlist_free(rowlist *rl)
{
    for (size_t i = 0; i < rl->n; i++)
        (void)host_MAPIFreeBuffer(rl->rows[i].lpProps);
    host__free(rl->rows);
    memset(rl, 0, sizeof(*rl));
}

/* Takes row (its lpProps root) into rl; on failure the row is freed. */
static HRESULT rowlist_take(rowlist *rl, SRow row)
{
    if (rl->n == rl->cap) {
        size_t cap = rl->cap ? rl->cap * 2 : 16;
        SRow *r = host__realloc(rl->rows, cap * sizeof(*r));
        if (!r) {
            (void)host_MAPIFreeBuffer(row.lpProps);
            return MAPI_E_NOT_ENOUGH_MEMORY;
        }
        rl->rows = r;
        rl->cap = cap;
    }
    rl->rows[rl->n++] = row;
    return S_OK;
}

/* An SRowSet holding rl's rows (rl is emptied). */
static HRESULT rowlist_finish(rowlist *rl, LPSRowSet *out)
{
    LPSRowSet rs = NULL;
    ULONG cb = 0;
    HRESULT hr = host__cb(offsetof(SRowSet, aRow), rl->n, sizeof(SRow), &cb);
    if (SUCCEEDED(hr))
        hr = host_MAPIAllocateBuffer(cb, (void **)&rs);
    if (FAILED(hr)) {
        rowlist_free(rl);
        return hr;
    }
    rs->cRows = (ULONG)rl->n;
    if (rl->n)
        memcpy(rs->aRow, rl->rows, rl->n * sizeof(SRow));
    host__free(rl->rows);
    memset(rl, 0, sizeof(*rl));
    *out = rs;
    return S_OK;
}

static const SPropValue *row_find(const SRow *r, ULONG tag)
{
    for (ULONG i = 0; i < r->cValues; i++)
        if (r->lpProps[i].ulPropTag == tag)
            return &r->lpProps[i];
    return NULL;
}

static int rowlist_has_entryid(const rowlist *rl, const SPropValue *eid)
{
    for (size_t i = 0; eid && i < rl->n; i++) {
        const SPropValue *o = row_find(&rl->rows[i], PR_ENTRYID);
        if (o && o->Value.bin.cb == eid->Value.bin.cb &&
            memcmp(o->Value.bin.lpb, eid->Value.bin.lpb, eid->Value.bin.cb) == 0)
            return 1;
    }
    return 0;
}

/*
 * Reads every row of t (at most max in all, 0 = no limit) into rl, skipping rows whose
 * PR_ENTRYID is already there and, when keep_flags is non-zero, rows whose
 * PR_CONTAINER_FLAGS lacks those bits. *truncated = 1 if max cut it short.
 */
static HRESULT read_rows(LPMAPITABLE t, rowlist *rl, size_t max, ULONG keep_flags,
                         int *truncated, char **errtext)
{
    for (;;) {
        LPSRowSet rs = NULL;
        LONG want = 100;
        if (max && rl->n >= max) {
            /* One more row tells whether anything was left out. */
            HRESULT hr = IMAPITable_QueryRows(t, 1, 0, &rs);
            if (FAILED(hr)) {
                table_error(t, hr, errtext, "IMAPITable::QueryRows");
                return hr;
            }
            if (truncated && rs->cRows)
                *truncated = 1;
            host_FreeProws(rs);
            return S_OK;
        }
        if (max && max - rl->n < (size_t)want)
            want = (LONG)(max - rl->n);
        HRESULT hr = IMAPITable_QueryRows(t, want, 0, &rs);
        if (FAILED(hr)) {
            table_error(t, hr, errtext, "IMAPITable::QueryRows");
            return hr;
        }
        ULONG got = rs->cRows;
        for (ULONG i = 0; i < got; i++) {
            SRow row = rs->aRow[i];
            rs->aRow[i].lpProps = NULL;
            const SPropValue *fl = row_find(&row, PR_CONTAINER_FLAGS);
            if ((keep_flags && (!fl || !(fl->Value.l & keep_flags))) ||
                rowlist_has_entryid(rl, row_find(&row, PR_ENTRYID))) {
                (void)host_MAPIFreeBuffer(row.lpProps);
                continue;
            }
            hr = rowlist_take(rl, row);
            if (FAILED(hr)) {
                for (ULONG j = i + 1; j < got; j++)
                    (void)host_MAPIFreeBuffer(rs->aRow[j].lpProps);
                (void)host_MAPIFreeBuffer(rs);
                return hr;
            }
        }
        (void)host_MAPIFreeBuffer(rs);    /* the rows are rl's now */
        if (got == 0)
            return S_OK;
    }
}

/* ---------------- the search path ---------------- */

/* New references to the IABLogons of s, in logon order (host__free the array). */
static HRESULT session_logons(host_session *s, host_logon ***out, size_t *n)
{
    host_logon **ls = NULL;
    *out = NULL;
    *n = 0;
    plat_mutex_lock(&s->lock);
    if (s->nlogons) {
        ls = host__calloc(s->nlogons, sizeof(*ls));
        if (!ls) {
            plat_mutex_unlock(&s->lock);
            return MAPI_E_NOT_ENOUGH_MEMORY;
        }
        for (size_t i = 0; i < s->nlogons; i++) {
            host__logon_pin_locked(s->logons[i]);
            ls[i] = s->logons[i];
        }
        *n = s->nlogons;
    }
    plat_mutex_unlock(&s->lock);
    *out = ls;
    return S_OK;
}

static void logons_release(host_logon **ls, size_t n)
{
    for (size_t i = 0; i < n; i++)
        host__logon_unpin(ls[i]);
    host__free(ls);
}

static HRESULT containers_of(LPABLOGON l, ULONG keep_flags, rowlist *rl, char **errtext)
{
    LPUNKNOWN unk = NULL;
    LPABCONT root = NULL;
    LPMAPITABLE t = NULL;
    ULONG type = 0;
    HRESULT hr = IABLogon_OpenEntry(l, 0, NULL, NULL, 0, &type, &unk);
    if (FAILED(hr)) {
        logon_error(l, hr, errtext, "IABLogon::OpenEntry (root container)");
        goto done;
    }
    root = (LPABCONT)unk;
    unk = NULL;
    hr = IABContainer_GetHierarchyTable(root, CONVENIENT_DEPTH | MAPI_UNICODE, &t);
    if (FAILED(hr)) {
        container_error(root, hr, errtext, "IABContainer::GetHierarchyTable");
        goto done;
    }
    SizedSPropTagArray(HOST_CONTAINER_COLUMNS, cols);
    cols.cValues = HOST_CONTAINER_COLUMNS;
    memcpy(cols.aulPropTag, host_container_columns, sizeof(host_container_columns));
    hr = IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0);
    if (FAILED(hr)) {
        table_error(t, hr, errtext, "IMAPITable::SetColumns");
        goto done;
    }
    hr = read_rows(t, rl, 0, keep_flags, NULL, errtext);
done:
    if (t)
        IMAPITable_Release(t);
    if (root)
        IABContainer_Release(root);
    return hr;
}

static HRESULT path_rows(host_session *s, ULONG keep_flags, rowlist *rl, char **errtext)
{
    host_logon **ls = NULL;
    size_t nl = 0;
    HRESULT hr = session_logons(s, &ls, &nl);
    for (size_t i = 0; SUCCEEDED(hr) && i < nl; i++)
        hr = containers_of(ls[i]->ablogon, keep_flags, rl, errtext);
    logons_release(ls, nl);
    return hr;
}

HRESULT host_session_containers(host_session *s, int recipients_only, LPSRowSet *out,
                                char **errtext)
{
    rowlist rl = { 0 };
    if (errtext)
        *errtext = NULL;
    if (!s || !out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    HRESULT hr = path_rows(s, recipients_only ? AB_RECIPIENTS : 0, &rl, errtext);
    if (FAILED(hr)) {
        rowlist_free(&rl);
        return hr;
    }
    return rowlist_finish(&rl, out);
}

static HRESULT open_container(host_session *s, const SRow *crow, LPABCONT *out,
                              char **errtext)
{
    const SPropValue *eid = row_find(crow, PR_ENTRYID);
    LPUNKNOWN unk = NULL;
    ULONG type = 0;
    *out = NULL;
    if (!eid)
        return MAPI_E_NOT_FOUND;
    HRESULT hr = host_session_open_entry(s, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb,
                                         NULL, 0, &type, &unk);
    if (FAILED(hr)) {
        char buf[96];
        snprintf(buf, sizeof(buf), "opening a container failed (0x%08lX)", (unsigned long)hr);
        set_text(errtext, buf);
        return hr;
    }
    if (type != MAPI_ABCONT) {
        IUnknown_Release(unk);
        set_text(errtext, "a hierarchy row does not name an address book container");
        return MAPI_E_INVALID_ENTRYID;
    }
    *out = (LPABCONT)unk;
    return S_OK;
}

/* PR_ANR_W rows of one container into rl. */
static HRESULT anr_rows(LPABCONT c, const WCHAR *name, const SPropTagArray *cols,
                        size_t max, rowlist *rl, int *truncated, char **errtext)
{
    LPMAPITABLE t = NULL;
    SPropValue v;
    SRestriction r;
    HRESULT hr = IABContainer_GetContentsTable(c, MAPI_UNICODE, &t);
    if (FAILED(hr)) {
        container_error(c, hr, errtext, "IABContainer::GetContentsTable");
        return hr;
    }
    hr = IMAPITable_SetColumns(t, (LPSPropTagArray)cols, 0);
    if (FAILED(hr)) {
        table_error(t, hr, errtext, "IMAPITable::SetColumns");
        goto done;
    }
    memset(&v, 0, sizeof(v));
    memset(&r, 0, sizeof(r));
    v.ulPropTag = PR_ANR_W;
    v.Value.lpszW = (WCHAR *)name;
    r.rt = RES_PROPERTY;
    r.res.resProperty.relop = RELOP_EQ;
    r.res.resProperty.ulPropTag = PR_ANR_W;
    r.res.resProperty.lpProp = &v;
    hr = IMAPITable_Restrict(t, &r, 0);
    if (FAILED(hr)) {
        table_error(t, hr, errtext, "IMAPITable::Restrict (PR_ANR)");
        goto done;
    }
    hr = read_rows(t, rl, max, 0, truncated, errtext);
done:
    IMAPITable_Release(t);
    return hr;
}

static HRESULT find_anr_rows(host_session *s, const WCHAR *wname, const SPropTagArray *cols,
                             size_t max, rowlist *out, int *truncated, char **errtext)
{
    rowlist path = { 0 };
    HRESULT hr = path_rows(s, AB_RECIPIENTS, &path, errtext);
    for (size_t i = 0; SUCCEEDED(hr) && i < path.n; i++) {
        LPABCONT c = NULL;
        hr = open_container(s, &path.rows[i], &c, errtext);
        if (FAILED(hr))
            break;
        hr = anr_rows(c, wname, cols, max, out, truncated, errtext);
        IABContainer_Release(c);
        if (max && out->n >= max)
            break;
    }
    rowlist_free(&path);
    return hr;
}

HRESULT host_session_find_anr(host_session *s, const char *name, const SPropTagArray *cols,
                              ULONG max, LPSRowSet *out, int *truncated, char **errtext)
{
    rowlist rl = { 0 };
    WCHAR *wname = NULL;
    ULONG rc[RESOLVE_NCOLS];
    SizedSPropTagArray(RESOLVE_NCOLS, defcols);
    if (errtext)
        *errtext = NULL;
    if (truncated)
        *truncated = 0;
    if (!s || !name || !out || (cols && cols->cValues == 0))
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (!cols) {
        resolve_columns(MAPI_UNICODE, rc);
        defcols.cValues = RESOLVE_NCOLS;
        memcpy(defcols.aulPropTag, rc, sizeof(rc));
        cols = (const SPropTagArray *)&defcols;
    }
    HRESULT hr = host_utf8_to_utf16(name, &wname);
    if (SUCCEEDED(hr))
        hr = find_anr_rows(s, wname, cols, max, &rl, truncated, errtext);
    (void)host_MAPIFreeBuffer(wname);
    if (FAILED(hr)) {
        rowlist_free(&rl);
        return hr;
    }
    return rowlist_finish(&rl, out);
}

/* ---------------- one-offs ---------------- */

HRESULT host_oneoff_entryid(const char *name, const char *addrtype, const char *address,
                            ULONG *cb, LPENTRYID *out)
{
    static const BYTE oneoff_uid[16] = MAPI_ONE_OFF_UID;
    const char *parts[3] = { name, addrtype, address };
    WCHAR *w[3] = { NULL, NULL, NULL };
    size_t len[3] = { 0, 0, 0 };
    BYTE *e = NULL;
    HRESULT hr = S_OK;
    if (!name || !addrtype || !address || !cb || !out)
        return MAPI_E_INVALID_PARAMETER;
    size_t total = 4 + 16 + 2 + 2;
    for (int i = 0; i < 3 && SUCCEEDED(hr); i++) {
        hr = host_utf8_to_utf16(parts[i], &w[i]);
        if (SUCCEEDED(hr)) {
            len[i] = (host_utf16_len(w[i]) + 1) * sizeof(WCHAR);
            total += len[i];
        }
    }
    if (SUCCEEDED(hr) && total > UINT32_MAX)
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (SUCCEEDED(hr))
        hr = host_MAPIAllocateBuffer((ULONG)total, (void **)&e);
    if (SUCCEEDED(hr)) {
        size_t off = 0;
        WORD flags = MAPI_ONE_OFF_UNICODE | MAPI_ONE_OFF_NO_RICH_INFO;
        memset(e, 0, 4);
        off = 4;
        memcpy(e + off, oneoff_uid, 16);
        off += 16;
        e[off++] = 0;           /* wVersion 0, little-endian */
        e[off++] = 0;
        e[off++] = (BYTE)(flags & 0xFF);
        e[off++] = (BYTE)(flags >> 8);
        for (int i = 0; i < 3; i++) {
            /* UTF-16LE byte by byte: the layout does not depend on the host. */
            for (size_t k = 0; k < len[i] / sizeof(WCHAR); k++) {
                e[off++] = (BYTE)(w[i][k] & 0xFF);
                e[off++] = (BYTE)(w[i][k] >> 8);
            }
        }
        *cb = (ULONG)total;
        *out = (LPENTRYID)e;
    }
    for (int i = 0; i < 3; i++)
        (void)host_MAPIFreeBuffer(w[i]);
    return hr;
}

/* "SMTP:addr" or "[SMTP:addr]" (any case): *addr points into name, *len its length. */
static int custom_recipient(const char *name, const char **addr, size_t *len)
{
    size_t n = strlen(name);
    int bracket = n >= 2 && name[0] == '[' && name[n - 1] == ']';
    const char *p = name + bracket;
    size_t plen = n - 2 * (size_t)bracket;
    if (plen <= 5 || strncasecmp(p, "SMTP:", 5) != 0)
        return 0;
    *addr = p + 5;
    *len = plen - 5;
    while (*len && (**addr == ' '))
        (*addr)++, (*len)--;
    return *len > 0 && memchr(*addr, '@', *len) != NULL;
}

/* ---------------- resolving ---------------- */

/* The entry's PR_DISPLAY_NAME (_A or _W) as UTF-8 in a new root, or NULL. */
static HRESULT entry_name(const ADRENTRY *e, char **out)
{
    *out = NULL;
    for (ULONG i = 0; e->rgPropVals && i < e->cValues; i++) {
        const SPropValue *v = &e->rgPropVals[i];
        if (v->ulPropTag == PR_DISPLAY_NAME_W && v->Value.lpszW)
            return host_utf16_to_utf8(v->Value.lpszW, out);
        if (v->ulPropTag == PR_DISPLAY_NAME_A && v->Value.lpszA) {
            size_t n = strlen(v->Value.lpszA) + 1;
            if (n > UINT32_MAX)
                return MAPI_E_NOT_ENOUGH_MEMORY;
            HRESULT hr = host_MAPIAllocateBuffer((ULONG)n, (void **)out);
            if (SUCCEEDED(hr))
                memcpy(*out, v->Value.lpszA, n);
            return hr;
        }
    }
    return S_OK;
}

static int entry_has_entryid(const ADRENTRY *e)
{
    for (ULONG i = 0; e->rgPropVals && i < e->cValues; i++)
        if (e->rgPropVals[i].ulPropTag == PR_ENTRYID)
            return 1;
    return 0;
}

/*
 * e's properties become those of props[0..n) (PT_ERROR left out) plus every property
 * of e whose ID is not among them; the old root is freed after the new one exists.
 */
static HRESULT entry_merge(ADRENTRY *e, ULONG n, const SPropValue *props)
{
    SPropValue *tmp = NULL;
    LPSPropValue merged = NULL;
    ULONG k = 0;
    tmp = host__calloc((size_t)n + e->cValues + 1, sizeof(*tmp));
    if (!tmp)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    for (ULONG i = 0; i < n; i++)
        if (PROP_TYPE(props[i].ulPropTag) != PT_ERROR)
            tmp[k++] = props[i];
    ULONG fresh = k;
    for (ULONG i = 0; e->rgPropVals && i < e->cValues; i++) {
        int dup = 0;
        for (ULONG j = 0; j < fresh && !dup; j++)
            dup = PROP_ID(tmp[j].ulPropTag) == PROP_ID(e->rgPropVals[i].ulPropTag);
        if (!dup)
            tmp[k++] = e->rgPropVals[i];
    }
    HRESULT hr = host_props_copy(k, tmp, &merged);
    host__free(tmp);
    if (FAILED(hr))
        return hr;
    (void)host_MAPIFreeBuffer(e->rgPropVals);
    e->rgPropVals = merged;
    e->cValues = k;
    return S_OK;
}

static HRESULT resolve_oneoff(ADRENTRY *e, ULONG ulFlags, const char *addr, size_t len)
{
    char *a = NULL, *key = NULL;
    LPENTRYID eid = NULL;
    ULONG cb = 0;
    WCHAR *wa = NULL, *wt = NULL;
    SPropValue v[7];
    HRESULT hr = host_MAPIAllocateBuffer((ULONG)len + 1, (void **)&a);
    if (SUCCEEDED(hr))
        hr = host_MAPIAllocateBuffer((ULONG)len + 6, (void **)&key);
    if (FAILED(hr))
        goto done;
    memcpy(a, addr, len);
    a[len] = '\0';
    /* MAPI's search key: "ADDRTYPE:ADDRESS" upper-cased, with its NUL. */
    snprintf(key, len + 6, "SMTP:%s", a);
    for (char *c = key; *c; c++)
        if (*c >= 'a' && *c <= 'z')
            *c = (char)(*c - 'a' + 'A');
    hr = host_oneoff_entryid(a, "SMTP", a, &cb, &eid);
    if (FAILED(hr))
        goto done;
    memset(v, 0, sizeof(v));
    v[0].ulPropTag = PR_ENTRYID;
    v[0].Value.bin.cb = cb;
    v[0].Value.bin.lpb = (LPBYTE)eid;
    v[1].ulPropTag = PR_OBJECT_TYPE;
    v[1].Value.l = MAPI_MAILUSER;
    v[2].ulPropTag = PR_DISPLAY_TYPE;
    v[2].Value.l = DT_MAILUSER;
    v[3].ulPropTag = PR_SEARCH_KEY;
    v[3].Value.bin.cb = (ULONG)strlen(key) + 1;
    v[3].Value.bin.lpb = (LPBYTE)key;
    if (ulFlags & MAPI_UNICODE) {
        hr = host_utf8_to_utf16(a, &wa);
        if (SUCCEEDED(hr))
            hr = host_utf8_to_utf16("SMTP", &wt);
        if (FAILED(hr))
            goto done;
        v[4].ulPropTag = PR_DISPLAY_NAME_W;
        v[4].Value.lpszW = wa;
        v[5].ulPropTag = PR_ADDRTYPE_W;
        v[5].Value.lpszW = wt;
        v[6].ulPropTag = PR_EMAIL_ADDRESS_W;
        v[6].Value.lpszW = wa;
    } else {
        static char smtp[] = "SMTP";
        v[4].ulPropTag = PR_DISPLAY_NAME_A;
        v[4].Value.lpszA = a;
        v[5].ulPropTag = PR_ADDRTYPE_A;
        v[5].Value.lpszA = smtp;
        v[6].ulPropTag = PR_EMAIL_ADDRESS_A;
        v[6].Value.lpszA = a;
    }
    hr = entry_merge(e, 7, v);
done:
    (void)host_MAPIFreeBuffer(wa);
    (void)host_MAPIFreeBuffer(wt);
    (void)host_MAPIFreeBuffer(eid);
    (void)host_MAPIFreeBuffer(key);
    (void)host_MAPIFreeBuffer(a);
    return hr;
}

/* A row's string column as UTF-8 compared with name, ignoring ASCII case. */
static int row_str_eq(const SRow *r, ULONG tag_w, const char *name)
{
    for (ULONG i = 0; i < r->cValues; i++) {
        const SPropValue *v = &r->lpProps[i];
        if (PROP_ID(v->ulPropTag) != PROP_ID(tag_w))
            continue;
        if (PROP_TYPE(v->ulPropTag) == PT_STRING8 && v->Value.lpszA)
            return strcasecmp(v->Value.lpszA, name) == 0;
        if (PROP_TYPE(v->ulPropTag) == PT_UNICODE && v->Value.lpszW) {
            char *u = NULL;
            int eq = 0;
            if (SUCCEEDED(host_utf16_to_utf8(v->Value.lpszW, &u)))
                eq = strcasecmp(u, name) == 0;
            (void)host_MAPIFreeBuffer(u);
            return eq;
        }
    }
    return 0;
}

/* CT-11i over candidate rows: the row that settles name, or NULL (ambiguous). */
static const SRow *pick(const rowlist *rl, const char *name)
{
    const SRow *hit = NULL;
    if (rl->n == 1)
        return &rl->rows[0];
    for (size_t i = 0; i < rl->n; i++) {
        if (row_str_eq(&rl->rows[i], PR_DISPLAY_NAME_W, name) ||
            row_str_eq(&rl->rows[i], PR_EMAIL_ADDRESS_W, name)) {
            if (hit)
                return NULL;
            hit = &rl->rows[i];
        }
    }
    return hit;
}

/* Step 3: one container's PR_ANR restriction for every entry still unresolved. */
static HRESULT resolve_by_anr(LPABCONT c, ULONG ulFlags, LPADRLIST list, ULONG *st,
                              char **names, char **errtext)
{
    ULONG rc[RESOLVE_NCOLS];
    SizedSPropTagArray(RESOLVE_NCOLS, cols);
    resolve_columns(ulFlags, rc);
    cols.cValues = RESOLVE_NCOLS;
    memcpy(cols.aulPropTag, rc, sizeof(rc));
    HRESULT hr = S_OK;
    for (ULONG i = 0; SUCCEEDED(hr) && i < list->cEntries; i++) {
        rowlist rl = { 0 };
        WCHAR *w = NULL;
        if (st[i] != MAPI_UNRESOLVED || !names[i])
            continue;
        hr = host_utf8_to_utf16(names[i], &w);
        if (SUCCEEDED(hr))
            hr = anr_rows(c, w, (const SPropTagArray *)&cols, 100, &rl, NULL, errtext);
        (void)host_MAPIFreeBuffer(w);
        if (SUCCEEDED(hr) && rl.n) {
            const SRow *r = pick(&rl, names[i]);
            if (r) {
                hr = entry_merge(&list->aEntries[i], r->cValues, r->lpProps);
                if (SUCCEEDED(hr))
                    st[i] = MAPI_RESOLVED;
            } else {
                st[i] = MAPI_AMBIGUOUS;
            }
        }
        rowlist_free(&rl);
    }
    return hr;
}

/* Step 2 (and 3) for one search-path container. */
static HRESULT resolve_in(host_session *s, const SRow *crow, ULONG ulFlags, LPADRLIST list,
                          ULONG *st, char **names, char **errtext)
{
    LPABCONT c = NULL;
    LPFlagList fl = NULL;
    HRESULT hr = open_container(s, crow, &c, errtext);
    if (FAILED(hr))
        return hr;
    fl = host__malloc(CbNewFlagList(list->cEntries));
    if (!fl) {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto done;
    }
    fl->cFlags = list->cEntries;
    memcpy(fl->ulFlag, st, list->cEntries * sizeof(ULONG));
    hr = IABContainer_ResolveNames(c, NULL, ulFlags, list, fl);
    if (hr == MAPI_E_NO_SUPPORT) {
        hr = resolve_by_anr(c, ulFlags, list, st, names, errtext);
    } else if (FAILED(hr)) {
        container_error(c, hr, errtext, "IABContainer::ResolveNames");
    } else {
        hr = S_OK;
        for (ULONG i = 0; i < list->cEntries; i++)
            if (st[i] == MAPI_UNRESOLVED && names[i])
                st[i] = fl->ulFlag[i];
    }
done:
    host__free(fl);
    IABContainer_Release(c);
    return hr;
}

HRESULT host_session_resolve_name(host_session *s, ULONG ulFlags, LPADRLIST lpAdrList,
                                  LPFlagList status, char **errtext)
{
    ULONG *st = NULL;
    char **names = NULL;
    rowlist path = { 0 };
    HRESULT hr = S_OK;
    ULONG n;

    if (errtext)
        *errtext = NULL;
    if (!s || !lpAdrList || (status && status->cFlags != lpAdrList->cEntries))
        return MAPI_E_INVALID_PARAMETER;
    if (ulFlags & ~(ULONG)MAPI_UNICODE)
        return MAPI_E_UNKNOWN_FLAGS;
    n = lpAdrList->cEntries;
    st = host__calloc(n ? n : 1, sizeof(*st));
    names = host__calloc(n ? n : 1, sizeof(*names));
    if (!st || !names) {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto done;
    }
    size_t pending = 0;
    for (ULONG i = 0; i < n; i++) {
        ADRENTRY *e = &lpAdrList->aEntries[i];
        const char *addr = NULL;
        size_t alen = 0;
        if (entry_has_entryid(e)) {
            st[i] = MAPI_RESOLVED;
            continue;
        }
        hr = entry_name(e, &names[i]);
        if (FAILED(hr))
            goto done;
        if (!names[i] || !names[i][0])
            continue;
        /* Step 1: custom recipients are one-offs, never looked up. */
        if (custom_recipient(names[i], &addr, &alen)) {
            hr = resolve_oneoff(e, ulFlags, addr, alen);
            if (FAILED(hr))
                goto done;
            st[i] = MAPI_RESOLVED;
            continue;
        }
        pending++;
    }
    if (pending) {
        hr = path_rows(s, AB_RECIPIENTS, &path, errtext);
        if (FAILED(hr))
            goto done;
    }
    /* Step 2/3: the search path in order, while something is unresolved. */
    for (size_t c = 0; c < path.n; c++) {
        int open = 0;
        for (ULONG i = 0; i < n; i++)
            open |= st[i] == MAPI_UNRESOLVED && names[i] && names[i][0];
        if (!open)
            break;
        hr = resolve_in(s, &path.rows[c], ulFlags, lpAdrList, st, names, errtext);
        if (FAILED(hr))
            goto done;
    }
    /* Step 4: the pick-list of an ambiguous name; one row settles it. */
    for (ULONG i = 0; i < n; i++) {
        rowlist rl = { 0 };
        WCHAR *w = NULL;
        ULONG rc[RESOLVE_NCOLS];
        SizedSPropTagArray(RESOLVE_NCOLS, cols);
        if (st[i] != MAPI_AMBIGUOUS || !names[i])
            continue;
        resolve_columns(ulFlags, rc);
        cols.cValues = RESOLVE_NCOLS;
        memcpy(cols.aulPropTag, rc, sizeof(rc));
        hr = host_utf8_to_utf16(names[i], &w);
        if (SUCCEEDED(hr))
            hr = find_anr_rows(s, w, (const SPropTagArray *)&cols, 2, &rl, NULL, errtext);
        (void)host_MAPIFreeBuffer(w);
        if (SUCCEEDED(hr) && rl.n == 1) {
            hr = entry_merge(&lpAdrList->aEntries[i], rl.rows[0].cValues, rl.rows[0].lpProps);
            if (SUCCEEDED(hr))
                st[i] = MAPI_RESOLVED;
        }
        rowlist_free(&rl);
        /* A provider without tables cannot build a pick-list: stays ambiguous. */
        if (hr == MAPI_E_NO_SUPPORT) {
            hr = S_OK;
            if (errtext) {
                (void)host_MAPIFreeBuffer(*errtext);
                *errtext = NULL;
            }
        }
        if (FAILED(hr))
            goto done;
    }
    hr = S_OK;
    for (ULONG i = 0; i < n; i++) {
        if (st[i] == MAPI_AMBIGUOUS)
            hr = MAPI_E_AMBIGUOUS_RECIP;
        else if (st[i] != MAPI_RESOLVED && hr == S_OK)
            hr = MAPI_E_NOT_FOUND;
    }
done:
    if (status && st)
        memcpy(status->ulFlag, st, n * sizeof(ULONG));
    rowlist_free(&path);
    for (ULONG i = 0; names && i < n; i++)
        (void)host_MAPIFreeBuffer(names[i]);
    host__free(names);
    host__free(st);
    return hr;
}
