/*
 * posix_socket.h - the few BSD socket calls the provider core tests make
 * (test_core_util.h finds a free TCP port: socket, bind, getsockname,
 * close), for the Windows builds, reached through <sys/socket.h>,
 * <netinet/in.h> and <arpa/inet.h> of this folder.  The tests see MAPI
 * headers, so <winsock2.h> (and <windows.h>, whose ULONG is not MAPI's)
 * stays out: the types are declared here with Winsock's layout and the
 * calls are renamed to posix_socket.c, which forwards them to Winsock.
 */
#ifndef LDAPAB_WIN_COMPAT_POSIX_SOCKET_H
#define LDAPAB_WIN_COMPAT_POSIX_SOCKET_H

#include <stdint.h>
#include <unistd.h>

typedef int socklen_t;
typedef unsigned short sa_family_t;

struct sockaddr {
	sa_family_t sa_family;
	char sa_data[14];
};

struct in_addr {
	uint32_t s_addr;
};

struct sockaddr_in {
	sa_family_t sin_family;
	uint16_t sin_port;
	struct in_addr sin_addr;
	unsigned char sin_zero[8];
};

#define AF_INET 2
#define SOCK_STREAM 1
#define INADDR_LOOPBACK ((uint32_t)0x7f000001)

int posix_socket(int domain, int type, int protocol);
int posix_bind(int fd, const struct sockaddr *addr, socklen_t len);
int posix_getsockname(int fd, struct sockaddr *addr, socklen_t *len);
/* A socket of posix_socket() is closed with closesocket, anything else with _close. */
int posix_close(int fd);
uint32_t posix_htonl(uint32_t v);
uint16_t posix_htons(uint16_t v);
uint32_t posix_ntohl(uint32_t v);
uint16_t posix_ntohs(uint16_t v);

#define socket posix_socket
#define bind posix_bind
#define getsockname posix_getsockname
#define close posix_close
#define htonl posix_htonl
#define htons posix_htons
#define ntohl posix_ntohl
#define ntohs posix_ntohs

#endif
