/*
 * nvbus.c: the bus client (see nvbus.h). A nanomsg SUB socket on the
 * daemon's external endpoint, subscribed to everything, and a queue of
 * messages in serial order. A message whose serial jumps ahead of the
 * queue triggers a catch-up (nvbus_rpc.c) that fills the queue from the
 * daemon's ring first; what the ring no longer holds becomes a LOST
 * entry. Prefix filtering happens when an event is handed out, so that
 * every serial passes through the queue.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nanomsg/nn.h>
#include <nanomsg/pubsub.h>

#include "nvbus.h"
#include "nvbus_int.h"

/* A quiet socket: ask the daemon this often whether we missed the end
 * of a burst (nothing more arrives to show the gap). */
#define NVBUS_IDLE_MS	250

static void
nvbus_seterr(struct nvbus *b, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(b->err, sizeof(b->err), fmt, ap);
	va_end(ap);
}

const char *
nvbus_error(const struct nvbus *b)
{
	return b->err;
}

static long long
nvbus_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- parsing ---- */

static int
nvbus_u64(const char *s, const char *end, uint64_t *out)
{
	uint64_t	 v = 0;

	if (s == end)
		return -1;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

/* NAME nv:1 serial:N [key:value ...] len:L\n<L bytes> */
int
nvbus_parse(const char *msg, size_t len, struct nvbus_event *ev)
{
	const char	*nl, *p, *sp, *end;
	uint64_t	 plen = 0;
	bool		 have_len = false;

	memset(ev, 0, sizeof(*ev));
	if ((nl = memchr(msg, '\n', len)) == NULL ||
	    (sp = memchr(msg, ' ', nl - msg)) == NULL)
		return -1;
	if (nl - sp < 13 || memcmp(sp, " nv:1 serial:", 13) != 0)
		return -1;
	for (p = sp + 13; p < nl; p = end + 1) {
		if ((end = memchr(p, ' ', nl - p)) == NULL)
			end = nl;
		if (p == sp + 13) {
			if (nvbus_u64(p, end, &ev->serial) == -1)
				return -1;
		} else if (end - p >= 4 && memcmp(p, "len:", 4) == 0) {
			if (nvbus_u64(p + 4, end, &plen) == -1)
				return -1;
			have_len = true;
		} else if (end - p == 11 && memcmp(p, "synthetic:1", 11) == 0)
			ev->synthetic = true;
	}
	if (!have_len || plen != (uint64_t)(msg + len - nl - 1))
		return -1;
	ev->msg = msg;
	ev->msglen = len;
	ev->payload = nl + 1;
	ev->payloadlen = (size_t)plen;
	/* the name is not NUL-terminated in msg: the caller copies it */
	ev->name = NULL;
	return 0;
}

/* Serial and name of an owned message; name written into m->name. */
static int
nvbus_msg_parse(struct nvbus_msg *m)
{
	struct nvbus_event	 ev;
	size_t			 n;

	if (nvbus_parse(m->data, m->len, &ev) == -1)
		return -1;
	m->serial = ev.serial;
	n = strcspn(m->data, " ");
	if (n >= sizeof(m->name))
		n = sizeof(m->name) - 1;
	memcpy(m->name, m->data, n);
	m->name[n] = '\0';
	return 0;
}

/* ---- the queue ---- */

struct nvbus_msg *
nvbus_msg_new(const char *data, size_t len)
{
	struct nvbus_msg	*m;

	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (m->data = malloc(len + 1)) == NULL) {
		free(m);
		return NULL;
	}
	memcpy(m->data, data, len);
	m->data[len] = '\0';
	m->len = len;
	if (nvbus_msg_parse(m) == -1) {
		free(m->data);
		free(m);
		return NULL;
	}
	return m;
}

static void
nvbus_msg_free(struct nvbus_msg *m)
{
	if (m != NULL) {
		free(m->data);
		free(m);
	}
}

static void
nvbus_push(struct nvbus *b, struct nvbus_msg *m)
{
	m->next = NULL;
	*b->qtail = m;
	b->qtail = &m->next;
	b->qnext = m->lost > 0 ? m->lost_from + m->lost : m->serial + 1;
}

/* Queue a message from the socket or the ring, dropping what is had. */
void
nvbus_take(struct nvbus *b, struct nvbus_msg *m)
{
	if (b->qnext != 0 && m->serial < b->qnext) {
		nvbus_msg_free(m);
		return;
	}
	nvbus_push(b, m);
}

void
nvbus_take_lost(struct nvbus *b, uint64_t from, uint64_t n)
{
	struct nvbus_msg	*m;

	if (n == 0 || (b->qnext != 0 && from + n <= b->qnext))
		return;
	if (b->qnext != 0 && from < b->qnext) {
		n -= b->qnext - from;
		from = b->qnext;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return;
	m->lost_from = from;
	m->lost = n;
	nvbus_push(b, m);
}

static struct nvbus_msg *
nvbus_pop(struct nvbus *b)
{
	struct nvbus_msg	*m = b->q;

	if (m != NULL && (b->q = m->next) == NULL)
		b->qtail = &b->q;
	return m;
}

/* ---- public ---- */

struct nvbus *
nvbus_connect(const char *bus_url, const char *rpc_url, char *err,
    size_t errlen)
{
	struct nvbus	*b;
	int		 rcvbuf = 16 * 1024 * 1024, maxsize = -1;
	size_t		 fdlen = sizeof(int);

	if ((b = calloc(1, sizeof(*b))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	b->qtail = &b->q;
	if ((b->sock = nn_socket(AF_SP, NN_SUB)) == -1)
		goto fail;
	(void)nn_setsockopt(b->sock, NN_SOL_SOCKET, NN_RCVBUF, &rcvbuf,
	    sizeof(rcvbuf));
	(void)nn_setsockopt(b->sock, NN_SOL_SOCKET, NN_RCVMAXSIZE, &maxsize,
	    sizeof(maxsize));
	if (nn_setsockopt(b->sock, NN_SUB, NN_SUB_SUBSCRIBE, "", 0) == -1 ||
	    nn_getsockopt(b->sock, NN_SOL_SOCKET, NN_RCVFD, &b->fd,
	    &fdlen) == -1 || nn_connect(b->sock, bus_url) == -1)
		goto fail;
	if (rpc_url != NULL && nvbus_rpc_init(b, rpc_url) == -1) {
		snprintf(err, errlen, "%s", b->err);
		nvbus_close(b);
		return NULL;
	}
	return b;
fail:
	snprintf(err, errlen, "%s: %s", bus_url, nn_strerror(errno));
	if (b->sock >= 0)
		nn_close(b->sock);
	free(b);
	return NULL;
}

void
nvbus_close(struct nvbus *b)
{
	size_t	 i;

	if (b == NULL)
		return;
	while (b->q != NULL)
		nvbus_msg_free(nvbus_pop(b));
	nvbus_msg_free(b->cur);
	nvbus_rpc_free(b);
	nn_close(b->sock);
	for (i = 0; i < b->nprefix; i++)
		free(b->prefix[i]);
	free(b->prefix);
	free(b);
}

int
nvbus_subscribe(struct nvbus *b, const char *prefix)
{
	char	**p;

	if ((p = realloc(b->prefix, (b->nprefix + 1) * sizeof(*p))) == NULL)
		return -1;
	b->prefix = p;
	if ((p[b->nprefix] = strdup(prefix)) == NULL)
		return -1;
	b->nprefix++;
	return 0;
}

void
nvbus_start_after(struct nvbus *b, uint64_t serial)
{
	b->qnext = serial + 1;
	b->last = serial;
	b->want_catchup = true;
}

uint64_t
nvbus_last_serial(const struct nvbus *b)
{
	return b->last;
}

static bool
nvbus_wanted(const struct nvbus *b, const char *name)
{
	size_t	 i;

	if (b->nprefix == 0)
		return true;
	for (i = 0; i < b->nprefix; i++)
		if (strncmp(name, b->prefix[i], strlen(b->prefix[i])) == 0)
			return true;
	return false;
}

/* The next entry of the queue for the caller: 1, or 0 when empty. */
static int
nvbus_hand_out(struct nvbus *b, struct nvbus_event *ev, int *rc)
{
	struct nvbus_msg	*m;

	while ((m = nvbus_pop(b)) != NULL) {
		nvbus_msg_free(b->cur);
		b->cur = m;
		if (m->lost > 0) {
			memset(ev, 0, sizeof(*ev));
			ev->lost_from = m->lost_from;
			ev->lost = m->lost;
			ev->serial = m->lost_from + m->lost - 1;
			b->last = ev->serial;
			*rc = NVBUS_LOST;
			return 1;
		}
		b->last = m->serial;
		if (!nvbus_wanted(b, m->name))
			continue;
		(void)nvbus_parse(m->data, m->len, ev);
		ev->name = m->name;
		ev->caught_up = m->caught_up;
		*rc = NVBUS_EVENT;
		return 1;
	}
	return 0;
}

/* Fill the gap before serial from the ring, or mark it lost. */
static void
nvbus_gap(struct nvbus *b, uint64_t serial)
{
	if (b->rpc != NULL)
		(void)nvbus_rpc_catch_up(b, serial - 1);
	if (b->qnext < serial)
		nvbus_take_lost(b, b->qnext, serial - b->qnext);
}

/* One message from the socket into the queue: 1, 0 if none, -1. */
static int
nvbus_recv(struct nvbus *b)
{
	struct nvbus_msg	*m;
	void			*buf;
	int			 n;

	if ((n = nn_recv(b->sock, &buf, NN_MSG, NN_DONTWAIT)) == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		nvbus_seterr(b, "receive: %s", nn_strerror(errno));
		return -1;
	}
	m = nvbus_msg_new(buf, (size_t)n);
	nn_freemsg(buf);
	if (m == NULL)		/* not ours, or out of memory: skip */
		return 1;
	/*
	 * One daemon's messages come up the socket in serial order, with
	 * gaps but never back: a serial that goes back is a new daemon,
	 * counting from 1 again, to be followed from its first. One below
	 * qnext that does not go back is a copy of what the ring already
	 * gave (nvbus_take drops it), however long it sat in the buffers.
	 */
	if (b->qnext != 0 && b->live_last != 0 && m->serial <= b->live_last)
		b->qnext = 1;
	b->live_last = m->serial;
	if (b->qnext != 0 && m->serial > b->qnext)
		nvbus_gap(b, m->serial);
	nvbus_take(b, m);
	return 1;
}

int
nvbus_next(struct nvbus *b, int timeout_ms, struct nvbus_event *ev)
{
	struct pollfd	 pfd;
	long long	 deadline = 0, left;
	int		 rc, wait, got;

	if (timeout_ms >= 0)
		deadline = nvbus_now_ms() + timeout_ms;
	for (;;) {
		if (b->want_catchup && b->rpc != NULL) {
			b->want_catchup = false;
			(void)nvbus_rpc_catch_up(b, 0);
		}
		if (nvbus_hand_out(b, ev, &rc))
			return rc;
		if ((got = nvbus_recv(b)) == -1)
			return NVBUS_ERROR;
		if (got == 1)
			continue;
		wait = NVBUS_IDLE_MS;
		if (timeout_ms >= 0) {
			left = deadline - nvbus_now_ms();
			if (left <= 0)
				return NVBUS_TIMEOUT;
			if (left < wait)
				wait = (int)left;
		}
		pfd.fd = b->fd;
		pfd.events = POLLIN;
		if ((rc = poll(&pfd, 1, wait)) == -1 && errno != EINTR) {
			nvbus_seterr(b, "poll: %s", strerror(errno));
			return NVBUS_ERROR;
		}
		/* quiet: did the daemon publish what never reached us? */
		if (rc == 0 && b->qnext != 0 && b->rpc != NULL)
			(void)nvbus_rpc_catch_up(b, 0);
	}
}
