/*
 * abp.h - what the provider's objects share (internal to provider/).
 *
 * Ownership (spec TH-3): every object a logon hands out - containers, mail
 * users, distribution lists, tables, the status object - holds one counted
 * reference to the logon's struct abp_session.  The session owns the LDAP
 * connection, the configuration and the allocators; it outlives Logoff until
 * its last child goes.  Only the logon object owns the support object (TH-6).
 *
 * After Logoff (LC-40) abp_session_enter() fails, so every non-IUnknown
 * method answers MAPI_E_INVALID_OBJECT before it checks anything else;
 * Logoff waits for other threads' calls already inside (abp_session_enter ..
 * abp_session_leave) before it closes the connection, so no call ever races
 * the unbind (LC-32 step 4).  A Logoff (or final Release) made from inside a
 * call on the same thread - a callback - cannot wait for itself: the last
 * leave then closes the connection and releases the support object
 * (abp_session_close_and_release).
 *
 * Memory: what a MAPI caller frees comes from s->alloc_buffer / alloc_more
 * (MM-2); internal memory is malloc'd.  The two never mix.
 */
#ifndef LDAPAB_ABP_H
#define LDAPAB_ABP_H

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mapi/mapidefs.h>
#include <mapi/mapicode.h>
#include <mapi/mapitags.h>
#include <mapi/mapiguid.h>
#include <mapi/mapispi.h>

#include <ldapbridge/lb.h>

#include "entryid.h"
#include "securezero.h"

/* Format strings in provider/ use only conversions that gcc's "printf"
 * checking accepts on every target, mingw's ms_printf (msvcrt) included:
 * no %zu / %ll / %j - cast size_t to unsigned long and print with %lu. */
#if defined(__GNUC__)
#define ABP_WUR __attribute__((warn_unused_result))
#define ABP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define ABP_WUR
#define ABP_PRINTF(f, a)
#endif

struct abp_session;

#define ABP_COMPONENT "ldapab"          /* MAPIERROR.lpszComponent (<= 30 chars) */
#define ABP_MSG_MAX 640

#define ABP_CONTAINING_RECORD(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* ------------------------------------------------------------------------ */
/* Last error, per object (LO-1)                                            */
/* ------------------------------------------------------------------------ */

struct abp_lasterr {
	pthread_mutex_t lock;
	HRESULT hr;                 /* the failure the text explains, S_OK = none */
	ULONG low_level;            /* e.g. the LDAP result code */
	ULONG context;              /* code location (a small per-site number) */
	char text[ABP_MSG_MAX];     /* UTF-8, actionable, never a password */
};

void abp_lasterr_init(struct abp_lasterr *le);
void abp_lasterr_destroy(struct abp_lasterr *le);
/* Record hr with a printf-style message.  Returns hr so callers can
 * `return abp_lasterr_set(...)`.  Deliberately not ABP_WUR: the result is
 * the caller's own hr argument, so a call that only records (the caller
 * keeps another code, or has nothing to return) loses nothing by ignoring
 * it - and gcc's warn_unused_result cannot be silenced with a (void) cast. */
HRESULT abp_lasterr_set(struct abp_lasterr *le, HRESULT hr, ULONG low_level,
                        ULONG context, const char *fmt, ...) ABP_PRINTF(5, 6);
/* Record an ldapbridge failure: maps err->code via abp_hr_from_lb() and
 * keeps err->message (which names server, step and limit). */
ABP_WUR HRESULT abp_lasterr_set_lb(struct abp_lasterr *le, const struct lb_error *err,
                                   ULONG context);
/* GetLastError for any interface: validates flags (only MAPI_UNICODE) and the
 * out-pointer, then returns S_OK with *out = NULL when hr is not the recorded
 * failure, else one MAPIERROR block (strings chained, UTF-16 under
 * MAPI_UNICODE) from the session's allocators. */
ABP_WUR HRESULT abp_lasterr_get(struct abp_lasterr *le, const struct abp_session *s,
                                HRESULT hr, ULONG flags, LPMAPIERROR *out);

/* The one table from ldapbridge codes to MAPI codes. */
ABP_WUR HRESULT abp_hr_from_lb(lb_err code);

/* ------------------------------------------------------------------------ */
/* Configuration read from the profile section (config.c)                  */
/* ------------------------------------------------------------------------ */

struct abp_container_cfg {
	char *id;                   /* stable ASCII ID used in entry IDs */
	char *display_name;         /* UTF-8 */
	char *base_dn;              /* NULL: the directory's base */
	char *filter;               /* extra raw filter ANDed in, or NULL */
};

/* Where the provider's log lines go: ldapbridge's warnings (TLS checking
 * switched off, a server skipped after a failure, a result cut short) and
 * errors.  msg is UTF-8 and never holds a password (ldapbridge keeps them
 * out; provider code must too).  May be called with ldapbridge's connection
 * mutex held: must not call back into ldapbridge or the provider. */
typedef void (*abp_log_fn)(void *ctx, enum lb_log_level level, const char *msg);

/* The default sink: one line "ldapab: <level>: <msg>" on stderr for
 * warnings and errors; debug and info lines only when the environment
 * variable LDAPAB_DEBUG is set (non-empty).  Control bytes in msg are shown
 * as spaces so one message is one line.  ctx is unused. */
void abp_log_stderr(void *ctx, enum lb_log_level level, const char *msg);

struct abp_config {
	struct lb_config lb;        /* strings below are owned by this struct;
	                             * lb.log/lb.log_ctx route to log below */
	abp_log_fn log;             /* abp_log_stderr unless a test swaps it
	                             * (before the connection is opened) */
	void *log_ctx;
	char *uris, *base_dn, *bind_dn, *password, *password_file;
	char *ca_file, *ca_dir, *cert_file, *key_file;
	char *person_filter, *group_filter;
	char *display_name;         /* PR_DISPLAY_NAME of the provider/section */
	int browse_mode;            /* enum ldapab_browse_mode */
	int schema;                 /* enum ldapab_schema */
	size_t n_attr_map;
	char **attr_map;            /* "mapi-name=ldap-attr" overrides */
	size_t n_containers;
	struct abp_container_cfg *containers;
};

/* ------------------------------------------------------------------------ */
/* Session state shared by a logon and its children                         */
/* ------------------------------------------------------------------------ */

struct abp_session {
	atomic_uint refs;

	LPALLOCATEBUFFER alloc_buffer;  /* from ABProviderInit (MM-2) */
	LPALLOCATEMORE alloc_more;
	LPFREEBUFFER free_buffer;

	MAPIUID uid;                    /* this instance's provider UID (LC-14) */
	struct abp_config *cfg;         /* immutable after logon */

	pthread_mutex_t lock;           /* guards the fields below */
	pthread_cond_t idle;            /* signalled when inflight drops to 0 */
	bool logged_off;                /* LC-32 step 1 */
	unsigned inflight;              /* calls between enter and leave */
	lb_conn *conn;                  /* NULL after Logoff */
	struct lb_rootdse *dse;         /* cached after the first successful probe */
	IABLogon *logon;                /* weak: valid while !logged_off (containers
	                                 * delegate OpenEntry to it, CT-14) */
	ULONG status_code;              /* STATUS_AVAILABLE / STATUS_FAILURE / OFFLINE */
	char status_text[ABP_MSG_MAX];  /* PR_STATUS_STRING, UTF-8 */

	/* Core additions (session.c): who pushes status-row updates. */
	void (*status_hook)(void *ctx); /* set once by the logon before sharing */
	void *status_hook_ctx;

	/* provfixA: Logoff from inside a call on this thread (see
	 * abp_session_close_and_release): the last leave closes and releases. */
	bool close_pending;             /* guarded by lock */
	LPMAPISUP pending_sup;          /* released by that leave */
	void (*idle_fn)(void *);        /* abp_session_run_when_idle */
	void *idle_ctx;

	/* directory.c's per-session cache (the attribute map and its request
	 * list): set once under lock by directory.c, freed by the session's
	 * final release via dir_cache_free (NULL: nothing cached). */
	void *dir_cache;
	void (*dir_cache_free)(void *cache);
};

/* New session with one reference.  Takes ownership of cfg on success. */
ABP_WUR HRESULT abp_session_new(LPALLOCATEBUFFER ab, LPALLOCATEMORE am,
                                LPFREEBUFFER fb, const MAPIUID *uid,
                                struct abp_config *cfg, struct abp_session **out);
void abp_session_addref(struct abp_session *s);
void abp_session_release(struct abp_session *s);
/* Begin a call that may use the connection: false once logged off (the
 * caller then answers MAPI_E_INVALID_OBJECT).  Every true is paired with
 * abp_session_leave(). */
ABP_WUR bool abp_session_enter(struct abp_session *s);
void abp_session_leave(struct abp_session *s);
/* Logoff's part: mark logged off, wait for calls inside, close the LDAP
 * connection.  Returns false if it had already happened (LC-34). */
bool abp_session_shutdown(struct abp_session *s);

/* ------------------------------------------------------------------------ */
/* Directory objects (directory.c, container.c, mailuser.c, distlist.c)     */
/* ------------------------------------------------------------------------ */

/* Open the person or group a parsed entry ID of ours names (LO-2 b-f):
 * looks it up by its locator (a subtree search under the configured base and
 * the containers' bases; an old ID's DN hint inside them is a fast path),
 * builds an IMailUser or IDistList holding a session reference.
 * MAPI_E_NOT_FOUND if it is gone or outside the bases; a server limit hit
 * before any answer is not "gone" (MAPI_E_TIMEOUT / MAPI_E_TABLE_TOO_BIG);
 * errors recorded in le. */
ABP_WUR HRESULT abp_open_directory_entry(struct abp_session *s, struct abp_lasterr *le,
                                         const struct abp_eid *eid, LPCIID iid,
                                         ULONG flags, ULONG *type, LPUNKNOWN *out);

/* New root container (CT-1) or directory container (cfg != NULL), one
 * reference, holding a session reference. */
ABP_WUR HRESULT abp_container_new(struct abp_session *s,
                                  const struct abp_container_cfg *cfg,
                                  IABContainer **out);

/* PrepareRecips (LO-8) for the entries of list that are ours. */
ABP_WUR HRESULT abp_prepare_recips(struct abp_session *s, struct abp_lasterr *le,
                                   ULONG flags, LPSPropTagArray tags, LPADRLIST list);

/* ------------------------------------------------------------------------ */
/* Core additions (abprovider.c, ablogon.c, session.c, status.c, config.c)  */
/* ------------------------------------------------------------------------ */

/*
 * s->logon (above) may be used only between a successful abp_session_enter()
 * and abp_session_leave(): Logoff and the logon's final Release both wait for
 * every call inside before they drop the support object or free the logon.
 */

/* Logoff in two steps (LC-32): mark logged off (step 1; false if it already
 * was, LC-34) ... the logon unsubscribes and releases its children ... then
 * wait for the calls inside and close the LDAP connection (step 4).
 * abp_session_shutdown() is the two in a row. */
bool abp_session_mark_logged_off(struct abp_session *s);
void abp_session_close_connection(struct abp_session *s);

/*
 * Directory code reports the outcome of every operation on s->conn:
 * LB_OK → STATUS_AVAILABLE; a connection-class failure (connect, timeout,
 * TLS, bind, server down) → STATUS_FAILURE with a status string; other codes
 * (not found, filter, limits) leave the status alone, since the server
 * answered.  When the status changes, the logon pushes the status row
 * (ModifyStatusRow(STATUSROW_UPDATE), ST-3) before this returns - never after
 * Logoff.  Call between abp_session_enter()/leave(), holding no lock of
 * yours (TH-5: the push calls MAPI).  _lb_error takes the full record so the
 * status string names the server; err NULL is LB_OK.
 */
void abp_session_note_result(struct abp_session *s, lb_err code);
/* The connection-class codes above: the directory could not be reached or
 * logged on to (connect, timeout, TLS, insecure, bind, bind method, server
 * down). */
bool abp_session_is_connection_failure(lb_err code);
void abp_session_note_lb_error(struct abp_session *s, const struct lb_error *err);
/* Snapshot of PR_STATUS_CODE / PR_STATUS_STRING (UTF-8, buf of len bytes). */
ULONG abp_session_status(struct abp_session *s, char *buf, size_t len);
/* Called by the logon only: who pushes status-row updates.  fn runs inside
 * abp_session_enter/leave with no session lock held. */
void abp_session_set_status_hook(struct abp_session *s,
                                 void (*fn)(void *ctx), void *ctx);

/* MAPIERROR as one block (MM-3) from the given allocators: UTF-16 strings
 * under MAPI_UNICODE, else 8-bit.  text is UTF-8; component is ABP_COMPONENT. */
ABP_WUR HRESULT abp_mapierror_new(LPALLOCATEBUFFER ab, LPALLOCATEMORE am,
                                  LPFREEBUFFER fb, ULONG flags, ULONG low_level, ULONG context,
                                  const char *text, LPMAPIERROR *out);

/* The status object (status.c, ST-1..ST-6): one reference, holding a session
 * reference.  ValidateState re-checks the directory through s->conn. */
ABP_WUR HRESULT abp_status_new(struct abp_session *s, IMAPIStatus **out);

/* The logon object (ablogon.c).  Takes the caller's session reference on
 * success; AddRefs sup once (LC-12), released in Logoff or the final Release. */
ABP_WUR HRESULT abp_logon_new(struct abp_session *s, LPMAPISUP sup, IABLogon **out);
/* Add the status row (LC-20, ST-3); failure is not fatal and only logged in
 * the logon's last error. */
void abp_logon_add_status_row(IABLogon *logon);

/* ValidateState(CONFIG_CHANGED) (ST-4): re-read and validate the profile
 * section through the logon's support object.  The settings of a running
 * logon stay as they are (its children borrow them); valid changes take
 * effect at the next Logon.  MAPI_E_UNCONFIGURED (recorded in le, naming the
 * setting) when the profile no longer holds a usable configuration.  Call
 * between abp_session_enter()/leave(); MAPI_E_INVALID_OBJECT once logged off. */
ABP_WUR HRESULT abp_logon_recheck_profile(struct abp_session *s, struct abp_lasterr *le);

/* Module file name reported in PR_PROVIDER_DLL_NAME. */
#if defined(_WIN32)
#define ABP_DLL_NAME "ldapab.dll"
#else
#define ABP_DLL_NAME "ldapab.so"
#endif
#define ABP_PROVIDER_DISPLAY "LDAP Address Book (ldapab)"

/* ------------------------------------------------------------------------ */
/* provfixA additions                                                       */
/* ------------------------------------------------------------------------ */

/* Logoff's step 4 and 5 (LC-32) together: wait for the calls other threads
 * have inside, close the LDAP connection, then release sup (the logon's one
 * reference, LC-12; NULL allowed).  When the calling thread is itself inside
 * abp_session_enter() on s (Logoff or the final Release called from a
 * callback such as a status-table sink or a CopyTo destination), waiting
 * would deadlock: then both are handed to the last abp_session_leave(),
 * which runs them once the outermost call on this thread returns.  Requires
 * abp_session_mark_logged_off() first. */
void abp_session_close_and_release(struct abp_session *s, LPMAPISUP sup);

/* After Logoff: when calls are still inside s (possible only while a
 * close is pending, see above), run fn(ctx) after the last leave and return
 * true; else return false and the caller runs it now.  One pending fn at a
 * time (the logon's final Release frees its memory this way, so a callback
 * that dropped the last logon reference returns into live memory). fn may
 * drop the last session reference. */
bool abp_session_run_when_idle(struct abp_session *s, void (*fn)(void *), void *ctx);

/* Calls the current thread has inside abp_session_enter() on s. */
unsigned abp_session_own_depth(const struct abp_session *s);

/* Printable, bounded copy of untrusted bytes for error texts: printable
 * ASCII and valid UTF-8 sequences are kept, '\' and every other byte
 * (controls, DEL, invalid UTF-8) become \xHH; at most max_in input bytes
 * are shown, then "..." is appended.  Always NUL-terminates out (cap > 0). */
void abp_escape_bytes(const void *bytes, size_t n, size_t max_in, char *out, size_t cap);

/* The status object's entry ID locator (ABP_EID_STATUS, ST-2). */
#define ABP_STATUS_LOCATOR "status"
/* The root container's entry ID locator (ABP_EID_ROOT, CT-1): the only one
 * OpenEntry, CompareEntryIDs and Advise accept for a root ID (LO-2f). */
#define ABP_ROOT_LOCATOR "root"

/* IABLogon::OpenEntry (LO-2) with failures recorded in le - the last-error
 * slot of the object the client called, so a container's or a DL's own
 * GetLastError explains its OpenEntry (CT-14, LO-1/MU-8).  logon is the
 * session's logon (s->logon); call between abp_session_enter()/leave(). */
ABP_WUR HRESULT abp_logon_open_entry(IABLogon *logon, struct abp_lasterr *le, ULONG cb,
                                     LPENTRYID eid, LPCIID iid, ULONG flags, ULONG *type,
                                     LPUNKNOWN *out);

#endif /* LDAPAB_ABP_H */
