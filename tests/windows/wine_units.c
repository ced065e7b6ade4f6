/*
 * wine_units.c - units of the Windows build, run under Wine:
 *   - the platform layer over Win32: a mutex guarding a counter four
 *     threads increment, a condition variable handing a value between
 *     threads, once-initialisation run by one of four racing threads;
 *   - the ANSI code page conversions (MU-6): what the code page has comes
 *     through, what it lacks becomes "?";
 *   - ldapbridge's DN functions over our RFC 4514 codec, against the
 *     answers the libldap backend gives for the same input on Linux
 *     (written down here), so both backends normalise alike.
 * Plain C (no cmocka for Windows); exits 1 at the first failure.
 */
#include <windows.h>
#include <process.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldapab_platform/codepage.h>
#include <ldapab_platform/thread.h>
#include <ldapbridge/lb_filter.h>

#include "wine_check.h"

static plat_mutex lock = PLAT_MUTEX_INITIALIZER;
static plat_cond cond;
static long counter, once_runs, handed;
static plat_once once = PLAT_ONCE_INIT;

static void once_body(void)
{
	once_runs++;
}

static unsigned __stdcall worker(void *arg)
{
	(void)arg;
	plat_once_run(&once, once_body);
	for (int i = 0; i < 10000; i++) {
		plat_mutex_lock(&lock);
		counter++;
		plat_mutex_unlock(&lock);
	}
	return 0;
}

static unsigned __stdcall giver(void *arg)
{
	(void)arg;
	plat_mutex_lock(&lock);
	handed = 42;
	plat_cond_signal(&cond);
	plat_mutex_unlock(&lock);
	return 0;
}

static void test_threads(void)
{
	HANDLE t[4], g;

	for (int i = 0; i < 4; i++) {
		t[i] = (HANDLE)_beginthreadex(NULL, 0, worker, NULL, 0, NULL);
		CHECK(t[i] != NULL, "thread %d", i);
	}
	WaitForMultipleObjects(4, t, TRUE, INFINITE);
	for (int i = 0; i < 4; i++)
		CloseHandle(t[i]);
	CHECK(counter == 40000, "counter %ld, want 40000 (mutex)", counter);
	CHECK(once_runs == 1, "once ran %ld times", once_runs);

	CHECK(plat_cond_init(&cond) == 0, "cond init");
	plat_mutex_lock(&lock);
	g = (HANDLE)_beginthreadex(NULL, 0, giver, NULL, 0, NULL);
	CHECK(g != NULL, "giver thread");
	while (handed == 0)
		plat_cond_wait(&cond, &lock);
	plat_mutex_unlock(&lock);
	WaitForSingleObject(g, INFINITE);
	CloseHandle(g);
	plat_cond_destroy(&cond);
	CHECK(handed == 42, "handed %ld", handed);
	printf("platform threads: mutex, condition variable, once\n");
}

static void test_codepage(void)
{
	/* "Hélène 中" in UTF-16 */
	static const uint16_t name[] = { 'H', 0xE9, 'l', 0xE8, 'n', 'e', ' ', 0x4E2D, 0 };
	char out[32];
	uint16_t *back;
	size_t need = plat_utf16_to_acp(name, NULL, 0);

	CHECK(GetACP() == 1252, "this test expects the ANSI code page 1252, not %u", GetACP());
	CHECK(need == 9, "need %u", (unsigned)need);
	CHECK(plat_utf16_to_acp(name, out, sizeof(out)) == 9, "convert");
	CHECK(strcmp(out, "H\xe9l\xe8ne ?") == 0, "got \"%s\"", out);
	CHECK(plat_utf16_to_acp(name, out, 4) == 9 && strcmp(out, "H\xe9l") == 0, "short buffer");
	back = plat_acp_to_utf16_dup("H\xe9l\xe8ne");
	CHECK(back != NULL && back[1] == 0xE9 && back[3] == 0xE8 && back[6] == 0, "back");
	free(back);
	printf("ANSI code page 1252: kept what it has, ? for the rest\n");
}

static void test_dn(void)
{
	/* input, then what lb_dn_normalize gives over libldap (NULL: invalid) */
	static const char *const cases[][2] = {
		{ "CN=Smith\\, J+UID=x,OU=People,DC=Example,DC=Com",
		  "cn=smith\\2C j+uid=x,ou=people,dc=example,dc=com" },
		{ "cn=#04024869,o=Test", "cn=#04024869,o=test" },
		{ "uid=a\\=b,dc=x", "uid=a\\3Db,dc=x" },
		{ " cn = H\xc3\xa9l\xc3\xa8ne Rousseau , dc=example ,dc=com",
		  "cn=h\xc3\xa9l\xc3\xa8ne rousseau,dc=example,dc=com" },
		{ "2.5.4.3=Foo\\20,0.9.2342.19200300.100.1.25=com", "cn=foo\\20,dc=com" },
		{ "cn=\\#hash,dc=x", "cn=\\23hash,dc=x" },
		{ "description=Mixed Case,cn=A", "description=mixed case,cn=a" },
		{ "cn=a\\2Cb", "cn=a\\2Cb" },
		{ "cn=", "cn=" },
		{ "cn=x;dc=y", NULL },
		{ "=x", NULL },
		{ "cn=a\"b", NULL },
	};
	struct lb_error e;
	char *out = NULL;
	bool below = false;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		lb_err rc = lb_dn_normalize(cases[i][0], &out, &e);

		if (cases[i][1] == NULL) {
			CHECK(rc == LB_E_INVALID, "\"%s\" should be invalid (%d)", cases[i][0], rc);
			continue;
		}
		CHECK(rc == LB_OK && strcmp(out, cases[i][1]) == 0, "\"%s\" -> \"%s\", want \"%s\"",
		      cases[i][0], rc == LB_OK ? out : "(error)", cases[i][1]);
		free(out);
		out = NULL;
	}
	CHECK(lb_dn_rdn_value("cn=Smith\\2C J,ou=x", &out, &e) == LB_OK && strcmp(out, "Smith, J") == 0,
	      "rdn value");
	free(out);
	CHECK(lb_dn_is_descendant("CN=A,OU=People,DC=Example,DC=Com", "ou=people,dc=example,dc=com",
				  &below, &e) == LB_OK && below, "descendant");
	CHECK(lb_dn_is_descendant("cn=A,dc=other", "dc=example", &below, &e) == LB_OK && !below,
	      "not descendant");
	printf("DNs: %u normalised as libldap does\n", (unsigned)(sizeof(cases) / sizeof(cases[0])));
}

int main(void)
{
	test_threads();
	test_codepage();
	test_dn();
	return 0;
}
