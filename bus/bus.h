/*
 * bus.h: the event bus. One nanomsg PUB socket inside supervisord; every
 * component that wants events subscribes by topic prefix.
 *
 * Wire format of one message (version 1, see README "The bus"):
 *
 *	EVENTNAME nv:1 serial:N [key:value ...] len:L\n<payload, L bytes>
 *
 * The payload is the event serialized exactly as Supervisor 4.2.5 sends it
 * to event listeners. The optional key:value tokens carry what internal
 * subscribers need beyond that payload (exit status, spawn error, ...);
 * their values are percent-encoded (%20 space, %25 percent, %0A newline).
 */
#ifndef NV_BUS_H
#define NV_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct ev_loop;

enum bus_type {
#define BUS_MSG(id, codec)	BUS_##id,
#include "bus_msgs.def"
#undef BUS_MSG
	BUS_NTYPES
};

/*
 * One event, as plain data. A publisher fills the fields its type uses and
 * leaves the rest zero (BUS_EVENT_ZERO). A subscriber gets a decoded copy
 * whose strings point into the received message: valid only during the
 * handler call. Copy what you keep.
 */
struct bus_event {
	enum bus_type	 type;
	uint64_t	 serial;	/* set by bus_publish */

	/* PROCESS_STATE_*, PROCESS_LOG_*, PROCESS_COMMUNICATION_* */
	const char	*processname;
	const char	*groupname;	/* also PROCESS_GROUP_* */
	pid_t		 pid;

	/* PROCESS_STATE_*: Supervisor's payload fields */
	const char	*from_state;	/* "STARTING", ... */
	int		 tries;		/* STARTING, BACKOFF */
	int		 expected;	/* EXITED: 0 or 1 (payload); STOPPED
					   after a reap: exit status was in
					   exitcodes (header token) */

	/* PROCESS_STATE_*: extras for the main log (header tokens) */
	int		 exitstatus;	/* -1 after death by signal */
	int		 termsig;	/* >0: killed by this signal */
	bool		 core;		/* dumped core */
	bool		 reaped;	/* the state change came from a reap */
	int		 startsecs;	/* RUNNING reached by startsecs: >=0 */
	const char	*spawnerr;	/* BACKOFF after a failed spawn */
	bool		 gave_up;	/* FATAL: too many start retries */

	/* PROCESS_LOG_*, PROCESS_COMMUNICATION_*, REMOTE_COMMUNICATION */
	const char	*data;
	size_t		 datalen;
	bool		 events_enabled; /* PROCESS_LOG_*: program has
					    stdout/stderr_events_enabled */
	const char	*comm_type;	/* REMOTE_COMMUNICATION "type:" */

	/* TICK_*: epoch seconds floored to the period */
	long long	 when;

	/* Fire drill (nanovisor.fireEvent): the payload starts with
	 * "synthetic:1"; components that act on events skip it, only
	 * listeners and outside readers see it. */
	bool		 synthetic;

	/* Received events only: Supervisor's serialized payload. */
	const char	*payload;
	size_t		 payloadlen;
};
#define BUS_EVENT_ZERO	{ .type = BUS_NTYPES, .startsecs = -1 }

const char	*bus_type_name(enum bus_type);
int		 bus_type_from_name(const char *, enum bus_type *);

/*
 * Codec, used by the bus itself and by anyone reading the external
 * endpoint. bus_encode returns a malloc'd message and its length.
 * bus_decode parses msg in place (it writes NULs into it): the event's
 * strings point into msg. Returns 0, or -1 for a malformed message.
 */
char		*bus_encode(const struct bus_event *, uint64_t serial,
		    size_t *lenp);
int		 bus_decode(char *msg, size_t len, struct bus_event *);

/* The bus inside supervisord. */
struct bus;
typedef void bus_handler(const struct bus_event *, void *arg);

struct bus	*bus_open(struct ev_loop *);
void		 bus_close(struct bus *);

/*
 * Subscribe to every event whose name starts with prefix ("" for all).
 * Each subscription is an inproc SUB socket with a receive buffer sized
 * so that no burst is lost; the handler runs from the loop.
 */
int		 bus_subscribe(struct bus *, const char *prefix, bus_handler *,
		    void *arg);

/*
 * Drop every subscription made with this handler and arg; the handler is
 * not called again (it may be running: then it is dropped on return).
 */
void		 bus_unsubscribe(struct bus *, bus_handler *, void *arg);

/* Serialize and publish; returns the event's bus serial. */
uint64_t	 bus_publish(struct bus *, const struct bus_event *);

/*
 * Also publish on an external ipc:// or tcp:// endpoint, in place of the
 * one bound before. When the new one cannot be bound the old one stays,
 * unless the address was in use (perhaps by the old one itself): then
 * the old one is unbound and the bind tried once more. Unbind it.
 */
int		 bus_bind_external(struct bus *, const char *url, char *err,
		    size_t errlen);
void		 bus_unbind_external(struct bus *);

/*
 * Publish TICK_5 / TICK_60 / TICK_3600 as the wall clock crosses each
 * period's boundary (one ev_periodic every 5 s; none at start).
 */
void		 bus_tick_start(struct bus *);

/*
 * Ring of the last published messages, for subscribers catching up
 * (bus_ring.c). Holds at most maxmsgs messages and maxbytes message bytes,
 * dropping the oldest; serials in it are consecutive.
 */
struct bus_ring;
struct bus_ring_stats {
	size_t		 count;		/* messages held */
	size_t		 bytes;		/* their total length */
	size_t		 maxmsgs;
	size_t		 maxbytes;
	uint64_t	 oldest;	/* 0, 0 when empty */
	uint64_t	 newest;
};

struct bus_ring	*bus_ring_new(size_t maxmsgs, size_t maxbytes);
void		 bus_ring_free(struct bus_ring *);
void		 bus_ring_put(struct bus_ring *, uint64_t serial,
		    const char *msg, size_t len);
/* A new ring with the newest messages of old that fit (frees old). */
struct bus_ring	*bus_ring_resize(struct bus_ring *old, size_t maxmsgs,
		    size_t maxbytes);
void		 bus_ring_stats(const struct bus_ring *, struct bus_ring_stats *);
/* The message with this serial, borrowed until the next put; or -1. */
int		 bus_ring_get(const struct bus_ring *, uint64_t serial,
		    const char **msgp, size_t *lenp);

/*
 * The bus keeps its ring filled from bus_publish. Sizes of 0 turn it off;
 * a change keeps the newest messages that fit.
 */
void		 bus_ring_configure(struct bus *, size_t maxmsgs,
		    size_t maxbytes);
const struct bus_ring *bus_get_ring(const struct bus *);

/*
 * Flight recorder (bus_record.c): every event appended to path with its
 * wall-clock time, as a subscriber of everything. When the file would
 * pass maxbytes it is renamed to path.1 (replacing it) and a new one is
 * started, so at most twice maxbytes is on disk. NULL path: off.
 * Returns 0, or -1 with err when the file cannot be opened.
 */
int		 bus_record_configure(struct bus *, const char *path,
		    long long maxbytes, char *err, size_t errlen);

/*
 * Counters for status and tests. bus_external_dropped: messages the
 * external endpoint did not send, because nobody was connected (counted
 * once) or because a subscriber was too far behind (once per such
 * subscriber). bus_external_subscribers: connected now.
 * bus_external_url: the endpoint bound now, or NULL.
 */
uint64_t	 bus_published(const struct bus *);
uint64_t	 bus_external_dropped(const struct bus *);
size_t		 bus_external_subscribers(const struct bus *);
const char	*bus_external_url(const struct bus *);

/* Deliver everything queued to internal subscribers now (tests). */
void		 bus_drain(struct bus *);

/*
 * Deliver what is queued for the subscriptions made with this handler and
 * arg only (none that is already inside its handler). The main log uses
 * it to write the lines it derives from events before a line logged
 * directly, so the log keeps the order in which things happened.
 */
void		 bus_drain_for(struct bus *, bus_handler *, void *arg);

#endif
