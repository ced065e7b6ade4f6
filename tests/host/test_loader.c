/* Unit tests: loader, session, LC-3 handshake, LC-38 order, HO-3/5/6/7 via the test provider. */
#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <stdatomic.h>
#include "host_test.h"
#include "testprov.h"

#define LC38 "ABProviderInit,IABProvider::Logon,IABLogon::Logoff,IABLogon::Release," \
             "IABProvider::Shutdown,IABProvider::Release,dlclose"

static host_profile *new_profile(const char *name)
{
    host_profile *p = NULL;
    assert_int_equal(host_profile_new(name, NULL, &p), S_OK);
    return p;
}

/* The MAPIUID the provider stored in its section. */
static MAPIUID stored_uid(host_profile *p)
{
    MAPIUID uid;
    ULONG n = 0;
    LPSPropValue v = NULL;
    LPSPropTagArray tags = NULL;
    ULONG tag = PR_TESTPROV_UID;
    assert_int_equal(host_tag_array_new(1, &tag, &tags), S_OK);
    assert_int_equal(host_profile_get_props(p, NULL, tags, 0, &n, &v), S_OK);
    assert_int_equal(v[0].ulPropTag, PR_TESTPROV_UID);
    assert_int_equal(v[0].Value.bin.cb, 16);
    memcpy(uid.ab, v[0].Value.bin.lpb, 16);
    (void)host_MAPIFreeBuffer(v);
    (void)host_MAPIFreeBuffer(tags);
    return uid;
}

/* 1 if uid routes to l's IABLogon; the reference host_session_route returns is dropped. */
static int routes_to(host_session *s, const MAPIUID *uid, host_logon *l)
{
    LPABLOGON ab = host_session_route(s, uid);
    int r = ab && ab == host_logon_ablogon(l);
    if (ab)
        IABLogon_Release(ab);
    return r;
}

static void make_eid(BYTE *buf, const MAPIUID *uid, BYTE tail)
{
    memset(buf, 0, 24);
    memcpy(buf + 4, uid->ab, 16);
    buf[20] = tail;
}

static void test_logon_logoff_follows_lc38_order_and_refcounts(void **state)
{
    host_trace *t = NULL;
    host_provider *prov = NULL;
    host_session *s = NULL;
    host_profile *prof = new_profile("Work");
    host_logon *l = NULL;
    LPMAPIERROR err = (LPMAPIERROR)1;
    char *text = (char *)1;

    assert_int_equal(host_trace_new(&t), S_OK);
    assert_int_equal(host_provider_load(TESTPROV_OK_PATH, t, &prov, &text), S_OK);
    assert_null(text);
    assert_int_equal(host_provider_version(prov), CURRENT_SPI_VERSION);
    assert_false(host_provider_has_service_entry(prov));
    /* LC-5: the provider kept lpMalloc and AddRef'd it. */
    assert_int_equal(host_malloc_refcount(host_provider_malloc(prov)), 2);
    assert_int_equal(host_session_new(t, &s), S_OK);
    assert_int_equal(host_session_logon(s, prov, prof, 0, &l, &err), S_OK);
    assert_null(err);
    assert_non_null(host_logon_ablogon(l));
    /* LC-12: the host dropped its own reference; the provider holds exactly one. */
    assert_int_equal(host_logon_support_refcount(l), 1);
    assert_int_equal(host_session_live_supports(s), 1);
    /* LC-13: the provider released every profile section it opened. */
    assert_int_equal(host_profsect_live_objects(), 0);
    /* The status row (ST-3) carries the profile name as 8-bit text (no MAPI_UNICODE). */
    ULONG n = 0;
    LPSPropValue row = NULL;
    assert_int_equal(host_support_status_row(host_logon_support(l), &n, &row), S_OK);
    assert_int_equal(n, 4);
    LPSPropValue name = host_prop_find(n, row, PR_STATUS_STRING_A);
    assert_non_null(name);
    assert_string_equal(name->Value.lpszA, "Work");
    (void)host_MAPIFreeBuffer(row);
    /* HO-3: the UID the provider stored is routed to this logon. */
    MAPIUID uid = stored_uid(prof);
    assert_true(routes_to(s, &uid, l));

    host_provider_release(prov); /* the module stays until its last logon goes */
    assert_string_equal(host_trace_text(t), "ABProviderInit,IABProvider::Logon");
    assert_int_equal(host_session_logoff(l), S_OK);
    assert_string_equal(host_trace_text(t), LC38);
    /* HO-5: the support object, its UID and status row are gone. */
    assert_int_equal(host_session_live_supports(s), 0);
    assert_null(host_session_route(s, &uid));
    assert_int_equal(host_malloc_live_objects(), 0);
    host_session_free(s);
    host_profile_release(prof);
    host_trace_free(t);
}

static void test_unicode_logon_passes_utf16_profile_name(void **state)
{
    host_provider *prov = NULL;
    host_session *s = NULL;
    host_profile *prof = new_profile("Büro 東京");
    host_logon *l = NULL;
    ULONG n = 0;
    LPSPropValue row = NULL;

    assert_int_equal(host_provider_load(TESTPROV_OK_PATH, NULL, &prov, NULL), S_OK);
    assert_int_equal(host_session_new(NULL, &s), S_OK);
    assert_int_equal(host_session_logon(s, prov, prof, MAPI_UNICODE, &l, NULL), S_OK);
    assert_int_equal(host_support_status_row(host_logon_support(l), &n, &row), S_OK);
    LPSPropValue name = host_prop_find(n, row, PR_STATUS_STRING_W);
    assert_non_null(name);
    assert_true(host_utf16_eq_utf8(name->Value.lpszW, "Büro 東京"));
    assert_null(host_prop_find(n, row, PR_STATUS_STRING_A));
    (void)host_MAPIFreeBuffer(row);
    assert_int_equal(host_session_logoff(l), S_OK);
    host_session_free(s);
    host_provider_release(prov); /* after the last logoff: shutdown happens here */
    host_profile_release(prof);
}

static void test_bad_path_reports_dlerror(void **state)
{
    host_provider *prov = (host_provider *)1;
    char *text = NULL;
    assert_int_equal(host_provider_load("/nonexistent/testprov.so", NULL, &prov, &text),
                     MAPI_E_NOT_FOUND);
    assert_null(prov);
    assert_non_null(text);
    assert_non_null(strstr(text, "/nonexistent/testprov.so"));
    assert_non_null(strstr(text, "cannot load"));
    (void)host_MAPIFreeBuffer(text);
}

static void test_missing_entry_point_is_not_found(void **state)
{
    host_provider *prov = NULL;
    char *text = NULL;
    assert_int_equal(host_provider_load("libm.so.6", NULL, &prov, &text), MAPI_E_NOT_FOUND);
    assert_null(prov);
    assert_non_null(strstr(text, "ABProviderInit"));
    (void)host_MAPIFreeBuffer(text);
}

static void test_bad_version_releases_provider(void **state)
{
    host_trace *t = NULL;
    host_provider *prov = NULL;
    char *text = NULL;
    assert_int_equal(host_trace_new(&t), S_OK);
    assert_int_equal(host_provider_load(TESTPROV_BADVER_PATH, t, &prov, &text), MAPI_E_VERSION);
    assert_null(prov);
    assert_non_null(strstr(text, "0x02000000"));
    assert_string_equal(host_trace_text(t), "ABProviderInit,IABProvider::Release,dlclose");
    /* The provider released its lpMalloc reference when it went. */
    assert_int_equal(host_malloc_live_objects(), 0);
    (void)host_MAPIFreeBuffer(text);
    host_trace_free(t);
}

static void test_unconfigured_runs_service_entry_then_retries_once(void **state)
{
    host_trace *t = NULL;
    host_provider *prov = NULL;
    host_session *s = NULL;
    host_profile *prof = new_profile("New");
    host_logon *l = NULL;
    LPMAPIERROR err = NULL;

    assert_int_equal(host_trace_new(&t), S_OK);
    assert_int_equal(host_provider_load(TESTPROV_UNCONFIGURED_PATH, t, &prov, NULL), S_OK);
    assert_true(host_provider_has_service_entry(prov));
    assert_int_equal(host_session_new(t, &s), S_OK);
    assert_int_equal(host_session_logon(s, prov, prof, 0, &l, &err), S_OK);
    assert_null(err);
    assert_string_equal(host_trace_text(t),
                        "ABProviderInit,IABProvider::Logon,ServiceEntry(CONFIGURE),"
                        "IABProvider::Logon");
    ULONG n = 0, tag = PR_TESTPROV_CONFIGURED;
    LPSPropValue v = NULL;
    LPSPropTagArray tags = NULL;
    assert_int_equal(host_tag_array_new(1, &tag, &tags), S_OK);
    assert_int_equal(host_profile_get_props(prof, NULL, tags, 0, &n, &v), S_OK);
    assert_int_equal(v[0].Value.ul, 1);
    (void)host_MAPIFreeBuffer(v);
    (void)host_MAPIFreeBuffer(tags);
    assert_int_equal(host_session_logoff(l), S_OK);
    host_provider_release(prov);
    host_session_free(s);
    host_profile_release(prof);
    host_trace_free(t);
}

static void test_failed_logon_returns_mapierror_and_leaves_no_support(void **state)
{
    host_provider *prov = NULL;
    host_session *s = NULL;
    host_profile *prof = new_profile("Flaky");
    host_logon *l = (host_logon *)1;
    LPMAPIERROR err = NULL;
    SPropValue v = { .ulPropTag = PR_TESTPROV_FAIL_LOGON };
    v.Value.ul = 1;
    assert_int_equal(host_profile_set_props(prof, NULL, 1, &v), S_OK);
    assert_int_equal(host_provider_load(TESTPROV_OK_PATH, NULL, &prov, NULL), S_OK);
    assert_int_equal(host_session_new(NULL, &s), S_OK);
    assert_int_equal(host_session_logon(s, prov, prof, 0, &l, &err), MAPI_E_FAILONEPROVIDER);
    assert_null(l);
    assert_non_null(err);
    assert_string_equal((char *)err->lpszError, "testprov: asked to fail");
    (void)host_MAPIFreeBuffer(err);
    assert_int_equal(host_session_live_supports(s), 0);
    /* The knob counted down: the next logon works. */
    assert_int_equal(host_session_logon(s, prov, prof, 0, &l, NULL), S_OK);
    host_session_free(s); /* logs the remaining logon off */
    host_provider_release(prov);
    host_profile_release(prof);
}

static void test_routing_by_uid_across_logons(void **state)
{
    host_provider *prov = NULL;
    host_session *s = NULL;
    host_profile *pa = new_profile("A"), *pb = new_profile("B");
    host_logon *la = NULL, *lb = NULL;
    BYTE ea[24], eb[24], eb2[24], ex[24];
    ULONG type = 0, res = 7;
    LPUNKNOWN unk = NULL;

    assert_int_equal(host_provider_load(TESTPROV_OK_PATH, NULL, &prov, NULL), S_OK);
    assert_int_equal(host_session_new(NULL, &s), S_OK);
    assert_int_equal(host_session_logon(s, prov, pa, 0, &la, NULL), S_OK);
    assert_int_equal(host_session_logon(s, prov, pb, 0, &lb, NULL), S_OK);
    MAPIUID ua = stored_uid(pa), ub = stored_uid(pb), ux;
    assert_memory_not_equal(ua.ab, ub.ab, 16);
    memset(ux.ab, 0x5A, 16);
    make_eid(ea, &ua, 1);
    make_eid(eb, &ub, 1);
    make_eid(eb2, &ub, 2);
    make_eid(ex, &ux, 1);

    assert_int_equal(host_session_open_entry(s, 24, (LPENTRYID)eb, NULL, 0, &type, &unk), S_OK);
    assert_ptr_equal(unk, host_logon_ablogon(lb));
    assert_int_equal(type, MAPI_ABCONT);
    IUnknown_Release(unk);
    /* Through logon A's support object the entry of B still reaches B (HO-3). */
    LPMAPISUP sup = host_logon_support(la);
    assert_int_equal(IMAPISupport_OpenEntry(sup, 24, (LPENTRYID)eb, NULL, 0, &type, &unk), S_OK);
    assert_ptr_equal(unk, host_logon_ablogon(lb));
    IUnknown_Release(unk);
    assert_int_equal(IMAPISupport_OpenEntry(sup, 24, (LPENTRYID)ex, NULL, 0, &type, &unk),
                     MAPI_E_UNKNOWN_ENTRYID);
    LPMAPIERROR me = NULL;
    assert_int_equal(IMAPISupport_GetLastError(sup, MAPI_E_UNKNOWN_ENTRYID, 0, &me), S_OK);
    assert_non_null(strstr((char *)me->lpszError, "provider UID"));
    (void)host_MAPIFreeBuffer(me);
    assert_int_equal(host_session_open_entry(s, 19, (LPENTRYID)eb, NULL, 0, &type, &unk),
                     MAPI_E_INVALID_ENTRYID);
    assert_int_equal(host_session_open_entry(s, 24, NULL, NULL, 0, &type, &unk),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_session_open_entry(s, 24, (LPENTRYID)eb, NULL, 0, NULL, &unk),
                     MAPI_E_INVALID_PARAMETER);

    assert_int_equal(host_session_compare_entry_ids(s, 24, (LPENTRYID)eb, 24, (LPENTRYID)eb, 0,
                                                    &res), S_OK);
    assert_int_equal(res, TRUE);
    assert_int_equal(host_session_compare_entry_ids(s, 24, (LPENTRYID)eb, 24, (LPENTRYID)eb2, 0,
                                                    &res), S_OK);
    assert_int_equal(res, FALSE);
    res = 7;
    assert_int_equal(host_session_compare_entry_ids(s, 24, (LPENTRYID)ea, 24, (LPENTRYID)eb, 0,
                                                    &res), S_OK);
    assert_int_equal(res, FALSE);
    assert_int_equal(IMAPISupport_CompareEntryIDs(sup, 24, (LPENTRYID)eb, 24, (LPENTRYID)eb, 0,
                                                  &res), S_OK);
    assert_int_equal(res, TRUE);
    assert_int_equal(host_session_compare_entry_ids(s, 24, (LPENTRYID)ex, 24, (LPENTRYID)eb, 0,
                                                    &res), MAPI_E_UNKNOWN_ENTRYID);

    /* PrepareRecips: each entry goes to its own logon; results land in place. */
    LPADRLIST list = must_alloc(CbNewADRLIST(3));
    list->cEntries = 3;
    BYTE *ids[3] = { ea, eb, NULL };
    for (int i = 0; i < 3; i++) {
        LPSPropValue pv = must_alloc(sizeof(SPropValue));
        list->aEntries[i].ulReserved1 = 0;
        list->aEntries[i].cValues = 1;
        list->aEntries[i].rgPropVals = pv;
        if (ids[i]) {
            pv->ulPropTag = PR_ENTRYID;
            pv->Value.bin.cb = 24;
            assert_int_equal(host_MAPIAllocateMore(24, pv, (void **)&pv->Value.bin.lpb), S_OK);
            memcpy(pv->Value.bin.lpb, ids[i], 24);
        } else {
            pv->ulPropTag = PR_DISPLAY_NAME_A;
            pv->Value.lpszA = "no entry id";
        }
    }
    assert_int_equal(host_session_prepare_recips(s, 0, NULL, list), S_OK);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(list->aEntries[i].cValues, 2);
        assert_int_equal(list->aEntries[i].rgPropVals[1].ulPropTag, PR_OBJECT_TYPE);
        assert_memory_equal(list->aEntries[i].rgPropVals[0].Value.bin.lpb, ids[i], 24);
    }
    assert_int_equal(list->aEntries[2].cValues, 1);
    /* An unknown UID changes nothing. */
    LPSPropValue keep = list->aEntries[0].rgPropVals;
    ADRENTRY *second = list->aEntries + 1; /* aEntries is declared [MAPI_DIM] */
    memcpy(second->rgPropVals[0].Value.bin.lpb, ex, 24);
    assert_int_equal(host_session_prepare_recips(s, 0, NULL, list), MAPI_E_UNKNOWN_ENTRYID);
    assert_ptr_equal(list->aEntries[0].rgPropVals, keep);
    host_FreePadrlist(list);
    assert_int_equal(host_session_prepare_recips(s, 0, NULL, NULL), MAPI_E_INVALID_PARAMETER);

    assert_int_equal(host_session_logoff(la), S_OK);
    /* HO-5: A's UID left with its support object; B still routes. */
    assert_null(host_session_route(s, &ua));
    assert_true(routes_to(s, &ub, lb));
    assert_int_equal(host_session_logoff(lb), S_OK);
    host_session_free(s);
    host_provider_release(prov);
    host_profile_release(pa);
    host_profile_release(pb);
}

static void test_routed_logon_is_a_reference_that_outlives_logoff(void **state)
{
    host_trace *t = NULL;
    host_provider *prov = NULL;
    host_session *s = NULL;
    host_profile *prof = new_profile("Route");
    host_logon *l = NULL;
    assert_int_equal(host_trace_new(&t), S_OK);
    assert_int_equal(host_provider_load(TESTPROV_OK_PATH, t, &prov, NULL), S_OK);
    assert_int_equal(host_session_new(t, &s), S_OK);
    assert_int_equal(host_session_logon(s, prov, prof, 0, &l, NULL), S_OK);
    MAPIUID uid = stored_uid(prof);

    LPABLOGON ab = host_session_route(s, &uid);
    assert_non_null(ab);
    assert_ptr_equal(ab, host_logon_ablogon(l));
    /* Our reference: one more than the host's own (AddRef returns the new count). */
    assert_int_equal(IABLogon_AddRef(ab), 3);
    assert_int_equal(IABLogon_Release(ab), 2);

    /* A logoff racing the routed caller (here: before it is done) must not free it. */
    assert_int_equal(host_session_logoff(l), S_OK);
    assert_string_equal(host_trace_text(t),
                        "ABProviderInit,IABProvider::Logon,IABLogon::Logoff,IABLogon::Release");
    assert_null(host_session_route(s, &uid));
    LPMAPIERROR err = NULL;
    assert_true(SUCCEEDED(IABLogon_GetLastError(ab, MAPI_E_CALL_FAILED, 0, &err)));
    (void)host_MAPIFreeBuffer(err);
    assert_int_equal(IABLogon_Release(ab), 0); /* the provider frees its logon now */

    host_provider_release(prov); /* no logon left: Shutdown, Release, dlclose */
    assert_string_equal(host_trace_text(t), LC38);
    host_session_free(s);
    host_profile_release(prof);
    host_trace_free(t);
}

struct router_arg {
    host_session *s;
    BYTE eid[24];
    atomic_int stop;
    atomic_int attempts, routed, unknown, other;
    HRESULT other_hr; /* the last unexpected result */
};

/* Routes OpenEntry to whatever logon currently owns the UID, until told to stop. */
static void *router_loop(void *argp)
{
    struct router_arg *a = argp;
    while (!atomic_load(&a->stop)) {
        ULONG type = 0;
        LPUNKNOWN unk = NULL;
        HRESULT hr = host_session_open_entry(a->s, 24, (LPENTRYID)a->eid, NULL, 0, &type, &unk);
        atomic_fetch_add(&a->attempts, 1);
        if (hr == S_OK) {
            atomic_fetch_add(&a->routed, 1);
            IUnknown_Release(unk);
        } else if (hr == MAPI_E_UNKNOWN_ENTRYID) {
            atomic_fetch_add(&a->unknown, 1);
        } else {
            a->other_hr = hr;
            atomic_fetch_add(&a->other, 1);
        }
    }
    return NULL;
}

static void test_routed_calls_race_logoffs_safely(void **state)
{
    host_provider *prov = NULL;
    host_profile *prof = new_profile("Race");
    host_logon *l = NULL;
    pthread_t t;
    struct router_arg a;
    memset(&a, 0, sizeof(a));
    assert_int_equal(host_provider_load(TESTPROV_OK_PATH, NULL, &prov, NULL), S_OK);
    assert_int_equal(host_session_new(NULL, &a.s), S_OK);
    /* One logon first, so that the profile holds the UID every later logon reuses. */
    assert_int_equal(host_session_logon(a.s, prov, prof, 0, &l, NULL), S_OK);
    MAPIUID uid = stored_uid(prof);
    make_eid(a.eid, &uid, 1);
    assert_int_equal(host_session_logoff(l), S_OK);
    atomic_init(&a.stop, 0);
    assert_int_equal(pthread_create(&t, NULL, router_loop, &a), 0);
    for (int i = 0; i < 200; i++) {
        assert_int_equal(host_session_logon(a.s, prov, prof, 0, &l, NULL), S_OK);
        /* Let at least one whole routed call start after the logon was published (so
         * every round routes), then log off while the router is likely mid-call: a
         * routed call pins the logon and a logoff meanwhile defers the final Release. */
        int seen = atomic_load(&a.attempts);
        time_t give_up = time(NULL) + 5;
        while (atomic_load(&a.attempts) < seen + 2 && time(NULL) < give_up)
            sched_yield();
        assert_int_equal(host_session_logoff(l), S_OK);
    }
    atomic_store(&a.stop, 1);
    pthread_join(t, NULL);
    if (atomic_load(&a.other))
        fail_msg("router saw 0x%08lX", (unsigned long)a.other_hr);
    assert_true(atomic_load(&a.routed) >= 200);
    print_message("router: %d routed, %d found no logon\n", atomic_load(&a.routed),
                  atomic_load(&a.unknown));
    host_session_free(a.s);
    host_provider_release(prov);
    host_profile_release(prof);
}

static void test_bad_input_to_loader_and_session(void **state)
{
    host_provider *prov = NULL;
    host_session *s = NULL;
    host_profile *prof = new_profile(NULL);
    host_logon *l = NULL;
    char *text = NULL;

    assert_int_equal(host_provider_load(TESTPROV_OK_PATH, NULL, NULL, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_provider_load(NULL, NULL, &prov, &text), MAPI_E_INVALID_PARAMETER);
    assert_non_null(text);
    (void)host_MAPIFreeBuffer(text);
    assert_int_equal(host_provider_load("", NULL, &prov, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_session_new(NULL, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_trace_new(NULL), MAPI_E_INVALID_PARAMETER);
    assert_string_equal(host_trace_text(NULL), "");
    host_trace_clear(NULL);
    host_trace_free(NULL);
    assert_int_equal(host_provider_version(NULL), 0);
    assert_null(host_provider_abprovider(NULL));
    assert_null(host_provider_malloc(NULL));
    assert_false(host_provider_has_service_entry(NULL));
    assert_null(host_logon_ablogon(NULL));
    assert_null(host_logon_support(NULL));
    assert_int_equal(host_session_live_supports(NULL), 0);
    assert_int_equal(host_session_subscriptions(NULL), 0);
    assert_int_equal(host_session_leaked_subscriptions(NULL), 0);
    assert_int_equal(host_provider_load(TESTPROV_OK_PATH, NULL, &prov, NULL), S_OK);
    assert_int_equal(host_session_new(NULL, &s), S_OK);
    assert_int_equal(host_session_logon(s, prov, prof, 0, NULL, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_session_logon(NULL, prov, prof, 0, &l, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_session_logon(s, NULL, prof, 0, &l, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_session_logon(s, prov, NULL, 0, &l, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_session_logon(s, prov, prof, 0x4, &l, NULL), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(host_session_logoff(NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_provider_configure(prov, prof, 0, 0, NULL, NULL), MAPI_E_NO_SUPPORT);
    assert_int_equal(host_provider_configure(NULL, prof, 0, 0, NULL, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_provider_configure(prov, prof, 1, 0, NULL, NULL), MAPI_E_UNKNOWN_FLAGS);
    assert_null(host_session_route(s, NULL));
    assert_int_equal(host_logon_support_refcount(NULL), 0);
    host_session_free(s);
    host_session_free(NULL);
    host_provider_release(prov);
    host_provider_release(NULL);
    host_profile_release(prof);
}

/* What one lifecycle run observed while its logon was live. */
struct walk_obs {
    int logged_on;      /* host_session_logon succeeded */
    unsigned dropped;   /* the provider's testprov_dropped after Logon */
    HRESULT status_hr;  /* host_support_status_row on the logon's support */
    ULONG status_n;     /* values in that row */
    int has_err;        /* a MAPIERROR came back from host_session_logon */
    int probe_fired;    /* the injected failure hit the test's status-row copy instead */
};

static unsigned provider_dropped(const char *path)
{
    unsigned v = 0;
    void *h = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
    if (!h)
        return 0;
    const unsigned *sym = dlsym(h, TESTPROV_DROPPED_SYMBOL);
    if (sym)
        v = *sym;
    dlclose(h);
    return v;
}

/* One full load → logon → logoff → unload; returns the first failure. */
static HRESULT lifecycle_once(struct walk_obs *o)
{
    host_provider *prov = NULL;
    host_session *s = NULL;
    host_profile *prof = NULL;
    host_logon *l = NULL;
    LPMAPIERROR err = NULL;
    char *text = NULL;
    memset(o, 0, sizeof(*o));
    HRESULT hr = host_profile_new("Walk", NULL, &prof);
    if (SUCCEEDED(hr))
        hr = host_provider_load(TESTPROV_UNCONFIGURED_PATH, NULL, &prov, &text);
    if (SUCCEEDED(hr))
        hr = host_session_new(NULL, &s);
    if (SUCCEEDED(hr))
        hr = host_session_logon(s, prov, prof, MAPI_UNICODE, &l, &err);
    if (SUCCEEDED(hr)) {
        LPSPropValue row = NULL;
        o->logged_on = 1;
        o->dropped = provider_dropped(TESTPROV_UNCONFIGURED_PATH);
        o->has_err = err != NULL;
        /* This copy is the test's own allocation: note if the armed failure hit it. */
        int armed = host_mem_fail_pending();
        o->status_hr = host_support_status_row(host_logon_support(l), &o->status_n, &row);
        o->probe_fired = armed && !host_mem_fail_pending();
        (void)host_MAPIFreeBuffer(row);
        hr = host_session_logoff(l);
    }
    (void)host_MAPIFreeBuffer(err);
    (void)host_MAPIFreeBuffer(text);
    host_session_free(s);
    host_provider_release(prov);
    host_profile_release(prof);
    return hr;
}

static void test_fail_every_allocation_of_the_lifecycle(void **state)
{
    unsigned long n;
    unsigned tolerated = 0;
    for (n = 0; n < 10000; n++) {
        struct walk_obs o;
        host_mem_fail_after(n);
        HRESULT hr = lifecycle_once(&o);
        int fired = !host_mem_fail_pending();
        host_mem_fail_never();
        host_test_assert_clean();
        if (!fired) {
            /* Past the last allocation: the whole lifecycle ran clean. */
            assert_int_equal(hr, S_OK);
            assert_int_equal(o.dropped, 0);
            assert_int_equal(o.status_hr, S_OK);
            assert_int_equal(o.status_n, 4);
            assert_false(o.has_err);
            break;
        }
        if (FAILED(hr))
            continue; /* the failure surfaced as an error, without a crash or a leak */
        if (o.probe_fired) {
            /* Not a lifecycle allocation: the host reported it and the rest ran clean. */
            assert_int_equal(o.status_hr, MAPI_E_NOT_ENOUGH_MEMORY);
            assert_int_equal(o.status_n, 0);
            assert_int_equal(o.dropped, 0);
            continue;
        }
        /*
         * The only allocations whose failure may leave the lifecycle successful are the
         * provider's best-effort ones, which testprov reports through testprov_dropped:
         *  - TESTPROV_DROPPED_ERROR: the MAPIERROR of the first, MAPI_E_UNCONFIGURED
         *    Logon. The host configures and retries anyway (HO-7), so the logon succeeds
         *    with its full status row and no MAPIERROR reaches the caller.
         *  - TESTPROV_DROPPED_STATUS: IMAPISupport::ModifyStatusRow inside Logon (LC-20:
         *    not fatal). The logon succeeds and the support has no status row at all:
         *    the failed call must have left nothing half-written.
         * Any other allocation failing must make the lifecycle fail.
         */
        assert_true(o.logged_on);
        assert_false(o.has_err);
        if (o.dropped == TESTPROV_DROPPED_ERROR) {
            assert_int_equal(o.status_hr, S_OK);
            assert_int_equal(o.status_n, 4);
        } else if (o.dropped == TESTPROV_DROPPED_STATUS) {
            assert_int_equal(o.status_hr, MAPI_E_NOT_FOUND);
            assert_int_equal(o.status_n, 0);
        } else {
            fail_msg("allocation %lu failed, yet the lifecycle succeeded (dropped=0x%x)", n,
                     o.dropped);
        }
        tolerated++;
    }
    print_message("lifecycle walk: %lu allocation points failed in turn, %u best-effort\n", n,
                  tolerated);
    assert_true(n > 10);
    assert_true(n < 10000);
    /* The walk did reach both best-effort steps (2 + 3 allocations today). */
    assert_true(tolerated >= 2);
}

struct thread_arg {
    host_session *s;
    host_provider *prov;
    int failures;
};

static void *logon_loop(void *argp)
{
    struct thread_arg *a = argp;
    host_profile *prof = NULL;
    if (FAILED(host_profile_new("T", NULL, &prof))) {
        a->failures++;
        return NULL;
    }
    for (int i = 0; i < 100; i++) {
        host_logon *l = NULL;
        if (FAILED(host_session_logon(a->s, a->prov, prof, 0, &l, NULL)) ||
            FAILED(host_session_logoff(l)))
            a->failures++;
    }
    host_profile_release(prof);
    return NULL;
}

static void test_concurrent_logons_on_one_session(void **state)
{
    host_provider *prov = NULL;
    host_session *s = NULL;
    pthread_t t1, t2;
    assert_int_equal(host_provider_load(TESTPROV_OK_PATH, NULL, &prov, NULL), S_OK);
    assert_int_equal(host_session_new(NULL, &s), S_OK);
    struct thread_arg a = { s, prov, 0 }, b = { s, prov, 0 };
    assert_int_equal(pthread_create(&t1, NULL, logon_loop, &a), 0);
    assert_int_equal(pthread_create(&t2, NULL, logon_loop, &b), 0);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    assert_int_equal(a.failures + b.failures, 0);
    assert_int_equal(host_session_live_supports(s), 0);
    host_session_free(s);
    host_provider_release(prov);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HOST_TEST(test_logon_logoff_follows_lc38_order_and_refcounts),
        HOST_TEST(test_unicode_logon_passes_utf16_profile_name),
        HOST_TEST(test_bad_path_reports_dlerror),
        HOST_TEST(test_missing_entry_point_is_not_found),
        HOST_TEST(test_bad_version_releases_provider),
        HOST_TEST(test_unconfigured_runs_service_entry_then_retries_once),
        HOST_TEST(test_failed_logon_returns_mapierror_and_leaves_no_support),
        HOST_TEST(test_routing_by_uid_across_logons),
        HOST_TEST(test_routed_logon_is_a_reference_that_outlives_logoff),
        HOST_TEST(test_bad_input_to_loader_and_session),
        HOST_TEST(test_fail_every_allocation_of_the_lifecycle),
        HOST_TEST(test_concurrent_logons_on_one_session),
        HOST_TEST(test_routed_calls_race_logoffs_safely),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
