/* lazylib: see lazylib.h. */
#include "lazylib.h"

#include <dlfcn.h>
#include <stdio.h>

void *
lazylib_open(const char *soname, const char *const *names, void **const *slots, size_t n,
    char *err, size_t errlen)
{
	void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	size_t i;

	if (!lib) {
		snprintf(err, errlen, "%s", dlerror());
		return NULL;
	}
	for (i = 0; i < n; i++)
		if ((*slots[i] = dlsym(lib, names[i])) == NULL) {
			snprintf(err, errlen, "%s lacks %s", soname, names[i]);
			dlclose(lib);
			return NULL;
		}
	return lib;
}
