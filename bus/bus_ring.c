/*
 * bus_ring.c: the last published messages, kept for catch-up.
 *
 * A circular array of slots, one malloc'd copy of the encoded message
 * each. Serials on the bus are consecutive, so the slot of a serial is
 * found by arithmetic from the oldest one. Two caps bound the memory: a
 * number of messages and a number of message bytes (slot overhead aside:
 * 24 bytes a slot, allocated once); the oldest messages go first when
 * either would be exceeded. A message bigger than the byte cap on its own
 * empties the ring, which then starts again after it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "log.h"

struct bus_ring_slot {
	char		*msg;
	size_t		 len;
};

struct bus_ring {
	struct bus_ring_slot *slots;
	size_t		 cap;		/* slots, the message cap */
	size_t		 maxbytes;
	size_t		 head;		/* slot of the oldest message */
	size_t		 n;		/* messages held */
	size_t		 bytes;		/* their total length */
	uint64_t	 oldest;	/* serial in slots[head], when n > 0 */
	uint64_t	 next;		/* serial the next put should carry */
};

struct bus_ring *
bus_ring_new(size_t maxmsgs, size_t maxbytes)
{
	struct bus_ring	*r;

	if (maxmsgs == 0 || maxbytes == 0)
		return NULL;
	r = xcalloc(1, sizeof(*r));
	r->slots = xcalloc(maxmsgs, sizeof(*r->slots));
	r->cap = maxmsgs;
	r->maxbytes = maxbytes;
	return r;
}

static void
bus_ring_drop_oldest(struct bus_ring *r)
{
	struct bus_ring_slot	*s = &r->slots[r->head];

	r->bytes -= s->len;
	free(s->msg);
	s->msg = NULL;
	s->len = 0;
	r->head = (r->head + 1) % r->cap;
	r->n--;
	r->oldest++;
}

void
bus_ring_free(struct bus_ring *r)
{
	if (r == NULL)
		return;
	while (r->n > 0)
		bus_ring_drop_oldest(r);
	free(r->slots);
	free(r);
}

/* A serial that does not follow the newest one restarts the ring. */
void
bus_ring_put(struct bus_ring *r, uint64_t serial, const char *msg,
    size_t len)
{
	struct bus_ring_slot	*s;

	if (r->n > 0 && serial != r->next)
		while (r->n > 0)
			bus_ring_drop_oldest(r);
	while (r->n > 0 && (r->n == r->cap || r->bytes + len > r->maxbytes))
		bus_ring_drop_oldest(r);
	r->next = serial + 1;
	if (len > r->maxbytes)
		return;
	if (r->n == 0) {
		r->head = 0;
		r->oldest = serial;
	}
	s = &r->slots[(r->head + r->n) % r->cap];
	s->msg = xmalloc(len);
	memcpy(s->msg, msg, len);
	s->len = len;
	r->n++;
	r->bytes += len;
}

/* Move what fits into the new ring, newest first kept. */
struct bus_ring *
bus_ring_resize(struct bus_ring *old, size_t maxmsgs, size_t maxbytes)
{
	struct bus_ring		*r;
	struct bus_ring_slot	*s;
	size_t			 i, skip = 0, bytes;

	r = bus_ring_new(maxmsgs, maxbytes);
	if (old == NULL || r == NULL) {
		bus_ring_free(old);
		return r;
	}
	/* how many of the oldest to leave out */
	bytes = old->bytes;
	while (old->n - skip > maxmsgs || bytes > maxbytes) {
		bytes -= old->slots[(old->head + skip) % old->cap].len;
		skip++;
	}
	for (i = skip; i < old->n; i++) {
		s = &old->slots[(old->head + i) % old->cap];
		r->slots[r->n++] = *s;
		s->msg = NULL;
	}
	r->bytes = bytes;
	r->oldest = old->oldest + skip;
	r->next = old->next;
	/* the moved slots are NULL now: free only the skipped ones */
	for (i = 0; i < skip; i++)
		free(old->slots[(old->head + i) % old->cap].msg);
	free(old->slots);
	free(old);
	return r;
}

void
bus_ring_stats(const struct bus_ring *r, struct bus_ring_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (r == NULL)
		return;
	st->count = r->n;
	st->bytes = r->bytes;
	st->maxmsgs = r->cap;
	st->maxbytes = r->maxbytes;
	if (r->n > 0) {
		st->oldest = r->oldest;
		st->newest = r->oldest + r->n - 1;
	}
}

int
bus_ring_get(const struct bus_ring *r, uint64_t serial, const char **msgp,
    size_t *lenp)
{
	const struct bus_ring_slot	*s;

	if (r == NULL || r->n == 0 || serial < r->oldest ||
	    serial - r->oldest >= r->n)
		return -1;
	s = &r->slots[(r->head + (serial - r->oldest)) % r->cap];
	*msgp = s->msg;
	*lenp = s->len;
	return 0;
}
