/* Shared bits of the provider object tests (test_props*.c, test_objects*.c):
 * cmocka, the host allocators, UTF-16 helpers, leak checks. */
#ifndef LDAPAB_TEST_OBJECTS_UTIL_H
#define LDAPAB_TEST_OBJECTS_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <ldapab_host/mem.h>

#include "abp.h"
#include "props.h"

static inline struct abp_allocs test_allocs(void)
{
	struct abp_allocs al = { host_MAPIAllocateBuffer, host_MAPIAllocateMore,
	                         host_MAPIFreeBuffer };
	return al;
}

/* UTF-16 string equal to an ASCII/UTF-8 literal (via the provider's own
 * converter, which the props tests check separately against raw units). */
static inline int w_eq(const WCHAR *w, const char *utf8)
{
	size_t n = abp_utf8_to_utf16(utf8, (size_t)-1, NULL, 0);
	WCHAR *x = calloc(n, sizeof(WCHAR));
	int eq;
	size_t i;

	assert_non_null(x);
	(void)abp_utf8_to_utf16(utf8, (size_t)-1, x, n);
	eq = 1;
	for (i = 0; i < n; i++)
		if (w[i] != x[i]) {
			eq = 0;
			break;
		}
	free(x);
	return eq;
}

static inline size_t live_roots(void)
{
	return host_mem_live_blocks();
}

static inline int test_clean_setup(void **state)
{
	(void)state;
	host_mem_fail_never();
	assert_int_equal(live_roots(), 0);
	return 0;
}

static inline int test_clean_teardown(void **state)
{
	host_mem_stats st;

	(void)state;
	host_mem_fail_never();
	host_mem_get_stats(&st);
	assert_int_equal(st.live_roots, 0);
	assert_int_equal(st.bad_calls, 0);
	return 0;
}

/* A tag array on the heap (free with free()). */
static inline SPropTagArray *tags_new(size_t n, const ULONG *t)
{
	SPropTagArray *a = malloc(CbNewSPropTagArray(n));

	assert_non_null(a);
	a->cValues = (ULONG)n;
	memcpy(a->aulPropTag, t, n * sizeof(ULONG));
	return a;
}

#endif
