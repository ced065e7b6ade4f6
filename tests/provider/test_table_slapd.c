/* Integration tests of the address book tables against the fixture slapd,
 * through the provider's entry point (ABProviderInit, linked statically, with
 * the requests it sends through ldapbridge counted: lb_calls.h) and the
 * host's support object:
 * the hierarchy (CT-1, CT-5, CT-6), browsing from the top, the middle and by
 * type-down (TB-19, CT-8), both sort orders (TB-11), bookmarks (TB-12),
 * rows that open as the objects (TB-17), restricted views (TB-10),
 * injection-shaped input, a nested group's members (MU-3), the member cap
 * and a self-listing group (added under the bulk base and removed again),
 * the bounded fallback on a server without sssvlv, and LC-40. */
#include "test_core_util.h"

#include <strings.h>

#include "abp_test_support.h"
#include "provider_logon.h"
#include "lb_calls.h"
#include "slapd_env.h"
#include "table.h"

#ifndef LDAPAB_TEST_WORKDIR
#define LDAPAB_TEST_WORKDIR "."
#endif

/* Row i of a row set (aRow is declared with one element). */
static SRow *row_at(LPSRowSet rs, ULONG i)
{
	return &rs->aRow[i];
}

static const char *env(const char *k)
{
	const char *v = slapd_env(k);

	if (v == NULL)
		fail_msg("fixture key %s missing", k);
	return v;
}

/* Logon as the reader over ldapi:// with base and the extra settings. */
static void lg_logon(struct plg *g, const char *uri, const char *base, ULONG n_extra,
                     const SPropValue *extra)
{
	plg_logon(g, uri, base, env("LDAPAB_TEST_BIND_DN"), env("LDAPAB_TEST_BIND_PW"), n_extra,
	          extra);
}

static SRestriction prefix_res(SPropValue *pv, const char *text)
{
	SRestriction r;

	memset(&r, 0, sizeof(r));
	pv->ulPropTag = PR_DISPLAY_NAME_A;
	pv->Value.lpszA = (LPSTR)text;
	r.rt = RES_CONTENT;
	r.res.resContent.ulFuzzyLevel = FL_PREFIX | FL_IGNORECASE;
	r.res.resContent.ulPropTag = PR_DISPLAY_NAME_A;
	r.res.resContent.lpProp = pv;
	return r;
}

static ULONG row_count(LPMAPITABLE t)
{
	ULONG n = 0;

	assert_int_equal(t->lpVtbl->GetRowCount(t, 0, &n), S_OK);
	return n;
}

static ULONG position(LPMAPITABLE t)
{
	ULONG row = 0, num = 0, den = 0;

	assert_int_equal(t->lpVtbl->QueryPosition(t, &row, &num, &den), S_OK);
	return row;
}

/* Every row's display name, in table order (malloc'd array of strdup's). */
static char **all_names(LPMAPITABLE t, ULONG *n)
{
	char **names = NULL;
	ULONG cnt = 0;

	assert_int_equal(t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, 0, NULL), S_OK);
	for (;;) {
		LPSRowSet rs = NULL;
		HRESULT hr = t->lpVtbl->QueryRows(t, 37, 0, &rs);

		assert_true(hr == S_OK || hr == MAPI_W_PARTIAL_COMPLETION);
		if (rs->cRows == 0) {
			plg_free_rows(rs);
			break;
		}
		names = realloc(names, (cnt + rs->cRows) * sizeof(*names));
		assert_non_null(names);
		for (ULONG i = 0; i < rs->cRows; i++)
			names[cnt++] = strdup(plg_name_of(row_at(rs, i)));
		plg_free_rows(rs);
	}
	*n = cnt;
	return names;
}

static void free_names(char **names, ULONG n)
{
	for (ULONG i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* People and groups of the sample directory, counted with ldapbridge
 * alone (paged, no sort, no VLV). */
static size_t independent_count(const char *base)
{
	struct lb_config lc;
	struct lb_search_params p;
	struct lb_error err;
	lb_conn *conn = NULL;
	lb_result *res = NULL;
	static const char *const attrs[] = { "1.1", NULL };
	size_t n;

	lb_config_init(&lc);
	lc.uris = env("LDAPAB_TEST_LDAPI_URI");
	lc.bind_method = LB_BIND_SIMPLE;
	lc.bind_dn = env("LDAPAB_TEST_BIND_DN");
	lc.password = env("LDAPAB_TEST_BIND_PW");
	assert_int_equal(lb_conn_open(&lc, &conn, &err), LB_OK);
	lb_search_params_init(&p);
	p.base = base;
	p.filter = "(|(objectClass=inetOrgPerson)(objectClass=organizationalPerson)"
	           "(objectClass=person)(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))";
	p.attrs = attrs;
	p.size_limit = 0;
	p.mode = LB_MODE_PAGED;
	if (lb_search(conn, &p, &res, &err) != LB_OK)
		fail_msg("count: %s", err.message);
	n = lb_result_count(res);
	lb_result_free(res);
	lb_conn_close(conn);
	return n;
}

/* ---------------------------------------------------------------------- */

static void test_CT1_CT5_CT6_hierarchy_rows_open_as_their_containers_TB17(void **state)
{
	struct plg g;
	IABContainer *root, *c = NULL;
	LPMAPITABLE h = NULL, h2 = NULL;
	LPSRowSet rs = NULL;
	LPSPropValue props = NULL;
	SizedSPropTagArray(2, tags) = { 2, { PR_ENTRYID, PR_RECORD_KEY } };
	ULONG n = 0, type = 0;
	const SPropValue *v;

	(void)state;
	lg_logon(&g, env("LDAPAB_TEST_LDAPI_URI"), env("LDAPAB_TEST_BASE"), 0, NULL);
	root = plg_open_root(&g);
	for (int pass = 0; pass < 2; pass++) {
		ULONG flags = MAPI_UNICODE | (pass ? CONVENIENT_DEPTH : 0);

		assert_int_equal(root->lpVtbl->GetHierarchyTable(root, flags, &h), S_OK);
		assert_int_equal(row_count(h), 1);
		assert_int_equal(h->lpVtbl->QueryRows(h, 10, 0, &rs), S_OK);
		assert_int_equal(rs->cRows, 1);
		v = plg_col(row_at(rs, 0), PR_DEPTH);
		assert_non_null(v);
		assert_int_equal(v->Value.l, 0);
		assert_int_equal(plg_col(row_at(rs, 0), PR_DISPLAY_TYPE)->Value.l, DT_GLOBAL);
		assert_int_equal(plg_col(row_at(rs, 0), PR_OBJECT_TYPE)->Value.l, MAPI_ABCONT);
		assert_non_null(plg_col(row_at(rs, 0), PR_DISPLAY_NAME_W));
		assert_non_null(plg_col(row_at(rs, 0), PR_INSTANCE_KEY));
		v = plg_col(row_at(rs, 0), PR_CONTAINER_FLAGS);
		assert_non_null(v);
		/* Default browse mode: search first (CT-3). */
		assert_true(v->Value.l & AB_RECIPIENTS);
		assert_true(v->Value.l & AB_UNMODIFIABLE);
		assert_true(v->Value.l & AB_FIND_ON_OPEN);
		/* TB-17: the row's ID opens the container, whose ID and record
		 * key equal the row's. */
		plg_free_rows(rs);
		assert_int_equal(h->lpVtbl->SetColumns(h, (LPSPropTagArray)&tags, 0), S_OK);
		assert_int_equal(h->lpVtbl->SeekRow(h, BOOKMARK_BEGINNING, 0, NULL), S_OK);
		assert_int_equal(h->lpVtbl->QueryRows(h, 10, 0, &rs), S_OK);
		assert_int_equal(rs->cRows, 1);
		v = plg_col(row_at(rs, 0), PR_ENTRYID);
		assert_non_null(v);
		assert_non_null(plg_col(row_at(rs, 0), PR_RECORD_KEY));
		assert_int_equal(IABLogon_OpenEntry(g.l, v->Value.bin.cb, (LPENTRYID)v->Value.bin.lpb,
		                                    NULL, 0, &type, (LPUNKNOWN *)&c), S_OK);
		assert_int_equal(c->lpVtbl->GetProps(c, (LPSPropTagArray)&tags, 0, &n, &props), S_OK);
		assert_int_equal(props[0].Value.bin.cb, v->Value.bin.cb);
		assert_memory_equal(props[0].Value.bin.lpb, v->Value.bin.lpb, v->Value.bin.cb);
		assert_memory_equal(props[1].Value.bin.lpb,
		                    plg_col(row_at(rs, 0), PR_RECORD_KEY)->Value.bin.lpb,
		                    props[1].Value.bin.cb);
		host_MAPIFreeBuffer(props);
		c->lpVtbl->Release(c);
		plg_free_rows(rs);
		h->lpVtbl->Release(h);
	}
	/* CT-5: OpenProperty gives the same table; other IIDs are refused. */
	assert_int_equal(root->lpVtbl->OpenProperty(root, PR_CONTAINER_HIERARCHY, &IID_IMAPITable,
	                                            MAPI_UNICODE, 0, (LPUNKNOWN *)&h2), S_OK);
	assert_int_equal(row_count(h2), 1);
	h2->lpVtbl->Release(h2);
	/* CT-1: the root has no contents; flags are checked. */
	assert_int_equal(root->lpVtbl->GetContentsTable(root, 0, &h), MAPI_E_NO_SUPPORT);
	assert_int_equal(root->lpVtbl->GetHierarchyTable(root, 0x100, &h), MAPI_E_UNKNOWN_FLAGS);
	root->lpVtbl->Release(root);
	plg_done(&g);
}

static void test_CT3_browse_mode_vlv_drops_find_on_open(void **state)
{
	struct plg g;
	SPropValue v;
	IABContainer *c;
	LPSPropValue p = NULL;
	SizedSPropTagArray(1, tags) = { 1, { PR_CONTAINER_FLAGS } };
	ULONG n = 0;

	(void)state;
	v.ulPropTag = PR_LDAPAB_BROWSE_MODE;
	v.Value.l = LDAPAB_BROWSE_VLV;
	lg_logon(&g, env("LDAPAB_TEST_LDAPI_URI"), env("LDAPAB_TEST_BASE"), 1, &v);
	c = plg_open_directory(&g);
	assert_int_equal(c->lpVtbl->GetProps(c, (LPSPropTagArray)&tags, 0, &n, &p), S_OK);
	assert_false(p[0].Value.l & AB_FIND_ON_OPEN);
	assert_true(p[0].Value.l & AB_RECIPIENTS);
	host_MAPIFreeBuffer(p);
	c->lpVtbl->Release(c);
	plg_done(&g);
}

static void test_TB19_CT7_browse_sample_top_middle_typedown_sorted_and_complete(void **state)
{
	struct plg g;
	IABContainer *c;
	LPMAPITABLE t;
	LPSRowSet rs = NULL;
	SPropValue pv;
	SRestriction r;
	char **names;
	ULONG n = 0, count, i, half;
	size_t before;

	(void)state;
	lg_logon(&g, env("LDAPAB_TEST_LDAPI_URI"), env("LDAPAB_TEST_BASE"), 0, NULL);
	c = plg_open_directory(&g);
	before = lb_calls();
	t = plg_contents(c, 0);
	assert_int_equal(lb_calls(), before);   /* opened without a search: read on first use */
	count = row_count(t);
	assert_int_equal(count, independent_count(env("LDAPAB_TEST_BASE")));
	/* Top: the default columns, display-name order. */
	assert_int_equal(t->lpVtbl->QueryRows(t, 50, 0, &rs), S_OK);
	assert_int_equal(rs->cRows, 50);
	for (i = 0; i < rs->cRows; i++) {
		assert_non_null(plg_col(row_at(rs, i), PR_ENTRYID));
		assert_non_null(plg_col(row_at(rs, i), PR_INSTANCE_KEY));
		assert_non_null(plg_col(row_at(rs, i), PR_RECORD_KEY));
		assert_non_null(plg_col(row_at(rs, i), PR_DISPLAY_TYPE));
	}
	plg_free_rows(rs);
	/* The whole list: every entry once, in order. */
	names = all_names(t, &n);
	assert_int_equal(n, count);
	for (i = 1; i < n; i++)
		if (strcasecmp(names[i - 1], names[i]) > 0 && (unsigned char)names[i][0] < 0x80 &&
		    (unsigned char)names[i - 1][0] < 0x80)
			fail_msg("out of order at %u: '%s' > '%s'", (unsigned)i, names[i - 1], names[i]);
	/* Middle: SeekRowApprox lands on the row a full read had there. */
	assert_int_equal(t->lpVtbl->SeekRowApprox(t, 1, 2), S_OK);
	half = position(t);
	assert_int_equal(half, count / 2);
	assert_int_equal(t->lpVtbl->QueryRows(t, 3, 0, &rs), S_OK);
	assert_int_equal(rs->cRows, 3);
	assert_string_equal(plg_name_of(row_at(rs, 0)), names[half]);
	assert_string_equal(plg_name_of(row_at(rs, 2)), names[half + 2]);
	plg_free_rows(rs);
	/* Backwards from the middle: the rows before it. */
	assert_int_equal(t->lpVtbl->QueryRows(t, -5, 0, &rs), S_OK);
	assert_int_equal(rs->cRows, 5);
	assert_string_equal(plg_name_of(row_at(rs, 0)), names[half - 2]);
	plg_free_rows(rs);
	/* Type-down (CT-8c/d): the first row with the prefix, from anywhere. */
	r = prefix_res(&pv, "mar");
	assert_int_equal(t->lpVtbl->FindRow(t, &r, BOOKMARK_BEGINNING, 0), S_OK);
	i = position(t);
	assert_int_equal(strncasecmp(names[i], "mar", 3), 0);
	assert_true(i == 0 || strncasecmp(names[i - 1], "mar", 3) != 0);
	/* RELOP_GE on the display name. */
	r.rt = RES_PROPERTY;
	r.res.resProperty.relop = RELOP_GE;
	r.res.resProperty.ulPropTag = PR_DISPLAY_NAME_A;
	r.res.resProperty.lpProp = &pv;
	pv.Value.lpszA = (LPSTR)"N";
	assert_int_equal(t->lpVtbl->FindRow(t, &r, BOOKMARK_BEGINNING, 0), S_OK);
	i = position(t);
	assert_true(strcasecmp(names[i], "N") >= 0);
	assert_true(i == 0 || strcasecmp(names[i - 1], "N") < 0);
	/* Past the end: not found, cursor unchanged. */
	r = prefix_res(&pv, "zzzzzz");
	assert_int_equal(t->lpVtbl->FindRow(t, &r, BOOKMARK_BEGINNING, 0), MAPI_E_NOT_FOUND);
	assert_int_equal(position(t), i);
	free_names(names, n);
	t->lpVtbl->Release(t);
	c->lpVtbl->Release(c);
	plg_done(&g);
}

static void test_TB11_TB12_TB17_descending_bookmarks_and_rows_open_as_objects(void **state)
{
	struct plg g;
	IABContainer *c;
	LPMAPITABLE t, u = NULL;
	LPSRowSet rs = NULL, rs2 = NULL;
	char **asc, **desc;
	ULONG na = 0, nd = 0, i;
	BOOKMARK bk = 0;
	SizedSSortOrderSet(1, so) = { 1, 0, 0, { { PR_DISPLAY_NAME_A, TABLE_SORT_DESCEND } } };
	SizedSPropTagArray(5, cols) = { 5, { PR_ENTRYID, PR_RECORD_KEY, PR_DISPLAY_NAME_A,
	                                     PR_DEPARTMENT_NAME_A, PR_OFFICE_LOCATION_A } };

	(void)state;
	lg_logon(&g, env("LDAPAB_TEST_LDAPI_URI"), env("LDAPAB_TEST_BASE"), 0, NULL);
	c = plg_open_directory(&g);
	t = plg_contents(c, 0);
	asc = all_names(t, &na);
	assert_int_equal(t->lpVtbl->SortTable(t, (LPSSortOrderSet)&so, 0), S_OK);
	desc = all_names(t, &nd);
	assert_int_equal(na, nd);
	for (i = 0; i < na; i++)
		assert_string_equal(asc[i], desc[na - 1 - i]);
	free_names(asc, na);
	free_names(desc, nd);

	/* TB-12: a bookmark in the middle of the descending view. */
	assert_int_equal(t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, 123, NULL), S_OK);
	assert_int_equal(t->lpVtbl->CreateBookmark(t, &bk), S_OK);
	assert_int_equal(t->lpVtbl->QueryRows(t, 1, TBL_NOADVANCE, &rs), S_OK);
	assert_int_equal(t->lpVtbl->SeekRowApprox(t, 9, 10), S_OK);
	assert_int_equal(t->lpVtbl->SeekRow(t, bk, 0, NULL), S_OK);
	assert_int_equal(position(t), 123);
	assert_int_equal(t->lpVtbl->QueryRows(t, 1, 0, &rs2), S_OK);
	assert_string_equal(plg_name_of(row_at(rs, 0)), plg_name_of(row_at(rs2, 0)));
	plg_free_rows(rs);
	plg_free_rows(rs2);
	assert_int_equal(t->lpVtbl->FreeBookmark(t, bk), S_OK);

	/* TB-17 + MU-1: with department and office, each row opens as the
	 * object whose ID and record key equal the row's. */
	assert_int_equal(t->lpVtbl->SetColumns(t, (LPSPropTagArray)&cols, 0), S_OK);
	assert_int_equal(t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, 40, NULL), S_OK);
	assert_int_equal(t->lpVtbl->QueryRows(t, 20, 0, &rs), S_OK);
	{
		unsigned with_dept = 0;

		for (i = 0; i < rs->cRows; i++) {
			const SPropValue *id = plg_col(row_at(rs, i), PR_ENTRYID);
			SizedSPropTagArray(2, t2) = { 2, { PR_ENTRYID, PR_RECORD_KEY } };
			LPSPropValue p = NULL;
			LPUNKNOWN o = NULL;
			ULONG type = 0, n = 0;

			with_dept += row_at(rs, i)->lpProps[3].ulPropTag == PR_DEPARTMENT_NAME_A;
			assert_int_equal(IABLogon_OpenEntry(g.l, id->Value.bin.cb,
			                                    (LPENTRYID)id->Value.bin.lpb, NULL, 0,
			                                    &type, &o), S_OK);
			assert_true(type == MAPI_MAILUSER || type == MAPI_DISTLIST);
			assert_int_equal(((LPMAPIPROP)o)->lpVtbl->GetProps((LPMAPIPROP)o,
			                 (LPSPropTagArray)&t2, 0, &n, &p), S_OK);
			assert_int_equal(p[0].Value.bin.cb, id->Value.bin.cb);
			assert_memory_equal(p[0].Value.bin.lpb, id->Value.bin.lpb, id->Value.bin.cb);
			assert_int_equal(p[1].Value.bin.cb, row_at(rs, i)->lpProps[1].Value.bin.cb);
			assert_memory_equal(p[1].Value.bin.lpb, row_at(rs, i)->lpProps[1].Value.bin.lpb,
			                    p[1].Value.bin.cb);
			host_MAPIFreeBuffer(p);
			o->lpVtbl->Release(o);
		}
		assert_true(with_dept > 10);    /* the sample's people have departments */
	}
	plg_free_rows(rs);
	/* CT-5: OpenProperty(PR_CONTAINER_CONTENTS) is the same table. */
	assert_int_equal(c->lpVtbl->OpenProperty(c, PR_CONTAINER_CONTENTS, &IID_IMAPITable,
	                                         MAPI_UNICODE, 0, (LPUNKNOWN *)&u), S_OK);
	assert_int_equal(row_count(u), row_count(t));
	assert_int_equal(u->lpVtbl->QueryRows(u, 1, 0, &rs), S_OK);
	assert_non_null(plg_col(row_at(rs, 0), PR_DISPLAY_NAME_W));          /* MAPI_UNICODE */
	plg_free_rows(rs);
	u->lpVtbl->Release(u);
	assert_int_equal(c->lpVtbl->OpenProperty(c, PR_CONTAINER_CONTENTS, &IID_IMAPIProp, 0, 0,
	                                         (LPUNKNOWN *)&u), MAPI_E_INTERFACE_NOT_SUPPORTED);
	t->lpVtbl->Release(t);
	c->lpVtbl->Release(c);
	plg_done(&g);
}

static void test_TB10_restricted_view_and_injection_shaped_text_matches_nothing_extra(void **state)
{
	static const char *const hostile[] = { "*", "*)(uid=*", "\\2a", "*)(|(objectClass=*",
	                                       "\\", ")(", "(" };
	struct plg g;
	IABContainer *c;
	LPMAPITABLE t;
	SPropValue pv;
	SRestriction r;
	char **names, **got;
	ULONG n = 0, ng = 0, expect = 0, i;

	(void)state;
	lg_logon(&g, env("LDAPAB_TEST_LDAPI_URI"), env("LDAPAB_TEST_BASE"), 0, NULL);
	c = plg_open_directory(&g);
	t = plg_contents(c, 0);
	names = all_names(t, &n);
	for (i = 0; i < n; i++)
		expect += strncasecmp(names[i], "ma", 2) == 0;
	assert_true(expect > 2);
	r = prefix_res(&pv, "ma");
	assert_int_equal(t->lpVtbl->Restrict(t, &r, 0), S_OK);
	got = all_names(t, &ng);
	assert_int_equal(ng, expect);
	for (i = 0; i < ng; i++)
		assert_int_equal(strncasecmp(got[i], "ma", 2), 0);
	free_names(got, ng);
	/* Injection-shaped type-down and restrictions match nothing extra:
	 * no display name in the sample starts with these. */
	for (size_t k = 0; k < sizeof(hostile) / sizeof(hostile[0]); k++) {
		r = prefix_res(&pv, hostile[k]);
		assert_int_equal(t->lpVtbl->Restrict(t, &r, 0), S_OK);
		assert_int_equal(row_count(t), 0);
		assert_int_equal(t->lpVtbl->Restrict(t, NULL, 0), S_OK);
		assert_int_equal(t->lpVtbl->FindRow(t, &r, BOOKMARK_BEGINNING, 0), MAPI_E_NOT_FOUND);
	}
	assert_int_equal(row_count(t), n);
	/* What cannot be translated is refused, never dropped (TB-10). */
	{
		SRestriction sub;

		memset(&sub, 0, sizeof(sub));
		sub.rt = RES_SUBRESTRICTION;
		sub.res.resSub.ulSubObject = PR_DISPLAY_NAME_A;
		sub.res.resSub.lpRes = &r;
		assert_true(FAILED(t->lpVtbl->Restrict(t, &sub, 0)));
		assert_int_equal(row_count(t), n);      /* the previous view stays */
	}
	free_names(names, n);
	t->lpVtbl->Release(t);
	c->lpVtbl->Release(c);
	plg_done(&g);
}

/* The members of the group named name, through a restricted contents view. */
static IDistList *open_group(struct plg *g, IABContainer *c, const char *name)
{
	LPMAPITABLE t = plg_contents(c, 0);
	LPSRowSet rs = NULL;
	SPropValue pv;
	SRestriction r = prefix_res(&pv, name);
	IDistList *dl = NULL;
	ULONG type = 0;

	r.res.resContent.ulFuzzyLevel = FL_FULLSTRING | FL_IGNORECASE;
	assert_int_equal(t->lpVtbl->Restrict(t, &r, 0), S_OK);
	assert_int_equal(t->lpVtbl->QueryRows(t, 5, 0, &rs), S_OK);
	assert_int_equal(rs->cRows, 1);
	assert_int_equal(plg_col(row_at(rs, 0), PR_OBJECT_TYPE)->Value.l, MAPI_DISTLIST);
	{
		const SPropValue *id = plg_col(row_at(rs, 0), PR_ENTRYID);

		assert_int_equal(IABLogon_OpenEntry(g->l, id->Value.bin.cb,
		                                    (LPENTRYID)id->Value.bin.lpb, NULL, 0, &type,
		                                    (LPUNKNOWN *)&dl), S_OK);
	}
	assert_int_equal(type, MAPI_DISTLIST);
	plg_free_rows(rs);
	t->lpVtbl->Release(t);
	return dl;
}

static void test_MU3_nested_group_members_and_mapipdl_group_expands(void **state)
{
	static const char *const emea[] = { "Berlin Office", "London Office", "Madrid Office",
	                                    "Oslo Office", "Paris Office", "Stockholm Office" };
	struct plg g;
	IABContainer *c;
	IDistList *dl, *office = NULL;
	LPMAPITABLE m = NULL, m2 = NULL;
	LPSRowSet rs = NULL;
	ULONG i, type = 0;

	(void)state;
	lg_logon(&g, env("LDAPAB_TEST_LDAPI_URI"), env("LDAPAB_TEST_BASE"), 0, NULL);
	c = plg_open_directory(&g);
	dl = open_group(&g, c, "All EMEA");
	assert_int_equal(dl->lpVtbl->GetContentsTable(dl, 0, &m), S_OK);
	assert_int_equal(row_count(m), 6);
	assert_int_equal(m->lpVtbl->QueryRows(m, 10, 0, &rs), S_OK);
	assert_int_equal(rs->cRows, 6);
	for (i = 0; i < 6; i++) {
		assert_string_equal(plg_name_of(row_at(rs, i)), emea[i]);
		/* Nested groups are DL rows (MU-3). */
		assert_int_equal(plg_col(row_at(rs, i), PR_OBJECT_TYPE)->Value.l, MAPI_DISTLIST);
		assert_int_equal(plg_col(row_at(rs, i), PR_DISPLAY_TYPE)->Value.l, DT_DISTLIST);
	}
	/* The office groups have no mail: MAPIPDL (MU-2), and their own member
	 * tables really expand them into people. */
	assert_string_equal(plg_col(row_at(rs, 1), PR_ADDRTYPE_A)->Value.lpszA, "MAPIPDL");
	{
		const SPropValue *id = plg_col(row_at(rs, 1), PR_ENTRYID);

		assert_int_equal(IABLogon_OpenEntry(g.l, id->Value.bin.cb,
		                                    (LPENTRYID)id->Value.bin.lpb, NULL, 0, &type,
		                                    (LPUNKNOWN *)&office), S_OK);
	}
	plg_free_rows(rs);
	/* MU-3: OpenProperty(PR_EMS_AB_MEMBER) gives the member table too. */
	assert_int_equal(office->lpVtbl->OpenProperty(office, PR_EMS_AB_MEMBER, &IID_IMAPITable,
	                                              0, 0, (LPUNKNOWN *)&m2), S_OK);
	assert_int_equal(row_count(m2), 41);    /* London's member lines in the sample */
	assert_int_equal(m2->lpVtbl->QueryRows(m2, 100, 0, &rs), S_OK);
	assert_int_equal(rs->cRows, 41);
	for (i = 0; i < rs->cRows; i++) {
		assert_int_equal(plg_col(row_at(rs, i), PR_OBJECT_TYPE)->Value.l, MAPI_MAILUSER);
		assert_string_equal(plg_col(row_at(rs, i), PR_ADDRTYPE_A)->Value.lpszA, "SMTP");
		if (i > 0)
			assert_true(strcasecmp(plg_name_of(row_at(rs, i - 1)), plg_name_of(row_at(rs, i))) <= 0);
	}
	plg_free_rows(rs);
	m2->lpVtbl->Release(m2);
	office->lpVtbl->Release(office);
	/* A DL has no hierarchy (MU-3). */
	assert_int_equal(dl->lpVtbl->GetHierarchyTable(dl, 0, &m2), MAPI_E_NO_SUPPORT);
	assert_int_equal(dl->lpVtbl->GetContentsTable(dl, MAPI_ASSOCIATED, &m2), MAPI_E_NO_SUPPORT);
	assert_int_equal(dl->lpVtbl->GetContentsTable(dl, 0x100, &m2), MAPI_E_UNKNOWN_FLAGS);

	/* LC-40: after Logoff the tables answer MAPI_E_INVALID_OBJECT. */
	plg_logoff(&g);
	assert_int_equal(m->lpVtbl->QueryRows(m, 1, 0, &rs), MAPI_E_INVALID_OBJECT);
	assert_int_equal(m->lpVtbl->GetRowCount(m, 0, &i), MAPI_E_INVALID_OBJECT);
	assert_int_equal(m->lpVtbl->SeekRow(m, BOOKMARK_BEGINNING, 0, NULL), MAPI_E_INVALID_OBJECT);
	m->lpVtbl->Release(m);
	dl->lpVtbl->Release(dl);
	c->lpVtbl->Release(c);
	plg_done(&g);
}

/* Bulk: position p (0-based) is "Bulk Person %06d" % (p + 1). */
static void expect_bulk(const SRow *r, ULONG p)
{
	char want[40];

	snprintf(want, sizeof(want), "Bulk Person %06u", (unsigned)(p + 1));
	assert_string_equal(plg_name_of(r), want);
}

static void test_TB19_bulk_vlv_windows_exact_positions_and_few_requests(void **state)
{
	struct plg g;
	IABContainer *c;
	LPMAPITABLE t, after_logoff;
	LPSRowSet rs = NULL;
	SPropValue pv;
	SRestriction r;
	ULONG count, bulk = (ULONG)atoi(env("LDAPAB_TEST_BULK_COUNT")), i;
	size_t before;

	(void)state;
	lg_logon(&g, env("LDAPAB_TEST_LDAPI_URI"), env("LDAPAB_TEST_BULK_BASE"), 0, NULL);
	c = plg_open_directory(&g);
	t = plg_contents(c, 0);
	count = row_count(t);
	assert_int_equal(count, bulk);
	assert_int_equal(t->lpVtbl->SeekRowApprox(t, 1, 3), S_OK);
	assert_int_equal(t->lpVtbl->QueryRows(t, 5, 0, &rs), S_OK);
	for (i = 0; i < 5; i++)
		expect_bulk(row_at(rs, i), bulk / 3 + i);
	plg_free_rows(rs);
	/* Type-down is a jump by value. */
	r = prefix_res(&pv, "bulk person 0042");
	assert_int_equal(t->lpVtbl->FindRow(t, &r, BOOKMARK_BEGINNING, 0), S_OK);
	assert_int_equal(position(t), 4199);
	/* One-row scrolling: 200 steps, far fewer server requests (read-ahead). */
	before = lb_calls();
	for (i = 0; i < 200; i++) {
		assert_int_equal(t->lpVtbl->QueryRows(t, 1, 0, &rs), S_OK);
		assert_int_equal(rs->cRows, 1);
		expect_bulk(row_at(rs, 0), 4199 + i);
		plg_free_rows(rs);
	}
	assert_true(lb_calls() - before <= 200 / 10);
	assert_true(lb_calls() - before >= 200 / ABP_VLV_READ_AHEAD);  /* windows were read */
	/* Backwards one row at a time, too. */
	before = lb_calls();
	for (i = 0; i < 100; i++) {
		assert_int_equal(t->lpVtbl->QueryRows(t, -1, 0, &rs), S_OK);
		expect_bulk(row_at(rs, 0), 4199 + 199 - i);
		plg_free_rows(rs);
	}
	assert_true(lb_calls() - before <= 100 / 10);
	/* CT-8b: FindRow on an instance key far from the rows read last is a
	 * lookup and a jump, not a read of the list from the start. */
	{
		SPropValue kv;
		SRestriction kr;
		const SPropValue *k;

		assert_int_equal(t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, 4321, NULL), S_OK);
		assert_int_equal(t->lpVtbl->QueryRows(t, 1, 0, &rs), S_OK);
		k = plg_col(row_at(rs, 0), PR_INSTANCE_KEY);
		assert_non_null(k);
		kv = *k;
		kv.Value.bin.lpb = malloc(k->Value.bin.cb);
		assert_non_null(kv.Value.bin.lpb);
		memcpy(kv.Value.bin.lpb, k->Value.bin.lpb, k->Value.bin.cb);
		plg_free_rows(rs);
		assert_int_equal(t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, 0, NULL), S_OK);
		assert_int_equal(t->lpVtbl->QueryRows(t, 1, 0, &rs), S_OK);     /* elsewhere now */
		plg_free_rows(rs);
		memset(&kr, 0, sizeof(kr));
		kr.rt = RES_PROPERTY;
		kr.res.resProperty.relop = RELOP_EQ;
		kr.res.resProperty.ulPropTag = PR_INSTANCE_KEY;
		kr.res.resProperty.lpProp = &kv;
		before = lb_calls();
		assert_int_equal(t->lpVtbl->FindRow(t, &kr, BOOKMARK_BEGINNING, 0), S_OK);
		assert_int_equal(position(t), 4321);
		assert_true(lb_calls() - before <= 2);
		/* Keys are unique: from the next row on there is none. */
		assert_int_equal(t->lpVtbl->SeekRow(t, BOOKMARK_CURRENT, 1, NULL), S_OK);
		assert_int_equal(t->lpVtbl->FindRow(t, &kr, BOOKMARK_CURRENT, 0), MAPI_E_NOT_FOUND);
		assert_int_equal(position(t), 4322);
		assert_int_equal(t->lpVtbl->FindRow(t, &kr, BOOKMARK_CURRENT, DIR_BACKWARD), S_OK);
		assert_int_equal(position(t), 4321);
		free(kv.Value.bin.lpb);
	}
	/* The end: zero rows, S_OK (TB-5). */
	assert_int_equal(t->lpVtbl->SeekRow(t, BOOKMARK_END, -2, NULL), S_OK);
	assert_int_equal(t->lpVtbl->QueryRows(t, 10, 0, &rs), S_OK);
	assert_int_equal(rs->cRows, 2);
	expect_bulk(row_at(rs, 1), bulk - 1);
	plg_free_rows(rs);
	assert_int_equal(t->lpVtbl->QueryRows(t, 10, 0, &rs), S_OK);
	assert_int_equal(rs->cRows, 0);
	plg_free_rows(rs);
	after_logoff = t;
	plg_logoff(&g);
	assert_int_equal(after_logoff->lpVtbl->QueryRows(after_logoff, 1, 0, &rs),
	                 MAPI_E_INVALID_OBJECT);
	after_logoff->lpVtbl->Release(after_logoff);
	c->lpVtbl->Release(c);
	plg_done(&g);
}

static void test_TB19_without_sssvlv_first_size_limit_entries_sorted_and_partial(void **state)
{
	char rundir[512];
	struct plg g;
	IABContainer *c;
	LPMAPITABLE t;
	LPSRowSet rs = NULL;
	char *uri, *base;
	ULONG i;
	HRESULT hr;

	(void)state;
	snprintf(rundir, sizeof(rundir), "%s/table-nosort", LDAPAB_TEST_WORKDIR);
	assert_int_equal(slapd_instance_start(rundir, "--bulk 300 --no-tls --no-sssvlv"), 0);
	uri = slapd_env_file(rundir, "LDAPAB_TEST_LDAPI_URI");
	base = slapd_env_file(rundir, "LDAPAB_TEST_BULK_BASE");
	assert_non_null(uri);
	assert_non_null(base);
	lg_logon(&g, uri, base, 0, NULL);
	c = plg_open_directory(&g);
	t = plg_contents(c, 0);
	assert_int_equal(row_count(t), 100);            /* the default size limit */
	assert_int_equal(t->lpVtbl->QueryRows(t, 60, 0, &rs), S_OK);
	plg_free_rows(rs);
	hr = t->lpVtbl->QueryRows(t, 60, 0, &rs);
	assert_int_equal(hr, MAPI_W_PARTIAL_COMPLETION);        /* more exist */
	assert_int_equal(rs->cRows, 40);
	plg_free_rows(rs);
	{
		char **names;
		ULONG n = 0;

		names = all_names(t, &n);
		assert_int_equal(n, 100);
		for (i = 1; i < n; i++)
			assert_true(strcmp(names[i - 1], names[i]) < 0);
		free_names(names, n);
	}
	t->lpVtbl->Release(t);
	c->lpVtbl->Release(c);
	plg_done(&g);
	free(uri);
	free(base);
	assert_int_equal(slapd_instance_stop(rundir), 0);
}

static int run_ldap_tool(const char *tool, const char *args)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd),
	         "LDAPCONF=/dev/null LDAPRC=.none %s -x -H '%s' -D '%s' -w '%s' %s >/dev/null", tool,
	         env("LDAPAB_TEST_LDAPI_URI"), env("LDAPAB_TEST_ADMIN_DN"),
	         env("LDAPAB_TEST_ADMIN_PW"), args);
	return system(cmd);
}

/* MU-3: a group longer than the cap is cut there with the partial signal;
 * a group that lists itself does not show itself (cycle). */
static void test_MU3_member_cap_partial_and_self_membership(void **state)
{
	const char *bulk_base = env("LDAPAB_TEST_BULK_BASE");
	ULONG bulk = (ULONG)atoi(env("LDAPAB_TEST_BULK_COUNT")), rows = 0, n;
	char ldif[512], args[1024], gdn[256];
	struct plg g;
	IABContainer *c;
	IDistList *dl;
	LPMAPITABLE m = NULL;
	HRESULT last = S_OK;
	FILE *f;

	(void)state;
	if (bulk < ABP_MEMBERS_MAX + 1)
		fail_msg("the fixture's bulk base needs more than %d people", ABP_MEMBERS_MAX);
	snprintf(gdn, sizeof(gdn), "cn=Big Group,ou=People,%s", bulk_base);
	snprintf(ldif, sizeof(ldif), "%s/table-big-group.ldif", LDAPAB_TEST_WORKDIR);
	f = fopen(ldif, "w");
	assert_non_null(f);
	fprintf(f, "dn: %s\nobjectClass: groupOfNames\ncn: Big Group\nmember: %s\n", gdn, gdn);
	for (ULONG i = 1; i <= ABP_MEMBERS_MAX + 1; i++)
		fprintf(f, "member: uid=bulk%06u,ou=People,%s\n", (unsigned)i, bulk_base);
	fclose(f);
	snprintf(args, sizeof(args), "-c -f '%s'", ldif);
	(void)run_ldap_tool("ldapdelete", "'cn=Big Group,ou=People,dc=bulk,dc=example'");
	assert_int_equal(run_ldap_tool("ldapadd", args), 0);

	lg_logon(&g, env("LDAPAB_TEST_LDAPI_URI"), bulk_base, 0, NULL);
	c = plg_open_directory(&g);
	dl = open_group(&g, c, "Big Group");
	assert_int_equal(dl->lpVtbl->GetContentsTable(dl, 0, &m), S_OK);
	assert_int_equal(row_count(m), ABP_MEMBERS_MAX);
	for (;;) {
		LPSRowSet rs = NULL;

		last = m->lpVtbl->QueryRows(m, 700, 0, &rs);
		assert_true(last == S_OK || last == MAPI_W_PARTIAL_COMPLETION);
		n = rs->cRows;
		for (ULONG i = 0; i < n; i++)
			assert_int_equal(plg_col(row_at(rs, i), PR_OBJECT_TYPE)->Value.l, MAPI_MAILUSER);
		rows += n;
		plg_free_rows(rs);
		if (n == 0 || last == MAPI_W_PARTIAL_COMPLETION)
			break;
	}
	assert_int_equal(rows, ABP_MEMBERS_MAX);
	assert_int_equal(last, MAPI_W_PARTIAL_COMPLETION);
	{
		LPMAPIERROR e = NULL;

		assert_int_equal(m->lpVtbl->GetLastError(m, MAPI_W_PARTIAL_COMPLETION, 0, &e), S_OK);
		assert_non_null(e);
		host_MAPIFreeBuffer(e);
	}
	m->lpVtbl->Release(m);
	dl->lpVtbl->Release(dl);
	c->lpVtbl->Release(c);
	plg_done(&g);
	snprintf(args, sizeof(args), "'%s'", gdn);
	assert_int_equal(run_ldap_tool("ldapdelete", args), 0);
	remove(ldif);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_CT1_CT5_CT6_hierarchy_rows_open_as_their_containers_TB17),
		cmocka_unit_test(test_CT3_browse_mode_vlv_drops_find_on_open),
		cmocka_unit_test(test_TB19_CT7_browse_sample_top_middle_typedown_sorted_and_complete),
		cmocka_unit_test(test_TB11_TB12_TB17_descending_bookmarks_and_rows_open_as_objects),
		cmocka_unit_test(test_TB10_restricted_view_and_injection_shaped_text_matches_nothing_extra),
		cmocka_unit_test(test_MU3_nested_group_members_and_mapipdl_group_expands),
		cmocka_unit_test(test_TB19_bulk_vlv_windows_exact_positions_and_few_requests),
		cmocka_unit_test(test_TB19_without_sssvlv_first_size_limit_entries_sorted_and_partial),
		cmocka_unit_test(test_MU3_member_cap_partial_and_self_membership),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
