/*
 * layout_feed: feed.xml (Atom, the newest public posts) and sitemap.xml
 * (when base_url is set). Class-only posts never go into either: feeds
 * and sitemaps are read outside the class.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "diag.h"
#include "feed.h"
#include "layout.h"
#include "out.h"
#include "site.h"
#include "util.h"
#include "xmlib.h"

#define FEED_MAX 20

/* Post HTML is written for pages one level down ("../media/x.png"); the
 * feed lives at the root, so those references are rebased on base_url
 * (or on the root when there is none). */
static char *
rebase_html(const char *html, const char *base)
{
	struct buf b = BUF_INIT;
	const char *p = html, *q;

	while ((q = strstr(p, "=\"../"))) {
		buf_add(&b, p, (size_t)(q - p) + 2);
		buf_puts(&b, base);
		p = q + 5;
	}
	buf_puts(&b, p);
	return buf_detach(&b, NULL);
}

/* base, a, b and c joined, kept in pool (b is the caller's scratch). */
static const char *
pool_url(struct strpool *pool, struct buf *b, const char *base, const char *a, const char *mid,
    const char *c)
{
	buf_reset(b);
	buf_puts(b, base);
	buf_puts(b, a);
	buf_puts(b, mid);
	buf_puts(b, c);
	return strpool_dupn(pool, b->p, b->len);
}

static char *
abs_url(const struct site *s, const char *url)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, s->cfg.base_url);
	buf_puts(&b, url);
	return buf_detach(&b, NULL);
}

int
layout_write_feeds(const struct site *s, struct out *o,
    const struct layout_opts *opts, struct diag *d)
{
	struct feed_entry *e = xcalloc(FEED_MAX, sizeof *e);
	char **own = xcalloc(FEED_MAX * 6 + 8, sizeof *own);
	size_t n = 0, nown = 0, i;
	struct feed_info fi = { 0 };
	struct buf b = BUF_INIT, out = BUF_INIT;
	struct date newest;
	int rc = 0, xml;
	const char *base = s->cfg.base_url;
	char why[200];

	date_from_epoch(opts->build_time, opts->build_offset, &newest);
	for (i = 0; i < s->nposts && n < FEED_MAX; i++) {
		const struct post *p = s->posts[i];
		struct feed_entry *x = &e[n];

		if (p->meta.class_only)
			continue;
		if (n == 0 || date_cmp(&p->updated, &newest) > 0)
			newest = p->updated;
		x->title = p->meta.title;
		x->url = own[nown++] = abs_url(s, p->url);
		if (*base) {
			x->id = x->url;
		} else {
			buf_reset(&b);
			buf_printf(&b, "urn:ardoise:%s", p->url);
			x->id = own[nown++] = xstrdup(b.p);
		}
		buf_reset(&b);
		date_rfc3339(&p->date, &b);
		x->published = own[nown++] = xstrdup(b.p);
		buf_reset(&b);
		date_rfc3339(&p->updated, &b);
		x->updated = own[nown++] = xstrdup(b.p);
		x->author = p->author;
		x->summary = p->summary;
		x->content = own[nown++] = rebase_html(p->html ? p->html : "", base);
		x->tags = NULL;
		x->ntags = 0;
		n++;
	}
	fi.title = s->cfg.title;
	fi.subtitle = *s->cfg.description ? s->cfg.description : NULL;
	fi.lang = s->cfg.language;
	fi.site_url = own[nown++] = abs_url(s, "index.html");
	if (*base) {
		fi.id = base;
		fi.self_url = own[nown++] = abs_url(s, "feed.xml");
	} else {
		fi.id = "urn:ardoise:feed";
	}
	buf_reset(&b);
	date_rfc3339(&newest, &b);
	fi.updated = own[nown++] = xstrdup(b.p);
	fi.author = *s->cfg.author ? s->cfg.author : s->cfg.title;
	fi.generator_version = ARDOISE_VERSION;
	xml = xmlib_ready(why, sizeof why) == 0;
	if (!xml) {
		diag_error(d, "feed.xml", 0, 0, _("cannot load %s (%s): reinstall the libxml2 package"),
		    XMLIB_SONAME, why);
		out_failed_system(o);
		rc = -1;
	} else if (feed_atom(&fi, e, n, &out) < 0) {
		diag_error(d, "feed.xml", 0, 0, _("cannot write the feed"));
		rc = -1;
	} else if (out_write(o, "feed.xml", out.p, out.len, d) < 0) {
		rc = -1;
	}

	if (*base && xml) {
		size_t cap = s->nposts + s->npages + s->ntags + 8, nu = 0;
		const char **urls = xcalloc(cap, sizeof *urls), **mods = xcalloc(cap, sizeof *mods);
		struct strpool pool = STRPOOL_INIT;	/* every address and date */

		urls[nu++] = pool_url(&pool, &b, base, "", "index.html", "");
		for (i = 0; i < s->nposts; i++) {
			if (s->posts[i]->meta.class_only)
				continue;
			buf_reset(&b);
			date_rfc3339(&s->posts[i]->updated, &b);
			mods[nu] = strpool_dupn(&pool, b.p, b.len);
			urls[nu++] = pool_url(&pool, &b, base, "", s->posts[i]->url, "");
		}
		for (i = 0; i < s->npages; i++)
			urls[nu++] = pool_url(&pool, &b, base, "", s->pages[i]->url, "");
		for (i = 0; i < s->ntags; i++)
			urls[nu++] = pool_url(&pool, &b, base, "tags/", s->tags[i].slug, ".html");
		buf_reset(&out);
		if (feed_sitemap(urls, mods, nu, &out) < 0) {
			diag_error(d, "sitemap.xml", 0, 0, _("cannot write the sitemap"));
			rc = -1;
		} else if (out_write(o, "sitemap.xml", out.p, out.len, d) < 0) {
			rc = -1;
		}
		strpool_release(&pool);
		free(urls);
		free(mods);
	}
	for (i = 0; i < nown; i++)
		free(own[i]);
	free(own);
	free(e);
	buf_release(&b);
	buf_release(&out);
	return rc;
}
