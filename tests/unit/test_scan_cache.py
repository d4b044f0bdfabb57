from __future__ import annotations

import os
from pathlib import Path

import pytest

from depcheck.scan import cache


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_cache_is_reused_and_never_stale(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "a.py").write_text("import requests\n")
    first = cache.scan_all(root, ["a.py"], frozenset(), use_cache=True)
    assert [i.module for i in first["a.py"].imports] == ["requests"]
    assert list((tmp_path / "cache" / "depcheck").glob("*.pickle"))
    # an edit that keeps the size but changes the mtime is seen
    (root / "a.py").write_text("import httpx   \n")
    os.utime(root / "a.py", ns=(1, 2))
    second = cache.scan_all(root, ["a.py"], frozenset(), use_cache=True)
    assert [i.module for i in second["a.py"].imports] == ["httpx"]


def test_corrupt_cache_is_an_empty_one(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "a.py").write_text("import yaml\n")
    cache.scan_all(root, ["a.py"], frozenset(), use_cache=True)
    for stored in (tmp_path / "cache" / "depcheck").glob("*.pickle"):
        stored.write_bytes(b"not a pickle")
    again = cache.scan_all(root, ["a.py"], frozenset(), use_cache=True)
    assert [i.module for i in again["a.py"].imports] == ["yaml"]


def test_parallel_scan_equals_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    paths = []
    for n in range(30):
        (root / f"m{n}.py").write_text(f"import os\nimport pkg{n}\nURL = 'redis://h/{n}'\n")
        paths.append(f"m{n}.py")
    serial = cache.scan_all(root, paths, frozenset(), jobs=1)
    monkeypatch.setattr(cache, "PARALLEL_THRESHOLD", 10)
    parallel = cache.scan_all(root, paths, frozenset(), jobs=2)
    assert parallel == serial


def test_unreadable_file_is_none(tmp_path: Path) -> None:
    assert cache.scan_all(tmp_path, ["missing.py"], frozenset()) == {"missing.py": None}


def test_a_cache_from_another_python_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "a.py").write_text("import yaml\n")
    cache.scan_all(root, ["a.py"], frozenset(), use_cache=True)
    stamp = cache._scanner_stamp(frozenset())
    monkeypatch.setattr(cache.sys.implementation, "cache_tag", "cpython-399")
    assert cache._scanner_stamp(frozenset()) != stamp
