// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_crypto_comp.c - compression launches: compress or decompress
 * argument 0 into argument 1, the bytes produced into argument 2
 *
 * Any acomp runs, and any scomp through the acomp API ("deflate", "lzo",
 * ...).  A completion carries no length, so the length of the output is
 * written to argument 2, little-endian, 64 bits.  Software compressors
 * (scomp) work through per-CPU scratch buffers of 128 KiB: they refuse a
 * longer source (-EINVAL) and produce at most 128 KiB.
 */
#include <crypto/acompress.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "vaal_crypto.h"

static int vaal_crypto_comp_alloc(struct vaal_crypto_tfm *tfm,
				  const char *name)
{
	struct crypto_acomp *acomp;

	acomp = crypto_alloc_acomp(name, 0, 0);
	if (IS_ERR(acomp))
		return PTR_ERR(acomp);
	tfm->acomp = acomp;
	return 0;
}

static void vaal_crypto_comp_free(struct vaal_crypto_tfm *tfm)
{
	crypto_free_acomp(tfm->acomp);
}

static int vaal_crypto_comp_submit(struct vaal_crypto_unit *u)
{
	struct vaal_crypto_comp_scalars s;
	unsigned int src_len, dst_len;
	struct acomp_req *req;
	u32 scalar_bytes;
	u64 res_len;
	int ret;

	memcpy(&s, vaal_work_scalars(u->vw, &scalar_bytes), sizeof(s));
	vaal_work_arg(u->vw, 2, &res_len);
	if (s.op > VAAL_CRYPTO_OP_DECOMPRESS ||
	    res_len < VAAL_CRYPTO_COMP_RESULT_BYTES ||
	    vaal_crypto_args_overlap(u->vw, 0, 1) ||
	    vaal_crypto_args_overlap(u->vw, 1, 2))
		return -EINVAL;
	ret = vaal_crypto_arg_sg(u->vw, 0, &u->src, &src_len);
	if (!ret)
		ret = vaal_crypto_arg_sg(u->vw, 1, &u->dst, &dst_len);
	if (ret)
		return ret;
	req = acomp_request_alloc(u->tfm->acomp);
	if (!req)
		return -ENOMEM;
	u->req = req;
	acomp_request_set_callback(req, VAAL_CRYPTO_REQ_FLAGS,
				   vaal_crypto_req_done, u);
	acomp_request_set_params(req, u->src.sgl, u->dst.sgl, src_len,
				 dst_len);
	if (s.op == VAAL_CRYPTO_OP_COMPRESS)
		ret = crypto_acomp_compress(req);
	else
		ret = crypto_acomp_decompress(req);
	return vaal_crypto_submitted(ret);
}

static void vaal_crypto_comp_finish(struct vaal_crypto_unit *u, int err)
{
	struct acomp_req *req = u->req;
	u64 res_len;

	if (!req)
		return;
	if (!err)
		put_unaligned_le64(req->dlen,
				   vaal_work_arg(u->vw, 2, &res_len));
	acomp_request_free(req);
}

const struct vaal_crypto_type vaal_crypto_comp_type = {
	.nr_args	= 3,
	.modes		= { VAAL_ARG_IN, VAAL_ARG_OUT, VAAL_ARG_OUT },
	.scalar_bytes	= sizeof(struct vaal_crypto_comp_scalars),
	.per_unit	= false,
	.alloc		= vaal_crypto_comp_alloc,
	.free		= vaal_crypto_comp_free,
	.submit		= vaal_crypto_comp_submit,
	.finish		= vaal_crypto_comp_finish,
};
