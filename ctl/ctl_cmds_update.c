/*
 * ctl_cmds_update.c: update: reloadConfig, then remove the groups that
 * went, restart (stop, remove, add) the changed ones and add the new
 * ones, optionally limited to the groups named.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "log.h"

static bool
update_in(const struct ctl_val *list, const char *name)
{
	size_t	 i;

	for (i = 0; list != NULL && i < list->n; i++)
		if (list->items[i]->type == CTL_V_STR &&
		    strcmp(list->items[i]->s, name) == 0)
			return true;
	return false;
}

/* Call method(gname); 0, or -1 raised. The result is dropped. */
static int
update_call(struct ctl *ctl, const char *method, const char *gname,
    struct ctl_val **keep)
{
	struct ctl_val	*v;
	struct ctl_err	 e;

	if (ctl_call(ctl, &v, &e, method, "s", gname) != 0)
		return ctl_raise(ctl, &e);
	if (keep != NULL)
		*keep = v;
	else
		ctl_val_free(v);
	return 0;
}

/* Every name given must be a known or an added group. */
static int
update_check_names(struct ctl *ctl, char **names, const struct ctl_val *added)
{
	struct ctl_val	*all;
	struct ctl_err	 e;
	size_t		 i;
	bool		 found;

	if (ctl_call(ctl, &all, &e, "supervisor.getAllProcessInfo", "") != 0)
		return ctl_raise(ctl, &e);
	for (; *names != NULL; names++) {
		found = update_in(added, *names);
		for (i = 0; i < all->n && !found; i++)
			found = strcmp(ctl_val_str(all->items[i], "group"),
			    *names) == 0;
		if (!found) {
			ctl_output("ERROR: no such group: %s", *names);
			ctl->exitstatus = CTL_EX_GENERIC;
		}
	}
	ctl_val_free(all);
	return 0;
}

static int
update_removed(struct ctl *ctl, const char *g)
{
	struct ctl_val	*r = NULL;
	size_t		 i;
	bool		 failed = false;

	if (update_call(ctl, "supervisor.stopProcessGroup", g, &r) != 0)
		return -1;
	ctl_output("%s: stopped", g);
	for (i = 0; r != NULL && i < r->n; i++)
		if (ctl_val_int(r->items[i], "status") == CTL_F_FAILED)
			failed = true;
	ctl_val_free(r);
	if (failed) {
		ctl_output("%s: has problems; not removing", g);
		ctl->exitstatus = CTL_EX_GENERIC;
		return 0;
	}
	if (update_call(ctl, "supervisor.removeProcessGroup", g, NULL) != 0)
		return -1;
	ctl_output("%s: removed process group", g);
	return 0;
}

static int
update_changed(struct ctl *ctl, const char *g)
{
	if (update_call(ctl, "supervisor.stopProcessGroup", g, NULL) != 0)
		return -1;
	ctl_output("%s: stopped", g);
	if (update_call(ctl, "supervisor.removeProcessGroup", g, NULL) != 0 ||
	    update_call(ctl, "supervisor.addProcessGroup", g, NULL) != 0)
		return -1;
	ctl_output("%s: updated process group", g);
	return 0;
}

static int
update_added(struct ctl *ctl, const char *g)
{
	if (update_call(ctl, "supervisor.addProcessGroup", g, NULL) != 0)
		return -1;
	ctl_output("%s: added process group", g);
	return 0;
}

static int
update_apply(struct ctl *ctl, const struct ctl_val *acr, char **names)
{
	int		(*fn[3])(struct ctl *, const char *) = {
			    update_added, update_changed, update_removed };
	static const int order[3] = { 2, 1, 0 };
	const struct ctl_val *l;
	size_t		 k, i;

	for (k = 0; k < 3; k++) {
		if (order[k] >= (int)acr->n)
			continue;
		l = acr->items[order[k]];
		for (i = 0; i < l->n; i++) {
			if (l->items[i]->type != CTL_V_STR ||
			    (names[0] != NULL &&
			    !ctl_strv_has(names, l->items[i]->s)))
				continue;
			if (fn[order[k]](ctl, l->items[i]->s) != 0)
				return -1;
		}
	}
	return 0;
}

int
ctl_cmd_update(struct ctl *ctl, const char *arg)
{
	struct ctl_val	*v;
	struct ctl_err	 e;
	const struct ctl_val *acr;
	char		**names;
	int		 rc = 0;

	if (ctl_call(ctl, &v, &e, "supervisor.reloadConfig", "") != 0) {
		ctl->exitstatus = CTL_EX_GENERIC;
		if (e.kind == CTL_E_FAULT && e.code == CTL_F_SHUTDOWN_STATE) {
			ctl_output("ERROR: already shutting down");
			return 0;
		}
		return ctl_raise(ctl, &e);
	}
	acr = v->type == CTL_V_ARRAY && v->n > 0 ? v->items[0] : NULL;
	names = ctl_split(arg, NULL);
	if (ctl_strv_has(names, "all")) {
		ctl_strv_free(names);
		names = ctl_split("", NULL);
	}
	if (acr != NULL && names[0] != NULL)
		rc = update_check_names(ctl, names,
		    acr->n > 0 ? acr->items[0] : NULL);
	if (acr != NULL && rc == 0)
		rc = update_apply(ctl, acr, names);
	ctl_strv_free(names);
	ctl_val_free(v);
	return rc;
}
