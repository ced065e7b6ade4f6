/*
 * thread.h - mutexes, condition variables and one-time initialisation,
 * written once for the provider and ldapbridge and mapped onto pthreads or
 * onto Win32 SRWLOCK / CONDITION_VARIABLE / INIT_ONCE.
 *
 * The Windows types are kept opaque (one pointer each, the size Windows
 * gives SRWLOCK, CONDITION_VARIABLE and INIT_ONCE): this header must not
 * pull in <windows.h>, whose ULONG (unsigned long) and friends would clash
 * with the MAPI ABI headers' own (uint32_t).  Zero-filled storage is the
 * "initialised" state of all three on Windows, as SRWLOCK_INIT,
 * CONDITION_VARIABLE_INIT and INIT_ONCE_STATIC_INIT are all zero.
 *
 * Semantics common to both: mutexes are not recursive; a condition wait
 * may wake spuriously (loop on the predicate); init returns 0 or an error.
 */
#ifndef LDAPAB_PLATFORM_THREAD_H
#define LDAPAB_PLATFORM_THREAD_H

#ifdef _WIN32

typedef struct { void *opaque; } plat_mutex;
typedef struct { void *opaque; } plat_cond;
typedef struct { void *opaque; } plat_once;
#define PLAT_MUTEX_INITIALIZER { 0 }
#define PLAT_ONCE_INIT { 0 }

int plat_mutex_init(plat_mutex *m);
void plat_mutex_destroy(plat_mutex *m);
void plat_mutex_lock(plat_mutex *m);
void plat_mutex_unlock(plat_mutex *m);
int plat_cond_init(plat_cond *c);
void plat_cond_destroy(plat_cond *c);
void plat_cond_wait(plat_cond *c, plat_mutex *m);
void plat_cond_signal(plat_cond *c);
void plat_cond_broadcast(plat_cond *c);
void plat_once_run(plat_once *o, void (*fn)(void));

#else /* POSIX */

#include <pthread.h>

typedef pthread_mutex_t plat_mutex;
typedef pthread_cond_t plat_cond;
typedef pthread_once_t plat_once;
#define PLAT_MUTEX_INITIALIZER PTHREAD_MUTEX_INITIALIZER
#define PLAT_ONCE_INIT PTHREAD_ONCE_INIT

static inline int plat_mutex_init(plat_mutex *m) { return pthread_mutex_init(m, NULL); }
static inline void plat_mutex_destroy(plat_mutex *m) { (void)pthread_mutex_destroy(m); }
static inline void plat_mutex_lock(plat_mutex *m) { (void)pthread_mutex_lock(m); }
static inline void plat_mutex_unlock(plat_mutex *m) { (void)pthread_mutex_unlock(m); }
static inline int plat_cond_init(plat_cond *c) { return pthread_cond_init(c, NULL); }
static inline void plat_cond_destroy(plat_cond *c) { (void)pthread_cond_destroy(c); }
static inline void plat_cond_wait(plat_cond *c, plat_mutex *m) { (void)pthread_cond_wait(c, m); }
static inline void plat_cond_signal(plat_cond *c) { (void)pthread_cond_signal(c); }
static inline void plat_cond_broadcast(plat_cond *c) { (void)pthread_cond_broadcast(c); }
static inline void plat_once_run(plat_once *o, void (*fn)(void)) { (void)pthread_once(o, fn); }

#endif

#endif /* LDAPAB_PLATFORM_THREAD_H */
