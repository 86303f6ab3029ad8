// SPDX-License-Identifier: GPL-2.0
/*
 * virtio vsock packets are struct sk_buff (virtio_vsock_pkt removed):
 * send_pkt(skb), virtio_transport_recv_pkt(t, skb), deliver_tap_pkt(skb).
 * Upstream "virtio/vsock: replace virtio_vsock_pkt with sk_buff", v6.2, stable 6.1.64.
 */
struct virtio_vsock_hdr *vt_probe(struct sk_buff *skb);
struct virtio_vsock_hdr *vt_probe(struct sk_buff *skb) { return virtio_vsock_hdr(skb); }
