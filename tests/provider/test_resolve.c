/* Unit tests of resolve.c without a server: candidate ranking and choice
 * (CT-11 e-j), the tags a resolved entry carries (CT-11a, CT-11l), and the
 * apply step (CT-11e-h, MM-5, MM-7) with every allocation failed in turn. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ldapab_host/mem.h"
#include "ldapab_host/props.h"

#include "abp_test_support.h"
#include "resolve.h"
#include "restrict.h"

static const struct abp_allocs host_al = {
	host_MAPIAllocateBuffer, host_MAPIAllocateMore, host_MAPIFreeBuffer
};

static void person(struct abp_props *bag, const char *display, const char *mail, uint8_t key)
{
	uint8_t rk[4] = { 1, 2, 3, key };

	abp_props_init(bag);
	assert_int_equal(abp_props_add_string(bag, PR_DISPLAY_NAME_W, display, (size_t)-1), S_OK);
	assert_int_equal(abp_props_add_string(bag, PR_TRANSMITABLE_DISPLAY_NAME_W, display,
	                                      (size_t)-1), S_OK);
	if (mail != NULL) {
		assert_int_equal(abp_props_add_string(bag, PR_EMAIL_ADDRESS_W, mail, (size_t)-1),
		                 S_OK);
		assert_int_equal(abp_props_add_string(bag, PR_ADDRTYPE_W, "SMTP", (size_t)-1), S_OK);
	}
	assert_int_equal(abp_props_add_binary(bag, PR_ENTRYID, rk, sizeof(rk)), S_OK);
	assert_int_equal(abp_props_add_binary(bag, PR_RECORD_KEY, rk, sizeof(rk)), S_OK);
	assert_int_equal(abp_props_add_binary(bag, PR_SEARCH_KEY, rk, sizeof(rk)), S_OK);
	assert_int_equal(abp_props_add_long(bag, PR_OBJECT_TYPE, MAPI_MAILUSER), S_OK);
	assert_int_equal(abp_props_add_long(bag, PR_DISPLAY_TYPE, DT_MAILUSER), S_OK);
}

/* ------------------------------------------------------------------------ */
/* Ranking and choice                                                        */
/* ------------------------------------------------------------------------ */

static void rank_exact_prefix_substring_without_duplicates_CT11i(void **state)
{
	struct abp_props p[5];
	const struct abp_props *rows[6];
	size_t order[6], n;

	(void)state;
	person(&p[0], "Smith, Chris", "smith.c@example.com", 1);                 /* substring */
	person(&p[1], "Chris Smithson", "chris.smithson@example.com", 2);        /* prefix */
	person(&p[2], "Chris Smith", "chris.smith@example.com", 3);              /* exact */
	person(&p[3], "Mark Smith", "csmith@example.com", 4);                    /* substring */
	person(&p[4], "Chris Smith", "chris.smith@example.com", 3);              /* p[2] again */
	rows[0] = &p[0];
	rows[1] = &p[1];
	rows[2] = &p[2];
	rows[3] = &p[3];
	rows[4] = &p[4];
	rows[5] = NULL;

	n = abp_resolve_rank(rows, 6, "chris smith", order);
	assert_int_equal(n, 4);
	assert_int_equal(order[0], 2);
	assert_int_equal(order[1], 1);
	assert_int_equal(order[2], 0);
	assert_int_equal(order[3], 3);
	n = abp_resolve_rank(rows, 5, "csmith@example.com", order);
	assert_int_equal(n, 4);
	assert_int_equal(order[0], 3);
	assert_int_equal(abp_resolve_rank(rows, 5, NULL, order), 0);
	for (n = 0; n < 5; n++)
		abp_props_free(&p[n]);
}

static void choose_one_several_none_CT11e_to_j(void **state)
{
	struct abp_props p[4];
	const struct abp_props *rows[4];
	size_t pick = 99;

	(void)state;
	person(&p[0], "Chris Smith", "chris.smith@example.com", 1);
	person(&p[1], "Christina Smith", "christina.smith@example.com", 2);
	person(&p[2], "Chris Smith", "chris.smith2@example.com", 3);
	person(&p[3], "Christina Smith", "christina.smith@example.com", 2);   /* p[1] again */
	rows[0] = &p[0];
	rows[1] = &p[1];
	rows[2] = &p[2];
	rows[3] = &p[3];

	/* g: none */
	assert_int_equal(abp_resolve_choose(rows, 0, false, "x", &pick), MAPI_UNRESOLVED);
	/* e: one (a duplicate of it counts once) */
	assert_int_equal(abp_resolve_choose(rows + 1, 1, false, "chri", &pick), MAPI_RESOLVED);
	assert_int_equal(pick, 0);
	pick = 99;
	{
		const struct abp_props *dup[2] = { &p[1], &p[3] };

		assert_int_equal(abp_resolve_choose(dup, 2, false, "chri", &pick), MAPI_RESOLVED);
		assert_int_equal(pick, 0);
	}
	/* i: several, exactly one equals the input (name or address, any case) */
	assert_int_equal(abp_resolve_choose(rows, 2, false, "CHRIS SMITH", &pick), MAPI_RESOLVED);
	assert_int_equal(pick, 0);
	assert_int_equal(abp_resolve_choose(rows, 2, false, "christina.smith@EXAMPLE.com", &pick),
	                 MAPI_RESOLVED);
	assert_int_equal(pick, 1);
	/* f: several, two equal it, or none does */
	assert_int_equal(abp_resolve_choose(rows, 3, false, "chris smith", &pick), MAPI_AMBIGUOUS);
	assert_int_equal(abp_resolve_choose(rows, 2, false, "chris", &pick), MAPI_AMBIGUOUS);
	/* j: the search stopped at its size limit */
	assert_int_equal(abp_resolve_choose(rows, 1, true, "chris smith", &pick), MAPI_AMBIGUOUS);
	assert_int_equal(abp_resolve_choose(rows, 0, true, "chris smith", &pick), MAPI_AMBIGUOUS);
	for (pick = 0; pick < 4; pick++)
		abp_props_free(&p[pick]);
}

static bool has_tag(const SPropTagArray *t, ULONG tag)
{
	ULONG i;

	for (i = 0; i < t->cValues; i++)
		if (t->aulPropTag[i] == tag)
			return true;
	return false;
}

static void tags_default_and_requested_CT11a_CT11l(void **state)
{
	static const ULONG l_w[] = { PR_ADDRTYPE_W, PR_DISPLAY_NAME_W, PR_EMAIL_ADDRESS_W,
	                             PR_ENTRYID, PR_OBJECT_TYPE, PR_SEARCH_KEY,
	                             PR_TRANSMITABLE_DISPLAY_NAME_W };
	SizedSPropTagArray(2, req) = { 2, { PR_TITLE_W, PR_DISPLAY_NAME_A } };
	SPropTagArray *t;
	size_t i;

	(void)state;
	t = abp_resolve_tags(NULL, MAPI_UNICODE);
	assert_non_null(t);
	assert_int_equal(t->cValues, 10);
	for (i = 0; i < 7; i++)
		assert_true(has_tag(t, l_w[i]));
	assert_true(has_tag(t, PR_DISPLAY_TYPE));
	assert_true(has_tag(t, PR_INSTANCE_KEY));
	assert_true(has_tag(t, PR_RECORD_KEY));
	free(t);
	t = abp_resolve_tags(NULL, 0);
	assert_true(has_tag(t, PR_DISPLAY_NAME_A));
	assert_true(has_tag(t, PR_ADDRTYPE_A));
	assert_false(has_tag(t, PR_DISPLAY_NAME_W));
	free(t);
	/* Requested columns first as asked; CT-11l's after, once per ID. */
	t = abp_resolve_tags((const SPropTagArray *)&req, MAPI_UNICODE);
	assert_int_equal(t->cValues, 2 + 6);
	assert_int_equal(t->aulPropTag[0], PR_TITLE_W);
	assert_int_equal(t->aulPropTag[1], PR_DISPLAY_NAME_A);
	assert_false(has_tag(t, PR_DISPLAY_NAME_W));
	assert_false(has_tag(t, PR_INSTANCE_KEY));
	free(t);
}

/* ------------------------------------------------------------------------ */
/* Apply                                                                     */
/* ------------------------------------------------------------------------ */

/* A client's list: three entries, each "name" _A plus PR_RECIPIENT_TYPE. */
static ADRLIST *client_list(void)
{
	static const char *const names[] = { "chris", "okafor", "nobody" };
	ADRLIST *l = NULL;
	ULONG i;

	assert_int_equal(host_MAPIAllocateBuffer((ULONG)CbNewADRLIST(3), (void **)&l), S_OK);
	l->cEntries = 3;
	for (i = 0; i < 3; i++) {
		SPropValue *v = NULL;

		assert_int_equal(host_MAPIAllocateBuffer(2 * sizeof(SPropValue), (void **)&v), S_OK);
		v[0].ulPropTag = PR_DISPLAY_NAME_A;
		assert_int_equal(host_MAPIAllocateMore(16, v, (void **)&v[0].Value.lpszA), S_OK);
		snprintf(v[0].Value.lpszA, 16, "%s", names[i]);
		v[1].ulPropTag = PR_RECIPIENT_TYPE;
		v[1].Value.l = MAPI_CC;
		l->aEntries[i].ulReserved1 = 0;
		l->aEntries[i].cValues = 2;
		l->aEntries[i].rgPropVals = v;
	}
	return l;
}

static void apply_all_or_nothing_under_allocation_failure_MM7(void **state)
{
	struct abp_props chris;
	struct abp_resolve_outcome out[3];
	SizedFlagList(3, fl);
	unsigned long nth;
	bool done = false;

	(void)state;
	person(&chris, "Chris Smith", "chris.smith@example.com", 7);
	memset(out, 0, sizeof(out));
	out[0].state = MAPI_RESOLVED;
	out[0].bag = &chris;
	out[1].state = MAPI_AMBIGUOUS;
	out[2].state = MAPI_UNRESOLVED;

	/* Fail the 1st, 2nd, ... allocation until the call gets through. */
	for (nth = 0; !done; nth++) {
		ADRLIST *l = client_list();
		SPropValue *before[3];
		size_t live = host_mem_live_blocks();
		HRESULT hr;
		ULONG i;

		fl.cFlags = 3;
		memset(fl.ulFlag, 0, sizeof(fl.ulFlag));
		for (i = 0; i < 3; i++)
			before[i] = l->aEntries[i].rgPropVals;
		host_mem_fail_after(nth);
		hr = abp_resolve_apply(&host_al, NULL, MAPI_UNICODE, l, (FlagList *)&fl, out);
		done = host_mem_fail_pending() != 0;   /* completed before the Nth */
		host_mem_fail_never();
		if (!done) {
			/* MM-7: untouched, nothing left allocated. */
			assert_int_equal(hr, MAPI_E_NOT_ENOUGH_MEMORY);
			for (i = 0; i < 3; i++) {
				assert_ptr_equal(l->aEntries[i].rgPropVals, before[i]);
				assert_int_equal(l->aEntries[i].cValues, 2);
				assert_int_equal(fl.ulFlag[i], MAPI_UNRESOLVED);
			}
			assert_int_equal(host_mem_live_blocks(), live);
		} else {
			const SPropValue *v = l->aEntries[0].rgPropVals;
			ULONG k;
			bool kept = false, name = false;

			assert_int_equal(hr, S_OK);
			assert_int_equal(fl.ulFlag[0], MAPI_RESOLVED);
			assert_int_equal(fl.ulFlag[1], MAPI_AMBIGUOUS);
			assert_int_equal(fl.ulFlag[2], MAPI_UNRESOLVED);
			assert_true(host_mem_is_root(v));
			/* The old array was freed (one block fewer for it, one more
			 * for the new one), the others untouched. */
			assert_int_equal(host_mem_live_blocks(), live);
			assert_ptr_equal(l->aEntries[1].rgPropVals, before[1]);
			assert_ptr_equal(l->aEntries[2].rgPropVals, before[2]);
			for (k = 0; k < l->aEntries[0].cValues; k++) {
				if (v[k].ulPropTag == PR_RECIPIENT_TYPE && v[k].Value.l == MAPI_CC)
					kept = true;
				/* e: the directory's name replaces the typed one. */
				if (v[k].ulPropTag == PR_DISPLAY_NAME_W) {
					char *s = abp_utf16_to_utf8_dup(v[k].Value.lpszW);

					assert_string_equal(s, "Chris Smith");
					free(s);
					name = true;
				}
				assert_int_not_equal(v[k].ulPropTag, PR_DISPLAY_NAME_A);
			}
			assert_true(kept && name);
			/* Default set: PR_INSTANCE_KEY is not in this bag → PT_ERROR. */
			for (k = 0; k < l->aEntries[0].cValues; k++)
				if (PROP_ID(v[k].ulPropTag) == PROP_ID(PR_INSTANCE_KEY))
					assert_int_equal(v[k].ulPropTag,
					                 PROP_TAG(PT_ERROR, PROP_ID(PR_INSTANCE_KEY)));
		}
		host_FreePadrlist(l);
	}
	assert_true(nth > 3);   /* the walk really failed allocations on the way */
	abp_props_free(&chris);
}

static void apply_checks_its_arguments(void **state)
{
	struct abp_resolve_outcome out[3];
	SizedFlagList(2, fl) = { 2, { 0, 0 } };
	ADRLIST *l = client_list();

	(void)state;
	memset(out, 0, sizeof(out));
	assert_int_equal(abp_resolve_apply(&host_al, NULL, 0, l, (FlagList *)&fl, out),
	                 MAPI_E_INVALID_PARAMETER);
	out[0].state = MAPI_RESOLVED;   /* resolved without a bag */
	fl.cFlags = 3;
	{
		SizedFlagList(3, fl3) = { 3, { 0, 0, 0 } };

		assert_int_equal(abp_resolve_apply(&host_al, NULL, 0, l, (FlagList *)&fl3, out),
		                 MAPI_E_INVALID_PARAMETER);
		assert_int_equal(fl3.ulFlag[0], MAPI_UNRESOLVED);
	}
	host_FreePadrlist(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rank_exact_prefix_substring_without_duplicates_CT11i),
		cmocka_unit_test(choose_one_several_none_CT11e_to_j),
		cmocka_unit_test(tags_default_and_requested_CT11a_CT11l),
		cmocka_unit_test(apply_all_or_nothing_under_allocation_failure_MM7),
		cmocka_unit_test(apply_checks_its_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
