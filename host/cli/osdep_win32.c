/*
 * osdep_win32.c - osdep.h on Windows (ldapab.exe).
 *
 * The command works in UTF-8 inside; everything that crosses to the system
 * is converted to UTF-16 here and the "W" functions are called, so a name or
 * a path outside the ANSI code page survives.
 */
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <wchar.h>

#include "osdep.h"

const char osdep_dirsep[] = "\\";

/* UTF-8 → UTF-16 in a new buffer (free()); NULL when s is not UTF-8. */
static wchar_t *to_wide(const char *s)
{
	int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
	wchar_t *w;

	if (n <= 0)
		return NULL;
	w = malloc((size_t)n * sizeof(*w));
	if (w && MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, n) != n) {
		free(w);
		return NULL;
	}
	return w;
}

/* UTF-16 → UTF-8 into buf; false when it does not fit. */
static bool to_utf8(const wchar_t *w, char *buf, size_t len)
{
	int n;

	if (len == 0 || len > INT_MAX)
		return false;
	n = WideCharToMultiByte(CP_UTF8, 0, w, -1, buf, (int)len, NULL, NULL);
	return n > 0;
}

double osdep_now_ms(void)
{
	static LARGE_INTEGER freq;
	LARGE_INTEGER now;

	if (!freq.QuadPart)
		QueryPerformanceFrequency(&freq);
	QueryPerformanceCounter(&now);
	return (double)now.QuadPart * 1000.0 / (double)freq.QuadPart;
}

const char *osdep_exe_dir(char *buf, size_t len)
{
	wchar_t path[32768];
	DWORD n = GetModuleFileNameW(NULL, path, (DWORD)(sizeof(path) / sizeof(path[0])));
	wchar_t *sep;

	if (n == 0 || n >= sizeof(path) / sizeof(path[0]))
		return NULL;
	sep = wcsrchr(path, L'\\');
	if (!sep)
		return NULL;
	*sep = L'\0';
	return to_utf8(path, buf, len) ? buf : NULL;
}

void osdep_file_info(const char *path, struct osdep_fileinfo *fi)
{
	wchar_t *w = to_wide(path);
	struct _stat64 sb;

	memset(fi, 0, sizeof(*fi));
	if (!w) {
		fi->kind = OSDEP_MISSING;
		fi->err = EINVAL;
		return;
	}
	if (_wstat64(w, &sb) != 0) {
		fi->kind = OSDEP_MISSING;
		fi->err = errno;
	} else {
		fi->kind = (sb.st_mode & _S_IFMT) == _S_IFREG ? OSDEP_FILE
		         : (sb.st_mode & _S_IFMT) == _S_IFDIR ? OSDEP_DIR : OSDEP_OTHER;
	}
	free(w);
}

int osdep_readable(const char *path)
{
	wchar_t *w = to_wide(path);
	int rc;

	if (!w)
		return EINVAL;
	rc = _waccess(w, 4) == 0 ? 0 : errno;
	free(w);
	return rc;
}

FILE *osdep_fopen(const char *path, const char *mode)
{
	wchar_t *w = to_wide(path), wmode[8];
	FILE *f = NULL;
	size_t i;

	for (i = 0; mode[i] && i < sizeof(wmode) / sizeof(wmode[0]) - 1; i++)
		wmode[i] = (wchar_t)(unsigned char)mode[i];
	wmode[i] = L'\0';
	if (!w) {
		errno = EINVAL;
		return NULL;
	}
	f = _wfopen(w, wmode);
	free(w);
	return f;
}

/* %NAME%\ldapab\ldapab.conf, or "" when the variable is not set. */
static void known_folder_conf(const wchar_t *var, char *buf, size_t len)
{
	const wchar_t *dir = _wgetenv(var);
	char base[4096];

	if (len)
		buf[0] = '\0';
	if (dir && *dir && to_utf8(dir, base, sizeof(base)))
		snprintf(buf, len, "%s\\ldapab\\ldapab.conf", base);
}

void osdep_user_config(char *buf, size_t len)
{
	known_folder_conf(L"APPDATA", buf, len);
}

const char *osdep_system_config(void)
{
	static char path[4200];

	if (!path[0])
		known_folder_conf(L"ProgramData", path, sizeof(path));
	return path[0] ? path : "C:\\ProgramData\\ldapab\\ldapab.conf";
}

const char *osdep_ldap_conf(void)
{
	return NULL;    /* Windows has no system ldap.conf; $LDAPCONF still applies */
}

void osdep_setenv(const char *name, const char *value)
{
	_putenv_s(name, value);
}

bool osdep_is_terminal(FILE *f)
{
	return _isatty(_fileno(f)) != 0;
}

int osdep_terminal_width(FILE *f)
{
	CONSOLE_SCREEN_BUFFER_INFO info;
	HANDLE h = (HANDLE)_get_osfhandle(_fileno(f));

	if (h == INVALID_HANDLE_VALUE || !GetConsoleScreenBufferInfo(h, &info))
		return 0;
	return info.srWindow.Right - info.srWindow.Left + 1;
}

FILE *osdep_divert_stderr(void)
{
	FILE *saved_f;
	int saved, null;

	fflush(stderr);
	saved = _dup(2);
	null = _open("NUL", _O_WRONLY);
	if (saved < 0 || null < 0)
		goto fail;
	saved_f = _fdopen(saved, "w");
	if (!saved_f)
		goto fail;
	_dup2(null, 2);
	_close(null);
	return saved_f;
fail:
	if (saved >= 0)
		_close(saved);
	if (null >= 0)
		_close(null);
	return NULL;
}

/* A connect with a deadline: Winsock ignores SO_SNDTIMEO for connect, so the
 * socket is made non-blocking and select() waits for it. */
int osdep_tcp_probe(const char *host, const char *port, int timeout_s, double *ms)
{
	struct addrinfo hints, *ai = NULL;
	double t0;
	WSADATA wsa;
	SOCKET s;
	int rc = 1;

	if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
		*ms = 0;
		return 1;
	}
	t0 = osdep_now_ms();
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &ai) != 0 || !ai) {
		*ms = osdep_now_ms() - t0;
		WSACleanup();
		return -1;
	}
	s = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
	if (s != INVALID_SOCKET) {
		u_long nonblocking = 1;
		fd_set wr, ex;
		struct timeval tv = { timeout_s, 0 };

		ioctlsocket(s, FIONBIO, &nonblocking);
		if (connect(s, ai->ai_addr, (int)ai->ai_addrlen) == 0) {
			rc = 0;
		} else if (WSAGetLastError() == WSAEWOULDBLOCK) {
			FD_ZERO(&wr);
			FD_ZERO(&ex);
			FD_SET(s, &wr);
			FD_SET(s, &ex);
			if (select(0, NULL, &wr, &ex, &tv) == 1 && FD_ISSET(s, &wr))
				rc = 0;
		}
		closesocket(s);
	}
	*ms = osdep_now_ms() - t0;
	freeaddrinfo(ai);
	WSACleanup();
	return rc;
}
