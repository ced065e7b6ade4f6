/*
 * test_json.c - the ldapab command's JSON values and writer (host/cli/json.c):
 * every escape, ill-formed UTF-8 written as U+FFFD, well-formed UTF-8 kept,
 * member order, the exact pretty and compact text, failures that refuse the
 * whole tree, and every allocation failed in turn (malloc and friends are
 * wrapped at link time; ASan's leak check sees what a failure leaves).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "test_core_failalloc.h"     /* the fail-once allocator switch */

static const char *self_path;   /* argv[0]: a file to open read-only */

/* The text of v (pretty or compact), checked against the stream writer. */
static char *text_of(const struct jv *v, bool pretty)
{
	char *s = jv_to_string(v, pretty);
	FILE *f = tmpfile();
	long n;
	char *back;

	assert_non_null(s);
	assert_non_null(f);
	assert_int_equal(jv_write(f, v, pretty), 0);
	n = ftell(f);
	assert_int_equal(n, (long)strlen(s));
	back = malloc((size_t)n + 1);
	assert_non_null(back);
	rewind(f);
	assert_int_equal(fread(back, 1, (size_t)n, f), (size_t)n);
	back[n] = '\0';
	assert_string_equal(back, s);
	free(back);
	fclose(f);
	return s;
}

/* A string value written compact must give exactly want. */
static void check_string(const char *in, const char *want)
{
	struct jv *v = jv_string(in);
	char *s = text_of(v, false);

	assert_string_equal(s, want);
	free(s);
	jv_free(v);
}

static void test_escapes_quote_backslash_and_short_forms(void **state)
{
	(void)state;
	check_string("", "\"\"");
	check_string("plain / text", "\"plain / text\"");
	check_string("\"", "\"\\\"\"");
	check_string("\\", "\"\\\\\"");
	check_string("a\"b\\c", "\"a\\\"b\\\\c\"");
	check_string("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
	check_string("line1\nline2", "\"line1\\nline2\"");
}

static void test_every_control_character_is_escaped(void **state)
{
	(void)state;
	for (int c = 1; c < 0x20; c++) {
		char in[4] = { 'x', (char)c, 'y', '\0' }, want[16];
		const char *shortform = c == '\b' ? "\\b" : c == '\f' ? "\\f" : c == '\n' ? "\\n"
		                      : c == '\r' ? "\\r" : c == '\t' ? "\\t" : NULL;

		if (shortform)
			snprintf(want, sizeof(want), "\"x%sy\"", shortform);
		else
			snprintf(want, sizeof(want), "\"x\\u%04Xy\"", (unsigned)c);
		check_string(in, want);
	}
	/* DEL, a C1 control, U+2028 and U+2029 are legal raw in JSON strings. */
	check_string("\x7F", "\"\x7F\"");
	check_string("\xC2\x85", "\"\xC2\x85\"");
	check_string("\xE2\x80\xA8\xE2\x80\xA9", "\"\xE2\x80\xA8\xE2\x80\xA9\"");
}

#define FFFD "\xEF\xBF\xBD"

static void test_ill_formed_utf8_becomes_replacement_characters(void **state)
{
	/* One U+FFFD per maximal ill-formed subpart (what Python's
	 * bytes.decode("utf-8", "replace") gives). */
	static const struct { const char *in, *want; } cases[] = {
		{ "\xFF", "\"" FFFD "\"" },
		{ "\xFE", "\"" FFFD "\"" },
		{ "\x80", "\"" FFFD "\"" },                             /* stray continuation */
		{ "a\xBF" "b", "\"a" FFFD "b\"" },
		{ "\xC0\x80", "\"" FFFD FFFD "\"" },                    /* overlong NUL */
		{ "\xC1\xBF", "\"" FFFD FFFD "\"" },                    /* overlong U+007F */
		{ "\xE0\x80\xAF", "\"" FFFD FFFD FFFD "\"" },           /* overlong '/' */
		{ "\xE0\x9F\xBF", "\"" FFFD FFFD FFFD "\"" },           /* overlong U+07FF */
		{ "\xF0\x80\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"" },  /* overlong NUL */
		{ "\xF0\x8F\xBF\xBF", "\"" FFFD FFFD FFFD FFFD "\"" },  /* overlong U+FFFF */
		{ "\xED\xA0\x80", "\"" FFFD FFFD FFFD "\"" },           /* U+D800 */
		{ "\xED\xBF\xBF", "\"" FFFD FFFD FFFD "\"" },           /* U+DFFF */
		{ "\xED\xA0\xBD\xED\xB8\x80", "\"" FFFD FFFD FFFD FFFD FFFD FFFD "\"" }, /* a pair */
		{ "\xF4\x90\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"" },  /* U+110000 */
		{ "\xF5\x80\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"" },
		{ "\xF8\x88\x80\x80\x80", "\"" FFFD FFFD FFFD FFFD FFFD "\"" },
		{ "\xC3", "\"" FFFD "\"" },                             /* truncated at the end */
		{ "\xE2\x82", "\"" FFFD "\"" },
		{ "\xF0\x9F\x98", "\"" FFFD "\"" },
		{ "a\xE2\x82" "b", "\"a" FFFD "b\"" },                  /* truncated mid-string */
		{ "\xF0\x9F\x98" "A", "\"" FFFD "A\"" },
		{ "\xC3\x28", "\"" FFFD "(\"" },
		{ "\xEF\xBF" "\"", "\"" FFFD "\\\"\"" },                /* cut U+FFFD, then a quote */
		{ "\xE2\x82\n", "\"" FFFD "\\n\"" },                    /* cut, then a control */
		{ "\xC3\xC3\xA9", "\"" FFFD "\xC3\xA9\"" },             /* the next lead byte is kept */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		check_string(cases[i].in, cases[i].want);
	}
}

static void test_well_formed_utf8_is_kept(void **state)
{
	static const char *const kept[] = {
		"\xC2\x80",                     /* U+0080 */
		"S\303\270ren \303\230deg\303\245rd",    /* Søren Ødegård */
		"\xDF\xBF",                     /* U+07FF */
		"\xE0\xA0\x80",                 /* U+0800 */
		"\xE2\x82\xAC",                 /* U+20AC */
		"\xE4\xBD\x90\xE8\x97\xA4",     /* 佐藤 */
		"\xED\x9F\xBF",                 /* U+D7FF */
		"\xEE\x80\x80",                 /* U+E000 */
		"\xEF\xBF\xBD",                 /* U+FFFD itself */
		"\xEF\xBF\xBF",                 /* U+FFFF */
		"\xF0\x90\x80\x80",             /* U+10000 */
		"\xF0\x9F\x98\x80",             /* U+1F600 */
		"\xF4\x8F\xBF\xBF",             /* U+10FFFF */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
		char want[64];

		snprintf(want, sizeof(want), "\"%s\"", kept[i]);
		check_string(kept[i], want);
	}
}

static void test_keys_are_escaped_and_repaired_too(void **state)
{
	struct jv *o = jv_object();
	char *s;

	(void)state;
	jv_set(o, "a\"b\n\xFF", jv_int(1));
	s = text_of(o, false);
	assert_string_equal(s, "{\"a\\\"b\\n" FFFD "\":1}");
	free(s);
	jv_free(o);
}

/* {"name":"Zoë","list":[1,-2,{"z":null,"a":true,"m":false}],"empty_list":[],
 *  "empty_object":{},"max":LLONG_MAX,"min":LLONG_MIN} */
static struct jv *sample(void)
{
	struct jv *o = jv_object(), *list = jv_array(), *inner = jv_object();

	jv_set(o, "name", jv_string("Zo\xC3\xAB"));
	jv_append(list, jv_int(1));
	jv_append(list, jv_int(-2));
	jv_set(inner, "z", jv_null());
	jv_set(inner, "a", jv_bool(true));
	jv_set(inner, "m", jv_bool(false));
	jv_append(list, inner);
	jv_set(o, "list", list);
	jv_set(o, "empty_list", jv_array());
	jv_set(o, "empty_object", jv_object());
	jv_set(o, "max", jv_int(LLONG_MAX));
	jv_set(o, "min", jv_int(LLONG_MIN));
	return o;
}

static const char sample_compact[] =
	"{\"name\":\"Zo\xC3\xAB\",\"list\":[1,-2,{\"z\":null,\"a\":true,\"m\":false}],"
	"\"empty_list\":[],\"empty_object\":{},\"max\":9223372036854775807,"
	"\"min\":-9223372036854775808}";

static const char sample_pretty[] =
	"{\n"
	"  \"name\": \"Zo\xC3\xAB\",\n"
	"  \"list\": [\n"
	"    1,\n"
	"    -2,\n"
	"    {\n"
	"      \"z\": null,\n"
	"      \"a\": true,\n"
	"      \"m\": false\n"
	"    }\n"
	"  ],\n"
	"  \"empty_list\": [],\n"
	"  \"empty_object\": {},\n"
	"  \"max\": 9223372036854775807,\n"
	"  \"min\": -9223372036854775808\n"
	"}";

static void test_nesting_order_and_exact_text(void **state)
{
	struct jv *o = sample();
	char *s;

	(void)state;
	assert_false(jv_failed(o));
	s = text_of(o, false);
	assert_string_equal(s, sample_compact);
	free(s);
	s = text_of(o, true);
	assert_string_equal(s, sample_pretty);
	free(s);
	jv_free(o);
}

static void test_scalars_and_empty_containers_alone(void **state)
{
	static const struct { struct jv *(*make)(void); const char *want; } alone[] = {
		{ jv_object, "{}" }, { jv_array, "[]" }, { jv_null, "null" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(alone) / sizeof(alone[0]); i++) {
		struct jv *v = alone[i].make();
		char *p = text_of(v, true), *c = text_of(v, false);

		assert_string_equal(p, alone[i].want);
		assert_string_equal(c, alone[i].want);
		free(p);
		free(c);
		jv_free(v);
	}
	for (int b = 0; b < 2; b++) {
		struct jv *v = jv_bool(b);
		char *s = text_of(v, true);

		assert_string_equal(s, b ? "true" : "false");
		free(s);
		jv_free(v);
	}
	{
		static const long long ints[] = { 0, 7, -1, 10, 1000000007, -9 };
		static const char *const texts[] = { "0", "7", "-1", "10", "1000000007", "-9" };

		for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
			struct jv *v = jv_int(ints[i]);
			char *s = text_of(v, false);

			assert_string_equal(s, texts[i]);
			free(s);
			jv_free(v);
		}
	}
}

static void test_setting_a_key_again_replaces_in_place(void **state)
{
	struct jv *o = jv_object();
	char *s;

	(void)state;
	jv_set(o, "a", jv_int(1));
	jv_set(o, "b", jv_int(2));
	jv_set(o, "a", jv_string("again"));
	s = text_of(o, false);
	assert_string_equal(s, "{\"a\":\"again\",\"b\":2}");
	free(s);
	jv_free(o);
}

static void test_many_members_and_long_strings(void **state)
{
	struct jv *a = jv_array();
	char *big = malloc(5001), *s, *want;
	size_t w = 0;

	(void)state;
	assert_non_null(big);
	memset(big, 'q', 5000);
	big[5000] = '\0';
	for (int i = 0; i < 300; i++)
		jv_append(a, jv_int(i));
	jv_append(a, jv_string(big));
	want = malloc(8000);
	assert_non_null(want);
	want[w++] = '[';
	for (int i = 0; i < 300; i++)
		w += (size_t)sprintf(want + w, "%d,", i);
	w += (size_t)sprintf(want + w, "\"%s\"]", big);
	s = text_of(a, false);
	assert_string_equal(s, want);
	free(s);
	free(want);
	free(big);
	jv_free(a);
}

/* Nothing written, NULL text: the whole tree is refused. */
static void assert_refused(const struct jv *v)
{
	FILE *f = tmpfile();

	assert_true(jv_failed(v));
	assert_null(jv_to_string(v, false));
	assert_null(jv_to_string(v, true));
	assert_non_null(f);
	assert_int_equal(jv_write(f, v, true), -1);
	assert_int_equal(ftell(f), 0);
	fclose(f);
}

static void test_a_failed_member_refuses_the_whole_tree(void **state)
{
	struct jv *o, *inner, *a;

	(void)state;
	assert_refused(NULL);
	assert_null(jv_string(NULL));

	/* A NULL value (a constructor out of memory) marks its container. */
	o = jv_object();
	jv_set(o, "ok", jv_int(1));
	jv_set(o, "lost", jv_string(NULL));
	assert_refused(o);
	jv_free(o);

	/* ... and every container above it, even when added later. */
	o = sample();
	inner = jv_object();
	a = jv_array();
	jv_append(a, NULL);
	jv_set(inner, "deep", a);
	jv_set(o, "inner", inner);
	assert_refused(o);
	jv_free(o);

	/* The wrong kind of container, a NULL key. */
	o = jv_object();
	jv_append(o, jv_int(1));
	assert_refused(o);
	jv_free(o);
	a = jv_array();
	jv_set(a, "k", jv_int(1));
	assert_refused(a);
	jv_free(a);
	o = jv_object();
	jv_set(o, NULL, jv_int(1));
	assert_refused(o);
	jv_free(o);

	/* No container: the value is freed (the leak check sees it otherwise). */
	jv_set(NULL, "k", jv_string("freed"));
	jv_append(NULL, jv_string("freed"));
	jv_free(NULL);
}

static void test_a_stream_that_cannot_be_written_is_reported(void **state)
{
	FILE *f = fopen(self_path, "rb");
	struct jv *v = sample();

	(void)state;
	assert_non_null(f);
	assert_int_equal(jv_write(f, v, true), -1);
	assert_int_equal(jv_write(NULL, v, true), -1);
	fclose(f);
	jv_free(v);
}

/* Builds sample() and writes it with allocation n failed, for n = 0, 1, ...
 * until a run needs no failure: a failed run gives no text, or the exact text
 * when the failure was one the writer can do without, and leaks nothing; the
 * run that needs none gives the exact text. */
static void walk_failures(bool pretty, const char *want)
{
	long refused = 0;

	for (long n = 0; n < 10000; n++) {
		struct jv *v;
		char *s;
		bool hit;

		core_failalloc_arm(n);
		v = sample();
		s = jv_to_string(v, pretty);
		hit = core_failalloc_disarm() != 0;
		jv_free(v);
		if (!hit) {
			assert_non_null(s);
			assert_string_equal(s, want);
			free(s);
			assert_true(refused > 10);      /* the walk did refuse to write */
			return;
		}
		if (s) {        /* a failure the writer does without (a shrinking realloc) */
			assert_string_equal(s, want);
			free(s);
		} else {
			refused++;
		}
	}
	fail_msg("building and writing never completed");
}

static void test_every_allocation_failure_gives_no_text_and_no_leak(void **state)
{
	(void)state;
	walk_failures(false, sample_compact);
	walk_failures(true, sample_pretty);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes_quote_backslash_and_short_forms),
		cmocka_unit_test(test_every_control_character_is_escaped),
		cmocka_unit_test(test_ill_formed_utf8_becomes_replacement_characters),
		cmocka_unit_test(test_well_formed_utf8_is_kept),
		cmocka_unit_test(test_keys_are_escaped_and_repaired_too),
		cmocka_unit_test(test_nesting_order_and_exact_text),
		cmocka_unit_test(test_scalars_and_empty_containers_alone),
		cmocka_unit_test(test_setting_a_key_again_replaces_in_place),
		cmocka_unit_test(test_many_members_and_long_strings),
		cmocka_unit_test(test_a_failed_member_refuses_the_whole_tree),
		cmocka_unit_test(test_a_stream_that_cannot_be_written_is_reported),
		cmocka_unit_test(test_every_allocation_failure_gives_no_text_and_no_leak),
	};

	(void)argc;
	self_path = argv[0];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
