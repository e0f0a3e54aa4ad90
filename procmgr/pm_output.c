/*
 * pm_output.c: a child's pipes. stdout and stderr are read (a few reads
 * and at most PM_READ_MAX bytes per pipe per loop iteration, so a chatty
 * child cannot starve the loop; each read is one chunk),
 * optionally stripped of ANSI escapes, split by capture mode, and
 * published as PROCESS_LOG_* / PROCESS_COMMUNICATION_*. stdin gets a
 * queue written as the pipe allows.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus.h"
#include "log.h"
#include "pm_int.h"

#define PM_READ_MAX	(128 * 1024)
#define PM_DRAIN_READS	64
/*
 * Reads per loop iteration, shared by the pipes that had data. A pipe in
 * packet mode hands out one write(2) per read(2), so a child writing
 * lines fills it with small packets; taking several per wake-up spreads
 * the loop's own cost per iteration (the poll, the bus's wake-up) over
 * more events. The share is PM_ITER_READS over the pipes read in the
 * previous busy iteration, between 1 and PM_CB_READS: two busy children
 * get 16 reads each, twenty get one each, as before, so the iteration
 * stays short and listeners are served as often.
 */
#define PM_ITER_READS	32
#define PM_CB_READS	16

static unsigned int	pm_out_iter;	/* ev_iteration being counted */
static unsigned int	pm_out_pipes;	/* pipes read in it */
static unsigned int	pm_out_share = 1;

/* Drop ESC[ ... up to and including one of HfABCDRsuJKhlpm; new length. */
size_t
pm_strip_ansi(char *s, size_t len)
{
	size_t	 i = 0, o = 0;

	while (i < len) {
		if (s[i] == '\033' && i + 1 < len && s[i + 1] == '[') {
			for (i += 2; i < len &&
			    strchr("HfABCDRsuJKhlpm", s[i]) == NULL; i++)
				;
			i++;
			continue;
		}
		s[o++] = s[i++];
	}
	return o;
}

static const struct pm_logconf *
pm_chan_conf(const struct pm_chan *ch)
{
	return ch->is_err ? &ch->proc->conf->err : &ch->proc->conf->out;
}

static bool
pm_chan_captures(const struct pm_chan *ch)
{
	if (!ch->is_err && ch->proc->group->conf.type == PM_GROUP_LISTENER)
		return false;
	return pm_chan_conf(ch)->capture_maxbytes > 0;
}

/* Publish one chunk of normal output. */
static void
pm_chan_log(struct pm_chan *ch, char *data, size_t len)
{
	struct bus_event	 ev = BUS_EVENT_ZERO;
	struct pm_proc		*p = ch->proc;

	if (p->pm->cfg != NULL && p->pm->cfg->sd.strip_ansi)
		len = pm_strip_ansi(data, len);
	if (len == 0)
		return;
	ev.type = ch->is_err ? BUS_PROCESS_LOG_STDERR : BUS_PROCESS_LOG_STDOUT;
	ev.processname = p->conf->name;
	ev.groupname = p->group->conf.name;
	ev.pid = p->pid;
	ev.data = data;
	ev.datalen = len;
	ev.events_enabled = pm_chan_conf(ch)->events_enabled;
	pm_publish(p->pm, &ev);
}

/* Append to the capture buffer, keeping the newest capture_maxbytes. */
static void
pm_chan_capture(struct pm_chan *ch, char *data, size_t len)
{
	size_t	 max = (size_t)pm_chan_conf(ch)->capture_maxbytes;

	if (ch->proc->pm->cfg != NULL && ch->proc->pm->cfg->sd.strip_ansi)
		len = pm_strip_ansi(data, len);
	if (len >= max) {
		data += len - max;
		len = max;
		ch->caplen = 0;
	} else if (ch->caplen + len > max) {
		memmove(ch->cap, ch->cap + (ch->caplen + len - max),
		    max - len);
		ch->caplen = max - len;
	}
	if (ch->cap == NULL)
		ch->cap = xmalloc(max);
	memcpy(ch->cap + ch->caplen, data, len);
	ch->caplen += len;
}

/* END seen: publish the captured bytes and go back to normal output. */
static void
pm_chan_comm(struct pm_chan *ch)
{
	struct bus_event	 ev = BUS_EVENT_ZERO;
	struct pm_proc		*p = ch->proc;

	ev.type = ch->is_err ? BUS_PROCESS_COMMUNICATION_STDERR :
	    BUS_PROCESS_COMMUNICATION_STDOUT;
	ev.processname = p->conf->name;
	ev.groupname = p->group->conf.name;
	ev.pid = p->pid;
	ev.data = ch->cap != NULL ? ch->cap : "";
	ev.datalen = ch->caplen;
	pm_publish(p->pm, &ev);
	log_debug("'%s' %s emitted a comm event", p->conf->name,
	    ch->is_err ? "stderr" : "stdout");
	ch->caplen = 0;
}

/* One piece from the token scanner. */
static void
pm_chan_scanned(void *arg, enum pm_capscan_kind kind, char *data, size_t len)
{
	struct pm_chan	*ch = arg;

	switch (kind) {
	case PM_CAPSCAN_TEXT:
		pm_chan_log(ch, data, len);
		break;
	case PM_CAPSCAN_CAPTURE:
		pm_chan_capture(ch, data, len);
		break;
	case PM_CAPSCAN_END:
		pm_chan_comm(ch);
		break;
	}
}

static void
pm_chan_data(struct pm_chan *ch, char *data, size_t len)
{
	if (pm_chan_captures(ch))
		pm_capscan_feed(&ch->scan, data, len, pm_chan_scanned, ch);
	else
		pm_chan_log(ch, data, len);
}

/* Close one output channel; held-back bytes go out as normal output. */
static void
pm_chan_close(struct pm_chan *ch)
{
	if (ch->fd == -1)
		return;
	ev_io_stop(ch->proc->pm->loop, &ch->io);
	close(ch->fd);
	ch->fd = -1;
	pm_capscan_close(&ch->scan, pm_chan_scanned, ch);
	free(ch->cap);
	ch->cap = NULL;
	ch->caplen = 0;
}

/* One read; the bytes that came, 0 if none now, -1 once closed. */
static ssize_t
pm_chan_read(struct pm_chan *ch)
{
	static char	 buf[PM_READ_MAX];
	ssize_t		 n;

	if (ch->fd == -1)
		return -1;
	n = read(ch->fd, buf, sizeof(buf));
	if (n > 0) {
		pm_chan_data(ch, buf, (size_t)n);
		return n;
	}
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return 0;
	pm_chan_close(ch);
	return -1;
}

/* Reads for one pipe in this iteration. */
static unsigned int
pm_chan_share(struct ev_loop *loop)
{
	unsigned int	 it = ev_iteration(loop), share;

	if (it != pm_out_iter) {
		if (pm_out_pipes > 0) {
			share = PM_ITER_READS / pm_out_pipes;
			pm_out_share = share < 1 ? 1 : share > PM_CB_READS ?
			    PM_CB_READS : share;
		}
		pm_out_iter = it;
		pm_out_pipes = 0;
	}
	pm_out_pipes++;
	return pm_out_share;
}

static void
pm_chan_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	unsigned int	 i, share = pm_chan_share(loop);
	ssize_t		 n, total = 0;

	for (i = 0; i < share && total < PM_READ_MAX; i++) {
		if ((n = pm_chan_read(w->data)) <= 0)
			break;
		total += n;
	}
}

static void
pm_chan_open(struct pm_chan *ch, struct pm_proc *p, int fd, bool is_err)
{
	memset(ch, 0, sizeof(*ch));
	ch->proc = p;
	ch->is_err = is_err;
	ch->fd = fd;
	if (fd == -1)
		return;
	ev_io_init(&ch->io, pm_chan_cb, fd, EV_READ);
	ch->io.data = ch;
	ev_io_start(p->pm->loop, &ch->io);
}

/* ---- stdin ---- */

static void
pm_in_close(struct pm_proc *p)
{
	if (p->infd != -1) {
		ev_io_stop(p->pm->loop, &p->inio);
		close(p->infd);
		p->infd = -1;
	}
	free(p->inq.buf);
	memset(&p->inq, 0, sizeof(p->inq));
}

/* Write what the pipe takes; 0, or -1 when the pipe is gone. */
static int
pm_in_flush(struct pm_proc *p)
{
	struct pm_inq	*q = &p->inq;
	ssize_t		 n;

	while (q->off < q->len) {
		n = write(p->infd, q->buf + q->off, q->len - q->off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			break;
		if (n == -1) {
			pm_in_close(p);
			return -1;
		}
		q->off += n;
	}
	if (q->off == q->len) {
		q->off = q->len = 0;
		ev_io_stop(p->pm->loop, &p->inio);
	} else
		ev_io_start(p->pm->loop, &p->inio);
	return 0;
}

static void
pm_in_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)pm_in_flush(w->data);
}

enum pm_result
pm_output_write(struct pm_proc *p, const void *data, size_t len)
{
	struct pm_inq	*q = &p->inq;

	if (p->infd == -1)
		return PM_ERR_NO_FILE;
	if (q->off > 0) {
		memmove(q->buf, q->buf + q->off, q->len - q->off);
		q->len -= q->off;
		q->off = 0;
	}
	if (q->len + len > q->cap) {
		q->cap = (q->len + len) * 2;
		q->buf = xrealloc(q->buf, q->cap);
	}
	memcpy(q->buf + q->len, data, len);
	q->len += len;
	return pm_in_flush(p) == 0 ? PM_OK : PM_ERR_NO_FILE;
}

/* ---- per process ---- */

void
pm_output_start(struct pm_proc *p, int outfd, int errfd, int infd)
{
	pm_chan_open(&p->out, p, outfd, false);
	pm_chan_open(&p->err, p, errfd, true);
	p->infd = infd;
	memset(&p->inq, 0, sizeof(p->inq));
	if (infd != -1) {
		ev_io_init(&p->inio, pm_in_cb, infd, EV_WRITE);
		p->inio.data = p;
	}
}

/* Read what the pipes hold now, so output precedes the exit event. */
void
pm_output_drain(struct pm_proc *p)
{
	int	 i;

	for (i = 0; i < PM_DRAIN_READS && pm_chan_read(&p->out) > 0; i++)
		;
	for (i = 0; i < PM_DRAIN_READS && pm_chan_read(&p->err) > 0; i++)
		;
}

void
pm_output_close(struct pm_proc *p)
{
	pm_chan_close(&p->out);
	pm_chan_close(&p->err);
	pm_in_close(p);
}
