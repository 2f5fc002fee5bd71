/*
 * md: Markdown -> HTML with cmark-gfm (GFM extensions table,
 * strikethrough, autolink, tagfilter, tasklist; footnotes; smart
 * punctuation; safe mode: raw HTML is omitted, javascript:/vbscript:/
 * file:/data: URLs are dropped).
 *
 * Every link and image URL goes through a resolver handed in by the
 * caller (md knows nothing of posts): it decides what a relative URL
 * becomes and reports what leads nowhere. Images are rendered by the
 * extension of their URL: pictures as <img>, audio (mp3 m4a ogg opus wav)
 * as <audio controls>, video (mp4 webm mov) as <video controls
 * preload="metadata">, anything else as a download link (a URL with no
 * extension is taken for a picture). Output is polyglot: well-formed XML.
 *
 * cmark-gfm 0.29 edits process-global tables during a parse, so md_render
 * must not run on two threads at once (see LIBNOTES.md).
 */
#ifndef ARDOISE_MD_H
#define ARDOISE_MD_H

#include <stddef.h>

struct buf;
struct diag;

enum md_ref { MD_REF_LINK, MD_REF_IMAGE };

/*
 * Called for each link (MD_REF_LINK) and image (MD_REF_IMAGE) whose URL
 * is not absolute (no scheme, not starting with '#' or "//"). line and col
 * are positions in the whole file (line_offset applied). The resolver
 * writes the URL to use into out (already relative to the page being
 * rendered) and returns 0, or returns -1 after reporting an error to d
 * (the reference is then rendered with its original URL removed).
 */
typedef int (*md_resolve_fn)(void *data, enum md_ref kind, const char *url,
    int line, int col, struct buf *out, struct diag *d);

struct md_opts {
	const char *path;	/* the Markdown file, for diagnostics */
	int line_offset;	/* added to cmark's line numbers (body_line - 1) */
	md_resolve_fn resolve;	/* may be NULL: URLs kept as written */
	void *resolve_data;
	int max_nesting;	/* block quotes/lists nested deeper are refused; 0 = 64 */
};

/*
 * Registers cmark-gfm's core extensions. Call once at startup, before any
 * thread and before md_render: the registration guards itself with an
 * unsynchronized static flag.
 */
void md_global_init(void);

/*
 * Renders text[0..len) as HTML appended to html. When summary is not NULL,
 * the plain text of the first paragraph (no markup, entities decoded,
 * whitespace collapsed) is appended to it. Returns 0, or -1 after
 * reporting errors to d (invalid UTF-8, nesting over the limit, a resolver
 * failure); all resolver errors of the file are reported, not only the
 * first.
 * C0 control characters (other than tab and line ends) are replaced by
 * spaces with a warning, since they cannot appear in XML. Links whose
 * scheme is not http, https, mailto or tel, and images that are not
 * relative or http(s), are replaced by their text with a warning. html is
 * left untouched when the input is refused (invalid UTF-8, nesting).
 */
int md_render(const char *text, size_t len, const struct md_opts *o,
    struct buf *html, struct buf *summary, struct diag *d);

#endif
