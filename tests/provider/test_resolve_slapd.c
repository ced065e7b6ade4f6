/* Integration tests of IABContainer::ResolveNames (CT-10, CT-11 a-l, MM-5,
 * MM-7) against the fixture slapd and the sample directory, through the
 * real entry point: the module loaded by the host, a logon, the directory
 * container opened by its entry ID.  Also a server that goes away (the
 * list stays untouched) and a directory larger than the size limit. */
#include "test_core_util.h"

#include <sys/stat.h>

#include "ldapab_host/mem.h"
#include "ldapab_host/props.h"
#include "ldapab_host/session.h"

#include "abp.h"
#include "config.h"
#include "props.h"
#include "resolve.h"
#include "slapd_env.h"

/* ------------------------------------------------------------------------ */
/* Fixture: a logon and its directory container                             */
/* ------------------------------------------------------------------------ */

struct fx {
	host_provider *prov;
	host_session *sess;
	host_profile *prof;
	host_logon *hl;
	LPABLOGON l;
	MAPIUID uid;
	IABContainer *ct;
	size_t live_before;
};

static ULONG profile_props(const char *base, SPropValue *v)
{
	ULONG n = 0;

	memset(v, 0, 4 * sizeof(*v));
	v[n].ulPropTag = PR_LDAPAB_BASE_DN_A;
	v[n++].Value.lpszA = (LPSTR)base;
	v[n].ulPropTag = PR_LDAPAB_BIND_DN_A;
	v[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_BIND_DN");
	v[n].ulPropTag = PR_LDAPAB_BIND_PASSWORD_A;
	v[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_BIND_PW");
	return n;
}

/* The ID config.c derives for the profile's one container. */
static void container_id(const char *uri, ULONG n_extra, const SPropValue *extra, char *out,
                         size_t cap)
{
	SPropValue v[8];
	struct abp_config *cfg = NULL;
	char msg[ABP_MSG_MAX];
	ULONG n = 0, i;

	memset(v, 0, sizeof(v));
	v[n].ulPropTag = PR_LDAPAB_SERVER_URIS_A;
	v[n++].Value.lpszA = (LPSTR)uri;
	for (i = 0; i < n_extra; i++)
		v[n++] = extra[i];
	if (FAILED(abp_config_from_props(n, v, &cfg, msg, sizeof(msg))))
		fail_msg("configuration: %s", msg);
	assert_true(cfg->n_containers >= 1);
	snprintf(out, cap, "%s", cfg->containers[0].id);
	abp_config_free(cfg);
}

static void fx_up(struct fx *f, const char *uri, const char *base)
{
	SPropValue v[4];
	ULONG n = profile_props(base, v), type = 0, cb;
	uint8_t eid[ABP_EID_MAX];
	char id[64];
	LPMAPIERROR err = NULL;
	HRESULT hr;

	memset(f, 0, sizeof(*f));
	f->live_before = host_mem_live_blocks();
	f->prov = core_load(NULL);
	f->prof = core_profile(uri, n, v);
	assert_int_equal(host_session_new(NULL, &f->sess), S_OK);
	hr = host_session_logon(f->sess, f->prov, f->prof, 0, &f->hl, &err);
	if (FAILED(hr))
		fail_msg("logon: 0x%08X %s", (unsigned)hr, err ? err->lpszError : "");
	f->l = host_logon_ablogon(f->hl);
	assert_true(core_profile_uid(f->prof, &f->uid));
	container_id(uri, n, v, id, sizeof(id));
	cb = core_eid(&f->uid, ABP_EID_CONTAINER, ABP_EID_LOC_CONTAINER, id, strlen(id), NULL, eid,
	              sizeof(eid));
	assert_int_equal(IABLogon_OpenEntry(f->l, cb, (LPENTRYID)eid, NULL, 0, &type,
	                                    (LPUNKNOWN *)&f->ct), S_OK);
	assert_int_equal(type, MAPI_ABCONT);
}

static void fx_down(struct fx *f)
{
	if (f->ct != NULL)
		IABContainer_Release(f->ct);
	if (f->hl != NULL)
		assert_int_equal(host_session_logoff(f->hl), S_OK);
	host_session_free(f->sess);
	host_profile_release(f->prof);
	/* Everything the provider and the test allocated came back (tests
	 * free their lists before this). */
	assert_int_equal(host_mem_live_blocks(), 0);
	host_provider_release(f->prov);
}

/* ------------------------------------------------------------------------ */
/* ADRLISTs as a client builds them                                          */
/* ------------------------------------------------------------------------ */

/* An entry with a display name (UTF-8; as _W when wide) and PR_RECIPIENT_TYPE
 * (a property of the client's that must survive resolution). */
static void set_entry(ADRENTRY *ae, const char *name, bool wide)
{
	SPropValue *v = NULL;

	assert_int_equal(host_MAPIAllocateBuffer(2 * sizeof(SPropValue), (void **)&v), S_OK);
	memset(v, 0, 2 * sizeof(SPropValue));
	v[0].ulPropTag = PR_RECIPIENT_TYPE;
	v[0].Value.l = MAPI_TO;
	if (wide) {
		size_t n = abp_utf8_to_utf16(name, (size_t)-1, NULL, 0);
		WCHAR *w = NULL;

		assert_int_equal(host_MAPIAllocateMore((ULONG)(n * sizeof(WCHAR)), v, (void **)&w),
		                 S_OK);
		(void)abp_utf8_to_utf16(name, (size_t)-1, w, n);
		v[1].ulPropTag = PR_DISPLAY_NAME_W;
		v[1].Value.lpszW = w;
	} else {
		char *a = NULL;

		assert_int_equal(host_MAPIAllocateMore((ULONG)strlen(name) + 1, v, (void **)&a),
		                 S_OK);
		memcpy(a, name, strlen(name) + 1);
		v[1].ulPropTag = PR_DISPLAY_NAME_A;
		v[1].Value.lpszA = a;
	}
	ae->ulReserved1 = 0;
	ae->cValues = 2;
	ae->rgPropVals = v;
}

static ADRLIST *new_list(ULONG n)
{
	ADRLIST *l = NULL;

	assert_int_equal(host_MAPIAllocateBuffer((ULONG)CbNewADRLIST(n), (void **)&l), S_OK);
	memset(l, 0, CbNewADRLIST(n));
	l->cEntries = n;
	return l;
}

/* The flags of a FlagList allocated for n entries (ulFlag is declared with
 * one element, so constant indexes go through a pointer). */
static ULONG *flags_of(FlagList *fl)
{
	return fl->ulFlag;
}

#define FLAGS(fl) flags_of(fl)

/* Entry i of a list allocated for more than one (aEntries likewise). */
static ADRENTRY *entry_of(ADRLIST *l, ULONG i)
{
	return l->aEntries + i;
}

#define ENTRY(l, i) entry_of((l), (i))

static FlagList *new_flags(ULONG n)
{
	FlagList *f = calloc(1, CbNewFlagList(n));

	assert_non_null(f);
	f->cFlags = n;
	return f;
}

static const SPropValue *find(const ADRENTRY *ae, ULONG tag)
{
	ULONG i;

	for (i = 0; i < ae->cValues; i++)
		if (PROP_ID(ae->rgPropVals[i].ulPropTag) == PROP_ID(tag))
			return &ae->rgPropVals[i];
	return NULL;
}

/* The entry's value for tag, which must have exactly that type. */
static const SPropValue *must(const ADRENTRY *ae, ULONG tag)
{
	const SPropValue *v = find(ae, tag);

	if (v == NULL)
		fail_msg("property 0x%08X missing", (unsigned)tag);
	if (v->ulPropTag != tag)
		fail_msg("property 0x%08X came as 0x%08X", (unsigned)tag, (unsigned)v->ulPropTag);
	return v;
}

static void utf16_to_utf8(const WCHAR *w, char *out, size_t cap)
{
	char *s = abp_utf16_to_utf8_dup(w);

	assert_non_null(s);
	snprintf(out, cap, "%s", s);
	free(s);
}

/* The entry's display name as UTF-8, whatever its width. */
static const char *name_of(const ADRENTRY *ae, char *buf, size_t cap)
{
	const SPropValue *v = find(ae, PR_DISPLAY_NAME_W);

	assert_non_null(v);
	if (PROP_TYPE(v->ulPropTag) == PT_UNICODE)
		utf16_to_utf8(v->Value.lpszW, buf, cap);
	else
		snprintf(buf, cap, "%s", v->Value.lpszA);
	return buf;
}

/* Resolved as CT-11l says, to the directory entry called display (UTF-8)
 * with the given address, strings of the given width, the client's
 * PR_RECIPIENT_TYPE kept, no property twice. */
static void expect_resolved(const ADRENTRY *ae, const char *display, const char *addrtype,
                            const char *address, ULONG objtype, bool wide)
{
	char buf[256];
	ULONG st = wide ? PT_UNICODE : PT_STRING8, i, j;
	const SPropValue *v;

	assert_string_equal(name_of(ae, buf, sizeof(buf)), display);
	assert_int_equal(PROP_TYPE(find(ae, PR_DISPLAY_NAME_W)->ulPropTag), st);
	v = must(ae, PR_ENTRYID);
	assert_true(v->Value.bin.cb > 20);
	assert_int_equal(v->Value.bin.lpb[0], 0);               /* long-term (EK-3) */
	assert_int_equal(must(ae, PR_OBJECT_TYPE)->Value.l, (LONG)objtype);
	assert_true(must(ae, PR_SEARCH_KEY)->Value.bin.cb > 0);
	v = must(ae, CHANGE_PROP_TYPE(PR_ADDRTYPE_W, st));
	if (wide)
		utf16_to_utf8(v->Value.lpszW, buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "%s", v->Value.lpszA);
	assert_string_equal(buf, addrtype);
	if (address != NULL) {
		v = must(ae, CHANGE_PROP_TYPE(PR_EMAIL_ADDRESS_W, st));
		if (wide)
			utf16_to_utf8(v->Value.lpszW, buf, sizeof(buf));
		else
			snprintf(buf, sizeof(buf), "%s", v->Value.lpszA);
		assert_string_equal(buf, address);
	}
	must(ae, CHANGE_PROP_TYPE(PR_TRANSMITABLE_DISPLAY_NAME_W, st));
	assert_int_equal(must(ae, PR_RECIPIENT_TYPE)->Value.l, MAPI_TO);
	for (i = 0; i < ae->cValues; i++)
		for (j = i + 1; j < ae->cValues; j++)
			assert_int_not_equal(PROP_ID(ae->rgPropVals[i].ulPropTag),
			                     PROP_ID(ae->rgPropVals[j].ulPropTag));
	assert_true(host_mem_is_root(ae->rgPropVals));
}

/* Left exactly as the client built it. */
static void expect_untouched(const ADRENTRY *ae, const SPropValue *vals, ULONG n)
{
	assert_ptr_equal(ae->rgPropVals, vals);
	assert_int_equal(ae->cValues, n);
}

/* ------------------------------------------------------------------------ */
/* The tests                                                                 */
/* ------------------------------------------------------------------------ */

static const char *fixture_uri(void)
{
	return slapd_env("LDAPAB_TEST_LDAPI_URI");
}

/* Resolved, ambiguous, unresolved, SMTP, non-ASCII and already-settled
 * names in one list (CT-11 c, e-i, l). */
static void mixed_list_ansi_and_unicode_CT11(bool wide, ULONG flags)
{
	static const char *const names[] = {
		"Margaret Thornton",            /* 0: one match */
		"Okafor",                       /* 1: three Okafors: ambiguous */
		"Zebedee Nobody",               /* 2: none */
		"nicole.wilson@example.com",    /* 3: SMTP address */
		"mjohnson@example.com",         /* 4: a secondary address (alias) */
		"H\xc3\xa9l\xc3\xa8ne Rousseau",/* 5: accented */
		"\xe5\xbe\x90\xe7\xa7\x80\xe8\x8b\xb1", /* 6: CJK (Xu Xiuying) */
		"Chris Smith",                  /* 7: four Smiths, one exactly: CT-11i */
		"h\xc3\xa9l\xc3\xa8ne",         /* 8: several Hélènes: ambiguous */
		"Sales, EMEA",                  /* 9: a group, "Last, First"-shaped */
		"Managers",                     /* 10: a group without mail */
		"Margaret Thornton",            /* 11: settled earlier (MAPI_RESOLVED) */
		"Daniel Okafor",                /* 12: has an entry ID already */
		"",                             /* 13: blank */
	};
	const ULONG n = sizeof(names) / sizeof(names[0]) + 1;      /* + a property-less one */
	SPropValue *before[sizeof(names) / sizeof(names[0]) + 1];
	ULONG cv[sizeof(names) / sizeof(names[0]) + 1];
	ADRLIST *list = new_list(n);
	FlagList *fl = new_flags(n);
	struct fx f;
	ULONG i;

	fx_up(&f, fixture_uri(), slapd_env("LDAPAB_TEST_BASE"));
	for (i = 0; i + 1 < n; i++)
		set_entry(ENTRY(list, i), names[i], wide);
	FLAGS(fl)[11] = MAPI_RESOLVED;
	{
		/* Entry 12 carries an entry ID (any bytes: it is not looked at). */
		SPropValue *v = ENTRY(list, 12)->rgPropVals, *nv = NULL;

		assert_int_equal(host_MAPIAllocateBuffer(3 * sizeof(SPropValue), (void **)&nv), S_OK);
		nv[0] = v[0];
		nv[1] = v[1];
		nv[1].Value.lpszA = NULL;
		nv[1].ulPropTag = PR_DISPLAY_NAME_A;
		assert_int_equal(host_MAPIAllocateMore(8, nv, (void **)&nv[1].Value.lpszA), S_OK);
		memcpy(nv[1].Value.lpszA, "Daniel", 7);
		nv[2].ulPropTag = PR_ENTRYID;
		nv[2].Value.bin.cb = 4;
		assert_int_equal(host_MAPIAllocateMore(4, nv, (void **)&nv[2].Value.bin.lpb), S_OK);
		memset(nv[2].Value.bin.lpb, 7, 4);
		host_MAPIFreeBuffer(v);
		ENTRY(list, 12)->rgPropVals = nv;
		ENTRY(list, 12)->cValues = 3;
	}
	for (i = 0; i < n; i++) {
		before[i] = ENTRY(list, i)->rgPropVals;
		cv[i] = ENTRY(list, i)->cValues;
	}

	assert_int_equal(IABContainer_ResolveNames(f.ct, NULL, flags, list, fl), S_OK);

	assert_int_equal(list->cEntries, n);                    /* h */
	assert_int_equal(FLAGS(fl)[0], MAPI_RESOLVED);
	expect_resolved(ENTRY(list, 0), "Margaret Thornton", "SMTP",
	                "margaret.thornton@example.com", MAPI_MAILUSER, wide);
	/* CT-11a: the default set adds PR_DISPLAY_TYPE, PR_INSTANCE_KEY,
	 * PR_RECORD_KEY. */
	assert_int_equal(must(ENTRY(list, 0), PR_DISPLAY_TYPE)->Value.l, DT_MAILUSER);
	must(ENTRY(list, 0), PR_INSTANCE_KEY);
	must(ENTRY(list, 0), PR_RECORD_KEY);
	assert_int_equal(FLAGS(fl)[1], MAPI_AMBIGUOUS);        /* f */
	expect_untouched(ENTRY(list, 1), before[1], cv[1]);
	assert_int_equal(FLAGS(fl)[2], MAPI_UNRESOLVED);       /* g */
	expect_untouched(ENTRY(list, 2), before[2], cv[2]);
	assert_int_equal(FLAGS(fl)[3], MAPI_RESOLVED);
	expect_resolved(ENTRY(list, 3), "Nicole Wilson", "SMTP", "nicole.wilson@example.com",
	                MAPI_MAILUSER, wide);
	assert_int_equal(FLAGS(fl)[4], MAPI_RESOLVED);
	expect_resolved(ENTRY(list, 4), "Mary Johnson", "SMTP", "mary.johnson@example.com",
	                MAPI_MAILUSER, wide);
	assert_int_equal(FLAGS(fl)[5], MAPI_RESOLVED);
	expect_resolved(ENTRY(list, 5), "H\xc3\xa9l\xc3\xa8ne Rousseau", "SMTP",
	                "helene.rousseau@example.com", MAPI_MAILUSER, wide);
	assert_int_equal(FLAGS(fl)[6], MAPI_RESOLVED);
	expect_resolved(ENTRY(list, 6), "\xe5\xbe\x90\xe7\xa7\x80\xe8\x8b\xb1", "SMTP",
	                "xiuying.xu@example.com", MAPI_MAILUSER, wide);
	assert_int_equal(FLAGS(fl)[7], MAPI_RESOLVED);
	expect_resolved(ENTRY(list, 7), "Chris Smith", "SMTP", "chris.smith@example.com",
	                MAPI_MAILUSER, wide);
	assert_int_equal(FLAGS(fl)[8], MAPI_AMBIGUOUS);
	expect_untouched(ENTRY(list, 8), before[8], cv[8]);
	assert_int_equal(FLAGS(fl)[9], MAPI_RESOLVED);
	expect_resolved(ENTRY(list, 9), "Sales, EMEA", "SMTP", "sales-emea@example.com",
	                MAPI_DISTLIST, wide);
	assert_int_equal(FLAGS(fl)[10], MAPI_RESOLVED);
	expect_resolved(ENTRY(list, 10), "Managers", "MAPIPDL", NULL, MAPI_DISTLIST, wide);
	/* c: settled entries are never touched. */
	assert_int_equal(FLAGS(fl)[11], MAPI_RESOLVED);
	expect_untouched(ENTRY(list, 11), before[11], cv[11]);
	assert_int_equal(FLAGS(fl)[12], MAPI_UNRESOLVED);
	expect_untouched(ENTRY(list, 12), before[12], cv[12]);
	assert_int_equal(FLAGS(fl)[13], MAPI_UNRESOLVED);
	expect_untouched(ENTRY(list, 13), before[13], cv[13]);
	assert_int_equal(FLAGS(fl)[14], MAPI_UNRESOLVED);
	assert_null(ENTRY(list, 14)->rgPropVals);

	host_FreePadrlist(list);
	free(fl);
	fx_down(&f);
}

static void test_mixed_list_ansi_CT11_c_to_l(void **state)
{
	(void)state;
	mixed_list_ansi_and_unicode_CT11(false, 0);
}

static void test_mixed_list_unicode_CT11_c_to_l(void **state)
{
	(void)state;
	mixed_list_ansi_and_unicode_CT11(true, MAPI_UNICODE);
}

/* CT-11d: the name arrives _A or _W whatever MAPI_UNICODE says; the added
 * strings follow the flag. */
static void test_name_width_independent_of_flag_CT11d(void **state)
{
	ADRLIST *list = new_list(2);
	FlagList *fl = new_flags(2);
	struct fx f;

	(void)state;
	fx_up(&f, fixture_uri(), slapd_env("LDAPAB_TEST_BASE"));
	set_entry(ENTRY(list, 0), "Kenji Mori", false);
	set_entry(ENTRY(list, 1), "Tobias Wagner", true);
	assert_int_equal(IABContainer_ResolveNames(f.ct, NULL, MAPI_UNICODE, list, fl), S_OK);
	expect_resolved(ENTRY(list, 0), "Kenji Mori", "SMTP", "kenji.mori@example.com",
	                MAPI_MAILUSER, true);
	assert_int_equal(FLAGS(fl)[1], MAPI_RESOLVED);
	host_FreePadrlist(list);
	list = new_list(1);
	set_entry(ENTRY(list, 0), "Tobias Wagner", true);
	FLAGS(fl)[0] = MAPI_UNRESOLVED;
	fl->cFlags = 1;
	assert_int_equal(IABContainer_ResolveNames(f.ct, NULL, 0, list, fl), S_OK);
	expect_resolved(ENTRY(list, 0), "Tobias Wagner", "SMTP", "tobias.wagner@example.com",
	                MAPI_MAILUSER, false);
	host_FreePadrlist(list);
	free(fl);
	fx_down(&f);
}

/* CT-11e: requested columns first, then CT-11l's; typed tags as asked. */
static void test_requested_columns_CT11e(void **state)
{
	SizedSPropTagArray(3, tags) = { 3, { PR_TITLE_W, PR_ACCOUNT_A, PR_DISPLAY_NAME_W } };
	ADRLIST *list = new_list(1);
	FlagList *fl = new_flags(1);
	const ADRENTRY *ae;
	struct fx f;

	(void)state;
	fx_up(&f, fixture_uri(), slapd_env("LDAPAB_TEST_BASE"));
	set_entry(ENTRY(list, 0), "Margaret Thornton", false);
	assert_int_equal(IABContainer_ResolveNames(f.ct, (LPSPropTagArray)&tags, 0, list, fl), S_OK);
	assert_int_equal(FLAGS(fl)[0], MAPI_RESOLVED);
	ae = ENTRY(list, 0);
	assert_int_equal(PROP_ID(ae->rgPropVals[0].ulPropTag), PROP_ID(PR_TITLE_W));
	assert_int_equal(ae->rgPropVals[1].ulPropTag, PR_ACCOUNT_A);
	assert_string_equal(ae->rgPropVals[1].Value.lpszA, "mthornton");
	assert_int_equal(ae->rgPropVals[2].ulPropTag, PR_DISPLAY_NAME_W);
	/* The rest of CT-11l, strings 8-bit (no MAPI_UNICODE); the default
	 * set's additions are not asked for. */
	assert_int_equal(must(ae, PR_EMAIL_ADDRESS_A)->ulPropTag, PR_EMAIL_ADDRESS_A);
	must(ae, PR_ENTRYID);
	assert_null(find(ae, PR_INSTANCE_KEY));
	assert_int_equal(must(ae, PR_RECIPIENT_TYPE)->Value.l, MAPI_TO);
	host_FreePadrlist(list);
	free(fl);
	fx_down(&f);
}

/* Injection-shaped names match nothing extra (TB-10, CT-9). */
static void test_injection_shaped_names_match_nothing_CT9(void **state)
{
	static const char *const names[] = {
		"*", "*)(uid=*", "\\2a", "*)(|(objectClass=*", "Okafor)(uid=*", ")", "\\",
		"Margaret*", "*Thornton", "Okafor\\"
	};
	const ULONG n = sizeof(names) / sizeof(names[0]);
	ADRLIST *list = new_list(n);
	FlagList *fl = new_flags(n);
	struct fx f;
	ULONG i;

	(void)state;
	fx_up(&f, fixture_uri(), slapd_env("LDAPAB_TEST_BASE"));
	for (i = 0; i < n; i++)
		set_entry(ENTRY(list, i), names[i], false);
	assert_int_equal(IABContainer_ResolveNames(f.ct, NULL, 0, list, fl), S_OK);
	for (i = 0; i < n; i++)
		if (FLAGS(fl)[i] != MAPI_UNRESOLVED)
			fail_msg("\"%s\" matched something (flag %u)", names[i],
			         (unsigned)FLAGS(fl)[i]);
	host_FreePadrlist(list);
	/* A parenthesis is searched for as itself: "(Consult" starts a word
	 * of exactly one display name, "Jo (Consultant)". */
	list = new_list(1);
	fl->cFlags = 1;
	FLAGS(fl)[0] = MAPI_UNRESOLVED;
	set_entry(ENTRY(list, 0), "(Consult", false);
	assert_int_equal(IABContainer_ResolveNames(f.ct, NULL, 0, list, fl), S_OK);
	assert_int_equal(FLAGS(fl)[0], MAPI_RESOLVED);
	expect_resolved(ENTRY(list, 0), "Jo (Consultant)", "SMTP", "jo.baxter@example.com",
	                MAPI_MAILUSER, false);
	host_FreePadrlist(list);
	free(fl);
	fx_down(&f);
}

/* CT-11k: EMS_AB_ADDRESS_LOOKUP matches addresses exactly. */
static void test_address_lookup_is_exact_CT11k(void **state)
{
	ADRLIST *list = new_list(4);
	FlagList *fl = new_flags(4);
	struct fx f;

	(void)state;
	fx_up(&f, fixture_uri(), slapd_env("LDAPAB_TEST_BASE"));
	set_entry(ENTRY(list, 0), "NICOLE.WILSON@example.com", false);
	set_entry(ENTRY(list, 1), "nicole.wilson@example", false);
	set_entry(ENTRY(list, 2), "Nicole Wilson", false);
	set_entry(ENTRY(list, 3), "mary.johnson@sales.example.com", true);
	assert_int_equal(IABContainer_ResolveNames(f.ct, NULL, EMS_AB_ADDRESS_LOOKUP | MAPI_CACHE_ONLY,
	                                           list, fl), S_OK);
	assert_int_equal(FLAGS(fl)[0], MAPI_RESOLVED);
	expect_resolved(ENTRY(list, 0), "Nicole Wilson", "SMTP", "nicole.wilson@example.com",
	                MAPI_MAILUSER, false);
	assert_int_equal(FLAGS(fl)[1], MAPI_UNRESOLVED);       /* a prefix is not the address */
	assert_int_equal(FLAGS(fl)[2], MAPI_UNRESOLVED);       /* a name is not an address */
	assert_int_equal(FLAGS(fl)[3], MAPI_RESOLVED);         /* any of the addresses */
	host_FreePadrlist(list);
	free(fl);
	fx_down(&f);
}

/* CT-11b, CT-11k: arguments; the root has no recipients (CT-1). */
static void test_arguments_and_flags_CT11b_CT11k(void **state)
{
	ADRLIST *list = new_list(2);
	FlagList *fl = new_flags(1);
	SPropValue *before;
	LPMAPIERROR err = NULL;
	IABContainer *root = NULL;
	ULONG type = 0;
	struct fx f;

	(void)state;
	fx_up(&f, fixture_uri(), slapd_env("LDAPAB_TEST_BASE"));
	set_entry(ENTRY(list, 0), "Margaret Thornton", false);
	set_entry(ENTRY(list, 1), "Kenji Mori", false);
	before = ENTRY(list, 0)->rgPropVals;
	assert_int_equal(IABContainer_ResolveNames(f.ct, NULL, 0, list, fl),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(IABContainer_GetLastError(f.ct, MAPI_E_INVALID_PARAMETER, 0, &err), S_OK);
	assert_non_null(err);
	assert_non_null(strstr(err->lpszError, "flag list"));
	host_MAPIFreeBuffer(err);
	free(fl);
	fl = new_flags(2);
	assert_int_equal(IABContainer_ResolveNames(f.ct, NULL, 0x00000100, list, fl),
	                 MAPI_E_UNKNOWN_FLAGS);
	assert_int_equal(IABContainer_ResolveNames(f.ct, NULL, 0, NULL, fl),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(IABContainer_ResolveNames(f.ct, NULL, 0, list, NULL),
	                 MAPI_E_INVALID_PARAMETER);
	assert_ptr_equal(ENTRY(list, 0)->rgPropVals, before);
	assert_int_equal(FLAGS(fl)[0], MAPI_UNRESOLVED);
	assert_int_equal(IABLogon_OpenEntry(f.l, 0, NULL, NULL, 0, &type, (LPUNKNOWN *)&root), S_OK);
	assert_int_equal(IABContainer_ResolveNames(root, NULL, 0, list, fl), MAPI_E_NO_SUPPORT);
	IABContainer_Release(root);
	assert_int_equal(FLAGS(fl)[0], MAPI_UNRESOLVED);
	host_FreePadrlist(list);
	free(fl);
	fx_down(&f);
}

/* CT-11j: more matches than the size limit → ambiguous, even when one of
 * them equals the name (there may be another beyond the limit). */
static void test_size_limit_is_ambiguous_CT11j(void **state)
{
	const char *bulk = slapd_env("LDAPAB_TEST_BULK_BASE");
	ADRLIST *list = new_list(2);
	FlagList *fl = new_flags(2);
	struct fx f;

	(void)state;
	if (bulk == NULL || atoi(slapd_env("LDAPAB_TEST_BULK_COUNT")) <= ABP_RESOLVE_SIZE_LIMIT)
		fail_msg("the fixture has no bulk people beyond the size limit");
	fx_up(&f, fixture_uri(), bulk);
	set_entry(ENTRY(list, 0), "Bulk Person", false);
	set_entry(ENTRY(list, 1), "Bulk Person 000042", false);
	assert_int_equal(IABContainer_ResolveNames(f.ct, NULL, 0, list, fl), S_OK);
	assert_int_equal(FLAGS(fl)[0], MAPI_AMBIGUOUS);
	assert_int_equal(FLAGS(fl)[1], MAPI_RESOLVED);
	expect_resolved(ENTRY(list, 1), "Bulk Person 000042", "SMTP", NULL, MAPI_MAILUSER,
	                false);
	host_FreePadrlist(list);
	free(fl);
	fx_down(&f);
}

/* CT-11j, MM-7: a server that is gone → MAPI_E_NETWORK_ERROR, a
 * GetLastError text, and the list exactly as it was. */
static void test_server_gone_leaves_list_untouched_CT11j_MM7(void **state)
{
	char rundir[256], *uri;
	ADRLIST *list = new_list(3);
	FlagList *fl = new_flags(3);
	SPropValue *before[3];
	LPMAPIERROR err = NULL;
	struct fx f;
	ULONG i;

	(void)state;
	snprintf(rundir, sizeof(rundir), "%s/resolve-gone", slapd_env("LDAPAB_TEST_RUNDIR"));
	assert_int_equal(slapd_instance_start(rundir, "--bulk 5 --no-tls"), 0);
	uri = slapd_env_file(rundir, "LDAPAB_TEST_LDAPI_URI");
	assert_non_null(uri);
	fx_up(&f, uri, slapd_env("LDAPAB_TEST_BASE"));
	set_entry(ENTRY(list, 0), "Margaret Thornton", false);
	set_entry(ENTRY(list, 1), "Okafor", false);
	set_entry(ENTRY(list, 2), "Kenji Mori", true);
	/* It works while the server is there ... */
	assert_int_equal(IABContainer_ResolveNames(f.ct, NULL, 0, list, fl), S_OK);
	assert_int_equal(FLAGS(fl)[0], MAPI_RESOLVED);
	host_FreePadrlist(list);
	list = new_list(3);
	set_entry(ENTRY(list, 0), "Margaret Thornton", false);
	set_entry(ENTRY(list, 1), "Okafor", false);
	set_entry(ENTRY(list, 2), "Kenji Mori", true);
	memset(fl->ulFlag, 0, 3 * sizeof(ULONG));
	for (i = 0; i < 3; i++)
		before[i] = ENTRY(list, i)->rgPropVals;
	/* ... and once it is gone nothing changes. */
	assert_int_equal(slapd_instance_stop(rundir), 0);
	assert_int_equal(IABContainer_ResolveNames(f.ct, NULL, MAPI_UNICODE, list, fl),
	                 MAPI_E_NETWORK_ERROR);
	for (i = 0; i < 3; i++) {
		assert_ptr_equal(ENTRY(list, i)->rgPropVals, before[i]);
		assert_int_equal(ENTRY(list, i)->cValues, 2);
		assert_int_equal(FLAGS(fl)[i], MAPI_UNRESOLVED);
	}
	assert_int_equal(IABContainer_GetLastError(f.ct, MAPI_E_NETWORK_ERROR, 0, &err), S_OK);
	assert_non_null(err);
	assert_true(strlen(err->lpszError) > 20);
	host_MAPIFreeBuffer(err);
	host_FreePadrlist(list);
	free(fl);
	free(uri);
	fx_down(&f);
}

/* A server that never answers (accepts, stays silent): the call ends with
 * MAPI_E_NETWORK_ERROR after the operation timeout, list untouched. */
static void test_unreachable_server_CT11j(void **state)
{
	struct test_silent_listener sl;
	char uri[64];
	ADRLIST *list = new_list(1);
	FlagList *fl = new_flags(1);
	SPropValue *before;
	struct fx f;

	(void)state;
	assert_int_equal(test_silent_listener_start(&sl), 0);
	snprintf(uri, sizeof(uri), "ldap://127.0.0.1:%d", sl.port);
	{
		/* Logon is lazy: it does not need the server. */
		SPropValue v[4];
		ULONG n = 0, type = 0, cb;
		uint8_t eid[ABP_EID_MAX];
		char id[64];

		memset(&f, 0, sizeof(f));
		f.live_before = host_mem_live_blocks();
		f.prov = core_load(NULL);
		memset(v, 0, sizeof(v));
		v[n].ulPropTag = PR_LDAPAB_BASE_DN_A;
		v[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_BASE");
		f.prof = core_profile(uri, n, v);
		assert_int_equal(host_session_new(NULL, &f.sess), S_OK);
		assert_int_equal(host_session_logon(f.sess, f.prov, f.prof, 0, &f.hl, NULL), S_OK);
		f.l = host_logon_ablogon(f.hl);
		assert_true(core_profile_uid(f.prof, &f.uid));
		container_id(uri, n, v, id, sizeof(id));
		cb = core_eid(&f.uid, ABP_EID_CONTAINER, ABP_EID_LOC_CONTAINER, id, strlen(id), NULL,
		              eid, sizeof(eid));
		assert_int_equal(IABLogon_OpenEntry(f.l, cb, (LPENTRYID)eid, NULL, 0, &type,
		                                    (LPUNKNOWN *)&f.ct), S_OK);
	}
	set_entry(ENTRY(list, 0), "Margaret Thornton", false);
	before = ENTRY(list, 0)->rgPropVals;
	assert_int_equal(IABContainer_ResolveNames(f.ct, NULL, 0, list, fl), MAPI_E_NETWORK_ERROR);
	assert_ptr_equal(ENTRY(list, 0)->rgPropVals, before);
	assert_int_equal(FLAGS(fl)[0], MAPI_UNRESOLVED);
	host_FreePadrlist(list);
	free(fl);
	fx_down(&f);
	test_silent_listener_stop(&sl);
}

/* LC-40: after Logoff the container answers MAPI_E_INVALID_OBJECT. */
static void test_after_logoff_invalid_object_LC40(void **state)
{
	ADRLIST *list = new_list(1);
	FlagList *fl = new_flags(1);
	struct fx f;

	(void)state;
	fx_up(&f, fixture_uri(), slapd_env("LDAPAB_TEST_BASE"));
	set_entry(ENTRY(list, 0), "Margaret Thornton", false);
	assert_int_equal(IABLogon_Logoff(f.l, 0), S_OK);
	assert_int_equal(IABContainer_ResolveNames(f.ct, NULL, 0, list, fl), MAPI_E_INVALID_OBJECT);
	assert_int_equal(FLAGS(fl)[0], MAPI_UNRESOLVED);
	host_FreePadrlist(list);
	free(fl);
	fx_down(&f);
}

/* MM-7 through the entry point: every allocation from the host's
 * allocators failed in turn - each failure leaves the list and the flags
 * as they were and nothing allocated; then the call gets through. */
static void test_every_host_allocation_failed_once_MM7(void **state)
{
	static const char *const names[] = { "Margaret Thornton", "Okafor", "Chris Smith",
	                                      "Managers" };
	struct fx f;
	unsigned long nth;
	bool done = false;

	(void)state;
	fx_up(&f, fixture_uri(), slapd_env("LDAPAB_TEST_BASE"));
	for (nth = 0; !done && nth < 10000; nth++) {
		ADRLIST *list = new_list(4);
		FlagList *fl = new_flags(4);
		SPropValue *before[4];
		size_t live;
		HRESULT hr;
		ULONG i;

		for (i = 0; i < 4; i++) {
			set_entry(ENTRY(list, i), names[i], i % 2 == 1);
			before[i] = ENTRY(list, i)->rgPropVals;
		}
		live = host_mem_live_blocks();
		host_mem_fail_after(nth);
		hr = IABContainer_ResolveNames(f.ct, NULL, MAPI_UNICODE, list, fl);
		done = host_mem_fail_pending() != 0;
		host_mem_fail_never();
		if (!done) {
			assert_int_equal(hr, MAPI_E_NOT_ENOUGH_MEMORY);
			for (i = 0; i < 4; i++) {
				assert_ptr_equal(ENTRY(list, i)->rgPropVals, before[i]);
				assert_int_equal(FLAGS(fl)[i], MAPI_UNRESOLVED);
			}
			assert_int_equal(host_mem_live_blocks(), live);
		} else {
			assert_int_equal(hr, S_OK);
			assert_int_equal(FLAGS(fl)[0], MAPI_RESOLVED);
			assert_int_equal(FLAGS(fl)[1], MAPI_AMBIGUOUS);
			assert_int_equal(FLAGS(fl)[2], MAPI_RESOLVED);
			assert_int_equal(FLAGS(fl)[3], MAPI_RESOLVED);
		}
		host_FreePadrlist(list);
		free(fl);
	}
	assert_true(done);
	assert_true(nth >= 3);          /* three resolved entries: three new roots at least */
	fx_down(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mixed_list_ansi_CT11_c_to_l),
		cmocka_unit_test(test_mixed_list_unicode_CT11_c_to_l),
		cmocka_unit_test(test_name_width_independent_of_flag_CT11d),
		cmocka_unit_test(test_requested_columns_CT11e),
		cmocka_unit_test(test_injection_shaped_names_match_nothing_CT9),
		cmocka_unit_test(test_address_lookup_is_exact_CT11k),
		cmocka_unit_test(test_arguments_and_flags_CT11b_CT11k),
		cmocka_unit_test(test_size_limit_is_ambiguous_CT11j),
		cmocka_unit_test(test_server_gone_leaves_list_untouched_CT11j_MM7),
		cmocka_unit_test(test_unreachable_server_CT11j),
		cmocka_unit_test(test_after_logoff_invalid_object_LC40),
		cmocka_unit_test(test_every_host_allocation_failed_once_MM7),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
