/*
 * logger_child.c: the stdout and stderr logs of every process.
 *
 * A group's files are opened when PROCESS_GROUP_ADDED arrives (the paths
 * come from pm_group_conf, with AUTO names already made) and closed on
 * PROCESS_GROUP_REMOVED. Output chunks are written raw. A full disk or a
 * vanished directory must never take the daemon down: the first failure
 * is reported in the main log, writing goes on being tried, and the
 * recovery is reported too.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/uio.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bus.h"
#include "log.h"
#include "logger.h"
#include "logger_int.h"
#include "logger_syslog.h"
#include "pm.h"

/* A syslog line longer than this is sent in pieces. */
#define LOGGER_LINE_MAX	2048

static const char *const logger_chan_names[LOGGER_NCHANS] = {
	[LOGGER_STDOUT] = "stdout",
	[LOGGER_STDERR] = "stderr",
};

static struct logger_proc *
logger_proc_find(struct logger *lg, const char *group, const char *name)
{
	struct logger_proc	*p;

	if ((p = lg->last) != NULL && strcmp(p->name, name) == 0 &&
	    strcmp(p->group, group) == 0)
		return p;
	for (p = lg->procs; p != NULL; p = p->next)
		if (strcmp(p->name, name) == 0 && strcmp(p->group, group) == 0)
			return lg->last = p;
	return NULL;
}

/* Report a file failure once, when a channel goes from fine to failing. */
static void
logger_chan_report(struct logger *lg, const struct logger_proc *p, int c,
    const char *what, int was)
{
	const struct logger_chan *ch = &p->chan[c];

	if (ch->file.err != 0 && was == 0)
		logger_main_printf(lg, LOG_ERRO, "could not %s the %s log of "
		    "'%s' (%s): %s", what, logger_chan_names[c], p->name,
		    ch->file.path, strerror(ch->file.err));
	else if (ch->file.err == 0 && was != 0)
		logger_main_printf(lg, LOG_INFO, "writing the %s log of '%s' "
		    "(%s) again", logger_chan_names[c], p->name, ch->file.path);
}

static void
logger_chan_open(struct logger *lg, struct logger_proc *p, int c,
    const struct pm_logconf *lc)
{
	struct logger_chan	*ch = &p->chan[c];
	struct logger_file	 zero = LOGGER_FILE_ZERO;

	ch->file = zero;
	ch->syslog = lc->syslog;
	if (lc->path == NULL)
		return;
	if (logger_file_open(&ch->file, lc->path, lc->maxbytes,
	    lc->backups) == -1) {
		logger_chan_report(lg, p, c, "open", 0);
		ch->retry = time(NULL) + 1;
	}
}

/* syslog("<name> <line>") for one line (without its newline). */
static void
logger_chan_syslog_line(const struct logger_proc *p, const char *s,
    size_t len)
{
	logger_syslog_send(p->sphead, s, len);
}

/* Keep a partial line for later; a too long one goes out in pieces. */
static void
logger_chan_syslog_keep(struct logger_proc *p, struct logger_chan *ch,
    const char *s, size_t len)
{
	size_t	 n;

	if (ch->line == NULL)
		ch->line = xmalloc(LOGGER_LINE_MAX);
	while (len > 0) {
		n = LOGGER_LINE_MAX - ch->linelen;
		if (n > len)
			n = len;
		memcpy(ch->line + ch->linelen, s, n);
		ch->linelen += n;
		s += n;
		len -= n;
		if (ch->linelen == LOGGER_LINE_MAX) {
			logger_chan_syslog_line(p, ch->line, ch->linelen);
			ch->linelen = 0;
		}
	}
}

/* Send every complete line of the chunk; keep the tail. */
static void
logger_chan_syslog(struct logger_proc *p, struct logger_chan *ch,
    const char *s, size_t len)
{
	const char	*nl;
	size_t		 n;

	while ((nl = memchr(s, '\n', len)) != NULL) {
		n = nl - s;
		if (ch->linelen > 0) {
			logger_chan_syslog_keep(p, ch, s, n);
			logger_chan_syslog_line(p, ch->line, ch->linelen);
			ch->linelen = 0;
		} else
			logger_chan_syslog_line(p, s, n);
		s = nl + 1;
		len -= n + 1;
	}
	if (len > 0)
		logger_chan_syslog_keep(p, ch, s, len);
}

static void
logger_chan_syslog_flush(struct logger_proc *p, struct logger_chan *ch)
{
	if (ch->linelen > 0)
		logger_chan_syslog_line(p, ch->line, ch->linelen);
	ch->linelen = 0;
}

/* Write one chunk to the file; a closed file is retried once a second. */
static void
logger_chan_write(struct logger *lg, struct logger_proc *p, int c,
    const char *data, size_t len)
{
	struct logger_chan	*ch = &p->chan[c];
	int			 was = ch->file.err;
	time_t			 now;

	if (ch->file.fd == -1) {
		if ((now = time(NULL)) < ch->retry)
			return;
		ch->retry = now + 1;
		if (logger_file_reopen(&ch->file) == -1) {
			logger_chan_report(lg, p, c, "open", was);
			return;
		}
	}
	(void)logger_file_write(&ch->file, data, len);
	logger_chan_report(lg, p, c, "write", was);
}

static void
logger_proc_free(struct logger_proc *p)
{
	int	 c;

	for (c = 0; c < LOGGER_NCHANS; c++) {
		logger_chan_syslog_flush(p, &p->chan[c]);
		free(p->chan[c].line);
		logger_file_close(&p->chan[c].file);
	}
	free(p->group);
	free(p->name);
	free(p->sphead);
	free(p);
}

/* Open the logs of every process of a group, as procmgr has it now. */
void
logger_child_on_group_added(struct logger *lg, const char *group)
{
	const struct pm_groupconf	*gc;
	const struct pm_procconf	*pc;
	struct logger_proc		*p;
	size_t				 i;

	logger_child_on_group_removed(lg, group);
	if ((gc = pm_group_conf(lg->pm, group)) == NULL) {
		log_debug("no configuration for group %s, no logs", group);
		return;
	}
	for (i = 0; i < gc->nprocs; i++) {
		pc = &gc->procs[i];
		p = xcalloc(1, sizeof(*p));
		p->group = xstrdup(group);
		p->name = xstrdup(pc->name);
		xasprintf(&p->sphead, "%s ", pc->name);
		p->listener = gc->type == PM_GROUP_LISTENER;
		logger_chan_open(lg, p, LOGGER_STDOUT, &pc->out);
		logger_chan_open(lg, p, LOGGER_STDERR, &pc->err);
		p->next = lg->procs;
		lg->procs = p;
	}
}

void
logger_child_on_group_removed(struct logger *lg, const char *group)
{
	struct logger_proc	**pp, *p;

	lg->last = NULL;
	for (pp = &lg->procs; (p = *pp) != NULL; ) {
		if (strcmp(p->group, group) == 0) {
			*pp = p->next;
			logger_proc_free(p);
		} else
			pp = &p->next;
	}
}

/*
 * At debug, 4.2.5 copies output into the main log under a
 * "'NAME' stdout output:" line: as text when it is UTF-8, as a bytes
 * repr otherwise; an event listener's stdout always as bytes.
 */
static void
logger_child_copy(struct logger *lg, const struct bus_event *ev, int c,
    bool listener)
{
	struct iovec	 iov[2];
	size_t		 namelen = strlen(ev->processname), n;
	char		*s;
	bool		 text;

	text = !(listener && c == LOGGER_STDOUT) &&
	    logger_utf8_valid(ev->data, ev->datalen);
	s = logger_buf_grow(&lg->scratch, &lg->scratchsz, 4 * namelen + 64 +
	    (text ? 0 : 4 * ev->datalen + 4));
	n = logger_repr_str(s, 4 * namelen + 3, ev->processname);
	n += sprintf(s + n, " %s output:\n%s", logger_chan_names[c],
	    text || listener ? "" : "Undecodable: ");
	iov[0].iov_base = s;
	iov[0].iov_len = n;
	if (text) {
		iov[1].iov_base = (void *)ev->data;
		iov[1].iov_len = ev->datalen;
	} else {
		iov[1].iov_base = s + n;
		iov[1].iov_len = logger_repr_bytes(s + n, lg->scratchsz - n,
		    ev->data, ev->datalen);
	}
	logger_main_writev(lg, LOG_DEBG, iov, 2);
}

static bool
logger_group_known(struct logger *lg, const char *group)
{
	struct logger_proc	*p;

	for (p = lg->procs; p != NULL; p = p->next)
		if (strcmp(p->group, group) == 0)
			return true;
	return false;
}

/*
 * The process of an output chunk. A group procmgr runs but we have not
 * seen added (the logger came later, or the event is still queued) gets
 * its logs opened now.
 */
static struct logger_proc *
logger_proc_lookup(struct logger *lg, const char *group, const char *name)
{
	struct logger_proc	*p;

	if ((p = logger_proc_find(lg, group, name)) != NULL)
		return p;
	if (logger_group_known(lg, group) || pm_group_conf(lg->pm, group) ==
	    NULL)
		return NULL;
	logger_child_on_group_added(lg, group);
	return logger_proc_find(lg, group, name);
}

/* PROCESS_LOG_STDOUT / _STDERR: one chunk of a process's output. */
void
logger_child_on_output(struct logger *lg, const struct bus_event *ev)
{
	struct logger_proc	*p;
	int			 c;

	if (ev->processname == NULL || ev->groupname == NULL)
		fatalx("%s: %s without a process", __func__,
		    bus_type_name(ev->type));
	if (ev->datalen == 0)
		return;
	c = ev->type == BUS_PROCESS_LOG_STDOUT ? LOGGER_STDOUT : LOGGER_STDERR;
	p = logger_proc_lookup(lg, ev->groupname, ev->processname);
	if (p != NULL) {
		if (p->chan[c].file.path != NULL)
			logger_chan_write(lg, p, c, ev->data, ev->datalen);
		if (p->chan[c].syslog)
			logger_chan_syslog(p, &p->chan[c], ev->data,
			    ev->datalen);
	}
	if (log_enabled(LOG_DEBG))
		logger_child_copy(lg, ev, c, p != NULL && p->listener);
}

/* SIGUSR2 for the child logs. */
void
logger_child_reopen_all(struct logger *lg)
{
	struct logger_proc	*p;
	int			 c, was;

	for (p = lg->procs; p != NULL; p = p->next)
		for (c = 0; c < LOGGER_NCHANS; c++) {
			if (p->chan[c].file.path == NULL)
				continue;
			was = p->chan[c].file.err;
			(void)logger_file_reopen(&p->chan[c].file);
			logger_chan_report(lg, p, c, "open", was);
		}
}

/* clearProcessLogs: delete both files and start them empty. */
int
logger_child_clear(struct logger *lg, const char *group, const char *name)
{
	struct logger_proc	*p;
	int			 c, saved = 0;

	if ((p = logger_proc_find(lg, group, name)) == NULL) {
		errno = ESRCH;
		return -1;
	}
	for (c = 0; c < LOGGER_NCHANS; c++)
		if (p->chan[c].file.path != NULL &&
		    logger_file_remove(&p->chan[c].file) == -1)
			saved = errno;
	if (saved != 0) {
		errno = saved;
		return -1;
	}
	return 0;
}

/* Shutdown or tests: nothing may stay half-sent. */
void
logger_child_flush_all(struct logger *lg)
{
	struct logger_proc	*p;
	int			 c;

	for (p = lg->procs; p != NULL; p = p->next)
		for (c = 0; c < LOGGER_NCHANS; c++)
			logger_chan_syslog_flush(p, &p->chan[c]);
}

void
logger_child_free_all(struct logger *lg)
{
	struct logger_proc	*p;

	while ((p = lg->procs) != NULL) {
		lg->procs = p->next;
		logger_proc_free(p);
	}
	lg->last = NULL;
}

/* ---- AUTO log cleanup at start ---- */

/*
 * The names 4.2.5 deletes: "<anything>---<identifier>-<no spaces>.log",
 * matched from the start of the name (the optional ".N" suffix it also
 * lists cannot change a match). The identifier is taken literally here,
 * where 4.2.5 would read it as a regular expression.
 */
static int
logger_auto_regcomp(regex_t *re, const char *identifier)
{
	char		 pat[1024];
	const char	*s;
	size_t		 n;

	n = (size_t)snprintf(pat, sizeof(pat), "^.+---");
	for (s = identifier; *s != '\0' && n < sizeof(pat) - 64; s++) {
		if (strchr("\\^$.|?*+()[]{}", *s) != NULL)
			pat[n++] = '\\';
		pat[n++] = *s;
	}
	snprintf(pat + n, sizeof(pat) - n, "-[^[:space:]]+\\.log");
	return regcomp(re, pat, REG_EXTENDED | REG_NOSUB) == 0 ? 0 : -1;
}

static void
logger_auto_remove(const char *dir, const char *name)
{
	char	 path[PATH_MAX], repr[4 * PATH_MAX + 4];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path) || unlink(path) == -1) {
		logger_repr_str(repr, sizeof(repr), path);
		log_warnx("Failed to clean up %s", repr);
	}
}

void
logger_clean_auto(const struct pm_config *cfg)
{
	const char	*dir = cfg->sd.childlogdir;
	struct dirent	*de;
	regex_t		 re;
	DIR		*d;

	if (cfg->sd.nocleanup || dir == NULL)
		return;
	if ((d = opendir(dir)) == NULL) {
		log_warnx("Could not clear childlog dir");
		return;
	}
	if (logger_auto_regcomp(&re, cfg->sd.identifier != NULL ?
	    cfg->sd.identifier : "supervisor") == -1)
		fatalx("%s: cannot compile the AUTO log pattern", __func__);
	while ((de = readdir(d)) != NULL)
		if (regexec(&re, de->d_name, 0, NULL, 0) == 0)
			logger_auto_remove(dir, de->d_name);
	regfree(&re);
	closedir(d);
}
