/*
 * strpool: strings kept until the pool is released, copied into large
 * blocks: the tens of thousands of paths, addresses and names a build
 * keeps for its whole length cost no allocation (nor free) each.
 */
#ifndef ARDOISE_STRPOOL_H
#define ARDOISE_STRPOOL_H

#include <stddef.h>

struct strpool {
	char **blocks;
	size_t nblocks, cap;
	size_t used, size;	/* of the last block */
};

#define STRPOOL_INIT { NULL, 0, 0, 0, 0 }

/* A copy of s[0..n) and a NUL, valid until strpool_release. */
char *strpool_dupn(struct strpool *p, const char *s, size_t n);
char *strpool_dup(struct strpool *p, const char *s);
/* Frees every string of p; p is empty and usable again. */
void strpool_release(struct strpool *p);

#endif
