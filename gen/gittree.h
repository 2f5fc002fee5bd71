/*
 * gittree: the entries of a raw git tree object, a sorted run of
 * "<octal mode> <name>\0<20-byte id>", read in place. The history walk
 * compares trees as bytes and the listing walks them, neither building
 * libgit2's tree objects (parsing every entry of a big directory, one
 * allocation each, was most of the time of both).
 */
#ifndef ARDOISE_GITTREE_H
#define ARDOISE_GITTREE_H

#include <stddef.h>

/* One decoded entry; name is NUL-terminated inside the raw tree. */
struct gittree_entry {
	const char *name;
	size_t nlen;
	unsigned mode;
	const unsigned char *id;
};

enum { GITTREE_BLOB, GITTREE_TREE, GITTREE_COMMIT };

/* Offset of the entry after the one at o in p[0, len), or 0 when the
 * bytes there are not an entry: every later access relies on this check. */
size_t gittree_next(const unsigned char *p, size_t len, size_t o);
/* Decodes the entry at p + o, which gittree_next accepted. */
void gittree_entry(const unsigned char *p, size_t o, struct gittree_entry *e);
/* GITTREE_BLOB, _TREE or _COMMIT, as libgit2 reads modes: the type bits
 * decide, whatever the rest. */
int gittree_kind(unsigned mode);
/* The mode git would write for it (old trees hold modes like 100664):
 * 0100644, 0100755, 0120000, 0040000 or 0160000. */
unsigned gittree_norm_mode(unsigned mode);
/* Git's tree order: names compared bytewise as if a subtree's name ended
 * with '/'. */
int gittree_cmp(const struct gittree_entry *x, const struct gittree_entry *y);

#endif
