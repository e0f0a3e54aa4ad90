/*
 * stubs_rpc_methods.c: a link-time stand-in for the XML-RPC side
 * (rpc_int.h's calls) in the HTTP server's unit suite. A body
 *	"now:TEXT"	is answered at once with <r>TEXT</r>;
 *	"later:TEXT"	is held until stub_rpc_complete() answers it;
 *	anything else	is refused (400).
 * Cancelled calls are counted, so a test sees that a vanished client's
 * call was forgotten.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "rpc_int.h"

void	 stub_rpc_complete(void);
size_t	 stub_rpc_pending(void);
size_t	 stub_rpc_cancelled(void);
void	 stub_rpc_reset(void);

struct rpc_methods {
	int	 unused;
};

/* A held call; owner: the list below until answered or cancelled. */
struct rpc_call {
	struct rpc_call	*next;
	char		*text;
	rpc_call_done	*done;
	void		*arg;
};

static struct rpc_call *stub_calls;
static size_t stub_ncancelled;

struct rpc_methods *
rpc_methods_new(struct ev_loop *loop, struct bus *bus, struct pm *pm,
    struct logger *logger, const struct rpc_ops *ops, void *arg)
{
	return xcalloc(1, sizeof(struct rpc_methods));
}

void
rpc_methods_free(struct rpc_methods *m)
{
	free(m);
}

static void
stub_rpc_answer(const char *text, size_t len, rpc_call_done *done, void *arg)
{
	char	*xml;
	int	 n;

	n = xasprintf(&xml, "<r>%.*s</r>", (int)len, text);
	done(xml, n, arg);
	free(xml);
}

int
rpc_call_start(struct rpc_methods *m, const char *body, size_t len,
    rpc_call_done *done, void *arg, struct rpc_call **callp)
{
	struct rpc_call *c;

	*callp = NULL;
	if (len >= 4 && memcmp(body, "now:", 4) == 0) {
		stub_rpc_answer(body + 4, len - 4, done, arg);
		return 0;
	}
	if (len < 6 || memcmp(body, "later:", 6) != 0)
		return 400;
	c = xcalloc(1, sizeof(*c));
	c->text = xstrndup(body + 6, len - 6);
	c->done = done;
	c->arg = arg;
	c->next = stub_calls;
	stub_calls = c;
	*callp = c;
	return 0;
}

void
rpc_call_cancel(struct rpc_call *c)
{
	struct rpc_call **pp;

	for (pp = &stub_calls; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	stub_ncancelled++;
	free(c->text);
	free(c);
}

/* Answer every held call. */
void
stub_rpc_complete(void)
{
	struct rpc_call *c;

	while ((c = stub_calls) != NULL) {
		stub_calls = c->next;
		stub_rpc_answer(c->text, strlen(c->text), c->done, c->arg);
		free(c->text);
		free(c);
	}
}

size_t
stub_rpc_pending(void)
{
	struct rpc_call *c;
	size_t	 n = 0;

	for (c = stub_calls; c != NULL; c = c->next)
		n++;
	return n;
}

size_t
stub_rpc_cancelled(void)
{
	return stub_ncancelled;
}

void
stub_rpc_reset(void)
{
	stub_ncancelled = 0;
}
