/*
 * wl_conn.c - connections over wldap32: configuration, URI parsing,
 * connect with failover in configuration order, TLS, binds, the root DSE.
 *
 * Differences from the libldap backend (lb.h describes the contract):
 *   - ldapi:// does not exist on Windows: such a URI is LB_E_INVALID.
 *   - TLS: ldaps:// sets LDAP_OPT_SSL through ldap_sslinit(); StartTLS uses
 *     ldap_start_tls_s().  The certificate is checked by Windows (SChannel)
 *     against the machine's trusted roots; tls_ca_file does not apply (the
 *     CA belongs in the Windows certificate store).  Wine's wldap32 checks
 *     no certificate at all, so under Wine TLS proves encryption only.
 *   - LB_BIND_SASL_GSSAPI is Windows integrated authentication: a
 *     LDAP_AUTH_NEGOTIATE bind with the logged-on user's credentials.
 *   - Failover tries every server in order once per call; there is no
 *     backoff memory between calls.
 *   - lb_conn_cancel() only sets a flag; nothing touches the socket,
 *     which wldap32 keeps to itself.  Searches (the root DSE, pages, VLV
 *     windows) and simple or anonymous binds are sent with wldap32's
 *     asynchronous functions and their answers awaited in short slices
 *     (wl_wait.c) that read the flag, so a call waiting for the server
 *     returns LB_E_CANCELLED within about 100 ms, abandoning its request,
 *     as the libldap backend's does.  Not woken (each ends at its own
 *     timeout): the TCP connect and the ldaps:// handshake (ldap_connect,
 *     or on Wine the first request), StartTLS (ldap_start_tls_sW) and the
 *     integrated-authentication bind (ldap_bind_sW with
 *     LDAP_AUTH_NEGOTIATE, which has no asynchronous form).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wl_internal.h"

static void wipe_free(char *s)
{
	if (s != NULL) {
		SecureZeroMemory(s, strlen(s));
		free(s);
	}
}

static void servers_free(struct wl_server *sv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(sv[i].uri);
		free(sv[i].host);
	}
	free(sv);
}

/* "ldap://host[:port][/...]" or "ldaps://...": IPv6 literals in brackets. */
static lb_err parse_uri(const char *tok, size_t len, struct wl_server *out,
			struct lb_error *err)
{
	char buf[512], *host, *end, *port = NULL;
	unsigned long p;

	if (len >= sizeof(buf))
		return wl_fail(err, LB_E_INVALID, LB_STEP_CONFIG, 0, NULL,
			       "a server URI is longer than %u bytes", (unsigned)sizeof(buf) - 1);
	memcpy(buf, tok, len);
	buf[len] = '\0';
	memset(out, 0, sizeof(*out));
	if (_strnicmp(buf, "ldap://", 7) == 0) {
		host = buf + 7;
		out->port = LDAP_PORT;
	} else if (_strnicmp(buf, "ldaps://", 8) == 0) {
		host = buf + 8;
		out->ldaps = true;
		out->port = LDAP_SSL_PORT;
	} else if (_strnicmp(buf, "ldapi://", 8) == 0) {
		return wl_fail(err, LB_E_INVALID, LB_STEP_CONFIG, 0, buf,
			       "ldapi:// (a local socket) does not exist on Windows: use ldap:// or ldaps://");
	} else {
		return wl_fail(err, LB_E_INVALID, LB_STEP_CONFIG, 0, buf,
			       "server URI \"%s\" does not start with ldap:// or ldaps://", buf);
	}
	end = strchr(host, '/');
	if (end != NULL)
		*end = '\0';
	if (host[0] == '[') {
		char *close = strchr(host, ']');
		if (close == NULL)
			return wl_fail(err, LB_E_INVALID, LB_STEP_CONFIG, 0, buf,
				       "server URI has an unclosed IPv6 bracket");
		*close = '\0';
		host++;
		if (close[1] == ':')
			port = close + 2;
	} else {
		port = strchr(host, ':');
		if (port != NULL)
			*port++ = '\0';
	}
	if (port != NULL && *port != '\0') {
		char *stop;
		p = strtoul(port, &stop, 10);
		if (*stop != '\0' || p == 0 || p > 65535)
			return wl_fail(err, LB_E_INVALID, LB_STEP_CONFIG, 0, NULL,
				       "server URI port \"%s\" is not a number from 1 to 65535", port);
		out->port = (unsigned)p;
	}
	if (host[0] == '\0')
		host = "localhost";
	out->host = wl_wide(host);
	out->uri = malloc(len + 1);
	if (out->host == NULL || out->uri == NULL) {
		free(out->host);
		free(out->uri);
		out->host = NULL;
		out->uri = NULL;
		return wl_fail(err, LB_E_NOMEM, LB_STEP_CONFIG, 0, NULL, "out of memory");
	}
	memcpy(out->uri, tok, len);
	out->uri[len] = '\0';
	return LB_OK;
}

lb_err lb_conn_open(const struct lb_config *cfg, lb_conn **out, struct lb_error *err)
{
	lb_conn *c = NULL;
	const char *s;
	lb_err rc = LB_OK;

	lb_error_clear(err);
	if (out != NULL)
		*out = NULL;
	if (cfg == NULL || out == NULL)
		return wl_fail(err, LB_E_INVALID, LB_STEP_CONFIG, 0, NULL, "lb_conn_open: NULL argument");
	if (cfg->uris == NULL || cfg->uris[0] == '\0')
		return wl_fail(err, LB_E_INVALID, LB_STEP_CONFIG, 0, NULL,
			       "no server URI configured (Windows has no ldap.conf default)");
	if (cfg->connect_timeout_ms < 0 || cfg->op_timeout_ms < 0 || cfg->time_limit_s < 0 ||
	    cfg->size_limit < 0 || cfg->page_size < 0 ||
	    (unsigned)cfg->bind_method > LB_BIND_SASL_GSSAPI || (unsigned)cfg->tls_mode > LB_TLS_STARTTLS)
		return wl_fail(err, LB_E_INVALID, LB_STEP_CONFIG, 0, NULL,
			       "a timeout, limit or mode in the configuration is out of range");
	if (cfg->bind_method == LB_BIND_SIMPLE &&
	    (cfg->bind_dn == NULL || (cfg->password == NULL && cfg->password_file == NULL)))
		return wl_fail(err, LB_E_INVALID, LB_STEP_CONFIG, 0, NULL,
			       "a simple bind needs a bind DN and a password");
	if (cfg->bind_method == LB_BIND_SASL_EXTERNAL)
		return wl_fail(err, LB_E_AUTH_METHOD, LB_STEP_CONFIG, 0, NULL,
			       "SASL EXTERNAL is not available on Windows; use a simple bind or integrated authentication");
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return wl_fail(err, LB_E_NOMEM, LB_STEP_CONFIG, 0, NULL, "out of memory");
	c->cfg = *cfg;
	c->base = wl_strdup(cfg->base);
	c->bind_dn = wl_strdup(cfg->bind_dn);
	c->password = wl_strdup(cfg->password);
	c->password_file = wl_strdup(cfg->password_file);
	c->tls_ca_file = wl_strdup(cfg->tls_ca_file);
	if ((cfg->base && !c->base) || (cfg->bind_dn && !c->bind_dn) ||
	    (cfg->password && !c->password) || (cfg->password_file && !c->password_file) ||
	    (cfg->tls_ca_file && !c->tls_ca_file)) {
		rc = wl_fail(err, LB_E_NOMEM, LB_STEP_CONFIG, 0, NULL, "out of memory");
		goto done;
	}
	for (s = cfg->uris; *s != '\0';) {
		size_t len;
		struct wl_server *grown;

		s += strspn(s, " \t,");
		len = strcspn(s, " \t,");
		if (len == 0)
			break;
		grown = realloc(c->servers, (c->n_servers + 1) * sizeof(*grown));
		if (grown == NULL) {
			rc = wl_fail(err, LB_E_NOMEM, LB_STEP_CONFIG, 0, NULL, "out of memory");
			goto done;
		}
		c->servers = grown;
		rc = parse_uri(s, len, &c->servers[c->n_servers], err);
		if (rc != LB_OK)
			goto done;
		c->n_servers++;
		s += len;
	}
	if (c->n_servers == 0) {
		rc = wl_fail(err, LB_E_INVALID, LB_STEP_CONFIG, 0, NULL, "no server URI configured");
		goto done;
	}
	if (cfg->bind_method == LB_BIND_SIMPLE && !cfg->allow_insecure_password &&
	    cfg->tls_mode != LB_TLS_STARTTLS) {
		bool any = false;
		for (size_t i = 0; i < c->n_servers; i++)
			any = any || c->servers[i].ldaps;
		if (!any) {
			rc = wl_fail(err, LB_E_INSECURE, LB_STEP_CONFIG, 0, c->servers[0].uri,
				     "a simple bind would send the password unencrypted: use ldaps:// or StartTLS");
			goto done;
		}
	}
	c->cfg.uris = NULL;
	c->cfg.base = c->base;
	c->cfg.bind_dn = c->bind_dn;
	c->cfg.password = c->password;
	c->cfg.password_file = c->password_file;
	c->cfg.tls_ca_file = c->tls_ca_file;
	c->cfg.tls_ca_dir = c->cfg.tls_cert_file = c->cfg.tls_key_file = c->cfg.sasl_authzid = NULL;
	if (plat_mutex_init(&c->lock) != 0) {
		rc = wl_fail(err, LB_E_INTERNAL, LB_STEP_CONFIG, 0, NULL, "cannot create a lock");
		goto done;
	}
	atomic_init(&c->cancelled, false);
	*out = c;
	c = NULL;
done:
	if (c != NULL) {
		servers_free(c->servers, c->n_servers);
		free(c->base);
		free(c->bind_dn);
		wipe_free(c->password);
		free(c->password_file);
		free(c->tls_ca_file);
		free(c);
	}
	return rc;
}

void lb_rootdse_free(struct lb_rootdse *dse)
{
	if (dse == NULL)
		return;
	for (size_t i = 0; i < dse->n_naming_contexts; i++)
		free(dse->naming_contexts[i]);
	free(dse->naming_contexts);
	free(dse->default_naming_context);
	free(dse->vendor_name);
	free(dse->vendor_version);
	free(dse->server);
	free(dse);
}

void wl_drop(lb_conn *conn)
{
	if (conn->ld != NULL)
		(void)ldap_unbind(conn->ld);
	conn->ld = NULL;
	lb_rootdse_free(conn->dse);
	conn->dse = NULL;
}

void lb_conn_close(lb_conn *conn)
{
	if (conn == NULL)
		return;
	wl_drop(conn);
	servers_free(conn->servers, conn->n_servers);
	free(conn->base);
	free(conn->bind_dn);
	wipe_free(conn->password);
	free(conn->password_file);
	free(conn->tls_ca_file);
	plat_mutex_destroy(&conn->lock);
	free(conn);
}

void lb_conn_cancel(lb_conn *conn)
{
	if (conn != NULL)
		atomic_store(&conn->cancelled, true);
}

const char *wl_uri(const lb_conn *conn)
{
	return conn->ld != NULL ? conn->servers[conn->cur].uri : "";
}

void lb_conn_server(lb_conn *conn, char *buf, size_t len)
{
	if (buf == NULL || len == 0)
		return;
	buf[0] = '\0';
	if (conn == NULL)
		return;
	plat_mutex_lock(&conn->lock);
	snprintf(buf, len, "%s", wl_uri(conn));
	plat_mutex_unlock(&conn->lock);
}

/* The first line of the password file (read at each bind, as lb.h says). */
static lb_err read_password_file(const char *path, char **out, struct lb_error *err)
{
	char line[1025];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL)
		return wl_fail(err, LB_E_INVALID, LB_STEP_BIND, 0, NULL,
			       "cannot read the password file %s", path);
	if (fgets(line, sizeof(line), f) == NULL)
		line[0] = '\0';
	fclose(f);
	n = strcspn(line, "\r\n");
	if (n > 1023) {
		SecureZeroMemory(line, sizeof(line));
		return wl_fail(err, LB_E_INVALID, LB_STEP_BIND, 0, NULL,
			       "the first line of the password file %s is over 1023 bytes", path);
	}
	line[n] = '\0';
	*out = wl_strdup(line);
	SecureZeroMemory(line, sizeof(line));
	return *out ? LB_OK : wl_fail(err, LB_E_NOMEM, LB_STEP_BIND, 0, NULL, "out of memory");
}

/* A simple bind sent with ldap_simple_bindW (msgid, or (ULONG)-1 if it
 * could not be sent): its result code, awaited as connect_timeout_ms
 * allows.  A bind is never abandoned (LDAP has no abandoning a bind): on a
 * cancel or timeout the caller unbinds the handle. */
static ULONG simple_bind_result(lb_conn *conn, LDAP *ld, ULONG msgid)
{
	LDAPMessage *msg = NULL;
	ULONG rc, result = LDAP_SUCCESS;
	unsigned ms = conn->cfg.connect_timeout_ms > 0 ? (unsigned)conn->cfg.connect_timeout_ms : 6000;

	if (msgid == (ULONG)-1)
		return wl_last_error(ld);
	rc = wl_wait(conn, ld, msgid, ms, false, &msg);
	if (rc != LDAP_SUCCESS)
		return rc;
	if (ldap_parse_resultW(ld, msg, &result, NULL, NULL, NULL, NULL, FALSE) != LDAP_SUCCESS)
		result = LDAP_DECODING_ERROR;
	(void)ldap_msgfree(msg);
	return result;
}

static lb_err bind_link(lb_conn *conn, LDAP *ld, const char *uri, struct lb_error *err)
{
	ULONG rc;
	wchar_t *dn = NULL, *pw = NULL;
	char *filepw = NULL;
	lb_err code = LB_OK;

	switch (conn->cfg.bind_method) {
	case LB_BIND_ANONYMOUS:
		rc = simple_bind_result(conn, ld, ldap_simple_bindW(ld, NULL, NULL));
		break;
	case LB_BIND_SASL_GSSAPI:
		/* Windows integrated authentication: SSPI Negotiate with the
		 * credentials of the logged-on user (NULL identity).  Its
		 * several round trips have no asynchronous form: a cancel
		 * waits for it to end. */
		rc = ldap_bind_sW(ld, NULL, NULL, LDAP_AUTH_NEGOTIATE);
		break;
	case LB_BIND_SIMPLE:
	default:
		if (conn->password == NULL) {
			code = read_password_file(conn->password_file, &filepw, err);
			if (code != LB_OK)
				return code;
		}
		dn = wl_wide(conn->bind_dn);
		pw = wl_wide(conn->password ? conn->password : filepw);
		if (dn == NULL || pw == NULL) {
			code = wl_fail(err, LB_E_NOMEM, LB_STEP_BIND, 0, uri, "out of memory");
			goto done;
		}
		rc = simple_bind_result(conn, ld, ldap_simple_bindW(ld, dn, pw));
		break;
	}
	if (rc == LDAP_USER_CANCELLED && atomic_load(&conn->cancelled)) {
		code = wl_fail_cancelled(err, LB_STEP_BIND, uri);
	} else if (rc != LDAP_SUCCESS) {
		code = wl_err_from_ldap(rc);
		if (code == LB_E_INVALID || code == LB_E_NOT_FOUND || code == LB_E_INTERNAL)
			code = LB_E_AUTH;
		code = wl_fail(err, code, LB_STEP_BIND, (int)rc, uri,
			       "bind to %s failed: %s (LDAP code %lu)", uri,
			       ldap_err2stringA(rc), (unsigned long)rc);
	}
done:
	if (pw != NULL) {
		SecureZeroMemory(pw, wcslen(pw) * sizeof(*pw));
		free(pw);
	}
	if (filepw != NULL) {
		SecureZeroMemory(filepw, strlen(filepw));
		free(filepw);
	}
	free(dn);
	return code;
}

static lb_err read_rootdse(lb_conn *conn, LDAP *ld, const char *uri, struct lb_error *err);

/* LB_REQCERT_ALLOW / NEVER: the server-certificate callback accepts any
 * certificate (the documented signature passes a pointer to the context,
 * which the callback frees).  DEMAND and TRY keep Windows' own check of the
 * chain and the host name.  Wine's wldap32 checks no certificate at all,
 * with or without the callback, so there every mode behaves as NEVER. */
static BOOLEAN __cdecl accept_any_certificate(LDAP *ld, PCCERT_CONTEXT *cert)
{
	(void)ld;
	if (cert != NULL && *cert != NULL)
		(void)CertFreeCertificateContext(*cert);
	return TRUE;
}

/* Connect, protect and bind one server; on success conn->ld is it. */
static lb_err connect_one(lb_conn *conn, size_t i, struct lb_error *err)
{
	struct wl_server *sv = &conn->servers[i];
	LDAP *ld;
	ULONG rc, v3 = LDAP_VERSION3, limit;
	void *off = LDAP_OPT_OFF;
	LDAP_TIMEVAL tv;
	lb_err code;

	ld = ldap_sslinitW(sv->host, sv->port, sv->ldaps ? 1 : 0);
	if (ld == NULL)
		return wl_fail(err, LB_E_CONNECT, LB_STEP_CONNECT, (int)LdapGetLastError(), sv->uri,
			       "cannot create an LDAP handle for %s", sv->uri);
	(void)ldap_set_optionW(ld, LDAP_OPT_PROTOCOL_VERSION, &v3);
	if (conn->cfg.tls_reqcert == LB_REQCERT_ALLOW || conn->cfg.tls_reqcert == LB_REQCERT_NEVER) {
		BOOLEAN (__cdecl *cb)(LDAP *, PCCERT_CONTEXT *) = accept_any_certificate;
		(void)ldap_set_optionW(ld, LDAP_OPT_SERVER_CERTIFICATE, (void *)cb);
		if (conn->cfg.log != NULL)
			conn->cfg.log(conn->cfg.log_ctx, LB_LOG_WARNING,
				      "TLS server certificates are not checked (tls_reqcert allow/never)");
	}
	(void)ldap_set_optionW(ld, LDAP_OPT_REFERRALS, conn->cfg.chase_referrals ? LDAP_OPT_ON : off);
	limit = (ULONG)conn->cfg.time_limit_s;
	(void)ldap_set_optionW(ld, LDAP_OPT_TIMELIMIT, &limit);
	limit = (ULONG)conn->cfg.size_limit;
	(void)ldap_set_optionW(ld, LDAP_OPT_SIZELIMIT, &limit);
	limit = (ULONG)conn->cfg.deref;
	(void)ldap_set_optionW(ld, LDAP_OPT_DEREF, &limit);
	tv.tv_sec = (LONG)(conn->cfg.connect_timeout_ms / 1000);
	tv.tv_usec = (LONG)(conn->cfg.connect_timeout_ms % 1000) * 1000;
	if (tv.tv_sec == 0 && tv.tv_usec == 0)
		tv.tv_sec = 6;
	/* Windows connects here within the timeout; Wine's ldap_connect()
	 * returns at once and the connection happens at the first operation,
	 * which the operation's own timeout then bounds. */
	rc = ldap_connect(ld, &tv);
	if (rc != LDAP_SUCCESS) {
		code = wl_err_from_ldap(rc);
		if (code != LB_E_TIMEOUT)
			code = sv->ldaps ? LB_E_TLS : LB_E_CONNECT;
		(void)ldap_unbind(ld);
		return wl_fail(err, code, LB_STEP_CONNECT, (int)rc, sv->uri,
			       "cannot connect to %s: %s (LDAP code %lu)", sv->uri,
			       ldap_err2stringA(rc), (unsigned long)rc);
	}
	if (!sv->ldaps && conn->cfg.tls_mode == LB_TLS_STARTTLS) {
		ULONG srv = 0;
		rc = ldap_start_tls_sW(ld, &srv, NULL, NULL, NULL);
		if (rc != LDAP_SUCCESS) {
			(void)ldap_unbind(ld);
			return wl_fail(err, wl_link_error(rc) ? LB_E_CONNECT : LB_E_TLS, LB_STEP_TLS,
				       (int)(srv ? srv : rc), sv->uri,
				       "StartTLS with %s failed: %s (LDAP code %lu)", sv->uri,
				       ldap_err2stringA(srv ? srv : rc), (unsigned long)(srv ? srv : rc));
		}
	}
	code = bind_link(conn, ld, sv->uri, err);
	if (code == LB_OK)
		code = read_rootdse(conn, ld, sv->uri, err);
	if (code != LB_OK) {
		(void)ldap_unbind(ld);
		return code;
	}
	conn->ld = ld;
	conn->cur = i;
	conn->generation++;
	return LB_OK;
}

lb_err wl_establish(lb_conn *conn, struct lb_error *err)
{
	lb_err code = LB_E_CONNECT;

	if (conn->ld != NULL)
		return LB_OK;
	for (size_t i = 0; i < conn->n_servers; i++) {
		if (atomic_load(&conn->cancelled))
			return wl_fail_cancelled(err, LB_STEP_CONNECT, "");
		lb_error_clear(err);
		code = connect_one(conn, i, err);
		if (code == LB_OK || code == LB_E_AUTH || code == LB_E_NOMEM ||
		    code == LB_E_CANCELLED)
			return code;
	}
	return code;
}

static char *first_value(LDAP *ld, LDAPMessage *e, const wchar_t *attr)
{
	wchar_t **v = ldap_get_valuesW(ld, e, (wchar_t *)attr);
	char *s = NULL;

	if (v != NULL && v[0] != NULL)
		s = wl_utf8(v[0]);
	if (v != NULL)
		(void)ldap_value_freeW(v);
	return s;
}

static lb_err read_rootdse(lb_conn *conn, LDAP *ld, const char *uri, struct lb_error *err)
{
	wchar_t *attrs[] = { L"namingContexts", L"defaultNamingContext", L"supportedControl",
			     L"supportedCapabilities", L"vendorName", L"vendorVersion",
			     L"objectClass", NULL };
	LDAPMessage *msg = NULL, *e;
	struct lb_rootdse *dse = NULL;
	wchar_t **v = NULL;
	ULONG rc, msgid = 0, result = LDAP_SUCCESS;
	lb_err code = LB_OK;

	rc = ldap_search_extW(ld, L"", LDAP_SCOPE_BASE, L"(objectClass=*)", attrs, 0,
			      NULL, NULL, 0, 0, &msgid);
	if (rc == LDAP_SUCCESS)
		rc = wl_wait(conn, ld, msgid, ((unsigned)conn->cfg.op_timeout_ms / 1000 + 1) * 1000,
			     true, &msg);
	if (rc == LDAP_SUCCESS) {
		if (ldap_parse_resultW(ld, msg, &result, NULL, NULL, NULL, NULL, FALSE) == LDAP_SUCCESS)
			rc = result;
		else
			rc = LDAP_DECODING_ERROR;
	}
	if (rc == LDAP_USER_CANCELLED && atomic_load(&conn->cancelled)) {
		code = wl_fail_cancelled(err, LB_STEP_ROOTDSE, uri);
		goto done;
	}
	if (rc != LDAP_SUCCESS) {
		code = wl_fail(err, wl_link_error(rc) ? LB_E_CONNECT : wl_err_from_ldap(rc),
			       LB_STEP_ROOTDSE, (int)rc, uri, "reading the root DSE of %s failed: %s",
			       uri, ldap_err2stringA(rc));
		goto done;
	}
	dse = calloc(1, sizeof(*dse));
	if (dse == NULL)
		goto oom;
	dse->server = wl_strdup(uri);
	if (dse->server == NULL)
		goto oom;
	e = ldap_first_entry(ld, msg);
	if (e != NULL) {
		v = ldap_get_valuesW(ld, e, L"namingContexts");
		for (size_t i = 0; v != NULL && v[i] != NULL; i++) {
			char **grown = realloc(dse->naming_contexts,
					       (dse->n_naming_contexts + 1) * sizeof(*grown));
			if (grown == NULL)
				goto oom;
			dse->naming_contexts = grown;
			grown[dse->n_naming_contexts] = wl_utf8(v[i]);
			if (grown[dse->n_naming_contexts] == NULL)
				goto oom;
			dse->n_naming_contexts++;
		}
		if (v != NULL)
			(void)ldap_value_freeW(v);
		v = ldap_get_valuesW(ld, e, L"supportedControl");
		for (size_t i = 0; v != NULL && v[i] != NULL; i++) {
			if (wcscmp(v[i], L"1.2.840.113556.1.4.319") == 0)
				dse->controls |= LB_CTRL_PAGED;
			else if (wcscmp(v[i], L"1.2.840.113556.1.4.473") == 0)
				dse->controls |= LB_CTRL_SORT;
			else if (wcscmp(v[i], L"2.16.840.1.113730.3.4.9") == 0)
				dse->controls |= LB_CTRL_VLV;
		}
		if (v != NULL)
			(void)ldap_value_freeW(v);
		v = ldap_get_valuesW(ld, e, L"supportedCapabilities");
		for (size_t i = 0; v != NULL && v[i] != NULL; i++)
			if (wcscmp(v[i], L"1.2.840.113556.1.4.800") == 0)
				dse->is_active_directory = true;
		if (v != NULL)
			(void)ldap_value_freeW(v);
		v = NULL;
		dse->default_naming_context = first_value(ld, e, L"defaultNamingContext");
		dse->vendor_name = first_value(ld, e, L"vendorName");
		dse->vendor_version = first_value(ld, e, L"vendorVersion");
	}
	dse->uuid_attrs = dse->is_active_directory ? LB_UUID_OBJECTGUID : LB_UUID_ENTRYUUID;
	lb_rootdse_free(conn->dse);
	conn->dse = dse;
	dse = NULL;
	goto done;
oom:
	code = wl_fail(err, LB_E_NOMEM, LB_STEP_ROOTDSE, 0, uri, "out of memory reading the root DSE");
done:
	if (v != NULL)
		(void)ldap_value_freeW(v);
	if (msg != NULL)
		(void)ldap_msgfree(msg);
	lb_rootdse_free(dse);
	return code;
}

lb_err lb_conn_check(lb_conn *conn, struct lb_error *err)
{
	lb_err code;

	lb_error_clear(err);
	if (conn == NULL)
		return wl_fail(err, LB_E_INVALID, LB_STEP_NONE, 0, NULL, "lb_conn_check: NULL connection");
	plat_mutex_lock(&conn->lock);
	if (conn->ld != NULL) {
		code = read_rootdse(conn, conn->ld, wl_uri(conn), err);
		if (code == LB_E_CANCELLED) {
			plat_mutex_unlock(&conn->lock);
			return code;
		}
		if (code != LB_OK) {
			wl_drop(conn);
			lb_error_clear(err);
		}
	}
	code = wl_establish(conn, err);
	plat_mutex_unlock(&conn->lock);
	return code;
}

static char *dup_or_null(const char *s, bool *oom)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = wl_strdup(s);
	if (d == NULL)
		*oom = true;
	return d;
}

lb_err lb_conn_rootdse(lb_conn *conn, struct lb_rootdse **out, struct lb_error *err)
{
	struct lb_rootdse *copy = NULL;
	bool oom = false;
	lb_err code;

	lb_error_clear(err);
	if (out != NULL)
		*out = NULL;
	if (conn == NULL || out == NULL)
		return wl_fail(err, LB_E_INVALID, LB_STEP_NONE, 0, NULL, "lb_conn_rootdse: NULL argument");
	plat_mutex_lock(&conn->lock);
	code = wl_establish(conn, err);
	if (code != LB_OK)
		goto done;
	copy = calloc(1, sizeof(*copy));
	if (copy == NULL) {
		oom = true;
		goto done;
	}
	*copy = *conn->dse;
	copy->naming_contexts = NULL;
	copy->n_naming_contexts = 0;
	copy->default_naming_context = dup_or_null(conn->dse->default_naming_context, &oom);
	copy->vendor_name = dup_or_null(conn->dse->vendor_name, &oom);
	copy->vendor_version = dup_or_null(conn->dse->vendor_version, &oom);
	copy->server = dup_or_null(conn->dse->server, &oom);
	if (conn->dse->n_naming_contexts > 0) {
		copy->naming_contexts = calloc(conn->dse->n_naming_contexts, sizeof(char *));
		if (copy->naming_contexts == NULL) {
			oom = true;
		} else {
			copy->n_naming_contexts = conn->dse->n_naming_contexts;
			for (size_t i = 0; i < copy->n_naming_contexts; i++)
				copy->naming_contexts[i] = dup_or_null(conn->dse->naming_contexts[i], &oom);
		}
	}
done:
	plat_mutex_unlock(&conn->lock);
	if (oom) {
		lb_rootdse_free(copy);
		return wl_fail(err, LB_E_NOMEM, LB_STEP_ROOTDSE, 0, NULL, "out of memory");
	}
	if (code != LB_OK)
		return code;
	*out = copy;
	return LB_OK;
}
