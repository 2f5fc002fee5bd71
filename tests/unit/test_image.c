#include <stdlib.h>
#include <string.h>

#include <vips/vips.h>

#include "buf.h"
#include "image.h"
#include "media.h"
#include "t.h"

TEST(names)
{
	struct buf b = BUF_INIT;

	image_out_path("media/IMG_0001.HEIC", &b);
	CHECK_STR(b.p, "media/IMG_0001.jpg");
	image_out_path("media/a.b/photo.jpeg", &b);
	CHECK_STR(b.p, "media/a.b/photo.jpeg");
	image_thumb_path("media/photo.jpg", 480, &b);
	CHECK_STR(b.p, "media/photo.480.jpg");
	image_thumb_path("media/a.b/photo", 480, &b);
	CHECK_STR(b.p, "media/a.b/photo.480");
	CHECK(image_handles("x/P.JPG") && image_handles("a.heif") && image_handles("a.webp"));
	CHECK(!image_handles("a.gif") && !image_handles("a.svg") && !image_handles("jpg"));
	buf_release(&b);
}

TEST(fit)
{
	int w, h;

	image_fit(4000, 3000, 1600, &w, &h);
	CHECK_INT(w, 1600);
	CHECK_INT(h, 1200);
	image_fit(800, 600, 1600, &w, &h);	/* never enlarged */
	CHECK_INT(w, 800);
	CHECK_INT(h, 600);
	image_fit(3001, 1999, 480, &w, &h);
	CHECK_INT(w, 480);
	CHECK_INT(h, 320);	/* 319.74 rounded */
	image_fit(10000, 3, 480, &w, &h);
	CHECK_INT(h, 1);
}

/* An encoded picture w x h with an EXIF orientation, made by libvips. */
static void *
make_jpeg(int w, int h, int orientation, size_t *n)
{
	VipsImage *im = NULL, *copy = NULL;
	void *p = NULL;

	if (vips_black(&im, w, h, "bands", 3, NULL) != 0)
		return NULL;
	vips_copy(im, &copy, NULL);
	vips_image_set_int(copy, "orientation", orientation);
	if (vips_jpegsave_buffer(copy, &p, n, "Q", 50, NULL) != 0)
		p = NULL;
	g_object_unref(im);
	g_object_unref(copy);
	return p;
}

/* The sizes pages announce are exactly those of the files made, for
 * awkward sizes and both orientations. */
TEST(planned_sizes_are_exact)
{
	static const int sizes[][2] = {
		{ 4032, 3024 }, { 3001, 1999 }, { 1601, 1201 }, { 1599, 7 }, { 2047, 1535 },
		{ 481, 481 }, { 5000, 3 },
	};
	struct image_opts o = IMAGE_OPTS_DEFAULT;
	size_t i;
	int orient;

	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		for (orient = 1; orient <= 6; orient += 5) {
			struct buf d = BUF_INIT, t = BUF_INIT;
			struct image_plan p;
			size_t n = 0;
			void *src = make_jpeg(sizes[i][0], sizes[i][1], orient, &n);
			char err[256];
			VipsImage *im;

			CHECK(src != NULL);
			if (!src)
				continue;
			CHECK_INT(image_plan(src, n, "a.jpg", &o, &p, err, sizeof err), 0);
			CHECK(!p.as_is);	/* EXIF present */
			CHECK_INT(image_process(src, n, &o, &p, &d, &t, err, sizeof err), 0);
			im = vips_image_new_from_buffer(d.p, d.len, "", NULL);
			CHECK(im != NULL);
			if (im) {
				CHECK_INT(vips_image_get_width(im), p.width);
				CHECK_INT(vips_image_get_height(im), p.height);
				CHECK(!vips_image_get_typeof(im, "exif-data"));
				g_object_unref(im);
			}
			if (p.thumb_width) {
				im = vips_image_new_from_buffer(t.p, t.len, "", NULL);
				CHECK(im != NULL);
				if (im) {
					CHECK_INT(vips_image_get_width(im), p.thumb_width);
					CHECK_INT(vips_image_get_height(im), p.thumb_height);
					g_object_unref(im);
				}
			}
			/* a quarter turn swaps the sides before fitting */
			CHECK_INT(p.width, (orient == 6 ? sizes[i][1] : sizes[i][0]) > 1600 ? 1600 :
			    (orient == 6 ? sizes[i][1] : sizes[i][0]));
			g_free(src);
			buf_release(&d);
			buf_release(&t);
		}
}

/* vips's fields that a published copy must not carry (as image.c's) */
static int
vips_has_metadata(VipsImage *im)
{
	gchar **f = vips_image_get_fields(im);
	int found = 0, i;

	for (i = 0; f && f[i]; i++)
		if (strcmp(f[i], "exif-data") == 0 || strcmp(f[i], "xmp-data") == 0 ||
		    strcmp(f[i], "iptc-data") == 0 || strcmp(f[i], "jpeg-comment") == 0 ||
		    strcmp(f[i], "icc-profile-data") == 0 || strncmp(f[i], "png-comment", 11) == 0)
			found = 1;
	g_strfreev(f);
	return found;
}

/* Encodes a w x h picture as fmt ("jpg", "png", "webp"), stripped or
 * with an orientation tag, and a comment when asked. */
static void *
make_picture(const char *fmt, int w, int h, int strip, int comment, size_t *n)
{
	VipsImage *im = NULL, *copy = NULL;
	void *p = NULL;
	int rc;

	if (vips_black(&im, w, h, "bands", 3, NULL) != 0)
		return NULL;
	vips_copy(im, &copy, NULL);
	if (!strip)
		vips_image_set_int(copy, "orientation", 1);
	if (comment) {
		vips_image_set_string(copy, "jpeg-comment", "Photo de Lucas, 12 rue des Lilas");
		vips_image_set_string(copy, "png-comment-0-Comment", "Photo de Lucas");
	}
	if (strcmp(fmt, "png") == 0)
		rc = vips_pngsave_buffer(copy, &p, n, "strip", strip, NULL);
	else if (strcmp(fmt, "webp") == 0)
		rc = vips_webpsave_buffer(copy, &p, n, "strip", strip, NULL);
	else
		rc = vips_jpegsave_buffer(copy, &p, n, "strip", strip, NULL);
	g_object_unref(im);
	g_object_unref(copy);
	return rc == 0 ? p : NULL;
}

/* A picture the fast path calls plain is one libvips reads at the same
 * size, upright and with nothing to strip; pictures with metadata are
 * never called plain. */
TEST(plain_pictures_agree_with_libvips)
{
	static const char *const fmts[] = { "jpg", "png", "webp" };
	size_t i, n;
	int strip, comment;

	for (i = 0; i < 3; i++)
		for (strip = 0; strip <= 1; strip++)
			for (comment = 0; comment <= 1; comment++) {
				void *src = make_picture(fmts[i], 641, 479, strip, comment, &n);
				VipsImage *im;
				int w = 0, h = 0, plain;

				CHECK(src != NULL);
				if (!src)
					continue;
				plain = media_image_plain(src, n, &w, &h) == 0;
				im = vips_image_new_from_buffer(src, n, "", NULL);
				CHECK(im != NULL);
				if (im) {
					int meta = vips_has_metadata(im) ||
					    vips_image_get_typeof(im, "orientation");

					/* plain exactly when libvips finds nothing */
					if (plain != !meta)
						fprintf(stderr, "  %s strip=%d comment=%d: plain %d, libvips metadata %d\n",
						    fmts[i], strip, comment, plain, meta);
					CHECK_INT(plain, !meta);
					if (plain) {
						CHECK_INT(w, vips_image_get_width(im));
						CHECK_INT(h, vips_image_get_height(im));
					}
					g_object_unref(im);
				}
				/* a stripped JPEG or PNG is plain */
				if (strip && strcmp(fmts[i], "webp") != 0)
					CHECK(plain);
				g_free(src);
			}
}

/* Hand-made headers: a comment segment, a text chunk after the pixels,
 * a truncated file: none is plain. */
TEST(plain_refuses_what_it_cannot_vouch_for)
{
	size_t n = 0;
	void *jpg = make_picture("jpg", 64, 48, 1, 0, &n);
	struct buf b = BUF_INIT;
	int w, h;

	CHECK(jpg != NULL);
	if (!jpg)
		return;
	CHECK_INT(media_image_plain(jpg, n, &w, &h), 0);
	CHECK_INT(w, 64);
	CHECK_INT(h, 48);
	/* SOI, then a COM segment "GPS", then the rest */
	buf_add(&b, jpg, 2);
	buf_add(&b, "\xff\xfe\x00\x05GPS", 7);
	buf_add(&b, (char *)jpg + 2, n - 2);
	CHECK_INT(media_image_plain(b.p, b.len, &w, &h), -1);
	/* cut before the first scan */
	CHECK_INT(media_image_plain(jpg, 40, &w, &h), -1);
	g_free(jpg);
	buf_release(&b);

	jpg = make_picture("png", 64, 48, 1, 0, &n);
	CHECK(jpg != NULL);
	if (!jpg)
		return;
	CHECK_INT(media_image_plain(jpg, n, &w, &h), 0);
	/* a tEXt chunk just before IEND */
	buf_add(&b, jpg, n - 12);
	buf_add(&b, "\x00\x00\x00\x03tEXtGPS\x00\x00\x00\x00", 15);
	buf_add(&b, (char *)jpg + n - 12, 12);
	CHECK_INT(media_image_plain(b.p, b.len, &w, &h), -1);
	CHECK_INT(media_image_plain(jpg, n - 12, &w, &h), -1);	/* no IEND */
	g_free(jpg);
	buf_release(&b);
}

TEST(refuses_garbage)
{
	struct image_opts o = IMAGE_OPTS_DEFAULT;
	struct image_plan p;
	char err[256];

	CHECK_INT(image_plan("not a picture", 13, "a.jpg", &o, &p, err, sizeof err), -1);
	CHECK(err[0] != '\0');
}

int
main(int argc, char **argv)
{
	(void)argc;
	/* the tests make pictures with libvips directly; image.c loads it
	 * again on first use (vips_init is idempotent) */
	if (image_global_init(argv[0]) < 0 || VIPS_INIT(argv[0]) != 0)
		return 1;
	RUN(names);
	RUN(fit);
	RUN(planned_sizes_are_exact);
	RUN(plain_pictures_agree_with_libvips);
	RUN(plain_refuses_what_it_cannot_vouch_for);
	RUN(refuses_garbage);
	image_global_shutdown();
	return t_summary();
}
