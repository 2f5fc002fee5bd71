#include "postcache.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bin.h"
#include "fm.h"
#include "gitsrc.h"
#include "site.h"
#include "util.h"
#include "val.h"

#define MAGIC		"ardoise-posts 2\n"
#define VAL_DEPTH	64
#define FLUSH_AT	(256 * 1024)

struct postcache_entry {
	const unsigned char *p, *end;	/* from the path to the end of the entry */
	const char *path;		/* copies, NUL-terminated, for lookup */
	const char *oid;
};

struct postcache {
	struct postcache_entry *v;
	size_t n;
	char *strings;			/* the paths and oids of v */
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

	return bin_span(r, &s, &n) ? xstrndup(s, n) : NULL;
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

		if (!bin_span(r, &s, &len)) {
			r->bad = 1;
			return NULL;
		}
		v = val_new_str(s, len);
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

	m->title = get_str(r);
	m->has_date = (int)bin_u8(r);
	get_date(r, &m->date);
	m->author = get_str(r);
	n = bin_u32(r);
	if (!r->bad && n <= (size_t)(r->end - r->p) / 4) {
		m->tags = xcalloc(n + 1, sizeof *m->tags);
		for (i = 0; i < n && !r->bad; i++) {
			m->tags[i] = get_str(r);
			m->ntags++;
			if (!m->tags[i])
				r->bad = 1;
		}
	} else {
		r->bad = 1;
	}
	m->draft = (int)bin_u8(r);
	m->summary = get_str(r);
	m->class_only = (int)bin_u8(r);
	m->cover = get_str(r);
	m->transcript = get_str(r);
	m->params = get_val(r, 0);
	if (!m->params || m->params->type != VAL_MAP)
		r->bad = 1;
	for (i = 0; i < ARRAY_LEN(m->line); i++)
		m->line[i] = get_i32(r);
	m->body_line = get_i32(r);
}

static void
get_diags(struct bin_rd *r, struct diag *d)
{
	uint32_t n = bin_u32(r), i;

	for (i = 0; i < n && !r->bad; i++) {
		unsigned level = bin_u8(r);
		char *path = get_str(r);
		int line = get_i32(r), col = get_i32(r);
		char *msg = get_str(r);

		if (!r->bad && msg && level <= DIAG_WARNING)
			diag_add(d, (enum diag_level)level, path, line, col, "%s", msg);
		else
			r->bad = 1;
		free(path);
		free(msg);
	}
}

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct postcache_entry *)a)->path,
	    ((const struct postcache_entry *)b)->path);
}

struct postcache *
postcache_parse(const char *data, size_t len, const char *context, const char **why)
{
	const unsigned char *u = (const unsigned char *)data;
	struct postcache *pc;
	struct bin_rd r;
	struct buf strings = BUF_INIT;
	const char *s;
	size_t n, i, ml = strlen(MAGIC);
	uint32_t count;
	uint64_t sum;

	*why = N_("damaged");
	if (len < ml || memcmp(data, MAGIC, ml) != 0) {
		*why = N_("written by another version of ardoise");
		return NULL;
	}
	if (len < ml + 12)
		return NULL;
	bin_rd_init(&r, u + len - 12, 12);
	count = bin_u32(&r);
	sum = bin_u64(&r);
	if (XXH3_64bits(data, len - 8) != sum)
		return NULL;
	bin_rd_init(&r, u + ml, len - 12 - ml);
	if (!bin_span(&r, &s, &n) || n != strlen(context) || memcmp(s, context, n) != 0) {
		*why = N_("made for another program, theme, configuration or language");
		return NULL;
	}
	if (count > (size_t)(r.end - r.p) / 8)
		return NULL;
	pc = xcalloc(1, sizeof *pc);
	pc->v = xcalloc(count + 1, sizeof *pc->v);
	/* paths and oids copied once into one block: offsets first, then pointers */
	for (i = 0; i < count && !r.bad; i++) {
		struct postcache_entry *e = &pc->v[i];
		const char *path, *oid;
		size_t pl, ol;

		uint32_t body;

		if (!bin_span(&r, &path, &pl) || !bin_span(&r, &oid, &ol) ||
		    memchr(path, '\0', pl) || memchr(oid, '\0', ol)) {
			r.bad = 1;
			break;
		}
		body = bin_u32(&r);
		if (r.bad || (size_t)(r.end - r.p) < body) {
			r.bad = 1;
			break;
		}
		e->p = r.p;
		r.p += body;
		e->path = (const char *)(uintptr_t)strings.len;
		buf_add(&strings, path, pl);
		buf_putc(&strings, '\0');
		e->oid = (const char *)(uintptr_t)strings.len;
		buf_add(&strings, oid, ol);
		buf_putc(&strings, '\0');
		e->end = r.p;
		pc->n++;
	}
	if (r.bad || r.p != r.end) {
		buf_release(&strings);
		postcache_free(pc);
		return NULL;
	}
	pc->strings = buf_detach(&strings, NULL);
	for (i = 0; i < pc->n; i++) {
		pc->v[i].path = pc->strings + (uintptr_t)pc->v[i].path;
		pc->v[i].oid = pc->strings + (uintptr_t)pc->v[i].oid;
		if (i && strcmp(pc->v[i - 1].path, pc->v[i].path) >= 0) {
			postcache_free(pc);
			return NULL;	/* not sorted: not ours */
		}
	}
	return pc;
}

void
postcache_free(struct postcache *pc)
{
	if (!pc)
		return;
	free(pc->v);
	free(pc->strings);
	free(pc);
}

const struct postcache_entry *
postcache_find(const struct postcache *pc, const char *path, const char *oid)
{
	struct postcache_entry key, *e;

	if (!pc || !pc->n)
		return NULL;
	key.path = path;
	e = bsearch(&key, pc->v, pc->n, sizeof *pc->v, cmp_entry);
	return e && strcmp(e->oid, oid) == 0 ? e : NULL;
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

int
postcache_render(const struct postcache_entry *e, struct postcache_render *r)
{
	struct bin_rd rd;
	uint32_t n, i;

	memset(r, 0, sizeof *r);
	buf_init(&r->deps);
	diag_init(&r->diags);
	open_entry(e, &rd, 1);
	if (!bin_u8(&rd))
		return rd.bad ? -1 : 0;
	r->url = get_str(&rd);
	r->html = get_str(&rd);
	r->summary = get_str(&rd);
	n = bin_u32(&rd);
	for (i = 0; i < n && !rd.bad; i++) {
		const char *s, *t;
		size_t sl, tl;

		buf_putc(&r->deps, (char)bin_u8(&rd));
		if (!bin_span(&rd, &s, &sl) || !bin_span(&rd, &t, &tl))
			break;
		buf_add(&r->deps, s, sl);
		buf_putc(&r->deps, '\0');
		buf_add(&r->deps, t, tl);
		buf_putc(&r->deps, '\0');
	}
	get_diags(&rd, &r->diags);
	if (rd.bad || !r->url || !r->html || !r->summary) {
		postcache_render_release(r);
		return -1;
	}
	return 1;
}

void
postcache_render_release(struct postcache_render *r)
{
	free(r->url);
	free(r->html);
	free(r->summary);
	buf_release(&r->deps);
	diag_release(&r->diags);
	memset(r, 0, sizeof *r);
}

/* ---- writing --------------------------------------------------------------------------- */

static void
flush(struct postcache_writer *w, int all)
{
	if (w->b.len < FLUSH_AT && !all)
		return;
	XXH3_64bits_update(w->hash, w->b.p, w->b.len);
	if (w->b.len && fwrite(w->b.p, 1, w->b.len, w->f) != w->b.len)
		w->failed = 1;
	buf_reset(&w->b);
}

static void
put_i32(struct buf *b, int v)
{
	bin_put_u32(b, (uint32_t)(int32_t)v);
}

static void
put_str(struct buf *b, const char *s)
{
	bin_put_span(b, s, s ? strlen(s) : 0);
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
postcache_write_begin(struct postcache_writer *w, const char *path, const char *context)
{
	memset(w, 0, sizeof *w);
	buf_init(&w->b);
	buf_init(&w->e);
	if (!(w->hash = XXH3_createState()))
		die_oom();
	XXH3_64bits_reset(w->hash);
	if (!(w->f = fopen(path, "wbx"))) {
		XXH3_freeState(w->hash);
		w->hash = NULL;
		return -1;
	}
	buf_puts(&w->b, MAGIC);
	put_str(&w->b, context);
	return 0;
}

int
postcache_dep_next(const struct buf *deps, size_t *at, int *kind, const char **path,
    const char **token)
{
	if (*at >= deps->len)
		return 0;
	*kind = (unsigned char)deps->p[*at];
	*path = deps->p + *at + 1;
	*token = *path + strlen(*path) + 1;
	*at = (size_t)(*token + strlen(*token) + 1 - deps->p);
	return 1;
}

static void
put_entry(struct buf *b, const struct post *p)
{
	const struct fm_meta *m = &p->meta;
	const char *path, *token;
	size_t i, n, at, start = b->len;
	int kind;

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
		put_str(b, p->summary);
		for (n = 0, at = 0; postcache_dep_next(&p->deps, &at, &kind, &path, &token); n++)
			;
		bin_put_u32(b, (uint32_t)n);
		for (at = 0; postcache_dep_next(&p->deps, &at, &kind, &path, &token); ) {
			bin_put_u8(b, (unsigned)kind);
			put_str(b, path);
			put_str(b, token);
		}
		put_diags(b, &p->render_diags);
	}
}

void
postcache_write_post(struct postcache_writer *w, const struct post *p)
{
	buf_reset(&w->e);
	put_entry(&w->e, p);
	put_str(&w->b, p->src->path);
	put_str(&w->b, p->src->oid);
	bin_put_u32(&w->b, (uint32_t)w->e.len);
	buf_add(&w->b, w->e.p, w->e.len);
	w->n++;
	flush(w, 0);
}

int
postcache_write_end(struct postcache_writer *w)
{
	int rc = 0, err = 0;

	bin_put_u32(&w->b, (uint32_t)w->n);
	flush(w, 1);
	/* the checksum, past what it covers */
	bin_put_u64(&w->b, XXH3_64bits_digest(w->hash));
	if (fwrite(w->b.p, 1, w->b.len, w->f) != w->b.len)
		w->failed = 1;
	if (w->failed)
		err = errno ? errno : EIO;
	if (fclose(w->f) != 0 && !err)
		err = errno;
	if (w->failed || err) {
		errno = err ? err : EIO;
		rc = -1;
	}
	XXH3_freeState(w->hash);
	buf_release(&w->b);
	buf_release(&w->e);
	return rc;
}
