/*
 * dn_codec.c - RFC 4514 DN parsing and encoding (see dn_codec.h).
 *
 * Parsing follows RFC 4514 section 3 with the leniency LDAP servers'
 * DNs need: spaces around ",", "+" and "=" are skipped; ";" is not a
 * separator.  A value is "#" and hex pairs (kept as those bytes, flagged
 * LDAP_AVA_BINARY) or a string where "\" escapes one special character or
 * gives a byte as two hex digits.  Encoding escapes what RFC 4514 section
 * 2.4 requires (leading "#" or space, trailing space, " + , ; < > \ and
 * NUL), "=" and control characters, each as "\" and two upper-case hex
 * digits, and leaves other UTF-8 as it is: the form libldap's
 * LDAP_DN_PRETTY gives, so both backends normalise a DN alike.
 */
#include <stdlib.h>
#include <string.h>

#include "dn_codec.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void ava_free(LDAPAVA *a)
{
	if (a == NULL)
		return;
	free(a->la_attr.bv_val);
	free(a->la_value.bv_val);
	free(a);
}

void lb__dn_free(LDAPDN dn)
{
	if (dn == NULL)
		return;
	for (size_t i = 0; dn[i] != NULL; i++) {
		for (size_t j = 0; dn[i][j] != NULL; j++)
			ava_free(dn[i][j]);
		free(dn[i]);
	}
	free(dn);
}

void lb__dn_memfree(void *p)
{
	free(p);
}

/* attributeType: keystring or numericoid. */
static int parse_type(const char **pp, struct lb_dn_berval *out)
{
	const char *p = *pp, *start = p;

	if (is_alpha(*p)) {
		while (is_alpha(*p) || is_digit(*p) || *p == '-')
			p++;
	} else if (is_digit(*p)) {
		for (;;) {
			if (!is_digit(*p))
				return LDAP_INVALID_DN_SYNTAX;
			if (*p == '0' && is_digit(p[1]))
				return LDAP_INVALID_DN_SYNTAX;
			while (is_digit(*p))
				p++;
			if (*p != '.')
				break;
			p++;
		}
	} else {
		return LDAP_INVALID_DN_SYNTAX;
	}
	out->bv_len = (size_t)(p - start);
	out->bv_val = malloc(out->bv_len + 1);
	if (out->bv_val == NULL)
		return LDAP_NO_MEMORY;
	memcpy(out->bv_val, start, out->bv_len);
	out->bv_val[out->bv_len] = '\0';
	*pp = p;
	return LDAP_SUCCESS;
}

static int parse_value(const char **pp, LDAPAVA *a)
{
	const char *p = *pp;
	size_t cap = strlen(p) + 1, n = 0, keep = 0;
	char *v = malloc(cap);

	if (v == NULL)
		return LDAP_NO_MEMORY;
	if (*p == '#') {
		p++;
		while (hexval(p[0]) >= 0 && hexval(p[1]) >= 0) {
			v[n++] = (char)(hexval(p[0]) * 16 + hexval(p[1]));
			p += 2;
		}
		if (n == 0 || (hexval(*p) >= 0)) {
			free(v);
			return LDAP_INVALID_DN_SYNTAX;
		}
		a->la_flags = LDAP_AVA_BINARY;
		keep = n;
	} else {
		a->la_flags = LDAP_AVA_STRING;
		while (*p != '\0' && *p != ',' && *p != '+') {
			if (*p == '\\') {
				if (hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
					v[n++] = (char)(hexval(p[1]) * 16 + hexval(p[2]));
					p += 3;
				} else if (p[1] != '\0' && strchr(" \"#+,;<=>\\", p[1]) != NULL) {
					v[n++] = p[1];
					p += 2;
				} else {
					free(v);
					return LDAP_INVALID_DN_SYNTAX;
				}
				keep = n;   /* an escaped space is kept at the end */
				continue;
			}
			if (*p == '"' || *p == ';' || *p == '<' || *p == '>') {
				free(v);
				return LDAP_INVALID_DN_SYNTAX;
			}
			v[n++] = *p++;
			if (v[n - 1] != ' ')
				keep = n;
		}
	}
	while (*p == ' ')
		p++;
	v[keep] = '\0';
	a->la_value.bv_val = v;
	a->la_value.bv_len = keep;
	*pp = p;
	return LDAP_SUCCESS;
}

static int push_ptr(void ***arr, size_t *n, void *item)
{
	void **grown = realloc(*arr, (*n + 2) * sizeof(void *));

	if (grown == NULL)
		return LDAP_NO_MEMORY;
	grown[(*n)++] = item;
	grown[*n] = NULL;
	*arr = grown;
	return LDAP_SUCCESS;
}

int lb__dn_str2dn(const char *str, LDAPDN *dn, unsigned flags)
{
	LDAPDN out = NULL;
	LDAPRDN rdn = NULL;
	size_t n_rdns = 0, n_avas = 0;
	const char *p = str;
	int rc = LDAP_SUCCESS;

	(void)flags;
	if (str == NULL || dn == NULL)
		return LDAP_INVALID_DN_SYNTAX;
	*dn = NULL;
	while (*p == ' ')
		p++;
	if (*p == '\0')
		return LDAP_SUCCESS;
	for (;;) {
		LDAPAVA *a = calloc(1, sizeof(*a));

		if (a == NULL) {
			rc = LDAP_NO_MEMORY;
			break;
		}
		while (*p == ' ')
			p++;
		rc = parse_type(&p, &a->la_attr);
		if (rc == LDAP_SUCCESS) {
			while (*p == ' ')
				p++;
			if (*p++ != '=')
				rc = LDAP_INVALID_DN_SYNTAX;
		}
		if (rc == LDAP_SUCCESS) {
			while (*p == ' ')
				p++;
			rc = parse_value(&p, a);
		}
		if (rc == LDAP_SUCCESS)
			rc = push_ptr((void ***)&rdn, &n_avas, a);
		if (rc != LDAP_SUCCESS) {
			ava_free(a);
			break;
		}
		if (*p == '+') {
			p++;
			continue;
		}
		rc = push_ptr((void ***)&out, &n_rdns, rdn);
		if (rc != LDAP_SUCCESS)
			break;
		rdn = NULL;
		n_avas = 0;
		if (*p == '\0')
			break;
		if (*p != ',') {
			rc = LDAP_INVALID_DN_SYNTAX;
			break;
		}
		p++;
	}
	if (rc != LDAP_SUCCESS) {
		for (size_t j = 0; rdn != NULL && rdn[j] != NULL; j++)
			ava_free(rdn[j]);
		free(rdn);
		lb__dn_free(out);
		return rc;
	}
	*dn = out;
	return LDAP_SUCCESS;
}

/* Room for one encoded AVA: every byte may become three. */
static size_t ava_room(const LDAPAVA *a)
{
	return a->la_attr.bv_len + 2 + 3 * a->la_value.bv_len + 2;
}

static char *encode_ava(char *o, const LDAPAVA *a)
{
	static const char hex[] = "0123456789abcdef", HEX[] = "0123456789ABCDEF";
	const unsigned char *v = (const unsigned char *)a->la_value.bv_val;
	size_t n = a->la_value.bv_len;

	memcpy(o, a->la_attr.bv_val, a->la_attr.bv_len);
	o += a->la_attr.bv_len;
	*o++ = '=';
	if (a->la_flags & LDAP_AVA_BINARY) {
		*o++ = '#';
		for (size_t i = 0; i < n; i++) {
			*o++ = hex[v[i] >> 4];
			*o++ = hex[v[i] & 15];
		}
		return o;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = v[i];
		if (c < 0x20 || c == 0x7F || (c != 0 && strchr("\"+,;<>\\=", c) != NULL) ||
		    (i == 0 && (c == '#' || c == ' ')) || (i == n - 1 && c == ' ')) {
			*o++ = '\\';
			*o++ = HEX[c >> 4];
			*o++ = HEX[c & 15];
		} else {
			*o++ = (char)c;
		}
	}
	return o;
}

int lb__dn_dn2str(LDAPDN dn, char **str, unsigned flags)
{
	size_t room = 1;
	char *s, *o;

	(void)flags;
	if (str == NULL)
		return LDAP_INVALID_DN_SYNTAX;
	for (size_t i = 0; dn != NULL && dn[i] != NULL; i++)
		for (size_t j = 0; dn[i][j] != NULL; j++)
			room += ava_room(dn[i][j]);
	s = malloc(room);
	if (s == NULL)
		return LDAP_NO_MEMORY;
	o = s;
	for (size_t i = 0; dn != NULL && dn[i] != NULL; i++) {
		if (i > 0)
			*o++ = ',';
		for (size_t j = 0; dn[i][j] != NULL; j++) {
			if (j > 0)
				*o++ = '+';
			o = encode_ava(o, dn[i][j]);
		}
	}
	*o = '\0';
	*str = s;
	return LDAP_SUCCESS;
}
