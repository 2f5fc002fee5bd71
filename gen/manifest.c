#include "manifest.h"

#include <stdlib.h>
#include <string.h>
#include "xxh.h"

#include "buf.h"
#include "hashfeed.h"
#include "util.h"

#define HEADER "ardoise-manifest 1 " ARDOISE_VERSION "\n"

void
manifest_init(struct manifest *m)
{
	memset(m, 0, sizeof *m);
}

void
manifest_release(struct manifest *m)
{
	size_t i;

	if (!m->block) {
		for (i = 0; i < m->len; i++) {
			free(m->v[i].path);
			free(m->v[i].key);
		}
	}
	free(m->block);
	strindex_release(&m->by_path);
	free(m->v);
	manifest_init(m);
}

void
manifest_add(struct manifest *m, const char *path, const char *key)
{
	m->v = xgrow(m->v, &m->cap, m->len + 1, sizeof *m->v);
	m->v[m->len].path = xstrdup(path);
	m->v[m->len].key = xstrdup(key);
	m->len++;
}

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct manifest_entry *)a)->path, ((const struct manifest_entry *)b)->path);
}

size_t
manifest_index(const struct manifest *m, const char *path)
{
	size_t lo = 0, hi = m->len;

	if (strindex_ready(&m->by_path)) {
		size_t i = strindex_find(&m->by_path, path);

		return i == STRINDEX_NONE ? MANIFEST_NONE : i;
	}

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->v[mid].path, path);

		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return MANIFEST_NONE;
}

const char *
manifest_find(const struct manifest *m, const char *path)
{
	size_t i = manifest_index(m, path);

	return i == MANIFEST_NONE ? NULL : m->v[i].key;
}

void
manifest_content_key(const void *p, size_t n, char key[36])
{
	XXH128_hash_t h = XXH3_128bits(p, n);

	key[0] = 'x';
	key[1] = ':';
	hashfeed_hex(h, key + 2);
	key[35] = '\0';
}

static void
put_line(struct buf *out, const struct manifest_entry *e)
{
	buf_puts(out, e->key);
	buf_putc(out, ' ');
	buf_puts(out, e->path);
	buf_putc(out, '\n');
}

void
manifest_format(struct manifest *m, struct buf *out)
{
	manifest_format_with(m, NULL, NULL, 0, out);
}

void
manifest_format_with(struct manifest *m, const struct manifest *base, const unsigned char *mark,
    unsigned char kept, struct buf *out)
{
	size_t start = out->len, i = 0, j = 0, n = 0, nbase = base ? base->len : 0;
	char sum[17];

	sort_array(m->v, m->len, sizeof *m->v, cmp_entry);
	buf_puts(out, HEADER);
	/* both sorted: merged */
	for (;;) {
		while (i < nbase && mark[i] != kept)
			i++;
		if (i < nbase && (j == m->len || strcmp(base->v[i].path, m->v[j].path) < 0))
			put_line(out, &base->v[i++]);
		else if (j < m->len)
			put_line(out, &m->v[j++]);
		else
			break;
		n++;
	}
	hashfeed_hex64(XXH3_64bits(out->p + start, out->len - start), sum);
	sum[16] = '\0';
	buf_printf(out, "end %zu %s\n", n, sum);
}

/* Parses block[0..len) in place (block owned by m from now on, with a
 * NUL at block[len]). */
static int
parse_block(struct manifest *m, char *block, size_t len, const char **why)
{
	size_t hl = strlen(HEADER), n = 0, count;
	const char *trailer;
	char sum[17], *p, *end = block + len, *e;

	manifest_init(m);
	m->block = block;
	if (len < hl || memcmp(block, HEADER, hl) != 0) {
		manifest_release(m);
		*why = N_("written by another version of ardoise");
		return -1;
	}
	/* the trailer is the last line */
	if (len < 2 || block[len - 1] != '\n')
		goto bad;
	trailer = block + len - 1;
	while (trailer > block && trailer[-1] != '\n')
		trailer--;
	hashfeed_hex64(XXH3_64bits(block, (size_t)(trailer - block)), sum);
	sum[16] = '\0';
	if (end - trailer < 4 || memcmp(trailer, "end ", 4) != 0)
		goto bad;
	count = strtoul(trailer + 4, &e, 10);
	if (*e != ' ' || (size_t)(end - (e + 1)) != 17 || memcmp(e + 1, sum, 16) != 0)
		goto bad;
	/* each line "key path\n" becomes "key\0path\0"; a line is at least
	 * four bytes, which bounds the count before it is checked */
	if (count > len / 4)
		goto bad;
	m->v = xcalloc(count + 1, sizeof *m->v);
	m->cap = count + 1;
	for (p = block + hl, end = (char *)trailer; p < end; n++) {
		char *eol = memchr(p, '\n', (size_t)(end - p));
		char *sp = eol ? memchr(p, ' ', (size_t)(eol - p)) : NULL;

		if (!sp || sp == p || sp + 1 >= eol || m->len == count)
			goto bad;
		*sp = '\0';
		*eol = '\0';
		m->v[m->len].key = p;
		m->v[m->len].path = sp + 1;
		if (m->len && strcmp(m->v[m->len - 1].path, m->v[m->len].path) >= 0) {
			m->len++;
			goto bad;	/* not sorted: not ours */
		}
		m->len++;
		p = eol + 1;
	}
	if (n != count)
		goto bad;
	strindex_init(&m->by_path, m->len);
	for (n = 0; n < m->len; n++)
		strindex_add(&m->by_path, m->v[n].path, n);
	return 0;
bad:
	manifest_release(m);
	*why = N_("damaged");
	return -1;
}

int
manifest_parse(struct manifest *m, const char *text, size_t len, const char **why)
{
	char *block = xmalloc(len + 1);

	memcpy(block, text, len);
	block[len] = '\0';
	return parse_block(m, block, len, why);
}

int
manifest_take(struct manifest *m, struct buf *text, const char **why)
{
	size_t len;
	char *block = buf_detach(text, &len);

	return parse_block(m, block, len, why);
}
