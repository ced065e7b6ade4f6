/*
 * cli.h - the ldapab command: shared types of its parts.
 *
 *   main.c        global options, dispatch, exit codes (cli_main)
 *   start_<os>.c  the platform's entry point, which calls cli_main
 *   osdep_<os>.c  paths, terminal, clock, TCP probe of the platform (osdep.h)
 *   args.c        option parsing and help texts
 *   conffile.c    finding and reading ldapab.conf, ldap.conf fallback
 *   inifile.c     an INI stream → section/key/value entries with their lines
 *   profprops.c   configuration → the profile properties ServiceEntry receives
 *   book.c        provider module, profile, ServiceEntry, logon, lookups
 *   record.c      MAPI property arrays → records the formats print
 *   out_*.c       output formats (table, json, vcard, mutt/aerc, csv, ldif)
 *   json.c        JSON values and their strict writer (json.h)
 *   cmd_*.c       the subcommands
 *   text.c        UTF-8 display width, terminal width, diagnostics
 *   doctor_tls<_os>.c  what doctor says about a server's certificate
 */
#ifndef LDAPAB_CLI_H
#define LDAPAB_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <mapi/mapidefs.h>
#include <ldapab_host/host.h>
#include <ldapab_host/addrbook.h>

/* printf-style checking; with mingw-w64's C99 printf (ldapab.exe) formats
 * are gnu_printf's, since plain "printf" there means msvcrt's, without %zu. */
#ifdef __MINGW_PRINTF_FORMAT
#define CLI_PRINTF(f, a) __attribute__((format(__MINGW_PRINTF_FORMAT, f, a)))
#else
#define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#endif

/* Exit codes (sysexits.h values for 64 and up). */
enum {
	EXIT_FOUND = 0,
	EXIT_NOT_FOUND = 1,
	EXIT_AMBIGUOUS = 2,
	EXIT_USAGE = 64,        /* EX_USAGE */
	EXIT_DATAERR = 65,      /* EX_DATAERR: a malformed argument (entry ID) */
	EXIT_NOINPUT = 66,      /* EX_NOINPUT: a named file is missing */
	EXIT_UNAVAILABLE = 69,  /* EX_UNAVAILABLE: the directory cannot be reached */
	EXIT_SOFTWARE = 70,     /* EX_SOFTWARE: an internal error */
	EXIT_CANTCREAT = 73,    /* EX_CANTCREAT: an output file cannot be written */
	EXIT_TEMPFAIL = 75,     /* EX_TEMPFAIL: a time limit fired */
	EXIT_NOPERM = 77,       /* EX_NOPERM: bind refused, unsafe password file */
	EXIT_CONFIG = 78        /* EX_CONFIG: the configuration is wrong */
};

enum cli_format {
	FMT_TABLE, FMT_JSON, FMT_VCARD, FMT_MUTT, FMT_AERC, FMT_CSV, FMT_LDIF
};

/* One setting read from a file: the value and where it came from. */
struct cli_setting {
	char *value;            /* NULL: unset */
	const char *file;       /* borrowed from struct cli_conf */
	int line;               /* 0: not from a line (ldap.conf default, built in) */
};

/* Keys of ldapab.conf (conffile.c has the table that names them). */
enum cli_key {
	K_URI, K_BASE, K_NAME,
	K_BIND_METHOD, K_BIND_DN, K_PASSWORD, K_PASSWORD_FILE, K_ALLOW_INSECURE,
	K_TLS_MODE, K_CA_FILE, K_CA_DIR, K_REQCERT, K_CERT_FILE, K_KEY_FILE,
	K_CONNECT_TIMEOUT, K_OP_TIMEOUT, K_TIME_LIMIT, K_SIZE_LIMIT, K_PAGE_SIZE, K_BACKOFF,
	K_BROWSE, K_PERSON_FILTER, K_GROUP_FILTER, K_SCHEMA,
	K_MODULE,
	K_COUNT
};

struct cli_multi {
	char *value;
	int line;
};

struct cli_conf {
	char *path;                     /* the file read, NULL if none */
	char *ldapconf_path;            /* ldap.conf consulted for defaults, or NULL */
	struct cli_setting set[K_COUNT];
	struct cli_multi *attrmap;      /* "PR_X=attr" */
	size_t n_attrmap;
	struct cli_multi *containers;   /* "Name|base|filter" */
	size_t n_containers;
};

/* Key metadata for messages and doctor. */
const char *cli_key_name(enum cli_key k);       /* "section.key" */
const char *cli_key_prop(enum cli_key k);       /* "PR_LDAPAB_..." or NULL */

/*
 * Finds and reads the configuration (-c path > $LDAPAB_CONFIG >
 * $XDG_CONFIG_HOME/ldapab/ldapab.conf > /etc/ldapab/ldapab.conf > ldap.conf only),
 * fills unset URI/base/CA file from ldap.conf(5) ($LDAPCONF or /etc/ldap/ldap.conf).
 * On failure prints one line to the error stream and returns an EXIT_* code.
 */
int cli_conf_load(const char *explicit_path, struct cli_conf *out);
void cli_conf_free(struct cli_conf *c);

/* Profile properties (one root, host_MAPIFreeBuffer) for ServiceEntry CONFIGURE. */
int cli_conf_to_props(const struct cli_conf *c, ULONG *n, LPSPropValue *out);

/* A located diagnostic: "file:line: key: text" when the setting came from a file. */
const struct cli_setting *cli_conf_find_prop(const struct cli_conf *c, const char *prop,
                                             const char **keyname);

/* ---- the open address book ---- */
struct cli_book {
	host_provider *prov;
	host_profile *profile;
	host_session *session;
	host_logon *logon;
	const struct cli_conf *conf;
	/* milliseconds each step of cli_book_open took (doctor prints them) */
	double ms_load, ms_configure, ms_logon;
};

int cli_book_open(const struct cli_conf *conf, struct cli_book *b);
void cli_book_close(struct cli_book *b);
/* Maps a MAPI failure and its text to an exit code, printing one line. */
int cli_fail(HRESULT hr, const char *what, const char *text);

/* ---- records ---- */
enum cli_kind { KIND_PERSON, KIND_GROUP, KIND_OTHER };

struct cli_field {
	const char *key;        /* JSON key, e.g. "title" */
	const char *label;      /* table label, e.g. "Title" */
	char **values;          /* UTF-8 */
	size_t n;
};

struct cli_record {
	enum cli_kind kind;
	char *name;             /* display name */
	char *email;            /* primary address or NULL */
	char **addresses;       /* every SMTP address, primary first */
	size_t n_addresses;
	char *entryid_hex;
	unsigned char *photo;
	size_t photo_len;
	struct cli_field *fields;   /* every other property, labelled */
	size_t n_fields;
	int depth;              /* members --expand / containers: nesting */
	char *via;              /* members --expand: the group that listed it */
};

int cli_record_from_props(ULONG n, const SPropValue *props, struct cli_record *out);
void cli_record_free(struct cli_record *r);
const char *cli_record_field(const struct cli_record *r, const char *key);

struct cli_records {
	struct cli_record *v;
	size_t n, cap;
};
int cli_records_add_rows(struct cli_records *rs, const SRowSet *rows);
int cli_records_push(struct cli_records *rs, struct cli_record *r);  /* takes r */
void cli_records_free(struct cli_records *rs);

/* Columns asked of contents and member tables (what the formats show). */
const SPropTagArray *cli_entry_columns(void);

/* ---- output ---- */
struct cli_out {
	enum cli_format fmt;
	FILE *f;
	int width;              /* table width, 0 = unlimited */
	bool verbose;
};

/* A list of entries: heading (free text, may be NULL), the entries. */
void out_table_list(const struct cli_out *o, const struct cli_records *rs);
void out_table_record(const struct cli_out *o, const struct cli_record *r);
void out_mutt_list(const struct cli_out *o, const char *header, const struct cli_records *rs);
void out_vcard_list(const struct cli_out *o, const struct cli_records *rs);
void out_csv_list(const struct cli_out *o, const struct cli_records *rs);
void out_csv_header(const struct cli_out *o);
void out_csv_rows(const struct cli_out *o, const struct cli_records *rs);
void out_ldif_list(const struct cli_out *o, const struct cli_records *rs, const char *base);
void out_ldif_records(const struct cli_out *o, const struct cli_records *rs, const char *base);

/* JSON (json.h): values the commands assemble.  out_json_print takes v and
 * writes it pretty with a newline; 0, or an EXIT_* code after one error line
 * when v failed to build (no memory) or could not be written. */
struct jv;
struct jv *out_json_record(const struct cli_record *r);
struct jv *out_json_records(const struct cli_records *rs);
int out_json_print(const struct cli_out *o, struct jv *v) __attribute__((warn_unused_result));

/* ---- text ---- */
size_t text_width(const char *s);
/* Writes s with control characters shown as U+FFFD (terminal safety). */
void text_put(FILE *f, const char *s);
/* Writes s fitted to exactly w columns (cut with "…" or padded). */
void text_fit(FILE *f, const char *s, size_t w);
int text_terminal_width(FILE *f);
/* The error stream (stderr, or the saved one when mutt/aerc silence stderr). */
FILE *cli_err(void);
void cli_silence_stderr(void);
void cli_errorf(const char *fmt, ...) CLI_PRINTF(1, 2);
void cli_progress(size_t done, size_t total, bool final);

/* ---- subcommands ---- */
struct cli_ctx {
	struct cli_conf conf;
	struct cli_out out;
	const char *config_path;
	bool verbose;
	int argc;
	char **argv;            /* the subcommand's arguments (without its name) */
	const char *sub;        /* the subcommand */
	/* subcommand options (NULL / false / 0 when not given) */
	const char *from;       /* browse --from */
	const char *photo;      /* show --photo */
	const char *container;  /* -C/--container */
	const char *output;     /* export -o */
	bool expand;            /* members --expand */
	bool has_count, has_offset, format_given;
	unsigned long count, offset;
};

int cmd_resolve(struct cli_ctx *c);
int cmd_search(struct cli_ctx *c);
int cmd_browse(struct cli_ctx *c);
int cmd_show(struct cli_ctx *c);
int cmd_members(struct cli_ctx *c);
int cmd_containers(struct cli_ctx *c);
int cmd_export(struct cli_ctx *c);
int cmd_doctor(struct cli_ctx *c);

/* args.c */
char *cli_join_args(int argc, char **argv);     /* malloc'd, words joined by ' ' */
int cli_parse_format(const char *s, enum cli_format *out);
void cli_usage(FILE *f);
int cli_sub_help(const char *sub, FILE *f);     /* 0 if sub is known */
int cli_parse_count(const char *s, unsigned long *out);
const char *cli_version(void);

/* book.c lookups shared by commands */
/* The containers (hierarchy rows) or NULL on failure (message printed, *rc set). */
LPSRowSet cli_containers(struct cli_book *b, bool recipients_only, int *rc);
/* Opens the named container (NULL/"" = the first with recipients). */
int cli_open_container(struct cli_book *b, const char *name, LPABCONT *out, char **name_out);
/* Resolves one name through IAddrBook::ResolveName: *status MAPI_RESOLVED etc.;
 * *entry gets the resolved properties (root) when resolved. */
int cli_resolve_one(struct cli_book *b, const char *name, ULONG *status, ULONG *n,
                    LPSPropValue *entry);
/* Pick-list rows for name (the entry columns). */
int cli_candidates(struct cli_book *b, const char *name, ULONG max, LPSRowSet *out,
                   int *truncated);
/* Opens by entry ID; object type in *type. */
int cli_open_entry(struct cli_book *b, ULONG cb, const BYTE *eid, ULONG *type, LPUNKNOWN *out);
/* Entry ID from hex (even length, ≥ 40 digits) into a malloc'd buffer; 0 if not hex. */
int cli_hex_entryid(const char *s, BYTE **out, ULONG *cb);

#endif
