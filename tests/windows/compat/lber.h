/*
 * lber.h for the Windows builds of the filter suites: there is no libldap
 * on Windows, so tests/ldapbridge/filter/filter_check.c's second referee
 * (libldap's own filter encoder, ldap_pvt_put_filter) is not there.  This
 * header and libldap_absent.c give the names it calls; the encoder accepts
 * every filter, so on Windows a rendered filter is checked by
 * filter_check.c's own structural rules and lb_filter_validate() only.
 * The Linux build keeps libldap as the referee.
 */
#ifndef LDAPAB_WIN_COMPAT_LBER_H
#define LDAPAB_WIN_COMPAT_LBER_H

typedef struct berelement BerElement;

#define LBER_USE_DER 0x01

BerElement *ber_alloc_t(int options);
void ber_free(BerElement *ber, int freebuf);

#endif
