/*
 * codepage_win32.c - <ldapab_platform/codepage.h> over
 * WideCharToMultiByte / MultiByteToWideChar with CP_ACP.
 */
#include <ldapab_platform/codepage.h>

#include <windows.h>
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

uint16_t *plat_acp_to_utf16_dup(const char *in)
{
	int n;
	WCHAR *w;

	if (in == NULL)
		return NULL;
	n = MultiByteToWideChar(CP_ACP, 0, in, -1, NULL, 0);
	if (n <= 0)
		return NULL;
	w = malloc((size_t)n * sizeof(*w));
	if (w == NULL)
		return NULL;
	if (MultiByteToWideChar(CP_ACP, 0, in, -1, w, n) != n) {
		free(w);
		return NULL;
	}
	return (uint16_t *)(void *)w;
}
