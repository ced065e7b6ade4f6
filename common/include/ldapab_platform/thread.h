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
 *
 * Thread-local pointers (plat_tls, over pthread keys or fiber-local storage):
 * used instead of _Thread_local, which mingw-w64's -win32 thread model
 * emulates in libgcc with an allocation at a thread's first use that
 * aborts the process when it fails.  Here every allocation is the caller's
 * and every failure is returned.  plat_tls_create() makes a key (0, or an
 * error); plat_tls_get() is this thread's value (NULL until set);
 * plat_tls_set() stores one (0, or an error when no memory is left).  A
 * value still set when its thread ends is passed to free().
 */
#ifndef LDAPAB_PLATFORM_THREAD_H
#define LDAPAB_PLATFORM_THREAD_H

#ifdef _WIN32

typedef struct { void *opaque; } plat_mutex;
typedef struct { void *opaque; } plat_cond;
typedef struct { void *opaque; } plat_once;
typedef struct { unsigned long index; } plat_tls;
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
int plat_tls_create(plat_tls *k);
void *plat_tls_get(plat_tls k);
int plat_tls_set(plat_tls k, void *v);

#else /* POSIX */

#include <pthread.h>
#include <stdlib.h>

typedef pthread_mutex_t plat_mutex;
typedef pthread_cond_t plat_cond;
typedef pthread_once_t plat_once;
typedef pthread_key_t plat_tls;
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
static inline int plat_tls_create(plat_tls *k) { return pthread_key_create(k, free); }
static inline void *plat_tls_get(plat_tls k) { return pthread_getspecific(k); }
static inline int plat_tls_set(plat_tls k, void *v) { return pthread_setspecific(k, v); }

#endif

#endif /* LDAPAB_PLATFORM_THREAD_H */
