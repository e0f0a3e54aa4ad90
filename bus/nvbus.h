/*
 * nvbus.h: a client of nanovisor's event bus, for programs outside
 * supervisord. Link with `pkg-config --cflags --libs nvbus`.
 *
 *	struct nvbus		*b;
 *	struct nvbus_event	 ev;
 *	char			 err[256];
 *
 *	b = nvbus_connect("ipc:///run/nanovisor.bus",
 *	    "unix:///run/supervisor.sock", err, sizeof(err));
 *	nvbus_subscribe(b, "PROCESS_STATE");
 *	for (;;)
 *		switch (nvbus_next(b, 1000, &ev)) {
 *		case NVBUS_EVENT:	... ev.name, ev.payload ...
 *		case NVBUS_LOST:	... ev.lost_from, ev.lost ...
 *		case NVBUS_TIMEOUT:	continue;
 *		case NVBUS_ERROR:	... nvbus_error(b) ...
 *		}
 *
 * Every bus message carries a serial that grows by one per event. The
 * library subscribes to every message on the socket and filters by
 * prefix itself, so a jump in the serials always means messages were
 * dropped (nanomsg drops what a slow reader cannot take). It then asks
 * supervisord for them over XML-RPC (nanovisor.getEvents) and hands them
 * over in order; those the daemon's ring no longer holds come out as one
 * NVBUS_LOST result. Events come out exactly once, in serial order.
 * When supervisord restarts, its serials start again at 1: the library
 * notices and goes on from the new daemon's first event.
 */
#ifndef NVBUS_H
#define NVBUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nvbus;

/* One event; its strings are valid until the next nvbus_next call. */
struct nvbus_event {
	uint64_t	 serial;
	const char	*name;		/* e.g. "PROCESS_STATE_RUNNING" */
	const char	*payload;	/* Supervisor's serialization */
	size_t		 payloadlen;
	const char	*msg;		/* the whole wire message */
	size_t		 msglen;
	bool		 synthetic;	/* a fire drill */
	bool		 caught_up;	/* came over XML-RPC, not the socket */
	uint64_t	 lost_from;	/* NVBUS_LOST: first serial lost */
	uint64_t	 lost;		/* NVBUS_LOST: how many */
};

#define NVBUS_ERROR	(-1)
#define NVBUS_TIMEOUT	0
#define NVBUS_EVENT	1
#define NVBUS_LOST	2

/*
 * bus_url: supervisord's bus_endpoint (ipc:// or tcp://). rpc_url: its
 * XML-RPC server, "http://host:port" or "unix:///path/to/socket" (a path
 * of /RPC2 is implied), or NULL: then gaps cannot be filled and come out
 * as NVBUS_LOST. NULL with err on failure.
 */
struct nvbus	*nvbus_connect(const char *bus_url, const char *rpc_url,
		    char *err, size_t errlen);
void		 nvbus_close(struct nvbus *);

/* HTTP basic authentication for the XML-RPC server. */
void		 nvbus_auth(struct nvbus *, const char *user,
		    const char *password);

/* Only events whose name starts with prefix (several add up; none: all). */
int		 nvbus_subscribe(struct nvbus *, const char *prefix);

/*
 * Start after this serial: the next events are serial + 1 onwards, the
 * older ones fetched from the daemon's ring first. Without it, the first
 * event received sets the start. Call before the first nvbus_next.
 */
void		 nvbus_start_after(struct nvbus *, uint64_t serial);

/*
 * The next event, waiting at most timeout_ms (-1: forever). While the
 * socket stays quiet the library asks the daemon now and then whether
 * events were published that it never received.
 */
int		 nvbus_next(struct nvbus *, int timeout_ms,
		    struct nvbus_event *);

/* The serial of the last event handed out (or lost), 0 at first. */
uint64_t	 nvbus_last_serial(const struct nvbus *);

/* The daemon's last published serial (nanovisor.getBusInfo), or -1. */
int		 nvbus_daemon_serial(struct nvbus *, uint64_t *);

/* What the last NVBUS_ERROR or failed call was about. */
const char	*nvbus_error(const struct nvbus *);

/*
 * Parse a wire message (header line, then payload) into ev, pointing into
 * msg. 0, or -1 when it is not a version 1 message.
 */
int		 nvbus_parse(const char *msg, size_t len, struct nvbus_event *);

#endif
