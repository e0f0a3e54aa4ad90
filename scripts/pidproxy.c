/*
 * pidproxy: run a program that forks a daemon, and relay the signals we get
 * to the pid that daemon wrote to its pidfile.
 *
 *	pidproxy <pidfile> <command> [args ...]
 *
 * supervisord can only signal the process it started; a program that
 * forks its real worker (mysqld_safe, for one) hides the worker from it.
 * pidproxy stays in the foreground in its place: TERM, HUP, INT, USR1,
 * USR2 and QUIT are sent on to the pid in <pidfile>; after TERM, INT or
 * QUIT we exit 0 at once. When our own child exits we exit 0 as well.
 *
 * The command is made absolute against the current directory, with no
 * PATH search. All signals are taken synchronously with sigwait(), so a
 * child's exit wakes us the moment SIGCHLD arrives: no polling.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const int pidproxy_relayed[] = {
	SIGTERM, SIGHUP, SIGINT, SIGUSR1, SIGUSR2, SIGQUIT,
};
#define PIDPROXY_NRELAYED \
	(sizeof(pidproxy_relayed) / sizeof(pidproxy_relayed[0]))

/* The usage text is what 4.2.5 prints; scripts compare it. */
static void
pidproxy_usage(const char *argv0)
{
	printf("pidproxy -- run command and proxy signals to it via its "
	    "pidfile.\n\n"
	    "This executable runs a command and then monitors a pidfile.  "
	    "When this\n"
	    "executable receives a signal, it sends the same signal to the "
	    "pid\n"
	    "in the pidfile.\n\n"
	    "Usage: %s <pidfile name> <command> [<cmdarg1> ...]\n\n", argv0);
	fflush(stdout);
}

/*
 * Drop "." and empty components and fold ".." into its parent, in place.
 * path is absolute, so the result starts with one '/'.
 */
static void
pidproxy_path_normalize(char *path)
{
	char	*src = path, *dst = path, *seg;
	size_t	 len;

	while (*src != '\0') {
		while (*src == '/')
			src++;
		seg = src;
		while (*src != '\0' && *src != '/')
			src++;
		len = src - seg;
		if (len == 0 || (len == 1 && seg[0] == '.'))
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			while (dst > path && *--dst != '/')
				;
			continue;
		}
		*dst++ = '/';
		memmove(dst, seg, len);
		dst += len;
	}
	if (dst == path)
		*dst++ = '/';
	*dst = '\0';
}

/*
 * Write command as an absolute, normalized path into abs (size bytes).
 * A fixed buffer, not malloc: the forked child may _exit with
 * it still in use when the exec fails.
 */
static void
pidproxy_path_absolute(const char *command, char *abs, size_t size)
{
	char	 cwd[PATH_MAX];
	int	 len;

	if (command[0] == '/')
		cwd[0] = '\0';
	else if (getcwd(cwd, sizeof(cwd)) == NULL) {
		perror("pidproxy: getcwd");
		exit(1);
	}
	len = snprintf(abs, size, "%s/%s", cwd, command);
	if (len < 0 || (size_t)len >= size) {
		fprintf(stderr, "pidproxy: %s: %s\n", command,
		    strerror(ENAMETOOLONG));
		exit(1);
	}
	pidproxy_path_normalize(abs);
}

/* Read a positive pid from the pidfile, surrounding blanks allowed. */
static int
pidproxy_pidfile_read(const char *pidfile, pid_t *pid)
{
	FILE	*fp;
	char	 buf[64], *end;
	size_t	 n;
	long	 v;

	if ((fp = fopen(pidfile, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	errno = 0;
	v = strtol(buf, &end, 10);
	while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
		end++;
	/* 0 or a negative pid would signal whole process groups. */
	if (end == buf || *end != '\0' || errno != 0 || v <= 0 ||
	    v > INT_MAX) {
		errno = EINVAL;
		return -1;
	}
	*pid = (pid_t)v;
	return 0;
}

/* Pass sig on; after TERM, INT or QUIT our job is done. */
static void
pidproxy_signal_relay(const char *pidfile, int sig)
{
	pid_t	 pid;

	if (pidproxy_pidfile_read(pidfile, &pid) == -1) {
		printf("Can't read child pidfile %s!\n", pidfile);
		fflush(stdout);
		return;
	}
	if (kill(pid, sig) == -1) {
		fprintf(stderr, "pidproxy: kill %ld: %s\n", (long)pid,
		    strerror(errno));
		exit(1);
	}
	if (sig == SIGTERM || sig == SIGINT || sig == SIGQUIT)
		exit(0);
}

/*
 * Start the command with our original signal mask. A failed exec ends
 * the child with 127, which then ends us like any other child exit.
 */
static void
pidproxy_child_spawn(const char *path, char **argv, const sigset_t *omask)
{
	pid_t	 pid;

	if ((pid = fork()) == -1) {
		perror("pidproxy: fork");
		exit(1);
	}
	if (pid != 0)
		return;
	sigprocmask(SIG_SETMASK, omask, NULL);
	execv(path, argv);
	fprintf(stderr, "pidproxy: %s: %s\n", path, strerror(errno));
	_exit(127);
}

int
main(int argc, char *argv[])
{
	sigset_t	 set, omask;
	static char	 path[2 * PATH_MAX];
	size_t		 i;
	int		 sig;

	if (argc < 3) {
		pidproxy_usage(argv[0]);
		return 1;
	}
	pidproxy_path_absolute(argv[2], path, sizeof(path));

	/*
	 * Block first, then reset dispositions: a signal that was ignored
	 * when we started (INT and QUIT under "cmd &") must still reach
	 * sigwait(), and one sent before the loop stays pending.
	 */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	for (i = 0; i < PIDPROXY_NRELAYED; i++)
		sigaddset(&set, pidproxy_relayed[i]);
	sigprocmask(SIG_BLOCK, &set, &omask);
	for (i = 0; i < PIDPROXY_NRELAYED; i++)
		signal(pidproxy_relayed[i], SIG_DFL);
	signal(SIGCHLD, SIG_DFL);

	pidproxy_child_spawn(path, argv + 2, &omask);
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig != SIGCHLD)
			pidproxy_signal_relay(argv[1], sig);
		else if (waitpid(-1, NULL, WNOHANG) > 0)
			return 0;
	}
}
