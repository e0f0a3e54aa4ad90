/*
 * lp.h: event listener pools. Each [eventlistener:x] group is a pool fed
 * from the bus: the events its events= line names are buffered (at most
 * buffer_size) and written, one at a time, to whichever of its processes
 * is RUNNING and has said READY, in Supervisor 4.2.5's listener protocol.
 * Pools appear with PROCESS_GROUP_ADDED and go with PROCESS_GROUP_REMOVED;
 * what a listener answers arrives as PROCESS_LOG_STDOUT of that listener.
 */
#ifndef NV_LP_H
#define NV_LP_H

#include <stddef.h>
#include <stdint.h>

struct ev_loop;
struct bus;
struct pm;
struct pm_config;

struct lp;

/* Per pool counters, since the pool was added. */
struct lp_pool_stats {
	uint64_t	 accepted;	/* events the pool took in */
	uint64_t	 delivered;	/* answered "OK" */
	uint64_t	 rebuffered;	/* rejected, or the listener died */
	uint64_t	 dropped;	/* discarded by a full buffer */
	size_t		 buffered;	/* waiting now */
	size_t		 buffer_size;
	/* From writing an event to a listener to its OK, over delivered. */
	double		 latency_sum;	/* seconds */
	double		 latency_max;
};

/*
 * Subscribe to the bus (once, to everything) and keep a pool per listener
 * group from then on. cfg gives the server identifier; it is copied.
 */
struct lp	*lp_new(struct ev_loop *, struct bus *, struct pm *,
		    const struct pm_config *);
void		 lp_free(struct lp *);

/* After a reload: take the new identifier. Pools and serials stay. */
void		 lp_set_config(struct lp *, const struct pm_config *);

/* 0 and the counters of pool name, or -1 (ENOENT) if there is none. */
int		 lp_pool_stats(const struct lp *, const char *name,
		    struct lp_pool_stats *);

#endif
