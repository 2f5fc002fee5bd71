/*
 * out: writes a site so that its directory is always either the old site
 * or the new one, never half of each.
 *
 * out_begin() creates a hidden staging directory next to the target
 * (".<name>.tmp-XXXXXX" in the same parent, so the final rename stays on
 * one filesystem). Files are written into it; out_commit() syncs the
 * filesystem, then swaps staging and target in one renameat2(EXCHANGE)
 * and deletes the old tree. Any failure, or out_abort(), removes the
 * staging directory and leaves the target untouched.
 *
 * A non-empty target that ardoise did not write (no .ardoise/ marker) is
 * never replaced: it could be a teacher's own folder.
 *
 * Incremental builds: every output file is recorded with a key (see
 * manifest.h). When the previous build (the target itself, or another
 * directory such as the last release) recorded the same key for the same
 * path, its file is hard-linked into the new tree instead of written: it
 * keeps its inode and mtime, and nothing is written twice. Files the new
 * build does not produce are simply not in the new tree.
 *
 * out_write(), out_reuse() and out_write_key() may be called from several
 * threads at once.
 */
#ifndef ARDOISE_OUT_H
#define ARDOISE_OUT_H

#include <stddef.h>
#include <stdint.h>

struct diag;
struct out;

/* Returns 0 and a new writer in *o, or -1 after reporting to d. previous
 * is the directory whose files may be reused (NULL: dir itself); force
 * reuses nothing. A previous manifest that cannot be trusted is ignored
 * with a warning. Building in place, the site before last (kept as
 * ".<name>.spare") is updated into the new one; recycle (NULL: none)
 * names another older site to take apart the same way when dir is new
 * (a release about to be pruned). Files of such a tree are replaced,
 * never written into: they may be the live site's too. */
int out_begin(struct out **o, const char *dir, const char *previous, const char *recycle,
    int force, struct diag *d);
/* Writes rel (a '/'-separated relative path, parents created) with n
 * bytes. Fails when the file already exists in this build. Returns 0, or
 * -1 after reporting to d. */
int out_write(struct out *o, const char *rel, const void *p, size_t n,
    struct diag *d);
/* Reuses the previous build's rel when it was recorded with key: returns 1
 * (nothing more to do), or 0 when the caller must produce the bytes and
 * call out_write_key(). */
int out_reuse(struct out *o, const char *rel, const char *key);
/* rel, a file of ardoise's own under .ardoise/posts.d/ (a spare keeps
 * them), made the previous build's file, whose content the caller knows
 * sound: 1 when done (the same inode kept, or linked), 0 when it cannot
 * be; rel is then not in this build at all, for the caller to write. */
int out_link_own(struct out *o, const char *rel);
/* Like out_write, with a key the caller knows without hashing (a blob id). */
int out_write_key(struct out *o, const char *rel, const char *key,
    const void *p, size_t n, struct diag *d);
/* Fails every write past max bytes written by this build (0: no limit). */
void out_set_max_bytes(struct out *o, uint64_t max);
/* 1 when a write failed for a system reason (disk full, permissions),
 * as opposed to a problem of the content. */
int out_io_failed(struct out *o);
/* Marks o as failed for another system reason (a library that cannot be
 * loaded): out_io_failed is then 1. Any thread. */
void out_failed_system(struct out *o);
/* How many files were written and how many reused so far. */
void out_counts(struct out *o, size_t *written, size_t *reused);
/* The staging directory (for writers that need a path, e.g. libxml2). */
const char *out_staging(const struct out *o);
/* The directory whose files this build may reuse (the previous build's,
 * record sound), or NULL: where to find the previous build's caches. */
const char *out_previous(const struct out *o);
/* Publishes and frees o. Returns 0, or -1 after reporting to d (the
 * target is then untouched). */
int out_commit(struct out *o, struct diag *d);
/* Removes the staging directory and frees o; o may be NULL. */
void out_abort(struct out *o);
/* Removes a directory tree without following links. Returns 0 or -1. */
int out_rmtree(const char *path);

#endif
