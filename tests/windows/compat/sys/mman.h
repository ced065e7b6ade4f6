/*
 * sys/mman.h for the Windows builds of the unit suites: only so that a
 * suite whose other tests run on Windows compiles.  Every call fails
 * (MAP_FAILED, -1, errno ENOSYS: mman.c), so a test that needs mappings
 * fails if it is run; tests/windows/unit_suites.cmake excludes those
 * tests by name.
 */
#ifndef LDAPAB_WIN_COMPAT_SYS_MMAN_H
#define LDAPAB_WIN_COMPAT_SYS_MMAN_H

#include <errno.h>
#include <stddef.h>
#include <sys/types.h>

#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_NORESERVE 0x4000
#define MAP_FAILED ((void *)-1)

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
int memfd_create(const char *name, unsigned int flags);

#endif
