/* Unit tests: property copy of every type, FreeProws/FreePadrlist, find, tag arrays, UTF. */
#include <sys/mman.h>
#include <unistd.h>
#include "host_test.h"

static const WCHAR W_HELLO[] = { 'h', 'i', 0x00E9, 0 };
static WCHAR w_a[] = { 'a', 0 }, w_b[] = { 'b', 'b', 0 };
static char s_x[] = "x", s_y[] = "yy";
static short mv_i[] = { 1, -2, 3 };
static LONG mv_l[] = { 10, 20 };
static float mv_f[] = { 1.5f };
static double mv_d[] = { 2.25, 3.5 };
static CURRENCY mv_c[1];
static double mv_at[] = { 4.0 };
static FILETIME mv_ft[] = { { 1, 2 }, { 3, 4 } };
static BYTE bin1[] = { 1, 2, 3 }, bin2[] = { 9 };
static SBinary mv_bin[] = { { 3, bin1 }, { 1, bin2 } };
static LPSTR mv_sa[] = { s_x, s_y };
static LPWSTR mv_sw[] = { w_a, w_b };
static GUID guid1 = { 0x11223344, 0x5566, 0x7788, { 1, 2, 3, 4, 5, 6, 7, 8 } };
static GUID mv_g[] = { { 1, 2, 3, { 4 } }, { 5, 6, 7, { 8 } } };
static LARGE_INTEGER mv_li[2];
static char str8[] = "String8 value";
static BYTE bin[] = { 0xDE, 0xAD, 0xBE, 0xEF };

#define NPROPS 28
static void fill_all_types(SPropValue *v)
{
    int i = 0;
    memset(v, 0, NPROPS * sizeof(*v));
    v[i].ulPropTag = PROP_TAG(PT_I2, 0x6000); v[i++].Value.i = -7;
    v[i].ulPropTag = PROP_TAG(PT_LONG, 0x6001); v[i++].Value.l = 123456;
    v[i].ulPropTag = PROP_TAG(PT_R4, 0x6002); v[i++].Value.flt = 1.25f;
    v[i].ulPropTag = PROP_TAG(PT_DOUBLE, 0x6003); v[i++].Value.dbl = 6.5;
    v[i].ulPropTag = PROP_TAG(PT_CURRENCY, 0x6004); v[i++].Value.cur.int64 = 99;
    v[i].ulPropTag = PROP_TAG(PT_APPTIME, 0x6005); v[i++].Value.at = 7.75;
    v[i].ulPropTag = PROP_TAG(PT_ERROR, 0x6006); v[i++].Value.err = MAPI_E_NOT_FOUND;
    v[i].ulPropTag = PROP_TAG(PT_BOOLEAN, 0x6007); v[i++].Value.b = 1;
    v[i].ulPropTag = PROP_TAG(PT_OBJECT, 0x6008); v[i++].Value.x = 0;
    v[i].ulPropTag = PROP_TAG(PT_I8, 0x6009); v[i++].Value.li.QuadPart = -5;
    v[i].ulPropTag = PROP_TAG(PT_STRING8, 0x600A); v[i++].Value.lpszA = str8;
    v[i].ulPropTag = PROP_TAG(PT_UNICODE, 0x600B); v[i++].Value.lpszW = (LPWSTR)W_HELLO;
    v[i].ulPropTag = PROP_TAG(PT_SYSTIME, 0x600C); v[i].Value.ft.dwLowDateTime = 5;
    v[i++].Value.ft.dwHighDateTime = 6;
    v[i].ulPropTag = PROP_TAG(PT_CLSID, 0x600D); v[i++].Value.lpguid = &guid1;
    v[i].ulPropTag = PROP_TAG(PT_BINARY, 0x600E); v[i].Value.bin.cb = 4; v[i++].Value.bin.lpb = bin;
    v[i].ulPropTag = PROP_TAG(PT_NULL, 0x600F); v[i++].Value.x = 0;
    v[i].ulPropTag = PROP_TAG(PT_MV_I2, 0x6010); v[i].Value.MVi.cValues = 3; v[i++].Value.MVi.lpi = mv_i;
    v[i].ulPropTag = PROP_TAG(PT_MV_LONG, 0x6011); v[i].Value.MVl.cValues = 2; v[i++].Value.MVl.lpl = mv_l;
    v[i].ulPropTag = PROP_TAG(PT_MV_R4, 0x6012); v[i].Value.MVflt.cValues = 1; v[i++].Value.MVflt.lpflt = mv_f;
    v[i].ulPropTag = PROP_TAG(PT_MV_DOUBLE, 0x6013); v[i].Value.MVdbl.cValues = 2; v[i++].Value.MVdbl.lpdbl = mv_d;
    v[i].ulPropTag = PROP_TAG(PT_MV_CURRENCY, 0x6014); v[i].Value.MVcur.cValues = 1; v[i++].Value.MVcur.lpcur = mv_c;
    v[i].ulPropTag = PROP_TAG(PT_MV_APPTIME, 0x6015); v[i].Value.MVat.cValues = 1; v[i++].Value.MVat.lpat = mv_at;
    v[i].ulPropTag = PROP_TAG(PT_MV_SYSTIME, 0x6016); v[i].Value.MVft.cValues = 2; v[i++].Value.MVft.lpft = mv_ft;
    v[i].ulPropTag = PROP_TAG(PT_MV_BINARY, 0x6017); v[i].Value.MVbin.cValues = 2; v[i++].Value.MVbin.lpbin = mv_bin;
    v[i].ulPropTag = PROP_TAG(PT_MV_STRING8, 0x6018); v[i].Value.MVszA.cValues = 2; v[i++].Value.MVszA.lppszA = mv_sa;
    v[i].ulPropTag = PROP_TAG(PT_MV_UNICODE, 0x6019); v[i].Value.MVszW.cValues = 2; v[i++].Value.MVszW.lppszW = mv_sw;
    v[i].ulPropTag = PROP_TAG(PT_MV_CLSID, 0x601A); v[i].Value.MVguid.cValues = 2; v[i++].Value.MVguid.lpguid = mv_g;
    v[i].ulPropTag = PROP_TAG(PT_MV_I8, 0x601B); v[i].Value.MVli.cValues = 2; v[i++].Value.MVli.lpli = mv_li;
    assert_int_equal(i, NPROPS);
}

static void test_copy_every_type_into_one_root(void **state)
{
    SPropValue src[NPROPS];
    LPSPropValue c = NULL;
    mv_c[0].int64 = 42;
    mv_li[0].QuadPart = 1;
    mv_li[1].QuadPart = -1;
    fill_all_types(src);
    assert_int_equal(host_props_copy(NPROPS, src, &c), S_OK);
    assert_int_equal(host_mem_live_blocks(), 1);
    for (int i = 0; i < NPROPS; i++)
        assert_int_equal(c[i].ulPropTag, src[i].ulPropTag);
    assert_int_equal(c[0].Value.i, -7);
    assert_int_equal(c[1].Value.l, 123456);
    assert_true(c[2].Value.flt == 1.25f);
    assert_true(c[3].Value.dbl == 6.5);
    assert_int_equal(c[4].Value.cur.int64, 99);
    assert_int_equal(c[6].Value.err, MAPI_E_NOT_FOUND);
    assert_int_equal(c[9].Value.li.QuadPart, -5);
    assert_string_equal(c[10].Value.lpszA, "String8 value");
    assert_ptr_not_equal(c[10].Value.lpszA, str8);
    assert_true(host_mem_is_chained(c, c[10].Value.lpszA));
    assert_memory_equal(c[11].Value.lpszW, W_HELLO, sizeof(W_HELLO));
    assert_true(host_mem_is_chained(c, c[11].Value.lpszW));
    assert_int_equal(c[12].Value.ft.dwHighDateTime, 6);
    assert_memory_equal(c[13].Value.lpguid, &guid1, sizeof(GUID));
    assert_ptr_not_equal(c[13].Value.lpguid, &guid1);
    assert_memory_equal(c[14].Value.bin.lpb, bin, 4);
    assert_true(host_mem_is_chained(c, c[14].Value.bin.lpb));
    assert_memory_equal(c[16].Value.MVi.lpi, mv_i, sizeof(mv_i));
    assert_memory_equal(c[17].Value.MVl.lpl, mv_l, sizeof(mv_l));
    assert_memory_equal(c[19].Value.MVdbl.lpdbl, mv_d, sizeof(mv_d));
    assert_int_equal(c[20].Value.MVcur.lpcur[0].int64, 42);
    assert_memory_equal(c[22].Value.MVft.lpft, mv_ft, sizeof(mv_ft));
    assert_int_equal(c[23].Value.MVbin.lpbin[0].cb, 3);
    assert_memory_equal(c[23].Value.MVbin.lpbin[0].lpb, bin1, 3);
    assert_true(host_mem_is_chained(c, c[23].Value.MVbin.lpbin[1].lpb));
    assert_string_equal(c[24].Value.MVszA.lppszA[1], "yy");
    assert_ptr_not_equal(c[24].Value.MVszA.lppszA[1], s_y);
    assert_true(host_mem_is_chained(c, c[24].Value.MVszA.lppszA[1]));
    assert_memory_equal(c[25].Value.MVszW.lppszW[1], w_b, sizeof(w_b));
    assert_memory_equal(c[26].Value.MVguid.lpguid, mv_g, sizeof(mv_g));
    assert_int_equal(c[27].Value.MVli.lpli[1].QuadPart, -1);
    /* A deep copy: changing the source leaves the copy alone. */
    str8[0] = 's';
    mv_l[0] = 0;
    assert_string_equal(c[10].Value.lpszA, "String8 value");
    assert_int_equal(c[17].Value.MVl.lpl[0], 10);
    str8[0] = 'S';
    mv_l[0] = 10;
    assert_int_equal(host_MAPIFreeBuffer(c), S_OK);
}

static void test_copy_rejects_bad_input(void **state)
{
    SPropValue v = { .ulPropTag = PROP_TAG(0x0999, 0x6000) };
    LPSPropValue c = (LPSPropValue)1;
    assert_int_equal(host_props_copy(1, &v, &c), MAPI_E_INVALID_TYPE);
    assert_null(c);
    assert_int_equal(host_props_copy(1, NULL, &c), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_props_copy(1, &v, NULL), MAPI_E_INVALID_PARAMETER);
    v.ulPropTag = PROP_TAG(PT_BINARY, 0x6000);
    v.Value.bin.cb = 3;
    v.Value.bin.lpb = NULL;
    assert_int_equal(host_props_copy(1, &v, &c), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_props_copy(0, NULL, &c), S_OK);
    assert_non_null(c);
    assert_int_equal(host_MAPIFreeBuffer(c), S_OK);
    assert_int_equal(host_prop_copy_more(NULL, &v, NULL), MAPI_E_INVALID_PARAMETER);
}

static void test_copy_fails_cleanly_at_every_allocation(void **state)
{
    SPropValue src[NPROPS];
    unsigned long n;
    fill_all_types(src);
    for (n = 0;; n++) {
        LPSPropValue c = (LPSPropValue)1;
        host_mem_fail_after(n);
        HRESULT hr = host_props_copy(NPROPS, src, &c);
        if (host_mem_fail_pending()) {
            host_mem_fail_never();
            assert_int_equal(hr, S_OK);
            assert_int_equal(host_MAPIFreeBuffer(c), S_OK);
            break;
        }
        assert_int_equal(hr, MAPI_E_NOT_ENOUGH_MEMORY);
        assert_null(c);
        assert_int_equal(host_mem_live_blocks(), 0);
    }
    /* One root plus one block per pointer payload (MV strings/binaries have two levels). */
    assert_true(n >= 20);
}

static LPSPropValue row_with_name(const char *name)
{
    LPSPropValue v = must_alloc(2 * sizeof(SPropValue));
    v[0].ulPropTag = PR_DISPLAY_NAME_A;
    assert_int_equal(host_MAPIAllocateMore((ULONG)strlen(name) + 1, v, (void **)&v[0].Value.lpszA), S_OK);
    strcpy(v[0].Value.lpszA, name);
    v[1].ulPropTag = PR_OBJECT_TYPE;
    v[1].Value.ul = MAPI_MAILUSER;
    return v;
}

static void test_freeprows_and_freepadrlist_free_every_row(void **state)
{
    LPSRowSet rows = must_alloc(CbNewSRowSet(3));
    rows->cRows = 3;
    for (int i = 0; i < 3; i++) {
        rows->aRow[i].cValues = 2;
        rows->aRow[i].lpProps = row_with_name("row");
    }
    assert_int_equal(host_mem_live_blocks(), 4);
    host_FreeProws(rows);
    assert_int_equal(host_mem_live_blocks(), 0);

    LPSRowSet empty = must_alloc(CbNewSRowSet(0));
    empty->cRows = 0;
    host_FreeProws(empty);
    host_FreeProws(NULL);

    LPADRLIST list = must_alloc(CbNewADRLIST(2));
    list->cEntries = 2;
    for (int i = 0; i < 2; i++) {
        list->aEntries[i].cValues = 2;
        list->aEntries[i].rgPropVals = row_with_name("entry");
    }
    host_FreePadrlist(list);
    host_FreePadrlist(NULL);
    assert_int_equal(host_mem_live_blocks(), 0);
}

static void test_find_by_tag_and_by_id(void **state)
{
    SPropValue v[2];
    memset(v, 0, sizeof(v));
    v[0].ulPropTag = PR_DISPLAY_NAME_W;
    v[1].ulPropTag = PR_OBJECT_TYPE;
    assert_ptr_equal(host_prop_find(2, v, PR_OBJECT_TYPE), &v[1]);
    assert_ptr_equal(host_prop_find(2, v, PROP_TAG(PT_UNSPECIFIED, 0x3001)), &v[0]);
    assert_null(host_prop_find(2, v, PR_DISPLAY_NAME_A));
    assert_null(host_prop_find(2, NULL, PR_OBJECT_TYPE));
}

static void test_tag_array_new(void **state)
{
    ULONG tags[] = { PR_ENTRYID, PR_DISPLAY_NAME_A, PR_OBJECT_TYPE };
    LPSPropTagArray a = NULL;
    assert_int_equal(host_tag_array_new(3, tags, &a), S_OK);
    assert_int_equal(a->cValues, 3);
    assert_memory_equal(a->aulPropTag, tags, sizeof(tags));
    assert_int_equal(host_MAPIFreeBuffer(a), S_OK);
    assert_int_equal(host_tag_array_new(0, NULL, &a), S_OK);
    assert_int_equal(a->cValues, 0);
    assert_int_equal(host_MAPIFreeBuffer(a), S_OK);
    assert_int_equal(host_tag_array_new(2, NULL, &a), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_tag_array_new(2, tags, NULL), MAPI_E_INVALID_PARAMETER);
}

static void test_utf8_utf16_round_trip_and_errors(void **state)
{
    const char *text = "a\xC3\xA9\xE6\x9D\xB1\xF0\x9F\x98\x80"; /* a é 東 😀 */
    WCHAR *w = NULL;
    char *back = NULL;
    assert_int_equal(host_utf8_to_utf16(text, &w), S_OK);
    assert_int_equal(host_utf16_len(w), 5); /* 😀 is a surrogate pair */
    assert_int_equal(w[1], 0x00E9);
    assert_int_equal(w[2], 0x6771);
    assert_int_equal(w[3], 0xD83D);
    assert_int_equal(w[4], 0xDE00);
    assert_true(host_utf16_eq_utf8(w, text));
    assert_false(host_utf16_eq_utf8(w, "a"));
    assert_int_equal(host_utf16_to_utf8(w, &back), S_OK);
    assert_string_equal(back, text);
    (void)host_MAPIFreeBuffer(back);

    const char *bad[] = { "\xC3\x28", "\xC0\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        WCHAR *x = (WCHAR *)1;
        assert_int_equal(host_utf8_to_utf16(bad[i], &x), MAPI_E_BAD_CHARWIDTH);
        assert_null(x);
    }
    WCHAR lone[] = { 'a', 0xD800, 0 };
    assert_int_equal(host_utf16_to_utf8(lone, &back), MAPI_E_BAD_CHARWIDTH);
    assert_int_equal(host_utf8_to_utf16(NULL, &w), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_utf8_to_utf16("x", NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_utf16_to_utf8(NULL, &back), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_utf8_to_utf16_more("x", NULL, &w), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_utf16_to_utf8_more(lone, NULL, &back), MAPI_E_INVALID_PARAMETER);
    WCHAR *chained = NULL;
    assert_int_equal(host_utf8_to_utf16_more("more", w, &chained), S_OK);
    assert_true(host_mem_is_chained(w, chained));
    assert_int_equal(host_utf16_len(NULL), 0);
    (void)host_MAPIFreeBuffer(w);
}

static void test_secure_range(void **state)
{
    assert_true(host_prop_is_secure(PROP_TAG(PT_UNICODE, 0x67F0)));
    assert_true(host_prop_is_secure(PROP_TAG(PT_STRING8, 0x67FF)));
    assert_false(host_prop_is_secure(PROP_TAG(PT_UNICODE, 0x67EF)));
    assert_false(host_prop_is_secure(PROP_TAG(PT_UNICODE, 0x6800)));
}

/*
 * MV counts whose array would need more than a ULONG of bytes. Each value points at one
 * real element: the size check must refuse the count before anything is allocated, set
 * or read (without it, the truncated allocation is overrun by the memset/memcpy).
 */
static void test_copy_refuses_mv_counts_above_a_ulong_of_bytes(void **state)
{
    static const struct { ULONG type; ULONG n; } cases[] = {
        { PT_MV_STRING8, 0x20000000 },  /* 0x20000000 * 8 = exactly 4 GiB */
        { PT_MV_UNICODE, 0x20000000 },
        { PT_MV_STRING8, 0xFFFFFFFF },
        { PT_MV_BINARY, 0x10000000 },   /* * 16 */
        { PT_MV_LONG, 0x40000000 },     /* * 4 */
        { PT_MV_I2, 0x80000000 },       /* * 2 */
        { PT_MV_DOUBLE, 0x20000000 },
        { PT_MV_SYSTIME, 0x20000000 },
        { PT_MV_I8, 0x20000000 },
        { PT_MV_CLSID, 0x10000000 },    /* * 16 */
    };
    static LPSTR one_str[1] = { s_x };
    static LPWSTR one_wstr[1] = { w_a };
    static SBinary one_bin[1] = { { 1, bin2 } };
    static LONGLONG one_big[2]; /* large enough for any fixed-size element */
    void *root = must_alloc(sizeof(SPropValue));
    host_mem_stats before, after;
    host_mem_get_stats(&before);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        SPropValue src, dst;
        memset(&src, 0, sizeof(src));
        src.ulPropTag = PROP_TAG(cases[i].type, 0x6100);
        src.Value.MVl.cValues = cases[i].n;
        if (cases[i].type == PT_MV_STRING8)
            src.Value.MVszA.lppszA = one_str;
        else if (cases[i].type == PT_MV_UNICODE)
            src.Value.MVszW.lppszW = one_wstr;
        else if (cases[i].type == PT_MV_BINARY)
            src.Value.MVbin.lpbin = one_bin;
        else
            src.Value.MVl.lpl = (LONG *)(void *)one_big;
        assert_int_equal(host_prop_copy_more(&dst, &src, root), MAPI_E_NOT_ENOUGH_MEMORY);
        assert_null(dst.Value.MVl.lpl); /* nothing points into the caller's data */
    }
    host_mem_get_stats(&after);
    assert_int_equal(after.mores, before.mores); /* refused before allocating */
    (void)host_MAPIFreeBuffer(root);

    /* The same through the whole-array copy, and for counts of values and tags. */
    SPropValue v;
    LPSPropValue out = (LPSPropValue)1;
    memset(&v, 0, sizeof(v));
    v.ulPropTag = PROP_TAG(PT_MV_STRING8, 0x6100);
    v.Value.MVszA.cValues = 0x20000000;
    v.Value.MVszA.lppszA = one_str;
    assert_int_equal(host_props_copy(1, &v, &out), MAPI_E_NOT_ENOUGH_MEMORY);
    assert_null(out);
    assert_int_equal(host_props_copy(0x10000000, &v, &out), MAPI_E_NOT_ENOUGH_MEMORY);
    LPSPropTagArray tags = (LPSPropTagArray)1;
    ULONG tag = PR_DISPLAY_NAME_A;
    assert_int_equal(host_tag_array_new(0x40000000, &tag, &tags), MAPI_E_NOT_ENOUGH_MEMORY);
    assert_null(tags);
    assert_int_equal(host_tag_array_new(0x3FFFFFFF, &tag, &tags), MAPI_E_NOT_ENOUGH_MEMORY);
}

/*
 * A UTF-8 string of 2^31 + 1 'a's would need (2^31 + 2) * 2 bytes of UTF-16, which a
 * ULONG cannot count (truncated to a few bytes before the fix, then overrun by 4 GiB).
 * The string is one 1 MiB memfd mapped 2049 times in a row, so it costs 1 MiB of memory.
 */
static void test_utf8_to_utf16_refuses_strings_above_a_ulong_of_bytes(void **state)
{
    const size_t chunk = (size_t)1 << 20, nchunks = 2049; /* 2 GiB + 1 MiB */
    const size_t len = ((size_t)1 << 31) + 1;
    int fd = memfd_create("ldapab-host-utf16", 0);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)chunk), 0);
    char *fill = mmap(NULL, chunk, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    assert_true(fill != MAP_FAILED);
    memset(fill, 'a', chunk);
    munmap(fill, chunk);
    /* One more private page after the chunks holds the terminator. */
    char *base = mmap(NULL, chunk * nchunks + 4096, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    assert_true(base != MAP_FAILED);
    for (size_t i = 0; i < nchunks; i++)
        assert_true(mmap(base + i * chunk, chunk, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0) ==
                    base + i * chunk);
    close(fd);
    /* Terminate at len: remap the chunk holding it privately and put the NUL there. */
    size_t last = len / chunk;
    char *c = mmap(base + last * chunk, chunk, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    assert_true(c == base + last * chunk);
    memset(c, 'a', len % chunk);
    c[len % chunk] = 0;

    WCHAR *w = (WCHAR *)1;
    assert_int_equal(host_utf8_to_utf16(base, &w), MAPI_E_NOT_ENOUGH_MEMORY);
    assert_null(w);
    void *root = must_alloc(8);
    assert_int_equal(host_utf8_to_utf16_more(base, root, &w), MAPI_E_NOT_ENOUGH_MEMORY);
    assert_null(w);
    (void)host_MAPIFreeBuffer(root);
    munmap(base, chunk * nchunks + 4096);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HOST_TEST(test_copy_every_type_into_one_root),
        HOST_TEST(test_copy_rejects_bad_input),
        HOST_TEST(test_copy_fails_cleanly_at_every_allocation),
        HOST_TEST(test_freeprows_and_freepadrlist_free_every_row),
        HOST_TEST(test_find_by_tag_and_by_id),
        HOST_TEST(test_tag_array_new),
        HOST_TEST(test_utf8_utf16_round_trip_and_errors),
        HOST_TEST(test_secure_range),
        HOST_TEST(test_copy_refuses_mv_counts_above_a_ulong_of_bytes),
        HOST_TEST(test_utf8_to_utf16_refuses_strings_above_a_ulong_of_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
