/*
 * cahier: the notebooks of a class ("cahiers multimédias"). A notebook is
 * a folder cahiers/<name>/ holding cahier.yml (title, cover, authors,
 * summary, visibility, order) and its pages, the folder's .md files in
 * file-name order, each with optional front matter. Part of the site
 * model (site.h).
 */
#ifndef ARDOISE_CAHIER_H
#define ARDOISE_CAHIER_H

struct diag;
struct gitsrc;
struct site;

/* Returns 1 when path is a notebook page (a .md file right inside a
 * notebook folder), -2 when it is a file there that cannot be in a
 * notebook, 0 otherwise. */
int cahier_file_kind(const struct site *s, const char *path);
/*
 * Builds s->cahiers from the source and the notebook pages already read
 * into s->all: reads each cahier.yml, orders and names the pages, decides
 * what is published, and lists the published notebooks in s->shown.
 * Reports every problem to d. Returns 0, or -1 when there were errors.
 */
int cahier_load(struct site *s, struct gitsrc *src, struct diag *d);
void cahier_release(struct site *s);

#endif
