/*
 * ctl_main.c: supervisorctl's main(): options, config, then one command
 * or the shell. Unlike 4.2.5, -r is honoured and -i with a command runs
 * it and then enters the shell.
 */
#include <ctype.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "log.h"
#include "pm.h"

volatile int ctl_sigint;
volatile int ctl_sigint_catch;

static void
ctl_usage_exit(const char *progname, const char *msg)
{
	fprintf(stderr, "Error: %s\nFor help, use %s -h\n", msg, progname);
	exit(2);
}

static void
ctl_help_exit(const char *progname)
{
	printf("Usage: %s [options] [command [arguments]]\n\n"
	    "Options:\n"
	    "-c/--configuration FILE -- the config file to read "
	    "(searched for when not given)\n"
	    "-h/--help -- show this text and exit\n"
	    "-i/--interactive -- enter the shell, after the command if one "
	    "is given\n"
	    "-s/--serverurl URL -- where supervisord listens: http://host:port"
	    " or\n     unix:///path (default \"http://localhost:9001\")\n"
	    "-u/--username USER -- user name for the server\n"
	    "-p/--password PASS -- password for the server\n"
	    "-r/--history_file FILE -- keep the shell's history in FILE\n"
	    "command [arguments] -- one command, such as \"status\" or "
	    "\"stop all\".\n\n"
	    "Without a command, or with -i, an interactive shell starts; type "
	    "\"help\" there\nfor the list of commands.\n", progname);
	exit(0);
}

static void
ctl_on_sigint(int sig)
{
	if (!ctl_sigint_catch) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	ctl_sigint = 1;
}

/* -s's check, urlparse's: a scheme, then a host or a path. */
static bool
ctl_url_ok(const char *u)
{
	size_t	 n = strspn(u, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");

	if (n == 0 || u[n] != ':' || !isalpha((unsigned char)u[0]))
		return false;
	u += n + 1;
	if (strncmp(u, "//", 2) == 0)
		u += 2;		/* netloc, then path: either will do */
	return strcspn(u, "?#") > 0;
}

static void
ctl_set(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

static int
ctl_options(struct ctl *ctl, struct ctl_opts *cmd, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "configuration", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "interactive", no_argument, NULL, 'i' },
		{ "serverurl", required_argument, NULL, 's' },
		{ "username", required_argument, NULL, 'u' },
		{ "password", required_argument, NULL, 'p' },
		{ "history_file", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	char	 msg[512];
	int	 ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+c:h?is:u:p:r:", lo,
	    NULL)) != -1) {
		switch (ch) {
		case 'c': ctl_set(&cmd->configfile, optarg); break;
		case 'h': ctl_help_exit(ctl->progname); break;
		case 'i': cmd->interactive = true; break;
		case 's':
			if (!ctl_url_ok(optarg)) {
				snprintf(msg, sizeof(msg), "invalid value for -s"
				    " '%s': value '%s' is not a URL", optarg,
				    optarg);
				ctl_usage_exit(ctl->progname, msg);
			}
			ctl_set(&cmd->serverurl, optarg);
			break;
		case 'u': ctl_set(&cmd->username, optarg); break;
		case 'p': ctl_set(&cmd->password, optarg); break;
		case 'r': ctl_set(&cmd->history_file, optarg); break;
		default:
			if (optopt == '?')
				ctl_help_exit(ctl->progname);
			if (optopt != 0 && strchr("csupr", optopt) != NULL)
				snprintf(msg, sizeof(msg), "option -%c requires"
				    " argument", optopt);
			else if (optopt != 0)
				snprintf(msg, sizeof(msg), "option -%c not "
				    "recognized", optopt);
			else
				snprintf(msg, sizeof(msg), "option %s not "
				    "recognized", argv[optind - 1]);
			ctl_usage_exit(ctl->progname, msg);
		}
	}
	return optind;
}

/* Command line first, then the config, then the defaults. */
static void
ctl_configure(struct ctl *ctl, struct ctl_opts *cmd)
{
	struct ctl_opts	*o = &ctl->o;
	char		 path[4096], err[1024];

	if (cmd->configfile != NULL)
		o->configfile = xstrdup(cmd->configfile);
	else if (pm_config_search(ctl->progname, path, sizeof(path)) == 0)
		o->configfile = xstrdup(path);
	if (o->configfile != NULL &&
	    ctl_conf_read(o, o->configfile, err, sizeof(err)) != 0)
		ctl_usage_exit(ctl->progname, err);
#define TAKE(f)	if (cmd->f != NULL) ctl_set(&o->f, cmd->f)
	TAKE(serverurl); TAKE(username); TAKE(password); TAKE(history_file);
#undef TAKE
	if (o->serverurl == NULL)
		o->serverurl = xstrdup("http://localhost:9001");
	if (o->prompt == NULL)
		o->prompt = xstrdup("supervisor");
	o->interactive = cmd->interactive;
}

static void
ctl_opts_free(struct ctl_opts *o)
{
	free(o->configfile);
	free(o->serverurl);
	free(o->username);
	free(o->password);
	free(o->prompt);
	free(o->history_file);
}

int
main(int argc, char **argv)
{
	struct ctl	 ctl;
	struct ctl_opts	 cmd;
	struct sigaction sa;
	char		*line = NULL, *t;
	int		 i, first, rc;

	memset(&ctl, 0, sizeof(ctl));
	memset(&cmd, 0, sizeof(cmd));
	ctl.progname = argv[0];
	first = ctl_options(&ctl, &cmd, argc, argv);
	ctl_configure(&ctl, &cmd);
	ctl_opts_free(&cmd);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = ctl_on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	ctl.http = ctl_http_new();
	for (i = first; i < argc; i++) {
		xasprintf(&t, "%s%s%s", line ? line : "", line ? " " : "",
		    argv[i]);
		free(line);
		line = t;
	}
	if (line == NULL)
		ctl.o.interactive = true;
	if (line != NULL)
		ctl_onecmd(&ctl, line);
	rc = ctl.exitstatus;
	if (ctl.o.interactive)
		rc = ctl_shell(&ctl, true);
	fflush(stdout);
	free(line);
	ctl_val_free(ctl.complete_info);
	ctl_http_free(ctl.http);
	ctl_opts_free(&ctl.o);
	return rc;
}
