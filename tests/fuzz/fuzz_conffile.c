/*
 * fuzz_conffile.c - libFuzzer target for the ldapab command's configuration
 * file (host/cli/conffile.c: ldapab.conf through inifile.c) and its translation
 * into profile properties (host/cli/profprops.c).
 *
 * Input: the bytes of an ldapab.conf (any bytes: NULs, overlong lines,
 * invalid UTF-8, duplicate keys, sections without keys), written to a
 * private file of mode 0600 and loaded as `ldapab -c FILE` would
 * (ldap.conf is not consulted: LDAPNOINIT).
 * Properties:
 *   - cli_conf_load returns 0 or one of the sysexits codes the command
 *     documents, and every failure printed exactly one message;
 *   - on success with a URI, cli_conf_to_props returns 0 or EXIT_CONFIG;
 *     on 0: at most K_COUNT + 3 properties, every string NUL-terminated
 *     UTF-16 without unpaired surrogates, the instance UID 16 bytes;
 *   - a password that appears once in the file never appears in a message;
 *   - nothing the host allocated is left (host_mem_live_blocks), and
 *     cli_conf_free leaves the structure empty.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ldapab_host/mem.h>

#include "cli.h"
#include "fuzz_check.h"

static char messages[8192];
static size_t n_messages;

/* The command's error sink (text.c), captured instead of printed. */
void cli_errorf(const char *fmt, ...)
{
	size_t used = strlen(messages);
	va_list ap;

	va_start(ap, fmt);
	if (used < sizeof(messages) - 2) {
		vsnprintf(messages + used, sizeof(messages) - used - 1, fmt, ap);
		FUZZ_CHECK(messages[used] != '\0');     /* never an empty message */
		strcat(messages, "\n");
	}
	va_end(ap);
	n_messages++;
}

static bool utf16_ok(const WCHAR *w)
{
	for (size_t i = 0; w[i]; i++) {
		if (w[i] >= 0xD800 && w[i] <= 0xDBFF) {
			if (w[i + 1] < 0xDC00 || w[i + 1] > 0xDFFF)
				return false;
			i++;
		} else if (w[i] >= 0xDC00 && w[i] <= 0xDFFF) {
			return false;
		}
	}
	return true;
}

static size_t count_occurrences(const uint8_t *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle), c = 0;

	for (size_t i = 0; k && i + k <= n; i++)
		if (memcmp(hay + i, needle, k) == 0)
			c++;
	return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct cli_conf c;
	LPSPropValue props = NULL;
	ULONG n = 0;
	int fd, rc;

	if (!path[0]) {
		setenv("LDAPNOINIT", "1", 1);
		unsetenv("LDAPAB_CONFIG");
		snprintf(path, sizeof(path), "/tmp/ldapab-fuzz-conf-%ld.conf", (long)getpid());
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	FUZZ_CHECK(fd >= 0);
	FUZZ_CHECK(write(fd, data, size) == (ssize_t)size);
	close(fd);
	messages[0] = '\0';
	n_messages = 0;

	rc = cli_conf_load(path, &c);
	FUZZ_CHECK(rc == 0 || rc == EXIT_CONFIG || rc == EXIT_NOINPUT || rc == EXIT_NOPERM ||
	           rc == EXIT_SOFTWARE);
	FUZZ_CHECK(rc == 0 ? n_messages == 0 : n_messages == 1);
	if (rc == 0) {
		FUZZ_CHECK(c.set[K_URI].value != NULL);
		rc = cli_conf_to_props(&c, &n, &props);
		FUZZ_CHECK(rc == 0 || rc == EXIT_CONFIG);
		if (rc == 0) {
			FUZZ_CHECK(props != NULL && n <= K_COUNT + 3);
			for (ULONG i = 0; i < n; i++) {
				const SPropValue *v = &props[i];

				if (PROP_TYPE(v->ulPropTag) == PT_UNICODE)
					FUZZ_CHECK(utf16_ok(v->Value.lpszW));
				if (PROP_TYPE(v->ulPropTag) == PT_MV_UNICODE)
					for (ULONG k = 0; k < v->Value.MVszW.cValues; k++)
						FUZZ_CHECK(utf16_ok(v->Value.MVszW.lppszW[k]));
				if (PROP_TYPE(v->ulPropTag) == PT_BINARY)
					FUZZ_CHECK(v->Value.bin.cb == 16);
			}
			host_MAPIFreeBuffer(props);
		} else {
			FUZZ_CHECK(props == NULL);
		}
	}
	if (c.set[K_PASSWORD].value != NULL && strlen(c.set[K_PASSWORD].value) >= 4 &&
	    count_occurrences(data, size, c.set[K_PASSWORD].value) == 1)
		FUZZ_CHECK(strstr(messages, c.set[K_PASSWORD].value) == NULL);
	cli_conf_free(&c);
	FUZZ_CHECK(c.path == NULL && c.n_attrmap == 0 && c.set[K_URI].value == NULL);
	FUZZ_CHECK(host_mem_live_blocks() == 0);
	return 0;
}
