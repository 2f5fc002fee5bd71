/* libFuzzer: Markdown with media and link rewriting (md_render). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "md.h"

static const char transcript[] = "Une *transcription* avec ![image](x.png).";

static int
resolve(void *data, enum md_ref kind, const char *url, const char *title, int line,
    int col, struct buf *out, struct md_media *media, struct diag *d)
{
	(void)data;
	(void)title;
	/* every other reference fails, to exercise both paths */
	if (strlen(url) % 3 == 0) {
		diag_error(d, "fuzz.md", line, col, "no \"%s\"", url);
		return -1;
	}
	buf_puts(out, "../");
	buf_puts(out, url);
	if (kind == MD_REF_IMAGE && media) {
		media->width = 640;
		media->height = 480;
		media->size = 12345;
		if (strlen(url) % 2) {
			media->transcript = transcript;
			media->transcript_len = sizeof transcript - 1;
		}
	}
	return 0;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	md_global_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct md_opts o = { 0 };
	struct buf html = BUF_INIT, sum = BUF_INIT;
	struct diag d;

	o.path = "fuzz.md";
	o.resolve = resolve;
	o.lang = size && (data[0] & 1) ? "en" : "fr";
	diag_init(&d);
	md_render((const char *)data, size, &o, &html, &sum, &d);
	buf_release(&html);
	buf_release(&sum);
	diag_release(&d);
	return 0;
}
