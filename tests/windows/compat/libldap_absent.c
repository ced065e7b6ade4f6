/*
 * libldap_absent.c - what compat/lber.h declares, for the filter suites
 * on Windows (see there): a BerElement that is never used, and a filter
 * "encoder" that accepts every filter.
 */
#include "lber.h"

#include <stdlib.h>

struct berelement {
	int unused;
};

int ldap_pvt_put_filter(BerElement *ber, const char *str);

BerElement *ber_alloc_t(int options)
{
	(void)options;
	return calloc(1, sizeof(BerElement));
}

void ber_free(BerElement *ber, int freebuf)
{
	(void)freebuf;
	free(ber);
}

int ldap_pvt_put_filter(BerElement *ber, const char *str)
{
	(void)ber, (void)str;
	return 0;
}
