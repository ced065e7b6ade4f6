/* cmd_common.h - helpers the subcommands share (cmd_common.c). */
#ifndef LDAPAB_CLI_CMD_COMMON_H
#define LDAPAB_CLI_CMD_COMMON_H

#include "cli.h"

/* Opens eid and reads every property (GetProps(NULL)) into r. */
int cmd_load_record(struct cli_book *b, ULONG cb, const BYTE *eid, struct cli_record *r,
                    ULONG *type_out);
const SPropValue *cmd_find(ULONG n, const SPropValue *v, ULONG tag);
/* Prints entries in c's format; query and header (mutt's first line) may be NULL.
 * 0, or out_json_print's EXIT_* code when the JSON cannot be built or written. */
int cmd_print_list(struct cli_ctx *c, const char *query, const char *header,
                   const struct cli_records *rs, bool truncated)
	__attribute__((warn_unused_result));
/* Reads rows of t (at most max, 0 = all) into rs; progress bar when asked. */
int cmd_table_rows(LPMAPITABLE t, size_t max, struct cli_records *rs, bool *truncated,
                   bool progress);
/* The same, handing each page of records to page(ctx, rs), which prints and
 * empties rs (streaming: memory independent of the table's size). */
int cmd_table_stream(LPMAPITABLE t, size_t max, struct cli_records *rs, bool *truncated,
                     bool progress, int (*page)(void *ctx, struct cli_records *rs), void *ctx);
int cmd_table_error(LPMAPITABLE t, HRESULT hr, const char *what);
int cmd_container_error(LPABCONT ct, HRESULT hr, const char *what);
/* The container's contents table with the entry columns. */
int cmd_contents(LPABCONT ct, LPMAPITABLE *out);

#endif
