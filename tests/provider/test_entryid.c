/* Unit tests of the entry-ID codec (spec EK-1..EK-7, LO-2b, LO-3). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "entryid.h"

static const uint8_t our_uid[16] = { 0x6c, 0x64, 0x61, 0x70, 0x61, 0x62, 0x01, 0x02,
                                     0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a };
static const uint8_t uuid[16] = { 0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };

static struct abp_eid person(void)
{
	struct abp_eid e;
	memset(&e, 0, sizeof(e));
	memcpy(e.uid, our_uid, 16);
	e.type = ABP_EID_MAILUSER;
	e.loc_kind = ABP_EID_LOC_ENTRYUUID;
	e.loc = uuid;
	e.loc_len = 16;
	e.hint = "uid=jdoe,ou=People,dc=example,dc=com";
	e.hint_len = strlen(e.hint);
	return e;
}

/* EK-1, EK-2, EK-3: layout, little-endian lengths, long-term flags. */
static void test_EK2_layout_is_fixed_little_endian(void **state)
{
	struct abp_eid e = person();
	uint8_t buf[256];
	size_t n = abp_eid_encode(&e, buf, sizeof(buf));

	(void)state;
	assert_int_equal(n, ABP_EID_HEADER + 16 + 2 + e.hint_len);
	assert_int_equal(n, abp_eid_size(&e));
	assert_memory_equal(buf, "\0\0\0\0", 4);            /* EK-3: long-term */
	assert_memory_equal(buf + 4, our_uid, 16);          /* EK-1: our UID at 4..19 */
	assert_int_equal(buf[20], ABP_EID_VERSION);
	assert_int_equal(buf[21], ABP_EID_MAILUSER);
	assert_int_equal(buf[22], ABP_EID_LOC_ENTRYUUID);
	assert_int_equal(buf[24], 16);
	assert_int_equal(buf[25], 0);
	assert_memory_equal(buf + 26, uuid, 16);
	assert_int_equal(buf[42], (uint8_t)e.hint_len);
	assert_int_equal(buf[43], 0);
	assert_memory_equal(buf + 44, e.hint, e.hint_len);
}

/* EK-2: round trip, from an unaligned copy. */
static void test_EK2_round_trip_unaligned(void **state)
{
	struct abp_eid e = person(), back;
	uint8_t raw[300], *odd = raw + 1;
	size_t n = abp_eid_encode(&e, odd, sizeof(raw) - 1);

	(void)state;
	assert_true(n > 0);
	assert_int_equal(abp_eid_parse(odd, n, our_uid, &back), ABP_EID_OK);
	assert_int_equal(back.type, ABP_EID_MAILUSER);
	assert_int_equal(back.loc_kind, ABP_EID_LOC_ENTRYUUID);
	assert_int_equal(back.loc_len, 16);
	assert_memory_equal(back.loc, uuid, 16);
	assert_int_equal(back.hint_len, e.hint_len);
	assert_memory_equal(back.hint, e.hint, e.hint_len);
	assert_true(abp_eid_same_object(&e, &back));
}

/* EK-3, LO-3: abFlags are ignored when identifying; the hint is not identity. */
static void test_EK3_flags_and_hint_do_not_change_identity(void **state)
{
	struct abp_eid e = person(), renamed = person(), a, b;
	uint8_t b1[300], b2[300];
	size_t n1, n2;

	(void)state;
	renamed.hint = "uid=jdoe2,ou=Alumni,dc=example,dc=com";
	renamed.hint_len = strlen(renamed.hint);
	n1 = abp_eid_encode(&e, b1, sizeof(b1));
	n2 = abp_eid_encode(&renamed, b2, sizeof(b2));
	b1[0] = 0x80;                                       /* MAPI_SHORTTERM */
	assert_int_equal(abp_eid_parse(b1, n1, our_uid, &a), ABP_EID_OK);
	assert_int_equal(abp_eid_parse(b2, n2, our_uid, &b), ABP_EID_OK);
	assert_true(abp_eid_same_object(&a, &b));
}

/* LO-2b: every truncation of a valid ID is malformed, never read past the end. */
static void test_LO2b_every_truncation_is_malformed(void **state)
{
	struct abp_eid e = person();
	uint8_t buf[300];
	size_t n = abp_eid_encode(&e, buf, sizeof(buf)), cut;

	(void)state;
	for (cut = 0; cut < n; cut++) {
		uint8_t *copy = test_malloc(cut ? cut : 1);
		memcpy(copy, buf, cut);
		assert_int_equal(abp_eid_parse(copy, cut, our_uid, NULL), ABP_EID_MALFORMED);
		test_free(copy);
	}
}

/* LO-2b: bad version, type, kind, reserved byte, lengths, trailing bytes. */
static void test_LO2b_malformed_fields(void **state)
{
	struct abp_eid e = person();
	uint8_t good[300], bad[301];
	size_t n = abp_eid_encode(&e, good, sizeof(good));
	struct { size_t off; uint8_t val; } cases[] = {
		{ 20, 0 }, { 20, 2 },          /* version */
		{ 21, 0 }, { 21, 9 },          /* object type */
		{ 22, 0 }, { 22, 6 },          /* locator kind */
		{ 22, ABP_EID_LOC_CONTAINER }, /* a person located like a container */
		{ 23, 1 },                     /* reserved */
		{ 24, 15 }, { 25, 1 },         /* locator length wrong for a UUID */
		{ 42, 0xff }, { 43, 0xff },    /* hint length past the end */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(bad, good, n);
		bad[cases[i].off] = cases[i].val;
		assert_int_equal(abp_eid_parse(bad, n, our_uid, NULL), ABP_EID_MALFORMED);
	}
	memcpy(bad, good, n);
	bad[n] = 0;                                          /* one trailing byte */
	assert_int_equal(abp_eid_parse(bad, n + 1, our_uid, NULL), ABP_EID_MALFORMED);
	assert_int_equal(abp_eid_parse(NULL, n, our_uid, NULL), ABP_EID_MALFORMED);
}

/* LO-2b: another provider's well-formed ENTRYID is foreign, not malformed. */
static void test_LO2b_foreign_uid(void **state)
{
	uint8_t other[24] = { 0 };

	(void)state;
	memset(other + 4, 0x81, 16);
	assert_int_equal(abp_eid_parse(other, sizeof(other), our_uid, NULL), ABP_EID_FOREIGN);
	assert_int_equal(abp_eid_parse(other, 19, our_uid, NULL), ABP_EID_MALFORMED);
	/* Without an expected UID, the same bytes are judged by our layout. */
	assert_int_equal(abp_eid_parse(other, sizeof(other), NULL, NULL), ABP_EID_MALFORMED);
}

/* EK-2: the encoder refuses what the parser would refuse. */
static void test_EK2_encoder_rejects_invalid(void **state)
{
	struct abp_eid e = person();
	uint8_t buf[64];

	(void)state;
	assert_int_equal(abp_eid_encode(&e, buf, 10), 0);   /* too small */
	e.loc_len = 15;
	assert_int_equal(abp_eid_size(&e), 0);
	e = person();
	e.type = ABP_EID_CONTAINER;                          /* container with a UUID */
	assert_int_equal(abp_eid_size(&e), 0);
	e = person();
	e.hint_len = ABP_EID_HINT_MAX + 1;
	assert_int_equal(abp_eid_size(&e), 0);
	assert_int_equal(abp_eid_size(NULL), 0);
}

/* EK-2: a person named only by a long DN (deep OUs, long RDN values) has
 * an ID: a DN locator may be as long as the 16-bit length field allows;
 * other locators keep their small bound. */
static void test_EK2_long_dn_locator_round_trips(void **state)
{
	const size_t lens[] = { ABP_EID_LOCATOR_MAX + 1, 3000, ABP_EID_DN_LOCATOR_MAX };
	struct abp_eid e = person(), back;
	uint8_t *dn = malloc(ABP_EID_DN_LOCATOR_MAX + 1), *buf = malloc(ABP_EID_MAX);

	(void)state;
	assert_non_null(dn);
	assert_non_null(buf);
	memset(dn, 'a', ABP_EID_DN_LOCATOR_MAX + 1);
	e.loc_kind = ABP_EID_LOC_DN;
	e.loc = dn;
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t cb;

		e.loc_len = lens[i];
		cb = abp_eid_size(&e);
		assert_int_equal(cb, ABP_EID_HEADER + lens[i] + 2 + e.hint_len);
		assert_true(cb <= ABP_EID_MAX);
		assert_int_equal(abp_eid_encode(&e, buf, ABP_EID_MAX), cb);
		assert_int_equal(abp_eid_parse(buf, cb, our_uid, &back), ABP_EID_OK);
		assert_int_equal(back.loc_kind, ABP_EID_LOC_DN);
		assert_int_equal(back.loc_len, lens[i]);
		assert_memory_equal(back.loc, dn, lens[i]);
		assert_true(abp_eid_same_object(&e, &back));
	}
	e.loc_len = ABP_EID_DN_LOCATOR_MAX + 1;             /* cannot be encoded */
	assert_int_equal(abp_eid_size(&e), 0);
	/* Other locators stay bounded. */
	e = person();
	e.type = ABP_EID_CONTAINER;
	e.loc_kind = ABP_EID_LOC_CONTAINER;
	e.hint = NULL;
	e.hint_len = 0;
	e.loc = dn;
	e.loc_len = ABP_EID_LOCATOR_MAX;
	assert_int_equal(abp_eid_size(&e), ABP_EID_CONTAINER_MAX);
	e.loc_len = ABP_EID_LOCATOR_MAX + 1;
	assert_int_equal(abp_eid_size(&e), 0);
	e = person();
	e.loc_kind = ABP_EID_LOC_NSUNIQUEID;
	e.loc = dn;
	e.loc_len = ABP_EID_LOCATOR_MAX + 1;
	assert_int_equal(abp_eid_size(&e), 0);
	free(buf);
	free(dn);
}

/* LO-3: different types or locators are different objects. */
static void test_LO3_different_objects(void **state)
{
	struct abp_eid a = person(), b = person();
	uint8_t other_uuid[16];

	(void)state;
	b.type = ABP_EID_DISTLIST;
	assert_false(abp_eid_same_object(&a, &b));
	b = person();
	memcpy(other_uuid, uuid, 16);
	other_uuid[15] ^= 1;
	b.loc = other_uuid;
	assert_false(abp_eid_same_object(&a, &b));
	assert_false(abp_eid_same_object(&a, NULL));
}

/* EK-7: search key is ADDRTYPE ":" ADDRESS upper-cased with the NUL counted. */
static void test_EK7_search_key(void **state)
{
	uint8_t buf[64];
	size_t n = abp_search_key("smtp", "Jane.Doe@Example.com", buf, sizeof(buf));

	(void)state;
	assert_int_equal(n, strlen("SMTP:JANE.DOE@EXAMPLE.COM") + 1);
	assert_memory_equal(buf, "SMTP:JANE.DOE@EXAMPLE.COM", n);
	assert_int_equal(abp_search_key("SMTP", "a@b", buf, 3), 9); /* too small: size only */
}

/* ST-2: the status object's ID round-trips; it is
 * located like a container, never by a server ID. */
static void test_EK2_status_object_round_trip(void **state)
{
	struct abp_eid e, back;
	uint8_t buf[64];
	size_t n;

	(void)state;
	memset(&e, 0, sizeof(e));
	memcpy(e.uid, our_uid, 16);
	e.type = ABP_EID_STATUS;
	e.loc_kind = ABP_EID_LOC_CONTAINER;
	e.loc = (const uint8_t *)"status";
	e.loc_len = 6;
	n = abp_eid_encode(&e, buf, sizeof(buf));
	assert_int_equal(n, ABP_EID_HEADER + 6 + 2);
	assert_int_equal(buf[21], 5);
	assert_int_equal(abp_eid_parse(buf, n, our_uid, &back), ABP_EID_OK);
	assert_int_equal(back.type, ABP_EID_STATUS);
	assert_true(abp_eid_same_object(&e, &back));
	e.loc_kind = ABP_EID_LOC_ENTRYUUID;
	e.loc = uuid;
	e.loc_len = 16;
	assert_int_equal(abp_eid_size(&e), 0);
	buf[21] = 6;                                        /* past the last type */
	assert_int_equal(abp_eid_parse(buf, n, our_uid, NULL), ABP_EID_MALFORMED);
}

/* EK-6: the record key is the identity only - flags zero,
 * no hint - so a flagged or re-hinted copy of an ID has the same key, and
 * different objects have different keys. */
static void test_EK6_record_key_is_identity_without_flags_or_hint(void **state)
{
	struct abp_eid e = person(), back, other = person();
	uint8_t id[300], rk1[300], rk2[300], rk3[300];
	uint8_t other_uuid[16];
	size_t n, k1, k2, k3;

	(void)state;
	n = abp_eid_encode(&e, id, sizeof(id));
	assert_true(n > 0);
	k1 = abp_eid_record_key(&e, rk1, sizeof(rk1));
	assert_int_equal(k1, ABP_EID_HEADER + 16 + 2);
	assert_memory_equal(rk1, id, ABP_EID_HEADER + 16);    /* flags 0 .. locator */
	assert_int_equal(rk1[k1 - 2], 0);                       /* hint length 0 */
	assert_int_equal(rk1[k1 - 1], 0);
	/* A short-term copy with another hint (the DN after a rename). */
	id[0] = 0x80;
	id[3] = 0x01;
	assert_int_equal(abp_eid_parse(id, n, our_uid, &back), ABP_EID_OK);
	back.hint = "uid=jdoe2,ou=Moved,dc=example,dc=com";
	back.hint_len = strlen(back.hint);
	k2 = abp_eid_record_key(&back, rk2, sizeof(rk2));
	assert_int_equal(k2, k1);
	assert_memory_equal(rk2, rk1, k1);
	/* Another object: another key. */
	memcpy(other_uuid, uuid, 16);
	other_uuid[15] ^= 1;
	other.loc = other_uuid;
	k3 = abp_eid_record_key(&other, rk3, sizeof(rk3));
	assert_int_equal(k3, k1);
	assert_true(memcmp(rk3, rk1, k1) != 0);
	/* Too small, invalid. */
	assert_int_equal(abp_eid_record_key(&e, rk1, k1 - 1), 0);
	assert_int_equal(abp_eid_record_key(NULL, rk1, sizeof(rk1)), 0);
	assert_true(abp_eid_locator_immutable(ABP_EID_LOC_ENTRYUUID));
	assert_true(abp_eid_locator_immutable(ABP_EID_LOC_OBJECTGUID));
	assert_true(abp_eid_locator_immutable(ABP_EID_LOC_NSUNIQUEID));
	assert_false(abp_eid_locator_immutable(ABP_EID_LOC_DN));
	assert_false(abp_eid_locator_immutable(ABP_EID_LOC_CONTAINER));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_EK2_layout_is_fixed_little_endian),
		cmocka_unit_test(test_EK2_round_trip_unaligned),
		cmocka_unit_test(test_EK3_flags_and_hint_do_not_change_identity),
		cmocka_unit_test(test_LO2b_every_truncation_is_malformed),
		cmocka_unit_test(test_LO2b_malformed_fields),
		cmocka_unit_test(test_LO2b_foreign_uid),
		cmocka_unit_test(test_EK2_encoder_rejects_invalid),
		cmocka_unit_test(test_EK2_long_dn_locator_round_trips),
		cmocka_unit_test(test_LO3_different_objects),
		cmocka_unit_test(test_EK7_search_key),
		cmocka_unit_test(test_EK2_status_object_round_trip),
		cmocka_unit_test(test_EK6_record_key_is_identity_without_flags_or_hint),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
