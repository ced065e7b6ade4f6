/*
 * cmd_doctor.c - what a person needs when lookups fail: the configuration in
 * effect (passwords masked), each server tried on its own (connect, TLS,
 * bind, root DSE: naming contexts, paging, sorting, VLV) with timings, then a
 * sample lookup through the address book with its time.
 *
 * The per-server checks use ldapbridge directly, with the same settings the
 * provider gets, one server at a time (the provider itself fails over and
 * would hide which server is broken).  The sample lookup goes through the
 * provider like every other command.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldapbridge/lb.h>

#include "cli.h"
#include "doctor_tls.h"
#include "osdep.h"

static long num(const struct cli_conf *c, enum cli_key k, long def)
{
	return c->set[k].value ? strtol(c->set[k].value, NULL, 10) : def;
}

static void fill_lb(const struct cli_conf *c, const char *uri, struct lb_config *lb)
{
	const char *m = c->set[K_BIND_METHOD].value;

	lb_config_init(lb);
	lb->uris = uri;
	lb->base = c->set[K_BASE].value;
	lb->tls_mode = c->set[K_TLS_MODE].value && !strcasecmp(c->set[K_TLS_MODE].value, "starttls")
	             ? LB_TLS_STARTTLS : LB_TLS_NONE;
	lb->tls_ca_file = c->set[K_CA_FILE].value;
	lb->tls_ca_dir = c->set[K_CA_DIR].value;
	lb->tls_cert_file = c->set[K_CERT_FILE].value;
	lb->tls_key_file = c->set[K_KEY_FILE].value;
	if (c->set[K_REQCERT].value && !strcasecmp(c->set[K_REQCERT].value, "allow"))
		lb->tls_reqcert = LB_REQCERT_ALLOW;
	else if (c->set[K_REQCERT].value && !strcasecmp(c->set[K_REQCERT].value, "never"))
		lb->tls_reqcert = LB_REQCERT_NEVER;
	if (m ? !strcasecmp(m, "simple") : c->set[K_BIND_DN].value != NULL) {
		lb->bind_method = LB_BIND_SIMPLE;
		lb->bind_dn = c->set[K_BIND_DN].value;
		lb->password = c->set[K_PASSWORD].value;
		lb->password_file = c->set[K_PASSWORD_FILE].value;
	} else if (m && !strcasecmp(m, "external")) {
		lb->bind_method = LB_BIND_SASL_EXTERNAL;
	} else if (m && !strcasecmp(m, "gssapi")) {
		lb->bind_method = LB_BIND_SASL_GSSAPI;
	}
	lb->allow_insecure_password = c->set[K_ALLOW_INSECURE].value &&
		strchr("yYtT1oO", c->set[K_ALLOW_INSECURE].value[0]) &&
		strcasecmp(c->set[K_ALLOW_INSECURE].value, "off") != 0;
	lb->connect_timeout_ms = (int)num(c, K_CONNECT_TIMEOUT, 6) * 1000;
	lb->op_timeout_ms = (int)num(c, K_OP_TIMEOUT, 8) * 1000;
	lb->time_limit_s = (int)num(c, K_TIME_LIMIT, 60);
	lb->size_limit = (int)num(c, K_SIZE_LIMIT, 100);
}

static void show_config(FILE *f, const struct cli_conf *c)
{
	fprintf(f, "configuration: %s\n", c->path ? c->path : "(no file; ldap.conf only)");
	if (c->ldapconf_path)
		fprintf(f, "ldap.conf:     %s\n", c->ldapconf_path);
	for (int k = 0; k < K_COUNT; k++) {
		const struct cli_setting *s = &c->set[k];

		if (!s->value)
			continue;
		fprintf(f, "  %-26s %s", cli_key_name(k), k == K_PASSWORD ? "********" : s->value);
		if (s->file && s->line)
			fprintf(f, "   (%s:%d)", s->file, s->line);
		fputc('\n', f);
	}
	for (size_t i = 0; i < c->n_attrmap; i++)
		fprintf(f, "  %-26s %s\n", "attributes", c->attrmap[i].value);
	for (size_t i = 0; i < c->n_containers; i++)
		fprintf(f, "  %-26s %s\n", "containers", c->containers[i].value);
}

/* Host and port of an ldap:// or ldaps:// URI ("[v6]" brackets dropped, the
 * scheme's port when none is given); false for any other URI. */
static bool uri_host_port(const char *uri, char *host, size_t hlen, char *port, size_t plen)
{
	const char *h, *end, *colon;
	bool ldaps = strncasecmp(uri, "ldaps://", 8) == 0;

	if (!ldaps && strncasecmp(uri, "ldap://", 7) != 0)
		return false;
	h = uri + (ldaps ? 8 : 7);
	end = h + strcspn(h, "/?");
	if (*h == '[') {
		const char *close = memchr(h, ']', (size_t)(end - h));

		if (!close)
			return false;
		colon = close[1] == ':' ? close + 1 : NULL;
		h++;
		snprintf(host, hlen, "%.*s", (int)(close - h), h);
	} else {
		colon = memchr(h, ':', (size_t)(end - h));
		snprintf(host, hlen, "%.*s", (int)((colon ? colon : end) - h), h);
	}
	if (colon && colon + 1 < end)
		snprintf(port, plen, "%.*s", (int)(end - colon - 1), colon + 1);
	else
		snprintf(port, plen, "%s", ldaps ? "636" : "389");
	return host[0] != '\0';
}

/* The TCP connect alone, timed (ldap:// and ldaps:// URIs); 0 when it worked. */
static int check_tcp(FILE *f, const char *uri, int timeout_s)
{
	char host[256], port[16];
	double ms;
	int rc;

	if (!uri_host_port(uri, host, sizeof(host), port, sizeof(port)))
		return 0;       /* ldapi:// and the like: nothing to time here */
	rc = osdep_tcp_probe(host, port, timeout_s, &ms);
	if (rc < 0)
		fprintf(f, "  %-16s FAILED: cannot resolve %s\n", "connect:", host);
	else if (rc == 0)
		fprintf(f, "  %-16s TCP to %s port %s in %.1f ms\n", "connect:", host, port, ms);
	else
		fprintf(f, "  %-16s FAILED after %.0f ms: nothing answers on %s port %s\n",
		        "connect:", ms, host, port);
	return rc != 0;
}

/* One server on its own: 0 when everything worked. */
static int check_server(FILE *f, const struct cli_conf *c, const char *uri)
{
	struct lb_config lb;
	struct lb_error err;
	struct lb_rootdse *dse = NULL;
	lb_conn *conn = NULL;
	double t0, t1;
	lb_err rc;
	int bad = 0;

	fprintf(f, "\nserver %s\n", uri);
	fill_lb(c, uri, &lb);
	if (check_tcp(f, uri, (int)num(c, K_CONNECT_TIMEOUT, 6)))
		return 1;
	if (!strncasecmp(uri, "ldaps://", 8) || (lb.tls_mode == LB_TLS_STARTTLS &&
	                                         !strncasecmp(uri, "ldap://", 7)))
		bad |= doctor_tls_report(f, c, uri, strncasecmp(uri, "ldaps://", 8) != 0);
	lb_error_clear(&err);
	rc = lb_conn_open(&lb, &conn, &err);
	if (rc != LB_OK) {
		fprintf(f, "  settings:        FAILED: %s\n", err.message[0] ? err.message : lb_err_name(rc));
		return 1;
	}
	t0 = osdep_now_ms();
	rc = lb_conn_check(conn, &err);
	t1 = osdep_now_ms();
	if (rc != LB_OK) {
		fprintf(f, "  %-16s FAILED after %.0f ms: %s\n", lb_step_name(err.step), t1 - t0,
		        err.message[0] ? err.message : lb_err_name(rc));
		if (err.step == LB_STEP_TLS)
			fprintf(f, "  hint:            check tls.ca_file (the CA that signed the "
			        "server's certificate) and that the URI names the certificate's host\n");
		if (rc == LB_E_TIMEOUT)
			fprintf(f, "  hint:            limits.connect_timeout (%ld s) fired\n",
			        num(c, K_CONNECT_TIMEOUT, 6));
		bad = 1;
		goto done;
	}
	fprintf(f, "  connect+TLS+bind ok in %.1f ms (%s)\n", t1 - t0,
	        lb.bind_method == LB_BIND_SIMPLE ? "simple bind"
	        : lb.bind_method == LB_BIND_ANONYMOUS ? "anonymous" : "SASL");
	t0 = osdep_now_ms();
	rc = lb_conn_rootdse(conn, &dse, &err);
	t1 = osdep_now_ms();
	if (rc != LB_OK) {
		fprintf(f, "  root DSE:        FAILED: %s\n", err.message);
		bad = 1;
		goto done;
	}
	fprintf(f, "  root DSE:        %s%s%s (%.1f ms)\n",
	        dse->vendor_name ? dse->vendor_name : "vendor not given",
	        dse->vendor_version ? " " : "", dse->vendor_version ? dse->vendor_version : "",
	        t1 - t0);
	for (size_t i = 0; i < dse->n_naming_contexts; i++)
		fprintf(f, "  naming context:  %s\n", dse->naming_contexts[i]);
	fprintf(f, "  paged results:   %s\n", dse->controls & LB_CTRL_PAGED ? "yes" : "no");
	fprintf(f, "  server sort:     %s\n", dse->controls & LB_CTRL_SORT ? "yes" : "no");
	fprintf(f, "  VLV:             %s%s\n", dse->controls & LB_CTRL_VLV ? "yes" : "no",
	        (dse->controls & LB_CTRL_VLV) ? "" : " (directory.browse = vlv cannot work)");
	fprintf(f, "  schema:          %s\n", dse->is_active_directory ? "Active Directory"
	                                                               : "inetOrgPerson");
done:
	lb_rootdse_free(dse);
	lb_conn_close(conn);
	return bad;
}

int cmd_doctor(struct cli_ctx *c)
{
	FILE *f = c->out.f;
	struct cli_book b;
	char *uris, *save = NULL;
	int bad = 0, rc;
	double t0, t1;

	if (c->argc) {
		cli_errorf("doctor takes no arguments");
		return EXIT_USAGE;
	}
	fprintf(f, "ldapab %s\n", cli_version());
	show_config(f, &c->conf);
	uris = strdup(c->conf.set[K_URI].value);
	if (!uris)
		return EXIT_SOFTWARE;
	for (char *u = strtok_r(uris, " ,\t", &save); u; u = strtok_r(NULL, " ,\t", &save))
		bad |= check_server(f, &c->conf, u);
	free(uris);

	fprintf(f, "\naddress book (the provider through ServiceEntry and Logon)\n");
	fflush(f);
	t0 = osdep_now_ms();
	rc = cli_book_open(&c->conf, &b);
	t1 = osdep_now_ms();
	if (rc) {
		fprintf(f, "  load+configure+logon FAILED (exit %d, message above)\n", rc);
		cli_book_close(&b);
		return rc;
	}
	fprintf(f, "  load+configure+logon ok in %.1f ms: module %.1f ms, ServiceEntry %.1f ms, "
	        "Logon %.1f ms\n", t1 - t0, b.ms_load, b.ms_configure, b.ms_logon);
	{
		LPSRowSet rows = NULL;
		int trunc = 0;

		t0 = osdep_now_ms();
		rc = cli_candidates(&b, "a", 5, &rows, &trunc);
		t1 = osdep_now_ms();
		if (rc == 0)
			fprintf(f, "  sample lookup (PR_ANR \"a\", first 5): %u entr%s in %.1f ms "
			        "(bind and root DSE on first use, hierarchy, contents, restriction, "
			        "rows)\n", (unsigned)rows->cRows, rows->cRows == 1 ? "y" : "ies", t1 - t0);
		else
			fprintf(f, "  sample lookup FAILED after %.1f ms (exit %d, message above)\n",
			        t1 - t0, rc);
		host_FreeProws(rows);
	}
	cli_book_close(&b);
	if (rc)
		return rc;
	if (bad) {
		cli_errorf("a server failed its checks (see above)");
		return EXIT_UNAVAILABLE;
	}
	fprintf(f, "\nall checks passed\n");
	return 0;
}
