/* Unit tests of the IMAPITable state machine (table.c) over a fake row
 * source and over the in-memory source (table_mem.c), without a server:
 * TB-2..TB-15, TB-18, EK-8, MM-4, LC-40. */
#include "test_objects_util.h"

#include <pthread.h>
#include <stdio.h>

#include <ldapab_host/host.h>

#include "abp_test_support.h"
#include "restrict.h"
#include "table.h"

/* Row i of a row set (aRow is declared with one element). */
static SRow *row_at(LPSRowSet rs, ULONG i)
{
	return &rs->aRow[i];
}

static const MAPIUID test_uid = { { 0xB0, 0xB1, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7,
                                    0xB8, 0xB9, 0xBA, 0xBB, 0xBC, 0xBD, 0xBE, 0xBF } };

static struct abp_session *session_new(void)
{
	struct abp_config *cfg = calloc(1, sizeof(*cfg));
	struct abp_session *s = NULL;

	assert_non_null(cfg);
	assert_int_equal(abp_session_new(host_MAPIAllocateBuffer, host_MAPIAllocateMore,
	                                 host_MAPIFreeBuffer, &test_uid, cfg, &s), S_OK);
	return s;
}

/* Row i: display name "Name %04u" (or names[i]), instance key 4 bytes i. */
static void make_row(struct abp_props *bag, unsigned i, const char *name)
{
	char buf[32];
	uint8_t key[4] = { (uint8_t)(i >> 24), (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i };

	abp_props_init(bag);
	if (name == NULL) {
		snprintf(buf, sizeof(buf), "Name %04u", i);
		name = buf;
	}
	assert_int_equal(abp_props_add_string(bag, PR_DISPLAY_NAME_W, name, (size_t)-1), S_OK);
	assert_int_equal(abp_props_add_binary(bag, PR_INSTANCE_KEY, key, 4), S_OK);
	assert_int_equal(abp_props_add_long(bag, PR_OBJECT_TYPE, MAPI_MAILUSER), S_OK);
}

/* ---------------------------------------------------------------------- */
/* The fake source: rows in order, reads counted, rows removable           */
/* ---------------------------------------------------------------------- */

struct fake {
	struct abp_tsrc base;
	struct abp_props *rows;
	size_t n;
	size_t reads;
	bool partial;
	bool fail_sort;
};

static struct fake *fake_of(struct abp_tsrc *s)
{
	return (struct fake *)(void *)s;
}

static HRESULT f_count(struct abp_tsrc *s, struct abp_tctx *ctx, size_t *n)
{
	(void)ctx;
	*n = fake_of(s)->n;
	return S_OK;
}

static HRESULT f_read(struct abp_tsrc *s, struct abp_tctx *ctx, size_t start, size_t n,
                      bool backward, const struct abp_props **rows, size_t *got)
{
	struct fake *f = fake_of(s);
	size_t i;

	(void)ctx;
	(void)backward;
	f->reads++;
	for (i = 0; i < n && start + i < f->n; i++)
		rows[i] = &f->rows[start + i];
	*got = i;
	return S_OK;
}

static HRESULT f_sort(struct abp_tsrc *s, struct abp_tctx *ctx, enum abp_sort_order o)
{
	struct fake *f = fake_of(s);
	size_t i;

	(void)ctx;
	if (f->fail_sort)
		return abp_lasterr_set(ctx->le, MAPI_E_CALL_FAILED, 0, 1, "sort failed");
	if ((o == ABP_SORT_DESCENDING) != f->base.descending)
		for (i = 0; i < f->n / 2; i++) {
			struct abp_props t = f->rows[i];

			f->rows[i] = f->rows[f->n - 1 - i];
			f->rows[f->n - 1 - i] = t;
		}
	return S_OK;
}

static HRESULT f_restrict(struct abp_tsrc *s, struct abp_tctx *ctx, const SRestriction *r)
{
	(void)s;
	(void)ctx;
	(void)r;
	return S_OK;
}

static bool f_partial(struct abp_tsrc *s)
{
	return fake_of(s)->partial;
}

static void f_destroy(struct abp_tsrc *s)
{
	struct fake *f = fake_of(s);
	size_t i;

	for (i = 0; i < f->n; i++)
		abp_props_free(&f->rows[i]);
	free(f->rows);
	free(f);
}

static const struct abp_tsrc_ops fake_ops = {
	f_count, f_read, NULL, NULL, f_sort, f_restrict, f_partial, f_destroy
};

static struct fake *fake_new(size_t n)
{
	struct fake *f = calloc(1, sizeof(*f));
	size_t i;

	assert_non_null(f);
	f->base.ops = &fake_ops;
	f->rows = calloc(n ? n : 1, sizeof(*f->rows));
	assert_non_null(f->rows);
	for (i = 0; i < n; i++)
		make_row(&f->rows[i], (unsigned)i, NULL);
	f->n = n;
	return f;
}

/* Remove row i (a VLV view following the server). */
static void fake_remove(struct fake *f, size_t i)
{
	abp_props_free(&f->rows[i]);
	memmove(&f->rows[i], &f->rows[i + 1], (f->n - i - 1) * sizeof(*f->rows));
	f->n--;
}

struct fx {
	struct abp_session *s;
	struct fake *f;
	LPMAPITABLE t;
};

static void fx_open(struct fx *x, size_t n, ULONG flags)
{
	x->s = session_new();
	x->f = fake_new(n);
	assert_int_equal(abp_table_new(x->s, ABP_TABLE_CONTENTS, flags, &x->f->base, &x->t), S_OK);
}

static void fx_close(struct fx *x)
{
	assert_int_equal(x->t->lpVtbl->Release(x->t), 0);
	abp_session_release(x->s);
	assert_int_equal(live_roots(), 0);
}

static void free_rows(LPSRowSet rs)
{
	ULONG i;

	if (rs == NULL)
		return;
	/* MM-4: each row its own root, then the set (FreeProws). */
	for (i = 0; i < rs->cRows; i++) {
		assert_true(host_mem_is_root(row_at(rs, i)->lpProps));
		host_MAPIFreeBuffer(row_at(rs, i)->lpProps);
	}
	host_MAPIFreeBuffer(rs);
}

/* The index encoded in a row's instance key (the fake's rows). */
static unsigned row_index(const SRow *r)
{
	ULONG i;

	for (i = 0; i < r->cValues; i++)
		if (r->lpProps[i].ulPropTag == PR_INSTANCE_KEY) {
			const uint8_t *b = r->lpProps[i].Value.bin.lpb;

			assert_int_equal(r->lpProps[i].Value.bin.cb, 4);
			return (unsigned)b[0] << 24 | (unsigned)b[1] << 16 | (unsigned)b[2] << 8 | b[3];
		}
	fail_msg("row without PR_INSTANCE_KEY");
	return 0;
}

static ULONG pos_of(LPMAPITABLE t)
{
	ULONG row = 0, num = 0, den = 0;

	assert_int_equal(t->lpVtbl->QueryPosition(t, &row, &num, &den), S_OK);
	return row;
}

/* ---------------------------------------------------------------------- */

static void test_TB5_forward_backward_noadvance_and_end_is_zero_rows(void **state)
{
	struct fx x;
	LPSRowSet rs = NULL;

	(void)state;
	fx_open(&x, 10, MAPI_UNICODE);
	assert_int_equal(x.t->lpVtbl->QueryRows(x.t, 0, 0, &rs), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(x.t->lpVtbl->QueryRows(x.t, 1, 0, NULL), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(x.t->lpVtbl->QueryRows(x.t, 1, 0x100, &rs), MAPI_E_UNKNOWN_FLAGS);
	assert_null(rs);

	assert_int_equal(x.t->lpVtbl->QueryRows(x.t, 4, 0, &rs), S_OK);
	assert_int_equal(rs->cRows, 4);
	assert_int_equal(row_index(row_at(rs, 0)), 0);
	assert_int_equal(row_index(row_at(rs, 3)), 3);
	free_rows(rs);
	assert_int_equal(pos_of(x.t), 4);

	/* TBL_NOADVANCE leaves the cursor where it was. */
	assert_int_equal(x.t->lpVtbl->QueryRows(x.t, 2, TBL_NOADVANCE, &rs), S_OK);
	assert_int_equal(rs->cRows, 2);
	assert_int_equal(row_index(row_at(rs, 0)), 4);
	free_rows(rs);
	assert_int_equal(pos_of(x.t), 4);

	/* Backward: forward order, cursor on the first returned row. */
	assert_int_equal(x.t->lpVtbl->QueryRows(x.t, -3, 0, &rs), S_OK);
	assert_int_equal(rs->cRows, 3);
	assert_int_equal(row_index(row_at(rs, 0)), 1);
	assert_int_equal(row_index(row_at(rs, 2)), 3);
	free_rows(rs);
	assert_int_equal(pos_of(x.t), 1);
	assert_int_equal(x.t->lpVtbl->QueryRows(x.t, -5, 0, &rs), S_OK);
	assert_int_equal(rs->cRows, 1);                 /* only one before it */
	free_rows(rs);
	assert_int_equal(x.t->lpVtbl->QueryRows(x.t, -1, 0, &rs), S_OK);
	assert_int_equal(rs->cRows, 0);                 /* start: zero rows */
	free_rows(rs);

	/* Fewer than asked at the end, then zero rows with S_OK, never NOT_FOUND. */
	assert_int_equal(x.t->lpVtbl->SeekRow(x.t, BOOKMARK_BEGINNING, 8, NULL), S_OK);
	assert_int_equal(x.t->lpVtbl->QueryRows(x.t, 50, 0, &rs), S_OK);
	assert_int_equal(rs->cRows, 2);
	free_rows(rs);
	assert_int_equal(x.t->lpVtbl->QueryRows(x.t, 50, 0, &rs), S_OK);
	assert_int_equal(rs->cRows, 0);
	free_rows(rs);
	assert_int_equal(x.t->lpVtbl->QueryRows(x.t, 0x7FFFFFFF, 0, &rs), S_OK);
	assert_int_equal(rs->cRows, 0);
	free_rows(rs);
	assert_int_equal(x.t->lpVtbl->QueryRows(x.t, (LONG)0x80000000, 0, &rs), S_OK);
	assert_int_equal(rs->cRows, 10);
	free_rows(rs);
	fx_close(&x);
}

static void test_TB5_partial_view_signals_at_its_end(void **state)
{
	struct fx x;
	LPSRowSet rs = NULL;
	LPMAPIERROR err = NULL;

	(void)state;
	fx_open(&x, 3, 0);
	x.f->partial = true;
	assert_int_equal(x.t->lpVtbl->QueryRows(x.t, 2, 0, &rs), S_OK);
	free_rows(rs);
	assert_int_equal(x.t->lpVtbl->QueryRows(x.t, 2, 0, &rs), MAPI_W_PARTIAL_COMPLETION);
	assert_int_equal(rs->cRows, 1);
	free_rows(rs);
	assert_int_equal(x.t->lpVtbl->GetLastError(x.t, MAPI_W_PARTIAL_COMPLETION, 0, &err), S_OK);
	assert_non_null(err);
	assert_non_null(strstr((const char *)err->lpszError, "size limit"));
	host_MAPIFreeBuffer(err);
	fx_close(&x);
}

static void test_TB2_TB3_columns_null_unknown_typed_and_all(void **state)
{
	struct fx x;
	LPSRowSet rs = NULL;
	LPSPropTagArray cols = NULL;
	SizedSPropTagArray(5, want) = { 5, { PR_DISPLAY_NAME_A, PR_NULL, PROP_TAG(PT_LONG, 0x6789),
	                                     PR_INSTANCE_KEY, PROP_TAG(PT_UNSPECIFIED, 0x3001) } };

	(void)state;
	fx_open(&x, 2, 0);
	/* TB-1: default columns, strings 8-bit without MAPI_UNICODE (CT-7). */
	assert_int_equal(x.t->lpVtbl->QueryColumns(x.t, 0, &cols), S_OK);
	assert_int_equal(cols->cValues, 11);
	assert_int_equal(cols->aulPropTag[1], PR_DISPLAY_NAME_A);
	assert_true(host_mem_is_root(cols));
	host_MAPIFreeBuffer(cols);
	assert_int_equal(x.t->lpVtbl->QueryColumns(x.t, TBL_ALL_COLUMNS, &cols), S_OK);
	assert_true(cols->cValues > 11);
	{
		bool dept = false, office = false;

		for (ULONG i = 0; i < cols->cValues; i++) {
			dept |= cols->aulPropTag[i] == PR_DEPARTMENT_NAME_A;
			office |= cols->aulPropTag[i] == PR_OFFICE_LOCATION_A;
		}
		assert_true(dept && office);
	}
	host_MAPIFreeBuffer(cols);
	assert_int_equal(x.t->lpVtbl->QueryColumns(x.t, 0x10, &cols), MAPI_E_UNKNOWN_FLAGS);

	assert_int_equal(x.t->lpVtbl->SetColumns(x.t, NULL, 0), MAPI_E_INVALID_PARAMETER);
	{
		SizedSPropTagArray(1, none) = { 0, { 0 } };

		assert_int_equal(x.t->lpVtbl->SetColumns(x.t, (LPSPropTagArray)&none, 0),
		                 MAPI_E_INVALID_PARAMETER);
	}
	assert_int_equal(x.t->lpVtbl->SetColumns(x.t, (LPSPropTagArray)&want, 0x80),
	                 MAPI_E_UNKNOWN_FLAGS);
	assert_int_equal(x.t->lpVtbl->SetColumns(x.t, (LPSPropTagArray)&want, TBL_BATCH), S_OK);
	assert_int_equal(x.t->lpVtbl->QueryColumns(x.t, 0, &cols), S_OK);
	assert_int_equal(cols->cValues, 5);
	assert_memory_equal(cols->aulPropTag, want.aulPropTag, 5 * sizeof(ULONG));
	host_MAPIFreeBuffer(cols);

	assert_int_equal(x.t->lpVtbl->QueryRows(x.t, 1, 0, &rs), S_OK);
	assert_int_equal(row_at(rs, 0)->cValues, 5);
	assert_int_equal(row_at(rs, 0)->lpProps[0].ulPropTag, PR_DISPLAY_NAME_A);
	assert_string_equal(row_at(rs, 0)->lpProps[0].Value.lpszA, "Name 0000");
	assert_int_equal(row_at(rs, 0)->lpProps[1].ulPropTag, PR_NULL);
	assert_int_equal(row_at(rs, 0)->lpProps[2].ulPropTag, PROP_TAG(PT_ERROR, 0x6789));
	assert_int_equal(row_at(rs, 0)->lpProps[2].Value.err, MAPI_E_NOT_FOUND);
	assert_int_equal(row_at(rs, 0)->lpProps[3].ulPropTag, PR_INSTANCE_KEY);
	assert_int_equal(row_at(rs, 0)->lpProps[4].ulPropTag, PR_DISPLAY_NAME_A);   /* no UNICODE */
	free_rows(rs);
	fx_close(&x);
}

static void test_TB4_rowcount_and_TB13_status_wait_abort_TB14_TB15(void **state)
{
	struct fx x;
	ULONG n = 0, st = 99, ty = 99, cb = 5;
	LPBYTE pb = (LPBYTE)1;
	LPSRowSet rs = (LPSRowSet)1;
	ULONG_PTR conn = 7;

	(void)state;
	fx_open(&x, 7, MAPI_UNICODE);
	assert_int_equal(x.t->lpVtbl->GetRowCount(x.t, 0, &n), S_OK);
	assert_int_equal(n, 7);
	assert_int_equal(x.t->lpVtbl->GetRowCount(x.t, 1, &n), MAPI_E_UNKNOWN_FLAGS);
	assert_int_equal(x.t->lpVtbl->GetRowCount(x.t, 0, NULL), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(x.t->lpVtbl->GetStatus(x.t, &st, &ty), S_OK);
	assert_int_equal(st, TBLSTAT_COMPLETE);
	assert_int_equal(ty, TBLTYPE_SNAPSHOT);
	assert_int_equal(x.t->lpVtbl->GetStatus(x.t, NULL, &ty), MAPI_E_INVALID_PARAMETER);
	st = 99;
	assert_int_equal(x.t->lpVtbl->WaitForCompletion(x.t, 0, 1000, &st), S_OK);
	assert_int_equal(st, TBLSTAT_COMPLETE);
	assert_int_equal(x.t->lpVtbl->WaitForCompletion(x.t, 4, 0, &st), MAPI_E_UNKNOWN_FLAGS);
	assert_int_equal(x.t->lpVtbl->Abort(x.t), S_OK);
	assert_int_equal(x.t->lpVtbl->ExpandRow(x.t, 0, NULL, 1, 0, &rs, &n), MAPI_E_NO_SUPPORT);
	assert_null(rs);
	assert_int_equal(x.t->lpVtbl->CollapseRow(x.t, 0, NULL, 0, &n), MAPI_E_NO_SUPPORT);
	assert_int_equal(x.t->lpVtbl->GetCollapseState(x.t, 0, 0, NULL, &cb, &pb),
	                 MAPI_E_NO_SUPPORT);
	assert_null(pb);
	assert_int_equal(x.t->lpVtbl->SetCollapseState(x.t, 0, 0, NULL, NULL), MAPI_E_NO_SUPPORT);
	assert_int_equal(x.t->lpVtbl->Advise(x.t, fnevTableModified, NULL, &conn),
	                 MAPI_E_NO_SUPPORT);
	assert_int_equal(conn, 0);
	assert_int_equal(x.t->lpVtbl->Unadvise(x.t, 1), MAPI_E_NO_SUPPORT);
	{
		LPMAPIERROR err = NULL;

		/* GetLastError explains the last failure, per table. */
		assert_int_equal(x.t->lpVtbl->GetLastError(x.t, MAPI_E_NO_SUPPORT, MAPI_UNICODE,
		                                           &err), S_OK);
		assert_non_null(err);
		host_MAPIFreeBuffer(err);
	}
	fx_close(&x);
}

static void test_TB6_seekrow_clamps_and_reports_sought(void **state)
{
	struct fx x;
	LONG sought = 0;

	(void)state;
	fx_open(&x, 10, 0);
	assert_int_equal(x.t->lpVtbl->SeekRow(x.t, BOOKMARK_BEGINNING, 3, &sought), S_OK);
	assert_int_equal(sought, 3);
	assert_int_equal(x.t->lpVtbl->SeekRow(x.t, BOOKMARK_CURRENT, -5, &sought), S_OK);
	assert_int_equal(sought, -3);
	assert_int_equal(pos_of(x.t), 0);
	assert_int_equal(x.t->lpVtbl->SeekRow(x.t, BOOKMARK_END, -2, &sought), S_OK);
	assert_int_equal(sought, -2);
	assert_int_equal(pos_of(x.t), 8);
	assert_int_equal(x.t->lpVtbl->SeekRow(x.t, BOOKMARK_CURRENT, 100, &sought), S_OK);
	assert_int_equal(sought, 2);
	assert_int_equal(x.t->lpVtbl->SeekRow(x.t, BOOKMARK_BEGINNING, (LONG)0x80000000, NULL),
	                 S_OK);
	assert_int_equal(pos_of(x.t), 0);
	assert_int_equal(x.t->lpVtbl->SeekRow(x.t, (BOOKMARK)12345, 0, &sought),
	                 MAPI_E_INVALID_BOOKMARK);
	fx_close(&x);
}

static void test_TB6_TB12_bookmarks_position_changed_cap_and_free(void **state)
{
	struct fx x;
	BOOKMARK bk = 0, b2 = 0, many[ABP_TABLE_MAX_BOOKMARKS];
	LPSRowSet rs = NULL;
	size_t i;

	(void)state;
	fx_open(&x, 10, 0);
	assert_int_equal(x.t->lpVtbl->CreateBookmark(x.t, NULL), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(x.t->lpVtbl->SeekRow(x.t, BOOKMARK_BEGINNING, 5, NULL), S_OK);
	assert_int_equal(x.t->lpVtbl->CreateBookmark(x.t, &bk), S_OK);
	assert_true(bk > BOOKMARK_END);
	assert_int_equal(x.t->lpVtbl->SeekRow(x.t, BOOKMARK_BEGINNING, 0, NULL), S_OK);
	assert_int_equal(x.t->lpVtbl->SeekRow(x.t, bk, 0, NULL), S_OK);
	assert_int_equal(x.t->lpVtbl->QueryRows(x.t, 1, 0, &rs), S_OK);
	assert_int_equal(row_index(row_at(rs, 0)), 5);
	free_rows(rs);
	/* The bookmarked row vanished: repositioned, with the warning. */
	fake_remove(x.f, 5);
	assert_int_equal(x.t->lpVtbl->SeekRow(x.t, bk, 0, NULL), MAPI_W_POSITION_CHANGED);
	assert_int_equal(pos_of(x.t), 5);
	/* Predefined ones free as no-ops; unknown or freed ones are refused. */
	assert_int_equal(x.t->lpVtbl->FreeBookmark(x.t, BOOKMARK_CURRENT), S_OK);
	assert_int_equal(x.t->lpVtbl->FreeBookmark(x.t, bk), S_OK);
	assert_int_equal(x.t->lpVtbl->FreeBookmark(x.t, bk), MAPI_E_INVALID_BOOKMARK);
	assert_int_equal(x.t->lpVtbl->SeekRow(x.t, bk, 0, NULL), MAPI_E_INVALID_BOOKMARK);
	/* Capped. */
	for (i = 0; i < ABP_TABLE_MAX_BOOKMARKS; i++)
		assert_int_equal(x.t->lpVtbl->CreateBookmark(x.t, &many[i]), S_OK);
	assert_int_equal(x.t->lpVtbl->CreateBookmark(x.t, &b2), MAPI_E_UNABLE_TO_COMPLETE);
	assert_int_equal(x.t->lpVtbl->FreeBookmark(x.t, many[3]), S_OK);
	assert_int_equal(x.t->lpVtbl->CreateBookmark(x.t, &b2), S_OK);
	assert_true(b2 != many[3]);             /* never reused */
	/* Bookmarks at the end are fine; all freed with the table. */
	fx_close(&x);
}

static void test_TB7_TB8_seekrowapprox_and_queryposition(void **state)
{
	struct fx x;
	ULONG row = 0, num = 0, den = 0;

	(void)state;
	fx_open(&x, 200, 0);
	assert_int_equal(x.t->lpVtbl->SeekRowApprox(x.t, 1, 0), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(x.t->lpVtbl->SeekRowApprox(x.t, 1, 2), S_OK);
	assert_int_equal(x.t->lpVtbl->QueryPosition(x.t, &row, &num, &den), S_OK);
	assert_int_equal(row, 100);
	assert_int_equal(num, 100);
	assert_int_equal(den, 200);
	assert_int_equal(x.t->lpVtbl->SeekRowApprox(x.t, 7, 7), S_OK);
	assert_int_equal(pos_of(x.t), 200);
	assert_int_equal(x.t->lpVtbl->SeekRowApprox(x.t, 9, 7), S_OK);
	assert_int_equal(pos_of(x.t), 200);
	assert_int_equal(x.t->lpVtbl->SeekRowApprox(x.t, 0, 7), S_OK);
	assert_int_equal(pos_of(x.t), 0);
	assert_int_equal(x.t->lpVtbl->QueryPosition(x.t, NULL, &num, &den), MAPI_E_INVALID_PARAMETER);
	fx_close(&x);

	fx_open(&x, 0, 0);                      /* empty: 0/1 */
	assert_int_equal(x.t->lpVtbl->QueryPosition(x.t, &row, &num, &den), S_OK);
	assert_int_equal(row, 0);
	assert_int_equal(num, 0);
	assert_int_equal(den, 1);
	fx_close(&x);
}

static void test_TB9_findrow_instance_key_forward_backward_not_found(void **state)
{
	struct fx x;
	uint8_t key[4] = { 0, 0, 0, 7 };
	SPropValue pv;
	SRestriction r;
	BOOKMARK bk = 0;
	LPSRowSet rs = NULL;

	(void)state;
	fx_open(&x, 20, 0);
	memset(&r, 0, sizeof(r));
	pv.ulPropTag = PR_INSTANCE_KEY;
	pv.Value.bin.cb = 4;
	pv.Value.bin.lpb = key;
	r.rt = RES_PROPERTY;
	r.res.resProperty.relop = RELOP_EQ;
	r.res.resProperty.ulPropTag = PR_INSTANCE_KEY;
	r.res.resProperty.lpProp = &pv;
	assert_int_equal(x.t->lpVtbl->FindRow(x.t, NULL, BOOKMARK_BEGINNING, 0),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(x.t->lpVtbl->FindRow(x.t, &r, BOOKMARK_BEGINNING, 0x10),
	                 MAPI_E_UNKNOWN_FLAGS);
	/* CT-8b */
	assert_int_equal(x.t->lpVtbl->FindRow(x.t, &r, BOOKMARK_BEGINNING, 0), S_OK);
	assert_int_equal(pos_of(x.t), 7);
	assert_int_equal(x.t->lpVtbl->QueryRows(x.t, 1, TBL_NOADVANCE, &rs), S_OK);
	assert_int_equal(row_index(row_at(rs, 0)), 7);
	free_rows(rs);
	/* From row 8 on it is not there: NOT_FOUND, cursor unchanged. */
	assert_int_equal(x.t->lpVtbl->SeekRow(x.t, BOOKMARK_BEGINNING, 8, NULL), S_OK);
	assert_int_equal(x.t->lpVtbl->FindRow(x.t, &r, BOOKMARK_CURRENT, 0), MAPI_E_NOT_FOUND);
	assert_int_equal(pos_of(x.t), 8);
	/* Backward from the end finds it; backward from row 7 (the row before
	 * it is 6) does not. */
	assert_int_equal(x.t->lpVtbl->FindRow(x.t, &r, BOOKMARK_END, DIR_BACKWARD), S_OK);
	assert_int_equal(pos_of(x.t), 7);
	assert_int_equal(x.t->lpVtbl->CreateBookmark(x.t, &bk), S_OK);
	assert_int_equal(x.t->lpVtbl->FindRow(x.t, &r, bk, DIR_BACKWARD), MAPI_E_NOT_FOUND);
	assert_int_equal(x.t->lpVtbl->FindRow(x.t, &r, bk, 0), S_OK);
	/* A malformed restriction is refused, not ignored. */
	r.res.resProperty.lpProp = NULL;
	assert_true(FAILED(x.t->lpVtbl->FindRow(x.t, &r, BOOKMARK_BEGINNING, 0)));
	fx_close(&x);
}

static void test_TB10_restrict_resets_cursor_and_discards_bookmarks(void **state)
{
	struct fx x;
	BOOKMARK bk = 0;

	(void)state;
	fx_open(&x, 5, 0);
	assert_int_equal(x.t->lpVtbl->SeekRow(x.t, BOOKMARK_BEGINNING, 3, NULL), S_OK);
	assert_int_equal(x.t->lpVtbl->CreateBookmark(x.t, &bk), S_OK);
	assert_int_equal(x.t->lpVtbl->Restrict(x.t, NULL, 0x100), MAPI_E_UNKNOWN_FLAGS);
	assert_int_equal(pos_of(x.t), 3);
	assert_int_equal(x.t->lpVtbl->Restrict(x.t, NULL, TBL_BATCH), S_OK);
	assert_int_equal(pos_of(x.t), 0);
	assert_int_equal(x.t->lpVtbl->SeekRow(x.t, bk, 0, NULL), MAPI_E_INVALID_BOOKMARK);
	fx_close(&x);
}

static void test_TB11_sorttable_both_ways_default_and_refusals(void **state)
{
	struct fx x;
	LPSSortOrderSet so = NULL;
	LPSRowSet rs = NULL;
	SizedSSortOrderSet(2, s) = { 1, 0, 0, { { PR_DISPLAY_NAME_W, TABLE_SORT_DESCEND },
	                                        { PR_ACCOUNT_W, TABLE_SORT_ASCEND } } };

	(void)state;
	fx_open(&x, 5, MAPI_UNICODE);
	assert_int_equal(x.t->lpVtbl->QuerySortOrder(x.t, &so), S_OK);
	assert_int_equal(so->cSorts, 1);
	assert_int_equal(so->aSort[0].ulPropTag, PR_DISPLAY_NAME_W);
	assert_int_equal(so->aSort[0].ulOrder, TABLE_SORT_ASCEND);
	host_MAPIFreeBuffer(so);
	assert_int_equal(x.t->lpVtbl->SeekRow(x.t, BOOKMARK_BEGINNING, 2, NULL), S_OK);
	assert_int_equal(x.t->lpVtbl->SortTable(x.t, (LPSSortOrderSet)&s, 0), S_OK);
	assert_int_equal(pos_of(x.t), 0);
	assert_int_equal(x.t->lpVtbl->QueryRows(x.t, 5, 0, &rs), S_OK);
	assert_int_equal(row_index(row_at(rs, 0)), 4);
	assert_int_equal(row_index(row_at(rs, 4)), 0);
	free_rows(rs);
	assert_int_equal(x.t->lpVtbl->QuerySortOrder(x.t, &so), S_OK);
	assert_int_equal(so->aSort[0].ulOrder, TABLE_SORT_DESCEND);
	host_MAPIFreeBuffer(so);
	/* Two keys, another column, categories: too complex, order kept. */
	s.cSorts = 2;
	assert_int_equal(x.t->lpVtbl->SortTable(x.t, (LPSSortOrderSet)&s, 0), MAPI_E_TOO_COMPLEX);
	s.cSorts = 1;
	s.cCategories = 1;
	assert_int_equal(x.t->lpVtbl->SortTable(x.t, (LPSSortOrderSet)&s, 0), MAPI_E_TOO_COMPLEX);
	s.cCategories = 0;
	s.aSort[0].ulPropTag = PR_ACCOUNT_W;
	assert_int_equal(x.t->lpVtbl->SortTable(x.t, (LPSSortOrderSet)&s, 0), MAPI_E_TOO_COMPLEX);
	assert_int_equal(x.t->lpVtbl->SortTable(x.t, NULL, 0), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(x.t->lpVtbl->SortTable(x.t, (LPSSortOrderSet)&s, 0x100),
	                 MAPI_E_UNKNOWN_FLAGS);
	/* A source that fails keeps the previous order. */
	x.f->fail_sort = true;
	s.aSort[0].ulPropTag = PR_DISPLAY_NAME_A;
	s.aSort[0].ulOrder = TABLE_SORT_ASCEND;
	assert_int_equal(x.t->lpVtbl->SortTable(x.t, (LPSSortOrderSet)&s, 0), MAPI_E_CALL_FAILED);
	assert_int_equal(x.t->lpVtbl->QuerySortOrder(x.t, &so), S_OK);
	assert_int_equal(so->aSort[0].ulOrder, TABLE_SORT_DESCEND);
	host_MAPIFreeBuffer(so);
	x.f->fail_sort = false;
	/* The empty set restores the default. */
	s.cSorts = 0;
	assert_int_equal(x.t->lpVtbl->SortTable(x.t, (LPSSortOrderSet)&s, 0), S_OK);
	assert_int_equal(x.t->lpVtbl->QueryRows(x.t, 1, 0, &rs), S_OK);
	assert_int_equal(row_index(row_at(rs, 0)), 0);
	free_rows(rs);
	fx_close(&x);
}

/* TB-18: one cursor shared by threads; every row is read exactly once. */
struct reader { LPMAPITABLE t; unsigned seen[400]; };

static void *reader_main(void *arg)
{
	struct reader *r = arg;

	for (;;) {
		LPSRowSet rs = NULL;

		if (FAILED(r->t->lpVtbl->QueryRows(r->t, 3, 0, &rs)))
			return NULL;
		if (rs->cRows == 0) {
			free_rows(rs);
			return NULL;
		}
		for (ULONG i = 0; i < rs->cRows; i++)
			r->seen[row_index(row_at(rs, i))]++;
		free_rows(rs);
	}
}

static void test_TB18_one_cursor_shared_by_threads(void **state)
{
	struct fx x;
	struct reader r[4];
	pthread_t th[4];
	int i, k;

	(void)state;
	fx_open(&x, 400, 0);
	for (i = 0; i < 4; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].t = x.t;
		assert_int_equal(pthread_create(&th[i], NULL, reader_main, &r[i]), 0);
	}
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	for (k = 0; k < 400; k++) {
		unsigned total = 0;

		for (i = 0; i < 4; i++)
			total += r[i].seen[k];
		assert_int_equal(total, 1);
	}
	fx_close(&x);
}

static void test_LC40_every_method_after_logoff_is_invalid_object(void **state)
{
	struct fx x;
	LPSRowSet rs = (LPSRowSet)1;
	ULONG n = 0;
	BOOKMARK bk = 0;
	LPMAPIERROR err = NULL;
	SizedSPropTagArray(1, cols) = { 1, { PR_DISPLAY_NAME_W } };

	(void)state;
	fx_open(&x, 3, 0);
	assert_true(abp_session_shutdown(x.s));
	assert_int_equal(x.t->lpVtbl->QueryRows(x.t, 1, 0, &rs), MAPI_E_INVALID_OBJECT);
	assert_null(rs);
	assert_int_equal(x.t->lpVtbl->GetRowCount(x.t, 0, &n), MAPI_E_INVALID_OBJECT);
	assert_int_equal(x.t->lpVtbl->SetColumns(x.t, (LPSPropTagArray)&cols, 0),
	                 MAPI_E_INVALID_OBJECT);
	assert_int_equal(x.t->lpVtbl->SeekRow(x.t, BOOKMARK_BEGINNING, 1, NULL),
	                 MAPI_E_INVALID_OBJECT);
	assert_int_equal(x.t->lpVtbl->SeekRowApprox(x.t, 1, 2), MAPI_E_INVALID_OBJECT);
	assert_int_equal(x.t->lpVtbl->CreateBookmark(x.t, &bk), MAPI_E_INVALID_OBJECT);
	assert_int_equal(x.t->lpVtbl->Restrict(x.t, NULL, 0), MAPI_E_INVALID_OBJECT);
	assert_int_equal(x.t->lpVtbl->Abort(x.t), MAPI_E_INVALID_OBJECT);
	assert_int_equal(x.t->lpVtbl->GetLastError(x.t, S_OK, 0, &err), MAPI_E_INVALID_OBJECT);
	assert_int_equal(x.t->lpVtbl->WaitForCompletion(x.t, 0, 0, NULL), MAPI_E_INVALID_OBJECT);
	fx_close(&x);
}

/* ---------------------------------------------------------------------- */
/* The in-memory source                                                    */
/* ---------------------------------------------------------------------- */

static LPMAPITABLE mem_table(struct abp_session *s, const char *const *names, size_t n,
                             bool keep_order)
{
	struct abp_props *rows = calloc(n, sizeof(*rows));
	struct abp_tsrc *src = NULL;
	LPMAPITABLE t = NULL;

	assert_non_null(rows);
	for (size_t i = 0; i < n; i++)
		make_row(&rows[i], (unsigned)i, names[i]);
	assert_int_equal(abp_tsrc_mem_new(rows, n, false, keep_order, &src), S_OK);
	assert_int_equal(abp_table_new(s, keep_order ? ABP_TABLE_HIERARCHY : ABP_TABLE_CONTENTS,
	                               MAPI_UNICODE, src, &t), S_OK);
	return t;
}

static const char *const people[] = {
	"zoe Zimmer", "Ann Lee", "bob Brown", "Ånnika Ström", "Bill Lee", "Amy Adams", "Bob Brown"
};

static void test_TB20_mem_sorts_case_insensitive_restricts_and_typedown_CT8(void **state)
{
	struct abp_session *s = session_new();
	LPMAPITABLE t = mem_table(s, people, 7, false);
	LPSRowSet rs = NULL;
	SPropValue pv;
	SRestriction r;
	ULONG n = 0;

	(void)state;
	assert_int_equal(t->lpVtbl->QueryRows(t, 10, 0, &rs), S_OK);
	assert_int_equal(rs->cRows, 7);
	/* Amy, Ann, Bill, bob(2), Bob(6), zoe, Ånnika (non-ASCII after ASCII). */
	assert_int_equal(row_index(row_at(rs, 0)), 5);
	assert_int_equal(row_index(row_at(rs, 1)), 1);
	assert_int_equal(row_index(row_at(rs, 2)), 4);
	assert_int_equal(row_index(row_at(rs, 3)), 2);
	assert_int_equal(row_index(row_at(rs, 4)), 6);
	assert_int_equal(row_index(row_at(rs, 5)), 0);
	assert_int_equal(row_index(row_at(rs, 6)), 3);
	free_rows(rs);

	/* CT-8c/d: type-down by prefix, case-insensitive. */
	memset(&r, 0, sizeof(r));
	pv.ulPropTag = PR_DISPLAY_NAME_A;
	pv.Value.lpszA = (LPSTR)"bo";
	r.rt = RES_CONTENT;
	r.res.resContent.ulFuzzyLevel = FL_PREFIX | FL_IGNORECASE;
	r.res.resContent.ulPropTag = PR_DISPLAY_NAME_A;
	r.res.resContent.lpProp = &pv;
	assert_int_equal(t->lpVtbl->FindRow(t, &r, BOOKMARK_BEGINNING, 0), S_OK);
	assert_int_equal(pos_of(t), 3);
	pv.Value.lpszA = (LPSTR)"c";
	assert_int_equal(t->lpVtbl->FindRow(t, &r, BOOKMARK_BEGINNING, 0), MAPI_E_NOT_FOUND);
	assert_int_equal(pos_of(t), 3);
	/* RELOP_GE jumps to the first name at or after it. */
	r.rt = RES_PROPERTY;
	r.res.resProperty.relop = RELOP_GE;
	r.res.resProperty.ulPropTag = PR_DISPLAY_NAME_A;
	r.res.resProperty.lpProp = &pv;
	assert_int_equal(t->lpVtbl->FindRow(t, &r, BOOKMARK_BEGINNING, 0), S_OK);
	assert_int_equal(pos_of(t), 5);

	/* Restrict in memory: prefix "b", ignoring case → Bill, bob, Bob. */
	r.rt = RES_CONTENT;
	r.res.resContent.ulFuzzyLevel = FL_PREFIX | FL_IGNORECASE;
	r.res.resContent.ulPropTag = PR_DISPLAY_NAME_A;
	r.res.resContent.lpProp = &pv;
	pv.Value.lpszA = (LPSTR)"b";
	assert_int_equal(t->lpVtbl->Restrict(t, &r, 0), S_OK);
	assert_int_equal(t->lpVtbl->GetRowCount(t, 0, &n), S_OK);
	assert_int_equal(n, 3);
	{
		SizedSSortOrderSet(1, so) = { 1, 0, 0, { { PR_DISPLAY_NAME_W, TABLE_SORT_DESCEND } } };

		assert_int_equal(t->lpVtbl->SortTable(t, (LPSSortOrderSet)&so, 0), S_OK);
	}
	assert_int_equal(t->lpVtbl->QueryRows(t, 10, 0, &rs), S_OK);
	assert_int_equal(rs->cRows, 3);
	assert_int_equal(row_index(row_at(rs, 0)), 6);
	assert_int_equal(row_index(row_at(rs, 2)), 4);
	free_rows(rs);
	assert_int_equal(t->lpVtbl->Restrict(t, NULL, 0), S_OK);
	assert_int_equal(t->lpVtbl->GetRowCount(t, 0, &n), S_OK);
	assert_int_equal(n, 7);
	assert_int_equal(t->lpVtbl->Release(t), 0);
	abp_session_release(s);
	assert_int_equal(live_roots(), 0);
}

static void test_EK8_instance_keys_unique_and_stable_across_sort_and_restrict(void **state)
{
	struct abp_session *s = session_new();
	LPMAPITABLE t = mem_table(s, people, 7, false);
	LPSRowSet a = NULL, b = NULL;
	SizedSSortOrderSet(1, so) = { 1, 0, 0, { { PR_DISPLAY_NAME_W, TABLE_SORT_DESCEND } } };

	(void)state;
	assert_int_equal(t->lpVtbl->QueryRows(t, 10, 0, &a), S_OK);
	assert_int_equal(t->lpVtbl->SortTable(t, (LPSSortOrderSet)&so, 0), S_OK);
	assert_int_equal(t->lpVtbl->QueryRows(t, 10, 0, &b), S_OK);
	for (ULONG i = 0; i < a->cRows; i++) {
		unsigned k = row_index(row_at(a, i)), same = 0;

		for (ULONG j = 0; j < a->cRows; j++)
			same += row_index(row_at(a, j)) == k;
		assert_int_equal(same, 1);
		/* The same row keeps its key in the other order. */
		assert_int_equal(row_index(row_at(b, a->cRows - 1 - i)), k);
	}
	free_rows(a);
	free_rows(b);
	assert_int_equal(t->lpVtbl->Release(t), 0);
	abp_session_release(s);
	assert_int_equal(live_roots(), 0);
}

static void test_CT6_hierarchy_keeps_given_order_and_sorts_on_request(void **state)
{
	static const char *const conts[] = { "Staff", "Externals", "Alumni" };
	struct abp_session *s = session_new();
	LPMAPITABLE t = mem_table(s, conts, 3, true);
	LPSSortOrderSet so = NULL;
	LPSRowSet rs = NULL;
	SizedSSortOrderSet(1, asc) = { 1, 0, 0, { { PR_DISPLAY_NAME_W, TABLE_SORT_ASCEND } } };

	(void)state;
	assert_int_equal(t->lpVtbl->QuerySortOrder(t, &so), S_OK);
	assert_int_equal(so->cSorts, 0);
	host_MAPIFreeBuffer(so);
	assert_int_equal(t->lpVtbl->QueryRows(t, 10, 0, &rs), S_OK);
	assert_int_equal(row_index(row_at(rs, 0)), 0);
	assert_int_equal(row_index(row_at(rs, 2)), 2);
	free_rows(rs);
	assert_int_equal(t->lpVtbl->SortTable(t, (LPSSortOrderSet)&asc, 0), S_OK);
	assert_int_equal(t->lpVtbl->QueryRows(t, 10, 0, &rs), S_OK);
	assert_int_equal(row_index(row_at(rs, 0)), 2);
	assert_int_equal(row_index(row_at(rs, 2)), 0);
	free_rows(rs);
	assert_int_equal(t->lpVtbl->Release(t), 0);
	abp_session_release(s);
	assert_int_equal(live_roots(), 0);
}

static void test_name_collation(void **state)
{
	(void)state;
	assert_int_equal(abp_table_name_cmp("abc", "ABC"), 0);
	assert_true(abp_table_name_cmp("ab", "abc") < 0);
	assert_true(abp_table_name_cmp("Zed", "\xC3\x85ke") < 0);
	assert_true(abp_table_name_cmp(NULL, "a") > 0);
	assert_true(abp_table_name_cmp("a", NULL) < 0);
	assert_true(abp_table_name_cmp("a[", "aZ") < 0);        /* folded: '[' (0x5B) < 'z' */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_TB5_forward_backward_noadvance_and_end_is_zero_rows),
		cmocka_unit_test(test_TB5_partial_view_signals_at_its_end),
		cmocka_unit_test(test_TB2_TB3_columns_null_unknown_typed_and_all),
		cmocka_unit_test(test_TB4_rowcount_and_TB13_status_wait_abort_TB14_TB15),
		cmocka_unit_test(test_TB6_seekrow_clamps_and_reports_sought),
		cmocka_unit_test(test_TB6_TB12_bookmarks_position_changed_cap_and_free),
		cmocka_unit_test(test_TB7_TB8_seekrowapprox_and_queryposition),
		cmocka_unit_test(test_TB9_findrow_instance_key_forward_backward_not_found),
		cmocka_unit_test(test_TB10_restrict_resets_cursor_and_discards_bookmarks),
		cmocka_unit_test(test_TB11_sorttable_both_ways_default_and_refusals),
		cmocka_unit_test(test_TB18_one_cursor_shared_by_threads),
		cmocka_unit_test(test_LC40_every_method_after_logoff_is_invalid_object),
		cmocka_unit_test(test_TB20_mem_sorts_case_insensitive_restricts_and_typedown_CT8),
		cmocka_unit_test(test_EK8_instance_keys_unique_and_stable_across_sort_and_restrict),
		cmocka_unit_test(test_CT6_hierarchy_keeps_given_order_and_sorts_on_request),
		cmocka_unit_test(test_name_collation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
