/*
 * pack: packages a built site (the output of `ardoise build`) with
 * libarchive: a zip for USB sticks (FAT32-safe names, LISEZ-MOI.html,
 * SHA256SUMS), a tar.gz for a web server or CDN (with .gz siblings for
 * nginx gzip_static), an EPUB 3 of one notebook. Reads a directory, never
 * the model. Same directory and build info, same bytes out.
 */
#ifndef ARDOISE_PACK_H
#define ARDOISE_PACK_H

/* `ardoise pack`: argv[0] is "pack". Returns an exit status (BUILD_OK,
 * BUILD_CONTENT, BUILD_USAGE, BUILD_SYSTEM); messages go to stderr. */
int pack_main(int argc, char **argv);

#endif
