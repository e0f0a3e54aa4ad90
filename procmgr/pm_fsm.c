/*
 * pm_fsm.c: the process state machine, a (state x event) table of small
 * actions. Time comes in as `now`; nothing here reads the clock. Every
 * state change publishes one PROCESS_STATE_* event.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "bus.h"
#include "log.h"
#include "pm_int.h"

typedef void pm_action(struct pm_proc *, ev_tstamp now);

static void	fsm_start(struct pm_proc *, ev_tstamp);
static void	fsm_spawned(struct pm_proc *, ev_tstamp);
static void	fsm_spawn_failed(struct pm_proc *, ev_tstamp);
static void	fsm_running(struct pm_proc *, ev_tstamp);
static void	fsm_exit_starting(struct pm_proc *, ev_tstamp);
static void	fsm_exit_running(struct pm_proc *, ev_tstamp);
static void	fsm_exit_stopping(struct pm_proc *, ev_tstamp);
static void	fsm_stop(struct pm_proc *, ev_tstamp);
static void	fsm_stop_backoff(struct pm_proc *, ev_tstamp);
static void	fsm_sigkill(struct pm_proc *, ev_tstamp);
static void	fsm_retry(struct pm_proc *, ev_tstamp);
static void	fsm_give_up(struct pm_proc *, ev_tstamp);

/* A NULL cell: the event means nothing in that state. */
static pm_action *const pm_fsm[PM_NSTATES][PM_NEVENTS] = {
	[PM_STOPPED] = {
		[PM_EV_START] = fsm_start,
		[PM_EV_SPAWNED] = fsm_spawned,
		[PM_EV_SPAWN_FAILED] = fsm_spawn_failed,
	},
	[PM_EXITED] = {
		[PM_EV_START] = fsm_start,
		[PM_EV_SPAWNED] = fsm_spawned,
		[PM_EV_SPAWN_FAILED] = fsm_spawn_failed,
	},
	[PM_FATAL] = {
		[PM_EV_START] = fsm_start,
		[PM_EV_SPAWNED] = fsm_spawned,
		[PM_EV_SPAWN_FAILED] = fsm_spawn_failed,
	},
	[PM_BACKOFF] = {
		[PM_EV_START] = fsm_start,
		[PM_EV_SPAWNED] = fsm_spawned,
		[PM_EV_SPAWN_FAILED] = fsm_spawn_failed,
		[PM_EV_BACKOFF] = fsm_retry,
		[PM_EV_STOP] = fsm_stop_backoff,
		[PM_EV_SHUTDOWN] = fsm_give_up,
	},
	[PM_STARTING] = {
		[PM_EV_STARTSECS] = fsm_running,
		[PM_EV_EXIT] = fsm_exit_starting,
		[PM_EV_STOP] = fsm_stop,
		[PM_EV_SHUTDOWN] = fsm_stop,
	},
	[PM_RUNNING] = {
		[PM_EV_EXIT] = fsm_exit_running,
		[PM_EV_STOP] = fsm_stop,
		[PM_EV_SHUTDOWN] = fsm_stop,
	},
	[PM_STOPPING] = {
		[PM_EV_EXIT] = fsm_exit_stopping,
		[PM_EV_STOPWAIT] = fsm_sigkill,
	},
	[PM_UNKNOWN] = {
		[PM_EV_EXIT] = fsm_exit_running,
	},
};

/* Feed one event to a process. */
void
pm_fsm_feed(struct pm_proc *p, enum pm_event ev, ev_tstamp now)
{
	pm_action *fn;

	if (ev < 0 || ev >= PM_NEVENTS)
		fatalx("%s: bad event %d", __func__, ev);
	if ((fn = pm_fsm[p->state][ev]) != NULL)
		fn(p, now);
}

/* Publish the change from `from` to p's current state. */
static void
fsm_publish(struct pm_proc *p, enum pm_state from, struct bus_event *ev)
{
	ev->type = (enum bus_type)(BUS_PROCESS_STATE_STOPPED + p->state);
	ev->processname = p->conf->name;
	ev->groupname = p->group->conf.name;
	ev->from_state = pm_state_name(from);
	ev->tries = p->backoff;
	ev->pid = p->pid;
	pm_publish(p->pm, ev);
}

/* Enter state `to`, publishing ev (NULL: no extras). */
static void
fsm_change(struct pm_proc *p, enum pm_state to, struct bus_event *ev)
{
	struct bus_event	 zero = BUS_EVENT_ZERO;
	enum pm_state		 from = p->state;

	if (to == from)
		return;
	p->state = to;
	fsm_publish(p, from, ev != NULL ? ev : &zero);
	if (p->pm->shutting_down)
		pm_shutdown_kick(p->pm);
}

static void
fsm_timer_set(struct pm_proc *p, ev_tstamp after)
{
	ev_timer_stop(p->pm->loop, &p->timer);
	ev_timer_set(&p->timer, after, 0.);
	ev_timer_start(p->pm->loop, &p->timer);
}

/* The one timer's meaning depends on the state it fires in. */
static void
fsm_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct pm_proc	*p = w->data;

	switch (p->state) {
	case PM_STARTING:
		pm_fsm_feed(p, PM_EV_STARTSECS, ev_now(loop));
		break;
	case PM_BACKOFF:
		pm_fsm_feed(p, PM_EV_BACKOFF, ev_now(loop));
		break;
	case PM_STOPPING:
		pm_fsm_feed(p, PM_EV_STOPWAIT, ev_now(loop));
		break;
	default:
		break;
	}
}

static void
fsm_child_cb(struct ev_loop *loop, ev_child *w, int revents)
{
	struct pm_proc	*p = w->data;

	ev_child_stop(loop, w);
	p->waitstatus = w->rstatus;
	pm_fsm_feed(p, PM_EV_EXIT, ev_now(loop));
}

void
pm_fsm_init(struct pm_proc *p)
{
	p->state = PM_STOPPED;
	p->infd = -1;
	p->out.fd = p->err.fd = -1;
	ev_init(&p->timer, fsm_timer_cb);
	p->timer.data = p;
	ev_init(&p->child, fsm_child_cb);
	p->child.data = p;
}

/* Stop every watcher of p (the process is being freed). */
void
pm_fsm_clear(struct pm_proc *p)
{
	ev_timer_stop(p->pm->loop, &p->timer);
	ev_child_stop(p->pm->loop, &p->child);
	if (p->pid > 0)
		pm_pid_del(p->pm, p);
	pm_output_close(p);
	if (p->fcgi_ref) {
		p->fcgi_ref = false;
		pm_group_sock_unref(p->group);
	}
}

/* BACKOFF entry: count the try, then retry later or give up now. */
static void
fsm_backoff(struct pm_proc *p, ev_tstamp now, struct bus_event *ev)
{
	struct bus_event	 fatal = BUS_EVENT_ZERO;

	p->backoff++;
	fsm_change(p, PM_BACKOFF, ev);
	if (p->backoff > p->conf->startretries) {
		ev_timer_stop(p->pm->loop, &p->timer);
		p->backoff = 0;
		fatal.gave_up = true;
		fsm_change(p, PM_FATAL, &fatal);
		return;
	}
	fsm_timer_set(p, p->backoff);
}

static void
fsm_start(struct pm_proc *p, ev_tstamp now)
{
	pid_t	 pid;

	ev_timer_stop(p->pm->loop, &p->timer);
	p->killing = false;
	p->spawnerr[0] = '\0';
	p->exitstatus = 0;
	p->laststart = now;
	pid = pm_spawn_fork(p, p->spawnerr, sizeof(p->spawnerr));
	if (pid <= 0) {
		pm_fsm_feed(p, PM_EV_SPAWN_FAILED, now);
		return;
	}
	p->pid = pid;
	pm_pid_add(p->pm, p);
	ev_child_set(&p->child, pid, 0);
	ev_child_start(p->pm->loop, &p->child);
	pm_fsm_feed(p, PM_EV_SPAWNED, now);
}

static void
fsm_spawned(struct pm_proc *p, ev_tstamp now)
{
	fsm_change(p, PM_STARTING, NULL);
	fsm_timer_set(p, p->conf->startsecs);
}

static void
fsm_spawn_failed(struct pm_proc *p, ev_tstamp now)
{
	struct bus_event	 ev = BUS_EVENT_ZERO;

	p->pid = 0;
	fsm_change(p, PM_STARTING, NULL);
	ev.spawnerr = p->spawnerr;
	fsm_backoff(p, now, &ev);
}

static void
fsm_running(struct pm_proc *p, ev_tstamp now)
{
	struct bus_event	 ev = BUS_EVENT_ZERO;

	p->backoff = 0;
	ev.startsecs = p->conf->startsecs;
	fsm_change(p, PM_RUNNING, &ev);
}

/* Common start of a reap: output first, then the exit's facts. */
static void
fsm_reap_begin(struct pm_proc *p, ev_tstamp now, struct bus_event *ev)
{
	int	 st = p->waitstatus;

	ev_timer_stop(p->pm->loop, &p->timer);
	pm_output_drain(p);
	p->laststop = now;
	ev->reaped = true;
	if (WIFEXITED(st))
		ev->exitstatus = WEXITSTATUS(st);
	else {
		ev->exitstatus = -1;
		if (WIFSIGNALED(st)) {
			ev->termsig = WTERMSIG(st);
			ev->core = WCOREDUMP(st) != 0;
		}
	}
	ev->expected = pm_exitcode_expected(p->conf, ev->exitstatus);
}

/* Common end of a reap, after the state events: forget the pid. */
static void
fsm_reap_end(struct pm_proc *p)
{
	ev_child_stop(p->pm->loop, &p->child);
	pm_pid_del(p->pm, p);
	p->pid = 0;
	pm_output_close(p);
	if (p->fcgi_ref) {
		p->fcgi_ref = false;
		pm_group_sock_unref(p->group);
	}
}

static bool
fsm_should_restart(struct pm_proc *p, bool expected)
{
	if (p->pm->shutting_down)
		return false;
	switch (p->conf->autorestart) {
	case PM_RESTART_TRUE:
		return true;
	case PM_RESTART_UNEXPECTED:
		return !expected;
	default:
		return false;
	}
}

/* RUNNING (or UNKNOWN) -> EXITED, then maybe autorestart. */
static void
fsm_exited(struct pm_proc *p, ev_tstamp now, struct bus_event *ev)
{
	p->backoff = 0;
	p->exitstatus = ev->exitstatus;
	if (!ev->expected)
		snprintf(p->spawnerr, sizeof(p->spawnerr), "Bad exit code %d",
		    ev->exitstatus);
	fsm_change(p, PM_EXITED, ev);
	fsm_reap_end(p);
	if (fsm_should_restart(p, ev->expected))
		pm_fsm_feed(p, PM_EV_START, now);
}

static void
fsm_exit_starting(struct pm_proc *p, ev_tstamp now)
{
	struct bus_event	 ev = BUS_EVENT_ZERO;
	bool			 quick;

	fsm_reap_begin(p, now, &ev);
	quick = now > p->laststart &&
	    now - p->laststart < p->conf->startsecs;
	if (!quick) {
		/* startsecs passed but the timer has not run yet */
		p->backoff = 0;
		fsm_change(p, PM_RUNNING, NULL);
		fsm_exited(p, now, &ev);
		return;
	}
	p->exitstatus = 0;
	snprintf(p->spawnerr, sizeof(p->spawnerr),
	    "Exited too quickly (process log may have details)");
	ev.expected = 0;
	fsm_backoff(p, now, &ev);
	fsm_reap_end(p);
}

static void
fsm_exit_running(struct pm_proc *p, ev_tstamp now)
{
	struct bus_event	 ev = BUS_EVENT_ZERO;

	fsm_reap_begin(p, now, &ev);
	fsm_exited(p, now, &ev);
}

static void
fsm_exit_stopping(struct pm_proc *p, ev_tstamp now)
{
	struct bus_event	 ev = BUS_EVENT_ZERO;

	fsm_reap_begin(p, now, &ev);
	p->killing = false;
	p->exitstatus = ev.exitstatus;
	fsm_change(p, PM_STOPPED, &ev);
	fsm_reap_end(p);
}

/*
 * Send sig meaning to stop the process (stopsignal, later SIGKILL):
 * STOPPING with a stopwaitsecs deadline, or UNKNOWN if kill() fails.
 */
static void
fsm_kill(struct pm_proc *p, int sig, ev_tstamp now)
{
	bool	 asgroup;
	pid_t	 target;

	asgroup = p->state == PM_STOPPING ? p->conf->killasgroup :
	    p->conf->stopasgroup;
	log_debug("killing %s (pid %d) %swith signal %s", p->conf->name,
	    (int)p->pid, asgroup ? "process group " : "", pm_signame(sig));
	p->killing = true;
	fsm_timer_set(p, p->conf->stopwaitsecs);
	fsm_change(p, PM_STOPPING, NULL);
	target = asgroup ? -p->pid : p->pid;
	if (pm_spawn_kill(target, sig) == 0)
		return;
	if (errno == ESRCH) {
		log_debug("unable to signal %s (pid %d), it probably just "
		    "exited on its own: %s", p->conf->name, (int)p->pid,
		    strerror(errno));
		return;
	}
	snprintf(p->pm->lasterr, sizeof(p->pm->lasterr),
	    "unknown problem killing %s (%d):%s", p->conf->name,
	    (int)p->pid, strerror(errno));
	log_crit("%s", p->pm->lasterr);
	ev_timer_stop(p->pm->loop, &p->timer);
	p->killing = false;
	fsm_change(p, PM_UNKNOWN, NULL);
}

static void
fsm_stop(struct pm_proc *p, ev_tstamp now)
{
	fsm_kill(p, p->conf->stopsignal, now);
}

static void
fsm_sigkill(struct pm_proc *p, ev_tstamp now)
{
	log_warnx("killing '%s' (%d) with SIGKILL", p->conf->name,
	    (int)p->pid);
	fsm_kill(p, SIGKILL, now);
}

/* A stop request in BACKOFF does not wait for the retries. */
static void
fsm_stop_backoff(struct pm_proc *p, ev_tstamp now)
{
	log_debug("Attempted to kill %s, which is in BACKOFF state.",
	    p->conf->name);
	ev_timer_stop(p->pm->loop, &p->timer);
	fsm_change(p, PM_STOPPED, NULL);
}

static void
fsm_retry(struct pm_proc *p, ev_tstamp now)
{
	if (p->pm->shutting_down)
		return;
	fsm_start(p, now);
}

/* Shutdown reached a process in BACKOFF: no more retries. */
static void
fsm_give_up(struct pm_proc *p, ev_tstamp now)
{
	ev_timer_stop(p->pm->loop, &p->timer);
	p->backoff = 0;
	fsm_change(p, PM_FATAL, NULL);
}

/* Send a signal without meaning to stop the process. */
int
pm_fsm_signal(struct pm_proc *p, int sig, ev_tstamp now)
{
	if (p->pid <= 0) {
		snprintf(p->pm->lasterr, sizeof(p->pm->lasterr),
		    "attempted to send %s sig %s but it wasn't running",
		    p->conf->name, pm_signame(sig));
		log_debug("%s", p->pm->lasterr);
		return -1;
	}
	log_debug("sending %s (pid %d) sig %s", p->conf->name, (int)p->pid,
	    pm_signame(sig));
	if (pm_spawn_kill(p->pid, sig) == 0)
		return 0;
	if (errno == ESRCH) {
		log_debug("unable to signal %s (pid %d), it probably just now "
		    "exited on its own: %s", p->conf->name, (int)p->pid,
		    strerror(errno));
		return 0;
	}
	snprintf(p->pm->lasterr, sizeof(p->pm->lasterr),
	    "unknown problem sending sig %s (%d):%s", p->conf->name,
	    (int)p->pid, strerror(errno));
	log_crit("%s", p->pm->lasterr);
	fsm_change(p, PM_UNKNOWN, NULL);
	return -1;
}
