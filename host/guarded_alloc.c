/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * guarded_alloc.c - guarded host buffers (tst_alloc_guarded/tst_free_all):
 * page-aligned mappings with an inaccessible page on each side, so that an
 * overrun by the host library or a test faults at once. Guest RAM comes
 * from here.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "tst_test.h"

struct guarded_buf {
	struct guarded_buf *next;
	void *map;
	size_t map_len;
};

static struct guarded_buf *bufs;
static pthread_mutex_t bufs_lock = PTHREAD_MUTEX_INITIALIZER;

void *tst_alloc_guarded(size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t len = LTP_ALIGN(size ? size : 1, page);
	struct guarded_buf *b;
	char *map;

	if (len < size || len > SIZE_MAX - 2 * page)
		tst_brk(TBROK, "tst_alloc_guarded(%zu): size too large", size);

	map = mmap(NULL, len + 2 * page, PROT_NONE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (map == MAP_FAILED)
		tst_brk(TBROK, "mmap(%zu bytes) failed: %m", len + 2 * page);
	if (mprotect(map + page, len, PROT_READ | PROT_WRITE))
		tst_brk(TBROK, "mprotect(%zu bytes) failed: %m", len);

	b = malloc(sizeof(*b));
	if (!b)
		tst_brk(TBROK, "malloc() failed");
	b->map = map;
	b->map_len = len + 2 * page;
	pthread_mutex_lock(&bufs_lock);
	b->next = bufs;
	bufs = b;
	pthread_mutex_unlock(&bufs_lock);
	return map + page;
}

void tst_free_all(void)
{
	struct guarded_buf *b, *next;

	pthread_mutex_lock(&bufs_lock);
	for (b = bufs; b; b = next) {
		next = b->next;
		munmap(b->map, b->map_len);
		free(b);
	}
	bufs = NULL;
	pthread_mutex_unlock(&bufs_lock);
}
