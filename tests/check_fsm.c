/*
 * check_fsm.c: the process state machine with a fake clock, fake pids
 * (stubs_spawn.c) and a recording bus (stubs_bus.c).
 */
#include <sys/stat.h>

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus.h"
#include "log.h"
#include "pm_int.h"

/* stubs_bus.c */
void			 stub_bus_reset(void);
size_t			 stub_bus_count(void);
const struct bus_event	*stub_bus_get(long);
/* stubs_spawn.c */
extern const char	*stub_spawn_err;
extern enum pm_result	 stub_check_result;
extern int		 stub_kill_errno, stub_kills, stub_kill_sig;
extern int		 stub_spawns;
extern pid_t		 stub_kill_pid;

#define EXITED_WITH(c)	((c) << 8)

static struct ev_loop	*loop;
static struct bus	*bus;
static struct pm	*pm;
static struct pm_config	 cfg;
static struct pm_groupconf groups[4];
static struct pm_procconf procs[4][4];
static char		 logdir[64];

/* A process config with Supervisor's defaults. */
static struct pm_procconf *
t_proc(int gi, const char *name, int priority)
{
	struct pm_groupconf *g = &groups[gi];
	struct pm_procconf *c = &procs[gi][g->nprocs++];

	memset(c, 0, sizeof(*c));
	c->name = (char *)name;
	c->group = g->name;
	c->command = (char *)"/bin/true";
	c->umask = -1;
	c->priority = priority;
	c->autostart = false;
	c->startsecs = 1;
	c->startretries = 3;
	c->autorestart = PM_RESTART_UNEXPECTED;
	c->exitcodes[0] = 1;
	c->stopsignal = SIGTERM;
	c->stopwaitsecs = 10;
	g->procs = procs[gi];
	return c;
}

static void
t_group(int gi, const char *name, int priority)
{
	memset(&groups[gi], 0, sizeof(groups[gi]));
	groups[gi].name = (char *)name;
	groups[gi].priority = priority;
	cfg.ngroups = gi + 1;
}

static struct pm_proc *
t_add(const char *group, const char *name)
{
	if (pm_group_conf(pm, group) == NULL)
		ck_assert_int_eq(pm_group_add(pm, group), PM_OK);
	return pm_proc_find(pm, group, name);
}

static void
setup(void)
{
	loop = ev_default_loop(0);
	bus = bus_open(loop);
	pm = pm_new(loop, bus);
	memset(&cfg, 0, sizeof(cfg));
	snprintf(logdir, sizeof(logdir), "/tmp/check_fsm.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(logdir));
	cfg.sd.childlogdir = logdir;
	cfg.sd.identifier = (char *)"supervisor";
	cfg.groups = groups;
	t_group(0, "g", 999);
	pm_set_config(pm, &cfg);
	stub_bus_reset();
	stub_spawn_err = NULL;
	stub_check_result = PM_OK;
	stub_kill_errno = 0;
	stub_kills = stub_spawns = 0;
}

static void
teardown(void)
{
	char	 cmd[128];

	pm_free(pm);
	bus_close(bus);
	stub_bus_reset();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", logdir);
	(void)!system(cmd);
}

static const struct bus_event *
last(void)
{
	return stub_bus_get(-1);
}

static void
assert_event(long i, enum bus_type type, const char *from)
{
	const struct bus_event *ev = stub_bus_get(i);

	ck_assert_ptr_nonnull(ev);
	ck_assert_str_eq(bus_type_name(ev->type), bus_type_name(type));
	if (from != NULL)
		ck_assert_str_eq(ev->from_state, from);
}

/* Start a at 100.0 and let startsecs pass at 101.5. */
static struct pm_proc *
t_running(const char *name)
{
	struct pm_proc	*p = t_add("g", name);

	pm_fsm_feed(p, PM_EV_START, 100.0);
	pm_fsm_feed(p, PM_EV_STARTSECS, 101.5);
	ck_assert_int_eq(p->state, PM_RUNNING);
	return p;
}

/* ---- starting ---- */

START_TEST(start_publishes_starting_with_the_pid_and_tries_zero)
{
	struct pm_proc	*p;

	t_proc(0, "a", 1);
	p = t_add("g", "a");
	stub_bus_reset();
	pm_fsm_feed(p, PM_EV_START, 100.0);
	ck_assert_int_eq(p->state, PM_STARTING);
	ck_assert_uint_eq(stub_bus_count(), 1);
	assert_event(0, BUS_PROCESS_STATE_STARTING, "STOPPED");
	ck_assert_str_eq(last()->processname, "a");
	ck_assert_str_eq(last()->groupname, "g");
	ck_assert_int_eq(last()->tries, 0);
	ck_assert_int_eq(last()->pid, p->pid);
	ck_assert_int_gt(p->pid, 0);
}
END_TEST

START_TEST(process_that_exits_before_startsecs_enters_backoff)
{
	struct pm_proc	*p;

	t_proc(0, "a", 1);
	p = t_add("g", "a");
	pm_fsm_feed(p, PM_EV_START, 100.0);
	stub_bus_reset();
	p->waitstatus = EXITED_WITH(0);
	pm_fsm_feed(p, PM_EV_EXIT, 100.5);
	ck_assert_int_eq(p->state, PM_BACKOFF);
	ck_assert_uint_eq(stub_bus_count(), 1);
	assert_event(0, BUS_PROCESS_STATE_BACKOFF, "STARTING");
	ck_assert_int_eq(last()->tries, 1);
	ck_assert(last()->reaped);
	ck_assert_int_eq(last()->exitstatus, 0);
	ck_assert_int_eq(last()->expected, 0);
	ck_assert_ptr_null(last()->spawnerr);
	ck_assert_str_eq(p->spawnerr,
	    "Exited too quickly (process log may have details)");
	ck_assert_int_eq(p->pid, 0);
}
END_TEST

START_TEST(startsecs_elapsing_makes_running_and_resets_backoff)
{
	struct pm_proc	*p;

	t_proc(0, "a", 1);
	p = t_add("g", "a");
	pm_fsm_feed(p, PM_EV_START, 100.0);
	p->waitstatus = EXITED_WITH(1);
	pm_fsm_feed(p, PM_EV_EXIT, 100.2);
	pm_fsm_feed(p, PM_EV_BACKOFF, 101.2);
	assert_event(-1, BUS_PROCESS_STATE_STARTING, "BACKOFF");
	ck_assert_int_eq(last()->tries, 1);
	pm_fsm_feed(p, PM_EV_STARTSECS, 102.3);
	assert_event(-1, BUS_PROCESS_STATE_RUNNING, "STARTING");
	ck_assert_int_eq(last()->startsecs, 1);
	ck_assert_int_eq(last()->pid, p->pid);
	ck_assert_int_eq(p->backoff, 0);
}
END_TEST

START_TEST(backoff_becomes_fatal_after_startretries)
{
	struct pm_proc	*p;
	double		 t = 100.0;
	int		 i;

	t_proc(0, "a", 1)->startretries = 2;
	p = t_add("g", "a");
	pm_fsm_feed(p, PM_EV_START, t);
	for (i = 1; i <= 3; i++) {
		p->waitstatus = EXITED_WITH(1);
		pm_fsm_feed(p, PM_EV_EXIT, t += 0.1);
		if (i < 3) {
			ck_assert_int_eq(p->state, PM_BACKOFF);
			ck_assert_int_eq(last()->tries, i);
			pm_fsm_feed(p, PM_EV_BACKOFF, t += i);
			ck_assert_int_eq(p->state, PM_STARTING);
			ck_assert_int_eq(last()->tries, i);
		}
	}
	ck_assert_int_eq(stub_spawns, 3);
	ck_assert_int_eq(p->state, PM_FATAL);
	assert_event(-2, BUS_PROCESS_STATE_BACKOFF, "STARTING");
	ck_assert_int_eq(stub_bus_get(-2)->tries, 3);
	assert_event(-1, BUS_PROCESS_STATE_FATAL, "BACKOFF");
	ck_assert(last()->gave_up);
	ck_assert_int_eq(p->backoff, 0);
}
END_TEST

START_TEST(failed_spawn_publishes_starting_without_pid_then_backoff)
{
	struct pm_proc	*p;

	t_proc(0, "a", 1);
	p = t_add("g", "a");
	stub_bus_reset();
	stub_spawn_err = "can't find command 'nope'";
	pm_fsm_feed(p, PM_EV_START, 100.0);
	ck_assert_uint_eq(stub_bus_count(), 2);
	assert_event(0, BUS_PROCESS_STATE_STARTING, "STOPPED");
	ck_assert_int_eq(stub_bus_get(0)->pid, 0);
	assert_event(1, BUS_PROCESS_STATE_BACKOFF, "STARTING");
	ck_assert_str_eq(stub_bus_get(1)->spawnerr,
	    "can't find command 'nope'");
	ck_assert(!stub_bus_get(1)->reaped);
	ck_assert_int_eq(p->state, PM_BACKOFF);
}
END_TEST

START_TEST(exit_after_startsecs_while_starting_is_running_then_exited)
{
	struct pm_proc	*p;

	t_proc(0, "a", 1)->startsecs = 0;
	p = t_add("g", "a");
	pm_fsm_feed(p, PM_EV_START, 100.0);
	stub_bus_reset();
	p->waitstatus = EXITED_WITH(0);
	pm_fsm_feed(p, PM_EV_EXIT, 100.0);
	ck_assert_uint_eq(stub_bus_count(), 2);
	assert_event(0, BUS_PROCESS_STATE_RUNNING, "STARTING");
	ck_assert_int_eq(stub_bus_get(0)->startsecs, -1);
	assert_event(1, BUS_PROCESS_STATE_EXITED, "RUNNING");
	ck_assert_int_eq(stub_bus_get(1)->expected, 1);
	ck_assert_int_gt(stub_bus_get(1)->pid, 0);
	ck_assert_int_eq(p->state, PM_EXITED);
}
END_TEST

/* ---- exits and autorestart ---- */

START_TEST(expected_exit_with_autorestart_unexpected_stays_exited)
{
	struct pm_proc	*p;

	t_proc(0, "a", 1);
	p = t_running("a");
	stub_bus_reset();
	p->waitstatus = EXITED_WITH(0);
	pm_fsm_feed(p, PM_EV_EXIT, 200.0);
	ck_assert_int_eq(p->state, PM_EXITED);
	ck_assert_uint_eq(stub_bus_count(), 1);
	ck_assert_int_eq(last()->expected, 1);
	ck_assert_int_eq(p->exitstatus, 0);
	ck_assert_str_eq(p->spawnerr, "");
}
END_TEST

START_TEST(unexpected_exit_with_autorestart_unexpected_restarts)
{
	struct pm_proc	*p;

	t_proc(0, "a", 1);
	p = t_running("a");
	stub_bus_reset();
	p->waitstatus = EXITED_WITH(3);
	pm_fsm_feed(p, PM_EV_EXIT, 200.0);
	ck_assert_uint_eq(stub_bus_count(), 2);
	assert_event(0, BUS_PROCESS_STATE_EXITED, "RUNNING");
	ck_assert_int_eq(stub_bus_get(0)->expected, 0);
	ck_assert_int_eq(stub_bus_get(0)->exitstatus, 3);
	assert_event(1, BUS_PROCESS_STATE_STARTING, "EXITED");
	ck_assert_int_eq(p->state, PM_STARTING);
}
END_TEST

START_TEST(death_by_signal_is_unexpected_with_status_minus_one)
{
	struct pm_proc	*p;

	t_proc(0, "a", 1);
	p = t_running("a");
	stub_bus_reset();
	p->waitstatus = SIGKILL;
	pm_fsm_feed(p, PM_EV_EXIT, 200.0);
	assert_event(0, BUS_PROCESS_STATE_EXITED, "RUNNING");
	ck_assert_int_eq(stub_bus_get(0)->exitstatus, -1);
	ck_assert_int_eq(stub_bus_get(0)->termsig, SIGKILL);
	ck_assert_int_eq(stub_bus_get(0)->expected, 0);
	ck_assert_int_eq(p->state, PM_STARTING);
}
END_TEST

START_TEST(autorestart_true_restarts_after_an_expected_exit)
{
	struct pm_proc	*p;

	t_proc(0, "a", 1)->autorestart = PM_RESTART_TRUE;
	p = t_running("a");
	p->waitstatus = EXITED_WITH(0);
	pm_fsm_feed(p, PM_EV_EXIT, 200.0);
	ck_assert_int_eq(p->state, PM_STARTING);
	ck_assert_int_eq(stub_spawns, 2);
}
END_TEST

START_TEST(autorestart_false_never_restarts)
{
	struct pm_proc	*p;

	t_proc(0, "a", 1)->autorestart = PM_RESTART_FALSE;
	p = t_running("a");
	p->waitstatus = EXITED_WITH(9);
	pm_fsm_feed(p, PM_EV_EXIT, 200.0);
	ck_assert_int_eq(p->state, PM_EXITED);
	ck_assert_str_eq(p->spawnerr, "Bad exit code 9");
	ck_assert_int_eq(stub_spawns, 1);
}
END_TEST

/* ---- stopping ---- */

START_TEST(stop_sends_stopsignal_and_exit_gives_stopped)
{
	struct pm_proc	*p;
	pid_t		 pid;

	t_proc(0, "a", 1)->stopsignal = SIGINT;
	p = t_running("a");
	pid = p->pid;
	stub_bus_reset();
	pm_fsm_feed(p, PM_EV_STOP, 200.0);
	ck_assert_int_eq(stub_kill_pid, pid);
	ck_assert_int_eq(stub_kill_sig, SIGINT);
	assert_event(0, BUS_PROCESS_STATE_STOPPING, "RUNNING");
	ck_assert_int_eq(last()->pid, pid);
	p->waitstatus = SIGINT;
	pm_fsm_feed(p, PM_EV_EXIT, 200.1);
	ck_assert_uint_eq(stub_bus_count(), 2);
	assert_event(1, BUS_PROCESS_STATE_STOPPED, "STOPPING");
	ck_assert_int_eq(last()->pid, pid);
	ck_assert(last()->reaped);
	ck_assert_int_eq(last()->termsig, SIGINT);
	ck_assert_int_eq(last()->expected, 0);
	ck_assert_int_eq(p->pid, 0);
}
END_TEST

START_TEST(sigkill_follows_stopwaitsecs_and_repeats)
{
	struct pm_proc	*p;
	pid_t		 pid;

	t_proc(0, "a", 1)->killasgroup = true;
	p = t_running("a");
	pid = p->pid;
	pm_fsm_feed(p, PM_EV_STOP, 200.0);
	ck_assert_int_eq(stub_kill_pid, pid);
	stub_bus_reset();
	pm_fsm_feed(p, PM_EV_STOPWAIT, 210.0);
	ck_assert_int_eq(stub_kill_sig, SIGKILL);
	ck_assert_int_eq(stub_kill_pid, -pid);
	pm_fsm_feed(p, PM_EV_STOPWAIT, 220.0);
	ck_assert_int_eq(stub_kills, 3);
	ck_assert_int_eq(stub_kill_sig, SIGKILL);
	ck_assert_uint_eq(stub_bus_count(), 0);
	ck_assert_int_eq(p->state, PM_STOPPING);
	ck_assert(ev_is_active(&p->timer));
}
END_TEST

START_TEST(stopasgroup_signals_the_process_group)
{
	struct pm_proc	*p;

	t_proc(0, "a", 1)->stopasgroup = true;
	p = t_running("a");
	pm_fsm_feed(p, PM_EV_STOP, 200.0);
	ck_assert_int_eq(stub_kill_pid, -p->pid);
}
END_TEST

START_TEST(stop_in_backoff_goes_straight_to_stopped)
{
	struct pm_proc	*p;

	t_proc(0, "a", 1);
	p = t_add("g", "a");
	pm_fsm_feed(p, PM_EV_START, 100.0);
	p->waitstatus = EXITED_WITH(1);
	pm_fsm_feed(p, PM_EV_EXIT, 100.1);
	stub_bus_reset();
	ck_assert_int_eq(pm_proc_stop(pm, "g", "a"), PM_OK);
	ck_assert_int_eq(p->state, PM_STOPPED);
	ck_assert_int_eq(stub_kills, 0);
	ck_assert_uint_eq(stub_bus_count(), 1);
	assert_event(0, BUS_PROCESS_STATE_STOPPED, "BACKOFF");
	ck_assert(!ev_is_active(&p->timer));
}
END_TEST

START_TEST(kill_failing_with_eperm_makes_unknown)
{
	struct pm_proc	*p;

	t_proc(0, "a", 1);
	p = t_running("a");
	stub_kill_errno = EPERM;
	ck_assert_int_eq(pm_proc_stop(pm, "g", "a"), PM_ERR_FAILED);
	ck_assert_int_eq(p->state, PM_UNKNOWN);
	assert_event(-1, BUS_PROCESS_STATE_UNKNOWN, "STOPPING");
	ck_assert_ptr_nonnull(strstr(pm_last_error(pm),
	    "unknown problem killing a"));
	ck_assert_int_eq(pm_proc_start(pm, "g", "a"), PM_ERR_FAILED);
	ck_assert_str_eq(pm_last_error(pm), "a is in an unknown process state");
}
END_TEST

START_TEST(kill_failing_with_esrch_waits_for_the_reap)
{
	struct pm_proc	*p;

	t_proc(0, "a", 1);
	p = t_running("a");
	stub_kill_errno = ESRCH;
	ck_assert_int_eq(pm_proc_stop(pm, "g", "a"), PM_OK);
	ck_assert_int_eq(p->state, PM_STOPPING);
}
END_TEST

/* ---- commands ---- */

START_TEST(commands_check_in_supervisor_order)
{
	struct pm_proc	*p;

	t_proc(0, "a", 1);
	p = t_add("g", "a");
	ck_assert_int_eq(pm_proc_start(pm, "g", "nope"), PM_ERR_BAD_NAME);
	ck_assert_int_eq(pm_proc_stop(pm, "g", "a"), PM_ERR_NOT_RUNNING);
	ck_assert_int_eq(pm_proc_signal(pm, "g", "a", SIGHUP),
	    PM_ERR_NOT_RUNNING);
	ck_assert_int_eq(pm_proc_write_stdin(pm, "g", "a", "x", 1),
	    PM_ERR_NOT_RUNNING);
	stub_check_result = PM_ERR_NO_FILE;
	ck_assert_int_eq(pm_proc_start(pm, "g", "a"), PM_ERR_NO_FILE);
	ck_assert_str_eq(pm_last_error(pm), "can't find command '/bin/true'");
	stub_check_result = PM_OK;
	ck_assert_int_eq(pm_proc_start(pm, "g", "a"), PM_OK);
	ck_assert_int_eq(pm_proc_start(pm, "g", "a"), PM_ERR_ALREADY_STARTED);
	ck_assert_int_eq(pm_proc_signal(pm, "g", "a", SIGHUP), PM_OK);
	ck_assert_int_eq(stub_kill_pid, p->pid);
	ck_assert_int_eq(stub_kill_sig, SIGHUP);
	ck_assert_int_eq(pm_proc_signal(pm, "g", "a", 0), PM_ERR_BAD_SIGNAL);
}
END_TEST

START_TEST(start_reports_spawn_error_when_the_spawn_fails)
{
	t_proc(0, "a", 1);
	t_add("g", "a");
	stub_spawn_err = "too many open files to spawn 'a'";
	ck_assert_int_eq(pm_proc_start(pm, "g", "a"), PM_ERR_SPAWN_ERROR);
	ck_assert_str_eq(pm_last_error(pm), "too many open files to spawn 'a'");
}
END_TEST

START_TEST(proc_list_follows_group_then_process_priority)
{
	struct pm_proc_info	 info[4];

	t_proc(0, "b", 1);
	t_proc(0, "a", 2);
	t_group(1, "first", 1);
	t_proc(1, "z", 1);
	ck_assert_int_eq(pm_group_add(pm, "g"), PM_OK);
	ck_assert_int_eq(pm_group_add(pm, "first"), PM_OK);
	ck_assert_uint_eq(pm_proc_count(pm), 3);
	ck_assert_uint_eq(pm_proc_list(pm, info, 4), 3);
	ck_assert_str_eq(info[0].name, "z");
	ck_assert_str_eq(info[1].name, "b");
	ck_assert_str_eq(info[2].name, "a");
	ck_assert_str_eq(info[2].group, "g");
	ck_assert_int_eq(info[2].state, PM_STOPPED);
}
END_TEST

/* ---- groups ---- */

START_TEST(group_add_publishes_added_then_starts_autostart_by_priority)
{
	t_proc(0, "b", 1)->autostart = true;
	t_proc(0, "a", 2)->autostart = true;
	t_proc(0, "c", 3);
	ck_assert_int_eq(pm_group_add(pm, "g"), PM_OK);
	ck_assert_uint_eq(stub_bus_count(), 3);
	assert_event(0, BUS_PROCESS_GROUP_ADDED, NULL);
	ck_assert_str_eq(stub_bus_get(0)->groupname, "g");
	assert_event(1, BUS_PROCESS_STATE_STARTING, "STOPPED");
	ck_assert_str_eq(stub_bus_get(1)->processname, "b");
	ck_assert_str_eq(stub_bus_get(2)->processname, "a");
	ck_assert_int_eq(pm_group_add(pm, "g"), PM_ERR_ALREADY_ADDED);
	ck_assert_int_eq(pm_group_add(pm, "nope"), PM_ERR_BAD_NAME);
}
END_TEST

START_TEST(group_remove_refuses_while_a_process_runs)
{
	struct pm_proc	*p;

	t_proc(0, "a", 1);
	p = t_add("g", "a");
	pm_fsm_feed(p, PM_EV_START, 100.0);
	ck_assert_int_eq(pm_group_remove(pm, "g"), PM_ERR_STILL_RUNNING);
	p->waitstatus = EXITED_WITH(0);
	pm_fsm_feed(p, PM_EV_STOP, 100.1);
	pm_fsm_feed(p, PM_EV_EXIT, 100.2);
	stub_bus_reset();
	ck_assert_int_eq(pm_group_remove(pm, "g"), PM_OK);
	assert_event(0, BUS_PROCESS_GROUP_REMOVED, NULL);
	ck_assert_str_eq(last()->groupname, "g");
	ck_assert_ptr_null(pm_group_conf(pm, "g"));
	ck_assert_int_eq(pm_group_remove(pm, "g"), PM_ERR_BAD_NAME);
}
END_TEST

START_TEST(auto_logs_are_fresh_private_files_in_childlogdir)
{
	const struct pm_groupconf *gc;
	struct pm_procconf	*c;
	struct stat		 st;
	char			 prefix[256];

	c = t_proc(0, "a", 1);
	c->out.is_auto = c->err.is_auto = true;
	ck_assert_int_eq(pm_group_add(pm, "g"), PM_OK);
	gc = pm_group_conf(pm, "g");
	ck_assert_ptr_null(c->out.path);
	ck_assert_ptr_nonnull(gc->procs[0].out.path);
	snprintf(prefix, sizeof(prefix), "%s/a-stdout---supervisor-", logdir);
	ck_assert_int_eq(strncmp(gc->procs[0].out.path, prefix,
	    strlen(prefix)), 0);
	ck_assert_uint_eq(strlen(gc->procs[0].out.path), strlen(prefix) + 12);
	ck_assert_uint_eq(strspn(gc->procs[0].out.path + strlen(prefix),
	    "abcdefghijklmnopqrstuvwxyz0123456789_"), 8);
	ck_assert_str_eq(gc->procs[0].out.path + strlen(prefix) + 8, ".log");
	ck_assert_int_eq(stat(gc->procs[0].out.path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(st.st_size, 0);
	ck_assert_ptr_nonnull(strstr(gc->procs[0].err.path, "a-stderr---"));
}
END_TEST

/* ---- shutdown ---- */

static int	 done_calls;

static void
t_done(void *arg)
{
	done_calls++;
}

/* Run the loop without blocking until cond holds (bounded). */
#define RUN_UNTIL(cond) do {						\
	int	 n_;							\
	for (n_ = 0; n_ < 100 && !(cond); n_++)				\
		ev_run(loop, EVRUN_NOWAIT);				\
	ck_assert(cond);						\
} while (0)

START_TEST(shutdown_stops_one_group_at_a_time_highest_priority_first)
{
	struct pm_proc	*lo, *hi1, *hi2;

	t_group(1, "hi", 5);
	t_group(0, "lo", 1);
	cfg.ngroups = 2;
	t_proc(0, "l", 1);
	t_proc(1, "h1", 1);
	t_proc(1, "h2", 2);
	lo = t_add("lo", "l");
	hi1 = t_add("hi", "h1");
	hi2 = t_add("hi", "h2");
	pm_fsm_feed(lo, PM_EV_START, 100.0);
	pm_fsm_feed(hi1, PM_EV_START, 100.0);
	pm_fsm_feed(hi2, PM_EV_START, 100.0);
	stub_bus_reset();
	done_calls = 0;
	pm_shutdown(pm, t_done, NULL);
	ck_assert(pm_shutting_down(pm));
	ck_assert_uint_eq(stub_bus_count(), 2);
	ck_assert_str_eq(stub_bus_get(0)->processname, "h2");
	ck_assert_str_eq(stub_bus_get(1)->processname, "h1");
	ck_assert_int_eq(lo->state, PM_STARTING);
	hi2->waitstatus = SIGTERM;
	pm_fsm_feed(hi2, PM_EV_EXIT, 100.5);
	ev_run(loop, EVRUN_NOWAIT);
	ck_assert_int_eq(lo->state, PM_STARTING);
	hi1->waitstatus = SIGTERM;
	pm_fsm_feed(hi1, PM_EV_EXIT, 100.5);
	RUN_UNTIL(lo->state == PM_STOPPING);
	ck_assert_int_eq(done_calls, 0);
	lo->waitstatus = SIGTERM;
	pm_fsm_feed(lo, PM_EV_EXIT, 100.6);
	RUN_UNTIL(done_calls == 1);
}
END_TEST

START_TEST(shutdown_turns_backoff_into_fatal_and_never_restarts)
{
	struct pm_proc	*a, *b;

	t_proc(0, "a", 1);
	t_proc(0, "b", 2)->autorestart = PM_RESTART_TRUE;
	a = t_add("g", "a");
	b = t_add("g", "b");
	pm_fsm_feed(a, PM_EV_START, 100.0);
	a->waitstatus = EXITED_WITH(1);
	pm_fsm_feed(a, PM_EV_EXIT, 100.1);
	pm_fsm_feed(b, PM_EV_START, 100.0);
	pm_fsm_feed(b, PM_EV_STARTSECS, 101.5);
	done_calls = 0;
	pm_shutdown(pm, t_done, NULL);
	ck_assert_int_eq(a->state, PM_FATAL);
	ck_assert(!last()->gave_up);
	ck_assert_int_eq(b->state, PM_STOPPING);
	b->waitstatus = EXITED_WITH(0);
	pm_fsm_feed(b, PM_EV_EXIT, 102.0);
	ck_assert_int_eq(b->state, PM_STOPPED);
	pm_fsm_feed(a, PM_EV_BACKOFF, 103.0);
	ck_assert_int_eq(pm_proc_start(pm, "g", "a"), PM_ERR_SHUTDOWN_STATE);
	RUN_UNTIL(done_calls == 1);
	ck_assert_int_eq(stub_spawns, 2);
}
END_TEST

START_TEST(shutdown_with_nothing_running_is_done_at_once)
{
	t_proc(0, "a", 1);
	t_add("g", "a");
	done_calls = 0;
	pm_shutdown(pm, t_done, NULL);
	ck_assert_int_eq(done_calls, 0);
	RUN_UNTIL(done_calls == 1);
	pm_resume(pm);
	ck_assert(!pm_shutting_down(pm));
}
END_TEST

START_TEST(state_names_and_codes_follow_the_table)
{
	ck_assert_str_eq(pm_state_name(PM_RUNNING), "RUNNING");
	ck_assert_int_eq(pm_state_code(PM_RUNNING), 20);
	ck_assert_int_eq(pm_state_code(PM_UNKNOWN), 1000);
	ck_assert_str_eq(pm_state_name(PM_BACKOFF), "BACKOFF");
	ck_assert_str_eq(pm_signame(SIGTERM), "SIGTERM");
	ck_assert_str_eq(pm_signame(32), "signal 32");
}
END_TEST

static Suite *
fsm_suite(void)
{
	Suite	*s = suite_create("fsm");
	TCase	*tc;

	tc = tcase_create("starting");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, start_publishes_starting_with_the_pid_and_tries_zero);
	tcase_add_test(tc, process_that_exits_before_startsecs_enters_backoff);
	tcase_add_test(tc, startsecs_elapsing_makes_running_and_resets_backoff);
	tcase_add_test(tc, backoff_becomes_fatal_after_startretries);
	tcase_add_test(tc,
	    failed_spawn_publishes_starting_without_pid_then_backoff);
	tcase_add_test(tc,
	    exit_after_startsecs_while_starting_is_running_then_exited);
	suite_add_tcase(s, tc);

	tc = tcase_create("exits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc,
	    expected_exit_with_autorestart_unexpected_stays_exited);
	tcase_add_test(tc, unexpected_exit_with_autorestart_unexpected_restarts);
	tcase_add_test(tc, death_by_signal_is_unexpected_with_status_minus_one);
	tcase_add_test(tc, autorestart_true_restarts_after_an_expected_exit);
	tcase_add_test(tc, autorestart_false_never_restarts);
	suite_add_tcase(s, tc);

	tc = tcase_create("stopping");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, stop_sends_stopsignal_and_exit_gives_stopped);
	tcase_add_test(tc, sigkill_follows_stopwaitsecs_and_repeats);
	tcase_add_test(tc, stopasgroup_signals_the_process_group);
	tcase_add_test(tc, stop_in_backoff_goes_straight_to_stopped);
	tcase_add_test(tc, kill_failing_with_eperm_makes_unknown);
	tcase_add_test(tc, kill_failing_with_esrch_waits_for_the_reap);
	suite_add_tcase(s, tc);

	tc = tcase_create("commands");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, commands_check_in_supervisor_order);
	tcase_add_test(tc, start_reports_spawn_error_when_the_spawn_fails);
	tcase_add_test(tc, proc_list_follows_group_then_process_priority);
	tcase_add_test(tc, state_names_and_codes_follow_the_table);
	suite_add_tcase(s, tc);

	tc = tcase_create("groups");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc,
	    group_add_publishes_added_then_starts_autostart_by_priority);
	tcase_add_test(tc, group_remove_refuses_while_a_process_runs);
	tcase_add_test(tc, auto_logs_are_fresh_private_files_in_childlogdir);
	suite_add_tcase(s, tc);

	tc = tcase_create("shutdown");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc,
	    shutdown_stops_one_group_at_a_time_highest_priority_first);
	tcase_add_test(tc, shutdown_turns_backoff_into_fatal_and_never_restarts);
	tcase_add_test(tc, shutdown_with_nothing_running_is_done_at_once);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(fsm_suite());
	int	 failed;

	log_set_level(LOG_CRIT);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
