/* pthread_timedjoin.c - see pthread_timedjoin.h: waits on the thread's
 * Win32 handle (pthread_gethandle), then joins. */
#include "pthread_timedjoin.h"

#include <windows.h>
#include <errno.h>

int pthread_timedjoin_np(pthread_t t, void **result, const struct timespec *abstime)
{
	struct timespec now;
	long long ms;
	HANDLE h = pthread_gethandle(t);

	if (h == NULL)
		return ESRCH;
	if (clock_gettime(CLOCK_REALTIME, &now) != 0)
		return EINVAL;
	ms = ((long long)abstime->tv_sec - now.tv_sec) * 1000 +
	     ((long long)abstime->tv_nsec - now.tv_nsec) / 1000000;
	if (ms < 0)
		ms = 0;
	if (ms > 0x7FFFFFFF)
		ms = 0x7FFFFFFF;
	if (WaitForSingleObject(h, (DWORD)ms) != WAIT_OBJECT_0)
		return ETIMEDOUT;
	return pthread_join(t, result);
}
