// SPDX-License-Identifier: GPL-2.0
/*
 * modules_test.c - the V-Core modules load, unload and reload cleanly, and
 * unloading is refused while a user or a dependent module holds them.
 *
 * Uses the syscalls insmod and rmmod use.  $VCORE_SUITE names the build
 * tree holding the modules; every test leaves them all loaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../tools/lib/libvaal.h"
#include "kselftest_harness.h"

static const struct {
	const char *name;
	const char *path;
} suite[] = {	/* load order */
	{ "vaal_core", "kernel/vaal_core/vaal_core.ko" },
	{ "vcore_sched", "kernel/vcore_sched/vcore_sched.ko" },
	{ "vaal_cpu", "kernel/vaal_cpu/vaal_cpu.ko" },
	{ "vaal_crypto", "kernel/vaal_crypto/vaal_crypto.ko" },
	{ "svnic", "kernel/svnic/svnic.ko" },
	{ "vaal_mdev", "kernel/vaal_mdev/vaal_mdev.ko" },
};

static int module_loaded(const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	return !stat(path, &st);
}

static int load(const char *relpath)
{
	const char *dir = getenv("VCORE_SUITE");
	char path[PATH_MAX];
	int fd, ret;

	if (!dir)
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/%s", dir, relpath);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

static int unload(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

static int load_all(void)
{
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(suite); i++) {
		if (module_loaded(suite[i].name))
			continue;
		ret = load(suite[i].path);
		if (ret)
			return ret;
	}
	return 0;
}

static int unload_all(void)
{
	int i, ret;

	for (i = ARRAY_SIZE(suite) - 1; i >= 0; i--) {
		ret = unload(suite[i].name);
		if (ret)
			return ret;
	}
	return 0;
}

FIXTURE(modules) {
	int unused;
};

FIXTURE_SETUP(modules)
{
	ASSERT_NE(NULL, getenv("VCORE_SUITE")) TH_LOG("VCORE_SUITE not set");
	ASSERT_EQ(0, load_all());
}

FIXTURE_TEARDOWN(modules)
{
	EXPECT_EQ(0, load_all());
}

TEST_F(modules, unload_reload_cycles)
{
	struct vaal_query q;
	int i, fd;

	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, unload_all());
		EXPECT_FALSE(module_loaded("vaal_core"));
		EXPECT_EQ(-ENOENT, vaal_open(NULL));
		ASSERT_EQ(0, load_all());
		fd = vaal_open(NULL);
		ASSERT_LE(0, fd);
		EXPECT_EQ(0, vaal_query(fd, &q));
		EXPECT_EQ(1, q.nr_contexts);
		EXPECT_EQ(1, q.nr_sched_policies);
		close(fd);
	}
}

/* An open context pins vaal_core; closing it lets the unload through. */
TEST_F(modules, unload_refused_while_open)
{
	int fd;

	ASSERT_EQ(0, unload("vaal_mdev"));
	ASSERT_EQ(0, unload("svnic"));
	ASSERT_EQ(0, unload("vcore_sched"));
	ASSERT_EQ(0, unload("vaal_cpu"));
	ASSERT_EQ(0, unload("vaal_crypto"));
	fd = vaal_open(NULL);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EWOULDBLOCK, unload("vaal_core"));
	EXPECT_TRUE(module_loaded("vaal_core"));
	close(fd);
	EXPECT_EQ(0, unload("vaal_core"));
}

/* vcore_sched uses vaal_core's symbols: vaal_core must stay. */
TEST_F(modules, unload_refused_while_dependent)
{
	EXPECT_EQ(-EWOULDBLOCK, unload("vaal_core"));
	EXPECT_TRUE(module_loaded("vaal_core"));
	EXPECT_TRUE(module_loaded("vcore_sched"));
}

/* vcore_sched cannot load without vaal_core. */
TEST_F(modules, dependency_enforced)
{
	ASSERT_EQ(0, unload_all());
	EXPECT_EQ(-ENOENT, load(suite[1].path));
	EXPECT_FALSE(module_loaded("vcore_sched"));
}

TEST_F(modules, double_load_refused)
{
	EXPECT_EQ(-EEXIST, load(suite[0].path));
}

TEST_HARNESS_MAIN
