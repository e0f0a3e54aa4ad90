/*
 * ctl_run.c: one command line through its command, as 4.2.5's
 * Controller.onecmd: the 401 retry, the "error: <class ...>" line for
 * anything unexpected, and the server check most commands start with.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "ctl.h"
#include "log.h"

#define PY_SD	"/usr/lib/python3/dist-packages/supervisor/xmlrpc.py"

void
ctl_output(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Python's repr() of a str, enough for fault strings. */
static void
py_repr(char *out, size_t len, const char *s)
{
	char	 q = strchr(s, '\'') != NULL && strchr(s, '"') == NULL ?
		    '"' : '\'';
	size_t	 o = 0;

	#define PUT(c) do { if (o + 1 < len) out[o++] = (c); } while (0)
	PUT(q);
	for (; *s != '\0'; s++) {
		if (*s == q || *s == '\\') {
			PUT('\\');
			PUT(*s);
		} else if (*s == '\n') {
			PUT('\\'); PUT('n');
		} else if (*s == '\t') {
			PUT('\\'); PUT('t');
		} else if (*s == '\r') {
			PUT('\\'); PUT('r');
		} else
			PUT(*s);
	}
	PUT(q);
	#undef PUT
	out[o] = '\0';
}

/* The line 4.2.5 prints for an exception no command handles. */
static void
ctl_print_exc(struct ctl *ctl, const struct ctl_err *e)
{
	char	 r[2048];
	bool	 is_unix = strncmp(ctl->o.serverurl, "unix://", 7) == 0;

	switch (e->kind) {
	case CTL_E_FAULT:
		py_repr(r, sizeof(r), e->msg);
		ctl_output("error: <class 'xmlrpc.client.Fault'>, <Fault %d: "
		    "%s>: file: /usr/lib/python3.11/xmlrpc/client.py line: 668",
		    e->code, r);
		break;
	case CTL_E_REFUSED:
		ctl_output("error: <class 'ConnectionRefusedError'>, [Errno 111]"
		    " Connection refused: file: %s line: %s",
		    is_unix ? PY_SD : "/usr/lib/python3.11/socket.py",
		    is_unix ? "557" : "836");
		break;
	case CTL_E_NOFILE:
		ctl_output("error: <class 'FileNotFoundError'>, [Errno 2] No "
		    "such file or directory: file: " PY_SD " line: 557");
		break;
	case CTL_E_HTTP:
		ctl_output("error: <class 'xmlrpc.client.ProtocolError'>, "
		    "<ProtocolError for 127.0.0.1/RPC2: %d %s>: file: " PY_SD
		    " line: 539", e->code, e->msg);
		break;
	case CTL_E_URL:
		ctl_output("error: <class 'ValueError'>, Unknown protocol for "
		    "serverurl %s: file: " PY_SD " line: 505", ctl->o.serverurl);
		break;
	default:
		ctl_output("error: <class 'OSError'>, %s", e->msg);
		break;
	}
}

int
ctl_raise(struct ctl *ctl, const struct ctl_err *e)
{
	ctl->exc = *e;
	return -1;
}

void
ctl_exit_from_fault(struct ctl *ctl, int code, int ignored)
{
	if (code == ignored || code == CTL_F_SUCCESS)
		return;
	if (code == CTL_F_SPAWN_ERROR || code == CTL_F_ABNORMAL_TERMINATION ||
	    code == CTL_F_NOT_RUNNING)
		ctl->exitstatus = CTL_EX_NOT_RUNNING;
	else
		ctl->exitstatus = CTL_EX_GENERIC;
}

int
ctl_upcheck(struct ctl *ctl)
{
	struct ctl_val	*v;
	struct ctl_err	 e;

	if (ctl_call(ctl, &v, &e, "supervisor.getVersion", "") == 0) {
		if (v->type != CTL_V_STR || strcmp(v->s, "3.0") != 0) {
			ctl_output("Sorry, this supervisorctl speaks API version"
			    " 3.0 but the server reports %s.",
			    v->type == CTL_V_STR ? v->s : "?");
			ctl->exitstatus = CTL_EX_NOT_INSTALLED;
			ctl_val_free(v);
			return 0;
		}
		ctl_val_free(v);
		return 1;
	}
	switch (e.kind) {
	case CTL_E_FAULT:
		if (e.code == CTL_F_UNKNOWN_METHOD) {
			ctl_output("Sorry, the server answered but does not "
			    "know the supervisor namespace; enable the "
			    "[rpcinterface:supervisor] section in its config.");
			ctl->exitstatus = CTL_EX_UNIMPLEMENTED;
			return 0;
		}
		break;
	case CTL_E_REFUSED:
		ctl_output("%s refused connection", ctl->o.serverurl);
		ctl->exitstatus = CTL_EX_PRIVILEGES;
		return 0;
	case CTL_E_NOFILE:
		ctl_output("%s no such file", ctl->o.serverurl);
		ctl->exitstatus = CTL_EX_NOT_RUNNING;
		return 0;
	default:
		break;
	}
	if (e.kind != CTL_E_HTTP)
		ctl->exitstatus = CTL_EX_GENERIC;
	return ctl_raise(ctl, &e);
}

/* Ask on the terminal; without echo for passwords. */
int
ctl_ask(struct ctl *ctl, const char *prompt, char *buf, size_t len,
    bool echo)
{
	struct termios	 t, old;
	bool		 tty = isatty(STDIN_FILENO) && !echo;
	char		*nl;

	fputs(prompt, stdout);
	fflush(stdout);
	if (tty && tcgetattr(STDIN_FILENO, &old) == 0) {
		t = old;
		t.c_lflag &= ~ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &t);
	} else
		tty = false;
	if (fgets(buf, (int)len, stdin) == NULL)
		buf[0] = '\0';
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		putchar('\n');
	}
	if ((nl = strchr(buf, '\n')) != NULL)
		*nl = '\0';
	return 0;
}

/* 401: ask for credentials when interactive, then try again. */
static int
ctl_auth_retry(struct ctl *ctl, const struct ctl_cmd *c, const char *arg)
{
	char	 user[256], pass[256];

	ctl_output("Server requires authentication");
	if (!ctl->o.interactive) {
		ctl->exitstatus = CTL_EX_GENERIC;
		return c->fn(ctl, arg);
	}
	ctl_ask(ctl, "Username:", user, sizeof(user), true);
	ctl_ask(ctl, "Password:", pass, sizeof(pass), false);
	ctl_output("%s", "");
	free(ctl->o.username);
	free(ctl->o.password);
	ctl->o.username = xstrdup(user);
	ctl->o.password = xstrdup(pass);
	return -2;
}

/* Returns 1 when the command asks to leave the shell. */
int
ctl_onecmd(struct ctl *ctl, const char *line)
{
	const struct ctl_cmd *c;
	char		*l, *cmd, *arg, *end;
	size_t		 n;
	int		 rc;

	while (isspace((unsigned char)*line))
		line++;
	l = xstrdup(line);
	for (end = l + strlen(l); end > l && isspace((unsigned char)end[-1]);)
		*--end = '\0';
	if (*l == '\0') {
		free(l);
		return 0;
	}
	if (*l == '?') {
		xasprintf(&cmd, "help %s", l + 1);
		free(l);
		l = cmd;
	}
	for (n = 0; isalnum((unsigned char)l[n]) || l[n] == '_'; n++)
		;
	cmd = xstrdup(l);
	cmd[n] = '\0';
	for (arg = l + n; isspace((unsigned char)*arg); arg++)
		;
	ctl_val_free(ctl->complete_info);
	ctl->complete_info = NULL;
	if (n == 0 || (c = ctl_cmd_find(cmd)) == NULL) {
		ctl_output("*** Unknown syntax: %s", l);
		ctl->exitstatus = CTL_EX_GENERIC;
		rc = 0;
		goto out;
	}
	rc = c->fn(ctl, arg);
	if (rc == -1 && ctl->exc.kind == CTL_E_HTTP && ctl->exc.code == 401) {
		rc = ctl_auth_retry(ctl, c, arg);
		if (rc == -2) {
			rc = ctl_onecmd(ctl, l);
			goto out;
		}
	}
	if (rc == -1) {
		ctl_print_exc(ctl, &ctl->exc);
		ctl->exitstatus = CTL_EX_GENERIC;
		rc = 0;
	}
out:
	fflush(stdout);
	free(cmd);
	free(l);
	return rc == 1;
}
