"""The allocator setting `sambilan run` makes for big bitsets."""

from __future__ import annotations

import platform

from bot.app.allocator import keep_freed_memory


def test_glibc_keeps_freed_memory_and_others_are_left_alone() -> None:
    glibc = platform.libc_ver()[0] == "glibc"
    assert keep_freed_memory() is glibc
    assert keep_freed_memory() is glibc  # setting it again is harmless
