/*
 * session.c - the state a logon shares with every object it hands out
 * (TH-3): allocators, configuration, the LDAP connection, the logged-off
 * flag and the count of calls in flight.
 *
 * The lock guards only plain fields; it is never held across an ldapbridge
 * call or a MAPI call (TH-5).  lb_conn serialises its own users.  The one
 * exception is lb_conn_cancel(), which never blocks (no connection mutex,
 * no network): Logoff calls it under the lock so s->conn cannot be closed
 * under it.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abp.h"
#include "config.h"

HRESULT abp_session_new(LPALLOCATEBUFFER ab, LPALLOCATEMORE am, LPFREEBUFFER fb,
                        const MAPIUID *uid, struct abp_config *cfg,
                        struct abp_session **out)
{
	struct abp_session *s = NULL;
	HRESULT hr = S_OK;

	if (!ab || !am || !fb || !uid || !cfg || !out)
		return MAPI_E_INVALID_PARAMETER;
	*out = NULL;

	s = calloc(1, sizeof(*s));
	if (!s) {
		hr = MAPI_E_NOT_ENOUGH_MEMORY;
		goto done;
	}
	if (plat_mutex_init(&s->lock) != 0) {
		free(s);
		s = NULL;
		hr = MAPI_E_NOT_ENOUGH_MEMORY;
		goto done;
	}
	if (plat_cond_init(&s->idle) != 0) {
		plat_mutex_destroy(&s->lock);
		free(s);
		s = NULL;
		hr = MAPI_E_NOT_ENOUGH_MEMORY;
		goto done;
	}
	atomic_init(&s->refs, 1);
	s->alloc_buffer = ab;
	s->alloc_more = am;
	s->free_buffer = fb;
	s->uid = *uid;
	s->cfg = cfg;               /* ownership taken only on success */
	s->status_code = STATUS_AVAILABLE;
	snprintf(s->status_text, sizeof(s->status_text),
	         "Ready; the directory is contacted at the first lookup.");
	*out = s;
done:
	return hr;
}

void abp_session_addref(struct abp_session *s)
{
	assert(s);
	atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
}

void abp_session_release(struct abp_session *s)
{
	if (!s)
		return;
	if (atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) != 1)
		return;
	/* Last reference: no other thread can see s any more.  A session whose
	 * Logoff never ran (failed Logon, LC-39) still owns its connection. */
	lb_conn_close(s->conn);
	if (s->pending_sup)             /* never in practice: a leave ran it */
		IMAPISupport_Release(s->pending_sup);
	if (s->dir_cache_free)
		s->dir_cache_free(s->dir_cache);
	lb_rootdse_free(s->dse);
	abp_config_free(s->cfg);
	plat_cond_destroy(&s->idle);
	plat_mutex_destroy(&s->lock);
	free(s);
}

/*
 * Per-thread count of the calls this thread has inside each session.  A
 * thread is inside calls of several sessions at once only when a callback of
 * one logon calls into another, so a few slots live in the thread's own
 * block and deeper nesting grows onto the heap (freed when the thread's last
 * call returns; enter/leave nest strictly on one thread).  Logoff uses the
 * count to wait only for the other threads' calls: waiting for its own would
 * never end (a status-table sink or a CopyTo destination that logs off from
 * inside a call), so every session this thread is inside must be counted,
 * however many.  When no memory is left to count one more (the thread's
 * block at its first call included), the call is refused before it enters
 * (abp_session_enter() returns false).
 *
 * The block is reached through a plat_tls key, not _Thread_local: on
 * Windows that is emulated by libgcc, whose allocation at a thread's first
 * use aborts the process when it fails (thread.h).  It is freed when the
 * thread ends.
 */
#define OWN_INLINE 16

struct own_slot {
	const struct abp_session *s;
	unsigned depth;
};

struct own_state {
	size_t n, cap;                  /* cap 0: inline in use */
	struct own_slot *heap;
	struct own_slot inline_slots[OWN_INLINE];
};

static plat_tls own_key;
static plat_once own_key_once = PLAT_ONCE_INIT;
static bool own_key_made;

static void own_key_create(void)
{
	own_key_made = plat_tls_create(&own_key) == 0;
}

/* This thread's block; made at its first call when create is true.  NULL:
 * none yet, or no memory (or key) for one. */
static struct own_state *own_state(bool create)
{
	struct own_state *st;

	plat_once_run(&own_key_once, own_key_create);
	if (!own_key_made)
		return NULL;
	st = plat_tls_get(own_key);
	if (st || !create)
		return st;
	st = calloc(1, sizeof(*st));
	if (st && plat_tls_set(own_key, st) != 0) {
		free(st);
		st = NULL;
	}
	return st;
}

static struct own_slot *own_slots(struct own_state *st)
{
	return st->heap ? st->heap : st->inline_slots;
}

static struct own_slot *own_find(struct own_state *st, const struct abp_session *s)
{
	struct own_slot *v;

	if (!st)
		return NULL;
	v = own_slots(st);
	for (size_t i = 0; i < st->n; i++)
		if (v[i].s == s)
			return &v[i];
	return NULL;
}

/* false: no memory for one more session on this thread (nothing changed). */
static bool own_enter(const struct abp_session *s)
{
	struct own_state *st = own_state(true);
	struct own_slot *slot, *v;
	size_t cap;

	if (!st)
		return false;
	slot = own_find(st, s);
	if (slot) {
		slot->depth++;
		return true;
	}
	cap = st->heap ? st->cap : OWN_INLINE;
	if (st->n == cap) {
		if (cap > SIZE_MAX / 2 / sizeof(*v))
			return false;
		v = malloc(2 * cap * sizeof(*v));
		if (!v)
			return false;
		memcpy(v, own_slots(st), st->n * sizeof(*v));
		free(st->heap);
		st->heap = v;
		st->cap = 2 * cap;
	}
	v = own_slots(st);
	v[st->n].s = s;
	v[st->n].depth = 1;
	st->n++;
	return true;
}

static void own_leave(const struct abp_session *s)
{
	struct own_state *st = own_state(false);
	struct own_slot *slot = own_find(st, s), *v;

	assert(slot && slot->depth > 0);
	if (!slot || --slot->depth > 0)
		return;
	v = own_slots(st);
	*slot = v[--st->n];             /* order does not matter */
	if (st->n == 0 && st->heap) {
		free(st->heap);         /* the thread's last call returned */
		st->heap = NULL;
		st->cap = 0;
	}
}

unsigned abp_session_own_depth(const struct abp_session *s)
{
	const struct own_slot *slot = own_find(own_state(false), s);

	return slot ? slot->depth : 0;
}

bool abp_session_enter(struct abp_session *s)
{
	bool ok;

	assert(s);
	/* Counted first: a Logoff from a callback on this thread must find it. */
	if (!own_enter(s))
		return false;
	plat_mutex_lock(&s->lock);
	ok = !s->logged_off;
	if (ok)
		s->inflight++;
	plat_mutex_unlock(&s->lock);
	if (!ok)
		own_leave(s);
	return ok;
}

/* What the last call out of a logged-off session still has to do. */
struct idle_work {
	lb_conn *conn;
	bool close;
	LPMAPISUP sup;
	void (*fn)(void *);
	void *ctx;
};

/* Under s->lock: take the deferred work once nobody is inside any more. */
static void take_idle_work(struct abp_session *s, struct idle_work *w)
{
	memset(w, 0, sizeof(*w));
	if (!s->logged_off || s->inflight != 0)
		return;
	if (s->close_pending) {
		w->close = true;
		w->conn = s->conn;
		w->sup = s->pending_sup;
		s->conn = NULL;
		s->pending_sup = NULL;
		s->close_pending = false;
	}
	w->fn = s->idle_fn;
	w->ctx = s->idle_ctx;
	s->idle_fn = NULL;
	s->idle_ctx = NULL;
}

/* Outside the lock.  Runs fn last: it may drop the session's last reference. */
static void run_idle_work(struct idle_work *w)
{
	if (w->close) {
		lb_conn_close(w->conn);
		if (w->sup)
			IMAPISupport_Release(w->sup);   /* LC-32 step 5, the last call */
	}
	if (w->fn)
		w->fn(w->ctx);
}

void abp_session_leave(struct abp_session *s)
{
	struct idle_work w;

	assert(s);
	own_leave(s);
	plat_mutex_lock(&s->lock);
	assert(s->inflight > 0);
	--s->inflight;
	/* A Logoff may be waiting for the other threads' calls only, so every
	 * leave after the mark wakes it, not just the last. */
	if (s->inflight == 0 || s->logged_off)
		plat_cond_broadcast(&s->idle);
	take_idle_work(s, &w);
	plat_mutex_unlock(&s->lock);
	run_idle_work(&w);
}

bool abp_session_mark_logged_off(struct abp_session *s)
{
	bool first;

	assert(s);
	plat_mutex_lock(&s->lock);
	first = !s->logged_off;
	s->logged_off = true;
	s->logon = NULL;
	/* Calls already inside (and those queued behind them on the
	 * connection's mutex) would otherwise each wait out the connect or
	 * operation timeout against a silent server before Logoff's wait for
	 * them ends.  Cancelled, they return LB_E_CANCELLED at once; the
	 * connection object stays valid, and the close after the wait still
	 * unbinds it exactly once. */
	if (first && s->conn != NULL)
		lb_conn_cancel(s->conn);
	plat_mutex_unlock(&s->lock);
	return first;
}

void abp_session_close_and_release(struct abp_session *s, LPMAPISUP sup)
{
	unsigned own = abp_session_own_depth(s);
	lb_conn *conn;

	assert(s);
	plat_mutex_lock(&s->lock);
	assert(s->logged_off);
	assert(s->inflight >= own);
	/* Calls of other threads that entered before the mark finish with the
	 * connection they saw; only then is it unbound (LC-32 step 4). */
	while (s->inflight > own)
		plat_cond_wait(&s->idle, &s->lock);
	if (own > 0) {
		/* This thread is inside a call on s: the outermost one's leave
		 * closes and releases, after it has stopped using both. */
		assert(!s->close_pending);
		s->close_pending = true;
		s->pending_sup = sup;
		plat_mutex_unlock(&s->lock);
		return;
	}
	conn = s->conn;
	s->conn = NULL;
	plat_mutex_unlock(&s->lock);
	lb_conn_close(conn);
	if (sup)
		IMAPISupport_Release(sup);
}

bool abp_session_run_when_idle(struct abp_session *s, void (*fn)(void *), void *ctx)
{
	bool deferred = false;

	assert(s && fn);
	plat_mutex_lock(&s->lock);
	if (s->logged_off && s->inflight > 0) {
		assert(!s->idle_fn);
		s->idle_fn = fn;
		s->idle_ctx = ctx;
		deferred = true;
	}
	plat_mutex_unlock(&s->lock);
	return deferred;
}

void abp_session_set_status_hook(struct abp_session *s, void (*fn)(void *ctx), void *ctx)
{
	assert(s);
	plat_mutex_lock(&s->lock);
	s->status_hook = fn;
	s->status_hook_ctx = ctx;
	plat_mutex_unlock(&s->lock);
}

ULONG abp_session_status(struct abp_session *s, char *buf, size_t len)
{
	ULONG code;

	assert(s);
	plat_mutex_lock(&s->lock);
	code = s->status_code;
	if (buf && len)
		snprintf(buf, len, "%s", s->status_text);
	plat_mutex_unlock(&s->lock);
	return code;
}

/* Codes that say the directory could not be reached or logged on to. */
bool abp_session_is_connection_failure(lb_err code)
{
	switch (code) {
	case LB_E_CONNECT:
	case LB_E_TIMEOUT:
	case LB_E_TLS:
	case LB_E_AUTH:
	case LB_E_INSECURE:
	case LB_E_AUTH_METHOD:
	case LB_E_SERVER_DOWN:
		return true;
	default:
		return false;
	}
}

static void note(struct abp_session *s, lb_err code, const struct lb_error *err)
{
	void (*hook)(void *) = NULL;
	void *ctx = NULL;
	bool changed = false;
	ULONG want;

	if (code == LB_OK)
		want = STATUS_AVAILABLE;
	else if (abp_session_is_connection_failure(code))
		want = STATUS_FAILURE;
	else
		return;

	plat_mutex_lock(&s->lock);
	if (want != s->status_code) {
		changed = true;
		s->status_code = want;
		if (want == STATUS_AVAILABLE) {
			snprintf(s->status_text, sizeof(s->status_text),
			         "Connected to the directory.");
		} else if (err && err->message[0]) {
			snprintf(s->status_text, sizeof(s->status_text), "%s", err->message);
		} else {
			snprintf(s->status_text, sizeof(s->status_text),
			         "The directory server cannot be used (%s).", lb_err_name(code));
		}
	} else if (want == STATUS_FAILURE && err && err->message[0] &&
	           strcmp(s->status_text, err->message) != 0) {
		/* Still failing, for another reason: the string column changes. */
		changed = true;
		snprintf(s->status_text, sizeof(s->status_text), "%s", err->message);
	}
	hook = s->status_hook;
	ctx = s->status_hook_ctx;
	plat_mutex_unlock(&s->lock);

	if (!changed || !hook)
		return;
	/* The hook calls the support object: only while Logoff has not passed
	 * step 4, which waits for every call that entered. */
	if (!abp_session_enter(s))
		return;
	hook(ctx);
	abp_session_leave(s);
}

void abp_session_note_lb_error(struct abp_session *s, const struct lb_error *err)
{
	assert(s);
	note(s, err ? err->code : LB_OK, err);
}
