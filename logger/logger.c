/*
 * logger.c: the logger as a whole. It owns the main log and the child
 * logs, installs itself as the log.h sink and takes its events from one
 * bus subscription.
 *
 * One subscription to "PROCESS_", not one per family: each subscription
 * is its own socket, and only within one socket is the publishing order
 * kept. A group's files must be open before its first output chunk, and
 * a "spawned:" line should precede the output it caused.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus.h"
#include "log.h"
#include "logger.h"
#include "logger_int.h"
#include "pm.h"

typedef void logger_handler(struct logger *, const struct bus_event *);

/* Main log lines logged in one loop iteration go out in one write. */
#define LOGGER_OUT_BUFSZ	(64 * 1024)

static void
logger_on_group_added(struct logger *lg, const struct bus_event *ev)
{
	if (ev->groupname == NULL)
		fatalx("%s: no group name", __func__);
	logger_child_on_group_added(lg, ev->groupname);
}

static void
logger_on_group_removed(struct logger *lg, const struct bus_event *ev)
{
	if (ev->groupname == NULL)
		fatalx("%s: no group name", __func__);
	logger_child_on_group_removed(lg, ev->groupname);
}

/* What the logger does per event; NULL: not its business. */
static logger_handler *const logger_handlers[BUS_NTYPES] = {
	[BUS_PROCESS_STATE_STOPPED] = logger_main_on_state,
	[BUS_PROCESS_STATE_STARTING] = logger_main_on_state,
	[BUS_PROCESS_STATE_RUNNING] = logger_main_on_state,
	[BUS_PROCESS_STATE_BACKOFF] = logger_main_on_state,
	[BUS_PROCESS_STATE_STOPPING] = logger_main_on_state,
	[BUS_PROCESS_STATE_EXITED] = logger_main_on_state,
	[BUS_PROCESS_STATE_FATAL] = logger_main_on_state,
	[BUS_PROCESS_STATE_UNKNOWN] = logger_main_on_state,
	[BUS_PROCESS_LOG_STDOUT] = logger_child_on_output,
	[BUS_PROCESS_LOG_STDERR] = logger_child_on_output,
	[BUS_PROCESS_GROUP_ADDED] = logger_on_group_added,
	[BUS_PROCESS_GROUP_REMOVED] = logger_on_group_removed,
};

/* The bus handler. */
void
logger_on_event(const struct bus_event *ev, void *arg)
{
	if ((unsigned)ev->type >= BUS_NTYPES)
		fatalx("%s: event type %d", __func__, (int)ev->type);
	/* a fire drill is for listeners: no log line, no child log data */
	if (ev->synthetic)
		return;
	if (logger_handlers[ev->type] != NULL)
		logger_handlers[ev->type](arg, ev);
}

/* Main log target, level and stdout copy from [supervisord]. */
static int
logger_main_configure(struct logger *lg, const struct pm_config *cfg,
    char *err, size_t errlen)
{
	const struct pm_sdconf	*sd = &cfg->sd;

	if (logger_main_open(lg, sd->logfile, sd->logfile_syslog,
	    sd->logfile_maxbytes, sd->logfile_backups, err, errlen) == -1)
		return -1;
	log_set_level((enum log_level)sd->loglevel);
	lg->main_stdout = sd->nodaemon && !sd->silent;
	return 0;
}

static void
logger_flush_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	logger_main_flush(w->data);
}

struct logger *
logger_new(struct ev_loop *loop, struct bus *bus, struct pm *pm,
    const struct pm_config *cfg, char *err, size_t errlen)
{
	struct logger_file	 out = LOGGER_FILE_ZERO;
	struct logger		*lg;

	lg = xcalloc(1, sizeof(*lg));
	lg->loop = loop;
	lg->bus = bus;
	lg->pm = pm;
	lg->out = out;
	lg->out.fd = STDOUT_FILENO;
	if (logger_main_configure(lg, cfg, err, errlen) == -1) {
		free(lg);
		return NULL;
	}
	if (loop != NULL) {
		logger_file_buffer(&lg->out, LOGGER_OUT_BUFSZ);
		ev_prepare_init(&lg->flush, logger_flush_cb);
		lg->flush.data = lg;
		ev_prepare_start(loop, &lg->flush);
		ev_unref(loop);		/* it keeps no loop running */
	}
	if (bus != NULL &&
	    bus_subscribe(bus, "PROCESS_", logger_on_event, lg) == -1) {
		snprintf(err, errlen, "could not subscribe to the event bus: "
		    "%s", strerror(errno));
		logger_main_close(lg);
		free(lg);
		return NULL;
	}
	log_set_sink(logger_main_sink, lg);
	return lg;
}

/*
 * The bus cannot unsubscribe: call this once the loop no longer runs and
 * nothing will drain the bus again.
 */
void
logger_free(struct logger *lg)
{
	if (lg == NULL)
		return;
	log_set_sink(NULL, NULL);
	if (lg->bus != NULL)
		bus_unsubscribe(lg->bus, logger_on_event, lg);
	if (lg->loop != NULL) {
		ev_ref(lg->loop);
		ev_prepare_stop(lg->loop, &lg->flush);
	}
	logger_main_flush(lg);
	logger_child_free_all(lg);
	logger_main_close(lg);
	free(lg->out.wbuf);
	free(lg->scratch);
	free(lg->flat);
	free(lg);
}

/*
 * After a reload: the main log as the new [supervisord] says. The old
 * target stays in use if the new one cannot be opened.
 */
int
logger_reconfigure(struct logger *lg, const struct pm_config *cfg, char *err,
    size_t errlen)
{
	struct logger_file	 old;
	bool			 oldsys = lg->main_syslog;

	logger_main_flush(lg);
	old = lg->main;
	if (logger_main_configure(lg, cfg, err, errlen) == -1) {
		lg->main = old;
		lg->main_syslog = oldsys;
		return -1;
	}
	logger_file_close(&old);
	return 0;
}

void
logger_stdout_off(struct logger *lg)
{
	(void)logger_file_flush(&lg->out);
	lg->stdout_off = true;
}

void
logger_reopen(struct logger *lg)
{
	logger_main_printf(lg, LOG_INFO, "supervisord logreopen");
	(void)logger_main_reopen(lg);
	logger_child_reopen_all(lg);
}

int
logger_clear_proc(struct logger *lg, const char *group, const char *name)
{
	return logger_child_clear(lg, group, name);
}

int
logger_clear_main(struct logger *lg)
{
	return logger_main_clear(lg);
}

/* Buffered main log lines and syslog tails. */
void
logger_flush(struct logger *lg)
{
	logger_main_flush(lg);
	logger_child_flush_all(lg);
}
