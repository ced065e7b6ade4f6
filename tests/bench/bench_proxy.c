/*
 * bench_proxy.c - delaying TCP relay on loopback (see bench_proxy.h).
 */
#include "bench_proxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Bytes read in one go; also the unit that is held back. */
#define PROXY_CHUNK 65536
/* Stop reading from a side while this much waits to be written to the other
 * (back-pressure instead of unbounded memory). */
#define PROXY_QUEUE_CAP (4u * 1024u * 1024u)

struct chunk {
	struct chunk *next;
	int64_t due_us;   /* monotonic time at which it may be written */
	size_t len;
	size_t off;       /* bytes already written */
	char data[];
};

/* One direction of a link: bytes read from `from` are written to `to`. */
struct direction {
	int from;
	int to;
	struct chunk *head;
	struct chunk *tail;
	size_t queued;    /* bytes in the queue */
	bool eof;         /* `from` reached end of file */
	bool shut;        /* shutdown(to, SHUT_WR) done */
	bool blocked;     /* last write to `to` returned EAGAIN */
};

struct link {
	bool used;
	int cfd;              /* client side */
	int sfd;              /* server side */
	struct direction up;  /* client -> server */
	struct direction down;/* server -> client */
};

struct bench_proxy {
	int lfd;
	int wake[2];          /* the stopper writes a byte to wake[1] */
	int target_port;
	int64_t one_way_us;
	pthread_t thread;
	bool thread_started;
	struct link links[BENCH_PROXY_MAX_LINKS];
};

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int set_nonblock_nodelay(int fd)
{
	int flags = fcntl(fd, F_GETFL);
	int one = 1;

	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return -1;
	/* Only meaningful for TCP sockets; harmless failure otherwise. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return 0;
}

static void dir_free(struct direction *d)
{
	struct chunk *c = d->head;

	while (c) {
		struct chunk *next = c->next;
		free(c);
		c = next;
	}
	d->head = d->tail = NULL;
	d->queued = 0;
}

static void link_close(struct link *l)
{
	if (!l->used)
		return;
	dir_free(&l->up);
	dir_free(&l->down);
	close(l->cfd);
	close(l->sfd);
	memset(l, 0, sizeof(*l));
}

/* Connect a new client to the target; on any failure the client is closed. */
static void accept_one(struct bench_proxy *p)
{
	struct sockaddr_in sa;
	struct link *slot = NULL;
	int cfd, sfd = -1;
	size_t i;

	cfd = accept(p->lfd, NULL, NULL);
	if (cfd < 0)
		return;
	for (i = 0; i < BENCH_PROXY_MAX_LINKS; i++) {
		if (!p->links[i].used) {
			slot = &p->links[i];
			break;
		}
	}
	if (!slot) {
		fprintf(stderr, "bench_proxy: more than %d links, refusing one\n",
			BENCH_PROXY_MAX_LINKS);
		goto fail;
	}
	sfd = socket(AF_INET, SOCK_STREAM, 0);
	if (sfd < 0)
		goto fail;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)p->target_port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* Blocking connect: on loopback it completes at once. */
	if (connect(sfd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "bench_proxy: connect to port %d: %s\n",
			p->target_port, strerror(errno));
		goto fail;
	}
	if (set_nonblock_nodelay(cfd) < 0 || set_nonblock_nodelay(sfd) < 0)
		goto fail;
	memset(slot, 0, sizeof(*slot));
	slot->used = true;
	slot->cfd = cfd;
	slot->sfd = sfd;
	slot->up.from = cfd;
	slot->up.to = sfd;
	slot->down.from = sfd;
	slot->down.to = cfd;
	return;
fail:
	if (sfd >= 0)
		close(sfd);
	close(cfd);
}

/* Read what `from` has into a chunk due one_way_us from now.
 * Returns -1 when the link must be dropped. */
static int dir_read(struct bench_proxy *p, struct direction *d)
{
	struct chunk *c = malloc(sizeof(*c) + PROXY_CHUNK);
	ssize_t n;

	if (!c)
		return -1;
	n = read(d->from, c->data, PROXY_CHUNK);
	if (n <= 0) {
		free(c);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (n < 0 && errno != ECONNRESET)
			return -1;
		d->eof = true;  /* orderly close (or reset): pass it on once drained */
		return 0;
	}
	c->next = NULL;
	c->len = (size_t)n;
	c->off = 0;
	c->due_us = now_us() + p->one_way_us;
	if (d->tail)
		d->tail->next = c;
	else
		d->head = c;
	d->tail = c;
	d->queued += (size_t)n;
	return 0;
}

/* Write every chunk whose time has come.  Returns -1 to drop the link. */
static int dir_flush(struct direction *d, int64_t now)
{
	d->blocked = false;
	while (d->head && d->head->due_us <= now) {
		struct chunk *c = d->head;
		ssize_t n = send(d->to, c->data + c->off, c->len - c->off, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR) {
				d->blocked = true;
				return 0;
			}
			return -1;
		}
		c->off += (size_t)n;
		d->queued -= (size_t)n;
		if (c->off < c->len)
			continue;
		d->head = c->next;
		if (!d->head)
			d->tail = NULL;
		free(c);
	}
	if (d->eof && !d->head && !d->shut) {
		(void)shutdown(d->to, SHUT_WR);
		d->shut = true;
	}
	return 0;
}

static void *proxy_main(void *arg)
{
	struct bench_proxy *p = arg;
	struct pollfd fds[2 + 2 * BENCH_PROXY_MAX_LINKS];
	struct link *owner[2 + 2 * BENCH_PROXY_MAX_LINKS];

	/* Wake up on time: the default 50 us timer slack would add to the hold. */
	(void)prctl(PR_SET_TIMERSLACK, 1000UL, 0UL, 0UL, 0UL);
	for (;;) {
		int64_t now = now_us();
		int64_t next_due = -1;
		struct timespec ts, *tsp = NULL;
		nfds_t nfds = 0;
		size_t i;

		/* Write what is due; work out when the next chunk is. */
		for (i = 0; i < BENCH_PROXY_MAX_LINKS; i++) {
			struct link *l = &p->links[i];

			if (!l->used)
				continue;
			if (dir_flush(&l->up, now) < 0 || dir_flush(&l->down, now) < 0 ||
			    (l->up.shut && l->down.shut)) {
				link_close(l);
				continue;
			}
			if (l->up.head && !l->up.blocked &&
			    (next_due < 0 || l->up.head->due_us < next_due))
				next_due = l->up.head->due_us;
			if (l->down.head && !l->down.blocked &&
			    (next_due < 0 || l->down.head->due_us < next_due))
				next_due = l->down.head->due_us;
		}

		fds[nfds].fd = p->lfd;
		fds[nfds].events = POLLIN;
		owner[nfds++] = NULL;
		fds[nfds].fd = p->wake[0];
		fds[nfds].events = POLLIN;
		owner[nfds++] = NULL;
		for (i = 0; i < BENCH_PROXY_MAX_LINKS; i++) {
			struct link *l = &p->links[i];
			short ce = 0, se = 0;

			if (!l->used)
				continue;
			if (!l->up.eof && l->up.queued < PROXY_QUEUE_CAP)
				ce |= POLLIN;
			if (l->down.blocked)
				ce |= POLLOUT;
			if (!l->down.eof && l->down.queued < PROXY_QUEUE_CAP)
				se |= POLLIN;
			if (l->up.blocked)
				se |= POLLOUT;
			fds[nfds].fd = l->cfd;
			fds[nfds].events = ce;
			owner[nfds++] = l;
			fds[nfds].fd = l->sfd;
			fds[nfds].events = se;
			owner[nfds++] = l;
		}

		if (next_due >= 0) {
			int64_t wait = next_due - now;

			if (wait < 0)
				wait = 0;
			ts.tv_sec = (time_t)(wait / 1000000);
			ts.tv_nsec = (long)(wait % 1000000) * 1000;
			tsp = &ts;
		}
		if (ppoll(fds, nfds, tsp, NULL) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "bench_proxy: ppoll: %s\n", strerror(errno));
			break;
		}
		if (fds[1].revents)
			break;  /* bench_proxy_stop() */
		if (fds[0].revents & POLLIN)
			accept_one(p);
		for (i = 2; i < nfds; i++) {
			struct link *l = owner[i];
			struct direction *rd;

			if (!l->used || !fds[i].revents)
				continue;
			rd = fds[i].fd == l->cfd ? &l->up : &l->down;
			if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) && !rd->eof &&
			    dir_read(p, rd) < 0)
				link_close(l);
			/* POLLOUT: the flush at the top of the loop retries. */
		}
	}
	return NULL;
}

int bench_proxy_start(int target_port, int64_t one_way_us,
		      struct bench_proxy **out, int *port_out)
{
	struct bench_proxy *p = NULL;
	struct sockaddr_in sa;
	socklen_t salen = sizeof(sa);
	int ret = -1;

	if (!out || !port_out || target_port <= 0 || target_port > 65535 || one_way_us < 0)
		return -1;
	p = calloc(1, sizeof(*p));
	if (!p)
		goto done;
	p->lfd = -1;
	p->wake[0] = p->wake[1] = -1;
	p->target_port = target_port;
	p->one_way_us = one_way_us;
	if (pipe(p->wake) < 0)
		goto done;
	p->lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (p->lfd < 0)
		goto done;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = 0;
	if (bind(p->lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(p->lfd, 16) < 0 ||
	    getsockname(p->lfd, (struct sockaddr *)&sa, &salen) < 0)
		goto done;
	if (pthread_create(&p->thread, NULL, proxy_main, p) != 0)
		goto done;
	p->thread_started = true;
	*port_out = ntohs(sa.sin_port);
	*out = p;
	p = NULL;
	ret = 0;
done:
	if (ret < 0)
		fprintf(stderr, "bench_proxy: cannot start: %s\n", strerror(errno));
	bench_proxy_stop(p);
	return ret;
}

void bench_proxy_stop(struct bench_proxy *p)
{
	size_t i;

	if (!p)
		return;
	if (p->thread_started) {
		char b = 'x';

		if (write(p->wake[1], &b, 1) != 1)
			fprintf(stderr, "bench_proxy: cannot wake the relay thread\n");
		pthread_join(p->thread, NULL);
	}
	for (i = 0; i < BENCH_PROXY_MAX_LINKS; i++)
		link_close(&p->links[i]);
	if (p->lfd >= 0)
		close(p->lfd);
	if (p->wake[0] >= 0)
		close(p->wake[0]);
	if (p->wake[1] >= 0)
		close(p->wake[1]);
	free(p);
}
