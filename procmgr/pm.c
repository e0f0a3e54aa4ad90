/*
 * pm.c: struct pm, the command and query calls of pm.h, and the ordered
 * shutdown.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "log.h"
#include "pm_int.h"

static const struct {
	const char	*name;
	int		 code;
} pm_states[PM_NSTATES] = {
#define PM_STATE(name, code)	{ #name, code },
#include "pm_states.def"
#undef PM_STATE
};

const char *
pm_state_name(enum pm_state s)
{
	if (s < 0 || s >= PM_NSTATES)
		return "UNKNOWN";
	return pm_states[s].name;
}

int
pm_state_code(enum pm_state s)
{
	if (s < 0 || s >= PM_NSTATES)
		return -1;
	return pm_states[s].code;
}

/* STOPPED, EXITED, FATAL, UNKNOWN. */
bool
pm_state_stopped(enum pm_state s)
{
	return s == PM_STOPPED || s == PM_EXITED || s == PM_FATAL ||
	    s == PM_UNKNOWN;
}

/* Supervisor's signal names; "signal N" for the rest. */
const char *
pm_signame(int sig)
{
	static char	 buf[32];

	return sig_name(sig, buf, sizeof(buf));
}

void
pm_publish(struct pm *pm, const struct bus_event *ev)
{
	if (pm->bus != NULL)
		bus_publish(pm->bus, ev);
}

/* ---- pid table ---- */

static size_t
pm_pid_slot(pid_t pid)
{
	return (size_t)pid % PM_PIDHASH;
}

void
pm_pid_add(struct pm *pm, struct pm_proc *p)
{
	size_t	 i = pm_pid_slot(p->pid);

	p->pidnext = pm->pidhash[i];
	pm->pidhash[i] = p;
}

void
pm_pid_del(struct pm *pm, struct pm_proc *p)
{
	struct pm_proc	**pp;

	for (pp = &pm->pidhash[pm_pid_slot(p->pid)]; *pp != NULL;
	    pp = &(*pp)->pidnext)
		if (*pp == p) {
			*pp = p->pidnext;
			p->pidnext = NULL;
			return;
		}
}

struct pm_proc *
pm_pid_find(struct pm *pm, pid_t pid)
{
	struct pm_proc	*p;

	for (p = pm->pidhash[pm_pid_slot(pid)]; p != NULL; p = p->pidnext)
		if (p->pid == pid)
			return p;
	return NULL;
}

/*
 * Runs before the per-pid watchers (highest priority), so a pid still in
 * the table belongs to one of ours and is left to its own watcher.
 */
static void
pm_anychild_cb(struct ev_loop *loop, ev_child *w, int revents)
{
	struct pm	*pm = w->data;
	int		 st = w->rstatus;

	if (pm_pid_find(pm, w->rpid) != NULL)
		return;
	if (WIFEXITED(st))
		log_info("reaped unknown pid %d (exit status %d)", (int)w->rpid,
		    WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		log_info("reaped unknown pid %d (terminated by %s%s)",
		    (int)w->rpid, pm_signame(WTERMSIG(st)),
		    WCOREDUMP(st) ? " (core dumped)" : "");
}

/* ---- life ---- */

static void	pm_done_cb_run(struct ev_loop *, ev_timer *, int);
static void	pm_report_cb(struct ev_loop *, ev_timer *, int);
static void	pm_step_cb(struct ev_loop *, ev_timer *, int);

struct pm *
pm_new(struct ev_loop *loop, struct bus *bus)
{
	struct pm	*pm;

	pm = xcalloc(1, sizeof(*pm));
	pm->loop = loop;
	pm->bus = bus;
	ev_child_init(&pm->anychild, pm_anychild_cb, 0, 0);
	pm->anychild.data = pm;
	ev_set_priority(&pm->anychild, EV_MAXPRI);
	ev_child_start(loop, &pm->anychild);
	ev_init(&pm->report, pm_report_cb);
	pm->report.data = pm;
	ev_init(&pm->donet, pm_done_cb_run);
	pm->donet.data = pm;
	ev_init(&pm->stept, pm_step_cb);
	pm->stept.data = pm;
	return pm;
}

void
pm_free(struct pm *pm)
{
	size_t	 i;

	if (pm == NULL)
		return;
	for (i = 0; i < pm->ngroups; i++)
		pm_group_free(pm->groups[i]);
	free(pm->groups);
	free(pm->stopq);
	ev_child_stop(pm->loop, &pm->anychild);
	ev_timer_stop(pm->loop, &pm->report);
	ev_timer_stop(pm->loop, &pm->donet);
	ev_timer_stop(pm->loop, &pm->stept);
	free(pm);
}

void
pm_set_config(struct pm *pm, const struct pm_config *cfg)
{
	pm->cfg = cfg;
}

/* ---- lookups ---- */

static struct pm_group *
pm_group_find(struct pm *pm, const char *name)
{
	size_t	 i;

	for (i = 0; i < pm->ngroups; i++)
		if (strcmp(pm->groups[i]->conf.name, name) == 0)
			return pm->groups[i];
	return NULL;
}

/* group NULL: the process name alone (group == name). */
struct pm_proc *
pm_proc_find(struct pm *pm, const char *group, const char *name)
{
	struct pm_group	*g;
	size_t		 i;

	if (name == NULL)
		return NULL;
	if ((g = pm_group_find(pm, group != NULL ? group : name)) == NULL)
		return NULL;
	for (i = 0; i < g->conf.nprocs; i++)
		if (strcmp(g->procs[i].conf->name, name) == 0)
			return &g->procs[i];
	return NULL;
}

static void
pm_info_fill(struct pm_proc *p, struct pm_proc_info *info)
{
	info->name = p->conf->name;
	info->group = p->group->conf.name;
	info->state = p->state;
	info->pid = p->pid;
	info->start = p->laststart;
	info->stop = p->laststop;
	info->exitstatus = p->exitstatus;
	info->spawnerr = p->spawnerr;
	info->conf = p->conf;
}

enum pm_result
pm_proc_get(struct pm *pm, const char *group, const char *name,
    struct pm_proc_info *info)
{
	struct pm_proc	*p;

	if ((p = pm_proc_find(pm, group, name)) == NULL)
		return PM_ERR_BAD_NAME;
	pm_info_fill(p, info);
	return PM_OK;
}

size_t
pm_proc_count(struct pm *pm)
{
	size_t	 i, n = 0;

	for (i = 0; i < pm->ngroups; i++)
		n += pm->groups[i]->conf.nprocs;
	return n;
}

size_t
pm_proc_list(struct pm *pm, struct pm_proc_info *out, size_t max)
{
	struct pm_group	*g;
	size_t		 i, j, n = 0;

	for (i = 0; i < pm->ngroups; i++) {
		g = pm->groups[i];
		for (j = 0; j < g->conf.nprocs && n < max; j++)
			pm_info_fill(&g->procs[j], &out[n++]);
	}
	return n;
}

const char *
pm_last_error(struct pm *pm)
{
	return pm->lasterr;
}

/* ---- commands ---- */

enum pm_result
pm_proc_start(struct pm *pm, const char *group, const char *name)
{
	struct pm_proc	*p;
	enum pm_result	 r;

	pm->lasterr[0] = '\0';
	if ((p = pm_proc_find(pm, group, name)) == NULL)
		return PM_ERR_BAD_NAME;
	if ((r = pm_spawn_check(p, pm->lasterr, sizeof(pm->lasterr))) !=
	    PM_OK)
		return r;
	if (p->state == PM_RUNNING || p->state == PM_STARTING ||
	    p->state == PM_BACKOFF)
		return PM_ERR_ALREADY_STARTED;
	if (p->state == PM_UNKNOWN) {
		snprintf(pm->lasterr, sizeof(pm->lasterr),
		    "%s is in an unknown process state", name);
		return PM_ERR_FAILED;
	}
	if (pm->shutting_down)
		return PM_ERR_SHUTDOWN_STATE;
	if (p->pid > 0) {
		/* STOPPING: 4.2.5 only warns and reports success */
		log_warnx("process '%s' already running", p->conf->name);
		return PM_OK;
	}
	pm_fsm_feed(p, PM_EV_START, ev_now(pm->loop));
	if (p->spawnerr[0] != '\0') {
		snprintf(pm->lasterr, sizeof(pm->lasterr), "%s", p->spawnerr);
		return PM_ERR_SPAWN_ERROR;
	}
	return PM_OK;
}

enum pm_result
pm_proc_stop(struct pm *pm, const char *group, const char *name)
{
	struct pm_proc	*p;

	pm->lasterr[0] = '\0';
	if ((p = pm_proc_find(pm, group, name)) == NULL)
		return PM_ERR_BAD_NAME;
	if (p->state != PM_RUNNING && p->state != PM_STARTING &&
	    p->state != PM_BACKOFF)
		return PM_ERR_NOT_RUNNING;
	pm_fsm_feed(p, PM_EV_STOP, ev_now(pm->loop));
	if (p->state == PM_UNKNOWN)
		return PM_ERR_FAILED;
	return PM_OK;
}

enum pm_result
pm_proc_signal(struct pm *pm, const char *group, const char *name, int sig)
{
	struct pm_proc	*p;

	pm->lasterr[0] = '\0';
	if ((p = pm_proc_find(pm, group, name)) == NULL)
		return PM_ERR_BAD_NAME;
	if (sig <= 0 || sig >= NSIG)
		return PM_ERR_BAD_SIGNAL;
	if (p->state != PM_RUNNING && p->state != PM_STARTING &&
	    p->state != PM_STOPPING)
		return PM_ERR_NOT_RUNNING;
	if (pm_fsm_signal(p, sig, ev_now(pm->loop)) == -1)
		return PM_ERR_FAILED;
	return PM_OK;
}

enum pm_result
pm_proc_write_stdin(struct pm *pm, const char *group, const char *name,
    const void *data, size_t len)
{
	struct pm_proc	*p;

	pm->lasterr[0] = '\0';
	if ((p = pm_proc_find(pm, group, name)) == NULL)
		return PM_ERR_BAD_NAME;
	if (p->pid <= 0 || p->killing)
		return PM_ERR_NOT_RUNNING;
	return pm_output_write(p, data, len);
}

/* ---- ordered shutdown ---- */

bool
pm_shutting_down(struct pm *pm)
{
	return pm->shutting_down;
}

void
pm_resume(struct pm *pm)
{
	pm->shutting_down = false;
	pm->done = NULL;
	pm->nstopq = 0;
	ev_timer_stop(pm->loop, &pm->report);
	ev_timer_stop(pm->loop, &pm->stept);
	ev_timer_stop(pm->loop, &pm->donet);
}

static bool
pm_group_unstopped(struct pm_group *g)
{
	size_t	 i;

	for (i = 0; i < g->conf.nprocs; i++)
		if (!pm_state_stopped(g->procs[i].state))
			return true;
	return false;
}

/* Stop a group's processes, highest process priority first. */
static void
pm_group_stop_all(struct pm_group *g, ev_tstamp now)
{
	size_t	 i;

	for (i = g->conf.nprocs; i > 0; i--)
		pm_fsm_feed(&g->procs[i - 1], PM_EV_SHUTDOWN, now);
}

/* Log the unstopped processes of every group; false if none. */
static bool
pm_shutdown_report(struct pm *pm, bool logit)
{
	struct pm_group	*g;
	char		*names = NULL, *tmp;
	size_t		 i, j;

	for (i = 0; i < pm->ngroups; i++) {
		g = pm->groups[i];
		for (j = 0; j < g->conf.nprocs; j++) {
			if (pm_state_stopped(g->procs[j].state))
				continue;
			if (!logit)
				return true;
			xasprintf(&tmp, "%s%s%s", names ? names : "",
			    names ? ", " : "", g->procs[j].conf->name);
			free(names);
			names = tmp;
		}
	}
	if (names == NULL)
		return false;
	log_info("waiting for %s to die", names);
	free(names);
	return true;
}

/*
 * One step: stop the group at the end of the queue; drop it once all its
 * processes are stopped; when nothing is left, run done from the loop.
 */
static void
pm_shutdown_run(struct pm *pm)
{
	struct pm_group	*g;
	ev_tstamp	 now = ev_now(pm->loop);

	while (pm->nstopq > 0) {
		g = pm->stopq[pm->nstopq - 1];
		pm_group_stop_all(g, now);
		if (pm_group_unstopped(g))
			break;
		pm->nstopq--;
	}
	if (pm->nstopq > 0 || pm_shutdown_report(pm, false))
		return;
	ev_timer_stop(pm->loop, &pm->report);
	if (pm->done != NULL && !ev_is_active(&pm->donet)) {
		ev_timer_set(&pm->donet, 0., 0.);
		ev_timer_start(pm->loop, &pm->donet);
	}
}

void
pm_shutdown_kick(struct pm *pm)
{
	if (ev_is_active(&pm->stept))
		return;
	ev_timer_set(&pm->stept, 0., 0.);
	ev_timer_start(pm->loop, &pm->stept);
}

static void
pm_step_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	pm_shutdown_run(w->data);
}

static void
pm_report_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct pm	*pm = w->data;

	if (!pm_shutdown_report(pm, true))
		ev_timer_stop(loop, w);
}

static void
pm_done_cb_run(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct pm	*pm = w->data;
	pm_done_cb	*done = pm->done;

	pm->done = NULL;
	if (done != NULL)
		done(pm->done_arg);
}

void
pm_shutdown(struct pm *pm, pm_done_cb *done, void *arg)
{
	size_t	 i;

	pm->done = done;
	pm->done_arg = arg;
	if (pm->shutting_down) {
		/* A shutdown over a reload: the 3 s report timer goes on. */
		pm_shutdown_run(pm);
		return;
	}
	pm->shutting_down = true;
	/* sorted ascending: the last one has the highest priority */
	free(pm->stopq);
	pm->stopq = xreallocarray(NULL, pm->ngroups + 1, sizeof(*pm->stopq));
	for (i = 0; i < pm->ngroups; i++)
		pm->stopq[i] = pm->groups[i];
	pm->nstopq = pm->ngroups;
	pm_shutdown_run(pm);
	if (pm_shutdown_report(pm, true)) {
		ev_timer_set(&pm->report, 3., 3.);
		ev_timer_start(pm->loop, &pm->report);
	}
}
