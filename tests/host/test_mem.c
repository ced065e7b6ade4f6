/* Unit tests: host MAPI allocators, fail-injection, IMalloc. */
#include <pthread.h>
#include "host_test.h"

static void test_root_and_chain_freed_by_one_free(void **state)
{
    void *root = NULL, *a = NULL, *b = NULL;
    assert_int_equal(host_MAPIAllocateBuffer(40, &root), S_OK);
    assert_non_null(root);
    assert_int_equal((uintptr_t)root % 16, 0);
    assert_int_equal(host_MAPIAllocateMore(100, root, &a), S_OK);
    assert_int_equal(host_MAPIAllocateMore(7, root, &b), S_OK);
    assert_int_equal((uintptr_t)a % 16, 0);
    assert_int_equal((uintptr_t)b % 16, 0);
    memset(a, 1, 100);
    memset(b, 2, 7);
    assert_int_equal(host_mem_live_blocks(), 1);
    assert_int_equal(host_mem_live_bytes(), 147);
    assert_true(host_mem_is_root(root));
    assert_false(host_mem_is_root(a));
    assert_true(host_mem_is_chained(root, a));
    assert_true(host_mem_is_chained(root, (char *)b + 6));
    assert_false(host_mem_is_chained(root, &root));
    assert_int_equal(host_MAPIFreeBuffer(root), S_OK);
    assert_int_equal(host_mem_live_blocks(), 0);
    assert_int_equal(host_mem_live_bytes(), 0);
}

static void test_allocate_more_rejects_child_unknown_and_null(void **state)
{
    void *root = must_alloc(8), *kid = NULL, *out = (void *)1;
    int local = 0;
    host_mem_stats before, after;
    assert_int_equal(host_MAPIAllocateMore(8, root, &kid), S_OK);
    host_mem_get_stats(&before);
    assert_int_equal(host_MAPIAllocateMore(8, kid, &out), MAPI_E_INVALID_PARAMETER);
    assert_null(out);
    out = (void *)1;
    assert_int_equal(host_MAPIAllocateMore(8, &local, &out), MAPI_E_INVALID_PARAMETER);
    assert_null(out);
    assert_int_equal(host_MAPIAllocateMore(8, NULL, &out), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_MAPIAllocateMore(8, root, NULL), MAPI_E_INVALID_PARAMETER);
    host_mem_get_stats(&after);
    assert_int_equal(after.bad_calls - before.bad_calls, 3);
    assert_int_equal(host_MAPIFreeBuffer(root), S_OK);
}

static void test_free_null_child_unknown_and_double(void **state)
{
    void *root = must_alloc(8), *kid = NULL;
    int local = 0;
    assert_int_equal(host_MAPIFreeBuffer(NULL), S_OK);
    assert_int_equal(host_MAPIAllocateMore(8, root, &kid), S_OK);
    assert_int_equal(host_MAPIFreeBuffer(kid), (ULONG)MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_MAPIFreeBuffer(&local), (ULONG)MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_mem_live_blocks(), 1);
    assert_int_equal(host_MAPIFreeBuffer(root), S_OK);
    assert_int_equal(host_MAPIFreeBuffer(root), (ULONG)MAPI_E_INVALID_PARAMETER);
}

static void test_null_out_pointer_and_zero_size(void **state)
{
    void *a = NULL, *b = NULL, *k = NULL;
    assert_int_equal(host_MAPIAllocateBuffer(8, NULL), MAPI_E_INVALID_PARAMETER);
    host_mem_get_stats(NULL); /* no-op */
    assert_false(host_mem_is_root(NULL));
    assert_false(host_mem_is_chained(NULL, &a));
    /* Zero bytes is allowed: distinct, freeable pointers. */
    assert_int_equal(host_MAPIAllocateBuffer(0, &a), S_OK);
    assert_int_equal(host_MAPIAllocateBuffer(0, &b), S_OK);
    assert_non_null(a);
    assert_ptr_not_equal(a, b);
    assert_int_equal(host_MAPIAllocateMore(0, a, &k), S_OK);
    assert_non_null(k);
    assert_int_equal(host_MAPIFreeBuffer(a), S_OK);
    assert_int_equal(host_MAPIFreeBuffer(b), S_OK);
}

static void test_contents_not_zeroed(void **state)
{
    unsigned char *p = must_alloc(16);
    assert_int_equal(p[0], 0xA5);
    assert_int_equal(p[15], 0xA5);
    assert_int_equal(host_MAPIFreeBuffer(p), S_OK);
}

static void test_fail_after_counts_and_fires_once(void **state)
{
    void *a = NULL, *b = NULL, *c = NULL, *d = NULL;
    host_mem_stats before, after;
    host_mem_get_stats(&before);
    host_mem_fail_after(0);
    assert_true(host_mem_fail_pending());
    a = (void *)1;
    assert_int_equal(host_MAPIAllocateBuffer(8, &a), MAPI_E_NOT_ENOUGH_MEMORY);
    assert_null(a);
    assert_false(host_mem_fail_pending());
    assert_int_equal(host_MAPIAllocateBuffer(8, &a), S_OK);

    host_mem_fail_after(2);
    assert_int_equal(host_MAPIAllocateBuffer(8, &b), S_OK);
    assert_int_equal(host_MAPIAllocateMore(8, b, &c), S_OK);
    assert_int_equal(host_MAPIAllocateMore(8, b, &d), MAPI_E_NOT_ENOUGH_MEMORY);
    assert_null(d);
    assert_int_equal(host_MAPIAllocateMore(8, b, &d), S_OK);

    host_mem_fail_after(5);
    host_mem_fail_never();
    assert_false(host_mem_fail_pending());
    host_mem_get_stats(&after);
    assert_int_equal(after.injected_failures - before.injected_failures, 2);
    assert_int_equal(host_MAPIFreeBuffer(a), S_OK);
    assert_int_equal(host_MAPIFreeBuffer(b), S_OK);
}

static void *hammer(void *arg)
{
    for (int i = 0; i < 20000; i++) {
        void *root = NULL, *k = NULL;
        if (FAILED(host_MAPIAllocateBuffer((ULONG)(i % 64), &root)))
            return (void *)1;
        for (int j = 0; j < 3; j++)
            if (FAILED(host_MAPIAllocateMore((ULONG)j * 8, root, &k)))
                return (void *)1;
        if (host_MAPIFreeBuffer(root) != S_OK)
            return (void *)1;
    }
    return NULL;
}

static void test_two_threads_hammer_allocators(void **state)
{
    pthread_t t1, t2;
    void *r1 = NULL, *r2 = NULL;
    assert_int_equal(pthread_create(&t1, NULL, hammer, NULL), 0);
    assert_int_equal(pthread_create(&t2, NULL, hammer, NULL), 0);
    pthread_join(t1, &r1);
    pthread_join(t2, &r2);
    assert_null(r1);
    assert_null(r2);
    assert_int_equal(host_mem_live_blocks(), 0);
}

static void test_imalloc_refcount_and_blocks(void **state)
{
    LPMALLOC m = NULL;
    void *unk = NULL;
    assert_int_equal(host_malloc_new(NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(host_malloc_new(&m), S_OK);
    assert_int_equal(host_malloc_refcount(m), 1);
    assert_int_equal(IMalloc_QueryInterface(m, &IID_IMalloc, &unk), S_OK);
    assert_ptr_equal(unk, m);
    assert_int_equal(host_malloc_refcount(m), 2);
    assert_int_equal(IMalloc_Release(m), 1);
    assert_int_equal(IMalloc_QueryInterface(m, &IID_IMAPIProp, &unk), MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_null(unk);
    assert_int_equal(IMalloc_QueryInterface(m, &IID_IUnknown, NULL), MAPI_E_INVALID_PARAMETER);

    char *p = IMalloc_Alloc(m, 10);
    assert_non_null(p);
    memcpy(p, "abcdefghi", 10);
    assert_int_equal(IMalloc_GetSize(m, p), 10);
    assert_int_equal(IMalloc_DidAlloc(m, p), 1);
    p = IMalloc_Realloc(m, p, 100);
    assert_non_null(p);
    assert_string_equal(p, "abcdefghi");
    assert_int_equal(IMalloc_GetSize(m, p), 100);
    void *root = must_alloc(4);
    assert_int_equal(IMalloc_DidAlloc(m, root), 0);
    IMalloc_Free(m, root); /* not ours: ignored, root stays valid */
    assert_true(host_mem_is_root(root));
    assert_int_equal(host_MAPIFreeBuffer(p), (ULONG)MAPI_E_INVALID_PARAMETER);
    IMalloc_Free(m, p);
    IMalloc_Free(m, NULL);
    IMalloc_HeapMinimize(m);
    assert_int_equal(host_MAPIFreeBuffer(root), S_OK);

    host_mem_fail_after(0);
    assert_null(IMalloc_Alloc(m, 10));
    assert_int_equal(host_malloc_refcount(NULL), 0);
    assert_int_equal(IMalloc_Release(m), 0);
    assert_int_equal(host_malloc_live_objects(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HOST_TEST(test_root_and_chain_freed_by_one_free),
        HOST_TEST(test_allocate_more_rejects_child_unknown_and_null),
        HOST_TEST(test_free_null_child_unknown_and_double),
        HOST_TEST(test_null_out_pointer_and_zero_size),
        HOST_TEST(test_contents_not_zeroed),
        HOST_TEST(test_fail_after_counts_and_fires_once),
        HOST_TEST(test_two_threads_hammer_allocators),
        HOST_TEST(test_imalloc_refcount_and_blocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
