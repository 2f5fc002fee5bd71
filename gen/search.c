#include "search.h"

#include "xxh.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bin.h"
#include "buf.h"
#include "hashfeed.h"
#include "date.h"
#include "diag.h"
#include "layout.h"
#include "layout_int.h"
#include "out.h"
#include "site.h"
#include "util.h"
#include "val.h"

/*
 * Bounds that keep the index small (under a quarter of the site's HTML):
 * each entry keeps each distinct word once, in order of first use, up to
 * TEXT_MAX bytes (a class blog post is far shorter; a very long page
 * loses the words of its end), and SNIPPET_MAX characters of its text as
 * written, for the results' snippets.
 */
#define TEXT_MAX	16384
#define SNIPPET_MAX	200

/*
 * Folding of U+00C0..U+017F, one byte per code point: a letter, or an
 * upper-case stand-in for two letters (A ae, O oe, S ss, T th, I ij), or
 * a space for the two signs (× ÷). The same as NFD without combining
 * marks, in lower case, plus search.js's explicit list for the letters
 * NFD does not decompose (ø ð þ đ ħ ı ł ŋ ŧ ...).
 */
static const char latin[] =
	"aaaaaaAceeeeiiiidnooooo ouuuuyTS"	/* U+00C0 */
	"aaaaaaAceeeeiiiidnooooo ouuuuyTy"	/* U+00E0 */
	"aaaaaaccccccccddddeeeeeeeeeegggg"	/* U+0100 */
	"gggghhhhiiiiiiiiiiIIjjkkklllllll"	/* U+0120 */
	"lllnnnnnnnnnooooooOOrrrrrrssssss"	/* U+0140 */
	"ssttttttuuuuuuuuuuuuwwyyyzzzzzzs";	/* U+0160 */
_Static_assert(sizeof latin == 0x180 - 0xc0 + 1, "one byte per code point");

/* Decodes the code point at s[0..n); returns its length (1 for an
 * invalid byte, which is then U+FFFD). */
static size_t
utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t c = s[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
	if (len == 0 || len > n)
		goto bad;
	c &= 0x3f >> (len - 1);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		c = c << 6 | (s[i] & 0x3f);
	}
	*cp = c;
	return len;
bad:
	*cp = 0xfffd;
	return 1;
}

static void
put_utf8(struct buf *b, uint32_t c)
{
	char u[4];

	if (c < 0x80) {
		buf_putc(b, (int)c);
		return;
	}
	if (c < 0x800) {
		u[0] = (char)(0xc0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3f));
		buf_add(b, u, 2);
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | c >> 12);
		u[1] = (char)(0x80 | (c >> 6 & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | c >> 18);
		u[1] = (char)(0x80 | (c >> 12 & 0x3f));
		u[2] = (char)(0x80 | (c >> 6 & 0x3f));
		u[3] = (char)(0x80 | (c & 0x3f));
		buf_add(b, u, 4);
	}
}

/*
 * What c becomes in a folded word: its ASCII letters in rep (returns 1),
 * nothing (combining marks: returns 0 with rep empty), a word separator
 * (returns -1), or itself, maybe in lower case, in *keep (returns 2).
 */
static int
fold_cp(uint32_t c, char rep[3], uint32_t *keep)
{
	rep[0] = '\0';
	if (c < 0x80) {
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			rep[0] = (char)c;
			rep[1] = '\0';
			return 1;
		}
		return -1;
	}
	if (c >= 0xc0 && c <= 0x17f) {
		static const char *const two[] = { "ae", "oe", "ss", "th", "ij" };
		const char *p = strchr("AOSTI", latin[c - 0xc0]);

		if (latin[c - 0xc0] == ' ')
			return -1;
		if (p) {
			memcpy(rep, two[p - "AOSTI"], 3);
		} else {
			rep[0] = latin[c - 0xc0];
			rep[1] = '\0';
		}
		return 1;
	}
	if (c >= 0x300 && c <= 0x36f)
		return 0;
	/* Latin-1 signs are separators, but not its letters and numbers
	 * (ª ² ³ µ ¹ º ¼ ½ ¾), which search.js keeps too */
	if (c < 0xc0 && !(c == 0xaa || c == 0xb2 || c == 0xb3 || c == 0xb5 ||
	    c == 0xb9 || c == 0xba || (c >= 0xbc && c <= 0xbe)))
		return -1;
	/* punctuation, symbols, arrows, CJK punctuation, private use,
	 * variation selectors, BOM, emoji: separators */
	if ((c >= 0x2000 && c <= 0x2bff) || (c >= 0x3000 && c <= 0x303f) ||
	    (c >= 0xe000 && c <= 0xf8ff) || (c >= 0xfe00 && c <= 0xfe0f) ||
	    c == 0xfeff || c == 0xfffd || (c >= 0x1f000 && c <= 0x1faff))
		return -1;
	if ((c >= 0x391 && c <= 0x3a9 && c != 0x3a2) || (c >= 0x410 && c <= 0x42f))
		c += 0x20;
	else if (c >= 0x400 && c <= 0x40f)
		c += 0x50;
	*keep = c;
	return 2;
}

void
search_fold(const char *s, size_t n, struct buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	int in_word = 0;

	while (i < n) {
		uint32_t c, keep = 0;
		char rep[3];
		int k;

		i += utf8_next(u + i, n - i, &c);
		k = fold_cp(c, rep, &keep);
		if (k < 0) {
			in_word = 0;
			continue;
		}
		if (k == 0)
			continue;
		if (!in_word)
			buf_putc(out, ' ');
		in_word = 1;
		if (k == 1)
			buf_puts(out, rep);
		else
			put_utf8(out, keep);
	}
}

void
search_js_string(struct buf *out, const char *s, size_t n)
{
	size_t i;

	buf_putc(out, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			buf_putc(out, '\\');
			buf_putc(out, c);
		} else if (c == '\n') {
			buf_puts(out, "\\n");
		} else if (c == '\r') {
			buf_puts(out, "\\r");
		} else if (c == '\t') {
			buf_puts(out, "\\t");
		} else if (c < 0x20 || c == 0x7f) {
			buf_printf(out, "\\u%04x", c);
		} else if (c == '<' && i + 1 < n && s[i + 1] == '/') {
			/* "</script" would end an inline copy of the index */
			buf_puts(out, "<\\/");
			i++;
		} else if (c == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
		    ((unsigned char)s[i + 2] == 0xa8 || (unsigned char)s[i + 2] == 0xa9)) {
			/* line terminators inside string literals before ES2019 */
			buf_printf(out, "\\u%s", (unsigned char)s[i + 2] == 0xa8 ? "2028" : "2029");
			i += 2;
		} else {
			buf_putc(out, c);
		}
	}
	buf_putc(out, '"');
}

/* Inline elements: their tags do not separate words ("<em>mot</em>s"). */
static int
inline_tag(const char *t, size_t n)
{
	static const char *const names[] = {
		"a", "abbr", "b", "code", "del", "em", "i", "mark", "s", "small",
		"span", "strong", "sub", "sup", "u",
	};
	size_t i;

	for (i = 0; i < ARRAY_LEN(names); i++)
		if (strlen(names[i]) == n && memcmp(names[i], t, n) == 0)
			return 1;
	return 0;
}

/* Decodes the entity at p (after '&'); returns its length after '&' up
 * to ';' included, or 0 when it is not one md writes. */
static size_t
entity(const char *p, struct buf *out)
{
	static const struct { const char *name, *text; } named[] = {
		{ "amp;", "&" }, { "lt;", "<" }, { "gt;", ">" }, { "quot;", "\"" },
		{ "#39;", "'" }, { "nbsp;", " " },
	};
	size_t i;

	for (i = 0; i < ARRAY_LEN(named); i++)
		if (str_starts(p, named[i].name)) {
			buf_puts(out, named[i].text);
			return strlen(named[i].name);
		}
	if (p[0] == '#') {
		int hex = p[1] == 'x' || p[1] == 'X';
		const char *q = p + 1 + hex;
		char *end;
		unsigned long c = strtoul(q, &end, hex ? 16 : 10);

		if (end == q || *end != ';' || end - q > 8)
			return 0;
		if (c == 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) || c < 0x20)
			c = ' ';
		put_utf8(out, (uint32_t)c);
		return (size_t)(end - p) + 1;
	}
	return 0;
}

void
search_html_text(const char *html, struct buf *out)
{
	size_t start = out->len;
	const char *p = html;
	int space = 0;		/* a separator is pending */

	while (*p) {
		if (*p == '<') {
			const char *q = p + 1, *end;
			size_t n;

			if (str_starts(p, "<!--")) {
				end = strstr(p + 4, "-->");
				p = end ? end + 3 : p + strlen(p);
				space = 1;
				continue;
			}
			if (*q == '/')
				q++;
			n = strspn(q, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
			if (!inline_tag(q, n))
				space = 1;
			end = strchr(q, '>');
			p = end ? end + 1 : p + strlen(p);
			continue;
		}
		if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
			space = 1;
			p++;
			continue;
		}
		if (space && out->len > start)
			buf_putc(out, ' ');
		space = 0;
		if (*p == '&') {
			size_t n = entity(p + 1, out);

			if (n) {
				p += n + 1;
				continue;
			}
		}
		buf_putc(out, *p++);
	}
}

/* The distinct words of one entry, as slices of its text. */
struct wordset {
	size_t *slot;		/* offset + 1 of a word's first letter, 0 when free */
	size_t cap, n;
};

static uint32_t
hash_word(const char *w, size_t n)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	while (n--)
		h = (h ^ (unsigned char)*w++) * 16777619u;
	return h;
}

static size_t
word_len(const char *w)
{
	const char *e = strchr(w, ' ');

	return e ? (size_t)(e - w) : strlen(w);
}

/* Appends the words of folded (" a b c") to text, each once. */
static void
add_words(struct wordset *ws, struct buf *text, const char *folded)
{
	const char *w = folded;

	while (*w == ' ') {
		size_t n, i;

		w++;
		n = word_len(w);
		if (text->len + n + 1 > TEXT_MAX)
			return;
		if (2 * (ws->n + 1) > ws->cap) {
			size_t *old = ws->slot, oldcap = ws->cap, j;

			ws->cap = ws->cap ? 2 * ws->cap : 256;
			ws->slot = xcalloc(ws->cap, sizeof *ws->slot);
			for (j = 0; j < oldcap; j++)
				if (old[j]) {
					const char *ow = text->p + old[j] - 1;

					i = hash_word(ow, word_len(ow)) & (ws->cap - 1);
					while (ws->slot[i])
						i = (i + 1) & (ws->cap - 1);
					ws->slot[i] = old[j];
				}
			free(old);
		}
		for (i = hash_word(w, n) & (ws->cap - 1); ws->slot[i]; i = (i + 1) & (ws->cap - 1)) {
			const char *ow = text->p + ws->slot[i] - 1;

			if (word_len(ow) == n && memcmp(ow, w, n) == 0)
				break;
		}
		if (!ws->slot[i]) {
			buf_putc(text, ' ');
			ws->slot[i] = text->len + 1;
			buf_add(text, w, n);
			ws->n++;
		}
		w += n;
	}
}

/* Length of s in UTF-16 code units: a JavaScript string index. */
static size_t
js_len(const char *s, size_t n)
{
	size_t i, len = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c & 0xc0) != 0x80)
			len += c >= 0xf0 ? 2 : 1;
	}
	return len;
}

/* The first SNIPPET_MAX characters of text, cut between words. */
static void
snippet(const char *text, struct buf *out)
{
	size_t i = 0, chars = 0, cut = 0;

	while (text[i] && chars < SNIPPET_MAX) {
		if (text[i] == ' ')
			cut = i;
		if (((unsigned char)text[i] & 0xc0) != 0x80)
			chars++;
		i++;
	}
	while (((unsigned char)text[i] & 0xc0) == 0x80)
		i++;
	if (!text[i]) {
		buf_puts(out, text);
		return;
	}
	buf_add(out, text, cut ? cut : i);
	buf_puts(out, "…");
}

struct entry {
	const struct post *p;
	const char *context;	/* the notebook's title, or NULL */
};

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	if (x->p->when != y->p->when)
		return x->p->when > y->p->when ? -1 : 1;
	return strcmp(x->p->url, y->p->url);
}

static void
add_entry(const struct site *s, const struct entry *e, struct buf *out, struct buf *tmp)
{
	const struct post *p = e->p;
	const char *title = p->meta.title ? p->meta.title : "";
	struct buf text = BUF_INIT, plain = BUF_INIT;
	struct wordset ws = { NULL, 0, 0 };
	size_t i, title_len;

	buf_putc(out, '[');
	search_js_string(out, p->url, strlen(p->url));
	buf_putc(out, ',');
	search_js_string(out, title, strlen(title));
	buf_putc(out, ',');
	buf_reset(tmp);
	date_human(&p->date, s->cfg.language, tmp);
	search_js_string(out, tmp->p, tmp->len);
	buf_putc(out, ',');
	buf_reset(tmp);
	date_iso(&p->date, tmp);
	search_js_string(out, tmp->p, tmp->len);
	buf_putc(out, ',');
	search_js_string(out, e->context ? e->context : "", e->context ? strlen(e->context) : 0);

	/* the title's words first: a match before title_len is in the title */
	buf_reset(tmp);
	search_fold(title, strlen(title), tmp);
	add_words(&ws, &text, tmp->p);
	title_len = js_len(text.p, text.len);
	for (i = 0; i < p->ntags; i++) {
		buf_reset(tmp);
		search_fold(s->tags[p->tags[i]].name, strlen(s->tags[p->tags[i]].name), tmp);
		add_words(&ws, &text, tmp->p);
	}
	if (e->context) {
		buf_reset(tmp);
		search_fold(e->context, strlen(e->context), tmp);
		add_words(&ws, &text, tmp->p);
	}
	if (p->summary) {
		buf_reset(tmp);
		search_fold(p->summary, strlen(p->summary), tmp);
		add_words(&ws, &text, tmp->p);
	}
	search_html_text(p->html ? p->html : "", &plain);
	buf_reset(tmp);
	search_fold(plain.p, plain.len, tmp);
	add_words(&ws, &text, tmp->p);
	buf_printf(out, ",%zu,", title_len);
	search_js_string(out, text.p, text.len);
	buf_putc(out, ',');
	buf_reset(tmp);
	snippet(plain.len ? plain.p : p->summary ? p->summary : "", tmp);
	search_js_string(out, tmp->p, tmp->len);
	buf_puts(out, "]");
	free(ws.slot);
	buf_release(&text);
	buf_release(&plain);
}

/* Every entry of the index, in its order; *n set. Caller frees. */
static struct entry *
collect(const struct site *s, size_t *np)
{
	struct entry *e;
	size_t n = 0, cap = s->nposts + s->npages, i, j;

	for (i = 0; i < s->nshown; i++)
		cap += s->shown[i]->npages;
	e = xcalloc(cap ? cap : 1, sizeof *e);
	for (i = 0; i < s->nposts; i++)
		e[n++].p = s->posts[i];
	for (i = 0; i < s->npages; i++)
		e[n++].p = s->pages[i];
	for (i = 0; i < s->nshown; i++)
		for (j = 0; j < s->shown[i]->npages; j++) {
			e[n].p = s->shown[i]->pages[j];
			e[n++].context = s->shown[i]->title;
		}
	/* the posts are in this order already but for ties */
	sort_nearly_sorted(e, n, sizeof *e, cmp_entry);
	*np = n;
	return e;
}

/* Everything add_entry reads of e (the language is the caller's). A
 * published post's data digest (layout's postd) covers all it reads of
 * the post. */
static void
hash_entry(struct hashfeed *st, const struct site *s, const struct entry *e,
    const XXH128_hash_t *postd)
{
	const struct post *p = e->p;
	size_t k;

	if (postd && p->rank < s->nposts && s->posts[p->rank] == p) {
		hashfeed_add(st, "P", 1);
		hashfeed_add(st, &postd[p->rank], sizeof *postd);
		hashfeed_str(st, e->context);
		return;
	}
	hashfeed_add(st, "E", 1);

	hashfeed_str(st, p->url);
	hashfeed_str(st, p->meta.title);
	hashfeed_add(st, &p->date, sizeof p->date);
	hashfeed_str(st, e->context);
	hashfeed_add(st, &p->ntags, sizeof p->ntags);
	for (k = 0; k < p->ntags; k++)
		hashfeed_str(st, s->tags[p->tags[k]].name);
	hashfeed_str(st, p->summary);
	hashfeed_str(st, p->html);
}

typedef XXH128_hash_t entry_key;

/* The key of each entry: everything add_entry reads, the language, and
 * context (the program). */
static entry_key *
entry_keys(const struct site *s, const char *context, const struct entry *e, size_t n,
    const XXH128_hash_t *postd)
{
	struct hashfeed feed, *st = &feed;
	entry_key *keys = xcalloc(n + 1, sizeof *keys);
	XXH128_hash_t base;
	size_t i;

	hashfeed_init(st);
	hashfeed_str(st, "search entry 1");
	hashfeed_str(st, context);
	hashfeed_str(st, s->cfg.language);
	base = hashfeed_digest(st);	/* what every entry's key starts with */
	for (i = 0; i < n; i++) {
		hashfeed_reset(st);
		hashfeed_add(st, &base, sizeof base);
		hash_entry(st, s, &e[i], postd);
		keys[i] = hashfeed_digest(st);
	}
	hashfeed_release(st);
	return keys;
}

/*
 * The index is cut into parts, search/<name>.js, that search-index.js
 * lists in order: a part ends after an entry whose address hashes to 0
 * modulo 64 (so that an edit leaves the other parts' bounds as they
 * were), or at PART_MAX entries. A part is named after a hash of its
 * entries' bytes (and registers them under that name): a rebuild writes
 * only the parts whose entries changed, and a push no longer rewrites
 * megabytes of index for one post.
 */
#define PART_CUT	63
#define PART_MAX	512

/* The end (exclusive) of the part that starts at e[from]. */
static size_t
part_end(const struct entry *e, size_t n, size_t from)
{
	size_t i;

	for (i = from; i < n && i - from < PART_MAX; i++)
		if ((XXH3_64bits(e[i].p->url, strlen(e[i].p->url)) & PART_CUT) == 0)
			return i + 1;
	return i;
}

/*
 * What the previous build's index holds, for reuse: its record,
 * .ardoise/search (integers little-endian):
 *   "ardoise-search 4\n"
 *   per part: u8 'P', XXH3-128 of its entries' bytes (its name), XXH3-128
 *   of the part's file, u32 n, then per entry of that part: its key,
 *   u32 offset and u32 length in the part's file
 *   (an XXH3-128 is written as two u64, high then low)
 * Entry keys hash everything add_entry reads, so an entry found is the
 * entry this build would make, and a part whose entries all are is the
 * part this build would make: its bytes in the record are copied as they
 * are. Parts are mapped when an entry is copied from them, and checked
 * against their hash then. Version 3 was text: parsing and formatting
 * its hexadecimal keys was a third of a one-post rebuild's index.
 */
#define REC_HEAD	"ardoise-search 4\n"
#define REC_ENTRY	(16 + 4 + 4)

struct prev_part {
	char name[33];
	XXH128_hash_t sum;
	const char *map;	/* NULL until mapped */
	size_t len;
	int state;		/* 0 not mapped yet, 1 mapped and sound, -1 unusable */
	size_t first, n;	/* its entries in prev_index.v */
	const char *rec;	/* its bytes in the record, header and entries */
	size_t rec_len;
};

struct prev_entry {
	XXH128_hash_t key;
	size_t part, off, len;
};

struct prev_index {
	const char *dir;
	struct buf rec;
	struct prev_part *parts;
	size_t nparts;
	struct prev_entry *v;
	size_t n;
	size_t *slot;		/* index + 1 in v, 0: empty */
	size_t mask;
};

static void
prev_release(struct prev_index *pi)
{
	size_t i;

	for (i = 0; i < pi->nparts; i++)
		file_unmap(pi->parts[i].map, pi->parts[i].len);
	buf_release(&pi->rec);
	free(pi->parts);
	free(pi->v);
	free(pi->slot);
	memset(pi, 0, sizeof *pi);
}

static const struct prev_entry *
prev_find(const struct prev_index *pi, XXH128_hash_t key)
{
	size_t i, k;

	if (!pi->n)
		return NULL;
	for (i = (size_t)key.low64 & pi->mask; (k = pi->slot[i]) != 0; i = (i + 1) & pi->mask)
		if (XXH128_isEqual(pi->v[k - 1].key, key))
			return &pi->v[k - 1];
	return NULL;
}

static XXH128_hash_t
get_hash(struct bin_rd *r)
{
	XXH128_hash_t h;

	h.high64 = bin_u64(r);
	h.low64 = bin_u64(r);
	return h;
}

static void
put_hash(struct buf *b, XXH128_hash_t h)
{
	bin_put_u64(b, h.high64);
	bin_put_u64(b, h.low64);
}

/* Loads dir's record; leaves pi empty when it is missing or unsound. */
static void
prev_load(struct prev_index *pi, const char *dir)
{
	struct buf path = BUF_INIT;
	struct bin_rd r;
	size_t hl = strlen(REC_HEAD), pcap = 0, i, nslots;

	memset(pi, 0, sizeof *pi);
	buf_init(&pi->rec);
	pi->dir = dir;
	buf_printf(&path, "%s/.ardoise/search", dir);
	if (file_read(path.p, &pi->rec) < 0 || pi->rec.len < hl || memcmp(pi->rec.p, REC_HEAD, hl) != 0)
		goto bad;
	bin_rd_init(&r, pi->rec.p + hl, pi->rec.len - hl);
	while (r.p < r.end) {
		struct prev_part x;
		uint32_t n;

		memset(&x, 0, sizeof x);
		x.rec = (const char *)r.p;
		if (bin_u8(&r) != 'P')
			goto bad;
		hashfeed_hex(get_hash(&r), x.name);
		x.sum = get_hash(&r);
		n = bin_u32(&r);
		if (r.bad || (size_t)(r.end - r.p) / REC_ENTRY < n)
			goto bad;
		x.first = pi->n;
		x.n = n;
		pi->v = xrealloc(pi->v, (pi->n + n + 1) * sizeof *pi->v);
		for (i = 0; i < n; i++) {
			struct prev_entry *e = &pi->v[pi->n++];

			e->key = get_hash(&r);
			e->off = bin_u32(&r);
			e->len = bin_u32(&r);
			e->part = pi->nparts;
		}
		x.rec_len = (size_t)((const char *)r.p - x.rec);
		pi->parts = xgrow(pi->parts, &pcap, pi->nparts + 1, sizeof *pi->parts);
		pi->parts[pi->nparts++] = x;
	}
	for (nslots = 16; nslots < 2 * pi->n; nslots *= 2)
		;
	pi->slot = xcalloc(nslots, sizeof *pi->slot);
	pi->mask = nslots - 1;
	for (i = 0; i < pi->n; i++) {
		size_t at = (size_t)pi->v[i].key.low64 & pi->mask;

		while (pi->slot[at])
			at = (at + 1) & pi->mask;
		pi->slot[at] = i + 1;
	}
	buf_release(&path);
	return;
bad:
	buf_release(&path);
	prev_release(pi);
}

/* The bytes of a previous entry, from its part (mapped and checked the
 * first time), or NULL when that part cannot be used. */
static const char *
prev_bytes(struct prev_index *pi, const struct prev_entry *x)
{
	struct prev_part *pp = &pi->parts[x->part];

	if (pp->state == 0) {
		struct buf path = BUF_INIT;

		buf_printf(&path, "%s/search/%s.js", pi->dir, pp->name);
		pp->state = file_map(path.p, (const void **)&pp->map, &pp->len) == 0 &&
		    XXH128_isEqual(XXH3_128bits(pp->map, pp->len), pp->sum) ? 1 : -1;
		buf_release(&path);
	}
	if (pp->state < 0 || x->off > pp->len || x->len > pp->len - x->off)
		return NULL;
	return pp->map + x->off;
}

/* The previous build's part holding exactly the entries keys[0..n), in
 * that order, or NULL. */
static const struct prev_part *
prev_same_part(const struct prev_index *pi, const entry_key *keys, size_t n)
{
	const struct prev_entry *x = prev_find(pi, keys[0]);
	const struct prev_part *pp;
	size_t i;

	if (!x)
		return NULL;
	pp = &pi->parts[x->part];
	if (pp->n != n || !XXH128_isEqual(pi->v[pp->first].key, keys[0]))
		return NULL;
	for (i = 1; i < n; i++)
		if (!XXH128_isEqual(pi->v[pp->first + i].key, keys[i]))
			return NULL;
	return pp;
}

/* Reuses the previous build's part pp for the entries it holds: 1 when
 * done (its name in name, its bytes in rec), else 0. */
static int
reuse_part(struct worker *w, const struct prev_part *pp, char name[33], struct buf *rec)
{
	struct buf rel = BUF_INIT;
	char key[36];
	int ok;

	buf_printf(&rel, "search/%s.js", pp->name);
	memcpy(key, "x:", 2);
	hashfeed_hex(pp->sum, key + 2);
	ok = out_reuse(w->c->out, rel.p, key);
	if (ok) {
		buf_add(rec, pp->rec, pp->rec_len);
		memcpy(name, pp->name, 33);
	}
	buf_release(&rel);
	return ok;
}

/* Writes the part of entries e[0..n): its name into name, its record
 * into rec. */
static void
write_part(struct worker *w, const struct entry *e, const entry_key *keys, size_t n,
    struct prev_index *prev, char name[33], struct buf *rec)
{
	struct ctx *c = w->c;
	struct buf body = BUF_INIT, part = BUF_INIT, tmp = BUF_INIT;
	struct buf rel = BUF_INIT;
	XXH128_hash_t id;
	size_t i, head, *off = xcalloc(n + 1, sizeof *off), *len = xcalloc(n + 1, sizeof *len);
	int recorded;

	for (i = 0; i < n; i++) {
		const struct prev_entry *hit = prev ? prev_find(prev, keys[i]) : NULL;
		const char *bytes = hit ? prev_bytes(prev, hit) : NULL;

		buf_puts(&body, i ? ",\n" : "\n");
		off[i] = body.len;
		if (bytes)
			buf_add(&body, bytes, hit->len);
		else
			add_entry(c->site, &e[i], &body, &tmp);
		len[i] = body.len - off[i];
	}
	id = XXH3_128bits(body.p, body.len);
	hashfeed_hex(id, name);
	buf_printf(&rel, "search/%s.js", name);
	buf_printf(&part, "(window.ARDOISE_SEARCH_PARTS = window.ARDOISE_SEARCH_PARTS || {})[\"%s\"] = [",
	    rel.p);
	head = part.len;
	buf_add(&part, body.p, body.len);
	buf_puts(&part, "\n];\n");
	/* a part too large for the record's offsets is written, never reused */
	recorded = part.len <= UINT32_MAX;
	bin_put_u8(rec, 'P');
	put_hash(rec, id);
	put_hash(rec, XXH3_128bits(part.p, part.len));
	bin_put_u32(rec, recorded ? (uint32_t)n : 0);
	for (i = 0; recorded && i < n; i++) {
		put_hash(rec, keys[i]);
		bin_put_u32(rec, (uint32_t)(head + off[i]));
		bin_put_u32(rec, (uint32_t)len[i]);
	}
	if (out_write(c->out, rel.p, part.p, part.len, &w->d) < 0)
		w->rc = -1;
	free(off);
	free(len);
	buf_release(&body);
	buf_release(&part);
	buf_release(&tmp);
	buf_release(&rel);
}

/* search-index.js, its parts, and (keyed builds) the record. */
static void
write_index(struct worker *w)
{
	struct ctx *c = w->c;
	const char *prev_dir = c->opts->render_key ? out_previous(c->out) : NULL;
	struct prev_index prev;
	struct buf js = BUF_INIT, rec = BUF_INIT;
	size_t n, from, to;
	struct entry *e = collect(c->site, &n);
	entry_key *keys = entry_keys(c->site, c->opts->render_key ? c->opts->render_key : "", e, n,
	    c->opts->render_key ? c->postd : NULL);
	char name[33];

	memset(&prev, 0, sizeof prev);
	if (prev_dir)
		prev_load(&prev, prev_dir);
	buf_puts(&rec, REC_HEAD);
	buf_puts(&js, "/* ardoise search index: see DATA.md of the default theme.\n"
	    " * parts: scripts listing entries [url, title, date, date_iso, notebook, title_len, words, snippet] */\n"
	    "window.ARDOISE_SEARCH = {\"version\":2,\"lang\":");
	search_js_string(&js, c->site->cfg.language, strlen(c->site->cfg.language));
	buf_puts(&js, ",\"parts\":[");
	for (from = 0; from < n; from = to) {
		const struct prev_part *pp;

		to = part_end(e, n, from);
		if (!(c->opts->render_key && (pp = prev_same_part(&prev, keys + from, to - from)) &&
		    reuse_part(w, pp, name, &rec)))
			write_part(w, e + from, keys + from, to - from, prev_dir ? &prev : NULL, name, &rec);
		buf_printf(&js, "%s\n\"search/%s.js\"", from ? "," : "", name);
	}
	buf_puts(&js, "\n]};\n");
	if (out_write(c->out, "search-index.js", js.p, js.len, &w->d) < 0 ||
	    (c->opts->render_key && out_write(c->out, ".ardoise/search", rec.p, rec.len, &w->d) < 0))
		w->rc = -1;
	prev_release(&prev);
	free(keys);
	free(e);
	buf_release(&js);
	buf_release(&rec);
}

void
search_layout_job(struct worker *w)
{
	struct ctx *c = w->c;
	struct val *root;

	write_index(w);
	root = layout_new_page_root(c, "search", "search.html", layout_tstr(c, "search"));
	/* the page has its own box: the header's would be a second one */
	val_map_bool(root, "is_search", 1);
	layout_render(w, "search", "search.html", root);
}
