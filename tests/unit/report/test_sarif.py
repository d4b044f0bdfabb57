from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from depcheck import config, engine
from depcheck.checks import ALL_RULES
from depcheck.model import Applicability, Diagnostic, Edit, Evidence, Fix, Severity, Span
from depcheck.report import sarif

REPO = Path(__file__).resolve().parents[3]
FACTEUR = REPO / "examples" / "facteur"
# The OASIS SARIF 2.1.0 schema (sarif-2.1/schema/sarif-schema-2.1.0.json), kept with the tests.
SCHEMA = json.loads((Path(__file__).parent.parent.parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
VALIDATOR = Draft7Validator(SCHEMA, format_checker=Draft7Validator.FORMAT_CHECKER)


def diagnostic(**changes: Any) -> Diagnostic:
    base = Diagnostic(
        code="DC101",
        name="version-conflict",
        severity=Severity.ERROR,
        message="`httpx` is `==0.27.0` in requirements.txt:6 but `>=0.28` in pyproject.toml:14: no version satisfies both",
        span=Span(path="requirements.txt", line=6, column=1, end_line=6, end_column=14),
        package="httpx",
        line_text="httpx==0.27.0\n",
    )
    return replace(base, **changes)


def result(*diagnostics: Diagnostic, root: Path = Path("/srv/project")) -> engine.Result:
    return engine.Result(root=root, diagnostics=diagnostics, files=2, elapsed_ms=3)


WITH_EDITS = diagnostic(
    code="DC201",
    name="missing-companion",
    message="the code at app/db.py:3 needs `greenlet`",
    package="greenlet",
    related=("sqlalchemy",),
    evidence=(Evidence(path="app/db.py", line=3, text="from sqlalchemy.ext.asyncio import create_async_engine"),),
    fix=Fix(
        description="Add `greenlet>=3` to requirements.txt",
        applicability=Applicability.SAFE,
        edits=(
            Edit(path="requirements.txt", line=7, column=1, end_line=7, end_column=1, content="greenlet>=3\n"),
            Edit(path="sub dir/req,s.txt", line=2, column=5, end_line=3, end_column=1, content=""),
            Edit(path="requirements.txt", line=9, column=1, end_line=9, end_column=6, content="x"),
        ),
    ),
)
WITHOUT_EDITS = diagnostic(
    severity=Severity.INFO,
    span=Span(path="pyproject.toml", line=3),
    fix=Fix(description="Pin `httpx>=0.28`", applicability=Applicability.DISPLAY_ONLY),
)


def render(value: engine.Result) -> dict[str, Any]:
    return json.loads(sarif.render(value))


def only_result(value: Diagnostic) -> dict[str, Any]:
    return render(result(value))["runs"][0]["results"][0]


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: engine.run(FACTEUR, config.Config()), id="facteur"),
        pytest.param(lambda: result(), id="empty"),
        pytest.param(lambda: result(WITH_EDITS, WITHOUT_EDITS, diagnostic()), id="hand-built-with-fix-edits"),
    ],
)
def test_output_validates_against_the_sarif_2_1_0_schema(make: Any) -> None:
    document = render(make())
    errors = sorted(VALIDATOR.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    assert document["version"] == "2.1.0"
    assert document["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert len(document["runs"]) == 1


def test_driver_lists_every_rule_with_its_documentation() -> None:
    driver = render(result())["runs"][0]["tool"]["driver"]
    assert driver["name"] == "depcheck"
    assert [r["id"] for r in driver["rules"]] == [rule.code for rule in ALL_RULES]
    for row, rule in zip(driver["rules"], ALL_RULES):
        assert row["name"] == rule.name
        assert row["shortDescription"] == {"text": rule.summary}
        assert row["help"]["markdown"] == row["fullDescription"]["markdown"] == rule.doc()
        assert "## " not in row["help"]["text"] and "```" not in row["help"]["text"]
        level = {"error": "error", "warning": "warning", "info": "note"}[rule.severity.value]
        assert row["defaultConfiguration"] == {"level": level}
        assert "dependencies" in row["properties"]["tags"]


@pytest.mark.parametrize(
    ("severity", "level"),
    [(Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.INFO, "note")],
    ids=["error", "warning", "info-is-note"],
)
def test_level_follows_the_diagnostic_severity(severity: Severity, level: str) -> None:
    assert only_result(diagnostic(severity=severity))["level"] == level


def test_result_points_at_its_rule_and_root_relative_location() -> None:
    run = render(result(diagnostic(), root=Path("/srv/my project")))["runs"][0]
    entry = run["results"][0]
    assert run["tool"]["driver"]["rules"][entry["ruleIndex"]]["id"] == entry["ruleId"] == "DC101"
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///srv/my%20project/"}}
    assert entry["message"] == {"text": diagnostic().message}
    assert entry["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "requirements.txt",
        "uriBaseId": "%SRCROOT%",
    }
    assert entry["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 6,
        "startColumn": 1,
        "endLine": 6,
        "endColumn": 14,
    }


@pytest.mark.parametrize(
    ("span", "region"),
    [
        (Span(path="a.txt", line=4, column=2), {"startLine": 4, "startColumn": 2}),
        (Span(path="a.txt", line=4, column=2, end_line=5), {"startLine": 4, "startColumn": 2, "endLine": 5}),
        (
            Span(path="a.txt", line=4, column=2, end_line=4, end_column=9),
            {"startLine": 4, "startColumn": 2, "endLine": 4, "endColumn": 9},
        ),
    ],
    ids=["start-only", "end-line-only", "start-and-end"],
)
def test_region_has_the_end_only_when_known(span: Span, region: dict[str, int]) -> None:
    assert only_result(diagnostic(span=span))["locations"][0]["physicalLocation"]["region"] == region


def test_uris_are_percent_encoded() -> None:
    entry = only_result(diagnostic(span=Span(path="sub dir/req#1.txt", line=1)))
    assert entry["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "sub%20dir/req%231.txt"


def test_evidence_becomes_related_locations() -> None:
    entry = only_result(WITH_EDITS)
    assert entry["relatedLocations"] == [
        {
            "id": 1,
            "physicalLocation": {
                "artifactLocation": {"uri": "app/db.py", "uriBaseId": "%SRCROOT%"},
                "region": {
                    "startLine": 3,
                    "snippet": {"text": "from sqlalchemy.ext.asyncio import create_async_engine"},
                },
            },
            "message": {"text": "from sqlalchemy.ext.asyncio import create_async_engine"},
        }
    ]


def test_fix_with_edits_becomes_artifact_changes_grouped_by_file() -> None:
    entry = only_result(WITH_EDITS)
    assert entry["fixes"] == [
        {
            "description": {"text": "Add `greenlet>=3` to requirements.txt"},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": "requirements.txt", "uriBaseId": "%SRCROOT%"},
                    "replacements": [
                        {
                            "deletedRegion": {"startLine": 7, "startColumn": 1, "endLine": 7, "endColumn": 1},
                            "insertedContent": {"text": "greenlet>=3\n"},
                        },
                        {
                            "deletedRegion": {"startLine": 9, "startColumn": 1, "endLine": 9, "endColumn": 6},
                            "insertedContent": {"text": "x"},
                        },
                    ],
                },
                {
                    "artifactLocation": {"uri": "sub%20dir/req%2Cs.txt", "uriBaseId": "%SRCROOT%"},
                    "replacements": [
                        {
                            "deletedRegion": {"startLine": 2, "startColumn": 5, "endLine": 3, "endColumn": 1},
                            "insertedContent": {"text": ""},
                        }
                    ],
                },
            ],
            "properties": {"applicability": "safe"},
        }
    ]
    assert entry["properties"] == {"package": "greenlet", "related": ["sqlalchemy"]}


def test_fix_without_edits_is_a_result_property() -> None:
    entry = only_result(WITHOUT_EDITS)
    assert "fixes" not in entry
    assert entry["properties"] == {"package": "httpx", "fix": "Pin `httpx>=0.28`", "applicability": "display-only"}


def test_output_is_deterministic_and_has_no_timestamps() -> None:
    first = sarif.render(engine.run(FACTEUR, config.Config()))
    second = sarif.render(engine.run(FACTEUR, config.Config()))
    assert first == second
    run = json.loads(first)["runs"][0]
    assert "invocations" not in run
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]] == [
        d.span.path for d in engine.run(FACTEUR, config.Config()).diagnostics
    ]


def shifted(value: Diagnostic, lines: int) -> Diagnostic:
    """The same finding after `lines` lines were inserted above it (and above what its message cites)."""
    return replace(
        value,
        span=replace(value.span, line=value.span.line + lines),
        message=value.message.replace(":6 ", f":{6 + lines} ").replace(":14:", f":{14 + lines}:"),
    )


def test_fingerprint_survives_a_line_shift() -> None:
    moved = shifted(diagnostic(), 3)
    assert moved.message != diagnostic().message and moved.span.line == 9
    assert sarif.fingerprints([diagnostic()]) == sarif.fingerprints([moved])
    before = only_result(diagnostic())["partialFingerprints"]
    assert before == only_result(moved)["partialFingerprints"]
    assert set(before) == {"depcheck/v1"}


@pytest.mark.parametrize(
    ("message", "moved"),
    [
        ("invalid TOML (at line 3, column 5)", "invalid TOML (at line 6, column 1)"),
        ("the code at app/db.py:3 needs `greenlet`", "the code at app/db.py:6 needs `greenlet`"),
        ("`x` in a.txt:3:2 and b.toml:4", "`x` in a.txt:6:1 and b.toml:7"),
    ],
    ids=["line-and-column-words", "path-line", "path-line-column"],
)
def test_line_numbers_in_messages_do_not_change_identity(message: str, moved: str) -> None:
    assert sarif.identity(diagnostic(message=message)) == sarif.identity(diagnostic(message=moved))


@pytest.mark.parametrize(
    "other",
    [
        pytest.param(diagnostic(code="DC102"), id="code"),
        pytest.param(diagnostic(span=Span(path="requirements-dev.txt", line=6)), id="path"),
        pytest.param(diagnostic(package="httpcore"), id="package"),
        pytest.param(diagnostic(message="`httpx` is `==0.26.0` somewhere else"), id="message"),
        pytest.param(diagnostic(message=diagnostic().message.replace("0.27.0", "0.27.1")), id="version-in-message"),
    ],
)
def test_distinct_findings_have_distinct_fingerprints(other: Diagnostic) -> None:
    assert sarif.fingerprints([diagnostic()]) != sarif.fingerprints([other])


def test_colliding_findings_get_unique_fingerprints() -> None:
    twice = [diagnostic(), shifted(diagnostic(), 3)]
    prints = sarif.fingerprints(twice)
    assert len(set(prints)) == 2
    assert prints[0] == sarif.fingerprints([diagnostic()])[0]


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("## What it does\nReports `x`.", "What it does\nReports x."),
        ("## Example\n```toml\na = `b`\n```\nafter", "Example\n    a = `b`\nafter"),
        ("- PEP 508: https://peps.python.org/pep-0508/", "- PEP 508: https://peps.python.org/pep-0508/"),
    ],
    ids=["heading-and-backticks", "fenced-code-kept-verbatim", "links-kept"],
)
def test_plain_text(markdown: str, text: str) -> None:
    assert sarif.plain_text(markdown) == text


def depcheck(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "depcheck", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=60,
    )


def test_cli_writes_valid_sarif() -> None:
    run = depcheck("check", "examples/facteur", "--format", "sarif")
    assert run.returncode == 1, run.stderr
    document = json.loads(run.stdout)
    assert not list(VALIDATOR.iter_errors(document))
    assert len(document["runs"][0]["results"]) == len(engine.run(FACTEUR, config.Config()).diagnostics)


def test_cli_output_file(tmp_path: Path) -> None:
    out = tmp_path / "report.sarif"
    run = depcheck("check", "examples/facteur", "--format", "sarif", "--output-file", str(out))
    assert run.returncode == 1 and run.stdout == "", run.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"]
