/*
 * bus_record.c: the flight recorder. A subscriber of every event that
 * appends each one, with the wall-clock time, to a file:
 *
 *	@SECONDS.MICROS LEN\n<LEN bytes: the bus message>\n
 *
 * The message is the wire format of README "The bus" (re-encoded from
 * the decoded event, which gives the same bytes). Records are gathered
 * in memory and written when 64 KiB are pending or 0.2 s after the first
 * one, so a burst costs few write calls and the loop never waits on the
 * disk for long. When the file would pass maxbytes it becomes path.1
 * and a new file starts (maxbytes 0: no cap).
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "bus.h"
#include "bus_int.h"
#include "log.h"

#define BUS_REC_FLUSH_BYTES	(64 * 1024)
#define BUS_REC_FLUSH_SECS	0.2

struct bus_rec {
	struct bus	*bus;
	char		*path;
	long long	 maxbytes;
	int		 fd;
	long long	 size;		/* file plus pending bytes */
	char		*buf;		/* pending records */
	size_t		 len, cap;
	ev_timer	 flush;
	bool		 failed;	/* a write failed: said once */
};

static int
bus_rec_open(struct bus_rec *rc, char *err, size_t errlen)
{
	struct stat	 st;

	rc->fd = open(rc->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0644);
	if (rc->fd == -1 || fstat(rc->fd, &st) == -1) {
		if (err != NULL)
			snprintf(err, errlen, "bus_record: %s: %s", rc->path,
			    strerror(errno));
		if (rc->fd != -1)
			close(rc->fd);
		rc->fd = -1;
		return -1;
	}
	rc->size = st.st_size;
	return 0;
}

static void
bus_rec_write(struct bus_rec *rc)
{
	size_t	 off = 0;
	ssize_t	 n;

	ev_timer_stop(rc->bus->loop, &rc->flush);
	while (rc->fd != -1 && off < rc->len) {
		if ((n = write(rc->fd, rc->buf + off, rc->len - off)) == -1) {
			if (errno == EINTR)
				continue;
			if (!rc->failed)
				log_warn("bus_record: %s", rc->path);
			rc->failed = true;
			break;
		}
		off += (size_t)n;
	}
	rc->len = 0;
}

static void
bus_rec_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	bus_rec_write(w->data);
}

/* path becomes path.1; a new path is opened. */
static void
bus_rec_rotate(struct bus_rec *rc)
{
	char	*old;

	bus_rec_write(rc);
	xasprintf(&old, "%s.1", rc->path);
	if (rename(rc->path, old) == -1)
		log_warn("bus_record: rename %s", rc->path);
	free(old);
	if (rc->fd != -1)
		close(rc->fd);
	if (bus_rec_open(rc, NULL, 0) == -1 && !rc->failed) {
		log_warn("bus_record: %s", rc->path);
		rc->failed = true;
	}
	rc->size = 0;
}

static void
bus_rec_on_event(const struct bus_event *ev, void *arg)
{
	struct bus_rec	*rc = arg;
	char		 head[64];
	size_t		 mlen, hlen;
	int		 n;
	ev_tstamp	 now = ev_now(rc->bus->loop);

	mlen = bus_encode_size(ev, ev->serial);
	n = snprintf(head, sizeof(head), "@%.6f %zu\n", now, mlen);
	hlen = (size_t)n;
	if (rc->maxbytes > 0 && rc->size > 0 &&
	    rc->size + (long long)(hlen + mlen + 1) > rc->maxbytes)
		bus_rec_rotate(rc);
	if (rc->len + hlen + mlen + 1 > rc->cap) {
		rc->cap = rc->len + hlen + mlen + 1 + BUS_REC_FLUSH_BYTES;
		rc->buf = xrealloc(rc->buf, rc->cap);
	}
	memcpy(rc->buf + rc->len, head, hlen);
	bus_encode_write(ev, ev->serial, rc->buf + rc->len + hlen, mlen);
	rc->buf[rc->len + hlen + mlen] = '\n';
	rc->len += hlen + mlen + 1;
	rc->size += (long long)(hlen + mlen + 1);
	if (rc->len >= BUS_REC_FLUSH_BYTES)
		bus_rec_write(rc);
	else if (!ev_is_active(&rc->flush)) {
		ev_timer_set(&rc->flush, BUS_REC_FLUSH_SECS, 0.);
		ev_timer_start(rc->bus->loop, &rc->flush);
	}
}

void
bus_record_close(struct bus *b)
{
	struct bus_rec	*rc = b->rec;

	if (rc == NULL)
		return;
	bus_unsubscribe(b, bus_rec_on_event, rc);
	bus_rec_write(rc);
	if (rc->fd != -1)
		close(rc->fd);
	free(rc->path);
	free(rc->buf);
	free(rc);
	b->rec = NULL;
}

int
bus_record_configure(struct bus *b, const char *path, long long maxbytes,
    char *err, size_t errlen)
{
	struct bus_rec	*rc;

	if (b->rec != NULL && path != NULL &&
	    strcmp(b->rec->path, path) == 0) {
		b->rec->maxbytes = maxbytes;
		return 0;
	}
	if (path == NULL) {
		bus_record_close(b);
		return 0;
	}
	rc = xcalloc(1, sizeof(*rc));
	rc->bus = b;
	rc->path = xstrdup(path);
	rc->maxbytes = maxbytes;
	if (bus_rec_open(rc, err, errlen) == -1) {
		free(rc->path);
		free(rc);
		return -1;
	}
	bus_record_close(b);
	ev_timer_init(&rc->flush, bus_rec_timer_cb, BUS_REC_FLUSH_SECS, 0.);
	rc->flush.data = rc;
	if (bus_subscribe(b, "", bus_rec_on_event, rc) == -1) {
		snprintf(err, errlen, "bus_record: cannot subscribe: %s",
		    strerror(errno));
		close(rc->fd);
		free(rc->path);
		free(rc);
		return -1;
	}
	b->rec = rc;
	return 0;
}
