#include "media.h"

#include <limits.h>
#include <string.h>

#include <zlib.h>

#include "buf.h"
#include "util.h"

#define SVG_SCAN 4096

enum media_kind
media_kind_of(const char *path)
{
	static const char *const image[] = { "jpg", "jpeg", "png", "gif",
	    "webp", "svg", "avif" };
	static const char *const audio[] = { "mp3", "m4a", "ogg", "opus", "wav" };
	static const char *const video[] = { "mp4", "webm", "mov" };
	char ext[8];
	size_t i;

	path_ext(path, ext, sizeof ext);
	for (i = 0; i < ARRAY_LEN(image); i++)
		if (strcmp(ext, image[i]) == 0)
			return MEDIA_IMAGE;
	for (i = 0; i < ARRAY_LEN(audio); i++)
		if (strcmp(ext, audio[i]) == 0)
			return MEDIA_AUDIO;
	for (i = 0; i < ARRAY_LEN(video); i++)
		if (strcmp(ext, video[i]) == 0)
			return MEDIA_VIDEO;
	return MEDIA_DOWNLOAD;
}

static unsigned
be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static unsigned
le16(const unsigned char *p)
{
	return (unsigned)p[1] << 8 | p[0];
}

static unsigned long
be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
	    (unsigned long)p[2] << 8 | p[3];
}

static unsigned long
le32(const unsigned char *p)
{
	return (unsigned long)p[3] << 24 | (unsigned long)p[2] << 16 |
	    (unsigned long)p[1] << 8 | p[0];
}

static unsigned long
le24(const unsigned char *p)
{
	return (unsigned long)p[2] << 16 | (unsigned long)p[1] << 8 | p[0];
}

static int
set_size(unsigned long w, unsigned long h, int *pw, int *ph)
{
	if (w == 0 || h == 0 || w > INT_MAX || h > INT_MAX)
		return -1;
	*pw = (int)w;
	*ph = (int)h;
	return 0;
}

/* PNG: the signature, then IHDR, which the format requires first. */
static int
png_size(const unsigned char *s, size_t n, int *w, int *h)
{
	if (n < 24 || memcmp(s + 12, "IHDR", 4) != 0)
		return -1;
	return set_size(be32(s + 16), be32(s + 20), w, h);
}

/* GIF: the logical screen size follows the 6-byte signature. */
static int
gif_size(const unsigned char *s, size_t n, int *w, int *h)
{
	if (n < 10)
		return -1;
	return set_size(le16(s + 6), le16(s + 8), w, h);
}

/*
 * WebP: a RIFF container whose first chunk is the lossy bitstream
 * ("VP8 ", size after a 3-byte frame tag and a start code), the lossless
 * one ("VP8L", two 14-bit fields after a signature byte) or the extended
 * header ("VP8X", two 24-bit fields holding size - 1).
 */
static int
webp_size(const unsigned char *s, size_t n, int *w, int *h)
{
	unsigned long bits;

	if (n < 30 || memcmp(s + 8, "WEBP", 4) != 0)
		return -1;
	if (memcmp(s + 12, "VP8 ", 4) == 0) {
		if (s[23] != 0x9d || s[24] != 0x01 || s[25] != 0x2a)
			return -1;
		return set_size(le16(s + 26) & 0x3fff, le16(s + 28) & 0x3fff, w, h);
	}
	if (memcmp(s + 12, "VP8L", 4) == 0) {
		if (s[20] != 0x2f)
			return -1;
		bits = le32(s + 21);
		return set_size((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1, w, h);
	}
	if (memcmp(s + 12, "VP8X", 4) == 0)
		return set_size(le24(s + 24) + 1, le24(s + 27) + 1, w, h);
	return -1;
}

/*
 * The orientation tag (0x0112) of IFD0 in an APP1 Exif segment
 * s[0..n) (after the marker and length), or 0. Offsets inside TIFF are
 * relative to its header and attacker-chosen: each is checked against n.
 */
static int
exif_orientation(const unsigned char *s, size_t n)
{
	const unsigned char *t;
	size_t tn, ifd, count, i;
	int le;

	if (n < 6 + 8 || memcmp(s, "Exif\0\0", 6) != 0)
		return 0;
	t = s + 6;
	tn = n - 6;
	if (t[0] == 'I' && t[1] == 'I')
		le = 1;
	else if (t[0] == 'M' && t[1] == 'M')
		le = 0;
	else
		return 0;
	if ((le ? le16(t + 2) : be16(t + 2)) != 42)
		return 0;
	ifd = le ? le32(t + 4) : be32(t + 4);
	if (ifd > tn || tn - ifd < 2)
		return 0;
	count = le ? le16(t + ifd) : be16(t + ifd);
	for (i = 0; i < count && (tn - ifd - 2) / 12 > i; i++) {
		const unsigned char *e = t + ifd + 2 + 12 * i;
		unsigned tag = le ? le16(e) : be16(e);
		unsigned type = le ? le16(e + 2) : be16(e + 2);

		if (tag == 0x0112 && type == 3)	/* SHORT, stored in place */
			return (int)(le ? le16(e + 8) : be16(e + 8));
	}
	return 0;
}

/*
 * The next JPEG marker from s[*i]: *m, and *seg the length of its
 * segment (counting itself; 0 for the markers without one: SOI, TEM,
 * RSTn, and SOS and EOI, after which there are no headers). Markers may
 * be preceded by any number of 0xff fill bytes. *i is left on the
 * segment's length field: the caller adds *seg to go on. Returns 0, or
 * -1 when the bytes there are no marker or the segment overruns.
 */
static int
jpeg_marker(const unsigned char *s, size_t n, size_t *i, unsigned *m, size_t *seg)
{
	if (*i >= n || s[*i] != 0xff)
		return -1;
	while (*i < n && s[*i] == 0xff)
		(*i)++;
	if (*i >= n)
		return -1;
	*m = s[(*i)++];
	*seg = 0;
	if (*m == 0xd8 || *m == 0x01 || (*m >= 0xd0 && *m <= 0xda))
		return 0;
	if (*m == 0x00 || n - *i < 2)
		return -1;
	*seg = be16(s + *i);
	return *seg < 2 || *seg > n - *i ? -1 : 0;
}

/* A frame header (SOFn): 0xc0 to 0xcf but DHT, JPG and DAC. */
static int
is_sof(unsigned m)
{
	return m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc;
}

/*
 * JPEG: walks the marker segments up to the first frame header, which
 * holds the size; the first Exif segment gives the orientation. The
 * frame header always comes before the first scan (SOS).
 */
static int
jpeg_size(const unsigned char *s, size_t n, int *w, int *h)
{
	size_t i = 2, seg;
	int orient = 0;
	unsigned m;

	while (jpeg_marker(s, n, &i, &m, &seg) == 0) {
		if (m == 0xd9 || m == 0xda)
			return -1;
		if (m == 0xe1 && orient == 0)
			orient = exif_orientation(s + i + 2, seg - 2);
		if (is_sof(m)) {
			/* precision, height, width */
			if (seg < 2 + 5)
				return -1;
			if (orient >= 5 && orient <= 8)
				return set_size(be16(s + i + 3), be16(s + i + 5), w, h);
			return set_size(be16(s + i + 5), be16(s + i + 3), w, h);
		}
		i += seg;
	}
	return -1;
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Parses a non-negative decimal number (digits, optional fraction) at
 * s[0..n) into *v, returning the bytes used or 0. Done by hand: strtod
 * needs a NUL-terminated string and follows LC_NUMERIC.
 */
static size_t
parse_num(const char *s, size_t n, double *v)
{
	size_t i = 0, digits = 0;
	double x = 0, scale = 1;

	if (i < n && s[i] == '+')
		i++;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
		if (x < 1e9)
			x = x * 10 + (s[i] - '0');
	if (i < n && s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
			if (scale > 1e-9)
				x += (s[i] - '0') * (scale /= 10);
	}
	if (digits == 0)
		return 0;
	*v = x;
	return i;
}

/* A length in pixels: a number, optionally "px", nothing else. */
static int
svg_length(const char *s, size_t n, double *v)
{
	size_t i = 0, k;

	while (i < n && is_space(s[i]))
		i++;
	if ((k = parse_num(s + i, n - i, v)) == 0)
		return -1;
	i += k;
	if (n - i >= 2 && s[i] == 'p' && s[i + 1] == 'x')
		i += 2;
	while (i < n && is_space(s[i]))
		i++;
	return i == n && *v > 0 ? 0 : -1;
}

/* viewBox="min-x min-y width height", separated by spaces and/or commas;
 * only the last two are kept (the first two may be negative). */
static int
svg_viewbox(const char *s, size_t n, double *vw, double *vh)
{
	double v[4];
	size_t i = 0, k;
	int j;

	for (j = 0; j < 4; j++) {
		while (i < n && (is_space(s[i]) || s[i] == ','))
			i++;
		if (i < n && s[i] == '-' && j < 2)
			i++;
		if ((k = parse_num(s + i, n - i, &v[j])) == 0)
			return -1;
		i += k;
	}
	*vw = v[2];
	*vh = v[3];
	return *vw > 0 && *vh > 0 ? 0 : -1;
}

static int
round_size(double w, double h, int *pw, int *ph)
{
	if (!(w >= 0.5 && h >= 0.5 && w < 1e6 && h < 1e6))
		return -1;
	*pw = (int)(w + 0.5);
	*ph = (int)(h + 0.5);
	return 0;
}

/*
 * SVG: the attributes of the first "<svg" start tag (prefixed root
 * elements are not looked for). Width and height in percent, em or cm
 * say nothing about pixels: the viewBox gives the size then, scaled to
 * keep its ratio when one of width/height is in pixels.
 */
static int
svg_size(const char *s, size_t n, int *w, int *h)
{
	const char *tag = NULL;
	size_t i;
	double aw = 0, ah = 0, vw = 0, vh = 0, v;
	int has_w = 0, has_h = 0, has_vb = 0;

	if (n > SVG_SCAN)
		n = SVG_SCAN;
	for (i = 0; i + 4 < n; i++) {
		if (memcmp(s + i, "<svg", 4) == 0 && (is_space(s[i + 4]) ||
		    s[i + 4] == '>' || s[i + 4] == '/')) {
			tag = s + i + 4;
			break;
		}
	}
	if (!tag)
		return -1;
	n -= (size_t)(tag - s);
	s = tag;
	i = 0;
	for (;;) {
		size_t name, nlen, val, vlen;
		char q;

		while (i < n && is_space(s[i]))
			i++;
		if (i >= n || s[i] == '>' || s[i] == '/')
			break;
		name = i;
		while (i < n && !is_space(s[i]) && s[i] != '=' && s[i] != '>' && s[i] != '/')
			i++;
		nlen = i - name;
		while (i < n && is_space(s[i]))
			i++;
		if (i >= n || s[i] != '=')
			continue;	/* a bare name: not XML, skip it */
		i++;
		while (i < n && is_space(s[i]))
			i++;
		if (i >= n || (s[i] != '"' && s[i] != '\''))
			return -1;
		q = s[i++];
		val = i;
		while (i < n && s[i] != q)
			i++;
		if (i >= n)
			return -1;
		vlen = i++ - val;
		if (nlen == 5 && memcmp(s + name, "width", 5) == 0)
			has_w = svg_length(s + val, vlen, &aw) == 0;
		else if (nlen == 6 && memcmp(s + name, "height", 6) == 0)
			has_h = svg_length(s + val, vlen, &ah) == 0;
		else if (nlen == 7 && memcmp(s + name, "viewBox", 7) == 0)
			has_vb = svg_viewbox(s + val, vlen, &vw, &vh) == 0;
	}
	if (has_w && has_h)
		return round_size(aw, ah, w, h);
	if (!has_vb)
		return -1;
	v = vh / vw;
	if (has_w)
		return round_size(aw, aw * v, w, h);
	if (has_h)
		return round_size(ah / v, ah, w, h);
	return round_size(vw, vh, w, h);
}

int
media_image_size(const char *data, size_t len, const char *path, int *w, int *h)
{
	const unsigned char *s = (const unsigned char *)data;
	size_t i;

	if (len >= 8 && memcmp(s, "\x89PNG\r\n\x1a\n", 8) == 0)
		return png_size(s, len, w, h);
	if (len >= 6 && (memcmp(s, "GIF87a", 6) == 0 || memcmp(s, "GIF89a", 6) == 0))
		return gif_size(s, len, w, h);
	if (len >= 3 && s[0] == 0xff && s[1] == 0xd8 && s[2] == 0xff)
		return jpeg_size(s, len, w, h);
	if (len >= 12 && memcmp(s, "RIFF", 4) == 0)
		return webp_size(s, len, w, h);
	/* SVG is text: trust the name, or a root element near the start */
	for (i = 0; i < len && i < 64 && (is_space(data[i]) || s[i] >= 0x80); i++)
		;
	if ((path && str_ends_ci(path, ".svg")) || (i < len && data[i] == '<'))
		return svg_size(data, len, w, h);
	return -1;
}

/*
 * JPEG without metadata: only tables (DQT, DHT, DAC, DRI, DNL) and APP0
 * (JFIF) before a baseline, extended or progressive frame header and the
 * first scan. Any other APPn (Exif, XMP, ICC, Adobe...) or a comment
 * makes it not plain.
 */
static int
jpeg_plain(const unsigned char *s, size_t n, int *w, int *h)
{
	size_t i = 2, seg;
	int have_size = 0;
	unsigned m;

	while (jpeg_marker(s, n, &i, &m, &seg) == 0) {
		if (m == 0xda)
			return have_size ? 0 : -1;
		if (m == 0xc0 || m == 0xc1 || m == 0xc2) {
			if (have_size || seg < 2 + 6 ||
			    set_size(be16(s + i + 5), be16(s + i + 3), w, h) < 0)
				return -1;
			have_size = 1;
		} else if (m != 0xe0 && m != 0xdb && m != 0xc4 && m != 0xcc &&
		    m != 0xdd && m != 0xdc) {
			return -1;	/* metadata, or a marker out of place */
		}
		i += seg;
	}
	return -1;
}

/*
 * PNG without metadata: a valid IHDR (its CRC included) and, up to IEND,
 * no chunk that carries any: text (tEXt, zTXt, iTXt), Exif (eXIf) or an
 * ICC profile (iCCP), wherever it stands. Other chunks, private ones
 * included, are image data or ignored by decoders, as libvips does.
 */
static int
png_plain(const unsigned char *s, size_t n, int *w, int *h)
{
	static const char *const meta[] = { "tEXt", "zTXt", "iTXt", "eXIf", "iCCP" };
	const unsigned char *ihdr = s + 8;
	size_t i, k;

	if (n < 8 + 25 || be32(ihdr) != 13 || memcmp(ihdr + 4, "IHDR", 4) != 0 ||
	    crc32(0, ihdr + 4, 17) != be32(ihdr + 21))
		return -1;
	/* bit depth (1, 2, 4, 8, 16), colour type (0, 2, 3, 4, 6),
	 * compression, filter, interlace */
	if (ihdr[16] == 0 || ihdr[16] > 16 || (ihdr[16] & (ihdr[16] - 1)) != 0 ||
	    ihdr[17] > 6 || ihdr[17] == 1 || ihdr[17] == 5 ||
	    ihdr[18] != 0 || ihdr[19] != 0 || ihdr[20] > 1)
		return -1;
	for (i = 8 + 25; n - i >= 12; ) {
		unsigned long len = be32(s + i);
		const unsigned char *type = s + i + 4;

		if (memcmp(type, "IEND", 4) == 0)
			return set_size(be32(ihdr + 8), be32(ihdr + 12), w, h);
		for (k = 0; k < ARRAY_LEN(meta); k++)
			if (memcmp(type, meta[k], 4) == 0)
				return -1;
		if (len > n - i - 12)
			return -1;
		i += 12 + len;
	}
	return -1;
}

int
media_image_plain(const char *data, size_t len, int *w, int *h)
{
	const unsigned char *s = (const unsigned char *)data;

	if (len >= 8 && memcmp(s, "\x89PNG\r\n\x1a\n", 8) == 0)
		return png_plain(s, len, w, h);
	if (len >= 3 && s[0] == 0xff && s[1] == 0xd8 && s[2] == 0xff)
		return jpeg_plain(s, len, w, h);
	/* the simple WebP formats hold the bitstream alone: no room for
	 * metadata (VP8X, the extended format, may carry it) */
	if (len >= 30 && memcmp(s, "RIFF", 4) == 0 && memcmp(s + 8, "WEBP", 4) == 0 &&
	    (memcmp(s + 12, "VP8 ", 4) == 0 || memcmp(s + 12, "VP8L", 4) == 0))
		return webp_size(s, len, w, h);
	return -1;
}

/* a / b rounded half up, without overflow near UINT64_MAX */
static uint64_t
div_round(uint64_t a, uint64_t b)
{
	return a / b + (a % b >= b - b / 2);
}

void
media_size_text(struct buf *out, uint64_t size, const char *lang)
{
	static const char *const fr[] = { "o", "ko", "Mo", "Go", "To" };
	static const char *const en[] = { "B", "kB", "MB", "GB", "TB" };
	int french = !lang || strcmp(lang, "en") != 0;
	const char *const *unit = french ? fr : en;
	uint64_t div = 1000, tenths;
	int u = 1;

	if (size < 1000) {
		buf_printf(out, "%u\xc2\xa0%s", (unsigned)size, unit[0]);
		return;
	}
	/* the largest unit that leaves fewer than 1000 of it once rounded
	 * (999,999 bytes is "1 Mo", not "1000 ko") */
	while (u < 4 && div_round(size, div) >= 1000) {
		div *= 1000;
		u++;
	}
	tenths = div_round(size, div / 10);
	if (tenths >= 100 || tenths % 10 == 0)
		buf_printf(out, "%llu\xc2\xa0%s",
		    (unsigned long long)div_round(size, div), unit[u]);
	else
		buf_printf(out, "%llu%c%llu\xc2\xa0%s", (unsigned long long)(tenths / 10),
		    french ? ',' : '.', (unsigned long long)(tenths % 10), unit[u]);
}
