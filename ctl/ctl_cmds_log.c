/*
 * ctl_cmds_log.c: tail, maintail and fg.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "log.h"

/* Python's int(): optional sign, digits, surrounding blanks. */
static bool
log_parse_int(const char *s, long long *out)
{
	char	*end;

	if (*s == '\0')
		return false;
	*out = strtoll(s, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	return *end == '\0' && !isspace((unsigned char)*s);
}

/* Stream paths until Ctrl-C or the server closes. */
static int
log_follow(struct ctl *ctl, const char **paths, size_t n)
{
	int	 rc;

	ctl_output("==> Press Ctrl-C to exit <==");
	fflush(stdout);
	ctl_sigint = 0;
	ctl_sigint_catch = 1;
	rc = ctl_http_follow(ctl, paths, n, &ctl_sigint, NULL, NULL);
	ctl_sigint = 0;
	ctl_sigint_catch = 0;
	if (rc == 1)
		ctl_output("%s", "");
	return 0;
}

/* The log bytes, or 4.2.5's words for a fault. */
static int
log_print(struct ctl *ctl, const char *who, int rc, struct ctl_val *v,
    struct ctl_err *e, bool proc)
{
	const char	*w = NULL;

	if (rc == 0) {
		if (v->type == CTL_V_STR)
			fwrite(v->s, 1, v->slen, stdout);
		putchar('\n');
		ctl_val_free(v);
		return 0;
	}
	if (e->kind != CTL_E_FAULT)
		return ctl_raise(ctl, e);
	ctl->exitstatus = CTL_EX_GENERIC;
	if (e->code == CTL_F_NO_FILE)
		w = "no log file";
	else if (e->code == CTL_F_FAILED)
		w = "unknown error reading log";
	else if (e->code == CTL_F_BAD_NAME && proc)
		w = "no such process name";
	if (w == NULL)
		return ctl_raise(ctl, e);
	ctl_output("%s: ERROR (%s)", who, w);
	return 0;
}

/* tail's arguments: 0 with name, channel and bytes (-1: follow). */
static int
tail_args(struct ctl *ctl, char **args, size_t n, const char **name,
    const char **chan, long long *bytes)
{
	long long	 b;
	char		*c;

	*bytes = 1600;
	*chan = "stdout";
	if (n < 1 || n > 3) {
		ctl_output(n < 1 ? "Error: too few arguments" :
		    "Error: too many arguments");
		ctl->exitstatus = CTL_EX_GENERIC;
		ctl_help_cmd("tail");
		return -1;
	}
	if (args[0][0] == '-') {
		if (strcmp(args[0] + 1, "f") == 0)
			*bytes = -1;
		else if (log_parse_int(args[0] + 1, &b))
			*bytes = b;
		else
			*bytes = -2;
		args++;
		n--;
	}
	if (n == 0) {
		ctl_output("Error: tail requires process name");
		ctl->exitstatus = CTL_EX_GENERIC;
		return -1;
	}
	*name = args[0];
	if (n > 1) {
		for (c = args[n - 1]; *c != '\0'; c++)
			*c = (char)tolower((unsigned char)*c);
		*chan = args[n - 1];
		if (strcmp(*chan, "stdout") != 0 &&
		    strcmp(*chan, "stderr") != 0) {
			ctl_output("Error: bad channel '%s'", *chan);
			ctl->exitstatus = CTL_EX_GENERIC;
			return -1;
		}
	}
	if (*bytes == -2) {
		ctl_output("Error: bad argument %s", args[-1]);
		ctl->exitstatus = CTL_EX_GENERIC;
		return -1;
	}
	return 0;
}

int
ctl_cmd_tail(struct ctl *ctl, const char *arg)
{
	struct ctl_val	*v;
	struct ctl_err	 e;
	const char	*name, *chan;
	char		**args, *path;
	long long	 bytes;
	size_t		 n;
	int		 rc;

	if ((rc = ctl_upcheck(ctl)) != 1)
		return rc;
	args = ctl_split(arg, &n);
	if (tail_args(ctl, args, n, &name, &chan, &bytes) != 0) {
		ctl_strv_free(args);
		return 0;
	}
	if (bytes == -1) {
		xasprintf(&path, "/logtail/%s/%s", name, chan);
		rc = log_follow(ctl, (const char **)&path, 1);
		free(path);
	} else {
		rc = ctl_call(ctl, &v, &e, strcmp(chan, "stdout") == 0 ?
		    "supervisor.readProcessStdoutLog" :
		    "supervisor.readProcessStderrLog", "sii", name,
		    (int)-bytes, 0);
		rc = log_print(ctl, name, rc, v, &e, true);
	}
	ctl_strv_free(args);
	return rc;
}

int
ctl_cmd_maintail(struct ctl *ctl, const char *arg)
{
	struct ctl_val	*v;
	struct ctl_err	 e;
	const char	*path = "/mainlogtail";
	char		**args;
	long long	 bytes = 1600;
	size_t		 n;
	int		 rc;

	if ((rc = ctl_upcheck(ctl)) != 1)
		return rc;
	args = ctl_split(arg, &n);
	if (n > 1) {
		ctl_output("Error: too many arguments");
		ctl->exitstatus = CTL_EX_GENERIC;
		ctl_help_cmd("maintail");
	} else if (n == 1 && strcmp(args[0], "-f") == 0)
		rc = log_follow(ctl, &path, 1);
	else if (n == 1 && (args[0][0] != '-' ||
	    !log_parse_int(args[0] + 1, &bytes))) {
		ctl_output("Error: bad argument %s", args[0]);
		ctl->exitstatus = CTL_EX_GENERIC;
	} else {
		rc = ctl_call(ctl, &v, &e, "supervisor.readLog", "ii",
		    (int)-bytes, 0);
		rc = log_print(ctl, "supervisord", rc, v, &e, false);
	}
	ctl_strv_free(args);
	return rc;
}
