/*
 * scaffold: `ardoise init DIR` (a new class repository with a first post,
 * an empty notebook and a first commit) and `ardoise new post|cahier|page
 * TITLE` (a new file with its front matter and today's date). For
 * teachers new to git and Markdown: nothing existing is ever overwritten.
 */
#ifndef ARDOISE_SCAFFOLD_H
#define ARDOISE_SCAFFOLD_H

/* Subcommands for main.c's table: argv[0] is the command's name. Return
 * 0 ok, 1 when the target already exists, 2 usage, 3 system errors. */
int scaffold_init_main(int argc, char **argv);
int scaffold_new_main(int argc, char **argv);

/* Today's date as YYYY-MM-DD (local time, or SOURCE_DATE_EPOCH when set,
 * so that tests are reproducible) into out (size >= 11). */
void scaffold_today(char out[11]);

#endif
