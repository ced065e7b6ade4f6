/* samba_env.h - what an integration test needs to reach the fixture Samba
 * AD DC.
 *
 * The CTest fixture "samba_ad" (tests/samba/CMakeLists.txt) provisions and
 * starts a private Samba AD DC and writes KEY=VALUE lines to a file whose
 * path every fixture test finds in the environment variable
 * LDAPAB_SAMBA_ENV.  The keys are listed in HACKING.md ("The Samba AD
 * fixture"), e.g. LDAPAB_AD_URI, LDAPAB_AD_BASE, LDAPAB_AD_READER_UPN.
 *
 * Test-support code: a missing file or key aborts the test with a message,
 * because a test without its server cannot say anything useful.
 */
#ifndef LDAPAB_TESTS_SAMBA_ENV_H
#define LDAPAB_TESTS_SAMBA_ENV_H

/* The value of KEY in the file named by $LDAPAB_SAMBA_ENV (read once).
 * Aborts if the variable is unset, the file unreadable or the key missing.
 * Borrowed: valid until the process exits.  Not thread-safe on the first
 * call; call it from the test's main thread first. */
const char *samba_env(const char *key);

#endif
