/*
 * dynlib_posix.c - <ldapab_platform/dynlib.h> over dlopen(3).
 */
#include <ldapab_platform/dynlib.h>

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

void *plat_dl_open(const char *path, char *why, size_t why_len)
{
	void *lib;

	(void)dlerror();
	lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (lib == NULL && why != NULL && why_len > 0) {
		const char *e = dlerror();
		snprintf(why, why_len, "%s", e ? e : "unknown dlopen error");
	}
	return lib;
}

void (*plat_dl_func(void *lib, const char *name))(void)
{
	void *sym = dlsym(lib, name);
	void (*fn)(void) = NULL;

	/* POSIX allows converting dlsym's object pointer to a function pointer. */
	if (sym != NULL)
		memcpy(&fn, &sym, sizeof(fn));
	return fn;
}

void plat_dl_close(void *lib)
{
	if (lib != NULL)
		(void)dlclose(lib);
}
