/*
 * doctor_tls.c - what "ldapab doctor" says about a server's certificate: the
 * certificate the server presents (fetched with libldap, checking switched
 * off so that a bad one can still be shown), its subject and issuer, its
 * validity and days left, whether it names the host of the URI, and whether
 * the configured CAs (tls.ca_file / tls.ca_dir, else the system's) vouch for
 * it, with GnuTLS's reason when they do not.
 *
 * libldap hands out only the server's own certificate, not the chain it
 * sent: a server certificate signed by an intermediate CA that is not in the
 * configured file is reported as not trusted even when the server sends the
 * intermediate (the provider itself verifies the whole chain).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <ldap.h>

#include "cli.h"
#include "doctor_tls.h"

/* The server's certificate (DER, malloc'd) over ldaps:// or StartTLS. */
static int fetch_cert(const char *uri, bool starttls, int timeout_s, unsigned char **der,
                      size_t *len, char *why, size_t whylen)
{
	LDAP *ld = NULL;
	struct berval cert = { 0, NULL };
	struct timeval tv = { timeout_s, 0 };
	int v3 = LDAP_VERSION3, never = LDAP_OPT_X_TLS_NEVER, zero = 0, rc;
	LDAPMessage *res = NULL;
	char *attrs[] = { "1.1", NULL };

	*der = NULL;
	*len = 0;
	rc = ldap_initialize(&ld, uri);
	if (rc != LDAP_SUCCESS) {
		snprintf(why, whylen, "%s", ldap_err2string(rc));
		return -1;
	}
	ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &v3);
	ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &tv);
	ldap_set_option(ld, LDAP_OPT_TIMEOUT, &tv);
	ldap_set_option(ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &never);
	ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &zero);
	if (starttls)
		rc = ldap_start_tls_s(ld, NULL, NULL);
	else
		rc = ldap_search_ext_s(ld, "", LDAP_SCOPE_BASE, "(objectClass=*)", attrs, 0, NULL,
		                       NULL, &tv, 1, &res);
	ldap_msgfree(res);
	if (rc != LDAP_SUCCESS && rc != LDAP_INSUFFICIENT_ACCESS &&
	    rc != LDAP_STRONG_AUTH_REQUIRED && rc != LDAP_OPERATIONS_ERROR) {
		snprintf(why, whylen, "%s", ldap_err2string(rc));
		ldap_unbind_ext_s(ld, NULL, NULL);
		return -1;
	}
	if (ldap_get_option(ld, LDAP_OPT_X_TLS_PEERCERT, &cert) != LDAP_OPT_SUCCESS ||
	    !cert.bv_val || !cert.bv_len) {
		snprintf(why, whylen, "the server presented no certificate");
		ldap_unbind_ext_s(ld, NULL, NULL);
		return -1;
	}
	*der = malloc(cert.bv_len);
	if (*der) {
		memcpy(*der, cert.bv_val, cert.bv_len);
		*len = cert.bv_len;
	}
	ber_memfree(cert.bv_val);
	ldap_unbind_ext_s(ld, NULL, NULL);
	return *der ? 0 : -1;
}

static void print_dn(FILE *f, const char *label, int (*get)(gnutls_x509_crt_t, gnutls_datum_t *,
                                                            unsigned), gnutls_x509_crt_t crt)
{
	gnutls_datum_t dn = { NULL, 0 };

	if (get(crt, &dn, 0) == 0) {
		fprintf(f, "  %-16s %.*s\n", label, (int)dn.size, (const char *)dn.data);
		gnutls_free(dn.data);
	}
}

int doctor_tls_report(FILE *f, const struct cli_conf *c, const char *uri, bool starttls)
{
	LDAPURLDesc *lud = NULL;
	unsigned char *der = NULL;
	size_t len = 0;
	char why[256] = "";
	gnutls_x509_crt_t crt = NULL;
	gnutls_x509_trust_list_t tl = NULL;
	gnutls_datum_t d;
	unsigned status = 0;
	int bad = 0, timeout = c->set[K_CONNECT_TIMEOUT].value
		? atoi(c->set[K_CONNECT_TIMEOUT].value) : 6;
	time_t now = time(NULL), until, from;

	if (fetch_cert(uri, starttls, timeout, &der, &len, why, sizeof(why)) != 0) {
		fprintf(f, "  %-16s FAILED: no certificate to show (%s)\n", "certificate:", why);
		return 1;
	}
	if (gnutls_x509_crt_init(&crt) < 0)
		goto fail;
	d.data = der;
	d.size = (unsigned)len;
	if (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) < 0) {
		fprintf(f, "  %-16s FAILED: the server's certificate does not parse\n",
		        "certificate:");
		bad = 1;
		goto done;
	}
	print_dn(f, "subject:", gnutls_x509_crt_get_dn3, crt);
	print_dn(f, "issuer:", gnutls_x509_crt_get_issuer_dn3, crt);
	from = gnutls_x509_crt_get_activation_time(crt);
	until = gnutls_x509_crt_get_expiration_time(crt);
	{
		char a[32], b[32];
		struct tm tm;

		strftime(a, sizeof(a), "%Y-%m-%d", gmtime_r(&from, &tm));
		strftime(b, sizeof(b), "%Y-%m-%d", gmtime_r(&until, &tm));
		if (now < from) {
			fprintf(f, "  %-16s FAILED: not valid before %s\n", "validity:", a);
			bad = 1;
		} else if (now > until) {
			fprintf(f, "  %-16s FAILED: expired on %s\n", "validity:", b);
			bad = 1;
		} else {
			fprintf(f, "  %-16s %s to %s (%ld days left)\n", "validity:", a, b,
			        (long)((until - now) / 86400));
		}
	}
	if (ldap_url_parse(uri, &lud) == LDAP_URL_SUCCESS && lud->lud_host && *lud->lud_host) {
		if (gnutls_x509_crt_check_hostname(crt, lud->lud_host)) {
			fprintf(f, "  %-16s the certificate names %s\n", "host name:", lud->lud_host);
		} else {
			fprintf(f, "  %-16s FAILED: the certificate does not name %s; use a URI with "
			        "a name it lists\n", "host name:", lud->lud_host);
			bad = 1;
		}
	}
	if (gnutls_x509_trust_list_init(&tl, 0) < 0)
		goto fail;
	{
		const char *cafile = c->set[K_CA_FILE].value, *cadir = c->set[K_CA_DIR].value;
		int n = 0;

		if (cafile)
			n += gnutls_x509_trust_list_add_trust_file(tl, cafile, NULL,
			                                            GNUTLS_X509_FMT_PEM, 0, 0);
		if (cadir)
			n += gnutls_x509_trust_list_add_trust_dir(tl, cadir, NULL,
			                                           GNUTLS_X509_FMT_PEM, 0, 0);
		if (!cafile && !cadir)
			n += gnutls_x509_trust_list_add_system_trust(tl, 0, 0);
		if (gnutls_x509_trust_list_verify_crt(tl, &crt, 1, 0, &status, NULL) < 0)
			status = GNUTLS_CERT_INVALID;
		if (status == 0) {
			fprintf(f, "  %-16s trusted by %s\n", "chain:",
			        cafile ? cafile : cadir ? cadir : "the system's CAs");
		} else {
			gnutls_datum_t out = { NULL, 0 };

			gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &out, 0);
			fprintf(f, "  %-16s FAILED: not trusted by %s (%d CA certificate%s): %.*s; set "
			        "tls.ca_file to the CA that signed it\n", "chain:",
			        cafile ? cafile : cadir ? cadir : "the system's CAs", n < 0 ? 0 : n,
			        n == 1 ? "" : "s", (int)out.size, out.data ? (char *)out.data : "");
			gnutls_free(out.data);
			bad = 1;
		}
	}
	goto done;
fail:
	fprintf(f, "  %-16s FAILED: out of memory\n", "certificate:");
	bad = 1;
done:
	if (tl)
		gnutls_x509_trust_list_deinit(tl, 1);
	if (crt)
		gnutls_x509_crt_deinit(crt);
	if (lud)
		ldap_free_urldesc(lud);
	free(der);
	return bad;
}
