// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_vsock_skb_rx_put(skb): set skb->len from the header after rx.
 * Upstream "virtio/vsock: replace virtio_vsock_pkt with sk_buff", v6.2; replaced in v6.17.
 */
void vt_probe(struct sk_buff *skb);
void vt_probe(struct sk_buff *skb) { virtio_vsock_skb_rx_put(skb); }
