/*
 * fmemopen.c - fmemopen() of posix_compat.h over a temporary file, with
 * fclose wrapped (link with --wrap=fclose).  The open streams are few (a
 * test opens one at a time), so they sit in a small table; a write-mode
 * stream over a buffer of size bytes gets at most size - 1 bytes and a NUL.
 */
#include "posix_compat.h"

#include <errno.h>
#include <string.h>

int __real_fclose(FILE *f);
int __wrap_fclose(FILE *f);

static struct {
	FILE *f;
	char *buf;
	size_t size;
} open_streams[8];

FILE *fmemopen(void *buf, size_t size, const char *mode)
{
	FILE *f;

	if (buf == NULL || size == 0 || mode == NULL || mode[0] != 'w') {
		errno = EINVAL;
		return NULL;
	}
	for (size_t i = 0; i < sizeof(open_streams) / sizeof(open_streams[0]); i++) {
		if (open_streams[i].f != NULL)
			continue;
		f = tmpfile();
		if (f == NULL)
			return NULL;
		open_streams[i].f = f;
		open_streams[i].buf = buf;
		open_streams[i].size = size;
		((char *)buf)[0] = '\0';
		return f;
	}
	errno = EMFILE;
	return NULL;
}

int __wrap_fclose(FILE *f)
{
	for (size_t i = 0; f != NULL && i < sizeof(open_streams) / sizeof(open_streams[0]); i++) {
		size_t n;

		if (open_streams[i].f != f)
			continue;
		open_streams[i].f = NULL;
		fflush(f);
		rewind(f);
		n = fread(open_streams[i].buf, 1, open_streams[i].size - 1, f);
		open_streams[i].buf[n] = '\0';
		break;
	}
	return __real_fclose(f);
}
