#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <stdio.h>
#include <sys/resource.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"

_Noreturn void
die_oom(void)
{
	fputs("ardoise: out of memory\n", stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die_oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die_oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die_oom();
	return p;
}

void *
xgrow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap;

	if (need <= c)
		return p;
	if (c < 8)
		c = 8;
	while (c < need) {
		if (c > SIZE_MAX / 2 / size)
			die_oom();
		c *= 2;
	}
	*cap = c;
	return xrealloc(p, c * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
exe_resource_dir(const char *env, const char *const *rel, size_t n, const char *probe)
{
	const char *v = env ? getenv(env) : NULL;
	char exe[4096];
	struct buf b = BUF_INIT;
	struct stat st;
	ssize_t len;
	size_t i;

	if (v && *v)
		return xstrdup(v);
	len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len <= 0)
		return NULL;
	exe[len] = '\0';
	if (strrchr(exe, '/'))
		*strrchr(exe, '/') = '\0';
	for (i = 0; i < n; i++) {
		buf_reset(&b);
		buf_printf(&b, "%s/%s/%s", exe, rel[i], probe);
		if (stat(b.p, &st) == 0) {
			buf_reset(&b);
			buf_printf(&b, "%s/%s", exe, rel[i]);
			return buf_detach(&b, NULL);
		}
	}
	buf_release(&b);
	return NULL;
}

double
clock_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

long
peak_rss_mb(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss / 1024 : 0;
}

void
sort_array(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

void
sort_nearly_sorted(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	unsigned char *v = base, tmp[64];
	size_t i, j, moves = 0, budget = 4 * n;

	if (size > sizeof tmp) {
		sort_array(base, n, size, cmp);
		return;
	}
	/* insertion, for as long as it takes a few moves an element */
	for (i = 1; i < n; i++) {
		memcpy(tmp, v + i * size, size);
		for (j = i; j > 0 && cmp(v + (j - 1) * size, tmp) > 0; j--) {
			if (++moves > budget) {
				memcpy(v + j * size, tmp, size);
				sort_array(base, n, size, cmp);
				return;
			}
			memcpy(v + j * size, v + (j - 1) * size, size);
		}
		memcpy(v + j * size, tmp, size);
	}
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
path_resolve(const char *from, const char *ref, size_t reflen, struct buf *out)
{
	struct buf raw = BUF_INIT;
	const char *p, *slash;
	size_t i;
	int rc = 0;

	if (reflen && ref[0] == '/') {
		ref++;
		reflen--;
	} else if ((slash = strrchr(from, '/'))) {
		buf_add(&raw, from, (size_t)(slash - from) + 1);
	}
	for (i = 0; i < reflen; i++) {
		int h, l;

		if (ref[i] == '%' && i + 2 < reflen && (h = hexval(ref[i + 1])) >= 0 &&
		    (l = hexval(ref[i + 2])) >= 0) {
			buf_putc(&raw, h * 16 + l);
			i += 2;
		} else {
			buf_putc(&raw, ref[i]);
		}
	}
	buf_reset(out);
	for (p = raw.p; *p;) {
		size_t n = strcspn(p, "/");

		if (n == 0 || (n == 1 && p[0] == '.')) {
			/* nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *up;

			if (out->len == 0) {
				rc = -1;
				break;
			}
			up = strrchr(out->p, '/');
			buf_truncate(out, up ? (size_t)(up - out->p) : 0);
		} else {
			if (out->len)
				buf_putc(out, '/');
			buf_add(out, p, n);
		}
		p += n;
		if (*p == '/')
			p++;
	}
	if (memchr(raw.p, '\0', raw.len))
		rc = -1;	/* %00 */
	buf_release(&raw);
	return rc;
}

int
str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int
str_ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

int
str_ends_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix), i;

	if (n < m)
		return 0;
	for (i = 0; i < m; i++) {
		char a = s[n - m + i], b = suffix[i];

		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (char)(b - 'A' + 'a');
		if (a != b)
			return 0;
	}
	return 1;
}

void
path_ext(const char *path, char *ext, size_t n)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t i = 0;

	if (n == 0)
		return;
	if (dot && dot != base) {
		for (dot++; *dot && i + 1 < n; dot++, i++)
			ext[i] = (*dot >= 'A' && *dot <= 'Z') ? (char)(*dot - 'A' + 'a') : *dot;
		if (*dot)	/* too long to be an extension we know */
			i = 0;
	}
	ext[i] = '\0';
}

size_t
utf8_check(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		unsigned c = p[i], cp;
		size_t k;

		/* eight ASCII bytes, none of them NUL, at once: the text of a
		 * post is mostly ASCII, and every post is checked */
		if (n - i >= 8) {
			uint64_t w;

			memcpy(&w, p + i, 8);
			if (!(w & 0x8080808080808080ull) &&
			    !((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull)) {
				i += 8;
				continue;
			}
		}
		if (c == 0)
			return i;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			k = 1; cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			k = 2; cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			k = 3; cp = c & 0x07;
		} else {
			return i;
		}
		if (n - i <= k)
			return i;
		for (size_t j = 1; j <= k; j++) {
			if ((p[i + j] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (p[i + j] & 0x3f);
		}
		if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) ||
		    (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += k + 1;
	}
	return n;
}

int
utf8_valid(const char *s, size_t n)
{
	return utf8_check(s, n) == n;
}

int
file_read(const char *path, struct buf *b)
{
	struct stat st;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	/* Room for the whole file at once, read in place: caches are tens
	 * of megabytes. (Files of /proc say 0: they grow as they come.) */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		buf_grow(b, (size_t)st.st_size + 1);
	for (;;) {
		if (b->cap - b->len < 2)
			buf_grow(b, 65536);
		n = read(fd, b->p + b->len, b->cap - b->len - 1);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		b->len += (size_t)n;
		b->p[b->len] = '\0';
	}
	return close(fd);
}

int
file_map(const char *path, const void **p, size_t *len)
{
	struct stat st;
	void *map;
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
		err = errno ? errno : EINVAL;
		close(fd);
		errno = err;
		return -1;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	err = errno;
	close(fd);
	if (map == MAP_FAILED) {
		errno = err;
		return -1;
	}
	*p = map;
	*len = (size_t)st.st_size;
	return 0;
}

void
file_unmap(const void *p, size_t len)
{
	if (p)
		munmap((void *)p, len);
}

#define MAX_PARTS 64

struct part {
	void (*fn)(void *arg, size_t from, size_t to);
	void *arg;
	size_t from, to;
	pthread_t thread;
	int started;
};

static void *
part_main(void *arg)
{
	struct part *p = arg;

	p->fn(p->arg, p->from, p->to);
	return NULL;
}

void
run_parts(size_t n, size_t k, size_t min, void (*fn)(void *arg, size_t from, size_t to),
    void *arg)
{
	struct part part[MAX_PARTS];
	size_t i;

	if (k < 1 || n < min)
		k = 1;
	if (k > MAX_PARTS)
		k = MAX_PARTS;
	for (i = 0; i < k; i++) {
		part[i].fn = fn;
		part[i].arg = arg;
		part[i].from = n * i / k;
		part[i].to = n * (i + 1) / k;
		part[i].started = i > 0 && pthread_create(&part[i].thread, NULL, part_main, &part[i]) == 0;
	}
	part_main(&part[0]);
	for (i = 1; i < k; i++) {
		if (part[i].started)
			pthread_join(part[i].thread, NULL);
		else
			part_main(&part[i]);	/* no thread to be had: here */
	}
}
