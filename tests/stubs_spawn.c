/*
 * stubs_spawn.c: link-time stand-ins for pm_spawn.c and pm_output.c in the
 * state machine tests. Nothing forks: spawns hand out fake pids, kills
 * are recorded, and a test can make either fail.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pm_int.h"

pid_t		 stub_next_pid = 4000000;
const char	*stub_spawn_err;	/* non-NULL: the next spawns fail */
enum pm_result	 stub_check_result = PM_OK;
int		 stub_kill_errno;	/* non-zero: kill() fails so */
int		 stub_kills;
pid_t		 stub_kill_pid;
int		 stub_kill_sig;
int		 stub_spawns;

enum pm_result
pm_spawn_check(struct pm_proc *p, char *err, size_t errlen)
{
	if (stub_check_result != PM_OK)
		snprintf(err, errlen, "can't find command '%s'",
		    p->conf->command);
	return stub_check_result;
}

pid_t
pm_spawn_fork(struct pm_proc *p, char *err, size_t errlen)
{
	stub_spawns++;
	if (stub_spawn_err != NULL) {
		snprintf(err, errlen, "%s", stub_spawn_err);
		return -1;
	}
	return stub_next_pid++;
}

int
pm_spawn_kill(pid_t pid, int sig)
{
	stub_kills++;
	stub_kill_pid = pid;
	stub_kill_sig = sig;
	if (stub_kill_errno != 0) {
		errno = stub_kill_errno;
		return -1;
	}
	return 0;
}

void
pm_output_drain(struct pm_proc *p)
{
}

void
pm_output_close(struct pm_proc *p)
{
}

enum pm_result
pm_output_write(struct pm_proc *p, const void *data, size_t len)
{
	return PM_OK;
}
