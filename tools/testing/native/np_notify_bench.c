// SPDX-License-Identifier: GPL-2.0
/*
 * np_notify_bench.c - cost of a notification event of the virtual interrupt
 * identifier with VIFS VIFs, all active: in each poll cycle every VIF is
 * marked (new used buffers), then one flush signals them all.
 *
 *   np_notify_bench EVENTS VIFS [count|eventfd]
 *
 * The VIFs are spread over the whole id space, so that the flush has as
 * many words to visit as they can occupy.  What a signal is:
 *
 *   count    (the default) a counter incremented: the identifier's own
 *            cost, marking and flushing, and nothing of the signal
 *   eventfd  a write(2) of 1 to the VIF's own eventfd, as the sidecore's
 *            notification ends in an eventfd_signal() on the queue's call
 *            eventfd (vhost-vdpa); from user space it adds a system call
 *            the kernel's path does not make, so it is an upper bound of
 *            the host side of a notification, not the guest's interrupt
 *
 * Neither is what the original SV-NIC timed (the NP's message across PCI
 * and the hypervisor's virtual interrupt to the guest): do not set them
 * beside its microseconds.  Prints "events ns_per_event".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include "np_notify.h"

static int efd[NP_MAX_VIFS];

static bool count_cb(void *arg, unsigned int vif)
{
	++*(unsigned long *)arg;
	return true;
}

/* The VIF's eventfd signalled; a failed write is no signal. */
static bool eventfd_cb(void *arg, unsigned int vif)
{
	unsigned long long one = 1;

	if (write(efd[vif], &one, sizeof(one)) != sizeof(one))
		return false;
	++*(unsigned long *)arg;
	return true;
}

/* An eventfd's count read back (and reset); 0 when it cannot be read. */
static unsigned long long eventfd_take(int fd)
{
	unsigned long long v = 0;

	if (read(fd, &v, sizeof(v)) != sizeof(v))
		return 0;
	return v;
}

int main(int argc, char **argv)
{
	bool (*cb)(void *arg, unsigned int vif) = count_cb;
	unsigned long events, vifs, done = 0, signalled = 0;
	unsigned long long seen = 0;
	unsigned int ids[NP_MAX_VIFS], i;
	struct timespec t0, t1;
	struct np_notify n;
	bool evfd = false;
	double ns;

	if (argc == 4 && !strcmp(argv[3], "eventfd"))
		evfd = true;
	else if (argc != 3 && (argc != 4 || strcmp(argv[3], "count"))) {
		fprintf(stderr, "usage: %s EVENTS VIFS [count|eventfd]\n",
			argv[0]);
		return 2;
	}
	events = strtoul(argv[1], NULL, 0);
	vifs = strtoul(argv[2], NULL, 0);
	if (!events || !vifs || vifs > NP_MAX_VIFS) {
		fprintf(stderr, "%s: EVENTS > 0, 0 < VIFS <= %u\n", argv[0],
			NP_MAX_VIFS);
		return 2;
	}
	for (i = 0; i < vifs; i++) {
		ids[i] = i * (NP_MAX_VIFS / vifs);
		if (!evfd)
			continue;
		/* Non-blocking: a counter that would overflow fails. */
		efd[ids[i]] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (efd[ids[i]] < 0) {
			perror("eventfd");
			return 1;
		}
	}
	if (evfd)
		cb = eventfd_cb;
	np_notify_init(&n);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (done < events) {
		for (i = 0; i < vifs; i++)
			np_notify_mark(&n, ids[i]);
		done += np_notify_flush(&n, cb, &signalled);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
	if (evfd) {
		/* Every signal must be in the eventfds' counts. */
		for (i = 0; i < vifs; i++)
			seen += eventfd_take(efd[ids[i]]);
		if (seen != signalled) {
			fprintf(stderr, "%s: %lu signals, %llu in the eventfds\n",
				argv[0], signalled, seen);
			return 1;
		}
	}
	printf("%lu %.3f\n", done, ns / done);
	return signalled == done ? 0 : 1;
}
