/*
 * ctl_shell.c: the interactive shell on libedit: the prompt, history kept
 * in history_file (one line per entry, as readline writes it), and
 * completion of commands, process and group names.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include <histedit.h>

#include "ctl.h"
#include "log.h"

static struct ctl *shell_ctl;
static char	*shell_prompt;

static char *
shell_prompt_fn(EditLine *el)
{
	return shell_prompt;
}

/* Read one character; -1 on Ctrl-C so that el_gets returns. */
static int
shell_getc(EditLine *el, wchar_t *wc)
{
	mbstate_t	 st;
	char		 buf[8];
	size_t		 n = 0, r;
	ssize_t		 got;

	memset(&st, 0, sizeof(st));
	for (;;) {
		got = read(STDIN_FILENO, buf + n, 1);
		if (got < 0 && errno == EINTR && !ctl_sigint)
			continue;
		if (got <= 0)
			return got == 0 ? 0 : -1;
		n++;
		memset(&st, 0, sizeof(st));
		r = mbrtowc(wc, buf, n, &st);
		if (r == (size_t)-2 && n < sizeof(buf))
			continue;
		if (r == (size_t)-1 || r == (size_t)-2)
			*wc = (unsigned char)buf[0];
		return 1;
	}
}

static void
shell_history_load(History *h, const char *path)
{
	HistEvent	 ev;
	FILE		*f;
	char		 line[4096], *nl;

	if (path == NULL || (f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		if (line[0] != '\0')
			history(h, &ev, H_ENTER, line);
	}
	fclose(f);
}

static void
shell_history_save(History *h, const char *path)
{
	HistEvent	 ev;
	FILE		*f;
	int		 rc;

	if (path == NULL || (f = fopen(path, "w")) == NULL)
		return;
	/* H_LAST is the oldest entry; walk towards the newest. */
	for (rc = history(h, &ev, H_LAST); rc != -1;
	    rc = history(h, &ev, H_PREV))
		fprintf(f, "%s%s", ev.str,
		    strchr(ev.str, '\n') != NULL ? "" : "\n");
	fclose(f);
}

/* Run one line; Ctrl-C during a command leaves the shell once it ends. */
static void
shell_run(struct ctl *ctl, const char *line, bool *leave)
{
	ctl_sigint = 0;
	ctl_sigint_catch = 1;
	if (ctl_onecmd(ctl, line))
		*leave = true;
	ctl_sigint_catch = 1;
	if (ctl_sigint && !*leave) {
		ctl_output("%s", "");
		*leave = true;
	}
	fflush(stdout);
}

/* Without a terminal: prompt and read plain lines, as Python does. */
static void
shell_plain(struct ctl *ctl)
{
	char	 line[8192];
	bool	 leave = false;

	while (!leave) {
		fputs(shell_prompt, stdout);
		fflush(stdout);
		ctl_sigint_catch = 1;
		if (fgets(line, sizeof(line), stdin) == NULL) {
			if (ctl_sigint)
				ctl_output("%s", "");
			else
				shell_run(ctl, "EOF", &leave);
			return;
		}
		line[strcspn(line, "\n")] = '\0';
		shell_run(ctl, line, &leave);
	}
}

unsigned char	 ctl_complete(EditLine *, int);

static void
shell_edit(struct ctl *ctl)
{
	EditLine	*el;
	History		*h;
	HistEvent	 ev;
	const char	*line;
	char		*l;
	int		 count;
	bool		 leave = false;

	el = el_init("supervisorctl", stdin, stdout, stderr);
	h = history_init();
	history(h, &ev, H_SETSIZE, 1000);
	shell_history_load(h, ctl->o.history_file);
	el_set(el, EL_EDITOR, "emacs");
	el_set(el, EL_PROMPT, shell_prompt_fn);
	el_set(el, EL_HIST, history, h);
	el_set(el, EL_GETCFN, shell_getc);
	/* the wide call: the narrow one copies the strings and never
	 * frees them */
	el_wset(el, EL_ADDFN, L"ctl-complete", L"complete a word",
	    ctl_complete);
	el_set(el, EL_BIND, "^I", "ctl-complete", NULL);
	el_source(el, NULL);
	while (!leave) {
		ctl_sigint = 0;
		ctl_sigint_catch = 1;
		line = el_gets(el, &count);
		if (line == NULL || count <= 0) {
			if (ctl_sigint)
				ctl_output("%s", "");
			else
				shell_run(ctl, "EOF", &leave);
			break;
		}
		if (line[strspn(line, " \t\n")] != '\0')
			history(h, &ev, H_ENTER, line);
		l = xstrdup(line);
		l[strcspn(l, "\n")] = '\0';
		shell_run(ctl, l, &leave);
		free(l);
	}
	shell_history_save(h, ctl->o.history_file);
	history_end(h);
	el_end(el);
}

int
ctl_shell(struct ctl *ctl, bool status_first)
{
	bool	 leave = false;

	shell_ctl = ctl;
	xasprintf(&shell_prompt, "%s> ", ctl->o.prompt);
	if (status_first)
		shell_run(ctl, "status", &leave);
	if (isatty(STDIN_FILENO))
		shell_edit(ctl);
	else
		shell_plain(ctl);
	ctl_sigint_catch = 0;
	free(shell_prompt);
	fflush(stdout);
	return 0;
}

struct ctl *
ctl_shell_ctl(void)
{
	return shell_ctl;
}
