/*
 * ardoise: command line. Parses options, dispatches subcommands, maps
 * results to exit codes (0 ok, 1 content errors, 2 usage, 3 system).
 * The only file that exits.
 */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build.h"
#include "diag.h"
#include "gitsrc.h"
#include "heap.h"
#include "hooks.h"
#include "i18n.h"
#include "image.h"
#include "md.h"
#include "pack.h"
#include "progress.h"
#include "scaffold.h"
#include "serve.h"
#include "xmlib.h"
#include "util.h"

static void
usage(FILE *f)
{
	fputs(_("usage: ardoise build [REPO] [--ref REF] [-o DIR] [--audience public|class] [--worktree] [-j N] [--previous DIR] [--recycle DIR] [--force] [-q]\n"
	    "       ardoise check [REPO] [--ref REF] [--audience public|class] [--worktree]\n"
	    "       ardoise hooks install BARE_REPO --root PUBLISH_ROOT [--branch main]\n"
	    "       ardoise init DIR [--title TITLE] [--school SCHOOL] [--author AUTHOR]\n"
	    "       ardoise new post|cahier|page TITLE\n"
	    "       ardoise serve [REPO] [--port PORT]\n"
	    "       ardoise pack [DIR] --usb FILE.zip | --cdn FILE.tar.gz\n"
	    "       ardoise pack [DIR] --epub cahiers/NAME FILE.epub\n"
	    "       ardoise COMMAND --help | ardoise --help | --version\n"
	    "\n"
	    "  build   build the class site of REPO (default .) at REF (default HEAD) into DIR\n"
	    "          (default public); DIR is replaced only when the whole build succeeded;\n"
	    "          -j N renders with N threads (default: one per processor);\n"
	    "          --previous DIR reuses the unchanged files of an earlier build in DIR\n"
	    "          (default: the -o directory itself); --recycle DIR updates DIR, an older\n"
	    "          build no longer needed, into the new one; --force writes every file again;\n"
	    "          -q, --quiet shows no progress bar\n"
	    "  check   report every content error and warning without writing anything\n"
	    "  pack    package the site built in DIR (default .): a zip for USB sticks, a tar.gz\n"
	    "          for a web server (with .gz files for gzip_static), a notebook as an EPUB\n"
	    "  init    create a new class blog (a git repository with a first post)\n"
	    "  new     add a post, a notebook (cahier) or a page, dated today\n"
	    "  serve   preview the blog in the browser, rebuilt at every saved change\n"
	    "\n"
	    "Exit status: 0 ok, 1 content errors, 2 usage, 3 system errors.\n"), f);
}

/* Posts dated after "now" are not published; SOURCE_DATE_EPOCH fixes it
 * for reproducible test runs. */
static int64_t
build_now(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;

	if (s && *s) {
		long long v = strtoll(s, &end, 10);

		if (!*end)
			return v;
	}
	return (int64_t)time(NULL);
}

static int
run_build(int argc, char **argv, int check)
{
	static const struct option opts[] = {
		{ "ref", required_argument, NULL, 'r' },
		{ "output", required_argument, NULL, 'o' },
		{ "audience", required_argument, NULL, 'a' },
		{ "worktree", no_argument, NULL, 'w' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "previous", required_argument, NULL, 'p' },
		{ "force", no_argument, NULL, 'f' },
		{ "recycle", required_argument, NULL, 'R' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct build_opts bo = { 0 };
	struct diag d;
	int c, status, quiet = 0;

	bo.outdir = check ? NULL : "public";
	bo.audience = AUDIENCE_PUBLIC;
	while ((c = getopt_long(argc, argv, check ? "r:a:wj:qh" : "r:o:a:wj:p:fqh", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			bo.ref = optarg;
			break;
		case 'o':
			if (check)
				goto bad;
			bo.outdir = optarg;
			break;
		case 'a':
			if (strcmp(optarg, "public") == 0) {
				bo.audience = AUDIENCE_PUBLIC;
			} else if (strcmp(optarg, "class") == 0) {
				bo.audience = AUDIENCE_CLASS;
			} else {
				fprintf(stderr, _("ardoise: --audience must be public or class, not \"%s\"\n"), optarg);
				return BUILD_USAGE;
			}
			break;
		case 'w':
			bo.worktree = 1;
			break;
		case 'p':
			bo.previous = optarg;
			break;
		case 'f':
			bo.force = 1;
			break;
		case 'R':
			if (check)
				goto bad;
			bo.recycle = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'j': {
			char *end;
			long n = strtol(optarg, &end, 10);

			if (*end || n < 1 || n > 64) {
				fprintf(stderr, _("ardoise: --jobs must be a number from 1 to 64, not \"%s\"\n"), optarg);
				return BUILD_USAGE;
			}
			bo.jobs = (int)n;
			break;
		}
		case 'h':
			usage(stdout);
			return BUILD_OK;
		default:
			goto bad;
		}
	}
	if (optind < argc)
		bo.repo = argv[optind++];
	if (optind < argc)
		goto bad;
	bo.now = build_now();
	bo.timing = getenv("ARDOISE_TIMING") != NULL;
	diag_init(&d);
	if (!check)
		bo.progress = progress_new(stderr, _("building"), quiet);
	status = build_run(&bo, &d);
	progress_free(bo.progress);
	diag_print(&d, stderr);
	if (status == BUILD_CONTENT && check)
		fprintf(stderr, _("ardoise: %zu error(s), %zu warning(s)\n"), d.nerrors, d.nwarnings);
	else if (status == BUILD_CONTENT)
		fprintf(stderr, _("ardoise: %zu error(s), %zu warning(s): nothing was written\n"),
		    d.nerrors, d.nwarnings);
	diag_release(&d);
	return status;
bad:
	usage(stderr);
	return BUILD_USAGE;
}

static int
cmd_build(int argc, char **argv)
{
	return run_build(argc, argv, 0);
}

static int
cmd_check(int argc, char **argv)
{
	return run_build(argc, argv, 1);
}

/*
 * The subcommands. Each takes its own argv (argv[0] is the command's
 * name), parses its options with getopt_long and returns an exit status
 * (BUILD_OK, BUILD_CONTENT, BUILD_USAGE, BUILD_SYSTEM). Libraries are
 * initialised before any of them runs.
 */
static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "build", cmd_build },
	{ "check", cmd_check },
	{ "hooks", hooks_main },
	{ "pack", pack_main },
	{ "init", scaffold_init_main },
	{ "new", scaffold_new_main },
	{ "serve", serve_main },
};

int
main(int argc, char **argv)
{
	const struct command *cmd = NULL;
	size_t i;
	int status;

	/* Hermetic start, before any thread (STYLE.md rule 9, LIBNOTES.md):
	 * UTF-8 character handling whatever the environment, messages in the
	 * user's language. */
	setlocale(LC_CTYPE, "C.UTF-8");
	heap_tune();
	i18n_init();
	if (argc < 2) {
		usage(stderr);
		return BUILD_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return BUILD_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		puts("ardoise " ARDOISE_VERSION);
		return BUILD_OK;
	}
	for (i = 0; i < ARRAY_LEN(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			cmd = &commands[i];
	if (!cmd) {
		fprintf(stderr, _("ardoise: unknown command \"%s\"\n"), argv[1]);
		usage(stderr);
		return BUILD_USAGE;
	}
	if (gitsrc_global_init() < 0) {
		fputs("ardoise: cannot initialise libgit2\n", stderr);
		return BUILD_SYSTEM;
	}
	md_global_init();
	if (image_global_init(argv[0]) < 0) {
		fputs("ardoise: cannot initialise libvips: reinstall libvips42\n", stderr);
		return BUILD_SYSTEM;
	}
	status = cmd->run(argc - 1, argv + 1);
	image_global_shutdown();
	xmlib_shutdown();
	gitsrc_global_shutdown();
	return status;
}
