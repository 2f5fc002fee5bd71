/*
 * config: reads ardoise.yml into struct site_config, type-checking every
 * key it knows and keeping the whole map for templates.
 */
#ifndef ARDOISE_CONFIG_H
#define ARDOISE_CONFIG_H

#include <stddef.h>

struct diag;
struct site_config;
struct site_limits;

/* Fills cfg from text (the file `path`; text NULL means the file is
 * missing: defaults, with a warning). Returns 0, or -1 after reporting
 * errors to d (cfg is then still filled with defaults where needed). */
int config_parse(struct site_config *cfg, const char *path, const char *text,
    size_t len, struct diag *d);
void config_release(struct site_config *cfg);
/* The limits of a build when ardoise.yml sets none. */
struct site_limits config_default_limits(void);

#endif
