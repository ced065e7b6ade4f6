/*
 * config.c - profile settings → struct abp_config, with validation.
 *
 * Every problem is reported as MAPI_E_UNCONFIGURED with a message naming the
 * setting the way README.md does (PR_LDAPAB_... and its tag), so the person
 * configuring the profile knows exactly what to change (LC-15, LC-19).
 * Decisions:
 *   - PR_LDAPAB_SERVER_URIS is required (no silent fallback to ldap.conf: an
 *     address book that talks to whatever /etc/ldap/ldap.conf names is hard
 *     to diagnose);
 *   - PR_LDAPAB_BIND_METHOD defaults to simple when PR_LDAPAB_BIND_DN is set,
 *     else anonymous;
 *   - the password comes only from the secure PR_LDAPAB_BIND_PASSWORD or from
 *     PR_LDAPAB_PASSWORD_FILE, never both (CF-5);
 *   - a container's ID (in its entry IDs, EK-4) is derived from its
 *     effective base DN (normalised) and filter - the one container shown
 *     when none are listed included - so renaming or reordering containers
 *     keeps their IDs;
 *   - secrets and file paths are taken byte for byte: "  pass word  " is a
 *     password with blanks, and trimming a path could name another file;
 *   - files named by the TLS settings must be readable at Logon, so a typo
 *     is reported naming the setting, not as a TLS failure at the first
 *     lookup.
 * Format strings avoid %zu (mingw's msvcrt printf lacks it): sizes are
 * printed as unsigned long.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ldapab/profile.h>

#include "attrmap.h"
#include "config.h"
#include "props.h"
#include "secret.h"

#define DEFAULT_DISPLAY_NAME "LDAP Directory"
#define DEFAULT_SIZE_LIMIT   100
#define DEFAULT_PAGE_SIZE    1000
#define DEFAULT_BACKOFF_S    30
#define DEFAULT_CONNECT_S    6
#define DEFAULT_OP_S         8
#define DEFAULT_TIMELIMIT_S  60

#define U(id) PROP_TAG(PT_UNSPECIFIED, (id))

static const struct {
	ULONG cValues;
	ULONG aulPropTag[32];
} config_tags = {
	28,
	{
		U(0x6600), U(0x6601), U(0x6602), U(0x6603), U(0x6604), U(0x6605),
		U(0x6610), U(0x6611), U(0x6612), U(0x6613), U(0x6614), U(0x6615),
		U(0x6620), U(0x6621), U(0x6622), U(0x6623), U(0x6624), U(0x6625),
		U(0x6630), U(0x6631), U(0x6632), U(0x6633), U(0x6634), U(0x6635),
		U(0x6640), U(0x67F0), U(0x3001),
		U(0x3615),      /* PR_AB_PROVIDER_ID: written when missing (CF-7) */
	}
};

const SPropTagArray *abp_config_tags(void)
{
	return (const SPropTagArray *)(const void *)&config_tags;
}

/* README names, with the canonical tag shown in messages. */
struct setting {
	ULONG tag;
	const char *name;
};

static const struct setting S_URIS = { PR_LDAPAB_SERVER_URIS_W, "PR_LDAPAB_SERVER_URIS" };
static const struct setting S_BASE = { PR_LDAPAB_BASE_DN_W, "PR_LDAPAB_BASE_DN" };
static const struct setting S_METHOD = { PR_LDAPAB_BIND_METHOD, "PR_LDAPAB_BIND_METHOD" };
static const struct setting S_BINDDN = { PR_LDAPAB_BIND_DN_W, "PR_LDAPAB_BIND_DN" };
static const struct setting S_PWFILE = { PR_LDAPAB_PASSWORD_FILE_W, "PR_LDAPAB_PASSWORD_FILE" };
static const struct setting S_INSECURE = { PR_LDAPAB_ALLOW_INSECURE_BIND, "PR_LDAPAB_ALLOW_INSECURE_BIND" };
static const struct setting S_TLSMODE = { PR_LDAPAB_TLS_MODE, "PR_LDAPAB_TLS_MODE" };
static const struct setting S_CAFILE = { PR_LDAPAB_TLS_CACERT_FILE_W, "PR_LDAPAB_TLS_CACERT_FILE" };
static const struct setting S_CADIR = { PR_LDAPAB_TLS_CACERT_DIR_W, "PR_LDAPAB_TLS_CACERT_DIR" };
static const struct setting S_REQCERT = { PR_LDAPAB_TLS_REQCERT, "PR_LDAPAB_TLS_REQCERT" };
static const struct setting S_CERT = { PR_LDAPAB_TLS_CERT_FILE_W, "PR_LDAPAB_TLS_CERT_FILE" };
static const struct setting S_KEY = { PR_LDAPAB_TLS_KEY_FILE_W, "PR_LDAPAB_TLS_KEY_FILE" };
static const struct setting S_CTO = { PR_LDAPAB_CONNECT_TIMEOUT, "PR_LDAPAB_CONNECT_TIMEOUT" };
static const struct setting S_OTO = { PR_LDAPAB_OP_TIMEOUT, "PR_LDAPAB_OP_TIMEOUT" };
static const struct setting S_TLIM = { PR_LDAPAB_SEARCH_TIMELIMIT, "PR_LDAPAB_SEARCH_TIMELIMIT" };
static const struct setting S_SLIM = { PR_LDAPAB_SIZE_LIMIT, "PR_LDAPAB_SIZE_LIMIT" };
static const struct setting S_PAGE = { PR_LDAPAB_PAGE_SIZE, "PR_LDAPAB_PAGE_SIZE" };
static const struct setting S_BACKOFF = { PR_LDAPAB_FAILOVER_BACKOFF, "PR_LDAPAB_FAILOVER_BACKOFF" };
static const struct setting S_BROWSE = { PR_LDAPAB_BROWSE_MODE, "PR_LDAPAB_BROWSE_MODE" };
static const struct setting S_PFILTER = { PR_LDAPAB_PERSON_FILTER_W, "PR_LDAPAB_PERSON_FILTER" };
static const struct setting S_GFILTER = { PR_LDAPAB_GROUP_FILTER_W, "PR_LDAPAB_GROUP_FILTER" };
static const struct setting S_SCHEMA = { PR_LDAPAB_SCHEMA, "PR_LDAPAB_SCHEMA" };
static const struct setting S_ATTRMAP = { PR_LDAPAB_ATTR_MAP_W, "PR_LDAPAB_ATTR_MAP" };
static const struct setting S_CONTS = { PR_LDAPAB_CONTAINERS_W, "PR_LDAPAB_CONTAINERS" };
static const struct setting S_PASSWORD = { PR_LDAPAB_BIND_PASSWORD_W, "PR_LDAPAB_BIND_PASSWORD" };
static const struct setting S_DISPLAY = { PR_DISPLAY_NAME_W, "PR_DISPLAY_NAME" };

/* Parse state: the first problem wins. */
struct parse {
	ULONG n;
	const SPropValue *props;
	char *msg;
	size_t msglen;
	HRESULT hr;
};

static HRESULT ABP_PRINTF(3, 4) bad(struct parse *p, const struct setting *st,
                                    const char *fmt, ...)
{
	char detail[ABP_MSG_MAX];
	va_list ap;

	if (p->hr != S_OK)
		return p->hr;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	snprintf(p->msg, p->msglen, "ldapab is not configured: %s (0x%08X) %s",
	         st->name, (unsigned)st->tag, detail);
	p->hr = MAPI_E_UNCONFIGURED;
	return p->hr;
}

static HRESULT oom(struct parse *p)
{
	if (p->hr == S_OK)
		p->hr = MAPI_E_NOT_ENOUGH_MEMORY;
	return p->hr;
}

static const SPropValue *find(const struct parse *p, ULONG tag)
{
	for (ULONG i = 0; i < p->n; i++) {
		if (PROP_ID(p->props[i].ulPropTag) != PROP_ID(tag))
			continue;
		if (PROP_TYPE(p->props[i].ulPropTag) == PT_ERROR)
			return NULL;
		return &p->props[i];
	}
	return NULL;
}

/* How get_string() treats surrounding blanks. */
enum blanks {
	TRIM,           /* names, DNs, URIs, filters: blanks around mean nothing */
	KEEP            /* passwords and file paths: every byte counts */
};

/* A string setting: *out = malloc'd UTF-8, or NULL when unset or empty. */
static void get_string(struct parse *p, const struct setting *st, enum blanks blanks,
                       char **out)
{
	const SPropValue *pv = find(p, st->tag);
	char *v;

	*out = NULL;
	if (!pv || p->hr != S_OK)
		return;
	if (PROP_TYPE(pv->ulPropTag) != PT_UNICODE && PROP_TYPE(pv->ulPropTag) != PT_STRING8) {
		bad(p, st, "has the wrong type (0x%04X); store it as a string.",
		    (unsigned)PROP_TYPE(pv->ulPropTag));
		return;
	}
	if ((PROP_TYPE(pv->ulPropTag) == PT_UNICODE && !pv->Value.lpszW) ||
	    (PROP_TYPE(pv->ulPropTag) == PT_STRING8 && !pv->Value.lpszA)) {
		bad(p, st, "has no value.");
		return;
	}
	v = abp_propval_utf8_dup(pv);
	if (!v) {
		oom(p);
		return;
	}
	if (blanks == TRIM) {
		size_t len = strlen(v), start = 0;

		while (start < len && isspace((unsigned char)v[start]))
			start++;
		while (len > start && isspace((unsigned char)v[len - 1]))
			len--;
		memmove(v, v + start, len - start);
		v[len - start] = '\0';
	}
	if (!v[0]) {
		free(v);        /* nothing in it to wipe */
		return;
	}
	*out = v;
}

/* A PT_LONG setting in [lo, hi]; def when unset. */
static int get_long(struct parse *p, const struct setting *st, long lo, long hi, int def,
                    const char *what)
{
	const SPropValue *pv = find(p, st->tag);

	if (!pv || p->hr != S_OK)
		return def;
	if (PROP_TYPE(pv->ulPropTag) != PT_LONG) {
		bad(p, st, "has the wrong type (0x%04X); store it as PT_LONG.",
		    (unsigned)PROP_TYPE(pv->ulPropTag));
		return def;
	}
	if (pv->Value.l < lo || pv->Value.l > hi) {
		bad(p, st, "is %ld, out of range; set %s between %ld and %ld.",
		    (long)pv->Value.l, what, lo, hi);
		return def;
	}
	return (int)pv->Value.l;
}

static bool get_bool(struct parse *p, const struct setting *st)
{
	const SPropValue *pv = find(p, st->tag);

	if (!pv || p->hr != S_OK)
		return false;
	if (PROP_TYPE(pv->ulPropTag) == PT_BOOLEAN)
		return pv->Value.b != 0;
	if (PROP_TYPE(pv->ulPropTag) == PT_LONG)
		return pv->Value.l != 0;
	bad(p, st, "has the wrong type (0x%04X); store it as PT_BOOLEAN.",
	    (unsigned)PROP_TYPE(pv->ulPropTag));
	return false;
}

/* A multi-valued string setting: malloc'd array of malloc'd UTF-8. */
static void get_mv_string(struct parse *p, const struct setting *st, char ***out, size_t *n_out)
{
	const SPropValue *pv = find(p, st->tag);
	char **v = NULL;
	size_t n = 0;

	*out = NULL;
	*n_out = 0;
	if (!pv || p->hr != S_OK)
		return;
	if (PROP_TYPE(pv->ulPropTag) == PT_MV_UNICODE) {
		n = pv->Value.MVszW.cValues;
		if (n && !pv->Value.MVszW.lppszW) {
			bad(p, st, "has no values.");
			return;
		}
	} else if (PROP_TYPE(pv->ulPropTag) == PT_MV_STRING8) {
		n = pv->Value.MVszA.cValues;
		if (n && !pv->Value.MVszA.lppszA) {
			bad(p, st, "has no values.");
			return;
		}
	} else {
		bad(p, st, "has the wrong type (0x%04X); store it as a multi-valued string.",
		    (unsigned)PROP_TYPE(pv->ulPropTag));
		return;
	}
	if (n == 0)
		return;
	v = calloc(n, sizeof(*v));
	if (!v) {
		oom(p);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const void *src = PROP_TYPE(pv->ulPropTag) == PT_MV_UNICODE
			? (const void *)pv->Value.MVszW.lppszW[i]
			: (const void *)pv->Value.MVszA.lppszA[i];
		if (!src) {
			bad(p, st, "value %lu is empty.", (unsigned long)(i + 1));
			break;
		}
		v[i] = PROP_TYPE(pv->ulPropTag) == PT_MV_UNICODE
			? abp_utf16_to_utf8_dup(src) : abp_8bit_to_utf8_dup(src);
		if (!v[i]) {
			oom(p);
			break;
		}
	}
	if (p->hr != S_OK) {
		for (size_t i = 0; i < n; i++)
			free(v[i]);
		free(v);
		return;
	}
	*out = v;
	*n_out = n;
}

static bool starts_with_ci(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static void check_uris(struct parse *p, const char *uris)
{
	const char *c = uris;
	size_t count = 0;

	while (*c && p->hr == S_OK) {
		size_t len;

		while (*c == ' ' || *c == ',' || *c == '\t')
			c++;
		if (!*c)
			break;
		len = strcspn(c, " ,\t");
		if (!((starts_with_ci(c, "ldap://") && len > 7) ||
		      (starts_with_ci(c, "ldaps://") && len > 8) ||
		      starts_with_ci(c, "ldapi://")))
			bad(p, &S_URIS, "contains \"%.*s\", which is not an ldap://, "
			    "ldaps:// or ldapi:// URI; list the directory servers, "
			    "e.g. ldaps://ldap.example.com.", (int)(len > 80 ? 80 : len), c);
		count++;
		c += len;
	}
	if (p->hr == S_OK && count == 0)
		bad(p, &S_URIS, "is empty; set the directory server URI, e.g. "
		    "ldaps://ldap.example.com.");
}

/* Minimal syntax check of an admin-supplied raw filter: one parenthesised
 * expression with balanced parentheses (the server judges the rest). */
static void check_filter(struct parse *p, const struct setting *st, const char *f,
                         const char *where)
{
	int depth = 0;
	size_t len = strlen(f);

	if (len < 3 || f[0] != '(' || f[len - 1] != ')') {
		bad(p, st, "%s\"%.80s\" is not an LDAP filter; write it in "
		    "parentheses, e.g. (objectClass=inetOrgPerson).", where, f);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		if (f[i] == '(')
			depth++;
		else if (f[i] == ')' && --depth < 0)
			break;
		if (depth == 0 && i + 1 < len)
			depth = -1;
		if (depth < 0)
			break;
	}
	if (depth != 0)
		bad(p, st, "%s\"%.80s\" has unbalanced parentheses.", where, f);
}

/* FNV-1a 64 of (lower-cased normalised base DN, filter): the container's
 * stable ID, "c" and 16 hex digits.  Printed as two 32-bit halves: %llx
 * is not portable to msvcrt. */
static void container_id(const char *norm_base, const char *filter, char out[18])
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (const char *c = norm_base ? norm_base : ""; *c; c++) {
		h ^= (uint8_t)tolower((unsigned char)*c);
		h *= 0x100000001b3ull;
	}
	h ^= 0x7c;
	h *= 0x100000001b3ull;
	for (const char *c = filter ? filter : ""; *c; c++) {
		h ^= (uint8_t)*c;
		h *= 0x100000001b3ull;
	}
	snprintf(out, 18, "c%08lx%08lx", (unsigned long)(h >> 32),
	         (unsigned long)(h & 0xffffffffu));
}

/* A DN setting (the base DN, a container's base) must parse as an LDAPv3
 * DN; *norm receives its normalised form (malloc'd) when norm is not NULL. */
static bool check_dn(struct parse *p, const struct setting *st, const char *where,
                     const char *dn, char **norm)
{
	struct lb_error err;
	char *n = NULL;
	lb_err rc;

	lb_error_clear(&err);
	rc = lb_dn_normalize(dn, &n, &err);
	if (rc == LB_E_NOMEM) {
		oom(p);
		return false;
	}
	if (rc != LB_OK) {
		bad(p, st, "%s\"%.80s\" is not a DN; write it like dc=example,dc=com%s.",
		    where, dn, st == &S_BASE ? ", or leave it unset to use the server's "
		    "naming context" : "");
		return false;
	}
	if (norm)
		*norm = n;
	else
		free(n);
	return true;
}

static char *dup_range(const char *s, size_t len)
{
	char *d;

	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (!len)
		return strdup("");
	d = malloc(len + 1);
	if (d) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

/* c->id from the effective base (c's own, else the configured base DN,
 * else "" - the server's naming context) and c's filter: one rule for
 * listed containers and the default one (EK-4). */
static void set_container_id(struct parse *p, const struct abp_config *cfg,
                             struct abp_container_cfg *c, const char *where)
{
	const char *base = c->base_dn ? c->base_dn : cfg->base_dn ? cfg->base_dn : "";
	char idbuf[18], *norm = NULL;

	if (!check_dn(p, c->base_dn ? &S_CONTS : &S_BASE, c->base_dn ? where : "",
	              base, &norm))
		return;
	container_id(norm, c->filter, idbuf);
	free(norm);
	c->id = strdup(idbuf);
	if (!c->id)
		oom(p);
}

static void parse_containers(struct parse *p, struct abp_config *cfg, char **vals, size_t n)
{
	if (n > ABP_CFG_CONTAINERS_MAX) {
		bad(p, &S_CONTS, "lists %lu containers; at most %d are supported.",
		    (unsigned long)n, ABP_CFG_CONTAINERS_MAX);
		return;
	}
	cfg->containers = calloc(n ? n : 1, sizeof(*cfg->containers));
	if (!cfg->containers) {
		oom(p);
		return;
	}
	if (n == 0) {
		/* No list: one container for the whole directory, its ID made
		 * like any other's (base NULL: the directory's base). */
		cfg->n_containers = 1;
		cfg->containers[0].display_name = strdup(cfg->display_name);
		if (!cfg->containers[0].display_name) {
			oom(p);
			return;
		}
		set_container_id(p, cfg, &cfg->containers[0], "");
		return;
	}
	for (size_t i = 0; i < n && p->hr == S_OK; i++) {
		struct abp_container_cfg *c = &cfg->containers[i];
		const char *v = vals[i], *bar1 = strchr(v, '|');
		const char *bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL;
		char where[40];

		snprintf(where, sizeof(where), "value %lu: ", (unsigned long)(i + 1));
		cfg->n_containers = i + 1;
		if (bar2 && strchr(bar2 + 1, '|')) {
			bad(p, &S_CONTS, "value %lu (\"%.80s\") has more than three "
			    "fields; write \"Name|base DN|filter\".", (unsigned long)(i + 1), v);
			break;
		}
		c->display_name = dup_range(v, bar1 ? (size_t)(bar1 - v) : strlen(v));
		if (bar1)
			c->base_dn = dup_range(bar1 + 1, bar2 ? (size_t)(bar2 - bar1 - 1)
			                                     : strlen(bar1 + 1));
		if (bar2)
			c->filter = dup_range(bar2 + 1, strlen(bar2 + 1));
		if (!c->display_name || (bar1 && !c->base_dn) || (bar2 && !c->filter)) {
			oom(p);
			break;
		}
		if (!c->display_name[0]) {
			bad(p, &S_CONTS, "value %lu (\"%.80s\") has no name; write "
			    "\"Name|base DN|filter\".", (unsigned long)(i + 1), v);
			break;
		}
		if (c->base_dn && !c->base_dn[0]) {
			free(c->base_dn);
			c->base_dn = NULL;
		}
		if (c->filter && !c->filter[0]) {
			free(c->filter);
			c->filter = NULL;
		}
		if (c->filter) {
			check_filter(p, &S_CONTS, c->filter, where);
			if (p->hr != S_OK)
				break;
		}
		set_container_id(p, cfg, c, where);
		if (p->hr != S_OK)
			break;
		for (size_t j = 0; j < i; j++) {
			if (strcmp(cfg->containers[j].id, c->id) == 0) {
				bad(p, &S_CONTS, "values %lu and %lu name the same base DN "
				    "and filter; remove one.", (unsigned long)(j + 1),
				    (unsigned long)(i + 1));
				break;
			}
		}
	}
}

static void free_strv(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void abp_config_free(struct abp_config *cfg)
{
	if (!cfg)
		return;
	if (cfg->password) {
		/* The whole buffer: get_string() never moves a password, so it
		 * ends at its NUL. */
		abp_secure_zero(cfg->password, strlen(cfg->password) + 1);
		free(cfg->password);
	}
	free(cfg->uris);
	free(cfg->base_dn);
	free(cfg->bind_dn);
	free(cfg->password_file);
	free(cfg->ca_file);
	free(cfg->ca_dir);
	free(cfg->cert_file);
	free(cfg->key_file);
	free(cfg->person_filter);
	free(cfg->group_filter);
	free(cfg->display_name);
	free_strv(cfg->attr_map, cfg->n_attr_map);
	if (cfg->containers) {
		for (size_t i = 0; i < cfg->n_containers; i++) {
			free(cfg->containers[i].id);
			free(cfg->containers[i].display_name);
			free(cfg->containers[i].base_dn);
			free(cfg->containers[i].filter);
		}
		free(cfg->containers);
	}
	free(cfg);
}

/* A file (or directory) a TLS setting names must be there and readable
 * now: a typo should name the setting, not surface as a TLS failure at the
 * first lookup. */
static void check_readable(struct parse *p, const struct setting *st, const char *path,
                           bool want_dir, const char *what)
{
	struct stat sb;

	if (p->hr != S_OK)
		return;
	if (stat(path, &sb) != 0) {
		bad(p, st, "names \"%.200s\", which does not exist; give the full path "
		    "of the %s.", path, what);
		return;
	}
	if (want_dir ? !S_ISDIR(sb.st_mode) : S_ISDIR(sb.st_mode)) {
		bad(p, st, "names \"%.200s\", which is %s; name the %s%s.", path,
		    want_dir ? "not a directory" : "a directory", what,
		    st == &S_CAFILE ? " (use PR_LDAPAB_TLS_CACERT_DIR for a directory)"
		    : st == &S_CADIR ? " (use PR_LDAPAB_TLS_CACERT_FILE for one file)" : "");
		return;
	}
	if (access(path, want_dir ? (R_OK | X_OK) : R_OK) != 0)
		bad(p, st, "names \"%.200s\", which this account cannot read; fix its "
		    "permissions.", path);
}

/* Every attribute-map override is checked now, as the directory objects
 * will read it (LC-15): a typo otherwise passes Logon and then fails every
 * OpenEntry.  "PR_X=" (nothing after '=') unmaps the property (README). */
static void check_attr_map(struct parse *p, char **map, size_t n)
{
	if (n > ABP_ATTRMAP_MAX_ITEMS) {
		bad(p, &S_ATTRMAP, "has %lu values; at most %d overrides are supported.",
		    (unsigned long)n, ABP_ATTRMAP_MAX_ITEMS);
		return;
	}
	for (size_t i = 0; i < n && p->hr == S_OK; i++) {
		char err[ABP_MSG_MAX / 2];
		char *attr = NULL;
		ULONG tag = 0;
		HRESULT hr;

		err[0] = '\0';
		hr = abp_attrmap_parse_override(map[i], &tag, &attr, err, sizeof(err));
		free(attr);
		if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
			oom(p);
		else if (FAILED(hr))
			bad(p, &S_ATTRMAP, "value %lu (\"%.80s\") is not \"mapi-name=ldap-attr\": "
			    "%s.", (unsigned long)(i + 1), map[i], err[0] ? err : "rejected");
	}
}

void abp_log_stderr(void *ctx, enum lb_log_level level, const char *msg)
{
	static const char *const names[] = { "debug", "info", "warning", "error" };
	char line[ABP_MSG_MAX + 32];
	const char *dbg;
	size_t off;
	int len;

	(void)ctx;
	if (level < LB_LOG_WARNING) {
		dbg = getenv("LDAPAB_DEBUG");
		if (!dbg || !dbg[0])
			return;
	}
	len = snprintf(line, sizeof(line) - 1, "ldapab: %s: ",
	               (unsigned)level <= LB_LOG_ERROR ? names[level] : "log");
	if (len < 0)
		return;
	off = (size_t)len;
	/* One message, one line: a newline inside it would forge a second. */
	for (const char *c = msg ? msg : ""; *c && off < sizeof(line) - 2; c++)
		line[off++] = ((unsigned char)*c < 0x20 || *c == 0x7F) ? ' ' : *c;
	line[off++] = '\n';
	line[off] = '\0';
	/* One write, so lines of threads logging at once do not interleave. */
	(void)fputs(line, stderr);      /* nowhere to report a failed log */
}

/* ldapbridge's log callback: to the configuration's current sink. */
static void config_log(void *ctx, enum lb_log_level level, const char *msg)
{
	const struct abp_config *cfg = ctx;

	if (cfg->log)
		cfg->log(cfg->log_ctx, level, msg);
}

HRESULT abp_config_from_props(ULONG n, const SPropValue *props, struct abp_config **out,
                              char *msg, size_t msglen)
{
	struct parse p = { n, props, msg, msglen, S_OK };
	struct abp_config *cfg = NULL;
	char **conts = NULL;
	size_t n_conts = 0;
	int method, tls, reqcert;
	HRESULT hr;

	if (!out || !msg || msglen == 0 || (n && !props))
		return MAPI_E_INVALID_PARAMETER;
	*out = NULL;
	msg[0] = '\0';
	cfg = calloc(1, sizeof(*cfg));
	if (!cfg) {
		hr = MAPI_E_NOT_ENOUGH_MEMORY;
		goto done;
	}
	lb_config_init(&cfg->lb);

	/* Where the directory is. */
	get_string(&p, &S_URIS, TRIM, &cfg->uris);
	if (p.hr == S_OK && !cfg->uris)
		bad(&p, &S_URIS, "is missing; set the directory server URI, e.g. "
		    "ldaps://ldap.example.com.");
	if (p.hr == S_OK)
		check_uris(&p, cfg->uris);
	get_string(&p, &S_BASE, TRIM, &cfg->base_dn);
	if (p.hr == S_OK && cfg->base_dn)
		(void)check_dn(&p, &S_BASE, "", cfg->base_dn, NULL);

	/* How to authenticate. */
	get_string(&p, &S_BINDDN, TRIM, &cfg->bind_dn);
	get_string(&p, &S_PWFILE, KEEP, &cfg->password_file);
	get_string(&p, &S_PASSWORD, KEEP, &cfg->password);
#ifdef _WIN32
	/* ServiceEntry stores the password sealed with DPAPI (secret.h). */
	if (p.hr == S_OK && abp_secret_is_sealed(cfg->password)) {
		char *clear = abp_secret_open(cfg->password);

		abp_secure_zero(cfg->password, strlen(cfg->password));
		free(cfg->password);
		cfg->password = clear;
		if (clear == NULL)
			bad(&p, &S_PASSWORD, "is sealed with DPAPI for another Windows user or "
			    "machine, or damaged; configure the password again (ServiceEntry).");
	}
#endif
	method = get_long(&p, &S_METHOD, LDAPAB_BIND_ANONYMOUS, LDAPAB_BIND_SASL_GSSAPI,
	                  cfg->bind_dn ? LDAPAB_BIND_SIMPLE : LDAPAB_BIND_ANONYMOUS,
	                  "the bind method (0 anonymous, 1 simple, 2 SASL EXTERNAL, 3 SASL GSSAPI)");
	cfg->lb.allow_insecure_password = get_bool(&p, &S_INSECURE);
	if (p.hr == S_OK && method == LDAPAB_BIND_ANONYMOUS &&
	    (cfg->bind_dn || cfg->password || cfg->password_file)) {
		/* Credentials that would be silently ignored: say which wins. */
		if (cfg->bind_dn)
			bad(&p, &S_METHOD, "is 0 (anonymous) but PR_LDAPAB_BIND_DN is set; "
			    "set the method to 1 (simple) to bind as %.200s, or remove the DN "
			    "and any password to bind anonymously.", cfg->bind_dn);
		else
			bad(&p, cfg->password ? &S_PASSWORD : &S_PWFILE,
			    "is set but the bind is anonymous (no PR_LDAPAB_BIND_DN); set "
			    "PR_LDAPAB_BIND_DN and PR_LDAPAB_BIND_METHOD 1 (simple), or remove "
			    "the password.");
	}
	if (p.hr == S_OK &&
	    (method == LDAPAB_BIND_SASL_EXTERNAL || method == LDAPAB_BIND_SASL_GSSAPI) &&
	    (cfg->bind_dn || cfg->password || cfg->password_file)) {
		/* SASL EXTERNAL / GSSAPI take the identity from the client
		 * certificate or the Kerberos ticket: a DN or password here would
		 * be silently ignored, so the profile is ambiguous (as above). */
		const char *sasl = method == LDAPAB_BIND_SASL_EXTERNAL ? "2 (SASL EXTERNAL)"
		                                                       : "3 (SASL GSSAPI)";

		if (cfg->bind_dn)
			bad(&p, &S_METHOD, "is %s but PR_LDAPAB_BIND_DN is set; SASL takes "
			    "the identity from the %s and ignores the DN: remove "
			    "PR_LDAPAB_BIND_DN (and any password), or set the method to 1 "
			    "(simple) to bind as %.200s.", sasl,
			    method == LDAPAB_BIND_SASL_EXTERNAL ? "client certificate"
			                                        : "Kerberos ticket",
			    cfg->bind_dn);
		else
			bad(&p, &S_METHOD, "is %s but %s is set; SASL does not use a "
			    "password: remove it, or set PR_LDAPAB_BIND_DN and the method 1 "
			    "(simple).", sasl,
			    cfg->password ? "PR_LDAPAB_BIND_PASSWORD" : "PR_LDAPAB_PASSWORD_FILE");
	}
	if (p.hr == S_OK && method == LDAPAB_BIND_SIMPLE) {
		if (!cfg->bind_dn)
			bad(&p, &S_BINDDN, "is missing but PR_LDAPAB_BIND_METHOD is simple; "
			    "set the DN to bind as, e.g. cn=reader,dc=example,dc=com.");
		else if (!cfg->password && !cfg->password_file)
			bad(&p, &S_PASSWORD, "is missing for the simple bind as %.200s; "
			    "store the password in this secure property or name a file "
			    "holding it in PR_LDAPAB_PASSWORD_FILE.", cfg->bind_dn);
		else if (cfg->password && cfg->password_file)
			bad(&p, &S_PWFILE, "is set together with PR_LDAPAB_BIND_PASSWORD; "
			    "keep only one of them.");
	}

	/* Transport security. */
	tls = get_long(&p, &S_TLSMODE, LDAPAB_TLS_NONE, LDAPAB_TLS_STARTTLS, LDAPAB_TLS_NONE,
	               "the TLS mode (0 none/ldaps, 1 StartTLS)");
	reqcert = get_long(&p, &S_REQCERT, LDAPAB_REQCERT_DEMAND, LDAPAB_REQCERT_NEVER,
	                   LDAPAB_REQCERT_DEMAND,
	                   "certificate checking (0 demand, 1 allow, 2 never)");
	get_string(&p, &S_CAFILE, KEEP, &cfg->ca_file);
	get_string(&p, &S_CADIR, KEEP, &cfg->ca_dir);
	get_string(&p, &S_CERT, KEEP, &cfg->cert_file);
	get_string(&p, &S_KEY, KEEP, &cfg->key_file);
	if (p.hr == S_OK && !!cfg->cert_file != !!cfg->key_file)
		bad(&p, cfg->cert_file ? &S_KEY : &S_CERT,
		    "is missing; a client certificate needs both "
		    "PR_LDAPAB_TLS_CERT_FILE and PR_LDAPAB_TLS_KEY_FILE.");
	if (cfg->ca_file)
		check_readable(&p, &S_CAFILE, cfg->ca_file, false,
		               "PEM file of the CA certificate(s)");
	if (cfg->ca_dir)
		check_readable(&p, &S_CADIR, cfg->ca_dir, true, "directory of CA certificates");
	/* The client certificate and key too (a typo names the setting now,
	 * not as a TLS failure at the first lookup). */
	if (cfg->cert_file)
		check_readable(&p, &S_CERT, cfg->cert_file, false,
		               "PEM file of the client certificate");
	if (cfg->key_file)
		check_readable(&p, &S_KEY, cfg->key_file, false,
		               "PEM file of the client certificate's private key");

	/* Limits. */
	cfg->lb.connect_timeout_ms = 1000 * get_long(&p, &S_CTO, 1, ABP_CFG_TIMEOUT_MAX,
	                                             DEFAULT_CONNECT_S, "the connect timeout in seconds");
	cfg->lb.op_timeout_ms = 1000 * get_long(&p, &S_OTO, 1, ABP_CFG_TIMEOUT_MAX,
	                                        DEFAULT_OP_S, "the operation timeout in seconds");
	cfg->lb.time_limit_s = get_long(&p, &S_TLIM, 0, ABP_CFG_TIMEOUT_MAX, DEFAULT_TIMELIMIT_S,
	                                "the search time limit in seconds (0: none)");
	cfg->lb.size_limit = get_long(&p, &S_SLIM, 0, ABP_CFG_SIZELIMIT_MAX, DEFAULT_SIZE_LIMIT,
	                              "the maximum number of entries (0: none)");
	cfg->lb.page_size = get_long(&p, &S_PAGE, 0, ABP_CFG_PAGESIZE_MAX, DEFAULT_PAGE_SIZE,
	                             "the page size (0: no paging)");
	cfg->lb.backoff_s = get_long(&p, &S_BACKOFF, 1, ABP_CFG_BACKOFF_MAX, DEFAULT_BACKOFF_S,
	                             "how long a failed server is skipped, in seconds");

	/* What the address book shows. */
	cfg->browse_mode = get_long(&p, &S_BROWSE, LDAPAB_BROWSE_SEARCH_ONLY, LDAPAB_BROWSE_VLV,
	                            LDAPAB_BROWSE_SEARCH_ONLY,
	                            "the browse mode (0 search only, 1 VLV)");
	cfg->schema = get_long(&p, &S_SCHEMA, LDAPAB_SCHEMA_AUTO, LDAPAB_SCHEMA_ACTIVE_DIRECTORY,
	                       LDAPAB_SCHEMA_AUTO,
	                       "the schema (0 auto, 1 inetOrgPerson, 2 Active Directory)");
	get_string(&p, &S_PFILTER, TRIM, &cfg->person_filter);
	if (p.hr == S_OK && cfg->person_filter)
		check_filter(&p, &S_PFILTER, cfg->person_filter, "");
	get_string(&p, &S_GFILTER, TRIM, &cfg->group_filter);
	if (p.hr == S_OK && cfg->group_filter)
		check_filter(&p, &S_GFILTER, cfg->group_filter, "");
	get_mv_string(&p, &S_ATTRMAP, &cfg->attr_map, &cfg->n_attr_map);
	if (p.hr == S_OK)
		check_attr_map(&p, cfg->attr_map, cfg->n_attr_map);
	get_string(&p, &S_DISPLAY, TRIM, &cfg->display_name);
	if (p.hr == S_OK && !cfg->display_name) {
		cfg->display_name = strdup(DEFAULT_DISPLAY_NAME);
		if (!cfg->display_name)
			oom(&p);
	}
	get_mv_string(&p, &S_CONTS, &conts, &n_conts);
	if (p.hr == S_OK)
		parse_containers(&p, cfg, conts, n_conts);

	hr = p.hr;
	if (FAILED(hr))
		goto done;

	/* ldapbridge's warnings reach the provider's sink (TLS
	 * checking "allow"/"never" is logged as a warning). */
	cfg->log = abp_log_stderr;
	cfg->log_ctx = NULL;
	cfg->lb.log = config_log;
	cfg->lb.log_ctx = cfg;
	/* Hand ldapbridge views of the strings this configuration owns. */
	cfg->lb.uris = cfg->uris;
	cfg->lb.base = cfg->base_dn;
	cfg->lb.tls_mode = tls == LDAPAB_TLS_STARTTLS ? LB_TLS_STARTTLS : LB_TLS_NONE;
	cfg->lb.tls_ca_file = cfg->ca_file;
	cfg->lb.tls_ca_dir = cfg->ca_dir;
	cfg->lb.tls_cert_file = cfg->cert_file;
	cfg->lb.tls_key_file = cfg->key_file;
	cfg->lb.tls_reqcert = reqcert == LDAPAB_REQCERT_NEVER ? LB_REQCERT_NEVER
	                    : reqcert == LDAPAB_REQCERT_ALLOW ? LB_REQCERT_ALLOW
	                    : LB_REQCERT_DEMAND;
	cfg->lb.bind_method = method == LDAPAB_BIND_SIMPLE ? LB_BIND_SIMPLE
	                    : method == LDAPAB_BIND_SASL_EXTERNAL ? LB_BIND_SASL_EXTERNAL
	                    : method == LDAPAB_BIND_SASL_GSSAPI ? LB_BIND_SASL_GSSAPI
	                    : LB_BIND_ANONYMOUS;
	if (cfg->lb.bind_method == LB_BIND_SIMPLE) {
		cfg->lb.bind_dn = cfg->bind_dn;
		cfg->lb.password = cfg->password;
		cfg->lb.password_file = cfg->password_file;
	}
	*out = cfg;
	cfg = NULL;
done:
	free_strv(conts, n_conts);
	abp_config_free(cfg);
	return hr;
}

/* Wipe the password value GetProps returned before the block is freed. */
static void wipe_password(ULONG n, LPSPropValue props)
{
	for (ULONG i = 0; props && i < n; i++) {
		if (PROP_ID(props[i].ulPropTag) != PROP_ID(PR_LDAPAB_BIND_PASSWORD_W))
			continue;
		if (PROP_TYPE(props[i].ulPropTag) == PT_UNICODE && props[i].Value.lpszW) {
			const WCHAR *w = props[i].Value.lpszW;
			size_t len = 0;

			while (w[len])
				len++;
			abp_secure_zero(props[i].Value.lpszW, len * sizeof(WCHAR));
		} else if (PROP_TYPE(props[i].ulPropTag) == PT_STRING8 && props[i].Value.lpszA) {
			abp_secure_zero(props[i].Value.lpszA, strlen(props[i].Value.lpszA));
		}
	}
}

static const SPropValue *find_prop(ULONG n, const SPropValue *props, ULONG tag)
{
	for (ULONG i = 0; props && i < n; i++)
		if (props[i].ulPropTag == tag)
			return &props[i];
	return NULL;
}

/* *uid from a PR_LDAPAB_INSTANCE_UID value; MAPI_E_UNCONFIGURED when it is
 * not 16 bytes (a damaged profile). */
static HRESULT uid_from_prop(const SPropValue *uidv, MAPIUID *uid, char *msg, size_t msglen)
{
	if (uidv->Value.bin.cb != sizeof(MAPIUID) || !uidv->Value.bin.lpb) {
		snprintf(msg, msglen, "ldapab is not configured: PR_LDAPAB_INSTANCE_UID "
		         "(0x%08X) holds %u bytes instead of 16; the profile entry is "
		         "damaged, remove and re-add the address book.",
		         (unsigned)PR_LDAPAB_INSTANCE_UID, (unsigned)uidv->Value.bin.cb);
		return MAPI_E_UNCONFIGURED;
	}
	memcpy(uid->ab, uidv->Value.bin.lpb, sizeof(uid->ab));
	return S_OK;
}

/* True when props hold PR_AB_PROVIDER_ID with our published GUID. */
static bool has_provider_id(ULONG n, const SPropValue *props)
{
	static const BYTE want[16] = LDAPAB_AB_PROVIDER_ID_BYTES;
	const SPropValue *v = find_prop(n, props, PR_AB_PROVIDER_ID);

	return v && v->Value.bin.cb == sizeof(want) && v->Value.bin.lpb &&
	       memcmp(v->Value.bin.lpb, want, sizeof(want)) == 0;
}

/*
 * The first Logon of an instance makes its UID (LC-14); any Logon that
 * finds PR_AB_PROVIDER_ID missing (profiles made before it was written, or
 * damaged) stores it (CF-7).  Concurrent first Logons must agree on one
 * UID: the caller serialises them with uid_lock, and both values are read
 * again once the section is open for writing, so a Logon that lost the race
 * takes the winner's UID instead of storing its own (two UIDs would make
 * one of them foreign forever, LC-10), and writes only what is still
 * missing.
 */
static HRESULT store_missing_ids(LPMAPISUP sup, LPFREEBUFFER fb, MAPIUID *uid,
                                 char *msg, size_t msglen)
{
	SizedSPropTagArray(2, id_tags) = { 2, { PR_LDAPAB_INSTANCE_UID, PR_AB_PROVIDER_ID } };
	LPPROFSECT sect = NULL;
	LPSPropValue v = NULL;
	ULONG n = 0, nn = 0;
	const SPropValue *uidv;
	SPropValue nv[2];
	BYTE provider_id[16] = LDAPAB_AB_PROVIDER_ID_BYTES;
	const char *what = "instance UID (PR_LDAPAB_INSTANCE_UID)";
	HRESULT hr;

	hr = IMAPISupport_OpenProfileSection(sup, NULL, MAPI_MODIFY, &sect);
	if (FAILED(hr))
		goto failed;
	hr = IProfSect_GetProps(sect, (LPSPropTagArray)&id_tags, 0, &n, &v);
	if (FAILED(hr))
		goto failed;
	memset(nv, 0, sizeof(nv));
	uidv = find_prop(n, v, PR_LDAPAB_INSTANCE_UID);
	if (uidv) {
		hr = uid_from_prop(uidv, uid, msg, msglen);     /* stored meanwhile */
		if (FAILED(hr))
			goto done;
	} else {
		hr = IMAPISupport_NewUID(sup, uid);
		if (FAILED(hr))
			goto failed;
		nv[nn].ulPropTag = PR_LDAPAB_INSTANCE_UID;
		nv[nn].Value.bin.cb = sizeof(*uid);
		nv[nn++].Value.bin.lpb = uid->ab;
	}
	/* CF-7: the published provider GUID is kept beside the instance UID. */
	if (!has_provider_id(n, v)) {
		nv[nn].ulPropTag = PR_AB_PROVIDER_ID;
		nv[nn].Value.bin.cb = sizeof(provider_id);
		nv[nn++].Value.bin.lpb = provider_id;
		if (nn == 1)
			what = "provider ID (PR_AB_PROVIDER_ID)";
	}
	if (nn > 0) {
		hr = IProfSect_SetProps(sect, nn, nv, NULL);
		if (FAILED(hr))
			goto failed;
	}
	hr = S_OK;
	goto done;
failed:
	snprintf(msg, msglen, "ldapab could not store its %s in the profile "
	         "(error 0x%08X).", what, (unsigned)hr);
done:
	if (v)
		fb(v);
	if (sect)
		IProfSect_Release(sect);
	return hr;
}

/*
 * Read our profile section (LC-13): the settings and this instance's UID.
 * When the UID or PR_AB_PROVIDER_ID is missing, the missing ones are stored
 * (the UID made once with NewUID), which is the only reason to open the
 * section with MAPI_MODIFY (LC-14, CF-7); a profile holding both is opened
 * read-only only.
 */
HRESULT abp_config_read_profile(LPMAPISUP sup, LPFREEBUFFER fb, bool make_uid,
                                plat_mutex *uid_lock,
                                struct abp_config **cfg_out, MAPIUID *uid_out,
                                char *msg, size_t msglen)
{
	LPPROFSECT sect = NULL;
	LPSPropValue props = NULL;
	ULONG n = 0;
	const SPropValue *uidv;
	MAPIUID uid;
	HRESULT hr;

	if (!sup || !fb || !cfg_out || !msg || msglen == 0)
		return MAPI_E_INVALID_PARAMETER;
	*cfg_out = NULL;
	msg[0] = '\0';
	hr = IMAPISupport_OpenProfileSection(sup, NULL, 0, &sect);
	if (FAILED(hr)) {
		snprintf(msg, msglen, "ldapab could not open its profile section "
		         "(error 0x%08X).", (unsigned)hr);
		goto done;
	}
	hr = IProfSect_GetProps(sect, (LPSPropTagArray)abp_config_tags(), MAPI_UNICODE,
	                        &n, &props);
	if (FAILED(hr)) {
		snprintf(msg, msglen, "ldapab could not read its profile section "
		         "(error 0x%08X).", (unsigned)hr);
		goto done;
	}
	hr = abp_config_from_props(n, props, cfg_out, msg, msglen);
	if (FAILED(hr))
		goto done;

	uidv = find_prop(n, props, PR_LDAPAB_INSTANCE_UID);
	if (uidv) {
		hr = uid_from_prop(uidv, &uid, msg, msglen);
		if (FAILED(hr))
			goto done;
		if (uid_out)
			*uid_out = uid;
	}
	if (make_uid && (!uidv || !has_provider_id(n, props))) {
		/* The read-only section first goes (LC-13: one open at a time). */
		IProfSect_Release(sect);
		sect = NULL;
		if (uid_lock)
			plat_mutex_lock(uid_lock);
		hr = store_missing_ids(sup, fb, &uid, msg, msglen);
		if (uid_lock)
			plat_mutex_unlock(uid_lock);
		if (FAILED(hr))
			goto done;
		if (uid_out)
			*uid_out = uid;
	}
	hr = S_OK;
done:
	if (FAILED(hr)) {
		abp_config_free(*cfg_out);
		*cfg_out = NULL;
	}
	if (props) {
		wipe_password(n, props);
		fb(props);
	}
	/* Released before returning, success or not (LC-13). */
	if (sect)
		IProfSect_Release(sect);
	return hr;
}
