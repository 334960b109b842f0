// SPDX-License-Identifier: GPL-2.0
/*
 * np_notify_test.c - the virtual interrupt identifier
 * (firmware/ixp2400/np_notify.c) natively under ASan and UBSan: the cases
 * of firmware/ixp2400/np_notify_cases.h, which the KUnit suite runs too.
 */
#include <errno.h>
#include <string.h>

#include "np_notify.h"
#include "kselftest_harness.h"
#include "vcore_case_native.h"
#include "np_notify_cases.h"

/* The hand-written cases, firmware/ixp2400/np_notify_cases.h. */
VCORE_NATIVE_CASES(np_notify, np_notify_cases)

TEST_HARNESS_MAIN
