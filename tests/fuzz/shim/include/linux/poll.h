/* SPDX-License-Identifier: GPL-2.0 */
/* Fuzz shim: poll masks from the uapi headers, poll_table from vt_shim.h. */
#ifndef VT_SHIM_POLL_H
#define VT_SHIM_POLL_H

#include "../vt_shim.h"
#include_next <linux/poll.h>
#include <linux/eventpoll.h>

#endif
