#include "scaffold.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "site.h"
#include "config.h"
#include "slug.h"
#include "util.h"

extern char **environ;

enum { SC_OK = 0, SC_EXISTS = 1, SC_USAGE = 2, SC_SYSTEM = 3 };

static const char first_post[] =
    "Bienvenue sur le blog de la classe ! Cet article vous montre comment en écrire un.\n"
    "\n"
    "## Écrire un article\n"
    "\n"
    "1. Dans le dossier de la classe, tapez `ardoise new post \"Sortie au musée\"` :\n"
    "   un fichier est créé dans `posts/`, avec le titre et la date du jour.\n"
    "2. Ouvrez-le avec un éditeur de texte. Entre les deux lignes `---`, il y a\n"
    "   le titre et la date : gardez les guillemets autour du titre.\n"
    "3. En dessous, écrivez votre texte. Une ligne vide sépare deux paragraphes.\n"
    "\n"
    "## Mettre en forme\n"
    "\n"
    "- `**gras**` donne **gras**, `*italique*` donne *italique* ;\n"
    "- une ligne qui commence par `## ` est un intertitre ;\n"
    "- une ligne qui commence par `- ` fait une liste.\n"
    "\n"
    "## Photos, sons, vidéos\n"
    "\n"
    "Copiez le fichier dans le dossier `media/`, puis écrivez\n"
    "`![une phrase qui décrit l'image](../media/potager.jpg)`.\n"
    "La même écriture marche pour un son (`.mp3`), une vidéo (`.mp4`) ou un PDF.\n"
    "\n"
    "## Voir le résultat\n"
    "\n"
    "Tapez `ardoise serve` et ouvrez l'adresse affichée dans le navigateur :\n"
    "la page se met à jour chaque fois que vous enregistrez un fichier.\n";

/* Runs git with args (NULL-terminated, without "git") and the extra
 * environment entries env (NULL-terminated, may be NULL). Output goes to
 * /dev/null unless capture is given. Returns git's exit status, or -1 when
 * it could not be run. We run the git command rather than libgit2 here:
 * only gitsrc/history may include libgit2 (DESIGN.md), init happens once,
 * and a teacher who uses ardoise has git installed anyway. */
static int
run_git(const char *const *args, const char *const *env, struct buf *capture)
{
	posix_spawn_file_actions_t fa;
	const char *argv[32];
	char **envp;
	size_t n = 0, ne = 0, m = 0, i;
	int pfd[2] = { -1, -1 }, status, rc = -1;
	pid_t pid;

	argv[n++] = "git";
	for (i = 0; args[i] && n < ARRAY_LEN(argv) - 1; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	while (environ[ne])
		ne++;
	envp = xcalloc(ne + 8, sizeof *envp);
	/* ours replace the inherited entries of the same name: getenv()
	 * would find the first one */
	for (i = 0; i < ne; i++) {
		size_t k, len = strcspn(environ[i], "=");
		int dup = 0;

		for (k = 0; env && env[k] && k < 7; k++)
			if (strncmp(env[k], environ[i], len + 1) == 0)
				dup = 1;
		if (!dup)
			envp[m++] = environ[i];
	}
	for (i = 0; env && env[i] && i < 7; i++)
		envp[m++] = (char *)env[i];
	posix_spawn_file_actions_init(&fa);
	if (capture) {
		if (pipe(pfd) < 0)
			goto out;
		posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
		posix_spawn_file_actions_addclose(&fa, pfd[0]);
	} else {
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	}
	if (posix_spawnp(&pid, "git", &fa, NULL, (char *const *)argv, envp) != 0)
		goto out;
	if (capture) {
		char tmp[512];
		ssize_t r;

		close(pfd[1]);
		pfd[1] = -1;
		while ((r = read(pfd[0], tmp, sizeof tmp)) > 0)
			buf_add(capture, tmp, (size_t)r);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			goto out;
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
out:
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	posix_spawn_file_actions_destroy(&fa);
	free(envp);
	return rc;
}

void
scaffold_today(char out[11])
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	time_t t = time(NULL);
	struct tm tm;

	if (s && *s)
		t = (time_t)strtoll(s, NULL, 10);
	localtime_r(&t, &tm);
	if (strftime(out, 11, "%Y-%m-%d", &tm) != 10)
		strcpy(out, "2000-01-01");	/* a year past 9999: never in a classroom */
}

/* Appends s as a double-quoted YAML scalar. */
static void
yaml_quoted(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(b, '\\');
		if (*s == '\n' || *s == '\r' || *s == '\t')
			buf_putc(b, ' ');
		else
			buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

/* Creates path with the bytes of b; never replaces an existing file. */
static int
write_new(const char *path, const struct buf *b)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	size_t off = 0;

	if (fd < 0) {
		fprintf(stderr, _("ardoise: cannot create \"%s\": %s\n"), path, strerror(errno));
		return -1;
	}
	while (off < b->len) {
		ssize_t w = write(fd, b->p + off, b->len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			fprintf(stderr, _("ardoise: cannot write \"%s\": %s\n"), path, strerror(errno));
			close(fd);
			unlink(path);
			return -1;
		}
		off += (size_t)w;
	}
	if (close(fd) < 0) {
		fprintf(stderr, _("ardoise: cannot write \"%s\": %s\n"), path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}

static int
make_dir(const char *path)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, _("ardoise: cannot create the folder \"%s\": %s\n"), path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Asks for a value on the terminal; keeps def on an empty answer. */
static char *
ask(const char *question, const char *def)
{
	char line[512];
	size_t n;

	if (def && *def)
		fprintf(stderr, "%s [%s] : ", question, def);
	else
		fprintf(stderr, "%s : ", question);
	fflush(stderr);
	if (!fgets(line, sizeof line, stdin))
		return xstrdup(def ? def : "");
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	return xstrdup(n ? line : def ? def : "");
}

static void
init_usage(FILE *f)
{
	fputs(_("usage: ardoise init DIR [--title TITLE] [--school SCHOOL] [--author AUTHOR]\n"
	    "  creates a new class blog in DIR (a git repository with ardoise.yml, a first\n"
	    "  post that explains how to write one, an empty notebook and a first commit);\n"
	    "  on a terminal, asks for what is not given; never touches an existing folder\n"), f);
}

/* Returns 1 when dir exists and holds anything. */
static int
dir_in_use(const char *dir)
{
	struct stat st;
	int used;

	if (stat(dir, &st) < 0)
		return 0;
	if (!S_ISDIR(st.st_mode))
		return 1;
	/* an empty folder (made in the file manager first) is fine */
	used = rmdir(dir) < 0;
	if (!used && mkdir(dir, st.st_mode & 07777) < 0)
		used = 1;
	return used;
}

static int
init_files(const char *dir, const char *title, const char *school, const char *author)
{
	struct buf p = BUF_INIT, b = BUF_INIT;
	char today[11];
	int rc = -1;

	scaffold_today(today);
	if (make_dir(dir) < 0)
		goto out;
	buf_printf(&b, "# Le blog de la classe : réglages (voir README de ardoise)\ntitle: ");
	yaml_quoted(&b, title);
	buf_puts(&b, "\nschool: ");
	yaml_quoted(&b, school);
	buf_puts(&b, "\nauthor: ");
	yaml_quoted(&b, author);
	buf_puts(&b, "\nlanguage: fr\nper_page: 10\n");
	buf_printf(&p, "%s/ardoise.yml", dir);
	if (write_new(p.p, &b) < 0)
		goto out;
	buf_reset(&b);
	buf_puts(&b, "public/\n.ardoise-serve/\n*~\n.DS_Store\n");
	buf_reset(&p);
	buf_printf(&p, "%s/.gitignore", dir);
	if (write_new(p.p, &b) < 0)
		goto out;
	buf_reset(&p);
	buf_printf(&p, "%s/posts", dir);
	if (make_dir(p.p) < 0)
		goto out;
	buf_reset(&b);
	buf_printf(&b, "---\ntitle: \"Comment écrire un article\"\ndate: %s\nauthor: ", today);
	yaml_quoted(&b, author);
	buf_printf(&b, "\n---\n\n%s", first_post);
	buf_reset(&p);
	buf_printf(&p, "%s/posts/%s-comment-ecrire-un-article.md", dir, today);
	if (write_new(p.p, &b) < 0)
		goto out;
	/* git keeps no empty folder: the notebook holds its cahier.yml */
	buf_reset(&p);
	buf_printf(&p, "%s/cahiers", dir);
	if (make_dir(p.p) < 0)
		goto out;
	buf_puts(&p, "/notre-cahier");
	if (make_dir(p.p) < 0)
		goto out;
	buf_puts(&p, "/cahier.yml");
	buf_reset(&b);
	buf_puts(&b, "title: \"Notre cahier\"\n");
	if (write_new(p.p, &b) < 0)
		goto out;
	buf_reset(&p);
	buf_printf(&p, "%s/media", dir);
	if (make_dir(p.p) < 0)
		goto out;
	buf_puts(&p, "/.gitkeep");
	buf_reset(&b);
	if (write_new(p.p, &b) < 0)
		goto out;
	rc = 0;
out:
	buf_release(&p);
	buf_release(&b);
	return rc;
}

static int
init_git(const char *dir, const char *author)
{
	const char *a_init[] = { "-c", "init.defaultBranch=main", "init", "-q", dir, NULL };
	const char *a_add[] = { "-C", dir, "add", "-A", NULL };
	const char *a_mail[] = { "-C", dir, "config", "user.email", NULL };
	const char *a_commit[] = { "-C", dir, "-c", "commit.gpgsign=false", "commit", "-q",
		"-m", "Premier article et cahier (ardoise init)", NULL };
	const char *env[5] = { NULL };
	struct buf name = BUF_INIT, cname = BUF_INIT, mail = BUF_INIT, email = BUF_INIT;
	int rc = -1;

	if (run_git(a_init, NULL, NULL) != 0 || run_git(a_add, NULL, NULL) != 0) {
		fprintf(stderr, _("ardoise: git could not prepare \"%s\": check that git is installed (apt install git)\n"), dir);
		return -1;
	}
	buf_printf(&name, "GIT_AUTHOR_NAME=%s", author);
	env[0] = name.p;
	/* a workshop laptop often has no git identity yet: give one rather than
	 * fail, without hiding the teacher's own when there is one */
	run_git(a_mail, NULL, &mail);
	if (mail.len == 0 && !getenv("GIT_AUTHOR_EMAIL")) {
		buf_puts(&email, "GIT_AUTHOR_EMAIL=classe@ecole.invalid");
		env[1] = email.p;
		env[2] = "GIT_COMMITTER_EMAIL=classe@ecole.invalid";
		buf_printf(&cname, "GIT_COMMITTER_NAME=%s", author);
		if (!getenv("GIT_COMMITTER_NAME"))
			env[3] = cname.p;
	}
	if (run_git(a_commit, env, NULL) != 0) {
		fprintf(stderr, _("ardoise: git could not make the first commit in \"%s\": run `git commit` there to see why\n"), dir);
		goto out;
	}
	rc = 0;
out:
	buf_release(&name);
	buf_release(&cname);
	buf_release(&mail);
	buf_release(&email);
	return rc;
}

int
scaffold_init_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "title", required_argument, NULL, 't' },
		{ "school", required_argument, NULL, 's' },
		{ "author", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *given[3] = { NULL, NULL, NULL };
	char *val[3] = { NULL, NULL, NULL };
	const char *dir;
	int c, i, status = SC_SYSTEM, tty = isatty(0) && isatty(2);

	while ((c = getopt_long(argc, argv, "t:s:a:h", opts, NULL)) != -1) {
		switch (c) {
		case 't': given[0] = optarg; break;
		case 's': given[1] = optarg; break;
		case 'a': given[2] = optarg; break;
		case 'h': init_usage(stdout); return SC_OK;
		default: init_usage(stderr); return SC_USAGE;
		}
	}
	if (optind != argc - 1) {
		init_usage(stderr);
		return SC_USAGE;
	}
	dir = argv[optind];
	if (dir_in_use(dir)) {
		fprintf(stderr, _("ardoise: \"%s\" already exists and is not empty: nothing was changed; choose a new folder name\n"), dir);
		return SC_EXISTS;
	}
	for (i = 0; i < 3; i++) {
		static const char *const def[3] = { "Le blog de la classe", "", "La classe" };
		const char *q[3] = { _("Title of the blog (for example CM2 A)"),
			_("School (for example École Jules Verne)"),
			_("Author (for example Mme Martin)") };

		if (given[i])
			val[i] = xstrdup(given[i]);
		else if (tty)
			val[i] = ask(q[i], def[i]);
		else
			val[i] = xstrdup(def[i]);
	}
	if (init_files(dir, val[0], val[1], val[2]) < 0 || init_git(dir, val[2]) < 0)
		goto out;
	printf(_("The class blog is ready in \"%s\". Next: cd %s, then ardoise serve to see it, and ardoise new post \"Title\" to write.\n"),
	    dir, dir);
	status = SC_OK;
out:
	for (i = 0; i < 3; i++)
		free(val[i]);
	return status;
}

static void
new_usage(FILE *f)
{
	fputs(_("usage: ardoise new post|cahier|page TITLE\n"
	    "  creates a post (posts/DATE-title.md), a notebook (cahiers/title/) or a page\n"
	    "  (pages/title.md) with its front matter and today's date, in the class blog\n"
	    "  of the current folder; the file name comes from the title, never reused\n"), f);
}

/* Picks base.ext, base-2.ext, ... : the first name not taken. */
static void
unique_path(struct buf *out, const char *base, const char *ext)
{
	struct stat st;
	int n;

	for (n = 1;; n++) {
		buf_reset(out);
		if (n == 1)
			buf_printf(out, "%s%s", base, ext);
		else
			buf_printf(out, "%s-%d%s", base, n, ext);
		if (lstat(out->p, &st) < 0)
			return;
	}
}

int
scaffold_new_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct site_config cfg;
	struct diag d;
	struct buf yml = BUF_INIT, slug = BUF_INIT, base = BUF_INIT, path = BUF_INIT,
	    b = BUF_INIT;
	const char *kind, *title;
	char today[11];
	int c, status = SC_SYSTEM;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			new_usage(stdout);
			return SC_OK;
		}
		new_usage(stderr);
		return SC_USAGE;
	}
	if (optind != argc - 2) {
		new_usage(stderr);
		return SC_USAGE;
	}
	kind = argv[optind];
	title = argv[optind + 1];
	if (strcmp(kind, "post") && strcmp(kind, "cahier") && strcmp(kind, "page")) {
		fprintf(stderr, _("ardoise: cannot create a \"%s\": write post, cahier or page\n"), kind);
		return SC_USAGE;
	}
	memset(&cfg, 0, sizeof cfg);
	diag_init(&d);
	slugify(title, strlen(title), &slug);
	if (slug.len == 0) {
		fprintf(stderr, _("ardoise: the title \"%s\" has no letter or digit: give a title with words\n"), title);
		status = SC_USAGE;
		goto out;
	}
	if (file_read("ardoise.yml", &yml) < 0) {
		fprintf(stderr, _("ardoise: no ardoise.yml here: go to the folder of your class blog first (cd), or create one with ardoise init\n"));
		status = SC_USAGE;
		goto out;
	}
	config_parse(&cfg, "ardoise.yml", yml.p, yml.len, &d);
	scaffold_today(today);
	buf_puts(&b, "---\ntitle: ");
	yaml_quoted(&b, title);
	buf_putc(&b, '\n');
	if (strcmp(kind, "post") == 0) {
		buf_printf(&b, "date: %s\n---\n\n%s\n", today,
		    "Écrivez ici votre article. Une ligne vide sépare deux paragraphes.");
		if (make_dir(cfg.posts_dir) < 0)
			goto out;
		buf_printf(&base, "%s/%s-%s", cfg.posts_dir, today, slug.p);
		unique_path(&path, base.p, ".md");
	} else if (strcmp(kind, "page") == 0) {
		buf_puts(&b, "---\n\nÉcrivez ici le texte de la page.\n");
		if (make_dir(cfg.pages_dir) < 0)
			goto out;
		buf_printf(&base, "%s/%s", cfg.pages_dir, slug.p);
		unique_path(&path, base.p, ".md");
	} else {
		if (make_dir(cfg.cahiers_dir) < 0)
			goto out;
		buf_printf(&base, "%s/%s", cfg.cahiers_dir, slug.p);
		unique_path(&path, base.p, "");
		if (make_dir(path.p) < 0)
			goto out;
		buf_reset(&b);
		buf_puts(&b, "title: ");
		yaml_quoted(&b, title);
		buf_putc(&b, '\n');
		buf_puts(&path, "/cahier.yml");
		if (write_new(path.p, &b) < 0)
			goto out;
		path.len -= strlen("/cahier.yml");
		path.p[path.len] = '\0';
		buf_reset(&b);
		buf_puts(&b, "---\ntitle: \"Première page\"\n---\n\n"
		    "Écrivez ici la première page du cahier. Les pages suivent l'ordre de leur nom :\n"
		    "02-deuxieme-page.md viendra après celle-ci.\n");
		buf_puts(&path, "/01-premiere-page.md");
	}
	if (write_new(path.p, &b) < 0)
		goto out;
	printf("%s\n", path.p);
	status = SC_OK;
out:
	config_release(&cfg);
	diag_release(&d);
	buf_release(&yml);
	buf_release(&slug);
	buf_release(&base);
	buf_release(&path);
	buf_release(&b);
	return status;
}
