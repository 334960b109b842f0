// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_crypto_aead.c - AEAD launches: encrypt or decrypt argument 0 into
 * argument 1 with the key in argument 2
 *
 * Each launch sets its key and tag size on the transform, so AEAD
 * transforms are per unit: a unit runs one launch at a time.  The crypto
 * API does not copy the associated data to an out-of-place destination;
 * the worker does, so argument 1 holds the associated data then the
 * output, as argument 0 holds it then the input.  When a launch fails
 * (-EBADMSG: the tag does not match), what argument 1 holds is undefined.
 */
#include <crypto/aead.h>
#include <linux/string.h>

#include "vaal_crypto.h"

static int vaal_crypto_aead_alloc(struct vaal_crypto_tfm *tfm,
				  const char *name)
{
	struct crypto_aead *aead;

	aead = crypto_alloc_aead(name, 0, 0);
	if (IS_ERR(aead))
		return PTR_ERR(aead);
	if (crypto_aead_ivsize(aead) > VAAL_CRYPTO_IV_BYTES) {
		crypto_free_aead(aead);
		return -ENOKEY;
	}
	tfm->aead = aead;
	return 0;
}

static void vaal_crypto_aead_free(struct vaal_crypto_tfm *tfm)
{
	crypto_free_aead(tfm->aead);
}

/* Check the scalars, and set the key and the tag size. */
static int vaal_crypto_aead_setup(struct vaal_crypto_unit *u,
				  const struct vaal_crypto_aead_scalars *s)
{
	struct crypto_aead *aead = u->tfm->aead;
	unsigned int ivsize = crypto_aead_ivsize(aead);
	const u8 *key;
	u64 keylen;
	int ret;

	if (s->op > VAAL_CRYPTO_OP_DECRYPT || s->reserved ||
	    memchr_inv(s->iv + ivsize, 0, VAAL_CRYPTO_IV_BYTES - ivsize))
		return -EINVAL;
	ret = crypto_aead_setauthsize(aead, s->authsize ?:
				      crypto_aead_maxauthsize(aead));
	if (ret)
		return ret;
	key = vaal_work_arg(u->vw, 2, &keylen);
	if (keylen > UINT_MAX)
		return -EINVAL;
	return crypto_aead_setkey(aead, key, keylen);
}

/*
 * Check the lengths of @u's launch and copy its associated data through;
 * set *@cryptlen to the bytes to encrypt or decrypt (tag included).
 */
static int vaal_crypto_aead_lengths(struct vaal_crypto_unit *u,
				    const struct vaal_crypto_aead_scalars *s,
				    unsigned int *cryptlen)
{
	unsigned int authsize = crypto_aead_authsize(u->tfm->aead);
	u64 src_len, dst_len, out_len;
	const void *src;
	void *dst;

	src = vaal_work_arg(u->vw, 0, &src_len);
	dst = vaal_work_arg(u->vw, 1, &dst_len);
	if (src_len < s->assoclen || src_len > UINT_MAX ||
	    vaal_crypto_args_overlap(u->vw, 0, 1))
		return -EINVAL;
	*cryptlen = src_len - s->assoclen;
	if (s->op == VAAL_CRYPTO_OP_ENCRYPT) {
		out_len = src_len + authsize;
	} else {
		if (*cryptlen < authsize)
			return -EINVAL;
		out_len = src_len - authsize;
	}
	if (dst_len < out_len)
		return -EINVAL;
	memcpy(dst, src, s->assoclen);
	return 0;
}

static int vaal_crypto_aead_submit(struct vaal_crypto_unit *u)
{
	struct vaal_crypto_aead_scalars s;
	struct aead_request *req;
	unsigned int cryptlen, len;
	u32 scalar_bytes;
	int ret;

	memcpy(&s, vaal_work_scalars(u->vw, &scalar_bytes), sizeof(s));
	ret = vaal_crypto_aead_setup(u, &s);
	if (ret)
		return ret;
	ret = vaal_crypto_aead_lengths(u, &s, &cryptlen);
	if (ret)
		return ret;
	ret = vaal_crypto_arg_sg(u->vw, 0, &u->src, &len);
	if (!ret)
		ret = vaal_crypto_arg_sg(u->vw, 1, &u->dst, &len);
	if (ret)
		return ret;
	req = aead_request_alloc(u->tfm->aead, GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	u->req = req;
	memcpy(u->iv, s.iv, VAAL_CRYPTO_IV_BYTES);
	aead_request_set_callback(req, VAAL_CRYPTO_REQ_FLAGS,
				  vaal_crypto_req_done, u);
	aead_request_set_ad(req, s.assoclen);
	aead_request_set_crypt(req, u->src.sgl, u->dst.sgl, cryptlen, u->iv);
	if (s.op == VAAL_CRYPTO_OP_ENCRYPT)
		ret = crypto_aead_encrypt(req);
	else
		ret = crypto_aead_decrypt(req);
	return vaal_crypto_submitted(ret);
}

static void vaal_crypto_aead_finish(struct vaal_crypto_unit *u, int err)
{
	aead_request_free(u->req);
}

const struct vaal_crypto_type vaal_crypto_aead_type = {
	.nr_args	= 3,
	.modes		= { VAAL_ARG_IN, VAAL_ARG_OUT, VAAL_ARG_IN },
	.scalar_bytes	= sizeof(struct vaal_crypto_aead_scalars),
	.per_unit	= true,
	.alloc		= vaal_crypto_aead_alloc,
	.free		= vaal_crypto_aead_free,
	.submit		= vaal_crypto_aead_submit,
	.finish		= vaal_crypto_aead_finish,
};
