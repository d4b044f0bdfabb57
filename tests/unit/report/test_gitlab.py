from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from depcheck import config, engine
from depcheck.model import Diagnostic, Severity, Span
from depcheck.report import gitlab

REPO = Path(__file__).resolve().parents[3]
FACTEUR = REPO / "examples" / "facteur"


def diagnostic(**changes: Any) -> Diagnostic:
    base = Diagnostic(
        code="DC002",
        name="duplicate-requirement",
        severity=Severity.WARNING,
        message="`httpx` is listed twice in requirements.txt: lines 3 and 8",
        span=Span(path="requirements.txt", line=8, column=1),
        package="httpx",
    )
    return replace(base, **changes)


def render(*diagnostics: Diagnostic, root: Path = Path("/builds/group/repo"), **kwargs: Any) -> list[dict[str, Any]]:
    value = engine.Result(root=root, diagnostics=diagnostics, files=1, elapsed_ms=1)
    return json.loads(gitlab.render(value, **kwargs))


def test_issue_shape() -> None:
    [issue] = render(diagnostic())
    assert issue == {
        "description": "`httpx` is listed twice in requirements.txt: lines 3 and 8",
        "check_name": "DC002",
        "fingerprint": issue["fingerprint"],
        "severity": "major",
        "location": {"path": "requirements.txt", "lines": {"begin": 8}},
    }
    assert re.fullmatch(r"[0-9a-f]{32}", issue["fingerprint"])


@pytest.mark.parametrize(
    ("severity", "level"),
    [(Severity.ERROR, "critical"), (Severity.WARNING, "major"), (Severity.INFO, "info")],
    ids=["error", "warning", "info"],
)
def test_severity_uses_gitlab_levels(severity: Severity, level: str) -> None:
    assert render(diagnostic(severity=severity))[0]["severity"] == level


def test_empty_report_is_an_empty_array() -> None:
    value = engine.Result(root=Path("/r"), diagnostics=(), files=0, elapsed_ms=0)
    assert gitlab.render(value) == "[]\n"


def test_fingerprint_survives_a_line_shift() -> None:
    before = diagnostic(message="`httpx` is `==0.27.0` in requirements.txt:6 but `>=0.28` in pyproject.toml:14")
    after = replace(
        before,
        span=replace(before.span, line=before.span.line + 3),
        message="`httpx` is `==0.27.0` in requirements.txt:9 but `>=0.28` in pyproject.toml:17",
    )
    [first], [second] = render(before), render(after)
    assert first["location"]["lines"]["begin"] + 3 == second["location"]["lines"]["begin"]
    assert first["fingerprint"] == second["fingerprint"]


@pytest.mark.parametrize(
    "other",
    [
        pytest.param(diagnostic(code="DC102"), id="code"),
        pytest.param(diagnostic(span=Span(path="requirements-dev.txt", line=8)), id="path"),
        pytest.param(diagnostic(package="httpcore"), id="package"),
        pytest.param(diagnostic(message="`httpx` is listed twice in constraints"), id="message"),
    ],
)
def test_distinct_findings_have_distinct_fingerprints(other: Diagnostic) -> None:
    prints = [issue["fingerprint"] for issue in render(diagnostic(), other)]
    assert len(set(prints)) == 2


def test_colliding_findings_get_a_counter() -> None:
    same = [diagnostic(span=Span(path="requirements.txt", line=line)) for line in (8, 12, 20)]
    prints = [issue["fingerprint"] for issue in render(*same)]
    assert len(set(prints)) == 3
    assert prints[0] == render(same[0])[0]["fingerprint"]  # the first keeps the plain hash


def test_report_is_deterministic_and_in_report_order() -> None:
    first = gitlab.render(engine.run(FACTEUR, config.Config()))
    assert first == gitlab.render(engine.run(FACTEUR, config.Config()))
    issues = json.loads(first)
    found = engine.run(FACTEUR, config.Config()).diagnostics
    assert [(i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues] == [
        (d.code, d.span.path, d.span.line) for d in found
    ]
    assert len({i["fingerprint"] for i in issues}) == len(issues)


@pytest.mark.parametrize(
    ("root", "project_dir", "path"),
    [
        ("/builds/group/repo", None, "requirements.txt"),
        ("/builds/group/repo", "/builds/group/repo", "requirements.txt"),
        ("/builds/group/repo/svc", "/builds/group/repo", "svc/requirements.txt"),
        ("/elsewhere", "/builds/group/repo", "requirements.txt"),
    ],
    ids=["unset", "root-is-project", "subfolder", "outside"],
)
def test_paths_are_relative_to_the_project_dir(root: str, project_dir: str | None, path: str) -> None:
    [issue] = render(diagnostic(), root=Path(root), project_dir=project_dir)
    assert issue["location"]["path"] == path


def test_same_finding_in_two_subfolders_has_two_fingerprints() -> None:
    [api] = render(diagnostic(), root=Path("/p/api"), project_dir="/p")
    [web] = render(diagnostic(), root=Path("/p/web"), project_dir="/p")
    assert api["fingerprint"] != web["fingerprint"]


def depcheck(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k != "CI_PROJECT_DIR"}
    return subprocess.run(
        [sys.executable, "-m", "depcheck", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**base, "NO_COLOR": "1", **(env or {})},
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "prefix"),
    [({}, ""), ({"CI_PROJECT_DIR": str(REPO)}, "examples/facteur/")],
    ids=["no-project-dir", "project-dir-is-repository"],
)
def test_cli_writes_code_quality_json(env: dict[str, str], prefix: str) -> None:
    run = depcheck("check", "examples/facteur", "--format", "gitlab", env=env)
    assert run.returncode == 1, run.stderr
    issues = json.loads(run.stdout)
    assert issues and all(i["location"]["path"].startswith(f"{prefix}packages/api/") for i in issues)
    assert all(set(i) == {"description", "check_name", "fingerprint", "severity", "location"} for i in issues)


def test_cli_output_file(tmp_path: Path) -> None:
    out = tmp_path / "gl-code-quality-report.json"
    run = depcheck("check", "examples/facteur", "--format", "gitlab", "--output-file", str(out))
    assert run.returncode == 1 and run.stdout == "", run.stderr
    assert json.loads(out.read_text(encoding="utf-8"))
