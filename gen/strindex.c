#include "strindex.h"

#include <string.h>

#include <xxhash.h>

#include "util.h"

void
strindex_init(struct strindex *x, size_t n)
{
	size_t slots = 16;

	while (slots < 2 * n)
		slots *= 2;
	x->slot = xcalloc(slots, sizeof *x->slot);
	x->mask = slots - 1;
}

void
strindex_release(struct strindex *x)
{
	free(x->slot);
	x->slot = NULL;
	x->mask = 0;
}

/* The slot of key, or the empty one where it would go. */
static struct strindex_slot *
slot_of(const struct strindex *x, const char *key)
{
	size_t at = (size_t)XXH3_64bits(key, strlen(key)) & x->mask;

	while (x->slot[at].key && strcmp(x->slot[at].key, key) != 0)
		at = (at + 1) & x->mask;
	return &x->slot[at];
}

size_t
strindex_find(const struct strindex *x, const char *key)
{
	const struct strindex_slot *s;

	if (!x->slot)
		return STRINDEX_NONE;
	s = slot_of(x, key);
	return s->key ? s->value : STRINDEX_NONE;
}

size_t
strindex_add(struct strindex *x, const char *key, size_t value)
{
	struct strindex_slot *s = slot_of(x, key);

	if (!s->key) {
		s->key = key;
		s->value = value;
	}
	return s->value;
}
