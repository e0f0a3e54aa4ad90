/*
 * ctl.h: supervisorctl. It speaks only Supervisor's public XML-RPC API and
 * the /logtail HTTP endpoints, so it drives our supervisord and Python's.
 *
 *  ctl_main.c	  options, config, one command or the shell, exit status
 *  ctl_conf.c	  the [supervisorctl] section (procmgr's INI reader)
 *  ctl_http.c	  libcurl: one persistent connection per session, streams
 *  ctl_xmlrpc.c  methodCall building, methodResponse parsing (expat)
 *  ctl_val.c	  the value tree responses decode into
 *  ctl_run.c	  command dispatch, upcheck, 4.2.5's error lines
 *  ctl_util.c	  word splitting, namespecs
 *  ctl_cmds*.c	  the commands
 *  ctl_help.c	  help texts and the command grid
 *  ctl_shell.c	  the libedit shell: history, completion
 */
#ifndef NV_CTL_H
#define NV_CTL_H

#include <stdbool.h>
#include <stddef.h>

/* Supervisor's fault codes (shared with rpc/). */
enum ctl_fault {
#define RPC_FAULT(name, code, text)	CTL_F_##name = code,
#include "rpc_faults.def"
#undef RPC_FAULT
};

/* Exit statuses, as 4.2.5 names them after the LSB. */
enum {
	CTL_EX_OK = 0,
	CTL_EX_GENERIC = 1,
	CTL_EX_INVALID_ARGS = 2,
	CTL_EX_UNIMPLEMENTED = 3,
	CTL_EX_PRIVILEGES = 4,
	CTL_EX_NOT_INSTALLED = 5,
	CTL_EX_NOT_RUNNING = 7,
	CTL_EX_STATUS_NOT_RUNNING = 3,
	CTL_EX_STATUS_UNKNOWN = 4,
};

/* ---- values: a tree lives in one arena, owned by its root ---- */

enum ctl_vtype {
	CTL_V_INT, CTL_V_BOOL, CTL_V_DOUBLE, CTL_V_STR, CTL_V_ARRAY,
	CTL_V_STRUCT,
};

struct ctl_arena;

struct ctl_val {
	enum ctl_vtype	 type;
	long long	 i;		/* INT, BOOL */
	double		 d;
	char		*s;		/* STR (also dateTime, base64 text) */
	size_t		 slen;
	struct ctl_val	**items;	/* ARRAY, STRUCT members */
	char		**keys;		/* STRUCT member names */
	size_t		 n, cap;
	struct ctl_arena *arena;	/* the root's: freed with it */
};

struct ctl_arena *ctl_arena_new(void);
void		 ctl_arena_free(struct ctl_arena *);
void		*ctl_arena_alloc(struct ctl_arena *, size_t);
char		*ctl_arena_strndup(struct ctl_arena *, const char *, size_t);
struct ctl_val	*ctl_val_new(struct ctl_arena *, enum ctl_vtype);
/* Append v to an array (key NULL) or a struct; key is arena memory. */
void		 ctl_val_push(struct ctl_arena *, struct ctl_val *, char *key,
		    struct ctl_val *);
/* Free the whole tree; only for a root (or NULL). */
void		 ctl_val_free(struct ctl_val *);
const struct ctl_val *ctl_val_get(const struct ctl_val *, const char *key);
/* Struct member as string ("" if missing) or integer (0 if missing). */
const char	*ctl_val_str(const struct ctl_val *, const char *key);
long long	 ctl_val_int(const struct ctl_val *, const char *key);

/* ---- the outcome of a call ---- */

enum ctl_ekind {
	CTL_E_NONE,
	CTL_E_FAULT,		/* code, msg: the server's fault */
	CTL_E_REFUSED,		/* ECONNREFUSED */
	CTL_E_NOFILE,		/* ENOENT on the unix socket */
	CTL_E_HTTP,		/* code: HTTP status, msg: reason */
	CTL_E_URL,		/* serverurl neither http:// nor unix:// */
	CTL_E_OTHER,		/* msg: transport or parse error */
};

struct ctl_err {
	enum ctl_ekind	 kind;
	int		 code;
	char		 msg[1024];
};

/* ---- options and session ---- */

struct ctl_opts {
	char		*configfile;
	char		*serverurl;
	char		*username;	/* NULL: none */
	char		*password;
	char		*prompt;
	char		*history_file;
	bool		 interactive;
};

struct ctl_http;

struct ctl {
	struct ctl_opts	 o;
	const char	*progname;
	int		 exitstatus;
	struct ctl_http	*http;
	struct ctl_err	 exc;		/* what a command "raised" */
	struct ctl_val	*complete_info;	/* cached getAllProcessInfo */
};

/* ctl_conf.c: read [supervisorctl] into o; -1 with err (for usage). */
int		 ctl_conf_read(struct ctl_opts *, const char *path, char *err,
		    size_t errlen);

/* ctl_http.c */
struct ctl_http	*ctl_http_new(void);
void		 ctl_http_free(struct ctl_http *);
/* POST body to /RPC2; 0 once a 200 response's body has gone to sink,
 * piece by piece as it came, or -1 with the error. */
typedef void	 ctl_body_fn(const char *, size_t, void *arg);
int		 ctl_http_post(struct ctl *, const char *body, size_t len,
		    ctl_body_fn *sink, void *arg, struct ctl_err *);
/* Streams: GET path and write what comes to stdout until interrupted
 * (*stop set), the server closes, or stdin_line returns non-zero. */
typedef int	 ctl_line_fn(struct ctl *, const char *line, void *arg);
int		 ctl_http_follow(struct ctl *, const char **paths, size_t npaths,
		    volatile int *stop, ctl_line_fn *stdin_line, void *arg);

/* ctl_xmlrpc.c */
int		 ctl_xml_parse_response(const char *xml, size_t len,
		    struct ctl_val **out, struct ctl_err *);
/* The same, fed piece by piece: new, feed..., then end or discard. */
struct ctl_xp;
struct ctl_xp	*ctl_xp_new(void);
void		 ctl_xp_feed(struct ctl_xp *, const char *, size_t);
int		 ctl_xp_end(struct ctl_xp *, struct ctl_val **out,
		    struct ctl_err *);
void		 ctl_xp_discard(struct ctl_xp *);
/*
 * Call method with params described by fmt ('s' string, 'i' int, 'b'
 * bool, 'F' a struct from a NULL-ended char ** of key, value pairs, where
 * a key starting with '#' has an int value). Returns 0 with the result in *out, or -1 with e filled.
 */
int		 ctl_call(struct ctl *, struct ctl_val **out, struct ctl_err *e,
		    const char *method, const char *fmt, ...);

/* ctl_run.c */
extern volatile int ctl_sigint;	/* set by SIGINT ... */
extern volatile int ctl_sigint_catch;	/* ... while this is set */
void		 ctl_output(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2)));
int		 ctl_onecmd(struct ctl *, const char *line);	/* 1: leave */
int		 ctl_upcheck(struct ctl *);	/* 1 ok, 0 not, -1 raised */
int		 ctl_raise(struct ctl *, const struct ctl_err *);   /* -1 */
void		 ctl_exit_from_fault(struct ctl *, int code, int ignored);
int		 ctl_ask(struct ctl *, const char *prompt, char *buf, size_t len,
		    bool echo);

/* ctl_util.c */
/* Split a namespec: "g:n" -> g, n; "g:" or "g:*" -> g, NULL; "n" -> n, n. */
void		 ctl_split_namespec(const char *, char **group, char **name);
char		*ctl_namespec(const char *group, const char *name);
/* Whitespace split; returns a NULL-terminated vector, count in *n. */
char		**ctl_split(const char *, size_t *n);
void		 ctl_strv_free(char **);
bool		 ctl_strv_has(char **, const char *);

/* Commands: return 0, or -1 when an unexpected error was raised
 * (ctl->exc), or 1 to leave the shell. */
typedef int	 ctl_cmd_fn(struct ctl *, const char *arg);
struct ctl_cmd {
	const char	*name;
	ctl_cmd_fn	*fn;
	const char	*help;
	enum { CTL_CX_NONE, CTL_CX_PROC, CTL_CX_GROUP, CTL_CX_CMD } complete;
};
const struct ctl_cmd *ctl_cmd_find(const char *name);
extern const struct ctl_cmd ctl_cmds[];
void		 ctl_help_cmd(const char *name);

#define CTL_CMD(n)	int ctl_cmd_##n(struct ctl *, const char *)
CTL_CMD(status); CTL_CMD(start); CTL_CMD(stop); CTL_CMD(restart);
CTL_CMD(signal); CTL_CMD(pid); CTL_CMD(clear); CTL_CMD(tail);
CTL_CMD(maintail); CTL_CMD(fg); CTL_CMD(avail); CTL_CMD(reread);
CTL_CMD(update); CTL_CMD(add); CTL_CMD(remove); CTL_CMD(reload);
CTL_CMD(shutdown); CTL_CMD(version); CTL_CMD(open); CTL_CMD(help);
CTL_CMD(quit); CTL_CMD(EOF); CTL_CMD(firedrill);
#undef CTL_CMD

/* ctl_shell.c: the interactive loop; always returns 0. */
int		 ctl_shell(struct ctl *, bool status_first);

#endif
