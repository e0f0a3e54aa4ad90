/*
 * rpc_methods_int.h: shared by rpc_methods.c, rpc_methods_proc.c and
 * rpc_methods_log.c only.
 */
#ifndef NV_RPC_METHODS_INT_H
#define NV_RPC_METHODS_INT_H

#include <stdbool.h>

#include "rpc_int.h"

struct bus_event;

enum rpc_fault_code {
#define RPC_FAULT(name, code, meaning)	RPC_FAULT_##name = code,
#include "rpc_faults.def"
#undef RPC_FAULT
};

/* A method's outcome before encoding. Owner: whoever fills it. */
struct rpc_res {
	struct rpc_value *v;		/* the value when code is 0 */
	int		 code;		/* fault code, 0: success */
	char		*text;		/* "NAME" or "NAME: detail" */
};

/*
 * Work that finishes later (wait=true, group operations, multicall). Every
 * PROCESS_STATE_ event is fed to it; feed returns 1 once it is done, with
 * res filled, or 0 to keep waiting.
 */
struct rpc_job {
	int	(*feed)(struct rpc_methods *, struct rpc_job *,
		    const struct bus_event *, struct rpc_res *);
	void	(*free)(struct rpc_job *);
};

#define RPC_DONE	0
#define RPC_LATER	1

/* A method: RPC_DONE with res filled, or RPC_LATER with *jobp set. */
typedef int	 rpc_method_fn(struct rpc_methods *, const struct rpc_value *,
		    struct rpc_res *, struct rpc_job **);

struct rpc_methods {
	struct ev_loop	*loop;
	struct bus	*bus;
	struct pm	*pm;
	struct logger	*logger;
	const struct rpc_ops *ops;
	void		*arg;
	struct rpc_call	*calls;		/* pending, owner: this */
};

#define RPC_METHOD(name, impl, nopt, sig, help)	rpc_method_fn rpc_m_##impl;
#include "rpc_help.def"
#undef RPC_METHOD

/* rpc_methods.c */
int		 rpc_run(struct rpc_methods *, const char *method,
		    const struct rpc_value *params, struct rpc_res *,
		    struct rpc_job **);
int		 rpc_fault(struct rpc_res *, int code, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
int		 rpc_ok(struct rpc_res *, struct rpc_value *);
void		 rpc_res_clear(struct rpc_res *);
void		 rpc_job_free(struct rpc_job *);
const char	*rpc_arg_str(const struct rpc_value *params, size_t i);
long long	 rpc_arg_int(const struct rpc_value *params, size_t i);
bool		 rpc_arg_bool(const struct rpc_value *params, size_t i,
		    bool dflt);
bool		 rpc_shutting_down(struct rpc_methods *);

/* rpc_methods_proc.c */
void		 rpc_namespec_split(const char *spec, char **group,
		    char **proc);
void		 rpc_uptime(char *buf, size_t len, long long secs);

#endif
