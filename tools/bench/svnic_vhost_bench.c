// SPDX-License-Identifier: GPL-2.0
/*
 * svnic_vhost_bench.c - a user-space vhost driver's throughput and round
 * trip through an svnic VIF (/dev/vhost-vdpa-N) against the same through
 * vhost-net on a tap bridged to the same uplink, in the same (virtual)
 * machine, and what each side's device costs in CPU time.  Run as root in
 * the VM; prints
 *
 *	bench svnic.vm.tput_64b_vs_vhost_net <ratio> ratio
 *	bench svnic.vm.tput_1500b_vs_vhost_net <ratio> ratio
 *	bench svnic.vm.rtt_vs_vhost_net <ratio> ratio
 *	bench svnic.vm.tput_64b_vs_vhost_net_nopoll <ratio> ratio
 *	bench svnic.vm.tput_1500b_vs_vhost_net_nopoll <ratio> ratio
 *	bench svnic.vm.rtt_vs_vhost_net_nopoll <ratio> ratio
 *	bench svnic.vm.cpu_per_mframe_vs_vhost_net <ratio> ratio
 *	bench svnic.vm.cpu_per_mframe_vs_vhost_net_nopoll <ratio> ratio
 *	bench svnic.vm.sidecore_ns_per_frame_64b <ns> ns/frame
 *	bench svnic.vm.device_ns_per_frame_64b_vs_vhost_net <ratio> ratio
 *
 * (svnic's frames per second over vhost-net's, svnic's median round trip
 * over vhost-net's, CPU time per frame ours over theirs) and the absolute
 * figures and their breakdown as "#" lines.
 *
 * Two vhost-net baselines: "vhost-net" busy-polls its rings
 * (VHOST_SET_VRING_BUSYLOOP_TIMEOUT, QEMU's poll-us) for as long as the
 * sidecore polls idle before it sleeps (--busyloop-us, by default
 * SIDECORE_IDLE_POLL_US: SVNIC_IDLE_POLL_NS of kernel/svnic/svnic_sidecore.c),
 * as the sidecore tells drivers not to kick while it polls; the
 * unsuffixed ratios are against it.  "vhost-net-nopoll" does not poll
 * (vhost-net's default), the _nopoll ratios.
 *
 * CPU time, from the threads' schedstat (their time on a CPU, in ns, with
 * the softirqs they ran: this kernel has no IRQ_TIME_ACCOUNTING), over the
 * 64-byte sending interval: the driver's thread plus the device's - svnic's
 * sidecore kthread (svnic-npN), vhost-net's worker (vhost-PID, a thread of
 * this process).  svnic.vm.cpu_per_mframe_vs_vhost_net is the sum per frame
 * that reached the wire, ours over vhost-net's; the driver spins on its
 * ring, so both sides count a whole CPU for it.  The device's share alone:
 * svnic.vm.sidecore_ns_per_frame_64b is the sidecore's CPU time per frame,
 * its whole per-frame path (ring walk, address translation, copy, skb, the
 * NP's classify/queue/schedule, the veth's transmit and the wire's receive
 * softirq it runs), and svnic.vm.device_ns_per_frame_64b_vs_vhost_net sets
 * it over the busy-polling worker's (under TCG the nanoseconds are the
 * emulator's; the ratio is the figure).  The "#" lines give every part,
 * the CPUs' total busy time (/proc/stat: all CPUs, softirqs and other
 * threads included) and, for the round trips, the device's CPU time per
 * round trip and the kicks.
 *
 * The wire (svnic_vhost_bench.sh beside this file): veth0, the uplink,
 * and its peer wire0 in netns "wire".  Each round measures the three
 * sides, one after the other (round N starts with side N mod 3, svnic,
 * vhost-net, vhost-net-nopoll, and goes on in that cycle), with the same
 * driver (tools/lib/vhost_drv.c), the same rings
 * (256 entries, one descriptor a frame: the 12-byte virtio-net header and
 * the frame) and the same method:
 *
 *   svnic      svnic.ko loaded with an NP on veth0, VIF vif1 bound to
 *              vhost_vdpa; the driver maps its region through IOTLB
 *              messages; svnic.ko unloaded after the measurement
 *   vhost-net  bridge br0 with veth0 and tap0 (IFF_TAP, IFF_NO_PI,
 *              IFF_VNET_HDR, TUNSETVNETHDRSZ 12), /dev/vhost-net with tap0
 *              as the backend of both queues, the region in its memory
 *              table; veth0 out of the bridge afterwards
 *
 * Throughput: the driver posts 64- or 1500-byte Ethernet frames (no FCS;
 * to wire0's MAC, ethertype 0x88b5, which nobody listens to) for
 * --seconds, keeping the transmit ring full: it reclaims used descriptors,
 * refills, and kicks unless the device set VRING_USED_F_NO_NOTIFY (the
 * transmit queue's interrupts are off).  Frames per second are those that
 * arrived at wire0 (its rx_packets in the wire netns's /proc/net/dev) per
 * second of the sending interval, which ends when the device has used the
 * last one.  A "#" line gives the counts, the frames a kick, and the
 * longest time the driver was away from its ring (a vCPU's thread that
 * the host did not run, under TCG on a busy host).
 *
 * Round trip: a responder forked into the wire netns echoes frames of
 * ethertype 0x88b6 (an AF_PACKET socket on wire0, MACs swapped); the
 * driver sends one 64-byte frame and waits for the echo in its receive
 * ring, spinning on the used index (yielding the CPU between looks) - a
 * polling guest driver's way; --irq sleeps in poll() on the receive
 * queue's call eventfd instead, as a guest waits for its interrupt, which
 * adds the driver's wake-up (the same on both sides) and, under TCG, the
 * host's scheduling noise.  The median of --pings round trips after
 * --warmup (of those that fit in 3 s).
 *
 * CPU placement, the same for both: the driver is pinned to CPU 0
 * (--cpu) once its device is open; the device side to CPU 1: svnic's
 * sidecore, a polling kthread, through sidecore_cpu= (--sidecore-cpu),
 * vhost-net's worker with sched_setaffinity() (--worker-cpu, by default
 * the sidecore's CPU; -1 lets it float, as it does outside this bench);
 * the responder floats.  A floating worker may settle on CPU 0 beside the
 * spinning driver, whose time slice its wake-ups then wait for (a tick,
 * 4 ms at HZ=250): that would measure the placement, not vhost-net.
 * Under TCG on a busy host, round trips of 4 or 8 ms still come, on both
 * sides, whenever a woken task waits for a tick or a vCPU's thread for
 * the host: the "#" lines give the 10th and 90th percentiles.
 *
 * The ratios are the medians of the rounds' ratios (--rounds, 5), which
 * keeps them steadier when the host's speed drifts (under TCG on a busy
 * host it does, by a factor of two from one second to the next).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "../lib/vhost_drv.h"
#include "bench.h"

#define ETH_P_BENCH	0x88b5	/* throughput frames: counted, dropped */
#define ETH_P_PING	0x88b6	/* echoed by the responder */
#define PING_LEN	64
#define MAX_ROUNDS	15
#define PING_SECONDS	3	/* for the round trips of one side */
#define MIN_PINGS	50	/* in that time, or it failed */
/*
 * How long svnic's sidecore polls idle before it sleeps: SVNIC_IDLE_POLL_NS
 * in kernel/svnic/svnic_sidecore.c, in microseconds.  vhost-net's busy-poll
 * baseline polls as long.
 */
#define SIDECORE_IDLE_POLL_US	500

/* The sides of a round, in the order of the first. */
enum side {
	SV,		/* svnic */
	VN,		/* vhost-net, busy-polling */
	VN_NOPOLL,	/* vhost-net without */
	NR_SIDES,
};

static const char *const side_name[NR_SIDES] = {
	"svnic", "vhost-net", "vhost-net-nopoll",
};

static const char *prog = "svnic_vhost_bench";
static const unsigned char wire_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0xfe };
static const unsigned char drv_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x01 };

static struct {
	int rounds;
	double seconds;
	int pings;
	int warmup;
	int cpu;
	int sidecore_cpu;
	int worker_cpu;
	bool irq;
	int busyloop_us;
	int only;	/* a side, or -1: all */
} opt = {
	.rounds = 5,
	.seconds = 0.5,
	.pings = 1000,
	.warmup = 100,
	.cpu = 0,
	.sidecore_cpu = 1,
	.worker_cpu = INT_MIN,	/* the sidecore's */
	.busyloop_us = SIDECORE_IDLE_POLL_US,
	.only = -1,
};

/* One throughput measurement: what it sent, and the CPU time it took. */
struct tput {
	double pps;		/* frames/s that reached wire0 */
	double frames;		/* that many */
	double kicks;
	double drv_ns;		/* the driver's thread, on a CPU */
	double dev_ns;		/* the sidecore or the vhost worker */
	double all_ns;		/* all CPUs busy (/proc/stat) */
	double secs;		/* the sending interval */
};

/* What one side did in one round. */
struct result {
	struct tput t64;
	struct tput t1500;
	double rtt_us;
	double rtt_dev_ns;	/* the device's CPU time per round trip */
	double rtt_kicks;	/* kicks per round trip */
};

/* The device's thread of the side being measured: its CPU time counts. */
static pid_t dev_tid;

static char script[PATH_MAX + 64];

/* svnic_vhost_bench.sh ARGS...; its exit status. */
static int net(const char *fmt, ...)
{
	char args[256], cmd[sizeof(script) + sizeof(args) + 8];
	va_list ap;
	int ret;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "'%s' %s", script, args);
	ret = system(cmd);
	if (ret)
		fprintf(stderr, "%s: %s failed (%d)\n", prog, args, ret);
	return ret == -1 ? -1 : WEXITSTATUS(ret);
}

/*
 * The checkout this binary was built in (build/tools/..), for the script
 * and, unless $VCORE_SUITE says otherwise, the modules.
 */
static int find_top(char *top, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", top, len - 1);
	int i;

	if (n <= 0)
		return -1;
	top[n] = '\0';
	for (i = 0; i < 3; i++) {
		char *slash = strrchr(top, '/');

		if (!slash)
			return -1;
		*slash = '\0';
	}
	return 0;
}

static int pin(pid_t tid, int cpu)
{
	cpu_set_t set;
	int i;

	CPU_ZERO(&set);
	if (cpu >= 0)
		CPU_SET(cpu, &set);
	else
		for (i = 0; i < CPU_SETSIZE; i++)
			CPU_SET(i, &set);
	return sched_setaffinity(tid, sizeof(set), &set);
}

/* The vhost worker thread of this process (vhost-PID), or 0. */
static pid_t worker_tid(void)
{
	char path[300], comm[32];
	struct dirent *de;
	pid_t tid = 0;
	DIR *dir;
	FILE *f;

	dir = opendir("/proc/self/task");
	while (dir && !tid && (de = readdir(dir))) {
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strncmp(comm, "vhost-", 6))
			tid = atoi(de->d_name);
		fclose(f);
	}
	if (dir)
		closedir(dir);
	return tid;
}

/* The CPU thread @tid ran on last (/proc's stat, field 39), or -1. */
static int last_cpu(pid_t tid)
{
	char path[64], buf[1024], *p;
	int i, cpu = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	for (i = 2; p && i < 39; i++)	/* p at the end of field i */
		p = strchr(p + 1, ' ');
	if (p)
		cpu = atoi(p + 1);
	fclose(f);
	return cpu;
}

/*
 * Thread @tid's time on a CPU in ns (/proc/TID/schedstat's first field),
 * or -1.
 */
static double thread_ns(pid_t tid)
{
	unsigned long long ns;
	char path[64];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", tid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fscanf(f, "%llu", &ns);
	fclose(f);
	return n == 1 ? (double)ns : -1;
}

/* The sidecore kthread of svnic's NP (svnic-npN), or 0 when none or many. */
static pid_t sidecore_tid(void)
{
	char path[300], comm[32];
	struct dirent *de;
	int found = 0;
	pid_t tid = 0;
	DIR *dir;
	FILE *f;

	dir = opendir("/proc");
	while (dir && (de = readdir(dir))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strncmp(comm, "svnic-np", 8)) {
			tid = atoi(de->d_name);
			found++;
		}
		fclose(f);
	}
	if (dir)
		closedir(dir);
	return found == 1 ? tid : 0;
}

/* An fd of netns "wire", or -1. */
static int wire_ns(void)
{
	return open("/run/netns/wire", O_RDONLY | O_CLOEXEC);
}

/*
 * /proc/net/dev of the wire netns, kept open: the file stays that
 * namespace's after the thread went back.
 */
static int wire_stats_open(void)
{
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int wire = wire_ns(), fd = -1;

	if (self >= 0 && wire >= 0 && !setns(wire, CLONE_NEWNET)) {
		fd = open("/proc/self/net/dev", O_RDONLY | O_CLOEXEC);
		if (setns(self, CLONE_NEWNET)) {
			perror("setns back");
			exit(1);
		}
	}
	if (self >= 0)
		close(self);
	if (wire >= 0)
		close(wire);
	return fd;
}

/* wire0's rx_packets, or -1. */
static long long wire_rx_packets(int fd)
{
	char buf[8192], *p;
	unsigned long long bytes, packets;
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "wire0:");
	if (!p || sscanf(p + 6, "%llu %llu", &bytes, &packets) != 2)
		return -1;
	return packets;
}

/*
 * wire0's rx_packets once the frames in flight have landed: when it
 * reached @want, or stood still for 60 ms (frames were lost), or after a
 * second.
 */
static long long wire_settle(int fd, long long want)
{
	long long rx = wire_rx_packets(fd), last;
	int i, still = 0;

	for (i = 0; i < 50 && rx >= 0 && rx < want && still < 3; i++) {
		usleep(20000);
		last = rx;
		rx = wire_rx_packets(fd);
		still = rx == last ? still + 1 : 0;
	}
	return rx;
}

/*
 * The responder: a child in the wire netns echoing ping frames on wire0,
 * MACs swapped.  Its pid once it listens, or -1.
 */
static pid_t responder_start(void)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_PING),
	};
	unsigned char p[2048], mac[ETH_ALEN];
	int ready[2], ns, fd;
	socklen_t sl;
	pid_t pid;
	ssize_t n;
	char c = 0;

	if (pipe(ready))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid) {
		close(ready[1]);
		n = read(ready[0], &c, 1);
		close(ready[0]);
		if (n == 1)
			return pid;
		waitpid(pid, NULL, 0);
		return -1;
	}
	close(ready[0]);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	pin(0, -1);
	ns = wire_ns();
	if (ns < 0 || setns(ns, CLONE_NEWNET))
		_exit(1);
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_PING));
	sll.sll_ifindex = if_nametoindex("wire0");
	if (fd < 0 || !sll.sll_ifindex ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		_exit(1);
	if (write(ready[1], &c, 1) != 1)
		_exit(1);
	for (;;) {
		sl = sizeof(sll);
		n = recvfrom(fd, p, sizeof(p), 0, (struct sockaddr *)&sll, &sl);
		if (n < ETH_HLEN || sll.sll_pkttype == PACKET_OUTGOING)
			continue;
		memcpy(mac, p, ETH_ALEN);
		memcpy(p, p + ETH_ALEN, ETH_ALEN);
		memcpy(p + ETH_ALEN, mac, ETH_ALEN);
		if (send(fd, p, n, 0) != n)
			continue;
	}
}

static void responder_stop(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

/* An Ethernet frame of @len bytes from the driver, behind its header. */
static void frame_fill(struct vdrv *d, unsigned char *b, __u16 type,
		       size_t len)
{
	memset(b, 0, VDRV_HDR_LEN + len);
	b += VDRV_HDR_LEN;
	memcpy(b, wire_mac, ETH_ALEN);
	memcpy(b + ETH_ALEN, d->mac, ETH_ALEN);
	b[12] = type >> 8;
	b[13] = type & 0xff;
}

/*
 * Used transmit descriptors back on the free list @freel (@nfree long).
 * A device that uses more than was posted is not believed: -1.
 */
static int tx_reclaim(struct vdrv *d, __u16 *freel, int *nfree)
{
	struct vdrv_vq *vq = &d->vq[VDRV_TX];
	struct vring_used_elem *e;

	while ((e = vdrv_used_next(d, VDRV_TX))) {
		if (*nfree == VDRV_QNUM) {
			fprintf(stderr, "%s: the device used more transmit buffers than were posted (used index %u, seen %u, posted %u)\n",
				prog, vdrv_used_idx(d, VDRV_TX), vq->used_seen,
				vq->avail_idx);
			return -1;
		}
		freel[(*nfree)++] = e->id % VDRV_QNUM;
	}
	return 0;
}

/*
 * Every transmit descriptor made a frame of @len bytes; the free list
 * full.  (The device used all that was posted before.)
 */
static void tx_prepare(struct vdrv *d, __u16 type, size_t len, __u16 *freel,
		       int *nfree)
{
	int i;

	for (i = 0; i < VDRV_QNUM; i++) {
		frame_fill(d, vdrv_buf(d, VDRV_TX, i), type, len);
		vdrv_desc(d, VDRV_TX, i, vdrv_addr(d, vdrv_buf_off(VDRV_TX, i)),
			  VDRV_HDR_LEN + len, 0, 0);
		freel[i] = i;
	}
	*nfree = VDRV_QNUM;
	d->vq[VDRV_TX].used_seen = vdrv_used_idx(d, VDRV_TX);
}

/* Wait (spinning, yielding) until the device used all posted; 0 or -1. */
static int tx_drain(struct vdrv *d, double timeout)
{
	double end = bench_now_s() + timeout;

	while (vdrv_used_idx(d, VDRV_TX) != d->vq[VDRV_TX].avail_idx) {
		if (bench_now_s() > end)
			return -1;
		sched_yield();
	}
	return 0;
}

/*
 * CPU @cpu's (all CPUs' when negative) busy and total jiffies from
 * /proc/stat; -1 when unknown.
 */
static int cpu_jiffies(int cpu, unsigned long long *busy,
		       unsigned long long *total)
{
	unsigned long long v[8] = { 0 };
	char line[256], name[16];
	int i, ret = -1;
	FILE *f;

	if (cpu < 0)
		snprintf(name, sizeof(name), "cpu ");
	else
		snprintf(name, sizeof(name), "cpu%d ", cpu);
	f = fopen("/proc/stat", "r");
	while (f && ret && fgets(line, sizeof(line), f)) {
		if (strncmp(line, name, strlen(name)))
			continue;
		if (sscanf(line + strlen(name), " %llu %llu %llu %llu %llu %llu %llu %llu",
			   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
			   &v[7]) != 8)
			break;
		for (*total = 0, i = 0; i < 8; i++)
			*total += v[i];
		*busy = *total - v[3] - v[4];	/* less idle and iowait */
		ret = 0;
	}
	if (f)
		fclose(f);
	return ret;
}

/* The side being measured (set by measure()). */
static enum side cur_side;

/* The driver's and the device's CPU time now; -1 when either is unknown. */
static int cpu_now(pid_t drv, double *drv_ns, double *dev_ns)
{
	*drv_ns = thread_ns(drv);
	*dev_ns = dev_tid ? thread_ns(dev_tid) : -1;
	return *drv_ns < 0 || *dev_ns < 0 ? -1 : 0;
}

/*
 * Frames of @len bytes sent for --seconds: @r filled (frames/s that
 * reached wire0, and the CPU time it took); 0, or -1 on failure.
 */
static int tput(struct vdrv *d, size_t len, int stats, struct tput *r)
{
	unsigned long long busy0 = 0, total0 = 0, busy1 = 0, total1 = 0;
	unsigned long long abusy0 = 0, atotal0 = 0, abusy1 = 0, atotal1 = 0;
	double t0, t1, t, end, last, gap = 0;
	double drv0, dev0, drv1, dev1;
	unsigned long sent = 0, kicks = 0;
	pid_t self = gettid();
	__u16 freel[VDRV_QNUM];
	long long start, rx;
	int nfree, n;

	tx_prepare(d, ETH_P_BENCH, len, freel, &nfree);
	cpu_jiffies(opt.sidecore_cpu, &busy0, &total0);
	cpu_jiffies(-1, &abusy0, &atotal0);
	start = wire_rx_packets(stats);
	if (cpu_now(self, &drv0, &dev0)) {
		fprintf(stderr, "%s: no CPU time of the driver (%d) or the device (%d)\n",
			prog, self, dev_tid);
		return -1;
	}
	t0 = bench_now_s();
	end = t0 + opt.seconds;
	last = t0;
	for (t = t0; t < end; t = bench_now_s()) {
		gap = t - last > gap ? t - last : gap;
		last = t;
		if (tx_reclaim(d, freel, &nfree))
			return -1;
		for (n = 0; nfree; n++, sent++)
			vdrv_post(d, VDRV_TX, freel[--nfree]);
		if (n)
			kicks += vdrv_notify(d, VDRV_TX);
		else
			sched_yield();
	}
	if (tx_drain(d, 5)) {
		fprintf(stderr, "%s: %zu-byte frames: transmit buffers not used (used %u, posted %u)\n",
			prog, len, vdrv_used_idx(d, VDRV_TX), d->vq[VDRV_TX].avail_idx);
		return -1;
	}
	t1 = bench_now_s();
	if (cpu_now(self, &drv1, &dev1)) {
		fprintf(stderr, "%s: the device's thread (%d) is gone\n", prog,
			dev_tid);
		return -1;
	}
	cpu_jiffies(opt.sidecore_cpu, &busy1, &total1);
	cpu_jiffies(-1, &abusy1, &atotal1);
	rx = wire_settle(stats, start + sent);
	if (start < 0 || rx < 0) {
		fprintf(stderr, "%s: no rx_packets of wire0\n", prog);
		return -1;
	}
	if (rx <= start) {
		fprintf(stderr, "%s: %s %zu B: no frame reached wire0\n", prog,
			side_name[cur_side], len);
		return -1;
	}
	*r = (struct tput){
		.frames = rx - start,
		.secs = t1 - t0,
		.pps = (rx - start) / (t1 - t0),
		.kicks = kicks,
		.drv_ns = drv1 - drv0,
		.dev_ns = dev1 - dev0,
		/* USER_HZ jiffies: 10 ms each */
		.all_ns = (abusy1 - abusy0) * 1e9 / sysconf(_SC_CLK_TCK),
	};
	printf("#   %s %zu B: %llu of %lu frames reached wire0 in %.2f s, %.1f frames a kick, the driver away %.1f ms at most, CPU %d busy %.0f%%\n",
	       side_name[cur_side], len, rx - start, sent, t1 - t0,
	       kicks ? (double)sent / kicks : 0.0, gap * 1e3, opt.sidecore_cpu,
	       total1 > total0 ? 100.0 * (busy1 - busy0) / (total1 - total0) : -1.0);
	printf("#   %s %zu B CPU per frame: driver %.0f ns + device %.0f ns (on a CPU %.0f%% of the interval) = %.0f ns; all CPUs busy %.0f ns\n",
	       side_name[cur_side], len, r->drv_ns / r->frames,
	       r->dev_ns / r->frames, 100 * r->dev_ns / (r->secs * 1e9),
	       (r->drv_ns + r->dev_ns) / r->frames, r->all_ns / r->frames);
	return 0;
}

/* The receive ring full of empty buffers. */
static void rx_fill(struct vdrv *d)
{
	int i;

	for (i = 0; i < VDRV_QNUM; i++) {
		vdrv_desc(d, VDRV_RX, i, vdrv_addr(d, vdrv_buf_off(VDRV_RX, i)),
			  VDRV_BUF_SIZE, VRING_DESC_F_WRITE, 0);
		vdrv_post(d, VDRV_RX, i);
	}
	vdrv_notify(d, VDRV_RX);
}

/*
 * Wait for the echo of ping @seq in the receive ring, giving buffers back
 * as they come; 0, or -1 when nothing came for a second.
 */
static int ping_wait(struct vdrv *d, __u32 seq)
{
	struct vring_used_elem *e;
	static unsigned int given;
	double end = bench_now_s() + 1;
	unsigned char *b;
	__u32 got;

	for (;;) {
		e = vdrv_used_next(d, VDRV_RX);
		if (!e && !opt.irq) {
			if (bench_now_s() > end)
				return -1;
			sched_yield();
			continue;
		}
		if (!e) {
			if (vdrv_wait_call(d, VDRV_RX, 1000) <= 0)
				return -1;
			continue;
		}
		b = vdrv_buf(d, VDRV_RX, e->id) + VDRV_HDR_LEN;
		memcpy(&got, b + ETH_HLEN, sizeof(got));
		vdrv_post(d, VDRV_RX, e->id % VDRV_QNUM);
		if (++given % 32 == 0)
			vdrv_notify(d, VDRV_RX);
		if (e->len >= VDRV_HDR_LEN + ETH_HLEN + sizeof(got) &&
		    b[12] == ETH_P_PING >> 8 && b[13] == (ETH_P_PING & 0xff) &&
		    ntohl(got) == seq)
			return 0;
	}
}

/*
 * The median round trip in microseconds; -1 on failure.  @r gets the
 * device's CPU time and the kicks per round trip.
 */
static double rtt(struct vdrv *d, struct result *r)
{
	int i, k = 0, lost = 0, total = opt.warmup + opt.pings;
	double *us, t0, end, ret = -1, drv0 = 0, dev0 = 0, drv1, dev1;
	double t_first = 0;
	unsigned long kicks = 0;
	__u16 freel[VDRV_QNUM];
	int nfree;

	us = calloc(opt.pings, sizeof(*us));
	if (!us)
		return -1;
	tx_prepare(d, ETH_P_PING, PING_LEN, freel, &nfree);
	rx_fill(d);
	end = bench_now_s() + PING_SECONDS;
	for (i = 0; i < total && bench_now_s() < end; i++) {
		__u32 seq = htonl(i);
		__u16 h;

		if (tx_reclaim(d, freel, &nfree) || !nfree)
			break;
		h = freel[--nfree];
		memcpy((unsigned char *)vdrv_buf(d, VDRV_TX, h) + VDRV_HDR_LEN +
		       ETH_HLEN, &seq, sizeof(seq));
		if (i == opt.warmup &&
		    cpu_now(gettid(), &drv0, &dev0) == 0)
			t_first = bench_now_s();
		t0 = bench_now_s();
		vdrv_post(d, VDRV_TX, h);
		if (i >= opt.warmup)
			kicks += vdrv_notify(d, VDRV_TX);
		else
			vdrv_notify(d, VDRV_TX);
		if (ping_wait(d, i)) {
			if (++lost > 10)
				break;
			continue;
		}
		if (i >= opt.warmup)
			us[k++] = (bench_now_s() - t0) * 1e6;
	}
	if (k < (opt.pings < MIN_PINGS ? opt.pings : MIN_PINGS))
		fprintf(stderr, "%s: %d of %d round trips (%d lost)\n", prog, k,
			opt.pings, lost);
	else if (!t_first || cpu_now(gettid(), &drv1, &dev1))
		fprintf(stderr, "%s: no CPU time of the device (%d)\n", prog,
			dev_tid);
	else
		ret = bench_median(us, k);
	if (ret > 0) {
		/* The timed pings: those after the warm-up, lost ones too. */
		r->rtt_dev_ns = (dev1 - dev0) / (i - opt.warmup);
		r->rtt_kicks = (double)kicks / (i - opt.warmup);
		printf("#   %s round trip: %.1f / %.1f / %.1f us (10th, 50th, 90th percentile), %d lost\n",
		       side_name[cur_side], us[k / 10], ret, us[k * 9 / 10],
		       lost);
		printf("#   %s round trip: device on a CPU %.1f us a round trip (%.0f%% of the time), driver %.1f us, %.2f kicks a round trip\n",
		       side_name[cur_side], r->rtt_dev_ns / 1e3,
		       100 * (dev1 - dev0) / ((bench_now_s() - t_first) * 1e9),
		       (drv1 - drv0) / (i - opt.warmup) / 1e3, r->rtt_kicks);
	}
	free(us);
	return ret;
}

/* All measurements of side @which on an open device. */
static int measure(struct vdrv *d, enum side which, int stats,
		   struct result *r)
{
	pid_t worker;
	int ret;

	cur_side = which;
	if (pin(0, opt.cpu)) {
		fprintf(stderr, "%s: cannot pin to CPU %d: %s\n", prog, opt.cpu,
			strerror(errno));
		return -1;
	}
	worker = d->kind == VDRV_NET ? worker_tid() : 0;
	dev_tid = d->kind == VDRV_NET ? worker : sidecore_tid();
	if (!dev_tid) {
		fprintf(stderr, "%s: %s: no device thread (%s) found\n", prog,
			side_name[which], d->kind == VDRV_NET ? "vhost-PID" : "svnic-npN");
		return -1;
	}
	if (worker && opt.worker_cpu >= 0 && pin(worker, opt.worker_cpu))
		fprintf(stderr, "%s: cannot pin vhost-net's worker: %s\n", prog,
			strerror(errno));
	if (d->kind == VDRV_NET) {
		ret = vdrv_busyloop(d, which == VN ? opt.busyloop_us : 0);
		if (ret) {
			fprintf(stderr, "%s: %s: busy-loop timeout not set: %s\n",
				prog, side_name[which], strerror(-ret));
			return -1;
		}
	}
	vdrv_irq(d, VDRV_TX, false);
	ret = tput(d, 64, stats, &r->t64);
	if (!ret)
		ret = tput(d, 1500, stats, &r->t1500);
	r->rtt_us = ret ? -1 : rtt(d, r);
	if (worker)
		printf("#   vhost-net's worker last ran on CPU %d\n", last_cpu(worker));
	pin(0, -1);
	dev_tid = 0;
	return r->rtt_us < 0 ? -1 : 0;
}

static int run_svnic(int stats, struct result *r)
{
	struct vdrv d = { .fd = -1 };
	int ret;

	if (net("svnic %d", opt.sidecore_cpu))
		return -1;
	ret = vdrv_open_vdpa(&d, "vif1");
	if (ret)
		fprintf(stderr, "%s: vif1's vhost-vdpa bring-up failed at step %d (%s)\n",
			prog, ret, strerror(errno));
	else
		ret = measure(&d, SV, stats, r);
	vdrv_close(&d);
	if (net("svnic-down"))
		return -1;
	return ret;
}

static int run_vhost_net(enum side side, int stats, struct result *r)
{
	struct vdrv d = { .fd = -1 };
	int ret;

	ret = vdrv_open_net(&d, "tap0", drv_mac);
	if (ret)
		fprintf(stderr, "%s: vhost-net bring-up failed at step %d (%s)\n",
			prog, ret, strerror(errno));
	else
		ret = net("bridge tap0") ? -1 : measure(&d, side, stats, r);
	vdrv_close(&d);
	if (net("bridge-down"))
		return -1;
	return ret;
}

static void print_result(const char *side, const char *round,
			 const struct result *r)
{
	printf("# %s %s: 64 B %.0f frames/s, 1500 B %.0f frames/s, round trip %.1f us\n",
	       side, round, r->t64.pps, r->t1500.pps, r->rtt_us);
}

/* CPU time per 64-byte frame, driver and device: ns. */
static double cpu_per_frame(const struct result *r)
{
	return (r->t64.drv_ns + r->t64.dev_ns) / r->t64.frames;
}

/* The device's CPU time per 64-byte frame: ns. */
static double dev_per_frame(const struct result *r)
{
	return r->t64.dev_ns / r->t64.frames;
}

/* The median over @n rounds of what @f makes of each side's result. */
static double median_side(const struct result *x, int n,
			  double (*f)(const struct result *))
{
	double v[MAX_ROUNDS];
	int i;

	for (i = 0; i < n; i++)
		v[i] = f(&x[i]);
	return bench_median(v, n);
}

/* The median over @n rounds of svnic's figure over the peer's. */
static double median_ratio(const struct result *sv, const struct result *p,
			   int n, double (*f)(const struct result *))
{
	double v[MAX_ROUNDS];
	int i;

	for (i = 0; i < n; i++)
		v[i] = f(&sv[i]) / f(&p[i]);
	return bench_median(v, n);
}

static double pps64(const struct result *r) { return r->t64.pps; }
static double pps1500(const struct result *r) { return r->t1500.pps; }
static double rtt_us(const struct result *r) { return r->rtt_us; }
static double drv_per_frame(const struct result *r)
{
	return r->t64.drv_ns / r->t64.frames;
}
static double rtt_dev_us(const struct result *r) { return r->rtt_dev_ns / 1e3; }
static double rtt_kicks(const struct result *r) { return r->rtt_kicks; }
static double frames_a_kick64(const struct result *r)
{
	return r->t64.kicks ? r->t64.frames / r->t64.kicks : r->t64.frames;
}
static double all_per_frame(const struct result *r)
{
	return r->t64.all_ns / r->t64.frames;
}

/* Each side's medians, and the ratios against both baselines. */
static void report(struct result res[NR_SIDES][MAX_ROUNDS], int n)
{
	static const char *const sfx[NR_SIDES] = { "", "", "_nopoll" };
	const struct result *sv = res[SV];
	struct result m;
	int s;

	for (s = 0; s < NR_SIDES; s++) {
		m.t64.pps = median_side(res[s], n, pps64);
		m.t1500.pps = median_side(res[s], n, pps1500);
		m.rtt_us = median_side(res[s], n, rtt_us);
		print_result(side_name[s], "median", &m);
		printf("#   %s median, 64 B, per frame: driver %.0f ns, device %.0f ns, both %.0f ns (%.1f ms per million frames), all CPUs %.0f ns; %.1f frames a kick; round trip: device on a CPU %.1f us, %.2f kicks\n",
		       side_name[s], median_side(res[s], n, drv_per_frame),
		       median_side(res[s], n, dev_per_frame),
		       median_side(res[s], n, cpu_per_frame),
		       median_side(res[s], n, cpu_per_frame),
		       median_side(res[s], n, all_per_frame),
		       median_side(res[s], n, frames_a_kick64),
		       median_side(res[s], n, rtt_dev_us),
		       median_side(res[s], n, rtt_kicks));
	}
	for (s = VN; s < NR_SIDES; s++) {
		printf("bench svnic.vm.tput_64b_vs_vhost_net%s %.2f ratio\n",
		       sfx[s], median_ratio(sv, res[s], n, pps64));
		printf("bench svnic.vm.tput_1500b_vs_vhost_net%s %.2f ratio\n",
		       sfx[s], median_ratio(sv, res[s], n, pps1500));
		printf("bench svnic.vm.rtt_vs_vhost_net%s %.2f ratio\n",
		       sfx[s], median_ratio(sv, res[s], n, rtt_us));
	}
	for (s = VN; s < NR_SIDES; s++)
		printf("bench svnic.vm.cpu_per_mframe_vs_vhost_net%s %.2f ratio\n",
		       sfx[s], median_ratio(sv, res[s], n, cpu_per_frame));
	printf("bench svnic.vm.sidecore_ns_per_frame_64b %.0f ns/frame\n",
	       median_side(sv, n, dev_per_frame));
	printf("bench svnic.vm.device_ns_per_frame_64b_vs_vhost_net %.2f ratio\n",
	       median_ratio(sv, res[VN], n, dev_per_frame));
	printf("#   device ns per frame, svnic over vhost-net-nopoll: %.2f; round trip, device CPU time, svnic over vhost-net: %.2f, over vhost-net-nopoll: %.2f\n",
	       median_ratio(sv, res[VN_NOPOLL], n, dev_per_frame),
	       median_ratio(sv, res[VN], n, rtt_dev_us),
	       median_ratio(sv, res[VN_NOPOLL], n, rtt_dev_us));
}

static void help(FILE *f)
{
	fprintf(f,
		"usage: %s [--rounds N] [--seconds S] [--pings N] [--warmup N]\n"
		"       [--cpu CPU] [--sidecore-cpu CPU] [--worker-cpu CPU] [--irq]\n"
		"       [--busyloop-us US] [--only svnic|vhost-net|vhost-net-nopoll]\n"
		"  a vhost driver through an svnic VIF against vhost-net + tap +\n"
		"  bridge, busy-polling its rings US microseconds (%d, the\n"
		"  sidecore's idle polling) and not polling, N rounds (5): frames/s\n"
		"  of 64 and 1500 bytes sent for S\n"
		"  seconds (0.5), the median of N round trips (1000, after 100),\n"
		"  the echo awaited spinning on the used ring or, with --irq, in\n"
		"  poll() on the call eventfd; the driver on CPU (0), the sidecore\n"
		"  on CPU (1), vhost-net's worker on CPU (the sidecore's; -1:\n"
		"  floating).  --only measures one side, and prints no ratio (for\n"
		"  profiling).\n"
		"  As root in the VM; svnic.ko from $VCORE_SUITE (default: the\n"
		"  checkout's build/stock)\n",
		prog, SIDECORE_IDLE_POLL_US);
}

static int parse(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rounds", required_argument, NULL, 'r' },
		{ "seconds", required_argument, NULL, 's' },
		{ "pings", required_argument, NULL, 'p' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "sidecore-cpu", required_argument, NULL, 'S' },
		{ "worker-cpu", required_argument, NULL, 'W' },
		{ "irq", no_argument, NULL, 'i' },
		{ "only", required_argument, NULL, 'o' },
		{ "busyloop-us", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	int c;

	while ((c = getopt_long(argc, argv, "r:s:p:w:c:S:W:io:b:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			opt.rounds = atoi(optarg);
			break;
		case 's':
			opt.seconds = strtod(optarg, NULL);
			break;
		case 'p':
			opt.pings = atoi(optarg);
			break;
		case 'w':
			opt.warmup = atoi(optarg);
			break;
		case 'c':
			opt.cpu = atoi(optarg);
			break;
		case 'S':
			opt.sidecore_cpu = atoi(optarg);
			break;
		case 'W':
			opt.worker_cpu = atoi(optarg);
			break;
		case 'i':
			opt.irq = true;
			break;
		case 'o':
			for (opt.only = 0; opt.only < NR_SIDES; opt.only++)
				if (!strcmp(optarg, side_name[opt.only]))
					break;
			if (opt.only == NR_SIDES)
				return -1;
			break;
		case 'b':
			opt.busyloop_us = atoi(optarg);
			break;
		case 'h':
			help(stdout);
			exit(0);
		default:
			return -1;
		}
	}
	if (opt.worker_cpu == INT_MIN)
		opt.worker_cpu = opt.sidecore_cpu;
	if (optind != argc || opt.rounds < 1 || opt.rounds > MAX_ROUNDS ||
	    !(opt.seconds > 0) || opt.pings < 1 || opt.warmup < 0 || opt.cpu < 0 ||
	    opt.busyloop_us < 0)
		return -1;
	return 0;
}

/* Side @side's measurement in round @res. */
static int run_side(enum side side, int stats, struct result *res)
{
	return side == SV ? run_svnic(stats, res) :
			    run_vhost_net(side, stats, res);
}

int main(int argc, char **argv)
{
	static struct result res[NR_SIDES][MAX_ROUNDS];
	char top[PATH_MAX], suite[PATH_MAX + 16], round[24];
	int i, k, s, stats = -1, ret = 1;
	pid_t responder = -1;

	if (parse(argc, argv)) {
		help(stderr);
		return 2;
	}
	if (find_top(top, sizeof(top))) {
		fprintf(stderr, "%s: where am I?\n", prog);
		return 2;
	}
	snprintf(script, sizeof(script), "%s/tools/bench/svnic_vhost_bench.sh",
		 top);
	snprintf(suite, sizeof(suite), "%s/build/stock", top);
	setenv("VCORE_SUITE", suite, 0);
	/* The VM's console interleaves stdout and stderr: a line at a time. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	net("down >/dev/null 2>&1");
	if (net("wire"))
		goto out;
	stats = wire_stats_open();
	responder = responder_start();
	if (stats < 0 || responder < 0) {
		fprintf(stderr, "%s: no wire0 counters or responder\n", prog);
		goto out;
	}
	for (i = 0; i < opt.rounds; i++) {
		double t = bench_now_s();

		snprintf(round, sizeof(round), "round %d", i + 1);
		if (opt.only >= 0) {
			if (run_side(opt.only, stats, &res[opt.only][i]))
				goto out;
			print_result(side_name[opt.only], round,
				     &res[opt.only][i]);
			continue;
		}
		/* Round i starts with side i mod 3. */
		for (k = 0; k < NR_SIDES; k++) {
			s = (i + k) % NR_SIDES;
			if (run_side(s, stats, &res[s][i]))
				goto out;
		}
		for (s = 0; s < NR_SIDES; s++)
			print_result(side_name[s], round, &res[s][i]);
		printf("#   %s: %.1f s\n", round, bench_now_s() - t);
	}
	if (opt.only < 0)
		report(res, opt.rounds);
	ret = 0;
out:
	responder_stop(responder);
	if (stats >= 0)
		close(stats);
	if (net("down"))
		ret = 1;
	return ret;
}
