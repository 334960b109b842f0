// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_crypto_hash.c - hash launches: digest of argument 0 into argument 1
 *
 * Any ahash (or shash, which the crypto API wraps) without a mandatory key
 * runs: the signature has no room for a key, so a keyed hash ("hmac(...)")
 * is refused with -EINVAL.  The request writes the digest into the unit;
 * it is copied to argument 1 once the request completed.
 */
#include <crypto/hash.h>
#include <linux/string.h>

#include "vaal_crypto.h"

static int vaal_crypto_hash_alloc(struct vaal_crypto_tfm *tfm,
				  const char *name)
{
	struct crypto_ahash *ahash;

	ahash = crypto_alloc_ahash(name, 0, 0);
	if (IS_ERR(ahash))
		return PTR_ERR(ahash);
	if ((crypto_ahash_get_flags(ahash) & CRYPTO_TFM_NEED_KEY) ||
	    crypto_ahash_digestsize(ahash) > HASH_MAX_DIGESTSIZE) {
		crypto_free_ahash(ahash);
		return -ENOKEY;
	}
	tfm->ahash = ahash;
	return 0;
}

static void vaal_crypto_hash_free(struct vaal_crypto_tfm *tfm)
{
	crypto_free_ahash(tfm->ahash);
}

static int vaal_crypto_hash_submit(struct vaal_crypto_unit *u)
{
	struct crypto_ahash *ahash = u->tfm->ahash;
	struct ahash_request *req;
	unsigned int len;
	u64 out_len;
	int ret;

	vaal_work_arg(u->vw, 1, &out_len);
	if (out_len < crypto_ahash_digestsize(ahash))
		return -EINVAL;
	ret = vaal_crypto_arg_sg(u->vw, 0, &u->src, &len);
	if (ret)
		return ret;
	req = ahash_request_alloc(ahash, GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	u->req = req;
	ahash_request_set_callback(req, VAAL_CRYPTO_REQ_FLAGS,
				   vaal_crypto_req_done, u);
	ahash_request_set_crypt(req, u->src.sgl, u->digest, len);
	return vaal_crypto_submitted(crypto_ahash_digest(req));
}

static void vaal_crypto_hash_finish(struct vaal_crypto_unit *u, int err)
{
	struct ahash_request *req = u->req;
	u64 out_len;

	if (!err)
		memcpy(vaal_work_arg(u->vw, 1, &out_len), u->digest,
		       crypto_ahash_digestsize(u->tfm->ahash));
	ahash_request_free(req);
}

const struct vaal_crypto_type vaal_crypto_hash_type = {
	.nr_args	= 2,
	.modes		= { VAAL_ARG_IN, VAAL_ARG_OUT },
	.scalar_bytes	= 0,
	.per_unit	= false,
	.alloc		= vaal_crypto_hash_alloc,
	.free		= vaal_crypto_hash_free,
	.submit		= vaal_crypto_hash_submit,
	.finish		= vaal_crypto_hash_finish,
};
