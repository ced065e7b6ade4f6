/*
 * random_win32.c - <ldapab_platform/random.h> over RtlGenRandom
 * (advapi32's SystemFunction036), which every Windows since XP and Wine
 * provide without the CryptoAPI context set-up.
 */
#include <ldapab_platform/random.h>

#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

int plat_random(void *buf, size_t len)
{
	if (len > 256)
		return -1;
	return SystemFunction036(buf, (ULONG)len) ? 0 : -1;
}
