/*
 * ctl_complete.c: Tab in the shell. The first word completes to command
 * names; after add, remove and update to group names; after the process
 * commands to "name", "group:name" and "group:*". Like 4.2.5, the process
 * list is fetched once per command line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <histedit.h>

#include "ctl.h"
#include "log.h"

/* readline's default word breaks, minus ":", "*" and "-" (4.2.5). */
#define BREAKS	" \t\n\"\\'`@$><=;|&{("

struct ctl	*ctl_shell_ctl(void);
unsigned char	 ctl_complete(EditLine *, int);

/* Candidate list; each entry ends with a space, as 4.2.5's do. */
struct cands {
	char	**v;
	size_t	 n;
};

static void
cands_add(struct cands *c, const char *prefix, const char *s)
{
	size_t	 i;

	if (strncmp(s, prefix, strlen(prefix)) != 0)
		return;
	for (i = 0; i < c->n; i++)
		if (strncmp(c->v[i], s, strlen(s)) == 0 &&
		    c->v[i][strlen(s)] == ' ')
			return;
	c->v = xreallocarray(c->v, c->n + 1, sizeof(*c->v));
	xasprintf(&c->v[c->n++], "%s ", s);
}

static const struct ctl_val *
complete_info(struct ctl *ctl)
{
	struct ctl_err	 e;

	if (ctl->complete_info == NULL &&
	    ctl_call(ctl, &ctl->complete_info, &e,
	    "supervisor.getAllProcessInfo", "") != 0)
		ctl->complete_info = NULL;
	return ctl->complete_info;
}

static void
complete_names(struct ctl *ctl, struct cands *c, const char *text,
    bool groups)
{
	const struct ctl_val *all = complete_info(ctl), *i;
	const char	*g, *n;
	char		*s;
	size_t		 k;

	for (k = 0; all != NULL && k < all->n; k++) {
		i = all->items[k];
		g = ctl_val_str(i, "group");
		n = ctl_val_str(i, "name");
		if (groups)
			cands_add(c, text, g);
		else if (strchr(text, ':') != NULL || strcmp(g, n) != 0) {
			xasprintf(&s, "%s:%s", g, n);
			cands_add(c, text, s);
			free(s);
			xasprintf(&s, "%s:*", g);
			cands_add(c, text, s);
			free(s);
		} else
			cands_add(c, text, n);
	}
}

/* The candidates for the word text on line, 4.2.5's rules. */
static void
complete_line(struct ctl *ctl, const char *line, const char *text,
    bool first_word, struct cands *c)
{
	const struct ctl_cmd *cmd;
	char		 word[64];
	size_t		 n;

	n = strspn(line, " \t");
	snprintf(word, sizeof(word), "%.*s", (int)strcspn(line + n, " \t"),
	    line + n);
	cmd = ctl_cmd_find(word);
	if (first_word || strcmp(word, "help") == 0) {
		for (cmd = ctl_cmds; cmd->name != NULL; cmd++)
			if (strcmp(cmd->name, "EOF") != 0)
				cands_add(c, text, cmd->name);
	} else if (cmd != NULL && cmd->complete == CTL_CX_GROUP)
		complete_names(ctl, c, text, true);
	else if (cmd != NULL && cmd->complete == CTL_CX_PROC &&
	    strcmp(word, "maintail") != 0)
		complete_names(ctl, c, text, false);
}

/* Print the candidates below the line, as readline lists them. */
static void
complete_list(const struct cands *c)
{
	size_t	 i;

	putchar('\n');
	for (i = 0; i < c->n; i++)
		printf("%s%s", c->v[i], i + 1 < c->n ? " " : "\n");
	fflush(stdout);
}

unsigned char
ctl_complete(EditLine *el, int ch)
{
	const LineInfo	*li = el_line(el);
	struct cands	 c = { NULL, 0 };
	const char	*start;
	char		*line, *text;
	size_t		 i, common;
	unsigned char	 rc = CC_REFRESH;

	for (start = li->cursor; start > li->buffer &&
	    strchr(BREAKS, start[-1]) == NULL; start--)
		;
	line = xstrndup(li->buffer, li->lastchar - li->buffer);
	text = xstrndup(start, li->cursor - start);
	complete_line(ctl_shell_ctl(), line, text,
	    line[strspn(line, " \t")] == '\0' ||
	    strspn(li->buffer, " \t") == (size_t)(start - li->buffer), &c);
	if (c.n > 0) {
		common = strlen(c.v[0]);
		for (i = 1; i < c.n; i++)
			while (strncmp(c.v[0], c.v[i], common) != 0)
				common--;
		if (c.n > 1 && c.v[0][common - 1] == ' ')
			common--;
		if (common > strlen(text)) {
			c.v[0][common] = '\0';
			el_insertstr(el, c.v[0] + strlen(text));
		} else if (c.n > 1) {
			complete_list(&c);
			rc = CC_REDISPLAY;
		}
	} else
		rc = CC_ERROR;
	for (i = 0; i < c.n; i++)
		free(c.v[i]);
	free(c.v);
	free(text);
	free(line);
	return rc;
}
