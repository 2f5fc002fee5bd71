/*
 * layout_cahier: the pages of notebooks (see themes/default/DATA.md):
 * cahiers/index.html, and for each notebook its cover with the table of
 * contents, one page per notebook page, and the whole notebook on one
 * page for printing.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "layout.h"
#include "layout_int.h"
#include "site.h"
#include "util.h"
#include "val.h"

static char *
num(size_t n)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "%zu", n);
	return buf_detach(&b, NULL);
}

static void
map_num(struct val *m, const char *key, size_t n)
{
	char *s = num(n);

	val_map_str(m, key, s);
	free(s);
}

static struct val *
cahier_data(const struct ctx *c, const struct cahier *k)
{
	const struct site *s = c->site;
	struct val *v = val_new_map(), *list;
	struct buf b = BUF_INIT;
	size_t i;

	val_map_str(v, "title", k->title);
	buf_printf(&b, "%s/%s/index.html", s->cfg.cahiers_dir, k->slug);
	val_map_str(v, "url", b.p);
	buf_reset(&b);
	buf_printf(&b, "%s/%s/imprimer.html", s->cfg.cahiers_dir, k->slug);
	val_map_str(v, "print_url", b.p);
	layout_put(v, "summary", k->summary);
	list = val_map_set(v, "authors", val_new_list());
	for (i = 0; i < k->nauthors; i++)
		val_list_push(list, val_new_cstr(k->authors[i]));
	val_map_bool(v, "has_authors", k->nauthors > 0);
	if (k->cover) {
		struct val *cv = val_map_set(v, "cover", val_new_map());

		val_map_str(cv, "url", k->cover_url ? k->cover_url : k->cover);
		val_map_str(cv, "alt", k->title);
		if (k->cover_width > 0 && k->cover_height > 0) {
			map_num(cv, "width", (size_t)k->cover_width);
			map_num(cv, "height", (size_t)k->cover_height);
		}
		if (k->cover_thumb) {
			val_map_str(cv, "thumb_url", k->cover_thumb);
			map_num(cv, "thumb_width", (size_t)k->cover_thumb_width);
			map_num(cv, "thumb_height", (size_t)k->cover_thumb_height);
		}
	}
	map_num(v, "count", k->npages);
	val_map_bool(v, "class_only", k->class_only);
	val_map_ref(v, "params", k->params);
	list = val_map_set(v, "pages", val_new_list());
	for (i = 0; i < k->npages; i++) {
		struct val *p = val_new_map();

		val_map_str(p, "title", k->pages[i]->meta.title);
		val_map_str(p, "url", k->pages[i]->url);
		map_num(p, "number", i + 1);
		val_list_push(list, p);
	}
	buf_release(&b);
	return v;
}

/* The page's HTML with every heading one level down (h6 stays h6): on the
 * print page, the notebook's title is the only h1. */
static struct val *
shifted_headings(const char *html)
{
	struct buf b = BUF_INIT;
	const char *p = html, *q;

	while ((q = strchr(p, '<'))) {
		int close = q[1] == '/';
		const char *h = q + 1 + close;

		buf_add(&b, p, (size_t)(h - p));
		if (h[0] == 'h' && h[1] >= '1' && h[1] <= '5' && (h[2] == '>' || h[2] == ' ')) {
			buf_putc(&b, 'h');
			buf_putc(&b, h[1] + 1);
			p = h + 2;
		} else {
			p = h;
		}
	}
	size_t n;
	char *out;

	buf_puts(&b, p);
	out = buf_detach(&b, &n);
	return val_new_str_owned(out, n);
}

static struct val *
item_data(const struct cahier *k, size_t i)
{
	const struct post *p = k->pages[i];
	struct val *v = val_new_map();

	val_map_str(v, "title", p->meta.title);
	if (p->html) {
		val_map_set(v, "content", val_new_str_borrowed(p->html, strlen(p->html)));
		val_map_set(v, "content_print", shifted_headings(p->html));
	}
	map_num(v, "number", i + 1);
	map_num(v, "total", k->npages);
	val_map_bool(v, "heading_in_content", p->heading_in_content);
	return v;
}

void
layout_cahier_data(struct ctx *c)
{
	const struct site *s = c->site;
	size_t i, j;

	c->cahierv = xcalloc(s->nshown + 1, sizeof *c->cahierv);
	c->itemv = xcalloc(s->nshown + 1, sizeof *c->itemv);
	for (i = 0; i < s->nshown; i++) {
		const struct cahier *k = s->shown[i];

		c->cahierv[i] = cahier_data(c, k);
		c->itemv[i] = xcalloc(k->npages + 1, sizeof **c->itemv);
		for (j = 0; j < k->npages; j++)
			c->itemv[i][j] = item_data(k, j);
	}
}

void
layout_cahier_free(struct ctx *c)
{
	const struct site *s = c->site;
	size_t i, j;

	for (i = 0; i < s->nshown; i++) {
		for (j = 0; j < s->shown[i]->npages; j++)
			val_free(c->itemv[i][j]);
		free(c->itemv[i]);
		val_free(c->cahierv[i]);
	}
	free(c->itemv);
	free(c->cahierv);
}

void
layout_cahier_jobs(struct ctx *c, void (*add)(struct ctx *, size_t *, enum job_kind, size_t, size_t),
    size_t *cap)
{
	const struct site *s = c->site;
	size_t i, j;

	if (s->nshown == 0)
		return;
	add(c, cap, JOB_CAHIERS, 0, 0);
	for (i = 0; i < s->nshown; i++) {
		add(c, cap, JOB_CAHIER, i, 0);
		add(c, cap, JOB_CAHIER_PRINT, i, 0);
		for (j = 0; j < s->shown[i]->npages; j++)
			add(c, cap, JOB_CAHIER_PAGE, i, j);
	}
}

static struct val *
link(const struct post *p)
{
	struct val *v = val_new_map();

	val_map_str(v, "title", p->meta.title);
	val_map_str(v, "url", p->url);
	return v;
}

void
layout_cahier_job(struct worker *w, enum job_kind kind, size_t a, size_t b)
{
	const struct ctx *c = w->c;
	const struct site *s = c->site;
	const struct cahier *k = a < s->nshown ? s->shown[a] : NULL;
	struct buf url = BUF_INIT;
	struct val *root, *list;
	size_t i;

	switch (kind) {
	case JOB_CAHIERS:
		buf_printf(&url, "%s/index.html", s->cfg.cahiers_dir);
		root = layout_new_page_root(c, "cahiers", url.p, layout_tstr(c, "cahiers"));
		list = val_map_set(root, "cahiers", val_new_list());
		for (i = 0; i < s->nshown; i++)
			val_list_push(list, val_new_ref(c->cahierv[i]));
		layout_render(w, "cahiers", url.p, root);
		break;
	case JOB_CAHIER:
		buf_printf(&url, "%s/%s/index.html", s->cfg.cahiers_dir, k->slug);
		root = layout_new_page_root(c, "cahier", url.p, k->title);
		val_map_ref(root, "cahier", c->cahierv[a]);
		if (k->npages)
			val_map_set(root, "first", link(k->pages[0]));
		layout_render(w, "cahier", url.p, root);
		break;
	case JOB_CAHIER_PAGE:
		root = layout_new_page_root(c, "cahier-page", k->pages[b]->url, k->pages[b]->meta.title);
		val_map_ref(root, "cahier", c->cahierv[a]);
		val_map_ref(root, "item", c->itemv[a][b]);
		if (b > 0)
			val_map_set(root, "prev", link(k->pages[b - 1]));
		if (b + 1 < k->npages)
			val_map_set(root, "next", link(k->pages[b + 1]));
		layout_render(w, "cahier-page", k->pages[b]->url, root);
		break;
	case JOB_CAHIER_PRINT:
		buf_printf(&url, "%s/%s/imprimer.html", s->cfg.cahiers_dir, k->slug);
		root = layout_new_page_root(c, "cahier-print", url.p, k->title);
		val_map_ref(root, "cahier", c->cahierv[a]);
		list = val_map_set(root, "items", val_new_list());
		for (i = 0; i < k->npages; i++)
			val_list_push(list, val_new_ref(c->itemv[a][i]));
		layout_render(w, "cahier-print", url.p, root);
		break;
	default:
		break;
	}
	buf_release(&url);
}
