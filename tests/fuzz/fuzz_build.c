/*
 * libFuzzer: a whole build over a class repository made from the input.
 * The input is a list of files: a path line, then the content up to a
 * line "%%", and so on. Paths are kept to safe names inside a scratch
 * folder; the build reads it in worktree mode and writes a site next to
 * it, and both are removed after each run. ARDOISE_THEMES must name the
 * themes folder.
 */
#include <libxml/parser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "diag.h"
#include "gitsrc.h"
#include "md.h"
#include "out.h"

static char root[64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	gitsrc_global_init();
	xmlInitParser();
	md_global_init();
	snprintf(root, sizeof root, "/tmp/ardoise-fuzz-%ld", (long)getpid());
	return 0;
}

/* A path of [A-Za-z0-9._-] components, at most 4 deep, no "." or "..". */
static int
safe_path(const char *p, size_t n)
{
	size_t i, comp = 0, depth = 1;

	if (n == 0 || n > 80 || p[0] == '/' || p[0] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		char c = p[i];

		if (c == '/') {
			if (comp == 0 || ++depth > 4 || (i + 1 < n && p[i + 1] == '.'))
				return 0;
			comp = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-') {
			comp++;
		} else {
			return 0;
		}
	}
	return comp > 0;
}

static void
write_file(const char *rel, size_t n, const char *data, size_t len)
{
	char path[256];
	char *slash;
	FILE *f;

	snprintf(path, sizeof path, "%s/src/%.*s", root, (int)n, rel);
	for (slash = strchr(path + strlen(root) + 5, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	if ((f = fopen(path, "wb"))) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *end = s + size;
	struct build_opts bo = { 0 };
	struct diag d;
	char src[96], site[96];
	int nfiles = 0;

	snprintf(src, sizeof src, "%s/src", root);
	snprintf(site, sizeof site, "%s/site", root);
	out_rmtree(root);
	mkdir(root, 0755);
	mkdir(src, 0755);
	while (s < end && nfiles < 64) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));
		const char *body, *stop;

		if (!eol)
			break;
		body = eol + 1;
		stop = body;
		while (stop < end && !(stop + 3 <= end && memcmp(stop, "%%\n", 3) == 0 &&
		    (stop == body || stop[-1] == '\n')))
			stop++;
		if (safe_path(s, (size_t)(eol - s))) {
			write_file(s, (size_t)(eol - s), body, (size_t)(stop - body));
			nfiles++;
		}
		s = stop + 3 <= end ? stop + 3 : end;
	}
	bo.repo = src;
	bo.outdir = site;
	bo.worktree = 1;
	bo.now = 1782864000;
	bo.jobs = 1;
	diag_init(&d);
	build_run(&bo, &d);
	diag_release(&d);
	out_rmtree(root);
	return 0;
}
