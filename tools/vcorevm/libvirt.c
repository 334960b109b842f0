// SPDX-License-Identifier: GPL-2.0
/*
 * libvirt.c - a VM as libvirt's domain XML, and libvirt's hook
 *
 * The domain carries what V-Core gives the VM: <interface type='vdpa'>
 * per VIF (its /dev/vcore/NAME device), <hostdev type='mdev'> for the
 * VAAL mdev, <cputune><shares> the weight (libvirt writes it to the
 * scope's cpu.weight on cgroup v2), <resource><partition>, and the spec
 * itself in <metadata> under the namespace urn:x-vcore:vm:1.  QoS of a
 * VIF is its own rate limit in the NP: libvirt applies no <bandwidth> to
 * vdpa interfaces (there is no tap to shape).
 *
 * The hook (/etc/libvirt/hooks/qemu.d/vcore runs "vcorevm hook") reads
 * the domain XML on stdin as libvirt gives it and, for a domain with our
 * metadata:
 *
 *   prepare begin   apply (check, VIFs, mdev; the cgroup is libvirt's):
 *                   a refusal or failure exits 1 with the reasons on
 *                   stderr, which libvirt puts in its error and aborts
 *   started begin   bind: QEMU's scope gets the partitions, the mdev the
 *                   reservation
 *   release end     release
 *
 * Any other operation, or a domain without our metadata: nothing, exit 0.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vcorevm.h"

#define HOOK_XML_MAX	(4 << 20)

/* @s as XML character data, or (@attr) an attribute's value in quotes. */
static void xml_esc(const char *s, bool attr, FILE *f)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '\'':
			fputs(attr ? "&apos;" : "'", f);
			break;
		case '"':
			fputs(attr ? "&quot;" : "\"", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

static void xml_put(const char *s, FILE *f)
{
	xml_esc(s, false, f);
}

static void xml_attr(const char *s, FILE *f)
{
	xml_esc(s, true, f);
}

/**
 * libvirt_xml - a VM's domain XML
 * @spec: the VM
 * @f: where
 *
 * Return: 0.
 */
int libvirt_xml(const struct vm_spec *spec, FILE *f)
{
	char mac[18], link[256];
	unsigned int i;

	fprintf(f, "<domain type='%s'>\n",
		strncmp(spec->qemu_accel, "kvm", 3) ? "qemu" : "kvm");
	fprintf(f, "  <!-- made by vcorevm from %s; a VIF's QoS is its own rate limit in the NP:\n"
		"       libvirt applies no <bandwidth> to vdpa interfaces -->\n",
		spec->doc.file);
	fprintf(f, "  <name>");
	xml_put(spec->name, f);
	fprintf(f, "</name>\n  <uuid>%s</uuid>\n", spec->uuid);
	fprintf(f, "  <metadata>\n    <vcore:vm xmlns:vcore='%s'>\n      <vcore:spec>",
		LIBVIRT_NS);
	xml_put(spec->text, f);
	fprintf(f, "</vcore:spec>\n    </vcore:vm>\n  </metadata>\n");
	fprintf(f, "  <memory unit='KiB'>%" PRIu64 "</memory>\n", spec->memory >> 10);
	fprintf(f, "  <vcpu>%u</vcpu>\n", spec->vcpus);
	fprintf(f, "  <cputune>\n    <shares>%u</shares>\n  </cputune>\n", spec->weight);
	fprintf(f, "  <resource>\n    <partition>%s</partition>\n  </resource>\n",
		spec->partition);
	fprintf(f, "  <os>\n    <type arch='x86_64' machine='");
	xml_attr(spec->qemu_machine, f);
	fprintf(f, "'>hvm</type>\n");
	if (*spec->kernel) {
		fprintf(f, "    <kernel>");
		xml_put(spec->kernel, f);
		fprintf(f, "</kernel>\n");
	}
	if (*spec->initrd) {
		fprintf(f, "    <initrd>");
		xml_put(spec->initrd, f);
		fprintf(f, "</initrd>\n");
	}
	if (*spec->cmdline) {
		fprintf(f, "    <cmdline>");
		xml_put(spec->cmdline, f);
		fprintf(f, "</cmdline>\n");
	}
	fprintf(f, "  </os>\n  <devices>\n");
	if (spec->qemu_binary[0] == '/') {
		fprintf(f, "    <emulator>");
		xml_put(spec->qemu_binary, f);
		fprintf(f, "</emulator>\n");
	}
	for (i = 0; i < spec->nvifs; i++) {
		vif_link(&spec->vifs[i], link, sizeof(link));
		fprintf(f, "    <interface type='vdpa'>\n"
			"      <mac address='%s'/>\n"
			"      <source dev='", fmt_mac(spec->vifs[i].mac, mac, sizeof(mac)));
		xml_attr(link, f);
		fprintf(f, "'/>\n    </interface>\n");
	}
	if (spec->mdev.present)
		fprintf(f, "    <hostdev mode='subsystem' type='mdev' model='vfio-pci'>\n"
			"      <source>\n        <address uuid='%s'/>\n      </source>\n"
			"    </hostdev>\n", spec->mdev.uuid);
	fprintf(f, "  </devices>\n</domain>\n");
	return 0;
}

int cmd_libvirt(int argc, char **argv)
{
	struct vm_spec spec;
	int ret;

	if (argc != 1)
		return usage_error("libvirt SPEC");
	ret = spec_load(argv[0], &spec);
	if (!ret)
		libvirt_xml(&spec, stdout);
	spec_free(&spec);
	return ret ? EXIT_USAGE : 0;
}

/* XML character data with its entities and CDATA sections undone. */
static char *xml_text(const char *s, size_t len)
{
	char *out = malloc(len + 1), *o = out;
	const char *e = s + len, *end;
	unsigned long cp;

	if (!out)
		return NULL;
	while (s < e) {
		if (!strncmp(s, "<![CDATA[", 9)) {
			end = strstr(s + 9, "]]>");
			if (!end || end > e)
				break;
			memcpy(o, s + 9, end - s - 9);
			o += end - s - 9;
			s = end + 3;
			continue;
		}
		if (*s != '&') {
			*o++ = *s++;
			continue;
		}
		if (!strncmp(s, "&lt;", 4)) {
			*o++ = '<';
			s += 4;
		} else if (!strncmp(s, "&gt;", 4)) {
			*o++ = '>';
			s += 4;
		} else if (!strncmp(s, "&amp;", 5)) {
			*o++ = '&';
			s += 5;
		} else if (!strncmp(s, "&quot;", 6)) {
			*o++ = '"';
			s += 6;
		} else if (!strncmp(s, "&apos;", 6)) {
			*o++ = '\'';
			s += 6;
		} else if (s[1] == '#') {
			char *stop;

			cp = s[2] == 'x' ? strtoul(s + 3, &stop, 16) :
					   strtoul(s + 2, &stop, 10);
			if (*stop != ';' || !cp || cp > 0x7f) {
				free(out);
				return NULL;	/* a spec is ASCII where it matters */
			}
			*o++ = cp;
			s = stop + 1;
		} else {
			free(out);
			return NULL;
		}
	}
	*o = '\0';
	return out;
}

/**
 * libvirt_spec_of - the spec kept in a domain's <metadata>
 * @xml: the domain XML (libvirt's, any prefix for our namespace)
 *
 * Return: the spec's text (free() it), or NULL when the domain has none.
 */
char *libvirt_spec_of(const char *xml)
{
	size_t nslen = strlen(LIBVIRT_NS), n;
	char open[80], close[80];
	const char *p, *q, *start, *end;

	/* xmlns:PFX='urn:x-vcore:vm:1' (or "..."), then <PFX:spec>...</PFX:spec> */
	for (p = strstr(xml, "xmlns:"); p; p = strstr(p + 1, "xmlns:")) {
		q = p + 6;
		n = strcspn(q, "= \t\n>");
		if (!n || n > 32)
			continue;
		start = q + n;
		while (*start == ' ')
			start++;
		if (*start++ != '=')
			continue;
		while (*start == ' ')
			start++;
		if ((*start != '\'' && *start != '"') ||
		    strncmp(start + 1, LIBVIRT_NS, nslen) ||
		    start[1 + nslen] != *start)
			continue;
		strf(open, sizeof(open), "<%.*s:spec", (int)n, q);
		strf(close, sizeof(close), "</%.*s:spec>", (int)n, q);
		for (start = strstr(p, open); start; start = strstr(start + 1, open))
			if (strchr("> \t\n/", start[strlen(open)]))
				break;
		if (!start)
			continue;
		start = strchr(start, '>');
		if (!start)
			continue;
		if (start[-1] == '/')
			return strdup("");
		start++;
		end = strstr(start, close);
		if (!end)
			continue;
		return xml_text(start, end - start);
	}
	return NULL;
}

static char *read_stdin(void)
{
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap), *p;
	ssize_t n;

	while (buf) {
		if (len + 1 == cap) {
			p = cap < HOOK_XML_MAX ? realloc(buf, cap * 2) : NULL;
			if (!p) {
				free(buf);
				return NULL;
			}
			buf = p;
			cap *= 2;
		}
		n = read(0, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	if (buf)
		buf[len] = '\0';
	return buf;
}

/*
 * vcorevm hook DOMAIN OPERATION SUB-OPERATION EXTRA, domain XML on stdin:
 * what libvirt runs /etc/libvirt/hooks/qemu.d/vcore with.
 */
int cmd_hook(int argc, char **argv)
{
	char *xml, *text, file[128];
	struct vm_spec spec;
	const char *dom, *op, *sub;
	int ret = 0;

	if (argc < 3)
		return usage_error("hook DOMAIN OPERATION SUB-OPERATION [EXTRA], domain XML on stdin");
	dom = argv[0];
	op = argv[1];
	sub = argv[2];
	xml = read_stdin();
	if (!xml) {
		err_msg("hook %s %s %s: cannot read the domain XML", dom, op, sub);
		return EXIT_REFUSED;
	}
	text = libvirt_spec_of(xml);
	free(xml);
	if (!text)
		return 0;	/* not a V-Core domain */
	if (!(!strcmp(op, "prepare") && !strcmp(sub, "begin")) &&
	    !(!strcmp(op, "started") && !strcmp(sub, "begin")) &&
	    !(!strcmp(op, "release") && !strcmp(sub, "end"))) {
		free(text);
		return 0;
	}
	strf(file, sizeof(file), "domain %.64s <metadata>", dom);
	if (spec_from_text(file, text, &spec)) {
		ret = EXIT_REFUSED;
	} else if (strcmp(spec.name, dom)) {
		err_msg("domain %s: its V-Core spec is VM '%s'", dom, spec.name);
		ret = EXIT_REFUSED;
	} else if (!strcmp(op, "prepare")) {
		ret = apply_spec(&spec, true, false);
	} else if (!strcmp(op, "started")) {
		ret = bind_vm(dom, 0);
	} else {
		ret = release_vm(dom, false, true);
	}
	spec_free(&spec);
	free(text);
	return ret;
}
