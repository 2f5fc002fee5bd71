#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "media.h"
#include "t.h"
#include "util.h"

/* A real 3x2 PNG (IHDR, zlib IDAT, IEND with their CRCs). */
static const unsigned char png[] = {
	0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
	0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 3, 0, 0, 0, 2, 8, 2, 0, 0, 0,
	0x12, 0x16, 0xf1, 0x4d,
	0, 0, 0, 16, 'I', 'D', 'A', 'T', 0x78, 0xda, 0x63, 0xf8, 0xcf, 0xc0,
	0x00, 0x41, 0x0c, 0x70, 0x16, 0x00, 0x41, 0xd2, 0x05, 0xfb,
	0x6f, 0xf1, 0x16, 0xc7,
	0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82,
};

/* A whole 5x4 GIF: header, screen, image descriptor, LZW data, trailer. */
static const unsigned char gif[] = {
	'G', 'I', 'F', '8', '9', 'a', 5, 0, 4, 0, 0x00, 0, 0,
	0x2c, 0, 0, 0, 0, 5, 0, 4, 0, 0x00,
	0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
};

/*
 * A JPEG's markers without image data worth decoding: fill bytes, an
 * APP0, an APP1 Exif (big-endian TIFF, orientation 6 = a quarter turn),
 * a stray RST, SOF0 (40x30), SOS, EOI. The decoder never reads the scan.
 */
static const unsigned char jpeg_exif[] = {
	0xff, 0xd8,
	0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
	0xff, 0xe1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0,
	'M', 'M', 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08,
	0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xff, 0xff, 0xff, 0xd0,
	0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x1e, 0x00, 0x28, 0x03,
	0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
	0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x12, 0x34,
	0xff, 0xd9,
};

/* Little-endian Exif with orientation 3 (half turn: no swap), then a
 * progressive SOF2 of 640x480. */
static const unsigned char jpeg_le[] = {
	0xff, 0xd8,
	0xff, 0xe1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0,
	'I', 'I', 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xff, 0xc2, 0x00, 0x0b, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x01, 0x01, 0x11, 0x00,
	0xff, 0xd9,
};

/* WebP: lossy (VP8, 17x9), lossless (VP8L, 300x200), extended (VP8X, 1024x768). */
static const unsigned char webp_vp8[] = {
	'R', 'I', 'F', 'F', 0x22, 0, 0, 0, 'W', 'E', 'B', 'P',
	'V', 'P', '8', ' ', 0x16, 0, 0, 0,
	0x30, 0x01, 0x00, 0x9d, 0x01, 0x2a, 17, 0x00, 9, 0x00,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};
static const unsigned char webp_vp8l[] = {
	'R', 'I', 'F', 'F', 0x1a, 0, 0, 0, 'W', 'E', 'B', 'P',
	'V', 'P', '8', 'L', 0x0d, 0, 0, 0,
	/* 14 bits width - 1 = 299, 14 bits height - 1 = 199 */
	0x2f, 0x2b, 0xc1, 0x31, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};
static const unsigned char webp_vp8x[] = {
	'R', 'I', 'F', 'F', 0x16, 0, 0, 0, 'W', 'E', 'B', 'P',
	'V', 'P', '8', 'X', 0x0a, 0, 0, 0,
	0x10, 0, 0, 0, 0xff, 0x03, 0x00, 0xff, 0x02, 0x00,
};

struct sample {
	const char *name;
	const unsigned char *data;
	size_t len;
	int w, h;
};

#define SAMPLE(n, a, w, h) { n, a, sizeof a, w, h }
static const struct sample samples[] = {
	SAMPLE("a.png", png, 3, 2),
	SAMPLE("a.gif", gif, 5, 4),
	SAMPLE("a.jpg", jpeg_exif, 30, 40),
	SAMPLE("a.jpeg", jpeg_le, 640, 480),
	SAMPLE("a.webp", webp_vp8, 17, 9),
	SAMPLE("b.webp", webp_vp8l, 300, 200),
	SAMPLE("c.webp", webp_vp8x, 1024, 768),
};

/* Calls media_image_size on an exact-size heap copy, so that ASan sees
 * any read past len. */
static int
size_of(const void *data, size_t len, const char *path, int *w, int *h)
{
	char *copy = malloc(len ? len : 1);
	int rc;

	memcpy(copy, data, len);
	rc = media_image_size(copy, len, path, w, h);
	free(copy);
	return rc;
}

TEST(kinds)
{
	CHECK_INT(media_kind_of("a/b/photo.JPG"), MEDIA_IMAGE);
	CHECK_INT(media_kind_of("x.jpeg"), MEDIA_IMAGE);
	CHECK_INT(media_kind_of("x.Svg"), MEDIA_IMAGE);
	CHECK_INT(media_kind_of("x.webp"), MEDIA_IMAGE);
	CHECK_INT(media_kind_of("chant.mp3"), MEDIA_AUDIO);
	CHECK_INT(media_kind_of("chant.OPUS"), MEDIA_AUDIO);
	CHECK_INT(media_kind_of("c.wav"), MEDIA_AUDIO);
	CHECK_INT(media_kind_of("c.m4a"), MEDIA_AUDIO);
	CHECK_INT(media_kind_of("c.ogg"), MEDIA_AUDIO);
	CHECK_INT(media_kind_of("film.MP4"), MEDIA_VIDEO);
	CHECK_INT(media_kind_of("film.webm"), MEDIA_VIDEO);
	CHECK_INT(media_kind_of("film.mov"), MEDIA_VIDEO);
	CHECK_INT(media_kind_of("fiche.pdf"), MEDIA_DOWNLOAD);
	CHECK_INT(media_kind_of("fiche.docx"), MEDIA_DOWNLOAD);
	CHECK_INT(media_kind_of("README"), MEDIA_DOWNLOAD);
	CHECK_INT(media_kind_of("dir.png/file"), MEDIA_DOWNLOAD);
	CHECK_INT(media_kind_of(".png"), MEDIA_DOWNLOAD);
	CHECK_INT(media_kind_of(""), MEDIA_DOWNLOAD);
}

TEST(sizes_of_samples)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(samples); i++) {
		int w = 0, h = 0;

		CHECK_INT(size_of(samples[i].data, samples[i].len, samples[i].name, &w, &h), 0);
		CHECK_INT(w, samples[i].w);
		CHECK_INT(h, samples[i].h);
		/* found by the bytes, whatever the name */
		w = h = 0;
		CHECK_INT(size_of(samples[i].data, samples[i].len, "x.bin", &w, &h), 0);
		CHECK_INT(w, samples[i].w);
	}
}

TEST(jpeg_orientations)
{
	unsigned char j[sizeof jpeg_exif];
	int o, w, h;

	for (o = 0; o <= 9; o++) {
		memcpy(j, jpeg_exif, sizeof j);
		j[20 + 4 + 6 + 8 + 2 + 8 + 1] = (unsigned char)o;
		w = h = 0;
		CHECK_INT(size_of(j, sizeof j, "a.jpg", &w, &h), 0);
		CHECK_INT(w, o >= 5 && o <= 8 ? 30 : 40);
		CHECK_INT(h, o >= 5 && o <= 8 ? 40 : 30);
	}
	/* an IFD offset past the end is ignored, not followed */
	memcpy(j, jpeg_exif, sizeof j);
	j[20 + 4 + 6 + 7] = 0xf0;
	CHECK_INT(size_of(j, sizeof j, "a.jpg", &w, &h), 0);
	CHECK_INT(w, 40);
}

TEST(svg)
{
	static const struct {
		const char *text;
		int rc, w, h;
	} c[] = {
		{ "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"80\"/>", 0, 120, 80 },
		{ "<?xml version=\"1.0\"?>\n<!-- x -->\n<svg\n  width='10.6px' height = \"20px\">", 0, 11, 20 },
		{ "<svg viewBox=\"0 0 300 150\"><rect width=\"5\" height=\"5\"/></svg>", 0, 300, 150 },
		{ "<svg viewBox=\"-10,-10, 40.5,20\">", 0, 41, 20 },
		{ "<svg width=\"100%\" height=\"100%\" viewBox=\"0 0 64 48\">", 0, 64, 48 },
		{ "<svg width=\"128\" viewBox=\"0 0 64 48\">", 0, 128, 96 },
		{ "<svg height=\"24\" viewBox=\"0 0 64 48\">", 0, 32, 24 },
		{ "<svg width=\"2em\" height=\"1em\">", -1, 0, 0 },
		{ "<svg viewBox=\"0 0 0 10\">", -1, 0, 0 },
		{ "<svg viewBox=\"0 0 10\">", -1, 0, 0 },
		{ "<svg width=\"10\" height=\"20", -1, 0, 0 },
		{ "<svgx width=\"10\" height=\"20\">", -1, 0, 0 },
		{ "<html><body>no</body></html>", -1, 0, 0 },
		{ "", -1, 0, 0 },
	};
	struct buf b = BUF_INIT;
	size_t i;
	int w, h;

	for (i = 0; i < ARRAY_LEN(c); i++) {
		w = h = 0;
		CHECK_INT(size_of(c[i].text, strlen(c[i].text), "d.svg", &w, &h), c[i].rc);
		if (c[i].rc == 0) {
			CHECK_INT(w, c[i].w);
			CHECK_INT(h, c[i].h);
		}
	}
	/* the root element past 4 KiB is not looked for */
	for (i = 0; i < 5000; i++)
		buf_putc(&b, ' ');
	buf_puts(&b, "<svg width=\"1\" height=\"1\">");
	CHECK_INT(size_of(b.p, b.len, "d.svg", &w, &h), -1);
	/* text that is not called .svg and does not start with markup */
	CHECK_INT(size_of("hello <svg width=\"1\" height=\"1\">", 32, "a.txt", &w, &h), -1);
	buf_release(&b);
}

/* Every truncation of every sample: a clean -1 (or a size when the
 * header is whole), and never a read past the end (ASan). */
TEST(truncated_at_every_length)
{
	size_t i, n;

	for (i = 0; i < ARRAY_LEN(samples); i++) {
		for (n = 0; n < samples[i].len; n++) {
			int w = -7, h = -7;
			int rc = size_of(samples[i].data, n, samples[i].name, &w, &h);

			if (rc == 0) {
				CHECK_INT(w, samples[i].w);
				CHECK_INT(h, samples[i].h);
			} else {
				CHECK_INT(rc, -1);
				CHECK_INT(w, -7);
			}
		}
	}
}

/* Each byte of each sample set to a few hostile values, then random
 * bytes behind each signature: no crash, no overread, sane sizes. */
TEST(corrupt_inputs)
{
	static const unsigned char vals[] = { 0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff };
	unsigned char buf[256];
	unsigned long seed = 12345;
	size_t i, k, v;
	int w, h;

	for (i = 0; i < ARRAY_LEN(samples); i++) {
		for (k = 0; k < samples[i].len; k++) {
			for (v = 0; v < ARRAY_LEN(vals); v++) {
				memcpy(buf, samples[i].data, samples[i].len);
				buf[k] = vals[v];
				w = h = 0;
				if (size_of(buf, samples[i].len, samples[i].name, &w, &h) == 0)
					CHECK(w > 0 && h > 0);
			}
		}
	}
	for (k = 0; k < 20000; k++) {
		const struct sample *s = &samples[k % ARRAY_LEN(samples)];
		size_t len = 4 + (k / 7) % 200, keep = k % 3 ? 4 : 12;

		for (i = 0; i < len; i++) {
			seed = seed * 1103515245 + 12345;
			buf[i] = (unsigned char)(seed >> 16);
		}
		memcpy(buf, s->data, keep);
		if (k % 5 == 0)
			buf[2] = 0xff;	/* JPEG markers more often */
		w = h = 0;
		if (size_of(buf, len, s->name, &w, &h) == 0)
			CHECK(w > 0 && h > 0);
		if (size_of(buf, len, "z.svg", &w, &h) == 0)
			CHECK(w > 0 && h > 0);
	}
}

TEST(size_text)
{
	static const struct {
		uint64_t n;
		const char *fr, *en;
	} c[] = {
		{ 0, "0\xc2\xa0o", "0\xc2\xa0" "B" },
		{ 999, "999\xc2\xa0o", "999\xc2\xa0" "B" },
		{ 1000, "1\xc2\xa0ko", "1\xc2\xa0kB" },
		{ 1234, "1,2\xc2\xa0ko", "1.2\xc2\xa0kB" },
		{ 9960, "10\xc2\xa0ko", "10\xc2\xa0kB" },
		{ 123456, "123\xc2\xa0ko", "123\xc2\xa0kB" },
		{ 999499, "999\xc2\xa0ko", "999\xc2\xa0kB" },
		{ 999500, "1\xc2\xa0Mo", "1\xc2\xa0MB" },
		{ 1250000, "1,3\xc2\xa0Mo", "1.3\xc2\xa0MB" },
		{ 45000000, "45\xc2\xa0Mo", "45\xc2\xa0MB" },
		{ 3200000000u, "3,2\xc2\xa0Go", "3.2\xc2\xa0GB" },
		{ UINT64_MAX, "18446744\xc2\xa0To", "18446744\xc2\xa0TB" },
	};
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < ARRAY_LEN(c); i++) {
		buf_reset(&b);
		media_size_text(&b, c[i].n, "fr");
		CHECK_STR(b.p, c[i].fr);
		buf_reset(&b);
		media_size_text(&b, c[i].n, "en");
		CHECK_STR(b.p, c[i].en);
	}
	buf_reset(&b);
	media_size_text(&b, 1234, NULL);
	CHECK_STR(b.p, "1,2\xc2\xa0ko");
	buf_release(&b);
}

int
main(void)
{
	RUN(kinds);
	RUN(sizes_of_samples);
	RUN(jpeg_orientations);
	RUN(svg);
	RUN(truncated_at_every_length);
	RUN(corrupt_inputs);
	RUN(size_text);
	return t_summary();
}
