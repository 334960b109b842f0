// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_vfio_test.c - the VAAL mediated device (vaal_mdev.ko) driven the way
 * QEMU drives it for a guest, by a user-space VFIO driver
 * (selftests/lib/vfio_drv.h): types and instances in sysfs, an mdev made
 * and opened through its IOMMU group in a type1 container, VFIO's device,
 * region and interrupt information, config space (identity, BAR0, the
 * MSI-X capability), the registers of BAR0, anonymous memory mapped for
 * DMA as the guest's RAM holding commands, page lists, rings and buffers.
 *
 * Every command and path of <linux/vaal_pci.h>: queries, contexts, buffers
 * from chains of list pages, kernels, ring set up (-ENOSPC, then the
 * pages), launches through the submission ring and the doorbell with the
 * results checked in place in guest memory (no copy), completions by
 * MSI-X eventfd and by polling, ordered mode, barriers, scheduling
 * attributes, counters, both resets.  Every malformed input the guest can
 * write (opcodes, reserved fields, slots, register accesses, command and
 * page addresses, ring indices, ring entries, list lengths, the type's
 * bounds) fails alone; and what the VMM can do to the device (unmap pinned
 * memory with work in flight, close it, die, remove it while open, run two
 * of them) leaves the host as it was.
 *
 * The VM loads vfio, vfio_iommu_type1 and mdev; vaal_mdev.ko is insmodded
 * from $VCORE_SUITE when it is not loaded.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../tools/lib/libvaal.h"
#include "../lib/vfio_drv.h"
#include "kselftest_harness.h"

#define MEM_SIZE	(32UL << 20)	/* the guest RAM of each device */
#define WAIT_MS		20000		/* a launch completes within */
#define MAX_TYPES	16
#define PG		VFD_PAGE
#define VCS_SYSFS	"/sys/kernel/vcore_sched"

static const __u8 in_out[] = { VAAL_ARG_IN, VAAL_ARG_OUT };
static const __u8 in_in_out[] = { VAAL_ARG_IN, VAAL_ARG_IN, VAAL_ARG_OUT };

/* --- helpers ------------------------------------------------------------- */

static int sh(const char *cmd)
{
	int ret = system(cmd);

	return ret == -1 ? -1 : WEXITSTATUS(ret);
}

static __u32 rnd_state = 0x2545f491;

static __u32 rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static void fill_random(void *p, size_t len)
{
	__u8 *b = p;

	while (len--)
		*b++ = rnd();
}

static bool all_bytes(const void *p, size_t len, __u8 byte)
{
	const __u8 *b = p;

	while (len--)
		if (*b++ != byte)
			return false;
	return true;
}

/* CRC-32C bit by bit, as the CPU controller's built-in kernel computes it. */
static __u32 crc32c_ref(__u32 seed, const void *p, size_t len)
{
	const __u8 *b = p;
	__u32 crc = ~seed;
	int k;

	while (len--) {
		crc ^= *b++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78 & -(crc & 1));
	}
	return ~crc;
}

/* Load what the device needs when the VM did not. */
static void modules_up(void)
{
	char dirs[1][PATH_MAX], cmd[PATH_MAX + 64];
	const char *suite = getenv("VCORE_SUITE");

	if (vfd_find_types(dirs, 1) > 0)
		return;
	sh("modprobe -a vfio vfio_iommu_type1 mdev 2>/dev/null");
	if (suite && access("/sys/module/vaal_mdev", F_OK)) {
		vfd_path(cmd, sizeof(cmd),
			 "insmod %s/kernel/vaal_mdev/vaal_mdev.ko 2>/dev/null", suite);
		sh(cmd);
	}
}

/* Remove every mdev of the VAAL's types (leftovers of a killed case). */
static void remove_all_mdevs(void)
{
	char dirs[MAX_TYPES][PATH_MAX], path[PATH_MAX + 16];
	struct dirent *e;
	int n = vfd_find_types(dirs, MAX_TYPES), i;
	DIR *dir;

	for (i = 0; i < n; i++) {
		vfd_path(path, sizeof(path), "%s/devices", dirs[i]);
		dir = opendir(path);
		while (dir && (e = readdir(dir)))
			if (e->d_name[0] != '.')
				vfd_mdev_remove(e->d_name);
		if (dir)
			closedir(dir);
	}
}

/*
 * The first VAAL type (in sorted order) with @need instances available,
 * not @not (may be NULL); 0 or -ENOENT.
 */
static int pick_type(char *out, long long need, const char *not)
{
	char dirs[MAX_TYPES][PATH_MAX];
	int n = vfd_find_types(dirs, MAX_TYPES), i;

	for (i = 0; i < n; i++) {
		if (not && !strcmp(not, dirs[i]))
			continue;
		if (vfd_type_available(dirs[i]) >= need) {
			vfd_path(out, PATH_MAX, "%s", dirs[i]);
			return 0;
		}
	}
	return -ENOENT;
}

/* Contexts alive on the host, as a host process's /dev/vaal reports them. */
static long long host_nr(int host)
{
	struct vaal_query q;

	if (vaal_query(host, &q))
		return -1;
	return q.nr_contexts;
}

/* Wait up to @ms for the host to have @want contexts; what it has then. */
static long long host_nr_wait(int host, long long want, int ms)
{
	long long n;

	while ((n = host_nr(host)) != want && ms > 0) {
		usleep(10000);
		ms -= 10;
	}
	return n;
}

/* A counter of the mdev on the host: /sys/bus/mdev/devices/UUID/vaal/NAME. */
static long long mdev_counter(const char *uuid, const char *name)
{
	char path[PATH_MAX];

	vfd_path(path, sizeof(path), VFD_MDEV_DEVICES "/%s/vaal/%s", uuid, name);
	return vfd_read_ll(path);
}

static long long mdev_counter_wait(const char *uuid, const char *name,
				   long long want, int ms)
{
	long long n;

	while ((n = mdev_counter(uuid, name)) != want && ms > 0) {
		usleep(10000);
		ms -= 10;
	}
	return n;
}

/*
 * The classes= list of a type's description ("all" or "cpu,crypto"), in
 * @out; false when the description has none.
 */
static bool type_classes(const char *type_dir, char *out, size_t len)
{
	char desc[1024], *p, *e;

	if (vfd_type_attr(type_dir, "description", desc, sizeof(desc)))
		return false;
	p = strstr(desc, "classes=");
	if (!p)
		return false;
	p += strlen("classes=");
	e = p + strcspn(p, "\n ");
	*e = 0;
	return !vfd_path(out, len, "%s", p);
}

static bool class_in(const char *list, const char *cls)
{
	size_t n = strlen(cls);
	const char *p = list;

	while ((p = strstr(p, cls))) {
		if ((p == list || p[-1] == ',') && (!p[n] || p[n] == ','))
			return true;
		p += n;
	}
	return false;
}

/* A NUL-terminated copy of @src in @dst's @len bytes. */
static void set_str(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src);
}

/* What the helpers of a case see of the fixture. */
struct view {
	struct vfd *d;
	const char *uuid;
	int host;
	long long host_base;
};

#define VIEW(self)	{ &(self)->d, (self)->uuid, (self)->host, (self)->host_base }

/* A guest context: its slot, its rings in guest memory, the next user_data. */
struct gctx {
	__u32 slot;
	__u64 id;
	struct vaal_setup p;
	struct vaal_ring r;
	__u64 ud;
};

/* Create a context (%VAAL_PCI_CTX_* @flags) with @sq entries of rings. */
static int gctx_open(struct vfd *d, struct gctx *g, __u32 flags, __u32 sq,
		     __u32 setup_flags)
{
	int ret;

	memset(g, 0, sizeof(*g));
	ret = vfd_ctx_create(d, flags, &g->slot, &g->id);
	if (ret)
		return ret;
	g->p.sq_entries = sq;
	g->p.flags = setup_flags;
	return vfd_setup(d, g->slot, &g->p, &g->r);
}

/* Reap one completion within @ms: 0 or -ETIME. */
static int greap(struct gctx *g, struct vaal_cqe *out, unsigned int ms)
{
	struct vaal_cqe *c;

	if (vfd_poll_cq(&g->r, 1, ms) < 1 || vaal_peek_cqe(&g->r, &c))
		return -ETIME;
	*out = *c;
	vaal_cqe_seen(&g->r);
	return 0;
}

/* Reap @n completions into @out within @ms: how many were reaped. */
static unsigned int greap_n(struct gctx *g, struct vaal_cqe *out,
			    unsigned int n, unsigned int ms)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (greap(g, &out[i], ms))
			break;
	return i;
}

/*
 * One launch through the ring and the doorbell, polled for.  Return: its
 * completion's res, INT_MIN when it could not be queued, was not consumed
 * or did not complete.
 */
static int glaunch(struct vfd *d, struct gctx *g, __u32 id,
		   const struct vaal_sqe_arg *args, const __u8 *modes,
		   unsigned int nr_args, const void *scalars,
		   unsigned int scalar_bytes)
{
	__u64 ud = ++g->ud;
	struct vaal_cqe c;

	if (vaal_queue_launch(&g->r, id, args, modes, nr_args, scalars,
			      scalar_bytes, ud) ||
	    vfd_submit(d, g->slot, &g->r) != 1 || greap(g, &c, WAIT_MS) ||
	    c.user_data != ud)
		return INT_MIN;
	return c.res;
}

/*
 * One raw ring entry @s, submitted and reaped.  Return: its completion's
 * res, or INT_MIN.
 */
static int graw(struct vfd *d, struct gctx *g, const struct vaal_sqe *s)
{
	struct vaal_sqe *e = vaal_get_sqe(&g->r, 1);
	struct vaal_cqe c;

	if (!e)
		return INT_MIN;
	*e = *s;
	if (vfd_submit(d, g->slot, &g->r) != 1 || greap(g, &c, WAIT_MS) ||
	    c.user_data != s->user_data)
		return INT_MIN;
	return c.res;
}

/* A NOP round trip on @g: true when it came back. */
static bool gnop(struct vfd *d, struct gctx *g)
{
	__u64 ud = ++g->ud;
	struct vaal_cqe c;

	return !vaal_queue_nop(&g->r, ud) && vfd_submit(d, g->slot, &g->r) == 1 &&
	       !greap(g, &c, WAIT_MS) && c.user_data == ud && !c.res;
}

/* A fresh NO_IRQ context with rings works on @d: true when a NOP came back. */
static bool device_works(struct vfd *d)
{
	struct gctx g;
	bool ok;

	if (gctx_open(d, &g, VAAL_PCI_CTX_NO_IRQ, 8, 0))
		return false;
	ok = gnop(d, &g);
	return !vfd_ctx_destroy(d, g.slot) && ok;
}

static struct vaal_sqe_arg garg(__u32 handle, __u32 len, __u64 offset)
{
	struct vaal_sqe_arg a = { .handle = handle, .length = len, .offset = offset };

	return a;
}

/* The scalars of matmul_i32: m, n, k, little endian. */
struct mm_scalars {
	__le32 m, n, k;
};

/*
 * Keep @g busy: @n launches of matmul_i32 (kernel @id) of @dim x @dim
 * int32 matrices, all writing the same C so that each waits for the one
 * before (WAW); buffers of the context, made here.  Return: the
 * doorbell's result (launches consumed) or a negative errno.
 */
static int queue_busy(struct vfd *d, struct gctx *g, __u32 id, unsigned int n,
		      __u32 dim)
{
	struct mm_scalars s = { htole32(dim), htole32(dim), htole32(dim) };
	__u32 bytes = dim * dim * 4, h[3];
	struct vaal_sqe_arg a[3];
	void *map;
	unsigned int i;
	int ret;

	for (i = 0; i < 3; i++) {
		ret = vfd_buf_create(d, g->slot, bytes, &h[i], &map);
		if (ret)
			return ret;
		fill_random(map, bytes);
		a[i] = garg(h[i], bytes, 0);
	}
	for (i = 0; i < n; i++)
		if (vaal_queue_launch(&g->r, id, a, in_in_out, 3, &s, sizeof(s),
				      ++g->ud))
			return -ENOSPC;
	return vfd_submit(d, g->slot, &g->r);
}

/* --- the fixture: one mdev, opened, with its RAM mapped and DRIVER_OK --- */

FIXTURE(vfio) {
	char type[PATH_MAX];
	char uuid[40];
	char uuid2[40];		/* a second mdev a case makes */
	long long avail_before;
	struct vfd d;
	struct vfd e;		/* the second mdev's driver */
	int host;		/* /dev/vaal of the host */
	long long host_base;	/* contexts on the host, host's own included */
};

FIXTURE_SETUP(vfio)
{
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	int ret;

	vfd_init(&self->d);
	vfd_init(&self->e);
	self->host = -1;
	self->uuid[0] = self->uuid2[0] = 0;
	/* VFIO charges pinned pages to RLIMIT_MEMLOCK, as for QEMU. */
	setrlimit(RLIMIT_MEMLOCK, &unlimited);
	modules_up();
	if (pick_type(self->type, 1, NULL)) {
		remove_all_mdevs();
		ASSERT_EQ(0, pick_type(self->type, 1, NULL))
			TH_LOG("no VAAL mdev type with an instance available in "
			       VFD_MDEV_BUS "/*/mdev_supported_types (vaal_mdev.ko loaded?)");
	}
	self->avail_before = vfd_type_available(self->type);
	ret = vfd_mdev_create(self->type, self->uuid, sizeof(self->uuid));
	ASSERT_EQ(0, ret) TH_LOG("create an mdev of %s: %s", self->type, strerror(-ret));
	self->host = vaal_open(NULL);
	self->host_base = host_nr(self->host);
	ret = vfd_start(&self->d, self->uuid, MEM_SIZE);
	if (ret || self->host < 0 || self->host_base < 1) {
		vfd_close(&self->d);
		vfd_mdev_remove(self->uuid);
		ASSERT_LE(0, self->host) TH_LOG("open /dev/vaal on the host");
		ASSERT_LE(1, self->host_base);
		ASSERT_EQ(0, ret) TH_LOG("bring-up of %s: %s: %s", self->uuid,
					 ret < -4096 ? vfd_step_name(ret) : "RAM, magic or STATUS",
					 strerror(ret < -4096 ? errno : -ret));
	}
}

FIXTURE_TEARDOWN(vfio)
{
	vfd_close(&self->e);
	vfd_close(&self->d);
	if (self->uuid2[0] && vfd_mdev_exists(self->uuid2))
		vfd_mdev_remove(self->uuid2);
	if (self->uuid[0] && vfd_mdev_exists(self->uuid))
		EXPECT_EQ(0, vfd_mdev_remove(self->uuid));
	if (self->host >= 0)
		close(self->host);
}

/* --- sysfs, VFIO, config space, registers ---------------------------------- */

/*
 * Every VAAL type says what it is, is a vfio-pci device, and counts its
 * instances: the fixture's took one; more can be made until none is
 * available, one more is refused, and removing them gives them back.
 */
TEST_F(vfio, types_in_sysfs)
{
	char dirs[MAX_TYPES][PATH_MAX], buf[1024], path[PATH_MAX + 64];
	char made[64][40];
	int n = vfd_find_types(dirs, MAX_TYPES), i, nr_made = 0, ret;
	long long avail;

	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, vfd_type_attr(dirs[i], "name", buf, sizeof(buf)));
		EXPECT_NE(0, strlen(buf)) TH_LOG("%s: empty name", dirs[i]);
		ASSERT_EQ(0, vfd_type_attr(dirs[i], "description", buf, sizeof(buf)));
		EXPECT_NE(0, strlen(buf)) TH_LOG("%s: empty description", dirs[i]);
		ASSERT_EQ(0, vfd_type_attr(dirs[i], "device_api", buf, sizeof(buf)));
		EXPECT_STREQ(VFIO_DEVICE_API_PCI_STRING, buf);
		EXPECT_LE(0, vfd_type_available(dirs[i]));
	}
	EXPECT_EQ(self->avail_before - 1, vfd_type_available(self->type));
	vfd_path(path, sizeof(path), "%s/devices/%s", self->type, self->uuid);
	EXPECT_EQ(0, access(path, F_OK)) TH_LOG("%s missing", path);

	/* Fill the type up (a bounded number of times). */
	while ((avail = vfd_type_available(self->type)) > 0 && nr_made < 64) {
		ret = vfd_mdev_create(self->type, made[nr_made], sizeof(made[0]));
		EXPECT_EQ(0, ret) TH_LOG("instance %d: %s", nr_made, strerror(-ret));
		if (ret)
			break;
		nr_made++;
		EXPECT_EQ(avail - 1, vfd_type_available(self->type));
	}
	if (!avail) {
		char extra[40];

		EXPECT_NE(0, vfd_mdev_create(self->type, extra, sizeof(extra)))
			TH_LOG("an instance past available_instances was made");
		if (vfd_mdev_exists(extra))
			vfd_mdev_remove(extra);
	}
	for (i = 0; i < nr_made; i++)
		EXPECT_EQ(0, vfd_mdev_remove(made[i]));
	EXPECT_EQ(self->avail_before - 1, vfd_type_available(self->type));
}

/* What VFIO says of the device: a resettable PCI device, BAR0, MSI-X. */
TEST_F(vfio, device_info)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_irq_info irq = { .argsz = sizeof(irq) };
	struct vfio_region_info ri;
	__u32 i;

	ASSERT_EQ(0, ioctl(self->d.dev, VFIO_DEVICE_GET_INFO, &info));
	EXPECT_TRUE(info.flags & VFIO_DEVICE_FLAGS_PCI);
	EXPECT_TRUE(info.flags & VFIO_DEVICE_FLAGS_RESET);
	ASSERT_LE(VFIO_PCI_NUM_REGIONS, info.num_regions);
	ASSERT_LE(VFIO_PCI_MSIX_IRQ_INDEX + 1, info.num_irqs);

	ASSERT_EQ(0, vfd_region(&self->d, VFIO_PCI_CONFIG_REGION_INDEX, &ri));
	EXPECT_LE(256, ri.size);
	EXPECT_EQ(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE,
		  ri.flags & (VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE));
	ASSERT_EQ(0, vfd_region(&self->d, VFIO_PCI_BAR0_REGION_INDEX, &ri));
	EXPECT_EQ(VAAL_PCI_BAR0_SIZE, ri.size);
	EXPECT_EQ(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE,
		  ri.flags & (VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE));
	for (i = VFIO_PCI_BAR1_REGION_INDEX; i <= VFIO_PCI_ROM_REGION_INDEX; i++) {
		ASSERT_EQ(0, vfd_region(&self->d, i, &ri));
		EXPECT_EQ(0, ri.size) TH_LOG("region %u has %llu bytes", i,
					     (unsigned long long)ri.size);
	}

	irq.index = VFIO_PCI_MSIX_IRQ_INDEX;
	ASSERT_EQ(0, ioctl(self->d.dev, VFIO_DEVICE_GET_IRQ_INFO, &irq));
	EXPECT_EQ(VAAL_PCI_NR_VECTORS, irq.count);
	EXPECT_TRUE(irq.flags & VFIO_IRQ_INFO_EVENTFD);
}

/*
 * Config space: the identity of <linux/vaal_pci.h>, a 32-bit memory BAR0
 * of VAAL_PCI_BAR0_SIZE bytes that sizes as a real BAR does, the MSI-X
 * capability pointing at the table and PBA in BAR0; read-only fields stay.
 */
TEST_F(vfio, config_space)
{
	struct vfd *d = &self->d;
	__u32 bar0, v, ones = ~0U;
	__u16 id, cmd;
	__u8 msix, bir;
	int i;

	EXPECT_EQ(VAAL_PCI_VENDOR_ID, vfd_cfg16(d, 0x00));
	EXPECT_EQ(VAAL_PCI_DEVICE_ID, vfd_cfg16(d, 0x02));
	EXPECT_EQ(VAAL_PCI_REVISION, vfd_cfg8(d, 0x08));
	EXPECT_EQ(VAAL_PCI_CLASS, vfd_cfg32(d, 0x08) >> 8);
	EXPECT_EQ(0, vfd_cfg8(d, 0x0e) & 0x7f);	/* a type 0 header */
	EXPECT_EQ(VAAL_PCI_SUBSYS_VENDOR_ID, vfd_cfg16(d, 0x2c));
	EXPECT_EQ(VAAL_PCI_SUBSYS_ID, vfd_cfg16(d, 0x2e));

	/* The vendor ID is read only. */
	id = 0x1234;
	ASSERT_EQ(0, vfd_cfg_wr(d, 0x00, &id, 2));
	EXPECT_EQ(VAAL_PCI_VENDOR_ID, vfd_cfg16(d, 0x00));

	/* BAR0: 32-bit memory, sized by writing ones. */
	bar0 = vfd_cfg32(d, 0x10);
	EXPECT_EQ(0, bar0 & 0x7) TH_LOG("BAR0 %#x: not 32-bit memory", bar0);
	ASSERT_EQ(0, vfd_cfg_wr(d, 0x10, &ones, 4));
	v = vfd_cfg32(d, 0x10);
	EXPECT_EQ((__u32)~(VAAL_PCI_BAR0_SIZE - 1), v & ~0xfU)
		TH_LOG("BAR0 sizes as %#x", v);
	ASSERT_EQ(0, vfd_cfg_wr(d, 0x10, &bar0, 4));
	EXPECT_EQ(bar0, vfd_cfg32(d, 0x10));
	/* No other BAR. */
	for (i = 1; i < 6; i++) {
		ASSERT_EQ(0, vfd_cfg_wr(d, 0x10 + 4 * i, &ones, 4));
		EXPECT_EQ(0, vfd_cfg32(d, 0x10 + 4 * i)) TH_LOG("BAR%d", i);
	}

	/* Memory space enable sticks. */
	cmd = vfd_cfg16(d, 0x04) | 0x2;
	ASSERT_EQ(0, vfd_cfg_wr(d, 0x04, &cmd, 2));
	EXPECT_TRUE(vfd_cfg16(d, 0x04) & 0x2);

	msix = vfd_cfg_cap(d, 0x11);
	ASSERT_NE(0, msix) TH_LOG("no MSI-X capability");
	EXPECT_EQ(VAAL_PCI_NR_VECTORS - 1, vfd_cfg16(d, msix + 2) & 0x7ff);
	v = vfd_cfg32(d, msix + 4);
	bir = v & 7;
	EXPECT_EQ(0, bir);
	EXPECT_EQ(VAAL_PCI_MSIX_TABLE, v & ~7U);
	v = vfd_cfg32(d, msix + 8);
	EXPECT_EQ(0, v & 7);
	EXPECT_EQ(VAAL_PCI_MSIX_PBA, v & ~7U);
}

/* The registers a driver reads first, and that read-only ones stay so. */
TEST_F(vfio, registers)
{
	struct vfd *d = &self->d;
	__u64 features = vfd_rd64(d, VAAL_PCI_REG_FEATURES_LO);
	__u32 max_ctx = vfd_rd(d, VAAL_PCI_REG_MAX_CONTEXTS);

	EXPECT_EQ(VAAL_PCI_MAGIC, vfd_rd(d, VAAL_PCI_REG_MAGIC));
	EXPECT_EQ(VAAL_PCI_VERSION_MAJOR << 16 | VAAL_PCI_VERSION_MINOR,
		  vfd_rd(d, VAAL_PCI_REG_VERSION));
	EXPECT_EQ(0, features & ~VAAL_PCI_F_ALL);
	EXPECT_TRUE(features & VAAL_PCI_F_MSIX);
	EXPECT_LE(1, max_ctx);
	EXPECT_GE(VAAL_PCI_MAX_SLOTS, max_ctx);
	EXPECT_LE(1, vfd_rd(d, VAAL_PCI_REG_MAX_INFLIGHT));
	EXPECT_LE(PG, vfd_rd64(d, VAAL_PCI_REG_MAX_BUF_LO));
	EXPECT_EQ(VAAL_PCI_STATUS_DRIVER_OK, vfd_rd(d, VAAL_PCI_REG_STATUS));
	EXPECT_EQ(0, vfd_rd(d, VAAL_PCI_REG_NR_CONTEXTS));
	EXPECT_EQ(0, vfd_rd(d, VAAL_PCI_REG_PINNED));
	EXPECT_EQ(0, vfd_rd(d, VAAL_PCI_REG_CMD_DOORBELL));	/* WO */

	/* The command address is read-write. */
	ASSERT_EQ(0, vfd_wr(d, VAAL_PCI_REG_CMD_ADDR_LO, 0x12345000));
	ASSERT_EQ(0, vfd_wr(d, VAAL_PCI_REG_CMD_ADDR_HI, 0x7));
	EXPECT_EQ(0x12345000, vfd_rd(d, VAAL_PCI_REG_CMD_ADDR_LO));
	EXPECT_EQ(0x7, vfd_rd(d, VAAL_PCI_REG_CMD_ADDR_HI));

	/* Writes to read-only registers change nothing. */
	ASSERT_EQ(0, vfd_wr(d, VAAL_PCI_REG_MAGIC, 0));
	ASSERT_EQ(0, vfd_wr(d, VAAL_PCI_REG_MAX_CONTEXTS, max_ctx + 5));
	ASSERT_EQ(0, vfd_wr(d, VAAL_PCI_REG_PINNED, 77));
	EXPECT_EQ(VAAL_PCI_MAGIC, vfd_rd(d, VAAL_PCI_REG_MAGIC));
	EXPECT_EQ(max_ctx, vfd_rd(d, VAAL_PCI_REG_MAX_CONTEXTS));
	EXPECT_EQ(0, vfd_rd(d, VAAL_PCI_REG_PINNED));
	/* ERROR is the device's to set. */
	ASSERT_EQ(0, vfd_wr(d, VAAL_PCI_REG_STATUS,
			    VAAL_PCI_STATUS_DRIVER_OK | VAAL_PCI_STATUS_ERROR));
	EXPECT_EQ(VAAL_PCI_STATUS_DRIVER_OK, vfd_rd(d, VAAL_PCI_REG_STATUS));
	EXPECT_TRUE(device_works(d));
}

/* --- commands ----------------------------------------------------------------- */

/* QUERY on a context: the ABI's version, and the limits of the guest's type. */
TEST_F(vfio, query)
{
	struct vfd *d = &self->d;
	__u64 max_buf = vfd_rd64(d, VAAL_PCI_REG_MAX_BUF_LO);
	__u32 max_inflight = vfd_rd(d, VAAL_PCI_REG_MAX_INFLIGHT);
	struct vaal_query q, hq;
	struct vaal_pci_cmd c;
	__u32 slot;

	ASSERT_EQ(0, vaal_query(self->host, &hq));
	ASSERT_EQ(0, vfd_ctx_create(d, 0, &slot, NULL));
	memset(&q, 0xff, sizeof(q));
	ASSERT_EQ(0, vfd_query(d, slot, &q));
	EXPECT_EQ(VAAL_ABI_MAJOR, q.abi_major);
	EXPECT_EQ(VAAL_ABI_MINOR, q.abi_minor);
	EXPECT_EQ(VAAL_FEAT_BUFFERS | VAAL_FEAT_KERNELS | VAAL_FEAT_RINGS,
		  q.features & (VAAL_FEAT_BUFFERS | VAAL_FEAT_KERNELS | VAAL_FEAT_RINGS));
	EXPECT_EQ(0, q.features & ~VAAL_FEATURES_ALL);
	EXPECT_EQ(0, q.features & VAAL_FEAT_USER_CONTROLLERS);
	/* The guest's own: its contexts, its type's bounds within the host's. */
	EXPECT_EQ(1, q.nr_contexts);
	EXPECT_EQ(vfd_rd(d, VAAL_PCI_REG_MAX_CONTEXTS), q.max_contexts);
	EXPECT_EQ(max_buf < hq.max_buffer_bytes ? max_buf : hq.max_buffer_bytes,
		  q.max_buffer_bytes);
	EXPECT_EQ(max_inflight < hq.max_inflight ? max_inflight : hq.max_inflight,
		  q.max_inflight);
	EXPECT_LE(1, q.nr_controllers);
	EXPECT_EQ(0, q.reserved);

	/* The first published size is enough; less, more or flags are not. */
	vfd_cmd_init(&c, VAAL_PCI_CMD_QUERY, slot);
	c.u.query.size = VAAL_QUERY_SIZE_VER0;
	EXPECT_EQ(0, vfd_cmd(d, &c));
	EXPECT_EQ(VAAL_ABI_MAJOR, c.u.query.abi_major);
	vfd_cmd_init(&c, VAAL_PCI_CMD_QUERY, slot);
	c.u.query.size = 8;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	vfd_cmd_init(&c, VAAL_PCI_CMD_QUERY, slot);
	c.u.query.size = sizeof(struct vaal_query) + 8;
	EXPECT_GT(0, vfd_cmd(d, &c)) TH_LOG("a query larger than the union's member");
	vfd_cmd_init(&c, VAAL_PCI_CMD_QUERY, slot);
	c.u.query.size = sizeof(struct vaal_query);
	c.u.query.flags = 1;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	/* A slot with no context. */
	vfd_cmd_init(&c, VAAL_PCI_CMD_QUERY, slot + 1);
	c.u.query.size = sizeof(struct vaal_query);
	EXPECT_EQ(-EBADF, vfd_cmd(d, &c));
}

/*
 * QUERY_CONTROLLERS: how many, then the list written into guest memory
 * (the CPU controller among them); room past one page or outside the RAM
 * is refused.
 */
TEST_F(vfio, query_controllers)
{
	struct vfd *d = &self->d;
	struct vaal_controller_info *info = vfd_alloc(d, 1);
	struct vaal_pci_cmd c;
	__u32 count, i;
	bool cpu = false;

	ASSERT_NE(NULL, info);
	vfd_cmd_init(&c, VAAL_PCI_CMD_QUERY_CONTROLLERS, 0);
	c.u.query_controllers.req.size = sizeof(struct vaal_query_controllers);
	c.u.query_controllers.req.entry_size = sizeof(*info);
	ASSERT_EQ(0, vfd_cmd(d, &c));
	count = c.u.query_controllers.req.count;
	ASSERT_LE(1, count) TH_LOG("no controller (vaal_cpu loaded?)");
	ASSERT_GE(PG / sizeof(*info), count);

	memset(info, 0xee, PG);
	vfd_cmd_init(&c, VAAL_PCI_CMD_QUERY_CONTROLLERS, 0);
	c.u.query_controllers.req.size = sizeof(struct vaal_query_controllers);
	c.u.query_controllers.req.entry_size = sizeof(*info);
	c.u.query_controllers.req.count = count;
	c.u.query_controllers.req.addr = vfd_iova(d, info);
	ASSERT_EQ(0, vfd_cmd(d, &c));
	EXPECT_EQ(count, c.u.query_controllers.req.count);
	vfd_barrier();
	for (i = 0; i < count; i++) {
		EXPECT_NE(0, info[i].id);
		EXPECT_LE(1, info[i].nr_units);
		EXPECT_NE(NULL, memchr(info[i].class, 0, sizeof(info[i].class)));
		if (!strcmp(info[i].class, "cpu"))
			cpu = true;
	}
	EXPECT_TRUE(cpu) TH_LOG("the CPU controller is not listed");
	EXPECT_TRUE(all_bytes(&info[count], sizeof(*info), 0xee))
		TH_LOG("written past the room given");

	/* More than a page of room. */
	c.u.query_controllers.req.count = PG / sizeof(*info) + 1;
	c.u.query_controllers.req.size = sizeof(struct vaal_query_controllers);
	c.status = 0;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	/* Room outside the guest's RAM. */
	c.u.query_controllers.req.count = 1;
	c.u.query_controllers.req.addr = d->iova + d->mem_size;
	EXPECT_EQ(-EFAULT, vfd_cmd(d, &c));
	/* A context named where none is taken. */
	vfd_cmd_init(&c, VAAL_PCI_CMD_QUERY_CONTROLLERS, 1);
	c.u.query_controllers.req.size = sizeof(struct vaal_query_controllers);
	c.u.query_controllers.req.entry_size = sizeof(*info);
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
}

/*
 * Contexts come and go: slots and host ids are distinct, the registers,
 * the mdev's counter and the host's count of contexts follow; destroying
 * twice is -EBADF; flags and reserved fields are checked.
 */
TEST_F(vfio, ctx_create_destroy)
{
	struct vfd *d = &self->d;
	__u32 a, b, c2, max = vfd_rd(d, VAAL_PCI_REG_MAX_CONTEXTS);
	__u64 ida, idb;
	struct vaal_pci_cmd c;

	ASSERT_EQ(0, vfd_ctx_create(d, 0, &a, &ida));
	EXPECT_GT(max, a);
	EXPECT_EQ(1, vfd_rd(d, VAAL_PCI_REG_NR_CONTEXTS));
	EXPECT_EQ(self->host_base + 1, host_nr(self->host));
	EXPECT_EQ(1, mdev_counter(self->uuid, "contexts"));
	ASSERT_EQ(0, vfd_ctx_create(d, VAAL_PCI_CTX_NO_IRQ, &b, &idb));
	EXPECT_GT(max, b);
	EXPECT_NE(a, b);
	EXPECT_NE(ida, idb);
	EXPECT_EQ(2, vfd_rd(d, VAAL_PCI_REG_NR_CONTEXTS));
	EXPECT_EQ(self->host_base + 2, host_nr(self->host));

	EXPECT_EQ(0, vfd_ctx_destroy(d, a));
	EXPECT_EQ(1, vfd_rd(d, VAAL_PCI_REG_NR_CONTEXTS));
	EXPECT_EQ(self->host_base + 1, host_nr_wait(self->host, self->host_base + 1, 2000));
	EXPECT_EQ(-EBADF, vfd_ctx_destroy(d, a));
	ASSERT_EQ(0, vfd_ctx_create(d, 0, &c2, NULL));
	EXPECT_NE(b, c2);
	EXPECT_EQ(0, vfd_ctx_destroy(d, c2));
	EXPECT_EQ(0, vfd_ctx_destroy(d, b));
	EXPECT_EQ(0, vfd_rd(d, VAAL_PCI_REG_NR_CONTEXTS));
	EXPECT_EQ(self->host_base, host_nr_wait(self->host, self->host_base, 2000));
	EXPECT_EQ(0, mdev_counter(self->uuid, "contexts"));

	/* Unknown flags, reserved fields, a context named on create. */
	vfd_cmd_init(&c, VAAL_PCI_CMD_CTX_CREATE, 0);
	c.u.ctx_create.flags = ~VAAL_PCI_CTX_FLAGS_ALL;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	vfd_cmd_init(&c, VAAL_PCI_CMD_CTX_CREATE, 0);
	c.u.ctx_create.reserved[1] = 1;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	vfd_cmd_init(&c, VAAL_PCI_CMD_CTX_CREATE, 3);
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	EXPECT_EQ(0, vfd_rd(d, VAAL_PCI_REG_NR_CONTEXTS));
	EXPECT_EQ(self->host_base, host_nr(self->host));
}

/* The type's contexts, each in its own slot, and -EMFILE for one more. */
TEST_F(vfio, ctx_limit)
{
	struct vfd *d = &self->d;
	__u32 max = vfd_rd(d, VAAL_PCI_REG_MAX_CONTEXTS), i, slot;
	bool seen[VAAL_PCI_MAX_SLOTS] = { false };
	__u32 slots[VAAL_PCI_MAX_SLOTS];

	ASSERT_GE(VAAL_PCI_MAX_SLOTS, max);
	for (i = 0; i < max; i++) {
		ASSERT_EQ(0, vfd_ctx_create(d, VAAL_PCI_CTX_NO_IRQ, &slots[i], NULL))
			TH_LOG("context %u of %u", i, max);
		ASSERT_GT(max, slots[i]);
		EXPECT_FALSE(seen[slots[i]]) TH_LOG("slot %u twice", slots[i]);
		seen[slots[i]] = true;
	}
	EXPECT_EQ(max, vfd_rd(d, VAAL_PCI_REG_NR_CONTEXTS));
	EXPECT_EQ(-EMFILE, vfd_ctx_create(d, 0, &slot, NULL));
	EXPECT_EQ(self->host_base + max, host_nr(self->host));
	/* One goes, one comes, in the slot let go. */
	EXPECT_EQ(0, vfd_ctx_destroy(d, slots[max / 2]));
	ASSERT_EQ(0, vfd_ctx_create(d, 0, &slot, NULL));
	EXPECT_EQ(slots[max / 2], slot);
	EXPECT_EQ(-EMFILE, vfd_ctx_create(d, 0, &slot, NULL));
	for (i = 0; i < max; i++)
		EXPECT_EQ(0, vfd_ctx_destroy(d, slots[i]));
	EXPECT_EQ(0, vfd_rd(d, VAAL_PCI_REG_NR_CONTEXTS));
	EXPECT_EQ(self->host_base, host_nr_wait(self->host, self->host_base, 5000));
}

/*
 * SETUP in guest pages, the way a driver learns how many: -ENOSPC with
 * ring_bytes for no pages and for one page too few, then the rings, their
 * pages zeroed and pinned; -EBUSY the second time; bad sizes, flags and
 * page addresses refused.
 */
TEST_F(vfio, setup_enospc_then_retry)
{
	struct vfd *d = &self->d;
	__u32 slot, slot2, pinned0, n;
	struct vaal_pci_cmd c;
	struct vaal_setup p;
	__u64 *pages, list;
	__u8 *map;

	ASSERT_EQ(0, vfd_ctx_create(d, VAAL_PCI_CTX_NO_IRQ, &slot, NULL));
	pinned0 = vfd_rd(d, VAAL_PCI_REG_PINNED);
	vfd_cmd_init(&c, VAAL_PCI_CMD_SETUP, slot);
	c.u.setup.req.size = sizeof(struct vaal_setup);
	c.u.setup.req.sq_entries = 60;
	ASSERT_EQ(-ENOSPC, vfd_cmd(d, &c));
	p = c.u.setup.req;
	EXPECT_EQ(64, p.sq_entries);
	EXPECT_EQ(128, p.cq_entries);
	ASSERT_LT(0, p.ring_bytes);
	ASSERT_EQ(0, p.ring_bytes % PG);
	n = p.ring_bytes / PG;
	ASSERT_LE(2, n);	/* 64 entries of 64 bytes and 128 of 32 */

	map = vfd_alloc(d, n);
	pages = calloc(n, sizeof(*pages));
	ASSERT_NE(NULL, map);
	ASSERT_NE(NULL, pages);
	memset(map, 0xa5, n * PG);
	vfd_pages_of(d, map, n, pages);
	list = vfd_list(d, pages, n);

	/* One page short. */
	vfd_cmd_init(&c, VAAL_PCI_CMD_SETUP, slot);
	c.u.setup.req.size = sizeof(struct vaal_setup);
	c.u.setup.req.sq_entries = 60;
	c.u.setup.pages = list;
	c.u.setup.nr_pages = n - 1;
	EXPECT_EQ(-ENOSPC, vfd_cmd(d, &c));
	EXPECT_EQ(p.ring_bytes, c.u.setup.req.ring_bytes);
	EXPECT_EQ(pinned0, vfd_rd(d, VAAL_PCI_REG_PINNED));

	/* Enough. */
	vfd_cmd_init(&c, VAAL_PCI_CMD_SETUP, slot);
	c.u.setup.req.size = sizeof(struct vaal_setup);
	c.u.setup.req.sq_entries = 60;
	c.u.setup.pages = list;
	c.u.setup.nr_pages = n;
	ASSERT_EQ(0, vfd_cmd(d, &c));
	p = c.u.setup.req;
	EXPECT_TRUE(vfd_setup_sane(&p));
	EXPECT_EQ(n * PG, p.ring_bytes);
	EXPECT_EQ(0, p.mmap_offset);
	EXPECT_LE(1, p.max_inflight);
	EXPECT_GE(vfd_rd(d, VAAL_PCI_REG_MAX_INFLIGHT), p.max_inflight);
	vfd_barrier();
	EXPECT_TRUE(all_bytes(map, n * PG, 0)) TH_LOG("ring pages not zeroed");
	EXPECT_EQ(pinned0 + n, vfd_rd(d, VAAL_PCI_REG_PINNED));
	EXPECT_EQ(pinned0 + n, mdev_counter(self->uuid, "pinned_pages"));
	/* Set up once. */
	vfd_cmd_init(&c, VAAL_PCI_CMD_SETUP, slot);
	c.u.setup.req.size = sizeof(struct vaal_setup);
	c.u.setup.req.sq_entries = 8;
	c.u.setup.pages = list;
	c.u.setup.nr_pages = n;
	EXPECT_EQ(-EBUSY, vfd_cmd(d, &c));

	/* On a fresh context: bad sizes, flags and pages. */
	ASSERT_EQ(0, vfd_ctx_create(d, VAAL_PCI_CTX_NO_IRQ, &slot2, NULL));
	vfd_cmd_init(&c, VAAL_PCI_CMD_SETUP, slot2);
	c.u.setup.req.size = sizeof(struct vaal_setup);
	c.u.setup.req.sq_entries = VAAL_MAX_SQ_ENTRIES + 1;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	c.u.setup.req.sq_entries = 0;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	c.u.setup.req.sq_entries = 8;
	c.u.setup.req.flags = 1U << 30;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	c.u.setup.req.flags = 0;
	c.u.setup.req.reserved = 1;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	c.u.setup.req.reserved = 0;
	free(pages);
	/* The 8-entry rings' pages: the last outside the RAM, then unaligned. */
	vfd_cmd_init(&c, VAAL_PCI_CMD_SETUP, slot2);
	c.u.setup.req.size = sizeof(struct vaal_setup);
	c.u.setup.req.sq_entries = 8;
	ASSERT_EQ(-ENOSPC, vfd_cmd(d, &c));
	n = c.u.setup.req.ring_bytes / PG;
	ASSERT_LE(1, n);
	map = vfd_alloc(d, n);
	pages = calloc(n, sizeof(*pages));
	ASSERT_NE(NULL, map);
	ASSERT_NE(NULL, pages);
	vfd_pages_of(d, map, n, pages);
	pages[n - 1] = d->iova + d->mem_size + PG;
	vfd_cmd_init(&c, VAAL_PCI_CMD_SETUP, slot2);
	c.u.setup.req.size = sizeof(struct vaal_setup);
	c.u.setup.req.sq_entries = 8;
	c.u.setup.pages = vfd_list(d, pages, n);
	c.u.setup.nr_pages = n;
	EXPECT_EQ(-EFAULT, vfd_cmd(d, &c));
	EXPECT_EQ(pinned0 + p.ring_bytes / PG, vfd_rd(d, VAAL_PCI_REG_PINNED))
		TH_LOG("pins kept");
	pages[n - 1] = vfd_iova(d, map + (n - 1) * PG) + 8;
	vfd_cmd_init(&c, VAAL_PCI_CMD_SETUP, slot2);
	c.u.setup.req.size = sizeof(struct vaal_setup);
	c.u.setup.req.sq_entries = 8;
	c.u.setup.pages = vfd_list(d, pages, n);
	c.u.setup.nr_pages = n;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	/* Right, at last. */
	pages[n - 1] -= 8;
	vfd_cmd_init(&c, VAAL_PCI_CMD_SETUP, slot2);
	c.u.setup.req.size = sizeof(struct vaal_setup);
	c.u.setup.req.sq_entries = 8;
	c.u.setup.pages = vfd_list(d, pages, n);
	c.u.setup.nr_pages = n;
	EXPECT_EQ(0, vfd_cmd(d, &c));
	free(pages);

	EXPECT_EQ(0, vfd_ctx_destroy(d, slot2));
	EXPECT_EQ(0, vfd_ctx_destroy(d, slot));
	EXPECT_EQ(0, vfd_rd(d, VAAL_PCI_REG_PINNED));
}

/*
 * NOPs through a polled context: the doorbell consumes what was queued
 * before its write completes, its result says how many, completions come
 * back in order with no interrupt.  A count of 0 consumes nothing, a count
 * past the queued entries consumes those, one past the ring is -EINVAL.
 */
TEST_F(vfio, nop_polled_no_irq)
{
	struct vfd *d = &self->d;
	struct vaal_cqe cqe[32];
	struct gctx g;
	__u32 head;
	int i;

	ASSERT_EQ(0, vfd_irq_enable(d));
	ASSERT_EQ(0, gctx_open(d, &g, VAAL_PCI_CTX_NO_IRQ, 64, 0));
	ASSERT_TRUE(gnop(d, &g));
	for (i = 0; i < 32; i++)
		ASSERT_EQ(0, vaal_queue_nop(&g.r, 1000 + i));
	ASSERT_EQ(32, vfd_submit(d, g.slot, &g.r));
	EXPECT_EQ(g.r.sq_local_tail, __atomic_load_n(g.r.sq_head, __ATOMIC_ACQUIRE));
	ASSERT_EQ(32, greap_n(&g, cqe, 32, WAIT_MS));
	for (i = 0; i < 32; i++) {
		EXPECT_EQ(1000 + i, cqe[i].user_data);
		EXPECT_EQ(0, cqe[i].res);
	}
	EXPECT_EQ(0, vfd_irq_wait(d, VAAL_PCI_VEC_CQ, 200))
		TH_LOG("a NO_IRQ context signalled");

	/* Nothing queued, count 0. */
	ASSERT_EQ(0, vfd_wr(d, VAAL_PCI_REG_DOORBELL(g.slot), 0));
	EXPECT_EQ(0, (int)vfd_rd(d, VAAL_PCI_REG_DB_RESULT(g.slot)));
	/* Two queued, five asked: two. */
	ASSERT_EQ(0, vaal_queue_nop(&g.r, 1));
	ASSERT_EQ(0, vaal_queue_nop(&g.r, 2));
	__atomic_store_n(g.r.sq_tail, g.r.sq_local_tail, __ATOMIC_RELEASE);
	ASSERT_EQ(0, vfd_wr(d, VAAL_PCI_REG_DOORBELL(g.slot), 5));
	EXPECT_EQ(2, (int)vfd_rd(d, VAAL_PCI_REG_DB_RESULT(g.slot)));
	EXPECT_EQ(2, greap_n(&g, cqe, 2, WAIT_MS));
	/* One queued, more than the ring asked. */
	ASSERT_EQ(0, vaal_queue_nop(&g.r, 3));
	__atomic_store_n(g.r.sq_tail, g.r.sq_local_tail, __ATOMIC_RELEASE);
	head = __atomic_load_n(g.r.sq_head, __ATOMIC_ACQUIRE);
	ASSERT_EQ(0, vfd_wr(d, VAAL_PCI_REG_DOORBELL(g.slot), 65));
	EXPECT_EQ(-EINVAL, (int)vfd_rd(d, VAAL_PCI_REG_DB_RESULT(g.slot)));
	EXPECT_EQ(head, __atomic_load_n(g.r.sq_head, __ATOMIC_ACQUIRE));
	/* Bits of the doorbell value that mean nothing. */
	ASSERT_EQ(0, vfd_wr(d, VAAL_PCI_REG_DOORBELL(g.slot), 1 | 1U << 20));
	EXPECT_EQ(-EINVAL, (int)vfd_rd(d, VAAL_PCI_REG_DB_RESULT(g.slot)));
	EXPECT_EQ(head, __atomic_load_n(g.r.sq_head, __ATOMIC_ACQUIRE));
	ASSERT_EQ(1, vfd_submit(d, g.slot, &g.r));
	ASSERT_EQ(0, greap(&g, cqe, WAIT_MS));
	EXPECT_EQ(3, cqe[0].user_data);
}

/*
 * A completion ring with no room: the device parks completions (counted in
 * the ring's overflow word) and moves them in at the next doorbell, a
 * count of 0 included, once the driver made room; none is lost or
 * reordered.
 */
TEST_F(vfio, cq_full_doorbell_zero)
{
	struct vfd *d = &self->d;
	struct vaal_cqe cqe[8];
	struct gctx g;
	__u32 ovf;
	int i;

	memset(&g, 0, sizeof(g));
	ASSERT_EQ(0, vfd_ctx_create(d, VAAL_PCI_CTX_NO_IRQ, &g.slot, NULL));
	g.p.sq_entries = 4;
	g.p.cq_entries = 4;
	ASSERT_EQ(0, vfd_setup(d, g.slot, &g.p, &g.r));
	ASSERT_EQ(4, g.r.cq_entries);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, vaal_queue_nop(&g.r, 100 + i));
	ASSERT_EQ(4, vfd_submit(d, g.slot, &g.r));
	ASSERT_EQ(4, vfd_poll_cq(&g.r, 4, WAIT_MS));
	ovf = __atomic_load_n(g.r.cq_overflow, __ATOMIC_ACQUIRE);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, vaal_queue_nop(&g.r, 200 + i));
	ASSERT_EQ(4, vfd_submit(d, g.slot, &g.r));
	usleep(100000);
	EXPECT_EQ(4, vaal_cq_ready(&g.r));
	EXPECT_EQ(ovf + 4, __atomic_load_n(g.r.cq_overflow, __ATOMIC_ACQUIRE));
	ASSERT_EQ(4, greap_n(&g, cqe, 4, WAIT_MS));
	/* Room made, nothing rung: the parked ones wait. */
	usleep(100000);
	EXPECT_EQ(0, vaal_cq_ready(&g.r));
	ASSERT_EQ(0, vfd_wr(d, VAAL_PCI_REG_DOORBELL(g.slot), 0));
	EXPECT_EQ(0, (int)vfd_rd(d, VAAL_PCI_REG_DB_RESULT(g.slot)));
	ASSERT_EQ(4, greap_n(&g, cqe + 4, 4, WAIT_MS));
	for (i = 0; i < 8; i++) {
		EXPECT_EQ((i < 4 ? 100 : 196) + i, cqe[i].user_data);
		EXPECT_EQ(0, cqe[i].res);
	}
	EXPECT_TRUE(gnop(d, &g));
}

/*
 * A type with polling threads: a context set up with VAAL_SETUP_SQPOLL
 * takes its submissions with no doorbell; once its thread sleeps (the
 * ring's NEED_WAKEUP flag), a doorbell with SQ_WAKEUP wakes it.  A type
 * without them refuses the set up.
 */
TEST_F(vfio, sqpoll_without_doorbell)
{
	char dirs[MAX_TYPES][PATH_MAX];
	struct vfd *d = &self->d, *e = &self->e;
	const char *nopoll = NULL;
	struct vaal_pci_cmd c;
	struct vaal_cqe cqe;
	__u32 *sq_flags, slot;
	struct gctx g;
	int n, i, ret;

	if (!(vfd_rd64(d, VAAL_PCI_REG_FEATURES_LO) & VAAL_PCI_F_SQPOLL))
		SKIP(return, "type %.80s has no polling threads",
		     strrchr(self->type, '/') + 1);
	memset(&g, 0, sizeof(g));
	ASSERT_EQ(0, vfd_ctx_create(d, VAAL_PCI_CTX_NO_IRQ, &g.slot, NULL));
	g.p.sq_entries = 8;
	g.p.flags = VAAL_SETUP_SQPOLL;
	g.p.sq_idle_ms = 50;
	ASSERT_EQ(0, vfd_setup(d, g.slot, &g.p, &g.r));
	sq_flags = (__u32 *)((__u8 *)g.r.map + g.p.sq_off.flags);
	ASSERT_EQ(0, vaal_queue_nop(&g.r, 11));
	__atomic_store_n(g.r.sq_tail, g.r.sq_local_tail, __ATOMIC_RELEASE);
	/* The thread may have gone to sleep already: then wake it. */
	if (vfd_poll_cq(&g.r, 1, 20) < 1 &&
	    __atomic_load_n(sq_flags, __ATOMIC_ACQUIRE) & VAAL_SQ_NEED_WAKEUP)
		ASSERT_EQ(0, vfd_wr(d, VAAL_PCI_REG_DOORBELL(g.slot),
				    VAAL_PCI_DB_SQ_WAKEUP));
	ASSERT_EQ(0, greap(&g, &cqe, WAIT_MS));
	EXPECT_EQ(11, cqe.user_data);
	/* Awake: no doorbell at all. */
	ASSERT_EQ(0, vaal_queue_nop(&g.r, 12));
	__atomic_store_n(g.r.sq_tail, g.r.sq_local_tail, __ATOMIC_RELEASE);
	ASSERT_EQ(0, greap(&g, &cqe, WAIT_MS)) TH_LOG("not polled");
	EXPECT_EQ(12, cqe.user_data);
	/* Asleep after its idle time, woken by the doorbell. */
	for (i = 0; i < 200 && !(__atomic_load_n(sq_flags, __ATOMIC_ACQUIRE) &
				   VAAL_SQ_NEED_WAKEUP); i++)
		usleep(10000);
	ASSERT_TRUE(__atomic_load_n(sq_flags, __ATOMIC_ACQUIRE) & VAAL_SQ_NEED_WAKEUP);
	ASSERT_EQ(0, vaal_queue_nop(&g.r, 13));
	__atomic_store_n(g.r.sq_tail, g.r.sq_local_tail, __ATOMIC_RELEASE);
	ASSERT_EQ(0, vfd_wr(d, VAAL_PCI_REG_DOORBELL(g.slot), VAAL_PCI_DB_SQ_WAKEUP));
	EXPECT_LE(0, (int)vfd_rd(d, VAAL_PCI_REG_DB_RESULT(g.slot)));
	ASSERT_EQ(0, greap(&g, &cqe, WAIT_MS));
	EXPECT_EQ(13, cqe.user_data);

	/* A type without polling threads. */
	n = vfd_find_types(dirs, MAX_TYPES);
	for (i = 0; i < n && !nopoll; i++) {
		char desc[1024];

		if (!vfd_type_attr(dirs[i], "description", desc, sizeof(desc)) &&
		    strstr(desc, "sqpoll=no") && vfd_type_available(dirs[i]) > 0)
			nopoll = dirs[i];
	}
	if (!nopoll)
		return;
	ASSERT_EQ(0, vfd_mdev_create(nopoll, self->uuid2, sizeof(self->uuid2)));
	ret = vfd_start(e, self->uuid2, MEM_SIZE);
	ASSERT_EQ(0, ret);
	EXPECT_EQ(0, vfd_rd64(e, VAAL_PCI_REG_FEATURES_LO) & VAAL_PCI_F_SQPOLL);
	ASSERT_EQ(0, vfd_ctx_create(e, 0, &slot, NULL));
	vfd_cmd_init(&c, VAAL_PCI_CMD_SETUP, slot);
	c.u.setup.req.size = sizeof(struct vaal_setup);
	c.u.setup.req.sq_entries = 8;
	c.u.setup.req.flags = VAAL_SETUP_SQPOLL;
	EXPECT_EQ(-EPERM, vfd_cmd(e, &c));
}

/*
 * A launch on a context with interrupts: MSI-X vector 0's eventfd fires,
 * the completion is in the ring, the copy is in place in guest memory;
 * the error vector stays quiet.
 */
TEST_F(vfio, launch_msix_eventfd)
{
	struct vfd *d = &self->d;
	const size_t len = 3 * PG + 123;
	struct vaal_sqe_arg a[2];
	__u32 hs, hd, id;
	__u8 *src, *dst;
	struct vaal_cqe c;
	struct gctx g;
	int early = 0;

	ASSERT_EQ(0, vfd_irq_enable(d));
	ASSERT_EQ(0, gctx_open(d, &g, 0, 16, 0));
	ASSERT_EQ(0, vfd_kernel_register(d, g.slot, "cpu", "memcpy", in_out, 2, 0, &id));
	ASSERT_EQ(0, vfd_buf_create(d, g.slot, len + 100, &hs, (void **)&src));
	ASSERT_EQ(0, vfd_buf_create(d, g.slot, len + 200, &hd, (void **)&dst));
	fill_random(src, len + 100);
	a[0] = garg(hs, len, 100);
	a[1] = garg(hd, len, 200);
	/* Nothing pending from the commands. */
	EXPECT_EQ(0, vfd_irq_wait(d, VAAL_PCI_VEC_CQ, 0));
	ASSERT_EQ(0, vaal_queue_launch(&g.r, id, a, in_out, 2, NULL, 0, 77));
	ASSERT_EQ(1, vfd_submit(d, g.slot, &g.r));
	/* Interrupts until the completion is there; none may be early. */
	while (!vaal_cq_ready(&g.r)) {
		ASSERT_LE(1, vfd_irq_wait(d, VAAL_PCI_VEC_CQ, WAIT_MS))
			TH_LOG("MSI-X vector %d did not fire for the completion",
			       VAAL_PCI_VEC_CQ);
		if (!vaal_cq_ready(&g.r))
			early++;
	}
	EXPECT_EQ(0, early) TH_LOG("vector %d fired with nothing posted",
				   VAAL_PCI_VEC_CQ);
	ASSERT_EQ(0, greap(&g, &c, 0));
	EXPECT_EQ(77, c.user_data);
	EXPECT_EQ(0, c.res);
	EXPECT_NE(0, c.controller);
	vfd_barrier();
	EXPECT_EQ(0, memcmp(dst + 200, src + 100, len));
	EXPECT_TRUE(all_bytes(dst, 200, 0));
	EXPECT_TRUE(all_bytes(dst + 200 + len, PG - (200 + len) % PG, 0));
	EXPECT_EQ(0, vfd_irq_wait(d, VAAL_PCI_VEC_ERROR, 0));
	EXPECT_EQ(0, vfd_rd(d, VAAL_PCI_REG_STATUS) & VAAL_PCI_STATUS_ERROR);
}

/*
 * A buffer of 1100 pages named by a chain of three list pages, in an order
 * of its own: a copy lands in those pages, in that order, in place; the
 * device copies a few command bytes for the launch, not the data, and
 * page lists and commands for the buffers.
 */
TEST_F_TIMEOUT(vfio, buf_list_chain_zero_copy, 120)
{
	struct vfd *d = &self->d;
	const size_t npg = 1100, len = npg * PG - 100;
	__u64 *pages, copied0, copied1, copied2;
	struct vaal_pci_stats st;
	struct vaal_sqe_arg a[2];
	__u8 *src, *dst;
	__u32 hs, hd, id, pinned0;
	struct gctx g;
	size_t i;

	ASSERT_EQ(0, gctx_open(d, &g, VAAL_PCI_CTX_NO_IRQ, 16, 0));
	ASSERT_EQ(0, vfd_kernel_register(d, g.slot, "cpu", "memcpy", in_out, 2, 0, &id));
	copied0 = vfd_rd64(d, VAAL_PCI_REG_COPIED_LO);
	pinned0 = vfd_rd(d, VAAL_PCI_REG_PINNED);
	ASSERT_EQ(0, vfd_buf_create(d, g.slot, len, &hs, (void **)&src));
	dst = vfd_alloc(d, npg);
	pages = calloc(npg, sizeof(*pages));
	ASSERT_NE(NULL, dst);
	ASSERT_NE(NULL, pages);
	/* Page i of the buffer is page 7i mod 1100 of dst (7 is prime to 1100). */
	for (i = 0; i < npg; i++)
		pages[i] = vfd_iova(d, dst + (i * 7 % npg) * PG);
	ASSERT_EQ(0, vfd_buf_create_pages(d, g.slot, len, pages, &hd));
	EXPECT_EQ(pinned0 + 2 * npg, vfd_rd(d, VAAL_PCI_REG_PINNED));
	ASSERT_EQ(0, vfd_stats(d, g.slot, &st));
	EXPECT_EQ(2, st.nr_bufs);
	EXPECT_EQ(2 * npg * PG, st.buf_bytes);

	fill_random(src, len);
	memset(dst, 0x5a, npg * PG);
	copied1 = vfd_rd64(d, VAAL_PCI_REG_COPIED_LO);
	a[0] = garg(hs, len, 0);
	a[1] = garg(hd, len, 0);
	EXPECT_EQ(0, glaunch(d, &g, id, a, in_out, 2, NULL, 0));
	copied2 = vfd_rd64(d, VAAL_PCI_REG_COPIED_LO);
	vfd_barrier();
	for (i = 0; i < npg; i++) {
		size_t n = i + 1 < npg ? PG : PG - 100;

		ASSERT_EQ(0, memcmp(dst + (i * 7 % npg) * PG, src + i * PG, n))
			TH_LOG("page %zu of the buffer", i);
	}
	/* The 100 bytes past the copy are untouched. */
	EXPECT_TRUE(all_bytes(dst + ((npg - 1) * 7 % npg) * PG + PG - 100, 100, 0x5a));

	/* Zero copy: a launch is the ring, in place; buffers, their lists. */
	EXPECT_GT(PG, copied2 - copied1)
		TH_LOG("the launch made the device copy %llu bytes",
		       (unsigned long long)(copied2 - copied1));
	EXPECT_GT(len / 64, copied2 - copied0)
		TH_LOG("%llu bytes copied for a %zu-byte buffer",
		       (unsigned long long)(copied2 - copied0), len);
	EXPECT_LT(copied0, copied1) TH_LOG("commands and page lists not counted");
	EXPECT_EQ((long long)copied2, mdev_counter(self->uuid, "bytes_copied"));

	EXPECT_EQ(0, vfd_buf_destroy(d, g.slot, hd));
	EXPECT_EQ(0, vfd_buf_destroy(d, g.slot, hs));
	EXPECT_EQ(-ENOENT, vfd_buf_destroy(d, g.slot, hs));
	EXPECT_EQ(pinned0, vfd_rd(d, VAAL_PCI_REG_PINNED));
	free(pages);
}

/* A launch with scalars: CRC-32C of guest data, the result in guest memory. */
TEST_F(vfio, crc32c_in_place)
{
	struct vfd *d = &self->d;
	const size_t len = 100000;
	__u32 hdata, hout, id;
	__le32 seed = 0, *crc;
	struct vaal_sqe_arg a[2];
	__u8 *data;
	struct gctx g;

	ASSERT_EQ(0, gctx_open(d, &g, VAAL_PCI_CTX_NO_IRQ, 16, 0));
	ASSERT_EQ(0, vfd_kernel_register(d, g.slot, "cpu", "crc32c", in_out, 2, 4, &id));
	ASSERT_EQ(0, vfd_buf_create(d, g.slot, len, &hdata, (void **)&data));
	ASSERT_EQ(0, vfd_buf_create(d, g.slot, 4, &hout, (void **)&crc));
	memcpy(data, "123456789", 9);
	a[0] = garg(hdata, 9, 0);
	a[1] = garg(hout, 4, 0);
	ASSERT_EQ(0, glaunch(d, &g, id, a, in_out, 2, &seed, 4));
	vfd_barrier();
	EXPECT_EQ(0xe3069283U, le32toh(*crc));
	fill_random(data, len);
	a[0] = garg(hdata, len, 0);
	ASSERT_EQ(0, glaunch(d, &g, id, a, in_out, 2, &seed, 4));
	vfd_barrier();
	EXPECT_EQ(crc32c_ref(0, data, len), le32toh(*crc));
}

/*
 * A NOP queued behind a launch completes first (NOPs complete as they are
 * consumed) - unless the context is ordered: then completions retire in
 * submission order.
 */
TEST_F(vfio, ordered_mode)
{
	struct vfd *d = &self->d;
	struct vaal_sqe_arg a[2];
	struct vaal_cqe c[4];
	struct gctx g[2];
	__u32 hs, hd, id;
	int k, i;

	for (k = 0; k < 2; k++) {
		ASSERT_EQ(0, gctx_open(d, &g[k], VAAL_PCI_CTX_NO_IRQ, 16,
				       k ? VAAL_SETUP_ORDERED : 0));
		ASSERT_EQ(0, vfd_kernel_register(d, g[k].slot, "cpu", "memcpy",
						 in_out, 2, 0, &id));
		ASSERT_EQ(0, vfd_buf_create(d, g[k].slot, 64 * PG, &hs, NULL));
		ASSERT_EQ(0, vfd_buf_create(d, g[k].slot, 64 * PG, &hd, NULL));
		a[0] = garg(hs, 0, 0);
		a[1] = garg(hd, 0, 0);
		ASSERT_EQ(0, vaal_queue_launch(&g[k].r, id, a, in_out, 2, NULL, 0, 1));
		for (i = 2; i <= 4; i++)
			ASSERT_EQ(0, vaal_queue_nop(&g[k].r, i));
		ASSERT_EQ(4, vfd_submit(d, g[k].slot, &g[k].r));
		ASSERT_EQ(4, greap_n(&g[k], c, 4, WAIT_MS));
		for (i = 0; i < 4; i++)
			EXPECT_EQ(0, c[i].res);
		if (k) {
			for (i = 0; i < 4; i++) {
				unsigned long long ud = c[i].user_data;

				EXPECT_EQ(i + 1, ud)
					TH_LOG("ordered: completion %d is %llu", i, ud);
			}
		} else {
			EXPECT_EQ(1, c[3].user_data)
				TH_LOG("unordered: the launch did not complete last");
		}
	}
}

/* A barrier: the NOP after it completes after the launch before it. */
TEST_F(vfio, barrier)
{
	struct vfd *d = &self->d;
	struct vaal_sqe_arg a[2];
	struct vaal_cqe c[3];
	int pos[4] = { -1, -1, -1, -1 }, i;
	__u32 hs, hd, id;
	struct gctx g;

	ASSERT_EQ(0, gctx_open(d, &g, VAAL_PCI_CTX_NO_IRQ, 16, 0));
	ASSERT_EQ(0, vfd_kernel_register(d, g.slot, "cpu", "memcpy", in_out, 2, 0, &id));
	ASSERT_EQ(0, vfd_buf_create(d, g.slot, 64 * PG, &hs, NULL));
	ASSERT_EQ(0, vfd_buf_create(d, g.slot, 64 * PG, &hd, NULL));
	a[0] = garg(hs, 0, 0);
	a[1] = garg(hd, 0, 0);
	ASSERT_EQ(0, vaal_queue_launch(&g.r, id, a, in_out, 2, NULL, 0, 1));
	ASSERT_EQ(0, vaal_queue_barrier(&g.r, 2));
	ASSERT_EQ(0, vaal_queue_nop(&g.r, 3));
	ASSERT_EQ(3, vfd_submit(d, g.slot, &g.r));
	ASSERT_EQ(3, greap_n(&g, c, 3, WAIT_MS));
	for (i = 0; i < 3; i++) {
		ASSERT_LE(1, c[i].user_data);
		ASSERT_GE(3, c[i].user_data);
		pos[c[i].user_data] = i;
		EXPECT_EQ(0, c[i].res);
	}
	EXPECT_LT(pos[1], pos[2]) TH_LOG("the barrier completed before the launch");
	EXPECT_LT(pos[1], pos[3]) TH_LOG("the NOP passed the barrier");
}

/*
 * Scheduling attributes through SCHED_GET/SET: the units a context may use
 * change and read back; a budget above its period is refused with its
 * reason; a reservation the host's administrator gave the mdev applies to
 * its contexts and the guest cannot change it.
 */
TEST_F(vfio, sched_attr)
{
	struct vfd *d = &self->d;
	struct vaal_sched_attr *s;
	struct vaal_pci_cmd c;
	char path[PATH_MAX];
	__u32 slot, slot2;

	if (access(VCS_SYSFS "/cpu", F_OK))
		SKIP(return, "vcore_sched or vaal_cpu is not loaded");
	ASSERT_EQ(0, vfd_ctx_create(d, 0, &slot, NULL));
	vfd_cmd_init(&c, VAAL_PCI_CMD_SCHED_GET, slot);
	s = &c.u.sched;
	s->size = sizeof(*s);
	set_str(s->class, sizeof(s->class), "cpu");
	ASSERT_EQ(0, vfd_cmd(d, &c));
	EXPECT_EQ(0, s->units);
	EXPECT_EQ(0, s->budget_ns);
	EXPECT_LT(0, s->limit_ppm);

	/* A reservation of the guest's own, read back, then dropped. */
	vfd_cmd_init(&c, VAAL_PCI_CMD_SCHED_SET, slot);
	s->size = sizeof(*s);
	s->flags = VAAL_SCHED_RESERVE;
	set_str(s->class, sizeof(s->class), "cpu");
	s->budget_ns = 1000000;
	s->period_ns = 10000000;
	ASSERT_EQ(0, vfd_cmd(d, &c)) TH_LOG("reason %u", s->reason);
	EXPECT_EQ(VAAL_SCHED_OK, s->reason);
	vfd_cmd_init(&c, VAAL_PCI_CMD_SCHED_GET, slot);
	s->size = sizeof(*s);
	set_str(s->class, sizeof(s->class), "cpu");
	ASSERT_EQ(0, vfd_cmd(d, &c));
	EXPECT_EQ(1000000, s->budget_ns);
	EXPECT_EQ(10000000, s->period_ns);
	EXPECT_LT(0, s->admitted_ppm);
	vfd_cmd_init(&c, VAAL_PCI_CMD_SCHED_SET, slot);
	s->size = sizeof(*s);
	s->flags = VAAL_SCHED_RESERVE;
	set_str(s->class, sizeof(s->class), "cpu");
	ASSERT_EQ(0, vfd_cmd(d, &c));
	/* Units: any is fine; unit sets that are no partition are not. */
	vfd_cmd_init(&c, VAAL_PCI_CMD_SCHED_SET, slot);
	s->size = sizeof(*s);
	s->flags = VAAL_SCHED_UNITS;
	set_str(s->class, sizeof(s->class), "cpu");
	EXPECT_EQ(0, vfd_cmd(d, &c));
	s->units = 1ULL << 40;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	EXPECT_EQ(VAAL_SCHED_EUNITS, s->reason);

	vfd_cmd_init(&c, VAAL_PCI_CMD_SCHED_SET, slot);
	s->size = sizeof(*s);
	s->flags = VAAL_SCHED_RESERVE;
	set_str(s->class, sizeof(s->class), "cpu");
	s->budget_ns = 20000000;
	s->period_ns = 10000000;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	EXPECT_EQ(VAAL_SCHED_EBUDGET, s->reason);
	/* Reserved fields. */
	vfd_cmd_init(&c, VAAL_PCI_CMD_SCHED_GET, slot);
	s->size = sizeof(*s);
	set_str(s->class, sizeof(s->class), "cpu");
	s->reserved0 = 1;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));

	/* The administrator's reservation for the mdev. */
	vfd_path(path, sizeof(path), VFD_MDEV_DEVICES "/%s/vaal/reserve", self->uuid);
	ASSERT_EQ(0, vfd_write_str(path, "cpu 2000000 10000000\n"));
	ASSERT_EQ(0, vfd_ctx_create(d, 0, &slot2, NULL));
	vfd_cmd_init(&c, VAAL_PCI_CMD_SCHED_GET, slot2);
	s->size = sizeof(*s);
	set_str(s->class, sizeof(s->class), "cpu");
	ASSERT_EQ(0, vfd_cmd(d, &c));
	EXPECT_EQ(2000000, s->budget_ns);
	EXPECT_EQ(10000000, s->period_ns);
	vfd_cmd_init(&c, VAAL_PCI_CMD_SCHED_SET, slot2);
	s->size = sizeof(*s);
	s->flags = VAAL_SCHED_RESERVE;
	set_str(s->class, sizeof(s->class), "cpu");
	EXPECT_EQ(-EPERM, vfd_cmd(d, &c)) TH_LOG("the guest dropped the host's reservation");
	EXPECT_EQ(0, vfd_ctx_destroy(d, slot2));
	EXPECT_EQ(0, vfd_ctx_destroy(d, slot));
}

/*
 * STATS: what a context submitted, completed, holds.  A driver that does
 * only what the ABI says (the ring set up's -ENOSPC answer included) has
 * no error counted.
 */
TEST_F(vfio, stats)
{
	struct vfd *d = &self->d;
	__u32 errors0 = vfd_rd(d, VAAL_PCI_REG_ERRORS);
	struct vaal_pci_stats st;
	struct vaal_sqe_arg a[2];
	__u32 h1, h2, id;
	struct gctx g;
	int i;

	ASSERT_EQ(0, gctx_open(d, &g, VAAL_PCI_CTX_NO_IRQ, 16, 0));
	ASSERT_EQ(0, vfd_stats(d, g.slot, &st));
	EXPECT_EQ(0, st.submitted);
	EXPECT_EQ(0, st.nr_bufs);
	ASSERT_EQ(0, vfd_kernel_register(d, g.slot, "cpu", "memcpy", in_out, 2, 0, &id));
	ASSERT_EQ(0, vfd_buf_create(d, g.slot, 5000, &h1, NULL));
	ASSERT_EQ(0, vfd_buf_create(d, g.slot, 5000, &h2, NULL));
	for (i = 0; i < 10; i++)
		ASSERT_TRUE(gnop(d, &g));
	a[0] = garg(h1, 0, 0);
	a[1] = garg(h2, 0, 0);
	ASSERT_EQ(0, glaunch(d, &g, id, a, in_out, 2, NULL, 0));
	ASSERT_EQ(0, vfd_stats(d, g.slot, &st));
	EXPECT_EQ(11, st.submitted);
	EXPECT_EQ(11, st.completed);
	EXPECT_EQ(0, st.inflight);
	EXPECT_EQ(2, st.nr_bufs);
	EXPECT_EQ(4 * PG, st.buf_bytes);
	EXPECT_EQ(0, st.reserved[0]);
	EXPECT_EQ(0, st.reserved[1]);
	EXPECT_EQ(errors0, vfd_rd(d, VAAL_PCI_REG_ERRORS))
		TH_LOG("a well-behaved driver's commands counted as bad ones");
	EXPECT_EQ(-EBADF, vfd_stats(d, g.slot + 1, &st));
}

/*
 * Kernels: ids from 1, a name once per class, unregistering once; a
 * launch of an unregistered kernel completes with -ENOENT; a blob outside
 * the guest's RAM is -EFAULT.
 */
TEST_F(vfio, kernel_register_unregister)
{
	struct vfd *d = &self->d;
	struct vaal_kernel_register *k;
	struct vaal_sqe_arg a[2];
	struct vaal_pci_cmd c;
	__u32 id, id2, h1, h2;
	struct gctx g;

	ASSERT_EQ(0, gctx_open(d, &g, VAAL_PCI_CTX_NO_IRQ, 16, 0));
	ASSERT_EQ(0, vfd_kernel_register(d, g.slot, "cpu", "memcpy", in_out, 2, 0, &id));
	EXPECT_LE(1, id);
	EXPECT_GE(VAAL_MAX_KERNEL_ID, id);
	EXPECT_EQ(-EEXIST, vfd_kernel_register(d, g.slot, "cpu", "memcpy", in_out,
					       2, 0, &id2));
	ASSERT_EQ(0, vfd_kernel_register(d, g.slot, "cpu", "crc32c", in_out, 2, 4, &id2));
	EXPECT_NE(id, id2);
	ASSERT_EQ(0, vfd_buf_create(d, g.slot, PG, &h1, NULL));
	ASSERT_EQ(0, vfd_buf_create(d, g.slot, PG, &h2, NULL));
	a[0] = garg(h1, 0, 0);
	a[1] = garg(h2, 0, 0);
	EXPECT_EQ(0, glaunch(d, &g, id, a, in_out, 2, NULL, 0));
	EXPECT_EQ(0, vfd_kernel_unregister(d, g.slot, id));
	EXPECT_EQ(-ENOENT, vfd_kernel_unregister(d, g.slot, id));
	EXPECT_EQ(-ENOENT, glaunch(d, &g, id, a, in_out, 2, NULL, 0));

	/* Signatures the core refuses. */
	vfd_cmd_init(&c, VAAL_PCI_CMD_KERNEL_REGISTER, g.slot);
	k = &c.u.kernel_register.req;
	k->size = sizeof(*k);
	set_str(k->class, sizeof(k->class), "cpu");
	set_str(k->name, sizeof(k->name), "xor");
	k->nr_args = VAAL_MAX_ARGS + 1;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	k->nr_args = 3;
	memcpy(k->arg_mode, in_in_out, 3);
	k->reserved1 = 1;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	k->reserved1 = 0;
	/* Code outside the guest's RAM. */
	k->blob_len = 64;
	k->blob_addr = d->iova + d->mem_size + 16 * PG;
	EXPECT_EQ(-EFAULT, vfd_cmd(d, &c));
	k->blob_len = 0;
	k->blob_addr = 0;
	EXPECT_EQ(0, vfd_cmd(d, &c));
}

/*
 * A kernel's code is copied from guest memory (and counted, the command
 * with it); a blob past the module's bound is -E2BIG.  A class no
 * controller serves yet registers, as on the host.
 */
TEST_F(vfio, kernel_blob_copied)
{
	static const char src[] =
		"__kernel void vadd(__global int *c) { c[get_global_id(0)] += 1; }";
	struct vfd *d = &self->d;
	struct vaal_kernel_register *k;
	__u64 copied0, copied1;
	struct vaal_pci_cmd c;
	char list[256];
	__u8 *blob;
	__u32 slot;

	if (!type_classes(self->type, list, sizeof(list)) ||
	    (strcmp(list, "all") && !class_in(list, "opencl")))
		SKIP(return, "type %.80s does not offer opencl",
		     strrchr(self->type, '/') + 1);
	blob = vfd_alloc(d, 2);
	ASSERT_NE(NULL, blob);
	/* Across a page boundary: contiguous in guest memory is enough. */
	blob += PG - 40;
	memcpy(blob, src, sizeof(src));
	ASSERT_EQ(0, vfd_ctx_create(d, 0, &slot, NULL));
	vfd_cmd_init(&c, VAAL_PCI_CMD_KERNEL_REGISTER, slot);
	k = &c.u.kernel_register.req;
	k->size = sizeof(*k);
	set_str(k->class, sizeof(k->class), "opencl");
	set_str(k->name, sizeof(k->name), "vadd");
	k->nr_args = 3;
	memcpy(k->arg_mode, in_in_out, 3);
	k->blob_len = sizeof(src);
	k->blob_addr = vfd_iova(d, blob);
	copied0 = vfd_rd64(d, VAAL_PCI_REG_COPIED_LO);
	ASSERT_EQ(0, vfd_cmd(d, &c));
	copied1 = vfd_rd64(d, VAAL_PCI_REG_COPIED_LO);
	EXPECT_LE(1, k->id);
	EXPECT_EQ(2 * VAAL_PCI_CMD_SIZE + sizeof(src), copied1 - copied0);
	/* Past the bound (1 MiB by default), or with no address. */
	vfd_cmd_init(&c, VAAL_PCI_CMD_KERNEL_REGISTER, slot);
	k->size = sizeof(*k);
	set_str(k->class, sizeof(k->class), "opencl");
	set_str(k->name, sizeof(k->name), "vadd2");
	k->nr_args = 3;
	memcpy(k->arg_mode, in_in_out, 3);
	k->blob_len = 64 << 20;
	k->blob_addr = vfd_iova(d, blob);
	EXPECT_EQ(-E2BIG, vfd_cmd(d, &c));
	k->blob_len = sizeof(src);
	k->blob_addr = 0;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	/* Running past the RAM's end. */
	k->blob_addr = d->iova + d->mem_size - 16;
	EXPECT_EQ(-EFAULT, vfd_cmd(d, &c));
}

/*
 * A class its type does not offer is refused to the guest: kernels
 * (-EPERM), scheduling attributes (-EPERM, reason EPERM), and the
 * controller list shows none of it.  The same class on a type that
 * offers every class goes through to the host (which takes any class).
 */
TEST_F(vfio, class_not_offered)
{
	static const char * const cand[] = { "opencl", "cuda", "gpu", "fpga" };
	struct vaal_controller_info *info;
	char dirs[MAX_TYPES][PATH_MAX], list[256], mine[256];
	const char *cls = NULL, *type2 = NULL;
	struct vfd *d = &self->d, *e = &self->e;
	struct vaal_pci_cmd c;
	__u32 slot, id, i, n;
	int nt, ret;

	nt = vfd_find_types(dirs, MAX_TYPES);
	for (i = 0; i < (__u32)nt && !type2; i++)
		if (type_classes(dirs[i], list, sizeof(list)) && strcmp(list, "all") &&
		    vfd_type_available(dirs[i]) > 0)
			type2 = dirs[i];
	if (!type2)
		SKIP(return, "no VAAL type with a class list and an instance available");
	for (i = 0; i < ARRAY_SIZE(cand) && !cls; i++)
		if (!class_in(list, cand[i]))
			cls = cand[i];
	ASSERT_NE(NULL, cls);
	ASSERT_TRUE(class_in(list, "cpu")) TH_LOG("classes=%s", list);
	ASSERT_EQ(0, vfd_mdev_create(type2, self->uuid2, sizeof(self->uuid2)));
	ret = vfd_start(e, self->uuid2, MEM_SIZE);
	ASSERT_EQ(0, ret) TH_LOG("mdev of %s: %s", type2, ret < -4096 ?
				 vfd_step_name(ret) : strerror(-ret));
	ASSERT_EQ(0, vfd_ctx_create(e, 0, &slot, NULL));
	EXPECT_EQ(-EPERM, vfd_kernel_register(e, slot, cls, "vadd", in_in_out, 3, 0, &id))
		TH_LOG("class %s, type's classes=%s", cls, list);
	EXPECT_EQ(0, vfd_kernel_register(e, slot, "cpu", "memcpy", in_out, 2, 0, &id));
	vfd_cmd_init(&c, VAAL_PCI_CMD_SCHED_SET, slot);
	c.u.sched.size = sizeof(c.u.sched);
	c.u.sched.flags = VAAL_SCHED_UNITS;
	set_str(c.u.sched.class, sizeof(c.u.sched.class), cls);
	c.u.sched.units = 1;
	EXPECT_EQ(-EPERM, vfd_cmd(e, &c));
	EXPECT_EQ(VAAL_SCHED_EPERM, c.u.sched.reason);

	/* Its controller list: the type's classes only. */
	info = vfd_alloc(e, 1);
	ASSERT_NE(NULL, info);
	vfd_cmd_init(&c, VAAL_PCI_CMD_QUERY_CONTROLLERS, 0);
	c.u.query_controllers.req.size = sizeof(struct vaal_query_controllers);
	c.u.query_controllers.req.entry_size = sizeof(*info);
	c.u.query_controllers.req.count = PG / sizeof(*info);
	c.u.query_controllers.req.addr = vfd_iova(e, info);
	ASSERT_EQ(0, vfd_cmd(e, &c));
	n = c.u.query_controllers.req.count;
	vfd_barrier();
	for (i = 0; i < n && i < PG / sizeof(*info); i++)
		EXPECT_TRUE(class_in(list, info[i].class))
			TH_LOG("controller of class %.16s listed", info[i].class);

	/* The fixture's type, when it offers every class, lets it through. */
	if (type_classes(self->type, mine, sizeof(mine)) && !strcmp(mine, "all")) {
		ASSERT_EQ(0, vfd_ctx_create(d, 0, &slot, NULL));
		EXPECT_EQ(0, vfd_kernel_register(d, slot, cls, "vadd", in_in_out, 3, 0, &id));
	}
}

/* --- resets ------------------------------------------------------------------ */

/* Contexts with rings, buffers and done work on @d; 0 or an errno. */
static int populate(struct vfd *d, struct gctx *g, int n)
{
	struct vaal_sqe_arg a[2];
	__u32 h1, h2, id;
	int i, ret;

	for (i = 0; i < n; i++) {
		ret = gctx_open(d, &g[i], VAAL_PCI_CTX_NO_IRQ, 16, 0);
		ret = ret ?: vfd_kernel_register(d, g[i].slot, "cpu", "memcpy",
						 in_out, 2, 0, &id);
		ret = ret ?: vfd_buf_create(d, g[i].slot, 3 * PG, &h1, NULL);
		ret = ret ?: vfd_buf_create(d, g[i].slot, 3 * PG, &h2, NULL);
		if (ret)
			return ret;
		a[0] = garg(h1, 0, 0);
		a[1] = garg(h2, 0, 0);
		if (glaunch(d, &g[i], id, a, in_out, 2, NULL, 0))
			return -EIO;
	}
	return 0;
}

/* After a reset: nothing of before is left, and the device works again. */
static void after_reset(struct __test_metadata *_metadata,
			const struct view *self, struct gctx *g, int n,
			long long resets0)
{
	struct vfd *d = self->d;
	int i;

	EXPECT_EQ(0, vfd_rd(d, VAAL_PCI_REG_STATUS));
	EXPECT_EQ(0, vfd_rd(d, VAAL_PCI_REG_NR_CONTEXTS));
	EXPECT_EQ(0, vfd_rd(d, VAAL_PCI_REG_PINNED));
	EXPECT_EQ(0, mdev_counter(self->uuid, "pinned_pages"));
	EXPECT_EQ(0, mdev_counter(self->uuid, "contexts"));
	EXPECT_EQ(resets0 + 1, mdev_counter(self->uuid, "resets"));
	EXPECT_EQ(self->host_base, host_nr_wait(self->host, self->host_base, 5000));
	ASSERT_EQ(0, vfd_wr(d, VAAL_PCI_REG_STATUS, VAAL_PCI_STATUS_DRIVER_OK));
	for (i = 0; i < n; i++)
		EXPECT_EQ(-EBADF, vfd_ctx_destroy(d, g[i].slot));
	EXPECT_TRUE(device_works(d));
}

/* The driver's reset: STATUS = 0 closes every context and unpins every page. */
TEST_F(vfio, reset_by_status)
{
	struct view v = VIEW(self);
	struct vfd *d = &self->d;
	long long resets0 = mdev_counter(self->uuid, "resets");
	struct gctx g[3];

	ASSERT_EQ(0, populate(d, g, 3));
	EXPECT_EQ(3, vfd_rd(d, VAAL_PCI_REG_NR_CONTEXTS));
	EXPECT_LT(0, vfd_rd(d, VAAL_PCI_REG_PINNED));
	EXPECT_EQ(self->host_base + 3, host_nr(self->host));
	ASSERT_EQ(0, vfd_wr(d, VAAL_PCI_REG_STATUS, 0));
	after_reset(_metadata, &v, g, 3, resets0);
}

/* The VMM's reset (VFIO_DEVICE_RESET, at guest reboot): the same. */
TEST_F(vfio, reset_by_vfio)
{
	struct view v = VIEW(self);
	struct vfd *d = &self->d;
	long long resets0 = mdev_counter(self->uuid, "resets");
	struct gctx g[3];

	ASSERT_EQ(0, populate(d, g, 3));
	EXPECT_LT(0, vfd_rd(d, VAAL_PCI_REG_PINNED));
	ASSERT_EQ(0, ioctl(d->dev, VFIO_DEVICE_RESET));
	after_reset(_metadata, &v, g, 3, resets0);
}

/* --- malformed input ------------------------------------------------------------- */

/* Unknown opcodes: -EOPNOTSUPP, each counted as an error; nothing else. */
TEST_F(vfio, bad_opcode)
{
	static const __u32 ops[] = { 0, VAAL_PCI_CMD_LAST + 1, 0x80000000U, ~0U };
	struct vfd *d = &self->d;
	__u32 errors0 = vfd_rd(d, VAAL_PCI_REG_ERRORS);
	struct vaal_pci_cmd c;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		vfd_cmd_init(&c, ops[i], 0);
		EXPECT_EQ(-EOPNOTSUPP, vfd_cmd(d, &c)) TH_LOG("opcode %#x", ops[i]);
	}
	EXPECT_EQ(errors0 + 4, vfd_rd(d, VAAL_PCI_REG_ERRORS));
	EXPECT_EQ(errors0 + 4, mdev_counter(self->uuid, "errors"));
	EXPECT_EQ(0, vfd_rd(d, VAAL_PCI_REG_NR_CONTEXTS));
	EXPECT_EQ(0, vfd_rd(d, VAAL_PCI_REG_STATUS) & VAAL_PCI_STATUS_ERROR);
	EXPECT_TRUE(device_works(d));
}

/* Reserved fields of the command and of its arguments: -EINVAL. */
TEST_F(vfio, reserved_fields)
{
	struct vfd *d = &self->d;
	__u32 errors0 = vfd_rd(d, VAAL_PCI_REG_ERRORS), slot, h;
	struct vaal_pci_cmd c;
	int bad = 0;

	ASSERT_EQ(0, vfd_ctx_create(d, 0, &slot, NULL));
	ASSERT_EQ(0, vfd_buf_create(d, slot, PG, &h, NULL));
	vfd_cmd_init(&c, VAAL_PCI_CMD_STATS, slot);
	c.flags = 1;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	bad++;
	vfd_cmd_init(&c, VAAL_PCI_CMD_STATS, slot);
	c.reserved = 1ULL << 40;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	bad++;
	vfd_cmd_init(&c, VAAL_PCI_CMD_CTX_CREATE, 0);
	c.u.ctx_create.reserved[0] = 1;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	bad++;
	vfd_cmd_init(&c, VAAL_PCI_CMD_BUF_DESTROY, slot);
	c.u.buf_destroy.size = sizeof(struct vaal_buf_destroy);
	c.u.buf_destroy.handle = h;
	c.u.buf_destroy.reserved0 = 1;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	bad++;
	vfd_cmd_init(&c, VAAL_PCI_CMD_BUF_DESTROY, slot);
	c.u.buf_destroy.size = sizeof(struct vaal_buf_destroy);
	c.u.buf_destroy.handle = h;
	c.u.buf_destroy.reserved[1] = 1;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	bad++;
	vfd_cmd_init(&c, VAAL_PCI_CMD_KERNEL_UNREGISTER, slot);
	c.u.kernel_unregister.size = sizeof(struct vaal_kernel_unregister);
	c.u.kernel_unregister.id = 1;
	c.u.kernel_unregister.reserved0 = 1;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	bad++;
	EXPECT_LE(errors0 + bad, vfd_rd(d, VAAL_PCI_REG_ERRORS));
	/* The buffer is still there, and the context. */
	EXPECT_EQ(0, vfd_buf_destroy(d, slot, h));
	EXPECT_EQ(1, vfd_rd(d, VAAL_PCI_REG_NR_CONTEXTS));
	EXPECT_EQ(0, vfd_ctx_destroy(d, slot));
}

/* A command on @slot whose arguments are right but for the slot. */
static void well_formed(struct vaal_pci_cmd *c, __u32 op, __u32 slot)
{
	vfd_cmd_init(c, op, slot);
	switch (op) {
	case VAAL_PCI_CMD_BUF_DESTROY:
		c->u.buf_destroy.size = sizeof(struct vaal_buf_destroy);
		c->u.buf_destroy.handle = 1;
		break;
	case VAAL_PCI_CMD_SETUP:
		c->u.setup.req.size = sizeof(struct vaal_setup);
		c->u.setup.req.sq_entries = 8;
		break;
	case VAAL_PCI_CMD_QUERY:
		c->u.query.size = sizeof(struct vaal_query);
		break;
	}
}

/*
 * Slots that hold no context, in range and past it: -EBADF for commands;
 * a doorbell there consumes nothing and reads back an error; a doorbell
 * before SETUP is -EBADFD.
 */
TEST_F(vfio, bad_slot)
{
	static const __u32 slots[] = { 1, VAAL_PCI_MAX_SLOTS - 1, VAAL_PCI_MAX_SLOTS,
				       VAAL_PCI_MAX_SLOTS + 5, ~0U };
	static const __u32 ops[] = { VAAL_PCI_CMD_CTX_DESTROY, VAAL_PCI_CMD_STATS,
				     VAAL_PCI_CMD_BUF_DESTROY, VAAL_PCI_CMD_SETUP,
				     VAAL_PCI_CMD_QUERY };
	struct vfd *d = &self->d;
	struct vaal_pci_cmd c;
	__u32 slot;
	unsigned int i, j;
	struct gctx g;

	ASSERT_EQ(0, gctx_open(d, &g, VAAL_PCI_CTX_NO_IRQ, 8, 0));
	ASSERT_EQ(0, g.slot) TH_LOG("the first context is not in slot 0");
	for (i = 0; i < ARRAY_SIZE(slots); i++)
		for (j = 0; j < ARRAY_SIZE(ops); j++) {
			well_formed(&c, ops[j], slots[i]);
			EXPECT_EQ(-EBADF, vfd_cmd(d, &c))
				TH_LOG("opcode %u, slot %#x", ops[j], slots[i]);
		}
	/* A doorbell of a free slot. */
	ASSERT_EQ(0, vaal_queue_nop(&g.r, 5));
	__atomic_store_n(g.r.sq_tail, g.r.sq_local_tail, __ATOMIC_RELEASE);
	ASSERT_EQ(0, vfd_wr(d, VAAL_PCI_REG_DOORBELL(1), 1));
	EXPECT_GT(0, (int)vfd_rd(d, VAAL_PCI_REG_DB_RESULT(1)));
	EXPECT_EQ(0, vaal_cq_ready(&g.r));
	EXPECT_EQ(1, vfd_submit(d, g.slot, &g.r));
	EXPECT_EQ(1, vfd_poll_cq(&g.r, 1, WAIT_MS));
	/* Before SETUP. */
	ASSERT_EQ(0, vfd_ctx_create(d, 0, &slot, NULL));
	ASSERT_EQ(0, vfd_wr(d, VAAL_PCI_REG_DOORBELL(slot), 1));
	EXPECT_EQ(-EBADFD, (int)vfd_rd(d, VAAL_PCI_REG_DB_RESULT(slot)));
	EXPECT_EQ(2, vfd_rd(d, VAAL_PCI_REG_NR_CONTEXTS));
}

/*
 * Register accesses that are not whole aligned 32-bit ones read as ~0 and
 * change nothing (a 2-byte write of 0 to STATUS is no reset), each
 * counted; past BAR0 nothing is there.
 */
TEST_F(vfio, bad_register_access)
{
	struct vfd *d = &self->d;
	__u32 errors0 = vfd_rd(d, VAAL_PCI_REG_ERRORS), v32, slot;
	__u64 v64 = 0;
	__u16 v16 = 0;
	__u8 v8 = 0;
	int bad = 0;
	ssize_t n;

	ASSERT_EQ(0, vfd_ctx_create(d, 0, &slot, NULL));
	/* Reads. */
	EXPECT_EQ(2, vfd_bar_rw(d, VAAL_PCI_REG_MAGIC, &v16, 2, false));
	EXPECT_EQ(0xffff, v16);
	bad++;
	v32 = 0;
	EXPECT_EQ(4, vfd_bar_rw(d, VAAL_PCI_REG_MAGIC + 2, &v32, 4, false));
	EXPECT_EQ(~0U, v32);
	bad++;
	EXPECT_EQ(8, vfd_bar_rw(d, VAAL_PCI_REG_FEATURES_LO, &v64, 8, false));
	EXPECT_EQ(~0ULL, v64);
	bad++;
	EXPECT_EQ(1, vfd_bar_rw(d, VAAL_PCI_REG_NR_CONTEXTS, &v8, 1, false));
	EXPECT_EQ(0xff, v8);
	bad++;
	/* Writes: none may act. */
	v16 = 0;
	EXPECT_EQ(2, vfd_bar_rw(d, VAAL_PCI_REG_STATUS, &v16, 2, true));
	bad++;
	v32 = 0;
	EXPECT_EQ(4, vfd_bar_rw(d, VAAL_PCI_REG_STATUS + 2, &v32, 4, true));
	bad++;
	v64 = 0;
	EXPECT_EQ(8, vfd_bar_rw(d, VAAL_PCI_REG_STATUS, &v64, 8, true));
	bad++;
	v8 = 1;
	EXPECT_EQ(1, vfd_bar_rw(d, VAAL_PCI_REG_CMD_DOORBELL, &v8, 1, true));
	bad++;
	EXPECT_EQ(VAAL_PCI_STATUS_DRIVER_OK, vfd_rd(d, VAAL_PCI_REG_STATUS));
	EXPECT_EQ(1, vfd_rd(d, VAAL_PCI_REG_NR_CONTEXTS));
	EXPECT_EQ(errors0 + bad, vfd_rd(d, VAAL_PCI_REG_ERRORS));
	EXPECT_EQ(errors0 + bad, mdev_counter(self->uuid, "errors"));

	/* Whole writes where nothing may be written: each counted, none acts. */
	errors0 = vfd_rd(d, VAAL_PCI_REG_ERRORS);
	EXPECT_EQ(0, vfd_wr(d, VAAL_PCI_REG_DB_RESULT(0), 5));
	EXPECT_EQ(0, vfd_wr(d, VAAL_PCI_REG_NR_CONTEXTS, 0));
	EXPECT_EQ(0, vfd_wr(d, VAAL_PCI_REG_CMD_STATUS, 0));
	EXPECT_EQ(0, vfd_wr(d, 0x800, 1));	/* a hole */
	EXPECT_EQ(0, vfd_wr(d, VAAL_PCI_REG_CMD_DOORBELL, 2));
	EXPECT_EQ(errors0 + 5, vfd_rd(d, VAAL_PCI_REG_ERRORS));
	EXPECT_EQ(1, vfd_rd(d, VAAL_PCI_REG_NR_CONTEXTS));
	EXPECT_EQ(0, vfd_rd(d, VAAL_PCI_REG_DB_RESULT(0)));
	EXPECT_EQ(0, vfd_rd(d, 0x800));
	EXPECT_EQ(-EINVAL, (int)vfd_rd(d, VAAL_PCI_REG_CMD_STATUS))
		TH_LOG("a command doorbell other than 1");

	/* Past the BAR: an error, or nothing there. */
	v32 = 0;
	n = vfd_bar_rw(d, VAAL_PCI_BAR0_SIZE, &v32, 4, false);
	EXPECT_TRUE(n < 0 || v32 == ~0U) TH_LOG("read %zd bytes: %#x", n, v32);
	n = vfd_bar_rw(d, VAAL_PCI_BAR0_SIZE - 2, &v32, 4, false);
	EXPECT_TRUE(n < 0 || v32 == ~0U) TH_LOG("read %zd bytes: %#x", n, v32);
	/* The doorbell of a slot past the type's contexts: nothing. */
	EXPECT_EQ(0, vfd_wr(d, VAAL_PCI_REG_DOORBELL(VAAL_PCI_MAX_SLOTS - 1), 1));
	EXPECT_EQ(VAAL_PCI_STATUS_DRIVER_OK, vfd_rd(d, VAAL_PCI_REG_STATUS));
	EXPECT_TRUE(device_works(d));
}

/*
 * A command at an address outside the guest's RAM is -EFAULT; one not
 * naturally aligned, or across a page boundary, -EINVAL.  Each counts.
 */
TEST_F(vfio, bad_cmd_addr)
{
	struct vfd *d = &self->d;
	__u32 errors0 = vfd_rd(d, VAAL_PCI_REG_ERRORS);
	__u8 *page = vfd_alloc(d, 2);
	struct vaal_pci_cmd c;

	ASSERT_NE(NULL, page);
	vfd_cmd_init(&c, VAAL_PCI_CMD_CTX_CREATE, 0);
	EXPECT_EQ(-EFAULT, vfd_cmd_at(d, d->iova + d->mem_size));
	EXPECT_EQ(-EFAULT, vfd_cmd_at(d, d->iova - PG));
	EXPECT_EQ(-EFAULT, vfd_cmd_at(d, 0xfffffffffffff000ULL));
	memcpy(page + 4, &c, sizeof(c));
	EXPECT_EQ(-EINVAL, vfd_cmd_at(d, vfd_iova(d, page + 4)));
	memcpy(page + PG - 128, &c, sizeof(c));
	EXPECT_EQ(-EINVAL, vfd_cmd_at(d, vfd_iova(d, page + PG - 128)));
	EXPECT_EQ(errors0 + 5, vfd_rd(d, VAAL_PCI_REG_ERRORS));
	EXPECT_EQ(0, vfd_rd(d, VAAL_PCI_REG_NR_CONTEXTS));
	/* The same command where it belongs. */
	memcpy(page + PG, &c, sizeof(c));
	EXPECT_EQ(0, vfd_cmd_at(d, vfd_iova(d, page + PG)));
	EXPECT_EQ(1, vfd_rd(d, VAAL_PCI_REG_NR_CONTEXTS));
}

/*
 * A submission ring tail more than the ring's size ahead of the head (or
 * behind it) is -EINVAL at the doorbell, consuming nothing; put right,
 * the ring goes on.
 */
TEST_F(vfio, ring_tail_out_of_range)
{
	struct vfd *d = &self->d;
	struct vaal_cqe c;
	struct gctx g;
	__u32 head;

	ASSERT_EQ(0, gctx_open(d, &g, VAAL_PCI_CTX_NO_IRQ, 16, 0));
	ASSERT_TRUE(gnop(d, &g));
	head = __atomic_load_n(g.r.sq_head, __ATOMIC_ACQUIRE);
	ASSERT_EQ(0, vaal_queue_nop(&g.r, 50));
	__atomic_store_n(g.r.sq_tail, head + g.r.sq_entries + 5, __ATOMIC_RELEASE);
	ASSERT_EQ(0, vfd_wr(d, VAAL_PCI_REG_DOORBELL(g.slot), 1));
	EXPECT_EQ(-EINVAL, (int)vfd_rd(d, VAAL_PCI_REG_DB_RESULT(g.slot)));
	__atomic_store_n(g.r.sq_tail, head - 1, __ATOMIC_RELEASE);
	ASSERT_EQ(0, vfd_wr(d, VAAL_PCI_REG_DOORBELL(g.slot), 1));
	EXPECT_EQ(-EINVAL, (int)vfd_rd(d, VAAL_PCI_REG_DB_RESULT(g.slot)));
	__atomic_store_n(g.r.sq_tail, 0x80000000U + head, __ATOMIC_RELEASE);
	ASSERT_EQ(0, vfd_wr(d, VAAL_PCI_REG_DOORBELL(g.slot), 16));
	EXPECT_EQ(-EINVAL, (int)vfd_rd(d, VAAL_PCI_REG_DB_RESULT(g.slot)));
	EXPECT_EQ(head, __atomic_load_n(g.r.sq_head, __ATOMIC_ACQUIRE));
	EXPECT_EQ(0, vaal_cq_ready(&g.r));
	/* Put right: the queued NOP goes. */
	ASSERT_EQ(1, vfd_submit(d, g.slot, &g.r));
	ASSERT_EQ(0, greap(&g, &c, WAIT_MS));
	EXPECT_EQ(50, c.user_data);
	EXPECT_EQ(0, vfd_rd(d, VAAL_PCI_REG_STATUS) & VAAL_PCI_STATUS_ERROR);
}

/*
 * Ring entries naming what the context does not have, or ranges outside
 * its buffers, complete with their errno one by one; a handle of another
 * context of the same device is unknown here; the context goes on.
 */
TEST_F(vfio, bad_descriptors)
{
	struct vfd *d = &self->d;
	struct vaal_sqe_arg a[2];
	struct vaal_sqe s, *e;
	struct gctx g, g2;
	__u32 h, hd, h2[3], id, i;
	__u8 *src, *dst;

	ASSERT_EQ(0, gctx_open(d, &g, VAAL_PCI_CTX_NO_IRQ, 16, 0));
	ASSERT_EQ(0, gctx_open(d, &g2, VAAL_PCI_CTX_NO_IRQ, 16, 0));
	ASSERT_EQ(0, vfd_kernel_register(d, g.slot, "cpu", "memcpy", in_out, 2, 0, &id));
	ASSERT_EQ(0, vfd_buf_create(d, g.slot, PG, &h, (void **)&src));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, vfd_buf_create(d, g2.slot, PG, &h2[i], NULL));
	/* g2's last handle, which g does not have. */
	ASSERT_NE(h, h2[2]);

	memset(&s, 0, sizeof(s));
	s.opcode = VAAL_OP_LAUNCH;
	s.nr_args = 2;
	s.kernel = id;
	s.arg_modes = VAAL_SQE_ARG_MODE(0, VAAL_ARG_IN) | VAAL_SQE_ARG_MODE(1, VAAL_ARG_OUT);
	s.args[0] = garg(h, 0, 0);
	s.args[1] = garg(999, 0, 0);
	s.user_data = 1;
	EXPECT_EQ(-EBADF, graw(d, &g, &s));
	s.args[1] = garg(h2[2], 0, 0);
	s.user_data = 2;
	EXPECT_EQ(-EBADF, graw(d, &g, &s)) TH_LOG("another context's buffer");
	s.args[1] = garg(h, 200, PG - 100);
	s.user_data = 3;
	EXPECT_EQ(-EFAULT, graw(d, &g, &s));
	s.args[1] = garg(h, 0, 2 * PG);
	s.user_data = 4;
	EXPECT_EQ(-EFAULT, graw(d, &g, &s));
	s.args[1] = garg(h, 0, 0);
	s.kernel = id + 40;
	s.user_data = 5;
	EXPECT_EQ(-ENOENT, graw(d, &g, &s));
	s.kernel = id;
	s.flags = 1U << 7;	/* no SQE flag of any ABI version */
	s.user_data = 6;
	EXPECT_EQ(-EINVAL, graw(d, &g, &s));
	s.flags = 0;
	s.opcode = VAAL_OP_LAST + 7;
	s.user_data = 7;
	EXPECT_EQ(-EINVAL, graw(d, &g, &s));
	memset(&s, 0, sizeof(s));
	s.opcode = VAAL_OP_NOP;
	s.payload[5] = 1;
	s.user_data = 8;
	EXPECT_EQ(-EINVAL, graw(d, &g, &s));
	/* A launch cut short: its second entry is not submitted. */
	e = vaal_get_sqe(&g.r, 1);
	ASSERT_NE(NULL, e);
	e->opcode = VAAL_OP_LAUNCH;
	e->nr_args = 2;
	e->scalar_bytes = 64;
	e->kernel = id;
	e->user_data = 9;
	EXPECT_EQ(-EINVAL, vfd_submit(d, g.slot, &g.r));
	/* Take it back: the ring's tail as the head is. */
	g.r.sq_local_tail = __atomic_load_n(g.r.sq_head, __ATOMIC_ACQUIRE);
	__atomic_store_n(g.r.sq_tail, g.r.sq_local_tail, __ATOMIC_RELEASE);

	/* The context goes on. */
	ASSERT_EQ(0, vfd_buf_create(d, g.slot, PG, &hd, (void **)&dst));
	a[0] = garg(h, 0, 0);
	a[1] = garg(hd, 0, 0);
	fill_random(src, PG);
	EXPECT_EQ(0, glaunch(d, &g, id, a, in_out, 2, NULL, 0));
	vfd_barrier();
	EXPECT_EQ(0, memcmp(src, dst, PG));
	EXPECT_EQ(0, vfd_rd(d, VAAL_PCI_REG_STATUS) & VAAL_PCI_STATUS_ERROR);
}

/*
 * Page lists that are wrong: a page or a list page outside the guest's
 * RAM (-EFAULT, and whatever was pinned on the way is let go), addresses
 * not page aligned, nr_pages that does not match the length (-EINVAL),
 * the arguments a guest may not use.
 */
TEST_F(vfio, buf_bad_page_lists)
{
	struct vfd *d = &self->d;
	__u64 pages[610], out = d->iova + d->mem_size + 4 * PG;
	struct vaal_pci_cmd c, good;
	__u32 slot, pinned0, h;
	struct vaal_pci_stats st;
	__u8 *p = vfd_alloc(d, 610);
	int ret;

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, vfd_ctx_create(d, 0, &slot, NULL));
	pinned0 = vfd_rd(d, VAAL_PCI_REG_PINNED);
	vfd_pages_of(d, p, 610, pages);
	vfd_cmd_init(&good, VAAL_PCI_CMD_BUF_CREATE, slot);
	good.u.buf_create.req.size = sizeof(struct vaal_buf_create);
	good.u.buf_create.req.length = 3 * PG;
	good.u.buf_create.nr_pages = 3;
	good.u.buf_create.pages = vfd_list(d, pages, 3);

	/* The last page outside the RAM. */
	c = good;
	pages[2] = out;
	c.u.buf_create.pages = vfd_list(d, pages, 3);
	EXPECT_EQ(-EFAULT, vfd_cmd(d, &c));
	EXPECT_EQ(pinned0, vfd_rd(d, VAAL_PCI_REG_PINNED)) TH_LOG("pins kept");
	/* Below the RAM. */
	pages[2] = d->iova - PG;
	c.u.buf_create.pages = vfd_list(d, pages, 3);
	EXPECT_EQ(-EFAULT, vfd_cmd(d, &c));
	/* Unaligned. */
	pages[2] = vfd_iova(d, p + 2 * PG) + 512;
	c.u.buf_create.pages = vfd_list(d, pages, 3);
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	pages[2] = vfd_iova(d, p + 2 * PG);
	/* The list page outside, unaligned. */
	c = good;
	c.u.buf_create.pages = out;
	EXPECT_EQ(-EFAULT, vfd_cmd(d, &c));
	c.u.buf_create.pages = good.u.buf_create.pages + 8;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	/* No list. */
	c.u.buf_create.pages = 0;
	EXPECT_GT(0, vfd_cmd(d, &c));
	/* Lengths. */
	c = good;
	c.u.buf_create.nr_pages = 4;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	c.u.buf_create.nr_pages = 2;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	c.u.buf_create.nr_pages = 0;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	c = good;
	c.u.buf_create.req.length = 0;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	c.u.buf_create.nr_pages = 0;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	/* What a guest may not ask. */
	c = good;
	c.u.buf_create.req.flags = VAAL_BUF_IMPORT;
	ret = vfd_cmd(d, &c);
	EXPECT_TRUE(ret == -EINVAL || ret == -EOPNOTSUPP) TH_LOG("import: %d", ret);
	c = good;
	c.u.buf_create.req.memfd = 3;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	c = good;
	c.u.buf_create.req.reserved[0] = 1;
	EXPECT_EQ(-EINVAL, vfd_cmd(d, &c));
	/* A chain whose second list page is outside the RAM. */
	c = good;
	c.u.buf_create.req.length = 600 * PG;
	c.u.buf_create.nr_pages = 600;
	c.u.buf_create.pages = vfd_list(d, pages + 10, 600);
	((__u64 *)vfd_va(d, c.u.buf_create.pages))[VAAL_PCI_LIST_ENTRIES - 1] = out;
	EXPECT_EQ(-EFAULT, vfd_cmd(d, &c));
	EXPECT_EQ(pinned0, vfd_rd(d, VAAL_PCI_REG_PINNED)) TH_LOG("pins kept");
	ASSERT_EQ(0, vfd_stats(d, slot, &st));
	EXPECT_EQ(0, st.nr_bufs);

	/* And right. */
	c = good;
	ASSERT_EQ(0, vfd_cmd(d, &c));
	h = c.u.buf_create.req.handle;
	EXPECT_NE(0, h);
	EXPECT_EQ(0, c.u.buf_create.req.mmap_offset);
	EXPECT_EQ(pinned0 + 3, vfd_rd(d, VAAL_PCI_REG_PINNED));
	c = good;
	c.u.buf_create.req.length = 600 * PG;
	c.u.buf_create.nr_pages = 600;
	c.u.buf_create.pages = vfd_list(d, pages + 10, 600);
	ASSERT_EQ(0, vfd_cmd(d, &c));
	EXPECT_EQ(pinned0 + 603, vfd_rd(d, VAAL_PCI_REG_PINNED));
	EXPECT_EQ(0, vfd_buf_destroy(d, slot, h));
	EXPECT_EQ(0, vfd_buf_destroy(d, slot, c.u.buf_create.req.handle));
	EXPECT_EQ(pinned0, vfd_rd(d, VAAL_PCI_REG_PINNED));
}

/*
 * The type's buffer bytes are for all of the guest's contexts together:
 * filled (with buffers that all name one page: it is the bytes that
 * count), one page more is -ENOSPC in any context; one buffer gone, it
 * fits.
 */
TEST_F_TIMEOUT(vfio, buf_past_type_enospc, 180)
{
	struct vfd *d = &self->d;
	__u64 max = vfd_rd64(d, VAAL_PCI_REG_MAX_BUF_LO), left, chunk, host_max;
	__u32 max_ctx = vfd_rd(d, VAAL_PCI_REG_MAX_CONTEXTS), slots[VAAL_PCI_MAX_SLOTS];
	__u32 nctx = 0, h, last_h = 0, last_slot = 0, pinned;
	__u8 *page = vfd_alloc(d, 1);
	__u64 *pages, per_ctx, in_ctx;
	struct vaal_query q;

	ASSERT_NE(NULL, page);
	ASSERT_EQ(0, vaal_query(self->host, &q));
	host_max = q.max_buffer_bytes;
	ASSERT_EQ(0, max % PG);
	/* What one context can hold, in chunks of up to 64 MiB. */
	chunk = 64ULL << 20;
	if (chunk > host_max)
		chunk = host_max / PG * PG;
	per_ctx = host_max / chunk;
	if ((max + chunk - 1) / chunk > (__u64)per_ctx * max_ctx)
		SKIP(return, "type %.80s's %llu bytes exceed what %u contexts hold",
		     strrchr(self->type, '/') + 1, (unsigned long long)max, max_ctx);
	pages = malloc(chunk / PG * sizeof(*pages));
	ASSERT_NE(NULL, pages);
	for (__u64 i = 0; i < chunk / PG; i++)
		pages[i] = vfd_iova(d, page);

	for (left = max, in_ctx = per_ctx; left; in_ctx++) {
		__u64 len = left < chunk ? left : chunk;
		size_t brk = d->brk;

		if (in_ctx == per_ctx) {
			ASSERT_GT(max_ctx, nctx);
			ASSERT_EQ(0, vfd_ctx_create(d, 0, &slots[nctx], NULL));
			nctx++;
			in_ctx = 0;
		}
		ASSERT_EQ(0, vfd_buf_create_pages(d, slots[nctx - 1], len, pages, &h))
			TH_LOG("%llu bytes of %llu", (unsigned long long)(max - left),
			       (unsigned long long)max);
		d->brk = brk;	/* the list pages can be used again */
		last_h = h;
		last_slot = slots[nctx - 1];
		left -= len;
	}
	pinned = vfd_rd(d, VAAL_PCI_REG_PINNED);
	EXPECT_EQ(-ENOSPC, vfd_buf_create_pages(d, slots[0], PG, pages, &h));
	if (nctx < max_ctx) {
		ASSERT_EQ(0, vfd_ctx_create(d, 0, &slots[nctx], NULL));
		EXPECT_EQ(-ENOSPC, vfd_buf_create_pages(d, slots[nctx], PG, pages, &h))
			TH_LOG("a fresh context is not bounded by the type");
		nctx++;
	}
	EXPECT_EQ(pinned, vfd_rd(d, VAAL_PCI_REG_PINNED));
	EXPECT_EQ(0, vfd_buf_destroy(d, last_slot, last_h));
	EXPECT_EQ(0, vfd_buf_create_pages(d, slots[nctx - 1], PG, pages, &h));
	free(pages);
}

/* --- what the VMM does ---------------------------------------------------------- */

/*
 * The VMM unmaps guest RAM the device has pinned while launches run on it:
 * the unmap returns (the device lets go), the contexts are gone with their
 * pins, the device says ERROR and signals its error vector, the host has
 * its contexts back; a reset and the RAM mapped again, it works.
 */
TEST_F_TIMEOUT(vfio, unmap_pinned_in_flight, 120)
{
	struct vfd *d = &self->d;
	struct vaal_pci_stats st;
	struct gctx g, g2;
	__u64 t0, t;
	__u32 id, h;
	int n;

	ASSERT_EQ(0, vfd_irq_enable(d));
	ASSERT_EQ(0, gctx_open(d, &g, VAAL_PCI_CTX_NO_IRQ, 64, 0));
	ASSERT_EQ(0, gctx_open(d, &g2, 0, 8, 0));
	ASSERT_EQ(0, vfd_buf_create(d, g2.slot, 8 * PG, &h, NULL));
	ASSERT_EQ(0, vfd_kernel_register(d, g.slot, "cpu", "matmul_i32", in_in_out, 3,
					 12, &id));
	n = g.p.max_inflight < 16 ? g.p.max_inflight : 16;
	ASSERT_EQ(n, queue_busy(d, &g, id, n, 160));
	ASSERT_EQ(0, vfd_stats(d, g.slot, &st));
	EXPECT_LT(0, st.inflight) TH_LOG("nothing in flight: the case proves little");
	EXPECT_EQ(self->host_base + 2, host_nr(self->host));

	t0 = vfd_now_ns();
	EXPECT_EQ(0, vfd_dma_unmap(d, d->iova, d->mem_size));
	t = vfd_now_ns() - t0;
	EXPECT_GT(5000000000ULL, t) TH_LOG("the unmap took %llu ms",
					   (unsigned long long)t / 1000000);
	EXPECT_TRUE(vfd_rd(d, VAAL_PCI_REG_STATUS) & VAAL_PCI_STATUS_ERROR);
	EXPECT_LE(1, vfd_irq_wait(d, VAAL_PCI_VEC_ERROR, 2000))
		TH_LOG("the error vector did not fire");
	EXPECT_EQ(0, vfd_rd(d, VAAL_PCI_REG_NR_CONTEXTS));
	EXPECT_EQ(0, vfd_rd(d, VAAL_PCI_REG_PINNED));
	EXPECT_EQ(0, mdev_counter(self->uuid, "pinned_pages"));
	EXPECT_EQ(self->host_base, host_nr_wait(self->host, self->host_base, 15000));
	/* The command page is gone with the RAM. */
	EXPECT_GT(0, vfd_cmd_at(d, vfd_iova(d, d->cmd)));

	ASSERT_EQ(0, vfd_wr(d, VAAL_PCI_REG_STATUS, 0));
	EXPECT_EQ(0, vfd_rd(d, VAAL_PCI_REG_STATUS));
	ASSERT_EQ(0, vfd_dma_map(d, d->mem, d->iova, d->mem_size));
	ASSERT_EQ(0, vfd_wr(d, VAAL_PCI_REG_STATUS, VAAL_PCI_STATUS_DRIVER_OK));
	EXPECT_EQ(-EBADF, vfd_ctx_destroy(d, g.slot));
	EXPECT_TRUE(device_works(d));
}

/*
 * A mapping that only one context's buffer uses goes: that context alone
 * is lost; the other goes on (its doorbell, its work), but nothing new is
 * pinned (-EIO) until the driver resets the device.
 */
TEST_F(vfio, unmap_loses_only_its_contexts)
{
	const __u64 extra_iova = VFD_IOVA_BASE + 2 * MEM_SIZE;
	struct vfd *d = &self->d;
	__u32 h, hx, pinned, id;
	struct vaal_sqe_arg a[2];
	struct gctx ga, gb;
	__u64 pages[4];
	__u8 *extra;

	extra = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, extra);
	ASSERT_EQ(0, vfd_dma_map(d, extra, extra_iova, 4 * PG));
	ASSERT_EQ(0, vfd_irq_enable(d));
	ASSERT_EQ(0, gctx_open(d, &ga, VAAL_PCI_CTX_NO_IRQ, 8, 0));
	ASSERT_EQ(0, gctx_open(d, &gb, VAAL_PCI_CTX_NO_IRQ, 8, 0));
	for (int i = 0; i < 4; i++)
		pages[i] = extra_iova + i * PG;
	ASSERT_EQ(0, vfd_buf_create_pages(d, ga.slot, 4 * PG, pages, &hx));
	ASSERT_EQ(0, vfd_buf_create(d, gb.slot, 4 * PG, &h, NULL));
	ASSERT_EQ(0, vfd_kernel_register(d, gb.slot, "cpu", "memcpy", in_out, 2, 0, &id));
	pinned = vfd_rd(d, VAAL_PCI_REG_PINNED);

	ASSERT_EQ(0, vfd_dma_unmap(d, extra_iova, 4 * PG));
	EXPECT_TRUE(vfd_rd(d, VAAL_PCI_REG_STATUS) & VAAL_PCI_STATUS_ERROR);
	EXPECT_LE(1, vfd_irq_wait(d, VAAL_PCI_VEC_ERROR, 2000));
	EXPECT_EQ(1, vfd_rd(d, VAAL_PCI_REG_NR_CONTEXTS));
	EXPECT_EQ(pinned - 4 - ga.p.ring_bytes / PG, vfd_rd(d, VAAL_PCI_REG_PINNED));
	EXPECT_EQ(self->host_base + 1, host_nr_wait(self->host, self->host_base + 1, 5000));
	EXPECT_EQ(-EBADF, vfd_ctx_destroy(d, ga.slot));
	/* The other context works on what it has. */
	EXPECT_TRUE(gnop(d, &gb));
	a[0] = garg(h, 2 * PG, 0);
	a[1] = garg(h, 2 * PG, 2 * PG);
	EXPECT_EQ(0, glaunch(d, &gb, id, a, in_out, 2, NULL, 0));
	/* Nothing new is pinned until a reset. */
	EXPECT_EQ(-EIO, vfd_buf_create(d, gb.slot, PG, &hx, NULL));
	ASSERT_EQ(0, vfd_wr(d, VAAL_PCI_REG_STATUS, 0));
	ASSERT_EQ(0, vfd_wr(d, VAAL_PCI_REG_STATUS, VAAL_PCI_STATUS_DRIVER_OK));
	EXPECT_TRUE(device_works(d));
	munmap(extra, 4 * PG);
}

/* Busy contexts on @d for the cases where the VMM goes away; 0 or errno. */
static int make_busy(struct vfd *d, struct gctx *g)
{
	__u32 id;
	int ret, n;

	ret = gctx_open(d, &g[0], VAAL_PCI_CTX_NO_IRQ, 64, 0);
	ret = ret ?: gctx_open(d, &g[1], 0, 64, 0);
	ret = ret ?: vfd_irq_enable(d);
	for (int i = 0; i < 2 && !ret; i++) {
		ret = vfd_kernel_register(d, g[i].slot, "cpu", "matmul_i32",
					  in_in_out, 3, 12, &id);
		n = g[i].p.max_inflight < 12 ? g[i].p.max_inflight : 12;
		ret = ret ?: queue_busy(d, &g[i], id, n, 160);
		ret = ret == n ? 0 : ret ?: -EIO;
	}
	return ret;
}

/* Nothing of the mdev's is left on the host (within @ms). */
static void host_clean(struct __test_metadata *_metadata,
		       const struct view *self, int ms)
{
	EXPECT_EQ(self->host_base, host_nr_wait(self->host, self->host_base, ms));
	EXPECT_EQ(0, mdev_counter_wait(self->uuid, "contexts", 0, ms));
	EXPECT_EQ(0, mdev_counter_wait(self->uuid, "pinned_pages", 0, ms));
}

/* The device opened again is fresh: no context, no pin, and it works. */
static void reopen_fresh(struct __test_metadata *_metadata,
			 const struct view *self)
{
	struct vfd *d = self->d;
	int ret;

	vfd_init(d);
	ret = vfd_start(d, self->uuid, MEM_SIZE);
	ASSERT_EQ(0, ret) TH_LOG("reopen: %s", ret < -4096 ? vfd_step_name(ret) :
				 strerror(-ret));
	EXPECT_EQ(0, vfd_rd(d, VAAL_PCI_REG_NR_CONTEXTS));
	EXPECT_EQ(0, vfd_rd(d, VAAL_PCI_REG_PINNED));
	EXPECT_TRUE(device_works(d));
}

/*
 * Closing the device file with launches in flight releases everything,
 * while the container still maps the RAM (no unmap does it).
 */
TEST_F_TIMEOUT(vfio, close_with_work_in_flight, 120)
{
	struct view v = VIEW(self);
	long long errors0 = mdev_counter(self->uuid, "errors");
	struct gctx g[2];

	ASSERT_EQ(0, make_busy(&self->d, g));
	EXPECT_EQ(self->host_base + 2, host_nr(self->host));
	EXPECT_LT(0, mdev_counter(self->uuid, "pinned_pages"));
	ASSERT_EQ(0, close(self->d.dev));
	self->d.dev = -1;
	host_clean(_metadata, &v, 15000);
	EXPECT_EQ(errors0, mdev_counter(self->uuid, "errors"))
		TH_LOG("a close is no error");
	vfd_close(&self->d);
	reopen_fresh(_metadata, &v);
}

/* The VMM killed with launches in flight: the same. */
TEST_F_TIMEOUT(vfio, sigkill_with_work_in_flight, 120)
{
	struct view v = VIEW(self);
	int pfd[2], status;
	char byte = 0;
	pid_t pid;

	/* The child opens the group: VFIO lets one process have it. */
	vfd_close(&self->d);
	ASSERT_EQ(0, pipe(pfd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct gctx g[2];
		struct vfd d;

		close(pfd[0]);
		vfd_init(&d);
		if (vfd_start(&d, self->uuid, MEM_SIZE) || make_busy(&d, g))
			_exit(1);
		byte = 1;
		if (write(pfd[1], &byte, 1) != 1)
			_exit(2);
		raise(SIGKILL);
		_exit(3);
	}
	close(pfd[1]);
	EXPECT_EQ(1, read(pfd[0], &byte, 1));
	close(pfd[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		TH_LOG("the child failed (status %#x) before it was busy", status);
	host_clean(_metadata, &v, 15000);
	reopen_fresh(_metadata, &v);
}

/*
 * Two mdevs, each with its own RAM at the same IOVAs: one cannot name the
 * other's buffers, slots or memory (its pages outside its own RAM are
 * -EFAULT), writes into its own RAM only, and its reset leaves the other
 * as it was.
 */
TEST_F(vfio, two_mdevs_isolated)
{
	struct vfd *d = &self->d, *e = &self->e;
	char type2[PATH_MAX];
	__u8 *da, *db, *ea, *eb, *extra;
	struct vaal_sqe_arg a[2];
	struct gctx ga, ga2, gb;
	__u32 ha, hb, hc, hea, heb, ida, idb, pinned_d, scratch;
	struct vaal_sqe s;
	__u64 pg[1];
	int ret;

	if (pick_type(type2, 1, NULL))
		SKIP(return, "no second VAAL mdev instance available");
	ASSERT_EQ(0, vfd_mdev_create(type2, self->uuid2, sizeof(self->uuid2)));
	ret = vfd_start(e, self->uuid2, MEM_SIZE);
	ASSERT_EQ(0, ret) TH_LOG("second mdev: %s", ret < -4096 ? vfd_step_name(ret) :
				 strerror(-ret));
	ASSERT_NE(vfd_mdev_group(self->uuid), vfd_mdev_group(self->uuid2));
	/* d also maps a page e does not have. */
	extra = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, extra);
	ASSERT_EQ(0, vfd_dma_map(d, extra, VFD_IOVA_BASE + 2 * MEM_SIZE, PG));

	ASSERT_EQ(0, gctx_open(d, &ga, VAAL_PCI_CTX_NO_IRQ, 16, 0));
	ASSERT_EQ(0, gctx_open(d, &ga2, VAAL_PCI_CTX_NO_IRQ, 16, 0));
	ASSERT_EQ(0, gctx_open(e, &gb, VAAL_PCI_CTX_NO_IRQ, 16, 0));
	ASSERT_EQ(0, vfd_kernel_register(d, ga.slot, "cpu", "memcpy", in_out, 2, 0, &ida));
	ASSERT_EQ(0, vfd_kernel_register(e, gb.slot, "cpu", "memcpy", in_out, 2, 0, &idb));
	/* The buffers at the same IOVAs in both RAMs. */
	d->brk = e->brk = d->brk > e->brk ? d->brk : e->brk;
	ASSERT_EQ(0, vfd_buf_create(d, ga.slot, PG, &ha, (void **)&da));
	ASSERT_EQ(0, vfd_buf_create(d, ga.slot, PG, &hb, (void **)&db));
	ASSERT_EQ(0, vfd_buf_create(e, gb.slot, PG, &hea, (void **)&ea));
	ASSERT_EQ(0, vfd_buf_create(e, gb.slot, PG, &heb, (void **)&eb));
	ASSERT_EQ(0, vfd_buf_create(d, ga.slot, PG, &hc, NULL));
	ASSERT_TRUE(hc != hea && hc != heb) TH_LOG("handle %u in both", hc);
	/* Same places in each RAM. */
	ASSERT_EQ(vfd_iova(d, da), vfd_iova(e, ea));
	ASSERT_EQ(vfd_iova(d, db), vfd_iova(e, eb));
	memset(da, 0x11, PG);
	memset(db, 0x22, PG);
	memset(ea, 0x33, PG);
	memset(extra, 0x44, PG);

	/* e copies in its RAM: d's pages at the same IOVAs stay. */
	a[0] = garg(hea, 0, 0);
	a[1] = garg(heb, 0, 0);
	EXPECT_EQ(0, glaunch(e, &gb, idb, a, in_out, 2, NULL, 0));
	vfd_barrier();
	EXPECT_TRUE(all_bytes(eb, PG, 0x33));
	EXPECT_TRUE(all_bytes(db, PG, 0x22)) TH_LOG("e wrote into d's RAM");
	/* e names a handle only d has, then d's extra page. */
	memset(&s, 0, sizeof(s));
	s.opcode = VAAL_OP_LAUNCH;
	s.nr_args = 2;
	s.kernel = idb;
	s.arg_modes = VAAL_SQE_ARG_MODE(0, VAAL_ARG_IN) | VAAL_SQE_ARG_MODE(1, VAAL_ARG_OUT);
	s.args[0] = garg(hea, 0, 0);
	s.args[1] = garg(hc, 0, 0);
	s.user_data = 99;
	EXPECT_EQ(-EBADF, graw(e, &gb, &s));
	pg[0] = VFD_IOVA_BASE + 2 * MEM_SIZE;
	EXPECT_EQ(-EFAULT, vfd_buf_create_pages(e, gb.slot, PG, pg, &scratch));
	pg[0] = d->iova + d->mem_size + 4 * PG;
	EXPECT_EQ(-EFAULT, vfd_buf_create_pages(e, gb.slot, PG, pg, &scratch));
	/* e names d's second slot, which it does not hold. */
	if (ga2.slot != gb.slot) {
		struct vaal_pci_stats st;

		EXPECT_EQ(-EBADF, vfd_stats(e, ga2.slot, &st));
		EXPECT_EQ(-EBADF, vfd_ctx_destroy(e, ga2.slot));
		ASSERT_EQ(0, vfd_wr(e, VAAL_PCI_REG_DOORBELL(ga2.slot), 1));
		EXPECT_GT(0, (int)vfd_rd(e, VAAL_PCI_REG_DB_RESULT(ga2.slot)));
	}
	EXPECT_NE(ga.id, gb.id);
	EXPECT_NE(ga2.id, gb.id);

	/* e resets: d keeps its contexts, pins and data. */
	pinned_d = vfd_rd(d, VAAL_PCI_REG_PINNED);
	ASSERT_EQ(0, vfd_wr(e, VAAL_PCI_REG_STATUS, 0));
	EXPECT_EQ(0, vfd_rd(e, VAAL_PCI_REG_NR_CONTEXTS));
	EXPECT_EQ(2, vfd_rd(d, VAAL_PCI_REG_NR_CONTEXTS));
	EXPECT_EQ(pinned_d, vfd_rd(d, VAAL_PCI_REG_PINNED));
	EXPECT_EQ(self->host_base + 2, host_nr_wait(self->host, self->host_base + 2, 5000));
	a[0] = garg(ha, 0, 0);
	a[1] = garg(hb, 0, 0);
	EXPECT_EQ(0, glaunch(d, &ga, ida, a, in_out, 2, NULL, 0));
	vfd_barrier();
	EXPECT_TRUE(all_bytes(db, PG, 0x11));
	EXPECT_TRUE(all_bytes(extra, PG, 0x44));
	EXPECT_TRUE(gnop(d, &ga2));
	munmap(extra, PG);
}

/*
 * Removing the mdev while the VMM has it open is refused, or waits for the
 * VMM to let go (VFIO's rule) after asking it to through the request
 * interrupt, and the device keeps working meanwhile; once closed, the
 * removal completes and leaves nothing on the host.
 */
TEST_F_TIMEOUT(vfio, remove_while_open, 60)
{
	char buf[sizeof(struct vfio_irq_set) + sizeof(int)];
	struct vfio_irq_set *irq = (struct vfio_irq_set *)buf;
	struct pollfd pfd = { .events = POLLIN };
	struct vfd *d = &self->d;
	int status, i, req;
	struct gctx g;
	pid_t pid, w;

	req = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, req);
	irq->argsz = sizeof(buf);
	irq->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	irq->index = VFIO_PCI_REQ_IRQ_INDEX;
	irq->start = 0;
	irq->count = 1;
	memcpy(irq->data, &req, sizeof(int));
	ASSERT_EQ(0, ioctl(d->dev, VFIO_DEVICE_SET_IRQS, irq));
	ASSERT_EQ(0, gctx_open(d, &g, VAAL_PCI_CTX_NO_IRQ, 16, 0));
	EXPECT_TRUE(gnop(d, &g));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* Not holding the device itself. */
		close(d->dev);
		close(d->group);
		close(d->container);
		_exit(vfd_mdev_remove(self->uuid) ? 1 : 0);
	}
	usleep(1000000);
	w = waitpid(pid, &status, WNOHANG);
	ASSERT_LE(0, w);
	if (w == pid) {
		/* Refused: everything stays as it was. */
		EXPECT_NE(0, WEXITSTATUS(status)) TH_LOG("removed while open");
		EXPECT_TRUE(vfd_mdev_exists(self->uuid));
		EXPECT_TRUE(gnop(d, &g));
		EXPECT_TRUE(device_works(d));
		return;
	}
	/* Waiting: the VMM was asked to let go. */
	pfd.fd = req;
	EXPECT_EQ(1, poll(&pfd, 1, 5000)) TH_LOG("no device request interrupt");
	/* The device works on, then the close lets the removal go. */
	EXPECT_TRUE(gnop(d, &g));
	EXPECT_EQ(self->host_base + 1, host_nr(self->host));
	vfd_close(d);
	for (i = 0; i < 200 && (w = waitpid(pid, &status, WNOHANG)) == 0; i++)
		usleep(50000);
	ASSERT_EQ(pid, w) TH_LOG("the removal did not complete after the close");
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_FALSE(vfd_mdev_exists(self->uuid));
	EXPECT_EQ(self->host_base, host_nr_wait(self->host, self->host_base, 10000));
	EXPECT_EQ(self->avail_before, vfd_type_available(self->type));
	close(req);
}

TEST_HARNESS_MAIN
