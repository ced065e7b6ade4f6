/*
 * lb_err.h - ldapbridge error codes and the error record.
 *
 * Every fallible ldapbridge function returns an lb_err and, when the caller
 * passes a non-NULL struct lb_error, fills it with what a person needs to act
 * on the failure: which server, which step, which limit, what the server said.
 * The record is caller-owned storage (no allocation), so it is safe to use
 * from several threads at once and cannot itself fail.  Passwords never
 * appear in it.
 *
 * The provider maps lb_err to MAPI_E_* in exactly one table.
 */
#ifndef LDAPBRIDGE_LB_ERR_H
#define LDAPBRIDGE_LB_ERR_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum lb_err {
	LB_OK = 0,
	LB_E_INVALID,        /* bad argument or configuration (caller's fault) */
	LB_E_NOMEM,          /* out of memory */
	LB_E_CONNECT,        /* no server could be reached (refused, unreachable, DNS) */
	LB_E_TIMEOUT,        /* a connect or operation timeout fired */
	LB_E_TLS,            /* TLS negotiation or certificate verification failed */
	LB_E_AUTH,           /* bind rejected: invalid credentials, account locked;
			      * or (step SEARCH) the server answers only after a
			      * bind, as AD does for anonymous searches */
	LB_E_INSECURE,       /* refused to send a password over an unencrypted link */
	LB_E_AUTH_METHOD,    /* SASL mechanism unavailable or failed */
	LB_E_NOT_FOUND,      /* base object or entry does not exist */
	LB_E_ACCESS,         /* insufficient access rights */
	/* Limits: lb_search()/lb_search_batch() never return these (a limit
	 * gives a partial result, empty or not); kept for the other calls
	 * (a VLV window cut by a server limit) and for stable values. */
	LB_E_SIZELIMIT,      /* size or admin limit, no partial result possible */
	LB_E_TIMELIMIT,      /* time limit, no partial result possible */
	LB_E_BUSY,           /* server busy / unwilling, after retries */
	LB_E_UNSUPPORTED,    /* control or feature not supported by the server */
	LB_E_FILTER,         /* filter could not be built or was rejected by the server */
	LB_E_PROTOCOL,       /* malformed answer from the server */
	LB_E_SERVER_DOWN,    /* connection lost and could not be re-established */
	LB_E_CLOSED,         /* the connection object was closed by lb_conn_close() */
	LB_E_CANCELLED,      /* operation abandoned by the caller */
	LB_E_INTERNAL,       /* anything else; the message says what */
	LB_E__COUNT
} lb_err;

/* Which step of an operation failed (for messages and for the provider). */
typedef enum lb_step {
	LB_STEP_NONE = 0,
	LB_STEP_CONFIG,
	LB_STEP_CONNECT,
	LB_STEP_TLS,
	LB_STEP_BIND,
	LB_STEP_ROOTDSE,
	LB_STEP_SEARCH,
	LB_STEP_RESULT
} lb_step;

#define LB_ERROR_MSG_MAX 512
#define LB_ERROR_URI_MAX 256

struct lb_error {
	lb_err code;                  /* same value the function returned */
	lb_step step;                 /* where it failed */
	int ldap_code;                /* LDAP result code, or 0 */
	char server[LB_ERROR_URI_MAX];/* URI of the server involved, or "" */
	char message[LB_ERROR_MSG_MAX];/* one sentence a person can act on, UTF-8 */
};

/* Short stable name of a code, e.g. "LB_E_TIMEOUT". Never NULL. */
const char *lb_err_name(lb_err code);

/* What a step is called in messages, e.g. "connect", "root DSE read".
 * Never NULL. */
const char *lb_step_name(lb_step step);

/* Reset a record to LB_OK with empty strings. NULL is accepted. */
void lb_error_clear(struct lb_error *err);

#ifdef __cplusplus
}
#endif
#endif /* LDAPBRIDGE_LB_ERR_H */
