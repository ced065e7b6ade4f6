/* slapd_env.h - what an integration test needs to reach the fixture slapd.
 *
 * The CTest fixture "slapd" (tests/slapd/CMakeLists.txt) starts a private
 * slapd and writes KEY=VALUE lines to a file whose path every fixture test
 * finds in the environment variable LDAPAB_SLAPD_ENV.  The keys are listed
 * in HACKING.md ("The slapd fixture"), e.g. LDAPAB_TEST_URI,
 * LDAPAB_TEST_BASE, LDAPAB_TEST_BIND_DN.
 *
 * Tests that need a second server (failover) start one of their own in a
 * run directory of their choice with slapd_instance_start() and read its
 * keys with slapd_env_file().
 *
 * Tests of timeouts and cancellation need a server that never answers:
 * test_silent_listener_start() gives them one.
 *
 * Test-support code: failures to find the environment abort the test with
 * a message, because a test without its server cannot say anything useful.
 * Not thread-safe; call from the test's main thread.
 */
#ifndef LDAPAB_TESTS_SLAPD_ENV_H
#define LDAPAB_TESTS_SLAPD_ENV_H

#include <pthread.h>
#include <stdint.h>

/* The value of KEY in the file named by $LDAPAB_SLAPD_ENV (read once and
 * cached).  Returns NULL if the file has no such key; aborts if
 * LDAPAB_SLAPD_ENV is unset or the file cannot be read.  Borrowed: valid
 * until the process exits. */
const char *slapd_env(const char *key);

/* Like slapd_env(), but from <rundir>/slapd.env of an instance started with
 * slapd_instance_start().  Re-reads the file on every call (the instance may
 * have been restarted).  Returns a malloc()ed copy the caller frees, or NULL
 * if the file or the key is missing. */
char *slapd_env_file(const char *rundir, const char *key);

/* Starts a slapd in RUNDIR (created if needed) by running
 * "slapd-ctl start RUNDIR EXTRA_ARGS..."; EXTRA_ARGS (may be NULL) is split
 * at spaces, e.g. "--bulk 10 --no-tls".  A previous instance in RUNDIR is
 * stopped first.  Returns 0 on success, -1 on failure (slapd-ctl's messages
 * go to stderr). */
int slapd_instance_start(const char *rundir, const char *extra_args);

/* Stops the slapd of RUNDIR (slapd-ctl stop).  Returns 0 on success, -1 on
 * failure.  Stopping a directory with nothing running succeeds. */
int slapd_instance_stop(const char *rundir);

/* Freeze the instance in rundir: SIGSTOP its slapd and wait (at most 1 s)
 * until every slapd thread is stopped, so that nothing it had in hand is
 * answered afterwards.  0 on success, -1 with a message on stderr. */
int slapd_instance_freeze(const char *rundir);

/* Like slapd_instance_stop(), for an instance a test may have frozen with
 * SIGSTOP: sends it SIGCONT first (by the pid in <rundir>/slapd.env), so
 * it can be stopped whatever state the test left it in. */
int slapd_instance_thaw_and_stop(const char *rundir);

#define TEST_SILENT_LISTENER_MAX_CLIENTS 16

/* A TCP listener on 127.0.0.1 that accepts connections and never sends a
 * byte: a client stays stuck in its connect phase (e.g. libldap waiting for
 * the root DSE) until its own timeout or a cancellation.  The accepted
 * sockets are kept open (the first TEST_SILENT_LISTENER_MAX_CLIENTS; later
 * ones are closed at once) so the peer sees neither EOF nor a reset.
 * The fields are owned by the helper; read only PORT. */
struct test_silent_listener {
    int fd;           /* the listening socket */
    int port;         /* the TCP port it listens on (host byte order) */
    pthread_t thread; /* the accept loop */
    int clients[TEST_SILENT_LISTENER_MAX_CLIENTS];
    int n_clients;    /* written by the accept loop; read after the join */
};

/* Binds L to a free port on 127.0.0.1 and starts its accept thread.
 * Returns 0, or -1 (message on stderr, nothing left open). */
int test_silent_listener_start(struct test_silent_listener *l);

/* Stops the accept thread and closes the listener and every accepted
 * socket.  Only for a listener whose start returned 0. */
void test_silent_listener_stop(struct test_silent_listener *l);

/* CLOCK_MONOTONIC in milliseconds: how long a call against such a server
 * took, unaffected by changes of the wall clock. */
uint64_t test_mono_ms(void);

#endif
