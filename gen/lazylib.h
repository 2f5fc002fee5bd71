/*
 * lazylib: a shared library opened when first needed rather than linked,
 * its functions resolved into the caller's table of pointers (libvips,
 * libmicrohttpd, libxml2, libarchive: see image.c, serve.c, xmlib.h,
 * arlib.h). Each caller lists its functions once, as an X-macro, and
 * makes both arrays from it:
 *
 *   #define NAME(f) #f,
 *   #define SLOT(f) (void **)&table.f,
 *   static const char *const names[] = { SYMBOLS(NAME) };
 *   void **slots[] = { SYMBOLS(SLOT) };
 */
#ifndef ARDOISE_LAZYLIB_H
#define ARDOISE_LAZYLIB_H

#include <stddef.h>

/* Opens soname and sets *slots[i] to names[i]'s address, for i < n.
 * Returns the library's handle, or NULL with the reason in err (the
 * library not found, or a function missing from it). */
void *lazylib_open(const char *soname, const char *const *names, void **const *slots, size_t n,
    char *err, size_t errlen);

#endif
