/*
 * gitpack: see gitpack.h. The formats are git's gitformat-pack(5):
 * an index v2 maps ids to offsets (fan-out, sorted ids, CRCs, 31-bit
 * offsets, 64-bit offsets); a pack object is a type-and-size header,
 * for a delta its base (a backward offset or an id), then a zlib stream;
 * a delta is the base and target sizes, then copy and insert
 * instructions. Packs are read with pread, not mapped: a mapped pack
 * would count in the build's resident memory for every page touched
 * (indexes are mapped: a lookup touches a few of their pages).
 */
#include "gitpack.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>
#include <libdeflate.h>
#include <zlib.h>

#include "buf.h"
#include "util.h"

enum {
	OBJ_COMMIT = 1, OBJ_TREE = 2, OBJ_BLOB = 3, OBJ_TAG = 4,
	OBJ_OFS_DELTA = 6, OBJ_REF_DELTA = 7
};

/* Larger objects and deeper chains are left to libgit2. */
#define MAX_OBJECT	((size_t)1 << 30)
#define MAX_CHAIN	10000
#define FIRST_READ	4096
/* Objects larger than this get room to grow, and their versions are
 * made in recycled buffers (apply); smaller ones are cheap to copy. */
#define RECYCLE_MIN	65536

struct pack {
	int fd;
	uint64_t len;		/* of the .pack file */
	unsigned char *idx;	/* the whole .idx file, mapped */
	size_t idxlen;
	uint32_t n;		/* objects */
	const unsigned char *ids, *off32, *off64;
	size_t n64;
};

struct entry {
	struct entry *next;		/* hash chain */
	struct entry *older, *newer;	/* LRU list */
	uint64_t off;
	size_t pack;
	struct gitpack_obj *obj;
};

struct gitpack {
	char *objdir;		/* for loose objects */
	struct pack *packs;
	size_t npacks;
	struct entry **tab;	/* hash table of cached objects */
	size_t nbuckets, nentries;
	struct entry *newest, *oldest;
	size_t held, budget;
	size_t recycled;
	struct libdeflate_decompressor *dec;
	unsigned char *in;	/* FIRST_READ bytes read from a pack */
	unsigned char *zin;	/* a longer stream */
	size_t zcap;
	struct buf delta;	/* the delta being applied */
};

/* One object's header, as found at off. */
struct hdr {
	int type;
	size_t size;		/* of the inflated data */
	uint64_t data;		/* offset of the zlib stream */
	uint64_t base;		/* OFS_DELTA: the base's offset */
	size_t basepack;	/* and its pack (REF_DELTA may cross packs) */
};

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint64_t
be64(const unsigned char *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static int
read_all(int fd, void *p, size_t n, uint64_t off)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = pread(fd, (char *)p + got, n - got,
		    (off_t)(off + got));

		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

/* Checks an index v2 and its pack; 0 when both look whole. */
static int
pack_load(struct pack *pk, const char *idxpath, const char *packpath)
{
	struct stat st;
	unsigned char head[12];
	const unsigned char *fan;
	size_t need, i;
	int fd;

	memset(pk, 0, sizeof *pk);
	pk->fd = -1;
	if ((fd = open(idxpath, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(fd, &st) < 0 || st.st_size < 8 + 1024 + 40 ||
	    (uint64_t)st.st_size > SIZE_MAX / 2) {
		close(fd);
		return -1;
	}
	/* Mapped, as git and libgit2 do (git replaces an index, never
	 * rewrites one): a lookup touches a few pages of it, not all. */
	pk->idx = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (pk->idx == MAP_FAILED) {
		pk->idx = NULL;
		return -1;
	}
	pk->idxlen = (size_t)st.st_size;
	if (memcmp(pk->idx, "\377tOc", 4) != 0 || be32(pk->idx + 4) != 2)
		return -1;
	fan = pk->idx + 8;
	for (i = 1; i < 256; i++)
		if (be32(fan + 4 * i) < be32(fan + 4 * (i - 1)))
			return -1;
	pk->n = be32(fan + 4 * 255);
	need = 8 + 1024 + (size_t)pk->n * (20 + 4 + 4) + 40;
	if ((size_t)st.st_size < need || ((size_t)st.st_size - need) % 8)
		return -1;
	pk->ids = fan + 1024;
	pk->off32 = pk->ids + (size_t)pk->n * 24;	/* past ids and CRCs */
	pk->off64 = pk->off32 + (size_t)pk->n * 4;
	pk->n64 = ((size_t)st.st_size - need) / 8;
	if ((pk->fd = open(packpath, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fstat(pk->fd, &st) < 0 || st.st_size < 12 + 20 ||
	    read_all(pk->fd, head, sizeof head, 0) < 0 ||
	    memcmp(head, "PACK", 4) != 0 ||
	    (be32(head + 4) != 2 && be32(head + 4) != 3) ||
	    be32(head + 8) != pk->n)
		return -1;
	pk->len = (uint64_t)st.st_size;
	return 0;
}

static void
pack_release(struct pack *pk)
{
	if (pk->fd >= 0)
		close(pk->fd);
	if (pk->idx)
		munmap(pk->idx, pk->idxlen);
}

struct gitpack *
gitpack_open(const char *objdir, size_t budget)
{
	struct gitpack *gp = xcalloc(1, sizeof *gp);
	struct buf dir = BUF_INIT, idx = BUF_INIT, pack = BUF_INIT;
	struct dirent *de;
	size_t cap = 0, n;
	DIR *d;

	gp->objdir = xstrdup(objdir);
	gp->budget = budget;
	gp->nbuckets = 1024;
	gp->tab = xcalloc(gp->nbuckets, sizeof *gp->tab);
	gp->in = xmalloc(FIRST_READ);
	buf_init(&gp->delta);
	if ((gp->dec = libdeflate_alloc_decompressor()) == NULL)
		goto out;
	buf_printf(&dir, "%s/pack", objdir);
	if ((d = opendir(dir.p)) == NULL)
		goto out;
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n < 5 || strcmp(de->d_name + n - 4, ".idx") != 0)
			continue;
		buf_truncate(&idx, 0);
		buf_truncate(&pack, 0);
		buf_printf(&idx, "%s/%s", dir.p, de->d_name);
		buf_printf(&pack, "%s/%.*s.pack", dir.p, (int)(n - 4),
		    de->d_name);
		gp->packs = xgrow(gp->packs, &cap, gp->npacks + 1,
		    sizeof *gp->packs);
		if (pack_load(&gp->packs[gp->npacks], idx.p, pack.p) == 0)
			gp->npacks++;
		else
			pack_release(&gp->packs[gp->npacks]);
	}
	closedir(d);
out:
	buf_release(&dir);
	buf_release(&idx);
	buf_release(&pack);
	return gp;
}

struct gitpack *
gitpack_open_repo(git_repository *repo, size_t budget)
{
	struct buf objdir = BUF_INIT;
	struct gitpack *gp;

	buf_printf(&objdir, "%sobjects", git_repository_commondir(repo));
	gp = gitpack_open(objdir.p, budget);
	buf_release(&objdir);
	return gp;
}

void
gitpack_obj_release(struct gitpack_obj *o)
{
	if (o && --o->refs == 0)
		free(o);
}

void
gitpack_free(struct gitpack *gp)
{
	size_t i;
	struct entry *e, *next;

	if (gp == NULL)
		return;
	for (e = gp->newest; e; e = next) {
		next = e->older;
		gitpack_obj_release(e->obj);
		free(e);
	}
	for (i = 0; i < gp->npacks; i++)
		pack_release(&gp->packs[i]);
	free(gp->packs);
	free(gp->tab);
	free(gp->in);
	free(gp->zin);
	buf_release(&gp->delta);
	libdeflate_free_decompressor(gp->dec);
	free(gp->objdir);
	free(gp);
}

size_t
gitpack_recycled(const struct gitpack *gp)
{
	return gp->recycled;
}

/* --- the cache: (pack, offset) -> object, least recently used out --- */

static size_t
slot(const struct gitpack *gp, size_t pack, uint64_t off)
{
	uint64_t h = (off ^ (uint64_t)pack << 56) * 0x9e3779b97f4a7c15u;

	return (size_t)(h >> 32) & (gp->nbuckets - 1);
}

static void
lru_unlink(struct gitpack *gp, struct entry *e)
{
	if (e->older)
		e->older->newer = e->newer;
	else
		gp->oldest = e->newer;
	if (e->newer)
		e->newer->older = e->older;
	else
		gp->newest = e->older;
}

static void
lru_push(struct gitpack *gp, struct entry *e)
{
	e->newer = NULL;
	e->older = gp->newest;
	if (gp->newest)
		gp->newest->newer = e;
	else
		gp->oldest = e;
	gp->newest = e;
}

static struct entry *
cache_find(const struct gitpack *gp, size_t pack, uint64_t off)
{
	struct entry *e;

	for (e = gp->tab[slot(gp, pack, off)]; e; e = e->next)
		if (e->off == off && e->pack == pack)
			return e;
	return NULL;
}

/* The object at (pack, off) with a new reference, or NULL. */
static struct gitpack_obj *
cache_get(struct gitpack *gp, size_t pack, uint64_t off)
{
	struct entry *e = cache_find(gp, pack, off);

	if (e == NULL)
		return NULL;
	lru_unlink(gp, e);
	lru_push(gp, e);
	e->obj->refs++;
	return e->obj;
}

static void
cache_drop(struct gitpack *gp, struct entry *e)
{
	struct entry **pp;

	for (pp = &gp->tab[slot(gp, e->pack, e->off)]; *pp != e;
	    pp = &(*pp)->next)
		;
	*pp = e->next;
	lru_unlink(gp, e);
	gp->held -= e->obj->len;
	gp->nentries--;
	gitpack_obj_release(e->obj);
	free(e);
}

/* The object at (pack, off) if cached, its references untouched. */
static const struct gitpack_obj *
cache_peek(const struct gitpack *gp, size_t pack, uint64_t off)
{
	const struct entry *e = cache_find(gp, pack, off);

	return e ? e->obj : NULL;
}

/* Takes the object at (pack, off) out of the cache, if only the cache
 * holds it: the caller owns it then. */
static struct gitpack_obj *
cache_take(struct gitpack *gp, size_t pack, uint64_t off)
{
	struct entry *e = cache_find(gp, pack, off);
	struct gitpack_obj *o;

	if (e == NULL || e->obj->refs != 1)
		return NULL;
	o = e->obj;
	o->refs++;
	cache_drop(gp, e);
	return o;
}

static void
cache_grow(struct gitpack *gp)
{
	struct entry **old = gp->tab, *e, *next;
	size_t i, n = gp->nbuckets;

	gp->nbuckets = n * 2;
	gp->tab = xcalloc(gp->nbuckets, sizeof *gp->tab);
	for (i = 0; i < n; i++)
		for (e = old[i]; e; e = next) {
			size_t s = slot(gp, e->pack, e->off);

			next = e->next;
			e->next = gp->tab[s];
			gp->tab[s] = e;
		}
	free(old);
}

/* Keeps a reference to o under (pack, off) if it fits the budget. */
static void
cache_put(struct gitpack *gp, size_t pack, uint64_t off,
    struct gitpack_obj *o)
{
	struct entry *e;
	size_t s;

	/* Trees grow the budget (a walk needs neighbouring versions of the
	 * largest directory: the one compared, the one before, and an older
	 * one whose buffer the next is made in); anything else must fit
	 * what is given. */
	if (o->type == OBJ_TREE && o->len <= MAX_OBJECT / 4 &&
	    o->len * 4 > gp->budget)
		gp->budget = o->len * 4;
	if (o->len > gp->budget / 2)
		return;
	while (gp->oldest && gp->held + o->len > gp->budget)
		cache_drop(gp, gp->oldest);
	if (gp->nentries >= gp->nbuckets)
		cache_grow(gp);
	e = xcalloc(1, sizeof *e);
	e->pack = pack;
	e->off = off;
	e->obj = o;
	o->refs++;
	s = slot(gp, pack, off);
	e->next = gp->tab[s];
	gp->tab[s] = e;
	lru_push(gp, e);
	gp->held += o->len;
	gp->nentries++;
}

/* --- reading objects --- */

static int
find(const struct gitpack *gp, const unsigned char *id, size_t *pack,
    uint64_t *off)
{
	size_t i;

	for (i = 0; i < gp->npacks; i++) {
		const struct pack *pk = &gp->packs[i];
		const unsigned char *fan = pk->idx + 8;
		size_t lo = id[0] ? be32(fan + 4 * (id[0] - 1)) : 0;
		size_t hi = be32(fan + 4 * id[0]);

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			int c = memcmp(pk->ids + 20 * mid, id, 20);

			if (c == 0) {
				uint64_t o = be32(pk->off32 + 4 * mid);

				if (o & 0x80000000u) {
					o &= 0x7fffffffu;
					if (o >= pk->n64)
						return 0;
					o = be64(pk->off64 + 8 * o);
				}
				if (o < 12 || o >= pk->len - 20)
					return 0;
				*pack = i;
				*off = o;
				return 1;
			}
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return 0;
}

/* Reads the header at off into h, and the first bytes into gp->in. */
static int
read_hdr(struct gitpack *gp, size_t pack, uint64_t off, struct hdr *h,
    size_t *got)
{
	const struct pack *pk = &gp->packs[pack];
	const unsigned char *p = gp->in;
	size_t n = FIRST_READ, i = 0, shift = 4;
	unsigned c;

	if (pk->len - 20 - off < n)
		n = (size_t)(pk->len - 20 - off);
	if (n < 2 || read_all(pk->fd, gp->in, n, off) < 0)
		return -1;
	c = p[i++];
	h->type = (int)(c >> 4 & 7);
	h->size = c & 15;
	while (c & 0x80) {
		if (i >= n || shift > 56)
			return -1;
		c = p[i++];
		h->size |= (size_t)(c & 0x7f) << shift;
		shift += 7;
	}
	if (h->size > MAX_OBJECT)
		return -1;
	h->basepack = pack;
	if (h->type == OBJ_OFS_DELTA) {
		uint64_t back;

		if (i >= n)
			return -1;
		c = p[i++];
		back = c & 0x7f;
		while (c & 0x80) {
			if (i >= n || back >= (UINT64_MAX >> 8))
				return -1;
			c = p[i++];
			back = (back + 1) << 7 | (c & 0x7f);
		}
		if (back == 0 || back > off - 12)
			return -1;
		h->base = off - back;
	} else if (h->type == OBJ_REF_DELTA) {
		if (n - i < 20 || !find(gp, p + i, &h->basepack, &h->base))
			return -1;
		i += 20;
	} else if (h->type < OBJ_COMMIT || h->type > OBJ_TAG) {
		return -1;
	}
	h->data = off + i;
	*got = n - i;
	memmove(gp->in, gp->in + i, *got);
	return 0;
}

/*
 * Inflates h's stream, whose first got bytes are in gp->in, into out
 * (h->size bytes, exactly), with libdeflate: twice zlib's speed, which
 * matters on megabyte trees. It needs the whole stream, whose length the
 * pack does not say; git writes streams with zlib, whose deflateBound
 * gives it: the bound for zlib's default parameters first, then the
 * bound for any parameters.
 */
static int
inflate_into(struct gitpack *gp, size_t pack, const struct hdr *h,
    size_t got, unsigned char *out)
{
	const struct pack *pk = &gp->packs[pack];
	const size_t n = h->size;
	const size_t bound[2] = {
		n + (n >> 12) + (n >> 14) + (n >> 25) + 13,
		n + ((n + 7) >> 3) + ((n + 63) >> 6) + 11
	};
	size_t avail = (size_t)(pk->len - 20 - h->data), have = 0, last = 0;
	size_t i, need;
	const void *in;

	for (i = 0; i < 2; i++) {
		if ((need = bound[i] < avail ? bound[i] : avail) <= last)
			break;
		in = gp->in;
		if (need > got) {
			/* gp->zin holds the stream's first have bytes */
			gp->zin = xgrow(gp->zin, &gp->zcap, need, 1);
			if (have == 0) {
				memcpy(gp->zin, gp->in, got);
				have = got;
			}
			if (read_all(pk->fd, gp->zin + have, need - have,
			    h->data + have) < 0)
				return -1;
			have = need;
			in = gp->zin;
		}
		if (libdeflate_zlib_decompress_ex(gp->dec, in, need, out, n,
		    NULL, NULL) == LIBDEFLATE_SUCCESS)
			return 0;
		last = need;
	}
	return -1;
}

/*
 * A new object of len bytes. Large ones get room to grow a little: their
 * buffer may be recycled for a later version of the same directory,
 * which is usually a few entries longer.
 */
static struct gitpack_obj *
obj_new(int type, size_t len)
{
	size_t cap = len + 1 + (len > RECYCLE_MIN ? len / 16 : 0);
	/* Not calloc: clearing megabytes the caller overwrites costs. */
	struct gitpack_obj *o = xmalloc(sizeof *o + cap);

	memset(o, 0, sizeof *o);
	o->refs = 1;
	o->type = type;
	o->len = len;
	o->cap = cap;
	return o;
}

static int
varint(const unsigned char **p, const unsigned char *end, size_t *v)
{
	unsigned shift = 0;
	unsigned c;

	*v = 0;
	do {
		if (*p == end || shift > 56)
			return -1;
		c = *(*p)++;
		*v |= (size_t)(c & 0x7f) << shift;
		shift += 7;
	} while (c & 0x80);
	return 0;
}

/*
 * Applies the delta d[0, n) to base: the target, or NULL if malformed.
 * Notes in t->head the run of leading copies that keep their offset, and
 * in t->tail the run of trailing copies that keep their distance to the
 * end (run: where the current run of such copies started).
 *
 * spare (owned, or NULL) is an older version whose first keep bytes are
 * known equal to base's: its buffer is reused, and the leading copies
 * skip what it holds already. Walking the versions of a large directory,
 * each is then written only from its first change on, not whole.
 */
static struct gitpack_obj *
apply(const struct gitpack_obj *base, const unsigned char *d, size_t n,
    struct gitpack_obj *spare, size_t keep, size_t *recycled)
{
	const unsigned char *end = d + n;
	struct gitpack_obj *t;
	size_t srclen, len, at = 0, run = 0;
	int lead = 1, trail = 0;

	if (varint(&d, end, &srclen) < 0 || srclen != base->len ||
	    varint(&d, end, &len) < 0 || len > MAX_OBJECT) {
		gitpack_obj_release(spare);
		return NULL;
	}
	if (spare && spare->cap > len) {
		t = spare;
		t->type = base->type;
		t->len = len;
		t->head = t->tail = 0;
		t->delta = 0;
		(*recycled)++;
	} else {
		gitpack_obj_release(spare);
		t = obj_new(base->type, len);
		keep = 0;
	}
	while (d < end) {
		unsigned op = *d++;

		if (op & 0x80) {
			size_t off = 0, size = 0, skip = 0;
			unsigned i;
			int kept;

			for (i = 0; i < 4; i++)
				if (op & 1u << i) {
					if (d == end)
						goto bad;
					off |= (size_t)*d++ << 8 * i;
				}
			for (i = 0; i < 3; i++)
				if (op & 0x10u << i) {
					if (d == end)
						goto bad;
					size |= (size_t)*d++ << 8 * i;
				}
			if (size == 0)
				size = 0x10000;
			if (off > base->len || size > base->len - off ||
			    size > len - at)
				goto bad;
			if ((lead = lead && off == at)) {
				t->head = at + size;
				/* what the spare holds: base's bytes, here */
				if (at < keep)
					skip = keep - at < size ? keep - at : size;
			}
			memcpy(t->data + at + skip, base->data + off + skip,
			    size - skip);
			kept = base->len - off - size == len - at - size;
			if (kept && !trail)
				run = at;
			trail = kept;
			at += size;
		} else if (op) {
			if (op > (size_t)(end - d) || op > len - at)
				goto bad;
			memcpy(t->data + at, d, op);
			d += op;
			at += op;
			lead = trail = 0;
		} else {
			goto bad;	/* reserved */
		}
	}
	if (at != len)
		goto bad;
	t->tail = trail ? len - run : 0;
	return t;
bad:
	gitpack_obj_release(t);
	return NULL;
}

/*
 * A buffer for the object a delta makes from o: when o was made from r,
 * and r from an older version that only the cache still holds, that
 * version is taken out of the cache; its first *keep bytes are o's (each
 * delta kept its base's first head bytes). NULL when there is none.
 */
static struct gitpack_obj *
spare_for(struct gitpack *gp, const struct gitpack_obj *o, size_t *keep)
{
	const struct gitpack_obj *r;
	struct gitpack_obj *s;

	*keep = 0;
	if (!o->delta || o->len <= RECYCLE_MIN ||
	    (r = cache_peek(gp, o->base_pack, o->base_off)) == NULL ||
	    !r->delta || (s = cache_take(gp, r->base_pack, r->base_off)) == NULL)
		return NULL;
	*keep = o->head < r->head ? o->head : r->head;
	return s;
}

/*
 * The object at (pack, off): follows delta bases down to a cached object
 * or a whole one, then applies the deltas back up, caching each result.
 */
static struct gitpack_obj *
resolve(struct gitpack *gp, size_t pack, uint64_t off)
{
	struct { size_t pack; uint64_t off; } *chain = NULL;
	struct gitpack_obj *o, *t, *spare;
	struct hdr h;
	size_t n = 0, cap = 0, got, keep;

	while ((o = cache_get(gp, pack, off)) == NULL) {
		if (read_hdr(gp, pack, off, &h, &got) < 0)
			goto fail;
		if (h.type != OBJ_OFS_DELTA && h.type != OBJ_REF_DELTA) {
			o = obj_new(h.type, h.size);
			o->pack = pack;
			o->off = off;
			if (inflate_into(gp, pack, &h, got, o->data) < 0) {
				gitpack_obj_release(o);
				goto fail;
			}
			cache_put(gp, pack, off, o);
			break;
		}
		if (n == MAX_CHAIN)
			goto fail;
		chain = xgrow(chain, &cap, n + 1, sizeof *chain);
		chain[n].pack = pack;
		chain[n++].off = off;
		pack = h.basepack;
		off = h.base;
	}
	while (n) {
		n--;
		if (read_hdr(gp, chain[n].pack, chain[n].off, &h, &got) < 0)
			goto fail_o;
		buf_reset(&gp->delta);
		buf_grow(&gp->delta, h.size + 1);
		if (inflate_into(gp, chain[n].pack, &h, got,
		    (unsigned char *)gp->delta.p) < 0)
			goto fail_o;
		spare = spare_for(gp, o, &keep);
		t = apply(o, (const unsigned char *)gp->delta.p, h.size, spare,
		    keep, &gp->recycled);
		if (t) {
			t->pack = chain[n].pack;
			t->off = chain[n].off;
			t->delta = 1;
			t->base_pack = o->pack;
			t->base_off = o->off;
		}
		gitpack_obj_release(o);
		if ((o = t) == NULL)
			goto fail;
		cache_put(gp, chain[n].pack, chain[n].off, o);
	}
	free(chain);
	return o;
fail_o:
	gitpack_obj_release(o);
fail:
	free(chain);
	return NULL;
}

static int
made_from(const struct gitpack_obj *t, const struct gitpack_obj *base)
{
	return t->delta && t->base_pack == base->pack &&
	    t->base_off == base->off;
}

void
gitpack_same_ends(const struct gitpack_obj *a, const struct gitpack_obj *b,
    size_t *head, size_t *tail)
{
	*head = *tail = 0;
	if (a == NULL || b == NULL)
		return;
	if (made_from(b, a))
		a = b;
	else if (!made_from(a, b))
		return;
	*head = a->head;
	*tail = a->tail;
}

int
gitpack_depth(struct gitpack *gp, const unsigned char id[20])
{
	size_t pack, got;
	uint64_t off;
	struct hdr h;
	int depth;

	if (!find(gp, id, &pack, &off))
		return -1;
	for (depth = 0; depth < MAX_CHAIN; depth++) {
		if (read_hdr(gp, pack, off, &h, &got) < 0)
			return -1;
		if (h.type != OBJ_OFS_DELTA && h.type != OBJ_REF_DELTA)
			return depth;
		pack = h.basepack;
		off = h.base;
	}
	return -1;
}

/* The type of a loose object's header ("tree 1234\0"...) at p[0, n),
 * its data's size in *size and the header's length in *hl; 0 if none. */
static int
loose_header(const unsigned char *p, size_t n, size_t *size, size_t *hl)
{
	static const struct { const char *name; int type; } types[] = {
		{ "tree ", OBJ_TREE }, { "blob ", OBJ_BLOB }, { "commit ", OBJ_COMMIT },
		{ "tag ", OBJ_TAG },
	};
	size_t i, k, v = 0;

	for (i = 0; i < sizeof types / sizeof types[0]; i++) {
		k = strlen(types[i].name);
		if (n <= k || memcmp(p, types[i].name, k) != 0)
			continue;
		for (; k < n && p[k] >= '0' && p[k] <= '9' && v <= MAX_OBJECT; k++)
			v = v * 10 + (size_t)(p[k] - '0');
		if (k == strlen(types[i].name) || k == n || p[k] != '\0' || v > MAX_OBJECT)
			return 0;
		*size = v;
		*hl = k + 1;
		return types[i].type;
	}
	return 0;
}

/*
 * The loose object id, or NULL. Its file is a zlib stream of a header
 * and the data: zlib inflates the header alone, which gives the size,
 * then libdeflate the whole stream in one call (its checksum checked).
 */
static struct gitpack_obj *
read_loose(struct gitpack *gp, const unsigned char id[20])
{
	static const char hex[] = "0123456789abcdef";
	char path[PATH_MAX];
	unsigned char head[64];
	struct gitpack_obj *o = NULL;
	struct stat st;
	z_stream zs;
	size_t n, size, hl, i;
	int fd, type, zrc, got;

	n = (size_t)snprintf(path, sizeof path, "%s/xx/", gp->objdir);
	if (!gp->dec || n >= sizeof path - 2 * 20)
		return NULL;
	path[n - 3] = hex[id[0] >> 4];	/* objects/xx/: the first byte */
	path[n - 2] = hex[id[0] & 15];
	for (i = 1; i < 20; i++) {
		path[n++] = hex[id[i] >> 4];
		path[n++] = hex[id[i] & 15];
	}
	path[n] = '\0';
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 2 ||
	    (uint64_t)st.st_size > MAX_OBJECT) {
		close(fd);
		return NULL;
	}
	n = (size_t)st.st_size;
	gp->zin = xgrow(gp->zin, &gp->zcap, n, 1);
	got = read_all(fd, gp->zin, n, 0) == 0;
	close(fd);
	if (!got)
		return NULL;
	memset(&zs, 0, sizeof zs);
	if (inflateInit(&zs) != Z_OK)
		return NULL;
	zs.next_in = gp->zin;
	zs.avail_in = (uInt)(n < 256 ? n : 256);
	zs.next_out = head;
	zs.avail_out = sizeof head;
	zrc = inflate(&zs, Z_SYNC_FLUSH);
	type = (zrc == Z_OK || zrc == Z_STREAM_END) ?
	    loose_header(head, sizeof head - zs.avail_out, &size, &hl) : 0;
	inflateEnd(&zs);
	if (!type)
		return NULL;
	o = obj_new(type, hl + size);
	if (libdeflate_zlib_decompress(gp->dec, gp->zin, n, o->data, hl + size, NULL) !=
	    LIBDEFLATE_SUCCESS) {
		gitpack_obj_release(o);
		return NULL;
	}
	memmove(o->data, o->data + hl, size);
	o->data[size] = '\0';
	o->len = size;
	o->pack = SIZE_MAX;	/* in no pack: never cached, nor a delta */
	return o;
}

int
gitpack_read(struct gitpack *gp, const unsigned char id[20],
    struct gitpack_obj **out)
{
	size_t pack;
	uint64_t off;

	*out = NULL;
	if (!find(gp, id, &pack, &off))
		return (*out = read_loose(gp, id)) != NULL;
	*out = resolve(gp, pack, off);
	return *out != NULL;
}
