/*
 * fuzz_lp_proto.c: libFuzzer target over the listener protocol parser
 * (what a listener writes back). The first byte picks the chunk size, so
 * reads split anywhere; the dispatcher "sends" an event whenever the
 * listener is READY. Also runs the bytes through lp_bytes_repr.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "lp_int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct fuzz_lp {
	enum lp_state	 state;
	int		 pending;	/* events sent, not yet finished */
};

static void
fuzz_lp_cb(const struct lp_act *a, void *arg)
{
	struct fuzz_lp	*f = arg;

	switch (a->type) {
	case LP_ACT_STATE:
		if (a->from != f->state)
			abort();
		f->state = a->to;
		break;
	case LP_ACT_DONE:
	case LP_ACT_REQUEUE:
		/* each sent event ends once, and only a sent one */
		if (--f->pending < 0)
			abort();
		break;
	case LP_ACT_BADLINE:
		if (a->linelen > 0 && a->line == NULL)
			abort();
		break;
	default:
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lp_proto	 p = LP_PROTO_ZERO;
	struct fuzz_lp	 f = { LP_ACKNOWLEDGED, 0 };
	size_t		 chunk, off, n, rlen;
	char		*r;

	if (size == 0)
		return 0;
	chunk = data[0] % 17 + 1;
	for (off = 1; off < size; off += n) {
		n = size - off < chunk ? size - off : chunk;
		lp_proto_feed(&p, (const char *)data + off, n, fuzz_lp_cb, &f);
		if (p.state != f.state)
			abort();
		if (p.state == LP_READY) {
			lp_proto_sent(&p);
			f.state = p.state;
			f.pending++;
		}
	}
	lp_proto_free(&p);

	r = lp_bytes_repr((const char *)data, size, &rlen);
	free(r);
	(void)lp_utf8_chars((const char *)data, size);
	return 0;
}
