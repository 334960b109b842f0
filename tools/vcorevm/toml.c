// SPDX-License-Identifier: GPL-2.0
/*
 * toml.c - the subset of TOML v1.0.0 that vcorevm's spec files are
 * written in, parsed with the line of everything
 *
 * Taken: comments, bare keys (A-Za-z0-9_-), "basic" strings with escapes
 * and 'literal' strings, decimal integers (with _ between digits), true and
 * false, arrays (over several lines too), tables [name] and arrays of
 * tables [[name]].  Refused, each with a message saying so: dotted and
 * quoted keys, dotted table names, inline tables, multi-line strings,
 * dates; floats are parsed so that a spec can be told what it should have
 * written instead.  A file of the subset is a TOML file: Python's tomllib
 * reads it the same.
 *
 * Every error is reported as FILE:LINE: and the parse goes on with the
 * next line, so that one run lists all of them.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vcorevm.h"

struct cur {
	const char *p;
	int line;
	const char *file;
	int errors;
};

static void perr(struct cur *c, const char *fmt, const char *arg)
{
	char msg[256];

	snprintf(msg, sizeof(msg), fmt, arg);
	diag(c->file, c->line, NULL, "%s", msg);
	c->errors++;
}

/* Past the rest of the line, to the start of the next. */
static void skip_line(struct cur *c)
{
	while (*c->p && *c->p != '\n')
		c->p++;
}

static void skip_ws(struct cur *c)
{
	while (*c->p == ' ' || *c->p == '\t')
		c->p++;
}

/* Blanks and a comment up to the end of the line: 0, or -EINVAL. */
static int end_of_line(struct cur *c)
{
	skip_ws(c);
	if (*c->p == '#')
		skip_line(c);
	if (*c->p == '\r' && c->p[1] == '\n')
		c->p++;
	if (*c->p && *c->p != '\n')
		return -EINVAL;
	return 0;
}

/* Blanks, comments and newlines (inside arrays). */
static void skip_space_nl(struct cur *c)
{
	for (;;) {
		skip_ws(c);
		if (*c->p == '#')
			skip_line(c);
		if (*c->p == '\r' && c->p[1] == '\n')
			c->p++;
		if (*c->p != '\n')
			return;
		c->p++;
		c->line++;
	}
}

static bool bare_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '_' || ch == '-';
}

const char *tval_type_name(enum tval_type t)
{
	switch (t) {
	case TV_STR:
		return "a string";
	case TV_INT:
		return "an integer";
	case TV_BOOL:
		return "a boolean";
	case TV_ARRAY:
		return "an array";
	case TV_FLOAT:
		return "a float";
	}
	return "?";
}

static void tval_free(struct tval *v)
{
	unsigned int i;

	free(v->s);
	for (i = 0; i < v->n; i++)
		tval_free(&v->items[i]);
	free(v->items);
	memset(v, 0, sizeof(*v));
}

/* A UTF-8 encoding of @cp into @out (room for 4); its length. */
static int utf8_put(unsigned long cp, char *out)
{
	if (cp < 0x80) {
		out[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = 0xc0 | cp >> 6;
		out[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = 0xe0 | cp >> 12;
		out[1] = 0x80 | (cp >> 6 & 0x3f);
		out[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	out[0] = 0xf0 | cp >> 18;
	out[1] = 0x80 | (cp >> 12 & 0x3f);
	out[2] = 0x80 | (cp >> 6 & 0x3f);
	out[3] = 0x80 | (cp & 0x3f);
	return 4;
}

static int parse_string(struct cur *c, struct tval *v)
{
	char quote = *c->p, *out;
	size_t n = 0;
	int hex, i;
	unsigned long cp;

	if (c->p[1] == quote && c->p[2] == quote) {
		perr(c, "%smulti-line strings are not part of vcorevm's TOML subset", "");
		return -EINVAL;
	}
	c->p++;
	out = malloc(strlen(c->p) + 1);
	if (!out)
		return -ENOMEM;
	while (*c->p != quote) {
		if (!*c->p || *c->p == '\n') {
			free(out);
			perr(c, "%sunterminated string", "");
			return -EINVAL;
		}
		if (quote == '\'' || *c->p != '\\') {
			out[n++] = *c->p++;
			continue;
		}
		c->p++;
		switch (*c->p) {
		case '"':
			out[n++] = '"';
			break;
		case '\\':
			out[n++] = '\\';
			break;
		case 'n':
			out[n++] = '\n';
			break;
		case 't':
			out[n++] = '\t';
			break;
		case 'r':
			out[n++] = '\r';
			break;
		case 'b':
			out[n++] = '\b';
			break;
		case 'f':
			out[n++] = '\f';
			break;
		case 'u':
		case 'U':
			hex = *c->p == 'u' ? 4 : 8;
			cp = 0;
			for (i = 1; i <= hex; i++) {
				if (!isxdigit((unsigned char)c->p[i])) {
					free(out);
					perr(c, "%sbad \\u escape in a string", "");
					return -EINVAL;
				}
				cp = cp * 16 + (isdigit((unsigned char)c->p[i]) ?
						c->p[i] - '0' :
						tolower((unsigned char)c->p[i]) - 'a' + 10);
			}
			if (!cp || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
				free(out);
				perr(c, "%sa \\u escape that is no Unicode scalar value", "");
				return -EINVAL;
			}
			n += utf8_put(cp, out + n);
			c->p += hex;
			break;
		default:
			free(out);
			perr(c, "%sunknown escape in a string (\\\" \\\\ \\n \\t \\r \\b \\f \\uXXXX)", "");
			return -EINVAL;
		}
		c->p++;
	}
	c->p++;
	out[n] = '\0';
	v->type = TV_STR;
	v->s = out;
	return 0;
}

/* An integer, a float, or something bare that the subset does not take. */
static int parse_number(struct cur *c, struct tval *v)
{
	const char *start = c->p;
	char buf[64], word[64];
	size_t n = 0, w;
	bool digits = false, flt = false;
	char *end;

	if (*c->p == '+' || *c->p == '-')
		buf[n++] = *c->p++;
	while (n < sizeof(buf) - 1 &&
	       (isdigit((unsigned char)*c->p) || *c->p == '_' ||
		*c->p == '.' || *c->p == 'e' || *c->p == 'E' ||
		((*c->p == '+' || *c->p == '-') &&
		 (c->p[-1] == 'e' || c->p[-1] == 'E')))) {
		if (*c->p == '_') {
			if (!isdigit((unsigned char)c->p[-1]) ||
			    !isdigit((unsigned char)c->p[1]))
				break;
			c->p++;
			continue;
		}
		if (isdigit((unsigned char)*c->p))
			digits = true;
		else
			flt = true;
		buf[n++] = *c->p++;
	}
	buf[n] = '\0';
	if (bare_char(*c->p) || *c->p == '.' || *c->p == ':' || !digits) {
		for (w = 0; w < sizeof(word) - 1 && start[w] &&
		     !isspace((unsigned char)start[w]) && start[w] != ',' &&
		     start[w] != ']' && start[w] != '#'; w++)
			word[w] = start[w];
		word[w] = '\0';
		perr(c, "bare value '%s': strings are quoted (\"...\"), numbers are digits", word);
		return -EINVAL;
	}
	if (flt) {
		v->type = TV_FLOAT;
		v->s = strdup(buf);
		return v->s ? 0 : -ENOMEM;
	}
	if (n > 1 && (buf[0] == '0' || ((buf[0] == '+' || buf[0] == '-') &&
					buf[1] == '0' && n > 2))) {
		perr(c, "'%s': integers have no leading zeros", buf);
		return -EINVAL;
	}
	errno = 0;
	v->i = strtoll(buf, &end, 10);
	if (errno || *end) {
		perr(c, "'%s': not an integer TOML can hold", buf);
		return -EINVAL;
	}
	v->type = TV_INT;
	return 0;
}

static int parse_value(struct cur *c, struct tval *v, int depth);

static int parse_array(struct cur *c, struct tval *v, int depth)
{
	struct tval *items;
	int ret;

	c->p++;
	v->type = TV_ARRAY;
	for (;;) {
		skip_space_nl(c);
		if (*c->p == ']') {
			c->p++;
			return 0;
		}
		if (!*c->p) {
			perr(c, "%sunterminated array", "");
			return -EINVAL;
		}
		items = realloc(v->items, (v->n + 1) * sizeof(*items));
		if (!items)
			return -ENOMEM;
		v->items = items;
		memset(&v->items[v->n], 0, sizeof(*items));
		ret = parse_value(c, &v->items[v->n], depth + 1);
		if (ret)
			return ret;
		v->n++;
		skip_space_nl(c);
		if (*c->p == ',') {
			c->p++;
			continue;
		}
		if (*c->p != ']') {
			perr(c, "%sexpected ',' or ']' in an array", "");
			return -EINVAL;
		}
	}
}

static int parse_value(struct cur *c, struct tval *v, int depth)
{
	v->line = c->line;
	if (depth > 8) {
		perr(c, "%sarrays nested too deep", "");
		return -EINVAL;
	}
	switch (*c->p) {
	case '"':
	case '\'':
		return parse_string(c, v);
	case '[':
		return parse_array(c, v, depth);
	case '{':
		perr(c, "%sinline tables are not part of vcorevm's TOML subset: use a [table]", "");
		return -EINVAL;
	case '\n':
	case '\0':
	case '#':
		perr(c, "%sa value is missing after '='", "");
		return -EINVAL;
	}
	if (!strncmp(c->p, "true", 4) && !bare_char(c->p[4])) {
		v->type = TV_BOOL;
		v->b = true;
		c->p += 4;
		return 0;
	}
	if (!strncmp(c->p, "false", 5) && !bare_char(c->p[5])) {
		v->type = TV_BOOL;
		v->b = false;
		c->p += 5;
		return 0;
	}
	return parse_number(c, v);
}

/* A bare key or table name into @buf; 0, or -EINVAL after saying why. */
static int parse_name(struct cur *c, char *buf, size_t len, const char *what)
{
	size_t n = 0;

	if (*c->p == '"' || *c->p == '\'') {
		perr(c, "quoted %ss are not part of vcorevm's TOML subset", what);
		return -EINVAL;
	}
	while (bare_char(*c->p)) {
		if (n == len - 1) {
			perr(c, "%s too long", what);
			return -EINVAL;
		}
		buf[n++] = *c->p++;
	}
	buf[n] = '\0';
	if (!n) {
		perr(c, "expected a %s", what);
		return -EINVAL;
	}
	skip_ws(c);
	if (*c->p == '.') {
		perr(c, "dotted %ss are not part of vcorevm's TOML subset", what);
		return -EINVAL;
	}
	return 0;
}

static struct ttable *table_add(struct tdoc *doc, const char *name,
				bool array, int line)
{
	struct ttable *t;
	unsigned int i, index = 0;

	t = realloc(doc->tables, (doc->ntables + 1) * sizeof(*t));
	if (!t)
		return NULL;
	doc->tables = t;
	for (i = 0; i < doc->ntables; i++)
		if (!strcmp(doc->tables[i].name, name))
			index++;
	t = &doc->tables[doc->ntables];
	memset(t, 0, sizeof(*t));
	t->name = strdup(name);
	if (!t->name)
		return NULL;
	t->array = array;
	t->index = index;
	t->line = line;
	doc->ntables++;
	return t;
}

static int parse_header(struct cur *c, struct tdoc *doc)
{
	bool array = c->p[1] == '[';
	char name[64];
	unsigned int i;

	c->p += array ? 2 : 1;
	skip_ws(c);
	if (parse_name(c, name, sizeof(name), "table name"))
		return -EINVAL;
	if (*c->p != ']' || (array && c->p[1] != ']')) {
		perr(c, "expected '%s' after the table name", array ? "]]" : "]");
		return -EINVAL;
	}
	c->p += array ? 2 : 1;
	if (end_of_line(c)) {
		perr(c, "%sunexpected text after the table header", "");
		return -EINVAL;
	}
	for (i = 0; i < doc->ntables; i++) {
		const struct ttable *o = &doc->tables[i];

		/* [[a]] again is the next of its array; [a] vs [[a]]: spec.c says. */
		if (strcmp(o->name, name) || array || o->array)
			continue;
		diag(c->file, c->line, NULL,
		     "table %s%s%s defined again (first at line %d)",
		     array ? "[[" : "[", name, array ? "]]" : "]", o->line);
		c->errors++;
		return -EINVAL;
	}
	return table_add(doc, name, array, c->line) ? 0 : -ENOMEM;
}

static int parse_keyval(struct cur *c, struct ttable *t)
{
	struct tkey *k, *keys;
	char key[64];
	unsigned int i;
	int ret;

	if (parse_name(c, key, sizeof(key), "key"))
		return -EINVAL;
	if (*c->p != '=') {
		perr(c, "expected '=' after key '%s'", key);
		return -EINVAL;
	}
	c->p++;
	skip_ws(c);
	for (i = 0; i < t->nkeys; i++) {
		if (strcmp(t->keys[i].key, key))
			continue;
		diag(c->file, c->line, key, "given twice (first at line %d)",
		     t->keys[i].line);
		c->errors++;
		return -EINVAL;
	}
	keys = realloc(t->keys, (t->nkeys + 1) * sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	t->keys = keys;
	k = &t->keys[t->nkeys];
	memset(k, 0, sizeof(*k));
	k->line = c->line;
	ret = parse_value(c, &k->v, 0);
	if (ret) {
		tval_free(&k->v);
		return ret;
	}
	k->key = strdup(key);
	if (!k->key) {
		tval_free(&k->v);
		return -ENOMEM;
	}
	t->nkeys++;
	if (end_of_line(c)) {
		perr(c, "unexpected text after the value of '%s'", key);
		return -EINVAL;
	}
	return 0;
}

/**
 * toml_parse - parse a spec file's text
 * @file: its name, for the messages
 * @text: its text, NUL-terminated
 * @doc: filled; toml_free() it whatever the result
 *
 * Return: 0, -EINVAL when the text has errors (each reported with diag()),
 * or -ENOMEM.
 */
int toml_parse(const char *file, const char *text, struct tdoc *doc)
{
	struct cur c = { .p = text, .line = 1, .file = file };
	int ret = 0;

	memset(doc, 0, sizeof(*doc));
	doc->file = strdup(file);
	if (!doc->file || !table_add(doc, "", false, 1))
		return -ENOMEM;
	if (strlen(text) != strcspn(text, "\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f")) {
		diag(file, 0, NULL, "control characters: not a text file");
		return -EINVAL;
	}
	while (*c.p) {
		skip_ws(&c);
		if (*c.p == '[')
			ret = parse_header(&c, doc);
		else if (*c.p != '#' && *c.p != '\n' && *c.p != '\r' && *c.p)
			ret = parse_keyval(&c, &doc->tables[doc->ntables - 1]);
		if (ret == -ENOMEM)
			return ret;
		/* After an error, on with the next line. */
		skip_line(&c);
		if (*c.p == '\n') {
			c.p++;
			c.line++;
		}
		ret = 0;
	}
	return c.errors ? -EINVAL : 0;
}

void toml_free(struct tdoc *doc)
{
	unsigned int i, j;

	for (i = 0; i < doc->ntables; i++) {
		struct ttable *t = &doc->tables[i];

		for (j = 0; j < t->nkeys; j++) {
			free(t->keys[j].key);
			tval_free(&t->keys[j].v);
		}
		free(t->keys);
		free(t->name);
	}
	free(doc->tables);
	free(doc->file);
	memset(doc, 0, sizeof(*doc));
}

/* Key @key of @t, marked used; NULL when not given. */
struct tkey *toml_key(const struct ttable *t, const char *key)
{
	unsigned int i;

	for (i = 0; i < t->nkeys; i++) {
		if (!strcmp(t->keys[i].key, key)) {
			t->keys[i].used = true;
			return &t->keys[i];
		}
	}
	return NULL;
}
