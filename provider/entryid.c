/*
 * entryid.c - encode and parse ldapab entry IDs.  See entryid.h for the
 * layout.  Every read is a byte read at a checked offset: IDs come from
 * clients, message stores and nickname caches, unaligned and possibly hostile.
 */
#include "entryid.h"

#include <string.h>

static void put_u16(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v & 0xFF);
	p[1] = (uint8_t)((v >> 8) & 0xFF);
}

static size_t get_u16(const uint8_t *p)
{
	return (size_t)p[0] | ((size_t)p[1] << 8);
}

static bool type_valid(unsigned t)
{
	return t >= ABP_EID_ROOT && t <= ABP_EID_STATUS;
}

static bool kind_valid(unsigned k)
{
	return k >= ABP_EID_LOC_CONTAINER && k <= ABP_EID_LOC_DN;
}

/* Binary GUID locators have one legal length; the others are free-form. */
static bool kind_len_valid(unsigned k, size_t len)
{
	if (len == 0 || len > (k == ABP_EID_LOC_DN ? ABP_EID_DN_LOCATOR_MAX : ABP_EID_LOCATOR_MAX))
		return false;
	if (k == ABP_EID_LOC_ENTRYUUID || k == ABP_EID_LOC_OBJECTGUID)
		return len == 16;
	return true;
}

/* Containers (and the status object) are located by a configured ID,
 * people and groups by a server ID. */
static bool type_kind_valid(unsigned t, unsigned k)
{
	if (t == ABP_EID_ROOT || t == ABP_EID_CONTAINER || t == ABP_EID_STATUS)
		return k == ABP_EID_LOC_CONTAINER;
	return k != ABP_EID_LOC_CONTAINER;
}

size_t abp_eid_size(const struct abp_eid *eid)
{
	if (!eid || !type_valid(eid->type) || !kind_valid(eid->loc_kind) ||
	    !type_kind_valid(eid->type, eid->loc_kind) ||
	    !kind_len_valid(eid->loc_kind, eid->loc_len) || !eid->loc ||
	    eid->hint_len > ABP_EID_HINT_MAX || (eid->hint_len && !eid->hint))
		return 0;
	return ABP_EID_HEADER + eid->loc_len + 2 + eid->hint_len;
}

size_t abp_eid_encode(const struct abp_eid *eid, uint8_t *buf, size_t cap)
{
	size_t need = abp_eid_size(eid);
	uint8_t *p = buf;

	if (need == 0 || !buf || cap < need)
		return 0;
	memset(p, 0, 4);                       /* long-term: all abFlags zero */
	memcpy(p + 4, eid->uid, 16);
	p[20] = ABP_EID_VERSION;
	p[21] = (uint8_t)eid->type;
	p[22] = (uint8_t)eid->loc_kind;
	p[23] = 0;
	put_u16(p + 24, eid->loc_len);
	memcpy(p + ABP_EID_HEADER, eid->loc, eid->loc_len);
	p += ABP_EID_HEADER + eid->loc_len;
	put_u16(p, eid->hint_len);
	if (eid->hint_len)
		memcpy(p + 2, eid->hint, eid->hint_len);
	return need;
}

enum abp_eid_parse_result abp_eid_parse(const void *buf, size_t cb,
                                        const uint8_t our_uid[16],
                                        struct abp_eid *out)
{
	const uint8_t *p = buf;
	size_t loc_len, hint_len, hint_off;
	struct abp_eid e;

	/* Another provider's ID need only be a well-formed ENTRYID (flags + UID):
	 * its private part follows that provider's rules, not ours. */
	if (!p || cb < 20)
		return ABP_EID_MALFORMED;
	if (our_uid && memcmp(p + 4, our_uid, 16) != 0)
		return ABP_EID_FOREIGN;
	if (cb < ABP_EID_MIN || cb > ABP_EID_MAX)
		return ABP_EID_MALFORMED;
	if (p[20] != ABP_EID_VERSION || !type_valid(p[21]) || !kind_valid(p[22]) ||
	    p[23] != 0 || !type_kind_valid(p[21], p[22]))
		return ABP_EID_MALFORMED;
	loc_len = get_u16(p + 24);
	if (!kind_len_valid(p[22], loc_len) || cb < ABP_EID_HEADER + loc_len + 2)
		return ABP_EID_MALFORMED;
	hint_off = ABP_EID_HEADER + loc_len;
	hint_len = get_u16(p + hint_off);
	if (hint_len > ABP_EID_HINT_MAX || cb != hint_off + 2 + hint_len)
		return ABP_EID_MALFORMED;

	memset(&e, 0, sizeof(e));
	memcpy(e.uid, p + 4, 16);
	e.type = (enum abp_eid_type)p[21];
	e.loc_kind = (enum abp_eid_locator)p[22];
	e.loc = p + ABP_EID_HEADER;
	e.loc_len = loc_len;
	e.hint = hint_len ? (const char *)(p + hint_off + 2) : NULL;
	e.hint_len = hint_len;

	if (out)
		*out = e;
	return ABP_EID_OK;
}

bool abp_eid_locator_immutable(enum abp_eid_locator kind)
{
	return kind == ABP_EID_LOC_ENTRYUUID || kind == ABP_EID_LOC_OBJECTGUID ||
	       kind == ABP_EID_LOC_NSUNIQUEID;
}

size_t abp_eid_record_key(const struct abp_eid *eid, uint8_t *buf, size_t cap)
{
	struct abp_eid id;

	if (!eid)
		return 0;
	/* The identity only: whatever hint (and, in encode, flags) the ID had. */
	id = *eid;
	id.hint = NULL;
	id.hint_len = 0;
	return abp_eid_encode(&id, buf, cap);
}

bool abp_eid_same_object(const struct abp_eid *a, const struct abp_eid *b)
{
	return a && b && memcmp(a->uid, b->uid, 16) == 0 && a->type == b->type &&
	       a->loc_kind == b->loc_kind && a->loc_len == b->loc_len &&
	       memcmp(a->loc, b->loc, a->loc_len) == 0;
}

static uint8_t ascii_upper(uint8_t c)
{
	return (c >= 'a' && c <= 'z') ? (uint8_t)(c - 'a' + 'A') : c;
}

size_t abp_search_key(const char *addrtype, const char *address, uint8_t *buf, size_t cap)
{
	size_t la = addrtype ? strlen(addrtype) : 0;
	size_t lb = address ? strlen(address) : 0;
	size_t need = la + 1 + lb + 1, i, o = 0;

	if (!buf || cap < need)
		return need;
	for (i = 0; i < la; i++)
		buf[o++] = ascii_upper((uint8_t)addrtype[i]);
	buf[o++] = ':';
	for (i = 0; i < lb; i++)
		buf[o++] = ascii_upper((uint8_t)address[i]);
	buf[o] = '\0';
	return need;
}
