/* gittree: see gittree.h. */
#include "gittree.h"

#include <string.h>

#define ID_LEN 20

size_t
gittree_next(const unsigned char *p, size_t len, size_t o)
{
	const unsigned char *nul;
	size_t i = o;

	while (i < len && i - o < 7 && p[i] >= '0' && p[i] <= '7')
		i++;
	if (i == o || i >= len || p[i] != ' ')
		return 0;
	i++;
	nul = i < len ? memchr(p + i, '\0', len - i) : NULL;
	if (nul == NULL || nul == p + i)
		return 0;
	i = (size_t)(nul - p) + 1;
	if (len - i < ID_LEN)
		return 0;
	return i + ID_LEN;
}

void
gittree_entry(const unsigned char *p, size_t o, struct gittree_entry *e)
{
	const unsigned char *s = p + o;

	e->mode = 0;
	while (*s != ' ')
		e->mode = e->mode * 8 + (unsigned)(*s++ - '0');
	e->name = (const char *)s + 1;
	e->nlen = strlen(e->name);
	e->id = (const unsigned char *)e->name + e->nlen + 1;
}

int
gittree_kind(unsigned mode)
{
	if ((mode & 0170000) == 0040000)
		return GITTREE_TREE;
	if ((mode & 0170000) == 0160000)
		return GITTREE_COMMIT;
	return GITTREE_BLOB;
}

unsigned
gittree_norm_mode(unsigned mode)
{
	switch (gittree_kind(mode)) {
	case GITTREE_TREE:
		return 0040000;
	case GITTREE_COMMIT:
		return 0160000;
	default:
		if ((mode & 0170000) == 0120000)
			return 0120000;
		return mode & 0111 ? 0100755 : 0100644;
	}
}

int
gittree_cmp(const struct gittree_entry *x, const struct gittree_entry *y)
{
	size_t n = x->nlen < y->nlen ? x->nlen : y->nlen;
	int c = memcmp(x->name, y->name, n);
	unsigned cx, cy;

	if (c)
		return c;
	cx = x->nlen > n ? (unsigned char)x->name[n] :
	    gittree_kind(x->mode) == GITTREE_TREE ? '/' : 0;
	cy = y->nlen > n ? (unsigned char)y->name[n] :
	    gittree_kind(y->mode) == GITTREE_TREE ? '/' : 0;
	return (int)cx - (int)cy;
}
