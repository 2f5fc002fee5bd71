/* libFuzzer: the MP4/MOV box cleaner (mp4_clean), reading and cleaning. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mp4clean.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *copy = malloc(size ? size : 1);
	struct mp4_info info;
	char err[256];

	memcpy(copy, data, size);
	mp4_clean(copy, size, 0, &info, err, sizeof err);
	if (mp4_clean(copy, size, 1, &info, err, sizeof err) == 0) {
		/* cleaning is idempotent: a cleaned file cleans to itself */
		unsigned char *again = malloc(size ? size : 1);

		memcpy(again, copy, size);
		if (mp4_clean(again, size, 1, &info, err, sizeof err) != 0 ||
		    memcmp(again, copy, size) != 0)
			abort();
		free(again);
	}
	free(copy);
	return 0;
}
