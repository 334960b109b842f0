/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vaal_crypto.h - the crypto-API controller of vaal_core (vaal_crypto.ko)
 *
 * The controller serves the "crypto" class.  A kernel's name is a Linux
 * crypto algorithm name ("sha256", "gcm(aes)", "deflate", ...); what kind
 * of algorithm it is decides the signature a kernel of that name must have:
 *
 * hash (any ahash or shash without a mandatory key: "sha256", "sha1",
 * "sha512", "crc32c", ...):
 *	nr_args 2: arg 0 in (the data), arg 1 out (the digest, at least the
 *	algorithm's digest size; the digest is written at its start);
 *	scalar_bytes 0.
 *
 * AEAD (any aead: "gcm(aes)", "ccm(aes)", "rfc7539(chacha20,poly1305)"):
 *	nr_args 3: arg 0 in (the associated data, then the plaintext or the
 *	ciphertext and its tag), arg 1 out (the associated data copied
 *	through, then the ciphertext and its tag, or the plaintext), arg 2 in
 *	(the key, exactly as long as the key: the range's length is the key
 *	length); scalar_bytes 24, &struct vaal_crypto_aead_scalars.
 *
 * compression (any acomp or scomp: "deflate", "lzo", "lz4", "zstd"):
 *	nr_args 3: arg 0 in (the source), arg 1 out (the destination), arg 2
 *	out (at least 8 bytes: the bytes produced in arg 1, as a
 *	little-endian 64-bit number at its start); scalar_bytes 4,
 *	&struct vaal_crypto_comp_scalars.  Software compressors (scomp)
 *	take at most 128 KiB of source and produce at most 128 KiB.
 *
 * An argument declared in must be %VAAL_ARG_IN or %VAAL_ARG_INOUT, one
 * declared out %VAAL_ARG_OUT or %VAAL_ARG_INOUT.  A launch whose signature
 * does not fit its algorithm, or whose lengths or scalars are wrong,
 * completes with -EINVAL; one naming no algorithm the kernel has, with
 * -ENOENT; AEAD decryption whose tag does not match, with -EBADMSG; other
 * errors of the crypto API as they come.  Arguments 0 and 1 of AEAD and
 * compression launches must not overlap (-EINVAL).
 *
 * Work runs asynchronously through the crypto API, so that a hardware
 * engine serves it where the kernel has one: ops->start() queues the work
 * to a worker, which finds the transform (allocated on first use and kept
 * in a small cache), builds scatterlists over the buffers' pages and
 * submits the request; the request's completion, or the worker when the
 * algorithm completes at once, reports the result.
 */
#ifndef _VAAL_CRYPTO_H
#define _VAAL_CRYPTO_H

#include <linux/atomic.h>
#include <linux/build_bug.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <crypto/hash.h>

#include <vaal_ctrl.h>

/* &vaal_crypto_aead_scalars.op */
#define VAAL_CRYPTO_OP_ENCRYPT		0
#define VAAL_CRYPTO_OP_DECRYPT		1

/* &vaal_crypto_comp_scalars.op */
#define VAAL_CRYPTO_OP_COMPRESS		0
#define VAAL_CRYPTO_OP_DECOMPRESS	1

/* Bytes of &vaal_crypto_aead_scalars.iv. */
#define VAAL_CRYPTO_IV_BYTES		16

/**
 * struct vaal_crypto_aead_scalars - the scalars of an AEAD launch
 * @iv: the IV (nonce): its first crypto_aead_ivsize() bytes (12 for
 *	"gcm(aes)"); the rest must be zero
 * @assoclen: bytes of associated data at the start of arguments 0 and 1
 * @op: %VAAL_CRYPTO_OP_ENCRYPT or %VAAL_CRYPTO_OP_DECRYPT
 * @authsize: bytes of the tag, 0 for the algorithm's largest (16 for
 *	"gcm(aes)")
 * @reserved: must be zero
 *
 * Encryption reads @assoclen + n bytes (the whole of argument 0) and
 * writes @assoclen + n + @authsize bytes; decryption reads @assoclen + n
 * bytes, the last @authsize of them the tag, and writes @assoclen + n -
 * @authsize bytes.  Argument 1 must be long enough, else -EINVAL.
 */
struct vaal_crypto_aead_scalars {
	__u8 iv[VAAL_CRYPTO_IV_BYTES];
	__u32 assoclen;
	__u8 op;
	__u8 authsize;
	__u16 reserved;
};

static_assert(sizeof(struct vaal_crypto_aead_scalars) == 24);

/**
 * struct vaal_crypto_comp_scalars - the scalars of a compression launch
 * @op: %VAAL_CRYPTO_OP_COMPRESS or %VAAL_CRYPTO_OP_DECOMPRESS
 */
struct vaal_crypto_comp_scalars {
	__u32 op;
};

static_assert(sizeof(struct vaal_crypto_comp_scalars) == 4);

/* Bytes of the result-length argument of a compression launch. */
#define VAAL_CRYPTO_COMP_RESULT_BYTES	8

struct vaal_crypto_unit;
struct vaal_crypto_tfm;

/* Most buffer arguments of a launch of any kind of algorithm. */
#define VAAL_CRYPTO_MAX_ARGS		3

/**
 * struct vaal_crypto_type - one kind of algorithm
 * @nr_args: buffer arguments its launches have
 * @modes: the access each argument needs (%VAAL_ARG_IN, %VAAL_ARG_OUT)
 * @scalar_bytes: bytes of scalars its launches have
 * @per_unit: a transform holds one launch's state (a key), so each unit
 *	gets transforms of its own
 * @alloc: allocate @tfm's transform for algorithm @name; -ENOENT or
 *	-EINVAL when the kernel has no algorithm of this kind by that name
 * @free: free @tfm's transform
 * @submit: check the launch on @u and submit its request; return
 *	-EINPROGRESS when vaal_crypto_req_done() will be called, else the
 *	launch's status
 * @finish: the launch on @u ended with @err: write its results out (when
 *	@err is 0) and free its request, if any
 */
struct vaal_crypto_type {
	unsigned int nr_args;
	u8 modes[VAAL_CRYPTO_MAX_ARGS];
	unsigned int scalar_bytes;
	bool per_unit;
	int (*alloc)(struct vaal_crypto_tfm *tfm, const char *name);
	void (*free)(struct vaal_crypto_tfm *tfm);
	int (*submit)(struct vaal_crypto_unit *u);
	void (*finish)(struct vaal_crypto_unit *u, int err);
};

extern const struct vaal_crypto_type vaal_crypto_hash_type;
extern const struct vaal_crypto_type vaal_crypto_aead_type;
extern const struct vaal_crypto_type vaal_crypto_comp_type;

/**
 * struct vaal_crypto_tfm - a cached transform
 * @node: entry in &vaal_crypto_cache.list
 * @type: what kind of algorithm
 * @unit: the unit it belongs to when @type is per unit, else -1
 * @users: launches using it; only the cache's owner raises it, under
 *	&vaal_crypto_cache.lock
 * @name: the algorithm's name, as launches give it
 * @ahash: the transform of a hash
 * @aead: the transform of an AEAD
 * @acomp: the transform of a compressor
 */
struct vaal_crypto_tfm {
	struct list_head node;
	const struct vaal_crypto_type *type;
	int unit;
	atomic_t users;
	char name[VAAL_NAME_LEN];
	union {
		struct crypto_ahash *ahash;
		struct crypto_aead *aead;
		struct crypto_acomp *acomp;
	};
};

/**
 * struct vaal_crypto_cache - transforms kept for reuse
 * @lock: guards @list and @nr
 * @list: the transforms, most recently used first
 * @nr: entries in @list
 * @max: entries kept; idle ones past it are freed, least recently used
 *	first
 */
struct vaal_crypto_cache {
	struct mutex lock;
	struct list_head list;
	unsigned int nr;
	unsigned int max;
};

/**
 * struct vaal_crypto_unit - one unit of the controller, and the launch on it
 * @work: runs the launch's setup in the controller's workqueue
 * @cache: where the launch finds its transform
 * @idx: the unit's number
 * @vw: the launch on the unit, from ops->start() to vaal_work_done()
 * @cancel: the launch ops->cancel() asked to stop, if it still waits for
 *	the worker
 * @tfm: the launch's transform, once found
 * @req: the launch's request (an ahash, aead or acomp request), once
 *	allocated
 * @src: scatterlist over argument 0
 * @dst: scatterlist over argument 1 (AEAD and compression)
 * @digest: where a hash request writes its digest
 * @iv: the IV an AEAD request uses (and may change)
 */
struct vaal_crypto_unit {
	struct work_struct work;
	struct vaal_crypto_cache *cache;
	unsigned int idx;
	struct vaal_work *vw;
	struct vaal_work *cancel;
	struct vaal_crypto_tfm *tfm;
	void *req;
	struct sg_table src;
	struct sg_table dst;
	union {
		u8 digest[HASH_MAX_DIGESTSIZE];
		u8 iv[VAAL_CRYPTO_IV_BYTES];
	} ____cacheline_aligned;
};

/* Flags of every request the controller submits. */
#define VAAL_CRYPTO_REQ_FLAGS \
	(CRYPTO_TFM_REQ_MAY_BACKLOG | CRYPTO_TFM_REQ_MAY_SLEEP)

void vaal_crypto_req_done(void *data, int err);
int vaal_crypto_arg_sg(const struct vaal_work *vw, unsigned int i,
		       struct sg_table *sgt, unsigned int *len);
bool vaal_crypto_args_overlap(const struct vaal_work *vw, unsigned int a,
			      unsigned int b);

/**
 * vaal_crypto_submitted() - the status of a request just submitted
 * @ret: what crypto_*_digest(), _encrypt(), _compress() ... returned
 *
 * With %CRYPTO_TFM_REQ_MAY_BACKLOG, -EBUSY means the request waits in the
 * backlog: its callback will be called as for -EINPROGRESS.
 *
 * Return: -EINPROGRESS when the callback will report the result, else the
 * result.
 */
static inline int vaal_crypto_submitted(int ret)
{
	return ret == -EBUSY ? -EINPROGRESS : ret;
}

void vaal_crypto_cache_init(struct vaal_crypto_cache *cache, unsigned int max);
void vaal_crypto_cache_destroy(struct vaal_crypto_cache *cache);
int vaal_crypto_tfm_get(struct vaal_crypto_cache *cache,
			const struct vaal_work *vw, unsigned int unit,
			struct vaal_crypto_tfm **tfmp);
void vaal_crypto_tfm_put(struct vaal_crypto_tfm *tfm);

#endif /* _VAAL_CRYPTO_H */
