// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_mdev_main.c - the VAAL's mediated devices: the parent, its types,
 * the module
 *
 * The parent is the virtual device /sys/devices/virtual/vaal/vaal, listed
 * as /sys/class/mdev_bus/vaal.  Its types, in mdev_supported_types/:
 *
 *   vaal-small  4 contexts at once, 64 launches in flight per context,
 *               64 MiB of buffers in all, classes cpu and crypto, no
 *               polling threads (%VAAL_SETUP_SQPOLL)
 *   vaal-large  16 contexts, 1024 in flight per context, 256 MiB, every
 *               class, polling threads allowed (the VMM still needs
 *               CAP_SYS_NICE for one, as any process does)
 *
 * Each type's "description" says the same.  The max_instances parameter
 * bounds the devices of all types together: each one created takes one
 * from every type's available_instances.
 *
 * A device created with "echo UUID > .../create" is a VFIO device with an
 * emulated IOMMU (no hardware IOMMU needed): /dev/vfio/N, given to QEMU
 * with -device vfio-pci,sysfsdev=/sys/bus/mdev/devices/UUID.  Removing it
 * while a VMM holds it asks the VMM (through the device request
 * interrupt) to release it, and waits until it does.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "vaal_mdev.h"

static unsigned int vaal_mdev_max_instances = 16;
module_param_named(max_instances, vaal_mdev_max_instances, uint, 0644);
MODULE_PARM_DESC(max_instances, "Mediated devices of all types at once (default 16)");

unsigned int vaal_mdev_max_blob_bytes = 1 << 20;
module_param_named(max_blob_bytes, vaal_mdev_max_blob_bytes, uint, 0644);
MODULE_PARM_DESC(max_blob_bytes, "Largest code blob a guest may register, in bytes (default 1 MiB)");

/* Devices now, against max_instances. */
static atomic_t vaal_mdev_instances = ATOMIC_INIT(0);

static struct vaal_mdev_type vaal_mdev_small = {
	.type = { .sysfs_name = "small", .pretty_name = "vaal-small" },
	.max_contexts = 4,
	.max_inflight = 64,
	.max_buf_bytes = 64ULL << 20,
	.classes = "cpu,crypto",
	.features = VAAL_PCI_F_MSIX,
};

static struct vaal_mdev_type vaal_mdev_large = {
	.type = { .sysfs_name = "large", .pretty_name = "vaal-large" },
	.max_contexts = 16,
	.max_inflight = 1024,
	.max_buf_bytes = 256ULL << 20,
	.classes = NULL,
	.features = VAAL_PCI_F_MSIX | VAAL_PCI_F_SQPOLL,
};

static struct mdev_type *vaal_mdev_types[] = {
	&vaal_mdev_small.type,
	&vaal_mdev_large.type,
};

static const struct vaal_mdev_type *vaal_mdev_type_of(struct mdev_type *mtype)
{
	return container_of(mtype, struct vaal_mdev_type, type);
}

/**
 * vaal_mdev_class_offered - whether a type offers an accelerator class
 * @type: the type
 * @class: the class name, NUL-terminated
 *
 * Return: true when @class is in @type's list (or the type has all).
 */
bool vaal_mdev_class_offered(const struct vaal_mdev_type *type,
			     const char *class)
{
	const char *p = type->classes;
	size_t len = strlen(class);

	if (!p)
		return true;
	while (*p) {
		size_t n = strchrnul(p, ',') - p;

		if (n == len && !strncmp(p, class, len))
			return true;
		p += n + !!p[n];
	}
	return false;
}

/**
 * vaal_mdev_init_dev - set a new device up (vfio_alloc_device())
 * @vdev: the VFIO device
 *
 * Return: 0, or -ENOSPC when max_instances devices exist.
 */
int vaal_mdev_init_dev(struct vfio_device *vdev)
{
	struct vaal_mdev_state *st = vaal_mdev_of(vdev);
	struct mdev_device *mdev = to_mdev_device(vdev->dev);

	if (atomic_inc_return(&vaal_mdev_instances) >
	    READ_ONCE(vaal_mdev_max_instances)) {
		atomic_dec(&vaal_mdev_instances);
		return -ENOSPC;
	}
	st->mdev = mdev;
	st->type = vaal_mdev_type_of(mdev->type);
	snprintf(st->label, sizeof(st->label), "mdev:%pUl", &mdev->uuid);
	mutex_init(&st->lock);
	init_rwsem(&st->db_sem);
	spin_lock_init(&st->reg_lock);
	spin_lock_init(&st->irq_lock);
	vaal_mdev_cfg_init(st);
	return 0;
}

/**
 * vaal_mdev_release_dev - the last reference to a device is gone
 * @vdev: the VFIO device
 */
void vaal_mdev_release_dev(struct vfio_device *vdev)
{
	struct vaal_mdev_state *st = vaal_mdev_of(vdev);

	vaal_mdev_reserve_free(st);
	mutex_destroy(&st->lock);
	atomic_dec(&vaal_mdev_instances);
}

static int vaal_mdev_probe(struct mdev_device *mdev)
{
	struct vaal_mdev_state *st;
	int ret;

	st = vfio_alloc_device(vaal_mdev_state, vdev, &mdev->dev,
			       &vaal_mdev_ops);
	if (IS_ERR(st))
		return PTR_ERR(st);
	dev_set_drvdata(&mdev->dev, st);
	ret = vfio_register_emulated_iommu_dev(&st->vdev);
	if (ret)
		goto out_put;
	return 0;

out_put:
	dev_set_drvdata(&mdev->dev, NULL);
	vfio_put_device(&st->vdev);
	return ret;
}

/* Waits until the VMM closes the device (close_device tears it all down). */
static void vaal_mdev_remove(struct mdev_device *mdev)
{
	struct vaal_mdev_state *st = dev_get_drvdata(&mdev->dev);

	vfio_unregister_group_dev(&st->vdev);
	dev_set_drvdata(&mdev->dev, NULL);
	vfio_put_device(&st->vdev);
}

static unsigned int vaal_mdev_get_available(struct mdev_type *mtype)
{
	int left = (int)READ_ONCE(vaal_mdev_max_instances) -
		   atomic_read(&vaal_mdev_instances);

	return max(left, 0);
}

static ssize_t vaal_mdev_show_description(struct mdev_type *mtype, char *buf)
{
	const struct vaal_mdev_type *type = vaal_mdev_type_of(mtype);

	return sysfs_emit(buf,
			  "contexts=%u inflight=%u buffer_bytes=%llu classes=%s sqpoll=%s\n",
			  type->max_contexts, type->max_inflight,
			  type->max_buf_bytes, type->classes ?: "all",
			  type->features & VAAL_PCI_F_SQPOLL ? "yes" : "no");
}

static struct mdev_driver vaal_mdev_driver = {
	.device_api	= VFIO_DEVICE_API_PCI_STRING,
	.driver = {
		.name		= "vaal_mdev",
		.owner		= THIS_MODULE,
		.mod_name	= KBUILD_MODNAME,
		.dev_groups	= vaal_mdev_dev_groups,
	},
	.probe		= vaal_mdev_probe,
	.remove		= vaal_mdev_remove,
	.get_available	= vaal_mdev_get_available,
	.show_description = vaal_mdev_show_description,
};

/**
 * struct vaal_mdev_parent - the parent device of the mediated devices
 * @dev: /sys/devices/virtual/vaal/vaal
 * @parent: the mdev core's state of it
 */
struct vaal_mdev_parent {
	struct device dev;
	struct mdev_parent parent;
};

static const struct class vaal_mdev_class = {
	.name = "vaal",
};

static struct vaal_mdev_parent *vaal_mdev_parent;

static void vaal_mdev_parent_release(struct device *dev)
{
	kfree(container_of(dev, struct vaal_mdev_parent, dev));
}

static int vaal_mdev_parent_add(void)
{
	struct vaal_mdev_parent *p;
	int ret;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	device_initialize(&p->dev);
	p->dev.class = &vaal_mdev_class;
	p->dev.release = vaal_mdev_parent_release;
	ret = dev_set_name(&p->dev, "vaal");
	if (ret)
		goto out_put;
	ret = device_add(&p->dev);
	if (ret)
		goto out_put;
	ret = mdev_register_parent(&p->parent, &p->dev, &vaal_mdev_driver,
				   vaal_mdev_types,
				   ARRAY_SIZE(vaal_mdev_types));
	if (ret)
		goto out_del;
	vaal_mdev_parent = p;
	return 0;

out_del:
	device_del(&p->dev);
out_put:
	put_device(&p->dev);
	return ret;
}

static int __init vaal_mdev_init(void)
{
	int ret;

	ret = class_register(&vaal_mdev_class);
	if (ret)
		return ret;
	ret = mdev_register_driver(&vaal_mdev_driver);
	if (ret)
		goto out_class;
	ret = vaal_mdev_parent_add();
	if (ret)
		goto out_driver;
	return 0;

out_driver:
	mdev_unregister_driver(&vaal_mdev_driver);
out_class:
	class_unregister(&vaal_mdev_class);
	return ret;
}

static void __exit vaal_mdev_exit(void)
{
	/* Removes every device, each once its VMM has closed it. */
	mdev_unregister_parent(&vaal_mdev_parent->parent);
	device_unregister(&vaal_mdev_parent->dev);
	mdev_unregister_driver(&vaal_mdev_driver);
	class_unregister(&vaal_mdev_class);
}

module_init(vaal_mdev_init);
module_exit(vaal_mdev_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("V-Core VAAL mediated device: the VAAL PCI device for guests");
