/*
 * md: Markdown -> HTML with cmark-gfm (GFM extensions table,
 * strikethrough, autolink, tagfilter, tasklist; footnotes; smart
 * punctuation; safe mode: raw HTML is omitted, javascript:/vbscript:/
 * file:/data: URLs are dropped).
 *
 * Every link and image URL goes through a resolver handed in by the
 * caller (md knows nothing of posts): it decides what a relative URL
 * becomes, reports what leads nowhere, and tells the size of pictures,
 * the size of files and the transcript of a recording.
 *
 * Media, one syntax: ![text](file). By the extension of the file (see
 * media.h): a picture becomes <img> with width/height when known, audio
 * <audio controls>, video <video controls>, anything else a download
 * link with its type and size; a URL with no extension is taken for a
 * picture. An image alone in its paragraph (directly in the document, a
 * list item or a block quote) becomes a block:
 *
 *   <figure class="media media-image|media-audio|media-video|media-download">
 *   ELEMENT
 *   <details class="transcription"><summary>Transcription</summary>
 *   ...the transcript rendered as Markdown...</details>   (when one is given)
 *   <figcaption>text, with its inline markup</figcaption>   (when not empty)
 *   </figure>
 *
 * elsewhere (in a sentence, a table cell, a heading, a link) it stays
 * inline, without caption or transcript. Empty text on a picture and a
 * recording without transcript are warnings (RGAA 1.1 and 4.1).
 *
 * cmark-gfm 0.29 edits process-global tables during a parse, so md_render
 * must not run on two threads at once (see LIBNOTES.md).
 */
#ifndef ARDOISE_MD_H
#define ARDOISE_MD_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct diag;

enum md_ref { MD_REF_LINK, MD_REF_IMAGE };

/* What the resolver tells of a media file (all zero when it knows nothing). */
struct md_media {
	int width, height;	/* pixels, 0 unknown */
	uint64_t size;		/* bytes, 0 unknown */
	const char *transcript;	/* Markdown of the transcript, or NULL; owned by */
	size_t transcript_len;	/* the resolver, valid until md_render returns */
	int image;		/* a picture whatever its extension (HEIC served as JPEG) */
	const char *thumb;	/* URL of a smaller copy for srcset, or NULL; owned */
	int thumb_width;	/* by the resolver like transcript */
};

/*
 * Called for each link (MD_REF_LINK) and image (MD_REF_IMAGE) whose URL
 * is not absolute (no scheme, not starting with '#' or "//"). title is
 * the reference's title ("" when none; a title ending in ".md" names a
 * transcript). line and col are positions in the whole file (line_offset
 * applied). The resolver writes the URL to use into out (already relative
 * to the page being rendered), fills *media for images (media is NULL for
 * links) and returns 0, or returns -1 after reporting an error to d (the
 * reference is then rendered with its original URL removed).
 */
typedef int (*md_resolve_fn)(void *data, enum md_ref kind, const char *url,
    const char *title, int line, int col, struct buf *out,
    struct md_media *media, struct diag *d);

struct md_opts {
	const char *path;	/* the Markdown file, for diagnostics */
	int line_offset;	/* added to cmark's line numbers (body_line - 1) */
	md_resolve_fn resolve;	/* may be NULL: URLs kept as written */
	void *resolve_data;
	int max_nesting;	/* block quotes/lists nested deeper are refused; 0 = 64 */
	const char *lang;	/* "fr" (NULL) or "en": the few words md writes */
	int no_html;		/* checking only: diagnostics and summary, no HTML */
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
