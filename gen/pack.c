/*
 * pack: the `ardoise pack` command, and what the three package writers
 * share: the built site's file list and build info, hashing, gzip (the
 * archive writer itself is in pack_out.c).
 *
 * SHA-256 comes from nettle: libarchive already links it on Debian (so
 * it adds no library to the process), its sha256_* calls need no context
 * allocation nor error handling, and it is a plain Debian package.
 * gzip comes from zlib, which libarchive links too.
 */
#include "pack.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <zlib.h>

#include "build.h"
#include "date.h"
#include "pack_int.h"
#include "theme.h"
#include "util.h"

static int
cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct pack_file *)a)->path, ((const struct pack_file *)b)->path);
}

/* Appends every regular file under dir/rel (rel "" at the top). */
static int
walk(struct pack_site *s, size_t *cap, struct buf *full, const char *rel)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	size_t flen = full->len;
	int rc = 0;

	if (!(d = opendir(full->p))) {
		fprintf(stderr, _("ardoise: cannot read folder \"%s\": %s\n"), full->p, strerror(errno));
		return -1;
	}
	while (rc == 0 && (errno = 0, de = readdir(d))) {
		struct buf r = BUF_INIT;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		/* The build's caches never leave the server. */
		if (!*rel && strcmp(de->d_name, ".ardoise") == 0)
			continue;
		buf_truncate(full, flen);
		buf_printf(full, "/%s", de->d_name);
		if (lstat(full->p, &st) < 0) {
			fprintf(stderr, _("ardoise: cannot read \"%s\": %s\n"), full->p, strerror(errno));
			rc = -1;
			break;
		}
		buf_printf(&r, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
		if (S_ISDIR(st.st_mode)) {
			rc = walk(s, cap, full, r.p);
		} else if (S_ISREG(st.st_mode)) {
			s->files = xgrow(s->files, cap, s->nfiles + 1, sizeof *s->files);
			s->files[s->nfiles].path = buf_detach(&r, NULL);
			s->files[s->nfiles].size = (uint64_t)st.st_size;
			s->nfiles++;
		} else {
			/* ardoise build writes neither links nor devices: someone
			 * put it there, and a stick could not hold it anyway. */
			fprintf(stderr, _("ardoise: \"%s\" is not a regular file: remove it from the site\n"),
			    full->p);
			rc = -1;
		}
		buf_release(&r);
	}
	if (rc == 0 && errno) {
		fprintf(stderr, _("ardoise: cannot read folder \"%s\": %s\n"), full->p, strerror(errno));
		rc = -1;
	}
	buf_truncate(full, flen);
	closedir(d);
	return rc;
}

/* The string value of "key" in build.json's flat object, or NULL. */
static char *
json_get(const char *js, const char *key)
{
	struct buf b = BUF_INIT;
	const char *p;

	buf_printf(&b, "\"%s\"", key);
	p = strstr(js, b.p);
	buf_reset(&b);
	if (!p)
		goto none;
	p += strlen(key) + 2;
	while (*p == ' ' || *p == ':' || *p == '\n' || *p == '\t')
		p++;
	if (*p++ != '"')
		goto none;
	for (; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1])
			p++;
		buf_putc(&b, *p);
	}
	if (*p != '"')
		goto none;
	return buf_detach(&b, NULL);
none:
	buf_release(&b);
	return NULL;
}

int
pack_site_load(struct pack_site *s, const char *dir, int *status)
{
	struct buf full = BUF_INIT;
	struct date dt;
	const char *sde;
	char *date = NULL;
	size_t cap = 0;
	int rc = -1;

	memset(s, 0, sizeof *s);
	buf_init(&s->build_json);
	s->dir = xstrdup(dir);
	*status = BUILD_SYSTEM;
	buf_printf(&full, "%s/.ardoise/build.json", dir);
	if (file_read(full.p, &s->build_json) < 0) {
		if (errno == ENOENT || errno == ENOTDIR) {
			*status = BUILD_CONTENT;
			fprintf(stderr, _("ardoise: \"%s\" is not a site built by ardoise (no .ardoise/build.json): "
			    "run ardoise build first\n"), dir);
		} else {
			fprintf(stderr, _("ardoise: cannot read \"%s\": %s\n"), full.p, strerror(errno));
		}
		goto out;
	}
	s->commit = json_get(s->build_json.p, "commit");
	s->audience = json_get(s->build_json.p, "audience");
	date = json_get(s->build_json.p, "date");
	if (!s->commit || !s->audience || !date || date_parse(date, &dt) != DATE_OK) {
		*status = BUILD_CONTENT;
		fprintf(stderr, _("ardoise: \"%s\" lacks a commit, audience or valid date: "
		    "run ardoise build again\n"), full.p);
		goto out;
	}
	s->mtime = date_epoch(&dt);
	s->offset = dt.has_offset ? dt.offset : 0;
	/* Reproducible builds' convention wins over the commit's date. */
	if ((sde = getenv("SOURCE_DATE_EPOCH")) && *sde) {
		char *end;
		long long v = strtoll(sde, &end, 10);

		if (*end || v < 0) {
			*status = BUILD_USAGE;
			fprintf(stderr, _("ardoise: SOURCE_DATE_EPOCH must be a number of seconds, not \"%s\"\n"), sde);
			goto out;
		}
		s->mtime = v;
	}
	buf_reset(&full);
	buf_puts(&full, dir);
	if (walk(s, &cap, &full, "") < 0)
		goto out;
	sort_array(s->files, s->nfiles, sizeof *s->files, cmp_file);
	rc = 0;
out:
	free(date);
	buf_release(&full);
	return rc;
}

void
pack_site_release(struct pack_site *s)
{
	size_t i;

	for (i = 0; i < s->nfiles; i++)
		free(s->files[i].path);
	free(s->files);
	free(s->dir);
	free(s->commit);
	free(s->audience);
	buf_release(&s->build_json);
	memset(s, 0, sizeof *s);
}

long
pack_site_find(const struct pack_site *s, const char *path)
{
	size_t lo = 0, hi = s->nfiles;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(path, s->files[mid].path);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

void
pack_full(struct buf *b, const struct pack_site *s, const char *rel)
{
	buf_reset(b);
	buf_printf(b, "%s/%s", s->dir, rel);
}

void
pack_size_str(struct buf *b, uint64_t n)
{
	buf_printf(b, "%llu bytes (%.1f GiB)", (unsigned long long)n, (double)n / (1024.0 * 1024 * 1024));
}

void
pack_sha256(const void *p, size_t n, unsigned char out[32])
{
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, n, p);
	sha256_digest(&c, SHA256_DIGEST_SIZE, out);
}

void
pack_sha_line(struct buf *b, const unsigned char sha[32], const char *name)
{
	int i;

	for (i = 0; i < 32; i++)
		buf_printf(b, "%02x", sha[i]);
	buf_printf(b, "  %s\n", name);
}

int
pack_gz_init(z_stream *z)
{
	memset(z, 0, sizeof *z);
	/* windowBits 15 + 16: a gzip wrapper with mtime 0 and no name, so the
	 * same text always gives the same .gz. */
	return deflateInit2(z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK ? 0 : -1;
}

int
pack_gz_feed(z_stream *z, const void *p, size_t n, int finish, struct buf *out)
{
	int zr;

	z->next_in = (Bytef *)(uintptr_t)p;
	z->avail_in = (uInt)n;
	do {
		buf_grow(out, 64 * 1024);
		z->next_out = (Bytef *)out->p + out->len;
		z->avail_out = (uInt)(out->cap - out->len - 1);
		zr = deflate(z, finish ? Z_FINISH : Z_NO_FLUSH);
		if (zr == Z_STREAM_ERROR)
			return -1;
		out->len = (size_t)((char *)z->next_out - out->p);
		out->p[out->len] = '\0';
	} while (z->avail_out == 0 || (finish && zr != Z_STREAM_END));
	return 0;
}

int
pack_gzip_mem(const void *p, size_t n, struct buf *out)
{
	z_stream z;
	int rc;

	if (pack_gz_init(&z) < 0)
		return -1;
	rc = pack_gz_feed(&z, p, n, 1, out);
	deflateEnd(&z);
	return rc;
}

/* DOS times in zip headers are local times: use the build's own UTC
 * offset, so the stick shows the commit's wall-clock time and the bytes
 * do not depend on the packing machine's time zone. */
void
pack_set_tz(int offset)
{
	char tz[32];
	int a = offset < 0 ? -offset : offset;

	snprintf(tz, sizeof tz, "<%c%02d%02d>%c%02d:%02d", offset < 0 ? '-' : '+', a / 60, a % 60,
	    offset < 0 ? '+' : '-', a / 60, a % 60);
	setenv("TZ", tz, 1);
	tzset();
}

static void
pack_usage(FILE *f)
{
	fputs(_("usage: ardoise pack [DIR] --usb FILE.zip [--cdn FILE.tar.gz]\n"
	    "       ardoise pack [DIR] --epub cahiers/NAME FILE.epub\n"), f);
}

int
pack_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "usb", required_argument, NULL, 'u' },
		{ "cdn", required_argument, NULL, 'c' },
		{ "epub", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *usb = NULL, *cdn = NULL, *epub = NULL, *dir = ".", *epub_out = NULL;
	struct pack_site site;
	char *themes = NULL;
	int c, npos, status = BUILD_OK;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'u':
			usb = optarg;
			break;
		case 'c':
			cdn = optarg;
			break;
		case 'e':
			epub = optarg;
			break;
		case 'h':
			pack_usage(stdout);
			return BUILD_OK;
		default:
			pack_usage(stderr);
			return BUILD_USAGE;
		}
	}
	npos = argc - optind;
	if (epub) {
		if (npos < 1 || npos > 2 || usb || cdn) {
			fputs(_("ardoise: --epub takes a notebook and the EPUB file to write, "
			    "as in: ardoise pack public --epub cahiers/les-saisons saisons.epub\n"), stderr);
			return BUILD_USAGE;
		}
		if (npos == 2)
			dir = argv[optind];
		epub_out = argv[argc - 1];
	} else {
		if (npos > 1 || (!usb && !cdn)) {
			pack_usage(stderr);
			return BUILD_USAGE;
		}
		if (npos == 1)
			dir = argv[optind];
	}
	if (pack_site_load(&site, dir, &status) < 0) {
		pack_site_release(&site);
		return status;
	}
	status = BUILD_OK;
	if ((usb || epub) && !(themes = theme_find_dir())) {
		fputs(_("ardoise: cannot find the themes folder: set ARDOISE_THEMES\n"), stderr);
		status = BUILD_SYSTEM;
	} else if (usb) {
		status = pack_usb(&site, usb, themes);
	}
	if (cdn && status == BUILD_OK)
		status = pack_cdn(&site, cdn);
	if (epub && status == BUILD_OK)
		status = pack_epub(&site, epub, epub_out, themes);
	free(themes);
	pack_site_release(&site);
	return status;
}
