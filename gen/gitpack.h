/*
 * gitpack: objects read straight from a repository's pack files, for the
 * history walk, with a cache of resolved objects that has no per-object
 * size limit.
 *
 * Why not libgit2 alone: libgit2 1.5 keeps no delta base larger than
 * 1 MiB (GIT_PACK_CACHE_SIZE_LIMIT, fixed at compile time). A directory
 * of tens of thousands of posts has a tree of megabytes that every commit
 * rewrites and that packs store as chains of deltas; reading each version
 * through libgit2 inflates the chain's full base again, and at 50,000
 * posts that was 180 s of a 187 s build. Here each version costs one
 * delta on a cached neighbour.
 *
 * Loose objects are read too, inflated with libdeflate: each commit
 * pushed adds its directories' trees loose, megabytes for a directory of
 * thousands of posts, and libgit2 inflates them with zlib at half the
 * speed (and hashes them again).
 *
 * Only plain cases are read: version-2 indexes and packs, offset and
 * reference deltas within the packs, loose objects of the repository's
 * own object directory. Anything else (alternates, a base outside the
 * packs, a damaged or unexpected pack or file) makes gitpack_read return
 * 0, and the caller reads the object with libgit2, which also reports
 * errors. One per thread: not thread-safe.
 */
#ifndef ARDOISE_GITPACK_H
#define ARDOISE_GITPACK_H

#include <stddef.h>
#include <stdint.h>

struct gitpack;

/*
 * A resolved object, shared by reference count with the cache. When it
 * was made by a delta, what the delta copied unchanged is kept: its first
 * head bytes are the base's first head bytes, its last tail bytes the
 * base's last tail bytes (what a compare of the two need not read).
 */
struct gitpack_obj {
	unsigned refs;
	int type;		/* git_object_t: GIT_OBJECT_TREE... */
	size_t pack;		/* where it is: its identity */
	uint64_t off;
	int delta;		/* made from the base at (base_pack, base_off) */
	size_t base_pack;
	uint64_t base_off;
	size_t head, tail;
	size_t len;
	size_t cap;		/* bytes of data allocated (len + 1 or more) */
	unsigned char data[];
};

/* Bytes at the start and end of a and b known equal because one was
 * made from the other by a delta; 0 and 0 when neither was. */
void gitpack_same_ends(const struct gitpack_obj *a,
    const struct gitpack_obj *b, size_t *head, size_t *tail);

/*
 * Opens the packs of objdir ("<gitdir>/objects"), keeping up to budget
 * bytes of resolved objects, or four times the largest tree read if
 * that is more (so that neighbouring versions of the largest directory
 * stay, whatever its size). Never fails: without a readable pack every
 * read returns 0. Free with gitpack_free.
 */
struct gitpack *gitpack_open(const char *objdir, size_t budget);
struct git_repository;
/* gitpack_open on the object database of repo (a libgit2 handle). */
struct gitpack *gitpack_open_repo(struct git_repository *repo, size_t budget);
void gitpack_free(struct gitpack *gp);

/*
 * Reads the object whose raw id is id: 1 with a reference in *out (give
 * it back with gitpack_obj_release), or 0 when this reader cannot.
 */
int gitpack_read(struct gitpack *gp, const unsigned char id[20],
    struct gitpack_obj **out);
void gitpack_obj_release(struct gitpack_obj *o);

/*
 * How many deltas lie between the object and a whole one in its pack
 * (0: stored whole), from headers only; -1 when it is not in the packs.
 */
int gitpack_depth(struct gitpack *gp, const unsigned char id[20]);

/* Objects made in a recycled buffer so far (tests). */
size_t gitpack_recycled(const struct gitpack *gp);

#endif
