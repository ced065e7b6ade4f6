/*
 * ad_diag.c - what Active Directory's diagnostic messages mean.
 *
 * AD (and Samba's AD DC) put the real reason of a failure in the
 * diagnostic text: a Win32 error in hex at the start ("000004DC: ...",
 * "00002020: ...") and, for binds, a sub-code after "data " ("... data
 * 533, v1db1").  ldapbridge turns the ones a person can act on into words.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lb_internal.h"

/* The Win32 error at the start of an AD diagnostic ("000004DC: ..."), or -1. */
static long leading_code(const char *diag)
{
	char *end;
	long v;

	if (diag == NULL || !isxdigit((unsigned char)diag[0]))
		return -1;
	v = strtol(diag, &end, 16);
	if (end - diag != 8 || *end != ':')
		return -1;
	return v;
}

bool lb__ad_needs_bind(int code, const char *diag)
{
	long w = leading_code(diag);

	/* operationsError with ERROR_DS_OPERATIONS_ERROR's bind variant:
	 * Windows AD says 000004DC ("a successful bind must be completed"),
	 * Samba 00002020 ("Operation unavailable without authentication"). */
	return code == LDAP_OPERATIONS_ERROR && (w == 0x4DC || w == 0x2020);
}

lb_err lb__fail_needs_bind(struct lb_error *err, const char *uri, int code,
			   const char *diag)
{
	return lb__fail(err, LB_E_AUTH, LB_STEP_SEARCH, code, uri,
			"%s does not answer anonymous searches (%s): this directory needs "
			"a bind; configure a bind name and password, or Kerberos (GSSAPI)",
			uri, diag);
}

const char *lb__ad_bind_reason(const char *diag)
{
	static const struct {
		long code;
		const char *why;
	} reasons[] = {
		{ 0x525, "the account does not exist: check the bind name (user@domain, "
			 "DOMAIN\\user or a full DN)" },
		{ 0x52e, "wrong password, or no such account" },
		{ 0x530, "the account may not log on at this time of day" },
		{ 0x531, "the account may not log on from this computer" },
		{ 0x532, "the password has expired: set a new one" },
		{ 0x533, "the account is disabled: ask the directory's administrator to "
			 "enable it" },
		{ 0x701, "the account has expired: ask the directory's administrator" },
		{ 0x773, "the password must be changed before the first logon" },
		{ 0x775, "the account is locked out: wait or ask the directory's "
			 "administrator to unlock it" },
	};
	const char *p;
	char *end;
	long v;

	if (diag == NULL || (p = strstr(diag, ", data ")) == NULL)
		return NULL;
	p += strlen(", data ");
	v = strtol(p, &end, 16);
	if (end == p || (*end != ',' && *end != '\0'))
		return NULL;
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].code == v)
			return reasons[i].why;
	return NULL;
}
