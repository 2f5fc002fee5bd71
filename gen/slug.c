#include "slug.h"

#include <string.h>

#include "buf.h"

/* Latin letters with diacritics found in French (and common in other
 * languages of the classroom), as UTF-8, with their ASCII spelling. */
static const struct {
	const char *utf8;
	const char *ascii;
} translit[] = {
	{ "à", "a" }, { "á", "a" }, { "â", "a" }, { "ä", "a" }, { "ã", "a" }, { "å", "a" },
	{ "À", "a" }, { "Á", "a" }, { "Â", "a" }, { "Ä", "a" }, { "Ã", "a" }, { "Å", "a" },
	{ "æ", "ae" }, { "Æ", "ae" }, { "ç", "c" }, { "Ç", "c" },
	{ "è", "e" }, { "é", "e" }, { "ê", "e" }, { "ë", "e" },
	{ "È", "e" }, { "É", "e" }, { "Ê", "e" }, { "Ë", "e" },
	{ "ì", "i" }, { "í", "i" }, { "î", "i" }, { "ï", "i" },
	{ "Ì", "i" }, { "Í", "i" }, { "Î", "i" }, { "Ï", "i" },
	{ "ñ", "n" }, { "Ñ", "n" },
	{ "ò", "o" }, { "ó", "o" }, { "ô", "o" }, { "ö", "o" }, { "õ", "o" }, { "ø", "o" },
	{ "Ò", "o" }, { "Ó", "o" }, { "Ô", "o" }, { "Ö", "o" }, { "Õ", "o" }, { "Ø", "o" },
	{ "œ", "oe" }, { "Œ", "oe" }, { "ß", "ss" },
	{ "ù", "u" }, { "ú", "u" }, { "û", "u" }, { "ü", "u" },
	{ "Ù", "u" }, { "Ú", "u" }, { "Û", "u" }, { "Ü", "u" },
	{ "ý", "y" }, { "ÿ", "y" }, { "Ý", "y" }, { "Ÿ", "y" },
};

void
slugify(const char *s, size_t n, struct buf *out)
{
	size_t start = out->len, i = 0, k;
	int hyphen = 0;		/* a separator is pending */

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		const char *rep = NULL;
		size_t used = 1;

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			rep = NULL;
		} else if (c >= 'A' && c <= 'Z') {
			c = (unsigned char)(c - 'A' + 'a');
		} else if (c >= 0x80) {
			for (k = 0; k < sizeof translit / sizeof translit[0]; k++) {
				const char *u = translit[k].utf8;
				size_t m;

				/* two bytes first: a file name has thousands of letters to
				 * look up, and most entries differ there */
				if ((unsigned char)u[0] != c || i + 1 >= n || u[1] != s[i + 1])
					continue;
				m = strlen(u);
				if (m <= n - i && memcmp(s + i, u, m) == 0) {
					rep = translit[k].ascii;
					used = m;
					break;
				}
			}
			if (!rep) {
				/* skip the rest of an unknown UTF-8 sequence */
				while (i + used < n && ((unsigned char)s[i + used] & 0xc0) == 0x80)
					used++;
				hyphen = 1;
				i += used;
				continue;
			}
		} else {
			hyphen = 1;
			i++;
			continue;
		}
		if (hyphen && out->len > start)
			buf_putc(out, '-');
		hyphen = 0;
		if (rep)
			buf_puts(out, rep);
		else
			buf_putc(out, c);
		i += used;
	}
}

int
slug_valid(const char *s)
{
	const char *p;

	if (!*s || *s == '-')
		return 0;
	for (p = s; *p; p++) {
		if (*p == '-') {
			if (p[1] == '-' || p[1] == '\0')
				return 0;
		} else if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))) {
			return 0;
		}
	}
	return 1;
}
