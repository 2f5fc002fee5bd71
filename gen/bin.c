#include "bin.h"

#include <string.h>

#include "buf.h"

void
bin_put_u8(struct buf *b, unsigned v)
{
	buf_putc(b, (char)(unsigned char)v);
}

void
bin_put_u32(struct buf *b, uint32_t v)
{
	unsigned char c[4] = { (unsigned char)v, (unsigned char)(v >> 8),
	    (unsigned char)(v >> 16), (unsigned char)(v >> 24) };

	buf_add(b, c, 4);
}

void
bin_set_u32(struct buf *b, size_t at, uint32_t v)
{
	size_t i;

	for (i = 0; i < 4; i++)
		b->p[at + i] = (char)(unsigned char)(v >> 8 * i);
}

void
bin_put_u64(struct buf *b, uint64_t v)
{
	bin_put_u32(b, (uint32_t)v);
	bin_put_u32(b, (uint32_t)(v >> 32));
}

void
bin_put_span(struct buf *b, const char *s, size_t n)
{
	if (!s) {
		bin_put_u32(b, BIN_NONE);
		return;
	}
	bin_put_u32(b, (uint32_t)n);
	buf_add(b, s, n);
}

void
bin_put_cstr(struct buf *b, const char *s)
{
	if (!s) {
		bin_put_u32(b, BIN_NONE);
		return;
	}
	bin_put_span(b, s, strlen(s));
	buf_putc(b, '\0');
}
