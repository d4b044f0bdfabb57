"""Every knowledge-base entry against its own fixtures: tests/fixtures/kb/<id>/{positive,negative}/.

Each fixture holds an `expect.toml`: `findings = [{code = "DC201", package = "greenlet"}]`
(the DC2xx findings depcheck must report, nothing more) or `findings = []`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from depcheck import _toml, config, engine, kb

KB_FIXTURES = Path(__file__).parent / "fixtures" / "kb"
CASES = sorted(p.parent for p in KB_FIXTURES.glob("*/*/expect.toml"))


def _dc2(case: Path) -> list[dict[str, str]]:
    result = engine.run(case, config.load(case))
    return sorted(({"code": d.code, "package": d.package or ""} for d in result.diagnostics if d.code.startswith("DC2")), key=str)


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_entry_fixture(case: Path) -> None:
    expected = _toml.loads((case / "expect.toml").read_text())["findings"]
    assert _dc2(case) == sorted(expected, key=str)


def test_every_entry_has_a_positive_and_a_negative_fixture() -> None:
    entries, errors = kb.load()
    assert errors == ()
    for entry in entries:
        assert (KB_FIXTURES / entry.id / "positive" / "expect.toml").is_file(), entry.id
        assert (KB_FIXTURES / entry.id / "negative" / "expect.toml").is_file(), entry.id


def test_knowledge_base_has_thirty_entries() -> None:
    entries, _ = kb.load()
    assert len(entries) >= 30
