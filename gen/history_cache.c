/*
 * history_cache: the metadata of every file of one commit, kept between
 * builds, so that a build walks only the commits made since the last one.
 *
 * Format (integers little-endian; the file may be hostile, so every length
 * is checked against the end before use):
 *   "ardoise-history 3\n", the commit in hex, "\n"
 *   u32 number of authors, u32 number of records
 *   authors, sorted and unique: u32 length, bytes
 *   records, sorted by path and unique: u32 length, path,
 *     the blob id (20 bytes), u32 mode (gittree_norm_mode; 0 when the
 *     files were not the commit's: the id is then zeros and not known),
 *     i64 created time, i32 created offset, u32 created author index,
 *     i64 updated time, i32 updated offset, u32 updated author index
 *   u64 XXH3 of all the bytes before it
 * The checksum catches damage anywhere (but for the odds of a 64-bit
 * hash), so a damaged cache does not give wrong dates. Version 1 summed
 * with FNV-1a, a byte at a time: a millisecond per megabyte, read and
 * written on every build. Version 2 had no ids: one new commit meant
 * reading and comparing its trees and its parent's, though the build had
 * listed the new ids already.
 */
#include "history.h"

#include <stdlib.h>
#include <string.h>

#include <git2.h>
#include "xxh.h"

#include "bin.h"
#include "buf.h"
#include "diag.h"
#include "strindex.h"
#include "util.h"

#define MAGIC		"ardoise-history "
#define VERSION		"3\n"
#define HEAD_LEN	(sizeof MAGIC - 1 + sizeof VERSION - 1 + GIT_OID_HEXSZ + 1)
/* The smallest record: a one-byte path. */
#define REC_MIN		(4 + 1 + GIT_OID_RAWSZ + 4 + 2 * (8 + 4 + 4))

struct str {
	const char *p;
	size_t len;
};

struct crec {
	struct str path;
	const unsigned char *id;	/* GIT_OID_RAWSZ bytes */
	uint32_t mode;			/* 0: id not known */
	int64_t ct, ut;
	int co, uo;
	uint32_t ca, ua;
};

struct cache {
	git_oid head;
	struct str *authors;
	uint32_t nauthors;
	struct crec *recs;
	uint32_t nrecs;
};


static int
rd_u32(struct bin_rd *r, uint32_t *v)
{
	*v = bin_u32(r);
	return r->bad ? -1 : 0;
}

static int
rd_u64(struct bin_rd *r, uint64_t *v)
{
	*v = bin_u64(r);
	return r->bad ? -1 : 0;
}

/* A string without NUL bytes (it becomes a C string). */
static int
rd_str(struct bin_rd *r, struct str *s)
{
	return bin_span(r, &s->p, &s->len) && !memchr(s->p, '\0', s->len) ? 0 : -1;
}

/* A blob id, in place. */
static int
rd_id(struct bin_rd *r, const unsigned char **id)
{
	if (r->bad || (size_t)(r->end - r->p) < GIT_OID_RAWSZ) {
		r->bad = 1;
		return -1;
	}
	*id = r->p;
	r->p += GIT_OID_RAWSZ;
	return 0;
}

static int
str_cmp(const struct str *x, const struct str *y)
{
	int c = memcmp(x->p, y->p, x->len < y->len ? x->len : y->len);

	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

/* Compares a cached path with a C string, as strcmp would. */
static int
str_cmp_c(const struct str *x, const char *s)
{
	struct str y = { s, strlen(s) };

	return str_cmp(x, &y);
}

static int
rd_side(struct bin_rd *r, const struct cache *c, int64_t *t, int *off,
    uint32_t *a)
{
	uint64_t v;
	uint32_t o;

	if (rd_u64(r, &v) < 0 || rd_u32(r, &o) < 0 || rd_u32(r, a) < 0 ||
	    *a >= c->nauthors)
		return -1;
	*t = (int64_t)v;
	*off = (int)(int32_t)o;
	/* git offsets are within a day either way */
	return *off < -1440 || *off > 1440 ? -1 : 0;
}

static void
cache_release(struct cache *c)
{
	free(c->authors);
	free(c->recs);
	memset(c, 0, sizeof *c);
}

/*
 * Returns 0 with *c filled (pointing into buf), 1 for a cache of another
 * version, or -1 with *why set when it is damaged.
 */
static int
cache_parse(struct cache *c, const char *buf, size_t len, const char **why)
{
	struct bin_rd r;
	uint64_t sum = 0;
	uint32_t i;
	const char *nl;

	memset(c, 0, sizeof *c);
	*why = _("truncated");
	if (len < sizeof MAGIC - 1 || memcmp(buf, MAGIC, sizeof MAGIC - 1) != 0) {
		*why = _("not a history cache");
		return -1;
	}
	nl = memchr(buf, '\n', len);
	if (nl == NULL)
		return -1;
	if ((size_t)(nl + 1 - buf) != sizeof MAGIC - 1 + sizeof VERSION - 1 ||
	    memcmp(buf + sizeof MAGIC - 1, VERSION, sizeof VERSION - 1) != 0)
		return 1;
	if (len < HEAD_LEN + 8 + 8)
		return -1;
	bin_rd_init(&r, buf + len - 8, 8);
	rd_u64(&r, &sum);
	if (sum != XXH3_64bits(buf, len - 8)) {
		*why = _("checksum mismatch");
		return -1;
	}
	*why = _("bad format");
	if (buf[HEAD_LEN - 1] != '\n' ||
	    git_oid_fromstrn(&c->head, buf + HEAD_LEN - 1 - GIT_OID_HEXSZ,
	    GIT_OID_HEXSZ) < 0)
		return -1;
	bin_rd_init(&r, buf + HEAD_LEN, len - 8 - HEAD_LEN);
	if (rd_u32(&r, &c->nauthors) < 0 || rd_u32(&r, &c->nrecs) < 0 ||
	    c->nauthors > (size_t)(r.end - r.p) / 4 ||
	    c->nrecs > (size_t)(r.end - r.p) / REC_MIN)
		return -1;
	c->authors = xcalloc(c->nauthors ? c->nauthors : 1, sizeof *c->authors);
	c->recs = xcalloc(c->nrecs ? c->nrecs : 1, sizeof *c->recs);
	for (i = 0; i < c->nauthors; i++)
		if (rd_str(&r, &c->authors[i]) < 0 ||
		    (i && str_cmp(&c->authors[i - 1], &c->authors[i]) >= 0))
			goto bad;
	for (i = 0; i < c->nrecs; i++) {
		struct crec *e = &c->recs[i];

		if (rd_str(&r, &e->path) < 0 || e->path.len == 0 ||
		    (i && str_cmp(&c->recs[i - 1].path, &e->path) >= 0) ||
		    rd_id(&r, &e->id) < 0 || rd_u32(&r, &e->mode) < 0 ||
		    rd_side(&r, c, &e->ct, &e->co, &e->ca) < 0 ||
		    rd_side(&r, c, &e->ut, &e->uo, &e->ua) < 0)
			goto bad;
	}
	if (r.p == r.end)
		return 0;
bad:
	cache_release(c);
	return -1;
}

static int
cmp_cstr(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The author last ranked: files in a row mostly share theirs. */
struct last_author {
	const char *name;
	uint32_t rank;
};

static uint32_t
author_rank(const struct strindex *rank, struct last_author *last, const char *name)
{
	if (!last->name || strcmp(last->name, name) != 0) {
		last->name = name;
		last->rank = (uint32_t)strindex_find(rank, name);
	}
	return last->rank;
}

/* Adds name to the distinct authors[0..*na) unless it is there (seen
 * indexes them; last is the name added or found last). */
static void
add_author(struct strindex *seen, struct last_author *last, char *name, char **authors,
    size_t *na)
{
	if (last->name && strcmp(last->name, name) == 0)
		return;
	last->name = name;
	if (strindex_add(seen, name, *na) == *na)
		authors[(*na)++] = name;
}

/* Writes the cache of head for paths[0..n) (sorted), their ids
 * (GIT_OID_RAWSZ bytes each) and modes (both NULL: not known), and their
 * info. */
static void
cache_write(struct buf *b, const git_oid *head, char *const *paths,
    const unsigned char *ids, const uint32_t *modes, const struct history_info *hi, size_t n)
{
	static const unsigned char none[GIT_OID_RAWSZ];
	char hex[GIT_OID_HEXSZ + 1];
	char **authors = xcalloc(2 * n + 1, sizeof *authors);
	struct strindex seen, rank;
	struct last_author last = { NULL, 0 };
	size_t i, na = 0, nrec = 0;

	/* the distinct authors (a class has a few over thousands of files),
	 * sorted, then each one's index in that order */
	strindex_init(&seen, 2 * n);
	for (i = 0; i < n; i++)
		if (hi[i].found && hi[i].created_author && hi[i].updated_author) {
			add_author(&seen, &last, hi[i].created_author, authors, &na);
			add_author(&seen, &last, hi[i].updated_author, authors, &na);
			nrec++;
		}
	strindex_release(&seen);
	last.name = NULL;
	sort_array(authors, na, sizeof *authors, cmp_cstr);
	strindex_init(&rank, na);
	for (i = 0; i < na; i++)
		strindex_add(&rank, authors[i], i);
	buf_reset(b);
	git_oid_tostr(hex, sizeof hex, head);
	buf_puts(b, MAGIC VERSION);
	buf_puts(b, hex);
	buf_putc(b, '\n');
	bin_put_u32(b, (uint32_t)na);
	bin_put_u32(b, (uint32_t)nrec);
	for (i = 0; i < na; i++) {
		bin_put_u32(b, (uint32_t)strlen(authors[i]));
		buf_puts(b, authors[i]);
	}
	for (i = 0; i < n; i++) {
		if (!(hi[i].found && hi[i].created_author && hi[i].updated_author))
			continue;
		bin_put_u32(b, (uint32_t)strlen(paths[i]));
		buf_puts(b, paths[i]);
		buf_add(b, (const char *)(ids ? ids + i * GIT_OID_RAWSZ : none), GIT_OID_RAWSZ);
		bin_put_u32(b, ids && modes ? modes[i] : 0);
		bin_put_u64(b, (uint64_t)hi[i].created_time);
		bin_put_u32(b, (uint32_t)hi[i].created_offset);
		bin_put_u32(b, author_rank(&rank, &last, hi[i].created_author));
		bin_put_u64(b, (uint64_t)hi[i].updated_time);
		bin_put_u32(b, (uint32_t)hi[i].updated_offset);
		bin_put_u32(b, author_rank(&rank, &last, hi[i].updated_author));
	}
	bin_put_u64(b, XXH3_64bits(b->p, b->len));
	strindex_release(&rank);
	free(authors);
}

static void
fill_side(const struct cache *c, int64_t t, int off, uint32_t a,
    int64_t *tt, int *to, char **ta)
{
	*tt = t;
	*to = off;
	free(*ta);
	*ta = xstrndup(c->authors[a].p, c->authors[a].len);
}

/*
 * Completes out[0..n) (after a walk of the commits since the cache's) from
 * the cache: what the walk left open was not touched since. Returns 0, or
 * 1 when some path is in neither.
 */
static int
complete(const struct cache *c, const char *const *paths, size_t n,
    struct history_info *out)
{
	size_t i, j = 0;

	for (i = 0; i < n; i++) {
		struct history_info *o = &out[i];
		const struct crec *e;

		if (o->created_author)
			continue;	/* added since: the walk saw all */
		while (j < c->nrecs && str_cmp_c(&c->recs[j].path, paths[i]) < 0)
			j++;
		if (j == c->nrecs || str_cmp_c(&c->recs[j].path, paths[i]) != 0)
			return 1;
		e = &c->recs[j];
		if (!o->found)
			fill_side(c, e->ut, e->uo, e->ua, &o->updated_time,
			    &o->updated_offset, &o->updated_author);
		fill_side(c, e->ct, e->co, e->ca, &o->created_time,
		    &o->created_offset, &o->created_author);
		o->found = 1;
	}
	return 0;
}

/*
 * Sorted union of a and b into *u (borrowed pointers); amap[i] and bmap[i]
 * are the places of a[i] and b[i] in *u.
 */
static size_t
merge_paths(char *const *a, size_t na, const char *const *b, size_t nb,
    const char ***u, size_t *amap, size_t *bmap)
{
	size_t i = 0, j = 0, k = 0;

	*u = xcalloc(na + nb + 1, sizeof **u);
	while (i < na || j < nb) {
		int c = i == na ? 1 : j == nb ? -1 : strcmp(a[i], b[j]);

		if (c <= 0) {
			(*u)[k] = a[i];
			amap[i++] = k;
		}
		if (c >= 0) {
			(*u)[k] = b[j];
			bmap[j++] = k;
		}
		k++;
	}
	return k;
}

/*
 * One commit since the cache's, start (its only parent is the cache's
 * commit), read from the ids alone: for every path (sorted, with ids and
 * modes, all known) that the cache has a record of with an id, the commit
 * changed it exactly when its id or mode differs, as a compare of the two
 * trees would find. Returns 0 with all[0..n) filled and st set, or 1,
 * all untouched, when start is not such a commit or a path is not in
 * the cache (added by it, or not a listed file in the parent: the walk
 * tells which).
 */
static int
one_commit_since(git_repository *repo, const struct cache *c, const git_oid *start,
    char *const *paths, const unsigned char *ids, const uint32_t *modes, size_t n,
    struct history_info *all, struct history_stats *st)
{
	git_commit *commit = NULL;
	const git_signature *who;
	size_t i, j = 0, *at = NULL;
	int rc = 1;

	if (git_commit_lookup(&commit, repo, start) < 0 || git_commit_parentcount(commit) != 1 ||
	    !git_oid_equal(git_commit_parent_id(commit, 0), &c->head))
		goto out;
	at = xcalloc(n + 1, sizeof *at);
	for (i = 0; i < n; i++) {
		while (j < c->nrecs && str_cmp_c(&c->recs[j].path, paths[i]) < 0)
			j++;
		if (j == c->nrecs || str_cmp_c(&c->recs[j].path, paths[i]) != 0 ||
		    c->recs[j].mode == 0 || modes[i] == 0)
			goto out;
		at[i] = j;
	}
	who = git_commit_author(commit);
	for (i = 0; i < n; i++) {
		const struct crec *e = &c->recs[at[i]];
		struct history_info *o = &all[i];

		if (e->mode == modes[i] && memcmp(e->id, ids + i * GIT_OID_RAWSZ, GIT_OID_RAWSZ) == 0) {
			fill_side(c, e->ut, e->uo, e->ua, &o->updated_time, &o->updated_offset,
			    &o->updated_author);
		} else {
			o->updated_time = who->when.time;
			o->updated_offset = who->when.offset;
			o->updated_author = xstrdup(who->name ? who->name : "");
		}
		fill_side(c, e->ct, e->co, e->ca, &o->created_time, &o->created_offset,
		    &o->created_author);
		o->found = 1;
	}
	st->commits = 1;
	st->cache = HISTORY_CACHE_WALKED;
	rc = 0;
out:
	git_error_clear();
	free(at);
	git_commit_free(commit);
	return rc;
}

/* The caller's ids and modes of n files as the cache keeps them; none
 * (NULL) when one is not known. */
static void
listed_raw(const unsigned char *const *id, const unsigned *mode, size_t n, unsigned char **ids,
    uint32_t **modes)
{
	size_t i;

	*ids = xcalloc(n + 1, GIT_OID_RAWSZ);
	*modes = xcalloc(n + 1, sizeof **modes);
	for (i = 0; i < n; i++) {
		if (!mode[i]) {
			free(*ids);
			free(*modes);
			*ids = NULL;
			*modes = NULL;
			return;
		}
		memcpy(*ids + i * GIT_OID_RAWSZ, id[i], GIT_OID_RAWSZ);
		(*modes)[i] = gittree_norm_mode(mode[i]);
	}
}

/*
 * Fills all[0..n) from the commits since the cache's and the cache, when
 * the cache's commit is an ancestor of start through commits without
 * merges and knows every path the walk left open; then sets st->cache.
 * Otherwise leaves all zeroed for a full walk. Returns 0 or -1.
 */
static int
walk_since(git_repository *repo, const char *gitdir, const struct cache *c,
    const git_oid *start, const char *const *paths, size_t n,
    struct history_info *all, struct history_stats *st, struct diag *d)
{
	int rc;

	/* Not an ancestor (history rewritten) or unknown (pruned, another
	 * repository): not an error, the cache is just of no use. */
	rc = git_oid_equal(&c->head, start) ? 1 :
	    git_graph_descendant_of(repo, start, &c->head);
	git_error_clear();
	if (rc != 1)
		return 0;
	rc = history__walk(repo, gitdir, start, &c->head, paths, n, all, st, d);
	if (rc < 0)
		return -1;
	if (rc == 0 && complete(c, paths, n, all) == 0) {
		st->cache = HISTORY_CACHE_WALKED;
		return 0;
	}
	history_info_release(all, n);
	memset(all, 0, n * sizeof *all);
	st->commits = 0;
	return 0;
}

/* history_walk_stats, with start's files listed by the caller when
 * listed is not NULL (nlisted paths, sorted, unique; their ids and modes,
 * or NULL). */
static int
walk_cached(const char *gitdir, const char *start,
    const char *const *paths, size_t n, struct history_info *out,
    const char *const *listed, const unsigned char *const *listed_ids,
    const unsigned *listed_modes, size_t nlisted, const char *cache, size_t cache_len,
    struct buf *cache_out, struct history_stats *st, struct diag *d)
{
	struct history_stats st0;
	struct history_info *all = NULL;
	struct cache c;
	git_repository *repo = NULL;
	const char *const *wanted = paths;
	const char **u = NULL;
	const char *why;
	char **tree = NULL;
	unsigned char *ids = NULL;	/* of the tree's files, when known */
	uint32_t *modes = NULL;
	size_t i, ntree = 0, nall = n, *map = NULL, *tmap = NULL;
	git_oid oid;
	int cached = -1, ret = -1;

	if (st == NULL)
		st = &st0;
	memset(st, 0, sizeof *st);
	memset(&c, 0, sizeof c);
	for (i = 1; i < n; i++)
		if (strcmp(paths[i - 1], paths[i]) >= 0) {
			diag_error(d, paths[i], 0, 0, _("history of \"%s\" asked "
			    "out of order: paths must be sorted and unique"),
			    paths[i]);
			return -1;
		}
	if (n == 0 && cache_out == NULL)
		return 0;
	if (strlen(start) != GIT_OID_HEXSZ || git_oid_fromstr(&oid, start) < 0) {
		diag_error(d, NULL, 0, 0, _("\"%s\" is not a commit id: give the "
		    "40 hexadecimal digits of a commit"), start);
		return -1;
	}
	if (cache && cache_len) {
		cached = cache_parse(&c, cache, cache_len, &why);
		if (cached < 0)
			diag_warn(d, NULL, 0, 0, _("history cache ignored: %s"), why);
	}
	/* The same commit: the cache is the answer, nothing to read. */
	if (cached == 0 && git_oid_equal(&c.head, &oid) &&
	    complete(&c, paths, n, out) == 0) {
		if (cache_out) {
			buf_reset(cache_out);
			buf_add(cache_out, cache, cache_len);
		}
		st->cache = HISTORY_CACHE_HIT;
		ret = 0;
		goto out;
	}
	history_info_release(out, n);
	memset(out, 0, n * sizeof *out);
	if (git_repository_open_ext(&repo, gitdir, GIT_REPOSITORY_OPEN_NO_SEARCH,
	    NULL) < 0) {
		diag_error(d, NULL, 0, 0, _("cannot open repository \"%s\": %s"),
		    gitdir, git_error_last() && git_error_last()->message ?
		    git_error_last()->message : _("unknown libgit2 error"));
		goto out;
	}
	/* The cache written covers all files, for builds wanting others. */
	if (cache_out) {
		if (listed) {
			tree = (char **)listed;	/* borrowed, not freed */
			ntree = nlisted;
			if (listed_ids && listed_modes)
				listed_raw(listed_ids, listed_modes, nlisted, &ids, &modes);
		} else if (history__list(repo, gitdir, &oid, &tree, &ids, &modes, &ntree, st, d) < 0) {
			goto out;
		}
		map = xcalloc(n + 1, sizeof *map);
		tmap = xcalloc(ntree + 1, sizeof *tmap);
		nall = merge_paths(tree, ntree, paths, n, &u, tmap, map);
		wanted = u;
	}
	all = xcalloc(nall + 1, sizeof *all);
	if (cached == 0) {
		/* when every path wanted is a file of the tree, the ids may tell */
		int done = ids && nall == ntree &&
		    one_commit_since(repo, &c, &oid, tree, ids, modes, ntree, all, st) == 0;

		if (!done && walk_since(repo, gitdir, &c, &oid, wanted, nall, all, st, d) < 0)
			goto out;
	}
	if (st->cache == HISTORY_CACHE_NONE) {
		if (history__walk(repo, gitdir, &oid, NULL, wanted, nall, all, st,
		    d) < 0)
			goto out;
	}
	if (cache_out) {
		struct history_info *ti = xcalloc(ntree + 1, sizeof *ti);

		/* shallow copies: all keeps the strings */
		for (i = 0; i < ntree; i++)
			ti[i] = all[tmap[i]];
		cache_write(cache_out, &oid, tree, ids, modes, ti, ntree);
		free(ti);
	}
	for (i = 0; i < n; i++) {
		struct history_info *s = &all[map ? map[i] : i];

		out[i] = *s;
		s->created_author = s->updated_author = NULL;
	}
	ret = 0;
out:
	if (all)
		history_info_release(all, nall);
	free(all);
	free(u);
	free(map);
	free(tmap);
	free(ids);
	free(modes);
	if (tree != (char **)listed) {
		for (i = 0; i < ntree; i++)
			free(tree[i]);
		free(tree);
	}
	git_repository_free(repo);
	cache_release(&c);
	return ret;
}

int
history_walk_stats(const char *gitdir, const char *start,
    const char *const *paths, size_t n, struct history_info *out,
    const char *cache, size_t cache_len, struct buf *cache_out,
    struct history_stats *st, struct diag *d)
{
	return walk_cached(gitdir, start, paths, n, out, NULL, NULL, NULL, 0, cache, cache_len,
	    cache_out, st, d);
}

int
history_walk_listed(const char *gitdir, const char *start,
    const char *const *paths, size_t n, struct history_info *out,
    const char *const *listed, const unsigned char *const *ids, const unsigned *modes,
    size_t nlisted, const char *cache, size_t cache_len, struct buf *cache_out,
    struct diag *d)
{
	return walk_cached(gitdir, start, paths, n, out, listed, ids, modes, nlisted, cache,
	    cache_len, cache_out, NULL, d);
}

int
history_walk_cached(const char *gitdir, const char *start,
    const char *const *paths, size_t n, struct history_info *out,
    const char *cache, size_t cache_len, struct buf *cache_out, struct diag *d)
{
	return history_walk_stats(gitdir, start, paths, n, out, cache,
	    cache_len, cache_out, NULL, d);
}

int
history_walk(const char *gitdir, const char *start, const char *const *paths,
    size_t n, struct history_info *out, struct diag *d)
{
	return history_walk_stats(gitdir, start, paths, n, out, NULL, 0, NULL,
	    NULL, d);
}
