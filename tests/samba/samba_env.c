/* samba_env.c - read the Samba AD fixture's samba.env. */
#include "samba_env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KEYS 128
#define MAX_LINE 4096

static char *keys[MAX_KEYS];
static char *values[MAX_KEYS];
static size_t n_keys;
static int loaded;

static void load(void)
{
	const char *path = getenv("LDAPAB_SAMBA_ENV");
	char line[MAX_LINE];
	FILE *f;

	if (path == NULL || path[0] == '\0') {
		fprintf(stderr, "samba_env: LDAPAB_SAMBA_ENV is not set "
			"(run this test through ctest: it needs the samba_ad fixture)\n");
		abort();
	}
	f = fopen(path, "r");
	if (f == NULL) {
		fprintf(stderr, "samba_env: cannot read %s: the samba_ad fixture did not start\n", path);
		abort();
	}
	while (fgets(line, sizeof(line), f) != NULL && n_keys < MAX_KEYS) {
		char *eq = strchr(line, '=');
		size_t len = strlen(line);

		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (eq == NULL)
			continue;
		*eq = '\0';
		keys[n_keys] = strdup(line);
		values[n_keys] = strdup(eq + 1);
		if (keys[n_keys] == NULL || values[n_keys] == NULL) {
			fprintf(stderr, "samba_env: out of memory\n");
			abort();
		}
		n_keys++;
	}
	fclose(f);
	loaded = 1;
}

const char *samba_env(const char *key)
{
	if (!loaded)
		load();
	for (size_t i = 0; i < n_keys; i++)
		if (strcmp(keys[i], key) == 0)
			return values[i];
	fprintf(stderr, "samba_env: %s has no key %s\n", getenv("LDAPAB_SAMBA_ENV"), key);
	abort();
}
