/*
 * arlib: libarchive, loaded the first time ardoise writes an archive
 * (dlopen), not at start-up: only `ardoise pack` and the publishing hook
 * write archives, and linked, libarchive and the compressors and libxml2
 * it brings cost every other run some 2 ms before main (see xmlib.h).
 *
 * A file writing archives includes this header instead of libarchive's:
 * the functions below then name the loaded ones, called as usual once
 * arlib_ready() said the library is there.
 */
#ifndef ARDOISE_ARLIB_H
#define ARDOISE_ARLIB_H

#include <archive.h>
#include <archive_entry.h>

#define ARLIB_SYMBOLS(X) \
	X(archive_entry_free) X(archive_entry_new) X(archive_entry_pathname) \
	X(archive_entry_set_filetype) X(archive_entry_set_gid) X(archive_entry_set_mtime) \
	X(archive_entry_set_pathname_utf8) X(archive_entry_set_perm) X(archive_entry_set_size) \
	X(archive_entry_set_uid) X(archive_error_string) X(archive_set_error) \
	X(archive_write_add_filter_gzip) X(archive_write_close) X(archive_write_data) \
	X(archive_write_free) X(archive_write_header) X(archive_write_new) \
	X(archive_write_open2) X(archive_write_set_bytes_in_last_block) \
	X(archive_write_set_format_option) X(archive_write_set_format_pax_restricted) \
	X(archive_write_set_format_zip) X(archive_write_set_options) \
	X(archive_write_zip_set_compression_deflate) \
	X(archive_write_zip_set_compression_store)

struct arlib {
#define ARLIB_FIELD(f) __typeof__(f) *f;
	ARLIB_SYMBOLS(ARLIB_FIELD)
#undef ARLIB_FIELD
};

#define ARLIB_SONAME "libarchive.so.13"

/* Loads libarchive the first time (any thread): 0, or -1 with why it
 * cannot be in err (errlen bytes; err may be NULL). */
int arlib_ready(char *err, size_t errlen);
/* Its functions (NULL until arlib_ready succeeded). */
const struct arlib *arlib(void);

#ifndef ARLIB_LOADER
#define ARLIB_REDIRECT(f) (arlib()->f)
#define archive_entry_free ARLIB_REDIRECT(archive_entry_free)
#define archive_entry_new ARLIB_REDIRECT(archive_entry_new)
#define archive_entry_pathname ARLIB_REDIRECT(archive_entry_pathname)
#define archive_entry_set_filetype ARLIB_REDIRECT(archive_entry_set_filetype)
#define archive_entry_set_gid ARLIB_REDIRECT(archive_entry_set_gid)
#define archive_entry_set_mtime ARLIB_REDIRECT(archive_entry_set_mtime)
#define archive_entry_set_pathname_utf8 ARLIB_REDIRECT(archive_entry_set_pathname_utf8)
#define archive_entry_set_perm ARLIB_REDIRECT(archive_entry_set_perm)
#define archive_entry_set_size ARLIB_REDIRECT(archive_entry_set_size)
#define archive_entry_set_uid ARLIB_REDIRECT(archive_entry_set_uid)
#define archive_error_string ARLIB_REDIRECT(archive_error_string)
#define archive_set_error ARLIB_REDIRECT(archive_set_error)
#define archive_write_add_filter_gzip ARLIB_REDIRECT(archive_write_add_filter_gzip)
#define archive_write_close ARLIB_REDIRECT(archive_write_close)
#define archive_write_data ARLIB_REDIRECT(archive_write_data)
#define archive_write_free ARLIB_REDIRECT(archive_write_free)
#define archive_write_header ARLIB_REDIRECT(archive_write_header)
#define archive_write_new ARLIB_REDIRECT(archive_write_new)
#define archive_write_open2 ARLIB_REDIRECT(archive_write_open2)
#define archive_write_set_bytes_in_last_block ARLIB_REDIRECT(archive_write_set_bytes_in_last_block)
#define archive_write_set_format_option ARLIB_REDIRECT(archive_write_set_format_option)
#define archive_write_set_format_pax_restricted ARLIB_REDIRECT(archive_write_set_format_pax_restricted)
#define archive_write_set_format_zip ARLIB_REDIRECT(archive_write_set_format_zip)
#define archive_write_set_options ARLIB_REDIRECT(archive_write_set_options)
#define archive_write_zip_set_compression_deflate ARLIB_REDIRECT(archive_write_zip_set_compression_deflate)
#define archive_write_zip_set_compression_store ARLIB_REDIRECT(archive_write_zip_set_compression_store)
#endif

#endif
