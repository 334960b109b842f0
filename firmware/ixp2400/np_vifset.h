/* SPDX-License-Identifier: GPL-2.0 */
/*
 * np_vifset.h - a set of VIFs as a bitmap, the NP data plane's common
 * currency: classification results, rx-mode sets, VLAN memberships and the
 * pending notifications are all sets of VIF ids.
 *
 * Plain words, no atomics: the caller serializes, as everywhere in the data
 * plane.  The bit scans compile to one instruction (tzcnt/bsf) in the kernel
 * and in user space alike, without the library calls that a population
 * count would need.
 */
#ifndef _NP_VIFSET_H
#define _NP_VIFSET_H

#include <linux/types.h>

/* VIFs one NP serves; VIF ids run from 0 to NP_MAX_VIFS - 1. */
#define NP_MAX_VIFS		256U
/* Bits per word of a set. */
#define NP_VIFSET_BITS		64U
/* Words of a set of NP_MAX_VIFS bits. */
#define NP_VIFSET_WORDS		(NP_MAX_VIFS / NP_VIFSET_BITS)
/* No VIF: a VIF id field that names none. */
#define NP_VIF_NONE		0xffffU

/**
 * struct np_vifset - a set of VIF ids
 * @w: the words; bit b of word i is VIF i * 64 + b
 */
struct np_vifset {
	u64 w[NP_VIFSET_WORDS];
};

/**
 * np_ffs64 - index of the lowest set bit
 * @word: a word, not 0
 *
 * Return: the bit number, from 0 to 63.
 */
static inline unsigned int np_ffs64(u64 word)
{
	return __builtin_ctzll(word);
}

/**
 * np_vifset_add - put a VIF into a set
 * @s: the set
 * @vif: the VIF, below %NP_MAX_VIFS
 */
static inline void np_vifset_add(struct np_vifset *s, unsigned int vif)
{
	s->w[vif / NP_VIFSET_BITS] |= 1ULL << (vif % NP_VIFSET_BITS);
}

/**
 * np_vifset_del - take a VIF out of a set
 * @s: the set
 * @vif: the VIF, below %NP_MAX_VIFS
 */
static inline void np_vifset_del(struct np_vifset *s, unsigned int vif)
{
	s->w[vif / NP_VIFSET_BITS] &= ~(1ULL << (vif % NP_VIFSET_BITS));
}

/**
 * np_vifset_has - whether a VIF is in a set
 * @s: the set
 * @vif: the VIF, below %NP_MAX_VIFS
 *
 * Return: true when @vif is in @s.
 */
static inline bool np_vifset_has(const struct np_vifset *s, unsigned int vif)
{
	return s->w[vif / NP_VIFSET_BITS] >> (vif % NP_VIFSET_BITS) & 1;
}

/**
 * np_vifset_empty - whether a set is empty
 * @s: the set
 *
 * Return: true when no VIF is in @s.
 */
static inline bool np_vifset_empty(const struct np_vifset *s)
{
	u64 any = 0;
	unsigned int i;

	for (i = 0; i < NP_VIFSET_WORDS; i++)
		any |= s->w[i];
	return !any;
}

/**
 * np_vifset_next - the first VIF of a set from a given id on
 * @s: the set
 * @from: the first id to consider
 *
 * Iterate with ``for (v = np_vifset_next(s, 0); v < NP_MAX_VIFS;
 * v = np_vifset_next(s, v + 1))``.
 *
 * Return: the VIF, or %NP_MAX_VIFS when none is left.
 */
static inline unsigned int np_vifset_next(const struct np_vifset *s,
					  unsigned int from)
{
	unsigned int i = from / NP_VIFSET_BITS;
	u64 word;

	if (from >= NP_MAX_VIFS)
		return NP_MAX_VIFS;
	word = s->w[i] & (~0ULL << (from % NP_VIFSET_BITS));
	while (!word) {
		if (++i == NP_VIFSET_WORDS)
			return NP_MAX_VIFS;
		word = s->w[i];
	}
	return i * NP_VIFSET_BITS + np_ffs64(word);
}

#endif /* _NP_VIFSET_H */
