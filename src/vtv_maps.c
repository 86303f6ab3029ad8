// SPDX-License-Identifier: GPL-2.0
/*
 * Interval maps from guest addresses (guest physical for the memory table,
 * IOVA for the device IOTLB) to user addresses of the owner.
 */
#include <linux/slab.h>
#include "vtv.h"

#define VTV_MAP_START(m) ((m)->start)
#define VTV_MAP_LAST(m) ((m)->last)

INTERVAL_TREE_DEFINE(struct vtv_map, rb, u64, subtree_last,
		     VTV_MAP_START, VTV_MAP_LAST, static __maybe_unused, vtv_map_it);

struct vtv_maps *vtv_maps_alloc(unsigned int limit)
{
	struct vtv_maps *maps = kzalloc(sizeof(*maps), GFP_KERNEL);

	if (!maps)
		return NULL;
	maps->root = RB_ROOT_CACHED;
	INIT_LIST_HEAD(&maps->list);
	maps->limit = limit;
	return maps;
}

static void vtv_map_del(struct vtv_maps *maps, struct vtv_map *map)
{
	vtv_map_it_remove(map, &maps->root);
	list_del(&map->link);
	maps->count--;
	kfree(map);
}

void vtv_maps_free(struct vtv_maps *maps)
{
	struct vtv_map *map, *tmp;

	if (!maps)
		return;
	list_for_each_entry_safe(map, tmp, &maps->list, link)
		vtv_map_del(maps, map);
	kfree(maps);
}

/*
 * Add [start, last] -> addr.  An overlapping older entry is replaced, as
 * an IOTLB update must win.  Empty or wrapping ranges are refused: an entry
 * with last < start would make a translation loop forever (CVE-2022-48862).
 * A map with a limit is a cache (the device IOTLB): when full, its oldest
 * entry is retired; a miss brings it back.
 */
int vtv_maps_add(struct vtv_maps *maps, u64 start, u64 last, u64 addr,
		 u32 perm)
{
	struct vtv_map *map;

	if (last < start || addr + (last - start) < addr)
		return -EINVAL;

	map = kmalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return -ENOMEM;
	vtv_maps_del_range(maps, start, last);
	if (maps->limit && maps->count >= maps->limit)
		vtv_map_del(maps, list_first_entry(&maps->list, struct vtv_map,
						   link));
	map->start = start;
	map->last = last;
	map->addr = addr;
	map->perm = perm;
	vtv_map_it_insert(map, &maps->root);
	list_add_tail(&map->link, &maps->list);
	maps->count++;
	return 0;
}

void vtv_maps_del_range(struct vtv_maps *maps, u64 start, u64 last)
{
	struct vtv_map *map;

	while ((map = vtv_map_it_iter_first(&maps->root, start, last)))
		vtv_map_del(maps, map);
}

struct vtv_map *vtv_maps_find(struct vtv_maps *maps, u64 start, u64 last)
{
	return vtv_map_it_iter_first(&maps->root, start, last);
}
