/*
 * bus_int.h: shared by the files in bus/ only. Other folders use bus.h.
 */
#ifndef NV_BUS_INT_H
#define NV_BUS_INT_H

#include <ev.h>

#include "bus.h"

struct bus_sub;

/* The bus: owns its sockets, subscriptions and watchers. */
struct bus {
	struct ev_loop	*loop;		/* borrowed */
	int		 pub;		/* inproc PUB, internal subscribers */
	struct bus_ext	*ext;		/* bus_bind_external's, or NULL */
	int		 in;		/* SUB for every subscription, or -1 */
	ev_io		 inio;		/* on in's NN_RCVFD */
	size_t		 queued;	/* references in subscription queues */
	char		 url[64];	/* pub's inproc address */
	uint64_t	 serial;	/* last serial published */
	uint64_t	 ext_dropped;	/* of endpoints closed before */
	struct bus_sub	*subs;		/* owned, in subscription order */
	struct bus_sub	**subs_tail;
	int		 depth;		/* deliveries on the stack */
	bool		 reap;		/* some subscription is dead */
	ev_periodic	 tick;		/* bus_tick.c */
	ev_tstamp	 tick_prev;	/* time of the previous firing */
	bool		 ticking;
	struct bus_ring	*ring;		/* owned, or NULL: off */
	struct bus_rec	*rec;		/* owned, or NULL: off */
};

/*
 * The external endpoint (bus_ext.c): listens on an ipc:// or tcp:// URL
 * and sends every message to each connected nanomsg subscriber. unsent
 * counts the messages sent while nobody was connected plus, for each
 * subscriber, those it missed because it was too far behind.
 */
struct bus_ext;
struct bus_ext	*bus_ext_open(struct ev_loop *, const char *url, char *err,
		    size_t errlen);
void		 bus_ext_close(struct bus_ext *);
void		 bus_ext_send(struct bus_ext *, const void *msg, size_t len);
uint64_t	 bus_ext_unsent(const struct bus_ext *);
size_t		 bus_ext_subscribers(const struct bus_ext *);
const char	*bus_ext_url(const struct bus_ext *);

struct bus_rec;
void	 bus_record_close(struct bus *);

/*
 * Decode a message whose header line (without its '\n') and payload are
 * in separate buffers. Writes only into hdr, never into payload: internal
 * subscribers share one read-only message body.
 */
int	 bus_decode_parts(char *hdr, size_t hdrlen, const char *payload,
	    size_t payloadlen, struct bus_event *);

/* Encoding in two steps, so the caller chooses where the bytes go. */
size_t	 bus_encode_size(const struct bus_event *, uint64_t serial);
void	 bus_encode_write(const struct bus_event *, uint64_t serial,
	    char *buf, size_t len);

/*
 * Ticks due when the clock went from prev to now: a TICK_<P> for each
 * period P where prev and now floor to different multiples of P (a
 * boundary was crossed, or the clock stepped back), with when = now
 * floored to P. Fills out[] in the order 5, 60, 3600; returns how many.
 */
#define BUS_TICK_MAX	3
int	 bus_tick_due(double prev, double now, struct bus_event *out);

void	 bus_tick_stop(struct bus *);

#endif
