/* ldapab host: IMalloc handed to ABProviderInit as lpMalloc (refcount observable). */
#include <stdlib.h>
#include <string.h>

#include "host_internal.h"

typedef struct host_malloc {
    IMalloc IMalloc_iface;
    atomic_uint refs;
} host_malloc;

static const IMallocVtbl host_malloc_vtbl;
static atomic_size_t g_live_objects;

static host_malloc *impl_from_IMalloc(IMalloc *iface)
{
    return HOST_CONTAINER_OF(iface, host_malloc, IMalloc_iface);
}

static HRESULT STDMETHODCALLTYPE Malloc_QueryInterface(IMalloc *This, REFIID riid, void **ppv)
{
    if (!ppv)
        return MAPI_E_INVALID_PARAMETER;
    *ppv = NULL;
    if (!riid)
        return MAPI_E_INVALID_PARAMETER;
    if (memcmp(riid, &IID_IUnknown, sizeof(IID)) && memcmp(riid, &IID_IMalloc, sizeof(IID)))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    atomic_fetch_add(&impl_from_IMalloc(This)->refs, 1);
    *ppv = This;
    return S_OK;
}

static ULONG STDMETHODCALLTYPE Malloc_AddRef(IMalloc *This)
{
    return atomic_fetch_add(&impl_from_IMalloc(This)->refs, 1) + 1;
}

static ULONG STDMETHODCALLTYPE Malloc_Release(IMalloc *This)
{
    host_malloc *m = impl_from_IMalloc(This);
    ULONG left = atomic_fetch_sub(&m->refs, 1) - 1;
    if (left == 0) {
        atomic_fetch_sub(&g_live_objects, 1);
        host__free(m);
    }
    return left;
}

static void *STDMETHODCALLTYPE Malloc_Alloc(IMalloc *This, SIZE_T cb)
{
    return host__malloc_block_alloc(cb);
}

static void *STDMETHODCALLTYPE Malloc_Realloc(IMalloc *This, void *pv, SIZE_T cb)
{
    int bad = 0;
    if (!pv)
        return host__malloc_block_alloc(cb);
    if (cb == 0) {
        (void)host__malloc_block_free(pv);
        return NULL;
    }
    return host__malloc_block_realloc(pv, cb, &bad);
}

static void STDMETHODCALLTYPE Malloc_Free(IMalloc *This, void *pv)
{
    if (pv)
        (void)host__malloc_block_free(pv);
}

static SIZE_T STDMETHODCALLTYPE Malloc_GetSize(IMalloc *This, void *pv)
{
    int found = 0;
    size_t n = host__malloc_block_size(pv, &found);
    return found ? n : (SIZE_T)-1;
}

static int STDMETHODCALLTYPE Malloc_DidAlloc(IMalloc *This, void *pv)
{
    int found = 0;
    (void)host__malloc_block_size(pv, &found);
    return found;
}

static void STDMETHODCALLTYPE Malloc_HeapMinimize(IMalloc *This)
{
}

HRESULT host_malloc_new(LPMALLOC *out)
{
    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    host_malloc *m = host__calloc(1, sizeof(*m));
    if (!m)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    m->IMalloc_iface.lpVtbl = &host_malloc_vtbl;
    atomic_init(&m->refs, 1);
    atomic_fetch_add(&g_live_objects, 1);
    *out = &m->IMalloc_iface;
    return S_OK;
}

ULONG host_malloc_refcount(LPMALLOC iface)
{
    if (!iface || iface->lpVtbl != &host_malloc_vtbl)
        return 0;
    return atomic_load(&impl_from_IMalloc(iface)->refs);
}

size_t host_malloc_live_objects(void) { return atomic_load(&g_live_objects); }

static const IMallocVtbl host_malloc_vtbl = {
    Malloc_QueryInterface,
    Malloc_AddRef,
    Malloc_Release,
    Malloc_Alloc,
    Malloc_Realloc,
    Malloc_Free,
    Malloc_GetSize,
    Malloc_DidAlloc,
    Malloc_HeapMinimize,
};
