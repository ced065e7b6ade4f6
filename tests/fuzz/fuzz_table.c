/*
 * fuzz_table.c - libFuzzer target for the IMAPITable state machine
 * (provider/table.c) driven by random call sequences, over a fake row source
 * (whose view can shrink between calls and whose calls can fail, as a
 * directory's can) or the in-memory source (provider/table_mem.c: real sort
 * and restriction).
 *
 * Input: byte 0 picks the source, the row count and the string width;
 * the next bytes give row names (any bytes); the rest is a sequence of calls
 * with their arguments: QueryRows (any count, flags), SeekRow (any origin,
 * also freed and never-made bookmarks), SeekRowApprox, QueryPosition,
 * GetRowCount, CreateBookmark / FreeBookmark, FindRow, Restrict, SortTable,
 * SetColumns (NULL, empty, unknown and error-typed tags), QueryColumns,
 * QuerySortOrder, Abort, GetStatus, GetLastError, and a row removed or a
 * failure armed in the fake.
 * Properties:
 *   - every call returns S_OK, a warning, or one of the errors the spec
 *     gives for tables; outputs are NULL/untouched on failure;
 *   - QueryPosition: den > 0, num <= den, row <= GetRowCount;
 *   - QueryRows: at most min(|n|, ABP_TABLE_MAX_ROWS_PER_CALL) rows, each
 *     its own root (MM-4) with PR_INSTANCE_KEY when no columns were set;
 *     forward without TBL_NOADVANCE moves the cursor by the rows returned;
 *   - SeekRow from BOOKMARK_BEGINNING lands on min(n, count) and says so;
 *   - more than ABP_TABLE_MAX_BOOKMARKS bookmarks → MAPI_E_UNABLE_TO_COMPLETE;
 *   - the last Release returns 0 and nothing the host allocated is left.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mapi/mapitags.h>
#include <ldapab_host/host.h>
#include <ldapab_host/mem.h>

#include "config.h"
#include "props.h"
#include "restrict.h"
#include "session.h"
#include "table.h"
#include "fuzz_check.h"

#define FZ_ROWS 48
#define FZ_OPS 200

static const MAPIUID test_uid = { { 0xF0, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7,
                                    0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0xFF } };

struct rd {
	const uint8_t *p;
	size_t n;
};

static uint8_t rd_u8(struct rd *r)
{
	uint8_t b;

	if (r->n == 0)
		return 0;
	b = *r->p++;
	r->n--;
	return b;
}

static uint32_t rd_u32(struct rd *r)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v = v << 8 | rd_u8(r);
	return v;
}

/* ---- the fake source ---- */

struct fake {
	struct abp_tsrc base;
	struct abp_props *rows;
	size_t n;
	int fail_in;            /* > 0: that many calls succeed, then one fails */
	bool partial;
};

static struct fake *fake_of(struct abp_tsrc *s)
{
	return (struct fake *)(void *)s;
}

static HRESULT fake_step(struct fake *f, struct abp_tctx *ctx)
{
	if (f->fail_in > 0 && --f->fail_in == 0)
		return abp_lasterr_set(ctx->le, MAPI_E_NETWORK_ERROR, 0, 1,
		                       "the directory went away");
	return S_OK;
}

static HRESULT f_count(struct abp_tsrc *s, struct abp_tctx *ctx, size_t *n)
{
	HRESULT hr = fake_step(fake_of(s), ctx);

	if (SUCCEEDED(hr))
		*n = fake_of(s)->n;
	return hr;
}

static HRESULT f_read(struct abp_tsrc *s, struct abp_tctx *ctx, size_t start, size_t n,
                      bool backward, const struct abp_props **rows, size_t *got)
{
	struct fake *f = fake_of(s);
	HRESULT hr = fake_step(f, ctx);
	size_t i;

	(void)backward;
	if (FAILED(hr))
		return hr;
	for (i = 0; i < n && start + i < f->n; i++)
		rows[i] = &f->rows[start + i];
	*got = i;
	return S_OK;
}

static HRESULT f_sort(struct abp_tsrc *s, struct abp_tctx *ctx, enum abp_sort_order o)
{
	struct fake *f = fake_of(s);
	HRESULT hr = fake_step(f, ctx);

	if (FAILED(hr))
		return hr;
	if ((o == ABP_SORT_DESCENDING) != f->base.descending) {
		for (size_t i = 0; i < f->n / 2; i++) {
			struct abp_props t = f->rows[i];

			f->rows[i] = f->rows[f->n - 1 - i];
			f->rows[f->n - 1 - i] = t;
		}
		f->base.descending = (o == ABP_SORT_DESCENDING);
	}
	return S_OK;
}

static HRESULT f_restrict(struct abp_tsrc *s, struct abp_tctx *ctx, const SRestriction *r)
{
	(void)r;
	return fake_step(fake_of(s), ctx);
}

static bool f_partial(struct abp_tsrc *s)
{
	return fake_of(s)->partial;
}

static void f_destroy(struct abp_tsrc *s)
{
	struct fake *f = fake_of(s);

	for (size_t i = 0; i < f->n; i++)
		abp_props_free(&f->rows[i]);
	free(f->rows);
	free(f);
}

static const struct abp_tsrc_ops fake_ops = {
	f_count, f_read, NULL, NULL, f_sort, f_restrict, f_partial, f_destroy
};

/* ---- helpers ---- */

static void make_row(struct abp_props *bag, unsigned i, const char *name, size_t len)
{
	uint8_t key[4] = { (uint8_t)(i >> 24), (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i };

	abp_props_init(bag);
	FUZZ_CHECK(abp_props_add_string(bag, PR_DISPLAY_NAME_W, name, len) == S_OK ||
	           len == 0);
	FUZZ_CHECK(abp_props_add_binary(bag, PR_INSTANCE_KEY, key, 4) == S_OK);
	FUZZ_CHECK(abp_props_add_long(bag, PR_OBJECT_TYPE, (i % 5) ? MAPI_MAILUSER
	                                                           : MAPI_DISTLIST) == S_OK);
	FUZZ_CHECK(abp_props_add_long(bag, PR_DISPLAY_TYPE, (i % 5) ? DT_MAILUSER
	                                                            : DT_DISTLIST) == S_OK);
}

static bool known_error(HRESULT hr)
{
	switch (hr) {
	case S_OK:
	case MAPI_W_PARTIAL_COMPLETION:
	case MAPI_W_POSITION_CHANGED:
	case MAPI_W_ERRORS_RETURNED:
	case MAPI_E_INVALID_PARAMETER:
	case MAPI_E_UNKNOWN_FLAGS:
	case MAPI_E_INVALID_BOOKMARK:
	case MAPI_E_UNABLE_TO_COMPLETE:
	case MAPI_E_TOO_COMPLEX:
	case MAPI_E_NOT_FOUND:
	case MAPI_E_NO_SUPPORT:
	case MAPI_E_NETWORK_ERROR:
	case MAPI_E_CALL_FAILED:
	case MAPI_E_NOT_ENOUGH_MEMORY:
		return true;
	default:
		fprintf(stderr, "unexpected HRESULT 0x%08X\n", (unsigned)hr);
		return false;
	}
}

static void free_rows(LPSRowSet rs)
{
	if (rs == NULL)
		return;
	for (ULONG i = 0; i < rs->cRows; i++) {
		FUZZ_CHECK(rs->aRow[i].lpProps == NULL || host_mem_is_root(rs->aRow[i].lpProps));
		host_MAPIFreeBuffer(rs->aRow[i].lpProps);
	}
	host_MAPIFreeBuffer(rs);
}

static bool has_key(const SRow *row)
{
	for (ULONG i = 0; i < row->cValues; i++)
		if (row->lpProps[i].ulPropTag == PR_INSTANCE_KEY)
			return true;
	return false;
}

/* A restriction the table's validator accepts or refuses, with a name from
 * the input. */
static SRestriction *make_res(struct rd *r, SRestriction res[3], SPropValue *pv, char *buf,
                              size_t cap)
{
	uint8_t kind = rd_u8(r), len = rd_u8(r) % (uint8_t)cap;

	for (uint8_t i = 0; i < len; i++)
		buf[i] = (char)(rd_u8(r) | 1);
	buf[len] = '\0';
	memset(res, 0, 3 * sizeof(*res));
	pv->ulPropTag = (kind & 1) ? PR_ANR_A : PR_DISPLAY_NAME_A;
	pv->Value.lpszA = buf;
	switch (kind % 6) {
	case 0:
		return NULL;
	case 1:
	case 2:
		res[0].rt = RES_PROPERTY;
		res[0].res.resProperty.relop = (kind >> 3) % 8;
		res[0].res.resProperty.ulPropTag = pv->ulPropTag;
		res[0].res.resProperty.lpProp = pv;
		return res;
	case 3:
		res[0].rt = RES_CONTENT;
		res[0].res.resContent.ulFuzzyLevel = (ULONG)(kind >> 3) | FL_IGNORECASE;
		res[0].res.resContent.ulPropTag = PR_DISPLAY_NAME_A;
		res[0].res.resContent.lpProp = pv;
		return res;
	case 4:
		res[0].rt = RES_NOT;
		res[0].res.resNot.lpRes = &res[1];
		res[1].rt = RES_EXIST;
		res[1].res.resExist.ulPropTag = (kind & 8) ? PR_DISPLAY_NAME_W : PR_EMAIL_ADDRESS_W;
		return res;
	default:
		res[0].rt = (kind & 0x80) ? 0x77 : RES_BITMASK;
		res[0].res.resBitMask.relBMR = (kind >> 3) % 3;
		res[0].res.resBitMask.ulPropTag = PR_DISPLAY_TYPE;
		res[0].res.resBitMask.ulMask = DT_DISTLIST;
		return res;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const ULONG coltags[] = { PR_DISPLAY_NAME_W, PR_DISPLAY_NAME_A, PR_INSTANCE_KEY,
	                                 PR_ENTRYID, PR_OBJECT_TYPE, PR_NULL,
	                                 PROP_TAG(PT_ERROR, 0x3001), PROP_TAG(PT_OBJECT, 0x3613),
	                                 PROP_TAG(PT_UNSPECIFIED, 0x3001), 0xFFFF001F };
	struct rd r = { data, size };
	struct abp_config *cfg;
	struct abp_session *s = NULL;
	struct abp_tsrc *src = NULL;
	struct fake *f = NULL;
	struct abp_props *rows;
	LPMAPITABLE t = NULL;
	BOOKMARK marks[ABP_TABLE_MAX_BOOKMARKS + 2];
	size_t n_marks = 0, n_rows;
	bool cols_set = false;
	uint8_t b0;

	if (size < 2)
		return 0;
	b0 = rd_u8(&r);
	n_rows = rd_u8(&r) % FZ_ROWS;
	rows = calloc(FZ_ROWS, sizeof(*rows));
	FUZZ_CHECK(rows != NULL);
	for (size_t i = 0; i < n_rows; i++) {
		char name[24];
		uint8_t l = rd_u8(&r) % 12;

		if (l == 0) {
			snprintf(name, sizeof(name), "Row %03zu", (n_rows * 7 + i * 13) % 101);
			make_row(&rows[i], (unsigned)i, name, (size_t)-1);
		} else {
			for (uint8_t k = 0; k < l; k++)
				name[k] = (char)rd_u8(&r);      /* NULs and invalid UTF-8 too */
			make_row(&rows[i], (unsigned)i, name, l);
		}
	}
	cfg = calloc(1, sizeof(*cfg));
	FUZZ_CHECK(cfg != NULL);
	FUZZ_CHECK(abp_session_new(host_MAPIAllocateBuffer, host_MAPIAllocateMore,
	                           host_MAPIFreeBuffer, &test_uid, cfg, &s) == S_OK);
	if (b0 & 1) {
		FUZZ_CHECK(abp_tsrc_mem_new(rows, n_rows, (b0 & 2) != 0, (b0 & 4) != 0, &src)
		           == S_OK);
		rows = NULL;
	} else {
		f = calloc(1, sizeof(*f));
		FUZZ_CHECK(f != NULL);
		f->base.ops = &fake_ops;
		f->rows = rows;
		f->n = n_rows;
		f->partial = (b0 & 2) != 0;
		src = &f->base;
		rows = NULL;
	}
	FUZZ_CHECK(abp_table_new(s, ABP_TABLE_CONTENTS, (b0 & 8) ? MAPI_UNICODE : 0, src, &t)
	           == S_OK);

	for (int op = 0; op < FZ_OPS && r.n > 0; op++) {
		uint8_t which = rd_u8(&r);
		HRESULT hr = S_OK;

		switch (which % 18) {
		case 0:
		case 1: {
			LONG n = (which & 0x80) ? (LONG)rd_u32(&r) : (LONG)(int8_t)rd_u8(&r);
			ULONG flags = (which & 0x40) ? TBL_NOADVANCE : 0, row0 = 0, row1 = 0, a, b;
			LPSRowSet rs = NULL;
			bool pos_ok;

			if (which & 0x20)
				flags |= rd_u32(&r) & 0x0F00;   /* unknown flags */
			pos_ok = SUCCEEDED(t->lpVtbl->QueryPosition(t, &row0, &a, &b));
			hr = t->lpVtbl->QueryRows(t, n, flags, &rs);
			if (FAILED(hr)) {
				FUZZ_CHECK(rs == NULL);
				break;
			}
			FUZZ_CHECK(rs != NULL);
			if (n != 0) {
				unsigned long long want = n < 0 ? (unsigned long long)(-(long long)n)
				                                : (unsigned long long)n;

				FUZZ_CHECK(rs->cRows <= want);
			}
			FUZZ_CHECK(rs->cRows <= ABP_TABLE_MAX_ROWS_PER_CALL);
			if (!cols_set)
				for (ULONG i = 0; i < rs->cRows; i++)
					FUZZ_CHECK(has_key(&rs->aRow[i]));
			if (pos_ok && n > 0 && !(flags & TBL_NOADVANCE) && hr == S_OK &&
			    SUCCEEDED(t->lpVtbl->QueryPosition(t, &row1, &a, &b)))
				FUZZ_CHECK(row1 == row0 + rs->cRows);
			free_rows(rs);
			break;
		}
		case 2: {
			uint8_t o = rd_u8(&r);
			BOOKMARK bk = o % 4 == 0 ? BOOKMARK_BEGINNING : o % 4 == 1 ? BOOKMARK_CURRENT
			            : o % 4 == 2 ? BOOKMARK_END
			            : (n_marks && (o & 0x10)) ? marks[o % n_marks] : (BOOKMARK)rd_u32(&r);
			LONG n = (LONG)rd_u32(&r), sought = 0x5A5A;
			ULONG count = 0, row = 0, a, b;

			hr = t->lpVtbl->SeekRow(t, bk, n, (o & 0x20) ? NULL : &sought);
			if (hr == S_OK && bk == BOOKMARK_BEGINNING && n >= 0 &&
			    SUCCEEDED(t->lpVtbl->GetRowCount(t, 0, &count)) &&
			    SUCCEEDED(t->lpVtbl->QueryPosition(t, &row, &a, &b))) {
				ULONG want = (ULONG)n < count ? (ULONG)n : count;

				FUZZ_CHECK(row == want);
				if (!(o & 0x20))
					FUZZ_CHECK(sought == (LONG)want);
			}
			break;
		}
		case 3:
			hr = t->lpVtbl->SeekRowApprox(t, rd_u8(&r), rd_u8(&r) % 8);
			break;
		case 4: {
			ULONG row = 0xFFFFFFFF, num = 0xFFFFFFFF, den = 0, count = 0;

			hr = t->lpVtbl->QueryPosition(t, &row, &num, &den);
			if (hr == S_OK) {
				FUZZ_CHECK(den > 0 && num <= den);
				if (SUCCEEDED(t->lpVtbl->GetRowCount(t, 0, &count)))
					FUZZ_CHECK(row <= count);
			}
			break;
		}
		case 5: {
			ULONG count = 0xABCD;

			hr = t->lpVtbl->GetRowCount(t, (which & 0x80) ? 1 : 0,
			                            (which & 0x40) ? NULL : &count);
			break;
		}
		case 6: {
			BOOKMARK bk = 0;

			hr = t->lpVtbl->CreateBookmark(t, &bk);
			if (hr == S_OK && n_marks < sizeof(marks) / sizeof(marks[0]))
				marks[n_marks++] = bk;
			if (n_marks >= ABP_TABLE_MAX_BOOKMARKS)
				FUZZ_CHECK(hr == S_OK || hr == MAPI_E_UNABLE_TO_COMPLETE ||
				           FAILED(hr));
			break;
		}
		case 7:
			if (n_marks) {
				size_t i = rd_u8(&r) % n_marks;

				hr = t->lpVtbl->FreeBookmark(t, marks[i]);
				if (hr == S_OK && !(which & 0x80))
					marks[i] = marks[--n_marks];    /* else: kept, freed twice */
			} else {
				hr = t->lpVtbl->FreeBookmark(t, (BOOKMARK)rd_u32(&r));
			}
			break;
		case 8: {
			SRestriction res[3];
			SPropValue pv;
			char buf[16];
			SRestriction *p = make_res(&r, res, &pv, buf, sizeof(buf));
			uint8_t o = rd_u8(&r);

			hr = t->lpVtbl->FindRow(t, p, o & 1 ? BOOKMARK_CURRENT : BOOKMARK_BEGINNING,
			                        (o & 2) ? DIR_BACKWARD : (o & 4) ? 0x10 : 0);
			break;
		}
		case 9: {
			SRestriction res[3];
			SPropValue pv;
			char buf[16];
			SRestriction *p = make_res(&r, res, &pv, buf, sizeof(buf));

			hr = t->lpVtbl->Restrict(t, p, (which & 0x80) ? TBL_BATCH : 0);
			break;
		}
		case 10: {
			SizedSSortOrderSet(2, so);
			uint8_t o = rd_u8(&r);

			so.cSorts = o % 3;
			so.cCategories = (o & 0x10) ? 1 : 0;
			so.cExpanded = (o & 0x20) ? 1 : 0;
			so.aSort[0].ulPropTag = (o & 4) ? PR_ENTRYID : PR_DISPLAY_NAME_W;
			so.aSort[0].ulOrder = (o & 8) ? TABLE_SORT_DESCEND : TABLE_SORT_ASCEND;
			so.aSort[1].ulPropTag = PR_DISPLAY_NAME_A;
			so.aSort[1].ulOrder = (o & 0x40) ? 7 : TABLE_SORT_ASCEND;
			hr = t->lpVtbl->SortTable(t, (o & 0x80) ? NULL : (LPSSortOrderSet)&so, 0);
			break;
		}
		case 11: {
			SizedSPropTagArray(4, cols);
			uint8_t o = rd_u8(&r);

			cols.cValues = o % 5;
			for (int i = 0; i < 4; i++)
				cols.aulPropTag[i] = coltags[rd_u8(&r) % (sizeof(coltags) /
				                                        sizeof(coltags[0]))];
			hr = t->lpVtbl->SetColumns(t, (o & 0x80) ? NULL : (LPSPropTagArray)&cols,
			                           (o & 0x40) ? TBL_BATCH : 0);
			if (hr == S_OK)
				cols_set = true;
			break;
		}
		case 12: {
			LPSPropTagArray cols = NULL;

			hr = t->lpVtbl->QueryColumns(t, (which & 0x80) ? TBL_ALL_COLUMNS : 0, &cols);
			if (hr == S_OK)
				host_MAPIFreeBuffer(cols);
			else
				FUZZ_CHECK(cols == NULL);
			break;
		}
		case 13: {
			LPSSortOrderSet so = NULL;

			hr = t->lpVtbl->QuerySortOrder(t, &so);
			if (hr == S_OK)
				host_MAPIFreeBuffer(so);
			break;
		}
		case 14: {
			ULONG st = 0, ty = 0;

			hr = t->lpVtbl->Abort(t);
			(void)t->lpVtbl->GetStatus(t, &st, &ty);
			break;
		}
		case 15: {
			LPMAPIERROR err = NULL;

			hr = t->lpVtbl->GetLastError(t, MAPI_E_CALL_FAILED,
			                             (which & 0x80) ? MAPI_UNICODE : 0, &err);
			if (hr == S_OK)
				host_MAPIFreeBuffer(err);
			break;
		}
		case 16:
			if (f != NULL && f->n > 0) {
				size_t i = rd_u8(&r) % f->n;

				abp_props_free(&f->rows[i]);
				memmove(&f->rows[i], &f->rows[i + 1], (f->n - i - 1) * sizeof(*f->rows));
				f->n--;
			}
			break;
		default:
			if (f != NULL)
				f->fail_in = rd_u8(&r) % 4;
			break;
		}
		FUZZ_CHECK(known_error(hr));
	}
	FUZZ_CHECK(t->lpVtbl->Release(t) == 0);
	abp_session_release(s);
	FUZZ_CHECK(host_mem_live_blocks() == 0);
	free(rows);
	return 0;
}
