/*
 * wine_cancel.c - lb_conn_cancel() wakes a call of the Windows backend
 * that waits inside wldap32 for a server, run under Wine.
 *
 * The server is this program's own Winsock listener on 127.0.0.1: it
 * answers the first requests of its script (an anonymous bind, the root
 * DSE) and then reads the next request and never answers it.  The call
 * runs in a second thread with connect and operation timeouts of 60 s.
 * Once the listener has read that request (so the call has sent it and
 * waits for the answer), the main thread cancels; the call must return
 * LB_E_CANCELLED at the step it waited in, within PROMPT_MS of the cancel.
 * A call that waits out its timeout instead is caught by the 10 s bound
 * on the wait for the thread.  Stages, one connection each:
 *   - waiting for the bind answer (step bind);
 *   - waiting for the root DSE (step root DSE read);
 *   - waiting for a search answer (step search), the request abandoned;
 *   - waiting for a VLV window (step search; the root DSE offers the sort
 *     and VLV controls), the request abandoned.
 * After each, a later call fails at once.  No sleeps: every hand-over is an
 * event.  Plain C; exits 1 at the first failure.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <process.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldapbridge/lb.h>

#include "wine_check.h"

#define TIMEOUT_MS 60000    /* the connection's connect and operation timeouts */
#define BOUND_MS 10000      /* how long any hand-over may take */
#define PROMPT_MS 2000      /* a cancelled call returns within this */

/* LDAP protocol operation tags (RFC 4511). */
#define OP_BIND 0x60
#define OP_BIND_RESPONSE 0x61
#define OP_UNBIND 0x42
#define OP_SEARCH 0x63
#define OP_SEARCH_ENTRY 0x64
#define OP_SEARCH_DONE 0x65
#define OP_ABANDON 0x50

/* ------------------------------------------------------------------------ */
/* BER, as much as the script needs                                         */
/* ------------------------------------------------------------------------ */

struct ber {
	unsigned char b[1024];
	size_t n;
};

static void ber_raw(struct ber *o, const void *p, size_t len)
{
	CHECK(o->n + len <= sizeof(o->b), "BER buffer full");
	memcpy(o->b + o->n, p, len);
	o->n += len;
}

static void ber_tlv(struct ber *o, unsigned char tag, const void *p, size_t len)
{
	unsigned char h[4] = { tag };
	size_t hn;

	CHECK(len < 65536, "BER value too long");
	if (len < 0x80) {
		h[1] = (unsigned char)len;
		hn = 2;
	} else if (len < 0x100) {
		h[1] = 0x81;
		h[2] = (unsigned char)len;
		hn = 3;
	} else {
		h[1] = 0x82;
		h[2] = (unsigned char)(len >> 8);
		h[3] = (unsigned char)len;
		hn = 4;
	}
	ber_raw(o, h, hn);
	ber_raw(o, p, len);
}

static void ber_str(struct ber *o, const char *s)
{
	ber_tlv(o, 0x04, s, strlen(s));
}

static void ber_wrap(struct ber *o, unsigned char tag, const struct ber *inner)
{
	ber_tlv(o, tag, inner->b, inner->n);
}

/* resultCode success, empty matchedDN and diagnosticMessage */
static void ber_success(struct ber *o)
{
	static const unsigned char ok[] = { 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00 };

	ber_raw(o, ok, sizeof(ok));
}

/* ------------------------------------------------------------------------ */
/* The scripted server                                                      */
/* ------------------------------------------------------------------------ */

struct server {
	SOCKET listener, peer;
	int port;
	int answers;            /* requests answered before falling silent */
	bool vlv_controls;      /* the root DSE offers sort and VLV */
	HANDLE thread;
	HANDLE waiting;         /* set once the unanswered request was read */
	HANDLE abandoned;       /* set once that request was abandoned */
	int silent_op;          /* its operation tag */
	unsigned long silent_id;
};

static bool recv_all(SOCKET s, unsigned char *p, size_t len)
{
	while (len > 0) {
		int got = recv(s, (char *)p, (int)len, 0);

		if (got <= 0)
			return false;
		p += got;
		len -= (size_t)got;
	}
	return true;
}

static void send_all(SOCKET s, const struct ber *m)
{
	CHECK(send(s, (const char *)m->b, (int)m->n, 0) == (int)m->n,
	      "send: WSA error %d", WSAGetLastError());
}

/* One LDAPMessage: its id, operation tag and operation body. */
static bool read_message(SOCKET s, unsigned long *id, int *op, unsigned char *body,
			 size_t cap, size_t *body_len)
{
	unsigned char h[2], lb[4], *m;
	size_t len = 0, pos, n;
	bool ok;

	if (!recv_all(s, h, 2))
		return false;
	CHECK(h[0] == 0x30, "not an LDAPMessage: tag %#x", h[0]);
	if (h[1] & 0x80) {
		n = h[1] & 0x7f;
		CHECK(n >= 1 && n <= 4, "length of %u bytes", (unsigned)n);
		if (!recv_all(s, lb, n))
			return false;
		for (size_t i = 0; i < n; i++)
			len = len << 8 | lb[i];
	} else {
		len = h[1];
	}
	CHECK(len >= 5 && len < 65536, "message of %u bytes", (unsigned)len);
	m = malloc(len);
	CHECK(m != NULL, "out of memory");
	ok = recv_all(s, m, len);
	if (ok) {
		CHECK(m[0] == 0x02 && m[1] >= 1 && m[1] <= 4, "no message ID");
		*id = 0;
		for (size_t i = 0; i < m[1]; i++)
			*id = *id << 8 | m[2 + i];
		pos = 2 + m[1];
		*op = m[pos];
		/* the body after the operation's tag and length */
		n = 1;
		if (m[pos + 1] & 0x80)
			n += m[pos + 1] & 0x7f;
		pos += 1 + n;
		CHECK(pos <= len, "truncated operation");
		*body_len = len - pos < cap ? len - pos : cap;
		memcpy(body, m + pos, *body_len);
	}
	free(m);
	return ok;
}

static void reply(SOCKET s, unsigned long id, unsigned char op, const struct ber *body)
{
	struct ber msg = { .n = 0 }, out = { .n = 0 };
	unsigned char idb[4];
	size_t n = 0;

	/* INTEGER: big-endian, shortest form with a clear sign bit */
	if (id >= 0x800000)
		idb[n++] = (unsigned char)(id >> 24);
	if (id >= 0x8000)
		idb[n++] = (unsigned char)(id >> 16);
	if (id >= 0x80)
		idb[n++] = (unsigned char)(id >> 8);
	idb[n++] = (unsigned char)id;
	ber_tlv(&msg, 0x02, idb, n);
	ber_wrap(&msg, op, body);
	ber_wrap(&out, 0x30, &msg);
	send_all(s, &out);
}

static void answer(struct server *sv, unsigned long id, int op)
{
	struct ber done = { .n = 0 };

	ber_success(&done);
	if (op == OP_BIND) {
		reply(sv->peer, id, OP_BIND_RESPONSE, &done);
		return;
	}
	CHECK(op == OP_SEARCH, "request with operation %#x to answer", op);
	if (sv->vlv_controls) {
		struct ber vals = { .n = 0 }, attr = { .n = 0 }, attrs = { .n = 0 },
			   list = { .n = 0 }, entry = { .n = 0 };

		ber_str(&vals, "1.2.840.113556.1.4.473");  /* server-side sort */
		ber_str(&vals, "2.16.840.1.113730.3.4.9"); /* VLV */
		ber_str(&attr, "supportedControl");
		ber_wrap(&attr, 0x31, &vals);
		ber_wrap(&attrs, 0x30, &attr);
		ber_wrap(&list, 0x30, &attrs);
		ber_str(&entry, "");
		ber_raw(&entry, list.b, list.n);
		reply(sv->peer, id, OP_SEARCH_ENTRY, &entry);
	}
	reply(sv->peer, id, OP_SEARCH_DONE, &done);
}

static unsigned __stdcall server_run(void *arg)
{
	struct server *sv = arg;
	unsigned char body[64];
	size_t body_len;
	unsigned long id;
	int op, n = 0;

	sv->peer = accept(sv->listener, NULL, NULL);
	CHECK(sv->peer != INVALID_SOCKET, "accept: WSA error %d", WSAGetLastError());
	while (read_message(sv->peer, &id, &op, body, sizeof(body), &body_len)) {
		if (n < sv->answers) {
			answer(sv, id, op);
		} else if (n == sv->answers) {
			sv->silent_op = op;
			sv->silent_id = id;
			SetEvent(sv->waiting);
		} else if (op == OP_ABANDON) {
			unsigned long which = 0;

			for (size_t i = 0; i < body_len; i++)
				which = which << 8 | body[i];
			if (which == sv->silent_id)
				SetEvent(sv->abandoned);
		}
		n++;
	}
	return 0;
}

static void server_start(struct server *sv, int answers, bool vlv_controls)
{
	struct sockaddr_in a;
	int alen = sizeof(a);

	memset(sv, 0, sizeof(*sv));
	sv->answers = answers;
	sv->vlv_controls = vlv_controls;
	sv->silent_op = -1;
	sv->peer = INVALID_SOCKET;
	sv->listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	CHECK(sv->listener != INVALID_SOCKET, "socket: WSA error %d", WSAGetLastError());
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = 0;
	CHECK(bind(sv->listener, (struct sockaddr *)&a, sizeof(a)) == 0, "bind: WSA error %d",
	      WSAGetLastError());
	CHECK(listen(sv->listener, 1) == 0, "listen: WSA error %d", WSAGetLastError());
	CHECK(getsockname(sv->listener, (struct sockaddr *)&a, &alen) == 0, "getsockname");
	sv->port = ntohs(a.sin_port);
	sv->waiting = CreateEventW(NULL, TRUE, FALSE, NULL);
	sv->abandoned = CreateEventW(NULL, TRUE, FALSE, NULL);
	CHECK(sv->waiting != NULL && sv->abandoned != NULL, "CreateEvent");
	sv->thread = (HANDLE)_beginthreadex(NULL, 0, server_run, sv, 0, NULL);
	CHECK(sv->thread != NULL, "server thread");
}

/* After the client closed its link: the server reads the end and stops. */
static void server_stop(struct server *sv)
{
	CHECK(WaitForSingleObject(sv->thread, BOUND_MS) == WAIT_OBJECT_0,
	      "the server did not see the link close within %d ms", BOUND_MS);
	CloseHandle(sv->thread);
	CloseHandle(sv->waiting);
	CloseHandle(sv->abandoned);
	closesocket(sv->peer);
	closesocket(sv->listener);
}

/* ------------------------------------------------------------------------ */
/* The call, in its own thread                                              */
/* ------------------------------------------------------------------------ */

enum call_kind { CALL_SEARCH, CALL_VLV_WINDOW };

struct call {
	enum call_kind kind;
	lb_conn *conn;
	lb_err rc;
	struct lb_error err;
	volatile LONG returned;
	ULONGLONG returned_ms;
};

static const struct lb_sort_key by_cn = { "cn", NULL, false };

static unsigned __stdcall call_run(void *arg)
{
	struct call *c = arg;
	lb_result *res = NULL;

	if (c->kind == CALL_SEARCH) {
		struct lb_search_params p;

		lb_search_params_init(&p);
		p.base = "dc=example,dc=com";
		p.filter = "(cn=*)";
		c->rc = lb_search(c->conn, &p, &res, &c->err);
	} else {
		struct lb_vlv_params p;
		struct lb_vlv_target t = { .by_value = false, .offset = 1 };
		struct lb_vlv_pos pos;
		lb_vlv *vlv = NULL;

		lb_vlv_params_init(&p);
		p.base = "dc=example,dc=com";
		p.sort = &by_cn;
		p.n_sort = 1;
		c->rc = lb_vlv_open(c->conn, &p, &vlv, &c->err);
		if (c->rc == LB_OK)
			c->rc = lb_vlv_window(vlv, 0, 9, &t, &res, &pos, &c->err);
		lb_vlv_close(vlv);
	}
	c->returned_ms = GetTickCount64();
	InterlockedExchange(&c->returned, 1);
	lb_result_free(res);
	return 0;
}

static const char *op_name(int op)
{
	return op == OP_BIND ? "bind" : op == OP_SEARCH ? "search" : "other";
}

/* One stage: a fresh server answering `answers` requests, a call blocked on
 * the next one (which must be want_op), the cancel, the checks. */
static void cancel_stage(const char *what, int answers, bool vlv_controls, enum call_kind kind,
			 int want_op, lb_step want_step, bool want_abandon)
{
	struct server sv;
	struct lb_config c;
	struct lb_error err;
	struct lb_search_params p;
	struct call call;
	lb_result *res = NULL;
	char uri[64];
	HANDLE th;
	ULONGLONG t_cancel, t0;
	unsigned long ms;

	server_start(&sv, answers, vlv_controls);
	snprintf(uri, sizeof(uri), "ldap://127.0.0.1:%d", sv.port);
	lb_config_init(&c);
	c.uris = uri;
	c.connect_timeout_ms = TIMEOUT_MS;
	c.op_timeout_ms = TIMEOUT_MS;
	memset(&call, 0, sizeof(call));
	call.kind = kind;
	CHECK(lb_conn_open(&c, &call.conn, &err) == LB_OK, "%s: open: %s", what, err.message);
	th = (HANDLE)_beginthreadex(NULL, 0, call_run, &call, 0, NULL);
	CHECK(th != NULL, "%s: call thread", what);

	/* The server read the request it will not answer: the call waits. */
	if (WaitForSingleObject(sv.waiting, BOUND_MS) != WAIT_OBJECT_0) {
		CHECK(call.returned, "%s: the server saw no request %d within %d ms", what,
		      answers + 1, BOUND_MS);
		CHECK(false, "%s: the call returned before its request: %s: %s", what,
		      lb_err_name(call.rc), call.err.message);
	}
	CHECK(sv.silent_op == want_op, "%s: waiting on a %s request, want %s", what,
	      op_name(sv.silent_op), op_name(want_op));
	CHECK(!call.returned, "%s: the call returned before the cancel: %s: %s", what,
	      lb_err_name(call.rc), call.err.message);

	t_cancel = GetTickCount64();
	lb_conn_cancel(call.conn);
	CHECK(WaitForSingleObject(th, BOUND_MS) == WAIT_OBJECT_0,
	      "%s: the cancelled call still waits %d ms later", what, BOUND_MS);
	CloseHandle(th);
	ms = (unsigned long)(call.returned_ms - t_cancel);
	printf("%s: %s after %lu ms (step %s): %s\n", what, lb_err_name(call.rc), ms,
	       lb_step_name(call.err.step), call.err.message);
	CHECK(call.rc == LB_E_CANCELLED, "%s: %s, want LB_E_CANCELLED", what, lb_err_name(call.rc));
	CHECK(call.err.code == LB_E_CANCELLED, "%s: err.code %s", what, lb_err_name(call.err.code));
	CHECK(call.err.step == want_step, "%s: step %s, want %s", what,
	      lb_step_name(call.err.step), lb_step_name(want_step));
	CHECK(strstr(call.err.message, "cancelled") != NULL, "%s: message \"%s\"", what,
	      call.err.message);
	CHECK(ms < PROMPT_MS, "%s: returned %lu ms after the cancel (timeout %d ms)", what, ms,
	      TIMEOUT_MS);
	if (want_abandon)
		CHECK(WaitForSingleObject(sv.abandoned, BOUND_MS) == WAIT_OBJECT_0,
		      "%s: request %lu was not abandoned", what, sv.silent_id);

	/* Later calls fail at once, without the network. */
	lb_search_params_init(&p);
	p.base = "dc=example,dc=com";
	t0 = GetTickCount64();
	CHECK(lb_search(call.conn, &p, &res, &err) == LB_E_CANCELLED, "%s: later search: %s",
	      what, err.message);
	CHECK(res == NULL, "%s: a later search gave a result", what);
	CHECK(GetTickCount64() - t0 < PROMPT_MS, "%s: a later search took %llu ms", what,
	      (unsigned long long)(GetTickCount64() - t0));

	lb_conn_close(call.conn);
	server_stop(&sv);
}

int main(void)
{
	WSADATA wsa;

	setvbuf(stdout, NULL, _IONBF, 0);
	CHECK(WSAStartup(MAKEWORD(2, 2), &wsa) == 0, "WSAStartup");
	cancel_stage("waiting for the bind", 0, false, CALL_SEARCH, OP_BIND, LB_STEP_BIND, false);
	cancel_stage("waiting for the root DSE", 1, false, CALL_SEARCH, OP_SEARCH, LB_STEP_ROOTDSE,
		     true);
	cancel_stage("waiting for a search", 2, false, CALL_SEARCH, OP_SEARCH, LB_STEP_SEARCH, true);
	cancel_stage("waiting for a VLV window", 2, true, CALL_VLV_WINDOW, OP_SEARCH,
		     LB_STEP_SEARCH, true);
	WSACleanup();
	printf("wine_cancel: all stages passed\n");
	return 0;
}
