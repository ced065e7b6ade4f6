/*
 * securezero.h - wiping secrets (internal to provider/).
 *
 * Kept apart from abp.h so that securezero.c can include <windows.h> on
 * Windows without our MAPI headers (which define the same types) in sight.
 */
#ifndef LDAPAB_SECUREZERO_H
#define LDAPAB_SECUREZERO_H

#include <stddef.h>

/* Overwrite n bytes at p with zeros in a way the compiler may not drop,
 * even when p is freed right after (passwords, CF-5).  p may be NULL only
 * when n is 0.  Portable: explicit_bzero() is missing on mingw and old
 * libcs, memset() before free() is a dead store the optimiser may remove. */
void abp_secure_zero(void *p, size_t n);

#endif /* LDAPAB_SECUREZERO_H */
