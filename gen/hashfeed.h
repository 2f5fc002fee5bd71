/*
 * hashfeed: XXH3-128 fed through a buffer. The streaming API costs tens
 * of nanoseconds a call, and a page key or a search entry key is made of
 * hundreds of small fields (type bytes, lengths, short strings); they are
 * gathered here and passed on in blocks. The digest is the one XXH3
 * would give fed directly, byte for byte. A digest of no more than the
 * buffer holds is taken in one call (XXH3_128bits), without the streaming
 * state's setup and finish, which cost more than hashing a short key.
 */
#ifndef ARDOISE_HASHFEED_H
#define ARDOISE_HASHFEED_H

#include <stddef.h>
#include <string.h>

#include "xxh.h"

struct hashfeed {
	XXH3_state_t *st;
	int streaming;		/* st was fed since the last reset */
	size_t n;
	unsigned char b[2048];
};

/* Init allocates the state (aborts when out of memory); release frees. */
void hashfeed_init(struct hashfeed *h);
void hashfeed_release(struct hashfeed *h);
/* Starts a new digest. */
void hashfeed_reset(struct hashfeed *h);
void hashfeed_flush(struct hashfeed *h);
XXH128_hash_t hashfeed_digest(struct hashfeed *h);
/* A string or NULL, fed as its length (0 for NULL, else with its NUL)
 * and bytes, so that two sequences of strings never feed the same bytes. */
void hashfeed_str(struct hashfeed *h, const char *s);
/* The 16 lower-case hexadecimal digits of v (no NUL). */
void hashfeed_hex64(unsigned long long v, char out[16]);
/* The 32 lower-case hexadecimal digits of h (high half first) and a NUL. */
void hashfeed_hex(XXH128_hash_t h, char out[33]);

static inline void
hashfeed_add(struct hashfeed *h, const void *p, size_t n)
{
	if (n > sizeof h->b - h->n) {
		hashfeed_flush(h);
		if (n > sizeof h->b / 2) {
			XXH3_128bits_update(h->st, p, n);
			return;
		}
	}
	memcpy(h->b + h->n, p, n);
	h->n += n;
}

#endif
