/*
 * ldapab/profile.h - the provider's profile-section properties.
 *
 * An ldapab address book is configured by properties in its own profile
 * section (IMAPISupport::OpenProfileSection(NULL, ...)).  Their IDs sit in the
 * provider-defined range 0x6600-0x67FF; the bind password sits in the secure
 * range 0x67F0-0x67FF, which MAPI may hide and encrypt and which no log or
 * error message ever shows.
 *
 * Every string property may be stored as PT_UNICODE (UTF-16) or PT_STRING8
 * (UTF-8 on Linux, the ANSI code page on Windows): the provider looks
 * properties up by ID and accepts either type.  The _W tags are canonical.
 * Each setting is described, with its default, in README.md ("Profile
 * settings").
 */
#ifndef LDAPAB_PROFILE_H
#define LDAPAB_PROFILE_H

#include <mapi/mapidefs.h>
#include <mapi/mapitags.h>

#define LDAPAB_PROP_W(id) PROP_TAG(PT_UNICODE, (id))
#define LDAPAB_PROP_A(id) PROP_TAG(PT_STRING8, (id))

/* Where the directory is.  PR_LDAPAB_SERVER_URIS is required: ldap://,
 * ldaps:// or ldapi:// URIs separated by spaces or commas (there is no
 * silent fallback to ldap.conf). */
#define PR_LDAPAB_SERVER_URIS_W        LDAPAB_PROP_W(0x6600) /* "ldaps://dc1 ldaps://dc2", tried in order */
#define PR_LDAPAB_SERVER_URIS_A        LDAPAB_PROP_A(0x6600)
#define PR_LDAPAB_BASE_DN_W            LDAPAB_PROP_W(0x6601) /* search base; default: first naming context */
#define PR_LDAPAB_BASE_DN_A            LDAPAB_PROP_A(0x6601)

/* How to authenticate.  PR_LDAPAB_BIND_METHOD defaults to LDAPAB_BIND_SIMPLE
 * when PR_LDAPAB_BIND_DN is set, else LDAPAB_BIND_ANONYMOUS.  A simple bind
 * needs the DN and exactly one of PR_LDAPAB_BIND_PASSWORD (secure, below)
 * and PR_LDAPAB_PASSWORD_FILE. */
#define PR_LDAPAB_BIND_METHOD          PROP_TAG(PT_LONG, 0x6602)    /* LDAPAB_BIND_* */
#define PR_LDAPAB_BIND_DN_W            LDAPAB_PROP_W(0x6603)
#define PR_LDAPAB_BIND_DN_A            LDAPAB_PROP_A(0x6603)
#define PR_LDAPAB_PASSWORD_FILE_W      LDAPAB_PROP_W(0x6604) /* alternative to the secure password */
#define PR_LDAPAB_PASSWORD_FILE_A      LDAPAB_PROP_A(0x6604)
#define PR_LDAPAB_ALLOW_INSECURE_BIND  PROP_TAG(PT_BOOLEAN, 0x6605) /* allow a password over plain ldap:// */

/* Transport security. */
#define PR_LDAPAB_TLS_MODE             PROP_TAG(PT_LONG, 0x6610)    /* LDAPAB_TLS_*; ldaps:// URIs always use TLS */
#define PR_LDAPAB_TLS_CACERT_FILE_W    LDAPAB_PROP_W(0x6611)
#define PR_LDAPAB_TLS_CACERT_FILE_A    LDAPAB_PROP_A(0x6611)
#define PR_LDAPAB_TLS_CACERT_DIR_W     LDAPAB_PROP_W(0x6612)
#define PR_LDAPAB_TLS_CACERT_DIR_A     LDAPAB_PROP_A(0x6612)
#define PR_LDAPAB_TLS_REQCERT          PROP_TAG(PT_LONG, 0x6613)    /* LDAPAB_REQCERT_*; default demand */
#define PR_LDAPAB_TLS_CERT_FILE_W      LDAPAB_PROP_W(0x6614) /* client certificate (SASL EXTERNAL) */
#define PR_LDAPAB_TLS_CERT_FILE_A      LDAPAB_PROP_A(0x6614)
#define PR_LDAPAB_TLS_KEY_FILE_W       LDAPAB_PROP_W(0x6615)
#define PR_LDAPAB_TLS_KEY_FILE_A       LDAPAB_PROP_A(0x6615)

/* Limits (seconds / entries).  Accepted ranges: timeouts 1..3600 s, time
 * limit 0..3600 s (0: none), size limit 0..1000000 (0: none), page size
 * 0..100000 (0: no paging), failover backoff 1..600 s. */
#define PR_LDAPAB_CONNECT_TIMEOUT      PROP_TAG(PT_LONG, 0x6620)    /* default 6 */
#define PR_LDAPAB_OP_TIMEOUT           PROP_TAG(PT_LONG, 0x6621)    /* default 8 */
#define PR_LDAPAB_SEARCH_TIMELIMIT     PROP_TAG(PT_LONG, 0x6622)    /* default 60 (Outlook: search timeout) */
#define PR_LDAPAB_SIZE_LIMIT           PROP_TAG(PT_LONG, 0x6623)    /* default 100 (Outlook: maximum entries) */
#define PR_LDAPAB_PAGE_SIZE            PROP_TAG(PT_LONG, 0x6624)    /* default 1000 */
#define PR_LDAPAB_FAILOVER_BACKOFF     PROP_TAG(PT_LONG, 0x6625)    /* default 30: a failed server is
                                                                      * skipped this long, doubling
                                                                      * up to 600 s */

/* What the address book shows. */
#define PR_LDAPAB_BROWSE_MODE          PROP_TAG(PT_LONG, 0x6630)    /* LDAPAB_BROWSE_*; default search-only */
#define PR_LDAPAB_PERSON_FILTER_W      LDAPAB_PROP_W(0x6631) /* raw LDAP filter, admin-supplied */
#define PR_LDAPAB_PERSON_FILTER_A      LDAPAB_PROP_A(0x6631)
#define PR_LDAPAB_GROUP_FILTER_W       LDAPAB_PROP_W(0x6632)
#define PR_LDAPAB_GROUP_FILTER_A       LDAPAB_PROP_A(0x6632)
#define PR_LDAPAB_SCHEMA               PROP_TAG(PT_LONG, 0x6633)    /* LDAPAB_SCHEMA_*; default auto */
#define PR_LDAPAB_ATTR_MAP_W           PROP_TAG(PT_MV_UNICODE, 0x6634) /* "mapi-name=ldap-attr" overrides */
#define PR_LDAPAB_ATTR_MAP_A           PROP_TAG(PT_MV_STRING8, 0x6634)
/* One value per container: "Name|base DN|filter" (base and filter optional,
 * at most 64 containers).  A container's entry-ID locator is derived from
 * its base DN (case-insensitively) and filter, so renaming or reordering
 * containers keeps the IDs clients stored; two containers with the same
 * base and filter are refused.  Unset: one container, named after
 * PR_DISPLAY_NAME, over PR_LDAPAB_BASE_DN. */
#define PR_LDAPAB_CONTAINERS_W         PROP_TAG(PT_MV_UNICODE, 0x6635) /* "Name|base DN|filter" per container */
#define PR_LDAPAB_CONTAINERS_A         PROP_TAG(PT_MV_STRING8, 0x6635)

/* Written by the provider: this instance's MAPIUID, made once (LC-14, CF-7)
 * at the first Logon and kept; a value that is not 16 bytes makes Logon fail
 * with MAPI_E_UNCONFIGURED rather than orphan every stored entry ID. */
#define PR_LDAPAB_INSTANCE_UID         PROP_TAG(PT_BINARY, 0x6640)

/* ldapab's published provider GUID, cedc5e7b-a6ab-41ce-a8b0-42a6c59cfca6 as
 * these 16 bytes: the same for every instance and version (unlike the
 * instance UID).  Containers carry it as PR_AB_PROVIDER_ID (CT-2) and the
 * provider stores it in its profile section with the instance UID (CF-7). */
#define LDAPAB_AB_PROVIDER_ID_BYTES \
	{ 0xCE, 0xDC, 0x5E, 0x7B, 0xA6, 0xAB, 0x41, 0xCE, \
	  0xA8, 0xB0, 0x42, 0xA6, 0xC5, 0x9C, 0xFC, 0xA6 }

/* Secure range: the simple-bind password.  Never logged, never in an error. */
#define PR_LDAPAB_BIND_PASSWORD_W      LDAPAB_PROP_W(0x67F0)
#define PR_LDAPAB_BIND_PASSWORD_A      LDAPAB_PROP_A(0x67F0)

enum ldapab_bind_method {
	LDAPAB_BIND_ANONYMOUS = 0,
	LDAPAB_BIND_SIMPLE = 1,
	LDAPAB_BIND_SASL_EXTERNAL = 2,
	LDAPAB_BIND_SASL_GSSAPI = 3
};

enum ldapab_tls_mode {
	LDAPAB_TLS_NONE = 0,     /* plain ldap:// (ldaps:// URIs still use TLS) */
	LDAPAB_TLS_STARTTLS = 1  /* StartTLS on ldap:// URIs, required */
};

enum ldapab_reqcert {
	LDAPAB_REQCERT_DEMAND = 0, /* verify the certificate and the name (default) */
	LDAPAB_REQCERT_ALLOW = 1,  /* accept a bad certificate, with a warning */
	LDAPAB_REQCERT_NEVER = 2   /* do not ask for one, with a warning */
};

enum ldapab_browse_mode {
	LDAPAB_BROWSE_SEARCH_ONLY = 0, /* AB_FIND_ON_OPEN: search before listing (Outlook's default) */
	LDAPAB_BROWSE_VLV = 1          /* browse the whole directory with VLV when the server offers it */
};

enum ldapab_schema {
	LDAPAB_SCHEMA_AUTO = 0,        /* from the root DSE */
	LDAPAB_SCHEMA_INETORGPERSON = 1,
	LDAPAB_SCHEMA_ACTIVE_DIRECTORY = 2
};

#endif /* LDAPAB_PROFILE_H */
