/*
 * log.h: the daemon's logging calls, shared by every component.
 *
 * Levels are Supervisor's (critical .. blather). Lines below the current
 * level are dropped here; the rest go to the installed sink (the main log,
 * see logger.h), or to stderr before one is installed. All calls keep errno.
 */
#ifndef NV_LOG_H
#define NV_LOG_H

#include <stdarg.h>
#include <stddef.h>

enum log_level {
	LOG_BLAT = 3,
	LOG_TRAC = 5,
	LOG_DEBG = 10,
	LOG_INFO = 20,
	LOG_WARN = 30,
	LOG_ERRO = 40,
	LOG_CRIT = 50,
};

/* Receives one formatted message (no timestamp, no newline). */
typedef void log_sink(enum log_level, const char *msg, size_t len, void *arg);

void	 log_set_sink(log_sink *, void *arg);
void	 log_set_level(enum log_level);
enum log_level log_get_level(void);
int	 log_level_parse(const char *name, enum log_level *out);
const char *log_level_tag(enum log_level);	/* "INFO", "DEBG", ... */
int	 log_enabled(enum log_level);

void	 log_msg(enum log_level, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 log_vmsg(enum log_level, const char *fmt, va_list);
void	 log_crit(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_trace(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_blather(const char *, ...) __attribute__((format(printf, 1, 2)));
/* log_warn appends ": strerror(errno)"; log_warnx does not. */

/* Internal invariant broken: log CRIT and exit(1). fatal adds strerror. */
void	 fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	 fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

/* xmalloc.c: allocation that cannot fail (calls fatal on ENOMEM). */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* signame.c: Python's name for a signal ("SIGTERM"), else "signal N"
 * written into buf. */
const char *sig_name(int sig, char *buf, size_t buflen);

#endif
