/*
 * strindex: strings (borrowed) to numbers, by hash, for the tables a
 * rebuild looks up ten thousand times and more (paths of the source, of
 * the post cache and of the records; tag names; slugs). Open addressing
 * over at most half-full slots: the capacity is given at init.
 */
#ifndef ARDOISE_STRINDEX_H
#define ARDOISE_STRINDEX_H

#include <stddef.h>
#include <stdint.h>

#define STRINDEX_NONE SIZE_MAX

struct strindex {
	struct strindex_slot {
		const char *key;	/* NULL: empty */
		size_t value;
	} *slot;
	size_t mask;
};

/* Room for n keys (add no more). Release with strindex_release. */
void strindex_init(struct strindex *x, size_t n);
void strindex_release(struct strindex *x);
/* The value of key, or STRINDEX_NONE (an index never initialised holds
 * nothing). */
size_t strindex_find(const struct strindex *x, const char *key);
/* Adds key (borrowed: it must outlive x) with value, unless key is there
 * already: returns the value it then has. */
size_t strindex_add(struct strindex *x, const char *key, size_t value);

#endif
