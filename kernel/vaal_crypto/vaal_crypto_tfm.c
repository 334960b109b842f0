// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_crypto_tfm.c - the transforms, found by algorithm name and kept
 *
 * A kernel's name says which algorithm, not which kind: the first
 * transform of a name is looked for among the kinds in turn, the kind the
 * launch's signature suggests first.  Transforms are allocated in the
 * worker (allocation may sleep and load modules) and kept in a small LRU
 * cache: hashes and compressors are shared by every unit, an AEAD
 * transform carries the key of one launch and so belongs to one unit.
 * Transforms are freed only in process context: when the cache evicts an
 * idle one, and at module exit.
 */
#include <linux/slab.h>
#include <linux/string.h>

#include "vaal_crypto.h"

static const struct vaal_crypto_type *const vaal_crypto_types[] = {
	&vaal_crypto_hash_type,
	&vaal_crypto_aead_type,
	&vaal_crypto_comp_type,
};

/**
 * vaal_crypto_cache_init() - set up an empty cache
 * @cache: the cache
 * @max: transforms it keeps; at least the controller's units, so that an
 *	idle one is left to evict when it is full
 */
void vaal_crypto_cache_init(struct vaal_crypto_cache *cache, unsigned int max)
{
	mutex_init(&cache->lock);
	INIT_LIST_HEAD(&cache->list);
	cache->nr = 0;
	cache->max = max;
}

static void vaal_crypto_tfm_free(struct vaal_crypto_tfm *tfm)
{
	tfm->type->free(tfm);
	kfree(tfm);
}

/**
 * vaal_crypto_cache_destroy() - free every transform of a cache
 * @cache: the cache, which no launch uses any more
 */
void vaal_crypto_cache_destroy(struct vaal_crypto_cache *cache)
{
	struct vaal_crypto_tfm *tfm, *tmp;

	list_for_each_entry_safe(tfm, tmp, &cache->list, node) {
		WARN_ON(atomic_read(&tfm->users));
		list_del(&tfm->node);
		vaal_crypto_tfm_free(tfm);
	}
	cache->nr = 0;
	mutex_destroy(&cache->lock);
}

/*
 * The cached transform of @name usable on @unit, taken; NULL if none.
 * *@kind is set to the kind of any transform of that name.
 */
static struct vaal_crypto_tfm *
vaal_crypto_cache_take(struct vaal_crypto_cache *cache, const char *name,
		       unsigned int unit, const struct vaal_crypto_type **kind)
{
	struct vaal_crypto_tfm *tfm;

	lockdep_assert_held(&cache->lock);
	list_for_each_entry(tfm, &cache->list, node) {
		if (strcmp(tfm->name, name))
			continue;
		*kind = tfm->type;
		if (tfm->type->per_unit && tfm->unit != unit)
			continue;
		atomic_inc(&tfm->users);
		list_move(&tfm->node, &cache->list);
		return tfm;
	}
	return NULL;
}

/* Unlink the least recently used idle transform; NULL if none is idle. */
static struct vaal_crypto_tfm *
vaal_crypto_cache_evict(struct vaal_crypto_cache *cache)
{
	struct vaal_crypto_tfm *tfm;

	lockdep_assert_held(&cache->lock);
	list_for_each_entry_reverse(tfm, &cache->list, node) {
		if (atomic_read(&tfm->users))
			continue;
		list_del(&tfm->node);
		cache->nr--;
		return tfm;
	}
	return NULL;
}

/* The kind whose signature @vw has, else the first kind. */
static const struct vaal_crypto_type *
vaal_crypto_type_guess(const struct vaal_work *vw)
{
	unsigned int i;
	u32 scalar_bytes;

	vaal_work_scalars(vw, &scalar_bytes);
	for (i = 0; i < ARRAY_SIZE(vaal_crypto_types); i++) {
		if (vaal_crypto_types[i]->nr_args == vaal_work_nr_args(vw) &&
		    vaal_crypto_types[i]->scalar_bytes == scalar_bytes)
			return vaal_crypto_types[i];
	}
	return vaal_crypto_types[0];
}

/* Errors with which a kind says it has no algorithm of that name. */
static bool vaal_crypto_not_this_kind(int err)
{
	return err == -ENOENT || err == -EINVAL || err == -EAGAIN;
}

/*
 * Allocate @tfm's transform, of kind @first if it is one, else of the
 * first other kind that has algorithm @tfm->name.  A kind that has it but
 * cannot run it says -ENOKEY: the launch is then invalid.
 */
static int vaal_crypto_tfm_probe(struct vaal_crypto_tfm *tfm,
				 const struct vaal_crypto_type *first)
{
	const struct vaal_crypto_type *type = first;
	unsigned int i = 0;
	int ret;

	for (;;) {
		ret = type->alloc(tfm, tfm->name);
		if (!ret)
			break;
		if (!vaal_crypto_not_this_kind(ret))
			return ret == -ENOKEY ? -EINVAL : ret;
		if (i < ARRAY_SIZE(vaal_crypto_types) &&
		    vaal_crypto_types[i] == first)
			i++;
		if (i == ARRAY_SIZE(vaal_crypto_types))
			return -ENOENT;
		type = vaal_crypto_types[i++];
	}
	tfm->type = type;
	return 0;
}

/* A new transform for launch @vw on @unit, taken. */
static struct vaal_crypto_tfm *
vaal_crypto_tfm_new(const struct vaal_work *vw, unsigned int unit,
		    const struct vaal_crypto_type *kind)
{
	struct vaal_crypto_tfm *tfm;
	int ret;

	tfm = kzalloc(sizeof(*tfm), GFP_KERNEL);
	if (!tfm)
		return ERR_PTR(-ENOMEM);
	if (strscpy(tfm->name, vaal_work_name(vw)) < 0) {
		ret = -ENOENT;
		goto free_tfm;
	}
	ret = vaal_crypto_tfm_probe(tfm, kind ?: vaal_crypto_type_guess(vw));
	if (ret)
		goto free_tfm;
	tfm->unit = tfm->type->per_unit ? unit : -1;
	atomic_set(&tfm->users, 1);
	return tfm;

free_tfm:
	kfree(tfm);
	return ERR_PTR(ret);
}

/**
 * vaal_crypto_tfm_get() - the transform of a launch's algorithm
 * @cache: where transforms are kept
 * @vw: the launch
 * @unit: the unit it runs on
 * @tfmp: set to the transform, taken: give it back with
 *	vaal_crypto_tfm_put()
 *
 * Context: process context, may sleep (and load modules).
 * Return: 0, -ENOENT when the kernel has no algorithm of that name,
 * -EINVAL for one the controller cannot run (a keyed hash), -ENOMEM, or
 * another error of the crypto API.
 */
int vaal_crypto_tfm_get(struct vaal_crypto_cache *cache,
			const struct vaal_work *vw, unsigned int unit,
			struct vaal_crypto_tfm **tfmp)
{
	const struct vaal_crypto_type *kind = NULL;
	struct vaal_crypto_tfm *tfm, *drop = NULL;

	mutex_lock(&cache->lock);
	*tfmp = vaal_crypto_cache_take(cache, vaal_work_name(vw), unit, &kind);
	mutex_unlock(&cache->lock);
	if (*tfmp)
		return 0;

	tfm = vaal_crypto_tfm_new(vw, unit, kind);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);

	mutex_lock(&cache->lock);
	/* Another worker may have cached the same meanwhile. */
	*tfmp = vaal_crypto_cache_take(cache, tfm->name, unit, &kind);
	if (*tfmp) {
		drop = tfm;
	} else {
		if (cache->nr >= cache->max)
			drop = vaal_crypto_cache_evict(cache);
		list_add(&tfm->node, &cache->list);
		cache->nr++;
		*tfmp = tfm;
	}
	mutex_unlock(&cache->lock);
	if (drop)
		vaal_crypto_tfm_free(drop);
	return 0;
}

/**
 * vaal_crypto_tfm_put() - give back a transform taken by a launch
 * @tfm: the transform; the launch's request is freed
 *
 * Context: any.
 */
void vaal_crypto_tfm_put(struct vaal_crypto_tfm *tfm)
{
	/* The request is gone before the cache may see the transform idle. */
	smp_mb__before_atomic();
	atomic_dec(&tfm->users);
}
