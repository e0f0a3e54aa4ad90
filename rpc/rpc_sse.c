/*
 * rpc_sse.c: GET /events, the bus as Server-Sent Events. Each event is
 * one message:
 *
 *	id: <bus serial>
 *	data: {"type":"PROCESS_STATE_RUNNING","serial":12,...,"payload":"..."}
 *
 * with the event's fields and Supervisor's serialization of its payload
 * (what a stdin listener gets). ?type=P1,P2 keeps the events whose name
 * starts with one of the prefixes. As for listeners, PROCESS_LOG_* is an
 * event only for programs with stdout/stderr_events_enabled.
 *
 * A client that reads slower than events come must not hold the daemon
 * back nor make it grow without bound: each client has a queue of at
 * most RPC_SSE_QUEUE_MAX bytes. Events that do not fit are not queued;
 * once there is room again the client gets one message saying which
 * serials it missed ({"type":"GAP","first":a,"last":b,"missed":n}), so
 * nothing is lost silently. A comment line every RPC_SSE_KEEPALIVE
 * seconds keeps proxies and idle timeouts from closing a quiet stream.
 */
#include "config.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ev.h>

#include "bus.h"
#include "log.h"
#include "rpc_int.h"
#include "rpc_http_int.h"

/* Room for a burst: the bus hands a whole burst to the handler before
 * the HTTP side gets to write (stopping 1,000 processes: about 1 MiB). */
#define RPC_SSE_QUEUE_MAX	(4 * 1024 * 1024)
#define RPC_SSE_KEEPALIVE	15.0
#define RPC_SSE_PREFIXES	16
#define RPC_SSE_HELLO		": nanovisor event stream\n\n"
#define RPC_SSE_PING		": keepalive\n\n"

/* One client's stream; owner: the request that serves it. */
struct rpc_sse {
	struct rpc	*rpc;
	char		*types;			/* copy of ?type= */
	const char	*prefix[RPC_SSE_PREFIXES];
	size_t		 nprefix;		/* 0: every event */
	struct rpc_buf	 q;			/* queued bytes */
	size_t		 off;			/* q sent up to */
	uint64_t	 gap_first, gap_last, gap_n;
	ev_timer	 ping;
	rpc_tail_wake	*wake;
	void		*arg;
};

static size_t
rpc_sse_queued(const struct rpc_sse *s)
{
	return s->q.len - s->off;
}

/* Make room at the end by dropping what was sent. */
static void
rpc_sse_compact(struct rpc_sse *s)
{
	if (s->off == 0)
		return;
	memmove(s->q.p, s->q.p + s->off, s->q.len - s->off);
	s->q.len -= s->off;
	s->off = 0;
}

/* JSON string of len bytes; bytes that are not UTF-8 become U+FFFD. */
static void
rpc_sse_json_str(struct rpc_buf *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t	 i = 0, n, k;
	char	 esc[8];

	rpc_buf_add(b, "\"", 1);
	while (i < len) {
		unsigned char c = p[i];

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = c;
			rpc_buf_add(b, esc, 2);
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			rpc_buf_add(b, esc, 6);
			i++;
			continue;
		}
		if (c < 0x80) {
			rpc_buf_add(b, s + i, 1);
			i++;
			continue;
		}
		/* length of a well-formed sequence, or 0 */
		n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 :
		    c >= 0xf0 && c <= 0xf4 ? 4 : 0;
		if (n == 0 || i + n > len)
			n = 0;
		for (k = 1; k < n; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				n = 0;
		if (n == 3 && ((c == 0xe0 && p[i + 1] < 0xa0) ||
		    (c == 0xed && p[i + 1] >= 0xa0)))
			n = 0;
		if (n == 4 && ((c == 0xf0 && p[i + 1] < 0x90) ||
		    (c == 0xf4 && p[i + 1] >= 0x90)))
			n = 0;
		if (n == 0) {
			rpc_buf_add(b, "\\ufffd", 6);
			i++;
			continue;
		}
		rpc_buf_add(b, s + i, n);
		i += n;
	}
	rpc_buf_add(b, "\"", 1);
}

static void
rpc_sse_json_kstr(struct rpc_buf *b, const char *key, const char *s,
    size_t len)
{
	rpc_buf_add(b, ",\"", 2);
	rpc_buf_add(b, key, strlen(key));
	rpc_buf_add(b, "\":", 2);
	rpc_sse_json_str(b, s, len);
}

static void
rpc_sse_json_kint(struct rpc_buf *b, const char *key, long long v)
{
	char	 num[64];
	int	 n;

	n = snprintf(num, sizeof(num), ",\"%s\":%lld", key, v);
	rpc_buf_add(b, num, n);
}

/* The message for one event, appended to b. */
static void
rpc_sse_format(struct rpc_buf *b, const struct bus_event *ev)
{
	const char *name = bus_type_name(ev->type);
	char	 head[64];
	int	 n;

	n = snprintf(head, sizeof(head), "id: %" PRIu64 "\ndata: {\"type\":",
	    ev->serial);
	rpc_buf_add(b, head, n);
	rpc_sse_json_str(b, name, strlen(name));
	rpc_sse_json_kint(b, "serial", (long long)ev->serial);
	if (ev->processname != NULL)
		rpc_sse_json_kstr(b, "processname", ev->processname,
		    strlen(ev->processname));
	if (ev->groupname != NULL)
		rpc_sse_json_kstr(b, "groupname", ev->groupname,
		    strlen(ev->groupname));
	if (ev->pid > 0)
		rpc_sse_json_kint(b, "pid", ev->pid);
	if (ev->from_state != NULL) {
		rpc_sse_json_kstr(b, "from_state", ev->from_state,
		    strlen(ev->from_state));
		if (ev->type == BUS_PROCESS_STATE_STARTING ||
		    ev->type == BUS_PROCESS_STATE_BACKOFF)
			rpc_sse_json_kint(b, "tries", ev->tries);
		if (ev->type == BUS_PROCESS_STATE_EXITED)
			rpc_sse_json_kint(b, "expected", ev->expected);
	}
	if (ev->spawnerr != NULL)
		rpc_sse_json_kstr(b, "spawnerr", ev->spawnerr,
		    strlen(ev->spawnerr));
	if (ev->comm_type != NULL)
		rpc_sse_json_kstr(b, "comm_type", ev->comm_type,
		    strlen(ev->comm_type));
	if (ev->data != NULL)
		rpc_sse_json_kstr(b, "data", ev->data, ev->datalen);
	if (ev->type == BUS_TICK_5 || ev->type == BUS_TICK_60 ||
	    ev->type == BUS_TICK_3600)
		rpc_sse_json_kint(b, "when", ev->when);
	rpc_sse_json_kstr(b, "payload", ev->payload != NULL ? ev->payload :
	    "", ev->payload != NULL ? ev->payloadlen : 0);
	rpc_buf_add(b, "}\n\n", 3);
}

/*
 * Say which events did not fit, once the client has read half of the
 * queue: a client that stays slow gets a few long gaps, not one per
 * event.
 */
static void
rpc_sse_flush_gap(struct rpc_sse *s)
{
	char	 msg[160];
	int	 n;

	if (s->gap_n == 0 || rpc_sse_queued(s) > RPC_SSE_QUEUE_MAX / 2)
		return;
	n = snprintf(msg, sizeof(msg), "data: {\"type\":\"GAP\",\"first\":%"
	    PRIu64 ",\"last\":%" PRIu64 ",\"missed\":%" PRIu64 "}\n\n",
	    s->gap_first, s->gap_last, s->gap_n);
	if (rpc_sse_queued(s) + n > RPC_SSE_QUEUE_MAX)
		return;
	rpc_sse_compact(s);
	rpc_buf_add(&s->q, msg, n);
	s->gap_n = 0;
}

static bool
rpc_sse_wanted(const struct rpc_sse *s, const char *name)
{
	size_t	 i;

	if (s->nprefix == 0)
		return true;
	for (i = 0; i < s->nprefix; i++)
		if (strncmp(name, s->prefix[i], strlen(s->prefix[i])) == 0)
			return true;
	return false;
}

static void
rpc_sse_on_event(const struct bus_event *ev, void *arg)
{
	struct rpc_sse	*s = arg;
	struct rpc_buf	 one = { NULL, 0, 0 };

	if (!rpc_sse_wanted(s, bus_type_name(ev->type)))
		return;
	/* as for listeners: output is an event only where enabled */
	if ((ev->type == BUS_PROCESS_LOG_STDOUT ||
	    ev->type == BUS_PROCESS_LOG_STDERR) && !ev->events_enabled)
		return;
	rpc_sse_format(&one, ev);
	rpc_sse_flush_gap(s);
	if (s->gap_n > 0 || rpc_sse_queued(s) + one.len > RPC_SSE_QUEUE_MAX) {
		if (s->gap_n++ == 0)
			s->gap_first = ev->serial;
		s->gap_last = ev->serial;
	} else {
		rpc_sse_compact(s);
		rpc_buf_add(&s->q, one.p, one.len);
	}
	rpc_buf_free(&one);
	s->wake(s->arg);
}

static void
rpc_sse_ping_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct rpc_sse	*s = w->data;

	if (rpc_sse_queued(s) > 0)
		return;
	rpc_sse_compact(s);
	rpc_buf_add(&s->q, RPC_SSE_PING, sizeof(RPC_SSE_PING) - 1);
	s->wake(s->arg);
}

/* Split "P1,P2" into prefixes; one prefix subscribes with it, several
 * (or none) subscribe to everything and filter here, so an event that
 * matches two prefixes still comes once and in order. */
struct rpc_sse *
rpc_sse_open(struct rpc *rpc, const char *types, rpc_tail_wake *wake,
    void *arg)
{
	struct rpc_sse	*s;
	char		*p, *tok, *save;

	s = xcalloc(1, sizeof(*s));
	s->rpc = rpc;
	s->wake = wake;
	s->arg = arg;
	s->types = xstrdup(types != NULL ? types : "");
	for (p = s->types; (tok = strtok_r(p, ", ", &save)) != NULL;
	    p = NULL) {
		if (s->nprefix == RPC_SSE_PREFIXES) {
			rpc_sse_close(s);
			return NULL;
		}
		s->prefix[s->nprefix++] = tok;
	}
	if (bus_subscribe(rpc->bus, s->nprefix == 1 ? s->prefix[0] : "",
	    rpc_sse_on_event, s) == -1) {
		rpc_sse_close(s);
		return NULL;
	}
	rpc_buf_add(&s->q, RPC_SSE_HELLO, sizeof(RPC_SSE_HELLO) - 1);
	ev_timer_init(&s->ping, rpc_sse_ping_cb, RPC_SSE_KEEPALIVE,
	    RPC_SSE_KEEPALIVE);
	s->ping.data = s;
	ev_timer_start(rpc->loop, &s->ping);
	return s;
}

size_t
rpc_sse_read(struct rpc_sse *s, char *buf, size_t max)
{
	size_t	 n;

	if (rpc_sse_queued(s) == 0)
		rpc_sse_flush_gap(s);
	if ((n = rpc_sse_queued(s)) == 0)
		return 0;
	if (n > max)
		n = max;
	memcpy(buf, s->q.p + s->off, n);
	s->off += n;
	if (s->off == s->q.len)
		s->off = s->q.len = 0;
	return n;
}

void
rpc_sse_close(struct rpc_sse *s)
{
	if (s == NULL)
		return;
	bus_unsubscribe(s->rpc->bus, rpc_sse_on_event, s);
	ev_timer_stop(s->rpc->loop, &s->ping);
	rpc_buf_free(&s->q);
	free(s->types);
	free(s);
}
