/*
 * lb_calls.h - how many requests a program has sent through ldapbridge
 * (lb_search, lb_search_batch - one round trip -, lb_vlv_window), counted
 * at ldapbridge's entry points: a program using it links lb_calls.c with
 * -Wl,--wrap=lb_search,--wrap=lb_search_batch,--wrap=lb_vlv_window.  For
 * tests and benchmarks that prove how few requests a table makes (TB-19),
 * without a counter in the provider.
 */
#ifndef LDAPAB_TEST_LB_CALLS_H
#define LDAPAB_TEST_LB_CALLS_H

#include <stddef.h>

/* Requests so far (all threads). */
size_t lb_calls(void);

#endif /* LDAPAB_TEST_LB_CALLS_H */
