// SPDX-License-Identifier: GPL-2.0
/*
 * np_classify_test.c - the NP classify stage (firmware/ixp2400/np_classify.c)
 * natively under ASan and UBSan: the cases of
 * firmware/ixp2400/np_classify_cases.h (shared with the KUnit suite) and
 * the forwarding table against a reference through random adds and
 * removals.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "np_classify.h"
#include "kselftest_harness.h"
#include "vcore_case_native.h"

/* The classifier of a case, freed when the case's process exits. */
static struct np_classify *np_clsc_alloc(struct vcore_case_ctx *ctx)
{
	return CASE_ZALLOC(ctx, sizeof(struct np_classify));
}

#include "np_classify_cases.h"

/* The hand-written cases, firmware/ixp2400/np_classify_cases.h. */
VCORE_NATIVE_CASES(np_classify, np_classify_cases)

/*
 * Random adds, changes and removals against a reference array; every key
 * looked up after each step.  Exercises the backward shift of deletions
 * with clusters (the keys differ in one byte).
 */
TEST(table_matches_reference)
{
	struct np_classify *cls = calloc(1, sizeof(*cls));
	struct np_dest d;
	struct { bool used; unsigned int id; u16 vlan; } ref[NP_MAX_VIFS] = {};
	unsigned int seed = 7, step, v, w;
	u16 vlan;

	ASSERT_NE(NULL, cls);
	np_classify_init(cls);
	for (step = 0; step < 20000; step++) {
		seed = seed * 1103515245 + 12345;
		v = (seed >> 8) % NP_MAX_VIFS;
		vlan = (seed >> 20) % 3 ? NP_VLAN_NONE : 1 + (seed >> 22) % 3;
		if (ref[v].used && (seed >> 16) % 2) {
			ASSERT_EQ(0, np_classify_del(cls, v));
			ref[v].used = false;
			EXPECT_FALSE(np_clsc_run(cls, np_clsc_mac(ref[v].id),
						 NP_SRC_UPLINK,
						 ref[v].vlan == NP_VLAN_NONE ?
						 -1 : ref[v].vlan, &d));
		} else if (!ref[v].used) {
			unsigned int id = (seed >> 12) % 600;
			bool taken = false;
			int err = np_clsc_add(cls, v, id, vlan, 0);

			for (w = 0; w < NP_MAX_VIFS; w++)
				taken |= ref[w].used && ref[w].id == id &&
					 ref[w].vlan == vlan;
			ASSERT_EQ(taken ? -EADDRINUSE : 0, err);
			if (!err)
				ref[v] = (typeof(ref[v])){ true, id, vlan };
		}
		for (w = 0; w < NP_MAX_VIFS; w++) {
			if (!ref[w].used)
				continue;
			ASSERT_TRUE(np_clsc_run(cls, np_clsc_mac(ref[w].id),
						NP_SRC_UPLINK,
						ref[w].vlan == NP_VLAN_NONE ?
						-1 : ref[w].vlan, &d));
			ASSERT_EQ(w, d.vif) TH_LOG("step %u", step);
		}
	}
	free(cls);
}

TEST_HARNESS_MAIN
