/*
 * lp_pool.c: listener pools fed from the bus.
 *
 * One subscription to every event keeps their order. For each event:
 * first the bookkeeping it implies (a pool added or removed, a listener's
 * process state, a listener's stdout read as protocol), then the pools
 * whose events= match take it into their FIFO, then the pools that
 * changed try to dispatch. Nothing polls: a pool dispatches when an event
 * arrives, a listener says READY, or a listener enters RUNNING.
 *
 * The global serial is assigned when the first pool takes an event, so
 * every pool sees the same one and events nobody wants use none; it
 * survives reloads. Each pool numbers what it takes (poolserial) from 0.
 * An event a listener rejects, or holds when it dies, goes back to the
 * head of its own pool only (4.2.5 also offers it to unrelated pools of
 * the same priority; we do not).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bus.h"
#include "log.h"
#include "lp.h"
#include "lp_int.h"
#include "pm.h"

/* One listener process; owned by its pool. */
struct lp_proc {
	char		*name;
	struct lp_pool	*pool;
	bool		 running;	/* PROCESS_STATE_RUNNING seen last */
	pid_t		 pid;
	struct lp_proto	 proto;
	struct lp_item	 cur;		/* the event it holds while BUSY */
	double		 sent_at;	/* cur written at (monotonic) */
};

/* One [eventlistener:x] group; owned by struct lp, from its
 * PROCESS_GROUP_ADDED to its PROCESS_GROUP_REMOVED. */
struct lp_pool {
	struct lp	*lp;
	char		*name;
	uint32_t	 mask;		/* 1 << bus_type it takes */
	int		 buffer_size;
	struct lp_buf	 buf;
	struct lp_proc	*procs;		/* pool order: priority, name */
	size_t		 nprocs;
	uint64_t	 serial;	/* next poolserial */
	bool		 dirty;		/* worth a dispatch */
	struct lp_pool_stats st;
};

/* The dispatcher; owns every pool and the envelope scratch buffer. */
struct lp {
	struct bus	*bus;
	struct pm	*pm;
	char		*identifier;
	uint64_t	 serial;	/* next global serial */
	struct lp_pool	**pools;
	size_t		 npools;
	char		*out;		/* envelope being written */
	size_t		 outcap;
};

/* ---- the FIFO ---- */

void
lp_buf_init(struct lp_buf *b, size_t max)
{
	b->max = max > 0 ? max : 1;
	b->items = xcalloc(b->max, sizeof(*b->items));
	b->head = b->count = 0;
}

void
lp_buf_free(struct lp_buf *b)
{
	struct lp_item	 it;

	while (lp_buf_pop(b, &it))
		lp_event_unref(it.ev);
	free(b->items);
	b->items = NULL;
}

bool
lp_buf_pop(struct lp_buf *b, struct lp_item *it)
{
	if (b->count == 0)
		return false;
	*it = b->items[b->head];
	b->head = (b->head + 1) % b->max;
	b->count--;
	return true;
}

bool
lp_buf_push(struct lp_buf *b, struct lp_item it, bool head,
    struct lp_item *dropped)
{
	bool	 full = b->count == b->max;

	if (full)
		lp_buf_pop(b, dropped);
	if (head) {
		b->head = (b->head + b->max - 1) % b->max;
		b->items[b->head] = it;
	} else
		b->items[(b->head + b->count) % b->max] = it;
	b->count++;
	return full;
}

/* ---- pools ---- */

static struct lp_pool *
lp_pool_find(struct lp *lp, const char *name, size_t *idx)
{
	size_t	 i;

	for (i = 0; i < lp->npools; i++)
		if (strcmp(lp->pools[i]->name, name) == 0) {
			if (idx != NULL)
				*idx = i;
			return lp->pools[i];
		}
	return NULL;
}

static struct lp_proc *
lp_proc_find(struct lp *lp, const char *group, const char *name)
{
	struct lp_pool	*pool;
	size_t		 i;

	if (group == NULL || name == NULL ||
	    (pool = lp_pool_find(lp, group, NULL)) == NULL)
		return NULL;
	for (i = 0; i < pool->nprocs; i++)
		if (strcmp(pool->procs[i].name, name) == 0)
			return &pool->procs[i];
	return NULL;
}

/* Put an item in; at the head it is a rebuffered one. */
static void
lp_pool_take(struct lp_pool *pool, struct lp_item it, bool head)
{
	struct lp_item	 old;

	if (head)
		log_debug("rebuffering event %" PRIu64 " for pool %s "
		    "(buf size=%zu, max=%d)", it.ev->serial, pool->name,
		    pool->buf.count, pool->buffer_size);
	if (lp_buf_push(&pool->buf, it, head, &old)) {
		log_msg(LOG_ERRO, "pool %s event buffer overflowed, "
		    "discarding event %" PRIu64, pool->name, old.ev->serial);
		pool->st.dropped++;
		lp_event_unref(old.ev);
	}
	pool->dirty = true;
}

/* The event a listener held goes back to the head of its pool. */
static void
lp_proc_requeue(struct lp_proc *p)
{
	struct lp_item	 it = p->cur;

	if (it.ev == NULL)
		return;
	p->cur.ev = NULL;
	p->pool->st.rebuffered++;
	lp_pool_take(p->pool, it, true);
}

static void
lp_pool_free(struct lp_pool *pool)
{
	size_t	 i;

	for (i = 0; i < pool->nprocs; i++) {
		lp_event_unref(pool->procs[i].cur.ev);
		lp_proto_free(&pool->procs[i].proto);
		free(pool->procs[i].name);
	}
	free(pool->procs);
	lp_buf_free(&pool->buf);
	free(pool->name);
	free(pool);
}

static void
lp_pool_add(struct lp *lp, const char *name)
{
	const struct pm_groupconf *gc;
	struct lp_pool	*pool;
	struct lp_proto	 zero = LP_PROTO_ZERO;
	uint32_t	 mask;
	size_t		 i;

	if ((gc = pm_group_conf(lp->pm, name)) == NULL ||
	    gc->type != PM_GROUP_LISTENER || lp_pool_find(lp, name, NULL))
		return;
	if (lp_events_mask(gc->events, &mask) == -1)
		fatalx("%s: pool %s subscribes to an unknown event type",
		    __func__, name);
	pool = xcalloc(1, sizeof(*pool));
	pool->lp = lp;
	pool->name = xstrdup(name);
	pool->mask = mask;
	pool->buffer_size = gc->buffer_size;
	lp_buf_init(&pool->buf, gc->buffer_size);
	pool->st.buffer_size = pool->buf.max;
	pool->nprocs = gc->nprocs;
	pool->procs = xcalloc(gc->nprocs, sizeof(*pool->procs));
	for (i = 0; i < gc->nprocs; i++) {
		pool->procs[i].name = xstrdup(gc->procs[i].name);
		pool->procs[i].pool = pool;
		pool->procs[i].proto = zero;
	}
	lp->pools = xreallocarray(lp->pools, lp->npools + 1,
	    sizeof(*lp->pools));
	lp->pools[lp->npools++] = pool;
}

static void
lp_pool_remove(struct lp *lp, const char *name)
{
	size_t	 idx;

	if (lp_pool_find(lp, name, &idx) == NULL)
		return;
	lp_pool_free(lp->pools[idx]);
	memmove(&lp->pools[idx], &lp->pools[idx + 1],
	    (lp->npools - idx - 1) * sizeof(*lp->pools));
	lp->npools--;
}

/* ---- dispatch ---- */

static double
lp_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Write the envelope to p; -1 if its stdin is gone. */
static int
lp_proc_send(struct lp_proc *p, const struct lp_item *it)
{
	struct lp	*lp = p->pool->lp;
	char		*hdr;
	size_t		 hlen;
	enum pm_result	 r;

	hdr = lp_envelope_header(lp->identifier, it->ev->serial,
	    p->pool->name, it->poolserial, it->ev, &hlen);
	if (hlen + it->ev->len > lp->outcap) {
		lp->outcap = hlen + it->ev->len;
		lp->out = xrealloc(lp->out, lp->outcap);
	}
	memcpy(lp->out, hdr, hlen);
	memcpy(lp->out + hlen, it->ev->payload, it->ev->len);
	free(hdr);
	r = pm_proc_write_stdin(lp->pm, p->pool->name, p->name, lp->out,
	    hlen + it->ev->len);
	return r == PM_OK ? 0 : -1;
}

/* Hand it to the first RUNNING, READY listener; false if none took it. */
static bool
lp_pool_deliver(struct lp_pool *pool, struct lp_item it)
{
	struct lp_proc	*p;
	size_t		 i;

	for (i = 0; i < pool->nprocs; i++) {
		p = &pool->procs[i];
		if (!p->running || p->proto.state != LP_READY)
			continue;
		if (lp_proc_send(p, &it) == -1) {
			log_debug("epipe occurred while sending event %" PRIu64
			    " to listener %s, listener state unchanged",
			    it.ev->serial, p->name);
			continue;
		}
		lp_proto_sent(&p->proto);
		p->cur = it;
		p->sent_at = lp_now();
		log_debug("event %" PRIu64 " sent to listener %s",
		    it.ev->serial, p->name);
		return true;
	}
	return false;
}

static bool
lp_pool_capable(const struct lp_pool *pool)
{
	size_t	 i;

	for (i = 0; i < pool->nprocs; i++)
		if (pool->procs[i].running &&
		    pool->procs[i].proto.state == LP_READY)
			return true;
	return false;
}

/* Oldest first, until the buffer or the ready listeners run out. */
static void
lp_pool_dispatch(struct lp_pool *pool)
{
	struct lp_item	 it;

	pool->dirty = false;
	if (!lp_pool_capable(pool))
		return;
	while (lp_buf_pop(&pool->buf, &it)) {
		if (!lp_pool_deliver(pool, it)) {
			lp_pool_take(pool, it, true);
			pool->dirty = false;
			break;
		}
	}
}

/* ---- what listeners write ---- */

static void
lp_proc_badline(const struct lp_proc *p, const char *line, size_t len)
{
	char	*repr;
	size_t	 rlen;

	if (lp_utf8_valid(line, len)) {
		log_warnx("%s: bad result line: '%.*s'", p->name, (int)len,
		    line);
		return;
	}
	repr = lp_bytes_repr(line, len, &rlen);
	log_warnx("%s: bad result line: 'Undecodable: %s'", p->name, repr);
	free(repr);
}

static void
lp_proc_act(const struct lp_act *a, void *arg)
{
	struct lp_proc	*p = arg;

	switch (a->type) {
	case LP_ACT_STATE:
		log_debug("%s: %s -> %s", p->name, lp_state_name(a->from),
		    lp_state_name(a->to));
		if (a->to == LP_UNKNOWN)
			log_warnx("%s: has entered the UNKNOWN state and will "
			    "no longer receive events, this usually indicates "
			    "the process violated the eventlistener protocol",
			    p->name);
		if (a->to == LP_READY)
			p->pool->dirty = true;
		break;
	case LP_ACT_BADLINE:
		lp_proc_badline(p, a->line, a->linelen);
		break;
	case LP_ACT_PROCESSED:
		log_debug("%s: event was processed", p->name);
		break;
	case LP_ACT_REJECTED:
		log_warnx("%s: event was rejected", p->name);
		break;
	case LP_ACT_DONE:
		if (p->cur.ev != NULL) {
			double lat = lp_now() - p->sent_at;

			p->pool->st.delivered++;
			p->pool->st.latency_sum += lat;
			if (lat > p->pool->st.latency_max)
				p->pool->st.latency_max = lat;
		}
		lp_event_unref(p->cur.ev);
		p->cur.ev = NULL;
		break;
	case LP_ACT_REQUEUE:
		lp_proc_requeue(p);
		break;
	}
}

/* ---- the bus ---- */

static void
lp_proc_state(struct lp_proc *p, const struct bus_event *bev)
{
	if (bev->type == BUS_PROCESS_STATE_STARTING) {
		lp_proto_reset(&p->proto);
		p->pid = bev->pid;
	}
	if (bev->type == BUS_PROCESS_STATE_RUNNING && bev->pid > 0)
		p->pid = bev->pid;
	p->running = bev->type == BUS_PROCESS_STATE_RUNNING;
	if (p->running)
		p->pool->dirty = true;
}

/* Dead or stopped while holding an event: the event goes back. */
static void
lp_proc_gone(struct lp_proc *p, const struct bus_event *bev)
{
	if (bev->type != BUS_PROCESS_STATE_RUNNING &&
	    bev->type != BUS_PROCESS_STATE_STOPPING)
		lp_proc_requeue(p);
}

/* bus_msgs.def keeps the PROCESS_STATE rows together, STOPPED first. */
_Static_assert(BUS_PROCESS_STATE_UNKNOWN - BUS_PROCESS_STATE_STOPPED == 7,
    "the eight PROCESS_STATE rows are contiguous");

static bool
lp_type_is_state(enum bus_type t)
{
	return t >= BUS_PROCESS_STATE_STOPPED && t <= BUS_PROCESS_STATE_UNKNOWN;
}

/* Offer the event to every pool that subscribes to it. */
static void
lp_accept(struct lp *lp, const struct bus_event *bev)
{
	struct lp_event	*ev = NULL;
	struct lp_pool	*pool;
	struct lp_item	 it;
	size_t		 i;

	if ((bev->type == BUS_PROCESS_LOG_STDOUT ||
	    bev->type == BUS_PROCESS_LOG_STDERR) && !bev->events_enabled)
		return;
	for (i = 0; i < lp->npools; i++) {
		pool = lp->pools[i];
		if ((pool->mask & (UINT32_C(1) << bev->type)) == 0)
			continue;
		if (ev == NULL)
			ev = lp_event_new(bev, lp->serial++);
		else
			lp_event_ref(ev);
		it.ev = ev;
		it.poolserial = pool->serial++;
		pool->st.accepted++;
		lp_pool_take(pool, it, false);
	}
}

static void
lp_on_event(const struct bus_event *bev, void *arg)
{
	struct lp	*lp = arg;
	struct lp_proc	*p = NULL;
	size_t		 i;

	/* a fire drill reaches listeners but changes no pool or process */
	if (bev->synthetic)
		;
	else if (bev->type == BUS_PROCESS_GROUP_ADDED)
		lp_pool_add(lp, bev->groupname);
	else if (bev->type == BUS_PROCESS_GROUP_REMOVED)
		lp_pool_remove(lp, bev->groupname);
	else if (lp_type_is_state(bev->type) || bev->type ==
	    BUS_PROCESS_LOG_STDOUT)
		p = lp_proc_find(lp, bev->groupname, bev->processname);

	if (p != NULL && bev->type == BUS_PROCESS_LOG_STDOUT) {
		/* A listener's stdout is the protocol, never an event. */
		if (p->pid <= 0 || bev->pid <= 0 || bev->pid == p->pid)
			lp_proto_feed(&p->proto, bev->data, bev->datalen,
			    lp_proc_act, p);
	} else {
		if (p != NULL)
			lp_proc_state(p, bev);
		lp_accept(lp, bev);
		if (p != NULL)
			lp_proc_gone(p, bev);
	}
	for (i = 0; i < lp->npools; i++)
		if (lp->pools[i]->dirty)
			lp_pool_dispatch(lp->pools[i]);
}

/* ---- public ---- */

static char *
lp_identifier(const struct pm_config *cfg)
{
	if (cfg == NULL || cfg->sd.identifier == NULL)
		return xstrdup("supervisor");
	return xstrdup(cfg->sd.identifier);
}

struct lp *
lp_new(struct ev_loop *loop, struct bus *bus, struct pm *pm,
    const struct pm_config *cfg)
{
	struct lp	*lp;

	(void)loop;
	lp = xcalloc(1, sizeof(*lp));
	lp->bus = bus;
	lp->pm = pm;
	lp->identifier = lp_identifier(cfg);
	if (bus_subscribe(bus, "", lp_on_event, lp) == -1)
		fatal("%s: bus_subscribe", __func__);
	return lp;
}

void
lp_free(struct lp *lp)
{
	size_t	 i;

	if (lp == NULL)
		return;
	bus_unsubscribe(lp->bus, lp_on_event, lp);
	for (i = 0; i < lp->npools; i++)
		lp_pool_free(lp->pools[i]);
	free(lp->pools);
	free(lp->identifier);
	free(lp->out);
	free(lp);
}

void
lp_set_config(struct lp *lp, const struct pm_config *cfg)
{
	free(lp->identifier);
	lp->identifier = lp_identifier(cfg);
}

int
lp_pool_stats(const struct lp *lp, const char *name,
    struct lp_pool_stats *st)
{
	struct lp_pool	*pool;

	if ((pool = lp_pool_find((struct lp *)lp, name, NULL)) == NULL) {
		errno = ENOENT;
		return -1;
	}
	*st = pool->st;
	st->buffered = pool->buf.count;
	return 0;
}
