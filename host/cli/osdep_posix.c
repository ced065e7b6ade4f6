/*
 * osdep_posix.c - osdep.h on Linux and other POSIX systems.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "osdep.h"

const char osdep_dirsep[] = "/";

double osdep_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

const char *osdep_exe_dir(char *buf, size_t len)
{
	ssize_t n;
	char *slash;

	if (len < 2)
		return NULL;
	n = readlink("/proc/self/exe", buf, len - 1);
	if (n <= 0 || (size_t)n >= len - 1)
		return NULL;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return NULL;
	if (slash == buf)
		slash[1] = '\0';
	else
		*slash = '\0';
	return buf;
}

void osdep_file_info(const char *path, struct osdep_fileinfo *fi)
{
	struct stat sb;

	memset(fi, 0, sizeof(*fi));
	if (stat(path, &sb) != 0) {
		fi->kind = OSDEP_MISSING;
		fi->err = errno;
		return;
	}
	fi->kind = S_ISREG(sb.st_mode) ? OSDEP_FILE : S_ISDIR(sb.st_mode) ? OSDEP_DIR : OSDEP_OTHER;
	fi->mode = (unsigned)(sb.st_mode & 07777);
	fi->others_may_read = (sb.st_mode & 077) != 0;
}

int osdep_readable(const char *path)
{
	return access(path, R_OK) == 0 ? 0 : errno;
}

FILE *osdep_fopen(const char *path, const char *mode)
{
	return fopen(path, mode);
}

void osdep_user_config(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (xdg && *xdg)
		snprintf(buf, len, "%s/ldapab/ldapab.conf", xdg);
	else if (home && *home)
		snprintf(buf, len, "%s/.config/ldapab/ldapab.conf", home);
	else if (len)
		buf[0] = '\0';
}

const char *osdep_system_config(void)
{
	return "/etc/ldapab/ldapab.conf";
}

const char *osdep_ldap_conf(void)
{
	return "/etc/ldap/ldap.conf";
}

void osdep_setenv(const char *name, const char *value)
{
	setenv(name, value, 1);
}

bool osdep_is_terminal(FILE *f)
{
	return isatty(fileno(f)) != 0;
}

int osdep_terminal_width(FILE *f)
{
	struct winsize ws;

	if (isatty(fileno(f)) && ioctl(fileno(f), TIOCGWINSZ, &ws) == 0)
		return ws.ws_col;
	return 0;
}

FILE *osdep_divert_stderr(void)
{
	FILE *saved_f;
	int saved, null;

	fflush(stderr);
	saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (saved < 0 || null < 0)
		goto fail;
	saved_f = fdopen(saved, "w");
	if (!saved_f)
		goto fail;
	dup2(null, STDERR_FILENO);
	close(null);
	return saved_f;
fail:
	if (saved >= 0)
		close(saved);
	if (null >= 0)
		close(null);
	return NULL;
}

int osdep_tcp_probe(const char *host, const char *port, int timeout_s, double *ms)
{
	struct addrinfo hints, *ai = NULL;
	double t0 = osdep_now_ms();
	int fd, rc = 1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &ai) != 0 || !ai) {
		*ms = osdep_now_ms() - t0;
		return -1;
	}
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd >= 0) {
		struct timeval tv = { timeout_s, 0 };

		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			rc = 0;
		close(fd);
	}
	*ms = osdep_now_ms() - t0;
	freeaddrinfo(ai);
	return rc;
}
