/* sys/socket.h for the Windows builds of the unit suites: see posix_socket.h. */
#include <posix_socket.h>
