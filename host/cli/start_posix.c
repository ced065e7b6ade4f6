/* start_posix.c - the command's entry on POSIX: the arguments are already in
 * the locale's encoding (UTF-8 where ldapab is meant to run). */
#include <locale.h>

#include "osdep.h"

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	return cli_main(argc, argv);
}
