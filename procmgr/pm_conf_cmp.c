/*
 * pm_conf_cmp.c: whether two group configs are the same, for
 * reloadConfig's "changed" list. Every field that the config file sets is
 * compared; the file names that AUTO logs got when a group was added are
 * not, since a fresh parse has none yet.
 */
#include "config.h"

#include <string.h>

#include "pm.h"

static bool
pm_cmp_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool
pm_cmp_strv(char *const *a, char *const *b)
{
	size_t	 i;

	if (a == NULL || b == NULL)
		return a == b;
	for (i = 0; a[i] != NULL && b[i] != NULL; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return a[i] == NULL && b[i] == NULL;
}

static bool
pm_cmp_log(const struct pm_logconf *a, const struct pm_logconf *b)
{
	if (a->is_auto != b->is_auto)
		return false;
	if (!a->is_auto && !pm_cmp_str(a->path, b->path))
		return false;
	return a->syslog == b->syslog && a->maxbytes == b->maxbytes &&
	    a->backups == b->backups &&
	    a->capture_maxbytes == b->capture_maxbytes &&
	    a->events_enabled == b->events_enabled;
}

static bool
pm_cmp_proc(const struct pm_procconf *a, const struct pm_procconf *b)
{
	return pm_cmp_str(a->name, b->name) &&
	    pm_cmp_str(a->group, b->group) &&
	    pm_cmp_str(a->section, b->section) &&
	    a->process_num == b->process_num &&
	    pm_cmp_str(a->command, b->command) &&
	    pm_cmp_str(a->directory, b->directory) &&
	    a->umask == b->umask && pm_cmp_str(a->user, b->user) &&
	    a->uid == b->uid && a->gid == b->gid &&
	    a->priority == b->priority && a->autostart == b->autostart &&
	    a->startsecs == b->startsecs &&
	    a->startretries == b->startretries &&
	    a->autorestart == b->autorestart &&
	    memcmp(a->exitcodes, b->exitcodes, sizeof(a->exitcodes)) == 0 &&
	    a->stopsignal == b->stopsignal &&
	    a->stopwaitsecs == b->stopwaitsecs &&
	    a->stopasgroup == b->stopasgroup &&
	    a->killasgroup == b->killasgroup &&
	    a->redirect_stderr == b->redirect_stderr &&
	    pm_cmp_log(&a->out, &b->out) && pm_cmp_log(&a->err, &b->err) &&
	    pm_cmp_strv(a->environment, b->environment) &&
	    pm_cmp_str(a->serverurl, b->serverurl);
}

static bool
pm_cmp_sock(const struct pm_fcgisock *a, const struct pm_fcgisock *b)
{
	return pm_cmp_str(a->url, b->url) && a->is_unix == b->is_unix &&
	    pm_cmp_str(a->path, b->path) && pm_cmp_str(a->host, b->host) &&
	    a->port == b->port && a->backlog == b->backlog &&
	    a->mode == b->mode && a->has_owner == b->has_owner &&
	    a->owner_uid == b->owner_uid && a->owner_gid == b->owner_gid;
}

bool
pm_groupconf_equal(const struct pm_groupconf *a, const struct pm_groupconf *b)
{
	size_t	 i;

	if (!pm_cmp_str(a->name, b->name) || a->priority != b->priority ||
	    a->type != b->type || a->nprocs != b->nprocs)
		return false;
	for (i = 0; i < a->nprocs; i++)
		if (!pm_cmp_proc(&a->procs[i], &b->procs[i]))
			return false;
	if (a->type == PM_GROUP_LISTENER && (!pm_cmp_strv(a->events,
	    b->events) || a->buffer_size != b->buffer_size))
		return false;
	return a->type != PM_GROUP_FCGI || pm_cmp_sock(&a->socket, &b->socket);
}
