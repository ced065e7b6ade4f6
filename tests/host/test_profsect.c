/* Unit tests: in-memory profile and IProfSect. */
#include <pthread.h>
#include <stdio.h>
#include "host_test.h"

#define TAG_LONG  PROP_TAG(PT_LONG, 0x6700)
#define TAG_STR_A PROP_TAG(PT_STRING8, 0x6701)
#define TAG_STR_W PROP_TAG(PT_UNICODE, 0x6701)
#define TAG_BIN   PROP_TAG(PT_BINARY, 0x6702)
#define TAG_PW_W  PROP_TAG(PT_UNICODE, 0x67F0)

static host_profile *g_prof;

static int setup(void **state)
{
    host_test_setup(state);
    assert_int_equal(host_profile_new("Test", NULL, &g_prof), S_OK);
    return 0;
}

static int teardown(void **state)
{
    host_profile_release(g_prof);
    g_prof = NULL;
    return host_test_teardown(state);
}

#define PS_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static LPPROFSECT open_own(ULONG flags)
{
    LPPROFSECT ps = NULL;
    assert_int_equal(host_profile_open_section(g_prof, NULL, flags, &ps), S_OK);
    return ps;
}

static LPSPropTagArray tags_of(ULONG n, const ULONG *t)
{
    LPSPropTagArray a = NULL;
    assert_int_equal(host_tag_array_new(n, t, &a), S_OK);
    return a;
}

static void test_refcount_and_query_interface(void **state)
{
    LPPROFSECT ps = open_own(0);
    void *p = NULL;
    assert_int_equal(host_profsect_refcount(ps), 1);
    assert_int_equal(IProfSect_QueryInterface(ps, &IID_IProfSect, &p), S_OK);
    assert_int_equal(IProfSect_QueryInterface(ps, &IID_IMAPIProp, &p), S_OK);
    assert_int_equal(IProfSect_QueryInterface(ps, &IID_IUnknown, &p), S_OK);
    assert_int_equal(host_profsect_refcount(ps), 4);
    assert_int_equal(IProfSect_QueryInterface(ps, &IID_IMAPITable, &p), MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_null(p);
    assert_int_equal(IProfSect_QueryInterface(ps, &IID_IUnknown, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IProfSect_Release(ps), 3);
    assert_int_equal(IProfSect_Release(ps), 2);
    assert_int_equal(IProfSect_Release(ps), 1);
    assert_int_equal(host_profsect_live_objects(), 1);
    assert_int_equal(IProfSect_Release(ps), 0);
    assert_int_equal(host_profsect_refcount(NULL), 0);
}

static void test_setprops_copies_and_getprops_reads_back(void **state)
{
    LPPROFSECT ps = open_own(MAPI_MODIFY);
    char buf[] = "server.example.com";
    BYTE bytes[] = { 1, 2, 3 };
    SPropValue v[3];
    memset(v, 0, sizeof(v));
    v[0].ulPropTag = TAG_LONG; v[0].Value.l = 389;
    v[1].ulPropTag = TAG_STR_A; v[1].Value.lpszA = buf;
    v[2].ulPropTag = TAG_BIN; v[2].Value.bin.cb = 3; v[2].Value.bin.lpb = bytes;
    LPSPropProblemArray probs = (LPSPropProblemArray)1;
    assert_int_equal(IProfSect_SetProps(ps, 3, v, &probs), S_OK);
    assert_null(probs);
    buf[0] = 'X';
    bytes[0] = 9;

    ULONG want[] = { TAG_BIN, TAG_STR_A, TAG_LONG };
    LPSPropTagArray t = tags_of(3, want);
    ULONG n = 0;
    LPSPropValue out = NULL;
    assert_int_equal(IProfSect_GetProps(ps, t, 0, &n, &out), S_OK);
    assert_int_equal(n, 3);
    assert_int_equal(out[0].Value.bin.lpb[0], 1);
    assert_string_equal(out[1].Value.lpszA, "server.example.com");
    assert_int_equal(out[2].Value.l, 389);
    assert_true(host_mem_is_chained(out, out[1].Value.lpszA));
    (void)host_MAPIFreeBuffer(out);
    (void)host_MAPIFreeBuffer(t);
    IProfSect_Release(ps);
}

static void test_getprops_all_unspecified_and_string_width(void **state)
{
    LPPROFSECT ps = open_own(MAPI_MODIFY);
    SPropValue v[2];
    memset(v, 0, sizeof(v));
    v[0].ulPropTag = TAG_LONG; v[0].Value.l = 1;
    v[1].ulPropTag = TAG_STR_A; v[1].Value.lpszA = "caf\xC3\xA9";
    assert_int_equal(IProfSect_SetProps(ps, 2, v, NULL), S_OK);
    ULONG n = 0;
    LPSPropValue out = NULL;
    /* NULL = every property; with MAPI_UNICODE strings come back as PT_UNICODE. */
    assert_int_equal(IProfSect_GetProps(ps, NULL, MAPI_UNICODE, &n, &out), S_OK);
    assert_int_equal(n, 2);
    LPSPropValue s = host_prop_find(n, out, TAG_STR_W);
    assert_non_null(s);
    assert_true(host_utf16_eq_utf8(s->Value.lpszW, "caf\xC3\xA9"));
    (void)host_MAPIFreeBuffer(out);
    assert_int_equal(IProfSect_GetProps(ps, NULL, 0, &n, &out), S_OK);
    assert_non_null(host_prop_find(n, out, TAG_STR_A));
    (void)host_MAPIFreeBuffer(out);

    ULONG want[] = { PROP_TAG(PT_UNSPECIFIED, 0x6700), PROP_TAG(PT_UNSPECIFIED, 0x6701), TAG_STR_W };
    LPSPropTagArray t = tags_of(3, want);
    assert_int_equal(IProfSect_GetProps(ps, t, 0, &n, &out), S_OK);
    assert_int_equal(out[0].ulPropTag, TAG_LONG);
    assert_int_equal(out[1].ulPropTag, TAG_STR_A);
    assert_int_equal(out[2].ulPropTag, TAG_STR_W);
    (void)host_MAPIFreeBuffer(out);
    assert_int_equal(IProfSect_GetProps(ps, t, MAPI_UNICODE, &n, &out), S_OK);
    assert_int_equal(out[1].ulPropTag, TAG_STR_W);
    (void)host_MAPIFreeBuffer(out);
    (void)host_MAPIFreeBuffer(t);
    IProfSect_Release(ps);
}

static void test_missing_properties_are_pt_error_with_id_kept(void **state)
{
    LPPROFSECT ps = open_own(MAPI_MODIFY);
    SPropValue v = { .ulPropTag = TAG_LONG };
    v.Value.l = 5;
    assert_int_equal(IProfSect_SetProps(ps, 1, &v, NULL), S_OK);
    ULONG want[] = { TAG_LONG, TAG_BIN, PROP_TAG(PT_LONG, 0x6701) };
    LPSPropTagArray t = tags_of(3, want);
    ULONG n = 0;
    LPSPropValue out = NULL;
    assert_int_equal(IProfSect_GetProps(ps, t, 0, &n, &out), MAPI_W_ERRORS_RETURNED);
    assert_int_equal(n, 3);
    assert_int_equal(out[0].Value.l, 5);
    assert_int_equal(out[1].ulPropTag, PROP_TAG(PT_ERROR, 0x6702));
    assert_int_equal(out[1].Value.err, MAPI_E_NOT_FOUND);
    assert_int_equal(out[2].ulPropTag, PROP_TAG(PT_ERROR, 0x6701));
    (void)host_MAPIFreeBuffer(out);
    (void)host_MAPIFreeBuffer(t);
    IProfSect_Release(ps);
}

static void test_setprops_replaces_by_id_and_reports_problems(void **state)
{
    LPPROFSECT ps = open_own(MAPI_MODIFY);
    SPropValue v[4];
    memset(v, 0, sizeof(v));
    v[0].ulPropTag = TAG_STR_A; v[0].Value.lpszA = "old";
    assert_int_equal(IProfSect_SetProps(ps, 1, v, NULL), S_OK);
    v[0].ulPropTag = PROP_TAG(PT_LONG, 0x6701); v[0].Value.l = 7;     /* same ID, new type */
    v[1].ulPropTag = PROP_TAG(PT_ERROR, 0x6703); v[1].Value.err = 1;  /* not storable */
    v[2].ulPropTag = PROP_TAG(PT_LONG, 0);                            /* bad ID */
    v[3].ulPropTag = TAG_BIN;
    LPSPropProblemArray probs = NULL;
    assert_int_equal(IProfSect_SetProps(ps, 4, v, &probs), S_OK);
    assert_non_null(probs);
    assert_int_equal(probs->cProblem, 2);
    assert_int_equal(probs->aProblem[0].ulIndex, 1);
    assert_int_equal(probs->aProblem[0].scode, MAPI_E_INVALID_TYPE);
    assert_int_equal(probs->aProblem[1].ulIndex, 2);
    assert_int_equal(probs->aProblem[1].ulPropTag, PROP_TAG(PT_LONG, 0));
    (void)host_MAPIFreeBuffer(probs);
    LPSPropTagArray list = NULL;
    assert_int_equal(IProfSect_GetPropList(ps, 0, &list), S_OK);
    assert_int_equal(list->cValues, 2);
    assert_int_equal(list->aulPropTag[0], PROP_TAG(PT_LONG, 0x6701));
    assert_int_equal(list->aulPropTag[1], TAG_BIN);
    (void)host_MAPIFreeBuffer(list);
    IProfSect_Release(ps);
}

static void test_setprops_refuses_counts_no_problem_array_can_hold(void **state)
{
    /* 0x20000000 problems of 12 bytes would need 6 GiB; only one value is really there,
     * so the count must be refused before any value is read or copied. */
    LPPROFSECT ps = open_own(MAPI_MODIFY);
    SPropValue v;
    LPSPropProblemArray probs = (LPSPropProblemArray)1;
    memset(&v, 0, sizeof(v));
    v.ulPropTag = TAG_LONG;
    v.Value.l = 1;
    assert_int_equal(IProfSect_SetProps(ps, 0x20000000, &v, &probs), MAPI_E_NOT_ENOUGH_MEMORY);
    assert_null(probs);
    assert_int_equal(host_profile_set_props(g_prof, NULL, 0xFFFFFFFF, &v),
                     MAPI_E_NOT_ENOUGH_MEMORY);
    /* Nothing was stored. */
    LPSPropTagArray list = NULL;
    assert_int_equal(IProfSect_GetPropList(ps, 0, &list), S_OK);
    assert_int_equal(list->cValues, 0);
    (void)host_MAPIFreeBuffer(list);
    IProfSect_Release(ps);
}

static void test_deleteprops_and_getproplist(void **state)
{
    LPPROFSECT ps = open_own(MAPI_MODIFY);
    SPropValue v[2];
    memset(v, 0, sizeof(v));
    v[0].ulPropTag = TAG_LONG;
    v[1].ulPropTag = TAG_STR_W; v[1].Value.lpszW = (LPWSTR)(const WCHAR[]){ 'w', 0 };
    assert_int_equal(IProfSect_SetProps(ps, 2, v, NULL), S_OK);
    LPSPropTagArray list = NULL;
    assert_int_equal(IProfSect_GetPropList(ps, MAPI_UNICODE, &list), S_OK);
    assert_int_equal(list->aulPropTag[1], TAG_STR_W);
    (void)host_MAPIFreeBuffer(list);
    assert_int_equal(IProfSect_GetPropList(ps, 0, &list), S_OK);
    assert_int_equal(list->aulPropTag[1], TAG_STR_A);
    (void)host_MAPIFreeBuffer(list);
    ULONG del[] = { TAG_LONG, TAG_BIN };
    LPSPropTagArray t = tags_of(2, del);
    LPSPropProblemArray probs = (LPSPropProblemArray)1;
    assert_int_equal(IProfSect_DeleteProps(ps, t, &probs), S_OK);
    assert_null(probs);
    assert_int_equal(IProfSect_GetPropList(ps, 0, &list), S_OK);
    assert_int_equal(list->cValues, 1);
    (void)host_MAPIFreeBuffer(list);
    (void)host_MAPIFreeBuffer(t);
    IProfSect_Release(ps);
}

static void test_read_only_section_refuses_writes(void **state)
{
    LPPROFSECT ps = open_own(0);
    SPropValue v = { .ulPropTag = TAG_LONG };
    ULONG del[] = { TAG_LONG };
    LPSPropTagArray t = tags_of(1, del);
    LPMAPIERROR err = NULL;
    assert_int_equal(IProfSect_SetProps(ps, 1, &v, NULL), MAPI_E_NO_ACCESS);
    assert_int_equal(IProfSect_GetLastError(ps, MAPI_E_NO_ACCESS, 0, &err), S_OK);
    assert_non_null(strstr((char *)err->lpszError, "MAPI_MODIFY"));
    assert_int_equal(err->ulVersion, MAPI_ERROR_VERSION);
    (void)host_MAPIFreeBuffer(err);
    assert_int_equal(IProfSect_GetLastError(ps, MAPI_E_NO_ACCESS, MAPI_UNICODE, &err), S_OK);
    assert_true(host_utf16_eq_utf8((WCHAR *)err->lpszComponent, "ldapab host"));
    (void)host_MAPIFreeBuffer(err);
    assert_int_equal(IProfSect_DeleteProps(ps, t, NULL), MAPI_E_NO_ACCESS);
    (void)host_MAPIFreeBuffer(t);
    IProfSect_Release(ps);
}

static void test_bad_input_and_unsupported_methods(void **state)
{
    LPPROFSECT ps = open_own(MAPI_MODIFY);
    ULONG n = 0;
    LPSPropValue out = NULL;
    LPSPropTagArray list = NULL;
    LPSPropTagArray empty = tags_of(0, NULL);
    LPMAPIERROR err = NULL;
    LPUNKNOWN unk = NULL;
    assert_int_equal(IProfSect_GetProps(ps, NULL, 0, NULL, &out), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IProfSect_GetProps(ps, NULL, 0, &n, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IProfSect_GetProps(ps, NULL, 0x1, &n, &out), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IProfSect_GetProps(ps, empty, 0, &n, &out), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IProfSect_GetPropList(ps, 0, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IProfSect_GetPropList(ps, 0x2, &list), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IProfSect_SetProps(ps, 1, NULL, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IProfSect_DeleteProps(ps, NULL, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IProfSect_SaveChanges(ps, KEEP_OPEN_READWRITE), S_OK);
    assert_int_equal(IProfSect_SaveChanges(ps, 0x100), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IProfSect_GetLastError(ps, MAPI_E_NO_SUPPORT, 0, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IProfSect_GetLastError(ps, MAPI_E_NO_SUPPORT, 1, &err), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IProfSect_OpenProperty(ps, TAG_LONG, &IID_IUnknown, 0, 0, &unk), MAPI_E_NO_SUPPORT);
    assert_null(unk);
    assert_int_equal(IProfSect_GetLastError(ps, MAPI_E_NO_SUPPORT, 0, &err), S_OK);
    assert_non_null(strstr((char *)err->lpszError, "OpenProperty"));
    (void)host_MAPIFreeBuffer(err);
    assert_int_equal(IProfSect_CopyTo(ps, 0, NULL, NULL, 0, NULL, NULL, NULL, 0, NULL), MAPI_E_NO_SUPPORT);
    assert_int_equal(IProfSect_CopyProps(ps, NULL, 0, NULL, NULL, NULL, 0, NULL), MAPI_E_NO_SUPPORT);
    assert_int_equal(IProfSect_GetNamesFromIDs(ps, NULL, NULL, 0, &n, NULL), MAPI_E_NO_SUPPORT);
    assert_int_equal(IProfSect_GetIDsFromNames(ps, 0, NULL, 0, &list), MAPI_E_NO_SUPPORT);
    /* GetLastError for a code that was not the last failure: no information. */
    assert_int_equal(IProfSect_GetLastError(ps, MAPI_E_CALL_FAILED, 0, &err), S_OK);
    assert_null(err);
    (void)host_MAPIFreeBuffer(empty);
    IProfSect_Release(ps);
}

static void test_sections_by_uid_and_profile_api(void **state)
{
    MAPIUID other;
    LPPROFSECT ps = NULL, a = NULL, b = NULL;
    memset(other.ab, 0x42, 16);
    assert_int_equal(host_profile_open_section(g_prof, &other, 0, &ps), MAPI_E_NOT_FOUND);
    assert_int_equal(host_profile_open_section(g_prof, &other, MAPI_MODIFY, &a), S_OK);
    assert_int_equal(host_profile_open_section(g_prof, &other, 0, &b), S_OK);
    assert_int_equal(host_profile_open_section(g_prof, &other, 0x100, &ps), MAPI_E_UNKNOWN_FLAGS);
    SPropValue v = { .ulPropTag = TAG_LONG };
    v.Value.l = 11;
    assert_int_equal(IProfSect_SetProps(a, 1, &v, NULL), S_OK);
    ULONG n = 0;
    LPSPropValue out = NULL;
    assert_int_equal(IProfSect_GetProps(b, NULL, 0, &n, &out), S_OK); /* same data */
    assert_int_equal(n, 1);
    assert_int_equal(out[0].Value.l, 11);
    (void)host_MAPIFreeBuffer(out);
    IProfSect_Release(a);
    IProfSect_Release(b);
    /* The own section is separate and empty. */
    assert_int_equal(host_profile_get_props(g_prof, NULL, NULL, 0, &n, &out), S_OK);
    assert_int_equal(n, 0);
    (void)host_MAPIFreeBuffer(out);
    assert_int_equal(host_profile_get_props(g_prof, &other, NULL, 0, &n, &out), S_OK);
    assert_int_equal(n, 1);
    (void)host_MAPIFreeBuffer(out);
    MAPIUID bad;
    memset(bad.ab, 0x99, 16);
    assert_int_equal(host_profile_get_props(g_prof, &bad, NULL, 0, &n, &out), MAPI_E_NOT_FOUND);
    SPropValue two[2];
    memset(two, 0, sizeof(two));
    two[0].ulPropTag = PROP_TAG(PT_LONG, 0x6705);
    two[1].ulPropTag = PROP_TAG(PT_ERROR, 0x6706);
    assert_int_equal(host_profile_set_props(g_prof, NULL, 2, two), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_profile_get_props(g_prof, NULL, NULL, 0, &n, &out), S_OK);
    assert_int_equal(n, 0); /* all or nothing */
    (void)host_MAPIFreeBuffer(out);
    assert_int_equal(host_profile_set_props(NULL, NULL, 1, &v), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_profile_new(NULL, NULL, NULL), MAPI_E_INVALID_PARAMETER);
    MAPIUID own, fixed;
    memset(fixed.ab, 7, 16);
    host_profile *p2 = NULL;
    assert_int_equal(host_profile_new(NULL, &fixed, &p2), S_OK);
    assert_string_equal(host_profile_name(p2), "ldapab");
    assert_int_equal(host_profile_own_uid(p2, &own), S_OK);
    assert_memory_equal(own.ab, fixed.ab, 16);
    assert_int_equal(host_profile_own_uid(p2, NULL), MAPI_E_INVALID_PARAMETER);
    host_profile_release(p2);
    host_profile_release(NULL);
    host_profile_dump(NULL, stderr);
    assert_null(host_profile_name(NULL));
    assert_int_equal(host_profile_get_props(NULL, NULL, NULL, 0, &n, &out), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_profile_get_props(g_prof, NULL, NULL, 0, NULL, &out), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_profile_open_section(NULL, NULL, 0, &ps), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_profile_open_section(g_prof, NULL, 0, NULL), MAPI_E_INVALID_PARAMETER);
}

static void test_dump_never_prints_secure_values(void **state)
{
    SPropValue v[2];
    WCHAR *pw = NULL;
    assert_int_equal(host_utf8_to_utf16("s3cret-pass", &pw), S_OK);
    memset(v, 0, sizeof(v));
    v[0].ulPropTag = TAG_PW_W; v[0].Value.lpszW = pw;
    v[1].ulPropTag = TAG_STR_A; v[1].Value.lpszA = "visible";
    assert_int_equal(host_profile_set_props(g_prof, NULL, 2, v), S_OK);
    (void)host_MAPIFreeBuffer(pw);
    char buf[2048] = { 0 };
    FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");
    assert_non_null(f);
    host_profile_dump(g_prof, f);
    fclose(f);
    assert_non_null(strstr(buf, "visible"));
    assert_non_null(strstr(buf, "<secure>"));
    assert_null(strstr(buf, "s3cret"));
}

static void test_setprops_out_of_memory_leaves_section_unchanged(void **state)
{
    LPPROFSECT ps = open_own(MAPI_MODIFY);
    SPropValue v[3];
    memset(v, 0, sizeof(v));
    v[0].ulPropTag = TAG_LONG; v[0].Value.l = 1;
    assert_int_equal(IProfSect_SetProps(ps, 1, v, NULL), S_OK);
    v[0].Value.l = 2;
    v[1].ulPropTag = TAG_STR_A; v[1].Value.lpszA = "abc";
    v[2].ulPropTag = PROP_TAG(PT_ERROR, 0x6709);
    for (unsigned long n = 0;; n++) {
        LPSPropProblemArray probs = NULL;
        host_mem_fail_after(n);
        HRESULT hr = IProfSect_SetProps(ps, 3, v, &probs);
        int fired = !host_mem_fail_pending();
        host_mem_fail_never();
        if (!fired) {
            assert_int_equal(hr, S_OK);
            assert_int_equal(probs->cProblem, 1);
            (void)host_MAPIFreeBuffer(probs);
            break;
        }
        assert_int_equal(hr, MAPI_E_NOT_ENOUGH_MEMORY);
        assert_null(probs);
        ULONG cnt = 0;
        LPSPropValue out = NULL;
        assert_int_equal(IProfSect_GetProps(ps, NULL, 0, &cnt, &out), S_OK);
        assert_int_equal(cnt, 1);
        assert_int_equal(out[0].Value.l, 1);
        (void)host_MAPIFreeBuffer(out);
        assert_int_equal(host_mem_live_blocks(), 1); /* only the stored value */
    }
    IProfSect_Release(ps);
}

static void *rw_loop(void *arg)
{
    LPPROFSECT ps = arg;
    for (int i = 0; i < 2000; i++) {
        SPropValue v = { .ulPropTag = TAG_LONG };
        ULONG n = 0;
        LPSPropValue out = NULL;
        v.Value.l = i;
        if (FAILED(IProfSect_SetProps(ps, 1, &v, NULL)) ||
            FAILED(IProfSect_GetProps(ps, NULL, 0, &n, &out)) || n != 1)
            return (void *)1;
        (void)host_MAPIFreeBuffer(out);
    }
    return NULL;
}

static void test_two_threads_read_and_write_one_section(void **state)
{
    LPPROFSECT a = open_own(MAPI_MODIFY), b = open_own(MAPI_MODIFY);
    pthread_t t1, t2;
    void *r1, *r2;
    assert_int_equal(pthread_create(&t1, NULL, rw_loop, a), 0);
    assert_int_equal(pthread_create(&t2, NULL, rw_loop, b), 0);
    pthread_join(t1, &r1);
    pthread_join(t2, &r2);
    assert_null(r1);
    assert_null(r2);
    IProfSect_Release(a);
    IProfSect_Release(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        PS_TEST(test_refcount_and_query_interface),
        PS_TEST(test_setprops_copies_and_getprops_reads_back),
        PS_TEST(test_getprops_all_unspecified_and_string_width),
        PS_TEST(test_missing_properties_are_pt_error_with_id_kept),
        PS_TEST(test_setprops_replaces_by_id_and_reports_problems),
        PS_TEST(test_setprops_refuses_counts_no_problem_array_can_hold),
        PS_TEST(test_deleteprops_and_getproplist),
        PS_TEST(test_read_only_section_refuses_writes),
        PS_TEST(test_bad_input_and_unsupported_methods),
        PS_TEST(test_sections_by_uid_and_profile_api),
        PS_TEST(test_dump_never_prints_secure_values),
        PS_TEST(test_setprops_out_of_memory_leaves_section_unchanged),
        PS_TEST(test_two_threads_read_and_write_one_section),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
