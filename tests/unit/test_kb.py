from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from depcheck import kb


def test_bundled_knowledge_base_is_valid() -> None:
    entries, errors = kb.load()
    assert errors == ()
    assert "sqlalchemy-asyncio-greenlet" in {e.id for e in entries}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[entry]]\nid = "x"\n', "missing required key `package`"),
        ('[[entry]]\nid = "x"\nkind = "companion"\npackage = "a"\nsummary = "s"\nerror = []\nreferences = []\nrequires = {packages = ["b"]}\nfix = {preferred = "b"}\ndetect = {importz = ["a"]}\n', "unknown key `detect.importz`"),
        ('[[entry]]\nid = 3\n', "`id` must be a string"),
        ("[[entry]\n", "line 1"),
    ],
    ids=["missing-key", "typo", "wrong-type", "bad-toml"],
)
def test_errors_are_located(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(text)
    entries, errors = kb.load_file(path)
    assert entries == []
    assert any(message in f"{e.message} line {e.line}" for e in errors)


def test_wheel_ships_the_knowledge_base(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).parent.parent.parent
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(root)],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("depcheck-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "depcheck/_rules/sqlalchemy.toml" in names
    assert "depcheck/_rules/README.md" in names
