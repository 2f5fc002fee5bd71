/*
 * feed: the Atom feed and the sitemap, written with libxml2's
 * xmlTextWriter (escaping done by the writer; text sanitized to valid XML
 * characters first). Output goes to a buffer; the caller writes it.
 */
#ifndef ARDOISE_FEED_H
#define ARDOISE_FEED_H

#include <stddef.h>

struct buf;

struct feed_entry {
	const char *title;
	const char *url;	/* absolute when the site has a base_url, else relative */
	const char *id;		/* a stable IRI */
	const char *published;	/* RFC 3339 */
	const char *updated;	/* RFC 3339 */
	const char *author;
	const char *summary;	/* plain text, may be NULL */
	const char *content;	/* HTML, written escaped in <content type="html"> */
	const char *const *tags;
	size_t ntags;
};

struct feed_info {
	const char *title;
	const char *subtitle;	/* may be NULL */
	const char *lang;	/* xml:lang */
	const char *id;		/* the feed's IRI */
	const char *site_url;	/* link rel=alternate; may be relative */
	const char *self_url;	/* link rel=self; NULL when there is no base_url */
	const char *updated;	/* RFC 3339, the newest entry's */
	const char *author;
	const char *generator_version;
};

/* Appends an Atom 1.0 document to out. Returns 0, or -1 when libxml2 failed. */
int feed_atom(const struct feed_info *info, const struct feed_entry *entries,
    size_t n, struct buf *out);
/* Appends a sitemap (sitemaps.org 0.9) of n absolute URLs, with optional
 * lastmod (W3C datetime, may be NULL per URL or lastmods NULL). */
int feed_sitemap(const char *const *urls, const char *const *lastmods, size_t n,
    struct buf *out);

#endif
