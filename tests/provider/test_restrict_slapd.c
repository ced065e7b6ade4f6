/* The restriction translation checked against a real server (TB-10, CT-8,
 * CT-9): for each restriction, the entries slapd returns for its LDAP
 * filter (ANDed with the container's person/group filter) must be exactly
 * the entries whose property bags abp_restrict_match() accepts - the
 * filter selects what the restriction means, no more and no less.  Runs
 * over the whole sample directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <ldapab/profile.h>

#include "attrmap.h"
#include "entryprops.h"
#include "lookup.h"
#include "restrict.h"
#include "slapd_env.h"

static const MAPIUID test_uid = { { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
                                    0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xF0, 0x01 } };

struct world {
	lb_conn *conn;
	struct abp_attrmap *map;
	const char *attrs[160];
	char container[512];
	size_t n;
	char **dn;                      /* every person and group, and its bag */
	struct abp_props *bag;
};

static struct world w;

static const char *env(const char *k)
{
	const char *v = slapd_env(k);

	if (v == NULL)
		fail_msg("fixture key %s missing", k);
	return v;
}

static lb_result *search(const char *filter)
{
	struct lb_search_params p;
	struct lb_error err;
	lb_result *res = NULL;

	lb_search_params_init(&p);
	p.base = env("LDAPAB_TEST_BASE");
	p.filter = filter;
	p.attrs = w.attrs;
	p.size_limit = 0;
	if (lb_search(w.conn, &p, &res, &err) != LB_OK)
		fail_msg("search %s: %s", filter, err.message);
	assert_int_equal(lb_result_partial(res), LB_PARTIAL_NONE);
	return res;
}

static int setup(void **state)
{
	struct lb_config lc;
	struct lb_error err;
	char msg[256];
	lb_result *res;
	size_t i, k = 0;

	(void)state;
	memset(&w, 0, sizeof(w));
	lb_config_init(&lc);
	lc.uris = env("LDAPAB_TEST_LDAPI_URI");
	lc.base = env("LDAPAB_TEST_BASE");
	lc.bind_method = LB_BIND_SIMPLE;
	lc.bind_dn = env("LDAPAB_TEST_BIND_DN");
	lc.password = env("LDAPAB_TEST_BIND_PW");
	if (lb_conn_open(&lc, &w.conn, &err) != LB_OK)
		fail_msg("lb_conn_open: %s", err.message);
	if (FAILED(abp_attrmap_new(LDAPAB_SCHEMA_INETORGPERSON, LB_UUID_ENTRYUUID, NULL, 0, &w.map,
	                           msg, sizeof(msg))))
		fail_msg("attribute map: %s", msg);
	for (i = 0; w.map->request[i] != NULL && k < 150; i++)
		w.attrs[k++] = w.map->request[i];
	w.attrs[k] = NULL;
	snprintf(w.container, sizeof(w.container), "(|%s%s)",
	         abp_dir_default_person_filter(LDAPAB_SCHEMA_INETORGPERSON),
	         abp_dir_default_group_filter(LDAPAB_SCHEMA_INETORGPERSON));
	/* Every row the container could show, as the provider builds it. */
	res = search(w.container);
	w.dn = calloc(lb_result_count(res), sizeof(*w.dn));
	w.bag = calloc(lb_result_count(res), sizeof(*w.bag));
	assert_non_null(w.dn);
	assert_non_null(w.bag);
	for (i = 0; i < lb_result_count(res); i++) {
		const lb_entry *e = lb_result_entry(res, i);
		enum abp_eid_type type;

		abp_props_init(&w.bag[w.n]);
		if (abp_dir_bag_from_entry(w.map, &test_uid, e, &type, &w.bag[w.n]) != S_OK)
			continue;
		w.dn[w.n] = strdup(lb_entry_dn(e));
		assert_non_null(w.dn[w.n]);
		w.n++;
	}
	lb_result_free(res);
	assert_true(w.n > 300);
	return 0;
}

static int teardown(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < w.n; i++) {
		free(w.dn[i]);
		abp_props_free(&w.bag[i]);
	}
	free(w.dn);
	free(w.bag);
	abp_attrmap_free(w.map);
	lb_conn_close(w.conn);
	return 0;
}

/* The server's rows for res and the in-memory rows for res are the same
 * set, of (about) the size expected: at least min, at most max. */
static void same_rows(const SRestriction *res, size_t min, size_t max)
{
	char *f = NULL, *all;
	lb_result *r;
	size_t i, j, n_ldap, n_mem = 0;
	bool *hit = calloc(w.n, sizeof(bool));

	assert_non_null(hit);
	if (FAILED(abp_restrict_to_filter(w.map, res, 0, NULL, &f)))
		fail_msg("not translated");
	all = malloc(strlen(w.container) + strlen(f) + 4);
	assert_non_null(all);
	sprintf(all, "(&%s%s)", w.container, f);
	r = search(all);
	n_ldap = lb_result_count(r);
	for (i = 0; i < n_ldap; i++) {
		const char *dn = lb_entry_dn(lb_result_entry(r, i));

		for (j = 0; j < w.n && strcmp(w.dn[j], dn) != 0; j++)
			;
		if (j == w.n)
			fail_msg("%s: the server returned %s, which is not a row", f, dn);
		if (!abp_restrict_match(res, &w.bag[j]))
			fail_msg("%s: the server returned %s, the restriction rejects it", f, dn);
		hit[j] = true;
	}
	for (j = 0; j < w.n; j++) {
		if (!abp_restrict_match(res, &w.bag[j]))
			continue;
		n_mem++;
		if (!hit[j])
			fail_msg("%s: the restriction accepts %s, the server did not return it", f,
			         w.dn[j]);
	}
	assert_int_equal(n_mem, n_ldap);
	if (n_ldap < min || n_ldap > max)
		fail_msg("%s: %zu rows, expected %zu..%zu", f, n_ldap, min, max);
	lb_result_free(r);
	free(hit);
	free(all);
	free(f);
}

/* Builders (stack values live for the call). */
static SPropValue sv(ULONG tag, const char *s)
{
	SPropValue v;

	memset(&v, 0, sizeof(v));
	v.ulPropTag = tag;
	v.Value.lpszA = (LPSTR)s;
	return v;
}

static SRestriction content(ULONG fuzzy, ULONG tag, SPropValue *v)
{
	SRestriction r;

	memset(&r, 0, sizeof(r));
	r.rt = RES_CONTENT;
	r.res.resContent.ulFuzzyLevel = fuzzy;
	r.res.resContent.ulPropTag = tag;
	r.res.resContent.lpProp = v;
	return r;
}

static SRestriction prop(ULONG relop, ULONG tag, SPropValue *v)
{
	SRestriction r;

	memset(&r, 0, sizeof(r));
	r.rt = RES_PROPERTY;
	r.res.resProperty.relop = relop;
	r.res.resProperty.ulPropTag = tag;
	r.res.resProperty.lpProp = v;
	return r;
}

static SRestriction exist(ULONG tag)
{
	SRestriction r;

	memset(&r, 0, sizeof(r));
	r.rt = RES_EXIST;
	r.res.resExist.ulPropTag = tag;
	return r;
}

static SRestriction list2(ULONG rt, SRestriction *two)
{
	SRestriction r;

	memset(&r, 0, sizeof(r));
	r.rt = rt;
	r.res.resAnd.cRes = 2;
	r.res.resAnd.lpRes = two;
	return r;
}

static SRestriction not_(SRestriction *one)
{
	SRestriction r;

	memset(&r, 0, sizeof(r));
	r.rt = RES_NOT;
	r.res.resNot.lpRes = one;
	return r;
}

static void content_and_property_match_the_server_TB10_CT8c(void **state)
{
	SPropValue v;
	SRestriction r;

	(void)state;
	v = sv(PR_DISPLAY_NAME_A, "jo");
	r = content(FL_PREFIX | FL_IGNORECASE, PR_DISPLAY_NAME_A, &v);
	same_rows(&r, 5, 40);
	v = sv(PR_SURNAME_A, "SON");
	r = content(FL_SUBSTRING | FL_IGNORECASE, PR_SURNAME_A, &v);
	same_rows(&r, 10, 100);
	v = sv(PR_GIVEN_NAME_A, "H\xc3\x89L\xc3\x88NE");
	r = content(FL_FULLSTRING | FL_IGNORECASE, PR_GIVEN_NAME_A, &v);
	same_rows(&r, 3, 10);
	v = sv(PR_DEPARTMENT_NAME_A, "41");
	r = content(FL_PREFIX | FL_IGNORECASE, PR_DEPARTMENT_NAME_A, &v);
	same_rows(&r, 50, 150);
	v = sv(PR_TITLE_A, "sales engineer");
	r = prop(RELOP_EQ, PR_TITLE_A, &v);
	same_rows(&r, 10, 30);
	r = prop(RELOP_NE, PR_TITLE_A, &v);
	same_rows(&r, 200, 400);
	v = sv(PR_EMAIL_ADDRESS_A, "MARY.johnson@example.com");
	r = prop(RELOP_EQ, PR_EMAIL_ADDRESS_A, &v);
	same_rows(&r, 1, 1);
}

/* [decision, restrict.h] A filter matches any value of a multi-valued
 * attribute while the row shows the first: a secondary mail finds its
 * person on the server (the row's PR_EMAIL_ADDRESS is the primary). */
static void secondary_values_match_on_the_server(void **state)
{
	SPropValue v = sv(PR_EMAIL_ADDRESS_A, "MJOHNSON@example.com");
	SRestriction r = prop(RELOP_EQ, PR_EMAIL_ADDRESS_A, &v);
	char *f = NULL, *all;
	lb_result *res;

	(void)state;
	assert_int_equal(abp_restrict_to_filter(w.map, &r, 0, NULL, &f), S_OK);
	all = malloc(strlen(w.container) + strlen(f) + 4);
	assert_non_null(all);
	sprintf(all, "(&%s%s)", w.container, f);
	res = search(all);
	assert_int_equal(lb_result_count(res), 1);
	assert_string_equal(lb_entry_dn(lb_result_entry(res, 0)),
	                    "uid=mjohnson,ou=Sales,ou=People,dc=example,dc=com");
	lb_result_free(res);
	free(all);
	free(f);
}

static void exist_class_and_lists_match_the_server_TB10(void **state)
{
	SPropValue v, t;
	SRestriction r, two[2], inner;

	(void)state;
	r = exist(PR_TITLE_A);
	same_rows(&r, 200, 400);
	inner = exist(PR_MOBILE_TELEPHONE_NUMBER_A);
	r = not_(&inner);
	same_rows(&r, 1, 400);
	r = exist(PR_ADDRTYPE_A);
	same_rows(&r, 300, 400);
	memset(&v, 0, sizeof(v));
	v.ulPropTag = PR_DISPLAY_TYPE;
	v.Value.l = DT_DISTLIST;
	r = prop(RELOP_EQ, PR_DISPLAY_TYPE, &v);
	same_rows(&r, 20, 40);
	v.ulPropTag = PR_OBJECT_TYPE;
	v.Value.l = MAPI_MAILUSER;
	r = prop(RELOP_NE, PR_OBJECT_TYPE, &v);
	same_rows(&r, 20, 40);
	memset(&r, 0, sizeof(r));
	r.rt = RES_BITMASK;
	r.res.resBitMask.relBMR = BMR_EQZ;
	r.res.resBitMask.ulPropTag = PR_DISPLAY_TYPE;
	r.res.resBitMask.ulMask = 1;
	same_rows(&r, 300, 400);
	/* Groups whose name starts with S, or people titled Sales Engineer. */
	t = sv(PR_DISPLAY_NAME_A, "s");
	two[0] = content(FL_PREFIX | FL_IGNORECASE, PR_DISPLAY_NAME_A, &t);
	v.ulPropTag = PR_DISPLAY_TYPE;
	v.Value.l = DT_DISTLIST;
	two[1] = prop(RELOP_EQ, PR_DISPLAY_TYPE, &v);
	r = list2(RES_AND, two);
	same_rows(&r, 3, 10);
	r = list2(RES_OR, two);
	same_rows(&r, 30, 80);
}

static void anr_matches_the_server_CT9(void **state)
{
	static const char *const names[] = {
		"Okafor", "Chris Smith", "Smith, Chris", "h\xc3\xa9l\xc3\xa8ne", "Baxter",
		"mjohnson@example.com", "Sales, EMEA", "de la", "Xiuying", "*", ""
	};
	SPropValue v;
	SRestriction r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		v = sv(PR_ANR_A, names[i]);
		r = prop(RELOP_EQ, PR_ANR_A, &v);
		same_rows(&r, names[i][0] == '\0' || names[i][0] == '*' ? 0 : 1, 40);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(content_and_property_match_the_server_TB10_CT8c),
		cmocka_unit_test(exist_class_and_lists_match_the_server_TB10),
		cmocka_unit_test(anr_matches_the_server_CT9),
		cmocka_unit_test(secondary_values_match_on_the_server),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
