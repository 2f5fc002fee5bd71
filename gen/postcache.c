#include "postcache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xxh.h"

#include "bin.h"
#include "fm.h"
#include "gitsrc.h"
#include "hashfeed.h"
#include "manifest.h"
#include "out.h"
#include "site.h"
#include "util.h"
#include "val.h"

#define MAGIC		"ardoise-posts 4\n"
#define SHARD_MAGIC	"ardoise-shard 4\n"
#define SHARDS_DIR	".ardoise/posts.d"
#define VAL_DEPTH	64
#define CUT_MASK	127		/* a shard ends after a path hashing to 0 modulo 128 */
#define SHARD_MAX	(4u << 20)	/* or once it holds 4 MiB */
#define NAME_LEN	32		/* hexadecimal XXH3-128 */

struct postcache_entry {
	const unsigned char *p, *end;	/* the body: from its meta length to its end */
	const unsigned char *raw;	/* the whole entry, from its path */
	const char *path, *oid;		/* in place */
	uint32_t shard;			/* index in postcache.shards */
};

struct shard {
	const void *map;
	size_t len;
	char name[NAME_LEN + 1];
	size_t first, n;		/* its entries in postcache.v */
};

struct postcache {
	char *context;			/* the one it was made for */
	struct postcache_entry *v;
	size_t n, cap;
	struct shard *shards;
	size_t nshards;
};

/* ---- reading --------------------------------------------------------------------------- */

static int
get_i32(struct bin_rd *r)
{
	return (int)(int32_t)bin_u32(r);
}

/* A string, copied (NULL when none). */
static char *
get_str(struct bin_rd *r)
{
	const char *s;
	size_t n;

	return bin_cstr(r, &s, &n) ? xstrndup(s, n) : NULL;
}

/* A string, borrowed (NULL when none). */
static const char *
get_cstr(struct bin_rd *r)
{
	const char *s;
	size_t n;

	return bin_cstr(r, &s, &n) ? s : NULL;
}

static struct val *
get_val(struct bin_rd *r, int depth)
{
	struct val *v = NULL;
	unsigned type = bin_u8(r);
	int line = get_i32(r), col = get_i32(r);
	uint32_t n, i;

	if (r->bad || depth > VAL_DEPTH) {
		r->bad = 1;
		return NULL;
	}
	switch (type) {
	case VAL_NULL:
		v = val_new_null();
		break;
	case VAL_BOOL:
		v = val_new_bool((int)bin_u8(r));
		break;
	case VAL_STR: {
		int plain = (int)bin_u8(r);
		const char *s;
		size_t len;

		if (!bin_cstr(r, &s, &len)) {
			r->bad = 1;
			return NULL;
		}
		v = val_new_str_borrowed(s, len);
		v->u.s.plain = plain;
		break;
	}
	case VAL_LIST:
		v = val_new_list();
		n = bin_u32(r);
		for (i = 0; i < n && !r->bad; i++) {
			struct val *item = get_val(r, depth + 1);

			if (item)
				val_list_push(v, item);
		}
		break;
	case VAL_MAP:
		v = val_new_map();
		n = bin_u32(r);
		for (i = 0; i < n && !r->bad; i++) {
			char *key = get_str(r);
			struct val *item = key ? get_val(r, depth + 1) : NULL;

			if (!key || !item) {
				r->bad = 1;
				free(key);
				val_free(item);
				break;
			}
			val_map_set(v, key, item);
			free(key);
		}
		break;
	default:
		r->bad = 1;
		return NULL;
	}
	v->line = line;
	v->col = col;
	if (r->bad) {
		val_free(v);
		return NULL;
	}
	return v;
}

static void
get_date(struct bin_rd *r, struct date *d)
{
	d->year = get_i32(r);
	d->mon = get_i32(r);
	d->day = get_i32(r);
	d->hour = get_i32(r);
	d->min = get_i32(r);
	d->sec = get_i32(r);
	d->has_time = get_i32(r);
	d->has_offset = get_i32(r);
	d->offset = get_i32(r);
}

static void
get_meta(struct bin_rd *r, struct fm_meta *m)
{
	uint32_t n, i;

	/* the strings are the mapping's (see fm_meta.borrowed) */
	m->borrowed = 1;
	m->title = (char *)get_cstr(r);
	m->has_date = (int)bin_u8(r);
	get_date(r, &m->date);
	m->author = (char *)get_cstr(r);
	n = bin_u32(r);
	if (!r->bad && n <= (size_t)(r->end - r->p) / 4) {
		m->tags = xcalloc(n + 1, sizeof *m->tags);
		for (i = 0; i < n && !r->bad; i++) {
			m->tags[i] = (char *)get_cstr(r);
			m->ntags++;
			if (!m->tags[i])
				r->bad = 1;
		}
	} else {
		r->bad = 1;
	}
	m->draft = (int)bin_u8(r);
	m->summary = (char *)get_cstr(r);
	m->class_only = (int)bin_u8(r);
	m->cover = (char *)get_cstr(r);
	m->transcript = (char *)get_cstr(r);
	m->params = get_val(r, 0);
	if (!m->params || m->params->type != VAL_MAP)
		r->bad = 1;
	for (i = 0; i < ARRAY_LEN(m->line); i++)
		m->line[i] = get_i32(r);
	m->body_line = get_i32(r);
}

/* The warnings at r into d; d NULL: only checked. */
static void
get_diags(struct bin_rd *r, struct diag *d)
{
	uint32_t n = bin_u32(r), i;

	for (i = 0; i < n && !r->bad; i++) {
		unsigned level = bin_u8(r);
		const char *path = get_cstr(r);
		int line = get_i32(r), col = get_i32(r);
		const char *msg = get_cstr(r);

		if (r->bad || !msg || level > DIAG_WARNING)
			r->bad = 1;
		else if (d)
			diag_add_text(d, (enum diag_level)level, path, line, col, msg);
	}
}

/* Checks shard k (mapped) against its name and lists its entries. */
static int
add_shard(struct postcache *pc, size_t k)
{
	struct shard *sh = &pc->shards[k];
	size_t ml = strlen(SHARD_MAGIC);
	XXH128_hash_t h = XXH3_128bits(sh->map, sh->len);
	char sum[NAME_LEN + 1];
	struct bin_rd r;

	hashfeed_hex(h, sum);
	if (strcmp(sum, sh->name) != 0 || sh->len < ml || memcmp(sh->map, SHARD_MAGIC, ml) != 0)
		return -1;
	sh->first = pc->n;
	bin_rd_init(&r, (const unsigned char *)sh->map + ml, sh->len - ml);
	while (r.p < r.end && !r.bad) {
		struct postcache_entry e;
		size_t pl, ol;
		uint32_t body;

		e.raw = r.p;
		if (!bin_cstr(&r, &e.path, &pl) || !bin_cstr(&r, &e.oid, &ol))
			return -1;
		body = bin_u32(&r);
		if (r.bad || (size_t)(r.end - r.p) < body)
			return -1;
		e.p = r.p;
		r.p += body;
		e.end = r.p;
		e.shard = (uint32_t)k;
		pc->v = xgrow(pc->v, &pc->cap, pc->n + 1, sizeof *pc->v);
		pc->v[pc->n++] = e;
	}
	sh->n = pc->n - sh->first;
	return r.bad || sh->n == 0 ? -1 : 0;
}

struct postcache *
postcache_open(const char *dir, const char **why)
{
	struct postcache *pc;
	struct buf path = BUF_INIT, list = BUF_INIT;
	struct bin_rd r;
	const char *s;
	size_t n, i, ml = strlen(MAGIC);
	uint32_t count;

	*why = NULL;
	buf_printf(&path, "%s/.ardoise/posts", dir);
	if (file_read(path.p, &list) < 0) {
		buf_release(&path);
		return NULL;
	}
	pc = xcalloc(1, sizeof *pc);
	*why = N_("damaged");
	if (list.len < ml || memcmp(list.p, MAGIC, ml) != 0) {
		*why = N_("written by another version of ardoise");
		goto bad;
	}
	if (list.len < ml + 8 ||
	    XXH3_64bits(list.p, list.len - 8) != (bin_rd_init(&r, list.p + list.len - 8, 8), bin_u64(&r)))
		goto bad;
	bin_rd_init(&r, list.p + ml, list.len - 8 - ml);
	if (!bin_cstr(&r, &s, &n))
		goto bad;
	pc->context = xstrndup(s, n);
	count = bin_u32(&r);
	if (r.bad || count > (size_t)(r.end - r.p) / (NAME_LEN + 5))
		goto bad;
	pc->shards = xcalloc(count + 1, sizeof *pc->shards);
	for (i = 0; i < count; i++) {
		struct shard *sh = &pc->shards[i];

		if (!bin_cstr(&r, &s, &n) || n != NAME_LEN || strspn(s, "0123456789abcdef") != NAME_LEN)
			goto bad;
		memcpy(sh->name, s, NAME_LEN + 1);
		buf_reset(&path);
		buf_printf(&path, "%s/%s/%s", dir, SHARDS_DIR, sh->name);
		if (file_map(path.p, &sh->map, &sh->len) < 0)
			goto bad;
		pc->nshards++;
		if (add_shard(pc, i) < 0)
			goto bad;
	}
	if (r.p != r.end)
		goto bad;
	for (i = 1; i < pc->n; i++)
		if (strcmp(pc->v[i - 1].path, pc->v[i].path) >= 0)
			goto bad;	/* not sorted: not ours */
	*why = NULL;
	buf_release(&path);
	buf_release(&list);
	return pc;
bad:
	buf_release(&path);
	buf_release(&list);
	postcache_free(pc);
	return NULL;
}

void
postcache_free(struct postcache *pc)
{
	size_t i;

	if (!pc)
		return;
	for (i = 0; i < pc->nshards; i++)
		file_unmap(pc->shards[i].map, pc->shards[i].len);
	free(pc->context);
	free(pc->shards);
	free(pc->v);
	free(pc);
}

int
postcache_made_for(const struct postcache *pc, const char *context)
{
	return strcmp(pc->context, context) == 0;
}

static int
cmp_path_entry(const void *path, const void *e)
{
	return strcmp(path, ((const struct postcache_entry *)e)->path);
}

/* The index of path's entry, or SIZE_MAX: the entries are sorted by path
 * (postcache_open checks it), and this is seldom asked (postcache_find
 * tries the next entry first), so a binary search rather than an index
 * to build each time the cache is opened. */
static size_t
entry_of(const struct postcache *pc, const char *path)
{
	const struct postcache_entry *e = pc->n ? bsearch(path, pc->v, pc->n, sizeof *pc->v,
	    cmp_path_entry) : NULL;

	return e ? (size_t)(e - pc->v) : SIZE_MAX;
}

const struct postcache_entry *
postcache_find(const struct postcache *pc, const char *path, const char *oid, size_t *next)
{
	size_t i;

	if (!pc)
		return NULL;
	if (*next < pc->n && strcmp(pc->v[*next].path, path) == 0)
		i = *next;
	else if ((i = entry_of(pc, path)) == SIZE_MAX)
		return NULL;
	*next = i + 1;
	return strcmp(pc->v[i].oid, oid) == 0 ? &pc->v[i] : NULL;
}

/*
 * A reader over the body of e: its front matter part, or (render set)
 * its rendering part. The body starts with the length of the first, so
 * that a restored rendering does not parse the front matter again.
 */
static void
open_entry(const struct postcache_entry *e, struct bin_rd *r, int render)
{
	uint32_t meta;

	bin_rd_init(r, e->p, (size_t)(e->end - e->p));
	meta = bin_u32(r);
	if (r->bad || (size_t)(r->end - r->p) < meta) {
		r->bad = 1;
		return;
	}
	if (render)
		r->p += meta;
	else
		r->end = r->p + meta;
}

int
postcache_meta(const struct postcache_entry *e, struct fm_meta *m, struct diag *d)
{
	struct bin_rd r;

	fm_meta_release(m);
	open_entry(e, &r, 0);
	get_meta(&r, m);
	get_diags(&r, d);
	if (r.bad) {
		fm_meta_release(m);
		return -1;
	}
	return 0;
}

/* deps[0..n) is a sequence of (kind, path, NUL, token, NUL). */
static int
deps_sound(const char *deps, size_t n)
{
	const char *p = deps, *end = deps + n, *z;
	int part;

	while (p < end) {
		if (*p != POSTCACHE_DEP_POST && *p != POSTCACHE_DEP_MEDIA && *p != POSTCACHE_DEP_FILE)
			return 0;
		p++;
		for (part = 0; part < 2; part++) {
			if (!(z = memchr(p, '\0', (size_t)(end - p))))
				return 0;
			p = z + 1;
		}
	}
	return 1;
}

int
postcache_render(const struct postcache_entry *e, struct postcache_render *r)
{
	struct bin_rd rd;

	memset(r, 0, sizeof *r);
	open_entry(e, &rd, 1);
	if (!bin_u8(&rd))
		return rd.bad ? -1 : 0;
	r->url = get_cstr(&rd);
	if (!bin_cstr(&rd, &r->html, &r->html_len))
		r->html = NULL;
	r->html_hash[0] = bin_u64(&rd);
	r->html_hash[1] = bin_u64(&rd);
	r->summary = get_cstr(&rd);
	if (!bin_span(&rd, &r->deps, &r->deps_len) || !deps_sound(r->deps, r->deps_len))
		rd.bad = 1;
	r->diags = (const char *)rd.p;
	get_diags(&rd, NULL);
	r->diags_len = (size_t)((const char *)rd.p - r->diags);
	if (rd.bad || rd.p != rd.end || !r->url || !r->html || !r->summary) {
		memset(r, 0, sizeof *r);
		return -1;
	}
	return 1;
}

void
postcache_render_diags(const struct postcache_render *r, struct diag *d)
{
	struct bin_rd rd;

	if (r->diags_len <= 4)
		return;	/* a count of none (checked): its bytes not read again */
	bin_rd_init(&rd, r->diags, r->diags_len);
	get_diags(&rd, d);
}

/* ---- writing --------------------------------------------------------------------------- */

static void
put_i32(struct buf *b, int v)
{
	bin_put_u32(b, (uint32_t)(int32_t)v);
}

static void
put_str(struct buf *b, const char *s)
{
	bin_put_cstr(b, s);
}

static void
put_val(struct buf *b, const struct val *v)
{
	size_t i;

	v = val_deref(v);
	bin_put_u8(b, v ? (int)v->type : VAL_NULL);
	put_i32(b, v ? v->line : 0);
	put_i32(b, v ? v->col : 0);
	if (!v)
		return;
	switch (v->type) {
	case VAL_BOOL:
		bin_put_u8(b, v->u.b);
		break;
	case VAL_STR:
		bin_put_u8(b, v->u.s.plain);
		bin_put_span(b, v->u.s.p, v->u.s.len);
		buf_putc(b, '\0');
		break;
	case VAL_LIST:
		bin_put_u32(b, (uint32_t)v->u.list.len);
		for (i = 0; i < v->u.list.len; i++)
			put_val(b, v->u.list.items[i]);
		break;
	case VAL_MAP:
		bin_put_u32(b, (uint32_t)v->u.map.len);
		for (i = 0; i < v->u.map.len; i++) {
			put_str(b, v->u.map.items[i].key);
			put_val(b, v->u.map.items[i].v);
		}
		break;
	default:
		break;
	}
}

static void
put_date(struct buf *b, const struct date *d)
{
	put_i32(b, d->year);
	put_i32(b, d->mon);
	put_i32(b, d->day);
	put_i32(b, d->hour);
	put_i32(b, d->min);
	put_i32(b, d->sec);
	put_i32(b, d->has_time);
	put_i32(b, d->has_offset);
	put_i32(b, d->offset);
}

static void
put_diags(struct buf *b, const struct diag *d)
{
	size_t i;

	bin_put_u32(b, (uint32_t)d->len);
	for (i = 0; i < d->len; i++) {
		bin_put_u8(b, d->items[i].level);
		put_str(b, d->items[i].path);
		put_i32(b, d->items[i].line);
		put_i32(b, d->items[i].col);
		put_str(b, d->items[i].msg);
	}
}

int
postcache_dep_next(const char *deps, size_t len, size_t *at, int *kind, const char **path,
    const char **token)
{
	if (*at >= len)
		return 0;
	*kind = (unsigned char)deps[*at];
	*path = deps + *at + 1;
	*token = *path + strlen(*path) + 1;
	*at = (size_t)(*token + strlen(*token) + 1 - deps);
	return 1;
}

/* p's entry body (from the meta length on). */
static void
put_body(struct buf *b, const struct post *p)
{
	const struct fm_meta *m = &p->meta;
	size_t i, start = b->len;

	bin_put_u32(b, 0);	/* the front matter part's length, below */
	put_str(b, m->title);
	bin_put_u8(b, m->has_date);
	put_date(b, &m->date);
	put_str(b, m->author);
	bin_put_u32(b, (uint32_t)m->ntags);
	for (i = 0; i < m->ntags; i++)
		put_str(b, m->tags[i]);
	bin_put_u8(b, m->draft);
	put_str(b, m->summary);
	bin_put_u8(b, m->class_only);
	put_str(b, m->cover);
	put_str(b, m->transcript);
	put_val(b, m->params);
	for (i = 0; i < ARRAY_LEN(m->line); i++)
		put_i32(b, m->line[i]);
	put_i32(b, m->body_line);
	put_diags(b, &p->read_diags);
	bin_set_u32(b, start, (uint32_t)(b->len - start - 4));
	bin_put_u8(b, p->rendered);
	if (p->rendered) {
		put_str(b, p->url);
		put_str(b, p->html);
		bin_put_u64(b, p->html_hash[0]);
		bin_put_u64(b, p->html_hash[1]);
		put_str(b, p->summary);
		bin_put_span(b, p->deps.p ? p->deps.p : "", p->deps.len);
		put_diags(b, &p->render_diags);
	}
}

void
postcache_write_begin(struct postcache_writer *w, struct out *o,
    const struct postcache *prev, const char *context, struct diag *d)
{
	memset(w, 0, sizeof *w);
	w->o = o;
	w->prev = prev;
	w->d = d;
	buf_init(&w->index);
	buf_init(&w->shard);
	buf_puts(&w->index, MAGIC);
	put_str(&w->index, context);
	w->count_at = w->index.len;
	bin_put_u32(&w->index, 0);	/* the number of shards, at the end */
	buf_puts(&w->shard, SHARD_MAGIC);
}

/* The shard being made is no longer one of prev's: its entries so far
 * are copied. */
static void
leave_same(struct postcache_writer *w)
{
	const struct shard *sh;
	const struct postcache_entry *first;

	if (!w->same)
		return;
	sh = &w->prev->shards[w->same - 1];
	first = &w->prev->v[sh->first];
	buf_add(&w->shard, first->raw, (size_t)(first[w->nentries - 1].end - first->raw));
	w->same = 0;
}

/* Ends the shard being made: one of prev's whole is linked
 * (out_link_own), else it is written under the hash of its bytes. */
static void
cut(struct postcache_writer *w)
{
	struct buf rel = BUF_INIT;
	const struct shard *sh = w->same ? &w->prev->shards[w->same - 1] : NULL;
	const void *bytes;
	size_t len;
	char key[36];

	if (!w->nentries)
		return;
	if (sh && sh->n != w->nentries) {
		leave_same(w);
		sh = NULL;
	}
	bytes = w->shard.p;
	len = w->shard.len;
	if (sh) {
		/* prev's shard as it was: its name is its hash */
		memcpy(key, "x:", 2);
		memcpy(key + 2, sh->name, NAME_LEN + 1);
		bytes = sh->map;
		len = sh->len;
	} else {
		manifest_content_key(w->shard.p, w->shard.len, key);
	}
	buf_printf(&rel, "%s/%s", SHARDS_DIR, key + 2);
	/* prev's shards were checked when read; a file of that name the
	 * spare holds may not be sound: replaced */
	if (!sh || !out_link_own(w->o, rel.p)) {
		struct buf path = BUF_INIT;

		buf_printf(&path, "%s/%s", out_staging(w->o), rel.p);
		unlink(path.p);
		buf_release(&path);
		if (out_write_key(w->o, rel.p, key, bytes, len, w->d) < 0)
			w->failed = 1;
	}
	put_str(&w->index, key + 2);
	w->names = xgrow(w->names, &w->names_cap, w->nshards + 1, sizeof *w->names);
	memcpy(w->names[w->nshards], key + 2, NAME_LEN + 1);
	w->nshards++;
	buf_reset(&w->shard);
	buf_puts(&w->shard, SHARD_MAGIC);
	w->nentries = 0;
	w->same = 0;
	buf_release(&rel);
}

void
postcache_write_post(struct postcache_writer *w, const struct post *p)
{
	const char *path = p->src->path;
	const struct postcache_entry *e = p->cached;
	size_t size;

	if (e && w->prev && w->nentries == 0 && e == &w->prev->v[w->prev->shards[e->shard].first]) {
		w->same = (size_t)e->shard + 1;	/* the first entry of a shard */
	} else if (e && w->same && e->shard == w->same - 1 &&
	    e == &w->prev->v[w->prev->shards[e->shard].first + w->nentries]) {
		;	/* the next entry of that shard */
	} else {
		leave_same(w);
		if (e) {
			buf_add(&w->shard, e->raw, (size_t)(e->end - e->raw));
		} else {
			size_t at;

			put_str(&w->shard, path);
			put_str(&w->shard, p->src->oid);
			at = w->shard.len;
			bin_put_u32(&w->shard, 0);
			put_body(&w->shard, p);
			bin_set_u32(&w->shard, at, (uint32_t)(w->shard.len - at - 4));
		}
	}
	w->nentries++;
	/* the shard's size as written, copied or not */
	size = w->same ? strlen(SHARD_MAGIC) + (size_t)(e->end -
	    w->prev->v[w->prev->shards[w->same - 1].first].raw) : w->shard.len;
	if ((XXH3_64bits(path, strlen(path)) & CUT_MASK) == 0 || size >= SHARD_MAX)
		cut(w);
}

static int
cmp_name(const void *a, const void *b)
{
	return memcmp(a, b, NAME_LEN);
}

/* Removes the shards the spare left that this cache does not name. */
static void
prune(struct postcache_writer *w)
{
	struct buf path = BUF_INIT;
	struct dirent *de;
	DIR *dp;
	size_t base;

	sort_array(w->names, w->nshards, sizeof *w->names, cmp_name);
	buf_printf(&path, "%s/%s/", out_staging(w->o), SHARDS_DIR);
	base = path.len;
	if (!(dp = opendir(path.p))) {
		buf_release(&path);
		return;
	}
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.' || (strlen(de->d_name) == NAME_LEN &&
		    bsearch(de->d_name, w->names, w->nshards, sizeof *w->names, cmp_name)))
			continue;
		path.len = base;
		buf_puts(&path, de->d_name);
		unlink(path.p);
	}
	closedir(dp);
	buf_release(&path);
}

int
postcache_write_end(struct postcache_writer *w)
{
	int rc = 0;

	cut(w);
	prune(w);
	free(w->names);
	bin_set_u32(&w->index, w->count_at, w->nshards);
	bin_put_u64(&w->index, XXH3_64bits(w->index.p, w->index.len));
	if (w->failed || out_write(w->o, ".ardoise/posts", w->index.p, w->index.len, w->d) < 0)
		rc = -1;
	buf_release(&w->index);
	buf_release(&w->shard);
	return rc;
}
