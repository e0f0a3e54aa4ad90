/*
 * lp_int.h: shared by the files of listeners/ and their unit test only.
 */
#ifndef NV_LP_INT_H
#define NV_LP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bus.h"

/* Listener states; the codes are 4.2.5's. LP_STATE(name, code). */
#define LP_STATES							\
	LP_STATE(READY, 10)						\
	LP_STATE(BUSY, 20)						\
	LP_STATE(ACKNOWLEDGED, 30)					\
	LP_STATE(UNKNOWN, 40)

enum lp_state {
#define LP_STATE(name, code)	LP_##name = code,
	LP_STATES
#undef LP_STATE
};

const char	*lp_state_name(enum lp_state);

/* ---- lp_proto.c: what a listener writes on its stdout ---- */

enum lp_act_type {
	LP_ACT_STATE,		/* from -> to */
	LP_ACT_BADLINE,		/* line: a result line without a number */
	LP_ACT_PROCESSED,	/* the result body was "OK" */
	LP_ACT_REJECTED,	/* any other body */
	LP_ACT_DONE,		/* the event is finished: forget it */
	LP_ACT_REQUEUE,		/* the event goes back to its pool */
};

struct lp_act {
	enum lp_act_type	 type;
	enum lp_state		 from, to;	/* LP_ACT_STATE */
	const char		*line;		/* LP_ACT_BADLINE (not NUL- */
	size_t			 linelen;	/* terminated) */
};

typedef void lp_proto_cb(const struct lp_act *, void *arg);

/*
 * The protocol state of one listener process. Owns buf and result.
 * Initial state (after lp_proto_reset): ACKNOWLEDGED, nothing buffered.
 */
struct lp_proto {
	enum lp_state	 state;
	char		*buf;		/* bytes not yet consumed */
	size_t		 len, cap;
	bool		 havelen;	/* the RESULT line was read */
	bool		 stuck;		/* negative length: never completes */
	uint64_t	 resultlen;
	uint64_t	 resultgot;	/* body bytes read so far */
	char		 result[2];	/* enough to tell "OK" */
};
#define LP_PROTO_ZERO	{ LP_ACKNOWLEDGED, NULL, 0, 0, false, false, 0, 0, \
	{ 0, 0 } }

/* A RESULT line longer than this is garbage (4.2.5 would wait forever). */
#define LP_PROTO_LINEMAX	65536

void		 lp_proto_reset(struct lp_proto *);
void		 lp_proto_free(struct lp_proto *);
/* The dispatcher wrote an event: READY -> BUSY (4.2.5 logs nothing). */
void		 lp_proto_sent(struct lp_proto *);
/* Feed bytes the listener wrote; cb hears every consequence, in order. */
void		 lp_proto_feed(struct lp_proto *, const char *, size_t,
		    lp_proto_cb *, void *);
/* Python's int() over a RESULT line's tail; 0, or -1 if it is no int. */
int		 lp_proto_parse_len(const char *, size_t, int64_t *);

/* ---- lp_event.c: what a listener is sent ---- */

/* One accepted event, shared by every pool that took it (refcounted). */
struct lp_event {
	unsigned	 refs;
	uint64_t	 serial;	/* global; assigned on first accept */
	enum bus_type	 type;
	char		*payload;	/* as 4.2.5 formats it (UTF-8) */
	size_t		 len;		/* bytes */
	size_t		 nchars;	/* what the envelope's len: says */
};

struct lp_event	*lp_event_new(const struct bus_event *, uint64_t serial);
struct lp_event	*lp_event_ref(struct lp_event *);
void		 lp_event_unref(struct lp_event *);

bool		 lp_utf8_valid(const char *, size_t);
size_t		 lp_utf8_chars(const char *, size_t);
/* Python's repr() of bytes, b'...'; malloc'd, NUL-terminated. */
char		*lp_bytes_repr(const char *, size_t, size_t *lenp);
/* The header line for one delivery; malloc'd, length in *lenp. */
char		*lp_envelope_header(const char *server, uint64_t serial,
		    const char *pool, uint64_t poolserial,
		    const struct lp_event *, size_t *lenp);

/* Bit (1 << type) set for every type an events= list subscribes to;
 * -1 with errno EINVAL naming no known type. */
int		 lp_events_mask(char *const *names, uint32_t *maskp);

/* ---- lp_pool.c: a pool's FIFO ---- */

struct lp_item {
	struct lp_event	*ev;		/* one reference */
	uint64_t	 poolserial;
};

/* A ring of at most max items; owns the references it holds. */
struct lp_buf {
	struct lp_item	*items;
	size_t		 max, head, count;
};

void		 lp_buf_init(struct lp_buf *, size_t max);
void		 lp_buf_free(struct lp_buf *);
/* Add at the tail (or the head); when full, the oldest item is removed
 * first and returned in *dropped (true), the caller owning it. */
bool		 lp_buf_push(struct lp_buf *, struct lp_item, bool head,
		    struct lp_item *dropped);
bool		 lp_buf_pop(struct lp_buf *, struct lp_item *);

#endif
