// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_transport_consume_skb_sent(skb, consume): account unsent bytes.
 * Upstream "vsock: add support for SIOCOUTQ ioctl", v6.10.
 */
void vt_probe(struct sk_buff *skb);
void vt_probe(struct sk_buff *skb) { virtio_transport_consume_skb_sent(skb, true); }
