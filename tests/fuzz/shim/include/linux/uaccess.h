/* SPDX-License-Identifier: GPL-2.0 */
/* Fuzz shim: everything is in vt_shim.h. */
#ifndef VT_SHIM_UACCESS_H
#define VT_SHIM_UACCESS_H

#include "../vt_shim.h"

#endif
