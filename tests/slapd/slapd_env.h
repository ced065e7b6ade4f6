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
 * Test-support code: failures to find the environment abort the test with
 * a message, because a test without its server cannot say anything useful.
 * Not thread-safe; call from the test's main thread.
 */
#ifndef LDAPAB_TESTS_SLAPD_ENV_H
#define LDAPAB_TESTS_SLAPD_ENV_H

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

#endif
