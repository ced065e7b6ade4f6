/*
 * bench_proxy.h - a delaying TCP relay on 127.0.0.1 for the benchmark.
 *
 * The benchmark needs a network round trip that is longer than loopback's
 * few microseconds, to show what pipelining saves on a real link.  The
 * relay listens on a free port of 127.0.0.1, connects every accepted client
 * to the target port on 127.0.0.1 and forwards bytes both ways, holding
 * each chunk it reads for one_way_us microseconds before writing it on.
 * Chunks are queued with their own release times, so the relay adds latency
 * without limiting throughput (several requests may be in flight at once,
 * as on a real link).  Round trip added = 2 * one_way_us.
 *
 * One thread runs the relay (ppoll(), non-blocking sockets, TCP_NODELAY on
 * both legs so the relay adds no Nagle stalls).  Loopback only; at most
 * BENCH_PROXY_MAX_LINKS client connections at once (more are refused).
 */
#ifndef LDAPAB_BENCH_PROXY_H
#define LDAPAB_BENCH_PROXY_H

#include <stdint.h>

#define BENCH_PROXY_MAX_LINKS 16

struct bench_proxy;

/*
 * Start a relay to 127.0.0.1:target_port.
 *   one_way_us  delay added to every chunk in each direction (>= 0).
 *   out         receives the relay; stop it with bench_proxy_stop().
 *   port_out    receives the port the relay listens on.
 * Returns 0, or -1 with a message on stderr (socket, bind or thread errors).
 */
int bench_proxy_start(int target_port, int64_t one_way_us,
		      struct bench_proxy **out, int *port_out)
	__attribute__((warn_unused_result));

/* Stop the thread, close every socket, free.  NULL accepted. */
void bench_proxy_stop(struct bench_proxy *proxy);

#endif
