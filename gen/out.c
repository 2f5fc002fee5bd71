#include "out.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "manifest.h"
#include "util.h"

#define MARKER ".ardoise"
#define MANIFEST MARKER "/manifest"
#define OWN_KEPT "posts.d"	/* see drop_own */
#define BASE_KEPT 2		/* see out.base_used */
/*
 * From this size on, a file's write-back starts as soon as it is written
 * (write_file), while the build goes on, rather than in out_commit's
 * syncfs, which the publication waits for. ext4 does so by itself for a
 * file renamed over another; the records of .ardoise/ are new files. At
 * 10,000 posts (3 MB of records and sitemap per rebuild) the syncfs went
 * from 2.3 to 0.9 ms. Below the threshold, as for the thousands of small
 * pages of a full build, one more call per file would cost more.
 */
#define WRITEBACK_EARLY ((size_t)64 << 10)

struct out {
	char *target;
	char *staging;
	char *previous;		/* where reusable files are, or NULL */
	struct manifest prev;	/* what previous holds (sorted) */
	struct manifest next;	/* what this build wrote or reused */
	pthread_mutex_t lock;	/* guards next and the counts */
	size_t written, reused;
	atomic_int io_failed;	/* a write failed for a system reason */
	uint64_t max_bytes;	/* what one build may write; 0: no limit */
	atomic_uint_least64_t bytes;	/* written so far */
	atomic_int over;	/* the limit was passed (reported once) */
	/* a build in place updates the spare tree (the site before last,
	 * kept hidden next to the target) instead of starting empty */
	char *spare;		/* ".<name>.spare" next to the target, the tree
				 * to recycle, or NULL */
	int keep_spare;		/* in place: the old site becomes the spare */
	struct manifest base;	/* what staging held when claimed (sorted) */
	/* per base entry: 0 not produced by this build, 1 produced (its
	 * record in next), BASE_KEPT kept as it is (its record is base's) */
	unsigned char *base_used;
	int has_base;
};

static void out_free(struct out *o);

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

int
out_rmtree(const char *path)
{
	return nftw(path, rm_entry, 32, FTW_DEPTH | FTW_PHYS);
}

/* A directory we may replace: missing, empty, or with our marker. */
static int
replaceable(const char *dir)
{
	struct buf b = BUF_INIT;
	struct dirent *e;
	struct stat st;
	DIR *dp;
	int ok = 1;

	buf_printf(&b, "%s/%s", dir, MARKER);
	if (lstat(b.p, &st) == 0 && S_ISDIR(st.st_mode)) {
		buf_release(&b);
		return 1;
	}
	buf_release(&b);
	if (!(dp = opendir(dir)))
		return errno == ENOENT;
	while ((e = readdir(dp)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			ok = 0;
			break;
		}
	closedir(dp);
	return ok;
}

/* Loads the manifest of the previous build, if it can be trusted. */
static void
load_previous(struct out *o, const char *previous, struct diag *d)
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	const char *why;

	buf_printf(&path, "%s/%s", previous, MANIFEST);
	if (file_read(path.p, &text) == 0) {
		if (manifest_take(&o->prev, &text, &why) == 0)
			o->previous = xstrdup(previous);
		else
			diag_warn(d, path.p, 0, 0, _("the previous build's record is %s: every file is written again"),
			    _(why));
	}
	buf_release(&path);
	buf_release(&text);
}

/*
 * A build killed before its end leaves its staging directory (or, killed
 * between the swap and the cleanup, the old site under that name) next to
 * the target. The name holds the builder's pid: a directory whose process
 * is gone is removed; one whose process lives belongs to a build running
 * now.
 */
static void
remove_stale(const char *target)
{
	const char *slash = strrchr(target, '/');
	const char *base = slash ? slash + 1 : target;
	struct buf dir = BUF_INIT, prefix = BUF_INIT, path = BUF_INIT;
	struct dirent *e;
	DIR *dp;

	if (slash)
		buf_add(&dir, target, (size_t)(slash - target));
	else
		buf_puts(&dir, ".");
	buf_printf(&prefix, ".%s.tmp-", base);
	if ((dp = opendir(dir.p))) {
		while ((e = readdir(dp))) {
			char *end;
			long pid;

			if (strncmp(e->d_name, prefix.p, prefix.len) != 0)
				continue;
			pid = strtol(e->d_name + prefix.len, &end, 10);
			if (end == e->d_name + prefix.len || *end != '-' || pid <= 0 ||
			    (kill((pid_t)pid, 0) < 0 && errno == ESRCH)) {
				buf_reset(&path);
				buf_printf(&path, "%s/%s", dir.p, e->d_name);
				out_rmtree(path.p);
			}
		}
		closedir(dp);
	}
	buf_release(&dir);
	buf_release(&prefix);
	buf_release(&path);
}

/* "<dir of target>/.<name><suffix>" */
static char *
sibling(const char *target, const char *suffix)
{
	const char *slash = strrchr(target, '/');
	struct buf b = BUF_INIT;

	if (slash)
		buf_printf(&b, "%.*s/.%s%s", (int)(slash - target), target, slash + 1, suffix);
	else
		buf_printf(&b, ".%s%s", target, suffix);
	return buf_detach(&b, NULL);
}

/* Removes dir's .ardoise/ but its files named by their content
 * (OWN_KEPT), which a build links again when it has the same (out_link_own). */
static void
drop_own(const char *dir)
{
	struct buf path = BUF_INIT;
	struct dirent *de;
	DIR *dp;

	buf_printf(&path, "%s/%s", dir, MARKER);
	if ((dp = opendir(path.p)) != NULL) {
		while ((de = readdir(dp)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
			    strcmp(de->d_name, OWN_KEPT) == 0)
				continue;
			buf_reset(&path);
			buf_printf(&path, "%s/%s/%s", dir, MARKER, de->d_name);
			out_rmtree(path.p);
		}
		closedir(dp);
	}
	buf_release(&path);
}

/*
 * Takes the spare tree as the staging directory: renamed (so that two
 * builds never share it) to a staging name, which a killed build leaves
 * for remove_stale. Only a spare whose record is sound is used, and its
 * own .ardoise/ (record, caches) is dropped: this build writes its own.
 * Returns the staging path, or NULL (no spare, or not usable).
 */
static char *
claim_spare(struct out *o, const char *staging_base)
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	char *claimed = NULL;
	const char *why;

	buf_printf(&path, "%sspare", staging_base);
	if (rename(o->spare, path.p) < 0)
		goto out;
	claimed = buf_detach(&path, NULL);
	buf_printf(&path, "%s/%s", claimed, MANIFEST);
	if (file_read(path.p, &text) < 0 || manifest_take(&o->base, &text, &why) < 0) {
		out_rmtree(claimed);
		free(claimed);
		claimed = NULL;
		goto out;
	}
	drop_own(claimed);
	o->base_used = xcalloc(o->base.len + 1, 1);
	o->has_base = 1;
out:
	buf_release(&path);
	buf_release(&text);
	return claimed;
}

/* Whether dir may be taken apart for this build: a site ardoise made
 * (sound record), neither the previous build nor the target. */
static int
recyclable(const char *dir, const char *previous, const char *target)
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	struct manifest m;
	struct stat a, b;
	const char *why;
	int ok;

	if (lstat(dir, &a) < 0 || !S_ISDIR(a.st_mode) ||
	    (previous && stat(previous, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino) ||
	    (stat(target, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino))
		return 0;
	buf_printf(&path, "%s/%s", dir, MANIFEST);
	ok = file_read(path.p, &text) == 0 && manifest_take(&m, &text, &why) == 0;
	if (ok)
		manifest_release(&m);
	buf_release(&path);
	buf_release(&text);
	return ok;
}

/* Marks base entry i as produced by this build; 0 when it already was
 * (two outputs for one file). */
static int
use_base(struct out *o, size_t i, unsigned char how)
{
	int fresh;

	pthread_mutex_lock(&o->lock);
	fresh = !o->base_used[i];
	if (fresh) {
		o->base_used[i] = how;
		if (how == BASE_KEPT)
			o->reused++;
	}
	pthread_mutex_unlock(&o->lock);
	return fresh;
}

int
out_begin(struct out **op, const char *dir, const char *previous, const char *recycle,
    int force, struct diag *d)
{
	struct buf b = BUF_INIT;
	struct out *o;
	struct stat st;
	size_t n = strlen(dir);
	const char *slash;
	char *target;

	*op = NULL;
	while (n > 1 && dir[n - 1] == '/')
		n--;
	target = xstrndup(dir, n);
	if (stat(target, &st) == 0 && !S_ISDIR(st.st_mode)) {
		diag_error(d, target, 0, 0, _("the output exists and is not a directory: choose another -o"));
		free(target);
		return -1;
	}
	if (!replaceable(target)) {
		diag_error(d, target, 0, 0, _("the output directory is not empty and was not made by ardoise: choose another -o or empty it"));
		free(target);
		return -1;
	}
	slash = strrchr(target, '/');
	if (slash)
		buf_printf(&b, "%.*s/.%s.tmp-%ld-", (int)(slash - target), target, slash + 1,
		    (long)getpid());
	else
		buf_printf(&b, ".%s.tmp-%ld-", target, (long)getpid());
	remove_stale(target);
	o = xcalloc(1, sizeof *o);
	o->target = target;
	manifest_init(&o->prev);
	manifest_init(&o->next);
	manifest_init(&o->base);
	pthread_mutex_init(&o->lock, NULL);
	/* in place: the site before last is updated, not rebuilt from nothing */
	if (!previous || strcmp(previous, target) == 0) {
		o->spare = sibling(target, ".spare");
		o->keep_spare = 1;
		if (force)
			out_rmtree(o->spare);
		else
			o->staging = claim_spare(o, b.p);
	} else if (recycle && !force) {
		if (recyclable(recycle, previous, target)) {
			o->spare = xstrdup(recycle);
			o->staging = claim_spare(o, b.p);
		} else {
			diag_warn(d, recycle, 0, 0, _("not recycled: it is not an older site ardoise made (or it is the one to reuse)"));
		}
	}
	if (!o->staging) {
		buf_puts(&b, "XXXXXX");
		if (!mkdtemp(b.p)) {
			diag_error(d, b.p, 0, 0, _("cannot create the staging directory: %s"), strerror(errno));
			buf_release(&b);
			out_free(o);
			return -1;
		}
		o->staging = buf_detach(&b, NULL);
	}
	buf_release(&b);
	if (!force)
		load_previous(o, previous ? previous : target, d);
	if (chmod(o->staging, 0755) < 0) {
		diag_error(d, o->staging, 0, 0, "%s", strerror(errno));
		out_abort(o);
		return -1;
	}
	*op = o;
	return 0;
}

const char *
out_staging(const struct out *o)
{
	return o->staging;
}

const char *
out_previous(const struct out *o)
{
	return o->previous;
}

static int
mkparents(char *path)
{
	char *p;

	for (p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
write_file(struct out *o, const char *rel, const void *p, size_t n, struct diag *d)
{
	struct buf path = BUF_INIT, tmp = BUF_INIT;
	char *file;		/* path, or tmp when a spare's file is replaced */
	size_t i;
	int fd, rc = -1;

	if (o->max_bytes && atomic_fetch_add(&o->bytes, n) + n > o->max_bytes) {
		if (!atomic_exchange(&o->over, 1))
			diag_error(d, rel, 0, 0,
			    _("the site would be larger than %llu MB: remove or shrink media (or raise limits: output_mb in ardoise.yml)"),
			    (unsigned long long)(o->max_bytes / 1000000));
		return -1;
	}

	buf_printf(&path, "%s/%s", o->staging, rel);
	file = path.p;
	/* a file of the spare is replaced, never written into: it may be the
	 * live site's file too (hard links) */
	if (o->has_base && (i = manifest_index(&o->base, rel)) != MANIFEST_NONE) {
		if (!use_base(o, i, 1)) {
			diag_error(d, rel, 0, 0, _("two outputs would be written to the same file: rename one of their sources"));
			goto out;
		}
		buf_printf(&tmp, "%s.tmp-ardoise", path.p);
		file = tmp.p;
	}
	fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 && errno == ENOENT && mkparents(file) == 0)
		fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		if (errno == EEXIST) {
			diag_error(d, rel, 0, 0, _("two outputs would be written to the same file: rename one of their sources"));
		} else {
			diag_error(d, rel, 0, 0, _("cannot write the output file: %s"), strerror(errno));
			atomic_store(&o->io_failed, 1);
		}
		goto out;
	}
	if (write_all(fd, p, n) < 0) {
		diag_error(d, rel, 0, 0, _("cannot write the output file: %s"), strerror(errno));
		atomic_store(&o->io_failed, 1);
		close(fd);
		goto out;
	}
	/* a hint: syncfs reports what does not reach the disk */
	if (n >= WRITEBACK_EARLY)
		(void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
	if (close(fd) < 0 || (file != path.p && rename(file, path.p) < 0)) {
		diag_error(d, rel, 0, 0, _("cannot write the output file: %s"), strerror(errno));
		atomic_store(&o->io_failed, 1);
		goto out;
	}
	rc = 0;
out:
	buf_release(&tmp);
	buf_release(&path);
	return rc;
}

/* Files of ardoise's own (caches) are not site files: not recorded. */
static void
record(struct out *o, const char *rel, const char *key, int reused)
{
	pthread_mutex_lock(&o->lock);
	if (!str_starts(rel, MARKER "/"))
		manifest_add(&o->next, rel, key);
	if (reused)
		o->reused++;
	else
		o->written++;
	pthread_mutex_unlock(&o->lock);
}

int
out_link_own(struct out *o, const char *rel)
{
	struct buf from = BUF_INIT, to = BUF_INIT;
	struct stat a, b;
	int ok = 0;

	buf_printf(&to, "%s/%s", o->staging, rel);
	if (o->previous) {
		buf_printf(&from, "%s/%s", o->previous, rel);
		if (lstat(from.p, &a) == 0 && S_ISREG(a.st_mode)) {
			ok = lstat(to.p, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
			if (!ok) {
				unlink(to.p);
				ok = link(from.p, to.p) == 0 ||
				    (errno == ENOENT && mkparents(to.p) == 0 && link(from.p, to.p) == 0);
			}
		}
	}
	if (ok)
		record(o, rel, NULL, 1);
	else
		unlink(to.p);
	buf_release(&from);
	buf_release(&to);
	return ok;
}

int
out_reuse(struct out *o, const char *rel, const char *key)
{
	struct buf from = BUF_INIT, to = BUF_INIT, tmp = BUF_INIT;
	size_t i = MANIFEST_NONE;
	const char *old;
	int ok;

	/* the spare already holds it: nothing to do at all */
	if (o->has_base && (i = manifest_index(&o->base, rel)) != MANIFEST_NONE &&
	    strcmp(o->base.v[i].key, key) == 0) {
		/* recorded by the spare's record, not copied into the new one */
		return use_base(o, i, BASE_KEPT);	/* 0: a second output for it: out_write reports */
	}
	if (!o->previous || !(old = manifest_find(&o->prev, rel)) || strcmp(old, key) != 0)
		return 0;
	if (i != MANIFEST_NONE && !use_base(o, i, 1))
		return 0;
	buf_printf(&from, "%s/%s", o->previous, rel);
	buf_printf(&to, "%s/%s", o->staging, rel);
	if (i != MANIFEST_NONE) {
		/* the spare's other version is replaced by the live one */
		buf_printf(&tmp, "%s.tmp-ardoise", to.p);
		ok = link(from.p, tmp.p) == 0 && rename(tmp.p, to.p) == 0;
		if (!ok) {
			unlink(tmp.p);
			pthread_mutex_lock(&o->lock);
			o->base_used[i] = 0;	/* out_write_key takes it over */
			pthread_mutex_unlock(&o->lock);
		}
	} else {
		ok = link(from.p, to.p) == 0;
		if (!ok && errno == ENOENT && mkparents(to.p) == 0)
			ok = link(from.p, to.p) == 0;
	}
	/* a file removed by hand, or another filesystem: write it again */
	buf_release(&from);
	buf_release(&to);
	buf_release(&tmp);
	if (ok)
		record(o, rel, key, 1);
	return ok;
}

int
out_write_key(struct out *o, const char *rel, const char *key, const void *p, size_t n,
    struct diag *d)
{
	if (write_file(o, rel, p, n, d) < 0)
		return -1;
	record(o, rel, key, 0);
	return 0;
}

int
out_write(struct out *o, const char *rel, const void *p, size_t n, struct diag *d)
{
	char key[36];

	manifest_content_key(p, n, key);
	if (out_reuse(o, rel, key))
		return 0;
	return out_write_key(o, rel, key, p, n, d);
}

void
out_set_max_bytes(struct out *o, uint64_t max)
{
	o->max_bytes = max;
}

void
out_failed_system(struct out *o)
{
	atomic_store(&o->io_failed, 1);
}

int
out_io_failed(struct out *o)
{
	return atomic_load(&o->io_failed);
}

void
out_counts(struct out *o, size_t *written, size_t *reused)
{
	pthread_mutex_lock(&o->lock);
	*written = o->written;
	*reused = o->reused;
	pthread_mutex_unlock(&o->lock);
}

static void
out_free(struct out *o)
{
	free(o->target);
	free(o->staging);
	free(o->previous);
	free(o->spare);
	free(o->base_used);
	manifest_release(&o->prev);
	manifest_release(&o->next);
	manifest_release(&o->base);
	pthread_mutex_destroy(&o->lock);
	free(o);
}

void
out_abort(struct out *o)
{
	if (!o)
		return;
	out_rmtree(o->staging);
	out_free(o);
}

static int
sync_dir_of(const char *path)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	int fd, rc;

	if (slash)
		*slash = '\0';
	fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* Removes rel's empty parent directories under root. */
static void
rmdir_parents(const char *root, const char *rel)
{
	struct buf b = BUF_INIT;
	char *slash;

	buf_printf(&b, "%s/%s", root, rel);
	while ((slash = strrchr(b.p, '/')) && (size_t)(slash - b.p) > strlen(root)) {
		*slash = '\0';
		if (rmdir(b.p) < 0)
			break;
	}
	buf_release(&b);
}

/* The spare's files this build did not produce are not in the new site. */
static void
drop_unused_base(struct out *o)
{
	struct buf path = BUF_INIT;
	size_t i;

	for (i = 0; i < o->base.len; i++) {
		if (o->base_used[i])
			continue;
		buf_reset(&path);
		buf_printf(&path, "%s/%s", o->staging, o->base.v[i].path);
		if (unlink(path.p) == 0)
			rmdir_parents(o->staging, o->base.v[i].path);
	}
	buf_release(&path);
}

int
out_commit(struct out *o, struct diag *d)
{
	struct buf marker = BUF_INIT;
	struct stat st;
	int fd, exists;

	/* The marker says "ardoise made this": later builds may replace it. */
	buf_printf(&marker, "%s/%s", o->staging, MARKER);
	if (mkdir(marker.p, 0755) < 0 && errno != EEXIST) {
		diag_error(d, marker.p, 0, 0, "%s", strerror(errno));
		goto fail;
	}
	{
		struct buf text = BUF_INIT;
		int rc;

		manifest_format_with(&o->next, &o->base, o->base_used, BASE_KEPT, &text);
		rc = write_file(o, MANIFEST, text.p, text.len, d);
		buf_release(&text);
		if (rc < 0)
			goto fail;
	}
	if (o->has_base)
		drop_unused_base(o);
	/* Make the new tree durable before it becomes visible: a crash after
	 * the rename must not publish empty files. */
	fd = open(o->staging, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || syncfs(fd) < 0) {
		diag_error(d, o->staging, 0, 0, _("cannot sync the new site to disk: %s"), strerror(errno));
		if (fd >= 0)
			close(fd);
		goto fail;
	}
	close(fd);
	exists = lstat(o->target, &st) == 0;
	if (exists && !replaceable(o->target)) {
		diag_error(d, o->target, 0, 0, _("the output directory is not empty and was not made by ardoise: choose another -o or empty it"));
		goto fail;
	}
	if (exists) {
		if (renameat2(AT_FDCWD, o->staging, AT_FDCWD, o->target, RENAME_EXCHANGE) < 0) {
			diag_error(d, o->target, 0, 0, _("cannot replace the site: %s"), strerror(errno));
			goto fail;
		}
		/* staging now holds the old site: the next build in place
		 * updates it (a spare left by another build stays) */
		if (!o->keep_spare || rename(o->staging, o->spare) < 0)
			out_rmtree(o->staging);
	} else if (rename(o->staging, o->target) < 0) {
		diag_error(d, o->target, 0, 0, _("cannot publish the site: %s"), strerror(errno));
		goto fail;
	}
	sync_dir_of(o->target);
	buf_release(&marker);
	out_free(o);
	return 0;
fail:
	buf_release(&marker);
	out_abort(o);
	return -1;
}
