/*
 * pack_epub.h: the book pack_epub.c assembles and pack_ocf.c writes
 * (internal to pack).
 */
#ifndef ARDOISE_PACK_EPUB_H
#define ARDOISE_PACK_EPUB_H

#include <stddef.h>

#include "buf.h"

struct pack_site;

/* Where the book's style sheet goes, as a site path. */
#define EPUB_CSS "assets/epub.css"

struct epub_page {
	char *path;		/* site path of the built page, "cahiers/x/01-a.html" */
	char *title;		/* its h1 */
	struct buf xhtml;	/* the content document */
};

struct epub_book {
	char *dir;		/* "cahiers/x/" */
	char *lang;		/* the site's language */
	struct epub_page *pages;	/* pages[0] is the cover page (index.html) */
	size_t npages, pages_cap;
	char **res;		/* site paths of media and style sheets, owned */
	size_t nres, res_cap;
	const char *cover;	/* one of res, or NULL */
	struct buf css;		/* the book's style sheet, at EPUB_CSS */
};

void epub_book_release(struct epub_book *bk);
/* Media type of a site path and whether readers must support it, or NULL. */
const char *epub_media_type(const char *path);
/* Writes the book as an EPUB (OCF zip) to target. Returns a BUILD_ status. */
int epub_write(const struct epub_book *bk, const struct pack_site *s, const char *target);

#endif
