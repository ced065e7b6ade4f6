/*
 * start_win32.c - the command's entry on Windows (linked with -municode).
 * The arguments arrive as UTF-16 and are handed on as UTF-8; the console
 * shows UTF-8; standard output is binary, because vCard and CSV write their
 * own CRLF and a photo or LDIF must not gain carriage returns.
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <fcntl.h>
#include <io.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "osdep.h"

int wmain(int argc, wchar_t **wargv);   /* the C runtime calls it */

int wmain(int argc, wchar_t **wargv)
{
	char **argv = calloc((size_t)argc + 1, sizeof(*argv));
	int rc;

	if (!argv) {
		fputs("ldapab: out of memory\n", stderr);
		return 70;
	}
	for (int i = 0; i < argc; i++) {
		int n = WideCharToMultiByte(CP_UTF8, 0, wargv[i], -1, NULL, 0, NULL, NULL);

		argv[i] = n > 0 ? malloc((size_t)n) : NULL;
		if (!argv[i] || WideCharToMultiByte(CP_UTF8, 0, wargv[i], -1, argv[i], n,
		                                    NULL, NULL) != n) {
			fputs("ldapab: cannot read the command line\n", stderr);
			return 70;
		}
	}
	setlocale(LC_ALL, "");
	SetConsoleOutputCP(CP_UTF8);
	_setmode(_fileno(stdout), _O_BINARY);
	rc = cli_main(argc, argv);
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
	return rc;
}
