// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_bench.c - "kvmcheck bench [ARGS...]": every program in
 * <dir of kvmcheck>/bench/, in name order, each with ARGS, its output
 * going straight to ours. Exits 1 naming the ones that failed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "runner.h"

/* Runs argv[0]; a description of the failure, or NULL on success. */
static char *run_one(char **argv)
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return xasprintf("fork: %s", strerror(errno));
	if (!pid) {
		execv(argv[0], argv);
		fprintf(stderr, RUNNER_NAME ": cannot execute %s: %s\n",
			argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return xasprintf("waitpid: %s", strerror(errno));
	}
	if (WIFSIGNALED(status))
		return xasprintf("killed by signal %d (%s)", WTERMSIG(status),
				 signal_name(WTERMSIG(status)));
	if (WEXITSTATUS(status))
		return xasprintf("exit status %d", WEXITSTATUS(status));
	return NULL;
}

int cmd_bench(int argc, char **argv)
{
	char *self = self_dir(), *dir = xasprintf("%s/bench", self);
	char **names, **args = xcalloc((size_t)argc + 1, sizeof(*args));
	size_t n, i, failed = 0;
	char **why;

	names = list_programs(dir, &n);
	if (!n) {
		err_msg("no benchmark programs in %s", dir);
		free(self);
		free(dir);
		free(args);
		return EXIT_USAGE;
	}
	memcpy(args + 1, argv + 1, (size_t)(argc - 1) * sizeof(*args));
	why = xcalloc(n, sizeof(*why));
	for (i = 0; i < n; i++) {
		args[0] = xasprintf("%s/%s", dir, names[i]);
		printf("== bench/%s ==\n", names[i]);
		why[i] = run_one(args);
		failed += why[i] != NULL;
		free(args[0]);
	}
	if (failed)
		err_msg("%zu of %zu benchmarks failed:", failed, n);
	for (i = 0; i < n; i++) {
		if (why[i])
			fprintf(stderr, "  bench/%s: %s\n", names[i], why[i]);
	}
	free_names(why, n);
	free_names(names, n);
	free(args);
	free(self);
	free(dir);
	return failed ? 1 : 0;
}
