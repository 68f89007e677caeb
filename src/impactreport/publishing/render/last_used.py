"""What the preview's reading and writing by parts keep between edits, and how they run pandoc
on what is not kept."""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class LastUsed:
    """Entries by key, the one used longest ago dropped beyond ``bound``."""

    def __init__(self, bound: int) -> None:
        self.bound = bound
        self._entries: OrderedDict[str, Any] = OrderedDict()

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    def __getitem__(self, key: str) -> Any:
        self._entries.move_to_end(key)
        return self._entries[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._entries[key] = value
        self._entries.move_to_end(key)
        while len(self._entries) > self.bound:
            self._entries.popitem(last=False)


def side_by_side(function: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """``function`` of each item, in threads: each call runs pandoc, a process of its own."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return list(pool.map(function, items))
