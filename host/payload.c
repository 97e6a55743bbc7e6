/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * payload.c - the guest payload image: the ELF the build embeds in every
 * test binary (between kvm_payload_elf_start/end), parsed with every
 * offset checked, loaded into guest RAM from its PT_LOAD segments, and its
 * symbol table kept for symbol lookup and "function+offset" crash reports.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tst_test.h"
#include "internal.h"

extern const unsigned char kvm_payload_elf_start[] __attribute__((weak));
extern const unsigned char kvm_payload_elf_end[] __attribute__((weak));

static int fail(char *err, size_t errlen, const char *msg)
{
	snprintf(err, errlen, "%s", msg);
	return -1;
}

/* [off, off + len) lies within [0, size) */
static int in_bounds(uint64_t off, uint64_t len, size_t size)
{
	return off <= size && len <= size - off;
}

static int check_header(const unsigned char *elf, size_t size, char *err,
	size_t errlen)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return fail(err, errlen, "not an ELF image");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_X86_64)
		return fail(err, errlen, "not a little-endian x86-64 ELF");
	if (eh->e_type != ET_EXEC)
		return fail(err, errlen, "not an executable ELF");
	if (eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    !in_bounds(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr),
		       size))
		return fail(err, errlen, "program headers out of bounds");
	if (eh->e_shnum && (eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    !in_bounds(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr),
		       size)))
		return fail(err, errlen, "section headers out of bounds");
	/* The image is 8-byte aligned; so must its tables be. */
	if ((uintptr_t)elf % 8 || eh->e_phoff % 8 || eh->e_shoff % 8)
		return fail(err, errlen, "misaligned ELF headers");
	return 0;
}

static int parse_segments(struct tst_payload *p, char *err, size_t errlen)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)p->elf;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(p->elf + eh->e_phoff);
	uint64_t lo = UINT64_MAX, hi = 0;
	int i;

	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || !ph[i].p_memsz)
			continue;
		if (!in_bounds(ph[i].p_offset, ph[i].p_filesz, p->elf_size) ||
		    ph[i].p_filesz > ph[i].p_memsz ||
		    ph[i].p_paddr + ph[i].p_memsz < ph[i].p_paddr ||
		    ph[i].p_paddr + ph[i].p_memsz > KVM_IDENTITY_MAP_SIZE)
			return fail(err, errlen, "bad PT_LOAD segment");
		if (ph[i].p_paddr < lo)
			lo = ph[i].p_paddr;
		if (ph[i].p_paddr + ph[i].p_memsz > hi)
			hi = ph[i].p_paddr + ph[i].p_memsz;
	}
	if (lo == UINT64_MAX)
		return fail(err, errlen, "no PT_LOAD segment");
	if (eh->e_entry < lo || eh->e_entry >= hi)
		return fail(err, errlen, "entry point outside the image");
	p->entry = eh->e_entry;
	p->image_start = lo & ~(KVM_PAGE_SIZE - 1);
	p->image_end = LTP_ALIGN(hi, KVM_PAGE_SIZE);
	return 0;
}

static int cmp_sym(const void *a, const void *b)
{
	const struct tst_payload_symbol *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* Prefer sized symbols (functions) over labels at one address. */
	return (x->size < y->size) - (x->size > y->size);
}

static int parse_symbols(struct tst_payload *p, char *err, size_t errlen)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)p->elf;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(p->elf + eh->e_shoff);
	const Elf64_Shdr *symtab = NULL, *strtab;
	const Elf64_Sym *syms;
	const char *strs;
	size_t i, n;

	for (i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type == SHT_SYMTAB)
			symtab = &sh[i];
	}
	if (!symtab)
		return 0;	/* stripped: no symbol names in reports */
	if (symtab->sh_link >= eh->e_shnum ||
	    symtab->sh_entsize != sizeof(Elf64_Sym) || symtab->sh_offset % 8 ||
	    !in_bounds(symtab->sh_offset, symtab->sh_size, p->elf_size))
		return fail(err, errlen, "bad symbol table");
	strtab = &sh[symtab->sh_link];
	if (!in_bounds(strtab->sh_offset, strtab->sh_size, p->elf_size) ||
	    !strtab->sh_size ||
	    p->elf[strtab->sh_offset + strtab->sh_size - 1] != '\0')
		return fail(err, errlen, "bad string table");

	syms = (const Elf64_Sym *)(p->elf + symtab->sh_offset);
	strs = (const char *)p->elf + strtab->sh_offset;
	n = symtab->sh_size / sizeof(Elf64_Sym);
	p->syms = calloc(n ? n : 1, sizeof(*p->syms));
	if (!p->syms)
		return fail(err, errlen, "out of memory");

	for (i = 0; i < n; i++) {
		int type = ELF64_ST_TYPE(syms[i].st_info);

		if (type != STT_FUNC && type != STT_OBJECT &&
		    type != STT_NOTYPE)
			continue;
		if (!syms[i].st_name || syms[i].st_name >= strtab->sh_size ||
		    syms[i].st_shndx == SHN_UNDEF ||
		    syms[i].st_shndx == SHN_ABS)
			continue;
		p->syms[p->nsyms].addr = syms[i].st_value;
		p->syms[p->nsyms].size = syms[i].st_size;
		p->syms[p->nsyms].name = strs + syms[i].st_name;
		p->nsyms++;
	}
	qsort(p->syms, p->nsyms, sizeof(*p->syms), cmp_sym);
	return 0;
}

struct tst_payload *tst_payload_parse(const void *elf, size_t size,
	char *err, size_t errlen)
{
	struct tst_payload *p;

	if (!elf || check_header(elf, size, err, errlen))
		return elf ? NULL : (fail(err, errlen, "no image"), NULL);

	p = calloc(1, sizeof(*p));
	if (!p) {
		fail(err, errlen, "out of memory");
		return NULL;
	}
	p->elf = elf;
	p->elf_size = size;
	if (parse_segments(p, err, errlen) || parse_symbols(p, err, errlen)) {
		tst_payload_free(p);
		return NULL;
	}
	return p;
}

void tst_payload_free(struct tst_payload *p)
{
	if (!p)
		return;
	free(p->syms);
	free(p);
}

struct tst_payload *tst_payload_embedded(void)
{
	static struct tst_payload *p;
	char err[128];

	if (p)
		return p;
	if (!kvm_payload_elf_start || !kvm_payload_elf_end)
		tst_brk(TBROK, "this binary has no embedded guest payload");
	p = tst_payload_parse(kvm_payload_elf_start,
			      kvm_payload_elf_end - kvm_payload_elf_start,
			      err, sizeof(err));
	if (!p)
		tst_brk(TBROK, "embedded guest payload: %s", err);
	return p;
}

int tst_payload_load(const struct tst_payload *p, void *ram, size_t ram_size,
	char *err, size_t errlen)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)p->elf;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(p->elf + eh->e_phoff);
	int i;

	if (p->image_end > ram_size) {
		snprintf(err, errlen, "payload image ends at 0x%llx, beyond "
			 "RAM (0x%zx bytes)",
			 (unsigned long long)p->image_end, ram_size);
		return -1;
	}
	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || !ph[i].p_memsz)
			continue;
		memcpy((char *)ram + ph[i].p_paddr, p->elf + ph[i].p_offset,
		       ph[i].p_filesz);
		memset((char *)ram + ph[i].p_paddr + ph[i].p_filesz, 0,
		       ph[i].p_memsz - ph[i].p_filesz);
	}
	return 0;
}

const struct tst_payload_symbol *tst_payload_lookup_addr(
	const struct tst_payload *p, uint64_t addr)
{
	size_t lo = 0, hi = p->nsyms;
	const struct tst_payload_symbol *s;

	/* Last symbol with s->addr <= addr. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	s = &p->syms[lo - 1];
	/* Walk back over zero-sized labels to a sized symbol covering addr. */
	while (s > p->syms && !s->size && s[-1].addr == s->addr)
		s--;
	if (s->size && addr >= s->addr + s->size)
		return NULL;
	if (addr >= p->image_end)
		return NULL;
	return s;
}

const struct tst_payload_symbol *tst_payload_lookup_name(
	const struct tst_payload *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nsyms; i++) {
		if (!strcmp(p->syms[i].name, name))
			return &p->syms[i];
	}
	return NULL;
}
