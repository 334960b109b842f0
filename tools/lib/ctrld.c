// SPDX-License-Identifier: GPL-2.0
/*
 * ctrld.c - what the user-space controller daemons of /dev/vaal share
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "ctrld.h"

/**
 * ctrld_parse_count - a number from 1 to @max
 * @prog: the program, for the message
 * @opt: the option it is for, for the message
 * @s: the text
 * @max: the largest number taken
 *
 * Return: the number, or 0 (with a message on standard error) when @s is
 * not one.
 */
unsigned long ctrld_parse_count(const char *prog, const char *opt,
				const char *s, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || !v || v > max) {
		fprintf(stderr, "%s: %s wants a number from 1 to %lu, not '%s'\n",
			prog, opt, max, s);
		return 0;
	}
	return v;
}

/**
 * ctrld_register_hint - why VAAL_IOC_CTRL_REGISTER may have failed
 * @err: its negative errno
 *
 * Return: a hint to append to the message, " (...)", or "".
 */
const char *ctrld_register_hint(int err)
{
	switch (err) {
	case -EPERM:
		return " (needs CAP_SYS_ADMIN)";
	case -EEXIST:
		return " (a controller of that name exists)";
	case -ENOTTY:
		return " (the running vaal_core has no user-space controllers)";
	default:
		return "";
	}
}

/**
 * ctrld_sd_notify_ready - tell systemd the daemon serves (Type=notify):
 *	READY=1 on $NOTIFY_SOCKET, nothing without one
 */
void ctrld_sd_notify_ready(void)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len;
	int fd;

	if (!path || !*path)
		return;
	len = strlen(path);
	if (len >= sizeof(sa.sun_path))
		return;
	memcpy(sa.sun_path, path, len);
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = '\0';	/* abstract namespace */
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	sendto(fd, "READY=1", 7, MSG_NOSIGNAL, (struct sockaddr *)&sa,
	       offsetof(struct sockaddr_un, sun_path) + len);
	close(fd);
}

/**
 * ctrld_vlog - a line on standard error, "PROG: NAME: ...", written at once
 * @prog: the program
 * @name: the controller's name
 * @fmt: printf format of the rest
 * @ap: its arguments
 */
void ctrld_vlog(const char *prog, const char *name, const char *fmt,
		va_list ap)
{
	char line[1024];
	int n;

	n = snprintf(line, sizeof(line), "%s: %s: ", prog, name);
	if (n < 0 || n >= (int)sizeof(line) - 1)
		n = 0;
	vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	strcat(line, "\n");
	fputs(line, stderr);
}

/**
 * ctrld_msg - a malloc'ed message, for a kernel's log
 * @fmt: printf format
 *
 * Return: the message, or NULL when memory runs out.
 */
char *ctrld_msg(const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vasprintf(&s, fmt, ap);
	va_end(ap);
	return ret < 0 ? NULL : s;
}

/**
 * ctrld_signals - take SIGTERM, SIGINT and SIGUSR1 with @handler, without
 *	SA_RESTART (so that one breaks a blocked pull), and block them in the
 *	calling thread and the threads it makes from now on; each daemon
 *	unblocks them where it waits for them
 * @handler: the handler of all three
 */
void ctrld_signals(void (*handler)(int))
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}
