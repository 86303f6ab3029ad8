// SPDX-License-Identifier: GPL-2.0
/*
 * vsock-test: the real-guest traffic tests, both sides.
 *
 *   vsock-test serve            in the guest: the servers below, forever
 *   vsock-test guest-client     in the guest: guest->host connections
 *   vsock-test host-suite CID   on the host: every test against the guest
 *   vsock-test host-flood CID   on the host: send until the connection dies
 *   vsock-test wait CID SECS    on the host: wait until the guest answers
 *
 * The benchmark's host side (tests/vm/init-host, "make bench"), each
 * printing one "BENCH <metric> <value>" line:
 *   vsock-test bench-rr CID SECS       1-byte request/response round trips per second
 *   vsock-test bench-connect CID SECS  connections set up and torn down per second
 *   vsock-test bench-streams CID N MIB N parallel streams of MIB MiB each: MiB/s in all
 *   vsock-test agent CID CMD           run the shell command CMD in the guest
 *
 * Guest ports: 5001 sink (replies count+checksum at EOF), 5002 source
 * (sends the length asked for), 5003 echo, 5004 SEQPACKET echo, 5005
 * discard (replies the count at EOF, no checksum: the guest's CPU is the
 * benchmark's bottleneck under TCG), 5006 the agent (runs the command line
 * it reads with /bin/sh, its output back on the connection).
 * Host ports: 6000 sink for the guest client, 6002 the guest's reports,
 * 6003 a listener that never accepts (backlog).
 * Prints "PASS name", "FAIL name: why", "SKIP name: why".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/vm_sockets.h>
#include "common.h"

#define MIB (1024 * 1024)

static int failures;


static void fill(unsigned char *b, uint64_t off, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = pattern(off + i);
}

static int vsock(int type)
{
	return socket(AF_VSOCK, type, 0);
}

/*
 * Connect with a connect timeout of @secs: a nested TCG guest under load
 * can take longer than the default 2 s to answer.
 */
static int vconnect_timeout(int type, unsigned int cid, unsigned int port, int secs)
{
	struct sockaddr_vm a = { .svm_family = AF_VSOCK, .svm_cid = cid, .svm_port = port };
	struct timeval tv = { .tv_sec = secs };
	int s = vsock(type);

	if (s < 0)
		return -errno;
	setsockopt(s, AF_VSOCK, SO_VM_SOCKETS_CONNECT_TIMEOUT, &tv, sizeof(tv));
	if (connect(s, (struct sockaddr *)&a, sizeof(a))) {
		int e = errno;

		close(s);
		return -e;
	}
	return s;
}

static int vconnect(int type, unsigned int cid, unsigned int port)
{
	return vconnect_timeout(type, cid, port, 60);
}

static int vlisten(int type, unsigned int port, int backlog)
{
	struct sockaddr_vm a = { .svm_family = AF_VSOCK, .svm_cid = VMADDR_CID_ANY, .svm_port = port };
	int s = vsock(type), one = 1;

	if (s < 0)
		return -1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, backlog)) {
		close(s);
		return -1;
	}
	return s;
}

static int write_all(int s, const void *b, size_t n)
{
	const char *p = b;

	while (n) {
		ssize_t w = write(s, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= w;
	}
	return 0;
}

static ssize_t read_all(int s, void *b, size_t n)
{
	char *p = b;
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(s, p + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -1 : (ssize_t)got;
		got += r;
	}
	return got;
}

/* Read up to @n bytes or to the first newline (not kept); -1 on error. */
static ssize_t read_all_until_nl(int s, char *b, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(s, b + got, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0 || b[got] == '\n')
			break;
		got++;
	}
	return got;
}

static void result(const char *name, const char *why)
{
	if (why) {
		printf("FAIL %s: %s\n", name, why);
		failures++;
	} else {
		printf("PASS %s\n", name);
	}
	fflush(stdout);
}

static void set_timeout(int s, int secs)
{
	struct timeval tv = { .tv_sec = secs };

	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* ---------- guest side ---------- */

/* The agent: one command line in, its output (stdout and stderr) back. */
static void serve_agent(int s, char *cmd, size_t size)
{
	ssize_t n = read_all_until_nl(s, cmd, size - 1);
	pid_t pid;

	if (n <= 0)
		return;
	cmd[n] = 0;
	pid = fork();
	if (pid == 0) {
		dup2(s, 0);
		dup2(s, 1);
		dup2(s, 2);
		/*
		 * Only 0-2 stay (s is close-on-exec): a command left running
		 * in the background (a receiver started for the host) must
		 * not keep the connection open, or the host never sees its
		 * end.
		 */
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static void *serve_conn(void *arg)
{
	int s = (int)(intptr_t)arg, port;
	struct sockaddr_vm a;
	socklen_t al = sizeof(a);
	unsigned char *buf = malloc(MIB);
	ssize_t r;

	getsockname(s, (struct sockaddr *)&a, &al);
	port = a.svm_port;
	if (port == 5001) {
		uint64_t count = 0;
		uint32_t sum = 2166136261u;
		unsigned char reply[12];

		while ((r = read(s, buf, MIB)) > 0) {
			sum = fnv(sum, buf, r);
			count += r;
		}
		memcpy(reply, &count, 8);
		memcpy(reply + 8, &sum, 4);
		write_all(s, reply, sizeof(reply));
	} else if (port == 5002) {
		uint64_t n, off = 0;

		if (read_all(s, &n, 8) == 8) {
			while (off < n) {
				size_t c = n - off < MIB ? n - off : MIB;

				fill(buf, off, c);
				if (write_all(s, buf, c))
					break;
				off += c;
			}
		}
	} else if (port == 5003) {
		while ((r = read(s, buf, MIB)) > 0)
			if (write_all(s, buf, r))
				break;
	} else if (port == 5004) {
		while ((r = recv(s, buf, MIB, 0)) > 0)
			if (send(s, buf, r, MSG_EOR) != r)
				break;
	} else if (port == 5005) {
		uint64_t count = 0;

		while ((r = read(s, buf, MIB)) > 0)
			count += r;
		write_all(s, &count, 8);
	} else if (port == 5006) {
		serve_agent(s, (char *)buf, MIB);
	}
	free(buf);
	close(s);
	return NULL;
}

static void *serve_port(void *arg)
{
	int port = (int)(intptr_t)arg;
	int type = port == 5004 ? SOCK_SEQPACKET : SOCK_STREAM;
	int l = vlisten(type, port, 128);

	if (l < 0)
		return NULL;
	/* Close-on-exec: the agent's commands inherit none of these. */
	fcntl(l, F_SETFD, FD_CLOEXEC);
	for (;;) {
		int s = accept4(l, NULL, NULL, SOCK_CLOEXEC);
		pthread_t th;

		if (s < 0)
			continue;
		pthread_create(&th, NULL, serve_conn, (void *)(intptr_t)s);
		pthread_detach(th);
	}
	return NULL;
}

static __attribute__((noreturn)) void cmd_serve(void)
{
	pthread_t th;
	int p;

	for (p = 5001; p <= 5006; p++)
		pthread_create(&th, NULL, serve_port, (void *)(intptr_t)p);
	for (;;)
		pause();
}

static void report(const char *msg)
{
	int i, s = -1;

	for (i = 0; i < 600 && s < 0; i++) {
		s = vconnect(SOCK_STREAM, VMADDR_CID_HOST, 6002);
		if (s < 0)
			usleep(100000);
	}
	if (s >= 0) {
		write_all(s, msg, strlen(msg));
		close(s);
	}
}

static int cmd_guest_client(void)
{
	unsigned char *buf = malloc(MIB);
	char msg[128];
	int s = -1, i, ok = 0, refused = 0, timedout = 0;

	/* guest -> host: 1 MiB into the host's sink */
	for (i = 0; i < 1200 && s < 0; i++) {
		s = vconnect(SOCK_STREAM, VMADDR_CID_HOST, 6000);
		if (s < 0)
			usleep(100000);
	}
	if (s >= 0) {
		fill(buf, 0, MIB);
		write_all(s, buf, MIB);
		shutdown(s, SHUT_WR);
		read_all(s, buf, 1);
		close(s);
	}
	/* a host port nobody listens on */
	s = vconnect(SOCK_STREAM, VMADDR_CID_HOST, 6001);
	snprintf(msg, sizeof(msg), "unlistened %d", s < 0 ? -s : 0);
	if (s >= 0)
		close(s);
	report(msg);
	/*
	 * The host's backlog-2 listener that never accepts.  An answer, yes or
	 * no, takes milliseconds; 15 s tells a lost one.
	 */
	for (i = 0; i < 6; i++) {
		s = vconnect_timeout(SOCK_STREAM, VMADDR_CID_HOST, 6003, 15);
		if (s >= 0)
			ok++;
		else if (s == -ECONNRESET)
			refused++;
		else if (s == -ETIMEDOUT)
			timedout++;
	}
	snprintf(msg, sizeof(msg), "backlog %d %d %d", ok, refused, timedout);
	report(msg);
	return 0;
}

/* ---------- host side ---------- */

static const char *t_host_to_guest(unsigned int cid, uint64_t total)
{
	static char why[128];
	unsigned char *buf = malloc(MIB), reply[12];
	uint32_t sum = 2166136261u, got_sum;
	uint64_t off = 0, got;
	int s = vconnect(SOCK_STREAM, cid, 5001);

	if (s < 0)
		return strerror(-s);
	set_timeout(s, 120);
	while (off < total) {
		fill(buf, off, MIB);
		sum = fnv(sum, buf, MIB);
		if (write_all(s, buf, MIB)) {
			snprintf(why, sizeof(why), "write at %llu: %s",
				 (unsigned long long)off, strerror(errno));
			return why;
		}
		off += MIB;
	}
	/* Half-close: the guest sees EOF, and its reply still comes back. */
	shutdown(s, SHUT_WR);
	if (read_all(s, reply, 12) != 12)
		return "no reply after SHUT_WR (half-close)";
	memcpy(&got, reply, 8);
	memcpy(&got_sum, reply + 8, 4);
	close(s);
	free(buf);
	if (got != total || got_sum != sum) {
		snprintf(why, sizeof(why), "guest got %llu bytes, checksum %s",
			 (unsigned long long)got, got_sum == sum ? "ok" : "wrong");
		return why;
	}
	return NULL;
}

static const char *t_guest_to_host(unsigned int cid, uint64_t total)
{
	static char why[128];
	unsigned char *buf = malloc(MIB), *exp = malloc(MIB);
	uint64_t got = 0;
	int s = vconnect(SOCK_STREAM, cid, 5002);
	ssize_t r;

	if (s < 0)
		return strerror(-s);
	set_timeout(s, 120);
	write_all(s, &total, 8);
	while ((r = read(s, buf, MIB)) > 0) {
		fill(exp, got, r);
		if (memcmp(buf, exp, r)) {
			snprintf(why, sizeof(why), "corrupt data at %llu", (unsigned long long)got);
			return why;
		}
		got += r;
	}
	close(s);
	free(buf);
	free(exp);
	if (got != total) {
		snprintf(why, sizeof(why), "got %llu of %llu bytes", (unsigned long long)got,
			 (unsigned long long)total);
		return why;
	}
	return NULL;
}

static const char *t_concurrent(unsigned int cid, int n, size_t each)
{
	static char why[128];
	int *s = calloc(n, sizeof(int)), i, done = 0;
	size_t *sent = calloc(n, sizeof(size_t)), *got = calloc(n, sizeof(size_t));
	unsigned char *buf = malloc(65536);
	time_t end = time(NULL) + 120;

	for (i = 0; i < n; i++) {
		s[i] = vconnect(SOCK_STREAM, cid, 5003);
		if (s[i] < 0) {
			snprintf(why, sizeof(why), "connection %d: %s", i, strerror(-s[i]));
			return why;
		}
		fcntl(s[i], F_SETFL, O_NONBLOCK);
	}
	while (done < n && time(NULL) < end) {
		struct pollfd *p = calloc(n, sizeof(*p));

		for (i = 0; i < n; i++) {
			p[i].fd = got[i] < each ? s[i] : -1;
			p[i].events = POLLIN | (sent[i] < each ? POLLOUT : 0);
		}
		poll(p, n, 1000);
		for (i = 0; i < n; i++) {
			ssize_t r;

			if (p[i].revents & POLLOUT && sent[i] < each) {
				size_t c = each - sent[i] < 4096 ? each - sent[i] : 4096;

				fill(buf, sent[i] + i, c);
				r = write(s[i], buf, c);
				if (r > 0)
					sent[i] += r;
			}
			if (p[i].revents & POLLIN) {
				unsigned char exp[4096];

				r = read(s[i], buf, 4096);
				if (r > 0) {
					fill(exp, got[i] + i, r);
					if (memcmp(buf, exp, r)) {
						snprintf(why, sizeof(why), "connection %d: corrupt echo", i);
						return why;
					}
					got[i] += r;
					if (got[i] == each)
						done++;
				}
			}
		}
		free(p);
	}
	for (i = 0; i < n; i++)
		close(s[i]);
	if (done != n) {
		snprintf(why, sizeof(why), "%d of %d connections completed", done, n);
		return why;
	}
	return NULL;
}

static const char *t_seqpacket(unsigned int cid)
{
	static char why[128];
	size_t sizes[] = { 1, 100, 4096, 65536, 200000 };
	unsigned char *buf = malloc(256 * 1024), *in = malloc(256 * 1024);
	struct msghdr m = { 0 };
	struct iovec iov;
	unsigned int i;
	ssize_t r;
	int s = vconnect(SOCK_SEQPACKET, cid, 5004);

	if (s < 0)
		return strerror(-s);
	set_timeout(s, 60);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		fill(buf, i, sizes[i]);
		if (send(s, buf, sizes[i], MSG_EOR) != (ssize_t)sizes[i])
			return "send";
		r = recv(s, in, 256 * 1024, 0);
		if (r != (ssize_t)sizes[i] || memcmp(in, buf, r)) {
			snprintf(why, sizeof(why), "message of %zu came back as %zd bytes",
				 sizes[i], r);
			return why;
		}
	}
	/* A message larger than the buffer: truncated, MSG_TRUNC, full length. */
	fill(buf, 0, 100);
	send(s, buf, 100, MSG_EOR);
	iov.iov_base = in;
	iov.iov_len = 10;
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	r = recvmsg(s, &m, MSG_TRUNC);
	if (r != 100 || !(m.msg_flags & MSG_TRUNC) || memcmp(in, buf, 10)) {
		snprintf(why, sizeof(why), "truncated read: %zd, flags 0x%x", r, m.msg_flags);
		return why;
	}
	if (!(m.msg_flags & MSG_EOR))
		return "no MSG_EOR on a complete message";
	/* The next message is intact: boundaries survive truncation. */
	send(s, buf, 7, MSG_EOR);
	r = recv(s, in, 1000, 0);
	if (r != 7)
		return "boundary lost after truncation";
	close(s);
	return NULL;
}

static int cmd_wait(unsigned int cid, int secs)
{
	time_t end = time(NULL) + secs;

	while (time(NULL) < end) {
		int s = vconnect_timeout(SOCK_STREAM, cid, 5003, 2);

		if (s >= 0) {
			close(s);
			return 0;
		}
		usleep(500000);
	}
	return 1;
}

struct sinkarg {
	int l;
	const char *res;
};

static void *host_sink(void *arg)
{
	struct sinkarg *a = arg;
	unsigned char *buf = malloc(MIB), *exp = malloc(MIB);
	uint64_t got = 0;
	ssize_t r;
	int s;

	a->res = "the guest never connected";
	s = accept(a->l, NULL, NULL);
	if (s < 0)
		return NULL;
	set_timeout(s, 60);
	a->res = NULL;
	while ((r = read(s, buf, MIB)) > 0) {
		fill(exp, got, r);
		if (memcmp(buf, exp, r))
			a->res = "corrupt data from the guest";
		got += r;
	}
	if (got != MIB)
		a->res = "short data from the guest";
	write_all(s, "k", 1);
	close(s);
	return NULL;
}

/*
 * The guest's two reports, read as they arrive: a report's connection is
 * written and closed by the guest at once, and must not wait minutes in
 * the accept queue for the rest of the suite.
 */
struct reportarg {
	int l;
	int n;
	char msg[2][128];
};

static void *host_reports(void *arg)
{
	struct reportarg *a = arg;

	set_timeout(a->l, 600);
	while (a->n < 2) {
		int s = accept(a->l, NULL, NULL);
		ssize_t r;

		if (s < 0)
			break;
		set_timeout(s, 60);
		r = read(s, a->msg[a->n], sizeof(a->msg[0]) - 1);
		close(s);
		if (r > 0)
			a->n++;
	}
	return NULL;
}

static int cmd_host_suite(unsigned int cid)
{
	int l6000 = vlisten(SOCK_STREAM, 6000, 16);
	int l6002 = vlisten(SOCK_STREAM, 6002, 16);
	int l6003 = vlisten(SOCK_STREAM, 6003, 2);
	struct sinkarg sa = { .l = l6000 };
	struct reportarg ra = { .l = l6002 };
	char *msg;
	pthread_t th, rth;
	int s, i, e;

	if (l6000 < 0 || l6002 < 0 || l6003 < 0) {
		result("host-listen", "cannot listen");
		return 1;
	}
	pthread_create(&th, NULL, host_sink, &sa);
	pthread_create(&rth, NULL, host_reports, &ra);

	if (cmd_wait(cid, 240)) {
		result("guest-ready", "the guest did not answer within 240 s");
		return 1;
	}
	result("guest-ready", NULL);
	result("host-to-guest-64MiB-checksum-half-close", t_host_to_guest(cid, 64ULL * MIB));
	result("guest-to-host-64MiB-checksum", t_guest_to_host(cid, 64ULL * MIB));
	result("concurrent-100-connections", t_concurrent(cid, 100, 64 * 1024));

	s = vconnect(SOCK_STREAM, cid, 7777);
	result("host-connect-unlistened-port-econnreset",
	       s == -ECONNRESET ? NULL : (s >= 0 ? "connected" : strerror(-s)));
	if (s >= 0)
		close(s);

	s = vsock(SOCK_SEQPACKET);
	if (s < 0) {
		printf("SKIP seqpacket: this kernel's vsock core has no SOCK_SEQPACKET\n");
	} else {
		close(s);
		result("seqpacket-boundaries-msg_trunc-msg_eor", t_seqpacket(cid));
	}

	pthread_join(th, NULL);
	result("guest-connect-to-host-1MiB", sa.res);

	pthread_join(rth, NULL);
	if (ra.n < 2)
		result("guest-reports", "no report from the guest");
	for (i = 0; i < ra.n; i++) {
		msg = ra.msg[i];
		if (!strncmp(msg, "unlistened", 10)) {
			e = atoi(msg + 11);
			result("guest-connect-unlistened-port-econnreset",
			       e == ECONNRESET ? NULL : msg);
		} else if (!strncmp(msg, "backlog", 7)) {
			int ok = 0, refused = 0, timedout = 0;

			sscanf(msg + 8, "%d %d %d", &ok, &refused, &timedout);
			/*
			 * Backlog 2: at most 3 pending (sk_acceptq_is_full is >),
			 * the rest refused.  Some old cores (seen: 4.14) answer a
			 * full backlog with an RST addressed to the listener's own
			 * unset peer (virtio_transport_reset() on the listener):
			 * no transport can deliver it, and every excess connect
			 * times out.  Exactly that
			 * pattern, with the limit held, is that core's; anything
			 * else fails.
			 */
			if (ok >= 1 && ok <= 3 && !refused && ok + timedout == 6)
				printf("SKIP listen-backlog-2: limit held (%d accepted); this core sends the refusal of a full backlog to the listener's own unset peer address, which no transport can deliver, so the other connects time out\n",
				       ok);
			else
				result("listen-backlog-2",
				       ok >= 1 && ok <= 3 && ok + refused == 6 ? NULL : msg);
		}
	}
	printf("VT-SUITE-DONE %d\n", failures);
	return failures ? 1 : 0;
}

static int cmd_flood(unsigned int cid)
{
	unsigned char *buf = calloc(1, MIB);
	int s = vconnect(SOCK_STREAM, cid, 5001);
	uint64_t sent = 0;

	if (s < 0) {
		printf("flood: connect: %s\n", strerror(-s));
		return 2;
	}
	for (;;) {
		ssize_t w = write(s, buf, MIB);

		if (w < 0) {
			printf("flood: write failed after %llu bytes: %s\n",
			       (unsigned long long)sent, strerror(errno));
			return errno == ECONNRESET || errno == EPIPE ? 0 : 1;
		}
		sent += w;
	}
}

/* ---------- the benchmark's host side ---------- */

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* One connection, 1 byte each way per round trip, for @secs seconds. */
static int cmd_bench_rr(unsigned int cid, int secs)
{
	int s = vconnect(SOCK_STREAM, cid, 5003);
	double t0, end, t;
	unsigned long n = 0;
	char c = 'x';

	if (s < 0) {
		printf("BENCH-ERROR rr: connect: %s\n", strerror(-s));
		return 1;
	}
	set_timeout(s, 30);
	t0 = now();
	end = t0 + secs;
	do {
		if (write(s, &c, 1) != 1 || read(s, &c, 1) != 1) {
			printf("BENCH-ERROR rr: round trip %lu: %s\n", n, strerror(errno));
			return 1;
		}
		n++;
		t = now();
	} while (t < end);
	close(s);
	printf("BENCH rr %.1f\n", n / (t - t0));
	return 0;
}

/*
 * Connections to the echo port, each set up, closed by the host and its
 * close answered by the guest (read sees EOF), for @secs seconds.
 */
static int cmd_bench_connect(unsigned int cid, int secs)
{
	double t0 = now(), end = t0 + secs, t;
	unsigned long n = 0;
	char c;

	do {
		int s = vconnect(SOCK_STREAM, cid, 5003);

		if (s < 0) {
			printf("BENCH-ERROR connect: connection %lu: %s\n", n, strerror(-s));
			return 1;
		}
		set_timeout(s, 30);
		shutdown(s, SHUT_WR);
		if (read(s, &c, 1) != 0) {
			printf("BENCH-ERROR connect: connection %lu: no EOF from the guest\n", n);
			return 1;
		}
		close(s);
		n++;
		t = now();
	} while (t < end);
	printf("BENCH connect %.1f\n", n / (t - t0));
	return 0;
}

struct stream {
	unsigned int cid;
	uint64_t bytes, got;
	int err;
};

static void *bench_stream(void *arg)
{
	struct stream *st = arg;
	unsigned char *buf = calloc(1, 64 * 1024);
	uint64_t off = 0;
	int s = vconnect(SOCK_STREAM, st->cid, 5005);

	if (s < 0) {
		st->err = -s;
		free(buf);
		return NULL;
	}
	set_timeout(s, 120);
	while (off < st->bytes) {
		size_t c = st->bytes - off < 65536 ? st->bytes - off : 65536;

		if (write_all(s, buf, c)) {
			st->err = errno;
			break;
		}
		off += c;
	}
	shutdown(s, SHUT_WR);
	if (read_all(s, &st->got, 8) != 8 && !st->err)
		st->err = EPROTO;
	close(s);
	free(buf);
	return NULL;
}

/* @n streams at once, @mib MiB each, into the guest's discard port. */
static int cmd_bench_streams(unsigned int cid, int n, int mib)
{
	struct stream *st = calloc(n, sizeof(*st));
	pthread_t *th = calloc(n, sizeof(*th));
	double t0 = now();
	int i, bad = 0;

	for (i = 0; i < n; i++) {
		st[i].cid = cid;
		st[i].bytes = (uint64_t)mib * MIB;
		pthread_create(&th[i], NULL, bench_stream, &st[i]);
	}
	for (i = 0; i < n; i++) {
		pthread_join(th[i], NULL);
		if (st[i].err || st[i].got != st[i].bytes) {
			printf("BENCH-ERROR streams: stream %d: %s, the guest counted %llu of %llu bytes\n",
			       i, strerror(st[i].err), (unsigned long long)st[i].got,
			       (unsigned long long)st[i].bytes);
			bad = 1;
		}
	}
	if (!bad)
		printf("BENCH streams%d %.2f\n", n, (double)n * mib / (now() - t0));
	return bad;
}

/* Run @cmd in the guest (its agent on port 5006); its output to stdout. */
static int cmd_agent(unsigned int cid, const char *cmd)
{
	int s = vconnect(SOCK_STREAM, cid, 5006);
	char buf[4096];
	ssize_t r;

	if (s < 0) {
		fprintf(stderr, "agent: connect: %s\n", strerror(-s));
		return 1;
	}
	set_timeout(s, 120);
	if (write_all(s, cmd, strlen(cmd)) || write_all(s, "\n", 1))
		return 1;
	while ((r = read(s, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, r, stdout);
	close(s);
	return r < 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && !strcmp(argv[1], "serve"))
		cmd_serve();
	if (argc >= 2 && !strcmp(argv[1], "guest-client"))
		return cmd_guest_client();
	if (argc >= 3 && !strcmp(argv[1], "host-suite"))
		return cmd_host_suite(atoi(argv[2]));
	if (argc >= 3 && !strcmp(argv[1], "host-flood"))
		return cmd_flood(atoi(argv[2]));
	if (argc >= 4 && !strcmp(argv[1], "wait"))
		return cmd_wait(atoi(argv[2]), atoi(argv[3]));
	if (argc >= 4 && !strcmp(argv[1], "bench-rr"))
		return cmd_bench_rr(atoi(argv[2]), atoi(argv[3]));
	if (argc >= 4 && !strcmp(argv[1], "bench-connect"))
		return cmd_bench_connect(atoi(argv[2]), atoi(argv[3]));
	if (argc >= 5 && !strcmp(argv[1], "bench-streams"))
		return cmd_bench_streams(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
	if (argc >= 4 && !strcmp(argv[1], "agent"))
		return cmd_agent(atoi(argv[2]), argv[3]);
	fprintf(stderr, "usage: see the comment at the top of vsock-test.c\n");
	return 2;
}
