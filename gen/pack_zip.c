/*
 * pack_zip: the USB stick package. A zip with the site at its root, the
 * families' instructions (LISEZ-MOI.html), the build info and SHA256SUMS;
 * names checked against FAT32/Windows rules first; media stored, text
 * deflated; at most 4 GiB - 1 byte, FAT32's largest file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arlib.h"
#include "build.h"
#include "diag.h"
#include "names.h"
#include "pack_int.h"
#include "util.h"

#define README_NAME "LISEZ-MOI.html"
#define SUMS_NAME "SHA256SUMS"
#define INFO_NAME "ardoise-build.json"

/* Formats that are compressed already: deflating them again costs time
 * and saves nothing. */
static const char *const stored_ext[] = {
	"jpg", "jpeg", "png", "gif", "webp", "avif", "mp3", "m4a", "aac", "ogg", "oga",
	"opus", "flac", "mp4", "m4v", "webm", "ogv", "mov", "zip", "gz", "pdf", "epub",
	"woff", "woff2",
};

static int
is_stored(const char *path)
{
	char ext[16];
	size_t i;

	path_ext(path, ext, sizeof ext);
	for (i = 0; i < ARRAY_LEN(stored_ext); i++)
		if (strcmp(ext, stored_ext[i]) == 0)
			return 1;
	return 0;
}

/* Windows, macOS and Linux must all open the stick: every name passes
 * the rules of `ardoise check` (names.h), and so do ours. */
static int
check_names(const struct pack_site *s)
{
	static const char *const ours[] = { README_NAME, SUMS_NAME, INFO_NAME };
	struct names_file *nf;
	struct diag d;
	size_t i, n = 0;
	int rc = 0;

	nf = xcalloc(s->nfiles + ARRAY_LEN(ours), sizeof *nf);
	for (i = 0; i < ARRAY_LEN(ours); i++)
		nf[n++].path = ours[i];
	for (i = 0; i < s->nfiles; i++)
		nf[n++].path = s->files[i].path;
	diag_init(&d);
	if (names_check_tree(nf, n, 0, &d) != 0)
		rc = -1;
	diag_print(&d, stderr);
	if (rc < 0)
		fprintf(stderr, _("ardoise: %zu file name(s) cannot go on a USB stick: "
		    "rename the source files (ardoise check lists them), build, then pack again\n"),
		    d.nerrors);
	diag_release(&d);
	free(nf);
	return rc;
}

/* The bytes of the zip before deflated data: stored data, headers and
 * descriptors, central directory. A lower bound of the final size. */
static uint64_t
size_floor(const struct pack_site *s)
{
	uint64_t n = 22;
	size_t i;

	for (i = 0; i < s->nfiles; i++) {
		n += 30 + 46 + 16 + 2 * (uint64_t)strlen(s->files[i].path);
		if (is_stored(s->files[i].path))
			n += s->files[i].size;
	}
	return n;
}

static void
add_mem(struct pack_out *o, struct buf *sums, const char *name, const struct buf *b)
{
	unsigned char sha[32];

	archive_write_zip_set_compression_deflate(o->a);
	pack_out_mem(o, name, b->p, b->len);
	pack_sha256(b->p, b->len, sha);
	pack_sha_line(sums, sha, name);
}

int
pack_usb(const struct pack_site *s, const char *target, const char *themes)
{
	struct buf readme = BUF_INIT, sums = BUF_INIT, full = BUF_INIT, msg = BUF_INIT;
	struct pack_out o;
	struct archive *a;
	const char *extra[2] = { README_NAME, INFO_NAME };	/* sorted */
	const struct buf *extra_data[2];
	unsigned char sha[32];
	size_t i, e = 0;
	int status = BUILD_SYSTEM;

	if (pack_site_find(s, "index.html") < 0) {
		fprintf(stderr, _("ardoise: \"%s\" has no index.html: build the site again\n"), s->dir);
		return BUILD_CONTENT;
	}
	if (check_names(s) < 0)
		return BUILD_CONTENT;
	if (size_floor(s) > PACK_FAT32_MAX) {
		pack_size_str(&msg, size_floor(s));
		fprintf(stderr, _("ardoise: the zip would be at least %s, over the 4 GiB a file can have "
		    "on a FAT32 USB stick: leave out large videos, or copy the site folder itself\n"), msg.p);
		buf_release(&msg);
		return BUILD_CONTENT;
	}
	buf_printf(&full, "%s/default/pack/" README_NAME, themes);
	if (file_read(full.p, &readme) < 0) {
		fprintf(stderr, _("ardoise: cannot read \"%s\": reinstall ardoise or set ARDOISE_THEMES\n"),
		    full.p);
		goto done;
	}
	extra_data[0] = &readme;
	extra_data[1] = &s->build_json;
	pack_set_tz(s->offset);

	if ((a = pack_archive_new()) == NULL)
		goto done;
	if (archive_write_set_format_zip(a) != ARCHIVE_OK ||
	    archive_write_set_format_option(a, "zip", "hdrcharset", "UTF-8") != ARCHIVE_OK) {
		fprintf(stderr, _("ardoise: libarchive cannot write zip files: %s\n"), archive_error_string(a));
		archive_write_free(a);
		goto done;
	}
	if (pack_out_open(&o, a, target, s->mtime) < 0) {
		pack_out_close(&o, 0);
		goto done;
	}
	o.limit = PACK_FAT32_MAX;
	o.total = s->nfiles + 3;
	/* Sorted entries: the site's files with our two merged in, then
	 * SHA256SUMS last, once every file has been hashed while it was
	 * written (each file is read once). */
	for (i = 0; i <= s->nfiles && !o.failed; i++) {
		while (e < 2 && (i == s->nfiles || strcmp(extra[e], s->files[i].path) < 0)) {
			add_mem(&o, &sums, extra[e], extra_data[e]);
			e++;
		}
		if (i == s->nfiles)
			break;
		if (is_stored(s->files[i].path))
			archive_write_zip_set_compression_store(a);
		else
			archive_write_zip_set_compression_deflate(a);
		pack_full(&full, s, s->files[i].path);
		pack_out_file(&o, s->files[i].path, full.p, s->files[i].size, sha, NULL);
		pack_sha_line(&sums, sha, s->files[i].path);
		o.done++;
	}
	archive_write_zip_set_compression_deflate(a);
	pack_out_mem(&o, SUMS_NAME, sums.p, sums.len);
	pack_out_finish(&o);
	if (!o.failed && o.written > PACK_FAT32_MAX) {
		pack_size_str(&msg, o.written);
		pack_out_fail(&o, _("the zip would be %s, over the 4 GiB a file can have on a FAT32 USB "
		    "stick: leave out large videos, or copy the site folder itself"), msg.p);
		status = BUILD_CONTENT;
	}
	if (pack_out_close(&o, 1) == 0)
		status = BUILD_OK;
done:
	buf_release(&readme);
	buf_release(&sums);
	buf_release(&full);
	buf_release(&msg);
	return status;
}
