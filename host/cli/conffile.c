/*
 * conffile.c - finding and reading ldapab.conf (INI, split into entries by
 * inifile.c) and the ldap.conf(5) defaults.  Every problem is reported as
 * "file:line: key: what to do", once, and mapped to a sysexits-style code.
 *
 * Decisions: comments only at the start of a line (a ';' inside a filter or
 * password is data), no continuation lines (line numbers stay exact), '=' the
 * only separator (a ':' belongs to the key or value), a key given twice is an
 * error (which one was meant?), unknown sections and keys, and keys before the
 * first section, are errors (a typo must not be silently ignored).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "osdep.h"
#include "inifile.h"

struct keydef {
	const char *section;
	const char *key;
	const char *prop;       /* the profile property it becomes */
};

static const struct keydef keys[K_COUNT] = {
	[K_URI] = { "directory", "uri", "PR_LDAPAB_SERVER_URIS" },
	[K_BASE] = { "directory", "base", "PR_LDAPAB_BASE_DN" },
	[K_NAME] = { "directory", "name", "PR_DISPLAY_NAME" },
	[K_BIND_METHOD] = { "bind", "method", "PR_LDAPAB_BIND_METHOD" },
	[K_BIND_DN] = { "bind", "dn", "PR_LDAPAB_BIND_DN" },
	[K_PASSWORD] = { "bind", "password", "PR_LDAPAB_BIND_PASSWORD" },
	[K_PASSWORD_FILE] = { "bind", "password_file", "PR_LDAPAB_PASSWORD_FILE" },
	[K_ALLOW_INSECURE] = { "bind", "allow_insecure", "PR_LDAPAB_ALLOW_INSECURE_BIND" },
	[K_TLS_MODE] = { "tls", "mode", "PR_LDAPAB_TLS_MODE" },
	[K_CA_FILE] = { "tls", "ca_file", "PR_LDAPAB_TLS_CACERT_FILE" },
	[K_CA_DIR] = { "tls", "ca_dir", "PR_LDAPAB_TLS_CACERT_DIR" },
	[K_REQCERT] = { "tls", "reqcert", "PR_LDAPAB_TLS_REQCERT" },
	[K_CERT_FILE] = { "tls", "cert_file", "PR_LDAPAB_TLS_CERT_FILE" },
	[K_KEY_FILE] = { "tls", "key_file", "PR_LDAPAB_TLS_KEY_FILE" },
	[K_CONNECT_TIMEOUT] = { "limits", "connect_timeout", "PR_LDAPAB_CONNECT_TIMEOUT" },
	[K_OP_TIMEOUT] = { "limits", "op_timeout", "PR_LDAPAB_OP_TIMEOUT" },
	[K_TIME_LIMIT] = { "limits", "time_limit", "PR_LDAPAB_SEARCH_TIMELIMIT" },
	[K_SIZE_LIMIT] = { "limits", "size_limit", "PR_LDAPAB_SIZE_LIMIT" },
	[K_PAGE_SIZE] = { "limits", "page_size", "PR_LDAPAB_PAGE_SIZE" },
	[K_BACKOFF] = { "limits", "failover_backoff", "PR_LDAPAB_FAILOVER_BACKOFF" },
	[K_BROWSE] = { "directory", "browse", "PR_LDAPAB_BROWSE_MODE" },
	[K_PERSON_FILTER] = { "directory", "person_filter", "PR_LDAPAB_PERSON_FILTER" },
	[K_GROUP_FILTER] = { "directory", "group_filter", "PR_LDAPAB_GROUP_FILTER" },
	[K_SCHEMA] = { "directory", "schema", "PR_LDAPAB_SCHEMA" },
	[K_MODULE] = { "command", "module", NULL },
};

const char *cli_key_name(enum cli_key k)
{
	static char names[K_COUNT][48];

	if (!names[k][0])
		snprintf(names[k], sizeof(names[k]), "%s.%s", keys[k].section, keys[k].key);
	return names[k];
}

const char *cli_key_prop(enum cli_key k)
{
	return keys[k].prop;
}

struct parse_state {
	struct cli_conf *c;
	int line;
	int rc;                 /* first error's exit code, 0 while fine */
};

/* Prints the one message of the first problem; false, for the entry callback. */
static bool fail_at(struct parse_state *ps, int rc, const char *key, const char *fmt, ...)
	CLI_PRINTF(4, 5);

static bool fail_at(struct parse_state *ps, int rc, const char *key, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (ps->rc)
		return false;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cli_errorf("%s:%d: %s%s%s", ps->c->path, ps->line, key ? key : "", key ? ": " : "", msg);
	ps->rc = rc;
	return false;
}

/* Adds "name<sep>value", the profile's form of an [attributes] or [containers] line,
 * whatever its length. */
static int multi_add(struct cli_multi **v, size_t *n, const char *name, char sep,
                     const char *value, int line)
{
	struct cli_multi *nv = realloc(*v, (*n + 1) * sizeof(**v));
	size_t ln = strlen(name), lv = strlen(value);
	char *s;

	if (!nv)
		return -1;
	*v = nv;
	s = malloc(ln + 1 + lv + 1);
	if (!s)
		return -1;
	memcpy(s, name, ln);
	s[ln] = sep;
	memcpy(s + ln + 1, value, lv + 1);
	nv[*n].value = s;
	nv[*n].line = line;
	(*n)++;
	return 0;
}

/* One "key = value" of the file; false (after the one message) stops the read. */
static bool on_entry(void *user, int line, const char *section, const char *name,
                     const char *value)
{
	struct parse_state *ps = user;
	struct cli_conf *c = ps->c;
	char full[160];

	ps->line = line;
	if (!section[0])
		return fail_at(ps, EXIT_CONFIG, name, "comes before any [section] header; put it "
		               "under its section (see ldapab.conf(5))");
	snprintf(full, sizeof(full), "%s.%s", section, name);
	if (strcasecmp(section, "attributes") == 0) {
		if (multi_add(&c->attrmap, &c->n_attrmap, name, '=', value, ps->line))
			return fail_at(ps, EXIT_SOFTWARE, NULL, "out of memory");
		return true;
	}
	if (strcasecmp(section, "containers") == 0) {
		if (strchr(name, '|'))
			return fail_at(ps, EXIT_CONFIG, full, "a container name cannot contain '|'");
		if (multi_add(&c->containers, &c->n_containers, name, '|', value, ps->line))
			return fail_at(ps, EXIT_SOFTWARE, NULL, "out of memory");
		return true;
	}
	for (int k = 0; k < K_COUNT; k++) {
		struct cli_setting *s = &c->set[k];

		if (strcasecmp(section, keys[k].section) || strcasecmp(name, keys[k].key))
			continue;
		if (s->value)
			return fail_at(ps, EXIT_CONFIG, full, "set twice (first on line %d); "
			               "keep one", s->line);
		s->value = strdup(value);
		s->file = c->path;
		s->line = ps->line;
		if (!s->value)
			return fail_at(ps, EXIT_SOFTWARE, NULL, "out of memory");
		return true;
	}
	for (int k = 0; k < K_COUNT; k++)
		if (strcasecmp(section, keys[k].section) == 0)
			return fail_at(ps, EXIT_CONFIG, full, "unknown key in [%s]; see "
			               "ldapab.conf(5)", section);
	return fail_at(ps, EXIT_CONFIG, full, "unknown section [%s]; the sections are "
	               "[directory], [bind], [tls], [limits], [attributes], [containers], "
	               "[command]", section);
}

static int parse_file(struct cli_conf *c)
{
	struct parse_state ps = { c, 0, 0 };
	struct ini_error err;
	enum ini_result r;
	struct osdep_fileinfo fi;
	FILE *f;

	osdep_file_info(c->path, &fi);
	if (fi.kind == OSDEP_DIR) {
		cli_errorf("%s: is a directory; name the configuration file", c->path);
		return EXIT_NOINPUT;
	}
	f = osdep_fopen(c->path, "rb");       /* inifile.c takes CRLF; no text-mode Ctrl-Z end */
	if (!f) {
		cli_errorf("%s: cannot read the configuration file: %s", c->path, strerror(errno));
		return errno == ENOENT ? EXIT_NOINPUT : EXIT_NOPERM;
	}
	r = ini_read(f, on_entry, &ps, &err);
	fclose(f);
	switch (r) {
	case INI_DONE:
		return 0;
	case INI_REFUSED:
		return ps.rc;
	case INI_BAD_LINE:
		ps.line = err.line;
		fail_at(&ps, EXIT_CONFIG, NULL, "%s", err.reason);
		return ps.rc;
	case INI_READ_ERROR:
		break;
	}
	cli_errorf("%s:%d: %s: %s", c->path, err.line, err.reason,
	           err.errnum ? strerror(err.errnum) : "read error");
	return EXIT_NOINPUT;
}

/* ldap.conf(5): URI, BASE and TLS_CACERT for what the file left unset. */
static int ldapconf_defaults(struct cli_conf *c)
{
	static const struct { const char *name; enum cli_key k; } map[] = {
		{ "URI", K_URI }, { "BASE", K_BASE }, { "TLS_CACERT", K_CA_FILE },
	};
	const char *path = getenv("LDAPCONF");
	char line[4096];
	int lineno = 0;
	FILE *f;

	if (getenv("LDAPNOINIT"))
		return 0;
	if (!path || !*path)
		path = osdep_ldap_conf();
	f = path ? osdep_fopen(path, "r") : NULL;
	if (!f)
		return 0;
	c->ldapconf_path = strdup(path);
	if (!c->ldapconf_path) {
		fclose(f);
		return EXIT_SOFTWARE;
	}
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *v;

		lineno++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '#' || *p == '\n' || !*p)
			continue;
		v = p + strcspn(p, " \t\n");
		if (!*v || *v == '\n')
			continue;
		*v++ = '\0';
		while (*v == ' ' || *v == '\t')
			v++;
		v[strcspn(v, "\n")] = '\0';
		for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
			struct cli_setting *s = &c->set[map[i].k];

			if (strcasecmp(p, map[i].name) || s->value || !*v)
				continue;
			s->value = strdup(v);
			s->file = c->ldapconf_path;
			s->line = lineno;
			if (!s->value) {
				fclose(f);
				return EXIT_SOFTWARE;
			}
		}
	}
	fclose(f);
	return 0;
}

static bool exists(const char *p)
{
	struct osdep_fileinfo fi;

	if (!p || !*p)
		return false;
	osdep_file_info(p, &fi);
	return fi.kind != OSDEP_MISSING;
}

static void where(const struct cli_setting *s, char *buf, size_t len)
{
	if (s->file && s->line)
		snprintf(buf, len, "%s:%d: ", s->file, s->line);
	else
		buf[0] = '\0';
}

/* Passwords: a password file readable by others is refused, and so is a
 * password written into a configuration file others can read.  On Windows
 * the permission bits say nothing (the files' ACLs decide, and a file under
 * %APPDATA% is the user's own): only the kind and readability are checked. */
static int check_secrets(struct cli_conf *c)
{
	struct cli_setting *pf = &c->set[K_PASSWORD_FILE], *pw = &c->set[K_PASSWORD];
	struct osdep_fileinfo fi;
	char at[600];
	int e;

	if (pf->value) {
		where(pf, at, sizeof(at));
		osdep_file_info(pf->value, &fi);
		if (fi.kind == OSDEP_MISSING) {
			cli_errorf("%sbind.password_file: %s: %s", at, pf->value, strerror(fi.err));
			return fi.err == ENOENT ? EXIT_NOINPUT : EXIT_NOPERM;
		}
		if (fi.kind != OSDEP_FILE) {
			cli_errorf("%sbind.password_file: %s is not a regular file", at, pf->value);
			return EXIT_CONFIG;
		}
		if (fi.others_may_read) {
			cli_errorf("%sbind.password_file: %s can be read by other users (mode %04o); "
			           "run chmod 600 %s", at, pf->value, fi.mode, pf->value);
			return EXIT_NOPERM;
		}
		e = osdep_readable(pf->value);
		if (e) {
			cli_errorf("%sbind.password_file: %s cannot be read: %s", at, pf->value,
			           strerror(e));
			return EXIT_NOPERM;
		}
	}
	if (pw->value && c->path) {
		osdep_file_info(c->path, &fi);
		if (fi.kind != OSDEP_MISSING && fi.others_may_read) {
			where(pw, at, sizeof(at));
			cli_errorf("%sbind.password: %s holds a password but can be read by other "
			           "users (mode %04o); run chmod 600 %s, or move the password to a "
			           "file named by bind.password_file", at, c->path, fi.mode, c->path);
			return EXIT_NOPERM;
		}
	}
	return 0;
}

int cli_conf_load(const char *explicit_path, struct cli_conf *c)
{
	const char *env = getenv("LDAPAB_CONFIG");
	const char *sys = getenv("LDAPAB_SYSTEM_CONFIG");
	char xdg[4096];
	int rc;

	memset(c, 0, sizeof(*c));
	osdep_user_config(xdg, sizeof(xdg));
	if (!sys || !*sys)
		sys = osdep_system_config();

	/* The first that applies wins; files are not merged. */
	if (explicit_path)
		c->path = strdup(explicit_path);
	else if (env && *env)
		c->path = strdup(env);
	else if (exists(xdg))
		c->path = strdup(xdg);
	else if (exists(sys))
		c->path = strdup(sys);
	if (explicit_path || (env && *env)) {
		if (!c->path)
			return EXIT_SOFTWARE;
	}
	if (c->path) {
		rc = parse_file(c);
		if (rc)
			return rc;
	}
	rc = ldapconf_defaults(c);
	if (rc)
		return rc;
	if (!c->set[K_URI].value) {
		cli_errorf("no directory configured: write uri = ldaps://... under [directory] in "
		           "%s (see ldapab.conf(5)), or URI in ldap.conf", xdg[0] ? xdg
		           : "~/.config/ldapab/ldapab.conf");
		return EXIT_CONFIG;
	}
	return check_secrets(c);
}

void cli_conf_free(struct cli_conf *c)
{
	for (int k = 0; k < K_COUNT; k++) {
		if (c->set[k].value && k == K_PASSWORD) {
			volatile char *p = c->set[k].value;

			while (*p)
				*p++ = '\0';
		}
		free(c->set[k].value);
	}
	for (size_t i = 0; i < c->n_attrmap; i++)
		free(c->attrmap[i].value);
	for (size_t i = 0; i < c->n_containers; i++)
		free(c->containers[i].value);
	free(c->attrmap);
	free(c->containers);
	free(c->path);
	free(c->ldapconf_path);
	memset(c, 0, sizeof(*c));
}

const struct cli_setting *cli_conf_find_prop(const struct cli_conf *c, const char *prop,
                                             const char **keyname)
{
	static const struct cli_setting none;
	static struct cli_setting multi;

	*keyname = NULL;
	for (int k = 0; k < K_COUNT; k++) {
		if (keys[k].prop && strcmp(keys[k].prop, prop) == 0) {
			*keyname = cli_key_name(k);
			return &c->set[k];
		}
	}
	if (strcmp(prop, "PR_LDAPAB_ATTR_MAP") == 0 && c->n_attrmap) {
		multi.file = c->path;
		multi.line = c->attrmap[0].line;
		*keyname = "[attributes]";
		return &multi;
	}
	if (strcmp(prop, "PR_LDAPAB_CONTAINERS") == 0 && c->n_containers) {
		multi.file = c->path;
		multi.line = c->containers[0].line;
		*keyname = "[containers]";
		return &multi;
	}
	return &none;
}
