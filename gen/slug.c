#include "slug.h"

#include <string.h>

#include "buf.h"

/* U+00C0-U+00FF (UTF-8 0xc3 0x80-0xbf): the accented letters of French
 * and of the other Latin languages of the classroom, with their ASCII spelling */
static const char *const latin1[64] = {
	[0x80 - 0x80] = "a",	/* À */
	[0x81 - 0x80] = "a",	/* Á */
	[0x82 - 0x80] = "a",	/* Â */
	[0x83 - 0x80] = "a",	/* Ã */
	[0x84 - 0x80] = "a",	/* Ä */
	[0x85 - 0x80] = "a",	/* Å */
	[0x86 - 0x80] = "ae",	/* Æ */
	[0x87 - 0x80] = "c",	/* Ç */
	[0x88 - 0x80] = "e",	/* È */
	[0x89 - 0x80] = "e",	/* É */
	[0x8a - 0x80] = "e",	/* Ê */
	[0x8b - 0x80] = "e",	/* Ë */
	[0x8c - 0x80] = "i",	/* Ì */
	[0x8d - 0x80] = "i",	/* Í */
	[0x8e - 0x80] = "i",	/* Î */
	[0x8f - 0x80] = "i",	/* Ï */
	[0x91 - 0x80] = "n",	/* Ñ */
	[0x92 - 0x80] = "o",	/* Ò */
	[0x93 - 0x80] = "o",	/* Ó */
	[0x94 - 0x80] = "o",	/* Ô */
	[0x95 - 0x80] = "o",	/* Õ */
	[0x96 - 0x80] = "o",	/* Ö */
	[0x98 - 0x80] = "o",	/* Ø */
	[0x99 - 0x80] = "u",	/* Ù */
	[0x9a - 0x80] = "u",	/* Ú */
	[0x9b - 0x80] = "u",	/* Û */
	[0x9c - 0x80] = "u",	/* Ü */
	[0x9d - 0x80] = "y",	/* Ý */
	[0x9f - 0x80] = "ss",	/* ß */
	[0xa0 - 0x80] = "a",	/* à */
	[0xa1 - 0x80] = "a",	/* á */
	[0xa2 - 0x80] = "a",	/* â */
	[0xa3 - 0x80] = "a",	/* ã */
	[0xa4 - 0x80] = "a",	/* ä */
	[0xa5 - 0x80] = "a",	/* å */
	[0xa6 - 0x80] = "ae",	/* æ */
	[0xa7 - 0x80] = "c",	/* ç */
	[0xa8 - 0x80] = "e",	/* è */
	[0xa9 - 0x80] = "e",	/* é */
	[0xaa - 0x80] = "e",	/* ê */
	[0xab - 0x80] = "e",	/* ë */
	[0xac - 0x80] = "i",	/* ì */
	[0xad - 0x80] = "i",	/* í */
	[0xae - 0x80] = "i",	/* î */
	[0xaf - 0x80] = "i",	/* ï */
	[0xb1 - 0x80] = "n",	/* ñ */
	[0xb2 - 0x80] = "o",	/* ò */
	[0xb3 - 0x80] = "o",	/* ó */
	[0xb4 - 0x80] = "o",	/* ô */
	[0xb5 - 0x80] = "o",	/* õ */
	[0xb6 - 0x80] = "o",	/* ö */
	[0xb8 - 0x80] = "o",	/* ø */
	[0xb9 - 0x80] = "u",	/* ù */
	[0xba - 0x80] = "u",	/* ú */
	[0xbb - 0x80] = "u",	/* û */
	[0xbc - 0x80] = "u",	/* ü */
	[0xbd - 0x80] = "y",	/* ý */
	[0xbf - 0x80] = "y",	/* ÿ */
};

/* U+0140-U+017F (UTF-8 0xc5 0x80-0xbf): the French ligature and Ÿ */
static const char *const latin_ext[64] = {
	[0x92 - 0x80] = "oe",	/* Œ */
	[0x93 - 0x80] = "oe",	/* œ */
	[0xb8 - 0x80] = "y",	/* Ÿ */
};

void
slugify(const char *s, size_t n, struct buf *out)
{
	size_t start = out->len, i = 0;
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
			/* a letter of two bytes looked up by its second */
			if ((c == 0xc3 || c == 0xc5) && i + 1 < n &&
			    ((unsigned char)s[i + 1] & 0xc0) == 0x80) {
				size_t at = (unsigned char)s[i + 1] - 0x80u;

				rep = c == 0xc3 ? latin1[at] : latin_ext[at];
				used = 2;
			}
			if (!rep) {
				/* skip the rest of an unknown UTF-8 sequence */
				used = 1;
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
