/*
 * codepage_win32.c - <ldapab_platform/codepage.h> over
 * WideCharToMultiByte / MultiByteToWideChar with CP_ACP.
 */
#include <ldapab_platform/codepage.h>

#include <windows.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(WCHAR) == sizeof(uint16_t), "Windows WCHAR is 16 bits");

size_t plat_utf16_to_acp(const uint16_t *in, char *out, size_t cap)
{
	const WCHAR *w = (const WCHAR *)(const void *)in;
	int need = WideCharToMultiByte(CP_ACP, 0, w, -1, NULL, 0, NULL, NULL);
	char *tmp;

	if (need <= 0)
		return 0;
	if (out == NULL || cap == 0)
		return (size_t)need;
	if ((size_t)need <= cap) {
		(void)WideCharToMultiByte(CP_ACP, 0, w, -1, out, need, NULL, NULL);
		return (size_t)need;
	}
	tmp = malloc((size_t)need);
	if (tmp == NULL) {
		out[0] = '\0';
		return (size_t)need;
	}
	(void)WideCharToMultiByte(CP_ACP, 0, w, -1, tmp, need, NULL, NULL);
	memcpy(out, tmp, cap - 1);
	out[cap - 1] = '\0';
	free(tmp);
	return (size_t)need;
}

/* The bytes before the NUL are converted and the NUL is added here: with
 * UTF-8 as the ANSI code page, Wine's converter takes a NUL right after an
 * incomplete sequence ("caf\xE9") into that sequence's U+FFFD, so a
 * length of -1 can give a string without its terminator. */
uint16_t *plat_acp_to_utf16_dup(const char *in)
{
	size_t len;
	int n = 0;
	WCHAR *w;

	if (in == NULL)
		return NULL;
	len = strlen(in);
	if (len > INT_MAX)
		return NULL;
	if (len > 0) {
		n = MultiByteToWideChar(CP_ACP, 0, in, (int)len, NULL, 0);
		if (n <= 0)
			return NULL;
	}
	w = malloc(((size_t)n + 1) * sizeof(*w));
	if (w == NULL)
		return NULL;
	if (n > 0 && MultiByteToWideChar(CP_ACP, 0, in, (int)len, w, n) != n) {
		free(w);
		return NULL;
	}
	w[n] = 0;
	return (uint16_t *)(void *)w;
}
