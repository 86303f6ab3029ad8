// SPDX-License-Identifier: GPL-2.0
/*
 * The core accounts accepted connections itself: vsock_add_pending()
 * and vsock_enqueue_accept() call sk_acceptq_added(), so a transport must not.
 * No compile can see that; vsock_pending_to_accept() comes from the same
 * upstream series ("vsock: fix accept queue accounting"), v7.2, stable 6.1.190,
 * and is the proxy for it.
 */
void vt_probe(struct sock *l, struct sock *p);
void vt_probe(struct sock *l, struct sock *p) { vsock_pending_to_accept(l, p); }
