/*
 * ctl_val.c: the value tree an XML-RPC response decodes into.
 */
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "log.h"

struct ctl_val *
ctl_val_new(enum ctl_vtype t)
{
	struct ctl_val	*v;

	v = xcalloc(1, sizeof(*v));
	v->type = t;
	return v;
}

void
ctl_val_push(struct ctl_val *c, char *key, struct ctl_val *v)
{
	if (c->n == c->cap) {
		c->cap = c->cap == 0 ? 16 : c->cap * 2;
		c->items = xreallocarray(c->items, c->cap, sizeof(*c->items));
		c->keys = xreallocarray(c->keys, c->cap, sizeof(*c->keys));
	}
	c->items[c->n] = v;
	c->keys[c->n] = key;
	c->n++;
}

void
ctl_val_free(struct ctl_val *v)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; i < v->n; i++) {
		ctl_val_free(v->items[i]);
		free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->s);
	free(v);
}

const struct ctl_val *
ctl_val_get(const struct ctl_val *v, const char *key)
{
	size_t	 i;

	if (v == NULL || v->type != CTL_V_STRUCT)
		return NULL;
	for (i = 0; i < v->n; i++)
		if (v->keys[i] != NULL && strcmp(v->keys[i], key) == 0)
			return v->items[i];
	return NULL;
}

const char *
ctl_val_str(const struct ctl_val *v, const char *key)
{
	const struct ctl_val *m = ctl_val_get(v, key);

	return m != NULL && m->type == CTL_V_STR ? m->s : "";
}

long long
ctl_val_int(const struct ctl_val *v, const char *key)
{
	const struct ctl_val *m = ctl_val_get(v, key);

	return m != NULL && (m->type == CTL_V_INT || m->type == CTL_V_BOOL) ?
	    m->i : 0;
}
