/*
 * dlfcn.h for the Windows builds of the unit suites: dlopen & co. over
 * LoadLibraryW / GetModuleHandleExW / GetProcAddress / FreeLibrary
 * (dlfcn.c; paths are UTF-8).  RTLD_NOLOAD gives a module only if it is
 * loaded already; the other flags mean nothing on Windows.
 */
#ifndef LDAPAB_WIN_COMPAT_DLFCN_H
#define LDAPAB_WIN_COMPAT_DLFCN_H

#define RTLD_LAZY 0x1
#define RTLD_NOW 0x2
#define RTLD_NOLOAD 0x4
#define RTLD_LOCAL 0x0
#define RTLD_GLOBAL 0x100

void *dlopen(const char *path, int flags);
void *dlsym(void *lib, const char *name);
int dlclose(void *lib);
char *dlerror(void);

#endif
