/*
 * dynlib_win32.c - <ldapab_platform/dynlib.h> over LoadLibraryW.  The path
 * is UTF-8 and becomes UTF-16 (the "A" function would read it in the ANSI
 * code page).  A failure names the path first, as dlerror() does.
 */
#include <ldapab_platform/dynlib.h>

#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *plat_dl_open(const char *path, char *why, size_t why_len)
{
	int n = MultiByteToWideChar(CP_UTF8, 0, path, -1, NULL, 0);
	WCHAR *wide;
	HMODULE lib = NULL;

	if (n <= 0 || (wide = malloc((size_t)n * sizeof(*wide))) == NULL) {
		if (why != NULL && why_len > 0)
			snprintf(why, why_len, "the path is not valid UTF-8, or out of memory");
		return NULL;
	}
	(void)MultiByteToWideChar(CP_UTF8, 0, path, -1, wide, n);
	lib = LoadLibraryW(wide);
	free(wide);
	if (lib == NULL && why != NULL && why_len > 0) {
		DWORD code = GetLastError();
		char text[256] = "";
		(void)FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
				     code, 0, text, sizeof(text), NULL);
		text[strcspn(text, "\r\n")] = '\0';
		snprintf(why, why_len, "%s: LoadLibrary error %lu%s%s", path, (unsigned long)code,
			 text[0] ? ": " : "", text);
	}
	return (void *)lib;
}

void (*plat_dl_func(void *lib, const char *name))(void)
{
	FARPROC p = GetProcAddress((HMODULE)lib, name);
	void (*fn)(void) = NULL;

	if (p != NULL)
		memcpy(&fn, &p, sizeof(fn));
	return fn;
}

void plat_dl_close(void *lib)
{
	if (lib != NULL)
		(void)FreeLibrary((HMODULE)lib);
}
