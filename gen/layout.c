#include "layout.h"
#include "layout_int.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xxh.h"

#include "buf.h"
#include "date.h"
#include "diag.h"
#include "gitsrc.h"
#include "out.h"
#include "progress.h"
#include "search.h"
#include "site.h"
#include "theme.h"
#include "tpl.h"
#include "util.h"
#include "val.h"

#define MAX_JOBS 64

/* Sets key only when s is not empty: Mustache tests presence, so an empty
 * string left in the data would render as an empty heading or label. */
void
layout_put(struct val *map, const char *key, const char *s)
{
	if (s && *s)
		val_map_str(map, key, s);
}

const char *
layout_tstr(const struct ctx *c, const char *key)
{
	const char *s = val_str(val_get(c->theme->strings, key));

	return s ? s : key;
}

static void
add_root(struct buf *b, const char *url)
{
	for (; *url; url++)
		if (*url == '/')
			buf_puts(b, "../");
}

static char *
fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

static char *
fmt(const char *f, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, f);
	buf_vprintf(&b, f, ap);
	va_end(ap);
	return buf_detach(&b, NULL);
}

struct val *
layout_new_page_root(const struct ctx *c, const char *kind, const char *url, const char *title)
{
	const struct site *s = c->site;
	struct val *root = val_new_map(), *page, *nav, *item;
	struct buf b = BUF_INIT;
	size_t i;

	add_root(&b, url);
	val_map_str(root, "root", b.p);
	val_map_str(root, "lang", s->cfg.language);
	val_map_ref(root, "site", c->sitev);
	val_map_ref(root, "t", c->theme->strings);
	val_map_str(root, "generator", "ardoise " ARDOISE_VERSION);
	val_map_bool(root, "has_feed", 1);
	page = val_map_set(root, "page", val_new_map());
	layout_put(page, "title", title);
	val_map_str(page, "kind", kind);
	val_map_str(page, "url", url);
	buf_reset(&b);
	if (*s->cfg.base_url)
		buf_printf(&b, "%s%s", s->cfg.base_url, url);
	layout_put(page, "canonical", b.p);
	nav = val_map_set(root, "nav", val_new_list());
#define NAV(t_, u_, cur_) do { item = val_new_map(); val_map_str(item, "title", (t_)); \
	val_map_str(item, "url", (u_)); val_map_bool(item, "current", (cur_)); val_list_push(nav, item); } while (0)
	NAV(layout_tstr(c, "home"), "index.html", strcmp(kind, "home") == 0);
	for (i = 0; i < s->npages; i++)
		NAV(s->pages[i]->meta.title, s->pages[i]->url, strcmp(url, s->pages[i]->url) == 0);
	if (s->nshown)
		NAV(layout_tstr(c, "cahiers"), "cahiers/index.html", strncmp(kind, "cahier", 6) == 0);
	NAV(layout_tstr(c, "tags"), "tags/index.html", strcmp(kind, "tags") == 0);
	NAV(layout_tstr(c, "archives"), "archives/index.html", strcmp(kind, "archives") == 0);
#undef NAV
	buf_release(&b);
	return root;
}

static int
cmp_digest(const void *a, const void *b)
{
	const struct val *x = ((const struct val_digest *)a)->v;
	const struct val *y = ((const struct val_digest *)b)->v;

	return x < y ? -1 : x > y;
}

/*
 * Feeds v, references followed, into st: type, lengths and bytes, so
 * that two different trees never feed the same sequence. A reference to
 * a shared tree whose digest c knows feeds that digest (a post's data is
 * on a dozen pages; hashed once).
 */
static void
hash_val(const struct ctx *c, struct hashfeed *st, const struct val *v)
{
	unsigned char type;
	size_t i, n;

	if (v && v->type == VAL_REF && c && c->ndigests) {
		struct val_digest key = { val_deref(v), { 0, 0 } }, *d;

		d = bsearch(&key, c->digests, c->ndigests, sizeof *d, cmp_digest);
		if (d) {
			hashfeed_add(st, "R", 1);
			hashfeed_add(st, &d->h, sizeof d->h);
			return;
		}
	}
	v = val_deref(v);
	type = v ? (unsigned char)v->type : 0xff;
	hashfeed_add(st, &type, 1);
	if (!v)
		return;
	switch (v->type) {
	case VAL_BOOL:
		hashfeed_add(st, &v->u.b, sizeof v->u.b);
		break;
	case VAL_STR:
		hashfeed_add(st, &v->u.s.len, sizeof v->u.s.len);
		hashfeed_add(st, v->u.s.p, v->u.s.len);
		break;
	case VAL_LIST:
		hashfeed_add(st, &v->u.list.len, sizeof v->u.list.len);
		for (i = 0; i < v->u.list.len; i++)
			hash_val(c, st, v->u.list.items[i]);
		break;
	case VAL_MAP:
		hashfeed_add(st, &v->u.map.len, sizeof v->u.map.len);
		for (i = 0; i < v->u.map.len; i++) {
			n = strlen(v->u.map.items[i].key);
			hashfeed_add(st, v->u.map.items[i].key, n + 1);
			hash_val(c, st, v->u.map.items[i].v);
		}
		break;
	default:
		break;
	}
}

/* Hashes the trees many pages share, once: the site, the UI strings and
 * every notebook's data (posts have their own digests: c->postd). */
static void
digest_shared(struct ctx *c)
{
	struct hashfeed st;
	size_t n = 2 + c->site->nshown, i, j, k = 0;

	hashfeed_init(&st);
	for (i = 0; i < c->site->nshown; i++)
		n += c->site->shown[i]->npages;
	c->digests = xcalloc(n, sizeof *c->digests);
	c->digests[k++].v = c->sitev;
	c->digests[k++].v = c->theme->strings;
	for (i = 0; c->cahierv && i < c->site->nshown; i++) {
		c->digests[k++].v = c->cahierv[i];
		for (j = 0; j < c->site->shown[i]->npages; j++)
			c->digests[k++].v = c->itemv[i][j];
	}
	/* each hashed in full (no digest known yet), then all made known */
	for (i = 0; i < k; i++) {
		hashfeed_reset(&st);
		hash_val(NULL, &st, c->digests[i].v);
		c->digests[i].h = hashfeed_digest(&st);
	}
	sort_array(c->digests, k, sizeof *c->digests, cmp_digest);
	c->ndigests = k;
	hashfeed_release(&st);
}

/* "d:" and the XXH3-128 of the render context, the template and the
 * data: the page's key in the manifest. */
static void
page_key(struct worker *w, const char *tpl, const struct val *root, char key[36])
{
	struct hashfeed *st = &w->hash;
	XXH128_hash_t h;

	hashfeed_reset(st);
	hashfeed_add(st, w->c->opts->render_key, strlen(w->c->opts->render_key) + 1);
	hashfeed_add(st, tpl, strlen(tpl) + 1);
	hash_val(w->c, st, root);
	h = hashfeed_digest(st);
	memcpy(key, "d:", 2);
	hashfeed_hex(h, key + 2);
}

/* Renders root with template tpl into url under key (NULL: none), then
 * frees root. */
static void
render_keyed(struct worker *w, const char *tpl, const char *url, struct val *root,
    const char *key)
{
	buf_reset(&w->html);
	if (tpl_render(w->c->theme->tpl, tpl, root, &w->html, &w->d) < 0 ||
	    (key ? out_write_key(w->c->out, url, key, w->html.p, w->html.len, &w->d) :
	    out_write(w->c->out, url, w->html.p, w->html.len, &w->d)) < 0)
		w->rc = -1;
	val_free(root);
}

/*
 * Renders root with template tpl into url, then frees root. With a
 * render key, a page made by the previous build from the same template
 * and data is reused as it is: rendering is a pure function of them.
 */
void
layout_render(struct worker *w, const char *tpl, const char *url, struct val *root)
{
	char key[36];

	if (!w->c->opts->render_key) {
		render_keyed(w, tpl, url, root, NULL);
		return;
	}
	page_key(w, tpl, root, key);
	if (out_reuse(w->c->out, url, key))
		val_free(root);
	else
		render_keyed(w, tpl, url, root, key);
}

/*
 * The pages of posts and lists, ten thousand and more, are keyed without
 * making their data: "s:" and a hash of the render context, the template
 * and what their data is made of (c->common, kind, address, title, the
 * digests of the posts shown...). Each key function below hashes
 * everything its page's data function reads; keep the two in step.
 */

/* Starts the key of a page whose data starts with
 * layout_new_page_root(c, kind, url, title); url and title NULL when
 * what the caller hashes next covers them. */
static struct hashfeed *
skey_begin(struct worker *w, const char *tpl, const char *kind, const char *url,
    const char *title)
{
	struct hashfeed *st = &w->hash;

	hashfeed_reset(st);
	hashfeed_add(st, &w->c->common, sizeof w->c->common);
	hashfeed_str(st, tpl);
	hashfeed_str(st, kind);
	hashfeed_str(st, url);
	hashfeed_str(st, title);
	return st;
}

static void
skey_end(struct worker *w, char key[36])
{
	memcpy(key, "s:", 2);
	hashfeed_hex(hashfeed_digest(&w->hash), key + 2);
}

/* The render context, and everything layout_new_page_root reads besides
 * its arguments: the site, the UI strings, the language and the pages of
 * the menu. */
static void
digest_common(struct ctx *c)
{
	const struct site *s = c->site;
	struct hashfeed st;
	size_t i;
	unsigned char has_cahiers = s->nshown > 0;

	hashfeed_init(&st);
	hashfeed_str(&st, c->opts->render_key);
	hash_val(NULL, &st, c->sitev);
	hash_val(NULL, &st, c->theme->strings);
	hashfeed_str(&st, s->cfg.language);
	hashfeed_str(&st, s->cfg.base_url);
	hashfeed_add(&st, &s->npages, sizeof s->npages);
	for (i = 0; i < s->npages; i++) {
		hashfeed_str(&st, s->pages[i]->meta.title);
		hashfeed_str(&st, s->pages[i]->url);
	}
	hashfeed_add(&st, &has_cahiers, 1);
	c->common = hashfeed_digest(&st);
	hashfeed_release(&st);
}

/* A string the post owns, shown under a literal key: neither copied. */
static void
put_borrowed(struct val *map, const char *key, const char *s)
{
	if (s && *s)
		val_map_set_lit(map, key, val_new_str_borrowed(s, strlen(s)));
}

static void
put_copy(struct val *map, const char *key, const struct buf *b)
{
	val_map_set_lit(map, key, val_new_str(b->p, b->len));
}

/*
 * A post's data, built once per build for every post and shared by every
 * page that shows it: literal keys, its own strings borrowed, its tags
 * shared (c->tagv), so that it costs little more than its dates.
 */
static struct val *
post_data(const struct ctx *c, const struct post *p)
{
	const struct site *s = c->site;
	struct val *v = val_new_map(), *tags;
	struct buf b = BUF_INIT;
	size_t i;

	val_map_set_lit(v, "title", val_new_str_borrowed(p->meta.title ? p->meta.title : "",
	    p->meta.title ? strlen(p->meta.title) : 0));
	put_borrowed(v, "url", p->url);
	date_iso(&p->date, &b);
	put_copy(v, "date_iso", &b);
	buf_reset(&b);
	date_human(&p->date, s->cfg.language, &b);
	put_copy(v, "date_human", &b);
	buf_reset(&b);
	date_iso(&p->updated, &b);
	put_copy(v, "updated_iso", &b);
	buf_reset(&b);
	date_human(&p->updated, s->cfg.language, &b);
	put_copy(v, "updated_human", &b);
	val_map_set_lit(v, "is_updated", val_new_bool(p->updated.year != p->date.year ||
	    p->updated.mon != p->date.mon || p->updated.day != p->date.day));
	put_borrowed(v, "author", p->author);
	tags = val_map_set_lit(v, "tags", val_new_list());
	for (i = 0; i < p->ntags; i++)
		val_list_push(tags, val_new_ref(c->tagv[p->tags[i]]));
	val_map_set_lit(v, "has_tags", val_new_bool(p->ntags > 0));
	put_borrowed(v, "summary", p->summary);
	if (p->html)	/* the largest string of a post: shown, not copied */
		val_map_set_lit(v, "content", val_new_str_borrowed(p->html, p->html_len));
	val_map_set_lit(v, "class_only", val_new_bool(p->meta.class_only));
	val_map_set_lit(v, "params", p->meta.params ? val_new_ref(p->meta.params) : val_new_map());
	buf_release(&b);
	return v;
}

/* p's HTML into a key: its length and its hash, made with it. */
static void
hash_html(struct hashfeed *st, const struct post *p)
{
	size_t n = p->html ? p->html_len + 1 : 0;

	hashfeed_add(st, &n, sizeof n);
	if (p->html)
		hashfeed_add(st, p->html_hash, sizeof p->html_hash);
}

/* Everything post_data reads of p (keep the two in step): posts with the
 * same digest have the same data. Dates are hashed as they are; the
 * language that writes them out is in c->common. */
static XXH128_hash_t
post_digest(struct hashfeed *st, const struct site *s, const struct post *p)
{
	size_t i;

	hashfeed_reset(st);
	hashfeed_str(st, p->meta.title);
	hashfeed_str(st, p->url);
	hashfeed_add(st, &p->date, sizeof p->date);
	hashfeed_add(st, &p->updated, sizeof p->updated);
	hashfeed_str(st, p->author);
	hashfeed_add(st, &p->ntags, sizeof p->ntags);
	for (i = 0; i < p->ntags; i++) {
		hashfeed_str(st, s->tags[p->tags[i]].name);
		hashfeed_str(st, s->tags[p->tags[i]].slug);
	}
	hashfeed_str(st, p->summary);
	hash_html(st, p);
	hashfeed_add(st, &p->meta.class_only, sizeof p->meta.class_only);
	hash_val(NULL, st, p->meta.params);
	return hashfeed_digest(st);
}

/* The digests of posts [from, to) of c (run_parts). */
static void
digest_part(void *arg, size_t from, size_t to)
{
	struct ctx *c = arg;
	struct hashfeed st;
	size_t i;

	hashfeed_init(&st);
	for (i = from; i < to; i++) {
		const struct post *p = c->site->posts[i];

		c->postd[i] = post_digest(&st, c->site, p);
		/* its title and address, hashed once here rather than by
		 * both pages that link to it */
		hashfeed_reset(&st);
		hashfeed_str(&st, p->meta.title);
		hashfeed_str(&st, p->url);
		c->linkd[i] = hashfeed_digest(&st);
	}
	hashfeed_release(&st);
}

struct val *
layout_post_value(struct ctx *c, size_t rank)
{
	struct val *v = atomic_load(&c->postv[rank]), *mine;

	if (v)
		return v;
	mine = post_data(c, c->site->posts[rank]);
	if (atomic_compare_exchange_strong(&c->postv[rank], &v, mine))
		return mine;
	val_free(mine);	/* another thread made it first */
	return v;
}

/* A link to the post of rank i (link_data), or to none (i == n: no
 * post), into a key. */
static void
hash_link(struct hashfeed *st, const struct ctx *c, size_t i)
{
	unsigned char has = i < c->site->nposts;

	hashfeed_add(st, &has, 1);
	if (has)
		hashfeed_add(st, &c->linkd[i], sizeof c->linkd[i]);
}

static struct val *
link_data(const struct post *p)
{
	struct val *v = val_new_map();

	val_map_str(v, "title", p->meta.title);
	val_map_str(v, "url", p->url);
	return v;
}

static void
job_post(struct worker *w, size_t i)
{
	struct ctx *c = w->c;
	const struct site *s = c->site;
	const struct post *p = s->posts[i];
	/* newest first: the previous post in time is the next in the list */
	const struct post *prev = i + 1 < s->nposts ? s->posts[i + 1] : NULL;
	const struct post *next = i > 0 ? s->posts[i - 1] : NULL;
	struct val *root;
	char key[36];

	if (c->opts->render_key) {
		/* the page's address and title are the post's: in its digest */
		struct hashfeed *st = skey_begin(w, "post", "post", NULL, NULL);

		hashfeed_add(st, &c->postd[i], sizeof c->postd[i]);
		hash_link(st, c, prev ? i + 1 : s->nposts);
		hash_link(st, c, next ? i - 1 : s->nposts);
		skey_end(w, key);
		if (out_reuse(c->out, p->url, key))
			return;
	}
	root = layout_new_page_root(c, "post", p->url, p->meta.title);
	val_map_ref(root, "post", layout_post_value(c, i));
	if (prev)
		val_map_set(root, "prev", link_data(prev));
	if (next)
		val_map_set(root, "next", link_data(next));
	render_keyed(w, "post", p->url, root, c->opts->render_key ? key : NULL);
}

static void
job_page(struct worker *w, size_t i)
{
	const struct post *p = w->c->site->pages[i];
	struct val *root = layout_new_page_root(w->c, "page", p->url, p->meta.title);

	val_map_str(root, "content", p->html);
	val_map_set(root, "params", p->meta.params ? val_new_ref(p->meta.params) : val_new_map());
	layout_render(w, "page", p->url, root);
}

/* Page n (1-based) of list l. */
static void
page_url(struct buf *b, const struct list_def *l, size_t n)
{
	buf_reset(b);
	if (n == 1) {
		buf_puts(b, l->first_url);
	} else {
		buf_puts(b, l->base);
		buf_putc(b, '/');
		buf_put_uint(b, n);
		buf_puts(b, ".html");
	}
}

static struct val *
pagination_data(const struct list_def *l, size_t pg, struct buf *b)
{
	struct val *pag = val_new_map(), *plist, *item;
	size_t i;

	buf_reset(b);
	buf_printf(b, "%zu", pg);
	val_map_str(pag, "current", b->p);
	buf_reset(b);
	buf_printf(b, "%zu", l->pages);
	val_map_str(pag, "total", b->p);
	if (pg > 1) {
		page_url(b, l, pg - 1);
		val_map_str(pag, "prev_url", b->p);
	}
	if (pg < l->pages) {
		page_url(b, l, pg + 1);
		val_map_str(pag, "next_url", b->p);
	}
	/* a window around the current page, plus the first and the last:
	 * listing all would make pagination quadratic */
	plist = val_map_set(pag, "pages", val_new_list());
	for (i = 1; i <= l->pages; i++) {
		if (i != 1 && i != l->pages && (i + 2 < pg || i > pg + 2)) {
			if (i == 2 || i == pg + 3) {
				item = val_new_map();
				val_map_bool(item, "gap", 1);
				val_list_push(plist, item);
			}
			continue;
		}
		item = val_new_map();
		buf_reset(b);
		buf_printf(b, "%zu", i);
		val_map_str(item, "number", b->p);
		page_url(b, l, i);
		val_map_str(item, "url", b->p);
		val_map_bool(item, "current", i == pg);
		val_list_push(plist, item);
	}
	return pag;
}

static void
job_list(struct worker *w, size_t li, size_t pg)
{
	struct ctx *c = w->c;
	const struct list_def *l = &c->lists[li];
	const char *heading = *l->heading ? l->heading : c->site->cfg.title;
	struct buf url = BUF_INIT;
	struct val *root, *posts;
	size_t i, from = (pg - 1) * l->per, to = pg * l->per < l->n ? pg * l->per : l->n;
	unsigned char is_home = strcmp(l->kind, "home") == 0 && pg == 1;
	char key[36];

	page_url(&url, l, pg);
	buf_reset(&w->tmp);
	buf_puts(&w->tmp, heading);
	if (pg > 1) {
		buf_puts(&w->tmp, " (");
		buf_puts(&w->tmp, layout_tstr(c, "page"));
		buf_putc(&w->tmp, ' ');
		buf_put_uint(&w->tmp, pg);
		buf_putc(&w->tmp, ')');
	}
	if (c->opts->render_key) {
		struct hashfeed *st = skey_begin(w, "list", l->kind, url.p, w->tmp.p);

		hashfeed_str(st, l->heading);
		hashfeed_add(st, &is_home, 1);
		hashfeed_add(st, &from, sizeof from);
		hashfeed_add(st, &to, sizeof to);
		for (i = from; i < to; i++)
			hashfeed_add(st, &c->postd[l->ranks[i]], sizeof c->postd[0]);
		/* pagination_data */
		hashfeed_add(st, &l->pages, sizeof l->pages);
		hashfeed_add(st, &pg, sizeof pg);
		hashfeed_str(st, l->first_url);
		hashfeed_str(st, l->base);
		skey_end(w, key);
		if (out_reuse(c->out, url.p, key)) {
			buf_release(&url);
			return;
		}
	}
	root = layout_new_page_root(c, l->kind, url.p, w->tmp.p);
	layout_put(root, "heading", l->heading);
	val_map_bool(root, "is_home", is_home);
	posts = val_map_set(root, "posts", val_new_list());
	for (i = from; i < to; i++)
		val_list_push(posts, val_new_ref(layout_post_value(c, l->ranks[i])));
	if (l->pages > 1)
		val_map_set(root, "pagination", pagination_data(l, pg, &w->tmp));
	render_keyed(w, "list", url.p, root, c->opts->render_key ? key : NULL);
	buf_release(&url);
}

static void
job_tags(struct worker *w)
{
	const struct ctx *c = w->c;
	const struct site *s = c->site;
	struct val *root = layout_new_page_root(c, "tags", "tags/index.html", layout_tstr(c, "tags"));
	struct val *list = val_map_set(root, "tags", val_new_list());
	size_t i;

	for (i = 0; i < s->ntags; i++) {
		struct val *item = val_new_map();

		val_map_str(item, "name", s->tags[i].name);
		buf_reset(&w->tmp);
		buf_printf(&w->tmp, "tags/%s.html", s->tags[i].slug);
		val_map_str(item, "url", w->tmp.p);
		buf_reset(&w->tmp);
		buf_printf(&w->tmp, "%zu", s->tags[i].n);
		val_map_str(item, "count", w->tmp.p);
		val_list_push(list, item);
	}
	layout_render(w, "tags", "tags/index.html", root);
}

static void
job_archives(struct worker *w)
{
	const struct ctx *c = w->c;
	struct val *root = layout_new_page_root(c, "archives", "archives/index.html", layout_tstr(c, "archives"));
	struct val *list = val_map_set(root, "months", val_new_list());
	size_t i;

	for (i = 0; i < c->nlists; i++) {
		const struct list_def *l = &c->lists[i];
		struct val *item;

		if (!l->month)
			continue;
		item = val_new_map();
		val_map_str(item, "label", l->month);
		val_map_str(item, "url", l->first_url);
		buf_reset(&w->tmp);
		buf_printf(&w->tmp, "%zu", l->n);
		val_map_str(item, "count", w->tmp.p);
		val_list_push(list, item);
	}
	layout_render(w, "archives", "archives/index.html", root);
}

static void
job_a11y(struct worker *w)
{
	const struct site *s = w->c->site;
	size_t i;

	for (i = 0; i < s->npages; i++)
		if (strcmp(s->pages[i]->url, "accessibilite.html") == 0)
			return;		/* the class wrote its own */
	layout_render(w, "accessibility", "accessibilite.html",
	    layout_new_page_root(w->c, "accessibility", "accessibilite.html", layout_tstr(w->c, "accessibility")));
}

static void
run_job(struct worker *w, const struct job *j)
{
	const struct ctx *c = w->c;

	switch (j->kind) {
	case JOB_POST: job_post(w, j->a); break;
	case JOB_PAGE: job_page(w, j->a); break;
	case JOB_LIST: job_list(w, j->a, j->b); break;
	case JOB_TAGS: job_tags(w); break;
	case JOB_ARCHIVES: job_archives(w); break;
	case JOB_A11Y: job_a11y(w); break;
	case JOB_SEARCH: search_layout_job(w); break;
	case JOB_FEEDS:
		if (layout_write_feeds(c->site, c->out, c->opts, &w->d) < 0)
			w->rc = -1;
		break;
	case JOB_CAHIERS:
	case JOB_CAHIER:
	case JOB_CAHIER_PAGE:
	case JOB_CAHIER_PRINT:
		layout_cahier_job(w, j->kind, j->a, j->b);
		break;
	case JOB_ASSET:
		if (out_write(c->out, c->theme->assets[j->a].path, c->theme->assets[j->a].data.p,
		    c->theme->assets[j->a].data.len, &w->d) < 0)
			w->rc = -1;
		break;
	}
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct ctx *c = w->c;
	size_t i;

	while ((i = atomic_fetch_add(&c->next, 1)) < c->njobs) {
		run_job(w, &c->jobs[i]);
		progress_add(c->opts->progress, 1);
	}
	return NULL;
}

static void
add_job(struct ctx *c, size_t *cap, enum job_kind kind, size_t a, size_t b)
{
	c->jobs = xgrow(c->jobs, cap, c->njobs + 1, sizeof *c->jobs);
	c->jobs[c->njobs].kind = kind;
	c->jobs[c->njobs].a = a;
	c->jobs[c->njobs].b = b;
	c->njobs++;
}

static struct list_def *
add_list(struct ctx *c, size_t *cap, const char *kind, char *heading, char *first_url,
    char *base, size_t n, int paginate)
{
	struct list_def *l;

	c->lists = xgrow(c->lists, cap, c->nlists + 1, sizeof *c->lists);
	l = &c->lists[c->nlists++];
	l->kind = kind;
	l->month = NULL;
	l->heading = heading;
	l->first_url = first_url;
	l->base = base;
	l->ranks = xcalloc(n ? n : 1, sizeof *l->ranks);
	l->n = n;
	l->per = paginate ? (size_t)c->site->cfg.per_page : (n ? n : 1);
	l->pages = n ? (n + l->per - 1) / l->per : 1;
	return l;
}

/* Every list of posts: the home page, each tag, each month (newest first). */
static void
plan_lists(struct ctx *c)
{
	const struct site *s = c->site;
	struct list_def *l;
	struct buf label = BUF_INIT;
	size_t cap = 0, i, j;

	l = add_list(c, &cap, "home", xstrdup(""), xstrdup("index.html"), xstrdup("page"), s->nposts, 1);
	for (i = 0; i < s->nposts; i++)
		l->ranks[i] = i;
	for (i = 0; i < s->ntags; i++) {
		const struct site_tag *t = &s->tags[i];

		l = add_list(c, &cap, "list", fmt("%s : %s", layout_tstr(c, "tag"), t->name),
		    fmt("tags/%s.html", t->slug), fmt("tags/%s", t->slug), t->n, 1);
		for (j = 0; j < t->n; j++)
			l->ranks[j] = t->posts[j]->rank;
	}
	for (i = 0; i < s->nposts; i = j) {
		const struct date *d0 = &s->posts[i]->date;

		for (j = i; j < s->nposts && s->posts[j]->date.year == d0->year &&
		    s->posts[j]->date.mon == d0->mon; j++)
			;
		buf_reset(&label);
		date_month_human(d0->year, d0->mon, s->cfg.language, &label);
		l = add_list(c, &cap, "list", fmt("%s : %s", layout_tstr(c, "archive"), label.p),
		    fmt("archives/%04d-%02d.html", d0->year, d0->mon), xstrdup(""), j - i, 0);
		l->month = xstrdup(label.p);
		for (size_t k = i; k < j; k++)
			l->ranks[k - i] = k;
	}
	buf_release(&label);
}

static void
plan_jobs(struct ctx *c)
{
	const struct site *s = c->site;
	size_t cap = 0, i, pg;

	/* the longest jobs first, so threads finish together */
	add_job(c, &cap, JOB_FEEDS, 0, 0);
	add_job(c, &cap, JOB_SEARCH, 0, 0);
	for (i = 0; i < c->nlists; i++)
		for (pg = 1; pg <= c->lists[i].pages; pg++)
			add_job(c, &cap, JOB_LIST, i, pg);
	for (i = 0; i < s->nposts; i++)
		add_job(c, &cap, JOB_POST, i, 0);
	for (i = 0; i < s->npages; i++)
		add_job(c, &cap, JOB_PAGE, i, 0);
	add_job(c, &cap, JOB_TAGS, 0, 0);
	add_job(c, &cap, JOB_ARCHIVES, 0, 0);
	add_job(c, &cap, JOB_A11Y, 0, 0);
	layout_cahier_jobs(c, add_job, &cap);
	for (i = 0; i < c->theme->nassets; i++)
		add_job(c, &cap, JOB_ASSET, i, 0);
}

int
layout_write(const struct site *s, const struct theme *t,
    struct out *o, const struct layout_opts *opts, struct diag *d)
{
	struct ctx c;
	struct worker *w;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nthreads = opts->jobs > 0 ? (size_t)opts->jobs : ncpu > 0 ? (size_t)ncpu : 1;
	size_t i, started = 0;
	int rc = 0;

	if (nthreads > MAX_JOBS)
		nthreads = MAX_JOBS;
	memset(&c, 0, sizeof c);
	c.site = s;
	c.theme = t;
	c.opts = opts;
	c.out = o;
	atomic_init(&c.next, 0);
	c.sitev = val_new_map();
	layout_put(c.sitev, "title", s->cfg.title);
	layout_put(c.sitev, "school", s->cfg.school);
	layout_put(c.sitev, "class", s->cfg.class_name);
	layout_put(c.sitev, "author", s->cfg.author);
	layout_put(c.sitev, "description", s->cfg.description);
	layout_put(c.sitev, "base_url", s->cfg.base_url);
	val_map_ref(c.sitev, "params", s->cfg.raw);
	c.tagv = xcalloc(s->ntags + 1, sizeof *c.tagv);
	for (i = 0; i < s->ntags; i++) {
		struct buf url = BUF_INIT;

		c.tagv[i] = val_new_map();
		val_map_str(c.tagv[i], "name", s->tags[i].name);
		buf_printf(&url, "tags/%s.html", s->tags[i].slug);
		val_map_str(c.tagv[i], "url", url.p);
		buf_release(&url);
	}
	c.postv = xcalloc(s->nposts + 1, sizeof *c.postv);
	layout_cahier_data(&c);
	if (opts->render_key) {
		digest_shared(&c);
		digest_common(&c);
		/* a few megabytes of HTML at 10,000 posts: on every thread */
		c.postd = xcalloc(s->nposts + 1, sizeof *c.postd);
		c.linkd = xcalloc(s->nposts + 1, sizeof *c.linkd);
		run_parts(s->nposts, nthreads, 200, digest_part, &c);
	}
	plan_lists(&c);
	plan_jobs(&c);
	progress_start(opts->progress, c.njobs);

	/* workers render pages while this thread copies media, then joins them */
	w = xcalloc(nthreads, sizeof *w);
	for (i = 0; i < nthreads; i++) {
		w[i].c = &c;
		hashfeed_init(&w[i].hash);
		buf_init(&w[i].html);
		buf_init(&w[i].tmp);
		diag_init(&w[i].d);
	}
	for (i = 1; i < nthreads; i++)
		if (pthread_create(&w[i].thread, NULL, worker_main, &w[i]) == 0)
			started = i;
		else
			break;
	worker_main(&w[0]);
	for (i = 0; i < nthreads; i++) {
		if (i > 0 && i <= started)
			pthread_join(w[i].thread, NULL);
		if (w[i].rc < 0)
			rc = -1;
		diag_merge(d, &w[i].d);
		buf_release(&w[i].html);
		buf_release(&w[i].tmp);
		hashfeed_release(&w[i].hash);
	}
	free(w);

	for (i = 0; i < c.nlists; i++) {
		free(c.lists[i].heading);
		free(c.lists[i].month);
		free(c.lists[i].first_url);
		free(c.lists[i].base);
		free(c.lists[i].ranks);
	}
	free(c.lists);
	free(c.jobs);
	layout_cahier_free(&c);
	for (i = 0; i < s->nposts; i++)
		val_free(atomic_load(&c.postv[i]));
	free(c.postv);
	free(c.postd);
	free(c.linkd);
	free(c.digests);
	for (i = 0; i < s->ntags; i++)
		val_free(c.tagv[i]);
	free(c.tagv);
	val_free(c.sitev);
	return rc;
}
