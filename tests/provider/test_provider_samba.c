/* Integration tests of the provider against a real Active Directory: the
 * Samba AD DC of the samba_ad fixture and its generated data set
 * (tests/samba/gen-population.py), through the provider's entry point
 * (ABProviderInit with the host's allocators and support object).
 *
 * The logon is what a user of a real AD configures: LDAPS with the DC's CA,
 * a simple bind by user principal name, the base at the domain root (where
 * AD answers with continuation references to its other partitions), the
 * schema left on "auto".  Proven: the AD attribute preset is chosen from the
 * root DSE, browsing and type-down by VLV (CT-6, TB-19, CT-8), ANR
 * restrictions and ResolveNames with "Last, First" and a secondary smtp:
 * address (CT-9, CT-10, CT-11), a person's full property set with photo,
 * certificate, manager and direct reports (CT-14), the member table of a
 * group of more than 1,500 members (MU-3), entry IDs that survive a rename
 * and a move (EK-2), a Kerberos logon and an anonymous one (LC-17). */
#include "test_core_util.h"

#include <strings.h>
#include <sys/wait.h>

#include "abp_test_support.h"
#include "provider_logon.h"
#include "props.h"
#include "samba_env.h"

#define env samba_env

/* Logon as the reader, by UPN over LDAPS, base at the domain root, schema
 * auto; extra settings appended. */
static void lg_logon(struct plg *g, ULONG n_extra, const SPropValue *extra)
{
	SPropValue v[12];
	ULONG n = 0;

	assert_true(n_extra <= 10);
	memset(v, 0, sizeof(v));
	v[n].ulPropTag = PR_LDAPAB_TLS_CACERT_FILE_A;
	v[n++].Value.lpszA = (LPSTR)env("LDAPAB_AD_CA");
	v[n].ulPropTag = PR_LDAPAB_OP_TIMEOUT;
	v[n++].Value.l = 20;
	for (ULONG i = 0; i < n_extra; i++)
		v[n++] = extra[i];
	plg_logon(g, env("LDAPAB_AD_LDAPS_URI"), env("LDAPAB_AD_BASE"), env("LDAPAB_AD_READER_UPN"),
	          env("LDAPAB_AD_READER_PW"), n, v);
}

/* The last error text of a failed call on obj (for the failure message). */
#define LAST_ERROR(obj, hr, buf)                                                        \
	do {                                                                            \
		LPMAPIERROR e_ = NULL;                                                  \
		(buf)[0] = '\0';                                                        \
		if ((obj)->lpVtbl->GetLastError((obj), (hr), 0, &e_) == S_OK && e_) {   \
			snprintf((buf), sizeof(buf), "%s", (char *)e_->lpszError);      \
			host_MAPIFreeBuffer(e_);                                        \
		}                                                                       \
	} while (0)

static LPMAPITABLE contents(IABContainer *c)
{
	LPMAPITABLE t = NULL;
	HRESULT hr = c->lpVtbl->GetContentsTable(c, 0, &t);
	char msg[640];

	if (FAILED(hr)) {
		LAST_ERROR(c, hr, msg);
		fail_msg("GetContentsTable: 0x%08X %s", (unsigned)hr, msg);
	}
	return t;
}

static SRestriction name_res(SPropValue *pv, ULONG fuzzy, const char *text)
{
	SRestriction r;

	memset(&r, 0, sizeof(r));
	pv->ulPropTag = PR_DISPLAY_NAME_A;
	pv->Value.lpszA = (LPSTR)text;
	r.rt = RES_CONTENT;
	r.res.resContent.ulFuzzyLevel = fuzzy;
	r.res.resContent.ulPropTag = PR_DISPLAY_NAME_A;
	r.res.resContent.lpProp = pv;
	return r;
}

static ULONG position(LPMAPITABLE t)
{
	ULONG row = 0, num = 0, den = 0;

	assert_int_equal(t->lpVtbl->QueryPosition(t, &row, &num, &den), S_OK);
	return row;
}

/* The one entry of the contents table called name, opened by entry ID. */
static LPUNKNOWN open_by_name(struct plg *g, IABContainer *c, const char *name, ULONG want_type)
{
	LPMAPITABLE t = contents(c);
	LPSRowSet rs = NULL;
	SPropValue pv;
	SRestriction r = name_res(&pv, FL_FULLSTRING | FL_IGNORECASE, name);
	const SPropValue *id;
	LPUNKNOWN u = NULL;
	ULONG type = 0;

	assert_int_equal(t->lpVtbl->Restrict(t, &r, 0), S_OK);
	assert_int_equal(t->lpVtbl->QueryRows(t, 5, 0, &rs), S_OK);
	if (rs->cRows != 1)
		fail_msg("\"%s\": %u rows, want 1", name, (unsigned)rs->cRows);
	id = plg_col(&rs->aRow[0], PR_ENTRYID);
	assert_non_null(id);
	assert_int_equal(IABLogon_OpenEntry(g->l, id->Value.bin.cb, (LPENTRYID)id->Value.bin.lpb,
	                                    NULL, 0, &type, &u), S_OK);
	assert_int_equal(type, want_type);
	plg_free_rows(rs);
	t->lpVtbl->Release(t);
	return u;
}

/* Entries the provider should list at the domain root (people, contacts,
 * groups), counted with ldapbridge alone. */
static size_t independent_count(const char *filter)
{
	static const char *const attrs[] = { "1.1", NULL };
	struct lb_config lc;
	struct lb_search_params p;
	struct lb_error err;
	lb_conn *conn = NULL;
	lb_result *res = NULL;
	size_t n;

	lb_config_init(&lc);
	lc.uris = env("LDAPAB_AD_LDAPS_URI");
	lc.tls_ca_file = env("LDAPAB_AD_CA");
	lc.bind_method = LB_BIND_SIMPLE;
	lc.bind_dn = env("LDAPAB_AD_READER_UPN");
	lc.password = env("LDAPAB_AD_READER_PW");
	assert_int_equal(lb_conn_open(&lc, &conn, &err), LB_OK);
	lb_search_params_init(&p);
	p.base = env("LDAPAB_AD_BASE");
	p.filter = filter;
	p.attrs = attrs;
	p.size_limit = 0;
	if (lb_search(conn, &p, &res, &err) != LB_OK)
		fail_msg("count: %s", err.message);
	n = lb_result_count(res);
	lb_result_free(res);
	lb_conn_close(conn);
	return n;
}

/* ------------------------------------------------------------------------ */
/* Browsing (CT-6, TB-19, CT-8)                                             */

static void test_TB19_CT8_browse_and_typedown_on_ad(void **state)
{
	struct plg g;
	SPropValue v, pv;
	SRestriction r;
	IABContainer *c;
	LPMAPITABLE t;
	LPSRowSet rs = NULL;
	ULONG count = 0, i, at;
	size_t bulk = (size_t)atoi(env("LDAPAB_AD_BULK_COUNT"));
	char prev[256] = "";

	(void)state;
	v.ulPropTag = PR_LDAPAB_BROWSE_MODE;
	v.Value.l = LDAPAB_BROWSE_VLV;
	lg_logon(&g, 1, &v);
	c = plg_open_directory(&g);
	t = contents(c);
	assert_int_equal(t->lpVtbl->GetRowCount(t, 0, &count), S_OK);
	/* Every person (enabled or not), contact and group, computers not. */
	assert_true(count >= bulk + 40);
	assert_int_equal(count, independent_count("(|(&(objectCategory=person)"
	                                          "(|(objectClass=user)(objectClass=contact)))"
	                                          "(objectCategory=group))"));
	/* From the top, in display-name order. */
	assert_int_equal(t->lpVtbl->QueryRows(t, 60, 0, &rs), S_OK);
	assert_int_equal(rs->cRows, 60);
	for (i = 0; i < rs->cRows; i++) {
		const char *n = plg_name_of(&rs->aRow[i]);

		assert_non_null(plg_col(&rs->aRow[i], PR_ENTRYID));
		/* The server's collation; checked where it is plain ASCII. */
		if ((unsigned char)n[0] >= 0x80)
			continue;
		if (strcasecmp(prev, n) > 0)
			fail_msg("out of order: '%s' before '%s'", prev, n);
		snprintf(prev, sizeof(prev), "%s", n);
	}
	plg_free_rows(rs);
	/* Type-down: the first "Bulk Person 1234", by value. */
	r = name_res(&pv, FL_PREFIX | FL_IGNORECASE, "bulk person 1234");
	assert_int_equal(t->lpVtbl->FindRow(t, &r, BOOKMARK_BEGINNING, 0), S_OK);
	at = position(t);
	assert_int_equal(t->lpVtbl->QueryRows(t, 2, 0, &rs), S_OK);
	assert_int_equal(rs->cRows, 2);
	assert_string_equal(plg_name_of(&rs->aRow[0]), "Bulk Person 1234");
	assert_string_equal(plg_name_of(&rs->aRow[1]), "Bulk Person 1235");
	plg_free_rows(rs);
	/* The row before it is Bulk Person 1233. */
	assert_int_equal(t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, (LONG)at - 1, NULL), S_OK);
	assert_int_equal(t->lpVtbl->QueryRows(t, 1, 0, &rs), S_OK);
	assert_string_equal(plg_name_of(&rs->aRow[0]), "Bulk Person 1233");
	plg_free_rows(rs);
	/* The middle, and the end (TB-5: zero rows there). */
	assert_int_equal(t->lpVtbl->SeekRowApprox(t, 1, 2), S_OK);
	assert_int_equal(position(t), count / 2);
	assert_int_equal(t->lpVtbl->SeekRow(t, BOOKMARK_END, -1, NULL), S_OK);
	assert_int_equal(t->lpVtbl->QueryRows(t, 5, 0, &rs), S_OK);
	assert_int_equal(rs->cRows, 1);
	plg_free_rows(rs);
	assert_int_equal(t->lpVtbl->QueryRows(t, 5, 0, &rs), S_OK);
	assert_int_equal(rs->cRows, 0);
	plg_free_rows(rs);
	t->lpVtbl->Release(t);
	c->lpVtbl->Release(c);
	plg_done(&g);
}

/* ------------------------------------------------------------------------ */
/* ANR restrictions (CT-9)                                                  */

/* Display names of the rows an ANR restriction leaves, "|"-joined. */
static void anr_rows(LPMAPITABLE t, const char *typed, char *out, size_t cap)
{
	SPropValue pv;
	SRestriction r;
	LPSRowSet rs = NULL;
	size_t used = 0;

	memset(&r, 0, sizeof(r));
	pv.ulPropTag = PR_ANR_A;
	pv.Value.lpszA = (LPSTR)typed;
	r.rt = RES_PROPERTY;
	r.res.resProperty.relop = RELOP_EQ;
	r.res.resProperty.ulPropTag = PR_ANR_A;
	r.res.resProperty.lpProp = &pv;
	assert_int_equal(t->lpVtbl->Restrict(t, &r, 0), S_OK);
	assert_int_equal(t->lpVtbl->QueryRows(t, 50, 0, &rs), S_OK);
	out[0] = '\0';
	for (ULONG i = 0; i < rs->cRows; i++)
		used += (size_t)snprintf(out + used, used < cap ? cap - used : 0, "%s%s",
		                         i ? "|" : "", plg_name_of(&rs->aRow[i]));
	assert_true(used < cap);
	plg_free_rows(rs);
}

static void expect_anr(LPMAPITABLE t, const char *typed, const char *want)
{
	char got[2048];

	anr_rows(t, typed, got, sizeof(got));
	if (strcmp(got, want) != 0)
		fail_msg("PR_ANR \"%s\": got \"%s\", want \"%s\"", typed, got, want);
}

static void test_CT9_anr_restrictions_on_ad(void **state)
{
	struct plg g;
	IABContainer *c;
	LPMAPITABLE t;

	(void)state;
	lg_logon(&g, 0, NULL);
	c = plg_open_directory(&g);
	t = contents(c);
	expect_anr(t, "Ada Lind", "Ada Lindqvist");
	expect_anr(t, "Lindqvist, Ada", "Ada Lindqvist");
	expect_anr(t, "Smith, Chris", "Chris Smith|Christine Smith");
	expect_anr(t, "ada.lindqvist@ldapab.test", "Ada Lindqvist");
	expect_anr(t, "adalindqvist@mail.ldapab.test", "Ada Lindqvist");   /* secondary */
	expect_anr(t, "all-staff@lists.ldapab.test", "All Staff");
	expect_anr(t, "Platform", "Platform Team");
	expect_anr(t, "nobody-at-all", "");
	t->lpVtbl->Release(t);
	c->lpVtbl->Release(c);
	plg_done(&g);
}

/* ------------------------------------------------------------------------ */
/* ResolveNames (CT-10, CT-11)                                              */

static void set_name(ADRENTRY *ae, const char *name)
{
	SPropValue *v = NULL;
	char *a = NULL;

	assert_int_equal(host_MAPIAllocateBuffer(2 * sizeof(SPropValue), (void **)&v), S_OK);
	memset(v, 0, 2 * sizeof(SPropValue));
	v[0].ulPropTag = PR_RECIPIENT_TYPE;
	v[0].Value.l = MAPI_TO;
	assert_int_equal(host_MAPIAllocateMore((ULONG)strlen(name) + 1, v, (void **)&a), S_OK);
	memcpy(a, name, strlen(name) + 1);
	v[1].ulPropTag = PR_DISPLAY_NAME_A;
	v[1].Value.lpszA = a;
	ae->cValues = 2;
	ae->rgPropVals = v;
}

static const SPropValue *find(const ADRENTRY *ae, ULONG tag)
{
	for (ULONG i = 0; i < ae->cValues; i++)
		if (ae->rgPropVals[i].ulPropTag == tag)
			return &ae->rgPropVals[i];
	return NULL;
}

static void test_CT10_CT11_resolve_names_on_ad(void **state)
{
	static const char *const names[] = {
		"Ada Lindqvist",                  /* 0: exact */
		"Lindqvist, Ada",                 /* 1: "Last, First" */
		"adalindqvist@mail.ldapab.test",  /* 2: a secondary smtp: address */
		"Smith",                          /* 3: two Smiths: ambiguous */
		"Engineering",                    /* 4: a mail-enabled group */
		"Nobody Whatsoever",              /* 5: none */
	};
	const ULONG n = sizeof(names) / sizeof(names[0]);
	struct plg g;
	IABContainer *c;
	ADRLIST *list = NULL;
	FlagList *fl = calloc(1, CbNewFlagList(n));
	const SPropValue *v;
	char msg[640];
	ADRENTRY *ae;
	ULONG *flag;
	HRESULT hr;

	(void)state;
	assert_non_null(fl);
	fl->cFlags = n;
	assert_int_equal(host_MAPIAllocateBuffer((ULONG)CbNewADRLIST(n), (void **)&list), S_OK);
	memset(list, 0, CbNewADRLIST(n));
	list->cEntries = n;
	ae = list->aEntries;            /* MAPI_DIM arrays: index through pointers */
	flag = fl->ulFlag;
	for (ULONG i = 0; i < n; i++)
		set_name(&ae[i], names[i]);
	lg_logon(&g, 0, NULL);
	c = plg_open_directory(&g);
	hr = c->lpVtbl->ResolveNames(c, NULL, 0, list, fl);
	if (hr != S_OK) {
		LAST_ERROR(c, hr, msg);
		fail_msg("ResolveNames: 0x%08X %s", (unsigned)hr, msg);
	}
	for (ULONG i = 0; i < 3; i++) {
		if (flag[i] != MAPI_RESOLVED)
			fail_msg("\"%s\": flag 0x%X, want MAPI_RESOLVED", names[i],
			         (unsigned)flag[i]);
		v = find(&ae[i], PR_DISPLAY_NAME_A);
		assert_non_null(v);
		assert_string_equal(v->Value.lpszA, "Ada Lindqvist");
		v = find(&ae[i], PR_EMAIL_ADDRESS_A);
		assert_non_null(v);
		assert_string_equal(v->Value.lpszA, "ada.lindqvist@ldapab.test");
		assert_non_null(find(&ae[i], PR_ENTRYID));
		assert_int_equal(find(&ae[i], PR_RECIPIENT_TYPE)->Value.l, MAPI_TO);
	}
	assert_int_equal(flag[3], MAPI_AMBIGUOUS);
	assert_int_equal(flag[4], MAPI_RESOLVED);
	v = find(&ae[4], PR_EMAIL_ADDRESS_A);
	assert_non_null(v);
	assert_string_equal(v->Value.lpszA, "engineering@ldapab.test");
	assert_int_equal(find(&ae[4], PR_OBJECT_TYPE)->Value.l, MAPI_DISTLIST);
	assert_int_equal(flag[5], MAPI_UNRESOLVED);
	for (ULONG i = 0; i < n; i++)
		host_MAPIFreeBuffer(ae[i].rgPropVals);
	host_MAPIFreeBuffer(list);
	free(fl);
	c->lpVtbl->Release(c);
	plg_done(&g);
}

/* ------------------------------------------------------------------------ */
/* A person's full property set (CT-14)                                     */

static char *utf8_of(const SPropValue *v)
{
	char *s;

	assert_non_null(v);
	assert_int_equal(PROP_TYPE(v->ulPropTag), PT_UNICODE);
	s = abp_utf16_to_utf8_dup(v->Value.lpszW);
	assert_non_null(s);
	return s;
}

static void expect_w(const LPSPropValue p, ULONG n, ULONG tag, const char *want)
{
	for (ULONG i = 0; i < n; i++)
		if (p[i].ulPropTag == tag) {
			char *s = utf8_of(&p[i]);

			if (strcmp(s, want) != 0)
				fail_msg("0x%08X: \"%s\", want \"%s\"", (unsigned)tag, s, want);
			free(s);
			return;
		}
	fail_msg("0x%08X missing", (unsigned)tag);
}

static const SPropValue *prop(const LPSPropValue p, ULONG n, ULONG tag)
{
	for (ULONG i = 0; i < n; i++)
		if (p[i].ulPropTag == tag)
			return &p[i];
	fail_msg("0x%08X missing", (unsigned)tag);
	return NULL;
}

/* Whether the person lists tag among its properties. */
static bool lists(IMailUser *mu, ULONG tag)
{
	LPSPropTagArray l = NULL;
	bool found = false;

	assert_int_equal(mu->lpVtbl->GetPropList(mu, MAPI_UNICODE, &l), S_OK);
	for (ULONG i = 0; i < l->cValues; i++)
		found |= l->aulPropTag[i] == tag;
	host_MAPIFreeBuffer(l);
	return found;
}

/* The display names of a PT_OBJECT property opened as a table, sorted. */
static ULONG link_rows(IMailUser *mu, ULONG tag, char names[][64], ULONG cap)
{
	LPMAPITABLE t = NULL;
	LPSRowSet rs = NULL;
	ULONG n;

	assert_int_equal(mu->lpVtbl->OpenProperty(mu, tag, &IID_IMAPITable, 0, 0,
	                                          (LPUNKNOWN *)&t), S_OK);
	assert_int_equal(t->lpVtbl->QueryRows(t, (LONG)cap, 0, &rs), S_OK);
	n = rs->cRows;
	for (ULONG i = 0; i < n; i++)
		snprintf(names[i], 64, "%s", plg_name_of(&rs->aRow[i]));
	qsort(names, n, 64, (int (*)(const void *, const void *))strcmp);
	plg_free_rows(rs);
	t->lpVtbl->Release(t);
	return n;
}

static void test_CT14_person_full_properties_photo_certificate_manager_reports(void **state)
{
	static const uint8_t cert_head[] = { 0x30, 0x82, 0x01, 0xb6 };
	struct plg g;
	IABContainer *c;
	IMailUser *ada, *zoe, *boss = NULL;
	LPSPropValue p = NULL;
	ULONG n = 0, n_reports;
	const SPropValue *v;
	char reports[16][64];
	char filter[256];

	(void)state;
	lg_logon(&g, 0, NULL);
	c = plg_open_directory(&g);
	ada = (IMailUser *)open_by_name(&g, c, "Ada Lindqvist", MAPI_MAILUSER);
	assert_int_equal(ada->lpVtbl->GetProps(ada, NULL, MAPI_UNICODE, &n, &p), S_OK);
	expect_w(p, n, PR_DISPLAY_NAME_W, "Ada Lindqvist");
	expect_w(p, n, PR_GIVEN_NAME_W, "Ada");
	expect_w(p, n, PR_SURNAME_W, "Lindqvist");
	expect_w(p, n, PR_SMTP_ADDRESS_W, "ada.lindqvist@ldapab.test");
	expect_w(p, n, PR_ACCOUNT_W, "ada.lindqvist");            /* the AD preset's source */
	expect_w(p, n, PR_DEPARTMENT_NAME_W, "Engineering");
	expect_w(p, n, PR_COMPANY_NAME_W, "Ldapab Test AB");
	expect_w(p, n, PR_BUSINESS_TELEPHONE_NUMBER_W, "+46 8 555 1000");
	expect_w(p, n, PR_MOBILE_TELEPHONE_NUMBER_W, "+46 70 555 2000");
	expect_w(p, n, PR_BUSINESS_FAX_NUMBER_W, "+46 8 555 3000");
	expect_w(p, n, PR_OFFICE_LOCATION_W, "Stockholm");
	expect_w(p, n, PR_STREET_ADDRESS_W, "Sveavägen 1");
	expect_w(p, n, PR_POSTAL_CODE_W, "111 57");
	expect_w(p, n, PR_LOCALITY_W, "Stockholm");
	/* Every proxy address, primary and secondary (AD preset). */
	v = prop(p, n, PR_EMS_AB_PROXY_ADDRESSES_W);
	assert_int_equal(v->Value.MVszW.cValues, 2);
	{
		char *a = abp_utf16_to_utf8_dup(v->Value.MVszW.lppszW[0]);
		char *b = abp_utf16_to_utf8_dup(v->Value.MVszW.lppszW[1]);

		assert_non_null(a);
		assert_non_null(b);
		assert_true((strcmp(a, "SMTP:ada.lindqvist@ldapab.test") == 0 &&
		             strcmp(b, "smtp:adalindqvist@mail.ldapab.test") == 0) ||
		            (strcmp(b, "SMTP:ada.lindqvist@ldapab.test") == 0 &&
		             strcmp(a, "smtp:adalindqvist@mail.ldapab.test") == 0));
		free(a);
		free(b);
	}
	/* Photo (a JPEG, 86 bytes in the data set) and certificate (DER). */
	v = prop(p, n, PR_EMS_AB_THUMBNAIL_PHOTO);
	assert_int_equal(v->Value.bin.cb, 86);
	assert_int_equal(v->Value.bin.lpb[0], 0xff);
	assert_int_equal(v->Value.bin.lpb[1], 0xd8);
	v = prop(p, n, PR_EMS_AB_X509_CERT);
	assert_int_equal(v->Value.MVbin.cValues, 1);
	assert_int_equal(v->Value.MVbin.lpbin[0].cb, 442);
	assert_memory_equal(v->Value.MVbin.lpbin[0].lpb, cert_head, sizeof(cert_head));
	host_MAPIFreeBuffer(p);
	/* The head of the hierarchy: reports, no manager (PT_OBJECT properties
	 * are listed, and opened, not read). */
	assert_true(lists(ada, PR_EMS_AB_REPORTS));
	assert_false(lists(ada, PR_EMS_AB_MANAGER));
	n_reports = link_rows(ada, PR_EMS_AB_REPORTS, reports, 16);
	snprintf(filter, sizeof(filter), "(manager=CN=Ada Lindqvist,%s)",
	         env("LDAPAB_AD_PEOPLE_BASE"));
	assert_int_equal(n_reports, independent_count(filter));
	assert_true(n_reports >= 2);

	/* Zoë reports to Ada: manager name, and the manager as an object. */
	zoe = (IMailUser *)open_by_name(&g, c, "Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m", MAPI_MAILUSER);
	assert_int_equal(zoe->lpVtbl->GetProps(zoe, NULL, MAPI_UNICODE, &n, &p), S_OK);
	expect_w(p, n, PR_DISPLAY_NAME_W, "Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m");
	expect_w(p, n, PR_MANAGER_NAME_W, "Ada Lindqvist");
	host_MAPIFreeBuffer(p);
	assert_true(lists(zoe, PR_EMS_AB_MANAGER));
	assert_int_equal(zoe->lpVtbl->OpenProperty(zoe, PR_EMS_AB_MANAGER, &IID_IMailUser, 0, 0,
	                                           (LPUNKNOWN *)&boss), S_OK);
	assert_int_equal(boss->lpVtbl->GetProps(boss, NULL, MAPI_UNICODE, &n, &p), S_OK);
	expect_w(p, n, PR_DISPLAY_NAME_W, "Ada Lindqvist");
	host_MAPIFreeBuffer(p);
	boss->lpVtbl->Release(boss);
	zoe->lpVtbl->Release(zoe);
	ada->lpVtbl->Release(ada);
	c->lpVtbl->Release(c);
	plg_done(&g);
}

/* ------------------------------------------------------------------------ */
/* A group of more than 1,500 members (MU-3)                                */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_MU3_member_table_of_1501_members_complete(void **state)
{
	struct plg g;
	IABContainer *c;
	IDistList *dl;
	LPMAPITABLE m = NULL;
	LPSRowSet rs = NULL;
	ULONG count = 0, got = 0;
	char **names = calloc(1600, sizeof(*names));

	(void)state;
	assert_non_null(names);
	lg_logon(&g, 0, NULL);
	c = plg_open_directory(&g);
	dl = (IDistList *)open_by_name(&g, c, "Bulk 1501", MAPI_DISTLIST);
	assert_int_equal(dl->lpVtbl->GetContentsTable(dl, 0, &m), S_OK);
	assert_int_equal(m->lpVtbl->GetRowCount(m, 0, &count), S_OK);
	assert_int_equal(count, 1501);
	for (;;) {
		assert_int_equal(m->lpVtbl->QueryRows(m, 400, 0, &rs), S_OK);
		if (rs->cRows == 0) {
			plg_free_rows(rs);
			break;
		}
		for (ULONG i = 0; i < rs->cRows; i++) {
			assert_true(got < 1600);
			names[got++] = strdup(plg_name_of(&rs->aRow[i]));
			assert_int_equal(plg_col(&rs->aRow[i], PR_OBJECT_TYPE)->Value.l, MAPI_MAILUSER);
		}
		plg_free_rows(rs);
	}
	assert_int_equal(got, 1501);
	qsort(names, got, sizeof(*names), cmp_str);
	for (ULONG i = 0; i < got; i++) {
		char want[32];

		snprintf(want, sizeof(want), "Bulk Person %04u", (unsigned)i);
		assert_string_equal(names[i], want);
		free(names[i]);
	}
	free(names);
	m->lpVtbl->Release(m);
	dl->lpVtbl->Release(dl);
	c->lpVtbl->Release(c);
	plg_done(&g);
}

/* ------------------------------------------------------------------------ */
/* Identity: entry IDs survive a rename and a move (EK-2)                   */

/* ldapmodrdn as the administrator over LDAPS: dn becomes newrdn under
 * parent (the shell is not involved: DNs hold spaces).  Returns its exit
 * status (0: done). */
static int modrdn_status(const char *dn, const char *newrdn, const char *parent)
{
	char *argv[] = { "ldapmodrdn", "-x", "-r", "-H", (char *)env("LDAPAB_AD_LDAPS_URI"),
	                 "-D", (char *)env("LDAPAB_AD_ADMIN_UPN"),
	                 "-w", (char *)env("LDAPAB_AD_ADMIN_PW"),
	                 "-s", (char *)parent, (char *)dn, (char *)newrdn, NULL };
	int status = 0;
	pid_t pid;

	assert_int_equal(setenv("LDAPTLS_CACERT", env("LDAPAB_AD_CA"), 1), 0);
	assert_int_equal(setenv("LDAPCONF", "/dev/null", 1), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void modrdn(const char *dn, const char *newrdn, const char *parent)
{
	int status = modrdn_status(dn, newrdn, parent);

	if (status != 0)
		fail_msg("ldapmodrdn %s -> %s,%s failed (status %d)", dn, newrdn, parent, status);
}

/* Teardown: Morgan back where the data set has it, whatever the test did
 * (nothing to do when it is there already). */
static int put_morgan_back(void **state)
{
	char moves_a[256], moves_b[256], dn_b[300];

	(void)state;
	snprintf(moves_a, sizeof(moves_a), "OU=Moves A,%s", env("LDAPAB_AD_BASE"));
	snprintf(moves_b, sizeof(moves_b), "OU=Moves B,%s", env("LDAPAB_AD_BASE"));
	snprintf(dn_b, sizeof(dn_b), "CN=Morgan Moved,%s", moves_b);
	(void)modrdn_status(dn_b, "CN=Morgan Mover", moves_a);
	return 0;
}

/* Log off and on again with the same profile (the same instance UID, so
 * the entry IDs of the first logon are ours to the second, LC-14). */
static void lg_again(struct plg *g)
{
	host_profile *prof = g->prof;

	g->prof = NULL;
	plg_release(g);
	plg_logon_profile(g, prof);
}

/* The entry ID and record key of the one row called name. */
static void ids_of(struct plg *g, const char *name, SBinary *eid, SBinary *rk)
{
	IABContainer *c = plg_open_directory(g);
	LPMAPITABLE t = contents(c);
	LPSRowSet rs = NULL;
	SPropValue pv;
	SRestriction r = name_res(&pv, FL_FULLSTRING | FL_IGNORECASE, name);
	const SPropValue *v;

	assert_int_equal(t->lpVtbl->Restrict(t, &r, 0), S_OK);
	assert_int_equal(t->lpVtbl->QueryRows(t, 5, 0, &rs), S_OK);
	assert_int_equal(rs->cRows, 1);
	v = plg_col(&rs->aRow[0], PR_ENTRYID);
	assert_non_null(v);
	eid->cb = v->Value.bin.cb;
	eid->lpb = malloc(eid->cb);
	assert_non_null(eid->lpb);
	memcpy(eid->lpb, v->Value.bin.lpb, eid->cb);
	v = plg_col(&rs->aRow[0], PR_RECORD_KEY);
	assert_non_null(v);
	rk->cb = v->Value.bin.cb;
	rk->lpb = malloc(rk->cb);
	assert_non_null(rk->lpb);
	memcpy(rk->lpb, v->Value.bin.lpb, rk->cb);
	plg_free_rows(rs);
	t->lpVtbl->Release(t);
	c->lpVtbl->Release(c);
}

/* Open eid: the person is Morgan Mover, with the same record key. */
static void expect_morgan(struct plg *g, const SBinary *eid, const SBinary *rk)
{
	SizedSPropTagArray(2, tags) = { 2, { PR_DISPLAY_NAME_A, PR_RECORD_KEY } };
	IMailUser *mu = NULL;
	LPSPropValue p = NULL;
	ULONG type = 0, n = 0;
	HRESULT hr;

	hr = IABLogon_OpenEntry(g->l, eid->cb, (LPENTRYID)eid->lpb, NULL, 0, &type,
	                        (LPUNKNOWN *)&mu);
	if (hr != S_OK)
		fail_msg("OpenEntry after the move: 0x%08X", (unsigned)hr);
	assert_int_equal(type, MAPI_MAILUSER);
	assert_int_equal(mu->lpVtbl->GetProps(mu, (LPSPropTagArray)&tags, 0, &n, &p), S_OK);
	assert_int_equal(n, 2);
	assert_string_equal(p[0].Value.lpszA, "Morgan Mover");
	assert_int_equal(p[1].ulPropTag, PR_RECORD_KEY);
	assert_int_equal(p[1].Value.bin.cb, rk->cb);
	assert_memory_equal(p[1].Value.bin.lpb, rk->lpb, rk->cb);
	host_MAPIFreeBuffer(p);
	mu->lpVtbl->Release(mu);
}

static void test_EK2_entry_id_survives_rename_and_move(void **state)
{
	char moves_a[256], moves_b[256], dn_a[300], dn_b[300];
	SBinary eid, rk, eid2, rk2;
	struct plg g;

	(void)state;
	snprintf(moves_a, sizeof(moves_a), "OU=Moves A,%s", env("LDAPAB_AD_BASE"));
	snprintf(moves_b, sizeof(moves_b), "OU=Moves B,%s", env("LDAPAB_AD_BASE"));
	snprintf(dn_a, sizeof(dn_a), "CN=Morgan Mover,%s", moves_a);
	snprintf(dn_b, sizeof(dn_b), "CN=Morgan Moved,%s", moves_b);
	lg_logon(&g, 0, NULL);
	ids_of(&g, "Morgan Mover", &eid, &rk);

	modrdn(dn_a, "CN=Morgan Moved", moves_b);
	/* The same logon, whose entry ID names the old DN as its hint. */
	expect_morgan(&g, &eid, &rk);
	/* A new logon of the same profile: nothing remembered. */
	lg_again(&g);
	expect_morgan(&g, &eid, &rk);
	/* The row now listed has the same record key. */
	ids_of(&g, "Morgan Mover", &eid2, &rk2);
	assert_int_equal(rk2.cb, rk.cb);
	assert_memory_equal(rk2.lpb, rk.lpb, rk.cb);
	plg_done(&g);

	modrdn(dn_b, "CN=Morgan Mover", moves_a);           /* the data set as it was */
	free(eid.lpb);
	free(rk.lpb);
	free(eid2.lpb);
	free(rk2.lpb);
}

/* ------------------------------------------------------------------------ */
/* Kerberos (SASL GSSAPI) logon                                             */

/* A ticket from the DC's KDC (kinit into a private credential cache, the
 * fixture's krb5.conf), then a logon with PR_LDAPAB_BIND_METHOD GSSAPI and
 * no password anywhere: ResolveNames answers. */
static void test_LC17_gssapi_logon_with_kerberos_ticket_resolves(void **state)
{
	struct plg g;
	SPropValue v[8];
	IABContainer *c;
	ADRLIST *list = NULL;
	FlagList *fl = calloc(1, CbNewFlagList(1));
	char ccache[512], cmd[512];
	ULONG n = 0;
	FILE *kin;
	HRESULT hr;

	(void)state;
	assert_non_null(fl);
	snprintf(ccache, sizeof(ccache), "FILE:%s/ccache-provider-%ld", env("LDAPAB_AD_RUNDIR"),
	         (long)getpid());
	assert_int_equal(setenv("KRB5_CONFIG", env("LDAPAB_AD_KRB5_CONFIG"), 1), 0);
	assert_int_equal(setenv("KRB5CCNAME", ccache, 1), 0);
	snprintf(cmd, sizeof(cmd), "kinit '%s@%s' >/dev/null", env("LDAPAB_AD_READER_SAM"),
	         env("LDAPAB_AD_REALM"));
	kin = popen(cmd, "w");
	assert_non_null(kin);
	fprintf(kin, "%s\n", env("LDAPAB_AD_READER_PW"));
	assert_int_equal(pclose(kin), 0);

	memset(&g, 0, sizeof(g));
	memset(v, 0, sizeof(v));
	v[n].ulPropTag = PR_LDAPAB_BASE_DN_A;
	v[n++].Value.lpszA = (LPSTR)env("LDAPAB_AD_BASE");
	v[n].ulPropTag = PR_LDAPAB_BIND_METHOD;
	v[n++].Value.l = 3;                             /* SASL GSSAPI */
	plg_logon_profile(&g, core_profile(env("LDAPAB_AD_URI"), n, v));
	c = plg_open_directory(&g);
	fl->cFlags = 1;
	assert_int_equal(host_MAPIAllocateBuffer((ULONG)CbNewADRLIST(1), (void **)&list), S_OK);
	memset(list, 0, CbNewADRLIST(1));
	list->cEntries = 1;
	set_name(&list->aEntries[0], "Ada Lindqvist");
	hr = c->lpVtbl->ResolveNames(c, NULL, 0, list, fl);
	if (hr != S_OK) {
		char msg[640];

		LAST_ERROR(c, hr, msg);
		fail_msg("ResolveNames over GSSAPI: 0x%08X %s", (unsigned)hr, msg);
	}
	assert_int_equal(fl->ulFlag[0], MAPI_RESOLVED);
	assert_string_equal(find(&list->aEntries[0], PR_EMAIL_ADDRESS_A)->Value.lpszA,
	                    "ada.lindqvist@ldapab.test");
	host_MAPIFreeBuffer(list->aEntries[0].rgPropVals);
	host_MAPIFreeBuffer(list);
	free(fl);
	c->lpVtbl->Release(c);
	plg_done(&g);
	unlink(ccache + strlen("FILE:"));
}

/* ------------------------------------------------------------------------ */
/* No bind configured (LC-17, LO-1)                                         */

/* AD answers an anonymous logon's first search with "needs a bind": a
 * logon failure whose GetLastError names the settings to fill in. */
static void test_LC17_LO1_anonymous_on_ad_names_the_bind_settings(void **state)
{
	struct plg g;
	SPropValue v[8];
	LPMAPIERROR err = NULL;
	IABContainer *c;
	LPMAPITABLE t = NULL;
	LPSRowSet rs = NULL;
	ULONG n = 0;
	HRESULT hr;

	(void)state;
	memset(&g, 0, sizeof(g));
	memset(v, 0, sizeof(v));
	v[n].ulPropTag = PR_LDAPAB_BASE_DN_A;
	v[n++].Value.lpszA = (LPSTR)env("LDAPAB_AD_BASE");
	v[n].ulPropTag = PR_LDAPAB_TLS_CACERT_FILE_A;
	v[n++].Value.lpszA = (LPSTR)env("LDAPAB_AD_CA");
	v[n].ulPropTag = PR_LDAPAB_BROWSE_MODE;
	v[n++].Value.l = LDAPAB_BROWSE_VLV;
	/* LC-17: the logon binds lazily and succeeds. */
	plg_logon_profile(&g, core_profile(env("LDAPAB_AD_LDAPS_URI"), n, v));
	c = plg_open_directory(&g);
	hr = c->lpVtbl->GetContentsTable(c, 0, &t);
	if (SUCCEEDED(hr)) {
		hr = t->lpVtbl->QueryRows(t, 10, 0, &rs);
		assert_int_equal(hr, MAPI_E_LOGON_FAILED);
		assert_null(rs);
		assert_int_equal(t->lpVtbl->GetLastError(t, hr, 0, &err), S_OK);
	} else {
		assert_int_equal(hr, MAPI_E_LOGON_FAILED);
		assert_int_equal(c->lpVtbl->GetLastError(c, hr, 0, &err), S_OK);
	}
	assert_non_null(err);
	if (strstr((char *)err->lpszError, "needs a bind") == NULL ||
	    strstr((char *)err->lpszError, "PR_LDAPAB_BIND_METHOD") == NULL ||
	    strstr((char *)err->lpszError, "PR_LDAPAB_BIND_DN") == NULL)
		fail_msg("GetLastError: %s", (char *)err->lpszError);
	host_MAPIFreeBuffer(err);
	if (t != NULL)
		t->lpVtbl->Release(t);
	c->lpVtbl->Release(c);
	plg_done(&g);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_TB19_CT8_browse_and_typedown_on_ad),
		cmocka_unit_test(test_CT9_anr_restrictions_on_ad),
		cmocka_unit_test(test_CT10_CT11_resolve_names_on_ad),
		cmocka_unit_test(test_CT14_person_full_properties_photo_certificate_manager_reports),
		cmocka_unit_test(test_MU3_member_table_of_1501_members_complete),
		cmocka_unit_test(test_LC17_LO1_anonymous_on_ad_names_the_bind_settings),
		cmocka_unit_test(test_LC17_gssapi_logon_with_kerberos_ticket_resolves),
		cmocka_unit_test_teardown(test_EK2_entry_id_survives_rename_and_move,
		                          put_morgan_back),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("provider_samba", tests, NULL, NULL);
}
