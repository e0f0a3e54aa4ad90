/*
 * rpc_methods_nv.c: our own namespace, nanovisor.*, beside 4.2.5's API.
 *
 *	getBusInfo()		the bus: last serial, what the ring holds
 *	getEvents(after, max)	catch-up: the messages after a serial, from
 *				the ring, each as base64 of the exact bytes
 *	fireEvent(type, fields)	fire drill: publish a synthetic event
 *
 * Messages travel as base64 because they are bytes: XML cannot carry
 * every byte a child writes, and XML parsers fold \r\n into \n.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bus.h"
#include "log.h"
#include "pm.h"
#include "rpc_methods_int.h"

/* Catch-up answers stop at these, the client asks again. */
#define RPC_NV_MAX_EVENTS	10000
#define RPC_NV_MAX_BYTES	(8 * 1024 * 1024)

int
rpc_m_nv_bus_info(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	const struct pm_config	*cfg = NULL;
	struct bus_ring_stats	 st;
	struct rpc_value	*v = rpc_v_struct();

	if (m->ops != NULL && m->ops->config != NULL)
		cfg = m->ops->config(m->arg);
	bus_ring_stats(bus_get_ring(m->bus), &st);
	rpc_v_set(v, "version", rpc_v_int(1));
	rpc_v_set(v, "serial", rpc_v_int((long long)bus_published(m->bus)));
	rpc_v_set(v, "oldest", rpc_v_int((long long)st.oldest));
	rpc_v_set(v, "newest", rpc_v_int((long long)st.newest));
	rpc_v_set(v, "ring_count", rpc_v_int((long long)st.count));
	rpc_v_set(v, "ring_bytes", rpc_v_int((long long)st.bytes));
	rpc_v_set(v, "ring_size", rpc_v_int((long long)st.maxmsgs));
	rpc_v_set(v, "ring_maxbytes", rpc_v_int((long long)st.maxbytes));
	/* What is bound: after a reload whose bind failed, the old one. */
	rpc_v_set(v, "endpoint", rpc_v_str(bus_external_url(m->bus) != NULL ?
	    bus_external_url(m->bus) : ""));
	rpc_v_set(v, "external_dropped",
	    rpc_v_int((long long)bus_external_dropped(m->bus)));
	rpc_v_set(v, "external_subscribers",
	    rpc_v_int((long long)bus_external_subscribers(m->bus)));
	rpc_v_set(v, "record", rpc_v_str(cfg != NULL &&
	    cfg->sd.bus_record != NULL ? cfg->sd.bus_record : ""));
	return rpc_ok(res, v);
}

int
rpc_m_nv_events(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	const struct bus_ring	*ring = bus_get_ring(m->bus);
	struct bus_ring_stats	 st;
	struct rpc_value	*v;
	struct rpc_buf		 b = { NULL, 0, 0 };
	long long		 after = rpc_arg_int(params, 0), max = 1000, n = 0;
	uint64_t		 last = bus_published(m->bus), s, first, lost = 0;
	size_t			 bytes = 0, len;
	const char		*msg;

	if (params->n > 1)
		max = rpc_arg_int(params, 1);
	if (after < 0 || max < 1)
		return rpc_fault(res, RPC_FAULT_BAD_ARGUMENTS,
		    "serial must be >= 0 and max >= 1");
	if (max > RPC_NV_MAX_EVENTS)
		max = RPC_NV_MAX_EVENTS;
	bus_ring_stats(ring, &st);
	/* what the ring no longer holds (all of it with no ring) */
	first = (uint64_t)after + 1;
	if (st.count == 0 && last >= first)
		lost = last - first + 1;
	else if (st.count > 0 && st.oldest > first)
		lost = st.oldest - first;
	/* Straight into XML: no copy of each message as a value first. */
	rpc_xml_put_open(&b, RPC_T_ARRAY);
	for (s = first + lost; s <= st.newest && n < max &&
	    bytes < RPC_NV_MAX_BYTES; s++, n++) {
		if (bus_ring_get(ring, s, &msg, &len) == -1)
			break;
		rpc_xml_put_base64(&b, msg, len);
		bytes += len;
	}
	rpc_xml_put_close(&b, RPC_T_ARRAY);
	v = rpc_v_struct();
	rpc_v_set(v, "oldest", rpc_v_int((long long)st.oldest));
	rpc_v_set(v, "newest", rpc_v_int((long long)st.newest));
	rpc_v_set(v, "serial", rpc_v_int((long long)last));
	rpc_v_set(v, "lost", rpc_v_int((long long)lost));
	rpc_v_set(v, "lost_from", rpc_v_int(lost > 0 ? (long long)first : 0));
	rpc_v_set(v, "more", rpc_v_bool(s <= st.newest));
	rpc_v_set(v, "events", rpc_v_xml(&b));
	return rpc_ok(res, v);
}

/* ---- fireEvent ---- */

/* A field as a string: absent gives dflt; NULL when of another type. */
static const char *
rpc_nv_field(const struct rpc_value *f, const char *name, const char *dflt,
    size_t *lenp)
{
	const struct rpc_value	*v = f != NULL ? rpc_v_get(f, name) : NULL;

	if (v == NULL) {
		if (lenp != NULL)
			*lenp = dflt != NULL ? strlen(dflt) : 0;
		return dflt;
	}
	if (v->type != RPC_T_STRING && v->type != RPC_T_BASE64)
		return NULL;
	if (lenp != NULL)
		*lenp = v->slen;
	return v->s;
}

static int
rpc_nv_int(const struct rpc_value *f, const char *name, long long dflt,
    long long min, long long max, long long *out)
{
	const struct rpc_value	*v = f != NULL ? rpc_v_get(f, name) : NULL;

	*out = dflt;
	if (v == NULL)
		return 0;
	if (v->type != RPC_T_INT && v->type != RPC_T_BOOL)
		return -1;
	*out = v->i;
	return v->i >= min && v->i <= max ? 0 : -1;
}

/* Names go in the payload as they are: no space, colon or control. */
static bool
rpc_nv_name_ok(const char *s)
{
	const unsigned char	*p;

	if (s == NULL || *s == '\0')
		return false;
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p <= ' ' || *p == ':' || *p == 0x7f)
			return false;
	return true;
}

static bool
rpc_nv_state_ok(const char *s)
{
	static const char *const states[] = { "STOPPED", "STARTING",
	    "RUNNING", "BACKOFF", "STOPPING", "EXITED", "FATAL", "UNKNOWN" };
	size_t	 i;

	for (i = 0; s != NULL && i < sizeof(states) / sizeof(states[0]); i++)
		if (strcmp(s, states[i]) == 0)
			return true;
	return false;
}

/* Fill ev from the fields; a fault message, or NULL when all is well. */
static const char *
rpc_nv_fill(struct bus_event *ev, const struct rpc_value *f)
{
	long long	 pid, tries, expected, when;

	ev->processname = rpc_nv_field(f, "processname", "firedrill", NULL);
	ev->groupname = rpc_nv_field(f, "groupname", ev->processname, NULL);
	ev->from_state = rpc_nv_field(f, "from_state",
	    ev->type == BUS_PROCESS_STATE_STARTING ? "STOPPED" :
	    ev->type == BUS_PROCESS_STATE_RUNNING ? "STARTING" : "RUNNING",
	    NULL);
	ev->comm_type = rpc_nv_field(f, "type", "firedrill", NULL);
	ev->data = rpc_nv_field(f, "data", "", &ev->datalen);
	if (!rpc_nv_name_ok(ev->processname) ||
	    !rpc_nv_name_ok(ev->groupname) || !rpc_nv_name_ok(ev->comm_type))
		return "processname, groupname and type must be non-empty "
		    "strings without spaces or colons";
	if (!rpc_nv_state_ok(ev->from_state))
		return "from_state must name a process state";
	if (ev->data == NULL)
		return "data must be a string";
	if (rpc_nv_int(f, "pid", 0, 0, 0x7fffffff, &pid) == -1 ||
	    rpc_nv_int(f, "tries", 0, 0, 0x7fffffff, &tries) == -1 ||
	    rpc_nv_int(f, "expected", 0, 0, 1, &expected) == -1 ||
	    rpc_nv_int(f, "when", (long long)time(NULL), -(1LL << 62),
	    1LL << 62, &when) == -1)
		return "pid and tries must be ints >= 0, expected 0 or 1, "
		    "when an int";
	ev->pid = (pid_t)pid;
	ev->tries = (int)tries;
	ev->expected = (int)expected;
	ev->when = when;
	/* PROCESS_LOG events reach listeners of programs that enabled them */
	ev->events_enabled = true;
	return NULL;
}

int
rpc_m_nv_fire(struct rpc_methods *m, const struct rpc_value *params,
    struct rpc_res *res, struct rpc_job **jobp)
{
	struct bus_event	 ev = BUS_EVENT_ZERO;
	const struct rpc_value	*f = NULL;
	const char		*name = rpc_arg_str(params, 0), *bad;
	enum bus_type		 t;
	uint64_t		 serial;

	if (bus_type_from_name(name, &t) == -1)
		return rpc_fault(res, RPC_FAULT_BAD_NAME, "%s", name);
	if (params->n > 1) {
		f = params->items[1];
		if (f->type != RPC_T_STRUCT)
			return rpc_fault(res, RPC_FAULT_INCORRECT_PARAMETERS,
			    NULL);
	}
	ev.type = t;
	ev.synthetic = true;
	if ((bad = rpc_nv_fill(&ev, f)) != NULL)
		return rpc_fault(res, RPC_FAULT_BAD_ARGUMENTS, "%s", bad);
	serial = bus_publish(m->bus, &ev);
	log_info("fire drill: synthetic %s published, serial %llu", name,
	    (unsigned long long)serial);
	return rpc_ok(res, rpc_v_int((long long)serial));
}
