/*
 * logger_main.c: the main log. It is the log.h sink, and it writes the
 * process lines ("spawned: ...", "exited: ...") that 4.2.5 prints, built
 * here from PROCESS_STATE_* events rather than by the process manager.
 *
 * A line is "YYYY-MM-DD HH:MM:SS,mmm LEVL message\n" in local time, to
 * the file (rotated like a child log), to syslog instead when
 * logfile=syslog, and also to stdout in the foreground unless silent.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/uio.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "bus.h"
#include "log.h"
#include "logger.h"
#include "logger_int.h"
#include "logger_syslog.h"

#define LOGGER_HEADMAX	64
/* Lines collected per loop iteration before they are written anyway. */
#define LOGGER_MAIN_BUFSZ	(64 * 1024)

/* "YYYY-MM-DD HH:MM:SS,mmm LEVL " for now; returns its length. */
static size_t
logger_head_format(char *out, size_t outlen, double now, int level)
{
	struct tm	 tm;
	time_t		 sec = (time_t)now;
	char		 date[32];
	int		 n;

	localtime_r(&sec, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
	/* Truncated, not rounded, as 4.2.5 does with its %03d. */
	n = snprintf(out, outlen, "%s,%03d %s ", date,
	    (int)((now - (double)sec) * 1000), log_level_tag(level));
	return n < 0 ? 0 : (size_t)n;
}

/* Format one whole line into out; returns its length, as snprintf. */
int
logger_format_line(char *out, size_t outlen, double now, int level,
    const char *msg, size_t msglen)
{
	char	 head[LOGGER_HEADMAX];
	size_t	 hl, total, n;

	hl = logger_head_format(head, sizeof(head), now, level);
	total = hl + msglen + 1;
	if (outlen == 0)
		return (int)total;
	n = hl < outlen - 1 ? hl : outlen - 1;
	memcpy(out, head, n);
	if (n + msglen < outlen - 1) {
		memcpy(out + n, msg, msglen);
		n += msglen;
		out[n++] = '\n';
	} else {
		memcpy(out + n, msg, outlen - 1 - n);
		n = outlen - 1;
	}
	out[n] = '\0';
	return (int)total;
}

/* The line head for the current time; the date part is cached. */
static size_t
logger_head_now(struct logger *lg, enum log_level level, char *out,
    size_t outlen)
{
	struct timespec	 ts;
	struct tm	 tm;
	int		 n;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec != lg->stamp_sec || lg->stamp[0] == '\0') {
		localtime_r(&ts.tv_sec, &tm);
		strftime(lg->stamp, sizeof(lg->stamp), "%Y-%m-%d %H:%M:%S",
		    &tm);
		lg->stamp_sec = ts.tv_sec;
	}
	n = snprintf(out, outlen, "%s,%03d %s ", lg->stamp,
	    (int)(ts.tv_nsec / 1000000), log_level_tag(level));
	return n < 0 ? 0 : (size_t)n;
}

/* Make *buf hold at least need bytes; it only grows. */
char *
logger_buf_grow(char **buf, size_t *sz, size_t need)
{
	if (*sz < need) {
		*buf = xrealloc(*buf, need);
		*sz = need;
	}
	return *buf;
}

/* syslog target: one syslog() per line of the message, head on each. */
static void
logger_main_syslog(struct logger *lg, const char *head,
    const struct iovec *msg, int n)
{
	const char	*s, *nl;
	char		*flat;
	size_t		 len = 0;
	int		 i;

	/* Not the scratch buffer: the pieces may point into it. */
	for (i = 0; i < n; i++)
		len += msg[i].iov_len;
	s = flat = logger_buf_grow(&lg->flat, &lg->flatsz, len + 1);
	for (len = 0, i = 0; i < n; i++) {
		memcpy(flat + len, msg[i].iov_base, msg[i].iov_len);
		len += msg[i].iov_len;
	}
	while (len > 0 && s[len - 1] == '\n')
		len--;
	for (;;) {
		nl = memchr(s, '\n', len);
		logger_syslog_send(head, s, nl != NULL ? (size_t)(nl - s) :
		    len);
		if (nl == NULL)
			break;
		len -= nl + 1 - s;
		s = nl + 1;
	}
}

/* The main log file failed: say so once on stderr, the only place left. */
static void
logger_main_failed(struct logger *lg)
{
	if (lg->main_failing)
		return;
	lg->main_failing = true;
	dprintf(STDERR_FILENO, "supervisord: cannot write the log file %s: "
	    "%s\n", lg->main.path, strerror(lg->main.err != 0 ?
	    lg->main.err : errno));
}

/* Emit one line made of the message pieces msg[0..n-1]. */
void
logger_main_writev(struct logger *lg, enum log_level level,
    const struct iovec *msg, int n)
{
	struct iovec	 v[6];
	char		 head[LOGGER_HEADMAX];
	int		 i;

	if (!log_enabled(level))
		return;
	if (n > 4)
		fatalx("%s: %d pieces", __func__, n);
	v[0].iov_base = head;
	v[0].iov_len = logger_head_now(lg, level, head, sizeof(head));
	for (i = 0; i < n; i++)
		v[i + 1] = msg[i];
	v[n + 1].iov_base = "\n";
	v[n + 1].iov_len = 1;
	if (lg->main_stdout && !lg->stdout_off)
		(void)logger_file_writev(&lg->out, v, n + 2);
	if (lg->main_syslog)
		logger_main_syslog(lg, head, msg, n);
	else if (lg->main.path != NULL) {
		if (logger_file_writev(&lg->main, v, n + 2) == -1)
			logger_main_failed(lg);
		else if (lg->main.wlen == 0)
			lg->main_failing = false;
	}
	/* Outside the loop nothing would flush; a fatal line precedes exit. */
	if (lg->loop == NULL || ev_depth(lg->loop) == 0 || level >= LOG_CRIT)
		logger_main_flush(lg);
}

/* Write out the lines collected since the loop last waited. */
void
logger_main_flush(struct logger *lg)
{
	(void)logger_file_flush(&lg->out);
	if (lg->main.wlen == 0)
		return;
	if (logger_file_flush(&lg->main) == -1)
		logger_main_failed(lg);
	else
		lg->main_failing = false;
}

void
logger_main_write(struct logger *lg, enum log_level level, const char *msg,
    size_t len)
{
	struct iovec	 iov;

	iov.iov_base = (void *)msg;
	iov.iov_len = len;
	logger_main_writev(lg, level, &iov, 1);
}

void
logger_main_printf(struct logger *lg, enum log_level level, const char *fmt,
    ...)
{
	char	 buf[8192];
	va_list	 ap;
	int	 n;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	logger_main_write(lg, level, buf, (size_t)n);
}

/* The log.h sink: every log_* call of the daemon ends up here. */
void
logger_main_sink(enum log_level level, const char *msg, size_t len,
    void *arg)
{
	struct logger	*lg = arg;

	/* Lines owed to events already published come first. */
	if (lg->bus != NULL)
		bus_drain_for(lg->bus, logger_on_event, lg);
	logger_main_write(lg, level, msg, len);
}

/*
 * Open the main log target. The file may be missing (only stdout), or
 * replaced by syslog.
 */
int
logger_main_open(struct logger *lg, const char *path, bool to_syslog,
    long long maxbytes, int backups, char *err, size_t errlen)
{
	struct logger_file	 zero = LOGGER_FILE_ZERO;

	lg->main = zero;
	lg->main_syslog = to_syslog;
	lg->main_failing = false;
	if (to_syslog || path == NULL)
		return 0;
	if (logger_file_open(&lg->main, path, maxbytes, backups) == -1) {
		snprintf(err, errlen, "could not open the log file %s: %s",
		    path, strerror(errno));
		logger_file_close(&lg->main);
		return -1;
	}
	if (lg->loop != NULL)
		logger_file_buffer(&lg->main, LOGGER_MAIN_BUFSZ);
	return 0;
}

void
logger_main_close(struct logger *lg)
{
	logger_file_close(&lg->main);
	lg->main_syslog = false;
}

/* SIGUSR2: the file may have been moved away; start a new one. */
int
logger_main_reopen(struct logger *lg)
{
	if (lg->main.path == NULL)
		return 0;
	if (logger_file_reopen(&lg->main) == -1) {
		logger_main_failed(lg);
		return -1;
	}
	lg->main_failing = false;
	return 0;
}

/*
 * clearLog: delete the file, then reopen it empty. 4.2.5 logs "reopening
 * log file" once per output before reopening it, so those lines land in
 * the deleted file and on stdout; the new file starts empty.
 */
int
logger_main_clear(struct logger *lg)
{
	if (lg->main.path == NULL || access(lg->main.path, F_OK) == -1) {
		errno = ENOENT;
		return -1;
	}
	if (unlink(lg->main.path) == -1)
		return -1;
	if (lg->main_stdout && !lg->stdout_off)
		logger_main_printf(lg, LOG_INFO, "reopening log file");
	logger_main_printf(lg, LOG_INFO, "reopening log file");
	return logger_main_reopen(lg);
}

/* ---- process lines from PROCESS_STATE_* events ---- */

/* "SIGTERM", or "signal 40" for a number with no name. */
const char *
logger_signame(int sig, char *buf, size_t buflen)
{
	return sig_name(sig, buf, buflen);
}

/* "exit status N" or "terminated by SIGX[ (core dumped)]". */
size_t
logger_format_wait(char *out, size_t outlen, int exitstatus, int termsig,
    bool core)
{
	char	 num[32];
	int	 n;

	if (termsig > 0)
		n = snprintf(out, outlen, "terminated by %s%s",
		    logger_signame(termsig, num, sizeof(num)),
		    core ? " (core dumped)" : "");
	else
		n = snprintf(out, outlen, "exit status %d", exitstatus);
	return n < 0 ? 0 : (size_t)n;
}

static void
logger_state_starting(struct logger *lg, const struct bus_event *ev)
{
	if (ev->pid > 0)
		logger_main_printf(lg, LOG_INFO, "spawned: '%s' with pid %ld",
		    ev->processname, (long)ev->pid);
}

static void
logger_state_running(struct logger *lg, const struct bus_event *ev)
{
	/* startsecs < 0: RUNNING on the way to EXITED, 4.2.5 says nothing. */
	if (ev->startsecs >= 0)
		logger_main_printf(lg, LOG_INFO, "success: %s entered RUNNING "
		    "state, process has stayed up for > than %d seconds "
		    "(startsecs)", ev->processname, ev->startsecs);
}

static void
logger_state_backoff(struct logger *lg, const struct bus_event *ev)
{
	char	 wait[64];

	if (ev->reaped) {
		logger_format_wait(wait, sizeof(wait), ev->exitstatus,
		    ev->termsig, ev->core);
		logger_main_printf(lg, LOG_WARN, "exited: %s (%s; not expected)",
		    ev->processname, wait);
	} else if (ev->spawnerr != NULL && ev->spawnerr[0] != '\0')
		logger_main_printf(lg, LOG_INFO, "spawnerr: %s", ev->spawnerr);
}

static void
logger_state_exited(struct logger *lg, const struct bus_event *ev)
{
	char	 wait[64];

	logger_format_wait(wait, sizeof(wait), ev->exitstatus, ev->termsig,
	    ev->core);
	logger_main_printf(lg, ev->expected ? LOG_INFO : LOG_WARN,
	    "exited: %s (%s; %s)", ev->processname, wait,
	    ev->expected ? "expected" : "not expected");
}

static void
logger_state_stopped(struct logger *lg, const struct bus_event *ev)
{
	char	 wait[64];

	/* Not reaped: BACKOFF stopped by request, nothing died. */
	if (!ev->reaped)
		return;
	logger_format_wait(wait, sizeof(wait), ev->exitstatus, ev->termsig,
	    ev->core);
	logger_main_printf(lg, ev->expected ? LOG_INFO : LOG_WARN,
	    "stopped: %s (%s)", ev->processname, wait);
}

static void
logger_state_fatal(struct logger *lg, const struct bus_event *ev)
{
	if (ev->gave_up)
		logger_main_printf(lg, LOG_INFO, "gave up: %s entered FATAL "
		    "state, too many start retries too quickly",
		    ev->processname);
}

typedef void logger_state_fn(struct logger *, const struct bus_event *);

static logger_state_fn *const logger_state_fns[BUS_NTYPES] = {
	[BUS_PROCESS_STATE_STARTING] = logger_state_starting,
	[BUS_PROCESS_STATE_RUNNING] = logger_state_running,
	[BUS_PROCESS_STATE_BACKOFF] = logger_state_backoff,
	[BUS_PROCESS_STATE_EXITED] = logger_state_exited,
	[BUS_PROCESS_STATE_STOPPED] = logger_state_stopped,
	[BUS_PROCESS_STATE_FATAL] = logger_state_fatal,
};

/* One PROCESS_STATE_* event; STOPPING and UNKNOWN have no line. */
void
logger_main_on_state(struct logger *lg, const struct bus_event *ev)
{
	if (ev->processname == NULL)
		fatalx("%s: %s without a process name", __func__,
		    bus_type_name(ev->type));
	if (logger_state_fns[ev->type] != NULL)
		logger_state_fns[ev->type](lg, ev);
}

/* ---- Python-like text for child output copied to the main log ---- */

/* Strict UTF-8, as Python's decoder: no overlongs, surrogates, >U+10FFFF. */
bool
logger_utf8_valid(const char *buf, size_t len)
{
	const unsigned char	*s = (const unsigned char *)buf;
	size_t			 i = 0, need, k;
	unsigned char		 lo, hi;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		lo = 0x80;
		hi = 0xbf;
		if (s[i] >= 0xc2 && s[i] <= 0xdf)
			need = 1;
		else if (s[i] >= 0xe0 && s[i] <= 0xef) {
			need = 2;
			if (s[i] == 0xe0)
				lo = 0xa0;
			else if (s[i] == 0xed)
				hi = 0x9f;
		} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
			need = 3;
			if (s[i] == 0xf0)
				lo = 0x90;
			else if (s[i] == 0xf4)
				hi = 0x8f;
		} else
			return false;
		if (len - i <= need || s[i + 1] < lo || s[i + 1] > hi)
			return false;
		for (k = 2; k <= need; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xbf)
				return false;
		i += need + 1;
	}
	return true;
}

/* Python's choice: single quotes unless only single quotes appear. */
static char
logger_repr_quote(const char *s, size_t len)
{
	return memchr(s, '\'', len) != NULL && memchr(s, '"', len) == NULL ?
	    '"' : '\'';
}

/* Body of a repr: escapes as Python's; high bytes kept if keephigh. */
static size_t
logger_repr_body(char *out, const char *s, size_t len, char q, bool keephigh)
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 c;
	size_t			 i, n = 0;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '\\' || c == (unsigned char)q) {
			out[n++] = '\\';
			out[n++] = c;
		} else if (c == '\n' || c == '\r' || c == '\t') {
			out[n++] = '\\';
			out[n++] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
		} else if (c < 0x20 || c == 0x7f || (c > 0x7f && !keephigh)) {
			out[n++] = '\\';
			out[n++] = 'x';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 0xf];
		} else
			out[n++] = c;
	}
	return n;
}

/* repr() of a text string; out needs 4 * strlen(s) + 3 bytes. */
size_t
logger_repr_str(char *out, size_t outlen, const char *s)
{
	size_t	 len = strlen(s), n = 0;
	char	 q = logger_repr_quote(s, len);

	if (outlen < 4 * len + 3)
		fatalx("%s: buffer too small", __func__);
	out[n++] = q;
	n += logger_repr_body(out + n, s, len, q, true);
	out[n++] = q;
	out[n] = '\0';
	return n;
}

/* repr() of bytes, b'...'; out needs 4 * len + 4 bytes. */
size_t
logger_repr_bytes(char *out, size_t outlen, const char *s, size_t len)
{
	size_t	 n = 0;
	char	 q = logger_repr_quote(s, len);

	if (outlen < 4 * len + 4)
		fatalx("%s: buffer too small", __func__);
	out[n++] = 'b';
	out[n++] = q;
	n += logger_repr_body(out + n, s, len, q, false);
	out[n++] = q;
	out[n] = '\0';
	return n;
}
