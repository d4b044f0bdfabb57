"""Whole-project golden tests: each tests/fixtures/<case>/ against its expected.json.

Regenerate with `pytest tests/test_fixtures.py --update-goldens` and review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from depcheck import config, engine
from depcheck.report.json import diagnostic_dict

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).parent.parent / "examples"
# kb/ holds one fixture pair per knowledge-base entry (tests/test_kb_fixtures.py)
CASES = sorted(p for p in FIXTURES.iterdir() if p.is_dir() and p.name != "kb") + [EXAMPLES / "facteur"]


def _diagnostics(root: Path) -> list[dict]:
    result = engine.run(root, config.load(root))
    return [diagnostic_dict(d) for d in result.diagnostics]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(case: Path, update_goldens: bool) -> None:
    expected_file = case / "expected.json"
    actual = _diagnostics(case)
    if update_goldens:
        expected_file.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert expected_file.is_file(), f"no golden for {case.name}: run pytest --update-goldens"
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    assert actual == expected


def test_consistent_project_is_silent() -> None:
    assert _diagnostics(FIXTURES / "consistent") == []


def test_output_is_deterministic() -> None:
    root = FIXTURES / "requirements-includes"
    assert _diagnostics(root) == _diagnostics(root)
