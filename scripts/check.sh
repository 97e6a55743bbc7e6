#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# check.sh - what "make check" runs: build everything twice (plain, and the
# host side with AddressSanitizer + UBSan), run the unit tests under the
# sanitizers, check that a wrong printf format in a test does not compile,
# run the whole suite on this machine's KVM with both builds, check the
# report formats, and end with one line "N passed, N failed, N skipped".
# Each unit-test binary, suite test and extra check counts as one.
set -u
cd "$(dirname "$0")/.."

jobs=$(nproc 2>/dev/null || echo 2)
passed=0 failed=0 skipped=0
failures=""

stage() { printf '\n=== %s\n' "$*"; }

# record NAME STATUS: 0 pass, 32 skip, anything else fail
record() {
	case $2 in
	0)  passed=$((passed + 1)); echo "PASS  $1" ;;
	32) skipped=$((skipped + 1)); echo "SKIP  $1" ;;
	*)  failed=$((failed + 1)); failures="$failures $1"; echo "FAIL  $1" ;;
	esac
}

finish() {
	echo
	[ -n "$failures" ] && echo "failed:$failures"
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
	exit
}

# add_runner_summary FILE: add the runner's "N passed, N failed, N skipped"
add_runner_summary() {
	local line
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' \
		"$1" | tail -n 1)
	if [ -z "$line" ]; then
		record "$2: runner summary line" 1
		return
	fi
	set -- $line
	passed=$((passed + $1))
	failed=$((failed + $3))
	[ $# -ge 6 ] && skipped=$((skipped + $5))
	[ "$3" -gt 0 ] && failures="$failures $2"
	return 0
}

stage "dependencies"
scripts/install-deps.sh || { record install-deps 1; finish; }

stage "build"
make -s -j"$jobs" all || { record build 1; finish; }
record build 0

stage "build, host side with AddressSanitizer + UBSan"
make -s -j"$jobs" SANITIZE=1 all || { record build-asan 1; finish; }
record build-asan 0

stage "unit tests (AddressSanitizer + UBSan)"
for t in build/asan/unit/test_*; do
	[ -x "$t" ] || continue
	out=$("$t" 2>&1)
	rc=$?
	[ $rc -ne 0 ] && printf '%s\n' "$out" | grep -vE ': TPASS: ' | sed 's/^/    /'
	record "unit/${t##*/}" $rc
done

stage "compile-time format check of tst_res()"
probe=build/obj/format-probe.c
printf '#include "kvm_test.h"\nvoid main(void) { tst_res(TPASS, "%%s", 42); }\n' > "$probe"
if gcc -std=gnu11 -Wall -Werror -DCOMPILE_PAYLOAD -ffreestanding -Iinclude \
	-c "$probe" -o /dev/null 2>/dev/null; then
	record "tst_res with a wrong format does not compile" 1
else
	record "tst_res with a wrong format does not compile" 0
fi

stage "no usable /dev/kvm: TCONF with the reason"
# expect_tconf NAME REASON COMMAND...: exit status 32 and the reason
expect_tconf() {
	local name=$1 reason=$2 out
	shift 2
	out=$("$@" 2>&1)
	if [ $? -eq 32 ] && printf '%s\n' "$out" | grep -q "TCONF: .*$reason"; then
		record "$name" 0
	else
		printf '%s\n' "$out" | sed 's/^/    /'
		record "$name" 1
	fi
}
hello=./build/tests/basic/hello
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
	expect_tconf "/dev/kvm absent" "is not present" \
		unshare -m sh -c "mount -t tmpfs none /dev && $hello"
	expect_tconf "/dev/kvm not the KVM device" \
		"is not the KVM character device" \
		unshare -m sh -c "mount --bind /dev/null /dev/kvm && $hello"
	expect_tconf "/dev/kvm without permission" "Permission denied" \
		setpriv --reuid=65534 --regid=65534 --clear-groups $hello
else
	record "/dev/kvm TCONF checks (need root and unshare)" 32
fi

stage "documentation"
scripts/check-api-doc.sh
record "docs/api.md names every public function" $?

stage "suite on $(cat /sys/module/kvm_pvm/initstate >/dev/null 2>&1 && echo kvm_pvm || echo this KVM)"
./build/kvmcheck run -j"$jobs" > build/suite.txt 2>&1
rc=$?
cat build/suite.txt
add_runner_summary build/suite.txt suite
[ $rc -eq 0 ] || record "suite exit status" 1

stage "suite, host side with AddressSanitizer + UBSan"
./build/asan/kvmcheck run -j"$jobs" > build/suite-asan.txt 2>&1
rc=$?
grep -vE '^(PASS|SKIP|XFAIL) ' build/suite-asan.txt
add_runner_summary build/suite-asan.txt suite-asan
[ $rc -eq 0 ] || record "suite-asan exit status" 1

stage "report formats"
./build/kvmcheck run 'basic/*' --format junit -o build/report.xml >/dev/null 2>&1
xmllint --noout build/report.xml
record "JUnit report is well-formed XML" $?
./build/kvmcheck run 'basic/*' --format ktap -o build/report.ktap >/dev/null 2>&1
head -n 1 build/report.ktap | grep -qx 'KTAP version 1'
record "KTAP report starts with its version line" $?
if command -v python3 >/dev/null 2>&1; then
	./build/kvmcheck run 'basic/*' --format json -o build/report.json \
		>/dev/null 2>&1
	python3 -m json.tool build/report.json >/dev/null
	record "JSON report parses" $?
else
	record "JSON report parses (no python3)" 32
fi

finish
