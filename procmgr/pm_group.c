/*
 * pm_group.c: adding and removing process groups, the AUTO child log
 * names, and the reference-counted sockets of fcgi-program groups.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus.h"
#include "log.h"
#include "pm_int.h"

/* ---- deep copies of the config (owner: the group) ---- */

static char *
pm_strdup0(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static char **
pm_strv_dup(char *const *v)
{
	char	**out;
	size_t	  i, n;

	if (v == NULL)
		return NULL;
	for (n = 0; v[n] != NULL; n++)
		;
	out = xcalloc(n + 1, sizeof(*out));
	for (i = 0; i < n; i++)
		out[i] = xstrdup(v[i]);
	return out;
}

/* Free a NULL-terminated vector of strings (argv, envp, lists). */
void
pm_argv_free(char **v)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

static void
pm_procconf_copy(struct pm_procconf *d, const struct pm_procconf *s)
{
	*d = *s;
	d->name = pm_strdup0(s->name);
	d->group = pm_strdup0(s->group);
	d->section = pm_strdup0(s->section);
	d->command = pm_strdup0(s->command);
	d->directory = pm_strdup0(s->directory);
	d->user = pm_strdup0(s->user);
	d->out.path = pm_strdup0(s->out.path);
	d->err.path = pm_strdup0(s->err.path);
	d->environment = pm_strv_dup(s->environment);
	d->serverurl = pm_strdup0(s->serverurl);
}

static void
pm_procconf_clear(struct pm_procconf *c)
{
	free(c->name);
	free(c->group);
	free(c->section);
	free(c->command);
	free(c->directory);
	free(c->user);
	free(c->out.path);
	free(c->err.path);
	pm_argv_free(c->environment);
	free(c->serverurl);
}

void
pm_groupconf_copy(struct pm_groupconf *d, const struct pm_groupconf *s)
{
	size_t	 i;

	*d = *s;
	d->name = pm_strdup0(s->name);
	d->procs = xcalloc(s->nprocs, sizeof(*d->procs));
	for (i = 0; i < s->nprocs; i++)
		pm_procconf_copy(&d->procs[i], &s->procs[i]);
	d->events = pm_strv_dup(s->events);
	d->socket.url = pm_strdup0(s->socket.url);
	d->socket.path = pm_strdup0(s->socket.path);
	d->socket.host = pm_strdup0(s->socket.host);
}

void
pm_groupconf_clear(struct pm_groupconf *c)
{
	size_t	 i;

	free(c->name);
	for (i = 0; i < c->nprocs; i++)
		pm_procconf_clear(&c->procs[i]);
	free(c->procs);
	pm_argv_free(c->events);
	free(c->socket.url);
	free(c->socket.path);
	free(c->socket.host);
	memset(c, 0, sizeof(*c));
}

/* ---- AUTO log names ---- */

/* Python tempfile's alphabet: what 4.2.5's AUTO names are made of. */
static const char pm_auto_chars[] = "abcdefghijklmnopqrstuvwxyz0123456789_";

/* Create a fresh empty file at path, whose "XXXXXXXX" we fill in. */
static int
pm_auto_create(char *path, char *rnd)
{
	unsigned char	 b[8];
	int		 fd, try, i;

	for (try = 0; try < 100; try++) {
		if (getentropy(b, sizeof(b)) == -1)
			return -1;
		for (i = 0; i < 8; i++)
			rnd[i] = pm_auto_chars[b[i] % (sizeof(pm_auto_chars) - 1)];
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd != -1 || errno != EEXIST)
			return fd;
	}
	return -1;
}

/* A fresh empty file <dir>/<proc>-<channel>---<ident>-XXXXXXXX.log. */
static char *
pm_auto_name(const struct pm_config *cfg, const char *proc,
    const char *channel)
{
	const char	*dir = "/tmp", *ident = "supervisor";
	char		*path;
	int		 fd;

	if (cfg != NULL && cfg->sd.childlogdir != NULL)
		dir = cfg->sd.childlogdir;
	if (cfg != NULL && cfg->sd.identifier != NULL)
		ident = cfg->sd.identifier;
	xasprintf(&path, "%s/%s-%s---%s-XXXXXXXX.log", dir, proc, channel,
	    ident);
	if ((fd = pm_auto_create(path, path + strlen(path) - 12)) == -1) {
		log_warn("cannot create AUTO log file in %s", dir);
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}

static void
pm_auto_names(struct pm *pm, struct pm_procconf *c)
{
	if (c->out.is_auto && c->out.path == NULL)
		c->out.path = pm_auto_name(pm->cfg, c->name, "stdout");
	if (c->err.is_auto && c->err.path == NULL && !c->redirect_stderr)
		c->err.path = pm_auto_name(pm->cfg, c->name, "stderr");
}

/* ---- fcgi sockets ---- */

static const char *
pm_sock_url(struct pm_group *g, char *buf, size_t len)
{
	const struct pm_fcgisock *s = &g->conf.socket;

	if (s->is_unix)
		snprintf(buf, len, "unix://%s", s->path);
	else
		snprintf(buf, len, "tcp://%s:%d", s->host, s->port);
	return buf;
}

static int
pm_sock_tcp(const struct pm_fcgisock *s)
{
	struct addrinfo	 hints, *res;
	char		 port[16];
	int		 fd, one = 1, e;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	snprintf(port, sizeof(port), "%d", s->port);
	if ((e = getaddrinfo(s->host != NULL && *s->host ? s->host : NULL,
	    port, &hints, &res)) != 0) {
		errno = e == EAI_SYSTEM ? errno : EADDRNOTAVAIL;
		return -1;
	}
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, res->ai_addr, res->ai_addrlen) == -1) {
		e = errno;
		if (fd != -1)
			close(fd);
		freeaddrinfo(res);
		errno = e;
		return -1;
	}
	freeaddrinfo(res);
	return fd;
}

static int
pm_sock_unix(const struct pm_fcgisock *s)
{
	struct sockaddr_un	 sun;
	int			 fd, e;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if ((size_t)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s",
	    s->path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	(void)unlink(s->path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    (s->has_owner && chown(s->path, s->owner_uid, s->owner_gid)) ||
	    chmod(s->path, s->mode) == -1) {
		e = errno;
		close(fd);
		(void)unlink(s->path);
		errno = e;
		return -1;
	}
	return fd;
}

/* Take a reference on the group's socket, creating it for the first. */
int
pm_group_sock_ref(struct pm_group *g)
{
	const struct pm_fcgisock *s = &g->conf.socket;
	char		 url[512];
	int		 fd, e;

	if (g->sockrefs++ > 0)
		return 0;
	log_info("Creating socket %s", pm_sock_url(g, url, sizeof(url)));
	fd = s->is_unix ? pm_sock_unix(s) : pm_sock_tcp(s);
	if (fd != -1 && listen(fd, s->backlog > 0 ? s->backlog : SOMAXCONN)) {
		e = errno;
		close(fd);
		errno = e;
		fd = -1;
	}
	if (fd == -1) {
		g->sockrefs--;
		return -1;
	}
	g->sockfd = fd;
	return 0;
}

void
pm_group_sock_unref(struct pm_group *g)
{
	char	 url[512];

	if (g->sockrefs <= 0)
		fatalx("%s: socket of %s not referenced", __func__,
		    g->conf.name);
	if (--g->sockrefs > 0)
		return;
	log_info("Closing socket %s", pm_sock_url(g, url, sizeof(url)));
	close(g->sockfd);
	g->sockfd = -1;
}

/* ---- groups ---- */

struct pm_group *
pm_group_new(struct pm *pm, const struct pm_groupconf *conf)
{
	struct pm_group	*g;
	size_t		 i;

	g = xcalloc(1, sizeof(*g));
	g->pm = pm;
	g->sockfd = -1;
	pm_groupconf_copy(&g->conf, conf);
	g->procs = xcalloc(conf->nprocs, sizeof(*g->procs));
	for (i = 0; i < conf->nprocs; i++) {
		pm_auto_names(pm, &g->conf.procs[i]);
		g->procs[i].pm = pm;
		g->procs[i].group = g;
		g->procs[i].conf = &g->conf.procs[i];
		pm_fsm_init(&g->procs[i]);
	}
	return g;
}

void
pm_group_free(struct pm_group *g)
{
	size_t	 i;

	if (g == NULL)
		return;
	for (i = 0; i < g->conf.nprocs; i++)
		pm_fsm_clear(&g->procs[i]);
	if (g->sockfd != -1)
		close(g->sockfd);
	free(g->procs);
	pm_groupconf_clear(&g->conf);
	free(g);
}

static int
pm_group_cmp(const struct pm_group *a, const struct pm_group *b)
{
	if (a->conf.priority != b->conf.priority)
		return a->conf.priority < b->conf.priority ? -1 : 1;
	return strcmp(a->conf.name, b->conf.name);
}

static void
pm_group_insert(struct pm *pm, struct pm_group *g)
{
	size_t	 i;

	pm->groups = xreallocarray(pm->groups, pm->ngroups + 1,
	    sizeof(*pm->groups));
	for (i = pm->ngroups; i > 0 &&
	    pm_group_cmp(pm->groups[i - 1], g) > 0; i--)
		pm->groups[i] = pm->groups[i - 1];
	pm->groups[i] = g;
	pm->ngroups++;
}

static struct pm_group *
pm_group_lookup(struct pm *pm, const char *name, size_t *idx)
{
	size_t	 i;

	for (i = 0; i < pm->ngroups; i++)
		if (strcmp(pm->groups[i]->conf.name, name) == 0) {
			if (idx != NULL)
				*idx = i;
			return pm->groups[i];
		}
	return NULL;
}

static const struct pm_groupconf *
pm_cfg_group(struct pm *pm, const char *name)
{
	size_t	 i;

	if (pm->cfg == NULL)
		return NULL;
	for (i = 0; i < pm->cfg->ngroups; i++)
		if (strcmp(pm->cfg->groups[i].name, name) == 0)
			return &pm->cfg->groups[i];
	return NULL;
}

static void
pm_group_publish(struct pm *pm, enum bus_type type, const char *name)
{
	struct bus_event	 ev = BUS_EVENT_ZERO;

	ev.type = type;
	ev.groupname = name;
	pm_publish(pm, &ev);
}

/* Start the group's never-started autostart processes, by priority. */
static void
pm_group_autostart(struct pm_group *g)
{
	struct pm_proc	*p;
	size_t		 i;

	for (i = 0; i < g->conf.nprocs && !g->pm->shutting_down; i++) {
		p = &g->procs[i];
		if (p->conf->autostart && p->state == PM_STOPPED &&
		    p->laststart == 0)
			pm_fsm_feed(p, PM_EV_START, ev_now(g->pm->loop));
	}
}

/* 4.2.5 makes and drops a socket reference at once: fail early. */
static int
pm_group_sock_check(struct pm_group *g)
{
	char	 url[256];

	if (g->conf.type != PM_GROUP_FCGI)
		return 0;
	if (pm_group_sock_ref(g) == -1) {
		snprintf(g->pm->lasterr, sizeof(g->pm->lasterr),
		    "Could not create FastCGI socket %s: %s",
		    pm_sock_url(g, url, sizeof(url)), strerror(errno));
		log_msg(LOG_ERRO, "%s", g->pm->lasterr);
		return -1;
	}
	pm_group_sock_unref(g);
	return 0;
}

static enum pm_result
pm_group_add1(struct pm *pm, const char *name, struct pm_group **gp)
{
	const struct pm_groupconf *c;
	struct pm_group	*g;

	pm->lasterr[0] = '\0';
	if ((c = pm_cfg_group(pm, name)) == NULL)
		return PM_ERR_BAD_NAME;
	if (pm_group_lookup(pm, name, NULL) != NULL)
		return PM_ERR_ALREADY_ADDED;
	g = pm_group_new(pm, c);
	if (pm_group_sock_check(g) == -1) {
		pm_group_free(g);
		return PM_ERR_FAILED;
	}
	pm_group_insert(pm, g);
	pm_group_publish(pm, BUS_PROCESS_GROUP_ADDED, g->conf.name);
	*gp = g;
	return PM_OK;
}

enum pm_result
pm_group_add(struct pm *pm, const char *name)
{
	struct pm_group	*g;
	enum pm_result	 r;

	if ((r = pm_group_add1(pm, name, &g)) == PM_OK)
		pm_group_autostart(g);
	return r;
}

/* Every group first, then the autostarts across groups by priority. */
void
pm_group_add_all(struct pm *pm)
{
	pm_group_add_all_then(pm, NULL, NULL);
}

void
pm_group_add_all_then(struct pm *pm, pm_done_cb *between, void *arg)
{
	struct pm_group	*g;
	size_t		 i;

	if (pm->cfg == NULL)
		return;
	for (i = 0; i < pm->cfg->ngroups; i++)
		(void)pm_group_add1(pm, pm->cfg->groups[i].name, &g);
	if (between != NULL)
		between(arg);
	for (i = 0; i < pm->ngroups; i++)
		pm_group_autostart(pm->groups[i]);
}

static void
pm_stopq_forget(struct pm *pm, struct pm_group *g)
{
	size_t	 i, j;

	for (i = j = 0; i < pm->nstopq; i++)
		if (pm->stopq[i] != g)
			pm->stopq[j++] = pm->stopq[i];
	pm->nstopq = j;
}

enum pm_result
pm_group_remove(struct pm *pm, const char *name)
{
	struct pm_group	*g;
	size_t		 i, idx;
	char		*gname;

	pm->lasterr[0] = '\0';
	if ((g = pm_group_lookup(pm, name, &idx)) == NULL)
		return PM_ERR_BAD_NAME;
	for (i = 0; i < g->conf.nprocs; i++)
		if (!pm_state_stopped(g->procs[i].state))
			return PM_ERR_STILL_RUNNING;
	memmove(&pm->groups[idx], &pm->groups[idx + 1],
	    (pm->ngroups - idx - 1) * sizeof(*pm->groups));
	pm->ngroups--;
	pm_stopq_forget(pm, g);
	gname = xstrdup(g->conf.name);
	pm_group_free(g);
	pm_group_publish(pm, BUS_PROCESS_GROUP_REMOVED, gname);
	free(gname);
	return PM_OK;
}

/* Remove every group whose processes are all stopped. */
void
pm_group_remove_all(struct pm *pm)
{
	size_t	 i;
	char	*name;

	for (i = pm->ngroups; i > 0; i--) {
		name = xstrdup(pm->groups[i - 1]->conf.name);
		(void)pm_group_remove(pm, name);
		free(name);
	}
}

const struct pm_groupconf *
pm_group_conf(struct pm *pm, const char *group)
{
	struct pm_group	*g;

	if ((g = pm_group_lookup(pm, group, NULL)) == NULL)
		return NULL;
	return &g->conf;
}

size_t
pm_group_names(struct pm *pm, const char **out, size_t max)
{
	size_t	 i;

	for (i = 0; i < pm->ngroups && i < max; i++)
		out[i] = pm->groups[i]->conf.name;
	return i;
}
