/*
 * ctl_cmds_proc.c: start, stop, restart, signal and clear. They share one
 * walk: "all", group names ("g:" or "g:*") and single processes, each
 * with its own XML-RPC method, and one line per result.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "log.h"

/* What one command calls and how it words results. */
struct proc_act {
	const char	*all, *group, *one;	/* methods; group NULL: use one */
	const char	*done;			/* "started", "stopped", ... */
	int		 ignored;		/* fault that keeps exit 0 */
	int		 badgroup_exit;
	bool		 start;			/* start's result words */
	bool		 clear;			/* clear's result words */
};

static const struct proc_act act_start = {
	"supervisor.startAllProcesses", "supervisor.startProcessGroup",
	"supervisor.startProcess", "started", CTL_F_ALREADY_STARTED,
	CTL_EX_INVALID_ARGS, true, false };
static const struct proc_act act_stop = {
	"supervisor.stopAllProcesses", "supervisor.stopProcessGroup",
	"supervisor.stopProcess", "stopped", CTL_F_NOT_RUNNING,
	CTL_EX_GENERIC, false, false };
static const struct proc_act act_signal = {
	"supervisor.signalAllProcesses", "supervisor.signalProcessGroup",
	"supervisor.signalProcess", "signalled", -1, CTL_EX_GENERIC, false,
	false };
static const struct proc_act act_clear = {
	"supervisor.clearAllProcessLogs", NULL, "supervisor.clearProcessLogs",
	"cleared", -1, CTL_EX_GENERIC, false, true };

/* The words for a result code; NULL when 4.2.5 has none. */
static const char *
proc_result_words(const struct proc_act *a, int code)
{
	if (code == CTL_F_BAD_NAME)
		return "no such process";
	if (a->start) {
		switch (code) {
		case CTL_F_NO_FILE: return "no such file";
		case CTL_F_NOT_EXECUTABLE: return "file is not executable";
		case CTL_F_ALREADY_STARTED: return "already started";
		case CTL_F_SPAWN_ERROR: return "spawn error";
		case CTL_F_ABNORMAL_TERMINATION: return "abnormal termination";
		}
	} else if (a->clear) {
		if (code == CTL_F_FAILED)
			return "failed";
	} else if (code == CTL_F_BAD_SIGNAL)
		return "bad signal name";
	else if (code == CTL_F_NOT_RUNNING)
		return "not running";
	return NULL;
}

/* Print one result; -1 (raised) for a code 4.2.5 does not expect. */
static int
proc_result(struct ctl *ctl, const struct proc_act *a, const char *group,
    const char *name, int code, const char *desc)
{
	char		*spec = ctl_namespec(group, name);
	const char	*w;
	struct ctl_err	 e;

	if (code == CTL_F_SUCCESS)
		ctl_output("%s: %s", spec, a->done);
	else if (code == CTL_F_FAILED && !a->start && !a->clear)
		ctl_output("%s", desc);
	else if ((w = proc_result_words(a, code)) != NULL)
		ctl_output("%s: ERROR (%s)", spec, w);
	else {
		memset(&e, 0, sizeof(e));
		e.kind = CTL_E_OTHER;
		snprintf(e.msg, sizeof(e.msg), "Unknown result code %d for %s",
		    code, spec);
		free(spec);
		return ctl_raise(ctl, &e);
	}
	free(spec);
	ctl_exit_from_fault(ctl, code, a->ignored);
	return 0;
}

static int
proc_results(struct ctl *ctl, const struct proc_act *a, struct ctl_val *v)
{
	const struct ctl_val *r;
	size_t		 i;
	int		 rc = 0;

	for (i = 0; v != NULL && i < v->n && rc == 0; i++) {
		r = v->items[i];
		rc = proc_result(ctl, a, ctl_val_str(r, "group"),
		    ctl_val_str(r, "name"), (int)ctl_val_int(r, "status"),
		    ctl_val_str(r, "description"));
	}
	ctl_val_free(v);
	return rc;
}

static int
proc_group(struct ctl *ctl, const struct proc_act *a, const char *sig,
    const char *group)
{
	struct ctl_val	*v;
	struct ctl_err	 e;
	int		 rc;

	rc = sig != NULL ? ctl_call(ctl, &v, &e, a->group, "ss", group, sig) :
	    ctl_call(ctl, &v, &e, a->group, "s", group);
	if (rc == 0)
		return proc_results(ctl, a, v);
	if (e.kind == CTL_E_FAULT && e.code == CTL_F_BAD_NAME) {
		ctl_output("%s: ERROR (no such group)", group);
		ctl->exitstatus = a->badgroup_exit;
		return 0;
	}
	ctl->exitstatus = CTL_EX_GENERIC;
	return ctl_raise(ctl, &e);
}

static int
proc_one(struct ctl *ctl, const struct proc_act *a, const char *sig,
    const char *spec)
{
	struct ctl_val	*v;
	struct ctl_err	 e;
	char		*g, *p;
	int		 rc;

	ctl_split_namespec(spec, &g, &p);
	if (a->group != NULL && p == NULL) {
		rc = proc_group(ctl, a, sig, g);
		free(g);
		return rc;
	}
	rc = sig != NULL ? ctl_call(ctl, &v, &e, a->one, "ss", spec, sig) :
	    ctl_call(ctl, &v, &e, a->one, "s", spec);
	ctl_val_free(v);
	if (rc == 0)
		rc = proc_result(ctl, a, g, p, CTL_F_SUCCESS, "");
	else if (e.kind == CTL_E_FAULT)
		rc = proc_result(ctl, a, g, p, e.code, e.msg);
	else
		rc = ctl_raise(ctl, &e);
	free(g);
	free(p);
	return rc;
}

static int
proc_walk(struct ctl *ctl, const struct proc_act *a, const char *sig,
    char **names)
{
	struct ctl_val	*v;
	struct ctl_err	 e;
	int		 rc = 0;

	if (ctl_strv_has(names, "all")) {
		rc = sig != NULL ? ctl_call(ctl, &v, &e, a->all, "s", sig) :
		    ctl_call(ctl, &v, &e, a->all, "");
		return rc == 0 ? proc_results(ctl, a, v) : ctl_raise(ctl, &e);
	}
	for (; *names != NULL && rc == 0; names++)
		rc = proc_one(ctl, a, sig, *names);
	return rc;
}

/* upcheck, then names or "Error: <cmd> requires a process name". */
static int
proc_cmd(struct ctl *ctl, const char *cmd, const struct proc_act *a,
    const char *arg, int noname_exit)
{
	char	**names;
	size_t	 n;
	int	 rc;

	if ((rc = ctl_upcheck(ctl)) != 1)
		return rc;
	names = ctl_split(arg, &n);
	if (n == 0) {
		ctl_output("Error: %s requires a process name", cmd);
		ctl->exitstatus = noname_exit;
		ctl_help_cmd(cmd);
		ctl_strv_free(names);
		return 0;
	}
	rc = proc_walk(ctl, a, NULL, names);
	ctl_strv_free(names);
	return rc;
}

int
ctl_cmd_start(struct ctl *ctl, const char *arg)
{
	return proc_cmd(ctl, "start", &act_start, arg, CTL_EX_INVALID_ARGS);
}

int
ctl_cmd_stop(struct ctl *ctl, const char *arg)
{
	return proc_cmd(ctl, "stop", &act_stop, arg, CTL_EX_GENERIC);
}

int
ctl_cmd_clear(struct ctl *ctl, const char *arg)
{
	return proc_cmd(ctl, "clear", &act_clear, arg, CTL_EX_GENERIC);
}

int
ctl_cmd_restart(struct ctl *ctl, const char *arg)
{
	size_t	 n;
	char	**names;
	int	 rc;

	if ((rc = ctl_upcheck(ctl)) != 1)
		return rc;
	names = ctl_split(arg, &n);
	ctl_strv_free(names);
	if (n == 0) {
		ctl_output("Error: restart requires a process name");
		ctl->exitstatus = CTL_EX_GENERIC;
		ctl_help_cmd("restart");
		return 0;
	}
	if ((rc = ctl_cmd_stop(ctl, arg)) != 0)
		return rc;
	return ctl_cmd_start(ctl, arg);
}

int
ctl_cmd_signal(struct ctl *ctl, const char *arg)
{
	char	**args;
	size_t	 n;
	int	 rc;

	if ((rc = ctl_upcheck(ctl)) != 1)
		return rc;
	args = ctl_split(arg, &n);
	if (n < 2) {
		ctl_output("Error: signal requires a signal name and a "
		    "process name");
		ctl_help_cmd("signal");
		ctl->exitstatus = CTL_EX_GENERIC;
		ctl_strv_free(args);
		return 0;
	}
	rc = proc_walk(ctl, &act_signal, args[0], args + 1);
	ctl_strv_free(args);
	return rc;
}
