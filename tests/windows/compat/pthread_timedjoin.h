/*
 * pthread_timedjoin.h - pthread_timedjoin_np(), a GNU extension
 * winpthreads lacks, for the Windows builds of the unit suites (forced in
 * with -include where a suite calls it; pthread_timedjoin.c).
 */
#ifndef LDAPAB_WIN_COMPAT_PTHREAD_TIMEDJOIN_H
#define LDAPAB_WIN_COMPAT_PTHREAD_TIMEDJOIN_H

#include <pthread.h>
#include <time.h>

/* Joins t if it ends before abstime (CLOCK_REALTIME), else ETIMEDOUT and t
 * stays joinable. */
int pthread_timedjoin_np(pthread_t t, void **result, const struct timespec *abstime);

#endif
