/*
 * wine_util.h - what the MAPI programs run under Wine share: the check of
 * wine_check.h, reading a fixture's KEY=VALUE environment file, and entry i
 * of an ADRLIST allocated for more than one entry.
 */
#ifndef LDAPAB_WINE_UTIL_H
#define LDAPAB_WINE_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mapi/mapidefs.h>

#include "wine_check.h"

struct wine_env_key {
	const char *key;        /* e.g. "LDAPAB_TEST_URI" */
	char *out;
	size_t cap;
};

/* Fill each key's value from the env file (slapd.env, samba.env); a key
 * missing from the file stops the program naming it. */
static inline void wine_read_env(const char *path, const struct wine_env_key *keys, size_t n)
{
	char line[1024];
	FILE *f = fopen(path, "r");

	CHECK(f != NULL, "cannot open %s", path);
	for (size_t i = 0; i < n; i++)
		keys[i].out[0] = '\0';
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		for (size_t i = 0; i < n; i++) {
			size_t kl = strlen(keys[i].key);

			if (strncmp(line, keys[i].key, kl) == 0 && line[kl] == '=')
				snprintf(keys[i].out, keys[i].cap, "%s", line + kl + 1);
		}
	}
	fclose(f);
	for (size_t i = 0; i < n; i++)
		CHECK(keys[i].out[0] != '\0', "%s lacks %s", path, keys[i].key);
}

/* aEntries is declared with one element (MAPI_DIM): entries past it are
 * reached through a pointer. */
static inline ADRENTRY *entry_at(LPADRLIST l, ULONG i)
{
	ADRENTRY *e = l->aEntries;

	return e + i;
}

#endif /* LDAPAB_WINE_UTIL_H */
