/*
 * pm_conf_int.h: shared by the config parser's files only (libpmconf.a).
 * The INI reader and %-expansion they build on are declared in pm.h.
 *
 *  pm_ini.c	  the INI dialect of Python's RawConfigParser(strict=False)
 *  pm_expand.c	  Supervisor's %-expansion (Python "%" formatting, mapping)
 *  pm_values.c	  value converters with 4.2.5's error texts
 *  pm_conf.c	  sections -> struct pm_config
 */
#ifndef NV_PM_CONF_INT_H
#define NV_PM_CONF_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "pm.h"		/* the INI reader and %-expansion are public */

/* ---- values (each writes 4.2.5's message into err on failure) ---- */

enum pm_lfkind {
	PM_LF_NONE,
	PM_LF_AUTO,
	PM_LF_SYSLOG,
	PM_LF_PATH,
};

int	 pm_val_int(const char *, int *, char *, size_t);
int	 pm_val_bool(const char *, bool *, char *, size_t);
int	 pm_val_bytes(const char *, long long *, char *, size_t);
int	 pm_val_octal(const char *, int *, char *, size_t);
int	 pm_val_signal(const char *, int *, char *, size_t);
int	 pm_val_exitcodes(const char *, uint8_t bits[32], char *, size_t);
int	 pm_val_autorestart(const char *, int *, char *, size_t);
int	 pm_val_loglevel(const char *, int *, char *, size_t);
int	 pm_val_name(const char *, char **, char *, size_t);
int	 pm_val_user(const char *, uid_t *, gid_t *, char *, size_t);
int	 pm_val_usergroup(const char *, uid_t *, gid_t *, char *, size_t);
int	 pm_val_logfile(const char *, enum pm_lfkind *, char **, char *,
	    size_t);
int	 pm_val_existing_dir(const char *, char **, char *, size_t);
int	 pm_val_existing_dirpath(const char *, char **, char *, size_t);
int	 pm_val_inet_address(const char *, char **, int *, char *, size_t);
int	 pm_val_port(const char *, int *, char *, size_t);
int	 pm_val_environment(const char *, char ***, char *, size_t);

/* "K=V" arrays, NULL-terminated: set keeps the key's first position. */
void	 pm_env_set(char ***, const char *key, const char *value);
char   **pm_env_copy(char *const *);
void	 pm_env_free(char **);
size_t	 pm_env_count(char *const *);


/* Python's repr() of a str, into a new string. */
char	*pm_repr(const char *);

/* ---- the loader's shared state (pm_conf.c, pm_conf_proc.c) ---- */

struct pm_config;
struct pm_confmsg;
struct pm_groupconf;

/* One pm_config_load() call. Owns everything until handed to cfg. */
struct pm_conf_ctx {
	struct pm_ini	 ini;
	struct pm_config *cfg;
	const char	*path;		/* as given, for messages */
	char		*here;		/* absolute directory of path */
	char		 nodename[256];
	struct pm_expvars env;		/* ENV_*, plus [supervisord] env. */
	struct pm_expvars osenv;	/* ENV_* of the environment only */
	char		**sdenv;	/* [supervisord] environment= */
	char		*err;
	size_t		 errlen;
	struct pm_confmsg *warns;	/* logged before infos, as 4.2.5 */
	size_t		 nwarns;
	struct pm_confmsg *infos;
	size_t		 ninfos;
};

/* A section being read and the expansion names its values may use. */
struct pm_conf_sec {
	struct pm_conf_ctx *c;
	const char	*name;
	struct pm_ini_sec *sec;
	const struct pm_expvars *vars;
};

enum pm_conf_type {
	PM_CT_STR,		/* char ** */
	PM_CT_INT,		/* int * */
	PM_CT_BOOL,		/* bool * */
	PM_CT_BYTES,		/* long long * */
	PM_CT_OCTAL,		/* int * */
	PM_CT_SIGNAL,		/* int * */
	PM_CT_EXITCODES,	/* uint8_t[32] */
	PM_CT_AUTORESTART,	/* enum pm_autorestart * */
	PM_CT_LOGLEVEL,		/* int * */
};

/*
 * The value of key (or DEFAULT's, or def), %-expanded with s->vars when
 * expand is set. *out is NULL when absent and def is NULL. Returns -1 with
 * a located message in c->err.
 */
int	 pm_conf_str(struct pm_conf_sec *, const char *key, const char *def,
	    bool expand, char **out);
/* pm_conf_str, then convert; returns 1 if the key was given, 0 if not. */
int	 pm_conf_typed(struct pm_conf_sec *, const char *key,
	    const char *def, enum pm_conf_type, void *out);
/* Append " in section 'x' (file: 'f', line N, option 'k')" to c->err. */
int	 pm_conf_locate(struct pm_conf_sec *, const char *key);
int	 pm_conf_fail(struct pm_conf_sec *, const char *key, const char *fmt,
	    ...) __attribute__((format(printf, 3, 4)));
void	 pm_conf_msg(struct pm_conf_ctx *, int level, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* pm_conf_proc.c: [group:], [program:], [eventlistener:], [fcgi-program:]
 * into c->cfg->groups, sorted. */
int	 pm_conf_groups(struct pm_conf_ctx *);
void	 pm_conf_group_free(struct pm_groupconf *);

#endif
