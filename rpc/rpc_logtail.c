/*
 * rpc_logtail.c: /logtail and /mainlogtail. A tail starts with the last
 * RPC_LOGTAIL_HEAD bytes of the file and then follows it forever: a new
 * inode at the path (rotation) is reopened and sent from its start, a
 * file that shrank sends "==> File truncated <==" and goes on from 0.
 *
 * Following uses an ev_stat watcher on the path: libev backs it with
 * inotify on Linux, so a client waiting on an idle log costs nothing, and
 * the 1 s polling interval is only the fallback where inotify cannot see
 * the file (network file systems). The bus's PROCESS_LOG events would not
 * do: they carry no word of the main log, nor of rotation.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "log.h"
#include "pm.h"
#include "rpc_http_int.h"

#define RPC_TAIL_POLL		1.0
#define RPC_TAIL_TRUNCATED	"==> File truncated <==\n"

/* One followed file; owner: the request that streams it. */
struct rpc_tail {
	struct ev_loop	*loop;
	char		*path;
	int		 fd;
	ino_t		 ino;
	off_t		 sent;		/* file offset sent up to */
	ev_stat		 st;
	rpc_tail_wake	*wake;
	void		*arg;
};

static int
rpc_tail_reopen(struct rpc_tail *t)
{
	struct stat	 sb;
	int		 fd;

	if ((fd = open(t->path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &sb) == -1) {
		close(fd);
		return -1;
	}
	if (t->fd != -1)
		close(t->fd);
	t->fd = fd;
	t->ino = sb.st_ino;
	t->sent = 0;
	return 0;
}

static void
rpc_tail_stat_cb(struct ev_loop *loop, ev_stat *w, int revents)
{
	struct rpc_tail *t = w->data;

	t->wake(t->arg);
}

struct rpc_tail *
rpc_tail_open(struct ev_loop *loop, const char *path, rpc_tail_wake *wake,
    void *arg)
{
	struct rpc_tail *t;
	struct stat	 sb;

	t = xcalloc(1, sizeof(*t));
	t->loop = loop;
	t->fd = -1;
	t->path = xstrdup(path);
	t->wake = wake;
	t->arg = arg;
	if (rpc_tail_reopen(t) == -1 || fstat(t->fd, &sb) == -1) {
		rpc_tail_close(t);
		return NULL;
	}
	if (sb.st_size >= RPC_LOGTAIL_HEAD)
		t->sent = sb.st_size - RPC_LOGTAIL_HEAD;
	ev_stat_init(&t->st, rpc_tail_stat_cb, t->path, RPC_TAIL_POLL);
	t->st.data = t;
	ev_stat_start(loop, &t->st);
	return t;
}

size_t
rpc_tail_read(struct rpc_tail *t, char *buf, size_t max)
{
	struct stat	 sb;
	ssize_t		 n;
	off_t		 avail;

	/* A new file at the path: rotation. A vanished one: keep ours. */
	if (stat(t->path, &sb) == 0 && sb.st_ino != t->ino)
		rpc_tail_reopen(t);
	if (fstat(t->fd, &sb) == -1)
		return 0;
	if (sb.st_size < t->sent) {
		if (max < sizeof(RPC_TAIL_TRUNCATED) - 1)
			return 0;
		t->sent = 0;
		memcpy(buf, RPC_TAIL_TRUNCATED, sizeof(RPC_TAIL_TRUNCATED) - 1);
		return sizeof(RPC_TAIL_TRUNCATED) - 1;
	}
	avail = sb.st_size - t->sent;
	if (avail <= 0)
		return 0;
	if ((size_t)avail < max)
		max = avail;
	if ((n = pread(t->fd, buf, max, t->sent)) <= 0)
		return 0;
	t->sent += n;
	return n;
}

void
rpc_tail_close(struct rpc_tail *t)
{
	if (t == NULL)
		return;
	if (ev_is_active(&t->st))
		ev_stat_stop(t->loop, &t->st);
	if (t->fd != -1)
		close(t->fd);
	free(t->path);
	free(t);
}

/* A path that names an existing file, or NULL: 4.2.5 answers 404 for a
 * log not yet written as for one not configured. */
static const char *
rpc_logtail_exists(const char *path)
{
	if (path == NULL || access(path, F_OK) == -1)
		return NULL;
	return path;
}

/*
 * Split "group:name" or "name" (of length len) as 4.2.5's split_namespec
 * does: a bare name is its own group. -1 when a part is too long.
 */
static int
rpc_logtail_namespec(const char *spec, size_t len, char *group, char *name,
    size_t size)
{
	const char *colon = memchr(spec, ':', len);
	size_t	 glen = colon != NULL ? (size_t)(colon - spec) : len;
	size_t	 nlen = colon != NULL ? len - glen - 1 : len;

	if (glen >= size || nlen >= size)
		return -1;
	memcpy(group, spec, glen);
	group[glen] = '\0';
	memcpy(name, colon != NULL ? colon + 1 : spec, nlen);
	name[nlen] = '\0';
	return 0;
}

/* /logtail/<group:name or name>[/stdout|/stderr] */
const char *
rpc_logtail_path(struct rpc *rpc, const char *url)
{
	const struct pm_groupconf *g;
	const struct pm_procconf *pc;
	const char *spec, *chan;
	char	 group[256], name[256];
	size_t	 i, speclen;

	while (*url == '/')
		url++;
	if ((spec = strchr(url, '/')) == NULL)
		return NULL;
	spec++;
	if ((chan = strchr(spec, '/')) != NULL)
		speclen = chan++ - spec;
	else {
		speclen = strlen(spec);
		chan = "stdout";
	}
	if (rpc_logtail_namespec(spec, speclen, group, name,
	    sizeof(name)) == -1 || (g = pm_group_conf(rpc->pm, group)) == NULL)
		return NULL;
	for (i = 0; i < g->nprocs; i++) {
		pc = &g->procs[i];
		if (strcmp(pc->name, name) != 0)
			continue;
		if (strcmp(chan, "stdout") == 0)
			return rpc_logtail_exists(pc->out.path);
		if (strcmp(chan, "stderr") == 0)
			return rpc_logtail_exists(pc->err.path);
		return NULL;
	}
	return NULL;
}

const char *
rpc_mainlogtail_path(struct rpc *rpc)
{
	const struct pm_config *cfg = rpc->ops->config(rpc->arg);

	if (cfg == NULL)
		return NULL;
	return rpc_logtail_exists(cfg->sd.logfile);
}
