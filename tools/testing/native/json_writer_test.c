// SPDX-License-Identifier: GPL-2.0
/*
 * json_writer_test.c - the tools' JSON writer (tools/lib/json_writer.c)
 * natively under ASan and UBSan: each text is written to memory and
 * compared whole with what RFC 8259 makes of it - escaping of quotes,
 * backslashes and control characters, commas between members and
 * elements at every depth, numbers, and calls out of place refused.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/json_writer.h"
#include "kselftest_harness.h"

FIXTURE(jw) {
	char *text;
	size_t len;
	FILE *f;
	struct json_writer *jw;
};

FIXTURE_SETUP(jw)
{
	self->f = open_memstream(&self->text, &self->len);
	ASSERT_NE(NULL, self->f);
	self->jw = jsonw_new(self->f);
	ASSERT_NE(NULL, self->jw);
}

FIXTURE_TEARDOWN(jw)
{
	jsonw_destroy(&self->jw);
	if (self->f)
		fclose(self->f);
	free(self->text);
}

/* What was written so far, NUL-terminated. */
static const char *text(struct _test_data_jw *self)
{
	fflush(self->f);
	return self->text;
}

TEST_F(jw, empty_containers)
{
	jsonw_start_object(self->jw);
	jsonw_end_object(self->jw);
	jsonw_start_array(self->jw);
	jsonw_end_array(self->jw);
	EXPECT_STREQ("{}\n[]\n", text(self));
	EXPECT_EQ(0, jsonw_destroy(&self->jw));
	EXPECT_EQ(NULL, self->jw);
}

TEST_F(jw, commas_between_members)
{
	jsonw_start_object(self->jw);
	jsonw_u64_field(self->jw, "a", 1);
	jsonw_s64_field(self->jw, "b", -2);
	jsonw_string_field(self->jw, "c", "x");
	jsonw_bool_field(self->jw, "d", true);
	jsonw_bool_field(self->jw, "e", false);
	jsonw_null_field(self->jw, "f");
	jsonw_end_object(self->jw);
	EXPECT_STREQ("{\"a\":1,\"b\":-2,\"c\":\"x\",\"d\":true,\"e\":false,\"f\":null}\n",
		     text(self));
	EXPECT_EQ(0, jsonw_destroy(&self->jw));
}

TEST_F(jw, commas_between_elements)
{
	jsonw_start_array(self->jw);
	jsonw_u64(self->jw, 1);
	jsonw_string(self->jw, "two");
	jsonw_null(self->jw);
	jsonw_start_array(self->jw);
	jsonw_end_array(self->jw);
	jsonw_start_object(self->jw);
	jsonw_end_object(self->jw);
	jsonw_bool(self->jw, true);
	jsonw_end_array(self->jw);
	EXPECT_STREQ("[1,\"two\",null,[],{},true]\n", text(self));
	EXPECT_EQ(0, jsonw_destroy(&self->jw));
}

/* Commas are per container: a closed inner one does not leak its state. */
TEST_F(jw, nesting)
{
	jsonw_start_array(self->jw);
	jsonw_start_object(self->jw);
	jsonw_name(self->jw, "l");
	jsonw_start_array(self->jw);
	jsonw_u64(self->jw, 1);
	jsonw_start_object(self->jw);
	jsonw_name(self->jw, "deep");
	jsonw_start_array(self->jw);
	jsonw_start_array(self->jw);
	jsonw_end_array(self->jw);
	jsonw_u64(self->jw, 2);
	jsonw_end_array(self->jw);
	jsonw_end_object(self->jw);
	jsonw_end_array(self->jw);
	jsonw_u64_field(self->jw, "after", 3);
	jsonw_name(self->jw, "o");
	jsonw_start_object(self->jw);
	jsonw_end_object(self->jw);
	jsonw_end_object(self->jw);
	jsonw_start_object(self->jw);
	jsonw_u64_field(self->jw, "second", 4);
	jsonw_end_object(self->jw);
	jsonw_end_array(self->jw);
	EXPECT_STREQ("[{\"l\":[1,{\"deep\":[[],2]}],\"after\":3,\"o\":{}},{\"second\":4}]\n",
		     text(self));
	EXPECT_EQ(0, jsonw_destroy(&self->jw));
}

TEST_F(jw, escapes_quote_and_backslash)
{
	jsonw_string(self->jw, "say \"hi\" C:\\dir\\");
	EXPECT_STREQ("\"say \\\"hi\\\" C:\\\\dir\\\\\"\n", text(self));
}

/* Every one of U+0000..U+001F as \u00XX; DEL too; '/' and UTF-8 as is. */
TEST_F(jw, escapes_control_chars)
{
	char in[64], want[256];
	size_t n = 0;
	int c;

	for (c = 1; c < 0x20; c++)
		in[c - 1] = c;
	in[0x1f] = 0x7f;
	in[0x20] = '/';
	memcpy(in + 0x21, "\xc3\xa9", 3);
	n += sprintf(want + n, "\"");
	for (c = 1; c < 0x20; c++)
		n += sprintf(want + n, "\\u%04x", c);
	sprintf(want + n, "\\u007f/\xc3\xa9\"\n");
	jsonw_string(self->jw, in);
	EXPECT_STREQ(want, text(self));
	EXPECT_NE(NULL, strstr(text(self), "\\u000a\\u000b"));
	EXPECT_NE(NULL, strstr(text(self), "\\u001f\\u007f"));
}

TEST_F(jw, names_are_escaped)
{
	jsonw_start_object(self->jw);
	jsonw_string_field(self->jw, "a\"b\n", "\t");
	jsonw_end_object(self->jw);
	EXPECT_STREQ("{\"a\\\"b\\u000a\":\"\\u0009\"}\n", text(self));
}

TEST_F(jw, integers)
{
	jsonw_start_array(self->jw);
	jsonw_u64(self->jw, 0);
	jsonw_u64(self->jw, UINT64_MAX);
	jsonw_s64(self->jw, INT64_MIN);
	jsonw_s64(self->jw, INT64_MAX);
	jsonw_end_array(self->jw);
	EXPECT_STREQ("[0,18446744073709551615,-9223372036854775808,9223372036854775807]\n",
		     text(self));
}

/* The fewest digits that read back; no NaN or infinity in JSON. */
TEST_F(jw, doubles)
{
	jsonw_start_array(self->jw);
	jsonw_double(self->jw, 0.1);
	jsonw_double(self->jw, 2.5);
	jsonw_double(self->jw, -3);
	jsonw_double(self->jw, 1.0 / 3);
	jsonw_double(self->jw, 1e300);
	jsonw_double(self->jw, NAN);
	jsonw_double(self->jw, INFINITY);
	jsonw_float_fmt(self->jw, "%.1f", 100.0);
	jsonw_float_fmt(self->jw, "%.1f", 12.3);
	jsonw_float_fmt(self->jw, "%.1f", -INFINITY);
	jsonw_end_array(self->jw);
	EXPECT_STREQ("[0.1,2.5,-3,0.3333333333333333,1e+300,null,null,100.0,12.3,null]\n",
		     text(self));
	EXPECT_EQ(0, jsonw_destroy(&self->jw));
}

TEST_F(jw, hex)
{
	static const unsigned char b[] = { 0x00, 0x0f, 0xa5, 0xff };

	jsonw_start_object(self->jw);
	jsonw_name(self->jw, "hex");
	jsonw_hex(self->jw, b, sizeof(b));
	jsonw_name(self->jw, "none");
	jsonw_hex(self->jw, b, 0);
	jsonw_end_object(self->jw);
	EXPECT_STREQ("{\"hex\":\"000fa5ff\",\"none\":\"\"}\n", text(self));
}

/* Values at the top level: each on its own line. */
TEST_F(jw, top_level_values)
{
	jsonw_u64(self->jw, 7);
	jsonw_string(self->jw, "s");
	jsonw_start_array(self->jw);
	jsonw_end_array(self->jw);
	EXPECT_STREQ("7\n\"s\"\n[]\n", text(self));
	EXPECT_EQ(0, jsonw_destroy(&self->jw));
}

/* A value in an object without a name: refused, nothing more written. */
TEST_F(jw, value_without_name)
{
	jsonw_start_object(self->jw);
	jsonw_u64(self->jw, 1);
	jsonw_end_object(self->jw);
	jsonw_u64_field(self->jw, "a", 2);
	EXPECT_STREQ("{", text(self));
	EXPECT_EQ(-EINVAL, jsonw_error(self->jw));
	EXPECT_EQ(-EINVAL, jsonw_destroy(&self->jw));
}

TEST_F(jw, name_in_array)
{
	jsonw_start_array(self->jw);
	jsonw_name(self->jw, "a");
	EXPECT_STREQ("[", text(self));
	EXPECT_EQ(-EINVAL, jsonw_error(self->jw));
}

TEST_F(jw, name_at_top_level)
{
	jsonw_name(self->jw, "a");
	EXPECT_STREQ("", text(self));
	EXPECT_EQ(-EINVAL, jsonw_error(self->jw));
}

TEST_F(jw, two_names)
{
	jsonw_start_object(self->jw);
	jsonw_name(self->jw, "a");
	jsonw_name(self->jw, "b");
	EXPECT_STREQ("{\"a\":", text(self));
	EXPECT_EQ(-EINVAL, jsonw_error(self->jw));
}

TEST_F(jw, name_without_value)
{
	jsonw_start_object(self->jw);
	jsonw_name(self->jw, "a");
	jsonw_end_object(self->jw);
	EXPECT_STREQ("{\"a\":", text(self));
	EXPECT_EQ(-EINVAL, jsonw_error(self->jw));
}

TEST_F(jw, mismatched_end)
{
	jsonw_start_array(self->jw);
	jsonw_end_object(self->jw);
	EXPECT_STREQ("[", text(self));
	EXPECT_EQ(-EINVAL, jsonw_error(self->jw));
}

TEST_F(jw, end_at_top_level)
{
	jsonw_end_array(self->jw);
	EXPECT_STREQ("", text(self));
	EXPECT_EQ(-EINVAL, jsonw_error(self->jw));
}

TEST_F(jw, left_open)
{
	jsonw_start_object(self->jw);
	jsonw_u64_field(self->jw, "a", 1);
	EXPECT_EQ(0, jsonw_error(self->jw));
	EXPECT_EQ(-EINVAL, jsonw_destroy(&self->jw));
}

TEST_F(jw, max_depth)
{
	int i;

	for (i = 0; i < JSONW_MAX_DEPTH; i++)
		jsonw_start_array(self->jw);
	EXPECT_EQ(0, jsonw_error(self->jw));
	jsonw_start_array(self->jw);
	EXPECT_EQ(-EINVAL, jsonw_error(self->jw));
	EXPECT_EQ(JSONW_MAX_DEPTH, strlen(text(self)));
}

TEST(destroy_null)
{
	struct json_writer *jw = NULL;

	EXPECT_EQ(0, jsonw_destroy(&jw));
}

TEST_HARNESS_MAIN
