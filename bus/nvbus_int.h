/*
 * nvbus_int.h: shared by nvbus.c and nvbus_rpc.c only.
 */
#ifndef NVBUS_INT_H
#define NVBUS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nvbus_rpc;

/* A queued message (owned copy), or a run of lost serials. */
struct nvbus_msg {
	char		*data;		/* NUL-terminated copy */
	size_t		 len;
	uint64_t	 serial;
	char		 name[64];	/* event name */
	bool		 caught_up;
	uint64_t	 lost_from;	/* lost > 0: a LOST entry */
	uint64_t	 lost;
	struct nvbus_msg *next;
};

struct nvbus {
	int		 sock;
	int		 fd;		/* NN_RCVFD */
	char		**prefix;
	size_t		 nprefix;
	struct nvbus_msg *q;		/* in serial order */
	struct nvbus_msg **qtail;
	uint64_t	 qnext;		/* serial after the queue's last, 0:
					   nothing seen yet */
	uint64_t	 last;		/* last handed out */
	uint64_t	 live_last;	/* last serial read from the socket:
					   one daemon's only go up */
	struct nvbus_msg *cur;		/* handed out, freed on the next call */
	bool		 want_catchup;
	struct nvbus_rpc *rpc;
	char		 err[256];
};

/* nvbus.c */
struct nvbus_msg *nvbus_msg_new(const char *data, size_t len);
void	 nvbus_take(struct nvbus *, struct nvbus_msg *);
void	 nvbus_take_lost(struct nvbus *, uint64_t from, uint64_t n);

/* nvbus_rpc.c: XML-RPC over libcurl, the answer parsed with expat. */
int	 nvbus_rpc_init(struct nvbus *, const char *url);
void	 nvbus_rpc_free(struct nvbus *);
/*
 * Queue the ring's messages after b->qnext - 1 (and LOST entries for what
 * it no longer holds) until the ring is exhausted or, upto > 0, past
 * upto. 0, or -1 with b->err.
 */
int	 nvbus_rpc_catch_up(struct nvbus *, uint64_t upto);

#endif
