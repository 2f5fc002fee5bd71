#include "names.h"

#include <string.h>

#include "buf.h"
#include "diag.h"
#include "util.h"

/*
 * One name of a set: the exact bytes, a NUL, the folded bytes, a NUL.
 * Folding keeps the byte length (see fold), so both halves are len bytes.
 */
struct names_entry {
	uint64_t hash;		/* of the folded bytes */
	size_t len;
	char s[];
};

/* Device names Windows opens instead of a file, whatever the extension.
 * COM and LPT followed by a digit or a superscript are handled apart. */
static const char *const reserved[] = {
	"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
};

static int
ascii_upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

/* Compares s[0..n) with the upper-case ASCII word w, ignoring ASCII case. */
static int
word_eq(const char *s, size_t n, const char *w)
{
	size_t i;

	if (strlen(w) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (ascii_upper((unsigned char)s[i]) != w[i])
			return 0;
	return 1;
}

/*
 * Windows looks at the name before the first dot with its trailing spaces
 * removed, so "con.txt", "CON.tar.gz" and "con .md" are all the console.
 */
static int
is_reserved(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && s[i] != '.'; i++)
		;
	n = i;
	while (n > 0 && s[n - 1] == ' ')
		n--;
	for (i = 0; i < ARRAY_LEN(reserved); i++)
		if (word_eq(s, n, reserved[i]))
			return 1;
	if (n < 4 || !(word_eq(s, 3, "COM") || word_eq(s, 3, "LPT")))
		return 0;
	if (n == 4 && s[3] >= '0' && s[3] <= '9')
		return 1;
	/* superscript one, two, three: U+00B9, U+00B2, U+00B3 */
	return n == 5 && (unsigned char)s[3] == 0xc2 &&
	    ((unsigned char)s[4] == 0xb9 || (unsigned char)s[4] == 0xb2 ||
	    (unsigned char)s[4] == 0xb3);
}

static const char *
path_problem(const char *path)
{
	size_t n = strlen(path), chars = 0, i;
	const char *p = path;

	if (n == 0)
		return N_("the path is empty");
	if (!utf8_valid(path, n))
		return N_("it is not valid UTF-8 text");
	for (i = 0; i < n; i++)
		chars += ((unsigned char)path[i] & 0xc0) != 0x80;
	for (;;) {
		size_t len = strcspn(p, "/"), units = 0;

		if (len == 0)
			return N_("a folder or file name is empty (a slash at the start or the end, or two in a row)");
		for (i = 0; i < len; i++) {
			unsigned char c = (unsigned char)p[i];

			if (c < 0x20 || c == 0x7f)
				return N_("it contains a control character");
			if (strchr("<>:\"\\|?*", c))
				return N_("it contains one of the characters < > : \" \\ | ? * which Windows refuses in names");
			/* a code point past U+FFFF takes two UTF-16 units */
			if ((c & 0xc0) != 0x80)
				units += c >= 0xf0 ? 2 : 1;
		}
		if (p[len - 1] == ' ' || p[len - 1] == '.')
			return N_("a folder or file name ends with a space or a dot, which Windows drops");
		if (is_reserved(p, len))
			return N_("a folder or file name is a device name of Windows (CON, PRN, AUX, NUL, COM1 to COM9, LPT1 to LPT9), with or without an extension");
		if (units > NAMES_MAX_NAME)
			return N_("a folder or file name is longer than 255 characters");
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	if (chars > NAMES_MAX_PATH)
		return N_("the path is longer than 200 characters");
	return NULL;
}

int
names_check_path(const char *path, struct buf *why)
{
	const char *problem = path_problem(path);

	if (!problem)
		return 0;
	if (why)
		buf_puts(why, problem);
	return -1;
}

/*
 * The lower-case form of a Latin letter as Windows compares names: ASCII,
 * Latin-1 (À-Þ but not ×) and the pairs of Latin Extended-A, leaving out
 * the dotted and dotless i (U+0130, U+0131), which have no simple pair.
 * Every result has the byte length of its input in UTF-8.
 */
static uint32_t
fold_cp(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c >= 0xc0 && c <= 0xde && c != 0xd7)
		return c + 32;
	if (c == 0x178)
		return 0xff;
	if (((c >= 0x100 && c <= 0x12f) || (c >= 0x132 && c <= 0x137) ||
	    (c >= 0x14a && c <= 0x177)) && c % 2 == 0)
		return c + 1;
	if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e)) && c % 2 == 1)
		return c + 1;
	return c;
}

/* Writes the folded form of s[0..n) to out (n bytes, then a NUL). Bytes
 * that do not start a two-byte sequence are copied: every letter folded
 * is ASCII or two bytes long, and invalid UTF-8 must not stop the check. */
static void
fold(const char *s, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 'A' && c <= 'Z') {
			out[i] = (char)(c + 32);
		} else if (c >= 0xc3 && c <= 0xc5 && i + 1 < n &&
		    ((unsigned char)s[i + 1] & 0xc0) == 0x80) {
			uint32_t cp = (uint32_t)(c & 0x1f) << 6 | ((unsigned char)s[i + 1] & 0x3f);

			cp = fold_cp(cp);
			out[i] = (char)(0xc0 | cp >> 6);
			out[i + 1] = (char)(0x80 | (cp & 0x3f));
			i++;
		} else {
			out[i] = (char)c;
		}
	}
	out[n] = '\0';
}

void
names_init(struct names_set *s)
{
	s->slots = NULL;
	s->cap = s->len = 0;
}

void
names_release(struct names_set *s)
{
	size_t i;

	for (i = 0; i < s->cap; i++)
		free(s->slots[i]);
	free(s->slots);
	names_init(s);
}

static void
place(struct names_entry **slots, size_t cap, struct names_entry *e)
{
	size_t i = (size_t)e->hash & (cap - 1);

	while (slots[i])
		i = (i + 1) & (cap - 1);
	slots[i] = e;
}

/* Keeps the table at most half full so that probe runs stay short. */
static void
grow(struct names_set *s)
{
	struct names_entry **slots;
	size_t cap, i;

	if (s->cap && s->len + 1 <= s->cap / 2)
		return;
	cap = s->cap ? s->cap * 2 : 64;
	if (cap / 2 < s->len + 1)
		die_oom();
	slots = xcalloc(cap, sizeof *slots);
	for (i = 0; i < s->cap; i++)
		if (s->slots[i])
			place(slots, cap, s->slots[i]);
	free(s->slots);
	s->slots = slots;
	s->cap = cap;
}

/*
 * Looks name[0..len) (folded: folded[0..len)) up. Returns 1 when the exact
 * name is there; otherwise 0, with *same set to the first name equal once
 * folded, or NULL.
 */
static int
lookup(const struct names_set *s, const char *name, const char *folded,
    size_t len, uint64_t hash, const struct names_entry **same)
{
	size_t i;

	*same = NULL;
	if (s->cap == 0)
		return 0;
	for (i = (size_t)hash & (s->cap - 1); s->slots[i]; i = (i + 1) & (s->cap - 1)) {
		const struct names_entry *e = s->slots[i];

		if (e->hash != hash || e->len != len ||
		    memcmp(e->s + len + 1, folded, len) != 0)
			continue;
		if (memcmp(e->s, name, len) == 0)
			return 1;
		if (!*same)
			*same = e;
	}
	return 0;
}

static void
insert(struct names_set *s, const char *name, const char *folded, size_t len,
    uint64_t hash)
{
	struct names_entry *e;

	if (len > SIZE_MAX / 2 - sizeof *e - 2)
		die_oom();
	e = xmalloc(sizeof *e + 2 * len + 2);
	e->hash = hash;
	e->len = len;
	memcpy(e->s, name, len);
	e->s[len] = '\0';
	memcpy(e->s + len + 1, folded, len);
	e->s[2 * len + 1] = '\0';
	grow(s);
	place(s->slots, s->cap, e);
	s->len++;
}

int
names_add(struct names_set *s, const char *path, const char **clash)
{
	size_t n = strlen(path), i;
	char *folded = xmalloc(n + 1);
	/* FNV-1a, 64 bits: the hash of each folder is a step of the path's */
	uint64_t h = 0xcbf29ce484222325u;
	int found = 0;

	fold(path, n, folded);
	for (i = 0; i <= n; i++) {
		const struct names_entry *same;

		if (i < n && path[i] != '/') {
			h = (h ^ (unsigned char)folded[i]) * 0x100000001b3u;
			continue;
		}
		if (!lookup(s, path, folded, i, h, &same)) {
			if (same && !found) {
				found = 1;
				if (clash)
					*clash = same->s;
			}
			insert(s, path, folded, i, h);
		}
		if (i < n)
			h = (h ^ '/') * 0x100000001b3u;
	}
	free(folded);
	return found;
}

/* Writes bytes in MB with at most one decimal, rounded up when up is set
 * (a file just over the limit must not read as equal to it). */
static void
mb_text(struct buf *b, uint64_t bytes, int up)
{
	uint64_t rest = bytes % 100000;
	uint64_t tenths = bytes / 100000 + (up ? rest != 0 : rest >= 50000);

	if (tenths % 10 == 0)
		buf_printf(b, "%llu", (unsigned long long)(tenths / 10));
	else
		buf_printf(b, "%llu.%u", (unsigned long long)(tenths / 10),
		    (unsigned)(tenths % 10));
}

int
names_check_sizes(const struct names_file *files, size_t n, uint64_t max_media,
    struct diag *d)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	size_t i;
	int errors = 0;

	for (i = 0; i < n; i++) {
		if (files[i].media && max_media && files[i].size > max_media) {
			buf_reset(&a);
			buf_reset(&b);
			mb_text(&a, files[i].size, 1);
			mb_text(&b, max_media, 0);
			diag_error(d, files[i].path, 0, 0, _("media file \"%s\" is %s MB, over the limit of %s MB: make the video shorter or smaller (lower resolution or quality), or split it, or raise media_max_mb in ardoise.yml"),
			    files[i].path, a.p, b.p);
			errors++;
		}
	}
	buf_release(&a);
	buf_release(&b);
	return errors;
}

int
names_check_tree(const struct names_file *files, size_t n, uint64_t max_media,
    struct diag *d)
{
	struct names_set set;
	struct buf why = BUF_INIT, a = BUF_INIT;
	size_t i;
	int errors = 0;

	if (!files && n > 0)
		return -1;
	names_init(&set);
	for (i = 0; i < n; i++) {
		const char *path = files[i].path, *clash;

		buf_reset(&why);
		if (names_check_path(path, &why) < 0) {
			diag_error(d, path, 0, 0, _("file name \"%s\" cannot be copied to a USB stick (FAT32) or opened on Windows: %s; rename it"),
			    path, _(why.p));
			errors++;
		}
		if (names_add(&set, path, &clash)) {
			buf_reset(&a);
			buf_add(&a, path, strlen(clash));
			diag_error(d, path, 0, 0, _("\"%s\" and \"%s\" differ only by upper/lower case: a USB stick (FAT32) cannot hold both; rename one"),
			    clash, a.p);
			errors++;
		}
		errors += names_check_sizes(&files[i], 1, max_media, d);
	}
	names_release(&set);
	buf_release(&why);
	buf_release(&a);
	return errors;
}
