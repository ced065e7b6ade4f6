/* dlfcn.c - see dlfcn.h. */
#include "dlfcn.h"

#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char last_error[512];
static int error_pending;

static void set_error(const char *what, const char *name)
{
	snprintf(last_error, sizeof(last_error), "%s %s: error %lu", what, name,
	         (unsigned long)GetLastError());
	error_pending = 1;
}

void *dlopen(const char *path, int flags)
{
	int n = MultiByteToWideChar(CP_UTF8, 0, path, -1, NULL, 0);
	WCHAR *wide;
	HMODULE lib = NULL;

	if (n <= 0 || (wide = malloc((size_t)n * sizeof(*wide))) == NULL) {
		set_error("cannot convert", path);
		return NULL;
	}
	(void)MultiByteToWideChar(CP_UTF8, 0, path, -1, wide, n);
	if (flags & RTLD_NOLOAD) {
		if (!GetModuleHandleExW(0, wide, &lib))
			lib = NULL;
	} else {
		lib = LoadLibraryW(wide);
	}
	free(wide);
	if (lib == NULL)
		set_error("cannot load", path);
	return (void *)lib;
}

void *dlsym(void *lib, const char *name)
{
	FARPROC p = GetProcAddress((HMODULE)lib, name);
	void *sym = NULL;

	if (p == NULL) {
		set_error("no symbol", name);
		return NULL;
	}
	memcpy(&sym, &p, sizeof(sym));
	return sym;
}

int dlclose(void *lib)
{
	return FreeLibrary((HMODULE)lib) ? 0 : -1;
}

char *dlerror(void)
{
	if (!error_pending)
		return NULL;
	error_pending = 0;
	return last_error;
}
