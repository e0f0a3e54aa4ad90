/*
 * pm_expand.c: Supervisor expands option values with Python's
 * "value % mapping", so %(name)s, %(process_num)02d and %% work and
 * anything else fails with Python's own words. This file reproduces that
 * formatting for the two kinds of value Supervisor puts in the mapping:
 * strings and integers.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pm_conf_int.h"

/* A growing output string. */
struct exp_buf {
	char	*s;
	size_t	 len, cap;
};

/* One parsed conversion spec. */
struct exp_spec {
	char	 flags[8];
	int	 width;		/* -1: none */
	int	 prec;		/* -1: none */
	char	 conv;
};

static void
exp_put(struct exp_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static struct pm_expvar *
exp_find(const struct pm_expvars *vs, const char *name)
{
	size_t	 i;

	for (i = 0; i < vs->n; i++)
		if (strcmp(vs->v[i].name, name) == 0)
			return &vs->v[i];
	return NULL;
}

static struct pm_expvar *
exp_slot(struct pm_expvars *vs, const char *name)
{
	struct pm_expvar *v;

	if ((v = exp_find(vs, name)) != NULL) {
		free(v->str);
		v->str = NULL;
		return v;
	}
	vs->v = xreallocarray(vs->v, vs->n + 1, sizeof(*vs->v));
	v = &vs->v[vs->n++];
	v->name = xstrdup(name);
	v->str = NULL;
	v->num = 0;
	return v;
}

void
pm_expvars_set(struct pm_expvars *vs, const char *name, const char *value)
{
	exp_slot(vs, name)->str = xstrdup(value);
}

void
pm_expvars_set_num(struct pm_expvars *vs, const char *name, long long num)
{
	exp_slot(vs, name)->num = num;
}

/*
 * src's names are unique, so only dst's entries from before the merge
 * need searching: merging the environment into each program's empty
 * set is then a copy, not a search per variable (1,000 programs with 40
 * variables made that most of parsing the config).
 */
void
pm_expvars_merge(struct pm_expvars *dst, const struct pm_expvars *src)
{
	struct pm_expvar *v;
	size_t		 i, j, before = dst->n;

	if (src->n == 0)
		return;
	dst->v = xreallocarray(dst->v, dst->n + src->n, sizeof(*dst->v));
	for (i = 0; i < src->n; i++) {
		for (j = 0, v = NULL; j < before && v == NULL; j++)
			if (strcmp(dst->v[j].name, src->v[i].name) == 0)
				v = &dst->v[j];
		if (v != NULL)
			free(v->str);
		else {
			v = &dst->v[dst->n++];
			v->name = xstrdup(src->v[i].name);
		}
		v->str = src->v[i].str != NULL ? xstrdup(src->v[i].str) : NULL;
		v->num = src->v[i].num;
	}
}

void
pm_expvars_add_env(struct pm_expvars *vs, char *const *env)
{
	const char	*eq;
	char		*name;

	for (; env != NULL && *env != NULL; env++) {
		if ((eq = strchr(*env, '=')) == NULL)
			continue;
		xasprintf(&name, "ENV_%.*s", (int)(eq - *env), *env);
		pm_expvars_set(vs, name, eq + 1);
		free(name);
	}
}

void
pm_expvars_free(struct pm_expvars *vs)
{
	size_t	 i;

	for (i = 0; i < vs->n; i++) {
		free(vs->v[i].name);
		free(vs->v[i].str);
	}
	free(vs->v);
	vs->v = NULL;
	vs->n = 0;
}

static int
exp_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "Format string 'x' for 'y' contains names ('n') which cannot ..." */
static void
exp_err_name(const char *s, const struct pm_expvars *vs, const char *what,
    const char *name, char *err, size_t errlen)
{
	struct exp_buf	 list = { NULL, 0, 0 };
	const char	**names;
	char		*rs, *rw, *rn;
	size_t		 i;

	names = xcalloc(vs->n + 1, sizeof(*names));
	for (i = 0; i < vs->n; i++)
		names[i] = vs->v[i].name;
	qsort(names, vs->n, sizeof(*names), exp_cmp_names);
	exp_put(&list, "", 0);
	for (i = 0; i < vs->n; i++) {
		if (i > 0)
			exp_put(&list, ", ", 2);
		exp_put(&list, names[i], strlen(names[i]));
	}
	rs = pm_repr(s);
	rw = pm_repr(what);
	rn = pm_repr(name);
	snprintf(err, errlen, "Format string %s for %s contains names (%s) "
	    "which cannot be expanded. Available names: %s", rs, rw, rn,
	    list.s);
	free(rs);
	free(rw);
	free(rn);
	free(list.s);
	free(names);
}

static void
exp_err_bad(const char *s, const char *what, const char *why, char *err,
    size_t errlen)
{
	char	*rs, *rw;

	rs = pm_repr(s);
	rw = pm_repr(what);
	snprintf(err, errlen, "Format string %s for %s is badly formatted: %s",
	    rs, rw, why);
	free(rs);
	free(rw);
}

/* The code point at p (UTF-8), for Python's "unsupported" message. */
static unsigned
exp_codepoint(const unsigned char *p)
{
	if (p[0] < 0x80)
		return p[0];
	if ((p[0] & 0xe0) == 0xc0 && p[1] != 0)
		return ((p[0] & 0x1f) << 6) | (p[1] & 0x3f);
	if ((p[0] & 0xf0) == 0xe0 && p[1] != 0 && p[2] != 0)
		return ((p[0] & 0x0f) << 12) | ((p[1] & 0x3f) << 6) |
		    (p[2] & 0x3f);
	return p[0];
}

/* Python counts characters, not bytes, in "at index N". */
static size_t
exp_char_index(const char *s, const char *at)
{
	size_t	 n = 0;

	for (; s < at; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/*
 * Python allows widths up to memory; past this one a config is surely
 * wrong, and an int would overflow. Refused with Python's words.
 */
#define EXP_WIDTH_MAX	65536

/* Flags, width, precision, length modifier; p is after the key. */
static const char *
exp_parse_spec(const char *p, struct exp_spec *sp, const char **why)
{
	size_t	 nf = 0;

	while (*p != '\0' && strchr("-+ #0", *p) != NULL) {
		if (nf < sizeof(sp->flags) - 1)
			sp->flags[nf++] = *p;
		p++;
	}
	sp->flags[nf] = '\0';
	if (*p == '*') {
		*why = "* wants int";
		return NULL;
	}
	for (sp->width = -1; isdigit((unsigned char)*p); p++)
		if ((sp->width = (sp->width < 0 ? 0 : sp->width * 10) +
		    (*p - '0')) > EXP_WIDTH_MAX) {
			*why = "width too big";
			return NULL;
		}
	sp->prec = -1;
	if (*p == '.') {
		p++;
		if (*p == '*') {
			*why = "* wants int";
			return NULL;
		}
		for (sp->prec = 0; isdigit((unsigned char)*p); p++)
			if ((sp->prec = sp->prec * 10 + (*p - '0')) >
			    EXP_WIDTH_MAX) {
				*why = "precision too big";
				return NULL;
			}
	}
	while (*p == 'h' || *p == 'l' || *p == 'L')
		p++;
	if (*p == '\0') {
		*why = "incomplete format";
		return NULL;
	}
	sp->conv = *p;
	return p;
}

/* Pad a converted string to the spec's width. */
static void
exp_put_padded(struct exp_buf *b, const struct exp_spec *sp, const char *s,
    size_t n)
{
	bool	 left = strchr(sp->flags, '-') != NULL;
	size_t	 w = sp->width > 0 ? (size_t)sp->width : 0;

	if (sp->prec >= 0 && (size_t)sp->prec < n)
		n = sp->prec;
	if (!left)
		for (; w > n; w--)
			exp_put(b, " ", 1);
	exp_put(b, s, n);
	if (left)
		for (; w > n; w--)
			exp_put(b, " ", 1);
}

/* A number through printf with the spec's flags. */
static void
exp_put_number(struct exp_buf *b, const struct exp_spec *sp, long long num)
{
	char	 fmt[32], *out;
	char	 conv = sp->conv;

	if (conv == 'i' || conv == 'u')
		conv = 'd';
	/* out is sized for any width (up to EXP_WIDTH_MAX) */
	if (strchr("eEfFgG", conv) != NULL) {
		snprintf(fmt, sizeof(fmt), "%%%s*.*%c", sp->flags, conv);
		xasprintf(&out, fmt, sp->width, sp->prec < 0 ? 6 : sp->prec,
		    (double)num);
	} else if (conv == 'o' && strchr(sp->flags, '#') != NULL) {
		/* Python writes 0o17 where C writes 017 */
		xasprintf(&out, "0o%llo", num);
	} else if (sp->prec >= 0) {
		snprintf(fmt, sizeof(fmt), "%%%s*.*ll%c", sp->flags, conv);
		xasprintf(&out, fmt, sp->width, sp->prec, num);
	} else {
		snprintf(fmt, sizeof(fmt), "%%%s*ll%c", sp->flags, conv);
		xasprintf(&out, fmt, sp->width, num);
	}
	exp_put(b, out, strlen(out));
	free(out);
}

/* Python's %c of an int: the code point in UTF-8. */
static void
exp_put_char(struct exp_buf *b, const struct exp_spec *sp, long long c)
{
	char	 u[4];
	size_t	 n;

	if (c < 0x80) {
		u[0] = c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = 0xc0 | (c >> 6);
		u[1] = 0x80 | (c & 0x3f);
		n = 2;
	} else if (c < 0x10000) {
		u[0] = 0xe0 | (c >> 12);
		u[1] = 0x80 | ((c >> 6) & 0x3f);
		u[2] = 0x80 | (c & 0x3f);
		n = 3;
	} else {
		u[0] = 0xf0 | (c >> 18);
		u[1] = 0x80 | ((c >> 12) & 0x3f);
		u[2] = 0x80 | ((c >> 6) & 0x3f);
		u[3] = 0x80 | (c & 0x3f);
		n = 4;
	}
	exp_put_padded(b, sp, u, n);
}

/* Convert one value; returns NULL or Python's TypeError text. */
static const char *
exp_convert(struct exp_buf *b, const struct exp_spec *sp,
    const struct pm_expvar *v, char *why, size_t whylen)
{
	char	 num[32], *r;

	switch (sp->conv) {
	case 's': case 'r': case 'a':
		if (v->str == NULL) {
			snprintf(num, sizeof(num), "%lld", v->num);
			exp_put_padded(b, sp, num, strlen(num));
		} else if (sp->conv == 's')
			exp_put_padded(b, sp, v->str, strlen(v->str));
		else {
			r = pm_repr(v->str);
			exp_put_padded(b, sp, r, strlen(r));
			free(r);
		}
		return NULL;
	case 'd': case 'i': case 'u':
		if (v->str != NULL) {
			snprintf(why, whylen, "%%%c format: a real number is "
			    "required, not str", sp->conv);
			return why;
		}
		exp_put_number(b, sp, v->num);
		return NULL;
	case 'o': case 'x': case 'X':
		if (v->str != NULL) {
			snprintf(why, whylen, "%%%c format: an integer is "
			    "required, not str", sp->conv);
			return why;
		}
		exp_put_number(b, sp, v->num);
		return NULL;
	case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
		if (v->str != NULL)
			return "must be real number, not str";
		exp_put_number(b, sp, v->num);
		return NULL;
	case 'c':
		if (v->str != NULL && strlen(v->str) == 1) {
			exp_put_padded(b, sp, v->str, 1);
			return NULL;
		}
		if (v->str != NULL)
			return "%c requires int or char";
		if (v->num < 0 || v->num >= 0x110000)
			return "%c arg not in range(0x110000)";
		exp_put_char(b, sp, v->num);
		return NULL;
	}
	return "";
}

/* The "%(name)" part; returns the char after ')' or NULL. */
static const char *
exp_parse_key(const char *p, char **key)
{
	const char	*start = p;
	int		 depth = 1;

	for (; *p != '\0'; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0) {
			*key = xstrndup(start, p - start);
			return p + 1;
		}
	}
	return NULL;
}

/* One "%..." directive at p (after the '%'); returns the next char. */
static const char *
exp_directive(struct exp_buf *b, const char *s, const char *p,
    const struct pm_expvars *vs, const char *what, char *err, size_t errlen)
{
	struct exp_spec	 sp;
	const struct pm_expvar *v;
	const char	*why = NULL, *q;
	char		*key = NULL, whybuf[128];

	if (*p == '%') {
		exp_put(b, "%", 1);
		return p + 1;
	}
	if (*p != '(') {
		/* the mapping itself would be the argument: refuse it */
		exp_err_bad(s, what, *p == '\0' ? "incomplete format" :
		    "format requires a mapping", err, errlen);
		return NULL;
	}
	if ((q = exp_parse_key(p + 1, &key)) == NULL) {
		exp_err_bad(s, what, "incomplete format key", err, errlen);
		return NULL;
	}
	if ((v = exp_find(vs, key)) == NULL) {
		exp_err_name(s, vs, what, key, err, errlen);
		free(key);
		return NULL;
	}
	free(key);
	memset(&sp, 0, sizeof(sp));
	if ((q = exp_parse_spec(q, &sp, &why)) == NULL)
		goto bad;
	if (strchr("sradiuoxXeEfFgGc", sp.conv) == NULL) {
		snprintf(whybuf, sizeof(whybuf), "unsupported format "
		    "character '%c' (0x%x) at index %zu",
		    sp.conv >= 32 && (unsigned char)sp.conv < 0x80 ?
		    sp.conv : '?', exp_codepoint((const unsigned char *)q),
		    exp_char_index(s, q));
		why = whybuf;
		goto bad;
	}
	if ((why = exp_convert(b, &sp, v, whybuf, sizeof(whybuf))) != NULL)
		goto bad;
	return q + 1;
bad:
	exp_err_bad(s, what, why, err, errlen);
	return NULL;
}

int
pm_expand(const char *s, const struct pm_expvars *vs, const char *what,
    char **out, char *err, size_t errlen)
{
	struct exp_buf	 b = { NULL, 0, 0 };
	const char	*p, *pct;

	exp_put(&b, "", 0);
	for (p = s; (pct = strchr(p, '%')) != NULL; ) {
		exp_put(&b, p, pct - p);
		if ((p = exp_directive(&b, s, pct + 1, vs, what, err,
		    errlen)) == NULL) {
			free(b.s);
			return -1;
		}
	}
	exp_put(&b, p, strlen(p));
	*out = b.s;
	return 0;
}
