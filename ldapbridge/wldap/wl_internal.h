/*
 * wl_internal.h - internals of ldapbridge's Windows backend, which speaks
 * to Windows' own LDAP client (winldap.h, wldap32.dll) behind the same
 * lb.h as the libldap backend.  Chosen at build time (WIN32).
 *
 * Strings: lb.h speaks UTF-8; wldap32's "A" functions take the ANSI code
 * page, so every call goes through the UTF-16 "W" functions and the
 * conversions below.
 */
#ifndef LDAPBRIDGE_WL_INTERNAL_H
#define LDAPBRIDGE_WL_INTERNAL_H

#include <windows.h>
#include <winldap.h>
#include <winber.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdint.h>

#include <ldapab_platform/atomic.h>
#include <ldapab_platform/thread.h>

#include "ldapbridge/lb.h"

/* One configured server: wldap32 has no ldap_initialize(), ldap_sslinit()
 * takes a host and a port, so the URI is parsed here. */
struct wl_server {
	char *uri;
	wchar_t *host;
	unsigned port;
	bool ldaps;
};

struct lb_conn {
	plat_mutex lock;             /* held for every call (lb.h "Threads") */
	struct lb_config cfg;        /* strings below are our copies */
	char *base, *bind_dn, *password, *password_file, *tls_ca_file;
	struct wl_server *servers;
	size_t n_servers;

	LDAP *ld;                    /* NULL when not connected */
	size_t cur;
	unsigned generation;         /* bumped on every new link */
	struct lb_rootdse *dse;      /* of the current link */
	atomic_bool cancelled;
};

struct lb_entry {
	char *dn;
	size_t n_attrs;
	struct lb_attr *attrs;       /* names, value arrays and values malloc'd */
};

struct lb_result {
	size_t n, cap;
	struct lb_entry **entries;
	enum lb_partial partial;
	bool sorted;
};

/* wl_text.c: UTF-8 <-> UTF-16 (malloc'd; NULL in gives NULL out). */
wchar_t *wl_wide(const char *utf8);
char *wl_utf8(const wchar_t *wide);
char *wl_strdup(const char *s);
/* A NULL-terminated list (attribute names) as UTF-16, for wl_wide_list_free;
 * NULL for a NULL list, and NULL with *oom set when memory ran out. */
wchar_t **wl_wide_list(const char *const *list, bool *oom);
void wl_wide_list_free(wchar_t **v);

/* wl_conn.c */
lb_err wl_fail(struct lb_error *err, lb_err code, lb_step step, int ldap_code,
	       const char *server, const char *fmt, ...)
	__attribute__((format(__MINGW_PRINTF_FORMAT, 6, 7)));
lb_err wl_err_from_ldap(ULONG rc);
lb_err wl_establish(lb_conn *conn, struct lb_error *err);
void wl_drop(lb_conn *conn);
const char *wl_uri(const lb_conn *conn);
bool wl_link_error(ULONG rc);

/* The cancelled call's record, worded as the libldap backend words it. */
lb_err wl_fail_cancelled(struct lb_error *err, lb_step step, const char *server);

/* wl_wait.c: the whole answer (LDAP_MSG_ALL) to request msgid, read in
 * short slices so that lb_conn_cancel() stops the wait.  LDAP_SUCCESS with
 * *out (free with ldap_msgfree); LDAP_USER_CANCELLED once conn is
 * cancelled; LDAP_TIMEOUT after timeout_ms; otherwise the link's error
 * code.  abandon: on cancel or timeout, ldap_abandon() the request. */
ULONG wl_wait(lb_conn *conn, LDAP *ld, ULONG msgid, unsigned timeout_ms, bool abandon,
	      LDAPMessage **out);
/* The error of the last failed call on ld (LDAP_SERVER_DOWN if unknown). */
ULONG wl_last_error(LDAP *ld);

/* wl_result.c */
lb_result *wl_result_new(void);
lb_err wl_result_add(LDAP *ld, lb_result *res, LDAPMessage *msg);
/* Copies of entries [from, from + count) of src (clipped to its end). */
lb_result *wl_result_slice(const lb_result *src, size_t from, size_t count);
lb_err wl_result_sort(lb_result *res, const struct lb_sort_key *keys, size_t n);

/* wl_search.c (lock held) */
lb_err wl_search_locked(lb_conn *conn, const struct lb_search_params *p,
			lb_result **out, struct lb_error *err);

#endif
