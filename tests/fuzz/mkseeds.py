#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/):
# small inputs that each mean something (a valid chain, an indirect chain,
# a loop...), in the input formats described at the top of each fuzz_*.c
# and of fdev_setup() in harness.c; and the hand-made regression inputs
# (tests/fuzz/regress/<target>/, next to the ones fuzzing found, which it
# leaves alone).  Run it again after changing a format.
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

VERSION_1, INDIRECT, EVENT_IDX, IOTLB, LOG_ALL, NOTIFY_ON_EMPTY, LOG_USED, MSG_V2 = \
    (1 << i for i in range(8))
F_NEXT, F_WRITE, F_INDIRECT = 1, 2, 4
IOTLB_UPDATE, IOTLB_INVALIDATE = 2, 3
RO, WO, RW = 1, 2, 3
RAM_SIZE = 0x10000


def u8(v): return struct.pack('<B', v & 0xff)
def u16(v): return struct.pack('<H', v & 0xffff)
def u32(v): return struct.pack('<I', v & 0xffffffff)
def u64(v): return struct.pack('<Q', v & 0xffffffffffffffff)


def layout(num):
    """The default ring layout of fdev_setup() (offsets in guest RAM)."""
    desc = 0x1000
    avail = desc + 16 * num
    used = (avail + 6 + 2 * num + 3) & ~3
    return desc, avail, used


def config(cfg=VERSION_1, lognum=3, base=0, rings=None, regions=None,
           log_base=0, lga=0, tlb=None, misc=0, fail=0):
    """The configuration block of fdev_setup()."""
    b = u8(cfg) + u8(lognum) + u16(base)
    if rings is None:
        b += u8(0)
    else:
        b += u8(1) + b''.join(u32(x) for x in rings)
    if not regions:
        b += u8(0)
    else:
        b += u8(len(regions)) + b''.join(u64(g) + u64(s) + u64(u) for g, s, u in regions)
    b += u64(log_base) + u64(lga)
    if not tlb:
        b += u8(0)
    else:
        b += u8(len(tlb)) + b''.join(u64(i) + u64(s) + u64(u) + u8(p) for i, s, u, p in tlb)
    return b + u8(misc) + u8(fail)


# fuzz_chain / fuzz_dirtylog operations
def desc(idx, addr, ln, flags=0, nxt=0):
    return u8(0) + u16(idx) + u64(addr) + u32(ln) + u16(flags) + u16(nxt)


def idesc(table, idx, addr, ln, flags=0, nxt=0):
    return u8(1) + u16(table) + u16(idx) + u64(addr) + u32(ln) + u16(flags) + u16(nxt)


def avail(head): return u8(2) + u16(head)
def avail_idx(v): return u8(3) + u16(v)
def poke(off, data): return u8(4) + u16(off) + u8(len(data)) + data


def iotlb(kind, iova, size, uaddr, perm=RW):
    return u8(5) + u8(kind) + u64(iova) + u64(size) + u64(uaddr) + u8(perm)


def take(n=1, used_len=0, iov_size=0): return u8(9) + u8(n - 1) + u32(used_len) + u8(iov_size)


def chain(first, n, addr, ln, flags=0): return u8(6) + u16(first) + u8(n) + u64(addr) + u32(ln) + u16(flags)
def ichain(table, n, addr, ln, flags=0): return u8(7) + u16(table) + u8(n) + u64(addr) + u32(ln) + u16(flags)
def split(iova, n, size): return u8(8) + u64(iova) + u8(n) + u8(size - 1)


SEEDS = {}


def seed(target, name, data):
    SEEDS.setdefault(target, []).append((name, data))


# ---- fuzz_chain ----
seed('fuzz_chain', 'direct-out-in',
     config() + desc(0, 0x8000, 64, F_NEXT, 1) + desc(1, 0x9000, 128, F_WRITE) +
     avail(0) + take(2, 128))
seed('fuzz_chain', 'indirect',
     config(VERSION_1 | INDIRECT) +
     idesc(0x4000, 0, 0x8000, 32, F_NEXT, 1) + idesc(0x4000, 1, 0x9000, 64, F_WRITE) +
     desc(0, 0x4000, 32, F_INDIRECT) + avail(0) + take(1, 64))
seed('fuzz_chain', 'direct-then-indirect',
     config(VERSION_1 | INDIRECT) + desc(0, 0x8000, 16, F_NEXT, 1) +
     idesc(0x4000, 0, 0x9000, 64, F_WRITE) + desc(1, 0x4000, 16, F_INDIRECT) +
     avail(0) + take(1, 64))
seed('fuzz_chain', 'indirect-not-negotiated',
     config(VERSION_1) + idesc(0x4000, 0, 0x8000, 32) +
     desc(0, 0x4000, 16, F_INDIRECT) + avail(0) + take())
seed('fuzz_chain', 'indirect-with-next',
     config(VERSION_1 | INDIRECT) + idesc(0x4000, 0, 0x8000, 32) +
     desc(0, 0x4000, 16, F_INDIRECT | F_NEXT, 1) + desc(1, 0x9000, 8, F_WRITE) +
     avail(0) + take())
seed('fuzz_chain', 'loop',
     config() + desc(0, 0x8000, 8, F_NEXT, 1) + desc(1, 0x8100, 8, F_NEXT, 0) +
     avail(0) + take())
seed('fuzz_chain', 'indirect-loop',
     config(VERSION_1 | INDIRECT) + idesc(0x4000, 0, 0x8000, 8, F_NEXT, 1) +
     idesc(0x4000, 1, 0x8100, 8, F_NEXT, 0) + desc(0, 0x4000, 32, F_INDIRECT) +
     avail(0) + take())
seed('fuzz_chain', 'length-wraps',
     config() + desc(0, 0xffffffffffffff00, 0x200) + avail(0) + take())
seed('fuzz_chain', 'readable-after-writable',
     config() + desc(0, 0x8000, 8, F_WRITE | F_NEXT, 1) + desc(1, 0x9000, 8) +
     avail(0) + take())
seed('fuzz_chain', 'many-chains-wrap',
     config(VERSION_1 | EVENT_IDX, lognum=1, base=0xfffe) +
     desc(0, 0x8000, 8, F_WRITE) + desc(1, 0x9000, 8, F_WRITE) +
     avail(0) + avail(1) + take(2, 8) + avail(1) + avail(0) + take(3, 8))
seed('fuzz_chain', 'avail-index-too-far',
     config() + desc(0, 0x8000, 8) + avail(0) + avail_idx(100) + take())
seed('fuzz_chain', 'two-regions-split',
     config(regions=[(0, 0x8800, 0), (0x8800, 0x7800, 0x8800)]) +
     desc(0, 0x8700, 0x200, F_WRITE) + avail(0) + take(1, 0x200))
seed('fuzz_chain', 'iotlb-chain',
     config(VERSION_1 | IOTLB) + desc(0, 0x8000, 64, F_NEXT, 1) +
     desc(1, 0x9000, 64, F_WRITE) + avail(0) + take(1, 64))
seed('fuzz_chain', 'iotlb-miss-then-update',
     config(VERSION_1 | IOTLB | MSG_V2, tlb=[(0, 0x8000, 0, RW)]) +
     desc(0, 0x8000, 64, F_WRITE) + avail(0) + take() +
     iotlb(IOTLB_UPDATE, 0x8000, 0x1000, 0x8000, WO) + take(1, 64))
seed('fuzz_chain', 'iotlb-readonly-write',
     config(VERSION_1 | IOTLB, tlb=[(0, 0x8000, 0, RW), (0x8000, 0x1000, 0x8000, RO)]) +
     desc(0, 0x8000, 64, F_WRITE) + avail(0) + take())
seed('fuzz_chain', 'iotlb-fragmented-table',
     config(VERSION_1 | IOTLB | INDIRECT,
            tlb=[(0, 0x4000, 0, RW), (0x4020, RAM_SIZE - 0x4020, 0x4020, RW)]) +
     split(0x4000, 16, 2) +
     idesc(0x4000, 0, 0x8000, 8, F_NEXT, 1) + idesc(0x4000, 1, 0x8100, 8, F_WRITE) +
     desc(0, 0x4000, 32, F_INDIRECT) + avail(0) + take(1, 8))
seed('fuzz_chain', 'small-iov-size',
     config(regions=[(0, 0x8800, 0), (0x8800, 0x7800, 0x8800)]) +
     desc(0, 0x8700, 0x200, F_WRITE) + avail(0) + take(1, 0, 1))
seed('fuzz_chain', 'long-chain',
     config(lognum=6) + chain(0, 40, 0x8000, 64) + chain(40, 20, 0x9000, 64, F_WRITE) +
     desc(39, 0x8000 + 39 * 64, 64, F_NEXT, 40) + avail(0) + take(1, 100))
seed('fuzz_chain', 'long-indirect',
     config(VERSION_1 | INDIRECT) + ichain(0x4000, 200, 0x8000, 16, F_WRITE) +
     desc(0, 0x4000, 200 * 16, F_INDIRECT) + avail(0) + take(1, 100))
seed('fuzz_chain', 'iotlb-split-ring',
     config(VERSION_1 | IOTLB,
            tlb=[(0, 0x1000, 0, RW), (0x1080, RAM_SIZE - 0x1080, 0x1080, RW)]) +
     split(0x1000, 128, 1) +
     desc(0, 0x8000, 64, F_WRITE) + avail(0) + take(1, 64))
seed('fuzz_chain', 'big-ring',
     config(lognum=10) + desc(1023, 0x8000, 8, F_WRITE) + avail(1023) + take(1, 8))


# in_val() encodings
def V(v): return u8(0) + u64(v)
def Vs(v): return u8(1) + u16(v)
def Vtop(d): return u8(2) + u16(d)
def Vpage(p): return u8(3) + u16(p)


U64_MAX = (1 << 64) - 1


# ---- fuzz_translate ----
def m_add(start, last, addr, perm=RW): return u8(0) + start + last + addr + u8(perm)
def m_del(start, last): return u8(1) + start + last
def m_find(start, last): return u8(2) + start + last


seed('fuzz_translate', 'maps-add-find',
     u8(0) + u8(0) + m_add(Vpage(1), Vs(0x1fff), Vpage(0x10)) + m_find(Vs(0x1800), Vs(0x1800)) +
     m_find(Vs(0x800), Vs(0xfff)) + m_find(Vs(0), Vs(0x1000)))
seed('fuzz_translate', 'maps-overlap-replaces',
     u8(0) + u8(0) + m_add(Vpage(1), Vpage(4), Vpage(0x10)) + m_add(Vpage(2), Vpage(3), Vpage(0x20)) +
     m_find(Vpage(1), Vpage(1)) + m_find(Vpage(2), Vpage(2)))
seed('fuzz_translate', 'maps-del-middle',
     u8(0) + u8(0) + m_add(Vpage(1), Vpage(2), Vpage(0x10)) + m_add(Vpage(3), Vpage(4), Vpage(0x20)) +
     m_add(Vpage(5), Vpage(6), Vpage(0x30)) + m_del(Vpage(4), Vpage(5)) + m_find(Vs(0), Vtop(0)))
seed('fuzz_translate', 'maps-end-at-2^64',
     u8(0) + u8(0) + m_add(Vtop(0xfff), Vtop(0), Vpage(0x10)) + m_find(Vtop(0), Vtop(0)) +
     m_add(Vs(0), Vtop(0), Vs(0)) + m_find(Vtop(5), Vtop(0)) + m_del(Vtop(0), Vtop(0)))
seed('fuzz_translate', 'maps-wrapping-refused',
     u8(0) + u8(0) + m_add(Vpage(2), Vpage(1), Vpage(0x10)) + m_add(Vs(0), Vs(0x100), Vtop(0x10)))
seed('fuzz_translate', 'maps-limit',
     u8(0) + u8(2) + m_add(Vpage(1), Vpage(1), Vpage(1)) + m_add(Vpage(2), Vpage(2), Vpage(2)) +
     m_add(Vpage(3), Vpage(3), Vpage(3)) + m_add(Vpage(1), Vpage(1), Vpage(9)) +
     m_del(Vpage(1), Vpage(1)) + m_add(Vpage(3), Vpage(3), Vpage(3)))


def t_table(regions):
    return u8(0) + u8(len(regions)) + b''.join(g + s + a for g, s, a in regions)


def t_iotlb(kind, iova, size, uaddr, perm=RW): return u8(1) + u8(kind) + iova + size + uaddr + u8(perm)
def t_xlate(addr, ln, write=0): return u8(2) + addr + u32(ln) + u8(write)
def t_fill(n, iova): return u8(3) + u8(n) + iova


seed('fuzz_translate', 'dev-translate-ram',
     u8(1) + config() + t_xlate(Vs(0x8000), 0x100) + t_xlate(Vs(0x9000), 0x100, 1) +
     t_xlate(Vs(0xff00), 0x200))
seed('fuzz_translate', 'dev-two-regions',
     u8(1) + config(regions=[(0, 0x8800, 0), (0x10000, 0x7800, 0x8800)]) +
     t_xlate(Vs(0x8700), 0x200) + t_xlate(Vs(0x10000 - 0x10), 0x20) +
     t_table([(Vs(0), Vs(0x8000), Vs(0)), (Vpage(8), Vpage(8), Vpage(8))]) + t_xlate(Vpage(8) , 0x10))
seed('fuzz_translate', 'dev-region-at-2^64',
     u8(1) + config() +
     t_table([(Vs(0), Vs(0x4000), Vs(0)), (Vtop(0xfff), Vs(0x1000), Vpage(8))]) +
     t_xlate(Vtop(0x10), 0x11, 1) + t_xlate(Vtop(0x10), 0x12) + t_xlate(Vtop(0), 1))
seed('fuzz_translate', 'dev-iotlb-at-2^64',
     u8(1) + config(VERSION_1 | IOTLB) + t_iotlb(0, Vtop(0xfff), Vs(0x1000), Vpage(8)) +
     t_xlate(Vtop(0x10), 0x11, 1) + t_xlate(Vtop(0x10), 0x12) +
     t_iotlb(1, Vtop(0x7ff), Vs(0x800), Vs(0)) + t_xlate(Vtop(0x10), 0x11))
seed('fuzz_translate', 'dev-iotlb-perm',
     u8(1) + config(VERSION_1 | IOTLB, tlb=[(0, 0x8000, 0, RW), (0x9000, RAM_SIZE - 0x9000, 0x9000, RW)]) +
     t_iotlb(0, Vpage(8), Vpage(1), Vpage(8), RO) +
     t_xlate(Vpage(8), 16) + t_xlate(Vpage(8), 16, 1) + t_iotlb(2, Vpage(8), Vpage(1), Vpage(8), WO) +
     t_xlate(Vpage(8), 16) + t_xlate(Vpage(8), 16, 1))
seed('fuzz_translate', 'dev-iotlb-limit',
     u8(1 | (40 << 1)) + config(VERSION_1 | IOTLB) + t_fill(60, Vpage(0x100)) +
     t_iotlb(0, Vpage(0x100), Vs(1), Vs(0)) + t_iotlb(1, Vpage(0x100), Vs(0x10), Vs(0)) +
     t_iotlb(0, Vpage(0x100), Vs(1), Vs(0)))
seed('fuzz_translate', 'dev-mem-regions-limit',
     u8(1 | (2 << 1)) + config() +
     t_table([(Vs(0), Vs(0x4000), Vs(0)), (Vpage(4), Vpage(4), Vpage(4)), (Vpage(8), Vpage(8), Vpage(8))]) +
     t_table([(Vs(0), Vs(0x4000), Vs(0)), (Vpage(4), Vpage(4), Vpage(4))]) + t_xlate(Vpage(5), 16))


# ---- fuzz_rings ----
def r_avail(h): return u8(0) + u16(h)
def r_idx(v): return u8(1) + u16(v)
def r_take(n=1, keep=0, ln=16): return u8(2) + u8(n - 1) + u8(keep) + u32(ln)
R_ENABLE, R_DISABLE, R_SIGNAL = u8(3), u8(4), u8(5)
def r_flags(v): return u8(6) + u16(v)
def r_event(v): return u8(7) + u16(v)
def r_return(i, ln=16): return u8(8) + u8(i) + u32(ln)
def r_restart(how, base=0, used=0): return u8(9) + u8(how) + u16(base) + u16(used)
def r_used(v): return u8(10) + u16(v)


seed('fuzz_rings', 'plain-notify',
     config() + R_DISABLE + r_avail(0) + r_avail(1) + r_take(3) + R_ENABLE + R_SIGNAL +
     r_flags(1) + R_SIGNAL + r_flags(0) + R_SIGNAL)
seed('fuzz_rings', 'event-idx',
     config(VERSION_1 | EVENT_IDX) + R_SIGNAL + R_DISABLE + r_avail(0) + r_avail(1) + r_avail(2) +
     r_take(1) + r_event(2) + R_SIGNAL + r_take(1) + R_SIGNAL + r_take(2) + R_SIGNAL + R_ENABLE +
     r_avail(3) + R_ENABLE + R_DISABLE + R_ENABLE)
seed('fuzz_rings', 'notify-on-empty',
     config(VERSION_1 | EVENT_IDX | NOTIFY_ON_EMPTY) + r_avail(0) + r_take(2) + r_event(100) + R_SIGNAL)
seed('fuzz_rings', 'avail-idx-jumps',
     config() + r_avail(0) + r_idx(9) + r_take() + r_idx(8) + r_take() + r_idx(0xffff) + r_take())
seed('fuzz_rings', 'wrap-16bit',
     config(VERSION_1 | EVENT_IDX, lognum=2, base=0xfffd) + r_avail(0) + r_avail(1) + r_avail(2) +
     r_avail(3) + r_take(4) + r_event(0xffff) + R_SIGNAL + r_avail(0) + r_take(1) + R_SIGNAL)
seed('fuzz_rings', 'out-of-order',
     config(VERSION_1 | EVENT_IDX) + r_avail(0) + r_avail(1) + r_avail(2) + r_take(3, keep=7) +
     r_return(1) + r_return(0) + R_SIGNAL + r_return(0) + R_SIGNAL)
seed('fuzz_rings', 'restart-migrated',
     config(VERSION_1 | EVENT_IDX) + r_avail(0) + r_take(1) + r_restart(3, 40, 40) +
     r_idx(41) + r_take(1) + R_SIGNAL)
seed('fuzz_rings', 'iotlb-rings',
     config(VERSION_1 | IOTLB | EVENT_IDX) + R_DISABLE + r_avail(0) + r_take(1) + R_ENABLE + R_SIGNAL)


# ---- fuzz_dirtylog ----
def d_take(n=1, nbytes=0): return u8(9) + u8(n - 1) + u32(nbytes)
def d_notify(on): return u8(10) + u8(on)
def d_alias(gpa_page, ram_page, pages): return u8(12) + u16(gpa_page) + u16(ram_page) + u8(pages - 1)


seed('fuzz_dirtylog', 'rx-logged',
     config(VERSION_1 | LOG_ALL | LOG_USED) + desc(0, 0x8000, 0x2000, F_WRITE) + avail(0) +
     d_take(1, 0x1800))
seed('fuzz_dirtylog', 'rx-two-buffers-partial',
     config(VERSION_1 | LOG_ALL | LOG_USED) + desc(0, 0x8f00, 0x200, F_WRITE | F_NEXT, 1) +
     desc(1, 0xc000, 0x3000, F_WRITE) + avail(0) + d_take(1, 0x1300))
seed('fuzz_dirtylog', 'rx-iotlb',
     config(VERSION_1 | LOG_ALL | LOG_USED | IOTLB) + desc(0, 0x8000, 0x2000, F_WRITE) +
     avail(0) + d_take(1, 0x1800))
seed('fuzz_dirtylog', 'rx-iotlb-alias',
     config(VERSION_1 | LOG_ALL | LOG_USED | IOTLB) + d_alias(0x20, 8, 2) +
     desc(0, 0x8000, 0x1000, F_WRITE) + avail(0) + d_take(1, 0x800))
seed('fuzz_dirtylog', 'rx-alias-no-iotlb',
     config(VERSION_1 | LOG_ALL | LOG_USED) + d_alias(0x20, 8, 2) +
     desc(0, 0x20000, 0x1000, F_WRITE) + avail(0) + d_take(1, 0x800))
seed('fuzz_dirtylog', 'rx-iotlb-fragmented',
     config(VERSION_1 | LOG_ALL | LOG_USED | IOTLB,
            tlb=[(0, 0x8000, 0, RW), (0x9000, RAM_SIZE - 0x9000, 0x9000, RW)]) +
     split(0x8000, 16, 16) + desc(0, 0x8000, 0x100, F_WRITE) + avail(0) + d_take(1, 0x100))
seed('fuzz_dirtylog', 'notify-logged',
     config(VERSION_1 | LOG_ALL | LOG_USED) + d_notify(0) + d_notify(1) +
     config(0)[:0])
seed('fuzz_dirtylog', 'event-idx-notify-logged',
     config(VERSION_1 | LOG_ALL | LOG_USED | EVENT_IDX) + d_notify(0) + d_notify(1))
seed('fuzz_dirtylog', 'log-partly-unmapped',
     config(VERSION_1 | LOG_ALL | LOG_USED, log_base=0x1fff) + desc(0, 0x8000, 0x2000, F_WRITE) +
     avail(0) + d_take(1, 0x1800))
seed('fuzz_dirtylog', 'indirect-rx',
     config(VERSION_1 | LOG_ALL | LOG_USED | INDIRECT) + ichain(0x4000, 8, 0xa000, 0x200, F_WRITE) +
     desc(0, 0x4000, 8 * 16, F_INDIRECT) + avail(0) + d_take(1, 0x1000))


# ---- fuzz_iotlb_msg ----
def msg_v1(typ, iova, size, uaddr, perm=RW):
    return u32(1) + u32(0) + u64(iova) + u64(size) + u64(uaddr) + u8(perm) + u8(typ) + bytes(38)


def msg_v2(typ, iova, size, uaddr, perm=RW, asid=0):
    return u32(2) + u32(asid) + u64(iova) + u64(size) + u64(uaddr) + u8(perm) + u8(typ) + bytes(38)


def i_write(m, nseg=1, split=(0, 0, 0), faulty=0):
    return u8(0) + u8(len(m)) + u8(nseg - 1) + bytes(split) + u8(faulty) + m


def i_msg(kind, iova, size, uaddr, perm=RW): return u8(1) + u8(kind) + iova + size + uaddr + u8(perm)
def i_miss(iova, write=0): return u8(2) + iova + u8(write)
def i_read(size=72, block=0): return u8(3) + u8(size) + u8(block)
def i_features(how): return u8(4) + u8(how)


I_POLL = u8(5)

seed('fuzz_iotlb_msg', 'v1-update-invalidate',
     config(VERSION_1 | IOTLB) + i_write(msg_v1(IOTLB_UPDATE, 0x20000, 0x1000, 0x8000)) +
     i_write(msg_v1(IOTLB_INVALIDATE, 0x20000, 0x1000, 0)) + I_POLL)
seed('fuzz_iotlb_msg', 'v2-update-split',
     config(VERSION_1 | IOTLB | MSG_V2) +
     i_write(msg_v2(IOTLB_UPDATE, 0x20000, 0x1000, 0x8000), nseg=4, split=(3, 9, 40)))
seed('fuzz_iotlb_msg', 'v2-asid-refused',
     config(VERSION_1 | IOTLB | MSG_V2) + i_write(msg_v2(IOTLB_UPDATE, 0x20000, 0x1000, 0x8000, asid=1)))
seed('fuzz_iotlb_msg', 'short-and-faulting',
     config(VERSION_1 | IOTLB) + i_write(msg_v1(IOTLB_UPDATE, 0x20000, 0x1000, 0x8000)[:30]) +
     i_write(msg_v1(IOTLB_UPDATE, 0x20000, 0x1000, 0x8000), nseg=2, split=(20, 0, 0), faulty=2) +
     i_write(msg_v1(IOTLB_UPDATE, 0x20000, 0x1000, 0x8000), nseg=2, split=(6, 0, 0), faulty=1))
seed('fuzz_iotlb_msg', 'bad-updates',
     config(VERSION_1 | IOTLB) + i_msg(0, Vs(0x100), Vs(0), Vs(0)) +
     i_msg(0, Vtop(0), Vs(2), Vs(0)) + i_msg(0, Vs(0x100), Vs(0x100), Vtop(0)) +
     i_msg(0, Vs(0x100), Vs(0x100), Vs(0), 0) + i_msg(0, Vs(0x100), Vs(0x100), Vs(0), 7) +
     i_msg(0, Vtop(0xfff), Vs(0x1000), Vpage(8)) + i_msg(1, Vtop(0), Vs(1), Vs(0)))
seed('fuzz_iotlb_msg', 'miss-read-update',
     config(VERSION_1 | IOTLB) + I_POLL + i_miss(Vpage(0x20)) + I_POLL + i_read() +
     i_miss(Vpage(0x21), 1) + i_read(16) + i_read(72) + i_read(72, 1) +
     i_msg(0, Vpage(0x20), Vpage(1), Vpage(8)) + i_miss(Vpage(0x20)))
seed('fuzz_iotlb_msg', 'miss-v2-then-clear',
     config(VERSION_1 | IOTLB | MSG_V2) + i_miss(Vpage(0x20)) + i_features(2) + i_miss(Vpage(0x30)) +
     i_read() + i_read() + i_miss(Vpage(0x40)) + i_features(1) + I_POLL + i_read() + i_features(1) +
     I_POLL)


# ---- regression inputs, made by hand (see regress/README) ----
REGRESS = {}


def regress(target, name, data):
    REGRESS.setdefault(target, []).append((name, data))


def used_off(num=8):
    return layout(num)[2]


regress('fuzz_rings', 'rings-never-set-iova-0',
        config(VERSION_1 | EVENT_IDX | IOTLB, rings=(0x1000, 0x30d, 0x2000)) +
        r_restart(2, 0, 5) + r_avail(0) + r_take(1) + R_SIGNAL)
regress('fuzz_chain', 'used-index-bytes-on-one-host-byte',
        config(VERSION_1 | IOTLB,
               tlb=[(0, used_off() + 2, 0, RW), (used_off() + 2, 1, used_off() + 2, RW),
                    (used_off() + 3, 1, used_off() + 2, RW),
                    (used_off() + 4, RAM_SIZE - used_off() - 4, used_off() + 4, RW)]) +
        desc(0, 0x8000, 8, F_WRITE) + avail(0) + take(1, 8))
regress('fuzz_chain', 'refused-vring-addr-half-taken',
        config(VERSION_1 | LOG_ALL | LOG_USED, lga=(1 << 64) - 3) + desc(0, 0x8000, 8) + avail(0) +
        take())
regress('fuzz_dirtylog', 'start-fails-after-logging-flags',
        config(VERSION_1 | IOTLB | LOG_ALL | LOG_USED, lga=0x10000000,
               tlb=[(used_off(), 2, used_off(), RW)]) + d_notify(1))
regress('fuzz_iotlb_msg', 'kick-poll-error-keeps-kick',
        config(VERSION_1 | IOTLB, misc=2) + u8(7) + u8(4) + u8(0) + u8(0) +
        u8(7) + u8(4) + u8(0) + u8(3))
regress('fuzz_iotlb_msg', 'refused-vring-addr-on-running-vq',
        config(VERSION_1 | IOTLB | LOG_ALL | LOG_USED) +
        u8(7) + u8(3) + u8(0) + u8(1) + V(layout(8)[0]) + V(layout(8)[1]) + V(layout(8)[2]) +
        Vtop(1) + i_miss(Vpage(8), 1))
regress('fuzz_iotlb_msg', 'refused-log-base',
        config(VERSION_1 | IOTLB | LOG_ALL | LOG_USED) + u8(7) + u8(8) + u8(0) + Vtop(0) +
        i_miss(Vpage(8), 1))
regress('fuzz_iotlb_msg', 'miss-on-used-ring-write',
        config(VERSION_1 | IOTLB, tlb=[(0, used_off() + 4, 0, RW), (0x8000, 0x1000, 0x8000, RW)]) +
        i_miss(Vpage(8), 1) + I_POLL + i_read() + I_POLL)


def main():
    only = sys.argv[1:]
    for target, seeds in sorted(SEEDS.items()):
        if only and target not in only:
            continue
        d = os.path.join(HERE, 'corpus', target)
        os.makedirs(d, exist_ok=True)
        for f in os.listdir(d):
            os.unlink(os.path.join(d, f))
        for name, data in seeds:
            with open(os.path.join(d, name), 'wb') as f:
                f.write(data)
        print(f'{target}: {len(seeds)} seeds')
    for target, inputs in sorted(REGRESS.items()):
        if only and target not in only:
            continue
        d = os.path.join(HERE, 'regress', target)
        os.makedirs(d, exist_ok=True)
        for name, data in inputs:
            with open(os.path.join(d, name), 'wb') as f:
                f.write(data)
        print(f'{target}: {len(inputs)} hand-made regression inputs')


if __name__ == '__main__':
    main()
