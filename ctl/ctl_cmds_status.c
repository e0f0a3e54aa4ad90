/*
 * ctl_cmds_status.c: status and pid.
 */
#include <stdint.h>
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

/* The fields status uses, found in one pass over the struct. */
enum { ROW_GROUP, ROW_NAME, ROW_STATENAME, ROW_DESC, ROW_STATE, ROW_N };

struct status_row {
	const struct ctl_val *f[ROW_N];
};

/* Where each field was in the last struct scanned. The structs of one
 * answer have the same members in the same order, and their member names
 * are shared strings (ctl_xmlrpc.c): equal name pointers, same places. */
struct status_shape {
	const struct ctl_val *last;
	size_t		 at[ROW_N];	/* index, or SIZE_MAX: none */
};

static void
status_shape_scan(const struct ctl_val *info, struct status_shape *sh)
{
	static const char *const keys[ROW_N] = { "group", "name",
	    "statename", "description", "state" };
	size_t		 i, j;

	for (j = 0; j < ROW_N; j++)
		sh->at[j] = SIZE_MAX;
	for (i = 0; info->type == CTL_V_STRUCT && i < info->n; i++)
		for (j = 0; info->keys[i] != NULL && j < ROW_N; j++)
			/* the first of a name counts, as in ctl_val_get */
			if (sh->at[j] == SIZE_MAX &&
			    strcmp(info->keys[i], keys[j]) == 0) {
				sh->at[j] = i;
				break;
			}
	sh->last = info;
}

static void
status_row_get(const struct ctl_val *info, struct status_row *r,
    struct status_shape *sh)
{
	static const struct ctl_val none = { .type = CTL_V_STR, .s = "" };
	const struct ctl_val *l = sh->last;
	size_t		 j;

	if (l == NULL || info->type != CTL_V_STRUCT || l->n != info->n ||
	    (info->n > 0 && memcmp(l->keys, info->keys,
	    info->n * sizeof(*info->keys)) != 0))
		status_shape_scan(info, sh);
	sh->last = info;
	for (j = 0; j < ROW_N; j++) {
		r->f[j] = sh->at[j] != SIZE_MAX ? info->items[sh->at[j]] : NULL;
		if (j != ROW_STATE && (r->f[j] == NULL ||
		    r->f[j]->type != CTL_V_STR))
			r->f[j] = &none;
	}
}

/* ctl_val_int's reading of the state. */
static long long
status_row_state(const struct status_row *r)
{
	const struct ctl_val *v = r->f[ROW_STATE];

	return v != NULL && (v->type == CTL_V_INT || v->type == CTL_V_BOOL) ?
	    v->i : 0;
}

/* The namespec's length: "group" when name is the same, "group:name". */
static size_t
status_spec_len(const struct status_row *r)
{
	if (strcmp(r->f[ROW_GROUP]->s, r->f[ROW_NAME]->s) == 0)
		return r->f[ROW_GROUP]->slen;
	return r->f[ROW_GROUP]->slen + 1 + r->f[ROW_NAME]->slen;
}

static char *
status_put(char *o, const char *s, size_t n)
{
	memcpy(o, s, n);
	return o + n;
}

/* Pad to width with spaces, as printf's "%-*s" does. */
static char *
status_pad(char *o, size_t used, size_t width)
{
	if (used < width) {
		memset(o, ' ', width - used);
		o += width - used;
	}
	return o;
}

/* One line, as "%-*s%-10s%s\n" with width w + 3 would print it. */
static char *
status_line(char *o, const struct status_row *r, size_t w)
{
	const struct ctl_val *g = r->f[ROW_GROUP], *sn = r->f[ROW_STATENAME];
	size_t		 sl = status_spec_len(r);

	o = status_put(o, g->s, g->slen);
	if (sl != g->slen) {
		*o++ = ':';
		o = status_put(o, r->f[ROW_NAME]->s, r->f[ROW_NAME]->slen);
	}
	o = status_pad(o, sl, w + 3);
	o = status_put(o, sn->s, sn->slen);
	o = status_pad(o, sn->slen, 10);
	o = status_put(o, r->f[ROW_DESC]->s, r->f[ROW_DESC]->slen);
	*o++ = '\n';
	return o;
}

/* All lines go out in one write: 1,000 of them line by line were 1,000
 * writes on a terminal. True when a process is in a stopped state. */
static bool
status_show(const struct ctl_val **infos, size_t n)
{
	struct status_row *rows = xcalloc(n + 1, sizeof(*rows));
	struct status_shape sh = { NULL, { 0 } };
	size_t		 i, j, w = 30, sl, total = 0;
	char		*out, *o;
	bool		 stopped = false;

	for (i = 0; i < n; i++) {
		status_row_get(infos[i], &rows[i], &sh);
		if (status_is_stopped(status_row_state(&rows[i])))
			stopped = true;
		if ((sl = status_spec_len(&rows[i])) > w)
			w = sl;
	}
	for (i = 0; i < n; i++) {
		total += w + 3 + 10 + 2;
		for (j = 0; j < ROW_STATE; j++)
			total += rows[i].f[j]->slen;
	}
	o = out = xmalloc(total + 1);
	for (i = 0; i < n; i++)
		o = status_line(o, &rows[i], w);
	fwrite(out, 1, (size_t)(o - out), stdout);
	free(out);
	free(rows);
	return stopped;
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
	if (status_show(m, n))
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
