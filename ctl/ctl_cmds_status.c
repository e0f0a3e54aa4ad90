/*
 * ctl_cmds_status.c: status and pid.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "log.h"

/* Supervisor's STOPPED_STATES: STOPPED, EXITED, FATAL, UNKNOWN. */
static bool
status_is_stopped(long long state)
{
	return state == 0 || state == 100 || state == 200 || state == 1000;
}

static void
status_show(const struct ctl_val **infos, size_t n)
{
	char	**specs = xcalloc(n + 1, sizeof(*specs));
	size_t	 i, w = 30;

	for (i = 0; i < n; i++) {
		specs[i] = ctl_namespec(ctl_val_str(infos[i], "group"),
		    ctl_val_str(infos[i], "name"));
		if (strlen(specs[i]) > w)
			w = strlen(specs[i]);
	}
	for (i = 0; i < n; i++)
		ctl_output("%-*s%-10s%s", (int)w + 3, specs[i],
		    ctl_val_str(infos[i], "statename"),
		    ctl_val_str(infos[i], "description"));
	ctl_strv_free(specs);
}

/* Append the infos that name (a namespec) matches; false if none. */
static bool
status_match(const struct ctl_val *all, const char *name,
    const struct ctl_val ***out, size_t *n)
{
	char	*g, *p;
	size_t	 i;
	bool	 found = false;

	ctl_split_namespec(name, &g, &p);
	for (i = 0; i < all->n; i++) {
		if (strcmp(ctl_val_str(all->items[i], "group"), g) != 0)
			continue;
		if (p != NULL && strcmp(ctl_val_str(all->items[i], "name"),
		    p) != 0)
			continue;
		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		(*out)[(*n)++] = all->items[i];
		found = true;
	}
	if (!found && p == NULL)
		ctl_output("%s: ERROR (no such group)", g);
	else if (!found)
		ctl_output("%s: ERROR (no such process)", name);
	free(g);
	free(p);
	return found;
}

int
ctl_cmd_status(struct ctl *ctl, const char *arg)
{
	struct ctl_val	*all;
	struct ctl_err	 e;
	const struct ctl_val **m = NULL;
	char		**names;
	size_t		 n = 0, i, nn;
	int		 up;

	if ((up = ctl_upcheck(ctl)) != 1) {
		if (up == 0)
			ctl->exitstatus = CTL_EX_STATUS_UNKNOWN;
		return up;
	}
	if (ctl_call(ctl, &all, &e, "supervisor.getAllProcessInfo", "") != 0)
		return ctl_raise(ctl, &e);
	names = ctl_split(arg, &nn);
	if (nn == 0 || ctl_strv_has(names, "all")) {
		m = xcalloc(all->n + 1, sizeof(*m));
		for (n = 0; n < all->n; n++)
			m[n] = all->items[n];
	} else
		for (i = 0; i < nn; i++)
			if (!status_match(all, names[i], &m, &n))
				ctl->exitstatus = CTL_EX_STATUS_UNKNOWN;
	status_show(m, n);
	for (i = 0; i < n; i++)
		if (status_is_stopped(ctl_val_int(m[i], "state")))
			ctl->exitstatus = CTL_EX_STATUS_NOT_RUNNING;
	free(m);
	ctl_strv_free(names);
	ctl_val_free(all);
	return 0;
}

static int
pid_one(struct ctl *ctl, const char *name)
{
	struct ctl_val	*v;
	struct ctl_err	 e;
	long long	 pid;

	if (ctl_call(ctl, &v, &e, "supervisor.getProcessInfo", "s",
	    name) != 0) {
		ctl->exitstatus = CTL_EX_GENERIC;
		if (e.kind == CTL_E_FAULT && e.code == CTL_F_BAD_NAME) {
			ctl_output("No such process %s", name);
			return 0;
		}
		return ctl_raise(ctl, &e);
	}
	pid = ctl_val_int(v, "pid");
	ctl_output("%lld", pid);
	if (pid == 0)
		ctl->exitstatus = CTL_EX_NOT_RUNNING;
	ctl_val_free(v);
	return 0;
}

int
ctl_cmd_pid(struct ctl *ctl, const char *arg)
{
	struct ctl_val	*v;
	struct ctl_err	 e;
	char		**names;
	size_t		 i, n;
	int		 rc = 0, up;

	if ((up = ctl_upcheck(ctl)) != 1)
		return up;
	names = ctl_split(arg, &n);
	if (n == 0 || ctl_strv_has(names, "all")) {
		if (ctl_call(ctl, &v, &e, n == 0 ? "supervisor.getPID" :
		    "supervisor.getAllProcessInfo", "") != 0) {
			ctl_strv_free(names);
			return ctl_raise(ctl, &e);
		}
		if (n == 0)
			ctl_output("%lld", v->i);
		for (i = 0; n > 0 && i < v->n; i++)
			ctl_output("%lld", ctl_val_int(v->items[i], "pid"));
		ctl_val_free(v);
	} else
		for (i = 0; i < n && rc == 0; i++)
			rc = pid_one(ctl, names[i]);
	ctl_strv_free(names);
	return rc;
}
