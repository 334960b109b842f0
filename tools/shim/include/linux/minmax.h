/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: type-checked min()/max() as the kernel spells them.
 */
#ifndef _SHIM_LINUX_MINMAX_H
#define _SHIM_LINUX_MINMAX_H

#define min(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b);	\
	(void)(&_a == &_b); _a < _b ? _a : _b; })
#define max(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b);	\
	(void)(&_a == &_b); _a > _b ? _a : _b; })

/* @lo and @hi converted to @val's type, as the kernel's constants are. */
#define clamp(val, lo, hi) ({ __typeof__(val) _v = (val);		\
	__typeof__(val) _lo = (lo), _hi = (hi);				\
	_v < _lo ? _lo : _v > _hi ? _hi : _v; })

#define min_t(type, a, b) min((type)(a), (type)(b))
#define max_t(type, a, b) max((type)(a), (type)(b))

#endif /* _SHIM_LINUX_MINMAX_H */
