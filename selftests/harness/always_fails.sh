#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# always_fails.sh - a test that fails on purpose; harness_test.sh runs it to
# prove that a failing test fails the VM run.  Not part of the suite.
echo "TAP version 13"
echo "1..2"
echo "ok 1 this_one_passes"
echo "not ok 2 this_one_fails"
exit 1
