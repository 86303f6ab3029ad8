// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_transport.send_pkt(skb, net) and virtio_transport_recv_pkt(t, skb, net):
 * packets carry the network namespace.
 * Upstream vsock netns series, v7.x (absent in 6.12, present in 7.2).
 */
static int vt_probe_f(struct sk_buff *skb, struct net *net) { return 0; }
static struct virtio_transport vt_probe_t = { .send_pkt = vt_probe_f };
void vt_probe(struct sk_buff *skb, struct net *net);
void vt_probe(struct sk_buff *skb, struct net *net)
{ virtio_transport_recv_pkt(&vt_probe_t, skb, net); }
