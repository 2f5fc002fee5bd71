#include "layout.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "diag.h"
#include "feed.h"
#include "gitsrc.h"
#include "out.h"
#include "site.h"
#include "theme.h"
#include "tpl.h"
#include "util.h"
#include "val.h"

/* Everything shared by the pages of one build. */
struct ctx {
	const struct site *site;
	const struct theme *theme;
	struct out *out;
	struct diag *d;
	struct val *sitev;	/* site.* */
	struct val **postv;	/* data of each published post, by rank */
	struct buf html;	/* scratch */
	int rc;
};

/* Sets key only when s is not empty: Mustache tests presence, so an empty
 * string left in the data would render as an empty heading or label. */
static void
put(struct val *map, const char *key, const char *s)
{
	if (s && *s)
		val_map_str(map, key, s);
}

static const char *
tstr(const struct ctx *c, const char *key)
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

static struct val *
new_page_root(struct ctx *c, const char *kind, const char *url, const char *title)
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
	put(page, "title", title);
	val_map_str(page, "kind", kind);
	val_map_str(page, "url", url);
	buf_reset(&b);
	if (*s->cfg.base_url)
		buf_printf(&b, "%s%s", s->cfg.base_url, url);
	put(page, "canonical", b.p);
	nav = val_map_set(root, "nav", val_new_list());
#define NAV(t_, u_, cur_) do { item = val_new_map(); val_map_str(item, "title", (t_)); \
	val_map_str(item, "url", (u_)); val_map_bool(item, "current", (cur_)); val_list_push(nav, item); } while (0)
	NAV(tstr(c, "home"), "index.html", strcmp(kind, "home") == 0);
	for (i = 0; i < s->npages; i++)
		NAV(s->pages[i]->meta.title, s->pages[i]->url, strcmp(url, s->pages[i]->url) == 0);
	NAV(tstr(c, "tags"), "tags/index.html", strcmp(kind, "tags") == 0);
	NAV(tstr(c, "archives"), "archives/index.html", strcmp(kind, "archives") == 0);
#undef NAV
	buf_release(&b);
	return root;
}

static void
render(struct ctx *c, const char *tpl, const char *url, const struct val *root)
{
	buf_reset(&c->html);
	if (tpl_render(c->theme->tpl, tpl, root, &c->html, c->d) < 0 ||
	    out_write(c->out, url, c->html.p, c->html.len, c->d) < 0)
		c->rc = -1;
}

static struct val *
post_data(struct ctx *c, const struct post *p)
{
	const struct site *s = c->site;
	struct val *v = val_new_map(), *tags;
	struct buf b = BUF_INIT;
	size_t i;

	val_map_str(v, "title", p->meta.title ? p->meta.title : "");
	val_map_str(v, "url", p->url);
	date_iso(&p->date, &b);
	val_map_str(v, "date_iso", b.p);
	buf_reset(&b);
	date_human(&p->date, s->cfg.language, &b);
	val_map_str(v, "date_human", b.p);
	buf_reset(&b);
	date_iso(&p->updated, &b);
	val_map_str(v, "updated_iso", b.p);
	buf_reset(&b);
	date_human(&p->updated, s->cfg.language, &b);
	val_map_str(v, "updated_human", b.p);
	val_map_bool(v, "is_updated", p->updated.year != p->date.year ||
	    p->updated.mon != p->date.mon || p->updated.day != p->date.day);
	put(v, "author", p->author);
	tags = val_map_set(v, "tags", val_new_list());
	for (i = 0; i < p->ntags; i++) {
		const struct site_tag *t = &s->tags[p->tags[i]];
		struct val *tv = val_new_map();

		val_map_str(tv, "name", t->name);
		buf_reset(&b);
		buf_printf(&b, "tags/%s.html", t->slug);
		val_map_str(tv, "url", b.p);
		val_list_push(tags, tv);
	}
	val_map_bool(v, "has_tags", p->ntags > 0);
	put(v, "summary", p->summary);
	val_map_str(v, "content", p->html ? p->html : "");
	val_map_bool(v, "class_only", p->meta.class_only);
	val_map_set(v, "params", p->meta.params ? val_new_ref(p->meta.params) : val_new_map());
	buf_release(&b);
	return v;
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
write_posts(struct ctx *c)
{
	const struct site *s = c->site;
	size_t i;

	for (i = 0; i < s->nposts; i++) {
		const struct post *p = s->posts[i];
		struct val *root = new_page_root(c, "post", p->url, p->meta.title);

		val_map_ref(root, "post", c->postv[i]);
		/* newest first: the previous post in time is the next in the list */
		if (i + 1 < s->nposts)
			val_map_set(root, "prev", link_data(s->posts[i + 1]));
		if (i > 0)
			val_map_set(root, "next", link_data(s->posts[i - 1]));
		render(c, "post", p->url, root);
		val_free(root);
	}
	for (i = 0; i < s->npages; i++) {
		const struct post *p = s->pages[i];
		struct val *root = new_page_root(c, "page", p->url, p->meta.title);

		val_map_str(root, "content", p->html);
		val_map_set(root, "params", p->meta.params ? val_new_ref(p->meta.params) : val_new_map());
		render(c, "page", p->url, root);
		val_free(root);
	}
}

/* Page n (1-based) of a paginated list whose first page is first_url and
 * whose others are "<base>/<n>.html". */
static void
page_url(struct buf *b, const char *first_url, const char *base, size_t n)
{
	buf_reset(b);
	if (n == 1)
		buf_puts(b, first_url);
	else
		buf_printf(b, "%s/%zu.html", base, n);
}

/* Writes a paginated list of posts (ranks[] index c->postv). */
static void
write_list(struct ctx *c, const char *kind, const char *heading, const char *first_url,
    const char *base, const size_t *ranks, size_t n, int paginate)
{
	size_t per = paginate ? (size_t)c->site->cfg.per_page : (n ? n : 1);
	size_t pages = n ? (n + per - 1) / per : 1, pg, i;
	struct buf url = BUF_INIT, b = BUF_INIT;

	for (pg = 1; pg <= pages; pg++) {
		struct val *root, *posts, *pag, *plist;

		page_url(&url, first_url, base, pg);
		buf_reset(&b);
		if (pg > 1)
			buf_printf(&b, "%s (%s %zu)", *heading ? heading : c->site->cfg.title, tstr(c, "page"), pg);
		else
			buf_puts(&b, *heading ? heading : c->site->cfg.title);
		root = new_page_root(c, kind, url.p, b.p);
		put(root, "heading", heading);
		val_map_bool(root, "is_home", strcmp(kind, "home") == 0 && pg == 1);
		posts = val_map_set(root, "posts", val_new_list());
		for (i = (pg - 1) * per; i < n && i < pg * per; i++)
			val_list_push(posts, val_new_ref(c->postv[ranks[i]]));
		if (pages > 1) {
			pag = val_map_set(root, "pagination", val_new_map());
			buf_reset(&b);
			buf_printf(&b, "%zu", pg);
			val_map_str(pag, "current", b.p);
			buf_reset(&b);
			buf_printf(&b, "%zu", pages);
			val_map_str(pag, "total", b.p);
			if (pg > 1) {
				page_url(&b, first_url, base, pg - 1);
				val_map_str(pag, "prev_url", b.p);
			}
			if (pg < pages) {
				page_url(&b, first_url, base, pg + 1);
				val_map_str(pag, "next_url", b.p);
			}
			/* a window around the current page, plus the first and
			 * the last: listing all would make pagination quadratic */
			plist = val_map_set(pag, "pages", val_new_list());
			for (i = 1; i <= pages; i++) {
				struct val *item;

				if (i != 1 && i != pages && (i + 2 < pg || i > pg + 2)) {
					if (i == 2 || i == pg + 3) {
						item = val_new_map();
						val_map_bool(item, "gap", 1);
						val_list_push(plist, item);
					}
					continue;
				}
				item = val_new_map();

				buf_reset(&b);
				buf_printf(&b, "%zu", i);
				val_map_str(item, "number", b.p);
				page_url(&b, first_url, base, i);
				val_map_str(item, "url", b.p);
				val_map_bool(item, "current", i == pg);
				val_list_push(plist, item);
			}
		}
		render(c, "list", url.p, root);
		val_free(root);
	}
	buf_release(&url);
	buf_release(&b);
}

static void
write_lists(struct ctx *c)
{
	const struct site *s = c->site;
	size_t *ranks = xmalloc((s->nposts + 1) * sizeof *ranks), *tr, i, j;
	struct buf heading = BUF_INIT, url = BUF_INIT, base = BUF_INIT;
	struct val *root, *list, *item;

	for (i = 0; i < s->nposts; i++)
		ranks[i] = i;
	write_list(c, "home", "", "index.html", "page", ranks, s->nposts, 1);

	/* tags: each post's rank is found through the posts' order */
	tr = xmalloc((s->nposts + 1) * sizeof *tr);
	root = new_page_root(c, "tags", "tags/index.html", tstr(c, "tags"));
	list = val_map_set(root, "tags", val_new_list());
	for (i = 0; i < s->ntags; i++) {
		const struct site_tag *t = &s->tags[i];

		for (j = 0; j < t->n; j++)
			tr[j] = t->posts[j]->rank;
		buf_reset(&heading);
		buf_printf(&heading, "%s : %s", tstr(c, "tag"), t->name);
		buf_reset(&url);
		buf_printf(&url, "tags/%s.html", t->slug);
		buf_reset(&base);
		buf_printf(&base, "tags/%s", t->slug);
		write_list(c, "list", heading.p, url.p, base.p, tr, t->n, 1);
		item = val_new_map();
		val_map_str(item, "name", t->name);
		val_map_str(item, "url", url.p);
		buf_reset(&heading);
		buf_printf(&heading, "%zu", t->n);
		val_map_str(item, "count", heading.p);
		val_list_push(list, item);
	}
	render(c, "tags", "tags/index.html", root);
	val_free(root);

	/* monthly archives, newest first like the posts */
	root = new_page_root(c, "archives", "archives/index.html", tstr(c, "archives"));
	list = val_map_set(root, "months", val_new_list());
	for (i = 0; i < s->nposts; i = j) {
		const struct date *d0 = &s->posts[i]->date;

		for (j = i; j < s->nposts && s->posts[j]->date.year == d0->year &&
		    s->posts[j]->date.mon == d0->mon; j++)
			;
		buf_reset(&heading);
		date_month_human(d0->year, d0->mon, s->cfg.language, &heading);
		buf_reset(&url);
		buf_printf(&url, "archives/%04d-%02d.html", d0->year, d0->mon);
		item = val_new_map();
		val_map_str(item, "label", heading.p);
		val_map_str(item, "url", url.p);
		buf_reset(&base);
		buf_printf(&base, "%zu", j - i);
		val_map_str(item, "count", base.p);
		val_list_push(list, item);
		buf_reset(&base);
		buf_printf(&base, "%s : %s", tstr(c, "archive"), heading.p);
		write_list(c, "list", base.p, url.p, "", ranks + i, j - i, 0);
	}
	render(c, "archives", "archives/index.html", root);
	val_free(root);
	free(tr);
	free(ranks);
	buf_release(&heading);
	buf_release(&url);
	buf_release(&base);
}

static void
write_accessibility(struct ctx *c)
{
	const struct site *s = c->site;
	struct val *root;
	size_t i;

	for (i = 0; i < s->npages; i++)
		if (strcmp(s->pages[i]->url, "accessibilite.html") == 0)
			return;		/* the class wrote its own */
	root = new_page_root(c, "accessibility", "accessibilite.html", tstr(c, "accessibility"));
	render(c, "accessibility", "accessibilite.html", root);
	val_free(root);
}

int
layout_write(const struct site *s, const struct theme *t, struct gitsrc *src,
    struct out *o, const struct layout_opts *opts, struct diag *d)
{
	struct ctx c = { s, t, o, d, NULL, NULL, BUF_INIT, 0 };
	struct buf data = BUF_INIT;
	size_t i;

	c.sitev = val_new_map();
	put(c.sitev, "title", s->cfg.title);
	put(c.sitev, "school", s->cfg.school);
	put(c.sitev, "class", s->cfg.class_name);
	put(c.sitev, "author", s->cfg.author);
	put(c.sitev, "description", s->cfg.description);
	put(c.sitev, "base_url", s->cfg.base_url);
	val_map_ref(c.sitev, "params", s->cfg.raw);
	c.postv = xcalloc(s->nposts + 1, sizeof *c.postv);
	for (i = 0; i < s->nposts; i++)
		c.postv[i] = post_data(&c, s->posts[i]);

	write_posts(&c);
	write_lists(&c);
	write_accessibility(&c);
	if (layout_write_feeds(s, o, opts, d) < 0)
		c.rc = -1;
	for (i = 0; i < t->nassets; i++)
		if (out_write(o, t->assets[i].path, t->assets[i].data.p, t->assets[i].data.len, d) < 0)
			c.rc = -1;
	for (i = 0; i < s->nmedia; i++) {
		const struct gitsrc_file *f = gitsrc_find(src, s->media[i]);

		buf_reset(&data);
		if (!f || gitsrc_read(src, f, &data, d) < 0 ||
		    out_write(o, f->path, data.p, data.len, d) < 0)
			c.rc = -1;
	}
	for (i = 0; i < s->nposts; i++)
		val_free(c.postv[i]);
	free(c.postv);
	val_free(c.sitev);
	buf_release(&c.html);
	buf_release(&data);
	return c.rc;
}
