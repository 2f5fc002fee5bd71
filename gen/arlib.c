/* arlib: see arlib.h. */
#define ARLIB_LOADER
#include "arlib.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "build.h"
#include "lazylib.h"
#include "util.h"

#define ARCHIVE_SONAME "libarchive.so.13"

static struct {
	struct arlib fn;
	void *lib;
	char err[200];
} A;
static pthread_once_t archive_once = PTHREAD_ONCE_INIT;

static void
archive_load(void)
{
#define NAME(f) #f,
#define SLOT(f) (void **)&A.fn.f,
	static const char *const names[] = { ARLIB_SYMBOLS(NAME) };
	void **const slots[] = { ARLIB_SYMBOLS(SLOT) };
#undef NAME
#undef SLOT

	A.lib = lazylib_open(ARCHIVE_SONAME, names, slots, sizeof names / sizeof names[0], A.err,
	    sizeof A.err);
}

const struct arlib *
arlib(void)
{
	pthread_once(&archive_once, archive_load);
	if (!A.lib) {
		fprintf(stderr, _("ardoise: cannot load %s (%s): reinstall the libarchive13 package\n"),
		    ARCHIVE_SONAME, A.err);
		exit(BUILD_SYSTEM);
	}
	return &A.fn;
}
