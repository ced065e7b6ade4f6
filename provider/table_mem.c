/*
 * table_mem.c - a row source over rows held in memory (TB-20): hierarchy
 * rows, a distribution list's members, a restricted or size-limited
 * directory view.  Sorting and restricting happen here, on the bags.
 */
#include <stdlib.h>
#include <string.h>

#include "restrict.h"
#include "table.h"

struct mem_src {
	struct abp_tsrc base;           /* first */
	struct abp_props *rows;         /* n bags, owned */
	size_t n;
	bool partial;
	bool keep_order;
	enum abp_sort_order order;
	size_t *order_idx;              /* n row indexes in the current order */
	bool *visible;                  /* n: passes the current restriction */
	size_t *view;                   /* nview row indexes: the view */
	size_t nview;
};

static struct mem_src *mem_of(struct abp_tsrc *src)
{
	return ABP_CONTAINING_RECORD(src, struct mem_src, base);
}

static const char *name_of(const struct abp_props *bag)
{
	return abp_props_find_string(bag, PR_DISPLAY_NAME_W);
}

/* One UTF-8 character at *p (advancing it); ASCII letters folded. */
static unsigned long next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	unsigned long cp = *s;
	int len = 1, i;

	if (cp >= 0xF0 && cp <= 0xF4) {
		len = 4;
		cp &= 0x07;
	} else if (cp >= 0xE0) {
		len = 3;
		cp &= 0x0F;
	} else if (cp >= 0xC0) {
		len = 2;
		cp &= 0x1F;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {    /* sanitised input never gets here */
			len = i;
			cp = 0xFFFD;
			break;
		}
		cp = cp << 6 | (s[i] & 0x3F);
	}
	*p = s + len;
	if (cp >= 'A' && cp <= 'Z')
		cp += 'a' - 'A';
	return cp;
}

int abp_table_name_cmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;

	if (a == NULL || b == NULL)
		return a == b ? 0 : (a == NULL ? 1 : -1);
	while (*p != '\0' && *q != '\0') {
		unsigned long x = next_cp(&p), y = next_cp(&q);

		if (x != y)
			return x < y ? -1 : 1;
	}
	if (*p == '\0' && *q == '\0')
		return 0;
	return *p == '\0' ? -1 : 1;
}

HRESULT abp_table_add_instance_key(struct abp_props *bag)
{
	const struct abp_prop *rk = abp_props_find(bag, PR_RECORD_KEY);

	if (rk == NULL || PROP_TYPE(rk->tag) != PT_BINARY)
		return MAPI_E_INVALID_PARAMETER;
	return abp_props_add_binary(bag, PR_INSTANCE_KEY, rk->v.bin.lpb, rk->v.bin.cb);
}

/* Row i before row j: by name, then by position (so the order is total and
 * rows of equal names keep theirs). */
static bool idx_before(const struct abp_props *rows, size_t i, size_t j)
{
	int c = abp_table_name_cmp(name_of(&rows[i]), name_of(&rows[j]));

	return c < 0 || (c == 0 && i < j);
}

/* Heapsort of the row indexes a[0..n): in place, no allocation, and the rows
 * travel as an argument (qsort has no context pointer, and a thread-local
 * one is what thread.h explains we avoid). */
static void sift_down(size_t *a, size_t root, size_t n, const struct abp_props *rows)
{
	for (;;) {
		size_t child = 2 * root + 1, top = root, tmp;

		if (child < n && idx_before(rows, a[top], a[child]))
			top = child;
		if (child + 1 < n && idx_before(rows, a[top], a[child + 1]))
			top = child + 1;
		if (top == root)
			return;
		tmp = a[root];
		a[root] = a[top];
		a[top] = tmp;
		root = top;
	}
}

static void sort_idx(size_t *a, size_t n, const struct abp_props *rows)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(a, i, n, rows);
	for (size_t end = n; end-- > 1;) {
		size_t tmp = a[0];

		a[0] = a[end];
		a[end] = tmp;
		sift_down(a, 0, end, rows);
	}
}

static void rebuild_view(struct mem_src *m)
{
	size_t i;

	m->nview = 0;
	for (i = 0; i < m->n; i++)
		if (m->visible[m->order_idx[i]])
			m->view[m->nview++] = m->order_idx[i];
}

static void apply_order(struct mem_src *m, enum abp_sort_order order)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		m->order_idx[i] = i;
	if (order != ABP_SORT_DEFAULT || !m->keep_order) {
		sort_idx(m->order_idx, m->n, m->rows);
	}
	if (order == ABP_SORT_DESCENDING)
		for (i = 0; i < m->n / 2; i++) {
			size_t tmp = m->order_idx[i];

			m->order_idx[i] = m->order_idx[m->n - 1 - i];
			m->order_idx[m->n - 1 - i] = tmp;
		}
	m->order = order;
	rebuild_view(m);
}

static HRESULT mem_count(struct abp_tsrc *src, struct abp_tctx *ctx, size_t *n)
{
	(void)ctx;
	*n = mem_of(src)->nview;
	return S_OK;
}

static HRESULT mem_read(struct abp_tsrc *src, struct abp_tctx *ctx, size_t start, size_t n,
                        bool backward, const struct abp_props **rows, size_t *got)
{
	struct mem_src *m = mem_of(src);
	size_t i;

	(void)ctx;
	(void)backward;
	*got = 0;
	for (i = 0; i < n && start + i < m->nview; i++)
		rows[i] = &m->rows[m->view[start + i]];
	*got = i;
	return S_OK;
}

static HRESULT mem_seek_value(struct abp_tsrc *src, struct abp_tctx *ctx, const char *value,
                              size_t *pos)
{
	struct mem_src *m = mem_of(src);
	size_t lo = 0, hi = m->nview;

	(void)ctx;
	if (m->keep_order && m->order == ABP_SORT_DEFAULT) {
		/* Not sorted by name: the first row at or after value, in order. */
		for (lo = 0; lo < m->nview; lo++)
			if (abp_table_name_cmp(name_of(&m->rows[m->view[lo]]), value) >= 0)
				break;
		*pos = lo;
		return S_OK;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (abp_table_name_cmp(name_of(&m->rows[m->view[mid]]), value) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*pos = lo;
	return S_OK;
}

static HRESULT mem_sort(struct abp_tsrc *src, struct abp_tctx *ctx, enum abp_sort_order order)
{
	(void)ctx;
	apply_order(mem_of(src), order);
	return S_OK;
}

static HRESULT mem_restrict(struct abp_tsrc *src, struct abp_tctx *ctx, const SRestriction *res)
{
	struct mem_src *m = mem_of(src);
	size_t i;

	(void)ctx;
	for (i = 0; i < m->n; i++)
		m->visible[i] = res == NULL || abp_restrict_match(res, &m->rows[i]);
	rebuild_view(m);
	return S_OK;
}

static bool mem_partial(struct abp_tsrc *src)
{
	return mem_of(src)->partial;
}

static void mem_destroy(struct abp_tsrc *src)
{
	struct mem_src *m = mem_of(src);
	size_t i;

	for (i = 0; i < m->n; i++)
		abp_props_free(&m->rows[i]);
	free(m->rows);
	free(m->order_idx);
	free(m->visible);
	free(m->view);
	free(m);
}

static const struct abp_tsrc_ops mem_ops = {
	mem_count, mem_read, mem_seek_value, NULL, mem_sort, mem_restrict, mem_partial, mem_destroy
};

HRESULT abp_tsrc_mem_new(struct abp_props *rows, size_t n, bool partial, bool keep_order,
                         struct abp_tsrc **out)
{
	struct mem_src *m;
	size_t i;

	*out = NULL;
	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	m->order_idx = calloc(n ? n : 1, sizeof(size_t));
	m->visible = calloc(n ? n : 1, sizeof(bool));
	m->view = calloc(n ? n : 1, sizeof(size_t));
	if (m->order_idx == NULL || m->visible == NULL || m->view == NULL) {
		free(m->order_idx);
		free(m->visible);
		free(m->view);
		free(m);
		return MAPI_E_NOT_ENOUGH_MEMORY;
	}
	m->base.ops = &mem_ops;
	m->rows = rows;
	m->n = n;
	m->partial = partial;
	m->keep_order = keep_order;
	for (i = 0; i < n; i++)
		m->visible[i] = true;
	apply_order(m, ABP_SORT_DEFAULT);
	*out = &m->base;
	return S_OK;
}
