/*
 * securezero.c - abp_secure_zero(), see securezero.h.
 */
#if defined(_WIN32)
#include <windows.h>
#endif

#include "securezero.h"

void abp_secure_zero(void *p, size_t n)
{
	if (p == NULL || n == 0)
		return;
#if defined(_WIN32)
	/* Documented never to be optimised away. */
	SecureZeroMemory(p, n);
#else
	/* Stores through a volatile lvalue are observable behaviour (C11
	 * 5.1.2.3), so none of them may be elided; the empty asm with a memory
	 * clobber additionally tells GCC/Clang the bytes are read afterwards. */
	volatile unsigned char *v = p;

	while (n--)
		*v++ = 0;
#if defined(__GNUC__)
	__asm__ __volatile__("" : : "r"(p) : "memory");
#endif
#endif
}
