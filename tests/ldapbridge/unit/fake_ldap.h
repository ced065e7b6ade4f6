/*
 * fake_ldap.h - a scripted LDAP server behind libldap's API, linked in with
 * -Wl,--wrap=ldap_... so ldapbridge's own code runs unchanged.
 *
 * Handles are real libldap handles (options, TLS contexts and control
 * encoding are libldap's own); everything that would touch the network or
 * read a server's answer is replaced: connect, StartTLS, binds, searches,
 * ldap_result and the message accessors.  Each configured server answers
 * its root DSE by itself; searches pop scripted responses from that
 * server's queue.  A fake clock moves when a wait times out.
 */
#ifndef LB_FAKE_LDAP_H
#define LB_FAKE_LDAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FAKE_NONE 0
#define FAKE_TIMEOUT 1 /* ldap_result() returns 0 after advancing the clock */
#define FAKE_DOWN 2    /* ldap_result() returns -1, LDAP_SERVER_DOWN */

#define FAKE_MAX_ATTRS 40
#define FAKE_MAX_VALS 8

struct fake_attr {
	const char *name;
	const char *vals[FAKE_MAX_VALS]; /* strings, or see fake_binary_value() */
};

struct fake_entry {
	const char *dn;
	struct fake_attr attrs[FAKE_MAX_ATTRS];
};

struct fake_resp {
	int send_rc;                  /* ldap_search_ext() fails with this */
	const struct fake_entry *entries;
	int n_entries;
	int event;                    /* FAKE_TIMEOUT / FAKE_DOWN ... */
	int event_after;              /* ... after this many entries */
	int code;                     /* result code of the search */
	const char *diag;
	bool page;                    /* send a paged results response */
	const char *page_cookie;      /* "" ends the paging */
	bool page_malformed;
	bool sort;                    /* send a sort response */
	int sort_result;
	bool vlv;                     /* send a VLV response */
	int vlv_target, vlv_count, vlv_result;
	const char *vlv_context;
	bool vlv_malformed;
};

struct fake_server {
	const char *uri;
	int connect_rc;               /* ldap_connect() result */
	bool connect_timeout;         /* connect eats the network timeout */
	bool tcp_up;                  /* TCP worked (a TLS failure) */
	int starttls_rc;
	int bind_code;                /* answer to a bind */
	const char *bind_diag;        /* its diagnostic message, or NULL */
	int bind_event;               /* FAKE_TIMEOUT / FAKE_DOWN on the bind */
	int dse_event;                /* FAKE_TIMEOUT / FAKE_DOWN on the root DSE */
	const char *controls[4];      /* supportedControl values */
	bool ad;
	int gssapi_rc;
};

/* A paged request with page size 0 (RFC 2696 abandon) is recorded in
 * fake_reqs and answered with success at once: it takes no scripted answer. */
struct fake_req {
	char uri[256];
	char base[256];
	char filter[256];
	char attr0[128];
	int scope;
	int sizelimit;
	bool paged, paged_critical, sort, sort_critical, vlv;
	int page_size;                /* of a paged request */
	char page_cookie[32];         /* cookie sent with it ("" none) */
	bool sort_has_default_rule;   /* the sort control names 2.5.13.3 */
	bool vlv_has_context;         /* the VLV control carries "ctx-" */
	char vlv_context[32];
};

struct fake_bind {
	char uri[256];
	char dn[256];
	char mech[32];
	char cred[128];
};

/* Script. */
void fake_reset(void);
void fake_add_server(const struct fake_server *s); /* copied */
struct fake_server *fake_server(const char *uri);   /* to change it later */
void fake_push(const char *uri, const struct fake_resp *r); /* copied */
/* The value stored at p (as a vals[] pointer) is len bytes long, NULs
 * included, instead of a C string (up to 8 such values). */
void fake_binary_value(const char *p, size_t len);
extern uint64_t fake_now_ms;
uint64_t fake_clock(void *ctx);

/* What happened. */
extern int fake_n_connects;
extern char fake_connects[32][256];       /* URIs, in ldap_connect() order */
extern int fake_n_reqs;
extern struct fake_req fake_reqs[64];     /* searches except root DSE reads */
extern int fake_n_binds;
extern struct fake_bind fake_binds[32];
extern int fake_n_abandons;
extern int fake_n_results_before_last_send; /* ldap_result calls seen before the last search was sent */
extern int fake_n_result_calls;
extern long fake_last_wait_ms;            /* timeout passed to the last ldap_result */
extern long fake_connect_timeouts_ms[32]; /* network timeout at each connect */
extern int fake_open_handles;             /* handles not yet unbound */
extern int fake_n_get_dn_ber;             /* entries read the one-pass way */

#endif
