/*
 * fuzz_check.h - what every fuzz target here shares.  A broken property is
 * reported with its line and abort()ed, so libFuzzer saves the input as a
 * crash and the corpus replayer fails.
 */
#ifndef LDAPAB_FUZZ_CHECK_H
#define LDAPAB_FUZZ_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                         \
	do {                                                                     \
		if (!(cond)) {                                                   \
			fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__,  \
			        __LINE__, #cond);                                \
			abort();                                                 \
		}                                                                \
	} while (0)

/* Strict UTF-8 (Unicode table 3-7: no overlongs, surrogates or values above
 * U+10FFFF), len bytes.  Written here independently of the code under test
 * so that a bug shared by both cannot hide.  lenient: also accept the
 * encodings of surrogates, of values above U+10FFFF and the old 5- and
 * 6-byte forms (what libldap's own UTF-8 check lets through), still no
 * overlongs or broken sequences. */
static inline int fuzz_utf8_valid_ex(const unsigned char *s, size_t len, int lenient)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp, min;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			n = 1; cp = c & 0x1F; min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2; cp = c & 0x0F; min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			n = 3; cp = c & 0x07; min = 0x10000;
		} else if (lenient && (c & 0xFC) == 0xF8) {
			n = 4; cp = c & 0x03; min = 0x200000;
		} else if (lenient && (c & 0xFE) == 0xFC) {
			n = 5; cp = c & 0x01; min = 0x4000000;
		} else {
			return 0;
		}
		if (len - i - 1 < n)
			return 0;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min)
			return 0;
		if (!lenient && (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)))
			return 0;
		i += n + 1;
	}
	return 1;
}

static inline int fuzz_utf8_valid(const unsigned char *s, size_t len)
{
	return fuzz_utf8_valid_ex(s, len, 0);
}

#endif /* LDAPAB_FUZZ_CHECK_H */
