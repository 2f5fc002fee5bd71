/*
 * slug: names safe for URLs, file names and FAT32 USB sticks, from titles,
 * tags and file names: lower-case ASCII letters, digits and single
 * hyphens. French accents are transliterated ("Sortie au musée d'Amiens"
 * -> "sortie-au-musee-d-amiens"); other characters become hyphens.
 */
#ifndef ARDOISE_SLUG_H
#define ARDOISE_SLUG_H

#include <stddef.h>

struct buf;

/* Appends the slug of s[0..n) to out (possibly nothing when s has no
 * letter or digit). */
void slugify(const char *s, size_t n, struct buf *out);
/* Returns 1 when s is already a slug (non-empty, [a-z0-9-], no leading,
 * trailing or double hyphen). */
int slug_valid(const char *s);

#endif
