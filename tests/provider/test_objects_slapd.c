/* Integration tests of the directory objects against the fixture slapd
 * (sample directory): open people and groups by entry ID (LO-2 b-f, MU-1,
 * MU-2), strings of accented and CJK names (MU-6), the multi-mail person,
 * a renamed person by its old ID (EK-2, EK-4), PrepareRecips (LO-8), and
 * LC-40 after the session is shut down.  The rename is undone at the end. */
#include "test_objects_util.h"

#include <stdio.h>

#include <ldapab/profile.h>

#include "directory.h"
#include "abp_test_support.h"
#include "slapd_env.h"

static const MAPIUID test_uid = { { 0x5A, 0x5B, 0x5C, 0x5D, 0x01, 0x02, 0x03, 0x04,
                                    0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C } };

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	assert_non_null(d);
	memcpy(d, s, n);
	return d;
}

static const char *env(const char *k)
{
	const char *v = slapd_env(k);

	if (v == NULL)
		fail_msg("fixture key %s missing", k);
	return v;
}

/* A session bound as the reader over ldapi:// (no password in clear);
 * container_base: a configured container's base DN besides the whole
 * directory's (NULL: just the one container config.c always makes). */
static struct abp_session *session_open_cfg(const char *person_filter,
                                            const char *container_base)
{
	struct abp_config *cfg = calloc(1, sizeof(*cfg));
	struct abp_session *s = NULL;
	struct lb_config lc;
	struct lb_error err;

	assert_non_null(cfg);
	cfg->base_dn = xstrdup(env("LDAPAB_TEST_BASE"));
	if (person_filter != NULL)
		cfg->person_filter = xstrdup(person_filter);
	cfg->schema = LDAPAB_SCHEMA_AUTO;
	cfg->containers = calloc(2, sizeof(*cfg->containers));
	assert_non_null(cfg->containers);
	cfg->containers[0].id = xstrdup("c0000000000000000");
	cfg->containers[0].display_name = xstrdup("Directory");
	cfg->n_containers = 1;
	if (container_base != NULL) {
		cfg->containers[1].id = xstrdup("c0000000000000001");
		cfg->containers[1].display_name = xstrdup("Extra");
		cfg->containers[1].base_dn = xstrdup(container_base);
		cfg->n_containers = 2;
	}
	assert_int_equal(abp_session_new(host_MAPIAllocateBuffer, host_MAPIAllocateMore,
	                                 host_MAPIFreeBuffer, &test_uid, cfg, &s), S_OK);
	lb_config_init(&lc);
	lc.uris = env("LDAPAB_TEST_LDAPI_URI");
	lc.base = env("LDAPAB_TEST_BASE");
	lc.bind_method = LB_BIND_SIMPLE;
	lc.bind_dn = env("LDAPAB_TEST_BIND_DN");
	lc.password = env("LDAPAB_TEST_BIND_PW");
	if (lb_conn_open(&lc, &s->conn, &err) != LB_OK)
		fail_msg("lb_conn_open: %s", err.message);
	return s;
}

static struct abp_session *session_open_filtered(const char *person_filter)
{
	return session_open_cfg(person_filter, NULL);
}

static struct abp_session *session_open(void)
{
	return session_open_filtered(NULL);
}

/* The entry ID of the entry at dn, made from its entryUUID as read here
 * (independently of the provider's bag builder). */
static size_t eid_for(struct abp_session *s, const char *dn, enum abp_eid_type type,
                      uint8_t *buf, size_t cap)
{
	static const char *const attrs[] = { "entryUUID", NULL };
	struct lb_search_params p;
	struct lb_error err;
	lb_result *res = NULL;
	const struct lb_value *v;
	struct abp_eid eid;
	uint8_t uuid[16];
	size_t cb;

	lb_search_params_init(&p);
	p.base = dn;
	p.scope = LB_SCOPE_BASE;
	p.attrs = attrs;
	if (lb_search(s->conn, &p, &res, &err) != LB_OK)
		fail_msg("search %s: %s", dn, err.message);
	assert_int_equal(lb_result_count(res), 1);
	v = lb_entry_value(lb_result_entry(res, 0), "entryUUID");
	assert_non_null(v);
	assert_true(abp_uuid_parse(v->data, v->len, uuid));
	lb_result_free(res);
	memset(&eid, 0, sizeof(eid));
	memcpy(eid.uid, test_uid.ab, 16);
	eid.type = type;
	eid.loc_kind = ABP_EID_LOC_ENTRYUUID;
	eid.loc = uuid;
	eid.loc_len = 16;
	eid.hint = dn;
	eid.hint_len = strlen(dn);
	cb = abp_eid_encode(&eid, buf, cap);
	assert_true(cb > 0);
	return cb;
}

static HRESULT open_eid(struct abp_session *s, struct abp_lasterr *le, const uint8_t *buf,
                        size_t cb, LPCIID iid, ULONG *type, LPUNKNOWN *out)
{
	struct abp_eid eid;

	assert_int_equal(abp_eid_parse(buf, cb, test_uid.ab, &eid), ABP_EID_OK);
	return abp_open_directory_entry(s, le, &eid, iid, 0, type, out);
}

/* Opens the entry at DN (of KIND) by its entry ID, as the logon would;
 * the test fails unless that succeeds. */
static LPUNKNOWN open_dn_ok(struct abp_session *s, struct abp_lasterr *le, const char *dn,
                            enum abp_eid_type kind, ULONG *type)
{
	uint8_t buf[ABP_EID_MAX];
	size_t cb = eid_for(s, dn, kind, buf, sizeof(buf));
	LPUNKNOWN u = NULL;

	assert_int_equal(open_eid(s, le, buf, cb, NULL, type, &u), S_OK);
	return u;
}

/* The end of every test: its error state, then the session. */
static void session_close(struct abp_session *s, struct abp_lasterr *le)
{
	abp_lasterr_destroy(le);
	abp_session_shutdown(s);
	abp_session_release(s);
}

/* GetProps of a few string tags as UTF-8 (via the _W values). */
static char *get_w(IMAPIProp *o, ULONG tag)
{
	SizedSPropTagArray(1, t) = { 1, { CHANGE_PROP_TYPE(tag, PT_UNICODE) } };
	SPropValue *v = NULL;
	ULONG n = 0;
	char *s = NULL;
	HRESULT hr = o->lpVtbl->GetProps(o, (LPSPropTagArray)&t, MAPI_UNICODE, &n, &v);

	assert_true(hr == S_OK || hr == MAPI_W_ERRORS_RETURNED);
	if (PROP_TYPE(v[0].ulPropTag) == PT_UNICODE)
		s = abp_utf16_to_utf8_dup(v[0].Value.lpszW);
	host_MAPIFreeBuffer(v);
	return s;
}

static void assert_prop_str(IMAPIProp *o, ULONG tag, const char *want)
{
	char *s = get_w(o, tag);

	if (s == NULL || strcmp(s, want) != 0)
		fail_msg("property 0x%08x: got \"%s\", want \"%s\"", (unsigned)tag,
		         s ? s : "(none)", want);
	free(s);
}

#define PEOPLE "ou=People,dc=example,dc=com"

static void open_person_by_entryid_LO2_MU1(void **state)
{
	struct abp_session *s = session_open();
	struct abp_lasterr le;
	uint8_t buf[ABP_EID_MAX];
	size_t cb;
	ULONG type = 0;
	LPUNKNOWN u = NULL;
	IMAPIProp *o;
	SizedSPropTagArray(3, t) = { 3, { PR_OBJECT_TYPE, PR_DISPLAY_TYPE, PR_ENTRYID } };
	SPropValue *v = NULL;
	ULONG n = 0;
	struct abp_eid eid;

	(void)state;
	abp_lasterr_init(&le);
	cb = eid_for(s, "uid=kmori,ou=Executive Office," PEOPLE, ABP_EID_MAILUSER, buf, sizeof(buf));
	assert_int_equal(open_eid(s, &le, buf, cb, NULL, &type, &u), S_OK);
	assert_int_equal(type, MAPI_MAILUSER);
	o = (IMAPIProp *)u;
	assert_prop_str(o, PR_DISPLAY_NAME_W, "Kenji Mori");
	assert_prop_str(o, PR_ADDRTYPE_W, "SMTP");
	assert_prop_str(o, PR_EMAIL_ADDRESS_W, "kenji.mori@example.com");
	assert_prop_str(o, PR_ACCOUNT_W, "kmori");
	assert_prop_str(o, PR_TITLE_W, "Executive Assistant");
	assert_prop_str(o, PR_OFFICE_LOCATION_W, "TYO 5.22");
	assert_prop_str(o, PR_LOCALITY_W, "Tokyo");
	/* The manager DN resolved to the manager's display name. */
	assert_prop_str(o, PR_MANAGER_NAME_W, "Margaret Thornton");
	assert_int_equal(o->lpVtbl->GetProps(o, (LPSPropTagArray)&t, 0, &n, &v), S_OK);
	assert_int_equal(v[0].Value.l, MAPI_MAILUSER);
	assert_int_equal(v[1].Value.l, DT_MAILUSER);
	/* The object's ID names the same entry as the one it was opened by. */
	assert_int_equal(abp_eid_parse(v[2].Value.bin.lpb, v[2].Value.bin.cb, test_uid.ab, &eid),
	                 ABP_EID_OK);
	{
		struct abp_eid asked;

		assert_int_equal(abp_eid_parse(buf, cb, test_uid.ab, &asked), ABP_EID_OK);
		assert_true(abp_eid_same_object(&eid, &asked));
	}
	host_MAPIFreeBuffer(v);
	o->lpVtbl->Release(o);

	/* Interfaces (LO-2d): IMailUser yes, IDistList no (nothing opened). */
	u = NULL;
	assert_int_equal(open_eid(s, &le, buf, cb, &IID_IMailUser, &type, &u), S_OK);
	u->lpVtbl->Release(u);
	u = (LPUNKNOWN)state;
	assert_int_equal(open_eid(s, &le, buf, cb, &IID_IDistList, &type, &u),
	                 MAPI_E_INTERFACE_NOT_SUPPORTED);
	assert_null(u);
	/* LO-2c: read-only. */
	{
		struct abp_eid e;

		assert_int_equal(abp_eid_parse(buf, cb, test_uid.ab, &e), ABP_EID_OK);
		assert_int_equal(abp_open_directory_entry(s, &le, &e, NULL, MAPI_MODIFY, &type, &u),
		                 MAPI_E_NO_ACCESS);
		assert_int_equal(abp_open_directory_entry(s, &le, &e, NULL,
		                                          MAPI_MODIFY | MAPI_BEST_ACCESS, &type, &u),
		                 S_OK);
		u->lpVtbl->Release(u);
		/* The cache flags the logon accepts are accepted
		 * (and ignored) here too. */
		assert_int_equal(abp_open_directory_entry(s, &le, &e, NULL,
		                                          MAPI_NO_CACHE | MAPI_CACHE_ONLY, &type, &u),
		                 S_OK);
		u->lpVtbl->Release(u);
	}
	session_close(s, &le);
}

static void accented_and_cjk_names_MU6(void **state)
{
	struct abp_session *s = session_open();
	struct abp_lasterr le;
	ULONG type = 0;
	LPUNKNOWN u = NULL;
	SizedSPropTagArray(1, ta) = { 1, { PR_DISPLAY_NAME_A } };
	SizedSPropTagArray(1, tw) = { 1, { PR_DISPLAY_NAME_W } };
	SPropValue *v = NULL;
	ULONG n = 0;
	IMAPIProp *o;

	(void)state;
	abp_lasterr_init(&le);
	u = open_dn_ok(s, &le, "uid=ynakamura,ou=Engineering," PEOPLE, ABP_EID_MAILUSER, &type);
	o = (IMAPIProp *)u;
	assert_prop_str(o, PR_DISPLAY_NAME_W, "中村結衣");
	assert_int_equal(o->lpVtbl->GetProps(o, (LPSPropTagArray)&tw, MAPI_UNICODE, &n, &v), S_OK);
	assert_int_equal(v[0].Value.lpszW[0], 0x4E2D);          /* 中 as one UTF-16 unit */
	assert_int_equal(v[0].Value.lpszW[4], 0);
	host_MAPIFreeBuffer(v);
	/* 8-bit: UTF-8 on Linux (the project setting). */
	assert_int_equal(o->lpVtbl->GetProps(o, (LPSPropTagArray)&ta, 0, &n, &v), S_OK);
	assert_string_equal(v[0].Value.lpszA, "中村結衣");
	host_MAPIFreeBuffer(v);
	o->lpVtbl->Release(o);

	u = open_dn_ok(s, &le, "uid=hrousseau,ou=Executive Office," PEOPLE, ABP_EID_MAILUSER, &type);
	assert_prop_str((IMAPIProp *)u, PR_DISPLAY_NAME_W, "Hélène Rousseau");
	u->lpVtbl->Release(u);
	session_close(s, &le);
}

static void multi_mail_person_first_is_primary(void **state)
{
	struct abp_session *s = session_open();
	struct abp_lasterr le;
	ULONG type = 0, n = 0;
	LPUNKNOWN u = NULL;
	SizedSPropTagArray(2, t) = { 2, { PR_EMS_AB_PROXY_ADDRESSES_A, PR_SEARCH_KEY } };
	SPropValue *v = NULL;
	static const char skey[] = "SMTP:MARY.JOHNSON@EXAMPLE.COM";

	(void)state;
	abp_lasterr_init(&le);
	u = open_dn_ok(s, &le, "uid=mjohnson,ou=Sales," PEOPLE, ABP_EID_MAILUSER, &type);
	assert_prop_str((IMAPIProp *)u, PR_EMAIL_ADDRESS_W, "mary.johnson@example.com");
	assert_int_equal(((IMAPIProp *)u)->lpVtbl->GetProps((IMAPIProp *)u, (LPSPropTagArray)&t, 0,
	                                                    &n, &v), S_OK);
	assert_int_equal(v[0].Value.MVszA.cValues, 3);
	assert_string_equal(v[0].Value.MVszA.lppszA[0], "SMTP:mary.johnson@example.com");
	assert_string_equal(v[0].Value.MVszA.lppszA[2], "smtp:mary.johnson@sales.example.com");
	assert_int_equal(v[1].Value.bin.cb, sizeof(skey));
	assert_memory_equal(v[1].Value.bin.lpb, skey, sizeof(skey));
	host_MAPIFreeBuffer(v);
	u->lpVtbl->Release(u);
	session_close(s, &le);
}

static void open_groups_by_entryid_MU2(void **state)
{
	struct abp_session *s = session_open();
	struct abp_lasterr le;
	uint8_t buf[ABP_EID_MAX];
	size_t cb;
	ULONG type = 0;
	LPUNKNOWN u = NULL;
	void *p = NULL;

	(void)state;
	abp_lasterr_init(&le);
	cb = eid_for(s, "cn=Everyone,ou=Groups,dc=example,dc=com", ABP_EID_DISTLIST, buf,
	             sizeof(buf));
	assert_int_equal(open_eid(s, &le, buf, cb, &IID_IMAPIContainer, &type, &u), S_OK);
	assert_int_equal(type, MAPI_DISTLIST);
	assert_prop_str((IMAPIProp *)u, PR_ADDRTYPE_W, "SMTP");
	assert_prop_str((IMAPIProp *)u, PR_EMAIL_ADDRESS_W, "everyone@example.com");
	assert_prop_str((IMAPIProp *)u, PR_COMMENT_W, "Every employee of Example Corp");
	assert_int_equal(u->lpVtbl->QueryInterface(u, &IID_IDistList, &p), S_OK);
	u->lpVtbl->Release(u);
	u->lpVtbl->Release(u);

	/* No mail: MAPIPDL (MU-2). */
	cb = eid_for(s, "cn=Managers,ou=Groups,dc=example,dc=com", ABP_EID_DISTLIST, buf,
	             sizeof(buf));
	assert_int_equal(open_eid(s, &le, buf, cb, NULL, &type, &u), S_OK);
	assert_prop_str((IMAPIProp *)u, PR_ADDRTYPE_W, "MAPIPDL");
	assert_prop_str((IMAPIProp *)u, PR_DISPLAY_NAME_W, "Managers");
	u->lpVtbl->Release(u);

	/* A group's ID with the person type: the class must match (NOT_FOUND). */
	cb = eid_for(s, "cn=Managers,ou=Groups,dc=example,dc=com", ABP_EID_MAILUSER, buf,
	             sizeof(buf));
	u = (LPUNKNOWN)state;
	assert_int_equal(open_eid(s, &le, buf, cb, NULL, &type, &u), MAPI_E_NOT_FOUND);
	assert_null(u);
	session_close(s, &le);
}

static void gone_and_dn_locators_LO2b(void **state)
{
	struct abp_session *s = session_open();
	struct abp_lasterr le;
	struct abp_eid eid;
	static const uint8_t nobody[16] = { 0xDE, 0xAD, 0xBE, 0xEF };
	const char *dn = "uid=kmori,ou=Executive Office," PEOPLE;
	ULONG type = 0;
	LPUNKNOWN u = NULL;
	MAPIERROR *e = NULL;

	(void)state;
	abp_lasterr_init(&le);
	memset(&eid, 0, sizeof(eid));
	memcpy(eid.uid, test_uid.ab, 16);
	eid.type = ABP_EID_MAILUSER;
	eid.loc_kind = ABP_EID_LOC_ENTRYUUID;
	eid.loc = nobody;
	eid.loc_len = 16;
	eid.hint = dn;                  /* the hint exists, the UUID does not match it */
	eid.hint_len = strlen(dn);
	assert_int_equal(abp_open_directory_entry(s, &le, &eid, NULL, 0, &type, &u),
	                 MAPI_E_NOT_FOUND);
	assert_null(u);
	assert_int_equal(abp_lasterr_get(&le, s, MAPI_E_NOT_FOUND, 0, &e), S_OK);
	assert_non_null(e);
	assert_non_null(strstr((const char *)e->lpszError, "no longer"));
	host_MAPIFreeBuffer(e);

	/* DN locator (servers without a unique ID). */
	eid.loc_kind = ABP_EID_LOC_DN;
	eid.loc = (const uint8_t *)dn;
	eid.loc_len = strlen(dn);
	eid.hint_len = 0;
	assert_int_equal(abp_open_directory_entry(s, &le, &eid, NULL, 0, &type, &u), S_OK);
	assert_prop_str((IMAPIProp *)u, PR_ACCOUNT_W, "kmori");
	u->lpVtbl->Release(u);
	eid.loc = (const uint8_t *)"uid=nobody,dc=example,dc=com";
	eid.loc_len = strlen((const char *)eid.loc);
	assert_int_equal(abp_open_directory_entry(s, &le, &eid, NULL, 0, &type, &u),
	                 MAPI_E_NOT_FOUND);
	session_close(s, &le);
}

/* The profile's person filter also bounds what an ID can open. */
static void person_filter_bounds_open_by_id(void **state)
{
	struct abp_session *s = session_open_filtered("(uid=kmori)");
	struct abp_lasterr le;
	struct abp_eid eid;
	uint8_t buf[ABP_EID_MAX];
	size_t cb;
	ULONG type = 0;
	LPUNKNOWN u = NULL;
	const char *dn = "uid=ynakamura,ou=Engineering," PEOPLE;

	(void)state;
	abp_lasterr_init(&le);
	cb = eid_for(s, "uid=kmori,ou=Executive Office," PEOPLE, ABP_EID_MAILUSER, buf, sizeof(buf));
	assert_int_equal(open_eid(s, &le, buf, cb, NULL, &type, &u), S_OK);
	u->lpVtbl->Release(u);
	cb = eid_for(s, dn, ABP_EID_MAILUSER, buf, sizeof(buf));
	assert_int_equal(open_eid(s, &le, buf, cb, NULL, &type, &u), MAPI_E_NOT_FOUND);
	memset(&eid, 0, sizeof(eid));
	memcpy(eid.uid, test_uid.ab, 16);
	eid.type = ABP_EID_MAILUSER;
	eid.loc_kind = ABP_EID_LOC_DN;
	eid.loc = (const uint8_t *)dn;
	eid.loc_len = strlen(dn);
	assert_int_equal(abp_open_directory_entry(s, &le, &eid, NULL, 0, &type, &u),
	                 MAPI_E_NOT_FOUND);
	session_close(s, &le);
}

static int run_modrdn(const char *dn, const char *newrdn)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd),
	         "ldapmodrdn -Q -H '%s' -Y EXTERNAL -r '%s' '%s' >/dev/null 2>&1 || "
	         "ldapmodrdn -x -H '%s' -D '%s' -w '%s' -r '%s' '%s'",
	         env("LDAPAB_TEST_LDAPI_URI"), dn, newrdn, env("LDAPAB_TEST_LDAPI_URI"),
	         env("LDAPAB_TEST_ADMIN_DN"), env("LDAPAB_TEST_ADMIN_PW"), dn, newrdn);
	return system(cmd);
}

/* PR_ENTRYID and PR_RECORD_KEY of an object (PT_BINARY, copied). */
static void get_ids(IMAPIProp *o, uint8_t *id, size_t *idn, uint8_t *rk, size_t *rkn)
{
	SizedSPropTagArray(2, t) = { 2, { PR_ENTRYID, PR_RECORD_KEY } };
	SPropValue *v = NULL;
	ULONG n = 0;

	assert_int_equal(o->lpVtbl->GetProps(o, (LPSPropTagArray)&t, 0, &n, &v), S_OK);
	assert_int_equal(v[0].ulPropTag, PR_ENTRYID);
	assert_int_equal(v[1].ulPropTag, PR_RECORD_KEY);
	assert_true(v[0].Value.bin.cb <= ABP_EID_MAX && v[1].Value.bin.cb <= ABP_EID_MAX);
	memcpy(id, v[0].Value.bin.lpb, v[0].Value.bin.cb);
	*idn = v[0].Value.bin.cb;
	memcpy(rk, v[1].Value.bin.lpb, v[1].Value.bin.cb);
	*rkn = v[1].Value.bin.cb;
	host_MAPIFreeBuffer(v);
}

/* EK-4, EK-6: a person keeps one PR_ENTRYID and one
 * PR_RECORD_KEY across a rename (modrdn); an old ID that carries the old DN
 * as hint still opens it; the record key equals the one computed from a
 * short-term (flagged) copy of the ID. */
static void renamed_person_same_entryid_and_record_key_EK4_EK6(void **state)
{
	const char *old_dn = "uid=olarsson,ou=Engineering," PEOPLE;
	const char *new_dn = "uid=olarsson-renamed,ou=Engineering," PEOPLE;
	struct abp_session *s = session_open();
	struct abp_lasterr le;
	uint8_t buf[ABP_EID_MAX], id1[ABP_EID_MAX], id2[ABP_EID_MAX], rk1[ABP_EID_MAX];
	uint8_t rk2[ABP_EID_MAX], rk3[ABP_EID_MAX];
	size_t cb, n1 = 0, n2 = 0, r1 = 0, r2 = 0, r3;
	ULONG type = 0;
	LPUNKNOWN u = NULL;
	struct abp_eid a, b;
	HRESULT hr;

	(void)state;
	abp_lasterr_init(&le);
	/* An old-style ID: entryUUID plus the DN as hint. */
	cb = eid_for(s, old_dn, ABP_EID_MAILUSER, buf, sizeof(buf));
	assert_int_equal(open_eid(s, &le, buf, cb, NULL, &type, &u), S_OK);
	get_ids((IMAPIProp *)u, id1, &n1, rk1, &r1);
	u->lpVtbl->Release(u);
	u = NULL;
	assert_int_equal(run_modrdn(old_dn, "uid=olarsson-renamed"), 0);
	hr = open_eid(s, &le, buf, cb, NULL, &type, &u);
	if (SUCCEEDED(hr)) {
		get_ids((IMAPIProp *)u, id2, &n2, rk2, &r2);
	}
	/* Undo before asserting, so a failure leaves the data as it was. */
	assert_int_equal(run_modrdn(new_dn, "uid=olarsson"), 0);
	assert_int_equal(hr, S_OK);
	assert_prop_str((IMAPIProp *)u, PR_ACCOUNT_W, "olarsson-renamed");
	u->lpVtbl->Release(u);
	/* EK-4: the same bytes before and after; no DN hint in it. */
	assert_int_equal(n1, n2);
	assert_memory_equal(id1, id2, n1);
	assert_int_equal(abp_eid_parse(id2, n2, test_uid.ab, &a), ABP_EID_OK);
	assert_int_equal(a.loc_kind, ABP_EID_LOC_ENTRYUUID);
	assert_int_equal(a.hint_len, 0);
	assert_int_equal(abp_eid_parse(buf, cb, test_uid.ab, &b), ABP_EID_OK);
	assert_true(abp_eid_same_object(&a, &b));
	/* EK-6: the same record key, and the one of the hinted, flagged copy. */
	assert_int_equal(r1, r2);
	assert_memory_equal(rk1, rk2, r1);
	buf[0] = 0x80;                  /* MAPI_SHORTTERM */
	assert_int_equal(abp_eid_parse(buf, cb, test_uid.ab, &b), ABP_EID_OK);
	assert_true(b.hint_len > 0);
	r3 = abp_eid_record_key(&b, rk3, sizeof(rk3));
	assert_int_equal(r3, r1);
	assert_memory_equal(rk3, rk1, r1);
	session_close(s, &le);
}

/* The first bulk person's DN (the bulk base, outside dc=example,dc=com). */
static void bulk_dn(char *out, size_t cap)
{
	snprintf(out, cap, "uid=bulk000001,ou=People,%s", env("LDAPAB_TEST_BULK_BASE"));
}

/* An entry ID cannot open an entry outside the configured
 * base - neither by a DN locator, nor by a DN hint, nor by its immutable
 * ID - unless a configured container's base covers it. */
static void entry_ids_cannot_leave_the_base_LO2b(void **state)
{
	struct abp_session *s = session_open();
	struct abp_lasterr le;
	struct abp_eid eid;
	uint8_t buf[ABP_EID_MAX];
	char dn[200];
	size_t cb;
	ULONG type = 0;
	LPUNKNOWN u = (LPUNKNOWN)state;

	(void)state;
	abp_lasterr_init(&le);
	bulk_dn(dn, sizeof(dn));
	/* entryUUID with the outside DN as hint (read directly, so it exists). */
	cb = eid_for(s, dn, ABP_EID_MAILUSER, buf, sizeof(buf));
	assert_int_equal(open_eid(s, &le, buf, cb, NULL, &type, &u), MAPI_E_NOT_FOUND);
	assert_null(u);
	/* A DN locator outside. */
	memset(&eid, 0, sizeof(eid));
	memcpy(eid.uid, test_uid.ab, 16);
	eid.type = ABP_EID_MAILUSER;
	eid.loc_kind = ABP_EID_LOC_DN;
	eid.loc = (const uint8_t *)dn;
	eid.loc_len = strlen(dn);
	u = (LPUNKNOWN)state;
	assert_int_equal(abp_open_directory_entry(s, &le, &eid, NULL, 0, &type, &u),
	                 MAPI_E_NOT_FOUND);
	assert_null(u);
	/* Inside still works, by DN locator. */
	eid.loc = (const uint8_t *)"uid=kmori,ou=Executive Office," PEOPLE;
	eid.loc_len = strlen((const char *)eid.loc);
	assert_int_equal(abp_open_directory_entry(s, &le, &eid, NULL, 0, &type, &u), S_OK);
	u->lpVtbl->Release(u);
	session_close(s, &le);

	/* A container configured on the bulk base makes its people reachable,
	 * by hint and by immutable ID alone. */
	s = session_open_cfg(NULL, env("LDAPAB_TEST_BULK_BASE"));
	abp_lasterr_init(&le);
	cb = eid_for(s, dn, ABP_EID_MAILUSER, buf, sizeof(buf));
	assert_int_equal(open_eid(s, &le, buf, cb, NULL, &type, &u), S_OK);
	assert_prop_str((IMAPIProp *)u, PR_ACCOUNT_W, "bulk000001");
	u->lpVtbl->Release(u);
	assert_int_equal(abp_eid_parse(buf, cb, test_uid.ab, &eid), ABP_EID_OK);
	eid.hint = NULL;
	eid.hint_len = 0;
	assert_int_equal(abp_open_directory_entry(s, &le, &eid, NULL, 0, &type, &u), S_OK);
	u->lpVtbl->Release(u);
	session_close(s, &le);
}

/* A hostile DN hint (control characters, invalid UTF-8,
 * very long) reaches GetLastError only cleaned and capped. */
static void hostile_hint_is_cleaned_in_last_error_LO1(void **state)
{
	struct abp_session *s = session_open();
	struct abp_lasterr le;
	struct abp_eid eid;
	static const uint8_t nobody[16] = { 0xDE, 0xAD, 0xBE, 0xEF, 1 };
	static const char bad[] = "uid=x\n\x1b[31mred\r\xff\xfe\xc3(\x7f\xc2\x85,dc=example,dc=com";
	char hint[1200];
	MAPIERROR *e = NULL;
	ULONG type = 0;
	LPUNKNOWN u = NULL;
	const unsigned char *t;
	size_t i;

	(void)state;
	abp_lasterr_init(&le);
	memset(hint, 'A', sizeof(hint));
	memcpy(hint, bad, sizeof(bad) - 1);
	memset(&eid, 0, sizeof(eid));
	memcpy(eid.uid, test_uid.ab, 16);
	eid.type = ABP_EID_MAILUSER;
	eid.loc_kind = ABP_EID_LOC_ENTRYUUID;
	eid.loc = nobody;
	eid.loc_len = 16;
	eid.hint = hint;
	eid.hint_len = sizeof(hint);
	assert_int_equal(abp_open_directory_entry(s, &le, &eid, NULL, 0, &type, &u),
	                 MAPI_E_NOT_FOUND);
	assert_int_equal(abp_lasterr_get(&le, s, MAPI_E_NOT_FOUND, 0, &e), S_OK);
	assert_non_null(e);
	t = (const unsigned char *)e->lpszError;
	print_message("GetLastError: %s\n", (const char *)t);
	assert_true(strlen((const char *)t) < 400);
	assert_non_null(strstr((const char *)t, "uid=x?"));
	assert_non_null(strstr((const char *)t, "..."));
	for (i = 0; t[i] != 0; i++) {
		assert_true(t[i] >= 0x20 && t[i] != 0x7F);
		assert_true(t[i] != 0xFF && t[i] != 0xFE);
		assert_false(t[i] == 0xC2 && t[i + 1] == 0x85);     /* C1 NEL */
	}
	host_MAPIFreeBuffer(e);
	session_close(s, &le);
}

/* A lookup that entered before Logoff checks again before
 * each LDAP call and stops with MAPI_E_INVALID_OBJECT. */
static void lookup_stops_once_logoff_began_LC32(void **state)
{
	struct abp_session *s = session_open();
	struct abp_lasterr le;
	struct abp_props bag;
	struct abp_eid eid;
	uint8_t buf[ABP_EID_MAX];
	size_t cb;

	(void)state;
	abp_lasterr_init(&le);
	abp_props_init(&bag);
	cb = eid_for(s, "uid=kmori,ou=Executive Office," PEOPLE, ABP_EID_MAILUSER, buf, sizeof(buf));
	assert_int_equal(abp_eid_parse(buf, cb, test_uid.ab, &eid), ABP_EID_OK);
	assert_true(abp_session_enter(s));
	assert_int_equal(abp_dir_lookup(s, &le, &eid, &bag), S_OK);
	abp_props_free(&bag);
	assert_true(abp_session_mark_logged_off(s));    /* Logoff, step 1 */
	assert_int_equal(abp_dir_lookup(s, &le, &eid, &bag), MAPI_E_INVALID_OBJECT);
	assert_int_equal(bag.n, 0);
	abp_session_leave(s);
	abp_session_close_connection(s);                /* Logoff, step 4 */
	abp_lasterr_destroy(&le);
	abp_session_release(s);
}

/* The attribute map is built once per session, on the first
 * lookup, and reused (freed with the session: ASan checks that). */
static void attribute_map_cached_per_session(void **state)
{
	struct abp_session *s = session_open();
	struct abp_lasterr le;
	ULONG type = 0;
	LPUNKNOWN u = NULL;
	void *first;

	(void)state;
	abp_lasterr_init(&le);
	assert_null(s->dir_cache);
	u = open_dn_ok(s, &le, "uid=kmori,ou=Executive Office," PEOPLE, ABP_EID_MAILUSER, &type);
	u->lpVtbl->Release(u);
	first = s->dir_cache;
	assert_non_null(first);
	assert_non_null(s->dir_cache_free);
	u = open_dn_ok(s, &le, "cn=Everyone,ou=Groups,dc=example,dc=com", ABP_EID_DISTLIST, &type);
	u->lpVtbl->Release(u);
	assert_ptr_equal(s->dir_cache, first);
	session_close(s, &le);
}

static void prepare_recips_reads_the_directory_LO8(void **state)
{
	struct abp_session *s = session_open();
	struct abp_lasterr le;
	uint8_t buf[ABP_EID_MAX];
	size_t cb;
	ADRLIST *l = NULL;
	SPropValue *v = NULL;
	void *p = NULL;
	SizedSPropTagArray(3, t) = { 3, { PR_EMAIL_ADDRESS_W, PR_DISPLAY_NAME_W, PR_SEARCH_KEY } };

	(void)state;
	abp_lasterr_init(&le);
	cb = eid_for(s, "uid=kmori,ou=Executive Office," PEOPLE, ABP_EID_MAILUSER, buf, sizeof(buf));
	assert_int_equal(host_MAPIAllocateBuffer((ULONG)CbNewADRLIST(1), (void **)&l), S_OK);
	l->cEntries = 1;
	assert_int_equal(host_MAPIAllocateBuffer(sizeof(SPropValue), (void **)&v), S_OK);
	assert_int_equal(host_MAPIAllocateMore((ULONG)cb, v, &p), S_OK);
	memcpy(p, buf, cb);
	v[0].ulPropTag = PR_ENTRYID;
	v[0].Value.bin.cb = (ULONG)cb;
	v[0].Value.bin.lpb = p;
	l->aEntries[0].cValues = 1;
	l->aEntries[0].rgPropVals = v;
	assert_int_equal(abp_prepare_recips(s, &le, 0, (LPSPropTagArray)&t, l), S_OK);
	v = l->aEntries[0].rgPropVals;
	assert_int_equal(l->aEntries[0].cValues, 4);
	assert_true(w_eq(v[0].Value.lpszW, "kenji.mori@example.com"));
	assert_true(w_eq(v[1].Value.lpszW, "Kenji Mori"));
	assert_int_equal(v[2].ulPropTag, PR_SEARCH_KEY);
	assert_int_equal(v[3].ulPropTag, PR_ENTRYID);
	host_MAPIFreeBuffer(v);
	host_MAPIFreeBuffer(l);
	session_close(s, &le);
}

static void after_shutdown_invalid_object_LC40(void **state)
{
	struct abp_session *s = session_open();
	struct abp_lasterr le;
	uint8_t buf[ABP_EID_MAX];
	size_t cb;
	ULONG type = 0, n = 3;
	LPUNKNOWN u = NULL, u2 = (LPUNKNOWN)state;
	SPropValue *v = (SPropValue *)state;

	abp_lasterr_init(&le);
	cb = eid_for(s, "uid=kmori,ou=Executive Office," PEOPLE, ABP_EID_MAILUSER, buf, sizeof(buf));
	assert_int_equal(open_eid(s, &le, buf, cb, NULL, &type, &u), S_OK);
	assert_true(abp_session_shutdown(s));
	assert_int_equal(open_eid(s, &le, buf, cb, NULL, &type, &u2), MAPI_E_INVALID_OBJECT);
	assert_null(u2);
	assert_int_equal(((IMAPIProp *)u)->lpVtbl->GetProps((IMAPIProp *)u, NULL, 0, &n, &v),
	                 MAPI_E_INVALID_OBJECT);
	assert_int_equal(n, 0);
	assert_null(v);
	abp_session_release(s);         /* the object still holds the session */
	u->lpVtbl->Release(u);          /* LC-42: frees it without the connection */
	abp_lasterr_destroy(&le);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(open_person_by_entryid_LO2_MU1, test_clean_setup,
		                                test_clean_teardown),
		cmocka_unit_test_setup_teardown(accented_and_cjk_names_MU6, test_clean_setup,
		                                test_clean_teardown),
		cmocka_unit_test_setup_teardown(multi_mail_person_first_is_primary, test_clean_setup,
		                                test_clean_teardown),
		cmocka_unit_test_setup_teardown(open_groups_by_entryid_MU2, test_clean_setup,
		                                test_clean_teardown),
		cmocka_unit_test_setup_teardown(gone_and_dn_locators_LO2b, test_clean_setup,
		                                test_clean_teardown),
		cmocka_unit_test_setup_teardown(person_filter_bounds_open_by_id, test_clean_setup,
		                                test_clean_teardown),
		cmocka_unit_test_setup_teardown(renamed_person_same_entryid_and_record_key_EK4_EK6,
		                                test_clean_setup, test_clean_teardown),
		cmocka_unit_test_setup_teardown(entry_ids_cannot_leave_the_base_LO2b, test_clean_setup,
		                                test_clean_teardown),
		cmocka_unit_test_setup_teardown(hostile_hint_is_cleaned_in_last_error_LO1,
		                                test_clean_setup, test_clean_teardown),
		cmocka_unit_test_setup_teardown(lookup_stops_once_logoff_began_LC32, test_clean_setup,
		                                test_clean_teardown),
		cmocka_unit_test_setup_teardown(attribute_map_cached_per_session, test_clean_setup,
		                                test_clean_teardown),
		cmocka_unit_test_setup_teardown(prepare_recips_reads_the_directory_LO8,
		                                test_clean_setup, test_clean_teardown),
		cmocka_unit_test_setup_teardown(after_shutdown_invalid_object_LC40, test_clean_setup,
		                                test_clean_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
