/*
 * args.c - help texts, format names, argument helpers.  The man page
 * ldapab(1) says the same; tests/cli checks that they agree.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

#ifndef LDAPAB_VERSION
#define LDAPAB_VERSION "0"
#endif

const char *cli_version(void)
{
	return LDAPAB_VERSION;
}

static const struct {
	const char *name;
	const char *synopsis;
	const char *text;
} subs[] = {
	{ "resolve", "resolve NAME[; NAME...]",
	  "Check names as Outlook does (IAddrBook::ResolveName): each name, separated\n"
	  "by ';', is resolved, ambiguous (its candidates are listed) or not found.\n"
	  "Exit 0 when every name resolved, 2 when one is ambiguous, 1 when one is not\n"
	  "found.  Formats: table, json, mutt, aerc, vcard, csv.\n" },
	{ "search", "search [-C CONTAINER] [-n N] TEXT...",
	  "Ambiguous name resolution (PR_ANR): every entry whose name, given name,\n"
	  "surname, e-mail or account starts with each word of TEXT, up to the\n"
	  "directory's size limit (or N).  Several words may be one argument or\n"
	  "several.  Exit 0 when something matched, 1 when nothing did.\n"
	  "Formats: table, json, mutt, aerc, vcard, csv, ldif.\n" },
	{ "browse", "browse [CONTAINER] [--from PREFIX] [--offset N] [-n N]",
	  "A window of the container's sorted list (the address book's list view):\n"
	  "from the first name at or after PREFIX (type-down), or from row N.\n"
	  "Default window: 20 entries.\n" },
	{ "show", "show [--photo FILE] NAME|ENTRYID",
	  "Every property of one person or group, with readable labels.  NAME is\n"
	  "resolved first (exit 2 with the candidates if ambiguous); a hex entry ID\n"
	  "(as printed by show and json) opens the entry directly.  --photo saves\n"
	  "the thumbnail photo when the directory has one.\n" },
	{ "members", "members [--expand] GROUP",
	  "The members of a group, one level; with --expand nested groups are\n"
	  "expanded (each person once, cycles stopped).\n" },
	{ "containers", "containers",
	  "The address book's containers (its hierarchy table), nested by depth.\n" },
	{ "export", "export [-f vcard|csv|ldif|json] [-o FILE] [-C CONTAINER]",
	  "Every entry of the directory, read page by page, in one format\n"
	  "(default vcard).  A progress bar is drawn on stderr when it is a terminal.\n" },
	{ "doctor", "doctor",
	  "What to check when lookups fail: the configuration in effect (passwords\n"
	  "masked), then for each server: connect, TLS, bind and the root DSE\n"
	  "(naming contexts, paging, sorting, VLV) with timings, and a sample lookup\n"
	  "through the address book.  Exit 0 when everything worked.\n" },
};
#define NSUBS (sizeof(subs) / sizeof(subs[0]))

void cli_usage(FILE *f)
{
	fprintf(f,
	        "usage: ldapab [-c FILE] [-f FORMAT] [-v] COMMAND [ARGS...]\n"
	        "Look people and groups up in an LDAP directory through the ldapab MAPI\n"
	        "address book provider (the code Outlook runs).\n\n"
	        "commands:\n");
	for (size_t i = 0; i < NSUBS; i++)
		fprintf(f, "  %s\n", subs[i].synopsis);
	fprintf(f,
	        "\noptions:\n"
	        "  -c, --config FILE   configuration file (default: $LDAPAB_CONFIG,\n"
	        "                      $XDG_CONFIG_HOME/ldapab/ldapab.conf, /etc/ldapab/ldapab.conf;\n"
	        "                      unset values from ldap.conf)\n"
	        "  -f, --format FMT    table (default), json, vcard, mutt, aerc, csv, ldif\n"
	        "  -v, --verbose       say more on stderr (also the provider's debug log)\n"
	        "  -h, --help          this text; COMMAND --help for one command\n"
	        "  -V, --version       the version\n"
	        "\nexit status: 0 found, 1 not found, 2 ambiguous, 64 usage, 65 bad entry ID,\n"
	        "66 missing file, 69 directory unreachable, 70 internal error, 73 cannot write,\n"
	        "75 time limit, 77 permission (bind refused, unsafe password file), 78 configuration.\n"
	        "See ldapab(1) and ldapab.conf(5).\n");
}

int cli_sub_help(const char *sub, FILE *f)
{
	for (size_t i = 0; i < NSUBS; i++) {
		if (strcmp(sub, subs[i].name) == 0) {
			fprintf(f, "usage: ldapab [-c FILE] [-f FORMAT] %s\n\n%s", subs[i].synopsis,
			        subs[i].text);
			return 0;
		}
	}
	return -1;
}

int cli_parse_format(const char *s, enum cli_format *out)
{
	static const struct { const char *n; enum cli_format f; } fm[] = {
		{ "table", FMT_TABLE }, { "json", FMT_JSON }, { "vcard", FMT_VCARD },
		{ "mutt", FMT_MUTT }, { "aerc", FMT_AERC }, { "csv", FMT_CSV }, { "ldif", FMT_LDIF },
	};
	for (size_t i = 0; i < sizeof(fm) / sizeof(fm[0]); i++)
		if (strcasecmp(s, fm[i].n) == 0) {
			*out = fm[i].f;
			return 0;
		}
	return -1;
}

int cli_parse_count(const char *s, unsigned long *out)
{
	char *end = NULL;
	unsigned long v;

	errno = 0;
	if (!s || *s == '-')
		return -1;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > 1000000)
		return -1;
	*out = v;
	return 0;
}

char *cli_join_args(int argc, char **argv)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	/* Blanks collapsed, so "a  b" and "a" "b" are the same query. */
	char *w = s;
	for (char *r = s; *r; r++) {
		if ((*r == ' ' || *r == '\t') && (w == s || w[-1] == ' '))
			continue;
		*w++ = *r == '\t' ? ' ' : *r;
	}
	while (w > s && w[-1] == ' ')
		w--;
	*w = '\0';
	return s;
}
