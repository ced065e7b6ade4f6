/*
 * posix_compat.h - POSIX calls the unit suites make that the Windows C
 * library lacks, forced into every suite of the Windows builds (-include,
 * unit_suites.cmake).  Declarations only: alarm, mkdtemp, setenv and
 * unsetenv are in posix_compat.c, fmemopen in fmemopen.c.
 */
#ifndef LDAPAB_WIN_COMPAT_POSIX_COMPAT_H
#define LDAPAB_WIN_COMPAT_POSIX_COMPAT_H

#include <stddef.h>
#include <stdio.h>

/* A watchdog: unless cancelled with alarm(0), the process ends with status
 * 142 (as a shell reports SIGALRM) and a message after `seconds`. */
unsigned alarm(unsigned seconds);
char *mkdtemp(char *templ);
int setenv(const char *name, const char *value, int overwrite);
int unsetenv(const char *name);
/* Write mode only: the stream's bytes are copied into buf, NUL-terminated,
 * when it is closed (fclose is wrapped at link time, --wrap=fclose). */
FILE *fmemopen(void *buf, size_t size, const char *mode);

#endif
