/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json_writer.h - a small streaming JSON writer for the tools
 *
 * Compact output (no spaces), commas put where they belong, strings
 * escaped per RFC 8259.  A value at the top level is followed by a newline
 * once it is complete, so a tool prints one JSON document per line:
 *
 *	struct json_writer *jw = jsonw_new(stdout);
 *
 *	jsonw_start_object(jw);
 *	jsonw_string_field(jw, "name", "cpu0");
 *	jsonw_name(jw, "units");
 *	jsonw_start_array(jw);
 *	jsonw_u64(jw, 0);
 *	jsonw_u64(jw, 1);
 *	jsonw_end_array(jw);
 *	jsonw_end_object(jw);		{"name":"cpu0","units":[0,1]}
 *	jsonw_destroy(&jw);
 *
 * A call out of place (a value where a name is due, a name outside an
 * object, an end that does not match, nesting past %JSONW_MAX_DEPTH) writes
 * nothing and is remembered: jsonw_error() and jsonw_destroy() return
 * -EINVAL then.
 */
#ifndef _JSON_WRITER_H
#define _JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSONW_MAX_DEPTH	32

struct json_writer;

struct json_writer *jsonw_new(FILE *f);
int jsonw_error(const struct json_writer *jw);
int jsonw_destroy(struct json_writer **jw);

void jsonw_start_object(struct json_writer *jw);
void jsonw_end_object(struct json_writer *jw);
void jsonw_start_array(struct json_writer *jw);
void jsonw_end_array(struct json_writer *jw);

void jsonw_name(struct json_writer *jw, const char *name);

void jsonw_string(struct json_writer *jw, const char *s);
void jsonw_hex(struct json_writer *jw, const void *p, size_t len);
void jsonw_u64(struct json_writer *jw, uint64_t v);
void jsonw_s64(struct json_writer *jw, int64_t v);
void jsonw_double(struct json_writer *jw, double v);
void jsonw_float_fmt(struct json_writer *jw, const char *fmt, double v);
void jsonw_bool(struct json_writer *jw, bool v);
void jsonw_null(struct json_writer *jw);

/* A name and its value in one call. */
void jsonw_string_field(struct json_writer *jw, const char *name,
			const char *s);
void jsonw_u64_field(struct json_writer *jw, const char *name, uint64_t v);
void jsonw_s64_field(struct json_writer *jw, const char *name, int64_t v);
void jsonw_double_field(struct json_writer *jw, const char *name, double v);
void jsonw_float_fmt_field(struct json_writer *jw, const char *name,
			   const char *fmt, double v);
void jsonw_bool_field(struct json_writer *jw, const char *name, bool v);
void jsonw_null_field(struct json_writer *jw, const char *name);

#endif /* _JSON_WRITER_H */
