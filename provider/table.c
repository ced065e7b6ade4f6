/*
 * table.c - IMAPITable (spec §5, TB-1..TB-20): cursor, columns, bookmarks,
 * sort state, FindRow, Restrict and row building over a row source
 * (table.h).
 *
 * Decisions:
 *   - One cursor per table, guarded by the table's mutex (TB-18).  Every
 *     method except the IUnknown ones enters the session first (LC-40:
 *     MAPI_E_INVALID_OBJECT after Logoff).
 *   - A bookmark remembers a position and the instance key of the row there;
 *     seeking to it when another row sits there answers
 *     MAPI_W_POSITION_CHANGED (TB-6).
 *   - A view cut short at a size limit signals it with
 *     MAPI_W_PARTIAL_COMPLETION (a success) from the QueryRows that reaches
 *     its end, with a GetLastError text saying so.
 *   - Snapshot semantics for in-memory views; a VLV view follows the server
 *     (TBLTYPE_DYNAMIC), without notifications (Advise → MAPI_E_NO_SUPPORT,
 *     TB-15).
 */
#include <stdlib.h>
#include <string.h>

#include "restrict.h"
#include "table.h"

enum {
	CTX_TB_PARAM = 0x0701,
	CTX_TB_FLAGS,
	CTX_TB_BOOKMARK,
	CTX_TB_NOT_FOUND,
	CTX_TB_NO_SUPPORT,
	CTX_TB_SORT,
	CTX_TB_MEMORY,
	CTX_TB_PARTIAL,
	CTX_TB_LDAP
};

#define FIRST_BOOKMARK ((BOOKMARK)16)
#define ULONG32_MAX ((ULONG)0xFFFFFFFFu)    /* MAPI's ULONG, not C's unsigned long */
#define SCAN_BATCH 128
#define MAX_COLUMNS 4096

struct bookmark {
	BOOKMARK id;            /* 0: free slot */
	size_t pos;
	size_t keylen;
	uint8_t *key;           /* instance key of the row at pos, NULL at the end */
};

struct table {
	IMAPITable iface;               /* first: the pointer clients hold */
	atomic_uint refs;
	struct abp_session *s;          /* counted reference */
	struct abp_lasterr le;
	plat_mutex lock;                /* guards everything below (TB-18) */
	enum abp_table_kind kind;
	bool unicode;
	struct abp_tsrc *src;
	ULONG *cols;                    /* NULL: the default set */
	ULONG ncols;
	size_t pos;
	int sort_state;                 /* 0 default, 1 ascending, 2 descending */
	struct bookmark bm[ABP_TABLE_MAX_BOOKMARKS];
	BOOKMARK next_bm;
};

static const IMAPITableVtbl table_vtbl;

static struct table *impl_from_IMAPITable(IMAPITable *iface)
{
	return ABP_CONTAINING_RECORD(iface, struct table, iface);
}

/* ------------------------------------------------------------------------ */
/* Columns                                                                  */
/* ------------------------------------------------------------------------ */

#define STR(t, uni) ((uni) ? CHANGE_PROP_TYPE((t), PT_UNICODE) : CHANGE_PROP_TYPE((t), PT_STRING8))

static const ULONG contents_default[] = {
	PR_ADDRTYPE_W, PR_DISPLAY_NAME_W, PR_DISPLAY_TYPE, PR_ENTRYID, PR_INSTANCE_KEY,
	PR_OBJECT_TYPE, PR_RECORD_KEY, PR_EMAIL_ADDRESS_W, PR_SEARCH_KEY,
	PR_TRANSMITABLE_DISPLAY_NAME_W, PR_SEND_RICH_INFO
};
static const ULONG contents_extra[] = {
	PR_DEPARTMENT_NAME_W, PR_OFFICE_LOCATION_W, PR_ACCOUNT_W, PR_GIVEN_NAME_W,
	PR_SURNAME_W, PR_TITLE_W, PR_SMTP_ADDRESS_W, PR_COMPANY_NAME_W,
	PR_BUSINESS_TELEPHONE_NUMBER_W, PR_MOBILE_TELEPHONE_NUMBER_W
};
static const ULONG hierarchy_default[] = {
	PR_DISPLAY_NAME_W, PR_ENTRYID, PR_DEPTH, PR_OBJECT_TYPE, PR_DISPLAY_TYPE,
	PR_INSTANCE_KEY, PR_COMMENT_W, PR_STATUS, PR_CONTAINER_FLAGS, PR_AB_PROVIDER_ID
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Fill tags[] (cap entries) with the default or all columns; returns n. */
static ULONG column_set(const struct table *t, bool all, ULONG *tags, size_t cap)
{
	const ULONG *d = t->kind == ABP_TABLE_HIERARCHY ? hierarchy_default : contents_default;
	size_t nd = t->kind == ABP_TABLE_HIERARCHY ? N(hierarchy_default) : N(contents_default);
	size_t n = 0, i;

	for (i = 0; i < nd && n < cap; i++)
		tags[n++] = PROP_TYPE(d[i]) == PT_UNICODE ? STR(d[i], t->unicode) : d[i];
	if (all && t->kind == ABP_TABLE_CONTENTS)
		for (i = 0; i < N(contents_extra) && n < cap; i++)
			tags[n++] = STR(contents_extra[i], t->unicode);
	return (ULONG)n;
}

/* ------------------------------------------------------------------------ */
/* Calls: session, lock, status notes                                       */
/* ------------------------------------------------------------------------ */

HRESULT abp_tctx_lb(struct abp_tctx *ctx, const struct lb_error *err, ULONG context)
{
	ctx->note = *err;
	ctx->have_note = true;
	if (err->code == LB_OK)
		return S_OK;
	return abp_lasterr_set_lb(ctx->le, err, context);
}

/* Enter the session (LC-40), open the directory when the source needs it
 * and with_src is set, then lock. */
static HRESULT begin(struct table *t, bool with_src, struct abp_dir *dir, struct abp_tctx *ctx)
{
	HRESULT hr;

	memset(ctx, 0, sizeof(*ctx));
	ctx->s = t->s;
	ctx->le = &t->le;
	if (!abp_session_enter(t->s))
		return MAPI_E_INVALID_OBJECT;
	if (with_src && t->src->needs_dir) {
		hr = abp_dir_open(t->s, &t->le, dir);
		if (FAILED(hr)) {
			abp_session_leave(t->s);
			return hr;
		}
		ctx->dir = dir;
	}
	plat_mutex_lock(&t->lock);
	return S_OK;
}

static void end(struct table *t, struct abp_tctx *ctx)
{
	plat_mutex_unlock(&t->lock);
	/* TH-5: the status push may call MAPI; never under our lock. */
	if (ctx->have_note)
		abp_session_note_lb_error(t->s, &ctx->note);
	abp_session_leave(t->s);
}

static HRESULT fail(struct table *t, HRESULT hr, ULONG context, const char *text)
{
	return abp_lasterr_set(&t->le, hr, 0, context, "%s", text);
}

static HRESULT count_rows(struct table *t, struct abp_tctx *ctx, size_t *n)
{
	HRESULT hr = t->src->ops->count(t->src, ctx, n);

	if (SUCCEEDED(hr) && t->pos > *n)
		t->pos = *n;            /* the view shrank (a VLV view follows the server) */
	return hr;
}

/* The instance key of row i, copied (NULL, 0 past the end). */
static HRESULT row_key(struct table *t, struct abp_tctx *ctx, size_t i, uint8_t **key,
                       size_t *len)
{
	const struct abp_props *row = NULL;
	const struct abp_prop *p;
	size_t got = 0;
	HRESULT hr;

	*key = NULL;
	*len = 0;
	hr = t->src->ops->read(t->src, ctx, i, 1, false, &row, &got);
	if (FAILED(hr) || got == 0)
		return hr;
	p = abp_props_find(row, PR_INSTANCE_KEY);
	if (p == NULL || PROP_TYPE(p->tag) != PT_BINARY)
		return S_OK;
	*key = malloc(p->v.bin.cb ? p->v.bin.cb : 1);
	if (*key == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	memcpy(*key, p->v.bin.lpb, p->v.bin.cb);
	*len = p->v.bin.cb;
	return S_OK;
}

static void bookmarks_clear(struct table *t)
{
	size_t i;

	for (i = 0; i < ABP_TABLE_MAX_BOOKMARKS; i++) {
		free(t->bm[i].key);
		memset(&t->bm[i], 0, sizeof(t->bm[i]));
	}
}

static struct bookmark *bookmark_find(struct table *t, BOOKMARK id)
{
	size_t i;

	for (i = 0; i < ABP_TABLE_MAX_BOOKMARKS; i++)
		if (t->bm[i].id != 0 && t->bm[i].id == id)
			return &t->bm[i];
	return NULL;
}

/* Where bk points: *origin, and MAPI_W_POSITION_CHANGED when the row a
 * bookmark was made on is no longer there. */
static HRESULT resolve_origin(struct table *t, struct abp_tctx *ctx, BOOKMARK bk,
                              size_t count, size_t *origin)
{
	struct bookmark *b;
	uint8_t *key = NULL;
	size_t len = 0;
	HRESULT hr;

	if (bk == BOOKMARK_BEGINNING) {
		*origin = 0;
		return S_OK;
	}
	if (bk == BOOKMARK_CURRENT) {
		*origin = t->pos;
		return S_OK;
	}
	if (bk == BOOKMARK_END) {
		*origin = count;
		return S_OK;
	}
	b = bookmark_find(t, bk);
	if (b == NULL)
		return fail(t, MAPI_E_INVALID_BOOKMARK, CTX_TB_BOOKMARK,
		            "The bookmark is not one of this table's (unknown, freed, or discarded "
		            "by Restrict or SortTable).");
	*origin = b->pos > count ? count : b->pos;
	hr = row_key(t, ctx, *origin, &key, &len);
	if (FAILED(hr))
		return hr;
	if (len != b->keylen || (len > 0 && memcmp(key, b->key, len) != 0))
		hr = MAPI_W_POSITION_CHANGED;
	free(key);
	return hr;
}

/* ------------------------------------------------------------------------ */
/* Rows (MM-4)                                                              */
/* ------------------------------------------------------------------------ */

static void rowset_free(const struct abp_allocs *al, LPSRowSet rs)
{
	ULONG i;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->cRows; i++)
		if (rs->aRow[i].lpProps != NULL)
			al->free_buffer(rs->aRow[i].lpProps);
	al->free_buffer(rs);
}

static HRESULT build_row(const struct table *t, const struct abp_allocs *al,
                         const struct abp_props *bag, const ULONG *cols, ULONG ncols, SRow *row)
{
	LPSPropValue v = NULL;
	ULONG i;
	HRESULT hr;

	hr = al->alloc_buffer((ULONG)(ncols * sizeof(SPropValue)), (LPVOID *)&v);
	if (FAILED(hr) || v == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	memset(v, 0, ncols * sizeof(SPropValue));
	for (i = 0; i < ncols; i++) {
		bool err = false;

		if (cols[i] == PR_NULL) {
			v[i].ulPropTag = PR_NULL;               /* TB-2 */
			continue;
		}
		hr = abp_props_fill(al, v, bag, cols[i], t->unicode, &v[i], &err);
		if (FAILED(hr)) {
			al->free_buffer(v);
			return hr;
		}
	}
	row->ulAdrEntryPad = 0;
	row->cValues = ncols;
	row->lpProps = v;
	return S_OK;
}

static HRESULT build_rowset(struct table *t, const struct abp_props *const *bags, size_t n,
                            LPSRowSet *out)
{
	struct abp_allocs al = abp_allocs_of(t->s);
	ULONG defcols[32];
	const ULONG *cols = t->cols;
	ULONG ncols = t->ncols;
	LPSRowSet rs = NULL;
	size_t i;
	HRESULT hr;

	if (cols == NULL) {
		ncols = column_set(t, false, defcols, N(defcols));
		cols = defcols;
	}
	hr = al.alloc_buffer((ULONG)CbNewSRowSet(n), (LPVOID *)&rs);
	if (FAILED(hr) || rs == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	rs->cRows = 0;
	for (i = 0; i < n; i++) {
		hr = build_row(t, &al, bags[i], cols, ncols, &rs->aRow[i]);
		if (FAILED(hr)) {
			rowset_free(&al, rs);
			return fail(t, hr, CTX_TB_MEMORY, "Out of memory building table rows.");
		}
		rs->cRows++;
	}
	*out = rs;
	return S_OK;
}

/* ------------------------------------------------------------------------ */
/* Construction, IUnknown                                                   */
/* ------------------------------------------------------------------------ */

HRESULT abp_table_new(struct abp_session *s, enum abp_table_kind kind, ULONG flags,
                      struct abp_tsrc *src, LPMAPITABLE *out)
{
	struct table *t;

	if (out != NULL)
		*out = NULL;
	if (s == NULL || src == NULL || out == NULL) {
		if (src != NULL)
			src->ops->destroy(src);
		return MAPI_E_INVALID_PARAMETER;
	}
	t = calloc(1, sizeof(*t));
	if (t == NULL) {
		src->ops->destroy(src);
		return MAPI_E_NOT_ENOUGH_MEMORY;
	}
	t->iface.lpVtbl = &table_vtbl;
	atomic_init(&t->refs, 1);
	abp_session_addref(s);
	t->s = s;
	abp_lasterr_init(&t->le);
	plat_mutex_init(&t->lock);
	t->kind = kind;
	t->unicode = (flags & MAPI_UNICODE) != 0;
	t->src = src;
	t->next_bm = FIRST_BOOKMARK;
	*out = &t->iface;
	return S_OK;
}

HRESULT abp_table_check_flags(struct abp_lasterr *le, ULONG flags, enum abp_table_kind kind)
{
	ULONG allowed = MAPI_DEFERRED_ERRORS | MAPI_UNICODE;

	if (kind == ABP_TABLE_HIERARCHY)
		allowed |= CONVENIENT_DEPTH;
	else if (flags & MAPI_ASSOCIATED)
		return abp_lasterr_set(le, MAPI_E_NO_SUPPORT, 0, CTX_TB_NO_SUPPORT,
		                       "The address book has no associated contents.");  /* CT-7 */
	if (flags & ~allowed)
		return abp_lasterr_set(le, MAPI_E_UNKNOWN_FLAGS, 0, CTX_TB_FLAGS,
		                       "Unknown flags 0x%08X for opening a %s table.",
		                       (unsigned)(flags & ~allowed),
		                       kind == ABP_TABLE_HIERARCHY ? "hierarchy" : "contents");
	return S_OK;
}

HRESULT abp_table_open_begin(struct abp_propobj *o, enum abp_table_kind kind, ULONG flags,
                             LPMAPITABLE *out)
{
	HRESULT hr;

	if (out != NULL)
		*out = NULL;
	if (!abp_session_enter(o->s))
		return MAPI_E_INVALID_OBJECT;
	if (out == NULL)
		hr = abp_lasterr_set(&o->le, MAPI_E_INVALID_PARAMETER, 0, CTX_TB_PARAM,
		                     "Opening a table needs an output pointer.");
	else
		hr = abp_table_check_flags(&o->le, flags, kind);
	if (FAILED(hr))
		abp_session_leave(o->s);
	return hr;
}

static HRESULT STDMETHODCALLTYPE tb_QueryInterface(IMAPITable *This, REFIID riid, LPVOID *ppv)
{
	if (ppv == NULL)
		return MAPI_E_INVALID_PARAMETER;
	*ppv = NULL;
	if (riid == NULL)
		return MAPI_E_INVALID_PARAMETER;
	if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMAPITable)) {
		This->lpVtbl->AddRef(This);
		*ppv = This;
		return S_OK;
	}
	return MAPI_E_INTERFACE_NOT_SUPPORTED;
}

static ULONG STDMETHODCALLTYPE tb_AddRef(IMAPITable *This)
{
	return atomic_fetch_add(&impl_from_IMAPITable(This)->refs, 1) + 1;
}

static ULONG STDMETHODCALLTYPE tb_Release(IMAPITable *This)
{
	struct table *t = impl_from_IMAPITable(This);
	unsigned left = atomic_fetch_sub(&t->refs, 1) - 1;

	if (left == 0) {
		/* LC-42: our memory, the source (which never needs the
		 * connection to go) and the session reference. */
		t->src->ops->destroy(t->src);
		bookmarks_clear(t);
		free(t->cols);
		plat_mutex_destroy(&t->lock);
		abp_lasterr_destroy(&t->le);
		abp_session_release(t->s);
		free(t);
	}
	return left;
}

/* ------------------------------------------------------------------------ */
/* IMAPITable                                                               */
/* ------------------------------------------------------------------------ */

static HRESULT STDMETHODCALLTYPE tb_GetLastError(IMAPITable *This, HRESULT hr, ULONG flags,
                                                 LPMAPIERROR *out)
{
	struct table *t = impl_from_IMAPITable(This);
	HRESULT r;

	if (!abp_session_enter(t->s)) {
		if (out != NULL)
			*out = NULL;
		return MAPI_E_INVALID_OBJECT;
	}
	r = abp_lasterr_get(&t->le, t->s, hr, flags, out);
	abp_session_leave(t->s);
	return r;
}

static HRESULT STDMETHODCALLTYPE tb_Advise(IMAPITable *This, ULONG mask, LPMAPIADVISESINK sink,
                                           ULONG_PTR *conn)
{
	struct table *t = impl_from_IMAPITable(This);
	struct abp_tctx ctx;
	HRESULT hr;

	(void)mask;
	(void)sink;
	if (conn != NULL)
		*conn = 0;
	hr = begin(t, false, NULL, &ctx);
	if (FAILED(hr))
		return hr;
	hr = fail(t, MAPI_E_NO_SUPPORT, CTX_TB_NO_SUPPORT,
	          "Address book tables send no change notifications; re-read the table "
	          "to see changes.");                                   /* TB-15 */
	end(t, &ctx);
	return hr;
}

static HRESULT STDMETHODCALLTYPE tb_Unadvise(IMAPITable *This, ULONG_PTR conn)
{
	struct table *t = impl_from_IMAPITable(This);
	struct abp_tctx ctx;
	HRESULT hr;

	(void)conn;
	hr = begin(t, false, NULL, &ctx);
	if (FAILED(hr))
		return hr;
	hr = fail(t, MAPI_E_NO_SUPPORT, CTX_TB_NO_SUPPORT,
	          "Address book tables send no change notifications (no Advise connection "
	          "exists).");
	end(t, &ctx);
	return hr;
}

static HRESULT STDMETHODCALLTYPE tb_GetStatus(IMAPITable *This, ULONG *status, ULONG *type)
{
	struct table *t = impl_from_IMAPITable(This);
	struct abp_tctx ctx;
	HRESULT hr;

	hr = begin(t, false, NULL, &ctx);
	if (FAILED(hr))
		return hr;
	if (status == NULL || type == NULL) {
		hr = fail(t, MAPI_E_INVALID_PARAMETER, CTX_TB_PARAM,
		          "GetStatus needs both output pointers.");
	} else {
		*status = TBLSTAT_COMPLETE;                             /* TB-13 */
		*type = t->src->needs_dir ? TBLTYPE_DYNAMIC : TBLTYPE_SNAPSHOT;
	}
	end(t, &ctx);
	return hr;
}

static HRESULT STDMETHODCALLTYPE tb_SetColumns(IMAPITable *This, LPSPropTagArray tags,
                                               ULONG flags)
{
	struct table *t = impl_from_IMAPITable(This);
	struct abp_tctx ctx;
	ULONG *cols = NULL;
	HRESULT hr;

	hr = begin(t, false, NULL, &ctx);
	if (FAILED(hr))
		return hr;
	if (tags == NULL || tags->cValues == 0 || tags->cValues > MAX_COLUMNS) {
		hr = fail(t, MAPI_E_INVALID_PARAMETER, CTX_TB_PARAM,
		          "SetColumns needs a column list of 1 to 4096 property tags.");
	} else if (flags & ~(TBL_ASYNC | TBL_BATCH)) {
		hr = fail(t, MAPI_E_UNKNOWN_FLAGS, CTX_TB_FLAGS,
		          "SetColumns accepts only TBL_ASYNC and TBL_BATCH.");
	} else if ((cols = malloc(tags->cValues * sizeof(ULONG))) == NULL) {
		hr = fail(t, MAPI_E_NOT_ENOUGH_MEMORY, CTX_TB_MEMORY, "Out of memory.");
	} else {
		memcpy(cols, tags->aulPropTag, tags->cValues * sizeof(ULONG));  /* MM-8 */
		free(t->cols);
		t->cols = cols;
		t->ncols = tags->cValues;
	}
	end(t, &ctx);
	return hr;
}

static HRESULT STDMETHODCALLTYPE tb_QueryColumns(IMAPITable *This, ULONG flags,
                                                 LPSPropTagArray *out)
{
	struct table *t = impl_from_IMAPITable(This);
	struct abp_allocs al = abp_allocs_of(t->s);
	ULONG buf[64];
	const ULONG *cols;
	ULONG n;
	LPSPropTagArray a = NULL;
	struct abp_tctx ctx;
	HRESULT hr;

	hr = begin(t, false, NULL, &ctx);
	if (FAILED(hr))
		return hr;
	if (out == NULL) {
		hr = fail(t, MAPI_E_INVALID_PARAMETER, CTX_TB_PARAM,
		          "QueryColumns needs an output pointer.");
		goto done;
	}
	if (flags & ~TBL_ALL_COLUMNS) {
		hr = fail(t, MAPI_E_UNKNOWN_FLAGS, CTX_TB_FLAGS,
		          "QueryColumns accepts only TBL_ALL_COLUMNS.");
		goto done;
	}
	if ((flags & TBL_ALL_COLUMNS) || t->cols == NULL) {
		n = column_set(t, (flags & TBL_ALL_COLUMNS) != 0, buf, N(buf));
		cols = buf;
	} else {
		n = t->ncols;
		cols = t->cols;
	}
	hr = al.alloc_buffer((ULONG)CbNewSPropTagArray(n), (LPVOID *)&a);    /* MM-3 */
	if (FAILED(hr) || a == NULL) {
		hr = fail(t, MAPI_E_NOT_ENOUGH_MEMORY, CTX_TB_MEMORY, "Out of memory.");
		goto done;
	}
	a->cValues = n;
	memcpy(a->aulPropTag, cols, n * sizeof(ULONG));
	*out = a;
done:
	end(t, &ctx);
	return hr;
}

static HRESULT STDMETHODCALLTYPE tb_GetRowCount(IMAPITable *This, ULONG flags, ULONG *count)
{
	struct table *t = impl_from_IMAPITable(This);
	struct abp_tctx ctx;
	struct abp_dir dir;
	size_t n = 0;
	HRESULT hr;

	if (count == NULL || flags != 0) {
		hr = begin(t, false, NULL, &ctx);
		if (FAILED(hr))
			return hr;
		hr = count == NULL
		     ? fail(t, MAPI_E_INVALID_PARAMETER, CTX_TB_PARAM,
		            "GetRowCount needs an output pointer.")
		     : fail(t, MAPI_E_UNKNOWN_FLAGS, CTX_TB_FLAGS,
		            "GetRowCount takes no flags.");             /* TB-4 */
		end(t, &ctx);
		return hr;
	}
	hr = begin(t, true, &dir, &ctx);
	if (FAILED(hr))
		return hr;
	hr = count_rows(t, &ctx, &n);
	if (SUCCEEDED(hr))
		*count = n > ULONG32_MAX ? ULONG32_MAX : (ULONG)n;
	end(t, &ctx);
	return hr;
}

static HRESULT STDMETHODCALLTYPE tb_SeekRow(IMAPITable *This, BOOKMARK bk, LONG n,
                                            LONG *sought)
{
	struct table *t = impl_from_IMAPITable(This);
	struct abp_tctx ctx;
	struct abp_dir dir;
	size_t count = 0, origin = 0, target;
	HRESULT hr, warn;

	hr = begin(t, true, &dir, &ctx);
	if (FAILED(hr))
		return hr;
	hr = count_rows(t, &ctx, &count);
	if (FAILED(hr))
		goto done;
	warn = resolve_origin(t, &ctx, bk, count, &origin);
	if (FAILED(warn)) {
		hr = warn;
		goto done;
	}
	/* TB-6: signed, clamped at both ends. */
	if (n < 0)
		target = (size_t)(-(long long)n) > origin ? 0 : origin - (size_t)(-(long long)n);
	else
		target = (size_t)n > count - origin ? count : origin + (size_t)n;
	t->pos = target;
	if (sought != NULL)
		*sought = (LONG)((long long)target - (long long)origin);
	hr = warn;
done:
	end(t, &ctx);
	return hr;
}

static HRESULT STDMETHODCALLTYPE tb_SeekRowApprox(IMAPITable *This, ULONG num, ULONG den)
{
	struct table *t = impl_from_IMAPITable(This);
	struct abp_tctx ctx;
	struct abp_dir dir;
	size_t count = 0;
	HRESULT hr;

	hr = begin(t, den != 0, &dir, &ctx);
	if (FAILED(hr))
		return hr;
	if (den == 0) {
		hr = fail(t, MAPI_E_INVALID_PARAMETER, CTX_TB_PARAM,
		          "SeekRowApprox needs a non-zero denominator.");      /* TB-7 */
		goto done;
	}
	hr = count_rows(t, &ctx, &count);
	if (FAILED(hr))
		goto done;
	if (num == 0)
		t->pos = 0;
	else if (num >= den)
		t->pos = count;
	else
		t->pos = (size_t)(((unsigned long long)num * count) / den);
done:
	end(t, &ctx);
	return hr;
}

static HRESULT STDMETHODCALLTYPE tb_QueryPosition(IMAPITable *This, ULONG *row, ULONG *num,
                                                  ULONG *den)
{
	struct table *t = impl_from_IMAPITable(This);
	struct abp_tctx ctx;
	struct abp_dir dir;
	size_t count = 0;
	bool ok = row != NULL && num != NULL && den != NULL;
	HRESULT hr;

	hr = begin(t, ok, &dir, &ctx);
	if (FAILED(hr))
		return hr;
	if (!ok) {
		hr = fail(t, MAPI_E_INVALID_PARAMETER, CTX_TB_PARAM,
		          "QueryPosition needs all three output pointers.");
		goto done;
	}
	hr = count_rows(t, &ctx, &count);
	if (FAILED(hr))
		goto done;
	/* TB-8: den never 0; scaled down to fit a ULONG. */
	{
		unsigned long long p = t->pos, c = count;

		while (c > ULONG32_MAX) {
			p >>= 1;
			c >>= 1;
		}
		*row = t->pos > ULONG32_MAX ? 0xFFFFFFFFu : (ULONG)t->pos;
		*num = (ULONG)p;
		*den = c == 0 ? 1 : (ULONG)c;
	}
done:
	end(t, &ctx);
	return hr;
}

/* A type-down restriction (CT-8 c/d): the string to jump to, and whether it
 * is a prefix (else RELOP_GE). */
static bool typedown(const SRestriction *res, char **value, bool *prefix)
{
	const SPropValue *pv = NULL;
	ULONG tag;

	*value = NULL;
	*prefix = false;
	if (res->rt == RES_PROPERTY && res->res.resProperty.relop == RELOP_GE) {
		tag = res->res.resProperty.ulPropTag;
		pv = res->res.resProperty.lpProp;
	} else if (res->rt == RES_CONTENT &&
	           (res->res.resContent.ulFuzzyLevel & 0xFFFFu) == FL_PREFIX) {
		tag = res->res.resContent.ulPropTag;
		pv = res->res.resContent.lpProp;
		*prefix = true;
	} else {
		return false;
	}
	if (PROP_ID(tag) != PROP_ID(PR_DISPLAY_NAME_W) || pv == NULL ||
	    PROP_ID(pv->ulPropTag) != PROP_ID(PR_DISPLAY_NAME_W))
		return false;
	*value = abp_propval_utf8_dup(pv);
	return *value != NULL;
}

/* RES_PROPERTY RELOP_EQ on PR_INSTANCE_KEY (CT-8b): the key. */
static bool instance_key(const SRestriction *res, const uint8_t **key, size_t *len)
{
	const SPropValue *pv = res->res.resProperty.lpProp;

	if (res->rt != RES_PROPERTY || res->res.resProperty.relop != RELOP_EQ ||
	    res->res.resProperty.ulPropTag != PR_INSTANCE_KEY || pv == NULL ||
	    pv->ulPropTag != PR_INSTANCE_KEY || (pv->Value.bin.cb > 0 && pv->Value.bin.lpb == NULL))
		return false;
	*key = pv->Value.bin.lpb;
	*len = pv->Value.bin.cb;
	return true;
}

static bool key_matches(const struct abp_props *row, const SRestriction *res)
{
	return abp_restrict_match(res, row);
}

/* TB-9 scan from start (forward) or from start - 1 (backward). */
static HRESULT scan(struct table *t, struct abp_tctx *ctx, const SRestriction *res,
                    size_t start, size_t count, bool backward, size_t *found)
{
	const struct abp_props *rows[SCAN_BATCH];
	size_t got, i;
	HRESULT hr;

	if (!backward) {
		while (start < count) {
			size_t want = count - start < SCAN_BATCH ? count - start : SCAN_BATCH;

			hr = t->src->ops->read(t->src, ctx, start, want, false, rows, &got);
			if (FAILED(hr))
				return hr;
			for (i = 0; i < got; i++)
				if (key_matches(rows[i], res)) {
					*found = start + i;
					return S_OK;
				}
			if (got < want)
				break;
			start += got;
		}
	} else {
		while (start > 0) {
			size_t want = start < SCAN_BATCH ? start : SCAN_BATCH;

			hr = t->src->ops->read(t->src, ctx, start - want, want, true, rows, &got);
			if (FAILED(hr))
				return hr;
			for (i = got; i-- > 0;)
				if (key_matches(rows[i], res)) {
					*found = start - want + i;
					return S_OK;
				}
			start -= want;
		}
	}
	return MAPI_E_NOT_FOUND;
}

static HRESULT STDMETHODCALLTYPE tb_FindRow(IMAPITable *This, LPSRestriction res, BOOKMARK bk,
                                            ULONG flags)
{
	struct table *t = impl_from_IMAPITable(This);
	struct abp_tctx ctx;
	struct abp_dir dir;
	size_t count = 0, origin = 0, found = 0;
	bool backward = (flags & DIR_BACKWARD) != 0, prefix = false;
	const uint8_t *key = NULL;
	size_t keylen = 0;
	char *value = NULL;
	HRESULT hr, warn;

	hr = begin(t, res != NULL && !(flags & ~DIR_BACKWARD), &dir, &ctx);
	if (FAILED(hr))
		return hr;
	if (res == NULL) {
		hr = fail(t, MAPI_E_INVALID_PARAMETER, CTX_TB_PARAM, "FindRow needs a restriction.");
		goto done;
	}
	if (flags & ~DIR_BACKWARD) {
		hr = fail(t, MAPI_E_UNKNOWN_FLAGS, CTX_TB_FLAGS, "FindRow accepts only DIR_BACKWARD.");
		goto done;
	}
	hr = abp_restrict_validate(res, &t->le);
	if (FAILED(hr))
		goto done;
	hr = count_rows(t, &ctx, &count);
	if (FAILED(hr))
		goto done;
	warn = resolve_origin(t, &ctx, bk, count, &origin);
	if (FAILED(warn)) {
		hr = warn;
		goto done;
	}
	hr = S_FALSE;
	if (t->src->ops->seek_key != NULL && instance_key(res, &key, &keylen)) {
		/* CT-8b: where the source can tell (keys are unique, EK-8). */
		size_t p = 0;

		hr = t->src->ops->seek_key(t->src, &ctx, key, keylen, &p);
		if (FAILED(hr) && hr != MAPI_E_NOT_FOUND)
			goto done;
		if (hr == S_OK) {
			hr = (backward ? p < origin : p >= origin) ? S_OK : MAPI_E_NOT_FOUND;
			found = p;
		}
	}
	if (hr != S_FALSE) {
		/* settled by the key */
	} else if (!backward && !t->src->descending && t->src->ops->seek_value != NULL &&
	           typedown(res, &value, &prefix)) {
		/* CT-8d: a jump by value in the server's collation. */
		size_t p = 0;

		hr = t->src->ops->seek_value(t->src, &ctx, value, &p);
		if (FAILED(hr))
			goto done;
		if (p < origin)
			p = origin;
		if (p >= count) {
			hr = MAPI_E_NOT_FOUND;
		} else if (prefix) {
			const struct abp_props *row = NULL;
			size_t got = 0;

			hr = t->src->ops->read(t->src, &ctx, p, 1, false, &row, &got);
			if (SUCCEEDED(hr))
				hr = got == 1 && key_matches(row, res) ? S_OK : MAPI_E_NOT_FOUND;
		} else {
			hr = S_OK;
		}
		found = p;
	} else {
		hr = scan(t, &ctx, res, origin, count, backward, &found);
	}
	if (hr == MAPI_E_NOT_FOUND) {
		hr = fail(t, MAPI_E_NOT_FOUND, CTX_TB_NOT_FOUND,
		          "No row from the starting point on matches the search.");    /* TB-9 */
		goto done;
	}
	if (FAILED(hr))
		goto done;
	t->pos = found;
	hr = bk == BOOKMARK_CURRENT || bk == BOOKMARK_BEGINNING || bk == BOOKMARK_END ? S_OK
	                                                                              : warn;
done:
	free(value);
	end(t, &ctx);
	return hr;
}

static HRESULT STDMETHODCALLTYPE tb_Restrict(IMAPITable *This, LPSRestriction res, ULONG flags)
{
	struct table *t = impl_from_IMAPITable(This);
	struct abp_tctx ctx;
	struct abp_dir dir;
	HRESULT hr;

	hr = begin(t, !(flags & ~(TBL_ASYNC | TBL_BATCH)), &dir, &ctx);
	if (FAILED(hr))
		return hr;
	if (flags & ~(TBL_ASYNC | TBL_BATCH)) {
		hr = fail(t, MAPI_E_UNKNOWN_FLAGS, CTX_TB_FLAGS,
		          "Restrict accepts only TBL_ASYNC and TBL_BATCH.");   /* TB-10 */
		goto done;
	}
	if (res != NULL) {
		hr = abp_restrict_validate(res, &t->le);
		if (FAILED(hr))
			goto done;
	}
	hr = t->src->ops->restrict_view(t->src, &ctx, res);
	if (FAILED(hr))
		goto done;
	t->pos = 0;
	bookmarks_clear(t);
done:
	end(t, &ctx);
	return hr;
}

static HRESULT STDMETHODCALLTYPE tb_CreateBookmark(IMAPITable *This, BOOKMARK *out)
{
	struct table *t = impl_from_IMAPITable(This);
	struct abp_tctx ctx;
	struct abp_dir dir;
	struct bookmark *slot = NULL;
	size_t i, count = 0;
	HRESULT hr;

	hr = begin(t, out != NULL, &dir, &ctx);
	if (FAILED(hr))
		return hr;
	if (out == NULL) {
		hr = fail(t, MAPI_E_INVALID_PARAMETER, CTX_TB_PARAM,
		          "CreateBookmark needs an output pointer.");
		goto done;
	}
	for (i = 0; i < ABP_TABLE_MAX_BOOKMARKS && slot == NULL; i++)
		if (t->bm[i].id == 0)
			slot = &t->bm[i];
	if (slot == NULL) {
		hr = fail(t, MAPI_E_UNABLE_TO_COMPLETE, CTX_TB_BOOKMARK,
		          "This table already holds 64 bookmarks; free some with FreeBookmark.");
		goto done;                                              /* TB-12 */
	}
	hr = count_rows(t, &ctx, &count);
	if (FAILED(hr))
		goto done;
	hr = row_key(t, &ctx, t->pos, &slot->key, &slot->keylen);
	if (FAILED(hr))
		goto done;
	slot->pos = t->pos;
	slot->id = t->next_bm++;
	if (t->next_bm < FIRST_BOOKMARK)
		t->next_bm = FIRST_BOOKMARK;
	*out = slot->id;
done:
	end(t, &ctx);
	return hr;
}

static HRESULT STDMETHODCALLTYPE tb_FreeBookmark(IMAPITable *This, BOOKMARK bk)
{
	struct table *t = impl_from_IMAPITable(This);
	struct bookmark *b;
	struct abp_tctx ctx;
	HRESULT hr;

	hr = begin(t, false, NULL, &ctx);
	if (FAILED(hr))
		return hr;
	if (bk == BOOKMARK_BEGINNING || bk == BOOKMARK_CURRENT || bk == BOOKMARK_END)
		goto done;                                              /* TB-12 no-op */
	b = bookmark_find(t, bk);
	if (b == NULL) {
		hr = fail(t, MAPI_E_INVALID_BOOKMARK, CTX_TB_BOOKMARK,
		          "The bookmark is not one of this table's (unknown or already freed).");
		goto done;
	}
	free(b->key);
	memset(b, 0, sizeof(*b));
done:
	end(t, &ctx);
	return hr;
}

static HRESULT STDMETHODCALLTYPE tb_SortTable(IMAPITable *This, LPSSortOrderSet sorts,
                                              ULONG flags)
{
	struct table *t = impl_from_IMAPITable(This);
	struct abp_tctx ctx;
	struct abp_dir dir;
	bool desc = false, ok;
	int state = 0;
	HRESULT hr;

	ok = sorts != NULL && !(flags & ~(TBL_ASYNC | TBL_BATCH));
	hr = begin(t, ok, &dir, &ctx);
	if (FAILED(hr))
		return hr;
	if (sorts == NULL || sorts->cCategories > sorts->cSorts ||
	    sorts->cExpanded > sorts->cCategories) {
		hr = fail(t, MAPI_E_INVALID_PARAMETER, CTX_TB_PARAM,
		          "SortTable needs a sort order set with consistent counts.");
		goto done;
	}
	if (flags & ~(TBL_ASYNC | TBL_BATCH)) {
		hr = fail(t, MAPI_E_UNKNOWN_FLAGS, CTX_TB_FLAGS,
		          "SortTable accepts only TBL_ASYNC and TBL_BATCH.");
		goto done;
	}
	/* TB-11: display name either way, or the default. */
	if (sorts->cCategories > 0 || sorts->cSorts > 1 ||
	    (sorts->cSorts == 1 &&
	     (PROP_ID(sorts->aSort[0].ulPropTag) != PROP_ID(PR_DISPLAY_NAME_W) ||
	      (PROP_TYPE(sorts->aSort[0].ulPropTag) != PT_UNICODE &&
	       PROP_TYPE(sorts->aSort[0].ulPropTag) != PT_STRING8 &&
	       PROP_TYPE(sorts->aSort[0].ulPropTag) != PT_UNSPECIFIED) ||
	      (sorts->aSort[0].ulOrder != TABLE_SORT_ASCEND &&
	       sorts->aSort[0].ulOrder != TABLE_SORT_DESCEND)))) {
		hr = fail(t, MAPI_E_TOO_COMPLEX, CTX_TB_SORT,
		          "This table sorts only by display name, ascending or descending, "
		          "without categories.");
		goto done;
	}
	if (sorts->cSorts == 1) {
		desc = sorts->aSort[0].ulOrder == TABLE_SORT_DESCEND;
		state = desc ? 2 : 1;
	}
	hr = t->src->ops->sort(t->src, &ctx, state == 0 ? ABP_SORT_DEFAULT
	                                     : desc ? ABP_SORT_DESCENDING : ABP_SORT_ASCENDING);
	if (FAILED(hr))
		goto done;
	t->src->descending = desc;
	t->sort_state = state;
	t->pos = 0;
	bookmarks_clear(t);
done:
	end(t, &ctx);
	return hr;
}

static HRESULT STDMETHODCALLTYPE tb_QuerySortOrder(IMAPITable *This, LPSSortOrderSet *out)
{
	struct table *t = impl_from_IMAPITable(This);
	struct abp_allocs al = abp_allocs_of(t->s);
	LPSSortOrderSet set = NULL;
	struct abp_tctx ctx;
	ULONG n;
	HRESULT hr;

	hr = begin(t, false, NULL, &ctx);
	if (FAILED(hr))
		return hr;
	if (out == NULL) {
		hr = fail(t, MAPI_E_INVALID_PARAMETER, CTX_TB_PARAM,
		          "QuerySortOrder needs an output pointer.");
		goto done;
	}
	/* The default of a contents table is display name ascending; a
	 * hierarchy's default is its depth-first order (no sort key). */
	n = (t->sort_state != 0 || t->kind == ABP_TABLE_CONTENTS) ? 1 : 0;
	hr = al.alloc_buffer((ULONG)CbNewSSortOrderSet(n), (LPVOID *)&set);  /* MM-3 */
	if (FAILED(hr) || set == NULL) {
		hr = fail(t, MAPI_E_NOT_ENOUGH_MEMORY, CTX_TB_MEMORY, "Out of memory.");
		goto done;
	}
	set->cSorts = n;
	set->cCategories = 0;
	set->cExpanded = 0;
	if (n == 1) {
		set->aSort[0].ulPropTag = STR(PR_DISPLAY_NAME_W, t->unicode);
		set->aSort[0].ulOrder = t->sort_state == 2 ? TABLE_SORT_DESCEND : TABLE_SORT_ASCEND;
	}
	*out = set;
done:
	end(t, &ctx);
	return hr;
}

static HRESULT STDMETHODCALLTYPE tb_QueryRows(IMAPITable *This, LONG n, ULONG flags,
                                              LPSRowSet *out)
{
	struct table *t = impl_from_IMAPITable(This);
	const struct abp_props **rows = NULL;
	struct abp_tctx ctx;
	struct abp_dir dir;
	size_t count = 0, want, start, got = 0;
	bool ok = out != NULL && n != 0 && !(flags & ~TBL_NOADVANCE);
	HRESULT hr;

	if (out != NULL)
		*out = NULL;
	hr = begin(t, ok, &dir, &ctx);
	if (FAILED(hr))
		return hr;
	if (out == NULL || n == 0) {
		hr = fail(t, MAPI_E_INVALID_PARAMETER, CTX_TB_PARAM,
		          "QueryRows needs an output pointer and a non-zero row count.");
		goto done;                                              /* TB-5 */
	}
	if (flags & ~TBL_NOADVANCE) {
		hr = fail(t, MAPI_E_UNKNOWN_FLAGS, CTX_TB_FLAGS,
		          "QueryRows accepts only TBL_NOADVANCE.");
		goto done;
	}
	hr = count_rows(t, &ctx, &count);
	if (FAILED(hr))
		goto done;
	if (n > 0) {
		want = (size_t)n;
		if (want > count - t->pos)
			want = count - t->pos;
		start = t->pos;
	} else {
		want = (size_t)(-(long long)n);
		if (want > t->pos)
			want = t->pos;
		start = t->pos - want;
	}
	if (want > ABP_TABLE_MAX_ROWS_PER_CALL) {
		if (n < 0)
			start += want - ABP_TABLE_MAX_ROWS_PER_CALL;
		want = ABP_TABLE_MAX_ROWS_PER_CALL;
	}
	if (want > 0) {
		rows = malloc(want * sizeof(*rows));
		if (rows == NULL) {
			hr = fail(t, MAPI_E_NOT_ENOUGH_MEMORY, CTX_TB_MEMORY, "Out of memory.");
			goto done;
		}
		hr = t->src->ops->read(t->src, &ctx, start, want, n < 0, rows, &got);
		if (FAILED(hr))
			goto done;
	}
	hr = build_rowset(t, rows, got, out);
	if (FAILED(hr))
		goto done;
	/* TB-5: forward ends after the last row (unless TBL_NOADVANCE);
	 * backward ends on the first returned row. */
	if (n < 0)
		t->pos = start;
	else if (!(flags & TBL_NOADVANCE))
		t->pos = start + got;
	if (n > 0 && start + got >= count && t->src->ops->partial(t->src))
		hr = abp_lasterr_set(&t->le, MAPI_W_PARTIAL_COMPLETION, 0, CTX_TB_PARTIAL,
		                     "The directory holds more entries than this list shows "
		                     "(it stopped at a size limit or a time limit: the "
		                     "configured PR_LDAPAB_SIZE_LIMIT or the server's own); "
		                     "search for a name to narrow it down.");
done:
	free(rows);
	end(t, &ctx);
	return hr;
}

static HRESULT STDMETHODCALLTYPE tb_Abort(IMAPITable *This)
{
	struct table *t = impl_from_IMAPITable(This);

	if (!abp_session_enter(t->s))
		return MAPI_E_INVALID_OBJECT;
	abp_session_leave(t->s);
	return S_OK;                    /* TB-13: nothing runs asynchronously */
}

static HRESULT no_support(struct table *t, const char *what)
{
	struct abp_tctx ctx;
	HRESULT hr = begin(t, false, NULL, &ctx);

	if (FAILED(hr))
		return hr;
	hr = abp_lasterr_set(&t->le, MAPI_E_NO_SUPPORT, 0, CTX_TB_NO_SUPPORT,
	                     "%s: address book tables have no categories.", what);   /* TB-14 */
	end(t, &ctx);
	return hr;
}

static HRESULT STDMETHODCALLTYPE tb_ExpandRow(IMAPITable *This, ULONG cb, LPBYTE key,
                                              ULONG count, ULONG flags, LPSRowSet *rows,
                                              ULONG *more)
{
	(void)cb;
	(void)key;
	(void)count;
	(void)flags;
	if (rows != NULL)
		*rows = NULL;
	if (more != NULL)
		*more = 0;
	return no_support(impl_from_IMAPITable(This), "ExpandRow");
}

static HRESULT STDMETHODCALLTYPE tb_CollapseRow(IMAPITable *This, ULONG cb, LPBYTE key,
                                                ULONG flags, ULONG *count)
{
	(void)cb;
	(void)key;
	(void)flags;
	if (count != NULL)
		*count = 0;
	return no_support(impl_from_IMAPITable(This), "CollapseRow");
}

static HRESULT STDMETHODCALLTYPE tb_WaitForCompletion(IMAPITable *This, ULONG flags,
                                                      ULONG timeout, ULONG *status)
{
	struct table *t = impl_from_IMAPITable(This);
	struct abp_tctx ctx;
	HRESULT hr;

	(void)timeout;
	hr = begin(t, false, NULL, &ctx);
	if (FAILED(hr))
		return hr;
	if (flags != 0)
		hr = fail(t, MAPI_E_UNKNOWN_FLAGS, CTX_TB_FLAGS,
		          "WaitForCompletion takes no flags.");         /* TB-13 */
	else if (status != NULL)
		*status = TBLSTAT_COMPLETE;
	end(t, &ctx);
	return hr;
}

static HRESULT STDMETHODCALLTYPE tb_GetCollapseState(IMAPITable *This, ULONG flags, ULONG cb,
                                                     LPBYTE key, ULONG *cbstate,
                                                     LPBYTE *state)
{
	(void)flags;
	(void)cb;
	(void)key;
	if (cbstate != NULL)
		*cbstate = 0;
	if (state != NULL)
		*state = NULL;
	return no_support(impl_from_IMAPITable(This), "GetCollapseState");
}

static HRESULT STDMETHODCALLTYPE tb_SetCollapseState(IMAPITable *This, ULONG flags, ULONG cb,
                                                     LPBYTE state, BOOKMARK *loc)
{
	(void)flags;
	(void)cb;
	(void)state;
	if (loc != NULL)
		*loc = BOOKMARK_BEGINNING;
	return no_support(impl_from_IMAPITable(This), "SetCollapseState");
}

static const IMAPITableVtbl table_vtbl = {
	tb_QueryInterface,
	tb_AddRef,
	tb_Release,
	tb_GetLastError,
	tb_Advise,
	tb_Unadvise,
	tb_GetStatus,
	tb_SetColumns,
	tb_QueryColumns,
	tb_GetRowCount,
	tb_SeekRow,
	tb_SeekRowApprox,
	tb_QueryPosition,
	tb_FindRow,
	tb_Restrict,
	tb_CreateBookmark,
	tb_FreeBookmark,
	tb_SortTable,
	tb_QuerySortOrder,
	tb_QueryRows,
	tb_Abort,
	tb_ExpandRow,
	tb_CollapseRow,
	tb_WaitForCompletion,
	tb_GetCollapseState,
	tb_SetCollapseState,
};
