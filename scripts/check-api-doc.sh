#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# check-api-doc.sh - every function and function-like macro declared in the
# public headers must be named in docs/api.md. Prints the missing names and
# exits 1 if there are any.
set -u
cd "$(dirname "$0")/.."

headers="include/tst_test.h include/kvm_host.h include/kvm_guest.h include/kvm_x86.h include/kvm_smp.h"
doc=docs/api.md

names=$(
	# function declarations and definitions: "type name(" at line start
	grep -hE '^[a-z].*[ *]([a-z_][a-z0-9_]*)\(' $headers |
		grep -vE '^(static inline )?(if|for|while|return)\b' |
		sed -E 's/^.*[ *]([a-z_][a-z0-9_]*)\(.*$/\1/'
	# static inline helpers
	grep -hE '^static inline .*[ *]([a-z_][a-z0-9_]*)\(' $headers |
		sed -E 's/^.*[ *]([a-z_][a-z0-9_]*)\(.*$/\1/'
	# function-like macros of the API
	grep -hoE '^#define (tst_|kvm_|TST_TEST_TCONF|KVM_ASM_)[A-Za-z0-9_]*\(' \
		$headers | sed -E 's/^#define //; s/\($//'
)

missing=""
for n in $(printf '%s\n' $names | sort -u); do
	case $n in main|__*) continue ;; esac
	grep -qE "(^|[^A-Za-z0-9_])$n([^A-Za-z0-9_]|$)" "$doc" ||
		missing="$missing $n"
done

if [ -n "$missing" ]; then
	echo "not in $doc:$missing"
	exit 1
fi
echo "$doc names all $(printf "%s\n" $names | grep -v "^__" | sort -u | wc -l) API functions and macros"
