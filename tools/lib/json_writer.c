// SPDX-License-Identifier: GPL-2.0
/*
 * json_writer.c - a small streaming JSON writer for the tools
 *
 * One state per open container: whether it is an object or an array and
 * whether anything is in it yet (a comma goes before every member but the
 * first).  In an object a name and its value alternate.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include "json_writer.h"

/**
 * struct json_writer - where a JSON text stands
 * @out: where it goes
 * @depth: containers open
 * @err: 0, or -EINVAL after a call out of place
 * @named: a name was written, its value is due
 * @object: per open container, whether it is an object (else an array)
 * @empty: per open container, whether nothing is in it yet
 */
struct json_writer {
	FILE *out;
	unsigned int depth;
	int err;
	bool named;
	bool object[JSONW_MAX_DEPTH];
	bool empty[JSONW_MAX_DEPTH];
};

/**
 * jsonw_new - a writer to @f
 * @f: the stream the text goes to
 *
 * Return: the writer, or NULL when out of memory.
 */
struct json_writer *jsonw_new(FILE *f)
{
	struct json_writer *jw = calloc(1, sizeof(*jw));

	if (jw)
		jw->out = f;
	return jw;
}

/**
 * jsonw_error - whether a call was out of place
 * @jw: the writer
 *
 * Return: 0, or -EINVAL when a call was out of place.
 */
int jsonw_error(const struct json_writer *jw)
{
	return jw->err;
}

/**
 * jsonw_destroy - free a writer and say whether its text is whole
 * @jw: the writer, set to NULL; nothing is done for NULL
 *
 * The stream is neither flushed nor closed.
 *
 * Return: 0, or -EINVAL when a call was out of place or a container or a
 * name was left open.
 */
int jsonw_destroy(struct json_writer **jw)
{
	int ret;

	if (!*jw)
		return 0;
	ret = (*jw)->err;
	if (!ret && ((*jw)->depth || (*jw)->named))
		ret = -EINVAL;
	free(*jw);
	*jw = NULL;
	return ret;
}

/*
 * Before a value: a comma in an array after its first member; in an object
 * only after a name.  False (and nothing written) when no value may come.
 */
static bool value_begin(struct json_writer *jw)
{
	unsigned int top = jw->depth - 1;

	if (jw->err)
		return false;
	if (!jw->depth)
		return true;
	if (jw->object[top]) {
		if (!jw->named) {
			jw->err = -EINVAL;
			return false;
		}
		jw->named = false;
		return true;
	}
	if (!jw->empty[top])
		putc(',', jw->out);
	jw->empty[top] = false;
	return true;
}

/* After a value: a value at the top level ends its line. */
static void value_end(struct json_writer *jw)
{
	if (!jw->depth)
		putc('\n', jw->out);
}

static void start(struct json_writer *jw, bool object)
{
	if (jw->depth == JSONW_MAX_DEPTH && !jw->err)
		jw->err = -EINVAL;
	if (!value_begin(jw))
		return;
	jw->object[jw->depth] = object;
	jw->empty[jw->depth] = true;
	jw->depth++;
	putc(object ? '{' : '[', jw->out);
}

static void end(struct json_writer *jw, bool object)
{
	if (jw->err)
		return;
	if (!jw->depth || jw->object[jw->depth - 1] != object || jw->named) {
		jw->err = -EINVAL;
		return;
	}
	jw->depth--;
	putc(object ? '}' : ']', jw->out);
	value_end(jw);
}

/**
 * jsonw_start_object - open an object, as a value
 * @jw: the writer
 */
void jsonw_start_object(struct json_writer *jw)
{
	start(jw, true);
}

/**
 * jsonw_end_object - close the innermost container, an object
 * @jw: the writer
 */
void jsonw_end_object(struct json_writer *jw)
{
	end(jw, true);
}

/**
 * jsonw_start_array - open an array, as a value
 * @jw: the writer
 */
void jsonw_start_array(struct json_writer *jw)
{
	start(jw, false);
}

/**
 * jsonw_end_array - close the innermost container, an array
 * @jw: the writer
 */
void jsonw_end_array(struct json_writer *jw)
{
	end(jw, false);
}

/*
 * @s quoted, with what RFC 8259 requires escaped: the quotation mark, the
 * reverse solidus and the control characters U+0000 to U+001F; DEL too,
 * as terminals take it.  Other bytes, UTF-8 included, go as they are.
 */
static void put_string(FILE *f, const char *s)
{
	putc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			putc(c, f);
	}
	putc('"', f);
}

/**
 * jsonw_name - the name of the next member of the innermost object
 * @jw: the writer
 * @name: escaped as a string is
 */
void jsonw_name(struct json_writer *jw, const char *name)
{
	unsigned int top = jw->depth - 1;

	if (jw->err)
		return;
	if (!jw->depth || !jw->object[top] || jw->named) {
		jw->err = -EINVAL;
		return;
	}
	if (!jw->empty[top])
		putc(',', jw->out);
	jw->empty[top] = false;
	put_string(jw->out, name);
	putc(':', jw->out);
	jw->named = true;
}

/**
 * jsonw_string - a string value
 * @jw: the writer
 * @s: NUL-terminated; escaped per RFC 8259
 */
void jsonw_string(struct json_writer *jw, const char *s)
{
	if (!value_begin(jw))
		return;
	put_string(jw->out, s);
	value_end(jw);
}

/**
 * jsonw_hex - a string value: @len bytes in lower-case hexadecimal
 * @jw: the writer
 * @p: the bytes
 * @len: how many
 */
void jsonw_hex(struct json_writer *jw, const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	if (!value_begin(jw))
		return;
	putc('"', jw->out);
	for (i = 0; i < len; i++)
		fprintf(jw->out, "%02x", b[i]);
	putc('"', jw->out);
	value_end(jw);
}

/**
 * jsonw_u64 - an unsigned integer value
 * @jw: the writer
 * @v: the value
 */
void jsonw_u64(struct json_writer *jw, uint64_t v)
{
	if (!value_begin(jw))
		return;
	fprintf(jw->out, "%" PRIu64, v);
	value_end(jw);
}

/**
 * jsonw_s64 - a signed integer value
 * @jw: the writer
 * @v: the value
 */
void jsonw_s64(struct json_writer *jw, int64_t v)
{
	if (!value_begin(jw))
		return;
	fprintf(jw->out, "%" PRId64, v);
	value_end(jw);
}

/**
 * jsonw_float_fmt - a number value as printf() formats it
 * @jw: the writer
 * @fmt: one conversion of a double (%f, %e or %g, with flags, width and
 *	precision) and nothing else
 * @v: the value; null for a NaN or an infinity, which JSON has not
 */
void jsonw_float_fmt(struct json_writer *jw, const char *fmt, double v)
{
	if (!value_begin(jw))
		return;
	if (isfinite(v))
		fprintf(jw->out, fmt, v);
	else
		fputs("null", jw->out);
	value_end(jw);
}

/**
 * jsonw_double - a number value, in the fewest digits that read back as @v
 * @jw: the writer
 * @v: the value; null for a NaN or an infinity, which JSON has not
 */
void jsonw_double(struct json_writer *jw, double v)
{
	char buf[32];
	int prec;

	if (!value_begin(jw))
		return;
	if (!isfinite(v)) {
		fputs("null", jw->out);
		value_end(jw);
		return;
	}
	for (prec = 1; prec < 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	if (prec == 17)
		snprintf(buf, sizeof(buf), "%.17g", v);
	fputs(buf, jw->out);
	value_end(jw);
}

/**
 * jsonw_bool - true or false
 * @jw: the writer
 * @v: the value
 */
void jsonw_bool(struct json_writer *jw, bool v)
{
	if (!value_begin(jw))
		return;
	fputs(v ? "true" : "false", jw->out);
	value_end(jw);
}

/**
 * jsonw_null - null
 * @jw: the writer
 */
void jsonw_null(struct json_writer *jw)
{
	if (!value_begin(jw))
		return;
	fputs("null", jw->out);
	value_end(jw);
}

/**
 * jsonw_string_field - jsonw_name() and jsonw_string()
 * @jw: the writer
 * @name: the member's name
 * @s: its value
 */
void jsonw_string_field(struct json_writer *jw, const char *name,
			const char *s)
{
	jsonw_name(jw, name);
	jsonw_string(jw, s);
}

/**
 * jsonw_u64_field - jsonw_name() and jsonw_u64()
 * @jw: the writer
 * @name: the member's name
 * @v: its value
 */
void jsonw_u64_field(struct json_writer *jw, const char *name, uint64_t v)
{
	jsonw_name(jw, name);
	jsonw_u64(jw, v);
}

/**
 * jsonw_s64_field - jsonw_name() and jsonw_s64()
 * @jw: the writer
 * @name: the member's name
 * @v: its value
 */
void jsonw_s64_field(struct json_writer *jw, const char *name, int64_t v)
{
	jsonw_name(jw, name);
	jsonw_s64(jw, v);
}

/**
 * jsonw_double_field - jsonw_name() and jsonw_double()
 * @jw: the writer
 * @name: the member's name
 * @v: its value
 */
void jsonw_double_field(struct json_writer *jw, const char *name, double v)
{
	jsonw_name(jw, name);
	jsonw_double(jw, v);
}

/**
 * jsonw_float_fmt_field - jsonw_name() and jsonw_float_fmt()
 * @jw: the writer
 * @name: the member's name
 * @fmt: as jsonw_float_fmt() takes it
 * @v: its value
 */
void jsonw_float_fmt_field(struct json_writer *jw, const char *name,
			   const char *fmt, double v)
{
	jsonw_name(jw, name);
	jsonw_float_fmt(jw, fmt, v);
}

/**
 * jsonw_bool_field - jsonw_name() and jsonw_bool()
 * @jw: the writer
 * @name: the member's name
 * @v: its value
 */
void jsonw_bool_field(struct json_writer *jw, const char *name, bool v)
{
	jsonw_name(jw, name);
	jsonw_bool(jw, v);
}

/**
 * jsonw_null_field - jsonw_name() and jsonw_null()
 * @jw: the writer
 * @name: the member's name
 */
void jsonw_null_field(struct json_writer *jw, const char *name)
{
	jsonw_name(jw, name);
	jsonw_null(jw);
}
