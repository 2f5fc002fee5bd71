#include <stdlib.h>
#include <string.h>

#include <vips/vips.h>

#include "buf.h"
#include "image.h"
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
	if (image_global_init(argv[0]) < 0)
		return 1;
	RUN(names);
	RUN(fit);
	RUN(planned_sizes_are_exact);
	RUN(refuses_garbage);
	image_global_shutdown();
	return t_summary();
}
