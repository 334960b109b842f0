// SPDX-License-Identifier: GPL-2.0
/*
 * units.c - the values of a spec that carry a unit (rates as tc(8) and
 * svnicctl take them, sizes, durations), lists of units, MAC addresses
 * and UUIDs; and their printing
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vcorevm.h"

struct unit {
	const char *name;
	double mult;
};

/* Rates as tc(8) and svnicctl read them: bits/s, "bps" is bytes/s. */
static const struct unit rate_units[] = {
	{ "bit", 1. / 8 },
	{ "kbit", 1e3 / 8 }, { "mbit", 1e6 / 8 }, { "gbit", 1e9 / 8 },
	{ "tbit", 1e12 / 8 },
	{ "kibit", 1024. / 8 }, { "mibit", 1048576. / 8 },
	{ "gibit", 1073741824. / 8 }, { "tibit", 1099511627776. / 8 },
	{ "bps", 1 }, { "kbps", 1e3 }, { "mbps", 1e6 }, { "gbps", 1e9 },
	{ "tbps", 1e12 },
	{ "kibps", 1024. }, { "mibps", 1048576. }, { "gibps", 1073741824. },
	{ "tibps", 1099511627776. },
	{ NULL, 0 }
};

/* Sizes: binary with or without "iB" (as QEMU's -m), decimal with "B". */
static const struct unit size_units[] = {
	{ "b", 1 },
	{ "k", 1024. }, { "kib", 1024. }, { "kb", 1e3 },
	{ "m", 1048576. }, { "mib", 1048576. }, { "mb", 1e6 },
	{ "g", 1073741824. }, { "gib", 1073741824. }, { "gb", 1e9 },
	{ "t", 1099511627776. }, { "tib", 1099511627776. }, { "tb", 1e12 },
	{ NULL, 0 }
};

static const struct unit time_units[] = {
	{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
	{ NULL, 0 }
};

/*
 * A non-negative number followed by one of @units (a blank between them
 * is allowed; no unit only when @bare is), rounded to an integer.
 */
static int parse_unit(const char *s, const struct unit *units, bool bare,
		      uint64_t *v)
{
	const struct unit *u;
	double d;
	char *end;

	if (!isdigit((unsigned char)*s) && *s != '.')
		return -EINVAL;
	errno = 0;
	d = strtod(s, &end);
	if (errno || end == s || d < 0)
		return -EINVAL;
	if (*end == ' ')
		end++;
	if (!*end && !bare)
		return -EDOM;
	for (u = units; *end && u->name; u++)
		if (!strcasecmp(end, u->name))
			break;
	if (*end && !u->name)
		return -EINVAL;
	if (*end)
		d *= u->mult;
	d += 0.5;
	if (d >= 18446744073709551615.)
		return -ERANGE;
	*v = (uint64_t)d;
	return 0;
}

int parse_rate(const char *s, uint64_t *bytes_per_s)
{
	return parse_unit(s, rate_units, false, bytes_per_s);
}

int parse_size(const char *s, uint64_t *bytes)
{
	return parse_unit(s, size_units, false, bytes);
}

int parse_ns(const char *s, uint64_t *ns)
{
	return parse_unit(s, time_units, false, ns);
}

/* "BUDGET/PERIOD", each a duration: 2ms/10ms. */
int parse_reserve(const char *s, uint64_t *budget, uint64_t *period)
{
	char buf[64], *slash;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (!slash)
		return -EINVAL;
	*slash = '\0';
	if (parse_ns(buf, budget) || parse_ns(slash + 1, period))
		return -EINVAL;
	return 0;
}

/* A list of units, "0-1,3", into a mask. */
int parse_units(const char *s, uint64_t *mask)
{
	unsigned long a, b;
	char *end;

	*mask = 0;
	for (;;) {
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		a = strtoul(s, &end, 10);
		b = a;
		if (*end == '-') {
			if (!isdigit((unsigned char)end[1]))
				return -EINVAL;
			b = strtoul(end + 1, &end, 10);
		}
		if (a > b)
			return -EINVAL;
		if (b >= MAX_UNITS)
			return -ERANGE;
		for (; a <= b; a++)
			*mask |= 1ULL << a;
		if (!*end)
			return 0;
		if (*end != ',')
			return -EINVAL;
		s = end + 1;
	}
}

static int hex_digit(char c)
{
	return isdigit((unsigned char)c) ? c - '0' :
	       tolower((unsigned char)c) - 'a' + 10;
}

/* XX:XX:XX:XX:XX:XX */
int parse_mac(const char *s, uint8_t mac[6])
{
	int i;

	if (strlen(s) != 17)
		return -EINVAL;
	for (i = 0; i < 6; i++, s += 3) {
		if (!isxdigit((unsigned char)s[0]) ||
		    !isxdigit((unsigned char)s[1]) || (i < 5 && s[2] != ':'))
			return -EINVAL;
		mac[i] = hex_digit(s[0]) << 4 | hex_digit(s[1]);
	}
	return 0;
}

/* 8-4-4-4-12 hexadecimal digits, lower case (as sysfs names mdevs). */
int parse_uuid(const char *s)
{
	static const int dash[] = { 8, 13, 18, 23 };
	unsigned int i, d = 0;

	if (strlen(s) != 36)
		return -EINVAL;
	for (i = 0; i < 36; i++) {
		if (d < 4 && (int)i == dash[d]) {
			if (s[i] != '-')
				return -EINVAL;
			d++;
		} else if (!isxdigit((unsigned char)s[i]) ||
			   isupper((unsigned char)s[i])) {
			return -EINVAL;
		}
	}
	return 0;
}

/* In bits/s as tc(8) prints it: the largest unit that keeps it whole. */
const char *fmt_rate(uint64_t rate, char *buf, size_t len)
{
	static const char * const units[] = { "bit", "kbit", "mbit", "gbit", "tbit" };
	uint64_t bits = rate * 8;
	unsigned int i = 0;

	if (!rate) {
		snprintf(buf, len, "none");
		return buf;
	}
	while (bits >= 1000 && bits % 1000 == 0 && i < 4) {
		bits /= 1000;
		i++;
	}
	snprintf(buf, len, "%" PRIu64 "%s", bits, units[i]);
	return buf;
}

const char *fmt_size(uint64_t bytes, char *buf, size_t len)
{
	static const char * const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned int i = 0;
	double d = bytes;

	while (d >= 1024 && i < 4) {
		d /= 1024;
		i++;
	}
	if (d == (uint64_t)d)
		snprintf(buf, len, "%.0f%s", d, units[i]);
	else
		snprintf(buf, len, "%.1f%s", d, units[i]);
	return buf;
}

const char *fmt_ns(uint64_t ns, char *buf, size_t len)
{
	if (ns && ns % 1000000000ULL == 0)
		snprintf(buf, len, "%" PRIu64 "s", (uint64_t)(ns / 1000000000ULL));
	else if (ns && ns % 1000000 == 0)
		snprintf(buf, len, "%" PRIu64 "ms", ns / 1000000);
	else if (ns && ns % 1000 == 0)
		snprintf(buf, len, "%" PRIu64 "us", ns / 1000);
	else
		snprintf(buf, len, "%" PRIu64 "ns", ns);
	return buf;
}

/* A mask of units as a list, "0-1,3", as the kernel's %pbl prints it. */
const char *fmt_units(uint64_t mask, char *buf, size_t len)
{
	unsigned int a, b;
	size_t n = 0;

	buf[0] = '\0';
	for (a = 0; a < MAX_UNITS && n < len; a++) {
		if (!(mask >> a & 1))
			continue;
		for (b = a; b < MAX_UNITS - 1 && mask >> (b + 1) & 1; b++)
			;
		if (a == b)
			n += snprintf(buf + n, len - n, "%s%u", n ? "," : "", a);
		else
			n += snprintf(buf + n, len - n, "%s%u-%u", n ? "," : "",
				      a, b);
		a = b;
	}
	return buf;
}

const char *fmt_mac(const uint8_t m[6], char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

uint64_t rt_ppm(uint64_t budget, uint64_t period)
{
	return budget ? (budget * 1000000ULL + period - 1) / period : 0;
}

/* 64-bit FNV-1a of @s, continuing from @h. */
static uint64_t fnv1a(uint64_t h, const char *s)
{
	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/*
 * A UUID derived from @name in the space @ns: the same for the same name,
 * so that the spec, the domain XML and the host agree on it without
 * storing it.  Version 8 (RFC 9562's custom layout), variant 10.
 */
void name_uuid(const char *ns, const char *name, char out[UUID_LEN])
{
	uint64_t hi = fnv1a(fnv1a(0xcbf29ce484222325ULL, ns), name);
	uint64_t lo = fnv1a(fnv1a(hi ^ 0x9e3779b97f4a7c15ULL, name), ns);
	uint8_t b[16];
	int i;

	for (i = 0; i < 8; i++) {
		b[i] = hi >> (56 - 8 * i);
		b[8 + i] = lo >> (56 - 8 * i);
	}
	b[6] = (b[6] & 0x0f) | 0x80;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(out, UUID_LEN,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
		 b[10], b[11], b[12], b[13], b[14], b[15]);
}

/*
 * snprintf() under another name: paths and messages here are cut where
 * they must be, and GCC's -Wformat-truncation need not count every byte.
 */
int strf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n;
}
