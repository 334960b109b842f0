// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_crypto_test.c - the crypto-API controller (vaal_crypto.ko): hashes
 * checked against known answers and a reference SHA-256 computed here, the
 * GCM test vector encrypted and decrypted, compression round trips, many
 * launches in flight at once, the launches the controller refuses
 * (signatures that do not fit the algorithm, bad scalars and lengths,
 * unknown algorithms), a launch past its deadline, and unloading the
 * controller with launches in flight.  $VCORE_SUITE names the build tree
 * holding the modules.
 */
#include <endian.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../tools/lib/libvaal.h"
#include "../lib/vaal_launch.h"
#include "kselftest_harness.h"

#define WAIT_NS		(60 * 1000000000ULL)
#define MAX_BUFS	8
#define CRYPTO_KO	"kernel/vaal_crypto/vaal_crypto.ko"

/* The scalars of the controller's launches (kernel/vaal_crypto/vaal_crypto.h). */
struct aead_scalars {
	__u8 iv[16];
	__u32 assoclen;
	__u8 op;
	__u8 authsize;
	__u16 reserved;
};

struct comp_scalars {
	__u32 op;
};

#define OP_ENCRYPT	0
#define OP_DECRYPT	1
#define OP_COMPRESS	0
#define OP_DECOMPRESS	1

static const __u8 hash_modes[] = { VAAL_ARG_IN, VAAL_ARG_OUT };
static const __u8 aead_modes[] = { VAAL_ARG_IN, VAAL_ARG_OUT, VAAL_ARG_IN };
static const __u8 comp_modes[] = { VAAL_ARG_IN, VAAL_ARG_OUT, VAAL_ARG_OUT };

/* SHA-256 (FIPS 180-4), the reference. */
static const __u32 sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static __u32 ror(__u32 x, int n)
{
	return x >> n | x << (32 - n);
}

static void sha256_block(__u32 h[8], const __u8 *p)
{
	__u32 w[64], a, b, c, d, e, f, g, k, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (__u32)p[4 * i] << 24 | p[4 * i + 1] << 16 |
		       p[4 * i + 2] << 8 | p[4 * i + 3];
	for (i = 16; i < 64; i++)
		w[i] = w[i - 16] + w[i - 7] +
		       (ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ w[i - 15] >> 3) +
		       (ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ w[i - 2] >> 10);
	a = h[0]; b = h[1]; c = h[2]; d = h[3];
	e = h[4]; f = h[5]; g = h[6]; k = h[7];
	for (i = 0; i < 64; i++) {
		t1 = k + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) +
		     ((e & f) ^ (~e & g)) + sha256_k[i] + w[i];
		t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) +
		     ((a & b) ^ (a & c) ^ (b & c));
		k = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d;
	h[4] += e; h[5] += f; h[6] += g; h[7] += k;
}

static void sha256_ref(const void *data, size_t len, __u8 out[32])
{
	__u32 h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	const __u8 *p = data;
	__u8 tail[128] = { 0 };
	size_t rest = len % 64, n, i;
	__u64 bits = (__u64)len * 8;

	for (n = 0; n + 64 <= len; n += 64)
		sha256_block(h, p + n);
	memcpy(tail, p + n, rest);
	tail[rest] = 0x80;
	n = rest < 56 ? 64 : 128;
	for (i = 0; i < 8; i++)
		tail[n - 1 - i] = bits >> (8 * i);
	sha256_block(h, tail);
	if (n == 128)
		sha256_block(h, tail + 64);
	for (i = 0; i < 32; i++)
		out[i] = h[i / 4] >> (24 - 8 * (i % 4));
}

static int nibble(char c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* Bytes from hex, into @out. */
static void unhex(const char *hex, __u8 *out)
{
	for (; hex[0] && hex[1]; hex += 2)
		*out++ = nibble(hex[0]) << 4 | nibble(hex[1]);
}

static __u32 rnd_state = 0x9e3779b9;

static __u32 rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* Text-like bytes: compressible, yet not trivially. */
static void fill_text(void *p, size_t len)
{
	static const char *const words[] = {
		"vaal ", "crypto ", "deflate ", "ring ", "unit ", "kernel ",
		"launch ", "buffer ", "page ", "scatter ", "gather ", "\n",
	};
	char *b = p, *end = b + len;
	const char *w;

	while (b < end) {
		w = words[rnd() % 12];
		while (*w && b < end)
			*b++ = *w++;
	}
}

struct crypto_ctx {
	int fd;
	struct vaal_ring r;
	struct vaal_buffer buf[MAX_BUFS];
	int nr_bufs;
	__u64 user_data;
};

FIXTURE(crypto) {
	struct crypto_ctx c;
};

FIXTURE_SETUP(crypto)
{
	struct stat st;

	self->c.fd = -1;
	if (stat("/sys/module/vaal_crypto", &st))
		SKIP(return, "vaal_crypto is not loaded");
	self->c.fd = vaal_open(NULL);
	ASSERT_LE(0, self->c.fd);
	ASSERT_EQ(0, vaal_ring_init(self->c.fd, 64, 0, &self->c.r));
}

FIXTURE_TEARDOWN(crypto)
{
	int i;

	if (self->c.fd < 0)
		return;
	for (i = 0; i < self->c.nr_bufs; i++)
		vaal_buf_destroy(self->c.fd, &self->c.buf[i]);
	vaal_ring_exit(&self->c.r);
	close(self->c.fd);
}

/* A new zeroed buffer of @len bytes, mapped. */
static struct vaal_buffer *new_buf(struct crypto_ctx *c, size_t len)
{
	struct vaal_buffer *b = &c->buf[c->nr_bufs];

	if (c->nr_bufs == MAX_BUFS)
		return NULL;
	if (vaal_buf_create(c->fd, len, b) || vaal_buf_map(c->fd, b))
		return NULL;
	c->nr_bufs++;
	return b;
}

static __u32 reg(int fd, const char *name, const __u8 *modes,
		 unsigned int nr_args, unsigned int scalar_bytes)
{
	__u32 id = 0;

	if (vaal_kernel_register(fd, "crypto", name, modes, nr_args,
				 scalar_bytes, NULL, 0, &id))
		return 0;
	return id;
}

#define arg(b, len, offset)	vaal_test_arg(b, len, offset)

static int reap(struct vaal_ring *r, struct vaal_cqe *out)
{
	return vaal_test_reap(r, WAIT_NS, out);
}

/* One launch, waited for: its res, or INT_MIN. */
static int launch(struct crypto_ctx *c, __u32 id,
		  const struct vaal_sqe_arg *args, const __u8 *modes,
		  unsigned int nr_args, const void *scalars,
		  unsigned int scalar_bytes)
{
	return vaal_test_launch(&c->r, &c->user_data, id, args, modes, nr_args,
				scalars, scalar_bytes, WAIT_NS);
}

/* Digest @len bytes at @off of @data with @name into @out's start. */
static int hash(struct crypto_ctx *c, __u32 id, struct vaal_buffer *data,
		__u64 off, __u32 len, struct vaal_buffer *out, __u32 out_len)
{
	struct vaal_sqe_arg a[2] = { arg(data, len, off), arg(out, out_len, 0) };

	return launch(c, id, a, hash_modes, 2, NULL, 0);
}

TEST(sha256_reference)
{
	__u8 want[32], got[32];

	unhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	      want);
	sha256_ref("abc", 3, got);
	EXPECT_EQ(0, memcmp(want, got, 32));
	unhex("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
	      want);
	sha256_ref("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		   56, got);
	EXPECT_EQ(0, memcmp(want, got, 32));
}

TEST_F(crypto, sha256_abc)
{
	struct vaal_buffer *data = new_buf(&self->c, 4096);
	struct vaal_buffer *out = new_buf(&self->c, 4096);
	__u32 id = reg(self->c.fd, "sha256", hash_modes, 2, 0);
	__u8 want[32];

	ASSERT_NE(NULL, out);
	ASSERT_NE(0, id);
	unhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	      want);
	memcpy(data->map, "abc", 3);
	memset(out->map, 0xee, 64);
	ASSERT_EQ(0, hash(&self->c, id, data, 0, 3, out, 32));
	EXPECT_EQ(0, memcmp(want, out->map, 32));
	/* A longer output range: the digest at its start, the rest kept. */
	memset(out->map, 0xee, 64);
	ASSERT_EQ(0, hash(&self->c, id, data, 0, 3, out, 64));
	EXPECT_EQ(0, memcmp(want, out->map, 32));
	EXPECT_EQ(0xee, ((__u8 *)out->map)[32]);
	/* Too short for the digest. */
	EXPECT_EQ(-EINVAL, hash(&self->c, id, data, 0, 3, out, 31));
}

/* 1 MiB, at an offset that is not page aligned, against the reference. */
TEST_F(crypto, sha256_1mib)
{
	const size_t len = 1 << 20, off = 1000;
	struct vaal_buffer *data = new_buf(&self->c, len + 4096);
	struct vaal_buffer *out = new_buf(&self->c, 4096);
	__u32 id = reg(self->c.fd, "sha256", hash_modes, 2, 0);
	__u8 want[32];
	size_t i;

	ASSERT_NE(NULL, out);
	ASSERT_NE(0, id);
	for (i = 0; i < len; i++)
		((__u8 *)data->map)[off + i] = i * 7 + (i >> 12);
	sha256_ref((__u8 *)data->map + off, len, want);
	ASSERT_EQ(0, hash(&self->c, id, data, off, len, out, 32));
	EXPECT_EQ(0, memcmp(want, out->map, 32));
}

/* Other hashes the kernel has, by their known answers. */
TEST_F(crypto, other_hashes)
{
	static const struct {
		const char *name, *msg, *digest;
	} kat[] = {
		{ "sha1", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d" },
		{ "sha512", "abc",
		  "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
		},
		{ "crc32c", "123456789", "839206e3" },
	};
	struct vaal_buffer *data = new_buf(&self->c, 4096);
	struct vaal_buffer *out = new_buf(&self->c, 4096);
	__u8 want[64];
	size_t n;
	__u32 id;
	int i;

	ASSERT_NE(NULL, out);
	for (i = 0; i < ARRAY_SIZE(kat); i++) {
		id = reg(self->c.fd, kat[i].name, hash_modes, 2, 0);
		ASSERT_NE(0, id);
		n = strlen(kat[i].digest) / 2;
		unhex(kat[i].digest, want);
		memcpy(data->map, kat[i].msg, strlen(kat[i].msg));
		ASSERT_EQ(0, hash(&self->c, id, data, 0, strlen(kat[i].msg),
				  out, n)) TH_LOG("%s", kat[i].name);
		EXPECT_EQ(0, memcmp(want, out->map, n)) TH_LOG("%s", kat[i].name);
	}
}

/* Many launches in flight at once, more than the controller has units. */
TEST_F(crypto, sha256_many_in_flight)
{
	const unsigned int n = 24, chunk = 40000;
	struct vaal_buffer *data = new_buf(&self->c, n * chunk);
	struct vaal_buffer *out = new_buf(&self->c, n * 32);
	__u32 id = reg(self->c.fd, "sha256", hash_modes, 2, 0);
	struct vaal_sqe_arg a[2];
	struct vaal_cqe cqe;
	__u8 want[32];
	unsigned int i;

	ASSERT_NE(NULL, out);
	ASSERT_NE(0, id);
	for (i = 0; i < n * chunk; i++)
		((__u8 *)data->map)[i] = rnd();
	for (i = 0; i < n; i++) {
		a[0] = arg(data, chunk, i * chunk);
		a[1] = arg(out, 32, i * 32);
		ASSERT_EQ(0, vaal_queue_launch(&self->c.r, id, a, hash_modes, 2,
					       NULL, 0, 1000 + i));
	}
	ASSERT_EQ(n, vaal_submit(&self->c.r));
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, reap(&self->c.r, &cqe));
		EXPECT_EQ(0, cqe.res);
		EXPECT_LE(1000, cqe.user_data);
		EXPECT_GT(1000 + n, cqe.user_data);
		EXPECT_NE(0, cqe.controller);
	}
	for (i = 0; i < n; i++) {
		sha256_ref((__u8 *)data->map + i * chunk, chunk, want);
		EXPECT_EQ(0, memcmp(want, (__u8 *)out->map + i * 32, 32))
			TH_LOG("launch %u", i);
	}
}

/* The GCM specification's test case 4: AES-128, 20 bytes of AD, 60 of text. */
#define GCM_KEY		"feffe9928665731c6d6a8f9467308308"
#define GCM_IV		"cafebabefacedbaddecaf888"
#define GCM_AD		"feedfacedeadbeeffeedfacedeadbeefabaddad2"
#define GCM_PT		"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da" \
			"2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525" \
			"b16aedf5aa0de657ba637b39"
#define GCM_CT		"42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e0" \
			"35c17e2329aca12e21d514b25466931c7d8f6a5aac84aa05" \
			"1ba30b396a0aac973d58e091"
#define GCM_TAG		"5bc94fbc3221a5db94fae95ae7121a47"

FIXTURE(gcm) {
	struct crypto_ctx c;
	struct vaal_buffer *src, *dst, *back, *key;
	__u32 id;
	struct aead_scalars s;
	__u8 ad[20], pt[60], ct[60], tag[16];
};

FIXTURE_SETUP(gcm)
{
	struct stat st;

	self->c.fd = -1;
	if (stat("/sys/module/vaal_crypto", &st))
		SKIP(return, "vaal_crypto is not loaded");
	self->c.fd = vaal_open(NULL);
	ASSERT_LE(0, self->c.fd);
	ASSERT_EQ(0, vaal_ring_init(self->c.fd, 64, 0, &self->c.r));
	self->src = new_buf(&self->c, 4096);
	self->dst = new_buf(&self->c, 4096);
	self->back = new_buf(&self->c, 4096);
	self->key = new_buf(&self->c, 4096);
	ASSERT_NE(NULL, self->key);
	self->id = reg(self->c.fd, "gcm(aes)", aead_modes, 3,
		       sizeof(struct aead_scalars));
	ASSERT_NE(0, self->id);
	unhex(GCM_AD, self->ad);
	unhex(GCM_PT, self->pt);
	unhex(GCM_CT, self->ct);
	unhex(GCM_TAG, self->tag);
	unhex(GCM_KEY, self->key->map);
	memset(&self->s, 0, sizeof(self->s));
	unhex(GCM_IV, self->s.iv);
	self->s.assoclen = 20;
	memcpy(self->src->map, self->ad, 20);
	memcpy((__u8 *)self->src->map + 20, self->pt, 60);
}

FIXTURE_TEARDOWN(gcm)
{
	int i;

	if (self->c.fd < 0)
		return;
	for (i = 0; i < self->c.nr_bufs; i++)
		vaal_buf_destroy(self->c.fd, &self->c.buf[i]);
	vaal_ring_exit(&self->c.r);
	close(self->c.fd);
}

static int gcm_run(struct crypto_ctx *c, __u32 id, struct vaal_buffer *in,
		   __u32 in_len, struct vaal_buffer *out, __u32 out_len,
		   struct vaal_buffer *key, __u32 key_len,
		   const struct aead_scalars *s)
{
	struct vaal_sqe_arg a[3] = {
		arg(in, in_len, 0), arg(out, out_len, 0), arg(key, key_len, 0),
	};

	return launch(c, id, a, aead_modes, 3, s, sizeof(*s));
}

TEST_F(gcm, encrypt_decrypt)
{
	__u8 *dst = self->dst->map, *back = self->back->map;

	self->s.op = OP_ENCRYPT;
	ASSERT_EQ(0, gcm_run(&self->c, self->id, self->src, 80, self->dst, 96,
			     self->key, 16, &self->s));
	EXPECT_EQ(0, memcmp(dst, self->ad, 20));
	EXPECT_EQ(0, memcmp(dst + 20, self->ct, 60));
	EXPECT_EQ(0, memcmp(dst + 80, self->tag, 16));

	self->s.op = OP_DECRYPT;
	ASSERT_EQ(0, gcm_run(&self->c, self->id, self->dst, 96, self->back, 80,
			     self->key, 16, &self->s));
	EXPECT_EQ(0, memcmp(back, self->ad, 20));
	EXPECT_EQ(0, memcmp(back + 20, self->pt, 60));

	/* A tag cut to 12 bytes. */
	self->s.op = OP_ENCRYPT;
	self->s.authsize = 12;
	ASSERT_EQ(0, gcm_run(&self->c, self->id, self->src, 80, self->dst, 92,
			     self->key, 16, &self->s));
	EXPECT_EQ(0, memcmp(dst + 80, self->tag, 12));
	self->s.op = OP_DECRYPT;
	memset(back, 0, 80);
	ASSERT_EQ(0, gcm_run(&self->c, self->id, self->dst, 92, self->back, 80,
			     self->key, 16, &self->s));
	EXPECT_EQ(0, memcmp(back + 20, self->pt, 60));
}

TEST_F(gcm, tampered)
{
	__u8 *dst = self->dst->map;

	self->s.op = OP_ENCRYPT;
	ASSERT_EQ(0, gcm_run(&self->c, self->id, self->src, 80, self->dst, 96,
			     self->key, 16, &self->s));
	self->s.op = OP_DECRYPT;
	dst[30] ^= 1;	/* the ciphertext */
	EXPECT_EQ(-EBADMSG, gcm_run(&self->c, self->id, self->dst, 96,
				    self->back, 80, self->key, 16, &self->s));
	dst[30] ^= 1;
	dst[5] ^= 1;	/* the associated data */
	EXPECT_EQ(-EBADMSG, gcm_run(&self->c, self->id, self->dst, 96,
				    self->back, 80, self->key, 16, &self->s));
	dst[5] ^= 1;
	EXPECT_EQ(0, gcm_run(&self->c, self->id, self->dst, 96, self->back, 80,
			     self->key, 16, &self->s));
}

TEST_F(gcm, refused)
{
	struct aead_scalars s;

	self->s.op = OP_ENCRYPT;
	/* Key lengths AES does not have. */
	EXPECT_EQ(-EINVAL, gcm_run(&self->c, self->id, self->src, 80,
				   self->dst, 96, self->key, 15, &self->s));
	EXPECT_EQ(-EINVAL, gcm_run(&self->c, self->id, self->src, 80,
				   self->dst, 96, self->key, 4096, &self->s));
	/* Output too short for the tag. */
	EXPECT_EQ(-EINVAL, gcm_run(&self->c, self->id, self->src, 80,
				   self->dst, 95, self->key, 16, &self->s));
	/* AD longer than the input. */
	s = self->s;
	s.assoclen = 81;
	EXPECT_EQ(-EINVAL, gcm_run(&self->c, self->id, self->src, 80,
				   self->dst, 200, self->key, 16, &s));
	/* Operation, tag size, reserved bytes, IV bytes past the IV size. */
	s = self->s;
	s.op = 2;
	EXPECT_EQ(-EINVAL, gcm_run(&self->c, self->id, self->src, 80,
				   self->dst, 96, self->key, 16, &s));
	s = self->s;
	s.authsize = 5;
	EXPECT_EQ(-EINVAL, gcm_run(&self->c, self->id, self->src, 80,
				   self->dst, 96, self->key, 16, &s));
	s = self->s;
	s.reserved = 1;
	EXPECT_EQ(-EINVAL, gcm_run(&self->c, self->id, self->src, 80,
				   self->dst, 96, self->key, 16, &s));
	s = self->s;
	s.iv[12] = 1;
	EXPECT_EQ(-EINVAL, gcm_run(&self->c, self->id, self->src, 80,
				   self->dst, 96, self->key, 16, &s));
	/* Decryption of less than a tag. */
	s = self->s;
	s.op = OP_DECRYPT;
	EXPECT_EQ(-EINVAL, gcm_run(&self->c, self->id, self->src, 35,
				   self->dst, 96, self->key, 16, &s));
	/* Input and output overlapping. */
	EXPECT_EQ(-EINVAL, gcm_run(&self->c, self->id, self->src, 80,
				   self->src, 96, self->key, 16, &self->s));
	/* Still works. */
	EXPECT_EQ(0, gcm_run(&self->c, self->id, self->src, 80, self->dst, 96,
			     self->key, 16, &self->s));
}

static int comp_run(struct crypto_ctx *c, __u32 id, struct vaal_buffer *in,
		    __u32 in_len, struct vaal_buffer *out, __u32 out_len,
		    struct vaal_buffer *res, __u32 op)
{
	struct comp_scalars s = { .op = op };
	struct vaal_sqe_arg a[3] = {
		arg(in, in_len, 0), arg(out, out_len, 0), arg(res, 8, 0),
	};

	return launch(c, id, a, comp_modes, 3, &s, sizeof(s));
}

static void comp_round_trip(struct __test_metadata *_metadata,
			    struct crypto_ctx *c, const char *name)
{
	const size_t len = 64 * 1024;
	struct vaal_buffer *src = new_buf(c, len);
	struct vaal_buffer *z = new_buf(c, len + 4096);
	struct vaal_buffer *back = new_buf(c, len + 4096);
	struct vaal_buffer *res = new_buf(c, 4096);
	__u32 id = reg(c->fd, name, comp_modes, 3, sizeof(struct comp_scalars));
	struct comp_scalars s = { .op = OP_COMPRESS };
	struct vaal_sqe_arg a[3];
	__u64 zlen, blen;

	ASSERT_NE(NULL, res);
	ASSERT_NE(0, id);
	fill_text(src->map, len);
	ASSERT_EQ(0, comp_run(c, id, src, len, z, len + 4096, res,
			      OP_COMPRESS));
	zlen = le64toh(*(__u64 *)res->map);
	EXPECT_LT(0, zlen);
	EXPECT_GT(len / 2, zlen) TH_LOG("%s: %llu", name, (unsigned long long)zlen);
	ASSERT_EQ(0, comp_run(c, id, z, zlen, back, len + 4096, res,
			      OP_DECOMPRESS));
	blen = le64toh(*(__u64 *)res->map);
	EXPECT_EQ(len, blen);
	EXPECT_EQ(0, memcmp(src->map, back->map, len));
	/* Room for less than the whole. */
	EXPECT_NE(0, comp_run(c, id, z, zlen, back, len / 2, res,
			      OP_DECOMPRESS));
	/* Refused: operation, result argument, overlap. */
	EXPECT_EQ(-EINVAL, comp_run(c, id, src, len, z, len, res, 2));
	a[0] = arg(src, len, 0);
	a[1] = arg(z, len, 0);
	a[2] = arg(res, 7, 0);
	EXPECT_EQ(-EINVAL, launch(c, id, a, comp_modes, 3, &s, sizeof(s)));
	a[1] = arg(src, 100, len - 100);
	a[2] = arg(res, 8, 0);
	EXPECT_EQ(-EINVAL, launch(c, id, a, comp_modes, 3, &s, sizeof(s)));
}

TEST_F(crypto, deflate_round_trip)
{
	comp_round_trip(_metadata, &self->c, "deflate");
}

TEST_F(crypto, lzo_round_trip)
{
	comp_round_trip(_metadata, &self->c, "lzo");
}

/* Register @name with a signature, launch it once, unregister it. */
static int try_sig(struct crypto_ctx *c, const char *name, const __u8 *modes,
		   unsigned int nr_args, const struct vaal_sqe_arg *args,
		   const void *scalars, unsigned int scalar_bytes)
{
	__u32 id = reg(c->fd, name, modes, nr_args, scalar_bytes);
	int ret;

	if (!id)
		return INT_MIN;
	ret = launch(c, id, args, modes, nr_args, scalars, scalar_bytes);
	if (vaal_kernel_unregister(c->fd, id))
		return INT_MIN;
	return ret;
}

/* Launches whose signature does not fit the algorithm, unknown names. */
TEST_F(crypto, refused)
{
	static const __u8 in_out_in[] = { VAAL_ARG_IN, VAAL_ARG_OUT, VAAL_ARG_IN };
	static const __u8 out_out[] = { VAAL_ARG_OUT, VAAL_ARG_OUT };
	static const __u8 in_in[] = { VAAL_ARG_IN, VAAL_ARG_IN };
	static const __u8 inout_inout[] = { VAAL_ARG_INOUT, VAAL_ARG_INOUT };
	struct vaal_buffer *data = new_buf(&self->c, 4096);
	struct vaal_buffer *out = new_buf(&self->c, 4096);
	struct vaal_sqe_arg a[3] = {
		arg(data, 3, 0), arg(out, 64, 0), arg(data, 16, 100),
	};
	__u8 sc[24] = { 0 };
	struct crypto_ctx *c = &self->c;

	ASSERT_NE(NULL, out);
	/* sha256 with three arguments, with scalars, with wrong modes. */
	EXPECT_EQ(-EINVAL, try_sig(c, "sha256", in_out_in, 3, a, NULL, 0));
	EXPECT_EQ(-EINVAL, try_sig(c, "sha256", hash_modes, 2, a, sc, 8));
	EXPECT_EQ(-EINVAL, try_sig(c, "sha256", out_out, 2, a, NULL, 0));
	EXPECT_EQ(-EINVAL, try_sig(c, "sha256", in_in, 2, a, NULL, 0));
	/* In-out arguments give what in and out need. */
	EXPECT_EQ(0, try_sig(c, "sha256", inout_inout, 2, a, NULL, 0));
	/* An AEAD and a compressor with a hash's signature, and back. */
	EXPECT_EQ(-EINVAL, try_sig(c, "gcm(aes)", hash_modes, 2, a, NULL, 0));
	EXPECT_EQ(-EINVAL, try_sig(c, "deflate", hash_modes, 2, a, NULL, 0));
	EXPECT_EQ(-EINVAL, try_sig(c, "sha256", aead_modes, 3, a, sc, 24));
	EXPECT_EQ(-EINVAL, try_sig(c, "deflate", aead_modes, 3, a, sc, 24));
	/* A keyed hash: the signature has no key. */
	EXPECT_EQ(-EINVAL, try_sig(c, "hmac(sha256)", hash_modes, 2, a, NULL, 0));
	/* Unknown algorithms, of every signature. */
	EXPECT_EQ(-ENOENT, try_sig(c, "no_such_alg", hash_modes, 2, a, NULL, 0));
	EXPECT_EQ(-ENOENT, try_sig(c, "gcm(no_such_cipher)", aead_modes, 3, a,
				   sc, 24));
	EXPECT_EQ(-ENOENT, try_sig(c, "no_such_alg", comp_modes, 3, a, sc, 4));
	/* Still works. */
	EXPECT_EQ(0, try_sig(c, "sha256", hash_modes, 2, a, NULL, 0));
}

/* A launch past its deadline completes with -ETIMEDOUT; the unit comes back. */
TEST_F(crypto, deadline)
{
	const size_t len = 16 << 20;
	struct vaal_buffer *data = new_buf(&self->c, len);
	struct vaal_buffer *out = new_buf(&self->c, 4096);
	struct vaal_kernel_desc d = {
		.class = "crypto",
		.name = "sha256",
		.nr_args = 2,
		.arg_mode = hash_modes,
		.timeout_ns = 1,
	};
	struct vaal_sqe_arg a[2];
	__u8 want[32];
	__u32 id = 0;
	int i;

	ASSERT_NE(NULL, out);
	ASSERT_EQ(0, vaal_kernel_register_desc(self->c.fd, &d, &id));
	a[0] = arg(data, len, 0);
	a[1] = arg(out, 32, 0);
	EXPECT_EQ(-ETIMEDOUT, launch(&self->c, id, a, hash_modes, 2,
				     NULL, 0));
	ASSERT_EQ(0, vaal_kernel_unregister(self->c.fd, id));
	/* Every unit serves launches again, the late one's included. */
	memcpy(data->map, "abc", 3);
	unhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	      want);
	d.timeout_ns = 0;
	ASSERT_EQ(0, vaal_kernel_register_desc(self->c.fd, &d, &id));
	a[0] = arg(data, 3, 0);
	for (i = 0; i < 8; i++) {
		memset(out->map, 0, 32);
		ASSERT_EQ(0, launch(&self->c, id, a, hash_modes, 2, NULL, 0));
		EXPECT_EQ(0, memcmp(want, out->map, 32));
	}
}

static int crypto_loaded(void)
{
	struct stat st;

	return !stat("/sys/module/vaal_crypto", &st);
}

/* Load vaal_crypto with @params (unloading it first); 0 or -errno. */
static int crypto_load(const char *params)
{
	const char *dir = getenv("VCORE_SUITE");
	char path[PATH_MAX];
	int fd, ret;

	if (!dir)
		return -ENOENT;
	if (crypto_loaded() &&
	    syscall(SYS_delete_module, "vaal_crypto", O_NONBLOCK))
		return -errno;
	snprintf(path, sizeof(path), "%s/%s", dir, CRYPTO_KO);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

FIXTURE(reload) {
	struct crypto_ctx c;
};

FIXTURE_SETUP(reload)
{
	self->c.fd = -1;
	if (!getenv("VCORE_SUITE"))
		SKIP(return, "VCORE_SUITE not set");
	if (!crypto_loaded())
		SKIP(return, "vaal_crypto is not loaded");
	self->c.fd = vaal_open(NULL);
	ASSERT_LE(0, self->c.fd);
	ASSERT_EQ(0, vaal_ring_init(self->c.fd, 64, 0, &self->c.r));
}

FIXTURE_TEARDOWN(reload)
{
	int i;

	if (self->c.fd < 0)
		return;
	for (i = 0; i < self->c.nr_bufs; i++)
		vaal_buf_destroy(self->c.fd, &self->c.buf[i]);
	vaal_ring_exit(&self->c.r);
	close(self->c.fd);
	EXPECT_EQ(0, crypto_load(""));
}

/* Unloading waits for the launches started; the queued ones fail. */
TEST_F(reload, unload_in_flight)
{
	const unsigned int n = 16, chunk = 512 * 1024;
	struct vaal_buffer *data = new_buf(&self->c, n * chunk);
	struct vaal_buffer *out = new_buf(&self->c, 4096);
	__u32 id = reg(self->c.fd, "sha256", hash_modes, 2, 0);
	struct vaal_sqe_arg a[2];
	struct vaal_cqe cqe;
	unsigned int i, done = 0;

	ASSERT_NE(NULL, out);
	ASSERT_NE(0, id);
	for (i = 0; i < n; i++) {
		a[0] = arg(data, chunk, i * chunk);
		a[1] = arg(out, 32, i * 32);
		ASSERT_EQ(0, vaal_queue_launch(&self->c.r, id, a, hash_modes, 2,
					       NULL, 0, i));
	}
	ASSERT_EQ(n, vaal_submit(&self->c.r));
	ASSERT_EQ(0, syscall(SYS_delete_module, "vaal_crypto", O_NONBLOCK));
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, reap(&self->c.r, &cqe));
		if (!cqe.res)
			done++;
		else
			EXPECT_TRUE(cqe.res == -EIO || cqe.res == -ECANCELED)
				TH_LOG("res %d", cqe.res);
	}
	TH_LOG("%u of %u completed before the unload", done, n);
	/* No controller serves the class now. */
	a[0] = arg(data, 3, 0);
	a[1] = arg(out, 32, 0);
	EXPECT_EQ(-ENODEV, launch(&self->c, id, a, hash_modes, 2, NULL, 0));
	ASSERT_EQ(0, crypto_load(""));
	EXPECT_EQ(0, launch(&self->c, id, a, hash_modes, 2, NULL, 0));
}

TEST_F(reload, units_param)
{
	struct vaal_buffer *data = new_buf(&self->c, 4096);
	struct vaal_buffer *out = new_buf(&self->c, 4096);
	__u32 id = reg(self->c.fd, "sha256", hash_modes, 2, 0);
	struct vaal_sqe_arg a[2] = { arg(data, 3, 0), arg(out, 32, 0) };
	__u8 want[32];

	ASSERT_NE(NULL, out);
	ASSERT_NE(0, id);
	EXPECT_EQ(-EINVAL, crypto_load("units=0"));
	EXPECT_EQ(-EINVAL, crypto_load("units=257"));
	ASSERT_EQ(0, crypto_load("units=1"));
	memcpy(data->map, "abc", 3);
	unhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	      want);
	EXPECT_EQ(0, launch(&self->c, id, a, hash_modes, 2, NULL, 0));
	EXPECT_EQ(0, memcmp(want, out->map, 32));
	ASSERT_EQ(0, crypto_load("units=256"));
	memset(out->map, 0, 32);
	EXPECT_EQ(0, launch(&self->c, id, a, hash_modes, 2, NULL, 0));
	EXPECT_EQ(0, memcmp(want, out->map, 32));
}

TEST_HARNESS_MAIN
