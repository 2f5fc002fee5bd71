#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

void
diag_init(struct diag *d)
{
	memset(d, 0, sizeof *d);
}

void
diag_release(struct diag *d)
{
	size_t i;

	for (i = 0; i < d->len; i++) {
		free(d->items[i].path);
		free(d->items[i].msg);
	}
	free(d->items);
	diag_init(d);
}

/* Appends an item whose message msg (malloc'd) it takes. */
static void
add_item(struct diag *d, enum diag_level level, const char *path, int line, int col, char *msg)
{
	struct diag_item *it;

	d->items = xgrow(d->items, &d->cap, d->len + 1, sizeof *d->items);
	it = &d->items[d->len++];
	it->level = level;
	it->path = path ? xstrdup(path) : NULL;
	it->line = line;
	it->col = col;
	it->msg = msg;
	if (level == DIAG_ERROR)
		d->nerrors++;
	else
		d->nwarnings++;
}

void
diag_add(struct diag *d, enum diag_level level, const char *path, int line,
    int col, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	add_item(d, level, path, line, col, buf_detach(&b, NULL));
}

void
diag_add_text(struct diag *d, enum diag_level level, const char *path, int line, int col,
    const char *msg)
{
	add_item(d, level, path, line, col, xstrdup(msg));
}

void
diag_copy(struct diag *d, const struct diag *src, size_t from)
{
	size_t i;

	for (i = from; i < src->len; i++)
		diag_add_text(d, src->items[i].level, src->items[i].path, src->items[i].line,
		    src->items[i].col, src->items[i].msg);
}

void
diag_merge(struct diag *d, struct diag *src)
{
	size_t i;

	for (i = 0; i < src->len; i++) {
		d->items = xgrow(d->items, &d->cap, d->len + 1, sizeof *d->items);
		d->items[d->len++] = src->items[i];
	}
	d->nerrors += src->nerrors;
	d->nwarnings += src->nwarnings;
	free(src->items);
	diag_init(src);
}

static int
cmp_item(const void *a, const void *b)
{
	const struct diag_item *x = *(const struct diag_item *const *)a;
	const struct diag_item *y = *(const struct diag_item *const *)b;
	int c;

	if (x->level != y->level)
		return x->level < y->level ? -1 : 1;
	c = strcmp(x->path ? x->path : "", y->path ? y->path : "");
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x < y ? -1 : x > y;	/* stable: order of addition */
}

/* Appends ':' and v in decimal. */
static void
put_int(struct buf *b, int v)
{
	buf_putc(b, ':');
	if (v < 0)
		buf_putc(b, '-');
	buf_put_uint(b, v < 0 ? 0u - (unsigned)v : (unsigned)v);
}

void
diag_print(const struct diag *d, FILE *f)
{
	const struct diag_item **v;
	const char *error, *warning;
	struct buf out = BUF_INIT;
	size_t i;

	if (d->len == 0)
		return;
	error = _("error");
	warning = _("warning");
	v = xmalloc(d->len * sizeof *v);
	for (i = 0; i < d->len; i++)
		v[i] = &d->items[i];
	/* added in path order, as a build reads its files, mostly */
	sort_nearly_sorted(v, d->len, sizeof *v, cmp_item);
	/* gathered, then written in blocks: stderr is unbuffered, and a
	 * rebuild replays the warnings of thousands of posts */
	for (i = 0; i < d->len; i++) {
		const struct diag_item *it = v[i];
		const char *kind = it->level == DIAG_ERROR ? error : warning;

		/* "path:line:col: kind: msg", laid out by hand: a rebuild
		 * replays the warnings of thousands of posts */
		buf_puts(&out, it->path ? it->path : "ardoise");
		if (it->path && it->line) {
			put_int(&out, it->line);
			put_int(&out, it->col ? it->col : 1);
		}
		buf_puts(&out, ": ");
		buf_puts(&out, kind);
		buf_puts(&out, ": ");
		buf_puts(&out, it->msg);
		buf_putc(&out, '\n');
		if (out.len >= 65536 || i + 1 == d->len) {
			fwrite(out.p, 1, out.len, f);
			buf_reset(&out);
		}
	}
	fflush(f);
	buf_release(&out);
	free(v);
}
