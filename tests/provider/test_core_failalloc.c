/*
 * test_core_failalloc.c - a fail-once switch for the C allocator, linked
 * into static test binaries with -Wl,--wrap=malloc,calloc,realloc,strdup:
 * the provider's, ldapbridge's and the host's own allocations (everything
 * linked statically) go through it; shared libraries (libldap) do not.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "test_core_failalloc.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);

static atomic_long countdown = -1;      /* -1: disarmed */
static atomic_int fired;

static bool should_fail(void)
{
	long v = atomic_load(&countdown);

	while (v >= 0) {
		if (atomic_compare_exchange_weak(&countdown, &v, v - 1)) {
			if (v == 0) {
				atomic_store(&fired, 1);
				return true;
			}
			return false;
		}
	}
	return false;
}

void core_failalloc_arm(long n)
{
	atomic_store(&fired, 0);
	atomic_store(&countdown, n);
}

int core_failalloc_disarm(void)
{
	atomic_store(&countdown, -1);
	return atomic_load(&fired);
}

void *__wrap_malloc(size_t n) { return should_fail() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t m) { return should_fail() ? NULL : __real_calloc(n, m); }
void *__wrap_realloc(void *p, size_t n) { return should_fail() ? NULL : __real_realloc(p, n); }
char *__wrap_strdup(const char *s) { return should_fail() ? NULL : __real_strdup(s); }
