/* xmlib: see xmlib.h. */
#define XMLIB_LOADER
#include "xmlib.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "build.h"
#include "lazylib.h"
#include "util.h"

#define XML_SONAME "libxml2.so.2"

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
	void *lib = lazylib_open(XML_SONAME, names, slots, sizeof names / sizeof names[0], X.err,
	    sizeof X.err);

	if (lib) {
		X.init();
		X.lib = lib;
	}
}

const struct xmlib *
xmlib(void)
{
	pthread_once(&xml_once, xml_load);
	if (!X.lib) {
		fprintf(stderr, _("ardoise: cannot load %s (%s): reinstall the libxml2 package\n"),
		    XML_SONAME, X.err);
		exit(BUILD_SYSTEM);
	}
	return &X.fn;
}

int
xmlib_loaded(void)
{
	return X.lib != NULL;
}

void
xmlib_shutdown(void)
{
	if (X.lib)
		X.cleanup();
}
