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
	XXH3_128bits_reset(h->st);
	h->n = 0;
}

void
hashfeed_flush(struct hashfeed *h)
{
	if (h->n)
		XXH3_128bits_update(h->st, h->b, h->n);
	h->n = 0;
}

XXH128_hash_t
hashfeed_digest(struct hashfeed *h)
{
	hashfeed_flush(h);
	return XXH3_128bits_digest(h->st);
}
