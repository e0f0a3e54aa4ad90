/*
 * ctl_cmds_fg.c: fg streams a process's stdout and stderr and sends each
 * line typed to its stdin, until Ctrl-C, EOF or the process ends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "log.h"

#define FG_RUNNING	20

/* str() of a Fault, as 4.2.5 prints it after "ERROR: ". */
static void
fg_fault_line(const struct ctl_err *e)
{
	ctl_output("ERROR: <Fault %d: '%s'>", e->code, e->msg);
}

/* A line typed: send it; 3 to leave, 4 when an error was raised. */
static int
fg_line(struct ctl *ctl, const char *line, void *arg)
{
	const char	*name = arg;
	struct ctl_val	*v;
	struct ctl_err	 e;
	char		*s;
	int		 rc;

	xasprintf(&s, "%s\n", line);
	rc = ctl_call(ctl, &v, &e, "supervisor.sendProcessStdin", "ss", name,
	    s);
	free(s);
	ctl_val_free(v);
	if (rc != 0 && e.kind == CTL_E_FAULT) {
		if (e.code == CTL_F_NOT_RUNNING)
			ctl_output("Process got killed");
		else
			fg_fault_line(&e);
		ctl_output("Exiting foreground");
		return 3;
	}
	if (rc != 0 || ctl_call(ctl, &v, &e, "supervisor.getProcessInfo",
	    "s", name) != 0) {
		ctl_raise(ctl, &e);
		return 4;
	}
	rc = ctl_val_int(v, "state") != FG_RUNNING;
	ctl_val_free(v);
	if (rc) {
		ctl_output("Process got killed");
		ctl_output("Exiting foreground");
		return 3;
	}
	fflush(stdout);
	return 0;
}

/* Check the name and state; 1 when fg may go on. */
static int
fg_check(struct ctl *ctl, const char *name)
{
	struct ctl_val	*v;
	struct ctl_err	 e;
	long long	 state;

	if (ctl_call(ctl, &v, &e, "supervisor.getProcessInfo", "s",
	    name) != 0) {
		if (e.kind != CTL_E_FAULT)
			return ctl_raise(ctl, &e);
		if (e.code == CTL_F_BAD_NAME) {
			ctl_output("ERROR: bad process name supplied");
			ctl->exitstatus = CTL_EX_GENERIC;
		} else
			fg_fault_line(&e);
		return 0;
	}
	state = ctl_val_int(v, "state");
	ctl_val_free(v);
	if (state != FG_RUNNING) {
		ctl_output("ERROR: process not running");
		ctl->exitstatus = CTL_EX_GENERIC;
		return 0;
	}
	return 1;
}

int
ctl_cmd_fg(struct ctl *ctl, const char *arg)
{
	char	**names, *paths[2];
	size_t	 n;
	int	 rc;

	if ((rc = ctl_upcheck(ctl)) != 1)
		return rc;
	names = ctl_split(arg, &n);
	if (n != 1) {
		ctl_output(n == 0 ? "ERROR: no process name supplied" :
		    "ERROR: too many process names supplied");
		ctl->exitstatus = CTL_EX_GENERIC;
		if (n == 0)
			ctl_help_cmd("fg");
		ctl_strv_free(names);
		return 0;
	}
	if ((rc = fg_check(ctl, names[0])) != 1) {
		ctl_strv_free(names);
		return rc;
	}
	ctl_output("==> Press Ctrl-C to exit <==");
	fflush(stdout);
	xasprintf(&paths[0], "/logtail/%s/stdout", names[0]);
	xasprintf(&paths[1], "/logtail/%s/stderr", names[0]);
	ctl_sigint = 0;
	ctl_sigint_catch = 1;
	rc = ctl_http_follow(ctl, (const char **)paths, 2, &ctl_sigint,
	    fg_line, names[0]);
	ctl_sigint = 0;
	ctl_sigint_catch = 0;
	free(paths[0]);
	free(paths[1]);
	ctl_strv_free(names);
	if (rc == 4)
		return -1;
	if (rc != 3)
		ctl_output("Exiting foreground");
	return 0;
}
