/*
 * postcache: what reading and rendering each post and page gave the
 * previous build, kept in <output>/.ardoise/posts, so that a rebuild reads
 * and renders only what changed.
 *
 * An entry holds a post's source path and blob id, its front matter as
 * parsed and the warnings parsing gave; when it was rendered, also its
 * address, HTML, summary, the warnings rendering gave and what each of its
 * links and media references resolved to (its dependencies: another
 * post's address, a file's blob id, or nothing there). The front matter
 * is reused when the blob is the same; the rendering only when, besides,
 * the post keeps its address and every dependency resolves as it did.
 * The whole file belongs to one context (program, themes, audience,
 * configuration, language of the messages): with any other it is ignored.
 *
 * Format (integers little-endian; the file may be damaged or hostile:
 * every length is checked against the end before use):
 *   "ardoise-posts 1\n", str context
 *   entries, sorted by path: str path, str oid, u32 length, then
 *     that many bytes: meta, diags, u8 rendered,
 *     when rendered: str url, str html, str summary,
 *       u32 n, n x (u8 kind, str path, str token), diags
 *   u32 number of entries, u64 XXH3 of every byte before it
 * where
 *   str    u32 length (0xffffffff: none), bytes
 *   meta   str title, u8 has_date, date (9 x i32), str author,
 *          u32 n, n x str tags, u8 draft, str summary, u8 class_only,
 *          str cover, str transcript, val params, 9 x i32 lines
 *   val    u8 type, i32 line, i32 col, then STR: u8 plain, str;
 *          BOOL: u8; LIST: u32 n, n x val; MAP: u32 n, n x (str key, val)
 *   diags  u32 n, n x (u8 level, str path, i32 line, i32 col, str msg)
 * A val nests at most 64 levels deep here (front matter is limited to
 * fewer by yaml_depth).
 */
#ifndef ARDOISE_POSTCACHE_H
#define ARDOISE_POSTCACHE_H

#include <stddef.h>
#include <stdio.h>

#include <xxhash.h>

#include "buf.h"
#include "diag.h"

struct fm_meta;
struct post;
struct postcache;
struct postcache_entry;

/* Kinds of dependencies, as recorded by the resolver in post.deps. */
enum {
	POSTCACHE_DEP_POST = 'p',	/* a link to a post or page: its address */
	POSTCACHE_DEP_MEDIA = 'm',	/* a media file: published with the post */
	POSTCACHE_DEP_FILE = 'f',	/* any other file (transcript, link target) */
};

/* Walks deps (as post.deps): the dependency at offset *at, then *at moves
 * past it. Returns 0 at the end. */
int postcache_dep_next(const struct buf *deps, size_t *at, int *kind, const char **path,
    const char **token);

/*
 * Reads data[0..len) (the previous build's file, borrowed until
 * postcache_free) for context. Returns the cache, or NULL with a short
 * English reason (to translate) in *why when it cannot be trusted.
 */
struct postcache *postcache_parse(const char *data, size_t len, const char *context,
    const char **why);
void postcache_free(struct postcache *pc);

/* The entry of path at blob oid, or NULL; pc may be NULL. */
const struct postcache_entry *postcache_find(const struct postcache *pc,
    const char *path, const char *oid);

/* Decodes an entry's front matter into m (released first) and appends
 * the warnings reading gave to d. Returns 0, or -1 when damaged. */
int postcache_meta(const struct postcache_entry *e, struct fm_meta *m, struct diag *d);

/* The rendered part of an entry, decoded (all owned). */
struct postcache_render {
	char *url, *html, *summary;
	struct buf deps;	/* as post.deps */
	struct diag diags;	/* the warnings rendering gave */
};

/* Decodes the rendered part: 1 when there is one (r filled, release it
 * with postcache_render_release), 0 when not rendered, -1 when damaged. */
int postcache_render(const struct postcache_entry *e, struct postcache_render *r);
void postcache_render_release(struct postcache_render *r);

/* Streams a new cache to a file. */
struct postcache_writer {
	FILE *f;
	XXH3_state_t *hash;
	struct buf b;		/* bytes not yet written */
	struct buf e;		/* scratch: one entry's body */
	unsigned long n;
	int failed;
};

/* Starts writing to path. Returns 0, or -1 with errno set. */
int postcache_write_begin(struct postcache_writer *w, const char *path, const char *context);
/* Appends p, which was read without error (in path order). */
void postcache_write_post(struct postcache_writer *w, const struct post *p);
/* Finishes the file. Returns 0, or -1 with errno set (nothing usable). */
int postcache_write_end(struct postcache_writer *w);

#endif
