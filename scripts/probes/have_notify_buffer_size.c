// SPDX-License-Identifier: GPL-2.0
/*
 * vsock_transport.notify_buffer_size replaces the six set/get buffer
 * size operations: the core owns SO_VM_SOCKETS_BUFFER_*.
 * Upstream "vsock: handle buffer_size sockopts in the core", v5.5.
 */
static void vt_probe_f(struct vsock_sock *v, u64 *val) { }
static struct vsock_transport vt_probe_t = { .notify_buffer_size = vt_probe_f };
void *vt_probe(void);
void *vt_probe(void) { return &vt_probe_t; }
