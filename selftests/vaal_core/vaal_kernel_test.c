// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_kernel_test.c - kernels registered at run time: register, look-alike
 * refusals, every malformed field, limits, blobs, isolation.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "../../tools/lib/libvaal.h"
#include "../lib/sysfs.h"
#include "kselftest_harness.h"

#define PARAM_DIR	"/sys/module/vaal_core/parameters/"

static const __u8 mm_modes[] = { VAAL_ARG_IN, VAAL_ARG_IN, VAAL_ARG_OUT };



/* A valid request to start from. */
static void good_req(struct vaal_kernel_register *req)
{
	memset(req, 0, sizeof(*req));
	req->size = sizeof(*req);
	snprintf(req->class, sizeof(req->class), "%s", "cpu");
	snprintf(req->name, sizeof(req->name), "%s", "matmul_i32");
	req->nr_args = 3;
	memcpy(req->arg_mode, mm_modes, 3);
	req->scalar_bytes = 12;
}

static int reg(int fd, struct vaal_kernel_register *req)
{
	return ioctl(fd, VAAL_IOC_KERNEL_REGISTER, req) ? -errno : 0;
}

/* In a guest, /dev/vaal is vaal_pci's: its limits are the host's. */
#define IN_A_GUEST	"a guest's /dev/vaal: no vaal_core parameters to read or set"

FIXTURE(kern) {
	int fd;
	int host;
	long long max_kernels;
};

FIXTURE_SETUP(kern)
{
	struct vaal_query q;

	self->fd = vaal_open(NULL);
	ASSERT_LE(0, self->fd);
	self->host = !access(PARAM_DIR, F_OK);
	if (self->host) {
		self->max_kernels = vcore_read_ll(PARAM_DIR "max_kernels");
	} else {
		ASSERT_EQ(0, vaal_query(self->fd, &q));
		self->max_kernels = q.max_kernels;
	}
	ASSERT_LT(0, self->max_kernels);
}

FIXTURE_TEARDOWN(kern)
{
	close(self->fd);
	if (self->host)
		vcore_write_ll(PARAM_DIR "max_kernels", self->max_kernels);
}

TEST_F(kern, register_and_unregister)
{
	struct vaal_query q;
	__u32 id, id2;

	ASSERT_EQ(0, vaal_query(self->fd, &q));
	EXPECT_TRUE(q.features & VAAL_FEAT_KERNELS);
	EXPECT_EQ(self->max_kernels, q.max_kernels);

	ASSERT_EQ(0, vaal_kernel_register(self->fd, "cpu", "matmul_i32", mm_modes,
					  3, 12, NULL, 0, &id));
	EXPECT_NE(0, id);
	/* Same name, other class: a different kernel. */
	ASSERT_EQ(0, vaal_kernel_register(self->fd, "gpu", "matmul_i32", mm_modes,
					  3, 12, NULL, 0, &id2));
	EXPECT_NE(id, id2);
	EXPECT_EQ(0, vaal_kernel_unregister(self->fd, id));
	EXPECT_EQ(-ENOENT, vaal_kernel_unregister(self->fd, id));
	/* The name is free again. */
	EXPECT_EQ(0, vaal_kernel_register(self->fd, "cpu", "matmul_i32", mm_modes,
					  3, 12, NULL, 0, &id));
}

TEST_F(kern, duplicate_refused)
{
	__u32 id;

	ASSERT_EQ(0, vaal_kernel_register(self->fd, "crypto", "gcm(aes)", NULL, 0,
					  0, NULL, 0, &id));
	EXPECT_EQ(-EEXIST, vaal_kernel_register(self->fd, "crypto", "gcm(aes)",
						NULL, 0, 0, NULL, 0, &id));
}

TEST_F(kern, blob_is_copied)
{
	static const char ptx[] = ".version 8.0\n.target sm_90\n";
	char *blob = strdup(ptx);
	__u32 id;

	ASSERT_EQ(0, vaal_kernel_register(self->fd, "gpu", "saxpy", mm_modes, 2,
					  8, blob, sizeof(ptx), &id));
	free(blob);	/* the kernel keeps its own copy */
	EXPECT_EQ(0, vaal_kernel_unregister(self->fd, id));
}

TEST_F(kern, blob_limits)
{
	struct vaal_kernel_register req;
	size_t max;
	char *blob;
	__u32 id;

	if (!self->host)
		SKIP(return, IN_A_GUEST);
	max = vcore_read_ll(PARAM_DIR "max_blob_bytes");
	blob = calloc(1, max + 1);
	ASSERT_NE(NULL, blob);
	EXPECT_EQ(0, vaal_kernel_register(self->fd, "gpu", "big", NULL, 0, 0,
					  blob, max, &id));
	EXPECT_EQ(-E2BIG, vaal_kernel_register(self->fd, "gpu", "bigger", NULL, 0,
					       0, blob, max + 1, &id));
	free(blob);
	good_req(&req);
	req.blob_len = 16;
	req.blob_addr = 8;	/* unmapped */
	EXPECT_EQ(-EFAULT, reg(self->fd, &req));
	req.blob_addr = 0;	/* a length without an address */
	EXPECT_EQ(-EINVAL, reg(self->fd, &req));
	req.blob_len = 0;
	req.blob_addr = (__u64)(uintptr_t)&req;	/* an address without one */
	EXPECT_EQ(-EINVAL, reg(self->fd, &req));
}

TEST_F(kern, malformed_fields_refused)
{
	struct vaal_kernel_register req;

	good_req(&req);
	ASSERT_EQ(0, reg(self->fd, &req));

#define BAD(field_change) do {						\
	good_req(&req);							\
	snprintf(req.name, sizeof(req.name), "%s", "other");					\
	field_change;							\
	EXPECT_EQ(-EINVAL, reg(self->fd, &req)) TH_LOG("%s", #field_change); \
} while (0)
	good_req(&req);
	req.timeout_ns = VAAL_MAX_TIMEOUT_NS + 1;
	EXPECT_EQ(-ERANGE, reg(self->fd, &req));
	BAD(req.flags = 1);
	BAD(req.reserved0 = 1);
	BAD(req.reserved1 = 1);
	BAD(req.reserved = 1);
	BAD(req.id = 0; req.size = 16);
	BAD(memset(req.class, 0, sizeof(req.class)));
	BAD(memset(req.class, 'a', sizeof(req.class)));		/* no NUL */
	BAD(snprintf(req.class, sizeof(req.class), "%s", "CPU"));
	BAD(snprintf(req.class, sizeof(req.class), "%s", "c p"));
	BAD(req.class[5] = 'x');				/* past NUL */
	BAD(memset(req.name, 0, sizeof(req.name)));
	BAD(snprintf(req.name, sizeof(req.name), "%s", "has space"));
	BAD(req.name[0] = '\x7f');
	BAD(req.nr_args = VAAL_MAX_ARGS + 1);
	BAD(req.scalar_bytes = VAAL_MAX_SCALAR_BYTES + 1);
	BAD(req.arg_mode[1] = 0);
	BAD(req.arg_mode[1] = 4);
	BAD(req.arg_mode[5] = VAAL_ARG_IN);			/* unused arg */
#undef BAD
}

TEST_F(kern, count_limit)
{
	char name[16];
	__u32 id;
	int i;

	if (!self->host)
		SKIP(return, IN_A_GUEST);
	ASSERT_EQ(0, vcore_write_ll(PARAM_DIR "max_kernels", 4));
	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "k%d", i);
		ASSERT_EQ(0, vaal_kernel_register(self->fd, "cpu", name, NULL, 0, 0,
						  NULL, 0, &id));
	}
	EXPECT_EQ(-ENOSPC, vaal_kernel_register(self->fd, "cpu", "k4", NULL, 0, 0,
						NULL, 0, &id));
	ASSERT_EQ(0, vaal_kernel_unregister(self->fd, id));
	EXPECT_EQ(0, vaal_kernel_register(self->fd, "cpu", "k4", NULL, 0, 0,
					  NULL, 0, &id));
}

TEST_F(kern, contexts_are_isolated)
{
	int fd2 = vaal_open(NULL);
	__u32 id, id2;

	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, vaal_kernel_register(self->fd, "cpu", "xor", NULL, 0, 0,
					  NULL, 0, &id));
	/* The other context neither sees it nor clashes with its name. */
	EXPECT_EQ(-ENOENT, vaal_kernel_unregister(fd2, id + 1000));
	EXPECT_EQ(0, vaal_kernel_register(fd2, "cpu", "xor", NULL, 0, 0,
					  NULL, 0, &id2));
	close(fd2);
	EXPECT_EQ(0, vaal_kernel_unregister(self->fd, id));
}

TEST_HARNESS_MAIN
