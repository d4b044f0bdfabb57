"""Values kept between runs: read back only while every file they were built from is unchanged."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from depcheck import kb, memo, modules
from depcheck.scan import cache as scan_cache


@pytest.fixture(autouse=True)
def _own_cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_same_directory_as_the_scan_cache() -> None:
    assert memo.cache_dir() == scan_cache.cache_dir()


def test_read_back_for_the_same_key_only() -> None:
    memo.write("thing", ("a", 1), {"x": (1, 2), "y": ["z"]})
    assert memo.read("thing", ("a", 1)) == {"x": (1, 2), "y": ["z"]}
    assert memo.read("thing", ("a", 2)) is None
    assert memo.read("other", ("a", 1)) is None


def test_corrupt_or_unwritable_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    memo.write("thing", "key", [1])
    (memo.cache_dir() / "thing.marshal").write_bytes(b"\x00garbage")
    assert memo.read("thing", "key") is None
    blocked = tmp_path / "file"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))  # a file where the directory should be
    memo.write("thing", "key", [1])
    assert memo.read("thing", "key") is None


def test_not_plain_data_is_not_kept() -> None:
    memo.write("thing", "key", object())
    assert memo.read("thing", "key") is None


def test_stamp_names_size_and_mtime(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text("x")
    os.utime(path, ns=(1, 2))
    assert memo.stamp([path]) == ((str(path), 1, 2),)
    assert memo.stamp([path, tmp_path / "missing"]) is None


def test_knowledge_base_read_back_until_a_file_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(kb.rules_dir(), rules, ignore=shutil.ignore_patterns("modules"))
    monkeypatch.setattr(kb, "rules_dir", lambda: rules)
    parsed = kb.load()
    assert parsed[0] and not parsed[1]

    real_load_file = kb.load_file

    def must_not_parse(path: Path) -> object:
        raise AssertionError(f"{path} parsed again")

    monkeypatch.setattr(kb, "load_file", must_not_parse)
    assert kb.load() == parsed

    monkeypatch.setattr(kb, "load_file", real_load_file)
    first = sorted(rules.glob("*.toml"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n[[entry]]\nid = 'broken'\n", encoding="utf-8")
    entries, errors = kb.load()
    assert entries == parsed[0]
    assert errors[0].message == "entry broken: missing required key `kind`"
    assert errors == tuple(kb.load_file(first)[1])


def _install(site: Path, name: str, files: dict[str, str]) -> Path:
    info = site / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    record = [f"{path},sha256=x,{len(text)}" for path, text in files.items()] + [f"{info.name}/RECORD,,"]
    (info / "RECORD").write_text("\n".join(record) + "\n")
    for path, text in files.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text)
    return info / "RECORD"


def test_module_map_of_an_environment_read_back_until_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site-packages"
    record = _install(site, "yaml_fork", {"yaml/__init__.py": ""})
    builds: list[int] = []
    real_provided = modules._provided

    def counted(*args: object) -> dict[str, tuple[str, ...]]:
        builds.append(1)
        return real_provided(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(modules, "_provided", counted)
    assert modules._scan_site([site]) == {"yaml-fork": ("yaml",)}
    assert modules._scan_site([site]) == {"yaml-fork": ("yaml",)}
    assert len(builds) == 1

    record.write_text(record.read_text() + "yaml_extra.py,sha256=x,0\n")  # a RECORD rewritten
    assert modules._scan_site([site]) == {"yaml-fork": ("yaml", "yaml_extra")}
    _install(site, "ruamel_yaml", {"ruamel/yaml/__init__.py": ""})  # a distribution added
    assert modules._scan_site([site]) == {"ruamel-yaml": ("ruamel.yaml",), "yaml-fork": ("yaml", "yaml_extra")}
    (site / "extra.pth").write_text("vendored\n")  # a .pth file added
    modules._scan_site([site])
    assert len(builds) == 4
    assert modules._scan_site([site.parent / "site-packages"]) == modules._scan_site([site])
    assert len(builds) == 4


def test_no_cache_reads_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site-packages"
    _install(site, "yaml_fork", {"yaml/__init__.py": ""})
    assert modules._scan_site([site], use_cache=False) == {"yaml-fork": ("yaml",)}
    assert kb.load(use_cache=False) == kb.load()  # the second one writes
    assert [p.name.split("-")[0] for p in memo.cache_dir().iterdir()] == ["knowledge"]

    def must_not_read(*args: object) -> object:
        raise AssertionError("read back")

    monkeypatch.setattr(memo, "read", must_not_read)
    kb.load(use_cache=False)
    modules.load(use_cache=False).distributions("_pytest")  # the running interpreter, read from disk
