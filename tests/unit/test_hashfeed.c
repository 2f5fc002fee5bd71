/* hashfeed: the digest is XXH3-128 of the bytes fed, however they came. */
#include <stdio.h>
#include <stdint.h>

#include "hashfeed.h"
#include "t.h"

/* Fed in pieces of every size up to 700 bytes, short and long inputs
 * (one-shot and streamed digests) give XXH3-128 of the whole. */
TEST(digest_is_xxh3_of_the_bytes)
{
	enum { MAX = 9000 };
	static unsigned char data[MAX];
	struct hashfeed h;
	uint32_t seed = 7;
	size_t len, step, at, wrong = 0, n;

	for (at = 0; at < MAX; at++) {
		seed = seed * 1103515245u + 12345u;
		data[at] = (unsigned char)(seed >> 16);
	}
	hashfeed_init(&h);
	for (len = 0; len < MAX; len += len < 4200 ? 97 : 1201) {
		for (step = 1; step <= 700; step = step * 3 + 1) {
			XXH128_hash_t got;

			hashfeed_reset(&h);
			for (at = 0; at < len; at += n) {
				n = len - at < step ? len - at : step;
				hashfeed_add(&h, data + at, n);
			}
			got = hashfeed_digest(&h);
			if (!XXH128_isEqual(got, XXH3_128bits(data, len)))
				wrong++;
		}
	}
	CHECK_INT(wrong, 0);
	/* a string is its length (with its NUL) and its bytes; NULL is 0 */
	hashfeed_reset(&h);
	hashfeed_str(&h, "ab");
	hashfeed_str(&h, NULL);
	{
		unsigned char want[2 * sizeof(size_t) + 3];
		size_t three = 3, zero = 0;

		memcpy(want, &three, sizeof three);
		memcpy(want + sizeof three, "ab", 3);
		memcpy(want + sizeof three + 3, &zero, sizeof zero);
		CHECK(XXH128_isEqual(hashfeed_digest(&h), XXH3_128bits(want, sizeof want)));
	}
	hashfeed_release(&h);
}

TEST(hex_digits)
{
	XXH128_hash_t v = { 0x0123456789abcdefULL, 0xfedcba9876543210ULL };
	char out[33];

	hashfeed_hex(v, out);
	CHECK_STR(out, "fedcba98765432100123456789abcdef");
	/* every byte, at every place, as printf writes it */
	{
		char want[17], got[17];
		unsigned b, wrong = 0;

		for (b = 0; b < 256; b++) {
			unsigned long long x = (unsigned long long)b << ((b % 8) * 8) |
			    (unsigned long long)(255 - b) << (((b + 3) % 8) * 8);

			snprintf(want, sizeof want, "%016llx", x);
			hashfeed_hex64(x, got);
			got[16] = '\0';
			wrong += strcmp(want, got) != 0;
		}
		CHECK_INT(wrong, 0);
	}
}

int
main(void)
{
	RUN(digest_is_xxh3_of_the_bytes);
	RUN(hex_digits);
	return t_summary();
}
