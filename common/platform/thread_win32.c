/*
 * thread_win32.c - <ldapab_platform/thread.h> over Win32 slim reader/writer
 * locks (exclusive mode only), condition variables, INIT_ONCE and fiber-local
 * storage.  None of the first three needs freeing, so destroy does nothing;
 * init cannot fail.
 */
#include <ldapab_platform/thread.h>

#include <stdlib.h>
#include <windows.h>

_Static_assert(sizeof(plat_mutex) == sizeof(SRWLOCK), "plat_mutex holds an SRWLOCK");
_Static_assert(sizeof(plat_cond) == sizeof(CONDITION_VARIABLE), "plat_cond holds a CONDITION_VARIABLE");
_Static_assert(sizeof(plat_once) == sizeof(INIT_ONCE), "plat_once holds an INIT_ONCE");
_Static_assert(sizeof(unsigned long) >= sizeof(DWORD), "plat_tls holds an FLS index");

static SRWLOCK *srw(plat_mutex *m) { return (SRWLOCK *)(void *)m; }
static CONDITION_VARIABLE *cv(plat_cond *c) { return (CONDITION_VARIABLE *)(void *)c; }

int plat_mutex_init(plat_mutex *m)
{
	InitializeSRWLock(srw(m));
	return 0;
}

void plat_mutex_destroy(plat_mutex *m)
{
	(void)m;
}

void plat_mutex_lock(plat_mutex *m)
{
	AcquireSRWLockExclusive(srw(m));
}

void plat_mutex_unlock(plat_mutex *m)
{
	ReleaseSRWLockExclusive(srw(m));
}

int plat_cond_init(plat_cond *c)
{
	InitializeConditionVariable(cv(c));
	return 0;
}

void plat_cond_destroy(plat_cond *c)
{
	(void)c;
}

void plat_cond_wait(plat_cond *c, plat_mutex *m)
{
	(void)SleepConditionVariableSRW(cv(c), srw(m), INFINITE, 0);
}

void plat_cond_signal(plat_cond *c)
{
	WakeConditionVariable(cv(c));
}

void plat_cond_broadcast(plat_cond *c)
{
	WakeAllConditionVariable(cv(c));
}

/* INIT_ONCE's callback has its own signature; the caller's plain function
 * travels through the parameter pointer. */
struct once_call { void (*fn)(void); };

static BOOL CALLBACK once_trampoline(PINIT_ONCE once, PVOID param, PVOID *ctx)
{
	(void)once;
	(void)ctx;
	((const struct once_call *)param)->fn();
	return TRUE;
}

void plat_once_run(plat_once *o, void (*fn)(void))
{
	struct once_call call = { fn };
	(void)InitOnceExecuteOnce((PINIT_ONCE)(void *)o, once_trampoline, &call, NULL);
}

/* Fiber-local storage rather than TlsAlloc: its callback frees a value when
 * its thread (or fiber) ends, as a pthread key's destructor does.  The
 * callback has Windows' calling convention, hence the wrapper. */
static VOID WINAPI tls_free(PVOID v)
{
	free(v);
}

int plat_tls_create(plat_tls *k)
{
	DWORD i = FlsAlloc(tls_free);

	if (i == FLS_OUT_OF_INDEXES)
		return -1;
	k->index = i;
	return 0;
}

void *plat_tls_get(plat_tls k)
{
	return FlsGetValue((DWORD)k.index);
}

int plat_tls_set(plat_tls k, void *v)
{
	return FlsSetValue((DWORD)k.index, v) ? 0 : -1;
}
