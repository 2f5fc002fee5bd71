#include "bin.h"

#include <string.h>

#include "buf.h"

void
bin_rd_init(struct bin_rd *r, const void *p, size_t n)
{
	r->p = p;
	r->end = r->p + n;
	r->bad = 0;
}

static int
have(struct bin_rd *r, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n)
		r->bad = 1;
	return !r->bad;
}

unsigned
bin_u8(struct bin_rd *r)
{
	return have(r, 1) ? *r->p++ : 0;
}

uint32_t
bin_u32(struct bin_rd *r)
{
	uint32_t v;

	if (!have(r, 4))
		return 0;
	v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
	    (uint32_t)r->p[3] << 24;
	r->p += 4;
	return v;
}

uint64_t
bin_u64(struct bin_rd *r)
{
	uint32_t lo = bin_u32(r), hi = bin_u32(r);

	return (uint64_t)hi << 32 | lo;
}

int
bin_span(struct bin_rd *r, const char **s, size_t *n)
{
	uint32_t len = bin_u32(r);

	*s = NULL;
	*n = 0;
	if (r->bad || len == BIN_NONE || !have(r, len))
		return 0;
	*s = (const char *)r->p;
	*n = len;
	r->p += len;
	return 1;
}

int
bin_cstr(struct bin_rd *r, const char **s, size_t *n)
{
	if (!bin_span(r, s, n))
		return 0;
	if (!have(r, 1) || *r->p != '\0') {
		r->bad = 1;
		*s = NULL;
		*n = 0;
		return 0;
	}
	r->p++;
	return 1;
}

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
