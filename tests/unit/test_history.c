/*
 * history against fixture repositories made with the git CLI, with fixed
 * authors and dates per commit.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "gitsrc.h"
#include "history.h"
#include "t.h"

static char tmp[] = "/tmp/ardoise-history-XXXXXX";
static char gitdir[4096], head[64];

static int
sh(const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	int rc;

	buf_printf(&b, "cd '%s' && (", tmp);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	buf_puts(&b, ") >/dev/null");
	rc = system(b.p);
	buf_release(&b);
	return rc;
}

static void
out_of(const char *cmd, char *line, size_t n)
{
	char full[1024];
	FILE *f;

	snprintf(full, sizeof full, "cd '%s' && %s", tmp, cmd);
	line[0] = '\0';
	if ((f = popen(full, "r")) == NULL)
		return;
	if (fgets(line, (int)n, f))
		line[strcspn(line, "\n")] = '\0';
	pclose(f);
}

/*
 * c NAME DATE MSG: commit as NAME at DATE (author and committer).
 * History of repository h (newest last):
 *   1 Alice  2020-01-01 +0100  add posts/a.md, pages/x.md, cahiers/s/01.md
 *   2 Bob    2020-02-01 +0000  edit posts/a.md
 *   3 Alice  2020-03-01        delete pages/x.md
 *   4 Carol  2020-04-01        add pages/x.md again
 *   5 Dave   2020-05-01        add posts/side.md (branch side)
 *   6 Alice  2020-05-02 +0200  edit cahiers/s/01.md (main)
 *   7 Merger 2020-06-01        merge side into main (no fast-forward)
 */
static const char fixture[] =
	"c() { GIT_AUTHOR_NAME=\"$1\" GIT_AUTHOR_DATE=\"$2\" "
	"GIT_COMMITTER_DATE=\"$2\" git commit -qm \"$3\"; } && "
	"git init -q -b main h && cd h && mkdir -p posts pages cahiers/s && "
	"echo a1 >posts/a.md && echo x1 >pages/x.md && echo s1 >cahiers/s/01.md && "
	"git add -A && c Alice 2020-01-01T10:00:00+0100 one && "
	"echo a2 >posts/a.md && git add -A && c Bob 2020-02-01T10:00:00+0000 two && "
	"git rm -q pages/x.md && c Alice 2020-03-01T10:00:00+0000 three && "
	"mkdir -p pages && echo x2 >pages/x.md && git add -A && c Carol 2020-04-01T10:00:00+0000 four && "
	"git checkout -q -b side && echo d >posts/side.md && git add -A && "
	"c Dave 2020-05-01T10:00:00+0000 five && git checkout -q main && "
	"echo s2 >cahiers/s/01.md && git add -A && "
	"c Alice 2020-05-02T10:00:00+0200 six && "
	"GIT_AUTHOR_NAME=Merger GIT_AUTHOR_DATE=2020-06-01T10:00:00+0000 "
	"GIT_COMMITTER_DATE=2020-06-01T10:00:00+0000 "
	"git merge -q --no-ff -m merge side && cd .. && "
	/* e: the root commit's tree is deleted, so only an early stop works. */
	"git init -q -b main e && cd e && mkdir z && echo o >z/old.md && "
	"git add -A && c Alice 2019-01-01T10:00:00+0000 e1 && "
	"echo m >mid.md && git add -A && c Bob 2019-02-01T10:00:00+0000 e2 && "
	"echo n >new.md && git add -A && c Carol 2019-03-01T10:00:00+0000 e3 && "
	"t=$(git rev-parse HEAD~2^{tree}) && "
	"rm -f .git/objects/$(echo $t | cut -c1-2)/$(echo $t | cut -c3-)";

static void
open_repo(const char *name)
{
	char cmd[256];

	snprintf(gitdir, sizeof gitdir, "%s/%s/.git", tmp, name);
	snprintf(cmd, sizeof cmd, "git -C %s rev-parse HEAD", name);
	out_of(cmd, head, sizeof head);
}

TEST(dates_and_authors)
{
	static const char *const paths[] = {
		"cahiers/s/01.md", "pages/x.md", "posts/a.md", "posts/ghost.md",
		"posts/side.md",
	};
	struct history_info hi[5];
	struct diag d;

	memset(hi, 0, sizeof hi);
	diag_init(&d);
	open_repo("h");
	CHECK_INT(history_walk(gitdir, head, paths, 5, hi, &d), 0);
	CHECK_INT(d.len, 0);

	/* Nested directories; the update carries its own offset. */
	CHECK_INT(hi[0].found, 1);
	CHECK_INT(hi[0].created_time, 1577869200);
	CHECK_INT(hi[0].created_offset, 60);
	CHECK_STR(hi[0].created_author, "Alice");
	CHECK_INT(hi[0].updated_time, 1588406400);
	CHECK_INT(hi[0].updated_offset, 120);
	CHECK_STR(hi[0].updated_author, "Alice");

	/* Deleted then added again: the newest addition counts. */
	CHECK_INT(hi[1].found, 1);
	CHECK_INT(hi[1].created_time, 1585735200);
	CHECK_STR(hi[1].created_author, "Carol");
	CHECK_INT(hi[1].updated_time, 1585735200);
	CHECK_STR(hi[1].updated_author, "Carol");

	/* Added by one author, edited by another. */
	CHECK_INT(hi[2].created_time, 1577869200);
	CHECK_STR(hi[2].created_author, "Alice");
	CHECK_INT(hi[2].updated_time, 1580551200);
	CHECK_INT(hi[2].updated_offset, 0);
	CHECK_STR(hi[2].updated_author, "Bob");

	CHECK_INT(hi[3].found, 0);
	CHECK(hi[3].created_author == NULL && hi[3].updated_author == NULL);

	/* The merge commit is skipped: the branch commit gets the credit. */
	CHECK_INT(hi[4].found, 1);
	CHECK_STR(hi[4].created_author, "Dave");
	CHECK_STR(hi[4].updated_author, "Dave");
	CHECK_INT(hi[4].created_time, 1588327200);

	history_info_release(hi, 5);
	CHECK(hi[0].created_author == NULL);
	diag_release(&d);
}

/* Through gitsrc, as the build uses it: every listed path is found. */
TEST(with_gitsrc)
{
	struct gitsrc *s;
	struct history_info *hi;
	const char **paths;
	struct diag d;
	size_t i, n;
	char dir[4096];

	diag_init(&d);
	snprintf(dir, sizeof dir, "%s/h", tmp);
	CHECK_INT(gitsrc_open(&s, dir, NULL, 0, &d), 0);
	if (s == NULL)
		return;
	n = gitsrc_count(s);
	CHECK_INT(n, 4);
	paths = calloc(n, sizeof *paths);
	hi = calloc(n, sizeof *hi);
	for (i = 0; i < n; i++)
		paths[i] = gitsrc_at(s, i)->path;
	CHECK_INT(history_walk(gitsrc_gitdir(s), gitsrc_commit(s)->id, paths, n,
	    hi, &d), 0);
	for (i = 0; i < n; i++)
		CHECK_INT(hi[i].found, 1);
	history_info_release(hi, n);
	free(hi);
	free(paths);
	gitsrc_free(s);
	diag_release(&d);
}

TEST(early_stop)
{
	static const char *const fresh[] = { "new.md" };
	static const char *const old[] = { "new.md", "z/old.md" };
	struct history_info hi[2];
	struct diag d;

	memset(hi, 0, sizeof hi);
	diag_init(&d);
	open_repo("e");
	/* Resolved at the newest commit: the broken root is never read. */
	CHECK_INT(history_walk(gitdir, head, fresh, 1, hi, &d), 0);
	CHECK_INT(hi[0].found, 1);
	CHECK_STR(hi[0].created_author, "Carol");
	CHECK_INT(d.nerrors, 0);
	history_info_release(hi, 1);
	/* The control: walking further does reach the deleted tree. */
	memset(hi, 0, sizeof hi);
	CHECK_INT(history_walk(gitdir, head, old, 2, hi, &d), -1);
	CHECK_INT(d.nerrors, 1);
	history_info_release(hi, 2);
	diag_release(&d);
}

TEST(bad_input)
{
	static const char *const unsorted[] = { "posts/a.md", "pages/x.md" };
	static const char *const one[] = { "posts/a.md" };
	struct history_info hi[2];
	struct diag d;

	memset(hi, 0, sizeof hi);
	diag_init(&d);
	open_repo("h");
	CHECK_INT(history_walk(gitdir, head, unsorted, 2, hi, &d), -1);
	CHECK_INT(history_walk(gitdir, "main", one, 1, hi, &d), -1);
	CHECK_INT(history_walk(gitdir, "0123456789012345678901234567890123456789",
	    one, 1, hi, &d), -1);
	CHECK_INT(history_walk(gitdir, head, one, 0, hi, &d), 0);
	CHECK_INT(d.nerrors, 3);
	CHECK(strstr(d.items[0].msg, "\"pages/x.md\"") != NULL);
	CHECK(strstr(d.items[1].msg, "\"main\" is not a commit id") != NULL);
	CHECK(strstr(d.items[2].msg, "not found") != NULL);
	CHECK_INT(hi[0].found, 0);
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
	setenv("GIT_AUTHOR_EMAIL", "classe@ecole.example", 1);
	setenv("GIT_COMMITTER_NAME", "Classe", 1);
	setenv("GIT_COMMITTER_EMAIL", "classe@ecole.example", 1);
	if (sh("%s", fixture) != 0) {
		fprintf(stderr, "cannot make the fixture repositories in %s\n", tmp);
		return 2;
	}
	RUN(dates_and_authors);
	RUN(with_gitsrc);
	RUN(early_stop);
	RUN(bad_input);
	rc = t_summary();
	sh("cd / && rm -rf '%s'", tmp);
	gitsrc_global_shutdown();
	return rc;
}
