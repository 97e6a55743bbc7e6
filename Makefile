# SPDX-License-Identifier: GPL-2.0-or-later
#
# kvmcheck build. "make" builds everything into build/: the runner
# build/kvmcheck, one self-contained binary per test at
# build/tests/<group>/<name>, the benchmark and the unit tests.
# "make check" builds and runs the project's own tests.
#
# Each tests/<group>/<name>.c is compiled twice: with -DCOMPILE_PAYLOAD as
# a freestanding guest payload (linked by guest/x86_64/payload.ld), and as
# the host controller, which embeds the payload ELF with .incbin.
#
# Options: V=1 (show commands), STATIC=0 (dynamic host binaries),
# SANITIZE=1 (host side with AddressSanitizer + UBSan, into build/asan).

CC	?= gcc
LD	?= ld
AR	?= ar
STATIC	?= 1
SANITIZE ?= 0

ifeq ($(SANITIZE),1)
BUILD	?= build/asan
STATIC	:= 0
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	     -fno-omit-frame-pointer
else
BUILD	?= build
SAN_FLAGS :=
endif

ifeq ($(V),1)
Q :=
quiet = @:
else
Q := @
quiet = @printf '  %-7s %s\n'
endif

WARN	:= -Wall -Wextra -Werror -Wno-missing-field-initializers

HOST_CFLAGS := -std=gnu11 -O2 -g $(WARN) -D_GNU_SOURCE -pthread \
	       -Iinclude -Ihost $(SAN_FLAGS) $(EXTRA_CFLAGS)
HOST_LDFLAGS := -pthread $(SAN_FLAGS) $(if $(filter 1,$(STATIC)),-static)

GUEST_INC := $(shell $(CC) -print-file-name=include)
GUEST_CFLAGS := -std=gnu11 -O2 $(WARN) -DCOMPILE_PAYLOAD \
	-ffreestanding -nostdinc -isystem $(GUEST_INC) -Iinclude \
	-march=x86-64 -mtune=generic -mgeneral-regs-only -mno-red-zone \
	-fno-pic -fno-pie -fno-stack-protector -fcf-protection=none \
	-fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fno-omit-frame-pointer -fno-tree-loop-distribute-patterns \
	-fno-strict-aliasing
GUEST_LDFLAGS := -nostdlib -static -T guest/x86_64/payload.ld \
	--build-id=none -z noexecstack -z max-page-size=4096

OBJ	:= $(BUILD)/obj

# Guest runtime
GUEST_SRCS := $(wildcard guest/*.c guest/x86_64/*.c guest/x86_64/*.S)
GUEST_OBJS := $(patsubst %,$(OBJ)/%.o,$(GUEST_SRCS))

# Host library
HOST_SRCS := $(wildcard host/*.c)
HOST_OBJS := $(patsubst %,$(OBJ)/%.o,$(HOST_SRCS))
HOST_LIB  := $(BUILD)/lib/libkvmhost.a

# Tests
TEST_SRCS := $(sort $(wildcard tests/*/*.c))
TEST_BINS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRCS))

# Runner, benchmark, unit tests
# runner/main.c holds main(); the rest is a library the unit tests link.
RUNNER_LIB_SRCS := $(filter-out runner/main.c,$(wildcard runner/*.c))
RUNNER_LIB_OBJS := $(patsubst %,$(OBJ)/%.o,$(RUNNER_LIB_SRCS))
RUNNER_LIB := $(BUILD)/lib/librunner.a
RUNNER	:= $(BUILD)/kvmcheck
BENCH_SRCS := $(wildcard bench/*.c)
BENCH_BINS := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRCS))
UNIT_SRCS := $(wildcard unit/test_*.c)
UNIT_BINS := $(patsubst unit/%.c,$(BUILD)/unit/%,$(UNIT_SRCS))

KNOWN	:= $(patsubst %,$(BUILD)/%,$(wildcard known-failures/*))

.PHONY: all check run clean deps
.SECONDARY:

all: $(RUNNER) $(TEST_BINS) $(BENCH_BINS) $(UNIT_BINS) $(KNOWN) prune

# Test binaries whose source is gone would still be found by the runner.
.PHONY: prune
prune:
	@for f in $(wildcard $(BUILD)/tests/*/*); do \
		case " $(TEST_BINS) " in *" $$f "*) ;; \
		*) rm -f "$$f"; echo "  PRUNE   $$f" ;; esac; \
	done; rmdir $(BUILD)/tests/* 2>/dev/null || true

# Guest objects
$(OBJ)/guest/%.c.o: guest/%.c
	$(quiet) GUESTCC $<
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(OBJ)/guest/%.S.o: guest/%.S
	$(quiet) GUESTAS $<
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

# Host objects (library, runner, unit tests: no test main())
$(OBJ)/%.c.o: %.c
	$(quiet) CC $<
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOST_CFLAGS) -DTST_NO_DEFAULT_MAIN -MMD -MP -c $< -o $@

$(HOST_LIB): $(HOST_OBJS)
	$(quiet) AR $@
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

# One-file programs (tests/ and bench/): payload object -> payload ELF ->
# embedded object -> host binary.
define two_pass
$$(OBJ)/$(1)/%.payload.o: $(1)/%.c
	$$(quiet) GUESTCC $$<
	@mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(GUEST_CFLAGS) -MMD -MP -MT $$@ -c $$< -o $$@

$$(OBJ)/$(1)/%.payload.elf: $$(OBJ)/$(1)/%.payload.o $$(GUEST_OBJS) \
		guest/x86_64/payload.ld
	$$(quiet) GUESTLD $$@
	$$(Q)$$(LD) $$(GUEST_LDFLAGS) -o $$@ $$< $$(GUEST_OBJS)

$$(OBJ)/$(1)/%.embed.o: $$(OBJ)/$(1)/%.payload.elf host/payload_embed.S
	$$(quiet) EMBED $$<
	$$(Q)$$(CC) -c -DPAYLOAD_ELF='"$$<"' host/payload_embed.S -o $$@

$$(OBJ)/$(1)/%.host.o: $(1)/%.c
	$$(quiet) CC $$<
	@mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(HOST_CFLAGS) -MMD -MP -MT $$@ -c $$< -o $$@

$$(BUILD)/$(1)/%: $$(OBJ)/$(1)/%.host.o $$(OBJ)/$(1)/%.embed.o $$(HOST_LIB)
	$$(quiet) LD $$@
	@mkdir -p $$(dir $$@)
	$$(Q)$$(CC) -o $$@ $$^ $$(HOST_LDFLAGS)
endef

$(eval $(call two_pass,tests))
$(eval $(call two_pass,bench))

$(RUNNER_LIB): $(RUNNER_LIB_OBJS)
	$(quiet) AR $@
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(RUNNER): $(OBJ)/runner/main.c.o $(RUNNER_LIB)
	$(quiet) LD $@
	@mkdir -p $(dir $@)
	$(Q)$(CC) -o $@ $^ $(HOST_LDFLAGS)

# Unit tests: host-only, linked with the runner and host libraries and the
# guest's pure formatter compiled for the host.
$(OBJ)/unit/printf_host.o: guest/printf.c
	$(quiet) CC $<
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/unit/%: $(OBJ)/unit/%.c.o $(OBJ)/unit/printf_host.o $(RUNNER_LIB) \
		$(HOST_LIB)
	$(quiet) LD $@
	@mkdir -p $(dir $@)
	$(Q)$(CC) -o $@ $^ $(HOST_LDFLAGS)

$(BUILD)/known-failures/%: known-failures/%
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

# The README's two commands: each installs what is missing, then builds.
run:
	$(Q)./scripts/install-deps.sh
	$(Q)$(MAKE) -s -j$(shell nproc 2>/dev/null || echo 2) all
	./$(RUNNER) run

check:
	$(Q)./scripts/check.sh

deps:
	$(Q)./scripts/install-deps.sh

clean:
	rm -rf build

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)
