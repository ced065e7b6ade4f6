/* Shared bits of the host unit tests: cmocka, the host API, leak checks. */
#ifndef LDAPAB_HOST_TEST_H
#define LDAPAB_HOST_TEST_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <mapi/mapidefs.h>
#include <mapi/mapicode.h>
#include <mapi/mapitags.h>
#include <mapi/mapiguid.h>
#include <mapi/mapispi.h>
#include "ldapab_host/host.h"

/* Every test starts and ends with no live MAPI root, IMalloc or host object. */
static inline void host_test_assert_clean(void)
{
    host_mem_stats st;
    host_mem_get_stats(&st);
    assert_int_equal(st.live_roots, 0);
    assert_int_equal(st.live_bytes, 0);
    assert_int_equal(st.live_malloc_blocks, 0);
    assert_int_equal(st.live_internal, 0);
    assert_int_equal(host_malloc_live_objects(), 0);
    assert_int_equal(host_support_live_objects(), 0);
    assert_int_equal(host_profsect_live_objects(), 0);
}

static inline int host_test_setup(void **state)
{
    (void)state;
    host_mem_fail_never();
    host_test_assert_clean();
    return 0;
}

static inline int host_test_teardown(void **state)
{
    (void)state;
    host_mem_fail_never();
    host_test_assert_clean();
    return 0;
}

#define HOST_TEST(f) cmocka_unit_test_setup_teardown(f, host_test_setup, host_test_teardown)

static inline void *must_alloc(ULONG cb)
{
    void *p = NULL;
    assert_int_equal(host_MAPIAllocateBuffer(cb, &p), S_OK);
    return p;
}
#endif
