/* Fail-the-Nth-allocation walks (MM-7) over QueryRows of a directory
 * browse, Restrict, GetProps of every kind of object and a distribution
 * list's member table, against the fixture slapd: every internal allocation
 * (the provider's, ldapbridge's and the host's malloc/calloc/realloc/strdup,
 * wrapped at link time; the MAPI allocators are the host's, so they count
 * too) fails once in turn.  Each call either succeeds with the full outcome
 * or fails with its outputs untouched and the object as it was - the cursor
 * where it stood, the view unrestricted, the next call working - and
 * LeakSanitizer and the host's block count see nothing left behind. */
#include "hostile_util.h"

#include "test_core_failalloc.h"

struct fw {
	struct plg g, small;
	IABContainer *dir, *small_dir;  /* the sample directory; its Executive Office */
	IDistList *dl;
	IMailUser *mu;
	IMAPIStatus *st;
};

static struct fw W;
/* Host blocks the logon itself holds (its profile data); each step must end
 * at this count. */
static size_t base_blocks;

static int setup(void **state)
{
	ULONG cb = 0, type = 0;
	BYTE *eid;

	(void)state;
	hlg_fixture(&W.g, 0, NULL);
	W.dir = plg_open_directory(&W.g);
	/* Small views keep each walk to a few thousand steps. */
	plg_logon(&W.small, slapd_env("LDAPAB_TEST_LDAPI_URI"),
	          "ou=Executive Office,ou=People,dc=example,dc=com",
	          slapd_env("LDAPAB_TEST_BIND_DN"), slapd_env("LDAPAB_TEST_BIND_PW"), 0, NULL);
	W.small_dir = plg_open_directory(&W.small);
	eid = h_find_eid(W.dir, "All Americas", &cb, NULL);
	assert_int_equal(IABLogon_OpenEntry(W.g.l, cb, (LPENTRYID)eid, NULL, 0, &type,
	                                    (LPUNKNOWN *)&W.dl), S_OK);
	free(eid);
	eid = h_find_eid(W.dir, "Margaret Thornton", &cb, NULL);
	assert_int_equal(IABLogon_OpenEntry(W.g.l, cb, (LPENTRYID)eid, NULL, 0, &type,
	                                    (LPUNKNOWN *)&W.mu), S_OK);
	free(eid);
	assert_int_equal(W.g.l->lpVtbl->OpenStatusEntry(W.g.l, NULL, 0, &type,
	                                                (LPMAPISTATUS *)&W.st), S_OK);
	base_blocks = host_mem_live_blocks();
	(void)cb;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	W.st->lpVtbl->Release(W.st);
	W.mu->lpVtbl->Release(W.mu);
	W.dl->lpVtbl->Release(W.dl);
	W.dir->lpVtbl->Release(W.dir);
	W.small_dir->lpVtbl->Release(W.small_dir);
	plg_release(&W.small);
	plg_done(&W.g);
	return 0;
}

/* Display names of a row set joined (for comparing outcomes). */
static char *names_of(LPSRowSet rs)
{
	size_t len = 1;
	char *out;

	for (ULONG i = 0; i < rs->cRows; i++) {
		const SPropValue *v = plg_col(&rs->aRow[i], PR_DISPLAY_NAME_A);

		len += (v ? strlen(v->Value.lpszA) : 0) + 1;
	}
	out = calloc(1, len);
	assert_non_null(out);
	for (ULONG i = 0; i < rs->cRows; i++) {
		const SPropValue *v = plg_col(&rs->aRow[i], PR_DISPLAY_NAME_A);

		if (v != NULL)
			strcat(out, v->Value.lpszA);
		strcat(out, "|");
	}
	return out;
}

static ULONG pos_of(LPMAPITABLE t)
{
	ULONG row = 0, num = 0, den = 0;

	assert_int_equal(t->lpVtbl->QueryPosition(t, &row, &num, &den), S_OK);
	return row;
}

static void report(const char *what, long steps, int failures)
{
	print_message("  %s: %ld allocation sites, %d calls failed cleanly\n", what, steps,
	              failures);
	assert_true(failures > 3);
}

/* A directory browse: GetContentsTable, SeekRow into the middle, QueryRows
 * of two rows (the VLV window read from the server included). */
static void test_MM7_browse_queryrows_every_allocation_failed_once(void **state)
{
	char *want = NULL;
	long step;
	int fired = 1, failures = 0;

	(void)state;
	for (step = -1; fired && step < 20000; step++) {
		LPMAPITABLE t = NULL;
		LPSRowSet rs = NULL;
		HRESULT hr;

		if (step >= 0)
			core_failalloc_arm(step);
		hr = W.small_dir->lpVtbl->GetContentsTable(W.small_dir, 0, &t);
		if (SUCCEEDED(hr))
			hr = t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, 1, NULL);
		if (SUCCEEDED(hr))
			hr = t->lpVtbl->QueryRows(t, 2, 0, &rs);
		fired = step >= 0 ? core_failalloc_disarm() : 1;
		if (step < 0) {
			assert_int_equal(hr, S_OK);
			assert_int_equal(rs->cRows, 2);
			want = names_of(rs);
		} else if (SUCCEEDED(hr)) {
			char *got = names_of(rs);

			assert_int_equal(hr, S_OK);
			assert_string_equal(got, want);
			assert_int_equal(pos_of(t), 3);
			free(got);
		} else {
			failures++;
			assert_null(rs);
			if (t != NULL) {
				/* The table that failed still works. */
				char *got;

				assert_int_equal(t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, 1, NULL),
				                 S_OK);
				assert_int_equal(t->lpVtbl->QueryRows(t, 2, 0, &rs), S_OK);
				got = names_of(rs);
				assert_string_equal(got, want);
				free(got);
			}
		}
		plg_free_rows(rs);
		if (t != NULL)
			t->lpVtbl->Release(t);
		assert_int_equal(host_mem_live_blocks(), base_blocks);
	}
	free(want);
	assert_false(fired);
	report("GetContentsTable+SeekRow+QueryRows", step, failures);
}

/* Restrict to a prefix, then the first rows of the view. */
static void test_MM7_restrict_every_allocation_failed_once(void **state)
{
	SPropValue pv;
	SRestriction r;
	ULONG all = 0, want_n = 0;
	long step;
	int fired = 1, failures = 0;

	(void)state;
	memset(&r, 0, sizeof(r));
	pv.ulPropTag = PR_DISPLAY_NAME_A;
	pv.Value.lpszA = (LPSTR)"Ma";
	r.rt = RES_CONTENT;
	r.res.resContent.ulFuzzyLevel = FL_PREFIX | FL_IGNORECASE;
	r.res.resContent.ulPropTag = PR_DISPLAY_NAME_A;
	r.res.resContent.lpProp = &pv;
	for (step = -1; fired && step < 20000; step++) {
		LPMAPITABLE t = plg_contents(W.small_dir, 0);
		ULONG n = 0;
		HRESULT hr;

		assert_int_equal(t->lpVtbl->GetRowCount(t, 0, &n), S_OK);
		if (step < 0)
			all = n;
		assert_int_equal(n, all);
		assert_int_equal(t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, 2, NULL), S_OK);
		if (step >= 0)
			core_failalloc_arm(step);
		hr = t->lpVtbl->Restrict(t, &r, 0);
		fired = step >= 0 ? core_failalloc_disarm() : 1;
		if (SUCCEEDED(hr)) {
			assert_int_equal(hr, S_OK);
			assert_int_equal(t->lpVtbl->GetRowCount(t, 0, &n), S_OK);
			if (step < 0) {
				want_n = n;
				assert_true(n >= 1 && n < all);
			}
			assert_int_equal(n, want_n);
			assert_int_equal(pos_of(t), 0);         /* TB-10: back to the start */
		} else {
			failures++;
			/* The previous (whole) view and the cursor stay (TB-10). */
			assert_int_equal(t->lpVtbl->GetRowCount(t, 0, &n), S_OK);
			assert_int_equal(n, all);
			assert_int_equal(pos_of(t), 2);
			assert_int_equal(t->lpVtbl->Restrict(t, &r, 0), S_OK);
		}
		t->lpVtbl->Release(t);
		assert_int_equal(host_mem_live_blocks(), base_blocks);
	}
	assert_false(fired);
	report("Restrict", step, failures);
}

/* GetProps (all, Unicode and 8-bit) and GetPropList of a person, a group,
 * a container and the status object. */
static void test_MM7_getprops_every_allocation_failed_once(void **state)
{
	LPMAPIPROP objs[4];
	int failures = 0;
	long sites = 0;

	(void)state;
	objs[0] = (LPMAPIPROP)W.mu;
	objs[1] = (LPMAPIPROP)W.dl;
	objs[2] = (LPMAPIPROP)W.dir;
	objs[3] = (LPMAPIPROP)W.st;
	for (int k = 0; k < 4; k++)
		for (int f = 0; f < 2; f++) {
			const ULONG flags = f ? MAPI_UNICODE : 0;
			ULONG want_n = 0;
			int fired = 1;
			long step;

			for (step = -1; fired && step < 20000; step++) {
				LPSPropValue v = NULL;
				LPSPropTagArray pl = NULL;
				ULONG n = 0xABCD;
				HRESULT hr, hr2;

				if (step >= 0)
					core_failalloc_arm(step);
				hr = objs[k]->lpVtbl->GetProps(objs[k], NULL, flags, &n, &v);
				hr2 = objs[k]->lpVtbl->GetPropList(objs[k], flags, &pl);
				fired = step >= 0 ? core_failalloc_disarm() : 1;
				if (step < 0)
					want_n = n;
				if (SUCCEEDED(hr)) {
					assert_int_equal(hr, S_OK);
					assert_int_equal(n, want_n);
					h_check_values(n, v);
					host_MAPIFreeBuffer(v);
				} else {
					/* v stays NULL; n untouched or 0 (LC-40's convention). */
					failures++;
					assert_int_equal(hr, MAPI_E_NOT_ENOUGH_MEMORY);
					assert_null(v);
					assert_true(n == 0xABCD || n == 0);
				}
				if (SUCCEEDED(hr2)) {
					host_MAPIFreeBuffer(pl);
				} else {
					assert_int_equal(hr2, MAPI_E_NOT_ENOUGH_MEMORY);
					assert_null(pl);
				}
				assert_int_equal(host_mem_live_blocks(), base_blocks);
			}
			assert_false(fired);
			sites += step;
		}
	report("GetProps/GetPropList", sites, failures);
}

/* A group's member table: open it and read every row. */
static void test_MM7_member_table_every_allocation_failed_once(void **state)
{
	char *want = NULL;
	ULONG want_rows = 0;
	long step;
	int fired = 1, failures = 0;

	(void)state;
	for (step = -1; fired && step < 20000; step++) {
		LPMAPITABLE m = NULL;

		LPSRowSet rs = NULL;
		HRESULT hr;

		if (step >= 0)
			core_failalloc_arm(step);
		hr = W.dl->lpVtbl->GetContentsTable(W.dl, 0, &m);
		if (SUCCEEDED(hr))
			hr = m->lpVtbl->QueryRows(m, 500, 0, &rs);
		fired = step >= 0 ? core_failalloc_disarm() : 1;
		if (step < 0) {
			assert_int_equal(hr, S_OK);
			assert_true(rs->cRows >= 2);
			want = names_of(rs);
			want_rows = rs->cRows;
		} else if (SUCCEEDED(hr)) {
			char *got = names_of(rs);

			assert_int_equal(hr, S_OK);
			if (strcmp(got, want) != 0)
				fail_msg("step %ld: a success with %u rows, want %u: a failure "
				         "passed off as fewer members", step, (unsigned)rs->cRows,
				         (unsigned)want_rows);
			free(got);
		} else {
			failures++;
			assert_null(rs);
			if (m != NULL) {
				/* The table that failed to read reads now. */
				assert_int_equal(m->lpVtbl->QueryRows(m, 500, 0, &rs), S_OK);
				{
					char *got = names_of(rs);

					assert_string_equal(got, want);
					free(got);
				}
			}
		}
		plg_free_rows(rs);
		if (m != NULL)
			m->lpVtbl->Release(m);
		if (host_mem_live_blocks() != base_blocks)
			fail_msg("step %ld (0x%08X, table %s): %zu host blocks left", step,
			         (unsigned)hr, m ? "made" : "not made",
			         host_mem_live_blocks() - base_blocks);
	}
	free(want);
	assert_false(fired);
	report("member table", step, failures);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_MM7_browse_queryrows_every_allocation_failed_once),
		cmocka_unit_test(test_MM7_restrict_every_allocation_failed_once),
		cmocka_unit_test(test_MM7_getprops_every_allocation_failed_once),
		cmocka_unit_test(test_MM7_member_table_every_allocation_failed_once),
	};

	/* LDAPAB_TEST_FILTER: run only the tests matching a cmocka pattern. */
	if (getenv("LDAPAB_TEST_FILTER") != NULL)
		cmocka_set_test_filter(getenv("LDAPAB_TEST_FILTER"));
	return cmocka_run_group_tests(tests, setup, teardown);
}
