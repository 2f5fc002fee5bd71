#include "strpool.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define BLOCK ((size_t)64 << 10)

char *
strpool_dupn(struct strpool *p, const char *s, size_t n)
{
	char *out;

	if (p->nblocks == 0 || n + 1 > p->size - p->used) {
		size_t size = n + 1 > BLOCK ? n + 1 : BLOCK;

		p->blocks = xgrow(p->blocks, &p->cap, p->nblocks + 1, sizeof *p->blocks);
		p->blocks[p->nblocks++] = xmalloc(size);
		p->size = size;
		p->used = 0;
	}
	out = p->blocks[p->nblocks - 1] + p->used;
	memcpy(out, s, n);
	out[n] = '\0';
	p->used += n + 1;
	return out;
}

char *
strpool_dup(struct strpool *p, const char *s)
{
	return strpool_dupn(p, s, strlen(s));
}

void
strpool_release(struct strpool *p)
{
	size_t i;

	for (i = 0; i < p->nblocks; i++)
		free(p->blocks[i]);
	free(p->blocks);
	memset(p, 0, sizeof *p);
}
