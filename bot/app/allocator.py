"""The C allocator's settings for a process holding big bitsets (glibc only)."""

from __future__ import annotations

import ctypes
import ctypes.util
import platform

# mallopt parameters (glibc's malloc.h).
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
TRIM_THRESHOLD = 256 * 2**20
MMAP_THRESHOLD = 4 * 2**20


def keep_freed_memory() -> bool:
    """Ask glibc to keep freed memory for reuse instead of handing it back at once; True
    when it was set (False on other C libraries, which are left as they are).

    Matching at a million users makes and drops Python ints of 125 kB (bitsets over the
    users) thousands of times a second. By default glibc maps memory that big afresh, or
    trims the heap under it, on each of them: the page faults made matching 1,000 gigs take
    about 6.5 s instead of 4.5 s (bench/match.py 1000000).
    """
    if platform.libc_ver()[0] != "glibc":
        return False
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    libc = ctypes.CDLL(name)
    return bool(
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
        and libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )
