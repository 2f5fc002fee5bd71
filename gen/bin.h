/*
 * bin: the little-endian fields of ardoise's own cache files
 * (history_cache, postcache). Those files may be damaged or hostile: a
 * reader checks every length against the end, and after a failed read it
 * stays failed (bad) and returns zeros, so that a parser reads on and
 * looks at bad once.
 */
#ifndef ARDOISE_BIN_H
#define ARDOISE_BIN_H

#include <stddef.h>
#include <stdint.h>

struct buf;

struct bin_rd {
	const unsigned char *p, *end;
	int bad;
};

#define BIN_NONE 0xffffffffu

/* The readers are inline: a rebuild reads some 300,000 fields of the
 * post and history caches, and a call cost as much as the read. */

static inline void
bin_rd_init(struct bin_rd *r, const void *p, size_t n)
{
	r->p = p;
	r->end = r->p + n;
	r->bad = 0;
}

/* Whether n more bytes are there (else r is bad from now on). */
static inline int
bin_have(struct bin_rd *r, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n)
		r->bad = 1;
	return !r->bad;
}

static inline unsigned
bin_u8(struct bin_rd *r)
{
	return bin_have(r, 1) ? *r->p++ : 0;
}

static inline uint32_t
bin_u32(struct bin_rd *r)
{
	uint32_t v;

	if (!bin_have(r, 4))
		return 0;
	v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
	    (uint32_t)r->p[3] << 24;
	r->p += 4;
	return v;
}

static inline uint64_t
bin_u64(struct bin_rd *r)
{
	uint32_t lo = bin_u32(r), hi = bin_u32(r);

	return (uint64_t)hi << 32 | lo;
}

/* A u32 length and that many bytes, in place: 1 with *s and *n set, 0 for
 * the length 0xffffffff (none; *s NULL) or when bad. */
static inline int
bin_span(struct bin_rd *r, const char **s, size_t *n)
{
	uint32_t len = bin_u32(r);

	*s = NULL;
	*n = 0;
	if (r->bad || len == BIN_NONE || !bin_have(r, len))
		return 0;
	*s = (const char *)r->p;
	*n = len;
	r->p += len;
	return 1;
}

/* A span followed by a NUL that it does not count: *s is a C string in
 * place, borrowed for as long as the bytes live (a NUL within only ends
 * it early; the writer, bin_put_cstr, writes none). */
static inline int
bin_cstr(struct bin_rd *r, const char **s, size_t *n)
{
	if (!bin_span(r, s, n))
		return 0;
	if (!bin_have(r, 1) || *r->p != '\0') {
		r->bad = 1;
		*s = NULL;
		*n = 0;
		return 0;
	}
	r->p++;
	return 1;
}

void bin_put_u8(struct buf *b, unsigned v);
void bin_put_u32(struct buf *b, uint32_t v);
void bin_put_u64(struct buf *b, uint64_t v);
/* Overwrites the four bytes at b->p[at] (written by bin_put_u32) with v:
 * a length known only once what it measures is written. */
void bin_set_u32(struct buf *b, size_t at, uint32_t v);
/* A u32 length and the bytes; s NULL writes the length 0xffffffff. */
void bin_put_span(struct buf *b, const char *s, size_t n);
/* A span of s and a NUL (bin_cstr); NULL writes the length 0xffffffff. */
void bin_put_cstr(struct buf *b, const char *s);

#endif
