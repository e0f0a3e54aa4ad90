/*
 * pm_conf_proc.c: the process sections. [group:x] first (its programs
 * leave their own groups), then [program:x], [eventlistener:x] and
 * [fcgi-program:x], as 4.2.5 reads them; groups end up sorted by
 * (priority, name) and so do the processes inside each group.
 */
#include <sys/socket.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "log.h"
#include "pm.h"
#include "pm_conf_int.h"

#define PROC_DEFAULT_HANDLER	"supervisor.dispatchers:default_handler"

/* Event type names a listener may subscribe to. */
static const char *const proc_event_names[] = {
#define BUS_MSG(id, codec)	#id,
#include "bus_msgs.def"
#undef BUS_MSG
	"EVENT", "PROCESS_STATE", "PROCESS_LOG", "PROCESS_COMMUNICATION",
	"SUPERVISOR_STATE_CHANGE", "TICK", "PROCESS_GROUP",
	"REMOTE_COMMUNICATION",
	NULL
};

/* Section-wide process options, read in 4.2.5's order. */
struct proc_key {
	const char	*key;
	const char	*def;		/* NULL: killasgroup = stopasgroup */
	enum pm_conf_type type;
	size_t		 off;		/* in struct pm_procconf */
};
#define PK(k, d, t, f)	{ k, d, t, offsetof(struct pm_procconf, f) }

static const struct proc_key proc_keys[] = {
	PK("priority",		"999",		PM_CT_INT,	priority),
	PK("autostart",		"true",		PM_CT_BOOL,	autostart),
	PK("autorestart",	"unexpected",	PM_CT_AUTORESTART, autorestart),
	PK("startsecs",		"1",		PM_CT_INT,	startsecs),
	PK("startretries",	"3",		PM_CT_INT,	startretries),
	PK("stopsignal",	"TERM",		PM_CT_SIGNAL,	stopsignal),
	PK("stopwaitsecs",	"10",		PM_CT_INT,	stopwaitsecs),
	PK("stopasgroup",	"false",	PM_CT_BOOL,	stopasgroup),
	PK("killasgroup",	NULL,		PM_CT_BOOL,	killasgroup),
	PK("exitcodes",		"0",		PM_CT_EXITCODES, exitcodes),
	PK("redirect_stderr",	"false",	PM_CT_BOOL,	redirect_stderr),
	PK("stdout_capture_maxbytes", "0",	PM_CT_BYTES, out.capture_maxbytes),
	PK("stdout_events_enabled", "false",	PM_CT_BOOL, out.events_enabled),
	PK("stderr_capture_maxbytes", "0",	PM_CT_BYTES, err.capture_maxbytes),
	PK("stderr_events_enabled", "false",	PM_CT_BOOL, err.events_enabled),
};

/* What one program-like section says before numprocs expansion. */
struct proc_tmpl {
	struct pm_conf_sec s;
	struct pm_expvars vars;		/* here, program_name, ... ENV_* */
	struct pm_procconf base;	/* the section-wide values */
	int		 numprocs;
	int		 numprocs_start;
	char		*envstr;	/* environment=, not expanded */
	char		*process_name;	/* template */
};

/* The group being built. */
struct proc_group {
	struct pm_groupconf *g;
	size_t		 cap;
};

static void
proc_conf_free(struct pm_procconf *pc)
{
	free(pc->name);
	free(pc->group);
	free(pc->section);
	free(pc->command);
	free(pc->directory);
	free(pc->user);
	free(pc->out.path);
	free(pc->err.path);
	pm_env_free(pc->environment);
	free(pc->serverurl);
}

void
pm_conf_group_free(struct pm_groupconf *g)
{
	size_t	 i;

	free(g->name);
	for (i = 0; i < g->nprocs; i++)
		proc_conf_free(&g->procs[i]);
	free(g->procs);
	for (i = 0; g->events != NULL && g->events[i] != NULL; i++)
		free(g->events[i]);
	free(g->events);
	free(g->socket.url);
	free(g->socket.path);
	free(g->socket.host);
}

/* ---- the section-wide part ---- */

/* serverurl= AUTO (any case, blanks around) or empty: the default. */
static bool
proc_is_auto(const char *v)
{
	size_t	 n;

	v += strspn(v, " \t\n\r");
	n = strlen(v);
	while (n > 0 && strchr(" \t\n\r", v[n - 1]) != NULL)
		n--;
	return n == 0 || (n == 4 && strncasecmp(v, "auto", 4) == 0);
}

static int
proc_tmpl_user(struct proc_tmpl *t)
{
	struct pm_procconf *b = &t->base;
	struct pm_conf_ctx *c = t->s.c;
	char	*v;

	b->uid = (uid_t)-1;
	b->gid = (gid_t)-1;
	if (pm_conf_str(&t->s, "serverurl", NULL, true, &v) == -1)
		return -1;
	if (v != NULL && proc_is_auto(v)) {
		free(v);
		v = NULL;
	}
	b->serverurl = v;
	if (pm_conf_str(&t->s, "user", NULL, true, &b->user) == -1)
		return -1;
	if (b->user != NULL && pm_val_user(b->user, &b->uid, &b->gid,
	    c->err, c->errlen) == -1)
		return pm_conf_locate(&t->s, "user");
	b->umask = -1;
	return pm_conf_typed(&t->s, "umask", NULL, PM_CT_OCTAL, &b->umask) < 0 ?
	    -1 : 0;
}

static int
proc_tmpl_name(struct proc_tmpl *t)
{
	struct pm_conf_ctx *c = t->s.c;
	char	*v;
	int	 rc;

	if (pm_conf_str(&t->s, "process_name", "%(program_name)s", false,
	    &v) == -1)
		return -1;
	rc = pm_val_name(v, &t->process_name, c->err, c->errlen);
	free(v);
	if (rc == -1)
		return pm_conf_locate(&t->s, "process_name");
	if (t->numprocs > 1 && strstr(t->process_name, "%(process_num)")
	    == NULL)
		return pm_conf_fail(&t->s, "process_name", "%%(process_num) "
		    "must be present within process_name when numprocs > 1");
	if (t->base.stopasgroup && !t->base.killasgroup)
		return pm_conf_fail(&t->s, "killasgroup", "Cannot set "
		    "stopasgroup=true and killasgroup=false");
	return 0;
}

static int
proc_tmpl_read(struct proc_tmpl *t)
{
	const struct proc_key *k;
	size_t	 i;

	for (i = 0; i < sizeof(proc_keys) / sizeof(proc_keys[0]); i++) {
		k = &proc_keys[i];
		if (k->def == NULL)
			t->base.killasgroup = t->base.stopasgroup;
		if (pm_conf_typed(&t->s, k->key, k->def != NULL ? k->def :
		    (t->base.stopasgroup ? "true" : "false"), k->type,
		    (char *)&t->base + k->off) < 0)
			return -1;
	}
	if (pm_conf_typed(&t->s, "numprocs", "1", PM_CT_INT,
	    &t->numprocs) < 0 ||
	    pm_conf_typed(&t->s, "numprocs_start", "0", PM_CT_INT,
	    &t->numprocs_start) < 0 ||
	    pm_conf_str(&t->s, "environment", "", false, &t->envstr) < 0 ||
	    proc_tmpl_user(t) < 0)
		return -1;
	return proc_tmpl_name(t);
}

/* Set up t for section; group is the group the processes join. */
static int
proc_tmpl_init(struct proc_tmpl *t, struct pm_conf_ctx *c,
    struct pm_ini_sec *sec, const char *group)
{
	char	*pname;

	memset(t, 0, sizeof(*t));
	t->s.c = c;
	t->s.name = sec->name;
	t->s.sec = sec;
	t->s.vars = &t->vars;
	if (pm_val_name(strchr(sec->name, ':') + 1, &pname, c->err,
	    c->errlen) == -1)
		return pm_conf_locate(&t->s, NULL);
	pm_expvars_merge(&t->vars, &c->env);
	pm_expvars_set(&t->vars, "here", c->here);
	pm_expvars_set(&t->vars, "program_name", pname);
	pm_expvars_set(&t->vars, "host_node_name", c->nodename);
	pm_expvars_set(&t->vars, "group_name", group);
	free(pname);
	return proc_tmpl_read(t);
}

static void
proc_tmpl_free(struct proc_tmpl *t)
{
	pm_expvars_free(&t->vars);
	free(t->base.user);
	free(t->base.serverurl);
	free(t->envstr);
	free(t->process_name);
}

/* ---- one process ---- */

/* stdout_logfile and friends; 4.2.5 expands the file name twice. */
static int
proc_logfile(struct pm_conf_sec *s, const char *ch, struct pm_logconf *lc)
{
	struct pm_conf_ctx *c = s->c;
	enum pm_lfkind	 kind = PM_LF_AUTO;
	char		 key[64], *v, *x;
	int		 rc;

	snprintf(key, sizeof(key), "%s_logfile", ch);
	if (pm_conf_str(s, key, NULL, true, &v) == -1)
		return -1;
	if (v != NULL) {
		rc = pm_expand(v, s->vars, key, &x, c->err, c->errlen);
		free(v);
		if (rc == -1 || (rc = pm_val_logfile(x, &kind, &lc->path,
		    c->err, c->errlen)) == -1) {
			if (rc != -1 || x != NULL)
				free(x);
			return pm_conf_locate(s, key);
		}
		free(x);
	}
	snprintf(key, sizeof(key), "%s_logfile_backups", ch);
	if (pm_conf_typed(s, key, "10", PM_CT_INT, &lc->backups) < 0)
		return -1;
	snprintf(key, sizeof(key), "%s_logfile_maxbytes", ch);
	if (pm_conf_typed(s, key, "50MB", PM_CT_BYTES, &lc->maxbytes) < 0)
		return -1;
	snprintf(key, sizeof(key), "%s_syslog", ch);
	if (pm_conf_typed(s, key, "false", PM_CT_BOOL, &lc->syslog) < 0)
		return -1;
	if (kind == PM_LF_SYSLOG) {
		pm_conf_msg(c, LOG_WARN, "For [%s], %s_logfile=syslog but this "
		    "is deprecated and will be removed.  Use %s_syslog=true "
		    "to enable syslog instead.", s->name, ch, ch);
		lc->syslog = true;
		kind = PM_LF_NONE;
	}
	lc->is_auto = kind == PM_LF_AUTO;
	if (lc->is_auto && lc->maxbytes == 0)
		pm_conf_msg(c, LOG_WARN, "For [%s], AUTO logging used for "
		    "%s_logfile without rollover, set maxbytes > 0 to avoid "
		    "filling up filesystem unintentionally", s->name, ch);
	return 0;
}

static void
proc_redirect(struct pm_conf_sec *s, struct pm_procconf *pc)
{
	if (!pc->redirect_stderr)
		return;
	if (pc->err.path != NULL)
		pm_conf_msg(s->c, LOG_WARN, "For [%s], redirect_stderr=true but "
		    "stderr_logfile has also been set to a filename, the "
		    "filename has been ignored", s->name);
	free(pc->err.path);
	pc->err.path = NULL;
	pc->err.is_auto = false;
}

/* environment= for one process; its entries become ENV_* names. */
static int
proc_environment(struct proc_tmpl *t, struct pm_expvars *vars,
    struct pm_procconf *pc)
{
	struct pm_conf_ctx *c = t->s.c;
	char	*x;
	int	 rc;

	if (pm_expand(t->envstr, vars, "environment", &x, c->err,
	    c->errlen) == -1)
		return pm_conf_locate(&t->s, "environment");
	rc = pm_val_environment(x, &pc->environment, c->err, c->errlen);
	free(x);
	if (rc == -1)
		return pm_conf_locate(&t->s, "environment");
	pm_expvars_add_env(vars, pc->environment);
	return 0;
}

/* The values that differ per process, with process_num in scope. */
static int
proc_instance_read(struct proc_tmpl *t, struct pm_conf_sec *s,
    struct pm_procconf *pc)
{
	struct pm_conf_ctx *c = t->s.c;

	if (proc_environment(t, (struct pm_expvars *)s->vars, pc) == -1 ||
	    pm_conf_str(s, "directory", NULL, true, &pc->directory) == -1 ||
	    proc_logfile(s, "stdout", &pc->out) == -1 ||
	    proc_logfile(s, "stderr", &pc->err) == -1)
		return -1;
	proc_redirect(s, pc);
	if (pm_conf_str(s, "command", NULL, true, &pc->command) == -1)
		return -1;
	if (pc->command == NULL)
		return pm_conf_fail(s, NULL, "program section %s does not "
		    "specify a command", s->name);
	if (pm_expand(t->process_name, s->vars, "process_name", &pc->name,
	    c->err, c->errlen) == -1)
		return pm_conf_locate(s, "process_name");
	return 0;
}

static char **
proc_env_merge(char *const *sd, char *const *own)
{
	char	**env = pm_env_copy(sd), *eq, *k;
	size_t	  i;

	for (i = 0; own != NULL && own[i] != NULL; i++) {
		eq = strchr(own[i], '=');
		k = xstrndup(own[i], eq - own[i]);
		pm_env_set(&env, k, eq + 1);
		free(k);
	}
	return env;
}

static int
proc_instance(struct proc_tmpl *t, int num, const char *group,
    struct pm_procconf *pc)
{
	struct pm_expvars vars = PM_EXPVARS_ZERO;
	struct pm_conf_sec s = t->s;
	char	**own;
	int	  rc;

	*pc = t->base;
	pc->user = t->base.user != NULL ? xstrdup(t->base.user) : NULL;
	pc->serverurl = t->base.serverurl != NULL ?
	    xstrdup(t->base.serverurl) : NULL;
	pc->group = xstrdup(group);
	pc->section = xstrdup(t->s.name);
	pc->process_num = num;
	pm_expvars_merge(&vars, &t->vars);
	pm_expvars_set_num(&vars, "process_num", num);
	pm_expvars_set_num(&vars, "numprocs", t->numprocs);
	s.vars = &vars;
	rc = proc_instance_read(t, &s, pc);
	pm_expvars_free(&vars);
	if (rc == 0) {
		own = pc->environment;
		pc->environment = proc_env_merge(t->s.c->sdenv, own);
		pm_env_free(own);
	}
	return rc;
}

static int
proc_cmp(const struct pm_procconf *a, const struct pm_procconf *b)
{
	if (a->priority != b->priority)
		return a->priority < b->priority ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* Stable insertion sort: groups and processes are short lists. */
static void
proc_sort(struct pm_procconf *v, size_t n)
{
	struct pm_procconf tmp;
	size_t	 i, j;

	for (i = 1; i < n; i++) {
		tmp = v[i];
		for (j = i; j > 0 && proc_cmp(&v[j - 1], &tmp) > 0; j--)
			v[j] = v[j - 1];
		v[j] = tmp;
	}
}

/* Every process of one section, appended to g. */
static int
proc_section(struct pm_conf_ctx *c, struct pm_ini_sec *sec,
    struct pm_groupconf *g)
{
	struct proc_tmpl t;
	struct pm_procconf *pc;
	int	 i, rc = 0;

	if ((rc = proc_tmpl_init(&t, c, sec, g->name)) == 0) {
		for (i = 0; i < t.numprocs && rc == 0; i++) {
			g->procs = xreallocarray(g->procs, g->nprocs + 1,
			    sizeof(*g->procs));
			pc = &g->procs[g->nprocs];
			memset(pc, 0, sizeof(*pc));
			rc = proc_instance(&t, t.numprocs_start + i, g->name,
			    pc);
			g->nprocs++;
		}
	}
	proc_tmpl_free(&t);
	return rc;
}

/* ---- groups ---- */

static struct pm_groupconf *
proc_group_new(struct pm_conf_ctx *c, const char *name, int priority,
    enum pm_grouptype type)
{
	struct pm_config *cfg = c->cfg;
	struct pm_groupconf *g;

	cfg->groups = xreallocarray(cfg->groups, cfg->ngroups + 1,
	    sizeof(*cfg->groups));
	g = &cfg->groups[cfg->ngroups++];
	memset(g, 0, sizeof(*g));
	g->name = xstrdup(name);
	g->priority = priority;
	g->type = type;
	return g;
}

static bool
proc_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A group section's own values: name, priority (with its default). */
static int
proc_group_head(struct pm_conf_sec *s, const char *def_priority,
    bool check_name, char **name, int *priority)
{
	*name = NULL;
	if (check_name) {
		if (pm_val_name(strchr(s->name, ':') + 1, name, s->c->err,
		    s->c->errlen) == -1) {
			(void)pm_conf_locate(s, NULL);
			return -1;
		}
	} else
		*name = xstrdup(strchr(s->name, ':') + 1);
	if (pm_conf_typed(s, "priority", def_priority, PM_CT_INT,
	    priority) < 0) {
		free(*name);
		*name = NULL;
		return -1;
	}
	return 0;
}

/* The section a [group:] member names; errors as 4.2.5. */
static int
proc_member(struct pm_conf_sec *s, const char *prog,
    struct pm_ini_sec **out)
{
	struct pm_ini_sec *p, *f;
	char	*n;

	xasprintf(&n, "program:%s", prog);
	p = pm_ini_section(&s->c->ini, n);
	free(n);
	xasprintf(&n, "fcgi-program:%s", prog);
	f = pm_ini_section(&s->c->ini, n);
	free(n);
	/* -1 said outright: the analyzer cannot see pm_conf_fail's */
	if (p == NULL && f == NULL) {
		(void)pm_conf_fail(s, "programs", "[%s] names unknown "
		    "program or fcgi-program %s", s->name, prog);
		return -1;
	}
	if (p != NULL && f != NULL) {
		(void)pm_conf_fail(s, "programs", "[%s] name %s is ambiguous "
		    "(exists as program and fcgi-program)", s->name, prog);
		return -1;
	}
	*out = p != NULL ? p : f;
	return 0;
}

/* ---- fcgi-program sockets ---- */

/* Python wrapped these two messages in a tuple by mistake; kept as is. */
static int
proc_fcgi_tuple(struct pm_conf_sec *s, const char *fmt, const char *arg)
{
	char	*r = pm_repr(arg);

	pm_conf_fail(s, "socket", "('%s', %s) in [%s] socket", fmt, r,
	    s->name);
	free(r);
	return -1;
}

/* socket_backlog, socket_owner, socket_mode (the latter two: -1 unset). */
static int
proc_fcgi_params(struct pm_conf_sec *s, struct pm_fcgisock *sock,
    int *mode)
{
	struct pm_conf_ctx *c = s->c;
	char	*v, why[512];
	int	 rc = 0;

	sock->backlog = SOMAXCONN;
	if (pm_conf_typed(s, "socket_backlog", NULL, PM_CT_INT,
	    &sock->backlog) < 0)
		return -1;
	if (sock->backlog < 1 || sock->backlog > 65535)
		return pm_conf_fail(s, "socket_backlog", "Invalid "
		    "socket_backlog value %d", sock->backlog);
	if (pm_conf_str(s, "socket_owner", NULL, true, &v) == -1)
		return -1;
	if (v != NULL && pm_val_usergroup(v, &sock->owner_uid,
	    &sock->owner_gid, why, sizeof(why)) == -1)
		rc = pm_conf_fail(s, "socket_owner", "Invalid socket_owner "
		    "value %s", v);
	sock->has_owner = v != NULL;
	free(v);
	if (rc == -1 || pm_conf_str(s, "socket_mode", NULL, true, &v) == -1)
		return -1;
	*mode = -1;
	if (v != NULL && pm_val_octal(v, mode, c->err, c->errlen) == -1)
		rc = pm_conf_fail(s, "socket_mode", "Invalid socket_mode "
		    "value %s", v);
	free(v);
	return rc;
}

static int
proc_fcgi_unix(struct pm_conf_sec *s, struct pm_fcgisock *sock,
    const char *url, int mode, uid_t proc_uid, gid_t proc_gid)
{
	const char	*path = url + 7;

	if (path[0] != '/')
		return proc_fcgi_tuple(s, "Unix socket path %s is not an "
		    "absolute path", path);
	sock->is_unix = true;
	sock->path = pm_path_normalize(path);
	xasprintf(&sock->url, "unix://%s", sock->path);
	sock->mode = mode == -1 ? 0700 : mode;
	if (!sock->has_owner && proc_uid != (uid_t)-1 && proc_uid != getuid()) {
		sock->has_owner = true;
		sock->owner_uid = proc_uid;
		sock->owner_gid = proc_gid;
	}
	return 0;
}

static int
proc_fcgi_tcp(struct pm_conf_sec *s, struct pm_fcgisock *sock,
    const char *url, int mode)
{
	struct pm_conf_ctx *c = s->c;
	const char	*hp = url + 6, *colon;
	size_t		 hl;
	char		*p;

	if (sock->has_owner || mode != -1)
		return pm_conf_fail(s, "socket", "socket_owner and socket_mode "
		    "params should only be used with a Unix domain socket in "
		    "[%s] socket", s->name);
	/* hp is past the end of a url shorter than "tcp://" */
	if (strncmp(url, "tcp://", 6) != 0)
		return proc_fcgi_tuple(s, "Bad socket format %s", url);
	colon = strrchr(hp, ':');
	if (colon == NULL ||
	    (hl = colon - hp) == 0 || strcspn(hp, ": \t\n\r\f\v") != hl ||
	    colon[1] == '\0' || strspn(colon + 1, "0123456789") !=
	    strlen(colon + 1))
		return proc_fcgi_tuple(s, "Bad socket format %s", url);
	if (pm_val_port(colon + 1, &sock->port, c->err, c->errlen) == -1) {
		snprintf(c->err + strlen(c->err), c->errlen - strlen(c->err),
		    " in [%s] socket", s->name);
		return pm_conf_locate(s, "socket");
	}
	sock->host = xstrndup(hp, hl);
	for (p = sock->host; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);
	xasprintf(&sock->url, "tcp://%s:%d", sock->host, sock->port);
	return 0;
}

/* socket= and its companions of one [fcgi-program:x] section. */
static int
proc_fcgi_socket(struct pm_conf_ctx *c, struct pm_ini_sec *sec,
    struct pm_fcgisock *sock)
{
	struct pm_expvars vars = PM_EXPVARS_ZERO;
	struct pm_conf_sec s = { c, sec->name, sec, &vars };
	uid_t	 uid = (uid_t)-1;
	gid_t	 gid = (gid_t)-1;
	char	*user = NULL, *url = NULL, *pname;
	int	 mode = -1, rc = -1;

	pm_expvars_merge(&vars, &c->env);
	pm_expvars_set(&vars, "here", c->here);
	if (pm_conf_str(&s, "user", NULL, true, &user) == -1 ||
	    (user != NULL && pm_val_user(user, &uid, &gid, c->err,
	    c->errlen) == -1 && pm_conf_locate(&s, "user")) ||
	    proc_fcgi_params(&s, sock, &mode) == -1)
		goto out;
	pname = strchr(sec->name, ':') + 1;
	pm_expvars_set(&vars, "program_name", pname);
	if (pm_conf_str(&s, "socket", NULL, true, &url) == -1)
		goto out;
	if (url == NULL || *url == '\0')
		pm_conf_fail(&s, NULL, "[%s] section requires a \"socket\" "
		    "line", sec->name);
	else if (strncmp(url, "unix://", 7) == 0)
		rc = proc_fcgi_unix(&s, sock, url, mode, uid, gid);
	else
		rc = proc_fcgi_tcp(&s, sock, url, mode);
out:
	free(user);
	free(url);
	pm_expvars_free(&vars);
	return rc;
}

/*
 * 4.2.5 drops the socket of an fcgi-program listed in a [group:]
 * (quirk #8). Keep it when every member is an fcgi-program and they
 * share one socket; otherwise say why the group has none.
 */
static int
proc_group_fcgi(struct pm_conf_sec *s, struct pm_groupconf *g,
    struct pm_ini_sec **members, size_t n)
{
	struct pm_fcgisock sock;
	size_t	 i, nfcgi = 0;
	bool	 same = true;

	for (i = 0; i < n; i++) {
		if (!proc_has_prefix(members[i]->name, "fcgi-program:"))
			continue;
		memset(&sock, 0, sizeof(sock));
		if (proc_fcgi_socket(s->c, members[i], &sock) == -1)
			return -1;
		if (nfcgi++ == 0)
			g->socket = sock;
		else {
			same = same && strcmp(sock.url, g->socket.url) == 0;
			free(sock.url);
			free(sock.path);
			free(sock.host);
		}
	}
	if (nfcgi > 0 && nfcgi == n && same)
		g->type = PM_GROUP_FCGI;
	else if (nfcgi > 0)
		pm_conf_msg(s->c, LOG_WARN, "[%s] mixes fcgi-programs with "
		    "other programs or sockets; its processes get no fcgi "
		    "socket", s->name);
	return 0;
}

static int
proc_group_members(struct pm_conf_sec *s, struct pm_groupconf *g,
    const char *programs, struct pm_ini_sec ***excl, size_t *nexcl)
{
	struct pm_ini_sec **members = NULL, *m = NULL;
	char	*copy, *item, *next, *name;
	size_t	 n = 0;
	int	 rc = 0;

	copy = xstrdup(programs);
	for (item = *copy ? copy : NULL; item != NULL && rc == 0;
	    item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		name = item + strspn(item, " \t\n\r");
		name[strcspn(name, " \t\n\r")] = '\0';
		if ((rc = proc_member(s, name, &m)) == -1)
			break;
		members = xreallocarray(members, n + 1, sizeof(*members));
		members[n++] = m;
		*excl = xreallocarray(*excl, *nexcl + 1, sizeof(**excl));
		(*excl)[(*nexcl)++] = m;
		rc = proc_section(s->c, m, g);
	}
	if (rc == 0)
		rc = proc_group_fcgi(s, g, members, n);
	free(members);
	free(copy);
	return rc;
}

/* [group:x] sections; members go to *excl. */
static int
proc_hetero_groups(struct pm_conf_ctx *c, struct pm_ini_sec ***excl,
    size_t *nexcl)
{
	struct pm_conf_sec s = { c, NULL, NULL, NULL };
	struct pm_expvars vars = PM_EXPVARS_ZERO;
	struct pm_groupconf *g;
	char	*name, *programs;
	int	 prio = 0, rc = 0;
	size_t	 i;

	pm_expvars_merge(&vars, &c->env);
	pm_expvars_set(&vars, "here", c->here);
	s.vars = &vars;
	for (i = 0; i < c->ini.nsecs && rc == 0; i++) {
		s.sec = &c->ini.secs[i];
		s.name = s.sec->name;
		if (!proc_has_prefix(s.name, "group:"))
			continue;
		if (proc_group_head(&s, "999", true, &name, &prio) == -1 ||
		    pm_conf_str(&s, "programs", NULL, true, &programs) == -1) {
			free(name);
			rc = -1;
			break;
		}
		g = proc_group_new(c, name, prio, PM_GROUP_PROGRAM);
		free(name);
		if (programs != NULL)
			rc = proc_group_members(&s, g, programs, excl, nexcl);
		free(programs);
	}
	pm_expvars_free(&vars);
	return rc;
}

static bool
proc_excluded(struct pm_ini_sec *sec, struct pm_ini_sec **excl, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (excl[i] == sec)
			return true;
	return false;
}

/* ---- [eventlistener:x] ---- */

static int
proc_listener_events(struct pm_conf_sec *s, struct pm_groupconf *g)
{
	char	*v, *item, *next, *up, *p;
	size_t	 n = 0, i;
	int	 rc = 0;

	if (pm_conf_str(s, "events", "", true, &v) == -1)
		return -1;
	if (*v == '\0') {
		free(v);
		return pm_conf_fail(s, NULL, "[%s] section requires an "
		    "\"events\" line", s->name);
	}
	g->events = xcalloc(1, sizeof(*g->events));
	for (item = v; item != NULL && rc == 0; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		up = xstrdup(item + strspn(item, " \t\n\r"));
		for (p = up + strlen(up); p > up && strchr(" \t\n\r", p[-1]);)
			*--p = '\0';
		for (p = up; *p != '\0'; p++)
			*p = toupper((unsigned char)*p);
		for (i = 0; proc_event_names[i] != NULL &&
		    strcmp(proc_event_names[i], up) != 0; i++)
			;
		if (proc_event_names[i] == NULL)
			rc = pm_conf_fail(s, "events", "Unknown event type %s "
			    "in [%s] events", up, s->name);
		for (i = 0; i < n && strcmp(g->events[i], up) != 0; i++)
			;
		if (rc == -1 || i < n) {
			free(up);
			continue;
		}
		g->events = xreallocarray(g->events, n + 2, sizeof(char *));
		g->events[n++] = up;
		g->events[n] = NULL;
	}
	free(v);
	return rc;
}

static int
proc_listener_checks(struct pm_conf_sec *s, struct pm_groupconf *g)
{
	char	*v;
	bool	 redirect = false;

	if (pm_conf_typed(s, "buffer_size", "10", PM_CT_INT,
	    &g->buffer_size) < 0)
		return -1;
	if (g->buffer_size < 1)
		return pm_conf_fail(s, "buffer_size", "[%s] section sets "
		    "invalid buffer_size (%d)", s->name, g->buffer_size);
	if (pm_conf_str(s, "result_handler", PROC_DEFAULT_HANDLER, true, &v)
	    == -1)
		return -1;
	if (strcmp(v, PROC_DEFAULT_HANDLER) != 0) {
		pm_conf_fail(s, "result_handler", "%s cannot be resolved "
		    "within [%s]: nanovisor provides only the default "
		    "handler, %s", v, s->name, PROC_DEFAULT_HANDLER);
		free(v);
		return -1;
	}
	free(v);
	if (proc_listener_events(s, g) == -1 ||
	    pm_conf_typed(s, "redirect_stderr", "false", PM_CT_BOOL,
	    &redirect) < 0)
		return -1;
	if (redirect)
		return pm_conf_fail(s, "redirect_stderr", "[%s] section sets "
		    "redirect_stderr=true but this is not allowed because it "
		    "will interfere with the eventlistener protocol", s->name);
	return 0;
}

static int
proc_listener(struct pm_conf_sec *s)
{
	struct pm_groupconf *g;
	char	*name;
	int	 prio;

	if (proc_group_head(s, "-1", false, &name, &prio) == -1)
		return -1;
	g = proc_group_new(s->c, name, prio, PM_GROUP_LISTENER);
	free(name);
	if (proc_listener_checks(s, g) == -1)
		return -1;
	return proc_section(s->c, s->sec, g);
}

/* ---- [program:x], [fcgi-program:x] ---- */

static int
proc_program(struct pm_conf_sec *s)
{
	struct pm_groupconf *g;
	char	*name;
	int	 prio = 0;

	if (proc_group_head(s, "999", true, &name, &prio) == -1)
		return -1;
	g = proc_group_new(s->c, name, prio, PM_GROUP_PROGRAM);
	free(name);
	return proc_section(s->c, s->sec, g);
}

static int
proc_fcgi(struct pm_conf_sec *s)
{
	struct pm_groupconf *g;
	char	*name;
	int	 prio = 0;

	if (proc_group_head(s, "999", true, &name, &prio) == -1)
		return -1;
	g = proc_group_new(s->c, name, prio, PM_GROUP_FCGI);
	free(name);
	if (proc_fcgi_socket(s->c, s->sec, &g->socket) == -1)
		return -1;
	return proc_section(s->c, s->sec, g);
}

/* One kind of homogeneous section, skipping [group:] members. */
static int
proc_homogeneous(struct pm_conf_ctx *c, const char *prefix,
    int (*fn)(struct pm_conf_sec *), struct pm_ini_sec **excl, size_t nexcl)
{
	struct pm_expvars vars = PM_EXPVARS_ZERO;
	struct pm_conf_sec s = { c, NULL, NULL, &vars };
	size_t	 i;
	int	 rc = 0;

	pm_expvars_merge(&vars, &c->env);
	pm_expvars_set(&vars, "here", c->here);
	for (i = 0; i < c->ini.nsecs && rc == 0; i++) {
		s.sec = &c->ini.secs[i];
		s.name = s.sec->name;
		if (proc_has_prefix(s.name, prefix) &&
		    !proc_excluded(s.sec, excl, nexcl))
			rc = fn(&s);
	}
	pm_expvars_free(&vars);
	return rc;
}

static int
proc_group_cmp(const struct pm_groupconf *a, const struct pm_groupconf *b)
{
	if (a->priority != b->priority)
		return a->priority < b->priority ? -1 : 1;
	return strcmp(a->name, b->name);
}

static void
proc_groups_sort(struct pm_config *cfg)
{
	struct pm_groupconf tmp;
	size_t	 i, j;

	for (i = 0; i < cfg->ngroups; i++)
		proc_sort(cfg->groups[i].procs, cfg->groups[i].nprocs);
	for (i = 1; i < cfg->ngroups; i++) {
		tmp = cfg->groups[i];
		for (j = i; j > 0 && proc_group_cmp(&cfg->groups[j - 1],
		    &tmp) > 0; j--)
			cfg->groups[j] = cfg->groups[j - 1];
		cfg->groups[j] = tmp;
	}
}

int
pm_conf_groups(struct pm_conf_ctx *c)
{
	struct pm_ini_sec **excl = NULL;
	size_t	 nexcl = 0;
	int	 rc;

	rc = proc_hetero_groups(c, &excl, &nexcl);
	if (rc == 0)
		rc = proc_homogeneous(c, "program:", proc_program, excl,
		    nexcl);
	if (rc == 0)
		rc = proc_homogeneous(c, "eventlistener:", proc_listener,
		    NULL, 0);
	if (rc == 0)
		rc = proc_homogeneous(c, "fcgi-program:", proc_fcgi, excl,
		    nexcl);
	free(excl);
	if (rc == 0)
		proc_groups_sort(c->cfg);
	return rc;
}
