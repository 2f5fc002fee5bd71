/*
 * strindex: strings (borrowed) to numbers, by hash, for the tables a
 * rebuild looks up ten thousand times and more (paths of the source, of
 * the post cache and of the records; tag names; slugs). Open addressing
 * over slots of eight bytes, at most two thirds full: a slot holds part of
 * its key's hash, so that a probe compares strings only when that matches.
 * The capacity given at init is a hint: the index grows past it (placing
 * every key again), so that a table whose size is not known ahead starts
 * small and stays in the processor's cache.
 */
#ifndef ARDOISE_STRINDEX_H
#define ARDOISE_STRINDEX_H

#include <stddef.h>
#include <stdint.h>

#define STRINDEX_NONE SIZE_MAX

struct strindex {
	struct strindex_slot {
		uint32_t tag;		/* the high half of the key's hash */
		uint32_t entry;		/* 1 + the key's index in key[]; 0: empty */
	} *slot;
	size_t mask;
	const char **key;	/* in order of addition */
	size_t *value;
	size_t n, cap;
};

/* Room for n keys, to begin with. Release with strindex_release. */
void strindex_init(struct strindex *x, size_t n);
void strindex_release(struct strindex *x);
/* Whether x was initialised (and not released). */
#define strindex_ready(x) ((x)->slot != NULL)
/* The value of key, or STRINDEX_NONE (an index never initialised holds
 * nothing). */
size_t strindex_find(const struct strindex *x, const char *key);
/* Adds key (borrowed: it must outlive x) with value, unless key is there
 * already: returns the value it then has. The index may grow. */
size_t strindex_add(struct strindex *x, const char *key, size_t value);

#endif
