/*
 * errnames.c - lb_err and lb_step names and clearing the error record:
 * the part of ldapbridge's error handling that no LDAP client library
 * enters into, shared by the libldap and the wldap32 backends.
 */
#include <ldapbridge/lb.h>

static const char *const err_names[LB_E__COUNT] = {
	[LB_OK] = "LB_OK",
	[LB_E_INVALID] = "LB_E_INVALID",
	[LB_E_NOMEM] = "LB_E_NOMEM",
	[LB_E_CONNECT] = "LB_E_CONNECT",
	[LB_E_TIMEOUT] = "LB_E_TIMEOUT",
	[LB_E_TLS] = "LB_E_TLS",
	[LB_E_AUTH] = "LB_E_AUTH",
	[LB_E_INSECURE] = "LB_E_INSECURE",
	[LB_E_AUTH_METHOD] = "LB_E_AUTH_METHOD",
	[LB_E_NOT_FOUND] = "LB_E_NOT_FOUND",
	[LB_E_ACCESS] = "LB_E_ACCESS",
	[LB_E_SIZELIMIT] = "LB_E_SIZELIMIT",
	[LB_E_TIMELIMIT] = "LB_E_TIMELIMIT",
	[LB_E_BUSY] = "LB_E_BUSY",
	[LB_E_UNSUPPORTED] = "LB_E_UNSUPPORTED",
	[LB_E_FILTER] = "LB_E_FILTER",
	[LB_E_PROTOCOL] = "LB_E_PROTOCOL",
	[LB_E_SERVER_DOWN] = "LB_E_SERVER_DOWN",
	[LB_E_CLOSED] = "LB_E_CLOSED",
	[LB_E_CANCELLED] = "LB_E_CANCELLED",
	[LB_E_INTERNAL] = "LB_E_INTERNAL",
};

const char *lb_err_name(lb_err code)
{
	if ((unsigned)code >= LB_E__COUNT || err_names[code] == NULL)
		return "LB_E_UNKNOWN";
	return err_names[code];
}

void lb_error_clear(struct lb_error *err)
{
	if (err == NULL)
		return;
	err->code = LB_OK;
	err->step = LB_STEP_NONE;
	err->ldap_code = 0;
	err->server[0] = '\0';
	err->message[0] = '\0';
}

const char *lb_step_name(lb_step step)
{
	switch (step) {
	case LB_STEP_CONFIG: return "configuration";
	case LB_STEP_CONNECT: return "connect";
	case LB_STEP_TLS: return "TLS";
	case LB_STEP_BIND: return "bind";
	case LB_STEP_ROOTDSE: return "root DSE read";
	case LB_STEP_SEARCH: return "search";
	case LB_STEP_RESULT: return "result";
	case LB_STEP_NONE: break;
	}
	return "operation";
}
