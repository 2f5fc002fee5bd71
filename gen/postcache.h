/*
 * postcache: what reading and rendering each post and page gave the
 * previous build, kept in <output>/.ardoise/, so that a rebuild reads
 * and renders only what changed.
 *
 * An entry holds a post's source path and blob id, its front matter as
 * parsed and the warnings parsing gave; when it was rendered, also its
 * address, HTML, summary, the warnings rendering gave and what each of its
 * links and media references resolved to (its dependencies: another
 * post's address, a file's blob id, or nothing there). The front matter
 * is reused when the blob is the same; the rendering only when, besides,
 * the post keeps its address and every dependency resolves as it did.
 * The whole cache belongs to one context (program, themes, audience,
 * configuration, language of the messages): with any other it is ignored.
 *
 * The entries, sorted by path, are cut into shards after each entry
 * whose path hashes to 0 modulo 128 (so an edit leaves the other shards'
 * bounds as they were), each in .ardoise/posts.d/<hash of its bytes>;
 * .ardoise/posts names them in order. A rebuild writes only the shards
 * whose entries changed (out.h reuses the others) and maps them all:
 * restored HTML, summaries and addresses are borrowed from the mapping,
 * never copied.
 *
 * Format (integers little-endian; the files may be damaged or hostile:
 * every length is checked against the end before use):
 *   posts:  "ardoise-posts 3\n", str context, u32 n, n x str shard name,
 *           u64 XXH3 of every byte before it
 *   shard:  "ardoise-shard 3\n", entries: str path, str oid, u32 length,
 *           then that many bytes: u32 length of the meta part, meta,
 *           diags, u8 rendered, when rendered: str url, str html,
 *           str summary, str deps (as post.deps), diags
 * A shard's name is the XXH3-128 of its bytes, checked when it is read.
 * where
 *   str    u32 length (0xffffffff: none), bytes, NUL (not counted)
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
#include <stdint.h>

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

/* Walks deps[0..len) (as post.deps): the dependency at offset *at, then
 * *at moves past it. Returns 0 at the end. */
int postcache_dep_next(const char *deps, size_t len, size_t *at, int *kind, const char **path,
    const char **token);

/*
 * Maps the cache of the output dir (its .ardoise/) and checks it. Returns
 * the cache, NULL with *why NULL when there is none, or NULL with a short
 * English reason (to translate) in *why when it cannot be trusted. Only
 * a cache made for this build's context may be used: postcache_made_for.
 * Thread-safe (a build opens it while it lists the commit).
 */
struct postcache *postcache_open(const char *dir, const char **why);
/* 1 when pc was made for context (program, themes, audience,
 * configuration, language of the messages). */
int postcache_made_for(const struct postcache *pc, const char *context);
/* Unmaps pc (NULL: nothing): what was borrowed from it dies with it. */
void postcache_free(struct postcache *pc);

/* The entry of path at blob oid, or NULL; pc may be NULL. *next (0 to
 * begin) is where the entry after the last one found is, and is tried
 * first: paths asked in order, as a listing gives them, are then found
 * without a search, the cache's entries read in order (others by a
 * binary search). */
const struct postcache_entry *postcache_find(const struct postcache *pc,
    const char *path, const char *oid, size_t *next);

/* Decodes an entry's front matter into m (released first) and appends
 * the warnings reading gave to d. Returns 0, or -1 when damaged. */
int postcache_meta(const struct postcache_entry *e, struct fm_meta *m, struct diag *d);

/* The rendered part of an entry, all borrowed from the cache (nothing to
 * release): a rebuild checks ten thousand of them, on several threads. */
struct postcache_render {
	const char *url, *html, *summary;
	size_t html_len;
	uint64_t html_hash[2];	/* as post.html_hash */
	const char *deps;	/* deps[0..deps_len): as post.deps */
	size_t deps_len;
	const char *diags;	/* the warnings rendering gave, encoded (checked) */
	size_t diags_len;
};

/* Decodes the rendered part: 1 when there is one (r filled), 0 when not
 * rendered, -1 when damaged. */
int postcache_render(const struct postcache_entry *e, struct postcache_render *r);
/* Appends the warnings of r (filled by postcache_render) to d. */
void postcache_render_diags(const struct postcache_render *r, struct diag *d);

/* Writes the cache for the next build through an output (out.h). */
struct out;
struct postcache_writer {
	struct out *o;
	const struct postcache *prev;	/* the cache read, whose entries posts may copy */
	struct buf index;	/* .ardoise/posts so far */
	size_t count_at;	/* where its number of shards goes */
	uint32_t nshards;
	char (*names)[33];	/* of the shards written */
	size_t names_cap;
	struct buf shard;	/* the shard being made */
	size_t nentries;	/* entries in it */
	/* while the shard being made holds the first entries of one shard of
	 * prev, as they were, that shard's index (+1; 0: none), and the
	 * shard's bytes are not copied: whole, it is reused by name */
	size_t same;
	struct diag *d;
	int failed;
};

/* prev (may be NULL) must live until postcache_write_end. */
void postcache_write_begin(struct postcache_writer *w, struct out *o,
    const struct postcache *prev, const char *context, struct diag *d);
/* Appends p, which was read without error (in path order). When p's
 * entry is the one of prev as it was (p->cached), its bytes are copied. */
void postcache_write_post(struct postcache_writer *w, const struct post *p);
/* Writes the last shard and the list. Returns 0, or -1 after reporting
 * to d (a cache that cannot be written is only a slower next build). */
int postcache_write_end(struct postcache_writer *w);

#endif
