/*
 * wl_text.c - UTF-8 <-> UTF-16 for the wldap32 "W" functions.  Invalid
 * UTF-8 from the caller becomes U+FFFD (MultiByteToWideChar's default
 * without MB_ERR_INVALID_CHARS), and so do lone surrogates from the server.
 */
#include <stdlib.h>
#include <string.h>

#include "wl_internal.h"

wchar_t *wl_wide(const char *utf8)
{
	int n;
	wchar_t *w;

	if (utf8 == NULL)
		return NULL;
	n = MultiByteToWideChar(CP_UTF8, 0, utf8, -1, NULL, 0);
	if (n <= 0)
		return NULL;
	w = malloc((size_t)n * sizeof(*w));
	if (w == NULL)
		return NULL;
	if (MultiByteToWideChar(CP_UTF8, 0, utf8, -1, w, n) != n) {
		free(w);
		return NULL;
	}
	return w;
}

char *wl_utf8(const wchar_t *wide)
{
	int n;
	char *s;

	if (wide == NULL)
		return NULL;
	n = WideCharToMultiByte(CP_UTF8, 0, wide, -1, NULL, 0, NULL, NULL);
	if (n <= 0)
		return NULL;
	s = malloc((size_t)n);
	if (s == NULL)
		return NULL;
	if (WideCharToMultiByte(CP_UTF8, 0, wide, -1, s, n, NULL, NULL) != n) {
		free(s);
		return NULL;
	}
	return s;
}

char *wl_strdup(const char *s)
{
	size_t n;
	char *d;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	d = malloc(n);
	if (d != NULL)
		memcpy(d, s, n);
	return d;
}

void wl_wide_list_free(wchar_t **v)
{
	for (size_t i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

wchar_t **wl_wide_list(const char *const *list, bool *oom)
{
	size_t n = 0;
	wchar_t **v;

	*oom = false;
	if (list == NULL)
		return NULL;
	while (list[n] != NULL)
		n++;
	v = calloc(n + 1, sizeof(*v));
	if (v == NULL) {
		*oom = true;
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		v[i] = wl_wide(list[i]);
		if (v[i] == NULL) {
			wl_wide_list_free(v);
			*oom = true;
			return NULL;
		}
	}
	return v;
}
