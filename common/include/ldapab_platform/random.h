/*
 * random.h - bytes from the system's cryptographic random source
 * (getrandom on Linux, RtlGenRandom on Windows), for MAPIUIDs.
 */
#ifndef LDAPAB_PLATFORM_RANDOM_H
#define LDAPAB_PLATFORM_RANDOM_H

#include <stddef.h>

/* Fill buf with len random bytes (len <= 256); 0 on success, -1 if not. */
int plat_random(void *buf, size_t len);

#endif /* LDAPAB_PLATFORM_RANDOM_H */
