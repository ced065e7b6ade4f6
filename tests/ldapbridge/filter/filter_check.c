/* filter_check.c - see filter_check.h. */
#include "filter_check.h"

#include <ctype.h>
#include <lber.h>
#include <ldapbridge/lb_filter.h>

/*
 * libldap's own filter-to-BER encoder: exported by libldap but declared only
 * in its private ldap_pvt.h, so declared here.  Test-only: it is the parser
 * that would encode our filter on the wire, so it is the real referee.
 */
int ldap_pvt_put_filter(BerElement *ber, const char *str);

static bool libldap_accepts(const char *s)
{
	BerElement *ber = ber_alloc_t(LBER_USE_DER);
	bool ok;

	if (ber == NULL)
		return false;
	ok = ldap_pvt_put_filter(ber, s) != -1;
	ber_free(ber, 1);
	return ok;
}

bool lbf_filter_ok(const char *s, size_t len)
{
	long depth = 0;

	if (s == NULL || len < 2 || s[0] != '(' || s[len - 1] != ')')
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7F)
			return false;
		if (c == '\\') {
			if (i + 2 >= len || !isxdigit((unsigned char)s[i + 1]) ||
			    !isxdigit((unsigned char)s[i + 2]))
				return false;
			i += 2;
		} else if (c == '(') {
			depth++;
		} else if (c == ')') {
			if (--depth < 0)
				return false;
			if (depth == 0 && i != len - 1)
				return false;   /* two filters side by side */
		}
	}
	if (depth != 0)
		return false;
	return lb_filter_validate(s, len, NULL) == LB_OK && libldap_accepts(s);
}

size_t lbf_count_unescaped(const char *s, char c)
{
	size_t n = 0;

	for (size_t i = 0; s[i] != '\0'; i++) {
		if (s[i] == '\\' && s[i + 1] != '\0' && s[i + 2] != '\0') {
			i += 2;
			continue;
		}
		if (s[i] == c)
			n++;
	}
	return n;
}
