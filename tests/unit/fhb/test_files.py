"""A file is parsed again only when it changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fhb.files import ParsedFile


def test_a_file_is_parsed_once_until_it_changes(tmp_path: Path) -> None:
    reads: list[str] = []
    parsed = ParsedFile(lambda f: reads.append(f.read()) or len(reads))
    path = tmp_path / "a.yml"
    path.write_text("one", encoding="utf-8")
    assert parsed.get(path) == 1
    assert parsed.get(str(path)) == 1  # the same file by another spelling of its path
    path.write_text("two!", encoding="utf-8")  # another size
    assert parsed.get(path) == 2
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # touched
    assert parsed.get(path) == 3
    assert reads == ["one", "two!", "two!"]


def test_a_missing_file_and_a_parse_error_are_raised(tmp_path: Path) -> None:
    def fail(_f: object) -> int:
        raise ValueError("bad")

    with pytest.raises(OSError):
        ParsedFile(fail).get(tmp_path / "missing.yml")
    (tmp_path / "bad.yml").write_text("x", encoding="utf-8")
    with pytest.raises(ValueError, match="bad"):
        ParsedFile(fail).get(tmp_path / "bad.yml")
