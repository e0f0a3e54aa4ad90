/*
 * ctl_val.c: the value tree an XML-RPC response decodes into. A tree
 * lives in one arena, freed with its root: a status of 1,000 processes is
 * some 50,000 nodes and strings, and freeing them one by one cost more
 * than parsing them.
 */
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "log.h"

#define ARENA_BLOCK	(64 * 1024)

/* One block; the data follows. */
struct arena_blk {
	struct arena_blk *next;
	size_t		 used, size;
	max_align_t	 data[];
};

struct ctl_arena {
	struct arena_blk *blks;
};

struct ctl_arena *
ctl_arena_new(void)
{
	return xcalloc(1, sizeof(struct ctl_arena));
}

void
ctl_arena_free(struct ctl_arena *a)
{
	struct arena_blk *b, *next;

	if (a == NULL)
		return;
	for (b = a->blks; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

/* Zeroed memory that lives as long as the arena. */
void *
ctl_arena_alloc(struct ctl_arena *a, size_t n)
{
	struct arena_blk *b = a->blks;
	size_t		 al = sizeof(max_align_t), size;
	void		*p;

	n = (n + al - 1) / al * al;
	if (b == NULL || b->size - b->used < n) {
		size = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
		b = xmalloc(sizeof(*b) + size);
		b->used = 0;
		b->size = size;
		/* a big one-off goes second, so the current block stays */
		if (size == n && a->blks != NULL) {
			b->next = a->blks->next;
			a->blks->next = b;
		} else {
			b->next = a->blks;
			a->blks = b;
		}
	}
	p = (char *)b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *
ctl_arena_strndup(struct ctl_arena *a, const char *s, size_t n)
{
	char	*p = ctl_arena_alloc(a, n + 1);

	memcpy(p, s, n);
	return p;
}

struct ctl_val *
ctl_val_new(struct ctl_arena *a, enum ctl_vtype t)
{
	struct ctl_val	*v;

	v = ctl_arena_alloc(a, sizeof(*v));
	v->type = t;
	return v;
}

void
ctl_val_push(struct ctl_arena *a, struct ctl_val *c, char *key,
    struct ctl_val *v)
{
	struct ctl_val	**items;
	char		**keys;

	if (c->n == c->cap) {
		c->cap = c->cap == 0 ? 16 : c->cap * 2;
		items = ctl_arena_alloc(a, c->cap * sizeof(*items));
		keys = ctl_arena_alloc(a, c->cap * sizeof(*keys));
		if (c->n > 0) {
			memcpy(items, c->items, c->n * sizeof(*items));
			memcpy(keys, c->keys, c->n * sizeof(*keys));
		}
		c->items = items;
		c->keys = keys;
	}
	c->items[c->n] = v;
	c->keys[c->n] = key;
	c->n++;
}

void
ctl_val_free(struct ctl_val *v)
{
	if (v != NULL)
		ctl_arena_free(v->arena);
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
