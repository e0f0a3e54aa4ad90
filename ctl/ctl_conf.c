/*
 * ctl_conf.c: the [supervisorctl] section, read with procmgr's INI reader
 * and %-expander so that it follows the same dialect as supervisord.
 * ENV_X names expand everywhere; %(here)s only in serverurl and
 * history_file, as in 4.2.5.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "log.h"
#include "pm.h"

extern char **environ;

/* Expand one option into *dst when the section or [DEFAULT] has it. */
static int
conf_get(struct pm_ini *ini, struct pm_ini_sec *sec, const char *key,
    const struct pm_expvars *vs, char **dst, char *err, size_t errlen)
{
	const struct pm_ini_opt *o = pm_ini_get(ini, sec, key);
	char		*v, what[64];

	if (o == NULL)
		return 0;
	snprintf(what, sizeof(what), "supervisorctl.%s", key);
	if (pm_expand(o->value, vs, what, &v, err, errlen) != 0)
		return -1;
	free(*dst);
	*dst = v;
	return 0;
}

/* normalize_path() on a unix:// URL's path and on history_file. */
static void
conf_normalize(struct ctl_opts *o)
{
	char	*p, *u;

	if (o->serverurl != NULL && strncmp(o->serverurl, "unix://", 7) == 0) {
		p = pm_path_normalize(o->serverurl + 7);
		xasprintf(&u, "unix://%s", p);
		free(p);
		free(o->serverurl);
		o->serverurl = u;
	}
	if (o->history_file != NULL && o->history_file[0] != '\0') {
		p = pm_path_normalize(o->history_file);
		free(o->history_file);
		o->history_file = p;
	} else {
		free(o->history_file);
		o->history_file = NULL;
	}
}

static int
conf_section(struct ctl_opts *o, struct pm_ini *ini, const char *here,
    char *err, size_t errlen)
{
	struct pm_ini_sec *sec = pm_ini_section(ini, "supervisorctl");
	struct pm_expvars env = PM_EXPVARS_ZERO, herevs = PM_EXPVARS_ZERO;
	int		 rc = -1;

	if (sec == NULL) {
		snprintf(err, errlen,
		    ".ini file does not include supervisorctl section");
		return -1;
	}
	pm_expvars_add_env(&env, environ);
	pm_expvars_merge(&herevs, &env);
	pm_expvars_set(&herevs, "here", here);
	if (conf_get(ini, sec, "serverurl", &herevs, &o->serverurl, err,
	    errlen) == 0 &&
	    conf_get(ini, sec, "prompt", &env, &o->prompt, err, errlen) == 0 &&
	    conf_get(ini, sec, "username", &env, &o->username, err,
	    errlen) == 0 &&
	    conf_get(ini, sec, "password", &env, &o->password, err,
	    errlen) == 0 &&
	    conf_get(ini, sec, "history_file", &herevs, &o->history_file, err,
	    errlen) == 0)
		rc = 0;
	pm_expvars_free(&env);
	pm_expvars_free(&herevs);
	if (rc == 0)
		conf_normalize(o);
	return rc;
}

/* Is the header line "[name]" one of the sections we read? */
static bool
conf_wanted(const char *line, size_t len)
{
	const char	*end;
	size_t		 n;

	for (end = line + len; end > line && end[-1] != ']'; end--)
		;
	if (end <= line + 1)
		return true;
	n = (size_t)(end - 1 - (line + 1));
	return (n == 13 && strncmp(line + 1, "supervisorctl", 13) == 0) ||
	    (n == 7 && strncmp(line + 1, "DEFAULT", 7) == 0);
}

/*
 * The file with every other section's lines turned into "#" comments,
 * line numbers kept: a supervisord.conf with 1,000 programs would
 * otherwise cost more to read than the status command it configures.
 * Comments, unlike blank lines, are not continuations of the value
 * before them, which the INI reader would grow one line at a time.
 */
static char *
conf_slurp(const char *path)
{
	FILE	*f;
	char	*text = NULL, *out, *o, *p, *nl;
	size_t	 len = 0, n;
	bool	 keep = true;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	if (getdelim(&text, &len, '\0', f) < 0) {
		free(text);
		text = xstrdup("");
	}
	fclose(f);
	o = out = xmalloc(strlen(text) + 2);
	for (p = text; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p) - 1;
		n = (size_t)(nl - p) + 1;
		if (*p == '[')
			keep = conf_wanted(p, (size_t)(nl - p));
		if (keep) {
			memcpy(o, p, n);
			o += n;
		} else {
			*o++ = '#';
			if (*nl == '\n')
				*o++ = '\n';
		}
		if (nl[0] == '\0' || nl[1] == '\0')
			break;
	}
	*o = '\0';
	free(text);
	return out;
}

int
ctl_conf_read(struct ctl_opts *o, const char *path, char *err,
    size_t errlen)
{
	struct pm_ini	 ini;
	char		*abs, *here;
	int		 rc;

	char		*text;

	memset(&ini, 0, sizeof(ini));
	if (access(path, F_OK) != 0) {
		snprintf(err, errlen, "could not find config file %s", path);
		return -1;
	}
	if ((text = conf_slurp(path)) == NULL) {
		snprintf(err, errlen, "could not read config file %s", path);
		return -1;
	}
	err[0] = '\0';
	if (pm_ini_read_string(&ini, text, path, err, errlen) != 0) {
		free(text);
		pm_ini_free(&ini);
		return -1;
	}
	free(text);
	abs = pm_path_normalize(path);
	here = pm_path_dirname(abs);
	rc = conf_section(o, &ini, here, err, errlen);
	free(here);
	free(abs);
	pm_ini_free(&ini);
	return rc;
}
