/*
 * bench_anr_build.c - instruction-count driver for lb_anr_build + render +
 * free (built, not a CTest test).  Run it under callgrind twice with
 * different --count values; the difference divided by the extra rounds is
 * the cost of one round over the typical inputs below.
 *
 *   valgrind --tool=callgrind bench_anr_build --count 1
 *   valgrind --tool=callgrind bench_anr_build --count 101
 *
 * --input TEXT replaces the built-in inputs by TEXT alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldapbridge/lb_filter.h>

static const char *inputs[] = { "Mary Johnson", "smith", ("Garc\xc3\xad" "a, Ana"), "jo" };

int main(int argc, char **argv)
{
	long count = 1;
	size_t total = 0, n_inputs = sizeof(inputs) / sizeof(inputs[0]);

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--count") == 0 && i + 1 < argc) {
			count = strtol(argv[++i], NULL, 10);
		} else if (strcmp(argv[i], "--input") == 0 && i + 1 < argc) {
			inputs[0] = argv[++i];
			n_inputs = 1;
		} else {
			fprintf(stderr, "usage: %s [--count N] [--input TEXT]\n", argv[0]);
			return 2;
		}
	}
	if (count < 0) {
		fprintf(stderr, "bench_anr_build: --count must not be negative\n");
		return 2;
	}
	for (long r = 0; r < count; r++) {
		for (size_t i = 0; i < n_inputs; i++) {
			struct lb_error err;
			lb_filter *f = NULL;
			char *s = NULL;

			if (lb_anr_build(NULL, inputs[i], &f, &err) != LB_OK ||
			    lb_filter_render(f, &s, &err) != LB_OK) {
				fprintf(stderr, "bench_anr_build: %s\n", err.message);
				lb_filter_free(f);
				return 1;
			}
			total += strlen(s);
			free(s);
			lb_filter_free(f);
		}
	}
	printf("%ld rounds, %zu bytes rendered\n", count, total);
	return 0;
}
