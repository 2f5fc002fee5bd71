/* xmlib: see xmlib.h. */
#define XMLIB_LOADER
#include "xmlib.h"

#include <pthread.h>
#include <stdio.h>

#include "lazylib.h"

static struct {
	struct xmlib fn;
	void (*init)(void);
	void (*cleanup)(void);
	void *lib;
	char err[200];
} X;
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void
xml_load(void)
{
#define NAME(f) #f,
#define SLOT(f) (void **)&X.fn.f,
	static const char *const names[] = {
		XMLIB_SYMBOLS(NAME) "xmlFree", "xmlInitParser", "xmlCleanupParser"
	};
	void **const slots[] = {
		XMLIB_SYMBOLS(SLOT) (void **)&X.fn.xmlFree, (void **)&X.init, (void **)&X.cleanup
	};
#undef NAME
#undef SLOT
	void *lib = lazylib_open(XMLIB_SONAME, names, slots, sizeof names / sizeof names[0], X.err,
	    sizeof X.err);

	if (lib) {
		X.init();
		X.lib = lib;
	}
}

int
xmlib_ready(char *err, size_t errlen)
{
	pthread_once(&xml_once, xml_load);
	if (X.lib)
		return 0;
	if (err && errlen)
		snprintf(err, errlen, "%s", X.err);
	return -1;
}

const struct xmlib *
xmlib(void)
{
	return &X.fn;
}

void
xmlib_shutdown(void)
{
	if (X.lib)
		X.cleanup();
}
