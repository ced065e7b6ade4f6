/*
 * fuzz_config.c - libFuzzer target for provider/config.c: profile-section
 * properties → struct abp_config (CF-1, CF-6, LC-13, LC-15).
 *
 * Input: a list of records, each one SPropValue:
 *   byte  setting: index into abp_config_tags() (the IDs Logon reads), the
 *         last index meaning "an ID we do not read"
 *   byte  type: bit 7 set = the setting's own type (string, long, bool,
 *         multi-valued string, binary), else low bits pick any of PT_UNICODE,
 *         PT_STRING8, PT_LONG, PT_BOOLEAN, PT_MV_UNICODE, PT_MV_STRING8,
 *         PT_ERROR, PT_BINARY, or a string / MV string with NULL pointers
 *   value long/bool: 4 bytes LE; string: length byte + bytes (for PT_UNICODE
 *         each byte is one unit, except 0xFF which takes the next two bytes
 *         as a raw unit: unpaired surrogates get in that way); MV: count
 *         byte (0..7) + strings; binary: length byte + bytes.
 * The first input byte also picks the message buffer size (small sizes
 * check truncation).  Properties:
 *   - only S_OK or MAPI_E_UNCONFIGURED (no fault injection here), the same
 *     answer and message on a second call;
 *   - on S_OK: a configuration with URIs, a display name, 1..64 containers
 *     each with an ID and a non-empty name, every string valid UTF-8, the
 *     numeric limits in range, and an empty message;
 *   - on MAPI_E_UNCONFIGURED: no configuration, a non-empty NUL-terminated
 *     message inside the buffer that starts "ldapab is not configured: ";
 *   - the password never reaches the message: the same props with the
 *     password's characters replaced give the very same answer and message;
 *   - NULL out / msg / zero msglen → MAPI_E_INVALID_PARAMETER;
 *   - no leak, no overrun (exact-size buffers under ASan).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ldapab/profile.h>
#include <mapi/mapitags.h>

#include "config.h"
#include "props.h"
#include "fuzz_check.h"

#define MAX_RECORDS 48
#define MAX_MV      7

struct reader {
	const uint8_t *p;
	size_t left;
};

static bool take(struct reader *r, uint8_t *b)
{
	if (r->left == 0)
		return false;
	*b = *r->p++;
	r->left--;
	return true;
}

static uint8_t take0(struct reader *r)
{
	uint8_t b = 0;

	(void)take(r, &b);
	return b;
}

/* Everything a record allocates, freed in one place. */
struct arena {
	void *ptrs[MAX_RECORDS * (MAX_MV + 2)];
	size_t n;
};

static void *arena_keep(struct arena *a, void *p)
{
	FUZZ_CHECK(p != NULL && a->n < sizeof(a->ptrs) / sizeof(a->ptrs[0]));
	a->ptrs[a->n++] = p;
	return p;
}

static void arena_free(struct arena *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->ptrs[i]);
	a->n = 0;
}

static char *read_str8(struct reader *r, struct arena *a)
{
	size_t len = take0(r);
	char *s = arena_keep(a, malloc(len + 1));
	size_t i;

	for (i = 0; i < len && take(r, (uint8_t *)&s[i]); i++)
		if (s[i] == '\0')
			s[i] = '\x01';  /* the length byte says where it ends */
	s[i] = '\0';
	return s;
}

static WCHAR *read_strw(struct reader *r, struct arena *a)
{
	size_t len = take0(r);
	WCHAR *w = arena_keep(a, malloc((len + 1) * sizeof(WCHAR)));
	size_t o = 0;

	for (size_t i = 0; i < len && r->left > 0; i++) {
		uint8_t b = take0(r);
		WCHAR u = b;

		if (b == 0xFF) {
			u = (WCHAR)(take0(r) | (take0(r) << 8));
		}
		w[o++] = u ? u : 1;
	}
	w[o] = 0;
	return w;
}

/* The natural type of each setting (profile.h). */
static ULONG natural_type(ULONG id)
{
	switch (id) {
	case 0x6602: case 0x6610: case 0x6613: case 0x6620: case 0x6621: case 0x6622:
	case 0x6623: case 0x6624: case 0x6630: case 0x6633:
		return PT_LONG;
	case 0x6605:
		return PT_BOOLEAN;
	case 0x6634: case 0x6635:
		return PT_MV_UNICODE;
	case 0x6640:
		return PT_BINARY;
	default:
		return PT_UNICODE;
	}
}

static const ULONG any_types[] = {
	PT_UNICODE, PT_STRING8, PT_LONG, PT_BOOLEAN, PT_MV_UNICODE, PT_MV_STRING8,
	PT_ERROR, PT_BINARY,
	PT_UNICODE | 0x10000u,          /* markers: a NULL pointer of that type */
	PT_STRING8 | 0x10000u, PT_MV_UNICODE | 0x10000u, PT_MV_STRING8 | 0x10000u,
};

static void read_record(struct reader *r, struct arena *a, SPropValue *pv)
{
	const SPropTagArray *tags = abp_config_tags();
	uint8_t which = take0(r), tb = take0(r);
	ULONG id, type;
	bool null_ptr;

	id = which % (tags->cValues + 1) == tags->cValues
		? 0x6700u + (which & 0x0F)     /* an ID we do not read */
		: PROP_ID(tags->aulPropTag[which % (tags->cValues + 1)]);
	if (tb & 0x80) {
		type = natural_type(id);
		if (tb & 0x40)                  /* the _A form of a string setting */
			type = type == PT_UNICODE ? PT_STRING8
			     : type == PT_MV_UNICODE ? PT_MV_STRING8 : type;
	} else {
		type = any_types[tb % (sizeof(any_types) / sizeof(any_types[0]))];
	}
	null_ptr = (type & 0x10000u) != 0;
	type &= 0xFFFFu;
	memset(pv, 0, sizeof(*pv));
	pv->ulPropTag = PROP_TAG(type, id);
	switch (type) {
	case PT_LONG:
	case PT_BOOLEAN:
	case PT_ERROR: {
		uint32_t v = (uint32_t)take0(r) | ((uint32_t)take0(r) << 8) |
		             ((uint32_t)take0(r) << 16) | ((uint32_t)take0(r) << 24);

		if (type == PT_LONG)
			pv->Value.l = (LONG)v;
		else if (type == PT_BOOLEAN)
			pv->Value.b = (unsigned short)(v & 0xFFFF);
		else
			pv->Value.err = (SCODE)v;
		break;
	}
	case PT_STRING8:
		pv->Value.lpszA = null_ptr ? NULL : read_str8(r, a);
		break;
	case PT_UNICODE:
		pv->Value.lpszW = null_ptr ? NULL : read_strw(r, a);
		break;
	case PT_MV_STRING8:
	case PT_MV_UNICODE: {
		size_t n = take0(r) % (MAX_MV + 1);
		void **v = n ? arena_keep(a, calloc(n, sizeof(void *))) : NULL;

		for (size_t i = 0; i < n; i++) {
			/* a NULL element now and then: "value N is empty" */
			if (r->left > 0 && r->p[0] == 0xFE) {
				take0(r);
				continue;
			}
			v[i] = type == PT_MV_STRING8 ? (void *)read_str8(r, a) : (void *)read_strw(r, a);
		}
		if (type == PT_MV_STRING8) {
			pv->Value.MVszA.cValues = (ULONG)n;
			pv->Value.MVszA.lppszA = null_ptr ? NULL : (LPSTR *)v;
		} else {
			pv->Value.MVszW.cValues = (ULONG)n;
			pv->Value.MVszW.lppszW = null_ptr ? NULL : (LPWSTR *)v;
		}
		break;
	}
	case PT_BINARY: {
		size_t len = take0(r);
		uint8_t *b = arena_keep(a, malloc(len ? len : 1));
		size_t i;

		for (i = 0; i < len && take(r, &b[i]); i++)
			;
		pv->Value.bin.cb = (ULONG)i;
		pv->Value.bin.lpb = b;
		break;
	}
	default:
		break;
	}
}

static void check_utf8(const char *s)
{
	if (s != NULL)
		FUZZ_CHECK(fuzz_utf8_valid((const unsigned char *)s, strlen(s)));
}

static void check_config(const struct abp_config *cfg)
{
	FUZZ_CHECK(cfg->uris != NULL && cfg->uris[0] != '\0');
	FUZZ_CHECK(cfg->display_name != NULL);
	FUZZ_CHECK(cfg->n_containers >= 1 && cfg->n_containers <= ABP_CFG_CONTAINERS_MAX);
	FUZZ_CHECK(cfg->containers != NULL);
	check_utf8(cfg->uris);
	check_utf8(cfg->base_dn);
	check_utf8(cfg->bind_dn);
	check_utf8(cfg->display_name);
	check_utf8(cfg->person_filter);
	check_utf8(cfg->group_filter);
	for (size_t i = 0; i < cfg->n_containers; i++) {
		const struct abp_container_cfg *c = &cfg->containers[i];

		FUZZ_CHECK(c->id != NULL && c->id[0] != '\0');
		FUZZ_CHECK(c->display_name != NULL && c->display_name[0] != '\0');
		check_utf8(c->display_name);
		check_utf8(c->base_dn);
		check_utf8(c->filter);
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(cfg->containers[j].id, c->id) != 0);
	}
	for (size_t i = 0; i < cfg->n_attr_map; i++)
		FUZZ_CHECK(cfg->attr_map[i] != NULL && strchr(cfg->attr_map[i], '=') != NULL);
	FUZZ_CHECK(cfg->lb.connect_timeout_ms >= 1000 &&
	           cfg->lb.connect_timeout_ms <= 1000 * ABP_CFG_TIMEOUT_MAX);
	FUZZ_CHECK(cfg->lb.op_timeout_ms >= 1000 && cfg->lb.op_timeout_ms <= 1000 * ABP_CFG_TIMEOUT_MAX);
	FUZZ_CHECK(cfg->lb.time_limit_s >= 0 && cfg->lb.time_limit_s <= ABP_CFG_TIMEOUT_MAX);
	FUZZ_CHECK(cfg->lb.size_limit >= 0 && cfg->lb.size_limit <= ABP_CFG_SIZELIMIT_MAX);
	FUZZ_CHECK(cfg->lb.page_size >= 0 && cfg->lb.page_size <= ABP_CFG_PAGESIZE_MAX);
	FUZZ_CHECK(cfg->lb.uris == cfg->uris && cfg->lb.base == cfg->base_dn);
}

/* A copy of the props with every password string's non-blank characters
 * replaced (blanks kept: trimming and "unset" stay the same).  Since the
 * password must never reach a message, the copy must give the very same
 * answer and message.  Returns false if the props hold no password string. */
static bool mask_password(ULONG n, const SPropValue *props, SPropValue *out, struct arena *a)
{
	bool any = false;

	memcpy(out, props, n * sizeof(*props));
	for (ULONG i = 0; i < n; i++) {
		ULONG t = PROP_TYPE(props[i].ulPropTag);

		if (PROP_ID(props[i].ulPropTag) != PROP_ID(PR_LDAPAB_BIND_PASSWORD_W))
			continue;
		if (t == PT_STRING8 && props[i].Value.lpszA != NULL) {
			const char *src = props[i].Value.lpszA;
			size_t len = strlen(src);
			char *m = arena_keep(a, malloc(len + 1));

			for (size_t k = 0; k <= len; k++)
				m[k] = (src[k] == '\0' || strchr(" \t\n\v\f\r", src[k]))
				       ? src[k] : (src[k] == 'Z' ? 'Y' : 'Z');
			out[i].Value.lpszA = m;
			any = true;
		} else if (t == PT_UNICODE && props[i].Value.lpszW != NULL) {
			const WCHAR *src = props[i].Value.lpszW;
			size_t len = 0;
			WCHAR *m;

			while (src[len])
				len++;
			m = arena_keep(a, malloc((len + 1) * sizeof(WCHAR)));
			for (size_t k = 0; k <= len; k++)
				m[k] = (src[k] == 0 || src[k] == ' ' || (src[k] >= 9 && src[k] <= 13))
				       ? src[k] : (src[k] == 'Z' ? 'Y' : 'Z');
			out[i].Value.lpszW = m;
			any = true;
		}
	}
	return any;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char prefix[] = "ldapab is not configured: ";
	static const size_t msg_sizes[] = { ABP_MSG_MAX, ABP_MSG_MAX, ABP_MSG_MAX, 1, 2, 27, 64 };
	struct reader r = { data, size };
	struct arena a = { .n = 0 };
	SPropValue props[MAX_RECORDS], masked[MAX_RECORDS];
	struct abp_config *cfg = NULL, *cfg2 = NULL;
	char *msg = NULL, *msg2 = NULL;
	size_t msglen;
	ULONG n = 0;
	HRESULT hr, hr2;

	msglen = msg_sizes[take0(&r) % (sizeof(msg_sizes) / sizeof(msg_sizes[0]))];
	while (r.left > 0 && n < MAX_RECORDS)
		read_record(&r, &a, &props[n++]);

	msg = malloc(msglen);           /* exact size: ASan sees an overrun */
	msg2 = malloc(msglen);
	FUZZ_CHECK(msg != NULL && msg2 != NULL);
	memset(msg, 'x', msglen);
	hr = abp_config_from_props(n, n ? props : NULL, &cfg, msg, msglen);
	FUZZ_CHECK(hr == S_OK || hr == MAPI_E_UNCONFIGURED);
	FUZZ_CHECK(memchr(msg, '\0', msglen) != NULL);
	if (hr == S_OK) {
		FUZZ_CHECK(cfg != NULL && msg[0] == '\0');
		check_config(cfg);
	} else {
		FUZZ_CHECK(cfg == NULL);
		if (msglen > 1)
			FUZZ_CHECK(msg[0] != '\0');
		FUZZ_CHECK(strncmp(msg, prefix, msglen - 1 < sizeof(prefix) - 1
		                                ? msglen - 1 : sizeof(prefix) - 1) == 0);
	}
	if (mask_password(n, props, masked, &a)) {
		hr2 = abp_config_from_props(n, masked, &cfg2, msg2, msglen);
		FUZZ_CHECK(hr2 == hr && strcmp(msg, msg2) == 0);
		abp_config_free(cfg2);
		cfg2 = NULL;
	}

	/* Deterministic: the same props give the same answer and message. */
	hr2 = abp_config_from_props(n, n ? props : NULL, &cfg2, msg2, msglen);
	FUZZ_CHECK(hr2 == hr && strcmp(msg, msg2) == 0 && (cfg2 != NULL) == (cfg != NULL));

	FUZZ_CHECK(abp_config_from_props(n, props, NULL, msg2, msglen) == MAPI_E_INVALID_PARAMETER);
	FUZZ_CHECK(abp_config_from_props(n, props, &cfg2, NULL, msglen) == MAPI_E_INVALID_PARAMETER);
	FUZZ_CHECK(abp_config_from_props(n, props, &cfg2, msg2, 0) == MAPI_E_INVALID_PARAMETER);

	abp_config_free(cfg2);
	abp_config_free(cfg);
	free(msg2);
	free(msg);
	arena_free(&a);
	return 0;
}
