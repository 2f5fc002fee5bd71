#include "strindex.h"

#include <stdlib.h>
#include <string.h>

#include "xxh.h"

#include "util.h"

/* Slots for n keys, at most two thirds full. */
static size_t
slots_for(size_t n)
{
	size_t slots = 16;

	while (slots < n + n / 2)
		slots *= 2;
	return slots;
}

void
strindex_init(struct strindex *x, size_t n)
{
	size_t slots = slots_for(n);

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

/* Twice the room: the keys are placed again in twice the slots when they
 * would be more than two thirds full. */
static void
grow(struct strindex *x)
{
	size_t slots = slots_for(x->cap * 2), i;

	x->cap *= 2;
	x->key = xrealloc(x->key, x->cap * sizeof *x->key);
	x->value = xrealloc(x->value, x->cap * sizeof *x->value);
	if (slots <= x->mask + 1)
		return;
	free(x->slot);
	x->slot = xcalloc(slots, sizeof *x->slot);
	x->mask = slots - 1;
	for (i = 0; i < x->n; i++) {
		uint32_t tag;
		struct strindex_slot *s = slot_of(x, x->key[i], &tag);

		s->tag = tag;
		s->entry = (uint32_t)(i + 1);
	}
}

size_t
strindex_add(struct strindex *x, const char *key, size_t value)
{
	uint32_t tag;
	struct strindex_slot *s = slot_of(x, key, &tag);

	if (s->entry)
		return x->value[s->entry - 1];
	if (x->n == x->cap) {
		grow(x);
		s = slot_of(x, key, &tag);
	}
	x->key[x->n] = key;
	x->value[x->n] = value;
	s->tag = tag;
	s->entry = (uint32_t)++x->n;
	return value;
}
