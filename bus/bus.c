/*
 * bus.c: the event bus inside supervisord.
 *
 * One nanomsg PUB socket bound to a private inproc:// address. Every
 * bus_subscribe call connects its own SUB socket, filtered by topic
 * prefix, and watches its NN_RCVFD from the loop. Over inproc, nn_send
 * hands the message to every matching subscriber's queue before it
 * returns, so nothing is lost as long as those queues are big enough:
 * they are set as large as nanomsg allows.
 *
 * Each subscription is in publish order; two subscriptions are not in
 * order with each other (the loop serves one socket, then the next), so
 * a component that needs one order across types subscribes once, with a
 * shorter prefix. The message body is shared between subscribers and is
 * never written: each one decodes a private copy of the header. A
 * handler may publish, subscribe or drain, but not close the bus.
 *
 * bus_bind_external adds a second PUB socket for ipc:// and tcp://
 * endpoints. A separate socket because its statistics (connections) must
 * not count the internal subscribers, because a slow or broken outside
 * reader must not share anything with the internal ones, and because
 * publishing skips it entirely while nobody is connected.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <limits.h>
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

/* One subscription; owned by its bus. */
struct bus_sub {
	struct bus	*bus;
	int		 sock;
	ev_io		 io;		/* on NN_RCVFD */
	bus_handler	*fn;
	void		*arg;
	bool		 busy;		/* in fn: no nested delivery */
	bool		 dead;		/* unsubscribed while busy: free after */
	char		*hdr;		/* private copy of a header: owned */
	size_t		 hdrcap;
	char		 prefix[64];	/* for error messages */
	struct bus_sub	*next;
};

/* Sizes the external endpoint's kernel send buffers for bursts. */
#define BUS_EXT_SNDBUF	(4 * 1024 * 1024)

static unsigned int	bus_instances;

static void	bus_sub_recv_cb(struct ev_loop *, ev_io *, int);
static int	bus_sub_deliver_one(struct bus_sub *);
static void	bus_sub_free(struct bus_sub *);
static void	bus_subs_reap(struct bus *);

struct bus *
bus_open(struct ev_loop *loop)
{
	struct bus	*b;
	int		 save;

	b = xcalloc(1, sizeof(*b));
	b->loop = loop;
	b->ext = -1;
	b->subs_tail = &b->subs;
	/* pid and a counter: several buses in one process, or forks. */
	snprintf(b->url, sizeof(b->url), "inproc://nanovisor-bus.%ld.%u",
	    (long)getpid(), bus_instances++);
	if ((b->pub = nn_socket(AF_SP, NN_PUB)) == -1)
		goto fail;
	if (nn_bind(b->pub, b->url) == -1) {
		save = errno;
		nn_close(b->pub);
		errno = save;
		goto fail;
	}
	return b;
fail:
	save = errno;
	log_warnx("bus: %s: %s", b->url, nn_strerror(errno));
	free(b);
	errno = save;
	return NULL;
}

void
bus_close(struct bus *b)
{
	struct bus_sub	*s, *next;

	if (b == NULL)
		return;
	bus_tick_stop(b);
	bus_record_close(b);
	bus_ring_free(b->ring);
	for (s = b->subs; s != NULL; s = next) {
		next = s->next;
		bus_sub_free(s);
	}
	if (b->ext != -1)
		nn_close(b->ext);
	nn_close(b->pub);
	free(b);
}

static void
bus_sub_free(struct bus_sub *s)
{
	ev_io_stop(s->bus->loop, &s->io);
	nn_close(s->sock);
	free(s->hdr);
	free(s);
}

/* Options on a fresh SUB socket, before it connects. */
static int
bus_sub_setup(int sock, const char *prefix)
{
	int	 rcvbuf = INT_MAX, maxsize = -1;

	if (nn_setsockopt(sock, NN_SOL_SOCKET, NN_RCVBUF, &rcvbuf,
	    sizeof(rcvbuf)) == -1 ||
	    nn_setsockopt(sock, NN_SOL_SOCKET, NN_RCVMAXSIZE, &maxsize,
	    sizeof(maxsize)) == -1 ||
	    nn_setsockopt(sock, NN_SUB, NN_SUB_SUBSCRIBE, prefix,
	    strlen(prefix)) == -1)
		return -1;
	return 0;
}

int
bus_subscribe(struct bus *b, const char *prefix, bus_handler *fn, void *arg)
{
	struct bus_sub	*s;
	int		 fd, save;
	size_t		 fdlen = sizeof(fd);

	s = xcalloc(1, sizeof(*s));
	s->bus = b;
	s->fn = fn;
	s->arg = arg;
	snprintf(s->prefix, sizeof(s->prefix), "%s", prefix);
	if ((s->sock = nn_socket(AF_SP, NN_SUB)) == -1) {
		free(s);
		return -1;
	}
	if (bus_sub_setup(s->sock, prefix) == -1 ||
	    nn_connect(s->sock, b->url) == -1 ||
	    nn_getsockopt(s->sock, NN_SOL_SOCKET, NN_RCVFD, &fd,
	    &fdlen) == -1) {
		save = errno;
		log_warnx("bus: subscribe \"%s\": %s", prefix,
		    nn_strerror(errno));
		nn_close(s->sock);
		free(s);
		errno = save;
		return -1;
	}
	ev_io_init(&s->io, bus_sub_recv_cb, fd, EV_READ);
	s->io.data = s;
	ev_io_start(b->loop, &s->io);
	*b->subs_tail = s;
	b->subs_tail = &s->next;
	return 0;
}

/* Keep a private copy of the header: the body is shared, read-only. */
static char *
bus_sub_header(struct bus_sub *s, const char *msg, size_t len)
{
	if (len > s->hdrcap) {
		s->hdrcap = len < 256 ? 256 : len;
		s->hdr = xrealloc(s->hdr, s->hdrcap);
	}
	memcpy(s->hdr, msg, len);
	return s->hdr;
}

/* Receive and dispatch one message; 1 if one was delivered, else 0. */
static int
bus_sub_deliver_one(struct bus_sub *s)
{
	struct bus_event	 ev;
	void			*m;
	const char		*nl;
	char			*hdr;
	int			 n;
	size_t			 hlen;

	if ((n = nn_recv(s->sock, &m, NN_MSG, NN_DONTWAIT)) == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		fatalx("bus: receive on \"%s\": %s", s->prefix,
		    nn_strerror(errno));
	}
	if ((nl = memchr(m, '\n', n)) == NULL)
		fatalx("bus: message without a header on \"%s\"", s->prefix);
	hlen = nl - (const char *)m;
	hdr = bus_sub_header(s, m, hlen);
	if (bus_decode_parts(hdr, hlen, nl + 1, n - hlen - 1, &ev) == -1)
		fatalx("bus: undecodable message on \"%s\": %.*s", s->prefix,
		    (int)(hlen < 200 ? hlen : 200), (const char *)m);
	s->busy = true;
	s->fn(&ev, s->arg);
	s->busy = false;
	nn_freemsg(m);
	return !s->dead;
}

/* Deliver until the queue is empty; 1 if anything was delivered. */
static int
bus_sub_deliver(struct bus_sub *s)
{
	struct bus	*b = s->bus;
	int		 any = 0;

	if (s->busy || s->dead)
		return 0;
	b->depth++;
	while (!s->dead && bus_sub_deliver_one(s))
		any = 1;
	b->depth--;
	return any;
}

static void
bus_sub_recv_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct bus_sub	*s = w->data;
	struct bus	*b = s->bus;

	bus_sub_deliver(s);
	bus_subs_reap(b);
}

/* Handlers may publish, so go round until a pass delivers nothing. */
void
bus_drain(struct bus *b)
{
	struct bus_sub	*s;
	int		 any;

	b->depth++;
	do {
		any = 0;
		for (s = b->subs; s != NULL; s = s->next)
			any |= bus_sub_deliver(s);
	} while (any);
	b->depth--;
	bus_subs_reap(b);
}

/*
 * Free the subscriptions marked dead, once no delivery is on the stack:
 * a handler may unsubscribe itself or another while the bus walks the
 * list.
 */
static void
bus_subs_reap(struct bus *b)
{
	struct bus_sub	**pp = &b->subs, *s;

	if (b->depth > 0 || !b->reap)
		return;
	b->reap = false;
	while ((s = *pp) != NULL) {
		if (s->dead) {
			*pp = s->next;
			bus_sub_free(s);
		} else
			pp = &s->next;
	}
	b->subs_tail = pp;
}

void
bus_unsubscribe(struct bus *b, bus_handler *fn, void *arg)
{
	struct bus_sub	*s;

	for (s = b->subs; s != NULL; s = s->next)
		if (s->fn == fn && s->arg == arg && !s->dead) {
			s->dead = true;
			ev_io_stop(b->loop, &s->io);
			b->reap = true;
		}
	bus_subs_reap(b);
}

/* Only the subscriptions made with this handler and arg. */
void
bus_drain_for(struct bus *b, bus_handler *fn, void *arg)
{
	struct bus_sub	*s;

	b->depth++;
	for (s = b->subs; s != NULL; s = s->next)
		if (s->fn == fn && s->arg == arg)
			bus_sub_deliver(s);
	b->depth--;
	bus_subs_reap(b);
}

/*
 * Copy to the external endpoint, or count it as undelivered. nanomsg
 * 1.1.5 keeps no per-pipe statistics: a PUB socket's MESSAGES_SENT goes
 * up even when its distributor skips a full pipe or has none, so a
 * message an outside reader missed cannot be counted. What can be told
 * is that nobody was connected at all (CURRENT_CONNECTIONS == 0); those
 * messages are what bus_external_dropped counts. Readers see any other
 * loss as a gap in the serials.
 */
static void
bus_publish_external(struct bus *b, const char *msg, size_t len)
{
	uint64_t	 conns;

	conns = nn_get_statistic(b->ext, NN_STAT_CURRENT_CONNECTIONS);
	if (conns == 0 || conns == (uint64_t)-1) {
		b->ext_dropped++;
		return;
	}
	if (nn_send(b->ext, msg, len, NN_DONTWAIT) == -1 && errno != EAGAIN)
		log_warnx("bus: external publish: %s", nn_strerror(errno));
}

uint64_t
bus_publish(struct bus *b, const struct bus_event *ev)
{
	uint64_t	 serial = b->serial + 1;
	size_t		 len;
	void		*m;

	len = bus_encode_size(ev, serial);
	if ((m = nn_allocmsg(len, 0)) == NULL)
		fatal("bus: nn_allocmsg %zu", len);
	bus_encode_write(ev, serial, m, len);
	b->serial = serial;
	/* Here rather than as a subscriber: no second copy through a
	 * socket, no decoding, and a reader never sees the ring behind. */
	if (b->ring != NULL)
		bus_ring_put(b->ring, serial, m, len);
	if (b->ext != -1)
		bus_publish_external(b, m, len);
	/* Zero-copy: nanomsg owns m from here on. */
	if (nn_send(b->pub, &m, NN_MSG, NN_DONTWAIT) == -1)
		fatalx("bus: publish %s: %s", bus_type_name(ev->type),
		    nn_strerror(errno));
	return serial;
}

static int
bus_ext_socket(struct bus *b)
{
	int	 sndbuf = BUS_EXT_SNDBUF;

	if (b->ext != -1)
		return 0;
	if ((b->ext = nn_socket(AF_SP, NN_PUB)) == -1)
		return -1;
	/* Best effort: the kernel may cap it. */
	(void)nn_setsockopt(b->ext, NN_SOL_SOCKET, NN_SNDBUF, &sndbuf,
	    sizeof(sndbuf));
	return 0;
}

/*
 * Check what we can before nn_bind: nanomsg 1.1.5 leaks its endpoint
 * when an ipc:// bind fails, and our errno is the clearer message.
 */
static int
bus_ext_ipc_check(const char *path)
{
	struct sockaddr_un	 sun;
	char			 dir[sizeof(sun.sun_path)];
	char			*slash;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	return access(dir, W_OK | X_OK);
}

int
bus_bind_external(struct bus *b, const char *url, char *err, size_t errlen)
{
	if (strncmp(url, "ipc://", 6) != 0 && strncmp(url, "tcp://", 6) != 0) {
		snprintf(err, errlen, "%s: not an ipc:// or tcp:// URL", url);
		errno = EPROTONOSUPPORT;
		return -1;
	}
	if (strncmp(url, "ipc://", 6) == 0 && bus_ext_ipc_check(url + 6) == -1) {
		snprintf(err, errlen, "%s: %s", url, strerror(errno));
		return -1;
	}
	if (bus_ext_socket(b) == -1 || nn_bind(b->ext, url) == -1) {
		snprintf(err, errlen, "%s: %s", url, nn_strerror(errno));
		return -1;
	}
	return 0;
}

uint64_t
bus_published(const struct bus *b)
{
	return b->serial;
}

uint64_t
bus_external_dropped(const struct bus *b)
{
	return b->ext_dropped;
}

void
bus_ring_configure(struct bus *b, size_t maxmsgs, size_t maxbytes)
{
	b->ring = bus_ring_resize(b->ring, maxmsgs, maxbytes);
}

const struct bus_ring *
bus_get_ring(const struct bus *b)
{
	return b->ring;
}
