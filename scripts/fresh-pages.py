#!/usr/bin/env python3
"""What touching fresh memory costs on this machine, in ms per MB.

Maps MB megabytes of anonymous memory (2 MiB aligned, with MADV_HUGEPAGE
unless --small-pages), writes one byte per 4 KiB page and prints the time.
Run it twice, with a pause between, to see whether pages freed a moment ago
are cheaper than pages freed a while ago: on a VM whose host takes back free
memory (virtio-balloon free page reporting), they are.

usage: scripts/fresh-pages.py [MB] [--small-pages] [--pause SECONDS]
"""
import argparse
import ctypes
import mmap
import time

MADV_HUGEPAGE = 14
HUGE = 2 << 20


def touch(mb: int, huge: bool) -> float:
    n = mb << 20
    m = mmap.mmap(-1, n + HUGE, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    base = ctypes.addressof(ctypes.c_char.from_buffer(m))
    start = (base + HUGE - 1) & ~(HUGE - 1)
    if huge:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.madvise(ctypes.c_void_p(start), ctypes.c_size_t(n), MADV_HUGEPAGE)
    off = start - base
    t = time.perf_counter()
    for i in range(off, off + n, 4096):
        m[i] = 1
    took = time.perf_counter() - t
    m.close()
    return took


def main() -> None:
    p = argparse.ArgumentParser(description="What touching fresh memory costs, in ms per MB.")
    p.add_argument("mb", nargs="?", type=int, default=150, help="megabytes to touch (150)")
    p.add_argument("--small-pages", action="store_true", help="4 KiB pages, no MADV_HUGEPAGE")
    p.add_argument("--pause", type=float, default=0.0, help="seconds between the two runs")
    a = p.parse_args()
    pages = "4 KiB pages" if a.small_pages else "2 MiB pages"
    for run in ("first", "second"):
        took = touch(a.mb, not a.small_pages)
        print(f"{run}: {a.mb} MB, {pages}: {took * 1000:.1f} ms, {took * 1000 / a.mb:.3f} ms per MB")
        if run == "first":
            time.sleep(a.pause)


if __name__ == "__main__":
    main()
