/*
 * history: git metadata of files (who added a file and when; when it last
 * changed), from one walk of the history.
 *
 * The walk starts at a commit and goes back in time (skipping merges, like
 * Hugo), comparing each commit's tree with its first parent's entry by
 * entry and descending only into subtrees whose ids differ (a Merkle
 * compare: never a full diff). The newest commit that changed a path gives
 * `updated`; the commit where the path appears (its parent lacks it) gives
 * `created`. The walk stops as soon as every wanted path has both.
 * It opens its own repository handle, so it may run on its own thread.
 *
 * A cache of the previous build (history_walk_cached) holds the metadata of
 * every file of one commit; a later build walks only the commits made
 * since, or nothing when the commit is the same.
 */
#ifndef ARDOISE_HISTORY_H
#define ARDOISE_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "gittree.h"

struct buf;
struct diag;

struct history_info {
	int found;		/* the path was seen in the history */
	int64_t created_time;	/* author time of the commit that added it */
	int created_offset;	/* minutes east of UTC */
	char *created_author;	/* author name; owned */
	int64_t updated_time;	/* author time of the last commit that changed it */
	int updated_offset;
	char *updated_author;
};

/*
 * For each of the n paths (sorted bytewise, unique) fills out[i] (which the
 * caller allocated, n entries, zeroed). gitdir is the repository; start is a
 * commit id in hex. Returns 0, or -1 after reporting to d.
 */
int history_walk(const char *gitdir, const char *start, const char *const *paths,
    size_t n, struct history_info *out, struct diag *d);

/*
 * history_walk with the cache of a previous build: cache[0..cache_len) (not
 * NUL-terminated; NULL and 0 when there is none; its bytes are not
 * trusted). When cache_out is not NULL it is emptied and receives the cache
 * for start, which covers every file of start's tree (not only the wanted
 * paths) and is the same bytes for the same repository and start.
 *
 * The cache is used when the commit it was made for is start or an
 * ancestor of start reached by commits without merges; then only those
 * commits are read. Otherwise (other history, a merge since, a wanted path
 * that is not in start's tree) a full walk gives the result, so the result
 * never depends on the cache. A damaged cache gets a warning in d; one of
 * another version or another history is ignored silently.
 * Returns 0, or -1 after reporting to d.
 */
int history_walk_cached(const char *gitdir, const char *start,
    const char *const *paths, size_t n, struct history_info *out,
    const char *cache, size_t cache_len, struct buf *cache_out, struct diag *d);

/*
 * history_walk_cached with the files of start's tree listed by the caller:
 * listed[0..nlisted) (sorted bytewise, unique, borrowed), which the cache
 * written covers, instead of a listing of start's tree of its own (a build
 * has listed the commit already). ids[i] (20 bytes) and modes[i] are
 * listed[i]'s blob id and its mode (0100644 or 0100755) in start's tree;
 * both NULL when they are not known (the files of a folder).
 *
 * With ids known, one commit since the cache's (start, with the cache's
 * commit as its only parent) that adds no file is read from the ids alone:
 * a file changed exactly when its id or mode differs from the cache's
 * record of it. No tree is read. Anything else walks.
 */
int history_walk_listed(const char *gitdir, const char *start,
    const char *const *paths, size_t n, struct history_info *out,
    const char *const *listed, const unsigned char *const *ids, const unsigned *modes,
    size_t nlisted, const char *cache, size_t cache_len, struct buf *cache_out,
    struct diag *d);

/* Frees the strings of infos[0..n); infos may be NULL. */
void history_info_release(struct history_info *infos, size_t n);

/* What one call did, for tests and benchmarks. */
struct history_stats {
	size_t commits;		/* commits compared with their first parent */
	size_t trees;		/* tree objects read */
	int cache;		/* HISTORY_CACHE_* */
};
enum {
	HISTORY_CACHE_NONE,	/* none given, or ignored: full walk */
	HISTORY_CACHE_WALKED,	/* used, with a walk of the new commits */
	HISTORY_CACHE_HIT	/* used as it is: nothing read */
};

/* history_walk_cached that also fills *st (which may be NULL). */
int history_walk_stats(const char *gitdir, const char *start,
    const char *const *paths, size_t n, struct history_info *out,
    const char *cache, size_t cache_len, struct buf *cache_out,
    struct history_stats *st, struct diag *d);

/*
 * Internal to history*.c: the walk (history.c) and the cache
 * (history_cache.c) share these.
 */
struct git_oid;
struct git_repository;

/*
 * Walks from start, skipping what hide (may be NULL) reaches, and fills
 * out[0..n) for the sorted paths. With hide set, stops at the first merge
 * and returns 1: its side commits cannot be placed among the hidden ones.
 * Returns 0, 1, or -1 after reporting to d.
 */
int history__walk(struct git_repository *repo, const char *gitdir,
    const struct git_oid *start, const struct git_oid *hide,
    const char *const *paths, size_t n, struct history_info *out,
    struct history_stats *st, struct diag *d);

/*
 * Lists the blob paths of start's tree, sorted bytewise: *paths is an
 * owned array of *n owned strings (free each, then the array); (*ids)[20 i]
 * and (*modes)[i] (owned arrays) are the blob id and normalized mode of
 * path i. Returns 0, or -1 after reporting to d.
 */
int history__list(struct git_repository *repo, const char *gitdir,
    const struct git_oid *start, char ***paths, unsigned char **ids,
    uint32_t **modes, size_t *n, struct history_stats *st, struct diag *d);

/*
 * The raw trees (history_tree.c), shared by the walk and the listing.
 * Trees are read raw from the object database and compared as bytes,
 * never built into git_tree objects (parsing every entry of a big
 * directory for each commit, one allocation per entry, was most of the
 * time). A raw tree is a sorted run of "<octal mode> <name>\0<20-byte id>".
 */
struct git_odb;
struct gitpack;
struct gitpack_obj;
struct git_odb_object;

/*
 * off[0..n] are the offsets of the entries (off[n] == len), known once the
 * tree is indexed (off != NULL): by a full parse, which validates, or from
 * the index of a neighbouring version (history__tree_sync), which parses
 * only what differs.
 */
struct history_tree {
	unsigned char id[20];
	struct git_odb_object *obj;	/* read by libgit2, or */
	struct gitpack_obj *pobj;	/* by gitpack */
	const unsigned char *p;
	size_t len;
	uint32_t *off;
	size_t n, cap;
};

/*
 * The trees read for the current commit (cur) and for the previous one
 * (prev). In a linear history the parent side of one commit is the commit
 * side of the next, so one generation is kept: each tree is read and
 * indexed once (libgit2 caches no raw tree above 4 KiB). Zero it, set
 * odb (owned), gitdir, st and d; free with history__trees_release.
 */
struct history_trees {
	struct git_odb *odb;
	struct gitpack *gp;	/* owned; NULL reads through odb only */
	struct history_tree **cur, **prev;
	size_t ncur, nprev, capcur, capprev;
	const char *gitdir;
	struct history_stats *st;
	struct diag *d;
};

/* The tree of that id, from the generations or read (unindexed). The
 * pointer lives until the generation after next. Returns 0 or -1. */
int history__tree_get(struct history_trees *ts, const unsigned char *id,
    struct history_tree **out);
/* Ends a commit: its trees become the previous generation. */
void history__trees_rotate(struct history_trees *ts);
void history__trees_release(struct history_trees *ts);
/* Indexes t by a full parse. Returns 0, or -1 when it is damaged. */
int history__tree_index(struct history_trees *ts, struct history_tree *t);
/*
 * Indexes y from x (indexed). On return x[*p, *rx) and y[*p, *ry) are the
 * only entries that may differ. Returns 0, or -1 when y is damaged.
 */
int history__tree_sync(struct history_trees *ts, const struct history_tree *x,
    struct history_tree *y, size_t *p, size_t *rx, size_t *ry);
/* Reports a damaged tree; returns -1. */
int history__damaged(struct history_trees *ts, const unsigned char *id);
/* The same id and the same mode once normalized. */
int history__ent_same(const struct gittree_entry *x, const struct gittree_entry *y);

#endif
