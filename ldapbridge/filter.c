/*
 * filter.c - filter trees, their rendering, the base-filter validator and
 * the ANR builder.
 *
 * Values live raw in the tree and meet the text only in render_value(),
 * which calls lb_filter_escape(); there is no printf of a value anywhere.
 *
 * Memory: a tree's nodes, attribute names and values live in arena chunks
 * (struct chunk).  The top-level node of a tree owns the list of all the
 * chunks its subtree uses; attaching a child moves the child's chunks to
 * the parent, so freeing a tree is freeing that one list.  A node made by
 * a public constructor takes one malloc() sized for it and its copies; the
 * ANR builder puts a whole tree into one chunk sized up front.  (ANR runs
 * once per lookup, and a malloc per node, value and attribute used to cost
 * more than everything else ldapbridge does per lookup.)
 */
#include <ldapbridge/lb_filter.h>

#include <assert.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum node_kind {
	NODE_CMP = 1,
	NODE_PRESENT,
	NODE_SUBSTR,
	NODE_LIST,
	NODE_NOT,
	NODE_RAW
};

struct part {
	const char *ptr;  /* NULL when absent; points into the tree's chunks */
	size_t len;
};

struct chunk {
	struct chunk *next;
	size_t used, cap;
	max_align_t data[];
};

struct lb_filter {
	enum node_kind kind;
	int op;                     /* lb_filter_op or lb_filter_list_op */
	const char *attr;           /* CMP, PRESENT, SUBSTR: validated, NUL-terminated */
	size_t attr_len;
	struct part value;          /* CMP value; RAW text */
	struct part initial, final; /* SUBSTR */
	const struct part *any;     /* SUBSTR; may be shared between nodes */
	size_t n_any;
	lb_filter *first, *last;    /* LIST (n), NOT (1) children */
	lb_filter *next;            /* next sibling */
	size_t n_children;
	lb_filter *parent;          /* non-NULL once attached */
	unsigned height;            /* levels in this subtree, leaf = 1 */
	unsigned nodes;             /* nodes in this subtree */
	size_t bound;               /* upper bound of the rendered length */
	struct chunk *chunks;       /* owned chunks (top-level nodes only) */
	struct chunk *chunks_tail;
};

/* mingw-w64 with its C99 printf (the Windows build) checks formats as
 * gnu_printf; plain "printf" there would mean msvcrt's, without %zu. */
#ifdef __MINGW_PRINTF_FORMAT
#define FILTER_PRINTF __MINGW_PRINTF_FORMAT
#else
#define FILTER_PRINTF printf
#endif
static void filter_fail(struct lb_error *err, lb_err code, lb_step step,
                        const char *fmt, ...) __attribute__((format(FILTER_PRINTF, 4, 5)));

/* Messages carry fixed text and numbers only, never assertion values. */
static void filter_fail(struct lb_error *err, lb_err code, lb_step step,
                        const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	memset(err, 0, sizeof(*err));
	err->code = code;
	err->step = step;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
}

static lb_err nomem(struct lb_error *err)
{
	filter_fail(err, LB_E_NOMEM, LB_STEP_NONE, "out of memory building an LDAP filter");
	return LB_E_NOMEM;
}

/* ------------------------------------------------------------------------ */
/* Arenas                                                                    */

/* Chunks being filled while a tree is built; handed to its top node. */
struct arena {
	struct chunk *head;   /* newest chunk, the one allocations come from */
	struct chunk *tail;   /* oldest */
};

#define ARENA_ALIGN   alignof(max_align_t)
#define ARENA_MIN     1024
#define ALIGN_UP(n)   (((n) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1))
#define NODE_SIZE     ALIGN_UP(sizeof(struct lb_filter))

static void chunks_free(struct chunk *c)
{
	while (c != NULL) {
		struct chunk *next = c->next;

		free(c);
		c = next;
	}
}

static void arena_free(struct arena *a)
{
	chunks_free(a->head);
	a->head = a->tail = NULL;
}

/* Start a new chunk able to hold at least size bytes. */
static bool arena_grow(struct arena *a, size_t size)
{
	struct chunk *c;

	if (size > (size_t)-1 / 2)
		return false;
	c = malloc(sizeof(*c) + size);
	if (c == NULL)
		return false;
	c->next = a->head;
	c->used = 0;
	c->cap = size;
	a->head = c;
	if (a->tail == NULL)
		a->tail = c;
	return true;
}

/* size bytes, aligned for any object; NULL when out of memory. */
static void *arena_alloc(struct arena *a, size_t size)
{
	char *p;

	size = ALIGN_UP(size);
	if (a->head == NULL || a->head->cap - a->head->used < size) {
		if (!arena_grow(a, size > ARENA_MIN ? size : ARENA_MIN))
			return NULL;
	}
	p = (char *)a->head->data + a->head->used;
	a->head->used += size;
	return p;
}

/* Make room for size bytes in one chunk (so a tree usually takes one malloc). */
static bool arena_reserve(struct arena *a, size_t size)
{
	size = ALIGN_UP(size);
	if (a->head != NULL && a->head->cap - a->head->used >= size)
		return true;
	return arena_grow(a, size);
}

/* Copy of len bytes plus a NUL (values are binary-safe; the NUL is for
 * convenience only). */
static const char *arena_dup(struct arena *a, const char *src, size_t len)
{
	char *p = arena_alloc(a, len + 1);

	if (p != NULL) {
		if (len > 0)
			memcpy(p, src, len);
		p[len] = '\0';
	}
	return p;
}

/* Bytes arena_dup() takes for len bytes. */
#define DUP_SIZE(len) ALIGN_UP((len) + 1)

/* ------------------------------------------------------------------------ */
/* Nodes                                                                     */

static lb_filter *node_make(struct arena *a, enum node_kind kind, int op)
{
	lb_filter *f = arena_alloc(a, sizeof(*f));

	if (f != NULL) {
		memset(f, 0, sizeof(*f));
		f->kind = kind;
		f->op = op;
		f->height = 1;
		f->nodes = 1;
		f->bound = 3;   /* an empty list; leaf_bound() sets a leaf's */
	}
	return f;
}

static const unsigned char cmp_op_len[] = { 0, 1, 2, 2, 2 };

/*
 * Set a leaf's bound on its rendered length (values at 3 bytes per byte,
 * the most the escaper makes of one); inner nodes start at 3 for "(&)",
 * "(|)", "(!)" and attach() adds their children's.  lb_filter_render()
 * sizes its buffer from the bound without walking the tree.
 */
static void leaf_bound(lb_filter *f)
{
	switch (f->kind) {
	case NODE_RAW:
		f->bound = f->value.len;
		break;
	case NODE_CMP:
		f->bound = 2 + f->attr_len + cmp_op_len[f->op] + 3 * f->value.len;
		break;
	case NODE_PRESENT:
		f->bound = 2 + f->attr_len + 2;
		break;
	case NODE_SUBSTR:
		/* "(" attr "=" [initial] "*" (any "*")... [final] ")" */
		f->bound = 2 + f->attr_len + 2 + f->n_any + 3 * (f->initial.len + f->final.len);
		for (size_t i = 0; i < f->n_any; i++)
			f->bound += 3 * f->any[i].len;
		break;
	case NODE_LIST:
	case NODE_NOT:
		f->bound = 3;
		break;
	}
}

/* f, a top-level node, takes over the chunks of a. */
static void node_own(lb_filter *f, struct arena *a)
{
	assert(f->chunks == NULL);
	f->chunks = a->head;
	f->chunks_tail = a->tail;
	a->head = a->tail = NULL;
}

/* Move src's chunks (if it owns any) to dst. */
static void chunks_move(lb_filter *dst, lb_filter *src)
{
	if (src->chunks == NULL)
		return;
	if (dst->chunks == NULL)
		dst->chunks = src->chunks;
	else
		dst->chunks_tail->next = src->chunks;
	dst->chunks_tail = src->chunks_tail;
	src->chunks = src->chunks_tail = NULL;
}

/* Free what a top-level node owns: its whole tree.  A node that owns no
 * chunks lives in an arena someone else frees (the builder's, on an error
 * path), so there is nothing to do for it. */
static void node_free(lb_filter *f)
{
	if (f != NULL)
		chunks_free(f->chunks);
}

void lb_filter_free(lb_filter *filter)
{
	if (filter == NULL)
		return;
	assert(filter->parent == NULL && "freeing a node its parent still owns");
	node_free(filter);
}

static lb_err check_attr(const char *attr, struct lb_error *err)
{
	if (!lb_filter_attr_valid(attr)) {
		filter_fail(err, LB_E_FILTER, LB_STEP_NONE,
		            "invalid attribute description in filter: expected a name "
		            "(letter, then letters, digits, '-') or a numeric OID, "
		            "optionally with ;options, at most %d bytes",
		            LB_FILTER_MAX_ATTR);
		return LB_E_FILTER;
	}
	return LB_OK;
}

static lb_err value_too_long(size_t len, struct lb_error *err)
{
	filter_fail(err, LB_E_FILTER, LB_STEP_NONE,
	            "filter value of %zu bytes exceeds the limit of %d bytes",
	            len, LB_FILTER_MAX_VALUE);
	return LB_E_FILTER;
}

/* Resolve LB_NTS and check a value's length. */
static lb_err value_len(const char *value, size_t *len, struct lb_error *err)
{
	if (value == NULL && *len != 0) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE, "filter value is NULL");
		return LB_E_INVALID;
	}
	if (*len == LB_NTS)
		*len = strlen(value);
	if (*len > LB_FILTER_MAX_VALUE)
		return value_too_long(*len, err);
	return LB_OK;
}

/*
 * Leaf with an already validated attribute (attr_len bytes), made in a
 * fresh arena: the first chunk is sized for the node, the attribute and
 * extra more bytes (the values), so a leaf normally costs one malloc().
 * The caller copies its values from a, then hands a to the node.
 */
static lb_filter *leaf_new(struct arena *a, enum node_kind kind, int op,
                           const char *attr, size_t attr_len, size_t extra)
{
	lb_filter *f;

	if (!arena_reserve(a, NODE_SIZE + DUP_SIZE(attr_len) + extra))
		return NULL;
	f = node_make(a, kind, op);
	if (f == NULL || (f->attr = arena_dup(a, attr, attr_len)) == NULL)
		return NULL;
	f->attr_len = attr_len;
	return f;
}

lb_err lb_filter_cmp(lb_filter_op op, const char *attr, const char *value,
                     size_t len, lb_filter **out, struct lb_error *err)
{
	struct arena a = { NULL, NULL };
	lb_filter *f;
	lb_err rc;

	if (out == NULL || attr == NULL || value == NULL) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE, "lb_filter_cmp: NULL argument");
		rc = LB_E_INVALID;
		goto done;
	}
	if (op != LB_FILTER_EQ && op != LB_FILTER_GE && op != LB_FILTER_LE &&
	    op != LB_FILTER_APPROX) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE, "lb_filter_cmp: unknown operator %d", (int)op);
		rc = LB_E_INVALID;
		goto done;
	}
	rc = value_len(value, &len, err);
	if (rc != LB_OK)
		goto done;
	rc = check_attr(attr, err);
	if (rc != LB_OK)
		goto done;
	f = leaf_new(&a, NODE_CMP, op, attr, strlen(attr), DUP_SIZE(len));
	if (f == NULL || (f->value.ptr = arena_dup(&a, value, len)) == NULL) {
		rc = nomem(err);
		goto done;
	}
	f->value.len = len;
	leaf_bound(f);
	node_own(f, &a);
	*out = f;
done:
	arena_free(&a);
	return rc;
}

lb_err lb_filter_eq(const char *attr, const char *value, size_t len,
                    lb_filter **out, struct lb_error *err)
{
	return lb_filter_cmp(LB_FILTER_EQ, attr, value, len, out, err);
}

lb_err lb_filter_present(const char *attr, lb_filter **out, struct lb_error *err)
{
	struct arena a = { NULL, NULL };
	lb_filter *f;
	lb_err rc;

	if (out == NULL || attr == NULL) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE, "lb_filter_present: NULL argument");
		return LB_E_INVALID;
	}
	rc = check_attr(attr, err);
	if (rc != LB_OK)
		return rc;
	f = leaf_new(&a, NODE_PRESENT, 0, attr, strlen(attr), 0);
	if (f == NULL) {
		arena_free(&a);
		return nomem(err);
	}
	leaf_bound(f);
	node_own(f, &a);
	*out = f;
	return LB_OK;
}

lb_err lb_filter_substr(const char *attr, const char *initial, size_t initial_len,
                        const struct lb_filter_value *any, size_t n_any,
                        const char *final, size_t final_len,
                        lb_filter **out, struct lb_error *err)
{
	struct arena a = { NULL, NULL };
	size_t any_len[LB_FILTER_MAX_ANY];
	struct part *parts_any = NULL;
	lb_filter *f = NULL;
	lb_err rc = LB_OK;
	size_t parts = 0, extra = 0;

	if (out == NULL || attr == NULL || (any == NULL && n_any > 0)) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE, "lb_filter_substr: NULL argument");
		rc = LB_E_INVALID;
		goto done;
	}
	if (n_any > LB_FILTER_MAX_ANY) {
		filter_fail(err, LB_E_FILTER, LB_STEP_NONE,
		            "substring filter with %zu middle parts exceeds the limit of %d",
		            n_any, LB_FILTER_MAX_ANY);
		rc = LB_E_FILTER;
		goto done;
	}
	if (initial == NULL)
		initial_len = 0;
	if (final == NULL)
		final_len = 0;
	if ((rc = value_len(initial, &initial_len, err)) != LB_OK ||
	    (rc = value_len(final, &final_len, err)) != LB_OK)
		goto done;
	rc = check_attr(attr, err);
	if (rc != LB_OK)
		goto done;
	/* Lengths first, so that one chunk holds the node and every copy. */
	for (size_t i = 0; i < n_any; i++) {
		any_len[i] = any[i].len;
		if (any[i].ptr == NULL && any_len[i] == LB_NTS)
			any_len[i] = 0;
		rc = value_len(any[i].ptr, &any_len[i], err);
		if (rc != LB_OK)
			goto done;
		if (any_len[i] > 0) {
			extra += DUP_SIZE(any_len[i]);
			parts++;
		}
	}
	if (initial_len > 0) {
		extra += DUP_SIZE(initial_len);
		parts++;
	}
	if (final_len > 0) {
		extra += DUP_SIZE(final_len);
		parts++;
	}
	if (parts == 0) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE,
		            "substring filter without any non-empty part (use a presence filter)");
		rc = LB_E_INVALID;
		goto done;
	}
	extra += ALIGN_UP(n_any * sizeof(struct part));
	f = leaf_new(&a, NODE_SUBSTR, 0, attr, strlen(attr), extra);
	if (f == NULL)
		goto oom;
	if (initial_len > 0) {
		if ((f->initial.ptr = arena_dup(&a, initial, initial_len)) == NULL)
			goto oom;
		f->initial.len = initial_len;
	}
	if (final_len > 0) {
		if ((f->final.ptr = arena_dup(&a, final, final_len)) == NULL)
			goto oom;
		f->final.len = final_len;
	}
	if (n_any > 0) {
		parts_any = arena_alloc(&a, n_any * sizeof(*parts_any));
		if (parts_any == NULL)
			goto oom;
		for (size_t i = 0; i < n_any; i++) {
			if (any_len[i] == 0)
				continue;   /* "**" is not a valid filter: drop empty parts */
			parts_any[f->n_any].ptr = arena_dup(&a, any[i].ptr, any_len[i]);
			if (parts_any[f->n_any].ptr == NULL)
				goto oom;
			parts_any[f->n_any].len = any_len[i];
			f->n_any++;
		}
		f->any = parts_any;
	}
	leaf_bound(f);
	node_own(f, &a);
	*out = f;
	goto done;
oom:
	rc = nomem(err);
done:
	arena_free(&a);
	return rc;
}

lb_err lb_filter_prefix(const char *attr, const char *value, size_t len,
                        lb_filter **out, struct lb_error *err)
{
	if (value == NULL) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE, "lb_filter_prefix: NULL value");
		return LB_E_INVALID;
	}
	return lb_filter_substr(attr, value, len, NULL, 0, NULL, 0, out, err);
}

lb_err lb_filter_contains(const char *attr, const char *value, size_t len,
                          lb_filter **out, struct lb_error *err)
{
	struct lb_filter_value mid = { value, len };

	if (value == NULL) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE, "lb_filter_contains: NULL value");
		return LB_E_INVALID;
	}
	return lb_filter_substr(attr, NULL, 0, &mid, 1, NULL, 0, out, err);
}

/* A standalone node without attribute or values (LIST, NOT), owning its chunk. */
static lb_filter *inner_new(enum node_kind kind, int op)
{
	struct arena a = { NULL, NULL };
	lb_filter *f = NULL;

	if (arena_reserve(&a, NODE_SIZE))
		f = node_make(&a, kind, op);
	if (f == NULL) {
		arena_free(&a);
		return NULL;
	}
	node_own(f, &a);
	return f;
}

lb_err lb_filter_list(lb_filter_list_op op, lb_filter **out, struct lb_error *err)
{
	lb_filter *f;

	if (out == NULL || (op != LB_FILTER_AND && op != LB_FILTER_OR)) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE, "lb_filter_list: bad argument");
		return LB_E_INVALID;
	}
	f = inner_new(NODE_LIST, op);
	if (f == NULL)
		return nomem(err);
	*out = f;
	return LB_OK;
}

/*
 * Attach child as the first (at_front) or last child of parent (LIST or
 * NOT).  Consumes child: on failure it is freed (a no-op for a node that
 * lives in a builder's arena, which the builder frees).
 */
static lb_err attach(lb_filter *parent, lb_filter *child, bool at_front,
                     struct lb_error *err)
{
	lb_err rc = LB_OK;

	if (child->height + 1 > LB_FILTER_MAX_DEPTH) {
		filter_fail(err, LB_E_FILTER, LB_STEP_NONE,
		            "filter nesting exceeds the limit of %d levels", LB_FILTER_MAX_DEPTH);
		rc = LB_E_FILTER;
		goto done;
	}
	if (parent->nodes + child->nodes > LB_FILTER_MAX_NODES) {
		filter_fail(err, LB_E_FILTER, LB_STEP_NONE,
		            "filter exceeds the limit of %d nodes", LB_FILTER_MAX_NODES);
		rc = LB_E_FILTER;
		goto done;
	}
	if (parent->first == NULL) {
		parent->first = parent->last = child;
	} else if (at_front) {
		child->next = parent->first;
		parent->first = child;
	} else {
		parent->last->next = child;
		parent->last = child;
	}
	parent->n_children++;
	child->parent = parent;
	chunks_move(parent, child);
	if (child->height + 1 > parent->height)
		parent->height = child->height + 1;
	parent->nodes += child->nodes;
	parent->bound += child->bound;
	child = NULL;
done:
	node_free(child);
	return rc;
}

lb_err lb_filter_add(lb_filter *parent, lb_filter *child, struct lb_error *err)
{
	if (parent == NULL || child == NULL || parent->kind != NODE_LIST ||
	    parent->parent != NULL || child->parent != NULL || parent == child) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE,
		            "lb_filter_add: needs an unattached AND/OR parent and an unattached child");
		/* Consume the child unless doing so would corrupt another tree. */
		if (child != NULL && child->parent == NULL && child != parent)
			node_free(child);
		return LB_E_INVALID;
	}
	return attach(parent, child, false, err);
}

lb_err lb_filter_not(lb_filter *child, lb_filter **out, struct lb_error *err)
{
	lb_filter *f = NULL;
	lb_err rc;

	if (child == NULL || out == NULL || child->parent != NULL) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE,
		            "lb_filter_not: needs an unattached child and an output");
		if (child != NULL && child->parent == NULL)
			node_free(child);
		return LB_E_INVALID;
	}
	f = inner_new(NODE_NOT, 0);
	if (f == NULL) {
		node_free(child);
		return nomem(err);
	}
	rc = attach(f, child, false, err);
	if (rc != LB_OK) {
		node_free(f);
		return rc;
	}
	*out = f;
	return LB_OK;
}

/*
 * The only child of a one-child list, detached, else the list itself.  For
 * trees in a builder's arena only: the dropped list stays in the arena
 * (it owns no chunks, so nothing moves).
 */
static lb_filter *collapse_single(lb_filter *list)
{
	lb_filter *child;

	if (list->kind != NODE_LIST || list->n_children != 1)
		return list;
	assert(list->chunks == NULL);
	child = list->first;
	child->parent = NULL;
	child->next = NULL;
	return child;
}
/* ------------------------------------------------------------------------ */
/* Validation of filter text (RFC 4515 grammar)                              */

struct vparse {
	const char *s;
	size_t len, pos;
	const char *why;
};

static bool vp_fail(struct vparse *p, const char *why)
{
	if (p->why == NULL)
		p->why = why;
	return false;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Read an attribute description or rule name ending at a delimiter. */
static bool vp_name(struct vparse *p, bool options_ok)
{
	char name[LB_FILTER_MAX_ATTR + 1];
	size_t n = 0;

	while (p->pos < p->len) {
		char c = p->s[p->pos];

		if (c == '=' || c == '~' || c == '>' || c == '<' || c == ':' ||
		    c == '(' || c == ')')
			break;
		if (n == LB_FILTER_MAX_ATTR)
			return vp_fail(p, "attribute description too long");
		if (!options_ok && c == ';')
			return vp_fail(p, "matching rule with options");
		name[n++] = c;
		p->pos++;
	}
	name[n] = '\0';
	if (n == 0)
		return vp_fail(p, "missing attribute description");
	if (!lb_filter_attr_valid(name))
		return vp_fail(p, "invalid attribute description");
	return true;
}

/* Assertion value up to ')'; '*' allowed only when stars_ok. */
static bool vp_value(struct vparse *p, bool stars_ok)
{
	bool prev_star = false;

	while (p->pos < p->len && p->s[p->pos] != ')') {
		char c = p->s[p->pos];

		if (c == '(' || c == '\0')
			return vp_fail(p, "unescaped '(' or NUL in a value");
		if (c == '\\') {
			if (p->pos + 2 >= p->len || !is_hex(p->s[p->pos + 1]) ||
			    !is_hex(p->s[p->pos + 2]))
				return vp_fail(p, "'\\' not followed by two hex digits");
			p->pos += 3;
			prev_star = false;
			continue;
		}
		if (c == '*') {
			if (!stars_ok)
				return vp_fail(p, "'*' where no substring is allowed");
			if (prev_star)
				return vp_fail(p, "empty substring part (\"**\")");
			prev_star = true;
		} else {
			prev_star = false;
		}
		p->pos++;
	}
	return true;
}

static bool vp_accept(struct vparse *p, const char *tok)
{
	size_t n = strlen(tok);

	if (p->len - p->pos >= n && memcmp(p->s + p->pos, tok, n) == 0) {
		p->pos += n;
		return true;
	}
	return false;
}

/* Case-insensitive ":dn" followed by ':' (so an attribute named "dnx" is not it). */
static bool vp_accept_dn(struct vparse *p)
{
	if (p->len - p->pos >= 4 && p->s[p->pos] == ':' &&
	    (p->s[p->pos + 1] == 'd' || p->s[p->pos + 1] == 'D') &&
	    (p->s[p->pos + 2] == 'n' || p->s[p->pos + 2] == 'N') &&
	    p->s[p->pos + 3] == ':') {
		p->pos += 3;
		return true;
	}
	return false;
}

/* After "attr" or at ':': [":dn"] [":" rule] ":=" value. */
static bool vp_extensible(struct vparse *p, bool have_attr)
{
	bool have_rule = false;

	(void)vp_accept_dn(p);
	if (p->pos < p->len && p->s[p->pos] == ':' &&
	    !(p->pos + 1 < p->len && p->s[p->pos + 1] == '=')) {
		p->pos++;
		if (!vp_name(p, false))
			return false;
		have_rule = true;
	}
	if (!vp_accept(p, ":="))
		return vp_fail(p, "expected ':=' in an extensible match");
	if (!have_attr && !have_rule)
		return vp_fail(p, "extensible match without attribute or rule");
	return vp_value(p, false);
}

static bool vp_filter(struct vparse *p, unsigned depth)
{
	if (depth > LB_FILTER_MAX_DEPTH)
		return vp_fail(p, "nesting too deep");
	if (!vp_accept(p, "("))
		return vp_fail(p, "expected '('");
	if (p->pos >= p->len)
		return vp_fail(p, "unexpected end");
	switch (p->s[p->pos]) {
	case '&':
	case '|':
		p->pos++;
		while (p->pos < p->len && p->s[p->pos] == '(')
			if (!vp_filter(p, depth + 1))
				return false;
		break;
	case '!':
		p->pos++;
		if (!vp_filter(p, depth + 1))
			return false;
		break;
	case ':':
		if (!vp_extensible(p, false))
			return false;
		break;
	default:
		if (!vp_name(p, true))
			return false;
		if (vp_accept(p, "=")) {
			/* equality, presence, substring */
			if (!vp_value(p, true))
				return false;
		} else if (vp_accept(p, "~=") || vp_accept(p, ">=") || vp_accept(p, "<=")) {
			if (!vp_value(p, false))
				return false;
		} else if (p->pos < p->len && p->s[p->pos] == ':') {
			if (!vp_extensible(p, true))
				return false;
		} else {
			return vp_fail(p, "expected a filter type ('=', '~=', '>=', '<=', ':=')");
		}
		break;
	}
	if (!vp_accept(p, ")"))
		return vp_fail(p, "expected ')'");
	return true;
}

lb_err lb_filter_validate(const char *text, size_t len, struct lb_error *err)
{
	struct vparse p = { text, len, 0, NULL };

	if (text == NULL) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE, "lb_filter_validate: NULL text");
		return LB_E_INVALID;
	}
	if (len > LB_FILTER_MAX_TEXT) {
		filter_fail(err, LB_E_FILTER, LB_STEP_CONFIG,
		            "filter of %zu bytes exceeds the limit of %d bytes", len, LB_FILTER_MAX_TEXT);
		return LB_E_FILTER;
	}
	if (!lb_utf8_valid(text, len)) {
		filter_fail(err, LB_E_FILTER, LB_STEP_CONFIG, "filter is not valid UTF-8");
		return LB_E_FILTER;
	}
	if (vp_filter(&p, 1) && p.pos != len)
		vp_fail(&p, "text after the end of the filter");
	if (p.why != NULL) {
		filter_fail(err, LB_E_FILTER, LB_STEP_CONFIG,
		            "malformed LDAP filter at byte %zu: %s", p.pos, p.why);
		return LB_E_FILTER;
	}
	return LB_OK;
}


/* ------------------------------------------------------------------------ */
/* Raw (administrator) filters                                               */

static bool is_ascii_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * RAW node in arena a for an administrator's text, trimmed and wrapped in
 * parentheses when bare.  trusted: text is one of our constants, known to
 * be valid, so the validator is skipped.
 */
static lb_err raw_make(struct arena *a, const char *text, bool trusted,
                       lb_filter **out, struct lb_error *err)
{
	lb_filter *f = NULL;
	char *p;
	size_t start = 0, end, len, n = 0;
	bool wrap;
	lb_err rc;

	end = strnlen(text, LB_FILTER_MAX_TEXT + 1);
	while (start < end && is_ascii_space(text[start]))
		start++;
	while (end > start && is_ascii_space(text[end - 1]))
		end--;
	len = end - start;
	if (len == 0) {
		filter_fail(err, LB_E_FILTER, LB_STEP_CONFIG, "configured filter is empty");
		return LB_E_FILTER;
	}
	if (len > LB_FILTER_MAX_TEXT - 2) {
		filter_fail(err, LB_E_FILTER, LB_STEP_CONFIG,
		            "configured filter exceeds the limit of %d bytes", LB_FILTER_MAX_TEXT);
		return LB_E_FILTER;
	}
	wrap = text[start] != '(';
	/* room for an AND node above it too (lb_filter_with_base()) */
	if (!arena_reserve(a, 2 * NODE_SIZE + DUP_SIZE(len + 2)) ||
	    (f = node_make(a, NODE_RAW, 0)) == NULL || (p = arena_alloc(a, len + 3)) == NULL)
		return nomem(err);
	if (wrap)
		p[n++] = '(';
	memcpy(p + n, text + start, len);
	n += len;
	if (wrap)
		p[n++] = ')';
	p[n] = '\0';
	f->value.ptr = p;
	f->value.len = n;
	leaf_bound(f);
	if (!trusted) {
		rc = lb_filter_validate(p, n, err);
		if (rc != LB_OK)
			return rc;
	}
	*out = f;
	return LB_OK;
}

lb_err lb_filter_raw(const char *text, lb_filter **out, struct lb_error *err)
{
	struct arena a = { NULL, NULL };
	lb_filter *f = NULL;
	lb_err rc;

	if (text == NULL || out == NULL) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE, "lb_filter_raw: NULL argument");
		return LB_E_INVALID;
	}
	rc = raw_make(&a, text, false, &f, err);
	if (rc == LB_OK) {
		node_own(f, &a);
		*out = f;
	}
	arena_free(&a);
	return rc;
}

static bool blank(const char *s)
{
	if (s == NULL)
		return true;
	while (is_ascii_space(*s))
		s++;
	return *s == '\0';
}

/*
 * The body of lb_filter_with_base() for a base that is not blank: the raw
 * node (and a new AND node if needed) come from arena a.  Consumes filter.
 * When filter owns chunks (the public case) the caller hands a to the raw
 * node or the AND node as they are made; see lb_filter_with_base().
 */
static lb_err base_and(struct arena *a, const char *base, bool trusted, bool own,
                       lb_filter *filter, lb_filter **out, struct lb_error *err)
{
	lb_filter *raw = NULL, *list = NULL;
	lb_err rc;

	rc = raw_make(a, base, trusted, &raw, err);
	if (rc != LB_OK)
		goto done;
	if (filter->kind == NODE_LIST && filter->op == LB_FILTER_AND) {
		/* (&base (&a b)) reads better flattened as (&base a b) */
		if (own)
			node_own(raw, a);
		list = filter;
		filter = NULL;
	} else {
		list = node_make(a, NODE_LIST, LB_FILTER_AND);
		if (list == NULL) {
			rc = nomem(err);
			goto done;
		}
		if (own)
			node_own(list, a);
		rc = attach(list, filter, false, err);
		filter = NULL;
		if (rc != LB_OK)
			goto done;
	}
	rc = attach(list, raw, true, err);
	raw = NULL;
	if (rc != LB_OK)
		goto done;
	*out = list;
	list = NULL;
done:
	node_free(filter);
	node_free(list);
	return rc;
}

lb_err lb_filter_with_base(const char *base, lb_filter *filter, lb_filter **out,
                           struct lb_error *err)
{
	struct arena a = { NULL, NULL };
	lb_err rc;

	if (filter == NULL || out == NULL || filter->parent != NULL) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE,
		            "lb_filter_with_base: needs an unattached filter and an output");
		if (filter != NULL && filter->parent == NULL)
			node_free(filter);
		return LB_E_INVALID;
	}
	if (blank(base)) {
		*out = filter;
		return LB_OK;
	}
	rc = base_and(&a, base, false, true, filter, out, err);
	arena_free(&a);
	return rc;
}

/* ------------------------------------------------------------------------ */
/* Rendering                                                                 */

/*
 * Rendering is one malloc and one walk: every node keeps a bound on its
 * length (values counted at 3 bytes per byte, see leaf_bound()), so the
 * buffer is sized without a measuring pass.  Only when the bound exceeds
 * LB_FILTER_MAX_TEXT is the exact length computed, to tell a filter that
 * really is too long from a pessimistic bound.
 */

static const char *const cmp_ops[] = { "", "=", ">=", "<=", "~=" };

/* Bytes of f's text, exactly (the escaper says how long each value gets). */
static size_t text_len(const lb_filter *f)
{
#define VLEN(p) lb_filter_escape((p).ptr, (p).len, NULL, 0)
	size_t n;

	switch (f->kind) {
	case NODE_RAW:
		return f->value.len;
	case NODE_CMP:
		return 2 + f->attr_len + cmp_op_len[f->op] + VLEN(f->value);
	case NODE_PRESENT:
		return 2 + f->attr_len + 2;
	case NODE_SUBSTR:
		n = 2 + f->attr_len + 2 + f->n_any;   /* "(" attr "=" "*" ... ")" */
		if (f->initial.ptr != NULL)
			n += VLEN(f->initial);
		if (f->final.ptr != NULL)
			n += VLEN(f->final);
		for (size_t i = 0; i < f->n_any; i++)
			n += VLEN(f->any[i]);
		return n;
	case NODE_LIST:
	case NODE_NOT:
		n = 3;
		for (const lb_filter *c = f->first; c != NULL; c = c->next)
			n += text_len(c);
		return n;
	}
#undef VLEN
	return 0;
}

/* The only place a value enters filter text. */
static char *render_value(char *p, char *end, const struct part *v)
{
	return p + lb_filter_escape(v->ptr, v->len, p, (size_t)(end - p));
}

/* Write f at p (room up to end, which is kept free for the NUL). */
static char *render(char *p, char *end, const lb_filter *f)
{
	if (f->kind == NODE_RAW) {
		memcpy(p, f->value.ptr, f->value.len);
		return p + f->value.len;
	}
	*p++ = '(';
	switch (f->kind) {
	case NODE_CMP:
		memcpy(p, f->attr, f->attr_len);
		p += f->attr_len;
		memcpy(p, cmp_ops[f->op], cmp_op_len[f->op]);
		p += cmp_op_len[f->op];
		p = render_value(p, end, &f->value);
		break;
	case NODE_PRESENT:
		memcpy(p, f->attr, f->attr_len);
		p += f->attr_len;
		*p++ = '=';
		*p++ = '*';
		break;
	case NODE_SUBSTR:
		memcpy(p, f->attr, f->attr_len);
		p += f->attr_len;
		*p++ = '=';
		if (f->initial.ptr != NULL)
			p = render_value(p, end, &f->initial);
		*p++ = '*';
		for (size_t i = 0; i < f->n_any; i++) {
			p = render_value(p, end, &f->any[i]);
			*p++ = '*';
		}
		if (f->final.ptr != NULL)
			p = render_value(p, end, &f->final);
		break;
	case NODE_LIST:
	case NODE_NOT:
		*p++ = f->kind == NODE_NOT ? '!' : f->op == LB_FILTER_AND ? '&' : '|';
		for (const lb_filter *c = f->first; c != NULL; c = c->next)
			p = render(p, end, c);
		break;
	case NODE_RAW:
		break;
	}
	*p++ = ')';
	return p;
}

lb_err lb_filter_render(const lb_filter *filter, char **out, struct lb_error *err)
{
	char *buf, *end;
	size_t len;

	if (filter == NULL || out == NULL) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE, "lb_filter_render: NULL argument");
		return LB_E_INVALID;
	}
	len = filter->bound;
	if (len > LB_FILTER_MAX_TEXT)
		len = text_len(filter);
	if (len > LB_FILTER_MAX_TEXT) {
		filter_fail(err, LB_E_FILTER, LB_STEP_NONE,
		            "rendered filter exceeds the limit of %d bytes", LB_FILTER_MAX_TEXT);
		return LB_E_FILTER;
	}
	buf = malloc(len + 1);
	if (buf == NULL)
		return nomem(err);
	end = render(buf, buf + len + 1, filter);
	assert(end <= buf + len);
	*end = '\0';
	*out = buf;
	return LB_OK;
}

/* ------------------------------------------------------------------------ */
/* ANR                                                                       */

/*
 * The ANR builder makes its whole tree in one arena, sized up front from
 * the input, and uses the internal constructors below: attribute names
 * come from the constant tables (known valid, not copied) or from the
 * configuration (checked and copied once per call, on first use, in the
 * order the public constructors used to check them), the user's text is
 * copied once and every node's value points into that copy.  Limits and
 * error messages are those of the public constructors.
 */

struct attr_ref {
	const char *name;
	size_t len;
};

#define ATTR(s) { s, sizeof(s) - 1 }

static const struct attr_ref default_prefix_attrs[] = {
	ATTR("displayName"), ATTR("cn"), ATTR("sn"), ATTR("givenName"), ATTR("mail"), ATTR("uid")
};
static const struct attr_ref default_word_attrs[] = { ATTR("displayName"), ATTR("cn") };
static const struct attr_ref default_exact_attrs[] = { ATTR("mail"), ATTR("uid") };
static const struct attr_ref default_exact_attrs_ad[] = {
	ATTR("mail"), ATTR("sAMAccountName"), ATTR("userPrincipalName")
};
static const struct attr_ref attr_given = ATTR("givenName");
static const struct attr_ref attr_surname = ATTR("sn");
static const struct attr_ref attr_anr = ATTR("anr");
static const struct attr_ref attr_mail = ATTR("mail");
static const char default_ad_base[] = "(|(objectCategory=person)(objectCategory=group))";

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* A list of attribute names: the defaults, or configured names. */
struct attr_list {
	const struct attr_ref *defaults;   /* used when names is NULL */
	const char *const *names;          /* configured, borrowed */
	size_t n;
	struct attr_ref *checked;          /* configured names checked and copied */
	const char *null_msg;              /* error for a NULL configured name */
};

static void attr_list_init(struct attr_list *l, const char *const *names, size_t n,
                           const struct attr_ref *defaults, size_t n_defaults,
                           const char *null_msg)
{
	l->defaults = defaults;
	l->names = names;
	l->n = names != NULL ? n : n_defaults;
	l->checked = NULL;
	l->null_msg = null_msg;
}

/* No value to check before the attribute (see attr_copy()). */
#define NO_VALUE ((size_t)-1)

/*
 * Check and copy a configured attribute name into the tree's arena.  The
 * public constructors refuse a NULL name first, then a value over the
 * limit, then a bad name; vlen (or NO_VALUE) keeps that order.
 */
static lb_err attr_copy(struct arena *a, const char *name, const char *null_msg,
                        size_t vlen, struct attr_ref *out, struct lb_error *err)
{
	lb_err rc;

	if (name == NULL) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE, "%s", null_msg);
		return LB_E_INVALID;
	}
	if (vlen != NO_VALUE && vlen > LB_FILTER_MAX_VALUE)
		return value_too_long(vlen, err);
	rc = check_attr(name, err);
	if (rc != LB_OK)
		return rc;
	out->len = strlen(name);
	out->name = arena_dup(a, name, out->len);
	return out->name != NULL ? LB_OK : nomem(err);
}

/*
 * Name i of l: a default as is, a configured one checked and copied once
 * per call.  vlen: the value the node will hold, checked in the public
 * constructors' order (NO_VALUE: the caller checks it after the name).
 */
static lb_err attr_get(struct arena *a, struct attr_list *l, size_t i, size_t vlen,
                       struct attr_ref *out, struct lb_error *err)
{
	/* More children than this cannot get into one list (node limit), so
	 * a bigger configured list never gets this far; the cap only bounds
	 * the memo for a hostile n. */
	size_t cap = l->n < LB_FILTER_MAX_NODES ? l->n : LB_FILTER_MAX_NODES;
	lb_err rc;

	assert(i < l->n);
	if (l->names == NULL || (i < cap && l->checked != NULL && l->checked[i].name != NULL)) {
		if (vlen != NO_VALUE && vlen > LB_FILTER_MAX_VALUE)
			return value_too_long(vlen, err);
		*out = l->names == NULL ? l->defaults[i] : l->checked[i];
		return LB_OK;
	}
	if (i >= cap)
		return attr_copy(a, l->names[i], l->null_msg, vlen, out, err);
	if (l->checked == NULL) {
		l->checked = arena_alloc(a, cap * sizeof(*l->checked));
		if (l->checked == NULL)
			return nomem(err);
		memset(l->checked, 0, cap * sizeof(*l->checked));
	}
	rc = attr_copy(a, l->names[i], l->null_msg, vlen, &l->checked[i], err);
	if (rc != LB_OK)
		return rc;
	*out = l->checked[i];
	return LB_OK;
}

/* One attribute given in the configuration (NULL: the default), for a
 * prefix node holding vlen bytes. */
static lb_err attr_one(struct arena *a, const char *configured, const struct attr_ref *dflt,
                       size_t vlen, struct attr_ref *out, struct lb_error *err)
{
	if (configured == NULL) {
		if (vlen > LB_FILTER_MAX_VALUE)
			return value_too_long(vlen, err);
		*out = *dflt;
		return LB_OK;
	}
	return attr_copy(a, configured, "lb_filter_substr: NULL argument", vlen, out, err);
}

/* Leaf in the builder's arena; attr is valid and lives as long as the tree. */
static lb_filter *leaf_in(struct arena *a, enum node_kind kind, int op,
                          const struct attr_ref *attr, struct lb_error *err)
{
	lb_filter *f = node_make(a, kind, op);

	if (f == NULL) {
		(void)nomem(err);
		return NULL;
	}
	f->attr = attr->name;
	f->attr_len = attr->len;
	return f;
}

/* Append (attr=v*) to list; v lives in the arena. */
static lb_err add_prefix_in(struct arena *a, lb_filter *list, const struct attr_ref *attr,
                            struct part v, struct lb_error *err)
{
	lb_filter *f;

	if (v.len > LB_FILTER_MAX_VALUE)
		return value_too_long(v.len, err);
	f = leaf_in(a, NODE_SUBSTR, 0, attr, err);
	if (f == NULL)
		return LB_E_NOMEM;
	f->initial = v;
	leaf_bound(f);
	return attach(list, f, false, err);
}

/* Append (attr=<v>) with op to list. */
static lb_err add_cmp_in(struct arena *a, lb_filter *list, int op, const struct attr_ref *attr,
                         struct part v, struct lb_error *err)
{
	lb_filter *f;

	if (v.len > LB_FILTER_MAX_VALUE)
		return value_too_long(v.len, err);
	f = leaf_in(a, NODE_CMP, op, attr, err);
	if (f == NULL)
		return LB_E_NOMEM;
	f->value = v;
	leaf_bound(f);
	return attach(list, f, false, err);
}

static lb_filter *list_in(struct arena *a, lb_filter_list_op op, struct lb_error *err)
{
	lb_filter *f = node_make(a, NODE_LIST, op);

	if (f == NULL)
		(void)nomem(err);
	return f;
}

struct span {
	const char *p;
	size_t len;
};

/* Bytes of the whitespace character at s, or 0. */
static size_t space_at(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;

	if (len >= 1 && is_ascii_space(s[0]))
		return 1;
	if (len >= 2 && u[0] == 0xC2 && u[1] == 0xA0)                  /* U+00A0 */
		return 2;
	if (len >= 3 && u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)  /* U+3000 */
		return 3;
	return 0;
}

static struct span trim(struct span in)
{
	size_t n;

	while (in.len > 0 && (n = space_at(in.p, in.len)) > 0) {
		in.p += n;
		in.len -= n;
	}
	for (;;) {
		/* the trailing characters are 1, 2 or 3 bytes long */
		if (in.len >= 1 && is_ascii_space(in.p[in.len - 1]))
			in.len -= 1;
		else if (in.len >= 2 && space_at(in.p + in.len - 2, 2) == 2)
			in.len -= 2;
		else if (in.len >= 3 && space_at(in.p + in.len - 3, 3) == 3)
			in.len -= 3;
		else
			break;
	}
	return in;
}

/* Check and trim the user's input. */
static lb_err anr_input(const struct lb_anr_config *cfg, const char *input,
                        struct span *out, struct lb_error *err)
{
	size_t cap = cfg->max_input ? cfg->max_input : LB_ANR_MAX_INPUT_DEFAULT;
	size_t raw_len;
	struct span s;

	/* bound strlen: nobody types megabytes of leading whitespace */
	raw_len = strnlen(input, cap * 4 + 64);
	if (input[raw_len] != '\0') {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE,
		            "search text exceeds the limit of %zu bytes", cap);
		return LB_E_INVALID;
	}
	if (!lb_utf8_valid(input, raw_len)) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE, "search text is not valid UTF-8");
		return LB_E_INVALID;
	}
	s.p = input;
	s.len = raw_len;
	s = trim(s);
	if (s.len == 0) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE,
		            "search text is empty or blank; it matches nothing");
		return LB_E_INVALID;
	}
	if (s.len > cap) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE,
		            "search text of %zu bytes exceeds the limit of %zu bytes", s.len, cap);
		return LB_E_INVALID;
	}
	*out = s;
	return LB_OK;
}

/* Split at whitespace runs and commas. */
static lb_err split_words(struct span s, struct span *words, size_t *n_words,
                          struct lb_error *err)
{
	size_t i = 0, n = 0;

	while (i < s.len) {
		size_t sp = space_at(s.p + i, s.len - i), start;

		if (sp > 0 || s.p[i] == ',') {
			i += sp > 0 ? sp : 1;
			continue;
		}
		start = i;
		while (i < s.len && s.p[i] != ',' && space_at(s.p + i, s.len - i) == 0)
			i++;
		if (n == LB_ANR_MAX_WORDS) {
			filter_fail(err, LB_E_INVALID, LB_STEP_NONE,
			            "search text has more than %d words", LB_ANR_MAX_WORDS);
			return LB_E_INVALID;
		}
		words[n].p = s.p + start;
		words[n].len = i - start;
		n++;
	}
	*n_words = n;
	return LB_OK;
}

/* Split "Last, First" at its only comma; false when the input is not so. */
static bool comma_split(struct span s, struct span *last, struct span *first)
{
	const char *comma = memchr(s.p, ',', s.len);

	if (comma == NULL || memchr(comma + 1, ',', s.len - (size_t)(comma + 1 - s.p)) != NULL)
		return false;
	last->p = s.p;
	last->len = (size_t)(comma - s.p);
	first->p = comma + 1;
	first->len = s.len - last->len - 1;
	*last = trim(*last);
	*first = trim(*first);
	return last->len > 0 && first->len > 0;
}

/* State of one ANR build. */
struct anr {
	struct arena a;
	const struct lb_anr_config *cfg;
	struct span s;        /* the trimmed input, borrowed */
	const char *copy;     /* the same bytes in the arena */
};

/* The arena copy of a span of the input. */
static struct part in_copy(const struct anr *b, struct span w)
{
	struct part p = { b->copy + (w.p - b->s.p), w.len };

	return p;
}

/* W(w) = (|(p=w*)...(d=* w*)...), collapsed when it has one term. */
static lb_err word_filter(struct anr *b, struct attr_list *pa, struct attr_list *wa,
                          struct span word, lb_filter **out, struct lb_error *err)
{
	struct part w = in_copy(b, word);
	struct part *spaced = NULL;
	struct attr_ref attr;
	lb_filter *list, *f;
	lb_err rc = LB_OK;

	list = list_in(&b->a, LB_FILTER_OR, err);
	if (list == NULL)
		return LB_E_NOMEM;
	for (size_t i = 0; i < pa->n; i++) {
		if ((rc = attr_get(&b->a, pa, i, w.len, &attr, err)) != LB_OK ||
		    (rc = add_prefix_in(&b->a, list, &attr, w, err)) != LB_OK)
			return rc;
	}
	for (size_t i = 0; i < wa->n; i++) {
		/* "* w*": the word starts after a space inside the value; one
		 * copy of " w" serves every word attribute */
		rc = attr_get(&b->a, wa, i, NO_VALUE, &attr, err);
		if (rc != LB_OK)
			return rc;
		if (w.len + 1 > LB_FILTER_MAX_VALUE)
			return value_too_long(w.len + 1, err);
		if (spaced == NULL) {
			char *text = arena_alloc(&b->a, w.len + 2);

			spaced = arena_alloc(&b->a, sizeof(*spaced));
			if (text == NULL || spaced == NULL)
				return nomem(err);
			text[0] = ' ';
			memcpy(text + 1, w.ptr, w.len);
			text[w.len + 1] = '\0';
			spaced->ptr = text;
			spaced->len = w.len + 1;
		}
		f = leaf_in(&b->a, NODE_SUBSTR, 0, &attr, err);
		if (f == NULL)
			return LB_E_NOMEM;
		f->any = spaced;
		f->n_any = 1;
		leaf_bound(f);
		rc = attach(list, f, false, err);
		if (rc != LB_OK)
			return rc;
	}
	*out = collapse_single(list);
	return LB_OK;
}

/* (&(a1=v1*)(a2=v2*)); a1 and a2 configured (or NULL for the defaults). */
static lb_err pair_filter(struct anr *b, const char *a1, const struct attr_ref *d1,
                          struct span v1, const char *a2, const struct attr_ref *d2,
                          struct span v2, lb_filter **out, struct lb_error *err)
{
	struct attr_ref attr;
	lb_filter *list = list_in(&b->a, LB_FILTER_AND, err);
	lb_err rc;

	if (list == NULL)
		return LB_E_NOMEM;
	if ((rc = attr_one(&b->a, a1, d1, v1.len, &attr, err)) != LB_OK ||
	    (rc = add_prefix_in(&b->a, list, &attr, in_copy(b, v1), err)) != LB_OK)
		return rc;
	if ((rc = attr_one(&b->a, a2, d2, v2.len, &attr, err)) != LB_OK ||
	    (rc = add_prefix_in(&b->a, list, &attr, in_copy(b, v2), err)) != LB_OK)
		return rc;
	*out = list;
	return LB_OK;
}

/* Base filter per configuration (AD default included). */
static const char *anr_base(const struct lb_anr_config *cfg)
{
	if (cfg->base_filter == NULL && cfg->active_directory)
		return default_ad_base;
	return cfg->base_filter;
}

/* Size the arena for a tree of about nodes nodes and bytes more bytes,
 * base filter included, then copy the input into it. */
static lb_err anr_start(struct anr *b, size_t nodes, size_t bytes, struct lb_error *err)
{
	const char *base = anr_base(b->cfg);

	if (nodes > LB_FILTER_MAX_NODES)
		nodes = LB_FILTER_MAX_NODES;   /* the limit refuses more anyway */
	bytes += (nodes + 2) * NODE_SIZE + DUP_SIZE(b->s.len);
	if (!blank(base))
		bytes += DUP_SIZE(strnlen(base, LB_FILTER_MAX_TEXT + 1) + 2);
	if (!arena_reserve(&b->a, bytes) ||
	    (b->copy = arena_dup(&b->a, b->s.p, b->s.len)) == NULL)
		return nomem(err);
	return LB_OK;
}

/* Configured list of n names: room for the memo and the copies. */
static size_t attrs_bytes(const char *const *names, size_t n)
{
	if (names == NULL)
		return 0;
	if (n > LB_FILTER_MAX_NODES)
		n = LB_FILTER_MAX_NODES;
	return ALIGN_UP(n * sizeof(struct attr_ref)) + n * 32;
}

static lb_err anr_ad(struct anr *b, lb_filter **out, struct lb_error *err)
{
	struct span s = b->s;
	struct part v;
	lb_filter *f, *list;
	char *collapsed;
	size_t n = 0;
	lb_err rc;
	bool at = memchr(s.p, '@', s.len) != NULL;

	rc = anr_start(b, 3, DUP_SIZE(s.len), err);
	if (rc != LB_OK)
		return rc;
	/* Whitespace runs (any of ours) become one ASCII space. */
	collapsed = arena_alloc(&b->a, s.len + 1);
	if (collapsed == NULL)
		return nomem(err);
	for (size_t i = 0; i < s.len;) {
		size_t sp = space_at(s.p + i, s.len - i);

		if (sp > 0) {
			if (n > 0 && collapsed[n - 1] != ' ')
				collapsed[n++] = ' ';
			i += sp;
		} else {
			collapsed[n++] = s.p[i++];
		}
	}
	collapsed[n] = '\0';
	if (n > LB_FILTER_MAX_VALUE)
		return value_too_long(n, err);
	f = leaf_in(&b->a, NODE_CMP, LB_FILTER_EQ, &attr_anr, err);
	if (f == NULL)
		return LB_E_NOMEM;
	f->value.ptr = collapsed;
	f->value.len = n;
	leaf_bound(f);
	if (at) {
		/* AD's anr does not look at mail; an address must still match */
		list = list_in(&b->a, LB_FILTER_OR, err);
		if (list == NULL)
			return LB_E_NOMEM;
		v.ptr = b->copy;
		v.len = s.len;
		if ((rc = attach(list, f, false, err)) != LB_OK ||
		    (rc = add_cmp_in(&b->a, list, LB_FILTER_EQ, &attr_mail, v, err)) != LB_OK)
			return rc;
		f = list;
	}
	*out = f;
	return LB_OK;
}

static lb_err anr_emulated(struct anr *b, lb_filter **out, struct lb_error *err)
{
	const struct lb_anr_config *cfg = b->cfg;
	struct span words[LB_ANR_MAX_WORDS], last, first;
	struct attr_list pa, wa;
	lb_filter *all, *split = NULL, *any;
	size_t n_words = 0, bytes;
	bool has_comma = memchr(b->s.p, ',', b->s.len) != NULL;
	lb_err rc;

	rc = split_words(b->s, words, &n_words, err);
	if (rc != LB_OK)
		return rc;
	if (n_words == 0) {
		/* only commas and blanks */
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE,
		            "search text has no words; it matches nothing");
		return LB_E_INVALID;
	}
	attr_list_init(&pa, cfg->prefix_attrs, cfg->n_prefix_attrs, default_prefix_attrs,
	               N_ELEMS(default_prefix_attrs), "lb_filter_substr: NULL argument");
	attr_list_init(&wa, cfg->word_attrs, cfg->n_word_attrs, default_word_attrs,
	               N_ELEMS(default_word_attrs), "lb_filter_substr: NULL argument");
	if (pa.n + wa.n == 0) {
		filter_fail(err, LB_E_FILTER, LB_STEP_CONFIG, "no ANR attributes configured");
		return LB_E_FILTER;
	}
	bytes = attrs_bytes(pa.names, pa.n) + attrs_bytes(wa.names, wa.n) + 64;
	for (size_t i = 0; i < n_words; i++)
		bytes += DUP_SIZE(words[i].len + 1) + ALIGN_UP(sizeof(struct part));
	rc = anr_start(b, n_words * (pa.n + wa.n + 1) + 5, bytes, err);
	if (rc != LB_OK)
		return rc;
	all = list_in(&b->a, LB_FILTER_AND, err);
	if (all == NULL)
		return LB_E_NOMEM;
	for (size_t i = 0; i < n_words; i++) {
		lb_filter *w = NULL;

		if ((rc = word_filter(b, &pa, &wa, words[i], &w, err)) != LB_OK ||
		    (rc = attach(all, w, false, err)) != LB_OK)
			return rc;
	}
	all = collapse_single(all);
	if (!has_comma && n_words == 2)
		rc = pair_filter(b, cfg->given_name_attr, &attr_given, words[0],
		                 cfg->surname_attr, &attr_surname, words[1], &split, err);
	else if (has_comma && comma_split(b->s, &last, &first))
		rc = pair_filter(b, cfg->surname_attr, &attr_surname, last,
		                 cfg->given_name_attr, &attr_given, first, &split, err);
	if (rc != LB_OK)
		return rc;
	if (split == NULL) {
		*out = all;
		return LB_OK;
	}
	any = list_in(&b->a, LB_FILTER_OR, err);
	if (any == NULL)
		return LB_E_NOMEM;
	if ((rc = attach(any, split, false, err)) != LB_OK ||
	    (rc = attach(any, all, false, err)) != LB_OK)
		return rc;
	*out = any;
	return LB_OK;
}

/* Put the base filter on f, hand the arena to the result, store it in *out. */
static lb_err anr_finish(struct anr *b, lb_filter *f, lb_filter **out, struct lb_error *err)
{
	const char *base = anr_base(b->cfg);
	lb_err rc;

	if (!blank(base)) {
		/* our constant AD default is known to be valid */
		rc = base_and(&b->a, base, base == default_ad_base, false, f, &f, err);
		if (rc != LB_OK)
			return rc;
	}
	node_own(f, &b->a);
	*out = f;
	return LB_OK;
}

lb_err lb_anr_build(const struct lb_anr_config *cfg, const char *input_utf8,
                    lb_filter **out, struct lb_error *err)
{
	static const struct lb_anr_config defaults;
	struct anr b = { { NULL, NULL }, NULL, { NULL, 0 }, NULL };
	lb_filter *f = NULL;
	lb_err rc;

	if (input_utf8 == NULL || out == NULL) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE, "lb_anr_build: NULL argument");
		return LB_E_INVALID;
	}
	b.cfg = cfg != NULL ? cfg : &defaults;
	rc = anr_input(b.cfg, input_utf8, &b.s, err);
	if (rc != LB_OK)
		goto done;
	rc = b.cfg->active_directory ? anr_ad(&b, &f, err) : anr_emulated(&b, &f, err);
	if (rc != LB_OK)
		goto done;
	rc = anr_finish(&b, f, out, err);
done:
	arena_free(&b.a);
	return rc;
}

lb_err lb_anr_build_exact(const struct lb_anr_config *cfg, const char *input_utf8,
                          lb_filter **out, struct lb_error *err)
{
	static const struct lb_anr_config defaults;
	struct anr b = { { NULL, NULL }, NULL, { NULL, 0 }, NULL };
	struct attr_list ea;
	struct attr_ref attr;
	struct part v;
	lb_filter *list;
	lb_err rc;

	if (input_utf8 == NULL || out == NULL) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE, "lb_anr_build_exact: NULL argument");
		return LB_E_INVALID;
	}
	b.cfg = cfg != NULL ? cfg : &defaults;
	if (b.cfg->active_directory)
		attr_list_init(&ea, b.cfg->exact_attrs, b.cfg->n_exact_attrs, default_exact_attrs_ad,
		               N_ELEMS(default_exact_attrs_ad), "lb_filter_cmp: NULL argument");
	else
		attr_list_init(&ea, b.cfg->exact_attrs, b.cfg->n_exact_attrs, default_exact_attrs,
		               N_ELEMS(default_exact_attrs), "lb_filter_cmp: NULL argument");
	if (ea.n == 0) {
		filter_fail(err, LB_E_FILTER, LB_STEP_CONFIG, "no exact-match attributes configured");
		return LB_E_FILTER;
	}
	rc = anr_input(b.cfg, input_utf8, &b.s, err);
	if (rc != LB_OK)
		goto done;
	rc = anr_start(&b, ea.n + 1, attrs_bytes(ea.names, ea.n), err);
	if (rc != LB_OK)
		goto done;
	list = list_in(&b.a, LB_FILTER_OR, err);
	if (list == NULL) {
		rc = LB_E_NOMEM;
		goto done;
	}
	v.ptr = b.copy;
	v.len = b.s.len;
	for (size_t i = 0; i < ea.n; i++) {
		if ((rc = attr_get(&b.a, &ea, i, v.len, &attr, err)) != LB_OK ||
		    (rc = add_cmp_in(&b.a, list, LB_FILTER_EQ, &attr, v, err)) != LB_OK)
			goto done;
	}
	rc = anr_finish(&b, collapse_single(list), out, err);
done:
	arena_free(&b.a);
	return rc;
}
