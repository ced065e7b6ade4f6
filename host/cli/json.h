/*
 * json.h - JSON values built in order and written as strict RFC 8259 text
 * (json.c).  The same code on every platform, no library underneath.
 *
 * Building never fails loudly: a constructor returns NULL when memory runs
 * out, and jv_set/jv_append take that NULL (or fail themselves) by marking
 * the container failed.  A failed value anywhere in a tree makes jv_write
 * and jv_to_string refuse the whole tree, so an allocation failure can never
 * turn into output that silently lacks a key.
 *
 * Written text is UTF-8.  Strings and keys are taken as UTF-8; every
 * ill-formed sequence (stray or missing continuation bytes, overlong forms,
 * surrogates, code points past U+10FFFF, 0xF5..0xFF) is written as U+FFFD,
 * one per maximal ill-formed subpart (Unicode's recommended practice, what
 * Python's errors="replace" does).  '"' and '\' are escaped, and every
 * control character below U+0020: \b \f \n \r \t in their short forms, the
 * others as \u00XX.  DEL, the C1 controls and U+2028/U+2029 stay raw: RFC
 * 8259 allows them in strings, and every JSON parser reads them.
 */
#ifndef LDAPAB_CLI_JSON_H
#define LDAPAB_CLI_JSON_H

#include <stdbool.h>
#include <stdio.h>

struct jv;

/* New values, NULL when memory runs out.  jv_string copies s (NULL s: NULL). */
struct jv *jv_object(void);
struct jv *jv_array(void);
struct jv *jv_string(const char *s);
struct jv *jv_int(long long n);
struct jv *jv_bool(bool b);
struct jv *jv_null(void);

/*
 * Adds val under key (copied) to the object obj; keys keep the order they
 * were first set in, and setting a key again replaces its value in place.
 * jv_append adds val at the end of the array arr.  Both take val: on any
 * failure (val NULL, obj/arr of the wrong kind, no memory) val is freed and
 * the container is marked failed; a NULL container only frees val.
 */
void jv_set(struct jv *obj, const char *key, struct jv *val);
void jv_append(struct jv *arr, struct jv *val);

/* True when v is NULL or it, or any value inside it, failed to build. */
bool jv_failed(const struct jv *v);

void jv_free(struct jv *v);

/*
 * Writes v to f: pretty is two spaces of indent per level, one member per
 * line, "key": value, empty containers as [] and {}; otherwise compact (no
 * whitespace).  No trailing newline.  0, or -1 when v failed to build
 * (nothing written) or f reported a write error.
 */
int jv_write(FILE *f, const struct jv *v, bool pretty);
/* The same text in a malloc'd string; NULL when v failed or memory ran out. */
char *jv_to_string(const struct jv *v, bool pretty);

#endif
