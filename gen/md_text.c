#include "md_text.h"

#include <limits.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "md.h"
#include "media.h"
#include "util.h"

/* Line and column (1-based, bytes) of offset off, counting line ends as
 * cmark does: LF, CRLF and a lone CR. */
static void
line_col(const char *s, size_t off, int *line, int *col)
{
	size_t i, start = 0;
	int l = 1;

	for (i = 0; i < off; i++) {
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= off || s[i + 1] != '\n'))) {
			l++;
			start = i + 1;
		}
	}
	*line = l;
	*col = (int)(off - start + 1);
}

/*
 * XML 1.0 forbids C0 controls other than tab, LF and CR, and U+FFFE/FFFF;
 * cmark passes them through. Pasted text (word processors use VT for line
 * breaks) brings them in, so replace them in a copy, keeping every byte
 * offset so that positions stay right. Returns the text to parse.
 */
static const char *
clean_controls(const char *text, size_t len, struct buf *copy,
    const struct md_opts *o, struct diag *d)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i, first = len;
	int line, col;

	for (i = 0; i < len; i++) {
		if ((s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') ||
		    (s[i] == 0xef && i + 2 < len && s[i + 1] == 0xbf &&
		    (s[i + 2] == 0xbe || s[i + 2] == 0xbf))) {
			first = i;
			break;
		}
	}
	if (first == len)
		return text;
	line_col(text, first, &line, &col);
	if (s[first] == 0xef)
		diag_warn(d, o->path, line + o->line_offset, col,
		    _("non-character U+FFF%c replaced: remove it"),
		    s[first + 2] == 0xbe ? 'E' : 'F');
	else
		diag_warn(d, o->path, line + o->line_offset, col,
		    _("control character (byte 0x%02x) replaced by a space: remove it"),
		    s[first]);
	buf_add(copy, text, len);
	for (i = first; i < len; i++) {
		unsigned char c = (unsigned char)copy->p[i];

		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
			copy->p[i] = ' ';
		} else if (c == 0xef && i + 2 < len &&
		    (unsigned char)copy->p[i + 1] == 0xbf &&
		    ((unsigned char)copy->p[i + 2] == 0xbe ||
		    (unsigned char)copy->p[i + 2] == 0xbf)) {
			copy->p[i + 2] = (char)0xbd;	/* U+FFFD, same length */
			i += 2;
		}
	}
	return copy->p;
}

/*
 * cmark-gfm 0.29 spends time proportional to the container depth for
 * every bracket of the line (measured: 10,000 nested "> " and 100,000 '['
 * take 2 s, 100,000 of each 30 s), so absurd nesting must be refused
 * before parsing; the AST walk enforces the exact limit afterwards. Counts
 * the block quote and list markers opening each line; returns the offset
 * of the first marker past the limit, or len. A line of spaced bullets
 * alone ("- - -") is a thematic break, not lists.
 */
static size_t
prescan_nesting(const char *s, size_t len, int limit)
{
	size_t i = 0, bad;
	int depth, bullets;
	char bullet;	/* 0 none, 1 mixed or ordered, else the one bullet */

	while (i < len) {
		depth = 0;
		bullets = 0;
		bullet = 0;
		bad = len;
		for (;;) {
			size_t j = i, k;

			while (j < len && j - i < 4 && (s[j] == ' ' || s[j] == '\t'))
				j++;
			if (j < len && s[j] == '>') {
				i = j + 1;
			} else if (j + 1 < len && (s[j] == '-' || s[j] == '*' ||
			    s[j] == '+') && (s[j + 1] == ' ' || s[j + 1] == '\t')) {
				if (bullet != 0 && bullet != s[j])
					bullet = 1;	/* mixed: not a thematic break */
				else if (bullet == 0)
					bullet = s[j];
				bullets++;
				i = j + 1;
			} else {
				for (k = j; k < len && k - j < 9 && s[k] >= '0' && s[k] <= '9'; k++)
					;
				if (k == j || k + 1 >= len || (s[k] != '.' && s[k] != ')') ||
				    (s[k + 1] != ' ' && s[k + 1] != '\t'))
					break;
				bullet = 1;
				i = k + 1;
			}
			if (++depth > limit && bad == len)
				bad = j;
		}
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (bad < len && !(bullet > 1 && bullets == depth &&
		    (i >= len || s[i] == '\n' || s[i] == '\r')))
			return bad;
		while (i < len && s[i] != '\n' && s[i] != '\r')
			i++;
		i++;
	}
	return len;
}

/*
 * cmark writes a few boolean attributes bare (data-footnotes,
 * data-footnote-ref, data-footnote-backref), which is not XML. Rewrite
 * every attribute without a value as name="", and give table header cells
 * their scope and their alignment as a class. Text never holds a raw '<'
 * (cmark escapes it), so each '<' starts markup.
 */
void
md_text_xhtml(const char *h, size_t n, struct buf *out)
{
	size_t i = 0, j;
	int wrap_end = 0;

	while (i < n) {
		const char *lt = memchr(h + i, '<', n - i);

		if (!lt) {
			buf_add(out, h + i, n - i);
			break;
		}
		buf_add(out, h + i, (size_t)(lt - (h + i)));
		i = (size_t)(lt - h);
		if (n - i >= 4 && memcmp(h + i, "<!--", 4) == 0) {
			const char *end = memmem(h + i + 4, n - i - 4, "-->", 3);

			j = end ? (size_t)(end - h) + 3 : n;
			buf_add(out, h + i, j - i);
			i = j;
			continue;
		}
		/* the tag name, or an end tag in one piece */
		for (j = i + 1; j < n && h[j] != '>' && h[j] != ' ' && h[j] != '\n'; j++)
			;
		/* a wide table scrolls inside its own box on a phone, which
		 * must then take the keyboard focus (WCAG 2.1.1) */
		if (j - i == 6 && memcmp(h + i, "<table", 6) == 0)
			buf_puts(out, "<div class=\"tableau\" tabindex=\"0\">");
		else if (j - i == 7 && memcmp(h + i, "</table", 7) == 0)
			wrap_end = 1;
		buf_add(out, h + i, j - i);
		/* GFM tables only put <th> in their header row (WCAG H63) */
		if (j - i == 3 && memcmp(h + i, "<th", 3) == 0)
			buf_puts(out, " scope=\"col\"");
		i = j;
		while (i < n && h[i] != '>') {
			if (h[i] == ' ' || h[i] == '\n' || h[i] == '\t' || h[i] == '/') {
				buf_putc(out, h[i++]);
				continue;
			}
			for (j = i; j < n && h[j] != '=' && h[j] != ' ' &&
			    h[j] != '>' && h[j] != '/' && h[j] != '\n'; j++)
				;
			/* table cells' align="center" is obsolete HTML: a class
			 * the theme styles instead (no inline style either) */
			if (j - i == 5 && memcmp(h + i, "align", 5) == 0 &&
			    j + 1 < n && h[j] == '=' && h[j + 1] == '"') {
				const char *end = memchr(h + j + 2, '"', n - j - 2);

				buf_puts(out, "class=\"align-");
				i = j + 2;
				j = end ? (size_t)(end - h) + 1 : n;
				buf_add(out, h + i, j - i);
				i = j;
				continue;
			}
			buf_add(out, h + i, j - i);
			i = j;
			if (i < n && h[i] == '=') {
				char q = i + 1 < n ? h[i + 1] : 0;

				if (q == '"' || q == '\'') {
					const char *end = memchr(h + i + 2, q, n - i - 2);

					j = end ? (size_t)(end - h) + 1 : n;
				} else {
					for (j = i + 1; j < n && h[j] != ' ' && h[j] != '>'; j++)
						;
				}
				buf_add(out, h + i, j - i);
				i = j;
			} else {
				buf_puts(out, "=\"\"");
			}
		}
		if (i < n)
			buf_putc(out, h[i++]);
		if (wrap_end) {
			buf_puts(out, "</div>");
			wrap_end = 0;
		}
	}
}

int
md_text_check(const char *text, size_t len, const struct md_opts *o, int max,
    struct buf *copy, const char **out, struct diag *d)
{
	size_t bad;
	int line, col;

	bad = utf8_check(text, len);
	if (bad < len) {
		line_col(text, bad, &line, &col);
		if (text[bad] == '\0')
			diag_error(d, o->path, line + o->line_offset, col,
			    _("NUL byte in the text: save the file as plain UTF-8 text"));
		else
			diag_error(d, o->path, line + o->line_offset, col,
			    _("invalid UTF-8 (byte 0x%02x): save the file as UTF-8"),
			    (unsigned char)text[bad]);
		return -1;
	}
	text = clean_controls(text, len, copy, o, d);
	/* list items count twice in the tree (list and item): be lenient */
	bad = prescan_nesting(text, len, max > INT_MAX / 4 ? INT_MAX : max * 4);
	if (bad < len) {
		line_col(text, bad, &line, &col);
		diag_error(d, o->path, line + o->line_offset, col,
		    _("block quotes and lists nested more than %d deep: nest them less"),
		    max);
		return -1;
	}
	*out = text;
	return 0;
}

int
md_text_scheme(const char *url, char *scheme, size_t n)
{
	size_t i;

	if (!((url[0] >= 'a' && url[0] <= 'z') || (url[0] >= 'A' && url[0] <= 'Z')))
		return 0;
	for (i = 0; url[i] && url[i] != ':'; i++) {
		char c = url[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))
			return 0;
		if (i + 1 < n)
			scheme[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	if (url[i] != ':')
		return 0;
	scheme[i + 1 < n ? i : n - 1] = '\0';
	return 1;
}

void
md_text_url_attr(struct buf *b, const char *url)
{
	const char *s = url, *run = url;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c > 0x20 && c != 0x7f)
			continue;
		buf_add_html(b, run, (size_t)(s - run));
		buf_printf(b, "%%%02X", c);
		run = s + 1;
	}
	buf_add_html(b, run, (size_t)(s - run));
}

const char *
md_text_word(const char *lang, enum md_word word)
{
	int en = lang && strcmp(lang, "en") == 0;

	switch (word) {
	case MD_WORD_TRANSCRIPT:
		return en ? "Transcript" : "Transcription";
	case MD_WORD_DOWNLOAD:
		return en ? "Download" : "T\xc3\xa9l\xc3\xa9\x63harger";
	}
	return "";
}

/* " (PDF, 1,2 Mo)": the type in capitals and the size, when known. */
static void
add_file_info(struct buf *out, const struct md_text_media *e)
{
	const char *t;

	if (!e->type[0] && e->m->size == 0)
		return;
	buf_puts(out, " (");
	for (t = e->type; *t; t++)
		buf_putc(out, *t >= 'a' && *t <= 'z' ? *t - 'a' + 'A' : *t);
	if (e->type[0] && e->m->size)
		buf_puts(out, ", ");
	if (e->m->size)
		media_size_text(out, e->m->size, e->lang);
	buf_putc(out, ')');
}

/*
 * The text of a link to the file: its description (else its name) and
 * type and size; in a figure, a recording's fallback says "Télécharger"
 * instead, the caption describing it already.
 */
static void
add_link_text(struct buf *out, const struct md_text_media *e, int download_word)
{
	const char *label = e->alt[strspn(e->alt, " \t\n\r")] ? e->alt : e->name;

	if (download_word)
		label = md_text_word(e->lang, MD_WORD_DOWNLOAD);
	buf_add_html(out, label, strlen(label));
	add_file_info(out, e);
}

static void
add_link(struct buf *out, const struct md_text_media *e, int download_word)
{
	if (e->in_link) {
		add_link_text(out, e, download_word);
		return;
	}
	buf_puts(out, "<a href=\"");
	md_text_url_attr(out, e->src);
	buf_puts(out, e->kind == MEDIA_DOWNLOAD ? "\" download=\"\">" : "\">");
	add_link_text(out, e, download_word);
	buf_puts(out, "</a>");
}

void
md_text_media(struct buf *out, const struct md_text_media *e)
{
	switch (e->kind) {
	case MEDIA_IMAGE:
		buf_puts(out, "<img src=\"");
		md_text_url_attr(out, e->src);
		if (e->m->thumb && e->m->thumb_width > 0 && e->m->width > 0) {
			/* a phone picks the thumbnail; sizes is the widest the
			 * content column gets (about 48rem in the themes) */
			buf_puts(out, "\" srcset=\"");
			md_text_url_attr(out, e->m->thumb);
			buf_printf(out, " %dw, ", e->m->thumb_width);
			md_text_url_attr(out, e->src);
			buf_printf(out, " %dw\" sizes=\"(max-width: 48rem) 100vw, 48rem",
			    e->m->width);
		}
		buf_puts(out, "\" alt=\"");
		buf_add_html(out, e->alt, strlen(e->alt));
		if (e->title[0]) {
			buf_puts(out, "\" title=\"");
			buf_add_html(out, e->title, strlen(e->title));
		}
		buf_putc(out, '"');
		if (e->m->width > 0 && e->m->height > 0)
			buf_printf(out, " width=\"%d\" height=\"%d\"", e->m->width,
			    e->m->height);
		/* the size reserves the space: lazy loading does not jump */
		buf_puts(out, " loading=\"lazy\" decoding=\"async\" />");
		break;
	case MEDIA_AUDIO:
	case MEDIA_VIDEO:
		buf_puts(out, e->kind == MEDIA_AUDIO ? "<audio" : "<video");
		buf_puts(out, " controls=\"\" preload=\"metadata\" src=\"");
		md_text_url_attr(out, e->src);
		buf_puts(out, "\">");
		add_link(out, e, e->figure);
		buf_puts(out, e->kind == MEDIA_AUDIO ? "</audio>" : "</video>");
		break;
	case MEDIA_DOWNLOAD:
		add_link(out, e, 0);
		break;
	}
}

void
md_text_markers(const char *h, size_t n, const char *const *marks, size_t nmark,
    struct buf *out)
{
	size_t i = 0, run = 0, j, k;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)h[i];

		if (c == 0xff) {
			for (j = i + 1, k = 0; j < n && h[j] >= '0' && h[j] <= '9' &&
			    k < nmark; j++)
				k = k * 10 + (size_t)(h[j] - '0');
			buf_add(out, h + run, i - run);
			if (j < n && (unsigned char)h[j] == 0xff && j > i + 1 && k < nmark) {
				buf_puts(out, marks[k]);
				i = j;
			} else {
				buf_puts(out, "\xef\xbf\xbd");	/* cannot happen */
			}
			run = i + 1;
		} else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
			buf_add(out, h + run, i - run);
			buf_puts(out, "\xef\xbf\xbd");
			run = i + 1;
		}
	}
	buf_add(out, h + run, n - run);
}
