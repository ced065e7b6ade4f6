/*
 * json.c - JSON values built in order and written strictly (json.h says
 * what is written and how failures travel).
 *
 * A value is a tagged node; arrays and objects hold their members in one
 * growing vector, keys beside the values, so the text follows the order the
 * caller built.  The writer goes through a small sink that is either a
 * stdio stream or a growing buffer, so jv_write and jv_to_string produce
 * the same bytes.  Integers are formatted by hand: no printf length modifier
 * whose support differs between C runtimes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ldapbridge/lb_filter.h>

#include "json.h"

enum jv_type { JV_NULL, JV_BOOL, JV_INT, JV_STRING, JV_ARRAY, JV_OBJECT };

struct jv_member {
	char *key;              /* objects only */
	struct jv *val;
};

struct jv {
	enum jv_type type;
	bool failed;            /* a member could not be added */
	union {
		bool b;
		long long i;
		char *s;
		struct {
			struct jv_member *v;
			size_t n, cap;
		} c;
	} u;
};

/* ---- building ---- */

static struct jv *jv_new(enum jv_type type)
{
	struct jv *v = malloc(sizeof(*v));

	if (v) {
		memset(v, 0, sizeof(*v));
		v->type = type;
	}
	return v;
}

static char *copy_text(const char *s)
{
	size_t n = strlen(s) + 1;
	char *c = malloc(n);

	if (c)
		memcpy(c, s, n);
	return c;
}

struct jv *jv_object(void) { return jv_new(JV_OBJECT); }
struct jv *jv_array(void) { return jv_new(JV_ARRAY); }
struct jv *jv_null(void) { return jv_new(JV_NULL); }

struct jv *jv_bool(bool b)
{
	struct jv *v = jv_new(JV_BOOL);

	if (v)
		v->u.b = b;
	return v;
}

struct jv *jv_int(long long n)
{
	struct jv *v = jv_new(JV_INT);

	if (v)
		v->u.i = n;
	return v;
}

struct jv *jv_string(const char *s)
{
	struct jv *v;

	if (!s)
		return NULL;
	v = jv_new(JV_STRING);
	if (v && !(v->u.s = copy_text(s))) {
		free(v);
		v = NULL;
	}
	return v;
}

void jv_free(struct jv *v)
{
	if (!v)
		return;
	if (v->type == JV_STRING)
		free(v->u.s);
	if (v->type == JV_ARRAY || v->type == JV_OBJECT) {
		for (size_t i = 0; i < v->u.c.n; i++) {
			free(v->u.c.v[i].key);
			jv_free(v->u.c.v[i].val);
		}
		free(v->u.c.v);
	}
	free(v);
}

/* Room for one more member of c; false (c untouched) when memory runs out. */
static bool reserve(struct jv *c)
{
	struct jv_member *nv;
	size_t cap;

	if (c->u.c.n < c->u.c.cap)
		return true;
	cap = c->u.c.cap ? 2 * c->u.c.cap : 4;
	if (cap > SIZE_MAX / sizeof(*nv))
		return false;
	nv = realloc(c->u.c.v, cap * sizeof(*nv));
	if (!nv)
		return false;
	c->u.c.v = nv;
	c->u.c.cap = cap;
	return true;
}

static void refuse(struct jv *c, struct jv *val)
{
	if (c)
		c->failed = true;
	jv_free(val);
}

void jv_set(struct jv *obj, const char *key, struct jv *val)
{
	char *k;

	if (!obj || obj->type != JV_OBJECT || !key || !val) {
		refuse(obj, val);
		return;
	}
	for (size_t i = 0; i < obj->u.c.n; i++) {
		if (strcmp(obj->u.c.v[i].key, key) == 0) {
			jv_free(obj->u.c.v[i].val);
			obj->u.c.v[i].val = val;
			return;
		}
	}
	if (!reserve(obj) || !(k = copy_text(key))) {
		refuse(obj, val);
		return;
	}
	obj->u.c.v[obj->u.c.n].key = k;
	obj->u.c.v[obj->u.c.n].val = val;
	obj->u.c.n++;
}

void jv_append(struct jv *arr, struct jv *val)
{
	if (!arr || arr->type != JV_ARRAY || !val || !reserve(arr)) {
		refuse(arr, val);
		return;
	}
	arr->u.c.v[arr->u.c.n].key = NULL;
	arr->u.c.v[arr->u.c.n].val = val;
	arr->u.c.n++;
}

bool jv_failed(const struct jv *v)
{
	if (!v || v->failed)
		return true;
	if (v->type == JV_ARRAY || v->type == JV_OBJECT)
		for (size_t i = 0; i < v->u.c.n; i++)
			if (jv_failed(v->u.c.v[i].val))
				return true;
	return false;
}

/* ---- writing ---- */

struct sink {
	FILE *f;                /* a stream, or else the buffer below */
	char *buf;
	size_t len, cap;
	bool error;             /* a write failed or memory ran out */
};

static void put(struct sink *o, const char *s, size_t n)
{
	if (o->error || n == 0)
		return;
	if (o->f) {
		if (fwrite(s, 1, n, o->f) != n)
			o->error = true;
		return;
	}
	if (n >= o->cap - o->len) {
		size_t cap = o->cap ? o->cap : 256;
		char *nb;

		while (n >= cap - o->len) {
			if (cap > SIZE_MAX / 2) {
				o->error = true;
				return;
			}
			cap *= 2;
		}
		nb = realloc(o->buf, cap);
		if (!nb) {
			o->error = true;
			return;
		}
		o->buf = nb;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void puts_(struct sink *o, const char *s) { put(o, s, strlen(s)); }

/* A string: made valid UTF-8 first (each maximal ill-formed subpart becomes
 * U+FFFD, lb_utf8_sanitize), then '"', '\\' and the controls escaped; every
 * other character is written as it is. */
static void put_string(struct sink *o, const char *str)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *s, *run;
	struct lb_error err;
	char *clean = NULL;

	if (o->error)
		return;
	if (lb_utf8_sanitize(str, strlen(str), &clean, NULL, &err) != LB_OK) {
		o->error = true;
		return;
	}
	put(o, "\"", 1);
	for (s = run = (const unsigned char *)clean; *s; s++) {
		char esc[7];
		const char *rep;

		if (*s >= 0x20 && *s != '"' && *s != '\\')
			continue;       /* kept as it is, written with its run */
		switch (*s) {
		case '"': rep = "\\\""; break;
		case '\\': rep = "\\\\"; break;
		case '\b': rep = "\\b"; break;
		case '\f': rep = "\\f"; break;
		case '\n': rep = "\\n"; break;
		case '\r': rep = "\\r"; break;
		case '\t': rep = "\\t"; break;
		default:
			esc[0] = '\\';
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[(*s >> 4) & 0xF];
			esc[5] = hex[*s & 0xF];
			esc[6] = '\0';
			rep = esc;
			break;
		}
		put(o, (const char *)run, (size_t)(s - run));
		puts_(o, rep);
		run = s + 1;
	}
	put(o, (const char *)run, (size_t)(s - run));
	put(o, "\"", 1);
	free(clean);
}

static void put_int(struct sink *o, long long n)
{
	char d[24];
	size_t i = sizeof(d);
	/* The magnitude as unsigned: -LLONG_MIN does not fit a long long. */
	unsigned long long m = n < 0 ? 0ull - (unsigned long long)n : (unsigned long long)n;

	do {
		d[--i] = (char)('0' + m % 10);
		m /= 10;
	} while (m);
	if (n < 0)
		d[--i] = '-';
	put(o, d + i, sizeof(d) - i);
}

static void put_newline(struct sink *o, size_t depth)
{
	put(o, "\n", 1);
	for (size_t i = 0; i < depth; i++)
		put(o, "  ", 2);
}

static void put_value(struct sink *o, const struct jv *v, bool pretty, size_t depth)
{
	bool obj = v->type == JV_OBJECT;

	switch (v->type) {
	case JV_NULL:
		puts_(o, "null");
		return;
	case JV_BOOL:
		puts_(o, v->u.b ? "true" : "false");
		return;
	case JV_INT:
		put_int(o, v->u.i);
		return;
	case JV_STRING:
		put_string(o, v->u.s);
		return;
	case JV_ARRAY:
	case JV_OBJECT:
		break;
	}
	put(o, obj ? "{" : "[", 1);
	for (size_t i = 0; i < v->u.c.n; i++) {
		if (i)
			put(o, ",", 1);
		if (pretty)
			put_newline(o, depth + 1);
		if (obj) {
			put_string(o, v->u.c.v[i].key);
			puts_(o, pretty ? ": " : ":");
		}
		put_value(o, v->u.c.v[i].val, pretty, depth + 1);
	}
	if (pretty && v->u.c.n)
		put_newline(o, depth);
	put(o, obj ? "}" : "]", 1);
}

int jv_write(FILE *f, const struct jv *v, bool pretty)
{
	struct sink o = { .f = f };

	if (!f || jv_failed(v))
		return -1;
	put_value(&o, v, pretty, 0);
	return o.error ? -1 : 0;
}

char *jv_to_string(const struct jv *v, bool pretty)
{
	struct sink o = { 0 };

	if (jv_failed(v))
		return NULL;
	put_value(&o, v, pretty, 0);
	put(&o, "", 1);
	if (o.error) {
		free(o.buf);
		return NULL;
	}
	return o.buf;
}
