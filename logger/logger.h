/*
 * logger.h: the main log and the child logs. Both are written from what the
 * bus carries: process lines come from PROCESS_STATE_* events, child output
 * from PROCESS_LOG_* events; the log_* calls (log.h) land in the main log
 * through the sink installed here. Rotation, AUTO cleanup, syslog.
 */
#ifndef NV_LOGGER_H
#define NV_LOGGER_H

#include <stdbool.h>
#include <stddef.h>

struct ev_loop;
struct bus;
struct pm;
struct pm_config;

struct logger;

/*
 * Open the main log as [supervisord] says (file with rotation, or syslog),
 * copying lines to stdout when nodaemon and not silent, install it as the
 * log.h sink, and subscribe to the bus. Returns NULL with err set when the
 * main log cannot be opened.
 */
struct logger	*logger_new(struct ev_loop *, struct bus *, struct pm *,
		    const struct pm_config *, char *err, size_t errlen);
void		 logger_free(struct logger *);

/*
 * After a reload: open the main log as the new config says and set the
 * level. On failure the old main log stays in use and err says why.
 */
int		 logger_reconfigure(struct logger *, const struct pm_config *,
		    char *err, size_t errlen);

/* Stop copying the main log to stdout (after daemonizing). */
void		 logger_stdout_off(struct logger *);

/* SIGUSR2: reopen the main log and every child log. */
void		 logger_reopen(struct logger *);

/* Delete old AUTO child logs in childlogdir (unless nocleanup). */
void		 logger_clean_auto(const struct pm_config *);

/* clearProcessLogs: delete a process's stdout and stderr logs and start
 * them empty. 0, or -1 with errno (ESRCH: no such process here). */
int		 logger_clear_proc(struct logger *, const char *group,
		    const char *name);
/* clearLog: delete the main log and start it empty. 0, or -1 with errno
 * (ENOENT: no main log file, e.g. syslog). */
int		 logger_clear_main(struct logger *);

/* Write everything pending; tests and shutdown. */
void		 logger_flush(struct logger *);

/* Helpers shared with tests. */
int		 logger_format_line(char *out, size_t outlen, double now,
		    int level, const char *msg, size_t msglen);

#endif
