/*
 * fuzz_entryid.c - libFuzzer target for provider/entryid.c (EK-1..EK-8).
 *
 * Input: an entry ID as a client, a message store or a nickname cache
 * might hand it to us.
 *   - abp_eid_parse without an expected UID never says FOREIGN, and under
 *     20 bytes always says MALFORMED;
 *   - with the ID's own UID expected it answers exactly as without; with any
 *     other UID it answers FOREIGN (20 bytes or more) whatever follows;
 *   - abFlags (bytes 0..3) never change the answer (EK-3);
 *   - a parsed ID re-encodes to the same bytes except abFlags (written 0),
 *     abp_eid_size() equals cb, a one-byte-short buffer is refused, and the
 *     encoding parses back to the same object and hint.
 * Then abp_search_key (EK-7) on the input split at its first NUL into
 * addrtype and address: exact length, ':' separator, ASCII upper-cased,
 * every other byte kept, NUL-terminated, and nothing written when the
 * buffer is one byte short.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "entryid.h"
#include "fuzz_check.h"

static void check_roundtrip(const uint8_t *id, size_t cb, const struct abp_eid *e)
{
	uint8_t *buf = NULL;
	struct abp_eid back;

	FUZZ_CHECK(e->loc >= id + ABP_EID_HEADER && e->loc + e->loc_len <= id + cb);
	FUZZ_CHECK(e->hint_len == 0 ? e->hint == NULL
	                            : ((const uint8_t *)e->hint >= e->loc + e->loc_len &&
	                               (const uint8_t *)e->hint + e->hint_len <= id + cb));
	FUZZ_CHECK(abp_eid_size(e) == cb);
	buf = malloc(cb);               /* exact size: ASan sees any overrun */
	FUZZ_CHECK(buf != NULL);
	FUZZ_CHECK(abp_eid_encode(e, buf, cb - 1) == 0);
	FUZZ_CHECK(abp_eid_encode(e, buf, cb) == cb);
	FUZZ_CHECK(buf[0] == 0 && buf[1] == 0 && buf[2] == 0 && buf[3] == 0);
	FUZZ_CHECK(memcmp(buf + 4, id + 4, cb - 4) == 0);
	FUZZ_CHECK(abp_eid_parse(buf, cb, e->uid, &back) == ABP_EID_OK);
	FUZZ_CHECK(abp_eid_same_object(e, &back) && abp_eid_same_object(&back, e));
	FUZZ_CHECK(back.hint_len == e->hint_len &&
	           (e->hint_len == 0 || memcmp(back.hint, e->hint, e->hint_len) == 0));
	free(buf);
}

static void check_parse(const uint8_t *id, size_t cb)
{
	struct abp_eid e, e2;
	enum abp_eid_parse_result r, r2;
	uint8_t uid[16], *copy = NULL;

	memset(&e, 0, sizeof(e));
	r = abp_eid_parse(id, cb, NULL, &e);
	FUZZ_CHECK(r == ABP_EID_OK || r == ABP_EID_MALFORMED);
	if (cb < 20)
		FUZZ_CHECK(r == ABP_EID_MALFORMED);
	FUZZ_CHECK(abp_eid_parse(id, cb, NULL, NULL) == r);     /* out is optional */
	if (cb < 20)
		return;

	/* Expected UID = the ID's own: same answer.  Any other: FOREIGN. */
	memcpy(uid, id + 4, 16);
	FUZZ_CHECK(abp_eid_parse(id, cb, uid, &e2) == r);
	uid[cb % 16] ^= 0x5A;
	FUZZ_CHECK(abp_eid_parse(id, cb, uid, &e2) == ABP_EID_FOREIGN);

	/* abFlags are ignored (EK-3): flip all of them. */
	copy = malloc(cb);
	FUZZ_CHECK(copy != NULL);
	memcpy(copy, id, cb);
	for (int i = 0; i < 4; i++)
		copy[i] = (uint8_t)~copy[i];
	r2 = abp_eid_parse(copy, cb, NULL, &e2);
	FUZZ_CHECK(r2 == r);
	if (r == ABP_EID_OK) {
		FUZZ_CHECK(abp_eid_same_object(&e, &e2));
		check_roundtrip(id, cb, &e);
	}
	free(copy);
}

static void check_search_key(const uint8_t *data, size_t size)
{
	char *in = NULL;
	const char *addrtype, *address;
	uint8_t *key = NULL;
	size_t la, lb, need;

	/* A C-string copy: the API takes NUL-terminated UTF-8. */
	in = malloc(size + 2);
	FUZZ_CHECK(in != NULL);
	memcpy(in, data, size);
	in[size] = '\0';
	in[size + 1] = '\0';
	addrtype = in;
	la = strlen(addrtype);
	address = in + la + 1;  /* the text after the first NUL ("" if none) */
	lb = strlen(address);

	need = abp_search_key(addrtype, address, NULL, 0);
	FUZZ_CHECK(need == la + lb + 2);
	FUZZ_CHECK(abp_search_key(NULL, NULL, NULL, 0) == 2);
	key = malloc(need);
	FUZZ_CHECK(key != NULL);
	memset(key, 0xA5, need);
	FUZZ_CHECK(abp_search_key(addrtype, address, key, need - 1) == need);
	for (size_t i = 0; i < need; i++)
		FUZZ_CHECK(key[i] == 0xA5);     /* short buffer: untouched */
	FUZZ_CHECK(abp_search_key(addrtype, address, key, need) == need);
	for (size_t i = 0; i < la + 1 + lb; i++) {
		uint8_t src = i < la ? (uint8_t)addrtype[i]
		            : i == la ? (uint8_t)':' : (uint8_t)address[i - la - 1];
		uint8_t want = (src >= 'a' && src <= 'z') ? (uint8_t)(src - 'a' + 'A') : src;

		FUZZ_CHECK(key[i] == want);
	}
	FUZZ_CHECK(key[need - 1] == '\0');
	free(key);
	free(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *id = NULL;

	/* The ID in a buffer of exactly its size, so ASan sees a read past cb. */
	id = malloc(size ? size : 1);
	FUZZ_CHECK(id != NULL);
	if (size)
		memcpy(id, data, size);
	check_parse(id, size);
	check_search_key(id, size);
	free(id);
	return 0;
}
