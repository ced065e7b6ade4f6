/*
 * test_lifecycle_faults.c - Logon, lookups by entry ID and Logoff when the
 * directory server fails (LC-17, LC-32, LC-36, ST-3), through the real entry
 * point (the module loaded by the host's loader):
 *   - the only server is down at Logon, then comes up: the first lookup is a
 *     network error naming the server, the next one works on the same logon;
 *   - the server is killed while a lookup waits on it (frozen, then killed),
 *     then comes back: network error, then a working lookup, no new logon;
 *   - a server that accepts TCP and never answers, over ldap://, StartTLS
 *     and ldaps://: the connect timeout fires and the message says so;
 *   - a wrong password, an unknown bind DN, and a certificate from an
 *     unknown CA (StartTLS and ldaps://): the documented MAPI error, a
 *     message naming the server and the setting to check, and the password
 *     nowhere (GetLastError, the status row, the provider's log on stderr).
 * Every case counts descriptors, threads, MAPI memory and TCP connections
 * before and after: nothing is left behind.
 *
 * The down/killed/back cases use a private slapd behind a relay on a fixed
 * port of this process (the profile's URI stays the same while the server
 * behind it dies and restarts on new ports).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>

#include "test_core_util.h"

#include <ldapbridge/lb.h>

#include "slapd_env.h"

#ifndef LDAPAB_TEST_WORKDIR
#error "LDAPAB_TEST_WORKDIR (a directory for the private slapd) must be defined"
#endif

#define PERSON_DN "uid=mthornton,ou=Executive Office,ou=People,dc=example,dc=com"
#define WRONG_PW "Wr0ng-Pa55word-for-ldapab"

/* ---------------------------------------------------------------------- */
/* Resources of the process                                                */
/* ---------------------------------------------------------------------- */

struct resources {
	int fds, threads;
	size_t mapi_blocks;
};

static int count_entries(const char *dir)
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

static struct resources resources_now(void)
{
	struct resources r = { count_entries("/proc/self/fd"), count_entries("/proc/self/task"),
	                       host_mem_live_blocks() };

	return r;
}

static void assert_resources_back_to(struct resources before, const char *what)
{
	struct resources now = resources_now();

	if (now.fds != before.fds || now.threads != before.threads ||
	    now.mapi_blocks != before.mapi_blocks)
		fail_msg("%s left something behind: descriptors %d -> %d, threads %d -> %d, "
		         "MAPI blocks %zu -> %zu", what, before.fds, now.fds, before.threads,
		         now.threads, before.mapi_blocks, now.mapi_blocks);
}

/* ESTABLISHED TCP connections of this process to 127.0.0.1:port. */
static int tcp_connections_to(int port)
{
	char line[512], path[300], link[64];
	unsigned long inodes[512];
	size_t n_inodes = 0;
	int count = 0;
	struct dirent *de;
	FILE *f;
	DIR *d = opendir("/proc/self/fd");

	assert_non_null(d);
	while ((de = readdir(d)) && n_inodes < 512) {
		unsigned long ino;
		ssize_t len;

		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		len = readlink(path, link, sizeof(link) - 1);
		if (len <= 0)
			continue;
		link[len] = '\0';
		if (sscanf(link, "socket:[%lu]", &ino) == 1)
			inodes[n_inodes++] = ino;
	}
	closedir(d);
	f = fopen("/proc/self/net/tcp", "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned int rport, st;
		unsigned long ino;
		char rem[64];

		if (sscanf(line, " %*d: %*s %63s %x %*s %*s %*s %*d %*d %lu", rem, &st, &ino) != 3)
			continue;
		if (!strchr(rem, ':') || sscanf(strchr(rem, ':') + 1, "%x", &rport) != 1)
			continue;
		if ((int)rport != port || st != 0x01)
			continue;
		for (size_t i = 0; i < n_inodes; i++)
			if (inodes[i] == ino)
				count++;
	}
	fclose(f);
	return count;
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
	pthread_t thread;
	int client[RELAY_LINKS], server[RELAY_LINKS];
};

static void relay_close_link(struct relay *r, int i)
{
	close(r->client[i]);
	close(r->server[i]);
	r->client[i] = r->server[i] = -1;
}

static int connect_backend(int port)
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
static bool pump(int from, int to)
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

static void *relay_run(void *arg)
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
		if (poll(p, (nfds_t)n, -1) < 0)
			continue;
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
			if (((p[k].revents & (POLLIN | POLLHUP | POLLERR)) &&
			     !pump(r->client[i], r->server[i])) ||
			    ((p[k + 1].revents & (POLLIN | POLLHUP | POLLERR)) &&
			     !pump(r->server[i], r->client[i])))
				relay_close_link(r, i);
		}
	}
	for (int i = 0; i < RELAY_LINKS; i++)
		if (r->client[i] >= 0)
			relay_close_link(r, i);
	return NULL;
}

static void relay_poke(struct relay *r)
{
	char c = 1;

	assert_int_equal(write(r->wake[1], &c, 1), 1);
}

static void relay_start(struct relay *r)
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
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(r->lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(r->lfd, 16), 0);
	assert_int_equal(getsockname(r->lfd, (struct sockaddr *)&a, &len), 0);
	r->port = ntohs(a.sin_port);
	assert_int_equal(pipe2(r->wake, O_CLOEXEC), 0);
	assert_int_equal(pthread_create(&r->thread, NULL, relay_run, r), 0);
}

/* New clients go to 127.0.0.1:port (0: nobody answers). */
static void relay_target(struct relay *r, int port)
{
	atomic_store(&r->target, port);
	relay_poke(r);
}

static void relay_stop(struct relay *r)
{
	atomic_store(&r->stop, true);
	relay_poke(r);
	assert_int_equal(pthread_join(r->thread, NULL), 0);
	close(r->lfd);
	close(r->wake[0]);
	close(r->wake[1]);
}

/* ---------------------------------------------------------------------- */
/* The private slapd                                                       */
/* ---------------------------------------------------------------------- */

static const char *rundir(void)
{
	return LDAPAB_TEST_WORKDIR "/faults-slapd";
}

/* Starts it (fresh ports) and returns its plain LDAP port. */
static int private_start(void)
{
	char *port;
	int p;

	assert_int_equal(slapd_instance_start(rundir(), "--bulk 10 --no-tls"), 0);
	port = slapd_env_file(rundir(), "LDAPAB_TEST_PORT");
	assert_non_null(port);
	p = atoi(port);
	free(port);
	return p;
}

/* SIGKILL, not a shutdown: the server vanishes with its connections. */
static void private_kill(void)
{
	char *pid = slapd_env_file(rundir(), "LDAPAB_TEST_PID");

	assert_non_null(pid);
	assert_int_equal(kill((pid_t)atoi(pid), SIGKILL), 0);
	free(pid);
	assert_int_equal(slapd_instance_stop(rundir()), 0);   /* waits until gone */
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
static void lg_logon(struct lg *g, const char *uri, ULONG n, const SPropValue *extra)
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

static void lg_logoff(struct lg *g)
{
	assert_int_equal(host_session_logoff(g->hl), S_OK);
	host_session_free(g->sess);
	host_profile_release(g->prof);
	host_provider_release(g->prov);
	memset(g, 0, sizeof(*g));
}

/* OpenEntry of PERSON_DN by a DN-locator entry ID; on failure *text gets
 * the logon's GetLastError text (malloc'd), else NULL. */
static HRESULT open_person(struct lg *g, char **text)
{
	uint8_t eid[1024];
	char *norm = NULL;
	LPUNKNOWN o = NULL;
	ULONG cb, type = 0;
	HRESULT hr;

	*text = NULL;
	assert_int_equal(lb_dn_normalize(PERSON_DN, &norm, NULL), LB_OK);
	cb = core_eid(&g->uid, ABP_EID_MAILUSER, ABP_EID_LOC_DN, norm, strlen(norm), PERSON_DN,
	              eid, sizeof(eid));
	free(norm);
	hr = IABLogon_OpenEntry(g->l, cb, (LPENTRYID)eid, NULL, 0, &type, &o);
	if (SUCCEEDED(hr)) {
		assert_int_equal(type, MAPI_MAILUSER);
		o->lpVtbl->Release(o);
	} else {
		LPMAPIERROR e = NULL;

		assert_int_equal(IABLogon_GetLastError(g->l, hr, 0, &e), S_OK);
		assert_non_null(e);
		*text = strdup(e->lpszError);
		host_MAPIFreeBuffer(e);
	}
	return hr;
}

/* PR_STATUS_CODE and PR_STATUS_STRING (malloc'd) of the logon's status row. */
static ULONG row_status(struct lg *g, char **string)
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

static void expect_text(const char *text, const char *want)
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

static void capture_stderr(struct capture *c)
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
static char *captured(struct capture *c)
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

/* ---------------------------------------------------------------------- */

/* LC-17, ST-3: down at Logon; Logon works (lazy bind); the lookup is a
 * network error naming the server; the server comes up; the next lookup on
 * the same logon works and the row says AVAILABLE. */
static void test_LC17_server_down_at_logon_then_back_without_new_logon_ST3(void **state)
{
	struct resources before = resources_now();
	struct relay r;
	struct lg g;
	char uri[64], *text = NULL, *row = NULL;
	SPropValue base = { .ulPropTag = PR_LDAPAB_BASE_DN_A };

	(void)state;
	relay_start(&r);                        /* nobody behind it yet */
	snprintf(uri, sizeof(uri), "ldap://127.0.0.1:%d", r.port);
	base.Value.lpszA = (LPSTR)"dc=example,dc=com";
	lg_logon(&g, uri, 1, &base);
	assert_int_equal(open_person(&g, &text), MAPI_E_NETWORK_ERROR);
	print_message("down: %s\n", text);
	expect_text(text, uri);
	free(text);
	assert_int_equal(row_status(&g, &row), STATUS_FAILURE);
	expect_text(row, uri);
	free(row);

	relay_target(&r, private_start());
	assert_int_equal(open_person(&g, &text), S_OK);
	assert_int_equal(row_status(&g, &row), STATUS_AVAILABLE);
	free(row);
	assert_int_equal(tcp_connections_to(r.port), 1);
	assert_int_equal(IABLogon_Logoff(g.l, 0), S_OK);
	assert_int_equal(tcp_connections_to(r.port), 0);        /* LC-32 step 4 */
	lg_logoff(&g);
	relay_stop(&r);
	assert_int_equal(slapd_instance_stop(rundir()), 0);
	assert_resources_back_to(before, "down at logon, then back");
}

struct pending_open {
	struct lg *g;
	HRESULT hr;
	char *text;
};

static void *open_in_thread(void *arg)
{
	struct pending_open *p = arg;

	p->hr = open_person(p->g, &p->text);
	return NULL;
}

/* LC-36: a lookup waits on a frozen server, the server is killed: the
 * lookup fails at once as a network error (no timeout waited out); the
 * server comes back on new ports behind the same address: the same logon
 * works again. */
static void test_LC36_server_killed_under_a_lookup_then_back_ST3(void **state)
{
	struct resources before = resources_now();
	struct pending_open p = { 0 };
	struct relay r;
	struct lg g;
	pthread_t t;
	char uri[64], *text = NULL, *row = NULL;
	SPropValue extra[2];
	uint64_t t0;

	(void)state;
	relay_start(&r);
	relay_target(&r, private_start());
	snprintf(uri, sizeof(uri), "ldap://127.0.0.1:%d", r.port);
	memset(extra, 0, sizeof(extra));
	extra[0].ulPropTag = PR_LDAPAB_BASE_DN_A;
	extra[0].Value.lpszA = (LPSTR)"dc=example,dc=com";
	extra[1].ulPropTag = PR_LDAPAB_OP_TIMEOUT;
	extra[1].Value.l = 30;                  /* only a kill can end the wait early */
	lg_logon(&g, uri, 2, extra);
	assert_int_equal(open_person(&g, &text), S_OK);

	assert_int_equal(slapd_instance_freeze(rundir()), 0);
	p.g = &g;
	t0 = test_mono_ms();
	assert_int_equal(pthread_create(&t, NULL, open_in_thread, &p), 0);
	private_kill();                         /* under the lookup, or just before it */
	relay_target(&r, 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	print_message("killed: 0x%08X after %llu ms: %s\n", (unsigned)p.hr,
	              (unsigned long long)(test_mono_ms() - t0), p.text);
	assert_int_equal(p.hr, MAPI_E_NETWORK_ERROR);
	expect_text(p.text, uri);
	free(p.text);
	assert_true(test_mono_ms() - t0 < 20000);       /* not the 30 s timeout */
	assert_int_equal(row_status(&g, &row), STATUS_FAILURE);
	free(row);

	relay_target(&r, private_start());
	assert_int_equal(open_person(&g, &text), S_OK);
	assert_int_equal(row_status(&g, &row), STATUS_AVAILABLE);
	free(row);
	assert_int_equal(tcp_connections_to(r.port), 1);
	assert_int_equal(IABLogon_Logoff(g.l, 0), S_OK);
	assert_int_equal(tcp_connections_to(r.port), 0);        /* LC-32 step 4 */
	lg_logoff(&g);
	relay_stop(&r);
	assert_int_equal(slapd_instance_stop(rundir()), 0);
	assert_resources_back_to(before, "killed under a lookup, then back");
}

/* LC-17: a server that accepts TCP and never answers, over ldap://,
 * StartTLS and ldaps://: the connect timeout (2 s in the test profile)
 * fires, the message names the server and the timeout, nothing hangs. */
static void test_LC17_silent_server_ldap_starttls_ldaps_connect_timeout(void **state)
{
	static const char *const schemes[] = { "ldap", "ldap", "ldaps" };
	struct resources before = resources_now();
	struct test_silent_listener s;

	(void)state;
	assert_int_equal(test_silent_listener_start(&s), 0);
	for (size_t k = 0; k < 3; k++) {
		SPropValue extra[2];
		struct lg g;
		char uri[64], *text = NULL;
		uint64_t t0, spent;
		ULONG n = 0;

		memset(extra, 0, sizeof(extra));
		snprintf(uri, sizeof(uri), "%s://127.0.0.1:%d", schemes[k], s.port);
		extra[n].ulPropTag = PR_LDAPAB_BASE_DN_A;
		extra[n++].Value.lpszA = (LPSTR)"dc=example,dc=com";
		if (k == 1) {
			extra[n].ulPropTag = PR_LDAPAB_TLS_MODE;
			extra[n++].Value.l = LDAPAB_TLS_STARTTLS;
		}
		lg_logon(&g, uri, n, extra);
		t0 = test_mono_ms();
		assert_int_equal(open_person(&g, &text), MAPI_E_NETWORK_ERROR);
		spent = test_mono_ms() - t0;
		print_message("%s%s: %llu ms: %s\n", uri, k == 1 ? " (StartTLS)" : "",
		              (unsigned long long)spent, text);
		expect_text(text, uri);
		expect_text(text, "timeout");
		assert_true(spent >= 1900 && spent < 8000);     /* the 2 s connect timeout */
		free(text);
		t0 = test_mono_ms();
		lg_logoff(&g);
		assert_true(test_mono_ms() - t0 < 1000);        /* Logoff does not wait */
	}
	test_silent_listener_stop(&s);
	assert_resources_back_to(before, "silent server");
}

/* The password must appear in none of: GetLastError's text, the status
 * row's string, the provider's log. */
static void expect_no_password(const char *where, const char *text)
{
	if (text && strstr(text, WRONG_PW))
		fail_msg("the password appears in %s: %s", where, text);
	if (text && strstr(text, slapd_env("LDAPAB_TEST_BIND_PW")))
		fail_msg("the password appears in %s: %s", where, text);
}

/* LC-17: a rejected bind - a wrong password, a bind DN the directory does
 * not know - is MAPI_E_LOGON_FAILED; the message names the bind DN and the
 * server; the password is nowhere. */
static void test_LC17_wrong_password_or_bind_dn_logon_failed_password_nowhere(void **state)
{
	const char *dns[] = { slapd_env("LDAPAB_TEST_BIND_DN"),
	                      "uid=nobody-here,ou=People,dc=example,dc=com" };
	struct resources before = resources_now();
	int port = atoi(slapd_env("LDAPAB_TEST_PORT"));

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		struct capture cap;
		SPropValue extra[5];
		struct lg g;
		char *text = NULL, *row = NULL, *log;
		ULONG n = 0;

		memset(extra, 0, sizeof(extra));
		extra[n].ulPropTag = PR_LDAPAB_BASE_DN_A;
		extra[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_BASE");
		extra[n].ulPropTag = PR_LDAPAB_BIND_DN_A;
		extra[n++].Value.lpszA = (LPSTR)dns[k];
		extra[n].ulPropTag = PR_LDAPAB_BIND_PASSWORD_A;
		extra[n++].Value.lpszA = (LPSTR)WRONG_PW;
		extra[n].ulPropTag = PR_LDAPAB_TLS_MODE;
		extra[n++].Value.l = LDAPAB_TLS_STARTTLS;
		extra[n].ulPropTag = PR_LDAPAB_TLS_CACERT_FILE_A;
		extra[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_CA");
		capture_stderr(&cap);
		lg_logon(&g, slapd_env("LDAPAB_TEST_URI"), n, extra);
		assert_int_equal(open_person(&g, &text), MAPI_E_LOGON_FAILED);
		(void)row_status(&g, &row);
		lg_logoff(&g);
		log = captured(&cap);
		print_message("bind as %s: %s\n", dns[k], text);
		expect_text(text, dns[k]);
		expect_text(text, slapd_env("LDAPAB_TEST_URI"));
		expect_text(text, "nvalid credentials");
		expect_no_password("GetLastError", text);
		expect_no_password("the status row", row);
		expect_no_password("the provider's log", log);
		free(text);
		free(row);
		free(log);
	}
	assert_int_equal(tcp_connections_to(port), 0);
	assert_resources_back_to(before, "rejected binds");
}

/* LC-17: a server certificate from a CA the profile does not trust, over
 * StartTLS and ldaps://: a network error (no usable link) whose message
 * names the server and the CA file to check; the password is nowhere. */
static void test_LC17_unknown_ca_refused_names_ca_file_password_nowhere(void **state)
{
	const char *uris[] = { slapd_env("LDAPAB_TEST_URI"), slapd_env("LDAPAB_TEST_LDAPS_URI") };
	struct resources before = resources_now();

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		struct capture cap;
		SPropValue extra[5];
		struct lg g;
		char *text = NULL, *row = NULL, *log;
		ULONG n = 0;

		memset(extra, 0, sizeof(extra));
		extra[n].ulPropTag = PR_LDAPAB_BASE_DN_A;
		extra[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_BASE");
		extra[n].ulPropTag = PR_LDAPAB_BIND_DN_A;
		extra[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_BIND_DN");
		extra[n].ulPropTag = PR_LDAPAB_BIND_PASSWORD_A;
		extra[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_BIND_PW");
		extra[n].ulPropTag = PR_LDAPAB_TLS_CACERT_FILE_A;
		extra[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_OTHER_CA");
		if (k == 0) {
			extra[n].ulPropTag = PR_LDAPAB_TLS_MODE;
			extra[n++].Value.l = LDAPAB_TLS_STARTTLS;
		}
		capture_stderr(&cap);
		lg_logon(&g, uris[k], n, extra);
		assert_int_equal(open_person(&g, &text), MAPI_E_NETWORK_ERROR);
		(void)row_status(&g, &row);
		lg_logoff(&g);
		log = captured(&cap);
		print_message("unknown CA (%s): %s\n", uris[k], text);
		expect_text(text, uris[k]);
		expect_text(text, slapd_env("LDAPAB_TEST_OTHER_CA"));
		expect_no_password("GetLastError", text);
		expect_no_password("the status row", row);
		expect_no_password("the provider's log", log);
		free(text);
		free(row);
		free(log);
	}
	assert_int_equal(tcp_connections_to(atoi(slapd_env("LDAPAB_TEST_PORT"))), 0);
	assert_int_equal(tcp_connections_to(atoi(slapd_env("LDAPAB_TEST_LDAPS_PORT"))), 0);
	assert_resources_back_to(before, "unknown CA");
}

static void *no_op(void *arg)
{
	return arg;
}

/* The module is loaded and unloaded once first, and a thread run, so the
 * counts compare like with like (libraries' one-time state, a sanitizer's
 * helper thread). */
static int group_setup(void **state)
{
	host_provider *prov = core_load(NULL);
	pthread_t t;

	(void)state;
	host_provider_release(prov);
	if (pthread_create(&t, NULL, no_op, NULL) != 0 || pthread_join(t, NULL) != 0)
		return -1;
	(void)slapd_env("LDAPAB_TEST_URI");     /* the env file read once, up front */
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		CORE_TEST(test_LC17_server_down_at_logon_then_back_without_new_logon_ST3),
		CORE_TEST(test_LC36_server_killed_under_a_lookup_then_back_ST3),
		CORE_TEST(test_LC17_silent_server_ldap_starttls_ldaps_connect_timeout),
		CORE_TEST(test_LC17_wrong_password_or_bind_dn_logon_failed_password_nowhere),
		CORE_TEST(test_LC17_unknown_ca_refused_names_ca_file_password_nowhere),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("provider_lifecycle_faults", tests, group_setup, NULL);
}
