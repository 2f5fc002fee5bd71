/*
 * pack_ocf: writes an EPUB book (pack_epub.h) as an OCF container: a zip
 * whose first entry is "mimetype", stored, then META-INF/container.xml,
 * the package document EPUB/content.opf, the navigation document
 * EPUB/nav.xhtml, then the pages and media in name order.
 *
 * OCF forbids an extra field in mimetype's local header (epubcheck
 * PKG-005), and libarchive 3.6.2 always writes its UT and ux extra
 * fields. So once libarchive has written the zip, that one header is
 * shortened in place: the bytes after it move down and the central
 * directory's offsets are corrected (fix_mimetype).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "arlib.h"
#include "build.h"
#include "pack_epub.h"
#include "pack_int.h"
#include "util.h"
#include "xmlib.h"

#define X(s) ((const xmlChar *)(s))

static const char container_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
	"<rootfiles>\n"
	"<rootfile full-path=\"EPUB/content.opf\" media-type=\"application/oebps-package+xml\"/>\n"
	"</rootfiles>\n"
	"</container>\n";

/* Sticky-error wrapper of xmlTextWriter calls: the first failure is kept. */
struct xw {
	xmlTextWriterPtr w;
	int failed;
};

static void
xw_check(struct xw *x, int r)
{
	if (r < 0)
		x->failed = 1;
}

#define XW(x, call) do { if (!(x)->failed) xw_check((x), (call)); } while (0)

/* "cahiers/x/01-a.html" -> "cahiers/x/01-a.xhtml" */
static void
page_href(struct buf *b, const char *path)
{
	buf_reset(b);
	buf_add(b, path, strlen(path) - 5);
	buf_puts(b, ".xhtml");
}

static int
make_nav(const struct epub_book *bk, struct buf *out)
{
	xmlBufferPtr mem = xmlBufferCreate();
	struct xw x = { xmlNewTextWriterMemory(mem, 0), 0 };
	struct buf href = BUF_INIT;
	size_t i;
	int rc = -1;

	if (!x.w)
		goto out;
	XW(&x, xmlTextWriterStartDocument(x.w, NULL, "UTF-8", NULL));
	XW(&x, xmlTextWriterWriteDTD(x.w, X("html"), NULL, NULL, NULL));
	XW(&x, xmlTextWriterStartElementNS(x.w, NULL, X("html"), X("http://www.w3.org/1999/xhtml")));
	XW(&x, xmlTextWriterWriteAttributeNS(x.w, X("xmlns"), X("epub"), NULL,
	    X("http://www.idpf.org/2007/ops")));
	XW(&x, xmlTextWriterWriteAttribute(x.w, X("lang"), X(bk->lang)));
	XW(&x, xmlTextWriterWriteAttribute(x.w, X("xml:lang"), X(bk->lang)));
	XW(&x, xmlTextWriterStartElement(x.w, X("head")));
	XW(&x, xmlTextWriterStartElement(x.w, X("meta")));
	XW(&x, xmlTextWriterWriteAttribute(x.w, X("charset"), X("utf-8")));
	XW(&x, xmlTextWriterEndElement(x.w));
	XW(&x, xmlTextWriterWriteElement(x.w, X("title"), X(bk->pages[0].title)));
	XW(&x, xmlTextWriterEndElement(x.w));
	XW(&x, xmlTextWriterStartElement(x.w, X("body")));
	XW(&x, xmlTextWriterStartElement(x.w, X("nav")));
	XW(&x, xmlTextWriterWriteAttribute(x.w, X("epub:type"), X("toc")));
	XW(&x, xmlTextWriterWriteAttribute(x.w, X("id"), X("toc")));
	XW(&x, xmlTextWriterWriteElement(x.w, X("h1"), X(bk->pages[0].title)));
	XW(&x, xmlTextWriterStartElement(x.w, X("ol")));
	for (i = 0; i < bk->npages; i++) {
		page_href(&href, bk->pages[i].path);
		XW(&x, xmlTextWriterStartElement(x.w, X("li")));
		XW(&x, xmlTextWriterStartElement(x.w, X("a")));
		XW(&x, xmlTextWriterWriteAttribute(x.w, X("href"), X(href.p)));
		XW(&x, xmlTextWriterWriteString(x.w, X(*bk->pages[i].title ? bk->pages[i].title : href.p)));
		XW(&x, xmlTextWriterEndElement(x.w));
		XW(&x, xmlTextWriterEndElement(x.w));
	}
	XW(&x, xmlTextWriterEndDocument(x.w));
	xmlFreeTextWriter(x.w);
	if (!x.failed) {
		buf_add(out, xmlBufferContent(mem), (size_t)xmlBufferLength(mem));
		rc = 0;
	}
out:
	xmlBufferFree(mem);
	buf_release(&href);
	return rc;
}

static void
item(struct xw *x, const char *id, const char *href, const char *type, const char *props)
{
	XW(x, xmlTextWriterStartElement(x->w, X("item")));
	XW(x, xmlTextWriterWriteAttribute(x->w, X("id"), X(id)));
	XW(x, xmlTextWriterWriteAttribute(x->w, X("href"), X(href)));
	XW(x, xmlTextWriterWriteAttribute(x->w, X("media-type"), X(type)));
	if (props)
		XW(x, xmlTextWriterWriteAttribute(x->w, X("properties"), X(props)));
	XW(x, xmlTextWriterEndElement(x->w));
}

static int
make_opf(const struct epub_book *bk, const struct pack_site *s, struct buf *out)
{
	xmlBufferPtr mem = xmlBufferCreate();
	struct xw x = { xmlNewTextWriterMemory(mem, 0), 0 };
	struct buf b = BUF_INIT, id = BUF_INIT;
	unsigned char h[32];
	char when[32];
	time_t t = (time_t)s->mtime;
	struct tm tm;
	size_t i;
	int rc = -1;

	if (!x.w)
		goto out;
	/* The same notebook of the same commit is the same book: a name-based
	 * UUID (version 8 layout) from both. */
	buf_printf(&b, "%s\n%s", s->commit, bk->dir);
	pack_sha256(b.p, b.len, h);
	h[6] = (unsigned char)((h[6] & 0x0f) | 0x80);
	h[8] = (unsigned char)((h[8] & 0x3f) | 0x80);
	buf_reset(&b);
	buf_puts(&b, "urn:uuid:");
	for (i = 0; i < 16; i++)
		buf_printf(&b, "%s%02x", i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "", h[i]);
	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);

	XW(&x, xmlTextWriterStartDocument(x.w, NULL, "UTF-8", NULL));
	XW(&x, xmlTextWriterStartElementNS(x.w, NULL, X("package"), X("http://www.idpf.org/2007/opf")));
	XW(&x, xmlTextWriterWriteAttribute(x.w, X("version"), X("3.0")));
	XW(&x, xmlTextWriterWriteAttribute(x.w, X("unique-identifier"), X("uid")));
	XW(&x, xmlTextWriterWriteAttribute(x.w, X("xml:lang"), X(bk->lang)));
	XW(&x, xmlTextWriterStartElement(x.w, X("metadata")));
	XW(&x, xmlTextWriterWriteAttributeNS(x.w, X("xmlns"), X("dc"), NULL,
	    X("http://purl.org/dc/elements/1.1/")));
	XW(&x, xmlTextWriterStartElement(x.w, X("dc:identifier")));
	XW(&x, xmlTextWriterWriteAttribute(x.w, X("id"), X("uid")));
	XW(&x, xmlTextWriterWriteString(x.w, X(b.p)));
	XW(&x, xmlTextWriterEndElement(x.w));
	XW(&x, xmlTextWriterWriteElement(x.w, X("dc:title"), X(bk->pages[0].title)));
	XW(&x, xmlTextWriterWriteElement(x.w, X("dc:language"), X(bk->lang)));
	XW(&x, xmlTextWriterStartElement(x.w, X("meta")));
	XW(&x, xmlTextWriterWriteAttribute(x.w, X("property"), X("dcterms:modified")));
	XW(&x, xmlTextWriterWriteString(x.w, X(when)));
	XW(&x, xmlTextWriterEndElement(x.w));
	XW(&x, xmlTextWriterEndElement(x.w));

	XW(&x, xmlTextWriterStartElement(x.w, X("manifest")));
	item(&x, "nav", "nav.xhtml", "application/xhtml+xml", "nav");
	if (bk->css.len)
		item(&x, "css", EPUB_CSS, "text/css", NULL);
	for (i = 0; i < bk->npages; i++) {
		buf_reset(&id);
		buf_printf(&id, "p%zu", i + 1);
		page_href(&b, bk->pages[i].path);
		item(&x, id.p, b.p, "application/xhtml+xml", NULL);
	}
	for (i = 0; i < bk->nres; i++) {
		buf_reset(&id);
		buf_printf(&id, "r%zu", i + 1);
		item(&x, id.p, bk->res[i], epub_media_type(bk->res[i]),
		    bk->res[i] == bk->cover ? "cover-image" : NULL);
	}
	XW(&x, xmlTextWriterEndElement(x.w));
	XW(&x, xmlTextWriterStartElement(x.w, X("spine")));
	for (i = 0; i < bk->npages; i++) {
		buf_reset(&id);
		buf_printf(&id, "p%zu", i + 1);
		XW(&x, xmlTextWriterStartElement(x.w, X("itemref")));
		XW(&x, xmlTextWriterWriteAttribute(x.w, X("idref"), X(id.p)));
		XW(&x, xmlTextWriterEndElement(x.w));
	}
	XW(&x, xmlTextWriterEndDocument(x.w));
	xmlFreeTextWriter(x.w);
	if (!x.failed) {
		buf_add(out, xmlBufferContent(mem), (size_t)xmlBufferLength(mem));
		rc = 0;
	}
out:
	xmlBufferFree(mem);
	buf_release(&b);
	buf_release(&id);
	return rc;
}

static unsigned
get16(const unsigned char *p)
{
	return p[0] | (unsigned)p[1] << 8;
}

static uint32_t
get32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = (v >> 24) & 0xff;
}

static int
pread_all(int fd, void *p, size_t n, off_t off)
{
	return pread(fd, p, n, off) == (ssize_t)n ? 0 : -1;
}

static int
pwrite_all(int fd, const void *p, size_t n, off_t off)
{
	return pwrite(fd, p, n, off) == (ssize_t)n ? 0 : -1;
}

/* Removes the extra field of the first local header (see the top
 * comment). The zip has no comment and no zip64 records (!zip64). */
static int
fix_mimetype(int fd)
{
	static unsigned char chunk[PACK_CHUNK];
	unsigned char lh[30], eocd[22], *cd = NULL;
	uint32_t cd_off, cd_size, x, p;
	off_t from, to, end;
	struct stat st;
	int rc = -1;

	if (fstat(fd, &st) < 0 || st.st_size < 22 || pread_all(fd, lh, 30, 0) < 0 ||
	    pread_all(fd, eocd, 22, st.st_size - 22) < 0 || get32(lh) != 0x04034b50 ||
	    get32(eocd) != 0x06054b50)
		return -1;
	x = get16(lh + 28);
	if (x == 0)
		return 0;
	cd_size = get32(eocd + 12);
	cd_off = get32(eocd + 16);
	if ((uint64_t)cd_off + cd_size + 22 != (uint64_t)st.st_size)
		return -1;
	cd = xmalloc(cd_size ? cd_size : 1);
	if (pread_all(fd, cd, cd_size, cd_off) < 0)
		goto out;
	for (p = 0; p + 46 <= cd_size && get32(cd + p) == 0x02014b50;
	    p += 46 + get16(cd + p + 28) + get16(cd + p + 30) + get16(cd + p + 32)) {
		uint32_t lo = get32(cd + p + 42);

		if (lo > 0)
			put32(cd + p + 42, lo - x);
	}
	if (p != cd_size)
		goto out;
	lh[28] = lh[29] = 0;
	if (pwrite_all(fd, lh, 30, 0) < 0)
		goto out;
	/* Moving down, front to back, never overwrites what is still to move. */
	for (from = 30 + get16(lh + 26) + x, to = from - x, end = cd_off; from < end;) {
		size_t n = end - from < PACK_CHUNK ? (size_t)(end - from) : PACK_CHUNK;

		if (pread_all(fd, chunk, n, from) < 0 || pwrite_all(fd, chunk, n, to) < 0)
			goto out;
		from += (off_t)n;
		to += (off_t)n;
	}
	put32(eocd + 16, cd_off - x);
	if (pwrite_all(fd, cd, cd_size, cd_off - x) < 0 ||
	    pwrite_all(fd, eocd, 22, (off_t)cd_off - x + cd_size) < 0 ||
	    ftruncate(fd, st.st_size - x) < 0)
		goto out;
	rc = 0;
out:
	free(cd);
	return rc;
}

struct ent {
	char *name;	/* in the zip, owned */
	const char *site;	/* resource: its site path */
	const struct buf *mem;	/* page: its XHTML */
};

static int
cmp_ent(const void *a, const void *b)
{
	return strcmp(((const struct ent *)a)->name, ((const struct ent *)b)->name);
}

int
epub_write(const struct epub_book *bk, const struct pack_site *s, const char *target)
{
	struct buf nav = BUF_INIT, opf = BUF_INIT, b = BUF_INIT, full = BUF_INIT;
	struct ent *ents;
	struct pack_out o;
	struct archive *a;
	size_t i, n = 0;
	int status = BUILD_SYSTEM;

	ents = xcalloc(bk->npages + bk->nres + 1, sizeof *ents);
	if (make_nav(bk, &nav) < 0 || make_opf(bk, s, &opf) < 0) {
		fputs(_("ardoise: cannot write the EPUB's navigation or package document\n"), stderr);
		goto done;
	}
	for (i = 0; i < bk->npages; i++) {
		page_href(&b, bk->pages[i].path);
		buf_reset(&full);
		buf_printf(&full, "EPUB/%s", b.p);
		ents[n].name = buf_detach(&full, NULL);
		ents[n++].mem = &bk->pages[i].xhtml;
	}
	for (i = 0; i < bk->nres; i++) {
		buf_reset(&full);
		buf_printf(&full, "EPUB/%s", bk->res[i]);
		ents[n].name = buf_detach(&full, NULL);
		ents[n++].site = bk->res[i];
	}
	sort_array(ents, n, sizeof *ents, cmp_ent);

	pack_set_tz(s->offset);
	if ((a = pack_archive_new()) == NULL)
		goto done;
	if (archive_write_set_format_zip(a) != ARCHIVE_OK ||
	    archive_write_set_format_option(a, "zip", "hdrcharset", "UTF-8") != ARCHIVE_OK ||
	    archive_write_set_format_option(a, "zip", "zip64", NULL) != ARCHIVE_OK) {
		fprintf(stderr, _("ardoise: libarchive cannot write zip files: %s\n"), archive_error_string(a));
		archive_write_free(a);
		goto done;
	}
	if (pack_out_open(&o, a, target, s->mtime) < 0) {
		pack_out_close(&o, 0);
		goto done;
	}
	o.total = n + 4;
	archive_write_zip_set_compression_store(a);
	pack_out_mem(&o, "mimetype", "application/epub+zip", 20);
	archive_write_zip_set_compression_deflate(a);
	pack_out_mem(&o, "META-INF/container.xml", container_xml, sizeof container_xml - 1);
	pack_out_mem(&o, "EPUB/content.opf", opf.p, opf.len);
	pack_out_mem(&o, "EPUB/nav.xhtml", nav.p, nav.len);
	if (bk->css.len)
		pack_out_mem(&o, "EPUB/" EPUB_CSS, bk->css.p, bk->css.len);
	for (i = 0; i < n && !o.failed; i++) {
		if (ents[i].mem) {
			archive_write_zip_set_compression_deflate(a);
			pack_out_mem(&o, ents[i].name, ents[i].mem->p, ents[i].mem->len);
		} else {
			long f = pack_site_find(s, ents[i].site);
			const char *type = epub_media_type(ents[i].site);

			if (str_starts(type, "text/") || str_starts(type, "image/svg"))
				archive_write_zip_set_compression_deflate(a);
			else
				archive_write_zip_set_compression_store(a);
			pack_full(&full, s, ents[i].site);
			pack_out_file(&o, ents[i].name, full.p, s->files[f].size, NULL, NULL);
		}
		o.done++;
	}
	pack_out_finish(&o);
	if (!o.failed && fix_mimetype(o.fd) < 0)
		pack_out_fail(&o, _("cannot finish \"%s\": the zip written by libarchive has an unexpected layout"),
		    target);
	if (pack_out_close(&o, 1) == 0)
		status = BUILD_OK;
done:
	for (i = 0; i < n; i++)
		free(ents[i].name);
	free(ents);
	buf_release(&nav);
	buf_release(&opf);
	buf_release(&b);
	buf_release(&full);
	return status;
}
