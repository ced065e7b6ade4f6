/*
 * test_person_details_slapd.c - a person's full property set through the
 * real entry point: the module loaded by the host's loader (ABProviderInit),
 * logged on against the slapd fixture (sample directory), the person opened
 * with the session's OpenEntry as MAPI would.  What the provider answers is
 * compared with what the server holds (read here with ldapbridge):
 *   MU-1  names, title, department, company, office, phones, postal address,
 *         every e-mail address (PR_EMS_AB_PROXY_ADDRESSES), photo
 *         (PR_EMS_AB_THUMBNAIL_PHOTO), certificates (PR_EMS_AB_X509_CERT,
 *         PR_USER_X509_CERTIFICATE), ANSI and Unicode;
 *   MU-5  GetPropList lists them, and the PT_OBJECT manager / reports;
 *   MU-7  OpenProperty(PR_EMS_AB_MANAGER / PR_EMS_AB_REPORTS) as tables of
 *         the referenced entries (entry IDs that open, names), the manager
 *         also as its IMailUser;
 *   MU-4f a person without photo or certificate answers PT_ERROR for them;
 *   LO-2  a manager outside the configured base is not linked.
 */
#include "test_core_util.h"

#include <ldapbridge/lb.h>
#include <ldapbridge/lb_filter.h>

#include "slapd_env.h"
#include "uuid.h"

#define PEOPLE "ou=People,dc=example,dc=com"
#define MARY "uid=mjohnson,ou=Sales," PEOPLE
/* Søren Ødegård (the uid is not his alone: found by name). */
#define SOREN_FILTER "(displayName=S\xC3\xB8ren \xC3\x98" "deg\xC3\xA5rd)"

static const char *env(const char *k)
{
	const char *v = slapd_env(k);

	if (v == NULL || v[0] == '\0')
		fail_msg("fixture key %s missing", k);
	return v;
}

/* ---- the server's view, read directly ---------------------------------- */

static lb_conn *direct_conn(void)
{
	struct lb_config cfg;
	struct lb_error err;
	lb_conn *c = NULL;

	lb_config_init(&cfg);
	cfg.uris = env("LDAPAB_TEST_URI");
	cfg.base = env("LDAPAB_TEST_BASE");
	if (lb_conn_open(&cfg, &c, &err) != LB_OK)
		fail_msg("connect: %s", err.message);
	return c;
}

/* The entries filter selects (one expected unless many). */
static lb_result *direct_search(lb_conn *c, const char *base, enum lb_scope scope,
                                const char *filter, const char *const *attrs)
{
	struct lb_search_params p;
	struct lb_error err;
	lb_result *res = NULL;

	lb_search_params_init(&p);
	p.base = base;
	p.scope = scope;
	p.filter = filter;
	p.attrs = attrs;
	if (lb_search(c, &p, &res, &err) != LB_OK)
		fail_msg("search %s %s: %s", base ? base : "(default)", filter ? filter : "", err.message);
	return res;
}

/* The DN of the one person filter selects. */
static char *dn_of(lb_conn *c, const char *filter)
{
	static const char *const attrs[] = { "uid", NULL };
	lb_result *res;
	char *dn;

	res = direct_search(c, env("LDAPAB_TEST_BASE"), LB_SCOPE_SUB, filter, attrs);
	assert_int_equal(lb_result_count(res), 1);
	dn = strdup(lb_entry_dn(lb_result_entry(res, 0)));
	assert_non_null(dn);
	lb_result_free(res);
	return dn;
}

/* Our entry ID for the person at dn (entryUUID locator, as the provider
 * makes them for OpenLDAP). */
static ULONG eid_of(lb_conn *c, const MAPIUID *uid, const char *dn, uint8_t *buf, size_t cap)
{
	static const char *const attrs[] = { "entryUUID", NULL };
	lb_result *res = direct_search(c, dn, LB_SCOPE_BASE, NULL, attrs);
	const struct lb_value *v;
	uint8_t u[16];
	ULONG cb;

	assert_int_equal(lb_result_count(res), 1);
	v = lb_entry_value(lb_result_entry(res, 0), "entryUUID");
	assert_non_null(v);
	assert_true(abp_uuid_parse(v->data, v->len, u));
	lb_result_free(res);
	cb = core_eid(uid, ABP_EID_MAILUSER, ABP_EID_LOC_ENTRYUUID, u, 16, NULL, buf, cap);
	return cb;
}

/* ---- the provider's view -------------------------------------------------- */

struct logon {
	host_provider *prov;
	host_session *sess;
	host_profile *prof;
	host_logon *hl;
	MAPIUID uid;
};

/* Log on with base (NULL: the fixture's base DN). */
static void logon_base(struct logon *g, const char *base)
{
	SPropValue v[1];

	memset(g, 0, sizeof(*g));
	memset(v, 0, sizeof(v));
	v[0].ulPropTag = PR_LDAPAB_BASE_DN_A;
	v[0].Value.lpszA = (LPSTR)(base != NULL ? base : env("LDAPAB_TEST_BASE"));
	g->prof = core_profile(env("LDAPAB_TEST_URI"), 1, v);     /* anonymous reads */
	g->prov = core_load(NULL);
	assert_int_equal(host_session_new(NULL, &g->sess), S_OK);
	assert_int_equal(host_session_logon(g->sess, g->prov, g->prof, 0, &g->hl, NULL), S_OK);
	assert_true(core_profile_uid(g->prof, &g->uid));
}

static void logon_up(struct logon *g)
{
	logon_base(g, NULL);
}

static void logon_down(struct logon *g)
{
	assert_int_equal(host_session_logoff(g->hl), S_OK);
	host_session_free(g->sess);
	host_provider_release(g->prov);
	host_profile_release(g->prof);
}

static LPMAILUSER open_person(struct logon *g, const uint8_t *eid, ULONG cb)
{
	ULONG type = 0;
	LPUNKNOWN u = NULL;
	HRESULT hr = host_session_open_entry(g->sess, cb, (LPENTRYID)eid, NULL, 0, &type, &u);

	if (hr != S_OK)
		fail_msg("OpenEntry: 0x%08X", (unsigned)hr);
	assert_int_equal(type, MAPI_MAILUSER);
	return (LPMAILUSER)u;
}

/* One property (tag as asked, flags as given); *v freed by the caller. */
static LPSPropValue get1(LPMAILUSER mu, ULONG tag, ULONG flags)
{
	SizedSPropTagArray(1, t) = { 1, { tag } };
	LPSPropValue v = NULL;
	ULONG n = 0;
	HRESULT hr = mu->lpVtbl->GetProps(mu, (LPSPropTagArray)&t, flags, &n, &v);

	assert_true(hr == S_OK || hr == MAPI_W_ERRORS_RETURNED);
	assert_int_equal(n, 1);
	return v;
}

static char *w_to_utf8(const WCHAR *w)
{
	char *out = malloc(4096);
	size_t o = 0;

	assert_non_null(out);
	for (; *w != 0 && o + 4 < 4096; w++) {
		uint32_t cp = *w;

		if (cp >= 0xD800 && cp <= 0xDBFF && w[1] >= 0xDC00 && w[1] <= 0xDFFF) {
			cp = 0x10000 + ((cp - 0xD800) << 10) + (w[1] - 0xDC00);
			w++;
		}
		if (cp < 0x80) {
			out[o++] = (char)cp;
		} else if (cp < 0x800) {
			out[o++] = (char)(0xC0 | (cp >> 6));
			out[o++] = (char)(0x80 | (cp & 0x3F));
		} else if (cp < 0x10000) {
			out[o++] = (char)(0xE0 | (cp >> 12));
			out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (cp & 0x3F));
		} else {
			out[o++] = (char)(0xF0 | (cp >> 18));
			out[o++] = (char)(0x80 | ((cp >> 12) & 0x3F));
			out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (cp & 0x3F));
		}
	}
	out[o] = '\0';
	return out;
}

/* A string property (as _W) equals the server's first value of attr. */
static void same_string(LPMAILUSER mu, ULONG tag, const lb_entry *e, const char *attr)
{
	const struct lb_value *sv = lb_entry_value(e, attr);
	LPSPropValue v = get1(mu, CHANGE_PROP_TYPE(tag, PT_UNICODE), MAPI_UNICODE);
	char *got;

	if (sv == NULL)
		fail_msg("the server has no %s", attr);
	if (PROP_TYPE(v[0].ulPropTag) != PT_UNICODE)
		fail_msg("property 0x%08X (%s) missing", (unsigned)tag, attr);
	got = w_to_utf8(v[0].Value.lpszW);
	if (strlen(got) != sv->len || memcmp(got, sv->data, sv->len) != 0)
		fail_msg("property 0x%08X: got \"%s\", server's %s is \"%.*s\"", (unsigned)tag, got,
		         attr, (int)sv->len, sv->data);
	free(got);
	host_MAPIFreeBuffer(v);
}

/* PR_POSTAL_ADDRESS is the server's postalAddress with its "$" line
 * separators as CRLF (RFC 4517 PostalAddress). */
static void same_postal_address(LPMAILUSER mu, const lb_entry *e)
{
	const struct lb_value *sv = lb_entry_value(e, "postalAddress");
	LPSPropValue v = get1(mu, PR_POSTAL_ADDRESS_W, MAPI_UNICODE);
	char want[1024];
	char *got;
	size_t i, k = 0;

	if (sv == NULL)
		fail_msg("the server has no postalAddress");
	assert_true(memchr(sv->data, '$', sv->len) != NULL);   /* several lines */
	for (i = 0; i < sv->len && k + 2 < sizeof(want); i++) {
		if (sv->data[i] == '$') {
			want[k++] = '\r';
			want[k++] = '\n';
		} else {
			want[k++] = sv->data[i];
		}
	}
	want[k] = '\0';
	assert_int_equal(PROP_TYPE(v[0].ulPropTag), PT_UNICODE);
	got = w_to_utf8(v[0].Value.lpszW);
	assert_string_equal(got, want);
	free(got);
	host_MAPIFreeBuffer(v);
}

/* A binary property equals the server's value(s) of attr, byte for byte. */
static void same_binary(LPMAILUSER mu, ULONG tag, const lb_entry *e, const char *attr)
{
	const struct lb_attr *a = lb_entry_find(e, attr);
	LPSPropValue v = get1(mu, tag, 0);
	ULONG i;

	if (a == NULL || a->n_values == 0)
		fail_msg("the server has no %s", attr);
	assert_int_equal(v[0].ulPropTag, tag);
	if (PROP_TYPE(tag) == PT_BINARY) {
		assert_int_equal(v[0].Value.bin.cb, a->values[0].len);
		assert_memory_equal(v[0].Value.bin.lpb, a->values[0].data, a->values[0].len);
	} else {
		assert_int_equal(v[0].Value.MVbin.cValues, a->n_values);
		for (i = 0; i < a->n_values; i++) {
			assert_int_equal(v[0].Value.MVbin.lpbin[i].cb, a->values[i].len);
			assert_memory_equal(v[0].Value.MVbin.lpbin[i].lpb, a->values[i].data,
			                    a->values[i].len);
		}
	}
	host_MAPIFreeBuffer(v);
}

static void not_found(LPMAILUSER mu, ULONG tag)
{
	LPSPropValue v = get1(mu, tag, 0);

	assert_int_equal(v[0].ulPropTag, CHANGE_PROP_TYPE(tag, PT_ERROR));
	assert_int_equal(v[0].Value.err, MAPI_E_NOT_FOUND);
	host_MAPIFreeBuffer(v);
}

static bool lists(LPMAILUSER mu, ULONG tag)
{
	LPSPropTagArray l = NULL;
	bool found = false;
	ULONG i;

	assert_int_equal(mu->lpVtbl->GetPropList(mu, MAPI_UNICODE, &l), S_OK);
	for (i = 0; i < l->cValues; i++)
		found |= l->aulPropTag[i] == tag;
	host_MAPIFreeBuffer(l);
	return found;
}

static void free_rows(LPSRowSet rows)
{
	ULONG i;

	for (i = 0; rows != NULL && i < rows->cRows; i++)
		host_MAPIFreeBuffer(rows->aRow[i].lpProps);
	host_MAPIFreeBuffer(rows);
}

static const SPropValue *row_prop(const SRow *r, ULONG tag)
{
	ULONG i;

	for (i = 0; i < r->cValues; i++)
		if (r->lpProps[i].ulPropTag == tag)
			return &r->lpProps[i];
	return NULL;
}

/* Every row of the table (at most 500). */
static LPSRowSet all_rows(LPMAPITABLE t)
{
	LPSRowSet rows = NULL;

	assert_int_equal(t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, 0, NULL), S_OK);
	assert_true(SUCCEEDED(t->lpVtbl->QueryRows(t, 500, 0, &rows)));
	assert_non_null(rows);
	return rows;
}

/* ---- tests ------------------------------------------------------------- */

/* MU-1, MU-5, MU-6: everything the server holds about Mary Johnson, in
 * Unicode and 8-bit, against the server's own values. */
static void test_person_full_property_set_photo_certificates_MU1_MU5(void **state)
{
	static const char *const attrs[] = { "*", "userCertificate;binary", NULL };
	struct logon g;
	lb_conn *c = direct_conn();
	lb_result *res = direct_search(c, MARY, LB_SCOPE_BASE, NULL, attrs);
	const lb_entry *e = lb_result_entry(res, 0);
	uint8_t eid[256];
	ULONG cb;
	LPMAILUSER mu;
	LPSPropValue v;
	const struct lb_attr *mail = lb_entry_find(e, "mail");
	ULONG i;

	(void)state;
	assert_non_null(e);
	assert_non_null(mail);
	assert_true(mail->n_values >= 3);
	logon_up(&g);
	cb = eid_of(c, &g.uid, MARY, eid, sizeof(eid));
	mu = open_person(&g, eid, cb);

	same_string(mu, PR_DISPLAY_NAME_W, e, "displayName");
	same_string(mu, PR_GIVEN_NAME_W, e, "givenName");
	same_string(mu, PR_SURNAME_W, e, "sn");
	same_string(mu, PR_INITIALS_W, e, "initials");
	same_string(mu, PR_ACCOUNT_W, e, "uid");
	same_string(mu, PR_TITLE_W, e, "title");
	same_string(mu, PR_DEPARTMENT_NAME_W, e, "departmentNumber");
	same_string(mu, PR_COMPANY_NAME_W, e, "o");
	same_string(mu, PR_OFFICE_LOCATION_W, e, "physicalDeliveryOfficeName");
	same_string(mu, PR_BUSINESS_TELEPHONE_NUMBER_W, e, "telephoneNumber");
	same_string(mu, PR_HOME_TELEPHONE_NUMBER_W, e, "homePhone");
	same_string(mu, PR_PAGER_TELEPHONE_NUMBER_W, e, "pager");
	same_string(mu, PR_BUSINESS_FAX_NUMBER_W, e, "facsimileTelephoneNumber");
	same_string(mu, PR_STREET_ADDRESS_W, e, "street");
	same_string(mu, PR_POSTAL_CODE_W, e, "postalCode");
	same_string(mu, PR_LOCALITY_W, e, "l");
	same_postal_address(mu, e);
	same_string(mu, PR_EMAIL_ADDRESS_W, e, "mail");
	if (lb_entry_value(e, "mobile") != NULL)
		same_string(mu, PR_MOBILE_TELEPHONE_NUMBER_W, e, "mobile");

	/* Every address: SMTP: the primary (first mail), smtp: the others. */
	v = get1(mu, PR_EMS_AB_PROXY_ADDRESSES_W, MAPI_UNICODE);
	assert_int_equal(v[0].ulPropTag, PR_EMS_AB_PROXY_ADDRESSES_W);
	assert_int_equal(v[0].Value.MVszW.cValues, mail->n_values);
	for (i = 0; i < mail->n_values; i++) {
		char *got = w_to_utf8(v[0].Value.MVszW.lppszW[i]);

		assert_memory_equal(got, i == 0 ? "SMTP:" : "smtp:", 5);
		assert_int_equal(strlen(got + 5), mail->values[i].len);
		assert_memory_equal(got + 5, mail->values[i].data, mail->values[i].len);
		free(got);
	}
	host_MAPIFreeBuffer(v);
	/* The same in 8-bit (no MAPI_UNICODE, PT_UNSPECIFIED gives _A). */
	v = get1(mu, CHANGE_PROP_TYPE(PR_EMS_AB_PROXY_ADDRESSES_W, PT_UNSPECIFIED), 0);
	assert_int_equal(v[0].ulPropTag, PR_EMS_AB_PROXY_ADDRESSES_A);
	assert_int_equal(v[0].Value.MVszA.cValues, mail->n_values);
	assert_memory_equal(v[0].Value.MVszA.lppszA[1], "smtp:", 5);
	host_MAPIFreeBuffer(v);

	/* Photo and certificates, byte for byte as the server holds them. */
	same_binary(mu, PR_EMS_AB_THUMBNAIL_PHOTO, e, "jpegPhoto");
	v = get1(mu, PR_EMS_AB_THUMBNAIL_PHOTO, 0);
	assert_true(v[0].Value.bin.cb > 4);
	assert_int_equal(v[0].Value.bin.lpb[0], 0xFF);         /* a JPEG */
	assert_int_equal(v[0].Value.bin.lpb[1], 0xD8);
	host_MAPIFreeBuffer(v);
	same_binary(mu, PR_EMS_AB_X509_CERT, e, "userCertificate;binary");
	same_binary(mu, PR_USER_X509_CERTIFICATE, e, "userSMIMECertificate");
	v = get1(mu, PR_EMS_AB_X509_CERT, 0);
	assert_int_equal(v[0].Value.MVbin.lpbin[0].lpb[0], 0x30);   /* DER SEQUENCE */
	host_MAPIFreeBuffer(v);

	/* MU-5: listed, the PT_OBJECT manager included. */
	assert_true(lists(mu, PR_EMS_AB_THUMBNAIL_PHOTO));
	assert_true(lists(mu, PR_EMS_AB_X509_CERT));
	assert_true(lists(mu, PR_USER_X509_CERTIFICATE));
	assert_true(lists(mu, PR_EMS_AB_PROXY_ADDRESSES_W));
	assert_true(lists(mu, PR_EMS_AB_MANAGER));
	/* MU-4g: a PT_OBJECT tag in GetProps is an error slot. */
	v = get1(mu, PR_EMS_AB_MANAGER, 0);
	assert_int_equal(v[0].ulPropTag, CHANGE_PROP_TYPE(PR_EMS_AB_MANAGER, PT_ERROR));
	host_MAPIFreeBuffer(v);

	assert_int_equal(mu->lpVtbl->Release(mu), 0);
	logon_down(&g);
	lb_result_free(res);
	lb_conn_close(c);
}

/* MU-6 with a non-ASCII name: the display name in UTF-16, the certificate
 * subject made from it, and the photo. */
static void test_person_non_ascii_name_photo_and_certificate_MU6(void **state)
{
	static const char *const attrs[] = { "*", "userCertificate;binary", NULL };
	struct logon g;
	lb_conn *c = direct_conn();
	char *dn = dn_of(c, SOREN_FILTER);
	lb_result *res = direct_search(c, dn, LB_SCOPE_BASE, NULL, attrs);
	const lb_entry *e = lb_result_entry(res, 0);
	uint8_t eid[256];
	LPMAILUSER mu;

	(void)state;
	logon_up(&g);
	mu = open_person(&g, eid, eid_of(c, &g.uid, dn, eid, sizeof(eid)));
	same_string(mu, PR_DISPLAY_NAME_W, e, "displayName");
	same_string(mu, PR_STREET_ADDRESS_W, e, "street");
	same_binary(mu, PR_EMS_AB_THUMBNAIL_PHOTO, e, "jpegPhoto");
	same_binary(mu, PR_EMS_AB_X509_CERT, e, "userCertificate;binary");
	assert_int_equal(mu->lpVtbl->Release(mu), 0);
	logon_down(&g);
	lb_result_free(res);
	free(dn);
	lb_conn_close(c);
}

/* MU-7: the manager as a one-row table and as its own object; the
 * manager's direct reports as a table whose rows are the people the server
 * lists with that manager, each with an entry ID that opens. */
static void test_manager_and_direct_reports_as_tables_MU7(void **state)
{
	static const char *const attrs[] = { "manager", "displayName", NULL };
	struct logon g;
	lb_conn *c = direct_conn();
	lb_result *res = direct_search(c, MARY, LB_SCOPE_BASE, NULL, attrs), *reports, *mres;
	const struct lb_value *mgr = lb_entry_value(lb_result_entry(res, 0), "manager");
	char *mgr_dn, *filter = NULL;
	const struct lb_value *mgr_name;
	uint8_t eid[256];
	LPMAILUSER mu, boss;
	LPMAPITABLE t = NULL;
	LPSRowSet rows;
	const SPropValue *pv;
	LPUNKNOWN u = NULL;
	ULONG count = 0, type = 0, i;
	bool found_mary = false;
	struct lb_error err;
	lb_filter *f = NULL;

	(void)state;
	assert_non_null(mgr);
	mgr_dn = strndup(mgr->data, mgr->len);
	assert_non_null(mgr_dn);
	mres = direct_search(c, mgr_dn, LB_SCOPE_BASE, NULL, attrs);
	mgr_name = lb_entry_value(lb_result_entry(mres, 0), "displayName");
	assert_non_null(mgr_name);
	/* The server's list of the manager's reports. */
	assert_int_equal(lb_filter_eq("manager", mgr_dn, strlen(mgr_dn), &f, &err), LB_OK);
	assert_int_equal(lb_filter_render(f, &filter, &err), LB_OK);
	lb_filter_free(f);
	reports = direct_search(c, env("LDAPAB_TEST_BASE"), LB_SCOPE_SUB, filter, attrs);
	assert_true(lb_result_count(reports) >= 2);

	logon_up(&g);
	mu = open_person(&g, eid, eid_of(c, &g.uid, MARY, eid, sizeof(eid)));

	/* The manager's name as a plain property too. */
	{
		LPSPropValue v = get1(mu, PR_MANAGER_NAME_W, MAPI_UNICODE);
		char *got = w_to_utf8(v[0].Value.lpszW);

		assert_int_equal(strlen(got), mgr_name->len);
		assert_memory_equal(got, mgr_name->data, mgr_name->len);
		free(got);
		host_MAPIFreeBuffer(v);
	}
	/* A person with no reports lists no PR_EMS_AB_REPORTS. */
	assert_false(lists(mu, PR_EMS_AB_REPORTS));
	assert_int_equal(mu->lpVtbl->OpenProperty(mu, PR_EMS_AB_REPORTS, &IID_IMAPITable, 0, 0,
	                                          &u), MAPI_E_NOT_FOUND);

	/* The manager as a table: one row, its name and an entry ID. */
	assert_int_equal(mu->lpVtbl->OpenProperty(mu, PR_EMS_AB_MANAGER, &IID_IMAPITable,
	                                          MAPI_UNICODE, 0, (LPUNKNOWN *)&t), S_OK);
	assert_int_equal(t->lpVtbl->GetRowCount(t, 0, &count), S_OK);
	assert_int_equal(count, 1);
	rows = all_rows(t);
	assert_int_equal(rows->cRows, 1);
	pv = row_prop(&rows->aRow[0], PR_DISPLAY_NAME_W);
	assert_non_null(pv);
	{
		char *got = w_to_utf8(pv->Value.lpszW);

		assert_int_equal(strlen(got), mgr_name->len);
		assert_memory_equal(got, mgr_name->data, mgr_name->len);
		free(got);
	}
	pv = row_prop(&rows->aRow[0], PR_ENTRYID);
	assert_non_null(pv);
	/* That entry ID opens the manager, whose reports include Mary. */
	assert_int_equal(host_session_open_entry(g.sess, pv->Value.bin.cb,
	                                         (LPENTRYID)pv->Value.bin.lpb, NULL, 0, &type, &u),
	                 S_OK);
	assert_int_equal(type, MAPI_MAILUSER);
	boss = (LPMAILUSER)u;
	free_rows(rows);
	t->lpVtbl->Release(t);
	t = NULL;

	/* The manager as its own object, straight from OpenProperty. */
	u = NULL;
	assert_int_equal(mu->lpVtbl->OpenProperty(mu, PR_EMS_AB_MANAGER, &IID_IMailUser, 0, 0, &u),
	                 S_OK);
	{
		LPSPropValue v = get1((LPMAILUSER)u, PR_DISPLAY_NAME_W, MAPI_UNICODE);
		char *got = w_to_utf8(v[0].Value.lpszW);

		assert_memory_equal(got, mgr_name->data, mgr_name->len);
		free(got);
		host_MAPIFreeBuffer(v);
	}
	u->lpVtbl->Release(u);
	/* Not an interface a manager has. */
	u = (LPUNKNOWN)state;
	assert_int_equal(mu->lpVtbl->OpenProperty(mu, PR_EMS_AB_MANAGER, &IID_IMAPIContainer, 0, 0,
	                                          &u), MAPI_E_INTERFACE_NOT_SUPPORTED);
	assert_null(u);

	/* The reports table of the manager: exactly the server's list. */
	assert_true(lists(boss, PR_EMS_AB_REPORTS));
	assert_int_equal(boss->lpVtbl->OpenProperty(boss, PR_EMS_AB_REPORTS, &IID_IMAPITable,
	                                            MAPI_UNICODE, 0, (LPUNKNOWN *)&t), S_OK);
	assert_int_equal(t->lpVtbl->GetRowCount(t, 0, &count), S_OK);
	assert_int_equal(count, lb_result_count(reports));
	rows = all_rows(t);
	assert_int_equal(rows->cRows, count);
	for (i = 0; i < rows->cRows; i++) {
		char *got;

		pv = row_prop(&rows->aRow[i], PR_DISPLAY_NAME_W);
		assert_non_null(pv);
		got = w_to_utf8(pv->Value.lpszW);
		found_mary |= strcmp(got, "Mary Johnson") == 0;
		free(got);
		assert_non_null(row_prop(&rows->aRow[i], PR_ENTRYID));
		pv = row_prop(&rows->aRow[i], PR_OBJECT_TYPE);
		assert_non_null(pv);
		assert_int_equal(pv->Value.l, MAPI_MAILUSER);
	}
	assert_true(found_mary);
	free_rows(rows);
	t->lpVtbl->Release(t);

	assert_int_equal(boss->lpVtbl->Release(boss), 0);
	assert_int_equal(mu->lpVtbl->Release(mu), 0);
	logon_down(&g);
	lb_result_free(reports);
	lb_result_free(mres);
	lb_result_free(res);
	free(filter);
	free(mgr_dn);
	lb_conn_close(c);
}

/* MU-4f: a person the server holds no photo or certificate for. */
static void test_person_without_photo_or_certificate_MU4(void **state)
{
	static const char *const attrs[] = { "jpegPhoto", "userCertificate;binary", NULL };
	struct logon g;
	lb_conn *c = direct_conn();
	char *dn = dn_of(c, "(uid=cdelacruz)");
	lb_result *res = direct_search(c, dn, LB_SCOPE_BASE, NULL, attrs);
	uint8_t eid[256];
	LPMAILUSER mu;

	(void)state;
	assert_null(lb_entry_find(lb_result_entry(res, 0), "jpegPhoto"));
	logon_up(&g);
	mu = open_person(&g, eid, eid_of(c, &g.uid, dn, eid, sizeof(eid)));
	not_found(mu, PR_EMS_AB_THUMBNAIL_PHOTO);
	not_found(mu, PR_EMS_AB_X509_CERT);
	not_found(mu, PR_USER_X509_CERTIFICATE);
	assert_false(lists(mu, PR_EMS_AB_THUMBNAIL_PHOTO));
	assert_int_equal(mu->lpVtbl->Release(mu), 0);
	logon_down(&g);
	lb_result_free(res);
	free(dn);
	lb_conn_close(c);
}

/* LO-2: links lead only where an entry ID could: with the base DN set to
 * the Sales department, the head of Sales keeps the CEO's name from the
 * manager DN but gets no PR_EMS_AB_MANAGER (the CEO lies outside), while
 * the reports, all inside, are listed. */
static void test_links_outside_the_base_are_left_out_LO2_MU7(void **state)
{
	const char *sales = "ou=Sales," PEOPLE;
	struct logon g;
	lb_conn *c = direct_conn();
	char *head = dn_of(c, "(title=Vice President, Sales)");
	uint8_t eid[256];
	LPMAILUSER mu;
	LPMAPITABLE t = NULL;
	LPUNKNOWN u = (LPUNKNOWN)state;
	LPSPropValue v;
	ULONG count = 0;
	char *got;

	(void)state;
	logon_base(&g, sales);
	mu = open_person(&g, eid, eid_of(c, &g.uid, head, eid, sizeof(eid)));
	assert_false(lists(mu, PR_EMS_AB_MANAGER));
	assert_int_equal(mu->lpVtbl->OpenProperty(mu, PR_EMS_AB_MANAGER, &IID_IMAPITable, 0, 0,
	                                          &u), MAPI_E_NOT_FOUND);
	assert_null(u);
	v = get1(mu, PR_MANAGER_NAME_W, MAPI_UNICODE);
	got = w_to_utf8(v[0].Value.lpszW);
	assert_string_equal(got, "mthornton");          /* the manager DN's RDN value */
	free(got);
	host_MAPIFreeBuffer(v);
	/* The head's reports are the Sales managers: inside, so listed. */
	assert_true(lists(mu, PR_EMS_AB_REPORTS));
	assert_int_equal(mu->lpVtbl->OpenProperty(mu, PR_EMS_AB_REPORTS, &IID_IMAPITable, 0, 0,
	                                          (LPUNKNOWN *)&t), S_OK);
	assert_int_equal(t->lpVtbl->GetRowCount(t, 0, &count), S_OK);
	assert_true(count >= 2);
	t->lpVtbl->Release(t);
	assert_int_equal(mu->lpVtbl->Release(mu), 0);
	logon_down(&g);
	free(head);
	lb_conn_close(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_person_full_property_set_photo_certificates_MU1_MU5,
		                                core_setup, core_teardown),
		cmocka_unit_test_setup_teardown(test_person_non_ascii_name_photo_and_certificate_MU6,
		                                core_setup, core_teardown),
		cmocka_unit_test_setup_teardown(test_manager_and_direct_reports_as_tables_MU7,
		                                core_setup, core_teardown),
		cmocka_unit_test_setup_teardown(test_person_without_photo_or_certificate_MU4,
		                                core_setup, core_teardown),
		cmocka_unit_test_setup_teardown(test_links_outside_the_base_are_left_out_LO2_MU7,
		                                core_setup, core_teardown),
	};

	if (slapd_env("LDAPAB_TEST_URI") == NULL) {
		fprintf(stderr, "no slapd fixture (LDAPAB_SLAPD_ENV unset)\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
