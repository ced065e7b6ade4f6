/*
 * make_seeds.c - writes the valid entry IDs of corpus/entryid/ with the real
 * encoder (one of each object type and locator kind, empty and maximal
 * hints and locators), so the seeds follow the layout even if it changes:
 * `ldapab_fuzz_make_seeds tests/fuzz/corpus/entryid`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entryid.h"

static const uint8_t uid[16] = { 0x4c, 0x44, 0x41, 0x50, 0x41, 0x42, 0x01, 0x02,
                                 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a };

static int write_seed(const char *dir, const char *name, const struct abp_eid *e)
{
	uint8_t buf[ABP_EID_MAX];
	char path[4096];
	size_t n = abp_eid_encode(e, buf, sizeof(buf));
	FILE *fp;
	int rc = 1;

	if (n == 0) {
		fprintf(stderr, "%s: not encodable\n", name);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "wb");
	if (fp == NULL) {
		perror(path);
		return 1;
	}
	if (fwrite(buf, 1, n, fp) == n)
		rc = 0;
	if (fclose(fp) != 0)
		rc = 1;
	return rc;
}

int main(int argc, char **argv)
{
	static uint8_t big_loc[ABP_EID_LOCATOR_MAX];
	static char big_hint[ABP_EID_HINT_MAX];
	static const uint8_t guid[16] = { 0x9f, 0x1c, 0x2a, 0x33, 0x01, 0x00, 0x4e, 0x8b,
	                                  0xa0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 };
	const char *dn = "uid=jdoe,ou=People,dc=example,dc=com";
	const char *nsid = "8b3a1f01-1dd211b2-8043b1b5-2c1a0000";
	struct abp_eid e;
	int fails = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s <corpus dir>\n", argv[0]);
		return 2;
	}
	memset(big_loc, 'L', sizeof(big_loc));
	memset(big_hint, 'h', sizeof(big_hint));

	memset(&e, 0, sizeof(e));
	memcpy(e.uid, uid, 16);
	e.type = ABP_EID_ROOT;
	e.loc_kind = ABP_EID_LOC_CONTAINER;
	e.loc = (const uint8_t *)"root";
	e.loc_len = 4;
	fails += write_seed(argv[1], "valid_root", &e);

	e.type = ABP_EID_CONTAINER;
	e.loc = (const uint8_t *)"c0123456789abcdef";
	e.loc_len = 17;
	e.hint = "ou=People,dc=example,dc=com";
	e.hint_len = strlen(e.hint);
	fails += write_seed(argv[1], "valid_container_hint", &e);

	e.type = ABP_EID_MAILUSER;
	e.loc_kind = ABP_EID_LOC_ENTRYUUID;
	e.loc = guid;
	e.loc_len = 16;
	e.hint = dn;
	e.hint_len = strlen(dn);
	fails += write_seed(argv[1], "valid_mailuser_entryuuid", &e);

	e.type = ABP_EID_DISTLIST;
	e.loc_kind = ABP_EID_LOC_OBJECTGUID;
	e.hint = NULL;
	e.hint_len = 0;
	fails += write_seed(argv[1], "valid_distlist_objectguid_nohint", &e);

	e.type = ABP_EID_MAILUSER;
	e.loc_kind = ABP_EID_LOC_NSUNIQUEID;
	e.loc = (const uint8_t *)nsid;
	e.loc_len = strlen(nsid);
	fails += write_seed(argv[1], "valid_mailuser_nsuniqueid", &e);

	e.loc_kind = ABP_EID_LOC_DN;
	e.loc = (const uint8_t *)dn;
	e.loc_len = strlen(dn);
	e.hint = "UID=jdoe, ou=People, dc=Example, dc=com";
	e.hint_len = strlen(e.hint);
	fails += write_seed(argv[1], "valid_mailuser_dn", &e);

	e.type = ABP_EID_DISTLIST;
	e.loc = big_loc;
	e.loc_len = sizeof(big_loc);
	e.hint = big_hint;
	e.hint_len = sizeof(big_hint);
	fails += write_seed(argv[1], "valid_distlist_max_sizes", &e);
	return fails ? 1 : 0;
}
