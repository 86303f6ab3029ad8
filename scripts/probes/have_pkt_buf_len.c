// SPDX-License-Identifier: GPL-2.0
/*
 * struct virtio_vsock_pkt.buf_len: the size of the payload buffer, which the
 * common module uses to merge small packets into a previous one.
 * Upstream "vsock/virtio: reduce credit update messages" series
 * ("vsock/virtio: limit the memory used per-socket"), v5.4; in RHEL 8.
 */
u32 vt_probe(struct virtio_vsock_pkt *p);
u32 vt_probe(struct virtio_vsock_pkt *p) { return p->buf_len; }
