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

/*
 * Byte classes: 0 copied as is, 1 escaped as \hh ('*' '(' ')' '\' and the
 * C0 controls are required by RFC 4515 or escaped by our choice, as DEL),
 * 2 the start of a multi-byte sequence or a stray byte (>= 0x80).  A table
 * lets the common case - runs of plain ASCII - be scanned and copied in one
 * go instead of byte by byte.
 */
#define E1 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
#define H2 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2
static const unsigned char byte_class[256] = {
	E1, E1,                                                   /* 0x00-0x1F */
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0,           /* ( ) *     */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,           /* \         */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,           /* DEL       */
	H2, H2, H2, H2, H2, H2, H2, H2                            /* 0x80-0xFF */
};
#undef E1
#undef H2

/* Copy n bytes to dst at o if they fit, snprintf-style (room for the NUL
 * kept); return the new output length either way. */
static size_t put_run(char *dst, size_t dst_size, size_t o, const void *src, size_t n)
{
	size_t room = dst_size > o + 1 ? dst_size - o - 1 : 0;

	if (n > 0 && room > 0)
		memcpy(dst + o, src, n < room ? n : room);
	return o + n;
}

size_t lb_filter_escape(const char *value, size_t len, char *dst, size_t dst_size)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *v = (const unsigned char *)value;
	size_t i = 0, o = 0;

	if (v == NULL)
		len = 0;
	while (i < len) {
		size_t start = i, n;
		unsigned char c;
		char esc[3];

		while (i < len && byte_class[v[i]] == 0)
			i++;
		o = put_run(dst, dst_size, o, v + start, i - start);
		if (i == len)
			break;
		c = v[i];
		if (byte_class[c] == 2) {
			n = lb_utf8_decode(value + i, len - i, NULL);
			if (n > 0) {
				/* valid multi-byte sequence: keep it readable */
				o = put_run(dst, dst_size, o, v + i, n);
				i += n;
				continue;
			}
			/* a stray byte: escape it alone, resync on the next one */
		}
		esc[0] = '\\';
		esc[1] = hex[c >> 4];
		esc[2] = hex[c & 0x0F];
		o = put_run(dst, dst_size, o, esc, 3);
		i++;
	}
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
