/*
 * conn.c - lb_conn: lazy connection, failover with backoff, per-handle TLS,
 * binds, the root DSE probe, and the timed wait every operation uses.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/stat.h>

#if defined(__has_include)
#if __has_include(<sasl/sasl.h>)
#include <sasl/sasl.h>
#define LB_HAVE_SASL_H 1
#endif
#endif

#include "lb_internal.h"

#define PASSWORD_MAX 1024

uint64_t lb__now(const lb_conn *conn)
{
	struct timespec ts;

	if (conn->cfg.now != NULL)
		return conn->cfg.now(conn->cfg.now_ctx);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ------------------------------------------------------------------------ */
/* Cancellation                                                             */
/* ------------------------------------------------------------------------ */

bool lb__cancelled(const lb_conn *conn)
{
	return atomic_load(&conn->cancelled);
}

lb_err lb__fail_cancelled(const lb_conn *conn, struct lb_error *err, lb_step step)
{
	const char *uri = conn->ld != NULL ? conn->servers[conn->cur].uri : "";

	return lb__fail(err, LB_E_CANCELLED, step, 0, uri,
			"%s cancelled: the connection is being shut down "
			"(lb_conn_cancel; e.g. the address book is logging off)",
			lb_step_name(step));
}

/* Under fd_lock: shut the socket of slot down if it is still the one we
 * recorded.  libldap may close its descriptor on its own (a link error)
 * before we untrack it, and the number may then name another file of the
 * process: the inode check keeps us from shutting that down. */
static void fd_slot_shutdown(const struct lb__sock *slot)
{
	struct stat st;

	if (slot->fd >= 0 && fstat(slot->fd, &st) == 0 && S_ISSOCK(st.st_mode) &&
	    st.st_dev == slot->dev && st.st_ino == slot->ino)
		(void)shutdown(slot->fd, SHUT_RDWR);
}

/* Remember socket fd (libldap's, borrowed) in *slot so lb_conn_cancel()
 * can shut it down.  A cancel that came first shuts it down at once: the
 * flag is read under fd_lock, which lb_conn_cancel() takes after setting
 * it. */
static void fd_track(lb_conn *conn, struct lb__sock *slot, int fd)
{
	struct stat st;

	pthread_mutex_lock(&conn->fd_lock);
	slot->fd = -1;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode)) {
		slot->fd = fd;
		slot->dev = st.st_dev;
		slot->ino = st.st_ino;
		if (lb__cancelled(conn) ||
		    (slot == &conn->probe_sock && atomic_load(&conn->probe_expired)))
			fd_slot_shutdown(slot);
	}
	pthread_mutex_unlock(&conn->fd_lock);
}

static void fd_track_ld(lb_conn *conn, struct lb__sock *slot, LDAP *ld)
{
	int fd = -1;

	if (ldap_get_option(ld, LDAP_OPT_DESC, &fd) != LDAP_OPT_SUCCESS)
		fd = -1;
	fd_track(conn, slot, fd);
}

/* Before libldap closes the socket (unbind): forget it. */
static void fd_untrack(lb_conn *conn, struct lb__sock *slot)
{
	pthread_mutex_lock(&conn->fd_lock);
	slot->fd = -1;
	pthread_mutex_unlock(&conn->fd_lock);
}

void lb_conn_cancel(lb_conn *conn)
{
	if (conn == NULL)
		return;
	atomic_store(&conn->cancelled, true);
	/* Wake a call blocked in libldap on either socket: its poll() returns,
	 * the read fails, and the call sees the flag.  shutdown(), not close():
	 * the descriptors libldap holds stay its own to close at unbind. */
	pthread_mutex_lock(&conn->fd_lock);
	fd_slot_shutdown(&conn->link_sock);
	fd_slot_shutdown(&conn->probe_sock);
	pthread_mutex_unlock(&conn->fd_lock);
}

void lb__enter(lb_conn *conn, struct lb__guard *g)
{
	g->sigpipe_blocked = false;
	g->sigpipe_pending = false;
#ifdef SIGPIPE
	{
		sigset_t pipe_set, old, pending;

		sigemptyset(&pipe_set);
		sigaddset(&pipe_set, SIGPIPE);
		if (pthread_sigmask(SIG_BLOCK, &pipe_set, &old) == 0 &&
		    !sigismember(&old, SIGPIPE)) {
			g->sigpipe_blocked = true;
			g->sigpipe_pending = sigpending(&pending) == 0 &&
					     sigismember(&pending, SIGPIPE);
		}
	}
#endif
	pthread_mutex_lock(&conn->lock);
}

void lb__leave(lb_conn *conn, struct lb__guard *g)
{
	pthread_mutex_unlock(&conn->lock);
#ifdef SIGPIPE
	if (g->sigpipe_blocked) {
		sigset_t pipe_set, pending;
		struct timespec zero = { 0, 0 };

		sigemptyset(&pipe_set);
		sigaddset(&pipe_set, SIGPIPE);
		/* A SIGPIPE raised by our writes is pending now: take it. */
		if (!g->sigpipe_pending && sigpending(&pending) == 0 &&
		    sigismember(&pending, SIGPIPE))
			(void)sigtimedwait(&pipe_set, NULL, &zero);
		(void)pthread_sigmask(SIG_UNBLOCK, &pipe_set, NULL);
	}
#endif
}

void lb__sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

void lb__log(const lb_conn *conn, enum lb_log_level level, const char *fmt, ...)
{
	char buf[LB_ERROR_MSG_MAX];
	va_list ap;

	if (conn->cfg.log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	conn->cfg.log(conn->cfg.log_ctx, level, buf);
}

const char *lb__cur_uri(const lb_conn *conn)
{
	return conn->ld != NULL ? conn->servers[conn->cur].uri : "";
}

/* Reason used when the caller passed no error record. */
const struct lb_error lb__link_lost = { LB_E_SERVER_DOWN, LB_STEP_SEARCH, 0, "",
					"connection lost" };

bool lb__is_link_error(lb_err code)
{
	return code == LB_E_SERVER_DOWN || code == LB_E_CONNECT || code == LB_E_TIMEOUT;
}

static struct timeval ms_tv(int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
	return tv;
}

/* The handle's diagnostic message, "" if none.  Caller frees with ldap_memfree. */
static char *ld_diag(LDAP *ld)
{
	char *diag = NULL;

	if (ld == NULL || ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &diag) !=
			  LDAP_OPT_SUCCESS)
		return NULL;
	if (diag != NULL && strcmp(diag, "(unknown error code)") == 0)
		diag[0] = '\0'; /* libldap's placeholder says nothing */
	return diag;
}

static lb_err fail_ld(LDAP *ld, const char *uri, struct lb_error *err,
		      lb_err code, lb_step step, int rc, const char *what)
{
	char *diag = ld_diag(ld);

	lb__fail(err, code, step, rc, uri, "%s %s failed: %s%s%s%s", what, uri,
		 ldap_err2string(rc), diag && diag[0] ? " (" : "",
		 diag && diag[0] ? diag : "", diag && diag[0] ? ")" : "");
	if (diag != NULL)
		ldap_memfree(diag);
	return code;
}

lb_err lb__fail_ld(lb_conn *conn, struct lb_error *err, lb_step step, int rc,
		   const char *what)
{
	return fail_ld(conn->ld, lb__cur_uri(conn), err, lb__err_from_ldap(rc),
		       step, rc, what);
}

/* Wait for one answer on ld.  >0: message type; 0: timeout; -1: link error. */
static int wait_on(LDAP *ld, int msgid, int timeout_ms, LDAPMessage **msg)
{
	struct timeval tv = ms_tv(timeout_ms);

	*msg = NULL;
	return ldap_result(ld, msgid, LDAP_MSG_ONE, &tv, msg);
}

static int ld_errno(LDAP *ld)
{
	int rc = LDAP_SERVER_DOWN;

	if (ldap_get_option(ld, LDAP_OPT_RESULT_CODE, &rc) != LDAP_OPT_SUCCESS)
		rc = LDAP_SERVER_DOWN;
	return rc == LDAP_SUCCESS ? LDAP_SERVER_DOWN : rc;
}

lb_err lb__wait(lb_conn *conn, int msgid, lb_step step, LDAPMessage **msg,
		struct lb_error *err)
{
	int rc;

	/* Checked before every answer (each entry, page and batch answer) so a
	 * cancel stops a long read at the next message even if it arrived. */
	if (lb__cancelled(conn)) {
		*msg = NULL;
		if (msgid != LDAP_RES_ANY)
			(void)ldap_abandon_ext(conn->ld, msgid, NULL, NULL);
		return lb__fail_cancelled(conn, err, step);
	}
	rc = wait_on(conn->ld, msgid, conn->cfg.op_timeout_ms, msg);
	if (rc > 0)
		return LB_OK;
	if (*msg != NULL) {
		ldap_msgfree(*msg);
		*msg = NULL;
	}
	if (lb__cancelled(conn)) /* woken by lb_conn_cancel()'s shutdown */
		return lb__fail_cancelled(conn, err, step);
	if (rc == 0) {
		if (msgid != LDAP_RES_ANY)
			(void)ldap_abandon_ext(conn->ld, msgid, NULL, NULL);
		return lb__fail(err, LB_E_TIMEOUT, step, LDAP_TIMEOUT, lb__cur_uri(conn),
				"%s on %s: no answer within %d ms (operation timeout)",
				lb_step_name(step), lb__cur_uri(conn),
				conn->cfg.op_timeout_ms);
	}
	rc = ld_errno(conn->ld);
	{
		char what[48];
		snprintf(what, sizeof(what), "%s on", lb_step_name(step));
		return fail_ld(conn->ld, lb__cur_uri(conn), err,
			       lb__is_link_error(lb__err_from_ldap(rc)) ? lb__err_from_ldap(rc)
									: LB_E_SERVER_DOWN,
			       step, rc, what);
	}
}

/* ------------------------------------------------------------------------ */
/* Root DSE                                                                 */
/* ------------------------------------------------------------------------ */

void lb_rootdse_free(struct lb_rootdse *dse)
{
	size_t i;

	if (dse == NULL)
		return;
	for (i = 0; i < dse->n_naming_contexts; i++)
		free(dse->naming_contexts[i]);
	free(dse->naming_contexts);
	free(dse->default_naming_context);
	free(dse->vendor_name);
	free(dse->vendor_version);
	free(dse->server);
	free(dse);
}

static char *dup_value(const lb_entry *e, const char *attr)
{
	const struct lb_value *v = lb_entry_value(e, attr);
	return v != NULL ? strndup(v->data, v->len) : NULL;
}

static bool has_value(const lb_entry *e, const char *attr, const char *val)
{
	const struct lb_attr *a = lb_entry_find(e, attr);
	size_t i;

	for (i = 0; a != NULL && i < a->n_values; i++)
		if (strcasecmp(a->values[i].data, val) == 0)
			return true;
	return false;
}

static lb_err dse_from_entry(const lb_entry *e, const char *uri,
			     struct lb_rootdse **out)
{
	struct lb_rootdse *dse = calloc(1, sizeof(*dse));
	const struct lb_attr *nc;
	lb_err rc = LB_E_NOMEM;
	size_t i;

	if (dse == NULL)
		goto done;
	dse->server = strdup(uri);
	if (dse->server == NULL)
		goto done;
	if (e != NULL) {
		if (has_value(e, "supportedControl", LDAP_CONTROL_PAGEDRESULTS))
			dse->controls |= LB_CTRL_PAGED;
		if (has_value(e, "supportedControl", LDAP_CONTROL_SORTREQUEST))
			dse->controls |= LB_CTRL_SORT;
		if (has_value(e, "supportedControl", LDAP_CONTROL_VLVREQUEST))
			dse->controls |= LB_CTRL_VLV;
		/* LDAP_CAP_ACTIVE_DIRECTORY_OID / _ADAM_OID */
		dse->is_active_directory =
			has_value(e, "supportedCapabilities", "1.2.840.113556.1.4.800") ||
			has_value(e, "supportedCapabilities", "1.2.840.113556.1.4.1851");
		nc = lb_entry_find(e, "namingContexts");
		if (nc != NULL && nc->n_values > 0) {
			dse->naming_contexts = calloc(nc->n_values, sizeof(char *));
			if (dse->naming_contexts == NULL)
				goto done;
			for (i = 0; i < nc->n_values; i++) {
				dse->naming_contexts[i] = strndup(nc->values[i].data,
								  nc->values[i].len);
				if (dse->naming_contexts[i] == NULL)
					goto done;
				dse->n_naming_contexts++;
			}
		}
		if ((lb_entry_find(e, "defaultNamingContext") &&
		     !(dse->default_naming_context = dup_value(e, "defaultNamingContext"))) ||
		    (lb_entry_find(e, "vendorName") &&
		     !(dse->vendor_name = dup_value(e, "vendorName"))) ||
		    (lb_entry_find(e, "vendorVersion") &&
		     !(dse->vendor_version = dup_value(e, "vendorVersion"))))
			goto done;
		/* Which stable unique id the server has, from what it says it is. */
		if (dse->is_active_directory)
			dse->uuid_attrs |= LB_UUID_OBJECTGUID;
		if (has_value(e, "objectClass", "OpenLDAProotDSE"))
			dse->uuid_attrs |= LB_UUID_ENTRYUUID;
		if (dse->vendor_name != NULL &&
		    (strstr(dse->vendor_name, "389") || strstr(dse->vendor_name, "Fedora") ||
		     strstr(dse->vendor_name, "Red Hat") || strstr(dse->vendor_name, "Netscape")))
			dse->uuid_attrs |= LB_UUID_NSUNIQUEID;
		/* Most other RFC 4530 servers publish entryUUID too. */
		if (dse->uuid_attrs == 0 && dse->vendor_name != NULL)
			dse->uuid_attrs |= LB_UUID_ENTRYUUID;
	}
	*out = dse;
	dse = NULL;
	rc = LB_OK;
done:
	lb_rootdse_free(dse);
	return rc;
}

static lb_err dse_copy(const struct lb_rootdse *in, struct lb_rootdse **out)
{
	struct lb_rootdse *d = calloc(1, sizeof(*d));
	size_t i;
	lb_err rc = LB_E_NOMEM;

	if (d == NULL)
		goto done;
	d->controls = in->controls;
	d->uuid_attrs = in->uuid_attrs;
	d->is_active_directory = in->is_active_directory;
	if (in->n_naming_contexts > 0) {
		d->naming_contexts = calloc(in->n_naming_contexts, sizeof(char *));
		if (d->naming_contexts == NULL)
			goto done;
		for (i = 0; i < in->n_naming_contexts; i++) {
			if (!(d->naming_contexts[i] = strdup(in->naming_contexts[i])))
				goto done;
			d->n_naming_contexts++;
		}
	}
	if ((in->default_naming_context &&
	     !(d->default_naming_context = strdup(in->default_naming_context))) ||
	    (in->vendor_name && !(d->vendor_name = strdup(in->vendor_name))) ||
	    (in->vendor_version && !(d->vendor_version = strdup(in->vendor_version))) ||
	    !(d->server = strdup(in->server)))
		goto done;
	*out = d;
	d = NULL;
	rc = LB_OK;
done:
	lb_rootdse_free(d);
	return rc;
}

/* Read the root DSE on a fresh link.  A server that refuses to show it gets an
 * empty description (no controls): only timeouts and link loss fail. */
static lb_err probe_rootdse(LDAP *ld, const char *uri, int timeout_ms,
			    struct lb_rootdse **out, struct lb_error *err)
{
	static char *attrs[] = { "supportedControl", "namingContexts",
				 "defaultNamingContext", "vendorName", "vendorVersion",
				 "supportedCapabilities", "objectClass", NULL };
	lb_result *res = lb__result_new();
	LDAPMessage *msg = NULL;
	struct timeval tv = ms_tv(timeout_ms);
	int msgid = -1, rc, type;
	lb_err code;

	if (res == NULL) {
		code = lb__fail(err, LB_E_NOMEM, LB_STEP_ROOTDSE, 0, uri, "out of memory");
		goto done;
	}
	rc = ldap_search_ext(ld, "", LDAP_SCOPE_BASE, "(objectClass=*)", attrs, 0,
			     NULL, NULL, &tv, 1, &msgid);
	if (rc != LDAP_SUCCESS) {
		code = fail_ld(ld, uri, err, lb__err_from_ldap(rc), LB_STEP_ROOTDSE, rc,
			       "root DSE read on");
		goto done;
	}
	for (;;) {
		type = wait_on(ld, msgid, timeout_ms, &msg);
		if (type == 0) {
			(void)ldap_abandon_ext(ld, msgid, NULL, NULL);
			code = lb__fail(err, LB_E_TIMEOUT, LB_STEP_ROOTDSE, LDAP_TIMEOUT, uri,
					"root DSE read on %s: no answer within %d ms (connect timeout)",
					uri, timeout_ms);
			goto done;
		}
		if (type < 0) {
			rc = ld_errno(ld);
			code = fail_ld(ld, uri, err, LB_E_SERVER_DOWN, LB_STEP_ROOTDSE, rc,
				       "root DSE read on");
			goto done;
		}
		if (type == LDAP_RES_SEARCH_ENTRY && lb_result_count(res) == 0) {
			code = lb__result_add_msg(ld, res, msg, err);
			if (code != LB_OK)
				goto done;
		} else if (type == LDAP_RES_SEARCH_RESULT) {
			break;
		}
		ldap_msgfree(msg);
		msg = NULL;
	}
	code = dse_from_entry(lb_result_entry(res, 0), uri, out);
	if (code != LB_OK)
		lb__fail(err, code, LB_STEP_ROOTDSE, 0, uri, "out of memory");
done:
	if (msg != NULL)
		ldap_msgfree(msg);
	lb_result_free(res);
	return code;
}

/* ------------------------------------------------------------------------ */
/* Connecting one server                                                    */
/* ------------------------------------------------------------------------ */

/* Set by libldap's connect callback once TCP is up, so a failed ldaps://
 * connect can be told apart: refused/unreachable vs TLS handshake.  The
 * connect runs synchronously on the calling thread, hence thread-local. */
_Thread_local bool lb__tcp_connected;

static int on_tcp_up(LDAP *ld, Sockbuf *sb, LDAPURLDesc *srv, struct sockaddr *addr,
		     struct ldap_conncb *ctx)
{
	ber_socket_t fd = -1;

	lb__tcp_connected = true;
	/* TCP is up and the TLS handshake of ldaps:// (inside ldap_connect())
	 * comes next: make it interruptible by lb_conn_cancel(). */
	if (ctx != NULL && ctx->lc_arg != NULL && sb != NULL &&
	    ber_sockbuf_ctrl(sb, LBER_SB_OPT_GET_FD, &fd) == 1)
		fd_track(ctx->lc_arg, &((lb_conn *)ctx->lc_arg)->probe_sock, fd);
	return 0;
}

/* libldap is about to close a connection's socket: on a link error inside
 * a call (the server went away, lb_conn_cancel() or the TLS deadline shut it
 * down) as well as at our unbinds.  Forget it first, under fd_lock, so a
 * cancel or the TLS timer never touches a descriptor number libldap has
 * closed (and the process may have reused). */
static void on_tcp_down(LDAP *ld, Sockbuf *sb, struct ldap_conncb *ctx)
{
	lb_conn *conn = ctx != NULL ? ctx->lc_arg : NULL;
	ber_socket_t fd = -1;

	if (conn == NULL || sb == NULL || ber_sockbuf_ctrl(sb, LBER_SB_OPT_GET_FD, &fd) != 1 ||
	    fd < 0)
		return;
	pthread_mutex_lock(&conn->fd_lock);
	if (conn->probe_sock.fd == fd)
		conn->probe_sock.fd = -1;
	if (conn->link_sock.fd == fd)
		conn->link_sock.fd = -1;
	pthread_mutex_unlock(&conn->fd_lock);
}

static lb_err set_opt(LDAP *ld, int opt, const void *val, const char *uri,
		      lb_step step, const char *name, struct lb_error *err)
{
	int rc = ldap_set_option(ld, opt, val);

	if (rc == LDAP_OPT_SUCCESS)
		return LB_OK;
	return lb__fail(err, step == LB_STEP_TLS ? LB_E_TLS : LB_E_INTERNAL, step, rc,
			uri, "setting %s for %s failed: %s", name, uri,
			ldap_err2string(rc));
}

/* TLS options on this handle only, then a new TLS context for it: the
 * process-wide context and other handles are never touched. */
static lb_err setup_tls(lb_conn *conn, LDAP *ld, const char *uri,
			struct lb_error *err)
{
	const struct lb__cfg *c = &conn->cfg;
	static const int reqcert[] = {
		[LB_REQCERT_DEMAND] = LDAP_OPT_X_TLS_DEMAND,
		[LB_REQCERT_TRY] = LDAP_OPT_X_TLS_TRY,
		[LB_REQCERT_ALLOW] = LDAP_OPT_X_TLS_ALLOW,
		[LB_REQCERT_NEVER] = LDAP_OPT_X_TLS_NEVER,
	};
	int is_server = 0, rc;
	lb_err code;

	if (c->tls_ca_file && (code = set_opt(ld, LDAP_OPT_X_TLS_CACERTFILE, c->tls_ca_file,
					      uri, LB_STEP_TLS, "the CA file", err)))
		return code;
	if (c->tls_ca_dir && (code = set_opt(ld, LDAP_OPT_X_TLS_CACERTDIR, c->tls_ca_dir,
					     uri, LB_STEP_TLS, "the CA directory", err)))
		return code;
	if (c->tls_cert_file && (code = set_opt(ld, LDAP_OPT_X_TLS_CERTFILE, c->tls_cert_file,
						uri, LB_STEP_TLS, "the client certificate", err)))
		return code;
	if (c->tls_key_file && (code = set_opt(ld, LDAP_OPT_X_TLS_KEYFILE, c->tls_key_file,
					       uri, LB_STEP_TLS, "the client key", err)))
		return code;
	if ((code = set_opt(ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &reqcert[c->tls_reqcert], uri,
			    LB_STEP_TLS, "certificate checking", err)))
		return code;
	if (c->tls_reqcert == LB_REQCERT_ALLOW || c->tls_reqcert == LB_REQCERT_NEVER)
		lb__log(conn, LB_LOG_WARNING,
			"TLS to %s: server certificate checking is \"%s\": the server's "
			"identity is not verified", uri,
			c->tls_reqcert == LB_REQCERT_ALLOW ? "allow" : "never");
	rc = ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &is_server);
	if (rc != LDAP_OPT_SUCCESS)
		return lb__fail(err, LB_E_TLS, LB_STEP_TLS, rc, uri,
				"TLS setup for %s failed: cannot load the CA, certificate "
				"or key (CA file %s, CA dir %s, cert %s, key %s)",
				uri, c->tls_ca_file ? c->tls_ca_file : "default",
				c->tls_ca_dir ? c->tls_ca_dir : "default",
				c->tls_cert_file ? c->tls_cert_file : "none",
				c->tls_key_file ? c->tls_key_file : "none");
	return LB_OK;
}

static lb_err read_password(const lb_conn *conn, const char *uri, char *buf,
			    size_t len, struct lb_error *err)
{
	FILE *f;
	size_t n;
	int ch;

	if (conn->cfg.password != NULL) {
		if (strlen(conn->cfg.password) >= len)
			return lb__fail(err, LB_E_INVALID, LB_STEP_BIND, 0, uri,
					"configured password is too long");
		strcpy(buf, conn->cfg.password);
		return LB_OK;
	}
	/* Read at every bind so a rotated password is picked up. */
	f = fopen(conn->cfg.password_file, "re");
	if (f == NULL)
		return lb__fail(err, LB_E_INVALID, LB_STEP_BIND, 0, uri,
				"cannot read password file %s: %s",
				conn->cfg.password_file, strerror(errno));
	if (fgets(buf, (int)len, f) == NULL)
		buf[0] = '\0';
	/* A first line that does not fit would be sent cut short: refuse it
	 * (the message names the file, never its content). */
	if (strchr(buf, '\n') == NULL && (ch = getc(f)) != EOF && ch != '\n' &&
	    ch != '\r') {
		fclose(f);
		explicit_bzero(buf, len);
		return lb__fail(err, LB_E_INVALID, LB_STEP_BIND, 0, uri,
				"password file %s: the first line is longer than %zu bytes",
				conn->cfg.password_file, len - 1);
	}
	fclose(f);
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	if (n == 0)
		return lb__fail(err, LB_E_INVALID, LB_STEP_BIND, 0, uri,
				"password file %s is empty", conn->cfg.password_file);
	return LB_OK;
}

#ifdef LB_HAVE_SASL_H
/* SASL prompts: only the authorization identity is ever answered; GSSAPI
 * takes everything else from the credential cache. */
static int sasl_interact(LDAP *ld, unsigned flags, void *defaults, void *in)
{
	sasl_interact_t *it;
	const char *authzid = defaults;

	for (it = in; it != NULL && it->id != SASL_CB_LIST_END; it++) {
		if (it->id == SASL_CB_USER && authzid != NULL) {
			it->result = authzid;
			it->len = (unsigned)strlen(authzid);
		} else {
			it->result = it->defresult ? it->defresult : "";
			it->len = (unsigned)strlen(it->result);
		}
	}
	return LDAP_SUCCESS;
}
#else
static int sasl_interact(LDAP *ld, unsigned flags, void *defaults, void *in)
{
	return LDAP_SUCCESS;
}
#endif

static lb_err bind_result(LDAP *ld, const char *uri, int msgid, int timeout_ms,
			  const char *who, struct lb_error *err)
{
	LDAPMessage *msg = NULL;
	char *diag = NULL;
	int type, code = LDAP_SUCCESS, rc;
	lb_err out = LB_OK;

	type = wait_on(ld, msgid, timeout_ms, &msg);
	if (type == 0) {
		(void)ldap_abandon_ext(ld, msgid, NULL, NULL);
		out = lb__fail(err, LB_E_TIMEOUT, LB_STEP_BIND, LDAP_TIMEOUT, uri,
			       "bind as %s to %s: no answer within %d ms (connect timeout)",
			       who, uri, timeout_ms);
		goto done;
	}
	if (type < 0) {
		rc = ld_errno(ld);
		out = fail_ld(ld, uri, err, LB_E_SERVER_DOWN, LB_STEP_BIND, rc, "bind to");
		goto done;
	}
	rc = ldap_parse_result(ld, msg, &code, NULL, &diag, NULL, NULL, 0);
	if (rc != LDAP_SUCCESS) {
		out = fail_ld(ld, uri, err, LB_E_PROTOCOL, LB_STEP_BIND, rc,
			      "reading the bind answer of");
		goto done;
	}
	if (code != LDAP_SUCCESS) {
		/* AD says why in a sub-code: disabled, locked, expired... */
		const char *why = lb__ad_bind_reason(diag);

		out = lb__fail(err, lb__err_from_ldap(code), LB_STEP_BIND, code, uri,
			       "bind as %s to %s failed: %s%s%s%s%s%s", who, uri,
			       ldap_err2string(code), why ? ": " : "", why ? why : "",
			       diag && diag[0] ? " (" : "", diag && diag[0] ? diag : "",
			       diag && diag[0] ? ")" : "");
		/* "Server is unwilling" to a bind is not a control problem. */
		if (out == LB_E_UNSUPPORTED && err != NULL)
			err->code = out = LB_E_AUTH;
		else if (out == LB_E_UNSUPPORTED)
			out = LB_E_AUTH;
	}
done:
	if (diag != NULL)
		ldap_memfree(diag);
	if (msg != NULL)
		ldap_msgfree(msg);
	return out;
}

static lb_err do_bind(lb_conn *conn, LDAP *ld, const struct lb__server *srv,
		      bool encrypted, int timeout_ms, struct lb_error *err)
{
	const struct lb__cfg *c = &conn->cfg;
	char pw[PASSWORD_MAX];
	struct berval cred = { 0, NULL };
	int msgid = -1, rc;
	lb_err code = LB_OK;

	pw[0] = '\0';
	switch (c->bind_method) {
	case LB_BIND_ANONYMOUS:
		return LB_OK; /* LDAPv3: no bind needed */
	case LB_BIND_SIMPLE:
		if (!encrypted && !c->allow_insecure_password) {
			code = lb__fail(err, LB_E_INSECURE, LB_STEP_BIND, 0, srv->uri,
					"refusing to send the password of %s unencrypted to %s: "
					"use ldaps://, StartTLS or ldapi://, or allow insecure "
					"passwords explicitly", c->bind_dn, srv->uri);
			goto done;
		}
		code = read_password(conn, srv->uri, pw, sizeof(pw), err);
		if (code != LB_OK)
			goto done;
		cred.bv_val = pw;
		cred.bv_len = strlen(pw);
		rc = ldap_sasl_bind(ld, c->bind_dn, LDAP_SASL_SIMPLE, &cred, NULL, NULL, &msgid);
		if (rc != LDAP_SUCCESS) {
			code = fail_ld(ld, srv->uri, err, lb__err_from_ldap(rc), LB_STEP_BIND, rc,
				       "sending the bind to");
			goto done;
		}
		code = bind_result(ld, srv->uri, msgid, timeout_ms, c->bind_dn, err);
		break;
	case LB_BIND_SASL_EXTERNAL:
		/* Always send an initial response (empty = "the identity the link
		 * proves"); without one slapd answers saslBindInProgress. */
		cred.bv_val = c->sasl_authzid ? c->sasl_authzid : pw;
		cred.bv_len = c->sasl_authzid ? strlen(c->sasl_authzid) : 0;
		rc = ldap_sasl_bind(ld, NULL, "EXTERNAL", &cred, NULL, NULL, &msgid);
		if (rc != LDAP_SUCCESS) {
			code = fail_ld(ld, srv->uri, err, lb__err_from_ldap(rc), LB_STEP_BIND, rc,
				       "sending the SASL EXTERNAL bind to");
			goto done;
		}
		code = bind_result(ld, srv->uri, msgid, timeout_ms, "SASL EXTERNAL", err);
		if (code == LB_E_AUTH && err != NULL && err->ldap_code == LDAP_AUTH_METHOD_NOT_SUPPORTED)
			code = err->code = LB_E_AUTH_METHOD;
		break;
	case LB_BIND_SASL_GSSAPI:
		/* Synchronous: LDAP_OPT_TIMEOUT (set to the connect timeout) bounds it. */
		rc = ldap_sasl_interactive_bind_s(ld, NULL, "GSSAPI", NULL, NULL,
						  LDAP_SASL_QUIET, sasl_interact,
						  c->sasl_authzid);
		if (rc != LDAP_SUCCESS) {
			lb_err m = lb__err_from_ldap(rc);
			if (m != LB_E_TIMEOUT && !lb__is_link_error(m) && m != LB_E_AUTH)
				m = LB_E_AUTH_METHOD;
			code = fail_ld(ld, srv->uri, err, m, LB_STEP_BIND, rc,
				       "SASL GSSAPI bind to");
		}
		break;
	}
done:
	explicit_bzero(pw, sizeof(pw));
	return code;
}

/* What to check after a failed handshake (libldap gives no detail). */
static const char *tls_hint(const struct lb__cfg *c, char *buf, size_t len)
{
	snprintf(buf, len, "the server certificate is not trusted by %s%s, has "
		 "expired or is not yet valid, does not match the host name, or "
		 "the server does not speak TLS there",
		 c->tls_ca_file ? "CA file " : c->tls_ca_dir ? "CA directory " : "",
		 c->tls_ca_file ? c->tls_ca_file : c->tls_ca_dir ? c->tls_ca_dir :
		 "the default CAs (ldap.conf TLS_CACERT)");
	return buf;
}

/* ------------------------------------------------------------------------ */
/* TLS handshake deadline                                                   */
/* ------------------------------------------------------------------------ */

/*
 * libldap's network timeout does not bound a TLS handshake: against a server
 * that accepts TCP and never speaks, libldap 2.5 with GnuTLS spins inside
 * ldap_connect() (ldaps://) or ldap_start_tls_s() and never returns.  A
 * timer thread armed around those two calls shuts the handshake's socket
 * down when the connect deadline passes (as lb_conn_cancel() does): the
 * handshake's next read fails and libldap returns.
 */
struct tls_timer {
	lb_conn *conn;
	pthread_mutex_t lock;       /* guards disarmed */
	pthread_cond_t cond;        /* CLOCK_MONOTONIC */
	struct timespec deadline;
	bool disarmed;
	pthread_t thread;
};

static void *tls_timer_run(void *arg)
{
	struct tls_timer *t = arg;
	int rc = 0;

	pthread_mutex_lock(&t->lock);
	while (!t->disarmed && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&t->cond, &t->lock, &t->deadline);
	if (!t->disarmed) {
		/* Still under t->lock: once the disarm has the lock, the socket
		 * has been shut down or never will be. */
		pthread_mutex_lock(&t->conn->fd_lock);
		atomic_store(&t->conn->probe_expired, true);
		fd_slot_shutdown(&t->conn->probe_sock);
		pthread_mutex_unlock(&t->conn->fd_lock);
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

/* Start the timer: conn->probe_sock is shut down in ms milliseconds unless
 * tls_timer_disarm() comes first. */
static lb_err tls_timer_arm(struct tls_timer *t, lb_conn *conn, uint64_t ms,
			    const char *uri, struct lb_error *err)
{
	pthread_condattr_t ca;
	int rc;

	memset(t, 0, sizeof(*t));
	t->conn = conn;
	atomic_store(&conn->probe_expired, false);
	clock_gettime(CLOCK_MONOTONIC, &t->deadline);
	t->deadline.tv_sec += (time_t)(ms / 1000u);
	t->deadline.tv_nsec += (long)(ms % 1000u) * 1000000L;
	if (t->deadline.tv_nsec >= 1000000000L) {
		t->deadline.tv_sec++;
		t->deadline.tv_nsec -= 1000000000L;
	}
	if (pthread_mutex_init(&t->lock, NULL) != 0)
		return lb__fail(err, LB_E_NOMEM, LB_STEP_TLS, 0, uri,
				"cannot start the TLS handshake timer for %s", uri);
	if (pthread_condattr_init(&ca) != 0) {
		pthread_mutex_destroy(&t->lock);
		return lb__fail(err, LB_E_NOMEM, LB_STEP_TLS, 0, uri,
				"cannot start the TLS handshake timer for %s", uri);
	}
	rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (rc == 0)
		rc = pthread_cond_init(&t->cond, &ca);
	pthread_condattr_destroy(&ca);
	if (rc != 0) {
		pthread_mutex_destroy(&t->lock);
		return lb__fail(err, LB_E_NOMEM, LB_STEP_TLS, 0, uri,
				"cannot start the TLS handshake timer for %s", uri);
	}
	rc = pthread_create(&t->thread, NULL, tls_timer_run, t);
	if (rc != 0) {
		pthread_cond_destroy(&t->cond);
		pthread_mutex_destroy(&t->lock);
		return lb__fail(err, LB_E_NOMEM, LB_STEP_TLS, 0, uri,
				"cannot start the TLS handshake timer for %s: %s", uri,
				strerror(rc));
	}
	return LB_OK;
}

/* Stop and join the timer; true if the deadline passed (the socket was shut
 * down, so the handshake failed or the link is unusable). */
static bool tls_timer_disarm(struct tls_timer *t)
{
	pthread_mutex_lock(&t->lock);
	t->disarmed = true;
	pthread_cond_signal(&t->cond);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->thread, NULL);
	pthread_cond_destroy(&t->cond);
	pthread_mutex_destroy(&t->lock);
	return atomic_load(&t->conn->probe_expired);
}

/* Milliseconds left of timeout_ms since start (0: none). */
static uint64_t ms_left(const lb_conn *conn, uint64_t start, int timeout_ms)
{
	uint64_t spent = lb__now(conn) - start;

	return spent >= (uint64_t)timeout_ms ? 0 : (uint64_t)timeout_ms - spent;
}

/* A simple bind to server idx would send the password unencrypted (and
 * that is not allowed): the server is skipped before connecting. */
static bool password_in_clear(const lb_conn *conn, size_t idx)
{
	const struct lb__cfg *c = &conn->cfg;
	const struct lb__server *srv = &conn->servers[idx];

	return c->bind_method == LB_BIND_SIMPLE && !c->allow_insecure_password &&
	       !srv->ldaps && !srv->ldapi && c->tls_mode != LB_TLS_STARTTLS;
}

/* Connect, TLS, bind and read the root DSE on server idx within timeout_ms. */
static lb_err connect_one(lb_conn *conn, size_t idx, int timeout_ms, LDAP **ld_out,
			  bool *enc_out, struct lb_rootdse **dse_out,
			  struct lb_error *err)
{
	const struct lb__cfg *c = &conn->cfg;
	const struct lb__server *srv = &conn->servers[idx];
	struct timeval tv = ms_tv(timeout_ms);
	struct lb_rootdse *dse = NULL;
	LDAP *ld = NULL;
	int version = LDAP_VERSION3, deref = (int)c->deref, rc;
	bool want_tls = srv->ldaps || (c->tls_mode == LB_TLS_STARTTLS && !srv->ldapi);
	bool encrypted = srv->ldaps || srv->ldapi;
	uint64_t start = lb__now(conn);
	char buf[LB_ERROR_MSG_MAX / 2];
	struct tls_timer timer;
	bool expired = false;
	lb_err code;

	if (password_in_clear(conn, idx)) {
		/* Known before any network I/O: do not even connect. */
		code = lb__fail(err, LB_E_INSECURE, LB_STEP_BIND, 0, srv->uri,
				"refusing to send the password of %s unencrypted to %s: "
				"use ldaps://, StartTLS or ldapi://, or allow insecure "
				"passwords explicitly", c->bind_dn, srv->uri);
		goto done;
	}
	rc = ldap_initialize(&ld, srv->uri);
	if (rc != LDAP_SUCCESS || ld == NULL) {
		code = lb__fail(err, rc == LDAP_NO_MEMORY ? LB_E_NOMEM : LB_E_INVALID,
				LB_STEP_CONNECT, rc, srv->uri, "cannot use server URI %s: %s",
				srv->uri, ldap_err2string(rc));
		goto done;
	}
	if ((code = set_opt(ld, LDAP_OPT_PROTOCOL_VERSION, &version, srv->uri,
			    LB_STEP_CONNECT, "the protocol version", err)) ||
	    (code = set_opt(ld, LDAP_OPT_REFERRALS,
			    c->chase_referrals ? LDAP_OPT_ON : LDAP_OPT_OFF, srv->uri,
			    LB_STEP_CONNECT, "referral chasing", err)) ||
	    (code = set_opt(ld, LDAP_OPT_DEREF, &deref, srv->uri, LB_STEP_CONNECT,
			    "dereferencing", err)) ||
	    (code = set_opt(ld, LDAP_OPT_NETWORK_TIMEOUT, &tv, srv->uri, LB_STEP_CONNECT,
			    "the connect timeout", err)) ||
	    (code = set_opt(ld, LDAP_OPT_TIMEOUT, &tv, srv->uri, LB_STEP_CONNECT,
			    "the operation timeout", err)) ||
	    (code = set_opt(ld, LDAP_OPT_RESTART, LDAP_OPT_ON, srv->uri, LB_STEP_CONNECT,
			    "restart on EINTR", err)))
		goto done;
	if (want_tls && (code = setup_tls(conn, ld, srv->uri, err)))
		goto done;
	if ((code = set_opt(ld, LDAP_OPT_CONNECT_CB, &conn->tcp_cb, srv->uri,
			    LB_STEP_CONNECT, "the connect callback", err)))
		goto done;

	lb__tcp_connected = false;
	if (lb__cancelled(conn)) {
		code = lb__fail_cancelled(conn, err, LB_STEP_CONNECT);
		goto done;
	}
	/* A TCP connect still waiting for the server's SYN-ACK cannot be
	 * interrupted (libldap owns the socket before it is up): that wait is
	 * bounded by the connect timeout, and no later step is tried. */
	atomic_store(&conn->probe_expired, false);
	if (srv->ldaps && (code = tls_timer_arm(&timer, conn, (uint64_t)timeout_ms,
						srv->uri, err)))
		goto done;
	rc = ldap_connect(ld);
	if (srv->ldaps)
		expired = tls_timer_disarm(&timer);
	if (rc == LDAP_SUCCESS)
		fd_track_ld(conn, &conn->probe_sock, ld);
	if ((rc != LDAP_SUCCESS || expired) && lb__cancelled(conn)) {
		code = lb__fail_cancelled(conn, err, LB_STEP_CONNECT);
		goto done;
	}
	if (rc != LDAP_SUCCESS || expired) {
		uint64_t spent = lb__now(conn) - start;
		char *diag = ld_diag(ld);
		bool tls_fail = srv->ldaps && lb__tcp_connected;

		if (expired || spent >= (uint64_t)timeout_ms || rc == LDAP_TIMEOUT)
			code = lb__fail(err, LB_E_TIMEOUT, tls_fail ? LB_STEP_TLS : LB_STEP_CONNECT,
					rc, srv->uri, "%s %s: no answer within %d ms (connect timeout)",
					tls_fail ? "TLS handshake with" : "connect to",
					srv->uri, timeout_ms);
		else if (tls_fail)
			code = lb__fail(err, LB_E_TLS, LB_STEP_TLS, rc, srv->uri,
					"TLS handshake with %s failed: %s: %s", srv->uri,
					ldap_err2string(rc), tls_hint(c, buf, sizeof(buf)));
		else
			code = lb__fail(err, LB_E_CONNECT, LB_STEP_CONNECT, rc, srv->uri,
					"connect to %s failed: %s%s%s%s", srv->uri,
					ldap_err2string(rc), diag && diag[0] ? " (" : "",
					diag && diag[0] ? diag : "", diag && diag[0] ? ")" : "");
		if (diag != NULL)
			ldap_memfree(diag);
		goto done;
	}
	if (want_tls && !srv->ldaps) {
		uint64_t left = ms_left(conn, start, timeout_ms);

		if (left == 0) {
			code = lb__fail(err, LB_E_TIMEOUT, LB_STEP_TLS, LDAP_TIMEOUT, srv->uri,
					"StartTLS with %s: no answer within %d ms (connect timeout)",
					srv->uri, timeout_ms);
			goto done;
		}
		if ((code = tls_timer_arm(&timer, conn, left, srv->uri, err)))
			goto done;
		rc = ldap_start_tls_s(ld, NULL, NULL);
		expired = tls_timer_disarm(&timer);
		if ((rc != LDAP_SUCCESS || expired) && lb__cancelled(conn)) {
			code = lb__fail_cancelled(conn, err, LB_STEP_TLS);
			goto done;
		}
		if (rc != LDAP_SUCCESS || expired) {
			uint64_t spent = lb__now(conn) - start;
			char *diag = ld_diag(ld);

			if (expired || rc == LDAP_TIMEOUT || spent >= (uint64_t)timeout_ms)
				code = lb__fail(err, LB_E_TIMEOUT, LB_STEP_TLS, rc, srv->uri,
						"StartTLS with %s: no answer within %d ms (connect timeout)",
						srv->uri, timeout_ms);
			else if (rc == LDAP_PROTOCOL_ERROR || rc == LDAP_UNAVAILABLE ||
				 rc == LDAP_UNWILLING_TO_PERFORM)
				code = lb__fail(err, LB_E_TLS, LB_STEP_TLS, rc, srv->uri,
						"StartTLS with %s refused by the server: %s",
						srv->uri, ldap_err2string(rc));
			else
				code = lb__fail(err, LB_E_TLS, LB_STEP_TLS, rc, srv->uri,
						"StartTLS with %s failed: %s: %s", srv->uri,
						ldap_err2string(rc), tls_hint(c, buf, sizeof(buf)));
			if (diag != NULL)
				ldap_memfree(diag);
			goto done;
		}
		encrypted = true;
	}
	if (lb__cancelled(conn)) {
		code = lb__fail_cancelled(conn, err, LB_STEP_BIND);
		goto done;
	}
	code = do_bind(conn, ld, srv, encrypted, timeout_ms, err);
	if (code != LB_OK && lb__cancelled(conn))
		code = lb__fail_cancelled(conn, err, LB_STEP_BIND);
	if (code != LB_OK)
		goto done;
	if (lb__cancelled(conn)) {
		code = lb__fail_cancelled(conn, err, LB_STEP_ROOTDSE);
		goto done;
	}
	code = probe_rootdse(ld, srv->uri, timeout_ms, &dse, err);
	if (code != LB_OK && lb__cancelled(conn))
		code = lb__fail_cancelled(conn, err, LB_STEP_ROOTDSE);
	if (code != LB_OK)
		goto done;

	/* Operations from now on: the operation timeout. */
	tv = ms_tv(c->op_timeout_ms);
	if ((code = set_opt(ld, LDAP_OPT_TIMEOUT, &tv, srv->uri, LB_STEP_CONNECT,
			    "the operation timeout", err)))
		goto done;
	*ld_out = ld;
	*enc_out = encrypted;
	*dse_out = dse;
	ld = NULL;
	dse = NULL;
done:
	if (ld != NULL) {
		fd_untrack(conn, &conn->probe_sock);
		ldap_unbind_ext(ld, NULL, NULL);
	}
	lb_rootdse_free(dse);
	return code;
}

/* ------------------------------------------------------------------------ */
/* Failover                                                                 */
/* ------------------------------------------------------------------------ */

static void mark_failed(lb_conn *conn, size_t idx, const char *why)
{
	struct lb__server *s = &conn->servers[idx];
	int cap = conn->cfg.backoff_max_s, b;

	/* Clamp before doubling: 2 * backoff must not overflow. */
	if (s->backoff_s == 0)
		b = conn->cfg.backoff_s;
	else if (s->backoff_s >= cap / 2)
		b = cap;
	else
		b = s->backoff_s * 2;
	if (b > cap)
		b = cap;
	s->backoff_s = b;
	s->retry_at = lb__now(conn) + (uint64_t)b * 1000u;
	lb__log(conn, LB_LOG_WARNING, "%s; skipping %s for %d s", why, s->uri, b);
}

static void install(lb_conn *conn, size_t idx, LDAP *ld, bool enc,
		    struct lb_rootdse *dse)
{
	if (conn->ld != NULL) {
		fd_untrack(conn, &conn->link_sock);
		ldap_unbind_ext(conn->ld, NULL, NULL);
	}
	/* The socket connect_one() tracked now belongs to the link. */
	pthread_mutex_lock(&conn->fd_lock);
	conn->link_sock = conn->probe_sock;
	conn->probe_sock.fd = -1;
	pthread_mutex_unlock(&conn->fd_lock);
	lb_rootdse_free(conn->dse);
	conn->ld = ld;
	conn->cur = idx;
	conn->encrypted = enc;
	conn->dse = dse;
	conn->generation++;
	conn->servers[idx].backoff_s = 0;
	conn->servers[idx].retry_at = 0;
	lb__log(conn, LB_LOG_INFO, "connected to %s", conn->servers[idx].uri);
}

void lb__drop_link(lb_conn *conn, const struct lb_error *why)
{
	if (conn->ld == NULL)
		return;
	/* A cancelled call's failure says nothing about the server. */
	if (why != NULL && !lb__cancelled(conn))
		mark_failed(conn, conn->cur, why->message[0] ? why->message : "connection lost");
	fd_untrack(conn, &conn->link_sock);
	ldap_unbind_ext(conn->ld, NULL, NULL);
	conn->ld = NULL;
	lb_rootdse_free(conn->dse);
	conn->dse = NULL;
	conn->encrypted = false;
}

void lb__retry_note(struct lb__retry *r, const struct lb_error *err)
{
	r->noted = err != NULL && err->message[0] != '\0';
	if (r->noted)
		memcpy(r->first, err->message, sizeof(r->first));
}

void lb__retry_explain(const struct lb__retry *r, struct lb_error *err)
{
	static const char joint[] = "; that was the retry after: ";
	size_t used, room, take;

	if (!r->noted || err == NULL || err->code == LB_E_CANCELLED)
		return;
	used = strnlen(err->message, sizeof(err->message) - 1);
	if (used + sizeof(joint) >= sizeof(err->message))
		return;
	memcpy(err->message + used, joint, sizeof(joint));
	used += sizeof(joint) - 1;
	room = sizeof(err->message) - 1 - used;
	take = strnlen(r->first, sizeof(r->first) - 1);
	if (take > room) {
		take = room;
		while (take > 0 && ((unsigned char)r->first[take] & 0xC0) == 0x80)
			take--;         /* never cut a UTF-8 sequence */
	}
	memcpy(err->message + used, r->first, take);
	err->message[used + take] = '\0';
}

/* Errors after which trying the next server cannot help. */
static bool stop_failover(lb_err code)
{
	return code == LB_E_AUTH || code == LB_E_NOMEM || code == LB_E_INVALID;
}

lb_err lb__establish(lb_conn *conn, struct lb_error *err)
{
	uint64_t now = lb__now(conn), deadline;
	bool any_eligible = false, tried = false;
	size_t i;
	lb_err code = LB_E_CONNECT;

	/* Every public call establishes first: this is where calls queued
	 * behind a cancelled one (and all later ones) stop. */
	if (lb__cancelled(conn))
		return lb__fail_cancelled(conn, err, LB_STEP_CONNECT);
	if (conn->ld != NULL) {
		/* On a fallback server: move back to a preferred one whose backoff
		 * has run out, keeping the current link if it still fails.  A
		 * working link exists, so the probes share a budget of half the
		 * operation timeout (lb.h) instead of a connect timeout each. */
		deadline = now + (uint64_t)conn->cfg.op_timeout_ms / 2;
		for (i = 0; i < conn->cur; i++) {
			struct lb_error tmp;
			struct lb_rootdse *dse = NULL;
			LDAP *ld = NULL;
			bool enc = false;
			int attempt = conn->cfg.connect_timeout_ms;

			if (conn->servers[i].retry_at > now || password_in_clear(conn, i))
				continue;
			if (now >= deadline || lb__cancelled(conn))
				break; /* the rest waits for the next operation */
			if ((uint64_t)attempt > deadline - now)
				attempt = (int)(deadline - now);
			lb_error_clear(&tmp);
			if (connect_one(conn, i, attempt, &ld, &enc, &dse, &tmp) == LB_OK) {
				install(conn, i, ld, enc, dse);
				break;
			}
			if (lb__cancelled(conn))
				break;
			mark_failed(conn, i, tmp.message);
			now = lb__now(conn);
		}
		if (lb__cancelled(conn))
			return lb__fail_cancelled(conn, err, LB_STEP_CONNECT);
		return LB_OK;
	}

	deadline = now + (uint64_t)conn->cfg.op_timeout_ms;
	for (i = 0; i < conn->n_servers; i++)
		if (conn->servers[i].retry_at <= now)
			any_eligible = true;
	for (i = 0; i < conn->n_servers; i++) {
		struct lb_rootdse *dse = NULL;
		LDAP *ld = NULL;
		bool enc = false;
		uint64_t t = lb__now(conn);
		int attempt;

		/* All backed off: try them all anyway rather than fail unseen. */
		if (any_eligible && conn->servers[i].retry_at > now)
			continue;
		if (lb__cancelled(conn)) { /* between failover attempts */
			code = lb__fail_cancelled(conn, err, LB_STEP_CONNECT);
			break;
		}
		if (t >= deadline) {
			if (!tried)
				code = lb__fail(err, LB_E_TIMEOUT, LB_STEP_CONNECT, LDAP_TIMEOUT,
						conn->servers[i].uri,
						"no server could be tried within %d ms (operation timeout)",
						conn->cfg.op_timeout_ms);
			else if (err != NULL) {
				size_t l = strlen(err->message);
				snprintf(err->message + l, sizeof(err->message) - l,
					 "; operation timeout (%d ms) reached before trying %s",
					 conn->cfg.op_timeout_ms, conn->servers[i].uri);
			}
			break;
		}
		attempt = conn->cfg.connect_timeout_ms;
		if ((uint64_t)attempt > deadline - t)
			attempt = (int)(deadline - t);
		tried = true;
		if (err != NULL)
			lb_error_clear(err);
		code = connect_one(conn, i, attempt, &ld, &enc, &dse, err);
		if (code == LB_OK) {
			install(conn, i, ld, enc, dse);
			return LB_OK;
		}
		if (stop_failover(code) || code == LB_E_CANCELLED)
			break;
		if (code != LB_E_INSECURE)
			mark_failed(conn, i, err ? err->message : "connection failed");
	}
	return code;
}

/* ------------------------------------------------------------------------ */
/* Public                                                                   */
/* ------------------------------------------------------------------------ */

lb_err lb_conn_open(const struct lb_config *cfg, lb_conn **out, struct lb_error *err)
{
	lb_conn *conn = NULL;
	lb_err code;

	lb_error_clear(err);
	if (out != NULL)
		*out = NULL;
	if (cfg == NULL || out == NULL)
		return lb__fail(err, LB_E_INVALID, LB_STEP_CONFIG, 0, NULL,
				"lb_conn_open: configuration and output must not be NULL");
	conn = calloc(1, sizeof(*conn));
	if (conn == NULL)
		return lb__fail(err, LB_E_NOMEM, LB_STEP_CONFIG, 0, NULL, "out of memory");
	code = lb__cfg_copy(cfg, &conn->cfg, &conn->servers, &conn->n_servers, err);
	if (code != LB_OK)
		goto done;
	if (pthread_mutex_init(&conn->lock, NULL) != 0) {
		code = lb__fail(err, LB_E_INTERNAL, LB_STEP_CONFIG, 0, NULL,
				"cannot create the connection mutex");
		lb__cfg_free(&conn->cfg, conn->servers, conn->n_servers);
		goto done;
	}
	if (pthread_mutex_init(&conn->fd_lock, NULL) != 0) {
		code = lb__fail(err, LB_E_INTERNAL, LB_STEP_CONFIG, 0, NULL,
				"cannot create the connection's socket mutex");
		pthread_mutex_destroy(&conn->lock);
		lb__cfg_free(&conn->cfg, conn->servers, conn->n_servers);
		goto done;
	}
	atomic_init(&conn->cancelled, false);
	atomic_init(&conn->probe_expired, false);
	conn->link_sock.fd = -1;
	conn->probe_sock.fd = -1;
	conn->tcp_cb.lc_add = on_tcp_up;
	conn->tcp_cb.lc_del = on_tcp_down;
	conn->tcp_cb.lc_arg = conn;
	*out = conn;
	conn = NULL;
done:
	free(conn);
	return code;
}

void lb_conn_close(lb_conn *conn)
{
	struct lb__guard guard;

	if (conn == NULL)
		return;
	lb__enter(conn, &guard); /* the unbind writes to a maybe dead server */
	lb__drop_link(conn, NULL);
	lb__leave(conn, &guard);
	lb__cfg_free(&conn->cfg, conn->servers, conn->n_servers);
	pthread_mutex_destroy(&conn->fd_lock);
	pthread_mutex_destroy(&conn->lock);
	free(conn);
}

lb_err lb_conn_check(lb_conn *conn, struct lb_error *err)
{
	struct lb__guard guard;
	struct lb__retry retry = { 0 };
	struct lb_rootdse *dse = NULL;
	lb_err code = LB_E_INVALID;
	int attempt;

	lb_error_clear(err);
	if (conn == NULL)
		return lb__fail(err, LB_E_INVALID, LB_STEP_NONE, 0, NULL,
				"lb_conn_check: connection is NULL");
	lb__enter(conn, &guard);
	for (attempt = 0; attempt < 2; attempt++) {
		bool fresh = conn->ld == NULL;

		code = lb__establish(conn, err);
		if (code != LB_OK) {
			lb__retry_explain(&retry, err);
			break;
		}
		if (fresh)
			break; /* establishing already read the root DSE */
		code = probe_rootdse(conn->ld, lb__cur_uri(conn), conn->cfg.op_timeout_ms,
				     &dse, err);
		if (code != LB_OK && lb__cancelled(conn)) {
			code = lb__fail_cancelled(conn, err, LB_STEP_ROOTDSE);
			break;
		}
		if (code == LB_OK) {
			lb_rootdse_free(conn->dse);
			conn->dse = dse;
			dse = NULL;
			break;
		}
		if (!lb__is_link_error(code))
			break;
		lb__retry_note(&retry, err);
		lb__drop_link(conn, err ? err : &lb__link_lost);
	}
	lb__leave(conn, &guard);
	return code;
}

void lb_conn_server(lb_conn *conn, char *buf, size_t len)
{
	struct lb__guard guard;
	if (buf == NULL || len == 0)
		return;
	buf[0] = '\0';
	if (conn == NULL)
		return;
	lb__enter(conn, &guard);
	snprintf(buf, len, "%s", lb__cur_uri(conn));
	lb__leave(conn, &guard);
}

lb_err lb_conn_rootdse(lb_conn *conn, struct lb_rootdse **out, struct lb_error *err)
{
	struct lb__guard guard;
	lb_err code;

	lb_error_clear(err);
	if (out != NULL)
		*out = NULL;
	if (conn == NULL || out == NULL)
		return lb__fail(err, LB_E_INVALID, LB_STEP_NONE, 0, NULL,
				"lb_conn_rootdse: connection and output must not be NULL");
	lb__enter(conn, &guard);
	code = lb__establish(conn, err);
	if (code == LB_OK) {
		code = dse_copy(conn->dse, out);
		if (code != LB_OK)
			lb__fail(err, code, LB_STEP_ROOTDSE, 0, lb__cur_uri(conn), "out of memory");
	}
	lb__leave(conn, &guard);
	return code;
}
