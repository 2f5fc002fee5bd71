/* utf8_check: the length of the valid UTF-8 prefix, without NUL. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "util.h"

/* The definition, a byte at a time: the checked function must agree. */
static size_t
reference(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = p[i], cp;
		size_t k, j;

		if (c == 0)
			return i;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			k = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			k = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			k = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (n - i <= k)
			return i;
		for (j = 1; j <= k; j++) {
			if ((p[i + j] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (p[i + j] & 0x3f);
		}
		if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) ||
		    (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += k + 1;
	}
	return n;
}

TEST(known_strings)
{
	CHECK_INT(utf8_check("", 0), 0);
	CHECK_INT(utf8_check("Sortie au musée d'Amiens", strlen("Sortie au musée d'Amiens")),
	    strlen("Sortie au musée d'Amiens"));
	/* a NUL in the middle of an ASCII run of eight and more */
	CHECK_INT(utf8_check("abcdefgh\0jklmnopq", 17), 8);
	CHECK_INT(utf8_check("abcdefghijk\0mnop", 16), 11);
	/* a stray continuation byte, an overlong form, a surrogate, too high */
	CHECK_INT(utf8_check("abcdefghij\x80", 11), 10);
	CHECK_INT(utf8_check("abcdefghij\xc0\xaf", 12), 10);
	CHECK_INT(utf8_check("abcdefghij\xed\xa0\x80", 13), 10);
	CHECK_INT(utf8_check("abcdefghij\xf4\x90\x80\x80", 14), 10);
	/* a sequence cut by the end */
	CHECK_INT(utf8_check("abcdefghij\xc3", 11), 10);
	CHECK(utf8_valid("ŒUVRE — été 🎵", strlen("ŒUVRE — été 🎵")));
}

TEST(random_text_as_the_definition)
{
	/* mostly ASCII, with letters of two to four bytes, broken bytes
	 * and NULs at every offset */
	static const char *const bits[] = { "abcdefgh", "é", "€", "🎵", "x", " ", "\n",
		"\x80", "\xc3", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf", "", "Le potager" };
	unsigned char s[256];
	uint32_t seed = 99;
	size_t wrong = 0, t;

	for (t = 0; t < 200000; t++) {
		size_t n = 0;

		while (n < 200) {
			const char *b;
			size_t l;

			seed = seed * 1103515245u + 12345u;
			b = bits[(seed >> 8) % (sizeof bits / sizeof bits[0])];
			l = strlen(b);
			if (l == 0) {
				/* rare NULs */
				if ((seed >> 20) % 8)
					continue;
				s[n++] = 0;
				continue;
			}
			memcpy(s + n, b, l);
			n += l;
		}
		seed = seed * 1103515245u + 12345u;
		n = (seed >> 8) % n;
		if (utf8_check((const char *)s, n) != reference(s, n))
			wrong++;
	}
	CHECK_INT(wrong, 0);
}

int
main(void)
{
	RUN(known_strings);
	RUN(random_text_as_the_definition);
	return t_summary();
}
