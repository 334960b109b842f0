// SPDX-License-Identifier: GPL-2.0
/*
 * np_classify.c - the classify stage: forwarding table, rx modes, multicast
 * filters (see np_classify.h)
 *
 * Keys are MAC addresses as little-endian 48-bit numbers, the VLAN id above
 * them; a key never leaves this file.
 */
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <asm/byteorder.h>

#include "np_classify.h"

#define NP_CLS_MASK		(NP_CLS_SLOTS - 1)
#define NP_CLS_BCAST		0xffffffffffffULL
#define NP_CLS_VID_SHIFT	48
/* The &np_cls_vif.tx_vid of a VIF that does not exist: no frame has it. */
#define NP_CLS_NO_VID		0xffffU

/*
 * A MAC address as a key: its bytes in little-endian order, 48 bits.  In a
 * frame, one load of 8 bytes (the source address follows) and a mask.
 */
static u64 np_cls_frame_mac(const u8 *p)
{
	__le64 word;

	memcpy(&word, p, sizeof(word));
	return __le64_to_cpu(word) & NP_CLS_BCAST;
}

static u64 np_cls_mac(const u8 *mac)
{
	u64 key = 0;
	unsigned int i;

	for (i = 0; i < NP_ABI_MAC_LEN; i++)
		key |= (u64)mac[i] << (8 * i);
	return key;
}

/* Fibonacci hashing: the top bits of the key times 2^64 / phi. */
static u32 np_cls_hash(u64 key)
{
	return (key * 0x9e3779b97f4a7c15ULL) >> (64 - NP_CLS_BITS);
}

/* The slot holding @key, or the free slot that ends its probe sequence. */
static u32 np_cls_find(const struct np_classify *cls, u64 key)
{
	u32 i = np_cls_hash(key);

	while (cls->table[i].key && cls->table[i].key != key)
		i = (i + 1) & NP_CLS_MASK;
	return i;
}

static u32 np_cls_lookup(const struct np_classify *cls, u64 key)
{
	const struct np_cls_slot *slot = &cls->table[np_cls_find(cls, key)];

	return slot->key ? slot->vif : NP_VIF_NONE;
}

/*
 * Remove @key, then close the hole: an entry after it in the same cluster
 * moves into the hole unless its home slot lies cyclically in (hole, entry],
 * where the probe for it would stop before reaching the hole.
 */
static void np_cls_erase(struct np_classify *cls, u64 key)
{
	u32 hole = np_cls_find(cls, key), j = hole, home;

	for (;;) {
		j = (j + 1) & NP_CLS_MASK;
		if (!cls->table[j].key)
			break;
		home = np_cls_hash(cls->table[j].key);
		if (((j - home) & NP_CLS_MASK) >= ((j - hole) & NP_CLS_MASK)) {
			cls->table[hole] = cls->table[j];
			hole = j;
		}
	}
	cls->table[hole].key = 0;
}

static u64 np_cls_cfg_key(const struct np_vif_cfg *cfg)
{
	u64 vid = cfg->vlan == NP_VLAN_NONE ? 0 : cfg->vlan;

	return np_cls_mac(cfg->mac) | vid << NP_CLS_VID_SHIFT;
}

/**
 * np_classify_init - an empty classifier
 * @cls: the classifier
 */
void np_classify_init(struct np_classify *cls)
{
	unsigned int i;

	memset(cls, 0, sizeof(*cls));
	for (i = 0; i < NP_MAX_VIFS; i++)
		cls->vif[i].tx_vid = NP_CLS_NO_VID;
}

/**
 * np_classify_check - whether a VIF configuration is acceptable
 * @cfg: the configuration; its MTU is not looked at
 *
 * Return: 0, or -EINVAL for a multicast or all-zero address, a VLAN id
 * neither from 1 to 4094 nor %NP_VLAN_NONE, or an unknown rx mode bit.
 */
int np_classify_check(const struct np_vif_cfg *cfg)
{
	static const u8 zero[NP_ABI_MAC_LEN];

	if ((cfg->mac[0] & 1) || !memcmp(cfg->mac, zero, sizeof(zero)))
		return -EINVAL;
	if (cfg->vlan != NP_VLAN_NONE && (!cfg->vlan || cfg->vlan >= NP_VLAN_IDS - 1))
		return -EINVAL;
	if (cfg->rx_mode & ~NP_RX_MODES)
		return -EINVAL;
	return 0;
}

static void np_cls_put(struct np_vifset *s, unsigned int vif, bool in)
{
	if (in)
		np_vifset_add(s, vif);
	else
		np_vifset_del(s, vif);
}

/* Bring the sets in line with what the VIF is now (nowhere if unused). */
static void np_cls_sets(struct np_classify *cls, unsigned int vif)
{
	const struct np_cls_vif *cv = &cls->vif[vif];
	bool on = cv->used, many = cv->nr_mcast > NP_MCAST_MAX;

	np_cls_put(&cls->promisc, vif, on && (cv->rx_mode & NP_RX_PROMISC));
	np_cls_put(&cls->allmulti, vif,
		   on && ((cv->rx_mode & NP_RX_ALLMULTI) || many));
	np_cls_put(&cls->bcast, vif, on && (cv->rx_mode & NP_RX_BROADCAST));
	np_cls_put(&cls->mfilter, vif, on && cv->nr_mcast && !many);
	np_cls_put(&cls->vlan[cv->vid], vif, on);
}

static void np_cls_link(struct np_classify *cls, unsigned int vif,
			const struct np_vif_cfg *cfg, u64 key)
{
	struct np_cls_vif *cv = &cls->vif[vif];
	u32 slot = np_cls_find(cls, key);

	cls->table[slot].key = key;
	cls->table[slot].vif = vif;
	cv->key = key;
	cv->vid = key >> NP_CLS_VID_SHIFT;
	cv->tx_vid = cv->vid;
	cv->rx_mode = cfg->rx_mode;
	cv->used = true;
	np_cls_sets(cls, vif);
}

static void np_cls_unlink(struct np_classify *cls, unsigned int vif)
{
	struct np_cls_vif *cv = &cls->vif[vif];

	cv->used = false;
	cv->tx_vid = NP_CLS_NO_VID;
	np_cls_sets(cls, vif);
	np_cls_erase(cls, cv->key);
}

/**
 * np_classify_add - a new VIF, with an empty multicast filter
 * @cls: the classifier
 * @vif: its id
 * @cfg: its configuration (np_classify_check())
 *
 * Return: 0; -EINVAL for an id from %NP_MAX_VIFS on or a bad @cfg; -EEXIST
 * when @vif exists; -EADDRINUSE when another VIF has that address on that
 * VLAN.
 */
int np_classify_add(struct np_classify *cls, unsigned int vif,
		    const struct np_vif_cfg *cfg)
{
	int err = vif < NP_MAX_VIFS ? np_classify_check(cfg) : -EINVAL;
	u64 key;

	if (err)
		return err;
	if (cls->vif[vif].used)
		return -EEXIST;
	key = np_cls_cfg_key(cfg);
	if (np_cls_lookup(cls, key) != NP_VIF_NONE)
		return -EADDRINUSE;
	cls->vif[vif].nr_mcast = 0;
	np_cls_link(cls, vif, cfg, key);
	cls->nr_vifs++;
	return 0;
}

/**
 * np_classify_set - change a VIF's address, VLAN or rx modes
 * @cls: the classifier
 * @vif: the VIF
 * @cfg: its whole new configuration; its multicast filter stays
 *
 * Return: 0; -EINVAL for an id from %NP_MAX_VIFS on or a bad @cfg; -ENOENT
 * when @vif does not exist; -EADDRINUSE when another VIF has that address
 * on that VLAN.  Nothing changes on failure.
 */
int np_classify_set(struct np_classify *cls, unsigned int vif,
		    const struct np_vif_cfg *cfg)
{
	int err = vif < NP_MAX_VIFS ? np_classify_check(cfg) : -EINVAL;
	u64 key;
	u32 owner;

	if (err)
		return err;
	if (!cls->vif[vif].used)
		return -ENOENT;
	key = np_cls_cfg_key(cfg);
	owner = np_cls_lookup(cls, key);
	if (owner != NP_VIF_NONE && owner != vif)
		return -EADDRINUSE;
	np_cls_unlink(cls, vif);
	np_cls_link(cls, vif, cfg, key);
	return 0;
}

/**
 * np_classify_del - remove a VIF
 * @cls: the classifier
 * @vif: the VIF
 *
 * Return: 0; -EINVAL for an id from %NP_MAX_VIFS on; -ENOENT when @vif does
 * not exist.
 */
int np_classify_del(struct np_classify *cls, unsigned int vif)
{
	if (vif >= NP_MAX_VIFS)
		return -EINVAL;
	if (!cls->vif[vif].used)
		return -ENOENT;
	np_cls_unlink(cls, vif);
	cls->vif[vif].nr_mcast = 0;
	cls->nr_vifs--;
	return 0;
}

/**
 * np_classify_set_mcast - replace a VIF's multicast filter
 * @cls: the classifier
 * @vif: the VIF
 * @addrs: multicast addresses
 * @n: how many; more than %NP_MCAST_MAX make the VIF receive every
 *	multicast frame of its VLAN instead
 *
 * Return: 0; -EINVAL for an id from %NP_MAX_VIFS on or an address that is
 * not multicast; -ENOENT when @vif does not exist.
 */
int np_classify_set_mcast(struct np_classify *cls, unsigned int vif,
			  const u8 addrs[][NP_ABI_MAC_LEN], unsigned int n)
{
	struct np_cls_vif *cv;
	unsigned int i;

	if (vif >= NP_MAX_VIFS)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!(addrs[i][0] & 1))
			return -EINVAL;
	cv = &cls->vif[vif];
	if (!cv->used)
		return -ENOENT;
	cv->nr_mcast = n > NP_MCAST_MAX ? NP_MCAST_MAX + 1 : n;
	for (i = 0; i < n && i < NP_MCAST_MAX; i++)
		cv->mcast[i] = np_cls_mac(addrs[i]);
	np_cls_sets(cls, vif);
	return 0;
}

static bool np_cls_drop(struct np_dest *dest, enum np_drop reason)
{
	dest->reason = reason;
	return false;
}

/* The frame's VLAN id (0: untagged or priority-tagged), or -1: malformed. */
static int np_cls_parse(const u8 *p, u32 len)
{
	int vid;

	if (len < NP_ETH_HLEN || (p[6] & 1))
		return -1;
	if (p[12] != 0x81 || p[13] != 0x00)
		return 0;
	if (len < NP_ETH_HLEN + NP_VLAN_HLEN)
		return -1;
	vid = (p[14] & 0x0f) << 8 | p[15];
	return vid == NP_VLAN_IDS - 1 ? -1 : vid;
}

static bool np_cls_unicast(const struct np_classify *cls, u64 key,
			   unsigned int src, struct np_dest *dest)
{
	u32 vif = np_cls_lookup(cls, key);

	if (vif == src)
		return np_cls_drop(dest, NP_DROP_FILTERED);
	if (vif != NP_VIF_NONE) {
		dest->vif = vif;
		return true;
	}
	if (src != NP_SRC_UPLINK) {
		dest->uplink = true;
		return true;
	}
	dest->vifs = cls->promisc;
	dest->multi = true;
	return !np_vifset_empty(&dest->vifs) ||
	       np_cls_drop(dest, NP_DROP_FILTERED);
}

static bool np_cls_listed(const struct np_cls_vif *cv, u64 key)
{
	unsigned int i;

	for (i = 0; i < cv->nr_mcast; i++)
		if (cv->mcast[i] == key)
			return true;
	return false;
}

/* Multicast: all-multicast and promiscuous VIFs, then the filters. */
static void np_cls_mcast(const struct np_classify *cls, u64 key,
			 const struct np_vifset *members, struct np_dest *dest)
{
	struct np_vifset scan;
	unsigned int i, v;

	for (i = 0; i < NP_VIFSET_WORDS; i++) {
		dest->vifs.w[i] = (members->w[i] & cls->allmulti.w[i]) |
				  cls->promisc.w[i];
		scan.w[i] = members->w[i] & cls->mfilter.w[i] & ~dest->vifs.w[i];
	}
	for (v = np_vifset_next(&scan, 0); v < NP_MAX_VIFS;
	     v = np_vifset_next(&scan, v + 1))
		if (np_cls_listed(&cls->vif[v], key))
			np_vifset_add(&dest->vifs, v);
}

static bool np_cls_group(const struct np_classify *cls, const u8 *p, int vid,
			 unsigned int src, struct np_dest *dest)
{
	const struct np_vifset *members = &cls->vlan[vid];
	u64 key = np_cls_frame_mac(p);
	unsigned int i;

	if (key == NP_CLS_BCAST)
		for (i = 0; i < NP_VIFSET_WORDS; i++)
			dest->vifs.w[i] = (members->w[i] & cls->bcast.w[i]) |
					  cls->promisc.w[i];
	else
		np_cls_mcast(cls, key, members, dest);
	dest->multi = true;
	if (src != NP_SRC_UPLINK) {
		np_vifset_del(&dest->vifs, src);
		dest->uplink = true;
		return true;
	}
	return !np_vifset_empty(&dest->vifs) ||
	       np_cls_drop(dest, NP_DROP_FILTERED);
}

/**
 * np_classify - where a frame goes
 * @cls: the classifier
 * @data: the frame, from its Ethernet header on
 * @len: its length
 * @src: the VIF it comes from, or %NP_SRC_UPLINK
 * @dest: the destinations (the rules are in np_classify.h); the reason
 *	when there is none
 *
 * Return: true when the frame has a destination, false when it is to be
 * dropped for &np_dest.reason.
 */
bool np_classify(const struct np_classify *cls, const void *data, u32 len,
		 unsigned int src, struct np_dest *dest)
{
	const u8 *p = data;
	int vid = np_cls_parse(p, len);

	dest->vif = NP_VIF_NONE;
	dest->uplink = false;
	dest->multi = false;
	if (unlikely(vid < 0))
		return np_cls_drop(dest, NP_DROP_MALFORMED);
	/* From a VIF that exists, on its VLAN; or from the uplink. */
	if (likely(src < NP_MAX_VIFS) ? unlikely(cls->vif[src].tx_vid != vid)
				      : unlikely(src != NP_SRC_UPLINK))
		return np_cls_drop(dest, NP_DROP_FILTERED);
	if (p[0] & 1)
		return np_cls_group(cls, p, vid, src, dest);
	return np_cls_unicast(cls, np_cls_frame_mac(p) |
			      (u64)vid << NP_CLS_VID_SHIFT, src, dest);
}
