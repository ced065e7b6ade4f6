/*
 * ldapab host: MAPI memory.
 *
 * MAPI does not exist on Linux, so the host supplies the three allocators a provider
 * receives in ABProviderInit (mapi-abi.md §6, behaviour spec §9):
 *
 *   host_MAPIAllocateBuffer  a new root block;
 *   host_MAPIAllocateMore    a block chained to an existing root;
 *   host_MAPIFreeBuffer      frees a root and every block chained to it.
 *
 * A provider must only ever receive them as pointers (ABProviderInit,
 * IMAPISupport::GetMemAllocRoutines); the names are host_-prefixed so they never clash
 * with a MAPI import library's MAPIAllocateBuffer.
 *
 * Every live root is recorded, so the host can reject what MAPI would corrupt on:
 * AllocateMore on a chained block or a pointer it never returned, FreeBuffer of a
 * chained block, double frees. Such calls return MAPI_E_INVALID_PARAMETER and are
 * counted (host_mem_stats.bad_calls) so a test can assert a provider made none.
 *
 * Decisions: a size of 0 is allowed and returns a unique, freeable pointer. Block
 * contents are not zeroed (they are filled with 0xA5 so a caller relying on zeroed
 * memory fails visibly). Every block is 16-byte aligned. All functions are thread-safe.
 *
 * Test support: host_mem_fail_after(n) makes the (n+1)-th allocation from now fail
 * once (n = 0: the very next one) with MAPI_E_NOT_ENOUGH_MEMORY; it applies to the
 * MAPI allocators, the host IMalloc and the host's own internal allocations, so a
 * fail-walk also covers failures inside host objects the provider calls.
 */
#ifndef LDAPAB_HOST_MEM_H
#define LDAPAB_HOST_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <mapi/mapidefs.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HOST_WUR __attribute__((warn_unused_result))

/*
 * host_MAPIAllocateBuffer: ALLOCATEBUFFER. New root of cbSize bytes (0 allowed).
 * Returns S_OK; MAPI_E_INVALID_PARAMETER if lppBuffer is NULL; MAPI_E_NOT_ENOUGH_MEMORY.
 * On failure *lppBuffer (if given) is set to NULL. Free with host_MAPIFreeBuffer.
 */
SCODE STDMETHODCALLTYPE host_MAPIAllocateBuffer(ULONG cbSize, LPVOID *lppBuffer) HOST_WUR;

/*
 * host_MAPIAllocateMore: ALLOCATEMORE. cbSize bytes chained to lpObject, which must be a
 * live root from host_MAPIAllocateBuffer. Freed only with that root.
 * Returns S_OK; MAPI_E_INVALID_PARAMETER if lppBuffer is NULL or lpObject is NULL, a
 * chained block or unknown; MAPI_E_NOT_ENOUGH_MEMORY. On failure *lppBuffer = NULL.
 */
SCODE STDMETHODCALLTYPE host_MAPIAllocateMore(ULONG cbSize, LPVOID lpObject,
                                              LPVOID *lppBuffer) HOST_WUR;

/*
 * host_MAPIFreeBuffer: FREEBUFFER. Frees the root lpBuffer and all its chained blocks.
 * NULL → S_OK (no-op). A chained block, an unknown pointer or a double free →
 * MAPI_E_INVALID_PARAMETER (as ULONG), nothing freed, counted in bad_calls.
 */
ULONG STDAPICALLTYPE host_MAPIFreeBuffer(LPVOID lpBuffer);

/* Accounting (for tests). */
typedef struct host_mem_stats {
    uint64_t buffers;            /* successful AllocateBuffer calls */
    uint64_t mores;              /* successful AllocateMore calls */
    uint64_t frees;              /* successful FreeBuffer calls on a root */
    uint64_t bad_calls;          /* rejected AllocateMore/FreeBuffer/IMalloc pointers */
    uint64_t injected_failures;  /* allocations failed by host_mem_fail_after() */
    size_t live_roots;           /* MAPI roots not yet freed */
    size_t live_bytes;           /* payload bytes of live roots and their chains */
    size_t live_malloc_blocks;   /* IMalloc blocks not yet freed */
    size_t live_internal;        /* host-internal allocations not yet freed */
} host_mem_stats;

/* Snapshot of the counters; out must not be NULL (else no-op). */
void host_mem_get_stats(host_mem_stats *out);
/* Number of live MAPI roots (AllocateBuffer blocks not yet freed). */
size_t host_mem_live_blocks(void);
/* Payload bytes held by live MAPI roots and their chained blocks. */
size_t host_mem_live_bytes(void);

/* 1 if p is a live root from host_MAPIAllocateBuffer, else 0. */
int host_mem_is_root(const void *p);
/* 1 if p points into root itself or into one of the blocks chained to it, else 0. */
int host_mem_is_chained(const void *root, const void *p);

/*
 * Fail-injection (process-wide; tests using it must not run allocations concurrently
 * from unrelated threads). host_mem_fail_after(n): the next n allocations succeed, the
 * one after fails once. host_mem_fail_never(): disarm. host_mem_fail_pending(): 1 while
 * the armed failure has not fired yet — a walk stops when an operation completes with
 * the failure still pending.
 */
void host_mem_fail_after(unsigned long n);
void host_mem_fail_never(void);
int host_mem_fail_pending(void);

/*
 * IMalloc (the lpMalloc handed to ABProviderInit). host_malloc_new: a new object with
 * refcount 1 (caller's); release with IMalloc_Release / lpVtbl->Release.
 * Returns S_OK, MAPI_E_INVALID_PARAMETER (out NULL), MAPI_E_NOT_ENOUGH_MEMORY.
 * Blocks from Alloc/Realloc are independent of the object's lifetime and of MAPI roots;
 * DidAlloc answers 1/0 exactly.
 */
HRESULT host_malloc_new(LPMALLOC *out) HOST_WUR;
/* Current refcount of a host IMalloc (0 if m is NULL or not a host IMalloc). */
ULONG host_malloc_refcount(LPMALLOC m);
/* Number of host IMalloc objects alive in the process. */
size_t host_malloc_live_objects(void);

#ifdef __cplusplus
}
#endif
#endif
