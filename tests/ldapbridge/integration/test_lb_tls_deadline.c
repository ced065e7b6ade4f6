/*
 * test_lb_tls_deadline.c - a TLS handshake never outlives the connect
 * timeout (lb.h: connect_timeout_ms bounds connect + TLS + bind + root DSE).
 *
 * libldap's own network timeout does not bound the handshake against a
 * server that accepts TCP and then never speaks (libldap 2.5 with GnuTLS
 * spins inside ldap_connect() / ldap_start_tls_s()); ldapbridge enforces
 * the deadline itself by shutting the socket down.  Three servers:
 *   - a silent listener behind an ldaps:// URI (handshake of ldaps://);
 *   - a fake server that answers the StartTLS request with success and then
 *     never speaks again (handshake after StartTLS);
 *   - a silent listener behind ldap:// with StartTLS (the StartTLS answer
 *     itself never comes).
 * Each call must fail with LB_E_TIMEOUT at the TLS step, after at least the
 * connect timeout and well before a guard that rescues a stuck call with
 * lb_conn_cancel() (so a regression fails instead of hanging), and leave no
 * descriptor or thread behind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <ldapbridge/lb.h>

#include "slapd_env.h"

#define CONNECT_MS 600
#define GUARD_MS 8000        /* far beyond CONNECT_MS: only a hang reaches it */

/* ------------------------------------------------------------------------ */
/* Resources of the process                                                 */
/* ------------------------------------------------------------------------ */

static int count_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - (strcmp(path, "/proc/self/fd") == 0); /* opendir's own */
}

static int open_fds(void) { return count_dir("/proc/self/fd"); }
static int threads(void) { return count_dir("/proc/self/task"); }

/* ------------------------------------------------------------------------ */
/* A server that answers StartTLS with success and then never speaks        */
/* ------------------------------------------------------------------------ */

#define STARTTLS_OID "1.3.6.1.4.1.1466.20037"

struct starttls_mute {
	int fd, port;
	pthread_t thread;
	int client;          /* the accepted socket, kept open (no EOF) */
	atomic_int answered; /* StartTLS requests answered */
};

/* Read one BER element's header: tag, length; false on EOF or junk. */
static bool read_full(int fd, unsigned char *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = recv(fd, buf + got, n - got, 0);

		if (r <= 0)
			return false;
		got += (size_t)r;
	}
	return true;
}

static bool read_len(int fd, size_t *len)
{
	unsigned char b, more[4];

	if (!read_full(fd, &b, 1))
		return false;
	if (b < 0x80) {
		*len = b;
		return true;
	}
	b &= 0x7f;
	if (b == 0 || b > 4 || !read_full(fd, more, b))
		return false;
	*len = 0;
	for (unsigned i = 0; i < b; i++)
		*len = (*len << 8) | more[i];
	return true;
}

/* Reads one LDAPMessage; returns its message ID, or -1. */
static long read_request(int fd)
{
	unsigned char tag, body[4096];
	size_t len, idlen;
	long id = 0;

	if (!read_full(fd, &tag, 1) || tag != 0x30 || !read_len(fd, &len) ||
	    len > sizeof(body) || !read_full(fd, body, len))
		return -1;
	if (len < 3 || body[0] != 0x02)
		return -1;
	idlen = body[1];
	if (idlen == 0 || idlen > 4 || 2 + idlen > len)
		return -1;
	for (size_t i = 0; i < idlen; i++)
		id = (id << 8) | body[2 + i];
	return id;
}

static void answer_starttls(int fd, long id)
{
	unsigned char msg[64];
	size_t oid = strlen(STARTTLS_OID), n = 0, idlen = id < 0x80 ? 1 : id < 0x8000 ? 2 : 3;
	size_t ext = 3 + 2 + 2 + 2 + oid;   /* result, matchedDN, diag, responseName */

	msg[n++] = 0x30;
	msg[n++] = (unsigned char)(2 + idlen + 2 + ext);
	msg[n++] = 0x02;
	msg[n++] = (unsigned char)idlen;
	for (size_t i = idlen; i-- > 0;)
		msg[n++] = (unsigned char)(id >> (8 * i));
	msg[n++] = 0x78;                    /* [APPLICATION 24] ExtendedResponse */
	msg[n++] = (unsigned char)ext;
	msg[n++] = 0x0a; msg[n++] = 0x01; msg[n++] = 0x00;      /* success */
	msg[n++] = 0x04; msg[n++] = 0x00;
	msg[n++] = 0x04; msg[n++] = 0x00;
	msg[n++] = 0x8a; msg[n++] = (unsigned char)oid;
	memcpy(msg + n, STARTTLS_OID, oid);
	n += oid;
	assert_true(send(fd, msg, n, MSG_NOSIGNAL) == (ssize_t)n);
}

static void *starttls_mute_run(void *arg)
{
	struct starttls_mute *m = arg;
	int c = accept(m->fd, NULL, NULL);
	long id;

	if (c < 0)
		return NULL;
	m->client = c;
	id = read_request(c);
	if (id > 0) {
		answer_starttls(c, id);
		atomic_fetch_add(&m->answered, 1);
	}
	/* From here on: silence, the socket stays open until stop. */
	return NULL;
}

static void starttls_mute_start(struct starttls_mute *m)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	memset(m, 0, sizeof(*m));
	m->client = -1;
	m->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(m->fd >= 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(m->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(m->fd, 4), 0);
	assert_int_equal(getsockname(m->fd, (struct sockaddr *)&a, &len), 0);
	m->port = ntohs(a.sin_port);
	assert_int_equal(pthread_create(&m->thread, NULL, starttls_mute_run, m), 0);
}

static void starttls_mute_stop(struct starttls_mute *m)
{
	shutdown(m->fd, SHUT_RDWR);         /* wakes an accept() still waiting */
	pthread_join(m->thread, NULL);
	close(m->fd);
	if (m->client >= 0)
		close(m->client);
}

/* ------------------------------------------------------------------------ */
/* One connect attempt, guarded                                             */
/* ------------------------------------------------------------------------ */

struct attempt {
	lb_conn *conn;
	lb_err rc;
	struct lb_error err;
	uint64_t spent_ms;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;
};

static void *attempt_run(void *arg)
{
	struct attempt *a = arg;
	uint64_t t0 = test_mono_ms();

	a->rc = lb_conn_check(a->conn, &a->err);
	a->spent_ms = test_mono_ms() - t0;
	pthread_mutex_lock(&a->lock);
	a->done = true;
	pthread_cond_signal(&a->cond);
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

/* lb_conn_check() on a fresh connection to uri; fails the test (after
 * rescuing the call with lb_conn_cancel) if it has not returned by GUARD_MS. */
static void check_times_out_at_tls(const char *uri, enum lb_tls_mode mode,
				   const char *expect_words)
{
	struct lb_config c;
	struct attempt a;
	struct timespec until;
	pthread_t t;
	bool stuck = false;

	lb_config_init(&c);
	c.uris = uri;
	c.tls_mode = mode;
	c.connect_timeout_ms = CONNECT_MS;
	c.op_timeout_ms = 3 * CONNECT_MS;
	memset(&a, 0, sizeof(a));
	assert_int_equal(lb_conn_open(&c, &a.conn, &a.err), LB_OK);
	pthread_mutex_init(&a.lock, NULL);
	{
		pthread_condattr_t ca;

		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&a.cond, &ca);
		pthread_condattr_destroy(&ca);
	}
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += GUARD_MS / 1000;
	assert_int_equal(pthread_create(&t, NULL, attempt_run, &a), 0);
	pthread_mutex_lock(&a.lock);
	while (!a.done && !stuck)
		stuck = pthread_cond_timedwait(&a.cond, &a.lock, &until) == ETIMEDOUT;
	stuck = !a.done;
	pthread_mutex_unlock(&a.lock);
	if (stuck)
		lb_conn_cancel(a.conn);     /* rescue the call before failing */
	assert_int_equal(pthread_join(t, NULL), 0);
	lb_conn_close(a.conn);
	pthread_cond_destroy(&a.cond);
	pthread_mutex_destroy(&a.lock);
	if (stuck)
		fail_msg("%s: the TLS handshake was still running after %d ms "
			 "(connect timeout %d ms)", uri, GUARD_MS, CONNECT_MS);

	print_message("%s: %s after %llu ms: %s\n", uri, lb_err_name(a.rc),
		      (unsigned long long)a.spent_ms, a.err.message);
	assert_int_equal(a.rc, LB_E_TIMEOUT);
	assert_int_equal(a.err.code, LB_E_TIMEOUT);
	assert_int_equal(a.err.step, LB_STEP_TLS);
	assert_string_equal(a.err.server, uri);
	assert_non_null(strstr(a.err.message, expect_words));
	assert_non_null(strstr(a.err.message, "600 ms"));
	assert_non_null(strstr(a.err.message, "connect timeout"));
	assert_true(a.spent_ms >= CONNECT_MS - 50);
	assert_true(a.spent_ms < GUARD_MS);
}

/* Counted before the server starts and after it stopped: nothing is left
 * behind (the handshake's socket, a timer thread). */
struct resources {
	int fds, threads;
};

static void *no_op(void *arg)
{
	return arg;
}

/* A sanitizer runtime starts a helper thread of its own at the first
 * pthread_create (ThreadSanitizer does): started before counting. */
static struct resources resources_now(void)
{
	static bool warm;
	struct resources r;
	pthread_t t;

	if (!warm) {
		assert_int_equal(pthread_create(&t, NULL, no_op, NULL), 0);
		assert_int_equal(pthread_join(t, NULL), 0);
		warm = true;
	}
	r.fds = open_fds();
	r.threads = threads();
	return r;
}

static void assert_resources_back_to(struct resources before)
{
	struct resources now = resources_now();

	assert_int_equal(now.fds, before.fds);
	assert_int_equal(now.threads, before.threads);
}

static void ldaps_silent_server_handshake_times_out(void **state)
{
	struct resources before = resources_now();
	struct test_silent_listener s;
	char uri[64];

	assert_int_equal(test_silent_listener_start(&s), 0);
	snprintf(uri, sizeof(uri), "ldaps://127.0.0.1:%d", s.port);
	check_times_out_at_tls(uri, LB_TLS_NONE, "TLS handshake with");
	test_silent_listener_stop(&s);
	assert_resources_back_to(before);
}

static void starttls_accepted_then_silent_handshake_times_out(void **state)
{
	struct resources before = resources_now();
	struct starttls_mute m;
	char uri[64];

	starttls_mute_start(&m);
	snprintf(uri, sizeof(uri), "ldap://127.0.0.1:%d", m.port);
	check_times_out_at_tls(uri, LB_TLS_STARTTLS, "StartTLS with");
	starttls_mute_stop(&m);
	assert_resources_back_to(before);
	/* The server did answer StartTLS: the time went into the handshake. */
	assert_int_equal(atomic_load(&m.answered), 1);
}

static void starttls_request_unanswered_times_out(void **state)
{
	struct resources before = resources_now();
	struct test_silent_listener s;
	char uri[64];

	assert_int_equal(test_silent_listener_start(&s), 0);
	snprintf(uri, sizeof(uri), "ldap://127.0.0.1:%d", s.port);
	check_times_out_at_tls(uri, LB_TLS_STARTTLS, "StartTLS with");
	test_silent_listener_stop(&s);
	assert_resources_back_to(before);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ldaps_silent_server_handshake_times_out),
		cmocka_unit_test(starttls_accepted_then_silent_handshake_times_out),
		cmocka_unit_test(starttls_request_unanswered_times_out),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("ldapbridge_tls_deadline", tests, NULL, NULL);
}
