/*
 * test_faults_matrix.c - the table-dependent operations when directory
 * servers fail, through the real entry point (the module loaded by the
 * host's loader): a browse window (GetContentsTable, SeekRowApprox,
 * QueryRows), ResolveNames of 20 names, a group expansion
 * (IDistList::GetContentsTable, QueryRows).
 *   - the only server down at the start, then back: MAPI_E_NETWORK_ERROR
 *     with a GetLastError text naming the server, the ADRLIST untouched
 *     (CT-11j); once the server is back the same logon works (LC-17, ST-3);
 *   - the server killed under each operation (frozen, then killed; the
 *     browse between two windows): the same, then back again (LC-36);
 *   - two servers (the first a private slapd behind a relay, the second the
 *     fixture's slapd, loaded from the same conf/sample-directory.ldif - a
 *     second instance with the same LDIF, not a syncrepl consumer): the
 *     first killed under an operation, which completes on the second with
 *     no error; the first revived is used again once its backoff
 *     (PR_LDAPAB_FAILOVER_BACKOFF, 6 s here) has run out;
 *   - a server that answers slowly (the relay holds its bytes back beyond
 *     the timeouts), over ldap://, StartTLS and ldaps://: while connecting
 *     the connect timeout fires, on a working link the operation timeout,
 *     and the message says which; nothing hangs;
 *   - a certificate for another name (the fixture's server reached as
 *     127.0.0.2) and an expired certificate (a private slapd serving one
 *     made here, signed by its own CA): MAPI_E_NETWORK_ERROR, a message
 *     naming the server, the CA file and the certificate checks, the
 *     password nowhere.
 *   - the server's size limit and its time limit: the view ends in
 *     MAPI_W_PARTIAL_COMPLETION with a text saying it is incomplete.
 * Every case counts descriptors, threads, MAPI memory and TCP connections
 * before and after: nothing is left behind.
 */
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "faults_util.h"

#include <ldapbridge/lb.h>

#include "abp.h"
#include "config.h"

#ifndef LDAPAB_TEST_WORKDIR
#error "LDAPAB_TEST_WORKDIR (a directory for the private slapd) must be defined"
#endif

#define BASE "dc=example,dc=com"
#define GROUP_DN "cn=Leadership Team,ou=Groups,dc=example,dc=com"
#define N_NAMES 20

static const char *const names[N_NAMES] = {
	"Aisha Anderson", "Aisha Baker", "Aisha Lewis", "Aisha Thomas", "Alistair Carter",
	"Alistair Hill", "Alistair Murphy", "Anders Johansson", "Andrew Green",
	"Andrew Johnson", "Andrew Mitchell", "Anna Schwarz", "Arjun Carter", "Bruno Almeida",
	"Carmen de la Cruz", "Chloe Mitchell", "Chloe Scott", "Chris Smith",
	"Christian Moore", "Christian Scott",
};

/* ---------------------------------------------------------------------- */
/* The private slapd                                                       */
/* ---------------------------------------------------------------------- */

static const char *rundir(void)
{
	return LDAPAB_TEST_WORKDIR "/faults-matrix-slapd";
}

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

/* The TLS instance (the expired certificate). */
static const char *tls_rundir(void)
{
	return LDAPAB_TEST_WORKDIR "/faults-matrix-tls-slapd";
}

static char *path_in(const char *dir, const char *name)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

/* The pid the running slapd of dir wrote. */
static pid_t pid_in(const char *dir)
{
	FILE *f = fopen(path_in(dir, "slapd.pid"), "r");
	int pid = 0;

	assert_non_null(f);
	assert_int_equal(fscanf(f, "%d", &pid), 1);
	fclose(f);
	return (pid_t)pid;
}

static pid_t private_pid(void)
{
	return pid_in(rundir());
}

/* SIGKILL: the server vanishes with its connections (a frozen one too). */
static void private_kill(void)
{
	assert_int_equal(kill(private_pid(), SIGKILL), 0);
	assert_int_equal(slapd_instance_stop(rundir()), 0);
}

/* The killed server comes back on its old port with its database as it
 * was (the same entries, the same entryUUIDs: a restart, not a reload).
 * slapd daemonizes; the test's descriptors are closed in the child, so the
 * server holds none of them.  slapd.env's pid is brought up to date for
 * slapd_instance_freeze(). */
static void revive_in(const char *dir, const char *urls, int port)
{
	char line[256], conf[512], log_path[512], *env;
	pid_t child;
	int status = 0;
	uint64_t t0;
	FILE *in, *out;

	snprintf(conf, sizeof(conf), "%s", path_in(dir, "slapd.conf"));
	snprintf(log_path, sizeof(log_path), "%s", path_in(dir, "revive.log"));
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		int log = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0600);

		if (log >= 0) {
			dup2(log, 1);
			dup2(log, 2);
		}
		for (int fd = 3; fd < 4096; fd++)
			close(fd);
		execl("/usr/sbin/slapd", "slapd", "-f", conf, "-h", urls,
		      (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	for (t0 = test_mono_ms();; usleep(20000)) {
		int fd = connect_backend(port);

		if (fd >= 0) {
			close(fd);
			break;
		}
		if (test_mono_ms() - t0 > 10000)
			fail_msg("the revived slapd does not answer on %s", urls);
	}
	env = strdup(path_in(dir, "slapd.env"));
	assert_non_null(env);
	in = fopen(env, "r");
	out = fopen(path_in(dir, "slapd.env.new"), "w");
	assert_non_null(in);
	assert_non_null(out);
	while (fgets(line, sizeof(line), in))
		if (strncmp(line, "LDAPAB_TEST_PID=", 16) == 0)
			fprintf(out, "LDAPAB_TEST_PID=%d\n", (int)pid_in(dir));
		else
			fputs(line, out);
	fclose(in);
	fclose(out);
	assert_int_equal(rename(path_in(dir, "slapd.env.new"), env), 0);
	free(env);
}

static void private_revive(int port)
{
	char url[64];

	snprintf(url, sizeof(url), "ldap://127.0.0.1:%d/", port);
	revive_in(rundir(), url, port);
}

/* ---------------------------------------------------------------------- */
/* The operations                                                          */
/* ---------------------------------------------------------------------- */

/* The GetLastError text of any MAPI object for hr (malloc'd). */
#define LAST_ERROR_TEXT(obj, hr, out)                                                  \
	do {                                                                           \
		LPMAPIERROR e_ = NULL;                                                 \
		assert_int_equal((obj)->lpVtbl->GetLastError((obj), (hr), 0, &e_), S_OK); \
		assert_non_null(e_);                                                   \
		assert_non_null(e_->lpszError);                                        \
		*(out) = strdup((const char *)e_->lpszError);                          \
		host_MAPIFreeBuffer(e_);                                               \
	} while (0)

/* The profile's settings besides the URIs. */
static ULONG settings(SPropValue *v, int op_timeout)
{
	ULONG n = 0;

	memset(v, 0, 4 * sizeof(*v));
	v[n].ulPropTag = PR_LDAPAB_BASE_DN_A;
	v[n++].Value.lpszA = (LPSTR)BASE;
	v[n].ulPropTag = PR_LDAPAB_BROWSE_MODE;
	v[n++].Value.l = LDAPAB_BROWSE_VLV;
	if (op_timeout) {
		v[n].ulPropTag = PR_LDAPAB_OP_TIMEOUT;
		v[n++].Value.l = op_timeout;
	}
	return n;
}

/* The directory container (CT-2): its entry ID from the configuration. */
static IABContainer *open_directory(struct lg *g, const char *uris, ULONG n,
                                    const SPropValue *extra)
{
	struct abp_config *cfg = NULL;
	char msg[ABP_MSG_MAX];
	uint8_t eid[ABP_EID_CONTAINER_MAX];
	SPropValue v[8];
	IABContainer *ct = NULL;
	ULONG cb, type = 0;

	assert_true(n < 7);
	memcpy(v, extra, n * sizeof(*v));
	v[n].ulPropTag = PR_LDAPAB_SERVER_URIS_A;
	v[n].Value.lpszA = (LPSTR)uris;
	if (FAILED(abp_config_from_props(n + 1, v, &cfg, msg, sizeof(msg))))
		fail_msg("configuration: %s", msg);
	assert_true(cfg->n_containers >= 1);
	cb = core_eid(&g->uid, ABP_EID_CONTAINER, ABP_EID_LOC_CONTAINER, cfg->containers[0].id,
	              strlen(cfg->containers[0].id), NULL, eid, sizeof(eid));
	abp_config_free(cfg);
	assert_int_equal(IABLogon_OpenEntry(g->l, cb, (LPENTRYID)eid, NULL, 0, &type,
	                                    (LPUNKNOWN *)&ct), S_OK);
	assert_int_equal(type, MAPI_ABCONT);
	return ct;
}

/* A browse window in the middle of the directory: SeekRowApprox(num/den)
 * and QueryRows(10).  On failure *text gets the table's GetLastError. */
static HRESULT browse_window(LPMAPITABLE t, ULONG num, ULONG den, char **text)
{
	LPSRowSet rs = NULL;
	HRESULT hr;

	*text = NULL;
	hr = IMAPITable_SeekRowApprox(t, num, den);
	if (SUCCEEDED(hr))
		hr = IMAPITable_QueryRows(t, 10, 0, &rs);
	if (FAILED(hr)) {
		assert_null(rs);
		LAST_ERROR_TEXT(t, hr, text);
		return hr;
	}
	assert_int_equal(rs->cRows, 10);
	host_FreeProws(rs);
	return hr;
}

/* A whole browse: GetContentsTable, then a window. */
static HRESULT browse(IABContainer *ct, char **text)
{
	LPMAPITABLE t = NULL;
	HRESULT hr = IABContainer_GetContentsTable(ct, 0, &t);

	*text = NULL;
	if (FAILED(hr)) {
		assert_null(t);
		LAST_ERROR_TEXT(ct, hr, text);
		return hr;
	}
	hr = browse_window(t, 1, 2, text);
	IMAPITable_Release(t);
	return hr;
}

struct names {
	ADRLIST *list;
	FlagList *flags;
	SPropValue *vals[N_NAMES];      /* what the caller put in, to compare */
};

static void names_new(struct names *s)
{
	assert_int_equal(host_MAPIAllocateBuffer((ULONG)CbNewADRLIST(N_NAMES), (void **)&s->list),
	                 S_OK);
	memset(s->list, 0, CbNewADRLIST(N_NAMES));
	s->list->cEntries = N_NAMES;
	s->flags = calloc(1, CbNewFlagList(N_NAMES));
	assert_non_null(s->flags);
	s->flags->cFlags = N_NAMES;
	for (ULONG i = 0; i < N_NAMES; i++) {
		ADRENTRY *a = (ADRENTRY *)((char *)s->list->aEntries + i * sizeof(ADRENTRY));
		SPropValue *v = NULL;
		char *copy = NULL;

		assert_int_equal(host_MAPIAllocateBuffer(sizeof(SPropValue), (void **)&v), S_OK);
		assert_int_equal(host_MAPIAllocateMore((ULONG)strlen(names[i]) + 1, v,
		                                       (void **)&copy), S_OK);
		memcpy(copy, names[i], strlen(names[i]) + 1);
		v->ulPropTag = PR_DISPLAY_NAME_A;
		v->Value.lpszA = copy;
		a->cValues = 1;
		a->rgPropVals = v;
		s->vals[i] = v;
		s->flags->ulFlag[i] = MAPI_UNRESOLVED;
	}
}

static ADRENTRY *names_at(struct names *s, ULONG i)
{
	return (ADRENTRY *)((char *)s->list->aEntries + i * sizeof(ADRENTRY));
}

/* CT-11j: after a failure the ADRLIST and the flags are as the caller
 * made them. */
static void names_assert_untouched(struct names *s)
{
	assert_int_equal(s->list->cEntries, N_NAMES);
	for (ULONG i = 0; i < N_NAMES; i++) {
		ADRENTRY *a = names_at(s, i);

		assert_int_equal(s->flags->ulFlag[i], MAPI_UNRESOLVED);
		assert_int_equal(a->cValues, 1);
		assert_ptr_equal(a->rgPropVals, s->vals[i]);
		assert_int_equal(a->rgPropVals[0].ulPropTag, PR_DISPLAY_NAME_A);
		assert_string_equal(a->rgPropVals[0].Value.lpszA, names[i]);
	}
}

static void names_assert_resolved(struct names *s)
{
	for (ULONG i = 0; i < N_NAMES; i++) {
		bool has_eid = false;

		if (s->flags->ulFlag[i] != MAPI_RESOLVED)
			fail_msg("\"%s\" not resolved (flag %u)", names[i],
			         (unsigned)s->flags->ulFlag[i]);
		for (ULONG k = 0; k < names_at(s, i)->cValues; k++)
			if (names_at(s, i)->rgPropVals[k].ulPropTag == PR_ENTRYID)
				has_eid = true;
		assert_true(has_eid);
	}
}

static void names_free(struct names *s)
{
	host_FreePadrlist(s->list);
	free(s->flags);
	memset(s, 0, sizeof(*s));
}

/* ResolveNames of the 20 names (a fresh list each time). */
static HRESULT resolve20(IABContainer *ct, char **text)
{
	struct names s;
	HRESULT hr;

	*text = NULL;
	names_new(&s);
	hr = IABContainer_ResolveNames(ct, NULL, 0, s.list, s.flags);
	if (FAILED(hr)) {
		names_assert_untouched(&s);
		LAST_ERROR_TEXT(ct, hr, text);
	} else {
		assert_int_equal(hr, S_OK);
		names_assert_resolved(&s);
	}
	names_free(&s);
	return hr;
}

/* The group by a DN-locator entry ID; on failure *text gets the logon's
 * GetLastError. */
static HRESULT open_group(struct lg *g, IDistList **dl, char **text)
{
	uint8_t eid[1024];
	char *norm = NULL;
	ULONG cb, type = 0;
	HRESULT hr;

	*text = NULL;
	*dl = NULL;
	assert_int_equal(lb_dn_normalize(GROUP_DN, &norm, NULL), LB_OK);
	cb = core_eid(&g->uid, ABP_EID_DISTLIST, ABP_EID_LOC_DN, norm, strlen(norm), GROUP_DN,
	              eid, sizeof(eid));
	free(norm);
	hr = IABLogon_OpenEntry(g->l, cb, (LPENTRYID)eid, NULL, 0, &type, (LPUNKNOWN *)dl);
	if (FAILED(hr)) {
		assert_null(*dl);
		LAST_ERROR_TEXT(g->l, hr, text);
	} else {
		assert_int_equal(type, MAPI_DISTLIST);
	}
	return hr;
}

/* The group's members: GetContentsTable and QueryRows. */
static HRESULT expand_group(IDistList *dl, char **text)
{
	LPMAPITABLE t = NULL;
	LPSRowSet rs = NULL;
	HRESULT hr = dl->lpVtbl->GetContentsTable(dl, 0, &t);

	*text = NULL;
	if (FAILED(hr)) {
		assert_null(t);
		LAST_ERROR_TEXT(dl, hr, text);
		return hr;
	}
	hr = IMAPITable_QueryRows(t, 50, 0, &rs);
	if (FAILED(hr)) {
		assert_null(rs);
		LAST_ERROR_TEXT(t, hr, text);
	} else {
		assert_true(rs->cRows >= 5);
		host_FreeProws(rs);
	}
	IMAPITable_Release(t);
	return hr;
}

/* Opening the group and reading its members. */
static HRESULT open_and_expand_group(struct lg *g, char **text)
{
	IDistList *dl = NULL;
	HRESULT hr = open_group(g, &dl, text);

	if (FAILED(hr))
		return hr;
	hr = expand_group(dl, text);
	dl->lpVtbl->Release(dl);
	return hr;
}

/* A failed operation: a network error whose text names the server. */
static void expect_network_error(const char *what, HRESULT hr, char *text, const char *uri)
{
	print_message("%s: 0x%08X: %s\n", what, (unsigned)hr, text ? text : "(none)");
	if (hr != MAPI_E_NETWORK_ERROR)
		fail_msg("%s: 0x%08X, not MAPI_E_NETWORK_ERROR", what, (unsigned)hr);
	expect_text(text, uri);
	free(text);
}

static void expect_ok(const char *what, HRESULT hr, char *text)
{
	if (hr != S_OK)
		fail_msg("%s: 0x%08X: %s", what, (unsigned)hr, text ? text : "(none)");
	free(text);
}

/* ---------------------------------------------------------------------- */
/* An operation in another thread (the server is killed under it)          */
/* ---------------------------------------------------------------------- */

enum op_kind { OP_BROWSE_WINDOW, OP_RESOLVE, OP_EXPAND };

struct pending {
	enum op_kind kind;
	LPMAPITABLE table;
	IABContainer *ct;
	IDistList *dl;
	HRESULT hr;
	char *text;
	pthread_t thread;
};

static void *pending_run(void *arg)
{
	struct pending *p = arg;

	switch (p->kind) {
	case OP_BROWSE_WINDOW:
		p->hr = browse_window(p->table, 3, 4, &p->text);
		break;
	case OP_RESOLVE:
		p->hr = resolve20(p->ct, &p->text);
		break;
	case OP_EXPAND:
		p->hr = expand_group(p->dl, &p->text);
		break;
	}
	return NULL;
}

/* Freezes the private server, starts the operation, kills the server
 * under it and waits for the operation's end. */
static void run_under_kill(struct pending *p, struct relay *r)
{
	assert_int_equal(slapd_instance_freeze(rundir()), 0);
	assert_int_equal(pthread_create(&p->thread, NULL, pending_run, p), 0);
	private_kill();
	relay_target(r, 0);
	assert_int_equal(pthread_join(p->thread, NULL), 0);
}

/* ---------------------------------------------------------------------- */

/* LC-17, CT-11j, ST-3: the only server is down when the logon starts: the
 * browse window, ResolveNames and the group are network errors naming the
 * server, the ADRLIST untouched; the server comes up: the same logon and
 * container work, without a new logon. */
static void test_LC17_CT11j_browse_resolve_group_server_down_then_back_ST3(void **state)
{
	struct resources before = resources_now();
	static struct relay r;    /* outlives a failed assertion (its thread reads it) */
	struct lg g;
	IABContainer *ct;
	SPropValue extra[4];
	char uri[64], *text = NULL, *row = NULL;
	ULONG n = settings(extra, 0);
	HRESULT hr;

	(void)state;
	relay_start(&r);
	snprintf(uri, sizeof(uri), "ldap://127.0.0.1:%d", r.port);
	lg_logon(&g, uri, n, extra);
	ct = open_directory(&g, uri, n, extra);

	hr = browse(ct, &text);
	expect_network_error("browse, down", hr, text, uri);
	hr = resolve20(ct, &text);
	expect_network_error("ResolveNames, down", hr, text, uri);
	hr = open_and_expand_group(&g, &text);
	expect_network_error("group, down", hr, text, uri);
	assert_int_equal(row_status(&g, &row), STATUS_FAILURE);
	expect_text(row, uri);
	free(row);

	relay_target(&r, private_start());
	hr = browse(ct, &text);
	expect_ok("browse, back", hr, text);
	hr = resolve20(ct, &text);
	expect_ok("ResolveNames, back", hr, text);
	hr = open_and_expand_group(&g, &text);
	expect_ok("group, back", hr, text);
	assert_int_equal(row_status(&g, &row), STATUS_AVAILABLE);
	free(row);
	assert_int_equal(proc_tcp_connections_to(r.port), 1);

	IABContainer_Release(ct);
	assert_int_equal(IABLogon_Logoff(g.l, 0), S_OK);
	assert_int_equal(proc_tcp_connections_to(r.port), 0);
	lg_logoff(&g);
	relay_stop(&r);
	assert_int_equal(slapd_instance_stop(rundir()), 0);
	assert_resources_back_to(before, "table operations, server down then back");
}

/* LC-36, CT-11j: the server is killed under each operation - between two
 * browse windows of one table, under ResolveNames, under the member read of
 * an open group: each is a network error naming the server (at once, not
 * after the 30 s operation timeout), the ADRLIST untouched; the server
 * comes back: the same table, container and group work again. */
static void test_LC36_CT11j_browse_resolve_group_server_killed_mid_operation_then_back(
	void **state)
{
	struct resources before = resources_now();
	static struct relay r;    /* outlives a failed assertion (its thread reads it) */
	struct lg g;
	IABContainer *ct;
	IDistList *dl = NULL;
	LPMAPITABLE t = NULL;
	SPropValue extra[4];
	char uri[64], *text = NULL;
	ULONG n = settings(extra, 30);
	uint64_t t0;
	HRESULT hr;
	int port;

	(void)state;
	relay_start(&r);
	port = private_start();
	relay_target(&r, port);
	snprintf(uri, sizeof(uri), "ldap://127.0.0.1:%d", r.port);
	lg_logon(&g, uri, n, extra);
	ct = open_directory(&g, uri, n, extra);

	/* Between two windows of one browse. */
	assert_int_equal(IABContainer_GetContentsTable(ct, 0, &t), S_OK);
	hr = browse_window(t, 1, 4, &text);
	expect_ok("first window", hr, text);
	{
		struct pending p = { .kind = OP_BROWSE_WINDOW, .table = t };

		t0 = test_mono_ms();
		run_under_kill(&p, &r);
		expect_network_error("second window, killed", p.hr, p.text, uri);
		assert_true(test_mono_ms() - t0 < 20000);
	}

	/* Under ResolveNames of 20 names. */
	private_revive(port);
	relay_target(&r, port);
	{
		struct pending p = { .kind = OP_RESOLVE, .ct = ct };

		t0 = test_mono_ms();
		run_under_kill(&p, &r);
		expect_network_error("ResolveNames, killed", p.hr, p.text, uri);
		assert_true(test_mono_ms() - t0 < 20000);
	}

	/* Under the member read of a group opened while the server was up. */
	private_revive(port);
	relay_target(&r, port);
	hr = open_group(&g, &dl, &text);
	expect_ok("open the group", hr, text);
	{
		struct pending p = { .kind = OP_EXPAND, .dl = dl };

		t0 = test_mono_ms();
		run_under_kill(&p, &r);
		expect_network_error("members, killed", p.hr, p.text, uri);
		assert_true(test_mono_ms() - t0 < 20000);
	}

	/* Back: the same objects of the same logon. */
	private_revive(port);
	relay_target(&r, port);
	hr = browse_window(t, 1, 2, &text);
	expect_ok("window, back", hr, text);
	hr = resolve20(ct, &text);
	expect_ok("ResolveNames, back", hr, text);
	hr = expand_group(dl, &text);
	expect_ok("members, back", hr, text);
	assert_int_equal(proc_tcp_connections_to(r.port), 1);

	dl->lpVtbl->Release(dl);
	IMAPITable_Release(t);
	IABContainer_Release(ct);
	assert_int_equal(IABLogon_Logoff(g.l, 0), S_OK);
	assert_int_equal(proc_tcp_connections_to(r.port), 0);
	lg_logoff(&g);
	relay_stop(&r);
	assert_int_equal(slapd_instance_stop(rundir()), 0);
	assert_resources_back_to(before, "table operations, server killed then back");
}

/* Failover (LC-36): the first server (a private slapd behind a relay) is
 * killed under ResolveNames; the second (the fixture's slapd, loaded from
 * the same LDIF) takes over within the same call, which succeeds; a table
 * opened on the first, the group and a browse work on the second.  The first
 * comes back: while its backoff (PR_LDAPAB_FAILOVER_BACKOFF, 6 s after the
 * failure; 30 by default) runs, the second stays in use; after it, the next
 * call moves back to the first.  Which
 * server serves is read from this process's TCP connections. */
static void test_LC36_failover_to_second_server_and_back_after_backoff(void **state)
{
	struct resources before = resources_now();
	int second = atoi(slapd_env("LDAPAB_TEST_PORT")), port;
	static struct relay r;    /* outlives a failed assertion (its thread reads it) */
	struct lg g;
	IABContainer *ct;
	LPMAPITABLE t = NULL;
	SPropValue extra[4];
	char uris[128], *text = NULL;
	ULONG n = settings(extra, 30);
	uint64_t kill_start, failed_by;
	HRESULT hr;

	(void)state;
	extra[n].ulPropTag = PR_LDAPAB_FAILOVER_BACKOFF;
	extra[n++].Value.l = 6;
	relay_start(&r);
	port = private_start();
	relay_target(&r, port);
	snprintf(uris, sizeof(uris), "ldap://127.0.0.1:%d ldap://127.0.0.1:%d", r.port, second);
	lg_logon(&g, uris, n, extra);
	ct = open_directory(&g, uris, n, extra);
	assert_int_equal(IABContainer_GetContentsTable(ct, 0, &t), S_OK);
	hr = browse_window(t, 1, 4, &text);
	expect_ok("browse on the first", hr, text);
	assert_int_equal(proc_tcp_connections_to(r.port), 1);
	assert_int_equal(proc_tcp_connections_to(second), 0);

	{
		struct pending p = { .kind = OP_RESOLVE, .ct = ct };

		kill_start = test_mono_ms();
		run_under_kill(&p, &r);
		failed_by = test_mono_ms();
		expect_ok("ResolveNames, first killed", p.hr, p.text);
	}
	assert_int_equal(proc_tcp_connections_to(r.port), 0);
	assert_int_equal(proc_tcp_connections_to(second), 1);
	hr = browse_window(t, 1, 2, &text);
	expect_ok("window of the table opened on the first", hr, text);
	hr = open_and_expand_group(&g, &text);
	expect_ok("group on the second", hr, text);
	assert_int_equal(proc_tcp_connections_to(second), 1);

	/* The first is back at once, but its backoff runs. */
	private_revive(port);
	relay_target(&r, port);
	while (test_mono_ms() < kill_start + 4000) {
		hr = browse(ct, &text);
		expect_ok("browse during the backoff", hr, text);
		assert_int_equal(proc_tcp_connections_to(r.port), 0);
		assert_int_equal(proc_tcp_connections_to(second), 1);
		usleep(1000 * 1000);
	}
	while (test_mono_ms() < failed_by + 6500)
		usleep(100 * 1000);
	hr = browse(ct, &text);
	expect_ok("browse after the backoff", hr, text);
	assert_int_equal(proc_tcp_connections_to(r.port), 1);
	assert_int_equal(proc_tcp_connections_to(second), 0);

	IMAPITable_Release(t);
	IABContainer_Release(ct);
	assert_int_equal(IABLogon_Logoff(g.l, 0), S_OK);
	assert_int_equal(proc_tcp_connections_to(r.port), 0);
	assert_int_equal(proc_tcp_connections_to(second), 0);
	lg_logoff(&g);
	relay_stop(&r);
	assert_int_equal(slapd_instance_stop(rundir()), 0);
	assert_resources_back_to(before, "failover and back");
}

/* LC-17, LC-36: a server that answers, but slowly (the relay holds its
 * bytes 3 s; connect timeout 1 s, operation timeout 2 s), over ldap://,
 * StartTLS and ldaps://.  Slow from the start: the connect timeout fires
 * and the message says "connect timeout".  Slow on a working link: the
 * operation timeout fires and the log says "operation timeout"; the call
 * then reconnects once (ldapbridge retries a search whose link hung), and
 * the caller's message names both: the timeout that ended that retry (the
 * connect timeout) and the operation timeout that led to it.  Neither waits for the slow bytes; once the server is
 * quick again the same logon works. */
static void test_LC17_LC36_slow_server_connect_and_operation_timeouts_name_themselves(
	void **state)
{
	struct resources before = resources_now();
	const char *plain = slapd_env("LDAPAB_TEST_PORT"), *tls = slapd_env("LDAPAB_TEST_LDAPS_PORT");
	const char *scheme[] = { "ldap", "ldap", "ldaps" };
	const char *target[] = { plain, plain, tls };

	(void)state;
	for (size_t k = 0; k < 3; k++) {
		static struct relay r;    /* outlives a failed assertion (its thread reads it) */
		struct lg g;
		IABContainer *ct;
		SPropValue extra[8];
		struct capture cap;
		char uri[64], *text = NULL, *log;
		ULONG n = settings(extra, 2);
		uint64_t t0, spent;
		HRESULT hr;

		extra[n].ulPropTag = PR_LDAPAB_CONNECT_TIMEOUT;
		extra[n++].Value.l = 1;
		extra[n].ulPropTag = PR_LDAPAB_TLS_CACERT_FILE_A;
		extra[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_CA");
		if (k == 1) {
			extra[n].ulPropTag = PR_LDAPAB_TLS_MODE;
			extra[n++].Value.l = LDAPAB_TLS_STARTTLS;
		}
		relay_start(&r);
		relay_target(&r, atoi(target[k]));
		snprintf(uri, sizeof(uri), "%s://127.0.0.1:%d", scheme[k], r.port);
		lg_logon(&g, uri, n, extra);
		ct = open_directory(&g, uri, n, extra);

		/* Slow while connecting. */
		relay_delay(&r, 3000);
		t0 = test_mono_ms();
		hr = browse(ct, &text);
		spent = test_mono_ms() - t0;
		print_message("%s%s, slow from the start: %llu ms\n", uri, k == 1 ? " (StartTLS)" : "",
		              (unsigned long long)spent);
		expect_text(text, "connect timeout");
		expect_network_error("slow connect", hr, text, uri);
		assert_true(spent >= 900 && spent < 2900);

		/* Quick: connected; then slow on the working link. */
		relay_delay(&r, 0);
		hr = browse(ct, &text);
		expect_ok("quick", hr, text);
		relay_delay(&r, 3000);
		capture_stderr(&cap);
		t0 = test_mono_ms();
		hr = browse(ct, &text);
		spent = test_mono_ms() - t0;
		log = captured(&cap);
		print_message("%s%s, slow on a working link: %llu ms\n", uri,
		              k == 1 ? " (StartTLS)" : "", (unsigned long long)spent);
		expect_text(log, "(operation timeout)");
		expect_text(text, "(connect timeout); that was the retry after: ");
		expect_text(text, "(operation timeout)");
		free(log);
		expect_network_error("slow operation", hr, text, uri);
		assert_true(spent >= 1900 && spent < 5900);

		/* Quick again: the same logon. */
		relay_delay(&r, 0);
		hr = browse(ct, &text);
		expect_ok("quick again", hr, text);

		IABContainer_Release(ct);
		t0 = test_mono_ms();
		lg_logoff(&g);
		assert_true(test_mono_ms() - t0 < 1000);
		assert_int_equal(proc_tcp_connections_to(r.port), 0);
		relay_stop(&r);
	}
	assert_resources_back_to(before, "slow server");
}

/* An expired server certificate for 127.0.0.1, signed by the instance's
 * own CA (so only its dates are wrong), in place of the one slapd-ctl made. */
static void make_expired_certificate(const char *dir)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd),
	         "set -e; cd '%s/tls'; mkdir -p expired; cd expired; : > index.txt;"
	         " echo 01 > serial;"
	         " printf '%%s\\n' '[ca]' 'default_ca=d' '[d]' 'database=index.txt'"
	         "  'new_certs_dir=.' 'serial=serial' 'default_md=sha256' 'policy=p'"
	         "  'copy_extensions=none' 'unique_subject=no' '[p]' 'commonName=supplied' > ca.cnf;"
	         " openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
	         "  -keyout server.key -out server.csr -subj /CN=localhost 2>openssl.log;"
	         " openssl ca -batch -notext -config ca.cnf -cert ../ca.pem -keyfile ../ca.key"
	         "  -in server.csr -out server.pem -extfile ../server.ext"
	         "  -startdate 20200101000000Z -enddate 20210101000000Z 2>>openssl.log;"
	         " cp server.pem ../server.pem; cp server.key ../server.key; chmod 600 ../server.key",
	         dir);
	if (system(cmd) != 0)
		fail_msg("could not make the expired certificate (see %s/tls/expired/openssl.log)",
		         dir);
}

/* LC-17: certificates that must be refused, over StartTLS and ldaps://:
 * the fixture's certificate reached under a name it does not carry
 * (127.0.0.2, through a relay), and an expired certificate (a private slapd
 * restarted with one).  Each is MAPI_E_NETWORK_ERROR with a message naming
 * the server, the CA file and the checks to make; the bind password is in
 * no output. */
static void test_LC17_wrong_hostname_and_expired_certificate_refused_password_nowhere(
	void **state)
{
	struct resources before = resources_now();
	char *tls_port, *plain_port, *tls_ca, urls[128];
	int ports[4];

	(void)state;
	assert_int_equal(slapd_instance_start(tls_rundir(), "--bulk 10"), 0);
	plain_port = slapd_env_file(tls_rundir(), "LDAPAB_TEST_PORT");
	tls_port = slapd_env_file(tls_rundir(), "LDAPAB_TEST_LDAPS_PORT");
	tls_ca = slapd_env_file(tls_rundir(), "LDAPAB_TEST_CA");
	assert_non_null(plain_port);
	assert_non_null(tls_port);
	assert_non_null(tls_ca);
	assert_int_equal(slapd_instance_stop(tls_rundir()), 0);
	make_expired_certificate(tls_rundir());
	snprintf(urls, sizeof(urls), "ldap://127.0.0.1:%s/ ldaps://127.0.0.1:%s/", plain_port,
	         tls_port);
	revive_in(tls_rundir(), urls, atoi(plain_port));

	for (size_t k = 0; k < 4; k++) {
		bool wrong_name = k < 2, starttls = k % 2 == 0;
		static struct relay r;    /* outlives a failed assertion (its thread reads it) */
		struct capture cap;
		struct lg g;
		IABContainer *ct;
		SPropValue extra[8];
		char uri[64], *text = NULL, *row = NULL, *log;
		ULONG n = settings(extra, 0);
		HRESULT hr;

		if (wrong_name) {
			relay_start_at(&r, 0x7f000002);
			relay_target(&r, atoi(slapd_env(starttls ? "LDAPAB_TEST_PORT"
			                                          : "LDAPAB_TEST_LDAPS_PORT")));
			snprintf(uri, sizeof(uri), "%s://127.0.0.2:%d", starttls ? "ldap" : "ldaps",
			         r.port);
			ports[k] = r.port;
		} else {
			snprintf(uri, sizeof(uri), "%s://127.0.0.1:%s", starttls ? "ldap" : "ldaps",
			         starttls ? plain_port : tls_port);
			ports[k] = atoi(starttls ? plain_port : tls_port);
		}
		extra[n].ulPropTag = PR_LDAPAB_BIND_DN_A;
		extra[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_BIND_DN");
		extra[n].ulPropTag = PR_LDAPAB_BIND_PASSWORD_A;
		extra[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_BIND_PW");
		extra[n].ulPropTag = PR_LDAPAB_TLS_CACERT_FILE_A;
		extra[n++].Value.lpszA = wrong_name ? (LPSTR)slapd_env("LDAPAB_TEST_CA") : tls_ca;
		if (starttls) {
			extra[n].ulPropTag = PR_LDAPAB_TLS_MODE;
			extra[n++].Value.l = LDAPAB_TLS_STARTTLS;
		}
		capture_stderr(&cap);
		lg_logon(&g, uri, n, extra);
		ct = open_directory(&g, uri, n, extra);
		hr = browse(ct, &text);
		(void)row_status(&g, &row);
		IABContainer_Release(ct);
		lg_logoff(&g);
		log = captured(&cap);
		print_message("%s (%s): %s\n", wrong_name ? "wrong name" : "expired", uri, text);
		/* libldap reports no cause for a refused handshake: the message
		 * names the server, the CA file in use and every check that can
		 * fail, the name and the validity dates among them. */
		expect_text(text, uri);
		expect_text(text, "certificate");
		expect_text(text, "host name");
		expect_text(text, "expired");
		expect_text(text, wrong_name ? slapd_env("LDAPAB_TEST_CA") : tls_ca);
		if (strstr(text, slapd_env("LDAPAB_TEST_BIND_PW")) ||
		    (row && strstr(row, slapd_env("LDAPAB_TEST_BIND_PW"))) ||
		    strstr(log, slapd_env("LDAPAB_TEST_BIND_PW")))
			fail_msg("the password appears in an output");
		free(row);
		free(log);
		expect_network_error(wrong_name ? "wrong name" : "expired", hr, text, uri);
		if (wrong_name)
			relay_stop(&r);
		assert_int_equal(proc_tcp_connections_to(ports[k]), 0);
	}
	assert_int_equal(slapd_instance_stop(tls_rundir()), 0);
	free(plain_port);
	free(tls_port);
	free(tls_ca);
	assert_resources_back_to(before, "refused certificates");
}

/* Reads the whole view 200 rows at a time; the code of the last QueryRows. */
static HRESULT read_to_end(LPMAPITABLE t, ULONG *rows)
{
	HRESULT last;

	*rows = 0;
	for (;;) {
		LPSRowSet rs = NULL;
		ULONG got;

		last = IMAPITable_QueryRows(t, 200, 0, &rs);
		if (last != S_OK && last != MAPI_W_PARTIAL_COMPLETION)
			fail_msg("QueryRows: 0x%08X", (unsigned)last);
		got = rs->cRows;
		*rows += got;
		host_FreeProws(rs);
		if (got == 0 || last == MAPI_W_PARTIAL_COMPLETION)
			return last;
	}
}

/* TB-19, CT-7: the server's own limits.  Size: slapd's sizelimit 500 for
 * a search that is neither paged nor sorted/VLV (a private slapd without
 * sssvlv and 600 people, the profile with no size limit of its own and no
 * paging): the view holds the 500 entries the server sent and the
 * QueryRows that reaches its end answers MAPI_W_PARTIAL_COMPLETION, with a
 * GetLastError text saying the list is incomplete.  Time: the same signal
 * when the search ends in timeLimitExceeded (a slapd time limit cannot be
 * made to fire on demand; the relay turns the search's success into it). */
static void test_TB19_server_size_and_time_limits_partial_view_signalled(void **state)
{
	const char *dir = LDAPAB_TEST_WORKDIR "/faults-matrix-limits";
	struct resources before = resources_now();
	struct lg g;
	IABContainer *ct;
	LPMAPITABLE t = NULL;
	SPropValue extra[6];
	char *uri, *base, *text = NULL;
	ULONG n = 0, rows = 0;
	HRESULT last = S_OK;

	(void)state;
	assert_int_equal(slapd_instance_start(dir, "--bulk 600 --no-tls --no-sssvlv"), 0);
	uri = slapd_env_file(dir, "LDAPAB_TEST_URI");
	base = slapd_env_file(dir, "LDAPAB_TEST_BULK_BASE");
	assert_non_null(uri);
	assert_non_null(base);
	memset(extra, 0, sizeof(extra));
	extra[n].ulPropTag = PR_LDAPAB_BASE_DN_A;
	extra[n++].Value.lpszA = base;
	extra[n].ulPropTag = PR_LDAPAB_SIZE_LIMIT;
	extra[n++].Value.l = 0;
	extra[n].ulPropTag = PR_LDAPAB_PAGE_SIZE;
	extra[n++].Value.l = 0;
	lg_logon(&g, uri, n, extra);
	ct = open_directory(&g, uri, n, extra);
	assert_int_equal(IABContainer_GetContentsTable(ct, 0, &t), S_OK);
	last = read_to_end(t, &rows);
	print_message("rows %u, last 0x%08X\n", (unsigned)rows, (unsigned)last);
	assert_int_equal(rows, 500);
	assert_int_equal(last, MAPI_W_PARTIAL_COMPLETION);
	LAST_ERROR_TEXT(t, MAPI_W_PARTIAL_COMPLETION, &text);
	print_message("partial: %s\n", text);
	expect_text(text, "more entries");
	expect_text(text, "the server's own");
	free(text);
	IMAPITable_Release(t);
	IABContainer_Release(ct);
	lg_logoff(&g);

	/* The server's time limit: the relay ends the searches of a working
	 * link as a server whose time limit fired does (timeLimitExceeded
	 * after the entries found so far).  26 people in Finance: first a
	 * complete view, then the same view cut by the time limit. */
	{
		char *port = slapd_env_file(dir, "LDAPAB_TEST_PORT");
		static struct relay r;  /* outlives a failed assertion (its thread reads it) */
		char ruri[64];

		assert_non_null(port);
		relay_start(&r);
		relay_target(&r, atoi(port));
		free(port);
		snprintf(ruri, sizeof(ruri), "ldap://127.0.0.1:%d", r.port);
		extra[0].Value.lpszA = (LPSTR)"ou=Finance,ou=People,dc=example,dc=com";
		lg_logon(&g, ruri, n, extra);
		ct = open_directory(&g, ruri, n, extra);
		assert_int_equal(IABContainer_GetContentsTable(ct, 0, &t), S_OK);
		last = read_to_end(t, &rows);
		IMAPITable_Release(t);
		assert_int_equal(last, S_OK);
		assert_int_equal(rows, 26);

		relay_search_result(&r, 3);     /* timeLimitExceeded */
		assert_int_equal(IABContainer_GetContentsTable(ct, 0, &t), S_OK);
		last = read_to_end(t, &rows);
		print_message("time limit: rows %u, last 0x%08X\n", (unsigned)rows, (unsigned)last);
		assert_int_equal(last, MAPI_W_PARTIAL_COMPLETION);
		assert_int_equal(rows, 26);
		LAST_ERROR_TEXT(t, MAPI_W_PARTIAL_COMPLETION, &text);
		print_message("partial: %s\n", text);
		expect_text(text, "more entries");
		free(text);
		IMAPITable_Release(t);
		IABContainer_Release(ct);
		lg_logoff(&g);
		assert_int_equal(proc_tcp_connections_to(r.port), 0);
		relay_stop(&r);
	}
	assert_int_equal(slapd_instance_stop(dir), 0);
	free(uri);
	free(base);
	assert_resources_back_to(before, "server size and time limits");
}

static void *no_op(void *arg)
{
	return arg;
}

/* The module is loaded and unloaded once first, and a thread run, so the
 * counts compare like with like. */
static int group_setup(void **state)
{
	host_provider *prov = core_load(NULL);
	pthread_t t;

	(void)state;
	host_provider_release(prov);
	if (pthread_create(&t, NULL, no_op, NULL) != 0 || pthread_join(t, NULL) != 0)
		return -1;
	(void)slapd_env("LDAPAB_TEST_URI");
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		CORE_TEST(test_LC17_CT11j_browse_resolve_group_server_down_then_back_ST3),
		CORE_TEST(test_LC36_CT11j_browse_resolve_group_server_killed_mid_operation_then_back),
		CORE_TEST(test_LC36_failover_to_second_server_and_back_after_backoff),
		CORE_TEST(test_LC17_LC36_slow_server_connect_and_operation_timeouts_name_themselves),
		CORE_TEST(test_LC17_wrong_hostname_and_expired_certificate_refused_password_nowhere),
		CORE_TEST(test_TB19_server_size_and_time_limits_partial_view_signalled),
	};

	if (argc > 1) {
		/* A name that matches no test must fail, not pass with none run. */
		bool known = false;

		for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
			if (strcmp(tests[i].name, argv[1]) == 0)
				known = true;
		if (!known) {
			fprintf(stderr, "no test named %s\n", argv[1]);
			return 1;
		}
		cmocka_set_test_filter(argv[1]);
	}
	return cmocka_run_group_tests_name("provider_faults_matrix", tests, group_setup, NULL);
}
