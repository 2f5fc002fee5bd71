/*
 * pack_tar: the web server / CDN package. A gzip'd pax tar of the site
 * with ardoise-build.json at its root and, next to each text file, its
 * gzip'd copy (page.html.gz) for nginx's gzip_static; sorted entries,
 * one mtime, uid/gid 0 and no user names, so the same site gives the
 * same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arlib.h"
#include "build.h"
#include "pack_int.h"
#include "util.h"

#define INFO_NAME "ardoise-build.json"

/* What nginx compresses on the fly otherwise (its gzip_types): */
static const char *const text_ext[] = {
	"html", "css", "js", "xml", "svg", "txt", "json", "md", "vtt",
};

static int
is_text(const char *path)
{
	char ext[16];
	size_t i;

	path_ext(path, ext, sizeof ext);
	for (i = 0; i < ARRAY_LEN(text_ext); i++)
		if (strcmp(ext, text_ext[i]) == 0)
			return 1;
	return 0;
}

/* An entry of the tar: a site file, its .gz sibling, or the build info. */
enum kind { K_FILE, K_GZ, K_INFO };

struct entry {
	char *name;		/* owned */
	enum kind kind;
	size_t file;		/* index in the site's files (K_FILE, K_GZ) */
};

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

int
pack_cdn(const struct pack_site *s, const char *target)
{
	struct buf full = BUF_INIT, gz = BUF_INIT, raw = BUF_INIT, name = BUF_INIT;
	struct entry *ents;
	struct pack_out o;
	struct archive *a;
	size_t i, n = 0, gz_of = (size_t)-1;
	int status = BUILD_SYSTEM;

	/* The CDN is public: a class build holds posts for families only. */
	if (strcmp(s->audience, "public") != 0) {
		fprintf(stderr, _("ardoise: \"%s\" was built for audience \"%s\": "
		    "for a public server, build with --audience public and pack that\n"),
		    s->dir, s->audience);
		return BUILD_CONTENT;
	}
	if (pack_site_find(s, INFO_NAME) >= 0) {
		fprintf(stderr, _("ardoise: the site has a file \"%s\", the name of the build info: rename it\n"),
		    INFO_NAME);
		return BUILD_CONTENT;
	}
	ents = xcalloc(2 * s->nfiles + 1, sizeof *ents);
	ents[n].name = xstrdup(INFO_NAME);
	ents[n++].kind = K_INFO;
	for (i = 0; i < s->nfiles; i++) {
		ents[n].name = xstrdup(s->files[i].path);
		ents[n].kind = K_FILE;
		ents[n++].file = i;
		if (!is_text(s->files[i].path))
			continue;
		buf_reset(&name);
		buf_printf(&name, "%s.gz", s->files[i].path);
		/* A .gz the site has already is kept as it is. */
		if (pack_site_find(s, name.p) >= 0)
			continue;
		ents[n].name = buf_detach(&name, NULL);
		ents[n].kind = K_GZ;
		ents[n++].file = i;
	}
	sort_array(ents, n, sizeof *ents, cmp_entry);

	if ((a = pack_archive_new()) == NULL)
		goto done;
	if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
	    archive_write_set_options(a, "gzip:!timestamp") != ARCHIVE_OK) {
		fprintf(stderr, _("ardoise: libarchive cannot write tar.gz files: %s\n"), archive_error_string(a));
		archive_write_free(a);
		goto done;
	}
	if (pack_out_open(&o, a, target, s->mtime) < 0) {
		pack_out_close(&o, 0);
		goto done;
	}
	o.total = n;
	for (i = 0; i < n && !o.failed; i++) {
		const struct entry *e = &ents[i];

		switch (e->kind) {
		case K_INFO:
			pack_out_mem(&o, e->name, s->build_json.p, s->build_json.len);
			break;
		case K_FILE:
			pack_full(&full, s, e->name);
			buf_reset(&gz);
			gz_of = (size_t)-1;
			pack_out_file(&o, e->name, full.p, s->files[e->file].size, NULL,
			    is_text(e->name) ? &gz : NULL);
			if (is_text(e->name))
				gz_of = e->file;
			break;
		case K_GZ:
			/* Nearly always right after its source, compressed while
			 * that was written; otherwise (a name sorting between
			 * them) compressed again from the file. */
			if (gz_of != e->file) {
				pack_full(&full, s, s->files[e->file].path);
				buf_reset(&raw);
				buf_reset(&gz);
				if (file_read(full.p, &raw) < 0 || pack_gzip_mem(raw.p, raw.len, &gz) < 0) {
					pack_out_fail(&o, _("cannot read \"%s\""), full.p);
					break;
				}
				gz_of = e->file;
			}
			pack_out_mem(&o, e->name, gz.p, gz.len);
			break;
		}
		o.done++;
	}
	if (pack_out_close(&o, 1) == 0)
		status = BUILD_OK;
done:
	for (i = 0; i < n; i++)
		free(ents[i].name);
	free(ents);
	buf_release(&full);
	buf_release(&gz);
	buf_release(&raw);
	buf_release(&name);
	return status;
}
