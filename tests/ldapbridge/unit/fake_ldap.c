/*
 * fake_ldap.c - the scripted server behind the wrapped libldap functions.
 * See fake_ldap.h.
 */
#include "fake_ldap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldap.h>

extern _Thread_local bool lb__tcp_connected;

/* The real functions the fake builds on. */
int __real_ldap_initialize(LDAP **ld, const char *uri);
int __real_ldap_unbind_ext(LDAP *ld, LDAPControl **s, LDAPControl **c);
void __real_ber_free(BerElement *ber, int freebuf);

#define MAX_SERVERS 8
#define MAX_QUEUE 32
#define MAX_HANDLES 16
#define MAX_PENDING 64
#define MSG_MAGIC 0x46414b45

struct server {
	struct fake_server cfg;
	char uri[256];
	struct fake_resp queue[MAX_QUEUE];
	int head, tail;
};

enum kind { K_SEARCH, K_BIND, K_DSE };

struct pending {
	int msgid;
	enum kind kind;
	struct fake_resp resp;
	int next;            /* entries emitted */
	bool event_done;
};

struct handle {
	LDAP *ld;
	struct server *srv;
	bool dead;
	struct pending pend[MAX_PENDING];
	int n_pend;
};

struct fmsg {
	int magic;
	int type;
	int msgid;
	const struct fake_entry *entry;
	int code;
	const char *diag;
	LDAPControl **ctrls;
	/* The entry as it would sit in the BER buffer (built on first
	 * ldap_get_dn_ber): DN, types and values back to back with no NULs,
	 * so that readers have to go by length, as with the real library. */
	char *wire;
	struct berval wire_dn;
	struct berval wire_names[FAKE_MAX_ATTRS];
	struct berval wire_vals[FAKE_MAX_ATTRS][FAKE_MAX_VALS];
};

static struct server servers[MAX_SERVERS];
static int n_servers;
static struct handle handles[MAX_HANDLES];
static int next_msgid = 1;

uint64_t fake_now_ms;
int fake_n_connects;
char fake_connects[32][256];
int fake_n_reqs;
struct fake_req fake_reqs[64];
int fake_n_binds;
struct fake_bind fake_binds[32];
int fake_n_abandons;
int fake_n_results_before_last_send;
int fake_n_result_calls;
long fake_last_wait_ms;
long fake_connect_timeouts_ms[32];
int fake_open_handles;
int fake_n_get_dn_ber;

static struct {
	const char *p;
	size_t len;
} binary[8];
static int n_binary;

static const struct fake_entry dse_entry_tmpl = { "", { { NULL, { NULL } } } };

uint64_t fake_clock(void *ctx)
{
	(void)ctx;
	return fake_now_ms;
}

void fake_reset(void)
{
	memset(servers, 0, sizeof(servers));
	n_servers = 0;
	memset(handles, 0, sizeof(handles));
	fake_now_ms = 1000000;
	fake_n_connects = fake_n_reqs = fake_n_binds = fake_n_abandons = 0;
	fake_n_results_before_last_send = fake_n_result_calls = 0;
	fake_last_wait_ms = 0;
	fake_open_handles = 0;
	fake_n_get_dn_ber = 0;
	n_binary = 0;
	memset(fake_reqs, 0, sizeof(fake_reqs));
	memset(fake_binds, 0, sizeof(fake_binds));
}

void fake_add_server(const struct fake_server *s)
{
	struct server *srv = &servers[n_servers++];

	srv->cfg = *s;
	snprintf(srv->uri, sizeof(srv->uri), "%s", s->uri);
	srv->cfg.uri = srv->uri;
}

void fake_binary_value(const char *p, size_t len)
{
	if (n_binary == 8)
		abort();
	binary[n_binary].p = p;
	binary[n_binary].len = len;
	n_binary++;
}

static struct server *find_server(const char *uri)
{
	int i;

	for (i = 0; i < n_servers; i++)
		if (strcmp(servers[i].uri, uri) == 0)
			return &servers[i];
	return NULL;
}

struct fake_server *fake_server(const char *uri)
{
	struct server *s = find_server(uri);
	return s ? &s->cfg : NULL;
}

void fake_push(const char *uri, const struct fake_resp *r)
{
	struct server *s = find_server(uri);

	if (s == NULL || s->tail == MAX_QUEUE) {
		fprintf(stderr, "fake_push: no server %s or queue full\n", uri);
		abort();
	}
	s->queue[s->tail++] = *r;
}

static struct handle *find_handle(LDAP *ld)
{
	int i;

	for (i = 0; i < MAX_HANDLES; i++)
		if (handles[i].ld == ld && ld != NULL)
			return &handles[i];
	return NULL;
}

static void set_code(LDAP *ld, int rc, const char *diag)
{
	ldap_set_option(ld, LDAP_OPT_RESULT_CODE, &rc);
	ldap_set_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, diag);
}

/* ------------------------------------------------------------------------ */

int __wrap_ldap_initialize(LDAP **ld, const char *uri);
int __wrap_ldap_initialize(LDAP **ld, const char *uri)
{
	struct server *s = find_server(uri);
	int rc, i;

	if (s == NULL)
		return LDAP_PARAM_ERROR;
	rc = __real_ldap_initialize(ld, uri);
	if (rc != LDAP_SUCCESS)
		return rc;
	for (i = 0; i < MAX_HANDLES; i++)
		if (handles[i].ld == NULL) {
			memset(&handles[i], 0, sizeof(handles[i]));
			handles[i].ld = *ld;
			handles[i].srv = s;
			fake_open_handles++;
			return LDAP_SUCCESS;
		}
	abort();
}

int __wrap_ldap_unbind_ext(LDAP *ld, LDAPControl **s, LDAPControl **c);
int __wrap_ldap_unbind_ext(LDAP *ld, LDAPControl **s, LDAPControl **c)
{
	struct handle *h = find_handle(ld);

	if (h != NULL) {
		h->ld = NULL;
		fake_open_handles--;
	}
	return __real_ldap_unbind_ext(ld, s, c);
}

int __wrap_ldap_connect(LDAP *ld);
int __wrap_ldap_connect(LDAP *ld)
{
	struct handle *h = find_handle(ld);
	struct timeval *tv = NULL;
	long ms = -1;

	if (ldap_get_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &tv) == LDAP_OPT_SUCCESS && tv) {
		ms = tv->tv_sec * 1000 + tv->tv_usec / 1000;
		ldap_memfree(tv);
	}
	if (fake_n_connects < 32) {
		snprintf(fake_connects[fake_n_connects], 256, "%s", h->srv->uri);
		fake_connect_timeouts_ms[fake_n_connects] = ms;
	}
	fake_n_connects++;
	if (h->srv->cfg.tcp_up)
		lb__tcp_connected = true;
	if (h->srv->cfg.connect_timeout) {
		fake_now_ms += (uint64_t)ms;
		set_code(ld, LDAP_SERVER_DOWN, NULL);
		return LDAP_SERVER_DOWN;
	}
	if (h->srv->cfg.connect_rc != LDAP_SUCCESS) {
		set_code(ld, h->srv->cfg.connect_rc, NULL);
		return h->srv->cfg.connect_rc;
	}
	return LDAP_SUCCESS;
}

int __wrap_ldap_start_tls_s(LDAP *ld, LDAPControl **s, LDAPControl **c);
int __wrap_ldap_start_tls_s(LDAP *ld, LDAPControl **s, LDAPControl **c)
{
	struct handle *h = find_handle(ld);
	return h->srv->cfg.starttls_rc;
}

static int add_pending(struct handle *h, enum kind k, const struct fake_resp *r)
{
	struct pending *p;

	if (h->n_pend == MAX_PENDING)
		abort();
	p = &h->pend[h->n_pend++];
	memset(p, 0, sizeof(*p));
	p->msgid = next_msgid++;
	p->kind = k;
	if (r != NULL)
		p->resp = *r;
	return p->msgid;
}

int __wrap_ldap_sasl_bind(LDAP *ld, const char *dn, const char *mech,
			  struct berval *cred, LDAPControl **s, LDAPControl **c, int *msgid);
int __wrap_ldap_sasl_bind(LDAP *ld, const char *dn, const char *mech,
			  struct berval *cred, LDAPControl **s, LDAPControl **c, int *msgid)
{
	struct handle *h = find_handle(ld);
	struct fake_bind *b = &fake_binds[fake_n_binds++ % 32];
	struct fake_resp r;

	memset(b, 0, sizeof(*b));
	snprintf(b->uri, sizeof(b->uri), "%s", h->srv->uri);
	snprintf(b->dn, sizeof(b->dn), "%s", dn ? dn : "");
	snprintf(b->mech, sizeof(b->mech), "%s", mech ? mech : "SIMPLE");
	if (cred != NULL && cred->bv_val != NULL)
		snprintf(b->cred, sizeof(b->cred), "%.*s", (int)cred->bv_len, cred->bv_val);
	if (h->dead)
		return LDAP_SERVER_DOWN;
	memset(&r, 0, sizeof(r));
	r.code = h->srv->cfg.bind_code;
	r.diag = h->srv->cfg.bind_diag;
	r.event = h->srv->cfg.bind_event;
	*msgid = add_pending(h, K_BIND, &r);
	return LDAP_SUCCESS;
}

int __wrap_ldap_sasl_interactive_bind_s(LDAP *ld, const char *dn, const char *mech,
					LDAPControl **s, LDAPControl **c, unsigned flags,
					LDAP_SASL_INTERACT_PROC *proc, void *defaults);
int __wrap_ldap_sasl_interactive_bind_s(LDAP *ld, const char *dn, const char *mech,
					LDAPControl **s, LDAPControl **c, unsigned flags,
					LDAP_SASL_INTERACT_PROC *proc, void *defaults)
{
	struct handle *h = find_handle(ld);
	struct fake_bind *b = &fake_binds[fake_n_binds++ % 32];

	memset(b, 0, sizeof(*b));
	snprintf(b->uri, sizeof(b->uri), "%s", h->srv->uri);
	snprintf(b->mech, sizeof(b->mech), "%s", mech);
	return h->srv->cfg.gssapi_rc;
}

static bool ctrl_contains(const LDAPControl *c, const char *needle)
{
	return c->ldctl_value.bv_val != NULL &&
	       memmem(c->ldctl_value.bv_val, c->ldctl_value.bv_len, needle, strlen(needle));
}

int __wrap_ldap_search_ext(LDAP *ld, const char *base, int scope, const char *filter,
			   char **attrs, int attrsonly, LDAPControl **sctrls,
			   LDAPControl **cctrls, struct timeval *tv, int sizelimit,
			   int *msgid);
int __wrap_ldap_search_ext(LDAP *ld, const char *base, int scope, const char *filter,
			   char **attrs, int attrsonly, LDAPControl **sctrls,
			   LDAPControl **cctrls, struct timeval *tv, int sizelimit,
			   int *msgid)
{
	struct handle *h = find_handle(ld);
	struct server *s = h->srv;
	struct fake_req *rq;
	struct fake_resp r;
	int i;

	if (h->dead) {
		set_code(ld, LDAP_SERVER_DOWN, NULL);
		return LDAP_SERVER_DOWN;
	}
	if (base[0] == '\0' && scope == LDAP_SCOPE_BASE) {
		memset(&r, 0, sizeof(r));
		r.event = s->cfg.dse_event;
		*msgid = add_pending(h, K_DSE, &r);
		return LDAP_SUCCESS;
	}
	rq = &fake_reqs[fake_n_reqs++ % 64];
	memset(rq, 0, sizeof(*rq));
	snprintf(rq->uri, sizeof(rq->uri), "%s", s->uri);
	snprintf(rq->base, sizeof(rq->base), "%s", base);
	snprintf(rq->filter, sizeof(rq->filter), "%s", filter ? filter : "");
	snprintf(rq->attr0, sizeof(rq->attr0), "%s", attrs && attrs[0] ? attrs[0] : "");
	rq->scope = scope;
	rq->sizelimit = sizelimit;
	for (i = 0; sctrls != NULL && sctrls[i] != NULL; i++) {
		const LDAPControl *c = sctrls[i];
		if (strcmp(c->ldctl_oid, LDAP_CONTROL_PAGEDRESULTS) == 0) {
			BerElement *b = ber_init((struct berval *)&c->ldctl_value);
			ber_int_t size = -1;
			struct berval ck = { 0, NULL };

			rq->paged = true;
			rq->paged_critical = c->ldctl_iscritical;
			if (b == NULL || ber_scanf(b, "{im}", &size, &ck) == LBER_ERROR)
				abort();
			rq->page_size = size;
			snprintf(rq->page_cookie, sizeof(rq->page_cookie), "%.*s",
				 (int)ck.bv_len, ck.bv_val ? ck.bv_val : "");
			__real_ber_free(b, 1);
		} else if (strcmp(c->ldctl_oid, LDAP_CONTROL_SORTREQUEST) == 0) {
			rq->sort = true;
			rq->sort_critical = c->ldctl_iscritical;
			rq->sort_has_default_rule = ctrl_contains(c, "2.5.13.3");
		} else if (strcmp(c->ldctl_oid, LDAP_CONTROL_VLVREQUEST) == 0) {
			const char *p;
			rq->vlv = true;
			rq->vlv_has_context = ctrl_contains(c, "ctx-");
			p = c->ldctl_value.bv_val ?
				memmem(c->ldctl_value.bv_val, c->ldctl_value.bv_len, "ctx-", 4) : NULL;
			if (p != NULL)
				snprintf(rq->vlv_context, sizeof(rq->vlv_context), "%.*s",
					 (int)(c->ldctl_value.bv_len - (size_t)(p - c->ldctl_value.bv_val)),
					 p);
		}
	}
	fake_n_results_before_last_send = fake_n_result_calls;
	if (rq->paged && rq->page_size == 0) {
		memset(&r, 0, sizeof(r)); /* abandoning a paged search: done */
		*msgid = add_pending(h, K_SEARCH, &r);
		return LDAP_SUCCESS;
	}
	if (s->head == s->tail) {
		fprintf(stderr, "fake: no scripted answer on %s for %s %s\n", s->uri, base, filter);
		abort();
	}
	r = s->queue[s->head++];
	if (r.send_rc != LDAP_SUCCESS) {
		set_code(ld, r.send_rc, NULL);
		if (r.send_rc == LDAP_SERVER_DOWN)
			h->dead = true;
		return r.send_rc;
	}
	*msgid = add_pending(h, K_SEARCH, &r);
	return LDAP_SUCCESS;
}

int __wrap_ldap_abandon_ext(LDAP *ld, int msgid, LDAPControl **s, LDAPControl **c);
int __wrap_ldap_abandon_ext(LDAP *ld, int msgid, LDAPControl **s, LDAPControl **c)
{
	struct handle *h = find_handle(ld);
	int i;

	fake_n_abandons++;
	for (i = 0; h != NULL && i < h->n_pend; i++)
		if (h->pend[i].msgid == msgid) {
			memmove(&h->pend[i], &h->pend[i + 1],
				(size_t)(h->n_pend - i - 1) * sizeof(h->pend[0]));
			h->n_pend--;
			break;
		}
	return LDAP_SUCCESS;
}

/* ------------------------------------------------------------------------ */
/* Controls in answers                                                      */
/* ------------------------------------------------------------------------ */

static LDAPControl *finish_ctrl(const char *oid, BerElement *ber, int rc)
{
	struct berval bv;
	LDAPControl *c = NULL;

	if (rc < 0 || ber_flatten2(ber, &bv, 0) < 0)
		abort();
	if (ldap_control_create(oid, 0, &bv, 1, &c) != LDAP_SUCCESS)
		abort();
	__real_ber_free(ber, 1);
	return c;
}

static LDAPControl *garbage_ctrl(const char *oid)
{
	struct berval bv = { 5, "\x30\x7f\x02\x01\xff" };
	LDAPControl *c = NULL;

	if (ldap_control_create(oid, 0, &bv, 1, &c) != LDAP_SUCCESS)
		abort();
	return c;
}

static LDAPControl **answer_ctrls(const struct fake_resp *r)
{
	LDAPControl **list = ldap_memcalloc(4, sizeof(*list));
	int n = 0;

	if (r->page) {
		struct berval ck = { strlen(r->page_cookie ? r->page_cookie : ""),
				     (char *)(r->page_cookie ? r->page_cookie : "") };
		BerElement *b = ber_alloc_t(LBER_USE_DER);
		list[n++] = r->page_malformed ? garbage_ctrl(LDAP_CONTROL_PAGEDRESULTS) :
			finish_ctrl(LDAP_CONTROL_PAGEDRESULTS, b, ber_printf(b, "{iO}", 0, &ck));
		if (r->page_malformed)
			__real_ber_free(b, 1);
	}
	if (r->sort) {
		BerElement *b = ber_alloc_t(LBER_USE_DER);
		list[n++] = finish_ctrl(LDAP_CONTROL_SORTRESPONSE, b,
					ber_printf(b, "{e}", r->sort_result));
	}
	if (r->vlv) {
		if (r->vlv_malformed) {
			list[n++] = garbage_ctrl(LDAP_CONTROL_VLVRESPONSE);
		} else if (r->vlv_context != NULL) {
			struct berval ctx = { strlen(r->vlv_context), (char *)r->vlv_context };
			BerElement *b = ber_alloc_t(LBER_USE_DER);
			list[n++] = finish_ctrl(LDAP_CONTROL_VLVRESPONSE, b,
						ber_printf(b, "{iieO}", r->vlv_target, r->vlv_count,
							   r->vlv_result, &ctx));
		} else {
			BerElement *b = ber_alloc_t(LBER_USE_DER);
			list[n++] = finish_ctrl(LDAP_CONTROL_VLVRESPONSE, b,
						ber_printf(b, "{iie}", r->vlv_target, r->vlv_count,
							   r->vlv_result));
		}
	}
	if (n == 0) {
		ldap_memfree(list);
		return NULL;
	}
	return list;
}

/* The root DSE of a server, built once per read. */
static struct fake_entry *dse_entry(const struct server *s)
{
	struct fake_entry *e = calloc(1, sizeof(*e));
	int i;

	*e = dse_entry_tmpl;
	e->attrs[0].name = "supportedControl";
	for (i = 0; i < 4 && s->cfg.controls[i]; i++)
		e->attrs[0].vals[i] = s->cfg.controls[i];
	e->attrs[1].name = "namingContexts";
	e->attrs[1].vals[0] = "dc=example,dc=com";
	e->attrs[2].name = "objectClass";
	e->attrs[2].vals[0] = s->cfg.ad ? "top" : "OpenLDAProotDSE";
	if (s->cfg.ad) {
		e->attrs[3].name = "supportedCapabilities";
		e->attrs[3].vals[0] = "1.2.840.113556.1.4.800";
	}
	return e;
}

int __wrap_ldap_result(LDAP *ld, int msgid, int all, struct timeval *tv, LDAPMessage **res);
int __wrap_ldap_result(LDAP *ld, int msgid, int all, struct timeval *tv, LDAPMessage **res)
{
	struct handle *h = find_handle(ld);
	struct pending *p = NULL;
	struct fmsg *m;
	int i;

	fake_n_result_calls++;
	*res = NULL;
	fake_last_wait_ms = tv ? tv->tv_sec * 1000 + tv->tv_usec / 1000 : -1;
	if (h->dead) {
		set_code(ld, LDAP_SERVER_DOWN, NULL);
		return -1;
	}
	for (i = 0; i < h->n_pend; i++)
		if (msgid == LDAP_RES_ANY || h->pend[i].msgid == msgid) {
			p = &h->pend[i];
			break;
		}
	if (p == NULL) {
		fprintf(stderr, "fake: ldap_result for unknown msgid %d\n", msgid);
		abort();
	}
	if (p->resp.event != FAKE_NONE && !p->event_done && p->next == p->resp.event_after) {
		p->event_done = true;
		if (p->resp.event == FAKE_TIMEOUT) {
			fake_now_ms += (uint64_t)(fake_last_wait_ms > 0 ? fake_last_wait_ms : 0);
			return 0;
		}
		h->dead = true;
		set_code(ld, LDAP_SERVER_DOWN, NULL);
		return -1;
	}
	m = calloc(1, sizeof(*m));
	m->magic = MSG_MAGIC;
	m->msgid = p->msgid;
	if (p->kind == K_DSE && p->next == 0) {
		m->type = LDAP_RES_SEARCH_ENTRY;
		m->entry = dse_entry(h->srv);
		p->next++;
	} else if (p->kind == K_SEARCH && p->next < p->resp.n_entries) {
		m->type = LDAP_RES_SEARCH_ENTRY;
		m->entry = &p->resp.entries[p->next++];
	} else {
		m->type = p->kind == K_BIND ? LDAP_RES_BIND : LDAP_RES_SEARCH_RESULT;
		m->code = p->resp.code;
		m->diag = p->resp.diag;
		m->ctrls = p->kind == K_SEARCH ? answer_ctrls(&p->resp) : NULL;
		memmove(p, p + 1, (size_t)(h->n_pend - (p - h->pend) - 1) * sizeof(*p));
		h->n_pend--;
	}
	*res = (LDAPMessage *)m;
	return m->type;
}

static struct fmsg *M(LDAPMessage *msg)
{
	struct fmsg *m = (struct fmsg *)msg;
	if (m == NULL || m->magic != MSG_MAGIC)
		abort();
	return m;
}

static size_t val_len(const struct fake_attr *a, int k)
{
	int i;

	for (i = 0; i < n_binary; i++)
		if (binary[i].p == a->vals[k])
			return binary[i].len;
	return strlen(a->vals[k]);
}

int __wrap_ldap_msgtype(LDAPMessage *msg);
int __wrap_ldap_msgtype(LDAPMessage *msg)
{
	return M(msg)->type;
}

int __wrap_ldap_msgid(LDAPMessage *msg);
int __wrap_ldap_msgid(LDAPMessage *msg)
{
	return M(msg)->msgid;
}

int __wrap_ldap_msgfree(LDAPMessage *msg);
int __wrap_ldap_msgfree(LDAPMessage *msg)
{
	struct fmsg *m;
	int type;

	if (msg == NULL)
		return 0;
	m = M(msg);
	type = m->type;
	if (m->entry != NULL && m->entry->dn[0] == '\0')
		free((void *)m->entry); /* a root DSE entry built for this message */
	if (m->ctrls != NULL)
		ldap_controls_free(m->ctrls);
	free(m->wire);
	m->magic = 0;
	free(m);
	return type;
}

char *__wrap_ldap_get_dn(LDAP *ld, LDAPMessage *msg);
char *__wrap_ldap_get_dn(LDAP *ld, LDAPMessage *msg)
{
	return ber_strdup(M(msg)->entry->dn);
}

static char *attr_at(struct fmsg *m, int i)
{
	if (i >= FAKE_MAX_ATTRS || m->entry->attrs[i].name == NULL)
		return NULL;
	return ber_strdup(m->entry->attrs[i].name);
}

/* The attribute iterator handed out as a BerElement.  ber_free() tells it
 * from a real BerElement (ldapbridge encodes controls with liblber) by the
 * magic in front. */
#define ITER_MAGIC 0x49544552
struct iter {
	int magic;
	int at;
};

static struct iter *new_iter(void)
{
	struct iter *it = malloc(sizeof(*it));

	if (it != NULL) {
		it->magic = ITER_MAGIC;
		it->at = 0;
	}
	return it;
}

char *__wrap_ldap_first_attribute(LDAP *ld, LDAPMessage *msg, BerElement **ber);
char *__wrap_ldap_first_attribute(LDAP *ld, LDAPMessage *msg, BerElement **ber)
{
	struct iter *it = new_iter();

	*ber = (BerElement *)it;
	return attr_at(M(msg), 0);
}

char *__wrap_ldap_next_attribute(LDAP *ld, LDAPMessage *msg, BerElement *ber);
char *__wrap_ldap_next_attribute(LDAP *ld, LDAPMessage *msg, BerElement *ber)
{
	struct iter *it = (struct iter *)ber;
	return attr_at(M(msg), ++it->at);
}

void __wrap_ber_free(BerElement *ber, int freebuf);
void __wrap_ber_free(BerElement *ber, int freebuf)
{
	if (ber != NULL && ((struct iter *)ber)->magic != ITER_MAGIC) {
		__real_ber_free(ber, freebuf);
		return;
	}
	free(ber);
}

struct berval **__wrap_ldap_get_values_len(LDAP *ld, LDAPMessage *msg, const char *name);
struct berval **__wrap_ldap_get_values_len(LDAP *ld, LDAPMessage *msg, const char *name)
{
	struct fmsg *m = M(msg);
	int i, n;

	for (i = 0; i < FAKE_MAX_ATTRS && m->entry->attrs[i].name; i++) {
		const struct fake_attr *a = &m->entry->attrs[i];
		struct berval **v;

		if (strcasecmp(a->name, name) != 0)
			continue;
		for (n = 0; n < FAKE_MAX_VALS && a->vals[n]; n++)
			;
		v = ber_memcalloc((ber_len_t)n + 1, sizeof(*v));
		for (n = 0; n < FAKE_MAX_VALS && a->vals[n]; n++)
			v[n] = ber_mem2bv((char *)a->vals[n], val_len(a, n), 1, NULL);
		return v;
	}
	return NULL;
}

/* Build m->wire and the bervals into it; false when out of memory. */
static bool build_wire(struct fmsg *m)
{
	const struct fake_entry *e = m->entry;
	size_t total = strlen(e->dn), off;
	int i, k;

	for (i = 0; i < FAKE_MAX_ATTRS && e->attrs[i].name; i++) {
		total += strlen(e->attrs[i].name);
		for (k = 0; k < FAKE_MAX_VALS && e->attrs[i].vals[k]; k++)
			total += val_len(&e->attrs[i], k);
	}
	m->wire = malloc(total + 1);
	if (m->wire == NULL)
		return false;
	memset(m->wire, '#', total + 1); /* never a NUL after a value */
	off = 0;
	m->wire_dn.bv_val = m->wire;
	m->wire_dn.bv_len = strlen(e->dn);
	memcpy(m->wire, e->dn, m->wire_dn.bv_len);
	off += m->wire_dn.bv_len;
	for (i = 0; i < FAKE_MAX_ATTRS && e->attrs[i].name; i++) {
		const struct fake_attr *a = &e->attrs[i];

		m->wire_names[i].bv_val = m->wire + off;
		m->wire_names[i].bv_len = strlen(a->name);
		memcpy(m->wire + off, a->name, m->wire_names[i].bv_len);
		off += m->wire_names[i].bv_len;
		for (k = 0; k < FAKE_MAX_VALS && a->vals[k]; k++) {
			m->wire_vals[i][k].bv_val = m->wire + off;
			m->wire_vals[i][k].bv_len = val_len(a, k);
			memcpy(m->wire + off, a->vals[k], m->wire_vals[i][k].bv_len);
			off += m->wire_vals[i][k].bv_len;
		}
	}
	return true;
}

int __wrap_ldap_get_dn_ber(LDAP *ld, LDAPMessage *msg, BerElement **ber, struct berval *dn);
int __wrap_ldap_get_dn_ber(LDAP *ld, LDAPMessage *msg, BerElement **ber, struct berval *dn)
{
	struct fmsg *m = M(msg);
	struct iter *it;

	fake_n_get_dn_ber++;
	dn->bv_val = NULL;
	dn->bv_len = 0;
	*ber = NULL;
	if (m->type != LDAP_RES_SEARCH_ENTRY) {
		set_code(ld, LDAP_DECODING_ERROR, NULL);
		return LDAP_DECODING_ERROR;
	}
	if (m->wire == NULL && !build_wire(m))
		return LDAP_NO_MEMORY;
	it = new_iter(); /* the same iterator ber_free() takes back */
	if (it == NULL)
		return LDAP_NO_MEMORY;
	*ber = (BerElement *)it;
	*dn = m->wire_dn;
	return LDAP_SUCCESS;
}

int __wrap_ldap_get_attribute_ber(LDAP *ld, LDAPMessage *msg, BerElement *ber,
				  struct berval *attr, struct berval **vals);
int __wrap_ldap_get_attribute_ber(LDAP *ld, LDAPMessage *msg, BerElement *ber,
				  struct berval *attr, struct berval **vals)
{
	struct fmsg *m = M(msg);
	struct iter *it = (struct iter *)ber;
	int i = it->at, n;

	attr->bv_val = NULL;
	attr->bv_len = 0;
	if (m->wire == NULL)
		abort(); /* ldap_get_dn_ber() comes first */
	if (i >= FAKE_MAX_ATTRS || m->entry->attrs[i].name == NULL)
		return LDAP_SUCCESS; /* the end: no type */
	it->at++;
	*attr = m->wire_names[i];
	for (n = 0; n < FAKE_MAX_VALS && m->entry->attrs[i].vals[n]; n++)
		;
	if (vals == NULL)
		return LDAP_SUCCESS;
	*vals = NULL;
	if (n > 0) {
		/* like liblber's "M": one array, values left in the buffer */
		*vals = ber_memcalloc((ber_len_t)n + 1, sizeof(**vals));
		if (*vals == NULL)
			return LDAP_NO_MEMORY;
		memcpy(*vals, m->wire_vals[i], (size_t)n * sizeof(**vals));
	}
	return LDAP_SUCCESS;
}

int __wrap_ldap_parse_result(LDAP *ld, LDAPMessage *msg, int *code, char **matched,
			     char **diag, char ***refs, LDAPControl ***ctrls, int freeit);
int __wrap_ldap_parse_result(LDAP *ld, LDAPMessage *msg, int *code, char **matched,
			     char **diag, char ***refs, LDAPControl ***ctrls, int freeit)
{
	struct fmsg *m = M(msg);

	*code = m->code;
	if (matched)
		*matched = NULL;
	if (diag)
		*diag = m->diag ? ber_strdup(m->diag) : NULL;
	if (refs)
		*refs = NULL;
	if (ctrls) {
		*ctrls = NULL;
		*ctrls = m->ctrls; /* hand over: the caller frees them */
		m->ctrls = NULL;
	}
	if (freeit)
		__wrap_ldap_msgfree(msg);
	return LDAP_SUCCESS;
}
