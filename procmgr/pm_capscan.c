/*
 * pm_capscan.c: split a child's output by Supervisor's capture tokens.
 * A token may straddle two reads: the tail of a read that could start the
 * awaited token is held back and joined to the next read.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pm_capscan.h"

static const char pm_tok_begin[] = "<!--XSUPERVISOR:BEGIN-->";
static const char pm_tok_end[] = "<!--XSUPERVISOR:END-->";

/* Longest tail of s that is a proper prefix of tok. */
static size_t
pm_capscan_tail(const char *s, size_t len, const char *tok, size_t toklen)
{
	size_t	 k;

	for (k = toklen - 1 < len ? toklen - 1 : len; k > 0; k--)
		if (memcmp(s + len - k, tok, k) == 0)
			return k;
	return 0;
}

static void
pm_capscan_emit(struct pm_capscan *s, char *data, size_t len,
    pm_capscan_cb *cb, void *arg)
{
	if (len > 0)
		cb(arg, s->capturemode ? PM_CAPSCAN_CAPTURE : PM_CAPSCAN_TEXT,
		    data, len);
}

void
pm_capscan_feed(struct pm_capscan *s, char *data, size_t len,
    pm_capscan_cb *cb, void *arg)
{
	const char	*tok;
	char		*hit, *joined = NULL;
	size_t		 toklen, k;

	if (s->pendlen > 0) {
		joined = xmalloc(s->pendlen + len);
		memcpy(joined, s->pend, s->pendlen);
		memcpy(joined + s->pendlen, data, len);
		len += s->pendlen;
		s->pendlen = 0;
		data = joined;
	}
	for (;;) {
		tok = s->capturemode ? pm_tok_end : pm_tok_begin;
		toklen = strlen(tok);
		if ((hit = memmem(data, len, tok, toklen)) == NULL)
			break;
		pm_capscan_emit(s, data, hit - data, cb, arg);
		if (s->capturemode)
			cb(arg, PM_CAPSCAN_END, NULL, 0);
		s->capturemode = !s->capturemode;
		len -= hit + toklen - data;
		data = hit + toklen;
	}
	if ((k = pm_capscan_tail(data, len, tok, toklen)) > 0) {
		s->pend = xrealloc(s->pend, k);
		memcpy(s->pend, data + len - k, k);
		s->pendlen = k;
	}
	pm_capscan_emit(s, data, len - k, cb, arg);
	free(joined);
}

void
pm_capscan_close(struct pm_capscan *s, pm_capscan_cb *cb, void *arg)
{
	if (s->pendlen > 0 && !s->capturemode)
		cb(arg, PM_CAPSCAN_TEXT, s->pend, s->pendlen);
	free(s->pend);
	s->pend = NULL;
	s->pendlen = 0;
	s->capturemode = false;
}
