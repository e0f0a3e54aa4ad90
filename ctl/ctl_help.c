/*
 * ctl_help.c: the command table, help and help <command>. The texts are
 * our own; the command grid has 4.2.5's layout.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ctl.h"

#define P	CTL_CX_PROC
#define G	CTL_CX_GROUP
#define N	CTL_CX_NONE

const struct ctl_cmd ctl_cmds[] = {
	{ "add", ctl_cmd_add, "add <group> [...]\tActivate groups that reread "
	    "found in the config", G },
	{ "avail", ctl_cmd_avail, "avail\t\t\tList every process the config "
	    "defines and whether it is in use", N },
	{ "clear", ctl_cmd_clear, "clear <name> [...]\tEmpty the log files of "
	    "these processes\nclear all\t\tEmpty the log files of every "
	    "process", P },
	{ "exit", ctl_cmd_quit, "exit\tLeave the shell", N },
	{ "firedrill", ctl_cmd_firedrill, "firedrill <type> [field=value "
	    "...]\tPublish a synthetic event (nanovisor.fireEvent)\n"
	    "\t\t\tfor listeners and bus subscribers, marked synthetic:1.\n"
	    "\t\t\tFields: processname groupname from_state pid tries\n"
	    "\t\t\texpected type data when", N },
	{ "fg", ctl_cmd_fg, "fg <process>\tFollow a process's output and "
	    "send it what you type\n\t\tCtrl-C leaves", P },
	{ "help", ctl_cmd_help, NULL, CTL_CX_CMD },
	{ "maintail", ctl_cmd_maintail, "maintail\tEnd of supervisord's main "
	    "log (1600 bytes)\nmaintail -N\tIts last N bytes\nmaintail -f\t"
	    "Follow it until Ctrl-C\n", N },
	{ "open", ctl_cmd_open, "open <url>\tTalk to another supervisord "
	    "(http://host:port or unix:///path)", N },
	{ "pid", ctl_cmd_pid, "pid\t\t\tThe pid of supervisord\npid <name>"
	    "\t\tThe pid of a process\npid all\t\t\tThe pid of every process, "
	    "one a line", P },
	{ "quit", ctl_cmd_quit, "quit\tLeave the shell", N },
	{ "reload", ctl_cmd_reload, "reload\t\tRestart supervisord (asks "
	    "first in the shell)", N },
	{ "remove", ctl_cmd_remove, "remove <group> [...]\tDrop stopped "
	    "groups that are no longer in the config", G },
	{ "reread", ctl_cmd_reread, "reread\t\t\tRead the config again and "
	    "tell what changed; nothing is applied", N },
	{ "restart", ctl_cmd_restart, "restart <name> [...]\tStop, then start"
	    " processes (group:* for a group, all for every one)\n"
	    "The config is not read again: see reread and update.", P },
	{ "shutdown", ctl_cmd_shutdown, "shutdown\tStop supervisord and its "
	    "processes (asks first in the shell)", N },
	{ "signal", ctl_cmd_signal, "signal <sig> <name> [...]\tSend a "
	    "signal (HUP, 15, ...) to processes, group:* or all", P },
	{ "start", ctl_cmd_start, "start <name> [...]\tStart processes "
	    "(group:* for a group, all for every one)", P },
	{ "status", ctl_cmd_status, "status\t\t\tState of every process\n"
	    "status <name> [...]\tState of these processes (group:* for a "
	    "group)", P },
	{ "stop", ctl_cmd_stop, "stop <name> [...]\tStop processes (group:* "
	    "for a group, all for every one)", P },
	{ "tail", ctl_cmd_tail, "tail [-f|-N] <name> [stdout|stderr]\n"
	    "\t\t\tEnd of a process's log, 1600 bytes of stdout by default;\n"
	    "\t\t\t-N: the last N bytes, -f: follow until Ctrl-C", P },
	{ "update", ctl_cmd_update, "update [group ...]\tApply config changes:"
	    " remove, restart and add groups (all: every group)", G },
	{ "version", ctl_cmd_version, "version\t\t\tThe version of "
	    "supervisord", N },
	{ "EOF", ctl_cmd_EOF, NULL, N },
	{ NULL, NULL, NULL, N },
};

const struct ctl_cmd *
ctl_cmd_find(const char *name)
{
	const struct ctl_cmd *c;

	for (c = ctl_cmds; c->name != NULL; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

void
ctl_help_cmd(const char *name)
{
	const struct ctl_cmd *c = ctl_cmd_find(name);

	if (strcmp(name, "help") == 0) {
		ctl_output("help\t\tList the commands");
		ctl_output("help <command>\tHelp on one command");
	} else if (c == NULL || c->help == NULL)
		ctl_output("*** No help on %s", name);
	else
		ctl_output("%s", c->help);
}

/* Ours, not 4.2.5's: listed in a help section apart. */
static bool
help_own(const char *name)
{
	return strcmp(name, "firedrill") == 0;
}

/* The grid of 4.2.5's commands, or of ours: as many columns as fit in
 * 80, column-major. */
static void
help_grid(bool own)
{
	const char	*names[32];
	size_t		 n = 0, rows, cols = 1, r, c, i, w, width[32], total;

	for (i = 0; ctl_cmds[i].name != NULL; i++)
		if (strcmp(ctl_cmds[i].name, "EOF") != 0 &&
		    strcmp(ctl_cmds[i].name, "help") != 0 &&
		    help_own(ctl_cmds[i].name) == own)
			names[n++] = ctl_cmds[i].name;
	for (rows = 1; rows <= n; rows++) {
		cols = (n + rows - 1) / rows;
		for (total = 0, c = 0; c < cols; c++) {
			for (w = 0, r = 0; r < rows; r++)
				if (c * rows + r < n &&
				    strlen(names[c * rows + r]) > w)
					w = strlen(names[c * rows + r]);
			width[c] = w;
			total += w + 2;
		}
		if (total - 2 <= 80)
			break;
	}
	for (r = 0; r < rows; r++) {
		for (c = 0; c < cols; c++) {
			i = c * rows + r;
			if (i >= n)
				break;
			printf("%s%-*s", c > 0 ? "  " : "", (int)width[c],
			    names[i]);
		}
		putchar('\n');
	}
}

int
ctl_cmd_help(struct ctl *ctl, const char *arg)
{
	if (*arg != '\0') {
		ctl_help_cmd(arg);
		return 0;
	}
	ctl_output("%s", "");
	ctl_output("default commands (type help <topic>):");
	ctl_output("=====================================");
	help_grid(false);
	ctl_output("%s", "");
	/* Where 4.2.5 lists a controller plugin's commands. */
	ctl_output("nanovisor commands (type help <topic>):");
	ctl_output("=======================================");
	help_grid(true);
	ctl_output("%s", "");
	return 0;
}
