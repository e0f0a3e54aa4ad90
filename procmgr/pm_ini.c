/*
 * pm_ini.c: the INI dialect Supervisor 4.2.5 reads, i.e. Python 3's
 * RawConfigParser with inline comments (";" and "#" after whitespace),
 * strict=False (duplicates merge, last value wins), indented continuation
 * lines and a [DEFAULT] section. Every value keeps its file and line.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pm_conf_int.h"

/* The reader's state while it walks one file. */
struct ini_reader {
	struct pm_ini	*ini;
	const char	*fname;		/* interned in ini->files */
	struct pm_ini_sec *cur;		/* NULL before the first header */
	struct pm_ini_opt *opt;		/* option continuation lines extend */
	size_t		 indent;	/* indent of the option's line */
	char		*perr;		/* ParsingError text so far, or NULL */
};

static const char *
ini_file_intern(struct pm_ini *ini, const char *fname)
{
	size_t	 i;

	for (i = 0; i < ini->nfiles; i++)
		if (strcmp(ini->files[i], fname) == 0)
			return ini->files[i];
	ini->files = xreallocarray(ini->files, ini->nfiles + 1,
	    sizeof(*ini->files));
	ini->files[ini->nfiles] = xstrdup(fname);
	return ini->files[ini->nfiles++];
}

struct pm_ini_sec *
pm_ini_section(const struct pm_ini *ini, const char *name)
{
	size_t	 i;

	for (i = 0; i < ini->nsecs; i++)
		if (strcmp(ini->secs[i].name, name) == 0)
			return &ini->secs[i];
	return NULL;
}

static struct pm_ini_opt *
ini_sec_find(const struct pm_ini_sec *sec, const char *key)
{
	size_t	 i;

	for (i = 0; i < sec->nopts; i++)
		if (strcmp(sec->opts[i].key, key) == 0)
			return &sec->opts[i];
	return NULL;
}

const struct pm_ini_opt *
pm_ini_get(const struct pm_ini *ini, const struct pm_ini_sec *sec,
    const char *key)
{
	const struct pm_ini_opt *o;

	if (sec != NULL && (o = ini_sec_find(sec, key)) != NULL)
		return o;
	return ini_sec_find(&ini->defaults, key);
}

/* Set key in sec (last wins, first position kept); returns the option. */
static struct pm_ini_opt *
ini_sec_set(struct pm_ini_sec *sec, const char *key, const char *value,
    const char *file, int line)
{
	struct pm_ini_opt *o;

	if ((o = ini_sec_find(sec, key)) == NULL) {
		sec->opts = xreallocarray(sec->opts, sec->nopts + 1,
		    sizeof(*sec->opts));
		o = &sec->opts[sec->nopts++];
		o->key = xstrdup(key);
	} else
		free(o->value);
	o->value = xstrdup(value);
	o->file = file;
	o->line = line;
	return o;
}

static struct pm_ini_sec *
ini_sec_open(struct ini_reader *r, const char *name, int line)
{
	struct pm_ini	*ini = r->ini;
	struct pm_ini_sec *s;

	if (strcmp(name, "DEFAULT") == 0)
		return &ini->defaults;
	if ((s = pm_ini_section(ini, name)) != NULL)
		return s;
	ini->secs = xreallocarray(ini->secs, ini->nsecs + 1,
	    sizeof(*ini->secs));
	s = &ini->secs[ini->nsecs++];
	memset(s, 0, sizeof(*s));
	s->name = xstrdup(name);
	s->file = r->fname;
	s->line = line;
	return s;
}

/*
 * Where an inline comment starts, or -1. Python looks for the n-th
 * occurrence of each prefix in rounds and stops at the first round that
 * finds one preceded by whitespace, so a later ";" can win over an
 * earlier "#"; copied as is.
 */
static ssize_t
ini_comment_start(const char *line)
{
	const char	*pfx = ";#";
	ssize_t		 idx[2] = { -1, -1 }, best = -1;
	int		 live[2] = { 1, 1 }, i;
	const char	*p;

	while (best == -1 && (live[0] || live[1])) {
		for (i = 0; i < 2; i++) {
			if (!live[i])
				continue;
			p = strchr(line + idx[i] + 1, pfx[i]);
			if (p == NULL) {
				live[i] = 0;
				continue;
			}
			idx[i] = p - line;
			if ((idx[i] == 0 || isspace((unsigned char)p[-1])) &&
			    (best == -1 || idx[i] < best))
				best = idx[i];
		}
	}
	return best;
}

/* Python's str.strip() for ASCII whitespace, in place. */
static char *
ini_strip(char *s)
{
	char	*e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Append "\n\t[line NN]: 'repr'" to the pending ParsingError. */
static void
ini_bad_line(struct ini_reader *r, int lineno, const char *raw)
{
	char	*rep, *n, *fr;

	rep = pm_repr(raw);
	if (r->perr == NULL) {
		fr = pm_repr(r->fname);
		xasprintf(&r->perr, "Source contains parsing errors: %s", fr);
		free(fr);
	}
	xasprintf(&n, "%s\n\t[line %2d]: %s", r->perr, lineno, rep);
	free(r->perr);
	free(rep);
	r->perr = n;
}

/* Section header or "key = value" / "key: value". */
static int
ini_line_entry(struct ini_reader *r, char *value, const char *raw,
    int lineno, char *err, size_t errlen)
{
	char	*end, *sep, *key, *fr, *rr;

	if (value[0] == '[' && (end = strrchr(value, ']')) != NULL &&
	    end > value + 1) {
		*end = '\0';
		r->cur = ini_sec_open(r, value + 1, lineno);
		r->opt = NULL;
		return 0;
	}
	if (r->cur == NULL) {
		fr = pm_repr(r->fname);
		rr = pm_repr(raw);
		snprintf(err, errlen, "File contains no section headers.\n"
		    "file: %s, line: %d\n%s", fr, lineno, rr);
		free(fr);
		free(rr);
		return -1;
	}
	sep = value + strcspn(value, "=:");
	if (*sep == '\0') {
		ini_bad_line(r, lineno, raw);
		return 0;
	}
	if (sep == value)
		ini_bad_line(r, lineno, raw);
	*sep = '\0';
	key = ini_strip(value);
	for (end = key; *end != '\0'; end++)
		*end = tolower((unsigned char)*end);
	r->opt = ini_sec_set(r->cur, key, ini_strip(sep + 1), r->fname,
	    lineno);
	return 0;
}

/* Add a continuation line (or an empty line) to the current value. */
static void
ini_continue(struct ini_reader *r, const char *text)
{
	char	*n;

	xasprintf(&n, "%s\n%s", r->opt->value, text);
	free(r->opt->value);
	r->opt->value = n;
}

/* Python rstrip()s the joined value: drop the trailing empty lines. */
static void
ini_rstrip_values(struct pm_ini_sec *sec)
{
	size_t	 i;
	char	*v, *e;

	for (i = 0; i < sec->nopts; i++) {
		v = sec->opts[i].value;
		e = v + strlen(v);
		while (e > v && isspace((unsigned char)e[-1]))
			*--e = '\0';
	}
}

static int
ini_line(struct ini_reader *r, char *line, int lineno, char *err,
    size_t errlen)
{
	ssize_t	 cs;
	size_t	 indent;
	char	*raw, *value;
	int	 rc = 0;

	raw = xstrdup(line);
	cs = ini_comment_start(line);
	if (*ini_strip(line) == ';' || *ini_strip(line) == '#')
		cs = 0;
	if (cs >= 0)
		line[cs] = '\0';
	value = ini_strip(line);
	if (*value == '\0') {
		/* blank lines belong to a value, comment lines do not */
		if (cs < 0 && r->cur != NULL && r->opt != NULL)
			ini_continue(r, "");
		free(raw);
		return 0;
	}
	indent = strspn(raw, " \t\r\f\v");
	if (r->cur != NULL && r->opt != NULL && indent > r->indent)
		ini_continue(r, value);
	else {
		r->indent = indent;
		rc = ini_line_entry(r, value, raw, lineno, err, errlen);
	}
	free(raw);
	return rc;
}

static int
ini_read_lines(struct ini_reader *r, char *text, char *err, size_t errlen)
{
	char	*line, *nl, save;
	int	 lineno = 0;
	size_t	 i;

	for (line = text; *line != '\0'; line = nl) {
		lineno++;
		nl = line + strcspn(line, "\n");
		if (*nl == '\n')
			nl++;
		save = *nl;
		*nl = '\0';
		if (ini_line(r, line, lineno, err, errlen) == -1) {
			free(r->perr);
			return -1;
		}
		*nl = save;
	}
	ini_rstrip_values(&r->ini->defaults);
	for (i = 0; i < r->ini->nsecs; i++)
		ini_rstrip_values(&r->ini->secs[i]);
	if (r->perr != NULL) {
		snprintf(err, errlen, "%s", r->perr);
		free(r->perr);
		return -1;
	}
	return 0;
}

/* Universal newlines, as Python's text mode: \r\n and \r become \n. */
static void
ini_newlines(char *s)
{
	char	*w = s;

	for (; *s != '\0'; s++) {
		if (*s == '\r') {
			*w++ = '\n';
			if (s[1] == '\n')
				s++;
		} else
			*w++ = *s;
	}
	*w = '\0';
}

int
pm_ini_read_string(struct pm_ini *ini, const char *text, const char *fname,
    char *err, size_t errlen)
{
	struct ini_reader r;
	char	*copy;
	int	 rc;

	memset(&r, 0, sizeof(r));
	r.ini = ini;
	r.fname = ini_file_intern(ini, fname);
	if (ini->defaults.name == NULL)
		ini->defaults.name = xstrdup("DEFAULT");
	copy = xstrdup(text);
	ini_newlines(copy);
	rc = ini_read_lines(&r, copy, err, errlen);
	free(copy);
	return rc;
}

int
pm_ini_read(struct pm_ini *ini, const char *path, const char *fname,
    char *err, size_t errlen)
{
	FILE	*f;
	char	*buf = NULL;
	size_t	 len = 0, cap = 0, n;
	int	 rc, saved;

	if (errlen > 0)
		err[0] = '\0';
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	for (;;) {
		if (cap - len < 4096)
			buf = xrealloc(buf, cap += 65536);
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		saved = errno;
		fclose(f);
		free(buf);
		errno = saved;
		return -1;
	}
	fclose(f);
	buf[len] = '\0';
	rc = pm_ini_read_string(ini, buf, fname, err, errlen);
	free(buf);
	return rc;
}

/* Materialize DEFAULT values in a section, then replace %(here)s. */
static void
ini_sec_expand_here(struct pm_ini *ini, struct pm_ini_sec *sec,
    const char *here)
{
	const char	*tok = "%(here)s";
	struct pm_ini_opt *o, *d;
	size_t		 i, off;
	char		*p, *n;

	for (i = 0; i < ini->defaults.nopts; i++) {
		d = &ini->defaults.opts[i];
		if (strstr(d->value, tok) != NULL &&
		    ini_sec_find(sec, d->key) == NULL)
			ini_sec_set(sec, d->key, d->value, d->file, d->line);
	}
	for (i = 0; i < sec->nopts; i++) {
		o = &sec->opts[i];
		off = 0;
		while ((p = strstr(o->value + off, tok)) != NULL) {
			off = (p - o->value) + strlen(here);
			xasprintf(&n, "%.*s%s%s", (int)(p - o->value),
			    o->value, here, p + strlen(tok));
			free(o->value);
			o->value = n;
		}
	}
}

void
pm_ini_expand_here(struct pm_ini *ini, const char *here)
{
	size_t	 i;

	for (i = 0; i < ini->nsecs; i++)
		ini_sec_expand_here(ini, &ini->secs[i], here);
}

static void
ini_sec_free(struct pm_ini_sec *sec)
{
	size_t	 i;

	for (i = 0; i < sec->nopts; i++) {
		free(sec->opts[i].key);
		free(sec->opts[i].value);
	}
	free(sec->opts);
	free(sec->name);
}

void
pm_ini_free(struct pm_ini *ini)
{
	size_t	 i;

	if (ini == NULL)
		return;
	ini_sec_free(&ini->defaults);
	for (i = 0; i < ini->nsecs; i++)
		ini_sec_free(&ini->secs[i]);
	free(ini->secs);
	for (i = 0; i < ini->nfiles; i++)
		free(ini->files[i]);
	free(ini->files);
	memset(ini, 0, sizeof(*ini));
}
