/*
 * doctor_tls_win32.c - the certificate part of "ldapab doctor" on Windows.
 *
 * There ldapab speaks TLS through Windows' own LDAP client, and Windows
 * checks the server's certificate against its certificate store while
 * connecting (tls.ca_file and tls.ca_dir do not apply).  The report says so;
 * a refused certificate shows as the failing TLS step of the connect check
 * that follows, with Windows' reason.
 */
#include "doctor_tls.h"

int doctor_tls_report(FILE *f, const struct cli_conf *c, const char *uri, bool starttls)
{
	(void)uri;
	fprintf(f, "  %-16s checked by Windows against its certificate store while connecting"
	        "%s%s\n", "certificate:", starttls ? " (StartTLS)" : "",
	        c->set[K_CA_FILE].value || c->set[K_CA_DIR].value
	        ? "; tls.ca_file and tls.ca_dir do not apply on Windows: import the CA into "
	          "Windows' trusted root store (certutil -addstore Root ca.cer, as an administrator)" : "");
	return 0;
}
