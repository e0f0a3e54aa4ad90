/*
 * bus_tick.c: TICK_5, TICK_60 and TICK_3600.
 *
 * One ev_periodic fires at every wall-clock multiple of 5 s. Each firing
 * compares the time slices of the previous firing and of now, the way
 * Supervisor compares its remembered slice with the current one, so a
 * late firing still yields each crossed period once, floored to it.
 */
#include "config.h"

#include <ev.h>

#include "bus.h"
#include "bus_int.h"

static const struct {
	enum bus_type	 type;
	long long	 period;
} bus_tick_periods[BUS_TICK_MAX] = {
	{ BUS_TICK_5,		5 },
	{ BUS_TICK_60,		60 },
	{ BUS_TICK_3600,	3600 },
};

/* Floor to a multiple of period, also for times before the epoch. */
static long long
bus_tick_floor(double t, long long period)
{
	long long	 s = (long long)t, r;

	if ((double)s > t)
		s--;
	if ((r = s % period) < 0)
		r += period;
	return s - r;
}

int
bus_tick_due(double prev, double now, struct bus_event *out)
{
	struct bus_event	 zero = BUS_EVENT_ZERO;
	long long		 p, slice;
	int			 i, n = 0;

	for (i = 0; i < BUS_TICK_MAX; i++) {
		p = bus_tick_periods[i].period;
		slice = bus_tick_floor(now, p);
		if (slice == bus_tick_floor(prev, p))
			continue;
		out[n] = zero;
		out[n].type = bus_tick_periods[i].type;
		out[n].when = slice;
		n++;
	}
	return n;
}

static void
bus_tick_fire(struct ev_loop *loop, ev_periodic *w, int revents)
{
	struct bus		*b = w->data;
	struct bus_event	 ev[BUS_TICK_MAX];
	ev_tstamp		 now = ev_now(loop);
	int			 i, n;

	n = bus_tick_due(b->tick_prev, now, ev);
	b->tick_prev = now;
	for (i = 0; i < n; i++)
		bus_publish(b, &ev[i]);
}

void
bus_tick_start(struct bus *b)
{
	if (b->ticking)
		return;
	ev_periodic_init(&b->tick, bus_tick_fire, 0., 5., 0);
	b->tick.data = b;
	/* Not ev_now: the loop's cached time may be stale before ev_run. */
	b->tick_prev = ev_time();
	ev_periodic_start(b->loop, &b->tick);
	b->ticking = true;
}

void
bus_tick_stop(struct bus *b)
{
	if (!b->ticking)
		return;
	ev_periodic_stop(b->loop, &b->tick);
	b->ticking = false;
}
