/*
 * stubs_bus.c: a link-time stand-in for bus/bus.c in procmgr's tests.
 * bus_publish records a copy of every event and hands it at once to the
 * subscribers whose prefix matches; tests read the record back.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "log.h"

/* One recorded event; strings copied. */
struct stub_ev {
	struct bus_event	 ev;	/* string fields point below */
	char			*processname, *groupname, *from_state;
	char			*spawnerr, *data;
};

struct stub_sub {
	char		*prefix;
	bus_handler	*fn;
	void		*arg;
};

struct bus {
	int		 unused;
};

static struct stub_ev	*stub_evs;
static size_t		 stub_nevs;
static struct stub_sub	*stub_subs;
static size_t		 stub_nsubs;
static uint64_t		 stub_serial;
static struct bus	 stub_the_bus;

static const char *const stub_names[BUS_NTYPES] = {
#define BUS_MSG(id, codec)	#id,
#include "bus_msgs.def"
#undef BUS_MSG
};

const char *
bus_type_name(enum bus_type t)
{
	return t < BUS_NTYPES ? stub_names[t] : "?";
}

int
bus_type_from_name(const char *name, enum bus_type *out)
{
	int	 i;

	for (i = 0; i < BUS_NTYPES; i++)
		if (strcmp(stub_names[i], name) == 0) {
			*out = (enum bus_type)i;
			return 0;
		}
	return -1;
}

struct bus *
bus_open(struct ev_loop *loop)
{
	return &stub_the_bus;
}

void
bus_close(struct bus *b)
{
	size_t	 i;

	for (i = 0; i < stub_nsubs; i++)
		free(stub_subs[i].prefix);
	free(stub_subs);
	stub_subs = NULL;
	stub_nsubs = 0;
}

int
bus_subscribe(struct bus *b, const char *prefix, bus_handler *fn, void *arg)
{
	stub_subs = xreallocarray(stub_subs, stub_nsubs + 1,
	    sizeof(*stub_subs));
	stub_subs[stub_nsubs].prefix = xstrdup(prefix);
	stub_subs[stub_nsubs].fn = fn;
	stub_subs[stub_nsubs].arg = arg;
	stub_nsubs++;
	return 0;
}

static char *
stub_dup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
stub_record(const struct bus_event *ev, uint64_t serial)
{
	struct stub_ev	*r;

	stub_evs = xreallocarray(stub_evs, stub_nevs + 1, sizeof(*stub_evs));
	r = &stub_evs[stub_nevs++];
	r->ev = *ev;
	r->ev.serial = serial;
	r->ev.processname = r->processname = stub_dup(ev->processname);
	r->ev.groupname = r->groupname = stub_dup(ev->groupname);
	r->ev.from_state = r->from_state = stub_dup(ev->from_state);
	r->ev.spawnerr = r->spawnerr = stub_dup(ev->spawnerr);
	r->data = NULL;
	if (ev->data != NULL) {
		r->data = xmalloc(ev->datalen + 1);
		memcpy(r->data, ev->data, ev->datalen);
		r->data[ev->datalen] = '\0';
	}
	r->ev.data = r->data;
}

uint64_t
bus_publish(struct bus *b, const struct bus_event *ev)
{
	uint64_t	 serial = ++stub_serial;
	const char	*name = bus_type_name(ev->type);
	size_t		 i, n = stub_nsubs;

	stub_record(ev, serial);
	for (i = 0; i < n; i++)
		if (strncmp(name, stub_subs[i].prefix,
		    strlen(stub_subs[i].prefix)) == 0)
			stub_subs[i].fn(&stub_evs[stub_nevs - 1].ev,
			    stub_subs[i].arg);
	return serial;
}

void
bus_drain(struct bus *b)
{
}

uint64_t
bus_published(const struct bus *b)
{
	return stub_serial;
}

/* ---- for the tests ---- */

void
stub_bus_reset(void)
{
	size_t	 i;

	for (i = 0; i < stub_nevs; i++) {
		free(stub_evs[i].processname);
		free(stub_evs[i].groupname);
		free(stub_evs[i].from_state);
		free(stub_evs[i].spawnerr);
		free(stub_evs[i].data);
	}
	free(stub_evs);
	stub_evs = NULL;
	stub_nevs = 0;
}

size_t
stub_bus_count(void)
{
	return stub_nevs;
}

/* The i-th recorded event; negative i counts from the end. */
const struct bus_event *
stub_bus_get(long i)
{
	if (i < 0)
		i += (long)stub_nevs;
	if (i < 0 || (size_t)i >= stub_nevs)
		return NULL;
	return &stub_evs[i].ev;
}
