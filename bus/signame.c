/*
 * signame.c: signal numbers to the names Python Supervisor prints
 * ("SIGTERM"), for the main log and the process manager alike.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>

#include "log.h"

/* Python's signal names: the last alias wins (SIGABRT, SIGCHLD, SIGPOLL). */
static const struct {
	int		 num;
	const char	*name;
} sig_names[] = {
	{ SIGHUP, "SIGHUP" }, { SIGINT, "SIGINT" }, { SIGQUIT, "SIGQUIT" },
	{ SIGILL, "SIGILL" }, { SIGTRAP, "SIGTRAP" }, { SIGABRT, "SIGABRT" },
	{ SIGBUS, "SIGBUS" }, { SIGFPE, "SIGFPE" }, { SIGKILL, "SIGKILL" },
	{ SIGUSR1, "SIGUSR1" }, { SIGSEGV, "SIGSEGV" },
	{ SIGUSR2, "SIGUSR2" }, { SIGPIPE, "SIGPIPE" },
	{ SIGALRM, "SIGALRM" }, { SIGTERM, "SIGTERM" },
#ifdef SIGSTKFLT
	{ SIGSTKFLT, "SIGSTKFLT" },
#endif
	{ SIGCHLD, "SIGCHLD" }, { SIGCONT, "SIGCONT" },
	{ SIGSTOP, "SIGSTOP" }, { SIGTSTP, "SIGTSTP" },
	{ SIGTTIN, "SIGTTIN" }, { SIGTTOU, "SIGTTOU" }, { SIGURG, "SIGURG" },
	{ SIGXCPU, "SIGXCPU" }, { SIGXFSZ, "SIGXFSZ" },
	{ SIGVTALRM, "SIGVTALRM" }, { SIGPROF, "SIGPROF" },
	{ SIGWINCH, "SIGWINCH" },
#ifdef SIGPOLL
	{ SIGPOLL, "SIGPOLL" },
#endif
#ifdef SIGPWR
	{ SIGPWR, "SIGPWR" },
#endif
	{ SIGSYS, "SIGSYS" },
};

/* "SIGTERM", or "signal 40" (in buf) for a number with no name. */
const char *
sig_name(int sig, char *buf, size_t buflen)
{
	size_t	 i;

	for (i = 0; i < sizeof(sig_names) / sizeof(sig_names[0]); i++)
		if (sig_names[i].num == sig)
			return sig_names[i].name;
	if (sig == SIGRTMIN)
		return "SIGRTMIN";
	if (sig == SIGRTMAX)
		return "SIGRTMAX";
	snprintf(buf, buflen, "signal %d", sig);
	return buf;
}
