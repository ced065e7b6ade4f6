/*
 * main.c - the ldapab command: options, configuration, dispatch.
 *
 * Options may come before or after the command; "--" ends them (for a name
 * that starts with '-').  Every failure is one line on stderr, "ldapab: ...",
 * and a sysexits-style exit code (cli.h).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "osdep.h"

static const struct {
	const char *name;
	int (*fn)(struct cli_ctx *);
	const char *opts;       /* which subcommand options it takes */
} cmds[] = {
	{ "resolve", cmd_resolve, "" },
	{ "search", cmd_search, "Cn" },
	{ "browse", cmd_browse, "FnOC" },
	{ "show", cmd_show, "P" },
	{ "members", cmd_members, "X" },
	{ "containers", cmd_containers, "" },
	{ "export", cmd_export, "oC" },
	{ "doctor", cmd_doctor, "" },
};

enum { OPT_FROM = 256, OPT_OFFSET, OPT_PHOTO, OPT_EXPAND };

static const struct option longopts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "format", required_argument, NULL, 'f' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "count", required_argument, NULL, 'n' },
	{ "container", required_argument, NULL, 'C' },
	{ "output", required_argument, NULL, 'o' },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "offset", required_argument, NULL, OPT_OFFSET },
	{ "photo", required_argument, NULL, OPT_PHOTO },
	{ "expand", no_argument, NULL, OPT_EXPAND },
	{ NULL, 0, NULL, 0 },
};

int cli_main(int argc, char **argv)
{
	struct cli_ctx c;
	bool help = false;
	char given[16] = "";
	int opt, rc, ci = -1;

	memset(&c, 0, sizeof(c));
	c.out.fmt = FMT_TABLE;
	c.out.f = stdout;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":c:f:vhVn:C:o:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c': c.config_path = optarg; break;
		case 'f':
			if (cli_parse_format(optarg, &c.out.fmt)) {
				cli_errorf("unknown format \"%s\"; use table, json, vcard, mutt, aerc, "
				           "csv or ldif", optarg);
				return EXIT_USAGE;
			}
			c.format_given = true;
			break;
		case 'v': c.verbose = c.out.verbose = true; break;
		case 'h': help = true; break;
		case 'V': printf("ldapab %s\n", cli_version()); return 0;
		case 'n':
			if (cli_parse_count(optarg, &c.count)) {
				cli_errorf("--count \"%s\" is not a number from 0 to 1000000", optarg);
				return EXIT_USAGE;
			}
			c.has_count = true;
			strcat(given, "n");
			break;
		case 'C': c.container = optarg; strcat(given, "C"); break;
		case 'o': c.output = optarg; strcat(given, "o"); break;
		case OPT_FROM: c.from = optarg; strcat(given, "F"); break;
		case OPT_OFFSET:
			if (cli_parse_count(optarg, &c.offset)) {
				cli_errorf("--offset \"%s\" is not a number from 0 to 1000000", optarg);
				return EXIT_USAGE;
			}
			c.has_offset = true;
			strcat(given, "O");
			break;
		case OPT_PHOTO: c.photo = optarg; strcat(given, "P"); break;
		case OPT_EXPAND: c.expand = true; strcat(given, "X"); break;
		case ':':
			cli_errorf("option %s needs a value; see ldapab --help", argv[optind - 1]);
			return EXIT_USAGE;
		default:
			cli_errorf("unknown option %s; see ldapab --help", argv[optind - 1]);
			return EXIT_USAGE;
		}
		if (strlen(given) > 10)
			given[10] = '\0';
	}
	if (optind >= argc) {
		if (help) {
			cli_usage(stdout);
			return 0;
		}
		cli_usage(stderr);
		return EXIT_USAGE;
	}
	c.sub = argv[optind];
	if (strcmp(c.sub, "help") == 0) {
		if (optind + 1 < argc) {
			if (cli_sub_help(argv[optind + 1], stdout) == 0)
				return 0;
			cli_errorf("unknown command \"%s\"; see ldapab --help", argv[optind + 1]);
			return EXIT_USAGE;
		}
		cli_usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(c.sub, cmds[i].name) == 0)
			ci = (int)i;
	if (ci < 0) {
		cli_errorf("unknown command \"%s\"; see ldapab --help", c.sub);
		return EXIT_USAGE;
	}
	if (help) {
		cli_sub_help(c.sub, stdout);
		return 0;
	}
	for (const char *g = given; *g; g++) {
		if (!strchr(cmds[ci].opts, *g)) {
			cli_errorf("that option does not apply to \"%s\"; see ldapab %s --help",
			           c.sub, c.sub);
			return EXIT_USAGE;
		}
	}
	c.argc = argc - optind - 1;
	c.argv = argv + optind + 1;
	if (c.out.fmt == FMT_MUTT || c.out.fmt == FMT_AERC)
		cli_silence_stderr();
	else if (c.verbose && !getenv("LDAPAB_DEBUG"))
		osdep_setenv("LDAPAB_DEBUG", "1");
	c.out.width = c.out.fmt == FMT_TABLE ? text_terminal_width(stdout) : 0;

	rc = cli_conf_load(c.config_path, &c.conf);
	if (rc == 0)
		rc = cmds[ci].fn(&c);
	cli_conf_free(&c.conf);
	if (fflush(stdout) != 0 && rc == 0) {
		cli_errorf("cannot write the output");
		rc = EXIT_CANTCREAT;
	}
	return rc;
}
