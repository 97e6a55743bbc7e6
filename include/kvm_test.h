/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kvm_test.h - the one header a test includes first. A test file is
 * compiled twice: with COMPILE_PAYLOAD it is the guest payload and gets the
 * guest runtime; without it is the host controller and gets the harness and
 * the host library.
 */
#ifndef KVM_TEST_H
#define KVM_TEST_H

#ifdef COMPILE_PAYLOAD
# include "kvm_guest.h"
#else
# include "tst_test.h"
# include "kvm_host.h"
#endif

#endif /* KVM_TEST_H */
