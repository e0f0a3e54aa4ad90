/*
 * check_logger.c: the main log, the child logs, rotation, process lines.
 *
 * Handlers are fed synthesized events directly (logger_on_event); one test
 * goes through the real bus. syslog is replaced at link time below so that
 * every syslog line can be checked; pm_group_conf comes from stubs_pm.c.
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <check.h>
#include <ev.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bus.h"
#include "log.h"
#include "logger.h"
#include "logger_int.h"
#include "pm.h"

void	 stub_pm_groups_set(const struct pm_groupconf *, size_t);

/* ---- link-time stand-in: syslog, so its lines can be checked ---- */

static char	 stub_syslog[16][256];
static size_t	 stub_nsyslog;

void
logger_syslog_send(const char *head, const char *s, size_t len)
{
	if (stub_nsyslog < 16)
		snprintf(stub_syslog[stub_nsyslog++], 256, "%s%.*s", head,
		    (int)len, s);
}

/* ---- fixture and helpers ---- */

static char		 tdir[64];
static char		 mainpath[256];
static struct pm_config	 cfg;
static struct logger	*lg;

static int
rm_cb(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	return remove(path);
}

static void
setup(void)
{
	snprintf(tdir, sizeof(tdir), "/tmp/check_logger.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tdir));
	setenv("TZ", "UTC", 1);
	tzset();
	log_set_level(LOG_INFO);
	stub_nsyslog = 0;
	stub_pm_groups_set(NULL, 0);
	memset(&cfg, 0, sizeof(cfg));
	snprintf(mainpath, sizeof(mainpath), "%s/supervisord.log", tdir);
	cfg.sd.logfile = mainpath;
	cfg.sd.logfile_maxbytes = 50 * 1024 * 1024;
	cfg.sd.logfile_backups = 10;
	cfg.sd.loglevel = LOG_INFO;
	cfg.sd.childlogdir = tdir;
	cfg.sd.identifier = "supervisor";
	lg = NULL;
}

static void
teardown(void)
{
	logger_free(lg);
	lg = NULL;
	nftw(tdir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

static const char *
tpath(const char *name)
{
	static char	 bufs[4][256];
	static int	 i;

	i = (i + 1) % 4;
	snprintf(bufs[i], sizeof(bufs[i]), "%s/%s", tdir, name);
	return bufs[i];
}

/* A whole file as a string (static, overwritten); NULL if missing. */
static const char *
slurp(const char *path)
{
	static char	 buf[65536];
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	return buf;
}

static long long
fsize(const char *path)
{
	struct stat	 st;

	return stat(path, &st) == -1 ? -1 : (long long)st.st_size;
}

static const char	 stamp_shape[] = "dddd-dd-dd dd:dd:dd,ddd ";

/* Does s start with "YYYY-MM-DD HH:MM:SS,mmm "? */
static bool
has_stamp(const char *s)
{
	size_t	 i;

	for (i = 0; i < sizeof(stamp_shape) - 1; i++)
		if (stamp_shape[i] == 'd' ? s[i] < '0' || s[i] > '9' :
		    s[i] != stamp_shape[i])
			return false;
	return true;
}

static void
check_stamp(const char *s)
{
	ck_assert_msg(has_stamp(s), "no time stamp: %.40s", s);
}

/*
 * The main log with the time stamps cut off. The first line must have
 * one; later lines without one continue a message (child output copies).
 */
static const char *
main_text_of(const char *path)
{
	static char	 out[65536];
	const char	*s = slurp(path), *nl;
	size_t		 n = 0, skip;

	ck_assert_ptr_nonnull(s);
	if (*s != '\0')
		check_stamp(s);
	for (; *s != '\0'; s = nl + 1) {
		skip = has_stamp(s) ? sizeof(stamp_shape) - 1 : 0;
		nl = strchr(s, '\n');
		ck_assert_ptr_nonnull(nl);
		memcpy(out + n, s + skip, nl + 1 - (s + skip));
		n += nl + 1 - (s + skip);
	}
	out[n] = '\0';
	return out;
}

static const char *
main_text(void)
{
	return main_text_of(mainpath);
}

static void
logger_start(void)
{
	char	 err[256];

	lg = logger_new(NULL, NULL, (struct pm *)1, &cfg, err, sizeof(err));
	ck_assert_msg(lg != NULL, "logger_new: %s", err);
}

static struct bus_event
state_ev(enum bus_type type, const char *name)
{
	struct bus_event	 ev = BUS_EVENT_ZERO;

	ev.type = type;
	ev.processname = name;
	ev.groupname = name;
	return ev;
}

static void
feed(const struct bus_event *ev)
{
	logger_on_event(ev, lg);
}

static void
feed_group(enum bus_type type, const char *group)
{
	struct bus_event	 ev = BUS_EVENT_ZERO;

	ev.type = type;
	ev.groupname = group;
	feed(&ev);
}

static void
feed_output(enum bus_type type, const char *group, const char *name,
    const char *data, size_t len)
{
	struct bus_event	 ev = BUS_EVENT_ZERO;

	ev.type = type;
	ev.groupname = group;
	ev.processname = name;
	ev.pid = 42;
	ev.data = data;
	ev.datalen = len;
	feed(&ev);
}

#define OUT(g, n, s)	feed_output(BUS_PROCESS_LOG_STDOUT, g, n, s, strlen(s))
#define ERR(g, n, s)	feed_output(BUS_PROCESS_LOG_STDERR, g, n, s, strlen(s))

/* A group "g" of processes "a" and "b" with files for both channels. */
static struct pm_procconf	 procs[2];
static struct pm_groupconf	 group;

static void
group_init(const char *name, enum pm_grouptype type, long long maxbytes,
    int backups)
{
	static char	 paths[4][256];
	static const char *names[2] = { "a", "b" };
	int		 i;

	memset(procs, 0, sizeof(procs));
	memset(&group, 0, sizeof(group));
	for (i = 0; i < 2; i++) {
		procs[i].name = (char *)names[i];
		procs[i].group = (char *)name;
		snprintf(paths[2 * i], 256, "%s/%s-out.log", tdir, names[i]);
		snprintf(paths[2 * i + 1], 256, "%s/%s-err.log", tdir,
		    names[i]);
		procs[i].out.path = paths[2 * i];
		procs[i].err.path = paths[2 * i + 1];
		procs[i].out.maxbytes = procs[i].err.maxbytes = maxbytes;
		procs[i].out.backups = procs[i].err.backups = backups;
	}
	group.name = (char *)name;
	group.type = type;
	group.procs = procs;
	group.nprocs = 2;
	stub_pm_groups_set(&group, 1);
}

/* ---- line format ---- */

START_TEST(line_has_date_milliseconds_level_and_message)
{
	char	 buf[128];
	int	 n;

	n = logger_format_line(buf, sizeof(buf), 1700000000.123456, LOG_INFO,
	    "hello", 5);
	ck_assert_str_eq(buf, "2023-11-14 22:13:20,123 INFO hello\n");
	ck_assert_int_eq(n, (int)strlen(buf));
}
END_TEST

START_TEST(milliseconds_are_truncated_not_rounded)
{
	char	 buf[128];

	logger_format_line(buf, sizeof(buf), 1700000000.9999, LOG_WARN, "x",
	    1);
	ck_assert_str_eq(buf, "2023-11-14 22:13:20,999 WARN x\n");
}
END_TEST

START_TEST(every_level_has_its_four_letter_tag)
{
	static const struct { int level; const char *line; } t[] = {
		{ LOG_CRIT, "1970-01-01 00:00:00,000 CRIT m\n" },
		{ LOG_ERRO, "1970-01-01 00:00:00,000 ERRO m\n" },
		{ LOG_WARN, "1970-01-01 00:00:00,000 WARN m\n" },
		{ LOG_INFO, "1970-01-01 00:00:00,000 INFO m\n" },
		{ LOG_DEBG, "1970-01-01 00:00:00,000 DEBG m\n" },
		{ LOG_TRAC, "1970-01-01 00:00:00,000 TRAC m\n" },
		{ LOG_BLAT, "1970-01-01 00:00:00,000 BLAT m\n" },
	};
	char	 buf[128];
	size_t	 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		logger_format_line(buf, sizeof(buf), 0.0, t[i].level, "m", 1);
		ck_assert_str_eq(buf, t[i].line);
	}
}
END_TEST

START_TEST(line_longer_than_the_buffer_is_cut_and_its_length_returned)
{
	char	 buf[30];
	int	 n;

	n = logger_format_line(buf, sizeof(buf), 0.0, LOG_INFO,
	    "0123456789", 10);
	ck_assert_int_eq(n, 24 + 5 + 10 + 1);
	ck_assert_str_eq(buf, "1970-01-01 00:00:00,000 INFO ");
}
END_TEST

/* ---- main log ---- */

START_TEST(log_calls_land_in_the_main_log)
{
	logger_start();
	log_info("hello %d", 5);
	log_warnx("careful");
	ck_assert_str_eq(main_text(), "INFO hello 5\nWARN careful\n");
}
END_TEST

START_TEST(lines_below_the_level_are_dropped)
{
	cfg.sd.loglevel = LOG_WARN;
	logger_start();
	log_info("not this");
	log_debug("nor this");
	log_warnx("this");
	log_crit("and this");
	ck_assert_str_eq(main_text(), "WARN this\nCRIT and this\n");
}
END_TEST

START_TEST(main_log_that_cannot_be_opened_fails_logger_new)
{
	char	 err[256];

	snprintf(mainpath, sizeof(mainpath), "%s/no/such/dir.log", tdir);
	lg = logger_new(NULL, NULL, NULL, &cfg, err, sizeof(err));
	ck_assert_ptr_null(lg);
	ck_assert_ptr_nonnull(strstr(err, mainpath));
	ck_assert_ptr_nonnull(strstr(err, strerror(ENOENT)));
}
END_TEST

static void
publish(struct bus *bus, enum bus_type type, const char *name,
    const char *data, size_t len)
{
	struct bus_event	 ev = BUS_EVENT_ZERO;

	ev.type = type;
	ev.groupname = "g";
	ev.processname = name;
	ev.pid = 7;
	ev.from_state = "STARTING";
	ev.startsecs = type == BUS_PROCESS_STATE_RUNNING ? 2 : -1;
	ev.reaped = type == BUS_PROCESS_STATE_EXITED;
	ev.exitstatus = ev.reaped ? 3 : 0;
	ev.data = data;
	ev.datalen = len;
	ck_assert_int_gt(bus_publish(bus, &ev), 0);
}

/* Deliver until the file has want bytes, or give up after 10 s. */
static void
bus_wait_size(struct ev_loop *loop, struct bus *bus, const char *path,
    long long want)
{
	ev_tstamp	 deadline = ev_time() + 10.0;

	do {
		bus_drain(bus);
		ev_run(loop, EVRUN_NOWAIT);
	} while (fsize(path) != want && ev_time() < deadline);
}

START_TEST(events_on_the_real_bus_reach_the_logs_in_order)
{
	struct ev_loop	*loop = ev_default_loop(0);
	struct bus	*bus;
	static char	 big[128 * 1024];
	char		 err[256];

	ck_assert_ptr_nonnull(bus = bus_open(loop));
	group_init("g", PM_GROUP_PROGRAM, 0, 0);
	cfg.sd.loglevel = LOG_INFO;
	lg = logger_new(loop, bus, (struct pm *)1, &cfg, err, sizeof(err));
	ck_assert_msg(lg != NULL, "logger_new: %s", err);
	memset(big, 'z', sizeof(big));
	publish(bus, BUS_PROCESS_GROUP_ADDED, NULL, NULL, 0);
	publish(bus, BUS_PROCESS_LOG_STDOUT, "a", "hello\n", 6);
	publish(bus, BUS_PROCESS_STATE_RUNNING, "a", NULL, 0);
	publish(bus, BUS_PROCESS_LOG_STDERR, "b", big, sizeof(big));
	publish(bus, BUS_TICK_5, NULL, NULL, 0);
	publish(bus, BUS_PROCESS_STATE_EXITED, "b", NULL, 0);
	publish(bus, BUS_PROCESS_GROUP_REMOVED, NULL, NULL, 0);
	bus_wait_size(loop, bus, tpath("b-err.log"), sizeof(big));
	bus_drain(bus);
	ck_assert_str_eq(slurp(tpath("a-out.log")), "hello\n");
	ck_assert_int_eq(fsize(tpath("b-err.log")), sizeof(big));
	ck_assert_str_eq(main_text(), "INFO success: a entered RUNNING state, "
	    "process has stayed up for > than 2 seconds (startsecs)\n"
	    "WARN exited: b (exit status 3; not expected)\n");
	ck_assert_ptr_null(lg->procs);
	logger_free(lg);
	lg = NULL;
	bus_close(bus);
}
END_TEST

START_TEST(a_direct_line_comes_after_the_event_lines_published_before_it)
{
	struct ev_loop	*loop = ev_default_loop(0);
	struct bus	*bus;
	char		 err[256];

	ck_assert_ptr_nonnull(bus = bus_open(loop));
	group_init("g", PM_GROUP_PROGRAM, 0, 0);
	cfg.sd.loglevel = LOG_INFO;
	lg = logger_new(loop, bus, (struct pm *)1, &cfg, err, sizeof(err));
	ck_assert_msg(lg != NULL, "logger_new: %s", err);
	publish(bus, BUS_PROCESS_STATE_RUNNING, "a", NULL, 0);
	log_warnx("killing 'b' (42) with SIGKILL");
	publish(bus, BUS_PROCESS_STATE_EXITED, "b", NULL, 0);
	bus_drain(bus);
	ck_assert_str_eq(main_text(), "INFO success: a entered RUNNING state, "
	    "process has stayed up for > than 2 seconds (startsecs)\n"
	    "WARN killing 'b' (42) with SIGKILL\n"
	    "WARN exited: b (exit status 3; not expected)\n");
	logger_free(lg);
	lg = NULL;
	bus_close(bus);
}
END_TEST

/* Run fn with fd 1 sent to a file; returns what it wrote there. */
static const char *
capture_stdout(void (*fn)(void))
{
	int	 saved, fd;

	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	fd = open(tpath("stdout"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	fn();
	dup2(saved, STDOUT_FILENO);
	close(saved);
	return main_text_of(tpath("stdout"));
}

static void
log_two_lines(void)
{
	logger_start();
	log_info("one");
	logger_stdout_off(lg);
	log_info("two");
}

START_TEST(nodaemon_copies_lines_to_stdout_until_stdout_off)
{
	cfg.sd.nodaemon = true;
	ck_assert_str_eq(capture_stdout(log_two_lines), "INFO one\n");
	ck_assert_str_eq(main_text(), "INFO one\nINFO two\n");
}
END_TEST

START_TEST(silent_or_daemon_mode_writes_nothing_to_stdout)
{
	cfg.sd.nodaemon = true;
	cfg.sd.silent = true;
	ck_assert_str_eq(capture_stdout(log_two_lines), "");
	logger_free(lg);
	lg = NULL;
	cfg.sd.silent = false;
	cfg.sd.nodaemon = false;
	ck_assert_str_eq(capture_stdout(log_two_lines), "");
}
END_TEST

START_TEST(syslog_target_sends_each_line_with_its_stamp)
{
	cfg.sd.logfile = NULL;
	cfg.sd.logfile_syslog = true;
	logger_start();
	log_warnx("first\nsecond\n");
	ck_assert_int_eq(stub_nsyslog, 2);
	check_stamp(stub_syslog[0]);
	ck_assert_str_eq(stub_syslog[0] + 24, "WARN first");
	ck_assert_str_eq(stub_syslog[1] + 24, "WARN second");
	ck_assert_int_eq(fsize(mainpath), -1);
}
END_TEST

START_TEST(main_log_rotates_by_size)
{
	int	 i;

	cfg.sd.logfile_maxbytes = 200;
	cfg.sd.logfile_backups = 1;
	logger_start();
	for (i = 0; i < 20; i++)
		log_info("line %02d of the main log", i);
	/* 53-byte lines: every fourth one rotates, the twentieth too. */
	ck_assert_int_eq(fsize(mainpath), 0);
	ck_assert_str_eq(main_text_of(tpath("supervisord.log.1")),
	    "INFO line 16 of the main log\nINFO line 17 of the main log\n"
	    "INFO line 18 of the main log\nINFO line 19 of the main log\n");
	ck_assert_int_eq(fsize(tpath("supervisord.log.2")), -1);
}
END_TEST

static long long	 in_loop_size;

static void
log_six_lines_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	int	 i;

	for (i = 0; i < 6; i++)
		log_info("line %02d of the main log", i);
	in_loop_size = fsize(mainpath);
}

START_TEST(in_the_loop_lines_wait_for_the_iteration_end_and_rotate_as_before)
{
	struct ev_loop	*loop = ev_default_loop(0);
	ev_timer	 t;
	char		 err[256];

	cfg.sd.logfile_maxbytes = 200;
	cfg.sd.logfile_backups = 1;
	lg = logger_new(loop, NULL, (struct pm *)1, &cfg, err, sizeof(err));
	ck_assert_msg(lg != NULL, "logger_new: %s", err);
	ev_timer_init(&t, log_six_lines_cb, 0., 0.);
	ev_timer_start(loop, &t);
	ev_run(loop, EVRUN_ONCE);
	/* 53-byte lines: the fourth rotates; the next two wait. */
	ck_assert_int_eq(in_loop_size, 0);
	ck_assert_str_eq(main_text_of(tpath("supervisord.log.1")),
	    "INFO line 00 of the main log\nINFO line 01 of the main log\n"
	    "INFO line 02 of the main log\nINFO line 03 of the main log\n");
	ev_run(loop, EVRUN_NOWAIT);
	ck_assert_str_eq(main_text(), "INFO line 04 of the main log\n"
	    "INFO line 05 of the main log\n");
	logger_free(lg);
	lg = NULL;
}
END_TEST

START_TEST(reconfigure_moves_the_main_log_and_keeps_it_on_failure)
{
	char	 err[256], newpath[256];

	logger_start();
	log_info("old");
	snprintf(newpath, sizeof(newpath), "%s/new.log", tdir);
	cfg.sd.logfile = newpath;
	ck_assert_int_eq(logger_reconfigure(lg, &cfg, err, sizeof(err)), 0);
	log_info("new");
	ck_assert_str_eq(main_text_of(newpath), "INFO new\n");
	snprintf(newpath, sizeof(newpath), "%s/no/dir.log", tdir);
	ck_assert_int_eq(logger_reconfigure(lg, &cfg, err, sizeof(err)), -1);
	log_info("still");
	ck_assert_str_eq(main_text_of(tpath("new.log")),
	    "INFO new\nINFO still\n");
	ck_assert_str_eq(main_text(), "INFO old\n");
}
END_TEST

START_TEST(unknown_event_type_is_fatal)
{
	struct bus_event	 ev = BUS_EVENT_ZERO;

	logger_start();
	ev.type = BUS_NTYPES;
	/* The exit skips the teardown: clean up first. */
	nftw(tdir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	feed(&ev);
}
END_TEST

/* ---- process lines ---- */

START_TEST(spawned_line_names_process_and_pid)
{
	struct bus_event	 ev = state_ev(BUS_PROCESS_STATE_STARTING, "cat");

	logger_start();
	ev.pid = 4242;
	feed(&ev);
	ev.pid = 0;	/* STARTING before the fork: no line */
	feed(&ev);
	ck_assert_str_eq(main_text(), "INFO spawned: 'cat' with pid 4242\n");
}
END_TEST

START_TEST(spawn_failure_writes_spawnerr)
{
	struct bus_event	 ev = state_ev(BUS_PROCESS_STATE_BACKOFF, "x");

	logger_start();
	ev.spawnerr = "can't find command 'nope'";
	feed(&ev);
	ck_assert_str_eq(main_text(),
	    "INFO spawnerr: can't find command 'nope'\n");
}
END_TEST

START_TEST(exit_before_startsecs_is_a_warning_even_with_status_zero)
{
	struct bus_event	 ev = state_ev(BUS_PROCESS_STATE_BACKOFF, "x");

	logger_start();
	ev.reaped = true;
	ev.exitstatus = 0;
	ev.spawnerr = "Exited too quickly (process log may have details)";
	feed(&ev);
	ck_assert_str_eq(main_text(),
	    "WARN exited: x (exit status 0; not expected)\n");
}
END_TEST

START_TEST(running_after_startsecs_writes_success)
{
	struct bus_event	 ev = state_ev(BUS_PROCESS_STATE_RUNNING, "web");

	logger_start();
	ev.startsecs = 3;
	feed(&ev);
	ev.startsecs = -1;	/* on the way to EXITED: no line */
	feed(&ev);
	ck_assert_str_eq(main_text(), "INFO success: web entered RUNNING "
	    "state, process has stayed up for > than 3 seconds (startsecs)\n");
}
END_TEST

START_TEST(expected_exit_is_info_and_unexpected_is_warn)
{
	struct bus_event	 ev = state_ev(BUS_PROCESS_STATE_EXITED, "job");

	logger_start();
	ev.reaped = true;
	ev.expected = 1;
	ev.exitstatus = 0;
	feed(&ev);
	ev.expected = 0;
	ev.exitstatus = 3;
	feed(&ev);
	ev.exitstatus = -1;
	ev.termsig = SIGSEGV;
	ev.core = true;
	feed(&ev);
	ck_assert_str_eq(main_text(),
	    "INFO exited: job (exit status 0; expected)\n"
	    "WARN exited: job (exit status 3; not expected)\n"
	    "WARN exited: job (terminated by SIGSEGV (core dumped); "
	    "not expected)\n");
}
END_TEST

START_TEST(stop_names_the_signal_at_info_or_warn)
{
	struct bus_event	 ev = state_ev(BUS_PROCESS_STATE_STOPPED, "srv");

	logger_start();
	ev.reaped = true;
	ev.exitstatus = -1;
	ev.termsig = SIGTERM;
	ev.expected = 0;
	feed(&ev);
	ev.termsig = 0;
	ev.exitstatus = 0;
	ev.expected = 1;
	feed(&ev);
	ev.reaped = false;	/* BACKOFF -> STOPPED: nothing died */
	feed(&ev);
	ck_assert_str_eq(main_text(),
	    "WARN stopped: srv (terminated by SIGTERM)\n"
	    "INFO stopped: srv (exit status 0)\n");
}
END_TEST

START_TEST(gave_up_writes_the_fatal_line)
{
	struct bus_event	 ev = state_ev(BUS_PROCESS_STATE_FATAL, "x");

	logger_start();
	feed(&ev);	/* FATAL without giving up: no line */
	ev.gave_up = true;
	feed(&ev);
	ck_assert_str_eq(main_text(), "INFO gave up: x entered FATAL state, "
	    "too many start retries too quickly\n");
}
END_TEST

START_TEST(states_without_a_line_write_nothing)
{
	struct bus_event	 ev = state_ev(BUS_PROCESS_STATE_STOPPING, "x");

	logger_start();
	feed(&ev);
	ev.type = BUS_PROCESS_STATE_UNKNOWN;
	feed(&ev);
	ev.type = BUS_PROCESS_COMMUNICATION_STDOUT;
	feed(&ev);
	ck_assert_str_eq(main_text(), "");
}
END_TEST

START_TEST(signal_names_are_pythons)
{
	char	 b[32];

	ck_assert_str_eq(logger_signame(SIGABRT, b, sizeof(b)), "SIGABRT");
	ck_assert_str_eq(logger_signame(SIGCHLD, b, sizeof(b)), "SIGCHLD");
	ck_assert_str_eq(logger_signame(SIGKILL, b, sizeof(b)), "SIGKILL");
	ck_assert_str_eq(logger_signame(SIGRTMAX, b, sizeof(b)), "SIGRTMAX");
	ck_assert_str_eq(logger_signame(40, b, sizeof(b)), "signal 40");
	logger_format_wait(b, sizeof(b), 7, 0, false);
	ck_assert_str_eq(b, "exit status 7");
}
END_TEST

/* ---- one file: rotation and odd targets ---- */

static void
write_chunk(struct logger_file *f, char c, size_t n)
{
	char	 buf[256];

	memset(buf, c, n);
	ck_assert_int_eq(logger_file_write(f, buf, n), 0);
}

START_TEST(rotation_keeps_three_backups_newest_first)
{
	struct logger_file	 f = LOGGER_FILE_ZERO;
	char			 c, want[101];
	const char		*base = tpath("r.log");

	ck_assert_int_eq(logger_file_open(&f, base, 100, 3), 0);
	for (c = 'a'; c <= 'j'; c++) {
		write_chunk(&f, c, 50);
		ck_assert_int_eq(f.size, (c - 'a') % 2 == 0 ? 50 : 0);
	}
	ck_assert_int_eq(fsize(base), 0);
	memset(want, 'i', 50);
	memset(want + 50, 'j', 50);
	want[100] = '\0';
	ck_assert_str_eq(slurp(tpath("r.log.1")), want);
	memset(want, 'g', 50);
	memset(want + 50, 'h', 50);
	ck_assert_str_eq(slurp(tpath("r.log.2")), want);
	memset(want, 'e', 50);
	memset(want + 50, 'f', 50);
	ck_assert_str_eq(slurp(tpath("r.log.3")), want);
	ck_assert_int_eq(fsize(tpath("r.log.4")), -1);
	logger_file_close(&f);
}
END_TEST

/* 4.2.5 moves only the backups that exist: a gap keeps what lies past it. */
START_TEST(rotation_over_a_missing_backup_keeps_the_one_after_it)
{
	struct logger_file	 f = LOGGER_FILE_ZERO;
	const char		*base = tpath("g.log");
	int			 fd;

	fd = open(tpath("g.log.1"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_eq(write(fd, "one", 3), 3);
	close(fd);
	fd = open(tpath("g.log.3"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_eq(write(fd, "three", 5), 5);
	close(fd);
	ck_assert_int_eq(logger_file_open(&f, base, 100, 3), 0);
	write_chunk(&f, 'b', 100);
	ck_assert_int_eq(fsize(base), 0);
	ck_assert_int_eq(fsize(tpath("g.log.1")), 100);
	ck_assert_str_eq(slurp(tpath("g.log.2")), "one");
	ck_assert_str_eq(slurp(tpath("g.log.3")), "three");
	logger_file_close(&f);
}
END_TEST

START_TEST(rotation_with_no_backups_truncates)
{
	struct logger_file	 f = LOGGER_FILE_ZERO;
	const char		*base = tpath("t.log");

	ck_assert_int_eq(logger_file_open(&f, base, 100, 0), 0);
	write_chunk(&f, 'x', 60);
	ck_assert_int_eq(fsize(base), 60);
	write_chunk(&f, 'y', 60);
	ck_assert_int_eq(fsize(base), 0);
	write_chunk(&f, 'z', 30);
	ck_assert_int_eq(fsize(base), 30);
	ck_assert_int_eq(fsize(tpath("t.log.1")), -1);
	logger_file_close(&f);
}
END_TEST

START_TEST(maxbytes_zero_never_rotates_and_appends_to_old_content)
{
	struct logger_file	 f = LOGGER_FILE_ZERO;
	const char		*base = tpath("z.log");
	int			 i, fd;

	fd = open(base, O_WRONLY | O_CREAT, 0600);
	ck_assert_int_eq(write(fd, "old\n", 4), 4);
	close(fd);
	ck_assert_int_eq(logger_file_open(&f, base, 0, 5), 0);
	ck_assert_int_eq(f.size, 4);
	for (i = 0; i < 20; i++)
		write_chunk(&f, 'q', 200);
	ck_assert_int_eq(fsize(base), 4004);
	ck_assert_int_eq(fsize(tpath("z.log.1")), -1);
	logger_file_close(&f);
}
END_TEST

START_TEST(pipe_target_takes_writes_past_maxbytes_without_error)
{
	struct logger_file	 f = LOGGER_FILE_ZERO;
	char			 path[64], buf[128];
	int			 p[2], i;

	ck_assert_int_eq(pipe(p), 0);
	snprintf(path, sizeof(path), "/dev/fd/%d", p[1]);
	ck_assert_int_eq(logger_file_open(&f, path, 10, 2), 0);
	ck_assert(!f.rotatable);
	for (i = 0; i < 3; i++)
		write_chunk(&f, 'a' + i, 20);
	ck_assert_int_eq(f.err, 0);
	ck_assert_int_eq(read(p[0], buf, sizeof(buf)), 60);
	ck_assert_int_eq(buf[0], 'a');
	ck_assert_int_eq(buf[59], 'c');
	logger_file_close(&f);
	close(p[0]);
	close(p[1]);
	ck_assert_int_eq(logger_file_open(&f, "/dev/null", 1, 1), 0);
	write_chunk(&f, 'n', 100);
	write_chunk(&f, 'n', 100);
	ck_assert_int_eq(f.err, 0);
	logger_file_close(&f);
}
END_TEST

START_TEST(reopen_after_external_rename_starts_a_new_file)
{
	logger_start();
	group_init("g", PM_GROUP_PROGRAM, 0, 0);
	feed_group(BUS_PROCESS_GROUP_ADDED, "g");
	log_info("before");
	OUT("g", "a", "early\n");
	ck_assert_int_eq(rename(mainpath, tpath("moved.log")), 0);
	ck_assert_int_eq(rename(tpath("a-out.log"), tpath("a-moved.log")), 0);
	logger_reopen(lg);
	log_info("after");
	OUT("g", "a", "late\n");
	ck_assert_str_eq(main_text_of(tpath("moved.log")),
	    "INFO before\nINFO supervisord logreopen\n");
	ck_assert_str_eq(main_text(), "INFO after\n");
	ck_assert_str_eq(slurp(tpath("a-moved.log")), "early\n");
	ck_assert_str_eq(slurp(tpath("a-out.log")), "late\n");
}
END_TEST

/* ---- child logs ---- */

START_TEST(two_processes_two_channels_each_get_their_own_raw_file)
{
	logger_start();
	group_init("g", PM_GROUP_PROGRAM, 0, 0);
	feed_group(BUS_PROCESS_GROUP_ADDED, "g");
	OUT("g", "a", "a out 1\n");
	ERR("g", "a", "a err");
	OUT("g", "b", "b out");
	ERR("g", "b", "b err\n");
	OUT("g", "a", "a out 2");
	feed_output(BUS_PROCESS_LOG_STDOUT, "g", "b", "\0bin\r", 5);
	ck_assert_str_eq(slurp(tpath("a-out.log")), "a out 1\na out 2");
	ck_assert_str_eq(slurp(tpath("a-err.log")), "a err");
	ck_assert_str_eq(slurp(tpath("b-err.log")), "b err\n");
	ck_assert_int_eq(fsize(tpath("b-out.log")), 10);
	ck_assert_int_eq(memcmp(slurp(tpath("b-out.log")), "b out\0bin\r", 10),
	    0);
	ck_assert_str_eq(main_text(), "");
}
END_TEST

START_TEST(removed_group_closes_its_logs_and_drops_output)
{
	logger_start();
	group_init("g", PM_GROUP_PROGRAM, 0, 0);
	feed_group(BUS_PROCESS_GROUP_ADDED, "g");
	OUT("g", "a", "kept");
	feed_group(BUS_PROCESS_GROUP_REMOVED, "g");
	stub_pm_groups_set(NULL, 0);
	OUT("g", "a", "dropped");
	ck_assert_str_eq(slurp(tpath("a-out.log")), "kept");
	ck_assert_ptr_null(lg->procs);
}
END_TEST

START_TEST(output_before_group_added_opens_the_logs_on_demand)
{
	logger_start();
	group_init("g", PM_GROUP_PROGRAM, 0, 0);
	OUT("g", "b", "first");
	feed_group(BUS_PROCESS_GROUP_ADDED, "g");
	OUT("g", "b", " second");
	ck_assert_str_eq(slurp(tpath("b-out.log")), "first second");
}
END_TEST

START_TEST(channel_without_a_file_writes_nothing)
{
	logger_start();
	group_init("g", PM_GROUP_PROGRAM, 0, 0);
	procs[0].err.path = NULL;
	unlink(tpath("a-err.log"));
	feed_group(BUS_PROCESS_GROUP_ADDED, "g");
	ERR("g", "a", "nowhere");
	ck_assert_int_eq(fsize(tpath("a-err.log")), -1);
	ck_assert_str_eq(main_text(), "");
}
END_TEST

START_TEST(child_log_rotates_like_the_main_log)
{
	int	 i;

	logger_start();
	group_init("g", PM_GROUP_PROGRAM, 100, 1);
	feed_group(BUS_PROCESS_GROUP_ADDED, "g");
	for (i = 0; i < 5; i++)
		OUT("g", "a", "0123456789012345678901234567890123456789");
	ck_assert_int_eq(fsize(tpath("a-out.log.1")), 120);
	ck_assert_int_eq(fsize(tpath("a-out.log")), 80);
	ck_assert_int_eq(fsize(tpath("a-out.log.2")), -1);
}
END_TEST

START_TEST(debug_level_copies_output_into_the_main_log)
{
	cfg.sd.loglevel = LOG_DEBG;
	logger_start();
	group_init("g", PM_GROUP_PROGRAM, 0, 0);
	feed_group(BUS_PROCESS_GROUP_ADDED, "g");
	OUT("g", "a", "hello\n");
	ERR("g", "b", "caf\xc3\xa9");
	ERR("g", "b", "\xff\xfe" "ab'");
	ck_assert_str_eq(main_text(),
	    "DEBG 'a' stdout output:\nhello\n\n"
	    "DEBG 'b' stderr output:\ncaf\xc3\xa9\n"
	    "DEBG 'b' stderr output:\nUndecodable: b\"\\xff\\xfeab'\"\n");
	ck_assert_str_eq(slurp(tpath("a-out.log")), "hello\n");
}
END_TEST

START_TEST(listener_stdout_is_copied_as_bytes)
{
	cfg.sd.loglevel = LOG_DEBG;
	logger_start();
	group_init("lst", PM_GROUP_LISTENER, 0, 0);
	feed_group(BUS_PROCESS_GROUP_ADDED, "lst");
	OUT("lst", "a", "READY\n");
	ERR("lst", "a", "text\n");
	ck_assert_str_eq(main_text(),
	    "DEBG 'a' stdout output:\nb'READY\\n'\n"
	    "DEBG 'a' stderr output:\ntext\n\n");
}
END_TEST

START_TEST(info_level_does_not_copy_output)
{
	logger_start();
	OUT("g", "a", "hello\n");
	ck_assert_str_eq(main_text(), "");
}
END_TEST

START_TEST(utf8_check_is_as_strict_as_python)
{
	ck_assert(logger_utf8_valid("plain", 5));
	ck_assert(logger_utf8_valid("\xe2\x82\xac\xf0\x9f\x98\x80", 7));
	ck_assert(!logger_utf8_valid("\xc0\xaf", 2));		/* overlong */
	ck_assert(!logger_utf8_valid("\xed\xa0\x80", 3));	/* surrogate */
	ck_assert(!logger_utf8_valid("\xf4\x90\x80\x80", 4));	/* > max */
	ck_assert(!logger_utf8_valid("\xe2\x82", 2));		/* cut */
}
END_TEST

START_TEST(repr_quotes_and_escapes_as_python)
{
	char	 b[128];

	logger_repr_str(b, sizeof(b), "it's");
	ck_assert_str_eq(b, "\"it's\"");
	logger_repr_str(b, sizeof(b), "a\"b'c");
	ck_assert_str_eq(b, "'a\"b\\'c'");
	logger_repr_str(b, sizeof(b), "t\x01\x7f\xc3\xa9");
	ck_assert_str_eq(b, "'t\\x01\\x7f\xc3\xa9'");
	logger_repr_bytes(b, sizeof(b), "\0\x7f\x80\"", 4);
	ck_assert_str_eq(b, "b'\\x00\\x7f\\x80\"'");
}
END_TEST

START_TEST(write_failure_is_reported_once)
{
	logger_start();
	group_init("g", PM_GROUP_PROGRAM, 0, 0);
	procs[0].out.path = "/dev/full";
	feed_group(BUS_PROCESS_GROUP_ADDED, "g");
	OUT("g", "a", "lost 1");
	OUT("g", "a", "lost 2");
	OUT("g", "a", "lost 3");
	ck_assert_str_eq(main_text(), "ERRO could not write the stdout log of "
	    "'a' (/dev/full): No space left on device\n");
}
END_TEST

START_TEST(writing_resumes_after_a_failure_and_says_so)
{
	struct rlimit	 rl = { 1000, RLIM_INFINITY };
	char		 big[801];

	signal(SIGXFSZ, SIG_IGN);
	memset(big, 'x', 800);
	big[800] = '\0';
	logger_start();
	group_init("g", PM_GROUP_PROGRAM, 0, 0);
	feed_group(BUS_PROCESS_GROUP_ADDED, "g");
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	OUT("g", "a", big);
	OUT("g", "a", big);	/* 200 bytes fit, then EFBIG */
	OUT("g", "a", big);
	rl.rlim_cur = RLIM_INFINITY;
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	OUT("g", "a", "ok");
	ck_assert_int_eq(fsize(tpath("a-out.log")), 1002);
	snprintf(big, sizeof(big), "ERRO could not write the stdout log of "
	    "'a' (%s): %s\nINFO writing the stdout log of 'a' (%s) again\n",
	    tpath("a-out.log"), strerror(EFBIG), tpath("a-out.log"));
	ck_assert_str_eq(main_text(), big);
}
END_TEST

START_TEST(unopenable_child_log_is_reported_and_retried_on_reopen)
{
	char	 dir[256];

	logger_start();
	group_init("g", PM_GROUP_PROGRAM, 0, 0);
	snprintf(dir, sizeof(dir), "%s/later", tdir);
	procs[1].out.path = (char *)tpath("later/b.log");
	feed_group(BUS_PROCESS_GROUP_ADDED, "g");
	OUT("g", "b", "lost");
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	logger_reopen(lg);
	OUT("g", "b", "found");
	ck_assert_str_eq(slurp(tpath("later/b.log")), "found");
	ck_assert_ptr_nonnull(strstr(main_text(), "ERRO could not open the "
	    "stdout log of 'b' ("));
	ck_assert_ptr_nonnull(strstr(main_text(), "INFO writing the stdout log "
	    "of 'b' ("));
}
END_TEST

START_TEST(clear_proc_empties_both_logs)
{
	logger_start();
	group_init("g", PM_GROUP_PROGRAM, 0, 0);
	feed_group(BUS_PROCESS_GROUP_ADDED, "g");
	OUT("g", "a", "old out");
	ERR("g", "a", "old err");
	ck_assert_int_eq(logger_clear_proc(lg, "g", "a"), 0);
	ck_assert_int_eq(fsize(tpath("a-out.log")), 0);
	ck_assert_int_eq(fsize(tpath("a-err.log")), 0);
	OUT("g", "a", "new");
	ck_assert_str_eq(slurp(tpath("a-out.log")), "new");
	errno = 0;
	ck_assert_int_eq(logger_clear_proc(lg, "g", "nobody"), -1);
	ck_assert_int_eq(errno, ESRCH);
}
END_TEST

START_TEST(clear_main_leaves_an_empty_main_log)
{
	logger_start();
	log_info("old");
	ck_assert_int_eq(logger_clear_main(lg), 0);
	ck_assert_int_eq(fsize(mainpath), 0);
	log_info("new");
	ck_assert_str_eq(main_text(), "INFO new\n");
}
END_TEST

START_TEST(clear_main_without_a_file_fails_with_enoent)
{
	cfg.sd.logfile = NULL;
	cfg.sd.logfile_syslog = true;
	logger_start();
	errno = 0;
	ck_assert_int_eq(logger_clear_main(lg), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(syslog_gets_each_complete_line_with_the_process_name)
{
	logger_start();
	group_init("g", PM_GROUP_PROGRAM, 0, 0);
	procs[0].out.syslog = true;
	feed_group(BUS_PROCESS_GROUP_ADDED, "g");
	OUT("g", "a", "one\ntw");
	ck_assert_int_eq(stub_nsyslog, 1);
	OUT("g", "a", "o\n\nthree");
	ERR("g", "a", "not to syslog\n");
	ck_assert_int_eq(stub_nsyslog, 3);
	logger_flush(lg);
	ck_assert_int_eq(stub_nsyslog, 4);
	ck_assert_str_eq(stub_syslog[0], "a one");
	ck_assert_str_eq(stub_syslog[1], "a two");
	ck_assert_str_eq(stub_syslog[2], "a ");
	ck_assert_str_eq(stub_syslog[3], "a three");
	ck_assert_str_eq(slurp(tpath("a-out.log")), "one\ntwo\n\nthree");
}
END_TEST

/* ---- AUTO cleanup ---- */

static void
touch(const char *name)
{
	int	 fd = open(tpath(name), O_WRONLY | O_CREAT, 0600);

	ck_assert_int_ge(fd, 0);
	close(fd);
}

static const char *const auto_names[] = {
	"foo-stdout---supervisor-abc123.log",		/* deleted */
	"foo-stdout---supervisor-abc123.log.1",		/* deleted */
	"a---supervisor-x.logfoo",			/* deleted */
	"foo-stdout---other-abc.log",
	"random.log",
	"---supervisor-x.log",
	"a---supervisor-.log",
	"a---supervisor-x y.log",
};

START_TEST(auto_cleanup_deletes_only_matching_names)
{
	size_t	 i;

	logger_start();
	for (i = 0; i < 8; i++)
		touch(auto_names[i]);
	logger_clean_auto(&cfg);
	for (i = 0; i < 8; i++)
		ck_assert_msg((fsize(tpath(auto_names[i])) == -1) == (i < 3),
		    "%s", auto_names[i]);
	ck_assert_int_eq(fsize(mainpath), 0);
}
END_TEST

START_TEST(auto_cleanup_uses_the_identifier_and_obeys_nocleanup)
{
	logger_start();
	touch("p-stdout---other-1.log");
	touch("p-stdout---supervisor-1.log");
	cfg.sd.nocleanup = true;
	logger_clean_auto(&cfg);
	ck_assert_int_eq(fsize(tpath("p-stdout---other-1.log")), 0);
	cfg.sd.nocleanup = false;
	cfg.sd.identifier = "other";
	logger_clean_auto(&cfg);
	ck_assert_int_eq(fsize(tpath("p-stdout---other-1.log")), -1);
	ck_assert_int_eq(fsize(tpath("p-stdout---supervisor-1.log")), 0);
}
END_TEST

START_TEST(auto_cleanup_of_a_missing_dir_warns)
{
	logger_start();
	cfg.sd.childlogdir = (char *)tpath("missing");
	logger_clean_auto(&cfg);
	ck_assert_str_eq(main_text(), "WARN Could not clear childlog dir\n");
}
END_TEST

static TCase *
tcase(const char *name)
{
	TCase	*tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, teardown);
	return tc;
}

static Suite *
logger_suite(void)
{
	Suite	*s = suite_create("logger");
	TCase	*tc;

	tc = tcase("format");
	tcase_add_test(tc, line_has_date_milliseconds_level_and_message);
	tcase_add_test(tc, milliseconds_are_truncated_not_rounded);
	tcase_add_test(tc, every_level_has_its_four_letter_tag);
	tcase_add_test(tc,
	    line_longer_than_the_buffer_is_cut_and_its_length_returned);
	tcase_add_test(tc, utf8_check_is_as_strict_as_python);
	tcase_add_test(tc, repr_quotes_and_escapes_as_python);
	tcase_add_test(tc, signal_names_are_pythons);
	suite_add_tcase(s, tc);

	tc = tcase("main");
	tcase_add_test(tc, log_calls_land_in_the_main_log);
	tcase_add_test(tc, lines_below_the_level_are_dropped);
	tcase_add_test(tc, main_log_that_cannot_be_opened_fails_logger_new);
	tcase_add_test(tc, events_on_the_real_bus_reach_the_logs_in_order);
	tcase_add_test(tc,
	    a_direct_line_comes_after_the_event_lines_published_before_it);
	tcase_add_test(tc, nodaemon_copies_lines_to_stdout_until_stdout_off);
	tcase_add_test(tc, silent_or_daemon_mode_writes_nothing_to_stdout);
	tcase_add_test(tc, syslog_target_sends_each_line_with_its_stamp);
	tcase_add_test(tc, main_log_rotates_by_size);
	tcase_add_test(tc,
	    in_the_loop_lines_wait_for_the_iteration_end_and_rotate_as_before);
	tcase_add_test(tc,
	    reconfigure_moves_the_main_log_and_keeps_it_on_failure);
	tcase_add_test(tc, clear_main_leaves_an_empty_main_log);
	tcase_add_test(tc, clear_main_without_a_file_fails_with_enoent);
	/* Without fork the exit would end the whole run. */
	if (getenv("CK_FORK") == NULL || strcmp(getenv("CK_FORK"), "no") != 0)
		tcase_add_exit_test(tc, unknown_event_type_is_fatal, 1);
	suite_add_tcase(s, tc);

	tc = tcase("process lines");
	tcase_add_test(tc, spawned_line_names_process_and_pid);
	tcase_add_test(tc, spawn_failure_writes_spawnerr);
	tcase_add_test(tc,
	    exit_before_startsecs_is_a_warning_even_with_status_zero);
	tcase_add_test(tc, running_after_startsecs_writes_success);
	tcase_add_test(tc, expected_exit_is_info_and_unexpected_is_warn);
	tcase_add_test(tc, stop_names_the_signal_at_info_or_warn);
	tcase_add_test(tc, gave_up_writes_the_fatal_line);
	tcase_add_test(tc, states_without_a_line_write_nothing);
	suite_add_tcase(s, tc);

	tc = tcase("file");
	tcase_add_test(tc, rotation_keeps_three_backups_newest_first);
	tcase_add_test(tc,
	    rotation_over_a_missing_backup_keeps_the_one_after_it);
	tcase_add_test(tc, rotation_with_no_backups_truncates);
	tcase_add_test(tc,
	    maxbytes_zero_never_rotates_and_appends_to_old_content);
	tcase_add_test(tc,
	    pipe_target_takes_writes_past_maxbytes_without_error);
	tcase_add_test(tc, reopen_after_external_rename_starts_a_new_file);
	suite_add_tcase(s, tc);

	tc = tcase("child");
	tcase_add_test(tc,
	    two_processes_two_channels_each_get_their_own_raw_file);
	tcase_add_test(tc, removed_group_closes_its_logs_and_drops_output);
	tcase_add_test(tc,
	    output_before_group_added_opens_the_logs_on_demand);
	tcase_add_test(tc, channel_without_a_file_writes_nothing);
	tcase_add_test(tc, child_log_rotates_like_the_main_log);
	tcase_add_test(tc, debug_level_copies_output_into_the_main_log);
	tcase_add_test(tc, listener_stdout_is_copied_as_bytes);
	tcase_add_test(tc, info_level_does_not_copy_output);
	tcase_add_test(tc, write_failure_is_reported_once);
	tcase_add_test(tc, writing_resumes_after_a_failure_and_says_so);
	tcase_add_test(tc,
	    unopenable_child_log_is_reported_and_retried_on_reopen);
	tcase_add_test(tc, clear_proc_empties_both_logs);
	tcase_add_test(tc,
	    syslog_gets_each_complete_line_with_the_process_name);
	suite_add_tcase(s, tc);

	tc = tcase("auto");
	tcase_add_test(tc, auto_cleanup_deletes_only_matching_names);
	tcase_add_test(tc,
	    auto_cleanup_uses_the_identifier_and_obeys_nocleanup);
	tcase_add_test(tc, auto_cleanup_of_a_missing_dir_warns);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(logger_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
