/*
 * hooks: `ardoise hooks install`, which makes a bare class repository
 * publish itself on push. It copies the pre-receive and post-receive
 * scripts of hooks/ into the repository and records in its config where
 * the site is published (ardoise.root), which branch is published
 * (ardoise.branch), whether history may be rewritten (ardoise.allowForce)
 * and which ardoise runs the hooks (ardoise.bin). The scripts do the rest.
 */
#ifndef ARDOISE_HOOKS_H
#define ARDOISE_HOOKS_H

/* Runs `ardoise hooks ...`; argv[0] is "hooks". Prints its own messages
 * (stdout for --help and success, stderr for errors). Returns an exit
 * status: 0 ok, 2 usage (bad options, not a bare repository, a different
 * hook already there), 3 system errors. */
int hooks_main(int argc, char **argv);

/*
 * Finds the directory holding the hook scripts: $ARDOISE_HOOKS, else
 * next to the program as theme_find_dir() does (../hooks from build/,
 * ../../hooks from build/san/, ../share/ardoise/hooks once installed).
 * Returns a malloc'd path (caller frees) or NULL when none has the scripts.
 */
char *hooks_find_dir(void);

#endif
