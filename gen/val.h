/*
 * val: the plain data tree handed from the model to templates (and read
 * from YAML). A tree owns all its nodes; val_free() frees a node and
 * everything under it.
 *
 * Sharing without copying: a VAL_REF node points at a node owned by
 * someone else (a post's data shown on many index pages). The referent
 * must outlive the reference; val_free() never follows a REF. The getters
 * below (val_get, val_at, val_deref) see through REFs, so readers never
 * handle them. A tree is read-only once built, so threads may read one
 * tree at the same time.
 *
 * Maps keep insertion order and allow lookup by key (linear: our maps are
 * small); setting an existing key replaces its value.
 */
#ifndef ARDOISE_VAL_H
#define ARDOISE_VAL_H

#include <stddef.h>

enum val_type { VAL_NULL, VAL_BOOL, VAL_STR, VAL_LIST, VAL_MAP, VAL_REF };

struct val;

struct val_pair {
	char *key;
	struct val *v;
	int key_lit;		/* key is a literal: not owned, not freed */
};

struct val {
	enum val_type type;
	int line, col;		/* 1-based position in its source file, 0 if none */
	union {
		int b;
		struct {
			char *p;	/* NUL-terminated, may hold no NUL inside */
			size_t len;
			int plain;	/* an unquoted YAML scalar */
			int borrowed;	/* p belongs to someone else: not freed */
		} s;
		struct {
			struct val **items;
			size_t len, cap;
		} list;
		struct {
			struct val_pair *items;
			size_t len, cap;
		} map;
		const struct val *ref;
	} u;
};

struct val *val_new_null(void);
struct val *val_new_bool(int b);
/* Copies s[0..n). */
struct val *val_new_str(const char *s, size_t n);
struct val *val_new_cstr(const char *s);
/* Takes ownership of s (malloc'd, NUL-terminated, n bytes). */
struct val *val_new_str_owned(char *s, size_t n);
/* Points at s (NUL-terminated, n bytes) without copying or owning it: s
 * must outlive the node (a post's HTML shown on its page). */
struct val *val_new_str_borrowed(const char *s, size_t n);
struct val *val_new_list(void);
struct val *val_new_map(void);
/* A non-owning reference to target. */
struct val *val_new_ref(const struct val *target);
void val_free(struct val *v);

/* Appends v to a list (takes ownership). */
void val_list_push(struct val *list, struct val *v);
/* Sets key in a map (takes ownership of v; copies key); replaces and frees
 * an existing value. Returns v. */
struct val *val_map_set(struct val *map, const char *key, struct val *v);
/* Like val_map_set, for a key that outlives the map (a string literal):
 * not copied. Data built many times over (a post's, for every post)
 * saves an allocation per key. */
struct val *val_map_set_lit(struct val *map, const char *key, struct val *v);
/* Shorthands for val_map_set with a new string, bool or reference. */
void val_map_str(struct val *map, const char *key, const char *s);
void val_map_bool(struct val *map, const char *key, int b);
void val_map_ref(struct val *map, const char *key, const struct val *target);

/* Follows REFs; NULL stays NULL. */
const struct val *val_deref(const struct val *v);
/* Map lookup (NULL when absent or not a map); result dereferenced. */
const struct val *val_get(const struct val *map, const char *key);
/* Same with a key of n bytes. */
const struct val *val_getn(const struct val *map, const char *key, size_t n);
/* List element i, dereferenced. */
const struct val *val_at(const struct val *list, size_t i);
/* Number of elements of a list or map, 0 otherwise. */
size_t val_len(const struct val *v);
/* The string of a VAL_STR (dereferenced), or NULL. */
const char *val_str(const struct val *v);
/* Mustache truthiness: NULL, null, false, empty list are false. */
int val_truthy(const struct val *v);
/* Deep copy (REFs stay REFs). */
struct val *val_copy(const struct val *v);

#endif
