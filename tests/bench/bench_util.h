/*
 * bench_util.h - what the benchmarks share: a monotonic clock in
 * milliseconds, the median of samples, this process's memory figures, the
 * bulk directory of a slapd run directory named on the command line, and a
 * measurement run in a child process whose report comes back through a pipe
 * (so that its memory high-water mark is its own).
 */
#ifndef LDAPAB_BENCH_UTIL_H
#define LDAPAB_BENCH_UTIL_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "slapd_env.h"

static inline double bench_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* qsort() order of doubles, smallest first. */
static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of n samples (0 for none); sorts them. */
static inline double bench_median(double *v, size_t n)
{
	if (n == 0)
		return 0.0;
	qsort(v, n, sizeof(*v), bench_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* VmHWM and VmRSS of this process, in KiB (-1 when unreadable). */
static inline void bench_read_mem(long *hwm_kib, long *rss_kib)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	*hwm_kib = *rss_kib = -1;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "VmHWM:", 6) == 0)
			*hwm_kib = strtol(line + 6, NULL, 10);
		else if (strncmp(line, "VmRSS:", 6) == 0)
			*rss_kib = strtol(line + 6, NULL, 10);
	}
	fclose(f);
}

/* The arguments "--rundir DIR [--quick]" of program prog and the bulk
 * directory of DIR/slapd.env: its URI, base and number of people (the
 * caller frees *uri and *base).  0, or the exit code after a message on
 * stderr: 2 for a bad command line, 1 for an incomplete slapd.env. */
static inline int bench_bulk_args(int argc, char **argv, const char *prog, bool *quick,
                                  char **uri, char **base, size_t *n)
{
	const char *rundir = NULL;
	char *count;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--rundir") == 0 && i + 1 < argc)
			rundir = argv[++i];
		else if (strcmp(argv[i], "--quick") == 0)
			*quick = true;
		else
			rundir = NULL, i = argc;
	}
	if (rundir == NULL) {
		fprintf(stderr, "usage: %s --rundir DIR [--quick]\n", prog);
		return 2;
	}
	*uri = slapd_env_file(rundir, "LDAPAB_TEST_URI");
	*base = slapd_env_file(rundir, "LDAPAB_TEST_BULK_BASE");
	count = slapd_env_file(rundir, "LDAPAB_TEST_BULK_COUNT");
	if (!*uri || !*base || !count) {
		fprintf(stderr, "%s: %s/slapd.env incomplete\n", prog, rundir);
		free(count);
		return 1;
	}
	*n = (size_t)strtoul(count, NULL, 10);
	free(count);
	return 0;
}

/* Run measure(arg, report) in a forked child, report being size bytes that
 * start zeroed, and copy the child's report into report.  measure returns
 * true when its report is complete.  0 when the child sent a whole report
 * and exited 0 with it complete, else -1. */
static inline int bench_in_child(bool (*measure)(void *arg, void *report), void *arg,
                                 void *report, size_t size)
{
	int fds[2], status = 0;
	ssize_t got;
	pid_t pid;

	memset(report, 0, size);
	if (pipe(fds) < 0)
		return -1;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		bool ok;

		close(fds[0]);
		ok = measure(arg, report);
		if (write(fds[1], report, size) != (ssize_t)size)
			_exit(2);
		_exit(ok ? 0 : 1);
	}
	close(fds[1]);
	do
		got = read(fds[0], report, size);
	while (got < 0 && errno == EINTR);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return got == (ssize_t)size && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

#endif
