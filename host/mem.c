/*
 * ldapab host: MAPI allocators with chains, accounting and fail-injection.
 *
 * Each block carries a header in front of its payload. Roots (AllocateBuffer) and IMalloc
 * blocks are entered in a pointer-keyed hash so that a pointer the host never returned is
 * recognised without reading memory in front of it. Chained blocks (AllocateMore) hang off
 * their root's list and are freed with it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_internal.h"
#include <limits.h>


enum blk_kind { BLK_ROOT = 1, BLK_CHILD = 2, BLK_MALLOC = 3 };

struct blk {
    struct blk *hnext;   /* hash chain (roots and IMalloc blocks) */
    struct blk *kids;    /* root: first chained block */
    struct blk *sibling; /* chained block: next in its root's list */
    size_t size;         /* payload bytes */
    uint32_t kind;
    uint32_t pad;
};

/* Header rounded up to 16 so that the payload keeps malloc's 16-byte alignment. */
#define HDR_SIZE ((sizeof(struct blk) + 15u) & ~(size_t)15u)
#define NBUCKETS 4096u
#define FILL_BYTE 0xA5

_Static_assert(HDR_SIZE % 16 == 0, "payload must stay 16-byte aligned");

static plat_mutex g_lock = PLAT_MUTEX_INITIALIZER;
static struct blk *g_buckets[NBUCKETS];
static host_mem_stats g_stats;
/* -1: disarmed; n >= 0: that many allocations succeed, then one fails. */
static long g_fail_countdown = -1;

static void *payload(struct blk *b) { return (char *)b + HDR_SIZE; }

static size_t bucket_of(const void *p)
{
    uintptr_t v = (uintptr_t)p >> 4;
    return (size_t)((v * UINT64_C(0x9E3779B97F4A7C15)) >> 20) % NBUCKETS;
}

/* Caller holds g_lock. */
static int fail_now_locked(void)
{
    if (g_fail_countdown < 0)
        return 0;
    if (g_fail_countdown == 0) {
        g_fail_countdown = -1;
        g_stats.injected_failures++;
        return 1;
    }
    g_fail_countdown--;
    return 0;
}

int host__mem_should_fail(void)
{
    plat_mutex_lock(&g_lock);
    int r = fail_now_locked();
    plat_mutex_unlock(&g_lock);
    return r;
}

/* Caller holds g_lock. */
static struct blk *find_locked(const void *p, struct blk ***link_out)
{
    struct blk **link = &g_buckets[bucket_of(p)];
    for (; *link; link = &(*link)->hnext) {
        if (payload(*link) == p) {
            if (link_out)
                *link_out = link;
            return *link;
        }
    }
    return NULL;
}

static struct blk *blk_new(size_t cb, enum blk_kind kind)
{
    if (cb > SIZE_MAX - HDR_SIZE)
        return NULL;
    struct blk *b = malloc(HDR_SIZE + cb);
    if (!b)
        return NULL;
    memset(b, 0, HDR_SIZE);
    b->size = cb;
    b->kind = kind;
    memset(payload(b), FILL_BYTE, cb);
    return b;
}

SCODE STDMETHODCALLTYPE host_MAPIAllocateBuffer(ULONG cbSize, LPVOID *lppBuffer)
{
    if (!lppBuffer)
        return MAPI_E_INVALID_PARAMETER;
    *lppBuffer = NULL;
    plat_mutex_lock(&g_lock);
    int fail = fail_now_locked();
    plat_mutex_unlock(&g_lock);
    if (fail)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    struct blk *b = blk_new(cbSize, BLK_ROOT);
    if (!b)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    plat_mutex_lock(&g_lock);
    size_t i = bucket_of(payload(b));
    b->hnext = g_buckets[i];
    g_buckets[i] = b;
    g_stats.buffers++;
    g_stats.live_roots++;
    g_stats.live_bytes += cbSize;
    plat_mutex_unlock(&g_lock);
    *lppBuffer = payload(b);
    return S_OK;
}

SCODE STDMETHODCALLTYPE host_MAPIAllocateMore(ULONG cbSize, LPVOID lpObject, LPVOID *lppBuffer)
{
    SCODE sc = S_OK;
    struct blk *kid = NULL;

    if (!lppBuffer)
        return MAPI_E_INVALID_PARAMETER;
    *lppBuffer = NULL;
    if (!lpObject) {
        plat_mutex_lock(&g_lock);
        g_stats.bad_calls++;
        plat_mutex_unlock(&g_lock);
        return MAPI_E_INVALID_PARAMETER;
    }
    /* Allocate outside the lock; link it in only if the root checks out. */
    kid = blk_new(cbSize, BLK_CHILD);
    plat_mutex_lock(&g_lock);
    struct blk *root = find_locked(lpObject, NULL);
    if (!root || root->kind != BLK_ROOT) {
        g_stats.bad_calls++;
        sc = MAPI_E_INVALID_PARAMETER;
    } else if (fail_now_locked() || !kid) {
        sc = MAPI_E_NOT_ENOUGH_MEMORY;
    } else {
        kid->sibling = root->kids;
        root->kids = kid;
        g_stats.mores++;
        g_stats.live_bytes += cbSize;
        *lppBuffer = payload(kid);
        kid = NULL;
    }
    plat_mutex_unlock(&g_lock);
    free(kid);
    return sc;
}

ULONG STDAPICALLTYPE host_MAPIFreeBuffer(LPVOID lpBuffer)
{
    struct blk **link = NULL;
    struct blk *root = NULL;

    if (!lpBuffer)
        return S_OK;
    plat_mutex_lock(&g_lock);
    root = find_locked(lpBuffer, &link);
    if (!root || root->kind != BLK_ROOT) {
        g_stats.bad_calls++;
        plat_mutex_unlock(&g_lock);
        return (ULONG)MAPI_E_INVALID_PARAMETER;
    }
    *link = root->hnext;
    g_stats.frees++;
    g_stats.live_roots--;
    g_stats.live_bytes -= root->size;
    for (struct blk *k = root->kids; k; k = k->sibling)
        g_stats.live_bytes -= k->size;
    plat_mutex_unlock(&g_lock);

    struct blk *k = root->kids;
    while (k) {
        struct blk *next = k->sibling;
        free(k);
        k = next;
    }
    free(root);
    return S_OK;
}

void host_mem_get_stats(host_mem_stats *out)
{
    if (!out)
        return;
    plat_mutex_lock(&g_lock);
    *out = g_stats;
    plat_mutex_unlock(&g_lock);
    out->live_internal = host__internal_live();
}

size_t host_mem_live_blocks(void)
{
    plat_mutex_lock(&g_lock);
    size_t n = g_stats.live_roots;
    plat_mutex_unlock(&g_lock);
    return n;
}

size_t host_mem_live_bytes(void)
{
    plat_mutex_lock(&g_lock);
    size_t n = g_stats.live_bytes;
    plat_mutex_unlock(&g_lock);
    return n;
}

int host_mem_is_root(const void *p)
{
    if (!p)
        return 0;
    plat_mutex_lock(&g_lock);
    struct blk *b = find_locked(p, NULL);
    int r = b && b->kind == BLK_ROOT;
    plat_mutex_unlock(&g_lock);
    return r;
}

static int inside(struct blk *b, const void *p)
{
    const char *lo = payload(b);
    const char *c = p;
    return c == lo || (c > lo && c < lo + b->size);
}

int host_mem_is_chained(const void *root, const void *p)
{
    int r = 0;
    if (!root || !p)
        return 0;
    plat_mutex_lock(&g_lock);
    struct blk *b = find_locked(root, NULL);
    if (b && b->kind == BLK_ROOT) {
        r = inside(b, p);
        for (struct blk *k = b->kids; k && !r; k = k->sibling)
            r = inside(k, p);
    }
    plat_mutex_unlock(&g_lock);
    return r;
}

void host_mem_fail_after(unsigned long n)
{
    plat_mutex_lock(&g_lock);
    g_fail_countdown = n > (unsigned long)LONG_MAX ? LONG_MAX : (long)n;
    plat_mutex_unlock(&g_lock);
}

void host_mem_fail_never(void)
{
    plat_mutex_lock(&g_lock);
    g_fail_countdown = -1;
    plat_mutex_unlock(&g_lock);
}

int host_mem_fail_pending(void)
{
    plat_mutex_lock(&g_lock);
    int r = g_fail_countdown >= 0;
    plat_mutex_unlock(&g_lock);
    return r;
}

/* ---- IMalloc blocks (used by imalloc.c) ---- */

void *host__malloc_block_alloc(size_t cb)
{
    if (host__mem_should_fail())
        return NULL;
    struct blk *b = blk_new(cb, BLK_MALLOC);
    if (!b)
        return NULL;
    plat_mutex_lock(&g_lock);
    size_t i = bucket_of(payload(b));
    b->hnext = g_buckets[i];
    g_buckets[i] = b;
    g_stats.live_malloc_blocks++;
    plat_mutex_unlock(&g_lock);
    return payload(b);
}

/* Returns 1 if freed, 0 if pv is not a live IMalloc block (counted as a bad call). */
int host__malloc_block_free(void *pv)
{
    struct blk **link = NULL;
    plat_mutex_lock(&g_lock);
    struct blk *b = find_locked(pv, &link);
    if (!b || b->kind != BLK_MALLOC) {
        g_stats.bad_calls++;
        plat_mutex_unlock(&g_lock);
        return 0;
    }
    *link = b->hnext;
    g_stats.live_malloc_blocks--;
    plat_mutex_unlock(&g_lock);
    free(b);
    return 1;
}

void *host__malloc_block_realloc(void *pv, size_t cb, int *bad)
{
    *bad = 0;
    size_t old = 0;
    int found = 0;
    old = host__malloc_block_size(pv, &found);
    if (!found) {
        plat_mutex_lock(&g_lock);
        g_stats.bad_calls++;
        plat_mutex_unlock(&g_lock);
        *bad = 1;
        return NULL;
    }
    /* Copy-and-free keeps the hash simple; IMalloc::Realloc is rare in providers. */
    void *n = host__malloc_block_alloc(cb);
    if (!n)
        return NULL;
    memcpy(n, pv, old < cb ? old : cb);
    (void)host__malloc_block_free(pv);
    return n;
}

size_t host__malloc_block_size(void *pv, int *found)
{
    plat_mutex_lock(&g_lock);
    struct blk *b = pv ? find_locked(pv, NULL) : NULL;
    *found = b && b->kind == BLK_MALLOC;
    size_t n = *found ? b->size : 0;
    plat_mutex_unlock(&g_lock);
    return n;
}

/* ---- internal allocations ---- */

static atomic_size_t g_internal_live;

void *host__malloc(size_t n)
{
    if (host__mem_should_fail())
        return NULL;
    void *p = malloc(n ? n : 1);
    if (p)
        atomic_fetch_add(&g_internal_live, 1);
    return p;
}

void *host__calloc(size_t n, size_t size)
{
    if (host__mem_should_fail())
        return NULL;
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (p)
        atomic_fetch_add(&g_internal_live, 1);
    return p;
}

void *host__realloc(void *p, size_t n)
{
    if (!p)
        return host__malloc(n);
    if (host__mem_should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

char *host__strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = host__malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

void host__free(void *p)
{
    if (!p)
        return;
    atomic_fetch_sub(&g_internal_live, 1);
    free(p);
}

size_t host__internal_live(void) { return atomic_load(&g_internal_live); }
