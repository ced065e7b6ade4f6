/*
 * lb_internal.h - ldapbridge internals shared between its .c files.
 * Not installed, not included outside ldapbridge/.
 */
#ifndef LDAPBRIDGE_LB_INTERNAL_H
#define LDAPBRIDGE_LB_INTERNAL_H

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <sys/types.h>

#include <ldap.h>

#include "ldapbridge/lb.h"

#define LB__RULE_ATTRS_MAX 16

/* A socket lb_conn_cancel() may shut down (see struct lb_conn). */
struct lb__sock {
	int fd;
	dev_t dev;
	ino_t ino;
};

/* One configured server and its failure history. */
struct lb__server {
	char *uri;
	bool ldaps;          /* TLS from the first byte */
	bool ldapi;          /* local socket: counts as protected */
	uint64_t retry_at;   /* monotonic ms before which it is skipped */
	int backoff_s;       /* current backoff, 0 = no recent failure */
	/* Sort attributes this server refused without a named ordering rule
	 * (sssvlv error 18): later sort requests name 2.5.13.3 for them at
	 * once instead of paying the refused round trip again. */
	char *rule_attrs[LB__RULE_ATTRS_MAX];
	size_t n_rule_attrs;
};

/* Deep copy of struct lb_config (strings owned). */
struct lb__cfg {
	char *base;
	enum lb_tls_mode tls_mode;
	char *tls_ca_file, *tls_ca_dir, *tls_cert_file, *tls_key_file;
	enum lb_tls_reqcert tls_reqcert;
	enum lb_bind_method bind_method;
	char *bind_dn;
	char *password;      /* wiped before free */
	char *password_file;
	char *sasl_authzid;
	bool allow_insecure_password;
	int connect_timeout_ms, op_timeout_ms, time_limit_s, size_limit, page_size;
	bool chase_referrals;
	enum lb_deref deref;
	int backoff_s, backoff_max_s, busy_retries;
	lb_clock_fn now;
	void *now_ctx;
	lb_log_fn log;
	void *log_ctx;
};

struct lb_conn {
	pthread_mutex_t lock;
	struct lb__cfg cfg;
	struct lb__server *servers;
	size_t n_servers;

	LDAP *ld;            /* NULL when not connected */
	size_t cur;          /* index of the server ld talks to */
	bool encrypted;      /* ldaps, StartTLS or ldapi */
	unsigned generation; /* bumped on every new link (VLV contexts die with it) */
	struct lb_rootdse *dse; /* root DSE of the current link, or NULL */

	/* lb_conn_cancel() (lb.h): set once, never cleared; read without lock. */
	atomic_bool cancelled;
	/* fd_lock guards the two sockets below and nothing else; it is held
	 * only for an fstat/shutdown, never across libldap I/O, so that
	 * lb_conn_cancel() never waits for a call in progress.  They are
	 * libldap's descriptors (borrowed: libldap closes them) of conn->ld
	 * and of a handle being connected in connect_one(); shutdown() on them
	 * wakes libldap's poll on that socket.  Forgotten before every unbind
	 * of ours; the recorded inode guards against a number that libldap
	 * closed on its own and the process reused.  fd -1: none. */
	pthread_mutex_t fd_lock;
	struct lb__sock link_sock, probe_sock;
	/* The TLS handshake deadline of the connect in progress passed (set
	 * by its timer under fd_lock): probe_sock is shut down, also when it
	 * is tracked only afterwards.  Cleared before each connect. */
	atomic_bool probe_expired;
	/* libldap's connect callback, lc_arg = this connection. */
	struct ldap_conncb tcp_cb;
};

struct lb_entry {
	char *dn;
	size_t n_attrs, cap_attrs;
	struct lb_attr *attrs;  /* names and value arrays malloc'd by us */
	/* true: dn, attrs, names, value arrays and values all live in the
	 * allocation of the entry itself (read from a message in one pass);
	 * such an entry cannot grow: lb__entry_dup() gives a separate copy. */
	bool packed;
	/* packed entries only: some attribute name carries an option (';'),
	 * so it may be an AD ranged attribute to follow */
	bool has_options;
};

struct lb_result {
	size_t n, cap;
	struct lb_entry **entries;
	enum lb_partial partial;
	bool sorted;
};

/* error.c */
lb_err lb__err_from_ldap(int rc);
lb_err lb__fail(struct lb_error *err, lb_err code, lb_step step, int ldap_code,
		const char *server, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* ad_diag.c: Active Directory's diagnostic texts. */
/* operationsError "000004DC"/"00002020": the server wants a bind first. */
bool lb__ad_needs_bind(int code, const char *diag);
/* Record that (LB_E_AUTH at the search step), saying what to configure. */
lb_err lb__fail_needs_bind(struct lb_error *err, const char *uri, int code,
			   const char *diag);
/* What a bind's "data <hex>" sub-code means (disabled, locked, expired...),
 * or NULL. */
const char *lb__ad_bind_reason(const char *diag);

/* config.c */
lb_err lb__cfg_copy(const struct lb_config *in, struct lb__cfg *out,
		    struct lb__server **servers, size_t *n_servers,
		    struct lb_error *err) LB_WUR;
void lb__cfg_free(struct lb__cfg *cfg, struct lb__server *servers, size_t n);

/* conn.c: every public call on a connection runs between these: they take
 * and release conn->lock and, where there is SIGPIPE, keep a write to a
 * server that went away from raising it (blocked in the calling thread for
 * the call, one it caused is discarded; the process disposition is never
 * changed: we are a library). */
struct lb__guard {
	bool sigpipe_blocked;  /* we blocked it (it was not blocked before) */
	bool sigpipe_pending;  /* one was pending already: not ours to eat */
};
void lb__enter(lb_conn *conn, struct lb__guard *g);
void lb__leave(lb_conn *conn, struct lb__guard *g);

/* conn.c (all with conn->lock held) */
uint64_t lb__now(const lb_conn *conn);
void lb__log(const lb_conn *conn, enum lb_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
lb_err lb__establish(lb_conn *conn, struct lb_error *err) LB_WUR;
/* Close the link; why != NULL: the server failed (backoff, logged with why). */
void lb__drop_link(lb_conn *conn, const struct lb_error *why);
extern const struct lb_error lb__link_lost;
/* A call retried once on a new link after its link failed (lost, hung: the
 * operation timeout): lb__retry_note() keeps what ended the first attempt;
 * if reconnecting then fails too, lb__retry_explain() adds it to the
 * reconnect's message, so the caller reads both causes, not only the
 * second (a connect timeout hiding the operation timeout that led to it). */
struct lb__retry {
	bool noted;
	char first[LB_ERROR_MSG_MAX];
};
void lb__retry_note(struct lb__retry *r, const struct lb_error *err);
void lb__retry_explain(const struct lb__retry *r, struct lb_error *err);
const char *lb__cur_uri(const lb_conn *conn);
bool lb__is_link_error(lb_err code);
/* Wait for one answer to msgid (or LDAP_RES_ANY) within op timeout; on
 * timeout or link loss abandons msgid and fills err.  *msg set on LB_OK. */
lb_err lb__wait(lb_conn *conn, int msgid, lb_step step, LDAPMessage **msg,
		struct lb_error *err) LB_WUR;
/* Describe the handle's last error (result code + diagnostic message). */
lb_err lb__fail_ld(lb_conn *conn, struct lb_error *err, lb_step step, int rc,
		   const char *what);
void lb__sleep_ms(int ms);

/* conn.c: lb_conn_cancel() was called (any thread, no lock needed). */
bool lb__cancelled(const lb_conn *conn);
/* Fill err for a call stopped by lb_conn_cancel(); returns LB_E_CANCELLED. */
lb_err lb__fail_cancelled(const lb_conn *conn, struct lb_error *err, lb_step step);

/* conn.c: set by the TCP-up callback (tests set it from their fakes) */
extern _Thread_local bool lb__tcp_connected;

/* result.c */
lb_result *lb__result_new(void);
lb_err lb__result_add_msg(LDAP *ld, lb_result *res, LDAPMessage *msg,
			  struct lb_error *err) LB_WUR;
lb_err lb__result_append(lb_result *dst, lb_result *src) LB_WUR;
/* Most values one ranged attribute is followed to (see lb.h). */
#define LB__RANGE_MAX_VALUES 1000000
lb_err lb__follow_ranges(lb_conn *conn, lb_result *res, struct lb_error *err) LB_WUR;
/* Entry callback of lb__collect(). */
typedef lb_err (*lb__entry_fn)(lb_conn *conn, LDAPMessage *entry, void *ctx,
			       struct lb_error *err);
/*
 * Read the answers to msgid up to its SEARCH_RESULT, which *done receives
 * (caller frees with ldap_msgfree).  Each entry goes to on_entry(ctx) when
 * given, else into res (res NULL: dropped); continuation references are
 * skipped (chasing is the server's business).  Waits as lb__wait().  On
 * failure *done is NULL and the messages read so far are freed.
 */
lb_err lb__collect(lb_conn *conn, int msgid, lb_result *res, lb__entry_fn on_entry,
		   void *ctx, LDAPMessage **done, struct lb_error *err) LB_WUR;
void lb__entry_free(struct lb_entry *e);
struct lb_entry *lb__entry_dup(const struct lb_entry *e);
lb_err lb__result_push(lb_result *res, struct lb_entry *e) LB_WUR;

/* search.c */
struct lb__req {
	const char *base;
	int scope;
	const char *filter;
	char **attrs;          /* borrowed, NULL-terminated or NULL */
	int size_limit;        /* resolved: 0 = none */
	int time_limit_s;      /* resolved: 0 = none */
	LDAPControl **ctrls;   /* borrowed, NULL-terminated or NULL */
};
lb_err lb__send(lb_conn *conn, const struct lb__req *rq, int *msgid,
		struct lb_error *err) LB_WUR;
/* Parse a SEARCH_RESULT: code, diagnostic (caller frees with ldap_memfree)
 * and controls (ldap_controls_free). */
lb_err lb__parse_done(lb_conn *conn, LDAPMessage *msg, int *code, char **diag,
		      LDAPControl ***ctrls, struct lb_error *err) LB_WUR;
lb_err lb__search_locked(lb_conn *conn, const struct lb_search_params *p,
			 lb_result **out, struct lb_error *err) LB_WUR;
const char *lb__scope_name(int scope);
/* libldap sort keys for keys; a key without an ordering rule gets 2.5.13.3
 * when default_rule is set or the current server is known to need it. */
LDAPSortKey **lb__sort_keys(const lb_conn *conn, const struct lb_sort_key *keys,
			    size_t n, bool default_rule);
/* Some key has no ordering rule and is not yet known to need one. */
bool lb__keys_lack_rule(const lb_conn *conn, const struct lb_sort_key *keys, size_t n);
/* The current server refused keys without a rule (error 18): remember. */
void lb__remember_rule(lb_conn *conn, const struct lb_sort_key *keys, size_t n);
void lb__sort_keys_free(LDAPSortKey **keys);
const char *lb__base(lb_conn *conn, const char *base);

/* VLV draft (draft-ietf-ldapext-ldapv3-vlv) result codes libldap does not name. */
#define LB__SORT_CONTROL_MISSING 60
#define LB__OFFSET_RANGE_ERROR 61

#define LB__ORDERING_RULE "2.5.13.3" /* caseIgnoreOrderingMatch */

#endif
