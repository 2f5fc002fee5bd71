/*
 * hooks: `ardoise hooks install BARE --root ROOT`. The work on a push is
 * done by the shell scripts in hooks/ (pre-receive runs `ardoise check`,
 * post-receive builds and publishes); this file only installs them and
 * writes their settings into the repository's config.
 *
 * The config is written by running `git config --file BARE/config`
 * rather than through libgit2: only gitsrc and history may use libgit2
 * (DESIGN.md), git is necessarily installed where a repository receives
 * pushes (receive-pack runs the hooks), the hooks read the same keys
 * with `git config`, and git takes its own lock on the config file.
 * git is run without a shell, so no value is ever reinterpreted.
 */
#include "hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "build.h"
#include "util.h"

extern char **environ;

static const char *const hook_names[] = { "pre-receive", "post-receive" };

struct hooks_opts {
	const char *repo;
	const char *root;
	const char *branch;
	int allow_force;
	int force;	/* replace hooks that are not ours */
};

static void
hooks_usage(FILE *f)
{
	fputs(_("usage: ardoise hooks install BARE_REPO --root DIR [--branch NAME] [--allow-force] [--force]\n"
	    "\n"
	    "  install   make the bare repository BARE_REPO publish its site on push:\n"
	    "            pushes to the published branch are checked (refused on errors),\n"
	    "            built and published in DIR/CLASS/current, where CLASS is the\n"
	    "            repository's directory name without .git; other branches are\n"
	    "            accepted unchecked and never published\n"
	    "  --root DIR      where sites are published (created if missing)\n"
	    "  --branch NAME   the published branch (default main)\n"
	    "  --allow-force   accept pushes that rewrite the published branch's history\n"
	    "  --force         replace existing pre-receive/post-receive hooks\n"
	    "\n"
	    "Exit status: 0 ok, 2 usage, 3 system errors.\n"), f);
}

static int
is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int
is_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

char *
hooks_find_dir(void)
{
	static const char *const rel[] = { "../hooks", "../../hooks", "../../../hooks",
		"../share/ardoise/hooks" };

	return exe_resource_dir("ARDOISE_HOOKS", rel, ARRAY_LEN(rel), "pre-receive");
}

/* A branch name git would take and a shell script can compare safely. */
static int
branch_valid(const char *s)
{
	const char *p;

	if (!*s || *s == '-' || *s == '/' || *s == '.' || str_ends(s, "/") ||
	    str_ends(s, ".") || str_ends(s, ".lock") || strstr(s, "..") ||
	    strstr(s, "//") || strstr(s, "@{"))
		return 0;
	for (p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || strchr("~^:?*[\\\"'$`", *p))
			return 0;
	return 1;
}

/* Runs `git config --file CONFIG KEY VALUE`. Returns 0, or -1 after saying why. */
static int
git_config_set(const char *config, const char *key, const char *value)
{
	char *argv[] = { "git", "config", "--file", (char *)config, (char *)key,
		(char *)value, NULL };
	pid_t pid;
	int rc, status;

	rc = posix_spawnp(&pid, "git", NULL, NULL, argv, environ);
	if (rc != 0) {
		fprintf(stderr, _("ardoise: cannot run git to write \"%s\": %s: install git\n"),
		    config, strerror(rc));
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			fprintf(stderr, _("ardoise: cannot wait for git: %s\n"), strerror(errno));
			return -1;
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, _("ardoise: git could not set \"%s\" in \"%s\": "
		    "check that the file is writable\n"), key, config);
		return -1;
	}
	return 0;
}

/* Writes data to dir/name through a temporary name, mode 0755. Returns 0 or -1. */
static int
write_hook(const char *dir, const char *name, const struct buf *data)
{
	struct buf tmp = BUF_INIT, dst = BUF_INIT;
	int fd = -1, ret = -1;
	size_t off = 0;

	buf_printf(&tmp, "%s/.%s.tmp-XXXXXX", dir, name);
	buf_printf(&dst, "%s/%s", dir, name);
	if ((fd = mkstemp(tmp.p)) < 0) {
		fprintf(stderr, _("ardoise: cannot create \"%s\": %s\n"), tmp.p, strerror(errno));
		goto out;
	}
	while (off < data->len) {
		ssize_t n = write(fd, data->p + off, data->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto err;
		off += (size_t)n;
	}
	if (fchmod(fd, 0755) < 0 || fsync(fd) < 0)
		goto err;
	if (close(fd) < 0) {
		fd = -1;
		goto err;
	}
	fd = -1;
	if (rename(tmp.p, dst.p) < 0)
		goto err;
	ret = 0;
	goto out;
err:
	fprintf(stderr, _("ardoise: cannot write \"%s\": %s\n"), dst.p, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp.p);
out:
	buf_release(&tmp);
	buf_release(&dst);
	return ret;
}

/* Reads both hook scripts from srcdir into src[]. Returns 0, or -1 after saying why. */
static int
read_hooks(const char *srcdir, struct buf src[2])
{
	struct buf path = BUF_INIT;
	size_t i;
	int ret = -1;

	for (i = 0; i < ARRAY_LEN(hook_names); i++) {
		buf_reset(&path);
		buf_printf(&path, "%s/%s", srcdir, hook_names[i]);
		if (file_read(path.p, &src[i]) < 0) {
			fprintf(stderr, _("ardoise: cannot read the hook script \"%s\": %s: "
			    "set ARDOISE_HOOKS to the hooks/ directory of ardoise\n"),
			    path.p, strerror(errno));
			goto out;
		}
	}
	ret = 0;
out:
	buf_release(&path);
	return ret;
}

/*
 * Returns -1 (after saying so) when the repository already has a hook of
 * one of our names with other contents: someone else's hook is never
 * lost silently (--force replaces it). An unreadable one counts as other.
 */
static int
hooks_conflict(const char *hookdir, const struct buf src[2])
{
	struct buf path = BUF_INIT, old = BUF_INIT;
	size_t i;
	int ret = 0;

	for (i = 0; i < ARRAY_LEN(hook_names) && ret == 0; i++) {
		buf_reset(&path);
		buf_printf(&path, "%s/%s", hookdir, hook_names[i]);
		buf_reset(&old);
		if (access(path.p, F_OK) < 0)
			continue;
		if (file_read(path.p, &old) < 0 || old.len != src[i].len ||
		    memcmp(old.p, src[i].p, old.len) != 0) {
			fprintf(stderr, _("ardoise: \"%s\" already exists and is not ardoise's: "
			    "move it away, or pass --force to replace it\n"), path.p);
			ret = -1;
		}
	}
	buf_release(&path);
	buf_release(&old);
	return ret;
}

/* The publication root as an absolute path, created when missing. */
static char *
root_path(const char *root)
{
	char *abs;

	if (!is_dir(root) && mkdir(root, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, _("ardoise: cannot create the publication root \"%s\": %s: "
		    "create it (and its parents) first\n"), root, strerror(errno));
		return NULL;
	}
	if (!(abs = realpath(root, NULL)))
		fprintf(stderr, _("ardoise: cannot resolve \"%s\": %s\n"), root, strerror(errno));
	return abs;
}

static int
install(const struct hooks_opts *o)
{
	struct buf src[2] = { BUF_INIT, BUF_INIT };
	struct buf path = BUF_INIT, hookdir = BUF_INIT, config = BUF_INIT, cls = BUF_INIT;
	char exe[PATH_MAX];
	char *repo = NULL, *root = NULL, *srcdir = NULL;
	const char *base;
	ssize_t n;
	size_t i;
	int status = BUILD_USAGE;

	buf_printf(&path, "%s/objects", o->repo);
	buf_printf(&config, "%s/config", o->repo);
	if (!is_dir(path.p) || !is_file(config.p) || !(repo = realpath(o->repo, NULL))) {
		fprintf(stderr, _("ardoise: \"%s\" is not a bare git repository: give the path "
		    "of one (made with git init --bare)\n"), o->repo);
		goto out;
	}
	base = strrchr(repo, '/') ? strrchr(repo, '/') + 1 : repo;
	buf_add(&cls, base, str_ends(base, ".git") ? strlen(base) - 4 : strlen(base));
	if (cls.len == 0 || cls.p[0] == '.') {
		fprintf(stderr, _("ardoise: cannot take a class name from \"%s\": name the "
		    "repository after its class, such as cm2a.git\n"), repo);
		goto out;
	}
	status = BUILD_SYSTEM;
	if (!(srcdir = hooks_find_dir())) {
		fprintf(stderr, _("ardoise: cannot find the hook scripts: set ARDOISE_HOOKS "
		    "to the hooks/ directory of ardoise\n"));
		goto out;
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0) {
		fprintf(stderr, _("ardoise: cannot find the path of this program: %s\n"),
		    strerror(errno));
		goto out;
	}
	exe[n] = '\0';
	buf_printf(&hookdir, "%s/hooks", repo);
	if (!is_dir(hookdir.p) && mkdir(hookdir.p, 0755) < 0) {
		fprintf(stderr, _("ardoise: cannot create \"%s\": %s\n"), hookdir.p, strerror(errno));
		goto out;
	}
	if (read_hooks(srcdir, src) < 0)
		goto out;
	if (!o->force && hooks_conflict(hookdir.p, src) < 0) {
		status = BUILD_USAGE;
		goto out;
	}
	if (!(root = root_path(o->root)))
		goto out;
	/* settings first: a hook must never run without them */
	if (git_config_set(config.p, "ardoise.root", root) < 0 ||
	    git_config_set(config.p, "ardoise.branch", o->branch) < 0 ||
	    git_config_set(config.p, "ardoise.allowForce", o->allow_force ? "true" : "false") < 0 ||
	    git_config_set(config.p, "ardoise.bin", exe) < 0)
		goto out;
	for (i = 0; i < ARRAY_LEN(hook_names); i++)
		if (write_hook(hookdir.p, hook_names[i], &src[i]) < 0)
			goto out;
	printf(_("hooks installed in \"%s\": pushes to \"%s\" are checked, then published in \"%s/%s/current\"\n"),
	    repo, o->branch, root, cls.p);
	status = BUILD_OK;
out:
	for (i = 0; i < ARRAY_LEN(src); i++)
		buf_release(&src[i]);
	buf_release(&path);
	buf_release(&hookdir);
	buf_release(&config);
	buf_release(&cls);
	free(repo);
	free(root);
	free(srcdir);
	return status;
}

int
hooks_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "branch", required_argument, NULL, 'b' },
		{ "allow-force", no_argument, NULL, 'F' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct hooks_opts o = { NULL, NULL, "main", 0, 0 };
	int c;

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		hooks_usage(stdout);
		return BUILD_OK;
	}
	if (argc < 2 || strcmp(argv[1], "install") != 0) {
		if (argc >= 2)
			fprintf(stderr, _("ardoise: unknown hooks command \"%s\": use install\n"), argv[1]);
		hooks_usage(stderr);
		return BUILD_USAGE;
	}
	argc--;
	argv++;
	optind = 1;
	while ((c = getopt_long(argc, argv, "r:b:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			o.root = optarg;
			break;
		case 'b':
			o.branch = optarg;
			break;
		case 'F':
			o.allow_force = 1;
			break;
		case 'f':
			o.force = 1;
			break;
		case 'h':
			hooks_usage(stdout);
			return BUILD_OK;
		default:
			hooks_usage(stderr);
			return BUILD_USAGE;
		}
	}
	if (optind < argc)
		o.repo = argv[optind++];
	if (!o.repo || optind < argc) {
		fprintf(stderr, _("ardoise: hooks install takes one bare repository\n"));
		hooks_usage(stderr);
		return BUILD_USAGE;
	}
	if (!o.root) {
		fprintf(stderr, _("ardoise: hooks install needs --root DIR, the directory "
		    "where sites are published\n"));
		return BUILD_USAGE;
	}
	if (!branch_valid(o.branch)) {
		fprintf(stderr, _("ardoise: \"%s\" is not a usable branch name: give one "
		    "such as main\n"), o.branch);
		return BUILD_USAGE;
	}
	return install(&o);
}
