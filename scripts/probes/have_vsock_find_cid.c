// SPDX-License-Identifier: GPL-2.0
/*
 * vsock_find_cid(cid): transports can ask whether a CID is local.
 * Upstream "vsock: add vsock_find_cid()" (multi-transport series), v5.5.
 */
bool vt_probe(unsigned int c);
bool vt_probe(unsigned int c) { return vsock_find_cid(c); }
