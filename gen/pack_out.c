/*
 * pack_out: the archive being written (see struct pack_out in
 * pack_int.h): libarchive writing through our callback into a temp file,
 * counting bytes, a sticky first error, entries from memory or streamed
 * from files (hashed and gzip'd on the way when asked), the progress
 * line, and the rename into place.
 */
#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "arlib.h"
#include "pack_int.h"
#include "util.h"
#include "xmlib.h"

/* libarchive's write callback: the bytes go to the temp file, counted;
 * past o->limit they are only counted, so that a refusal can say how
 * large the package would have been. */
static la_ssize_t
out_write_cb(struct archive *a, void *ud, const void *p, size_t n)
{
	struct pack_out *o = ud;
	size_t done = 0;

	(void)a;
	if (o->limit && o->written + n > o->limit) {
		o->written += n;
		return (la_ssize_t)n;
	}
	while (done < n) {
		ssize_t w = write(o->fd, (const char *)p + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			archive_set_error(a, errno, "%s", strerror(errno));
			return -1;
		}
		done += (size_t)w;
	}
	o->written += n;
	return (la_ssize_t)n;
}

struct archive *
pack_archive_new(void)
{
	char why[200];
	struct archive *a;

	if (arlib_ready(why, sizeof why) < 0) {
		fprintf(stderr, _("ardoise: cannot load %s (%s): reinstall the libarchive13 package\n"),
		    ARLIB_SONAME, why);
		return NULL;
	}
	if ((a = archive_write_new()) == NULL)
		die_oom();
	return a;
}

int
pack_xml_ready(void)
{
	char why[200];

	if (xmlib_ready(why, sizeof why) == 0)
		return 0;
	fprintf(stderr, _("ardoise: cannot load %s (%s): reinstall the libxml2 package\n"),
	    XMLIB_SONAME, why);
	return -1;
}

int
pack_out_open(struct pack_out *o, struct archive *a, const char *target, int64_t mtime)
{
	struct buf t = BUF_INIT;

	memset(o, 0, sizeof *o);
	o->fd = -1;
	buf_init(&o->err);
	o->a = a;
	o->mtime = mtime;
	o->target = xstrdup(target);
	o->tty = isatty(2);
	buf_printf(&t, "%s.tmp-XXXXXX", target);
	o->fd = mkstemp(t.p);
	if (o->fd < 0) {
		fprintf(stderr, _("ardoise: cannot create \"%s\": %s: check the folder exists and is writable\n"),
		    t.p, strerror(errno));
		buf_release(&t);
		o->failed = 1;
		return -1;
	}
	fchmod(o->fd, 0644);
	o->tmp = buf_detach(&t, NULL);
	/* Every package is written in full, even tiny ones: no padding to
	 * tape blocks. */
	archive_write_set_bytes_in_last_block(a, 1);
	if (archive_write_open2(a, o, NULL, out_write_cb, NULL, NULL) != ARCHIVE_OK) {
		pack_out_fail(o, "%s", archive_error_string(a));
		return -1;
	}
	return 0;
}

void
pack_out_fail(struct pack_out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->failed)
		return;
	o->failed = 1;
	va_start(ap, fmt);
	buf_vprintf(&o->err, fmt, ap);
	va_end(ap);
}

static int
out_header(struct pack_out *o, const char *name, uint64_t size)
{
	struct archive_entry *e;
	int rc = 0;

	if (o->failed)
		return -1;
	e = archive_entry_new();
	archive_entry_set_pathname_utf8(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)size);
	archive_entry_set_mtime(e, o->mtime, 0);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	/* LIBNOTES: a name libarchive could not convert is NULL here, and
	 * the writers crash or mangle it. */
	if (!archive_entry_pathname(e)) {
		pack_out_fail(o, _("cannot store the name \"%s\" (not UTF-8?)"), name);
		rc = -1;
	} else if (archive_write_header(o->a, e) < ARCHIVE_WARN) {
		pack_out_fail(o, _("cannot add \"%s\": %s"), name, archive_error_string(o->a));
		rc = -1;
	}
	archive_entry_free(e);
	return rc;
}

static int
out_data(struct pack_out *o, const char *name, const void *p, size_t n)
{
	la_ssize_t w;

	if (o->failed)
		return -1;
	w = archive_write_data(o->a, p, n);
	if (w < 0 || (size_t)w != n) {
		pack_out_fail(o, _("cannot write \"%s\": %s"), name,
		    archive_error_string(o->a) ? archive_error_string(o->a) : _("short write"));
		return -1;
	}
	return 0;
}

void
pack_out_mem(struct pack_out *o, const char *name, const void *p, size_t n)
{
	size_t off;

	if (out_header(o, name, n) < 0)
		return;
	for (off = 0; off < n; off += PACK_CHUNK)
		if (out_data(o, name, (const char *)p + off, n - off < PACK_CHUNK ? n - off : PACK_CHUNK) < 0)
			return;
	pack_progress(o, n);
}

void
pack_out_file(struct pack_out *o, const char *name, const char *full,
    uint64_t size, unsigned char *sha, struct buf *gz)
{
	static char chunk[PACK_CHUNK];
	struct sha256_ctx c;
	uint64_t left = size;
	z_stream z;
	int fd, zok = 0;

	if (o->failed)
		return;
	if ((fd = open(full, O_RDONLY | O_CLOEXEC)) < 0) {
		pack_out_fail(o, _("cannot read \"%s\": %s"), full, strerror(errno));
		return;
	}
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	if (out_header(o, name, size) < 0)
		goto out;
	if (sha)
		sha256_init(&c);
	if (gz) {
		if (pack_gz_init(&z) < 0) {
			pack_out_fail(o, _("cannot compress \"%s\""), name);
			goto out;
		}
		zok = 1;
	}
	/* The size was declared in the header: a file that changed since
	 * the listing would make a wrong entry, so it is an error. */
	while (left > 0) {
		size_t want = left < PACK_CHUNK ? (size_t)left : PACK_CHUNK;
		ssize_t r = read(fd, chunk, want);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			pack_out_fail(o, _("\"%s\" changed while it was packed: build again, then pack"), full);
			goto out;
		}
		if (sha)
			sha256_update(&c, (size_t)r, (const uint8_t *)chunk);
		if (zok && pack_gz_feed(&z, chunk, (size_t)r, 0, gz) < 0) {
			pack_out_fail(o, _("cannot compress \"%s\""), name);
			goto out;
		}
		if (out_data(o, name, chunk, (size_t)r) < 0)
			goto out;
		left -= (uint64_t)r;
		pack_progress(o, (uint64_t)r);
	}
	if (zok && pack_gz_feed(&z, NULL, 0, 1, gz) < 0)
		pack_out_fail(o, _("cannot compress \"%s\""), name);
	if (sha)
		sha256_digest(&c, SHA256_DIGEST_SIZE, sha);
out:
	if (zok)
		deflateEnd(&z);
	close(fd);
}

void
pack_progress(struct pack_out *o, uint64_t bytes)
{
	double now;

	o->bytes_in += bytes;
	if (!o->tty)
		return;
	now = clock_seconds();
	if (now - o->last < 0.1)
		return;
	o->last = now;
	fprintf(stderr, _("\rpack: %zu/%zu files, %llu MB"), o->done, o->total,
	    (unsigned long long)(o->bytes_in / 1000000));
	fflush(stderr);
}

void
pack_out_finish(struct pack_out *o)
{
	if (o->finished)
		return;
	o->finished = 1;
	if (o->tty && o->last > 0)
		fputs("\r\033[K", stderr);
	if (o->a && !o->failed && archive_write_close(o->a) != ARCHIVE_OK)
		pack_out_fail(o, _("cannot finish \"%s\": %s"), o->target, archive_error_string(o->a));
}

int
pack_out_close(struct pack_out *o, int keep)
{
	int rc = 0;

	pack_out_finish(o);
	if (o->a) {
		archive_write_free(o->a);
		o->a = NULL;
	}
	if (o->fd >= 0 && o->tmp) {
		if (!o->failed && keep && fsync(o->fd) < 0)
			pack_out_fail(o, _("cannot write \"%s\": %s"), o->tmp, strerror(errno));
		if (close(o->fd) < 0 && !o->failed)
			pack_out_fail(o, _("cannot write \"%s\": %s"), o->tmp, strerror(errno));
		o->fd = -1;
	}
	if (o->failed || !keep) {
		if (o->tmp)
			unlink(o->tmp);
		rc = -1;
	} else if (rename(o->tmp, o->target) < 0) {
		pack_out_fail(o, _("cannot rename \"%s\" to \"%s\": %s"), o->tmp, o->target, strerror(errno));
		unlink(o->tmp);
		rc = -1;
	}
	if (o->failed && o->err.len)
		fprintf(stderr, "ardoise: %s\n", o->err.p);
	free(o->tmp);
	free(o->target);
	buf_release(&o->err);
	o->tmp = o->target = NULL;
	return rc;
}

