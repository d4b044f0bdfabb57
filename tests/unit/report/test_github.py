from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from depcheck import config, engine
from depcheck.model import Diagnostic, Severity, Span
from depcheck.report import github

REPO = Path(__file__).resolve().parents[3]
FACTEUR = REPO / "examples" / "facteur"


def diagnostic(**changes: Any) -> Diagnostic:
    base = Diagnostic(
        code="DC101",
        name="version-conflict",
        severity=Severity.ERROR,
        message="`httpx` is `==0.27.0` in requirements.txt:6 but `>=0.28` in pyproject.toml:14: no version satisfies both",
        span=Span(path="requirements.txt", line=6, column=1),
        package="httpx",
    )
    return replace(base, **changes)


def result(*diagnostics: Diagnostic, root: Path = Path("/ws/repo")) -> engine.Result:
    return engine.Result(root=root, diagnostics=diagnostics, files=2, elapsed_ms=3)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            diagnostic(),
            "::error file=requirements.txt,line=6,col=1,title=DC101 version-conflict::"
            "`httpx` is `==0.27.0` in requirements.txt:6 but `>=0.28` in pyproject.toml:14: no version satisfies both",
        ),
        (
            diagnostic(
                code="DC302",
                name="unused-dependency",
                severity=Severity.WARNING,
                message="`asyncpg` is never imported",
                span=Span(path="packages/api/pyproject.toml", line=13, column=5, end_line=13, end_column=22),
            ),
            "::warning file=packages/api/pyproject.toml,line=13,col=5,title=DC302 unused-dependency::"
            "`asyncpg` is never imported",
        ),
        (
            diagnostic(severity=Severity.INFO, message="fyi"),
            "::notice file=requirements.txt,line=6,col=1,title=DC101 version-conflict::fyi",
        ),
        (
            diagnostic(message="100% sure\r\nsecond line\nthird: a, b"),
            "::error file=requirements.txt,line=6,col=1,title=DC101 version-conflict::"
            "100%25 sure%0D%0Asecond line%0Athird: a, b",
        ),
        (
            diagnostic(span=Span(path="odd,dir/a:b%c.txt", line=2, column=3)),
            "::error file=odd%2Cdir/a%3Ab%25c.txt,line=2,col=3,title=DC101 version-conflict::"
            "`httpx` is `==0.27.0` in requirements.txt:6 but `>=0.28` in pyproject.toml:14: no version satisfies both",
        ),
        (
            diagnostic(name="a,b:c", message="m"),
            "::error file=requirements.txt,line=6,col=1,title=DC101 a%2Cb%3Ac::m",
        ),
    ],
    ids=["error", "warning", "info-is-notice", "data-escaping", "path-escaping", "title-escaping"],
)
def test_one_workflow_command(value: Diagnostic, expected: str) -> None:
    assert github.command(value) == expected
    assert github.render(result(value)) == expected + "\n"


@pytest.mark.parametrize(
    ("text", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("%0A is literal", "%250A is literal", "%250A is literal"),
        ("a\rb\nc", "a%0Db%0Ac", "a%0Db%0Ac"),
        ("k: v, w", "k: v, w", "k%3A v%2C w"),
    ],
    ids=["plain", "percent-first", "newlines", "colon-comma"],
)
def test_escaping(text: str, data: str, prop: str) -> None:
    assert github.escape_data(text) == data
    assert github.escape_property(text) == prop


@pytest.mark.parametrize(
    ("root", "workspace", "prefix"),
    [
        ("/ws/repo", None, ""),
        ("/ws/repo", "", ""),
        ("/ws/repo", "/ws/repo", ""),
        ("/ws/repo/packages/api", "/ws/repo", "packages/api/"),
        ("/ws/repo/packages/api", "/ws/repo/", "packages/api/"),
        ("/elsewhere/api", "/ws/repo", ""),
        ("/ws/repository", "/ws/repo", ""),
    ],
    ids=["unset", "empty", "root-is-workspace", "subfolder", "trailing-slash", "outside", "sibling-with-same-start"],
)
def test_paths_are_relative_to_the_workspace(root: str, workspace: str | None, prefix: str) -> None:
    assert github.repository_prefix(Path(root), workspace) == prefix


def test_subfolder_root_prefixes_every_path() -> None:
    value = result(diagnostic(), diagnostic(span=Span(path="pyproject.toml", line=14)), root=Path("/ws/repo/svc"))
    lines = github.render(value, workspace="/ws/repo").splitlines()
    assert [line.split(",", 1)[0] for line in lines] == [
        "::error file=svc/requirements.txt",
        "::error file=svc/pyproject.toml",
    ]


def test_nothing_found_prints_nothing() -> None:
    assert github.render(result()) == ""
    assert github.render(result(), workspace="/ws/repo") == ""


def test_one_line_per_finding_in_report_order() -> None:
    found = engine.run(FACTEUR, config.Config())
    lines = github.render(found).splitlines()
    assert len(lines) == len(found.diagnostics)
    assert [line.split(" ", 1)[1].split(",", 1)[0] for line in lines] == [
        f"file={d.span.path}" for d in found.diagnostics
    ]


def depcheck(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "GITHUB_WORKSPACE"}
    return subprocess.run(
        [sys.executable, "-m", "depcheck", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**full_env, "NO_COLOR": "1", **(env or {})},
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "prefix"),
    [({}, ""), ({"GITHUB_WORKSPACE": str(REPO)}, "examples/facteur/")],
    ids=["no-workspace", "workspace-is-repository"],
)
def test_cli_prints_only_workflow_commands(env: dict[str, str], prefix: str) -> None:
    run = depcheck("check", "examples/facteur", "--format", "github", env=env)
    assert run.returncode == 1, run.stderr
    lines = run.stdout.splitlines()
    assert lines and all(line.startswith(("::error file=", "::warning file=", "::notice file=")) for line in lines)
    assert all(line.split("file=", 1)[1].startswith(f"{prefix}packages/api/") for line in lines)


def test_cli_prints_nothing_when_nothing_is_found(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("", encoding="utf-8")
    run = depcheck("check", str(tmp_path), "--format", "github")
    assert (run.returncode, run.stdout) == (0, ""), run.stderr


def test_cli_output_file(tmp_path: Path) -> None:
    out = tmp_path / "annotations.txt"
    run = depcheck("check", "examples/facteur", "--format", "github", "--output-file", str(out))
    assert run.returncode == 1 and run.stdout == "", run.stderr
    assert out.read_text(encoding="utf-8") == github.render(engine.run(FACTEUR, config.Config()))
