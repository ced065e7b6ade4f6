/* posix_compat.c - alarm, mkdtemp, setenv, unsetenv of posix_compat.h. */
#include "posix_compat.h"

#include <windows.h>
#include <direct.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static HANDLE alarm_timer;
static DWORD alarm_due;           /* GetTickCount() at which it fires */

static VOID CALLBACK alarm_fired(PVOID ctx, BOOLEAN timer_fired)
{
	(void)ctx, (void)timer_fired;
	fputs("alarm: the watchdog fired, the process ends\n", stderr);
	fflush(stderr);
	_exit(142);
}

unsigned alarm(unsigned seconds)
{
	unsigned left = 0;

	if (alarm_timer != NULL) {
		DWORD now = GetTickCount();

		if ((LONG)(alarm_due - now) > 0)
			left = (unsigned)((alarm_due - now + 999) / 1000);
		(void)DeleteTimerQueueTimer(NULL, alarm_timer, INVALID_HANDLE_VALUE);
		alarm_timer = NULL;
	}
	if (seconds > 0) {
		alarm_due = GetTickCount() + seconds * 1000u;
		if (!CreateTimerQueueTimer(&alarm_timer, NULL, alarm_fired, NULL,
		                           seconds * 1000u, 0, WT_EXECUTEONLYONCE))
			alarm_timer = NULL;
	}
	return left;
}

char *mkdtemp(char *templ)
{
	size_t n = strlen(templ);

	if (n < 6 || strcmp(templ + n - 6, "XXXXXX") != 0) {
		errno = EINVAL;
		return NULL;
	}
	for (unsigned tries = 0; tries < 100; tries++) {
		unsigned v = (unsigned)GetTickCount() ^ (GetCurrentProcessId() << 8) ^ (tries * 7919u);

		for (size_t i = n - 6; i < n; i++) {
			templ[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[v % 36];
			v = v / 36 + tries * 31u + (unsigned)i;
		}
		if (_mkdir(templ) == 0)
			return templ;
		if (errno != EEXIST)
			return NULL;
	}
	return NULL;
}

int setenv(const char *name, const char *value, int overwrite)
{
	if (name == NULL || *name == '\0' || strchr(name, '=') != NULL) {
		errno = EINVAL;
		return -1;
	}
	if (!overwrite && getenv(name) != NULL)
		return 0;
	return _putenv_s(name, value) == 0 ? 0 : -1;
}

int unsetenv(const char *name)
{
	if (name == NULL || *name == '\0' || strchr(name, '=') != NULL) {
		errno = EINVAL;
		return -1;
	}
	return _putenv_s(name, "") == 0 ? 0 : -1;
}
