/*
 * lb.h - ldapbridge: the directory client the address book provider uses.
 *
 * ldapbridge is the only code in ldapab that talks to libldap.  It speaks
 * plain C: UTF-8 strings, binary-safe byte strings, lb_err codes with a
 * human message (lb_err.h), and filter/DN/escaping helpers (lb_filter.h).
 *
 * Overview
 *   1. Fill a struct lb_config (lb_config_init() first, then override).
 *   2. lb_conn_open() validates and copies the configuration.  It does not
 *      touch the network: the first operation connects (lazily), and
 *      lb_conn_check() connects and binds on demand.
 *   3. lb_search() returns every entry of a search as one lb_result (paged
 *      when the server offers paging); lb_search_batch() sends N searches
 *      before collecting any answer; lb_vlv_*() browse a sorted list by
 *      windows (VLV, draft-ietf-ldapext-ldapv3-vlv, over RFC 2891
 *      server-side sort), keeping the server's context between windows.
 *   4. Results are plain data owned by the caller: one lb_result_free().
 *
 * Connection behaviour
 *   - Timeouts: connecting to one server (TCP, TLS handshake, StartTLS, bind,
 *     root DSE read) is bounded by connect_timeout_ms; trying the servers in
 *     turn is bounded by one deadline of op_timeout_ms per operation (a
 *     server gets min(connect timeout, time left)); once connected, every
 *     wait for an answer (each entry, page or result) is bounded by
 *     op_timeout_ms, so a long paged read is fine while the server talks.
 *     time_limit_s / size_limit are sent to the server.
 *   - Servers are tried in configuration order.  A server that
 *     failed is skipped for backoff_s seconds, doubling on every further
 *     failure up to backoff_max_s; if every server is backed off they are all
 *     tried anyway, in order.  When a more preferred server's backoff has
 *     expired, the next operation tries it first and moves back to it; as
 *     the current link still works, these probes share a budget of
 *     op_timeout_ms / 2 per operation (each gets min(connect timeout, what
 *     is left of it); servers not reached wait for the next operation).
 *   - A connection that drops (or times out) mid-operation is re-established
 *     (reconnect + re-bind, next server in order) and the read is retried
 *     once.  Every read ldapbridge issues is idempotent.
 *   - TLS options are set on each handle followed by LDAP_OPT_X_TLS_NEWCTX,
 *     never process-wide.  Settings we leave unset fall back to libldap's
 *     ldap.conf(5) defaults (URI, BASE, TLS_CACERT).
 *   - A simple bind with a password over an unencrypted link (not ldaps://,
 *     no StartTLS, not ldapi://) is refused with LB_E_INSECURE unless
 *     allow_insecure_password is set; such a server is skipped before any
 *     network I/O (not even a TCP connect) and is not backed off.
 *   - Referral chasing is off by default (continuation references are
 *     skipped: on Active Directory chasing them means DNS lookups of other
 *     partitions).
 *
 * Threads
 *   One lb_conn may be used from several threads at once.  Each lb_conn has
 *   one mutex; every function taking an lb_conn (or an lb_vlv, which belongs
 *   to one lb_conn) holds that mutex for the whole call, including reconnects,
 *   every page of a paged search and every answer of a batch.  Calls on one
 *   connection are therefore serialised; use one lb_conn per thread (or per
 *   logon) for parallelism.  lb_conn_close() and lb_vlv_close() must not race
 *   with other calls on the same object (the caller ensures no other thread
 *   is using it, e.g. by reference counting).  lb_result, lb_entry and
 *   lb_rootdse are immutable once returned and independent of the connection:
 *   they may be read from any thread and outlive the lb_conn.
 *   No function uses global mutable state; the libldap handle is never shared.
 *   lb_conn_cancel() is the exception: it may be called from any thread at
 *   any time and never waits for the mutex.
 *   SIGPIPE: a write to a server that went away (a killed slapd on ldapi://)
 *   would raise SIGPIPE, whose default kills the process.  Every call on an
 *   lb_conn blocks SIGPIPE in the calling thread for its duration and
 *   discards one it raised; the process's signal disposition is untouched
 *   and a SIGPIPE pending before the call is left alone.
 *
 * Errors
 *   Every fallible function returns an lb_err and, if err is non-NULL, fills
 *   it (server URI, step, LDAP code, one-sentence message naming the timeout
 *   or limit that fired).  err may be NULL.  Outputs are written only on
 *   LB_OK (except where noted); on failure *out is set to NULL.  Passwords
 *   never appear in messages or logs.
 */
#ifndef LDAPBRIDGE_LB_H
#define LDAPBRIDGE_LB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lb_err.h"
#if defined(__has_include)
#if __has_include("lb_filter.h")
#include "lb_filter.h"
#endif
#else
#include "lb_filter.h"
#endif

#ifdef __cplusplus
extern "C" {
#endif

#ifndef LB_WUR
#if defined(__GNUC__)
#define LB_WUR __attribute__((warn_unused_result))
#else
#define LB_WUR
#endif
#endif

/* ------------------------------------------------------------------------ */
/* Configuration                                                            */
/* ------------------------------------------------------------------------ */

enum lb_tls_mode {
	LB_TLS_NONE = 0,     /* no StartTLS; ldaps:// URIs still use TLS */
	LB_TLS_STARTTLS      /* StartTLS on ldap:// URIs (not ldapi://), failure is an error */
};

/* Peer certificate checking (TLS_REQCERT).  ALLOW and NEVER are logged as a
 * warning when a connection is made. */
enum lb_tls_reqcert {
	LB_REQCERT_DEMAND = 0, /* default: valid certificate with matching name */
	LB_REQCERT_TRY,        /* bad certificate is fatal, none is accepted */
	LB_REQCERT_ALLOW,      /* bad or no certificate accepted (warning) */
	LB_REQCERT_NEVER       /* no check at all (warning) */
};

enum lb_bind_method {
	LB_BIND_ANONYMOUS = 0,
	LB_BIND_SIMPLE,        /* bind_dn + password or password_file */
	LB_BIND_SASL_EXTERNAL, /* ldapi:// peer credentials or TLS client cert */
	LB_BIND_SASL_GSSAPI    /* the caller's Kerberos credential cache */
};

enum lb_deref {
	LB_DEREF_NEVER = 0,
	LB_DEREF_SEARCHING,
	LB_DEREF_FINDING,
	LB_DEREF_ALWAYS
};

enum lb_log_level { LB_LOG_DEBUG = 0, LB_LOG_INFO, LB_LOG_WARNING, LB_LOG_ERROR };

/* Monotonic clock in milliseconds (tests inject one).  NULL: CLOCK_MONOTONIC. */
typedef uint64_t (*lb_clock_fn)(void *ctx);
/* Log sink; msg is UTF-8, never contains a password.  Called with the
 * connection mutex held: must not call back into ldapbridge. */
typedef void (*lb_log_fn)(void *ctx, enum lb_log_level level, const char *msg);

/*
 * Caller-filled configuration.  All strings are borrowed for the duration of
 * lb_conn_open() only: lb_conn_open() copies what it keeps.  NULL strings
 * mean "not configured" (libldap's ldap.conf defaults apply where they exist).
 */
struct lb_config {
	/* Server URIs in preference order, separated by spaces and/or commas
	 * ("ldaps://dc1 ldap://dc2:389 ldapi://%2Frun%2Fslapd.sock").
	 * NULL or "": libldap's URI from ldap.conf. */
	const char *uris;
	/* Default search base for lb_search_params.base == NULL.  NULL: ldap.conf
	 * BASE, else the root DSE's default/first naming context. */
	const char *base;

	enum lb_tls_mode tls_mode;
	const char *tls_ca_file;     /* PEM bundle (TLS_CACERT) */
	const char *tls_ca_dir;      /* hashed directory (TLS_CACERTDIR) */
	const char *tls_cert_file;   /* client certificate (optional) */
	const char *tls_key_file;    /* client key (optional) */
	enum lb_tls_reqcert tls_reqcert;

	enum lb_bind_method bind_method;
	const char *bind_dn;         /* simple bind DN */
	const char *password;        /* simple bind password, or ... */
	const char *password_file;   /* ... file whose first line is it (read at each bind;
				      * a first line over 1023 bytes is LB_E_INVALID) */
	const char *sasl_authzid;    /* optional SASL authorization identity */
	bool allow_insecure_password;/* permit simple bind + password in clear */

	int connect_timeout_ms;      /* per-server connect+TLS+bind+root DSE, default 6000 */
	int op_timeout_ms;           /* failover deadline and per-answer wait, default 8000 */
	int time_limit_s;            /* server-side search time limit, default 60, 0 none */
	int size_limit;              /* server-side size limit, default 0 (none) */
	int page_size;               /* paged results page size, default 1000, 0 no paging */
	bool chase_referrals;        /* default false */
	enum lb_deref deref;         /* default LB_DEREF_NEVER */

	int backoff_s;               /* skip a failed server this long, default 30 */
	int backoff_max_s;           /* doubling cap, default 600, backoff_s..86400 */
	int busy_retries;            /* retries of LDAP_BUSY on sorted/VLV searches, default 2 */

	lb_clock_fn now;             /* NULL: monotonic clock */
	void *now_ctx;
	lb_log_fn log;               /* NULL: no logging */
	void *log_ctx;
};

/* Set every field to its default (see above).  cfg must not be NULL. */
void lb_config_init(struct lb_config *cfg);

/* ------------------------------------------------------------------------ */
/* Connection                                                               */
/* ------------------------------------------------------------------------ */

typedef struct lb_conn lb_conn;

/*
 * Validate and copy cfg; create a connection object without connecting.
 *   out: receives the new connection; caller frees with lb_conn_close().
 * Returns LB_OK; LB_E_INVALID (bad URI list, unknown enum, simple bind
 * without DN/password, negative timeout, ...); LB_E_INSECURE (simple bind with
 * a password and no URI could be protected: all ldap:// without StartTLS);
 * LB_E_NOMEM.
 */
LB_WUR lb_err lb_conn_open(const struct lb_config *cfg, lb_conn **out,
			   struct lb_error *err);

/* Unbind (if connected), wipe the stored password, free.  NULL accepted.
 * Nothing may use conn afterwards, nor lb_vlv_window() its VLV handles; the
 * handles themselves may still be closed (lb_vlv_close() never touches the
 * connection), so their owners need not be gone before it. */
void lb_conn_close(lb_conn *conn);

/*
 * Cancel every current and future call on conn, for shutting down (the
 * address book logging off) without waiting out timeouts.  Callable from
 * any thread at any time, also while other threads are inside calls on
 * conn or from the log callback; it never waits for the connection mutex
 * (it takes only a small internal lock held for a system call) and does not
 * block on the network.  NULL accepted.
 *   - A call blocked waiting for the server (bind, root DSE, an entry, a
 *     page, a batch answer, a StartTLS or ldaps:// handshake) is woken by
 *     shutting the socket down (shutdown(2), never close: libldap keeps
 *     its descriptor until the unbind) and returns LB_E_CANCELLED.  The
 *     wldap32 backend (Windows) waits for answers in 100 ms slices that
 *     read the cancel (wldap/wl_wait.c): a search, VLV window, root DSE
 *     read or simple bind returns within one slice; the TCP connect, TLS
 *     handshakes, StartTLS and the Negotiate bind end at their timeouts.
 *   - Calls queued behind it and every later call return LB_E_CANCELLED
 *     without touching the network; failover stops before the next server
 *     and no server is backed off for a cancelled call.
 *   - A TCP connect still waiting for the server's SYN-ACK cannot be
 *     interrupted: that one attempt ends within connect_timeout_ms.
 * err->step says where the call stopped; the message says it was
 * cancelled.  Cancelling is permanent (there is no un-cancel) and idempotent.
 * The connection object stays valid until lb_conn_close(), which must still
 * be called (after the other threads have left their calls) and still
 * unbinds a link that was up, once.
 */
void lb_conn_cancel(lb_conn *conn);

/*
 * Make sure the connection is established and bound now (connect + bind if
 * needed, with failover), then verify the link with a root DSE read.  A dead
 * link is re-established once.  For the provider's ValidateState/status.
 * Returns LB_OK or the connect/TLS/bind/timeout error of the last server
 * tried (err names it); LB_E_CLOSED never (conn must be valid).
 */
LB_WUR lb_err lb_conn_check(lb_conn *conn, struct lb_error *err);

/* URI of the server currently connected to, copied into buf (NUL-terminated,
 * truncated to len).  Empty string when not connected.  Never fails. */
void lb_conn_server(lb_conn *conn, char *buf, size_t len);

/* Supported-control bits of lb_rootdse.controls. */
#define LB_CTRL_PAGED 0x1u  /* 1.2.840.113556.1.4.319 (RFC 2696) */
#define LB_CTRL_SORT  0x2u  /* 1.2.840.113556.1.4.473 (RFC 2891) */
#define LB_CTRL_VLV   0x4u  /* 2.16.840.1.113730.3.4.9 */

/* Unique-id attribute bits of lb_rootdse.uuid_attrs. */
#define LB_UUID_ENTRYUUID  0x1u /* RFC 4530 entryUUID (OpenLDAP, ...) */
#define LB_UUID_OBJECTGUID 0x2u /* Active Directory / Samba objectGUID */
#define LB_UUID_NSUNIQUEID 0x4u /* 389-DS / Red Hat DS nsUniqueId */

/* What the root DSE of the current server says (probed once per connection). */
struct lb_rootdse {
	unsigned controls;          /* LB_CTRL_* */
	unsigned uuid_attrs;        /* LB_UUID_* the server has */
	bool is_active_directory;   /* AD or Samba AD DC */
	size_t n_naming_contexts;
	char **naming_contexts;     /* n_naming_contexts UTF-8 DNs */
	char *default_naming_context; /* AD defaultNamingContext, else NULL */
	char *vendor_name;          /* vendorName, or NULL */
	char *vendor_version;       /* vendorVersion, or NULL */
	char *server;               /* URI this was read from */
};

/*
 * Copy the root DSE information of the current server (connecting if needed).
 *   out: caller frees with lb_rootdse_free().
 * Returns LB_OK or a connect/bind/search error.
 */
LB_WUR lb_err lb_conn_rootdse(lb_conn *conn, struct lb_rootdse **out,
			      struct lb_error *err);
void lb_rootdse_free(struct lb_rootdse *dse);

/* ------------------------------------------------------------------------ */
/* Results: plain data                                                      */
/* ------------------------------------------------------------------------ */

/* A binary-safe value.  data[len] == '\0' is added for convenience (the value
 * itself may contain NULs; check UTF-8 validity with lb_filter.h's helper). */
struct lb_value {
	size_t len;
	const char *data;
};

/* An attribute: name as the server sent it, except that AD range options are
 * removed once the values were followed to completion ("member;range=0-1499"
 * becomes "member" with all values). */
struct lb_attr {
	const char *name;
	size_t n_values;
	const struct lb_value *values;
};

typedef struct lb_entry lb_entry;
typedef struct lb_result lb_result;

enum lb_partial {
	LB_PARTIAL_NONE = 0,
	LB_PARTIAL_SIZELIMIT,  /* sizeLimitExceeded: entries so far are kept */
	LB_PARTIAL_TIMELIMIT,  /* timeLimitExceeded: entries so far are kept */
	LB_PARTIAL_ADMINLIMIT  /* adminLimitExceeded (AD MaxPageSize etc.) */
};

/* Number of entries (0 for NULL). */
size_t lb_result_count(const lb_result *res);
/* Entry i (borrowed, valid until lb_result_free), NULL if out of range. */
const lb_entry *lb_result_entry(const lb_result *res, size_t i);
/* Whether the server stopped early; the entries received are still there. */
enum lb_partial lb_result_partial(const lb_result *res);
/* True when the server sorted the entries as requested (sort control
 * honoured or VLV); false when the sort was dropped in a fallback. */
bool lb_result_sorted(const lb_result *res);
/* Free a result and every entry/attribute/value in it.  NULL accepted. */
void lb_result_free(lb_result *res);

/* DN (UTF-8, as the server sent it).  Borrowed like the entry. */
const char *lb_entry_dn(const lb_entry *e);
size_t lb_entry_attr_count(const lb_entry *e);
/* Attribute i (borrowed), NULL if out of range. */
const struct lb_attr *lb_entry_attr(const lb_entry *e, size_t i);
/* First attribute whose name equals name case-insensitively (borrowed), or
 * NULL.  Attribute options must match too ("userCertificate;binary"). */
const struct lb_attr *lb_entry_find(const lb_entry *e, const char *name);
/* First value of attribute name, or NULL (borrowed). */
const struct lb_value *lb_entry_value(const lb_entry *e, const char *name);

/* ------------------------------------------------------------------------ */
/* Searches                                                                 */
/* ------------------------------------------------------------------------ */

enum lb_scope { LB_SCOPE_BASE = 0, LB_SCOPE_ONE, LB_SCOPE_SUB };

enum lb_search_mode {
	LB_MODE_AUTO = 0, /* paged if advertised and page_size > 0, else plain */
	LB_MODE_PLAIN,    /* one request, size/time limits apply */
	LB_MODE_PAGED     /* paged results; falls back to plain if it misbehaves */
};

/* One server-side sort key.  sssvlv refuses attributes without an ORDERING
 * rule (cn, sn, displayName in the standard schema) with error 18: name the
 * rule ("2.5.13.3" = caseIgnoreOrderingMatch).  If ordering_rule is NULL and
 * the server answers inappropriateMatching, the request is repeated once
 * with 2.5.13.3. */
struct lb_sort_key {
	const char *attr;
	const char *ordering_rule; /* OID or name, or NULL */
	bool reverse;
};

struct lb_search_params {
	const char *base;              /* NULL: configured default base */
	enum lb_scope scope;           /* default LB_SCOPE_SUB */
	const char *filter;            /* NULL: "(objectClass=*)"; build with lb_filter.h */
	const char *const *attrs;      /* NULL-terminated; NULL: all user attributes */
	int size_limit;                /* -1: config default; 0: none */
	int time_limit_s;              /* -1: config default; 0: none */
	enum lb_search_mode mode;
	const struct lb_sort_key *sort;/* optional; requested non-critical */
	size_t n_sort;
	bool follow_ranges;            /* follow AD ranged attributes, default true */
};

/* Defaults: base NULL, SUB, filter NULL, attrs NULL, limits -1, AUTO, no sort,
 * follow_ranges true. */
void lb_search_params_init(struct lb_search_params *p);

/*
 * Run one search and return all its entries.
 *   params: borrowed for the call.
 *   out:    caller frees with lb_result_free().  Continuation references are
 *           skipped.  On size/time/admin limit the entries received are
 *           returned with lb_result_partial() set and LB_OK, also when no
 *           entry came before the limit fired (an empty partial result):
 *           a limit is never a bare error.
 * Paging is used per params->mode; if the paging control misbehaves
 * (unavailableCriticalExtension, unwillingToPerform, busy, no response
 * control, a cookie that repeats on a page bringing no entry not seen
 * before, or pages without entries for longer than max(op_timeout_ms,
 * time_limit_s); empty pages as such are legal, and so is a repeated
 * cookie while pages bring new entries, as Samba's do: from the first
 * repeat on, entries seen before are dropped) the search is repeated plain (size-limited).  A paged search left
 * before its end (fallback, error) is abandoned as RFC 2696 says: the
 * request is sent again with page size 0 and the last cookie (best effort).
 * A sort key that the server rejects or that stays busy after busy_retries
 * is dropped (lb_result_sorted() false).
 * AD ranged attributes are followed while the server advances the range
 * (a range that does not start where asked, does not advance or brings no
 * value ends the following) and up to 1,000,000 values per attribute; when
 * following stops early the values so far are kept and the result is
 * marked LB_PARTIAL_ADMINLIMIT (unless already partial).
 * Returns LB_OK; LB_E_INVALID; LB_E_NOMEM; LB_E_NOT_FOUND (base missing);
 * LB_E_ACCESS; LB_E_AUTH with step LB_STEP_SEARCH (the server answers only
 * after a bind: Active Directory refusing an anonymous search, "000004DC" /
 * "00002020"); LB_E_FILTER (server rejected the filter); LB_E_BUSY; LB_E_TIMEOUT;
 * LB_E_CONNECT / LB_E_TLS / LB_E_AUTH / LB_E_INSECURE / LB_E_AUTH_METHOD
 * (could not (re)connect); LB_E_SERVER_DOWN (dropped, retry failed too);
 * LB_E_PROTOCOL; LB_E_INTERNAL.
 */
LB_WUR lb_err lb_search(lb_conn *conn, const struct lb_search_params *params,
			lb_result **out, struct lb_error *err);

/*
 * Send n plain searches, then collect the n answers (one round trip for the
 * batch, not n).  Modes other than PLAIN are treated as PLAIN; sort keys are
 * honoured non-critically with lb_search's fallbacks per search: on
 * inappropriateMatching (sssvlv's "No ordering rule", even for a
 * non-critical control) that search is resent naming 2.5.13.3 for keys
 * without a rule; on busy, unavailableCriticalExtension or
 * unwillingToPerform (or 18 again) it is resent unsorted
 * (lb_result_sorted() false).  Limits give partial results as in
 * lb_search().  Ranged attributes are followed after collection.
 *   params:  n borrowed parameter sets.
 *   results: array of n; on LB_OK results[i] is a caller-freed lb_result or
 *            NULL when search i failed on its own (status[i] says why).
 *   status:  array of n receiving each search's lb_err, or NULL: then the
 *            first failing search fails the batch.
 * Returns LB_OK when every answer was collected (per-search errors only in
 * status); otherwise the connection-level error (all results NULL).  A link
 * that drops during the batch is re-established and the whole batch resent
 * once.
 */
LB_WUR lb_err lb_search_batch(lb_conn *conn,
			      const struct lb_search_params *params, size_t n,
			      lb_result **results, lb_err *status,
			      struct lb_error *err);

/* ------------------------------------------------------------------------ */
/* VLV browsing                                                             */
/* ------------------------------------------------------------------------ */

typedef struct lb_vlv lb_vlv;

struct lb_vlv_params {
	const char *base;              /* NULL: configured default base */
	enum lb_scope scope;           /* default LB_SCOPE_SUB */
	const char *filter;            /* NULL: "(objectClass=*)" */
	const char *const *attrs;      /* NULL-terminated; NULL: all user attributes */
	const struct lb_sort_key *sort;/* at least one key (required) */
	size_t n_sort;
};

/* Defaults: base NULL (configured base), SUB, filter NULL, attrs NULL, no
 * sort key (the caller must add at least one before lb_vlv_open).  p must
 * not be NULL. */
void lb_vlv_params_init(struct lb_vlv_params *p);

/*
 * Prepare browsing of the sorted list params describes (copied; nothing is
 * sent yet).  The VLV handle belongs to conn and shares its mutex: conn
 * must outlive every lb_vlv_window() on it (lb_vlv_close() may follow
 * lb_conn_close()).
 *   out: caller frees with lb_vlv_close().
 * Returns LB_OK; LB_E_INVALID (no sort key, ...); LB_E_NOMEM.
 */
LB_WUR lb_err lb_vlv_open(lb_conn *conn, const struct lb_vlv_params *params,
			  lb_vlv **out, struct lb_error *err);

/* Where the window is centred: by 1-based offset or by assertion value. */
struct lb_vlv_target {
	bool by_value;          /* false: offset; true: value */
	size_t offset;          /* 1-based position (VLV offsets start at 1) */
	size_t content_count;   /* client's estimate for offset, 0 = exact offset */
	const char *value;      /* UTF-8 assertion value, compared with the first
				 * sort key's ordering rule (first entry >= value) */
};

/* Where the server put the window. */
struct lb_vlv_pos {
	size_t target_pos;      /* 1-based position of the target entry;
				 * content_count + 1 when the offset or value lies
				 * past the end (the window then holds only the
				 * "before" entries), as OpenLDAP's sssvlv answers */
	size_t content_count;   /* entries in the whole list */
	bool emulated;          /* served from a fallback read, not real VLV */
};

/*
 * Fetch the window [target - before, target + after] of the list.
 *   out: the window's entries in list order; caller frees with
 *        lb_result_free().
 *   pos: receives the target position and list size (non-NULL).
 * The server's VLV context ID is kept and sent back on the next window (so
 * the server reuses its sorted list).  A reconnect resets it transparently.
 * If VLV+sort misbehaves (unavailableCriticalExtension, busy after retries,
 * "sort requests already in progress", missing/malformed response control)
 * the handle falls back for its lifetime: to a paged sorted read of the whole
 * list, then to a size-limited plain read sorted here, serving windows from
 * that copy (pos->emulated true; partial set if the read was cut short).
 * Returns as lb_search(), plus LB_E_INVALID for target offset 0.
 */
LB_WUR lb_err lb_vlv_window(lb_vlv *vlv, size_t before, size_t after,
			    const struct lb_vlv_target *target,
			    lb_result **out, struct lb_vlv_pos *pos,
			    struct lb_error *err);

/* Drop the context and any fallback copy; free.  NULL accepted.  Touches
 * only the handle's own memory, never its connection, so it may be called
 * before or after lb_conn_close() of that connection.  Nothing is
 * sent: OpenLDAP's sssvlv keeps a VLV list until the connection closes, so
 * when a server refuses a new list as busy ("other sort requests already in
 * progress") lb_vlv_window() reconnects once to free them (other handles'
 * contexts are then rebuilt on their next window) before retrying. */
void lb_vlv_close(lb_vlv *vlv);

#ifdef __cplusplus
}
#endif
#endif /* LDAPBRIDGE_LB_H */
