/*
 * wl_error.c - the error record filled in, and wldap32's result codes
 * mapped to lb_err (the names: errnames.c).  wldap32 returns ULONG codes;
 * its client-side errors are positive (LDAP_SERVER_DOWN 0x51 ...
 * LDAP_REFERRAL_LIMIT_EXCEEDED 0x61), where libldap's are negative.
 */
#include <stdio.h>
#include <string.h>

#include "wl_internal.h"

lb_err wl_fail(struct lb_error *err, lb_err code, lb_step step, int ldap_code,
	       const char *server, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	err->code = code;
	err->step = step;
	err->ldap_code = ldap_code;
	snprintf(err->server, sizeof(err->server), "%s", server ? server : "");
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return code;
}

lb_err wl_fail_cancelled(struct lb_error *err, lb_step step, const char *server)
{
	return wl_fail(err, LB_E_CANCELLED, step, 0, server,
		       "%s cancelled: the connection is being shut down "
		       "(lb_conn_cancel; e.g. the address book is logging off)",
		       lb_step_name(step));
}

bool wl_link_error(ULONG rc)
{
	return rc == LDAP_SERVER_DOWN || rc == LDAP_UNAVAILABLE || rc == LDAP_CONNECT_ERROR ||
	       rc == LDAP_TIMEOUT || rc == LDAP_LOCAL_ERROR;
}

lb_err wl_err_from_ldap(ULONG rc)
{
	switch (rc) {
	case LDAP_SUCCESS:
		return LB_OK;
	case LDAP_SERVER_DOWN:
	case LDAP_UNAVAILABLE:
	case LDAP_LOCAL_ERROR:
		return LB_E_SERVER_DOWN;
	case LDAP_CONNECT_ERROR:
		return LB_E_CONNECT;
	case LDAP_TIMEOUT:
		return LB_E_TIMEOUT;
	case LDAP_NO_MEMORY:
		return LB_E_NOMEM;
	case LDAP_PARAM_ERROR:
	case LDAP_INVALID_DN_SYNTAX:
	case LDAP_UNDEFINED_TYPE:
	case LDAP_INVALID_SYNTAX:
	case LDAP_NAMING_VIOLATION:
		return LB_E_INVALID;
	case LDAP_FILTER_ERROR:
	case LDAP_INAPPROPRIATE_MATCHING:
		return LB_E_FILTER;
	case LDAP_AUTH_UNKNOWN:
	case LDAP_AUTH_METHOD_NOT_SUPPORTED:
		return LB_E_AUTH_METHOD;
	case LDAP_STRONG_AUTH_REQUIRED:
	case LDAP_CONFIDENTIALITY_REQUIRED:
		return LB_E_INSECURE;
	case LDAP_INAPPROPRIATE_AUTH:
	case LDAP_INVALID_CREDENTIALS:
		return LB_E_AUTH;
	case LDAP_INSUFFICIENT_RIGHTS:
		return LB_E_ACCESS;
	case LDAP_NO_SUCH_OBJECT:
	case LDAP_NO_SUCH_ATTRIBUTE:
	case LDAP_REFERRAL:
		return LB_E_NOT_FOUND;
	case LDAP_SIZELIMIT_EXCEEDED:
	case LDAP_ADMIN_LIMIT_EXCEEDED:
		return LB_E_SIZELIMIT;
	case LDAP_TIMELIMIT_EXCEEDED:
		return LB_E_TIMELIMIT;
	case LDAP_BUSY:
		return LB_E_BUSY;
	case LDAP_UNAVAILABLE_CRIT_EXTENSION:
	case LDAP_UNWILLING_TO_PERFORM:
	case LDAP_NOT_SUPPORTED:
		return LB_E_UNSUPPORTED;
	case LDAP_PROTOCOL_ERROR:
	case LDAP_ENCODING_ERROR:
	case LDAP_DECODING_ERROR:
	case LDAP_CONTROL_NOT_FOUND:
		return LB_E_PROTOCOL;
	case LDAP_USER_CANCELLED:
		return LB_E_CANCELLED;
	default:
		return LB_E_INTERNAL;
	}
}
