// SPDX-License-Identifier: GPL-2.0
/*
 * struct virtio_vsock_pkt.tap_delivered: deliver_tap_pkt() taps a packet once,
 * however many guest buffers it is split over.
 * Upstream "vsock/virtio: send a credit update when buffer size is changed"
 * series ("vhost/vsock: split packets to send using multiple buffers"), v5.5;
 * in RHEL 8 and in 5.15.
 */
bool vt_probe(struct virtio_vsock_pkt *p);
bool vt_probe(struct virtio_vsock_pkt *p) { return p->tap_delivered; }
