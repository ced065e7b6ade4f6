/*
 * utf8.c - strict UTF-8 validation and repair (spec MU-6: invalid server
 * data must never crash the provider; it becomes U+FFFD).
 */
#include <ldapbridge/lb_filter.h>

#include <stdlib.h>
#include <string.h>

#define REPLACEMENT 0xFFFDu

static void utf8_fail(struct lb_error *err, lb_err code, const char *msg)
{
	if (err == NULL)
		return;
	memset(err, 0, sizeof(*err));
	err->code = code;
	err->step = LB_STEP_NONE;
	strncpy(err->message, msg, sizeof(err->message) - 1);
}

/*
 * Length of the longest prefix of s that could still start a valid sequence
 * (the "maximal subpart"), at least 1.  Also the full length when valid.
 * Sets *valid and *cp for a complete valid sequence.
 */
static size_t utf8_scan(const unsigned char *s, size_t len, bool *valid, uint32_t *cp)
{
	unsigned char b0 = s[0];
	size_t need;
	uint32_t value;
	unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the 2nd byte */

	*valid = false;
	if (b0 < 0x80) {
		*valid = true;
		*cp = b0;
		return 1;
	}
	if (b0 >= 0xC2 && b0 <= 0xDF) {
		need = 2;
		value = b0 & 0x1Fu;
	} else if (b0 >= 0xE0 && b0 <= 0xEF) {
		need = 3;
		value = b0 & 0x0Fu;
		if (b0 == 0xE0)
			lo = 0xA0;  /* overlong below U+0800 */
		else if (b0 == 0xED)
			hi = 0x9F;  /* surrogates U+D800..U+DFFF */
	} else if (b0 >= 0xF0 && b0 <= 0xF4) {
		need = 4;
		value = b0 & 0x07u;
		if (b0 == 0xF0)
			lo = 0x90;  /* overlong below U+10000 */
		else if (b0 == 0xF4)
			hi = 0x8F;  /* above U+10FFFF */
	} else {
		/* continuation byte, C0/C1 (always overlong), F5..FF */
		return 1;
	}
	for (size_t i = 1; i < need; i++) {
		unsigned char b;

		if (i >= len)
			return i;   /* truncated */
		b = s[i];
		if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF))
			return i;
		value = (value << 6) | (b & 0x3Fu);
	}
	*valid = true;
	*cp = value;
	return need;
}

size_t lb_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	bool valid;
	uint32_t value = REPLACEMENT;
	size_t n;

	if (s == NULL || len == 0) {
		if (cp != NULL)
			*cp = REPLACEMENT;
		return 0;
	}
	n = utf8_scan((const unsigned char *)s, len, &valid, &value);
	if (!valid) {
		value = REPLACEMENT;
		n = 0;
	}
	if (cp != NULL)
		*cp = value;
	return n;
}

bool lb_utf8_valid(const char *s, size_t len)
{
	size_t i = 0;

	if (s == NULL)
		return len == 0;
	while (i < len) {
		bool valid;
		uint32_t cp;
		size_t n;

		/* fast path for ASCII runs */
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		n = utf8_scan((const unsigned char *)s + i, len - i, &valid, &cp);
		if (!valid)
			return false;
		i += n;
	}
	return true;
}

lb_err lb_utf8_sanitize(const char *s, size_t len, char **out, size_t *out_len,
                        struct lb_error *err)
{
	static const char fffd[3] = { (char)0xEF, (char)0xBF, (char)0xBD };
	lb_err rc = LB_OK;
	char *buf = NULL;
	size_t i = 0, o = 0, cap;

	if (out == NULL || (s == NULL && len > 0)) {
		utf8_fail(err, LB_E_INVALID, "lb_utf8_sanitize: NULL argument");
		rc = LB_E_INVALID;
		goto done;
	}
	/* Worst case: every byte becomes 3; guard the multiplication. */
	if (len > (SIZE_MAX - 1) / 3) {
		utf8_fail(err, LB_E_NOMEM, "lb_utf8_sanitize: input too large");
		rc = LB_E_NOMEM;
		goto done;
	}
	cap = len * 3 + 1;
	buf = malloc(cap);
	if (buf == NULL) {
		utf8_fail(err, LB_E_NOMEM, "out of memory sanitizing a UTF-8 string");
		rc = LB_E_NOMEM;
		goto done;
	}
	while (i < len) {
		bool valid;
		uint32_t cp;
		size_t n = utf8_scan((const unsigned char *)s + i, len - i, &valid, &cp);

		if (valid) {
			memcpy(buf + o, s + i, n);
			o += n;
		} else {
			memcpy(buf + o, fffd, sizeof(fffd));
			o += sizeof(fffd);
		}
		i += n;
	}
	buf[o] = '\0';
	/* Shrink: most strings are valid and the 3x reservation is wasteful. */
	{
		char *small = realloc(buf, o + 1);
		if (small != NULL)
			buf = small;
	}
	*out = buf;
	buf = NULL;
	if (out_len != NULL)
		*out_len = o;
done:
	free(buf);
	return rc;
}
