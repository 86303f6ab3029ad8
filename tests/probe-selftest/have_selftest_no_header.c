// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of scripts/probe.sh: a header this kernel does not have fails
 * this probe alone, not the others compiled with it.
 */
#include <linux/vt_no_such_header.h>
int vt_probe(void);
int vt_probe(void) { return 0; }
