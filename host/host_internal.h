/* ldapab host: internal helpers shared by the host .c files (not installed, not for tests). */
#ifndef LDAPAB_HOST_INTERNAL_H
#define LDAPAB_HOST_INTERNAL_H

#include <ldapab_platform/atomic.h>
#include <stddef.h>
#include <stdint.h>
#include <ldapab_platform/thread.h>

#include <mapi/mapidefs.h>
#include <mapi/mapicode.h>
#include <mapi/mapitags.h>
#include <mapi/mapiguid.h>
#include <mapi/mapispi.h>

#include "ldapab_host/mem.h"

#define HOST_CONTAINER_OF(ptr, type, member) \
    ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* Internal memory: counted, fail-injectable, never handed to a provider as MAPI memory. */
void *host__malloc(size_t n) HOST_WUR;
void *host__calloc(size_t n, size_t size) HOST_WUR;
void *host__realloc(void *p, size_t n) HOST_WUR;
char *host__strdup(const char *s) HOST_WUR;
void host__free(void *p);

/* IMalloc blocks (mem.c), used by imalloc.c. */
void *host__malloc_block_alloc(size_t cb);
void *host__malloc_block_realloc(void *pv, size_t cb, int *bad);
int host__malloc_block_free(void *pv);
size_t host__malloc_block_size(void *pv, int *found);
size_t host__internal_live(void);

/*
 * Size of a MAPI buffer of hdr bytes followed by n elements of elem bytes, for the ULONG
 * allocators. Every count the host turns into a MAPI allocation goes through here, before
 * anything is allocated or read: a product above UINT32_MAX would otherwise be truncated
 * by the (ULONG) cast and the following memset/memcpy would overrun the short block.
 * Such a request is reported as MAPI_E_NOT_ENOUGH_MEMORY, as MAPI itself does for a
 * buffer it cannot provide (a ULONG-sized allocator can never satisfy it).
 */
static inline HRESULT host__cb(size_t hdr, size_t n, size_t elem, ULONG *cb)
{
    *cb = 0;
    if (hdr > UINT32_MAX || (elem && n > (UINT32_MAX - hdr) / elem))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    *cb = (ULONG)(hdr + n * elem);
    return S_OK;
}

/* 1 if the fail switch says this allocation must fail (consumes the countdown). */
int host__mem_should_fail(void);

/*
 * A last-error record for GetLastError: the failing code and a message (UTF-8).
 * Methods record failures with host__err_set; GetLastError turns them into a MAPIERROR.
 */
typedef struct host_err {
    plat_mutex lock;
    HRESULT hr;
    char text[256];
} host_err;

void host__err_init(host_err *e);
void host__err_destroy(host_err *e);
/* Records (hr, printf-style text); returns hr for "return host__err_set(...)". */
HRESULT host__err_set(host_err *e, HRESULT hr, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/*
 * IMAPIProp/IMAPISupport::GetLastError body: flags 0 or MAPI_UNICODE; out NULL →
 * MAPI_E_INVALID_PARAMETER. If hResult matches the recorded failure → one MAPIERROR root
 * (strings chained), else S_OK with *out = NULL.
 */
HRESULT host__err_get(host_err *e, HRESULT hResult, ULONG ulFlags, LPMAPIERROR *out);
/* Builds a MAPIERROR root from text (UTF-8) in the width ulFlags asks for. */
HRESULT host__mapierror_new(const char *text, ULONG ulFlags, LPMAPIERROR *out) HOST_WUR;

/* Copies n values into one new MAPI root whose chained data holds all payloads. */
HRESULT host__props_copy(ULONG n, const SPropValue *src, LPSPropValue *out) HOST_WUR;

/* Profile-section data shared by IProfSect objects (profsect.c). */
typedef struct host_section host_section;
void host__section_release(host_section *s);
/* Opens a new IProfSect on s (refcount 1); writable only if modify. */
HRESULT host__profsect_open(host_section *s, int modify, LPPROFSECT *out) HOST_WUR;

struct host_profile;
/* The section for uid (NULL = the profile's own), creating it if create; takes a ref. */
HRESULT host__profile_section(struct host_profile *p, const MAPIUID *uid, int create,
                              host_section **out) HOST_WUR;
void host__profile_addref(struct host_profile *p);

/* Trace (loader/session): appends one event name; t may be NULL. */
struct host_trace;
void host__trace_add(struct host_trace *t, const char *event);

#endif
