/*
 * check_spawn.c: real children through the real loop and the real bus:
 * output, exits, spawn errors, the child's environment, descriptors,
 * process group and signals, killasgroup, capture mode, stdin, and many
 * spawns at once.
 */
#include "config.h"

#include <sys/prctl.h>
#include <sys/stat.h>

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef HAVE_VALGRIND_VALGRIND_H
#include <valgrind/valgrind.h>
#endif

#include "bus.h"
#include "log.h"
#include "pm_int.h"

/* A received event, strings copied. */
struct rec {
	enum bus_type	 type;
	char		 proc[64], from[16], spawnerr[256];
	pid_t		 pid;
	int		 exitstatus, expected, tries;
	char		*data;
	size_t		 datalen;
};

static struct ev_loop	*loop;
static struct bus	*bus;
static struct pm	*pm;
static struct pm_config	 cfg;
static struct pm_groupconf groups[2];
static struct pm_procconf *procs[2];
static struct pm_httpconf http;
static struct rec	*recs;
static size_t		 nrecs;
static ev_timer		 tick;
static char		 tmpdir[64];
static size_t		 flood_bytes;

static void
rec_cb(const struct bus_event *ev, void *arg)
{
	struct rec	*r;

	/* a flood's output would only fill memory */
	if (ev->processname != NULL && strcmp(ev->processname, "flood") == 0 &&
	    ev->data != NULL) {
		flood_bytes += ev->datalen;
		return;
	}
	recs = xreallocarray(recs, nrecs + 1, sizeof(*recs));
	r = &recs[nrecs++];
	memset(r, 0, sizeof(*r));
	r->type = ev->type;
	snprintf(r->proc, sizeof(r->proc), "%s",
	    ev->processname ? ev->processname : "");
	snprintf(r->from, sizeof(r->from), "%s",
	    ev->from_state ? ev->from_state : "");
	snprintf(r->spawnerr, sizeof(r->spawnerr), "%s",
	    ev->spawnerr ? ev->spawnerr : "");
	r->pid = ev->pid;
	r->exitstatus = ev->exitstatus;
	r->expected = ev->expected;
	r->tries = ev->tries;
	if (ev->data != NULL) {
		r->data = xmalloc(ev->datalen + 1);
		memcpy(r->data, ev->data, ev->datalen);
		r->data[ev->datalen] = '\0';
		r->datalen = ev->datalen;
	}
}

/* Index of the first event of type for proc at or after from, or -1. */
static long
rec_find(enum bus_type type, const char *proc, size_t from)
{
	size_t	 i;

	for (i = from; i < nrecs; i++)
		if (recs[i].type == type && strcmp(recs[i].proc, proc) == 0)
			return (long)i;
	return -1;
}

/* Everything proc wrote on one channel, concatenated (static). */
static const char *
rec_output(enum bus_type type, const char *proc)
{
	static char	 out[65536];
	size_t		 i, n = 0;

	out[0] = '\0';
	for (i = 0; i < nrecs; i++)
		if (recs[i].type == type && strcmp(recs[i].proc, proc) == 0 &&
		    n + recs[i].datalen < sizeof(out)) {
			memcpy(out + n, recs[i].data, recs[i].datalen);
			n += recs[i].datalen;
		}
	out[n] = '\0';
	return out;
}

static void
tick_cb(struct ev_loop *l, ev_timer *w, int revents)
{
}

/* The main log as lines joined by newlines. */
static char	 logbuf[16384];

static void
t_log_sink(enum log_level lvl, const char *msg, size_t len, void *arg)
{
	size_t	 n = strlen(logbuf);

	if (n + len + 2 < sizeof(logbuf)) {
		memcpy(logbuf + n, msg, len);
		logbuf[n + len] = '\n';
		logbuf[n + len + 1] = '\0';
	}
}

/* Run the loop until cond holds or secs pass. */
#define WAIT_FOR(cond, secs) do {					\
	ev_tstamp dl_ = ev_time() + (secs);				\
	while (!(cond) && ev_time() < dl_)				\
		ev_run(loop, EVRUN_ONCE);				\
	ck_assert_msg((cond), "timed out waiting for " #cond);		\
} while (0)

static struct pm_procconf *
t_proc(int gi, const char *name, const char *command)
{
	struct pm_groupconf *g = &groups[gi];
	struct pm_procconf *c;

	procs[gi] = xreallocarray(procs[gi], g->nprocs + 1, sizeof(*c));
	c = &procs[gi][g->nprocs++];
	memset(c, 0, sizeof(*c));
	c->name = xstrdup(name);
	c->group = g->name;
	c->command = xstrdup(command);
	c->umask = -1;
	c->priority = 999;
	c->startsecs = 0;
	c->startretries = 0;
	c->autorestart = PM_RESTART_FALSE;
	c->exitcodes[0] = 1;
	c->stopsignal = SIGTERM;
	c->stopwaitsecs = 10;
	c->out.events_enabled = true;
	g->procs = procs[gi];
	return c;
}

static void
setup(void)
{
	signal(SIGPIPE, SIG_IGN);
	loop = ev_default_loop(0);
	bus = bus_open(loop);
	ck_assert_ptr_nonnull(bus);
	ck_assert_int_eq(bus_subscribe(bus, "", rec_cb, NULL), 0);
	pm = pm_new(loop, bus);
	memset(&cfg, 0, sizeof(cfg));
	memset(groups, 0, sizeof(groups));
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/check_spawn.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	cfg.sd.childlogdir = tmpdir;
	cfg.sd.identifier = (char *)"supervisor";
	cfg.sd.minfds = 1024;
	cfg.groups = groups;
	cfg.ngroups = 1;
	groups[0].name = (char *)"g";
	groups[0].priority = 999;
	groups[1].name = (char *)"h";
	groups[1].priority = 999;
	pm_set_config(pm, &cfg);
	logbuf[0] = '\0';
	log_set_sink(t_log_sink, NULL);
	log_set_level(LOG_DEBG);
	ev_timer_init(&tick, tick_cb, 0.02, 0.02);
	ev_timer_start(loop, &tick);
}

static void
t_free_conf(void)
{
	size_t	 i;
	int	 gi;

	for (gi = 0; gi < 2; gi++) {
		for (i = 0; i < groups[gi].nprocs; i++) {
			free(procs[gi][i].name);
			free(procs[gi][i].command);
			free(procs[gi][i].directory);
		}
		free(procs[gi]);
		procs[gi] = NULL;
	}
	for (i = 0; i < nrecs; i++)
		free(recs[i].data);
	free(recs);
	recs = NULL;
	nrecs = 0;
}

static void
teardown(void)
{
	char	 cmd[128];

	pm_free(pm);
	t_free_conf();
	log_set_sink(NULL, NULL);
	memset(&groups[0].socket, 0, sizeof(groups[0].socket));
	bus_close(bus);
	ev_timer_stop(loop, &tick);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	(void)!system(cmd);
}

static struct pm_proc *
t_start(const char *name)
{
	if (pm_group_conf(pm, "g") == NULL)
		ck_assert_int_eq(pm_group_add(pm, "g"), PM_OK);
	ck_assert_int_eq(pm_proc_start(pm, "g", name), PM_OK);
	return pm_proc_find(pm, "g", name);
}

/* ---- output and exits ---- */

START_TEST(output_arrives_as_log_events_in_order_before_the_exit)
{
	long	 exited;

	t_proc(0, "a", "/bin/sh -c 'echo one; echo two >&2; echo three'");
	groups[0].procs[0].err.events_enabled = false;
	t_start("a");
	WAIT_FOR(rec_find(BUS_PROCESS_STATE_EXITED, "a", 0) != -1, 10);
	exited = rec_find(BUS_PROCESS_STATE_EXITED, "a", 0);
	ck_assert_str_eq(rec_output(BUS_PROCESS_LOG_STDOUT, "a"),
	    "one\nthree\n");
	ck_assert_str_eq(rec_output(BUS_PROCESS_LOG_STDERR, "a"), "two\n");
	ck_assert_int_lt(rec_find(BUS_PROCESS_LOG_STDOUT, "a", 0), exited);
	ck_assert_int_eq(rec_find(BUS_PROCESS_LOG_STDOUT, "a", exited), -1);
	ck_assert_int_eq(recs[exited].expected, 1);
	ck_assert_int_eq(recs[exited].exitstatus, 0);
}
END_TEST

START_TEST(a_child_dying_within_startsecs_enters_backoff)
{
	struct pm_procconf *c;

	c = t_proc(0, "a", "/bin/sh -c 'exit 3'");
	c->startsecs = 10;
	t_start("a");
	WAIT_FOR(rec_find(BUS_PROCESS_STATE_FATAL, "a", 0) != -1, 10);
	ck_assert_int_ne(rec_find(BUS_PROCESS_STATE_BACKOFF, "a", 0), -1);
	ck_assert_int_eq(rec_find(BUS_PROCESS_STATE_RUNNING, "a", 0), -1);
	ck_assert_int_eq(recs[rec_find(BUS_PROCESS_STATE_BACKOFF, "a",
	    0)].exitstatus, 3);
}
END_TEST

START_TEST(redirect_stderr_sends_both_streams_down_stdout)
{
	t_proc(0, "a", "/bin/sh -c 'echo one; echo two >&2'")->
	    redirect_stderr = true;
	t_start("a");
	WAIT_FOR(rec_find(BUS_PROCESS_STATE_EXITED, "a", 0) != -1, 10);
	ck_assert_str_eq(rec_output(BUS_PROCESS_LOG_STDOUT, "a"),
	    "one\ntwo\n");
	ck_assert_int_eq(rec_find(BUS_PROCESS_LOG_STDERR, "a", 0), -1);
}
END_TEST

/* ---- spawn errors ---- */

static void
t_spawnerr(const char *command, enum pm_result want, const char *text)
{
	char	 name[16];
	long	 i;

	snprintf(name, sizeof(name), "p%zu", groups[0].nprocs);
	t_proc(0, name, command)->autostart = true;
	if (pm_group_conf(pm, "g") != NULL) {
		(void)pm_group_remove(pm, "g");
	}
	ck_assert_int_eq(pm_group_add(pm, "g"), PM_OK);
	WAIT_FOR(rec_find(BUS_PROCESS_STATE_FATAL, name, 0) != -1, 10);
	i = rec_find(BUS_PROCESS_STATE_BACKOFF, name, 0);
	ck_assert_int_ge(i, 0);
	ck_assert_str_eq(recs[i].spawnerr, text);
	ck_assert_int_eq(pm_proc_start(pm, "g", name), want);
	ck_assert_str_eq(pm_last_error(pm), text);
}

START_TEST(spawn_errors_carry_supervisor_texts)
{
	char	 noexec[128], text[256];
	int	 fd;

	snprintf(noexec, sizeof(noexec), "%s/noexec", tmpdir);
	ck_assert_int_ge(fd = open(noexec, O_CREAT | O_WRONLY, 0644), 0);
	close(fd);
	t_spawnerr("/nonexistent/prog arg", PM_ERR_NO_FILE,
	    "can't find command '/nonexistent/prog'");
	t_spawnerr("no-such-program-here", PM_ERR_NO_FILE,
	    "can't find command 'no-such-program-here'");
	t_spawnerr("/tmp", PM_ERR_NOT_EXECUTABLE,
	    "command at '/tmp' is a directory");
	snprintf(text, sizeof(text), "command at '%s' is not executable",
	    noexec);
	t_spawnerr(noexec, PM_ERR_NOT_EXECUTABLE, text);
	t_spawnerr("", PM_ERR_NOT_EXECUTABLE, "command is empty");
	t_spawnerr("/bin/echo \"open", PM_ERR_NOT_EXECUTABLE,
	    "can't parse command '/bin/echo \"open': No closing quotation");
}
END_TEST

START_TEST(exec_failure_in_the_child_is_written_to_its_stderr)
{
	struct pm_procconf *c;

	c = t_proc(0, "a", "/bin/true");
	c->directory = xstrdup("/nonexistent-dir");
	t_start("a");
	WAIT_FOR(rec_find(BUS_PROCESS_STATE_EXITED, "a", 0) != -1, 10);
	ck_assert_str_eq(rec_output(BUS_PROCESS_LOG_STDERR, "a"),
	    "supervisor: couldn't chdir to /nonexistent-dir: ENOENT\n"
	    "supervisor: child process was not spawned\n");
	ck_assert_int_eq(recs[rec_find(BUS_PROCESS_STATE_EXITED, "a",
	    0)].exitstatus, 127);
}
END_TEST

START_TEST(shlex_splits_like_python)
{
	char	**v, err[64];

	ck_assert_int_eq(pm_shlex_split("a 'b c' \"d\\\"e\" f\\ g \"\" h\"i\"j",
	    &v, err, sizeof(err)), 0);
	ck_assert_str_eq(v[0], "a");
	ck_assert_str_eq(v[1], "b c");
	ck_assert_str_eq(v[2], "d\"e");
	ck_assert_str_eq(v[3], "f g");
	ck_assert_str_eq(v[4], "");
	ck_assert_str_eq(v[5], "hij");
	ck_assert_ptr_null(v[6]);
	pm_argv_free(v);
	ck_assert_int_eq(pm_shlex_split("a\\", &v, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "No escaped character");
}
END_TEST

/* ---- the child's world ---- */

START_TEST(the_child_sees_supervisor_variables_then_config_environment)
{
	static char	*sdenv[] = { "FOO=sd", "BAR=sd", NULL };
	static char	*env[] = { "FOO=prog", NULL };
	struct pm_procconf *c;

	http.is_unix = true;
	http.file = (char *)"/tmp/sv.sock";
	cfg.http = &http;
	cfg.nhttp = 1;
	cfg.sd.environment = sdenv;
	c = t_proc(0, "a", "/bin/sh -c 'echo \"$SUPERVISOR_ENABLED "
	    "$SUPERVISOR_PROCESS_NAME $SUPERVISOR_GROUP_NAME "
	    "$SUPERVISOR_SERVER_URL $FOO $BAR\"'");
	c->environment = env;
	t_start("a");
	WAIT_FOR(rec_find(BUS_PROCESS_STATE_EXITED, "a", 0) != -1, 10);
	c->environment = NULL;
	ck_assert_str_eq(rec_output(BUS_PROCESS_LOG_STDOUT, "a"),
	    "1 a g unix:///tmp/sv.sock prog sd\n");
}
END_TEST

static int
t_count_fds(pid_t pid, int *maxfd)
{
	char		 path[64];
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	*maxfd = -1;
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	ck_assert_ptr_nonnull(d = opendir(path));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		n++;
		if (atoi(de->d_name) > *maxfd)
			*maxfd = atoi(de->d_name);
	}
	closedir(d);
	return n;
}

/* The SigIgn/SigBlk line of /proc/pid/status. */
static void
t_sigmask(pid_t pid, const char *key, char *out, size_t outlen)
{
	char	 path[64], line[256];
	FILE	*f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	out[0] = '\0';
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, strlen(key)) == 0)
			snprintf(out, outlen, "%s", line + strlen(key));
	fclose(f);
}

START_TEST(the_child_has_only_fds_0_to_2_its_own_group_and_default_signals)
{
	struct pm_proc	*p;
	sigset_t	 set;
	char		 mask[64];
	int		 maxfd;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGHUP, SIG_IGN);
	t_proc(0, "a", "/bin/sleep 30");
	p = t_start("a");
	WAIT_FOR(p->state == PM_RUNNING, 10);
	WAIT_FOR(t_count_fds(p->pid, &maxfd) == 3, 10);
	ck_assert_int_eq(maxfd, 2);
	ck_assert_int_eq(getpgid(p->pid), p->pid);
	t_sigmask(p->pid, "SigIgn:", mask, sizeof(mask));
	ck_assert_str_eq(mask, "\t0000000000000000\n");
	t_sigmask(p->pid, "SigBlk:", mask, sizeof(mask));
	ck_assert_str_eq(mask, "\t0000000000000000\n");
	ck_assert_int_eq(pm_proc_stop(pm, "g", "a"), PM_OK);
	WAIT_FOR(rec_find(BUS_PROCESS_STATE_STOPPED, "a", 0) != -1, 10);
	ck_assert_int_eq(recs[rec_find(BUS_PROCESS_STATE_STOPPED, "a",
	    0)].exitstatus, -1);
}
END_TEST

/* The file behind one of our fds, or "closed". */
static void
t_fd_target(int fd, char *out, size_t outlen)
{
	char	 path[64];
	ssize_t	 n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if ((n = readlink(path, out, outlen - 1)) == -1)
		snprintf(out, outlen, "closed");
	else
		out[n] = '\0';
}

/*
 * Children start out sharing the daemon's fd table and move their pipes
 * onto 0-2 in it: the daemon's own 0-2, open or closed, must come back.
 */
/* Start NAME: our 0-2 must be as they were, the child's only 0-2. */
static void
t_start_keeps_our_stdio(const char *name)
{
	struct pm_proc	*p;
	char		 before[3][256], after[3][256];
	int		 i, maxfd;

	for (i = 0; i < 3; i++)
		t_fd_target(i, before[i], sizeof(before[i]));
	p = t_start(name);
	for (i = 0; i < 3; i++) {
		t_fd_target(i, after[i], sizeof(after[i]));
		ck_assert_str_eq(after[i], before[i]);
	}
#ifdef RUNNING_ON_VALGRIND
	/*
	 * Under memcheck the child is a forked memcheck until it execs, and
	 * /proc lists the tool's own fd too; the count means nothing there
	 * (the_child_has_only_fds_0_to_2... checks the child after its exec).
	 */
	if (RUNNING_ON_VALGRIND)
		return;
#endif
	/* The exec needs nothing from our loop: poll, don't wait on events. */
	for (i = 0; i < 1000 && t_count_fds(p->pid, &maxfd) != 3; i++)
		usleep(10000);
	ck_assert_int_eq(t_count_fds(p->pid, &maxfd), 3);
	ck_assert_int_eq(maxfd, 2);
}

START_TEST(spawning_leaves_the_daemons_own_fds_0_to_2_as_they_were)
{
	char	 fd0[256];
	int	 keep0;

	t_proc(0, "a", "/bin/sleep 30");
	t_proc(0, "b", "/bin/sleep 30");
	ck_assert_int_ge(keep0 = dup(0), 3);
	close(0);
	t_fd_target(0, fd0, sizeof(fd0));
	ck_assert_str_eq(fd0, "closed");
	t_start_keeps_our_stdio("a");
	ck_assert_int_eq(dup2(keep0, 0), 0);
	close(keep0);
	t_start_keeps_our_stdio("b");
}
END_TEST

START_TEST(killasgroup_reaches_a_grandchild)
{
	struct pm_procconf *c;
	struct pm_proc	*p;
	pid_t		 gpid;
	char		 line[128], mine[128], theirs[128];

	/* orphans come back to us, and we reap them as unknown pids */
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	c = t_proc(0, "a", "/bin/sh -c 'trap \"\" TERM; /bin/sleep 300 & "
	    "echo $!; wait'");
	c->stopasgroup = c->killasgroup = true;
	c->stopsignal = SIGTERM;
	c->stopwaitsecs = 1;
	p = t_start("a");
	WAIT_FOR(strchr(rec_output(BUS_PROCESS_LOG_STDOUT, "a"), '\n') !=
	    NULL, 10);
	gpid = atoi(rec_output(BUS_PROCESS_LOG_STDOUT, "a"));
	ck_assert_int_gt(gpid, 0);
	ck_assert_int_eq(kill(gpid, 0), 0);
	ck_assert_int_eq(pm_proc_stop(pm, "g", "a"), PM_OK);
	snprintf(line, sizeof(line), "killing 'a' (%d) with SIGKILL",
	    (int)p->pid);
	snprintf(mine, sizeof(mine), "reaped unknown pid %d", (int)p->pid);
	WAIT_FOR(p->state == PM_STOPPED, 10);
	snprintf(theirs, sizeof(theirs), "reaped unknown pid %d (terminated "
	    "by SIGKILL)", (int)gpid);
	WAIT_FOR(strstr(logbuf, theirs) != NULL, 10);
	ck_assert_int_eq(kill(gpid, 0), -1);
	ck_assert_ptr_nonnull(strstr(logbuf, line));
	ck_assert_ptr_null(strstr(logbuf, mine));
}
END_TEST

START_TEST(stopwaitsecs_escalates_to_sigkill)
{
	struct pm_procconf *c;
	struct pm_proc	*p;
	long		 i;

	c = t_proc(0, "a", "/bin/sh -c 'trap \"\" TERM; echo ready; "
	    "while :; do /bin/sleep 1; done'");
	c->stopwaitsecs = 1;
	p = t_start("a");
	WAIT_FOR(strstr(rec_output(BUS_PROCESS_LOG_STDOUT, "a"), "ready"),
	    10);
	ck_assert_int_eq(pm_proc_stop(pm, "g", "a"), PM_OK);
	WAIT_FOR(rec_find(BUS_PROCESS_STATE_STOPPED, "a", 0) != -1, 10);
	ck_assert_int_eq(p->state, PM_STOPPED);
	i = rec_find(BUS_PROCESS_STATE_STOPPED, "a", 0);
	ck_assert_int_eq(recs[i].exitstatus, -1);
	ck_assert_str_eq(recs[i].from, "STOPPING");
}
END_TEST

START_TEST(fcgi_processes_get_the_shared_socket_as_stdin)
{
	struct pm_proc	*p1, *p2;
	char		 path[128], link[128], url[160];
	ssize_t		 n;

	snprintf(path, sizeof(path), "%s/fcgi.sock", tmpdir);
	snprintf(url, sizeof(url), "Creating socket unix://%s", path);
	groups[0].type = PM_GROUP_FCGI;
	groups[0].socket.is_unix = true;
	groups[0].socket.path = path;
	groups[0].socket.mode = 0700;
	t_proc(0, "f1", "/bin/sleep 30");
	t_proc(0, "f2", "/bin/sleep 30");
	p1 = t_start("f1");
	p2 = t_start("f2");
	ck_assert_int_eq(p1->group->sockrefs, 2);
	ck_assert_ptr_nonnull(strstr(logbuf, url));
	WAIT_FOR(p1->state == PM_RUNNING && p2->state == PM_RUNNING, 10);
	/* fd 0 is the socket from the dup2 on, before the exec */
	snprintf(link, sizeof(link), "/proc/%d/fd/0", (int)p1->pid);
	WAIT_FOR((n = readlink(link, path, sizeof(path) - 1)) > 0 &&
	    (path[n] = '\0', strncmp(path, "socket:", 7) == 0), 10);
	snprintf(link, sizeof(link), "/proc/%d/fd/0", (int)p2->pid);
	WAIT_FOR((n = readlink(link, path, sizeof(path) - 1)) > 0 &&
	    (path[n] = '\0', strncmp(path, "socket:", 7) == 0), 10);
	ck_assert_int_eq(pm_proc_stop(pm, "g", "f1"), PM_OK);
	WAIT_FOR(p1->state == PM_STOPPED, 10);
	ck_assert_int_ne(p1->group->sockfd, -1);
	ck_assert_int_eq(pm_proc_stop(pm, "g", "f2"), PM_OK);
	WAIT_FOR(p2->state == PM_STOPPED, 10);
	ck_assert_int_eq(p1->group->sockfd, -1);
	ck_assert_ptr_nonnull(strstr(logbuf, "Closing socket unix://"));
	groups[0].type = PM_GROUP_PROGRAM;
}
END_TEST

/* ---- capture mode and stdin ---- */

START_TEST(capture_mode_publishes_exactly_the_bytes_between_the_tokens)
{
	struct pm_procconf *c;
	long		 i;

	c = t_proc(0, "a", "/bin/sh -c 'printf \"a<!--XSUPERVISOR:BEG\"; "
	    "/bin/sleep 0.2; printf \"IN-->he\\nllo<!--XSUPERVISOR:END-->b\"'");
	c->out.capture_maxbytes = 100;
	t_start("a");
	WAIT_FOR(rec_find(BUS_PROCESS_STATE_EXITED, "a", 0) != -1, 10);
	i = rec_find(BUS_PROCESS_COMMUNICATION_STDOUT, "a", 0);
	ck_assert_int_ge(i, 0);
	ck_assert_str_eq(recs[i].data, "he\nllo");
	ck_assert_str_eq(rec_output(BUS_PROCESS_LOG_STDOUT, "a"), "ab");
	/* the "a" before the split token was not held back */
	ck_assert_int_lt(rec_find(BUS_PROCESS_LOG_STDOUT, "a", 0), i);
}
END_TEST

START_TEST(capture_buffer_keeps_the_newest_bytes)
{
	struct pm_procconf *c;
	long		 i;

	c = t_proc(0, "a", "/bin/sh -c 'printf \"<!--XSUPERVISOR:BEGIN-->"
	    "0123456789<!--XSUPERVISOR:END-->\"'");
	c->out.capture_maxbytes = 4;
	t_start("a");
	WAIT_FOR(rec_find(BUS_PROCESS_STATE_EXITED, "a", 0) != -1, 10);
	i = rec_find(BUS_PROCESS_COMMUNICATION_STDOUT, "a", 0);
	ck_assert_int_ge(i, 0);
	ck_assert_str_eq(recs[i].data, "6789");
}
END_TEST

START_TEST(stdin_writes_reach_the_child)
{
	struct pm_proc	*p;

	t_proc(0, "a", "/bin/cat");
	p = t_start("a");
	ck_assert_int_eq(pm_proc_write_stdin(pm, "g", "a", "ping\n", 5),
	    PM_OK);
	WAIT_FOR(strcmp(rec_output(BUS_PROCESS_LOG_STDOUT, "a"), "ping\n") ==
	    0, 10);
	ck_assert_int_eq(pm_proc_stop(pm, "g", "a"), PM_OK);
	WAIT_FOR(p->state == PM_STOPPED, 10);
	ck_assert_int_eq(pm_proc_write_stdin(pm, "g", "a", "x", 1),
	    PM_ERR_NOT_RUNNING);
}
END_TEST

START_TEST(strip_ansi_removes_escape_sequences)
{
	char	 s[] = "a\033[1;31mred\033[0m b\033[2Kc\033[9";

	ck_assert_uint_eq(pm_strip_ansi(s, strlen(s)), 7);
	s[7] = '\0';
	ck_assert_str_eq(s, "ared bc");
}
END_TEST

START_TEST(a_flooding_child_does_not_starve_the_loop)
{
	struct pm_proc	*f, *b;

	t_proc(0, "flood", "/usr/bin/yes");
	t_proc(0, "b", "/bin/sleep 30")->startsecs = 1;
	flood_bytes = 0;
	f = t_start("flood");
	b = t_start("b");
	WAIT_FOR(b->state == PM_RUNNING, 20);
	WAIT_FOR(flood_bytes > 1024 * 1024, 20);
	ck_assert_int_eq(pm_proc_stop(pm, "g", "flood"), PM_OK);
	ck_assert_int_eq(pm_proc_stop(pm, "g", "b"), PM_OK);
	WAIT_FOR(f->state == PM_STOPPED && b->state == PM_STOPPED, 20);
}
END_TEST

START_TEST(groups_from_a_parsed_config_start_in_priority_order)
{
	struct pm_config *c;
	char		 path[128], err[256];
	FILE		*f;
	long		 first, second;

	snprintf(path, sizeof(path), "%s/sv.conf", tmpdir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fprintf(f, "[supervisord]\nchildlogdir=%s\n"
	    "[program:late]\ncommand=/bin/echo late\nstartsecs=0\n"
	    "autorestart=false\npriority=20\n"
	    "[program:early]\ncommand=/bin/echo early\nstartsecs=0\n"
	    "autorestart=false\npriority=10\n", tmpdir);
	fclose(f);
	c = pm_config_load(path, NULL, err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	pm_set_config(pm, c);
	pm_group_add_all(pm);
	WAIT_FOR(rec_find(BUS_PROCESS_STATE_EXITED, "late", 0) != -1 &&
	    rec_find(BUS_PROCESS_STATE_EXITED, "early", 0) != -1, 10);
	first = rec_find(BUS_PROCESS_STATE_STARTING, "early", 0);
	second = rec_find(BUS_PROCESS_STATE_STARTING, "late", 0);
	ck_assert_int_lt(first, second);
	ck_assert_int_lt(rec_find(BUS_PROCESS_GROUP_ADDED, "", 0), first);
	ck_assert_str_eq(rec_output(BUS_PROCESS_LOG_STDOUT, "early"),
	    "early\n");
	ck_assert_ptr_nonnull(pm_group_conf(pm, "late")->procs[0].out.path);
	pm_group_remove_all(pm);
	ck_assert_uint_eq(pm_proc_count(pm), 0);
	pm_set_config(pm, &cfg);
	pm_config_free(c);
}
END_TEST

/* ---- many ---- */

static size_t
t_count(enum bus_type type, size_t from)
{
	size_t	 i, n = 0;

	for (i = from; i < nrecs; i++)
		if (recs[i].type == type)
			n++;
	return n;
}

/* Add group gi with n autostart /bin/true; wait until all have exited. */
static void
t_spawn_many(int gi, int n)
{
	char		 name[16];
	size_t		 base = nrecs;
	int		 i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%c%d", 'a' + gi, i);
		t_proc(gi, name, "/bin/true")->autostart = true;
	}
	cfg.ngroups = gi + 1;
	ck_assert_int_eq(pm_group_add(pm, groups[gi].name), PM_OK);
	WAIT_FOR(t_count(BUS_PROCESS_STATE_EXITED, base) == (size_t)n, 120);
	ck_assert_uint_eq(t_count(BUS_PROCESS_STATE_STARTING, base), n);
}

/* How fast is bench/'s business; this checks that nothing is lost. */
/*
 * Started back to back, with no loop iteration between (the prepared
 * data of one spawn is freed as the next is made): each child must get
 * its own argv and environment.
 */
START_TEST(children_started_back_to_back_get_their_own_argv_and_environment)
{
	char	 name[16], cmd[96], want[32];
	int	 i, n = 40;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "p%02d", i);
		snprintf(cmd, sizeof(cmd), "/bin/sh -c 'echo "
		    "$SUPERVISOR_PROCESS_NAME %d'", i);
		t_proc(0, name, cmd);
	}
	ck_assert_int_eq(pm_group_add(pm, "g"), PM_OK);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "p%02d", i);
		ck_assert_int_eq(pm_proc_start(pm, "g", name), PM_OK);
	}
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "p%02d", i);
		WAIT_FOR(rec_find(BUS_PROCESS_STATE_EXITED, name, 0) != -1, 10);
		snprintf(want, sizeof(want), "%s %d\n", name, i);
		ck_assert_str_eq(rec_output(BUS_PROCESS_LOG_STDOUT, name), want);
	}
}
END_TEST

START_TEST(a_thousand_autostart_processes_all_run_and_exit)
{
	t_spawn_many(0, 250);
	t_spawn_many(1, 1000);
	ck_assert_uint_eq(pm_proc_count(pm), 1250);
}
END_TEST

static Suite *
spawn_suite(void)
{
	Suite	*s = suite_create("spawn");
	TCase	*tc;

	tc = tcase_create("output");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, output_arrives_as_log_events_in_order_before_the_exit);
	tcase_add_test(tc, a_child_dying_within_startsecs_enters_backoff);
	tcase_add_test(tc, redirect_stderr_sends_both_streams_down_stdout);
	tcase_add_test(tc,
	    capture_mode_publishes_exactly_the_bytes_between_the_tokens);
	tcase_add_test(tc, capture_buffer_keeps_the_newest_bytes);
	tcase_add_test(tc, stdin_writes_reach_the_child);
	tcase_add_test(tc, strip_ansi_removes_escape_sequences);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, spawn_errors_carry_supervisor_texts);
	tcase_add_test(tc, exec_failure_in_the_child_is_written_to_its_stderr);
	tcase_add_test(tc, shlex_splits_like_python);
	suite_add_tcase(s, tc);

	tc = tcase_create("child");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc,
	    the_child_sees_supervisor_variables_then_config_environment);
	tcase_add_test(tc,
	    the_child_has_only_fds_0_to_2_its_own_group_and_default_signals);
	tcase_add_test(tc,
	    spawning_leaves_the_daemons_own_fds_0_to_2_as_they_were);
	tcase_add_test(tc, killasgroup_reaches_a_grandchild);
	tcase_add_test(tc, stopwaitsecs_escalates_to_sigkill);
	tcase_add_test(tc, groups_from_a_parsed_config_start_in_priority_order);
	tcase_add_test(tc, fcgi_processes_get_the_shared_socket_as_stdin);
	suite_add_tcase(s, tc);

	tc = tcase_create("many");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, a_thousand_autostart_processes_all_run_and_exit);
	tcase_add_test(tc,
	    children_started_back_to_back_get_their_own_argv_and_environment);
	tcase_add_test(tc, a_flooding_child_does_not_starve_the_loop);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(spawn_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
