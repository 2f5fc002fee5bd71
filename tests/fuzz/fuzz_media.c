/* libFuzzer: picture headers (media_image_size, media_image_plain) for every format. */
#include <stddef.h>
#include <stdint.h>

#include "media.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "a.png", "a.jpg", "a.gif", "a.webp", "a.svg" };
	int w, h;

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		media_image_size((const char *)data, size, names[i], &w, &h);
	media_image_plain((const char *)data, size, &w, &h);
	return 0;
}
