/*
 * dn_codec.h - RFC 4514 distinguished names as parsed AVAs, for the
 * Windows backend: wldap32 has no ldap_str2dn()/ldap_dn2str(), which
 * ldapbridge's dn.c uses for parsing and re-encoding.  This header gives
 * dn.c the same types and names (mapped to our own functions, so nothing
 * clashes with wldap32's exports) and dn_codec.c implements them.
 */
#ifndef LDAPBRIDGE_DN_CODEC_H
#define LDAPBRIDGE_DN_CODEC_H

#include <stddef.h>

#define LDAP_SUCCESS 0x00
#define LDAP_DECODING_ERROR 0x54
#define LDAP_NO_MEMORY 0x5a
#define LDAP_INVALID_DN_SYNTAX 0x22

#define LDAP_AVA_STRING        0x0001U
#define LDAP_AVA_BINARY        0x0002U
#define LDAP_AVA_NONPRINTABLE  0x0004U
#define LDAP_DN_FORMAT_LDAPV3  0x0010U
#define LDAP_DN_PRETTY         0x0100U

#ifndef LB_DN_CODEC_BERVAL
#define LB_DN_CODEC_BERVAL
struct lb_dn_berval {
	size_t bv_len;
	char *bv_val;
};
#endif
#define berval lb_dn_berval

typedef struct lb_dn_ava {
	struct lb_dn_berval la_attr;
	struct lb_dn_berval la_value;
	unsigned la_flags;
	void *la_private;
} LDAPAVA;
typedef LDAPAVA **LDAPRDN;
typedef LDAPRDN *LDAPDN;

#define ldap_str2dn lb__dn_str2dn
#define ldap_dn2str lb__dn_dn2str
#define ldap_dnfree lb__dn_free
#define ldap_memfree lb__dn_memfree

/* Parse str (RFC 4514; flags must include LDAP_DN_FORMAT_LDAPV3) into a
 * NULL-terminated array of RDNs, each a NULL-terminated array of AVAs,
 * leftmost RDN first; the empty DN gives NULL.  LDAP_SUCCESS,
 * LDAP_INVALID_DN_SYNTAX or LDAP_NO_MEMORY. */
int lb__dn_str2dn(const char *str, LDAPDN *dn, unsigned flags);
/* Encode RDNs as an RFC 4514 string (free with ldap_memfree). */
int lb__dn_dn2str(LDAPDN dn, char **str, unsigned flags);
void lb__dn_free(LDAPDN dn);
void lb__dn_memfree(void *p);

#endif
