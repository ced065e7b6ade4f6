/*
 * entryid.h - the provider's entry identifiers (spec EK-1..EK-8).
 *
 * Layout of every ldapab entry ID, all integers little-endian, no padding,
 * parsed byte by byte (IDs arrive unaligned and from anywhere):
 *
 *   off  size  field
 *   0    4     abFlags        0 in IDs we make; ignored in IDs we read (EK-3)
 *   4    16    MAPIUID        this provider instance's UID (LC-14)
 *   20   1     version        ABP_EID_VERSION
 *   21   1     object type    enum abp_eid_type
 *   22   1     locator kind   enum abp_eid_locator
 *   23   1     reserved       0
 *   24   2     locator length L (1..ABP_EID_LOCATOR_MAX; a DN locator
 *                             1..ABP_EID_DN_LOCATOR_MAX)
 *   26   L     locator        entryUUID / objectGUID / nsUniqueId bytes, a
 *                             container's configured ID, or a normalised DN
 *   26+L 2     hint length H  (0..ABP_EID_HINT_MAX)
 *   28+L H     DN hint        UTF-8 DN at the time the ID was made (a hint
 *                             for a fast lookup, never the identity unless the
 *                             locator kind is ABP_EID_LOC_DN)
 *
 * The identity of an object is (type, locator kind, locator): two IDs with
 * the same identity name the same object whatever their flags or hints.
 *
 * Decision on the DN hint (EK-4: one object keeps one long-term ID):
 *   - IDs we hand out whose locator is an immutable server ID (entryUUID,
 *     objectGUID, nsUniqueId) carry NO hint (H = 0).  A hint taken from the
 *     current DN would change the ID's bytes at every rename or move, so the
 *     same person would have two long-term IDs.  The lookup goes straight to
 *     one subtree search on the (indexed) locator attribute under the base.
 *   - IDs that do carry a hint (made by earlier versions, or by anyone) are
 *     still accepted; the hint is only a fast path (one base search), used
 *     when it lies under the configured base, and never trusted as identity.
 *   - DN-locator IDs (servers without an immutable ID) keep the DN as hint:
 *     their identity is the DN, so they change on rename whatever we do.
 *   Consequence: an object whose old ID carried a hint gets, from this
 *   version on, the same ID without it; CompareEntryIDs says "same object"
 *   and both open it.
 *
 * PR_RECORD_KEY (EK-6) is the identity only, abp_eid_record_key(): the ID
 * encoded with abFlags 0 and no hint, so it is equal iff CompareEntryIDs is.
 *
 * Known limit (LO-3): identity is compared byte for byte, offline.  An ID
 * with a DN locator (made where the server had no entryUUID, or by an
 * older or foreign tool) still opens a person who has an entryUUID - the
 * lookup finds the entry by its DN - but the opened object's PR_ENTRYID is
 * then the entryUUID form (the locator comes from the entry, EK-2), so
 * CompareEntryIDs(DN-form, entryUUID-form) is FALSE although both name one
 * person.  Telling that they are the same would need a directory lookup,
 * which CompareEntryIDs does not make (it must answer without the server
 * and without blocking).  Pinned by the slapd test
 * ..._dn_locator_id_opens_uuid_person_but_compares_false_LO3_EK4.
 */
#ifndef LDAPAB_ENTRYID_H
#define LDAPAB_ENTRYID_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define ABP_EID_VERSION     1
#define ABP_EID_HEADER      26      /* bytes before the locator */
#define ABP_EID_LOCATOR_MAX 1024        /* container IDs, nsUniqueId */
/* A normalised DN is the identity of a person or group on a server without
 * an immutable ID: any DN the 16-bit length field can carry is accepted, so
 * a long DN (deep OUs, long RDN values) still gets an entry ID. */
#define ABP_EID_DN_LOCATOR_MAX 65535
#define ABP_EID_HINT_MAX    2048
#define ABP_EID_MIN         (ABP_EID_HEADER + 1 + 2)
#define ABP_EID_MAX         (ABP_EID_HEADER + ABP_EID_DN_LOCATOR_MAX + 2 + ABP_EID_HINT_MAX)
/* The longest ID of a container or the status object (no hint). */
#define ABP_EID_CONTAINER_MAX (ABP_EID_HEADER + ABP_EID_LOCATOR_MAX + 2)

enum abp_eid_type {
	ABP_EID_ROOT = 1,       /* the root container (OpenEntry(NULL)) */
	ABP_EID_CONTAINER = 2,  /* a directory container */
	ABP_EID_MAILUSER = 3,   /* a person */
	ABP_EID_DISTLIST = 4,   /* a group */
	ABP_EID_STATUS = 5      /* the logon's status object (ST-2 PR_ENTRYID);
	                         * located like a container (ABP_EID_LOC_CONTAINER) */
};
#define ABP_EID_HAVE_STATUS 1

enum abp_eid_locator {
	ABP_EID_LOC_CONTAINER = 1,  /* configured container ID (ASCII) */
	ABP_EID_LOC_ENTRYUUID = 2,  /* OpenLDAP entryUUID, 16 raw bytes */
	ABP_EID_LOC_OBJECTGUID = 3, /* Active Directory objectGUID, 16 raw bytes */
	ABP_EID_LOC_NSUNIQUEID = 4, /* 389-ds nsUniqueId, its string form */
	ABP_EID_LOC_DN = 5          /* no immutable ID on the server: normalised DN */
};

/* A parsed or to-be-built entry ID.  Pointers borrow from the input buffer. */
struct abp_eid {
	uint8_t uid[16];
	enum abp_eid_type type;
	enum abp_eid_locator loc_kind;
	const uint8_t *loc;
	size_t loc_len;
	const char *hint;       /* not NUL-terminated */
	size_t hint_len;
};

enum abp_eid_parse_result {
	ABP_EID_OK = 0,
	ABP_EID_MALFORMED,      /* short, bad version/type/kind, lengths that do not add up */
	ABP_EID_FOREIGN         /* well formed, but another provider's UID */
};

/* Bytes needed to encode eid; 0 if a length is out of range. */
size_t abp_eid_size(const struct abp_eid *eid);

/* Encode eid into buf (capacity cap, at least abp_eid_size()).
 * Returns the bytes written, 0 if eid is invalid or cap too small. */
size_t abp_eid_encode(const struct abp_eid *eid, uint8_t *buf, size_t cap);

/* Parse an entry ID of cb bytes.  Fewer than 20 bytes (flags + UID) is
 * MALFORMED; if our_uid is non-NULL, a UID that differs is FOREIGN whatever
 * follows (another provider's private part is not ours to judge); then every
 * field and length of our layout is checked.  On ABP_EID_OK *out borrows
 * from buf. */
enum abp_eid_parse_result abp_eid_parse(const void *buf, size_t cb,
                                        const uint8_t our_uid[16],
                                        struct abp_eid *out);

/* True for the locator kinds that name an object for life (entryUUID,
 * objectGUID, nsUniqueId): IDs we make with them carry no DN hint. */
bool abp_eid_locator_immutable(enum abp_eid_locator kind);

/* PR_RECORD_KEY of eid (EK-6): eid encoded with abFlags 0 and hint length 0,
 * so two IDs naming the same object (whatever their flags or hints) have
 * equal record keys.  Same contract as abp_eid_encode(): the bytes written,
 * 0 if eid is invalid or cap too small (cap >= abp_eid_size() of eid without
 * hint suffices: ABP_EID_HEADER + loc_len + 2). */
size_t abp_eid_record_key(const struct abp_eid *eid, uint8_t *buf, size_t cap);

/* True iff a and b name the same object (type, locator kind and bytes).
 * No directory lookup: a DN-locator ID and the entryUUID ID of the same
 * person are not the same here (see "Known limit" above). */
bool abp_eid_same_object(const struct abp_eid *a, const struct abp_eid *b);

/* PR_SEARCH_KEY (EK-7): "<ADDRTYPE>:<ADDRESS>" upper-cased, NUL counted.
 * addrtype and address are UTF-8; only ASCII letters are upper-cased (SMTP
 * addresses are case-insensitive by convention; others keep their bytes).
 * Writes at most cap bytes; returns the bytes needed (including the NUL). */
size_t abp_search_key(const char *addrtype, const char *address, uint8_t *buf, size_t cap);

#endif /* LDAPAB_ENTRYID_H */
