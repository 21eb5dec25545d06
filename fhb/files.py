"""A file read again only when it changes: the profile and the domain's responses are read
for most action calls, and parsing YAML on every call was two thirds of the action
server's work (issue 12)."""

from __future__ import annotations

import os
from typing import IO, Callable, Generic, TypeVar

T = TypeVar("T")


class ParsedFile(Generic[T]):
    """The contents of files as `parse` reads them, parsed again whenever a file changed
    (another inode, size or modification time), so an edit applies at the next call
    without a restart."""

    def __init__(self, parse: Callable[[IO[str]], T]) -> None:
        self._parse = parse
        self._loaded: dict[str, tuple[tuple[int, int, int], T]] = {}

    def get(self, path: str | os.PathLike[str]) -> T:
        """The parsed contents of `path`; OSError and the parser's errors propagate."""
        key = os.fspath(path)
        stat = os.stat(key)
        identity = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        cached = self._loaded.get(key)
        if cached is not None and cached[0] == identity:
            return cached[1]
        with open(key, encoding="utf-8") as f:
            value = self._parse(f)
        self._loaded[key] = (identity, value)
        return value
