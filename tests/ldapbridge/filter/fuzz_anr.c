/*
 * fuzz_anr.c - libFuzzer target: ANR and exact filters from arbitrary bytes.
 *
 * Byte 0 picks the mode (bit 0: Active Directory, bit 1: exact, bit 2: a
 * configured base filter); the rest is the user's text.  Whatever the text,
 * a built filter must be one balanced filter, and its shape must not depend
 * on the filter-special bytes in the input: the same input with every
 * '*' '(' ')' '\' replaced by 'x' must render with exactly as many unescaped
 * '(' ')' '*' (so none came from the input).  A raw equality node over the
 * whole buffer, NUL bytes included, must render to a valid filter too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ldapbridge/lb_filter.h>
#include "filter_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *build(const struct lb_anr_config *cfg, bool exact, const char *in, lb_err *rc_out)
{
	lb_filter *f = NULL;
	char *s = NULL;
	lb_err rc = exact ? lb_anr_build_exact(cfg, in, &f, NULL) : lb_anr_build(cfg, in, &f, NULL);

	if (rc == LB_OK) {
		rc = lb_filter_render(f, &s, NULL);
		lb_filter_free(f);
	}
	*rc_out = rc;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lb_anr_config cfg = { 0 };
	char *text = NULL, *neutral = NULL, *a = NULL, *b = NULL, *eq = NULL;
	lb_filter *f = NULL;
	lb_err ra, rb;
	bool exact;

	if (size == 0)
		return 0;
	cfg.active_directory = (data[0] & 1) != 0;
	exact = (data[0] & 2) != 0;
	if (data[0] & 4)
		cfg.base_filter = "(objectClass=inetOrgPerson)";
	text = malloc(size);
	neutral = malloc(size);
	if (text == NULL || neutral == NULL)
		goto done;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';   /* the API takes C strings: stops at a NUL */
	for (size_t i = 0; i < size; i++) {
		char c = text[i];

		neutral[i] = (c == '*' || c == '(' || c == ')' || c == '\\') ? 'x' : c;
	}
	a = build(&cfg, exact, text, &ra);
	b = build(&cfg, exact, neutral, &rb);
	/* replacing ASCII specials by a letter changes neither validity nor words */
	if (ra != rb)
		abort();
	if (ra == LB_OK) {
		if (!lbf_filter_ok(a, strlen(a)) || !lbf_filter_ok(b, strlen(b)))
			abort();
		if (lbf_count_unescaped(a, '(') != lbf_count_unescaped(b, '(') ||
		    lbf_count_unescaped(a, ')') != lbf_count_unescaped(b, ')') ||
		    lbf_count_unescaped(a, '*') != lbf_count_unescaped(b, '*'))
			abort();
	} else if (ra != LB_E_INVALID) {
		abort();   /* default configuration: only bad input may fail */
	}
	/* binary-safe path: the whole buffer, NULs included, as one value */
	if (size - 1 <= LB_FILTER_MAX_VALUE) {
		if (lb_filter_eq("cn", (const char *)data + 1, size - 1, &f, NULL) != LB_OK ||
		    lb_filter_render(f, &eq, NULL) != LB_OK || !lbf_filter_ok(eq, strlen(eq)) ||
		    lbf_count_unescaped(eq, '(') != 1 || lbf_count_unescaped(eq, '*') != 0)
			abort();
	}
done:
	lb_filter_free(f);
	free(eq);
	free(a);
	free(b);
	free(text);
	free(neutral);
	return 0;
}
