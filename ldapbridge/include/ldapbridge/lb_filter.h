/*
 * lb_filter.h - LDAP search filters, ANR, DNs and UTF-8 for ldapbridge.
 *
 * Overview
 *   Nothing user-supplied is ever pasted into a filter string.  Callers build
 *   a tree of lb_filter nodes holding raw values (binary-safe byte strings);
 *   lb_filter_render() turns the tree into RFC 4515 text and passes every
 *   value through the one escaping function, lb_filter_escape().  Attribute
 *   descriptions are checked when a node is created (RFC 4512 descr or
 *   numeric OID, then options such as ";binary"), so a hostile attribute name
 *   cannot smuggle filter syntax either.  The only text taken verbatim is an
 *   administrator's base filter (lb_filter_raw()), and that is parsed by
 *   lb_filter_validate() first.
 *
 *   The ANR builder (lb_anr_build(), lb_anr_build_exact()) turns what a user
 *   typed into a filter tree: "(anr=...)" on Active Directory, an emulation
 *   over configured attributes elsewhere (spec CT-9).
 *
 *   DN helpers use libldap's DN parser; the UTF-8 helpers let the provider
 *   check and repair server strings (spec MU-6).
 *
 * Memory
 *   Everything is allocated with malloc().  Strings returned through a
 *   "char **out" parameter are owned by the caller and released with free();
 *   lb_filter trees are released with lb_filter_free().  Outputs are assigned
 *   only on success; on failure *out is left untouched.
 *
 * Errors
 *   Fallible functions return an lb_err and, when err is not NULL, fill it
 *   (code, message; step is LB_STEP_CONFIG for configuration problems and
 *   LB_STEP_NONE otherwise).  Codes used here: LB_E_INVALID (bad argument or
 *   input), LB_E_NOMEM, LB_E_FILTER (a filter that cannot be built: bad
 *   attribute description, limits exceeded, malformed base filter).
 *   Messages never quote assertion values (they may be hostile or private).
 *
 * Threads
 *   No global state.  A tree may be read (rendered) from several threads at
 *   once; building or freeing one tree needs the caller's exclusion.
 */
#ifndef LDAPBRIDGE_LB_FILTER_H
#define LDAPBRIDGE_LB_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lb_err.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef LB_WUR
#define LB_WUR __attribute__((warn_unused_result))
#endif

/* ------------------------------------------------------------------------ */
/* UTF-8                                                                     */

/*
 * Decode one UTF-8 sequence at the start of s (len bytes available).
 * Strict: rejects overlong forms, surrogates (U+D800..U+DFFF), code points
 * above U+10FFFF, stray continuation bytes and truncated sequences.
 * Returns the sequence length (1..4) and stores the code point in *cp, or
 * returns 0 for an invalid or empty sequence (then *cp = U+FFFD).
 * cp may be NULL.
 */
size_t lb_utf8_decode(const char *s, size_t len, uint32_t *cp);

/*
 * True when the len bytes at s are entirely valid UTF-8 (strict, as above;
 * U+0000 counts as valid).  s may be NULL only when len is 0.
 */
bool lb_utf8_valid(const char *s, size_t len);

/*
 * Copy len bytes from s into a new NUL-terminated buffer, replacing each
 * maximal invalid subsequence (Unicode "maximal subpart" practice) with
 * U+FFFD, so the result is always valid UTF-8.  Valid input is copied
 * unchanged.  Embedded U+0000 bytes are kept (use *out_len).
 *   out      receives the buffer; caller frees with free().
 *   out_len  receives its length without the terminator; may be NULL.
 * Errors: LB_E_INVALID (s NULL with len > 0, out NULL), LB_E_NOMEM.
 */
lb_err lb_utf8_sanitize(const char *s, size_t len, char **out, size_t *out_len,
                        struct lb_error *err) LB_WUR;

/* ------------------------------------------------------------------------ */
/* Escaping                                                                  */

/* Pass as a length to mean "value is NUL-terminated; use strlen()". */
#define LB_NTS ((size_t)-1)

/*
 * The one RFC 4515 escaping function for assertion values.  Every value
 * that reaches a filter rendered by ldapbridge goes through it.
 *
 * Escaped as \hh (lowercase hex): '*' '(' ')' '\' NUL (required by RFC
 * 4515), the other C0 controls and DEL (so a filter stays printable in a log
 * line), and every byte that is not part of a valid UTF-8 sequence (so the
 * filter text itself is valid UTF-8 and the server still gets the exact
 * bytes).  Valid multi-byte UTF-8 is copied as is, keeping names readable.
 * Binary-safe: value is len bytes, NUL bytes included.
 *
 * snprintf-style: writes at most dst_size bytes including a terminating NUL
 * (dst may be NULL when dst_size is 0) and returns the length of the full
 * escaped text, excluding the NUL.  No error is possible; value may be NULL
 * only when len is 0.  Output is at most 3 * len bytes.
 */
size_t lb_filter_escape(const char *value, size_t len, char *dst, size_t dst_size);

/*
 * Allocating wrapper over lb_filter_escape().  len may be LB_NTS.
 *   out  receives the escaped NUL-terminated text; caller frees with free().
 * Errors: LB_E_INVALID (NULL value with len > 0, NULL out), LB_E_NOMEM.
 */
lb_err lb_filter_escape_dup(const char *value, size_t len, char **out,
                            struct lb_error *err) LB_WUR;

/*
 * True when attr is a valid RFC 4512 attribute description: a descr
 * (ALPHA *(ALPHA / DIGIT / "-")) or a numeric OID (no leading zeros), then
 * any number of ";option" (option = 1*(ALPHA / DIGIT / "-")).  At most
 * LB_FILTER_MAX_ATTR bytes.  NULL is not valid.
 */
bool lb_filter_attr_valid(const char *attr);

/* ------------------------------------------------------------------------ */
/* Filter trees                                                              */

/* Limits against hostile input; exceeding one is LB_E_FILTER. */
#define LB_FILTER_MAX_ATTR     128        /* bytes in an attribute description */
#define LB_FILTER_MAX_VALUE    4096       /* raw bytes in one assertion value */
#define LB_FILTER_MAX_DEPTH    16         /* nesting levels, leaf = 1 */
#define LB_FILTER_MAX_NODES    1024       /* nodes in one tree */
#define LB_FILTER_MAX_ANY      16         /* "any" parts in one substring node */
#define LB_FILTER_MAX_TEXT     (64 * 1024)/* bytes of rendered or raw filter text */

typedef struct lb_filter lb_filter;

typedef enum lb_filter_op {
	LB_FILTER_EQ = 1,    /* (a=v)   */
	LB_FILTER_GE,        /* (a>=v)  */
	LB_FILTER_LE,        /* (a<=v)  */
	LB_FILTER_APPROX     /* (a~=v)  */
} lb_filter_op;

typedef enum lb_filter_list_op {
	LB_FILTER_AND = 1,   /* (&...) ; empty renders as "(&)" (RFC 4526 true)  */
	LB_FILTER_OR         /* (|...) ; empty renders as "(|)" (RFC 4526 false) */
} lb_filter_list_op;

/* A binary-safe byte string for substring parts. */
struct lb_filter_value {
	const char *ptr;
	size_t len;          /* may be LB_NTS */
};

/*
 * Comparison node: (attr=value), (attr>=value), (attr<=value), (attr~=value).
 *   attr   attribute description, checked by lb_filter_attr_valid(); copied.
 *   value  raw bytes (copied, escaped at render time); len may be LB_NTS.
 *          An empty value is allowed ("(a=)").
 *   out    receives the new node; caller frees with lb_filter_free() or hands
 *          it to lb_filter_add()/lb_filter_not().
 * Errors: LB_E_INVALID (NULL pointer, unknown op), LB_E_FILTER (bad attribute,
 * value longer than LB_FILTER_MAX_VALUE), LB_E_NOMEM.
 */
lb_err lb_filter_cmp(lb_filter_op op, const char *attr, const char *value,
                     size_t len, lb_filter **out, struct lb_error *err) LB_WUR;

/* lb_filter_cmp(LB_FILTER_EQ, ...). */
lb_err lb_filter_eq(const char *attr, const char *value, size_t len,
                    lb_filter **out, struct lb_error *err) LB_WUR;

/* Presence node (attr=*).  Errors as lb_filter_cmp(). */
lb_err lb_filter_present(const char *attr, lb_filter **out,
                         struct lb_error *err) LB_WUR;

/*
 * General substring node (attr=initial*any1*any2*...*final).
 *   initial, final  NULL for absent; otherwise len bytes (may be LB_NTS);
 *                   an empty part counts as absent.
 *   any, n_any      n_any parts (empty parts are skipped); any may be NULL
 *                   when n_any is 0.
 * At least one non-empty part is required (else use lb_filter_present()).
 * Errors: LB_E_INVALID (NULL pointers, no part), LB_E_FILTER (bad attribute,
 * a part over LB_FILTER_MAX_VALUE, n_any over LB_FILTER_MAX_ANY), LB_E_NOMEM.
 */
lb_err lb_filter_substr(const char *attr, const char *initial, size_t initial_len,
                        const struct lb_filter_value *any, size_t n_any,
                        const char *final, size_t final_len,
                        lb_filter **out, struct lb_error *err) LB_WUR;

/* Prefix node (attr=value*).  value must be non-empty.  As lb_filter_substr(). */
lb_err lb_filter_prefix(const char *attr, const char *value, size_t len,
                        lb_filter **out, struct lb_error *err) LB_WUR;

/* Contains node (attr=*value*).  value must be non-empty.  As lb_filter_substr(). */
lb_err lb_filter_contains(const char *attr, const char *value, size_t len,
                          lb_filter **out, struct lb_error *err) LB_WUR;

/*
 * Empty AND / OR node; fill it with lb_filter_add().
 * Errors: LB_E_INVALID (NULL out, unknown op), LB_E_NOMEM.
 */
lb_err lb_filter_list(lb_filter_list_op op, lb_filter **out,
                      struct lb_error *err) LB_WUR;

/*
 * Append child to an AND/OR node.  Ownership of child passes to this call
 * in every case: on success parent owns it, on failure it has been freed,
 * so callers never free a child after handing it over.  (Two caller bugs
 * are the exception: a child already attached elsewhere, or child == parent,
 * is left alone, since freeing it would corrupt the other tree.)
 * Only top-level trees may be extended and attached: parent must not itself
 * be attached to another node yet (build bottom-up), and child must not be
 * attached already.  Depth and node limits are checked here.
 * Errors: LB_E_INVALID (NULL, parent not AND/OR, attachment rule),
 * LB_E_FILTER (LB_FILTER_MAX_DEPTH or LB_FILTER_MAX_NODES exceeded),
 * LB_E_NOMEM.
 */
lb_err lb_filter_add(lb_filter *parent, lb_filter *child,
                     struct lb_error *err) LB_WUR;

/*
 * NOT node (!child).  Consumes child in every case, as lb_filter_add().
 * Errors: LB_E_INVALID (NULL, child attached), LB_E_FILTER (depth), LB_E_NOMEM.
 */
lb_err lb_filter_not(lb_filter *child, lb_filter **out,
                     struct lb_error *err) LB_WUR;

/*
 * Verbatim node for an administrator's filter text, e.g. the configured
 * "(objectClass=inetOrgPerson)".  The text is first checked with
 * lb_filter_validate(); it is never combined with user input by string
 * operations, only as a sibling node.  A bare "a=v" without parentheses is
 * accepted and wrapped (ldap.conf style).
 * Errors: LB_E_INVALID (NULL), LB_E_FILTER (malformed, message says where;
 * err->step is LB_STEP_CONFIG), LB_E_NOMEM.
 */
lb_err lb_filter_raw(const char *text, lb_filter **out,
                     struct lb_error *err) LB_WUR;

/*
 * AND filter with an optional configured base filter:
 * returns (&base filter), or filter itself when base is NULL or blank.
 * When filter is itself an AND, base is put first inside it instead
 * ((&base a b) rather than (&base(&a b))).  Consumes filter in every case.
 * Errors: as lb_filter_raw() and lb_filter_add().
 */
lb_err lb_filter_with_base(const char *base, lb_filter *filter,
                           lb_filter **out, struct lb_error *err) LB_WUR;

/*
 * Render a tree as RFC 4515 text.
 *   out  receives a NUL-terminated string; caller frees with free().
 * Errors: LB_E_INVALID (NULL), LB_E_FILTER (text over LB_FILTER_MAX_TEXT),
 * LB_E_NOMEM.
 */
lb_err lb_filter_render(const lb_filter *filter, char **out,
                        struct lb_error *err) LB_WUR;

/* Free a tree (and all its children).  NULL is accepted.  Freeing a node
 * that is attached to a parent is a caller bug (asserted). */
void lb_filter_free(lb_filter *filter);

/*
 * Check that text[0..len) is one well-formed RFC 4515 filter: balanced
 * parentheses, valid attribute descriptions, extensible matches
 * (attr[:dn][:rule]:=v, [:dn]:rule:=v), "\hh" escapes with two hex digits,
 * no unescaped '(' ')' '\' or NUL in values, '*' only in substring/presence
 * position, depth within LB_FILTER_MAX_DEPTH, length within
 * LB_FILTER_MAX_TEXT.  Empty "(&)" and "(|)" are accepted (RFC 4526).
 * Used for configured base filters, and by the tests on every rendered filter.
 * Errors: LB_E_INVALID (NULL text), LB_E_FILTER (message gives the byte
 * offset and reason).
 */
lb_err lb_filter_validate(const char *text, size_t len,
                          struct lb_error *err) LB_WUR;

/* ------------------------------------------------------------------------ */
/* Ambiguous name resolution (spec CT-9, CT-11)                              */

#define LB_ANR_MAX_INPUT_DEFAULT 256   /* bytes, after trimming */
#define LB_ANR_MAX_WORDS         8

/*
 * ANR configuration.  All pointers are borrowed for the duration of a call.
 * A zeroed struct is a valid "OpenLDAP, defaults everywhere" configuration.
 */
struct lb_anr_config {
	/* true: the server is Active Directory and evaluates (anr=...) itself. */
	bool active_directory;

	/* Filter ANDed with every ANR and exact filter (checked with
	 * lb_filter_validate()), e.g. "(|(objectClass=inetOrgPerson)
	 * (objectClass=groupOfNames))".  NULL: none, except on Active Directory
	 * where (anr=) also matches computers: there NULL means
	 * "(|(objectCategory=person)(objectCategory=group))"; "" means none. */
	const char *base_filter;

	/* Emulation (not AD): attributes whose value must start with a word.
	 * NULL: displayName, cn, sn, givenName, mail, uid. */
	const char *const *prefix_attrs;
	size_t n_prefix_attrs;

	/* Emulation: attributes holding several words, where a word may also
	 * start after a space: (a=* word*).  NULL: displayName, cn. */
	const char *const *word_attrs;
	size_t n_word_attrs;

	/* Attribute names for the "First Last" / "Last, First" split.
	 * NULL: "givenName" and "sn". */
	const char *given_name_attr;
	const char *surname_attr;

	/* Exact mode: equality on each.  NULL: mail, uid (not AD);
	 * mail, sAMAccountName, userPrincipalName (AD). */
	const char *const *exact_attrs;
	size_t n_exact_attrs;

	/* Input cap in bytes after trimming; 0: LB_ANR_MAX_INPUT_DEFAULT. */
	size_t max_input;
};

/*
 * Build the ANR filter for what a user typed.
 *
 * The input is trimmed (ASCII whitespace, U+00A0, U+3000) and split into
 * words at whitespace runs and commas.
 *
 * Active Directory: (&base(anr=<input, whitespace runs collapsed>)); when
 * the input contains '@' an equality on mail is ORed in, because AD's anr
 * does not look at mail: (&base(|(anr=v)(mail=v))).
 *
 * Elsewhere (CT-9: an entry matches when every word is a case-insensitive
 * prefix of a word of one of the attributes; matching rules of these
 * attributes are caseIgnore, so the server does the case folding):
 *   per word w:  W(w) = (|(p1=w*)...(pn=w*)(d1=* w*)...(dm=* w*))
 *                for prefix_attrs p and word_attrs d;
 *   one word:    (&base W(w))
 *   "First Last" (exactly two words, no comma):
 *                (&base(|(&(givenName=First*)(sn=Last*))(&W(First)W(Last))))
 *   "Last, First" (one comma with words on both sides; the text before it is
 *                the surname, after it the given name, inner spaces kept):
 *                (&base(|(&(sn=Last*)(givenName=First*))(&W(w1)...W(wn))))
 *   otherwise:   (&base W(w1)...W(wn))
 * The split branch is implied by the per-word branch; it is spelled out
 * because servers answer it from the givenName/sn indexes directly.
 * "(&base X)" is just X when there is no base filter.
 *
 *   cfg    configuration, may be NULL for all defaults.
 *   input  NUL-terminated UTF-8.
 *   out    receives the tree; caller frees with lb_filter_free().
 * Errors: LB_E_INVALID (NULL input/out, input blank after trimming - "matches
 * nothing", the caller decides what that means -, longer than the cap, not
 * valid UTF-8, more than LB_ANR_MAX_WORDS words), LB_E_FILTER (bad configured
 * attribute or base filter), LB_E_NOMEM.
 */
lb_err lb_anr_build(const struct lb_anr_config *cfg, const char *input_utf8,
                    lb_filter **out, struct lb_error *err) LB_WUR;

/*
 * Exact lookup for address resolution (EMS_AB_ADDRESS_LOOKUP):
 * (&base(|(e1=v)...(en=v))) over exact_attrs, v the trimmed input.
 * Arguments and errors as lb_anr_build().
 */
lb_err lb_anr_build_exact(const struct lb_anr_config *cfg, const char *input_utf8,
                          lb_filter **out, struct lb_error *err) LB_WUR;

/* ------------------------------------------------------------------------ */
/* Distinguished names (libldap's LDAPv3 parser)                             */

/*
 * Normalised form of a DN, for comparison and as a map key: attribute types
 * lowercased, spaces around separators dropped, multi-valued RDNs sorted,
 * values re-escaped canonically by ldap_dn2str (RFC 4514; valid UTF-8 is
 * kept unescaped, LDAP_DN_PRETTY), and values of common
 * case-insensitive attributes (cn, ou, o, dc, c, l, st, street, uid, mail,
 * sn, givenName, displayName, name, sAMAccountName, ... and their OIDs)
 * lowercased in ASCII.  Non-ASCII letters keep their case (a conservative
 * choice: two DNs differing only there compare unequal).
 *   out  receives the normalised DN; caller frees with free().  "" stays "".
 * Errors: LB_E_INVALID (NULL, not a valid LDAPv3 DN), LB_E_NOMEM.
 */
lb_err lb_dn_normalize(const char *dn, char **out, struct lb_error *err) LB_WUR;

/*
 * Compare two DNs after normalisation.  *equal receives the answer.
 * Errors: LB_E_INVALID (NULL, either DN invalid), LB_E_NOMEM.
 */
lb_err lb_dn_equal(const char *a, const char *b, bool *equal,
                   struct lb_error *err) LB_WUR;

/*
 * *result = true when dn is base or lies below it (subtree scope), compared
 * RDN by RDN after normalisation.  Every DN is below "".
 * Errors: as lb_dn_equal().
 */
lb_err lb_dn_is_descendant(const char *dn, const char *base, bool *result,
                           struct lb_error *err) LB_WUR;

/*
 * Value of the first AVA of the first RDN, unescaped ("cn=Smith\, J,ou=x"
 * gives "Smith, J"), as valid UTF-8 (invalid bytes replaced by U+FFFD).
 * For showing group members that lack a cn.
 *   out  receives the value; caller frees with free().
 * Errors: LB_E_INVALID (NULL, invalid DN, empty DN), LB_E_NOMEM.
 */
lb_err lb_dn_rdn_value(const char *dn, char **out, struct lb_error *err) LB_WUR;

#ifdef __cplusplus
}
#endif
#endif /* LDAPBRIDGE_LB_FILTER_H */
