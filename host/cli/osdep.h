/*
 * osdep.h - what the ldapab command needs from the operating system, written
 * once per platform: osdep_posix.c (Linux and the like) and osdep_win32.c
 * (ldapab.exe).  The rest of host/cli/ is the same source on both.
 *
 * Strings are UTF-8 on both: on Windows the arguments are read as UTF-16 and
 * converted, the console is switched to UTF-8, and paths are converted to
 * UTF-16 before they reach the system.
 */
#ifndef LDAPAB_CLI_OSDEP_H
#define LDAPAB_CLI_OSDEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The command's own entry (main.c); the platform's main() calls it with UTF-8
 * arguments after osdep setup. */
int cli_main(int argc, char **argv);

/* Milliseconds of a monotonic clock. */
double osdep_now_ms(void);

/* The directory of the running executable, without a trailing separator;
 * NULL when it cannot be known. */
const char *osdep_exe_dir(char *buf, size_t len);

/* The platform's path separator, as a string. */
extern const char osdep_dirsep[];

/* What a path is. */
enum osdep_kind { OSDEP_MISSING, OSDEP_FILE, OSDEP_DIR, OSDEP_OTHER };
struct osdep_fileinfo {
	enum osdep_kind kind;
	int err;                /* errno when kind is OSDEP_MISSING */
	unsigned mode;          /* permission bits (POSIX); 0 on Windows */
	bool others_may_read;   /* POSIX: group or other bits set; Windows: false,
	                         * the file's ACL decides (see ldapab.conf(5)) */
};
void osdep_file_info(const char *path, struct osdep_fileinfo *fi);
/* 0 when the current user may read path, else an errno value. */
int osdep_readable(const char *path);

/* fopen with a UTF-8 path. */
FILE *osdep_fopen(const char *path, const char *mode);

/* Where the configuration files are looked for (ldapab.conf(5), FILES): the
 * user's file (XDG on POSIX, %APPDATA% on Windows; "" when the environment
 * names no home), the system-wide file, and ldap.conf(5) (NULL where there is
 * none). */
void osdep_user_config(char *buf, size_t len);
const char *osdep_system_config(void);
const char *osdep_ldap_conf(void);

/* Sets an environment variable the provider module reads too. */
void osdep_setenv(const char *name, const char *value);

/* Whether f is a terminal, and its width in columns (0: not known). */
bool osdep_is_terminal(FILE *f);
int osdep_terminal_width(FILE *f);

/* Points standard error at the null device and returns a stream on the old
 * standard error (NULL, nothing changed, when that fails). */
FILE *osdep_divert_stderr(void);

/* A TCP connect to host:port alone, timed: 0 when it connected (ms set), 1
 * when nothing answered (ms set), -1 when the name does not resolve. */
int osdep_tcp_probe(const char *host, const char *port, int timeout_s, double *ms);

#endif /* LDAPAB_CLI_OSDEP_H */
