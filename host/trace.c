/* ldapab host: call trace (comma-separated event names) for lifecycle tests. */
#include <stdlib.h>
#include <string.h>

#include "host_internal.h"
#include "ldapab_host/session.h"

struct host_trace {
    plat_mutex lock;
    char *text;
    size_t len, cap;
};

HRESULT host_trace_new(host_trace **out)
{
    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    host_trace *t = host__calloc(1, sizeof(*t));
    if (!t)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    t->text = host__malloc(256);
    if (!t->text) {
        host__free(t);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    t->cap = 256;
    t->text[0] = 0;
    plat_mutex_init(&t->lock);
    *out = t;
    return S_OK;
}

void host_trace_free(host_trace *t)
{
    if (!t)
        return;
    plat_mutex_destroy(&t->lock);
    host__free(t->text);
    host__free(t);
}

const char *host_trace_text(host_trace *t) { return t ? t->text : ""; }

void host_trace_clear(host_trace *t)
{
    if (!t)
        return;
    plat_mutex_lock(&t->lock);
    t->len = 0;
    t->text[0] = 0;
    plat_mutex_unlock(&t->lock);
}

void host__trace_add(host_trace *t, const char *event)
{
    if (!t)
        return;
    size_t n = strlen(event);
    plat_mutex_lock(&t->lock);
    if (t->len + n + 2 > t->cap) {
        /* Plain realloc: a trace must not consume injected allocation failures. */
        size_t cap = (t->len + n + 2) * 2;
        char *grown = realloc(t->text, cap);
        if (!grown) {
            plat_mutex_unlock(&t->lock);
            return;
        }
        t->text = grown;
        t->cap = cap;
    }
    if (t->len)
        t->text[t->len++] = ',';
    memcpy(t->text + t->len, event, n + 1);
    t->len += n;
    plat_mutex_unlock(&t->lock);
}
