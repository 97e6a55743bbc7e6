// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit test of the payload ELF parser and symbol lookup (host/payload.c):
 * a synthetic image is accepted with the right entry, image bounds and
 * symbols; "function+offset" lookups pick the right symbol; headers,
 * segments and tables pointing outside the image are rejected with a
 * reason; and thousands of randomly corrupted images (UNIT_SEED replays)
 * are parsed without any out-of-bounds access (AddressSanitizer).
 */
#include <elf.h>
#include "unit.h"
#include "internal.h"

#define IMG_SIZE 4096
#define TEXT_OFF 0x800
#define BASE 0x100000

/* Offsets inside the synthetic image. */
#define PH_OFF sizeof(Elf64_Ehdr)
#define SH_OFF 0x100
#define SYM_OFF 0x300
#define STR_OFF 0x400

static const char strtab[] = "\0main\0helper\0label\0data_obj";

static void build(unsigned char *img)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
	Elf64_Phdr *ph = (Elf64_Phdr *)(img + PH_OFF);
	Elf64_Shdr *sh = (Elf64_Shdr *)(img + SH_OFF);
	Elf64_Sym *sym = (Elf64_Sym *)(img + SYM_OFF);

	memset(img, 0, IMG_SIZE);
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_entry = BASE;
	eh->e_phoff = PH_OFF;
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = 1;
	eh->e_shoff = SH_OFF;
	eh->e_shentsize = sizeof(Elf64_Shdr);
	eh->e_shnum = 3;

	ph->p_type = PT_LOAD;
	ph->p_offset = TEXT_OFF;
	ph->p_paddr = ph->p_vaddr = BASE;
	ph->p_filesz = 0x100;
	ph->p_memsz = 0x2000;	/* text + bss */
	memset(img + TEXT_OFF, 0x90, 0x100);

	sh[1].sh_type = SHT_SYMTAB;
	sh[1].sh_offset = SYM_OFF;
	sh[1].sh_size = 5 * sizeof(Elf64_Sym);
	sh[1].sh_entsize = sizeof(Elf64_Sym);
	sh[1].sh_link = 2;
	sh[2].sh_type = SHT_STRTAB;
	sh[2].sh_offset = STR_OFF;
	sh[2].sh_size = sizeof(strtab);
	memcpy(img + STR_OFF, strtab, sizeof(strtab));

	/* sym[0] is the null symbol */
	sym[1] = (Elf64_Sym){ .st_name = 1, .st_info = STT_FUNC,
		.st_shndx = 1, .st_value = BASE, .st_size = 0x40 };
	sym[2] = (Elf64_Sym){ .st_name = 6, .st_info = STT_FUNC,
		.st_shndx = 1, .st_value = BASE + 0x40, .st_size = 0x20 };
	sym[3] = (Elf64_Sym){ .st_name = 13, .st_info = STT_NOTYPE,
		.st_shndx = 1, .st_value = BASE + 0x80, .st_size = 0 };
	sym[4] = (Elf64_Sym){ .st_name = 19, .st_info = STT_OBJECT,
		.st_shndx = 1, .st_value = BASE + 0x1000, .st_size = 8 };
}

static const char *lookup(const struct tst_payload *p, uint64_t addr,
	char *buf, size_t len)
{
	const struct tst_payload_symbol *s = tst_payload_lookup_addr(p, addr);

	if (!s)
		return "?";
	snprintf(buf, len, "%s+0x%llx", s->name,
		 (unsigned long long)(addr - s->addr));
	return buf;
}

static void good_image(void)
{
	static unsigned char img[IMG_SIZE] __attribute__((aligned(8)));
	static unsigned char ram[0x200000];
	struct tst_payload *p;
	char err[128] = "", buf[64];

	build(img);
	p = tst_payload_parse(img, sizeof(img), err, sizeof(err));
	UNIT_CHECK(p != NULL, "valid image accepted");
	if (!p)
		return;
	UNIT_EQ_U64("entry", BASE, p->entry);
	UNIT_EQ_U64("image start", BASE, p->image_start);
	UNIT_EQ_U64("image end (page-aligned memsz)", BASE + 0x2000,
		    p->image_end);
	UNIT_EQ_INT("symbols kept", 4, p->nsyms);
	UNIT_EQ_STR("main+0x0", "main+0x0", lookup(p, BASE, buf, sizeof(buf)));
	UNIT_EQ_STR("inside main", "main+0x3f",
		    lookup(p, BASE + 0x3f, buf, sizeof(buf)));
	UNIT_EQ_STR("inside helper", "helper+0x1",
		    lookup(p, BASE + 0x41, buf, sizeof(buf)));
	UNIT_EQ_STR("after a label", "label+0x10",
		    lookup(p, BASE + 0x90, buf, sizeof(buf)));
	UNIT_EQ_STR("before the image", "?", lookup(p, 0x1000, buf,
						     sizeof(buf)));
	UNIT_EQ_STR("past a sized object", "?",
		    lookup(p, BASE + 0x1010, buf, sizeof(buf)));
	UNIT_CHECK(tst_payload_lookup_name(p, "helper") &&
		   tst_payload_lookup_name(p, "helper")->addr == BASE + 0x40,
		   "lookup by name");
	UNIT_CHECK(!tst_payload_lookup_name(p, "nope"), "unknown name");

	memset(ram, 0xee, sizeof(ram));
	UNIT_EQ_INT("load into 2 MiB of RAM", 0,
		    tst_payload_load(p, ram, sizeof(ram), err, sizeof(err)));
	UNIT_CHECK(ram[BASE] == 0x90 && ram[BASE + 0xff] == 0x90,
		   "file bytes copied");
	UNIT_CHECK(ram[BASE + 0x100] == 0 && ram[BASE + 0x1fff] == 0,
		   "bss zeroed");
	UNIT_EQ_INT("RAM smaller than the image refused", -1,
		    tst_payload_load(p, ram, BASE + 0x1000, err, sizeof(err)));
	tst_payload_free(p);
}

struct corruption {
	const char *what;
	size_t off;
	uint64_t value;
	unsigned int width;
	const char *reason;
};

static const struct corruption corruptions[] = {
	{ "bad magic", 0, 0x7e, 1, "not an ELF image" },
	{ "32-bit class", EI_CLASS, ELFCLASS32, 1, "not a little-endian x86-64 ELF" },
	{ "wrong machine", offsetof(Elf64_Ehdr, e_machine), EM_AARCH64, 2, "not a little-endian x86-64 ELF" },
	{ "shared object", offsetof(Elf64_Ehdr, e_type), ET_DYN, 2, "not an executable ELF" },
	{ "phoff past the end", offsetof(Elf64_Ehdr, e_phoff), IMG_SIZE - 8, 8, "program headers out of bounds" },
	{ "huge phnum", offsetof(Elf64_Ehdr, e_phnum), 0xffff, 2, "program headers out of bounds" },
	{ "shoff wraps", offsetof(Elf64_Ehdr, e_shoff), UINT64_MAX - 10, 8, "section headers out of bounds" },
	{ "misaligned shoff", offsetof(Elf64_Ehdr, e_shoff), SH_OFF + 3, 8, "misaligned ELF headers" },
	{ "segment file bytes out of the image", PH_OFF + offsetof(Elf64_Phdr, p_filesz), IMG_SIZE, 8, "bad PT_LOAD segment" },
	{ "segment above 2 GiB", PH_OFF + offsetof(Elf64_Phdr, p_paddr), 0x80000000ULL, 8, "bad PT_LOAD segment" },
	{ "filesz > memsz", PH_OFF + offsetof(Elf64_Phdr, p_memsz), 0x10, 8, "bad PT_LOAD segment" },
	{ "entry outside", offsetof(Elf64_Ehdr, e_entry), 0x5000, 8, "entry point outside the image" },
	{ "symtab past the end", SH_OFF + sizeof(Elf64_Shdr) + offsetof(Elf64_Shdr, sh_size), 0x100000, 8, "bad symbol table" },
	{ "strtab link out of range", SH_OFF + sizeof(Elf64_Shdr) + offsetof(Elf64_Shdr, sh_link), 9, 4, "bad symbol table" },
	{ "strtab not terminated", STR_OFF + sizeof(strtab) - 1, 'x', 1, "bad string table" },
};

static void bad_images(void)
{
	static unsigned char img[IMG_SIZE] __attribute__((aligned(8)));
	char err[128], what[160];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(corruptions); i++) {
		const struct corruption *c = &corruptions[i];
		struct tst_payload *p;

		build(img);
		memcpy(img + c->off, &c->value, c->width);
		err[0] = '\0';
		p = tst_payload_parse(img, sizeof(img), err, sizeof(err));
		snprintf(what, sizeof(what), "%s: rejected with reason", c->what);
		UNIT_EQ_STR(what, c->reason, p ? "(accepted)" : err);
		tst_payload_free(p);
	}
	UNIT_CHECK(!tst_payload_parse(img, 10, err, sizeof(err)),
		   "truncated image rejected");
	UNIT_CHECK(!tst_payload_parse(NULL, 0, err, sizeof(err)),
		   "no image rejected");
}

static void fuzz(unsigned int seed, int rounds)
{
	static unsigned char img[IMG_SIZE] __attribute__((aligned(8)));
	int i, accepted = 0;

	srand(seed);
	for (i = 0; i < rounds; i++) {
		struct tst_payload *p;
		char err[128];
		int n = 1 + rand() % 8, j;

		build(img);
		/* Corrupt the headers and tables, where parsing happens. */
		for (j = 0; j < n; j++)
			img[rand() % (STR_OFF + 64)] = rand();
		p = tst_payload_parse(img, sizeof(img), err, sizeof(err));
		if (p) {
			char buf[64];

			accepted++;
			lookup(p, BASE + rand() % 0x3000, buf, sizeof(buf));
		}
		tst_payload_free(p);
	}
	printf("  %d of %d corrupted images still parsed\n", accepted, rounds);
	UNIT_CHECK(1, "corrupted images parsed without memory errors");
}

int main(void)
{
	unsigned int seed = unit_seed();

	good_image();
	bad_images();
	fuzz(seed, 20000);
	return unit_done();
}
