// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sysinfo.c - facts about the runner and the machine: the directory of
 * the kvmcheck binary, the KVM backend module loaded, the CPU vendor and
 * the KVMCHECK_TIMEOUT_MUL timeout multiplier.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "runner.h"

/* First loaded module wins: PVM can sit on top of kvm_intel/kvm_amd. */
static const char *const backends[] = { "kvm_pvm", "kvm_intel", "kvm_amd" };

/* The directory holding the running kvmcheck binary (malloc'd). */
char *self_dir(void)
{
	char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);

	if (n <= 0)
		return xstrdup(".");
	path[n] = '\0';
	return xstrdup(dirname(path));
}

const char *detect_backend(const char *module_root)
{
	struct stat st;
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(backends); i++) {
		snprintf(path, sizeof(path), "%s/%s", module_root,
			 backends[i]);
		if (!stat(path, &st))
			return backends[i];
	}
	return "unknown";
}

/* vendor_id of the first CPU in cpuinfo, or "unknown" (malloc'd). */
char *cpu_vendor(const char *cpuinfo)
{
	FILE *f = fopen(cpuinfo, "re");
	char line[256], *p, *end;

	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "vendor_id", 9))
			continue;
		p = strchr(line, ':');
		if (!p)
			continue;
		for (p++; *p == ' ' || *p == '\t'; p++)
			;
		end = p + strcspn(p, "\r\n");
		*end = '\0';
		fclose(f);
		return xstrdup(*p ? p : "unknown");
	}
	if (f)
		fclose(f);
	return xstrdup("unknown");
}

/* KVMCHECK_TIMEOUT_MUL: unset/empty is 1; otherwise a number in (0, 1000]. */
int parse_timeout_mul(const char *env, double *mul)
{
	char *end;

	*mul = 1.0;
	if (!env || !*env)
		return 0;
	errno = 0;
	*mul = strtod(env, &end);
	if (errno || *end || !(*mul > 0) || *mul > 1000)
		return -1;
	return 0;
}

unsigned int default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (unsigned int)n;
}
