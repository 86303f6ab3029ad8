// SPDX-License-Identifier: GPL-2.0
/*
 * VIRTIO_VSOCK_SKB_CB(skb)->offset: the tx offset lives in the cb, not skb->data.
 * Upstream "virtio/vsock: don't use skbuff state to account credit" series, v6.7.
 */
u32 vt_probe(struct sk_buff *skb);
u32 vt_probe(struct sk_buff *skb) { return VIRTIO_VSOCK_SKB_CB(skb)->offset; }
