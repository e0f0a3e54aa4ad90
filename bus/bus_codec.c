/*
 * bus_codec.c: the bus wire format.
 *
 * One message is a header line, then the payload exactly as Supervisor
 * 4.2.5 writes it to an event listener:
 *
 *	NAME nv:1 serial:N [token ...] len:L\n<L bytes of payload>
 *
 * "nv:1 serial:N" come first and "len:L" last. Between them, key:value
 * tokens with percent-encoded values (bytes <= 0x20, '%' and 0x7f become
 * %XX), each written only when the event has it, so messages stay short:
 *
 *	process:P	processname	PROCESS_STATE_*, PROCESS_LOG_*,
 *	group:G		groupname	PROCESS_COMMUNICATION_*; group: also
 *					on PROCESS_GROUP_*
 *	type:T		comm_type	REMOTE_COMMUNICATION
 *	expected:0|1	expected	PROCESS_STATE_* but EXITED (whose
 *					payload has it), when reaped or set
 *	reaped:1	reaped		when set
 *	exitstatus:N	exitstatus	when not 0 (may be negative)
 *	termsig:N	termsig		when not 0
 *	core:1		core		when set
 *	startsecs:N	startsecs	when >= 0 (absent: -1)
 *	spawnerr:S	spawnerr	when not NULL
 *	gaveup:1	gave_up		when set
 *	events:1	events_enabled	PROCESS_LOG_*, when set
 *	pid:N		pid		PROCESS_STATE_* whose payload has no
 *					pid (STARTING: the child just forked),
 *					when > 0
 *	synthetic:1	synthetic	fire drill; the payload then starts
 *					with "synthetic:1" too (followed by a
 *					space unless the payload is only that)
 *
 * Names travel twice, in the header and in the payload, because the
 * decoder hands out NUL-terminated strings without copying and must not
 * write into the payload: internal subscribers share one message body,
 * and listeners need it intact. The header is private to each reader, so
 * the NULs go there. The decoder checks that the payload agrees.
 *
 * Decoding ignores unknown but well-formed tokens (a newer writer may add
 * some) and rejects malformed ones, a payload that disagrees with its
 * header, and any length mismatch.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "bus_int.h"
#include "log.h"

#define BUS_STATE_PREFIX	"PROCESS_STATE_"
#define BUS_STATE_PREFIXLEN	(sizeof(BUS_STATE_PREFIX) - 1)

/* Output cursor; with p == NULL it only counts. */
struct bus_wbuf {
	char	*p;
	size_t	 len;
};

/* Input cursor over a read-only payload. */
struct bus_rd {
	const char	*p;
	const char	*end;
};

/* One codec per payload shape in bus_msgs.def. */
struct bus_codec {
	void	(*tokens)(struct bus_wbuf *, const struct bus_event *);
	void	(*payload)(struct bus_wbuf *, const struct bus_event *);
	int	(*parse)(struct bus_rd *, struct bus_event *);
};

static void	bus_wbuf_put(struct bus_wbuf *, const void *, size_t);
static void	bus_wbuf_str(struct bus_wbuf *, const char *);
static void	bus_wbuf_u64(struct bus_wbuf *, uint64_t);
static void	bus_wbuf_i64(struct bus_wbuf *, long long);
static void	bus_wbuf_pct(struct bus_wbuf *, const char *);
static void	bus_wbuf_tok(struct bus_wbuf *, const char *, const char *);
static void	bus_wbuf_tokn(struct bus_wbuf *, const char *, long long);
static int	bus_rd_synthetic(struct bus_rd *, const struct bus_event *);

#define bus_wbuf_lit(w, s)	bus_wbuf_put((w), (s), sizeof(s) - 1)
#define bus_rd_lit(r, s)	bus_rd_mem((r), (s), sizeof(s) - 1)

#define BUS_CODEC_DECL(c)						\
static void	bus_##c##_tokens(struct bus_wbuf *,			\
		    const struct bus_event *);				\
static void	bus_##c##_payload(struct bus_wbuf *,			\
		    const struct bus_event *);				\
static int	bus_##c##_parse(struct bus_rd *, struct bus_event *);
BUS_CODEC_DECL(proc_state)
BUS_CODEC_DECL(proc_log)
BUS_CODEC_DECL(proc_comm)
BUS_CODEC_DECL(remote_comm)
BUS_CODEC_DECL(empty)
BUS_CODEC_DECL(tick)
BUS_CODEC_DECL(group)
#undef BUS_CODEC_DECL

/* A row whose codec has no functions above fails to compile. */
static const struct {
	const char		*name;
	size_t			 namelen;
	struct bus_codec	 codec;
} bus_types[BUS_NTYPES] = {
#define BUS_MSG(id, c)	[BUS_##id] = { #id, sizeof(#id) - 1,		\
	{ bus_##c##_tokens, bus_##c##_payload, bus_##c##_parse } },
#include "bus_msgs.def"
#undef BUS_MSG
};

const char *
bus_type_name(enum bus_type t)
{
	if ((unsigned)t >= BUS_NTYPES)
		return NULL;
	return bus_types[t].name;
}

static int
bus_type_lookup(const char *s, size_t n, enum bus_type *tp)
{
	int	 t;

	for (t = 0; t < BUS_NTYPES; t++) {
		if (bus_types[t].namelen == n &&
		    memcmp(bus_types[t].name, s, n) == 0) {
			*tp = t;
			return 0;
		}
	}
	errno = EINVAL;
	return -1;
}

int
bus_type_from_name(const char *name, enum bus_type *tp)
{
	return bus_type_lookup(name, strlen(name), tp);
}

/*
 * Writers.
 */

static void
bus_wbuf_put(struct bus_wbuf *w, const void *s, size_t n)
{
	if (w->p != NULL && n > 0)
		memcpy(w->p + w->len, s, n);
	w->len += n;
}

static void
bus_wbuf_str(struct bus_wbuf *w, const char *s)
{
	if (s != NULL)
		bus_wbuf_put(w, s, strlen(s));
}

static void
bus_wbuf_u64(struct bus_wbuf *w, uint64_t v)
{
	char	 tmp[20];
	size_t	 i = sizeof(tmp);

	do {
		tmp[--i] = '0' + v % 10;
		v /= 10;
	} while (v != 0);
	bus_wbuf_put(w, tmp + i, sizeof(tmp) - i);
}

static void
bus_wbuf_i64(struct bus_wbuf *w, long long v)
{
	if (v < 0) {
		bus_wbuf_lit(w, "-");
		bus_wbuf_u64(w, (uint64_t)0 - (uint64_t)v);
	} else
		bus_wbuf_u64(w, (uint64_t)v);
}

static int
bus_pct_needed(unsigned char c)
{
	return c <= 0x20 || c == '%' || c == 0x7f;
}

static void
bus_wbuf_pct(struct bus_wbuf *w, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*u = (const unsigned char *)s;
	char			 enc[3];

	for (; *u != '\0'; u++) {
		if (!bus_pct_needed(*u)) {
			bus_wbuf_put(w, u, 1);
			continue;
		}
		enc[0] = '%';
		enc[1] = hex[*u >> 4];
		enc[2] = hex[*u & 0xf];
		bus_wbuf_put(w, enc, 3);
	}
}

/* Write " key:value" with the value percent-encoded; NULL means "". */
static void
bus_wbuf_tok(struct bus_wbuf *w, const char *key, const char *val)
{
	bus_wbuf_lit(w, " ");
	bus_wbuf_str(w, key);
	bus_wbuf_lit(w, ":");
	if (val != NULL)
		bus_wbuf_pct(w, val);
}

static void
bus_wbuf_tokn(struct bus_wbuf *w, const char *key, long long v)
{
	bus_wbuf_lit(w, " ");
	bus_wbuf_str(w, key);
	bus_wbuf_lit(w, ":");
	bus_wbuf_i64(w, v);
}

static void
bus_payload_write(struct bus_wbuf *w, const struct bus_event *ev)
{
	struct bus_wbuf	 count = { NULL, 0 };

	if (ev->synthetic) {
		bus_wbuf_lit(w, "synthetic:1");
		bus_types[ev->type].codec.payload(&count, ev);
		if (count.len > 0)
			bus_wbuf_lit(w, " ");
	}
	bus_types[ev->type].codec.payload(w, ev);
}

static void
bus_header_write(struct bus_wbuf *w, const struct bus_event *ev,
    uint64_t serial, size_t payloadlen)
{
	bus_wbuf_put(w, bus_types[ev->type].name, bus_types[ev->type].namelen);
	bus_wbuf_lit(w, " nv:1 serial:");
	bus_wbuf_u64(w, serial);
	bus_types[ev->type].codec.tokens(w, ev);
	if (ev->synthetic)
		bus_wbuf_lit(w, " synthetic:1");
	bus_wbuf_lit(w, " len:");
	bus_wbuf_u64(w, payloadlen);
	bus_wbuf_lit(w, "\n");
}

static void
bus_event_check(const struct bus_event *ev)
{
	if ((unsigned)ev->type >= BUS_NTYPES)
		fatalx("bus: publishing an event of unknown type %d",
		    (int)ev->type);
}

size_t
bus_encode_size(const struct bus_event *ev, uint64_t serial)
{
	struct bus_wbuf	 w = { NULL, 0 };
	size_t		 payloadlen;

	bus_event_check(ev);
	bus_payload_write(&w, ev);
	payloadlen = w.len;
	bus_header_write(&w, ev, serial, payloadlen);
	return w.len;
}

void
bus_encode_write(const struct bus_event *ev, uint64_t serial, char *buf,
    size_t len)
{
	struct bus_wbuf	 w = { NULL, 0 };
	size_t		 payloadlen;

	bus_event_check(ev);
	bus_payload_write(&w, ev);
	payloadlen = w.len;
	w.p = buf;
	w.len = 0;
	bus_header_write(&w, ev, serial, payloadlen);
	bus_payload_write(&w, ev);
	if (w.len != len)
		fatalx("bus: encoded %zu bytes into a %zu byte message",
		    w.len, len);
}

/* The result is also NUL-terminated, which *lenp does not count. */
char *
bus_encode(const struct bus_event *ev, uint64_t serial, size_t *lenp)
{
	size_t	 len;
	char	*buf;

	len = bus_encode_size(ev, serial);
	buf = xmalloc(len + 1);
	bus_encode_write(ev, serial, buf, len);
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

/*
 * Readers.
 */

/* Parse a decimal integer filling all of s[0..n) within [min, max]. */
static int
bus_num_parse(const char *s, size_t n, long long min, long long max,
    long long *out)
{
	unsigned long long	 v = 0, lim, d;
	size_t			 i = 0;
	int			 neg = 0;

	if (n > 0 && s[0] == '-' && min < 0) {
		neg = 1;
		i = 1;
	}
	/* One spelling per value, as Supervisor prints: no "-0", "007". */
	if (i == n || (s[i] == '0' && (n - i > 1 || neg)))
		return -1;
	/* The magnitude bound; 0 - min is exact in unsigned arithmetic. */
	lim = neg ? (unsigned long long)0 - (unsigned long long)min :
	    (unsigned long long)max;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = (unsigned long long)(s[i] - '0');
		if (v > lim / 10 || (v == lim / 10 && d > lim % 10))
			return -1;
		v = v * 10 + d;
	}
	if (neg)
		*out = v == 0 ? 0 : -(long long)(v - 1) - 1;
	else if ((long long)v < min)
		return -1;
	else
		*out = (long long)v;
	return 0;
}

static int
bus_u64_parse(const char *s, size_t n, uint64_t *out)
{
	uint64_t	 v = 0, d;
	size_t		 i;

	if (n == 0 || (s[0] == '0' && n > 1))
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = (uint64_t)(s[i] - '0');
		if (v > UINT64_MAX / 10 || (v == UINT64_MAX / 10 &&
		    d > UINT64_MAX % 10))
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int
bus_hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Percent-decode s[0..n) in place and NUL-terminate it. The result is
 * never longer than n, and s[n] (a separator) may receive the NUL.
 */
static int
bus_pct_decode(char *s, size_t n)
{
	unsigned char	*u = (unsigned char *)s;
	size_t		 i, o = 0;
	int		 hi, lo;

	for (i = 0; i < n; i++) {
		if (u[i] < 0x21 || u[i] == 0x7f)
			return -1;
		if (u[i] != '%') {
			u[o++] = u[i];
			continue;
		}
		if (n - i < 3 || (hi = bus_hexval(u[i + 1])) == -1 ||
		    (lo = bus_hexval(u[i + 2])) == -1 || hi + lo == 0)
			return -1;
		u[o++] = (unsigned char)(hi << 4 | lo);
		i += 2;
	}
	u[o] = '\0';
	return 0;
}

/*
 * Header tokens. Each setter gets the value (not NUL-terminated) and may
 * write up to and including val[n].
 */

static int
bus_tok_str(char *val, size_t n, const char **out)
{
	if (bus_pct_decode(val, n) == -1)
		return -1;
	*out = val;
	return 0;
}

static int
bus_tok_int(const char *val, size_t n, long long min, long long max, int *out)
{
	long long	 v;

	if (bus_num_parse(val, n, min, max, &v) == -1)
		return -1;
	*out = (int)v;
	return 0;
}

static int
bus_tok_bool(const char *val, size_t n, bool *out)
{
	if (n != 1 || (val[0] != '0' && val[0] != '1'))
		return -1;
	*out = val[0] == '1';
	return 0;
}

static int
bus_tok_process(struct bus_event *ev, char *val, size_t n)
{
	return bus_tok_str(val, n, &ev->processname);
}

static int
bus_tok_group(struct bus_event *ev, char *val, size_t n)
{
	return bus_tok_str(val, n, &ev->groupname);
}

static int
bus_tok_type(struct bus_event *ev, char *val, size_t n)
{
	return bus_tok_str(val, n, &ev->comm_type);
}

static int
bus_tok_spawnerr(struct bus_event *ev, char *val, size_t n)
{
	return bus_tok_str(val, n, &ev->spawnerr);
}

static int
bus_tok_expected(struct bus_event *ev, char *val, size_t n)
{
	return bus_tok_int(val, n, 0, 1, &ev->expected);
}

static int
bus_tok_exitstatus(struct bus_event *ev, char *val, size_t n)
{
	return bus_tok_int(val, n, INT_MIN, INT_MAX, &ev->exitstatus);
}

static int
bus_tok_termsig(struct bus_event *ev, char *val, size_t n)
{
	return bus_tok_int(val, n, 0, INT_MAX, &ev->termsig);
}

static int
bus_tok_startsecs(struct bus_event *ev, char *val, size_t n)
{
	return bus_tok_int(val, n, 0, INT_MAX, &ev->startsecs);
}

static int
bus_tok_pid(struct bus_event *ev, char *val, size_t n)
{
	return bus_tok_int(val, n, 0, INT_MAX, &ev->pid);
}

static int
bus_tok_reaped(struct bus_event *ev, char *val, size_t n)
{
	return bus_tok_bool(val, n, &ev->reaped);
}

static int
bus_tok_core(struct bus_event *ev, char *val, size_t n)
{
	return bus_tok_bool(val, n, &ev->core);
}

static int
bus_tok_gaveup(struct bus_event *ev, char *val, size_t n)
{
	return bus_tok_bool(val, n, &ev->gave_up);
}

static int
bus_tok_events(struct bus_event *ev, char *val, size_t n)
{
	return bus_tok_bool(val, n, &ev->events_enabled);
}

static int
bus_tok_synthetic(struct bus_event *ev, char *val, size_t n)
{
	return bus_tok_bool(val, n, &ev->synthetic);
}

static const struct {
	const char	*key;
	size_t		 keylen;
	int		(*set)(struct bus_event *, char *, size_t);
} bus_toks[] = {
#define BUS_TOK(k)	{ #k, sizeof(#k) - 1, bus_tok_##k }
	BUS_TOK(process),
	BUS_TOK(group),
	BUS_TOK(type),
	BUS_TOK(expected),
	BUS_TOK(reaped),
	BUS_TOK(exitstatus),
	BUS_TOK(termsig),
	BUS_TOK(core),
	BUS_TOK(startsecs),
	BUS_TOK(spawnerr),
	BUS_TOK(gaveup),
	BUS_TOK(events),
	BUS_TOK(pid),
	BUS_TOK(synthetic),
#undef BUS_TOK
};

/* Apply one "key:value" token; unknown keys are skipped. */
static int
bus_tok_apply(struct bus_event *ev, char *tok, size_t n)
{
	char	*colon;
	size_t	 i, keylen;

	if ((colon = memchr(tok, ':', n)) == NULL || colon == tok)
		return -1;
	keylen = colon - tok;
	for (i = 0; i < sizeof(bus_toks) / sizeof(bus_toks[0]); i++) {
		if (bus_toks[i].keylen == keylen &&
		    memcmp(bus_toks[i].key, tok, keylen) == 0)
			return bus_toks[i].set(ev, colon + 1, n - keylen - 1);
	}
	return 0;
}

/* Parse "NAME nv:1 serial:N " and leave *pp at the first token after. */
static int
bus_header_start(char **pp, char *end, struct bus_event *ev)
{
	char	*p = *pp, *sp;

	if ((sp = memchr(p, ' ', end - p)) == NULL ||
	    bus_type_lookup(p, sp - p, &ev->type) == -1)
		return -1;
	p = sp + 1;
	if (end - p < 12 || memcmp(p, "nv:1 serial:", 12) != 0)
		return -1;
	p += 12;
	if ((sp = memchr(p, ' ', end - p)) == NULL ||
	    bus_u64_parse(p, sp - p, &ev->serial) == -1)
		return -1;
	*pp = sp + 1;
	return 0;
}

/* Parse the tokens up to the final "len:L" and check L. */
static int
bus_header_tokens(char *p, char *end, struct bus_event *ev,
    size_t payloadlen)
{
	char		*sp;
	uint64_t	 len;

	while ((sp = memchr(p, ' ', end - p)) != NULL) {
		if (bus_tok_apply(ev, p, sp - p) == -1)
			return -1;
		p = sp + 1;
	}
	if (end - p < 4 || memcmp(p, "len:", 4) != 0 ||
	    bus_u64_parse(p + 4, end - p - 4, &len) == -1 ||
	    len != payloadlen)
		return -1;
	return 0;
}

int
bus_decode_parts(char *hdr, size_t hdrlen, const char *payload,
    size_t payloadlen, struct bus_event *ev)
{
	struct bus_event	 zero = BUS_EVENT_ZERO;
	struct bus_rd		 rd = { payload, payload + payloadlen };
	char			*p = hdr, *end = hdr + hdrlen;

	*ev = zero;
	if (bus_header_start(&p, end, ev) == -1 ||
	    bus_header_tokens(p, end, ev, payloadlen) == -1 ||
	    bus_rd_synthetic(&rd, ev) == -1 ||
	    bus_types[ev->type].codec.parse(&rd, ev) == -1)
		goto bad;
	ev->payload = payload;
	ev->payloadlen = payloadlen;
	return 0;
bad:
	*ev = zero;
	errno = EINVAL;
	return -1;
}

/* On -1 the header bytes of msg may have been rewritten. */
int
bus_decode(char *msg, size_t len, struct bus_event *ev)
{
	char	*nl;

	if ((nl = memchr(msg, '\n', len)) == NULL) {
		errno = EINVAL;
		return -1;
	}
	return bus_decode_parts(msg, nl - msg, nl + 1, len - (nl - msg) - 1,
	    ev);
}

/*
 * Payload readers: the payload is read-only.
 */

static int
bus_rd_mem(struct bus_rd *r, const char *s, size_t n)
{
	if ((size_t)(r->end - r->p) < n || memcmp(r->p, s, n) != 0)
		return -1;
	r->p += n;
	return 0;
}

/* A header string the payload must repeat; absent means malformed. */
static int
bus_rd_str(struct bus_rd *r, const char *s)
{
	if (s == NULL)
		return -1;
	return bus_rd_mem(r, s, strlen(s));
}

/* Read a number that runs up to the next ' ', '\n' or the end. */
static int
bus_rd_num(struct bus_rd *r, long long min, long long max, long long *out)
{
	const char	*q = r->p;

	while (q < r->end && *q != ' ' && *q != '\n')
		q++;
	if (bus_num_parse(r->p, q - r->p, min, max, out) == -1)
		return -1;
	r->p = q;
	return 0;
}

static int
bus_rd_int(struct bus_rd *r, long long min, long long max, int *out)
{
	long long	 v;

	if (bus_rd_num(r, min, max, &v) == -1)
		return -1;
	*out = (int)v;
	return 0;
}

static int
bus_rd_end(const struct bus_rd *r)
{
	return r->p == r->end ? 0 : -1;
}

/* A fire drill's payload starts with the mark; skip it for the codec. */
static int
bus_rd_synthetic(struct bus_rd *r, const struct bus_event *ev)
{
	if (!ev->synthetic)
		return 0;
	if (bus_rd_lit(r, "synthetic:1") == -1)
		return -1;
	if (r->p < r->end && bus_rd_lit(r, " ") == -1)
		return -1;
	return 0;
}

/* The rest of the payload is the data (may hold NULs and newlines). */
static int
bus_rd_data(struct bus_rd *r, struct bus_event *ev)
{
	ev->data = r->p;
	ev->datalen = r->end - r->p;
	r->p = r->end;
	return 0;
}

/* "processname:P groupname:G", both repeated from the header. */
static int
bus_rd_names(struct bus_rd *r, const struct bus_event *ev)
{
	if (bus_rd_lit(r, "processname:") == -1 ||
	    bus_rd_str(r, ev->processname) == -1 ||
	    bus_rd_lit(r, " groupname:") == -1 ||
	    bus_rd_str(r, ev->groupname) == -1)
		return -1;
	return 0;
}

/* from_state must name a process state; point at our own copy. */
static int
bus_rd_state(struct bus_rd *r, const char **out)
{
	const char	*q = r->p;
	size_t		 n;
	int		 t;

	while (q < r->end && *q != ' ')
		q++;
	n = q - r->p;
	for (t = 0; t < BUS_NTYPES; t++) {
		if (bus_types[t].namelen != BUS_STATE_PREFIXLEN + n ||
		    memcmp(bus_types[t].name, BUS_STATE_PREFIX,
		    BUS_STATE_PREFIXLEN) != 0 ||
		    memcmp(bus_types[t].name + BUS_STATE_PREFIXLEN, r->p,
		    n) != 0)
			continue;
		*out = bus_types[t].name + BUS_STATE_PREFIXLEN;
		r->p = q;
		return 0;
	}
	return -1;
}

/*
 * Codecs: writers and readers side by side.
 */

static void
bus_names_write(struct bus_wbuf *w, const struct bus_event *ev)
{
	bus_wbuf_lit(w, "processname:");
	bus_wbuf_str(w, ev->processname);
	bus_wbuf_lit(w, " groupname:");
	bus_wbuf_str(w, ev->groupname);
}

static void
bus_names_tokens(struct bus_wbuf *w, const struct bus_event *ev)
{
	bus_wbuf_tok(w, "process", ev->processname);
	bus_wbuf_tok(w, "group", ev->groupname);
}

/* The payload of these states carries the pid itself. */
static bool
bus_state_payload_has_pid(enum bus_type t)
{
	return t == BUS_PROCESS_STATE_RUNNING ||
	    t == BUS_PROCESS_STATE_STOPPING ||
	    t == BUS_PROCESS_STATE_STOPPED || t == BUS_PROCESS_STATE_EXITED;
}

static void
bus_proc_state_tokens(struct bus_wbuf *w, const struct bus_event *ev)
{
	bus_names_tokens(w, ev);
	if (ev->type != BUS_PROCESS_STATE_EXITED &&
	    (ev->reaped || ev->expected))
		bus_wbuf_tokn(w, "expected", ev->expected != 0);
	if (ev->reaped)
		bus_wbuf_lit(w, " reaped:1");
	if (ev->exitstatus != 0)
		bus_wbuf_tokn(w, "exitstatus", ev->exitstatus);
	if (ev->termsig != 0)
		bus_wbuf_tokn(w, "termsig", ev->termsig);
	if (ev->core)
		bus_wbuf_lit(w, " core:1");
	if (ev->startsecs >= 0)
		bus_wbuf_tokn(w, "startsecs", ev->startsecs);
	if (ev->spawnerr != NULL)
		bus_wbuf_tok(w, "spawnerr", ev->spawnerr);
	if (ev->gave_up)
		bus_wbuf_lit(w, " gaveup:1");
	if (ev->pid > 0 && !bus_state_payload_has_pid(ev->type))
		bus_wbuf_tokn(w, "pid", ev->pid);
}

static void
bus_proc_state_payload(struct bus_wbuf *w, const struct bus_event *ev)
{
	bus_names_write(w, ev);
	bus_wbuf_lit(w, " from_state:");
	bus_wbuf_str(w, ev->from_state);
	switch (ev->type) {
	case BUS_PROCESS_STATE_STARTING:
	case BUS_PROCESS_STATE_BACKOFF:
		bus_wbuf_tokn(w, "tries", ev->tries);
		break;
	case BUS_PROCESS_STATE_EXITED:
		bus_wbuf_tokn(w, "expected", ev->expected != 0);
		/* FALLTHROUGH */
	case BUS_PROCESS_STATE_RUNNING:
	case BUS_PROCESS_STATE_STOPPING:
	case BUS_PROCESS_STATE_STOPPED:
		bus_wbuf_tokn(w, "pid", ev->pid);
		break;
	default:
		break;
	}
}

static int
bus_proc_state_parse(struct bus_rd *r, struct bus_event *ev)
{
	if (bus_rd_names(r, ev) == -1 ||
	    bus_rd_lit(r, " from_state:") == -1 ||
	    bus_rd_state(r, &ev->from_state) == -1)
		return -1;
	switch (ev->type) {
	case BUS_PROCESS_STATE_STARTING:
	case BUS_PROCESS_STATE_BACKOFF:
		if (bus_rd_lit(r, " tries:") == -1 ||
		    bus_rd_int(r, 0, INT_MAX, &ev->tries) == -1)
			return -1;
		break;
	case BUS_PROCESS_STATE_EXITED:
		if (bus_rd_lit(r, " expected:") == -1 ||
		    bus_rd_int(r, 0, 1, &ev->expected) == -1)
			return -1;
		/* FALLTHROUGH */
	case BUS_PROCESS_STATE_RUNNING:
	case BUS_PROCESS_STATE_STOPPING:
	case BUS_PROCESS_STATE_STOPPED:
		if (bus_rd_lit(r, " pid:") == -1 ||
		    bus_rd_int(r, 0, INT_MAX, &ev->pid) == -1)
			return -1;
		break;
	default:
		break;
	}
	return bus_rd_end(r);
}

static void
bus_proc_log_tokens(struct bus_wbuf *w, const struct bus_event *ev)
{
	bus_names_tokens(w, ev);
	if (ev->events_enabled)
		bus_wbuf_lit(w, " events:1");
}

static const char *
bus_proc_log_channel(enum bus_type t)
{
	return t == BUS_PROCESS_LOG_STDOUT ? "stdout" : "stderr";
}

static void
bus_proc_log_payload(struct bus_wbuf *w, const struct bus_event *ev)
{
	bus_names_write(w, ev);
	bus_wbuf_tokn(w, "pid", ev->pid);
	bus_wbuf_lit(w, " channel:");
	bus_wbuf_str(w, bus_proc_log_channel(ev->type));
	bus_wbuf_lit(w, "\n");
	bus_wbuf_put(w, ev->data, ev->datalen);
}

static int
bus_proc_log_parse(struct bus_rd *r, struct bus_event *ev)
{
	if (bus_rd_names(r, ev) == -1 ||
	    bus_rd_lit(r, " pid:") == -1 ||
	    bus_rd_int(r, 0, INT_MAX, &ev->pid) == -1 ||
	    bus_rd_lit(r, " channel:") == -1 ||
	    bus_rd_str(r, bus_proc_log_channel(ev->type)) == -1 ||
	    bus_rd_lit(r, "\n") == -1)
		return -1;
	return bus_rd_data(r, ev);
}

static void
bus_proc_comm_tokens(struct bus_wbuf *w, const struct bus_event *ev)
{
	bus_names_tokens(w, ev);
}

static void
bus_proc_comm_payload(struct bus_wbuf *w, const struct bus_event *ev)
{
	bus_names_write(w, ev);
	bus_wbuf_tokn(w, "pid", ev->pid);
	bus_wbuf_lit(w, "\n");
	bus_wbuf_put(w, ev->data, ev->datalen);
}

static int
bus_proc_comm_parse(struct bus_rd *r, struct bus_event *ev)
{
	if (bus_rd_names(r, ev) == -1 ||
	    bus_rd_lit(r, " pid:") == -1 ||
	    bus_rd_int(r, 0, INT_MAX, &ev->pid) == -1 ||
	    bus_rd_lit(r, "\n") == -1)
		return -1;
	return bus_rd_data(r, ev);
}

static void
bus_remote_comm_tokens(struct bus_wbuf *w, const struct bus_event *ev)
{
	bus_wbuf_tok(w, "type", ev->comm_type);
}

static void
bus_remote_comm_payload(struct bus_wbuf *w, const struct bus_event *ev)
{
	bus_wbuf_lit(w, "type:");
	bus_wbuf_str(w, ev->comm_type);
	bus_wbuf_lit(w, "\n");
	bus_wbuf_put(w, ev->data, ev->datalen);
}

static int
bus_remote_comm_parse(struct bus_rd *r, struct bus_event *ev)
{
	if (bus_rd_lit(r, "type:") == -1 ||
	    bus_rd_str(r, ev->comm_type) == -1 ||
	    bus_rd_lit(r, "\n") == -1)
		return -1;
	return bus_rd_data(r, ev);
}

static void
bus_empty_tokens(struct bus_wbuf *w, const struct bus_event *ev)
{
}

static void
bus_empty_payload(struct bus_wbuf *w, const struct bus_event *ev)
{
}

static int
bus_empty_parse(struct bus_rd *r, struct bus_event *ev)
{
	return bus_rd_end(r);
}

static void
bus_tick_tokens(struct bus_wbuf *w, const struct bus_event *ev)
{
}

static void
bus_tick_payload(struct bus_wbuf *w, const struct bus_event *ev)
{
	bus_wbuf_lit(w, "when:");
	bus_wbuf_i64(w, ev->when);
}

static int
bus_tick_parse(struct bus_rd *r, struct bus_event *ev)
{
	if (bus_rd_lit(r, "when:") == -1 ||
	    bus_rd_num(r, LLONG_MIN, LLONG_MAX, &ev->when) == -1)
		return -1;
	return bus_rd_end(r);
}

static void
bus_group_tokens(struct bus_wbuf *w, const struct bus_event *ev)
{
	bus_wbuf_tok(w, "group", ev->groupname);
}

static void
bus_group_payload(struct bus_wbuf *w, const struct bus_event *ev)
{
	bus_wbuf_lit(w, "groupname:");
	bus_wbuf_str(w, ev->groupname);
	bus_wbuf_lit(w, "\n");
}

static int
bus_group_parse(struct bus_rd *r, struct bus_event *ev)
{
	if (bus_rd_lit(r, "groupname:") == -1 ||
	    bus_rd_str(r, ev->groupname) == -1 ||
	    bus_rd_lit(r, "\n") == -1)
		return -1;
	return bus_rd_end(r);
}
