/* test_core_failalloc.h - see test_core_failalloc.c. */
#ifndef LDAPAB_TEST_CORE_FAILALLOC_H
#define LDAPAB_TEST_CORE_FAILALLOC_H
/* The (n+1)-th allocation from now fails once (n = 0: the next one). */
void core_failalloc_arm(long n);
/* Disarm; returns 1 if the armed failure fired. */
int core_failalloc_disarm(void);
#endif
