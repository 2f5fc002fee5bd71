#include "strindex.h"

#include <stdlib.h>
#include <string.h>

#include "xxh.h"

#include "util.h"

void
strindex_init(struct strindex *x, size_t n)
{
	size_t slots = 16;

	while (slots < n + n / 2)
		slots *= 2;
	x->slot = xcalloc(slots, sizeof *x->slot);
	x->mask = slots - 1;
	x->cap = n ? n : 1;
	x->key = xmalloc(x->cap * sizeof *x->key);
	x->value = xmalloc(x->cap * sizeof *x->value);
	x->n = 0;
}

void
strindex_release(struct strindex *x)
{
	free(x->slot);
	free(x->key);
	free(x->value);
	memset(x, 0, sizeof *x);
}

/* The slot of key, or the empty one where it would go; *tag: its tag. */
static struct strindex_slot *
slot_of(const struct strindex *x, const char *key, uint32_t *tag)
{
	uint64_t h = XXH3_64bits(key, strlen(key));
	size_t at = (size_t)h & x->mask;
	const struct strindex_slot *s;

	*tag = (uint32_t)(h >> 32);
	while ((s = &x->slot[at])->entry &&
	    (s->tag != *tag || strcmp(x->key[s->entry - 1], key) != 0))
		at = (at + 1) & x->mask;
	return &x->slot[at];
}

size_t
strindex_find(const struct strindex *x, const char *key)
{
	const struct strindex_slot *s;
	uint32_t tag;

	if (!x->slot)
		return STRINDEX_NONE;
	s = slot_of(x, key, &tag);
	return s->entry ? x->value[s->entry - 1] : STRINDEX_NONE;
}

size_t
strindex_add(struct strindex *x, const char *key, size_t value)
{
	uint32_t tag;
	struct strindex_slot *s = slot_of(x, key, &tag);

	if (s->entry)
		return x->value[s->entry - 1];
	if (x->n == x->cap)
		abort();	/* more than the capacity given: a bug */
	x->key[x->n] = key;
	x->value[x->n] = value;
	s->tag = tag;
	s->entry = (uint32_t)++x->n;
	return value;
}
