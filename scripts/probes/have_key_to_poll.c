// SPDX-License-Identifier: GPL-2.0
/*
 * key_to_poll()/poll_to_key(): a wait-queue wake-up key as a poll mask.
 * Upstream "annotate poll-related wait keys", v4.16.
 */
#include <linux/poll.h>
__poll_t vt_probe(void *key);
__poll_t vt_probe(void *key) { return key_to_poll(key) | key_to_poll(poll_to_key(EPOLLIN)); }
