/*
 * fuzz_alloc.h - a tiny chained MAPI allocator for the fuzz targets (the
 * MAPIAllocateBuffer / MAPIAllocateMore / MAPIFreeBuffer contract, MM-2):
 * every AllocateMore block hangs off its root and goes with it.  Blocks are
 * malloc'd one by one so ASan sees overruns of each; fuzz_alloc_live()
 * counts blocks not yet freed, so a target can assert nothing leaked.
 */
#ifndef LDAPAB_FUZZ_ALLOC_H
#define LDAPAB_FUZZ_ALLOC_H

#include <stddef.h>
#include <stdlib.h>

#include <mapi/mapidefs.h>
#include <mapi/mapicode.h>

struct fuzz_blk {
	struct fuzz_blk *more;          /* root: its AllocateMore chain */
	struct fuzz_blk *root;          /* NULL for a root */
	max_align_t data[];             /* MAPI memory is suitably aligned */
};

static size_t fuzz_alloc_live_blocks;

static inline size_t fuzz_alloc_live(void)
{
	return fuzz_alloc_live_blocks;
}

static inline struct fuzz_blk *fuzz_blk_of(void *p)
{
	return (struct fuzz_blk *)(void *)((char *)p - offsetof(struct fuzz_blk, data));
}

static SCODE STDMETHODCALLTYPE fuzz_alloc_buffer(ULONG cb, LPVOID *out)
{
	struct fuzz_blk *b;

	if (out == NULL)
		return MAPI_E_INVALID_PARAMETER;
	b = malloc(sizeof(*b) + (cb ? cb : 1));
	if (b == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	b->more = NULL;
	b->root = NULL;
	fuzz_alloc_live_blocks++;
	*out = b->data;
	return S_OK;
}

static SCODE STDMETHODCALLTYPE fuzz_alloc_more(ULONG cb, LPVOID obj, LPVOID *out)
{
	struct fuzz_blk *root, *b;

	if (obj == NULL || out == NULL)
		return MAPI_E_INVALID_PARAMETER;
	root = fuzz_blk_of(obj);
	if (root->root != NULL)
		root = root->root;      /* MAPI allows chaining onto a chained block */
	b = malloc(sizeof(*b) + (cb ? cb : 1));
	if (b == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	b->root = root;
	b->more = root->more;
	root->more = b;
	fuzz_alloc_live_blocks++;
	*out = b->data;
	return S_OK;
}

static ULONG STDAPICALLTYPE fuzz_free_buffer(LPVOID p)
{
	struct fuzz_blk *b, *next;

	if (p == NULL)
		return 0;
	b = fuzz_blk_of(p);
	if (b->root != NULL)
		abort();                /* only roots may be freed (MM-3) */
	while (b != NULL) {
		next = b->more;
		free(b);
		fuzz_alloc_live_blocks--;
		b = next;
	}
	return 0;
}

#endif /* LDAPAB_FUZZ_ALLOC_H */
