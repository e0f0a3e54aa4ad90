/*
 * rpc_values.c: XML-RPC values as a tree. The root's holder owns the whole
 * tree; rpc_v_push and rpc_v_set take ownership of the child they are
 * given, and rpc_value_free releases everything below the root.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "rpc_int.h"

static struct rpc_value *
rpc_v_new(enum rpc_type t)
{
	struct rpc_value	*v;

	v = xcalloc(1, sizeof(*v));
	v->type = t;
	return v;
}

struct rpc_value *
rpc_v_int(long long i)
{
	struct rpc_value	*v = rpc_v_new(RPC_T_INT);

	v->i = i;
	return v;
}

struct rpc_value *
rpc_v_bool(bool b)
{
	struct rpc_value	*v = rpc_v_new(RPC_T_BOOL);

	v->i = b ? 1 : 0;
	return v;
}

struct rpc_value *
rpc_v_double(double d)
{
	struct rpc_value	*v = rpc_v_new(RPC_T_DOUBLE);

	v->d = d;
	return v;
}

struct rpc_value *
rpc_v_strn(const char *s, size_t len)
{
	struct rpc_value	*v;

	/* The text lives in the value's own block: one allocation. */
	v = xcalloc(1, sizeof(*v) + len + 1);
	v->type = RPC_T_STRING;
	v->s = (char *)(v + 1);
	if (len > 0)
		memcpy(v->s, s, len);
	v->s[len] = '\0';
	v->slen = len;
	return v;
}

struct rpc_value *
rpc_v_str(const char *s)
{
	if (s == NULL)
		s = "";
	return rpc_v_strn(s, strlen(s));
}

struct rpc_value *
rpc_v_array(void)
{
	return rpc_v_new(RPC_T_ARRAY);
}

struct rpc_value *
rpc_v_struct(void)
{
	return rpc_v_new(RPC_T_STRUCT);
}

struct rpc_value *
rpc_v_xml(struct rpc_buf *b)
{
	struct rpc_value	*v = rpc_v_new(RPC_T_XML);

	v->s = b->p != NULL ? b->p : xstrdup("");
	v->slen = b->len;
	b->p = NULL;
	b->len = b->cap = 0;
	return v;
}

/* Room for one more of n elements: capacity doubles (powers of two). */
static void *
rpc_v_grow(void *p, size_t n, size_t size)
{
	if (n == 0)
		return xreallocarray(p, 4, size);
	if (n >= 4 && (n & (n - 1)) == 0)
		return xreallocarray(p, n * 2, size);
	return p;
}

/* Takes item. */
void
rpc_v_push(struct rpc_value *a, struct rpc_value *item)
{
	if (a->type != RPC_T_ARRAY)
		fatalx("%s: not an array", __func__);
	a->items = rpc_v_grow(a->items, a->n, sizeof(*a->items));
	a->items[a->n++] = item;
}

/* Takes value; members keep the order they were set in. */
static void
rpc_v_member(struct rpc_value *st, char *name, bool lit,
    struct rpc_value *value)
{
	if (st->type != RPC_T_STRUCT)
		fatalx("%s: not a struct", __func__);
	st->members = rpc_v_grow(st->members, st->n, sizeof(*st->members));
	st->members[st->n].name = name;
	st->members[st->n].lit = lit;
	st->members[st->n].value = value;
	st->n++;
}

void
rpc_v_set(struct rpc_value *st, const char *name, struct rpc_value *value)
{
	rpc_v_member(st, xstrdup(name), false, value);
}

void
rpc_v_set_lit(struct rpc_value *st, const char *name, struct rpc_value *value)
{
	rpc_v_member(st, (char *)name, true, value);
}

/* The last member called name (XML-RPC lets a later one win), or NULL. */
const struct rpc_value *
rpc_v_get(const struct rpc_value *st, const char *name)
{
	size_t	 i;

	if (st == NULL || st->type != RPC_T_STRUCT)
		return NULL;
	for (i = st->n; i > 0; i--)
		if (strcmp(st->members[i - 1].name, name) == 0)
			return st->members[i - 1].value;
	return NULL;
}

void
rpc_value_free(struct rpc_value *v)
{
	size_t	 i;

	if (v == NULL)
		return;
	if (v->type == RPC_T_ARRAY) {
		for (i = 0; i < v->n; i++)
			rpc_value_free(v->items[i]);
		free(v->items);
	} else if (v->type == RPC_T_STRUCT) {
		for (i = 0; i < v->n; i++) {
			if (!v->members[i].lit)
				free(v->members[i].name);
			rpc_value_free(v->members[i].value);
		}
		free(v->members);
	}
	if (v->s != (char *)(v + 1))
		free(v->s);
	free(v);
}
