/*
 * wl_wait.c - waiting for the answer to a request sent with one of
 * wldap32's asynchronous functions (ldap_search_extW, ldap_simple_bindW).
 *
 * The synchronous functions (ldap_search_ext_sW, ldap_simple_bind_sW)
 * block inside wldap32 until the answer or their own timeout, and nothing
 * outside the call can wake them: wldap32 does not hand out its socket.
 * Here ldap_result() is asked for the whole answer (LDAP_MSG_ALL: every
 * entry and the final result in one chain, as the synchronous calls
 * return it) in slices of WL_WAIT_SLICE_MS.  Between slices the
 * connection's cancelled flag is read, so lb_conn_cancel(), which only
 * sets that flag, stops a wait within one slice; the deadline is kept to
 * within one slice too.  What arrives during a slice stays queued in
 * wldap32 for the next one (ldap_result returns 0 on a timeout and keeps
 * a partial answer).  A wait that stops early abandons the request
 * (ldap_abandon) when the caller keeps the link.
 * Microsoft documents ldap_result's timeout in seconds, zero seconds
 * meaning a poll.  Wine honours the microseconds (its ldap_result is
 * libldap's); should a wldap32 read only tv_sec and so poll, a slice that
 * returned at once is waited out here, so the loop never spins (answers
 * are then seen at the next slice).
 */
#include "wl_internal.h"

#define WL_WAIT_SLICE_MS 100u

ULONG wl_last_error(LDAP *ld)
{
	ULONG e = LDAP_SUCCESS;

	/* Wine's wldap32 reports libldap's own (negative) codes here. */
	if (ldap_get_optionW(ld, LDAP_OPT_ERROR_NUMBER, &e) != LDAP_SUCCESS ||
	    e == LDAP_SUCCESS || e > LDAP_REFERRAL_LIMIT_EXCEEDED)
		e = LDAP_SERVER_DOWN;
	return e;
}

ULONG wl_wait(lb_conn *conn, LDAP *ld, ULONG msgid, unsigned timeout_ms, bool abandon,
	      LDAPMessage **out)
{
	ULONGLONG deadline = GetTickCount64() + timeout_ms;

	*out = NULL;
	for (;;) {
		struct l_timeval tv;
		LDAPMessage *msg = NULL;
		ULONGLONG now, spent;
		ULONG slice, rc;

		if (atomic_load(&conn->cancelled)) {
			if (abandon)
				(void)ldap_abandon(ld, msgid);
			return LDAP_USER_CANCELLED;
		}
		now = GetTickCount64();
		if (now >= deadline) {
			if (abandon)
				(void)ldap_abandon(ld, msgid);
			return LDAP_TIMEOUT;
		}
		slice = deadline - now < WL_WAIT_SLICE_MS ? (ULONG)(deadline - now) : WL_WAIT_SLICE_MS;
		tv.tv_sec = 0;
		tv.tv_usec = (LONG)slice * 1000;
		rc = ldap_result(ld, msgid, LDAP_MSG_ALL, &tv, &msg);
		if (rc == 0) {
			if (msg != NULL)
				(void)ldap_msgfree(msg);
			spent = GetTickCount64() - now;
			if (spent < slice / 2)
				Sleep((DWORD)(slice - spent));
			continue;
		}
		if (rc == (ULONG)-1 || msg == NULL) {
			if (msg != NULL)
				(void)ldap_msgfree(msg);
			return wl_last_error(ld);
		}
		*out = msg;
		return LDAP_SUCCESS;
	}
}
