/*
 * pm_spawn.c: turning a process config into a running child. Everything
 * that allocates happens before fork(); between fork() and execve() the
 * child only makes async-signal-safe calls.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef HAVE_VALGRIND_VALGRIND_H
#include <valgrind/valgrind.h>
#endif

#include "log.h"
#include "pm_int.h"

extern char **environ;

/* ---- shell-like splitting (POSIX shlex, whitespace_split) ---- */

struct pm_words {
	char	**v;		/* owner: caller, pm_argv_free */
	size_t	  n;
	char	 *w;		/* word being built */
	size_t	  wlen;
	bool	  inword;
};

static void
pm_words_ch(struct pm_words *ws, char c)
{
	ws->w[ws->wlen++] = c;
	ws->inword = true;
}

static void
pm_words_end(struct pm_words *ws)
{
	if (!ws->inword)
		return;
	ws->v = xreallocarray(ws->v, ws->n + 2, sizeof(*ws->v));
	ws->v[ws->n++] = xstrndup(ws->w, ws->wlen);
	ws->v[ws->n] = NULL;
	ws->wlen = 0;
	ws->inword = false;
}

/* Split s as Python's shlex.split does; 0, or -1 with err. */
int
pm_shlex_split(const char *s, char ***argvp, char *err, size_t errlen)
{
	struct pm_words	 ws = { NULL, 0, NULL, 0, false };
	char		 q = 0;

	ws.w = xmalloc(strlen(s) + 1);
	ws.v = xcalloc(1, sizeof(*ws.v));
	for (; *s != '\0'; s++) {
		if (q == '\'') {
			if (*s == '\'')
				q = 0;
			else
				pm_words_ch(&ws, *s);
		} else if (q == '"') {
			if (*s == '"')
				q = 0;
			else if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
				pm_words_ch(&ws, *++s);
			else if (*s == '\\' && s[1] == '\0') {
				snprintf(err, errlen, "No escaped character");
				goto fail;
			}
			else
				pm_words_ch(&ws, *s);
		} else if (*s == '\\') {
			if (s[1] == '\0') {
				snprintf(err, errlen, "No escaped character");
				goto fail;
			}
			pm_words_ch(&ws, *++s);
		} else if (*s == '\'' || *s == '"') {
			q = *s;
			ws.inword = true;
		} else if (strchr(" \t\r\n", *s) != NULL)
			pm_words_end(&ws);
		else
			pm_words_ch(&ws, *s);
	}
	if (q != 0) {
		snprintf(err, errlen, "No closing quotation");
		goto fail;
	}
	pm_words_end(&ws);
	free(ws.w);
	*argvp = ws.v;
	return 0;
fail:
	free(ws.w);
	pm_argv_free(ws.v);
	return -1;
}

/* Python's repr() of a str, as 4.2.5's messages use %r. */
static void
pm_repr(const char *s, char *out, size_t outlen)
{
	char	 q = '\'', *o = out, *end = out + outlen - 8;
	unsigned char c;

	if (strchr(s, '\'') != NULL && strchr(s, '"') == NULL)
		q = '"';
	*o++ = q;
	for (; *s != '\0' && o < end; s++) {
		c = (unsigned char)*s;
		if (c == '\\' || c == (unsigned char)q)
			o += sprintf(o, "\\%c", c);
		else if (c == '\n')
			o += sprintf(o, "\\n");
		else if (c == '\t')
			o += sprintf(o, "\\t");
		else if (c == '\r')
			o += sprintf(o, "\\r");
		else if (c < 0x20 || c == 0x7f)
			o += sprintf(o, "\\x%02x", c);
		else
			*o++ = (char)c;
	}
	*o++ = q;
	*o = '\0';
}

/* ---- resolving the program ---- */

static const char *
pm_env_lookup(char *const *env, const char *key)
{
	size_t	 klen = strlen(key);

	for (; env != NULL && *env != NULL; env++)
		if (strncmp(*env, key, klen) == 0 && (*env)[klen] == '=')
			return *env + klen + 1;
	return NULL;
}

/* The PATH to search: program environment, ours, or a default. */
static const char *
pm_spawn_path(const struct pm_procconf *c)
{
	const char	*path;

	if ((path = pm_env_lookup(c->environment, "PATH")) != NULL)
		return path;
	if ((path = getenv("PATH")) != NULL && *path != '\0')
		return path;
	return "/bin:/usr/bin:/usr/local/bin";
}

/* The file to exec (malloc'd) and whether stat() found it. */
static char *
pm_spawn_resolve(const struct pm_procconf *c, const char *prog,
    struct stat *st, bool *found)
{
	const char	*dir, *path, *colon;
	char		*file;
	size_t		 dlen;

	*found = false;
	if (strchr(prog, '/') != NULL) {
		*found = stat(prog, st) == 0;
		return xstrdup(prog);
	}
	path = pm_spawn_path(c);
	for (dir = path;; dir = colon + 1) {
		colon = strchr(dir, ':');
		dlen = colon != NULL ? (size_t)(colon - dir) : strlen(dir);
		xasprintf(&file, "%.*s%s%s", (int)dlen, dir,
		    dlen > 0 && dir[dlen - 1] != '/' ? "/" : "", prog);
		if (stat(file, st) == 0) {
			*found = true;
			return file;
		}
		free(file);
		if (colon == NULL)
			break;
	}
	return xstrdup(prog);
}

/*
 * Parse and resolve p's command: 0 with *filep and *argvp, or an error
 * code with 4.2.5's spawnerr text in err.
 */
static enum pm_result
pm_spawn_args(struct pm_proc *p, char **filep, char ***argvp, char *err,
    size_t errlen)
{
	struct stat	 st;
	char		 why[128], r[1024], *file;
	char		**argv;
	bool		 found;

	pm_repr(p->conf->command != NULL ? p->conf->command : "", r,
	    sizeof(r));
	if (pm_shlex_split(p->conf->command != NULL ? p->conf->command : "",
	    &argv, why, sizeof(why)) == -1) {
		snprintf(err, errlen, "can't parse command %s: %s", r, why);
		return PM_ERR_NOT_EXECUTABLE;
	}
	if (argv[0] == NULL) {
		pm_argv_free(argv);
		snprintf(err, errlen, "command is empty");
		return PM_ERR_NOT_EXECUTABLE;
	}
	file = pm_spawn_resolve(p->conf, argv[0], &st, &found);
	pm_repr(file, r, sizeof(r));
	if (!found) {
		snprintf(err, errlen, "can't find command %s", r);
		goto bad;
	}
	if (S_ISDIR(st.st_mode))
		snprintf(err, errlen, "command at %s is a directory", r);
	else if ((st.st_mode & 0111) == 0)
		snprintf(err, errlen, "command at %s is not executable", r);
	else if (access(file, X_OK) == -1)
		snprintf(err, errlen, "no permission to run command %s", r);
	else {
		*filep = file;
		*argvp = argv;
		return PM_OK;
	}
bad:
	free(file);
	pm_argv_free(argv);
	return found ? PM_ERR_NOT_EXECUTABLE : PM_ERR_NO_FILE;
}

enum pm_result
pm_spawn_check(struct pm_proc *p, char *err, size_t errlen)
{
	char		*file, **argv;
	enum pm_result	 r;

	if ((r = pm_spawn_args(p, &file, &argv, err, errlen)) != PM_OK)
		return r;
	free(file);
	pm_argv_free(argv);
	return PM_OK;
}

/* ---- the child's environment ---- */

struct pm_env {
	char	**v;		/* "K=V", NULL-terminated; owner: spawn */
	size_t	  n;
};

static void
pm_env_set(struct pm_env *e, const char *kv)
{
	const char	*eq = strchr(kv, '=');
	size_t		 klen, i;

	if (eq == NULL)
		return;
	klen = eq - kv + 1;
	for (i = 0; i < e->n; i++)
		if (strncmp(e->v[i], kv, klen) == 0) {
			free(e->v[i]);
			e->v[i] = xstrdup(kv);
			return;
		}
	e->v = xreallocarray(e->v, e->n + 2, sizeof(*e->v));
	e->v[e->n++] = xstrdup(kv);
	e->v[e->n] = NULL;
}

static void
pm_env_setv(struct pm_env *e, char *const *v)
{
	for (; v != NULL && *v != NULL; v++)
		pm_env_set(e, *v);
}

/* SUPERVISOR_SERVER_URL: the program's, else our first http server. */
static char *
pm_env_serverurl(struct pm_proc *p)
{
	const struct pm_config	*cfg = p->pm->cfg;
	const struct pm_httpconf *h;
	char			*url = NULL;
	size_t			 i;

	if (p->conf->serverurl != NULL)
		return xstrdup(p->conf->serverurl);
	for (i = 0; cfg != NULL && i < cfg->nhttp && url == NULL; i++)
		if (cfg->http[i].is_unix && cfg->http[i].file != NULL)
			xasprintf(&url, "unix://%s", cfg->http[i].file);
	for (i = 0; cfg != NULL && i < cfg->nhttp && url == NULL; i++) {
		h = &cfg->http[i];
		if (!h->is_unix)
			xasprintf(&url, "http://%s:%d",
			    h->host != NULL && *h->host ? h->host :
			    "localhost", h->port);
	}
	return url;
}

static char **
pm_env_build(struct pm_proc *p)
{
	struct pm_env	 e = { NULL, 0 };
	char		*kv, *url;

	e.v = xcalloc(1, sizeof(*e.v));
	pm_env_setv(&e, environ);
	pm_env_set(&e, "SUPERVISOR_ENABLED=1");
	if ((url = pm_env_serverurl(p)) != NULL) {
		xasprintf(&kv, "SUPERVISOR_SERVER_URL=%s", url);
		pm_env_set(&e, kv);
		free(kv);
		free(url);
	}
	xasprintf(&kv, "SUPERVISOR_PROCESS_NAME=%s", p->conf->name);
	pm_env_set(&e, kv);
	free(kv);
	xasprintf(&kv, "SUPERVISOR_GROUP_NAME=%s", p->group->conf.name);
	pm_env_set(&e, kv);
	free(kv);
	if (p->pm->cfg != NULL)
		pm_env_setv(&e, p->pm->cfg->sd.environment);
	pm_env_setv(&e, p->conf->environment);
	return e.v;
}

/* ---- errno names (async-signal-safe lookup) ---- */

static const struct {
	int		 code;
	const char	*name;
} pm_errnames[] = {
#define E(x)	{ x, #x }
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO),
	E(E2BIG), E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM),
	E(EACCES), E(EFAULT), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV),
	E(ENOTDIR), E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ETXTBSY),
	E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK), E(EPIPE),
	E(ENAMETOOLONG), E(ELOOP), E(ENOSYS), E(ELIBBAD),
#undef E
};

/* Write the decimal value of n into buf (at least 12 bytes). */
static char *
pm_utoa(long n, char *buf)
{
	char	 tmp[24];
	size_t	 i = 0, j = 0;
	bool	 neg = n < 0;

	if (neg)
		n = -n;
	do
		tmp[i++] = '0' + n % 10;
	while ((n /= 10) > 0);
	if (neg)
		buf[j++] = '-';
	while (i > 0)
		buf[j++] = tmp[--i];
	buf[j] = '\0';
	return buf;
}

static const char *
pm_errname(int code, char *buf)
{
	size_t	 i;

	for (i = 0; i < sizeof(pm_errnames) / sizeof(pm_errnames[0]); i++)
		if (pm_errnames[i].code == code)
			return pm_errnames[i].name;
	return pm_utoa(code, buf);
}

/* ---- fork and exec ---- */

#define PM_PIPE_SIZE	(256 * 1024)

/* Everything the child needs, made before fork(). Owner: pm_spawn_fork. */
struct pm_prep {
	char		*file;
	char		**argv;
	char		**envp;
	int		 in[2], out[2], err[2];
	int		 sockfd;		/* fcgi: becomes fd 0 */
	bool		 douid;
	uid_t		 uid;
	gid_t		 gid;
	gid_t		*groups;
	int		 ngroups;
	char		*uidmsg;		/* fixed setuid failure, or NULL */
	char		*uidpfx;		/* "supervisor: couldn't setuid to N: " */
	char		*cdpfx;			/* "supervisor: couldn't chdir to D: " */
	char		*execpfx;		/* "supervisor: couldn't exec A: " */
	const char	*dir;
	int		 umask;
	int		 maxfd;
};

static void
pm_child_write(const char *a, const char *b, const char *c)
{
	struct iovec	 iov[3];
	int		 n = 0;

	iov[n].iov_base = (void *)a, iov[n++].iov_len = strlen(a);
	if (b != NULL)
		iov[n].iov_base = (void *)b, iov[n++].iov_len = strlen(b);
	if (c != NULL)
		iov[n].iov_base = (void *)c, iov[n++].iov_len = strlen(c);
	(void)!writev(2, iov, n);
}

/* Become prep->uid; returns a message or NULL. Async-signal-safe. */
static const char *
pm_child_setuid(const struct pm_prep *pp)
{
	if (pp->uidmsg != NULL)
		return pp->uidmsg;
	/*
	 * Raw calls: glibc's wrappers would signal every thread of the
	 * daemon to change theirs too, and this child shares their memory.
	 */
	if (syscall(SYS_setgroups, (size_t)pp->ngroups, pp->groups) == -1)
		return "Could not set groups of effective user";
	if (syscall(SYS_setgid, pp->gid) == -1)
		return "Could not set group id of effective user";
	if (syscall(SYS_setuid, pp->uid) == -1)
		return "Could not set user id of effective user";
	return NULL;
}

/*
 * glibc refuses to touch its internal signals (32, 33), but a parent such
 * as make may have left them ignored; the kernel call resets them anyway.
 */
static void
pm_child_sig_default_raw(int sig)
{
	struct {
		void			*handler;
		unsigned long		 flags;
		void			*restorer;
		unsigned long long	 mask;
	} ksa = { SIG_DFL, 0, NULL, 0 };

	(void)syscall(SYS_rt_sigaction, sig, &ksa, NULL, sizeof(ksa.mask));
}

/* close_range(2) flag (Linux 5.9): unshare the fd table first. */
#define PM_CLOSE_RANGE_UNSHARE	(1U << 1)

/* The fds the child gets as 0, 1 and 2. */
static void
pm_prep_stdio(const struct pm_prep *pp, int src[3])
{
	src[0] = pp->sockfd != -1 ? pp->sockfd : pp->in[0];
	src[1] = pp->out[1];
	src[2] = pp->err[1] != -1 ? pp->err[1] : pp->out[1];
}

static void
pm_child_fds(const struct pm_prep *pp)
{
	struct sigaction sa;
	unsigned long long none = 0;	/* the kernel's 64-signal mask */
	int		 fd, sig, src[3], i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		if (sigaction(sig, &sa, NULL) == -1 && errno == EINVAL)
			pm_child_sig_default_raw(sig);
	/*
	 * The raw call: glibc's sigprocmask never unblocks its internal
	 * signals (32, 33), and a child must not inherit them blocked.
	 */
	(void)syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL,
	    sizeof(none));
	pm_prep_stdio(pp, src);
	/*
	 * A source already on 0-2 (the daemon had one of those closed) could
	 * be overwritten by an earlier dup2(), and dup2() onto itself would
	 * keep its close-on-exec flag: lift such sources above 2 first.
	 */
	for (i = 0; i < 3; i++)
		if (src[i] < 3)
			src[i] = fcntl(src[i], F_DUPFD, 3);
	for (i = 0; i < 3; i++)
		(void)dup2(src[i], i);
	/*
	 * The child still shares the daemon's fd table (CLONE_FILES), so
	 * clone() copied none of its thousands of entries. Now that 0-2 are
	 * in place, take a table of its own holding just those three: the
	 * kernel copies only what lies outside the range, and execve() has
	 * nothing left to close. Without CLONE_FILES (the fork() build) this
	 * simply closes the rest.
	 */
#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, PM_CLOSE_RANGE_UNSHARE) == 0)
		return;
#endif
	(void)syscall(SYS_unshare, CLONE_FILES);
	for (fd = 3; fd < pp->maxfd; fd++)
		(void)close(fd);
}

/*
 * The child, from clone() to execve(). It shares the daemon's memory
 * (CLONE_VM) while the daemon waits (CLONE_VFORK), so it only reads what
 * was prepared, writes nothing but its own stack, and makes only
 * async-signal-safe calls. Never returns.
 */
static void
pm_child_run(const struct pm_prep *pp)
{
	const char	*msg;
	char		 nbuf[24];

	(void)setpgid(0, 0);
	pm_child_fds(pp);
	if (pp->douid && (msg = pm_child_setuid(pp)) != NULL) {
		pm_child_write(pp->uidpfx, msg, "\n");
		goto fail;
	}
	if (pp->dir != NULL && chdir(pp->dir) == -1) {
		pm_child_write(pp->cdpfx, pm_errname(errno, nbuf), "\n");
		goto fail;
	}
	if (pp->umask >= 0)
		(void)umask((mode_t)pp->umask);
	execve(pp->file, pp->argv, pp->envp);
	pm_child_write(pp->execpfx, pm_errname(errno, nbuf), "\n");
fail:
	pm_child_write("supervisor: child process was not spawned\n", NULL,
	    NULL);
	_exit(127);
}

/* user= switching, decided before fork as 4.2.5's drop_privileges. */
static void
pm_prep_user(struct pm_prep *pp, const struct pm_procconf *c)
{
	struct passwd	*pw;
	int		 n = 64;

	if (c->user == NULL || c->uid == getuid())
		return;
	pp->douid = true;
	xasprintf(&pp->uidpfx, "supervisor: couldn't setuid to %d: ",
	    (int)c->uid);
	if (getuid() != 0) {
		pp->uidmsg = xstrdup("Can't drop privilege as nonroot user");
		return;
	}
	if ((pw = getpwuid(c->uid)) == NULL) {
		xasprintf(&pp->uidmsg, "Can't find uid %d", (int)c->uid);
		return;
	}
	pp->uid = pw->pw_uid;
	pp->gid = pw->pw_gid;
	pp->groups = xreallocarray(NULL, n, sizeof(gid_t));
	if (getgrouplist(pw->pw_name, pw->pw_gid, pp->groups, &n) == -1) {
		pp->groups = xreallocarray(pp->groups, n, sizeof(gid_t));
		(void)getgrouplist(pw->pw_name, pw->pw_gid, pp->groups, &n);
	}
	pp->ngroups = n;
}

static void
pm_prep_free(struct pm_prep *pp)
{
	int	*fds[] = { &pp->in[0], &pp->in[1], &pp->out[0], &pp->out[1],
		    &pp->err[0], &pp->err[1] };
	size_t	 i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (*fds[i] != -1) {
			close(*fds[i]);
			*fds[i] = -1;
		}
	free(pp->file);
	pm_argv_free(pp->argv);
	pm_argv_free(pp->envp);
	free(pp->groups);
	free(pp->uidmsg);
	free(pp->uidpfx);
	free(pp->cdpfx);
	free(pp->execpfx);
}

/*
 * A spawn must leave this many fds free: at the limit, libmicrohttpd
 * spins on a listening socket whose accept fails (EMFILE) and RPC goes
 * deaf, and the child's log files need fds too. Fds are handed out
 * lowest first, so the pipe's highest fd bounds how many are free.
 */
#define PM_FD_RESERVE	32

static int
pm_prep_fd_room(const struct pm_prep *pp)
{
	struct rlimit	 rl;
	int		 hi = pp->out[1];

	if (pp->err[1] > hi)
		hi = pp->err[1];
	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur == RLIM_INFINITY)
		return 0;
	if ((rlim_t)hi + PM_FD_RESERVE >= rl.rlim_cur) {
		errno = EMFILE;
		return -1;
	}
	return 0;
}

/* Non-blocking, close-on-exec pipes; stdin only without a socket. */
static int
pm_prep_pipes(struct pm_prep *pp, const struct pm_procconf *c)
{
	if (pp->sockfd == -1 && pipe2(pp->in, O_CLOEXEC) == -1)
		return -1;
	if (pipe2(pp->out, O_CLOEXEC) == -1)
		return -1;
	if (!c->redirect_stderr && pipe2(pp->err, O_CLOEXEC) == -1)
		return -1;
	if (pm_prep_fd_room(pp) == -1)
		return -1;
	/*
	 * A fast writer fills the default 64 KiB pipe between two of our
	 * reads and sleeps; a larger one halves the wakeups on both sides.
	 * Best effort: an unprivileged user may be over its pipe quota.
	 */
	(void)fcntl(pp->out[0], F_SETPIPE_SZ, PM_PIPE_SIZE);
	if (pp->err[0] != -1)
		(void)fcntl(pp->err[0], F_SETPIPE_SZ, PM_PIPE_SIZE);
	if (pp->in[1] != -1)
		(void)fcntl(pp->in[1], F_SETFL, O_NONBLOCK);
	(void)fcntl(pp->out[0], F_SETFL, O_NONBLOCK);
	if (pp->err[0] != -1)
		(void)fcntl(pp->err[0], F_SETFL, O_NONBLOCK);
	return 0;
}

static void
pm_prep_msgs(struct pm_prep *pp, struct pm_proc *p)
{
	const struct pm_config *cfg = p->pm->cfg;
	long		 open_max = sysconf(_SC_OPEN_MAX);

	pp->envp = pm_env_build(p);
	pm_prep_user(pp, p->conf);
	pp->dir = p->conf->directory;
	pp->umask = p->conf->umask;
	if (pp->dir != NULL)
		xasprintf(&pp->cdpfx, "supervisor: couldn't chdir to %s: ",
		    pp->dir);
	xasprintf(&pp->execpfx, "supervisor: couldn't exec %s: ",
	    pp->argv[0]);
	pp->maxfd = cfg != NULL && cfg->sd.minfds > 0 ? cfg->sd.minfds : 1024;
	if (open_max > pp->maxfd && open_max < 65536)
		pp->maxfd = (int)open_max;
}

/* fcgi processes hold a reference on their group's socket. */
static int
pm_prep_sock(struct pm_prep *pp, struct pm_proc *p, char *err,
    size_t errlen)
{
	if (p->group->conf.type != PM_GROUP_FCGI)
		return 0;
	if (pm_group_sock_ref(p->group) == -1) {
		snprintf(err, errlen, "Could not create FastCGI socket for "
		    "'%s': %s", p->conf->name, strerror(errno));
		return -1;
	}
	p->fcgi_ref = true;
	pp->sockfd = p->group->sockfd;
	return 0;
}

static void
pm_spawn_errtext(struct pm_proc *p, int e, bool forking, char *err,
    size_t errlen)
{
	char	 nbuf[24];

	if (!forking && e == EMFILE)
		snprintf(err, errlen, "too many open files to spawn '%s'",
		    p->conf->name);
	else if (!forking)
		snprintf(err, errlen, "unknown error making dispatchers for "
		    "'%s': %s", p->conf->name, pm_errname(e, nbuf));
	else if (e == EAGAIN)
		snprintf(err, errlen, "Too many processes in process table to "
		    "spawn '%s'", p->conf->name);
	else
		snprintf(err, errlen, "unknown error during fork for '%s': %s",
		    p->conf->name, pm_errname(e, nbuf));
}

#ifndef __SANITIZE_ADDRESS__
/*
 * The stack the child runs on until it execs. The daemon is suspended
 * meanwhile (CLONE_VFORK), so one is enough.
 */
static char pm_child_stack[64 * 1024] __attribute__((aligned(64)));

static int
pm_child_main(void *arg)
{
	pm_child_run(arg);
	return 127;
}
#endif

#ifndef __SANITIZE_ADDRESS__
/*
 * The child shares our fd table (CLONE_FILES) until it has put its pipes
 * on 0-2 (see pm_child_fds), so keep copies of our 0-2 to put back.
 * False when that cannot be done: the child then gets a copied table, as
 * fork() gives.
 */
static bool
pm_stdio_save(const struct pm_prep *pp, int saved[3])
{
	int	 i, src[3];

	saved[0] = saved[1] = saved[2] = -1;
	/* The child would have to lift it, in our table (pm_child_fds). */
	pm_prep_stdio(pp, src);
	if (src[0] < 3 || src[1] < 3 || src[2] < 3)
		return false;
#ifdef RUNNING_ON_VALGRIND
	/* memcheck runs vfork() as fork() and aborts on any other mix. */
	if (RUNNING_ON_VALGRIND)
		return false;
#endif
	for (i = 0; i < 3; i++)
		if ((saved[i] = fcntl(i, F_DUPFD_CLOEXEC, 3)) == -1 &&
		    errno != EBADF)
			return false;
	return true;
}

static void
pm_stdio_restore(int saved[3], bool shared)
{
	int	 i;

	for (i = 0; i < 3; i++) {
		if (saved[i] == -1) {
			if (shared)
				(void)close(i);	/* it was closed before */
			continue;
		}
		if (shared)
			(void)dup2(saved[i], i);
		(void)close(saved[i]);
	}
}
#endif

/*
 * Start the child without copying the daemon's page tables: fork() costs
 * grow with the daemon's size and make every page copy-on-write, which
 * made starting 1,000 programs slower than a shell loop.
 */
static pid_t
pm_spawn_clone(struct pm_prep *pp)
{
#ifdef __SANITIZE_ADDRESS__
	pid_t	 pid;

	/* ASan keeps its own books on stacks; a shared one confuses it. */
	if ((pid = fork()) == 0)
		pm_child_run(pp);
	return pid;
#else
	int	 saved[3], flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
	int	 e;
	pid_t	 pid;

	if (pm_stdio_save(pp, saved))
		flags |= CLONE_FILES;
	pid = clone(pm_child_main, pm_child_stack + sizeof(pm_child_stack),
	    flags, pp);
	e = errno;
	pm_stdio_restore(saved, flags & CLONE_FILES);
	errno = e;
	return pid;
#endif
}

pid_t
pm_spawn_fork(struct pm_proc *p, char *err, size_t errlen)
{
	struct pm_prep	 pp;
	sigset_t	 all, old;
	pid_t		 pid = -1;
	int		 e;

	memset(&pp, 0, sizeof(pp));
	pp.in[0] = pp.in[1] = pp.out[0] = pp.out[1] = -1;
	pp.err[0] = pp.err[1] = pp.sockfd = -1;
	if (pm_spawn_args(p, &pp.file, &pp.argv, err, errlen) != PM_OK)
		return -1;
	if (pm_prep_sock(&pp, p, err, errlen) == -1)
		goto out;
	if (pm_prep_pipes(&pp, p->conf) == -1) {
		pm_spawn_errtext(p, errno, false, err, errlen);
		goto out;
	}
	pm_prep_msgs(&pp, p);
	/*
	 * No signal may reach our handlers in the child before it resets
	 * them: they would write to the loop's wakeup fd, shared with us.
	 */
	sigfillset(&all);
	(void)sigprocmask(SIG_SETMASK, &all, &old);
	pid = pm_spawn_clone(&pp);
	e = errno;
	(void)sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid == -1) {
		pm_spawn_errtext(p, e, true, err, errlen);
		goto out;
	}
	pm_output_start(p, pp.out[0], pp.err[0], pp.in[1]);
	pp.out[0] = pp.err[0] = pp.in[1] = -1;
out:
	if (pid == -1 && p->fcgi_ref) {
		p->fcgi_ref = false;
		pm_group_sock_unref(p->group);
	}
	pm_prep_free(&pp);
	return pid;
}

int
pm_spawn_kill(pid_t pid, int sig)
{
	return kill(pid, sig);
}
