/*
 * rpc_methods.c: running XML-RPC calls. Looks a method up in
 * rpc_help.def, checks its arguments against the signature there, applies
 * the SHUTDOWN_STATE rule, runs it, and encodes the result. Calls that
 * finish later keep a job; every PROCESS_STATE_ event from the bus is fed
 * to the pending jobs, so nothing is polled. Also system.* and multicall.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "log.h"
#include "pm.h"
#include "rpc_methods_int.h"

/* One method row. */
struct rpc_mdesc {
	const char	*name;
	rpc_method_fn	*fn;
	int		 nopt;
	const char	*sig;
	const char	*help;
};

static const struct rpc_mdesc rpc_mtable[] = {
#define RPC_METHOD(name, impl, nopt, sig, help)				\
	{ name, rpc_m_##impl, nopt, sig, help },
#include "rpc_help.def"
#undef RPC_METHOD
};
#define RPC_NMETHODS	(sizeof(rpc_mtable) / sizeof(rpc_mtable[0]))

static const struct {
	int		 code;
	const char	*name;
} rpc_faults[] = {
#define RPC_FAULT(name, code, meaning)	{ code, #name },
#include "rpc_faults.def"
#undef RPC_FAULT
};

/* One accepted request. Owner: m->calls until done or cancelled. */
struct rpc_call {
	struct rpc_methods *m;
	rpc_call_done	*done;
	void		*arg;
	char		*method;
	struct rpc_value *params;	/* jobs borrow from it */
	struct rpc_job	*job;
	struct rpc_call	*next;
};

/* ---- results ---- */

static const char *
rpc_fault_name(int code)
{
	size_t	 i;

	for (i = 0; i < sizeof(rpc_faults) / sizeof(rpc_faults[0]); i++)
		if (rpc_faults[i].code == code)
			return rpc_faults[i].name;
	return "FAILED";
}

/* Fill res with a fault; fmt NULL gives the bare name. */
int
rpc_fault(struct rpc_res *res, int code, const char *fmt, ...)
{
	va_list	 ap;
	char	*detail;

	res->v = NULL;
	res->code = code;
	if (fmt == NULL) {
		res->text = xstrdup(rpc_fault_name(code));
		return RPC_DONE;
	}
	va_start(ap, fmt);
	if (vasprintf(&detail, fmt, ap) == -1)
		fatal("vasprintf");
	va_end(ap);
	xasprintf(&res->text, "%s: %s", rpc_fault_name(code), detail);
	free(detail);
	return RPC_DONE;
}

/* Takes v. */
int
rpc_ok(struct rpc_res *res, struct rpc_value *v)
{
	res->v = v;
	res->code = 0;
	res->text = NULL;
	return RPC_DONE;
}

void
rpc_res_clear(struct rpc_res *res)
{
	rpc_value_free(res->v);
	free(res->text);
	memset(res, 0, sizeof(*res));
}

void
rpc_job_free(struct rpc_job *job)
{
	if (job != NULL)
		job->free(job);
}

bool
rpc_shutting_down(struct rpc_methods *m)
{
	return m->ops != NULL && m->ops->mood != NULL &&
	    m->ops->mood(m->arg) < 1;
}

/* ---- arguments (checked against the signature before the call) ---- */

const char *
rpc_arg_str(const struct rpc_value *params, size_t i)
{
	return params->items[i]->s;
}

long long
rpc_arg_int(const struct rpc_value *params, size_t i)
{
	const struct rpc_value	*v = params->items[i];

	if (v->type == RPC_T_DOUBLE)
		return (long long)v->d;
	if (v->type == RPC_T_STRING)
		return strtoll(v->s, NULL, 10);
	return v->i;
}

/* Python's truth value of an argument. */
bool
rpc_arg_bool(const struct rpc_value *params, size_t i, bool dflt)
{
	const struct rpc_value	*v;

	if (i >= params->n)
		return dflt;
	v = params->items[i];
	switch (v->type) {
	case RPC_T_INT:
	case RPC_T_BOOL:
		return v->i != 0;
	case RPC_T_DOUBLE:
		return v->d != 0;
	case RPC_T_ARRAY:
	case RPC_T_STRUCT:
		return v->n != 0;
	default:
		return v->slen != 0;
	}
}

static bool
rpc_arg_fits(const char *type, size_t tlen, const struct rpc_value *v)
{
	char	*end;

	if (tlen == 6 && strncmp(type, "string", 6) == 0)
		return v->type == RPC_T_STRING || v->type == RPC_T_BASE64;
	if (tlen == 3 && strncmp(type, "int", 3) == 0) {
		if (v->type == RPC_T_STRING) {
			(void)strtoll(v->s, &end, 10);
			return end != v->s && *end == '\0';
		}
		return v->type == RPC_T_INT || v->type == RPC_T_BOOL ||
		    v->type == RPC_T_DOUBLE;
	}
	if (tlen == 5 && strncmp(type, "array", 5) == 0)
		return v->type == RPC_T_ARRAY;
	return true;
}

/* Whether params match the signature's parameter count and types. */
static bool
rpc_args_ok(const struct rpc_mdesc *d, const struct rpc_value *params)
{
	const char	*p = strchr(d->sig, ' ');
	size_t		 i = 0, want = 0, tlen;
	const char	*q;

	for (q = p; q != NULL; q = strchr(q + 1, ' '))
		want++;
	if (params->n > want || params->n + (size_t)d->nopt < want)
		return false;
	while (p != NULL && i < params->n) {
		p++;
		tlen = strcspn(p, " ");
		/* sendProcessStdin checks its chars itself, after the state */
		if (!rpc_arg_fits(p, tlen, params->items[i]) &&
		    !(i == 1 && d->fn == rpc_m_send_stdin))
			return false;
		i++;
		p = strchr(p, ' ');
	}
	return true;
}

static const struct rpc_mdesc *
rpc_method_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < RPC_NMETHODS; i++)
		if (strcmp(rpc_mtable[i].name, name) == 0)
			return &rpc_mtable[i];
	return NULL;
}

/* 4.2.5 refuses every supervisor.* call but these while not RUNNING. */
static bool
rpc_method_guarded(const char *name)
{
	return strncmp(name, "supervisor.", 11) == 0 &&
	    strcmp(name, "supervisor.sendRemoteCommEvent") != 0 &&
	    strcmp(name, "supervisor.signalAllProcesses") != 0;
}

/* Look up and run one method; also used by multicall. */
int
rpc_run(struct rpc_methods *m, const char *method,
    const struct rpc_value *params, struct rpc_res *res,
    struct rpc_job **jobp)
{
	const struct rpc_mdesc	*d;

	*jobp = NULL;
	memset(res, 0, sizeof(*res));
	if ((d = rpc_method_find(method)) == NULL)
		return rpc_fault(res, RPC_FAULT_UNKNOWN_METHOD, NULL);
	if (!rpc_args_ok(d, params))
		return rpc_fault(res, RPC_FAULT_INCORRECT_PARAMETERS, NULL);
	if (rpc_method_guarded(method) && rpc_shutting_down(m))
		return rpc_fault(res, RPC_FAULT_SHUTDOWN_STATE, NULL);
	return d->fn(m, params, res, jobp);
}

/* ---- system.* ---- */

int
rpc_m_list_methods(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	struct rpc_value	*a = rpc_v_array();
	size_t			 i;

	/* the table is kept sorted; check_rpc_methods proves it */
	for (i = 0; i < RPC_NMETHODS; i++)
		rpc_v_push(a, rpc_v_str(rpc_mtable[i].name));
	return rpc_ok(res, a);
}

int
rpc_m_method_help(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	const struct rpc_mdesc	*d;

	if ((d = rpc_method_find(rpc_arg_str(params, 0))) == NULL)
		return rpc_fault(res, RPC_FAULT_SIGNATURE_UNSUPPORTED, NULL);
	return rpc_ok(res, rpc_v_str(d->help));
}

int
rpc_m_method_signature(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	const struct rpc_mdesc	*d;
	struct rpc_value	*a;
	const char		*p;
	size_t			 len;

	if ((d = rpc_method_find(rpc_arg_str(params, 0))) == NULL)
		return rpc_fault(res, RPC_FAULT_SIGNATURE_UNSUPPORTED, NULL);
	a = rpc_v_array();
	for (p = d->sig; *p != '\0'; p += len + (p[len] == ' ')) {
		len = strcspn(p, " ");
		rpc_v_push(a, rpc_v_strn(p, len));
	}
	return rpc_ok(res, a);
}

/* ---- system.multicall ---- */

/* The calls run one after another; a deferred one holds the rest. */
struct rpc_multi {
	struct rpc_job	 job;
	const struct rpc_value *calls;	/* borrowed from the request */
	size_t		 next;
	struct rpc_job	*cur;
	struct rpc_value *results;
};

/* A finished call's entry: the bare value, or a fault struct. */
static struct rpc_value *
rpc_multi_entry(struct rpc_res *res)
{
	struct rpc_value	*st;

	if (res->code == 0) {
		st = res->v;
		res->v = NULL;
		return st;
	}
	st = rpc_v_struct();
	rpc_v_set(st, "faultCode", rpc_v_int(res->code));
	rpc_v_set(st, "faultString", rpc_v_str(res->text));
	return st;
}

/* Start one call of the list; RPC_LATER when it waits. */
static int
rpc_multi_one(struct rpc_methods *m, struct rpc_multi *mc,
    const struct rpc_value *call, struct rpc_res *res)
{
	const struct rpc_value	*name, *params;
	struct rpc_value	 none = { .type = RPC_T_ARRAY };

	memset(res, 0, sizeof(*res));
	/* 4.2.5 fails just that entry (an exception turned into FAILED) */
	if (call->type != RPC_T_STRUCT)
		return rpc_fault(res, RPC_FAULT_FAILED, "call is not a struct");
	name = rpc_v_get(call, "methodName");
	params = rpc_v_get(call, "params");
	if (name == NULL || (name->type != RPC_T_STRING &&
	    name->type != RPC_T_BASE64))
		return rpc_fault(res, RPC_FAULT_INCORRECT_PARAMETERS,
		    "No methodName");
	if (strcmp(name->s, "system.multicall") == 0)
		return rpc_fault(res, RPC_FAULT_INCORRECT_PARAMETERS,
		    "Recursive system.multicall forbidden");
	if (params == NULL)
		params = &none;
	if (params->type != RPC_T_ARRAY)
		return rpc_fault(res, RPC_FAULT_INCORRECT_PARAMETERS, NULL);
	return rpc_run(m, name->s, params, res, &mc->cur);
}

/* Run calls until one waits (0) or all are done (1, res filled). */
static int
rpc_multi_advance(struct rpc_methods *m, struct rpc_multi *mc,
    struct rpc_res *res)
{
	struct rpc_res	 one;

	while (mc->cur == NULL && mc->next < mc->calls->n) {
		if (rpc_multi_one(m, mc, mc->calls->items[mc->next++],
		    &one) == RPC_LATER)
			return 0;
		rpc_v_push(mc->results, rpc_multi_entry(&one));
		rpc_res_clear(&one);
	}
	if (mc->cur != NULL)
		return 0;
	rpc_ok(res, mc->results);
	mc->results = NULL;
	return 1;
}

static int
rpc_multi_feed(struct rpc_methods *m, struct rpc_job *job,
    const struct bus_event *ev, struct rpc_res *res)
{
	struct rpc_multi	*mc = (struct rpc_multi *)job;
	struct rpc_res		 one;

	if (mc->cur->feed(m, mc->cur, ev, &one) == 0)
		return 0;
	rpc_job_free(mc->cur);
	mc->cur = NULL;
	rpc_v_push(mc->results, rpc_multi_entry(&one));
	rpc_res_clear(&one);
	return rpc_multi_advance(m, mc, res);
}

static void
rpc_multi_free(struct rpc_job *job)
{
	struct rpc_multi	*mc = (struct rpc_multi *)job;

	rpc_job_free(mc->cur);
	rpc_value_free(mc->results);
	free(mc);
}

int
rpc_m_multicall(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	struct rpc_multi	*mc;

	mc = xcalloc(1, sizeof(*mc));
	mc->job.feed = rpc_multi_feed;
	mc->job.free = rpc_multi_free;
	mc->calls = params->items[0];
	mc->results = rpc_v_array();
	if (rpc_multi_advance(m, mc, res) == 1) {
		rpc_multi_free(&mc->job);
		return RPC_DONE;
	}
	*jobp = &mc->job;
	return RPC_LATER;
}

/* ---- calls ---- */

static void
rpc_call_free(struct rpc_call *c)
{
	rpc_job_free(c->job);
	rpc_value_free(c->params);
	free(c->method);
	free(c);
}

static void
rpc_call_unlink(struct rpc_call *c)
{
	struct rpc_call	**pp;

	for (pp = &c->m->calls; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			return;
		}
}

/* Encode res and hand the document to the caller. */
static void
rpc_call_finish(rpc_call_done *done, void *arg, struct rpc_res *res)
{
	struct rpc_buf	 b = { NULL, 0, 0 };

	if (res->code == 0)
		rpc_xml_encode_response(&b, res->v);
	else
		rpc_xml_encode_fault(&b, res->code, res->text);
	done(b.p, b.len, arg);
	rpc_buf_free(&b);
	rpc_res_clear(res);
}

/* The trace lines 4.2.5 writes after a method returns. */
static void
rpc_call_trace(const char *method, const struct rpc_res *res)
{
	if (res->code == 0)
		log_trace("XML-RPC method %s() returned successfully", method);
	else
		log_trace("XML-RPC method %s() returned fault: [%d] %s", method,
		    res->code, res->text);
}

/* A state change: let every waiting call look at it. */
static void
rpc_methods_on_state(const struct bus_event *ev, void *arg)
{
	struct rpc_methods	*m = arg;
	struct rpc_call		*c, *next;
	struct rpc_res		 res;

	if (ev->synthetic)	/* a fire drill: no process changed */
		return;
	for (c = m->calls; c != NULL; c = next) {
		next = c->next;
		memset(&res, 0, sizeof(res));
		if (c->job->feed(m, c->job, ev, &res) == 0)
			continue;
		rpc_call_unlink(c);
		rpc_call_finish(c->done, c->arg, &res);
		rpc_call_free(c);
		/* done may have cancelled other calls: start over */
		next = m->calls;
	}
}

struct rpc_methods *
rpc_methods_new(struct ev_loop *loop, struct bus *bus, struct pm *pm,
    struct logger *logger, const struct rpc_ops *ops, void *arg)
{
	struct rpc_methods	*m;

	m = xcalloc(1, sizeof(*m));
	m->loop = loop;
	m->bus = bus;
	m->pm = pm;
	m->logger = logger;
	m->ops = ops;
	m->arg = arg;
	if (bus_subscribe(bus, "PROCESS_STATE_", rpc_methods_on_state, m)
	    == -1)
		fatalx("rpc: cannot subscribe to process states");
	return m;
}

/* Pending calls are dropped without done. */
void
rpc_methods_free(struct rpc_methods *m)
{
	struct rpc_call	*c;

	if (m == NULL)
		return;
	while ((c = m->calls) != NULL) {
		m->calls = c->next;
		rpc_call_free(c);
	}
	bus_unsubscribe(m->bus, rpc_methods_on_state, m);
	free(m);
}

int
rpc_call_start(struct rpc_methods *m, const char *body, size_t len,
    rpc_call_done *done, void *arg, struct rpc_call **callp)
{
	struct rpc_call	*c;
	struct rpc_res	 res;
	char		 err[160];

	*callp = NULL;
	c = xcalloc(1, sizeof(*c));
	if (rpc_xml_decode_call(body, len, &c->method, &c->params, err,
	    sizeof(err)) == -1) {
		log_msg(LOG_ERRO, "XML-RPC request is invalid: %s", err);
		free(c);
		return 400;
	}
	log_trace("XML-RPC method called: %s()", c->method);
	if (rpc_run(m, c->method, c->params, &res, &c->job) == RPC_DONE) {
		rpc_call_trace(c->method, &res);
		rpc_call_finish(done, arg, &res);
		rpc_call_free(c);
		return 0;
	}
	/* deferred: 4.2.5 logs success once the method handed it back */
	log_trace("XML-RPC method %s() returned successfully", c->method);
	c->m = m;
	c->done = done;
	c->arg = arg;
	c->next = m->calls;
	m->calls = c;
	*callp = c;
	return 0;
}

void
rpc_call_cancel(struct rpc_call *c)
{
	if (c == NULL)
		return;
	rpc_call_unlink(c);
	rpc_call_free(c);
}
