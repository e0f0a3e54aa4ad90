/*
 * bus_ext.c: the external endpoint. It speaks the publishing side of
 * nanomsg's wire protocol (SP over ipc:// and tcp://) itself, so nanocat
 * and every nanomsg binding subscribe to it unchanged.
 *
 * Why not a nanomsg PUB socket: nanomsg 1.1.5 hands each message to each
 * subscriber with a sendmsg(2) of its own, each waking that reader, so
 * 16 subscribers at 200,000 events/s would be 3.2 million system calls a
 * second; and it keeps no count of what a slow subscriber missed. Here
 * every subscriber has an output buffer. Publishing appends the framed
 * message to each buffer, and an idle watcher writes the buffers out
 * when the loop next comes round: one write(2) per subscriber carries
 * every event of a loop iteration. A subscriber whose buffer is full
 * misses the message whole, and the miss is counted.
 *
 * The wire, as nanomsg writes it: each side first sends 8 bytes, "\0SP\0",
 * its protocol (16 bits, big-endian: PUB is 0x20, SUB 0x21) and two zero
 * bytes. Then every message is its length (64 bits, big-endian) and its
 * bytes; over ipc:// the length is preceded by a type byte, 1. A SUB
 * filters by prefix itself and never sends, so the publisher sends
 * everything and only reads to notice a subscriber leaving.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>
#include <nanomsg/nn.h>
#include <nanomsg/pubsub.h>

#include "bus.h"
#include "bus_int.h"
#include "log.h"

/* Bytes a subscriber may have waiting in our buffer before it misses. */
#define BUS_EXT_PEER_MAX	(1024 * 1024)
/* A connection that has not sent its SP header by then is dropped. */
#define BUS_EXT_HELLO_SECS	5.0
/* Pause before accepting again when out of descriptors. */
#define BUS_EXT_RETRY_SECS	1.0
#define BUS_EXT_BACKLOG		100
#define BUS_EXT_HDRLEN		8

struct bus_ext;

/* One connected subscriber. */
struct bus_peer {
	struct bus_ext	*ext;
	int		 fd;
	ev_io		 rio;		/* its header, then end of file */
	ev_io		 wio;		/* on while the kernel is full */
	ev_timer	 hello;		/* its header is late */
	bool		 active;	/* header checked: sending */
	unsigned char	 hdr[BUS_EXT_HDRLEN];
	size_t		 hdrlen;
	char		*out;		/* framed messages not yet written */
	size_t		 off, len, cap;
	uint64_t	 dropped;
	struct bus_peer	*next;
};

struct bus_ext {
	struct ev_loop	*loop;
	char		*url;		/* as bound, owned */
	bool		 ipc;		/* else tcp */
	int		 fd;		/* listening */
	ev_io		 accept;
	ev_timer	 retry;
	ev_idle		 flush;		/* on while a buffer holds bytes */
	char		*path;		/* ipc: the socket file, owned */
	dev_t		 dev;		/* ipc: the file we bound */
	ino_t		 ino;
	struct bus_peer	*peers;
	size_t		 nactive;
	bool		 starved;	/* accept failed for want of fds */
	uint64_t	 unsent;	/* published with nobody connected */
	uint64_t	 dropped;	/* misses, summed over subscribers */
};

static const unsigned char bus_ext_hello_pub[BUS_EXT_HDRLEN] = {
	0, 'S', 'P', 0, NN_PUB >> 8, NN_PUB & 0xff, 0, 0
};

static void	bus_ext_accept_cb(struct ev_loop *, ev_io *, int);
static void	bus_ext_flush_cb(struct ev_loop *, ev_idle *, int);
static void	bus_ext_peer_free(struct bus_peer *);

/* "*", an IPv4 address, [an IPv6 address] or an interface's name. */
static int
bus_ext_tcp_addr(const char *host, struct sockaddr_storage *ss,
    socklen_t *sl)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;
	struct ifaddrs		*ifs, *i;
	char			 v6[INET6_ADDRSTRLEN];
	size_t			 n = strlen(host);

	memset(ss, 0, sizeof(*ss));
	sin->sin_family = AF_INET;
	*sl = sizeof(*sin);
	if (strcmp(host, "*") == 0) {
		sin->sin_addr.s_addr = htonl(INADDR_ANY);
		return 0;
	}
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1)
		return 0;
	if (n > 2 && host[0] == '[' && host[n - 1] == ']' && n - 2 < sizeof(v6)) {
		memcpy(v6, host + 1, n - 2);
		v6[n - 2] = '\0';
		sin6->sin6_family = AF_INET6;
		*sl = sizeof(*sin6);
		if (inet_pton(AF_INET6, v6, &sin6->sin6_addr) == 1)
			return 0;
		errno = EINVAL;
		return -1;
	}
	if (getifaddrs(&ifs) == -1)
		return -1;
	for (i = ifs; i != NULL; i = i->ifa_next)
		if (i->ifa_addr != NULL && i->ifa_addr->sa_family == AF_INET &&
		    strcmp(i->ifa_name, host) == 0) {
			memcpy(sin, i->ifa_addr, sizeof(*sin));
			break;
		}
	freeifaddrs(ifs);
	if (i == NULL) {
		errno = ENODEV;
		return -1;
	}
	return 0;
}

/* tcp://HOST:PORT as a socket address; port 1 to 65535. */
static int
bus_ext_tcp_parse(const char *hostport, struct sockaddr_storage *ss,
    socklen_t *sl)
{
	const char	*colon;
	char		 host[256], *end;
	long		 port;

	if ((colon = strrchr(hostport, ':')) == NULL ||
	    (size_t)(colon - hostport) >= sizeof(host) || colon == hostport) {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (colon[1] < '0' || colon[1] > '9' || *end != '\0' || errno != 0 ||
	    port < 1 || port > 65535) {
		errno = EINVAL;
		return -1;
	}
	memcpy(host, hostport, colon - hostport);
	host[colon - hostport] = '\0';
	if (bus_ext_tcp_addr(host, ss, sl) == -1)
		return -1;
	if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	return 0;
}

/*
 * A socket file nobody listens on any more (a daemon that was killed) is
 * removed, as nanomsg does; one somebody listens on makes bind fail. So
 * does any other kind of file: connect(2) refuses a regular file just as
 * a dead socket, and a mistyped path must not cost somebody a file.
 */
static void
bus_ext_ipc_clear(const struct sockaddr_un *sun)
{
	struct stat	 st;
	int		 fd;

	if (lstat(sun->sun_path, &st) == -1 || !S_ISSOCK(st.st_mode))
		return;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return;
	if (connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == -1 &&
	    errno == ECONNREFUSED)
		(void)unlink(sun->sun_path);
	close(fd);
}

static int
bus_ext_listen_ipc(struct bus_ext *x, const char *path)
{
	struct sockaddr_un	 sun;
	struct stat		 st;

	if (strlen(path) >= sizeof(sun.sun_path) || *path == '\0') {
		errno = *path == '\0' ? EINVAL : ENAMETOOLONG;
		return -1;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));
	bus_ext_ipc_clear(&sun);
	if ((x->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (bind(x->fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		return -1;
	x->path = xstrdup(path);
	if (stat(path, &st) == 0) {
		x->dev = st.st_dev;
		x->ino = st.st_ino;
	}
	return listen(x->fd, BUS_EXT_BACKLOG);
}

static int
bus_ext_listen_tcp(struct bus_ext *x, const char *hostport)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl;
	int			 on = 1;

	if (bus_ext_tcp_parse(hostport, &ss, &sl) == -1)
		return -1;
	if ((x->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		return -1;
	/* A restart must not wait for the old connections' TIME_WAIT. */
	(void)setsockopt(x->fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(x->fd, (struct sockaddr *)&ss, sl) == -1)
		return -1;
	return listen(x->fd, BUS_EXT_BACKLOG);
}

struct bus_ext *
bus_ext_open(struct ev_loop *loop, const char *url, char *err, size_t errlen)
{
	struct bus_ext	*x;
	int		 rc, save;

	x = xcalloc(1, sizeof(*x));
	x->loop = loop;
	x->url = xstrdup(url);
	x->fd = -1;
	if (strncmp(url, "ipc://", 6) == 0) {
		x->ipc = true;
		rc = bus_ext_listen_ipc(x, url + 6);
	} else if (strncmp(url, "tcp://", 6) == 0)
		rc = bus_ext_listen_tcp(x, url + 6);
	else {
		snprintf(err, errlen, "%s: not an ipc:// or tcp:// URL", url);
		errno = EPROTONOSUPPORT;
		rc = -1;
		goto fail;
	}
	if (rc == -1) {
		snprintf(err, errlen, "%s: %s", url, strerror(errno));
		goto fail;
	}
	ev_io_init(&x->accept, bus_ext_accept_cb, x->fd, EV_READ);
	x->accept.data = x;
	ev_io_start(loop, &x->accept);
	ev_init(&x->retry, NULL);
	/* First in its iteration: the events of the last one go out. */
	ev_idle_init(&x->flush, bus_ext_flush_cb);
	ev_set_priority(&x->flush, EV_MAXPRI);
	x->flush.data = x;
	return x;
fail:
	save = errno;
	bus_ext_close(x);
	errno = save;
	return NULL;
}

void
bus_ext_close(struct bus_ext *x)
{
	struct bus_peer	*p, *next;
	struct stat	 st;

	if (x == NULL)
		return;
	for (p = x->peers; p != NULL; p = next) {
		next = p->next;
		bus_ext_peer_free(p);
	}
	if (x->fd != -1) {
		ev_io_stop(x->loop, &x->accept);
		ev_timer_stop(x->loop, &x->retry);
		ev_idle_stop(x->loop, &x->flush);
		close(x->fd);
	}
	/* Only the file we bound: another daemon may have taken the name. */
	if (x->path != NULL && stat(x->path, &st) == 0 &&
	    st.st_dev == x->dev && st.st_ino == x->ino)
		(void)unlink(x->path);
	free(x->path);
	free(x->url);
	free(x);
}

static void
bus_ext_peer_free(struct bus_peer *p)
{
	struct bus_ext	*x = p->ext;

	ev_io_stop(x->loop, &p->rio);
	ev_io_stop(x->loop, &p->wio);
	ev_timer_stop(x->loop, &p->hello);
	close(p->fd);
	if (p->active)
		x->nactive--;
	free(p->out);
	free(p);
}

/* Unlink and free; the caller is not walking the list. */
static void
bus_ext_peer_drop(struct bus_peer *p)
{
	struct bus_peer	**pp;

	for (pp = &p->ext->peers; *pp != p; pp = &(*pp)->next)
		;
	*pp = p->next;
	bus_ext_peer_free(p);
}

/* Its SP header: a SUB, or it goes. 0 if it stays. */
static int
bus_ext_peer_hello(struct bus_peer *p)
{
	struct bus_ext	*x = p->ext;
	unsigned	 proto;
	ssize_t		 n;

	n = read(p->fd, p->hdr + p->hdrlen, sizeof(p->hdr) - p->hdrlen);
	if (n == -1)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (n == 0)
		return -1;
	if ((p->hdrlen += n) < sizeof(p->hdr))
		return 0;
	proto = (unsigned)p->hdr[4] << 8 | p->hdr[5];
	if (memcmp(p->hdr, "\0SP\0", 4) != 0 || proto != NN_SUB)
		return -1;
	ev_timer_stop(x->loop, &p->hello);
	p->active = true;
	x->nactive++;
	return 0;
}

/* Before the header, read it; after, anything read is ignored. */
static void
bus_ext_peer_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct bus_peer	*p = w->data;
	char		 junk[512];
	ssize_t		 n;

	if (!p->active) {
		if (bus_ext_peer_hello(p) == -1)
			bus_ext_peer_drop(p);
		return;
	}
	n = read(p->fd, junk, sizeof(junk));
	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR))
		bus_ext_peer_drop(p);
}

static void
bus_ext_peer_hello_late_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	bus_ext_peer_drop(w->data);
}

/* Write what the kernel takes; 0, or -1 when the subscriber is gone. */
static int
bus_ext_peer_write(struct bus_peer *p)
{
	ssize_t	 n;

	while (p->off < p->len) {
		n = send(p->fd, p->out + p->off, p->len - p->off,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				return -1;
			ev_io_start(p->ext->loop, &p->wio);
			return 0;
		}
		p->off += n;
	}
	p->off = p->len = 0;
	ev_io_stop(p->ext->loop, &p->wio);
	return 0;
}

static void
bus_ext_peer_write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct bus_peer	*p = w->data;

	if (bus_ext_peer_write(p) == -1)
		bus_ext_peer_drop(p);
}

static void
bus_ext_peer_new(struct bus_ext *x, int fd)
{
	struct bus_peer	*p;
	int		 on = 1;

	/* Messages are already batched; Nagle would only delay them. */
	if (!x->ipc)
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	/* 8 bytes into an empty socket buffer: it cannot block. */
	if (send(fd, bus_ext_hello_pub, sizeof(bus_ext_hello_pub),
	    MSG_NOSIGNAL | MSG_DONTWAIT) != (ssize_t)sizeof(bus_ext_hello_pub)) {
		close(fd);
		return;
	}
	p = xcalloc(1, sizeof(*p));
	p->ext = x;
	p->fd = fd;
	ev_io_init(&p->rio, bus_ext_peer_read_cb, fd, EV_READ);
	ev_io_init(&p->wio, bus_ext_peer_write_cb, fd, EV_WRITE);
	ev_timer_init(&p->hello, bus_ext_peer_hello_late_cb,
	    BUS_EXT_HELLO_SECS, 0);
	p->rio.data = p->wio.data = p->hello.data = p;
	ev_io_start(x->loop, &p->rio);
	ev_timer_start(x->loop, &p->hello);
	p->next = x->peers;
	x->peers = p;
}

static void
bus_ext_retry_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct bus_ext	*x = w->data;

	ev_io_start(loop, &x->accept);
}

static void
bus_ext_accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct bus_ext	*x = w->data;
	int		 fd, i;

	for (i = 0; i < 16; i++) {
		fd = accept4(x->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd != -1) {
			x->starved = false;
			bus_ext_peer_new(x, fd);
			continue;
		}
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM) {
			/* The connection stays queued; try again later. */
			if (!x->starved)
				log_warn("bus: external endpoint: accept");
			x->starved = true;
			ev_io_stop(loop, &x->accept);
			ev_timer_init(&x->retry, bus_ext_retry_cb,
			    BUS_EXT_RETRY_SECS, 0);
			x->retry.data = x;
			ev_timer_start(loop, &x->retry);
		}
		return;
	}
}

/* Append one framed message; false if it would pass the bound. */
static bool
bus_ext_peer_put(struct bus_peer *p, const unsigned char *frame,
    size_t flen, const void *msg, size_t len)
{
	size_t	 need = flen + len, ncap;

	if (p->len - p->off + need > BUS_EXT_PEER_MAX)
		return false;
	if (p->len + need > p->cap && p->off > 0) {
		memmove(p->out, p->out + p->off, p->len - p->off);
		p->len -= p->off;
		p->off = 0;
	}
	if (p->len + need > p->cap) {
		ncap = p->cap < 4096 ? 4096 : p->cap;
		while (ncap < p->len + need)
			ncap *= 2;
		p->out = xrealloc(p->out, ncap);
		p->cap = ncap;
	}
	memcpy(p->out + p->len, frame, flen);
	memcpy(p->out + p->len + flen, msg, len);
	p->len += need;
	return true;
}

void
bus_ext_send(struct bus_ext *x, const void *msg, size_t len)
{
	struct bus_peer	*p;
	unsigned char	 frame[9], *f = frame;
	uint64_t	 l = len;
	int		 i;

	if (x->nactive == 0) {
		x->unsent++;
		return;
	}
	if (x->ipc)
		*f++ = 1;
	for (i = 7; i >= 0; i--)
		*f++ = l >> (8 * i);
	for (p = x->peers; p != NULL; p = p->next) {
		if (!p->active)
			continue;
		if (!bus_ext_peer_put(p, frame, f - frame, msg, len)) {
			p->dropped++;
			x->dropped++;
		}
	}
	ev_idle_start(x->loop, &x->flush);
}

/* Every buffer the kernel is not already holding us back on. */
static void
bus_ext_flush_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
	struct bus_ext	*x = w->data;
	struct bus_peer	*p, *next;

	ev_idle_stop(loop, w);
	for (p = x->peers; p != NULL; p = next) {
		next = p->next;
		if (p->len > p->off && !ev_is_active(&p->wio) &&
		    bus_ext_peer_write(p) == -1)
			bus_ext_peer_drop(p);
	}
}

uint64_t
bus_ext_unsent(const struct bus_ext *x)
{
	return x->unsent + x->dropped;
}

size_t
bus_ext_subscribers(const struct bus_ext *x)
{
	return x->nactive;
}

const char *
bus_ext_url(const struct bus_ext *x)
{
	return x->url;
}
