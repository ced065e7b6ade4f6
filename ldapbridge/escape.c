/*
 * escape.c - the one RFC 4515 assertion-value escaping function, and the
 * RFC 4512 attribute-description check.  Everything that puts a value into
 * filter text calls lb_filter_escape(); nothing formats values with printf.
 */
#include <ldapbridge/lb_filter.h>

#include <stdlib.h>
#include <string.h>

static void escape_fail(struct lb_error *err, lb_err code, const char *msg)
{
	if (err == NULL)
		return;
	memset(err, 0, sizeof(*err));
	err->code = code;
	err->step = LB_STEP_NONE;
	strncpy(err->message, msg, sizeof(err->message) - 1);
}

/* Bytes that must (RFC 4515) or, by our choice, should appear as \hh. */
static bool needs_escape(unsigned char c)
{
	return c == '*' || c == '(' || c == ')' || c == '\\' || c < 0x20 || c == 0x7F;
}

size_t lb_filter_escape(const char *value, size_t len, char *dst, size_t dst_size)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *v = (const unsigned char *)value;
	size_t i = 0, o = 0;

	/* Write a byte if it fits, always leaving room for the terminator. */
#define PUT(ch) do { if (o + 1 < dst_size) dst[o] = (char)(ch); o++; } while (0)
	if (v == NULL)
		len = 0;
	while (i < len) {
		unsigned char c = v[i];
		size_t n;

		if (c >= 0x80) {
			n = lb_utf8_decode(value + i, len - i, NULL);
			if (n > 0) {
				/* valid multi-byte sequence: keep it readable */
				for (size_t k = 0; k < n; k++)
					PUT(v[i + k]);
				i += n;
				continue;
			}
			/* a stray byte: escape it alone, resync on the next one */
		} else if (!needs_escape(c)) {
			PUT(c);
			i++;
			continue;
		}
		PUT('\\');
		PUT(hex[c >> 4]);
		PUT(hex[c & 0x0F]);
		i++;
	}
#undef PUT
	if (dst_size > 0)
		dst[o < dst_size ? o : dst_size - 1] = '\0';
	return o;
}

lb_err lb_filter_escape_dup(const char *value, size_t len, char **out,
                            struct lb_error *err)
{
	lb_err rc = LB_OK;
	char *buf = NULL;
	size_t need;

	if (out == NULL || (value == NULL && len != 0)) {
		escape_fail(err, LB_E_INVALID, "lb_filter_escape_dup: NULL argument");
		rc = LB_E_INVALID;
		goto done;
	}
	if (len == LB_NTS)
		len = value != NULL ? strlen(value) : 0;
	need = lb_filter_escape(value, len, NULL, 0);
	buf = malloc(need + 1);
	if (buf == NULL) {
		escape_fail(err, LB_E_NOMEM, "out of memory escaping a filter value");
		rc = LB_E_NOMEM;
		goto done;
	}
	(void)lb_filter_escape(value, len, buf, need + 1);
	*out = buf;
	buf = NULL;
done:
	free(buf);
	return rc;
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* keychar = ALPHA / DIGIT / HYPHEN */
static bool is_keychar(char c)
{
	return is_alpha(c) || is_digit(c) || c == '-';
}

bool lb_filter_attr_valid(const char *attr)
{
	const char *p = attr;

	if (attr == NULL || strnlen(attr, LB_FILTER_MAX_ATTR + 1) > LB_FILTER_MAX_ATTR)
		return false;
	if (is_alpha(*p)) {
		/* descr = keystring */
		while (is_keychar(*p))
			p++;
	} else if (is_digit(*p)) {
		/* numericoid = number 1*( DOT number ), number without leading 0 */
		int parts = 0;

		for (;;) {
			if (!is_digit(*p))
				return false;
			if (*p == '0' && is_digit(p[1]))
				return false;
			while (is_digit(*p))
				p++;
			parts++;
			if (*p != '.')
				break;
			p++;
		}
		if (parts < 2)
			return false;
	} else {
		return false;
	}
	/* options = *( SEMI option ), option = 1*keychar */
	while (*p == ';') {
		p++;
		if (!is_keychar(*p))
			return false;
		while (is_keychar(*p))
			p++;
	}
	return *p == '\0';
}
