/*
 * ctl_cmds_conf.c: avail, reread, add, remove, reload, shutdown, version
 * and open. update is in ctl_cmds_update.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "log.h"

/* "Error: <cmd> accepts no arguments" and the help; true when printed. */
static bool
conf_noargs(struct ctl *ctl, const char *cmd, const char *arg)
{
	if (*arg == '\0')
		return false;
	ctl_output("Error: %s accepts no arguments", cmd);
	ctl->exitstatus = CTL_EX_GENERIC;
	ctl_help_cmd(cmd);
	return true;
}

int
ctl_cmd_avail(struct ctl *ctl, const char *arg)
{
	struct ctl_val	*v;
	struct ctl_err	 e;
	const struct ctl_val *c;
	char		*spec, prio[64];
	size_t		 i;

	if (conf_noargs(ctl, "avail", arg))
		return 0;
	if (ctl_call(ctl, &v, &e, "supervisor.getAllConfigInfo", "") != 0) {
		ctl->exitstatus = CTL_EX_GENERIC;
		if (e.kind == CTL_E_FAULT && e.code == CTL_F_SHUTDOWN_STATE) {
			ctl_output("ERROR: supervisor shutting down");
			return 0;
		}
		return ctl_raise(ctl, &e);
	}
	for (i = 0; i < v->n; i++) {
		c = v->items[i];
		spec = ctl_namespec(ctl_val_str(c, "group"),
		    ctl_val_str(c, "name"));
		snprintf(prio, sizeof(prio), "%lld:%lld",
		    ctl_val_int(c, "group_prio"),
		    ctl_val_int(c, "process_prio"));
		ctl_output("%-32s %-9s %-9s %s", spec,
		    ctl_val_int(c, "inuse") ? "in use" : "avail",
		    ctl_val_int(c, "autostart") ? "auto" : "manual", prio);
		free(spec);
	}
	ctl_val_free(v);
	return 0;
}

static int
conf_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* reloadConfig's [[added, changed, removed]] as "name: what" lines. */
static void
conf_changes(const struct ctl_val *r)
{
	static const char *what[3] = { "available", "changed", "disappeared" };
	const struct ctl_val *l;
	char		**lines = NULL;
	size_t		 n = 0, i, k;

	for (k = 0; k < 3 && k < r->n; k++) {
		l = r->items[k];
		for (i = 0; i < l->n; i++) {
			lines = xreallocarray(lines, n + 1, sizeof(*lines));
			xasprintf(&lines[n++], "%s: %s", l->items[i]->s,
			    what[k]);
		}
	}
	if (n == 0)
		ctl_output("No config updates to processes");
	else
		qsort(lines, n, sizeof(*lines), conf_cmp);
	for (i = 0; i < n; i++) {
		ctl_output("%s", lines[i]);
		free(lines[i]);
	}
	free(lines);
}

int
ctl_cmd_reread(struct ctl *ctl, const char *arg)
{
	struct ctl_val	*v;
	struct ctl_err	 e;

	if (conf_noargs(ctl, "reread", arg))
		return 0;
	if (ctl_call(ctl, &v, &e, "supervisor.reloadConfig", "") != 0) {
		ctl->exitstatus = CTL_EX_GENERIC;
		if (e.kind == CTL_E_FAULT && e.code == CTL_F_SHUTDOWN_STATE)
			ctl_output("ERROR: supervisor shutting down");
		else if (e.kind == CTL_E_FAULT && e.code == CTL_F_CANT_REREAD)
			ctl_output("ERROR: %s", e.msg);
		else
			return ctl_raise(ctl, &e);
		return 0;
	}
	if (v->type == CTL_V_ARRAY && v->n > 0)
		conf_changes(v->items[0]);
	ctl_val_free(v);
	return 0;
}

int
ctl_cmd_add(struct ctl *ctl, const char *arg)
{
	struct ctl_val	*v;
	struct ctl_err	 e;
	char		**names = ctl_split(arg, NULL), **np;
	int		 rc = 0;

	for (np = names; *np != NULL && rc == 0; np++) {
		if (ctl_call(ctl, &v, &e, "supervisor.addProcessGroup", "s",
		    *np) == 0) {
			ctl_val_free(v);
			ctl_output("%s: added process group", *np);
		} else if (e.kind != CTL_E_FAULT) {
			rc = ctl_raise(ctl, &e);
		} else if (e.code == CTL_F_SHUTDOWN_STATE) {
			ctl_output("ERROR: shutting down");
			ctl->exitstatus = CTL_EX_GENERIC;
		} else if (e.code == CTL_F_ALREADY_ADDED)
			ctl_output("ERROR: process group already active");
		else if (e.code == CTL_F_BAD_NAME) {
			ctl_output("ERROR: no such process/group: %s", *np);
			ctl->exitstatus = CTL_EX_GENERIC;
		} else {
			ctl->exitstatus = CTL_EX_GENERIC;
			rc = ctl_raise(ctl, &e);
		}
	}
	ctl_strv_free(names);
	return rc;
}

int
ctl_cmd_remove(struct ctl *ctl, const char *arg)
{
	struct ctl_val	*v;
	struct ctl_err	 e;
	char		**names = ctl_split(arg, NULL), **np;
	int		 rc = 0;

	for (np = names; *np != NULL && rc == 0; np++) {
		if (ctl_call(ctl, &v, &e, "supervisor.removeProcessGroup", "s",
		    *np) == 0) {
			ctl_val_free(v);
			ctl_output("%s: removed process group", *np);
			continue;
		}
		ctl->exitstatus = CTL_EX_GENERIC;
		if (e.kind == CTL_E_FAULT && e.code == CTL_F_STILL_RUNNING)
			ctl_output("ERROR: process/group still running: %s",
			    *np);
		else if (e.kind == CTL_E_FAULT && e.code == CTL_F_BAD_NAME)
			ctl_output("ERROR: no such process/group: %s", *np);
		else
			rc = ctl_raise(ctl, &e);
	}
	ctl_strv_free(names);
	return rc;
}

/* The y/N question reload and shutdown ask in the shell. */
static bool
conf_really(struct ctl *ctl, const char *q)
{
	char	 buf[64];

	if (!ctl->o.interactive)
		return true;
	ctl_ask(ctl, q, buf, sizeof(buf), true);
	return buf[0] == 'y' || buf[0] == 'Y';
}

int
ctl_cmd_reload(struct ctl *ctl, const char *arg)
{
	struct ctl_val	*v;
	struct ctl_err	 e;

	if (conf_noargs(ctl, "reload", arg))
		return 0;
	if (!conf_really(ctl, "Really restart the remote supervisord process "
	    "y/N? "))
		return 0;
	if (ctl_call(ctl, &v, &e, "supervisor.restart", "") != 0) {
		ctl->exitstatus = CTL_EX_GENERIC;
		if (e.kind == CTL_E_FAULT && e.code == CTL_F_SHUTDOWN_STATE) {
			ctl_output("ERROR: already shutting down");
			return 0;
		}
		return ctl_raise(ctl, &e);
	}
	ctl_val_free(v);
	ctl_output("Restarted supervisord");
	return 0;
}

int
ctl_cmd_shutdown(struct ctl *ctl, const char *arg)
{
	struct ctl_val	*v;
	struct ctl_err	 e;

	if (conf_noargs(ctl, "shutdown", arg))
		return 0;
	if (!conf_really(ctl, "Really shut the remote supervisord process "
	    "down y/N? "))
		return 0;
	if (ctl_call(ctl, &v, &e, "supervisor.shutdown", "") == 0) {
		ctl_val_free(v);
		ctl_output("Shut down");
		return 0;
	}
	if (e.kind == CTL_E_FAULT && e.code == CTL_F_SHUTDOWN_STATE) {
		ctl_output("ERROR: already shutting down");
		return 0;
	}
	ctl->exitstatus = CTL_EX_GENERIC;
	if (e.kind == CTL_E_REFUSED || e.kind == CTL_E_NOFILE) {
		ctl_output("ERROR: %s %s (already shut down?)",
		    ctl->o.serverurl, e.kind == CTL_E_REFUSED ?
		    "refused connection" : "no such file");
		return 0;
	}
	return ctl_raise(ctl, &e);
}

int
ctl_cmd_version(struct ctl *ctl, const char *arg)
{
	struct ctl_val	*v;
	struct ctl_err	 e;
	int		 rc;

	if (conf_noargs(ctl, "version", arg))
		return 0;
	if ((rc = ctl_upcheck(ctl)) != 1)
		return rc;
	if (ctl_call(ctl, &v, &e, "supervisor.getSupervisorVersion", "") != 0)
		return ctl_raise(ctl, &e);
	ctl_output("%s", v->type == CTL_V_STR ? v->s : "");
	ctl_val_free(v);
	return 0;
}

int
ctl_cmd_open(struct ctl *ctl, const char *arg)
{
	int	 old, rc;

	if (strncmp(arg, "unix:", 5) != 0 && strncmp(arg, "http:", 5) != 0) {
		ctl_output("ERROR: url must be http:// or unix://");
		ctl->exitstatus = CTL_EX_GENERIC;
		return 0;
	}
	free(ctl->o.serverurl);
	ctl->o.serverurl = xstrdup(arg);
	old = ctl->exitstatus;
	rc = ctl_cmd_status(ctl, "");
	ctl->exitstatus = old;
	return rc;
}

int
ctl_cmd_quit(struct ctl *ctl, const char *arg)
{
	return ctl_cmd_EOF(ctl, arg);
}

int
ctl_cmd_EOF(struct ctl *ctl, const char *arg)
{
	ctl_output("%s", "");
	return 1;
}
