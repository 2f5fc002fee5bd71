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

void bin_rd_init(struct bin_rd *r, const void *p, size_t n);
unsigned bin_u8(struct bin_rd *r);
uint32_t bin_u32(struct bin_rd *r);
uint64_t bin_u64(struct bin_rd *r);
/* A u32 length and that many bytes, in place: 1 with *s and *n set, 0 for
 * the length 0xffffffff (none; *s NULL) or when bad. */
int bin_span(struct bin_rd *r, const char **s, size_t *n);
/* A span followed by a NUL that it does not count: *s is a C string in
 * place, borrowed for as long as the bytes live (a NUL within only ends
 * it early; the writer, bin_put_cstr, writes none). */
int bin_cstr(struct bin_rd *r, const char **s, size_t *n);

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

#define BIN_NONE 0xffffffffu

#endif
