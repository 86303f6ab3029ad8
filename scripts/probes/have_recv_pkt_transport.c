// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_transport_recv_pkt(t, pkt) takes the receiving transport
 * (before: recv_pkt(pkt)).
 * Upstream "vsock/virtio: add transport parameter to the virtio_transport_reset_no_sock()"
 * series, v5.5.
 */
static struct virtio_transport vt_probe_t;
#ifdef VIRTIO_VSOCK_SKB_HEADROOM
void vt_probe(struct sk_buff *p);
void vt_probe(struct sk_buff *p) { virtio_transport_recv_pkt(&vt_probe_t, p); }
#else
void vt_probe(struct virtio_vsock_pkt *p);
void vt_probe(struct virtio_vsock_pkt *p) { virtio_transport_recv_pkt(&vt_probe_t, p); }
#endif
