/*
 * pm_conf.c: supervisord.conf -> struct pm_config. This file reads the
 * file and its [include]s, [supervisord], the HTTP servers,
 * [supervisorctl] and [rpcinterface:x]; pm_conf_proc.c reads the process
 * sections. The order of the checks follows 4.2.5's options.py so the same
 * broken file fails with the same first message.
 */
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/utsname.h>

#include <errno.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "pm.h"
#include "pm_conf_int.h"

extern char **environ;

/* ---- lookups and messages ---- */

int
pm_conf_locate(struct pm_conf_sec *s, const char *key)
{
	const struct pm_ini_opt *o = NULL;
	const char	*file = s->c->path;
	char		*rs, *rf, *rk = NULL, where[32] = "";
	size_t		 len = strlen(s->c->err);
	int		 line = 0;

	if (s->sec != NULL) {
		file = s->sec->file;
		line = s->sec->line;
	}
	if (key != NULL && (o = pm_ini_get(&s->c->ini, s->sec, key)) != NULL) {
		file = o->file;
		line = o->line;
	}
	rs = pm_repr(s->name);
	rf = pm_repr(file);
	if (o != NULL)
		rk = pm_repr(key);
	if (line > 0)
		snprintf(where, sizeof(where), ", line %d", line);
	snprintf(s->c->err + len, s->c->errlen - len,
	    " in section %s (file: %s%s%s%s)", rs, rf, where,
	    rk != NULL ? ", option " : "", rk != NULL ? rk : "");
	free(rs);
	free(rf);
	free(rk);
	return -1;
}

int
pm_conf_fail(struct pm_conf_sec *s, const char *key, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(s->c->err, s->c->errlen, fmt, ap);
	va_end(ap);
	return pm_conf_locate(s, key);
}

void
pm_conf_msg(struct pm_conf_ctx *c, int level, const char *fmt, ...)
{
	struct pm_confmsg **list = level >= LOG_WARN ? &c->warns : &c->infos;
	size_t		  *n = level >= LOG_WARN ? &c->nwarns : &c->ninfos;
	va_list		   ap;
	char		   text[4096];

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	*list = xreallocarray(*list, *n + 1, sizeof(**list));
	(*list)[*n].level = level;
	(*list)[(*n)++].text = xstrdup(text);
}

int
pm_conf_str(struct pm_conf_sec *s, const char *key, const char *def,
    bool expand, char **out)
{
	const struct pm_ini_opt *o;
	const char	*v;
	char		*what;
	int		 rc;

	*out = NULL;
	o = pm_ini_get(&s->c->ini, s->sec, key);
	if ((v = o != NULL ? o->value : def) == NULL)
		return 0;
	if (!expand || s->vars == NULL) {
		*out = xstrdup(v);
		return 0;
	}
	xasprintf(&what, "%s.%s", s->name, key);
	rc = pm_expand(v, s->vars, what, out, s->c->err, s->c->errlen);
	free(what);
	return rc == -1 ? pm_conf_locate(s, key) : 0;
}

static int
conf_convert(const char *v, enum pm_conf_type t, void *out, char *err,
    size_t errlen)
{
	switch (t) {
	case PM_CT_STR:
		*(char **)out = xstrdup(v);
		return 0;
	case PM_CT_INT:
		return pm_val_int(v, out, err, errlen);
	case PM_CT_BOOL:
		return pm_val_bool(v, out, err, errlen);
	case PM_CT_BYTES:
		return pm_val_bytes(v, out, err, errlen);
	case PM_CT_OCTAL:
		return pm_val_octal(v, out, err, errlen);
	case PM_CT_SIGNAL:
		return pm_val_signal(v, out, err, errlen);
	case PM_CT_EXITCODES:
		return pm_val_exitcodes(v, out, err, errlen);
	case PM_CT_AUTORESTART:
		return pm_val_autorestart(v, out, err, errlen);
	case PM_CT_LOGLEVEL:
		return pm_val_loglevel(v, out, err, errlen);
	}
	fatalx("%s: type %d", __func__, t);
}

int
pm_conf_typed(struct pm_conf_sec *s, const char *key, const char *def,
    enum pm_conf_type t, void *out)
{
	char	*v;
	int	 rc, given;

	given = pm_ini_get(&s->c->ini, s->sec, key) != NULL;
	if (pm_conf_str(s, key, def, true, &v) == -1)
		return -1;
	if (v == NULL)
		return 0;
	rc = conf_convert(v, t, out, s->c->err, s->c->errlen);
	free(v);
	if (rc == -1)
		return pm_conf_locate(s, key);
	return given;
}

/* ---- [include] ---- */

static int
conf_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read every match of one pattern, in sorted order. */
static int
conf_include_pattern(struct pm_conf_ctx *c, const char *pattern)
{
	glob_t	 g;
	size_t	 i;
	char	*dir, *abs;
	int	 rc = 0;

	memset(&g, 0, sizeof(g));
	if (glob(pattern, GLOB_NOSORT | GLOB_NOESCAPE, NULL, &g) != 0 ||
	    g.gl_pathc == 0) {
		pm_conf_msg(c, LOG_WARN, "No file matches via include \"%s\"",
		    pattern);
		globfree(&g);
		return 0;
	}
	qsort(g.gl_pathv, g.gl_pathc, sizeof(char *), conf_cmp_str);
	for (i = 0; i < g.gl_pathc && rc == 0; i++) {
		pm_conf_msg(c, LOG_INFO, "Included extra file \"%s\" during "
		    "parsing", g.gl_pathv[i]);
		/* unreadable files are skipped silently, as ConfigParser */
		if (pm_ini_read(&c->ini, g.gl_pathv[i], g.gl_pathv[i],
		    c->err, c->errlen) == -1 && c->err[0] != '\0') {
			rc = -1;
			break;
		}
		c->err[0] = '\0';
		dir = pm_path_dirname(g.gl_pathv[i]);
		abs = pm_path_normalize(*dir == '\0' ? "." : dir);
		pm_ini_expand_here(&c->ini, abs);
		free(abs);
		free(dir);
	}
	globfree(&g);
	return rc;
}

static int
conf_include(struct pm_conf_ctx *c)
{
	struct pm_conf_sec s = { c, "include", NULL, NULL };
	struct pm_expvars vars = PM_EXPVARS_ZERO;
	char	*files, *pat, *full, *save, *base, *dir;
	int	 rc = 0;

	if ((s.sec = pm_ini_section(&c->ini, "include")) == NULL)
		return 0;
	pm_ini_expand_here(&c->ini, c->here);
	if (pm_ini_get(&c->ini, s.sec, "files") == NULL)
		return pm_conf_fail(&s, NULL, ".ini file has [include] "
		    "section, but no files setting");
	pm_expvars_set(&vars, "here", c->here);
	pm_expvars_set(&vars, "host_node_name", c->nodename);
	pm_expvars_merge(&vars, &c->osenv);
	s.vars = &vars;
	s.name = "include";
	if (pm_conf_str(&s, "files", NULL, true, &files) == -1) {
		pm_expvars_free(&vars);
		return -1;
	}
	dir = pm_path_dirname(c->path);
	base = pm_path_normalize(*dir == '\0' ? "." : dir);
	for (pat = strtok_r(files, " \t\n\r\f\v", &save); pat != NULL &&
	    rc == 0; pat = strtok_r(NULL, " \t\n\r\f\v", &save)) {
		full = pm_path_join(base, pat);
		rc = conf_include_pattern(c, full);
		free(full);
	}
	free(base);
	free(dir);
	free(files);
	pm_expvars_free(&vars);
	return rc;
}

/* ---- [supervisord] ---- */

/* tempfile.gettempdir(): the first usable of the usual candidates. */
static char *
conf_tempdir(void)
{
	const char	*envs[] = { "TMPDIR", "TEMP", "TMP" };
	const char	*dirs[] = { "/tmp", "/var/tmp", "/usr/tmp" };
	const char	*v;
	struct stat	 st;
	size_t		 i;

	for (i = 0; i < 3; i++)
		if ((v = getenv(envs[i])) != NULL && *v != '\0' &&
		    stat(v, &st) == 0 && S_ISDIR(st.st_mode) &&
		    access(v, W_OK | X_OK) == 0)
			return pm_path_normalize(v);
	for (i = 0; i < 3; i++)
		if (stat(dirs[i], &st) == 0 && S_ISDIR(st.st_mode) &&
		    access(dirs[i], W_OK | X_OK) == 0)
			return xstrdup(dirs[i]);
	return pm_path_normalize(".");
}

/* A string option through a path converter. */
static int
conf_path(struct pm_conf_sec *s, const char *key, const char *def,
    int (*conv)(const char *, char **, char *, size_t), char **out)
{
	char	*v;
	int	 rc;

	*out = NULL;
	if (pm_conf_str(s, key, def, true, &v) == -1)
		return -1;
	if (v == NULL)
		return 0;
	rc = conv(v, out, s->c->err, s->c->errlen);
	free(v);
	return rc == -1 ? pm_conf_locate(s, key) : 0;
}

static int
conf_sd_environment(struct pm_conf_sec *s)
{
	struct pm_conf_ctx *c = s->c;
	struct pm_expvars vars = PM_EXPVARS_ZERO;
	const struct pm_expvars *saved = s->vars;
	char	*v;
	int	 rc;

	/* one pass with every name: 4.2.5 expands twice (quirk #9) */
	pm_expvars_merge(&vars, saved);
	pm_expvars_set(&vars, "host_node_name", c->nodename);
	s->vars = &vars;
	rc = pm_conf_str(s, "environment", "", true, &v);
	s->vars = saved;
	pm_expvars_free(&vars);
	if (rc == -1)
		return -1;
	rc = pm_val_environment(v, &c->sdenv, c->err, c->errlen);
	free(v);
	if (rc == -1)
		return pm_conf_locate(s, "environment");
	pm_expvars_add_env(&c->env, c->sdenv);
	return 0;
}

/* nanovisor: the bus's catch-up ring and flight recorder. */
static int
conf_sd_bus_ring(struct pm_conf_sec *s, struct pm_sdconf *sd)
{
	char	*p;

	if (pm_conf_typed(s, "bus_ring_size", "10000", PM_CT_INT,
	    &sd->bus_ring_size) < 0 ||
	    pm_conf_typed(s, "bus_ring_bytes", "16MB", PM_CT_BYTES,
	    &sd->bus_ring_bytes) < 0 ||
	    conf_path(s, "bus_record", NULL, pm_val_existing_dirpath,
	    &sd->bus_record) < 0 ||
	    pm_conf_typed(s, "bus_record_maxbytes", "50MB", PM_CT_BYTES,
	    &sd->bus_record_maxbytes) < 0)
		return -1;
	if (sd->bus_record != NULL) {
		p = pm_path_normalize(sd->bus_record);
		free(sd->bus_record);
		sd->bus_record = p;
	}
	if (sd->bus_ring_size < 0 || sd->bus_ring_size > 10000000)
		return pm_conf_fail(s, "bus_ring_size", "bus_ring_size must "
		    "be between 0 and 10000000, not %d", sd->bus_ring_size);
	if (sd->bus_ring_bytes < 0 || sd->bus_ring_bytes > (1LL << 32))
		return pm_conf_fail(s, "bus_ring_bytes", "bus_ring_bytes must "
		    "be between 0 and 4GB, not %lld", sd->bus_ring_bytes);
	if (sd->bus_record_maxbytes < 0)
		return pm_conf_fail(s, "bus_record_maxbytes",
		    "bus_record_maxbytes must not be negative");
	return 0;
}

static int
conf_sd_bus(struct pm_conf_sec *s, struct pm_sdconf *sd)
{
	char	*r;

	if (pm_conf_str(s, "bus_endpoint", NULL, true, &sd->bus_endpoint)
	    == -1)
		return -1;
	if (sd->bus_endpoint == NULL ||
	    strncmp(sd->bus_endpoint, "ipc://", 6) == 0 ||
	    strncmp(sd->bus_endpoint, "tcp://", 6) == 0)
		return conf_sd_bus_ring(s, sd);
	r = pm_repr(sd->bus_endpoint);
	pm_conf_fail(s, "bus_endpoint", "bus_endpoint must be an ipc:// or "
	    "tcp:// URL, not %s", r);
	free(r);
	return -1;
}

static int
conf_supervisord(struct pm_conf_ctx *c)
{
	struct pm_expvars vars = PM_EXPVARS_ZERO;
	struct pm_conf_sec s = { c, "supervisord", NULL, &vars };
	struct pm_sdconf *sd = &c->cfg->sd;
	char	*tmp = conf_tempdir();
	int	 rc = -1;

	s.sec = pm_ini_section(&c->ini, "supervisord");
	pm_expvars_merge(&vars, &c->osenv);
	pm_expvars_set(&vars, "here", c->here);
	if (pm_conf_typed(&s, "minfds", "1024", PM_CT_INT, &sd->minfds) < 0 ||
	    pm_conf_typed(&s, "minprocs", "200", PM_CT_INT, &sd->minprocs) < 0 ||
	    conf_path(&s, "directory", NULL, pm_val_existing_dir,
	    &sd->directory) < 0 ||
	    pm_conf_str(&s, "user", NULL, true, &sd->user) < 0 ||
	    pm_conf_typed(&s, "umask", "022", PM_CT_OCTAL, &sd->umask) < 0 ||
	    conf_path(&s, "logfile", "supervisord.log",
	    pm_val_existing_dirpath, &sd->logfile) < 0 ||
	    pm_conf_typed(&s, "logfile_maxbytes", "50MB", PM_CT_BYTES,
	    &sd->logfile_maxbytes) < 0 ||
	    pm_conf_typed(&s, "logfile_backups", "10", PM_CT_INT,
	    &sd->logfile_backups) < 0 ||
	    pm_conf_typed(&s, "loglevel", "info", PM_CT_LOGLEVEL,
	    &sd->loglevel) < 0 ||
	    conf_path(&s, "pidfile", "supervisord.pid",
	    pm_val_existing_dirpath, &sd->pidfile) < 0 ||
	    pm_conf_str(&s, "identifier", "supervisor", true,
	    &sd->identifier) < 0 ||
	    pm_conf_typed(&s, "nodaemon", "false", PM_CT_BOOL,
	    &sd->nodaemon) < 0 ||
	    pm_conf_typed(&s, "silent", "false", PM_CT_BOOL, &sd->silent) < 0 ||
	    conf_path(&s, "childlogdir", tmp, pm_val_existing_dir,
	    &sd->childlogdir) < 0 ||
	    pm_conf_typed(&s, "nocleanup", "false", PM_CT_BOOL,
	    &sd->nocleanup) < 0 ||
	    pm_conf_typed(&s, "strip_ansi", "false", PM_CT_BOOL,
	    &sd->strip_ansi) < 0 ||
	    conf_sd_environment(&s) < 0 || conf_sd_bus(&s, sd) < 0)
		goto out;
	sd->environment = pm_env_copy(c->sdenv);
	rc = 0;
out:
	free(tmp);
	pm_expvars_free(&vars);
	return rc;
}

/* ---- command-line overrides ---- */

/* One override: the option's long name, its type, where it goes. */
struct conf_ovr {
	const char	*name;
	size_t		 ov_off;	/* in struct pm_overrides */
	int		 kind;		/* enum pm_conf_type, or below */
	size_t		 sd_off;	/* in struct pm_sdconf */
};
#define OVR_DIR		100	/* existing directory */
#define OVR_DIRPATH	101	/* file in an existing directory */
#define OVR(n, k)	{ #n, offsetof(struct pm_overrides, n), k, \
			  offsetof(struct pm_sdconf, n) }

static const struct conf_ovr conf_ovrs[] = {
	OVR(nodaemon, PM_CT_BOOL), OVR(user, PM_CT_STR),
	OVR(umask, PM_CT_OCTAL), OVR(directory, OVR_DIR),
	OVR(logfile, OVR_DIRPATH), OVR(logfile_maxbytes, PM_CT_BYTES),
	OVR(logfile_backups, PM_CT_INT), OVR(loglevel, PM_CT_LOGLEVEL),
	OVR(pidfile, OVR_DIRPATH), OVR(identifier, PM_CT_STR),
	OVR(childlogdir, OVR_DIR), OVR(minfds, PM_CT_INT),
	OVR(minprocs, PM_CT_INT), OVR(nocleanup, PM_CT_BOOL),
	OVR(strip_ansi, PM_CT_BOOL), OVR(silent, PM_CT_BOOL),
};

static int
conf_ovr_convert(const struct conf_ovr *o, const char *v, void *dst,
    char *err, size_t errlen)
{
	char	*path;

	if (o->kind == OVR_DIR || o->kind == OVR_DIRPATH) {
		if ((o->kind == OVR_DIR ? pm_val_existing_dir :
		    pm_val_existing_dirpath)(v, &path, err, errlen) == -1)
			return -1;
		free(*(char **)dst);
		*(char **)dst = path;
		return 0;
	}
	if (o->kind == PM_CT_STR)
		free(*(char **)dst);
	return conf_convert(v, o->kind, dst, err, errlen);
}

/*
 * Check (apply=false) or apply the command-line values. 4.2.5 checks them
 * before reading the file and lets them win afterwards.
 */
static int
conf_overrides(struct pm_conf_ctx *c, const struct pm_overrides *ov,
    bool apply)
{
	union { char *s; long long ll; int i; bool b; } scratch;
	const struct conf_ovr *o;
	const char	*v;
	char		 why[1024], *r;
	size_t		 i;

	for (i = 0; ov != NULL && i < sizeof(conf_ovrs) / sizeof(*o); i++) {
		o = &conf_ovrs[i];
		v = *(const char *const *)((const char *)ov + o->ov_off);
		if (v == NULL || (!apply && o->kind == PM_CT_STR))
			continue;
		memset(&scratch, 0, sizeof(scratch));
		if (conf_ovr_convert(o, v, apply ? (char *)&c->cfg->sd +
		    o->sd_off : (void *)&scratch, why, sizeof(why)) == -1) {
			r = pm_repr(v);
			snprintf(c->err, c->errlen, "invalid value for --%s "
			    "%s: %s", o->name, r, why);
			free(r);
			return -1;
		}
		if (!apply && (o->kind == OVR_DIR || o->kind == OVR_DIRPATH))
			free(scratch.s);
	}
	return 0;
}

/* realize(): user must exist, logfile and pidfile become absolute. */
static int
conf_sd_realize(struct pm_conf_ctx *c, bool user_from_cli)
{
	struct pm_conf_sec s = { c, "supervisord", NULL, NULL };
	struct pm_sdconf *sd = &c->cfg->sd;
	char	*p;

	s.sec = pm_ini_section(&c->ini, "supervisord");
	sd->uid = (uid_t)-1;
	sd->gid = (gid_t)-1;
	if (sd->user != NULL &&
	    pm_val_user(sd->user, &sd->uid, &sd->gid, c->err, c->errlen) == -1)
		return user_from_cli ? -1 : pm_conf_locate(&s, "user");
	if (strcmp(sd->logfile, "syslog") == 0) {
		sd->logfile_syslog = true;
		free(sd->logfile);
		sd->logfile = NULL;
	} else {
		p = pm_path_normalize(sd->logfile);
		free(sd->logfile);
		sd->logfile = p;
	}
	p = pm_path_normalize(sd->pidfile);
	free(sd->pidfile);
	sd->pidfile = p;
	return 0;
}

/* ---- HTTP servers ---- */

static int
conf_http_auth(struct pm_conf_sec *s, struct pm_httpconf *h)
{
	if (pm_conf_str(s, "username", NULL, true, &h->username) == -1 ||
	    pm_conf_str(s, "password", NULL, true, &h->password) == -1)
		return -1;
	if ((h->username == NULL) != (h->password == NULL))
		return pm_conf_fail(s, h->username == NULL ? "password" :
		    "username", "Section [%s] contains incomplete "
		    "authentication: If a username or a password is "
		    "specified, both the username and password must be "
		    "specified", s->name);
	return 0;
}

static struct pm_httpconf *
conf_http_new(struct pm_conf_ctx *c, const char *section)
{
	struct pm_config *cfg = c->cfg;
	struct pm_httpconf *h;

	cfg->http = xreallocarray(cfg->http, cfg->nhttp + 1,
	    sizeof(*cfg->http));
	h = &cfg->http[cfg->nhttp++];
	memset(h, 0, sizeof(*h));
	h->section = xstrdup(section);
	h->chown_uid = (uid_t)-1;
	h->chown_gid = (gid_t)-1;
	return h;
}

static int
conf_inet_server(struct pm_conf_sec *s)
{
	struct pm_httpconf *h = conf_http_new(s->c, s->name);
	char	*port;
	int	 rc;

	if (conf_http_auth(s, h) == -1 ||
	    pm_conf_str(s, "port", NULL, true, &port) == -1)
		return -1;
	if (port == NULL)
		return pm_conf_fail(s, NULL, "section [%s] has no port value",
		    s->name);
	rc = pm_val_inet_address(port, &h->host, &h->port, s->c->err,
	    s->c->errlen);
	free(port);
	return rc == -1 ? pm_conf_locate(s, "port") : 0;
}

static int
conf_unix_chown(struct pm_conf_sec *s, struct pm_httpconf *h)
{
	char	*v, why[512];
	int	 rc;

	if (pm_conf_str(s, "chown", NULL, true, &v) == -1)
		return -1;
	if (v == NULL)
		return 0;
	rc = pm_val_usergroup(v, &h->chown_uid, &h->chown_gid, why,
	    sizeof(why));
	if (rc == -1)
		pm_conf_fail(s, "chown", "Invalid sockchown value %s", v);
	h->has_chown = rc == 0;
	free(v);
	return rc;
}

static int
conf_unix_server(struct pm_conf_sec *s)
{
	struct pm_httpconf *h = conf_http_new(s->c, s->name);
	struct pm_expvars vars = PM_EXPVARS_ZERO;
	const struct pm_expvars *saved = s->vars;
	char	*file, *v;
	int	 rc;

	h->is_unix = true;
	h->chmod = 0700;
	pm_expvars_merge(&vars, saved);
	pm_expvars_set(&vars, "here", s->c->here);
	s->vars = &vars;
	rc = pm_conf_str(s, "file", NULL, true, &file);
	s->vars = saved;
	pm_expvars_free(&vars);
	if (rc == -1)
		return -1;
	if (file == NULL)
		return pm_conf_fail(s, NULL, "section [%s] has no file value",
		    s->name);
	v = file + strspn(file, " \t\n");
	h->file = pm_path_normalize(v);
	free(file);
	if (conf_http_auth(s, h) == -1 || conf_unix_chown(s, h) == -1 ||
	    pm_conf_str(s, "chmod", NULL, true, &v) == -1)
		return -1;
	if (v != NULL && pm_val_octal(v, &h->chmod, s->c->err,
	    s->c->errlen) == -1) {
		pm_conf_fail(s, "chmod", "Invalid chmod value %s", v);
		free(v);
		return -1;
	}
	free(v);
	return 0;
}

/* Every section whose name starts with prefix (4.2.5 uses startswith). */
static int
conf_servers(struct pm_conf_ctx *c, const char *prefix,
    int (*fn)(struct pm_conf_sec *))
{
	struct pm_conf_sec s = { c, NULL, NULL, &c->env };
	size_t	 i;

	for (i = 0; i < c->ini.nsecs; i++) {
		s.sec = &c->ini.secs[i];
		s.name = s.sec->name;
		if (strncmp(s.name, prefix, strlen(prefix)) == 0 &&
		    fn(&s) == -1)
			return -1;
	}
	return 0;
}

/* ---- [rpcinterface:x], [supervisorctl] ---- */

#define CONF_RPC_KEY	"supervisor.rpcinterface_factory"
#define CONF_RPC_MAIN	"supervisor.rpcinterface:make_main_rpcinterface"

static int
conf_rpc_section(struct pm_conf_sec *s)
{
	const char	*name = strchr(s->name, ':') + 1;
	char		*v, *x;
	size_t		 i;

	if (pm_conf_str(s, CONF_RPC_KEY, NULL, true, &v) == -1)
		return -1;
	if (v == NULL)
		return pm_conf_fail(s, NULL, "section [%s] does not specify "
		    "a %s", s->name, CONF_RPC_KEY);
	if (strcmp(v, CONF_RPC_MAIN) != 0) {
		pm_conf_fail(s, CONF_RPC_KEY, "%s cannot be resolved within "
		    "[%s]", v, s->name);
		free(v);
		return -1;
	}
	free(v);
	/* the factory's keyword arguments are expanded, so may fail */
	for (i = 0; i < s->sec->nopts; i++) {
		if (pm_conf_str(s, s->sec->opts[i].key, NULL, true, &x) == -1)
			return -1;
		free(x);
	}
	if (strcmp(name, "supervisor") == 0)
		s->c->cfg->has_rpcinterface = true;
	else
		pm_conf_msg(s->c, LOG_WARN, "[%s]: only the 'supervisor' "
		    "namespace is served; '%s' is ignored", s->name, name);
	return 0;
}

static int
conf_rpcinterfaces(struct pm_conf_ctx *c)
{
	return conf_servers(c, "rpcinterface:", conf_rpc_section);
}

/*
 * supervisord itself never reads [supervisorctl]; a value it cannot
 * expand is left unset with a warning instead of failing the daemon.
 */
static void
conf_ctl_value(struct pm_conf_sec *s, const char *key, const char *def,
    char **out)
{
	if (pm_conf_str(s, key, def, true, out) == -1) {
		pm_conf_msg(s->c, LOG_WARN, "%s", s->c->err);
		s->c->err[0] = '\0';
		*out = def != NULL ? xstrdup(def) : NULL;
	}
}

static void
conf_supervisorctl(struct pm_conf_ctx *c)
{
	struct pm_expvars vars = PM_EXPVARS_ZERO;
	struct pm_conf_sec s = { c, "supervisorctl", NULL, &c->osenv };
	struct pm_ctlconf *ctl = &c->cfg->ctl;
	char	*v, *p;

	if ((s.sec = pm_ini_section(&c->ini, "supervisorctl")) == NULL)
		return;
	ctl->present = true;
	conf_ctl_value(&s, "prompt", "supervisor", &ctl->prompt);
	conf_ctl_value(&s, "username", NULL, &ctl->username);
	conf_ctl_value(&s, "password", NULL, &ctl->password);
	pm_expvars_merge(&vars, &c->osenv);
	pm_expvars_set(&vars, "here", c->here);
	s.vars = &vars;
	conf_ctl_value(&s, "serverurl", "http://localhost:9001", &v);
	if (v != NULL && strncmp(v, "unix://", 7) == 0) {
		p = pm_path_normalize(v + 7);
		free(v);
		xasprintf(&v, "unix://%s", p);
		free(p);
	}
	ctl->serverurl = v;
	conf_ctl_value(&s, "history_file", NULL, &v);
	if (v != NULL && *v != '\0')
		ctl->history_file = pm_path_normalize(v);
	free(v);
	pm_expvars_free(&vars);
}

/* ---- load, free ---- */

static void
conf_msgs_finish(struct pm_conf_ctx *c)
{
	struct pm_config *cfg = c->cfg;

	cfg->nmsgs = c->nwarns + c->ninfos;
	cfg->msgs = xcalloc(cfg->nmsgs + 1, sizeof(*cfg->msgs));
	if (c->nwarns > 0)
		memcpy(cfg->msgs, c->warns, c->nwarns * sizeof(*c->warns));
	if (c->ninfos > 0)
		memcpy(cfg->msgs + c->nwarns, c->infos,
		    c->ninfos * sizeof(*c->infos));
	free(c->warns);
	free(c->infos);
	c->warns = c->infos = NULL;
	c->nwarns = c->ninfos = 0;
}

/* Read the main file: "could not find" / "could not read" as 4.2.5. */
static int
conf_read_main(struct pm_conf_ctx *c)
{
	struct stat	 st;
	char		*dir;

	if (stat(c->path, &st) == -1) {
		snprintf(c->err, c->errlen, "could not find config file %s",
		    c->path);
		return -1;
	}
	dir = pm_path_dirname(c->path);
	c->here = pm_path_normalize(*dir == '\0' ? "." : dir);
	free(dir);
	if (pm_ini_read(&c->ini, c->path, c->path, c->err, c->errlen) == -1) {
		if (c->err[0] == '\0')
			snprintf(c->err, c->errlen, "could not read config "
			    "file %s", c->path);
		return -1;
	}
	return 0;
}

/*
 * Root runs whatever commands the config names, so a config file any user
 * may write is a way to root: refused (4.2.5 does not look).
 */
static int
conf_check_modes(struct pm_conf_ctx *c)
{
	struct stat	 st;
	size_t		 i;

	if (geteuid() != 0)
		return 0;
	for (i = 0; i < c->ini.nfiles; i++)
		if (stat(c->ini.files[i], &st) == 0 &&
		    (st.st_mode & S_IWOTH) != 0) {
			snprintf(c->err, c->errlen, "config file %s is writable "
			    "by other users: refusing it as root (chmod o-w "
			    "%s)", c->ini.files[i], c->ini.files[i]);
			return -1;
		}
	return 0;
}

static int
conf_load(struct pm_conf_ctx *c, const struct pm_overrides *ov)
{
	char	*r;

	if (conf_overrides(c, ov, false) == -1 || conf_read_main(c) == -1 ||
	    conf_include(c) == -1 || conf_check_modes(c) == -1)
		return -1;
	if (pm_ini_section(&c->ini, "supervisord") == NULL) {
		r = pm_repr(c->path);
		snprintf(c->err, c->errlen, ".ini file does not include "
		    "supervisord section (file: %s)", r);
		free(r);
		return -1;
	}
	if (conf_supervisord(c) == -1 || conf_rpcinterfaces(c) == -1 ||
	    pm_conf_groups(c) == -1 ||
	    conf_servers(c, "inet_http_server", conf_inet_server) == -1 ||
	    conf_servers(c, "unix_http_server", conf_unix_server) == -1)
		return -1;
	conf_supervisorctl(c);
	if (conf_overrides(c, ov, true) == -1 ||
	    conf_sd_realize(c, ov != NULL && ov->user != NULL) == -1)
		return -1;
	return 0;
}

static void
conf_ctx_init(struct pm_conf_ctx *c, const char *path, char *err,
    size_t errlen)
{
	struct utsname	 u;

	memset(c, 0, sizeof(*c));
	c->path = path;
	c->err = err;
	c->errlen = errlen;
	if (uname(&u) == 0)
		snprintf(c->nodename, sizeof(c->nodename), "%s", u.nodename);
	pm_expvars_add_env(&c->osenv, environ);
	pm_expvars_merge(&c->env, &c->osenv);
	c->cfg = xcalloc(1, sizeof(*c->cfg));
	c->cfg->path = xstrdup(path);
}

static void
conf_ctx_done(struct pm_conf_ctx *c)
{
	size_t	 i;

	for (i = 0; i < c->nwarns; i++)
		free(c->warns[i].text);
	for (i = 0; i < c->ninfos; i++)
		free(c->infos[i].text);
	free(c->warns);
	free(c->infos);
	pm_ini_free(&c->ini);
	pm_expvars_free(&c->env);
	pm_expvars_free(&c->osenv);
	pm_env_free(c->sdenv);
	free(c->here);
}

struct pm_config *
pm_config_load(const char *path, const struct pm_overrides *ov, char *err,
    size_t errlen)
{
	struct pm_conf_ctx	 c;
	struct pm_config	*cfg;
	char			 buf[8192];

	/* work in a large buffer so suffixes fit, then copy out */
	buf[0] = '\0';
	conf_ctx_init(&c, path, buf, sizeof(buf));
	if (conf_load(&c, ov) == -1) {
		if (errlen > 0)
			snprintf(err, errlen, "%s", buf);
		pm_config_free(c.cfg);
		conf_ctx_done(&c);
		return NULL;
	}
	conf_msgs_finish(&c);
	cfg = c.cfg;
	conf_ctx_done(&c);
	return cfg;
}

const struct pm_groupconf *
pm_config_group(const struct pm_config *cfg, const char *name)
{
	size_t	 i;

	for (i = 0; cfg != NULL && i < cfg->ngroups; i++)
		if (strcmp(cfg->groups[i].name, name) == 0)
			return &cfg->groups[i];
	return NULL;
}

static void
conf_sd_free(struct pm_sdconf *sd)
{
	free(sd->logfile);
	free(sd->pidfile);
	free(sd->childlogdir);
	free(sd->user);
	free(sd->directory);
	pm_env_free(sd->environment);
	free(sd->identifier);
	free(sd->bus_endpoint);
	free(sd->bus_record);
}

static void
conf_http_free(struct pm_httpconf *h)
{
	free(h->section);
	free(h->file);
	free(h->host);
	free(h->username);
	free(h->password);
}

void
pm_config_free(struct pm_config *cfg)
{
	size_t	 i;

	if (cfg == NULL)
		return;
	free(cfg->path);
	conf_sd_free(&cfg->sd);
	for (i = 0; i < cfg->nhttp; i++)
		conf_http_free(&cfg->http[i]);
	free(cfg->http);
	free(cfg->ctl.serverurl);
	free(cfg->ctl.username);
	free(cfg->ctl.password);
	free(cfg->ctl.prompt);
	free(cfg->ctl.history_file);
	for (i = 0; i < cfg->ngroups; i++)
		pm_conf_group_free(&cfg->groups[i]);
	free(cfg->groups);
	for (i = 0; i < cfg->nmsgs; i++)
		free(cfg->msgs[i].text);
	free(cfg->msgs);
	free(cfg);
}
