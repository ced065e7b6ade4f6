/*
 * random_posix.c - <ldapab_platform/random.h> over getrandom(2).
 */
#include <ldapab_platform/random.h>

#include <sys/random.h>

int plat_random(void *buf, size_t len)
{
	if (len > 256)
		return -1;
	return getrandom(buf, len, 0) == (ssize_t)len ? 0 : -1;
}
