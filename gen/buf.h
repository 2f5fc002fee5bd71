/*
 * buf: the one growable byte buffer of ardoise.
 *
 * Invariants: after buf_init() (or BUF_INIT) `p` is never NULL and
 * p[len] == '\0', so a buffer can always be used as a C string (it may
 * also hold NUL bytes inside). `cap` is 0 while `p` points at a shared
 * empty string; any write allocates. The buffer owns `p`; buf_detach()
 * is the only way to take ownership of it out, buf_release() frees it.
 * Allocation failure aborts (see xmalloc in util.h).
 */
#ifndef ARDOISE_BUF_H
#define ARDOISE_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct buf {
	char *p;
	size_t len, cap;
};

extern char buf_empty[];
#define BUF_INIT { buf_empty, 0, 0 }

void buf_init(struct buf *b);
/* Frees the storage and leaves b initialised and empty. */
void buf_release(struct buf *b);
/* Makes room for `extra` more bytes (plus the NUL). */
void buf_grow(struct buf *b, size_t extra);
/* Empties the buffer, keeping its storage. */
void buf_reset(struct buf *b);
void buf_truncate(struct buf *b, size_t len);
/* buf_add and buf_putc when the storage must grow first. */
void buf_add_grow(struct buf *b, const void *p, size_t n);
void buf_putc_grow(struct buf *b, int c);

/* Inline: the pages, feeds and records are written a few bytes at a time,
 * hundreds of thousands of times per build, nearly always with room. */
static inline void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (n < b->cap - b->len) {
		memcpy(b->p + b->len, p, n);
		b->len += n;
		b->p[b->len] = '\0';
	} else if (n) {
		buf_add_grow(b, p, n);
	}
}

static inline void
buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static inline void
buf_putc(struct buf *b, int c)
{
	if (b->cap - b->len > 1) {
		b->p[b->len++] = (char)c;
		b->p[b->len] = '\0';
	} else {
		buf_putc_grow(b, c);
	}
}

/* Appends v in decimal (buf_printf's "%zu", without parsing a format). */
void buf_put_uint(struct buf *b, unsigned long long v);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Appends s with & < > " ' escaped for HTML text and attribute values. */
void buf_add_html(struct buf *b, const char *s, size_t n);
/* Returns the malloc'd string (caller frees) and leaves b empty. *len may be NULL. */
char *buf_detach(struct buf *b, size_t *len);

#endif
