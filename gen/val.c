#include "val.h"

#include <string.h>

#include "util.h"

static struct val *
val_alloc(enum val_type t)
{
	struct val *v = xcalloc(1, sizeof *v);

	v->type = t;
	return v;
}

struct val *
val_new_null(void)
{
	return val_alloc(VAL_NULL);
}

struct val *
val_new_bool(int b)
{
	struct val *v = val_alloc(VAL_BOOL);

	v->u.b = b != 0;
	return v;
}

struct val *
val_new_str_owned(char *s, size_t n)
{
	struct val *v = val_alloc(VAL_STR);

	v->u.s.p = s;
	v->u.s.len = n;
	return v;
}

struct val *
val_new_str_borrowed(const char *s, size_t n)
{
	struct val *v = val_new_str_owned((char *)s, n);

	v->u.s.borrowed = 1;
	return v;
}

struct val *
val_new_str(const char *s, size_t n)
{
	return val_new_str_owned(xstrndup(s, n), n);
}

struct val *
val_new_cstr(const char *s)
{
	return val_new_str(s, strlen(s));
}

struct val *
val_new_list(void)
{
	return val_alloc(VAL_LIST);
}

struct val *
val_new_map(void)
{
	return val_alloc(VAL_MAP);
}

struct val *
val_new_ref(const struct val *target)
{
	struct val *v = val_alloc(VAL_REF);

	v->u.ref = target;
	return v;
}

void
val_free(struct val *v)
{
	size_t i;

	if (!v)
		return;
	switch (v->type) {
	case VAL_STR:
		if (!v->u.s.borrowed)
			free(v->u.s.p);
		break;
	case VAL_LIST:
		for (i = 0; i < v->u.list.len; i++)
			val_free(v->u.list.items[i]);
		free(v->u.list.items);
		break;
	case VAL_MAP:
		for (i = 0; i < v->u.map.len; i++) {
			if (!v->u.map.items[i].key_lit)
				free(v->u.map.items[i].key);
			val_free(v->u.map.items[i].v);
		}
		free(v->u.map.items);
		break;
	default:
		break;
	}
	free(v);
}

void
val_list_push(struct val *list, struct val *v)
{
	list->u.list.items = xgrow(list->u.list.items, &list->u.list.cap,
	    list->u.list.len + 1, sizeof *list->u.list.items);
	list->u.list.items[list->u.list.len++] = v;
}

static struct val *
map_set(struct val *map, const char *key, int lit, struct val *v)
{
	size_t i;

	for (i = 0; i < map->u.map.len; i++) {
		if (strcmp(map->u.map.items[i].key, key) == 0) {
			val_free(map->u.map.items[i].v);
			map->u.map.items[i].v = v;
			return v;
		}
	}
	map->u.map.items = xgrow(map->u.map.items, &map->u.map.cap,
	    map->u.map.len + 1, sizeof *map->u.map.items);
	map->u.map.items[map->u.map.len].key = lit ? (char *)key : xstrdup(key);
	map->u.map.items[map->u.map.len].key_lit = lit;
	map->u.map.items[map->u.map.len].v = v;
	map->u.map.len++;
	return v;
}

struct val *
val_map_set(struct val *map, const char *key, struct val *v)
{
	return map_set(map, key, 0, v);
}

struct val *
val_map_set_lit(struct val *map, const char *key, struct val *v)
{
	return map_set(map, key, 1, v);
}

void
val_map_str(struct val *map, const char *key, const char *s)
{
	val_map_set(map, key, val_new_cstr(s));
}

void
val_map_bool(struct val *map, const char *key, int b)
{
	val_map_set(map, key, val_new_bool(b));
}

void
val_map_ref(struct val *map, const char *key, const struct val *target)
{
	val_map_set(map, key, val_new_ref(target));
}

const struct val *
val_deref(const struct val *v)
{
	while (v && v->type == VAL_REF)
		v = v->u.ref;
	return v;
}

const struct val *
val_getn(const struct val *map, const char *key, size_t n)
{
	size_t i;

	map = val_deref(map);
	if (!map || map->type != VAL_MAP)
		return NULL;
	for (i = 0; i < map->u.map.len; i++) {
		const char *k = map->u.map.items[i].key;

		/* not strncmp: a name holding a NUL would match a shorter key
		 * and k[n] would read past it */
		if (strlen(k) == n && memcmp(k, key, n) == 0)
			return val_deref(map->u.map.items[i].v);
	}
	return NULL;
}

const struct val *
val_get(const struct val *map, const char *key)
{
	return val_getn(map, key, strlen(key));
}

const struct val *
val_at(const struct val *list, size_t i)
{
	list = val_deref(list);
	if (!list || list->type != VAL_LIST || i >= list->u.list.len)
		return NULL;
	return val_deref(list->u.list.items[i]);
}

size_t
val_len(const struct val *v)
{
	v = val_deref(v);
	if (!v)
		return 0;
	if (v->type == VAL_LIST)
		return v->u.list.len;
	if (v->type == VAL_MAP)
		return v->u.map.len;
	return 0;
}

const char *
val_str(const struct val *v)
{
	v = val_deref(v);
	return v && v->type == VAL_STR ? v->u.s.p : NULL;
}

int
val_truthy(const struct val *v)
{
	v = val_deref(v);
	if (!v || v->type == VAL_NULL)
		return 0;
	if (v->type == VAL_BOOL)
		return v->u.b;
	if (v->type == VAL_LIST)
		return v->u.list.len > 0;
	return 1;
}

struct val *
val_copy(const struct val *v)
{
	struct val *c;
	size_t i;

	if (!v)
		return NULL;
	switch (v->type) {
	case VAL_NULL: c = val_new_null(); break;
	case VAL_BOOL: c = val_new_bool(v->u.b); break;
	case VAL_STR:
		c = val_new_str(v->u.s.p, v->u.s.len);
		c->u.s.plain = v->u.s.plain;
		break;
	case VAL_REF: c = val_new_ref(v->u.ref); break;
	case VAL_LIST:
		c = val_new_list();
		for (i = 0; i < v->u.list.len; i++)
			val_list_push(c, val_copy(v->u.list.items[i]));
		break;
	case VAL_MAP:
	default:
		c = val_new_map();
		for (i = 0; i < v->u.map.len; i++)
			val_map_set(c, v->u.map.items[i].key, val_copy(v->u.map.items[i].v));
		break;
	}
	c->line = v->line;
	c->col = v->col;
	return c;
}
