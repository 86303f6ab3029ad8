// SPDX-License-Identifier: GPL-2.0
/*
 * vmbus offers and vmbus_send_tl_connect_request() use guid_t (uuid_le before).
 * Upstream "hyper-v: use GUID_INIT / guid_t" conversion, v4.20/v5.0.
 */
int vt_probe(struct vmbus_channel *c);
int vt_probe(struct vmbus_channel *c)
{
	guid_t *t = &c->offermsg.offer.if_type;

	return vmbus_send_tl_connect_request(t, t);
}
