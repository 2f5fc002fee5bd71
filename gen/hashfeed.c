/* hashfeed: see hashfeed.h. */
#include "hashfeed.h"

#include "util.h"

void
hashfeed_init(struct hashfeed *h)
{
	if ((h->st = XXH3_createState()) == NULL)
		die_oom();
	hashfeed_reset(h);
}

void
hashfeed_release(struct hashfeed *h)
{
	XXH3_freeState(h->st);
	h->st = NULL;
}

void
hashfeed_reset(struct hashfeed *h)
{
	h->streaming = 0;	/* the state is reset when first fed */
	h->n = 0;
}

void
hashfeed_flush(struct hashfeed *h)
{
	if (!h->streaming) {
		XXH3_128bits_reset(h->st);
		h->streaming = 1;
	}
	if (h->n)
		XXH3_128bits_update(h->st, h->b, h->n);
	h->n = 0;
}

XXH128_hash_t
hashfeed_digest(struct hashfeed *h)
{
	if (!h->streaming)
		return XXH3_128bits(h->b, h->n);
	hashfeed_flush(h);
	return XXH3_128bits_digest(h->st);
}

void
hashfeed_str(struct hashfeed *h, const char *s)
{
	size_t n = s ? strlen(s) + 1 : 0;

	hashfeed_add(h, &n, sizeof n);
	if (s)
		hashfeed_add(h, s, n);
}

/* The two hexadecimal digits of each byte: a page key is written out for
 * each of the 18,000 pages of a rebuild at 10,000 posts */
#define HEX_PAIR(a, b) { a, b },
#define HEX_ROW(a) HEX_PAIR(a, '0') HEX_PAIR(a, '1') HEX_PAIR(a, '2') HEX_PAIR(a, '3') \
	HEX_PAIR(a, '4') HEX_PAIR(a, '5') HEX_PAIR(a, '6') HEX_PAIR(a, '7') HEX_PAIR(a, '8') \
	HEX_PAIR(a, '9') HEX_PAIR(a, 'a') HEX_PAIR(a, 'b') HEX_PAIR(a, 'c') HEX_PAIR(a, 'd') \
	HEX_PAIR(a, 'e') HEX_PAIR(a, 'f')
static const char hex_pairs[256][2] = {
	HEX_ROW('0') HEX_ROW('1') HEX_ROW('2') HEX_ROW('3') HEX_ROW('4') HEX_ROW('5')
	HEX_ROW('6') HEX_ROW('7') HEX_ROW('8') HEX_ROW('9') HEX_ROW('a') HEX_ROW('b')
	HEX_ROW('c') HEX_ROW('d') HEX_ROW('e') HEX_ROW('f')
};

void
hashfeed_hex64(unsigned long long v, char out[16])
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		memcpy(out + 2 * i, hex_pairs[v & 0xff], 2);
}

void
hashfeed_hex(XXH128_hash_t h, char out[33])
{
	hashfeed_hex64(h.high64, out);
	hashfeed_hex64(h.low64, out + 16);
	out[32] = '\0';
}
