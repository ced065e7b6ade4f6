/* Unit tests of the COM objects (container.c, mailuser.c, distlist.c) and of
 * PrepareRecips (directory.c), without a server: CT-1..CT-5, CT-12..CT-14,
 * MU-7, MU-8, MU-2/MU-3, CT-6, CT-7, LC-40, LC-42, TH-2, LO-8 a-h, MM-7. */
#include "test_objects_util.h"

#include <pthread.h>
#include <stdio.h>

#include <ldapab/profile.h>

#include <ldapab_host/host.h>

#include "attrmap.h"
#include "directory.h"
#include "abp_test_support.h"

static const MAPIUID test_uid = { { 0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7,
                                    0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF } };

/* COM's IID_IStream {0000000C-0000-0000-C000-000000000046}: not in our MAPI
 * headers (we open no property as a stream); what clients ask for. */
static const GUID test_IID_IStream = { 0x0000000C, 0, 0,
                                       { 0xC0, 0, 0, 0, 0, 0, 0, 0x46 } };

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	assert_non_null(d);
	memcpy(d, s, n);
	return d;
}

/* A session without a connection (objects made from bags need none). */
static struct abp_session *session_new(int browse_mode, bool two_containers)
{
	struct abp_config *cfg = calloc(1, sizeof(*cfg));
	struct abp_session *s = NULL;

	assert_non_null(cfg);
	cfg->display_name = xstrdup("Example LDAP");
	cfg->browse_mode = browse_mode;
	if (two_containers) {
		cfg->containers = calloc(2, sizeof(*cfg->containers));
		assert_non_null(cfg->containers);
		cfg->n_containers = 2;
		cfg->containers[0].id = xstrdup("staff");
		cfg->containers[0].display_name = xstrdup("Staff");
		cfg->containers[1].id = xstrdup("ext");
		cfg->containers[1].display_name = xstrdup("Externals");
	} else {
		/* As config.c makes it when the profile lists none. */
		cfg->containers = calloc(1, sizeof(*cfg->containers));
		assert_non_null(cfg->containers);
		cfg->n_containers = 1;
		cfg->containers[0].id = xstrdup("default");
		cfg->containers[0].display_name = xstrdup("Whole Directory");
	}
	assert_int_equal(abp_session_new(host_MAPIAllocateBuffer, host_MAPIAllocateMore,
	                                 host_MAPIFreeBuffer, &test_uid, cfg, &s), S_OK);
	return s;
}

static LONG get_long(IMAPIProp *o, ULONG tag)
{
	SizedSPropTagArray(1, t) = { 1, { tag } };
	SPropValue *v = NULL;
	ULONG n = 0;
	LONG l;

	assert_int_equal(o->lpVtbl->GetProps(o, (LPSPropTagArray)&t, 0, &n, &v), S_OK);
	assert_int_equal(v[0].ulPropTag, tag);
	l = v[0].Value.l;
	host_MAPIFreeBuffer(v);
	return l;
}

static void get_eid(IMAPIProp *o, struct abp_eid *eid, uint8_t *buf, size_t cap, size_t *cb)
{
	SizedSPropTagArray(2, t) = { 2, { PR_ENTRYID, PR_RECORD_KEY } };
	SPropValue *v = NULL;
	ULONG n = 0;

	assert_int_equal(o->lpVtbl->GetProps(o, (LPSPropTagArray)&t, 0, &n, &v), S_OK);
	assert_true(v[0].Value.bin.cb <= cap);
	memcpy(buf, v[0].Value.bin.lpb, v[0].Value.bin.cb);
	*cb = v[0].Value.bin.cb;
	/* EK-6: the record key is the ID. */
	assert_int_equal(v[1].Value.bin.cb, v[0].Value.bin.cb);
	assert_memory_equal(v[1].Value.bin.lpb, v[0].Value.bin.lpb, v[0].Value.bin.cb);
	host_MAPIFreeBuffer(v);
	assert_int_equal(abp_eid_parse(buf, *cb, test_uid.ab, eid), ABP_EID_OK);
}

static bool lists(IMAPIProp *o, ULONG tag)
{
	SPropTagArray *l = NULL;
	bool found = false;
	ULONG i;

	assert_int_equal(o->lpVtbl->GetPropList(o, MAPI_UNICODE, &l), S_OK);
	for (i = 0; i < l->cValues; i++)
		found |= l->aulPropTag[i] == tag;
	host_MAPIFreeBuffer(l);
	return found;
}

static void last_error_contains(IMAPIProp *o, HRESULT hr, const char *text)
{
	MAPIERROR *e = NULL;

	assert_int_equal(o->lpVtbl->GetLastError(o, hr, 0, &e), S_OK);
	assert_non_null(e);
	assert_non_null(strstr((const char *)e->lpszError, text));
	host_MAPIFreeBuffer(e);
}

/* ---- containers --------------------------------------------------------- */

static void root_container_properties_CT1_CT2_CT4(void **state)
{
	struct abp_session *s = session_new(LDAPAB_BROWSE_SEARCH_ONLY, false);
	IABContainer *root = NULL;
	IMAPIProp *p;
	struct abp_eid eid;
	uint8_t buf[ABP_EID_MAX];
	size_t cb;
	LPMAPITABLE t = (LPMAPITABLE)state;
	SizedSPropTagArray(2, tags) = { 2, { PR_DISPLAY_NAME_W, PR_AB_PROVIDER_ID } };
	static const uint8_t pid[16] = ABP_AB_PROVIDER_ID_BYTES;
	SPropValue *v = NULL;
	ULONG n;

	assert_int_equal(abp_container_new(s, NULL, &root), S_OK);
	p = (IMAPIProp *)root;
	assert_int_equal(get_long(p, PR_CONTAINER_FLAGS), AB_SUBCONTAINERS | AB_UNMODIFIABLE);
	assert_int_equal(get_long(p, PR_OBJECT_TYPE), MAPI_ABCONT);
	assert_int_equal(get_long(p, PR_DISPLAY_TYPE), DT_NOT_SPECIFIC);
	get_eid(p, &eid, buf, sizeof(buf), &cb);
	assert_int_equal(eid.type, ABP_EID_ROOT);
	assert_int_equal(eid.loc_kind, ABP_EID_LOC_CONTAINER);
	assert_int_equal(eid.loc_len, 4);
	assert_memory_equal(eid.loc, "root", 4);
	assert_int_equal(root->lpVtbl->GetProps(root, (LPSPropTagArray)&tags, MAPI_UNICODE, &n, &v),
	                 S_OK);
	assert_true(w_eq(v[0].Value.lpszW, "Example LDAP"));
	assert_int_equal(v[1].Value.bin.cb, 16);
	assert_memory_equal(v[1].Value.bin.lpb, pid, 16);
	host_MAPIFreeBuffer(v);
	assert_true(lists(p, PR_CONTAINER_HIERARCHY));
	assert_false(lists(p, PR_CONTAINER_CONTENTS));
	/* CT-1: no recipients. */
	assert_int_equal(root->lpVtbl->GetContentsTable(root, MAPI_UNICODE, &t), MAPI_E_NO_SUPPORT);
	assert_null(t);
	assert_int_equal(root->lpVtbl->GetContentsTable(root, 0x100, &t), MAPI_E_UNKNOWN_FLAGS);
	/* CT-6: the hierarchy lists the configured containers, no server needed. */
	assert_int_equal(root->lpVtbl->GetHierarchyTable(root, CONVENIENT_DEPTH, &t), S_OK);
	assert_non_null(t);
	assert_int_equal(t->lpVtbl->GetRowCount(t, 0, &n), S_OK);
	assert_int_equal(n, s->cfg->n_containers);
	assert_int_equal(t->lpVtbl->Release(t), 0);
	t = NULL;
	assert_int_equal(root->lpVtbl->GetHierarchyTable(root, 0x100, &t), MAPI_E_UNKNOWN_FLAGS);
	assert_null(t);
	assert_int_equal(root->lpVtbl->Release(root), 0);
	abp_session_release(s);
}

static void directory_container_properties_CT2_CT3_CT4(void **state)
{
	struct abp_session *s = session_new(LDAPAB_BROWSE_SEARCH_ONLY, true);
	struct abp_session *s2 = session_new(LDAPAB_BROWSE_VLV, false);
	IABContainer *c = NULL, *d = NULL;
	struct abp_eid eid;
	uint8_t buf[ABP_EID_MAX];
	size_t cb;
	LPMAPITABLE t = NULL;

	(void)state;
	assert_non_null(abp_container_find_cfg(s->cfg, "ext", 3));
	/* Containers come only from cfg->containers; no "dir"
	 * fallback of our own. */
	assert_null(abp_container_find_cfg(s->cfg, "dir", 3));
	assert_null(abp_container_find_cfg(s2->cfg, "dir", 3));
	assert_null(abp_container_find_cfg(s->cfg, "ex", 2));
	assert_ptr_equal(abp_container_find_cfg(s2->cfg, "default", 7), &s2->cfg->containers[0]);

	assert_int_equal(abp_container_new(s, abp_container_find_cfg(s->cfg, "staff", 5), &c), S_OK);
	assert_int_equal(get_long((IMAPIProp *)c, PR_CONTAINER_FLAGS),
	                 AB_RECIPIENTS | AB_UNMODIFIABLE | AB_FIND_ON_OPEN);
	assert_int_equal(get_long((IMAPIProp *)c, PR_DISPLAY_TYPE), DT_GLOBAL);
	assert_int_equal(get_long((IMAPIProp *)c, PR_OBJECT_TYPE), MAPI_ABCONT);
	get_eid((IMAPIProp *)c, &eid, buf, sizeof(buf), &cb);
	assert_int_equal(eid.type, ABP_EID_CONTAINER);
	assert_int_equal(eid.loc_kind, ABP_EID_LOC_CONTAINER);
	assert_memory_equal(eid.loc, "staff", 5);
	assert_true(lists((IMAPIProp *)c, PR_CONTAINER_CONTENTS));
	assert_false(lists((IMAPIProp *)c, PR_CONTAINER_HIERARCHY));
	/* CT-6: no children; CT-7: flags, associated contents. */
	assert_int_equal(c->lpVtbl->GetHierarchyTable(c, 0, &t), MAPI_E_NO_SUPPORT);
	assert_int_equal(c->lpVtbl->GetContentsTable(c, MAPI_ASSOCIATED, &t), MAPI_E_NO_SUPPORT);
	assert_int_equal(c->lpVtbl->GetContentsTable(c, CONVENIENT_DEPTH, &t), MAPI_E_UNKNOWN_FLAGS);
	/* CT-7: the contents table reads the directory; this session has no
	 * connection. */
	assert_int_equal(c->lpVtbl->GetContentsTable(c, MAPI_UNICODE | MAPI_DEFERRED_ERRORS, &t),
	                 MAPI_E_NETWORK_ERROR);
	assert_null(t);
	last_error_contains((IMAPIProp *)c, MAPI_E_NETWORK_ERROR, "connection");

	/* The whole-directory container; VLV browsing drops AB_FIND_ON_OPEN (CT-3). */
	assert_int_equal(abp_container_new(s2, abp_container_find_cfg(s2->cfg, "default", 7), &d),
	                 S_OK);
	assert_int_equal(get_long((IMAPIProp *)d, PR_CONTAINER_FLAGS),
	                 AB_RECIPIENTS | AB_UNMODIFIABLE);
	get_eid((IMAPIProp *)d, &eid, buf, sizeof(buf), &cb);
	assert_memory_equal(eid.loc, "default", 7);
	{
		SizedSPropTagArray(1, nt) = { 1, { PR_DISPLAY_NAME_A } };
		SPropValue *v = NULL;
		ULONG n = 0;

		assert_int_equal(d->lpVtbl->GetProps(d, (LPSPropTagArray)&nt, 0, &n, &v), S_OK);
		assert_string_equal(v[0].Value.lpszA, "Whole Directory");
		host_MAPIFreeBuffer(v);
	}
	c->lpVtbl->Release(c);
	d->lpVtbl->Release(d);
	abp_session_release(s);
	abp_session_release(s2);
}

static void container_query_interface_and_refcount_TH2(void **state)
{
	struct abp_session *s = session_new(0, false);
	IABContainer *c = NULL;
	void *p = NULL;
	static const IID *const yes[] = { &IID_IUnknown, &IID_IMAPIProp, &IID_IMAPIContainer,
	                                  &IID_IABContainer };
	static const IID *const no[] = { &IID_IMailUser, &IID_IDistList, &IID_IMAPITable,
	                                 &IID_IMAPIStatus };
	size_t i;

	(void)state;
	assert_int_equal(abp_container_new(s, NULL, &c), S_OK);
	for (i = 0; i < 4; i++) {
		p = NULL;
		assert_int_equal(c->lpVtbl->QueryInterface(c, yes[i], &p), S_OK);
		assert_ptr_equal(p, c);
		assert_int_equal(c->lpVtbl->Release(c), 1);
	}
	for (i = 0; i < 4; i++) {
		p = c;
		assert_int_equal(c->lpVtbl->QueryInterface(c, no[i], &p),
		                 MAPI_E_INTERFACE_NOT_SUPPORTED);
		assert_null(p);
	}
	assert_int_equal(c->lpVtbl->AddRef(c), 2);
	assert_int_equal(c->lpVtbl->Release(c), 1);
	/* The container holds a session reference until its final Release. */
	assert_int_equal(atomic_load(&s->refs), 2);
	assert_int_equal(c->lpVtbl->Release(c), 0);
	assert_int_equal(atomic_load(&s->refs), 1);
	abp_session_release(s);
}

static void person_bag(struct abp_props *bag, bool group);

/* got must be want, and GetLastError(want) must explain it with text: every
 * refusal records its own message (never a stale one from an earlier call). */
static void refused(IMAPIProp *o, HRESULT got, HRESULT want, const char *text)
{
	assert_int_equal(got, want);
	last_error_contains(o, want, text);
}

/* MU-8, CT-12: the IMAPIProp methods a read-only object refuses, arguments
 * checked first (a NULL list or unknown flags is the caller's error). */
static void check_prop_refusals(IMAPIProp *o, void *junk)
{
	SPropProblemArray *pa = junk;
	SizedSPropTagArray(1, tags) = { 1, { PR_DISPLAY_NAME_W } };
	LPSPropTagArray tg = NULL;
	LPMAPINAMEID *names = junk;
	ULONG nn = 3;
	SPropValue v;

	v.ulPropTag = PR_DISPLAY_NAME_A;
	v.Value.lpszA = (char *)"x";
	refused(o, o->lpVtbl->SetProps(o, 1, NULL, &pa), MAPI_E_INVALID_PARAMETER, "SetProps");
	assert_null(pa);
	pa = junk;
	refused(o, o->lpVtbl->SetProps(o, 1, &v, &pa), MAPI_E_NO_ACCESS, "read-only");
	assert_null(pa);
	refused(o, o->lpVtbl->DeleteProps(o, NULL, NULL), MAPI_E_INVALID_PARAMETER, "DeleteProps");
	pa = junk;
	refused(o, o->lpVtbl->DeleteProps(o, (LPSPropTagArray)&tags, &pa), MAPI_E_NO_ACCESS,
	        "DeleteProps");
	assert_null(pa);
	refused(o, o->lpVtbl->SaveChanges(o, 0x80000000), MAPI_E_UNKNOWN_FLAGS, "flags");
	/* Same code as the DeleteProps refusal above: the text is this call's. */
	refused(o, o->lpVtbl->SaveChanges(o, KEEP_OPEN_READONLY), MAPI_E_NO_ACCESS, "SaveChanges");
	refused(o, o->lpVtbl->GetNamesFromIDs(o, NULL, NULL, 0, &nn, &names),
	        MAPI_E_INVALID_PARAMETER, "GetNamesFromIDs");
	assert_int_equal(nn, 0);
	assert_null(names);
	refused(o, o->lpVtbl->GetNamesFromIDs(o, &tg, NULL, 0x100, &nn, &names),
	        MAPI_E_UNKNOWN_FLAGS, "GetNamesFromIDs");
	refused(o, o->lpVtbl->GetNamesFromIDs(o, &tg, NULL, MAPI_NO_IDS, &nn, &names),
	        MAPI_E_NO_SUPPORT, "named properties");
	tg = junk;
	refused(o, o->lpVtbl->GetIDsFromNames(o, 1, NULL, 0, &tg), MAPI_E_INVALID_PARAMETER,
	        "GetIDsFromNames");
	assert_null(tg);
	refused(o, o->lpVtbl->GetIDsFromNames(o, 0, NULL, 0x4, &tg), MAPI_E_UNKNOWN_FLAGS,
	        "GetIDsFromNames");
	refused(o, o->lpVtbl->GetIDsFromNames(o, 0, NULL, MAPI_CREATE, &tg), MAPI_E_NO_SUPPORT,
	        "named properties");
}

/* CT-12, CT-13 on a container or a group: the same refusals, arguments
 * first.  A macro so that each call goes through the object's own vtable. */
#define CHECK_CONTAINER_REFUSALS(o, junk) do { \
	IMAPIProp *mp_ = (IMAPIProp *)(o); \
	LPMAPIPROP made_ = (LPMAPIPROP)(junk); \
	LPSRestriction r_ = (LPSRestriction)(junk); \
	LPENTRYLIST el_ = (LPENTRYLIST)(junk); \
	ULONG st_ = 9; \
	uint8_t id_[24] = { 0 }; \
	ENTRYLIST list_ = { 0, NULL }; \
	refused(mp_, (o)->lpVtbl->CreateEntry((o), 0, NULL, 0, &made_), \
	        MAPI_E_INVALID_PARAMETER, "CreateEntry"); \
	assert_null(made_); \
	refused(mp_, (o)->lpVtbl->CreateEntry((o), sizeof(id_), (LPENTRYID)id_, 0, NULL), \
	        MAPI_E_INVALID_PARAMETER, "CreateEntry"); \
	refused(mp_, (o)->lpVtbl->CreateEntry((o), sizeof(id_), (LPENTRYID)id_, 0x100, &made_), \
	        MAPI_E_UNKNOWN_FLAGS, "CreateEntry"); \
	refused(mp_, (o)->lpVtbl->CreateEntry((o), sizeof(id_), (LPENTRYID)id_, \
	                                      CREATE_CHECK_DUP_STRICT, &made_), \
	        MAPI_E_NO_SUPPORT, "read-only"); \
	refused(mp_, (o)->lpVtbl->CopyEntries((o), NULL, 0, NULL, 0), \
	        MAPI_E_INVALID_PARAMETER, "CopyEntries"); \
	refused(mp_, (o)->lpVtbl->CopyEntries((o), &list_, 0, NULL, 0x100), \
	        MAPI_E_UNKNOWN_FLAGS, "CopyEntries"); \
	refused(mp_, (o)->lpVtbl->CopyEntries((o), &list_, 0, NULL, AB_NO_DIALOG), \
	        MAPI_E_NO_SUPPORT, "CopyEntries"); \
	refused(mp_, (o)->lpVtbl->DeleteEntries((o), NULL, 0), \
	        MAPI_E_INVALID_PARAMETER, "DeleteEntries"); \
	refused(mp_, (o)->lpVtbl->DeleteEntries((o), &list_, 1), \
	        MAPI_E_UNKNOWN_FLAGS, "DeleteEntries"); \
	refused(mp_, (o)->lpVtbl->DeleteEntries((o), &list_, 0), \
	        MAPI_E_NO_SUPPORT, "DeleteEntries"); \
	refused(mp_, (o)->lpVtbl->SetSearchCriteria((o), NULL, NULL, 0x1000), \
	        MAPI_E_UNKNOWN_FLAGS, "SetSearchCriteria"); \
	refused(mp_, (o)->lpVtbl->SetSearchCriteria((o), NULL, NULL, RESTART_SEARCH), \
	        MAPI_E_NO_SUPPORT, "search"); \
	refused(mp_, (o)->lpVtbl->GetSearchCriteria((o), 0x1, &r_, &el_, &st_), \
	        MAPI_E_UNKNOWN_FLAGS, "GetSearchCriteria"); \
	assert_null(r_); \
	assert_null(el_); \
	assert_int_equal(st_, 0); \
	refused(mp_, (o)->lpVtbl->GetSearchCriteria((o), MAPI_UNICODE, &r_, &el_, &st_), \
	        MAPI_E_NO_SUPPORT, "GetSearchCriteria"); \
} while (0)

static void container_read_only_CT12_CT13(void **state)
{
	struct abp_session *s = session_new(0, false);
	IABContainer *c = NULL;
	LPUNKNOWN u = (LPUNKNOWN)state;

	assert_int_equal(abp_container_new(s, &s->cfg->containers[0], &c), S_OK);
	check_prop_refusals((IMAPIProp *)c, state);
	CHECK_CONTAINER_REFUSALS(c, state);
	refused((IMAPIProp *)c, c->lpVtbl->OpenProperty(c, PR_CREATE_TEMPLATES, &IID_IMAPITable,
	                                                0, 0, &u),
	        MAPI_E_NO_SUPPORT, "templates");
	assert_null(u);
	c->lpVtbl->Release(c);
	abp_session_release(s);
}

/* MU-8, CT-12, CT-13 on people, groups and the status object (ST-4): every
 * refusal validates its arguments first and records its own text. */
static void refusals_check_arguments_and_record_text_MU8_CT12_ST4(void **state)
{
	struct abp_session *s = session_new(0, false);
	struct abp_props b1, b2;
	IMailUser *mu = NULL;
	IDistList *dl = NULL;
	IMAPIStatus *st = NULL;
	IMAPIProp *sp;

	person_bag(&b1, false);
	person_bag(&b2, true);
	assert_int_equal(abp_mailuser_new(s, &b1, &mu), S_OK);
	assert_int_equal(abp_distlist_new(s, &b2, &dl), S_OK);
	assert_int_equal(abp_status_new(s, &st), S_OK);
	sp = (IMAPIProp *)st;
	check_prop_refusals((IMAPIProp *)mu, state);
	check_prop_refusals((IMAPIProp *)dl, state);
	check_prop_refusals(sp, state);
	CHECK_CONTAINER_REFUSALS(dl, state);
	refused((IMAPIProp *)dl, dl->lpVtbl->ResolveNames(dl, NULL, 0, NULL, NULL),
	        MAPI_E_NO_SUPPORT, "ResolveNames");

	refused(sp, st->lpVtbl->SettingsDialog(st, 0, 0x2), MAPI_E_UNKNOWN_FLAGS, "SettingsDialog");
	refused(sp, st->lpVtbl->SettingsDialog(st, 0, UI_READONLY), MAPI_E_NO_SUPPORT,
	        "settings dialog");
	refused(sp, st->lpVtbl->ChangePassword(st, NULL, (LPTSTR)"new", 0),
	        MAPI_E_INVALID_PARAMETER, "ChangePassword");
	refused(sp, st->lpVtbl->ChangePassword(st, (LPTSTR)"old", (LPTSTR)"new", 0x2),
	        MAPI_E_UNKNOWN_FLAGS, "ChangePassword");
	refused(sp, st->lpVtbl->ChangePassword(st, (LPTSTR)"old", (LPTSTR)"new", 0),
	        MAPI_E_NO_SUPPORT, "passwords");
	refused(sp, st->lpVtbl->FlushQueues(st, 0, 5, NULL, 0), MAPI_E_INVALID_PARAMETER,
	        "FlushQueues");
	refused(sp, st->lpVtbl->FlushQueues(st, 0, 0, NULL, 0x1000), MAPI_E_UNKNOWN_FLAGS,
	        "FlushQueues");
	refused(sp, st->lpVtbl->FlushQueues(st, 0, 0, NULL, FLUSH_UPLOAD), MAPI_E_NO_SUPPORT,
	        "queues");
	/* The status object reads its properties afresh (a live bag). */
	assert_int_equal(get_long(sp, PR_OBJECT_TYPE), MAPI_STATUS);
	assert_true(lists(sp, PR_STATUS_CODE));

	assert_int_equal(st->lpVtbl->Release(st), 0);
	assert_int_equal(dl->lpVtbl->Release(dl), 0);
	assert_int_equal(mu->lpVtbl->Release(mu), 0);
	abp_session_release(s);
}

/* MU-7 / CT-5 on a directory container (a PT_OBJECT it has, one it has not). */
static void open_property_rules_MU7_CT5(void **state)
{
	struct abp_session *s = session_new(0, false);
	IABContainer *c = NULL;
	LPUNKNOWN u = (LPUNKNOWN)state;

	assert_int_equal(abp_container_new(s, &s->cfg->containers[0], &c), S_OK);
	assert_int_equal(c->lpVtbl->OpenProperty(c, PR_CONTAINER_CONTENTS, NULL, 0, 0, &u),
	                 MAPI_E_INVALID_PARAMETER);
	assert_null(u);
	assert_int_equal(c->lpVtbl->OpenProperty(c, CHANGE_PROP_TYPE(PR_CONTAINER_CONTENTS,
	                                                             PT_UNSPECIFIED),
	                                         &IID_IMAPITable, 0, 0, &u),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(c->lpVtbl->OpenProperty(c, PR_CONTAINER_CONTENTS, &IID_IMAPITable, 0,
	                                         MAPI_MODIFY, &u), MAPI_E_NO_ACCESS);
	assert_int_equal(c->lpVtbl->OpenProperty(c, PR_CONTAINER_CONTENTS, &IID_IMAPITable, 0,
	                                         MAPI_CREATE, &u), MAPI_E_NO_ACCESS);
	assert_int_equal(c->lpVtbl->OpenProperty(c, PR_CONTAINER_HIERARCHY, &IID_IMAPITable, 0, 0,
	                                         &u), MAPI_E_NOT_FOUND);
	assert_int_equal(c->lpVtbl->OpenProperty(c, PR_CONTAINER_CONTENTS, &IID_IMAPIProp, 0, 0,
	                                         &u), MAPI_E_INTERFACE_NOT_SUPPORTED);
	assert_int_equal(c->lpVtbl->OpenProperty(c, PR_DETAILS_TABLE, &IID_IMAPITable, 0, 0, &u),
	                 MAPI_E_NO_SUPPORT);
	/* A value, not an object: there, but not as a table (MU-7, not "absent"). */
	assert_int_equal(c->lpVtbl->OpenProperty(c, PR_DISPLAY_NAME_W, &IID_IMAPITable, 0, 0, &u),
	                 MAPI_E_INTERFACE_NOT_SUPPORTED);
	/* Only MAPI_UNICODE of ulInterfaceOptions reaches the table's flags, as
	 * for a DL: other bits are not GetContentsTable's to reject. */
	assert_int_equal(c->lpVtbl->OpenProperty(c, PR_CONTAINER_CONTENTS, &IID_IMAPITable,
	                                         MAPI_UNICODE | 0x40000000, 0, &u),
	                 MAPI_E_NETWORK_ERROR);
	assert_int_equal(c->lpVtbl->GetContentsTable(c, MAPI_UNICODE | 0x40000000,
	                                             (LPMAPITABLE *)&u), MAPI_E_UNKNOWN_FLAGS);
	/* CT-5: the same answer as GetContentsTable (no connection here). */
	assert_int_equal(c->lpVtbl->OpenProperty(c, PR_CONTAINER_CONTENTS, &IID_IMAPITable,
	                                         MAPI_UNICODE, 0, &u), MAPI_E_NETWORK_ERROR);
	assert_null(u);
	c->lpVtbl->Release(c);
	abp_session_release(s);
}

/* ---- CT-14: OpenEntry goes to the logon --------------------------------- */

static void person_bag(struct abp_props *bag, bool group);

/* A real logon over the host's support object, sharing session s (which
 * it takes a reference of: the caller keeps its own). */
struct real_logon {
	host_session *hs;
	host_profile *prof;
	LPMAPISUP sup;
	IABLogon *logon;
};

static void real_logon_up(struct real_logon *r, struct abp_session *s)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(host_session_new(NULL, &r->hs), S_OK);
	assert_int_equal(host_profile_new("ldapab-test", NULL, &r->prof), S_OK);
	assert_int_equal(host_support_new(r->hs, r->prof, &r->sup), S_OK);
	abp_session_addref(s);          /* abp_logon_new takes this one */
	assert_int_equal(abp_logon_new(s, r->sup, &r->logon), S_OK);
}

static void real_logon_down(struct real_logon *r)
{
	assert_int_equal(r->logon->lpVtbl->Logoff(r->logon, 0), S_OK);
	assert_int_equal(r->logon->lpVtbl->Release(r->logon), 0);
	assert_int_equal(host_support_refcount(r->sup), 1);
	IMAPISupport_Release(r->sup);
	host_session_free(r->hs);
	host_profile_release(r->prof);
}

/* CT-14: a container's and a DL's OpenEntry are the logon's (the same
 * answers), and LO-1/MU-8: the failure is explained by the object that was
 * called - its own GetLastError - not only by the logon's. */
static void container_and_dl_open_entry_errors_in_own_lasterror_CT14_LO1_MU8(void **state)
{
	struct abp_session *s = session_new(0, false);
	struct real_logon r;
	IABContainer *c = NULL;
	IDistList *dl = NULL;
	struct abp_props bag;
	uint8_t bad[5] = { 0, 0, 0, 0, 0 };
	ULONG type = 7;
	LPUNKNOWN u = (LPUNKNOWN)state, root = NULL;
	MAPIERROR *e = NULL;

	real_logon_up(&r, s);
	assert_int_equal(abp_container_new(s, &s->cfg->containers[0], &c), S_OK);
	person_bag(&bag, true);
	assert_int_equal(abp_distlist_new(s, &bag, &dl), S_OK);

	assert_int_equal(c->lpVtbl->OpenEntry(c, sizeof(bad), (LPENTRYID)bad, &IID_IMailUser,
	                                      MAPI_BEST_ACCESS, &type, &u),
	                 MAPI_E_INVALID_ENTRYID);
	assert_null(u);
	assert_int_equal(type, 0);
	last_error_contains((IMAPIProp *)c, MAPI_E_INVALID_ENTRYID, "damaged or truncated");
	/* The logon's slot holds nothing: the container was called. */
	assert_int_equal(r.logon->lpVtbl->GetLastError(r.logon, MAPI_E_INVALID_ENTRYID, 0, &e),
	                 S_OK);
	assert_null(e);
	/* The DL too, with its own text. */
	u = (LPUNKNOWN)state;
	assert_int_equal(dl->lpVtbl->OpenEntry(dl, sizeof(bad), (LPENTRYID)bad, NULL, 0, &type, &u),
	                 MAPI_E_INVALID_ENTRYID);
	assert_null(u);
	last_error_contains((IMAPIProp *)dl, MAPI_E_INVALID_ENTRYID, "5 bytes");
	/* Delegated: NULL is the logon's root (LO-2a). */
	assert_int_equal(c->lpVtbl->OpenEntry(c, 0, NULL, NULL, 0, &type, &root), S_OK);
	assert_int_equal(type, MAPI_ABCONT);
	assert_int_equal(r.logon->lpVtbl->OpenEntry(r.logon, 0, NULL, NULL, 0, &type, &u), S_OK);
	assert_ptr_equal(u, root);      /* the logon's one root object */
	u->lpVtbl->Release(u);
	root->lpVtbl->Release(root);

	/* After Logoff: INVALID_OBJECT before anything else (LC-40). */
	real_logon_down(&r);
	type = 7;
	u = (LPUNKNOWN)state;
	assert_int_equal(c->lpVtbl->OpenEntry(c, 5, (LPENTRYID)bad, NULL, 0, &type, &u),
	                 MAPI_E_INVALID_OBJECT);
	assert_int_equal(type, 0);
	assert_null(u);
	{
		/* PrepareRecips after Logoff touches nothing (LC-40). */
		struct abp_lasterr le;
		SizedSPropTagArray(1, t) = { 1, { PR_DISPLAY_NAME_W } };
		ADRLIST l = { 1, { { 0, 0, NULL } } };

		abp_lasterr_init(&le);
		assert_int_equal(abp_prepare_recips(s, &le, 0, (LPSPropTagArray)&t, &l),
		                 MAPI_E_INVALID_OBJECT);
		assert_int_equal(l.aEntries[0].cValues, 0);
		abp_lasterr_destroy(&le);
	}
	assert_int_equal(dl->lpVtbl->Release(dl), 0);
	c->lpVtbl->Release(c);
	abp_session_release(s);
}

/* ---- mail users and distribution lists ---------------------------------- */

#define V(s) { sizeof(s) - 1, s }
#define A(name, ...) { name, sizeof((struct lb_value[]){ __VA_ARGS__ }) / sizeof(struct lb_value), \
                       (const struct lb_value[]){ __VA_ARGS__ } }

static void person_bag(struct abp_props *bag, bool group)
{
	struct lb_attr person[] = {
		A("objectClass", V("inetOrgPerson")),
		A("entryUUID", V("11111111-2222-3333-4444-555555555555")),
		A("cn", V("Eve Example")),
		A("mail", V("eve@example.com")),
		A("title", V("Chief")),
	};
	struct lb_attr grp[] = {
		A("objectClass", V("groupOfNames")),
		A("entryUUID", V("11111111-2222-3333-4444-666666666666")),
		A("cn", V("Team")),
	};
	struct abp_attrmap *m = NULL;
	enum abp_eid_type type;

	assert_int_equal(abp_attrmap_new(LDAPAB_SCHEMA_INETORGPERSON, LB_UUID_ENTRYUUID, NULL, 0,
	                                 &m, NULL, 0), S_OK);
	abp_props_init(bag);
	if (group)
		assert_int_equal(abp_dir_build_bag(m, &test_uid, "cn=Team,dc=example,dc=com", grp, 3,
		                                   &type, bag), S_OK);
	else
		assert_int_equal(abp_dir_build_bag(m, &test_uid, "uid=eve,dc=example,dc=com", person,
		                                   5, &type, bag), S_OK);
	abp_attrmap_free(m);
}

static void mailuser_interfaces_props_read_only_MU1_MU7_MU8(void **state)
{
	struct abp_session *s = session_new(0, false);
	struct abp_props bag;
	IMailUser *mu = NULL;
	void *p = NULL;
	LPUNKNOWN u = (LPUNKNOWN)state;
	SPropProblemArray *pa = NULL;
	SizedSPropTagArray(3, t) = { 3, { PR_DISPLAY_NAME_A, PR_TITLE_W, PR_OBJECT_TYPE } };
	SPropValue *v = NULL;
	ULONG n = 0;

	person_bag(&bag, false);
	assert_int_equal(abp_mailuser_new(s, &bag, &mu), S_OK);
	assert_int_equal(bag.n, 0);                     /* moved into the object */
	assert_int_equal(mu->lpVtbl->QueryInterface(mu, &IID_IMailUser, &p), S_OK);
	mu->lpVtbl->Release(mu);
	assert_int_equal(mu->lpVtbl->QueryInterface(mu, &IID_IMAPIProp, &p), S_OK);
	mu->lpVtbl->Release(mu);
	p = mu;
	assert_int_equal(mu->lpVtbl->QueryInterface(mu, &IID_IMAPIContainer, &p),
	                 MAPI_E_INTERFACE_NOT_SUPPORTED);
	assert_null(p);
	assert_int_equal(mu->lpVtbl->QueryInterface(mu, &IID_IDistList, &p),
	                 MAPI_E_INTERFACE_NOT_SUPPORTED);

	assert_int_equal(mu->lpVtbl->GetProps(mu, (LPSPropTagArray)&t, 0, &n, &v), S_OK);
	assert_string_equal(v[0].Value.lpszA, "Eve Example");
	assert_true(w_eq(v[1].Value.lpszW, "Chief"));
	assert_int_equal(v[2].Value.l, MAPI_MAILUSER);
	host_MAPIFreeBuffer(v);

	/* MU-7: a person has no PT_OBJECT properties. */
	assert_int_equal(mu->lpVtbl->OpenProperty(mu, PR_CONTAINER_CONTENTS, &IID_IMAPITable, 0, 0,
	                                          &u), MAPI_E_NOT_FOUND);
	assert_null(u);
	assert_int_equal(mu->lpVtbl->OpenProperty(mu, PR_DETAILS_TABLE, &IID_IMAPITable, 0, 0, &u),
	                 MAPI_E_NO_SUPPORT);
	assert_int_equal(mu->lpVtbl->OpenProperty(mu, PR_DISPLAY_NAME_W, NULL, 0, 0, &u),
	                 MAPI_E_INVALID_PARAMETER);
	/* MU-7 decision: a property the object has, but as a value (no object
	 * or stream behind it) is the wrong-IID case, INTERFACE_NOT_SUPPORTED -
	 * not NOT_FOUND, which would say it is absent. */
	u = (LPUNKNOWN)state;
	assert_int_equal(mu->lpVtbl->OpenProperty(mu, PR_DISPLAY_NAME_W, &IID_IUnknown, 0, 0, &u),
	                 MAPI_E_INTERFACE_NOT_SUPPORTED);
	assert_null(u);
	assert_int_equal(mu->lpVtbl->OpenProperty(mu, PR_DISPLAY_NAME_W, &test_IID_IStream, 0, 0,
	                                          &u), MAPI_E_INTERFACE_NOT_SUPPORTED);
	assert_int_equal(mu->lpVtbl->OpenProperty(mu, PR_TITLE_W, &test_IID_IStream, 0, 0, &u),
	                 MAPI_E_INTERFACE_NOT_SUPPORTED);
	/* Absent stays absent. */
	assert_int_equal(mu->lpVtbl->OpenProperty(mu, PR_BUSINESS_FAX_NUMBER_W, &test_IID_IStream,
	                                          0, 0, &u), MAPI_E_NOT_FOUND);
	/* MU-8 */
	assert_int_equal(mu->lpVtbl->SetProps(mu, 0, NULL, &pa), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(mu->lpVtbl->DeleteProps(mu, NULL, &pa), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(mu->lpVtbl->SaveChanges(mu, 0), MAPI_E_NO_ACCESS);
	assert_int_equal(mu->lpVtbl->CopyTo(mu, 0, NULL, NULL, 0, NULL, NULL, mu, MAPI_MOVE, &pa),
	                 MAPI_E_NO_ACCESS);
	assert_int_equal(mu->lpVtbl->Release(mu), 0);
	abp_session_release(s);
}

static void distlist_interfaces_and_no_tables_yet_MU2_MU3(void **state)
{
	struct abp_session *s = session_new(0, false);
	struct abp_props bag;
	IDistList *dl = NULL;
	void *p = NULL;
	LPUNKNOWN u = (LPUNKNOWN)state;
	LPMAPITABLE t = (LPMAPITABLE)state;

	person_bag(&bag, true);
	assert_int_equal(abp_distlist_new(s, &bag, &dl), S_OK);
	assert_int_equal(dl->lpVtbl->QueryInterface(dl, &IID_IMAPIContainer, &p), S_OK);
	dl->lpVtbl->Release(dl);
	assert_int_equal(dl->lpVtbl->QueryInterface(dl, &IID_IDistList, &p), S_OK);
	dl->lpVtbl->Release(dl);
	assert_int_equal(dl->lpVtbl->QueryInterface(dl, &IID_IABContainer, &p),
	                 MAPI_E_INTERFACE_NOT_SUPPORTED);
	assert_int_equal(get_long((IMAPIProp *)dl, PR_OBJECT_TYPE), MAPI_DISTLIST);
	assert_true(lists((IMAPIProp *)dl, PR_EMS_AB_MEMBER));
	assert_true(lists((IMAPIProp *)dl, PR_CONTAINER_CONTENTS));
	/* MU-3: the member table reads the directory; no connection here. */
	assert_int_equal(dl->lpVtbl->GetContentsTable(dl, MAPI_UNICODE, &t), MAPI_E_NETWORK_ERROR);
	assert_null(t);
	last_error_contains((IMAPIProp *)dl, MAPI_E_NETWORK_ERROR, "connection");
	assert_int_equal(dl->lpVtbl->GetContentsTable(dl, MAPI_ASSOCIATED, &t), MAPI_E_NO_SUPPORT);
	assert_int_equal(dl->lpVtbl->GetContentsTable(dl, 0x100, &t), MAPI_E_UNKNOWN_FLAGS);
	assert_int_equal(dl->lpVtbl->OpenProperty(dl, PR_EMS_AB_MEMBER, &IID_IMAPITable, 0, 0, &u),
	                 MAPI_E_NETWORK_ERROR);
	assert_int_equal(dl->lpVtbl->OpenProperty(dl, PR_EMS_AB_MEMBER, &IID_IMAPIProp, 0, 0, &u),
	                 MAPI_E_INTERFACE_NOT_SUPPORTED);
	assert_int_equal(dl->lpVtbl->GetHierarchyTable(dl, 0, &t), MAPI_E_NO_SUPPORT);
	assert_int_equal(dl->lpVtbl->ResolveNames(dl, NULL, 0, NULL, NULL), MAPI_E_NO_SUPPORT);
	assert_int_equal(dl->lpVtbl->CreateEntry(dl, 0, NULL, 0, NULL), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(dl->lpVtbl->Release(dl), 0);
	abp_session_release(s);
}

/* ---- LC-40 / LC-42 ------------------------------------------------------- */

static void objects_after_logoff_answer_invalid_object_LC40(void **state)
{
	struct abp_session *s = session_new(0, false);
	struct abp_props b1, b2;
	IMailUser *mu = NULL;
	IDistList *dl = NULL;
	IABContainer *c = NULL;
	IMAPIProp *objs[3];
	void *p = NULL;
	size_t i;

	(void)state;
	person_bag(&b1, false);
	person_bag(&b2, true);
	assert_int_equal(abp_mailuser_new(s, &b1, &mu), S_OK);
	assert_int_equal(abp_distlist_new(s, &b2, &dl), S_OK);
	assert_int_equal(abp_container_new(s, NULL, &c), S_OK);
	objs[0] = (IMAPIProp *)mu;
	objs[1] = (IMAPIProp *)dl;
	objs[2] = (IMAPIProp *)c;
	assert_true(abp_session_shutdown(s));
	abp_session_release(s);         /* the objects keep it alive (TH-3) */

	for (i = 0; i < 3; i++) {
		IMAPIProp *o = objs[i];
		SPropValue *v = (SPropValue *)o;
		SPropTagArray *l = (SPropTagArray *)o;
		MAPIERROR *e = (MAPIERROR *)o;
		LPUNKNOWN u = (LPUNKNOWN)o;
		SPropProblemArray *pa = (SPropProblemArray *)o;
		ULONG n = 5;

		assert_int_equal(o->lpVtbl->GetProps(o, NULL, 0, &n, &v), MAPI_E_INVALID_OBJECT);
		assert_int_equal(n, 0);
		assert_null(v);
		assert_int_equal(o->lpVtbl->GetPropList(o, 0, &l), MAPI_E_INVALID_OBJECT);
		assert_null(l);
		assert_int_equal(o->lpVtbl->GetLastError(o, MAPI_E_NOT_FOUND, 0, &e),
		                 MAPI_E_INVALID_OBJECT);
		assert_null(e);
		assert_int_equal(o->lpVtbl->OpenProperty(o, PR_CONTAINER_CONTENTS, &IID_IMAPITable, 0,
		                                         0, &u), MAPI_E_INVALID_OBJECT);
		assert_null(u);
		assert_int_equal(o->lpVtbl->SetProps(o, 0, NULL, &pa), MAPI_E_INVALID_OBJECT);
		assert_null(pa);
		assert_int_equal(o->lpVtbl->SaveChanges(o, 0), MAPI_E_INVALID_OBJECT);
		assert_int_equal(o->lpVtbl->CopyProps(o, NULL, 0, NULL, NULL, o, 0, &pa),
		                 MAPI_E_INVALID_OBJECT);
		/* IUnknown still works. */
		assert_int_equal(o->lpVtbl->QueryInterface(o, &IID_IMAPIProp, &p), S_OK);
		assert_int_equal(o->lpVtbl->Release(o), 1);
	}
	{
		LPMAPITABLE t = (LPMAPITABLE)c;
		LPMAPIPROP mp = (LPMAPIPROP)c;

		assert_int_equal(c->lpVtbl->GetContentsTable(c, 0, &t), MAPI_E_INVALID_OBJECT);
		assert_null(t);
		assert_int_equal(dl->lpVtbl->GetHierarchyTable(dl, 0, &t), MAPI_E_INVALID_OBJECT);
		assert_int_equal(c->lpVtbl->CreateEntry(c, 0, NULL, 0, &mp), MAPI_E_INVALID_OBJECT);
		assert_null(mp);
		assert_int_equal(dl->lpVtbl->ResolveNames(dl, NULL, 0, NULL, NULL),
		                 MAPI_E_INVALID_OBJECT);
	}
	/* LC-42: the final Releases free everything, the session last (ASan
	 * reports any leak or use after free). */
	mu->lpVtbl->Release(mu);
	dl->lpVtbl->Release(dl);
	c->lpVtbl->Release(c);
}

/* ---- a server that cannot be reached ------------------------------------ */

static void open_entry_server_down_is_network_error_with_message(void **state)
{
	struct abp_session *s = session_new(0, false);
	struct abp_lasterr le;
	struct lb_config lc;
	struct lb_error err;
	struct abp_eid eid;
	ULONG type = 5;
	LPUNKNOWN u = (LPUNKNOWN)state;
	MAPIERROR *e = NULL;

	abp_lasterr_init(&le);
	lb_config_init(&lc);
	lc.uris = "ldap://127.0.0.1:1";         /* nothing listens on port 1 */
	lc.connect_timeout_ms = 2000;
	lc.op_timeout_ms = 3000;
	assert_int_equal(lb_conn_open(&lc, &s->conn, &err), LB_OK);
	memset(&eid, 0, sizeof(eid));
	memcpy(eid.uid, test_uid.ab, 16);
	eid.type = ABP_EID_MAILUSER;
	eid.loc_kind = ABP_EID_LOC_ENTRYUUID;
	eid.loc = (const uint8_t *)"0123456789abcdef";
	eid.loc_len = 16;
	assert_int_equal(abp_open_directory_entry(s, &le, &eid, NULL, 0, &type, &u),
	                 MAPI_E_NETWORK_ERROR);
	assert_null(u);
	assert_int_equal(abp_lasterr_get(&le, s, MAPI_E_NETWORK_ERROR, 0, &e), S_OK);
	assert_non_null(e);
	print_message("GetLastError: %s\n", (const char *)e->lpszError);
	assert_non_null(strstr((const char *)e->lpszError, "127.0.0.1"));     /* names the server */
	host_MAPIFreeBuffer(e);
	/* The session's status says so too (ST-3 input). */
	assert_int_equal(s->status_code, STATUS_FAILURE);
	abp_lasterr_destroy(&le);
	abp_session_shutdown(s);
	abp_session_release(s);
}

/* ---- TH-1 / TH-2: one object from many threads, Logoff in the middle ------ */

#define HAMMER_THREADS 8
#define HAMMER_BEFORE 20        /* calls each thread has answered before Logoff */
#define HAMMER_AFTER 3          /* refused calls each thread sees after it */
#define HAMMER_MAX 200000       /* bound on the calls racing the Logoff */

struct hammer {
	IMailUser *mu;
	pthread_barrier_t *ready;
	int ok, invalid, other, ok_after_invalid;
};

static void hammer_call(struct hammer *h)
{
	SizedSPropTagArray(2, t) = { 2, { PR_DISPLAY_NAME_W, PR_EMAIL_ADDRESS_A } };
	SPropValue *v = NULL;
	ULONG n = 0;
	HRESULT hr;

	h->mu->lpVtbl->AddRef(h->mu);
	hr = h->mu->lpVtbl->GetProps(h->mu, (LPSPropTagArray)&t, MAPI_UNICODE, &n, &v);
	if (hr == S_OK && n == 2 && w_eq(v[0].Value.lpszW, "Eve Example")) {
		if (h->invalid)
			h->ok_after_invalid++;          /* answered after a refusal */
		else
			h->ok++;
	} else if (hr == MAPI_E_INVALID_OBJECT && v == NULL && n == 0) {
		h->invalid++;
	} else {
		h->other++;
	}
	if (hr == S_OK)
		host_MAPIFreeBuffer(v);
	h->mu->lpVtbl->Release(h->mu);
}

static void *hammer_run(void *arg)
{
	struct hammer *h = arg;
	int i;

	for (i = 0; i < HAMMER_BEFORE; i++)
		hammer_call(h);
	pthread_barrier_wait(h->ready);         /* now the Logoff comes */
	for (i = 0; i < HAMMER_MAX && h->invalid < HAMMER_AFTER; i++)
		hammer_call(h);
	return NULL;
}

/* Every thread has calls answered before the Logoff, keeps calling while it
 * runs (calls in flight finish, TH-1), and after it sees only
 * MAPI_E_INVALID_OBJECT, never an answer again (LC-40). */
static void threads_share_one_object_while_logging_off_TH1(void **state)
{
	struct abp_session *s = session_new(0, false);
	struct abp_props bag;
	IMailUser *mu = NULL;
	struct hammer h[HAMMER_THREADS];
	pthread_t th[HAMMER_THREADS];
	pthread_barrier_t ready;
	int i, ok = 0;

	(void)state;
	person_bag(&bag, false);
	assert_int_equal(abp_mailuser_new(s, &bag, &mu), S_OK);
	assert_int_equal(pthread_barrier_init(&ready, NULL, HAMMER_THREADS + 1), 0);
	for (i = 0; i < HAMMER_THREADS; i++) {
		memset(&h[i], 0, sizeof(h[i]));
		h[i].mu = mu;
		h[i].ready = &ready;
		assert_int_equal(pthread_create(&th[i], NULL, hammer_run, &h[i]), 0);
	}
	pthread_barrier_wait(&ready);
	assert_true(abp_session_shutdown(s));
	for (i = 0; i < HAMMER_THREADS; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(h[i].other, 0);        /* only these two answers */
		assert_true(h[i].ok >= HAMMER_BEFORE);
		assert_int_equal(h[i].invalid, HAMMER_AFTER);
		assert_int_equal(h[i].ok_after_invalid, 0);
		ok += h[i].ok;
	}
	pthread_barrier_destroy(&ready);
	print_message("calls answered: %d (at least %d before the Logoff)\n", ok,
	              HAMMER_THREADS * HAMMER_BEFORE);
	assert_int_equal(mu->lpVtbl->Release(mu), 0);
	abp_session_release(s);
}

/* ---- PrepareRecips (LO-8) ------------------------------------------------ */

struct fake_dir {
	int calls;
	int vanish_call;        /* 1-based call that answers NOT_FOUND, 0 none */
	int fail_call;          /* 1-based call that fails with NETWORK_ERROR, 0 none */
};

static HRESULT fake_lookup(void *ctx, struct abp_session *s, struct abp_lasterr *le,
                           const struct abp_eid *eid, struct abp_props *bag)
{
	struct fake_dir *fd = ctx;
	HRESULT hr;

	(void)s;
	(void)le;
	fd->calls++;
	if (fd->calls == fd->fail_call)
		return MAPI_E_NETWORK_ERROR;
	if (fd->calls == fd->vanish_call)
		return MAPI_E_NOT_FOUND;
	assert_int_equal(eid->type, ABP_EID_MAILUSER);
	hr = abp_props_add_string(bag, PR_DISPLAY_NAME_W, "Directory Name", (size_t)-1);
	if (SUCCEEDED(hr))
		hr = abp_props_add_string(bag, PR_EMAIL_ADDRESS_W, "dir@example.com", (size_t)-1);
	if (SUCCEEDED(hr))
		hr = abp_props_add_long(bag, PR_OBJECT_TYPE, MAPI_MAILUSER);
	return hr;
}

/* An entry's rgPropVals as a host root: PR_ENTRYID (short-term flags when
 * asked), PR_DISPLAY_NAME_A, PR_RECIPIENT_TYPE. */
static void make_entry(ADRENTRY *ae, const MAPIUID *uid, bool ours_short_term, bool with_eid)
{
	struct abp_eid eid;
	uint8_t buf[128];
	size_t cb;
	SPropValue *v = NULL;
	void *p = NULL;
	ULONG k = 0;

	memset(&eid, 0, sizeof(eid));
	memcpy(eid.uid, uid->ab, 16);
	eid.type = ABP_EID_MAILUSER;
	eid.loc_kind = ABP_EID_LOC_ENTRYUUID;
	eid.loc = (const uint8_t *)"0123456789abcdef";
	eid.loc_len = 16;
	cb = abp_eid_encode(&eid, buf, sizeof(buf));
	assert_true(cb > 0);
	if (ours_short_term)
		buf[0] = 0x80;          /* MAPI_SHORTTERM */
	assert_int_equal(host_MAPIAllocateBuffer(3 * sizeof(SPropValue), (void **)&v), S_OK);
	if (with_eid) {
		assert_int_equal(host_MAPIAllocateMore((ULONG)cb, v, &p), S_OK);
		memcpy(p, buf, cb);
		v[k].ulPropTag = PR_ENTRYID;
		v[k].Value.bin.cb = (ULONG)cb;
		v[k].Value.bin.lpb = p;
		k++;
	}
	assert_int_equal(host_MAPIAllocateMore(12, v, &p), S_OK);
	memcpy(p, "Caller Name", 12);
	v[k].ulPropTag = PR_DISPLAY_NAME_A;
	v[k].Value.lpszA = p;
	k++;
	v[k].ulPropTag = PR_RECIPIENT_TYPE;
	v[k].Value.l = 1;
	k++;
	ae->ulReserved1 = 0;
	ae->cValues = k;
	ae->rgPropVals = v;
}

/* Entry i of a list (the array is declared with MAPI_DIM = 1 element). */
static ADRENTRY *E(ADRLIST *l, ULONG i)
{
	return (ADRENTRY *)((char *)l + offsetof(ADRLIST, aEntries) + i * sizeof(ADRENTRY));
}

static ADRLIST *adrlist_new(ULONG n)
{
	ADRLIST *l = NULL;

	assert_int_equal(host_MAPIAllocateBuffer((ULONG)CbNewADRLIST(n), (void **)&l), S_OK);
	l->cEntries = n;
	return l;
}

static void adrlist_free(ADRLIST *l)
{
	ULONG i;

	for (i = 0; i < l->cEntries; i++)
		host_MAPIFreeBuffer(E(l, i)->rgPropVals);
	host_MAPIFreeBuffer(l);
}

static void prepare_recips_LO8(void **state)
{
	static const MAPIUID foreign = { { 1, 2, 3 } };
	struct abp_session *s = session_new(0, false);
	struct abp_lasterr le;
	struct fake_dir fd = { 0, 0, 0 };
	ULONG req[] = { PR_EMAIL_ADDRESS_W, PR_DISPLAY_NAME_W, PR_ENTRYID, PR_TITLE_W,
	                PR_EMAIL_ADDRESS_A };
	SPropTagArray *tags = tags_new(5, req);
	SPropTagArray empty = { 0, { 0 } };
	ADRLIST *l = adrlist_new(4);
	SPropValue *old2, *old3, *v;
	struct abp_eid eid;

	(void)state;
	abp_lasterr_init(&le);
	make_entry(E(l, 0), &test_uid, true, true);     /* ours, short-term */
	make_entry(E(l, 1), &test_uid, false, true);    /* ours: vanishes */
	make_entry(E(l, 2), &foreign, false, true);     /* not ours */
	make_entry(E(l, 3), &test_uid, false, false);   /* no entry ID */
	old2 = E(l, 2)->rgPropVals;
	old3 = E(l, 3)->rgPropVals;

	/* a, h */
	assert_int_equal(abp_prepare_recips_with(s, &le, 0, NULL, l, fake_lookup, &fd), S_OK);
	assert_int_equal(abp_prepare_recips_with(s, &le, 0, &empty, l, fake_lookup, &fd), S_OK);
	assert_int_equal(abp_prepare_recips_with(s, &le, 1, tags, l, fake_lookup, &fd),
	                 MAPI_E_UNKNOWN_FLAGS);
	assert_int_equal(fd.calls, 0);
	assert_int_equal(live_roots(), 5);

	fd.vanish_call = 2;
	assert_int_equal(abp_prepare_recips_with(s, &le, MAPI_CACHE_ONLY, tags, l, fake_lookup, &fd),
	                 S_OK);
	assert_int_equal(fd.calls, 2);
	assert_int_equal(l->cEntries, 4);
	assert_int_equal(live_roots(), 5);      /* one new root per entry, old ones freed */
	/* b: untouched */
	assert_ptr_equal(E(l, 2)->rgPropVals, old2);
	assert_ptr_equal(E(l, 3)->rgPropVals, old3);
	assert_int_equal(E(l, 2)->cValues, 3);

	/* d, e: requested in order, existing values kept, then the rest. */
	v = E(l, 0)->rgPropVals;
	assert_true(host_mem_is_root(v));
	assert_int_equal(E(l, 0)->cValues, 5);
	assert_int_equal(v[0].ulPropTag, PR_EMAIL_ADDRESS_W);
	assert_true(w_eq(v[0].Value.lpszW, "dir@example.com"));
	assert_int_equal(v[1].ulPropTag, PR_DISPLAY_NAME_W);
	assert_true(w_eq(v[1].Value.lpszW, "Caller Name"));     /* kept, converted to _W */
	assert_true(host_mem_is_chained(v, v[1].Value.lpszW));
	assert_int_equal(v[2].ulPropTag, PR_ENTRYID);
	/* c: long-term */
	assert_memory_equal(v[2].Value.bin.lpb, "\0\0\0\0", 4);
	assert_int_equal(abp_eid_parse(v[2].Value.bin.lpb, v[2].Value.bin.cb, test_uid.ab, &eid),
	                 ABP_EID_OK);
	assert_int_equal(v[3].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(PR_TITLE_W)));
	assert_int_equal(v[3].Value.err, MAPI_E_NOT_FOUND);
	/* the _A duplicate of PR_EMAIL_ADDRESS is not repeated; then the rest */
	assert_int_equal(v[4].ulPropTag, PR_RECIPIENT_TYPE);
	assert_int_equal(v[4].Value.l, 1);

	/* g: vanished → PT_ERROR slots, existing values kept. */
	v = E(l, 1)->rgPropVals;
	assert_int_equal(E(l, 1)->cValues, 5);
	assert_int_equal(v[0].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(PR_EMAIL_ADDRESS_W)));
	assert_int_equal(v[0].Value.err, MAPI_E_NOT_FOUND);
	assert_true(w_eq(v[1].Value.lpszW, "Caller Name"));
	assert_int_equal(v[2].ulPropTag, PR_ENTRYID);

	adrlist_free(l);
	free(tags);
	abp_lasterr_destroy(&le);
	abp_session_release(s);
}

/* MM-7: a lookup failure or an allocation failure leaves the list as it was. */
static void prepare_recips_all_or_nothing_MM7(void **state)
{
	struct abp_session *s = session_new(0, false);
	struct abp_lasterr le;
	struct fake_dir fd = { 0, 0, 2 };
	ULONG req[] = { PR_EMAIL_ADDRESS_W, PR_DISPLAY_NAME_A };
	SPropTagArray *tags = tags_new(2, req);
	ADRLIST *l = adrlist_new(2);
	SPropValue *o0, *o1;
	unsigned long k;

	(void)state;
	abp_lasterr_init(&le);
	make_entry(E(l, 0), &test_uid, false, true);
	make_entry(E(l, 1), &test_uid, false, true);
	o0 = E(l, 0)->rgPropVals;
	o1 = E(l, 1)->rgPropVals;
	assert_int_equal(abp_prepare_recips_with(s, &le, 0, tags, l, fake_lookup, &fd),
	                 MAPI_E_NETWORK_ERROR);
	assert_ptr_equal(E(l, 0)->rgPropVals, o0);
	assert_ptr_equal(E(l, 1)->rgPropVals, o1);
	assert_int_equal(E(l, 0)->cValues, 3);
	assert_int_equal(live_roots(), 3);

	fd.fail_call = 0;
	for (k = 0; k < 50; k++) {
		HRESULT hr;

		fd.calls = 0;
		host_mem_fail_after(k);
		hr = abp_prepare_recips_with(s, &le, 0, tags, l, fake_lookup, &fd);
		if (host_mem_fail_pending()) {
			host_mem_fail_never();
			assert_int_equal(hr, S_OK);
			break;
		}
		host_mem_fail_never();
		assert_int_equal(hr, MAPI_E_NOT_ENOUGH_MEMORY);
		assert_ptr_equal(E(l, 0)->rgPropVals, o0);
		assert_ptr_equal(E(l, 1)->rgPropVals, o1);
		assert_int_equal(live_roots(), 3);
	}
	assert_true(k > 2);
	assert_int_equal(E(l, 0)->cValues, 4);
	adrlist_free(l);
	free(tags);
	abp_lasterr_destroy(&le);
	abp_session_release(s);
}

/* Logoff marked while PrepareRecips is between lookups: the
 * next lookup is not made (it would queue on the connection behind the
 * others), the answer is MAPI_E_INVALID_OBJECT and the list is untouched. */
static HRESULT logoff_during_lookup(void *ctx, struct abp_session *s, struct abp_lasterr *le,
                                    const struct abp_eid *eid, struct abp_props *bag)
{
	struct fake_dir *fd = ctx;

	(void)le;
	(void)eid;
	fd->calls++;
	/* Logoff's step 1 on "another thread"; step 4 waits for us. */
	(void)abp_session_mark_logged_off(s);
	return abp_props_add_string(bag, PR_DISPLAY_NAME_W, "Directory Name", (size_t)-1);
}

static void prepare_recips_stops_when_logoff_begins_LC32_LO8(void **state)
{
	struct abp_session *s = session_new(0, false);
	struct abp_lasterr le;
	struct fake_dir fd = { 0, 0, 0 };
	ULONG req[] = { PR_DISPLAY_NAME_W };
	SPropTagArray *tags = tags_new(1, req);
	ADRLIST *l = adrlist_new(3);
	SPropValue *o0;
	ULONG i;

	(void)state;
	abp_lasterr_init(&le);
	for (i = 0; i < 3; i++)
		make_entry(E(l, i), &test_uid, false, true);
	o0 = E(l, 0)->rgPropVals;
	assert_int_equal(abp_session_enter(s), true);   /* the logon's own call */
	assert_int_equal(abp_prepare_recips_with(s, &le, 0, tags, l, logoff_during_lookup, &fd),
	                 MAPI_E_INVALID_OBJECT);
	assert_int_equal(fd.calls, 1);
	assert_ptr_equal(E(l, 0)->rgPropVals, o0);
	assert_int_equal(E(l, 0)->cValues, 3);
	abp_session_leave(s);
	abp_session_close_connection(s);
	adrlist_free(l);
	free(tags);
	abp_lasterr_destroy(&le);
	abp_session_release(s);
}

/* LC-40: after Logoff every non-IUnknown method answers
 * MAPI_E_INVALID_OBJECT first, even with arguments it would otherwise
 * reject (NULL out-pointers, unknown flags, counts without arrays). */
static void after_logoff_bad_arguments_still_invalid_object_LC40(void **state)
{
	struct abp_session *s = session_new(0, false);
	struct abp_props b1, b2;
	struct abp_lasterr le;
	struct abp_eid eid;
	IMailUser *mu = NULL;
	IDistList *dl = NULL;
	IABContainer *c = NULL;
	IMAPIProp *objs[3];
	const ULONG bad = 0xFFFF0000u;
	ULONG type = 9;
	LPUNKNOWN u = (LPUNKNOWN)state;
	size_t i;

	(void)state;
	abp_lasterr_init(&le);
	person_bag(&b1, false);
	person_bag(&b2, true);
	assert_int_equal(abp_mailuser_new(s, &b1, &mu), S_OK);
	assert_int_equal(abp_distlist_new(s, &b2, &dl), S_OK);
	assert_int_equal(abp_container_new(s, &s->cfg->containers[0], &c), S_OK);
	objs[0] = (IMAPIProp *)mu;
	objs[1] = (IMAPIProp *)dl;
	objs[2] = (IMAPIProp *)c;
	assert_true(abp_session_shutdown(s));

	for (i = 0; i < 3; i++) {
		IMAPIProp *o = objs[i];

		assert_int_equal(o->lpVtbl->GetLastError(o, MAPI_E_NOT_FOUND, bad, NULL),
		                 MAPI_E_INVALID_OBJECT);
		assert_int_equal(o->lpVtbl->SaveChanges(o, bad), MAPI_E_INVALID_OBJECT);
		assert_int_equal(o->lpVtbl->GetProps(o, NULL, bad, NULL, NULL), MAPI_E_INVALID_OBJECT);
		assert_int_equal(o->lpVtbl->GetPropList(o, bad, NULL), MAPI_E_INVALID_OBJECT);
		assert_int_equal(o->lpVtbl->OpenProperty(o, PR_NULL, NULL, 0, bad, NULL),
		                 MAPI_E_INVALID_OBJECT);
		assert_int_equal(o->lpVtbl->SetProps(o, 5, NULL, NULL), MAPI_E_INVALID_OBJECT);
		assert_int_equal(o->lpVtbl->DeleteProps(o, NULL, NULL), MAPI_E_INVALID_OBJECT);
		assert_int_equal(o->lpVtbl->CopyTo(o, 3, NULL, NULL, 0, NULL, NULL, NULL, bad, NULL),
		                 MAPI_E_INVALID_OBJECT);
		assert_int_equal(o->lpVtbl->CopyProps(o, NULL, 0, NULL, NULL, NULL, bad, NULL),
		                 MAPI_E_INVALID_OBJECT);
		assert_int_equal(o->lpVtbl->GetNamesFromIDs(o, NULL, NULL, bad, NULL, NULL),
		                 MAPI_E_INVALID_OBJECT);
		assert_int_equal(o->lpVtbl->GetIDsFromNames(o, 5, NULL, bad, NULL),
		                 MAPI_E_INVALID_OBJECT);
	}
	/* The IMAPIContainer part of containers and DLs (same slots). */
	for (i = 1; i < 3; i++) {
		IABContainer *k = (IABContainer *)objs[i];

		assert_int_equal(k->lpVtbl->GetContentsTable(k, bad, NULL), MAPI_E_INVALID_OBJECT);
		assert_int_equal(k->lpVtbl->GetHierarchyTable(k, bad, NULL), MAPI_E_INVALID_OBJECT);
		assert_int_equal(k->lpVtbl->OpenEntry(k, 3, NULL, NULL, bad, NULL, NULL),
		                 MAPI_E_INVALID_OBJECT);
		assert_int_equal(k->lpVtbl->SetSearchCriteria(k, NULL, NULL, bad),
		                 MAPI_E_INVALID_OBJECT);
		assert_int_equal(k->lpVtbl->GetSearchCriteria(k, bad, NULL, NULL, NULL),
		                 MAPI_E_INVALID_OBJECT);
		assert_int_equal(k->lpVtbl->CreateEntry(k, 3, NULL, bad, NULL), MAPI_E_INVALID_OBJECT);
		assert_int_equal(k->lpVtbl->CopyEntries(k, NULL, 0, NULL, bad), MAPI_E_INVALID_OBJECT);
		assert_int_equal(k->lpVtbl->DeleteEntries(k, NULL, bad), MAPI_E_INVALID_OBJECT);
		assert_int_equal(k->lpVtbl->ResolveNames(k, NULL, bad, NULL, NULL),
		                 MAPI_E_INVALID_OBJECT);
	}
	/* The logon's paths into directory.c. */
	assert_int_equal(abp_open_directory_entry(s, NULL, NULL, NULL, bad, NULL, NULL),
	                 MAPI_E_INVALID_OBJECT);
	memset(&eid, 0, sizeof(eid));
	eid.type = ABP_EID_ROOT;        /* not a person: INVALID_PARAMETER before logoff */
	assert_int_equal(abp_open_directory_entry(s, &le, &eid, &IID_IMAPITable, bad, &type, &u),
	                 MAPI_E_INVALID_OBJECT);
	assert_int_equal(type, 0);
	assert_null(u);
	assert_int_equal(abp_prepare_recips(s, &le, bad, NULL, NULL), MAPI_E_INVALID_OBJECT);
	assert_int_equal(abp_prepare_recips(s, &le, 0, NULL, NULL), MAPI_E_INVALID_OBJECT);
	assert_int_equal(abp_prepare_recips(s, NULL, 0, NULL, NULL), MAPI_E_INVALID_OBJECT);
	mu->lpVtbl->Release(mu);
	dl->lpVtbl->Release(dl);
	c->lpVtbl->Release(c);
	abp_lasterr_destroy(&le);
	abp_session_release(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(prepare_recips_stops_when_logoff_begins_LC32_LO8,
		                                test_clean_setup, test_clean_teardown),
		cmocka_unit_test_setup_teardown(after_logoff_bad_arguments_still_invalid_object_LC40,
		                                test_clean_setup, test_clean_teardown),
		cmocka_unit_test_setup_teardown(root_container_properties_CT1_CT2_CT4,
		                                test_clean_setup, test_clean_teardown),
		cmocka_unit_test_setup_teardown(directory_container_properties_CT2_CT3_CT4,
		                                test_clean_setup, test_clean_teardown),
		cmocka_unit_test_setup_teardown(container_query_interface_and_refcount_TH2,
		                                test_clean_setup, test_clean_teardown),
		cmocka_unit_test_setup_teardown(refusals_check_arguments_and_record_text_MU8_CT12_ST4,
		                                test_clean_setup, test_clean_teardown),
		cmocka_unit_test_setup_teardown(container_read_only_CT12_CT13, test_clean_setup,
		                                test_clean_teardown),
		cmocka_unit_test_setup_teardown(open_property_rules_MU7_CT5, test_clean_setup,
		                                test_clean_teardown),
		cmocka_unit_test_setup_teardown(container_and_dl_open_entry_errors_in_own_lasterror_CT14_LO1_MU8,
		                                test_clean_setup, test_clean_teardown),
		cmocka_unit_test_setup_teardown(mailuser_interfaces_props_read_only_MU1_MU7_MU8,
		                                test_clean_setup, test_clean_teardown),
		cmocka_unit_test_setup_teardown(distlist_interfaces_and_no_tables_yet_MU2_MU3,
		                                test_clean_setup, test_clean_teardown),
		cmocka_unit_test_setup_teardown(objects_after_logoff_answer_invalid_object_LC40,
		                                test_clean_setup, test_clean_teardown),
		cmocka_unit_test_setup_teardown(open_entry_server_down_is_network_error_with_message,
		                                test_clean_setup, test_clean_teardown),
		cmocka_unit_test_setup_teardown(threads_share_one_object_while_logging_off_TH1,
		                                test_clean_setup, test_clean_teardown),
		cmocka_unit_test_setup_teardown(prepare_recips_LO8, test_clean_setup,
		                                test_clean_teardown),
		cmocka_unit_test_setup_teardown(prepare_recips_all_or_nothing_MM7, test_clean_setup,
		                                test_clean_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
