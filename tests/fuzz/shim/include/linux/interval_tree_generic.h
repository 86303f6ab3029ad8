/* SPDX-License-Identifier: GPL-2.0 */
/*
 * INTERVAL_TREE_DEFINE for the fuzz shim, written for it: not a tree but a
 * list sorted by start (equal starts in insertion order), which is enough
 * for the few hundred entries a fuzz input makes and obviously correct.
 * The contract is the kernel's: _iter_first() gives the node of lowest
 * start among those overlapping [start, last], _iter_next() the following
 * one.  ITSUBTREE is kept equal to the node's last.
 */
#ifndef VT_SHIM_INTERVAL_TREE_GENERIC_H
#define VT_SHIM_INTERVAL_TREE_GENERIC_H

#include "../vt_shim.h"

/* The shim's own code: no coverage feedback (it would drown the engine's). */
#define VT_SHIM_NOCOV __attribute__((no_sanitize("coverage"), noinline))

#define INTERVAL_TREE_DEFINE(ITSTRUCT, ITRB, ITTYPE, ITSUBTREE,		\
			     ITSTART, ITLAST, ITSTATIC, ITPREFIX)	\
									\
ITSTATIC VT_SHIM_NOCOV void ITPREFIX ## _insert(ITSTRUCT *node,		\
					      struct rb_root_cached *root) \
{									\
	struct rb_node *prev = root->last, *next = NULL;		\
									\
	/* From the end: entries often come in ascending order. */	\
	while (prev && ITSTART(container_of(prev, ITSTRUCT, ITRB)) >	\
			ITSTART(node)) {				\
		next = prev;						\
		prev = prev->prev;					\
	}								\
	node->ITSUBTREE = ITLAST(node);					\
	node->ITRB.prev = prev;						\
	node->ITRB.next = next;						\
	if (prev)							\
		prev->next = &node->ITRB;				\
	else								\
		root->first = &node->ITRB;				\
	if (next)							\
		next->prev = &node->ITRB;				\
	else								\
		root->last = &node->ITRB;				\
}									\
									\
ITSTATIC VT_SHIM_NOCOV void ITPREFIX ## _remove(ITSTRUCT *node,		\
					      struct rb_root_cached *root) \
{									\
	struct rb_node *n = &node->ITRB;				\
									\
	if (n->prev) {							\
		VT_SHIM_ASSERT(n->prev->next == n);			\
		n->prev->next = n->next;				\
	} else {							\
		VT_SHIM_ASSERT(root->first == n);			\
		root->first = n->next;					\
	}								\
	if (n->next) {							\
		VT_SHIM_ASSERT(n->next->prev == n);			\
		n->next->prev = n->prev;				\
	} else {							\
		VT_SHIM_ASSERT(root->last == n);			\
		root->last = n->prev;					\
	}								\
	n->next = NULL;							\
	n->prev = NULL;							\
}									\
									\
static __maybe_unused VT_SHIM_NOCOV ITSTRUCT *			\
ITPREFIX ## _vt_from(struct rb_node *n, ITTYPE start, ITTYPE last)	\
{									\
	for (; n; n = n->next) {					\
		ITSTRUCT *it = container_of(n, ITSTRUCT, ITRB);		\
									\
		if (ITSTART(it) > last)					\
			return NULL;					\
		if (ITLAST(it) >= start)				\
			return it;					\
	}								\
	return NULL;							\
}									\
									\
ITSTATIC VT_SHIM_NOCOV ITSTRUCT *					\
ITPREFIX ## _iter_first(struct rb_root_cached *root,			\
			ITTYPE start, ITTYPE last)			\
{									\
	return ITPREFIX ## _vt_from(root->first, start, last);		\
}									\
									\
ITSTATIC VT_SHIM_NOCOV ITSTRUCT *					\
ITPREFIX ## _iter_next(ITSTRUCT *node, ITTYPE start, ITTYPE last)	\
{									\
	return ITPREFIX ## _vt_from(node->ITRB.next, start, last);	\
}

#endif
