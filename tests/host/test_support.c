/* Unit tests: IMAPISupport (refcounts, profile sections, UIDs, status row, notifications). */
#include <pthread.h>
#include <time.h>
#include <stdatomic.h>
#include "host_test.h"

static host_session *g_s;
static host_profile *g_p;
static LPMAPISUP g_sup;

static int setup(void **state)
{
    host_test_setup(state);
    assert_int_equal(host_session_new(NULL, &g_s), S_OK);
    assert_int_equal(host_profile_new("Sup", NULL, &g_p), S_OK);
    assert_int_equal(host_support_new(g_s, g_p, &g_sup), S_OK);
    return 0;
}

static int teardown(void **state)
{
    if (g_sup)
        assert_int_equal(IMAPISupport_Release(g_sup), 0);
    g_sup = NULL;
    host_profile_release(g_p);
    host_session_free(g_s);
    return host_test_teardown(state);
}

#define SUP_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static void expect_last_error(HRESULT hr, const char *needle)
{
    LPMAPIERROR err = NULL;
    assert_int_equal(IMAPISupport_GetLastError(g_sup, hr, 0, &err), S_OK);
    assert_non_null(err);
    assert_non_null(strstr((char *)err->lpszError, needle));
    assert_string_equal((char *)err->lpszComponent, "ldapab host");
    assert_true(host_mem_is_chained(err, err->lpszError));
    (void)host_MAPIFreeBuffer(err);
}

/* ---- a test advise sink ---- */

typedef struct test_sink {
    IMAPIAdviseSink iface;
    atomic_uint refs;
    int calls;
    ULONG last_count;
    ULONG last_event;
    ULONG ret;
    ULONG_PTR unsubscribe_conn; /* if set, OnNotify re-enters the host with Unsubscribe */
    int probe;                  /* if set, every call checks that no host lock is held */
    int probes;                 /* calls that checked */
    int under_lock;             /* calls that found the session lock held */
} test_sink;

/*
 * Lock probe: a sink that calls back into the host would deadlock if the host held its
 * session lock. Ask from another thread (host_session_subscriptions takes that lock) and
 * wait a while; if it cannot finish, the lock is held by our caller. The blocked thread
 * is joined once the host lets go (probe_finish).
 */
static pthread_t g_probe_thread;
static int g_probe_pending;

static void *probe_main(void *arg)
{
    (void)host_session_subscriptions(arg);
    return NULL;
}

static void sink_probe(test_sink *k)
{
    struct timespec until;
    if (!k->probe)
        return;
    k->probes++;
    if (g_probe_pending) { /* an earlier probe is still stuck: the lock is still held */
        k->under_lock++;
        return;
    }
    assert_int_equal(pthread_create(&g_probe_thread, NULL, probe_main, g_s), 0);
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 2;
    if (pthread_timedjoin_np(g_probe_thread, NULL, &until) != 0) {
        k->under_lock++;
        g_probe_pending = 1;
    }
}

static void probe_finish(void)
{
    if (g_probe_pending)
        pthread_join(g_probe_thread, NULL);
    g_probe_pending = 0;
}

static HRESULT STDMETHODCALLTYPE Sink_QI(IMAPIAdviseSink *This, REFIID riid, LPVOID *ppv)
{
    *ppv = NULL;
    return MAPI_E_INTERFACE_NOT_SUPPORTED;
}
static ULONG STDMETHODCALLTYPE Sink_AddRef(IMAPIAdviseSink *This)
{
    sink_probe((test_sink *)(void *)This);
    return atomic_fetch_add(&((test_sink *)(void *)This)->refs, 1) + 1;
}
static ULONG STDMETHODCALLTYPE Sink_Release(IMAPIAdviseSink *This)
{
    sink_probe((test_sink *)(void *)This);
    return atomic_fetch_sub(&((test_sink *)(void *)This)->refs, 1) - 1;
}
static ULONG STDMETHODCALLTYPE Sink_OnNotify(IMAPIAdviseSink *This, ULONG n, LPNOTIFICATION nots)
{
    test_sink *k = (test_sink *)(void *)This;
    sink_probe(k);
    k->calls++;
    k->last_count = n;
    k->last_event = nots[0].ulEventType;
    if (k->unsubscribe_conn)
        assert_int_equal(IMAPISupport_Unsubscribe(g_sup, k->unsubscribe_conn), S_OK);
    return k->ret;
}
static const IMAPIAdviseSinkVtbl sink_vtbl = { Sink_QI, Sink_AddRef, Sink_Release, Sink_OnNotify };

static void sink_init(test_sink *k)
{
    memset(k, 0, sizeof(*k));
    k->iface.lpVtbl = &sink_vtbl;
    atomic_init(&k->refs, 1);
}

/* ---- tests ---- */

static void test_refcount_and_query_interface(void **state)
{
    void *p = NULL;
    assert_int_equal(host_support_refcount(g_sup), 1);
    assert_int_equal(IMAPISupport_QueryInterface(g_sup, &IID_IMAPISup, &p), S_OK);
    assert_ptr_equal(p, g_sup);
    assert_int_equal(IMAPISupport_QueryInterface(g_sup, &IID_IUnknown, &p), S_OK);
    assert_int_equal(host_support_refcount(g_sup), 3);
    assert_int_equal(IMAPISupport_QueryInterface(g_sup, &IID_IProfSect, &p), MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_null(p);
    assert_int_equal(IMAPISupport_QueryInterface(g_sup, NULL, &p), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPISupport_Release(g_sup), 2);
    assert_int_equal(IMAPISupport_Release(g_sup), 1);
    assert_int_equal(host_support_live_objects(), 1);
    assert_int_equal(host_session_live_supports(g_s), 1);
    assert_int_equal(host_support_refcount(NULL), 0);
    LPMAPISUP x = NULL;
    assert_int_equal(host_support_new(NULL, g_p, &x), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_support_new(g_s, NULL, &x), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_support_new(g_s, g_p, NULL), MAPI_E_INVALID_PARAMETER);
    ULONG n = 0;
    LPSPropValue row = NULL;
    LPMAPIUID uids = NULL;
    assert_int_equal(host_support_status_row(NULL, &n, &row), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_support_status_row(g_sup, NULL, &row), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_support_uids(NULL, &n, &uids), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_support_uids(g_sup, &n, NULL), MAPI_E_INVALID_PARAMETER);
    /* Our query helpers refuse objects that are not host support objects. */
    assert_int_equal(host_support_refcount((LPMAPISUP)(void *)g_p), 0);
}

static void test_get_mem_alloc_routines(void **state)
{
    LPALLOCATEBUFFER a = NULL;
    LPALLOCATEMORE m = NULL;
    LPFREEBUFFER f = NULL;
    assert_int_equal(IMAPISupport_GetMemAllocRoutines(g_sup, &a, &m, &f), S_OK);
    assert_ptr_equal(a, host_MAPIAllocateBuffer);
    assert_ptr_equal(m, host_MAPIAllocateMore);
    assert_ptr_equal(f, host_MAPIFreeBuffer);
    assert_int_equal(IMAPISupport_GetMemAllocRoutines(g_sup, &a, NULL, &f), MAPI_E_INVALID_PARAMETER);
    expect_last_error(MAPI_E_INVALID_PARAMETER, "GetMemAllocRoutines");
}

static void test_open_profile_section_access(void **state)
{
    LPPROFSECT ro = NULL, rw = NULL;
    SPropValue v = { .ulPropTag = PROP_TAG(PT_LONG, 0x6600) };
    v.Value.l = 3;
    assert_int_equal(IMAPISupport_OpenProfileSection(g_sup, NULL, 0, &ro), S_OK);
    assert_int_equal(IProfSect_SetProps(ro, 1, &v, NULL), MAPI_E_NO_ACCESS);
    assert_int_equal(IMAPISupport_OpenProfileSection(g_sup, NULL, MAPI_MODIFY, &rw), S_OK);
    assert_int_equal(IProfSect_SetProps(rw, 1, &v, NULL), S_OK);
    ULONG n = 0;
    LPSPropValue out = NULL;
    assert_int_equal(host_profile_get_props(g_p, NULL, NULL, 0, &n, &out), S_OK);
    assert_int_equal(n, 1);
    assert_int_equal(out[0].Value.l, 3);
    (void)host_MAPIFreeBuffer(out);
    IProfSect_Release(ro);
    IProfSect_Release(rw);
    assert_int_equal(IMAPISupport_OpenProfileSection(g_sup, NULL, 0, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPISupport_OpenProfileSection(g_sup, NULL, 0x1000, &ro), MAPI_E_UNKNOWN_FLAGS);
    MAPIUID u;
    memset(u.ab, 3, 16);
    assert_int_equal(IMAPISupport_OpenProfileSection(g_sup, &u, 0, &ro), MAPI_E_NOT_FOUND);
    expect_last_error(MAPI_E_NOT_FOUND, "MAPI_MODIFY");
}

static void test_set_provider_uid_accumulates(void **state)
{
    MAPIUID a, b;
    ULONG n = 0;
    LPMAPIUID uids = NULL;
    memset(a.ab, 1, 16);
    memset(b.ab, 2, 16);
    assert_int_equal(host_support_uids(g_sup, &n, &uids), S_OK);
    assert_int_equal(n, 0);
    assert_null(uids);
    assert_int_equal(IMAPISupport_SetProviderUID(g_sup, &a, 0), S_OK);
    assert_int_equal(IMAPISupport_SetProviderUID(g_sup, &b, 0), S_OK);
    assert_int_equal(IMAPISupport_SetProviderUID(g_sup, &a, 0), S_OK);
    assert_int_equal(host_support_uids(g_sup, &n, &uids), S_OK);
    assert_int_equal(n, 2);
    assert_memory_equal(uids[0].ab, a.ab, 16);
    assert_memory_equal(uids[1].ab, b.ab, 16);
    (void)host_MAPIFreeBuffer(uids);
    assert_int_equal(IMAPISupport_SetProviderUID(g_sup, NULL, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPISupport_SetProviderUID(g_sup, &a, 1), MAPI_E_UNKNOWN_FLAGS);
    expect_last_error(MAPI_E_UNKNOWN_FLAGS, "SetProviderUID");
    /* Not attached to a logon: nothing routes to it. */
    assert_null(host_session_route(g_s, &a));
}

static void test_new_uid_is_unique(void **state)
{
    MAPIUID u[64];
    for (int i = 0; i < 64; i++)
        assert_int_equal(IMAPISupport_NewUID(g_sup, &u[i]), S_OK);
    for (int i = 0; i < 64; i++)
        for (int j = i + 1; j < 64; j++)
            assert_memory_not_equal(u[i].ab, u[j].ab, 16);
    assert_int_equal(IMAPISupport_NewUID(g_sup, NULL), MAPI_E_INVALID_PARAMETER);
}

static void test_modify_status_row_add_update_replace(void **state)
{
    SPropValue v[3];
    ULONG n = 0;
    LPSPropValue row = NULL;
    memset(v, 0, sizeof(v));
    assert_int_equal(host_support_status_row(g_sup, &n, &row), MAPI_E_NOT_FOUND);
    v[0].ulPropTag = PR_DISPLAY_NAME_A; v[0].Value.lpszA = "LDAP";
    v[1].ulPropTag = PR_STATUS_CODE; v[1].Value.ul = STATUS_AVAILABLE;
    v[2].ulPropTag = PR_RESOURCE_TYPE; v[2].Value.ul = MAPI_AB_PROVIDER;
    assert_int_equal(IMAPISupport_ModifyStatusRow(g_sup, 3, v, 0), S_OK);
    assert_int_equal(host_support_status_row(g_sup, &n, &row), S_OK);
    assert_int_equal(n, 3);
    (void)host_MAPIFreeBuffer(row);

    SPropValue upd[2];
    memset(upd, 0, sizeof(upd));
    upd[0].ulPropTag = PR_STATUS_CODE; upd[0].Value.ul = STATUS_FAILURE;
    upd[1].ulPropTag = PR_STATUS_STRING_A; upd[1].Value.lpszA = "server down";
    assert_int_equal(IMAPISupport_ModifyStatusRow(g_sup, 2, upd, STATUSROW_UPDATE), S_OK);
    assert_int_equal(host_support_status_row(g_sup, &n, &row), S_OK);
    assert_int_equal(n, 4);
    assert_int_equal(host_prop_find(n, row, PR_STATUS_CODE)->Value.ul, STATUS_FAILURE);
    assert_string_equal(host_prop_find(n, row, PR_DISPLAY_NAME_A)->Value.lpszA, "LDAP");
    assert_string_equal(host_prop_find(n, row, PR_STATUS_STRING_A)->Value.lpszA, "server down");
    (void)host_MAPIFreeBuffer(row);

    assert_int_equal(IMAPISupport_ModifyStatusRow(g_sup, 1, upd, 0), S_OK); /* replaces */
    assert_int_equal(host_support_status_row(g_sup, &n, &row), S_OK);
    assert_int_equal(n, 1);
    (void)host_MAPIFreeBuffer(row);

    assert_int_equal(IMAPISupport_ModifyStatusRow(g_sup, 0, upd, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPISupport_ModifyStatusRow(g_sup, 1, NULL, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPISupport_ModifyStatusRow(g_sup, 1, upd, 0x1), MAPI_E_UNKNOWN_FLAGS);

    /* Out of memory at any step leaves the previous row in place. */
    for (unsigned long k = 0;; k++) {
        host_mem_fail_after(k);
        HRESULT hr = IMAPISupport_ModifyStatusRow(g_sup, 3, v, STATUSROW_UPDATE);
        int fired = !host_mem_fail_pending();
        host_mem_fail_never();
        if (!fired) {
            assert_int_equal(hr, S_OK);
            break;
        }
        assert_int_equal(hr, MAPI_E_NOT_ENOUGH_MEMORY);
        assert_int_equal(host_support_status_row(g_sup, &n, &row), S_OK);
        assert_int_equal(n, 1);
        (void)host_MAPIFreeBuffer(row);
    }
}

static void test_subscribe_notify_unsubscribe(void **state)
{
    test_sink k, other;
    struct { ULONG cb; BYTE ab[4]; } key = { 4, { 1, 2, 3, 4 } }, key2 = { 4, { 9, 9, 9, 9 } };
    ULONG_PTR conn = 0, conn2 = 0;
    NOTIFICATION nots[2];
    ULONG flags = 0;
    sink_init(&k);
    sink_init(&other);
    memset(nots, 0, sizeof(nots));
    nots[0].ulEventType = fnevTableModified;
    nots[1].ulEventType = fnevObjectModified;

    assert_int_equal(IMAPISupport_Subscribe(g_sup, (LPNOTIFKEY)&key, fnevObjectModified, 0,
                                            &k.iface, &conn), S_OK);
    assert_int_not_equal(conn, 0);
    assert_int_equal(atomic_load(&k.refs), 2); /* Subscribe AddRefs the sink */
    assert_int_equal(IMAPISupport_Subscribe(g_sup, (LPNOTIFKEY)&key2, fnevObjectModified,
                                            NOTIFY_SYNC, &other.iface, &conn2), S_OK);
    assert_int_equal(host_session_subscriptions(g_s), 2);

    assert_int_equal(IMAPISupport_Notify(g_sup, (LPNOTIFKEY)&key, 2, nots, &flags), S_OK);
    assert_int_equal(k.calls, 1);
    assert_int_equal(k.last_count, 1); /* only what its mask selects */
    assert_int_equal(k.last_event, fnevObjectModified);
    assert_int_equal(other.calls, 0);
    assert_int_equal(flags, 0);
    /* Nothing in the mask: the sink is not called. */
    assert_int_equal(IMAPISupport_Notify(g_sup, (LPNOTIFKEY)&key, 1, nots, &flags), S_OK);
    assert_int_equal(k.calls, 1);

    k.ret = CALLBACK_DISCONTINUE;
    assert_int_equal(IMAPISupport_Notify(g_sup, (LPNOTIFKEY)&key, 2, nots, &flags), S_OK);
    assert_int_equal(flags, NOTIFY_CANCELED);
    k.ret = 0;

    /* A sink may call back into the host from OnNotify (no host lock is held). */
    other.unsubscribe_conn = conn2;
    flags = 0;
    assert_int_equal(IMAPISupport_Notify(g_sup, (LPNOTIFKEY)&key2, 2, nots, &flags), S_OK);
    assert_int_equal(other.calls, 1);
    assert_int_equal(atomic_load(&other.refs), 1);
    assert_int_equal(host_session_subscriptions(g_s), 1);

    assert_int_equal(IMAPISupport_Unsubscribe(g_sup, conn), S_OK);
    assert_int_equal(atomic_load(&k.refs), 1);
    assert_int_equal(IMAPISupport_Unsubscribe(g_sup, conn), MAPI_E_NOT_FOUND);
    expect_last_error(MAPI_E_NOT_FOUND, "Unsubscribe");

    assert_int_equal(IMAPISupport_Subscribe(g_sup, NULL, 1, 0, &k.iface, &conn), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPISupport_Subscribe(g_sup, (LPNOTIFKEY)&key, 0, 0, &k.iface, &conn), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPISupport_Subscribe(g_sup, (LPNOTIFKEY)&key, 1, 0, NULL, &conn), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPISupport_Subscribe(g_sup, (LPNOTIFKEY)&key, 1, 0, &k.iface, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPISupport_Subscribe(g_sup, (LPNOTIFKEY)&key, 1, 1, &k.iface, &conn), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IMAPISupport_Notify(g_sup, NULL, 1, nots, &flags), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPISupport_Notify(g_sup, (LPNOTIFKEY)&key, 0, nots, &flags), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPISupport_Notify(g_sup, (LPNOTIFKEY)&key, 1, nots, NULL), MAPI_E_INVALID_PARAMETER);
    flags = 5;
    assert_int_equal(IMAPISupport_Notify(g_sup, (LPNOTIFKEY)&key, 1, nots, &flags), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(atomic_load(&k.refs), 1);
}

static void test_last_release_drops_uids_row_and_subscriptions(void **state)
{
    test_sink k;
    struct { ULONG cb; BYTE ab[2]; } key = { 2, { 7, 7 } };
    ULONG_PTR conn = 0;
    MAPIUID u;
    SPropValue v = { .ulPropTag = PR_STATUS_CODE };
    sink_init(&k);
    memset(u.ab, 8, 16);
    assert_int_equal(IMAPISupport_SetProviderUID(g_sup, &u, 0), S_OK);
    assert_int_equal(IMAPISupport_ModifyStatusRow(g_sup, 1, &v, 0), S_OK);
    assert_int_equal(IMAPISupport_Subscribe(g_sup, (LPNOTIFKEY)&key, 1, 0, &k.iface, &conn), S_OK);
    assert_int_equal(IMAPISupport_Release(g_sup), 0);
    g_sup = NULL;
    /* HO-5: everything the object held is gone (leak-checked in teardown). */
    assert_int_equal(host_session_live_supports(g_s), 0);
    assert_int_equal(host_session_subscriptions(g_s), 0);
    assert_int_equal(host_session_leaked_subscriptions(g_s), 1);
    assert_int_equal(atomic_load(&k.refs), 1);
}

/* After each host call: join a stuck probe, then demand that none found the lock held. */
#define EXPECT_NO_LOCK_HELD(k)                  \
    do {                                        \
        probe_finish();                         \
        assert_int_equal((k).under_lock, 0);    \
    } while (0)

static void test_no_sink_call_runs_under_the_session_lock(void **state)
{
    test_sink k;
    struct { ULONG cb; BYTE ab[2]; } key = { 2, { 5, 6 } };
    ULONG_PTR conn = 0, conn2 = 0;
    NOTIFICATION note;
    ULONG flags = 0;
    sink_init(&k);
    k.probe = 1;
    memset(&note, 0, sizeof(note));
    note.ulEventType = fnevObjectModified;

    assert_int_equal(IMAPISupport_Subscribe(g_sup, (LPNOTIFKEY)&key, fnevObjectModified, 0,
                                            &k.iface, &conn), S_OK);
    EXPECT_NO_LOCK_HELD(k);
    assert_int_equal(IMAPISupport_Notify(g_sup, (LPNOTIFKEY)&key, 1, &note, &flags), S_OK);
    EXPECT_NO_LOCK_HELD(k);
    assert_int_equal(k.calls, 1);
    assert_int_equal(IMAPISupport_Unsubscribe(g_sup, conn), S_OK);
    EXPECT_NO_LOCK_HELD(k);
    assert_int_equal(atomic_load(&k.refs), 1);

    /* A subscription the support still holds at its last Release, with every host
     * allocation failing: the sink is still released, outside the lock, and the
     * release path needs no memory at all. */
    assert_int_equal(IMAPISupport_Subscribe(g_sup, (LPNOTIFKEY)&key, fnevObjectModified, 0,
                                            &k.iface, &conn2), S_OK);
    EXPECT_NO_LOCK_HELD(k);
    host_mem_fail_after(0);
    assert_int_equal(IMAPISupport_Release(g_sup), 0);
    g_sup = NULL;
    int fired = !host_mem_fail_pending();
    host_mem_fail_never();
    EXPECT_NO_LOCK_HELD(k);
    assert_false(fired);
    assert_int_equal(atomic_load(&k.refs), 1);
    assert_int_equal(host_session_subscriptions(g_s), 0);
    assert_int_equal(host_session_leaked_subscriptions(g_s), 1);
    assert_true(k.probes >= 5); /* AddRef, OnNotify, Release, AddRef, Release */
}

static void test_modify_status_row_refuses_a_count_no_row_can_hold(void **state)
{
    SPropValue v;
    ULONG n = 0;
    LPSPropValue row = NULL;
    memset(&v, 0, sizeof(v));
    v.ulPropTag = PR_STATUS_CODE;
    v.Value.ul = STATUS_AVAILABLE;
    assert_int_equal(IMAPISupport_ModifyStatusRow(g_sup, 1, &v, 0), S_OK);
    /* Only one value is really there: the count must be refused before any is read. */
    assert_int_equal(IMAPISupport_ModifyStatusRow(g_sup, 0x20000000, &v, STATUSROW_UPDATE),
                     MAPI_E_NOT_ENOUGH_MEMORY);
    assert_int_equal(IMAPISupport_ModifyStatusRow(g_sup, 0xFFFFFFFF, &v, 0),
                     MAPI_E_NOT_ENOUGH_MEMORY);
    expect_last_error(MAPI_E_NOT_ENOUGH_MEMORY, "ModifyStatusRow");
    assert_int_equal(host_support_status_row(g_sup, &n, &row), S_OK);
    assert_int_equal(n, 1); /* the old row stays */
    (void)host_MAPIFreeBuffer(row);
}

static void test_prepare_recips_refuses_a_list_no_sub_list_can_hold(void **state)
{
    /* One real entry behind a cEntries whose sub-list would need more than 4 GiB. */
    ADRLIST *list = must_alloc(CbNewADRLIST(1));
    memset(list, 0, CbNewADRLIST(1));
    list->cEntries = 0x10000000;
    assert_int_equal(host_session_prepare_recips(g_s, 0, NULL, list), MAPI_E_NOT_ENOUGH_MEMORY);
    list->cEntries = 1;
    assert_int_equal(host_session_prepare_recips(g_s, 0, NULL, list), S_OK);
    host_FreePadrlist(list);
}

static void test_unsupported_methods_say_which(void **state)
{
    ULONG cb = 9, ul = 0;
    LPENTRYID eid = (LPENTRYID)1;
    void *p = (void *)1;
    struct { HRESULT hr; const char *name; } r[] = {
        { IMAPISupport_RegisterPreprocessor(g_sup, NULL, NULL, NULL, NULL, NULL, 0), "RegisterPreprocessor" },
        { IMAPISupport_MakeInvalid(g_sup, 0, NULL, 0, 0), "MakeInvalid" },
        { IMAPISupport_SpoolerYield(g_sup, 0), "SpoolerYield" },
        { IMAPISupport_SpoolerNotify(g_sup, 0, NULL), "SpoolerNotify" },
        { IMAPISupport_CreateOneOff(g_sup, NULL, NULL, NULL, 0, &cb, &eid), "CreateOneOff" },
        { IMAPISupport_OpenTemplateID(g_sup, 0, NULL, 0, NULL, NULL, (LPMAPIPROP *)&p, NULL), "OpenTemplateID" },
        { IMAPISupport_GetOneOffTable(g_sup, 0, NULL), "GetOneOffTable" },
        { IMAPISupport_Address(g_sup, NULL, NULL, NULL), "Address" },
        { IMAPISupport_Details(g_sup, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, 0), "Details" },
        { IMAPISupport_NewEntry(g_sup, 0, 0, 0, NULL, 0, NULL, NULL, NULL), "NewEntry" },
        { IMAPISupport_DoConfigPropsheet(g_sup, 0, 0, NULL, NULL, NULL, 0), "DoConfigPropsheet" },
        { IMAPISupport_CopyMessages(g_sup, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0), "CopyMessages" },
        { IMAPISupport_CopyFolder(g_sup, NULL, NULL, 0, NULL, NULL, NULL, NULL, 0, NULL, 0), "CopyFolder" },
        { IMAPISupport_DoCopyTo(g_sup, NULL, NULL, 0, NULL, NULL, 0, NULL, NULL, NULL, 0, NULL), "DoCopyTo" },
        { IMAPISupport_DoCopyProps(g_sup, NULL, NULL, NULL, 0, NULL, NULL, NULL, 0, NULL), "DoCopyProps" },
        { IMAPISupport_DoProgressDialog(g_sup, 0, 0, NULL), "DoProgressDialog" },
        { IMAPISupport_ReadReceipt(g_sup, 0, NULL, NULL), "ReadReceipt" },
        { IMAPISupport_PrepareSubmit(g_sup, NULL, &ul), "PrepareSubmit" },
        { IMAPISupport_ExpandRecips(g_sup, NULL, &ul), "ExpandRecips" },
        { IMAPISupport_UpdatePAB(g_sup, 0, NULL), "UpdatePAB" },
        { IMAPISupport_DoSentMail(g_sup, 0, NULL), "DoSentMail" },
        { IMAPISupport_OpenAddressBook(g_sup, NULL, 0, NULL), "OpenAddressBook" },
        { IMAPISupport_Preprocess(g_sup, 0, 0, NULL), "Preprocess" },
        { IMAPISupport_CompleteMsg(g_sup, 0, 0, NULL), "CompleteMsg" },
        { IMAPISupport_StoreLogoffTransports(g_sup, &ul), "StoreLogoffTransports" },
        { IMAPISupport_StatusRecips(g_sup, NULL, NULL), "StatusRecips" },
        { IMAPISupport_WrapStoreEntryID(g_sup, 0, NULL, NULL, NULL), "WrapStoreEntryID" },
        { IMAPISupport_ModifyProfile(g_sup, 0), "ModifyProfile" },
        { IMAPISupport_IStorageFromStream(g_sup, NULL, NULL, 0, NULL), "IStorageFromStream" },
        { IMAPISupport_GetSvcConfigSupportObj(g_sup, 0, NULL), "GetSvcConfigSupportObj" },
    };
    /* Initializers run in no fixed order: check the codes, then one text per call below. */
    for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
        assert_int_equal(r[i].hr, MAPI_E_NO_SUPPORT);
    assert_int_equal(cb, 0);
    assert_null(eid);
    assert_null(p);
    for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
        assert_non_null(r[i].name);
    assert_int_equal(IMAPISupport_SpoolerYield(g_sup, 0), MAPI_E_NO_SUPPORT);
    expect_last_error(MAPI_E_NO_SUPPORT, "SpoolerYield");
    assert_int_equal(IMAPISupport_GetSvcConfigSupportObj(g_sup, 0, NULL), MAPI_E_NO_SUPPORT);
    expect_last_error(MAPI_E_NO_SUPPORT, "GetSvcConfigSupportObj");
    assert_int_equal(IMAPISupport_MakeInvalid(g_sup, 0, NULL, 0, 0), MAPI_E_NO_SUPPORT);
    expect_last_error(MAPI_E_NO_SUPPORT, "MakeInvalid is not supported by this host");
    LPMAPIERROR err = NULL;
    assert_int_equal(IMAPISupport_GetLastError(g_sup, MAPI_E_NO_SUPPORT, MAPI_UNICODE, &err), S_OK);
    assert_true(host_utf16_eq_utf8((WCHAR *)err->lpszError,
                                   "IMAPISupport::MakeInvalid is not supported by this host"));
    (void)host_MAPIFreeBuffer(err);
    assert_int_equal(IMAPISupport_GetLastError(g_sup, MAPI_E_NO_SUPPORT, 0x1, &err), MAPI_E_UNKNOWN_FLAGS);
}

static void test_routing_without_logons(void **state)
{
    BYTE eid[24] = { 0 };
    ULONG type = 0, res = 0;
    LPUNKNOWN unk = NULL;
    assert_int_equal(IMAPISupport_OpenEntry(g_sup, 24, (LPENTRYID)eid, NULL, 0, &type, &unk),
                     MAPI_E_UNKNOWN_ENTRYID);
    assert_int_equal(IMAPISupport_OpenEntry(g_sup, 10, (LPENTRYID)eid, NULL, 0, &type, &unk),
                     MAPI_E_INVALID_ENTRYID);
    assert_int_equal(IMAPISupport_OpenEntry(g_sup, 24, (LPENTRYID)eid, NULL, 0, NULL, &unk),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPISupport_CompareEntryIDs(g_sup, 24, (LPENTRYID)eid, 24, (LPENTRYID)eid,
                                                  0, &res), MAPI_E_UNKNOWN_ENTRYID);
    assert_int_equal(IMAPISupport_CompareEntryIDs(g_sup, 24, (LPENTRYID)eid, 24, (LPENTRYID)eid,
                                                  0, NULL), MAPI_E_INVALID_PARAMETER);
}

static void *notify_loop(void *arg)
{
    test_sink *k = arg;
    struct { ULONG cb; BYTE ab[sizeof(void *)]; } key;
    NOTIFICATION n;
    key.cb = sizeof(void *);
    memcpy(key.ab, &k, sizeof(void *)); /* one key per thread */
    memset(&n, 0, sizeof(n));
    n.ulEventType = fnevObjectCreated;
    for (int i = 0; i < 500; i++) {
        ULONG_PTR conn = 0;
        ULONG flags = 0;
        if (FAILED(IMAPISupport_Subscribe(g_sup, (LPNOTIFKEY)&key, fnevObjectCreated, 0,
                                          &k->iface, &conn)) ||
            FAILED(IMAPISupport_Notify(g_sup, (LPNOTIFKEY)&key, 1, &n, &flags)) ||
            FAILED(IMAPISupport_Unsubscribe(g_sup, conn)))
            return (void *)1;
    }
    return NULL;
}

/* HO-8: the support object is called from several threads at once. */
static void test_two_threads_subscribe_notify_unsubscribe(void **state)
{
    test_sink a, b;
    pthread_t t1, t2;
    void *r1, *r2;
    sink_init(&a);
    sink_init(&b);
    assert_int_equal(pthread_create(&t1, NULL, notify_loop, &a), 0);
    assert_int_equal(pthread_create(&t2, NULL, notify_loop, &b), 0);
    pthread_join(t1, &r1);
    pthread_join(t2, &r2);
    assert_null(r1);
    assert_null(r2);
    assert_int_equal(a.calls, 500);
    assert_int_equal(b.calls, 500);
    assert_int_equal(atomic_load(&a.refs), 1);
    assert_int_equal(host_session_subscriptions(g_s), 0);
}

int main(void)
{
    (void)test_modify_status_row_refuses_a_count_no_row_can_hold;
    const struct CMUnitTest tests[] = {
        SUP_TEST(test_refcount_and_query_interface),
        SUP_TEST(test_get_mem_alloc_routines),
        SUP_TEST(test_open_profile_section_access),
        SUP_TEST(test_set_provider_uid_accumulates),
        SUP_TEST(test_new_uid_is_unique),
        SUP_TEST(test_modify_status_row_add_update_replace),
        SUP_TEST(test_subscribe_notify_unsubscribe),
        SUP_TEST(test_last_release_drops_uids_row_and_subscriptions),
        SUP_TEST(test_no_sink_call_runs_under_the_session_lock),

        SUP_TEST(test_prepare_recips_refuses_a_list_no_sub_list_can_hold),
        SUP_TEST(test_unsupported_methods_say_which),
        SUP_TEST(test_routing_without_logons),
        SUP_TEST(test_two_threads_subscribe_notify_unsubscribe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
