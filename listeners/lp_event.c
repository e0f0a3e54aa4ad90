/*
 * lp_event.c: an event as a listener receives it. The bus already
 * carries 4.2.5's payload; two things are left to do here.
 *
 * Undecodable output. 4.2.5 decodes a PROCESS_LOG or PROCESS_COMMUNICATION
 * chunk as strict UTF-8 and, when that fails, sends the text
 * "Undecodable: " followed by Python's repr() of the bytes (b'...') in its
 * place. We do the same, so a listener sees the very same payload.
 *
 * The len: token. 4.2.5 builds the envelope as a Python string and counts
 * its characters (code points), then writes it encoded as UTF-8. For ASCII
 * that is the byte count; a payload holding "é" says len:1 and carries two
 * bytes. Listeners written for 4.2.5 (supervisor.childutils reads stdin in
 * text mode) depend on that, so len: counts characters here too.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "lp_int.h"

_Static_assert(BUS_NTYPES <= 32, "an events mask is 32 bits");

#define LP_UNDECODABLE		"Undecodable: "
#define LP_UNDECODABLELEN	(sizeof(LP_UNDECODABLE) - 1)

/* Length of the valid UTF-8 sequence at s (Python's strict rules), or 0. */
static size_t
lp_utf8_seq(const unsigned char *s, size_t n)
{
	size_t		 need, i;
	uint32_t	 cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		need = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (n < need)
		return 0;
	for (i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((need == 3 && cp < 0x800) || (need == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return need;
}

bool
lp_utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t		 i = 0, k;

	while (i < n) {
		if ((k = lp_utf8_seq(u + i, n - i)) == 0)
			return false;
		i += k;
	}
	return true;
}

/* Characters in s; a byte that starts no valid sequence counts as one. */
size_t
lp_utf8_chars(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t		 i = 0, k, count = 0;

	while (i < n) {
		k = lp_utf8_seq(u + i, n - i);
		i += k == 0 ? 1 : k;
		count++;
	}
	return count;
}

char *
lp_bytes_repr(const char *s, size_t n, size_t *lenp)
{
	static const char hex[] = "0123456789abcdef";
	char		*out, *o, q = '\'';
	size_t		 i;
	unsigned char	 c;

	/* Python picks double quotes only for ' without " */
	if (memchr(s, '\'', n) != NULL && memchr(s, '"', n) == NULL)
		q = '"';
	o = out = xreallocarray(NULL, n + 1, 4);
	*o++ = 'b';
	*o++ = q;
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == (unsigned char)q || c == '\\') {
			*o++ = '\\';
			*o++ = c;
		} else if (c == '\t' || c == '\n' || c == '\r') {
			*o++ = '\\';
			*o++ = c == '\t' ? 't' : c == '\n' ? 'n' : 'r';
		} else if (c < 0x20 || c >= 0x7f) {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 0xf];
		} else
			*o++ = c;
	}
	*o++ = q;
	*o = '\0';
	*lenp = o - out;
	return out;
}

static bool
lp_event_has_output(enum bus_type t)
{
	return t == BUS_PROCESS_LOG_STDOUT || t == BUS_PROCESS_LOG_STDERR ||
	    t == BUS_PROCESS_COMMUNICATION_STDOUT ||
	    t == BUS_PROCESS_COMMUNICATION_STDERR;
}

/* The bus payload, or its head plus the Undecodable text. */
static char *
lp_event_format(const struct bus_event *bev, size_t *lenp)
{
	size_t		 head, rlen;
	char		*repr, *out;

	if (!lp_event_has_output(bev->type) || bev->datalen >
	    bev->payloadlen || lp_utf8_valid(bev->data, bev->datalen)) {
		*lenp = bev->payloadlen;
		return xstrndup(bev->payload, bev->payloadlen);
	}
	head = bev->payloadlen - bev->datalen;
	repr = lp_bytes_repr(bev->data, bev->datalen, &rlen);
	*lenp = head + LP_UNDECODABLELEN + rlen;
	out = xmalloc(*lenp + 1);
	memcpy(out, bev->payload, head);
	memcpy(out + head, LP_UNDECODABLE, LP_UNDECODABLELEN);
	memcpy(out + head + LP_UNDECODABLELEN, repr, rlen + 1);
	free(repr);
	return out;
}

struct lp_event *
lp_event_new(const struct bus_event *bev, uint64_t serial)
{
	struct lp_event	*ev;

	ev = xcalloc(1, sizeof(*ev));
	ev->refs = 1;
	ev->serial = serial;
	ev->type = bev->type;
	ev->payload = lp_event_format(bev, &ev->len);
	ev->nchars = lp_utf8_chars(ev->payload, ev->len);
	return ev;
}

struct lp_event *
lp_event_ref(struct lp_event *ev)
{
	ev->refs++;
	return ev;
}

void
lp_event_unref(struct lp_event *ev)
{
	if (ev == NULL || --ev->refs > 0)
		return;
	free(ev->payload);
	free(ev);
}

char *
lp_envelope_header(const char *server, uint64_t serial, const char *pool,
    uint64_t poolserial, const struct lp_event *ev, size_t *lenp)
{
	char	*s;
	int	 n;

	n = xasprintf(&s, "ver:3.0 server:%s serial:%" PRIu64 " pool:%s "
	    "poolserial:%" PRIu64 " eventname:%s len:%zu\n", server, serial,
	    pool, poolserial, bus_type_name(ev->type), ev->nchars);
	*lenp = (size_t)n;
	return s;
}

/*
 * Abstract types, each standing for every type whose name starts so.
 * The mask is a set: a pool that names an event twice (EVENT and TICK_5)
 * takes it once, where 4.2.5 buffers it once per matching name.
 */
static const struct {
	const char	*name;
	const char	*prefix;
} lp_abstract[] = {
	{ "EVENT",			"" },
	{ "PROCESS_STATE",		"PROCESS_STATE_" },
	{ "PROCESS_LOG",		"PROCESS_LOG_" },
	{ "PROCESS_COMMUNICATION",	"PROCESS_COMMUNICATION_" },
	{ "SUPERVISOR_STATE_CHANGE",	"SUPERVISOR_STATE_CHANGE_" },
	{ "TICK",			"TICK_" },
	{ "PROCESS_GROUP",		"PROCESS_GROUP_" },
};

static uint32_t
lp_events_mask1(const char *name)
{
	uint32_t	 mask = 0;
	size_t		 i, plen;
	int		 t;

	for (i = 0; i < sizeof(lp_abstract) / sizeof(lp_abstract[0]); i++) {
		if (strcmp(name, lp_abstract[i].name) != 0)
			continue;
		plen = strlen(lp_abstract[i].prefix);
		for (t = 0; t < BUS_NTYPES; t++)
			if (strncmp(bus_type_name(t), lp_abstract[i].prefix,
			    plen) == 0)
				mask |= UINT32_C(1) << t;
		return mask;
	}
	for (t = 0; t < BUS_NTYPES; t++)
		if (strcmp(bus_type_name(t), name) == 0)
			return UINT32_C(1) << t;
	return 0;
}

int
lp_events_mask(char *const *names, uint32_t *maskp)
{
	uint32_t	 mask = 0, m;

	for (; names != NULL && *names != NULL; names++) {
		if ((m = lp_events_mask1(*names)) == 0) {
			errno = EINVAL;
			return -1;
		}
		mask |= m;
	}
	*maskp = mask;
	return 0;
}
