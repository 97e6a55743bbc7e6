// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - kvmcheck's entry point: dispatches the command (run, list,
 * bench, help) from a table. Everything else is in librunner.a.
 */
#include <string.h>
#include "runner.h"

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "run", cmd_run },
	{ "list", cmd_list },
	{ "bench", cmd_bench },
	{ "help", cmd_help },
	{ "-h", cmd_help },
	{ "--help", cmd_help },
};

int main(int argc, char **argv)
{
	size_t i;

	runner_init();
	if (argc < 2)
		return usage_err("no command given");
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	}
	return usage_err("unknown command '%s'", argv[1]);
}
