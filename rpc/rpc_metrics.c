/*
 * rpc_metrics.c: GET /metrics, Prometheus text format (version 0.0.4).
 * Everything is read when asked (pm.h's process table, the listener
 * pools' counters through rpc_ops, the bus counters, /proc/self) except
 * the start count of each process: pm keeps none, so it is counted here
 * from PROCESS_STATE_STARTING events, since the HTTP server started
 * (which is before any process starts, and again after a reload).
 */
#include "config.h"

#include <sys/resource.h>

#include <dirent.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bus.h"
#include "log.h"
#include "lp.h"
#include "pm.h"
#include "rpc_int.h"
#include "rpc_http_int.h"

#define RPC_METRICS_BUCKETS	1024

/* Starts of one process, chained in its hash bucket. */
struct rpc_metrics_starts {
	struct rpc_metrics_starts *next;
	char		*group;
	char		*name;
	uint64_t	 n;
};

struct rpc_metrics {
	struct rpc	*rpc;
	struct rpc_metrics_starts *bucket[RPC_METRICS_BUCKETS];
};

static unsigned int
rpc_metrics_hash(const char *group, const char *name)
{
	uint32_t	 h = 2166136261u;

	for (; *group != '\0'; group++)
		h = (h ^ (unsigned char)*group) * 16777619u;
	h = (h ^ ':') * 16777619u;
	for (; *name != '\0'; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	return h % RPC_METRICS_BUCKETS;
}

static struct rpc_metrics_starts **
rpc_metrics_find(struct rpc_metrics *m, const char *group, const char *name)
{
	struct rpc_metrics_starts **pp;

	pp = &m->bucket[rpc_metrics_hash(group, name)];
	for (; *pp != NULL; pp = &(*pp)->next)
		if (strcmp((*pp)->group, group) == 0 &&
		    strcmp((*pp)->name, name) == 0)
			break;
	return pp;
}

static void
rpc_metrics_on_start(const struct bus_event *ev, void *arg)
{
	struct rpc_metrics *m = arg;
	struct rpc_metrics_starts **pp, *s;

	/* a fire drill starts nothing */
	if (ev->synthetic || ev->processname == NULL || ev->groupname == NULL)
		return;
	pp = rpc_metrics_find(m, ev->groupname, ev->processname);
	if ((s = *pp) == NULL) {
		s = *pp = xcalloc(1, sizeof(*s));
		s->group = xstrdup(ev->groupname);
		s->name = xstrdup(ev->processname);
	}
	s->n++;
}

struct rpc_metrics *
rpc_metrics_new(struct rpc *rpc)
{
	struct rpc_metrics *m;

	m = xcalloc(1, sizeof(*m));
	m->rpc = rpc;
	if (bus_subscribe(rpc->bus, "PROCESS_STATE_STARTING",
	    rpc_metrics_on_start, m) == -1)
		fatalx("rpc: cannot subscribe to process starts");
	return m;
}

void
rpc_metrics_free(struct rpc_metrics *m)
{
	struct rpc_metrics_starts *s, *next;
	size_t	 i;

	if (m == NULL)
		return;
	bus_unsubscribe(m->rpc->bus, rpc_metrics_on_start, m);
	for (i = 0; i < RPC_METRICS_BUCKETS; i++)
		for (s = m->bucket[i]; s != NULL; s = next) {
			next = s->next;
			free(s->group);
			free(s->name);
			free(s);
		}
	free(m);
}

/* ---- output ---- */

static void
rpc_metrics_printf(struct rpc_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
rpc_metrics_printf(struct rpc_buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n == -1)
		fatal("vasprintf");
	rpc_buf_add(b, s, n);
	free(s);
}

/* A label value: backslash, quote and newline escaped. */
static void
rpc_metrics_label(struct rpc_buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			rpc_buf_add(b, "\\", 1);
		if (*s == '\n')
			rpc_buf_add(b, "\\n", 2);
		else
			rpc_buf_add(b, s, 1);
	}
}

static void
rpc_metrics_head(struct rpc_buf *b, const char *name, const char *type,
    const char *help)
{
	rpc_metrics_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
	    type);
}

/* name{group="g",name="n"[,state="S"]} */
static void
rpc_metrics_proc_labels(struct rpc_buf *b, const char *metric,
    const struct pm_proc_info *pi, const char *state)
{
	rpc_buf_add(b, metric, strlen(metric));
	rpc_buf_add(b, "{group=\"", 8);
	rpc_metrics_label(b, pi->group);
	rpc_buf_add(b, "\",name=\"", 8);
	rpc_metrics_label(b, pi->name);
	if (state != NULL) {
		rpc_buf_add(b, "\",state=\"", 9);
		rpc_buf_add(b, state, strlen(state));
	}
	rpc_buf_add(b, "\"} ", 3);
}

static void
rpc_metrics_procs(struct rpc *rpc, struct rpc_buf *b)
{
	struct pm_proc_info *pi;
	struct rpc_metrics_starts *s;
	size_t	 i, n;
	double	 now = (double)time(NULL);

	n = pm_proc_count(rpc->pm);
	pi = xcalloc(n + 1, sizeof(*pi));
	n = pm_proc_list(rpc->pm, pi, n);

	rpc_metrics_head(b, "nanovisor_process_state", "gauge",
	    "Supervisor state code of each process (20 RUNNING, 0 STOPPED, "
	    "...), the state name as a label.");
	for (i = 0; i < n; i++) {
		rpc_metrics_proc_labels(b, "nanovisor_process_state", &pi[i],
		    pm_state_name(pi[i].state));
		rpc_metrics_printf(b, "%d\n", pm_state_code(pi[i].state));
	}
	rpc_metrics_head(b, "nanovisor_process_starts_total", "counter",
	    "Times each process was started (entered STARTING) since the "
	    "HTTP server started.");
	for (i = 0; i < n; i++) {
		s = *rpc_metrics_find(rpc->metrics, pi[i].group, pi[i].name);
		rpc_metrics_proc_labels(b, "nanovisor_process_starts_total",
		    &pi[i], NULL);
		rpc_metrics_printf(b, "%" PRIu64 "\n", s != NULL ? s->n : 0);
	}
	rpc_metrics_head(b, "nanovisor_process_uptime_seconds", "gauge",
	    "Seconds since a RUNNING process was spawned; 0 otherwise.");
	for (i = 0; i < n; i++) {
		rpc_metrics_proc_labels(b, "nanovisor_process_uptime_seconds",
		    &pi[i], NULL);
		rpc_metrics_printf(b, "%.0f\n", pi[i].state == PM_RUNNING &&
		    pi[i].start > 0 && now > pi[i].start ? now - pi[i].start :
		    0.0);
	}
	free(pi);
}

/* One pool's line of one metric. */
static void
rpc_metrics_pool_line(struct rpc_buf *b, const char *metric,
    const char *pool, const char *fmt, double v)
{
	rpc_buf_add(b, metric, strlen(metric));
	rpc_buf_add(b, "{pool=\"", 7);
	rpc_metrics_label(b, pool);
	rpc_buf_add(b, "\"} ", 3);
	rpc_metrics_printf(b, fmt, v);
}

static const struct {
	const char	*name, *type, *help;
} rpc_metrics_pool_rows[] = {
	{ "nanovisor_pool_queue_depth", "gauge",
	    "Events waiting in a listener pool's buffer." },
	{ "nanovisor_pool_buffer_size", "gauge",
	    "A listener pool's buffer_size." },
	{ "nanovisor_pool_events_accepted_total", "counter",
	    "Events a listener pool took in." },
	{ "nanovisor_pool_events_delivered_total", "counter",
	    "Events a listener answered OK." },
	{ "nanovisor_pool_events_rebuffered_total", "counter",
	    "Events rejected, or held by a listener that died, and queued "
	    "again." },
	{ "nanovisor_pool_events_dropped_total", "counter",
	    "Events discarded because a pool's buffer was full." },
	{ "nanovisor_pool_listener_latency_seconds", "summary",
	    "From writing an event to a listener to its OK." },
	{ "nanovisor_pool_listener_latency_max_seconds", "gauge",
	    "The longest such latency seen." },
};

static double
rpc_metrics_pool_value(const struct lp_pool_stats *st, size_t row)
{
	switch (row) {
	case 0: return st->buffered;
	case 1: return st->buffer_size;
	case 2: return st->accepted;
	case 3: return st->delivered;
	case 4: return st->rebuffered;
	case 5: return st->dropped;
	case 6: return st->latency_sum;
	default: return st->latency_max;
	}
}

static void
rpc_metrics_pools(struct rpc *rpc, struct rpc_buf *b)
{
	const struct pm_groupconf *g;
	struct lp_pool_stats *st;
	const char **groups, **names;
	size_t	 i, row, ngroups, max = 64, n = 0;
	char	 metric[128];

	if (rpc->ops->pool_stats == NULL)
		return;
	groups = xcalloc(max, sizeof(*groups));
	while ((ngroups = pm_group_names(rpc->pm, groups, max)) == max) {
		max *= 2;
		groups = xreallocarray(groups, max, sizeof(*groups));
	}
	names = xcalloc(ngroups + 1, sizeof(*names));
	st = xcalloc(ngroups + 1, sizeof(*st));
	for (i = 0; i < ngroups; i++)
		if ((g = pm_group_conf(rpc->pm, groups[i])) != NULL &&
		    g->type == PM_GROUP_LISTENER &&
		    rpc->ops->pool_stats(rpc->arg, groups[i], &st[n]) == 0)
			names[n++] = groups[i];
	for (row = 0; row < sizeof(rpc_metrics_pool_rows) /
	    sizeof(rpc_metrics_pool_rows[0]); row++) {
		rpc_metrics_head(b, rpc_metrics_pool_rows[row].name,
		    rpc_metrics_pool_rows[row].type,
		    rpc_metrics_pool_rows[row].help);
		for (i = 0; i < n; i++) {
			if (row != 6) {
				rpc_metrics_pool_line(b,
				    rpc_metrics_pool_rows[row].name, names[i],
				    row == 7 ? "%.6f\n" : "%.0f\n",
				    rpc_metrics_pool_value(&st[i], row));
				continue;
			}
			snprintf(metric, sizeof(metric), "%s_sum",
			    rpc_metrics_pool_rows[row].name);
			rpc_metrics_pool_line(b, metric, names[i], "%.6f\n",
			    st[i].latency_sum);
			snprintf(metric, sizeof(metric), "%s_count",
			    rpc_metrics_pool_rows[row].name);
			rpc_metrics_pool_line(b, metric, names[i], "%.0f\n",
			    (double)st[i].delivered);
		}
	}
	free(groups);
	free(names);
	free(st);
}

/* CPU seconds and resident bytes from /proc/self/stat. */
static void
rpc_metrics_self(struct rpc_buf *b)
{
	FILE		*fp;
	char		 line[1024], *p;
	unsigned long	 utime = 0, stime = 0;
	long		 rss = 0, tck = sysconf(_SC_CLK_TCK);
	DIR		*d;
	struct dirent	*de;
	struct rlimit	 rl;
	int		 nfd = 0;

	if ((fp = fopen("/proc/self/stat", "r")) != NULL) {
		/* fields after "(comm)": state is 3rd, utime 14th, rss 24th */
		if (fgets(line, sizeof(line), fp) != NULL &&
		    (p = strrchr(line, ')')) != NULL)
			sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u "
			    "%*u %lu %lu %*d %*d %*d %*d %*d %*d %*u %*u %ld",
			    &utime, &stime, &rss);
		fclose(fp);
	}
	if ((d = opendir("/proc/self/fd")) != NULL) {
		while ((de = readdir(d)) != NULL)
			if (de->d_name[0] != '.')
				nfd++;
		closedir(d);
		nfd--;		/* the directory's own */
	}
	rpc_metrics_head(b, "process_cpu_seconds_total", "counter",
	    "User and system CPU time of supervisord.");
	rpc_metrics_printf(b, "process_cpu_seconds_total %.2f\n",
	    tck > 0 ? (double)(utime + stime) / tck : 0.0);
	rpc_metrics_head(b, "process_resident_memory_bytes", "gauge",
	    "Resident memory of supervisord.");
	rpc_metrics_printf(b, "process_resident_memory_bytes %ld\n",
	    rss * sysconf(_SC_PAGESIZE));
	rpc_metrics_head(b, "process_open_fds", "gauge",
	    "File descriptors supervisord has open.");
	rpc_metrics_printf(b, "process_open_fds %d\n", nfd);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY) {
		rpc_metrics_head(b, "process_max_fds", "gauge",
		    "supervisord's file descriptor limit.");
		rpc_metrics_printf(b, "process_max_fds %llu\n",
		    (unsigned long long)rl.rlim_cur);
	}
}

char *
rpc_metrics_text(struct rpc *rpc, size_t *lenp)
{
	struct rpc_buf	 b = { NULL, 0, 0 };

	rpc_metrics_procs(rpc, &b);
	rpc_metrics_pools(rpc, &b);
	rpc_metrics_head(&b, "nanovisor_bus_published_total", "counter",
	    "Events published on the bus.");
	rpc_metrics_printf(&b, "nanovisor_bus_published_total %" PRIu64 "\n",
	    bus_published(rpc->bus));
	rpc_metrics_head(&b, "nanovisor_bus_external_dropped_total", "counter",
	    "Events the external bus endpoint could not send to a "
	    "subscriber.");
	rpc_metrics_printf(&b, "nanovisor_bus_external_dropped_total %" PRIu64
	    "\n", bus_external_dropped(rpc->bus));
	rpc_metrics_head(&b, "nanovisor_bus_external_subscribers", "gauge",
	    "Subscribers connected to the external bus endpoint.");
	rpc_metrics_printf(&b, "nanovisor_bus_external_subscribers %zu\n",
	    bus_external_subscribers(rpc->bus));
	rpc_metrics_self(&b);
	*lenp = b.len;
	return b.p;
}
