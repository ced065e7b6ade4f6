/*
 * secret_win32.c - sealing the bind password with DPAPI (secret.h).
 * Includes <windows.h> and no MAPI header.
 */
#include "secret.h"

#include <windows.h>
#include <wincrypt.h>
#include <stdlib.h>
#include <string.h>

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int abp_secret_is_sealed(const char *text)
{
	return text != NULL && strncmp(text, ABP_SECRET_PREFIX, sizeof(ABP_SECRET_PREFIX) - 1) == 0;
}

char *abp_secret_seal(const char *utf8)
{
	DATA_BLOB in, out = { 0, NULL };
	size_t plen = sizeof(ABP_SECRET_PREFIX) - 1, n;
	char *text, *o;

	if (utf8 == NULL)
		return NULL;
	in.cbData = (DWORD)strlen(utf8);
	in.pbData = (BYTE *)utf8;
	if (!CryptProtectData(&in, NULL, NULL, NULL, NULL, CRYPTPROTECT_UI_FORBIDDEN, &out))
		return NULL;
	n = out.cbData;
	text = malloc(plen + 4 * ((n + 2) / 3) + 1);
	if (text != NULL) {
		memcpy(text, ABP_SECRET_PREFIX, plen);
		o = text + plen;
		for (size_t i = 0; i < n; i += 3) {
			unsigned v = (unsigned)out.pbData[i] << 16;
			if (i + 1 < n)
				v |= (unsigned)out.pbData[i + 1] << 8;
			if (i + 2 < n)
				v |= out.pbData[i + 2];
			*o++ = b64[(v >> 18) & 63];
			*o++ = b64[(v >> 12) & 63];
			*o++ = i + 1 < n ? b64[(v >> 6) & 63] : '=';
			*o++ = i + 2 < n ? b64[v & 63] : '=';
		}
		*o = '\0';
	}
	LocalFree(out.pbData);
	return text;
}

static int b64_value(char c)
{
	const char *p = c ? strchr(b64, c) : NULL;

	return p ? (int)(p - b64) : -1;
}

char *abp_secret_open(const char *text)
{
	const char *s;
	size_t len, n = 0;
	BYTE *blob;
	DATA_BLOB in, out = { 0, NULL };
	char *clear = NULL;

	if (!abp_secret_is_sealed(text))
		return NULL;
	s = text + sizeof(ABP_SECRET_PREFIX) - 1;
	len = strlen(s);
	if (len == 0 || len % 4 != 0)
		return NULL;
	blob = malloc(len / 4 * 3);
	if (blob == NULL)
		return NULL;
	for (size_t i = 0; i < len; i += 4) {
		int a = b64_value(s[i]), b = b64_value(s[i + 1]);
		int c = s[i + 2] == '=' ? 0 : b64_value(s[i + 2]);
		int d = s[i + 3] == '=' ? 0 : b64_value(s[i + 3]);
		unsigned v;

		if (a < 0 || b < 0 || c < 0 || d < 0 ||
		    ((s[i + 2] == '=' || s[i + 3] == '=') && i + 4 != len)) {
			free(blob);
			return NULL;
		}
		v = (unsigned)a << 18 | (unsigned)b << 12 | (unsigned)c << 6 | (unsigned)d;
		blob[n++] = (BYTE)(v >> 16);
		if (s[i + 2] != '=')
			blob[n++] = (BYTE)(v >> 8);
		if (s[i + 3] != '=')
			blob[n++] = (BYTE)v;
	}
	in.cbData = (DWORD)n;
	in.pbData = blob;
	if (CryptUnprotectData(&in, NULL, NULL, NULL, NULL, CRYPTPROTECT_UI_FORBIDDEN, &out)) {
		clear = malloc((size_t)out.cbData + 1);
		if (clear != NULL) {
			memcpy(clear, out.pbData, out.cbData);
			clear[out.cbData] = '\0';
		}
		SecureZeroMemory(out.pbData, out.cbData);
		LocalFree(out.pbData);
	}
	free(blob);
	return clear;
}
