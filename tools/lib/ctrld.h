/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctrld.h - what the user-space controller daemons of /dev/vaal
 * (vaal_ctrld, vaal_opencld, vaal_cudad) share: their numeric options, the
 * hint after a refused registration, systemd's readiness notification,
 * their log lines and messages, and their signals
 */
#ifndef _VCORE_CTRLD_H
#define _VCORE_CTRLD_H

#include <stdarg.h>

unsigned long ctrld_parse_count(const char *prog, const char *opt,
				const char *s, unsigned long max);
const char *ctrld_register_hint(int err);
void ctrld_sd_notify_ready(void);
void ctrld_vlog(const char *prog, const char *name, const char *fmt,
		va_list ap);
char *ctrld_msg(const char *fmt, ...);
void ctrld_signals(void (*handler)(int));

#endif /* _VCORE_CTRLD_H */
