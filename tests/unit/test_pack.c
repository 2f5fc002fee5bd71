/* pack: hashing, gzip, sizes, and reading a built site's folder. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "buf.h"
#include "pack_int.h"
#include "t.h"
#include "util.h"

TEST(sha256_vectors)
{
	unsigned char h[32];
	struct buf b = BUF_INIT;

	pack_sha256("abc", 3, h);
	pack_sha_line(&b, h, "a b.txt");
	CHECK_STR(b.p, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  a b.txt\n");
	buf_reset(&b);
	pack_sha256("", 0, h);
	pack_sha_line(&b, h, "vide");
	CHECK_STR(b.p, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  vide\n");
	buf_release(&b);
}

TEST(gzip_round_trip)
{
	struct buf gz = BUF_INIT, gz2 = BUF_INIT;
	char text[5000], back[6000];
	uLongf n = sizeof back;
	z_stream z;
	size_t i;
	int zr;

	for (i = 0; i < sizeof text; i++)
		text[i] = "<p>école</p>\n"[i % 14];
	CHECK_INT(pack_gzip_mem(text, sizeof text, &gz), 0);
	CHECK_INT(pack_gzip_mem(text, sizeof text, &gz2), 0);
	/* gzip magic, deflate, no name, mtime 0: the same text, the same bytes */
	CHECK(gz.len > 18 && (unsigned char)gz.p[0] == 0x1f && (unsigned char)gz.p[1] == 0x8b);
	CHECK(gz.p[3] == 0 && gz.p[4] == 0 && gz.p[5] == 0 && gz.p[6] == 0 && gz.p[7] == 0);
	CHECK(gz.len == gz2.len && memcmp(gz.p, gz2.p, gz.len) == 0);
	memset(&z, 0, sizeof z);
	CHECK_INT(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (Bytef *)gz.p;
	z.avail_in = (uInt)gz.len;
	z.next_out = (Bytef *)back;
	z.avail_out = (uInt)n;
	zr = inflate(&z, Z_FINISH);
	CHECK_INT(zr, Z_STREAM_END);
	CHECK_INT(z.total_out, sizeof text);
	CHECK(memcmp(back, text, sizeof text) == 0);
	inflateEnd(&z);
	buf_release(&gz);
	buf_release(&gz2);
}

TEST(size_string)
{
	struct buf b = BUF_INIT;

	pack_size_str(&b, UINT64_C(5368709120));
	CHECK_STR(b.p, "5368709120 bytes (5.0 GiB)");
	buf_release(&b);
}

static void
put(const char *dir, const char *rel, const char *text)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", dir, rel);
	f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

TEST(site_load)
{
	char dir[] = "/tmp/test-pack-XXXXXX", p[512];
	struct pack_site s;
	int status = 0;

	if (!mkdtemp(dir)) {
		CHECK(0);
		return;
	}
	unsetenv("SOURCE_DATE_EPOCH");
	CHECK_INT(pack_site_load(&s, dir, &status), -1);	/* no build.json */
	CHECK_INT(status, 1);
	pack_site_release(&s);
	snprintf(p, sizeof p, "%s/.ardoise", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/media", dir);
	mkdir(p, 0755);
	put(dir, ".ardoise/build.json", "{\n  \"commit\": \"abc\",\n  \"ref\": \"HEAD\",\n"
	    "  \"date\": \"2026-06-26T22:30:00+02:00\",\n  \"audience\": \"class\",\n  \"version\": \"0.1.0\"\n}\n");
	put(dir, ".ardoise/manifest", "x");
	put(dir, "index.html", "<p>a</p>");
	put(dir, "Zebre.html", "z");
	put(dir, "media/b.png", "123");
	CHECK_INT(pack_site_load(&s, dir, &status), 0);
	CHECK_INT(s.nfiles, 3);
	if (s.nfiles == 3) {
		CHECK_STR(s.files[0].path, "Zebre.html");
		CHECK_STR(s.files[1].path, "index.html");
		CHECK_STR(s.files[2].path, "media/b.png");
		CHECK_INT(s.files[2].size, 3);
	}
	CHECK_STR(s.commit, "abc");
	CHECK_STR(s.audience, "class");
	CHECK_INT(s.mtime, 1782505800);
	CHECK_INT(s.offset, 120);
	CHECK_INT(pack_site_find(&s, "media/b.png"), 2);
	CHECK_INT(pack_site_find(&s, "media/c.png"), -1);
	pack_site_release(&s);
	setenv("SOURCE_DATE_EPOCH", "1000", 1);
	CHECK_INT(pack_site_load(&s, dir, &status), 0);
	CHECK_INT(s.mtime, 1000);
	pack_site_release(&s);
	unsetenv("SOURCE_DATE_EPOCH");
	snprintf(p, sizeof p, "rm -rf '%s'", dir);
	CHECK_INT(system(p), 0);
}

int
main(void)
{
	RUN(sha256_vectors);
	RUN(gzip_round_trip);
	RUN(size_string);
	RUN(site_load);
	return t_summary();
}
