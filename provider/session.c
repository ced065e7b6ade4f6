/*
 * session.c - the state a logon shares with every object it hands out
 * (TH-3): allocators, configuration, the LDAP connection, the logged-off
 * flag and the count of calls in flight.
 *
 * The lock guards only plain fields; it is never held across an ldapbridge
 * call or a MAPI call (TH-5).  lb_conn serialises its own users.
 */
#include <assert.h>
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
	if (pthread_mutex_init(&s->lock, NULL) != 0) {
		free(s);
		s = NULL;
		hr = MAPI_E_NOT_ENOUGH_MEMORY;
		goto done;
	}
	if (pthread_cond_init(&s->idle, NULL) != 0) {
		pthread_mutex_destroy(&s->lock);
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
	lb_rootdse_free(s->dse);
	abp_config_free(s->cfg);
	pthread_cond_destroy(&s->idle);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

bool abp_session_enter(struct abp_session *s)
{
	bool ok;

	assert(s);
	pthread_mutex_lock(&s->lock);
	ok = !s->logged_off;
	if (ok)
		s->inflight++;
	pthread_mutex_unlock(&s->lock);
	return ok;
}

void abp_session_leave(struct abp_session *s)
{
	assert(s);
	pthread_mutex_lock(&s->lock);
	assert(s->inflight > 0);
	if (--s->inflight == 0)
		pthread_cond_broadcast(&s->idle);
	pthread_mutex_unlock(&s->lock);
}

bool abp_session_mark_logged_off(struct abp_session *s)
{
	bool first;

	assert(s);
	pthread_mutex_lock(&s->lock);
	first = !s->logged_off;
	s->logged_off = true;
	s->logon = NULL;
	pthread_mutex_unlock(&s->lock);
	return first;
}

void abp_session_close_connection(struct abp_session *s)
{
	lb_conn *conn;

	assert(s);
	pthread_mutex_lock(&s->lock);
	assert(s->logged_off);
	/* Calls that entered before the mark finish with the connection they
	 * saw; only then is it unbound (LC-32 step 4). */
	while (s->inflight > 0)
		pthread_cond_wait(&s->idle, &s->lock);
	conn = s->conn;
	s->conn = NULL;
	pthread_mutex_unlock(&s->lock);
	lb_conn_close(conn);
}

bool abp_session_shutdown(struct abp_session *s)
{
	bool first = abp_session_mark_logged_off(s);

	if (first)
		abp_session_close_connection(s);
	return first;
}

void abp_session_set_status_hook(struct abp_session *s, void (*fn)(void *ctx), void *ctx)
{
	assert(s);
	pthread_mutex_lock(&s->lock);
	s->status_hook = fn;
	s->status_hook_ctx = ctx;
	pthread_mutex_unlock(&s->lock);
}

ULONG abp_session_status(struct abp_session *s, char *buf, size_t len)
{
	ULONG code;

	assert(s);
	pthread_mutex_lock(&s->lock);
	code = s->status_code;
	if (buf && len)
		snprintf(buf, len, "%s", s->status_text);
	pthread_mutex_unlock(&s->lock);
	return code;
}

/* Codes that say the directory could not be reached or logged on to. */
static bool is_connection_failure(lb_err code)
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
	else if (is_connection_failure(code))
		want = STATUS_FAILURE;
	else
		return;

	pthread_mutex_lock(&s->lock);
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
	pthread_mutex_unlock(&s->lock);

	if (!changed || !hook)
		return;
	/* The hook calls the support object: only while Logoff has not passed
	 * step 4, which waits for every call that entered. */
	if (!abp_session_enter(s))
		return;
	hook(ctx);
	abp_session_leave(s);
}

void abp_session_note_result(struct abp_session *s, lb_err code)
{
	assert(s);
	note(s, code, NULL);
}

void abp_session_note_lb_error(struct abp_session *s, const struct lb_error *err)
{
	assert(s);
	note(s, err ? err->code : LB_OK, err);
}
