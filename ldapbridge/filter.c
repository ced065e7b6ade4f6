/*
 * filter.c - filter trees, their rendering, the base-filter validator and
 * the ANR builder.
 *
 * Values live raw in the tree and meet the text only in render_value(),
 * which calls lb_filter_escape(); there is no printf of a value anywhere.
 */
#include <ldapbridge/lb_filter.h>

#include <assert.h>
#include <stdarg.h>
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
	char *ptr;      /* NULL when absent; malloc'd copy otherwise */
	size_t len;
};

struct lb_filter {
	enum node_kind kind;
	int op;                     /* lb_filter_op or lb_filter_list_op */
	char *attr;                 /* CMP, PRESENT, SUBSTR */
	struct part value;          /* CMP value; RAW text */
	struct part initial, final; /* SUBSTR */
	struct part *any;
	size_t n_any;
	lb_filter **children;       /* LIST (n), NOT (1) */
	size_t n_children, cap_children;
	lb_filter *parent;          /* non-NULL once attached */
	unsigned height;            /* levels in this subtree, leaf = 1 */
	unsigned nodes;             /* nodes in this subtree */
};

static void filter_fail(struct lb_error *err, lb_err code, lb_step step,
                        const char *fmt, ...) __attribute__((format(printf, 4, 5)));

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
/* Nodes                                                                     */

static lb_filter *node_new(enum node_kind kind, int op)
{
	lb_filter *f = calloc(1, sizeof(*f));

	if (f != NULL) {
		f->kind = kind;
		f->op = op;
		f->height = 1;
		f->nodes = 1;
	}
	return f;
}

static void node_free(lb_filter *f)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->n_children; i++)
		node_free(f->children[i]);
	free(f->children);
	for (size_t i = 0; i < f->n_any; i++)
		free(f->any[i].ptr);
	free(f->any);
	free(f->attr);
	free(f->value.ptr);
	free(f->initial.ptr);
	free(f->final.ptr);
	free(f);
}

void lb_filter_free(lb_filter *filter)
{
	if (filter == NULL)
		return;
	assert(filter->parent == NULL && "freeing a node its parent still owns");
	node_free(filter);
}

/* Copy len bytes (plus a NUL for convenience) into p. */
static bool part_set(struct part *p, const char *src, size_t len)
{
	p->ptr = malloc(len + 1);
	if (p->ptr == NULL)
		return false;
	if (len > 0)
		memcpy(p->ptr, src, len);
	p->ptr[len] = '\0';
	p->len = len;
	return true;
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

/* Resolve LB_NTS and check a value's length. */
static lb_err value_len(const char *value, size_t *len, struct lb_error *err)
{
	if (value == NULL && *len != 0) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE, "filter value is NULL");
		return LB_E_INVALID;
	}
	if (*len == LB_NTS)
		*len = strlen(value);
	if (*len > LB_FILTER_MAX_VALUE) {
		filter_fail(err, LB_E_FILTER, LB_STEP_NONE,
		            "filter value of %zu bytes exceeds the limit of %d bytes",
		            *len, LB_FILTER_MAX_VALUE);
		return LB_E_FILTER;
	}
	return LB_OK;
}

/* Node with a validated, copied attribute. */
static lb_err attr_node(enum node_kind kind, int op, const char *attr,
                        lb_filter **out, struct lb_error *err)
{
	lb_filter *f = NULL;
	lb_err rc = check_attr(attr, err);

	if (rc != LB_OK)
		return rc;
	f = node_new(kind, op);
	if (f == NULL || (f->attr = strdup(attr)) == NULL) {
		node_free(f);
		return nomem(err);
	}
	*out = f;
	return LB_OK;
}

lb_err lb_filter_cmp(lb_filter_op op, const char *attr, const char *value,
                     size_t len, lb_filter **out, struct lb_error *err)
{
	lb_filter *f = NULL;
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
	rc = attr_node(NODE_CMP, op, attr, &f, err);
	if (rc != LB_OK)
		goto done;
	if (!part_set(&f->value, value, len)) {
		rc = nomem(err);
		goto done;
	}
	*out = f;
	f = NULL;
done:
	node_free(f);
	return rc;
}

lb_err lb_filter_eq(const char *attr, const char *value, size_t len,
                    lb_filter **out, struct lb_error *err)
{
	return lb_filter_cmp(LB_FILTER_EQ, attr, value, len, out, err);
}

lb_err lb_filter_present(const char *attr, lb_filter **out, struct lb_error *err)
{
	if (out == NULL || attr == NULL) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE, "lb_filter_present: NULL argument");
		return LB_E_INVALID;
	}
	return attr_node(NODE_PRESENT, 0, attr, out, err);
}

lb_err lb_filter_substr(const char *attr, const char *initial, size_t initial_len,
                        const struct lb_filter_value *any, size_t n_any,
                        const char *final, size_t final_len,
                        lb_filter **out, struct lb_error *err)
{
	lb_filter *f = NULL;
	lb_err rc = LB_OK;
	size_t parts = 0;

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
	rc = attr_node(NODE_SUBSTR, 0, attr, &f, err);
	if (rc != LB_OK)
		goto done;
	if (initial_len > 0) {
		if (!part_set(&f->initial, initial, initial_len))
			goto oom;
		parts++;
	}
	if (final_len > 0) {
		if (!part_set(&f->final, final, final_len))
			goto oom;
		parts++;
	}
	if (n_any > 0) {
		f->any = calloc(n_any, sizeof(*f->any));
		if (f->any == NULL)
			goto oom;
		for (size_t i = 0; i < n_any; i++) {
			size_t len = any[i].len;

			if (any[i].ptr == NULL && len == LB_NTS)
				len = 0;
			rc = value_len(any[i].ptr, &len, err);
			if (rc != LB_OK)
				goto done;
			if (len == 0)
				continue;   /* "**" is not a valid filter: drop empty parts */
			if (!part_set(&f->any[f->n_any], any[i].ptr, len))
				goto oom;
			f->n_any++;
			parts++;
		}
	}
	if (parts == 0) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE,
		            "substring filter without any non-empty part (use a presence filter)");
		rc = LB_E_INVALID;
		goto done;
	}
	*out = f;
	f = NULL;
	goto done;
oom:
	rc = nomem(err);
done:
	node_free(f);
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

lb_err lb_filter_list(lb_filter_list_op op, lb_filter **out, struct lb_error *err)
{
	lb_filter *f;

	if (out == NULL || (op != LB_FILTER_AND && op != LB_FILTER_OR)) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE, "lb_filter_list: bad argument");
		return LB_E_INVALID;
	}
	f = node_new(NODE_LIST, op);
	if (f == NULL)
		return nomem(err);
	*out = f;
	return LB_OK;
}

/* Attach child at position index of parent (LIST or NOT).  Consumes child. */
static lb_err attach(lb_filter *parent, lb_filter *child, size_t index,
                     struct lb_error *err)
{
	lb_err rc = LB_OK;

	assert(index <= parent->n_children);
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
	if (parent->n_children == parent->cap_children) {
		size_t cap = parent->cap_children ? parent->cap_children * 2 : 4;
		lb_filter **grown = realloc(parent->children, cap * sizeof(*grown));

		if (grown == NULL) {
			rc = nomem(err);
			goto done;
		}
		parent->children = grown;
		parent->cap_children = cap;
	}
	memmove(parent->children + index + 1, parent->children + index,
	        (parent->n_children - index) * sizeof(*parent->children));
	parent->children[index] = child;
	parent->n_children++;
	child->parent = parent;
	if (child->height + 1 > parent->height)
		parent->height = child->height + 1;
	parent->nodes += child->nodes;
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
	return attach(parent, child, parent->n_children, err);
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
	f = node_new(NODE_NOT, 0);
	if (f == NULL) {
		node_free(child);
		return nomem(err);
	}
	rc = attach(f, child, 0, err);
	if (rc != LB_OK) {
		node_free(f);
		return rc;
	}
	*out = f;
	return LB_OK;
}

/* Detach and return the only child of a one-child list, freeing the list. */
static lb_filter *collapse_single(lb_filter *list)
{
	lb_filter *child;

	if (list->kind != NODE_LIST || list->n_children != 1)
		return list;
	child = list->children[0];
	child->parent = NULL;
	list->n_children = 0;
	node_free(list);
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

lb_err lb_filter_raw(const char *text, lb_filter **out, struct lb_error *err)
{
	lb_filter *f = NULL;
	lb_err rc = LB_OK;
	size_t start = 0, end, len;
	bool wrap;

	if (text == NULL || out == NULL) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE, "lb_filter_raw: NULL argument");
		rc = LB_E_INVALID;
		goto done;
	}
	end = strnlen(text, LB_FILTER_MAX_TEXT + 1);
	while (start < end && is_ascii_space(text[start]))
		start++;
	while (end > start && is_ascii_space(text[end - 1]))
		end--;
	len = end - start;
	if (len == 0) {
		filter_fail(err, LB_E_FILTER, LB_STEP_CONFIG, "configured filter is empty");
		rc = LB_E_FILTER;
		goto done;
	}
	if (len > LB_FILTER_MAX_TEXT - 2) {
		filter_fail(err, LB_E_FILTER, LB_STEP_CONFIG,
		            "configured filter exceeds the limit of %d bytes", LB_FILTER_MAX_TEXT);
		rc = LB_E_FILTER;
		goto done;
	}
	wrap = text[start] != '(';
	f = node_new(NODE_RAW, 0);
	if (f == NULL || (f->value.ptr = malloc(len + 3)) == NULL) {
		rc = nomem(err);
		goto done;
	}
	f->value.len = 0;
	if (wrap)
		f->value.ptr[f->value.len++] = '(';
	memcpy(f->value.ptr + f->value.len, text + start, len);
	f->value.len += len;
	if (wrap)
		f->value.ptr[f->value.len++] = ')';
	f->value.ptr[f->value.len] = '\0';
	rc = lb_filter_validate(f->value.ptr, f->value.len, err);
	if (rc != LB_OK)
		goto done;
	*out = f;
	f = NULL;
done:
	node_free(f);
	return rc;
}

lb_err lb_filter_with_base(const char *base, lb_filter *filter, lb_filter **out,
                           struct lb_error *err)
{
	lb_filter *raw = NULL, *list = NULL;
	lb_err rc = LB_OK;
	size_t i = 0;

	if (filter == NULL || out == NULL || filter->parent != NULL) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE,
		            "lb_filter_with_base: needs an unattached filter and an output");
		if (filter != NULL && filter->parent == NULL)
			node_free(filter);
		return LB_E_INVALID;
	}
	if (base != NULL)
		while (is_ascii_space(base[i]))
			i++;
	if (base == NULL || base[i] == '\0') {
		*out = filter;
		return LB_OK;
	}
	rc = lb_filter_raw(base, &raw, err);
	if (rc != LB_OK)
		goto done;
	if (filter->kind == NODE_LIST && filter->op == LB_FILTER_AND) {
		/* (&base (&a b)) reads better flattened as (&base a b) */
		list = filter;
		filter = NULL;
	} else {
		rc = lb_filter_list(LB_FILTER_AND, &list, err);
		if (rc != LB_OK)
			goto done;
		rc = attach(list, filter, 0, err);
		filter = NULL;
		if (rc != LB_OK)
			goto done;
	}
	rc = attach(list, raw, 0, err);
	raw = NULL;
	if (rc != LB_OK)
		goto done;
	*out = list;
	list = NULL;
done:
	node_free(raw);
	node_free(filter);
	node_free(list);
	return rc;
}

/* ------------------------------------------------------------------------ */
/* Rendering                                                                 */

struct buf {
	char *p;
	size_t len, cap;
	lb_err rc;
};

static bool buf_reserve(struct buf *b, size_t more)
{
	size_t need;

	if (b->rc != LB_OK)
		return false;
	if (more > LB_FILTER_MAX_TEXT || b->len + more > LB_FILTER_MAX_TEXT) {
		b->rc = LB_E_FILTER;
		return false;
	}
	need = b->len + more + 1;
	if (need > b->cap) {
		size_t cap = b->cap ? b->cap : 128;
		char *grown;

		while (cap < need)
			cap *= 2;
		grown = realloc(b->p, cap);
		if (grown == NULL) {
			b->rc = LB_E_NOMEM;
			return false;
		}
		b->p = grown;
		b->cap = cap;
	}
	return true;
}

static void buf_put(struct buf *b, const char *s, size_t n)
{
	if (!buf_reserve(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void buf_str(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

/* The only place a value enters filter text. */
static void render_value(struct buf *b, const struct part *v)
{
	size_t need = lb_filter_escape(v->ptr, v->len, NULL, 0);

	if (!buf_reserve(b, need))
		return;
	(void)lb_filter_escape(v->ptr, v->len, b->p + b->len, need + 1);
	b->len += need;
}

static void render(struct buf *b, const lb_filter *f)
{
	static const char *const cmp_ops[] = { "", "=", ">=", "<=", "~=" };

	if (f->kind == NODE_RAW) {
		buf_put(b, f->value.ptr, f->value.len);
		return;
	}
	buf_str(b, "(");
	switch (f->kind) {
	case NODE_CMP:
		buf_str(b, f->attr);
		buf_str(b, cmp_ops[f->op]);
		render_value(b, &f->value);
		break;
	case NODE_PRESENT:
		buf_str(b, f->attr);
		buf_str(b, "=*");
		break;
	case NODE_SUBSTR:
		buf_str(b, f->attr);
		buf_str(b, "=");
		if (f->initial.ptr != NULL)
			render_value(b, &f->initial);
		buf_str(b, "*");
		for (size_t i = 0; i < f->n_any; i++) {
			render_value(b, &f->any[i]);
			buf_str(b, "*");
		}
		if (f->final.ptr != NULL)
			render_value(b, &f->final);
		break;
	case NODE_LIST:
	case NODE_NOT:
		buf_str(b, f->kind == NODE_NOT ? "!" : f->op == LB_FILTER_AND ? "&" : "|");
		for (size_t i = 0; i < f->n_children; i++)
			render(b, f->children[i]);
		break;
	case NODE_RAW:
		break;
	}
	buf_str(b, ")");
}

lb_err lb_filter_render(const lb_filter *filter, char **out, struct lb_error *err)
{
	struct buf b = { NULL, 0, 0, LB_OK };

	if (filter == NULL || out == NULL) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE, "lb_filter_render: NULL argument");
		return LB_E_INVALID;
	}
	render(&b, filter);
	if (b.rc == LB_OK && b.p == NULL)
		buf_put(&b, "", 0);
	if (b.rc != LB_OK) {
		free(b.p);
		if (b.rc == LB_E_NOMEM)
			return nomem(err);
		filter_fail(err, LB_E_FILTER, LB_STEP_NONE,
		            "rendered filter exceeds the limit of %d bytes", LB_FILTER_MAX_TEXT);
		return LB_E_FILTER;
	}
	*out = b.p;
	return LB_OK;
}

/* ------------------------------------------------------------------------ */
/* ANR                                                                       */

static const char *const default_prefix_attrs[] = {
	"displayName", "cn", "sn", "givenName", "mail", "uid"
};
static const char *const default_word_attrs[] = { "displayName", "cn" };
static const char *const default_exact_attrs[] = { "mail", "uid" };
static const char *const default_exact_attrs_ad[] = {
	"mail", "sAMAccountName", "userPrincipalName"
};
static const char default_ad_base[] = "(|(objectCategory=person)(objectCategory=group))";

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

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

/* Add (attr=v*) to list. */
static lb_err add_prefix(lb_filter *list, const char *attr, struct span v,
                         struct lb_error *err)
{
	lb_filter *f = NULL;
	lb_err rc = lb_filter_prefix(attr, v.p, v.len, &f, err);

	return rc != LB_OK ? rc : lb_filter_add(list, f, err);
}

/* W(w) = (|(p=w*)...(d=* w*)...), collapsed when it has one term. */
static lb_err word_filter(const struct lb_anr_config *cfg, struct span w,
                          lb_filter **out, struct lb_error *err)
{
	const char *const *pa = cfg->prefix_attrs ? cfg->prefix_attrs : default_prefix_attrs;
	size_t npa = cfg->prefix_attrs ? cfg->n_prefix_attrs : N_ELEMS(default_prefix_attrs);
	const char *const *wa = cfg->word_attrs ? cfg->word_attrs : default_word_attrs;
	size_t nwa = cfg->word_attrs ? cfg->n_word_attrs : N_ELEMS(default_word_attrs);
	lb_filter *list = NULL, *f = NULL;
	lb_err rc;

	if (npa + nwa == 0) {
		filter_fail(err, LB_E_FILTER, LB_STEP_CONFIG, "no ANR attributes configured");
		return LB_E_FILTER;
	}
	rc = lb_filter_list(LB_FILTER_OR, &list, err);
	if (rc != LB_OK)
		goto done;
	for (size_t i = 0; i < npa; i++)
		if ((rc = add_prefix(list, pa[i], w, err)) != LB_OK)
			goto done;
	for (size_t i = 0; i < nwa; i++) {
		/* "* w*": the word starts after a space inside the value */
		struct lb_filter_value mid[1];
		char *spaced = malloc(w.len + 2);

		if (spaced == NULL) {
			rc = nomem(err);
			goto done;
		}
		spaced[0] = ' ';
		memcpy(spaced + 1, w.p, w.len);
		mid[0].ptr = spaced;
		mid[0].len = w.len + 1;
		rc = lb_filter_substr(wa[i], NULL, 0, mid, 1, NULL, 0, &f, err);
		free(spaced);
		if (rc != LB_OK)
			goto done;
		rc = lb_filter_add(list, f, err);
		f = NULL;
		if (rc != LB_OK)
			goto done;
	}
	*out = collapse_single(list);
	list = NULL;
done:
	node_free(list);
	return rc;
}

/* (&(a1=v1*)(a2=v2*)) */
static lb_err pair_filter(const char *a1, struct span v1, const char *a2, struct span v2,
                          lb_filter **out, struct lb_error *err)
{
	lb_filter *list = NULL;
	lb_err rc = lb_filter_list(LB_FILTER_AND, &list, err);

	if (rc == LB_OK && (rc = add_prefix(list, a1, v1, err)) == LB_OK &&
	    (rc = add_prefix(list, a2, v2, err)) == LB_OK) {
		*out = list;
		list = NULL;
	}
	node_free(list);
	return rc;
}

/* Base filter per configuration (AD default included). */
static const char *anr_base(const struct lb_anr_config *cfg)
{
	if (cfg->base_filter == NULL && cfg->active_directory)
		return default_ad_base;
	return cfg->base_filter;
}

static lb_err anr_ad(const struct lb_anr_config *cfg, struct span s,
                     lb_filter **out, struct lb_error *err)
{
	lb_filter *f = NULL, *list = NULL;
	char *collapsed = NULL;
	size_t n = 0;
	lb_err rc = LB_OK;
	bool at = memchr(s.p, '@', s.len) != NULL;

	/* Whitespace runs (any of ours) become one ASCII space. */
	collapsed = malloc(s.len + 1);
	if (collapsed == NULL) {
		rc = nomem(err);
		goto done;
	}
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
	rc = lb_filter_eq("anr", collapsed, n, &f, err);
	if (rc != LB_OK)
		goto done;
	if (at) {
		/* AD's anr does not look at mail; an address must still match */
		rc = lb_filter_list(LB_FILTER_OR, &list, err);
		if (rc != LB_OK)
			goto done;
		rc = lb_filter_add(list, f, err);
		f = NULL;
		if (rc != LB_OK)
			goto done;
		rc = lb_filter_eq("mail", s.p, s.len, &f, err);
		if (rc != LB_OK)
			goto done;
		rc = lb_filter_add(list, f, err);
		f = list;
		list = NULL;
		if (rc != LB_OK) {
			f = NULL;
			goto done;
		}
	}
	*out = f;
	f = NULL;
done:
	free(collapsed);
	node_free(f);
	node_free(list);
	return rc;
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

static lb_err anr_emulated(const struct lb_anr_config *cfg, struct span s,
                           lb_filter **out, struct lb_error *err)
{
	const char *given = cfg->given_name_attr ? cfg->given_name_attr : "givenName";
	const char *surname = cfg->surname_attr ? cfg->surname_attr : "sn";
	struct span words[LB_ANR_MAX_WORDS], last, first;
	lb_filter *all = NULL, *split = NULL, *any = NULL, *w = NULL;
	size_t n_words = 0;
	bool has_comma = memchr(s.p, ',', s.len) != NULL;
	lb_err rc;

	rc = split_words(s, words, &n_words, err);
	if (rc != LB_OK)
		goto done;
	if (n_words == 0) {
		/* only commas and blanks */
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE,
		            "search text has no words; it matches nothing");
		rc = LB_E_INVALID;
		goto done;
	}
	rc = lb_filter_list(LB_FILTER_AND, &all, err);
	if (rc != LB_OK)
		goto done;
	for (size_t i = 0; i < n_words; i++) {
		rc = word_filter(cfg, words[i], &w, err);
		if (rc != LB_OK)
			goto done;
		rc = lb_filter_add(all, w, err);
		w = NULL;
		if (rc != LB_OK)
			goto done;
	}
	all = collapse_single(all);
	if (!has_comma && n_words == 2)
		rc = pair_filter(given, words[0], surname, words[1], &split, err);
	else if (has_comma && comma_split(s, &last, &first))
		rc = pair_filter(surname, last, given, first, &split, err);
	if (rc != LB_OK)
		goto done;
	if (split != NULL) {
		rc = lb_filter_list(LB_FILTER_OR, &any, err);
		if (rc != LB_OK)
			goto done;
		rc = lb_filter_add(any, split, err);
		split = NULL;
		if (rc != LB_OK)
			goto done;
		rc = lb_filter_add(any, all, err);
		all = NULL;
		if (rc != LB_OK)
			goto done;
		*out = any;
		any = NULL;
	} else {
		*out = all;
		all = NULL;
	}
done:
	node_free(all);
	node_free(split);
	node_free(any);
	return rc;
}

lb_err lb_anr_build(const struct lb_anr_config *cfg, const char *input_utf8,
                    lb_filter **out, struct lb_error *err)
{
	static const struct lb_anr_config defaults;
	lb_filter *f = NULL;
	struct span s;
	lb_err rc;

	if (input_utf8 == NULL || out == NULL) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE, "lb_anr_build: NULL argument");
		return LB_E_INVALID;
	}
	if (cfg == NULL)
		cfg = &defaults;
	rc = anr_input(cfg, input_utf8, &s, err);
	if (rc != LB_OK)
		goto done;
	rc = cfg->active_directory ? anr_ad(cfg, s, &f, err) : anr_emulated(cfg, s, &f, err);
	if (rc != LB_OK)
		goto done;
	rc = lb_filter_with_base(anr_base(cfg), f, out, err);
	f = NULL;
done:
	node_free(f);
	return rc;
}

lb_err lb_anr_build_exact(const struct lb_anr_config *cfg, const char *input_utf8,
                          lb_filter **out, struct lb_error *err)
{
	static const struct lb_anr_config defaults;
	const char *const *ea;
	size_t nea;
	lb_filter *list = NULL, *f = NULL;
	struct span s;
	lb_err rc;

	if (input_utf8 == NULL || out == NULL) {
		filter_fail(err, LB_E_INVALID, LB_STEP_NONE, "lb_anr_build_exact: NULL argument");
		return LB_E_INVALID;
	}
	if (cfg == NULL)
		cfg = &defaults;
	if (cfg->exact_attrs != NULL) {
		ea = cfg->exact_attrs;
		nea = cfg->n_exact_attrs;
	} else if (cfg->active_directory) {
		ea = default_exact_attrs_ad;
		nea = N_ELEMS(default_exact_attrs_ad);
	} else {
		ea = default_exact_attrs;
		nea = N_ELEMS(default_exact_attrs);
	}
	if (nea == 0) {
		filter_fail(err, LB_E_FILTER, LB_STEP_CONFIG, "no exact-match attributes configured");
		return LB_E_FILTER;
	}
	rc = anr_input(cfg, input_utf8, &s, err);
	if (rc != LB_OK)
		goto done;
	rc = lb_filter_list(LB_FILTER_OR, &list, err);
	if (rc != LB_OK)
		goto done;
	for (size_t i = 0; i < nea; i++) {
		rc = lb_filter_eq(ea[i], s.p, s.len, &f, err);
		if (rc != LB_OK)
			goto done;
		rc = lb_filter_add(list, f, err);
		f = NULL;
		if (rc != LB_OK)
			goto done;
	}
	rc = lb_filter_with_base(anr_base(cfg), collapse_single(list), out, err);
	list = NULL;
done:
	node_free(list);
	return rc;
}
