// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_vsock_skb_put(skb, len) replaces virtio_vsock_skb_rx_put(skb);
 * received skbs may be nonlinear (virtio_vsock_alloc_linear_skb()).
 * Upstream "vsock/virtio: support nonlinear skbs for large rx buffers", v6.17,
 * stable 6.12.69.
 */
void vt_probe(struct sk_buff *skb);
void vt_probe(struct sk_buff *skb) { virtio_vsock_skb_put(skb, 1); }
