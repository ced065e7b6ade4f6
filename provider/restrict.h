/*
 * restrict.h - MAPI restrictions (SRestriction) for contents tables,
 * ResolveNames and FindRow (internal to provider/).
 *
 * Three operations on one caller-owned restriction tree (never modified,
 * MM-8):
 *   - abp_restrict_validate(): is it well formed and within our bounds;
 *   - abp_restrict_to_filter(): the one LDAP filter that selects exactly
 *     the rows the restriction selects (TB-10, CT-8, CT-9), or
 *     MAPI_E_TOO_COMPLEX when no filter can (TB-10: never drop a part);
 *   - abp_restrict_match(): the same restriction evaluated in memory over a
 *     row's property bag (hierarchy rows, DL member rows, FindRow).
 *
 * What translates, and how (restrict.c has the details):
 *   PR_ANR (_A or _W, RELOP_EQ, also inside RES_AND/RES_OR/RES_NOT): CT-9
 *     through ldapbridge's ANR builder; with ABP_RESTRICT_NATIVE_ANR the
 *     server's (anr=) plus what it misses ("Last, First", a full address
 *     in mail or proxyAddresses).  A blank value matches nothing.
 *   RES_CONTENT on a mapped string property: FL_FULLSTRING / FL_PREFIX /
 *     FL_SUBSTRING with FL_IGNORECASE.  Directory string attributes match
 *     case-insensitively (caseIgnore rules), so a case-sensitive content
 *     restriction, FL_IGNORENONSPACE and FL_LOOSE cannot be translated
 *     faithfully: MAPI_E_TOO_COMPLEX.
 *   RES_PROPERTY on a mapped string property: the directory compares its
 *     strings ignoring case, and so do we (in the filter and in memory).
 *     RELOP_EQ, RELOP_NE; RELOP_GE/LE/GT/LT only with ABP_RESTRICT_ORDERED
 *     (which no server gets, abp_restrict_server_flags(): OpenLDAP's
 *     standard schema gives displayName, cn, sn, mail ... no ORDERING rule,
 *     so (cn>=x) would silently match nothing there, and Active Directory
 *     orders by a collation of its own).
 *     RELOP_RE: MAPI_E_TOO_COMPLEX.
 *   RES_EXIST on mapped properties and on the properties every row has.
 *   PR_DISPLAY_TYPE / PR_OBJECT_TYPE (RES_PROPERTY any RELOP, RES_BITMASK,
 *     RES_EXIST): evaluated for person and group, giving the object-class
 *     filter that classifies rows (abp_attrmap_classify), naming only the
 *     classes the map's schema defines (an unknown class is Undefined to the
 *     server, and Undefined under a NOT would hide the entry).
 *   RES_AND / RES_OR / RES_NOT.
 *   A property is read from its first attribute that has a value
 *     (attrmap.h); a restriction on it follows that chain:
 *     (|(a=v)(&(!(a=*))(b=v))).  Attributes the bag shows converted (a DN's
 *     RDN, proxyAddresses' primary) and multi-valued properties (other
 *     than RES_EXIST) cannot be matched by a filter: MAPI_E_TOO_COMPLEX.
 *   [decision] A row shows an attribute's first value, and an LDAP filter
 *     matches any of its values: a restriction on PR_EMAIL_ADDRESS finds a
 *     person by a secondary mail value too (as ResolveNames does, CT-11).
 *     No filter can test "the first value", and refusing every attribute
 *     that may hold several values would refuse names and addresses, so
 *     this is the one place the filter selects more than the in-memory
 *     evaluation of the row (abp_restrict_match sees only the row).
 * Every value reaches the filter through lb_filter (RFC 4515 escaping).
 * The filter is written to be ANDed with the container's filter, which
 * already limits rows to people and groups.
 */
#ifndef LDAPAB_RESTRICT_H
#define LDAPAB_RESTRICT_H

#include <stdbool.h>

#include "abp.h"
#include "attrmap.h"
#include "props.h"

/* Nesting bound of RES_AND / RES_OR / RES_NOT levels (a leaf alone is depth
 * 1).  Chosen so that the deepest translation (an emulated ANR leaf is four
 * filter levels) stays within ldapbridge's LB_FILTER_MAX_DEPTH with room
 * for the container's filter around it. */
#define ABP_RESTRICT_MAX_DEPTH 8
/* Leaves and lists in one restriction. */
#define ABP_RESTRICT_MAX_NODES 256

/* Flags of abp_restrict_to_filter(). */
#define ABP_RESTRICT_NATIVE_ANR 0x1u  /* use the server's anr= (Active Directory) */
#define ABP_RESTRICT_ORDERED    0x2u  /* the server orders string attributes as
                                       * abp_restrict_match does: RELOP_LT/LE/GT/GE
                                       * on them translate */

/*
 * The flags for the server dse describes (NULL: not known):
 * ABP_RESTRICT_NATIVE_ANR for Active Directory, nothing for others.
 * [decision] No server gets ABP_RESTRICT_ORDERED.  OpenLDAP's standard
 * schema orders none of the name attributes; Active Directory orders every
 * string syntax, but by its own collation: Samba's DC puts non-ASCII names
 * (Ångström, Żółkiewska, 王) before ASCII ones where code points put them
 * after, and Windows' DCs sort by a locale's collation.
 * Translated there, (sn>=M) would select other rows than the in-memory
 * evaluation (FindRow, member tables) accepts, so order comparisons stay
 * MAPI_E_TOO_COMPLEX in a filter (the caller is told; nothing is dropped).
 */
unsigned abp_restrict_server_flags(const struct lb_rootdse *dse);

/* Structure check of a restriction: NULL pointers, unknown rt, depth, bad counts -> MAPI_E_INVALID_PARAMETER / MAPI_E_TOO_COMPLEX, recorded in le. */
ABP_WUR HRESULT abp_restrict_validate(const SRestriction *res, struct abp_lasterr *le);
/* Translate into one LDAP filter (every value escaped) to be ANDed with the container's filter; *filter malloc'd. MAPI_E_TOO_COMPLEX (recorded in le, naming the part) for anything not translatable faithfully - never silently drop a part. */
ABP_WUR HRESULT abp_restrict_to_filter(const struct abp_attrmap *map, const SRestriction *res, unsigned flags, struct abp_lasterr *le, char **filter);
/* Evaluate in memory against a bag (hierarchy rows, DL member rows, FindRow); PR_ANR per CT-9 over the bag's names/addresses. */
bool abp_restrict_match(const SRestriction *res, const struct abp_props *row);

/*
 * Details of the three above:
 *
 * abp_restrict_validate: res NULL, a NULL lpRes / lpProp, an rt outside
 *   RES_AND..RES_ANNOTATION, an unknown RELOP / BMR / fuzzy level, or a
 *   value whose type does not fit its tag → MAPI_E_INVALID_PARAMETER;
 *   deeper than ABP_RESTRICT_MAX_DEPTH or more than ABP_RESTRICT_MAX_NODES
 *   nodes → MAPI_E_TOO_COMPLEX.  Iterative: any depth is safe to pass.
 *   le may be NULL (nothing recorded).
 *
 * abp_restrict_to_filter: validates first (as above), then translates.
 *   map, res, filter non-NULL (else MAPI_E_INVALID_PARAMETER); le may be
 *   NULL.  On success *filter is a malloc'd RFC 4515 filter that passes
 *   lb_filter_validate(); on failure *filter is untouched.  Also
 *   MAPI_E_NOT_ENOUGH_MEMORY.
 *
 * abp_restrict_match: res must have passed abp_restrict_validate(); what it
 *   cannot evaluate (RES_COMPAREPROPS, RES_SIZE, ...) is false.  A property
 *   the row lacks satisfies only RES_NOT over it.  Strings compare by code
 *   point after simple case folding where the restriction ignores case
 *   (FL_IGNORECASE; RES_PROPERTY on strings always, as in the filter);
 *   PT_MV_* properties match when one value does.  row NULL: false.
 */

/*
 * Rank of a candidate for what a user typed (ResolveNames resolves among
 * several candidates to the one exact one, CT-11i): how the input meets the
 * row's display name, email address, account or proxy addresses, ignoring
 * case.
 */
enum abp_rank {
	ABP_RANK_EXACT = 0,     /* equals a name or an address */
	ABP_RANK_PREFIX,        /* a name or an address starts with it */
	ABP_RANK_SUBSTRING,     /* anything else the ANR matched */
};

/* The rank of row for input (UTF-8). */
enum abp_rank abp_restrict_rank(const struct abp_props *row, const char *input);

#endif /* LDAPAB_RESTRICT_H */
