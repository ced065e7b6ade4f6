/*
 * test_anr_golden.c - the ANR builder's outputs over a table of
 * configurations and inputs, compared with what the implementation before
 * the arena rewrite produced (anr_golden_rows.h): the same text, the same
 * error codes, the same messages.  Also trees mixing ANR results with
 * public constructors, which move arena chunks between owners (ASan checks
 * that nothing leaks or is freed twice).
 *
 * `lb_filter_anr_golden --print` prints the rows for the current
 * implementation instead of checking them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldapbridge/lb_filter.h>
#include "filter_check.h"

static const char *const custom_prefix[] = { "cn", "mail;binary", "2.5.4.4" };
static const char *const custom_word[] = { "description" };
static const char *const custom_exact[] = { "mail", "2.5.4.3", "uid" };
static const char *const bad_prefix[] = { "cn", "bad attr" };
static const char *const one_prefix[] = { "cn" };
static const char *const null_prefix[] = { "cn", NULL };
static const char *const null_only[] = { NULL };
static const char *big_prefix[1100];   /* filled by fill_big(): over the node limit */

static void fill_big(void)
{
	for (size_t i = 0; i < sizeof(big_prefix) / sizeof(big_prefix[0]); i++)
		big_prefix[i] = (i % 2) ? "cn" : "sn";
}

/* Configurations the table is run under (index = row's cfg). */
static const struct lb_anr_config cfgs[] = {
	/* 0 */ { 0 },
	/* 1 */ { .active_directory = true },
	/* 2 */ { .base_filter = "(objectClass=inetOrgPerson)" },
	/* 3 */ { .active_directory = true, .base_filter = "" },
	/* 4 */ { .base_filter = " objectClass=person ", .prefix_attrs = custom_prefix,
	          .n_prefix_attrs = 3, .word_attrs = custom_word, .n_word_attrs = 1,
	          .given_name_attr = "gn", .surname_attr = "surname;lang-en",
	          .exact_attrs = custom_exact, .n_exact_attrs = 3, .max_input = 20 },
	/* 5 */ { .prefix_attrs = bad_prefix, .n_prefix_attrs = 2 },
	/* 6 */ { .prefix_attrs = one_prefix, .n_prefix_attrs = 1, .word_attrs = custom_word,
	          .n_word_attrs = 0 },
	/* 7 */ { .prefix_attrs = one_prefix, .n_prefix_attrs = 0, .word_attrs = custom_word,
	          .n_word_attrs = 0, .exact_attrs = custom_exact, .n_exact_attrs = 0 },
	/* 8 */ { .base_filter = "(cn=" },
	/* 9 */ { .active_directory = true, .base_filter = "(&(objectClass=user)(!(cn=x*)))",
	          .exact_attrs = one_prefix, .n_exact_attrs = 1 },
	/* 10 */ { .given_name_attr = "bad name", .surname_attr = "sn" },
	/* 11 */ { .max_input = 10000 },
	/* 12 */ { .max_input = 10000, .active_directory = true },
	/* 13 */ { .prefix_attrs = null_prefix, .n_prefix_attrs = 2, .exact_attrs = null_prefix,
	           .n_exact_attrs = 2 },
	/* 14 */ { .word_attrs = null_only, .n_word_attrs = 1, .exact_attrs = null_only,
	           .n_exact_attrs = 1, .surname_attr = "surname" },
	/* 15 */ { .prefix_attrs = big_prefix, .n_prefix_attrs = 1100, .exact_attrs = big_prefix,
	           .n_exact_attrs = 1100 },
	/* 16 */ { .prefix_attrs = big_prefix, .n_prefix_attrs = 500, .word_attrs = one_prefix,
	           .n_word_attrs = 1 },
	/* 17 */ { .surname_attr = "1.2.3", .given_name_attr = "0bad", .max_input = 10000,
	           .prefix_attrs = null_prefix, .n_prefix_attrs = 1 },
};

static const char *const inputs[] = {
	"Mary Johnson", "smith", "Garc\xc3\xad" "a, Ana", "jo", "  \tbill \n",
	"van Dyke, Anna", "a*b(c)\\d", "O'Brien-Smith", "one two three", "a, b, c",
	",", "x,", ", y", "Smith ,  John  Paul", "\xc3\x84rger \xc3\x96L",
	"\xe3\x80\x80\xe5\xb1\xb1\xe7\x94\xb0\xe3\x80\x80\xe5\xa4\xaa\xe9\x83\x8e\xe3\x80\x80",
	"\xc2\xa0nbsp\xc2\xa0", "a@b.c", "user@example.com  Smith", "1 2 3 4 5 6 7 8",
	"1 2 3 4 5 6 7 8 9", "", "   ", "\xff", "ab\xc3", "a\x01" "b", "del\x7f", "tab\tsep",
	"x\r\ny", "12345678901234567890", "123456789012345678901",
	"\xf0\x9f\x98\x80 smile", "a,b", "  ,  ,  ", "*", "\\", "(", ")", "**", "a**b",
};

/* Inputs made at run time (index n_inputs + k): long words around the
 * value limit, then word lists near the render limit (k 4: fits once the
 * exact length is computed; 5 and 6: do not, 5 because of escapes). */
#define N_LONG 7
static char *long_input(size_t k)
{
	static const size_t lens[N_LONG] = { 4095, 4096, 4097, 5000, 7 * 1101 - 1,
	                                     8 * 901 - 1, 8 * 1101 - 1 };
	size_t word = k == 5 ? 901 : 1101;
	char *s = malloc(lens[k] + 1);

	if (s == NULL)
		return NULL;
	for (size_t i = 0; i < lens[k]; i++) {
		if (k < 3)
			s[i] = 'x';
		else if (k == 3)
			s[i] = i == 2000 ? ' ' : 'y';
		else if (i % word == word - 1)
			s[i] = ' ';
		else if (k == 5 && i % 3 == 0)
			s[i] = '(';
		else
			s[i] = (char)('a' + i % 26);
	}
	s[lens[k]] = '\0';
	return s;
}

#define N_CFGS   (sizeof(cfgs) / sizeof(cfgs[0]))
#define N_INPUTS (sizeof(inputs) / sizeof(inputs[0]))

struct golden {
	size_t cfg;
	int exact;
	size_t input;      /* index into inputs, or N_INPUTS + k for long_input(k) */
	int rc;
	const char *text;  /* rendered filter, when short */
	size_t len;        /* else its length ... */
	unsigned long hash;/* ... and FNV-1a hash */
	const char *msg;   /* error message on failure */
};

static const struct golden rows[] = {
#include "anr_golden_rows.h"
};

static unsigned long fnv1a(const char *s)
{
	unsigned long h = 2166136261u;

	for (; *s != '\0'; s++)
		h = ((h ^ (unsigned char)*s) * 16777619u) & 0xffffffffu;
	return h;
}

/* Build and render one case; *text receives the filter (caller frees). */
static lb_err run_case(size_t c, int exact, size_t i, char **text, struct lb_error *err)
{
	char *in = i < N_INPUTS ? (char *)inputs[i] : long_input(i - N_INPUTS);
	lb_filter *f = NULL;
	lb_err rc;

	*text = NULL;
	if (in == NULL)
		return LB_E_NOMEM;
	memset(err, 0, sizeof(*err));
	rc = exact ? lb_anr_build_exact(&cfgs[c], in, &f, err) : lb_anr_build(&cfgs[c], in, &f, err);
	if (rc == LB_OK) {
		rc = lb_filter_render(f, text, err);
		lb_filter_free(f);
	} else if (f != NULL) {
		fail_msg("output assigned on failure");
	}
	if (i >= N_INPUTS)
		free(in);
	return rc;
}

static void print_cstr(const char *s)
{
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			printf("\\x%02x\"\"", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

/* --print: the rows for the current implementation. */
static int print_rows(void)
{
	for (size_t c = 0; c < N_CFGS; c++)
		for (int exact = 0; exact < 2; exact++)
			for (size_t i = 0; i < N_INPUTS + N_LONG; i++) {
				struct lb_error err;
				char *s = NULL;
				lb_err rc = run_case(c, exact, i, &s, &err);

				printf("\t{ %zu, %d, %zu, %d, ", c, exact, i, (int)rc);
				if (rc == LB_OK && strlen(s) <= 600) {
					print_cstr(s);
					printf(", 0, 0, NULL },\n");
				} else if (rc == LB_OK) {
					printf("NULL, %zu, 0x%08lx, NULL },\n", strlen(s), fnv1a(s));
				} else {
					printf("NULL, 0, 0, ");
					print_cstr(err.message);
					printf(" },\n");
				}
				free(s);
			}
	return 0;
}

static void test_table_matches_old_outputs(void **state)
{
	(void)state;
	/* every combination is pinned, none forgotten */
	assert_int_equal(sizeof(rows) / sizeof(rows[0]), N_CFGS * 2 * (N_INPUTS + N_LONG));
	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		const struct golden *g = &rows[r];
		struct lb_error err;
		char *s = NULL;
		lb_err rc = run_case(g->cfg, g->exact, g->input, &s, &err);

		if ((int)rc != g->rc)
			fail_msg("row %zu (cfg %zu exact %d input %zu): rc %d, want %d (%s)", r, g->cfg,
			         g->exact, g->input, (int)rc, g->rc, err.message);
		if (rc != LB_OK) {
			assert_int_equal(err.code, rc);
			if (strcmp(err.message, g->msg) != 0)
				fail_msg("row %zu: message \"%s\", want \"%s\"", r, err.message, g->msg);
			continue;
		}
		assert_true(lbf_filter_ok(s, strlen(s)));
		if (g->text != NULL) {
			if (strcmp(s, g->text) != 0)
				fail_msg("row %zu (cfg %zu exact %d input %zu):\n got %s\nwant %s", r,
				         g->cfg, g->exact, g->input, s, g->text);
		} else {
			assert_int_equal(strlen(s), g->len);
			assert_int_equal(fnv1a(s), g->hash);
		}
		free(s);
	}
}

static char *render_free(lb_filter *f)
{
	char *s = NULL;

	assert_non_null(f);
	assert_int_equal(lb_filter_render(f, &s, NULL), LB_OK);
	lb_filter_free(f);
	return s;
}

static char *anr_text(const char *input)
{
	lb_filter *f = NULL;

	assert_int_equal(lb_anr_build(NULL, input, &f, NULL), LB_OK);
	return render_free(f);
}

/* ANR trees handed to the public API: their arena moves to the new owner. */
static void test_anr_tree_in_public_trees(void **state)
{
	char *w = anr_text("jo"), *two = anr_text("one two"), *three = anr_text("a b c");
	char want[4096], *s;
	lb_filter *list = NULL, *leaf = NULL, *anr = NULL, *res = NULL;

	(void)state;
	/* (|(uid=x) W(jo)) */
	assert_int_equal(lb_filter_list(LB_FILTER_OR, &list, NULL), LB_OK);
	assert_int_equal(lb_filter_eq("uid", "x", LB_NTS, &leaf, NULL), LB_OK);
	assert_int_equal(lb_filter_add(list, leaf, NULL), LB_OK);
	assert_int_equal(lb_anr_build(NULL, "jo", &anr, NULL), LB_OK);
	assert_int_equal(lb_filter_add(list, anr, NULL), LB_OK);
	snprintf(want, sizeof(want), "(|(uid=x)%s)", w);
	s = render_free(list);
	assert_string_equal(s, want);
	free(s);

	/* (!W(jo)) */
	assert_int_equal(lb_anr_build(NULL, "jo", &anr, NULL), LB_OK);
	assert_int_equal(lb_filter_not(anr, &res, NULL), LB_OK);
	snprintf(want, sizeof(want), "(!%s)", w);
	s = render_free(res);
	assert_string_equal(s, want);
	free(s);

	/* a base on an OR root: a new AND above it */
	assert_int_equal(lb_anr_build(NULL, "one two", &anr, NULL), LB_OK);
	assert_int_equal(lb_filter_with_base("(o=x)", anr, &res, NULL), LB_OK);
	snprintf(want, sizeof(want), "(&(o=x)%s)", two);
	s = render_free(res);
	assert_string_equal(s, want);
	free(s);

	/* a base on an AND root: put first inside it */
	assert_int_equal(lb_anr_build(NULL, "a b c", &anr, NULL), LB_OK);
	assert_int_equal(lb_filter_with_base("o=x", anr, &res, NULL), LB_OK);
	snprintf(want, sizeof(want), "(&(o=x)%s", three + 2);
	s = render_free(res);
	assert_string_equal(s, want);
	free(s);

	/* a refused base still consumes the tree (ASan: no leak) */
	assert_int_equal(lb_anr_build(NULL, "jo", &anr, NULL), LB_OK);
	assert_int_equal(lb_filter_with_base("(o=", anr, &res, NULL), LB_E_FILTER);

	/* an add refused by the depth limit frees the ANR tree it was given */
	assert_int_equal(lb_anr_build(NULL, "jo", &anr, NULL), LB_OK);
	res = anr;
	for (int i = 0; i < LB_FILTER_MAX_DEPTH; i++) {
		lb_err rc = lb_filter_not(res, &res, NULL);

		if (rc != LB_OK) {
			assert_int_equal(rc, LB_E_FILTER);
			break;
		}
	}
	free(w);
	free(two);
	free(three);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_matches_old_outputs),
		cmocka_unit_test(test_anr_tree_in_public_trees),
	};

	fill_big();
	if (argc == 2 && strcmp(argv[1], "--print") == 0)
		return print_rows();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
