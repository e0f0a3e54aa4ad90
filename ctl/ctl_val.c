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

/* Append to an array (key NULL) or a struct. */
void
ctl_val_push(struct ctl_val *c, const char *key, struct ctl_val *v)
{
	c->items = xreallocarray(c->items, c->n + 1, sizeof(*c->items));
	c->keys = xreallocarray(c->keys, c->n + 1, sizeof(*c->keys));
	c->items[c->n] = v;
	c->keys[c->n] = key != NULL ? xstrdup(key) : NULL;
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
