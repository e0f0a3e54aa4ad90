/*
 * lp_proto.c: the listener protocol as 4.2.5 reads it, a pure function of
 * the bytes a listener writes. No I/O and no logging here: every
 * consequence (state change, result, event to requeue) goes to a callback
 * in the order 4.2.5 would act on it, so the caller logs and acts, and the
 * parser can be driven by a table or a fuzzer.
 *
 *	ACKNOWLEDGED	wait for 6 bytes; "READY\n" -> READY, else UNKNOWN
 *	READY		any byte -> UNKNOWN
 *	BUSY		"RESULT <n>\n" then n bytes; "OK" -> ACKNOWLEDGED,
 *			else rejected -> ACKNOWLEDGED; no number -> UNKNOWN
 *	UNKNOWN		everything is discarded, forever
 *
 * As in 4.2.5 the "RESULT " prefix is not checked (the number is whatever
 * follows the first 7 bytes), n counts bytes, and a zero-length body is
 * only judged once more bytes arrive.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#ifndef MIN
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#endif

#include "log.h"
#include "lp_int.h"

#define LP_READY_TOKEN		"READY\n"
#define LP_READY_TOKENLEN	(sizeof(LP_READY_TOKEN) - 1)
#define LP_RESULT_PREFIXLEN	7	/* "RESULT " */

const char *
lp_state_name(enum lp_state s)
{
	switch (s) {
#define LP_STATE(name, code)	case LP_##name: return #name;
	LP_STATES
#undef LP_STATE
	}
	return "?";
}

void
lp_proto_reset(struct lp_proto *p)
{
	p->state = LP_ACKNOWLEDGED;
	p->len = 0;
	p->havelen = false;
	p->stuck = false;
	p->resultlen = 0;
	p->resultgot = 0;
}

void
lp_proto_free(struct lp_proto *p)
{
	free(p->buf);
	p->buf = NULL;
	p->cap = 0;
	lp_proto_reset(p);
}

static void
lp_proto_emit(lp_proto_cb *cb, void *arg, enum lp_act_type t)
{
	struct lp_act	 a = { .type = t };

	cb(&a, arg);
}

static void
lp_proto_state(struct lp_proto *p, enum lp_state to, lp_proto_cb *cb,
    void *arg)
{
	struct lp_act	 a = { .type = LP_ACT_STATE, .from = p->state,
	    .to = to };

	p->state = to;
	cb(&a, arg);
}

void
lp_proto_sent(struct lp_proto *p)
{
	p->state = LP_BUSY;
	p->havelen = false;
	p->resultgot = 0;
}

/* Drop n bytes from the front of the buffer. */
static void
lp_proto_consume(struct lp_proto *p, size_t n)
{
	memmove(p->buf, p->buf + n, p->len - n);
	p->len -= n;
}

static bool
lp_proto_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

/*
 * Python's int() over bytes: surrounding ASCII whitespace, a sign, digits
 * with single underscores between them. Saturates rather than overflow:
 * no listener will send that many bytes anyway.
 */
int
lp_proto_parse_len(const char *s, size_t n, int64_t *out)
{
	size_t		 i = 0;
	int64_t		 v = 0;
	bool		 neg = false, digit = false;

	while (n > 0 && lp_proto_space(s[n - 1]))
		n--;
	while (i < n && lp_proto_space(s[i]))
		i++;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	for (; i < n; i++) {
		if (s[i] == '_' && digit && i + 1 < n &&
		    s[i + 1] >= '0' && s[i + 1] <= '9')
			continue;
		if (s[i] < '0' || s[i] > '9')
			return -1;
		digit = true;
		if (v < INT64_MAX / 10)
			v = v * 10 + (s[i] - '0');
		else
			v = INT64_MAX;
	}
	if (!digit)
		return -1;
	*out = neg ? -v : v;
	return 0;
}

/* The body is complete: the default result handler judges it. */
static void
lp_proto_result(struct lp_proto *p, lp_proto_cb *cb, void *arg)
{
	bool	 ok = p->resultlen == 2 && memcmp(p->result, "OK", 2) == 0;

	lp_proto_emit(cb, arg, ok ? LP_ACT_PROCESSED : LP_ACT_REJECTED);
	lp_proto_state(p, LP_ACKNOWLEDGED, cb, arg);
	lp_proto_emit(cb, arg, ok ? LP_ACT_DONE : LP_ACT_REQUEUE);
	p->havelen = false;
	p->resultgot = 0;
}

/* BUSY, no length yet: read the RESULT line. false: wait for more. */
static bool
lp_proto_busy_line(struct lp_proto *p, lp_proto_cb *cb, void *arg)
{
	struct lp_act	 a = { .type = LP_ACT_BADLINE };
	char		*nl;
	size_t		 pos;
	int64_t		 n;

	if ((nl = memchr(p->buf, '\n', p->len)) == NULL &&
	    p->len <= LP_PROTO_LINEMAX)
		return false;
	pos = nl != NULL ? (size_t)(nl - p->buf) : p->len;
	if (nl != NULL && pos >= LP_RESULT_PREFIXLEN &&
	    lp_proto_parse_len(p->buf + LP_RESULT_PREFIXLEN,
	    pos - LP_RESULT_PREFIXLEN, &n) == 0) {
		p->havelen = true;
		p->stuck = n < 0;
		p->resultlen = n < 0 ? 0 : (uint64_t)n;
		p->resultgot = 0;
		lp_proto_consume(p, pos + 1);
		return true;
	}
	a.line = p->buf;
	a.linelen = pos;
	cb(&a, arg);
	lp_proto_state(p, LP_UNKNOWN, cb, arg);
	p->len = 0;
	lp_proto_emit(cb, arg, LP_ACT_REQUEUE);
	return false;
}

/* BUSY with a length: gather the body. */
static void
lp_proto_busy_body(struct lp_proto *p, lp_proto_cb *cb, void *arg)
{
	uint64_t	 need = p->resultlen - p->resultgot;
	size_t		 take;

	if (p->stuck) {
		/* 4.2.5 never finishes such a result; neither do we. */
		p->len = 0;
		return;
	}
	take = need < p->len ? (size_t)need : p->len;
	/* Only a 2-byte body can be "OK": keep no more than that. */
	if (p->resultgot < sizeof(p->result))
		memcpy(p->result + p->resultgot, p->buf,
		    MIN(take, sizeof(p->result) - p->resultgot));
	p->resultgot += take;
	lp_proto_consume(p, take);
	if (p->resultgot == p->resultlen)
		lp_proto_result(p, cb, arg);
}

void
lp_proto_feed(struct lp_proto *p, const char *data, size_t n,
    lp_proto_cb *cb, void *arg)
{
	if (p->state == LP_UNKNOWN)
		return;
	if (p->len + n > p->cap) {
		p->cap = (p->len + n) * 2;
		p->buf = xrealloc(p->buf, p->cap);
	}
	memcpy(p->buf + p->len, data, n);
	p->len += n;

	while (p->len > 0) {
		switch (p->state) {
		case LP_UNKNOWN:
			p->len = 0;
			return;
		case LP_ACKNOWLEDGED:
			if (p->len < LP_READY_TOKENLEN)
				return;
			if (memcmp(p->buf, LP_READY_TOKEN,
			    LP_READY_TOKENLEN) == 0) {
				lp_proto_consume(p, LP_READY_TOKENLEN);
				lp_proto_state(p, LP_READY, cb, arg);
			} else {
				p->len = 0;
				lp_proto_state(p, LP_UNKNOWN, cb, arg);
			}
			break;
		case LP_READY:
			p->len = 0;
			lp_proto_state(p, LP_UNKNOWN, cb, arg);
			return;
		case LP_BUSY:
			if (!p->havelen) {
				if (!lp_proto_busy_line(p, cb, arg))
					return;
			} else
				lp_proto_busy_body(p, cb, arg);
			break;
		}
	}
}
