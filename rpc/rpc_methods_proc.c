/*
 * rpc_methods_proc.c: supervisor.* methods about supervisord itself,
 * processes and groups: state, versions, start/stop/signal (one process,
 * a group, everything), process and config info, stdin, remote events,
 * reloadConfig and adding or removing groups. Commands go through pm.h;
 * wait=true calls finish on the PROCESS_STATE_ events that follow them.
 */
#include "config.h"

#include <ctype.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bus.h"
#include "log.h"
#include "pm.h"
#include "rpc_methods_int.h"

/* ---- names ---- */

/* "g:p" -> g, p; "g:" and "g:*" -> g, NULL; "p" -> p, p. Caller frees. */
void
rpc_namespec_split(const char *spec, char **group, char **proc)
{
	const char	*colon = strchr(spec, ':');

	if (colon == NULL) {
		*group = xstrdup(spec);
		*proc = xstrdup(spec);
		return;
	}
	*group = xstrndup(spec, (size_t)(colon - spec));
	*proc = (colon[1] == '\0' || strcmp(colon + 1, "*") == 0) ? NULL :
	    xstrdup(colon + 1);
}

static char *
rpc_namespec_make(const char *group, const char *name)
{
	char	*s;

	if (strcmp(group, name) == 0)
		return xstrdup(name);
	xasprintf(&s, "%s:%s", group, name);
	return s;
}

static bool
rpc_state_running(enum pm_state s)
{
	return s == PM_RUNNING || s == PM_BACKOFF || s == PM_STARTING;
}

static bool
rpc_state_stopped(enum pm_state s)
{
	return s == PM_STOPPED || s == PM_EXITED || s == PM_FATAL ||
	    s == PM_UNKNOWN;
}

static bool
rpc_state_signallable(enum pm_state s)
{
	return s == PM_RUNNING || s == PM_STARTING || s == PM_STOPPING;
}

/* Whether ev is about group/name and came after serial s0. */
static bool
rpc_event_for(const struct bus_event *ev, uint64_t s0, const char *group,
    const char *name)
{
	return ev->serial > s0 && ev->processname != NULL &&
	    ev->groupname != NULL && strcmp(ev->processname, name) == 0 &&
	    strcmp(ev->groupname, group) == 0;
}

/* ---- supervisord itself ---- */

int
rpc_m_api_version(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	return rpc_ok(res, rpc_v_str("3.0"));
}

int
rpc_m_version(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	return rpc_ok(res, rpc_v_str("4.2.5"));
}

int
rpc_m_identification(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	const struct pm_config	*cfg = m->ops->config(m->arg);

	return rpc_ok(res, rpc_v_str(cfg != NULL && cfg->sd.identifier !=
	    NULL ? cfg->sd.identifier : "supervisor"));
}

int
rpc_m_pid(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	return rpc_ok(res, rpc_v_int(getpid()));
}

int
rpc_m_state(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	struct rpc_value	*st = rpc_v_struct();
	int			 mood = m->ops->mood(m->arg);
	const char		*name;

	name = mood == 1 ? "RUNNING" : mood == 0 ? "RESTARTING" :
	    mood == 2 ? "FATAL" : "SHUTDOWN";
	rpc_v_set(st, "statecode", rpc_v_int(mood));
	rpc_v_set(st, "statename", rpc_v_str(name));
	return rpc_ok(res, st);
}

int
rpc_m_shutdown(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	m->ops->shutdown(m->arg);
	return rpc_ok(res, rpc_v_bool(true));
}

int
rpc_m_restart(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	m->ops->restart(m->arg);
	return rpc_ok(res, rpc_v_bool(true));
}

int
rpc_m_send_remote_comm(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	struct bus_event	 ev = BUS_EVENT_ZERO;

	ev.type = BUS_REMOTE_COMMUNICATION;
	ev.comm_type = rpc_arg_str(params, 0);
	ev.data = params->items[1]->s;
	ev.datalen = params->items[1]->slen;
	bus_publish(m->bus, &ev);
	return rpc_ok(res, rpc_v_bool(true));
}

/* ---- process info ---- */

static long long
rpc_capped(double t)
{
	long long	 i = (long long)t;

	if (i > INT32_MAX)
		return INT32_MAX;
	return i < INT32_MIN ? INT32_MIN : i;
}

/* Python's str(timedelta) of whole seconds. */
void
rpc_uptime(char *buf, size_t len, long long secs)
{
	long long	 days = secs / 86400, rest = secs % 86400;
	int		 n = 0;

	if (days > 0)
		n = snprintf(buf, len, "%lld day%s, ", days,
		    days == 1 ? "" : "s");
	snprintf(buf + n, len - (size_t)n, "%lld:%02lld:%02lld", rest / 3600,
	    rest / 60 % 60, rest % 60);
}

static void
rpc_describe(char *buf, size_t len, const struct pm_proc_info *pi,
    time_t now)
{
	time_t		 start = (time_t)pi->start, stop = (time_t)pi->stop;
	long long	 up;
	struct tm	 tm;
	char		 t[32];

	buf[0] = '\0';
	switch (pi->state) {
	case PM_RUNNING:
		/* 4.2.5 subtracts whole UTC seconds, and never goes below 0 */
		up = (long long)now - (long long)start;
		rpc_uptime(t, sizeof(t), up < 0 ? 0 : up);
		snprintf(buf, len, "pid %ld, uptime %s", (long)pi->pid, t);
		break;
	case PM_FATAL:
	case PM_BACKOFF:
		if (pi->spawnerr[0] != '\0')
			snprintf(buf, len, "%s", pi->spawnerr);
		else
			snprintf(buf, len, "unknown error (try \"tail %s\")",
			    pi->name);
		break;
	case PM_STOPPED:
	case PM_EXITED:
		if (start == 0) {
			snprintf(buf, len, "Not started");
			break;
		}
		localtime_r(&stop, &tm);
		strftime(buf, len, "%b %d %I:%M %p", &tm);
		break;
	default:
		break;
	}
}

/* One member of a process info struct. */
static void
rpc_info_int(struct rpc_buf *b, const char *name, long long i)
{
	rpc_xml_put_member(b, name);
	rpc_xml_put_int(b, i);
	rpc_xml_put_member_end(b);
}

static void
rpc_info_str(struct rpc_buf *b, const char *name, const char *s)
{
	if (s == NULL)
		s = "";
	rpc_xml_put_member(b, name);
	rpc_xml_put_str(b, s, strlen(s));
	rpc_xml_put_member_end(b);
}

/*
 * A process's info struct, encoded as it is built: 1,000 of them as a
 * tree of values cost 14,000 allocations and frees per getAllProcessInfo.
 */
static void
rpc_proc_info_xml(struct rpc_buf *b, const struct pm_proc_info *pi,
    time_t now)
{
	char	 desc[600];

	rpc_xml_put_open(b, RPC_T_STRUCT);
	rpc_info_str(b, "name", pi->name);
	rpc_info_str(b, "group", pi->group);
	rpc_info_int(b, "start", rpc_capped(pi->start));
	rpc_info_int(b, "stop", rpc_capped(pi->stop));
	rpc_info_int(b, "now", rpc_capped((double)now));
	rpc_info_int(b, "state", pm_state_code(pi->state));
	rpc_info_str(b, "statename", pm_state_name(pi->state));
	rpc_info_str(b, "spawnerr", pi->spawnerr);
	rpc_info_int(b, "exitstatus", pi->exitstatus);
	rpc_info_str(b, "logfile", pi->conf->out.path);
	rpc_info_str(b, "stdout_logfile", pi->conf->out.path);
	rpc_info_str(b, "stderr_logfile", pi->conf->err.path);
	rpc_info_int(b, "pid", pi->pid);
	rpc_describe(desc, sizeof(desc), pi, now);
	rpc_info_str(b, "description", desc);
	rpc_xml_put_close(b, RPC_T_STRUCT);
}

int
rpc_m_proc_info(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	const char		*spec = rpc_arg_str(params, 0);
	struct pm_proc_info	 pi;
	struct rpc_buf		 b = { NULL, 0, 0 };
	char			*group, *name;
	enum pm_result		 r = PM_ERR_BAD_NAME;

	rpc_namespec_split(spec, &group, &name);
	if (name != NULL)
		r = pm_proc_get(m->pm, group, name, &pi);
	free(group);
	free(name);
	if (r != PM_OK)
		return rpc_fault(res, RPC_FAULT_BAD_NAME, "%s", spec);
	rpc_proc_info_xml(&b, &pi, time(NULL));
	return rpc_ok(res, rpc_v_xml(&b));
}

static int
rpc_info_cmp(const void *a, const void *b)
{
	const struct pm_proc_info *x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->group, y->group)) != 0)
		return c;
	return strcmp(x->name, y->name);
}

/* Every process in pm's order (priority); caller frees. */
static struct pm_proc_info *
rpc_proc_all(struct rpc_methods *m, size_t *np)
{
	struct pm_proc_info	*all;
	size_t			 n = pm_proc_count(m->pm);

	all = xcalloc(n + 1, sizeof(*all));
	*np = pm_proc_list(m->pm, all, n);
	return all;
}

int
rpc_m_all_proc_info(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	struct pm_proc_info	*all;
	struct rpc_buf		 b = { NULL, 0, 0 };
	size_t			 i, n;
	time_t			 now = time(NULL);

	all = rpc_proc_all(m, &n);
	qsort(all, n, sizeof(*all), rpc_info_cmp);
	rpc_buf_reserve(&b, (n + 1) * 1024);
	rpc_xml_put_open(&b, RPC_T_ARRAY);
	for (i = 0; i < n; i++)
		rpc_proc_info_xml(&b, &all[i], now);
	rpc_xml_put_close(&b, RPC_T_ARRAY);
	free(all);
	return rpc_ok(res, rpc_v_xml(&b));
}

/* ---- config info ---- */

static struct rpc_value *
rpc_v_str_or(const char *s, const char *none)
{
	return rpc_v_str(s != NULL ? s : none);
}

static struct rpc_value *
rpc_exitcodes(const struct pm_procconf *pc)
{
	struct rpc_value	*a = rpc_v_array();
	int			 c;

	for (c = 0; c < 256; c++)
		if (pm_exitcode_expected(pc, c))
			rpc_v_push(a, rpc_v_int(c));
	return a;
}

/* AUTO shows the name the running process got, as 4.2.5 does. */
static struct rpc_value *
rpc_logfile(const struct pm_logconf *lc, const struct pm_logconf *run)
{
	if (lc->is_auto && run != NULL && run->is_auto && run->path != NULL)
		return rpc_v_str(run->path);
	if (lc->is_auto && lc->path == NULL)
		return rpc_v_str("auto");
	return rpc_v_str_or(lc->path, "none");
}

/* One channel's keys; 4.2.5 lists stdout's and stderr's apart. */
static void
rpc_config_chan(struct rpc_value *st, const char *ch,
    const struct pm_logconf *lc, const struct pm_logconf *run,
    bool logfile_keys)
{
	char	 key[64];

	if (!logfile_keys) {
		snprintf(key, sizeof(key), "%s_capture_maxbytes", ch);
		rpc_v_set(st, key, rpc_v_int(lc->capture_maxbytes));
		snprintf(key, sizeof(key), "%s_events_enabled", ch);
		rpc_v_set(st, key, rpc_v_bool(lc->events_enabled));
		return;
	}
	snprintf(key, sizeof(key), "%s_logfile", ch);
	rpc_v_set(st, key, rpc_logfile(lc, run));
	snprintf(key, sizeof(key), "%s_logfile_backups", ch);
	rpc_v_set(st, key, rpc_v_int(lc->backups));
	snprintf(key, sizeof(key), "%s_logfile_maxbytes", ch);
	rpc_v_set(st, key, rpc_v_int(lc->maxbytes));
	snprintf(key, sizeof(key), "%s_syslog", ch);
	rpc_v_set(st, key, rpc_v_bool(lc->syslog));
}

static const char *
rpc_autorestart_name(enum pm_autorestart a)
{
	return a == PM_RESTART_TRUE ? "true" :
	    a == PM_RESTART_UNEXPECTED ? "unexpected" : "false";
}

/* The running copy of pc, for AUTO log names, or NULL. */
static const struct pm_procconf *
rpc_config_running(const struct pm_groupconf *run, const char *name)
{
	size_t	 i;

	for (i = 0; run != NULL && i < run->nprocs; i++)
		if (strcmp(run->procs[i].name, name) == 0)
			return &run->procs[i];
	return NULL;
}

/* Keys in 4.2.5's order, plus autorestart (added as 4.4 did). */
static struct rpc_value *
rpc_config_struct(const struct pm_groupconf *g, const struct pm_procconf *pc,
    const struct pm_groupconf *run)
{
	struct rpc_value	*st = rpc_v_struct();
	const struct pm_procconf *rp = rpc_config_running(run, pc->name);

	rpc_v_set(st, "autostart", rpc_v_bool(pc->autostart));
	rpc_v_set(st, "autorestart",
	    rpc_v_str(rpc_autorestart_name(pc->autorestart)));
	rpc_v_set(st, "directory", rpc_v_str_or(pc->directory, "none"));
	rpc_v_set(st, "uid", pc->user != NULL ? rpc_v_int(pc->uid) :
	    rpc_v_str("none"));
	rpc_v_set(st, "command", rpc_v_str(pc->command));
	rpc_v_set(st, "exitcodes", rpc_exitcodes(pc));
	rpc_v_set(st, "group", rpc_v_str(g->name));
	rpc_v_set(st, "group_prio", rpc_v_int(g->priority));
	rpc_v_set(st, "inuse", rpc_v_bool(run != NULL));
	rpc_v_set(st, "killasgroup", rpc_v_bool(pc->killasgroup));
	rpc_v_set(st, "name", rpc_v_str(pc->name));
	rpc_v_set(st, "process_prio", rpc_v_int(pc->priority));
	rpc_v_set(st, "redirect_stderr", rpc_v_bool(pc->redirect_stderr));
	rpc_v_set(st, "startretries", rpc_v_int(pc->startretries));
	rpc_v_set(st, "startsecs", rpc_v_int(pc->startsecs));
	rpc_config_chan(st, "stdout", &pc->out, NULL, false);
	rpc_config_chan(st, "stdout", &pc->out, rp ? &rp->out : NULL, true);
	rpc_v_set(st, "stopsignal", rpc_v_int(pc->stopsignal));
	rpc_v_set(st, "stopwaitsecs", rpc_v_int(pc->stopwaitsecs));
	rpc_config_chan(st, "stderr", &pc->err, NULL, false);
	rpc_config_chan(st, "stderr", &pc->err, rp ? &rp->err : NULL, true);
	/* the parser keeps no difference between unset and AUTO; unset is
	   the usual case, and 4.2.5 shows it as none */
	rpc_v_set(st, "serverurl", rpc_v_str_or(pc->serverurl, "none"));
	return st;
}

/* Sort by name; equal names keep config order (Python's sort is stable). */
static int
rpc_config_cmp(const void *a, const void *b)
{
	const struct rpc_value	*x = *(struct rpc_value *const *)a;
	const struct rpc_value	*y = *(struct rpc_value *const *)b;
	int			 c;

	c = strcmp(rpc_v_get(x, "name")->s, rpc_v_get(y, "name")->s);
	if (c != 0)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

int
rpc_m_all_config_info(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	const struct pm_config	*cfg = m->ops->config(m->arg);
	const struct pm_groupconf *g, *run;
	struct rpc_value	*a = rpc_v_array(), *st;
	size_t			 i, j;

	for (i = 0; cfg != NULL && i < cfg->ngroups; i++) {
		g = &cfg->groups[i];
		run = pm_group_conf(m->pm, g->name);
		for (j = 0; j < g->nprocs; j++) {
			st = rpc_config_struct(g, &g->procs[j], run);
			st->i = (long long)a->n;	/* sort tiebreak */
			rpc_v_push(a, st);
		}
	}
	qsort(a->items, a->n, sizeof(*a->items), rpc_config_cmp);
	for (i = 0; i < a->n; i++)
		a->items[i]->i = 0;
	return rpc_ok(res, a);
}

/* ---- waiting for one process ---- */

/* startProcess or stopProcess with wait=true. */
struct rpc_wait {
	struct rpc_job	 job;
	struct rpc_methods *m;
	uint64_t	 s0;		/* bus serial before the command */
	char		*group, *name, *spec;
};

static void
rpc_wait_free(struct rpc_job *job)
{
	struct rpc_wait	*w = (struct rpc_wait *)job;

	free(w->group);
	free(w->name);
	free(w->spec);
	free(w);
}

/* 4.2.5's rules once the process left STARTING other than to RUNNING. */
static int
rpc_start_failed(struct rpc_methods *m, const char *group, const char *name,
    const char *spec, struct rpc_res *res)
{
	struct pm_proc_info	 pi;

	if (pm_proc_get(m->pm, group, name, &pi) == PM_OK &&
	    pi.spawnerr[0] != '\0')
		return rpc_fault(res, RPC_FAULT_SPAWN_ERROR, "%s", spec);
	return rpc_fault(res, RPC_FAULT_ABNORMAL_TERMINATION, "%s", spec);
}

static int
rpc_start_feed(struct rpc_methods *m, struct rpc_job *job,
    const struct bus_event *ev, struct rpc_res *res)
{
	struct rpc_wait	*w = (struct rpc_wait *)job;

	if (!rpc_event_for(ev, w->s0, w->group, w->name))
		return 0;
	switch (ev->type) {
	case BUS_PROCESS_STATE_STARTING:
		return 0;
	case BUS_PROCESS_STATE_RUNNING:
		rpc_ok(res, rpc_v_bool(true));
		return 1;
	case BUS_PROCESS_STATE_BACKOFF:
	case BUS_PROCESS_STATE_FATAL:
		/* it exited too soon or could not spawn: a spawn error */
		rpc_fault(res, RPC_FAULT_SPAWN_ERROR, "%s", w->spec);
		return 1;
	default:
		rpc_start_failed(m, w->group, w->name, w->spec, res);
		return 1;
	}
}

static int
rpc_stop_feed(struct rpc_methods *m, struct rpc_job *job,
    const struct bus_event *ev, struct rpc_res *res)
{
	struct rpc_wait	*w = (struct rpc_wait *)job;

	if (!rpc_event_for(ev, w->s0, w->group, w->name))
		return 0;
	switch (ev->type) {
	case BUS_PROCESS_STATE_STOPPED:
	case BUS_PROCESS_STATE_EXITED:
	case BUS_PROCESS_STATE_FATAL:
	case BUS_PROCESS_STATE_UNKNOWN:
		rpc_ok(res, rpc_v_bool(true));
		return 1;
	default:
		return 0;
	}
}

static struct rpc_job *
rpc_wait_new(struct rpc_methods *m, uint64_t s0, const char *group,
    const char *name, const char *spec, bool start)
{
	struct rpc_wait	*w = xcalloc(1, sizeof(*w));

	w->job.feed = start ? rpc_start_feed : rpc_stop_feed;
	w->job.free = rpc_wait_free;
	w->m = m;
	w->s0 = s0;
	w->group = xstrdup(group);
	w->name = xstrdup(name);
	w->spec = xstrdup(spec);
	return &w->job;
}

/* A pm command's failure as 4.2.5's fault. */
static int
rpc_pm_fault(struct rpc_methods *m, enum pm_result r, const char *spec,
    struct rpc_res *res)
{
	const char	*err = pm_last_error(m->pm);

	switch (r) {
	case PM_ERR_NO_FILE:
		return rpc_fault(res, RPC_FAULT_NO_FILE, "%s", err);
	case PM_ERR_NOT_EXECUTABLE:
		return rpc_fault(res, RPC_FAULT_NOT_EXECUTABLE, "%s", err);
	case PM_ERR_FAILED:
		return err[0] != '\0' ? rpc_fault(res, RPC_FAULT_FAILED, "%s",
		    err) : rpc_fault(res, RPC_FAULT_FAILED, "%s", spec);
	case PM_ERR_SHUTDOWN_STATE:
		return rpc_fault(res, RPC_FAULT_SHUTDOWN_STATE, NULL);
	case PM_ERR_BAD_SIGNAL:
		return rpc_fault(res, RPC_FAULT_BAD_SIGNAL, "%s", spec);
	default:
		break;
	}
#define RPC_PM_MAP(p, f)	if (r == PM_ERR_##p)			\
		return rpc_fault(res, RPC_FAULT_##f, "%s", spec);
	RPC_PM_MAP(BAD_NAME, BAD_NAME)
	RPC_PM_MAP(ALREADY_STARTED, ALREADY_STARTED)
	RPC_PM_MAP(NOT_RUNNING, NOT_RUNNING)
	RPC_PM_MAP(SPAWN_ERROR, SPAWN_ERROR)
	RPC_PM_MAP(ALREADY_ADDED, ALREADY_ADDED)
	RPC_PM_MAP(STILL_RUNNING, STILL_RUNNING)
#undef RPC_PM_MAP
	return rpc_fault(res, RPC_FAULT_FAILED, "%s", spec);
}

/* startProcess on one process. */
static int
rpc_start_one(struct rpc_methods *m, const char *group, const char *name,
    const char *spec, bool wait, struct rpc_res *res, struct rpc_job **jobp)
{
	struct pm_proc_info	 pi;
	uint64_t		 s0 = bus_published(m->bus);
	enum pm_result		 r;

	if ((r = pm_proc_start(m->pm, group, name)) != PM_OK)
		return rpc_pm_fault(m, r, spec, res);
	if (pm_proc_get(m->pm, group, name, &pi) != PM_OK)
		return rpc_fault(res, RPC_FAULT_BAD_NAME, "%s", spec);
	if (pi.spawnerr[0] != '\0')
		return rpc_fault(res, RPC_FAULT_SPAWN_ERROR, "%s", spec);
	if (!wait || pi.state == PM_RUNNING)
		return rpc_ok(res, rpc_v_bool(true));
	/* still stopping: 4.2.5 answers once a poll sees it gone */
	if (pi.state != PM_STARTING && pi.state != PM_STOPPING)
		return rpc_start_failed(m, group, name, spec, res);
	*jobp = rpc_wait_new(m, s0, group, name, spec, true);
	return RPC_LATER;
}

/* stopProcess on one process. */
static int
rpc_stop_one(struct rpc_methods *m, const char *group, const char *name,
    const char *spec, bool wait, struct rpc_res *res, struct rpc_job **jobp)
{
	struct pm_proc_info	 pi;
	uint64_t		 s0 = bus_published(m->bus);
	enum pm_result		 r;

	if ((r = pm_proc_stop(m->pm, group, name)) != PM_OK)
		return rpc_pm_fault(m, r, spec, res);
	if (!wait || (pm_proc_get(m->pm, group, name, &pi) == PM_OK &&
	    rpc_state_stopped(pi.state)))
		return rpc_ok(res, rpc_v_bool(true));
	*jobp = rpc_wait_new(m, s0, group, name, spec, false);
	return RPC_LATER;
}

/* signalProcess on one process; sig < 0 means the name was bad. */
static int
rpc_signal_one(struct rpc_methods *m, const char *group, const char *name,
    const char *spec, int sig, const char *signame, struct rpc_res *res)
{
	struct pm_proc_info	 pi;
	enum pm_result		 r;

	if (pm_proc_get(m->pm, group, name, &pi) != PM_OK)
		return rpc_fault(res, RPC_FAULT_BAD_NAME, "%s", spec);
	if (sig <= 0)
		return rpc_fault(res, RPC_FAULT_BAD_SIGNAL, "%s", signame);
	if ((r = pm_proc_signal(m->pm, group, name, sig)) == PM_OK)
		return rpc_ok(res, rpc_v_bool(true));
	if (r == PM_ERR_BAD_SIGNAL)
		return rpc_fault(res, RPC_FAULT_BAD_SIGNAL, "%s", signame);
	return rpc_pm_fault(m, r, spec, res);
}

/* ---- many processes at once ---- */

enum rpc_allop { RPC_ALL_START, RPC_ALL_STOP, RPC_ALL_SIGNAL };

struct rpc_allitem {
	char		*group, *name;
	struct rpc_job	*job;
};

/* A group or all-process operation; results in completion order. */
struct rpc_all {
	struct rpc_job	 job;
	struct rpc_allitem *items;	/* still waiting */
	size_t		 n;
	struct rpc_value *results;
};

static void
rpc_all_result(struct rpc_all *all, const char *group, const char *name,
    struct rpc_res *res)
{
	struct rpc_value	*st = rpc_v_struct();

	rpc_v_set(st, "name", rpc_v_str(name));
	rpc_v_set(st, "group", rpc_v_str(group));
	rpc_v_set(st, "status", rpc_v_int(res->code != 0 ? res->code :
	    RPC_FAULT_SUCCESS));
	rpc_v_set(st, "description", rpc_v_str(res->code != 0 ? res->text :
	    "OK"));
	rpc_v_push(all->results, st);
	rpc_res_clear(res);
}

static void
rpc_all_free(struct rpc_job *job)
{
	struct rpc_all	*all = (struct rpc_all *)job;
	size_t		 i;

	for (i = 0; i < all->n; i++) {
		rpc_job_free(all->items[i].job);
		free(all->items[i].group);
		free(all->items[i].name);
	}
	free(all->items);
	rpc_value_free(all->results);
	free(all);
}

static int
rpc_all_feed(struct rpc_methods *m, struct rpc_job *job,
    const struct bus_event *ev, struct rpc_res *res)
{
	struct rpc_all		*all = (struct rpc_all *)job;
	struct rpc_allitem	*it;
	struct rpc_res		 one;
	size_t			 i = 0;

	while (i < all->n) {
		it = &all->items[i];
		memset(&one, 0, sizeof(one));
		if (it->job->feed(m, it->job, ev, &one) == 0) {
			i++;
			continue;
		}
		rpc_all_result(all, it->group, it->name, &one);
		rpc_job_free(it->job);
		free(it->group);
		free(it->name);
		memmove(it, it + 1, (all->n - i - 1) * sizeof(*it));
		all->n--;
	}
	if (all->n > 0)
		return 0;
	rpc_ok(res, all->results);
	all->results = NULL;
	return 1;
}

static bool
rpc_all_wants(enum rpc_allop op, enum pm_state s)
{
	if (op == RPC_ALL_START)
		return !rpc_state_running(s);
	if (op == RPC_ALL_STOP)
		return rpc_state_running(s);
	return rpc_state_signallable(s);
}

/* Run op on one process of the list; a waiting one joins all->items. */
static void
rpc_all_one(struct rpc_methods *m, struct rpc_all *all, enum rpc_allop op,
    const struct pm_proc_info *pi, bool wait, int sig, const char *signame)
{
	struct rpc_res	 one;
	struct rpc_job	*job = NULL;
	char		*spec = rpc_namespec_make(pi->group, pi->name);
	int		 rc = RPC_DONE;

	memset(&one, 0, sizeof(one));
	if (op == RPC_ALL_START)
		rc = rpc_start_one(m, pi->group, pi->name, spec, wait, &one,
		    &job);
	else if (op == RPC_ALL_STOP)
		rc = rpc_stop_one(m, pi->group, pi->name, spec, wait, &one,
		    &job);
	else
		rpc_signal_one(m, pi->group, pi->name, spec, sig, signame,
		    &one);
	free(spec);
	if (rc == RPC_DONE) {
		rpc_all_result(all, pi->group, pi->name, &one);
		return;
	}
	all->items = xreallocarray(all->items, all->n + 1,
	    sizeof(*all->items));
	all->items[all->n].group = xstrdup(pi->group);
	all->items[all->n].name = xstrdup(pi->name);
	all->items[all->n++].job = job;
}

/*
 * op on every process of group (NULL: all), in priority order, for those
 * whose state calls for it. Names are copied before acting, since a
 * state change may move what pm lends.
 */
static int
rpc_all_run(struct rpc_methods *m, const char *group, enum rpc_allop op,
    bool wait, int sig, const char *signame, struct rpc_res *res,
    struct rpc_job **jobp)
{
	struct pm_proc_info	*list, pi;
	struct rpc_all		*all = xcalloc(1, sizeof(*all));
	size_t			 i, n;
	char			*g, *p;

	all->job.feed = rpc_all_feed;
	all->job.free = rpc_all_free;
	all->results = rpc_v_array();
	list = rpc_proc_all(m, &n);
	for (i = 0; i < n; i++) {
		if (group != NULL && strcmp(list[i].group, group) != 0)
			continue;
		g = xstrdup(list[i].group);
		p = xstrdup(list[i].name);
		if (pm_proc_get(m->pm, g, p, &pi) == PM_OK &&
		    rpc_all_wants(op, pi.state))
			rpc_all_one(m, all, op, &pi, wait, sig, signame);
		free(g);
		free(p);
	}
	free(list);
	if (all->n > 0) {
		*jobp = &all->job;
		return RPC_LATER;
	}
	rpc_ok(res, all->results);
	all->results = NULL;
	rpc_all_free(&all->job);
	return RPC_DONE;
}

/* ---- the start, stop and signal methods ---- */

/* The group of a group: or group:* name, or NULL for one process. */
static int
rpc_named(struct rpc_methods *m, const char *spec, char **group, char **name,
    struct rpc_res *res)
{
	struct pm_proc_info	 pi;

	rpc_namespec_split(spec, group, name);
	if (pm_group_conf(m->pm, *group) == NULL ||
	    (*name != NULL && pm_proc_get(m->pm, *group, *name, &pi) !=
	    PM_OK)) {
		free(*group);
		free(*name);
		*group = *name = NULL;
		return rpc_fault(res, RPC_FAULT_BAD_NAME, "%s", spec), -1;
	}
	return 0;
}

static int
rpc_startstop(struct rpc_methods *m, const struct rpc_value *params,
    bool start, struct rpc_res *res, struct rpc_job **jobp)
{
	const char	*spec = rpc_arg_str(params, 0);
	bool		 wait = rpc_arg_bool(params, 1, true);
	char		*group, *name;
	int		 rc;

	if (rpc_named(m, spec, &group, &name, res) == -1)
		return RPC_DONE;
	if (name == NULL)
		rc = rpc_all_run(m, group, start ? RPC_ALL_START :
		    RPC_ALL_STOP, wait, 0, NULL, res, jobp);
	else if (start)
		rc = rpc_start_one(m, group, name, spec, wait, res, jobp);
	else
		rc = rpc_stop_one(m, group, name, spec, wait, res, jobp);
	free(group);
	free(name);
	return rc;
}

int
rpc_m_start_proc(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	return rpc_startstop(m, params, true, res, jobp);
}

int
rpc_m_stop_proc(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	return rpc_startstop(m, params, false, res, jobp);
}

static int
rpc_group_op(struct rpc_methods *m, const struct rpc_value *params,
    enum rpc_allop op, struct rpc_res *res, struct rpc_job **jobp)
{
	const char	*group = rpc_arg_str(params, 0);

	if (pm_group_conf(m->pm, group) == NULL)
		return rpc_fault(res, RPC_FAULT_BAD_NAME, "%s", group);
	return rpc_all_run(m, group, op, rpc_arg_bool(params, 1, true), 0,
	    NULL, res, jobp);
}

int
rpc_m_start_group(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	return rpc_group_op(m, params, RPC_ALL_START, res, jobp);
}

int
rpc_m_stop_group(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	return rpc_group_op(m, params, RPC_ALL_STOP, res, jobp);
}

int
rpc_m_start_all(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	return rpc_all_run(m, NULL, RPC_ALL_START,
	    rpc_arg_bool(params, 0, true), 0, NULL, res, jobp);
}

int
rpc_m_stop_all(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	return rpc_all_run(m, NULL, RPC_ALL_STOP,
	    rpc_arg_bool(params, 0, true), 0, NULL, res, jobp);
}

static const struct {
	const char	*name;
	int		 sig;
} rpc_signames[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "ILL", SIGILL }, { "TRAP", SIGTRAP }, { "ABRT", SIGABRT },
	{ "IOT", SIGIOT }, { "BUS", SIGBUS }, { "FPE", SIGFPE },
	{ "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV },
	{ "USR2", SIGUSR2 }, { "PIPE", SIGPIPE }, { "ALRM", SIGALRM },
	{ "TERM", SIGTERM }, { "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD },
	{ "CLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP },
	{ "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU },
	{ "URG", SIGURG }, { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ },
	{ "VTALRM", SIGVTALRM }, { "PROF", SIGPROF }, { "WINCH", SIGWINCH },
	{ "IO", SIGIO }, { "POLL", SIGPOLL }, { "PWR", SIGPWR },
	{ "SYS", SIGSYS }, { "RTMIN", 34 }, { "RTMAX", 64 },
};

/*
 * A signal given as a number or a name with or without SIG, any case, as
 * 4.2.5 reads it; -1 if it is neither (or a number Python has no name
 * for).
 */
static int
rpc_signal_parse(const char *s)
{
	char		 up[32];
	const char	*p;
	char		*end;
	long		 n;
	size_t		 i;

	n = strtol(s, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	if (end != s && *end == '\0')
		return (n >= 1 && n <= 31) || n == 34 || n == 64 ? (int)n : -1;
	while (isspace((unsigned char)*s))
		s++;
	for (i = 0; s[i] != '\0' && i < sizeof(up) - 1; i++)
		up[i] = (char)toupper((unsigned char)s[i]);
	while (i > 0 && isspace((unsigned char)up[i - 1]))
		i--;
	up[i] = '\0';
	p = strncmp(up, "SIG", 3) == 0 ? up + 3 : up;
	for (i = 0; i < sizeof(rpc_signames) / sizeof(rpc_signames[0]); i++)
		if (strcmp(rpc_signames[i].name, p) == 0)
			return rpc_signames[i].sig;
	return -1;
}

int
rpc_m_signal_proc(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	const char	*spec = rpc_arg_str(params, 0);
	const char	*signame = rpc_arg_str(params, 1);
	char		*group, *name;

	if (rpc_named(m, spec, &group, &name, res) == -1)
		return RPC_DONE;
	if (name == NULL)
		rpc_all_run(m, group, RPC_ALL_SIGNAL, false,
		    rpc_signal_parse(signame), signame, res, jobp);
	else
		rpc_signal_one(m, group, name, spec,
		    rpc_signal_parse(signame), signame, res);
	free(group);
	free(name);
	return RPC_DONE;
}

int
rpc_m_signal_group(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	const char	*group = rpc_arg_str(params, 0);
	const char	*signame = rpc_arg_str(params, 1);

	if (pm_group_conf(m->pm, group) == NULL)
		return rpc_fault(res, RPC_FAULT_BAD_NAME, "%s", group);
	return rpc_all_run(m, group, RPC_ALL_SIGNAL, false,
	    rpc_signal_parse(signame), signame, res, jobp);
}

/* 4.2.5 signals first and refuses only afterwards while shutting down. */
int
rpc_m_signal_all(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	const char	*signame = rpc_arg_str(params, 0);

	rpc_all_run(m, NULL, RPC_ALL_SIGNAL, false, rpc_signal_parse(signame),
	    signame, res, jobp);
	if (rpc_shutting_down(m)) {
		rpc_res_clear(res);
		return rpc_fault(res, RPC_FAULT_SHUTDOWN_STATE, NULL);
	}
	return RPC_DONE;
}

/* ---- stdin ---- */

/* 4.2.5 names the bad value as Python prints it. */
static int
rpc_chars_fault(const struct rpc_value *v, struct rpc_res *res)
{
	char	 num[64];
	int	 prec;

	switch (v->type) {
	case RPC_T_INT:
		return rpc_fault(res, RPC_FAULT_INCORRECT_PARAMETERS, "%lld",
		    v->i);
	case RPC_T_BOOL:
		return rpc_fault(res, RPC_FAULT_INCORRECT_PARAMETERS, "%s",
		    v->i ? "True" : "False");
	case RPC_T_DOUBLE:
		for (prec = 1; prec < 17; prec++) {
			snprintf(num, sizeof(num), "%.*g", prec, v->d);
			if (strtod(num, NULL) == v->d)
				break;
		}
		return rpc_fault(res, RPC_FAULT_INCORRECT_PARAMETERS, "%s%s",
		    num, strpbrk(num, ".eni") == NULL ? ".0" : "");
	default:
		return rpc_fault(res, RPC_FAULT_INCORRECT_PARAMETERS, NULL);
	}
}

int
rpc_m_send_stdin(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	const char		*spec = rpc_arg_str(params, 0);
	const struct rpc_value	*chars = params->items[1];
	char			*group, *name;
	enum pm_result		 r = PM_ERR_BAD_NAME;

	if (chars->type != RPC_T_STRING && chars->type != RPC_T_BASE64)
		return rpc_chars_fault(chars, res);
	rpc_namespec_split(spec, &group, &name);
	if (name != NULL)
		r = pm_proc_write_stdin(m->pm, group, name, chars->s,
		    chars->slen);
	free(group);
	free(name);
	if (r == PM_OK)
		return rpc_ok(res, rpc_v_bool(true));
	if (r == PM_ERR_NO_FILE)
		return rpc_fault(res, RPC_FAULT_NO_FILE, "%s", spec);
	return rpc_pm_fault(m, r, spec, res);
}

/* ---- groups and the configuration ---- */

int
rpc_m_add_group(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	const char	*name = rpc_arg_str(params, 0);
	enum pm_result	 r;

	/* FAILED (an fcgi socket that cannot be made) carries pm's text */
	if ((r = pm_group_add(m->pm, name)) != PM_OK)
		return rpc_pm_fault(m, r, name, res);
	return rpc_ok(res, rpc_v_bool(true));
}

int
rpc_m_remove_group(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	const char	*name = rpc_arg_str(params, 0);
	enum pm_result	 r;

	if ((r = pm_group_remove(m->pm, name)) != PM_OK)
		return rpc_pm_fault(m, r, name, res);
	return rpc_ok(res, rpc_v_bool(true));
}

/* Names of the active groups as one array. */
static void
rpc_active_names(struct rpc_methods *m, const char ***names, size_t *n)
{
	size_t	 max = 64;

	for (;;) {
		*names = xreallocarray(NULL, max, sizeof(**names));
		if ((*n = pm_group_names(m->pm, *names, max)) < max)
			return;
		free(*names);
		max *= 2;
	}
}

/* supervisord's diff_to_active: added, changed, removed. */
static struct rpc_value *
rpc_diff_active(struct rpc_methods *m, const struct pm_config *cfg)
{
	struct rpc_value	*add = rpc_v_array(), *chg = rpc_v_array();
	struct rpc_value	*rem = rpc_v_array(), *all = rpc_v_array();
	const struct pm_groupconf *cur;
	const char		**names;
	size_t			 i, n;

	for (i = 0; i < cfg->ngroups; i++) {
		cur = pm_group_conf(m->pm, cfg->groups[i].name);
		if (cur == NULL)
			rpc_v_push(add, rpc_v_str(cfg->groups[i].name));
		else if (!pm_groupconf_equal(cur, &cfg->groups[i]))
			rpc_v_push(chg, rpc_v_str(cfg->groups[i].name));
	}
	rpc_active_names(m, &names, &n);
	for (i = 0; i < n; i++)
		if (pm_config_group(cfg, names[i]) == NULL)
			rpc_v_push(rem, rpc_v_str(names[i]));
	free(names);
	rpc_v_push(all, add);
	rpc_v_push(all, chg);
	rpc_v_push(all, rem);
	return all;
}

int
rpc_m_reload_config(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	const struct pm_config	*cfg;
	struct rpc_value	*outer;
	char			 err[1024];

	err[0] = '\0';
	if (m->ops->reread(m->arg, err, sizeof(err)) == -1)
		return rpc_fault(res, RPC_FAULT_CANT_REREAD, "%s", err);
	if ((cfg = m->ops->config(m->arg)) == NULL)
		return rpc_fault(res, RPC_FAULT_CANT_REREAD, "no config");
	/* addProcessGroup adds from what pm holds: hand it the new one */
	pm_set_config(m->pm, cfg);
	outer = rpc_v_array();
	rpc_v_push(outer, rpc_diff_active(m, cfg));
	return rpc_ok(res, outer);
}
