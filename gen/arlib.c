/* arlib: see arlib.h. */
#define ARLIB_LOADER
#include "arlib.h"

#include <pthread.h>
#include <stdio.h>

#include "lazylib.h"

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

	A.lib = lazylib_open(ARLIB_SONAME, names, slots, sizeof names / sizeof names[0], A.err,
	    sizeof A.err);
}

int
arlib_ready(char *err, size_t errlen)
{
	pthread_once(&archive_once, archive_load);
	if (A.lib)
		return 0;
	if (err && errlen)
		snprintf(err, errlen, "%s", A.err);
	return -1;
}

const struct arlib *
arlib(void)
{
	return &A.fn;
}
