#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "names.h"
#include "t.h"
#include "util.h"

static int
ok(const char *path)
{
	return names_check_path(path, NULL) == 0;
}

/* The reason given for path, "" when it is accepted. */
static const char *
reason(const char *path, struct buf *why)
{
	buf_reset(why);
	names_check_path(path, why);
	return why->p;
}

/* A path of n characters: each is the UTF-8 sequence unit. */
static char *
repeat(const char *unit, size_t n)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		buf_puts(&b, unit);
	return buf_detach(&b, NULL);
}

TEST(plain_names)
{
	CHECK(ok("posts/2020-01-01-a.md"));
	CHECK(ok("media/été à la ferme.jpg"));
	CHECK(ok(".gitignore"));
	CHECK(ok("a"));
	CHECK(ok("média/Œuvre #1 (copie) [v2] {x} ~ & $ % ' ; , = +.png"));
	CHECK(ok("emoji/\xf0\x9f\x99\x82.png"));
}

TEST(forbidden_characters)
{
	static const char *const bad = "<>:\"\\|?*";
	struct buf why = BUF_INIT;
	char path[32];
	const char *c;

	for (c = bad; *c; c++) {
		snprintf(path, sizeof path, "media/a%cb.png", *c);
		CHECK(!ok(path));
		CHECK(strstr(reason(path, &why), "< > :") != NULL);
		snprintf(path, sizeof path, "a%cb/c.png", *c);
		CHECK(!ok(path));
	}
	for (int i = 1; i < 0x20; i++) {
		snprintf(path, sizeof path, "media/a%cb.png", i);
		CHECK(!ok(path));
		CHECK(strstr(reason(path, &why), "control") != NULL);
	}
	CHECK(!ok("media/a\x7f" "b.png"));
	buf_release(&why);
}

TEST(trailing_dot_space)
{
	struct buf why = BUF_INIT;

	CHECK(!ok("media/photo."));
	CHECK(!ok("media/photo "));
	CHECK(!ok("media./photo.jpg"));
	CHECK(!ok("media /photo.jpg"));
	CHECK(!ok("."));
	CHECK(!ok("a/../b"));
	CHECK(strstr(reason("media/photo.", &why), "ends with") != NULL);
	CHECK(ok("media/ photo.jpg"));
	CHECK(ok("media/photo .jpg"));
	buf_release(&why);
}

TEST(reserved_names)
{
	struct buf why = BUF_INIT;

	CHECK(!ok("CON"));
	CHECK(!ok("pages/CON.md"));
	CHECK(!ok("con.txt"));
	CHECK(!ok("Com1.md"));
	CHECK(!ok("LPT9"));
	CHECK(!ok("media/lpt1.tar.gz"));
	CHECK(!ok("prn/a.md"));
	CHECK(!ok("Aux.png"));
	CHECK(!ok("nul.md"));
	CHECK(!ok("com0.md"));
	CHECK(!ok("con .md"));
	CHECK(!ok("COM\xc2\xb9.txt"));
	CHECK(!ok("lpt\xc2\xb3"));
	CHECK(!ok("CONIN$"));
	CHECK(strstr(reason("con.txt", &why), "device name") != NULL);
	CHECK(ok("CONSOLE.md"));
	CHECK(ok("pages/contact.md"));
	CHECK(ok("COM10.md"));
	CHECK(ok("LPT.md"));
	CHECK(ok("com.md"));
	CHECK(ok("auxiliaire.md"));
	CHECK(ok("nulle/a.md"));
	CHECK(ok("xcon.md"));
	CHECK(ok("COM\xc2\xb4.txt"));
	buf_release(&why);
}

TEST(lengths)
{
	struct buf why = BUF_INIT;
	char *s;

	s = repeat("a", 200);
	CHECK(ok(s));
	free(s);
	s = repeat("a", 201);
	CHECK(!ok(s));
	CHECK(strstr(reason(s, &why), "200") != NULL);
	free(s);

	/* characters, not bytes: 200 "é" are 400 bytes and accepted */
	s = repeat("\xc3\xa9", 200);
	CHECK(ok(s));
	free(s);
	s = repeat("\xc3\xa9", 201);
	CHECK(!ok(s));
	free(s);
	s = repeat("\xe2\x82\xac", 200);	/* euro sign, three bytes */
	CHECK(ok(s));
	free(s);

	/* slashes count: 100 + '/' + 99 = 200, 100 + '/' + 100 = 201 */
	s = repeat("b", 100);
	{
		struct buf p = BUF_INIT;

		buf_printf(&p, "%s/%.*s", s, 99, s);
		CHECK(ok(p.p));
		buf_reset(&p);
		buf_printf(&p, "%s/%s", s, s);
		CHECK(!ok(p.p));
		buf_release(&p);
	}
	free(s);
	buf_release(&why);
}

TEST(name_length_utf16)
{
	char *s;

	/* 128 characters past U+FFFF are 256 UTF-16 units in one name, though
	 * only 128 characters of path */
	s = repeat("\xf0\x9f\x99\x82", 127);
	CHECK(ok(s));
	free(s);
	s = repeat("\xf0\x9f\x99\x82", 128);
	CHECK(!ok(s));
	free(s);
}

TEST(bad_paths)
{
	CHECK(!ok(""));
	CHECK(!ok("/etc/passwd"));
	CHECK(!ok("a//b"));
	CHECK(!ok("a/"));
	CHECK(!ok("media/\xe9t\xe9.jpg"));	/* Latin-1, not UTF-8 */
}

TEST(why_appends)
{
	struct buf why = BUF_INIT;

	buf_puts(&why, "> ");
	CHECK_INT(names_check_path("a?b", &why), -1);
	CHECK(str_starts(why.p, "> it contains"));
	buf_reset(&why);
	CHECK_INT(names_check_path("ab", &why), 0);
	CHECK_STR(why.p, "");
	buf_release(&why);
}

TEST(case_clash_files)
{
	struct names_set s;
	const char *clash = NULL;

	names_init(&s);
	CHECK_INT(names_add(&s, "media/Photo.jpg", &clash), 0);
	CHECK_INT(names_add(&s, "media/photo.jpg", &clash), 1);
	CHECK_STR(clash, "media/Photo.jpg");
	CHECK_INT(names_add(&s, "media/PHOTO.JPG", &clash), 1);
	CHECK_STR(clash, "media/Photo.jpg");
	/* the same path again is not a clash */
	CHECK_INT(names_add(&s, "media/Photo.jpg", &clash), 0);
	CHECK_INT(names_add(&s, "media/photo.png", &clash), 0);
	CHECK_INT(names_add(&s, "media/photo2.jpg", NULL), 0);
	names_release(&s);
	CHECK(s.len == 0 && s.slots == NULL);
	names_release(&s);
}

TEST(case_clash_folders)
{
	struct names_set s;
	const char *clash = NULL;

	names_init(&s);
	CHECK_INT(names_add(&s, "Photos/a.jpg", &clash), 0);
	CHECK_INT(names_add(&s, "photos/b.jpg", &clash), 1);
	CHECK_STR(clash, "Photos");
	/* reported once: the folder "photos" is in the set now */
	CHECK_INT(names_add(&s, "photos/c.jpg", &clash), 0);
	/* the shortest clashing part is reported */
	CHECK_INT(names_add(&s, "PHOTOS/A.JPG", &clash), 1);
	CHECK_STR(clash, "Photos");
	/* a file and a folder of the same name clash too */
	CHECK_INT(names_add(&s, "notes", &clash), 0);
	CHECK_INT(names_add(&s, "Notes/x.md", &clash), 1);
	CHECK_STR(clash, "notes");
	/* deeper folders */
	CHECK_INT(names_add(&s, "a/b/Classe/x.md", &clash), 0);
	CHECK_INT(names_add(&s, "a/b/classe/y.md", &clash), 1);
	CHECK_STR(clash, "a/b/Classe");
	CHECK_INT(names_add(&s, "a/c/classe/y.md", &clash), 0);
	names_release(&s);
}

TEST(case_clash_accents)
{
	struct names_set s;
	const char *clash = NULL;

	names_init(&s);
	CHECK_INT(names_add(&s, "été.md", &clash), 0);
	CHECK_INT(names_add(&s, "ÉTÉ.md", &clash), 1);
	CHECK_STR(clash, "été.md");
	CHECK_INT(names_add(&s, "ete.md", &clash), 0);
	CHECK_INT(names_add(&s, "Ete.md", &clash), 1);
	CHECK_STR(clash, "ete.md");
	CHECK_INT(names_add(&s, "Œuvre.md", &clash), 0);
	CHECK_INT(names_add(&s, "œuvre.md", &clash), 1);
	CHECK_STR(clash, "Œuvre.md");
	CHECK_INT(names_add(&s, "Ÿ.md", &clash), 0);
	CHECK_INT(names_add(&s, "ÿ.md", &clash), 1);
	CHECK_INT(names_add(&s, "ÀÇÑØÞ.md", &clash), 0);
	CHECK_INT(names_add(&s, "àçñøþ.md", &clash), 1);
	/* × and ÷ are not letters: no pair */
	CHECK_INT(names_add(&s, "×.md", &clash), 0);
	CHECK_INT(names_add(&s, "÷.md", &clash), 0);
	/* ß has no one-letter upper case */
	CHECK_INT(names_add(&s, "ß.md", &clash), 0);
	CHECK_INT(names_add(&s, "SS.md", &clash), 0);
	CHECK_INT(names_add(&s, "ss.md", &clash), 1);
	/* invalid UTF-8 is compared byte for byte */
	CHECK_INT(names_add(&s, "\xc3", &clash), 0);
	CHECK_INT(names_add(&s, "\xe3", &clash), 0);
	names_release(&s);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

TEST(large_set)
{
	enum { N = 100000 };
	struct names_set s;
	char **paths = xcalloc(N, sizeof *paths);
	struct buf b = BUF_INIT;
	const char *clash;
	double t0;
	size_t i, clashes = 0;

	for (i = 0; i < N; i++) {
		buf_reset(&b);
		buf_printf(&b, "media/classe-%zu/sortie-%zu/photo-%zu.jpg", i % 7, i % 101, i);
		paths[i] = buf_detach(&b, NULL);
	}
	t0 = clock_seconds();
	names_init(&s);
	for (i = 0; i < N; i++)
		clashes += names_add(&s, paths[i], &clash) != 0;
	CHECK_INT(clashes, 0);
	CHECK_INT(names_add(&s, "media/classe-3/sortie-3/PHOTO-3.JPG", &clash), 1);
	CHECK_STR(clash, "media/classe-3/sortie-3/photo-3.jpg");
	CHECK_INT(names_add(&s, "media/Classe-3/x.jpg", &clash), 1);
	CHECK_STR(clash, "media/classe-3");
	names_release(&s);
	/* the whole tree check too, sorted as a source tree is */
	{
		struct names_file *f = xcalloc(N, sizeof *f);
		struct diag d;

		qsort(paths, N, sizeof *paths, cmp_str);
		for (i = 0; i < N; i++) {
			f[i].path = paths[i];
			f[i].size = 1000;
			f[i].media = 1;
		}
		diag_init(&d);
		CHECK_INT(names_check_tree(f, N, 100000000, &d), 0);
		CHECK_INT(d.len, 0);
		diag_release(&d);
		free(f);
	}
	/* quadratic work would take minutes; hashed work takes well under a second */
	CHECK(clock_seconds() - t0 < 5.0);
	for (i = 0; i < N; i++)
		free(paths[i]);
	free(paths);
}

/* The diagnostics of d as printed, errors first. */
static char *
printed(const struct diag *d)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	diag_print(d, f);
	fclose(f);
	return s;
}

TEST(tree)
{
	static const struct names_file files[] = {
		{ "media/Photo.jpg", 1000, 1 },
		{ "media/a?b.png", 10, 1 },
		{ "media/film.mp4", 2097152, 1 },
		{ "media/juste.mp4", 1000000, 1 },
		{ "media/photo.jpg", 1000, 1 },
		{ "pages/CON.md", 100, 0 },
		{ "posts/2020-01-01-a.md", 5000000, 0 },
	};
	struct diag d;
	char *out;

	diag_init(&d);
	CHECK_INT(names_check_tree(files, ARRAY_LEN(files), 1000000, &d), 4);
	CHECK_INT(d.nerrors, 4);
	CHECK_INT(d.nwarnings, 0);
	out = printed(&d);
	CHECK(strstr(out, "media/a?b.png: error: file name \"media/a?b.png\" cannot be copied to a USB stick") != NULL);
	CHECK(strstr(out, "media/photo.jpg: error: \"media/Photo.jpg\" and \"media/photo.jpg\" differ only by upper/lower case: a USB stick (FAT32) cannot hold both; rename one\n") != NULL);
	CHECK(strstr(out, "media/film.mp4: error: media file \"media/film.mp4\" is 2.1 MB, over the limit of 1 MB: make the video shorter or smaller") != NULL);
	CHECK(strstr(out, "pages/CON.md: error: file name \"pages/CON.md\"") != NULL);
	CHECK(strstr(out, "juste") == NULL);
	CHECK(strstr(out, "posts/") == NULL);
	free(out);
	diag_release(&d);

	/* no limit */
	diag_init(&d);
	CHECK_INT(names_check_tree(files + 2, 1, 0, &d), 0);
	diag_release(&d);

	/* a folder clash names the two folders, at the later file */
	{
		static const struct names_file dirs[] = {
			{ "Photos/a.jpg", 1, 1 },
			{ "photos/b.jpg", 1, 1 },
			{ "photos/c.jpg", 1, 1 },
		};

		diag_init(&d);
		CHECK_INT(names_check_tree(dirs, ARRAY_LEN(dirs), 0, &d), 1);
		out = printed(&d);
		CHECK_STR(out, "photos/b.jpg: error: \"Photos\" and \"photos\" differ only by upper/lower case: a USB stick (FAT32) cannot hold both; rename one\n");
		free(out);
		diag_release(&d);
	}

	/* sizes: rounded up, the limit shown with its decimal */
	{
		static const struct names_file big[] = {
			{ "a.mp4", 100000001, 1 },
			{ "b.mp4", 2500000, 1 },
		};

		diag_init(&d);
		CHECK_INT(names_check_tree(big, 1, 100000000, &d), 1);
		CHECK_INT(names_check_tree(big + 1, 1, 1500000, &d), 1);
		out = printed(&d);
		CHECK(strstr(out, "is 100.1 MB, over the limit of 100 MB") != NULL);
		CHECK(strstr(out, "is 2.5 MB, over the limit of 1.5 MB") != NULL);
		free(out);
		diag_release(&d);
	}

	diag_init(&d);
	CHECK_INT(names_check_tree(NULL, 0, 0, &d), 0);
	CHECK_INT(names_check_tree(NULL, 1, 0, &d), -1);
	diag_release(&d);
}

int
main(void)
{
	RUN(plain_names);
	RUN(forbidden_characters);
	RUN(trailing_dot_space);
	RUN(reserved_names);
	RUN(lengths);
	RUN(name_length_utf16);
	RUN(bad_paths);
	RUN(why_appends);
	RUN(case_clash_files);
	RUN(case_clash_folders);
	RUN(case_clash_accents);
	RUN(large_set);
	RUN(tree);
	return t_summary();
}
