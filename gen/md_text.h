/*
 * md_text: the byte-level half of md, private to md.c: checks the input
 * before cmark sees it, and makes cmark's HTML well-formed XML after.
 */
#ifndef ARDOISE_MD_TEXT_H
#define ARDOISE_MD_TEXT_H

#include <stddef.h>

#include "media.h"

struct buf;
struct diag;
struct md_media;
struct md_opts;

/*
 * Refuses text[0..len) with invalid UTF-8 or a NUL byte, or with block
 * quotes/lists nested far past max (cmark-gfm is slow on those), reporting
 * the position to d. Control characters XML does not allow are replaced
 * by spaces in copy (a warning is reported). Sets *out to the text to
 * parse (text itself, or copy->p) and returns 0, or returns -1.
 */
int md_text_check(const char *text, size_t len, const struct md_opts *o,
    int max, struct buf *copy, const char **out, struct diag *d);
/* Appends h[0..n) (cmark's HTML) to out with every attribute written
 * without a value given the value "". */
void md_text_xhtml(const char *h, size_t n, struct buf *out);

/*
 * Copies the lower-cased scheme of url (at most n - 1 bytes of it) into
 * scheme and returns 1 when url starts with one (RFC 3986: ALPHA
 * *( ALPHA / DIGIT / "+" / "-" / "." ) then ':'); returns 0 for a
 * relative reference.
 */
int md_text_scheme(const char *url, char *scheme, size_t n);
/*
 * Appends url as an attribute value. Spaces and controls are
 * percent-encoded as cmark does for its own href/src (a raw space is not
 * a valid URL character), then the result is HTML-escaped.
 */
void md_text_url_attr(struct buf *b, const char *url);

/*
 * Appends h[0..n) to out with each marker "\xffN\xff" (N decimal)
 * replaced by marks[N]. The input is valid UTF-8 and entities decode to
 * valid UTF-8, so a 0xff byte can only come from md: markers cannot be
 * forged. C0 controls other than tab and line ends, which numeric
 * entities (&#1;) bring in and XML forbids, become U+FFFD.
 */
void md_text_markers(const char *h, size_t n, const char *const *marks,
    size_t nmark, struct buf *out);

/* The few words md writes, in lang ("en", else French). */
enum md_word { MD_WORD_TRANSCRIPT, MD_WORD_DOWNLOAD };
const char *md_text_word(const char *lang, enum md_word word);

/* One media element to write (see md.h for the shapes). */
struct md_text_media {
	enum media_kind kind;
	const char *src;	/* the URL to use, not escaped */
	const char *alt;	/* plain text of the description, may be blank */
	const char *name;	/* the file's name, when the description is blank */
	const char *title;	/* a picture's title attribute, or "" */
	const char *type;	/* the extension in lower case, or "" */
	const struct md_media *m;
	const char *lang;
	int figure;		/* in a figure, whose caption describes it */
	int in_link;		/* inside <a>: no link of its own */
};
/*
 * Appends the element of e to out: <img …/>, <audio …>fallback</audio>,
 * <video …>fallback</video> or a download link <a … download="">text
 * (PDF, 1,2 Mo)</a>. Every value is escaped.
 */
void md_text_media(struct buf *out, const struct md_text_media *e);

#endif
