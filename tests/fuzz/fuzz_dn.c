/*
 * fuzz_dn.c - libFuzzer target for ldapbridge's DN helpers (lb_filter.h),
 * which name objects in DN-located entry IDs (EK-4) and decide container
 * membership: a wrong answer is a wrong identity.
 *
 * Input: two C strings, a and b, split at the first NUL (b is "" without one).
 * Properties:
 *   - normalisation answers LB_OK or LB_E_INVALID; LB_OK gives a string that
 *     normalises to itself (idempotent) and is strict UTF-8 (no encoded
 *     surrogates, nothing past U+10FFFF);
 *   - a normalisable DN equals itself and its normal form; is a descendant
 *     of itself and of "";
 *   - lb_dn_equal(a, b) agrees with comparing the normal forms, is
 *     symmetric, and is LB_E_INVALID exactly when either DN does not
 *     normalise;
 *   - lb_dn_rdn_value() answers LB_OK only for a valid non-empty DN, with
 *     valid UTF-8;
 *   - NULL arguments are LB_E_INVALID.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ldapbridge/lb_filter.h>

#include "fuzz_check.h"

static bool utf8_ok(const char *s)
{
	return fuzz_utf8_valid((const unsigned char *)s, strlen(s));
}

/* Normalise, checking the single-DN properties; *out NULL when invalid. */
static lb_err check_one(const char *dn, char **out)
{
	char *n = NULL, *again = NULL, *rdn = NULL;
	bool eq = false, below = false;
	lb_err rc = lb_dn_normalize(dn, &n, NULL), rc2;

	*out = NULL;
	FUZZ_CHECK(rc == LB_OK || rc == LB_E_INVALID);
	if (rc != LB_OK) {
		/* Every DN function parses the same way: what normalising refuses,
		 * comparing refuses too. */
		rc2 = lb_dn_equal(dn, dn, &eq, NULL);
		FUZZ_CHECK(rc2 == LB_E_INVALID);
		free(rdn);
		return rc;
	}
	FUZZ_CHECK(n != NULL && fuzz_utf8_valid_ex((const unsigned char *)n, strlen(n), 0));
	rc2 = lb_dn_normalize(n, &again, NULL);
	FUZZ_CHECK(rc2 == LB_OK && strcmp(again, n) == 0);
	FUZZ_CHECK(lb_dn_equal(dn, dn, &eq, NULL) == LB_OK && eq);
	eq = false;
	FUZZ_CHECK(lb_dn_equal(dn, n, &eq, NULL) == LB_OK && eq);
	FUZZ_CHECK(lb_dn_is_descendant(dn, dn, &below, NULL) == LB_OK && below);
	below = false;
	FUZZ_CHECK(lb_dn_is_descendant(dn, "", &below, NULL) == LB_OK && below);
	rc2 = lb_dn_rdn_value(dn, &rdn, NULL);
	if (n[0] == '\0')
		FUZZ_CHECK(rc2 == LB_E_INVALID);
	else
		FUZZ_CHECK(rc2 == LB_OK && rdn != NULL && utf8_ok(rdn));
	free(rdn);
	free(again);
	*out = n;
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = NULL, *na = NULL, *nb = NULL, *out = NULL;
	const char *a, *b;
	bool eq1 = false, eq2 = false;
	lb_err ra, rb, r1, r2;

	/* Exactly the bytes plus two NULs: a read past b's end is caught. */
	in = malloc(size + 2);
	FUZZ_CHECK(in != NULL);
	if (size)
		memcpy(in, data, size);
	in[size] = '\0';
	in[size + 1] = '\0';
	a = in;
	b = in + strlen(a) + 1;

	ra = check_one(a, &na);
	rb = check_one(b, &nb);
	r1 = lb_dn_equal(a, b, &eq1, NULL);
	r2 = lb_dn_equal(b, a, &eq2, NULL);
	if (ra == LB_OK && rb == LB_OK) {
		FUZZ_CHECK(r1 == LB_OK && r2 == LB_OK);
		FUZZ_CHECK(eq1 == eq2);
		FUZZ_CHECK(eq1 == (strcmp(na, nb) == 0));
	} else {
		FUZZ_CHECK(r1 == r2);
		FUZZ_CHECK(r1 == LB_E_INVALID);
	}

	FUZZ_CHECK(lb_dn_normalize(NULL, &out, NULL) == LB_E_INVALID);
	FUZZ_CHECK(lb_dn_equal(NULL, a, &eq1, NULL) == LB_E_INVALID);
	free(nb);
	free(na);
	free(in);
	return 0;
}
