/*
 * wine_check.h - the check the programs run under Wine stop on: the file,
 * line and condition, then a message.  No MAPI header here, so programs that
 * include <windows.h> (whose ULONG clashes with MAPI's) can use it too.
 */
#ifndef LDAPAB_WINE_CHECK_H
#define LDAPAB_WINE_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond, ...)                                                           \
	do {                                                                       \
		if (!(cond)) {                                                     \
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                              \
			fputc('\n', stderr);                                       \
			exit(1);                                                   \
		}                                                                  \
	} while (0)

#endif /* LDAPAB_WINE_CHECK_H */
