/*
 * serve: `ardoise serve`, the teacher's preview. Builds the working tree
 * (uncommitted changes included) into a private directory, serves it on
 * 127.0.0.1 with libmicrohttpd, watches the repository with inotify and
 * rebuilds (incrementally) 100 ms after the last change. Open pages poll
 * a build counter and reload when it moves. When the content has errors,
 * every page is replaced by a French (or English) error page that shows
 * each file, line and the offending line, until the files are fixed.
 */
#ifndef ARDOISE_SERVE_H
#define ARDOISE_SERVE_H

/* Subcommand for main.c's table: argv[0] is "serve". Runs until SIGINT or
 * SIGTERM; returns 0, 2 on usage errors, 3 when it cannot serve. */
int serve_main(int argc, char **argv);

#endif
