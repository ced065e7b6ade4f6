/*
 * proc_tcp.h - the established TCP connections of this process to a port
 * on 127.0.0.1, read from /proc (Linux), for the tests that check that a
 * logoff closes the provider's connections and nothing else is left open.
 */
#ifndef LDAPAB_PROC_TCP_H
#define LDAPAB_PROC_TCP_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "test_core_util.h"

/* ESTABLISHED connections whose socket is one of this process's open
 * descriptors and whose remote port is port. */
static inline int proc_tcp_connections_to(int port)
{
	char line[512], path[300], link[64];
	unsigned long inodes[512];
	size_t n_inodes = 0;
	int count = 0;
	struct dirent *de;
	FILE *f;
	DIR *d = opendir("/proc/self/fd");

	assert_non_null(d);
	while ((de = readdir(d)) && n_inodes < 512) {
		unsigned long ino;
		ssize_t len;

		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		len = readlink(path, link, sizeof(link) - 1);
		if (len <= 0)
			continue;
		link[len] = '\0';
		if (sscanf(link, "socket:[%lu]", &ino) == 1)
			inodes[n_inodes++] = ino;
	}
	closedir(d);
	f = fopen("/proc/self/net/tcp", "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned int rport, st;
		unsigned long ino;
		char rem[64];

		/* sl local rem st tx:rx tr:when retrnsmt uid timeout inode */
		if (sscanf(line, " %*d: %*s %63s %x %*s %*s %*s %*d %*d %lu", rem, &st, &ino) != 3)
			continue;
		if (!strchr(rem, ':') || sscanf(strchr(rem, ':') + 1, "%x", &rport) != 1)
			continue;
		if ((int)rport != port || st != 0x01)
			continue;
		for (size_t i = 0; i < n_inodes; i++)
			if (inodes[i] == ino)
				count++;
	}
	fclose(f);
	return count;
}

#endif
