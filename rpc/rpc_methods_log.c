/*
 * rpc_methods_log.c: the log methods: readLog, readProcessStdoutLog and
 * readProcessStderrLog (offset/length as 4.2.5's readFile), the tail
 * methods (4.2.5's tailFile), and clearing logs through the logger.
 * Slices are returned as bytes; the encoder turns a split UTF-8 sequence
 * into U+FFFD instead of failing the request as 4.2.5 does.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "logger.h"
#include "pm.h"
#include "rpc_methods_int.h"

/* Up to len bytes of fd from off (len < 0: to the end). -1 on error. */
static int
rpc_log_pread(int fd, long long off, long long len, struct rpc_buf *b)
{
	char		 chunk[65536];
	ssize_t		 n;
	size_t		 want;

	while (len != 0) {
		want = sizeof(chunk);
		if (len > 0 && (long long)want > len)
			want = (size_t)len;
		if ((n = pread(fd, chunk, want, (off_t)off)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		rpc_buf_add(b, chunk, (size_t)n);
		off += n;
		if (len > 0)
			len -= n;
	}
	return 0;
}

/* 4.2.5's readFile: the slice as a string, or BAD_ARGUMENTS / FAILED. */
static int
rpc_log_read(const char *path, long long off, long long len,
    struct rpc_res *res)
{
	struct rpc_buf	 b = { NULL, 0, 0 };
	struct stat	 st;
	int		 fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		if (fd != -1)
			close(fd);
		return rpc_fault(res, RPC_FAULT_FAILED, NULL);
	}
	if ((off < 0 && len != 0) || (off >= 0 && len < 0)) {
		close(fd);
		return rpc_fault(res, RPC_FAULT_BAD_ARGUMENTS, NULL);
	}
	if (off < 0) {
		len = -off;
		off = st.st_size + off < 0 ? 0 : st.st_size + off;
	} else if (len == 0)
		len = -1;
	rc = rpc_log_pread(fd, off, len, &b);
	close(fd);
	if (rc == -1) {
		rpc_buf_free(&b);
		return rpc_fault(res, RPC_FAULT_FAILED, NULL);
	}
	rpc_ok(res, rpc_v_strn(b.p, b.len));
	rpc_buf_free(&b);
	return RPC_DONE;
}

static bool
rpc_log_exists(const char *path)
{
	struct stat	 st;

	return path != NULL && stat(path, &st) == 0;
}

int
rpc_m_read_main_log(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	const struct pm_config	*cfg = m->ops->config(m->arg);
	const char		*path = cfg != NULL ? cfg->sd.logfile : NULL;

	if (!rpc_log_exists(path))
		return rpc_fault(res, RPC_FAULT_NO_FILE, "%s",
		    path != NULL ? path : "None");
	return rpc_log_read(path, rpc_arg_int(params, 0),
	    rpc_arg_int(params, 1), res);
}

/* The running config of the process spec names, or NULL (BAD_NAME). */
static const struct pm_procconf *
rpc_log_proc(struct rpc_methods *m, const char *spec, struct rpc_res *res)
{
	struct pm_proc_info	 pi;
	char			*group, *name;
	enum pm_result		 r = PM_ERR_BAD_NAME;

	rpc_namespec_split(spec, &group, &name);
	if (name != NULL)
		r = pm_proc_get(m->pm, group, name, &pi);
	free(group);
	free(name);
	if (r != PM_OK) {
		rpc_fault(res, RPC_FAULT_BAD_NAME, "%s", spec);
		return NULL;
	}
	return pi.conf;
}

static int
rpc_read_proc_log(struct rpc_methods *m, const struct rpc_value *params,
    bool err, struct rpc_res *res)
{
	const struct pm_procconf *pc;
	const char		*path;

	if ((pc = rpc_log_proc(m, rpc_arg_str(params, 0), res)) == NULL)
		return RPC_DONE;
	path = err ? pc->err.path : pc->out.path;
	if (!rpc_log_exists(path))
		return rpc_fault(res, RPC_FAULT_NO_FILE, "%s",
		    path != NULL ? path : "None");
	return rpc_log_read(path, rpc_arg_int(params, 1),
	    rpc_arg_int(params, 2), res);
}

int
rpc_m_read_stdout_log(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	return rpc_read_proc_log(m, params, false, res);
}

int
rpc_m_read_stderr_log(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	return rpc_read_proc_log(m, params, true, res);
}

static struct rpc_value *
rpc_tail_result(const char *data, size_t len, long long off, bool overflow)
{
	struct rpc_value	*a = rpc_v_array();

	rpc_v_push(a, rpc_v_strn(data, len));
	rpc_v_push(a, rpc_v_int(off));
	rpc_v_push(a, rpc_v_bool(overflow));
	return a;
}

/* 4.2.5's tailFile, step for step (its arithmetic included). */
static struct rpc_value *
rpc_tail_file(const char *path, long long off, long long len)
{
	struct rpc_value	*v;
	struct rpc_buf		 b = { NULL, 0, 0 };
	struct stat		 st;
	long long		 sz;
	bool			 overflow = false;
	int			 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		if (fd != -1)
			close(fd);
		return rpc_tail_result("", 0, off, false);
	}
	sz = st.st_size;
	if (sz > off + len) {
		overflow = true;
		off = sz - 1;
	}
	if (off + len > sz) {
		if (off > sz - 1)
			len = 0;
		off = sz - len;
	}
	off = off < 0 ? 0 : off;
	len = len < 0 ? 0 : len;
	if (len > 0 && rpc_log_pread(fd, off, len, &b) == -1) {
		close(fd);
		rpc_buf_free(&b);
		return rpc_tail_result("", 0, off, false);
	}
	close(fd);
	v = rpc_tail_result(b.p != NULL ? b.p : "", b.len, sz, overflow);
	rpc_buf_free(&b);
	return v;
}

static int
rpc_tail_proc_log(struct rpc_methods *m, const struct rpc_value *params,
    bool err, struct rpc_res *res)
{
	const struct pm_procconf *pc;
	const char		*path;

	if ((pc = rpc_log_proc(m, rpc_arg_str(params, 0), res)) == NULL)
		return RPC_DONE;
	path = err ? pc->err.path : pc->out.path;
	if (!rpc_log_exists(path))
		return rpc_ok(res, rpc_tail_result("", 0, 0, false));
	return rpc_ok(res, rpc_tail_file(path, rpc_arg_int(params, 1),
	    rpc_arg_int(params, 2)));
}

int
rpc_m_tail_stdout_log(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	return rpc_tail_proc_log(m, params, false, res);
}

int
rpc_m_tail_stderr_log(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	return rpc_tail_proc_log(m, params, true, res);
}

/* ---- clearing ---- */

int
rpc_m_clear_main_log(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	if (m->logger == NULL)
		return rpc_fault(res, RPC_FAULT_NO_FILE, NULL);
	if (logger_clear_main(m->logger) == -1)
		return rpc_fault(res, errno == ENOENT ? RPC_FAULT_NO_FILE :
		    RPC_FAULT_FAILED, NULL);
	return rpc_ok(res, rpc_v_bool(true));
}

/* clearProcessLogs on a process known to exist. */
static int
rpc_clear_one(struct rpc_methods *m, const char *group, const char *name,
    const char *spec, struct rpc_res *res)
{
	if (m->logger == NULL || logger_clear_proc(m->logger, group,
	    name) == -1)
		return rpc_fault(res, RPC_FAULT_FAILED, "%s", spec);
	return rpc_ok(res, rpc_v_bool(true));
}

int
rpc_m_clear_proc_logs(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	const char		*spec = rpc_arg_str(params, 0);
	const struct pm_procconf *pc;

	if ((pc = rpc_log_proc(m, spec, res)) == NULL)
		return RPC_DONE;
	return rpc_clear_one(m, pc->group, pc->name, spec, res);
}

/* One entry per process, priority order, as 4.2.5 (no need to defer). */
int
rpc_m_clear_all_logs(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	struct pm_proc_info	*all;
	struct rpc_value	*a = rpc_v_array(), *st;
	struct rpc_res		 one;
	size_t			 i, n = pm_proc_count(m->pm);
	char			*spec;

	all = xcalloc(n + 1, sizeof(*all));
	n = pm_proc_list(m->pm, all, n);
	for (i = 0; i < n; i++) {
		if (strcmp(all[i].group, all[i].name) == 0)
			spec = xstrdup(all[i].name);
		else
			xasprintf(&spec, "%s:%s", all[i].group, all[i].name);
		rpc_clear_one(m, all[i].group, all[i].name, spec, &one);
		free(spec);
		st = rpc_v_struct();
		rpc_v_set(st, "name", rpc_v_str(all[i].name));
		rpc_v_set(st, "group", rpc_v_str(all[i].group));
		rpc_v_set(st, "status", rpc_v_int(one.code != 0 ? one.code :
		    RPC_FAULT_SUCCESS));
		rpc_v_set(st, "description", rpc_v_str(one.code != 0 ?
		    one.text : "OK"));
		rpc_v_push(a, st);
		rpc_res_clear(&one);
	}
	free(all);
	return rpc_ok(res, a);
}
