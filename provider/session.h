/*
 * session.h - the state a logon shares with every object it hands out
 * (internal to provider/).
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
 */
#ifndef LDAPAB_SESSION_H
#define LDAPAB_SESSION_H

#include "base.h"
#include "config.h"

struct abp_session {
	atomic_uint refs;

	LPALLOCATEBUFFER alloc_buffer;  /* from ABProviderInit (MM-2) */
	LPALLOCATEMORE alloc_more;
	LPFREEBUFFER free_buffer;

	MAPIUID uid;                    /* this instance's provider UID (LC-14) */
	struct abp_config *cfg;         /* immutable after logon */

	plat_mutex lock;                /* guards the fields below */
	plat_cond idle;                 /* signalled when inflight drops to 0 */
	bool logged_off;                /* LC-32 step 1 */
	unsigned inflight;              /* calls between enter and leave */
	lb_conn *conn;                  /* NULL after Logoff */
	struct lb_rootdse *dse;         /* cached after the first successful probe */
	IABLogon *logon;                /* weak: valid while !logged_off (containers
	                                 * delegate OpenEntry to it, CT-14); use only
	                                 * between abp_session_enter() and leave */
	ULONG status_code;              /* STATUS_AVAILABLE / STATUS_FAILURE / OFFLINE */
	char status_text[ABP_MSG_MAX];  /* PR_STATUS_STRING, UTF-8 */

	/* Who pushes status-row updates (the logon). */
	void (*status_hook)(void *ctx); /* set once by the logon before sharing */
	void *status_hook_ctx;

	/* Logoff from inside a call on this thread (see
	 * abp_session_close_and_release): the last leave closes and releases. */
	bool close_pending;             /* guarded by lock */
	LPMAPISUP pending_sup;          /* released by that leave */
	void (*idle_fn)(void *);        /* abp_session_run_when_idle */
	void *idle_ctx;

	/* lookup.c's per-session cache (the attribute map, the request list,
	 * the search scope): set once under lock by lookup.c, freed by the
	 * session's final release via dir_cache_free (NULL: nothing cached). */
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
 * caller then answers MAPI_E_INVALID_OBJECT), or when no memory is left to
 * count one more session nested on this thread (more than 16).  Every true
 * is paired with abp_session_leave() on the same thread. */
ABP_WUR bool abp_session_enter(struct abp_session *s);
void abp_session_leave(struct abp_session *s);
/* Calls the current thread has inside abp_session_enter() on s. */
unsigned abp_session_own_depth(const struct abp_session *s);

/* Logoff's step 1 (LC-32): mark logged off; false if it already was
 * (LC-34).  The logon then unsubscribes and releases its children, and
 * abp_session_close_and_release() does steps 4 and 5. */
bool abp_session_mark_logged_off(struct abp_session *s);

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

/*
 * Directory code reports the outcome of every operation on s->conn:
 * LB_OK (err NULL) → STATUS_AVAILABLE; a connection-class failure (connect,
 * timeout, TLS, bind, server down) → STATUS_FAILURE with a status string
 * naming the server; other codes (not found, filter, limits) leave the
 * status alone, since the server answered.  When the status changes, the
 * logon pushes the status row (ModifyStatusRow(STATUSROW_UPDATE), ST-3)
 * before this returns - never after Logoff.  Call between
 * abp_session_enter()/leave(), holding no lock of yours (TH-5: the push
 * calls MAPI).
 */
void abp_session_note_lb_error(struct abp_session *s, const struct lb_error *err);
/* The connection-class codes above: the directory could not be reached or
 * logged on to (connect, timeout, TLS, insecure, bind, bind method, server
 * down). */
bool abp_session_is_connection_failure(lb_err code);
/* Snapshot of PR_STATUS_CODE / PR_STATUS_STRING (UTF-8, buf of len bytes). */
ULONG abp_session_status(struct abp_session *s, char *buf, size_t len);
/* Called by the logon only: who pushes status-row updates.  fn runs inside
 * abp_session_enter/leave with no session lock held. */
void abp_session_set_status_hook(struct abp_session *s,
                                 void (*fn)(void *ctx), void *ctx);

#endif /* LDAPAB_SESSION_H */
