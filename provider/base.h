/*
 * base.h - what every provider source needs first (internal to provider/):
 * the MAPI ABI headers, ldapbridge's API, the entry-ID format, and the few
 * macros the provider's headers use.
 *
 * Memory: what a MAPI caller frees comes from the session's alloc_buffer /
 * alloc_more (MM-2); internal memory is malloc'd.  The two never mix.
 */
#ifndef LDAPAB_BASE_H
#define LDAPAB_BASE_H

#include <ldapab_platform/thread.h>
#include <stdarg.h>
#include <ldapab_platform/atomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mapi/mapidefs.h>
#include <mapi/mapicode.h>
#include <mapi/mapitags.h>
#include <mapi/mapiguid.h>
#include <mapi/mapispi.h>

#include <ldapbridge/lb.h>

#include "entryid.h"
#include "securezero.h"

/* Format strings in provider/ use only conversions that gcc's "printf"
 * checking accepts on every target, mingw's ms_printf (msvcrt) included:
 * no %zu / %ll / %j - cast size_t to unsigned long and print with %lu. */
#if defined(__GNUC__)
#define ABP_WUR __attribute__((warn_unused_result))
#define ABP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define ABP_WUR
#define ABP_PRINTF(f, a)
#endif

struct abp_session;

#define ABP_COMPONENT "ldapab"          /* MAPIERROR.lpszComponent (<= 30 chars) */
#define ABP_MSG_MAX 640

#define ABP_CONTAINING_RECORD(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* Module file name reported in PR_PROVIDER_DLL_NAME. */
#if defined(_WIN32)
#define ABP_DLL_NAME "ldapab.dll"
#else
#define ABP_DLL_NAME "ldapab.so"
#endif
#define ABP_PROVIDER_DISPLAY "LDAP Address Book (ldapab)"

#endif /* LDAPAB_BASE_H */
