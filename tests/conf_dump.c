/*
 * conf_dump.c: load a config and print every field of struct pm_config in
 * a stable text form (or "error: <message>"). The golden files in
 * tests/conf/ are this output; the config's directory, the working
 * directory and the host name print as @DIR@, @CWD@ and @NODE@ so the
 * files do not depend on where the tree lives.
 *
 * usage: conf_dump file.conf
 */
#include <sys/utsname.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "pm.h"

void	conf_dump_print(FILE *, const struct pm_config *);
int	conf_dump_file(FILE *, const char *);

/* Text replaced on output, longest first. */
static struct {
	char	 from[PATH_MAX];
	char	 to[16];
} dump_subst[3];

static void
dump_subst_set(int i, const char *from, const char *to)
{
	snprintf(dump_subst[i].from, sizeof(dump_subst[i].from), "%s", from);
	snprintf(dump_subst[i].to, sizeof(dump_subst[i].to), "%s", to);
}

/* Print s with the substitutions applied; NULL prints as (null). */
static void
dump_str(FILE *f, const char *s)
{
	size_t	 i, n;
	int	 hit;

	if (s == NULL) {
		fputs("(null)", f);
		return;
	}
	while (*s != '\0') {
		for (hit = 0, i = 0; i < 3 && !hit; i++) {
			n = strlen(dump_subst[i].from);
			if (n > 1 && strncmp(s, dump_subst[i].from, n) == 0) {
				fputs(dump_subst[i].to, f);
				s += n;
				hit = 1;
			}
		}
		if (!hit)
			fputc(*s++, f);
	}
}

static void
dump_kv(FILE *f, const char *ind, const char *k, const char *v)
{
	fprintf(f, "%s%s = ", ind, k);
	dump_str(f, v);
	fputc('\n', f);
}

static void
dump_list(FILE *f, const char *ind, const char *k, char *const *v)
{
	size_t	 i;

	fprintf(f, "%s%s =", ind, k);
	if (v == NULL)
		fputs(" (null)", f);
	for (i = 0; v != NULL && v[i] != NULL; i++) {
		fputs(" [", f);
		dump_str(f, v[i]);
		fputc(']', f);
	}
	fputc('\n', f);
}

static void
dump_sd(FILE *f, const struct pm_sdconf *sd)
{
	fputs("[supervisord]\n", f);
	dump_kv(f, "  ", "logfile", sd->logfile);
	fprintf(f, "  logfile_syslog = %d\n  logfile_maxbytes = %lld\n"
	    "  logfile_backups = %d\n  loglevel = %d\n", sd->logfile_syslog,
	    sd->logfile_maxbytes, sd->logfile_backups, sd->loglevel);
	dump_kv(f, "  ", "pidfile", sd->pidfile);
	fprintf(f, "  umask = %03o\n  nodaemon = %d\n  silent = %d\n"
	    "  minfds = %d\n  minprocs = %d\n  nocleanup = %d\n", sd->umask,
	    sd->nodaemon, sd->silent, sd->minfds, sd->minprocs, sd->nocleanup);
	dump_kv(f, "  ", "childlogdir", sd->childlogdir);
	dump_kv(f, "  ", "user", sd->user);
	if (sd->user != NULL)
		fprintf(f, "  uid = %d\n  gid = %d\n", (int)sd->uid,
		    (int)sd->gid);
	dump_kv(f, "  ", "directory", sd->directory);
	fprintf(f, "  strip_ansi = %d\n", sd->strip_ansi);
	dump_list(f, "  ", "environment", sd->environment);
	dump_kv(f, "  ", "identifier", sd->identifier);
	dump_kv(f, "  ", "bus_endpoint", sd->bus_endpoint);
	fprintf(f, "  bus_ring_size = %d\n", sd->bus_ring_size);
	fprintf(f, "  bus_ring_bytes = %lld\n", sd->bus_ring_bytes);
	dump_kv(f, "  ", "bus_record", sd->bus_record);
	fprintf(f, "  bus_record_maxbytes = %lld\n", sd->bus_record_maxbytes);
}

static void
dump_http(FILE *f, const struct pm_httpconf *h)
{
	fprintf(f, "[http %s]\n  is_unix = %d\n", h->section, h->is_unix);
	if (h->is_unix) {
		dump_kv(f, "  ", "file", h->file);
		fprintf(f, "  chmod = %04o\n  has_chown = %d\n", h->chmod,
		    h->has_chown);
		if (h->has_chown)
			fprintf(f, "  chown = %d:%d\n", (int)h->chown_uid,
			    (int)h->chown_gid);
	} else {
		dump_kv(f, "  ", "host", h->host);
		fprintf(f, "  port = %d\n", h->port);
	}
	dump_kv(f, "  ", "username", h->username);
	dump_kv(f, "  ", "password", h->password);
}

static void
dump_ctl(FILE *f, const struct pm_ctlconf *c)
{
	fprintf(f, "[supervisorctl]\n  present = %d\n", c->present);
	if (!c->present)
		return;
	dump_kv(f, "  ", "serverurl", c->serverurl);
	dump_kv(f, "  ", "username", c->username);
	dump_kv(f, "  ", "password", c->password);
	dump_kv(f, "  ", "prompt", c->prompt);
	dump_kv(f, "  ", "history_file", c->history_file);
}

static void
dump_log(FILE *f, const char *ch, const struct pm_logconf *l)
{
	fprintf(f, "    %s: path=", ch);
	dump_str(f, l->path);
	fprintf(f, " auto=%d syslog=%d maxbytes=%lld backups=%d "
	    "capture_maxbytes=%lld events=%d\n", l->is_auto, l->syslog,
	    l->maxbytes, l->backups, l->capture_maxbytes, l->events_enabled);
}

static void
dump_proc(FILE *f, const struct pm_procconf *p)
{
	int	 i;

	fprintf(f, "  [process %s]\n", p->name);
	dump_kv(f, "    ", "group", p->group);
	dump_kv(f, "    ", "section", p->section);
	fprintf(f, "    process_num = %d\n", p->process_num);
	dump_kv(f, "    ", "command", p->command);
	dump_kv(f, "    ", "directory", p->directory);
	fprintf(f, p->umask < 0 ? "    umask = %d\n" : "    umask = %03o\n",
	    p->umask);
	dump_kv(f, "    ", "user", p->user);
	if (p->user != NULL)
		fprintf(f, "    uid = %d\n    gid = %d\n", (int)p->uid,
		    (int)p->gid);
	fprintf(f, "    priority = %d\n    autostart = %d\n    startsecs = %d\n"
	    "    startretries = %d\n    autorestart = %d\n    exitcodes =",
	    p->priority, p->autostart, p->startsecs, p->startretries,
	    p->autorestart);
	for (i = 0; i < 256; i++)
		if (pm_exitcode_expected(p, i))
			fprintf(f, " %d", i);
	fprintf(f, "\n    stopsignal = %d\n    stopwaitsecs = %d\n"
	    "    stopasgroup = %d\n    killasgroup = %d\n"
	    "    redirect_stderr = %d\n", p->stopsignal, p->stopwaitsecs,
	    p->stopasgroup, p->killasgroup, p->redirect_stderr);
	dump_log(f, "stdout", &p->out);
	dump_log(f, "stderr", &p->err);
	dump_list(f, "    ", "environment", p->environment);
	dump_kv(f, "    ", "serverurl", p->serverurl);
}

static void
dump_group(FILE *f, const struct pm_groupconf *g)
{
	const char	*types[] = { "program", "listener", "fcgi" };
	size_t		 i;

	fprintf(f, "[group %s]\n  type = %s\n  priority = %d\n", g->name,
	    types[g->type], g->priority);
	if (g->type == PM_GROUP_LISTENER) {
		dump_list(f, "  ", "events", g->events);
		fprintf(f, "  buffer_size = %d\n", g->buffer_size);
	}
	if (g->type == PM_GROUP_FCGI) {
		dump_kv(f, "  ", "socket", g->socket.url);
		fprintf(f, "  socket_backlog = %d\n", g->socket.backlog);
		if (g->socket.is_unix)
			fprintf(f, "  socket_mode = %04o\n", g->socket.mode);
		if (g->socket.has_owner)
			fprintf(f, "  socket_owner = %d:%d\n",
			    (int)g->socket.owner_uid,
			    (int)g->socket.owner_gid);
	}
	for (i = 0; i < g->nprocs; i++)
		dump_proc(f, &g->procs[i]);
}

void
conf_dump_print(FILE *f, const struct pm_config *cfg)
{
	size_t	 i;

	dump_sd(f, &cfg->sd);
	for (i = 0; i < cfg->nhttp; i++)
		dump_http(f, &cfg->http[i]);
	dump_ctl(f, &cfg->ctl);
	fprintf(f, "[rpcinterface]\n  has_rpcinterface = %d\n",
	    cfg->has_rpcinterface);
	for (i = 0; i < cfg->ngroups; i++)
		dump_group(f, &cfg->groups[i]);
	for (i = 0; i < cfg->nmsgs; i++) {
		fprintf(f, "msg %s: ", log_level_tag(cfg->msgs[i].level));
		dump_str(f, cfg->msgs[i].text);
		fputc('\n', f);
	}
}

/* Load path (relative to the working directory) and print it. */
int
conf_dump_file(FILE *f, const char *path)
{
	struct pm_config *cfg;
	struct utsname	 u;
	char		 err[8192], cwd[PATH_MAX], dir[PATH_MAX], *slash;

	if (getcwd(cwd, sizeof(cwd)) == NULL)
		cwd[0] = '\0';
	snprintf(dir, sizeof(dir), "%s%s%s", path[0] == '/' ? "" : cwd,
	    path[0] == '/' ? "" : "/", path);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	dump_subst_set(0, dir, "@DIR@");
	dump_subst_set(1, cwd, "@CWD@");
	dump_subst_set(2, uname(&u) == 0 ? u.nodename : "", "@NODE@");
	if ((cfg = pm_config_load(path, NULL, err, sizeof(err))) == NULL) {
		fputs("error: ", f);
		dump_str(f, err);
		fputc('\n', f);
		return 1;
	}
	conf_dump_print(f, cfg);
	pm_config_free(cfg);
	return 0;
}

#ifndef CONF_DUMP_LIB
int
main(int argc, char *argv[])
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s file.conf\n", argv[0]);
		return 2;
	}
	conf_dump_file(stdout, argv[1]);
	return 0;
}
#endif
