/*
 * dynlib.h - loading a module at run time (dlopen or LoadLibrary), for the
 * MAPI host that loads the provider.  No <windows.h> here (see thread.h).
 */
#ifndef LDAPAB_PLATFORM_DYNLIB_H
#define LDAPAB_PLATFORM_DYNLIB_H

#include <stddef.h>

/* Load path with every symbol resolved now; NULL on failure with a reason
 * (the loader's own text) in why[why_len]. */
void *plat_dl_open(const char *path, char *why, size_t why_len);
/* The address of an exported function, or NULL. */
void (*plat_dl_func(void *lib, const char *name))(void);
void plat_dl_close(void *lib);

#endif /* LDAPAB_PLATFORM_DYNLIB_H */
