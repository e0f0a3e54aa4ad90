/*
 * tap_out.c: how tap prints an event. Text is what an event listener
 * reads on stdin (Supervisor's header line with len: counting characters,
 * then the payload), followed by a newline so that the output reads as
 * lines. JSON is one object a line.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvbus.h"
#include "tap.h"

bool
tap_wanted(const struct tap_opts *o, const char *name)
{
	size_t	 i;

	if (o->nprefix == 0)
		return true;
	for (i = 0; i < o->nprefix; i++)
		if (strncmp(name, o->prefix[i], strlen(o->prefix[i])) == 0)
			return true;
	return false;
}

/* Length of a valid UTF-8 sequence at s, or 0. */
static size_t
tap_utf8_seq(const unsigned char *s, size_t n)
{
	size_t	 need, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		need = 1;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		need = 2;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		need = 3;
	else
		return 0;
	if (need >= n)
		return 0;
	for (i = 1; i <= need; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return need + 1;
}

/* Characters, as Supervisor counts them (a bad byte counts as one). */
static size_t
tap_chars(const char *s, size_t n)
{
	size_t	 i = 0, k, count = 0;

	while (i < n) {
		k = tap_utf8_seq((const unsigned char *)s + i, n - i);
		i += k == 0 ? 1 : k;
		count++;
	}
	return count;
}

char *
tap_listener_text(const struct tap_opts *o, uint64_t poolserial,
    const struct nvbus_event *ev, size_t *lenp)
{
	char	*head, *out;
	int	 n;

	n = asprintf(&head, "ver:3.0 server:%s serial:%" PRIu64 " pool:tap "
	    "poolserial:%" PRIu64 " eventname:%s len:%zu\n", o->server,
	    ev->serial, poolserial, ev->name,
	    tap_chars(ev->payload, ev->payloadlen));
	if (n == -1 || (out = malloc((size_t)n + ev->payloadlen)) == NULL) {
		perror("tap");
		exit(1);
	}
	memcpy(out, head, (size_t)n);
	memcpy(out + n, ev->payload, ev->payloadlen);
	free(head);
	*lenp = (size_t)n + ev->payloadlen;
	return out;
}

/* A JSON string; bytes that are not UTF-8 become U+FFFD. */
static void
tap_json_str(FILE *f, const char *s, size_t n)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, k;

	fputc('"', f);
	while (i < n) {
		if (u[i] == '"' || u[i] == '\\') {
			fputc('\\', f);
			fputc(u[i++], f);
		} else if (u[i] == '\n') {
			fputs("\\n", f);
			i++;
		} else if (u[i] < 0x20 || u[i] == 0x7f) {
			fprintf(f, "\\u%04x", u[i++]);
		} else if ((k = tap_utf8_seq(u + i, n - i)) == 0) {
			fputs("\\ufffd", f);
			i++;
		} else {
			fwrite(u + i, 1, k, f);
			i += k;
		}
	}
	fputc('"', f);
}

/* The payload's first line as "key":"value" members. */
static void
tap_json_headers(FILE *f, const char *p, size_t n)
{
	const char	*end = memchr(p, '\n', n), *tok, *sp, *colon;
	bool		 first = true;

	if (end == NULL)
		end = p + n;
	fputs("\"headers\":{", f);
	for (tok = p; tok < end; tok = sp + 1) {
		if ((sp = memchr(tok, ' ', end - tok)) == NULL)
			sp = end;
		if ((colon = memchr(tok, ':', sp - tok)) != NULL) {
			if (!first)
				fputc(',', f);
			first = false;
			tap_json_str(f, tok, colon - tok);
			fputc(':', f);
			tap_json_str(f, colon + 1, sp - colon - 1);
		}
	}
	fputc('}', f);
	if (end < p + n) {
		fputs(",\"data\":", f);
		tap_json_str(f, end + 1, p + n - end - 1);
	}
}

void
tap_print(FILE *f, const struct tap_opts *o, uint64_t poolserial,
    const struct nvbus_event *ev, double time)
{
	char	*text;
	size_t	 len;

	if (!o->json) {
		text = tap_listener_text(o, poolserial, ev, &len);
		fwrite(text, 1, len, f);
		fputc('\n', f);
		free(text);
		return;
	}
	fprintf(f, "{\"serial\":%" PRIu64 ",\"eventname\":\"%s\"", ev->serial,
	    ev->name);
	if (time >= 0)
		fprintf(f, ",\"time\":%.6f", time);
	fprintf(f, ",\"synthetic\":%s,", ev->synthetic ? "true" : "false");
	if (ev->caught_up)	/* came over XML-RPC after a gap */
		fputs("\"caught_up\":true,", f);
	tap_json_headers(f, ev->payload, ev->payloadlen);
	fputs(",\"payload\":", f);
	tap_json_str(f, ev->payload, ev->payloadlen);
	fputs("}\n", f);
}

void
tap_print_lost(FILE *f, const struct tap_opts *o, uint64_t from, uint64_t n)
{
	if (o->json)
		fprintf(f, "{\"gap_not_recoverable\":true,\"from\":%" PRIu64
		    ",\"to\":%" PRIu64 ",\"count\":%" PRIu64 "}\n", from,
		    from + n - 1, n);
	else
		fprintf(f, "gap not recoverable: serials %" PRIu64 " to %"
		    PRIu64 " (%" PRIu64 " events) lost\n", from, from + n - 1,
		    n);
}
