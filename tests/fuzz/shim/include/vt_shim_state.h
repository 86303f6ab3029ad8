/* SPDX-License-Identifier: GPL-2.0 */
/* Fuzz shim: counters of the shim, for the harness. */
#ifndef VT_SHIM_STATE_H
#define VT_SHIM_STATE_H

#include "vt_shim.h"

#define VT_SHIM_MAX_PINS 16

struct vt_shim_state {
	unsigned long allocs;		/* allocation attempts */
	unsigned long fail_alloc_at;	/* fail this attempt (1-based; 0: none) */
	long live_allocs;
	int locks_held;
	int pins;
	int workers;
	unsigned long uaccesses;
	unsigned long ufaults;
};

extern struct vt_shim_state vt_shim;
void vt_shim_reset(void);
void vt_shim_check_balanced(void);

#endif
