from __future__ import annotations

import json
from pathlib import Path

from depcheck import config, engine
from depcheck.report import json as json_report
from depcheck.report import text as text_report

FACTEUR = Path(__file__).parent.parent.parent / "examples" / "facteur"


def test_text_in_colour_keeps_user_brackets() -> None:
    result = engine.run(FACTEUR, config.Config())
    coloured = text_report.render(result, color=True)
    assert "\x1b[" in coloured
    assert "psycopg[binary,pool]>=3.1" in coloured


def test_quiet_is_one_line_per_finding() -> None:
    result = engine.run(FACTEUR, config.Config())
    lines = text_report.render(result, quiet=True).splitlines()
    assert len(lines) == len(result.diagnostics)
    assert all(line.split(" ")[1].startswith("DC") for line in lines)


def test_json_has_no_timestamps_and_sorted_diagnostics() -> None:
    result = engine.run(FACTEUR, config.Config())
    document = json.loads(json_report.render(result))
    keys = [(d["path"], d["line"], d["column"], d["code"]) for d in document["diagnostics"]]
    assert keys == sorted(keys)
    assert set(document) == {"version", "tool", "root", "diagnostics", "summary"}


def test_explicit_pairs_replace_inferred_ones(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nversion = "1"\ndependencies = ["httpx>=0.28"]\n'
        '[tool.depcheck]\npairs = [["deploy/pins.txt", "pyproject.toml:project.dependencies"]]\n'
    )
    (tmp_path / "requirements.txt").write_text("httpx==0.27.0\n")
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy/pins.txt").write_text("httpx==0.26.0\n")
    result = engine.run(tmp_path, config.load(tmp_path))
    assert [(d.code, d.span.path) for d in result.diagnostics] == [("DC106", "deploy/pins.txt")]
