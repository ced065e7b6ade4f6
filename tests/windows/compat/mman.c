/* mman.c - the calls of compat/sys/mman.h, all failing with ENOSYS. */
#include <sys/mman.h>

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	(void)addr, (void)len, (void)prot, (void)flags, (void)fd, (void)off;
	errno = ENOSYS;
	return MAP_FAILED;
}

int munmap(void *addr, size_t len)
{
	(void)addr, (void)len;
	errno = ENOSYS;
	return -1;
}

int memfd_create(const char *name, unsigned int flags)
{
	(void)name, (void)flags;
	errno = ENOSYS;
	return -1;
}
