/*
 * faults_util.h - what the fault tests of the provider share: counts of the
 * process's descriptors, threads, MAPI memory and TCP connections (to prove
 * nothing is left behind), a relay on a fixed loopback port to whichever
 * server is current (optionally slow: it holds the server's bytes back; or
 * ending successful searches with another result code, as a server whose
 * time limit fired), a logon through the host's loader, the logon's status
 * row, and a capture of the provider's log on stderr.
 */
#ifndef LDAPAB_TEST_FAULTS_UTIL_H
#define LDAPAB_TEST_FAULTS_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>

#include "proc_tcp.h"
#include "test_core_util.h"
#include "slapd_env.h"
/* ---------------------------------------------------------------------- */
/* Resources of the process                                                */
/* ---------------------------------------------------------------------- */

struct resources {
	int fds, threads;
	size_t mapi_blocks;
};

static inline int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static inline struct resources resources_now(void)
{
	struct resources r = { count_entries("/proc/self/fd"), count_entries("/proc/self/task"),
	                       host_mem_live_blocks() };

	return r;
}

static inline void assert_resources_back_to(struct resources before, const char *what)
{
	struct resources now = resources_now();

	if (now.fds != before.fds || now.threads != before.threads ||
	    now.mapi_blocks != before.mapi_blocks)
		fail_msg("%s left something behind: descriptors %d -> %d, threads %d -> %d, "
		         "MAPI blocks %zu -> %zu", what, before.fds, now.fds, before.threads,
		         now.threads, before.mapi_blocks, now.mapi_blocks);
}

/* ---------------------------------------------------------------------- */
/* A relay on a fixed port to whichever server is current                  */
/* ---------------------------------------------------------------------- */

#define RELAY_LINKS 16

struct relay {
	int lfd, port;
	atomic_int target;              /* backend port; 0: none (close clients) */
	int wake[2];                    /* a byte: re-read target / stop */
	atomic_bool stop, drop;
	atomic_int delay_ms;            /* >0: the server's bytes are held this long */
	atomic_int done_result;         /* >0: successful searches end with this code */
	pthread_t thread;
	int client[RELAY_LINKS], server[RELAY_LINKS];
	unsigned char carry[RELAY_LINKS][8];    /* a possible start of a SearchResultDone */
	int n_carry[RELAY_LINKS];
};

static inline void relay_close_link(struct relay *r, int i)
{
	close(r->client[i]);
	close(r->server[i]);
	r->client[i] = r->server[i] = -1;
	r->n_carry[i] = 0;
}

static inline int connect_backend(int port)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)port);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Copies what is readable on from to to; false when the link is over. */
static inline bool pump(int from, int to)
{
	char buf[16384];
	ssize_t n = recv(from, buf, sizeof(buf), MSG_DONTWAIT);

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		return false;
	for (ssize_t off = 0; n > 0 && off < n;) {
		ssize_t w = send(to, buf + off, (size_t)(n - off), MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		off += w;
	}
	return true;
}

/* A successful SearchResultDone without matched DN or message:
 * [APPLICATION 5] { resultCode 0, matchedDN "", diagnosticMessage "" }. */
static const unsigned char relay_search_done[9] = { 0x65, 0x07, 0x0a, 0x01, 0x00,
                                                    0x04, 0x00, 0x04, 0x00 };

static inline bool send_all(int to, const unsigned char *buf, size_t n)
{
	for (size_t off = 0; off < n;) {
		ssize_t w = send(to, buf + off, n - off, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		off += (size_t)w;
	}
	return true;
}

/* Server to client on link i, with every successful SearchResultDone
 * turned into one with result code done_result (as a server whose own
 * limit fired sends it).  A tail that may be the start of one waits for
 * the next bytes, so a message split between two reads is found too. */
static inline bool pump_rewriting(struct relay *r, int i, int code)
{
	unsigned char buf[16384 + 8];
	size_t len, keep = 0;
	ssize_t n;

	memcpy(buf, r->carry[i], (size_t)r->n_carry[i]);
	n = recv(r->server[i], buf + r->n_carry[i], 16384, MSG_DONTWAIT);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		return false;
	if (n < 0)
		return true;
	len = (size_t)r->n_carry[i] + (size_t)n;
	for (size_t k = 0; k + sizeof(relay_search_done) <= len; k++)
		if (memcmp(buf + k, relay_search_done, sizeof(relay_search_done)) == 0)
			buf[k + 4] = (unsigned char)code;
	for (size_t h = sizeof(relay_search_done) - 1; h > 0 && keep == 0; h--)
		if (h <= len && memcmp(buf + len - h, relay_search_done, h) == 0)
			keep = h;
	memcpy(r->carry[i], buf + len - keep, keep);
	r->n_carry[i] = (int)keep;
	return send_all(r->client[i], buf, len - keep);
}

/* A slow server: waits ms before passing on what the server sent (a stop,
 * or the delay set back to 0 with relay_delay, ends the wait early). */
static inline void relay_hold(struct relay *r, int ms)
{
	uint64_t end = test_mono_ms() + (uint64_t)ms;

	while (!atomic_load(&r->stop)) {
		uint64_t now = test_mono_ms();
		struct pollfd w = { .fd = r->wake[0], .events = POLLIN };
		char c;

		if (now >= end || atomic_load(&r->delay_ms) == 0)
			return;
		if (poll(&w, 1, (int)(end - now)) > 0)
			(void)!read(r->wake[0], &c, 1);
	}
}

static inline void *relay_run(void *arg)
{
	struct relay *r = arg;

	while (!atomic_load(&r->stop)) {
		struct pollfd p[2 + 2 * RELAY_LINKS];
		int n = 0;

		if (atomic_exchange(&r->drop, false))
			for (int i = 0; i < RELAY_LINKS; i++)
				if (r->client[i] >= 0)
					relay_close_link(r, i);
		p[n++] = (struct pollfd){ .fd = r->lfd, .events = POLLIN };
		p[n++] = (struct pollfd){ .fd = r->wake[0], .events = POLLIN };
		for (int i = 0; i < RELAY_LINKS; i++) {
			if (r->client[i] < 0)
				continue;
			p[n++] = (struct pollfd){ .fd = r->client[i], .events = POLLIN };
			p[n++] = (struct pollfd){ .fd = r->server[i], .events = POLLIN };
		}
		bool carrying = false;
		int ready;

		for (int i = 0; i < RELAY_LINKS; i++)
			carrying = carrying || (r->client[i] >= 0 && r->n_carry[i] > 0);
		ready = poll(p, (nfds_t)n, carrying ? 100 : -1);
		if (ready < 0)
			continue;
		if (ready == 0) {
			/* Nothing followed a held tail: it was no SearchResultDone. */
			for (int i = 0; i < RELAY_LINKS; i++)
				if (r->client[i] >= 0 && r->n_carry[i] > 0) {
					if (!send_all(r->client[i], r->carry[i],
					              (size_t)r->n_carry[i]))
						relay_close_link(r, i);
					else
						r->n_carry[i] = 0;
				}
			continue;
		}
		if (p[1].revents) {
			char c;

			(void)!read(r->wake[0], &c, 1);
			continue;
		}
		if (p[0].revents & POLLIN) {
			int c = accept4(r->lfd, NULL, NULL, SOCK_CLOEXEC), s = -1, slot = -1;
			int target = atomic_load(&r->target);

			for (int i = 0; i < RELAY_LINKS && slot < 0; i++)
				if (r->client[i] < 0)
					slot = i;
			if (c >= 0 && target > 0 && slot >= 0)
				s = connect_backend(target);
			if (s < 0) {
				if (c >= 0)
					close(c);       /* the server is down: as a reset */
			} else {
				r->client[slot] = c;
				r->server[slot] = s;
			}
		}
		for (int k = 2; k < n; k += 2) {
			int i;

			for (i = 0; i < RELAY_LINKS && r->client[i] != p[k].fd; i++)
				;
			if (i == RELAY_LINKS)
				continue;
			if ((p[k + 1].revents & (POLLIN | POLLHUP | POLLERR)) &&
			    atomic_load(&r->delay_ms) > 0)
				relay_hold(r, atomic_load(&r->delay_ms));
			if (((p[k].revents & (POLLIN | POLLHUP | POLLERR)) &&
			     !pump(r->client[i], r->server[i])) ||
			    ((p[k + 1].revents & (POLLIN | POLLHUP | POLLERR)) &&
			     !(atomic_load(&r->done_result) > 0
			               ? pump_rewriting(r, i, atomic_load(&r->done_result))
			               : pump(r->server[i], r->client[i]))))
				relay_close_link(r, i);
		}
	}
	for (int i = 0; i < RELAY_LINKS; i++)
		if (r->client[i] >= 0)
			relay_close_link(r, i);
	return NULL;
}

static inline void relay_poke(struct relay *r)
{
	char c = 1;

	assert_int_equal(write(r->wake[1], &c, 1), 1);
}

/* Listens on addr (host byte order, a loopback address: 127.0.0.2 is not
 * a name the fixture's certificate carries). */
static inline void relay_start_at(struct relay *r, uint32_t addr)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	memset(r, 0, sizeof(*r));
	for (int i = 0; i < RELAY_LINKS; i++)
		r->client[i] = r->server[i] = -1;
	r->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(r->lfd >= 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(addr);
	assert_int_equal(bind(r->lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(r->lfd, 16), 0);
	assert_int_equal(getsockname(r->lfd, (struct sockaddr *)&a, &len), 0);
	r->port = ntohs(a.sin_port);
	assert_int_equal(pipe2(r->wake, O_CLOEXEC), 0);
	assert_int_equal(pthread_create(&r->thread, NULL, relay_run, r), 0);
}

static inline void relay_start(struct relay *r)
{
	relay_start_at(r, INADDR_LOOPBACK);
}

/* New clients go to 127.0.0.1:port (0: nobody answers). */
static inline void relay_target(struct relay *r, int port)
{
	atomic_store(&r->target, port);
	relay_poke(r);
}

/* From now on successful searches end with result code code instead
 * (e.g. 3, timeLimitExceeded); 0: passed on unchanged.  Plain LDAP only. */
static inline void relay_search_result(struct relay *r, int code)
{
	atomic_store(&r->done_result, code);
	relay_poke(r);
}

/* From now on the server's bytes are held ms (0: passed on at once). */
static inline void relay_delay(struct relay *r, int ms)
{
	atomic_store(&r->delay_ms, ms);
	relay_poke(r);
}

static inline void relay_stop(struct relay *r)
{
	atomic_store(&r->stop, true);
	relay_poke(r);
	assert_int_equal(pthread_join(r->thread, NULL), 0);
	close(r->lfd);
	close(r->wake[0]);
	close(r->wake[1]);
}

/* ---------------------------------------------------------------------- */
/* Logons through the loader                                               */
/* ---------------------------------------------------------------------- */

struct lg {
	host_provider *prov;
	host_session *sess;
	host_profile *prof;
	host_logon *hl;
	LPABLOGON l;
	MAPIUID uid;
};

/* Logon with the URI and extra settings (LC-17: never contacts the server). */
static inline void lg_logon(struct lg *g, const char *uri, ULONG n, const SPropValue *extra)
{
	LPMAPIERROR err = NULL;
	HRESULT hr;

	memset(g, 0, sizeof(*g));
	g->prov = core_load(NULL);
	g->prof = core_profile(uri, n, extra);
	assert_int_equal(host_session_new(NULL, &g->sess), S_OK);
	hr = host_session_logon(g->sess, g->prov, g->prof, 0, &g->hl, &err);
	if (FAILED(hr))
		fail_msg("Logon: 0x%08X %s", (unsigned)hr, err ? err->lpszError : "");
	g->l = host_logon_ablogon(g->hl);
	assert_true(core_profile_uid(g->prof, &g->uid));
}

static inline void lg_logoff(struct lg *g)
{
	assert_int_equal(host_session_logoff(g->hl), S_OK);
	host_session_free(g->sess);
	host_profile_release(g->prof);
	host_provider_release(g->prov);
	memset(g, 0, sizeof(*g));
}

/* PR_STATUS_CODE and PR_STATUS_STRING (malloc'd) of the logon's status row. */
static inline ULONG row_status(struct lg *g, char **string)
{
	LPMAPISUP sup = host_logon_support(g->hl);
	LPSPropValue row = NULL;
	ULONG n = 0, code = ~0u;

	*string = NULL;
	assert_non_null(sup);
	assert_int_equal(host_support_status_row(sup, &n, &row), S_OK);
	for (ULONG i = 0; i < n; i++) {
		if (row[i].ulPropTag == PR_STATUS_CODE)
			code = row[i].Value.ul;
		else if (row[i].ulPropTag == PR_STATUS_STRING_A)
			*string = strdup(row[i].Value.lpszA);
		else if (row[i].ulPropTag == PR_STATUS_STRING_W) {
			char *u = NULL;

			assert_int_equal(host_utf16_to_utf8(row[i].Value.lpszW, &u), S_OK);
			*string = strdup(u);
			host_MAPIFreeBuffer(u);
		}
	}
	host_MAPIFreeBuffer(row);
	return code;
}

static inline void expect_text(const char *text, const char *want)
{
	if (text == NULL || strstr(text, want) == NULL)
		fail_msg("expected \"%s\" in: %s", want, text ? text : "(none)");
}

/* ---------------------------------------------------------------------- */
/* The provider's log (stderr) while a block runs                          */
/* ---------------------------------------------------------------------- */

struct capture {
	int saved, fd;
	char path[64];
};

static inline void capture_stderr(struct capture *c)
{
	snprintf(c->path, sizeof(c->path), "/tmp/ldapab-faults-XXXXXX");
	c->fd = mkstemp(c->path);
	assert_true(c->fd >= 0);
	fflush(stderr);
	c->saved = dup(2);
	assert_true(c->saved >= 0);
	assert_int_equal(dup2(c->fd, 2), 2);
}

/* Restores stderr; returns what was written (malloc'd), and echoes it. */
static inline char *captured(struct capture *c)
{
	off_t len;
	char *text;

	fflush(stderr);
	assert_int_equal(dup2(c->saved, 2), 2);
	close(c->saved);
	len = lseek(c->fd, 0, SEEK_END);
	assert_true(len >= 0);
	text = calloc(1, (size_t)len + 1);
	assert_non_null(text);
	assert_int_equal(pread(c->fd, text, (size_t)len, 0), len);
	close(c->fd);
	unlink(c->path);
	fputs(text, stderr);
	return text;
}

#endif
