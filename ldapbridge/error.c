/*
 * error.c - the one table mapping libldap's result codes to lb_err (the
 * names and the record itself are backend-neutral: errnames.c).
 */
#include <stdio.h>
#include <string.h>

#include "lb_internal.h"

/*
 * The one mapping from LDAP result codes (server codes >= 0, libldap's
 * client-side codes < 0) to lb_err.  Codes that mean "the link is gone" map
 * to LB_E_SERVER_DOWN / LB_E_CONNECT so the caller fails over.
 */
lb_err lb__err_from_ldap(int rc)
{
	switch (rc) {
	case LDAP_SUCCESS:
	case LDAP_COMPARE_FALSE:
	case LDAP_COMPARE_TRUE:
		return LB_OK;
	case LDAP_SERVER_DOWN:
	case LDAP_UNAVAILABLE:           /* 52: server shutting down */
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
	case LDAP_SASL_BIND_IN_PROGRESS:
		return LB_E_AUTH_METHOD;
	case LDAP_STRONG_AUTH_REQUIRED:  /* e.g. AD refusing a clear simple bind */
	case LDAP_CONFIDENTIALITY_REQUIRED:
		return LB_E_INSECURE;
	case LDAP_INAPPROPRIATE_AUTH:
	case LDAP_INVALID_CREDENTIALS:
	case LDAP_X_PROXY_AUTHZ_FAILURE:
		return LB_E_AUTH;
	case LDAP_INSUFFICIENT_ACCESS:
		return LB_E_ACCESS;
	case LDAP_NO_SUCH_OBJECT:
	case LDAP_NO_SUCH_ATTRIBUTE:
	case LDAP_REFERRAL:              /* base outside this server; chasing is off */
		return LB_E_NOT_FOUND;
	case LDAP_SIZELIMIT_EXCEEDED:
	case LDAP_ADMINLIMIT_EXCEEDED:
		return LB_E_SIZELIMIT;
	case LDAP_TIMELIMIT_EXCEEDED:
		return LB_E_TIMELIMIT;
	case LDAP_BUSY:
		return LB_E_BUSY;
	case LDAP_UNAVAILABLE_CRITICAL_EXTENSION:
	case LDAP_UNWILLING_TO_PERFORM:
	case LDAP_NOT_SUPPORTED:
	case LB__SORT_CONTROL_MISSING:
	case LDAP_VLV_ERROR:
		return LB_E_UNSUPPORTED;
	case LB__OFFSET_RANGE_ERROR:     /* 61: VLV offset out of range */
		return LB_E_INVALID;
	case LDAP_PROTOCOL_ERROR:
	case LDAP_ENCODING_ERROR:
	case LDAP_DECODING_ERROR:
	case LDAP_CONTROL_NOT_FOUND:
	case LDAP_MORE_RESULTS_TO_RETURN:
	case LDAP_LOOP_DETECT:
	case LDAP_NO_RESULTS_RETURNED:
		return LB_E_PROTOCOL;
	case LDAP_USER_CANCELLED:
	case LDAP_CANCELLED:
		return LB_E_CANCELLED;
	default:
		return LB_E_INTERNAL;
	}
}

lb_err lb__fail(struct lb_error *err, lb_err code, lb_step step, int ldap_code,
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
