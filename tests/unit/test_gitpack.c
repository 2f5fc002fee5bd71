/*
 * gitpack against libgit2: every object of fixture repositories packed
 * the ways git packs them (git gc: offset deltas, older versions made
 * from newer; reference deltas; git fast-import: newer made from older;
 * packs beside loose objects), then damaged packs. And the history walk
 * gives the same dates whichever way the history is packed.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "buf.h"
#include "diag.h"
#include "gitpack.h"
#include "gitsrc.h"
#include "history.h"
#include "t.h"

static char tmp[] = "/tmp/ardoise-gitpack-XXXXXX";

#define sh(...) t_sh(tmp, __VA_ARGS__)

/*
 * Repository g: 80 commits by three authors (one accented) on fixed
 * dates in four time zones (the commits' raw text is parsed); each adds a
 * post to posts/ (a tree that grows to kilobytes, as a class blog's
 * does), edits an older one, and every tenth deletes one or touches
 * notes/.
 */
static const char fixture[] =
	"git init -q -b main g && cd g && mkdir -p posts notes && "
	"i=1; while [ $i -le 80 ]; do "
	"  printf 'post %d\\n%0200d\\n' $i $i >posts/p$(printf %03d $i)-un-titre-assez-long.md; "
	"  j=$(( (i * 7) % i + 1 )); echo \"edit $i\" >>posts/p$(printf %03d $j)-un-titre-assez-long.md; "
	"  if [ $((i % 10)) -eq 0 ]; then git rm -q posts/p$(printf %03d $((i - 5)))-un-titre-assez-long.md; "
	"    echo n$i >notes/n$i.md; fi; "
	"  git add -A; case $((i % 3)) in 0) a=Alice;; 1) a=Bob;; *) a=\"Élodie N'Diaye\";; esac; "
	"  case $((i % 4)) in 0) z=+0000;; 1) z=-0330;; 2) z=+0545;; *) z=+1400;; esac; "
	"  d=$(printf '2021-%02d-%02dT10:00:00' $(( (i - 1) / 28 + 1 )) $(( (i - 1) % 28 + 1 )))$z; "
	"  GIT_AUTHOR_NAME=$a GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -qm c$i; "
	"  i=$((i + 1)); done";

/*
 * Reads every object of repository dir both ways; returns how many
 * gitpack read, or -1 on a difference. libgit2 checks each object's id
 * against its content (strict hash verification, on by default), so
 * what it reads is right; in a damaged pack (damaged set) the objects it
 * cannot read are passed over.
 */
static long
compare_all(const char *dir, size_t budget, int damaged)
{
	char path[4096], line[128];
	git_repository *repo = NULL;
	git_odb *odb = NULL;
	struct gitpack *gp;
	long read = 0, total = 0;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s/.git", tmp, dir);
	if (git_repository_open(&repo, path) < 0 ||
	    git_repository_odb(&odb, repo) < 0)
		return -1;
	snprintf(path, sizeof path, "%s/%s/.git/objects", tmp, dir);
	gp = gitpack_open(path, budget);
	snprintf(path, sizeof path, "git -C '%s/%s' cat-file "
	    "--batch-all-objects --batch-check='%%(objectname)'", tmp, dir);
	if ((f = popen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f)) {
		struct gitpack_obj *o;
		git_odb_object *g;
		git_oid id;

		line[strcspn(line, "\n")] = '\0';
		if (git_oid_fromstr(&id, line) < 0) {
			read = -1;
			break;
		}
		if (git_odb_read(&g, odb, &id) < 0) {
			if (damaged)
				continue;
			read = -1;
			break;
		}
		total++;
		if (gitpack_read(gp, id.id, &o)) {
			if (o->type != (int)git_odb_object_type(g) ||
			    o->len != git_odb_object_size(g) ||
			    memcmp(o->data, git_odb_object_data(g), o->len)) {
				fprintf(stderr, "  %s: %s differs\n", dir, line);
				read = -1;
			} else if (read >= 0) {
				read++;
			}
			gitpack_obj_release(o);
		}
		git_odb_object_free(g);
	}
	pclose(f);
	gitpack_free(gp);
	git_odb_free(odb);
	git_repository_free(repo);
	if (total == 0)
		return -1;
	return read;
}

/* Objects of repository dir, or files in dir when it is a glob of
 * loose object folders. */
static long
count_objects(const char *dir)
{
	char cmd[512], line[64] = "";
	FILE *f;

	if (strchr(dir, '['))
		snprintf(cmd, sizeof cmd, "cd '%s' && find %s -type f | wc -l",
		    tmp, dir);
	else
		snprintf(cmd, sizeof cmd, "git -C '%s/%s' cat-file "
		    "--batch-all-objects --batch-check | wc -l", tmp, dir);
	if ((f = popen(cmd, "r")) == NULL)
		return -1;
	if (fgets(line, sizeof line, f) == NULL)
		line[0] = '\0';
	pclose(f);
	return atol(line);
}

/* gitpack_depth of the tree of commit rev in repository dir. */
static int
tree_depth(const char *dir, const char *rev)
{
	char path[4096];
	git_repository *repo = NULL;
	git_object *t = NULL;
	struct gitpack *gp;
	int depth = -2;

	snprintf(path, sizeof path, "%s/%s/.git", tmp, dir);
	if (git_repository_open(&repo, path) < 0)
		return -2;
	snprintf(path, sizeof path, "%s/%s/.git/objects", tmp, dir);
	gp = gitpack_open(path, 0);
	if (git_revparse_single(&t, repo, rev) == 0)
		depth = gitpack_depth(gp, git_object_id(t)->id);
	git_object_free(t);
	gitpack_free(gp);
	git_repository_free(repo);
	return depth;
}

TEST(packed_by_gc)
{
	long n;

	CHECK_INT(sh("cp -a g gc && cd gc && git gc -q && "
	    "test -z \"$(find .git/objects -type f -path '*/objects/[0-9a-f][0-9a-f]/*')\""), 0);
	n = count_objects("gc");
	CHECK(n > 300);
	/* git gc keeps the newest whole: the walk goes newest first. */
	CHECK_INT(tree_depth("gc", "HEAD:posts"), 0);
	CHECK(tree_depth("gc", "HEAD~40:posts") > 0);
	/* All in one pack: all read here, in any order, equal to libgit2. */
	CHECK_INT(compare_all("gc", (size_t)1 << 20, 0), n);
	/* A budget too small for anything still reads all. */
	CHECK_INT(compare_all("gc", 1, 0), n);
}

TEST(reference_deltas)
{
	long n;

	CHECK_INT(sh("cp -a g ref && cd ref && "
	    "git -c repack.useDeltaBaseOffset=false repack -q -a -d -f && "
	    "git prune && git verify-pack -v .git/objects/pack/*.idx | "
	    "grep -q ' [0-9][0-9]* [0-9][0-9]* [0-9][0-9]* [0-9][0-9]* '"), 0);
	n = count_objects("ref");
	CHECK_INT(compare_all("ref", (size_t)1 << 20, 0), n);
}

TEST(fast_import)
{
	long n;

	/* fast-import makes each version of a tree a delta of the last. */
	CHECK_INT(sh("git init -q -b main fi && git -C g fast-export --all | "
	    "git -C fi fast-import --quiet && git -C fi checkout -q main"), 0);
	n = count_objects("fi");
	CHECK(n > 300);
	/* Here the oldest is whole: the walk goes oldest first. */
	CHECK(tree_depth("fi", "HEAD:posts") > 0);
	CHECK_INT(tree_depth("fi", "HEAD~79:posts"), 0);
	CHECK_INT(tree_depth("g", "HEAD^{tree}"), -1);	/* loose */
	CHECK_INT(compare_all("fi", (size_t)1 << 20, 0), n);
	CHECK_INT(compare_all("fi", 1, 0), n);
}

TEST(loose_beside_packs)
{
	long n, loose;

	/* Two packs and loose objects: all read here, equal to libgit2. */
	CHECK_INT(sh("cp -a gc two && cd two && echo x >posts/x.md && "
	    "git add -A && git commit -qm x && git repack -q && git prune-packed && "
	    "echo y >posts/y.md && git add -A && git commit -qm y"), 0);
	n = count_objects("two");
	loose = count_objects("two/.git/objects/[0-9a-f][0-9a-f]");
	CHECK(loose > 0);
	CHECK_INT(sh("test $(ls two/.git/objects/pack/*.pack | wc -l) -eq 2"), 0);
	CHECK_INT(compare_all("two", (size_t)1 << 20, 0), n);
	/* A damaged loose object is left to libgit2 (which fails on it too);
	 * the others read the same. */
	CHECK_INT(sh("cd two/.git/objects && f=$(find [0-9a-f][0-9a-f] -type f | sort | head -1) && "
	    "chmod u+w $f && printf '\\377\\377\\377' | dd of=$f bs=1 seek=12 conv=notrunc 2>/dev/null"), 0);
	CHECK_INT(compare_all("two", (size_t)1 << 20, 1), n - 1);
}

TEST(damaged_packs)
{
	char cmd[512];
	long n;
	int k;

	/* Bytes changed all through the pack: never a crash (the sanitizer
	 * build runs this), and what is read either matches or is refused. */
	for (k = 1; k <= 12; k++) {
		snprintf(cmd, sizeof cmd, "rm -rf bad && cp -a gc bad && "
		    "p=$(ls bad/.git/objects/pack/*.pack) && s=$(stat -c %%s $p) && "
		    "o=$(( (s - 32) * %d / 13 + 12 )) && "
		    "printf '\\377\\000\\177' | dd of=$p bs=1 seek=$o conv=notrunc 2>/dev/null", k);
		CHECK_INT(sh("%s", cmd), 0);
		n = compare_all("bad", 4096, 1);
		CHECK(n >= 0);
	}
}

TEST(gitsrc_reads_packed_posts)
{
	char path[4096];
	struct gitsrc *src = NULL;
	git_repository *repo = NULL;
	struct buf got = BUF_INIT;
	struct diag d;
	size_t i, n = 0;

	/* Posts are read through gitpack when packed: same bytes as git. */
	diag_init(&d);
	snprintf(path, sizeof path, "%s/gc", tmp);
	CHECK_INT(gitsrc_open_commit(&src, path, NULL, 0, &d), 0);
	CHECK_INT(gitsrc_list(src, &d), 0);
	snprintf(path, sizeof path, "%s/gc/.git", tmp);
	CHECK_INT(git_repository_open(&repo, path), 0);
	for (i = 0; src && repo && i < gitsrc_count(src); i++) {
		const struct gitsrc_file *f = gitsrc_at(src, i);
		git_blob *b = NULL;
		git_oid id;

		buf_reset(&got);
		CHECK_INT(gitsrc_read(src, f, &got, &d), 0);
		if (git_oid_fromstr(&id, f->oid) < 0 ||
		    git_blob_lookup(&b, repo, &id) < 0) {
			t_cur_failed++;
			continue;
		}
		if ((size_t)git_blob_rawsize(b) != got.len ||
		    memcmp(git_blob_rawcontent(b), got.p, got.len) != 0) {
			fprintf(stderr, "  %s differs\n", f->path);
			t_cur_failed++;
		}
		git_blob_free(b);
		n++;
	}
	CHECK(n > 70);
	CHECK_INT(d.nerrors, 0);
	buf_release(&got);
	git_repository_free(repo);
	gitsrc_free(src);
	diag_release(&d);
}

/*
 * Versions of a large directory read in history order, the last two held
 * as the walk holds them: each equals libgit2's, and later ones are made
 * in the buffers of older ones (gitpack_recycled), skipping what those
 * hold already. Repository big: 1,600 posts, then 30 commits each adding
 * one and editing one; fast-imported, so each version is a delta of the
 * one before.
 */
TEST(recycled_versions)
{
	char path[4096], rev[64];
	git_repository *repo = NULL;
	struct gitpack *gp;
	struct gitpack_obj *held[2] = { NULL, NULL };
	int k, same = 0;

	CHECK_INT(sh("git init -q -b main bigsrc && cd bigsrc && mkdir big && "
	    "i=1; while [ $i -le 1600 ]; do echo $i >big/$(printf %%05d $i)-une-sortie-au-musee.md; "
	    "i=$((i + 1)); done && git add -A && git commit -qm base && "
	    "i=1; while [ $i -le 30 ]; do echo n$i >big/$(printf %%05d $((1600 + i)))-une-sortie-au-musee.md; "
	    "echo e$i >>big/$(printf %%05d $((i * 37)))-une-sortie-au-musee.md; "
	    "git add -A && git commit -qm c$i; i=$((i + 1)); done && cd .. && "
	    "git init -q -b main big && git -C bigsrc fast-export --all | "
	    "git -C big fast-import --quiet"), 0);
	snprintf(path, sizeof path, "%s/big/.git", tmp);
	CHECK_INT(git_repository_open(&repo, path), 0);
	snprintf(path, sizeof path, "%s/big/.git/objects", tmp);
	gp = gitpack_open(path, 0);
	for (k = 30; repo && k >= 0; k--) {
		git_object *t = NULL;
		git_odb *odb = NULL;
		git_odb_object *g = NULL;
		struct gitpack_obj *o = NULL;

		snprintf(rev, sizeof rev, "main~%d:big", k);
		if (git_revparse_single(&t, repo, rev) < 0 ||
		    git_repository_odb(&odb, repo) < 0 ||
		    git_odb_read(&g, odb, git_object_id(t)) < 0 ||
		    !gitpack_read(gp, git_object_id(t)->id, &o)) {
			t_cur_failed++;
		} else if (o->len == git_odb_object_size(g) &&
		    memcmp(o->data, git_odb_object_data(g), o->len) == 0) {
			same++;
		}
		gitpack_obj_release(held[0]);
		held[0] = held[1];
		held[1] = o;
		git_odb_object_free(g);
		git_odb_free(odb);
		git_object_free(t);
	}
	CHECK_INT(same, 31);
	CHECK(gitpack_recycled(gp) > 10);
	gitpack_obj_release(held[0]);
	gitpack_obj_release(held[1]);
	gitpack_free(gp);
	git_repository_free(repo);
}

static int
same_info(const struct history_info *a, const struct history_info *b)
{
	return a->found == b->found && a->created_time == b->created_time &&
	    a->created_offset == b->created_offset &&
	    a->updated_time == b->updated_time &&
	    a->updated_offset == b->updated_offset &&
	    strcmp(a->created_author ? a->created_author : "",
	    b->created_author ? b->created_author : "") == 0 &&
	    strcmp(a->updated_author ? a->updated_author : "",
	    b->updated_author ? b->updated_author : "") == 0;
}

static int
walk(const char *dir, const char *const *paths, size_t n,
    struct history_info *out)
{
	char gitdir[4096], head[64] = "";
	struct diag d;
	FILE *f;
	int rc;

	snprintf(gitdir, sizeof gitdir, "git -C '%s/%s' rev-parse HEAD", tmp,
	    dir);
	if ((f = popen(gitdir, "r")) == NULL)
		return -1;
	if (fgets(head, sizeof head, f))
		head[strcspn(head, "\n")] = '\0';
	pclose(f);
	diag_init(&d);
	snprintf(gitdir, sizeof gitdir, "%s/%s/.git", tmp, dir);
	memset(out, 0, n * sizeof *out);
	rc = history_walk(gitdir, head, paths, n, out, &d);
	diag_release(&d);
	return rc;
}

TEST(history_whatever_the_packing)
{
	static const char *const paths[] = {
		"notes/n10.md", "notes/n80.md", "posts/p001-un-titre-assez-long.md",
		"posts/p002-un-titre-assez-long.md", "posts/p040-un-titre-assez-long.md",
		"posts/p079-un-titre-assez-long.md", "posts/p080-un-titre-assez-long.md",
	};
	enum { N = sizeof paths / sizeof *paths };
	static const char *const dirs[] = { "gc", "ref", "fi" };
	struct history_info loose[N], packed[N];
	size_t i, k;

	CHECK_INT(walk("g", paths, N, loose), 0);
	CHECK_INT(loose[2].found, 1);
	CHECK_STR(loose[2].created_author, "Bob");	/* commit 1 */
	CHECK_STR(loose[3].created_author, "Élodie N'Diaye");	/* commit 2 */
	CHECK_INT(loose[3].created_offset, 5 * 60 + 45);
	CHECK_INT(loose[6].created_time, loose[6].updated_time);
	for (k = 0; k < sizeof dirs / sizeof *dirs; k++) {
		CHECK_INT(walk(dirs[k], paths, N, packed), 0);
		for (i = 0; i < N; i++)
			if (!same_info(&loose[i], &packed[i])) {
				fprintf(stderr, "  %s: %s differs\n", dirs[k],
				    paths[i]);
				t_cur_failed++;
			}
		history_info_release(packed, N);
	}
	history_info_release(loose, N);
}

int
main(void)
{
	int rc;

	if (mkdtemp(tmp) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	git_libgit2_init();
	if (sh("%s", fixture) != 0) {
		fprintf(stderr, "cannot make the fixture repositories\n");
		return 1;
	}
	RUN(packed_by_gc);
	RUN(reference_deltas);
	RUN(fast_import);
	RUN(loose_beside_packs);
	RUN(damaged_packs);
	RUN(gitsrc_reads_packed_posts);
	RUN(recycled_versions);
	RUN(history_whatever_the_packing);
	rc = t_summary();
	sh("cd / && rm -rf '%s'", tmp);
	git_libgit2_shutdown();
	return rc;
}
