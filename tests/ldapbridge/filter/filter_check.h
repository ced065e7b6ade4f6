/* filter_check.h - an independent check of rendered filter text for the tests. */
#ifndef LBF_FILTER_CHECK_H
#define LBF_FILTER_CHECK_H
#include <stdbool.h>
#include <stddef.h>

/*
 * True when s is balanced: every '(' closed, never more ')' than '(' so far,
 * starts with '(' and ends at the matching ')', every '\' starts a \hh escape,
 * no NUL or control byte, and it also passes lb_filter_validate() and
 * libldap's own filter encoder (ldap_pvt_put_filter).
 * Deliberately written apart from filter.c's validator so a bug in one does
 * not hide a bug in the other.
 */
bool lbf_filter_ok(const char *s, size_t len);

/* Count bytes c in s that are not part of a \hh escape. */
size_t lbf_count_unescaped(const char *s, char c);
#endif
