/*
 * config.c - configuration defaults, validation and the deep copy an lb_conn
 * keeps (so callers may free their strings after lb_conn_open()).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lb_internal.h"

#define MAX_SERVERS 32
#define BACKOFF_MAX_S 86400 /* a day: longer is "never retry", not a backoff */

static lb_err dup_opt(const char *in, char **out)
{
	*out = NULL;
	if (in == NULL || in[0] == '\0')
		return LB_OK;
	*out = strdup(in);
	return *out ? LB_OK : LB_E_NOMEM;
}

static void wipe_free(char *s)
{
	if (s == NULL)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

void lb__cfg_free(struct lb__cfg *cfg, struct lb__server *servers, size_t n)
{
	size_t i;

	if (cfg != NULL) {
		free(cfg->base);
		free(cfg->tls_ca_file);
		free(cfg->tls_ca_dir);
		free(cfg->tls_cert_file);
		free(cfg->tls_key_file);
		free(cfg->bind_dn);
		wipe_free(cfg->password);
		free(cfg->password_file);
		free(cfg->sasl_authzid);
		memset(cfg, 0, sizeof(*cfg));
	}
	for (i = 0; servers != NULL && i < n; i++) {
		size_t k;

		free(servers[i].uri);
		for (k = 0; k < servers[i].n_rule_attrs; k++)
			free(servers[i].rule_attrs[k]);
	}
	free(servers);
}

/* Split the URI list (spaces and/or commas) and check each scheme. */
static lb_err parse_uris(const char *list, struct lb__server **out, size_t *n_out,
			 struct lb_error *err)
{
	struct lb__server *srv = NULL;
	char *copy = NULL, *tok, *save = NULL;
	size_t n = 0;
	lb_err rc = LB_OK;

	copy = strdup(list);
	srv = calloc(MAX_SERVERS, sizeof(*srv));
	if (copy == NULL || srv == NULL) {
		rc = lb__fail(err, LB_E_NOMEM, LB_STEP_CONFIG, 0, NULL, "out of memory");
		goto done;
	}
	for (tok = strtok_r(copy, " \t\r\n,", &save); tok != NULL;
	     tok = strtok_r(NULL, " \t\r\n,", &save)) {
		LDAPURLDesc *lud = NULL;
		int lrc;

		if (n == MAX_SERVERS) {
			rc = lb__fail(err, LB_E_INVALID, LB_STEP_CONFIG, 0, NULL,
				      "too many server URIs (at most %d)", MAX_SERVERS);
			goto done;
		}
		lrc = ldap_url_parse(tok, &lud);
		if (lrc != LDAP_URL_SUCCESS || lud == NULL || lud->lud_scheme == NULL) {
			ldap_free_urldesc(lud);
			rc = lb__fail(err, LB_E_INVALID, LB_STEP_CONFIG, 0, tok,
				      "server URI \"%s\" is not a valid LDAP URL", tok);
			goto done;
		}
		if (strcasecmp(lud->lud_scheme, "ldaps") == 0)
			srv[n].ldaps = true;
		else if (strcasecmp(lud->lud_scheme, "ldapi") == 0)
			srv[n].ldapi = true;
		else if (strcasecmp(lud->lud_scheme, "ldap") != 0) {
			ldap_free_urldesc(lud);
			rc = lb__fail(err, LB_E_INVALID, LB_STEP_CONFIG, 0, tok,
				      "server URI \"%s\": scheme must be ldap, ldaps or ldapi", tok);
			goto done;
		}
		ldap_free_urldesc(lud);
		srv[n].uri = strdup(tok);
		if (srv[n].uri == NULL) {
			rc = lb__fail(err, LB_E_NOMEM, LB_STEP_CONFIG, 0, NULL, "out of memory");
			goto done;
		}
		n++;
	}
	if (n == 0) {
		rc = lb__fail(err, LB_E_INVALID, LB_STEP_CONFIG, 0, NULL,
			      "no server URI configured (and none in ldap.conf)");
		goto done;
	}
	*out = srv;
	*n_out = n;
	srv = NULL;
	n = 0;
done:
	if (srv != NULL) {
		size_t i;
		for (i = 0; i < MAX_SERVERS; i++)
			free(srv[i].uri);
		free(srv);
	}
	free(copy);
	return rc;
}

static lb_err check_ranges(const struct lb_config *in, struct lb_error *err)
{
	const char *bad = NULL;

	if (in->connect_timeout_ms <= 0)
		bad = "connect_timeout_ms must be > 0";
	else if (in->op_timeout_ms <= 0)
		bad = "op_timeout_ms must be > 0";
	else if (in->time_limit_s < 0)
		bad = "time_limit_s must be >= 0";
	else if (in->size_limit < 0)
		bad = "size_limit must be >= 0";
	else if (in->page_size < 0)
		bad = "page_size must be >= 0";
	else if (in->backoff_s < 0 || in->backoff_max_s < in->backoff_s ||
		 in->backoff_max_s > BACKOFF_MAX_S)
		bad = "backoff_s must be >= 0 and backoff_s <= backoff_max_s <= 86400";
	else if (in->busy_retries < 0 || in->busy_retries > 10)
		bad = "busy_retries must be 0..10";
	else if ((unsigned)in->tls_mode > LB_TLS_STARTTLS)
		bad = "unknown tls_mode";
	else if ((unsigned)in->tls_reqcert > LB_REQCERT_NEVER)
		bad = "unknown tls_reqcert";
	else if ((unsigned)in->bind_method > LB_BIND_SASL_GSSAPI)
		bad = "unknown bind_method";
	else if ((unsigned)in->deref > LB_DEREF_ALWAYS)
		bad = "unknown deref";
	if (bad == NULL)
		return LB_OK;
	return lb__fail(err, LB_E_INVALID, LB_STEP_CONFIG, 0, NULL, "%s", bad);
}

static lb_err check_bind(const struct lb_config *in, struct lb__server *srv,
			 size_t n, struct lb_error *err)
{
	bool has_pw = in->password != NULL && in->password[0] != '\0';
	bool has_file = in->password_file != NULL && in->password_file[0] != '\0';
	size_t i;

	if (in->bind_method != LB_BIND_SIMPLE)
		return LB_OK;
	if (in->bind_dn == NULL || in->bind_dn[0] == '\0')
		return lb__fail(err, LB_E_INVALID, LB_STEP_CONFIG, 0, NULL,
				"simple bind needs a bind DN");
	/* An empty password would be an unauthenticated bind (RFC 4513 5.1.2). */
	if (has_pw == has_file)
		return lb__fail(err, LB_E_INVALID, LB_STEP_CONFIG, 0, NULL,
				"simple bind as %s needs exactly one of password or password file",
				in->bind_dn);
	if (has_file && access(in->password_file, R_OK) != 0)
		return lb__fail(err, LB_E_INVALID, LB_STEP_CONFIG, 0, NULL,
				"password file %s is not readable", in->password_file);
	if (in->allow_insecure_password || in->tls_mode == LB_TLS_STARTTLS)
		return LB_OK;
	for (i = 0; i < n; i++)
		if (srv[i].ldaps || srv[i].ldapi)
			return LB_OK;
	return lb__fail(err, LB_E_INSECURE, LB_STEP_CONFIG, 0, srv[0].uri,
			"refusing to send the password of %s unencrypted: use ldaps://, "
			"StartTLS or ldapi://, or allow insecure passwords explicitly",
			in->bind_dn);
}

lb_err lb__cfg_copy(const struct lb_config *in, struct lb__cfg *out,
		    struct lb__server **servers, size_t *n_servers,
		    struct lb_error *err)
{
	struct lb__cfg c;
	struct lb__server *srv = NULL;
	size_t n = 0;
	char *deflt = NULL;
	const char *uris = in->uris;
	lb_err rc;

	memset(&c, 0, sizeof(c));
	rc = check_ranges(in, err);
	if (rc != LB_OK)
		goto done;
	if (uris == NULL || uris[0] == '\0') {
		/* ldap.conf(5) URI; libldap returns a copy we free. */
		if (ldap_get_option(NULL, LDAP_OPT_URI, &deflt) != LDAP_OPT_SUCCESS)
			deflt = NULL;
		uris = deflt ? deflt : "";
	}
	rc = parse_uris(uris, &srv, &n, err);
	if (rc != LB_OK)
		goto done;
	rc = check_bind(in, srv, n, err);
	if (rc != LB_OK)
		goto done;

	c.tls_mode = in->tls_mode;
	c.tls_reqcert = in->tls_reqcert;
	c.bind_method = in->bind_method;
	c.allow_insecure_password = in->allow_insecure_password;
	c.connect_timeout_ms = in->connect_timeout_ms;
	c.op_timeout_ms = in->op_timeout_ms;
	c.time_limit_s = in->time_limit_s;
	c.size_limit = in->size_limit;
	c.page_size = in->page_size;
	c.chase_referrals = in->chase_referrals;
	c.deref = in->deref;
	c.backoff_s = in->backoff_s;
	c.backoff_max_s = in->backoff_max_s;
	c.busy_retries = in->busy_retries;
	c.now = in->now;
	c.now_ctx = in->now_ctx;
	c.log = in->log;
	c.log_ctx = in->log_ctx;
	rc = LB_E_NOMEM;
	if (dup_opt(in->base, &c.base) || dup_opt(in->tls_ca_file, &c.tls_ca_file) ||
	    dup_opt(in->tls_ca_dir, &c.tls_ca_dir) ||
	    dup_opt(in->tls_cert_file, &c.tls_cert_file) ||
	    dup_opt(in->tls_key_file, &c.tls_key_file) ||
	    dup_opt(in->bind_dn, &c.bind_dn) ||
	    dup_opt(in->password, &c.password) ||
	    dup_opt(in->password_file, &c.password_file) ||
	    dup_opt(in->sasl_authzid, &c.sasl_authzid)) {
		lb__fail(err, LB_E_NOMEM, LB_STEP_CONFIG, 0, NULL, "out of memory");
		goto done;
	}
	if (c.base == NULL) {
		char *defbase = NULL;
		/* ldap.conf(5) BASE */
		if (ldap_get_option(NULL, LDAP_OPT_DEFBASE, &defbase) == LDAP_OPT_SUCCESS &&
		    defbase != NULL && defbase[0] != '\0') {
			c.base = strdup(defbase);
			ldap_memfree(defbase);
			if (c.base == NULL) {
				lb__fail(err, LB_E_NOMEM, LB_STEP_CONFIG, 0, NULL, "out of memory");
				goto done;
			}
		} else if (defbase != NULL) {
			ldap_memfree(defbase);
		}
	}
	rc = LB_OK;
	*out = c;
	memset(&c, 0, sizeof(c));
	*servers = srv;
	*n_servers = n;
	srv = NULL;
	n = 0;
done:
	lb__cfg_free(&c, srv, n);
	if (deflt != NULL)
		ldap_memfree(deflt);
	return rc;
}
