/*
 * nocerts: no certificate authorities for libgit2, which ardoise never
 * lets reach a network (it reads repositories on the same machine).
 *
 * Debian's libgit2 1.5 speaks TLS through mbedTLS, and git_libgit2_init
 * loads the system's whole bundle of certificate authorities at once
 * (/etc/ssl/certs/ca-certificates.crt, 220 KB of base64 for some 140
 * certificates, a path fixed when libgit2 was compiled): 4-7 ms of every
 * run of ardoise, a tenth of a one-post rebuild at 10,000 posts, and of
 * every hook.
 *
 * This definition takes the place of libmbedx509's for libgit2: the
 * dynamic loader binds a shared library's references to the executable's
 * symbols first (ELF interposition; the link exports it because libgit2
 * refers to it). It loads nothing and succeeds: libgit2's TLS streams would
 * then trust no authority and refuse every server, which is the safe way
 * to fail. Nothing else in the process calls it. tests/cases/gitref.sh
 * checks that libgit2 is bound to it.
 */
#include <mbedtls/x509_crt.h>

int
mbedtls_x509_crt_parse_file(mbedtls_x509_crt *chain, const char *path)
{
	(void)chain;
	(void)path;
	return 0;
}
