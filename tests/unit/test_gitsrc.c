/*
 * gitsrc against fixture repositories made with the git CLI in a
 * temporary directory, with fixed names and dates.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "gitsrc.h"
#include "t.h"

static char tmp[] = "/tmp/ardoise-gitsrc-XXXXXX";
static char path[4096];

#define sh(...) t_sh(tmp, __VA_ARGS__)

/* First line of a command's output, in a static buffer. */
static const char *
out_of(const char *cmd)
{
	static char line[256];
	char full[1024];
	FILE *f;

	snprintf(full, sizeof full, "cd '%s' && %s", tmp, cmd);
	line[0] = '\0';
	if ((f = popen(full, "r")) == NULL)
		return line;
	if (fgets(line, sizeof line, f))
		line[strcspn(line, "\n")] = '\0';
	pclose(f);
	return line;
}

static const char *
at(const char *rel)
{
	snprintf(path, sizeof path, "%s/%s", tmp, rel);
	return path;
}

static int
has_msg(const struct diag *d, enum diag_level level, const char *needle)
{
	size_t i;

	for (i = 0; i < d->len; i++)
		if (d->items[i].level == level && strstr(d->items[i].msg, needle))
			return 1;
	return 0;
}

/* The bytes of path in s, in a static buffer; "(none)" when absent. */
static const char *
content(struct gitsrc *s, const char *p)
{
	static char text[256];
	const struct gitsrc_file *f = gitsrc_find(s, p);
	struct buf b = BUF_INIT;
	struct diag d;

	diag_init(&d);
	snprintf(text, sizeof text, "(none)");
	if (f && gitsrc_read(s, f, &b, &d) == 0)
		snprintf(text, sizeof text, "%s", b.p);
	buf_release(&b);
	diag_release(&d);
	return text;
}

static const char fixture[] =
	"git init -q -b main work && cd work && mkdir posts media && "
	"printf 'v1\\n' >posts/a.md && printf img >media/x.jpg && "
	"git add -A && "
	"GIT_COMMITTER_DATE='2020-03-16T10:00:00+0100' git commit -qm one && "
	"git tag -a -m v1 v1 && "
	"printf 'v2\\n' >posts/a.md && printf 'b2\\n' >posts/b.md && "
	"ln -s ../posts/a.md media/link.md && git add -A && "
	"git update-index --add --cacheinfo "
	"160000,1111111111111111111111111111111111111111,sub && "
	"GIT_COMMITTER_DATE='2020-03-17T09:00:00+0000' git commit -qm two && "
	"git branch topic && "
	"printf 'b3\\n' >posts/b.md && git add posts/b.md && "
	"GIT_COMMITTER_DATE='2020-03-18T08:30:00+0200' git commit -qm three && "
	"printf 'dirty\\n' >posts/a.md && printf 'new\\n' >posts/new.md && "
	"mkdir -p .ardoise && printf x >.ardoise/cache && "
	"cd .. && git clone -q --bare work bare.git && "
	"git init -q -b main empty && mkdir plain && printf p >plain/p.txt && "
	"git init -q -b main odd && cd odd && "
	"b=$(echo hi | git hash-object -w --stdin) && "
	"t=$(printf '100644 blob %s\\tok.md\\000100644 blob %s\\tbad\\001n.md"
	"\\000100644 blob %s\\t..\\000100644 blob %s\\tdel\\177.md"
	"\\000100644 blob %s\\tback\\\\slash.md\\000100644 blob %s\\tlatin\\351.md"
	"\\000100644 blob %s\\t\\303\\251t\\303\\251.md\\000' $b $b $b $b $b $b $b | git mktree -z) && "
	"c=$(GIT_COMMITTER_DATE='2020-01-01T00:00:00+0000' git commit-tree -m odd $t) && "
	"git update-ref refs/heads/main $c";

TEST(bare_head)
{
	struct gitsrc *s;
	struct diag d;
	const struct gitsrc_commit *c;

	diag_init(&d);
	CHECK_INT(gitsrc_open(&s, at("bare.git"), NULL, 0, &d), 0);
	if (s == NULL)
		return;
	CHECK_INT(gitsrc_count(s), 3);
	CHECK_STR(gitsrc_at(s, 0)->path, "media/x.jpg");
	CHECK_STR(gitsrc_at(s, 1)->path, "posts/a.md");
	CHECK_STR(gitsrc_at(s, 2)->path, "posts/b.md");
	CHECK(gitsrc_at(s, 3) == NULL);
	/* The committed content, not the dirty work tree of the origin. */
	CHECK_STR(content(s, "posts/a.md"), "v2\n");
	CHECK_STR(content(s, "posts/b.md"), "b3\n");
	CHECK_STR(gitsrc_find(s, "posts/a.md")->oid,
	    out_of("git -C bare.git rev-parse main:posts/a.md"));
	CHECK_INT(gitsrc_find(s, "posts/a.md")->size, 3);
	CHECK_INT(gitsrc_find(s, "media/x.jpg")->size, 3);
	CHECK(gitsrc_find(s, "media/link.md") == NULL);
	CHECK(gitsrc_find(s, "sub") == NULL);
	CHECK(gitsrc_find(s, "posts/zz.md") == NULL);
	CHECK(has_msg(&d, DIAG_WARNING,
	    "symbolic link \"media/link.md\" ignored"));
	CHECK(has_msg(&d, DIAG_WARNING, "submodule \"sub\" ignored"));
	CHECK_INT(d.nwarnings, 2);
	CHECK_INT(d.nerrors, 0);
	c = gitsrc_commit(s);
	CHECK_STR(c->id, out_of("git -C bare.git rev-parse main"));
	CHECK_INT(c->time, 1584513000);
	CHECK_INT(c->offset, 120);
	CHECK(gitsrc_gitdir(s) && strstr(gitsrc_gitdir(s), "bare.git"));
	gitsrc_free(s);
	diag_release(&d);
}

/* Each ref form resolves to its own commit's tree. */
TEST(refs)
{
	static const struct {
		const char *ref, *a, *b;
		long long time;
	} cases[] = {
		{ "v1", "v1\n", "(none)", 1584349200 },
		{ "topic", "v2\n", "b2\n", 1584435600 },
		{ "main~1", "v2\n", "b2\n", 1584435600 },
		{ "refs/heads/main", "v2\n", "b3\n", 1584513000 },
	};
	struct gitsrc *s;
	struct diag d;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		diag_init(&d);
		CHECK_INT(gitsrc_open(&s, at("bare.git"), cases[i].ref, 0, &d), 0);
		if (s) {
			CHECK_STR(content(s, "posts/a.md"), cases[i].a);
			CHECK_STR(content(s, "posts/b.md"), cases[i].b);
			CHECK_INT(gitsrc_commit(s)->time, cases[i].time);
		}
		gitsrc_free(s);
		diag_release(&d);
	}
	/* A commit id, from a non-bare repository. */
	diag_init(&d);
	char id[64];
	snprintf(id, sizeof id, "%s", out_of("git -C work rev-parse v1^{commit}"));
	CHECK_INT(gitsrc_open(&s, at("work"), id, 0, &d), 0);
	if (s) {
		CHECK_STR(gitsrc_commit(s)->id, id);
		CHECK_INT(gitsrc_count(s), 2);
		CHECK_STR(content(s, "posts/a.md"), "v1\n");
	}
	gitsrc_free(s);
	diag_release(&d);
}

TEST(errors)
{
	struct gitsrc *s = (struct gitsrc *)1;
	struct diag d;

	diag_init(&d);
	CHECK_INT(gitsrc_open(&s, at("bare.git"), "nope", 0, &d), -1);
	CHECK(s == NULL);
	CHECK(has_msg(&d, DIAG_ERROR, "ref \"nope\" not found in"));
	CHECK_INT(gitsrc_open(&s, at("plain"), NULL, 0, &d), -1);
	CHECK(has_msg(&d, DIAG_ERROR, "is not a git repository"));
	CHECK_INT(gitsrc_open(&s, at("empty"), NULL, 0, &d), -1);
	CHECK(has_msg(&d, DIAG_ERROR, "has no commit yet"));
	CHECK_INT(gitsrc_open(&s, at("missing"), NULL, 1, &d), -1);
	CHECK(has_msg(&d, DIAG_ERROR, "cannot read directory"));
	CHECK_INT(d.nerrors, 4);
	diag_release(&d);
}

TEST(unsafe_names)
{
	struct gitsrc *s;
	struct diag d;

	diag_init(&d);
	CHECK_INT(gitsrc_open(&s, at("odd"), NULL, 0, &d), 0);
	if (s) {
		/* DEL, a backslash and Latin-1 (invalid UTF-8) refused; UTF-8 kept */
		CHECK_INT(gitsrc_count(s), 2);
		CHECK_STR(gitsrc_at(s, 0)->path, "ok.md");
		CHECK_STR(gitsrc_at(s, 1)->path, "\xc3\xa9t\xc3\xa9.md");
		CHECK_STR(content(s, "ok.md"), "hi\n");
	}
	CHECK_INT(d.nwarnings, 5);
	/* The control character is shown escaped, never raw. */
	CHECK(has_msg(&d, DIAG_WARNING, "\"bad\\x01n.md\""));
	CHECK(has_msg(&d, DIAG_WARNING, "\"..\""));
	gitsrc_free(s);
	diag_release(&d);
}

TEST(worktree)
{
	struct gitsrc *s;
	struct diag d;

	diag_init(&d);
	CHECK_INT(gitsrc_open(&s, at("work"), NULL, 1, &d), 0);
	if (s == NULL)
		return;
	CHECK_INT(gitsrc_count(s), 4);
	CHECK_STR(gitsrc_at(s, 0)->path, "media/x.jpg");
	CHECK_STR(gitsrc_at(s, 1)->path, "posts/a.md");
	CHECK_STR(gitsrc_at(s, 2)->path, "posts/b.md");
	CHECK_STR(gitsrc_at(s, 3)->path, "posts/new.md");
	CHECK_STR(content(s, "posts/a.md"), "dirty\n");
	CHECK_STR(content(s, "posts/new.md"), "new\n");
	CHECK_STR(gitsrc_find(s, "posts/a.md")->oid,
	    out_of("git -C work hash-object posts/a.md"));
	CHECK_STR(gitsrc_find(s, "media/x.jpg")->oid,
	    out_of("git -C work hash-object media/x.jpg"));
	CHECK_INT(gitsrc_find(s, "posts/a.md")->size, 6);
	CHECK(has_msg(&d, DIAG_WARNING,
	    "symbolic link \"media/link.md\" ignored"));
	CHECK_INT(d.nerrors, 0);
	CHECK_STR(gitsrc_commit(s)->id, out_of("git -C work rev-parse HEAD"));
	CHECK_INT(gitsrc_commit(s)->time, 1584513000);
	CHECK(gitsrc_gitdir(s) && strstr(gitsrc_gitdir(s), "work/.git"));
	gitsrc_free(s);

	/* A plain folder: no commit, no git directory. */
	CHECK_INT(gitsrc_open(&s, at("plain"), NULL, 1, &d), 0);
	if (s) {
		CHECK_INT(gitsrc_count(s), 1);
		CHECK_STR(content(s, "p.txt"), "p");
		CHECK_STR(gitsrc_commit(s)->id, "");
		CHECK(gitsrc_gitdir(s) == NULL);
	}
	gitsrc_free(s);
	gitsrc_free(NULL);
	diag_release(&d);
}

TEST(worktree_unsafe)
{
	struct gitsrc *s;
	struct diag d;

	diag_init(&d);
	CHECK_INT(sh("mkdir -p w2/d && printf x >w2/d/ok && "
	    "printf x >\"w2/d/tab$(printf '\\t')x\" && printf x >'w2/d/b\\s' && "
	    "mkfifo w2/fifo && mkdir -p w2/nested/.git w2/sub/.ardoise && "
	    "printf x >w2/nested/f && printf x >w2/sub/.ardoise/c"), 0);
	CHECK_INT(gitsrc_open(&s, at("w2"), NULL, 1, &d), 0);
	if (s) {
		CHECK_INT(gitsrc_count(s), 1);
		CHECK_STR(gitsrc_at(s, 0)->path, "d/ok");
	}
	CHECK(has_msg(&d, DIAG_WARNING, "\"d/tab\\x09x\""));
	CHECK(has_msg(&d, DIAG_WARNING, "\"d/b\\x5cs\""));
	CHECK(has_msg(&d, DIAG_WARNING, "special file \"fifo\""));
	CHECK(has_msg(&d, DIAG_WARNING, "submodule \"nested\""));
	CHECK_INT(d.nwarnings, 4);
	gitsrc_free(s);
	diag_release(&d);
}

int
main(void)
{
	int rc;

	if (mkdtemp(tmp) == NULL || gitsrc_global_init() < 0)
		return 2;
	setenv("HOME", tmp, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_AUTHOR_NAME", "Mme Martin", 1);
	setenv("GIT_AUTHOR_EMAIL", "martin@ecole.example", 1);
	setenv("GIT_COMMITTER_NAME", "Mme Martin", 1);
	setenv("GIT_COMMITTER_EMAIL", "martin@ecole.example", 1);
	setenv("GIT_AUTHOR_DATE", "2020-01-01T00:00:00+0000", 1);
	if (sh("%s", fixture) != 0) {
		fprintf(stderr, "cannot make the fixture repositories in %s\n", tmp);
		return 2;
	}
	RUN(bare_head);
	RUN(refs);
	RUN(errors);
	RUN(unsafe_names);
	RUN(worktree);
	RUN(worktree_unsafe);
	rc = t_summary();
	sh("cd / && rm -rf '%s'", tmp);
	gitsrc_global_shutdown();
	return rc;
}
