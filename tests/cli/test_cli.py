"""The command line, run as a user runs it: a real subprocess of `python -m depcheck`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent.parent / "fixtures"
FACTEUR = Path(__file__).parent.parent.parent / "examples" / "facteur"


def depcheck(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "NO_COLOR": "", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "depcheck", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=full_env,
        timeout=60,
    )


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def test_version() -> None:
    result = depcheck("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("depcheck ")


def test_facteur_reports_the_drift_as_json() -> None:
    result = depcheck("check", str(FACTEUR), "--format", "json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["version"] == 1
    assert report["tool"]["name"] == "depcheck"
    assert report["root"] == str(FACTEUR.resolve())
    found = sorted((d["code"], d["package"], d["path"]) for d in report["diagnostics"])
    # The incident, and nothing else: greenlet missing in both manifests, the unused
    # asyncpg, psycopg missing from pyproject.toml, the httpx conflict.
    assert found == [
        ("DC101", "httpx", "packages/api/requirements.txt"),
        ("DC103", "psycopg", "packages/api/requirements.txt"),
        ("DC201", "greenlet", "packages/api/pyproject.toml"),
        ("DC201", "greenlet", "packages/api/requirements.txt"),
        ("DC302", "asyncpg", "packages/api/pyproject.toml"),
    ]
    fixes = {d["fix"]["description"] for d in report["diagnostics"] if d["code"] == "DC201"}
    assert all("SQLAlchemy[asyncio]>=2.0" in fix and "greenlet>=3" in fix for fix in fixes)
    assert set(report["summary"]) == {"files", "errors", "warnings", "fixable", "elapsed_ms"}
    assert report["summary"]["errors"] == sum(d["severity"] == "error" for d in report["diagnostics"])
    keys = {"code", "name", "severity", "message", "path", "line", "column", "package", "related", "evidence", "fix"}
    assert all(set(d) == keys for d in report["diagnostics"])


def test_text_report_keeps_brackets_and_shows_line_and_fix() -> None:
    result = depcheck("check", str(FACTEUR), "--no-color")
    assert result.returncode == 1
    assert "packages/api/requirements.txt:5:1 DC103 warning `psycopg` is in" in result.stdout
    assert "5 | psycopg[binary,pool]>=3.1" in result.stdout
    assert "help: Add `psycopg[binary,pool]>=3.1` to packages/api/pyproject.toml [project] dependencies [safe fix]" in result.stdout
    assert "  | ^^^^^^^^^^^^^^^^^^^^^^^^^" in result.stdout  # the span, marked under the line
    assert result.stdout.rstrip().splitlines()[-1] == (
        "3 errors, 2 warnings in 2 manifests; 3 fixable with --fix (2 more with --unsafe-fixes)"
    )
    assert "\x1b[" not in result.stdout


def test_bare_depcheck_checks_the_current_directory() -> None:
    bare = depcheck("--format", "json", cwd=FACTEUR)
    explicit = depcheck("check", ".", "--format", "json", cwd=FACTEUR)
    assert bare.returncode == explicit.returncode == 1
    assert json.loads(bare.stdout)["diagnostics"] == json.loads(explicit.stdout)["diagnostics"]


def test_consistent_project_is_silent_and_exits_zero() -> None:
    result = depcheck("check", str(FIXTURES / "consistent"))
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().count("\n") == 0
    assert result.stdout.startswith("No problems in")
    quiet = depcheck("check", str(FIXTURES / "consistent"), "--quiet")
    assert (quiet.returncode, quiet.stdout) == (0, "")


@pytest.mark.parametrize(
    ("args", "expected_code"),
    [
        (["--select", "DC103"], 1),
        (["--ignore", "DC1,DC2,DC3"], 0),
        (["--fail-on", "error", "--select", "DC103"], 0),
        (["--select", "DC101", "--fail-on", "error"], 1),
    ],
    ids=["select-warning", "ignore-family", "fail-on-error-with-warnings", "error-fails"],
)
def test_select_ignore_fail_on(args: list[str], expected_code: int) -> None:
    result = depcheck("check", str(FACTEUR), "--format", "json", *args)
    assert result.returncode == expected_code, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("files", "args", "message"),
    [
        ({"pyproject.toml": "[tool.depcheck]\nselekt = ['DC1']\n"}, [], "unknown key `selekt`"),
        ({"depcheck.toml": "fail-on = 'never'\n"}, [], "`fail-on` must be"),
        ({}, ["--select", "XYZ"], "`XYZ` is not a rule code"),
        ({}, ["does-not-exist"], "does-not-exist: no such file or directory"),
        ({"depcheck.toml": "select = [\n"}, [], "cannot parse config"),
    ],
    ids=["unknown-key", "bad-value", "bad-select", "missing-path", "broken-config"],
)
def test_tool_errors_exit_2_with_one_line(tmp_path: Path, files: dict[str, str], args: list[str], message: str) -> None:
    write(tmp_path, files)
    result = depcheck("check", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_inline_ignore_suppresses_on_either_line(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "x"\nversion = "1"\ndependencies = [\n  "httpx>=0.28",  # depcheck: ignore[DC101]\n  "rich",\n]\n',
            "requirements.txt": "httpx==0.27.0\nrich  # depcheck: ignore\nclick  # depcheck: ignore[DC103]\n",
        },
    )
    result = depcheck("check", ".", "--format", "json", cwd=tmp_path)
    assert json.loads(result.stdout)["diagnostics"] == []
    assert result.returncode == 0


def test_per_file_ignores_and_exclude(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "x"\nversion = "1"\ndependencies = ["httpx>=0.28"]\n'
            '[tool.depcheck]\nexclude = ["legacy/**"]\nper-file-ignores = {"requirements.txt" = ["DC1"]}\n',
            "requirements.txt": "httpx==0.27.0\n",
            "legacy/requirements.txt": "garbage ==\n",
        },
    )
    result = depcheck("check", "--format", "json", cwd=tmp_path)
    assert json.loads(result.stdout)["diagnostics"] == []


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = depcheck("check", str(FACTEUR), "--format", "json", "--output-file", str(out))
    assert result.returncode == 1 and result.stdout == ""
    assert json.loads(out.read_text())["diagnostics"]


def test_rule_and_rules() -> None:
    rule = depcheck("rule", "dc101")
    assert rule.returncode == 0
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Fix", "## References"):
        assert heading in rule.stdout
    listing = depcheck("rules", "--format", "json")
    codes = [r["code"] for r in json.loads(listing.stdout)["rules"]]
    assert codes == sorted(codes) and "DC106" in codes
    unknown = depcheck("rule", "DC999")
    assert unknown.returncode == 2 and "no rule or knowledge-base entry `DC999`" in unknown.stderr
    entry = depcheck("rule", "sqlalchemy-asyncio-greenlet")
    assert entry.returncode == 0 and "Needs: greenlet" in entry.stdout and "SQLAlchemy[asyncio]" in entry.stdout
    assert len(json.loads(listing.stdout)["knowledge"]) >= 30


def test_garbage_everywhere_never_tracebacks(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": b"\xff\xfe[project\x00\x01",
            "setup.py": "def (:\n",
            "setup.cfg": "[options\ninstall_requires =\n  ][\n",
            "requirements.txt": b"\x80\x81\n-r\n-c\n--hash\n@@@\n" + bytes(range(256)),
            "uv.lock": "[[package]\nname = ",
            "poetry.lock": "version = \n",
            "pylock.toml": "packages = 3\n",
            "sub/pyproject.toml": '[project]\nname = "ok"\nversion = "1"\ndependencies = ["attrs>=23,<22"]\n',
        },
    )
    result = depcheck("check", ".", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    codes = {d["code"] for d in report["diagnostics"]}
    assert "DC004" in codes
    # the rest of the repository is still checked
    assert any(d["code"] == "DC005" and d["path"] == "sub/pyproject.toml" for d in report["diagnostics"])
