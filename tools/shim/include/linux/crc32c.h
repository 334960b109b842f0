/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: crc32c() as the kernel's <linux/crc32c.h> defines it -
 * the raw CRC-32C (Castagnoli, reflected polynomial 0x82f63b78) update,
 * without the initial and final inversions, which callers apply.
 */
#ifndef _SHIM_LINUX_CRC32C_H
#define _SHIM_LINUX_CRC32C_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t crc32c(uint32_t crc, const void *address,
			      unsigned int length)
{
	static uint32_t table[256];
	static int ready;
	const uint8_t *p = address;
	uint32_t c;
	int i, j;

	/* Built on first use; concurrent builders store the same values. */
	if (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) {
		for (i = 0; i < 256; i++) {
			c = i;
			for (j = 0; j < 8; j++)
				c = c & 1 ? (c >> 1) ^ 0x82f63b78 : c >> 1;
			__atomic_store_n(&table[i], c, __ATOMIC_RELAXED);
		}
		__atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
	}
	while (length--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

#endif /* _SHIM_LINUX_CRC32C_H */
