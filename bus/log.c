/*
 * log.c: level filter and formatting for the daemon's log calls. Where the
 * lines end up is the sink's business (logger/ installs the main log).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"

static log_sink	*log_cur_sink;
static void	*log_cur_arg;
static enum log_level log_cur_level = LOG_INFO;

static const struct {
	const char	*name;
	const char	*tag;
	enum log_level	 level;
} log_levels[] = {
	{ "critical",	"CRIT", LOG_CRIT },
	{ "error",	"ERRO", LOG_ERRO },
	{ "warn",	"WARN", LOG_WARN },
	{ "info",	"INFO", LOG_INFO },
	{ "debug",	"DEBG", LOG_DEBG },
	{ "trace",	"TRAC", LOG_TRAC },
	{ "blather",	"BLAT", LOG_BLAT },
};

void
log_set_sink(log_sink *sink, void *arg)
{
	log_cur_sink = sink;
	log_cur_arg = arg;
}

void
log_set_level(enum log_level level)
{
	log_cur_level = level;
}

enum log_level
log_get_level(void)
{
	return log_cur_level;
}

int
log_enabled(enum log_level level)
{
	return level >= log_cur_level;
}

/* Supervisor's level names, case-insensitive; "warning" is not one. */
int
log_level_parse(const char *name, enum log_level *out)
{
	size_t	 i;

	for (i = 0; i < sizeof(log_levels) / sizeof(log_levels[0]); i++)
		if (strcasecmp(name, log_levels[i].name) == 0) {
			*out = log_levels[i].level;
			return 0;
		}
	return -1;
}

const char *
log_level_tag(enum log_level level)
{
	size_t	 i;

	for (i = 0; i < sizeof(log_levels) / sizeof(log_levels[0]); i++)
		if (log_levels[i].level == level)
			return log_levels[i].tag;
	return "LOG?";
}

void
log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	char	 buf[8192];
	int	 n, saved = errno;

	if (!log_enabled(level))
		return;
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	if (log_cur_sink != NULL)
		log_cur_sink(level, buf, (size_t)n, log_cur_arg);
	else
		fprintf(stderr, "%s %.*s\n", log_level_tag(level), n, buf);
	errno = saved;
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

#define LOG_FN(fn, level)				\
void							\
fn(const char *fmt, ...)				\
{							\
	va_list	 ap;					\
	va_start(ap, fmt);				\
	log_vmsg(level, fmt, ap);			\
	va_end(ap);					\
}
LOG_FN(log_crit, LOG_CRIT)
LOG_FN(log_warnx, LOG_WARN)
LOG_FN(log_info, LOG_INFO)
LOG_FN(log_debug, LOG_DEBG)
LOG_FN(log_trace, LOG_TRAC)
LOG_FN(log_blather, LOG_BLAT)
#undef LOG_FN

/* Like log_warnx, with ": strerror(errno)" appended. */
void
log_warn(const char *fmt, ...)
{
	char	 buf[4096];
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_msg(LOG_WARN, "%s: %s", buf, strerror(saved));
	errno = saved;
}

void
fatal(const char *fmt, ...)
{
	char	 buf[4096];
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_msg(LOG_CRIT, "fatal: %s: %s", buf, strerror(saved));
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	char	 buf[4096];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_msg(LOG_CRIT, "fatal: %s", buf);
	exit(1);
}
