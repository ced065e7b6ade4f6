/*
 * profprops.c - the configuration file's settings → the profile properties an
 * Outlook profile would hold for ldapab (provider/include/ldapab/profile.h),
 * handed to the provider's ServiceEntry.  Syntax (numbers, names of
 * choices, booleans) is checked here so errors name file:line; the meaning
 * (URIs, DNs, filters, files, consistency) is checked by the provider, whose
 * message names the setting, which book.c maps back to file:line.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldapab/profile.h>

#include "cli.h"

struct choice {
	const char *name;
	long value;
};

static const struct choice c_bind[] = {
	{ "anonymous", LDAPAB_BIND_ANONYMOUS }, { "simple", LDAPAB_BIND_SIMPLE },
	{ "external", LDAPAB_BIND_SASL_EXTERNAL }, { "gssapi", LDAPAB_BIND_SASL_GSSAPI },
	{ NULL, 0 } };
static const struct choice c_tls[] = {
	{ "none", LDAPAB_TLS_NONE }, { "starttls", LDAPAB_TLS_STARTTLS }, { NULL, 0 } };
static const struct choice c_reqcert[] = {
	{ "demand", LDAPAB_REQCERT_DEMAND }, { "allow", LDAPAB_REQCERT_ALLOW },
	{ "never", LDAPAB_REQCERT_NEVER }, { NULL, 0 } };
static const struct choice c_browse[] = {
	{ "search", LDAPAB_BROWSE_SEARCH_ONLY }, { "vlv", LDAPAB_BROWSE_VLV }, { NULL, 0 } };
static const struct choice c_schema[] = {
	{ "auto", LDAPAB_SCHEMA_AUTO }, { "inetorgperson", LDAPAB_SCHEMA_INETORGPERSON },
	{ "activedirectory", LDAPAB_SCHEMA_ACTIVE_DIRECTORY },
	{ "ad", LDAPAB_SCHEMA_ACTIVE_DIRECTORY }, { NULL, 0 } };

static int bad_value(const struct cli_setting *s, enum cli_key k, const char *fmt, const char *a)
{
	char msg[400];
	/* A password never reaches a message, even one that is not UTF-8. */
	const char *shown = k == K_PASSWORD ? "(the password)" : s->value;

	snprintf(msg, sizeof(msg), fmt, a);
	if (s->file && s->line)
		cli_errorf("%s:%d: %s: \"%s\" %s", s->file, s->line, cli_key_name(k), shown, msg);
	else
		cli_errorf("%s: \"%s\" %s", cli_key_name(k), shown, msg);
	return EXIT_CONFIG;
}

static int parse_choice(const struct cli_setting *s, enum cli_key k, const struct choice *c,
                        long *out)
{
	char names[200] = "";

	for (const struct choice *i = c; i->name; i++) {
		if (strcasecmp(s->value, i->name) == 0) {
			*out = i->value;
			return 0;
		}
		if (names[0])
			strncat(names, ", ", sizeof(names) - strlen(names) - 1);
		strncat(names, i->name, sizeof(names) - strlen(names) - 1);
	}
	return bad_value(s, k, "is not one of: %s", names);
}

static int parse_number(const struct cli_setting *s, enum cli_key k, long lo, long hi, long *out)
{
	char *end = NULL, range[80];
	long v;

	errno = 0;
	v = strtol(s->value, &end, 10);
	snprintf(range, sizeof(range), "%ld and %ld", lo, hi);
	if (errno || end == s->value || *end || v < lo || v > hi)
		return bad_value(s, k, "is not a whole number between %s", range);
	*out = v;
	return 0;
}

static int parse_bool(const struct cli_setting *s, enum cli_key k, long *out)
{
	static const char *yes[] = { "yes", "true", "on", "1" }, *no[] = { "no", "false", "off", "0" };

	for (int i = 0; i < 4; i++) {
		if (strcasecmp(s->value, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(s->value, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return bad_value(s, k, "is not yes or no%s", "");
}

/* Property tag of each key (strings: the canonical _W tag). */
static ULONG key_tag(enum cli_key k)
{
	switch (k) {
	case K_URI: return PR_LDAPAB_SERVER_URIS_W;
	case K_BASE: return PR_LDAPAB_BASE_DN_W;
	case K_NAME: return PR_DISPLAY_NAME_W;
	case K_BIND_METHOD: return PR_LDAPAB_BIND_METHOD;
	case K_BIND_DN: return PR_LDAPAB_BIND_DN_W;
	case K_PASSWORD: return PR_LDAPAB_BIND_PASSWORD_W;
	case K_PASSWORD_FILE: return PR_LDAPAB_PASSWORD_FILE_W;
	case K_ALLOW_INSECURE: return PR_LDAPAB_ALLOW_INSECURE_BIND;
	case K_TLS_MODE: return PR_LDAPAB_TLS_MODE;
	case K_CA_FILE: return PR_LDAPAB_TLS_CACERT_FILE_W;
	case K_CA_DIR: return PR_LDAPAB_TLS_CACERT_DIR_W;
	case K_REQCERT: return PR_LDAPAB_TLS_REQCERT;
	case K_CERT_FILE: return PR_LDAPAB_TLS_CERT_FILE_W;
	case K_KEY_FILE: return PR_LDAPAB_TLS_KEY_FILE_W;
	case K_CONNECT_TIMEOUT: return PR_LDAPAB_CONNECT_TIMEOUT;
	case K_OP_TIMEOUT: return PR_LDAPAB_OP_TIMEOUT;
	case K_TIME_LIMIT: return PR_LDAPAB_SEARCH_TIMELIMIT;
	case K_SIZE_LIMIT: return PR_LDAPAB_SIZE_LIMIT;
	case K_PAGE_SIZE: return PR_LDAPAB_PAGE_SIZE;
	case K_BACKOFF: return PR_LDAPAB_FAILOVER_BACKOFF;
	case K_BROWSE: return PR_LDAPAB_BROWSE_MODE;
	case K_PERSON_FILTER: return PR_LDAPAB_PERSON_FILTER_W;
	case K_GROUP_FILTER: return PR_LDAPAB_GROUP_FILTER_W;
	case K_SCHEMA: return PR_LDAPAB_SCHEMA;
	default: return PR_NULL;
	}
}

static int mv_prop(LPSPropValue root, ULONG tag, const struct cli_multi *v, size_t n,
                   SPropValue *out)
{
	WCHAR **arr = NULL;

	if (FAILED(host_MAPIAllocateMore((ULONG)(n * sizeof(WCHAR *)), root, (void **)&arr)))
		return EXIT_SOFTWARE;
	for (size_t i = 0; i < n; i++)
		if (FAILED(host_utf8_to_utf16_more(v[i].value, root, &arr[i]))) {
			cli_errorf("%s:%d: not valid UTF-8", "configuration", v[i].line);
			return EXIT_CONFIG;
		}
	out->ulPropTag = tag;
	out->Value.MVszW.cValues = (ULONG)n;
	out->Value.MVszW.lppszW = arr;
	return 0;
}

/* 16 bytes from two FNV-1a 64 hashes of "uris\0base" with different seeds. */
static void instance_uid(const char *uris, const char *base, BYTE out[16])
{
	uint64_t h[2] = { 0xcbf29ce484222325ull, 0x84222325cbf29ce4ull };

	for (int k = 0; k < 2; k++) {
		const char *parts[2] = { uris ? uris : "", base ? base : "" };

		for (int p = 0; p < 2; p++) {
			for (const unsigned char *c = (const unsigned char *)parts[p]; *c; c++) {
				h[k] ^= *c;
				h[k] *= 0x100000001b3ull;
			}
			h[k] ^= 0xff;
			h[k] *= 0x100000001b3ull;
		}
		for (int b = 0; b < 8; b++)
			out[8 * k + b] = (BYTE)(h[k] >> (8 * b));
	}
}

int cli_conf_to_props(const struct cli_conf *c, ULONG *n_out, LPSPropValue *out)
{
	LPSPropValue v = NULL;
	ULONG n = 0;
	int rc = 0;

	*out = NULL;
	*n_out = 0;
	if (FAILED(host_MAPIAllocateBuffer((K_COUNT + 3) * sizeof(SPropValue), (void **)&v)))
		return EXIT_SOFTWARE;
	memset(v, 0, (K_COUNT + 3) * sizeof(SPropValue));
	for (int k = 0; k < K_COUNT && !rc; k++) {
		const struct cli_setting *s = &c->set[k];
		ULONG tag = key_tag(k);
		long num = 0;

		if (!s->value || tag == PR_NULL)
			continue;
		switch (k) {
		case K_BIND_METHOD: rc = parse_choice(s, k, c_bind, &num); break;
		case K_TLS_MODE: rc = parse_choice(s, k, c_tls, &num); break;
		case K_REQCERT: rc = parse_choice(s, k, c_reqcert, &num); break;
		case K_BROWSE: rc = parse_choice(s, k, c_browse, &num); break;
		case K_SCHEMA: rc = parse_choice(s, k, c_schema, &num); break;
		case K_ALLOW_INSECURE: rc = parse_bool(s, k, &num); break;
		case K_CONNECT_TIMEOUT:
		case K_OP_TIMEOUT: rc = parse_number(s, k, 1, 3600, &num); break;
		case K_TIME_LIMIT: rc = parse_number(s, k, 0, 3600, &num); break;
		case K_SIZE_LIMIT: rc = parse_number(s, k, 0, 1000000, &num); break;
		case K_PAGE_SIZE: rc = parse_number(s, k, 0, 100000, &num); break;
		case K_BACKOFF: rc = parse_number(s, k, 1, 600, &num); break;
		default: break;
		}
		if (rc)
			break;
		v[n].ulPropTag = tag;
		if (PROP_TYPE(tag) == PT_LONG)
			v[n].Value.l = (LONG)num;
		else if (PROP_TYPE(tag) == PT_BOOLEAN)
			v[n].Value.b = (unsigned short)num;
		else if (FAILED(host_utf8_to_utf16_more(s->value, v, &v[n].Value.lpszW)))
			rc = bad_value(s, k, "is not valid UTF-8%s", "");
		n++;
	}
	if (!rc) {
		/* The instance UID every entry ID carries (LC-14): an Outlook profile
		 * makes it once and keeps it; the command has no stored profile, so
		 * it derives it from the directory (URIs and base), and entry IDs
		 * printed by one run open in the next. */
		BYTE *uid = NULL;

		if (FAILED(host_MAPIAllocateMore(16, v, (void **)&uid))) {
			rc = EXIT_SOFTWARE;
		} else {
			instance_uid(c->set[K_URI].value, c->set[K_BASE].value, uid);
			v[n].ulPropTag = PR_LDAPAB_INSTANCE_UID;
			v[n].Value.bin.cb = 16;
			v[n++].Value.bin.lpb = uid;
		}
	}
	if (!rc && c->n_attrmap)
		rc = mv_prop(v, PR_LDAPAB_ATTR_MAP_W, c->attrmap, c->n_attrmap, &v[n++]);
	if (!rc && c->n_containers)
		rc = mv_prop(v, PR_LDAPAB_CONTAINERS_W, c->containers, c->n_containers, &v[n++]);
	if (rc) {
		(void)host_MAPIFreeBuffer(v);
		return rc;
	}
	*out = v;
	*n_out = n;
	return 0;
}
