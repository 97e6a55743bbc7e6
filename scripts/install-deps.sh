#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# install-deps.sh - make sure the tools kvmcheck builds and checks with are
# present; on Debian/Ubuntu, install what is missing with apt-get (as root).
# Quiet and quick when everything is there.
set -eu

# command -> Debian package
need="gcc:gcc make:make ld:binutils objcopy:binutils xmllint:libxml2-utils"
missing=""
for pair in $need; do
	cmd=${pair%%:*}
	pkg=${pair#*:}
	command -v "$cmd" >/dev/null 2>&1 || missing="$missing $pkg"
done
# The static C library (test binaries are static by default).
[ -e "$(gcc -print-file-name=libc.a 2>/dev/null || echo /nonexistent)" ] ||
	missing="$missing libc6-dev"
# AddressSanitizer/UBSan runtimes for "make check".
echo 'int main(void){return 0;}' > /tmp/kvmcheck-asan-probe.c
gcc -fsanitize=address,undefined -o /tmp/kvmcheck-asan-probe \
	/tmp/kvmcheck-asan-probe.c >/dev/null 2>&1 ||
	missing="$missing libasan8 libubsan1"
rm -f /tmp/kvmcheck-asan-probe /tmp/kvmcheck-asan-probe.c

[ -z "$missing" ] && exit 0
missing=$(echo "$missing" | tr ' ' '\n' | sort -u | tr '\n' ' ')
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	echo "install-deps: installing$missing"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
else
	echo "install-deps: missing packages:$missing" >&2
	echo "install-deps: install them (as root: apt-get install$missing)" >&2
	exit 1
fi
