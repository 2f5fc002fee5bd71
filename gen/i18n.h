/*
 * i18n: binds the "ardoise" gettext domain to the compiled catalogues.
 * Messages follow LC_ALL / LC_MESSAGES / LANG / LANGUAGE; the site's own
 * language (ardoise.yml) is separate and never comes from here.
 */
#ifndef ARDOISE_I18N_H
#define ARDOISE_I18N_H

/* Sets LC_MESSAGES from the environment and binds the catalogue found in
 * $ARDOISE_LOCALEDIR, next to the binary (BUILD/locale) or installed
 * (PREFIX/share/locale). Call once in main, after LC_CTYPE is set and
 * before any thread. Missing catalogues leave messages in English. */
void i18n_init(void);

#endif
