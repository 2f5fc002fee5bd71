/*
 * pack_int.h: what the pack_*.c files share (not for other modules).
 * pack.c reads a built site (file list, build.json), hashes, shows
 * progress and wraps libarchive writers with a sticky error; pack_zip.c,
 * pack_tar.c and pack_epub.c each write one kind of package.
 */
#ifndef ARDOISE_PACK_INT_H
#define ARDOISE_PACK_INT_H

#include <stdint.h>
#include <stdio.h>
#include <zlib.h>

#include "buf.h"

struct archive;
struct diag;

/* The largest file FAT32 can hold: 4 GiB - 1 byte. */
#define PACK_FAT32_MAX UINT64_C(4294967295)
/* Read size for streaming files into archives. */
#define PACK_CHUNK (256 * 1024)

/* One regular file of the built site. */
struct pack_file {
	char *path;		/* relative, '/'-separated, owned */
	uint64_t size;
};

/* A built site, as pack sees it: a directory, sorted files (bytewise,
 * .ardoise/ left out) and what .ardoise/build.json says. */
struct pack_site {
	char *dir;		/* owned */
	struct pack_file *files;
	size_t nfiles;
	struct buf build_json;	/* the file's bytes, copied to ardoise-build.json */
	char *commit, *audience;	/* from build.json, owned */
	int64_t mtime;		/* SOURCE_DATE_EPOCH, else build.json's date */
	int offset;		/* build.json date's UTC offset, minutes */
};

/* Loads dir's file list and build info. Returns 0, or -1 after printing
 * why to stderr (*status then says BUILD_CONTENT or BUILD_SYSTEM). */
int pack_site_load(struct pack_site *s, const char *dir, int *status);
void pack_site_release(struct pack_site *s);
/* Index of path in s->files, or -1. */
long pack_site_find(const struct pack_site *s, const char *path);

/*
 * The archive being written: libarchive handle, sticky first error, the
 * temp file it goes to (renamed over the target by pack_out_commit()),
 * bytes written so far, and the progress line.
 */
struct pack_out {
	struct archive *a;
	int fd;
	char *target, *tmp;	/* owned */
	int failed;		/* sticky: later calls do nothing */
	int finished;		/* archive_write_close() was called */
	struct buf err;		/* the first error, for the user */
	uint64_t written;	/* bytes that reached (or would reach) the file */
	uint64_t limit;		/* 0, or stop writing past it (keep counting) */
	/* progress */
	int tty;
	size_t done, total;
	uint64_t bytes_in;
	double last;
	/* mtime of every entry */
	int64_t mtime;
};

/* A new archive writer, libarchive loaded first (arlib.h): NULL after a
 * message when it cannot be. */
struct archive *pack_archive_new(void);
/* 0 when libxml2 is loaded (xmlib.h), else -1 after a message. */
int pack_xml_ready(void);
/* Creates the temp file next to target and opens a (configured) archive
 * `a` on it. Returns 0 or -1 (message printed). */
int pack_out_open(struct pack_out *o, struct archive *a, const char *target, int64_t mtime);
/* Records the first failure; later ones are ignored. */
void pack_out_fail(struct pack_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Adds a regular file entry with data from memory. */
void pack_out_mem(struct pack_out *o, const char *name, const void *p, size_t n);
/* Adds a regular file entry streamed from the file at `full` of `size`
 * bytes. When sha (32 bytes) is not NULL, fills it with the SHA-256 of
 * the data; when gz is not NULL, appends the data gzip-compressed
 * (level 9, no name, mtime 0) to it. */
void pack_out_file(struct pack_out *o, const char *name, const char *full,
    uint64_t size, unsigned char *sha, struct buf *gz);
/* Closes the archive (once; the result goes to the sticky error), so
 * that o->written is the final size. */
void pack_out_finish(struct pack_out *o);
/* Finishes, frees the archive; on success renames the temp file over the target.
 * On failure (or when keep is 0) removes the temp file. Returns 0 or -1. */
int pack_out_close(struct pack_out *o, int keep);
/* One step of the progress line (drawn only on a terminal, at most 10
 * times a second); pack_out_close() clears it. */
void pack_progress(struct pack_out *o, uint64_t bytes);

/* Human size, "4,7 Go"-free: "5368709120 bytes (5.0 GiB)". */
void pack_size_str(struct buf *b, uint64_t n);
/* SHA-256 of memory, 32 bytes. */
void pack_sha256(const void *p, size_t n, unsigned char out[32]);
/* Appends "hex  name\n" (sha256sum -c format). */
void pack_sha_line(struct buf *b, const unsigned char sha[32], const char *name);
/* Streaming gzip for pack_out.c: init (level 9, mtime 0, no name), then
 * feed (finish=1 on the last call), appending to out; deflateEnd() after.
 * Return 0 or -1. */
int pack_gz_init(z_stream *z);
int pack_gz_feed(z_stream *z, const void *p, size_t n, int finish, struct buf *out);
/* Gzip (RFC 1952, level 9, mtime 0, no name) of memory, appended to out. */
int pack_gzip_mem(const void *p, size_t n, struct buf *out);
/* Sets TZ to a fixed UTC offset (minutes east): zip headers hold local
 * times, which must not depend on the packing machine. */
void pack_set_tz(int offset);
/* Full path dir/rel into b. */
void pack_full(struct buf *b, const struct pack_site *s, const char *rel);

int pack_usb(const struct pack_site *s, const char *target, const char *themes);
int pack_cdn(const struct pack_site *s, const char *target);
int pack_epub(const struct pack_site *s, const char *cahier, const char *target, const char *themes);

#endif
