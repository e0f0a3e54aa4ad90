/*
 * pm_values.c: option value converters. Each one accepts what 4.2.5's
 * datatypes.py accepts and fails with the same text, written into err.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "log.h"
#include "pm.h"
#include "pm_conf_int.h"

/* ---- Python's repr() and int() ---- */

char *
pm_repr(const char *s)
{
	char	 q, *out, *w;
	const unsigned char *p;

	q = (strchr(s, '\'') != NULL && strchr(s, '"') == NULL) ? '"' : '\'';
	out = w = xmalloc(strlen(s) * 4 + 3);
	*w++ = q;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '\\' || *p == (unsigned char)q) {
			*w++ = '\\';
			*w++ = *p;
		} else if (*p == '\n' || *p == '\t' || *p == '\r') {
			*w++ = '\\';
			*w++ = *p == '\n' ? 'n' : *p == '\t' ? 't' : 'r';
		} else if (*p < 0x20 || *p == 0x7f)
			w += sprintf(w, "\\x%02x", *p);
		else
			*w++ = *p;
	}
	*w++ = q;
	*w = '\0';
	return out;
}

/*
 * Python's int(s, base) for base 8 and 10: blanks around, a sign, digits
 * with single underscores between them, and "0o" for base 8.
 */
static int
val_pyint(const char *s, int base, long long *out)
{
	long long	 v = 0;
	int		 neg = 0, ndig = 0;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (base == 8 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) {
		s += 2;
		if (*s == '_')
			s++;
	}
	for (; *s != '\0'; s++) {
		if (*s == '_' && ndig > 0 && s[1] >= '0' && s[1] < '0' + base)
			continue;
		if (*s < '0' || *s >= '0' + base)
			break;
		if (v > (LLONG_MAX - (*s - '0')) / base)
			return -1;
		v = v * base + (*s - '0');
		ndig++;
	}
	while (isspace((unsigned char)*s))
		s++;
	if (*s != '\0' || ndig == 0)
		return -1;
	*out = neg ? -v : v;
	return 0;
}

static int
val_int_err(const char *s, char *err, size_t errlen)
{
	char	*r = pm_repr(s);

	snprintf(err, errlen, "invalid literal for int() with base 10: %s", r);
	free(r);
	return -1;
}

int
pm_val_int(const char *s, int *out, char *err, size_t errlen)
{
	long long	 v;

	if (val_pyint(s, 10, &v) == -1 || v < INT_MIN || v > INT_MAX)
		return val_int_err(s, err, errlen);
	*out = v;
	return 0;
}

/* ---- simple types ---- */

static int
val_word(const char *s, const char *const *words)
{
	for (; *words != NULL; words++)
		if (strcasecmp(s, *words) == 0)
			return 1;
	return 0;
}

static const char *const val_truthy[] = { "yes", "true", "on", "1", NULL };
static const char *const val_falsy[] = { "no", "false", "off", "0", NULL };

int
pm_val_bool(const char *s, bool *out, char *err, size_t errlen)
{
	char	*r;

	if (val_word(s, val_truthy))
		*out = true;
	else if (val_word(s, val_falsy))
		*out = false;
	else {
		r = pm_repr(s);
		snprintf(err, errlen, "not a valid boolean value: %s", r);
		free(r);
		return -1;
	}
	return 0;
}

/* An int with an optional KB/MB/GB suffix; Python lower-cases first. */
int
pm_val_bytes(const char *s, long long *out, char *err, size_t errlen)
{
	static const struct { const char *sfx; long long mult; } units[] = {
		{ "kb", 1024LL }, { "mb", 1024LL * 1024 },
		{ "gb", 1024LL * 1024 * 1024 },
	};
	char		*low, *p;
	long long	 mult = 1, v;
	size_t		 i, n;
	int		 rc = 0;

	low = xstrdup(s);
	for (p = low; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);
	n = strlen(low);
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (n >= 2 && strcmp(low + n - 2, units[i].sfx) == 0) {
			low[n - 2] = '\0';
			mult = units[i].mult;
			break;
		}
	if (val_pyint(low, 10, &v) == -1 ||
	    (v != 0 && (v > LLONG_MAX / mult || v < LLONG_MIN / mult)))
		rc = val_int_err(low, err, errlen);
	else
		*out = v * mult;
	free(low);
	return rc;
}

int
pm_val_octal(const char *s, int *out, char *err, size_t errlen)
{
	long long	 v;

	if (val_pyint(s, 8, &v) == -1 || v < INT_MIN || v > INT_MAX) {
		snprintf(err, errlen, "%s can not be converted to an octal "
		    "type", s);
		return -1;
	}
	*out = v;
	return 0;
}

int
pm_val_autorestart(const char *s, int *out, char *err, size_t errlen)
{
	char	*low, *p, *r;

	if (val_word(s, val_truthy))
		*out = PM_RESTART_TRUE;
	else if (val_word(s, val_falsy))
		*out = PM_RESTART_FALSE;
	else if (strcasecmp(s, "unexpected") == 0)
		*out = PM_RESTART_UNEXPECTED;
	else {
		low = xstrdup(s);
		for (p = low; *p != '\0'; p++)
			*p = tolower((unsigned char)*p);
		r = pm_repr(low);
		snprintf(err, errlen, "invalid 'autorestart' value %s", r);
		free(r);
		free(low);
		return -1;
	}
	return 0;
}

int
pm_val_loglevel(const char *s, int *out, char *err, size_t errlen)
{
	enum log_level	 lvl;
	char		*r;

	if (log_level_parse(s, &lvl) == -1) {
		r = pm_repr(s);
		snprintf(err, errlen, "bad logging level name %s", r);
		free(r);
		return -1;
	}
	*out = lvl;
	return 0;
}

/* ---- exit codes ---- */

int
pm_val_exitcodes(const char *s, uint8_t bits[32], char *err, size_t errlen)
{
	char		*copy, *item, *next, *r;
	long long	 v;
	int		 bad = 0;

	memset(bits, 0, 32);
	if (*s == '\0')
		return 0;
	copy = xstrdup(s);
	for (item = copy; item != NULL && !bad; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		if (val_pyint(item, 10, &v) == -1 || v < 0 || v > 255)
			bad = 1;
		else
			bits[v / 8] |= 1u << (v % 8);
	}
	free(copy);
	if (bad) {
		r = pm_repr(s);
		snprintf(err, errlen, "not a valid list of exit codes: %s", r);
		free(r);
		return -1;
	}
	return 0;
}

/* ---- signals ---- */

/*
 * The names Python's signal module has on Linux; 4.2.5 accepts any number
 * one of them has, which includes 0..2 through SIG_DFL and friends.
 */
static const struct { const char *name; int num; } val_signals[] = {
	{ "SIGABRT", SIGABRT }, { "SIGALRM", SIGALRM }, { "SIGBUS", SIGBUS },
	{ "SIGCHLD", SIGCHLD }, { "SIGCLD", SIGCHLD }, { "SIGCONT", SIGCONT },
	{ "SIGFPE", SIGFPE }, { "SIGHUP", SIGHUP }, { "SIGILL", SIGILL },
	{ "SIGINT", SIGINT }, { "SIGIO", SIGIO }, { "SIGIOT", SIGABRT },
	{ "SIGKILL", SIGKILL }, { "SIGPIPE", SIGPIPE }, { "SIGPOLL", SIGIO },
	{ "SIGPROF", SIGPROF }, { "SIGPWR", SIGPWR }, { "SIGQUIT", SIGQUIT },
	{ "SIGSEGV", SIGSEGV }, { "SIGSTKFLT", SIGSTKFLT },
	{ "SIGSTOP", SIGSTOP }, { "SIGSYS", SIGSYS }, { "SIGTERM", SIGTERM },
	{ "SIGTRAP", SIGTRAP }, { "SIGTSTP", SIGTSTP }, { "SIGTTIN", SIGTTIN },
	{ "SIGTTOU", SIGTTOU }, { "SIGURG", SIGURG }, { "SIGUSR1", SIGUSR1 },
	{ "SIGUSR2", SIGUSR2 }, { "SIGVTALRM", SIGVTALRM },
	{ "SIGWINCH", SIGWINCH }, { "SIGXCPU", SIGXCPU },
	{ "SIGXFSZ", SIGXFSZ }, { "SIG_BLOCK", SIG_BLOCK },
	{ "SIG_DFL", 0 }, { "SIG_IGN", 1 }, { "SIG_SETMASK", SIG_SETMASK },
	{ "SIG_UNBLOCK", SIG_UNBLOCK },
	{ "SIGRTMIN", -1 }, { "SIGRTMAX", -2 },	/* not constants */
};

static int
val_signal_value(size_t i)
{
	if (val_signals[i].num == -1)
		return SIGRTMIN;
	if (val_signals[i].num == -2)
		return SIGRTMAX;
	return val_signals[i].num;
}

static int
val_signal_lookup(const char *s, int *num)
{
	char	 name[64], *p;
	size_t	 i;

	while (isspace((unsigned char)*s))
		s++;
	snprintf(name, sizeof(name), "%s%s",
	    strncasecmp(s, "SIG", 3) == 0 ? "" : "SIG", s);
	for (p = name + strlen(name); p > name && isspace((unsigned char)
	    p[-1]); )
		*--p = '\0';
	for (p = name; *p != '\0'; p++)
		*p = toupper((unsigned char)*p);
	for (i = 0; i < sizeof(val_signals) / sizeof(val_signals[0]); i++)
		if (strcmp(val_signals[i].name, name) == 0) {
			*num = val_signal_value(i);
			return 0;
		}
	return -1;
}

int
pm_val_signal(const char *s, int *out, char *err, size_t errlen)
{
	long long	 v;
	size_t		 i;
	char		*r;

	if (val_pyint(s, 10, &v) == -1) {
		if (val_signal_lookup(s, out) == 0)
			return 0;
		r = pm_repr(s);
		snprintf(err, errlen, "value %s is not a valid signal name", r);
		free(r);
		return -1;
	}
	for (i = 0; i < sizeof(val_signals) / sizeof(val_signals[0]); i++)
		if (val_signal_value(i) == v) {
			*out = v;
			return 0;
		}
	r = pm_repr(s);
	snprintf(err, errlen, "value %s is not a valid signal number", r);
	free(r);
	return -1;
}

/* ---- names, users ---- */

int
pm_val_name(const char *s, char **out, char *err, size_t errlen)
{
	const char	*bad = " :/", *b;
	char		*copy, *start, *end, *r1, *r2, ch[2];

	copy = xstrdup(s);
	for (start = copy; isspace((unsigned char)*start); start++)
		;
	for (end = start + strlen(start); end > start &&
	    isspace((unsigned char)end[-1]); )
		*--end = '\0';
	for (b = bad; *b != '\0'; b++)
		if (strchr(start, *b) != NULL) {
			ch[0] = *b;
			ch[1] = '\0';
			r1 = pm_repr(s);
			r2 = pm_repr(ch);
			snprintf(err, errlen, "Invalid name: %s because of "
			    "character: %s", r1, r2);
			free(r1);
			free(r2);
			free(copy);
			return -1;
		}
	*out = xstrdup(start);
	free(copy);
	return 0;
}

int
pm_val_user(const char *s, uid_t *uid, gid_t *gid, char *err, size_t errlen)
{
	struct passwd	*pw;
	long long	 v;

	if (val_pyint(s, 10, &v) == 0) {
		if (v < 0 || v > UINT_MAX || (pw = getpwuid(v)) == NULL) {
			snprintf(err, errlen, "Invalid user id %s", s);
			return -1;
		}
	} else if ((pw = getpwnam(s)) == NULL) {
		snprintf(err, errlen, "Invalid user name %s", s);
		return -1;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

static int
val_group(const char *s, gid_t *gid)
{
	struct group	*gr;
	long long	 v;

	if (val_pyint(s, 10, &v) == 0) {
		if (v < 0 || v > UINT_MAX || (gr = getgrgid(v)) == NULL)
			return -1;
	} else if ((gr = getgrnam(s)) == NULL)
		return -1;
	*gid = gr->gr_gid;
	return 0;
}

/* "user" or "user:group"; gid is (gid_t)-1 without a group. */
int
pm_val_usergroup(const char *s, uid_t *uid, gid_t *gid, char *err,
    size_t errlen)
{
	char	*copy, *colon;
	gid_t	 ugid;
	int	 rc = 0;

	copy = xstrdup(s);
	if ((colon = strchr(copy, ':')) != NULL)
		*colon++ = '\0';
	*gid = (gid_t)-1;
	if (pm_val_user(copy, uid, &ugid, err, errlen) == -1 ||
	    (colon != NULL && val_group(colon, gid) == -1)) {
		snprintf(err, errlen, "Invalid user:group definition %s", s);
		rc = -1;
	}
	free(copy);
	return rc;
}

/* ---- paths ---- */

char *
pm_path_expanduser(const char *p)
{
	struct passwd	*pw;
	const char	*home, *slash;
	char		*name, *out;
	size_t		 hl;

	if (p[0] != '~')
		return xstrdup(p);
	slash = strchr(p, '/');
	if (slash == NULL)
		slash = p + strlen(p);
	if (slash == p + 1) {
		if ((home = getenv("HOME")) == NULL) {
			if ((pw = getpwuid(getuid())) == NULL)
				return xstrdup(p);
			home = pw->pw_dir;
		}
	} else {
		name = xstrndup(p + 1, slash - p - 1);
		pw = getpwnam(name);
		free(name);
		if (pw == NULL)
			return xstrdup(p);
		home = pw->pw_dir;
	}
	hl = strlen(home);
	while (hl > 0 && home[hl - 1] == '/')
		hl--;
	xasprintf(&out, "%.*s%s", (int)hl, home, slash);
	if (*out == '\0') {
		free(out);
		out = xstrdup("/");
	}
	return out;
}

/* posixpath.normpath */
static char *
val_normpath(const char *p)
{
	char	*copy, *tok, *save, **parts, *out;
	size_t	 n = 0, i, lead, len = 0;

	lead = strspn(p, "/");
	if (lead > 2)
		lead = 1;
	copy = xstrdup(p);
	parts = xcalloc(strlen(p) + 1, sizeof(*parts));
	for (tok = strtok_r(copy, "/", &save); tok != NULL;
	    tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, ".") == 0)
			continue;
		if (strcmp(tok, "..") == 0 && ((lead == 0 && n > 0 &&
		    strcmp(parts[n - 1], "..") != 0) || (lead > 0 && n > 0))) {
			n--;
			continue;
		}
		if (strcmp(tok, "..") == 0 && lead > 0)
			continue;
		parts[n++] = tok;
	}
	for (i = 0; i < n; i++)
		len += strlen(parts[i]) + 1;
	out = xcalloc(1, len + lead + 2);
	memset(out, '/', lead);
	for (i = 0; i < n; i++) {
		if (i > 0)
			strcat(out, "/");
		strcat(out, parts[i]);
	}
	if (*out == '\0')
		strcpy(out, ".");
	free(parts);
	free(copy);
	return out;
}

char *
pm_path_join(const char *a, const char *b)
{
	char	*out;
	size_t	 al = strlen(a);

	if (b[0] == '/' || al == 0)
		return xstrdup(b);
	xasprintf(&out, "%s%s%s", a, a[al - 1] == '/' ? "" : "/", b);
	return out;
}

char *
pm_path_normalize(const char *p)
{
	char	*e, *abs, *out, cwd[PATH_MAX];

	e = pm_path_expanduser(p);
	if (e[0] != '/' && getcwd(cwd, sizeof(cwd)) != NULL)
		abs = pm_path_join(cwd, e);
	else
		abs = xstrdup(e);
	out = val_normpath(abs);
	free(abs);
	free(e);
	return out;
}

char *
pm_path_dirname(const char *p)
{
	const char	*slash = strrchr(p, '/');
	size_t		 n;

	if (slash == NULL)
		return xstrdup("");
	n = slash - p + 1;
	if (strspn(p, "/") < n)
		while (n > 0 && p[n - 1] == '/')
			n--;
	return xstrndup(p, n);
}

static int
val_isdir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int
pm_val_existing_dir(const char *s, char **out, char *err, size_t errlen)
{
	char	*e = pm_path_expanduser(s);

	if (!val_isdir(e)) {
		free(e);
		snprintf(err, errlen, "%s is not an existing directory", s);
		return -1;
	}
	*out = e;
	return 0;
}

int
pm_val_existing_dirpath(const char *s, char **out, char *err, size_t errlen)
{
	char	*e, *dir;

	e = pm_path_expanduser(s);
	dir = pm_path_dirname(e);
	if (*dir != '\0' && !val_isdir(dir)) {
		free(dir);
		free(e);
		snprintf(err, errlen, "The directory named as part of the path "
		    "%s does not exist", s);
		return -1;
	}
	free(dir);
	*out = e;
	return 0;
}

int
pm_val_logfile(const char *s, enum pm_lfkind *kind, char **path, char *err,
    size_t errlen)
{
	*path = NULL;
	if (strcasecmp(s, "none") == 0 || strcasecmp(s, "off") == 0)
		*kind = PM_LF_NONE;
	else if (strcasecmp(s, "auto") == 0)
		*kind = PM_LF_AUTO;
	else if (strcasecmp(s, "syslog") == 0)
		*kind = PM_LF_SYSLOG;
	else {
		*kind = PM_LF_PATH;
		return pm_val_existing_dirpath(s, path, err, errlen);
	}
	return 0;
}

/* ---- ports ---- */

int
pm_val_port(const char *s, int *out, char *err, size_t errlen)
{
	int	 v;

	if (pm_val_int(s, &v, err, errlen) == -1)
		return -1;
	if (v < 1) {
		snprintf(err, errlen, "%d is below lower bound (1)", v);
		return -1;
	}
	if (v > 65535) {
		snprintf(err, errlen, "%d is above upper bound (65535)", v);
		return -1;
	}
	*out = v;
	return 0;
}

/* "port", "host:port", "*:port", ":port"; host "" means any. */
int
pm_val_inet_address(const char *s, char **host, int *port, char *err,
    size_t errlen)
{
	const char	*colon = strrchr(s, ':');
	char		*r, *p;

	if (colon == NULL) {
		if (pm_val_port(s, port, err, errlen) == -1) {
			r = pm_repr(s);
			snprintf(err, errlen, "not a valid port number: %s ", r);
			free(r);
			return -1;
		}
		*host = xstrdup("");
		return 0;
	}
	if (colon[1] == '\0') {
		snprintf(err, errlen, "no port number specified in ''");
		return -1;
	}
	if (pm_val_port(colon + 1, port, err, errlen) == -1)
		return -1;
	*host = xstrndup(s, colon - s);
	for (p = *host; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);
	if (strcmp(*host, "*") == 0)
		**host = '\0';
	return 0;
}

/* ---- environment arrays ---- */

size_t
pm_env_count(char *const *env)
{
	size_t	 n = 0;

	while (env != NULL && env[n] != NULL)
		n++;
	return n;
}

void
pm_env_set(char ***envp, const char *key, const char *value)
{
	size_t	 n = pm_env_count(*envp), i, kl = strlen(key);
	char	*kv;

	xasprintf(&kv, "%s=%s", key, value);
	for (i = 0; i < n; i++)
		if (strncmp((*envp)[i], key, kl) == 0 &&
		    (*envp)[i][kl] == '=') {
			free((*envp)[i]);
			(*envp)[i] = kv;
			return;
		}
	*envp = xreallocarray(*envp, n + 2, sizeof(**envp));
	(*envp)[n] = kv;
	(*envp)[n + 1] = NULL;
}

char **
pm_env_copy(char *const *env)
{
	char	**out = NULL;
	size_t	  n = pm_env_count(env), i;

	if (env == NULL)
		return NULL;
	out = xcalloc(n + 1, sizeof(*out));
	for (i = 0; i < n; i++)
		out[i] = xstrdup(env[i]);
	return out;
}

void
pm_env_free(char **env)
{
	size_t	 i;

	for (i = 0; env != NULL && env[i] != NULL; i++)
		free(env[i]);
	free(env);
}

/* ---- environment= (Python shlex, non-POSIX mode) ---- */

/* The lexer: word characters, quotes kept in the token, '#' comments. */
struct val_lex {
	const char	*p;
	char		 state;		/* ' ', 'a', a quote, or 0 at EOF */
	char		*pushback;	/* a one-char token to return next */
};

static int
val_lex_word(const char *c, size_t n)
{
	return n == 1 && (isalnum((unsigned char)*c) ||
	    strchr("_/.+-():", *c) != NULL);
}

/* Length of the (UTF-8) character at p; Python reads characters. */
static size_t
val_lex_charlen(const char *p)
{
	unsigned char	 c = *p;
	size_t		 n = 1;

	if (c >= 0xc0)
		while (n < 4 && ((unsigned char)p[n] & 0xc0) == 0x80)
			n++;
	return n;
}

static void
val_lex_append(char **tok, const char *c, size_t n)
{
	size_t	 l = *tok == NULL ? 0 : strlen(*tok);

	*tok = xrealloc(*tok, l + n + 1);
	memcpy(*tok + l, c, n);
	(*tok)[l + n] = '\0';
}

/* One step of the word state; returns 1 when the token is complete. */
static int
val_lex_in_word(struct val_lex *lx, char **tok, const char *c, size_t n)
{
	if (*c == '\0') {
		lx->state = 0;
		return 1;
	}
	lx->p += n;
	if (strchr(" \t\r\n", *c) != NULL) {
		lx->state = ' ';
		return 1;
	}
	if (*c == '#') {
		/* non-POSIX shlex skips the line but stays in the word */
		lx->p += strcspn(lx->p, "\n");
		if (*lx->p == '\n')
			lx->p++;
		return 0;
	}
	if (val_lex_word(c, n) || *c == '"' || *c == '\'') {
		val_lex_append(tok, c, n);
		return 0;
	}
	lx->pushback = xstrndup(c, n);
	lx->state = ' ';
	return 1;
}

/* One step of the blank state. */
static int
val_lex_in_blank(struct val_lex *lx, char **tok, const char *c, size_t n)
{
	if (*c == '\0') {
		lx->state = 0;
		return 1;
	}
	lx->p += n;
	if (strchr(" \t\r\n", *c) != NULL)
		return 0;
	if (*c == '#') {
		lx->p += strcspn(lx->p, "\n");
		if (*lx->p == '\n')
			lx->p++;
		return 0;
	}
	val_lex_append(tok, c, n);
	if (val_lex_word(c, n))
		lx->state = 'a';
	else if (*c == '"' || *c == '\'')
		lx->state = *c;
	else
		return 1;
	return 0;
}

/* Next token into *tok (NULL at the end); -1 on an open quote. */
static int
val_lex_next(struct val_lex *lx, char **tok)
{
	const char	*c;
	size_t		 n;
	int		 done = 0;

	*tok = NULL;
	if (lx->pushback != NULL) {
		*tok = lx->pushback;
		lx->pushback = NULL;
		return 0;
	}
	while (!done && lx->state != 0) {
		c = lx->p;
		n = *c == '\0' ? 0 : val_lex_charlen(c);
		if (lx->state == ' ')
			done = val_lex_in_blank(lx, tok, c, n);
		else if (lx->state == 'a')
			done = val_lex_in_word(lx, tok, c, n);
		else if (*c == '\0')
			return -1;
		else {
			lx->p += n;
			val_lex_append(tok, c, n);
			if (*c == lx->state) {
				lx->state = ' ';
				done = 1;
			}
		}
	}
	return 0;
}

/* Tokens of s; -1 with "No closing quotation". */
static int
val_lex_all(const char *s, char ***toks, size_t *ntoks)
{
	struct val_lex	 lx = { s, ' ', NULL };
	char		*t;

	*toks = NULL;
	*ntoks = 0;
	for (;;) {
		if (val_lex_next(&lx, &t) == -1) {
			free(t);
			return -1;
		}
		if (t == NULL)
			return 0;
		*toks = xreallocarray(*toks, *ntoks + 1, sizeof(**toks));
		(*toks)[(*ntoks)++] = t;
	}
}

/* Python's str.strip('\'"'), into a new string. */
static char *
val_unquote(const char *s)
{
	size_t	 n;

	s += strspn(s, "'\"");
	n = strlen(s);
	while (n > 0 && (s[n - 1] == '\'' || s[n - 1] == '"'))
		n--;
	return xstrndup(s, n);
}

/*
 * KEY=val,KEY2=val2 as 4.2.5 reads it: key, "=", value triples, each
 * followed by any one token that is skipped.
 */
int
pm_val_environment(const char *s, char ***env, char *err, size_t errlen)
{
	char	**toks, *v;
	size_t	  n, i;
	int	  rc = 0;

	*env = NULL;
	if (val_lex_all(s, &toks, &n) == -1) {
		snprintf(err, errlen, "No closing quotation");
		rc = -1;
	}
	for (i = 0; rc == 0 && i < n; i += 4) {
		if (i + 3 > n || strcmp(toks[i + 1], "=") != 0) {
			snprintf(err, errlen, "Unexpected end of key/value "
			    "pairs in value '%s'", s);
			rc = -1;
			break;
		}
		v = val_unquote(toks[i + 2]);
		pm_env_set(env, toks[i], v);
		free(v);
	}
	for (i = 0; i < n; i++)
		free(toks[i]);
	free(toks);
	if (rc == -1) {
		pm_env_free(*env);
		*env = NULL;
	}
	return rc;
}
