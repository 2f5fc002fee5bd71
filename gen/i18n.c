#include "i18n.h"

#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "util.h"

/* Like theme_find_dir: the build tree keeps BUILD/ardoise next to
 * BUILD/locale, an installation PREFIX/bin next to PREFIX/share/locale. */
static char *
find_localedir(void)
{
	static const char *const rel[] = { "locale", "../share/locale" };

	return exe_resource_dir("ARDOISE_LOCALEDIR", rel, ARRAY_LEN(rel), "fr/LC_MESSAGES/ardoise.mo");
}

void
i18n_init(void)
{
	char *dir;

	/* A teacher's machine may say LANG=fr_FR.UTF-8 without having that
	 * locale generated: setlocale then fails and glibc would ignore the
	 * catalogue. C.UTF-8 plus LANGUAGE still selects it (glibc only
	 * ignores LANGUAGE under the plain "C" locale). */
	if (!setlocale(LC_MESSAGES, "")) {
		const char *v = getenv("LC_ALL");

		if (!v || !*v)
			v = getenv("LC_MESSAGES");
		if (!v || !*v)
			v = getenv("LANG");
		setlocale(LC_MESSAGES, "C.UTF-8");
		if (v && v[0] && v[1] && (!getenv("LANGUAGE") || !*getenv("LANGUAGE"))) {
			char lang[3] = { v[0], v[1], '\0' };

			setenv("LANGUAGE", lang, 1);
		}
	}
	dir = find_localedir();
	if (dir)
		bindtextdomain("ardoise", dir);
	/* LC_CTYPE is C.UTF-8 whatever the environment (libarchive), so ask
	 * for UTF-8 explicitly rather than the codeset of LC_CTYPE */
	bind_textdomain_codeset("ardoise", "UTF-8");
	textdomain("ardoise");
	free(dir);
}
