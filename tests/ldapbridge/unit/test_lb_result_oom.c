/*
 * test_lb_result_oom.c - reading entries into an lb_result while the Nth
 * allocation fails, for every N until the read needs no more: each failure
 * must come back as LB_E_NOMEM with nothing half-added and nothing leaked
 * (the sanitized build's leak checker watches the whole run).
 *
 * malloc/calloc/realloc/strdup are wrapped at link time for this binary
 * only (ldapbridge and the fake server; libldap's own allocations are not
 * wrapped), and fail only while a walk is armed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldap.h>

#include "fake_ldap.h"
#include "lb_internal.h"

#define A "ldap://a.example:389"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);

static bool armed;
static long fail_at;   /* index of the allocation that fails while armed */
static long n_allocs;  /* allocations seen while armed */

static bool fail_now(void)
{
	return armed && n_allocs++ == fail_at;
}

void *__wrap_malloc(size_t n)
{
	return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return fail_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
	return fail_now() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
	return fail_now() ? NULL : __real_strdup(s);
}

static void arm(long n)
{
	n_allocs = 0;
	fail_at = n;
	armed = true;
}

static void disarm(void)
{
	armed = false;
}

static const char bin[] = { 'x', '\0', 'y' };
static char names[40][16];
static struct fake_entry big;

/* An entry with a binary value, a valueless attribute and more attributes
 * than the reader keeps on its stack (its scratch array has to grow). */
static void build_big(void)
{
	size_t i;

	memset(&big, 0, sizeof(big));
	big.dn = "uid=oom,dc=example,dc=com";
	for (i = 0; i < 40; i++) {
		snprintf(names[i], sizeof(names[i]), "a%zu;x-opt", i);
		big.attrs[i].name = names[i];
		big.attrs[i].vals[0] = names[i];
		big.attrs[i].vals[1] = "v";
	}
	big.attrs[0].vals[0] = bin;
	big.attrs[0].vals[1] = NULL;
	fake_binary_value(bin, sizeof(bin));
	big.attrs[1].vals[0] = NULL;
}

struct fixture {
	LDAP *ld;
	LDAPMessage *msg;  /* the entry */
};

static int setup(void **state)
{
	static struct fixture f;
	struct fake_server s;
	struct fake_resp r;
	int msgid;

	fake_reset();
	build_big();
	memset(&s, 0, sizeof(s));
	s.uri = A;
	fake_add_server(&s);
	memset(&r, 0, sizeof(r));
	r.entries = &big;
	r.n_entries = 1;
	fake_push(A, &r);
	memset(&f, 0, sizeof(f));
	assert_int_equal(ldap_initialize(&f.ld, A), LDAP_SUCCESS);
	assert_int_equal(ldap_search_ext(f.ld, "dc=example,dc=com", LDAP_SCOPE_SUBTREE,
					 "(objectClass=*)", NULL, 0, NULL, NULL, NULL, 0,
					 &msgid), LDAP_SUCCESS);
	assert_int_equal(ldap_result(f.ld, msgid, 0, NULL, &f.msg), LDAP_RES_SEARCH_ENTRY);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ldap_msgfree(f->msg);
	ldap_unbind_ext(f->ld, NULL, NULL);
	assert_int_equal(fake_open_handles, 0);
	return 0;
}

static void check_entry(const lb_entry *e)
{
	const struct lb_attr *a;

	assert_non_null(e);
	assert_string_equal(lb_entry_dn(e), "uid=oom,dc=example,dc=com");
	assert_int_equal(lb_entry_attr_count(e), 40);
	a = lb_entry_attr(e, 0);
	assert_int_equal(a->n_values, 1);
	assert_int_equal(a->values[0].len, 3);
	assert_memory_equal(a->values[0].data, "x\0y", 4);
	assert_int_equal(lb_entry_attr(e, 1)->n_values, 0);
	a = lb_entry_find(e, "A39;X-OPT");
	assert_non_null(a);
	assert_int_equal(a->n_values, 2);
	assert_string_equal(a->values[1].data, "v");
}

static void add_msg_fails_cleanly_at_every_allocation(void **state)
{
	struct fixture *f = *state;
	struct lb_error err;
	long n, failures = 0;
	lb_err code;

	for (n = 0;; n++) {
		lb_result *res = lb__result_new();

		assert_non_null(res);
		lb_error_clear(&err);
		arm(n);
		code = lb__result_add_msg(f->ld, res, f->msg, &err);
		disarm();
		if (n_allocs <= n) { /* the walk got past every allocation */
			assert_int_equal(code, LB_OK);
			assert_int_equal(lb_result_count(res), 1);
			check_entry(lb_result_entry(res, 0));
			lb_result_free(res);
			break;
		}
		assert_int_equal(code, LB_E_NOMEM);
		assert_int_equal(err.code, LB_E_NOMEM);
		assert_int_equal(err.step, LB_STEP_RESULT);
		assert_int_equal(lb_result_count(res), 0);
		lb_result_free(res);
		failures++;
		assert_true(n < 1000);
	}
	/* the fake's buffer and iterator, the scratch array growing, the
	 * entry, the result's entry array: at least four fail points */
	assert_true(failures >= 4);
}

static void add_msg_keeps_earlier_entries_when_push_fails(void **state)
{
	struct fixture *f = *state;
	struct lb_error err;
	lb_result *res = lb__result_new();
	size_t i;
	long n;
	lb_err code = LB_OK;

	assert_non_null(res);
	for (i = 0; i < 16; i++) /* fills the first entries array exactly */
		assert_int_equal(lb__result_add_msg(f->ld, res, f->msg, &err), LB_OK);
	for (n = 0;; n++) {
		arm(n);
		code = lb__result_add_msg(f->ld, res, f->msg, &err);
		disarm();
		if (n_allocs <= n)
			break;
		assert_int_equal(code, LB_E_NOMEM);
		assert_int_equal(lb_result_count(res), 16);
		check_entry(lb_result_entry(res, 15));
	}
	assert_int_equal(code, LB_OK);
	assert_int_equal(lb_result_count(res), 17);
	check_entry(lb_result_entry(res, 16));
	lb_result_free(res);
}

static void entry_copy_fails_cleanly_at_every_allocation(void **state)
{
	struct fixture *f = *state;
	struct lb_error err;
	lb_result *res = lb__result_new();
	struct lb_entry *d = NULL;
	long n, failures = 0;

	assert_non_null(res);
	assert_int_equal(lb__result_add_msg(f->ld, res, f->msg, &err), LB_OK);
	for (n = 0;; n++) {
		arm(n);
		d = lb__entry_dup(res->entries[0]);
		disarm();
		if (n_allocs <= n)
			break;
		assert_null(d);
		failures++;
	}
	assert_non_null(d);
	assert_false(d->packed); /* a copy that can grow (ranged attributes) */
	check_entry(d);
	lb__entry_free(d);
	lb_result_free(res);
	assert_true(failures > 40); /* names, arrays and values one by one */
}

int main(int argc, char **argv)
{
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(add_msg_fails_cleanly_at_every_allocation),
		T(add_msg_keeps_earlier_entries_when_push_fails),
		T(entry_copy_fails_cleanly_at_every_allocation),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("ldapbridge_result_oom", tests, NULL, NULL);
}
