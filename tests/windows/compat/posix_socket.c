/*
 * posix_socket.c - posix_socket.h's calls over Winsock (started on first
 * use).  The int a test holds is the SOCKET value, which Windows keeps
 * small.
 */
#include <winsock2.h>
#include <io.h>
#include <stdint.h>

int posix_socket(int domain, int type, int protocol);
int posix_bind(int fd, const void *addr, int len);
int posix_getsockname(int fd, void *addr, int *len);
int posix_close(int fd);
uint32_t posix_htonl(uint32_t v);
uint16_t posix_htons(uint16_t v);
uint32_t posix_ntohl(uint32_t v);
uint16_t posix_ntohs(uint16_t v);

int posix_socket(int domain, int type, int protocol)
{
	static int started;
	SOCKET s;

	if (!started) {
		WSADATA data;

		if (WSAStartup(MAKEWORD(2, 2), &data) != 0)
			return -1;
		started = 1;
	}
	s = socket(domain, type, protocol);
	if (s == INVALID_SOCKET || s > INT32_MAX)
		return -1;
	return (int)s;
}

int posix_bind(int fd, const void *addr, int len)
{
	return bind((SOCKET)fd, addr, len) == 0 ? 0 : -1;
}

int posix_getsockname(int fd, void *addr, int *len)
{
	return getsockname((SOCKET)fd, addr, len) == 0 ? 0 : -1;
}

int posix_close(int fd)
{
	if (closesocket((SOCKET)fd) == 0)
		return 0;
	if (WSAGetLastError() != WSAENOTSOCK && WSAGetLastError() != WSANOTINITIALISED)
		return -1;
	return _close(fd);
}

uint32_t posix_htonl(uint32_t v) { return htonl(v); }
uint16_t posix_htons(uint16_t v) { return htons(v); }
uint32_t posix_ntohl(uint32_t v) { return ntohl(v); }
uint16_t posix_ntohs(uint16_t v) { return ntohs(v); }
