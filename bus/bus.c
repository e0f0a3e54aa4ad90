/*
 * bus.c: the event bus inside supervisord.
 *
 * One nanomsg PUB socket bound to a private inproc:// address, and one
 * SUB socket connected to it that takes every event. bus_subscribe adds
 * a subscription by topic prefix: each has its own queue, and the bus
 * puts a reference to each message it receives into the queue of every
 * subscription whose prefix the topic starts with (nanomsg's SUB filter
 * matches the same way). Over inproc, nn_send hands the message to the
 * SUB socket's queue before it returns, so nothing is lost as long as
 * that queue is big enough: it is set as large as nanomsg allows. One
 * socket rather than one per subscription: nanomsg signals a socket's
 * NN_RCVFD with a write(2) when its queue stops being empty and a
 * read(2) when it empties, so each socket costs two system calls and a
 * wake-up per burst, and a SUB socket filters only after it has been
 * woken. Each message is also decoded once, not once per subscription.
 *
 * Each subscription is in publish order; two subscriptions are not in
 * order with each other (the bus serves one queue, then the next), so
 * a component that needs one order across types subscribes once, with a
 * shorter prefix. The message body is shared between subscribers and is
 * never written. A handler may publish, subscribe or drain, but not
 * close the bus.
 *
 * bus_bind_external also publishes every message on an ipc:// or tcp://
 * endpoint for programs outside (bus_ext.c). It is served apart from the
 * internal subscribers, so a slow or broken outside reader shares
 * nothing with them, and publishing skips it while nobody is connected.
 */
#include "config.h"

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

/*
 * One message taken off the internal SUB socket, decoded once and shared
 * by the queues of the subscriptions it matches (refs). The body is
 * never written; the header is a private copy the decoder may write
 * into, and the event's strings point into both.
 */
struct bus_msg {
	unsigned	 refs;
	void		*body;		/* nanomsg message: owned */
	struct bus_event ev;
	char		 hdr[];
};

/* One subscription; owned by its bus. */
struct bus_sub {
	struct bus	*bus;
	bus_handler	*fn;
	void		*arg;
	uint64_t	 since;		/* serial published before it began */
	bool		 busy;		/* in fn: no nested delivery */
	bool		 dead;		/* unsubscribed while busy: free after */
	char		*prefix;	/* topic prefix: owned */
	size_t		 plen;
	struct bus_msg	**q;		/* FIFO of references: owned */
	size_t		 qhead, qlen, qcap;
	struct bus_sub	*next;
};

static unsigned int	bus_instances;

static void	bus_in_cb(struct ev_loop *, ev_io *, int);
static void	bus_sub_free(struct bus_sub *);
static void	bus_subs_reap(struct bus *);

struct bus *
bus_open(struct ev_loop *loop)
{
	struct bus	*b;
	int		 save;

	b = xcalloc(1, sizeof(*b));
	b->loop = loop;
	b->in = -1;
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
	if (b->in != -1) {
		ev_io_stop(b->loop, &b->inio);
		nn_close(b->in);
	}
	bus_unbind_external(b);
	nn_close(b->pub);
	free(b);
}

static void
bus_msg_unref(struct bus_msg *msg)
{
	if (--msg->refs > 0)
		return;
	nn_freemsg(msg->body);
	free(msg);
}

static void
bus_sub_push(struct bus_sub *s, struct bus_msg *msg)
{
	struct bus_msg	**q;
	size_t		  i, ncap;

	if (s->qlen == s->qcap) {
		ncap = s->qcap < 64 ? 64 : s->qcap * 2;
		q = xreallocarray(NULL, ncap, sizeof(*q));
		for (i = 0; i < s->qlen; i++)
			q[i] = s->q[(s->qhead + i) % s->qcap];
		free(s->q);
		s->q = q;
		s->qcap = ncap;
		s->qhead = 0;
	}
	s->q[(s->qhead + s->qlen) % s->qcap] = msg;
	s->qlen++;
	msg->refs++;
	s->bus->queued++;
}

static struct bus_msg *
bus_sub_pop(struct bus_sub *s)
{
	struct bus_msg	*msg;

	if (s->qlen == 0)
		return NULL;
	msg = s->q[s->qhead];
	s->qhead = (s->qhead + 1) % s->qcap;
	s->qlen--;
	s->bus->queued--;
	return msg;
}

static void
bus_sub_free(struct bus_sub *s)
{
	struct bus_msg	*msg;

	while ((msg = bus_sub_pop(s)) != NULL)
		bus_msg_unref(msg);
	free(s->q);
	free(s->prefix);
	free(s);
}

/*
 * The internal SUB socket, made with the first subscription: it takes
 * everything, and the bus sorts by prefix itself, so an event wakes the
 * loop once however many subscriptions there are, and is decoded once.
 */
static int
bus_in_open(struct bus *b)
{
	int	 rcvbuf = INT_MAX, maxsize = -1, fd, save;
	size_t	 fdlen = sizeof(fd);

	if (b->in != -1)
		return 0;
	if ((b->in = nn_socket(AF_SP, NN_SUB)) == -1)
		return -1;
	if (nn_setsockopt(b->in, NN_SOL_SOCKET, NN_RCVBUF, &rcvbuf,
	    sizeof(rcvbuf)) == -1 ||
	    nn_setsockopt(b->in, NN_SOL_SOCKET, NN_RCVMAXSIZE, &maxsize,
	    sizeof(maxsize)) == -1 ||
	    nn_setsockopt(b->in, NN_SUB, NN_SUB_SUBSCRIBE, "", 0) == -1 ||
	    nn_connect(b->in, b->url) == -1 ||
	    nn_getsockopt(b->in, NN_SOL_SOCKET, NN_RCVFD, &fd,
	    &fdlen) == -1) {
		save = errno;
		nn_close(b->in);
		b->in = -1;
		errno = save;
		return -1;
	}
	ev_io_init(&b->inio, bus_in_cb, fd, EV_READ);
	b->inio.data = b;
	/* Last in its iteration: the events of a whole pass at once. */
	ev_set_priority(&b->inio, EV_MINPRI);
	ev_io_start(b->loop, &b->inio);
	return 0;
}

int
bus_subscribe(struct bus *b, const char *prefix, bus_handler *fn, void *arg)
{
	struct bus_sub	*s;

	if (bus_in_open(b) == -1) {
		log_warnx("bus: subscribe \"%s\": %s", prefix,
		    nn_strerror(errno));
		return -1;
	}
	s = xcalloc(1, sizeof(*s));
	s->bus = b;
	s->fn = fn;
	s->arg = arg;
	s->since = b->serial;
	s->prefix = xstrdup(prefix);
	s->plen = strlen(prefix);
	*b->subs_tail = s;
	b->subs_tail = &s->next;
	return 0;
}

/* Take one message off the socket into the queues; 1 if one came. */
static int
bus_in_recv_one(struct bus *b)
{
	struct bus_msg	*msg;
	struct bus_sub	*s;
	const char	*nl;
	void		*m;
	int		 n;
	size_t		 hlen;

	if ((n = nn_recv(b->in, &m, NN_MSG, NN_DONTWAIT)) == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		fatalx("bus: receive: %s", nn_strerror(errno));
	}
	if ((nl = memchr(m, '\n', n)) == NULL)
		fatalx("bus: message without a header");
	hlen = nl - (const char *)m;
	msg = xmalloc(sizeof(*msg) + hlen + 1);
	msg->refs = 1;
	msg->body = m;
	memcpy(msg->hdr, m, hlen);
	msg->hdr[hlen] = '\0';
	if (bus_decode_parts(msg->hdr, hlen, nl + 1, n - hlen - 1,
	    &msg->ev) == -1)
		fatalx("bus: undecodable message: %.*s",
		    (int)(hlen < 200 ? hlen : 200), (const char *)m);
	for (s = b->subs; s != NULL; s = s->next)
		if (!s->dead && msg->ev.serial > s->since &&
		    (size_t)n >= s->plen && memcmp(m, s->prefix, s->plen) == 0)
			bus_sub_push(s, msg);
	bus_msg_unref(msg);
	return 1;
}

/* Everything the socket holds now; how many messages came. */
static size_t
bus_in_recv(struct bus *b)
{
	size_t	 n = 0;

	if (b->in == -1)
		return 0;
	while (bus_in_recv_one(b))
		n++;
	return n;
}

/* Call the handler for one message; 1 if the subscription lives on. */
static int
bus_sub_deliver_one(struct bus_sub *s, struct bus_msg *msg)
{
	s->busy = true;
	s->fn(&msg->ev, s->arg);
	s->busy = false;
	bus_msg_unref(msg);
	return !s->dead;
}

/*
 * Deliver until the queue is empty and the socket holds nothing more
 * (handlers may publish); 1 if anything was delivered.
 */
static int
bus_sub_deliver(struct bus_sub *s)
{
	struct bus	*b = s->bus;
	struct bus_msg	*msg;
	int		 any = 0;

	if (s->busy || s->dead)
		return 0;
	b->depth++;
	for (;;) {
		if (s->qlen == 0 && (bus_in_recv(b) == 0 || s->qlen == 0))
			break;
		msg = bus_sub_pop(s);
		any = 1;
		if (!bus_sub_deliver_one(s, msg))
			break;
	}
	b->depth--;
	return any;
}

/*
 * Messages left in a queue (their subscription was busy, or only another
 * one was drained) while the socket is empty would wait for the next
 * publish: have the loop come back for them.
 */
static void
bus_kick(struct bus *b)
{
	if (b->queued > 0 && b->in != -1 && b->depth == 0)
		ev_feed_event(b->loop, &b->inio, EV_READ);
}

static void
bus_in_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	bus_drain(w->data);
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
		(void)bus_in_recv(b);
		for (s = b->subs; s != NULL; s = s->next)
			any |= bus_sub_deliver(s);
	} while (any);
	b->depth--;
	bus_subs_reap(b);
	bus_kick(b);
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
	bus_kick(b);
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
	if (b->ext != NULL)
		bus_ext_send(b->ext, m, len);
	/* Zero-copy: nanomsg owns m from here on. */
	if (nn_send(b->pub, &m, NN_MSG, NN_DONTWAIT) == -1)
		fatalx("bus: publish %s: %s", bus_type_name(ev->type),
		    nn_strerror(errno));
	/* Delivered in this loop iteration, not after the next poll. */
	if (b->in != -1)
		ev_feed_event(b->loop, &b->inio, EV_READ);
	return serial;
}

/* The new endpoint first: if it cannot be bound, the old one stays. */
int
bus_bind_external(struct bus *b, const char *url, char *err, size_t errlen)
{
	struct bus_ext	*x;

	if ((x = bus_ext_open(b->loop, url, err, errlen)) == NULL &&
	    errno == EADDRINUSE && b->ext != NULL) {
		/* Perhaps in use by the old one, under another spelling. */
		bus_unbind_external(b);
		x = bus_ext_open(b->loop, url, err, errlen);
	}
	if (x == NULL)
		return -1;
	bus_unbind_external(b);
	b->ext = x;
	return 0;
}

/* The counter goes on across endpoints: it is a total. */
void
bus_unbind_external(struct bus *b)
{
	if (b->ext == NULL)
		return;
	b->ext_dropped += bus_ext_unsent(b->ext);
	bus_ext_close(b->ext);
	b->ext = NULL;
}

uint64_t
bus_published(const struct bus *b)
{
	return b->serial;
}

uint64_t
bus_external_dropped(const struct bus *b)
{
	return b->ext_dropped + (b->ext != NULL ? bus_ext_unsent(b->ext) : 0);
}

size_t
bus_external_subscribers(const struct bus *b)
{
	return b->ext != NULL ? bus_ext_subscribers(b->ext) : 0;
}

const char *
bus_external_url(const struct bus *b)
{
	return b->ext != NULL ? bus_ext_url(b->ext) : NULL;
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
