/*
 * ardoise: command line. Parses options, dispatches subcommands, maps
 * results to exit codes (0 ok, 1 content errors, 2 usage, 3 system).
 * The only file that exits.
 */
#include <getopt.h>
#include <libxml/parser.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build.h"
#include "diag.h"
#include "gitsrc.h"
#include "hooks.h"
#include "md.h"
#include "util.h"

enum command { CMD_BUILD, CMD_CHECK, CMD_HOOKS, CMD_HELP, CMD_VERSION };

static void
usage(FILE *f)
{
	fputs(_("usage: ardoise build [REPO] [--ref REF] [-o DIR] [--audience public|class] [--worktree] [-j N] [--previous DIR] [--force]\n"
	    "       ardoise check [REPO] [--ref REF] [--audience public|class] [--worktree]\n"
	    "       ardoise hooks install BARE_REPO --root PUBLISH_ROOT [--branch main]\n"
	    "       ardoise --help | --version\n"
	    "\n"
	    "  build   build the class site of REPO (default .) at REF (default HEAD) into DIR\n"
	    "          (default public); DIR is replaced only when the whole build succeeded;\n"
	    "          -j N renders with N threads (default: one per processor);\n"
	    "          --previous DIR reuses the unchanged files of an earlier build in DIR\n"
	    "          (default: the -o directory itself); --force writes every file again\n"
	    "  check   report every content error and warning without writing anything\n"
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct build_opts bo = { 0 };
	struct diag d;
	int c, status;

	bo.outdir = check ? NULL : "public";
	bo.audience = AUDIENCE_PUBLIC;
	while ((c = getopt_long(argc, argv, check ? "r:a:wj:h" : "r:o:a:wj:p:fh", opts, NULL)) != -1) {
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
	status = build_run(&bo, &d);
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

int
main(int argc, char **argv)
{
	enum command cmd;
	int status;

	/* Hermetic start, before any thread (STYLE.md rule 9, LIBNOTES.md):
	 * UTF-8 character handling whatever the environment, messages in the
	 * user's language. */
	setlocale(LC_MESSAGES, "");
	setlocale(LC_CTYPE, "C.UTF-8");
	if (argc < 2) {
		usage(stderr);
		return BUILD_USAGE;
	}
	if (strcmp(argv[1], "build") == 0)
		cmd = CMD_BUILD;
	else if (strcmp(argv[1], "check") == 0)
		cmd = CMD_CHECK;
	else if (strcmp(argv[1], "hooks") == 0)
		cmd = CMD_HOOKS;
	else if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0)
		cmd = CMD_HELP;
	else if (strcmp(argv[1], "--version") == 0)
		cmd = CMD_VERSION;
	else {
		fprintf(stderr, _("ardoise: unknown command \"%s\"\n"), argv[1]);
		usage(stderr);
		return BUILD_USAGE;
	}
	if (cmd == CMD_HELP) {
		usage(stdout);
		return BUILD_OK;
	}
	if (cmd == CMD_HOOKS)
		return hooks_main(argc - 1, argv + 1);
	if (cmd == CMD_VERSION) {
		puts("ardoise " ARDOISE_VERSION);
		return BUILD_OK;
	}
	if (gitsrc_global_init() < 0) {
		fputs("ardoise: cannot initialise libgit2\n", stderr);
		return BUILD_SYSTEM;
	}
	xmlInitParser();
	md_global_init();
	status = run_build(argc - 1, argv + 1, cmd == CMD_CHECK);
	xmlCleanupParser();
	gitsrc_global_shutdown();
	return status;
}
