#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mp4clean.h"
#include "t.h"

/* Box building: open() writes a size placeholder and the type, close()
 * patches the size once the children are written. */
static size_t
open_box(struct buf *b, const char *type)
{
	size_t at = b->len;

	buf_add(b, "\0\0\0\0", 4);
	buf_add(b, type, 4);
	return at;
}

static void
close_box(struct buf *b, size_t at)
{
	uint32_t n = (uint32_t)(b->len - at);

	b->p[at] = (char)(n >> 24);
	b->p[at + 1] = (char)(n >> 16);
	b->p[at + 2] = (char)(n >> 8);
	b->p[at + 3] = (char)n;
}

static void
leaf(struct buf *b, const char *type, const char *payload, size_t n)
{
	size_t at = open_box(b, type);

	buf_add(b, payload, n);
	close_box(b, at);
}

static void
track(struct buf *b, const char *handler, const char *codec)
{
	size_t trak = open_box(b, "trak"), mdia, minf, stbl, stsd, entry;
	char hdlr[12] = { 0 };

	mdia = open_box(b, "mdia");
	memcpy(hdlr + 8, handler, 4);
	leaf(b, "hdlr", hdlr, sizeof hdlr);
	minf = open_box(b, "minf");
	stbl = open_box(b, "stbl");
	stsd = open_box(b, "stsd");
	buf_add(b, "\0\0\0\0\0\0\0\1", 8);
	entry = open_box(b, codec);
	buf_add(b, "\0\0\0\0\0\0\0\1", 8);
	close_box(b, entry);
	close_box(b, stsd);
	leaf(b, "stco", "\0\0\0\0\0\0\0\1\0\0\0\x20", 12);
	close_box(b, stbl);
	close_box(b, minf);
	close_box(b, mdia);
	leaf(b, "udta", "\0\0\0\x10\xa9xyz+48.85+002.35/", 16);
	close_box(b, trak);
}

/* ftyp, mdat, moov{mvhd, trak video, trak sound, udta{©xyz}, meta{keys}} */
static void
movie(struct buf *b, const char *brand)
{
	size_t moov, udta, meta;

	leaf(b, "ftyp", brand, 4);
	leaf(b, "mdat", "MEDIADATA-MEDIADATA", 19);
	moov = open_box(b, "moov");
	leaf(b, "mvhd", "\0\0\0\0", 4);
	track(b, "vide", "avc1");
	track(b, "soun", "mp4a");
	udta = open_box(b, "udta");
	leaf(b, "\xa9xyz", "+48.8566+002.3522/", 18);
	close_box(b, udta);
	meta = open_box(b, "meta");
	leaf(b, "keys", "com.apple.quicktime.location.ISO6709", 36);
	leaf(b, "ilst", "+48.8566+002.3522+035.000/", 26);
	close_box(b, meta);
	close_box(b, moov);
}

TEST(cleans_in_place)
{
	struct buf b = BUF_INIT, orig = BUF_INIT;
	struct mp4_info info;
	char err[128];

	movie(&b, "isom");
	buf_add(&orig, b.p, b.len);
	CHECK_INT(mp4_clean((unsigned char *)b.p, b.len, 1, &info, err, sizeof err), 0);
	CHECK_INT(b.len, orig.len);
	CHECK_STR(info.brand, "isom");
	CHECK_STR(info.video, "avc1");
	CHECK_STR(info.audio, "mp4a");
	CHECK_INT(info.neutralised, 4);	/* two track udta, moov udta, moov meta */
	CHECK(memmem(b.p, b.len, "ISO6709", 7) == NULL);
	CHECK(memmem(b.p, b.len, "+48.85", 6) == NULL);
	CHECK(memmem(b.p, b.len, "udta", 4) == NULL);
	CHECK(memmem(b.p, b.len, "meta", 4) == NULL);
	/* the media data did not move */
	CHECK(memcmp(b.p + 12, orig.p + 12, 27) == 0);
	CHECK(mp4_plays_everywhere(&info));
	/* cleaning again finds nothing */
	CHECK_INT(mp4_clean((unsigned char *)b.p, b.len, 1, &info, err, sizeof err), 0);
	CHECK_INT(info.neutralised, 0);
	buf_release(&b);
	buf_release(&orig);
}

TEST(probe_only)
{
	struct buf b = BUF_INIT, orig = BUF_INIT;
	struct mp4_info info;
	char err[128];

	movie(&b, "qt  ");
	buf_add(&orig, b.p, b.len);
	CHECK_INT(mp4_clean((unsigned char *)b.p, b.len, 0, &info, err, sizeof err), 0);
	CHECK(memcmp(b.p, orig.p, b.len) == 0);
	CHECK(!mp4_plays_everywhere(&info));	/* QuickTime brand */
	buf_release(&b);
	buf_release(&orig);
}

TEST(refuses_broken)
{
	struct buf b = BUF_INIT;
	struct mp4_info info;
	char err[128];
	unsigned char *p;

	movie(&b, "isom");
	/* truncated in the middle of moov */
	CHECK_INT(mp4_clean((unsigned char *)b.p, b.len - 5, 1, &info, err, sizeof err), -1);
	CHECK(strstr(err, "size") != NULL || strstr(err, "truncated") != NULL);
	/* a size below its header */
	p = (unsigned char *)b.p + 12;	/* mdat */
	p[3] = 4;
	CHECK_INT(mp4_clean((unsigned char *)b.p, b.len, 1, &info, err, sizeof err), -1);
	buf_reset(&b);
	/* no moov: sound boxes, nothing to clean, but it will not play */
	leaf(&b, "ftyp", "isom", 4);
	leaf(&b, "mdat", "x", 1);
	CHECK_INT(mp4_clean((unsigned char *)b.p, b.len, 1, &info, err, sizeof err), 0);
	CHECK_INT(info.has_moov, 0);
	/* empty and tiny input */
	CHECK_INT(mp4_clean((unsigned char *)b.p, 0, 1, &info, err, sizeof err), -1);
	CHECK_INT(mp4_clean((unsigned char *)b.p, 3, 1, &info, err, sizeof err), -1);
	buf_release(&b);
}

TEST(deep_and_large)
{
	struct buf b = BUF_INIT;
	struct mp4_info info;
	char err[128];
	size_t at[40];
	int i;

	/* nesting over the limit */
	for (i = 0; i < 40; i++)
		at[i] = open_box(&b, "moov");
	for (i = 39; i >= 0; i--)
		close_box(&b, at[i]);
	CHECK_INT(mp4_clean((unsigned char *)b.p, b.len, 1, &info, err, sizeof err), -1);
	CHECK(strstr(err, "deep") != NULL);
	buf_reset(&b);
	/* a 64-bit size, and a last box of size 0 running to the end */
	buf_add(&b, "\0\0\0\1mdat\0\0\0\0\0\0\0\x14XXXX", 20);
	leaf(&b, "moov", "", 0);
	buf_add(&b, "\0\0\0\0free1234", 12);
	CHECK_INT(mp4_clean((unsigned char *)b.p, b.len, 1, &info, err, sizeof err), 0);
	/* a 64-bit size past the end */
	b.p[15] = 0x30;
	CHECK_INT(mp4_clean((unsigned char *)b.p, b.len, 1, &info, err, sizeof err), -1);
	buf_release(&b);
}

int
main(void)
{
	RUN(cleans_in_place);
	RUN(probe_only);
	RUN(refuses_broken);
	RUN(deep_and_large);
	return t_summary();
}
