/* doctor_tls.h - the certificate part of "ldapab doctor" (doctor_tls.c). */
#ifndef LDAPAB_CLI_DOCTOR_TLS_H
#define LDAPAB_CLI_DOCTOR_TLS_H

#include <stdbool.h>
#include <stdio.h>

#include "cli.h"

/* Prints the certificate report of uri (ldaps://, or ldap:// with StartTLS);
 * 0 when every check passed, 1 otherwise. */
int doctor_tls_report(FILE *f, const struct cli_conf *c, const char *uri, bool starttls);

#endif
