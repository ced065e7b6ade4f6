/*
 * atomic.h - the atomics the provider and ldapbridge use: C11 <stdatomic.h>,
 * which gcc and clang provide for Linux and for both mingw-w64 targets
 * (lock-free for 32-bit counters and bools on x86 and x86-64).  One include
 * point, so a compiler without <stdatomic.h> needs one change here.
 */
#ifndef LDAPAB_PLATFORM_ATOMIC_H
#define LDAPAB_PLATFORM_ATOMIC_H

#include <stdatomic.h>

#endif /* LDAPAB_PLATFORM_ATOMIC_H */
