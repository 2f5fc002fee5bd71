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

void
hashfeed_hex64(unsigned long long v, char out[16])
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 15; i >= 0; i--, v >>= 4)
		out[i] = hex[v & 15];
}

void
hashfeed_hex(XXH128_hash_t h, char out[33])
{
	hashfeed_hex64(h.high64, out);
	hashfeed_hex64(h.low64, out + 16);
	out[32] = '\0';
}
